//! Pages: Markdown, MDX and HTML files read as messages.
//!
//! A page file is read into what the model needs of it: its `align:` fields (from the front
//! matter or `<meta name="align:...">` tags), its text as a reader sees it with a map from
//! every byte of that text back to the file (`PageText`), the footnotes that cite a basis,
//! and its suppression and expectation comments. Everything keeps a span in the page file, so
//! a finding underlines the exact words as they are written.
//!
//! Reading never fails: a problem (broken front matter, a page too large) is a located
//! `PageError` and whatever could be read is kept.

pub(crate) mod comments;
pub(crate) mod entities;
pub(crate) mod front;
pub(crate) mod html;
pub mod load;
pub(crate) mod markdown;
pub(crate) mod textmap;

pub(crate) use comments::{CommentKind, PageComment};
pub(crate) use textmap::PageText;

use crate::model::node::Node;
use crate::source::{FileId, Span};
use std::ops::Range;
use std::path::Path;

/// The kinds of page files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    /// CommonMark with GFM tables and footnotes (`.md`, `.markdown`).
    Markdown,
    /// Markdown with JSX (`.mdx`).
    Mdx,
    /// HTML (`.html`, `.htm`).
    Html,
}

impl PageKind {
    /// The kind of a file, from its extension; `None` for files that are never pages.
    pub fn of_path(path: &Path) -> Option<PageKind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(PageKind::Markdown),
            "mdx" => Some(PageKind::Mdx),
            "html" | "htm" => Some(PageKind::Html),
            _ => None,
        }
    }

    /// The name shown in reports (`markdown`, `mdx`, `html`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            PageKind::Markdown => "markdown",
            PageKind::Mdx => "mdx",
            PageKind::Html => "html",
        }
    }
}

/// A problem met while reading a page, located in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageError {
    /// Where.
    pub(crate) span: Span,
    /// What went wrong, in plain words.
    pub(crate) message: String,
    /// What to do about it.
    pub(crate) help: String,
}

impl PageError {
    /// A located problem.
    pub(crate) fn new(span: Span, message: String, help: String) -> PageError {
        PageError {
            span,
            message,
            help,
        }
    }
}

/// A footnote reference (`[^ev-survey-2026]`) in a page's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FootnoteRef {
    /// The label, as written between `[^` and `]`.
    pub(crate) label: String,
    /// Where the marker is written.
    pub(crate) span: Span,
    /// The sentence it is attached to, as a range of the page's text.
    pub(crate) sentence: Range<usize>,
    /// The same sentence in the file.
    pub(crate) sentence_span: Span,
}

/// Limits that keep reading any page bounded in time and memory.
#[derive(Debug, Clone, Copy)]
pub struct PageLimits {
    /// Largest page whose body is read, in bytes. A marketing page is a few kilobytes; a
    /// larger file still has its front matter or meta tags read, and a finding says its text
    /// was not checked.
    pub(crate) max_bytes: usize,
    /// Most comments (`<!-- ... -->`) kept from one page.
    pub(crate) max_comments: usize,
    /// Most footnote references kept from one page.
    pub(crate) max_footnotes: usize,
}

impl Default for PageLimits {
    fn default() -> Self {
        PageLimits {
            max_bytes: 4 << 20,
            max_comments: 1_000,
            max_footnotes: 1_000,
        }
    }
}

/// One page file as read.
#[derive(Debug, Clone)]
pub struct Page {
    /// The whole front matter, for Markdown and MDX pages that have one.
    pub(crate) front: Option<Node>,
    /// The `align:` mapping of the front matter, or the `align:` meta tags gathered into a
    /// mapping (values are text, or lists of ids for `features`, `evidence` and `tags`).
    pub(crate) align: Option<Node>,
    /// What a reader sees, blocks separated by line breaks.
    pub text: PageText,
    /// Footnote references, in text order.
    pub(crate) footnotes: Vec<FootnoteRef>,
    /// Suppression and expectation comments.
    pub comments: Vec<PageComment>,
    /// Problems met while reading.
    pub(crate) errors: Vec<PageError>,
    /// Whether the file says it is a page (an `align` key in its front matter, an `align:`
    /// meta tag), even when that part could not be read.
    pub(crate) claims_page: bool,
    /// Whether the front matter could not be read: the page's fields are unknown.
    pub(crate) fields_unread: bool,
}

impl Page {
    fn empty() -> Page {
        Page {
            front: None,
            align: None,
            text: PageText::new(),
            footnotes: Vec::new(),
            comments: Vec::new(),
            errors: Vec::new(),
            claims_page: false,
            fields_unread: false,
        }
    }

    /// Whether this file is a page by what it holds (a `pages:` entry can make any file of
    /// a page kind one).
    pub(crate) fn is_page(&self) -> bool {
        self.align.is_some() || self.claims_page
    }
}

/// Reads one page file. `text` is the whole file.
pub fn read(file: FileId, kind: PageKind, text: &str, limits: &PageLimits) -> Page {
    let mut page = match kind {
        PageKind::Markdown | PageKind::Mdx => markdown::read(file, kind, text, limits),
        PageKind::Html => html::read(file, text, limits),
    };
    page.comments.truncate(limits.max_comments);
    page.footnotes.truncate(limits.max_footnotes);
    comments::locate(text, &mut page.comments);
    page
}

/// The error for a page larger than [`PageLimits::max_bytes`].
fn too_large(file: FileId, len: usize, limits: &PageLimits) -> PageError {
    PageError::new(
        Span::new(file, 0, 0),
        format!(
            "this page is {} MB, more than the {} MB align reads, so its text is not checked",
            (len + (1 << 19)) >> 20,
            limits.max_bytes >> 20
        ),
        "split the page, or leave it out of the checked paths".to_owned(),
    )
}

/// Whether a file looks binary: a NUL byte near its start.
pub(crate) fn looks_binary(text: &str) -> bool {
    text.as_bytes().iter().take(8192).any(|&b| b == 0)
}

/// The range of the sentence of `text` that the position `at` ends or falls in: from after
/// the previous sentence end (`.`, `!`, `?` or a line break) to the next one, trimmed.
pub(crate) fn sentence_around(text: &str, at: usize) -> Range<usize> {
    let at = at.min(text.len());
    let bytes = text.as_bytes();
    let is_end = |i: usize| match bytes.get(i) {
        Some(b'\n' | b'!' | b'?') => true,
        Some(b'.') => !bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric),
        _ => false,
    };
    // The mark a footnote follows ("in three days.[^ev]") belongs to the sentence before.
    let mut probe = at;
    while probe > 0 && bytes.get(probe - 1).is_some_and(|b| *b == b' ') {
        probe -= 1;
    }
    if probe > 0 && is_end(probe - 1) && bytes.get(probe - 1) != Some(&b'\n') {
        probe -= 1;
    }
    // A sentence is looked for no further than this either way, so that many footnotes in
    // text without sentence ends stay cheap.
    const REACH: usize = 4096;
    let mut start = probe;
    while start > 0 && probe - start < REACH && !is_end(start - 1) {
        start -= 1;
    }
    let mut end = probe;
    while end < bytes.len() && end - probe < REACH && !is_end(end) {
        end += 1;
    }
    if end < bytes.len() && bytes.get(end) != Some(&b'\n') {
        end += 1;
    }
    while start < end && bytes.get(start).is_some_and(u8::is_ascii_whitespace) {
        start += 1;
    }
    while !text.is_char_boundary(start) {
        start += 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end.max(start)
}

/// The files that may be pages, as globs added to the files align walks.
pub const PAGE_GLOBS: &[&str] = &[
    "**/*.md",
    "**/*.markdown",
    "**/*.mdx",
    "**/*.html",
    "**/*.htm",
];

/// The texts of the front matter that readers see, in the order they are shown.
pub(crate) const FRONT_TEXT_KEYS: &[&str] = &["title", "description", "summary"];

#[cfg(test)]
mod tests;
