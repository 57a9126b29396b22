//! `align explain RULE`: prints a rule's documentation.

use clap::Args;

/// Arguments of `align explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {}

/// Runs `align explain`.
pub fn run(_args: &ExplainArgs) -> u8 {
    eprintln!("align explain: not available yet");
    super::EXIT_UNUSABLE
}
