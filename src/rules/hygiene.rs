//! The hygiene rules the language cannot express, because they are about the files rather
//! than about one entity: duplicate ids, dangling references, unknown fields.

use crate::finding::{Finding, Severity};
use crate::model::schema::{Kind, did_you_mean, readable_names};
use crate::model::{EntityId, Model};
use crate::source::Sources;
use std::collections::HashSet;

/// `hygiene/duplicate-id`.
pub(crate) const DUPLICATE_ID: &str = "hygiene/duplicate-id";
/// `hygiene/dangling-reference`.
pub(crate) const DANGLING_REFERENCE: &str = "hygiene/dangling-reference";
/// `hygiene/unknown-field`.
pub(crate) const UNKNOWN_FIELD: &str = "hygiene/unknown-field";
/// `hygiene/suppression`.
pub(crate) const SUPPRESSION: &str = "hygiene/suppression";

/// The native rules' ids.
pub(crate) const NATIVE: &[&str] = &[DUPLICATE_ID, DANGLING_REFERENCE, UNKNOWN_FIELD, SUPPRESSION];

fn place(sources: &Sources, model: &Model, id: EntityId) -> String {
    let e = model.entity(id);
    let path = sources.path(e.file).display().to_string();
    match sources.get(e.file) {
        Some(f) => format!("{path}:{}", f.line_col(e.id_span.start as usize).line),
        None => path,
    }
}

/// Every id declared twice in a kind, reported at both places.
pub(crate) fn duplicate_ids(model: &Model, sources: &Sources) -> Vec<(Finding, EntityId)> {
    let mut out = Vec::new();
    for &(first, dup) in &model.duplicates {
        let a = model.entity(first);
        let b = model.entity(dup);
        let kind = a.kind.singular();
        for (this, other, other_id) in [(a, b, dup), (b, a, first)] {
            let this_id = if std::ptr::eq(this, a) { first } else { dup };
            out.push((
                Finding::new(
                    DUPLICATE_ID,
                    Severity::Error,
                    format!(
                        "{kind} id `{}` is declared twice; the other is at {}",
                        this.id,
                        place(sources, model, other_id)
                    ),
                )
                .at(this.id_span)
                .label(other.id_span, "also declared here")
                .with_help(format!(
                    "give each {kind} its own id; references to `{}` are ambiguous",
                    this.id
                ))
                .about(kind, this.id.clone())
                .in_field("id"),
                this_id,
            ));
        }
    }
    out
}

/// Every reference to an id that does not exist.
pub(crate) fn dangling_references(model: &Model) -> Vec<(Finding, EntityId)> {
    let mut out = Vec::new();
    for d in &model.dangling {
        let e = model.entity(d.entity);
        let kind = d.kind;
        let mut f = Finding::new(
            DANGLING_REFERENCE,
            Severity::Error,
            format!(
                "`{}` refers to {} `{}`, which does not exist",
                d.field,
                article(kind),
                d.id
            ),
        )
        .at(d.span)
        .about(e.kind.singular(), e.id.clone())
        .in_field(d.field.clone());
        let candidates = model
            .of_kind(kind)
            .iter()
            .map(|i| model.entity(*i).id.as_str());
        f = match did_you_mean(&d.id, candidates) {
            Some(s) => f.with_help(format!("did you mean `{s}`?")),
            None => f.with_help(format!(
                "check the id, or add the {} to the {} files",
                kind.singular(),
                kind.plural()
            )),
        };
        out.push((f, d.entity));
    }
    out
}

fn article(kind: Kind) -> String {
    match kind {
        Kind::Evidence => "evidence".to_owned(),
        k => format!("a {}", k.singular()),
    }
}

/// Names a library claim's approved wording goes by elsewhere: each, or a slip of one, is
/// taken for `text`.
const WORDING_NAMES: &[&str] = &["wording", "approved_wording", "approved_text"];

/// `text` when `name`, on a library claim, is (or is a slip of) another name of its wording.
fn wording_meant(kind: crate::model::Kind, name: &str) -> Option<&'static str> {
    let wording = WORDING_NAMES.contains(&name)
        || did_you_mean(name, WORDING_NAMES.iter().copied()).is_some();
    (kind == crate::model::Kind::Claim && wording).then_some("text")
}

/// Every field the model does not know and no rule reads, with a did-you-mean; and every
/// top-level key that looks like a misspelt kind.
pub(crate) fn unknown_fields(
    model: &Model,
    read_by_rules: &HashSet<String>,
) -> Vec<(Finding, Option<EntityId>)> {
    let mut out = Vec::new();
    for (id, e) in model.entities() {
        for field in &e.fields {
            if e.kind.field(&field.name).is_some() || read_by_rules.contains(&*field.name) {
                continue;
            }
            let kind = e.kind.one();
            let names = readable_names(e.kind);
            let suggestion = did_you_mean(&field.name, e.kind.fields().iter().map(|f| f.name))
                .or_else(|| wording_meant(e.kind, &field.name));
            let message = match suggestion {
                Some(s) => format!(
                    "`{}` is not a field of {kind}; did you mean `{s}`?",
                    field.name
                ),
                None => format!(
                    "`{}` is not a field of {kind}, and no rule reads it",
                    field.name
                ),
            };
            let help = match suggestion {
                Some(s) => format!("rename it to `{s}`; as written, align ignores it"),
                None => format!(
                    "{kind}'s fields are: {}; a field of your own is fine once one of your rules reads it",
                    names.join(", ")
                ),
            };
            out.push((
                Finding::new(UNKNOWN_FIELD, Severity::Warning, message)
                    .at(field.name_span(e.file))
                    .with_help(help)
                    .about(e.kind.singular(), e.id.clone())
                    .in_field(field.name.to_string()),
                Some(id),
            ));
        }
    }
    for stray in &model.stray_keys {
        out.push((
            Finding::new(
                UNKNOWN_FIELD,
                Severity::Warning,
                format!(
                    "`{}` is not a kind of entity; did you mean `{}`?",
                    stray.key, stray.suggestion
                ),
            )
            .at(stray.span)
            .with_help(format!(
                "rename it to `{}`; as written, nothing under it is checked",
                stray.suggestion
            )),
            None,
        ));
    }
    out
}
