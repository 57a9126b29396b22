//! A project as align sees it: the configuration, the rule files, and every data file under
//! the checked paths, loaded into one source table and one model.

pub mod config;
pub mod discover;
pub(crate) mod pages;
pub(crate) mod reader;
pub(crate) mod setup;

use crate::date::Date;
use crate::engine::{self, RunSettings};
use crate::finding::{Finding, Severity};
use crate::lang::RuleError;
use crate::model::Model;
use crate::model::load::{LOAD_MODEL, LoadedFile, load_file};
use crate::model::node::PARSE_STACK_BYTES;
use crate::model::node::YamlLimits;
use crate::rules::{LOAD_RULES, RuleSet};
use crate::source::{FileId, SharedText, Sources, Span};
use discover::{CONFIG_FILE, Found};
use reader::Disk;
use setup::{Setup, SetupOptions};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What to load, as the command line says it.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Files and folders to check (the current folder when empty).
    pub paths: Vec<PathBuf>,
    /// An explicit configuration file.
    pub config: Option<PathBuf>,
    /// Extra folders (or files) of `.align` rules.
    pub rules_dirs: Vec<PathBuf>,
    /// Pins `today`, over the configuration.
    pub today: Option<Date>,
    /// Only these rules or packs.
    pub select: Vec<String>,
    /// Not these rules or packs.
    pub ignore: Vec<String>,
    /// Whether a run with no go-to-market file to check is fine (`--allow-empty`); by
    /// default it is an error, so that a gate pointed at the wrong folder does not pass.
    pub allow_empty: bool,
    /// Whether files that `.gitignore` leaves out are checked too (`--no-ignore`).
    pub no_ignore: bool,
}

/// Everything loaded for one run.
pub struct Workspace {
    /// Every file read.
    pub sources: Sources,
    /// The indexed model.
    pub model: Model,
    /// The rules loaded.
    pub rules: RuleSet,
    /// The data files, in load order.
    pub data_files: Vec<FileId>,
    /// Findings from loading: bad YAML, bad fields, bad rule files, bad configuration.
    pub load_findings: Vec<Finding>,
    /// How the rules run.
    pub settings: RunSettings,
    /// Whether some input could not be used at all (exit status 2).
    pub unusable: bool,
    /// Whether the rules must not run: the project is over the entity cap, so the model
    /// holds none of its entities rather than some of them.
    pub(crate) over_cap: bool,
}

impl Workspace {
    /// Loads configuration, rules and data. Never fails: what cannot be loaded becomes a
    /// finding, and `unusable` is set when a file, rule file or the configuration could not
    /// be used.
    pub fn load(opts: &LoadOptions) -> Workspace {
        let mut sources = Sources::new();
        let mut load_findings = Vec::new();
        let mut unusable = false;
        let paths: Vec<PathBuf> = if opts.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            opts.paths.clone()
        };

        // Configuration.
        let config_path = opts.config.clone().or_else(|| {
            let base = paths
                .first()
                .filter(|p| p.is_dir())
                .cloned()
                .unwrap_or_else(|| PathBuf::from("."));
            let candidate = base.join(CONFIG_FILE);
            candidate.is_file().then_some(candidate)
        });
        let setup = Setup::load(
            &SetupOptions {
                config: config_path.clone(),
                rules_dirs: opts.rules_dirs.clone(),
                today: opts.today,
                select: opts.select.clone(),
                ignore: opts.ignore.clone(),
            },
            &mut sources,
            &Disk,
        );
        let Setup {
            config,
            rules,
            settings,
            filter,
            limits,
            findings,
            unusable: setup_unusable,
            ..
        } = setup;
        load_findings.extend(findings);
        unusable |= setup_unusable;
        let mut filter = filter;
        filter.respect_ignore_files = !opts.no_ignore;

        // Data.
        let mut data_files = Vec::new();
        let mut entities = Vec::new();
        let mut stray = Vec::new();
        let config_canonical = config_path.as_ref().and_then(|p| p.canonicalize().ok());
        let mut files = Vec::new();
        for found in discover::discover(&paths, &filter) {
            match found {
                Found::File(path) => {
                    let is_config = path.file_name().is_some_and(|n| n == CONFIG_FILE)
                        && config_canonical.is_some()
                        && path.canonicalize().ok() == config_canonical;
                    if !is_config {
                        files.push(path);
                    }
                }
                Found::Unreadable(path, why) => {
                    unusable = true;
                    load_findings.push(unreadable(
                        &mut sources,
                        &path,
                        crate::model::load::LOAD_YAML,
                        &why,
                    ));
                }
            }
        }
        // Files are read and parsed on every core; ids are given out first so that the
        // order of files, and so of findings, never depends on timing.
        let jobs: Vec<(PathBuf, FileId)> = files
            .into_iter()
            .map(|p| {
                let id = sources.add(display_path(&p), "");
                (p, id)
            })
            .collect();
        let site = pages::Site {
            root: config_path
                .as_ref()
                .and_then(|p| p.parent().map(Path::to_path_buf))
                .or_else(|| paths.first().filter(|p| p.is_dir()).cloned())
                .unwrap_or_default(),
            entries: config.pages.clone(),
        };
        let loaded = crate::parallel::map_with_stack(&jobs, PARSE_STACK_BYTES, |(path, id)| {
            read_and_load(path, *id, &Disk, &limits, &site)
        });
        // All entities in one allocation of the right size, not one doubling after another.
        let total: usize = loaded
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|(_, l)| l.entities.len())
            .sum();
        let over_cap = total > limits.max_entities;
        if !over_cap {
            entities.reserve_exact(total);
        }
        for ((path, id), result) in jobs.into_iter().zip(loaded) {
            match result {
                Ok((text, loaded)) => {
                    sources.replace(id, text);
                    let LoadedFile {
                        entities: e,
                        findings,
                        stray_keys,
                        is_data,
                        page_text,
                    } = loaded;
                    if let Some((span, map)) = page_text {
                        sources.set_page_text(span, map);
                    }
                    if findings.iter().any(|f| {
                        f.rule == crate::model::load::LOAD_YAML
                            || f.rule == crate::page::load::LOAD_PAGE
                    }) {
                        unusable = true;
                    }
                    if is_data || !stray_keys.is_empty() {
                        data_files.push(id);
                    }
                    entities.extend(e);
                    stray.extend(stray_keys);
                    load_findings.extend(findings);
                }
                Err(why) => {
                    unusable = true;
                    let rule = site.unreadable_rule(&path);
                    load_findings.push(unreadable_at(&mut sources, id, &path, rule, why));
                }
            }
        }
        if over_cap {
            // Findings from some of the entities would be wrong about the rest (references
            // to entities past the cap would all dangle): nothing is checked.
            unusable = true;
            let first_left_out = entities.get(limits.max_entities).map(|e| e.id_span);
            load_findings.push(over_cap_finding(total, &limits, first_left_out));
            entities = Vec::new();
            stray = Vec::new();
        }
        // A path that does not exist, or a file that could not be read, is reported on its
        // own (the file may well hold go-to-market data).
        if data_files.is_empty() && !opts.allow_empty && !unusable {
            unusable = true;
            load_findings.push(nothing_to_check(&paths));
        }
        if load_findings.iter().any(|f| f.rule == LOAD_MODEL) {
            unusable = true;
        }
        let model = Model::build(entities, stray);
        Workspace {
            sources,
            model,
            rules,
            data_files,
            load_findings,
            settings,
            unusable,
            over_cap,
        }
    }

    /// A workspace from texts in memory: data files and rule files by name, with the
    /// built-in packs, set up and loaded as [`Workspace::load`] does, through a reader of
    /// those texts. For tests, doc examples and tools that hold the files themselves.
    pub fn from_texts(
        data: &[(&str, &str)],
        rule_files: &[(&str, &str)],
        today: Date,
    ) -> Workspace {
        let mut sources = Sources::new();
        let texts: HashMap<PathBuf, String> = rule_files
            .iter()
            .chain(data)
            .map(|(name, text)| (PathBuf::from(name), (*text).to_owned()))
            .collect();
        let reader = reader::Buffers(&texts);
        let setup = Setup::load(
            &SetupOptions {
                rules_dirs: rule_files.iter().map(|(n, _)| PathBuf::from(n)).collect(),
                today: Some(today),
                ..SetupOptions::default()
            },
            &mut sources,
            &reader,
        );
        let mut load_findings = setup.findings;
        let mut unusable = setup.unusable;
        let mut data_files = Vec::new();
        let mut entities = Vec::new();
        let mut stray = Vec::new();
        // Pages are named from the root of the texts; no `pages:` entries.
        let site = pages::Site::default();
        for (name, _) in data {
            let path = PathBuf::from(name);
            let id = sources.add(path.clone(), "");
            match read_and_load(&path, id, &reader, &setup.limits, &site) {
                Ok((text, loaded)) => {
                    sources.replace(id, text);
                    if let Some((span, map)) = loaded.page_text.clone() {
                        sources.set_page_text(span, map);
                    }
                    unusable |= loaded.findings.iter().any(|f| {
                        f.rule == crate::model::load::LOAD_YAML
                            || f.rule == crate::page::load::LOAD_PAGE
                            || f.rule == LOAD_MODEL
                    });
                    // A Markdown or HTML file that is not a page is no data file.
                    if loaded.is_data || crate::page::PageKind::of_path(&path).is_none() {
                        data_files.push(id);
                    }
                    entities.extend(loaded.entities);
                    stray.extend(loaded.stray_keys);
                    load_findings.extend(loaded.findings);
                }
                Err(why) => {
                    unusable = true;
                    let rule = site.unreadable_rule(&path);
                    load_findings.push(unreadable_at(&mut sources, id, &path, rule, why));
                }
            }
        }
        Workspace {
            sources,
            model: Model::build(entities, stray),
            rules: setup.rules,
            data_files,
            load_findings,
            settings: setup.settings,
            unusable,
            over_cap: false,
        }
    }

    /// Runs the rules and returns every finding, load findings first in position order.
    pub fn check(&self) -> Vec<Finding> {
        let mut findings = self.load_findings.clone();
        if !self.over_cap {
            findings.extend(engine::run(
                &self.model,
                &self.sources,
                &self.rules,
                &self.data_files,
                &self.settings,
            ));
        }
        engine::sort_findings(&mut findings, &self.sources);
        if findings.len() > MAX_FINDINGS {
            let left_out = findings.len() - MAX_FINDINGS;
            findings.truncate(MAX_FINDINGS);
            findings.push(
                Finding::new(
                    crate::model::load::LOAD_MODEL,
                    Severity::Error,
                    format!(
                        "{left_out} more findings are not shown: a run reports at most {MAX_FINDINGS}"
                    ),
                )
                .with_help("check the repository in parts (`align check folder`), or fix the findings shown first"),
            );
        }
        findings
    }
}

/// The finding for a project with more entities than a run reads: it names the setting,
/// the count, and a value that would be enough. Placed at the first entity past the cap.
pub(crate) fn over_cap_finding(
    seen: usize,
    limits: &ReadLimits,
    first_left_out: Option<Span>,
) -> Finding {
    let enough = seen.div_ceil(100_000).saturating_mul(100_000);
    let f = Finding::new(
        LOAD_MODEL,
        Severity::Error,
        format!(
            "the project has {seen} entities, more than the {} align checks in one run \
             (`limits.max_entities`), so none of them was checked",
            limits.max_entities
        ),
    )
    .with_help(format!(
        "raise the cap with `limits: {{ max_entities: {enough} }}` in align.yaml (each \
         entity takes about 2 KB of memory), or check the repository in parts \
         (`align check FOLDER`)"
    ));
    match first_left_out {
        Some(span) => f.at(span),
        None => f,
    }
}

/// The finding for a run that found no go-to-market file under the paths it was given.
fn nothing_to_check(paths: &[PathBuf]) -> Finding {
    let shown: Vec<String> = paths
        .iter()
        .map(|p| match display_path(p).display().to_string() {
            s if s.is_empty() => ".".to_owned(),
            s => s,
        })
        .map(|s| format!("`{s}`"))
        .collect();
    Finding::new(
        LOAD_MODEL,
        Severity::Error,
        format!(
            "nothing to check: no YAML file under {} holds segments, needs, evidence, features, \
             propositions or messages",
            shown.join(", ")
        ),
    )
    .with_help(
        "check the path (and `include`/`exclude` in align.yaml); to accept a run with nothing \
         to check, pass --allow-empty",
    )
}

/// The path as shown to users: relative to the current folder, without a leading `./`.
pub(crate) fn display_path(path: &Path) -> PathBuf {
    let cwd = std::env::current_dir().ok();
    let shown = match (&cwd, path.is_absolute()) {
        (Some(cwd), true) => path
            .strip_prefix(cwd)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf()),
        _ => path.to_path_buf(),
    };
    let s = shown.to_string_lossy().replace('\\', "/");
    PathBuf::from(s.trim_start_matches("./"))
}

/// The most findings one run reports, so that their report cannot exhaust memory; the first
/// ones in file order are kept and the rest counted.
pub(crate) const MAX_FINDINGS: usize = 500_000;

/// The largest file read by default, in megabytes (`limits: {max_file_mb: ...}` changes it).
pub(crate) const DEFAULT_MAX_FILE_MB: u64 = 64;

/// The most entities read in one run by default (`limits: {max_entities: ...}` changes it).
pub(crate) const DEFAULT_MAX_ENTITIES: usize = 750_000;

/// What one run reads at most, so that no repository can exhaust memory or time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReadLimits {
    /// The largest file read, in bytes.
    pub(crate) max_file_bytes: u64,
    /// The most entities read in one run, across all files.
    pub(crate) max_entities: usize,
    /// Limits inside each YAML file (nesting, aliases, values).
    pub(crate) yaml: YamlLimits,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_file_bytes: DEFAULT_MAX_FILE_MB << 20,
            max_entities: DEFAULT_MAX_ENTITIES,
            yaml: YamlLimits::default(),
        }
    }
}

impl ReadLimits {
    /// The defaults, with what the configuration's `limits` sets.
    pub(crate) fn from_config(config: &config::ConfigLimits) -> ReadLimits {
        let mut limits = ReadLimits::default();
        if let Some(mb) = config.max_file_mb {
            limits.max_file_bytes = mb.saturating_mul(1 << 20);
            // Room for every text of a file that size.
            limits.yaml.max_total_scalar_bytes = limits
                .yaml
                .max_total_scalar_bytes
                .max(usize::try_from(limits.max_file_bytes).unwrap_or(usize::MAX));
        }
        if let Some(n) = config.max_entities {
            limits.max_entities = n;
        }
        limits
    }
}

/// Why a file could not be read, in plain words.
#[derive(Debug, Clone)]
pub(crate) struct ReadError {
    /// What is wrong ("permission denied").
    pub(crate) message: String,
    /// What to do about it.
    pub(crate) help: Option<String>,
    /// For a file that is not UTF-8: the readable text up to the bad byte's line, and the
    /// bad byte's offset in it, so the report can point there.
    pub(crate) located: Option<(String, usize)>,
}

impl ReadError {
    fn plain(message: impl Into<String>, help: Option<&str>) -> ReadError {
        ReadError {
            message: message.into(),
            help: help.map(str::to_owned),
            located: None,
        }
    }
}

/// Reads a file as UTF-8 text, dropping a byte-order mark, with the default size cap.
/// Errors are said in plain words.
pub(crate) fn read_text(path: &Path) -> Result<String, String> {
    read_source(path, &ReadLimits::default()).map_err(|e| e.message)
}

/// Reads a file as UTF-8 text, dropping a byte-order mark. Never reads more than the size
/// cap (nor waits on anything that is not a regular file).
pub(crate) fn read_source(path: &Path, limits: &ReadLimits) -> Result<String, ReadError> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, &e))?;
    if meta.is_dir() {
        return Err(ReadError::plain("it is a folder, not a file", None));
    }
    if !meta.is_file() {
        return Err(ReadError::plain(
            "it is not a regular file (a device, pipe or socket), so it is not read",
            Some("exclude it in align.yaml, or point align at the folder of data files only"),
        ));
    }
    let cap = limits.max_file_bytes;
    let too_big = |len: u64| {
        ReadError::plain(
            format!(
                "it is {}, more than the {} align reads in one file",
                megabytes(len),
                megabytes(cap)
            ),
            Some(
                "split the file, exclude it (`exclude:` in align.yaml), or raise the cap with `limits: { max_file_mb: ... }` in align.yaml",
            ),
        )
    };
    if meta.len() > cap {
        return Err(too_big(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| io_error(path, &e))?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // One byte more than the cap tells a file that grew since its size was read.
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, &e))?;
    if bytes.len() as u64 > cap {
        return Err(too_big(bytes.len() as u64));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(body) {
        Ok(s) => Ok(s.to_owned()),
        Err(e) => {
            let bad = e.valid_up_to();
            // Enough of the file to show the line of the bad byte, and no binary beyond it.
            let line_end = body
                .get(bad..)
                .and_then(|rest| rest.iter().take(200).position(|b| *b == b'\n'))
                .map(|n| bad + n)
                .unwrap_or_else(|| (bad + 40).min(body.len()));
            let shown = String::from_utf8_lossy(body.get(..line_end).unwrap_or(body)).into_owned();
            let binary = body.iter().take(8192).any(|b| *b == 0);
            Err(ReadError {
                message: if binary {
                    "it is a binary file, not YAML text".to_owned()
                } else {
                    "it is not UTF-8 text: the byte here cannot be read".to_owned()
                },
                help: Some(if binary {
                    "exclude it (`exclude:` in align.yaml), or rename it so it does not end in .yaml/.yml".to_owned()
                } else {
                    "save the file as UTF-8 (most editors offer it under \"Save with encoding\")"
                        .to_owned()
                }),
                located: Some((shown, bad)),
            })
        }
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1u64 << 20) as f64)
}

fn io_error(path: &Path, e: &std::io::Error) -> ReadError {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound if path.is_symlink() => ReadError::plain(
            "it is a symbolic link to something that does not exist",
            Some("fix or remove the link"),
        ),
        K::NotFound => ReadError::plain("no such file", None),
        K::PermissionDenied => ReadError::plain(
            "permission denied",
            Some("let the user running align read it, or exclude it in align.yaml"),
        ),
        _ if e.raw_os_error() == Some(40) => ReadError::plain(
            "it is a symbolic link that loops back on itself",
            Some("fix or remove the link"),
        ),
        _ if path.is_dir() => ReadError::plain("it is a folder, not a file", None),
        _ => ReadError::plain(e.to_string(), None),
    }
}

/// A finding for a file that could not be read, registered in the source table so every
/// format can name it.
pub(crate) fn unreadable(sources: &mut Sources, path: &Path, rule: &str, why: &str) -> Finding {
    unreadable_because(sources, path, rule, ReadError::plain(why, None))
}

pub(crate) fn unreadable_because(
    sources: &mut Sources,
    path: &Path,
    rule: &str,
    why: ReadError,
) -> Finding {
    let id = sources.add(display_path(path), "");
    unreadable_at(sources, id, path, rule, why)
}

/// Reads one data file and loads its entities, as every command and the language server do:
/// under the run's limits, through `reader`. The text is returned for the source table.
///
/// A Markdown, MDX or HTML file is read as a page when it is one (see `page::load`), and
/// otherwise gives nothing; one that cannot be read as text is an error only when a
/// `pages:` entry of `site` names it.
pub(crate) fn read_and_load(
    path: &Path,
    id: FileId,
    reader: &dyn reader::Reader,
    limits: &ReadLimits,
    site: &pages::Site,
) -> Result<(SharedText, LoadedFile), ReadError> {
    let Some(kind) = crate::page::PageKind::of_path(path) else {
        let text = SharedText::from(reader.read(path, limits)?);
        let loaded = load_file(id, &text, &limits.yaml);
        return Ok((text, loaded));
    };
    let (rel, entries) = site.covering(path);
    let text = match reader.read(path, limits) {
        Ok(text) => SharedText::from(text),
        Err(_) if entries.is_empty() => return Ok((SharedText::default(), LoadedFile::default())),
        Err(why) => return Err(why),
    };
    let page_limits = crate::page::PageLimits::default();
    let loaded = match crate::page::load::load(id, kind, &text, &rel, &entries, &page_limits) {
        Some(page) => {
            let mut loaded = page.loaded;
            loaded.page_text = page.text;
            loaded
        }
        None => LoadedFile::default(),
    };
    Ok((text, loaded))
}

/// The finding for a file already in the source table that could not be read; the text
/// read so far (up to a bad byte) is kept so the finding can point at the place.
pub(crate) fn unreadable_at(
    sources: &mut Sources,
    id: FileId,
    path: &Path,
    rule: &str,
    why: ReadError,
) -> Finding {
    let (text, at) = why.located.unwrap_or_default();
    let end = text
        .get(at..)
        .and_then(|s| s.chars().next())
        .map(|c| at + c.len_utf8())
        .unwrap_or(at);
    sources.replace(id, text.as_str());
    let f = Finding::new(
        rule,
        Severity::Error,
        format!(
            "could not read {}: {}",
            display_path(path).display(),
            why.message
        ),
    )
    .at(Span::new(id, at, end));
    match why.help {
        Some(h) => f.with_help(h),
        None => f,
    }
}

pub(crate) fn literal_text(l: &crate::lang::ast::Literal) -> String {
    use crate::lang::ast::Literal;
    match l {
        Literal::Number(n) => crate::lang::value::format_number(*n),
        Literal::Text(t) => format!("\"{t}\""),
        Literal::Bool(b) => b.to_string(),
        Literal::Date(d) => {
            let (y, m, dd) = crate::date::civil_from_days(*d);
            format!("{y:04}-{m:02}-{dd:02}")
        }
        _ => "another kind of value".to_owned(),
    }
}

pub(crate) fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    crate::model::schema::did_you_mean(name, candidates)
}

/// Turns a rule-file error into a `load/rules` finding.
pub(crate) fn rule_error_finding(e: RuleError) -> Finding {
    let mut f = Finding::new(LOAD_RULES, Severity::Error, e.message).at(e.span);
    if let Some(h) = e.help {
        f = f.with_help(h);
    }
    f.labels.push(crate::finding::Label {
        span: e.span,
        message: e.label,
    });
    f
}

/// Every `.align` file in a folder (or the file itself), sorted.
pub(crate) fn rule_files(dir: &Path) -> Vec<Result<PathBuf, (PathBuf, String)>> {
    if dir.is_file() {
        return vec![Ok(dir.to_path_buf())];
    }
    if !dir.exists() {
        return vec![Err((dir.to_path_buf(), "no such folder".to_owned()))];
    }
    walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| match e {
            Ok(e)
                if e.file_type().is_file()
                    && e.path().extension().is_some_and(|x| x == "align") =>
            {
                Some(Ok(e.into_path()))
            }
            Ok(_) => None,
            Err(err) => Some(Err((
                err.path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| dir.to_path_buf()),
                err.to_string(),
            ))),
        })
        .collect()
}
