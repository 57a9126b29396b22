//! Errors in rule files: located, in plain words, with a suggestion where one helps.

use crate::source::Span;

/// A mistake in a `.align` file, found while parsing or checking it.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleError {
    /// What is wrong.
    pub(crate) message: String,
    /// Where.
    pub(crate) span: Span,
    /// The short text under the underline.
    pub(crate) label: String,
    /// What to do (a did-you-mean, the expected form).
    pub(crate) help: Option<String>,
}

impl RuleError {
    /// An error at `span`.
    pub(crate) fn new(span: Span, message: impl Into<String>) -> RuleError {
        RuleError {
            message: message.into(),
            span,
            label: "here".to_owned(),
            help: None,
        }
    }

    /// Sets the label under the underline.
    pub(crate) fn label(mut self, label: impl Into<String>) -> RuleError {
        self.label = label.into();
        self
    }

    /// Sets the help line.
    pub(crate) fn help(mut self, help: impl Into<String>) -> RuleError {
        self.help = Some(help.into());
        self
    }

    /// Adds a did-you-mean when there is a close candidate.
    pub(crate) fn suggest<'a>(
        self,
        word: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> RuleError {
        match crate::model::schema::did_you_mean(word, candidates) {
            Some(s) => self.help(format!("did you mean `{s}`?")),
            None => self,
        }
    }
}
