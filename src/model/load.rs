//! From a YAML file's text to validated entities, collecting every problem on the way.
//!
//! A wrong field is reported (`load/model`) and dropped; the entity and the rest of the file
//! are kept. A file that is not YAML at all is one `load/yaml` finding.

use super::entity::{Entity, Field};
use super::node::{Node, NodeValue, YamlLimits, parse_file};
use super::schema::{APPROVAL_FIELDS, CLAIM_FIELDS, FieldType, Kind, did_you_mean};
use super::text::Text;
use crate::finding::{Finding, Severity};
use crate::source::{FileId, SharedText, Span};

/// Rule id of findings for files that are not valid YAML.
pub(crate) const LOAD_YAML: &str = "load/yaml";
/// Rule id of findings for values that do not fit the data model.
pub const LOAD_MODEL: &str = "load/model";

/// A top-level key that is not a kind but looks like a misspelt one.
#[derive(Debug, Clone)]
pub struct StrayKey {
    /// The key as written.
    pub(crate) key: String,
    /// Where.
    pub(crate) span: Span,
    /// The kind it most likely means.
    pub(crate) suggestion: &'static str,
}

/// What one file contributed.
#[derive(Debug, Default)]
pub struct LoadedFile {
    /// The entities, in source order.
    pub entities: Vec<Entity>,
    /// Problems met while loading.
    pub findings: Vec<Finding>,
    /// Misspelt top-level keys.
    pub(crate) stray_keys: Vec<StrayKey>,
    /// Whether the file holds any kind at all (files that do not are not data files).
    pub(crate) is_data: bool,
    /// For a page: the span given to its message's `text`, and how that text maps back to
    /// the page file (the source table keeps it; see `Sources::set_page_text`).
    pub(crate) page_text: Option<(Span, std::sync::Arc<crate::page::PageText>)>,
}

/// Loads every entity of one YAML file.
pub fn load_file(file: FileId, text: &SharedText, limits: &YamlLimits) -> LoadedFile {
    let mut out = LoadedFile::default();
    let parsed = match parse_file(file, text, Some(text), limits) {
        Ok(parsed) => parsed,
        Err(e) => {
            let at = e.offset.unwrap_or(0);
            let end = next_char_end(text, at);
            out.is_data = true;
            out.findings.push(
                Finding::new(
                    LOAD_YAML,
                    Severity::Error,
                    format!("this file could not be read as YAML: {}", e.message),
                )
                .at(Span::new(file, at, end))
                .with_help(e.help.unwrap_or_else(|| {
                    "fix the YAML here; the file's entities are not checked until it reads"
                        .to_owned()
                })),
            );
            return out;
        }
    };
    let mut loader = Loader {
        text,
        out: &mut out,
        too_long: parsed.too_long.iter().map(|(s, _)| *s).collect(),
    };
    for (span, len) in &parsed.too_long {
        loader.problem(
            *span,
            format!(
                "this text is {} long, more than the {} align reads in one value, so it is left out of the checks",
                size(*len),
                size(limits.max_scalar_bytes)
            ),
        );
    }
    for doc in parsed.documents {
        loader.document(doc);
    }
    out
}

/// Validates one entity given as a mapping node whose values may come from several files (a
/// page's front matter, its `pages:` entry), exactly as an item of a YAML file is. `text` is
/// the text of the file the entity's own span is in.
pub(crate) fn load_entity(text: &str, kind: Kind, node: Node) -> LoadedFile {
    let mut out = LoadedFile {
        is_data: true,
        ..LoadedFile::default()
    };
    let mut loader = Loader {
        text,
        out: &mut out,
        too_long: std::collections::HashSet::new(),
    };
    loader.entity(kind, node);
    out
}

/// A byte count as people say it.
fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / (1u64 << 20) as f64)
    } else if bytes >= 1 << 10 {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes} bytes")
    }
}

fn next_char_end(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|s| s.chars().next())
        .map(|c| at + c.len_utf8())
        .unwrap_or(at)
}

struct Loader<'a> {
    text: &'a str,
    out: &'a mut LoadedFile,
    /// Values left out for being too long, already reported.
    too_long: std::collections::HashSet<Span>,
}

impl Loader<'_> {
    fn problem(&mut self, span: Span, message: String) {
        self.out
            .findings
            .push(Finding::new(LOAD_MODEL, Severity::Error, message).at(span));
    }

    fn problem_about(&mut self, span: Span, message: String, kind: Kind, id: &str) {
        let mut f = Finding::new(LOAD_MODEL, Severity::Error, message).at(span);
        if !id.is_empty() {
            f = f.about(kind.singular(), id);
        }
        self.out.findings.push(f);
    }

    fn document(&mut self, doc: Node) {
        let NodeValue::Map(entries) = doc.value else {
            return;
        };
        for (key, value) in entries {
            let Some(name) = key.as_text() else { continue };
            match Kind::from_plural(name) {
                Some(kind) => {
                    self.out.is_data = true;
                    self.kind_list(kind, value);
                }
                None => {
                    if let Some(s) = did_you_mean(name, Kind::ALL.map(Kind::plural)) {
                        self.out.stray_keys.push(StrayKey {
                            key: name.to_owned(),
                            span: key.span,
                            suggestion: s,
                        });
                    }
                }
            }
        }
    }

    fn kind_list(&mut self, kind: Kind, value: Node) {
        match value.value {
            NodeValue::Null => {}
            NodeValue::List(items) => {
                for item in items {
                    self.entity(kind, item);
                }
            }
            other => self.problem(
                value.span,
                format!(
                    "`{}` should be a list of {} (each starting with `- id: ...`), but this is {}",
                    kind.plural(),
                    kind.plural(),
                    other.describe()
                ),
            ),
        }
    }

    fn entity(&mut self, kind: Kind, item: Node) {
        let item_span = item.span;
        let entries = match item.value {
            NodeValue::Map(entries) => entries,
            other => {
                self.problem(
                    item_span,
                    format!(
                        "each item under `{}` should be a mapping with an `id`, but this is {}",
                        kind.plural(),
                        other.describe()
                    ),
                );
                return;
            }
        };
        let first_key = entries.first().map(|(k, _)| k.span).unwrap_or(item_span);
        let id_node = entries
            .iter()
            .find(|(k, _)| k.as_text() == Some("id"))
            .map(|(_, v)| v);
        let id = match id_node.map(|n| (n, self.scalar_value(n))) {
            Some((_, Some(id))) if !id.trim().is_empty() => id,
            Some((n, _)) => {
                if !self.too_long.contains(&n.span) {
                    self.problem(
                        n.span,
                        format!(
                            "this {kind}'s `id` should be text, but it is {}",
                            n.value.describe()
                        ),
                    );
                }
                return;
            }
            None => {
                self.problem(
                    first_key,
                    format!(
                        "this {kind} has no `id`, so nothing can refer to it and it is not checked"
                    ),
                );
                return;
            }
        };
        let id_span = id_node.map(|n| n.span).unwrap_or(item_span);
        let missing: Vec<&'static str> = kind
            .fields()
            .iter()
            .filter(|d| d.required && entries.iter().all(|(k, _)| k.as_text() != Some(d.name)))
            .map(|d| d.name)
            .collect();
        let mut fields = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            if self.too_long.contains(&key.span) || self.too_long.contains(&value.span) {
                continue;
            }
            let key_span = key.span;
            let name = match key.value {
                NodeValue::Text(s) => Ok(s),
                other => {
                    let node = Node {
                        span: key_span,
                        value: other,
                    };
                    self.scalar_text(&node).map(Text::from).ok_or(node.value)
                }
            };
            let name = match name {
                Ok(name) => name,
                Err(other) => {
                    self.problem_about(
                        key_span,
                        format!(
                            "field names should be text, but this is {}",
                            other.describe()
                        ),
                        kind,
                        &id,
                    );
                    continue;
                }
            };
            let def = kind.field(&name);
            let value = match def {
                Some(def) => {
                    if value.is_null() {
                        if def.required {
                            self.problem_about(
                                key_span,
                                format!("`{name}` is required for {} but is empty", kind.one()),
                                kind,
                                &id,
                            );
                        }
                        continue;
                    }
                    match self.typed(def.ty, value, kind, &id, &name) {
                        Some(v) => v,
                        None => continue,
                    }
                }
                None => value,
            };
            fields.push(Field::new(name, key_span, value));
        }
        for name in missing {
            self.problem_about(
                id_span,
                format!("{kind} `{id}` has no `{name}`, which every {kind} needs"),
                kind,
                &id,
            );
        }
        self.out.entities.push(Entity {
            kind,
            id,
            id_span,
            span: item_span,
            file: item_span.file,
            fields: fields.into_boxed_slice(),
            page: None,
        });
    }

    /// [`Self::scalar_text`] as a text value, a text node's own (no copy).
    fn scalar_value(&self, node: &Node) -> Option<Text> {
        match &node.value {
            NodeValue::Text(s) => Some(s.clone()),
            _ => self.scalar_text(node).map(Text::from),
        }
    }

    /// The text of a scalar as the user wrote it: strings as decoded, numbers and booleans as
    /// spelled in the source.
    fn scalar_text(&self, node: &Node) -> Option<String> {
        match &node.value {
            NodeValue::Text(s) => Some(s.to_string()),
            NodeValue::Number(_) | NodeValue::Bool(_) => self
                .text
                .get(node.span.start as usize..node.span.end as usize)
                .map(|s| s.trim().to_owned()),
            _ => None,
        }
    }

    /// Checks a value against its declared type; returns the value to keep (normalised: a
    /// single id where a list is expected becomes a list of one), or `None` after reporting.
    fn typed(
        &mut self,
        ty: FieldType,
        value: Node,
        kind: Kind,
        id: &str,
        name: &str,
    ) -> Option<Node> {
        let span = value.span;
        let wrong =
            |what: &str| format!("`{name}` should be {}, but this is {what}", ty.expected());
        let ok = match (ty, &value.value) {
            (FieldType::Id | FieldType::Text, NodeValue::Text(_)) => true,
            (FieldType::Id | FieldType::Text, NodeValue::Number(_) | NodeValue::Bool(_)) => {
                let text = self.scalar_text(&value)?;
                return Some(Node {
                    span,
                    value: NodeValue::Text(text.into()),
                });
            }
            (FieldType::Number, NodeValue::Number(_)) => true,
            (FieldType::Date, NodeValue::Text(s)) => {
                if crate::date::parse_date(s).is_none() {
                    self.problem_about(
                        span,
                        format!(
                            "`{name}` should be a date like 2026-01-31, but `{s}` is not a date"
                        ),
                        kind,
                        id,
                    );
                    return None;
                }
                true
            }
            (FieldType::Choice(words), NodeValue::Text(s)) => {
                if !words.contains(&&**s) {
                    let mut msg = format!(
                        "`{s}` is not a valid `{name}`; use one of: {}",
                        words.join(", ")
                    );
                    if let Some(d) = did_you_mean(s, words.iter().copied()) {
                        msg.push_str(&format!(" (did you mean `{d}`?)"));
                    }
                    self.problem_about(span, msg, kind, id);
                    return None;
                }
                true
            }
            (FieldType::Ref(_), NodeValue::Text(_)) => true,
            (FieldType::RefList(_) | FieldType::Words, NodeValue::Text(_)) => {
                return Some(Node {
                    span,
                    value: NodeValue::List(Box::new([value])),
                });
            }
            (FieldType::RefList(_) | FieldType::Words, NodeValue::List(_))
            | (FieldType::Facts, NodeValue::Map(_))
            | (FieldType::Claims | FieldType::Ignore | FieldType::Approvals, NodeValue::List(_)) => {
                return Some(self.collection(ty, value, kind, id, name));
            }
            (_, other) => {
                self.problem_about(span, wrong(other.describe()), kind, id);
                return None;
            }
        };
        ok.then_some(value)
    }

    /// Keeps the valid items of a list or mapping field, reporting the others.
    fn collection(&mut self, ty: FieldType, value: Node, kind: Kind, id: &str, name: &str) -> Node {
        let span = value.span;
        match (ty, value.value) {
            (FieldType::Facts, NodeValue::Map(entries)) => {
                let mut kept = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    match (&k.value, &v.value) {
                        (NodeValue::Text(_), NodeValue::Number(_)) => kept.push((k, v)),
                        (NodeValue::Text(fact), NodeValue::Map(_)) => {
                            match directed_fact_problem(&v) {
                                None => kept.push((k, v)),
                                Some((span, problem)) => self.problem_about(
                                    span,
                                    format!("fact `{fact}`: {problem}"),
                                    kind,
                                    id,
                                ),
                            }
                        }
                        (NodeValue::Text(fact), other) => self.problem_about(
                            v.span,
                            format!("fact `{fact}` should be a measured number (uptime_pct: 99.9) or a mapping ({{value: 48, better: lower, unit: hours}}), but this is {}", other.describe()),
                            kind,
                            id,
                        ),
                        (other, _) => self.problem_about(
                            k.span,
                            format!("fact names should be text, but this is {}", other.describe()),
                            kind,
                            id,
                        ),
                    }
                }
                Node {
                    span,
                    value: NodeValue::Map(kept.into()),
                }
            }
            (ty @ (FieldType::Claims | FieldType::Approvals), NodeValue::List(items)) => {
                // Each entry checked on its own: a bad one is reported and left out.
                let mut kept = Vec::with_capacity(items.len());
                for item in items {
                    let entry = if ty == FieldType::Claims {
                        self.claim(item, kind, id)
                    } else {
                        self.approval(item, kind, id)
                    };
                    kept.extend(entry);
                }
                Node {
                    span,
                    value: NodeValue::List(kept.into()),
                }
            }
            (FieldType::Ignore, NodeValue::List(items)) => {
                let mut kept = Vec::with_capacity(items.len());
                for item in items {
                    let valid = match &item.value {
                        NodeValue::Map(_) => item.get("rule").and_then(Node::as_text).is_some(),
                        NodeValue::Text(_) => true,
                        _ => false,
                    };
                    if valid {
                        kept.push(item);
                    } else {
                        self.problem_about(
                            item.span,
                            "each suppression should look like `{rule: pack/rule, reason: \"why\"}`".to_owned(),
                            kind,
                            id,
                        );
                    }
                }
                Node {
                    span,
                    value: NodeValue::List(kept.into()),
                }
            }
            (_, NodeValue::List(items)) => {
                let mut kept = Vec::with_capacity(items.len());
                for item in items {
                    match &item.value {
                        NodeValue::Text(_) => kept.push(item),
                        other => {
                            let what = if matches!(ty, FieldType::Words) {
                                "a word"
                            } else {
                                "an id"
                            };
                            self.problem_about(
                                item.span,
                                format!(
                                    "each item of `{name}` should be {what} (text), but this is {}",
                                    other.describe()
                                ),
                                kind,
                                id,
                            );
                        }
                    }
                }
                Node {
                    span,
                    value: NodeValue::List(kept.into()),
                }
            }
            (_, other) => Node { span, value: other },
        }
    }

    /// One sign-off of a library claim, `{role, by, date}`, each field checked; `None`
    /// (reported) when it is not a mapping or misses one of them.
    fn approval(&mut self, item: Node, kind: Kind, id: &str) -> Option<Node> {
        let span = item.span;
        let NodeValue::Map(entries) = item.value else {
            self.problem_about(
                span,
                format!(
                    "each approval should look like `{{role: legal, by: Dana Reyes, date: 2026-01-31}}`, but this is {}",
                    item.value.describe()
                ),
                kind,
                id,
            );
            return None;
        };
        let mut kept = Vec::with_capacity(entries.len());
        // The fields a misspelt key was taken for: reported there, not again as missing.
        let mut misspelt: Vec<&str> = Vec::new();
        for (k, v) in entries {
            let Some(name) = k.as_text() else { continue };
            match APPROVAL_FIELDS.iter().find(|d| d.name == name) {
                Some(def) => {
                    let field = format!("approvals.{name}");
                    if let Some(v) = self.typed(def.ty, v, kind, id, &field) {
                        kept.push((k, v));
                    }
                }
                None => {
                    let mut msg = format!("an approval has no field `{name}`");
                    match did_you_mean(name, APPROVAL_FIELDS.iter().map(|d| d.name)) {
                        Some(d) => {
                            msg.push_str(&format!(" (did you mean `{d}`?)"));
                            misspelt.push(d);
                        }
                        None => msg.push_str(": it has `role`, `by` and `date`"),
                    }
                    self.problem_about(k.span, msg, kind, id);
                }
            }
        }
        let missing: Vec<&str> = APPROVAL_FIELDS
            .iter()
            .map(|d| d.name)
            .filter(|n| !kept.iter().any(|(k, _)| k.as_text() == Some(*n)))
            .collect();
        if !missing.is_empty() && missing.iter().all(|m| misspelt.contains(m)) {
            return None;
        }
        if !missing.is_empty() {
            self.problem_about(
                span,
                format!(
                    "this approval has no {}: say who signed off, in which role, and when",
                    missing
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                kind,
                id,
            );
            return None;
        }
        Some(Node {
            span,
            value: NodeValue::Map(kept.into()),
        })
    }

    fn claim(&mut self, item: Node, kind: Kind, id: &str) -> Option<Node> {
        let span = item.span;
        match item.value {
            NodeValue::Text(_) => {
                let key = Node {
                    span,
                    value: NodeValue::Text("text".into()),
                };
                Some(Node {
                    span,
                    value: NodeValue::Map(Box::new([(key, item)])),
                })
            }
            NodeValue::Map(entries) => {
                let mut kept = Vec::with_capacity(entries.len());
                let mut misspelt = false;
                for (k, v) in entries {
                    let Some(name) = k.as_text() else { continue };
                    match CLAIM_FIELDS.iter().find(|d| d.name == name) {
                        Some(def) if !v.is_null() => {
                            let field = format!("claims.{name}");
                            if let Some(v) = self.typed(def.ty, v, kind, id, &field) {
                                kept.push((k, v));
                            }
                        }
                        Some(_) => {}
                        // A key one slip away from a claim's field is that field misspelt
                        // (`clam: clm-fast` would otherwise leave the claim unvoiced); any
                        // other key is the team's own, kept.
                        None => match did_you_mean(name, CLAIM_FIELDS.iter().map(|d| d.name)) {
                            Some(meant) => {
                                misspelt = true;
                                self.problem_about(
                                    k.span,
                                    format!(
                                        "a message's claim has no field `{name}` (did you mean `{meant}`?)"
                                    ),
                                    kind,
                                    id,
                                );
                            }
                            None => kept.push((k, v)),
                        },
                    }
                }
                let said = kept
                    .iter()
                    .any(|(k, _)| matches!(k.as_text(), Some("text" | "claim")));
                if !said && misspelt {
                    // The misspelt key was the claim's `text` or `claim`: reported above.
                    return None;
                }
                if !said {
                    self.problem_about(
                        span,
                        "this claim has no `text` and names no library claim: write the claim as it appears in the message, or `claim: ID`"
                            .to_owned(),
                        kind,
                        id,
                    );
                    return None;
                }
                Some(Node {
                    span,
                    value: NodeValue::Map(kept.into()),
                })
            }
            other => {
                self.problem_about(
                    span,
                    format!(
                        "each claim should be a mapping with `text`, but this is {}",
                        other.describe()
                    ),
                    kind,
                    id,
                );
                None
            }
        }
    }
}

/// What is wrong with a fact written as a mapping (`{value: 48, better: lower, unit: hours}`),
/// and where; `None` when it is well formed.
fn directed_fact_problem(fact: &Node) -> Option<(crate::source::Span, String)> {
    let NodeValue::Map(entries) = &fact.value else {
        return None;
    };
    let mut has_value = false;
    for (k, v) in entries.iter() {
        match (k.as_text(), &v.value) {
            (Some("value"), NodeValue::Number(_)) => has_value = true,
            (Some("value"), other) => {
                return Some((
                    v.span,
                    format!(
                        "`value` should be a number, but this is {}",
                        other.describe()
                    ),
                ));
            }
            (Some("better"), NodeValue::Text(b)) if matches!(&**b, "lower" | "higher") => {}
            (Some("better"), _) => {
                return Some((v.span, "`better` should be `lower` or `higher`".into()));
            }
            (Some("unit"), NodeValue::Text(_)) => {}
            (Some("unit"), other) => {
                return Some((
                    v.span,
                    format!(
                        "`unit` should be text (hours, ms, pct, gbp), but this is {}",
                        other.describe()
                    ),
                ));
            }
            _ => {
                return Some((
                    k.span,
                    "a fact mapping has only `value`, `better` and `unit`".into(),
                ));
            }
        }
    }
    (!has_value).then(|| {
        (
            fact.span,
            "a fact mapping needs a `value` (a number)".into(),
        )
    })
}
