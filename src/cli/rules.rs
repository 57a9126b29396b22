//! `align rules`: lists the rules in force.

use clap::Args;

/// Arguments of `align rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {}

/// Runs `align rules`.
pub fn run(_args: &RulesArgs) -> u8 {
    eprintln!("align rules: not available yet");
    super::EXIT_UNUSABLE
}
