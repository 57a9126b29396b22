//! `align rules`: lists the rules in force (built-in packs and a team's own), with their
//! pack, severity and summary; `--format json` for tools.
//!
//! Also home to [`load_rules`], which `align explain` and `align test` share: the built-in
//! packs, the rule folders the configuration names, and those given with `--rules`.

use super::{EXIT_CLEAN, EXIT_UNUSABLE};
use crate::engine::RuleConfig;
use crate::finding::{Finding, Severity};
use crate::project::discover::CONFIG_FILE;
use crate::project::reader::Disk;
use crate::project::setup::{Setup, SetupOptions};
use crate::rules::{Rule, RuleSet};
use crate::source::Sources;
use clap::{Args, ValueEnum};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `align rules`.
#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    /// A folder (or file) of your own `.align` rules; may be repeated.
    #[arg(long = "rules")]
    pub(crate) rules: Vec<PathBuf>,
    /// The configuration file (default: align.yaml in the current folder).
    #[arg(long)]
    pub(crate) config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub(crate) format: ListFormat,
}

/// The formats of `align rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ListFormat {
    /// A table.
    Human,
    /// One JSON document: `{"version": 1, "rules": [...]}`.
    Json,
}

/// Rules loaded for `rules`, `explain` and `test`: the rule set, the configuration's
/// per-rule settings, and every problem met on the way (as `load/...` findings).
pub struct LoadedRules {
    /// The rule files read (and the configuration), for rendering problems.
    pub(crate) sources: Sources,
    /// The rules.
    pub rules: RuleSet,
    /// Per-rule settings from the configuration, by rule id.
    pub(crate) configured: HashMap<String, RuleConfig>,
    /// Rule files (path as shown, text) of the team's own rules.
    pub(crate) team_files: Vec<(String, String)>,
    /// Problems with the configuration or the rule files.
    pub problems: Vec<Finding>,
}

/// Loads the built-in packs, the rule folders named by the configuration (`config`, or
/// `align.yaml` in the current folder), and `rules_dirs`.
pub fn load_rules(rules_dirs: &[PathBuf], config_path: Option<&Path>) -> LoadedRules {
    let mut sources = Sources::new();
    let config = config_path.map(Path::to_path_buf).or_else(|| {
        let p = PathBuf::from(CONFIG_FILE);
        p.is_file().then_some(p)
    });
    let setup = Setup::load(
        &SetupOptions {
            config,
            rules_dirs: rules_dirs.to_vec(),
            ..SetupOptions::default()
        },
        &mut sources,
        &Disk,
    );
    let team_files = setup
        .rule_files
        .iter()
        .filter_map(|(_, id)| {
            sources
                .get(*id)
                .map(|f| (f.path.display().to_string(), f.text.to_string()))
        })
        .collect();
    LoadedRules {
        sources,
        rules: setup.rules,
        configured: setup.settings.rules,
        team_files,
        problems: setup.findings,
    }
}

/// Prints load problems in the human format, on standard error.
pub(crate) fn print_problems(loaded: &LoadedRules) {
    let cx = crate::output::Context {
        sources: &loaded.sources,
        rules: &loaded.rules,
        files: 0,
        entities: 0,
        color: false,
        width: super::term_width(),
        quiet: true,
        run: Default::default(),
    };
    let text = crate::output::human::render(&loaded.problems, &cx);
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
}

/// The severity a rule runs at under the configuration: `None` when it is turned off.
pub(crate) fn effective_severity(loaded: &LoadedRules, rule: &Rule) -> Option<Severity> {
    match loaded.configured.get(&rule.id).and_then(|c| c.severity) {
        Some(s) => s,
        None => Some(rule.severity),
    }
}

/// Runs `align rules`.
pub(crate) fn run(args: &RulesArgs) -> u8 {
    let loaded = load_rules(&args.rules, args.config.as_deref());
    if !loaded.problems.is_empty() {
        print_problems(&loaded);
    }
    let text = match args.format {
        ListFormat::Human => table(&loaded),
        ListFormat::Json => json(&loaded),
    };
    print_and_exit(&text, &loaded)
}

/// Prints a command's output; the exit status says whether every rule file could be used.
pub(crate) fn print_and_exit(text: &str, loaded: &LoadedRules) -> u8 {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    if loaded.problems.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_UNUSABLE
    }
}

fn severity_name(s: Option<Severity>) -> &'static str {
    s.map(Severity::as_str).unwrap_or("off")
}

/// The rules as a table, one line each.
fn table(loaded: &LoadedRules) -> String {
    let rows: Vec<[String; 4]> = loaded
        .rules
        .rules
        .iter()
        .map(|r| {
            [
                r.id.clone(),
                r.pack.clone(),
                severity_name(effective_severity(loaded, r)).to_owned(),
                r.summary.clone(),
            ]
        })
        .collect();
    let header = [
        "RULE".to_owned(),
        "PACK".to_owned(),
        "SEVERITY".to_owned(),
        "SUMMARY".to_owned(),
    ];
    let width = |i: usize| {
        rows.iter()
            .chain(std::iter::once(&header))
            .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1), width(2)];
    let mut out = String::new();
    for row in std::iter::once(&header).chain(rows.iter()) {
        let [id, pack, sev, summary] = row;
        out.push_str(&format!(
            "{id:<w0$}  {pack:<w1$}  {sev:<w2$}  {summary}\n",
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
        ));
    }
    let packs = loaded.rules.packs().len();
    out.push_str(&format!(
        "\n{} rules in {} packs. `align explain RULE` says what a rule flags, why it matters, and how to fix it.\n",
        rows.len(),
        packs
    ));
    out
}

/// The rules as one JSON document.
fn json(loaded: &LoadedRules) -> String {
    let rules: Vec<serde_json::Value> = loaded
        .rules
        .rules
        .iter()
        .map(|r| {
            let mut options: Vec<(&String, String)> = r
                .options
                .iter()
                .map(|(k, v)| (k, literal_text(v)))
                .collect();
            options.sort();
            serde_json::json!({
                "id": r.id,
                "pack": r.pack,
                "name": r.name,
                "severity": severity_name(effective_severity(loaded, r)),
                "default_severity": r.severity.as_str(),
                "summary": r.summary,
                "builtin": r.builtin,
                "options": options
                    .into_iter()
                    .map(|(k, v)| (k.clone(), serde_json::Value::String(v)))
                    .collect::<serde_json::Map<_, _>>(),
            })
        })
        .collect();
    let doc = serde_json::json!({ "version": 1, "rules": rules });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// A literal as it is written in a rule file.
pub(crate) fn literal_text(l: &crate::lang::ast::Literal) -> String {
    use crate::lang::ast::Literal;
    match l {
        Literal::Text(s) => format!("{s:?}"),
        Literal::Number(n) => crate::lang::value::format_number(*n),
        Literal::Bool(b) => b.to_string(),
        Literal::Date(d) => crate::date::Date(*d).to_string(),
        Literal::Duration(d) => format!("{} days", crate::lang::value::format_number(*d)),
        Literal::Regex(body, flags) => format!("/{body}/{flags}"),
        Literal::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(literal_text)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
