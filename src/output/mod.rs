//! Output formats: one renderer per format, each reading [`Finding`]s and nothing else.

pub mod human;
pub mod json;

use crate::finding::{Finding, Tally};
use crate::rules::RuleSet;
use crate::source::Sources;

/// The output formats of `align check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette's graphical report, with the source lines.
    Human,
    /// One line per finding: `path:line:col: severity rule message`.
    Concise,
    /// One JSON document (see `output::json`).
    Json,
}

/// What renderers may read besides the findings.
pub struct Context<'a> {
    /// Source texts and paths.
    pub sources: &'a Sources,
    /// The rules loaded (summaries, docs).
    pub rules: &'a RuleSet,
    /// Data files checked.
    pub files: usize,
    /// Entities loaded.
    pub entities: usize,
    /// Whether colour may be used.
    pub color: bool,
    /// Terminal width for wrapping.
    pub width: usize,
    /// Leave out the closing summary.
    pub quiet: bool,
}

/// Renders findings in a format.
pub fn render(format: Format, findings: &[Finding], cx: &Context<'_>) -> String {
    match format {
        Format::Human => human::render(findings, cx),
        Format::Concise => concise(findings, cx),
        Format::Json => json::render(findings, cx),
    }
}

fn concise(findings: &[Finding], cx: &Context<'_>) -> String {
    let mut out = String::new();
    for f in findings {
        let (path, line, col) = match f.span.and_then(|s| cx.sources.range(s).map(|r| (s, r))) {
            Some((s, (start, _))) => (
                cx.sources.path(s.file).display().to_string(),
                start.line,
                start.column,
            ),
            None => (String::from("-"), 1, 1),
        };
        out.push_str(&format!(
            "{path}:{line}:{col}: {} {} {}\n",
            f.severity, f.rule, f.message
        ));
    }
    if !cx.quiet {
        out.push_str(&summary_line(findings, cx));
        out.push('\n');
    }
    out
}

/// "3 errors, 5 warnings, 1 info in 9 files (41 entities)".
pub fn summary_line(findings: &[Finding], cx: &Context<'_>) -> String {
    let t = Tally::of(findings);
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if findings.is_empty() {
        return format!(
            "No findings in {} ({}).",
            plural(cx.files, "file", "files"),
            plural(cx.entities, "entity", "entities")
        );
    }
    format!(
        "{}, {}, {} in {} ({}).",
        plural(t.errors, "error", "errors"),
        plural(t.warnings, "warning", "warnings"),
        plural(t.infos, "info", "infos"),
        plural(cx.files, "file", "files"),
        plural(cx.entities, "entity", "entities")
    )
}
