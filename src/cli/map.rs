//! `align map`: the alignment map.

use clap::Args;

/// Arguments of `align map`.
#[derive(Debug, Args)]
pub struct MapArgs {}

/// Runs `align map`.
pub fn run(_args: &MapArgs) -> u8 {
    eprintln!("align map: not available yet");
    super::EXIT_UNUSABLE
}
