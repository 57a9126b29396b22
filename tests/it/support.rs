//! Helpers shared by the integration tests.

#![allow(dead_code)]

use align::date::{Date, parse_date};
use align::finding::Finding;
use align::project::{LoadOptions, Workspace};
use std::path::{Path, PathBuf};

/// The fixed date every test runs on.
pub fn today() -> Date {
    parse_date("2026-11-26").expect("valid date")
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path under the repository root, relative (as a user would type it from the root).
pub fn rel(path: &str) -> PathBuf {
    PathBuf::from(path)
}

/// Loads a folder as `align check` would, with the test date, from the repository root.
pub fn load(path: &Path) -> Workspace {
    std::env::set_current_dir(root()).expect("repository root");
    Workspace::load(&LoadOptions {
        paths: vec![path.to_path_buf()],
        today: Some(today()),
        ..LoadOptions::default()
    })
}

/// Loads in-memory files (data, then rule files) with the built-in packs.
pub fn from_texts(data: &[(&str, &str)], rules: &[(&str, &str)]) -> Workspace {
    Workspace::from_texts(data, rules, today())
}

/// `(rule, line, column, message)` of each finding, in order.
pub fn brief(ws: &Workspace, findings: &[Finding]) -> Vec<(String, usize, usize, String)> {
    findings
        .iter()
        .map(|f| {
            let (line, col) = f
                .span
                .and_then(|s| ws.sources.range(s))
                .map(|(a, _)| (a.line, a.column))
                .unwrap_or((0, 0));
            (f.rule.clone(), line, col, f.message.clone())
        })
        .collect()
}

/// The `align` binary, run from the repository root with colour off.
pub fn align() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("align").expect("binary built");
    cmd.current_dir(root())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100");
    cmd
}
