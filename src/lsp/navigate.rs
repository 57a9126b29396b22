//! Finding one's way in the data: what id is under the cursor, where it is defined, what it
//! is (hover), and which ids fit a reference field being typed (completion).

use super::project::{Project, refs_of};
use crate::engine::RunSettings;
use crate::model::entity::Entity;
use crate::model::refs::{Via, written};
use crate::model::schema::{CLAIM_FIELDS, FieldType, Kind, did_you_mean};
use crate::rules::RuleSet;
use crate::source::Span;
use std::collections::BTreeSet;

/// An id written in a data file, and the kind it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IdAt {
    /// The kind of entity the id names.
    pub(crate) kind: Kind,
    /// The id.
    pub(crate) id: String,
    /// Where it is written.
    pub(crate) span: Span,
}

fn covers(span: Span, offset: u32) -> bool {
    span.start <= offset && offset <= span.end
}

/// The id under the cursor: in a reference field, in a claim's `evidence` or `feature`, or
/// an entity's own `id`.
pub(crate) fn id_at(entities: &[Entity], offset: usize) -> Option<IdAt> {
    let offset = u32::try_from(offset).ok()?;
    let at = |kind: Kind, id: &str, span: Span| IdAt {
        kind,
        id: id.to_owned(),
        span,
    };
    for e in entities {
        if covers(e.id_span, offset) {
            return Some(at(e.kind, &e.id, e.id_span));
        }
        if let Some(w) = written(e).into_iter().find(|w| covers(w.span, offset)) {
            return Some(at(w.kind, w.id, w.span));
        }
    }
    None
}

/// How many evidence items stand behind an entity: about a segment, supporting a need,
/// behind a proposition (directly or through its needs), behind the needs a feature
/// addresses, or linked to a message and its claims. `None` for evidence itself.
pub(crate) fn evidence_count(project: &Project, e: &Entity) -> Option<usize> {
    let mut found: BTreeSet<String> = BTreeSet::new();
    let graph = project.graph();
    let naming = |kind: Kind, id: &str, field: &str, out: &mut BTreeSet<String>| {
        for (loc, f) in graph.referrers(kind, id) {
            if f.names(field) {
                if let Some(ev) = project.entity(*loc).filter(|x| x.kind == Kind::Evidence) {
                    out.insert(ev.id.to_string());
                }
            }
        }
    };
    let listed = |field: &str| -> Vec<(Kind, String, Via)> {
        refs_of(e)
            .into_iter()
            .filter(|(_, _, f)| f.names(field))
            .map(|(k, id, f)| (k, id.to_owned(), f))
            .collect()
    };
    let existing = |kind: Kind, id: &str| !graph.declared(kind, id).is_empty();
    match e.kind {
        Kind::Segment => naming(Kind::Segment, &e.id, "segment", &mut found),
        Kind::Need => naming(Kind::Need, &e.id, "supports", &mut found),
        Kind::Proposition => {
            for (k, id, _) in listed("evidence") {
                if existing(k, &id) {
                    found.insert(id);
                }
            }
            for (_, id, _) in listed("needs") {
                naming(Kind::Need, &id, "supports", &mut found);
            }
        }
        Kind::Feature => {
            for (_, id, _) in listed("addresses") {
                naming(Kind::Need, &id, "supports", &mut found);
            }
        }
        Kind::Claim => {
            for (k, id, _) in listed("evidence") {
                if existing(k, &id) {
                    found.insert(id);
                }
            }
        }
        Kind::Message => {
            for field in ["evidence", "claims.evidence"] {
                for (k, id, _) in listed(field) {
                    if existing(k, &id) {
                        found.insert(id);
                    }
                }
            }
        }
        Kind::Evidence => return None,
    }
    Some(found.len())
}

fn shorten(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let cut: String = one_line.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

/// What the entity's main text is: the statement, the message text, the quote or summary.
fn main_text(e: &Entity) -> Option<&str> {
    ["statement", "text", "quote", "summary", "description"]
        .iter()
        .find_map(|f| e.text(f))
}

/// A one-line description for completion lists: the name, else the main text.
pub(crate) fn label_detail(e: &Entity) -> String {
    let text = e.text("name").or_else(|| main_text(e)).unwrap_or("");
    shorten(text, 80)
}

/// Markdown describing an entity: kind and id, name, main text, status, evidence, place.
pub(crate) fn describe(project: &Project, e: &Entity) -> String {
    let mut out = format!("**{} `{}`**", e.kind.singular(), e.id);
    if let Some(name) = e.text("name") {
        out.push_str(&format!(" — {}", shorten(name, 120)));
    }
    out.push_str("\n\n");
    if let Some(text) = main_text(e) {
        out.push_str(&format!("> {}\n\n", shorten(text, 400)));
    }
    let mut facts: Vec<String> = Vec::new();
    match e.text("status") {
        Some(status) => facts.push(format!("status: **{status}**")),
        // A library claim without a status is a draft.
        None if e.kind == Kind::Claim => facts.push("status: **draft**".to_owned()),
        None => {}
    }
    if e.kind == Kind::Claim {
        facts.extend(claim_facts(e));
    }
    if e.kind == Kind::Evidence {
        for f in ["kind", "date", "sentiment"] {
            if let Some(v) = e.text(f) {
                facts.push(format!("{f}: {v}"));
            }
        }
    }
    if let Some(n) = evidence_count(project, e) {
        let what = match e.kind {
            Kind::Segment => "about it",
            Kind::Need => "supporting it",
            Kind::Proposition => "behind it, directly or through its needs",
            Kind::Feature => "behind the needs it addresses",
            _ => "linked to it",
        };
        let items = if n == 1 { "item" } else { "items" };
        facts.push(format!("evidence: **{n}** {items} {what}"));
    }
    if !facts.is_empty() {
        out.push_str(&facts.join(" · "));
        out.push_str("\n\n");
    }
    if let Some(f) = project.sources.get(e.file) {
        let line = f.line_col(e.id_span.start as usize).line;
        out.push_str(&format!("defined in `{}:{line}`", f.path.display()));
    }
    out
}

/// What hovering a library claim adds: its expiry, channels and sign-offs.
fn claim_facts(e: &Entity) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(expires) = e.text("expires") {
        out.push(format!("expires: {expires}"));
    }
    let list = |field: &str| -> Vec<&crate::model::Node> {
        match e.get(field).map(|n| &n.value) {
            Some(crate::model::NodeValue::List(items)) => items.iter().collect(),
            _ => Vec::new(),
        }
    };
    let channels: Vec<&str> = list("channels")
        .iter()
        .filter_map(|n| n.as_text())
        .collect();
    if !channels.is_empty() {
        out.push(format!("channels: {}", channels.join(", ")));
    }
    let approvals: Vec<String> = list("approvals")
        .iter()
        .map(|a| {
            let field = |f: &str| a.get(f).and_then(|n| n.as_text()).unwrap_or("?");
            format!("{} ({}, {})", field("role"), field("by"), field("date"))
        })
        .collect();
    out.push(if approvals.is_empty() {
        "approvals: none".to_owned()
    } else {
        format!("approved by: {}", approvals.join("; "))
    });
    out
}

/// Markdown for an id that no entity has.
pub(crate) fn describe_missing(project: &Project, kind: Kind, id: &str) -> String {
    let mut out = format!("no {} has the id `{id}`", kind.singular());
    let ids: Vec<&Entity> = project.ids_of(kind);
    if let Some(s) = did_you_mean(id, ids.iter().map(|e| e.id.as_str())) {
        out.push_str(&format!(" — did you mean `{s}`?"));
    }
    out
}

/// Markdown explaining a rule: id, severity in force, summary and its documentation.
pub(crate) fn explain_rule(rules: &RuleSet, settings: &RunSettings, id: &str) -> Option<String> {
    let rule = rules.get(id)?;
    let severity = match settings.severity_of(rule) {
        Some(s) => s.as_str(),
        None => "off",
    };
    let mut out = format!("**`{}`** ({severity}) — {}\n\n", rule.id, rule.summary);
    out.push_str(rule.doc.trim());
    Some(out)
}

/// The rule id (a `pack/name` word) under the cursor in any text: a suppression comment, an
/// `ignore` list, the configuration.
pub(crate) fn rule_word_at(text: &str, offset: usize) -> Option<&str> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '/';
    let offset = offset.min(text.len());
    let before = text.get(..offset)?;
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map(|(i, _)| i)
        .unwrap_or(offset);
    let after = text.get(offset..)?;
    let end = offset + after.find(|c: char| !is_word(c)).unwrap_or(after.len());
    let word = text.get(start..end)?;
    word.contains('/').then_some(word)
}

/// Where completion is asked for: the kind of id the field takes, the part of the id typed
/// so far and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CompletionSite {
    /// The kind of entity the field refers to.
    pub(crate) kind: Kind,
    /// What is typed of the id so far.
    pub(crate) prefix: String,
    /// Byte offset where that starts.
    pub(crate) start: usize,
}

/// The column of a line's key (after indentation and list dashes) and the key, when the line
/// is `KEY:` or `- KEY: ...`.
fn key_of(line: &str) -> Option<(usize, &str, &str)> {
    let trimmed = line.trim_start();
    let mut col = line.len() - trimmed.len();
    let mut rest = trimmed;
    while let Some(r) = rest.strip_prefix('-') {
        if !(r.starts_with(' ') || r.is_empty()) {
            break;
        }
        let t = r.trim_start();
        col += rest.len() - t.len();
        rest = t;
    }
    let colon = rest.find(':')?;
    let key = rest.get(..colon)?;
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return None;
    }
    let value = rest.get(colon + 1..)?;
    if !(value.is_empty() || value.starts_with([' ', '\t'])) {
        return None;
    }
    Some((col, key, value))
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty() || t.starts_with('#')
}

/// Works out, from the text alone (the buffer may not parse while it is typed), whether the
/// cursor is in a reference field, and which kind of id it takes.
pub(crate) fn completion_site(text: &str, offset: usize) -> Option<CompletionSite> {
    let offset = offset.min(text.len());
    let before = text.get(..offset)?;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line = before.get(line_start..)?;
    let is_id = |c: char| c.is_alphanumeric() || "-_./".contains(c);
    let prefix_len: usize = line
        .chars()
        .rev()
        .take_while(|c| is_id(*c))
        .map(char::len_utf8)
        .sum();
    let head = line.get(..line.len() - prefix_len)?;
    let prefix = line.get(line.len() - prefix_len..)?.to_owned();
    let start = offset - prefix_len;
    let lines: Vec<&str> = text.get(..line_start)?.lines().collect();

    // The field: on this line (`supports: [a, b|`), or above a block list item (`- b|`).
    let (key_col, key, key_line) = match key_of(head) {
        Some((col, key, value)) => {
            let v = value.trim();
            let in_flow = v.starts_with('[') && !v.contains(']');
            if !(v.is_empty() || in_flow) || (in_flow && !(v.ends_with('[') || v.ends_with(','))) {
                return None;
            }
            (col, key.to_owned(), lines.len())
        }
        None => {
            let t = head.trim_end();
            if !t.trim_start().starts_with('-') || t.trim_start() != "-" {
                return None;
            }
            let dash_col = t.len() - 1;
            let mut found = None;
            for (n, l) in lines.iter().enumerate().rev() {
                if is_blank_or_comment(l) {
                    continue;
                }
                let indent = l.len() - l.trim_start().len();
                if indent > dash_col {
                    continue;
                }
                match key_of(l) {
                    Some((col, key, value)) if value.trim().is_empty() && col <= dash_col => {
                        found = Some((col, key.to_owned(), n));
                    }
                    _ => {}
                }
                if found.is_some() || indent < dash_col {
                    break;
                }
            }
            found?
        }
    };

    // The kind of the enclosing entity (the top-level key), and whether the field is a
    // claim's.
    let mut in_claim = false;
    let mut kind = None;
    let mut col = key_col;
    for l in lines.get(..key_line)?.iter().rev() {
        if is_blank_or_comment(l) {
            continue;
        }
        let Some((c, k, _)) = key_of(l) else { continue };
        if c == 0 && !l.starts_with([' ', '-']) {
            kind = Kind::from_plural(k);
            break;
        }
        if c < col {
            if k == "claims" && col == key_col {
                in_claim = true;
            }
            col = c;
        }
    }
    let kind = kind?;
    let ty = if in_claim {
        CLAIM_FIELDS.iter().find(|d| d.name == key).map(|d| d.ty)
    } else {
        kind.field(&key).map(|d| d.ty)
    }?;
    match ty {
        FieldType::Ref(k) | FieldType::RefList(k) => Some(CompletionSite {
            kind: k,
            prefix,
            start,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(text: &str) -> Option<(Kind, String)> {
        let at = text.find('|').expect("cursor");
        let text = text.replace('|', "");
        completion_site(&text, at).map(|s| (s.kind, s.prefix))
    }

    #[test]
    fn completion_finds_the_field_being_typed() {
        assert_eq!(
            site("evidence:\n  - id: e\n    supports: [need-a, ne|"),
            Some((Kind::Need, "ne".to_owned()))
        );
        assert_eq!(
            site("propositions:\n  - id: p\n    segment: |"),
            Some((Kind::Segment, String::new()))
        );
        assert_eq!(
            site("propositions:\n  - id: p\n    features:\n      - feat-a\n      - f|"),
            Some((Kind::Feature, "f".to_owned()))
        );
        assert_eq!(
            site("messages:\n  - id: m\n    claims:\n      - text: x\n        feature: fe|"),
            Some((Kind::Feature, "fe".to_owned()))
        );
        assert_eq!(
            site("messages:\n  - id: m\n    claims:\n      - text: x\n        evidence: [|"),
            Some((Kind::Evidence, String::new()))
        );
        assert_eq!(
            site("messages:\n  - id: m\n    evidence: [|"),
            Some((Kind::Evidence, String::new()))
        );
        assert_eq!(site("messages:\n  - id: m\n    text: Fa|"), None);
        assert_eq!(site("needs:\n  - id: n\n    priority: h|"), None);
    }

    #[test]
    fn rule_words() {
        let text = "x: 1 # align-ignore: overpromise/unshipped-feature -- ok";
        let at = text.find("unshipped").expect("word");
        assert_eq!(
            rule_word_at(text, at),
            Some("overpromise/unshipped-feature")
        );
        assert_eq!(rule_word_at(text, 1), None);
    }
}
