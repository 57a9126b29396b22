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
use serde_json::{Value, json};

/// Renders the findings as the JSON document.
pub fn render(findings: &[Finding], cx: &Context<'_>) -> String {
    let items: Vec<Value> = findings.iter().map(|f| finding(f, cx)).collect();
    let t = Tally::of(findings);
    let doc = json!({
        "version": 1,
        "findings": items,
        "summary": {
            "files": cx.files,
            "entities": cx.entities,
            "errors": t.errors,
            "warnings": t.warnings,
            "infos": t.infos,
        }
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_owned());
    s.push('\n');
    s
}

fn finding(f: &Finding, cx: &Context<'_>) -> Value {
    let mut obj = serde_json::Map::new();
    obj.insert("rule".into(), json!(f.rule));
    obj.insert("severity".into(), json!(f.severity.as_str()));
    obj.insert("message".into(), json!(f.message));
    obj.insert(
        "help".into(),
        f.help.as_ref().map(|h| json!(h)).unwrap_or(Value::Null),
    );
    match f.span.and_then(|s| cx.sources.range(s).map(|r| (s, r))) {
        Some((s, (start, end))) => {
            obj.insert(
                "file".into(),
                json!(cx.sources.path(s.file).display().to_string()),
            );
            obj.insert("line".into(), json!(start.line));
            obj.insert("column".into(), json!(start.column));
            obj.insert("end_line".into(), json!(end.line));
            obj.insert("end_column".into(), json!(end.column));
        }
        None => {
            obj.insert("file".into(), Value::Null);
        }
    }
    if let Some(e) = &f.entity {
        obj.insert("entity".into(), json!({ "kind": e.kind, "id": e.id }));
    }
    if let Some(field) = &f.field {
        obj.insert("field".into(), json!(field));
    }
    Value::Object(obj)
}
