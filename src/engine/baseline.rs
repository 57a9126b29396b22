//! Baselines: today's findings recorded in a small JSON file, so that a team adopting align
//! on an existing project fails CI only on findings added after it.
//!
//! ```json
//! {
//!   "version": 1,
//!   "about": "Findings align accepted on this project; ...",
//!   "findings": [
//!     { "rule": "overpromise/unsubstantiated-claim",
//!       "entity": { "kind": "message", "id": "msg-web-hero" }, "field": "text",
//!       "message": "absolute claim `guaranteed` with no substantiating evidence" },
//!     { "rule": "hygiene/suppression", "file": "messages/web.yaml",
//!       "message": "suppression of `voice` suppresses nothing" }
//!   ]
//! }
//! ```
//!
//! A finding about an entity is matched on rule, entity kind, id and field, never on lines,
//! so editing other parts of a file does not make known findings new; its `message` is kept
//! for people reading the file. A finding about no entity is matched on rule, file and
//! message. Entries are counted: two findings of a rule on the same field need two entries.
//! Findings that stop files from loading (`load/...`) are never recorded and never hidden.

use crate::finding::{Finding, Severity, identity_key};
use crate::source::{FileId, Sources, Span};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Rule id of findings about a baseline file that cannot be used.
pub(crate) const LOAD_BASELINE: &str = "load/baseline";

/// The format version written, and the only one read.
pub(crate) const VERSION: u64 = 1;

const ABOUT: &str = "Findings align accepted on this project: `align check --baseline FILE` \
reports and fails only on findings not listed here. Written by `align check --write-baseline FILE`.";

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct Entry {
    /// The rule id.
    pub(crate) rule: String,
    /// The entity the finding is about, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) entity: Option<EntityKey>,
    /// The field it points at, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) field: Option<String>,
    /// The file, for a finding about no entity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) file: Option<String>,
    /// The message when it was recorded.
    #[serde(default)]
    pub(crate) message: String,
}

/// An entity by kind and id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct EntityKey {
    /// Singular kind name (`message`).
    pub(crate) kind: String,
    /// The id.
    pub(crate) id: String,
}

impl Entry {
    /// The entry recording a finding.
    pub(crate) fn of(f: &Finding, sources: &Sources) -> Entry {
        let file = f
            .span
            .map(|s| sources.path(s.file).to_string_lossy().replace('\\', "/"));
        Entry {
            rule: f.rule.clone(),
            entity: f.entity.as_ref().map(|e| EntityKey {
                kind: e.kind.to_owned(),
                id: e.id.clone(),
            }),
            field: f.field.clone(),
            file: if f.entity.is_none() { file } else { None },
            message: f.message.clone(),
        }
    }

    /// What the entry matches, the same as [`Finding::identity`] of the findings it records.
    pub(crate) fn identity(&self) -> String {
        identity_key(
            &self.rule,
            self.entity
                .as_ref()
                .map(|e| (e.kind.as_str(), e.id.as_str())),
            self.field.as_deref(),
            self.file.as_deref(),
            &self.message,
        )
    }
}

#[derive(Serialize, Deserialize)]
struct BaselineFile {
    version: u64,
    #[serde(default, skip_deserializing)]
    about: String,
    findings: Vec<Entry>,
}

/// A baseline read from a file.
#[derive(Debug, Clone, Default)]
pub(crate) struct Baseline {
    /// The recorded findings.
    pub(crate) entries: Vec<Entry>,
}

/// What applying a baseline left.
#[derive(Debug, Clone, Default)]
pub(crate) struct Applied {
    /// Findings the baseline does not list: the ones to report.
    pub(crate) new: Vec<Finding>,
    /// How many findings the baseline hid.
    pub(crate) known: usize,
    /// Entries that matched no finding: fixed, or now about another entity.
    pub(crate) unmatched: Vec<Entry>,
}

/// Whether a finding can be recorded in a baseline (not a problem that stopped loading).
pub(crate) fn recordable(f: &Finding) -> bool {
    !f.rule.starts_with("load/")
}

/// The baseline file recording these findings, as JSON text, entries sorted so that the
/// file changes only where findings do.
pub(crate) fn record(findings: &[Finding], sources: &Sources) -> String {
    let mut entries: Vec<Entry> = findings
        .iter()
        .filter(|f| recordable(f))
        .map(|f| Entry::of(f, sources))
        .collect();
    entries.sort();
    let file = BaselineFile {
        version: VERSION,
        about: ABOUT.to_owned(),
        findings: entries,
    };
    let mut s = serde_json::to_string_pretty(&file).unwrap_or_else(|_| "{}".to_owned());
    s.push('\n');
    s
}

impl Baseline {
    /// Reads a baseline file's text; a problem is a `load/baseline` finding located in it.
    pub(crate) fn parse(file: FileId, text: &str) -> Result<Baseline, Box<Finding>> {
        let located = |e: &serde_json::Error| {
            let at = offset_of(text, e.line(), e.column());
            Span::new(file, at, at)
        };
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            Box::new(
                Finding::new(
                    LOAD_BASELINE,
                    Severity::Error,
                    format!("the baseline is not valid JSON: {}", without_position(&e)),
                )
                .at(located(&e))
                .with_help("write it again with `align check --write-baseline FILE`"),
            )
        })?;
        let version = value.get("version").and_then(serde_json::Value::as_u64);
        if version != Some(VERSION) {
            let said = match version {
                Some(v) => format!("version {v}"),
                None => "no version".to_owned(),
            };
            return Err(Box::new(
                Finding::new(
                    LOAD_BASELINE,
                    Severity::Error,
                    format!("the baseline has {said}; this align reads version {VERSION}"),
                )
                .at(Span::new(file, 0, 0))
                .with_help("write it again with `align check --write-baseline FILE`"),
            ));
        }
        let parsed: BaselineFile = serde_json::from_str(text).map_err(|e| {
            Box::new(
                Finding::new(
                    LOAD_BASELINE,
                    Severity::Error,
                    format!(
                        "the baseline does not have the expected shape: {}",
                        without_position(&e)
                    ),
                )
                .at(located(&e))
                .with_help("write it again with `align check --write-baseline FILE`"),
            )
        })?;
        Ok(Baseline {
            entries: parsed.findings,
        })
    }

    /// Splits findings into new ones and ones the baseline lists (each entry hides one).
    pub(crate) fn apply(&self, findings: Vec<Finding>, sources: &Sources) -> Applied {
        let mut left: HashMap<String, Vec<&Entry>> = HashMap::new();
        for e in &self.entries {
            left.entry(e.identity()).or_default().push(e);
        }
        let mut applied = Applied::default();
        for f in findings {
            let hidden = recordable(&f)
                && left
                    .get_mut(&f.identity(sources))
                    .and_then(|v| v.pop())
                    .is_some();
            if hidden {
                applied.known += 1;
            } else {
                applied.new.push(f);
            }
        }
        let mut unmatched: Vec<Entry> = left.into_values().flatten().cloned().collect();
        unmatched.sort();
        applied.unmatched = unmatched;
        applied
    }
}

/// serde_json's message without its " at line L column C", which the span already says.
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => text.get(..at).unwrap_or(&text).to_owned(),
        None => text,
    }
}

/// The byte offset of a 1-based line and column (as serde_json reports them).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (n, l) in text.split_inclusive('\n').enumerate() {
        if n + 1 == line {
            let col = column.saturating_sub(1).min(l.len());
            let mut at = offset + col;
            while at > 0 && !text.is_char_boundary(at) {
                at -= 1;
            }
            return at;
        }
        offset += l.len();
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, id: &str, field: &str, at: usize, file: FileId) -> Finding {
        Finding::new(rule, Severity::Warning, format!("at {at}"))
            .at(Span::new(file, at, at + 1))
            .about("message", id)
            .in_field(field)
    }

    #[test]
    fn matches_on_identity_not_lines_and_counts_entries() {
        let mut sources = Sources::new();
        let file = sources.add("m.yaml".into(), "0123456789");
        let today = vec![
            finding("voice/x", "m1", "text", 1, file),
            finding("voice/x", "m1", "text", 2, file),
            finding("voice/x", "m2", "text", 3, file),
        ];
        let text = record(&today, &sources);
        let base = Baseline::parse(file, &text).expect("reads what it writes");
        // Lines moved, one m1 finding is gone, one m3 finding is new.
        let tomorrow = vec![
            finding("voice/x", "m1", "text", 5, file),
            finding("voice/x", "m2", "text", 7, file),
            finding("voice/x", "m3", "text", 8, file),
        ];
        let applied = base.apply(tomorrow, &sources);
        assert_eq!(applied.known, 2);
        assert_eq!(applied.new.len(), 1);
        assert_eq!(
            applied.new[0].entity.as_ref().map(|e| e.id.as_str()),
            Some("m3")
        );
        assert_eq!(applied.unmatched.len(), 1);
    }

    #[test]
    fn bad_files_are_located() {
        let e = Baseline::parse(FileId(0), "{\n  \"version\": 1,\n  oops\n}").expect_err("bad");
        assert_eq!(e.rule, LOAD_BASELINE);
        assert_eq!(e.span.map(|s| s.start), Some(20));
        let v = Baseline::parse(FileId(0), "{\"version\": 2, \"findings\": []}").expect_err("v2");
        assert!(v.message.contains("version 2"), "{}", v.message);
    }
}
