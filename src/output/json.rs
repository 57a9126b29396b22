//! The JSON format: one document, stable across versions (fields are added, never renamed).
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     { "rule": "overpromise/unsubstantiated-claim", "severity": "warning",
//!       "message": "...", "help": "...", "file": "messages/launch.yaml",
//!       "line": 12, "column": 11, "end_line": 12, "end_column": 21,
//!       "entity": { "kind": "message", "id": "launch-email-hero" } }
//!   ],
//!   "summary": { "files": 9, "entities": 41, "errors": 3, "warnings": 5, "infos": 1 }
//! }
//! ```
//!
//! `file` is relative to the current folder; `line`/`column` are 1-based, the column counted
//! in characters; `end_*` is exclusive. Findings of loading have no `entity`.

use super::Context;
use crate::finding::{Finding, Tally};
use serde::Serialize;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    findings: Items<'a>,
    summary: Summary,
}

/// The findings, each turned into its JSON item only as it is written: a report of many
/// thousands of findings never holds all its items (and their paths) at once.
struct Items<'a> {
    findings: &'a [Finding],
    cx: &'a Context<'a>,
}

impl Serialize for Items<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.findings.iter().map(|f| item(f, self.cx)))
    }
}

#[derive(Serialize)]
struct Item<'a> {
    rule: &'a str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entity: Option<Entity<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

#[derive(Serialize)]
struct Entity<'a> {
    kind: &'a str,
    id: &'a str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    entities: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

/// Renders the findings as the JSON document. The document is serialized straight from the
/// findings, without an intermediate tree, so a large report costs little more than its text.
pub(crate) fn render<'a>(findings: &'a [Finding], cx: &'a Context<'a>) -> String {
    let mut s =
        serde_json::to_string_pretty(&document(findings, cx)).unwrap_or_else(|_| "{}".to_owned());
    s.push('\n');
    s
}

/// Writes the JSON document to `out` as it is serialized, so a large report is never held
/// in memory whole.
pub(crate) fn write<'a>(
    findings: &'a [Finding],
    cx: &'a Context<'a>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(findings, cx))?;
    out.write_all(b"\n")
}

fn document<'a>(findings: &'a [Finding], cx: &'a Context<'a>) -> Document<'a> {
    let t = Tally::of(findings);
    Document {
        version: 1,
        findings: Items { findings, cx },
        summary: Summary {
            files: cx.files,
            entities: cx.entities,
            errors: t.errors,
            warnings: t.warnings,
            infos: t.infos,
        },
    }
}

fn item<'a>(f: &'a Finding, cx: &Context<'_>) -> Item<'a> {
    let place = f.span.and_then(|s| cx.sources.range(s).map(|r| (s, r)));
    Item {
        rule: &f.rule,
        severity: f.severity.as_str(),
        message: &f.message,
        help: f.help.as_deref(),
        file: place.map(|(s, _)| cx.sources.path(s.file).display().to_string()),
        line: place.map(|(_, (a, _))| a.line),
        column: place.map(|(_, (a, _))| a.column),
        end_line: place.map(|(_, (_, b))| b.line),
        end_column: place.map(|(_, (_, b))| b.column),
        entity: f.entity.as_ref().map(|e| Entity {
            kind: e.kind,
            id: &e.id,
        }),
        field: f.field.as_deref(),
    }
}
