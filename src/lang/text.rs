//! Text analysis helpers: whole-word phrase lists, number extraction and
//! mapping positions in decoded YAML scalars back to their source text.

#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use regex::{Regex, RegexBuilder};
use std::collections::HashMap;
use std::ops::Range;

// ---------------------------------------------------------------------------
// Shared character helpers
// ---------------------------------------------------------------------------

/// Apostrophe-like characters treated as equivalent.
const APOSTROPHES: [char; 4] = ['\'', '\u{2019}', '\u{2018}', '\u{02BC}'];

fn is_apostrophe(c: char) -> bool {
    APOSTROPHES.contains(&c)
}

/// Letters and digits (Unicode alphanumeric).
fn is_alnum(c: char) -> bool {
    c.is_alphanumeric()
}

/// Characters that glue a number into an identifier-like word.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whitespace that does not end a line.
fn is_hspace(c: char) -> bool {
    c.is_whitespace() && !is_line_break(c)
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// A text with random access to its characters by index.
struct Chars<'a> {
    text: &'a str,
    chars: Vec<(usize, char)>,
}

impl<'a> Chars<'a> {
    fn new(text: &'a str) -> Self {
        // One allocation: a text has at most as many characters as bytes.
        let mut chars = Vec::with_capacity(text.len());
        chars.extend(text.char_indices());
        Chars { text, chars }
    }

    fn len(&self) -> usize {
        self.chars.len()
    }

    /// The character at index `i`, if any.
    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|&(_, c)| c)
    }

    /// The character before index `i`, if any.
    fn before(&self, i: usize, n: usize) -> Option<char> {
        i.checked_sub(n).and_then(|p| self.at(p))
    }

    /// Byte offset of character index `i` (the text length past the end).
    fn byte(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.text.len(), |&(b, _)| b)
    }

    /// The text between two character indices.
    fn slice(&self, from: usize, to: usize) -> &'a str {
        self.text.get(self.byte(from)..self.byte(to)).unwrap_or("")
    }

    /// Index just past the run of characters starting at `i` that satisfy `f`.
    fn run_end(&self, mut i: usize, f: impl Fn(char) -> bool) -> usize {
        while self.at(i).is_some_and(&f) {
            i += 1;
        }
        i
    }

    /// Index of the start of the run of characters ending at `i` that satisfy `f`.
    fn run_start(&self, mut i: usize, f: impl Fn(char) -> bool) -> usize {
        while let Some(p) = i.checked_sub(1) {
            if self.at(p).is_some_and(&f) {
                i = p;
            } else {
                break;
            }
        }
        i
    }
}

// ---------------------------------------------------------------------------
// Word lists
// ---------------------------------------------------------------------------

/// Boundary required next to an entry edge that is a letter or digit.
const NOT_ALNUM: &str = r"(?-i:[^\p{Alphabetic}\p{N}])";
/// Any single character (used where no boundary is required).
const ANY_CHAR: &str = r"(?s-i:.)";

/// A list of words/phrases compiled once, matched as whole words, case-insensitively.
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
    regex: Option<Regex>,
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

/// Regex source for one (trimmed, non-empty) entry, without boundaries.
fn entry_pattern(entry: &str) -> String {
    let mut pat = String::new();
    let mut in_space = false;
    let mut buf = [0u8; 4];
    for c in entry.chars() {
        if c.is_whitespace() {
            if !in_space {
                pat.push_str(r"\s+");
            }
            in_space = true;
            continue;
        }
        in_space = false;
        if is_apostrophe(c) {
            pat.push_str("['\u{2019}\u{2018}\u{02BC}]");
        } else {
            pat.push_str(&regex::escape(c.encode_utf8(&mut buf)));
        }
    }
    pat
}

/// A text with one space on each side, so that every word-list match can consume exactly one
/// boundary character before and after the entry. Made once per text for all lists.
pub struct Padded(String);

impl Padded {
    /// Pads `text`.
    pub fn new(text: &str) -> Padded {
        Padded(format!(" {text} "))
    }

    /// The padded text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One distinct entry in the compiled alternation.
struct Alternative {
    chars: usize,
    pattern: String,
    lead_alnum: bool,
    trail_alnum: bool,
}

/// Alternation of `alts` (already in preference order), each followed by
/// exactly one boundary character. Neighbouring alternatives with the same
/// kind of boundary share it, which keeps the regex small without changing
/// which alternative is preferred.
fn alternation(alts: &[&Alternative]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let mut run_trail = false;
    for alt in alts {
        if alt.trail_alnum != run_trail && !run.is_empty() {
            let trail = if run_trail { NOT_ALNUM } else { ANY_CHAR };
            parts.push(format!("(?:{}){trail}", run.join("|")));
            run.clear();
        }
        run_trail = alt.trail_alnum;
        run.push(&alt.pattern);
    }
    if !run.is_empty() {
        let trail = if run_trail { NOT_ALNUM } else { ANY_CHAR };
        parts.push(format!("(?:{}){trail}", run.join("|")));
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
            let (Some(first), Some(last)) = (trimmed.chars().next(), trimmed.chars().next_back())
            else {
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
                pattern: entry_pattern(trimmed),
                lead_alnum: is_alnum(first),
                trail_alnum: is_alnum(last),
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
        let mut branches = Vec::new();
        if !alnum_lead.is_empty() {
            branches.push(format!("{NOT_ALNUM}(?:{})", alternation(&alnum_lead)));
        }
        if !other_lead.is_empty() {
            branches.push(format!("{ANY_CHAR}(?:{})", alternation(&other_lead)));
        }
        let regex = if branches.is_empty() {
            None
        } else {
            let source = format!("(?i)(?:{})", branches.join("|"));
            let built = RegexBuilder::new(&source)
                .size_limit(1 << 28)
                .dfa_size_limit(1 << 26)
                .build()
                .map_err(|e| format!("cannot compile word list: {e}"))?;
            Some(built)
        };
        Ok(WordList {
            entries,
            regex,
            by_key,
        })
    }

    /// The pattern the entries compile to, matched against a [`Padded`] text; `None` for an
    /// empty list.
    pub fn source(&self) -> Option<&str> {
        self.regex.as_ref().map(Regex::as_str)
    }

    /// The entries as given.
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// Matches as byte ranges in `text`.
    fn matches(&self, text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        self.find_in_padded(&Padded::new(text), &mut out);
        out
    }

    /// Adds the matches in a padded text to `out`, as byte ranges into the unpadded text.
    pub fn find_in_padded(&self, padded: &Padded, out: &mut Vec<Range<usize>>) {
        let Some(re) = &self.regex else {
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
        match &self.regex {
            Some(re) => re.is_match(&format!(" {text} ")),
            None => false,
        }
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
fn word_ranges(text: &str) -> Vec<Range<usize>> {
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
fn word_at(text: &str, range: &Range<usize>) -> String {
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
pub fn words_line(text: &str) -> String {
    let mut line = String::with_capacity(text.len());
    for r in word_ranges(text) {
        if !line.is_empty() {
            line.push(' ');
        }
        push_word(text, &r, &mut line);
    }
    line
}

// ---------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------

/// A number mentioned in a text, with its unit and qualifier.
///
/// Recognised forms (case-insensitive):
/// - plain numbers with optional thousands separators and decimals:
///   `2026`, `10,000`, `99.99`, `.5`;
/// - currency symbols `£`, `$`, `€` before the number (`£20`, `$1,200`) or
///   after it (`20€`, `20 €`), and the codes/names `GBP`/`pounds`,
///   `USD`/`dollars`, `EUR`/`euros` after it;
/// - scale suffixes `k` (thousand), `m`/`mn` (million), `b`/`bn` (billion)
///   attached to the number, and the words `thousand`, `million`, `billion`,
///   `trillion` after it; the scale is folded into `value` (`€5k` → 5000,
///   `1.5 million` → 1500000) and does not appear in `unit`;
/// - `%` (also `percent`, `per cent`), `x`/`×` multipliers, and time units
///   (`ms`, `s`, `minutes`, `hours`, `days`, `weeks`, `months`, `years`,
///   with common abbreviations such as `200ms`, `24h`, `5 mins`, `2 yrs`),
///   also hyphenated as in `30-day`;
/// - ranks: `#1` is the number 1 with unit `""`, and its range includes `#`.
///
/// Not numbers: digits glued to letters or `_` (`Q3`, `ISO27001`, `v2`,
/// `1st`, `2FA`), identifiers such as `ISO-27001`, `COVID-19` or `GPT-4`
/// (a hyphen after an all-capitals word or a word mixing letters and
/// digits), dotted versions like `1.2.3`, and the idiom `24/7` (`24/7/365`).
/// Other slash-separated numbers are separate mentions (`9/10` → 9 and 10).
///
/// Ranges such as `5-10 days`, `5–10%` or `5 to 10 days` (a hyphen or dash
/// without spaces, or a spaced "to") give two mentions;
/// the first takes the unit of the second when it has none (and the scale,
/// when its own value is smaller, so `5-10k` → 5000 and 10000), and a
/// currency symbol on the first carries over to the second (`£5-10`). An
/// inherited unit is not part of `range`. A leading `-` is never read as a
/// minus sign, so values are never negative. An attached `s` after a
/// four-digit number ending in 0 is a decade (`1990s` → 1990, unit `""`).
///
/// Qualifiers are recognised directly before the number (separated only by
/// spaces or tabs): "up to", "at least", "at most", "over", "more than",
/// "less than", "fewer than", "greater than", "no more than", "no less than",
/// "no fewer than", "under", "below", "above", "nearly", "almost", "around",
/// "about", "approximately", "approx", "roughly", "circa", "within", "from",
/// "only", "just", "starting at", "starting from", "upwards of",
/// "in excess of", "as little as", "as much as", "as fast as", "as quick as",
/// "as quickly as", "as low as", "as high as", "as few as", "as many as", and
/// "in" for time units only ("in 7 days", but not "in 2026"). The symbols
/// `~`/`≈` read as "around", `<` "less than", `>` "more than", `≤` "at most"
/// and `≥` "at least". After the number, `+` (as in `10,000+`) and "or more",
/// "or less", "or fewer" are qualifiers too ("+" normalises to "or more").
#[derive(Debug, Clone, PartialEq)]
pub struct NumberMention {
    /// The numeric value with any scale applied: 99.99 for "99.99%", 3 for
    /// "3x", 20 for "£20", 10000 for "10,000" or "10k".
    pub value: f64,
    /// Normalised unit: "%", "x", "ms", "s", "minutes", "hours", "days",
    /// "weeks", "months", "years", "£", "$", "€", or "" when none.
    pub unit: String,
    /// Normalised qualifier (lowercase, single spaces), such as "up to".
    pub qualifier: Option<String>,
    /// Byte range of the number with its unit/currency symbol, without the qualifier.
    pub range: Range<usize>,
    /// Byte range of the qualifier, if any.
    pub qualifier_range: Option<Range<usize>>,
    /// The text at `range`.
    pub text: String,
    /// Lowercase words (as in [`words_line`]) within 4 words before and after
    /// the mention, in text order, from the same sentence only. Sentences end
    /// at `!`, `?`, `…`, line breaks, and `.` unless a letter or digit
    /// follows it. Words belonging to any number mention, and this mention's
    /// qualifier, are left out and not counted.
    pub context: Vec<String>,
}

/// A number found by the scanner, positions in character indices.
#[derive(Debug, Clone)]
struct Found {
    start: usize,
    end: usize,
    base: f64,
    scale: f64,
    has_scale: bool,
    unit: &'static str,
    rank: bool,
    currency: bool,
}

enum Scan {
    Found(Found),
    /// Not a number; continue scanning at this character index.
    Skip(usize),
}

fn currency_symbol(c: char) -> Option<&'static str> {
    match c {
        '£' => Some("£"),
        '$' => Some("$"),
        '€' => Some("€"),
        _ => None,
    }
}

fn time_unit(word: &str) -> Option<&'static str> {
    Some(match word {
        "ms" | "msec" | "msecs" | "millisecond" | "milliseconds" => "ms",
        "sec" | "secs" | "second" | "seconds" => "s",
        "min" | "mins" | "minute" | "minutes" => "minutes",
        "hr" | "hrs" | "hour" | "hours" => "hours",
        "day" | "days" => "days",
        "wk" | "wks" | "week" | "weeks" => "weeks",
        "month" | "months" => "months",
        "yr" | "yrs" | "year" | "years" => "years",
        _ => return None,
    })
}

fn is_time_unit(unit: &str) -> bool {
    matches!(
        unit,
        "ms" | "s" | "minutes" | "hours" | "days" | "weeks" | "months" | "years"
    )
}

fn attached_scale(word: &str) -> Option<f64> {
    match word {
        "k" => Some(1e3),
        "m" | "mn" => Some(1e6),
        "b" | "bn" => Some(1e9),
        _ => None,
    }
}

fn spaced_scale(word: &str) -> Option<f64> {
    match word {
        "thousand" => Some(1e3),
        "million" | "mn" => Some(1e6),
        "billion" | "bn" => Some(1e9),
        "trillion" => Some(1e12),
        _ => None,
    }
}

fn attached_unit(word: &str) -> Option<&'static str> {
    match word {
        "x" => Some("x"),
        "s" => Some("s"),
        "h" => Some("hours"),
        "mo" | "mos" => Some("months"),
        _ => time_unit(word),
    }
}

fn spaced_unit(word: &str) -> Option<&'static str> {
    match word {
        "percent" | "pct" => Some("%"),
        "gbp" | "pound" | "pounds" => Some("£"),
        "usd" | "dollar" | "dollars" => Some("$"),
        "eur" | "euro" | "euros" => Some("€"),
        _ => time_unit(word),
    }
}

fn is_ascii_digit(c: char) -> bool {
    c.is_ascii_digit()
}

/// End of the identifier-like token containing character index `i`.
fn skip_token(cs: &Chars, i: usize) -> usize {
    let mut j = i;
    loop {
        j = cs.run_end(j, is_word_char);
        if matches!(cs.at(j), Some('.' | ',')) && cs.at(j + 1).is_some_and(is_word_char) {
            j += 1;
        } else {
            break;
        }
    }
    j.max(i + 1)
}

/// Whether the word before the hyphen at `hyphen` makes the following digits
/// part of an identifier ("ISO-27001", "COVID-19", "GPT-4", "SOC2-3").
fn hyphen_identifier(cs: &Chars, hyphen: usize) -> bool {
    let start = cs.run_start(hyphen, is_word_char);
    let word = cs.slice(start, hyphen);
    let upper = word.chars().any(char::is_uppercase);
    let lower = word.chars().any(char::is_lowercase);
    let alpha = word.chars().any(char::is_alphabetic);
    let digit = word.chars().any(char::is_numeric);
    (upper && !lower) || (alpha && digit)
}

/// A whole word of letters starting at `i`: (lowercase word, end index).
fn letters_at(cs: &Chars, i: usize) -> Option<(String, usize)> {
    let end = cs.run_end(i, char::is_alphabetic);
    if end == i || cs.at(end).is_some_and(is_word_char) {
        return None;
    }
    Some((cs.slice(i, end).to_lowercase(), end))
}

/// A scale word after horizontal whitespace at `i`.
fn spaced_scale_at(cs: &Chars, i: usize) -> Option<(f64, usize)> {
    let w = cs.run_end(i, is_hspace);
    if w == i {
        return None;
    }
    let (word, end) = letters_at(cs, w)?;
    spaced_scale(&word).map(|s| (s, end))
}

/// A unit after horizontal whitespace at `i`.
fn spaced_unit_at(cs: &Chars, i: usize) -> Option<(&'static str, usize)> {
    let w = cs.run_end(i, is_hspace);
    if w == i {
        return None;
    }
    // A currency symbol followed by digits belongs to the next number.
    let symbol = cs
        .at(w)
        .and_then(|c| currency_symbol(c).or((c == '%').then_some("%")))
        .filter(|&s| s == "%" || !cs.at(w + 1).is_some_and(is_ascii_digit));
    if let Some(sym) = symbol {
        return Some((sym, w + 1));
    }
    let (word, end) = letters_at(cs, w)?;
    if word == "per" {
        let c = cs.run_end(end, is_hspace);
        if c > end
            && let Some((cent, cent_end)) = letters_at(cs, c)
            && cent == "cent"
        {
            return Some(("%", cent_end));
        }
        return None;
    }
    spaced_unit(&word).map(|u| (u, end))
}

/// Try to read a number whose first digit is at character index `i`.
fn scan_number(cs: &Chars, i: usize) -> Scan {
    let prev = cs.before(i, 1);
    let prev2 = cs.before(i, 2);
    if prev.is_some_and(is_word_char) {
        return Scan::Skip(skip_token(cs, i));
    }
    let mut start = i;
    let mut unit: &'static str = "";
    let mut rank = false;
    let mut currency = false;
    let mut leading_dot = false;
    match prev {
        Some('#') => {
            if prev2.is_some_and(is_word_char) {
                return Scan::Skip(skip_token(cs, i));
            }
            start = i.saturating_sub(1);
            rank = true;
        }
        Some('.') if !prev2.is_some_and(|c| is_word_char(c) || c == '.') => {
            start = i.saturating_sub(1);
            leading_dot = true;
        }
        Some('-') if hyphen_identifier(cs, i.saturating_sub(1)) => {
            return Scan::Skip(skip_token(cs, i));
        }
        Some(c) => {
            if let Some(sym) = currency_symbol(c) {
                start = i.saturating_sub(1);
                unit = sym;
                currency = true;
            }
        }
        None => {}
    }

    let int_end = cs.run_end(i, is_ascii_digit);
    let mut j = int_end;
    if !leading_dot && !rank {
        if int_end.saturating_sub(i) <= 3 {
            while cs.at(j) == Some(',')
                && (1..=3).all(|k| cs.at(j + k).is_some_and(is_ascii_digit))
                && !cs.at(j + 4).is_some_and(is_ascii_digit)
            {
                j += 4;
            }
        }
        if cs.at(j) == Some('.') && cs.at(j + 1).is_some_and(is_ascii_digit) {
            j = cs.run_end(j + 1, is_ascii_digit);
        }
    }
    if cs.at(j) == Some('.') && cs.at(j + 1).is_some_and(is_ascii_digit) {
        // Dotted versions and addresses: 1.2.3, 10.0.0.1.
        return Scan::Skip(skip_token(cs, j));
    }
    let digits = cs.slice(i, j);

    if digits == "24"
        && !currency
        && !rank
        && !leading_dot
        && cs.at(j) == Some('/')
        && cs.at(j + 1) == Some('7')
    {
        let mut k = j + 2;
        if cs.at(k) == Some('/') && cs.slice(k + 1, k + 4) == "365" {
            k += 4;
        }
        if !cs.at(k).is_some_and(is_word_char) {
            return Scan::Skip(k);
        }
    }

    let mut number: String = digits.chars().filter(|&c| c != ',').collect();
    if leading_dot {
        number.insert_str(0, "0.");
    }
    let Ok(base) = number.parse::<f64>() else {
        return Scan::Skip(j.max(i + 1));
    };

    let mut found = Found {
        start,
        end: j,
        base,
        scale: 1.0,
        has_scale: false,
        unit,
        rank,
        currency,
    };
    if rank {
        if cs.at(j).is_some_and(is_word_char) {
            return Scan::Skip(skip_token(cs, j));
        }
        return Scan::Found(found);
    }

    let mut decade = false;
    match cs.at(j) {
        Some(c) if c.is_alphabetic() => {
            let k = cs.run_end(j, char::is_alphabetic);
            if cs.at(k).is_some_and(is_word_char) {
                return Scan::Skip(skip_token(cs, j));
            }
            let word = cs.slice(j, k).to_lowercase();
            if word == "s"
                && !currency
                && !leading_dot
                && digits.len() == 4
                && digits.ends_with('0')
                && digits.chars().all(is_ascii_digit)
            {
                decade = true;
                found.end = k;
            } else if let Some(scale) = attached_scale(&word) {
                found.scale = scale;
                found.has_scale = true;
                found.end = k;
            } else if let Some(u) = attached_unit(&word).filter(|_| !currency) {
                found.unit = u;
                found.end = k;
            } else {
                return Scan::Skip(skip_token(cs, j));
            }
        }
        Some('×') if !currency => {
            if cs.at(j + 1).is_some_and(is_ascii_digit) {
                return Scan::Skip(skip_token(cs, j + 1));
            }
            found.unit = "x";
            found.end = j + 1;
        }
        Some('%') if !currency => {
            found.unit = "%";
            found.end = j + 1;
        }
        Some(c)
            if !currency
                && currency_symbol(c).is_some()
                && !cs.at(j + 1).is_some_and(is_ascii_digit) =>
        {
            found.unit = currency_symbol(c).unwrap_or("");
            found.end = j + 1;
        }
        Some('-') if !currency && cs.at(j + 1).is_some_and(char::is_alphabetic) => {
            if let Some((word, k)) = letters_at(cs, j + 1)
                && let Some(u) = time_unit(&word)
            {
                found.unit = u;
                found.end = k;
            }
        }
        _ => {}
    }

    if found.end == j
        && let Some((scale, k)) = spaced_scale_at(cs, j)
    {
        found.scale = scale;
        found.has_scale = true;
        found.end = k;
    }
    if found.unit.is_empty()
        && !decade
        && let Some((u, k)) = spaced_unit_at(cs, found.end)
    {
        found.unit = u;
        found.end = k;
    }
    Scan::Found(found)
}

/// Whether the text between two numbers joins them into a range: an
/// unspaced hyphen or dash ("5-10", "5–10") or a spaced "to" ("5 to 10").
/// Spaced dashes are left alone, as they usually separate clauses.
fn is_range_join(between: &str) -> bool {
    let t = between.trim_matches(is_hspace);
    matches!(between, "-" | "–" | "—")
        || (t.eq_ignore_ascii_case("to")
            && between.starts_with(is_hspace)
            && between.ends_with(is_hspace))
}

/// Share units (and scales) between the two ends of ranges like "5-10 days".
fn join_ranges(cs: &Chars, found: &mut [Found]) {
    for k in 1..found.len() {
        let Some(prev) = k.checked_sub(1) else {
            continue;
        };
        let (Some(a), Some(b)) = (found.get(prev).cloned(), found.get(k).cloned()) else {
            continue;
        };
        if a.rank || b.rank || !is_range_join(cs.slice(a.end, b.start)) {
            continue;
        }
        if let Some(first) = found.get_mut(prev) {
            if a.unit.is_empty() && !b.unit.is_empty() {
                first.unit = b.unit;
            }
            if !a.has_scale && b.has_scale && a.base < b.base {
                first.scale = b.scale;
                first.has_scale = true;
            }
        }
        if let Some(second) = found.get_mut(k)
            && b.unit.is_empty()
            && a.currency
        {
            second.unit = a.unit;
        }
    }
}

const QUALIFIERS: &[&str] = &[
    "as little as",
    "as much as",
    "as fast as",
    "as quick as",
    "as quickly as",
    "as low as",
    "as high as",
    "as few as",
    "as many as",
    "no more than",
    "no less than",
    "no fewer than",
    "in excess of",
    "up to",
    "at least",
    "at most",
    "more than",
    "less than",
    "fewer than",
    "greater than",
    "starting at",
    "starting from",
    "upwards of",
    "over",
    "under",
    "below",
    "above",
    "nearly",
    "almost",
    "around",
    "about",
    "approximately",
    "approx",
    "roughly",
    "circa",
    "within",
    "from",
    "only",
    "just",
    "in",
];

/// Qualifier directly before character index `start`: (qualifier, char range).
fn prefix_qualifier(cs: &Chars, start: usize, unit: &str) -> Option<(String, Range<usize>)> {
    let p = cs.run_start(start, is_hspace);
    if let Some(sym_at) = p.checked_sub(1) {
        let symbol = match cs.at(sym_at) {
            Some('~' | '≈') => Some("around"),
            Some('<') => Some("less than"),
            Some('>') => Some("more than"),
            Some('≤') => Some("at most"),
            Some('≥') => Some("at least"),
            _ => None,
        };
        if let Some(q) = symbol {
            return Some((q.to_string(), sym_at..p));
        }
    }
    // Up to three words, nearest first.
    let mut words: Vec<Range<usize>> = Vec::new();
    let mut p = start;
    while words.len() < 3 {
        let q = cs.run_start(p, is_hspace);
        if q == p {
            break;
        }
        let w = cs.run_start(q, char::is_alphabetic);
        if w == q
            || cs
                .before(w, 1)
                .is_some_and(|c| is_word_char(c) || is_apostrophe(c))
        {
            break;
        }
        words.push(w..q);
        p = w;
    }
    for n in (1..=words.len()).rev() {
        let phrase: Vec<String> = words
            .iter()
            .take(n)
            .rev()
            .map(|r| cs.slice(r.start, r.end).to_lowercase())
            .collect();
        let phrase = phrase.join(" ");
        if QUALIFIERS.contains(&phrase.as_str()) && (phrase != "in" || is_time_unit(unit)) {
            let first = words.get(n.saturating_sub(1))?.start;
            let last = words.first()?.end;
            return Some((phrase, first..last));
        }
    }
    None
}

/// Qualifier directly after character index `end`: (qualifier, char range).
fn postfix_qualifier(cs: &Chars, end: usize) -> Option<(String, Range<usize>)> {
    if cs.at(end) == Some('+') && !cs.at(end + 1).is_some_and(is_ascii_digit) {
        return Some(("or more".to_string(), end..end + 1));
    }
    let w = cs.run_end(end, is_hspace);
    if w == end {
        return None;
    }
    let (or, or_end) = letters_at(cs, w)?;
    let m = cs.run_end(or_end, is_hspace);
    if or != "or" || m == or_end {
        return None;
    }
    let (word, word_end) = letters_at(cs, m)?;
    matches!(word.as_str(), "more" | "less" | "fewer").then(|| (format!("or {word}"), w..word_end))
}

/// Byte positions that end a sentence.
fn sentence_breaks(cs: &Chars) -> Vec<usize> {
    let mut out = Vec::new();
    for (k, &(b, c)) in cs.chars.iter().enumerate() {
        let end = match c {
            '!' | '?' | '…' => true,
            '.' => !cs.at(k + 1).is_some_and(is_alnum),
            c => is_line_break(c),
        };
        if end {
            out.push(b);
        }
    }
    out
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Every number in `text`. See [`NumberMention`] for the forms recognised.
pub fn numbers(text: &str) -> Vec<NumberMention> {
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    let cs = Chars::new(text);
    let mut found = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        if !cs.at(i).is_some_and(is_ascii_digit) {
            i += 1;
            continue;
        }
        match scan_number(&cs, i) {
            Scan::Found(f) => {
                i = f.end.max(i + 1);
                found.push(f);
            }
            Scan::Skip(next) => i = next.max(i + 1),
        }
    }
    join_ranges(&cs, &mut found);
    if found.is_empty() {
        return Vec::new();
    }

    let spans: Vec<Range<usize>> = found
        .iter()
        .map(|f| cs.byte(f.start)..cs.byte(f.end))
        .collect();
    let breaks = sentence_breaks(&cs);
    let sentence_of = |pos: usize| breaks.partition_point(|&b| b < pos);
    let words = word_ranges(text);
    let in_number: Vec<bool> = words
        .iter()
        .map(|w| {
            let k = spans.partition_point(|s| s.end <= w.start);
            spans.get(k).is_some_and(|s| overlaps(s, w))
        })
        .collect();

    let mut out = Vec::with_capacity(found.len());
    for (f, range) in found.iter().zip(spans.iter()) {
        let qualifier = prefix_qualifier(&cs, f.start, f.unit)
            .or_else(|| postfix_qualifier(&cs, f.end))
            .map(|(q, r)| (q, cs.byte(r.start)..cs.byte(r.end)));
        let q_range = qualifier.as_ref().map(|(_, r)| r.clone());
        let skip = |k: usize| {
            in_number.get(k).copied().unwrap_or(true)
                || words
                    .get(k)
                    .zip(q_range.as_ref())
                    .is_some_and(|(w, q)| overlaps(w, q))
        };
        let sentence = sentence_of(range.start);
        let first_after = words.partition_point(|w| w.start < range.end);
        let mut before = Vec::new();
        let mut k = words.partition_point(|w| w.end <= range.start);
        while before.len() < 4 {
            let Some(prev) = k.checked_sub(1) else { break };
            k = prev;
            let Some(w) = words.get(k) else { break };
            if sentence_of(w.start) != sentence {
                break;
            }
            if !skip(k) {
                before.push(word_at(text, w));
            }
        }
        before.reverse();
        let mut after = Vec::new();
        let mut k = first_after;
        while after.len() < 4 {
            let Some(w) = words.get(k) else { break };
            if sentence_of(w.start) != sentence {
                break;
            }
            if !skip(k) {
                after.push(word_at(text, w));
            }
            k += 1;
        }
        before.extend(after);
        out.push(NumberMention {
            value: f.base * f.scale,
            unit: f.unit.to_string(),
            qualifier: qualifier.map(|(q, _)| q),
            range: range.clone(),
            qualifier_range: q_range,
            text: text.get(range.clone()).unwrap_or("").to_string(),
            context: before,
        });
    }
    out
}

// ---------------------------------------------------------------------------
// YAML scalar positions
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq)]
enum Style {
    /// Plain, literal (`|`) or folded (`>`) scalars.
    Unquoted,
    Single,
    Double,
}

/// Whitespace in raw scalar source.
fn is_raw_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Whitespace in a decoded value that may come from raw whitespace.
fn is_value_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n')
}

/// Walks a raw scalar and its decoded value together, recording for every
/// value character the raw byte range it came from.
struct Aligner<'a> {
    raw: Chars<'a>,
    value: Chars<'a>,
    style: Style,
    /// Character index where the raw content ends (before a closing quote).
    content_end: usize,
    i: usize,
    j: usize,
    /// The previous raw item was an escaped line break.
    after_escaped_break: bool,
    /// (value byte offset, raw byte range) per value character, in order.
    map: Vec<(usize, Range<usize>)>,
}

impl<'a> Aligner<'a> {
    /// An aligner reading `raw` in the given style, or None when `raw`
    /// cannot be a scalar of that style.
    fn new(raw: &'a str, value: &'a str, style: Style) -> Option<Self> {
        let raw = Chars::new(raw);
        let value = Chars::new(value);
        let (i, content_end) = match style {
            Style::Unquoted => (0, raw.len()),
            Style::Single | Style::Double => {
                let quote = if style == Style::Double { '"' } else { '\'' };
                let last = raw.len().checked_sub(1)?;
                if last == 0 || raw.at(0) != Some(quote) || raw.at(last) != Some(quote) {
                    return None;
                }
                (1, last)
            }
        };
        Some(Aligner {
            raw,
            value,
            style,
            content_end,
            i,
            j: 0,
            after_escaped_break: false,
            map: Vec::new(),
        })
    }

    fn raw_at(&self, i: usize) -> Option<char> {
        if i < self.content_end {
            self.raw.at(i)
        } else {
            None
        }
    }

    /// Map the current value character to raw characters `from..to`.
    fn emit(&mut self, from: usize, to: usize) {
        let span = self.raw.byte(from)..self.raw.byte(to);
        self.map.push((self.value.byte(self.j), span));
        self.j += 1;
    }

    /// Map the current value character, which must be `c`, to raw `from..to`.
    fn expect(&mut self, c: char, from: usize, to: usize) -> Option<()> {
        if self.value.at(self.j) != Some(c) {
            return None;
        }
        self.emit(from, to);
        Some(())
    }

    fn run(mut self) -> Option<Vec<(usize, Range<usize>)>> {
        while let Some(c) = self.raw_at(self.i) {
            let i = self.i;
            if self.style == Style::Single && c == '\'' {
                if self.raw_at(i + 1) != Some('\'') {
                    return None;
                }
                self.expect('\'', i, i + 2)?;
                self.i = i + 2;
                self.after_escaped_break = false;
            } else if self.style == Style::Double && c == '\\' {
                self.escape()?;
            } else if is_raw_space(c) {
                self.whitespace()?;
                self.after_escaped_break = false;
            } else {
                self.expect(c, i, i + 1)?;
                self.i = i + 1;
                self.after_escaped_break = false;
            }
        }
        (self.i == self.content_end && self.j == self.value.len()).then_some(self.map)
    }

    /// A backslash escape in a double-quoted scalar.
    fn escape(&mut self) -> Option<()> {
        let i = self.i;
        let code = self.raw_at(i + 1)?;
        let simple = match code {
            '0' => Some('\0'),
            'a' => Some('\u{07}'),
            'b' => Some('\u{08}'),
            't' | '\t' => Some('\t'),
            'n' => Some('\n'),
            'v' => Some('\u{0B}'),
            'f' => Some('\u{0C}'),
            'r' => Some('\r'),
            'e' => Some('\u{1B}'),
            ' ' => Some(' '),
            '"' => Some('"'),
            '/' => Some('/'),
            '\\' => Some('\\'),
            'N' => Some('\u{85}'),
            '_' => Some('\u{A0}'),
            'L' => Some('\u{2028}'),
            'P' => Some('\u{2029}'),
            _ => None,
        };
        if let Some(produced) = simple {
            self.expect(produced, i, i + 2)?;
            self.i = i + 2;
            self.after_escaped_break = false;
            return Some(());
        }
        let hex_len = match code {
            'x' => 2,
            'u' => 4,
            'U' => 8,
            '\n' | '\r' => {
                // Escaped line break: the break and the next line's leading
                // blanks produce nothing.
                let mut k = i + 2;
                if code == '\r' && self.raw_at(k) == Some('\n') {
                    k += 1;
                }
                while matches!(self.raw_at(k), Some(' ' | '\t')) {
                    k += 1;
                }
                self.i = k;
                self.after_escaped_break = true;
                return Some(());
            }
            _ => return None,
        };
        let digits_end = i + 2 + hex_len;
        if digits_end > self.content_end {
            return None;
        }
        let digits = self.raw.slice(i + 2, digits_end);
        if digits.chars().count() != hex_len || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let produced = u32::from_str_radix(digits, 16)
            .ok()
            .and_then(char::from_u32)?;
        self.expect(produced, i, digits_end)?;
        self.i = digits_end;
        self.after_escaped_break = false;
        Some(())
    }

    /// A run of raw spaces, tabs and line breaks.
    fn whitespace(&mut self) -> Option<()> {
        let start = self.i;
        // Segments of blanks between line breaks, and the breaks themselves.
        let mut segments: Vec<Range<usize>> = Vec::new();
        let mut breaks: Vec<Range<usize>> = Vec::new();
        let mut seg_start = start;
        let mut k = start;
        while let Some(c) = self.raw_at(k) {
            if !is_raw_space(c) {
                break;
            }
            if c == '\n' || c == '\r' {
                let len = if c == '\r' && self.raw_at(k + 1) == Some('\n') {
                    2
                } else {
                    1
                };
                segments.push(seg_start..k);
                breaks.push(k..k + len);
                k += len;
                seg_start = k;
            } else {
                k += 1;
            }
        }
        let end = k;
        segments.push(seg_start..end);
        self.i = end;

        let v_start = self.j;
        let v_end = self.value.run_end(v_start, is_value_space);
        let vws: Vec<char> = self.value.slice(v_start, v_end).chars().collect();

        // Trailing whitespace of a plain or block scalar: chomping may keep
        // any number of the final line breaks.
        if self.style == Style::Unquoted && end == self.content_end {
            if v_end != self.value.len() {
                return None;
            }
            for _ in &vws {
                self.emit(start, end);
            }
            return Some(());
        }

        let first = segments.first()?.clone();
        let first_chars: Vec<char> = self.raw.slice(first.start, first.end).chars().collect();

        if breaks.is_empty() {
            // Blanks within a line are content.
            if !vws.starts_with(&first_chars) {
                return None;
            }
            for k in first.clone() {
                self.emit(k, k + 1);
            }
            return Some(());
        }

        let n = breaks.len();
        let folded: Vec<char> = if self.after_escaped_break {
            vec!['\n'; n]
        } else if n == 1 {
            vec![' ']
        } else {
            vec!['\n'; n.saturating_sub(1)]
        };
        let mut kept = first_chars.clone();
        kept.extend(&folded);

        if vws == folded {
            for _ in &folded {
                self.emit(start, end);
            }
            return Some(());
        }
        if vws == kept {
            for k in first.clone() {
                self.emit(k, k + 1);
            }
            for _ in &folded {
                self.emit(first.end, end);
            }
            return Some(());
        }
        let next_is_escape = self.style == Style::Double && self.raw_at(end) == Some('\\');
        if next_is_escape && vws.starts_with(&folded) {
            for _ in &folded {
                self.emit(start, end);
            }
            return Some(());
        }
        if self.style == Style::Unquoted {
            return self.literal_lines(&segments, &breaks, &vws);
        }
        None
    }

    /// Map value whitespace line by line onto raw lines, as in literal block
    /// scalars and the more-indented lines of folded ones: the first line's
    /// blanks are kept from the left, later lines keep the right-most blanks
    /// (the rest is indentation), and each value line break is a raw one.
    fn literal_lines(
        &mut self,
        segments: &[Range<usize>],
        breaks: &[Range<usize>],
        vws: &[char],
    ) -> Option<()> {
        let lines: Vec<&[char]> = vws.split(|&c| c == '\n').collect();
        if lines.len() != segments.len() {
            return None;
        }
        for (n, (line, seg)) in lines.iter().zip(segments.iter()).enumerate() {
            if n > 0 {
                let br = breaks.get(n.checked_sub(1)?)?;
                self.expect('\n', br.start, br.end)?;
            }
            let seg_chars: Vec<char> = self.raw.slice(seg.start, seg.end).chars().collect();
            let from = if n == 0 {
                if !seg_chars.starts_with(line) {
                    return None;
                }
                seg.start
            } else {
                if !seg_chars.ends_with(line) {
                    return None;
                }
                seg.end.checked_sub(line.len())?
            };
            for k in from..from + line.len() {
                self.emit(k, k + 1);
            }
        }
        Some(())
    }
}

/// Maps positions in a YAML scalar's decoded value back to its raw source text.
///
/// `raw` is the exact source slice of the scalar as written in the YAML file
/// (for quoted scalars it includes the quotes; for block scalars `|`/`>` it
/// starts at the first content character and runs through the trailing line
/// break/indentation; for plain multi-line scalars it includes the line
/// breaks and indentation), and `value` is the decoded string the YAML parser
/// produced. Returns, for a byte range in `value`, the corresponding byte
/// range in `raw`, or None if the two cannot be aligned or `range` is not a
/// valid range of character boundaries in `value`.
///
/// Each value character maps to the raw text it came from: an escape
/// sequence maps to the whole sequence, a `''` to both quotes, and a space or
/// line break produced by line folding to the whole run of raw whitespace it
/// replaced. A range therefore starts at the raw position of its first
/// character and ends after the raw text of its last one, so a word maps to
/// exactly that word's raw characters. An empty range maps to an empty range
/// at the corresponding raw position.
pub fn value_range_to_raw(raw: &str, value: &str, range: Range<usize>) -> Option<Range<usize>> {
    ScalarMap::new(raw, value)?.range(value, range)
}

/// A raw scalar aligned with its decoded value once, for mapping many ranges: each
/// [`ScalarMap::range`] is a binary search, so the words of a long text are located in
/// linear time overall rather than one walk of the whole text per word.
#[derive(Debug, Clone)]
pub struct ScalarMap {
    content_start: usize,
    /// (value byte offset, raw byte range) per value character, in order; empty when the
    /// value is written exactly as it reads (`verbatim`).
    map: Vec<(usize, Range<usize>)>,
    /// The raw scalar is the value itself (a plain scalar on one line, most often), so a
    /// range of the value is the same range of the source.
    verbatim: bool,
}

impl ScalarMap {
    /// Aligns a raw scalar with its decoded value; None if they cannot be aligned.
    pub fn new(raw: &str, value: &str) -> Option<ScalarMap> {
        // A plain scalar, or a block scalar of one line (its span runs on over the line
        // break and the next line's indentation).
        if raw
            .strip_prefix(value)
            .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_whitespace()))
        {
            return Some(ScalarMap {
                content_start: 0,
                map: Vec::new(),
                verbatim: true,
            });
        }
        // A block scalar's content may itself start with a quote, so a quoted
        // reading that fails to align is retried as unquoted.
        let styles: &[Style] = match raw.chars().next() {
            Some('"') => &[Style::Double, Style::Unquoted],
            Some('\'') => &[Style::Single, Style::Unquoted],
            _ => &[Style::Unquoted],
        };
        styles.iter().find_map(|&style| {
            let aligner = Aligner::new(raw, value, style)?;
            let content_start = aligner.raw.byte(aligner.i);
            aligner.run().map(|map| ScalarMap {
                content_start,
                map,
                verbatim: false,
            })
        })
    }

    /// The raw range of a byte range of `value` (the value the map was built from); see
    /// [`value_range_to_raw`].
    pub fn range(&self, value: &str, range: Range<usize>) -> Option<Range<usize>> {
        if range.start > range.end
            || range.end > value.len()
            || !value.is_char_boundary(range.start)
            || !value.is_char_boundary(range.end)
        {
            return None;
        }
        if self.verbatim {
            return Some(range);
        }
        let map = &self.map;
        let find = |b: usize| {
            map.binary_search_by_key(&b, |e| e.0)
                .ok()
                .and_then(|k| map.get(k))
        };
        if range.start == range.end {
            if let Some((_, span)) = find(range.start) {
                return Some(span.start..span.start);
            }
            let pos = map.last().map_or(self.content_start, |(_, span)| span.end);
            return (range.start == value.len()).then_some(pos..pos);
        }
        let start = find(range.start)?.1.start;
        let last = value.get(..range.end)?.char_indices().next_back()?.0;
        let end = find(last)?.1.end;
        (start <= end).then_some(start..end)
    }
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

    // ----- numbers -----

    fn one(text: &str) -> NumberMention {
        let all = numbers(text);
        assert_eq!(all.len(), 1, "{text:?}: {all:#?}");
        let m = all.into_iter().next().unwrap();
        assert_eq!(&text[m.range.clone()], m.text);
        m
    }

    fn summary(text: &str) -> Vec<(f64, String, Option<String>, String)> {
        numbers(text)
            .into_iter()
            .map(|m| (m.value, m.unit, m.qualifier, m.text))
            .collect()
    }

    fn s(v: &str) -> String {
        v.to_string()
    }

    #[test]
    fn numbers_percent() {
        let m = one("99.99% uptime");
        assert_eq!(m.value, 99.99);
        assert_eq!(m.unit, "%");
        assert_eq!(m.text, "99.99%");
        assert_eq!(m.range, 0..6);
        assert_eq!(m.qualifier, None);
        assert_eq!(m.context, vec!["uptime"]);
        let m = one("70% less time");
        assert_eq!((m.value, m.unit.as_str()), (70.0, "%"));
        assert_eq!(m.context, vec!["less", "time"]);
        assert_eq!(one("50 % off").text, "50 %");
        assert_eq!(one("50 percent off").unit, "%");
        assert_eq!(one("50 per cent off").text, "50 per cent");
    }

    #[test]
    fn numbers_up_to() {
        let text = "Save time: up to 92% of matches are automatic";
        let m = one(text);
        assert_eq!(m.value, 92.0);
        assert_eq!(m.unit, "%");
        assert_eq!(m.qualifier.as_deref(), Some("up to"));
        assert_eq!(&text[m.qualifier_range.clone().unwrap()], "up to");
        assert_eq!(m.text, "92%");
        assert_eq!(
            m.context,
            vec!["save", "time", "of", "matches", "are", "automatic"]
        );
        let m = one("Up   To 92%");
        assert_eq!(m.qualifier.as_deref(), Some("up to"));
        assert_eq!(m.qualifier_range, Some(0..7));
    }

    #[test]
    fn numbers_multipliers() {
        let m = one("3x faster");
        assert_eq!(
            (m.value, m.unit.as_str(), m.text.as_str()),
            (3.0, "x", "3x")
        );
        let m = one("3× faster");
        assert_eq!(
            (m.value, m.unit.as_str(), m.text.as_str()),
            (3.0, "x", "3×")
        );
        assert_eq!(one("10X faster").unit, "x");
        assert_eq!(one("2.5x").value, 2.5);
        assert!(numbers("3x4 grid").is_empty());
        assert!(numbers("3×4 grid").is_empty());
    }

    #[test]
    fn numbers_time_units() {
        let m = one("10 hours a week");
        assert_eq!(
            (m.value, m.unit.as_str(), m.text.as_str()),
            (10.0, "hours", "10 hours")
        );
        assert_eq!(m.context, vec!["a", "week"]);
        let m = one("in 7 days");
        assert_eq!((m.value, m.unit.as_str()), (7.0, "days"));
        assert_eq!(m.qualifier.as_deref(), Some("in"));
        assert_eq!(m.qualifier_range, Some(0..2));
        assert_eq!(m.text, "7 days");
        assert_eq!(one("200 ms").unit, "ms");
        let m = one("200ms");
        assert_eq!(
            (m.value, m.unit.as_str(), m.text.as_str()),
            (200.0, "ms", "200ms")
        );
        assert_eq!(one("30s").unit, "s");
        assert_eq!(one("24h support").unit, "hours");
        assert_eq!(one("5 mins").unit, "minutes");
        assert_eq!(one("2 yrs").unit, "years");
        assert_eq!(one("12 months").unit, "months");
        assert_eq!(one("6 weeks").unit, "weeks");
        assert_eq!(one("1 second").unit, "s");
        let m = one("a 30-day trial");
        assert_eq!(
            (m.value, m.unit.as_str(), m.text.as_str()),
            (30.0, "days", "30-day")
        );
        assert_eq!(one("24-hour support").unit, "hours");
        assert_eq!(one("a 4-star rating").unit, "");
    }

    #[test]
    fn numbers_currency() {
        let m = one("£20 per seat");
        assert_eq!(
            (m.value, m.unit.as_str(), m.text.as_str()),
            (20.0, "£", "£20")
        );
        assert_eq!(m.context, vec!["per", "seat"]);
        let m = one("$1,200");
        assert_eq!(
            (m.value, m.unit.as_str(), m.text.as_str()),
            (1200.0, "$", "$1,200")
        );
        let m = one("€5k");
        assert_eq!(
            (m.value, m.unit.as_str(), m.text.as_str()),
            (5000.0, "€", "€5k")
        );
        let m = one("save £500");
        assert_eq!((m.value, m.unit.as_str()), (500.0, "£"));
        assert_eq!(m.context, vec!["save"]);
        assert_eq!(m.qualifier, None);
        let m = one("£2.5m raised");
        assert_eq!((m.value, m.unit.as_str()), (2_500_000.0, "£"));
        let m = one("US$20");
        assert_eq!(
            (m.value, m.unit.as_str(), m.text.as_str()),
            (20.0, "$", "$20")
        );
        let m = one("20 GBP");
        assert_eq!((m.value, m.unit.as_str()), (20.0, "£"));
        assert_eq!(one("only 5 euros").unit, "€");
        assert_eq!(one("5€ off").text, "5€");
        assert_eq!(one("5 € off").unit, "€");
        assert_eq!(
            summary("pay 5 £10 notes, 5£10"),
            vec![
                (5.0, s(""), None, s("5")),
                (10.0, s("£"), None, s("£10")),
                (5.0, s(""), None, s("5")),
                (10.0, s("£"), None, s("£10")),
            ]
        );
        assert_eq!(one("from £20").qualifier.as_deref(), Some("from"));
    }

    #[test]
    fn numbers_plain_and_separators() {
        let m = one("2026");
        assert_eq!((m.value, m.unit.as_str()), (2026.0, ""));
        let m = one("10,000 customers");
        assert_eq!((m.value, m.text.as_str()), (10_000.0, "10,000"));
        assert_eq!(one("1,234,567").value, 1_234_567.0);
        assert_eq!(one("10k teams").value, 10_000.0);
        assert_eq!(one("10K teams").text, "10K");
        assert_eq!(one("0.5").value, 0.5);
        assert_eq!(one("a .5% fee").value, 0.5);
        assert_eq!(
            summary("1,2 and 5,10"),
            vec![
                (1.0, s(""), None, s("1")),
                (2.0, s(""), None, s("2")),
                (5.0, s(""), None, s("5")),
                (10.0, s(""), None, s("10")),
            ]
        );
        assert_eq!(summary("1,2345").len(), 2);
    }

    #[test]
    fn numbers_scale_words() {
        let m = one("1.5 million users");
        assert_eq!(
            (m.value, m.unit.as_str(), m.text.as_str()),
            (1_500_000.0, "", "1.5 million")
        );
        assert_eq!(m.context, vec!["users"]);
        assert_eq!(one("£3 billion").value, 3e9);
        assert_eq!(one("£3bn").value, 3e9);
        assert_eq!(one("2 thousand hours").unit, "hours");
        assert_eq!(one("2 thousand hours").value, 2000.0);
        assert_eq!(one("10k hours").text, "10k hours");
    }

    #[test]
    fn numbers_out_of() {
        let text = "9 out of 10 finance teams agree";
        let all = numbers(text);
        assert_eq!(all.len(), 2);
        assert_eq!((all[0].value, all[0].unit.as_str()), (9.0, ""));
        assert_eq!((all[1].value, all[1].unit.as_str()), (10.0, ""));
        assert_eq!(all[0].context, vec!["out", "of", "finance", "teams"]);
        assert_eq!(
            all[1].context,
            vec!["out", "of", "finance", "teams", "agree"]
        );
        assert_eq!(summary("9/10 teams").len(), 2);
    }

    #[test]
    fn numbers_inside_words_are_not_numbers() {
        for text in [
            "Q3",
            "ISO27001",
            "v2",
            "v2.0",
            "B2B",
            "1st",
            "2FA",
            "4G",
            "x86_64",
            "ISO-27001",
            "COVID-19",
            "GPT-4",
            "SOC2-3",
            "1.2.3",
            "10.0.0.1",
            "route_66",
            "24/7",
            "24/7/365",
            "24x7",
            "3D",
            "abc123def",
        ] {
            assert!(numbers(text).is_empty(), "{text}: {:#?}", numbers(text));
        }
        assert_eq!(one("Q3 2026").value, 2026.0);
        assert_eq!(one("ISO27001 in 30 days").value, 30.0);
        assert_eq!(one("top-10 list").value, 10.0);
        assert_eq!(one("support 24/7, 99% uptime").value, 99.0);
        assert_eq!(summary("24/365").len(), 2);
    }

    #[test]
    fn numbers_rank() {
        let m = one("the #1 tool");
        assert_eq!((m.value, m.unit.as_str(), m.text.as_str()), (1.0, "", "#1"));
        assert_eq!(m.context, vec!["the", "tool"]);
        assert!(numbers("C#1").is_empty());
        assert!(numbers("C#1x").is_empty());
        assert!(numbers("#1st").is_empty());
    }

    #[test]
    fn numbers_ranges() {
        let all = numbers("5-10 days");
        assert_eq!(all.len(), 2);
        assert_eq!(
            (all[0].value, all[0].unit.as_str(), all[0].text.as_str()),
            (5.0, "days", "5")
        );
        assert_eq!(
            (all[1].value, all[1].unit.as_str(), all[1].text.as_str()),
            (10.0, "days", "10 days")
        );
        let all = numbers("5 to 10 days");
        assert_eq!(all[0].unit, "days");
        let all = numbers("5–10%");
        assert_eq!(all[0].unit, "%");
        let all = numbers("£5-10 per seat");
        assert_eq!(all[1].unit, "£");
        let all = numbers("5-10k users");
        assert_eq!((all[0].value, all[1].value), (5000.0, 10_000.0));
        let all = numbers("£500-2m");
        assert_eq!((all[0].value, all[1].value), (500.0, 2e6));
        let all = numbers("2020-2026");
        assert_eq!((all[0].value, all[1].value), (2020.0, 2026.0));
        assert_eq!(all[0].unit, "");
        // Not a range: the unit is not shared.
        let all = numbers("5 and 10 days");
        assert_eq!(all[0].unit, "");
        let all = numbers("In 2024 – 50% of teams");
        assert_eq!(all[0].unit, "");
        let all = numbers("5 - 10 days");
        assert_eq!(all[0].unit, "");
        // A hyphen is never a minus sign.
        assert_eq!(one("-20%").value, 20.0);
    }

    #[test]
    fn numbers_qualifiers() {
        let q = |t: &str| one(t).qualifier;
        assert_eq!(q("at least 5 days").as_deref(), Some("at least"));
        assert_eq!(q("over 90%").as_deref(), Some("over"));
        assert_eq!(q("more than 1,000 teams").as_deref(), Some("more than"));
        assert_eq!(q("less than 1%").as_deref(), Some("less than"));
        assert_eq!(q("no more than 1%").as_deref(), Some("no more than"));
        assert_eq!(q("under 200ms").as_deref(), Some("under"));
        assert_eq!(q("in under 5 minutes").as_deref(), Some("under"));
        assert_eq!(q("nearly 50%").as_deref(), Some("nearly"));
        assert_eq!(q("almost 50%").as_deref(), Some("almost"));
        assert_eq!(q("around 50%").as_deref(), Some("around"));
        assert_eq!(q("About 50%").as_deref(), Some("about"));
        assert_eq!(q("as little as £5").as_deref(), Some("as little as"));
        assert_eq!(q("as much as 40%").as_deref(), Some("as much as"));
        assert_eq!(q("as fast as 3 seconds").as_deref(), Some("as fast as"));
        assert_eq!(q("within 24 hours").as_deref(), Some("within"));
        assert_eq!(q("in 2026"), None);
        assert_eq!(q("in 3 steps"), None);
        assert_eq!(q("~50%").as_deref(), Some("around"));
        assert_eq!(q("< 5 ms").as_deref(), Some("less than"));
        assert_eq!(q("≥99.9%").as_deref(), Some("at least"));
        assert_eq!(q("ticket over\n5 days"), None);
        assert_eq!(q("takeover 5 days"), None);
        let m = one("10,000+ customers");
        assert_eq!(m.qualifier.as_deref(), Some("or more"));
        assert_eq!(m.text, "10,000");
        assert_eq!(m.qualifier_range, Some(6..7));
        assert_eq!(m.context, vec!["customers"]);
        let m = one("10 or more seats");
        assert_eq!(m.qualifier.as_deref(), Some("or more"));
        assert_eq!(m.context, vec!["seats"]);
        let all = numbers("3+4");
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].qualifier, None);
    }

    #[test]
    fn numbers_context_window_and_sentences() {
        let text = "Teams save up to 10 hours a week on reconciliation work. Another 5 things.";
        let all = numbers(text);
        assert_eq!(all.len(), 2);
        assert_eq!(
            all[0].context,
            vec!["teams", "save", "a", "week", "on", "reconciliation"]
        );
        assert_eq!(all[1].context, vec!["another", "things"]);
        let m = one("one two three four five six 7 a b c d e f");
        assert_eq!(
            m.context,
            vec!["three", "four", "five", "six", "a", "b", "c", "d"]
        );
        let m = one("Fast setup\n99.9% uptime\nGreat support");
        assert_eq!(m.context, vec!["uptime"]);
        let m = one("Is it fast? 99.9% uptime! Wow");
        assert_eq!(m.context, vec!["uptime"]);
    }

    #[test]
    fn numbers_unicode_ranges() {
        let text = "café 50% off — naïve £20";
        let all = numbers(text);
        assert_eq!(all.len(), 2);
        assert_eq!(&text[all[0].range.clone()], "50%");
        assert_eq!(&text[all[1].range.clone()], "£20");
        assert_eq!(all[0].context, vec!["café", "off", "naïve"]);
        let text = "日本 5日";
        assert!(numbers(text).is_empty());
        let m = one("über 5 Tage");
        assert_eq!(m.value, 5.0);
    }

    #[test]
    fn numbers_decades() {
        let m = one("since the 1990s");
        assert_eq!(
            (m.value, m.unit.as_str(), m.text.as_str()),
            (1990.0, "", "1990s")
        );
    }

    #[test]
    fn numbers_empty_and_no_numbers() {
        assert!(numbers("").is_empty());
        assert!(numbers("no digits here").is_empty());
        assert!(numbers("#").is_empty());
        assert!(numbers("£").is_empty());
    }

    // ----- value_range_to_raw -----

    /// Checks that every listed word of `value` maps to the same word in `raw`.
    fn check_words(raw: &str, value: &str, words: &[&str]) {
        for word in words {
            let start = value
                .find(word)
                .unwrap_or_else(|| panic!("{word:?} not in value {value:?}"));
            let r = value_range_to_raw(raw, value, start..start + word.len())
                .unwrap_or_else(|| panic!("{word:?} not aligned in {raw:?} / {value:?}"));
            assert_eq!(&raw[r], *word, "raw {raw:?} value {value:?}");
        }
    }

    fn map(raw: &str, value: &str, range: Range<usize>) -> Option<String> {
        value_range_to_raw(raw, value, range).map(|r| raw[r].to_string())
    }

    #[test]
    fn raw_plain_single_line() {
        let raw = "Guaranteed results, always";
        check_words(
            raw,
            raw,
            &["Guaranteed", "results", "always", "results, always"],
        );
        assert_eq!(
            value_range_to_raw(raw, raw, 0..raw.len()),
            Some(0..raw.len())
        );
    }

    #[test]
    fn raw_plain_multi_line() {
        let raw = "Guaranteed results\n    for every   team\n\n    always";
        let value = "Guaranteed results for every   team\nalways";
        check_words(
            raw,
            value,
            &["Guaranteed", "results", "for", "every", "team", "always"],
        );
        let start = value.find("results").unwrap();
        let end = value.find("for").unwrap() + 3;
        assert_eq!(
            map(raw, value, start..end).as_deref(),
            Some("results\n    for")
        );
        let start = value.find("team").unwrap();
        assert_eq!(
            map(raw, value, start..value.len()).as_deref(),
            Some("team\n\n    always")
        );
    }

    #[test]
    fn raw_plain_crlf() {
        let raw = "Guaranteed results\r\n    for every team\r\n\r\n    always";
        let value = "Guaranteed results for every team\nalways";
        check_words(
            raw,
            value,
            &["Guaranteed", "results", "for", "team", "always"],
        );
    }

    #[test]
    fn raw_single_quoted() {
        let raw = "'it''s always'";
        let value = "it's always";
        check_words(raw, value, &["always"]);
        assert_eq!(map(raw, value, 0..4).as_deref(), Some("it''s"));
        assert_eq!(map(raw, value, 0..2).as_deref(), Some("it"));
        assert_eq!(map(raw, value, 2..3).as_deref(), Some("''"));
        let raw = "'Never ''slow'', never down'";
        let value = "Never 'slow', never down";
        check_words(raw, value, &["Never", "slow", "never", "down"]);
    }

    #[test]
    fn raw_single_quoted_multi_line() {
        let raw = "'Guaranteed  \n   results for\n\n   every team'";
        let value = "Guaranteed results for\nevery team";
        check_words(
            raw,
            value,
            &["Guaranteed", "results", "for", "every", "team"],
        );
        let start = value.find("Guaranteed").unwrap();
        let end = value.find("results").unwrap() + 7;
        assert_eq!(
            map(raw, value, start..end).as_deref(),
            Some("Guaranteed  \n   results")
        );
    }

    #[test]
    fn raw_double_quoted_escapes() {
        let raw = r#""Guaranteed \"fast\", always""#;
        let value = "Guaranteed \"fast\", always";
        check_words(raw, value, &["Guaranteed", "fast", "always"]);
        let start = value.find('"').unwrap();
        assert_eq!(
            map(raw, value, start..start + 6).as_deref(),
            Some(r#"\"fast\""#)
        );

        let raw = r#""Caf\u00e9 \x41BC \\ path\tnext\nline \U0001F600 end""#;
        let value = "Café ABC \\ path\tnext\nline \u{1F600} end";
        check_words(raw, value, &["Caf", "BC", "path", "next", "line", "end"]);
        let e = value.find('é').unwrap();
        assert_eq!(map(raw, value, e..e + 2).as_deref(), Some(r"\u00e9"));
        let a = value.find('A').unwrap();
        assert_eq!(map(raw, value, a..a + 1).as_deref(), Some(r"\x41"));
        assert_eq!(map(raw, value, 0..5).as_deref(), Some(r"Caf\u00e9"));
        let smile = value.find('\u{1F600}').unwrap();
        assert_eq!(
            map(raw, value, smile..smile + 4).as_deref(),
            Some(r"\U0001F600")
        );
        let raw = r#""a\/b\ c\_d\0""#;
        let value = "a/b c\u{a0}d\0";
        check_words(raw, value, &["a", "b", "c", "d"]);
    }

    #[test]
    fn raw_double_quoted_multi_line() {
        let raw = "\"Guaranteed  \n    results for\n\n    every\\tteam\"";
        let value = "Guaranteed results for\nevery\tteam";
        check_words(
            raw,
            value,
            &["Guaranteed", "results", "for", "every", "team"],
        );
        let start = value.find("for").unwrap();
        let end = value.find("every").unwrap() + 5;
        assert_eq!(
            map(raw, value, start..end).as_deref(),
            Some("for\n\n    every")
        );
    }

    #[test]
    fn raw_double_quoted_escaped_line_break() {
        let raw = "\"Guaranteed \\\n    results,\\\n    always\\\r\n  \\ fast\"";
        let value = "Guaranteed results,always fast";
        check_words(raw, value, &["Guaranteed", "results", "always", "fast"]);
        let start = value.find("results").unwrap();
        assert_eq!(
            map(raw, value, start..start + 14).as_deref(),
            Some("results,\\\n    always")
        );
        // An escaped break followed by an empty line keeps one line break.
        let raw = "\"a\\\n\n  b\"";
        check_words(raw, "a\nb", &["a", "b"]);
        // Escapes right after a folded break.
        let raw = "\"a\n  \\tb\"";
        check_words(raw, "a \tb", &["a", "b"]);
    }

    #[test]
    fn raw_double_quoted_leading_and_trailing_space() {
        let raw = "\"  spaced out  \"";
        check_words(raw, "  spaced out  ", &["spaced", "out"]);
        let raw = "\"\n  first\n  \"";
        check_words(raw, " first ", &["first"]);
    }

    #[test]
    fn raw_literal_block() {
        let raw = "Line one\n  line two\n    indented more\n\n  last line\n";
        let value = "Line one\nline two\n  indented more\n\nlast line\n";
        check_words(
            raw,
            value,
            &["Line", "one", "two", "indented", "more", "last", "line\n"],
        );
        let start = value.find("two").unwrap();
        let end = value.find("indented").unwrap() + 8;
        assert_eq!(
            map(raw, value, start..end).as_deref(),
            Some("two\n    indented")
        );
        // Strip and keep chomping.
        check_words(raw, value.trim_end(), &["last line"]);
        let kept = "Line one\n  end\n\n\n";
        check_words(kept, "Line one\nend\n\n\n", &["end", "Line"]);
        // CRLF.
        let raw = "Line one\r\n  line two\r\n";
        check_words(raw, "Line one\nline two\n", &["one", "line two"]);
        // Trailing blanks on a literal line are content.
        let raw = "a  \n  b\n";
        check_words(raw, "a  \nb\n", &["a", "b"]);
    }

    #[test]
    fn raw_block_starting_with_quote() {
        let raw = "\"quoted\" text\r\n     more indented\r\n\r\n  last\r\n";
        let value = "\"quoted\" text\n   more indented\n\nlast";
        check_words(
            raw,
            value,
            &["\"quoted\"", "text", "more", "indented", "last"],
        );
        let raw = "'tis the season\n  to save\n";
        check_words(
            raw,
            "'tis the season\nto save\n",
            &["'tis", "season", "save"],
        );
        check_words(raw, "'tis the season to save\n", &["'tis", "to", "save"]);
    }

    #[test]
    fn raw_folded_block() {
        let raw = "Fast setup\n  for all teams\n\n  Second para\n    more indented\n  back\n";
        let value = "Fast setup for all teams\nSecond para\n  more indented\nback\n";
        check_words(
            raw,
            value,
            &[
                "Fast", "setup", "for", "teams", "Second", "para", "more", "indented", "back",
            ],
        );
        let start = value.find("setup").unwrap();
        let end = value.find("for").unwrap() + 3;
        assert_eq!(map(raw, value, start..end).as_deref(), Some("setup\n  for"));
        // Trailing blanks on a folded line are kept.
        let raw = "a  \n  b\n";
        check_words(raw, "a   b\n", &["a", "b"]);
    }

    #[test]
    fn raw_empty_ranges_and_edges() {
        let raw = "'it''s'";
        let value = "it's";
        assert_eq!(value_range_to_raw(raw, value, 0..0), Some(1..1));
        assert_eq!(value_range_to_raw(raw, value, 4..4), Some(6..6));
        assert_eq!(value_range_to_raw("''", "", 0..0), Some(1..1));
        assert_eq!(value_range_to_raw("", "", 0..0), Some(0..0));
        // Out of range or not on a character boundary.
        assert_eq!(value_range_to_raw(raw, value, 0..9), None);
        assert_eq!(
            value_range_to_raw(raw, value, Range { start: 3, end: 1 }),
            None
        );
        assert_eq!(value_range_to_raw("é", "é", 0..1), None);
    }

    #[test]
    fn raw_misaligned_is_none() {
        assert_eq!(value_range_to_raw("abc", "abd", 0..1), None);
        assert_eq!(value_range_to_raw("abc", "ab", 0..1), None);
        assert_eq!(value_range_to_raw("ab", "abc", 0..1), None);
        assert_eq!(value_range_to_raw("\"abc", "abc", 0..1), None);
        assert_eq!(value_range_to_raw("'abc\"", "abc", 0..1), None);
        assert_eq!(value_range_to_raw("\"a\\qb\"", "a?b", 0..1), None);
        assert_eq!(value_range_to_raw("\"a\\x4\"", "aJ", 0..1), None);
        assert_eq!(value_range_to_raw("\"a\\\"", "a\"", 0..1), None);
        assert_eq!(value_range_to_raw("'a'b'", "a'b", 0..1), None);
        assert_eq!(value_range_to_raw("\"", "", 0..0), None);
        assert_eq!(value_range_to_raw("a\n  b", "a  b", 0..1), None);
    }

    // ----- robustness -----

    /// A small deterministic pseudo-random generator for fuzz-style tests.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn pick<T: Copy>(&mut self, items: &[T]) -> T {
            items[(self.next() % items.len() as u64) as usize]
        }
    }

    const PIECES: &[&str] = &[
        "a", "é", "日", "5", "10", ",000", "£10", "5 €", "to", "1.5", " million", ".", ".5", "%",
        "x", "×", "k", "m", "ms", "£", "$", "€", "#", "-", "–", "/", "7", "24", " ", "  ", "\n",
        "\r\n", "\t", "'", "’", "\"", "\\", "\\n", "\\x4", "\\u00e9", "''", "up to", " hours",
        "ISO", "_", "+", "~", "<", "never", "fast", "100%", "#1", "?", "!", "s", "\u{2028}",
        "\u{85}", "\u{a0}",
    ];

    fn random_text(rng: &mut Rng) -> String {
        let len = rng.next() % 24;
        (0..len).map(|_| rng.pick(PIECES)).collect()
    }

    #[test]
    fn fuzz_functions_are_total() {
        let wl = list(&["never", "100%", "#1", "up to", "£", "it's", "a b", "5"]);
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..1000 {
            let text = random_text(&mut rng);
            for r in wl.find_all(&text) {
                assert!(text.get(r.clone()).is_some(), "{text:?} {r:?}");
                assert!(r.start < r.end);
            }
            let ranges = wl.find_all(&text);
            for pair in ranges.windows(2) {
                assert!(pair[0].end <= pair[1].start);
            }
            assert_eq!(wl.is_match(&text), !ranges.is_empty(), "{text:?}");
            let _ = wl.matched_entries(&text);
            let _ = words_line(&text);
            let mentions = numbers(&text);
            for pair in mentions.windows(2) {
                assert!(pair[0].range.end <= pair[1].range.start, "{text:?}");
            }
            for m in mentions {
                assert_eq!(text.get(m.range.clone()), Some(m.text.as_str()), "{text:?}");
                if let Some(q) = &m.qualifier_range {
                    assert!(text.get(q.clone()).is_some());
                    assert!(!overlaps(q, &m.range));
                }
                assert!(m.value >= 0.0);
            }
            let value = random_text(&mut rng);
            let ends: Vec<usize> = (0..=value.len())
                .filter(|&b| value.is_char_boundary(b))
                .collect();
            for &a in &ends {
                for &b in &ends {
                    for raw in [&text, &value] {
                        if let Some(r) = value_range_to_raw(raw, &value, a..b) {
                            assert!(raw.get(r).is_some());
                        }
                    }
                }
            }
            // Identity alignment always works for text without whitespace
            // runs at the very end.
            if !value.starts_with(['"', '\''])
                && !value.ends_with(char::is_whitespace)
                && !value.contains(['\n', '\r'])
            {
                for &a in &ends {
                    for &b in &ends {
                        if a <= b {
                            assert_eq!(
                                value_range_to_raw(&value, &value, a..b),
                                Some(a..b),
                                "{value:?}"
                            );
                        }
                    }
                }
            }
        }
    }
}
