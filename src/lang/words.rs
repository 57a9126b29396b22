//! Word lists (whole words and phrases, matched case-insensitively) and the word tokens of a
//! text.

#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use super::fold::{Edges, Entry, alternation, fold, words_pattern};
use crate::chars::*;
use regex::{Regex, RegexBuilder};
use std::sync::OnceLock;

/// The longest pattern a word list may make (some 200,000 entries of ordinary words).
const MAX_SOURCE: usize = 8 << 20;
use std::collections::HashMap;
use std::ops::Range;

// ---------------------------------------------------------------------------
// Word lists
// ---------------------------------------------------------------------------

/// A list of words/phrases, compiled once on first use, matched as whole words,
/// case-insensitively.
///
/// A match may not be preceded or followed by a letter or digit where the
/// entry itself starts or ends with a letter or digit; entries starting or
/// ending with other characters (`"100%"`, `"#1"`, `"£"`) need no boundary on
/// that side. Whitespace inside an entry matches any run of whitespace,
/// including line breaks, and straight and curly apostrophes are
/// interchangeable. All entries are compiled into a single regex.
#[derive(Debug, Clone)]
pub struct WordList {
    entries: Vec<String>,
    /// The pattern the entries make (`None` for an empty list).
    source: Option<String>,
    /// A pattern that matches wherever `source` does, cheaper to compile, for filters.
    filter_source: Option<String>,
    /// The pattern compiled, on first use: a list used only as a part of phrases, or ruled
    /// out by a filter, is never compiled.
    regex: OnceLock<Option<Regex>>,
    /// `filter_source` compiled, on first use: on a text of ASCII characters alone it
    /// matches exactly where `source` does (its boundary differs only on letters and digits
    /// outside ASCII), and it is far cheaper to compile.
    ascii_regex: OnceLock<Option<Regex>>,
    /// The entries as a part of phrases, written once for all the phrases they are in.
    phrase_part: OnceLock<String>,
    /// Entry indices for each normalised entry (see `entry_key`).
    by_key: HashMap<String, Vec<usize>>,
}

/// Normalised form used to merge equivalent entries and to identify which
/// entry a match came from.
fn entry_key(entry: &str) -> String {
    let mut key = String::new();
    let mut in_space = false;
    for c in entry.chars() {
        if c.is_whitespace() {
            in_space = true;
            continue;
        }
        if in_space && !key.is_empty() {
            key.push(' ');
        }
        in_space = false;
        if is_apostrophe(c) {
            key.push('\'');
        } else {
            key.extend(c.to_lowercase());
        }
    }
    key
}

/// Whether two characters are equal ignoring case.
fn same_ignoring_case(a: char, b: char) -> bool {
    a == b || a.to_lowercase().eq(b.to_lowercase()) || a.to_uppercase().eq(b.to_uppercase())
}

/// A text with one space on each side, so that every word-list match can consume exactly one
/// boundary character before and after the entry, and folded (see [`fold`]): word lists
/// match it with lower-case literals. Made once per text for all lists.
pub(crate) struct Padded(String);

impl Padded {
    /// Pads and folds `text`.
    pub(crate) fn new(text: &str) -> Padded {
        Padded(format!(" {} ", fold(text)))
    }

    /// The padded, folded text.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// One distinct entry of a list.
struct Alternative {
    chars: usize,
    entry: Entry,
    lead_alnum: bool,
}

/// Boundary consumed next to an entry edge that is a letter or digit.
const NOT_ALNUM: &str = r"[^\p{Alphabetic}\p{N}]";
/// What a filter consumes there instead: any character but an ASCII letter or digit (in a
/// folded text), which takes every boundary [`NOT_ALNUM`] takes and is far cheaper to compile.
const NOT_ASCII_ALNUM: &str = r"[^0-9a-z]";
/// Any single character (consumed where no boundary is required).
const ANY_CHAR: &str = r"(?s:.)";

/// Alternation of `alts` (already in preference order), each followed by exactly one
/// boundary character. Neighbouring alternatives with the same kind of boundary share it
/// (a large class compiled once, not once per entry), which keeps the preference order.
fn runs(alts: &[&Alternative], not_alnum: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for run in alts.chunk_by(|a, b| a.entry.trail_alnum == b.entry.trail_alnum) {
        let entries: Vec<&Entry> = run.iter().map(|a| &a.entry).collect();
        let trail = if run.first().is_some_and(|a| a.entry.trail_alnum) {
            not_alnum
        } else {
            ANY_CHAR
        };
        parts.push(format!(
            "{}{trail}",
            alternation(&entries, Edges::Outside, "")
        ));
    }
    parts.join("|")
}

impl WordList {
    /// Build from entries like "guaranteed", "100%", "#1", "best in class", "no hidden fees", "UK's leading", "3x".
    /// Returns Err(message) for an empty (or whitespace-only) entry; the only
    /// other error is a list too large for the regex size limit (far beyond
    /// thousands of entries).
    pub fn new<S: AsRef<str>>(entries: &[S]) -> Result<WordList, String> {
        let entries: Vec<String> = entries.iter().map(|e| e.as_ref().to_string()).collect();
        let mut alternatives: Vec<Alternative> = Vec::new();
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (idx, entry) in entries.iter().enumerate() {
            let trimmed = entry.trim();
            let Some(first) = trimmed.chars().next() else {
                return Err(format!(
                    "word list entry {} is empty",
                    idx.saturating_add(1)
                ));
            };
            let key = entry_key(trimmed);
            if let Some(indices) = by_key.get_mut(&key) {
                indices.push(idx);
                continue;
            }
            alternatives.push(Alternative {
                chars: key.chars().count(),
                entry: Entry::new(trimmed),
                lead_alnum: is_alnum(first),
            });
            by_key.insert(key, vec![idx]);
        }
        // Longest first; the sort is stable so ties keep their given order.
        alternatives.sort_by_key(|a| std::cmp::Reverse(a.chars));
        // Every alternative consumes one character before and one after the
        // entry. Entries starting with a letter or digit and those starting
        // with anything else can never match at the same place, so grouping
        // them by their leading boundary keeps the longest-first order.
        let (alnum_lead, other_lead): (Vec<&Alternative>, Vec<&Alternative>) =
            alternatives.iter().partition(|a| a.lead_alnum);
        // The exact pattern, and the same with a cheaper boundary for filters.
        let pattern = |not_alnum: &str| {
            let mut branches = Vec::new();
            if !alnum_lead.is_empty() {
                branches.push(format!("{not_alnum}(?:{})", runs(&alnum_lead, not_alnum)));
            }
            if !other_lead.is_empty() {
                branches.push(format!("{ANY_CHAR}(?:{})", runs(&other_lead, not_alnum)));
            }
            (!branches.is_empty()).then(|| format!("(?:{})", branches.join("|")))
        };
        // Entries are escaped, so the pattern is always valid; only its size can be too
        // much, and that is known from its length.
        let source = pattern(NOT_ALNUM);
        if let Some(source) = &source {
            if source.len() > MAX_SOURCE {
                return Err(format!(
                    "cannot compile word list: its {} entries make a pattern of {} characters, more than {MAX_SOURCE}",
                    entries.len(),
                    source.len()
                ));
            }
        }
        let filter_source = pattern(NOT_ASCII_ALNUM);
        Ok(WordList {
            entries,
            source,
            filter_source,
            regex: OnceLock::new(),
            ascii_regex: OnceLock::new(),
            phrase_part: OnceLock::new(),
            by_key,
        })
    }

    /// A pattern that matches a [`Padded`] text wherever the list's does (and rarely
    /// elsewhere: next to a letter or digit outside ASCII), for filters; `None` for an empty
    /// list.
    pub(crate) fn filter_source(&self) -> Option<&str> {
        self.filter_source.as_deref()
    }

    /// The compiled pattern for a padded text, compiled on first use: the cheap one for a
    /// text of ASCII characters alone, the exact one otherwise.
    fn regex(&self, padded: &Padded) -> Option<&Regex> {
        let (source, compiled) = if padded.0.is_ascii() {
            (&self.filter_source, &self.ascii_regex)
        } else {
            (&self.source, &self.regex)
        };
        let source = source.as_deref()?;
        compiled
            .get_or_init(|| {
                RegexBuilder::new(source)
                    .size_limit(1 << 28)
                    .dfa_size_limit(1 << 26)
                    .build()
                    .ok()
            })
            .as_ref()
    }

    /// The entries' pattern as a part of a phrase, matched in a folded text (see
    /// `fold::words_pattern`).
    pub(crate) fn phrase_part(&self) -> &str {
        self.phrase_part
            .get_or_init(|| words_pattern(&self.entries))
    }

    /// The entries as given.
    pub(crate) fn entries(&self) -> &[String] {
        &self.entries
    }

    /// Matches as byte ranges in `text`.
    fn matches(&self, text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        self.find_in_padded(&Padded::new(text), &mut out);
        out
    }

    /// Adds the matches in a padded text to `out`, as byte ranges into the unpadded text.
    pub(crate) fn find_in_padded(&self, padded: &Padded, out: &mut Vec<Range<usize>>) {
        let Some(re) = self.regex(padded) else {
            return;
        };
        let text_len = padded.0.len().saturating_sub(2);
        let padded = padded.0.as_str();
        let mut from = 0;
        while from <= padded.len() {
            let Some(m) = re.find_at(padded, from) else {
                break;
            };
            let matched = m.as_str();
            let first_len = matched.chars().next().map_or(1, char::len_utf8);
            let last_len = matched.chars().next_back().map_or(1, char::len_utf8);
            let inner_start = m.start().saturating_add(first_len);
            let inner_end = m.end().saturating_sub(last_len);
            let (Some(start), Some(end)) = (inner_start.checked_sub(1), inner_end.checked_sub(1))
            else {
                break;
            };
            if start >= end || end > text_len {
                break;
            }
            out.push(start..end);
            // Resume on the entry's last character so it can serve as the
            // next match's leading boundary.
            let entry_last = padded
                .get(..inner_end)
                .and_then(|p| p.chars().next_back())
                .map_or(1, char::len_utf8);
            let next = inner_end.saturating_sub(entry_last);
            if next <= from {
                break;
            }
            from = next;
        }
    }

    /// The entries (by index) that a matched piece of text stands for.
    fn entries_for(&self, matched: &str) -> Vec<usize> {
        let key = entry_key(matched);
        if let Some(indices) = self.by_key.get(&key) {
            return indices.clone();
        }
        // Case folding in the regex can differ slightly from lowercasing.
        let wanted: Vec<char> = key.chars().collect();
        self.by_key
            .iter()
            .filter(|(k, _)| {
                k.chars().count() == wanted.len()
                    && k.chars()
                        .zip(wanted.iter())
                        .all(|(a, &b)| same_ignoring_case(a, b))
            })
            .flat_map(|(_, v)| v.iter().copied())
            .collect()
    }

    /// All non-overlapping matches, leftmost-longest, as byte ranges into `text`.
    ///
    /// "Longest" means the longest entry wins among those matching at the
    /// same position.
    pub fn find_all(&self, text: &str) -> Vec<Range<usize>> {
        self.matches(text)
    }

    /// Whether any entry occurs.
    pub fn is_match(&self, text: &str) -> bool {
        let padded = Padded::new(text);
        self.regex(&padded)
            .is_some_and(|re| re.is_match(padded.as_str()))
    }

    /// Which entries (by index) occur at least once, in ascending order.
    ///
    /// Based on the matches of [`WordList::find_all`], so an entry hidden
    /// inside a longer overlapping match is not reported. Entries that differ
    /// only in case, spacing or apostrophe style are reported together.
    pub fn matched_entries(&self, text: &str) -> Vec<usize> {
        let mut found: Vec<usize> = self
            .matches(text)
            .into_iter()
            .filter_map(|r| text.get(r))
            .flat_map(|m| self.entries_for(m))
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}

// ---------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------

/// Word tokens of `text`, as byte ranges; [`word_at`] gives a token's lowercase form.
///
/// A word is a run of letters/digits; an apostrophe between letters joins
/// the parts ("don't" → "dont") except for a trailing "'s", which is dropped
/// ("UK's" → "uk").
pub(crate) fn word_ranges(text: &str) -> Vec<Range<usize>> {
    if text.is_ascii() {
        ascii_word_ranges(text.as_bytes())
    } else {
        unicode_word_ranges(text)
    }
}

/// [`word_ranges`] of any text.
fn unicode_word_ranges(text: &str) -> Vec<Range<usize>> {
    let cs = Chars::new(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        if !cs.at(i).is_some_and(is_alnum) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end;
        loop {
            let run_end = cs.run_end(i, is_alnum);
            end = run_end;
            i = run_end;
            if !cs.at(i).is_some_and(is_apostrophe) || !cs.at(i + 1).is_some_and(is_alnum) {
                break;
            }
            let tail_end = cs.run_end(i + 1, is_alnum);
            if cs.slice(i + 1, tail_end).eq_ignore_ascii_case("s") {
                i = tail_end;
                break;
            }
            i += 1;
        }
        out.push(cs.byte(start)..cs.byte(end));
    }
    out
}

/// [`word_ranges`] of an ASCII text, where every byte is a character.
fn ascii_word_ranges(b: &[u8]) -> Vec<Range<usize>> {
    let alnum = |i: usize| b.get(i).is_some_and(u8::is_ascii_alphanumeric);
    let run_end = |mut i: usize| {
        while alnum(i) {
            i += 1;
        }
        i
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !alnum(i) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end;
        loop {
            end = run_end(i);
            i = end;
            if b.get(i) != Some(&b'\'') || !alnum(i + 1) {
                break;
            }
            let tail_end = run_end(i + 1);
            if b.get(i + 1..tail_end)
                .is_some_and(|t| t.eq_ignore_ascii_case(b"s"))
            {
                i = tail_end;
                break;
            }
            i += 1;
        }
        out.push(start..end);
    }
    out
}

/// The lowercase form of the word token at `range` (from [`word_ranges`]): its letters and
/// digits, without the apostrophes that join its parts.
pub(crate) fn word_at(text: &str, range: &Range<usize>) -> String {
    let mut word = String::with_capacity(range.len());
    push_word(text, range, &mut word);
    word
}

/// Adds the lowercase form of the word token at `range` to `out`.
fn push_word(text: &str, range: &Range<usize>, out: &mut String) {
    for c in text.get(range.clone()).unwrap_or("").chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if is_alnum(c) {
            out.extend(c.to_lowercase());
        }
    }
}

/// The lowercase alphanumeric words of `text`, joined by single spaces, e.g. for comparing
/// the parts of a fact name such as `uptime_pct` with the words around a number.
///
/// Any character other than a letter or digit separates words (so `_` and
/// `-` split); apostrophes inside a word are dropped and a possessive "'s"
/// is removed ("UK's" → "uk", "don't" → "dont").
pub(crate) fn words_line(text: &str) -> String {
    let mut line = String::with_capacity(text.len());
    for r in word_ranges(text) {
        if !line.is_empty() {
            line.push(' ');
        }
        push_word(text, &r, &mut line);
    }
    line
}

#[cfg(test)]
#[allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]
mod tests {
    use super::*;

    // ----- Words -----

    #[test]
    fn ascii_words_are_read_as_any_text_is() {
        for text in [
            "",
            "UK's leading app, don't wait: it's 3x faster'",
            "'s 's' a'b ''x x'' 99.9% up-time_pct",
            "Bob's's end's",
        ] {
            assert_eq!(
                ascii_word_ranges(text.as_bytes()),
                unicode_word_ranges(text),
                "{text}"
            );
        }
        assert_eq!(words_line("The UK's  #1, don't"), "the uk 1 dont");
    }

    // ----- WordList -----

    fn list(entries: &[&str]) -> WordList {
        WordList::new(entries).unwrap()
    }

    fn found<'t>(wl: &WordList, text: &'t str) -> Vec<&'t str> {
        wl.find_all(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn wordlist_whole_words_only() {
        let wl = list(&["never", "every"]);
        assert!(wl.find_all("nevertheless everyone").is_empty());
        assert!(!wl.is_match("nevertheless everyone"));
        assert_eq!(
            found(&wl, "Never, ever, every time"),
            vec!["Never", "every"]
        );
        assert!(wl.find_all("unnever").is_empty());
        assert!(wl.find_all("never2").is_empty());
        assert!(wl.find_all("énever").is_empty());
        assert_eq!(found(&wl, "never_"), vec!["never"]);
    }

    #[test]
    fn wordlist_symbol_edges() {
        let wl = list(&["100%", "#1", "£", "3x"]);
        assert_eq!(found(&wl, "100% uptime"), vec!["100%"]);
        assert_eq!(found(&wl, "the #1 tool"), vec!["#1"]);
        assert_eq!(found(&wl, "from £20"), vec!["£"]);
        assert_eq!(found(&wl, "3x faster"), vec!["3x"]);
        assert!(wl.find_all("1100% more").is_empty());
        assert!(wl.find_all("#10 in the list").is_empty());
        assert!(wl.find_all("13x faster, 3xl").is_empty());
        assert_eq!(found(&wl, "100%#1"), vec!["100%", "#1"]);
        assert_eq!(found(&wl, "(100%)"), vec!["100%"]);
    }

    #[test]
    fn wordlist_case_insensitive_and_unicode() {
        let wl = list(&["guaranteed", "café", "ÉCOLE"]);
        assert_eq!(
            found(&wl, "GUARANTEED Guaranteed guaranteed"),
            vec!["GUARANTEED", "Guaranteed", "guaranteed"]
        );
        assert_eq!(found(&wl, "Le CAFÉ de l'école"), vec!["CAFÉ", "école"]);
    }

    #[test]
    fn wordlist_phrases_and_whitespace() {
        let wl = list(&["best in class", "no hidden fees"]);
        assert_eq!(
            found(&wl, "Best\n   in\tclass with no  hidden\r\nfees."),
            vec!["Best\n   in\tclass", "no  hidden\r\nfees"]
        );
        assert!(wl.find_all("best in classes").is_empty());
        assert!(wl.find_all("best inclass").is_empty());
        let padded = list(&["  best   in class  "]);
        assert_eq!(found(&padded, "the best in class"), vec!["best in class"]);
    }

    #[test]
    fn wordlist_apostrophes() {
        let wl = list(&["UK's leading"]);
        assert_eq!(found(&wl, "the UK’s leading app"), vec!["UK’s leading"]);
        assert_eq!(found(&wl, "the uk's  leading app"), vec!["uk's  leading"]);
        let curly = list(&["UK’s leading"]);
        assert_eq!(found(&curly, "the UK's leading app"), vec!["UK's leading"]);
    }

    #[test]
    fn wordlist_leftmost_longest_non_overlapping() {
        let wl = list(&["no hidden", "no hidden fees", "fees"]);
        assert_eq!(
            found(&wl, "no hidden fees, no hidden costs, fees"),
            vec!["no hidden fees", "no hidden", "fees"]
        );
        let wl = list(&["fast", "fast fast"]);
        assert_eq!(found(&wl, "fast fast fast"), vec!["fast fast", "fast"]);
        let wl = list(&["a"]);
        assert_eq!(wl.find_all("a a a").len(), 3);
        assert_eq!(wl.find_all("a,a a"), vec![0..1, 2..3, 4..5]);
        let wl = list(&["%"]);
        assert_eq!(wl.find_all("%%"), vec![0..1, 1..2]);
    }

    #[test]
    fn an_ascii_text_is_matched_with_the_cheap_boundary_and_finds_the_same() {
        let wl = list(&["never", "100%", "best in class", "#1"]);
        let text = "Never: the #1, best  in class 100% (never2, never_, 100%x)";
        assert_eq!(
            found(&wl, text),
            ["Never", "#1", "best  in class", "100%", "never", "100%"]
        );
        assert!(wl.ascii_regex.get().is_some() && wl.regex.get().is_none());
        // A text with a letter outside ASCII takes the exact boundary.
        assert_eq!(found(&wl, "énever never"), ["never"]);
        assert!(wl.regex.get().is_some());
    }

    #[test]
    fn wordlist_byte_ranges_with_unicode() {
        let wl = list(&["fast"]);
        let text = "très fast — ünd fast";
        let ranges = wl.find_all(text);
        assert_eq!(ranges.len(), 2);
        for r in ranges {
            assert_eq!(&text[r], "fast");
        }
    }

    #[test]
    fn wordlist_entries_and_matched_entries() {
        let wl = list(&["guaranteed", "Guaranteed", "100%", "never"]);
        assert_eq!(
            wl.entries(),
            &["guaranteed", "Guaranteed", "100%", "never"].map(String::from)
        );
        assert_eq!(wl.matched_entries("GUARANTEED 100% uptime"), vec![0, 1, 2]);
        assert_eq!(wl.matched_entries("nothing"), Vec::<usize>::new());
        assert_eq!(wl.matched_entries("never, never"), vec![3]);
    }

    #[test]
    fn wordlist_empty_entries() {
        assert!(WordList::new(&[""]).is_err());
        assert!(WordList::new(&["ok", "   "]).is_err());
        let empty = WordList::new::<&str>(&[]).unwrap();
        assert!(empty.find_all("anything").is_empty());
        assert!(!empty.is_match("anything"));
        assert!(empty.matched_entries("anything").is_empty());
        assert!(empty.entries().is_empty());
    }

    #[test]
    fn wordlist_regex_metacharacters_are_literal() {
        let wl = list(&["a.b", "(x)", "c++", "$5", "[ok]", "a|b", r"\d"]);
        assert!(!wl.is_match("axb"));
        assert_eq!(
            found(&wl, "a.b (x) c++ $5 [ok] a|b \\d"),
            vec!["a.b", "(x)", "c++", "$5", "[ok]", "a|b", "\\d"]
        );
    }

    #[test]
    fn wordlist_at_text_edges() {
        let wl = list(&["fast", "100%"]);
        assert_eq!(wl.find_all("fast"), vec![0..4]);
        assert_eq!(wl.find_all("100%"), vec![0..4]);
        assert!(wl.is_match("fast"));
        assert!(wl.find_all("").is_empty());
    }

    #[test]
    fn wordlist_large_list_compiles() {
        let entries: Vec<String> = (0..2000).map(|k| format!("claim number {k}")).collect();
        let wl = WordList::new(&entries).unwrap();
        assert_eq!(
            wl.matched_entries("we make claim number 1999 here"),
            vec![1999]
        );
        assert!(wl.matched_entries("claim number 19990").is_empty());
    }

    // ----- words -----

    #[test]
    fn words_line_splits_and_lowercases() {
        assert_eq!(words_line("uptime_pct"), "uptime pct");
        assert_eq!(
            words_line("99.99% Uptime, GUARANTEED!"),
            "99 99 uptime guaranteed"
        );
        assert_eq!(
            words_line("the UK's best; don't wait"),
            "the uk best dont wait"
        );
        assert_eq!(words_line("Café-Straße"), "café straße");
        assert_eq!(words_line("  -- "), "");
        assert_eq!(words_line(""), "");
    }
}
