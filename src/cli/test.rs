//! `align test`: checks fixtures against their `# expect:` comments, and runs the bad and
//! good examples in the docs of a team's own rules.
//!
//! Each folder of YAML files under the given paths is one fixture: its files (not those of
//! its sub-folders) are checked together as a small project, with `align.yaml` in the folder
//! as its configuration when there is one (to pin `today`, say). Only the rules that the
//! folder's expectations name, or that `--select` names, are compared (see
//! [`crate::expect`]); every difference is printed as `path:line: ...`. Exit status: 0 when
//! everything matches, 1 on any difference, 2 when a rule file, a fixture or an
//! expectation cannot be used.

use super::explain::{section, sections, yaml_blocks};
use super::rules::{LoadedRules, load_rules, print_problems};
use super::{EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE};
use crate::date::{Date, parse_date};
use crate::expect::{self, Expected};
use crate::model::schema::did_you_mean;
use crate::project::discover::{self, CONFIG_FILE, Filter, Found};
use crate::project::{LoadOptions, Workspace, display_path};
use crate::rules::Rule;
use clap::Args;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `align test`.
#[derive(Debug, Args)]
pub(crate) struct TestArgs {
    /// Fixture files and folders.
    #[arg(default_value = ".")]
    pub(crate) paths: Vec<PathBuf>,
    /// A folder (or file) of your own `.align` rules; may be repeated.
    #[arg(long = "rules")]
    pub(crate) rules: Vec<PathBuf>,
    /// Compare these rules or packs (comma-separated or repeated) instead of the ones the
    /// expectations name.
    #[arg(long, value_delimiter = ',')]
    pub(crate) select: Vec<String>,
    /// The date `today` stands for, YYYY-MM-DD (a fixture folder's align.yaml may pin it too).
    #[arg(long, value_parser = parse_today)]
    pub(crate) today: Option<Date>,
}

fn parse_today(s: &str) -> Result<Date, String> {
    parse_date(s).ok_or_else(|| format!("`{s}` is not a date; write it as YYYY-MM-DD"))
}

/// Rule ids that loading itself reports under, which expectations may name.
const LOAD_IDS: &[&str] = &[
    "load/yaml",
    "load/model",
    "load/rules",
    "load/config",
    "load/page",
];

/// What checking one fixture (a folder, or one doc example) found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// How many expectations were compared.
    pub(crate) expected: usize,
    /// The rules compared.
    pub(crate) compared: BTreeSet<String>,
    /// Each difference, as `path:line: ...`.
    pub differences: Vec<String>,
    /// Problems that make the fixture unusable (bad YAML, an expectation naming no rule).
    pub problems: Vec<String>,
}

/// Compares a loaded workspace's findings with the expectations in `files`, for the rules
/// in `compared` (or, when empty, those the expectations name).
pub(crate) fn compare_workspace(
    ws: &Workspace,
    files: &[crate::source::FileId],
    compared: &BTreeSet<String>,
) -> Outcome {
    let expected = expect::expectations(&ws.sources, files);
    let mut out = Outcome::default();
    let known: Vec<&str> = ws
        .rules
        .rules
        .iter()
        .map(|r| r.id.as_str())
        .chain(LOAD_IDS.iter().copied())
        .collect();
    for e in &expected {
        if !known.contains(&e.rule.as_str()) {
            let mut problem = format!(
                "{}:{}: `# expect: {}` names no rule in force",
                ws.sources.path(e.file).display(),
                e.line,
                e.rule
            );
            match did_you_mean(&e.rule, known.iter().copied()) {
                Some(s) => problem.push_str(&format!("; did you mean `{s}`?")),
                None => {
                    problem.push_str("; `align rules` lists them (add `--rules DIR` for your own)")
                }
            }
            out.problems.push(problem);
        }
    }
    out.compared = if compared.is_empty() {
        expect::rules_named(&expected)
    } else {
        compared.clone()
    };
    let findings = ws.check();
    for f in &findings {
        let about_fixture = f.span.is_some_and(|s| files.contains(&s.file));
        if about_fixture
            && (f.rule == crate::model::load::LOAD_YAML || f.rule == crate::page::load::LOAD_PAGE)
            && !out.compared.contains(&f.rule)
        {
            let line = f
                .span
                .and_then(|s| ws.sources.range(s))
                .map_or(1, |(a, _)| a.line);
            let path = f
                .span
                .map(|s| ws.sources.path(s.file).display().to_string())
                .unwrap_or_default();
            out.problems.push(format!(
                "{path}:{line}: could not load the fixture: {}",
                f.message
            ));
        }
    }
    let relevant: Vec<Expected> = expected
        .into_iter()
        .filter(|e| out.compared.contains(&e.rule))
        .collect();
    out.expected = relevant.len();
    out.differences = expect::compare(&relevant, &findings, &ws.sources, &out.compared)
        .iter()
        .map(|d| d.describe(&ws.sources))
        .collect();
    out
}

/// Checks one doc example of a rule: `yaml` is a small complete model, `rule_files` the
/// team's rule files (path, text) besides the built-in packs. A bad example must give
/// exactly the findings of the rule its `# expect:` comments mark (and mark at least one);
/// a good example none of the rule.
pub fn check_doc_example(
    rule: &str,
    name: &str,
    yaml: &str,
    bad: bool,
    rule_files: &[(&str, &str)],
    today: Date,
) -> Outcome {
    let ws = Workspace::from_texts(&[(name, yaml)], rule_files, today);
    let compared: BTreeSet<String> = std::iter::once(rule.to_owned()).collect();
    let mut out = compare_workspace(&ws, &ws.data_files, &compared);
    if bad && out.expected == 0 {
        out.differences.push(format!(
            "{name}: the bad example marks no finding of {rule} with `# expect: {rule}`"
        ));
    }
    if !bad && out.expected > 0 {
        out.differences.push(format!(
            "{name}: the good example expects findings of {rule}; a good example has none"
        ));
    }
    if ws.unusable {
        for f in ws
            .load_findings
            .iter()
            .filter(|f| f.rule.starts_with("load/"))
        {
            out.problems.push(format!("{name}: {}", f.message));
        }
    }
    out
}

/// The YAML examples of a rule's doc: (label, yaml, is the bad example).
pub fn doc_examples(rule: &Rule) -> Vec<(String, String, bool)> {
    let parts = sections(&rule.doc);
    let mut out = Vec::new();
    for (heading, bad) in [("Bad example", true), ("Good example", false)] {
        let Some(body) = section(&parts, heading) else {
            continue;
        };
        let blocks = yaml_blocks(body);
        let many = blocks.len() > 1;
        for (i, yaml) in blocks.into_iter().enumerate() {
            let label = if many {
                format!("{} {} {}", rule.id, heading.to_lowercase(), i + 1)
            } else {
                format!("{} {}", rule.id, heading.to_lowercase())
            };
            out.push((label, yaml, bad));
        }
    }
    out
}

/// Fixture folders under `paths`: each folder's YAML and page files (not its sub-folders'),
/// without configuration files.
fn fixture_folders(paths: &[PathBuf]) -> (BTreeMap<PathBuf, Vec<PathBuf>>, Vec<String>) {
    let mut folders: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut filter = Filter::default();
    filter
        .include
        .extend(crate::page::PAGE_GLOBS.iter().map(|g| (*g).to_owned()));
    for found in discover::discover(paths, &filter) {
        match found {
            Found::File(path) => {
                if path.file_name().is_some_and(|n| n == CONFIG_FILE) {
                    continue;
                }
                let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
                folders.entry(folder).or_default().push(path);
            }
            Found::Unreadable(path, why) => problems.push(format!(
                "{}: could not read: {why}",
                display_path(&path).display()
            )),
        }
    }
    (folders, problems)
}

/// The rule ids `--select` names, or an error naming an unknown one.
fn selected(loaded: &LoadedRules, select: &[String]) -> Result<BTreeSet<String>, String> {
    let mut out = BTreeSet::new();
    for name in select {
        let ids: Vec<&str> = loaded
            .rules
            .rules
            .iter()
            .map(|r| r.id.as_str())
            .filter(|id| crate::engine::suppress::names_rule(name, id))
            .collect();
        if ids.is_empty() && !LOAD_IDS.contains(&name.as_str()) {
            let candidates: Vec<&str> = loaded
                .rules
                .rules
                .iter()
                .map(|r| r.id.as_str())
                .chain(loaded.rules.packs())
                .collect();
            return Err(match did_you_mean(name, candidates) {
                Some(s) => {
                    format!("--select: there is no rule or pack `{name}`; did you mean `{s}`?")
                }
                None => {
                    format!("--select: there is no rule or pack `{name}`; `align rules` lists them")
                }
            });
        }
        out.insert(name.clone());
        out.extend(ids.into_iter().map(str::to_owned));
    }
    Ok(out)
}

fn shown(folder: &Path) -> String {
    let s = display_path(folder).display().to_string();
    if s.is_empty() { ".".to_owned() } else { s }
}

/// Runs `align test`.
pub(crate) fn run(args: &TestArgs) -> u8 {
    let loaded = load_rules(&args.rules, None);
    if !loaded.problems.is_empty() {
        print_problems(&loaded);
        return EXIT_UNUSABLE;
    }
    let compared = match selected(&loaded, &args.select) {
        Ok(c) => c,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_UNUSABLE;
        }
    };
    let (folders, mut problems) = fixture_folders(&args.paths);
    let mut report = String::new();
    let mut differences = 0;
    let mut failed = 0;
    let mut passed = 0;
    let mut expected = 0;
    for (folder, files) in &folders {
        let config = folder.join(CONFIG_FILE);
        let ws = Workspace::load(&LoadOptions {
            paths: files.clone(),
            config: config.is_file().then_some(config),
            rules_dirs: args.rules.clone(),
            today: args.today,
            select: Vec::new(),
            ignore: Vec::new(),
            // A fixture may hold only broken files; `test` says when nothing was compared.
            allow_empty: true,
            no_ignore: false,
        });
        for f in &ws.load_findings {
            if f.rule == crate::project::config::LOAD_CONFIG {
                let line = f
                    .span
                    .and_then(|s| ws.sources.range(s))
                    .map_or(1, |(a, _)| a.line);
                problems.push(format!(
                    "{}:{line}: {}",
                    display_path(&folder.join(CONFIG_FILE)).display(),
                    f.message
                ));
            }
        }
        let wanted: BTreeSet<PathBuf> = files.iter().map(|f| display_path(f)).collect();
        let ids: Vec<crate::source::FileId> = ws
            .sources
            .iter()
            .filter(|(_, f)| wanted.contains(&f.path))
            .map(|(id, _)| id)
            .collect();
        let outcome = compare_workspace(&ws, &ids, &compared);
        problems.extend(outcome.problems.iter().cloned());
        expected += outcome.expected;
        if outcome.compared.is_empty() {
            report.push_str(&format!(
                "skip  {}  (no `# expect:` comments, so nothing is compared)\n",
                shown(folder)
            ));
            continue;
        }
        let rules = outcome.compared.len();
        if outcome.differences.is_empty() {
            passed += 1;
            report.push_str(&format!(
                "ok    {}  ({} expected finding{} of {rules} rule{})\n",
                shown(folder),
                outcome.expected,
                if outcome.expected == 1 { "" } else { "s" },
                if rules == 1 { "" } else { "s" },
            ));
        } else {
            failed += 1;
            differences += outcome.differences.len();
            report.push_str(&format!("FAIL  {}\n", shown(folder)));
            for d in &outcome.differences {
                report.push_str(d);
                report.push('\n');
            }
        }
    }
    // The examples in the docs of the team's own rules.
    let rule_files: Vec<(&str, &str)> = loaded
        .team_files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let today = args.today.unwrap_or_else(crate::date::today);
    for rule in loaded.rules.rules.iter().filter(|r| !r.builtin) {
        if !compared.is_empty() && !compared.contains(&rule.id) {
            continue;
        }
        let examples = doc_examples(rule);
        if examples.is_empty() {
            continue;
        }
        let mut diffs = Vec::new();
        for (label, yaml, bad) in &examples {
            let o = check_doc_example(&rule.id, label, yaml, *bad, &rule_files, today);
            expected += o.expected;
            problems.extend(o.problems);
            diffs.extend(o.differences);
        }
        if diffs.is_empty() {
            passed += 1;
            report.push_str(&format!(
                "ok    docs of {}  ({} example{})\n",
                rule.id,
                examples.len(),
                if examples.len() == 1 { "" } else { "s" }
            ));
        } else {
            failed += 1;
            differences += diffs.len();
            report.push_str(&format!("FAIL  docs of {}\n", rule.id));
            for d in diffs {
                report.push_str(&d);
                report.push('\n');
            }
        }
    }
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(report.as_bytes());
    if !problems.is_empty() {
        let _ = stdout.flush();
        let mut stderr = std::io::stderr().lock();
        for p in &problems {
            let _ = writeln!(stderr, "error: {p}");
        }
        return EXIT_UNUSABLE;
    }
    if passed + failed == 0 {
        let _ = writeln!(
            stdout,
            "Nothing to test: no fixture under {} has `# expect:` comments.",
            args.paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return if folders.is_empty() {
            EXIT_UNUSABLE
        } else {
            EXIT_CLEAN
        };
    }
    let _ = writeln!(
        stdout,
        "\n{} passed, {} failed; {} expected finding{} compared{}.",
        passed,
        failed,
        expected,
        if expected == 1 { "" } else { "s" },
        if differences == 0 {
            String::new()
        } else {
            format!(
                ", {differences} difference{}",
                if differences == 1 { "" } else { "s" }
            )
        }
    );
    let _ = stdout.flush();
    if failed > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
