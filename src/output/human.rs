//! The human format: miette's graphical report, one diagnostic per finding, with the source
//! lines, a label on the exact field or words, the rule id as the code, and the help.
//! Errors come first, then warnings, then infos, so the first screen shows what fails the run.

use super::Context;
use crate::finding::{Finding, Severity};
use crate::source::Span;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::fmt;

/// Renders every finding, then a summary line.
pub(crate) fn render(findings: &[Finding], cx: &Context<'_>) -> String {
    let theme = if cx.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(cx.width)
        .with_links(false)
        .with_show_related_as_nested(true)
        .with_context_lines(1);
    let mut out = String::new();
    // Errors first, then warnings, then infos; within a severity, in file and line order.
    let mut ordered: Vec<&Finding> = findings.iter().collect();
    ordered.sort_by_key(|f| std::cmp::Reverse(f.severity));
    for f in ordered {
        let d = FindingDiagnostic::new(f, cx);
        if handler.render_report(&mut out, &d).is_err() {
            out.push_str(&format!("{}: {}\n", f.rule, f.message));
        }
        out.push('\n');
    }
    if !cx.quiet {
        out.push_str(&super::summary_line(findings, cx));
        out.push('\n');
    }
    out
}

/// A finding as a miette diagnostic.
struct FindingDiagnostic {
    message: String,
    code: String,
    severity: Severity,
    help: Option<String>,
    source: Option<Excerpt>,
    labels: Vec<LabeledSpan>,
    related: Vec<FindingDiagnostic>,
}

impl FindingDiagnostic {
    fn new(f: &Finding, cx: &Context<'_>) -> FindingDiagnostic {
        let mut labels = Vec::new();
        let mut related = Vec::new();
        let mut source = None;
        if let Some(span) = f.span {
            source = named_source(cx, span);
            let primary_text = f
                .labels
                .iter()
                .find(|l| l.span == span)
                .map(|l| l.message.clone())
                .or_else(|| cx.rules.get(&f.rule).map(|r| r.summary.to_lowercase()))
                .unwrap_or_else(|| "here".to_owned());
            labels.push(LabeledSpan::new_primary_with_span(
                Some(primary_text),
                to_source_span(span, source.as_ref()),
            ));
            for l in f.labels.iter().filter(|l| l.span != span) {
                let near = source.as_ref().is_some_and(|x| {
                    l.span.start as usize >= x.offset
                        && (l.span.end as usize) <= x.offset + x.text.len()
                });
                if l.span.file == span.file && near {
                    labels.push(LabeledSpan::new_with_span(
                        Some(l.message.clone()),
                        to_source_span(l.span, source.as_ref()),
                    ));
                } else {
                    let source = named_source(cx, l.span);
                    let labels = vec![LabeledSpan::new_primary_with_span(
                        None,
                        to_source_span(l.span, source.as_ref()),
                    )];
                    related.push(FindingDiagnostic {
                        message: l.message.clone(),
                        code: String::new(),
                        severity: f.severity,
                        help: None,
                        source,
                        labels,
                        related: Vec::new(),
                    });
                }
            }
        }
        FindingDiagnostic {
            message: f.message.clone(),
            code: f.rule.clone(),
            severity: f.severity,
            help: f.help.clone(),
            source,
            labels,
            related,
        }
    }
}

/// How far an excerpt reaches on either side of a span, in bytes: enough for the lines
/// around it, and on a very long line only the part near the span.
const EXCERPT_SIDE: usize = 400;

/// The most of a span an excerpt shows; a longer span is underlined up to here.
const EXCERPT_SPAN: usize = 1024;

/// The few lines around a span, with where they sit in the file, so a report copies
/// kilobytes rather than the whole file per finding, and a line of a megabyte is shown
/// cropped instead of padded out to its column.
struct Excerpt {
    name: String,
    text: String,
    /// Byte offset of `text` in the file.
    offset: usize,
    /// 0-based line and character column of `text`'s start in the file.
    line: usize,
    column: usize,
}

fn named_source(cx: &Context<'_>, span: Span) -> Option<Excerpt> {
    let file = cx.sources.get(span.file)?;
    let text: &str = &file.text;
    let start = (span.start as usize).min(text.len());
    let end = (span.end as usize).clamp(start, text.len());
    let end = end.min(start + EXCERPT_SPAN);
    let bytes = text.as_bytes();
    // Back to the start of the line before, but no further than EXCERPT_SIDE.
    let lo = start.saturating_sub(EXCERPT_SIDE);
    let mut from = bytes
        .get(lo..start)
        .and_then(|b| {
            let mut breaks = b.iter().enumerate().rev().filter(|(_, c)| **c == b'\n');
            breaks.next();
            breaks.next().map(|(i, _)| lo + i + 1)
        })
        .unwrap_or(lo);
    // On to the end of the line after, but no further than EXCERPT_SIDE.
    let hi = (end + EXCERPT_SIDE).min(text.len());
    let mut to = bytes
        .get(end..hi)
        .and_then(|b| {
            b.iter()
                .enumerate()
                .filter(|(_, c)| **c == b'\n')
                .nth(1)
                .map(|(i, _)| end + i + 1)
        })
        .unwrap_or(hi);
    while from > 0 && !text.is_char_boundary(from) {
        from -= 1;
    }
    while to < text.len() && !text.is_char_boundary(to) {
        to += 1;
    }
    let at = file.line_col(from);
    Some(Excerpt {
        name: file.path.display().to_string(),
        text: text.get(from..to)?.to_owned(),
        offset: from,
        line: at.line - 1,
        column: at.column - 1,
    })
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let relative = SourceSpan::new(
            span.offset()
                .checked_sub(self.offset)
                .ok_or(MietteError::OutOfBounds)?
                .into(),
            span.len(),
        );
        let inner =
            self.text
                .as_str()
                .read_span(&relative, context_lines_before, context_lines_after)?;
        let column = if inner.line() == 0 {
            self.column + inner.column()
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new(
                (inner.span().offset() + self.offset).into(),
                inner.span().len(),
            ),
            self.line + inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

/// A span as miette wants it, cut to what the excerpt shows.
fn to_source_span(span: Span, excerpt: Option<&Excerpt>) -> SourceSpan {
    let start = span.start as usize;
    let mut end = (span.end as usize).max(start);
    if let Some(x) = excerpt {
        end = end.min(x.offset + x.text.len()).max(start);
    }
    SourceSpan::new(start.into(), end - start)
}

impl fmt::Debug for FindingDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for FindingDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FindingDiagnostic {}

impl Diagnostic for FindingDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        if self.code.is_empty() {
            None
        } else {
            Some(Box::new(&self.code))
        }
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|d| d as &dyn Diagnostic)))
        }
    }
}
