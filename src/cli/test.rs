//! `align test`: checks fixtures against their `# expect:` comments.

use clap::Args;

/// Arguments of `align test`.
#[derive(Debug, Args)]
pub struct TestArgs {}

/// Runs `align test`.
pub fn run(_args: &TestArgs) -> u8 {
    eprintln!("align test: not available yet");
    super::EXIT_UNUSABLE
}
