//! Bad input never hurts: every malformed, hostile or odd file gets a located, plain-language
//! finding, the other files are still checked, nothing hangs or runs out of memory, and
//! nothing align reads is ever written.

use crate::support::{align, brief, from_texts, today};
use align::finding::Finding;
use align::project::{LoadOptions, Workspace};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A valid file whose findings must survive any neighbour.
const VALID: &str = "propositions:\n  - id: p1\n    statement: We help.\n    segment: s1\n";

/// `(rule, line, column, message)` of every finding in one file.
type Brief = Vec<(String, usize, usize, String)>;

/// Loads a folder as `align check` does, from outside it.
fn load_dir(dir: &Path) -> (Workspace, Vec<Finding>) {
    let ws = Workspace::load(&LoadOptions {
        paths: vec![dir.to_path_buf()],
        today: Some(today()),
        ..LoadOptions::default()
    });
    let findings = ws.check();
    (ws, findings)
}

/// The findings of the file whose shown path ends with `name`.
fn in_file(ws: &Workspace, findings: &[Finding], name: &str) -> Brief {
    let mine: Vec<Finding> = findings
        .iter()
        .filter(|f| {
            f.span
                .is_some_and(|s| ws.sources.path(s.file).to_string_lossy().ends_with(name))
        })
        .cloned()
        .collect();
    brief(ws, &mine)
}

/// What the valid file reports when it is alone.
fn valid_alone() -> Brief {
    let ws = from_texts(&[("valid.yaml", VALID)], &[]);
    let findings = ws.check();
    brief(&ws, &findings)
}

/// Checks that a message reads as a sentence, not as a parser's debug output.
fn assert_plain(message: &str) {
    for debug in ["budget breached", " { ", "Depth", "Error"] {
        assert!(
            !message.contains(debug),
            "message is not plain language: {message}"
        );
    }
    for position in ["line ", "column "] {
        assert!(
            !message
                .split(position)
                .skip(1)
                .any(|rest| rest.starts_with(|c: char| c.is_ascii_digit())),
            "the position is the report's to show: {message}"
        );
    }
    assert!(message.len() > 20, "message says too little: {message}");
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("folder");
    }
    std::fs::write(&path, bytes).expect("write");
    path
}

fn corpus() -> PathBuf {
    crate::support::root().join("tests/corpora/yaml-test-suite-errors")
}

// ---------------------------------------------------------------------------------------------
// Malformed YAML
// ---------------------------------------------------------------------------------------------

#[test]
fn every_invalid_case_of_the_yaml_test_suite_is_located_and_the_valid_file_still_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(corpus()).expect("corpus") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|x| x == "yaml") {
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            std::fs::copy(&path, dir.path().join(&name)).expect("copy");
            cases.push(name);
        }
    }
    assert!(cases.len() >= 90, "the corpus is there: {}", cases.len());
    write(dir.path(), "zz-valid.yaml", VALID);

    let (ws, findings) = load_dir(dir.path());
    assert!(
        ws.unusable,
        "a file that cannot be read makes the run unusable"
    );
    let mut rejected = 0;
    for case in &cases {
        let text = std::fs::read(dir.path().join(case)).expect("read");
        let lines = text.split(|b| *b == b'\n').count();
        for (rule, line, column, message) in in_file(&ws, &findings, case) {
            if rule != "load/yaml" {
                continue;
            }
            rejected += 1;
            assert!(
                line >= 1 && line <= lines && column >= 1,
                "{case}: located inside the file, got {line}:{column}"
            );
            assert!(message.starts_with("this file could not be read as YAML: "));
            assert_plain(message.trim_start_matches("this file could not be read as YAML: "));
        }
    }
    // A parser may accept a handful of the cases; most must be rejected.
    assert!(rejected >= 85, "only {rejected} cases were rejected");
    let mut valid = in_file(&ws, &findings, "zz-valid.yaml");
    let mut alone = valid_alone();
    valid.sort();
    alone.sort();
    assert_eq!(
        valid, alone,
        "the valid file's findings are all still there"
    );
}

#[test]
fn the_binary_reports_the_corpus_without_panicking() {
    let out = align()
        .args([
            "check",
            "--format",
            "json",
            "tests/corpora/yaml-test-suite-errors",
        ])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(2),
        "unusable input is exit status 2"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let findings = json["findings"].as_array().expect("findings");
    assert!(findings.iter().all(|f| f["line"].as_u64() >= Some(1)));
}

#[test]
fn duplicate_keys_are_located_and_plain() {
    let ws = from_texts(
        &[
            (
                "dup.yaml",
                "segments:\n  - id: s1\n    name: A\n    name: B\n",
            ),
            ("valid.yaml", VALID),
        ],
        &[],
    );
    let findings = ws.check();
    let dup = in_file(&ws, &findings, "dup.yaml");
    assert_eq!(dup.len(), 1, "{dup:?}");
    let (rule, line, column, message) = &dup[0];
    assert_eq!(rule, "load/yaml");
    assert_eq!((*line, *column), (4, 5), "at the second `name`");
    assert!(message.contains("`name` appears twice"), "{message}");
    assert_plain(message);
    assert!(findings.iter().any(|f| {
        f.help
            .as_deref()
            .is_some_and(|h| h.contains("remove or rename"))
    }));
    assert!(!in_file(&ws, &findings, "valid.yaml").is_empty());
}

// ---------------------------------------------------------------------------------------------
// Resource limits
// ---------------------------------------------------------------------------------------------

/// Loads one hostile text beside the valid file and returns the hostile file's findings.
fn hostile(text: &str) -> Brief {
    let ws = from_texts(&[("hostile.yaml", text), ("valid.yaml", VALID)], &[]);
    let findings = ws.check();
    let mut valid = in_file(&ws, &findings, "valid.yaml");
    let mut alone = valid_alone();
    valid.sort();
    alone.sort();
    assert_eq!(valid, alone, "the valid file is still checked");
    in_file(&ws, &findings, "hostile.yaml")
}

fn only_yaml_error(found: &Brief) -> &str {
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "load/yaml", "{found:?}");
    assert!(found[0].1 >= 1);
    assert_plain(&found[0].3);
    &found[0].3
}

#[test]
fn a_billion_laughs_is_stopped() {
    let mut text = String::from("segments:\n  - id: s\n    name: x\n");
    text.push_str(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = 'a';
    for c in "bcdefghi".chars() {
        let refs = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("{c}: &{c} [{refs}]\n"));
        prev = c;
    }
    let found = hostile(&text);
    let message = only_yaml_error(&found);
    assert!(message.contains("billion laughs"), "{message}");
}

#[test]
fn deep_nesting_is_stopped_before_the_stack_runs_out() {
    let depth = 200_000;
    let cases = [
        format!("segments: {}{}\n", "[".repeat(depth), "]".repeat(depth)),
        format!("segments: {}1{}\n", "{a: ".repeat(depth), "}".repeat(depth)),
        format!("segments: {}\n", "{".repeat(depth)),
        format!("segments:\n{}x\n", "- ".repeat(depth)),
        (0..1000)
            .map(|i| format!("{}- \n", "  ".repeat(i)))
            .collect::<String>(),
    ];
    for text in &cases {
        let found = hostile(text);
        let message = only_yaml_error(&found);
        assert!(message.contains("nested"), "{message}");
    }
}

#[test]
fn a_very_long_text_is_left_out_and_the_rest_of_the_file_kept() {
    let long = "word ".repeat(300_000);
    let text = format!(
        "segments:\n  - id: s1\n    name: S\n    description: \"{long}\"\n  - id: s2\n    name: T\n"
    );
    let ws = from_texts(&[("long.yaml", &text)], &[]);
    let findings = ws.check();
    let load: Vec<_> = brief(&ws, &findings)
        .into_iter()
        .filter(|(r, ..)| r.starts_with("load/"))
        .collect();
    assert_eq!(load.len(), 1, "{load:?}");
    assert_eq!((load[0].1, load[0].2), (4, 18), "at the long value");
    assert!(load[0].3.contains("1.4 MB long"), "{}", load[0].3);
    assert_eq!(ws.model.len(), 2, "both segments are kept");
}

#[test]
fn many_entities_on_one_long_line_load() {
    let n = 5_000;
    let items: Vec<String> = (0..n).map(|i| format!("{{id: s{i}, name: n}}")).collect();
    let text = format!("segments: [{}]\n", items.join(", "));
    let ws = from_texts(&[("line.yaml", &text)], &[]);
    let findings = ws.check();
    assert_eq!(ws.model.len(), n);
    // The last segment's finding is on line 1, at its own column.
    let last = format!("s{}", n - 1);
    // Reported at the segment's name, the last `n` of the line.
    let at = text.rfind("n}").expect("there");
    let b = brief(&ws, &findings);
    let last_found: Vec<_> = b
        .iter()
        .filter(|(_, _, _, m)| m.contains(&format!("`{last}`")))
        .collect();
    assert!(
        last_found
            .iter()
            .any(|(_, line, col, _)| *line == 1 && *col == at + 1),
        "the column of the last entity is right: {at} {last_found:?}"
    );
}

#[test]
fn a_file_over_the_size_cap_is_reported_and_the_others_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "align.yaml", "limits: { max_file_mb: 1 }\n");
    let big = format!(
        "segments:\n  - id: s1\n    name: \"{}\"\n",
        "x".repeat(2 << 20)
    );
    write(dir.path(), "big.yaml", big);
    write(dir.path(), "valid.yaml", VALID);
    let (ws, findings) = load_dir(dir.path());
    let big = in_file(&ws, &findings, "big.yaml");
    assert_eq!(big.len(), 1, "{big:?}");
    assert!(
        big[0].3.contains("2.0 MB, more than the 1.0 MB"),
        "{}",
        big[0].3
    );
    assert!(ws.unusable);
    let mut valid = in_file(&ws, &findings, "valid.yaml");
    let mut alone = valid_alone();
    valid.sort();
    alone.sort();
    assert_eq!(valid, alone);
    let help = findings
        .iter()
        .find_map(|f| f.help.clone().filter(|h| h.contains("max_file_mb")));
    assert!(help.is_some(), "the help says how to raise the cap");
}

#[test]
fn a_thirty_megabyte_data_file_loads_by_default() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from("evidence:\n");
    let quote = "We moved our whole finance team onto it in a week and month-end close went from five days to two, which nobody believed until they saw it. ".repeat(3);
    let mut n = 0;
    while text.len() < 30 << 20 {
        text.push_str(&format!(
            "  - id: e{n}\n    kind: interview\n    date: 2026-01-01\n    quote: \"{quote}\"\n"
        ));
        n += 1;
    }
    write(dir.path(), "big.yaml", &text);
    let ws = Workspace::load(&LoadOptions {
        paths: vec![dir.path().to_path_buf()],
        today: Some(today()),
        select: vec!["hygiene/duplicate-id".to_owned()],
        ..LoadOptions::default()
    });
    assert!(
        ws.load_findings.is_empty(),
        "{:?}",
        ws.load_findings.first()
    );
    assert_eq!(ws.model.len(), n);
}

#[test]
fn over_the_entity_cap_nothing_is_checked_and_one_finding_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "align.yaml", "limits:\n  max_entities: 2\n");
    write(
        dir.path(),
        "s.yaml",
        "segments:\n  - id: s1\n    name: A\n  - id: s2\n    name: B\n  - id: s3\n    name: C\n",
    );
    write(
        dir.path(),
        "p.yaml",
        "propositions:\n  - id: p1\n    statement: S\n    segment: s3\n",
    );
    let (ws, findings) = load_dir(dir.path());
    assert_eq!(ws.model.len(), 0, "no partial model");
    assert_eq!(
        findings.len(),
        1,
        "one finding, none from a partial model: {findings:?}"
    );
    let b = in_file(&ws, &findings, "s.yaml");
    let cap = &b[0];
    assert_eq!(cap.0, "load/model");
    assert!(
        cap.3.contains("4 entities")
            && cap.3.contains("the 2 align checks")
            && cap.3.contains("`limits.max_entities`"),
        "{cap:?}"
    );
    // p.yaml is read first: its p1 and s.yaml's s1 are the two the cap allows.
    assert_eq!(
        (cap.1, cap.2),
        (4, 9),
        "at `s2`, the first one past the cap"
    );
    assert!(
        findings[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("max_entities: 100000")),
        "{:?}",
        findings[0].help
    );
    assert!(ws.unusable);
    let out = align()
        .args(["check", "--fail-on", "never"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn bad_limits_in_the_configuration_are_located() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "align.yaml",
        "limits:\n  max_file_mb: lots\n  max_entitys: 5\n",
    );
    write(dir.path(), "valid.yaml", VALID);
    let (ws, findings) = load_dir(dir.path());
    let b = in_file(&ws, &findings, "align.yaml");
    assert_eq!(b.len(), 2, "{b:?}");
    assert_eq!((b[0].1, b[0].2), (2, 16));
    assert!(b[0].3.contains("whole number"));
    assert_eq!((b[1].1, b[1].2), (3, 3));
    assert!(
        findings
            .iter()
            .any(|f| f.help.as_deref() == Some("did you mean `max_entities`?"))
    );
}

// ---------------------------------------------------------------------------------------------
// Everything else a folder can hold
// ---------------------------------------------------------------------------------------------

#[test]
fn text_that_is_not_utf8_is_located_at_the_bad_byte() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "latin1.yaml",
        b"segments:\n  - id: s3\n    name: caf\xe9\n",
    );
    write(
        dir.path(),
        "image.yaml",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01",
    );
    write(dir.path(), "valid.yaml", VALID);
    let (ws, findings) = load_dir(dir.path());
    let latin = in_file(&ws, &findings, "latin1.yaml");
    assert_eq!(latin.len(), 1, "{latin:?}");
    assert_eq!((latin[0].1, latin[0].2), (3, 14), "at the é");
    assert!(latin[0].3.contains("not UTF-8"), "{}", latin[0].3);
    let image = in_file(&ws, &findings, "image.yaml");
    assert_eq!(image.len(), 1, "{image:?}");
    assert!(image[0].3.contains("binary file"), "{}", image[0].3);
    assert!(!in_file(&ws, &findings, "valid.yaml").is_empty());
    assert!(ws.unusable);
}

#[test]
fn a_byte_order_mark_is_no_problem_and_columns_stay_right() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "bom.yaml",
        "\u{feff}propositions:\n  - id: p1\n    statement: We help.\n    segment: s1\n",
    );
    let (ws, findings) = load_dir(dir.path());
    assert!(ws.load_findings.is_empty());
    let mut b = in_file(&ws, &findings, "bom.yaml");
    let mut alone = valid_alone();
    b.sort();
    alone.sort();
    assert_eq!(b, alone);
}

/// A team rule that underlines one word wherever a message says it.
const WORD_RULE: (&str, &str) = (
    "team.align",
    "pack team \"Words\"\n\nrule zork {\n  for m in messages\n  report matches(m.text, words(\"zork\")) \"said {match}\"\n}\n",
);

/// `(line, column, end_line, end_column)` of every `team/zork` finding.
fn zork_positions(ws: &Workspace, findings: &[Finding]) -> Vec<(usize, usize, usize, usize)> {
    findings
        .iter()
        .filter(|f| f.rule == "team/zork")
        .filter_map(|f| {
            let (a, b) = ws.sources.range(f.span?)?;
            Some((a.line, a.column, b.line, b.column))
        })
        .collect()
}

/// The true position of the n-th `zork` in a text, as 1-based line and character column.
fn true_positions(text: &str) -> Vec<(usize, usize, usize, usize)> {
    text.match_indices("zork")
        .map(|(at, _)| {
            let before = &text[..at];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            (line, col, line, col + 4)
        })
        .collect()
}

#[test]
fn crlf_line_ends_keep_word_positions_right() {
    let text = "messages:\r\n  - id: m1\r\n    text: we zork daily\r\n  - id: m2\r\n    text: \"first line\r\n      then zork\"\r\n  - id: m3\r\n    text: |\r\n      one\r\n      two zork\r\n  - id: m4\r\n    text: >\r\n      one\r\n      two zork\r\n";
    let ws = from_texts(&[("crlf.yaml", text)], &[WORD_RULE]);
    let findings = ws.check();
    assert!(ws.load_findings.is_empty(), "{:?}", ws.load_findings);
    assert_eq!(zork_positions(&ws, &findings), true_positions(text));
}

#[test]
fn empty_files_and_documents_are_not_data() {
    let ws = from_texts(
        &[
            ("empty.yaml", ""),
            ("blank.yaml", "\n\n   \n"),
            ("docs.yaml", "---\n---\n...\n"),
            ("comments.yaml", "# nothing here\n"),
            ("nulls.yaml", "segments:\nneeds: ~\n"),
            ("valid.yaml", VALID),
        ],
        &[],
    );
    let findings = ws.check();
    assert!(ws.load_findings.is_empty(), "{:?}", ws.load_findings);
    assert!(!ws.unusable);
    let mut b = brief(&ws, &findings);
    let mut alone = valid_alone();
    b.sort();
    alone.sort();
    assert_eq!(b, alone);
}

#[test]
fn null_entities_and_ids_are_located() {
    let ws = from_texts(
        &[(
            "nulls.yaml",
            "segments:\n  - ~\n  - null\n  - id: ~\n    name: A\n  - id:\n    name: B\n  - name: C\n  - id: ok\n    name: D\n",
        )],
        &[],
    );
    let findings = ws.check();
    let load: Brief = brief(&ws, &findings)
        .into_iter()
        .filter(|(r, ..)| r == "load/model")
        .collect();
    let lines: Vec<usize> = load.iter().map(|l| l.1).collect();
    assert_eq!(lines, vec![2, 3, 4, 6, 8], "{load:?}");
    assert!(load[0].3.contains("should be a mapping with an `id`"));
    assert!(load[2].3.contains("`id` should be text"));
    assert!(load[4].3.contains("has no `id`"));
    assert_eq!(ws.model.len(), 1, "the good segment is kept");
}

#[test]
fn wrong_types_in_every_field_are_located() {
    // (file text, line of the mistake, what the message says)
    let cases: &[(&str, usize, &str)] = &[
        ("segments: 5\n", 1, "should be a list of segments"),
        ("messages: {id: x}\n", 1, "should be a list of messages"),
        (
            "segments:\n  - id: s\n    name: [a]\n",
            3,
            "`name` should be",
        ),
        (
            "segments:\n  - id: s\n    name: N\n    size: [1]\n",
            4,
            "`size` should be",
        ),
        (
            "needs:\n  - id: n\n    statement: S\n    priority: urgent\n",
            4,
            "`urgent` is not a valid `priority`",
        ),
        (
            "needs:\n  - id: n\n    statement: S\n    kind: 3\n",
            4,
            "`kind` should be",
        ),
        (
            "needs:\n  - id: n\n    statement: S\n    segment: [a, b]\n",
            4,
            "`segment` should be",
        ),
        (
            "evidence:\n  - id: e\n    kind: interview\n    date: soon\n",
            4,
            "`soon` is not a date",
        ),
        (
            "evidence:\n  - id: e\n    kind: interview\n    date: 2026-01-01\n    supports: 5\n",
            5,
            "`supports` should be",
        ),
        (
            "evidence:\n  - id: e\n    kind: interview\n    date: 2026-01-01\n    supports: [1, x]\n",
            5,
            "each item of `supports`",
        ),
        (
            "evidence:\n  - id: e\n    kind: chat\n    date: 2026-01-01\n",
            3,
            "`chat` is not a valid `kind`",
        ),
        (
            "evidence:\n  - id: e\n    kind: survey\n    date: 2026-01-01\n    sample_size: many\n",
            5,
            "`sample_size` should be",
        ),
        (
            "evidence:\n  - id: e\n    kind: survey\n    date: [2026]\n",
            4,
            "`date` should be",
        ),
        (
            "features:\n  - id: f\n    name: F\n    status: shipped\n    facts: [1, 2]\n",
            5,
            "`facts` should be",
        ),
        (
            "features:\n  - id: f\n    name: F\n    status: shipped\n    facts: {uptime_pct: high}\n",
            5,
            "fact `uptime_pct` should be a measured number",
        ),
        (
            "features:\n  - id: f\n    name: F\n    status: done\n",
            4,
            "`done` is not a valid `status`",
        ),
        (
            "propositions:\n  - id: p\n    statement: {a: 1}\n",
            3,
            "`statement` should be",
        ),
        (
            "messages:\n  - id: m\n    text: T\n    claims: yes\n",
            4,
            "`claims` should be",
        ),
        (
            "messages:\n  - id: m\n    text: T\n    claims: [{evidence: [e]}]\n",
            4,
            "claim has no `text`",
        ),
        (
            "messages:\n  - id: m\n    text: T\n    ignore: [5]\n",
            4,
            "each suppression should look like",
        ),
        (
            "messages:\n  - id: m\n    text: T\n    tags: {a: b}\n",
            4,
            "`tags` should be",
        ),
        (
            "messages:\n  - id: m\n    text: T\n    [a]: b\n",
            4,
            "field names should be text",
        ),
    ];
    for (text, line, says) in cases {
        let ws = from_texts(&[("t.yaml", text)], &[]);
        let findings = ws.check();
        let load: Brief = brief(&ws, &findings)
            .into_iter()
            .filter(|(r, ..)| r.starts_with("load/"))
            .collect();
        assert_eq!(load.len(), 1, "{text:?}: {load:?}");
        assert_eq!(load[0].0, "load/model", "{text:?}");
        assert_eq!(load[0].1, *line, "{text:?}: {load:?}");
        assert!(load[0].3.contains(says), "{text:?}: {}", load[0].3);
    }
}

#[cfg(unix)]
#[test]
fn links_that_loop_or_dangle_and_unreadable_files_are_reported_and_the_run_goes_on() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "valid.yaml", VALID);
    symlink("nowhere.yaml", root.join("dangling.yaml")).expect("link");
    symlink("self.yaml", root.join("self.yaml")).expect("link");
    symlink("b.yaml", root.join("a.yaml")).expect("link");
    symlink("a.yaml", root.join("b.yaml")).expect("link");
    std::fs::create_dir(root.join("sub")).expect("dir");
    symlink("..", root.join("sub/up")).expect("link");
    // A folder whose name looks like a data file is walked like any folder.
    write(
        root,
        "folder.yaml/inner.yaml",
        "segments:\n  - id: s9\n    name: S\n",
    );
    let locked = write(root, "locked.yaml", "segments:\n  - id: s8\n    name: S\n");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    // Whoever can still open it (root) is not held back by permissions.
    let privileged = std::fs::File::open(&locked).is_ok();

    let (ws, findings) = load_dir(root);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let said = |name: &str| -> String {
        let b = in_file(&ws, &findings, name);
        assert_eq!(b.len(), 1, "{name}: {b:?}");
        assert_eq!(b[0].0, "load/yaml");
        b[0].3.clone()
    };
    assert!(said("dangling.yaml").contains("symbolic link to something that does not exist"));
    assert!(said("self.yaml").contains("loops back on itself"));
    assert!(said("a.yaml").contains("loops back on itself"));
    assert!(said("sub/up").contains("loops back to a folder above it"));
    if privileged {
        assert!(ws.model.lookup(align::model::Kind::Segment, "s8").is_some());
    } else {
        assert!(said("locked.yaml").contains("permission denied"));
    }
    assert!(ws.model.lookup(align::model::Kind::Segment, "s9").is_some());
    assert!(
        in_file(&ws, &findings, "folder.yaml")
            .iter()
            .all(|f| !f.0.starts_with("load/"))
    );
    let mut valid = in_file(&ws, &findings, "valid.yaml");
    let mut alone = valid_alone();
    valid.sort();
    alone.sort();
    assert_eq!(valid, alone);
    assert!(ws.unusable);
}

// ---------------------------------------------------------------------------------------------
// Rule files and configuration
// ---------------------------------------------------------------------------------------------

#[test]
fn mistakes_in_rule_files_are_located() {
    let cases: &[(&str, usize)] = &[
        ("rule r {\n  for m in mesages\n  report \"x\"\n}\n", 2),
        (
            "rule r {\n  for m in messages\n  where m.txt has any words(\"a\")\n}\n",
            3,
        ),
        (
            "rule r {\n  for m in messages\n  where no frobnicate(m.text)\n}\n",
            3,
        ),
        (
            "rule r {\n  for m in messages\n  where m.text matches /(unclosed/\n}\n",
            3,
        ),
        (
            "rule r {\n  for m in messages\n  where len(m.text, 2) > 1\n}\n",
            3,
        ),
        ("rule r {\n  for m in messages\n  where m.text ==\n}\n", 4),
        ("rule r {\n  for m in messages\n", 2),
        ("rule r {\n  severity fatal\n}\n", 2),
        ("let x = words(\"\")\n", 1),
        ("\u{0}\u{1}garbage", 1),
    ];
    for (text, line) in cases {
        let ws = from_texts(&[("valid.yaml", VALID)], &[("team.align", text)]);
        let findings = ws.check();
        let errors: Brief = brief(&ws, &findings)
            .into_iter()
            .filter(|(r, ..)| r == "load/rules")
            .collect();
        assert!(!errors.is_empty(), "{text:?} gives a located error");
        assert_eq!(errors[0].1, *line, "{text:?}: {errors:?}");
        assert!(ws.unusable, "{text:?}");
        assert!(
            brief(&ws, &findings)
                .iter()
                .any(|(r, ..)| r == "listening/proposition-without-evidence"),
            "{text:?}: the data is still checked with the built-in rules"
        );
    }
}

/// Rule files nested far deeper than anyone writes: 2,000 parentheses, 10,000 `not`s, a
/// chain of 10,000 `and`s and 2,000 `+`s, and parentheses inside a report's `{...}`.
fn deep_rule_files() -> Vec<(&'static str, String, (usize, usize))> {
    let head = "pack deep \"D\"\n\nrule r {\n  for p in propositions\n  where ";
    let tail = "\n  report \"x\"\n}\n";
    vec![
        (
            "parentheses",
            format!(
                "{head}{}some p.id{}{tail}",
                "(".repeat(2000),
                ")".repeat(2000)
            ),
            (5, 9 + 64),
        ),
        (
            "nots",
            format!("{head}{}some p.id{tail}", "not ".repeat(10_000)),
            (5, 9 + 64 * 4),
        ),
        (
            "chains",
            format!(
                "{head}{} and 1{} > 0{tail}",
                vec!["some p.id"; 10_000].join(" and "),
                " + 1".repeat(2000)
            ),
            (5, 9),
        ),
        (
            "interpolation",
            format!(
                "pack deep \"D\"\n\nrule r {{\n  for p in propositions\n  report \"{{{}p.id{}}}\"\n}}\n",
                "(".repeat(2000),
                ")".repeat(2000)
            ),
            (5, 12 + 64),
        ),
    ]
}

#[test]
fn deeply_nested_rule_files_are_located_errors_not_crashes() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "data.yaml", VALID);
    for (what, text, (line, column)) in deep_rule_files() {
        let rule = write(dir.path(), &format!("{what}.align"), &text);
        let out = align()
            .arg("check")
            .args(["--format", "json", "--rules"])
            .arg(&rule)
            .arg(dir.path())
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{what}: {out:?}");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
        let findings = report["findings"].as_array().expect("findings");
        let error = findings
            .iter()
            .find(|f| f["rule"] == "load/rules")
            .unwrap_or_else(|| panic!("{what}: no load/rules finding"));
        assert!(
            error["message"]
                .as_str()
                .is_some_and(|m| m.contains("levels deep")),
            "{what}: {error}"
        );
        assert_plain(error["message"].as_str().unwrap_or(""));
        if what != "chains" {
            assert_eq!(
                (error["line"].as_u64(), error["column"].as_u64()),
                (Some(line as u64), Some(column as u64)),
                "{what}: at the level past the limit"
            );
        } else {
            assert_eq!(error["line"].as_u64(), Some(line as u64), "{what}");
        }
        assert!(
            findings
                .iter()
                .any(|f| f["rule"] == "listening/proposition-without-evidence"),
            "{what}: the data is still checked with the built-in rules"
        );
    }
}

#[test]
fn a_rule_nested_to_the_limit_still_runs() {
    let rule = format!(
        "pack deep \"D\"\n\nrule r {{\n  for p in propositions\n  where {}some p.id{}\n  report \"deep\"\n}}\n",
        "(not not ".repeat(21),
        ")".repeat(21)
    );
    let ws = from_texts(&[("valid.yaml", VALID)], &[("team.align", &rule)]);
    assert!(!ws.unusable, "{:?}", ws.load_findings);
    let findings = ws.check();
    assert!(findings.iter().any(|f| f.rule == "deep/r"), "{findings:?}");
}

#[test]
fn a_huge_regex_is_a_located_error() {
    let rule = "pack team \"T\"\n\nrule r {\n  for m in messages\n  where m.text matches /(a{1000}){1000}/\n  report \"x\"\n}\n";
    let ws = from_texts(&[("valid.yaml", VALID)], &[("team.align", rule)]);
    let findings = ws.check();
    let errors: Brief = brief(&ws, &findings)
        .into_iter()
        .filter(|(r, ..)| r == "load/rules")
        .collect();
    assert!(!errors.is_empty());
    for (_, line, column, message) in &errors {
        assert_eq!((*line, *column), (5, 24), "at the pattern");
        assert!(message.contains("it is too large"), "{message}");
    }
}

#[test]
fn a_rule_that_would_explode_is_stopped_and_reported() {
    let mut data = String::from("segments:\n  - id: s1\n    name: S\nneeds:\n");
    for i in 0..2000 {
        data.push_str(&format!(
            "  - id: n{i}\n    statement: N\n    segment: s1\n"
        ));
    }
    let rule = "pack team \"T\"\n\nrule boom {\n  for s in segments\n  where any a in s.needs.segment.needs: any b in s.needs.segment.needs: any c in s.needs: a.id == \"none\"\n  report \"never\"\n}\n";
    let ws = from_texts(&[("data.yaml", &data)], &[("team.align", rule)]);
    let findings = ws.check();
    let stopped: Brief = brief(&ws, &findings)
        .into_iter()
        .filter(|(r, ..)| r == "load/rules")
        .collect();
    assert_eq!(stopped.len(), 1, "{stopped:?}");
    assert_eq!((stopped[0].1, stopped[0].2), (3, 6), "at the rule's name");
    assert!(
        stopped[0].3.contains("`team/boom` was stopped"),
        "{}",
        stopped[0].3
    );
}

#[test]
fn a_stopped_rule_reports_nothing_computed_from_cut_off_values() {
    // The last need of every segment says "key", so `any ... == "key"` holds and the rule
    // never fires; cut short, the `any` would be false and its `not` true.
    let mut data = String::from("segments:\n");
    for s in 0..3 {
        data.push_str(&format!("  - id: s{s}\n    name: S\n"));
    }
    data.push_str("needs:\n");
    for i in 0..3000 {
        let statement = if i >= 2997 { "key" } else { "N" };
        data.push_str(&format!(
            "  - id: n{i}\n    statement: {statement}\n    segment: s{}\n",
            i % 3
        ));
    }
    let rule = "pack team \"T\"\n\nrule boom {\n  for s in segments\n  where not (any a in s.needs.segment.needs: a.statement == \"key\")\n  report \"never\"\n}\n\nrule fine {\n  for s in segments\n  where some s.needs\n  report \"has needs\"\n}\n";
    let ws = from_texts(&[("data.yaml", &data)], &[("team.align", rule)]);
    let findings = ws.check();
    let of = |id: &str| findings.iter().filter(|f| f.rule == id).count();
    assert_eq!(of("team/boom"), 0, "no finding from a cut-off evaluation");
    assert_eq!(of("team/fine"), 3, "the other rule is complete");
    let stopped: Vec<&Finding> = findings.iter().filter(|f| f.rule == "load/rules").collect();
    assert_eq!(stopped.len(), 1, "{stopped:?}");
    assert!(stopped[0].message.contains("`team/boom` was stopped"));
}

#[test]
fn a_let_that_would_take_too_long_is_a_located_error() {
    // Comparing two lists compares every pair: 9 million steps, past a `let`'s budget.
    let list = format!(
        "[{}]",
        (0..3000)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let rule = format!(
        "pack team \"T\"\n\nlet big = {list} == {list}\n\nrule r {{\n  for s in segments\n  where big\n  report \"x\"\n}}\n"
    );
    let ws = from_texts(&[("valid.yaml", VALID)], &[("team.align", &rule)]);
    assert!(ws.unusable);
    let findings = ws.check();
    let errors: Brief = brief(&ws, &findings)
        .into_iter()
        .filter(|(r, ..)| r == "load/rules")
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((errors[0].1, errors[0].2), (3, 5), "at the let's name");
    assert!(
        errors[0].3.contains("`let big` would take too long"),
        "{errors:?}"
    );
}

#[test]
fn mistakes_in_the_configuration_are_located() {
    let cases: &[(&str, usize)] = &[
        ("includ: [\"*.yaml\"]\n", 1),
        ("include: 5\n", 1),
        ("exclude: [1]\n", 1),
        ("packs: [listening, fitt]\n", 1),
        ("rules:\n  hygiene/stale-evidence: loud\n", 2),
        ("rules:\n  hygiene/stale-evidence: { severity: 3 }\n", 2),
        (
            "rules:\n  hygiene/stale-evidence: { options: { stale_dayz: 3 } }\n",
            2,
        ),
        ("rules:\n  nope/nothing: off\n", 2),
        ("rules: [a]\n", 1),
        ("today: tomorrow\n", 1),
        ("limits: 5\n", 1),
        ("[unclosed\n", 1),
        ("- a list\n", 1),
        ("a: 1\na: 2\n", 2),
    ];
    for (text, line) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "align.yaml", text);
        write(dir.path(), "valid.yaml", VALID);
        let (ws, findings) = load_dir(dir.path());
        let b = in_file(&ws, &findings, "align.yaml");
        assert!(!b.is_empty(), "{text:?}");
        assert!(b.iter().all(|f| f.0 == "load/config"), "{text:?}: {b:?}");
        assert_eq!(b[0].1, *line, "{text:?}: {b:?}");
        assert!(ws.unusable, "{text:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Nothing is written; exit status
// ---------------------------------------------------------------------------------------------

/// Every file under a folder with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().expect("metadata");
            let bytes = std::fs::read(e.path()).expect("read");
            (
                e.path().to_path_buf(),
                (bytes, meta.modified().expect("mtime")),
            )
        })
        .collect()
}

#[test]
fn check_never_writes_to_what_it_reads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let example = crate::support::root().join("examples/ledgerly");
    for entry in walkdir::WalkDir::new(&example)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&example).expect("inside");
            let bytes = std::fs::read(entry.path()).expect("read");
            write(dir.path(), &rel.to_string_lossy(), bytes);
        }
    }
    write(dir.path(), "broken.yaml", "segments: [\n");
    write(
        dir.path(),
        "crlf.yaml",
        "segments:\r\n  - id: c1\r\n    name: C\r\n",
    );
    write(
        dir.path(),
        "bom.yaml",
        "\u{feff}segments:\n  - id: b1\n    name: B\n",
    );
    let before = snapshot(dir.path());
    for format in ["human", "json", "concise"] {
        let out = align()
            .current_dir(dir.path())
            .args(["check", "--format", format, "."])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{format}");
    }
    assert_eq!(snapshot(dir.path()), before, "no file changed, none added");
}

#[test]
fn exit_status_says_findings_and_unusable_input_apart() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "clean/ok.yaml",
        "segments:\n  - id: s1\n    name: S\n    ignore: [{rule: listening/segment-without-evidence, reason: new market}]\n",
    );
    write(dir.path(), "findings/p.yaml", VALID);
    write(dir.path(), "unusable/p.yaml", VALID);
    write(dir.path(), "unusable/broken.yaml", "segments: [\n");
    let code = |sub: &str| {
        align()
            .current_dir(dir.path())
            .args(["check", "--format", "concise", sub])
            .output()
            .expect("runs")
            .status
            .code()
    };
    assert_eq!(code("clean"), Some(0));
    assert_eq!(code("findings"), Some(1));
    assert_eq!(
        code("unusable"),
        Some(2),
        "unusable input wins over findings"
    );
}

// ---------------------------------------------------------------------------------------------
// Span arithmetic, for any scalar style
// ---------------------------------------------------------------------------------------------

mod spans {
    use super::{WORD_RULE, true_positions, zork_positions};
    use crate::support::from_texts;
    use proptest::prelude::*;

    /// How a message's text is written in YAML.
    #[derive(Debug, Clone, Copy)]
    enum Style {
        Plain,
        Single,
        Double,
        Literal,
        Folded,
    }

    fn style() -> impl Strategy<Value = Style> {
        prop_oneof![
            Just(Style::Plain),
            Just(Style::Single),
            Just(Style::Double),
            Just(Style::Literal),
            Just(Style::Folded),
        ]
    }

    /// Words that never spell the target (no `z`), and per style, tokens with escapes.
    fn token(style: Style) -> BoxedStrategy<String> {
        let word = "[a-y]{1,8}".prop_map(String::from);
        match style {
            Style::Double => prop_oneof![
                4 => word,
                1 => Just("\\\"quoted\\\"".to_owned()),
                1 => Just("back\\\\slash".to_owned()),
                1 => Just("tab\\there".to_owned()),
                1 => Just("\\u00e9t\\u00e9".to_owned()),
                1 => Just("café".to_owned()),
            ]
            .boxed(),
            Style::Single => prop_oneof![
                4 => word,
                1 => Just("it''s".to_owned()),
                1 => Just("''".to_owned()),
                1 => Just("naïve".to_owned()),
            ]
            .boxed(),
            _ => prop_oneof![4 => word, 1 => Just("über".to_owned())].boxed(),
        }
    }

    /// A message text: tokens with the target word somewhere, split over lines.
    fn case() -> impl Strategy<Value = (Style, Vec<String>, usize, Vec<bool>, bool)> {
        style().prop_flat_map(|style| {
            (
                Just(style),
                proptest::collection::vec(token(style), 1..12),
                0usize..12,
                proptest::collection::vec(proptest::bool::weighted(0.3), 13),
                any::<bool>(),
            )
        })
    }

    /// The YAML file holding the message.
    fn yaml(style: Style, tokens: &[String], at: usize, breaks: &[bool], crlf: bool) -> String {
        let mut words: Vec<&str> = tokens.iter().map(String::as_str).collect();
        words.insert(at.min(words.len()), "zork");
        let nl = if crlf { "\r\n" } else { "\n" };
        let indent = "      ";
        let mut body = String::new();
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                if breaks.get(i).copied().unwrap_or(false) {
                    body.push_str(nl);
                    body.push_str(indent);
                } else {
                    body.push(' ');
                }
            }
            body.push_str(w);
        }
        let text = match style {
            Style::Plain => format!("we {body}"),
            Style::Single => format!("'{body}'"),
            Style::Double => format!("\"{body}\""),
            Style::Literal => format!("|{nl}{indent}{body}"),
            Style::Folded => format!(">{nl}{indent}{body}"),
        };
        format!("messages:{nl}  - id: m1{nl}    text: {text}{nl}  - id: m2{nl}    text: after{nl}")
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        #[test]
        fn a_matched_word_is_reported_at_its_own_characters(
            (style, tokens, at, breaks, crlf) in case()
        ) {
            let text = yaml(style, &tokens, at, &breaks, crlf);
            let ws = from_texts(&[("m.yaml", &text)], &[WORD_RULE]);
            prop_assert!(ws.load_findings.is_empty(), "{:?}\n{}", ws.load_findings, text);
            let findings = ws.check();
            prop_assert_eq!(zork_positions(&ws, &findings), true_positions(&text), "{}", text);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reports stay readable and bounded
// ---------------------------------------------------------------------------------------------

#[test]
fn a_finding_far_along_a_very_long_line_is_shown_cropped_at_its_true_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let filler = "calm words ".repeat(20_000);
    write(
        dir.path(),
        "data/m.yaml",
        format!("messages:\n  - id: m1\n    text: {filler}zork\n"),
    );
    write(dir.path(), "rules/team.align", WORD_RULE.1);
    let out = align()
        .current_dir(dir.path())
        .args(["check", "--rules", "rules", "data"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let column = "    text: ".len() + filler.len() + 1;
    assert!(
        stdout.contains(&format!("m.yaml:3:{column}]")),
        "the header gives the true position"
    );
    assert!(
        stdout.len() < 20_000,
        "the line is cropped, not printed whole"
    );
}

#[test]
fn one_rule_reports_a_bounded_number_of_findings() {
    let text = format!(
        "messages:\n  - id: m1\n    text: {}\n",
        "zork ".repeat(align::engine::MAX_FINDINGS_PER_RULE + 100)
    );
    let ws = from_texts(&[("m.yaml", &text)], &[WORD_RULE]);
    let findings = ws.check();
    let zork: Vec<&Finding> = findings.iter().filter(|f| f.rule == "team/zork").collect();
    assert_eq!(zork.len(), align::engine::MAX_FINDINGS_PER_RULE + 1);
    assert!(zork.iter().any(|f| {
        f.message
            .starts_with("100 more findings of `team/zork` are not shown")
    }));
}

#[test]
fn hostile_page_files_are_bounded_and_only_pages_are_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "valid.yaml", VALID);
    // An image named `.html`, a Latin-1 README and a binary `.md`: not pages, never reported.
    write(
        dir.path(),
        "site/logo.html",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    );
    write(
        dir.path(),
        "README.md",
        b"# Caf\xe9\n\nThe fastest, guaranteed.\n",
    );
    write(dir.path(), "notes.md", b"\x00\x01\x02\x03");
    // A 20 MB page: its fields are read, its text is not, and a finding says so.
    let mut big = String::from("---\nalign:\n  id: page-big\n---\n");
    while big.len() < 20 << 20 {
        big.push_str("Guaranteed savings for every team, every month. ");
    }
    write(dir.path(), "site/big.md", &big);
    // Deeply nested HTML: no recursion, no tree kept.
    let deep = format!(
        "<meta name=\"align:id\" content=\"page-deep\">{}We never lose an invoice.{}",
        "<div><span>".repeat(100_000),
        "</span></div>".repeat(100_000)
    );
    write(dir.path(), "site/deep.html", &deep);
    // Front matter that does not close, and front matter nested too deep.
    write(dir.path(), "site/open.md", "---\nalign:\n  id: page-open\n");
    let nested = format!("+++\n[align]\nid = {}\n+++\n", "[".repeat(1_000));
    write(dir.path(), "site/nested.md", &nested);
    let started = std::time::Instant::now();
    let (ws, findings) = load_dir(dir.path());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
    for name in ["logo.html", "README.md", "notes.md"] {
        assert!(
            in_file(&ws, &findings, name).is_empty(),
            "{name} is not a page"
        );
    }
    let big: Brief = in_file(&ws, &findings, "big.md")
        .into_iter()
        .filter(|f| f.0.starts_with("load/"))
        .collect();
    assert_eq!(big.len(), 1, "{big:?}");
    assert_eq!(big[0].0, "load/page");
    assert!(big[0].3.contains("20 MB"), "{}", big[0].3);
    assert_plain(&big[0].3);
    let deep = in_file(&ws, &findings, "deep.html");
    assert!(
        deep.iter()
            .any(|f| f.0 == "overpromise/unsubstantiated-claim"),
        "{deep:?}"
    );
    let open = in_file(&ws, &findings, "open.md");
    assert_eq!(open.len(), 1, "{open:?}");
    assert!(open[0].3.contains("never closed"), "{}", open[0].3);
    let nested = in_file(&ws, &findings, "nested.md");
    assert!(
        nested
            .iter()
            .any(|f| f.0 == "load/page" && f.3.contains("levels deep")),
        "{nested:?}"
    );
    assert_eq!(in_file(&ws, &findings, "valid.yaml"), valid_alone());
}
