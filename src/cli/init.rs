//! `align init`: writes a starter project.

use clap::Args;

/// Arguments of `align init`.
#[derive(Debug, Args)]
pub struct InitArgs {}

/// Runs `align init`.
pub fn run(_args: &InitArgs) -> u8 {
    eprintln!("align init: not available yet");
    super::EXIT_UNUSABLE
}
