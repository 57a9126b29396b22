//! Positions as the client counts them.
//!
//! align keeps byte offsets; LSP positions are a line and a column counted in UTF-16 code
//! units, unless the client offers UTF-8 in `general.positionEncodings` (LSP 3.17) and the
//! server picks it. Older clients (Neovim 0.7, many others) never offer anything, so UTF-16
//! is the default and the only encoding every client understands.

use crate::source::SourceFile;
use lsp_types::{
    ClientCapabilities, Position, PositionEncodingKind, TextDocumentContentChangeEvent,
};

/// How columns are counted on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (the LSP default).
    Utf16,
}

impl Encoding {
    /// The encoding to use with a client: UTF-8 when it offers it, else UTF-16.
    pub(crate) fn negotiate(caps: &ClientCapabilities) -> Encoding {
        let offered = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref());
        match offered {
            Some(list) if list.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    /// The name the client is told in the server capabilities.
    pub(crate) fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    /// The width of a piece of text in this encoding's units.
    fn width(self, s: &str) -> u32 {
        let n = match self {
            Encoding::Utf8 => s.len(),
            Encoding::Utf16 => s.encode_utf16().count(),
        };
        u32::try_from(n).unwrap_or(u32::MAX)
    }
}

/// Snaps an offset down to a character boundary inside the text.
fn clamp(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The position of a byte offset of a file in the source table.
pub(crate) fn position(file: &SourceFile, offset: usize, enc: Encoding) -> Position {
    let text: &str = &file.text;
    let offset = clamp(text, offset);
    let line = file.line_col(offset).line.saturating_sub(1);
    let before = text.get(..offset).unwrap_or("");
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    Position {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        character: enc.width(before.get(line_start..).unwrap_or("")),
    }
}

/// The position of a byte offset of any text (scans the text; for small texts and edits).
pub(crate) fn position_in(text: &str, offset: usize, enc: Encoding) -> Position {
    let offset = clamp(text, offset);
    let before = text.get(..offset).unwrap_or("");
    let line = before.bytes().filter(|b| *b == b'\n').count();
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    Position {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        character: enc.width(before.get(line_start..).unwrap_or("")),
    }
}

/// The byte offset of a position. A line past the end gives the end of the text; a column
/// past the end of its line gives the end of the line, as LSP asks.
pub(crate) fn offset(text: &str, pos: Position, enc: Encoding) -> usize {
    let mut start = 0usize;
    for _ in 0..pos.line {
        match text.get(start..).and_then(|rest| rest.find('\n')) {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let rest = text.get(start..).unwrap_or("");
    let line = rest.split('\n').next().unwrap_or("");
    let line = line.strip_suffix('\r').unwrap_or(line);
    let mut units = 0u32;
    for (i, c) in line.char_indices() {
        if units >= pos.character {
            return start + i;
        }
        units += match enc {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
        };
        // A position inside a character (a UTF-16 surrogate pair) belongs to that character.
        if units > pos.character {
            return start + i;
        }
    }
    start + line.len()
}

/// Applies the client's edits to a document's text, in order.
pub(crate) fn apply_changes(
    text: &mut String,
    changes: Vec<TextDocumentContentChangeEvent>,
    enc: Encoding,
) {
    for change in changes {
        match change.range {
            None => *text = change.text,
            Some(range) => {
                let start = offset(text, range.start, enc);
                let end = offset(text, range.end, enc).max(start);
                text.replace_range(start..end, &change.text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Sources;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn columns_count_utf16_units_or_bytes() {
        let text = "a: 1\ntext: é 😀 guaranteed\n";
        let mut sources = Sources::new();
        let id = sources.add("a.yaml".into(), text);
        let file = sources.get(id).expect("file");
        let at = text.find("guaranteed").expect("word");
        // "text: " is 6, é one UTF-16 unit (2 bytes), the emoji two units (4 bytes), two spaces.
        assert_eq!(position(file, at, Encoding::Utf16), pos(1, 11));
        assert_eq!(position(file, at, Encoding::Utf8), pos(1, 14));
        assert_eq!(position_in(text, at, Encoding::Utf16), pos(1, 11));
        assert_eq!(offset(text, pos(1, 11), Encoding::Utf16), at);
        assert_eq!(offset(text, pos(1, 14), Encoding::Utf8), at);
        // Past the end of a line: the end of the line; past the last line: the end.
        assert_eq!(offset(text, pos(0, 99), Encoding::Utf16), 4);
        assert_eq!(offset(text, pos(9, 0), Encoding::Utf16), text.len());
    }

    #[test]
    fn edits_apply_in_order() {
        let mut text = "needs: [a, b]\n".to_owned();
        let change = |l0, c0, l1, c1, t: &str| TextDocumentContentChangeEvent {
            range: Some(lsp_types::Range::new(pos(l0, c0), pos(l1, c1))),
            range_length: None,
            text: t.to_owned(),
        };
        apply_changes(
            &mut text,
            vec![change(0, 8, 0, 9, "é"), change(0, 9, 0, 9, "x")],
            Encoding::Utf16,
        );
        assert_eq!(text, "needs: [éx, b]\n");
    }
}
