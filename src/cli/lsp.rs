//! `align lsp`: the language server.

use clap::Args;

/// Arguments of `align lsp`.
#[derive(Debug, Args)]
pub struct LspArgs {}

/// Runs `align lsp`.
pub fn run(_args: &LspArgs) -> u8 {
    eprintln!("align lsp: not available yet");
    super::EXIT_UNUSABLE
}
