//! Patterns built from words: word families (`forms`) and phrases (`phrase`), so a rule file
//! can say "a superlative, up to two words, then an attribute" without a regular expression.

use super::fold::words_pattern;
use super::lazy_regex::LazyRegex;
use super::value::Value;
use super::words::WordList;
use regex::RegexBuilder;

/// The most forms one entry of `forms(...)` may stand for.
const MAX_FORMS: usize = 256;

/// Spelling pairs read both ways: UK and US spellings of the same word.
const SPELLINGS: &[(&str, &str)] = &[
    ("isation", "ization"),
    ("ise", "ize"),
    ("ised", "ized"),
    ("ising", "izing"),
    ("yse", "yze"),
    ("our", "or"),
    ("tre", "ter"),
    ("ogue", "og"),
    ("ence", "ense"),
];

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// A word's spellings: as given, and with a UK/US ending swapped.
fn spellings(word: &str) -> Vec<String> {
    let mut out = vec![word.to_owned()];
    for (uk, us) in SPELLINGS {
        for (from, to) in [(uk, us), (us, uk)] {
            // A suffix only, on a word long enough that it is one ("colour", not "our").
            if word.len() >= from.len() + 3 {
                if let Some(stem) = word.strip_suffix(from) {
                    out.push(format!("{stem}{to}"));
                }
            }
            // Inside a word: "optimise" in "optimisation" is covered by the pairs above;
            // "colour" in "colourful".
            if *from == "our" && word.len() > 6 {
                if let Some(at) = word.find("our") {
                    if at >= 3 {
                        out.push(format!("{}or{}", &word[..at], &word[at + 3..]));
                    }
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A word with its inflections: -s/-es/-ies, -ed/-d/-ied, -ing, with a doubled last
/// consonant (cut, cutting) or a dropped -e (save, saving).
fn inflections(word: &str) -> Vec<String> {
    let mut out = vec![word.to_owned()];
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 2 || !chars.iter().all(|c| c.is_alphabetic()) {
        return out;
    }
    let &[.., before, last] = chars.as_slice() else {
        return out;
    };
    let stem_e = word.strip_suffix('e');
    if last == 'y' && !is_vowel(before) {
        let stem = &word[..word.len() - 1];
        out.extend([
            format!("{stem}ies"),
            format!("{stem}ied"),
            format!("{word}ing"),
        ]);
        return out;
    }
    if word.ends_with(['s', 'x', 'z']) || word.ends_with("ch") || word.ends_with("sh") {
        out.push(format!("{word}es"));
    } else {
        out.push(format!("{word}s"));
    }
    match stem_e {
        Some(stem) => {
            out.extend([format!("{word}d"), format!("{stem}ing")]);
        }
        None => {
            out.extend([format!("{word}ed"), format!("{word}ing")]);
            // Consonant, vowel, consonant: the last is doubled (cut, cutting; stop, stopped).
            let third = chars.len().checked_sub(3).and_then(|i| chars.get(i));
            if !is_vowel(last)
                && !matches!(last, 'w' | 'x' | 'y')
                && is_vowel(before)
                && third.is_some_and(|c| !is_vowel(*c))
            {
                out.extend([format!("{word}{last}ed"), format!("{word}{last}ing")]);
            }
        }
    }
    out
}

/// Every form of a word: each spelling with its inflections, and inflections respelled
/// ("optimise" gives "optimizing").
fn family(word: &str) -> Vec<String> {
    let lower = word.to_lowercase();
    let mut out: Vec<String> = spellings(&lower)
        .iter()
        .flat_map(|s| inflections(s))
        .flat_map(|f| spellings(&f))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The entries of `forms(...)`: every word of every entry in all of its forms (a phrase's
/// words are combined, up to [`MAX_FORMS`] per entry).
pub(crate) fn forms(entries: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for entry in entries {
        let mut combined = vec![String::new()];
        for word in entry.split_whitespace() {
            let f = family(word);
            if combined.len() * f.len() > MAX_FORMS {
                combined.iter_mut().for_each(|c| {
                    if !c.is_empty() {
                        c.push(' ');
                    }
                    c.push_str(word);
                });
                continue;
            }
            combined = combined
                .iter()
                .flat_map(|c| {
                    f.iter().map(move |w| {
                        if c.is_empty() {
                            w.clone()
                        } else {
                            format!("{c} {w}")
                        }
                    })
                })
                .collect();
        }
        out.extend(combined.into_iter().filter(|c| !c.is_empty()));
    }
    out
}

/// The -er or -est forms of adjectives (`ending` is "er" or "est"): fast, faster; big,
/// bigger; easy, easier; safe, safer.
pub(crate) fn degree(adjectives: &[String], ending: &str) -> Vec<String> {
    let mut out = Vec::new();
    for adj in adjectives {
        let word = adj.trim().to_lowercase();
        let chars: Vec<char> = word.chars().collect();
        let (Some(&last), Some(&before)) = (
            chars.last(),
            chars.len().checked_sub(2).and_then(|i| chars.get(i)),
        ) else {
            continue;
        };
        let third = chars.len().checked_sub(3).and_then(|i| chars.get(i));
        let form = if let Some(stem) = word.strip_suffix('e') {
            format!("{stem}{ending}")
        } else if last == 'y' && !is_vowel(before) {
            format!("{}i{ending}", word.trim_end_matches('y'))
        } else if !is_vowel(last)
            && !matches!(last, 'w' | 'x' | 'y')
            && is_vowel(before)
            && third.is_some_and(|c| !is_vowel(*c))
        {
            format!("{word}{last}{ending}")
        } else {
            format!("{word}{ending}")
        };
        out.push(form);
    }
    out
}

/// Up to `n` words of anything in a sentence, as few as will do.
fn gap_pattern(n: f64) -> String {
    let n = n.clamp(0.0, 20.0) as u32;
    format!(r"(?:[^\s.!?;]+\s+){{0,{n}}}?")
}

/// Which text a phrase is matched against.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// The folded text (see `fold`): word lists are lower-case literals.
    Folded,
    /// The text as it is: word lists under `(?i)`.
    Plain,
}

/// Whether every pattern among a phrase's parts can be matched against the folded text.
fn foldable(part: &Value<'_>) -> bool {
    match part {
        Value::Regex(r) => r.folded_form().is_some(),
        Value::List(items) => items.iter().all(foldable),
        Value::Frame(f) => f.patterns.iter().all(foldable),
        _ => true,
    }
}

/// The pattern of one part of a phrase: a word list, a text, a pattern, or any one of the
/// items of a list or the patterns of a frame.
fn part_pattern(part: &Value<'_>, mode: Mode) -> Option<String> {
    let words = |folded: &str| match mode {
        Mode::Folded => folded.to_owned(),
        Mode::Plain => format!("(?i:{folded})"),
    };
    match part {
        Value::Words(w) => Some(words(w.phrase_part())),
        Value::Text(t, _) => Some(words(&words_pattern(&[t.to_string()]))),
        Value::Regex(r) => match mode {
            Mode::Folded => r.folded_form(),
            Mode::Plain => Some(r.plain_form()),
        },
        Value::List(items) => alternatives(items.iter(), mode),
        Value::Frame(f) => alternatives(f.patterns.iter(), mode),
        _ => None,
    }
}

fn alternatives<'a, 'm: 'a>(
    items: impl Iterator<Item = &'a Value<'m>>,
    mode: Mode,
) -> Option<String> {
    let alts: Vec<String> = items.filter_map(|i| part_pattern(i, mode)).collect();
    (!alts.is_empty()).then(|| format!("(?:{})", alts.join("|")))
}

/// Builds `phrase(...)`: its parts in order, separated by spaces, a number between two
/// parts standing for a gap of up to that many words (as few as will do), and one at the end
/// for up to that many more words of the sentence (as many as there are). The expression is
/// compiled when a text first may match it: when its first part is found.
pub(crate) fn phrase(parts: &[Value<'_>]) -> Result<LazyRegex, String> {
    let mode = if parts.iter().all(foldable) {
        Mode::Folded
    } else {
        Mode::Plain
    };
    let folded = mode == Mode::Folded;
    let mut source = String::new();
    let mut trigger = None;
    let mut gap: Option<f64> = None;
    let mut first = true;
    for part in parts {
        if let Value::Number(n) = part {
            gap = Some(gap.unwrap_or(0.0) + n);
            continue;
        }
        let Some(pattern) = part_pattern(part, mode) else {
            continue;
        };
        if !first {
            source.push_str(r"\s+");
            if let Some(n) = gap.take() {
                source.push_str(&gap_pattern(n));
            }
        }
        gap = None;
        if first {
            trigger = Some(pattern.clone());
        }
        first = false;
        source.push_str(&pattern);
    }
    if source.is_empty() {
        return Err("a phrase needs at least one word list, pattern or text".into());
    }
    // A gap at the end: up to that many more words of the sentence, as many as there are.
    if let Some(n) = gap {
        let n = n.clamp(0.0, 40.0) as u32;
        source.push_str(&format!(r"(?:[,:]?\s+[^\s.!?;,:]+){{0,{n}}}"));
    }
    // Every part compiled on its own, so the whole parses; only its size can be too much.
    // A phrase as long as the built-in frames' longest is compiled when first needed; a
    // longer one is compiled now, so a phrase too large to compile is a located error when
    // the rule file loads, never a pattern that silently finds nothing.
    let size_limit = super::functions::REGEX_SIZE_LIMIT * 16;
    if source.len() > COMPILE_NOW_ABOVE {
        return RegexBuilder::new(&source)
            .size_limit(size_limit)
            .dfa_size_limit(size_limit)
            .build()
            .map(|r| LazyRegex::compiled(r, folded))
            .map_err(|e| format!("this phrase cannot be compiled: {e}"));
    }
    Ok(LazyRegex::deferred(source, trigger, size_limit, folded))
}

/// Phrases with patterns longer than this are compiled when the rule file loads. The
/// built-in frames' longest is under 35,000 characters (less since word lists are written as
/// trees of shared prefixes) and compiles to a few megabytes, far inside the size limit, so
/// anything up to this length compiles.
const COMPILE_NOW_ABOVE: usize = 64_000;

thread_local! {
    /// Why the last phrase on this thread could not be built, for the loader to report.
    static BUILD_ERROR: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Keeps why a phrase could not be built, for [`take_build_error`].
pub(crate) fn note_build_error(e: String) {
    BUILD_ERROR.with(|b| *b.borrow_mut() = Some(e));
}

/// Why the last phrase on this thread could not be built, if one could not.
pub(crate) fn take_build_error() -> Option<String> {
    BUILD_ERROR.with(|b| b.borrow_mut().take())
}

/// A word list of `forms(...)`.
pub(crate) fn forms_list(entries: &[String]) -> Result<WordList, String> {
    WordList::new(&forms(entries))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn has(list: &[String], w: &str) -> bool {
        list.iter().any(|x| x == w)
    }

    #[test]
    fn word_families_cover_inflections_and_spellings() {
        let f = forms(&[
            "save".into(),
            "cut".into(),
            "optimise".into(),
            "reply".into(),
        ]);
        for w in [
            "save",
            "saves",
            "saved",
            "saving",
            "cut",
            "cuts",
            "cutting",
            "optimise",
            "optimize",
            "optimised",
            "optimizing",
            "reply",
            "replies",
            "replied",
        ] {
            assert!(has(&f, w), "{w} missing from {f:?}");
        }
        let f = forms(&["speed up".into(), "colour".into()]);
        for w in ["speeds up", "speeding up", "color", "colours"] {
            assert!(has(&f, w), "{w} missing from {f:?}");
        }
    }

    #[test]
    fn degrees_of_adjectives() {
        let adj: Vec<String> = [
            "fast", "big", "easy", "safe", "clean", "thin", "quiet", "new",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            degree(&adj, "est"),
            [
                "fastest", "biggest", "easiest", "safest", "cleanest", "thinnest", "quietest",
                "newest"
            ]
        );
        assert_eq!(degree(&adj[..3], "er"), ["faster", "bigger", "easier"]);
    }

    fn found(re: &LazyRegex, text: &str) -> Vec<String> {
        re.find_iter(&crate::lang::fold::Haystack::new(text))
            .map(|m| text[m].to_owned())
            .collect()
    }

    #[test]
    fn a_phrase_compiles_on_first_use_unless_it_is_longer_than_the_built_in_ones() {
        let short = phrase(&[Value::Words(Arc::new(WordList::new(&["save"]).unwrap()))]).unwrap();
        assert!(!short.is_compiled());
        assert_eq!(found(&short, "We save time."), ["save"]);
        assert!(short.is_compiled());
        // Past the length of the built-in frames' longest phrase, a phrase is compiled when
        // it is built, so one too large to compile is an error where the rule file loads.
        let entries: Vec<String> = (0..3000)
            .map(|i| format!("word{i}xxxxxxxxxxxxxxxxxxxx"))
            .collect();
        let long = phrase(&[
            Value::Words(Arc::new(WordList::new(&entries).unwrap())),
            Value::text("saves"),
        ])
        .unwrap();
        assert!(long.as_str().len() > COMPILE_NOW_ABOVE);
        assert!(long.is_compiled());
        assert_eq!(
            found(&long, "It WORD2999xxxxxxxxxxxxxxxxxxxx saves time."),
            ["WORD2999xxxxxxxxxxxxxxxxxxxx saves"]
        );
    }

    #[test]
    fn phrases_join_parts_with_gaps_and_keep_spans_exact() {
        let sup = Value::Words(Arc::new(WordList::new(&["best", "fastest"]).unwrap()));
        let attr = Value::Words(Arc::new(WordList::new(&["coffee", "laptop"]).unwrap()));
        let re = phrase(&[sup, Value::Number(2.0), attr]).unwrap();
        assert_eq!(found(&re, "The best coffee in town"), ["best coffee"]);
        assert_eq!(
            found(&re, "the best ground roast coffee"),
            ["best ground roast coffee"]
        );
        assert!(found(&re, "the best of three very big coffee").is_empty());
        assert!(found(&re, "Do your best. Coffee is here").is_empty());
        let neg = Value::Words(Arc::new(WordList::new(&["isn't"]).unwrap()));
        let fast = Value::Words(Arc::new(WordList::new(&["same-day"]).unwrap()));
        let re = phrase(&[neg, Value::Number(1.0), fast, Value::Number(3.0)]).unwrap();
        assert_eq!(
            found(&re, "Delivery isn't same-day, but it is packed. Next"),
            ["isn't same-day, but it is"]
        );
        assert_eq!(found(&re, "It isn't same-day."), ["isn't same-day"]);
        assert!(found(&re, "bestcoffee").is_empty());
    }
}
