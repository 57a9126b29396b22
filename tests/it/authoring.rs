//! Writing rules: mistakes in rule files reported at their place, `align rules`,
//! `align explain`, `align test`, the built-in rules' documented examples, the team rules
//! example, and how well `overpromise/unsubstantiated-claim` tells claims from puffery.

use crate::support::{align, today};

// ------------------------------------------------------------------ mistakes in rule files

/// A rule file with one mistake of each kind, each in its own rule.
const BROKEN_RULES: &str = r#"pack acme "Acme's own rules"

let hype = words("revolutionary", "game-changing"

rule missing-brace {
  for m in messages
  where m.text has any hype

rule single-equals {
  for p in propositions
  where p.owner = "sales"
}

rule bad-severity {
  severity critical
  for m in messages
}

rule c-style-and {
  for m in messages
  where m.channel == "ad" && no m.evidence
}

rule unknown-kind {
  for p in proposition
}

rule unknown-field {
  for p in propositions
  where no p.evidnce
}

rule unknown-function {
  for m in messages
  where m.text has any wrds("synergy")
}

rule unknown-name {
  for m in messages
  where m.text has any hyp
}

rule date-against-words {
  for e in evidence
  where e.date < words("2024")
}

rule has-on-a-number {
  for e in evidence
  where e.sample_size has any words("small")
}

rule field-of-text {
  for m in messages
  where m.channel.owner == "sales"
}

rule wrong-arity {
  for m in messages
  where len(m.text, 90) > 3
}

rule twice {
  severity error
  severity info
  for m in messages
}

rule nothing-to-check {
  where true
}

rule bad-pattern {
  for m in messages
  where m.text matches /([a-z]/
}
"#;

/// Writes files under a fresh temporary folder.
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folders");
        std::fs::write(&path, text).expect("write");
    }
    dir
}

fn json_of(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

#[test]
fn every_mistake_in_a_rule_file_is_reported_at_its_place() {
    let dir = project(&[
        ("rules/team.align", BROKEN_RULES),
        (
            "data/messages.yaml",
            "messages:\n  - id: m1\n    text: Hello\n",
        ),
    ]);
    let out = align()
        .current_dir(dir.path())
        .args(["check", "--rules", "rules", "data", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(2),
        "a broken rule file is unusable input"
    );
    let json = json_of(&out);
    let got: Vec<(u64, u64, String, String)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "load/rules")
        .map(|f| {
            assert_eq!(f["file"], "rules/team.align");
            (
                f["line"].as_u64().expect("line"),
                f["column"].as_u64().expect("column"),
                f["message"].as_str().expect("message").to_owned(),
                f["help"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let expected: &[(u64, u64, &str, &str)] = &[
        (
            3,
            35,
            "expected `)` after `\"game-changing\"`",
            "a `(` is not closed: add `)` where its list or condition ends",
        ),
        (
            7,
            24,
            "expected `}` (the end of the rule) after `hype`",
            "every rule ends with `}`: add it after the rule's last clause",
        ),
        (
            11,
            17,
            "expected a comparison (==, !=, <, <=, >, >=), `has`, `in`, `matches`, `and`, `or`, another clause or `}` (the end of the rule), found `=`",
            "compare with `==`",
        ),
        (
            15,
            12,
            "expected a severity (error, warning or info), found `critical`",
            "",
        ),
        (
            21,
            27,
            "expected `and`, `or`, another clause or `}` (the end of the rule), found `&&`",
            "write `and` / `or` in words",
        ),
        (
            25,
            12,
            "`proposition` is not a kind of entity",
            "write the plural: `propositions`",
        ),
        (
            30,
            14,
            "a proposition has no field `evidnce`",
            "did you mean `evidence`?",
        ),
        (
            35,
            24,
            "there is no function `wrds`",
            "did you mean `words`?",
        ),
        (40, 24, "`hyp` is not defined here", "did you mean `hype`?"),
        (
            45,
            9,
            "cannot compare a date with a word list",
            "to look for words in a text, write `TEXT has any WORDS` (or `TEXT matches /pattern/`)",
        ),
        (
            50,
            9,
            "`has` looks for words in text, but this is a number",
            "`has` reads a text field such as `m.text`, `p.statement` or `e.quote`; compare numbers with < or >",
        ),
        (
            55,
            19,
            "`m.channel` is text, not a link to another entity, so it has no field `owner`",
            "only entities, claims, facts and found words have fields; follow a reference field (such as `m.proposition` or `p.needs`) to reach another entity",
        ),
        (
            60,
            9,
            "`len` takes 1 argument, but is given 2",
            "len(text or list): the number of characters of a text, or of items of a list",
        ),
        (
            65,
            3,
            "this rule already has a `severity` clause",
            "keep one",
        ),
        (
            69,
            6,
            "rule `nothing-to-check` does not say what it checks",
            "add `for x in KIND`, where KIND is one of: segments, needs, evidence, features, propositions, messages, claims",
        ),
        (75, 24, "this pattern is not valid: unclosed group", ""),
    ];
    let expected: Vec<(u64, u64, String, String)> = expected
        .iter()
        .map(|(l, c, m, h)| (*l, *c, (*m).to_owned(), (*h).to_owned()))
        .collect();
    assert_eq!(got, expected);
    // The data is still checked.
    assert!(
        json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["rule"] == "voice/message-without-proposition")
    );
}

#[test]
fn rule_file_errors_are_drawn_over_the_rule_file() {
    let dir = project(&[
        (
            "rules/team.align",
            "rule r {\n  for p in propositions\n  where no p.evidnce\n}\n",
        ),
        ("data/x.yaml", "segments: []\n"),
    ]);
    let out = align()
        .current_dir(dir.path())
        .args(["check", "--rules", "rules", "data"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("load/rules"), "{text}");
    assert!(text.contains("rules/team.align:3:14"), "{text}");
    assert!(
        text.contains("a proposition has no field `evidnce`"),
        "{text}"
    );
    assert!(text.contains("help: did you mean `evidence`?"), "{text}");
}

// ------------------------------------------------------------------ built-in rule docs

fn builtin_rules() -> align::rules::RuleSet {
    let mut rules = align::rules::RuleSet::default();
    let mut sources = align::source::Sources::new();
    rules
        .add_builtin(&mut sources)
        .expect("built-in packs load");
    rules
}

/// A tidy check: every built-in rule's doc has exactly the fixed headings, in order, and
/// its examples are ```yaml blocks.
#[test]
fn every_builtin_rule_doc_has_the_fixed_headings() {
    use align::cli::explain::{DOC_HEADINGS, section, sections, yaml_blocks};
    let mut problems = Vec::new();
    for rule in &builtin_rules().rules {
        let parts = sections(&rule.doc);
        let headings: Vec<&str> = parts.iter().map(|(h, _)| h.as_str()).collect();
        if headings != DOC_HEADINGS {
            problems.push(format!(
                "{}: headings {headings:?}, expected {DOC_HEADINGS:?}",
                rule.id
            ));
            continue;
        }
        for (heading, body) in &parts {
            if body.trim().is_empty() {
                problems.push(format!("{}: `## {heading}` is empty", rule.id));
            }
        }
        for heading in ["Bad example", "Good example"] {
            let blocks = section(&parts, heading)
                .map(yaml_blocks)
                .unwrap_or_default();
            if blocks.is_empty() {
                problems.push(format!("{}: `## {heading}` has no ```yaml block", rule.id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every built-in rule's bad example gives exactly the findings its `# expect:` comments
/// mark, and its good example none of that rule: the same comparison `align test` makes.
#[test]
fn builtin_doc_examples_give_exactly_their_expected_findings() {
    use align::cli::test::{check_doc_example, doc_examples};
    let mut problems = Vec::new();
    let mut checked = 0;
    for rule in &builtin_rules().rules {
        let examples = doc_examples(rule);
        assert!(examples.len() >= 2, "{} has no examples", rule.id);
        for (label, yaml, bad) in examples {
            let outcome = check_doc_example(&rule.id, &label, &yaml, bad, &[], today());
            problems.extend(outcome.problems);
            problems.extend(outcome.differences);
            checked += 1;
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(checked >= 34);
}

// ------------------------------------------------------------------ align rules / explain

const TEAM_RULE: &str = r#"pack acme "Acme's own rules"

option max_chars = 90

rule long-ad {
  severity error
  summary "Ad text is too long"
  doc """
    ## What it flags
    An ad longer than `max_chars` characters.

    ## Bad example
    ```yaml
    messages:
      - id: msg-ad
        channel: ad
        text: This advert goes on and on about everything the product does, far beyond what any ad slot holds. # expect: acme/long-ad
    ```

    ## Good example
    ```yaml
    messages:
      - id: msg-ad
        channel: ad
        text: Close the month in days.
    ```
  """
  for m in messages
  where m.channel == "ad" and len(m.text) > max_chars
  report m.text "ad `{m.id}` is {len(m.text)} characters; the limit is {max_chars}"
}
"#;

#[test]
fn rules_lists_builtin_and_team_rules() {
    let dir = project(&[("rules/acme.align", TEAM_RULE)]);
    let out = align()
        .current_dir(dir.path())
        .args(["rules", "--rules", "rules"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let header = text.lines().next().expect("header");
    assert!(header.starts_with("RULE"), "{text}");
    for needle in [
        "listening/proposition-without-evidence",
        "overpromise/unsubstantiated-claim",
        "hygiene/stale-evidence",
        "acme/long-ad",
        "Ad text is too long",
        "25 rules in 7 packs",
    ] {
        assert!(text.contains(needle), "`{needle}` missing from:\n{text}");
    }
    let acme = text
        .lines()
        .find(|l| l.starts_with("acme/long-ad"))
        .expect("team rule listed");
    let cells: Vec<&str> = acme.split_whitespace().collect();
    assert_eq!(&cells[..3], ["acme/long-ad", "acme", "error"]);
}

#[test]
fn rules_as_json_with_configured_severity() {
    let dir = project(&[
        ("rules/acme.align", TEAM_RULE),
        (
            "align.yaml",
            "rules:\n  overpromise/unsubstantiated-claim: { severity: error }\n  hygiene/stale-evidence: { severity: off }\n",
        ),
    ]);
    let out = align()
        .current_dir(dir.path())
        .args(["rules", "--rules", "rules", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let json = json_of(&out);
    assert_eq!(json["version"], 1);
    let rules = json["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 25);
    let get = |id: &str| {
        rules
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id} listed"))
            .clone()
    };
    let claim = get("overpromise/unsubstantiated-claim");
    assert_eq!(claim["pack"], "overpromise");
    assert_eq!(claim["severity"], "error");
    assert_eq!(claim["default_severity"], "warning");
    assert_eq!(
        claim["summary"],
        "Objective claim with nothing to substantiate it"
    );
    assert_eq!(get("hygiene/stale-evidence")["severity"], "off");
    assert_eq!(
        get("hygiene/stale-evidence")["options"]["stale_days"],
        "730"
    );
    let team = get("acme/long-ad");
    assert_eq!(team["builtin"], false);
    assert_eq!(team["options"]["max_chars"], "90");
}

#[test]
fn explain_prints_the_rule_doc() {
    let out = align()
        .args(["explain", "overpromise/unsubstantiated-claim"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("overpromise/unsubstantiated-claim  (warning, overpromise pack)\nObjective claim with nothing to substantiate it\n"), "{text}");
    let mut at = 0;
    for heading in align::cli::explain::DOC_HEADINGS {
        let needle = format!("## {heading}\n");
        let found = text[at..]
            .find(&needle)
            .unwrap_or_else(|| panic!("`{heading}` missing or out of order in:\n{text}"));
        at += found + needle.len();
    }
    assert!(text.contains("```yaml"));
}

#[test]
fn explain_finds_a_rule_by_its_name_alone() {
    let out = align()
        .args(["explain", "stale-evidence"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("hygiene/stale-evidence  (info, hygiene pack)"));
    assert!(text.contains("`stale_days`"));
}

#[test]
fn explain_unknown_rule_suggests_and_exits_2() {
    let out = align()
        .args(["explain", "overpromise/unsubstantiated-claims"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim(),
        "error: there is no rule `overpromise/unsubstantiated-claims`; did you mean `overpromise/unsubstantiated-claim`?"
    );
    let out = align()
        .args(["explain", "no-such-thing-at-all"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`align rules` lists every rule"));
}

#[test]
fn explain_a_team_rule_fills_in_options_and_suppression() {
    let dir = project(&[("rules/acme.align", TEAM_RULE)]);
    let out = align()
        .current_dir(dir.path())
        .args(["explain", "--rules", "rules", "long-ad"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("acme/long-ad  (error, acme pack)"),
        "{text}"
    );
    assert!(
        text.contains("## Options\n`max_chars` (default 90)"),
        "{text}"
    );
    assert!(
        text.contains(
            "## How to suppress\nOn one entity: `ignore: [{rule: acme/long-ad, reason: \"...\"}]`."
        ),
        "{text}"
    );
}

// ------------------------------------------------------------------ align test

const FIXTURE_OK: &str = "messages:
  - id: msg-1
    proposition: prop-1
    text: The fastest close in the UK. # expect: overpromise/unsubstantiated-claim
  - id: msg-2
    # expect: voice/message-without-proposition
    text: Meet us at the show.
propositions:
  - id: prop-1
    statement: Close in days.
";

#[test]
fn test_passes_when_fixtures_match() {
    let dir = project(&[("fixtures/claims/messages.yaml", FIXTURE_OK)]);
    let out = align()
        .current_dir(dir.path())
        .args(["test", "fixtures"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_eq!(
        text,
        "ok    fixtures/claims  (2 expected findings of 2 rules)\n\n1 passed, 0 failed; 2 expected findings compared.\n"
    );
}

#[test]
fn test_lists_every_difference_and_exits_1() {
    let broken = FIXTURE_OK
        .replace("The fastest close in the UK.", "A calm close.")
        .replace("text: Meet us at the show.", "text: Guaranteed savings.");
    let dir = project(&[
        ("fixtures/claims/messages.yaml", broken.as_str()),
        ("fixtures/other/messages.yaml", FIXTURE_OK),
    ]);
    let out = align()
        .current_dir(dir.path())
        .args(["test", "fixtures"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_eq!(
        text,
        "FAIL  fixtures/claims\n\
         fixtures/claims/messages.yaml:7: unexpected overpromise/unsubstantiated-claim: absolute claim `Guaranteed` with nothing to substantiate it\n\
         fixtures/claims/messages.yaml:4: expected overpromise/unsubstantiated-claim, but it did not fire\n\
         ok    fixtures/other  (2 expected findings of 2 rules)\n\
         \n1 passed, 1 failed; 4 expected findings compared, 2 differences.\n"
    );
}

#[test]
fn test_compares_only_the_rules_named() {
    // The fixture only names voice/...; the claim in it is another rule's business.
    let fixture = "messages:\n  - id: m\n    text: Guaranteed, always. # expect: voice/message-without-proposition\n";
    let dir = project(&[("fx/messages.yaml", fixture)]);
    let out = align()
        .current_dir(dir.path())
        .args(["test", "fx"])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // With --select, the selected rules are compared, whatever the expectations name.
    let out = align()
        .current_dir(dir.path())
        .args(["test", "fx", "--select", "overpromise"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("fx/messages.yaml:3: unexpected overpromise/unsubstantiated-claim: absolute claim `Guaranteed`"), "{text}");
    assert!(text.contains("fx/messages.yaml:3: unexpected overpromise/unsubstantiated-claim: absolute claim `always`"), "{text}");
}

#[test]
fn test_with_team_rules_and_their_doc_examples() {
    let fixture = "messages:\n  - id: msg-ad\n    channel: ad\n    proposition: p\n    text: An advert that rambles on about every single feature the product has, and then goes on some more about pricing. # expect: acme/long-ad\n  - id: msg-ok\n    channel: ad\n    text: Short.\n";
    let dir = project(&[("rules/acme.align", TEAM_RULE), ("fx/ads.yaml", fixture)]);
    let out = align()
        .current_dir(dir.path())
        .args(["test", "--rules", "rules", "fx"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("ok    fx  (1 expected finding of 1 rule)"),
        "{text}"
    );
    assert!(
        text.contains("ok    docs of acme/long-ad  (2 examples)"),
        "{text}"
    );
}

#[test]
fn test_rejects_an_expectation_naming_no_rule() {
    let fixture =
        "messages:\n  - id: m\n    text: Fastest. # expect: overpromise/unsubstantiated-clam\n";
    let dir = project(&[("fx/messages.yaml", fixture)]);
    let out = align()
        .current_dir(dir.path())
        .args(["test", "fx"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("fx/messages.yaml:3: `# expect: overpromise/unsubstantiated-clam` names no rule in force; did you mean `overpromise/unsubstantiated-claim`?"), "{err}");
}

#[test]
fn test_of_a_broken_rule_file_exits_2() {
    let dir = project(&[
        ("rules/acme.align", "rule r {\n  for m in mesages\n}\n"),
        ("fx/m.yaml", "messages: []\n"),
    ]);
    let out = align()
        .current_dir(dir.path())
        .args(["test", "--rules", "rules", "fx"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`mesages` is not a kind of entity"), "{err}");
    assert!(err.contains("rules/acme.align:2:12"), "{err}");
}

// ------------------------------------------------------------------ the team rules example

#[test]
fn team_rules_example_checks_with_its_own_rules() {
    let out = align()
        .args([
            "check",
            "--rules",
            "examples/team-rules/rules",
            "examples/team-rules",
            "--format",
            "concise",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "errors exit 1");
    let text = String::from_utf8_lossy(&out.stdout);
    insta::assert_snapshot!("team_rules_concise", text);
    // Every rule of the team's pack fires on the example.
    let loaded = align::cli::rules::load_rules(
        &[std::path::PathBuf::from("examples/team-rules/rules")],
        None,
    );
    assert!(loaded.problems.is_empty());
    let team: Vec<&str> = loaded
        .rules
        .rules
        .iter()
        .filter(|r| !r.builtin)
        .map(|r| r.id.as_str())
        .collect();
    assert!(team.len() >= 12, "a dozen rules: {team:?}");
    for id in team {
        assert!(
            text.contains(&format!(" {id} ")),
            "{id} never fires on the example"
        );
    }
}

#[test]
fn team_rules_fixtures_and_doc_examples_pass() {
    let out = align()
        .args([
            "test",
            "--rules",
            "examples/team-rules/rules",
            "examples/team-rules/fixtures",
        ])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(!text.contains("FAIL"), "{text}");
    assert!(
        text.contains("ok    examples/team-rules/fixtures/ad-too-long"),
        "{text}"
    );
    assert!(
        text.contains("ok    docs of acme/hype-words  (2 examples)"),
        "{text}"
    );
    assert!(
        text.ends_with("26 passed, 0 failed; 39 expected findings compared.\n"),
        "{text}"
    );
}

// ------------------------------------------------------------------ the language reference

#[test]
fn language_reference_lists_every_function() {
    let doc = std::fs::read_to_string(crate::support::root().join("docs/language.md"))
        .expect("docs/language.md");
    for f in align::lang::builtins::FUNCTIONS {
        assert!(
            doc.contains(&format!("| `{}(", f.name)),
            "docs/language.md has no row for `{}` in its functions table",
            f.name
        );
    }
    // And every function a built-in pack writes with `fn`.
    let mut pack_functions = 0;
    for (_, text) in align::rules::BUILTIN_PACKS {
        for line in text.lines() {
            let Some(rest) = line.strip_prefix("fn ") else {
                continue;
            };
            let name = rest.split('(').next().unwrap_or_default();
            pack_functions += 1;
            assert!(
                doc.contains(&format!("| `{name}(")),
                "docs/language.md has no row for the pack function `{name}`"
            );
        }
    }
    assert!(pack_functions >= 2, "strength and claims_in");
    for kind in [
        "segments",
        "needs",
        "evidence",
        "features",
        "propositions",
        "messages",
    ] {
        assert!(
            doc.contains(kind),
            "docs/language.md never mentions `{kind}`"
        );
    }
}
