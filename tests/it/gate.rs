//! align as a CI gate, through the binary: configuration mistakes, rule selection and
//! `--fail-on`, every output format, `--output`, suppressions, baselines, `align init`, and
//! the CI recipes in `examples/ci/`.

use crate::support::align;
use std::path::Path;
use std::process::Output;

// ----- helpers -----

/// A temporary project with these files (path, text).
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
    }
    dir
}

/// A temporary project written by `align init`.
fn starter() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = align()
        .current_dir(dir.path())
        .arg("init")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    dir
}

/// Runs `align` with these arguments inside a folder.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    align().current_dir(dir).args(args).output().expect("runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The rule ids of a JSON report's findings, in order.
fn rules_of(out: &Output) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// A small clean project: a segment, a need and evidence about both.
const CLEAN: &str = "segments:\n  - id: s\n    name: S\nneeds:\n  - id: n\n    statement: N\n    segment: s\nevidence:\n  - id: e\n    kind: interview\n    date: 2026-10-01\n    segment: s\n    supports: [n]\n";

/// A config mistake is a located `load/config` error with this help, and exit 2.
fn config_error(config: &str, location: &str, message: &str, help: &str) {
    let dir = project(&[("align.yaml", config), ("gtm.yaml", CLEAN)]);
    let out = run_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "{config}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let found = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "load/config" && f["message"] == message)
        .unwrap_or_else(|| panic!("no `{message}` in {json:#}"));
    let at = format!(
        "{}:{}:{}",
        found["file"].as_str().unwrap_or_default(),
        found["line"],
        found["column"]
    );
    assert_eq!(at, location, "{config}");
    assert_eq!(found["help"].as_str().unwrap_or(""), help, "{config}");
}

// ----- configuration -----

#[test]
fn unknown_setting_suggests_the_close_one() {
    config_error(
        "exclud: [drafts]\n",
        "align.yaml:1:1",
        "`exclud` is not a setting of align.yaml",
        "did you mean `exclude`?",
    );
    config_error(
        "colour: red\n",
        "align.yaml:1:1",
        "`colour` is not a setting of align.yaml",
        "the settings are: include, exclude, rules_dirs, packs, rules, today, limits, pages",
    );
}

#[test]
fn unknown_rule_id_in_config_suggests_the_close_one() {
    config_error(
        "rules:\n  listening/proposition-without-evidense: off\n",
        "align.yaml:2:3",
        "there is no rule `listening/proposition-without-evidense`",
        "did you mean `listening/proposition-without-evidence`?",
    );
    config_error(
        "rules:\n  voice: off\n",
        "align.yaml:2:3",
        "`voice` is a pack, not a rule",
        "`rules` sets one rule at a time (`voice/rule-name`); to turn the whole pack off, leave it out of `packs`",
    );
}

#[test]
fn bad_severity_suggests_the_close_one() {
    config_error(
        "rules:\n  hygiene/stale-evidence: { severity: warn }\n",
        "align.yaml:2:39",
        "`warn` is not a severity",
        "did you mean `warning`?",
    );
    config_error(
        "rules:\n  hygiene/stale-evidence: of\n",
        "align.yaml:2:27",
        "`of` is not a severity",
        "did you mean `off`?",
    );
    config_error(
        "rules:\n  hygiene/stale-evidence: { severty: error }\n",
        "align.yaml:2:29",
        "`severty` is not a rule setting",
        "did you mean `severity`?",
    );
}

#[test]
fn unknown_pack_suggests_the_close_one() {
    config_error(
        "packs: [listening, overpromis]\n",
        "align.yaml:1:20",
        "there is no pack `overpromis`",
        "did you mean `overpromise`?",
    );
}

#[test]
fn bad_options_are_located() {
    config_error(
        "rules:\n  hygiene/stale-evidence: { options: { stale_dayz: 10 } }\n",
        "align.yaml:2:3",
        "rule `hygiene/stale-evidence` has no option `stale_dayz`",
        "did you mean `stale_days`?",
    );
    config_error(
        "rules:\n  hygiene/stale-evidence: { options: { stale_days: soon } }\n",
        "align.yaml:2:3",
        "option `stale_days` of rule `hygiene/stale-evidence` should be a number, but it is text",
        "its default is 730",
    );
}

#[test]
fn bad_values_are_located() {
    config_error(
        "today: yesterday\n",
        "align.yaml:1:8",
        "`today` should be a date like 2026-11-26",
        "write the date as YYYY-MM-DD, or leave `today` out to use the date of each run",
    );
    config_error(
        "rules_dirs: [team-rules]\n",
        "align.yaml:1:14",
        "the rules folder `team-rules` does not exist",
        "`rules_dirs` is read from the folder of the configuration, so this names team-rules; create it, or remove it from the list",
    );
}

#[test]
fn every_config_mistake_is_reported_at_once() {
    let dir = project(&[
        (
            "align.yaml",
            "exclud: [x]\npacks: [listenin]\nrules:\n  hygiene/stale-evidence: { severity: warn }\n  fit/nope: off\n",
        ),
        ("gtm.yaml", CLEAN),
    ]);
    let out = run_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(rules_of(&out), ["load/config"; 4]);
}

#[test]
fn config_severity_options_packs_and_today_take_effect() {
    let data = "segments:\n  - id: s\n    name: S\nevidence:\n  - id: e\n    kind: survey\n    date: 2026-01-01\n    segment: s\n";
    // Default: evidence from 2026-01-01 is not stale on 2026-11-26 (730 days).
    let plain = project(&[("align.yaml", "today: 2026-11-26\n"), ("gtm.yaml", data)]);
    assert!(rules_of(&run_in(plain.path(), &["check", "--format", "json"])).is_empty());
    // An option makes it stale, a severity makes it fail.
    let strict = project(&[
        (
            "align.yaml",
            "today: 2026-11-26\nrules:\n  hygiene/stale-evidence: { severity: error, options: { stale_days: 100 } }\n",
        ),
        ("gtm.yaml", data),
    ]);
    let out = run_in(strict.path(), &["check", "--format", "json"]);
    assert_eq!(rules_of(&out), ["hygiene/stale-evidence"]);
    assert_eq!(out.status.code(), Some(1));
    // `off` turns it off; `today` from the config is what made it stale above.
    let off = project(&[
        (
            "align.yaml",
            "today: 2026-11-26\nrules:\n  hygiene/stale-evidence: off\n",
        ),
        (
            "gtm.yaml",
            data.replace("2026-01-01", "2020-01-01").as_str(),
        ),
    ]);
    assert!(rules_of(&run_in(off.path(), &["check", "--format", "json"])).is_empty());
    // Packs: leaving `listening` out silences segment-without-evidence.
    let no_evidence = "segments:\n  - id: s\n    name: S\n";
    let all = project(&[("gtm.yaml", no_evidence)]);
    assert_eq!(
        rules_of(&run_in(all.path(), &["check", "--format", "json"])),
        ["listening/segment-without-evidence"]
    );
    let packs = project(&[
        ("align.yaml", "packs: [fit, voice]\n"),
        ("gtm.yaml", no_evidence),
    ]);
    assert!(rules_of(&run_in(packs.path(), &["check", "--format", "json"])).is_empty());
}

#[test]
fn include_and_exclude_choose_the_files() {
    let dup = "segments:\n  - id: s\n    name: S\n";
    let dir = project(&[
        (
            "align.yaml",
            "exclude: [drafts/**]\nrules:\n  listening/segment-without-evidence: off\n",
        ),
        ("a.yaml", dup),
        ("drafts/b.yaml", dup),
    ]);
    assert!(rules_of(&run_in(dir.path(), &["check", "--format", "json"])).is_empty());
    let included = project(&[
        (
            "align.yaml",
            "include: [\"**/*.gtm.yaml\"]\nrules:\n  listening/segment-without-evidence: off\n",
        ),
        ("a.gtm.yaml", dup),
        ("b.yaml", dup),
    ]);
    assert!(rules_of(&run_in(included.path(), &["check", "--format", "json"])).is_empty());
    let both = project(&[
        (
            "align.yaml",
            "rules:\n  listening/segment-without-evidence: off\n",
        ),
        ("a.yaml", dup),
        ("drafts/b.yaml", dup),
    ]);
    assert_eq!(
        rules_of(&run_in(both.path(), &["check", "--format", "json"])),
        ["hygiene/duplicate-id"; 2]
    );
}

#[test]
fn patterns_match_characters_and_classes_and_bad_ones_are_located() {
    let dup = "segments:\n  - id: s\n    name: S\n";
    let config = "include: [\"caf?.yaml\", \"b[ab].yaml\"]\nrules:\n  listening/segment-without-evidence: off\n";
    let dir = project(&[
        ("align.yaml", config),
        ("café.yaml", dup),
        ("ba.yaml", dup),
        ("bc.yaml", dup),
    ]);
    let out = run_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(
        rules_of(&out),
        ["hygiene/duplicate-id"; 2],
        "café.yaml and ba.yaml, not bc.yaml"
    );
    let bad = project(&[
        ("align.yaml", "exclude: [\"drafts/[a\"]\n"),
        ("a.yaml", CLEAN),
    ]);
    let out = run_in(bad.path(), &["check", "--format", "concise"]);
    assert_eq!(out.status.code(), Some(2));
    let report = text(&out.stdout);
    assert!(
        report.contains(
            "align.yaml:1:11: error load/config `drafts/[a` in `exclude` is not a pattern"
        ),
        "{report}"
    );
}

#[test]
fn files_gitignore_leaves_out_are_not_checked_unless_asked() {
    let dup = "segments:\n  - id: s\n    name: S\n";
    let dir = project(&[
        (
            "align.yaml",
            "rules:\n  listening/segment-without-evidence: off\n",
        ),
        (".gitignore", "generated/\n"),
        ("a.yaml", dup),
        ("generated/b.yaml", dup),
    ]);
    assert!(rules_of(&run_in(dir.path(), &["check", "--format", "json"])).is_empty());
    assert_eq!(
        rules_of(&run_in(
            dir.path(),
            &["check", "--format", "json", "--no-ignore"]
        )),
        ["hygiene/duplicate-id"; 2]
    );
}

// ----- selection and --fail-on -----

#[test]
fn select_and_ignore_take_rule_ids_and_packs() {
    let ledgerly = |args: &[&str]| {
        let mut all = vec!["check", "examples/ledgerly", "--format", "json"];
        all.extend_from_slice(args);
        let out = align().args(&all).output().expect("runs");
        let mut rules = rules_of(&out);
        rules.sort();
        rules.dedup();
        rules
    };
    assert_eq!(
        ledgerly(&["--select", "voice"]),
        [
            "voice/message-feature-outside-proposition",
            "voice/message-without-proposition"
        ]
    );
    assert_eq!(
        ledgerly(&["--select", "fit/unaddressed-need,hygiene/stale-evidence"]),
        ["fit/unaddressed-need", "hygiene/stale-evidence"]
    );
    let ignored = ledgerly(&[
        "--ignore",
        "overpromise",
        "--ignore",
        "hygiene/duplicate-id",
    ]);
    assert!(!ignored.iter().any(|r| r.starts_with("overpromise/")));
    assert!(!ignored.contains(&"hygiene/duplicate-id".to_owned()));
    assert!(ignored.contains(&"hygiene/dangling-reference".to_owned()));
    assert_eq!(
        ledgerly(&[
            "--select",
            "listening",
            "--ignore",
            "listening/contradicted-proposition"
        ]),
        [
            "listening/anecdotal-evidence",
            "listening/proposition-without-evidence",
            "listening/segment-without-evidence"
        ]
    );
}

#[test]
fn unknown_selection_is_an_error_with_a_suggestion() {
    let out = align()
        .args(["check", "examples/ledgerly", "--select", "listning"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        text(&out.stderr),
        "error: `--select listning` names no rule or pack of align\n  help: did you mean `listening`?\n"
    );
    let out = align()
        .args([
            "check",
            "examples/ledgerly",
            "--ignore",
            "overpromise/unsubstantiated-claims",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("did you mean `overpromise/unsubstantiated-claim`?"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn fail_on_sets_the_threshold() {
    // One warning (segment without evidence) and one info (stale evidence).
    let dir = project(&[(
        "gtm.yaml",
        "segments:\n  - id: s\n    name: S\n  - id: t\n    name: T\nevidence:\n  - id: e\n    kind: survey\n    date: 2020-01-01\n    segment: s\n",
    )]);
    let status = |fail_on: &str| {
        run_in(
            dir.path(),
            &["check", "--today", "2026-11-26", "--fail-on", fail_on],
        )
        .status
        .code()
    };
    assert_eq!(status("error"), Some(0));
    assert_eq!(status("warning"), Some(1));
    assert_eq!(status("info"), Some(1));
    assert_eq!(status("never"), Some(0));
    let info_only = run_in(
        dir.path(),
        &[
            "check",
            "--today",
            "2026-11-26",
            "--fail-on",
            "warning",
            "--ignore",
            "listening",
        ],
    );
    assert_eq!(info_only.status.code(), Some(0), "an info is below warning");
    let info = run_in(
        dir.path(),
        &[
            "check",
            "--today",
            "2026-11-26",
            "--fail-on",
            "info",
            "--ignore",
            "listening",
        ],
    );
    assert_eq!(info.status.code(), Some(1));
    // Unusable input is 2 whatever the threshold.
    let broken = project(&[("gtm.yaml", "segments: [\n")]);
    assert_eq!(
        run_in(broken.path(), &["check", "--fail-on", "never"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn a_gate_on_nothing_fails() {
    let empty = project(&[("notes.yaml", "title: not go-to-market data\n")]);
    let out = run_in(empty.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let finding = &json["findings"][0];
    assert_eq!(finding["rule"], "load/model");
    let message = finding["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("nothing to check") && message.contains("`.`"),
        "{message}"
    );
    let human = run_in(empty.path(), &["check", "."]);
    assert_eq!(human.status.code(), Some(2));
    assert!(text(&human.stdout).contains("--allow-empty"));
    // A mistyped folder names itself.
    let typo = run_in(empty.path(), &["check", "--format", "json", "gtm-data"]);
    assert_eq!(typo.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&typo.stdout).expect("valid JSON");
    assert!(
        json["findings"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("gtm-data")),
        "{json}"
    );
    // The rare team that wants it says so.
    let allowed = run_in(empty.path(), &["check", "--allow-empty"]);
    assert_eq!(allowed.status.code(), Some(0), "{}", text(&allowed.stdout));
}

#[test]
fn a_load_model_finding_exits_2_in_every_format() {
    // One field of the wrong type: the entity is still checked, the input is not all usable.
    let dir = project(&[(
        "gtm.yaml",
        "segments:\n  - id: s\n    name: S\n    size: [1, 2]\nevidence:\n  - id: e\n    kind: interview\n    date: 2026-10-01\n    segment: s\n",
    )]);
    for format in ["human", "concise", "json", "sarif", "github", "junit"] {
        for fail_on in ["error", "never"] {
            let out = run_in(
                dir.path(),
                &["check", "--format", format, "--fail-on", fail_on],
            );
            assert_eq!(out.status.code(), Some(2), "{format}, --fail-on {fail_on}");
            assert!(text(&out.stdout).contains("load/model"), "{format}");
        }
    }
}

// ----- formats on the example -----

fn ledgerly(format: &str) -> Output {
    let out = align()
        .args(["check", "examples/ledgerly", "--format", format])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    out
}

#[test]
fn concise_report_of_the_example() {
    insta::assert_snapshot!("ledgerly_concise", text(&ledgerly("concise").stdout));
}

#[test]
fn github_report_of_the_example() {
    let out = text(&ledgerly("github").stdout);
    for line in out.lines().filter(|l| l.starts_with("::")) {
        let (command, rest) = line[2..].split_once(' ').expect("properties");
        assert!(["error", "warning", "notice"].contains(&command), "{line}");
        let (props, message) = rest.split_once("::").expect("message");
        assert!(!message.contains('\n') && !message.contains('\r'));
        let keys: Vec<&str> = props
            .split(',')
            .map(|p| p.split_once('=').expect("key=value").0)
            .collect();
        // Columns only within one line, as the runner accepts them.
        let one_line = ["file", "line", "col", "endLine", "endColumn", "title"];
        let lines = ["file", "line", "endLine", "title"];
        assert!(keys == one_line || keys == lines, "{line}");
    }
    assert!(
        out.contains(
            "::error file=examples/ledgerly/propositions.yaml,line=60,endLine=61,title=listening/proposition-without-evidence::"
        ),
        "a finding over two lines gives lines alone"
    );
    // `%` in a message is escaped, as the runner requires.
    assert!(out.contains("`99.99%25` is more than"), "{out}");
    insta::assert_snapshot!("ledgerly_github", out);
}

#[test]
fn junit_report_of_the_example() {
    let out = text(&ledgerly("junit").stdout);
    let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let cases: Vec<_> = root
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    // One test case per rule in force: all 24 built-in rules.
    assert_eq!(cases.len(), 24);
    assert_eq!(root.attribute("tests"), Some("24"));
    let failures: Vec<_> = root
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    let json: serde_json::Value =
        serde_json::from_slice(&ledgerly("json").stdout).expect("valid JSON");
    let findings = json["findings"].as_array().expect("findings");
    assert_eq!(failures.len(), findings.len(), "a failure per finding");
    // Each failure sits in its rule's test case and carries the message and severity.
    let mut from_xml: Vec<(String, String, String)> = failures
        .iter()
        .map(|f| {
            let case = f.parent_element().expect("in a test case");
            (
                case.attribute("name").unwrap_or_default().to_owned(),
                f.attribute("message").unwrap_or_default().to_owned(),
                f.attribute("type").unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let mut from_json: Vec<(String, String, String)> = findings
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
            (s("rule"), s("message"), s("severity"))
        })
        .collect();
    from_xml.sort();
    from_json.sort();
    assert_eq!(from_xml, from_json);
    insta::assert_snapshot!("ledgerly_junit", out);
}

#[test]
fn junit_lists_rules_that_did_not_fire_as_passing() {
    let dir = project(&[("gtm.yaml", CLEAN)]);
    let out = run_in(
        dir.path(),
        &["check", "--format", "junit", "--today", "2026-11-26"],
    );
    assert_eq!(out.status.code(), Some(0));
    let xml = text(&out.stdout);
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let cases = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .count();
    assert_eq!(cases, 24);
    assert_eq!(doc.root_element().attribute("failures"), Some("0"));
    assert!(!xml.contains("<failure"));
}

// ----- SARIF -----

fn sarif_validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            crate::support::root().join("tests/schemas/sarif-schema-2.1.0.json"),
        )
        .expect("schema copied into tests/schemas"),
    )
    .expect("schema is JSON");
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

fn assert_valid_sarif(log: &serde_json::Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF: {errors:#?}");
}

#[test]
fn sarif_of_the_example_validates_against_the_schema() {
    let log: serde_json::Value =
        serde_json::from_slice(&ledgerly("sarif").stdout).expect("valid JSON");
    assert_valid_sarif(&log);
    // The check is real: a wrong level is caught.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!sarif_validator().is_valid(&broken));
    insta::assert_json_snapshot!("ledgerly_sarif", log);
}

#[test]
fn sarif_lists_every_rule_in_force_with_its_documentation() {
    let dir = project(&[
        (
            "align.yaml",
            "rules:\n  hygiene/stale-evidence: { severity: warning }\n  fit/feature-without-need: off\n",
        ),
        ("gtm.yaml", CLEAN),
    ]);
    let out = run_in(
        dir.path(),
        &["check", "--format", "sarif", "--today", "2026-11-26"],
    );
    assert_eq!(out.status.code(), Some(0));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_valid_sarif(&log);
    let run = &log["runs"][0];
    assert_eq!(run["results"].as_array().map(Vec::len), Some(0));
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 23, "24 built-in rules, one turned off");
    assert!(!rules.iter().any(|r| r["id"] == "fit/feature-without-need"));
    let rule = |id: &str| {
        rules
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id} listed"))
    };
    let p = rule("listening/proposition-without-evidence");
    assert_eq!(p["name"], "proposition-without-evidence");
    assert_eq!(
        p["shortDescription"]["text"],
        "Proposition has no customer evidence"
    );
    assert!(
        p["fullDescription"]["text"]
            .as_str()
            .is_some_and(|d| d.contains("## Why it matters"))
    );
    assert!(
        p["help"]["text"]
            .as_str()
            .is_some_and(|h| h.contains("## What it flags"))
    );
    assert_eq!(p["defaultConfiguration"]["level"], "error");
    // The configured severity is the level in force.
    assert_eq!(
        rule("hygiene/stale-evidence")["defaultConfiguration"]["level"],
        "warning"
    );
}

#[test]
fn sarif_results_have_regions_and_stable_fingerprints() {
    let message = "messages:\n  - id: m\n    text: Guaranteed savings, always.\n    proposition: p\npropositions:\n  - id: p\n    statement: P\n    segment: s\n    evidence: [e]\nsegments:\n  - id: s\n    name: S\nevidence:\n  - id: e\n    kind: interview\n    date: 2026-10-01\n    segment: s\n";
    let sarif = |data: &str| {
        let dir = project(&[("gtm.yaml", data)]);
        let out = run_in(
            dir.path(),
            &["check", "--format", "sarif", "--today", "2026-11-26"],
        );
        let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
        assert_valid_sarif(&log);
        log["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter(|r| r["ruleId"] == "overpromise/unsubstantiated-claim")
            .map(|r| {
                let region = &r["locations"][0]["physicalLocation"]["region"];
                (
                    r["partialFingerprints"]["alignIdentity/v1"]
                        .as_str()
                        .expect("fingerprint")
                        .to_owned(),
                    [
                        region["startLine"].as_u64(),
                        region["startColumn"].as_u64(),
                        region["endLine"].as_u64(),
                        region["endColumn"].as_u64(),
                    ],
                )
            })
            .collect::<Vec<_>>()
    };
    let before = sarif(message);
    assert_eq!(before.len(), 2, "`Guaranteed` and `always`");
    assert_eq!(before[0].1, [Some(3), Some(11), Some(3), Some(21)]);
    assert_ne!(
        before[0].0, before[1].0,
        "each result has its own fingerprint"
    );
    // Lines move; the fingerprints do not.
    let moved = sarif(&format!("# A comment\n\n{message}"));
    assert_eq!(moved[0].1, [Some(5), Some(11), Some(5), Some(21)]);
    let prints =
        |v: &[(String, [Option<u64>; 4])]| v.iter().map(|r| r.0.clone()).collect::<Vec<_>>();
    assert_eq!(prints(&before), prints(&moved));
}

#[test]
fn sarif_of_unusable_input_is_still_valid() {
    let dir = project(&[
        ("bad.yaml", "segments: [\n"),
        ("align.yaml", "packs: [nope]\n"),
    ]);
    let out = run_in(dir.path(), &["check", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(2));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_valid_sarif(&log);
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
    let ids: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["ruleId"].as_str())
        .collect();
    assert_eq!(ids, ["load/config", "load/yaml"]);
}

#[test]
fn sarif_schema_copy_is_the_official_one() {
    let schema = std::fs::read_to_string(
        crate::support::root().join("tests/schemas/sarif-schema-2.1.0.json"),
    )
    .expect("schema");
    assert!(schema.contains(
        "\"title\": \"Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema\""
    ));
}

// ----- --output -----

#[test]
fn output_writes_the_report_to_a_file() {
    let dir = starter();
    let out = run_in(
        dir.path(),
        &["check", "--format", "sarif", "--output", "align.sarif"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty(), "nothing on standard output");
    let written = std::fs::read_to_string(dir.path().join("align.sarif")).expect("written");
    let log: serde_json::Value = serde_json::from_str(&written).expect("valid JSON");
    assert_valid_sarif(&log);
    // The file is replaced on the next run (align does not read it).
    let again = run_in(
        dir.path(),
        &["check", "--format", "concise", "--output", "align.sarif"],
    );
    assert_eq!(again.status.code(), Some(0));
    let concise = std::fs::read_to_string(dir.path().join("align.sarif")).expect("written");
    assert!(
        concise.contains("warning overpromise/unsubstantiated-claim"),
        "{concise}"
    );
}

#[test]
fn output_never_overwrites_a_file_align_read() {
    let dir = starter();
    for target in ["segments.yaml", "align.yaml", "rules/house.align"] {
        let before = std::fs::read_to_string(dir.path().join(target)).expect("exists");
        let out = run_in(dir.path(), &["check", "--output", target]);
        assert_eq!(out.status.code(), Some(2), "{target}");
        assert!(
            text(&out.stderr).contains("it reads that file as input"),
            "{}",
            text(&out.stderr)
        );
        let after = std::fs::read_to_string(dir.path().join(target)).expect("exists");
        assert_eq!(before, after, "{target} untouched");
    }
}

// ----- suppressions -----

const SUPPRESSED: &str = r#"segments:
  - id: s1
    name: First
    ignore: [{rule: listening/segment-without-evidence}]
  - id: s2
    name: Second
    ignore: [{rule: listening, reason: "research booked for January"}]
  - id: s3
    name: Third   # align-ignore: listening/segment-without-evidence -- new segment, interviews in Q1
  - id: s4
    name: Fourth  # align-ignore: fit/feature-without-need -- nothing here
  - id: s5
    name: Fifth   # align-ignore: listening/segment-without-evidense -- typo
"#;

#[test]
fn suppressions_through_the_binary() {
    let dir = project(&[("gtm.yaml", SUPPRESSED)]);
    let out = run_in(dir.path(), &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let found: Vec<(String, u64, String, String)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["line"].as_u64().unwrap_or_default(),
                f["message"].as_str().unwrap_or_default().to_owned(),
                f["help"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let brief: Vec<(&str, u64, &str)> = found
        .iter()
        .map(|(r, l, m, _)| (r.as_str(), *l, m.as_str()))
        .collect();
    assert_eq!(
        brief,
        [
            // s1: silenced, but the suppression gives no reason.
            (
                "hygiene/suppression",
                4,
                "suppression of `listening/segment-without-evidence` gives no reason"
            ),
            // s2 (a pack name) and s3 (a comment with a reason) silence their findings quietly.
            // s4: a comment that suppresses nothing (it names another rule).
            (
                "listening/segment-without-evidence",
                11,
                "no evidence is about segment `s4`: nobody has listened to these customers yet"
            ),
            (
                "hygiene/suppression",
                11,
                "suppression of `fit/feature-without-need` suppresses nothing"
            ),
            // s5: a misspelt rule: the finding stays, and the suppression is reported.
            (
                "listening/segment-without-evidence",
                13,
                "no evidence is about segment `s5`: nobody has listened to these customers yet"
            ),
            (
                "hygiene/suppression",
                13,
                "suppression names `listening/segment-without-evidense`, which is not a rule of align or of this project"
            ),
        ]
    );
    assert_eq!(
        found[4].3,
        "did you mean `listening/segment-without-evidence`?"
    );
}

// ----- baselines -----

#[test]
fn baseline_hides_known_findings_and_fails_on_new_ones() {
    let dir = starter();
    let write = run_in(
        dir.path(),
        &[
            "check",
            "--write-baseline",
            "align-baseline.json",
            "--fail-on",
            "warning",
        ],
    );
    assert_eq!(
        write.status.code(),
        Some(0),
        "recording accepts today's findings"
    );
    assert!(
        text(&write.stdout).contains("Recorded 2 findings in align-baseline.json"),
        "{}",
        text(&write.stdout)
    );
    assert_eq!(
        text(&write.stdout).lines().count(),
        1,
        "recording prints one line, not the report: {}",
        text(&write.stdout)
    );
    let recorded: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("align-baseline.json")).expect("written"),
    )
    .expect("JSON");
    assert_eq!(recorded["version"], 1);
    let entry = &recorded["findings"][0];
    assert_eq!(entry["rule"], "listening/segment-without-evidence");
    assert_eq!(entry["entity"]["kind"], "segment");
    assert_eq!(entry["entity"]["id"], "seg-restaurant-groups");
    assert_eq!(entry["field"], "name");
    assert!(entry.get("line").is_none(), "no line numbers: {entry}");

    // Known findings are hidden and do not fail, even at --fail-on warning.
    let known = run_in(
        dir.path(),
        &[
            "check",
            "--baseline",
            "align-baseline.json",
            "--fail-on",
            "warning",
            "--format",
            "concise",
        ],
    );
    assert_eq!(known.status.code(), Some(0), "{}", text(&known.stdout));
    assert_eq!(
        text(&known.stdout),
        "No findings in 9 files (18 entities). 2 known findings hidden by the baseline.\n"
    );

    // Lines move (a comment on top): still known.
    let segments = dir.path().join("segments.yaml");
    let original = std::fs::read_to_string(&segments).expect("read");
    std::fs::write(&segments, format!("# Reviewed in March.\n\n{original}")).expect("write");
    let moved = run_in(
        dir.path(),
        &[
            "check",
            "--baseline",
            "align-baseline.json",
            "--fail-on",
            "warning",
            "--format",
            "json",
        ],
    );
    assert_eq!(moved.status.code(), Some(0));
    assert!(rules_of(&moved).is_empty());

    // A new finding fails; a fixed one leaves an entry that no longer matches.
    let email = dir.path().join("messages/email.yaml");
    let fixed = std::fs::read_to_string(&email).expect("read").replace(
        "you will never chase a cover again",
        "covers sort themselves out",
    );
    std::fs::write(&email, fixed).expect("write");
    std::fs::write(
        dir.path().join("messages/ads.yaml"),
        "messages:\n  - id: msg-ad-fastest\n    channel: ad\n    owner: marketing\n    proposition: prop-rota-without-sunday-nights\n    text: The fastest rota app in the UK.\n",
    )
    .expect("write");
    let new = run_in(
        dir.path(),
        &[
            "check",
            "--baseline",
            "align-baseline.json",
            "--format",
            "concise",
        ],
    );
    assert_eq!(
        new.status.code(),
        Some(0),
        "a new warning does not fail by default"
    );
    assert_eq!(
        text(&new.stdout),
        "messages/ads.yaml:6:11: warning overpromise/unsubstantiated-claim superlative claim `The fastest rota app` with nothing to substantiate it\n\
         0 errors, 1 warning, 0 infos in 10 files (19 entities). 1 known finding hidden by the baseline; 1 baseline entry no longer matches (refresh it with --write-baseline).\n"
    );
    let failing = run_in(
        dir.path(),
        &[
            "check",
            "--baseline",
            "align-baseline.json",
            "--fail-on",
            "warning",
        ],
    );
    assert_eq!(failing.status.code(), Some(1));
    // Machine formats keep standard output clean and say it on standard error.
    let json = run_in(
        dir.path(),
        &[
            "check",
            "--baseline",
            "align-baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(rules_of(&json), ["overpromise/unsubstantiated-claim"]);
    assert_eq!(
        text(&json.stderr),
        "1 known finding hidden by the baseline; 1 baseline entry no longer matches (refresh it with --write-baseline).\n"
    );
}

#[test]
fn baseline_counts_findings_on_the_same_field() {
    let one = "messages:\n  - id: m\n    text: Always on.\n";
    let dir = project(&[("gtm.yaml", one)]);
    let write = run_in(
        dir.path(),
        &[
            "check",
            "--write-baseline",
            "base.json",
            "--select",
            "overpromise",
        ],
    );
    assert_eq!(write.status.code(), Some(0));
    // A second absolute word in the same message is one more finding than recorded.
    std::fs::write(
        dir.path().join("gtm.yaml"),
        "messages:\n  - id: m\n    text: Always on, guaranteed.\n",
    )
    .expect("write");
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--baseline",
            "base.json",
            "--select",
            "overpromise",
            "--format",
            "json",
        ],
    );
    assert_eq!(rules_of(&out), ["overpromise/unsubstantiated-claim"]);
}

#[test]
fn baseline_problems_are_unusable_input() {
    let dir = project(&[
        ("gtm.yaml", CLEAN),
        ("base.json", "{\n  \"version\": 1,\n  oops\n}\n"),
    ]);
    let out = run_in(
        dir.path(),
        &["check", "--baseline", "base.json", "--format", "concise"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stdout).starts_with("base.json:3:3: error load/baseline the baseline is not valid JSON: key must be a string\n"),
        "{}",
        text(&out.stdout)
    );
    std::fs::write(
        dir.path().join("base.json"),
        "{\"version\": 7, \"findings\": []}",
    )
    .expect("write");
    let newer = run_in(
        dir.path(),
        &["check", "--baseline", "base.json", "--format", "concise"],
    );
    assert_eq!(newer.status.code(), Some(2));
    assert!(text(&newer.stdout).contains("the baseline has version 7; this align reads version 1"));
    let missing = run_in(
        dir.path(),
        &["check", "--baseline", "none.json", "--format", "concise"],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stdout).contains("could not read the baseline none.json: no such file"));
}

#[test]
fn baseline_is_not_written_when_input_is_unusable() {
    let dir = project(&[("gtm.yaml", CLEAN), ("broken.yaml", "segments: [\n")]);
    let out = run_in(dir.path(), &["check", "--write-baseline", "base.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("base.json").exists());
    assert!(
        text(&out.stderr).starts_with("error: the baseline was not written to base.json"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn baseline_is_never_written_over_a_file_align_read() {
    let dir = starter();
    std::fs::write(
        dir.path().join("base.json"),
        "{\"version\": 1, \"findings\": []}",
    )
    .expect("write");
    for args in [
        &["check", "--write-baseline", "needs.yaml"][..],
        &["check", "--write-baseline", "align.yaml"][..],
        &[
            "check",
            "--baseline",
            "base.json",
            "--write-baseline",
            "base.json",
        ][..],
        &[
            "check",
            "--output",
            "same.txt",
            "--write-baseline",
            "same.txt",
        ][..],
    ] {
        let before: Vec<String> = ["needs.yaml", "align.yaml", "base.json"]
            .iter()
            .map(|f| std::fs::read_to_string(dir.path().join(f)).expect("exists"))
            .collect();
        let out = run_in(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).starts_with("error: "),
            "{}",
            text(&out.stderr)
        );
        let after: Vec<String> = ["needs.yaml", "align.yaml", "base.json"]
            .iter()
            .map(|f| std::fs::read_to_string(dir.path().join(f)).expect("exists"))
            .collect();
        assert_eq!(before, after, "{args:?}");
        assert!(!dir.path().join("same.txt").exists());
    }
}

// ----- align init -----

#[test]
fn init_writes_a_starter_project_that_checks() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run_in(dir.path(), &["init"]);
    assert_eq!(out.status.code(), Some(0));
    let said = text(&out.stdout);
    assert!(
        said.starts_with("Wrote a starter project:\n  align.yaml\n"),
        "{said}"
    );
    assert!(said.contains("Next:\n  1. Run `align check`."), "{said}");
    for (name, _) in align::cli::init::STARTER {
        assert!(dir.path().join(name).is_file(), "{name} written");
    }
    // The starter is clean except for its two instructive warnings.
    let check = run_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
    assert_eq!(
        rules_of(&check),
        [
            "overpromise/unsubstantiated-claim",
            "listening/segment-without-evidence"
        ]
    );
    // Its claims library is in force: copy that changes the approved wording's number is
    // drift, underlined where it changed.
    let web = dir.path().join("messages/web.yaml");
    let copy = std::fs::read_to_string(&web).expect("written");
    assert!(copy.contains("approve with one tap, instead"), "{copy}");
    std::fs::write(
        &web,
        copy.replace("with one tap, instead", "with two taps, instead"),
    )
    .expect("edited");
    let drift = run_in(dir.path(), &["check", "--format", "concise"]);
    assert!(
        text(&drift.stdout).contains(
            "messages/web.yaml:20:61: error claims/claim-drift copy drifts from library claim `clm-one-tap-swaps`: it says `two` where the approved wording says `one tap` (a number changed)"
        ),
        "{}",
        text(&drift.stdout)
    );
    std::fs::write(&web, copy).expect("restored");
    // Its team rule is loaded and in force.
    let rules = run_in(dir.path(), &["check", "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_slice(&rules.stdout).expect("valid JSON");
    assert!(
        log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .any(|r| r["id"] == "house/message-without-owner")
    );
}

#[test]
fn init_never_overwrites_a_file() {
    let dir = project(&[("segments.yaml", "# ours\nsegments: []\n")]);
    let out = run_in(dir.path(), &["init"]);
    assert_eq!(out.status.code(), Some(0));
    let said = text(&out.stdout);
    assert!(
        said.contains("Left these alone, because they already exist:\n  segments.yaml\n"),
        "{said}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("segments.yaml")).expect("kept"),
        "# ours\nsegments: []\n"
    );
    // A second run writes nothing and changes nothing.
    let snapshot = |d: &Path| {
        align::cli::init::STARTER
            .iter()
            .map(|(n, _)| std::fs::read_to_string(d.join(n)).expect("exists"))
            .collect::<Vec<_>>()
    };
    let before = snapshot(dir.path());
    let again = run_in(dir.path(), &["init"]);
    assert_eq!(again.status.code(), Some(0));
    assert!(
        !text(&again.stdout).contains("Wrote"),
        "{}",
        text(&again.stdout)
    );
    assert_eq!(before, snapshot(dir.path()));
}

#[test]
fn init_into_a_named_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run_in(dir.path(), &["init", "gtm"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("Run `cd gtm && align check`"));
    let check = run_in(dir.path(), &["check", "gtm", "--format", "json"]);
    assert_eq!(rules_of(&check).len(), 2);
}

// ----- CI recipes -----

/// Every `align check ...` command line in a recipe.
fn commands_in(path: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(crate::support::root().join(path)).expect("recipe");
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.find("align check").map(|at| &l[at..]))
        .map(|cmd| cmd.split_whitespace().skip(1).map(str::to_owned).collect())
        .collect()
}

#[test]
fn ci_recipes_use_flags_that_exist() {
    let gitlab = commands_in("examples/ci/gitlab-ci.yml");
    assert!(gitlab.iter().any(|c| {
        c.join(" ")
            .starts_with("check --format junit --output align-junit.xml")
    }));
    // The action's command lines, with its inputs at their defaults.
    let action: Vec<Vec<String>> = commands_in("action.yml")
        .into_iter()
        .filter(|cmd| cmd.first().is_some_and(|c| c == "check"))
        .map(|cmd| {
            cmd.into_iter()
                .filter(|w| w != "$ALIGN_ARGS")
                .map(|w| match w.as_str() {
                    "$ALIGN_PATHS" => ".".to_owned(),
                    "\"$ALIGN_FAIL_ON\"" => "error".to_owned(),
                    _ => w,
                })
                .take_while(|w| w != "||" && w != ">>")
                .collect()
        })
        .collect();
    for wanted in [
        "check . --format sarif --output align.sarif --fail-on never",
        "check . --format markdown --fail-on never",
        "check . --format github --fail-on error",
    ] {
        assert!(
            action.iter().any(|c| c.join(" ") == wanted),
            "{wanted}: {action:?}"
        );
    }
    for cmd in action.iter().chain(&gitlab) {
        let dir = starter();
        let out = align()
            .current_dir(dir.path())
            .args(cmd)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0), "{cmd:?}: {}", text(&out.stderr));
    }
    let gitlab_job =
        std::fs::read_to_string(crate::support::root().join("examples/ci/gitlab-ci.yml"))
            .expect("job");
    assert!(gitlab_job.contains("junit: align-junit.xml"));
}

/// A YAML file of the repository as a generic value.
fn yaml_value(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(crate::support::root().join(path)).expect("file");
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{path} is YAML: {e}"))
}

#[test]
fn the_action_is_a_valid_composite_action() {
    let action = yaml_value("action.yml");
    for key in ["name", "description", "inputs", "runs"] {
        assert!(action.get(key).is_some(), "action.yml has `{key}`");
    }
    for input in ["paths", "fail-on", "version"] {
        let i = &action["inputs"][input];
        assert!(i["description"].is_string(), "input {input} is described");
        assert!(i.get("default").is_some(), "input {input} has a default");
    }
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().expect("steps");
    for step in steps {
        let runs = step.get("run").is_some();
        let uses = step.get("uses").and_then(|u| u.as_str());
        assert!(
            runs != uses.is_some(),
            "a step runs a script or uses an action: {step}"
        );
        if runs {
            assert!(
                step["shell"].is_string(),
                "a composite `run` step names its shell: {step}"
            );
        }
        if let Some(uses) = uses {
            assert!(uses.contains('@'), "an action is pinned: {uses}");
        }
    }
    assert!(steps.iter().any(|s| {
        s["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
    }));
    let text = std::fs::read_to_string(crate::support::root().join("action.yml")).expect("action");
    assert!(
        text.contains("$GITHUB_STEP_SUMMARY"),
        "the report goes to the job summary"
    );
    // Inputs reach scripts through the environment, never pasted into the script.
    for line in text
        .lines()
        .filter(|l| l.trim_start().starts_with("align ") || l.contains("cargo install"))
    {
        assert!(!line.contains("${{"), "{line}");
    }

    let workflow = yaml_value("examples/ci/github-actions.yml");
    let steps = workflow["jobs"]["align"]["steps"]
        .as_array()
        .expect("steps");
    assert!(
        steps.iter().any(|s| s["uses"]
            .as_str()
            .is_some_and(|u| u.ends_with("/align@main"))),
        "the recipe uses the action"
    );
    assert_eq!(
        workflow["permissions"]["security-events"], "write",
        "code scanning needs the permission"
    );
}

#[test]
fn pre_commit_hook_runs_align_check() {
    let hooks = std::fs::read_to_string(crate::support::root().join(".pre-commit-hooks.yaml"))
        .expect("hooks file at the repository root");
    for line in [
        "- id: align",
        "entry: align check",
        "language: rust",
        "pass_filenames: false",
    ] {
        assert!(hooks.contains(line), "{line}");
    }
}

// ------------------------------------------------------------------ markdown

fn markdown_of(dir: &str, env: &[(&str, &str)]) -> String {
    let mut cmd = align();
    for name in ["GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"] {
        cmd.env_remove(name);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .args(["check", dir, "--format", "markdown"])
        .output()
        .expect("runs");
    text(&out.stdout)
}

#[test]
fn markdown_report_of_the_example() {
    insta::assert_snapshot!("ledgerly_markdown", markdown_of("examples/ledgerly", &[]));
}

#[test]
fn markdown_report_is_commonmark_with_one_item_per_finding() {
    let md = markdown_of("examples/ledgerly", &[]);
    let mut html = String::new();
    pulldown_cmark::html::push_html(
        &mut html,
        pulldown_cmark::Parser::new_ext(&md, pulldown_cmark::Options::ENABLE_TABLES),
    );
    let json: serde_json::Value =
        serde_json::from_slice(&ledgerly("json").stdout).expect("json report");
    let findings = json["findings"].as_array().expect("findings").len();
    assert_eq!(html.matches("<li>").count(), findings, "{html}");
    assert_eq!(html.matches("<table>").count(), 1, "{html}");
    assert!(html.contains("<h2>"), "{html}");
    // The underlined words are bold inside the quoted line; copy never becomes markup.
    assert!(html.contains("<strong>99.99%</strong>"), "{html}");
    assert!(
        html.contains("addresses: [need-faster-close, need-audit-trail, <strong>need-month-end-reporting</strong>]"),
        "{html}"
    );
    assert!(
        !html.contains("<ul>\n<li>id:"),
        "a quoted `- id:` line is not a list: {html}"
    );
}

#[test]
fn markdown_links_to_lines_on_github() {
    let md = markdown_of(
        "examples/ledgerly",
        &[
            ("GITHUB_SERVER_URL", "https://github.com"),
            ("GITHUB_REPOSITORY", "acme/gtm"),
            ("GITHUB_SHA", "abc123"),
        ],
    );
    assert!(
        md.contains(
            "(https://github.com/acme/gtm/blob/abc123/examples/ledgerly/messages/web.yaml#L29)"
        ),
        "{md}"
    );
}

#[test]
fn markdown_report_stays_under_the_comment_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut yaml = String::from("segments:\n");
    for i in 0..3000 {
        yaml.push_str(&format!(
            "  - id: seg-{i}\n    name: A segment with a long enough name to fill the report {i}\n"
        ));
    }
    std::fs::write(dir.path().join("segments.yaml"), yaml).expect("write");
    let md = markdown_of(&dir.path().display().to_string(), &[]);
    assert!(
        md.chars().count() < 65_536,
        "{} characters",
        md.chars().count()
    );
    assert!(md.contains("more findings not shown"), "{md}");
    assert!(md.contains("3000 warnings"), "the headline counts them all");
}
