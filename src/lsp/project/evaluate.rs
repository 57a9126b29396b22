//! Evaluating the project after edits, and the findings shown for each file.
//!
//! After a (re)load everything is evaluated; after an edit, only the entities whose findings
//! the edit can change (see [`crate::lsp::deps`]), in a model holding just them and what they
//! read. Findings are cached by what they are about, so a file's list is rebuilt from the
//! cache; line suppressions are applied as the list is shown.

use super::{EvalStats, Owner, Project, owner_key};
use crate::engine::{self, suppress};
use crate::finding::Finding;
use crate::lsp::diagnostics::diagnostic;
use crate::lsp::graph::{Key, Loc, key};
use crate::lsp::position::Encoding;
use crate::model::Model;
use crate::model::entity::Entity;
use crate::model::load::StrayKey;
use crate::project::over_cap_finding;
use crate::rules::hygiene::SUPPRESSION;
use crate::source::FileId;
use lsp_types::Diagnostic;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

impl Project {
    /// Re-evaluates what changed since the last time: everything after a (re)load, else only
    /// the entities whose result an edit can have changed (see `crate::lsp::deps`), in a model
    /// holding just them and what they read.
    pub fn evaluate(&mut self) {
        if !self.stale {
            return;
        }
        self.stale = false;
        if self.stop_over_cap() {
            return;
        }
        let changed = std::mem::take(&mut self.changed);
        let full = std::mem::replace(&mut self.full, false);
        let changed_files: HashSet<FileId> = changed.iter().map(|(f, _)| *f).collect();

        let affected: Option<HashSet<Key>> = if full {
            None
        } else {
            let mut old: HashMap<Key, Vec<&Entity>> = HashMap::new();
            let mut seeds: Vec<&Entity> = Vec::new();
            for (file, before) in &changed {
                for e in before {
                    old.entry(key(e)).or_default().push(e);
                    seeds.push(e);
                }
                if let Some(f) = self.by_id.get(file).and_then(|i| self.files.get(*i)) {
                    seeds.extend(f.entities.iter());
                }
            }
            Some(
                self.graph()
                    .affected(&seeds, &old, &self.chains, |l| self.entity(l)),
            )
        };
        // How many entities each file lent to a full evaluation.
        let mut lent: Vec<usize> = Vec::new();
        let entities: Vec<Entity> = match &affected {
            // Everything: the files lend their entities to the model and take them back
            // after the run, instead of copying every entity.
            None => {
                let mut all = Vec::with_capacity(self.entity_count());
                for f in &mut self.files {
                    lent.push(f.entities.len());
                    all.append(&mut f.entities);
                }
                all
            }
            Some(a) => {
                let mut locs = self.graph().reads(a, &self.chains, |l| self.entity(l));
                let order = |l: &Loc| {
                    (
                        self.by_id.get(&l.file).copied().unwrap_or(usize::MAX),
                        l.index,
                    )
                };
                locs.sort_by_key(order);
                locs.iter()
                    .filter_map(|l| self.entity(*l).cloned())
                    .collect()
            }
        };
        let loaded = entities.len();
        let stray: Vec<StrayKey> = self
            .files
            .iter()
            .filter(|f| full || changed_files.contains(&f.id))
            .flat_map(|f| f.stray.iter().cloned())
            .collect();
        let model = Model::build(entities, stray);
        let findings = engine::run(&model, &self.sources, &self.rules, &[], &self.settings);
        if affected.is_none() {
            self.give_back(model.into_entities(), &lent);
        }
        let mut fresh: HashMap<Owner, Vec<Finding>> = HashMap::new();
        for f in findings {
            let owner = match owner_key(&f) {
                Some(k) => Owner::Entity(k),
                None => match f.span {
                    Some(s) => Owner::File(s.file),
                    None => continue,
                },
            };
            let keep = match (&owner, &affected) {
                (_, None) => true,
                (Owner::Entity(k), Some(a)) => a.contains(k),
                (Owner::File(file), Some(_)) => changed_files.contains(file),
            };
            if keep {
                fresh.entry(owner).or_default().push(f);
            }
        }
        match &affected {
            None => {
                self.cache.clear();
                self.owner_files.clear();
                self.round.extend(self.published_ids());
            }
            Some(a) => {
                for k in a {
                    self.drop_owner(&Owner::Entity(k.clone()));
                }
                for f in &changed_files {
                    self.drop_owner(&Owner::File(*f));
                }
                self.round.extend(changed_files.iter().copied());
            }
        }
        for (owner, list) in fresh {
            self.add_owner(owner, list);
        }
        let round: Vec<FileId> = self.round.drain().collect();
        for file in round {
            self.show(file);
            self.dirty.insert(file);
        }
        self.last = EvalStats {
            full,
            affected: affected.as_ref().map_or(loaded, HashSet::len),
            loaded,
        };
    }

    /// Hands the entities lent to a full evaluation back to their files, in file order.
    fn give_back(&mut self, mut entities: Vec<Entity>, lent: &[usize]) {
        for (f, n) in self.files.iter_mut().zip(lent).rev() {
            f.entities = entities.split_off(entities.len().saturating_sub(*n));
        }
    }

    /// Over the entity cap, as `align check`: one finding says so, and no rule runs on a
    /// model that would hold only some of the entities. Returns whether the cap is passed.
    fn stop_over_cap(&mut self) -> bool {
        let total = self.entity_count();
        if total <= self.limits.max_entities {
            if self.over_cap.take().is_some() {
                // Back under the cap: everything is evaluated again.
                self.full = true;
            }
            return false;
        }
        let first_left_out = self
            .files
            .iter()
            .flat_map(|f| f.entities.iter())
            .nth(self.limits.max_entities)
            .map(|e| e.id_span);
        self.over_cap = Some(over_cap_finding(total, &self.limits, first_left_out));
        self.changed.clear();
        self.full = true;
        self.cache.clear();
        self.owner_files.clear();
        self.round.extend(self.published_ids());
        let round: Vec<FileId> = self.round.drain().collect();
        for file in round {
            self.show(file);
            self.dirty.insert(file);
        }
        true
    }

    /// Every file whose findings may be shown: data, rule and configuration files.
    fn published_ids(&self) -> Vec<FileId> {
        let mut ids: Vec<FileId> = self.files.iter().map(|f| f.id).collect();
        ids.extend(
            self.setup_findings
                .iter()
                .filter_map(|f| f.span.map(|s| s.file)),
        );
        ids.extend(self.loose.values().map(|(id, _)| *id));
        ids.extend(self.rule_files.iter().map(|r| r.id));
        ids.extend(self.config_path.as_ref().and_then(|p| self.id_of(p)));
        ids
    }

    fn drop_owner(&mut self, owner: &Owner) {
        for file in self.owner_files.remove(owner).unwrap_or_default() {
            if let Some(c) = self.cache.get_mut(&file) {
                c.remove(owner);
            }
            self.round.insert(file);
        }
    }

    fn add_owner(&mut self, owner: Owner, list: Vec<Finding>) {
        let mut by_file: HashMap<FileId, Vec<Finding>> = HashMap::new();
        for f in list {
            if let Some(s) = f.span {
                by_file.entry(s.file).or_default().push(f);
            }
        }
        let files: Vec<FileId> = by_file.keys().copied().collect();
        for (file, list) in by_file {
            self.cache
                .entry(file)
                .or_default()
                .insert(owner.clone(), list);
            self.round.insert(file);
        }
        self.owner_files.insert(owner, files);
    }

    /// The findings shown for one file: the rules' (line suppressions applied), the file's
    /// load problems, and setup problems located in it.
    fn show(&mut self, file: FileId) {
        let mut list: Vec<Finding> = self
            .cache
            .get(&file)
            .map(|c| c.values().flatten().cloned().collect())
            .unwrap_or_default();
        let data = self.by_id.get(&file).and_then(|i| self.files.get(*i));
        // Line suppressions are applied here, as `align check` applies them, with the
        // file's text as it is now (entity suppressions were applied by the evaluation).
        if data.is_some_and(|d| d.is_data) && self.over_cap.is_none() {
            let empty = Model::default();
            let sups = suppress::collect(&empty, &self.sources, &[file]);
            if !sups.is_empty() {
                let mut applier = suppress::Applier::new(sups);
                list.retain(|f| !applier.silences(f, None, &self.sources));
                let suppression = self
                    .rules
                    .get(SUPPRESSION)
                    .and_then(|r| self.settings.severity_of(r));
                if let Some(severity) = suppression {
                    let in_force: Vec<String> = self
                        .rules
                        .rules
                        .iter()
                        .filter(|r| self.settings.severity_of(r).is_some())
                        .map(|r| r.id.clone())
                        .collect();
                    let loaded: Vec<String> =
                        self.rules.rules.iter().map(|r| r.id.clone()).collect();
                    let known = crate::engine::suppress::RulesKnown {
                        loaded: &loaded,
                        in_force: &in_force,
                    };
                    list.extend(applier.findings(severity, &known, &empty));
                }
            }
        }
        if let Some(d) = data {
            list.extend(d.findings.iter().cloned());
        }
        list.extend(
            self.setup_findings
                .iter()
                .chain(&self.over_cap)
                .filter(|f| f.span.is_some_and(|s| s.file == file))
                .cloned(),
        );
        if let Some((_, found)) = self.loose.values().find(|(id, _)| *id == file) {
            list.extend(found.iter().cloned());
        }
        list.sort_by(|a, b| {
            let k = |f: &Finding| (f.span.map(|s| (s.start, s.end)), f.rule.clone());
            k(a).cmp(&k(b)).then_with(|| a.message.cmp(&b.message))
        });
        list.dedup_by(|a, b| a.rule == b.rule && a.span == b.span && a.message == b.message);
        self.shown.insert(file, list);
    }

    /// The files whose findings changed since the last call.
    pub(crate) fn take_dirty(&mut self) -> Vec<FileId> {
        let mut out: Vec<FileId> = self.dirty.drain().collect();
        out.sort();
        out
    }

    /// The findings shown for a file.
    pub(crate) fn shown(&self, file: FileId) -> &[Finding] {
        self.shown.get(&file).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The diagnostics shown for each of `files`, with its path, in the client's encoding:
    /// converted on every core (a large project's first check shows tens of thousands).
    pub(crate) fn diagnostics(
        &self,
        files: &[FileId],
        enc: Encoding,
    ) -> Vec<Option<(PathBuf, Vec<Diagnostic>)>> {
        let (sources, paths, shown) = (&self.sources, &self.paths, &self.shown);
        let path_of = |id: FileId| paths.get(&id).map(PathBuf::as_path);
        crate::parallel::map(files, |file| {
            let path = path_of(*file)?.to_path_buf();
            let list = shown
                .get(file)
                .map(Vec::as_slice)
                .unwrap_or(&[])
                .iter()
                .filter_map(|f| diagnostic(f, sources, enc, |s| path_of(s.file)))
                .collect();
            Some((path, list))
        })
    }

    /// Every finding shown, in every file.
    pub fn all_shown(&self) -> impl Iterator<Item = &Finding> {
        self.shown.values().flatten()
    }
}
