//! The project as the language server holds it between edits: its files, their entities
//! and findings (evaluation is in `evaluate`, changes on disk in `disk`, the graph of ids in
//! `crate::lsp::graph`).
//!
//! Loading is split in two: the *setup* (the configuration, the built-in packs and the team's
//! rule files), loaded once and again only when one of those files changes; and the *data*,
//! kept file by file. Each data file keeps the entities and load findings it produced, so an
//! edit re-loads that one file (`model::load::load_file`), then re-indexes (`Model::build`)
//! and re-evaluates (`engine::run`) everything, which is what makes a change in one file show
//! up in every other file it affects. Open editor buffers (overlays) are read instead of the
//! disk, for data, configuration and rule files alike.

mod disk;
mod evaluate;

use super::deps::Chain;
use super::watch::Stamp;
use crate::engine::RunSettings;
use crate::finding::Finding;
use crate::lang::syntax;
pub(crate) use crate::lsp::graph::{Graph, Key, Loc, refs_of};
use crate::model::entity::Entity;
use crate::model::load::{LOAD_YAML, LoadedFile, StrayKey};
use crate::model::node::PARSE_STACK_BYTES;
use crate::model::schema::Kind;
use crate::project::discover::{self, ALWAYS_SKIPPED, CONFIG_FILE, Filter, Found, Globs, relative};
use crate::project::reader::Buffers;
use crate::project::setup::{Setup, SetupOptions, is_align_file};
use crate::project::{
    ReadError, ReadLimits, display_path, read_and_load, rule_error_finding, unreadable,
    unreadable_at,
};
use crate::rules::{BUILTIN_PACKS, RuleSet};
use crate::source::{FileId, SharedText, Sources};
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

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
    pub(crate) root: PathBuf,
    /// The configuration file, when there is one.
    pub(crate) config_path: Option<PathBuf>,
    config_stamp: Option<Stamp>,
    /// Every file read, by id.
    pub(crate) sources: Sources,
    /// The rules in force.
    pub(crate) rules: RuleSet,
    /// How the rules run (today, severities, options).
    pub(crate) settings: RunSettings,
    filter: Filter,
    globs: Globs,
    limits: ReadLimits,
    /// Where pages are looked for, and the `pages:` entries.
    site: crate::project::pages::Site,
    /// Rule folders given on the command line (`align lsp --rules DIR`).
    extra_rules: Vec<PathBuf>,
    rule_dirs: Vec<PathBuf>,
    rule_files: Vec<RuleFile>,
    setup_findings: Vec<Finding>,
    files: Vec<DataFile>,
    by_path: HashMap<PathBuf, usize>,
    paths: HashMap<FileId, PathBuf>,
    overlays: HashMap<PathBuf, String>,
    loose: HashMap<PathBuf, (FileId, Vec<Finding>)>,
    by_id: HashMap<FileId, usize>,
    /// Where every id is declared and referenced: built from the files when first needed
    /// (after the first diagnostics are out), then kept up to date file by file.
    graph: OnceCell<Graph>,
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
    /// The finding that the project is over the entity cap, while it is.
    over_cap: Option<Finding>,
}

/// The folder a workspace folder's project lives in: the nearest folder upward holding
/// `align.yaml`, else the workspace folder itself.
pub(crate) fn find_root(folder: &Path) -> (PathBuf, Option<PathBuf>) {
    for dir in folder.ancestors() {
        let candidate = dir.join(CONFIG_FILE);
        if candidate.is_file() {
            return (dir.to_path_buf(), Some(candidate));
        }
    }
    (folder.to_path_buf(), None)
}

/// What reading one data file gives: its text and what loading it found, or why it could
/// not be read.
type Read = Result<(SharedText, LoadedFile), ReadError>;

/// Reads and loads one data file, from its open buffer or the disk, with how the file on
/// disk looked when it was read (`None` for a buffer, or a file that cannot be read).
/// Touches nothing shared, so files are read on every core.
fn read_one(
    path: &Path,
    id: FileId,
    overlays: &HashMap<PathBuf, String>,
    limits: &ReadLimits,
    site: &crate::project::pages::Site,
) -> (Option<Stamp>, Read) {
    let stamp = (!overlays.contains_key(path))
        .then(|| Stamp::of(path))
        .flatten();
    (
        stamp,
        read_and_load(path, id, &Buffers(overlays), limits, site),
    )
}

/// The canonical form of a path, used as the key of every file (so that a path the editor
/// sends and a path found on disk compare equal).
pub(crate) fn canonical(path: &Path) -> PathBuf {
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
        Project::load_with_rules(folder, overlays, Vec::new())
    }

    /// Like [`Project::load`], with folders (or files) of rules besides those the
    /// configuration names, as `align check --rules` takes them.
    pub(crate) fn load_with_rules(
        folder: &Path,
        overlays: HashMap<PathBuf, String>,
        extra_rules: Vec<PathBuf>,
    ) -> Project {
        let folder = canonical(folder);
        let extra_rules: Vec<PathBuf> = extra_rules.iter().map(|p| canonical(p)).collect();
        let (root, config_path) = find_root(&folder);
        let mut project = Project {
            root,
            config_path,
            config_stamp: None,
            sources: Sources::new(),
            rules: RuleSet::default(),
            settings: RunSettings::default(),
            filter: Filter::default(),
            globs: Globs::new(&Filter::default()),
            limits: ReadLimits::default(),
            site: crate::project::pages::Site::default(),
            extra_rules,
            rule_dirs: Vec::new(),
            rule_files: Vec::new(),
            setup_findings: Vec::new(),
            files: Vec::new(),
            by_path: HashMap::new(),
            paths: HashMap::new(),
            overlays,
            loose: HashMap::new(),
            by_id: HashMap::new(),
            graph: OnceCell::new(),
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
            over_cap: None,
        };
        project.load_setup();
        project.load_data();
        project
    }

    /// Loads everything again (the configuration or a rule file changed).
    pub(crate) fn reload(&mut self) {
        let overlays = std::mem::take(&mut self.overlays);
        let root = self.root.clone();
        let extra = std::mem::take(&mut self.extra_rules);
        *self = Project::load_with_rules(&root, overlays, extra);
    }

    fn add_source(&mut self, path: &Path, text: &str) -> FileId {
        let id = self.sources.add(display_path(path), text);
        self.paths.insert(id, path.to_path_buf());
        id
    }

    /// The configuration, the built-in packs, the team's rule files, and the settings: set
    /// up as for `align check`, with open buffers read instead of the disk.
    fn load_setup(&mut self) {
        let setup = Setup::load(
            &SetupOptions {
                config: self.config_path.clone(),
                rules_dirs: self.extra_rules.clone(),
                ..SetupOptions::default()
            },
            &mut self.sources,
            &Buffers(&self.overlays),
        );
        let overlays = &self.overlays;
        let stamp = |path: &Path| {
            (!overlays.contains_key(path))
                .then(|| Stamp::of(path))
                .flatten()
        };
        if let Some((path, id)) = &setup.config_file {
            self.config_stamp = stamp(path);
            self.paths.insert(*id, path.clone());
        }
        for (path, id) in &setup.rule_files {
            self.paths.insert(*id, path.clone());
            self.rule_files.push(RuleFile {
                path: path.clone(),
                id: *id,
                stamp: stamp(path),
            });
        }
        self.rules = setup.rules;
        self.settings = setup.settings;
        self.globs = Globs::new(&setup.filter);
        self.filter = setup.filter;
        self.site = crate::project::pages::Site {
            root: self.root.clone(),
            entries: setup.config.pages.clone(),
        };
        self.limits = setup.limits;
        self.rule_dirs = setup.rule_dirs;
        self.setup_findings = setup.findings;
        self.chains = self.rule_chains();
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

    /// Every data file under the root, and open buffers of data files not yet on disk.
    fn load_data(&mut self) {
        let mut paths: Vec<PathBuf> = Vec::new();
        for found in discover::discover(std::slice::from_ref(&self.root), &self.filter) {
            match found {
                Found::File(p) => paths.push(p),
                Found::Unreadable(p, why) => {
                    let f = unreadable(&mut self.sources, &p, LOAD_YAML, &why);
                    if let Some(span) = f.span {
                        self.paths.insert(span.file, p);
                    }
                    self.setup_findings.push(f);
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
        // Files are read and parsed on every core, as `align check` reads them; ids are
        // given out first, in path order, so nothing depends on timing.
        let jobs: Vec<(PathBuf, FileId)> = paths
            .into_iter()
            .map(|p| {
                let id = self.add_source(&p, "");
                (p, id)
            })
            .collect();
        let (overlays, limits, site) = (&self.overlays, &self.limits, &self.site);
        let read = crate::parallel::map_with_stack(&jobs, PARSE_STACK_BYTES, |(path, id)| {
            read_one(path, *id, overlays, limits, site)
        });
        self.files.reserve_exact(jobs.len());
        for ((path, id), (stamp, result)) in jobs.into_iter().zip(read) {
            let file = self.data_file(path, id, stamp, result);
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

    /// Reads one data file (from its overlay or the disk) into a new or existing file id,
    /// as `align check` reads it.
    fn read_data(&mut self, path: PathBuf, id: Option<FileId>) -> DataFile {
        let id = match id {
            Some(id) => id,
            None => self.add_source(&path, ""),
        };
        let (stamp, result) = read_one(&path, id, &self.overlays, &self.limits, &self.site);
        self.data_file(path, id, stamp, result)
    }

    /// A data file from what reading it gave: its text goes into the source table, and a
    /// file that could not be read is one finding.
    fn data_file(
        &mut self,
        path: PathBuf,
        id: FileId,
        stamp: Option<Stamp>,
        read: Read,
    ) -> DataFile {
        let (entities, stray, findings, is_data) = match read {
            Ok((text, loaded)) => {
                self.sources.replace(id, text);
                let LoadedFile {
                    entities,
                    findings,
                    stray_keys,
                    is_data,
                    page_text,
                } = loaded;
                if let Some((span, map)) = page_text {
                    self.sources.set_page_text(span, map);
                }
                let is_data = is_data || !stray_keys.is_empty();
                (entities, stray_keys, findings, is_data)
            }
            Err(why) => {
                let rule = self.site.unreadable_rule(&path);
                let f = unreadable_at(&mut self.sources, id, &path, rule, why);
                (Vec::new(), Vec::new(), vec![f], false)
            }
        };
        DataFile {
            path,
            id,
            is_data,
            entities,
            stray,
            findings,
            stamp,
        }
    }

    /// Whether a path is a data file of this project: under the root, allowed by `include`
    /// and `exclude`, and not the configuration.
    pub(crate) fn wants(&self, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(&self.root) else {
            return false;
        };
        if Some(path) == self.config_path.as_deref() || rel.as_os_str().is_empty() {
            return false;
        }
        let skipped = rel
            .parent()
            .into_iter()
            .flat_map(Path::components)
            .any(|c| ALWAYS_SKIPPED.contains(&c.as_os_str().to_string_lossy().as_ref()));
        !skipped && self.globs.wants(&relative(path, &self.root))
    }

    /// Whether a path is one of the setup files: the configuration or a team rule file.
    pub(crate) fn is_setup_file(&self, path: &Path) -> bool {
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
    pub(crate) fn clear_overlay(&mut self, path: &Path) -> bool {
        if self.overlays.remove(path).is_none() {
            return false;
        }
        self.loose.remove(path);
        self.refresh(path)
    }

    /// The text of an open buffer.
    pub(crate) fn overlay(&self, path: &Path) -> Option<&str> {
        self.overlays.get(path).map(String::as_str)
    }

    /// Whether something changed since the last evaluation.
    pub(crate) fn is_stale(&self) -> bool {
        self.stale
    }

    /// The entities a data file holds (as of its last load).
    pub(crate) fn entities_in(&self, id: FileId) -> &[Entity] {
        self.paths
            .get(&id)
            .and_then(|p| self.by_path.get(p))
            .and_then(|i| self.files.get(*i))
            .map(|f| f.entities.as_slice())
            .unwrap_or(&[])
    }

    /// Whether a buffer of this path is open.
    pub(crate) fn is_open(&self, path: &Path) -> bool {
        self.overlays.contains_key(path)
    }

    /// Reads one path again (overlay or disk) and marks the results stale. Returns whether
    /// anything changed.
    pub(crate) fn refresh(&mut self, path: &Path) -> bool {
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
                if let Some(graph) = self.graph.get_mut() {
                    graph.add(id, &file.entities);
                }
                if let Some(slot) = self.files.get_mut(i) {
                    *slot = file;
                }
            }
            Some(i) => {
                // Deleted: keep the id (nothing refers to it any more), drop the file.
                self.forget(i);
                if let Some(f) = self.files.get(i) {
                    self.sources.replace(f.id, "");
                }
                self.files.remove(i);
                self.reindex_paths();
            }
            None if exists && self.wants(path) => {
                let file = self.read_data(path.to_path_buf(), None);
                if let Some(graph) = self.graph.get_mut() {
                    graph.add(file.id, &file.entities);
                }
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
        if let Some(graph) = self.graph.get_mut() {
            graph.remove(f.id, &old);
        }
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
                self.sources.replace(*id, text.as_str());
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

    /// Where every id is declared and referenced, built from the files on first use.
    pub(crate) fn graph(&self) -> &Graph {
        self.graph.get_or_init(|| {
            let mut graph = Graph::default();
            for f in &self.files {
                graph.add(f.id, &f.entities);
            }
            graph
        })
    }

    /// The entity at a place.
    pub(crate) fn entity(&self, loc: Loc) -> Option<&Entity> {
        self.by_id
            .get(&loc.file)
            .and_then(|i| self.files.get(*i))
            .and_then(|f| f.entities.get(loc.index as usize))
    }

    /// The entities of a kind with this id (more than one when it is declared twice).
    pub(crate) fn declared(&self, kind: Kind, id: &str) -> Vec<&Entity> {
        self.graph()
            .declared(kind, id)
            .iter()
            .filter_map(|l| self.entity(*l))
            .collect()
    }

    /// Every id of a kind, sorted.
    pub(crate) fn ids_of(&self, kind: Kind) -> Vec<&Entity> {
        let mut out: Vec<&Entity> = self
            .graph()
            .ids_of(kind)
            .filter_map(|id| self.graph().declared(kind, id).first().copied())
            .filter_map(|l| self.entity(l))
            .collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
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
    pub(crate) fn id_of(&self, path: &Path) -> Option<FileId> {
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

    /// Number of entities in every data file.
    pub fn entity_count(&self) -> usize {
        self.files.iter().map(|f| f.entities.len()).sum()
    }

    /// Number of data files.
    pub fn file_count(&self) -> usize {
        self.files.len()
    }
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
}
