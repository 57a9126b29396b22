//! Mapping a decoded YAML scalar back to its raw bytes, so words found in a text are
//! underlined exactly where they are written (through quotes, escapes and folded lines).

#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::chars::Chars;
use std::ops::Range;

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
pub(crate) struct ScalarMap {
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
    pub(crate) fn new(raw: &str, value: &str) -> Option<ScalarMap> {
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
    pub(crate) fn range(&self, value: &str, range: Range<usize>) -> Option<Range<usize>> {
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
}
