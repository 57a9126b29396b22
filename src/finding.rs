//! Findings: what a check reports, whatever the output format.
//!
//! Every renderer in `output/` reads [`Finding`] and nothing else, so a rule never decides
//! how it is shown and a format never decides what is reported.

use crate::source::{Sources, Span};
use std::fmt;
use std::str::FromStr;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; never fails a run by default.
    Info,
    /// Likely a problem.
    Warning,
    /// Certainly a problem; fails the run by default.
    Error,
}

impl Severity {
    /// The lowercase name used in rule files, config and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Severity, String> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            other => Err(format!(
                "`{other}` is not a severity; use error, warning or info"
            )),
        }
    }
}

/// The entity a finding is about, by kind (singular, e.g. `proposition`) and id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityRef {
    /// Singular kind name: segment, need, evidence, feature, proposition, message.
    pub kind: &'static str,
    /// The entity's id as written.
    pub id: String,
}

/// A secondary location shown beside the main one (the other duplicate, the feature whose
/// status is planned, the fact a number exceeds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What it is, in a few words.
    pub message: String,
}

/// One problem found by a rule (or by loading), located as exactly as possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Rule id, `pack/name` (or `load/yaml`, `load/model`, `load/rules`).
    pub rule: String,
    /// Severity after configuration.
    pub severity: Severity,
    /// What is wrong, in plain language.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The most specific place: the field, or the words inside a text.
    pub span: Option<Span>,
    /// Other places involved.
    pub labels: Vec<Label>,
    /// The entity the finding is about, when there is one.
    pub entity: Option<EntityRef>,
    /// The field the finding points at (`statement`, `claims[1].text`), when there is one.
    pub(crate) field: Option<String>,
}

impl Finding {
    /// A finding with no location, entity or help yet.
    pub(crate) fn new(
        rule: impl Into<String>,
        severity: Severity,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            rule: rule.into(),
            severity,
            message: message.into(),
            help: None,
            span: None,
            labels: Vec::new(),
            entity: None,
            field: None,
        }
    }

    /// Sets the primary span.
    pub(crate) fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Sets the help text.
    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the entity the finding is about.
    pub(crate) fn about(mut self, kind: &'static str, id: impl Into<String>) -> Self {
        self.entity = Some(EntityRef {
            kind,
            id: id.into(),
        });
        self
    }

    /// Sets the field path.
    pub(crate) fn in_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Adds a secondary label.
    pub(crate) fn label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// What identifies this finding from one run to the next, whatever lines move: the rule
    /// and the entity kind, id and field it is about; for a finding about no entity, the
    /// rule, the file and the message. Baselines and SARIF fingerprints are keyed on it.
    pub(crate) fn identity(&self, sources: &Sources) -> String {
        let file = self
            .span
            .map(|s| sources.path(s.file).to_string_lossy().into_owned());
        identity_key(
            &self.rule,
            self.entity.as_ref().map(|e| (e.kind, e.id.as_str())),
            self.field.as_deref(),
            file.as_deref(),
            &self.message,
        )
    }
}

/// The identity of a finding from its parts (see [`Finding::identity`]): the entity and field
/// when there is an entity, else the file and message.
pub(crate) fn identity_key(
    rule: &str,
    entity: Option<(&str, &str)>,
    field: Option<&str>,
    file: Option<&str>,
    message: &str,
) -> String {
    const SEP: char = '\u{1f}';
    match entity {
        Some((kind, id)) => format!("{rule}{SEP}{kind}{SEP}{id}{SEP}{}", field.unwrap_or("")),
        None => format!("{rule}{SEP}{}{SEP}{message}", file.unwrap_or("")),
    }
}

/// A 64-bit FNV-1a hash: small, and the same on every machine and in every version, unlike
/// the standard library's hasher, so fingerprints written today still match tomorrow.
pub(crate) fn stable_hash(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    /// Findings of severity error.
    pub(crate) errors: usize,
    /// Findings of severity warning.
    pub(crate) warnings: usize,
    /// Findings of severity info.
    pub(crate) infos: usize,
}

impl Tally {
    /// Counts the given findings.
    pub(crate) fn of(findings: &[Finding]) -> Tally {
        let mut t = Tally::default();
        for f in findings {
            match f.severity {
                Severity::Error => t.errors += 1,
                Severity::Warning => t.warnings += 1,
                Severity::Info => t.infos += 1,
            }
        }
        t
    }
}
