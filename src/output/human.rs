//! The human format: miette's graphical report, one diagnostic per finding, with the source
//! lines, a label on the exact field or words, the rule id as the code, and the help.

use super::Context;
use crate::finding::{Finding, Severity};
use crate::source::Span;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan,
};
use std::fmt;

/// Renders every finding, then a summary line.
pub fn render(findings: &[Finding], cx: &Context<'_>) -> String {
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
    for f in findings {
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
    source: Option<NamedSource<String>>,
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
                to_source_span(span),
            ));
            for l in f.labels.iter().filter(|l| l.span != span) {
                if l.span.file == span.file {
                    labels.push(LabeledSpan::new_with_span(
                        Some(l.message.clone()),
                        to_source_span(l.span),
                    ));
                } else {
                    related.push(FindingDiagnostic {
                        message: l.message.clone(),
                        code: String::new(),
                        severity: f.severity,
                        help: None,
                        source: named_source(cx, l.span),
                        labels: vec![LabeledSpan::new_primary_with_span(
                            None,
                            to_source_span(l.span),
                        )],
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

fn named_source(cx: &Context<'_>, span: Span) -> Option<NamedSource<String>> {
    let file = cx.sources.get(span.file)?;
    Some(NamedSource::new(
        file.path.display().to_string(),
        file.text.to_string(),
    ))
}

fn to_source_span(span: Span) -> SourceSpan {
    SourceSpan::new((span.start as usize).into(), span.len())
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
