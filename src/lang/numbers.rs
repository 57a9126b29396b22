//! Numbers in a text: values with their units, scales, qualifiers and ranges, and the words
//! around them.

#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use super::words::{word_at, word_ranges};
use crate::chars::*;
use std::ops::Range;

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
    pub(crate) value: f64,
    /// Normalised unit: "%", "x", "ms", "s", "minutes", "hours", "days",
    /// "weeks", "months", "years", "£", "$", "€", or "" when none.
    pub(crate) unit: String,
    /// Normalised qualifier (lowercase, single spaces), such as "up to".
    pub(crate) qualifier: Option<String>,
    /// Byte range of the number with its unit/currency symbol, without the qualifier.
    pub(crate) range: Range<usize>,
    /// Byte range of the qualifier, if any.
    pub(crate) qualifier_range: Option<Range<usize>>,
    /// The text at `range`.
    pub(crate) text: String,
    /// Lowercase words (as in [`words_line`]) within 4 words before and after
    /// the mention, in text order, from the same sentence only. Sentences end
    /// at `!`, `?`, `…`, line breaks, and `.` unless a letter or digit
    /// follows it. Words belonging to any number mention, and this mention's
    /// qualifier, are left out and not counted.
    pub(crate) context: Vec<String>,
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

#[cfg(test)]
#[allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]
mod tests {
    use super::*;
    use crate::lang::words::{WordList, words_line};
    use crate::model::scalar_text::value_range_to_raw;

    fn list(entries: &[&str]) -> WordList {
        WordList::new(entries).unwrap()
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
