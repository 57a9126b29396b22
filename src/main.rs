//! The `align` binary: parse the command line, run one command, exit with its status.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = align::cli::Cli::parse();
    std::process::ExitCode::from(align::cli::run(cli))
}
