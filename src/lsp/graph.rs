//! Where every id is declared and which entities name it, kept up to date file by file, and
//! what an edit can change: the entities whose findings depend on a changed entity, and the
//! entities their evaluation reads.

use super::deps::{Chain, Hop};
use crate::model::entity::Entity;
use crate::model::refs::{Via, written};
use crate::model::schema::Kind;
use crate::source::FileId;
use std::collections::{HashMap, HashSet};

/// An entity's kind and id: what references name, and what findings are about.
pub(crate) type Key = (Kind, String);

/// The key of an entity.
pub(crate) fn key(e: &Entity) -> Key {
    (e.kind, e.id.to_string())
}

/// Where an entity is: its file and its position among the file's entities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Loc {
    /// The file.
    pub(crate) file: FileId,
    /// Index among the file's entities.
    pub(crate) index: u32,
}

/// Every reference an entity writes: the kind and id it names, and the field it is written
/// in (read through the schema, [`crate::model::refs`]).
pub(crate) fn refs_of(e: &Entity) -> Vec<(Kind, &str, Via)> {
    written(e)
        .into_iter()
        .map(|w| (w.kind, w.id, w.via))
        .collect()
}

/// Where every id is declared and which entities name it, kept up to date file by file.
#[derive(Debug, Default)]
pub(crate) struct Graph {
    /// Declarations by kind (by [`Kind::index`]), then by id: the ids of one kind are read
    /// without looking at the others.
    decl: [HashMap<String, Vec<Loc>>; Kind::ALL.len()],
    refs_to: HashMap<Key, Vec<(Loc, Via)>>,
}

impl Graph {
    /// Adds a file's entities.
    pub(crate) fn add(&mut self, file: FileId, entities: &[Entity]) {
        for (i, e) in entities.iter().enumerate() {
            let loc = Loc {
                file,
                index: i as u32,
            };
            if let Some(ids) = self.decl.get_mut(e.kind.index()) {
                ids.entry(e.id.to_string()).or_default().push(loc);
            }
            for (k, id, field) in refs_of(e) {
                self.refs_to
                    .entry((k, id.to_owned()))
                    .or_default()
                    .push((loc, field));
            }
        }
    }

    /// Removes a file's entities (as they were added).
    pub(crate) fn remove(&mut self, file: FileId, entities: &[Entity]) {
        let mut targets: HashSet<Key> = HashSet::new();
        for e in entities {
            if let Some(ids) = self.decl.get_mut(e.kind.index()) {
                if let Some(list) = ids.get_mut(e.id.as_str()) {
                    list.retain(|l| l.file != file);
                    if list.is_empty() {
                        ids.remove(e.id.as_str());
                    }
                }
            }
            for (kind, id, _) in refs_of(e) {
                targets.insert((kind, id.to_owned()));
            }
        }
        for t in targets {
            if let Some(list) = self.refs_to.get_mut(&t) {
                list.retain(|(l, _)| l.file != file);
                if list.is_empty() {
                    self.refs_to.remove(&t);
                }
            }
        }
    }

    /// Where an id of a kind is declared.
    pub(crate) fn declared(&self, kind: Kind, id: &str) -> &[Loc] {
        self.decl
            .get(kind.index())
            .and_then(|ids| ids.get(id))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The entities naming an id of a kind, with the field that names it.
    pub(crate) fn referrers(&self, kind: Kind, id: &str) -> &[(Loc, Via)] {
        self.refs_to
            .get(&(kind, id.to_owned()))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Every id declared for a kind.
    pub(crate) fn ids_of(&self, kind: Kind) -> impl Iterator<Item = &str> {
        self.decl
            .get(kind.index())
            .into_iter()
            .flat_map(|ids| ids.keys().map(String::as_str))
    }

    /// The entities whose evaluation can change when the `seeds` (old and new versions of
    /// the entities of changed files) change: the seeds, whatever names them (a reference
    /// may now dangle or resolve), and every subject from which a rule's chain reaches one.
    pub(crate) fn affected<'a>(
        &'a self,
        seeds: &[&'a Entity],
        old: &HashMap<Key, Vec<&'a Entity>>,
        chains: &[Chain],
        get: impl Fn(Loc) -> Option<&'a Entity>,
    ) -> HashSet<Key> {
        let mut out: HashSet<Key> = HashSet::new();
        let mut seed_keys: HashSet<Key> = HashSet::new();
        for e in seeds {
            seed_keys.insert(key(e));
        }
        for k in &seed_keys {
            out.insert(k.clone());
            for (loc, _) in self.referrers(k.0, &k.1) {
                if let Some(e) = get(*loc) {
                    out.insert(key(e));
                }
            }
        }
        // The references an entity of this key writes, now and before the edit.
        let refs = |k: &Key| -> Vec<(Kind, String, Via)> {
            let mut list: Vec<(Kind, String, Via)> = Vec::new();
            let current = self.declared(k.0, &k.1).iter().filter_map(|l| get(*l));
            let before = old.get(k).into_iter().flatten().copied();
            for e in current.chain(before) {
                list.extend(
                    refs_of(e)
                        .into_iter()
                        .map(|(kind, id, f)| (kind, id.to_owned(), f)),
                );
            }
            list
        };
        for (subject, hops) in chains {
            for (i, hop) in hops.iter().enumerate() {
                let mut set: HashSet<Key> = seed_keys
                    .iter()
                    .filter(|k| k.0 == hop.to)
                    .cloned()
                    .collect();
                if set.is_empty() {
                    continue;
                }
                for h in hops.iter().take(i + 1).rev() {
                    set = self.predecessors(&set, h, &refs, &get);
                    if set.is_empty() {
                        break;
                    }
                }
                out.extend(set.into_iter().filter(|k| k.0 == *subject));
            }
        }
        out
    }

    /// Every id declared for a kind.
    fn all_of(&self, kind: Kind) -> HashSet<Key> {
        self.ids_of(kind).map(|id| (kind, id.to_owned())).collect()
    }

    fn predecessors<'a>(
        &'a self,
        set: &HashSet<Key>,
        hop: &Hop,
        refs: &impl Fn(&Key) -> Vec<(Kind, String, Via)>,
        get: &impl Fn(Loc) -> Option<&'a Entity>,
    ) -> HashSet<Key> {
        let mut out = HashSet::new();
        if hop.from.derived(hop.name).is_some() {
            // Which messages voice a claim is worked out from their words: any entity of the
            // kind may reach any of the set.
            return self.all_of(hop.from);
        }
        let backlink = hop.from.backlink(hop.name);
        for x in set {
            match backlink {
                // `from.name` lists what names `from` through `b.field`: the entity x names
                // its predecessors itself.
                Some(b) => {
                    for (kind, id, field) in refs(x) {
                        if field.names(b.field) && kind == hop.from {
                            out.insert((kind, id));
                        }
                    }
                }
                None => {
                    for (loc, field) in self.referrers(x.0, &x.1) {
                        if field.names(hop.name) {
                            if let Some(e) = get(*loc).filter(|e| e.kind == hop.from) {
                                out.insert(key(e));
                            }
                        }
                    }
                }
            }
        }
        out
    }

    /// Everything the evaluation of `subjects` reads: along every chain of their kind, the
    /// ids they name (to tell dangling references), and every declaration of each (to tell
    /// duplicates).
    pub(crate) fn reads<'a>(
        &'a self,
        subjects: &HashSet<Key>,
        chains: &[Chain],
        get: impl Fn(Loc) -> Option<&'a Entity>,
    ) -> Vec<Loc> {
        let mut keys: HashSet<Key> = subjects.clone();
        // Derived hops (chain, hop) already followed: from there on a chain reaches every
        // entity of the hop's kind, whatever the subject, so it is followed once.
        let mut whole: Vec<(usize, usize)> = Vec::new();
        for s in subjects {
            for l in self.declared(s.0, &s.1) {
                if let Some(e) = get(*l) {
                    for (k, id, _) in refs_of(e) {
                        keys.insert((k, id.to_owned()));
                    }
                }
            }
            for (c, (kind, hops)) in chains.iter().enumerate() {
                if *kind != s.0 {
                    continue;
                }
                let mut set: HashSet<Key> = HashSet::from([s.clone()]);
                for (h, hop) in hops.iter().enumerate() {
                    let mut next = HashSet::new();
                    if hop.from.derived(hop.name).is_some() {
                        if whole.contains(&(c, h)) {
                            break;
                        }
                        whole.push((c, h));
                        next = self.all_of(hop.to);
                        keys.extend(next.iter().cloned());
                        set = next;
                        continue;
                    }
                    for x in &set {
                        match hop.from.backlink(hop.name) {
                            Some(b) => {
                                for (loc, field) in self.referrers(x.0, &x.1) {
                                    if field.names(b.field) {
                                        if let Some(e) = get(*loc).filter(|e| e.kind == b.from) {
                                            next.insert(key(e));
                                        }
                                    }
                                }
                            }
                            None => {
                                for l in self.declared(x.0, &x.1) {
                                    if let Some(e) = get(*l) {
                                        for (k, id, field) in refs_of(e) {
                                            if field.names(hop.name) {
                                                next.insert((k, id.to_owned()));
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    keys.extend(next.iter().cloned());
                    set = next;
                    if set.is_empty() {
                        break;
                    }
                }
            }
        }
        let mut locs: Vec<Loc> = keys
            .iter()
            .flat_map(|k| self.declared(k.0, &k.1).iter().copied())
            .collect();
        locs.sort();
        locs.dedup();
        locs
    }
}
