//! The command line: one file per subcommand. `main.rs` only parses and dispatches.

pub mod check;
pub mod explain;
pub mod init;
pub mod lsp;
pub mod map;
pub mod rules;
pub mod test;

use clap::{Parser, Subcommand};
use std::io::IsTerminal;

/// align keeps marketing, product and sales aligned.
#[derive(Debug, Parser)]
#[command(name = "align", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the go-to-market files under PATHs (default: the current folder).
    Check(check::CheckArgs),
    /// List the rules in force.
    Rules(rules::RulesArgs),
    /// Explain a rule: what it flags, why it matters, examples.
    Explain(explain::ExplainArgs),
    /// Run rule tests: fixtures that carry their expected findings as `# expect:` comments.
    Test(test::TestArgs),
    /// Write a small starter project and align.yaml in the current folder.
    Init(init::InitArgs),
    /// Run the language server (diagnostics in editors) over standard input and output.
    Lsp(lsp::LspArgs),
    /// Draw the alignment map (HTML, Mermaid or DOT).
    Map(map::MapArgs),
}

/// Exit status: no findings at or above the threshold.
pub const EXIT_CLEAN: u8 = 0;
/// Exit status: findings at or above the threshold.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: some input could not be used (configuration, rule file, unreadable or
/// unparsable file).
pub const EXIT_UNUSABLE: u8 = 2;

/// Runs a parsed command line; returns the exit status.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Test(args) => test::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Lsp(args) => lsp::run(&args),
        Command::Map(args) => map::run(&args),
    }
}

/// Whether colour may be used on standard output: a terminal, and `NO_COLOR` unset.
pub fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// The width to wrap human output at.
pub fn term_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(100)
}
