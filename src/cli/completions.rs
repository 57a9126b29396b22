//! `align completions SHELL`: a completion script for the shell, printed to standard output.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

/// Arguments of `align completions`.
#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete in: bash, zsh, fish, powershell or elvish.
    #[arg(value_enum)]
    pub(crate) shell: Shell,
}

/// Prints the completion script.
pub(crate) fn run(args: &CompletionsArgs) -> u8 {
    let mut cmd = super::Cli::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(args.shell, &mut cmd, "align", &mut out);
    super::EXIT_CLEAN
}
