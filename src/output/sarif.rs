//! The SARIF format: one SARIF 2.1.0 log for code-scanning tools (GitHub code scanning,
//! Azure DevOps, IDE viewers), valid against the official schema.
//!
//! - `runs[0].tool.driver.rules` lists every rule in force, fired or not: `id`, `name`,
//!   `shortDescription` (the summary), `fullDescription` and `help` (the doc),
//!   `defaultConfiguration.level` (the severity it runs at), and the pack as a tag. A rule id
//!   that is not in force but has findings (`load/yaml`, `load/config`, ...) is listed too.
//! - Each finding is a result: `ruleId`, `ruleIndex`, `level` (error, warning, note),
//!   `message.text` (the message, then the help), one location with a region (1-based
//!   `startLine`/`startColumn`, `endLine`/`endColumn` exclusive, columns in characters, so
//!   `columnKind` is `unicodeCodePoints`), related locations for the other places involved,
//!   and `partialFingerprints["alignIdentity/v1"]`: a hash of rule, entity kind, id and field,
//!   never line numbers, so code scanning keeps tracking an alert while lines move.
//! - Paths are relative to the current folder, resolved against `%SRCROOT%`.

use super::{Context, Place, fingerprints, place};
use crate::finding::{Finding, Severity};
use serde_json::{Value, json};
use std::collections::HashMap;

/// The URL of the SARIF 2.1.0 schema, written as `$schema`.
pub(crate) const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The key of align's fingerprint in `partialFingerprints`.
pub(crate) const FINGERPRINT_KEY: &str = "alignIdentity/v1";

/// Renders the findings as one SARIF log.
pub(crate) fn render(findings: &[Finding], cx: &Context<'_>) -> String {
    let mut rules: Vec<Value> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (rule, severity) in &cx.run.in_force {
        if index.contains_key(rule.id.as_str()) {
            continue;
        }
        index.insert(&rule.id, rules.len());
        let doc = if rule.doc.trim().is_empty() {
            rule.summary.clone()
        } else {
            rule.doc.trim().to_owned()
        };
        rules.push(json!({
            "id": rule.id,
            "name": rule.name,
            "shortDescription": { "text": rule.summary },
            "fullDescription": { "text": doc, "markdown": doc },
            "help": {
                "text": format!("{doc}\n\nSee `align explain {}`.", rule.id),
                "markdown": format!("{doc}\n\nSee `align explain {}`.", rule.id),
            },
            "defaultConfiguration": { "level": level(*severity) },
            "properties": { "tags": [rule.pack] },
        }));
    }
    for f in findings {
        if !index.contains_key(f.rule.as_str()) {
            index.insert(&f.rule, rules.len());
            rules.push(json!({
                "id": f.rule,
                "name": f.rule.rsplit('/').next().unwrap_or(&f.rule),
                "shortDescription": { "text": other_summary(&f.rule) },
                "defaultConfiguration": { "level": level(f.severity) },
            }));
        }
    }
    let prints = fingerprints(findings, cx.sources);
    let results: Vec<Value> = findings
        .iter()
        .zip(prints)
        .map(|(f, print)| result(f, index.get(f.rule.as_str()).copied(), print, cx))
        .collect();
    let loaded = !findings.iter().any(|f| f.rule.starts_with("load/"));
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "align",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "invocations": [{ "executionSuccessful": loaded }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".to_owned());
    s.push('\n');
    s
}

fn result(f: &Finding, rule_index: Option<usize>, print: String, cx: &Context<'_>) -> Value {
    let mut text = f.message.clone();
    if let Some(h) = &f.help {
        text.push_str("\n\n");
        text.push_str(h);
    }
    let mut r = serde_json::Map::new();
    r.insert("ruleId".into(), json!(f.rule));
    if let Some(i) = rule_index {
        r.insert("ruleIndex".into(), json!(i));
    }
    r.insert("level".into(), json!(level(f.severity)));
    r.insert("message".into(), json!({ "text": text }));
    if let Some(p) = place(f, cx.sources) {
        r.insert(
            "locations".into(),
            json!([{ "physicalLocation": physical(&p) }]),
        );
    }
    let related: Vec<Value> = f
        .labels
        .iter()
        .filter(|l| Some(l.span) != f.span)
        .filter_map(|l| {
            let at = Finding::new(&f.rule, f.severity, "").at(l.span);
            place(&at, cx.sources).map(|p| (p, &l.message))
        })
        .enumerate()
        .map(|(i, (p, message))| {
            json!({ "id": i, "physicalLocation": physical(&p), "message": { "text": message } })
        })
        .collect();
    if !related.is_empty() {
        r.insert("relatedLocations".into(), Value::Array(related));
    }
    r.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT_KEY: print }),
    );
    let mut props = serde_json::Map::new();
    if let Some(e) = &f.entity {
        props.insert("entity".into(), json!({ "kind": e.kind, "id": e.id }));
    }
    if let Some(field) = &f.field {
        props.insert("field".into(), json!(field));
    }
    if !props.is_empty() {
        r.insert("properties".into(), Value::Object(props));
    }
    Value::Object(r)
}

fn physical(p: &Place) -> Value {
    let artifact = if p.path.starts_with('/') {
        json!({ "uri": format!("file://{}", uri_path(&p.path)) })
    } else {
        json!({ "uri": uri_path(&p.path), "uriBaseId": "%SRCROOT%" })
    };
    json!({
        "artifactLocation": artifact,
        "region": {
            "startLine": p.line,
            "startColumn": p.column,
            "endLine": p.end_line,
            "endColumn": p.end_column,
        }
    })
}

/// SARIF levels: error, warning, note.
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn other_summary(rule: &str) -> &'static str {
    match rule {
        "load/yaml" => "A file could not be read as YAML",
        "load/model" => "A file's entities do not fit the data model",
        "load/page" => "A page file could not be read",
        "load/rules" => "A rule file could not be loaded",
        "load/config" => "The configuration could not be used",
        "load/baseline" => "The baseline could not be used",
        _ => "A problem found by align",
    }
}

/// Percent-encodes a path for a URI, leaving `/` and the characters URIs allow as they are.
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri_path("messages/web.yaml"), "messages/web.yaml");
        assert_eq!(uri_path("my docs/é.yaml"), "my%20docs/%C3%A9.yaml");
        assert_eq!(uri_path("a#b?c%.yaml"), "a%23b%3Fc%25.yaml");
        // A colon could be read as a scheme.
        assert_eq!(uri_path("c:d.yaml"), "c%3Ad.yaml");
    }
}
