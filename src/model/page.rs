//! What the model keeps of a page beyond its message fields: its path, the
//! footnotes that cite a basis for a sentence, and its suppression and expectation comments.

use crate::page::PageComment;
use crate::source::Span;

/// The page behind a message read from a Markdown, MDX or HTML file.
#[derive(Debug, Clone)]
pub(crate) struct PageFacts {
    /// The file's path from the project root, `/`-separated (the `page` field).
    pub(crate) path: String,
    /// Footnote references, each with the sentence it is attached to.
    pub(crate) citations: Vec<Citation>,
    /// `align-ignore:` and `expect:` comments.
    pub(crate) comments: Vec<PageComment>,
}

/// A footnote reference in a page (`[^ev-survey-2026]`).
#[derive(Debug, Clone)]
pub(crate) struct Citation {
    /// The footnote's label: an evidence id when it cites evidence.
    pub(crate) label: String,
    /// The sentence it is attached to, in the page file.
    pub(crate) sentence: Span,
}

impl PageFacts {
    /// The labels of the footnotes attached to the sentence holding `span`.
    pub(crate) fn citations_at(&self, span: Span) -> impl Iterator<Item = &str> {
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
