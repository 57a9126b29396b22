//! `align man`: the manual page, in roff, printed to standard output.

use clap::CommandFactory;

/// Prints the manual page; exits 2 when standard output cannot be written.
pub(crate) fn run() -> u8 {
    let page = clap_mangen::Man::new(super::Cli::command());
    let mut out = std::io::stdout().lock();
    match page.render(&mut out) {
        Ok(()) => super::EXIT_CLEAN,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => super::EXIT_CLEAN,
        Err(e) => {
            eprintln!("error: could not print the manual page: {e}");
            super::EXIT_UNUSABLE
        }
    }
}
