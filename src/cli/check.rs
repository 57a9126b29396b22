//! `align check`: load, evaluate, report, and set the exit status.

use super::{EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE};
use crate::finding::Severity;
use crate::lang::time::{Date, parse_date};
use crate::output::{self, Format};
use crate::project::{LoadOptions, Workspace};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `align check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and folders to check.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Lowest severity that makes the run fail (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Only these rules or packs (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Not these rules or packs (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// A folder (or file) of your own `.align` rules; may be repeated.
    #[arg(long = "rules")]
    pub rules: Vec<PathBuf>,
    /// The configuration file (default: align.yaml in the checked folder).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The date `today` stands for, YYYY-MM-DD (for reproducible runs).
    #[arg(long, value_parser = parse_today)]
    pub today: Option<Date>,
    /// Print findings only, without the closing summary.
    #[arg(long, short)]
    pub quiet: bool,
}

/// The threshold of `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
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
pub fn run(args: &CheckArgs) -> u8 {
    let ws = Workspace::load(&LoadOptions {
        paths: args.paths.clone(),
        config: args.config.clone(),
        rules_dirs: args.rules.clone(),
        today: args.today,
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    });
    let findings = ws.check();
    let cx = output::Context {
        sources: &ws.sources,
        rules: &ws.rules,
        files: ws.data_files.len(),
        entities: ws.model.len(),
        color: super::use_color(),
        width: super::term_width(),
        quiet: args.quiet,
    };
    let text = output::render(args.format, &findings, &cx);
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`align check | head`) is not an error worth reporting.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    if ws.unusable {
        EXIT_UNUSABLE
    } else if findings.iter().any(|f| args.fail_on.fails(f.severity)) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
