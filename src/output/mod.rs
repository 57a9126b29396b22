//! Output formats: one renderer per format, each reading [`Finding`]s and nothing else.

pub(crate) mod github;
pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod junit;
pub(crate) mod markdown;
pub(crate) mod sarif;

use crate::finding::{Finding, Severity, Tally, stable_hash};
use crate::rules::{Rule, RuleSet};
use crate::source::Sources;
use std::collections::HashMap;

/// The output formats of `align check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette's graphical report, with the source lines.
    Human,
    /// One line per finding: `path:line:col: severity rule message`.
    Concise,
    /// One JSON document (its fields are described in README, "JSON output").
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// JUnit XML: one test case per rule in force, a failure per finding.
    Junit,
    /// Markdown for reviewers: a GitHub job summary or pull-request comment.
    Markdown,
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
    /// What the run put in force and left out, for the formats that list rules.
    pub run: RunInfo<'a>,
}

/// What a run put in force, beyond the findings: the rules and their severities, and what a
/// baseline hid. Empty by default (no rules listed, no baseline).
#[derive(Debug, Clone, Default)]
pub struct RunInfo<'a> {
    /// Every rule that ran, with the severity it ran at, in rule-set order.
    pub(crate) in_force: Vec<(&'a Rule, Severity)>,
    /// What a baseline hid, when one was used.
    pub(crate) baseline: Option<BaselineNote>,
}

/// What a baseline did to a run, for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct BaselineNote {
    /// Findings left out because the baseline lists them.
    pub(crate) known: usize,
    /// Baseline entries that matched no finding (fixed, or moved to another entity).
    pub(crate) unmatched: usize,
}

impl BaselineNote {
    /// "18 known findings hidden by the baseline; 2 baseline entries no longer match".
    pub(crate) fn sentence(&self) -> String {
        let known = match self.known {
            1 => "1 known finding hidden by the baseline".to_owned(),
            n => format!("{n} known findings hidden by the baseline"),
        };
        let unmatched = match self.unmatched {
            0 => String::new(),
            1 => {
                "; 1 baseline entry no longer matches (refresh it with --write-baseline)".to_owned()
            }
            n => {
                format!("; {n} baseline entries no longer match (refresh it with --write-baseline)")
            }
        };
        format!("{known}{unmatched}")
    }
}

/// Renders findings in a format.
pub fn render(format: Format, findings: &[Finding], cx: &Context<'_>) -> String {
    match format {
        Format::Human => human::render(findings, cx),
        Format::Concise => concise(findings, cx),
        Format::Json => json::render(findings, cx),
        Format::Sarif => sarif::render(findings, cx),
        Format::Github => github::render(findings, cx),
        Format::Junit => junit::render(findings, cx),
        Format::Markdown => markdown::render(findings, cx),
    }
}

/// Writes findings in a format to `out`. JSON is written as it is serialized, so the whole
/// report of a large project is never held in memory; other formats are rendered first.
pub(crate) fn write(
    format: Format,
    findings: &[Finding],
    cx: &Context<'_>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => json::write(findings, cx, out),
        other => out.write_all(render(other, findings, cx).as_bytes()),
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
pub(crate) fn summary_line(findings: &[Finding], cx: &Context<'_>) -> String {
    let t = Tally::of(findings);
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let baseline = cx
        .run
        .baseline
        .map(|b| format!(" {}.", upper_first(&b.sentence())))
        .unwrap_or_default();
    if findings.is_empty() {
        return format!(
            "No findings in {} ({}).{baseline}",
            plural(cx.files, "file", "files"),
            plural(cx.entities, "entity", "entities")
        );
    }
    format!(
        "{}, {}, {} in {} ({}).{baseline}",
        plural(t.errors, "error", "errors"),
        plural(t.warnings, "warning", "warnings"),
        plural(t.infos, "info", "infos"),
        plural(cx.files, "file", "files"),
        plural(cx.entities, "entity", "entities")
    )
}

fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A fingerprint per finding that stays the same from run to run while the finding is about
/// the same thing: a hash of its identity (rule, entity kind, id, field; never line numbers),
/// then `:n` for the n-th finding with that identity, so that each is distinct.
pub(crate) fn fingerprints(findings: &[Finding], sources: &Sources) -> Vec<String> {
    let mut seen: HashMap<u64, usize> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let hash = stable_hash(&f.identity(sources));
            let n = seen.entry(hash).or_insert(0);
            *n += 1;
            format!("{hash:016x}:{n}")
        })
        .collect()
}

/// Where a finding starts and ends: path, then 1-based line and column of start and end
/// (end exclusive, columns in characters). `None` for a finding with no place.
pub(crate) fn place(f: &Finding, sources: &Sources) -> Option<Place> {
    let span = f.span?;
    let (start, end) = sources.range(span)?;
    Some(Place {
        path: sources.path(span.file).to_string_lossy().replace('\\', "/"),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    })
}

/// A finding's place as renderers show it (see [`place`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    /// The path relative to the current folder, with `/` separators.
    pub(crate) path: String,
    /// 1-based start line.
    pub(crate) line: usize,
    /// 1-based start column, in characters.
    pub(crate) column: usize,
    /// 1-based end line.
    pub(crate) end_line: usize,
    /// 1-based end column, in characters, exclusive.
    pub(crate) end_column: usize,
}
