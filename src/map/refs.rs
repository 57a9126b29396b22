//! The references of an entity, read from the model: every field that names another entity,
//! claims included, resolved to the entity it names.

use crate::model::index::ids_in;
use crate::model::schema::FieldType;
use crate::model::{EntityId, Kind, Model, NodeValue};

/// One resolved reference: the field it is written in and the entity it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    /// The reference field (`supports`, `needs`, ...; `evidence` / `feature` inside claims).
    pub field: &'static str,
    /// The entity named.
    pub target: EntityId,
}

/// Every reference `entity` makes to an entity that exists, in source order. References to
/// missing ids are left out: `hygiene/dangling-reference` reports them.
pub fn references(model: &Model, entity: EntityId) -> Vec<Reference> {
    let e = model.entity(entity);
    let mut out = Vec::new();
    for field in &e.fields {
        let Some(def) = e.kind.field(&field.name) else {
            continue;
        };
        match def.ty {
            FieldType::Ref(kind) | FieldType::RefList(kind) => {
                for (id, _) in ids_in(&field.value) {
                    if let Some(target) = model.lookup(kind, id) {
                        out.push(Reference {
                            field: def.name,
                            target,
                        });
                    }
                }
            }
            FieldType::Claims => {
                let NodeValue::List(claims) = &field.value.value else {
                    continue;
                };
                for claim in claims {
                    for (name, kind) in [("evidence", Kind::Evidence), ("feature", Kind::Feature)] {
                        let Some(v) = claim.get(name) else { continue };
                        for (id, _) in ids_in(v) {
                            if let Some(target) = model.lookup(kind, id) {
                                out.push(Reference {
                                    field: name,
                                    target,
                                });
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The entities of `kind` that `entity` names in the field `field` (claims left out).
pub fn named_in(model: &Model, entity: EntityId, field: &str) -> Vec<EntityId> {
    let e = model.entity(entity);
    let Some(def) = e.kind.field(field) else {
        return Vec::new();
    };
    let (FieldType::Ref(kind) | FieldType::RefList(kind)) = def.ty else {
        return Vec::new();
    };
    e.get(field)
        .map(|v| {
            ids_in(v)
                .into_iter()
                .filter_map(|(id, _)| model.lookup(kind, id))
                .collect()
        })
        .unwrap_or_default()
}

/// The evidence behind an entity, without repeats, as the map's badge counts it: for a need,
/// the evidence that supports it; for a segment, the evidence about it or about its needs;
/// for a feature, the evidence behind the needs it addresses; for a proposition, its own
/// evidence and its needs' evidence; for a message, its own evidence and its claims'.
/// Evidence items themselves have none.
pub fn evidence_behind(model: &Model, entity: EntityId) -> Vec<EntityId> {
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
