//! The references of an entity, read from the model: every field that names another entity,
//! claims included, resolved to the entity it names.

use crate::model::refs::written;
use crate::model::{EntityId, Kind, Model};

/// One resolved reference: the field it is written in and the entity it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    /// The reference field (`supports`, `needs`, ...; `evidence` / `feature` inside claims).
    pub(crate) field: &'static str,
    /// The entity named.
    pub target: EntityId,
}

/// Every reference `entity` makes to an entity that exists, in source order. References to
/// missing ids are left out: `hygiene/dangling-reference` reports them.
pub fn references(model: &Model, entity: EntityId) -> Vec<Reference> {
    written(model.entity(entity))
        .into_iter()
        .filter_map(|w| {
            model.lookup(w.kind, w.id).map(|target| Reference {
                field: w.via.field,
                target,
            })
        })
        .collect()
}

/// The entities of `kind` that `entity` names in the field `field` (claims left out).
pub(crate) fn named_in(model: &Model, entity: EntityId, field: &str) -> Vec<EntityId> {
    written(model.entity(entity))
        .into_iter()
        .filter(|w| w.via.is_top() && w.via.field == field)
        .filter_map(|w| model.lookup(w.kind, w.id))
        .collect()
}

/// The evidence behind an entity, without repeats, as the map's badge counts it: for a need,
/// the evidence that supports it; for a segment, the evidence about it or about its needs;
/// for a feature, the evidence behind the needs it addresses; for a proposition, its own
/// evidence and its needs' evidence; for a message, its own evidence and its claims'.
/// Evidence items themselves have none.
pub(crate) fn evidence_behind(model: &Model, entity: EntityId) -> Vec<EntityId> {
    let e = model.entity(entity);
    let mut found: Vec<EntityId> = Vec::new();
    let needs_evidence = |needs: &[EntityId], found: &mut Vec<EntityId>| {
        for n in needs {
            found.extend_from_slice(model.backlink(*n, "evidence"));
        }
    };
    match e.kind {
        Kind::Segment => {
            found.extend_from_slice(model.backlink(entity, "evidence"));
            needs_evidence(model.backlink(entity, "needs"), &mut found);
        }
        Kind::Need => found.extend_from_slice(model.backlink(entity, "evidence")),
        Kind::Evidence => {}
        Kind::Feature => needs_evidence(&named_in(model, entity, "addresses"), &mut found),
        Kind::Proposition => {
            found.extend(named_in(model, entity, "evidence"));
            needs_evidence(&named_in(model, entity, "needs"), &mut found);
        }
        Kind::Claim => found.extend(named_in(model, entity, "evidence")),
        Kind::Message => found.extend(
            references(model, entity)
                .into_iter()
                .filter(|r| r.field == "evidence")
                .map(|r| r.target),
        ),
    }
    let mut seen = std::collections::HashSet::new();
    found.retain(|id| seen.insert(*id));
    found
}
