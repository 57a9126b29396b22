//! One engine: every example and every fixture folder, and projects with mistakes in their
//! configuration and rule files, give the same findings in `align check` and in the language
//! server (rule, file, range, message and help).

use crate::lsp::Client;
use crate::support::{align, root};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A finding as both sides can say it: rule, file, start and end (line and character
/// column, 1-based), message with its help.
type Row = (String, PathBuf, (u64, u64), (u64, u64), String);

/// The team's rules of `examples/team-rules`, which its project and fixtures are checked with.
fn team_rules() -> PathBuf {
    root().join("examples/team-rules/rules")
}

/// Copies a folder (and everything under it) into a new temporary folder, so that each
/// project is checked on its own, with no `align.yaml` above it.
fn copy_of(from: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let to = dir.path().canonicalize().expect("canonical");
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("under");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
    (dir, to)
}

/// A project written from (path, text) pairs.
fn written(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let to = dir.path().canonicalize().expect("canonical");
    for (name, text) in files {
        let path = to.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
    }
    (dir, to)
}

fn message_with_help(message: &str, help: Option<&str>) -> String {
    match help {
        Some(h) => format!("{message}\nhelp: {h}"),
        None => message.to_owned(),
    }
}

/// What `align check` reports on the project in `dir` (run from inside it).
fn cli_rows(dir: &Path, args: &[&str]) -> BTreeSet<Row> {
    let out = align()
        .current_dir(dir)
        .args(["check", "--format", "json", "--fail-on", "never"])
        .args(args)
        .arg(".")
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    let mut rows = BTreeSet::new();
    for f in report["findings"].as_array().expect("findings") {
        let file = f["file"]
            .as_str()
            .unwrap_or_else(|| panic!("{}: a finding the editor cannot show: {f}", dir.display()));
        let path = dir.join(file).canonicalize().unwrap_or_else(|_| {
            panic!(
                "{}: a finding in a file the editor cannot open: {f}",
                dir.display()
            )
        });
        let n = |k: &str| f[k].as_u64().unwrap_or(0);
        rows.insert((
            f["rule"].as_str().unwrap_or("").to_owned(),
            path,
            (n("line"), n("column")),
            (n("end_line"), n("end_column")),
            message_with_help(f["message"].as_str().unwrap_or(""), f["help"].as_str()),
        ));
    }
    rows
}

/// A position on the wire (0-based line, UTF-8 byte column) as a 1-based line and character
/// column in `text`.
fn char_position(text: &str, position: &Value) -> (u64, u64) {
    let line = position["line"].as_u64().unwrap_or(0);
    let byte = position["character"].as_u64().unwrap_or(0) as usize;
    let line_text = text.split('\n').nth(line as usize).unwrap_or("");
    let chars = line_text
        .get(..byte.min(line_text.len()))
        .unwrap_or("")
        .chars()
        .count();
    (line + 1, chars as u64 + 1)
}

/// What the language server publishes for the project in `dir`, once it has loaded it.
fn lsp_rows(dir: &Path, args: &[&str]) -> BTreeSet<Row> {
    let (mut client, _) = Client::start_with(dir, true, args);
    // The server publishes every file's diagnostics before it answers anything.
    let _ = client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    let mut rows = BTreeSet::new();
    for (uri, list) in &client.latest {
        let path = align::lsp::uri::to_path(&uri.parse().expect("a URI")).expect("a file URI");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for d in list {
            rows.insert((
                d["code"].as_str().unwrap_or("").to_owned(),
                path.canonicalize().unwrap_or(path.clone()),
                char_position(&text, &d["range"]["start"]),
                char_position(&text, &d["range"]["end"]),
                d["message"].as_str().unwrap_or("").to_owned(),
            ));
        }
    }
    rows
}

/// Checks one project both ways and says how they differ.
fn assert_same(what: &str, dir: &Path, args: &[&str]) -> usize {
    let cli = cli_rows(dir, args);
    let lsp = lsp_rows(dir, args);
    let only_cli: Vec<&Row> = cli.difference(&lsp).collect();
    let only_lsp: Vec<&Row> = lsp.difference(&cli).collect();
    assert!(
        only_cli.is_empty() && only_lsp.is_empty(),
        "{what}: `align check` and the editor differ\nonly in check: {only_cli:#?}\nonly in the editor: {only_lsp:#?}"
    );
    cli.len()
}

/// The folders under `dir` that hold YAML files of their own.
fn fixture_folders(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .filter(|e| {
            std::fs::read_dir(e.path()).is_ok_and(|mut entries| {
                entries.any(|x| x.is_ok_and(|x| x.path().extension().is_some_and(|e| e == "yaml")))
            })
        })
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

#[test]
fn every_example_and_fixture_folder_gives_the_same_findings_in_check_and_the_editor() {
    let rules = team_rules();
    let rules = rules.to_str().expect("utf-8 path");
    let with_team = ["--rules", rules];
    let mut folders: Vec<(PathBuf, &[&str])> = vec![
        (root().join("examples/ledgerly"), &[]),
        (root().join("examples/team-rules"), &with_team),
    ];
    folders.extend(
        fixture_folders(&root().join("tests/fixtures"))
            .into_iter()
            .map(|f| (f, &[][..])),
    );
    folders.extend(
        fixture_folders(&root().join("examples/team-rules/fixtures"))
            .into_iter()
            .map(|f| (f, &with_team[..])),
    );
    assert!(folders.len() >= 32, "{} folders", folders.len());
    let mut findings = 0;
    for (folder, args) in &folders {
        let (_keep, copy) = copy_of(folder);
        findings += assert_same(&folder.display().to_string(), &copy, args);
    }
    assert!(
        findings > 100,
        "the folders have findings to compare: {findings}"
    );
}

const DATA: &str = "segments:\n  - id: s\n    name: S\nevidence:\n  - id: e\n    kind: interview\n    date: 2020-01-01\n    segment: s\n";

#[test]
fn mistakes_in_configuration_and_rule_files_read_the_same_in_check_and_the_editor() {
    let deep = format!(
        "rule r {{\n  for p in propositions\n  where {}some p.id{}\n}}\n",
        "(".repeat(2000),
        ")".repeat(2000)
    );
    let cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "an option of the wrong type",
            vec![(
                "align.yaml",
                "rules:\n  hygiene/stale-evidence: { options: { stale_days: soon } }\n",
            )],
        ),
        (
            "a pack named as a rule",
            vec![("align.yaml", "rules: {voice: off}\n")],
        ),
        (
            "unknown names",
            vec![(
                "align.yaml",
                "packs: [listening, fitt]\nrules:\n  hygiene/stale-evidnce: off\n  hygiene/stale-evidence: { options: { stale_dayz: 3 } }\n",
            )],
        ),
        (
            "a missing rules folder",
            vec![("align.yaml", "rules_dirs: [rules]\n")],
        ),
        (
            "a rule file with mistakes",
            vec![
                ("align.yaml", "rules_dirs: [rules]\n"),
                (
                    "rules/team.align",
                    "rule r {\n  for p in propositons\n  where p.statment\n}\n",
                ),
            ],
        ),
        (
            "a rule file nested too deeply",
            vec![
                ("align.yaml", "rules_dirs: [rules]\n"),
                ("rules/deep.align", &deep),
            ],
        ),
        (
            "bad data",
            vec![
                ("bad.yaml", "segments: [\n"),
                (
                    "typed.yaml",
                    "needs:\n  - id: n\n    statement: [1]\n    segmnet: s\n",
                ),
            ],
        ),
        (
            "suppressions",
            vec![(
                "s.yaml",
                "segments:\n  - id: t  # align-ignore: listening/segment-without-evidence -- new\n    name: T\n  - id: u  # align-ignore: fit/nothing\n    name: U\n    ignore: [hygiene/unknown-field]\n",
            )],
        ),
        (
            "over the entity cap",
            vec![("align.yaml", "limits: { max_entities: 1 }\n")],
        ),
    ];
    for (what, files) in cases {
        let mut files = files;
        files.push(("data.yaml", DATA));
        let (_keep, dir) = written(&files);
        let rows = cli_rows(&dir, &[]);
        assert_same(what, &dir, &[]);
        let rules: BTreeSet<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        let expected = if what == "suppressions" {
            "hygiene/suppression"
        } else {
            "load/"
        };
        assert!(
            rules.iter().any(|r| r.starts_with(expected)),
            "{what}: {expected} findings to compare: {rules:?}"
        );
        if what == "an option of the wrong type" {
            // The rule still runs, with its default, in both.
            assert!(rules.contains("hygiene/stale-evidence"), "{rules:?}");
        }
    }
}
