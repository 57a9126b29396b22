//! One pass over a text to learn which of many patterns can match it.
//!
//! `matches(text, a, b, c, ...)` looks for every pattern in every text. The built-in claim
//! rule passes twenty-two, and most texts match one or two of them; scanning each text once
//! with all the patterns together, then only with those that matched, gives the same
//! matches for a fraction of the work.

use super::fold::Haystack;
use super::functions::{Patterns, patterns_of};
use super::lazy_regex::LazyRegex;
use super::value::Value;
use super::words::{Padded, WordList};
use regex::{RegexSet, RegexSetBuilder};
use std::sync::Arc;

/// The patterns of one `matches` call site, flattened and combined once. The built-in claim
/// rule passes every frame of the pack to each call; flattening them and checking the
/// filter against them for every text would cost more than the search itself.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The pattern arguments the plan was made from.
    args: Vec<Value<'static>>,
    /// Those arguments flattened, each with its frame.
    pub(crate) patterns: Patterns<'static>,
    /// The filter over them, when there are enough to gain.
    pub(crate) prefilter: Option<Prefilter>,
}

impl Plan {
    /// The plan of a call whose patterns are `args` (its arguments after the text).
    pub(crate) fn build(args: &[Value<'_>]) -> Plan {
        let args: Vec<Value<'static>> = args.iter().map(|a| a.clone().into_static()).collect();
        let patterns = patterns_of(args.iter().cloned());
        let prefilter = Prefilter::build(&patterns.values);
        Plan {
            args,
            patterns,
            prefilter,
        }
    }

    /// Whether the plan was made from these very arguments (the same compiled patterns, not
    /// merely equal ones), so it can stand for them.
    pub(crate) fn fits(&self, args: &[Value<'_>]) -> bool {
        self.args.len() == args.len() && self.args.iter().zip(args).all(|(a, b)| same(a, b))
    }
}

/// Whether two values are the very same patterns.
fn same(a: &Value<'_>, b: &Value<'_>) -> bool {
    match (a, b) {
        (Value::List(a), Value::List(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
        }
        (Value::Frame(a), Value::Frame(b)) => Arc::ptr_eq(a, b),
        (Value::Words(a), Value::Words(b)) => Arc::ptr_eq(a, b),
        (Value::Regex(a), Value::Regex(b)) => Arc::ptr_eq(a, b),
        (Value::Text(a, _), Value::Text(b, _)) => a == b,
        (Value::Number(a), Value::Number(b)) => a.to_bits() == b.to_bits(),
        (Value::Null, Value::Null) => true,
        _ => false,
    }
}

/// The patterns of one `matches` call, combined.
#[derive(Debug)]
pub(crate) struct Prefilter {
    /// The patterns the filter was built from (`None` for one it cannot filter). Holding
    /// them keeps their addresses from being reused by other patterns while the filter lives,
    /// so comparing addresses tells the very same patterns apart from any others.
    key: Vec<Option<Pattern>>,
    /// The `/pattern/`s, matched against the text as it is.
    regexes: Option<Set>,
    /// The phrases' first parts, matched against the folded text.
    folded: Option<Set>,
    /// The word lists, matched against the padded, folded text as each list is.
    words: Option<Set>,
}

/// A compiled pattern a filter was made of.
#[derive(Debug, Clone)]
enum Pattern {
    Regex(Arc<LazyRegex>),
    Words(Arc<WordList>),
}

impl Pattern {
    fn of(v: &Value<'_>) -> Option<Pattern> {
        match v {
            Value::Regex(r) => Some(Pattern::Regex(Arc::clone(r))),
            Value::Words(w) => Some(Pattern::Words(Arc::clone(w))),
            _ => None,
        }
    }

    /// Whether `v` is this very pattern (not merely an equal one).
    fn is(&self, v: &Value<'_>) -> bool {
        match (self, v) {
            (Pattern::Regex(a), Value::Regex(b)) => Arc::ptr_eq(a, b),
            (Pattern::Words(a), Value::Words(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// A set of patterns, each with the positions of the patterns it stands for.
type Set = (RegexSet, Vec<Vec<usize>>);

/// A set of the given sources with their pattern positions, when it compiles. A source given
/// more than once (the same first words of several phrases) is in the set once.
fn set<'a>(sources: impl Iterator<Item = (usize, &'a str)>) -> Option<Set> {
    let mut unique: Vec<&str> = Vec::new();
    let mut index: Vec<Vec<usize>> = Vec::new();
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, source) in sources {
        let k = *seen.entry(source).or_insert_with(|| {
            unique.push(source);
            index.push(Vec::new());
            unique.len() - 1
        });
        if let Some(positions) = index.get_mut(k) {
            positions.push(i);
        }
    }
    if unique.len() < 2 {
        return None;
    }
    RegexSetBuilder::new(unique)
        .size_limit(1 << 28)
        .dfa_size_limit(1 << 26)
        .build()
        .ok()
        .map(|s| (s, index))
}

impl Prefilter {
    /// Combines the compiled patterns among `patterns`; `None` when there are too few to gain.
    pub(crate) fn build(patterns: &[Value<'_>]) -> Option<Prefilter> {
        let regexes = set(patterns.iter().enumerate().filter_map(|(i, p)| match p {
            Value::Regex(r) if !r.is_folded() => Some((i, r.trigger())),
            _ => None,
        }));
        let folded = set(patterns.iter().enumerate().filter_map(|(i, p)| match p {
            Value::Regex(r) if r.is_folded() => Some((i, r.trigger())),
            _ => None,
        }));
        let words = set(patterns.iter().enumerate().filter_map(|(i, p)| match p {
            Value::Words(w) => w.filter_source().map(|s| (i, s)),
            _ => None,
        }));

        if regexes.is_none() && folded.is_none() && words.is_none() {
            return None;
        }
        Some(Prefilter {
            key: patterns.iter().map(Pattern::of).collect(),
            regexes,
            folded,
            words,
        })
    }

    /// Whether the filter was built from exactly these patterns.
    pub(crate) fn fits(&self, patterns: &[Value<'_>]) -> bool {
        self.key.len() == patterns.len()
            && self.key.iter().zip(patterns).all(|(k, p)| match k {
                Some(k) => k.is(p),
                None => Pattern::of(p).is_none(),
            })
    }

    /// For each pattern, whether it may match `text` (`padded` is the same text padded).
    /// A pattern the filter does not cover may always match.
    pub(crate) fn candidates(&self, text: &Haystack<'_>, padded: &Padded) -> Vec<bool> {
        let mut may = vec![true; self.key.len()];
        let mut rule_out = |found: &Option<Set>, haystack: &str| {
            if let Some((set, index)) = found {
                let hits = set.matches(haystack);
                for (k, positions) in index.iter().enumerate() {
                    if !hits.matched(k) {
                        for i in positions {
                            if let Some(m) = may.get_mut(*i) {
                                *m = false;
                            }
                        }
                    }
                }
            }
        };
        rule_out(&self.regexes, text.text());
        if self.folded.is_some() {
            rule_out(&self.folded, text.folded());
        }
        rule_out(&self.words, padded.as_str());
        may
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::functions::{World, compile_regex, find_matches};
    use crate::model::Model;
    use crate::source::Sources;

    fn patterns() -> Vec<Value<'static>> {
        let regex =
            |b: &str, f: &str| Value::Regex(Arc::new(compile_regex(b, f).expect("valid").into()));
        let words = |w: &[&str]| Value::Words(Arc::new(WordList::new(w).expect("valid")));
        vec![
            regex(r"\b\d+\s?%\s+uptime\b", "i"),
            words(&["guaranteed", "100%", "#1"]),
            regex(r"^starts", "m"),
            words(&["fastest", "number one"]),
            regex(r"(?x) \b faster \s+ than \b  # a comment", ""),
            Value::text("plain"),
        ]
    }

    fn found(text: &str, patterns: &[Value<'static>], filter: Option<&Prefilter>) -> Vec<String> {
        let model = Model::default();
        let sources = Sources::new();
        let world = World {
            model: &model,
            sources: &sources,
        };
        let patterns = crate::lang::functions::Patterns {
            values: patterns.to_vec(),
            frames: vec![None; patterns.len()],
        };
        find_matches(world, Value::text(text), &patterns, filter)
            .into_iter()
            .map(|m| match m {
                Value::Mention(m) => m.text.clone(),
                _ => String::new(),
            })
            .collect()
    }

    #[test]
    fn the_same_matches_with_and_without_the_filter() {
        let patterns = patterns();
        let filter = Prefilter::build(&patterns).expect("enough patterns to combine");
        for text in [
            "",
            "Guaranteed 99.9% UPTIME, the #1 choice",
            "starts here\nstarts again, faster than ever",
            "Number one, and 100% plain",
            "nothing to see",
            "Fastest? 100%!",
            "_guaranteed and éguaranteed, 100%x, ÜNumber one",
            "Guaranteedé",
        ] {
            assert_eq!(
                found(text, &patterns, Some(&filter)),
                found(text, &patterns, None),
                "{text}"
            );
        }
        assert_eq!(
            found("the #1 and fastest, plain", &patterns, Some(&filter)),
            ["#1", "fastest", "plain"]
        );
    }

    #[test]
    fn a_filter_serves_only_the_patterns_it_was_built_from() {
        let patterns = patterns();
        let filter = Prefilter::build(&patterns).expect("combined");
        assert!(filter.fits(&patterns));
        let others = self::patterns();
        assert!(!filter.fits(&others));
        // Used with other patterns, it is ignored rather than hiding their matches.
        assert_eq!(found("guaranteed", &others, Some(&filter)), ["guaranteed"]);
    }

    #[test]
    fn a_filter_is_never_used_for_patterns_made_after_it() {
        // Patterns built afresh for each evaluation (from an entity's own words) must not be
        // taken for the ones the filter was made of, even where the allocator would reuse
        // their place.
        let mut filter = None;
        for words in [["alpha", "beta"], ["gamma", "delta"]] {
            let patterns = vec![
                Value::Words(Arc::new(WordList::new(&words).expect("valid"))),
                Value::Words(Arc::new(WordList::new(&["never"]).expect("valid"))),
            ];
            let f = filter.get_or_insert_with(|| Prefilter::build(&patterns).expect("combined"));
            let used = f.fits(&patterns).then_some(&*f);
            assert_eq!(found(words[0], &patterns, used), [words[0]]);
        }
    }

    #[test]
    fn a_text_is_ruled_out_only_by_patterns_that_cannot_match() {
        let patterns = patterns();
        let filter = Prefilter::build(&patterns).expect("combined");
        let text = "the fastest";
        let may = filter.candidates(&Haystack::new(text), &Padded::new(text));
        assert_eq!(may, [false, false, false, true, false, true]);
    }
}
