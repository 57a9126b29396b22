//! The command line as a user runs it: exit codes, formats, pinned dates.

use crate::support::align;

#[test]
fn clean_project_exits_zero() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("gtm.yaml"),
        "segments:\n  - id: s\n    name: S\nevidence:\n  - id: e\n    kind: interview\n    date: 2026-10-01\n    segment: s\n    supports: [n]\nneeds:\n  - id: n\n    statement: N\n    segment: s\n",
    )
    .expect("write");
    let out = align()
        .args(["check", "--today", "2026-11-26"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("No findings in 1 file (3 entities)."));
}

#[test]
fn warnings_fail_only_when_asked() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("gtm.yaml"),
        "segments:\n  - id: s\n    name: S\n",
    )
    .expect("write");
    let plain = align().arg("check").arg(dir.path()).output().expect("runs");
    assert_eq!(
        plain.status.code(),
        Some(0),
        "a warning alone does not fail by default"
    );
    let strict = align()
        .args(["check", "--fail-on", "warning"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn broken_rule_file_exits_two_with_a_located_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("gtm.yaml"), "segments: []\n").expect("write");
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).expect("mkdir");
    std::fs::write(
        rules.join("team.align"),
        "rule r {\n  for p in propositons\n}\n",
    )
    .expect("write");
    let out = align()
        .args(["check", "--format", "concise", "--rules"])
        .arg(&rules)
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("team.align:2:12: error load/rules `propositons` is not a kind of entity"),
        "{text}"
    );
}

#[test]
fn today_can_be_pinned() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("e.yaml"),
        "evidence:\n  - id: e\n    kind: survey\n    date: 2024-01-01\n",
    )
    .expect("write");
    let old = align()
        .args(["check", "--format", "concise", "--today", "2026-11-26"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&old.stdout).contains("hygiene/stale-evidence"));
    let fresh = align()
        .args(["check", "--format", "concise", "--today", "2024-06-01"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(!String::from_utf8_lossy(&fresh.stdout).contains("hygiene/stale-evidence"));
}

#[test]
fn missing_path_is_unusable() {
    let out = align()
        .args(["check", "no/such/folder"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_builtin_fixtures_pass_align_test_as_a_user_runs_it() {
    let out = align()
        .args(["test", "tests/fixtures"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("17 passed, 0 failed"), "{text}");
}

#[test]
fn a_bad_pattern_is_reported_once_at_its_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("gtm.yaml"), "segments: []\n").expect("write");
    let rules = dir.path().join("team.align");
    std::fs::write(
        &rules,
        "rule r {\n  for m in messages\n  where m.text matches /(unclosed/\n}\n",
    )
    .expect("write");
    let out = align()
        .args(["check", "--format", "concise", "--rules"])
        .arg(&rules)
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.matches("this pattern is not valid").count(),
        1,
        "{text}"
    );
    assert!(text.contains("team.align:3:24: error load/rules"), "{text}");
}
