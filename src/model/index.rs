//! The model: every entity, indexed by kind and id, with references resolved both ways.
//!
//! Following a reference or a back-link is a hash lookup or a slice read, never a scan, so a
//! rule over N entities does O(N) work.

use super::entity::{Entity, EntityId};
use super::load::StrayKey;
use super::node::{Node, NodeValue};
use super::refs::each_written;
use super::schema::{BACKLINKS, Kind};
use super::text::Text;
use super::voicing::{self, Voicing};
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

/// The entity of `kind` first declared with `id`, in the model's id maps (one per kind).
fn declared<'a>(
    ids: &'a [FastMap<Text, EntityId>; Kind::ALL.len()],
    kind: Kind,
    id: &str,
) -> Option<&'a EntityId> {
    ids.get(kind.index())?.get(id)
}

/// A reference to an id that no entity of the expected kind has.
#[derive(Debug, Clone)]
pub(crate) struct Dangling {
    /// The entity holding the reference.
    pub(crate) entity: EntityId,
    /// The field path (`supports`, `claims[2].feature`).
    pub(crate) field: String,
    /// The missing id.
    pub(crate) id: String,
    /// The kind it should be.
    pub(crate) kind: Kind,
    /// Where the id is written.
    pub(crate) span: Span,
}

/// All entities of a run, with the index rules evaluate over.
#[derive(Debug, Default)]
pub struct Model {
    entities: Vec<Entity>,
    by_kind: [Vec<EntityId>; 7],
    ids: [FastMap<Text, EntityId>; 7],
    backlinks: Backlinks,
    /// The library claims each message voices, in message order.
    voicings: Vec<Voicing>,
    /// The messages voicing each library claim.
    voiced_by: FastMap<EntityId, Vec<EntityId>>,
    /// Tells this model from every other built in the process (see [`Model::generation`]).
    generation: u64,
    /// Every id declared more than once: (the first declaration, a later one).
    pub(crate) duplicates: Vec<(EntityId, EntityId)>,
    /// Every reference to a missing id.
    pub(crate) dangling: Vec<Dangling>,
    /// Misspelt top-level keys.
    pub(crate) stray_keys: Vec<StrayKey>,
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
        // Sized once: growing a map of hundreds of thousands of ids rehashes it many times.
        let mut per_kind = [0usize; 7];
        for e in &model.entities {
            if let Some(n) = per_kind.get_mut(e.kind.index()) {
                *n += 1;
            }
        }
        for ((ids, by_kind), n) in model.ids.iter_mut().zip(&mut model.by_kind).zip(per_kind) {
            ids.reserve(n);
            by_kind.reserve_exact(n);
        }
        for (i, e) in model.entities.iter().enumerate() {
            let eid = EntityId(i as u32);
            let k = e.kind.index();
            let (Some(by_kind), Some(ids)) = (model.by_kind.get_mut(k), model.ids.get_mut(k))
            else {
                continue;
            };
            by_kind.push(eid);
            match ids.get(e.id.as_str()) {
                Some(first) => model.duplicates.push((*first, eid)),
                None => {
                    ids.insert(e.id.clone(), eid);
                }
            }
        }
        model.resolve();
        model.voice();
        model
    }

    /// Works out which library claims each message voices.
    fn voice(&mut self) {
        let (Some(ids), Some(messages), Some(claims)) = (
            self.ids.get(Kind::Claim.index()),
            self.by_kind.get(Kind::Message.index()),
            self.by_kind.get(Kind::Claim.index()),
        ) else {
            return;
        };
        self.voicings =
            voicing::voicings(&self.entities, messages, claims, |id| ids.get(id).copied());
        for v in &self.voicings {
            let list = self.voiced_by.entry(v.claim).or_default();
            // A message's voicings are together, so a message already listed is the last.
            if list.last() != Some(&v.message) {
                list.push(v.message);
            }
        }
    }

    /// The library claims a message voices, named or said in close words.
    pub(crate) fn voices(&self, message: EntityId) -> &[Voicing] {
        let lo = self.voicings.partition_point(|v| v.message < message);
        let hi = self.voicings.partition_point(|v| v.message <= message);
        self.voicings.get(lo..hi).unwrap_or(&[])
    }

    /// The messages that voice a library claim.
    pub fn voiced_by(&self, claim: EntityId) -> &[EntityId] {
        self.voiced_by.get(&claim).map(Vec::as_slice).unwrap_or(&[])
    }

    fn resolve(&mut self) {
        // (target, back-link, from), in the order of the entities that hold the references.
        let mut links_found: Vec<(EntityId, u8, EntityId)> = Vec::new();
        let mut dangling = Vec::new();
        for (i, e) in self.entities.iter().enumerate() {
            let from = EntityId(i as u32);
            each_written(e, |w| match declared(&self.ids, w.kind, w.id) {
                Some(target) if w.via.is_top() => links_found.extend(
                    BACKLINKS
                        .iter()
                        .filter(|b| b.from == e.kind && b.field == w.via.field)
                        .filter_map(|b| backlink_index(b.name))
                        .map(|link| (*target, link, from)),
                ),
                Some(_) => {}
                None => dangling.push(Dangling {
                    entity: from,
                    field: w.path(),
                    id: w.id.to_owned(),
                    kind: w.kind,
                    span: w.span,
                }),
            });
        }
        self.backlinks = Backlinks::new(self.entities.len(), links_found);
        self.dangling = dangling;
    }

    /// A number no other model built in this process has, so that what is worked out from
    /// one model (and kept for the next question about it) is never used with another.
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// The entity with this id.
    // In bounds: an `EntityId` is made only in this file (its number is private to the
    // model), from a position in `entities`, which is never shortened after `build`.
    #[allow(clippy::indexing_slicing)]
    pub fn entity(&self, id: EntityId) -> &Entity {
        &self.entities[id.0 as usize]
    }

    /// Every entity.
    pub fn entities(&self) -> impl Iterator<Item = (EntityId, &Entity)> {
        self.entities
            .iter()
            .enumerate()
            .map(|(i, e)| (EntityId(i as u32), e))
    }

    /// The entities indexed, in the order they were given, for a caller that lent them
    /// (the language server keeps them file by file between evaluations).
    pub(crate) fn into_entities(self) -> Vec<Entity> {
        self.entities
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
        self.by_kind.get(kind.index()).map_or(&[], Vec::as_slice)
    }

    /// The entity of `kind` with this id (the first, if declared twice).
    pub fn lookup(&self, kind: Kind, id: &str) -> Option<EntityId> {
        declared(&self.ids, kind, id).copied()
    }

    /// The entities that reach `id` through the back-link `name`.
    pub fn backlink(&self, id: EntityId, name: &'static str) -> &[EntityId] {
        backlink_index(name)
            .map(|link| self.backlinks.get(id, link))
            .unwrap_or(&[])
    }
}

/// Every back-link, as one table: for each target entity, its entries sorted by back-link
/// and then by the order of the entities that refer to it. No map and no list per entity, so
/// the table costs a few bytes per reference and is built in linear time.
#[derive(Debug, Default)]
struct Backlinks {
    /// Where each entity's entries start; one more than there are entities.
    starts: Vec<u32>,
    /// The back-link of each entry (as [`backlink_index`]).
    links: Vec<u8>,
    /// The entity each entry comes from.
    from: Vec<EntityId>,
}

impl Backlinks {
    /// The table of `found` (target, back-link, from), given in the order of `from`.
    fn new(entities: usize, found: Vec<(EntityId, u8, EntityId)>) -> Backlinks {
        let mut starts = vec![0u32; entities + 1];
        for (target, ..) in &found {
            if let Some(n) = starts.get_mut(target.0 as usize + 1) {
                *n += 1;
            }
        }
        let mut total = 0;
        for n in &mut starts {
            total += *n;
            *n = total;
        }
        // Placed by target, keeping the order they were found in.
        let mut next = starts.clone();
        let mut placed = vec![(0u8, EntityId(0)); found.len()];
        for (target, link, from) in found {
            if let Some(at) = next.get_mut(target.0 as usize) {
                if let Some(slot) = placed.get_mut(*at as usize) {
                    *slot = (link, from);
                }
                *at += 1;
            }
        }
        // Within each target, by back-link (stably); a repeated reference counts once.
        let mut table = Backlinks {
            starts: Vec::with_capacity(entities + 1),
            links: Vec::with_capacity(placed.len()),
            from: Vec::with_capacity(placed.len()),
        };
        table.starts.push(0);
        for (&a, &b) in starts.iter().zip(starts.iter().skip(1)) {
            if let Some(entries) = placed.get_mut(a as usize..b as usize) {
                entries.sort_by_key(|(link, _)| *link);
                let kept = table.links.len();
                for &(link, from) in entries.iter() {
                    let repeat = table.links.len() > kept
                        && table.links.last() == Some(&link)
                        && table.from.last() == Some(&from);
                    if !repeat {
                        table.links.push(link);
                        table.from.push(from);
                    }
                }
            }
            table
                .starts
                .push(u32::try_from(table.links.len()).unwrap_or(u32::MAX));
        }
        table
    }

    /// The entities that reach `target` through back-link `link`.
    fn get(&self, target: EntityId, link: u8) -> &[EntityId] {
        let i = target.0 as usize;
        let (Some(&a), Some(&b)) = (self.starts.get(i), self.starts.get(i + 1)) else {
            return &[];
        };
        let (a, b) = (a as usize, b as usize);
        let Some(links) = self.links.get(a..b) else {
            return &[];
        };
        let lo = a + links.partition_point(|l| *l < link);
        let hi = a + links.partition_point(|l| *l <= link);
        self.from.get(lo..hi).unwrap_or(&[])
    }
}

/// The ids written in a reference value (one id, or a list of them), with their spans.
pub(crate) fn ids_in(node: &Node) -> Vec<(&str, Span)> {
    match &node.value {
        NodeValue::Text(s) => vec![(&**s, node.span)],
        NodeValue::List(items) => items
            .iter()
            .filter_map(|i| i.as_text().map(|s| (s, i.span)))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load::load_file;
    use crate::model::node::YamlLimits;
    use crate::source::FileId;

    fn model(yaml: &str) -> Model {
        let loaded = load_file(FileId(0), &yaml.into(), &YamlLimits::default());
        assert!(loaded.findings.is_empty(), "{:?}", loaded.findings);
        Model::build(loaded.entities, Vec::new())
    }

    fn ids<'m>(m: &'m Model, list: &[EntityId]) -> Vec<&'m str> {
        list.iter().map(|e| m.entity(*e).id.as_str()).collect()
    }

    #[test]
    fn every_model_has_its_own_generation() {
        // What is worked out from one model is keyed by its generation; an editor rebuilds
        // the model on each edit, with the same entity numbers.
        let a = model("needs:\n  - {id: n1, statement: a}\n");
        let b = model("needs:\n  - {id: n1, statement: b}\n");
        assert_ne!(a.generation(), b.generation());
    }

    #[test]
    fn back_links_list_each_referrer_once_in_file_order() {
        let m = model(
            "needs:\n  - {id: n1, statement: a}\n  - {id: n2, statement: b}\n\
             evidence:\n  - {id: e1, kind: interview, date: 2026-01-01, supports: [n2, n1, n2]}\n\
             \x20 - {id: e2, kind: survey, date: 2026-01-01, supports: n1}\n\
             propositions:\n  - {id: p1, statement: c, needs: [n1]}\n",
        );
        let n1 = m.lookup(Kind::Need, "n1").expect("n1");
        let n2 = m.lookup(Kind::Need, "n2").expect("n2");
        assert_eq!(ids(&m, m.backlink(n1, "evidence")), ["e1", "e2"]);
        // Named twice by e1, counted once.
        assert_eq!(ids(&m, m.backlink(n2, "evidence")), ["e1"]);
        assert_eq!(ids(&m, m.backlink(n1, "propositions")), ["p1"]);
        assert!(m.backlink(n2, "propositions").is_empty());
        assert!(m.backlink(n1, "no-such-link").is_empty());
        let e1 = m.lookup(Kind::Evidence, "e1").expect("e1");
        assert!(m.backlink(e1, "evidence").is_empty());
    }
}
