//! The project as the language server holds it between edits.
//!
//! Loading is split in two: the *setup* (the configuration, the built-in packs and the team's
//! rule files), loaded once and again only when one of those files changes; and the *data*,
//! kept file by file. Each data file keeps the entities and load findings it produced, so an
//! edit re-loads that one file (`model::load::load_file`), then re-indexes (`Model::build`)
//! and re-evaluates (`engine::run`) everything, which is what makes a change in one file show
//! up in every other file it affects. Open editor buffers (overlays) are read instead of the
//! disk, for data, configuration and rule files alike.

use super::deps::{Chain, Hop};
use super::watch::{Snapshot, Stamp};
use crate::engine::suppress::{self, Scope};
use crate::engine::{self, RunSettings};
use crate::finding::{Finding, Severity};
use crate::lang::syntax;
use crate::model::Model;
use crate::model::NodeValue;
use crate::model::entity::Entity;
use crate::model::index::ids_in;
use crate::model::load::{LOAD_YAML, StrayKey, load_file};
use crate::model::node::YamlLimits;
use crate::model::schema::did_you_mean;
use crate::model::schema::{FieldType, Kind};
use crate::project::config::{self, Config, LOAD_CONFIG};
use crate::project::discover::{self, ALWAYS_SKIPPED, CONFIG_FILE, Filter, Found, glob_match};
use crate::project::{display_path, read_text, rule_error_finding};
use crate::rules::hygiene::SUPPRESSION;
use crate::rules::{BUILTIN_PACKS, LOAD_RULES, RuleSet};
use crate::source::{FileId, Sources, Span};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One data file: what its last load produced.
#[derive(Debug)]
struct DataFile {
    path: PathBuf,
    id: FileId,
    entities: Vec<Entity>,
    stray: Vec<StrayKey>,
    findings: Vec<Finding>,
    /// Whether it holds any kind (other YAML files are kept, but not checked).
    is_data: bool,
    /// How the file on disk looked when it was read (`None` when read from an overlay or
    /// when it could not be read).
    stamp: Option<Stamp>,
}

/// A rule file of the team's, or a loose `.align` file open in the editor.
#[derive(Debug)]
struct RuleFile {
    path: PathBuf,
    id: FileId,
    stamp: Option<Stamp>,
}

/// Everything the server knows about one project.
pub struct Project {
    /// The folder checked: where `align.yaml` is, else the workspace folder.
    pub root: PathBuf,
    /// The configuration file, when there is one.
    pub config_path: Option<PathBuf>,
    config_stamp: Option<Stamp>,
    /// Every file read, by id.
    pub sources: Sources,
    /// The rules in force.
    pub rules: RuleSet,
    /// How the rules run (today, severities, options).
    pub settings: RunSettings,
    filter: Filter,
    /// The `pages:` entries of the configuration.
    pages: Vec<crate::project::pages::PageEntry>,
    rule_dirs: Vec<PathBuf>,
    rule_files: Vec<RuleFile>,
    setup_findings: Vec<Finding>,
    files: Vec<DataFile>,
    by_path: HashMap<PathBuf, usize>,
    paths: HashMap<FileId, PathBuf>,
    overlays: HashMap<PathBuf, String>,
    loose: HashMap<PathBuf, (FileId, Vec<Finding>)>,
    by_id: HashMap<FileId, usize>,
    /// Where every id is declared and referenced.
    pub graph: Graph,
    chains: Vec<Chain>,
    /// Data files re-read since the last evaluation, with the entities they held before.
    changed: Vec<(FileId, Vec<Entity>)>,
    /// Whether the next evaluation must look at everything.
    full: bool,
    /// Findings of the rules, by the file they point into and what they are about.
    cache: HashMap<FileId, HashMap<Owner, Vec<Finding>>>,
    owner_files: HashMap<Owner, Vec<FileId>>,
    /// Every finding to show, by file, after suppressions.
    shown: HashMap<FileId, Vec<Finding>>,
    /// Files whose findings change in the evaluation under way.
    round: HashSet<FileId>,
    /// Files whose findings changed since the server last published.
    dirty: HashSet<FileId>,
    stale: bool,
    /// How the last evaluation went, for logs and benchmarks.
    pub last: EvalStats,
}

/// The folder a workspace folder's project lives in: the nearest folder upward holding
/// `align.yaml`, else the workspace folder itself.
pub fn find_root(folder: &Path) -> (PathBuf, Option<PathBuf>) {
    for dir in folder.ancestors() {
        let candidate = dir.join(CONFIG_FILE);
        if candidate.is_file() {
            return (dir.to_path_buf(), Some(candidate));
        }
    }
    (folder.to_path_buf(), None)
}

/// The canonical form of a path, used as the key of every file (so that a path the editor
/// sends and a path found on disk compare equal).
pub fn canonical(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    // A file not (yet) on disk: canonicalise its folder.
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => dir
            .canonicalize()
            .map(|d| d.join(name))
            .unwrap_or_else(|_| path.to_path_buf()),
        _ => path.to_path_buf(),
    }
}

impl Project {
    /// Loads the project whose root folder (or workspace folder) is `folder`, reading open
    /// buffers from `overlays` instead of the disk.
    pub fn load(folder: &Path, overlays: HashMap<PathBuf, String>) -> Project {
        let folder = canonical(folder);
        let (root, config_path) = find_root(&folder);
        let mut project = Project {
            root,
            config_path,
            config_stamp: None,
            sources: Sources::new(),
            rules: RuleSet::default(),
            settings: RunSettings::default(),
            filter: Filter::default(),
            pages: Vec::new(),
            rule_dirs: Vec::new(),
            rule_files: Vec::new(),
            setup_findings: Vec::new(),
            files: Vec::new(),
            by_path: HashMap::new(),
            paths: HashMap::new(),
            overlays,
            loose: HashMap::new(),
            by_id: HashMap::new(),
            graph: Graph::default(),
            chains: Vec::new(),
            changed: Vec::new(),
            full: true,
            cache: HashMap::new(),
            owner_files: HashMap::new(),
            shown: HashMap::new(),
            round: HashSet::new(),
            dirty: HashSet::new(),
            stale: true,
            last: EvalStats::default(),
        };
        project.load_setup();
        project.load_data();
        project
    }

    /// Loads everything again (the configuration or a rule file changed).
    pub fn reload(&mut self) {
        let overlays = std::mem::take(&mut self.overlays);
        let root = self.root.clone();
        *self = Project::load(&root, overlays);
    }

    fn text_of(&self, path: &Path) -> Result<(String, Option<Stamp>), String> {
        if let Some(text) = self.overlays.get(path) {
            return Ok((text.clone(), None));
        }
        let stamp = Stamp::of(path);
        read_text(path).map(|t| (t, stamp))
    }

    fn add_source(&mut self, path: &Path, text: &str) -> FileId {
        let id = self.sources.add(display_path(path), Arc::from(text));
        self.paths.insert(id, path.to_path_buf());
        id
    }

    /// The configuration, the built-in packs, the team's rule files, and the settings.
    fn load_setup(&mut self) {
        let mut config = Config::default();
        if let Some(path) = self.config_path.clone() {
            match self.text_of(&path) {
                Ok((text, stamp)) => {
                    self.config_stamp = stamp;
                    let id = self.add_source(&path, &text);
                    match config::parse(id, &text) {
                        Ok(c) => config = c,
                        Err(errors) => self.setup_findings.extend(errors),
                    }
                }
                Err(why) => {
                    let id = self.add_source(&path, "");
                    self.setup_findings.push(
                        Finding::new(
                            LOAD_CONFIG,
                            Severity::Error,
                            format!("could not read the configuration: {why}"),
                        )
                        .at(Span::new(id, 0, 0)),
                    );
                }
            }
        }
        if let Err(errors) = self.rules.add_builtin(&mut self.sources) {
            self.setup_findings
                .extend(errors.into_iter().map(rule_error_finding));
        }
        self.rule_dirs = config
            .rules_dirs
            .iter()
            .map(|(d, _)| canonical(&self.root.join(d)))
            .collect();
        for dir in self.rule_dirs.clone() {
            if !dir.exists() {
                if let Some(id) = self.config_path.as_ref().and_then(|p| self.id_of(p)) {
                    self.setup_findings.push(
                        Finding::new(
                            LOAD_RULES,
                            Severity::Error,
                            format!(
                                "the rules folder {} does not exist",
                                display_path(&dir).display()
                            ),
                        )
                        .at(Span::new(id, 0, 0))
                        .with_help("create it, or remove it from `rules_dirs`"),
                    );
                }
                continue;
            }
            for path in align_files(&dir) {
                match self.text_of(&path) {
                    Ok((text, stamp)) => {
                        let id = self.add_source(&path, &text);
                        let stem = path
                            .file_stem()
                            .map(|s| s.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        if let Err(errors) = self.rules.add_file(id, &text, false, &stem) {
                            self.setup_findings
                                .extend(errors.into_iter().map(rule_error_finding));
                        }
                        self.rule_files.push(RuleFile { path, id, stamp });
                    }
                    Err(why) => {
                        let id = self.add_source(&path, "");
                        self.setup_findings.push(
                            Finding::new(
                                LOAD_RULES,
                                Severity::Error,
                                format!("could not read this rule file: {why}"),
                            )
                            .at(Span::new(id, 0, 0)),
                        );
                        self.rule_files.push(RuleFile {
                            path,
                            id,
                            stamp: None,
                        });
                    }
                }
            }
        }
        self.settings = RunSettings {
            today: config.today.unwrap_or_else(crate::lang::time::today),
            rules: config::rule_configs(&config),
            ..RunSettings::default()
        };
        self.check_config_names(&config);
        self.chains = self.rule_chains();
        if let Some(include) = &config.include {
            self.filter.include = include.clone();
        }
        self.filter.exclude = config.exclude.clone();
        self.filter
            .include
            .extend(crate::page::PAGE_GLOBS.iter().map(|g| (*g).to_owned()));
        self.pages = config.pages.clone();
        let loose: Vec<PathBuf> = self
            .overlays
            .keys()
            .filter(|p| is_align_file(p) && !self.is_rule_file(p))
            .cloned()
            .collect();
        for path in loose {
            self.check_loose(&path);
        }
    }

    /// Configuration that names packs, rules and options the rules in force do not have.
    /// (The same checks as `align check`, so the editor and CI agree.)
    fn check_config_names(&mut self, config: &Config) {
        let packs: Vec<String> = self.rules.packs().into_iter().map(str::to_owned).collect();
        let unknown = |span: Span, what: &str, name: &str, known: &[String]| {
            let f = Finding::new(
                LOAD_CONFIG,
                Severity::Error,
                format!("there is no {what} `{name}`"),
            )
            .at(span);
            match did_you_mean(name, known.iter().map(String::as_str)) {
                Some(s) => f.with_help(format!("did you mean `{s}`?")),
                None => f.with_help(format!("`align rules` lists every {what}")),
            }
        };
        if let Some(chosen) = &config.packs {
            for (p, span) in chosen {
                if !packs.contains(p) {
                    self.setup_findings.push(unknown(*span, "pack", p, &packs));
                }
            }
            for r in self
                .rules
                .rules
                .iter()
                .filter(|r| r.builtin && !chosen.iter().any(|(p, _)| p == &r.pack))
            {
                self.settings.ignore.push(r.id.clone());
            }
        }
        let ids: Vec<String> = self.rules.rules.iter().map(|r| r.id.clone()).collect();
        for (id, span, rc) in &config.rules {
            let Some(rule) = self.rules.get(id) else {
                self.setup_findings.push(unknown(*span, "rule", id, &ids));
                continue;
            };
            for name in rc.options.keys() {
                if rule.options.contains_key(name) {
                    continue;
                }
                let declared: Vec<&str> = rule.options.keys().map(String::as_str).collect();
                self.setup_findings.push(
                    Finding::new(
                        LOAD_CONFIG,
                        Severity::Error,
                        format!("rule `{id}` has no option `{name}`"),
                    )
                    .at(*span)
                    .with_help(if declared.is_empty() {
                        "this rule takes no options".to_owned()
                    } else {
                        format!("its options are: {}", declared.join(", "))
                    }),
                );
            }
        }
    }

    /// Every data file under the root, and open buffers of data files not yet on disk.
    fn load_data(&mut self) {
        let mut paths: Vec<PathBuf> = Vec::new();
        for found in discover::discover(std::slice::from_ref(&self.root), &self.filter) {
            match found {
                Found::File(p) => paths.push(p),
                Found::Unreadable(p, why) => {
                    let id = self.add_source(&p, "");
                    self.setup_findings.push(
                        Finding::new(
                            LOAD_YAML,
                            Severity::Error,
                            format!("could not read {}: {why}", display_path(&p).display()),
                        )
                        .at(Span::new(id, 0, 0)),
                    );
                }
            }
        }
        let config = self.config_path.clone();
        paths.retain(|p| Some(p) != config.as_ref());
        for path in self.overlays.keys() {
            if self.wants(path) && !paths.contains(path) {
                paths.push(path.clone());
            }
        }
        paths.sort();
        paths.dedup();
        for path in paths {
            let file = self.read_data(path, None);
            self.graph.add(file.id, &file.entities);
            self.files.push(file);
        }
        self.reindex_paths();
        self.stale = true;
        self.full = true;
    }

    fn reindex_paths(&mut self) {
        self.by_path = self
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.path.clone(), i))
            .collect();
        self.by_id = self
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id, i))
            .collect();
    }

    /// Reads one data file (from its overlay or the disk) into a new or existing file id.
    fn read_data(&mut self, path: PathBuf, id: Option<FileId>) -> DataFile {
        let (text, stamp, unreadable) = match self.text_of(&path) {
            Ok((t, s)) => (t, s, None),
            Err(why) => (String::new(), None, Some(why)),
        };
        let id = match id {
            Some(id) => {
                self.sources.replace(id, Arc::from(text.as_str()));
                id
            }
            None => self.add_source(&path, &text),
        };
        let loaded = match crate::page::PageKind::of_path(&path) {
            Some(kind) => self.read_page(id, kind, &path, &text),
            None => load_file(id, &text, &YamlLimits::default()),
        };
        let mut findings = loaded.findings;
        // A Markdown or HTML file that cannot be read is a page only if an entry says so.
        let unreadable = unreadable.filter(|_| {
            crate::page::PageKind::of_path(&path).is_none() || {
                let rel = crate::project::pages::path_from(&path, &self.root);
                self.pages.iter().any(|e| e.covers(&rel))
            }
        });
        if let Some(why) = unreadable {
            findings.push(
                Finding::new(
                    LOAD_YAML,
                    Severity::Error,
                    format!("could not read {}: {why}", display_path(&path).display()),
                )
                .at(Span::new(id, 0, 0)),
            );
        }
        DataFile {
            path,
            id,
            is_data: loaded.is_data || !loaded.stray_keys.is_empty(),
            entities: loaded.entities,
            stray: loaded.stray_keys,
            findings,
            stamp,
        }
    }

    /// Reads a Markdown, MDX or HTML file as a page (an empty load when it is not one), and
    /// keeps its text's map beside the file so words in it are located exactly.
    fn read_page(
        &mut self,
        id: FileId,
        kind: crate::page::PageKind,
        path: &Path,
        text: &str,
    ) -> crate::model::load::LoadedFile {
        let rel = crate::project::pages::path_from(path, &self.root);
        let entries: Vec<&crate::project::pages::PageEntry> =
            self.pages.iter().filter(|e| e.covers(&rel)).collect();
        let limits = crate::page::PageLimits::default();
        match crate::page::load::load(id, kind, text, &rel, &entries, &limits) {
            Some(page) => {
                if let Some((span, map)) = page.text {
                    self.sources.set_page_text(span, map);
                }
                page.loaded
            }
            None => crate::model::load::LoadedFile::default(),
        }
    }

    /// Whether a path is a data file of this project: under the root, allowed by `include`
    /// and `exclude`, and not the configuration.
    pub fn wants(&self, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(&self.root) else {
            return false;
        };
        if Some(path) == self.config_path.as_deref() {
            return false;
        }
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.is_empty() {
            return false;
        }
        if parts[..parts.len() - 1]
            .iter()
            .any(|p| ALWAYS_SKIPPED.contains(&p.as_str()))
        {
            return false;
        }
        for n in 1..=parts.len() {
            let prefix = parts[..n].join("/");
            if self.filter.exclude.iter().any(|p| glob_match(p, &prefix)) {
                return false;
            }
        }
        let rel = parts.join("/");
        self.filter.include.iter().any(|p| glob_match(p, &rel))
    }

    /// Whether a path is one of the setup files: the configuration or a team rule file.
    pub fn is_setup_file(&self, path: &Path) -> bool {
        Some(path) == self.config_path.as_deref() || self.is_rule_file(path)
    }

    fn is_rule_file(&self, path: &Path) -> bool {
        is_align_file(path) && self.rule_dirs.iter().any(|d| path.starts_with(d))
    }

    /// Sets the text of an open buffer. Returns whether the project changed (the caller then
    /// re-evaluates; a setup file reloads everything).
    pub fn set_overlay(&mut self, path: &Path, text: String) -> bool {
        if self.overlays.get(path) == Some(&text) {
            return false;
        }
        self.overlays.insert(path.to_path_buf(), text);
        self.refresh(path)
    }

    /// Forgets an open buffer: the file is read from disk again.
    pub fn clear_overlay(&mut self, path: &Path) -> bool {
        if self.overlays.remove(path).is_none() {
            return false;
        }
        self.loose.remove(path);
        self.refresh(path)
    }

    /// The text of an open buffer.
    pub fn overlay(&self, path: &Path) -> Option<&str> {
        self.overlays.get(path).map(String::as_str)
    }

    /// Whether something changed since the last evaluation.
    pub fn is_stale(&self) -> bool {
        self.stale
    }

    /// The entities a data file holds (as of its last load).
    pub fn entities_in(&self, id: FileId) -> &[Entity] {
        self.paths
            .get(&id)
            .and_then(|p| self.by_path.get(p))
            .and_then(|i| self.files.get(*i))
            .map(|f| f.entities.as_slice())
            .unwrap_or(&[])
    }

    /// Whether a buffer of this path is open.
    pub fn is_open(&self, path: &Path) -> bool {
        self.overlays.contains_key(path)
    }

    /// Reads one path again (overlay or disk) and marks the results stale. Returns whether
    /// anything changed.
    pub fn refresh(&mut self, path: &Path) -> bool {
        if self.is_setup_file(path)
            || (self.config_path.is_none() && path == self.root.join(CONFIG_FILE))
        {
            self.reload();
            return true;
        }
        if is_align_file(path) {
            if self.overlays.contains_key(path) {
                self.check_loose(path);
                self.stale = true;
                return true;
            }
            return false;
        }
        let exists = self.overlays.contains_key(path) || path.is_file();
        match self.by_path.get(path).copied() {
            Some(i) if exists => {
                let Some(id) = self.files.get(i).map(|f| f.id) else {
                    return false;
                };
                self.forget(i);
                let file = self.read_data(path.to_path_buf(), Some(id));
                self.graph.add(id, &file.entities);
                if let Some(slot) = self.files.get_mut(i) {
                    *slot = file;
                }
            }
            Some(i) => {
                // Deleted: keep the id (nothing refers to it any more), drop the file.
                self.forget(i);
                if let Some(f) = self.files.get(i) {
                    self.sources.replace(f.id, Arc::from(""));
                }
                self.files.remove(i);
                self.reindex_paths();
            }
            None if exists && self.wants(path) => {
                let file = self.read_data(path.to_path_buf(), None);
                self.graph.add(file.id, &file.entities);
                self.changed.push((file.id, Vec::new()));
                let at = self.files.partition_point(|f| f.path.as_path() < path);
                self.files.insert(at, file);
                self.reindex_paths();
            }
            None => return false,
        }
        self.stale = true;
        true
    }

    /// Takes a data file's entities out of the graph, keeping them to compare with what
    /// replaces them.
    fn forget(&mut self, i: usize) {
        let Some(f) = self.files.get_mut(i) else {
            return;
        };
        let old = std::mem::take(&mut f.entities);
        self.graph.remove(f.id, &old);
        self.changed.push((f.id, old));
    }

    /// A `.align` file open in the editor but not among the team's rules: checked on its own,
    /// so its mistakes show while it is written.
    fn check_loose(&mut self, path: &Path) {
        let Some(text) = self.overlays.get(path).cloned() else {
            return;
        };
        let id = match self.loose.get(path) {
            Some((id, _)) => {
                self.sources.replace(*id, Arc::from(text.as_str()));
                *id
            }
            None => self.add_source(path, &text),
        };
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let findings = match RuleSet::default().add_file(id, &text, false, &stem) {
            Ok(()) => Vec::new(),
            Err(errors) => errors.into_iter().map(rule_error_finding).collect(),
        };
        self.loose.insert(path.to_path_buf(), (id, findings));
        self.round.insert(id);
    }

    /// Compares the disk with what was read, for files the editor does not hold open: the
    /// paths whose content changed, appeared or disappeared. A setup file among them means
    /// the whole project must be reloaded.
    pub fn changed_on_disk(&self, snapshot: &Snapshot) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let differs = |path: &Path, known: Option<Stamp>| {
            !self.overlays.contains_key(path) && snapshot.files.get(path).copied() != known
        };
        match &self.config_path {
            Some(p) => {
                if differs(p, self.config_stamp) {
                    out.push(p.clone());
                }
            }
            None => {
                let p = self.root.join(CONFIG_FILE);
                if snapshot.files.contains_key(&p) {
                    out.push(p);
                }
            }
        }
        for r in &self.rule_files {
            if differs(&r.path, r.stamp) {
                out.push(r.path.clone());
            }
        }
        for f in &self.files {
            if differs(&f.path, f.stamp) {
                out.push(f.path.clone());
            }
        }
        for path in snapshot.files.keys() {
            if !self.by_path.contains_key(path)
                && !self.rule_files.iter().any(|r| &r.path == path)
                && Some(path) != self.config_path.as_ref()
                && (self.wants(path) || self.is_rule_file(path))
                && !self.overlays.contains_key(path)
            {
                out.push(path.clone());
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// What the watcher should look at: the root with the data filter, and the rule folders.
    pub fn watch_spec(&self) -> super::watch::Spec {
        super::watch::Spec {
            root: self.root.clone(),
            filter: self.filter.clone(),
            rule_dirs: self.rule_dirs.clone(),
            config: self
                .config_path
                .clone()
                .unwrap_or_else(|| self.root.join(CONFIG_FILE)),
        }
    }

    /// Re-evaluates what changed since the last time: everything after a (re)load, else only
    /// the entities whose result an edit can have changed (see [`super::deps`]), in a model
    /// holding just them and what they read.
    pub fn evaluate(&mut self) {
        if !self.stale {
            return;
        }
        self.stale = false;
        let started = Instant::now();
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
                self.graph
                    .affected(&seeds, &old, &self.chains, |l| self.entity(l)),
            )
        };
        let locs: Vec<Loc> = match &affected {
            None => self
                .files
                .iter()
                .flat_map(|f| {
                    (0..f.entities.len()).map(|i| Loc {
                        file: f.id,
                        index: i as u32,
                    })
                })
                .collect(),
            Some(a) => {
                let mut locs = self.graph.reads(a, &self.chains, |l| self.entity(l));
                let order = |l: &Loc| {
                    (
                        self.by_id.get(&l.file).copied().unwrap_or(usize::MAX),
                        l.index,
                    )
                };
                locs.sort_by_key(order);
                locs
            }
        };
        let entities: Vec<Entity> = locs
            .iter()
            .filter_map(|l| self.entity(*l).cloned())
            .collect();
        let loaded = entities.len();
        let stray: Vec<StrayKey> = self
            .files
            .iter()
            .filter(|f| full || changed_files.contains(&f.id))
            .flat_map(|f| f.stray.iter().cloned())
            .collect();
        let model = Model::build(entities, stray);
        let findings = engine::run(&model, &self.sources, &self.rules, &[], &self.settings);
        drop(model);

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
                self.round.extend(self.files.iter().map(|f| f.id));
                self.round.extend(
                    self.setup_findings
                        .iter()
                        .filter_map(|f| f.span.map(|s| s.file)),
                );
                self.round.extend(self.loose.values().map(|(id, _)| *id));
                self.round.extend(self.rule_files.iter().map(|r| r.id));
                if let Some(id) = self.config_path.as_ref().and_then(|p| self.id_of(p)) {
                    self.round.insert(id);
                }
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
            affected: affected.as_ref().map_or(self.graph.len(), HashSet::len),
            loaded,
            took: started.elapsed(),
        };
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
        if data.is_some_and(|d| d.is_data) {
            let empty = Model::default();
            let mut sups = suppress::collect(&empty, &self.sources, &[file]);
            if !sups.is_empty() {
                let line_of = |f: &Finding| {
                    f.span.and_then(|s| {
                        self.sources
                            .get(s.file)
                            .map(|src| src.line_col(s.start as usize).line)
                    })
                };
                list.retain(|f| {
                    let Some(line) = line_of(f) else { return true };
                    let mut hit = false;
                    for s in sups.iter_mut() {
                        if s.scope == Scope::Line(file, line)
                            && s.rules.iter().any(|r| suppress::names_rule(r, &f.rule))
                        {
                            s.used = true;
                            hit = true;
                        }
                    }
                    !hit
                });
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
                    list.extend(
                        suppress::findings(&sups, &in_force, &empty)
                            .into_iter()
                            .map(|f| Finding { severity, ..f }),
                    );
                }
            }
        }
        if let Some(d) = data {
            list.extend(d.findings.iter().cloned());
        }
        list.extend(
            self.setup_findings
                .iter()
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
    pub fn take_dirty(&mut self) -> Vec<FileId> {
        let mut out: Vec<FileId> = self.dirty.drain().collect();
        out.sort();
        out
    }

    /// The findings shown for a file.
    pub fn shown(&self, file: FileId) -> &[Finding] {
        self.shown.get(&file).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every finding shown, in every file.
    pub fn all_shown(&self) -> impl Iterator<Item = &Finding> {
        self.shown.values().flatten()
    }

    /// The entity at a place.
    pub fn entity(&self, loc: Loc) -> Option<&Entity> {
        self.by_id
            .get(&loc.file)
            .and_then(|i| self.files.get(*i))
            .and_then(|f| f.entities.get(loc.index as usize))
    }

    /// The entities of a kind with this id (more than one when it is declared twice).
    pub fn declared(&self, kind: Kind, id: &str) -> Vec<&Entity> {
        self.graph
            .declared(kind, id)
            .iter()
            .filter_map(|l| self.entity(*l))
            .collect()
    }

    /// Every id of a kind, sorted.
    pub fn ids_of(&self, kind: Kind) -> Vec<&Entity> {
        let mut out: Vec<&Entity> = self
            .graph
            .keys_of(kind)
            .filter_map(|k| self.graph.declared(kind, &k.1).first().copied())
            .filter_map(|l| self.entity(l))
            .collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }

    /// The chains of references the rules follow.
    pub fn chains(&self) -> &[Chain] {
        &self.chains
    }

    fn rule_chains(&self) -> Vec<Chain> {
        let mut files = Vec::new();
        for (_, text) in BUILTIN_PACKS {
            if let Ok(f) = syntax::parse(FileId(0), text) {
                files.push(f);
            }
        }
        for r in &self.rule_files {
            if let Some(src) = self.sources.get(r.id) {
                if let Ok(f) = syntax::parse(r.id, &src.text) {
                    files.push(f);
                }
            }
        }
        super::deps::chains(&files)
    }

    /// The path of a file id.
    pub fn path_of(&self, id: FileId) -> Option<&Path> {
        self.paths.get(&id).map(PathBuf::as_path)
    }

    /// The id of a file by path (data, rule or configuration file).
    pub fn id_of(&self, path: &Path) -> Option<FileId> {
        if let Some(i) = self.by_path.get(path) {
            return self.files.get(*i).map(|f| f.id);
        }
        if let Some((id, _)) = self.loose.get(path) {
            return Some(*id);
        }
        self.rule_files
            .iter()
            .find(|r| r.path == path)
            .map(|r| r.id)
            .or_else(|| {
                (Some(path) == self.config_path.as_deref())
                    .then(|| self.paths.iter().find(|(_, p)| p.as_path() == path))
                    .flatten()
                    .map(|(id, _)| *id)
            })
    }

    /// Every file that diagnostics may be published for: data, rule and configuration files.
    pub fn published_paths(&self) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = self.files.iter().map(|f| f.path.clone()).collect();
        out.extend(self.rule_files.iter().map(|r| r.path.clone()));
        out.extend(self.loose.keys().cloned());
        out.extend(self.config_path.clone());
        out
    }

    /// Number of entities in every data file.
    pub fn entity_count(&self) -> usize {
        self.files.iter().map(|f| f.entities.len()).sum()
    }

    /// Number of data files.
    pub fn file_count(&self) -> usize {
        self.files.len()
    }
}

fn is_align_file(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "align")
}

/// Every `.align` file under a folder (or the file itself), sorted.
pub fn align_files(dir: &Path) -> Vec<PathBuf> {
    if dir.is_file() {
        return vec![dir.to_path_buf()];
    }
    walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && is_align_file(e.path()))
        .map(walkdir::DirEntry::into_path)
        .collect()
}

/// An entity's kind and id: what references name, and what findings are about.
pub type Key = (Kind, String);

fn key(e: &Entity) -> Key {
    (e.kind, e.id.clone())
}

/// The entity a finding is about, as a key.
fn owner_key(f: &Finding) -> Option<Key> {
    let about = f.entity.as_ref()?;
    let kind = Kind::ALL.into_iter().find(|k| k.singular() == about.kind)?;
    Some((kind, about.id.clone()))
}

/// What a cached finding belongs to: the entity it is about, or the file (for findings about
/// no entity, such as a misspelt kind).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Owner {
    Entity(Key),
    File(FileId),
}

/// How the last evaluation went.
#[derive(Debug, Clone, Copy, Default)]
pub struct EvalStats {
    /// Whether everything was evaluated.
    pub full: bool,
    /// Entities whose findings were recomputed.
    pub affected: usize,
    /// Entities in the model they were evaluated in.
    pub loaded: usize,
    /// Time taken.
    pub took: Duration,
}

/// Where an entity is: its file and its position among the file's entities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    /// The file.
    pub file: FileId,
    /// Index among the file's entities.
    pub index: u32,
}

/// Every reference an entity writes: the kind and id it names, and the field (claims'
/// references as `claims.feature` / `claims.evidence`).
pub fn refs_of(e: &Entity) -> Vec<(Kind, &str, &'static str)> {
    let mut out = Vec::new();
    for f in &e.fields {
        let Some(def) = e.kind.field(&f.name) else {
            continue;
        };
        match def.ty {
            FieldType::Ref(k) | FieldType::RefList(k) => {
                out.extend(
                    ids_in(&f.value)
                        .into_iter()
                        .map(|(id, _)| (k, id, def.name)),
                );
            }
            FieldType::Claims => {
                let NodeValue::List(claims) = &f.value.value else {
                    continue;
                };
                for claim in claims {
                    for (name, k, label) in [
                        ("evidence", Kind::Evidence, "claims.evidence"),
                        ("feature", Kind::Feature, "claims.feature"),
                    ] {
                        if let Some(v) = claim.get(name) {
                            out.extend(ids_in(v).into_iter().map(|(id, _)| (k, id, label)));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Where every id is declared and which entities name it, kept up to date file by file.
#[derive(Debug, Default)]
pub struct Graph {
    decl: HashMap<Key, Vec<Loc>>,
    refs_to: HashMap<Key, Vec<(Loc, &'static str)>>,
}

impl Graph {
    /// Adds a file's entities.
    pub fn add(&mut self, file: FileId, entities: &[Entity]) {
        for (i, e) in entities.iter().enumerate() {
            let loc = Loc {
                file,
                index: i as u32,
            };
            self.decl.entry(key(e)).or_default().push(loc);
            for (k, id, field) in refs_of(e) {
                self.refs_to
                    .entry((k, id.to_owned()))
                    .or_default()
                    .push((loc, field));
            }
        }
    }

    /// Removes a file's entities (as they were added).
    pub fn remove(&mut self, file: FileId, entities: &[Entity]) {
        let mut targets: HashSet<Key> = HashSet::new();
        for e in entities {
            let k = key(e);
            if let Some(list) = self.decl.get_mut(&k) {
                list.retain(|l| l.file != file);
                if list.is_empty() {
                    self.decl.remove(&k);
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
    pub fn declared(&self, kind: Kind, id: &str) -> &[Loc] {
        self.decl
            .get(&(kind, id.to_owned()))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The entities naming an id of a kind, with the field that names it.
    pub fn referrers(&self, kind: Kind, id: &str) -> &[(Loc, &'static str)] {
        self.refs_to
            .get(&(kind, id.to_owned()))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Every declared key of a kind.
    pub fn keys_of(&self, kind: Kind) -> impl Iterator<Item = &Key> {
        self.decl.keys().filter(move |k| k.0 == kind)
    }

    /// Number of declared keys.
    pub fn len(&self) -> usize {
        self.decl.len()
    }

    /// Whether nothing is declared.
    pub fn is_empty(&self) -> bool {
        self.decl.is_empty()
    }

    /// The entities whose evaluation can change when the `seeds` (old and new versions of
    /// the entities of changed files) change: the seeds, whatever names them (a reference
    /// may now dangle or resolve), and every subject from which a rule's chain reaches one.
    pub fn affected<'a>(
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
        let refs = |k: &Key| -> Vec<(Kind, String, &'static str)> {
            let mut list: Vec<(Kind, String, &'static str)> = Vec::new();
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
                for h in hops[..=i].iter().rev() {
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

    fn predecessors<'a>(
        &'a self,
        set: &HashSet<Key>,
        hop: &Hop,
        refs: &impl Fn(&Key) -> Vec<(Kind, String, &'static str)>,
        get: &impl Fn(Loc) -> Option<&'a Entity>,
    ) -> HashSet<Key> {
        let mut out = HashSet::new();
        let backlink = hop.from.backlink(hop.name);
        for x in set {
            match backlink {
                // `from.name` lists what names `from` through `b.field`: the entity x names
                // its predecessors itself.
                Some(b) => {
                    for (kind, id, field) in refs(x) {
                        if field == b.field && kind == hop.from {
                            out.insert((kind, id));
                        }
                    }
                }
                None => {
                    for (loc, field) in self.referrers(x.0, &x.1) {
                        if *field == hop.name {
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
    pub fn reads<'a>(
        &'a self,
        subjects: &HashSet<Key>,
        chains: &[Chain],
        get: impl Fn(Loc) -> Option<&'a Entity>,
    ) -> Vec<Loc> {
        let mut keys: HashSet<Key> = subjects.clone();
        for s in subjects {
            for l in self.declared(s.0, &s.1) {
                if let Some(e) = get(*l) {
                    for (k, id, _) in refs_of(e) {
                        keys.insert((k, id.to_owned()));
                    }
                }
            }
            for (kind, hops) in chains {
                if *kind != s.0 {
                    continue;
                }
                let mut set: HashSet<Key> = HashSet::from([s.clone()]);
                for hop in hops {
                    let mut next = HashSet::new();
                    for x in &set {
                        match hop.from.backlink(hop.name) {
                            Some(b) => {
                                for (loc, field) in self.referrers(x.0, &x.1) {
                                    if *field == b.field {
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
                                            if field == hop.name {
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
