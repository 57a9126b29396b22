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
    assert!(text.contains("24 passed, 0 failed"), "{text}");
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

// ------------------------------------------------------------------ conventions

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A project whose only finding is a warning, in a fresh folder.
fn one_warning() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("gtm.yaml"),
        "segments:\n  - id: s\n    name: S\n",
    )
    .expect("write");
    dir
}

#[test]
fn color_follows_the_flag_and_the_environment() {
    let dir = one_warning();
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = align();
        cmd.env_remove("NO_COLOR")
            .env_remove("FORCE_COLOR")
            .env_remove("CLICOLOR_FORCE");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.args(args).arg(dir.path()).output().expect("runs");
        text(&out.stdout).contains('\u{1b}')
    };
    assert!(!run(&["check"], &[]), "a pipe gets no colour");
    assert!(run(&["check", "--color", "always"], &[]));
    assert!(run(&["--color=always", "check"], &[]), "the flag is global");
    assert!(run(&["check"], &[("FORCE_COLOR", "1")]));
    assert!(run(&["check"], &[("CLICOLOR_FORCE", "1")]));
    assert!(!run(&["check"], &[("FORCE_COLOR", "0")]));
    assert!(
        !run(&["check"], &[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]),
        "NO_COLOR wins over FORCE_COLOR under auto"
    );
    assert!(!run(
        &["check", "--color", "never"],
        &[("FORCE_COLOR", "1")]
    ));
    assert!(run(&["check", "--color", "always"], &[("NO_COLOR", "1")]));
}

#[test]
fn short_o_writes_the_report_to_a_file() {
    let dir = one_warning();
    let report = dir.path().join("report.json");
    let out = align()
        .args(["check", "--format", "json", "-o"])
        .arg(&report)
        .arg(dir.path().join("gtm.yaml"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty(), "the report went to the file");
    let written = std::fs::read_to_string(&report).expect("report written");
    assert!(
        written.contains("listening/segment-without-evidence"),
        "{written}"
    );
}

#[test]
fn bare_align_prints_help_and_exits_two() {
    let out = align().output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let help = text(&out.stderr);
    assert!(help.contains("Usage: align"), "{help}");
    assert!(help.contains("check"), "{help}");
    let asked = align().arg("--help").output().expect("runs");
    assert_eq!(asked.status.code(), Some(0));
    assert!(text(&asked.stdout).contains("Usage: align"));
}

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef align"),
        ("fish", "complete -c align"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion"),
    ] {
        let out = align().args(["completions", shell]).output().expect("runs");
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = text(&out.stdout);
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(script.contains("check"), "{shell} completes the commands");
    }
    let wrong = align()
        .args(["completions", "tcsh"])
        .output()
        .expect("runs");
    assert_eq!(wrong.status.code(), Some(2));
}

#[test]
fn man_page_is_roff() {
    let out = align().arg("man").output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let page = text(&out.stdout);
    assert!(
        page.starts_with(".ie") || page.contains(".TH align"),
        "{page}"
    );
    assert!(page.contains("check"), "{page}");
}

#[test]
fn no_spinner_when_standard_error_is_not_a_terminal() {
    let dir = one_warning();
    let out = align().arg("check").arg(dir.path()).output().expect("runs");
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn explain_a_pack_lists_its_rules() {
    let out = align()
        .args(["explain", "listening"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let listing = text(&out.stdout);
    assert!(listing.contains("`listening` is a pack of"), "{listing}");
    assert!(
        listing.contains("listening/proposition-without-evidence"),
        "{listing}"
    );
    let unknown = align()
        .args(["explain", "listenin"])
        .output()
        .expect("runs");
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn human_report_shows_errors_first() {
    let out = align()
        .env("NO_COLOR", "1")
        .args(["check", "--today", "2026-11-26"])
        .arg(crate::support::rel("examples/ledgerly"))
        .output()
        .expect("runs");
    let report = text(&out.stdout);
    let first = |mark: &str| report.find(mark);
    let (Some(error), Some(warning)) = (first("  × "), first("  ⚠ ")) else {
        panic!("the example has errors and warnings: {report}");
    };
    assert!(error < warning, "{report}");
    if let Some(info) = first("  ☞ ") {
        assert!(warning < info, "{report}");
    }
}

#[test]
fn unclosed_flow_bracket_is_reported_where_it_opens() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("m.yaml"),
        "messages:\n  - id: m1\n    text: hello\n    features: [feat-a\n    channel: web\n",
    )
    .expect("write");
    let out = align()
        .args(["check", "--format", "concise"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let report = text(&out.stdout);
    assert!(
        report.contains("m.yaml:4:15: error load/yaml")
            && report.contains("a bracket opened here is never closed"),
        "{report}"
    );
}

#[test]
fn an_init_project_checks_and_tests_with_its_rules_named_twice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let init = align()
        .current_dir(dir.path())
        .arg("init")
        .output()
        .expect("runs");
    assert_eq!(init.status.code(), Some(0), "{}", text(&init.stderr));
    // The rules folder is in align.yaml's rules_dirs and named again: it loads once.
    let check = align()
        .current_dir(dir.path())
        .args(["check", "--rules", "rules", "."])
        .output()
        .expect("runs");
    assert_ne!(
        check.status.code(),
        Some(2),
        "{}{}",
        text(&check.stdout),
        text(&check.stderr)
    );
    assert!(!text(&check.stdout).contains("already loaded"));
    // Fixtures placed in the project are not its data.
    let fixtures = dir.path().join("fixtures").join("claims");
    std::fs::create_dir_all(&fixtures).expect("mkdir");
    std::fs::write(
        fixtures.join("fires.yaml"),
        "messages:\n  - id: msg-fixture\n    text: The fastest rota app.  # expect: overpromise/unsubstantiated-claim\n",
    )
    .expect("write");
    let again = align()
        .current_dir(dir.path())
        .args(["check", "--format", "concise"])
        .output()
        .expect("runs");
    assert!(
        !text(&again.stdout).contains("fixtures/"),
        "{}",
        text(&again.stdout)
    );
    let test = align()
        .current_dir(dir.path())
        .args(["test", "--rules", "rules", "fixtures"])
        .output()
        .expect("runs");
    assert_eq!(
        test.status.code(),
        Some(0),
        "{}{}",
        text(&test.stdout),
        text(&test.stderr)
    );
}

#[test]
fn a_suppression_of_a_rule_left_out_by_select_is_not_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("gtm.yaml"),
        "segments:\n  - id: s\n    name: S\n    ignore: [{rule: listening/segment-without-evidence, reason: new segment}]\n",
    )
    .expect("write");
    for args in [
        &["--select", "hygiene"][..],
        &["--ignore", "listening"][..],
        &[][..],
    ] {
        let out = align()
            .args(["check", "--format", "concise"])
            .args(args)
            .arg(dir.path())
            .output()
            .expect("runs");
        assert!(
            !text(&out.stdout).contains("hygiene/suppression"),
            "{args:?}: {}",
            text(&out.stdout)
        );
    }
    // A suppression naming no rule at all is still reported under --select.
    std::fs::write(
        dir.path().join("gtm.yaml"),
        "segments:\n  - id: s\n    name: S\n    ignore: [{rule: listening/segment-without-evidense, reason: typo}]\n",
    )
    .expect("write");
    let out = align()
        .args(["check", "--format", "concise", "--select", "hygiene"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(
        text(&out.stdout).contains("hygiene/suppression"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn a_dangling_proposition_is_one_finding_not_two() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("m.yaml"),
        "messages:\n  - id: m-typo\n    channel: web\n    proposition: prop-missing\n    text: Hello.\n  - id: m-none\n    channel: web\n    text: Hello again.\n",
    )
    .expect("write");
    let out = align()
        .args(["check", "--format", "concise"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let report = text(&out.stdout);
    let lines: Vec<&str> = report.lines().filter(|l| l.contains("m.yaml")).collect();
    assert_eq!(lines.len(), 2, "{report}");
    assert!(
        lines[0].contains("m.yaml:4:18: error hygiene/dangling-reference"),
        "{report}"
    );
    assert!(
        lines[1].contains("voice/message-without-proposition message `m-none`"),
        "{report}"
    );
}

#[test]
fn a_wrong_call_of_a_pack_function_exits_two_with_a_located_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("gtm.yaml"), "segments: []\n").expect("write");
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).expect("mkdir");
    std::fs::write(
        rules.join("team.align"),
        "rule r {\n  for e in evidence\n  where strength(e, 30) == \"strong\"\n}\n",
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
        text.contains(
            "team.align:3:9: error load/rules `strength` takes 1 argument, but is given 2"
        ),
        "{text}"
    );
}
