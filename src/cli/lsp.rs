//! `align lsp`: the language server (diagnostics, navigation and quick fixes in editors).

use clap::Args;
use std::time::Duration;

/// Arguments of `align lsp`.
#[derive(Debug, Args)]
pub(crate) struct LspArgs {
    /// How often, in milliseconds, files the editor does not hold open are checked for
    /// changes (for editors that do not report them).
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    pub(crate) poll_ms: u64,
    /// A folder (or file) of your own `.align` rules besides the configuration's
    /// `rules_dirs`, as `align check --rules` takes it; may be repeated.
    #[arg(long = "rules", value_name = "DIR")]
    pub(crate) rules: Vec<std::path::PathBuf>,
}

/// Runs `align lsp` over standard input and output. Exits 0 after the client's shutdown and
/// exit, 1 when the connection ends any other way.
pub(crate) fn run(args: &LspArgs) -> u8 {
    let options = crate::lsp::Options {
        poll: Duration::from_millis(args.poll_ms.max(50)),
        rules: args.rules.clone(),
    };
    match crate::lsp::run_stdio(&options) {
        Ok(()) => super::EXIT_CLEAN,
        Err(e) => {
            eprintln!("align lsp: {e}");
            super::EXIT_FINDINGS
        }
    }
}
