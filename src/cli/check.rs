//! `align check`: load, evaluate, report, and set the exit status.

use super::{EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE};
use crate::date::{Date, parse_date};
use crate::engine::baseline::{self, Baseline, LOAD_BASELINE};
use crate::finding::{Finding, Severity};
use crate::output::{self, BaselineNote, Format, RunInfo};
use crate::project::{LoadOptions, Workspace, display_path, read_text};
use crate::source::Span;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `align check`.
#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Files and folders to check.
    #[arg(default_value = ".")]
    pub(crate) paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,
    /// Lowest severity that makes the run fail (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub(crate) fail_on: FailOn,
    /// Only these rules or packs (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    pub(crate) select: Vec<String>,
    /// Not these rules or packs (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    pub(crate) ignore: Vec<String>,
    /// A folder (or file) of your own `.align` rules; may be repeated.
    #[arg(long = "rules")]
    pub(crate) rules: Vec<PathBuf>,
    /// The configuration file (default: align.yaml in the checked folder).
    #[arg(long)]
    pub(crate) config: Option<PathBuf>,
    /// Accept a run that finds no go-to-market file to check (by default an error, exit 2).
    #[arg(long)]
    pub(crate) allow_empty: bool,
    /// Check files that `.gitignore` (or `.ignore`) leaves out too.
    #[arg(long)]
    pub(crate) no_ignore: bool,
    /// The date `today` stands for, YYYY-MM-DD (for reproducible runs).
    #[arg(long, value_parser = parse_today)]
    pub(crate) today: Option<Date>,
    /// Print findings only, without the closing summary.
    #[arg(long, short)]
    pub(crate) quiet: bool,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Report, and fail on, only findings that this baseline file does not list.
    #[arg(long, value_name = "FILE")]
    pub(crate) baseline: Option<PathBuf>,
    /// Record today's findings in this baseline file (then exit 0 unless input is unusable).
    #[arg(long, value_name = "FILE")]
    pub(crate) write_baseline: Option<PathBuf>,
}

/// The threshold of `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    /// Errors fail the run.
    Error,
    /// Warnings and errors fail the run.
    Warning,
    /// Any finding fails the run.
    Info,
    /// Findings never fail the run.
    Never,
}

impl FailOn {
    fn fails(self, s: Severity) -> bool {
        match self {
            FailOn::Error => s >= Severity::Error,
            FailOn::Warning => s >= Severity::Warning,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }
}

fn parse_today(s: &str) -> Result<Date, String> {
    parse_date(s).ok_or_else(|| format!("`{s}` is not a date; write it as YYYY-MM-DD"))
}

/// Runs `align check`.
pub(crate) fn run(args: &CheckArgs) -> u8 {
    let progress = super::progress::Progress::start("Checking");
    let mut ws = Workspace::load(&LoadOptions {
        paths: args.paths.clone(),
        config: args.config.clone(),
        rules_dirs: args.rules.clone(),
        today: args.today,
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        allow_empty: args.allow_empty,
        no_ignore: args.no_ignore,
    });
    if let Some(message) = unknown_selection(args, &ws) {
        eprintln!("{message}");
        // Problems in the files are still worth showing; they make the run unusable anyway.
        if !ws.unusable {
            return EXIT_UNUSABLE;
        }
    }
    let base = args
        .baseline
        .as_ref()
        .and_then(|path| read_baseline(path, &mut ws));
    for (target, what) in [
        (&args.output, "the report"),
        (&args.write_baseline, "the baseline"),
    ] {
        if let Some(target) = target {
            if let Some(message) = refuse_to_write(target, what, &ws, args) {
                eprintln!("{message}");
                return EXIT_UNUSABLE;
            }
        }
    }

    let mut findings = ws.check();
    drop(progress);
    let mut note = None;
    // A recorded baseline is the run's result: the findings it holds are not printed again.
    let mut recorded = false;
    if let (Some(path), true) = (&args.write_baseline, ws.unusable) {
        // A file that did not load has no findings yet; recording now would make them all
        // look new later.
        eprintln!(
            "error: the baseline was not written to {}, because some input could not be used; \
             fix the problems reported, then record it",
            path.display()
        );
    } else if let Some(path) = &args.write_baseline {
        let text = baseline::record(&findings, &ws.sources);
        if let Err(e) = std::fs::write(path, text) {
            eprintln!(
                "error: could not write the baseline to {}: {e}",
                path.display()
            );
            return EXIT_UNUSABLE;
        }
        let n = findings.iter().filter(|f| baseline::recordable(f)).count();
        recorded = true;
        println!(
            "Recorded {n} finding{} in {}; `align check --baseline {}` now fails only on new ones.",
            if n == 1 { "" } else { "s" },
            path.display(),
            path.display()
        );
    } else if let Some(b) = &base {
        let applied = b.apply(findings, &ws.sources);
        findings = applied.new;
        note = Some(BaselineNote {
            known: applied.known,
            unmatched: applied.unmatched.len(),
        });
    }

    let in_force = ws
        .rules
        .rules
        .iter()
        .filter_map(|r| ws.settings.severity_of(r).map(|s| (r, s)))
        .collect();
    let summarised = matches!(args.format, Format::Human | Format::Concise) && !args.quiet;
    let cx = output::Context {
        sources: &ws.sources,
        rules: &ws.rules,
        files: ws.data_files.len(),
        entities: ws.model.len(),
        color: args.output.is_none() && super::use_color(),
        width: super::term_width(),
        quiet: args.quiet,
        run: RunInfo {
            in_force,
            baseline: note.filter(|_| summarised),
        },
    };
    if let (Some(n), false, false) = (note, summarised, args.quiet) {
        eprintln!("{}.", n.sentence());
    }
    match &args.output {
        Some(path) => {
            let written = std::fs::File::create(path).and_then(|file| {
                let mut out = std::io::BufWriter::new(file);
                output::write(args.format, &findings, &cx, &mut out)?;
                out.flush()
            });
            if let Err(e) = written {
                eprintln!(
                    "error: could not write the report to {}: {e}",
                    path.display()
                );
                return EXIT_UNUSABLE;
            }
        }
        None if recorded => {}
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            // A closed pipe (`align check | head`) is not an error worth reporting.
            let _ = output::write(args.format, &findings, &cx, &mut out).and_then(|()| out.flush());
        }
    }
    let status = if ws.unusable {
        EXIT_UNUSABLE
    } else if args.write_baseline.is_none()
        && findings.iter().any(|f| args.fail_on.fails(f.severity))
    {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    };
    // The process ends with this command: handing a large project's memory back piece by
    // piece would take longer than some rules do, and the system takes it back at once.
    std::mem::forget(findings);
    std::mem::forget(ws);
    status
}

/// The error for `--select`/`--ignore` names that are neither a rule nor a pack, when the
/// rules all loaded (a broken rule file is reported on its own).
fn unknown_selection(args: &CheckArgs, ws: &Workspace) -> Option<String> {
    if ws
        .load_findings
        .iter()
        .any(|f| f.rule == crate::rules::LOAD_RULES)
    {
        return None;
    }
    let packs = ws.rules.packs();
    let known: Vec<&str> = ws
        .rules
        .rules
        .iter()
        .map(|r| r.id.as_str())
        .chain(packs.iter().copied())
        .collect();
    let mut lines = Vec::new();
    for (flag, names) in [("--select", &args.select), ("--ignore", &args.ignore)] {
        for name in names.iter().filter(|n| !known.contains(&n.as_str())) {
            let help = match crate::model::schema::did_you_mean(name, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "name a rule id (`pack/rule`) or a pack ({}); `align rules` lists the rules",
                    packs.join(", ")
                ),
            };
            lines.push(format!(
                "error: `{flag} {name}` names no rule or pack of align\n  help: {help}"
            ));
        }
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// Reads the baseline named by `--baseline`; a problem becomes a `load/baseline` finding
/// and makes the input unusable.
fn read_baseline(path: &Path, ws: &mut Workspace) -> Option<Baseline> {
    match read_text(path) {
        Ok(text) => {
            let id = ws.sources.add(display_path(path), text.as_str());
            match Baseline::parse(id, &text) {
                Ok(b) => Some(b),
                Err(f) => {
                    ws.unusable = true;
                    ws.load_findings.push(*f);
                    None
                }
            }
        }
        Err(why) => {
            let id = ws.sources.add(display_path(path), "");
            ws.unusable = true;
            ws.load_findings.push(
                Finding::new(
                    LOAD_BASELINE,
                    Severity::Error,
                    format!(
                        "could not read the baseline {}: {why}",
                        display_path(path).display()
                    ),
                )
                .at(Span::new(id, 0, 0))
                .with_help("write one with `align check --write-baseline FILE`"),
            );
            None
        }
    }
}

/// Why align will not write `what` to `target`: align never writes a file it read, and the
/// report and the baseline do not share a file.
fn refuse_to_write(target: &Path, what: &str, ws: &Workspace, args: &CheckArgs) -> Option<String> {
    if target.is_dir() {
        return Some(format!(
            "error: cannot write {what} to {}: it is a folder\n  help: name a file",
            target.display()
        ));
    }
    let key = |p: &Path| p.canonicalize().or_else(|_| std::path::absolute(p)).ok();
    let canonical = key(target)?;
    let read = ws
        .sources
        .iter()
        .filter(|(_, f)| !f.path.starts_with("<builtin>"))
        .any(|(_, f)| f.path.canonicalize().ok().as_ref() == Some(&canonical));
    if read {
        return Some(format!(
            "error: align will not write {what} to {}: it reads that file as input, and never \
             writes a file it reads\n  help: name another file",
            target.display()
        ));
    }
    let same = |other: &Option<PathBuf>| {
        other
            .as_deref()
            .and_then(key)
            .is_some_and(|p| p == canonical)
    };
    if what == "the report" && same(&args.write_baseline) {
        return Some(format!(
            "error: --output and --write-baseline both name {}\n  help: give each its own file",
            target.display()
        ));
    }
    None
}
