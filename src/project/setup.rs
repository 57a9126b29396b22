//! The setup of a run: the configuration, the built-in packs, the team's rule files, and the
//! settings they make, with every problem found in them as a finding.
//!
//! `align check`, `map`, `test` and `rules` and the language server all set up a run here,
//! so a mistake in `align.yaml` or in a rule file reads the same everywhere. Files are read
//! through a [`Reader`]: the disk, or the editor's open buffers first.

use super::config::{self, Config, LOAD_CONFIG};
use super::discover::Filter;
use super::reader::Reader;
use super::{
    ReadLimits, did_you_mean, display_path, literal_text, rule_error_finding, rule_files,
    unreadable, unreadable_because,
};
use crate::date::Date;
use crate::engine::RunSettings;
use crate::finding::{Finding, Severity};
use crate::rules::{LOAD_RULES, Rule, RuleSet};
use crate::source::{FileId, Sources, Span};
use std::path::{Path, PathBuf};

/// What to set up, as the command line (or the editor) says it.
#[derive(Debug, Clone, Default)]
pub(crate) struct SetupOptions {
    /// The configuration file, when there is one.
    pub(crate) config: Option<PathBuf>,
    /// Folders (or files) of `.align` rules besides those the configuration names.
    pub(crate) rules_dirs: Vec<PathBuf>,
    /// Pins `today`, over the configuration.
    pub(crate) today: Option<Date>,
    /// Only these rules or packs.
    pub(crate) select: Vec<String>,
    /// Not these rules or packs.
    pub(crate) ignore: Vec<String>,
}

/// A run's setup.
pub(crate) struct Setup {
    /// The configuration (the defaults where it has mistakes).
    pub(crate) config: Config,
    /// The configuration file read, and its id in the source table.
    pub(crate) config_file: Option<(PathBuf, FileId)>,
    /// The rules loaded: the built-in packs and every rule file that has no mistake.
    pub(crate) rules: RuleSet,
    /// The folders of rule files: those of the configuration, then the extra ones.
    pub(crate) rule_dirs: Vec<PathBuf>,
    /// Every rule file read or tried, with its id in the source table.
    pub(crate) rule_files: Vec<(PathBuf, FileId)>,
    /// How the rules run.
    pub(crate) settings: RunSettings,
    /// Which files hold data.
    pub(crate) filter: Filter,
    /// What one run reads at most.
    pub(crate) limits: ReadLimits,
    /// Every problem found in the configuration and the rule files.
    pub(crate) findings: Vec<Finding>,
    /// Whether some of it could not be used (exit status 2).
    pub(crate) unusable: bool,
}

impl Setup {
    /// Reads the configuration and the rule files through `reader` into `sources`. Never
    /// fails: what cannot be used becomes a finding.
    pub(crate) fn load(opts: &SetupOptions, sources: &mut Sources, reader: &dyn Reader) -> Setup {
        let mut findings = Vec::new();
        let mut config = Config::default();
        let mut config_file = None;
        if let Some(path) = &opts.config {
            match reader.read(path, &ReadLimits::default()) {
                Ok(text) => {
                    let id = sources.add(display_path(path), text.as_str());
                    config_file = Some((path.clone(), id));
                    let (c, errors) = config::parse_all(id, &text);
                    config = c;
                    findings.extend(errors);
                }
                Err(why) => {
                    let f = unreadable_because(sources, path, LOAD_CONFIG, why);
                    if let Some(span) = f.span {
                        config_file = Some((path.clone(), span.file));
                    }
                    findings.push(f);
                }
            }
        }
        let config_dir = opts
            .config
            .as_ref()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_default();

        let mut rules = RuleSet::default();
        if let Err(errors) = rules.add_builtin(sources) {
            findings.extend(errors.into_iter().map(rule_error_finding));
        }
        let mut rule_dirs: Vec<PathBuf> = Vec::new();
        for (d, span) in &config.rules_dirs {
            let dir = config_dir.join(d);
            if dir.exists() || reader.is_buffer(&dir) {
                rule_dirs.push(dir);
            } else {
                findings.push(missing_rules_dir(d, &dir, *span));
            }
        }
        rule_dirs.extend(opts.rules_dirs.iter().cloned());
        let mut rule_file_ids = Vec::new();
        // A folder named twice (in `rules_dirs` and with `--rules`, say), or inside another
        // one named, loads each of its files once.
        let mut loaded_files: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
        for dir in &rule_dirs {
            // A rule file held in memory (an open buffer) is read as a file of its own.
            let files = if reader.is_buffer(dir) {
                vec![Ok(dir.clone())]
            } else {
                rule_files(dir)
            };
            for file in files {
                if let Ok(path) = &file {
                    let key = path.canonicalize().unwrap_or_else(|_| path.clone());
                    if !loaded_files.insert(key) {
                        continue;
                    }
                }
                match file {
                    Ok(path) => match reader.read(&path, &ReadLimits::default()) {
                        Ok(text) => {
                            let id = sources.add(display_path(&path), text.as_str());
                            rule_file_ids.push((path.clone(), id));
                            if let Err(errors) = rules.add_file(id, &text, false, &stem(&path)) {
                                findings.extend(errors.into_iter().map(rule_error_finding));
                            }
                        }
                        Err(why) => {
                            let f = unreadable_because(sources, &path, LOAD_RULES, why);
                            if let Some(span) = f.span {
                                rule_file_ids.push((path.clone(), span.file));
                            }
                            findings.push(f);
                        }
                    },
                    Err((path, why)) => findings.push(unreadable(sources, &path, LOAD_RULES, &why)),
                }
            }
        }

        let mut settings = RunSettings {
            today: opts
                .today
                .or(config.today)
                .unwrap_or_else(crate::date::today),
            select: opts.select.clone(),
            ignore: opts.ignore.clone(),
            rules: config::rule_configs(&config),
        };
        findings.extend(names_in_config(&config, &rules, &mut settings));

        let mut filter = Filter::default();
        if let Some(include) = &config.include {
            filter.include = include.clone();
        }
        filter.exclude = config.exclude.clone();
        // Markdown, MDX and HTML files are read to learn whether they are pages.
        filter
            .include
            .extend(crate::page::PAGE_GLOBS.iter().map(|g| (*g).to_owned()));
        Setup {
            limits: ReadLimits::from_config(&config.limits),
            config,
            config_file,
            rules,
            rule_dirs,
            rule_files: rule_file_ids,
            settings,
            filter,
            unusable: !findings.is_empty(),
            findings,
        }
    }
}

/// Whether a path names a rule file (`.align`).
pub(crate) fn is_align_file(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "align")
}

/// The pack a rule file without a `pack` line is in: its name without `.align`.
pub(crate) fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn missing_rules_dir(name: &str, dir: &Path, span: Span) -> Finding {
    Finding::new(
        LOAD_CONFIG,
        Severity::Error,
        format!("the rules folder `{name}` does not exist"),
    )
    .at(span)
    .with_help(format!(
        "`rules_dirs` is read from the folder of the configuration, so this names {}; create \
         it, or remove it from the list",
        display_path(dir).display()
    ))
}

/// Configuration that names packs, rules and options the rules loaded do not have; packs
/// left out of `packs` are turned off in `settings`.
fn names_in_config(config: &Config, rules: &RuleSet, settings: &mut RunSettings) -> Vec<Finding> {
    let mut findings = Vec::new();
    let known_packs: Vec<String> = rules.packs().into_iter().map(str::to_owned).collect();
    if let Some(packs) = &config.packs {
        for (p, span) in packs {
            if !known_packs.contains(p) {
                findings.push(unknown_name(
                    *span,
                    "pack",
                    p,
                    known_packs.iter().map(String::as_str),
                ));
            }
        }
        for r in rules
            .rules
            .iter()
            .filter(|r| r.builtin && !packs.iter().any(|(p, _)| p == &r.pack))
        {
            settings.ignore.push(r.id.clone());
        }
    }
    let ids: Vec<&str> = rules.rules.iter().map(|r| r.id.as_str()).collect();
    for (id, span, rc) in &config.rules {
        match rules.get(id) {
            None if known_packs.contains(id) => findings.push(
                Finding::new(
                    LOAD_CONFIG,
                    Severity::Error,
                    format!("`{id}` is a pack, not a rule"),
                )
                .at(*span)
                .with_help(format!(
                    "`rules` sets one rule at a time (`{id}/rule-name`); to turn the whole \
                     pack off, leave it out of `packs`"
                )),
            ),
            None => findings.push(unknown_name(*span, "rule", id, ids.iter().copied())),
            Some(rule) => {
                let mut names: Vec<&String> = rc.options.keys().collect();
                names.sort();
                for name in names {
                    if let Some(f) = check_option(id, *span, rule, name, rc.options.get(name)) {
                        // The rule runs with its default rather than a value it cannot use.
                        if let Some(c) = settings.rules.get_mut(id) {
                            c.options.remove(name);
                        }
                        findings.push(f);
                    }
                }
            }
        }
    }
    findings
}

fn unknown_name<'a>(
    span: Span,
    what: &str,
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Finding {
    let f = Finding::new(
        LOAD_CONFIG,
        Severity::Error,
        format!("there is no {what} `{name}`"),
    )
    .at(span);
    match did_you_mean(name, candidates) {
        Some(s) => f.with_help(format!("did you mean `{s}`?")),
        None => f.with_help(format!("`align rules` lists every {what}")),
    }
}

/// A problem with a rule option set in the configuration: an option the rule does not
/// declare (with a did-you-mean), or a value of another type than its default.
fn check_option(
    id: &str,
    span: Span,
    rule: &Rule,
    name: &str,
    value: Option<&crate::lang::ast::Literal>,
) -> Option<Finding> {
    let Some(default) = rule.options.get(name) else {
        let mut declared: Vec<&str> = rule.options.keys().map(String::as_str).collect();
        declared.sort_unstable();
        let f = Finding::new(
            LOAD_CONFIG,
            Severity::Error,
            format!("rule `{id}` has no option `{name}`"),
        )
        .at(span);
        return Some(match did_you_mean(name, declared.iter().copied()) {
            Some(s) => f.with_help(format!("did you mean `{s}`?")),
            None if declared.is_empty() => f.with_help("this rule takes no options"),
            None => f.with_help(format!("its options are: {}", declared.join(", "))),
        });
    };
    let value = value?;
    if std::mem::discriminant(value) == std::mem::discriminant(default) {
        return None;
    }
    Some(
        Finding::new(
            LOAD_CONFIG,
            Severity::Error,
            format!(
                "option `{name}` of rule `{id}` should be {}, but it is {}",
                default.describe(),
                value.describe()
            ),
        )
        .at(span)
        .with_help(format!("its default is {}", literal_text(default))),
    )
}
