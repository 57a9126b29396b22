//! The source table: every file align reads, its text, and byte spans into it.
//!
//! Everything that points into a file (a YAML field, a word inside a message, a token in a
//! rule file) holds a [`Span`]: a file id and a byte range. Lines and columns are computed
//! only when a finding is rendered.

use crate::page::PageText;
use std::fmt;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The text of a file, held once and shared: by the source table, and by every value read
/// from the file as written, which keeps a range of it instead of a copy.
///
/// One pointer wide, so a value that keeps it with a range is no bigger than a boxed string.
#[derive(Clone, Default)]
pub struct SharedText(Arc<Box<str>>);

impl Deref for SharedText {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<String> for SharedText {
    fn from(text: String) -> Self {
        SharedText(Arc::new(text.into_boxed_str()))
    }
}

impl From<&str> for SharedText {
    fn from(text: &str) -> Self {
        SharedText(Arc::new(Box::from(text)))
    }
}

impl fmt::Debug for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SharedText({} bytes)", self.len())
    }
}

/// Identifies a file in the [`Sources`] table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range inside one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// The file the range is in.
    pub file: FileId,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from a file and a byte range.
    pub(crate) fn new(file: FileId, start: usize, end: usize) -> Span {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        Span { file, start, end }
    }

    /// Whether the span covers no bytes.
    pub(crate) fn is_empty(&self) -> bool {
        self.end == self.start
    }

    /// The smallest span covering both (same file assumed).
    pub(crate) fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A map keyed by spans, for what is looked up by place on every evaluation (a rule's
/// compiled patterns): foldhash hashes a span several times faster than the standard hasher.
pub(crate) type SpanMap<V> = std::collections::HashMap<Span, V, foldhash::fast::RandomState>;

/// A 1-based line and column position, the column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in Unicode characters.
    pub column: usize,
}

/// The text of one file read by align, with what is needed to turn offsets into lines.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as it is shown to the user (relative to the current directory when possible).
    pub(crate) path: PathBuf,
    /// The full text.
    pub(crate) text: SharedText,
    /// Built the first time a position in the file is asked for: most files of a large
    /// project have no finding and never need it.
    lines: OnceLock<LineTable>,
    /// For a page file: the span its text value is given, and how that text maps back.
    page_text: Option<(Span, Arc<PageText>)>,
}

/// Where lines start, and how many characters come before each block of bytes.
#[derive(Debug)]
struct LineTable {
    line_starts: Vec<u32>,
    /// Characters before each [`CHAR_BLOCK`]-byte block, so that a column on a very long
    /// line is counted in bounded time (many findings on one line stay linear).
    block_chars: Vec<u32>,
}

/// Bytes per entry of [`SourceFile`]'s character-count table.
const CHAR_BLOCK: usize = 4096;

/// Characters in a run of UTF-8 bytes: every byte but a continuation byte starts one.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| **b & 0xC0 != 0x80).count()
}

impl LineTable {
    fn new(text: &str) -> LineTable {
        let mut line_starts = vec![0u32];
        let mut block_chars = Vec::with_capacity(text.len() / CHAR_BLOCK + 1);
        let mut chars = 0u32;
        for (i, block) in text.as_bytes().chunks(CHAR_BLOCK).enumerate() {
            block_chars.push(chars);
            let base = i * CHAR_BLOCK;
            line_starts.extend(
                block
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'\n')
                    .map(|(j, _)| u32::try_from(base + j + 1).unwrap_or(u32::MAX)),
            );
            chars = chars.saturating_add(u32::try_from(count_chars(block)).unwrap_or(u32::MAX));
        }
        LineTable {
            line_starts,
            block_chars,
        }
    }
}

impl SourceFile {
    /// Builds the file entry; its line table is built when first needed.
    pub(crate) fn new(path: PathBuf, text: SharedText) -> SourceFile {
        SourceFile {
            path,
            text,
            lines: OnceLock::new(),
            page_text: None,
        }
    }

    fn lines(&self) -> &LineTable {
        self.lines.get_or_init(|| LineTable::new(&self.text))
    }

    /// The number of characters between two byte offsets (character boundaries, `from <= to`).
    fn chars_between(&self, from: usize, to: usize) -> usize {
        let bytes = self.text.as_bytes();
        if to - from <= CHAR_BLOCK {
            return bytes.get(from..to).map_or(0, count_chars);
        }
        self.chars_before(to) - self.chars_before(from)
    }

    /// The number of characters before a byte offset (a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let block = offset / CHAR_BLOCK;
        let base = self.lines().block_chars.get(block).copied().unwrap_or(0) as usize;
        let from = block * CHAR_BLOCK;
        base + self
            .text
            .as_bytes()
            .get(from..offset)
            .map_or(0, count_chars)
    }

    /// The 0-based line holding a byte offset.
    fn line_index(&self, offset: usize) -> usize {
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        match self.lines().line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Snaps an offset down to a character boundary inside the text.
    fn clamp(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// 1-based line and character column of a byte offset.
    pub(crate) fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.clamp(offset);
        let line = self.line_index(offset);
        let start = self.lines().line_starts.get(line).copied().unwrap_or(0) as usize;
        // A carriage return before the offset belongs to the line end, not to the line.
        let mut end = offset;
        while end > start && self.text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        let column = self.chars_between(start, end);
        LineCol {
            line: line + 1,
            column: column + 1,
        }
    }

    /// The text of a span, or "" when it does not fall on character boundaries.
    pub(crate) fn slice(&self, start: usize, end: usize) -> &str {
        self.text.get(start..end).unwrap_or("")
    }
}

/// The table of every file read in one run, indexed by [`FileId`].
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// An empty table.
    pub fn new() -> Sources {
        Sources::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, path: PathBuf, text: impl Into<SharedText>) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile::new(path, text.into()));
        id
    }

    /// Replaces the text of a file, keeping its id (an editor's unsaved buffer, a file changed
    /// on disk). Spans into the old text must not be used afterwards.
    pub(crate) fn replace(&mut self, id: FileId, text: impl Into<SharedText>) {
        if let Some(f) = self.files.get_mut(id.0 as usize) {
            *f = SourceFile::new(std::mem::take(&mut f.path), text.into());
        }
    }

    /// Records that the text value spanning `span` in a page file is `text`, read from the
    /// page's markup: words found in it are located through the page's map, not as a YAML
    /// scalar.
    pub(crate) fn set_page_text(&mut self, span: Span, text: Arc<PageText>) {
        if let Some(f) = self.files.get_mut(span.file.0 as usize) {
            f.page_text = Some((span, text));
        }
    }

    /// The page text whose value is given the span `span`, if it is one.
    pub(crate) fn page_text(&self, span: Span) -> Option<&PageText> {
        match &self.get(span.file)?.page_text {
            Some((at, text)) if *at == span => Some(text),
            _ => None,
        }
    }

    /// Whether a file was read as a page (Markdown, MDX or HTML), not as YAML.
    pub(crate) fn is_page(&self, id: FileId) -> bool {
        self.get(id).is_some_and(|f| f.page_text.is_some())
    }

    /// The file with this id.
    pub(crate) fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    /// The text a span covers.
    pub fn text(&self, span: Span) -> &str {
        self.get(span.file)
            .map(|f| f.slice(span.start as usize, span.end as usize))
            .unwrap_or("")
    }

    /// Start and end positions of a span (end exclusive).
    pub fn range(&self, span: Span) -> Option<(LineCol, LineCol)> {
        let file = self.get(span.file)?;
        Some((
            file.line_col(span.start as usize),
            file.line_col(span.end as usize),
        ))
    }

    /// The displayed path of a file.
    pub fn path(&self, id: FileId) -> &Path {
        self.get(id)
            .map(|f| f.path.as_path())
            .unwrap_or(Path::new(""))
    }

    /// Every file with its id.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_character_column() {
        let mut sources = Sources::new();
        let id = sources.add("a.yaml".into(), "ab\ncé d\r\nx");
        let f = sources.get(id).expect("file");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // "d" comes after "cé " where é is two bytes.
        assert_eq!(f.line_col(7), LineCol { line: 2, column: 4 });
        assert_eq!(f.line_col(10), LineCol { line: 3, column: 1 });
        // Just after the carriage return of a CRLF line end.
        assert_eq!(f.line_col(9), LineCol { line: 2, column: 5 });
    }

    #[test]
    fn columns_on_a_line_longer_than_a_block() {
        let line = "é".repeat(3000) + "x";
        let mut sources = Sources::new();
        let id = sources.add("a.yaml".into(), format!("a\n{line}"));
        let f = sources.get(id).expect("file");
        let x = 2 + 2 * 3000;
        assert_eq!(
            f.line_col(x),
            LineCol {
                line: 2,
                column: 3001
            }
        );
    }
}
