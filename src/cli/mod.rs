//! The command line: one file per subcommand. `main.rs` only parses and dispatches.

pub(crate) mod check;
pub(crate) mod completions;
pub mod explain;
pub mod init;
pub(crate) mod lsp;
pub(crate) mod man;
pub(crate) mod map;
pub(crate) mod progress;
pub mod rules;
pub(crate) mod schema;
pub mod test;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::sync::OnceLock;

/// align keeps marketing, product and sales aligned.
///
/// Run `align` alone to see this help (exit status 2, as for any incomplete command line).
#[derive(Debug, Parser)]
#[command(name = "align", version, about, long_about = None, arg_required_else_help = true)]
pub struct Cli {
    /// When to use colour: auto (a terminal, unless `NO_COLOR` is set; `FORCE_COLOR` or
    /// `CLICOLOR_FORCE` force it), always, or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub(crate) color: ColorChoice,
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The choices of `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    /// Colour on a terminal, unless `NO_COLOR` is set; `FORCE_COLOR` or `CLICOLOR_FORCE`
    /// (set and not `0`) turn it on anywhere.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check the go-to-market files under PATHs (default: the current folder).
    Check(check::CheckArgs),
    /// List the rules in force.
    Rules(rules::RulesArgs),
    /// Explain a rule: what it flags, why it matters, examples.
    Explain(explain::ExplainArgs),
    /// Run rule tests: fixtures that carry their expected findings as `# expect:` comments.
    ///
    /// Reads align.yaml in the current folder, as `align check` does: the rule folders its
    /// `rules_dirs` lists are loaded (`--rules` adds more; a folder named twice loads once).
    Test(test::TestArgs),
    /// Write a small starter project and align.yaml in DIR (default: the current folder).
    Init(init::InitArgs),
    /// Run the language server (diagnostics in editors) over standard input and output.
    Lsp(lsp::LspArgs),
    /// Draw the alignment map (HTML, Mermaid or DOT).
    Map(map::MapArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(completions::CompletionsArgs),
    /// Print align's manual page (roff), e.g. `align man > align.1`.
    Man,
    /// Print a JSON Schema for the data files or align.yaml (for yaml-language-server).
    Schema(schema::SchemaArgs),
}

/// Exit status: no findings at or above the threshold.
pub(crate) const EXIT_CLEAN: u8 = 0;
/// Exit status: findings at or above the threshold.
pub(crate) const EXIT_FINDINGS: u8 = 1;
/// Exit status: some input could not be used (configuration, rule file, unreadable or
/// unparsable file).
pub(crate) const EXIT_UNUSABLE: u8 = 2;

/// Runs a parsed command line; returns the exit status.
pub fn run(cli: Cli) -> u8 {
    // Set once, before any command runs; a second set cannot happen.
    let _ = COLOR.set(cli.color);
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Test(args) => test::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Lsp(args) => lsp::run(&args),
        Command::Map(args) => map::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Man => man::run(),
        Command::Schema(args) => schema::run(&args),
    }
}

/// The `--color` choice of this run.
static COLOR: OnceLock<ColorChoice> = OnceLock::new();

/// Whether colour may be used on standard output, by `--color` and the environment.
pub(crate) fn use_color() -> bool {
    let choice = COLOR.get().copied().unwrap_or(ColorChoice::Auto);
    color_wanted(
        choice,
        |name| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned()),
        std::io::stdout().is_terminal(),
    )
}

/// The colour decision, apart from the process: `--color` wins; under `auto`, `NO_COLOR`
/// (set and not empty) turns colour off, then `FORCE_COLOR` or `CLICOLOR_FORCE` (set and
/// not `0` or empty) turn it on, else colour follows whether the output is a terminal.
pub(crate) fn color_wanted(
    choice: ColorChoice,
    env: impl Fn(&str) -> Option<String>,
    terminal: bool,
) -> bool {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    let forced = |name: &str| env(name).is_some_and(|v| !v.is_empty() && v != "0");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR") => false,
        ColorChoice::Auto if forced("FORCE_COLOR") || forced("CLICOLOR_FORCE") => true,
        ColorChoice::Auto => terminal,
    }
}

/// The width to wrap human output at.
pub(crate) fn term_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(100)
}
