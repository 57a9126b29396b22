//! Findings as LSP diagnostics: range in the client's encoding, severity, the rule id as
//! `code`, `source` "align", the message (and the help under it), and every other place a
//! finding involves as related information.

use super::position::{Encoding, position};
use super::uri;
use crate::finding::{Finding, Severity};
use crate::source::{Sources, Span};
use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Range,
};
use std::path::Path;

/// The range of a span in the client's encoding.
pub(crate) fn range(sources: &Sources, span: Span, enc: Encoding) -> Option<Range> {
    let file = sources.get(span.file)?;
    Some(Range {
        start: position(file, span.start as usize, enc),
        end: position(file, span.end as usize, enc),
    })
}

/// One finding as a diagnostic. `path_of` gives the file behind a span (for related
/// information in other files).
pub(crate) fn diagnostic<'a>(
    finding: &Finding,
    sources: &Sources,
    enc: Encoding,
    path_of: impl Fn(Span) -> Option<&'a Path>,
) -> Option<Diagnostic> {
    let span = finding.span?;
    let range = range(sources, span, enc)?;
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = finding
        .labels
        .iter()
        .filter(|l| l.span != span)
        .filter_map(|l| {
            let uri = uri::from_path(path_of(l.span)?)?;
            Some(DiagnosticRelatedInformation {
                location: Location {
                    uri,
                    range: self::range(sources, l.span, enc)?,
                },
                message: l.message.clone(),
            })
        })
        .collect();
    Some(Diagnostic {
        range,
        severity: Some(match finding.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(finding.rule.clone())),
        code_description: None,
        source: Some("align".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    })
}
