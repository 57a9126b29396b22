//! What the model keeps of a page beyond its message fields: its path and kind, the
//! footnotes that cite a basis for a sentence, and its suppression and expectation comments.

use crate::page::{PageComment, PageKind};
use crate::source::Span;

/// The page behind a message read from a Markdown, MDX or HTML file.
#[derive(Debug, Clone)]
pub struct PageFacts {
    /// Markdown, MDX or HTML.
    pub kind: PageKind,
    /// The file's path from the project root, `/`-separated (the `page` field).
    pub path: String,
    /// Footnote references, each with the sentence it is attached to.
    pub citations: Vec<Citation>,
    /// `align-ignore:` and `expect:` comments.
    pub comments: Vec<PageComment>,
}

/// A footnote reference in a page (`[^ev-survey-2026]`).
#[derive(Debug, Clone)]
pub struct Citation {
    /// The footnote's label: an evidence id when it cites evidence.
    pub label: String,
    /// Where the marker is written.
    pub marker: Span,
    /// The sentence it is attached to, in the page file.
    pub sentence: Span,
}

impl PageFacts {
    /// The labels of the footnotes attached to the sentence holding `span`.
    pub fn citations_at(&self, span: Span) -> impl Iterator<Item = &str> {
        self.citations
            .iter()
            .filter(move |c| {
                c.sentence.file == span.file
                    && c.sentence.start <= span.start
                    && span.end <= c.sentence.end
            })
            .map(|c| c.label.as_str())
    }
}
