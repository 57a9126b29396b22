//! The model: every entity, indexed by kind and id, with references resolved both ways.
//!
//! Following a reference or a back-link is a hash lookup or a slice read, never a scan, so a
//! rule over N entities does O(N) work.

use super::entity::{Entity, EntityId};
use super::load::StrayKey;
use super::node::{Node, NodeValue};
use super::schema::{BACKLINKS, FieldType, Kind};
use crate::source::Span;
use std::collections::HashMap;

/// Maps keyed by ids and entity numbers: foldhash is several times faster than the standard
/// hasher on short keys, and still seeded per process, so ids written to collide cannot
/// make lookups slow.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// A back-link name as a small number: the position of the first back-link so named.
fn backlink_index(name: &str) -> Option<u8> {
    BACKLINKS
        .iter()
        .position(|b| b.name == name)
        .and_then(|i| u8::try_from(i).ok())
}

/// A reference to an id that no entity of the expected kind has.
#[derive(Debug, Clone)]
pub struct Dangling {
    /// The entity holding the reference.
    pub entity: EntityId,
    /// The field path (`supports`, `claims[2].feature`).
    pub field: String,
    /// The missing id.
    pub id: String,
    /// The kind it should be.
    pub kind: Kind,
    /// Where the id is written.
    pub span: Span,
}

/// All entities of a run, with the index rules evaluate over.
#[derive(Debug, Default)]
pub struct Model {
    entities: Vec<Entity>,
    by_kind: [Vec<EntityId>; 6],
    ids: [FastMap<String, EntityId>; 6],
    /// By target entity and back-link name (as [`backlink_index`]).
    backlinks: FastMap<(EntityId, u8), Vec<EntityId>>,
    /// Tells this model from every other built in the process (see [`Model::generation`]).
    generation: u64,
    /// Every id declared more than once: (the first declaration, a later one).
    pub duplicates: Vec<(EntityId, EntityId)>,
    /// Every reference to a missing id.
    pub dangling: Vec<Dangling>,
    /// Misspelt top-level keys.
    pub stray_keys: Vec<StrayKey>,
}

impl Model {
    /// Indexes the given entities.
    pub fn build(entities: Vec<Entity>, stray_keys: Vec<StrayKey>) -> Model {
        static BUILT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let mut model = Model {
            entities,
            stray_keys,
            generation: BUILT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            ..Model::default()
        };
        for (i, e) in model.entities.iter().enumerate() {
            let eid = EntityId(i as u32);
            model.by_kind[e.kind.index()].push(eid);
            match model.ids[e.kind.index()].get(&e.id) {
                Some(first) => model.duplicates.push((*first, eid)),
                None => {
                    model.ids[e.kind.index()].insert(e.id.clone(), eid);
                }
            }
        }
        model.resolve();
        model
    }

    fn resolve(&mut self) {
        let mut backlinks: FastMap<(EntityId, u8), Vec<EntityId>> = FastMap::default();
        let mut dangling = Vec::new();
        for (i, e) in self.entities.iter().enumerate() {
            let from = EntityId(i as u32);
            for field in &e.fields {
                let Some(def) = e.kind.field(&field.name) else {
                    continue;
                };
                match def.ty {
                    FieldType::Ref(kind) | FieldType::RefList(kind) => {
                        let links: Vec<u8> = BACKLINKS
                            .iter()
                            .filter(|b| b.from == e.kind && b.field == &*field.name)
                            .filter_map(|b| backlink_index(b.name))
                            .collect();
                        for (id, span) in ids_in(&field.value) {
                            match self.ids[kind.index()].get(id) {
                                Some(target) => {
                                    for name in &links {
                                        let list = backlinks.entry((*target, *name)).or_default();
                                        if list.last() != Some(&from) {
                                            list.push(from);
                                        }
                                    }
                                }
                                None => dangling.push(Dangling {
                                    entity: from,
                                    field: field.name.to_string(),
                                    id: id.to_owned(),
                                    kind,
                                    span,
                                }),
                            }
                        }
                    }
                    FieldType::Claims => {
                        let NodeValue::List(claims) = &field.value.value else {
                            continue;
                        };
                        for (n, claim) in claims.iter().enumerate() {
                            for (name, kind) in
                                [("evidence", Kind::Evidence), ("feature", Kind::Feature)]
                            {
                                let Some(v) = claim.get(name) else { continue };
                                for (id, span) in ids_in(v) {
                                    if !self.ids[kind.index()].contains_key(id) {
                                        dangling.push(Dangling {
                                            entity: from,
                                            field: format!("claims[{n}].{name}"),
                                            id: id.to_owned(),
                                            kind,
                                            span,
                                        });
                                    }
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        self.backlinks = backlinks;
        self.dangling = dangling;
    }

    /// A number no other model built in this process has, so that what is worked out from
    /// one model (and kept for the next question about it) is never used with another.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The entity with this id.
    pub fn entity(&self, id: EntityId) -> &Entity {
        // Ids are only made by this model, so they are always in range.
        &self.entities[id.0 as usize]
    }

    /// Every entity.
    pub fn entities(&self) -> impl Iterator<Item = (EntityId, &Entity)> {
        self.entities
            .iter()
            .enumerate()
            .map(|(i, e)| (EntityId(i as u32), e))
    }

    /// Number of entities.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// Whether there are no entities.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// The entities of one kind, in load order.
    pub fn of_kind(&self, kind: Kind) -> &[EntityId] {
        &self.by_kind[kind.index()]
    }

    /// The entity of `kind` with this id (the first, if declared twice).
    pub fn lookup(&self, kind: Kind, id: &str) -> Option<EntityId> {
        self.ids[kind.index()].get(id).copied()
    }

    /// The entities that reach `id` through the back-link `name`.
    pub fn backlink(&self, id: EntityId, name: &'static str) -> &[EntityId] {
        backlink_index(name)
            .and_then(|i| self.backlinks.get(&(id, i)))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

/// The ids written in a reference value (one id, or a list of them), with their spans.
pub fn ids_in(node: &Node) -> Vec<(&str, Span)> {
    match &node.value {
        NodeValue::Text(s) => vec![(&**s, node.span)],
        NodeValue::List(items) => items
            .iter()
            .filter_map(|i| i.as_text().map(|s| (s, i.span)))
            .collect(),
        _ => Vec::new(),
    }
}
