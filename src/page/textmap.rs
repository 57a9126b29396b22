//! A page's text as a reader sees it, with a map from every byte of it back to the page file.
//!
//! The text is assembled piece by piece while the page is read: a run copied as written
//! (`verbatim`, so each byte maps to the same byte of the file), a piece that stands for some
//! other bytes (an entity `&amp;` read as `&`, a soft line break read as a space), and block
//! ends (a line break, which ends a sentence). Looking up a range is two binary searches.

use std::ops::Range;

/// One piece of the text and the file bytes it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    /// Where the piece starts in the text.
    at: u32,
    /// Where its bytes start in the file.
    raw_start: u32,
    /// How many file bytes it stands for.
    raw_len: u32,
    /// Whether the piece is the file's bytes as they are (same length, byte for byte).
    verbatim: bool,
}

/// The text of a page and where each part of it is written in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageText {
    text: String,
    pieces: Vec<Piece>,
}

/// Offsets past `u32::MAX` are kept at the maximum: pages are far smaller (see
/// [`super::PageLimits`]), and a span clamps the same way.
fn small(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl PageText {
    /// An empty text.
    pub(crate) fn new() -> PageText {
        PageText::default()
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Its length in bytes.
    pub(crate) fn len(&self) -> usize {
        self.text.len()
    }

    /// Appends text written exactly so at `raw_start` in the file.
    pub(crate) fn push_verbatim(&mut self, text: &str, raw_start: usize) {
        if text.is_empty() {
            return;
        }
        let at = small(self.text.len());
        if let Some(last) = self.pieces.last_mut() {
            // A run that continues the previous one in the file is the same piece.
            if last.verbatim
                && last.at + last.raw_len == at
                && last.raw_start + last.raw_len == small(raw_start)
            {
                last.raw_len += small(text.len());
                self.text.push_str(text);
                return;
            }
        }
        self.pieces.push(Piece {
            at,
            raw_start: small(raw_start),
            raw_len: small(text.len()),
            verbatim: true,
        });
        self.text.push_str(text);
    }

    /// Appends text that stands for the file bytes `raw` as a whole (an entity, an escape, a
    /// line break): any part of it maps to all of `raw`.
    pub(crate) fn push_mapped(&mut self, text: &str, raw: Range<usize>) {
        if text.is_empty() {
            return;
        }
        if raw.len() == text.len() && raw.len() == 1 {
            // One byte for one byte: no need to keep it apart.
            self.pieces.push(Piece {
                at: small(self.text.len()),
                raw_start: small(raw.start),
                raw_len: 1,
                verbatim: false,
            });
            self.text.push_str(text);
            return;
        }
        self.pieces.push(Piece {
            at: small(self.text.len()),
            raw_start: small(raw.start),
            raw_len: small(raw.len()),
            verbatim: false,
        });
        self.text.push_str(text);
    }

    /// Appends decoded text whose characters come from `raw` in order, a character at a time
    /// where they can be matched, so that a word in it maps to that word in the file: the
    /// text a parser decoded from a run of the file (escapes, entities resolved). Each
    /// character of `text` found next in `raw` maps to it; the characters in between
    /// (an escape's backslash, an entity's `&...;`) go with the character they decode to.
    pub(crate) fn push_decoded(&mut self, text: &str, raw_text: &str, raw_start: usize) {
        if text == raw_text {
            self.push_spaced(text, raw_start);
            return;
        }
        let mut r = 0usize; // position in raw_text
        let mut t = 0usize; // position in text
        let tb = text.as_bytes();
        let rb = raw_text.as_bytes();
        while t < text.len() {
            // The longest run of text that is written as it reads from here.
            let mut run = 0usize;
            while t + run < tb.len()
                && r + run < rb.len()
                && tb.get(t + run) == rb.get(r + run)
                && tb.get(t + run) != Some(&b'&')
                && tb.get(t + run) != Some(&b'\\')
            {
                run += 1;
            }
            // Back off to a character boundary of both.
            while run > 0 && !(text.is_char_boundary(t + run) && raw_text.is_char_boundary(r + run))
            {
                run -= 1;
            }
            if run > 0 {
                if let Some(piece) = text.get(t..t + run) {
                    self.push_verbatim(piece, raw_start + r);
                }
                t += run;
                r += run;
                continue;
            }
            // One decoded character, standing for the raw bytes up to where the text
            // goes on as written.
            let Some(c) = text.get(t..).and_then(|s| s.chars().next()) else {
                break;
            };
            let next_t = t + c.len_utf8();
            let raw_end = match text.get(next_t..).and_then(|s| s.chars().next()) {
                Some(n) => next_raw(raw_text, r, c, n),
                None => raw_text.len(),
            };
            let raw_end = raw_end.max(r).min(raw_text.len());
            let raw_end = if raw_end == r {
                end_of_char(raw_text, r)
            } else {
                raw_end
            };
            if let Some(piece) = text.get(t..next_t) {
                self.push_mapped(piece, raw_start + r..raw_start + raw_end);
            }
            t = next_t;
            r = raw_end;
        }
    }

    /// Appends text written exactly so at `raw_start`, each run of spaces and tabs read as one
    /// space (the blanks an MDX tag left behind, a table's padding).
    pub(crate) fn push_spaced(&mut self, text: &str, raw_start: usize) {
        let bytes = text.as_bytes();
        let mut from = 0;
        let mut i = 0;
        while i < bytes.len() {
            if matches!(bytes.get(i), Some(b' ' | b'\t')) {
                let mut j = i;
                while matches!(bytes.get(j), Some(b' ' | b'\t')) {
                    j += 1;
                }
                if j - i > 1 || bytes.get(i) == Some(&b'\t') {
                    if let Some(run) = text.get(from..i) {
                        self.push_verbatim(run, raw_start + from);
                    }
                    if self.mid_line() && !self.text.ends_with(' ') {
                        self.push_mapped(" ", raw_start + i..raw_start + j);
                    }
                    from = j;
                }
                i = j;
                continue;
            }
            i += 1;
        }
        if let Some(run) = text.get(from..) {
            self.push_verbatim(run, raw_start + from);
        }
    }

    /// Ends the current block: a heading, a paragraph, a list item, a table cell. A line break
    /// ends a sentence for every reader of the text; it is never written twice in a row.
    pub(crate) fn end_block(&mut self) {
        if self.text.is_empty() || self.text.ends_with('\n') {
            return;
        }
        // Trailing spaces of the block go: a word never ends with one.
        let trimmed = self.text.trim_end_matches([' ', '\t']).len();
        self.truncate(trimmed);
        let at = self.text.len();
        let raw = self
            .pieces
            .last()
            .map(|p| (p.raw_start + p.raw_len) as usize)
            .unwrap_or(0);
        self.pieces.push(Piece {
            at: small(at),
            raw_start: small(raw),
            raw_len: 0,
            verbatim: false,
        });
        self.text.push('\n');
    }

    /// Drops the text from `len` on.
    fn truncate(&mut self, len: usize) {
        if len >= self.text.len() {
            return;
        }
        self.text.truncate(len);
        let len32 = small(len);
        while self.pieces.last().is_some_and(|p| p.at >= len32) {
            self.pieces.pop();
        }
        if let Some(last) = self.pieces.last_mut() {
            if last.verbatim {
                last.raw_len = last.raw_len.min(len32 - last.at);
            }
        }
    }

    /// Whether the text read so far ends in the middle of a line.
    pub(crate) fn mid_line(&self) -> bool {
        !self.text.is_empty() && !self.text.ends_with('\n')
    }

    /// The file bytes a byte range of the text was read from: from the first byte of the
    /// range's first character to the last byte of its last one. `None` for a range that is
    /// not on character boundaries of the text.
    pub fn to_raw(&self, range: Range<usize>) -> Option<Range<usize>> {
        if range.start > range.end
            || range.end > self.text.len()
            || !self.text.is_char_boundary(range.start)
            || !self.text.is_char_boundary(range.end)
        {
            return None;
        }
        if range.is_empty() {
            let p = self.piece_at(range.start)?;
            let at = self.raw_at(p, range.start);
            return Some(at..at);
        }
        let first = self.piece_at(range.start)?;
        let start = self.raw_at(first, range.start);
        let last_char = self.text.get(..range.end)?.char_indices().next_back()?.0;
        let last = self.piece_at(last_char)?;
        let end = if last.verbatim {
            self.raw_at(last, range.end)
        } else {
            (last.raw_start + last.raw_len) as usize
        };
        (start <= end).then_some(start..end)
    }

    /// The piece holding a text offset.
    fn piece_at(&self, at: usize) -> Option<Piece> {
        let at = small(at);
        let k = self.pieces.partition_point(|p| p.at <= at);
        self.pieces.get(k.checked_sub(1)?).copied()
    }

    /// The file offset of a text offset inside a piece.
    fn raw_at(&self, p: Piece, at: usize) -> usize {
        if p.verbatim {
            p.raw_start as usize + (at - p.at as usize).min(p.raw_len as usize)
        } else {
            p.raw_start as usize
        }
    }
}

/// Where in `raw`, at or after `from`, the character `next` that follows the decoded
/// character `c` starts: the raw bytes in between are `c`'s spelling.
fn next_raw(raw: &str, from: usize, c: char, next: char) -> usize {
    let rest = raw.get(from..).unwrap_or("");
    if let Some(len) = entity_len(rest) {
        if !(c == '&' && !rest.starts_with("&amp;") && !rest.starts_with("&#")) {
            return from + len;
        }
    }
    let mut chars = rest.chars();
    match chars.next() {
        Some('\\') if chars.next() == Some(c) => return from + 1 + c.len_utf8(),
        Some(first) if first == c => return from + first.len_utf8(),
        _ => {}
    }
    // Otherwise, up to where `next` is written.
    for (i, ch) in rest.char_indices().skip(1) {
        if ch == next {
            return from + i;
        }
    }
    raw.len()
}

/// The length of the character reference (`&amp;`, `&#38;`, `&#x26;`) that `s` starts with.
pub(crate) fn entity_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.first() != Some(&b'&') {
        return None;
    }
    let body = |i: usize| b.get(i).is_some_and(u8::is_ascii_alphanumeric);
    let mut i = 1;
    if b.get(1) == Some(&b'#') {
        i = 2;
        if matches!(b.get(2), Some(b'x' | b'X')) {
            i = 3;
        }
    }
    let start = i;
    while i < b.len() && i < 40 && body(i) {
        i += 1;
    }
    (i > start && b.get(i) == Some(&b';')).then_some(i + 1)
}

/// The end of the character that starts at `at` (or the end of `raw`).
fn end_of_char(raw: &str, at: usize) -> usize {
    raw.get(at..)
        .and_then(|s| s.chars().next())
        .map_or(raw.len(), |c| at + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_runs_map_byte_for_byte() {
        let file = "xx Hello world";
        let mut t = PageText::new();
        t.push_verbatim("Hello", 3);
        t.push_verbatim(" world", 8);
        assert_eq!(t.as_str(), "Hello world");
        assert_eq!(t.to_raw(6..11), Some(9..14));
        assert_eq!(&file[9..14], "world");
    }

    #[test]
    fn an_entity_maps_to_all_its_bytes() {
        let file = "A &amp; B";
        let mut t = PageText::new();
        t.push_decoded("A & B", file, 0);
        assert_eq!(t.as_str(), "A & B");
        assert_eq!(t.to_raw(2..3), Some(2..7));
        assert_eq!(t.to_raw(4..5), Some(8..9));
        assert_eq!(t.to_raw(0..5), Some(0..9));
    }

    #[test]
    fn a_block_end_is_one_line_break() {
        let mut t = PageText::new();
        t.push_verbatim("Title  ", 0);
        t.end_block();
        t.end_block();
        t.push_verbatim("Body", 10);
        assert_eq!(t.as_str(), "Title\nBody");
        assert_eq!(t.to_raw(6..10), Some(10..14));
        assert_eq!(t.to_raw(0..5), Some(0..5));
    }

    #[test]
    fn ranges_off_character_boundaries_are_refused() {
        let mut t = PageText::new();
        t.push_verbatim("é", 0);
        assert_eq!(t.to_raw(1..2), None);
        assert_eq!(t.to_raw(0..3), None);
    }
}
