//! How well `overpromise/unsubstantiated-claim` finds claims, on the labelled corpus in
//! `tests/claims/`: one message per sentence, no evidence linked. A claim is found when a
//! finding's underline overlaps the labelled words; a non-claim is a false alarm when the
//! rule reports anything in it. Run with `--nocapture` to see the tables:
//! `cargo test --test it claims:: -- --nocapture`.
//!
//! Only the tuning split's misses and false alarms are listed; the held-out split is
//! reported as figures alone, so it is never tuned on.

use crate::support::{from_texts, root};
use std::collections::BTreeMap;
use std::ops::Range;

const RULE: &str = "overpromise/unsubstantiated-claim";

#[derive(serde::Deserialize)]
struct Entry {
    text: String,
    claim: bool,
    frame: String,
    #[serde(default)]
    span: Option<String>,
    #[allow(dead_code)]
    industry: String,
}

fn corpus(name: &str) -> Vec<Entry> {
    let text = std::fs::read_to_string(root().join("tests/claims").join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{name} parses: {e}"))
}

/// What the rule reported in one sentence: each underline (a byte range of the sentence)
/// with the frame its message names.
type Found = Vec<(Range<usize>, String)>;

/// Checks every sentence as a message with no evidence, and returns what the rule found in
/// each.
fn run(entries: &[Entry]) -> Vec<Found> {
    let mut yaml = String::from("messages:\n");
    let mut starts = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        // A literal block: the raw text is the sentence itself, byte for byte.
        yaml.push_str(&format!("  - id: m-{i}\n    text: |-\n      "));
        starts.push(yaml.len());
        yaml.push_str(e.text.trim());
        yaml.push('\n');
    }
    let ws = from_texts(&[("messages.yaml", &yaml)], &[]);
    let mut found: Vec<Found> = vec![Vec::new(); entries.len()];
    for f in ws.check().iter().filter(|f| f.rule == RULE) {
        let id = &f.entity.as_ref().expect("about a message").id;
        let i: usize = id.trim_start_matches("m-").parse().expect("our id");
        let span = f.span.expect("located");
        let start = starts[i];
        let range =
            (span.start as usize).saturating_sub(start)..(span.end as usize).saturating_sub(start);
        let frame = f.message.split(" claim `").next().unwrap_or("").to_owned();
        found[i].push((range, frame));
    }
    found
}

/// Where the labelled words are in the sentence.
fn label_range(e: &Entry) -> Option<Range<usize>> {
    let span = e.span.as_deref()?;
    let at = e.text.trim().find(span)?;
    Some(at..at + span.len())
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Per frame (claims) or kind (non-claims): entries, hits or false alarms, frame named right.
#[derive(Default, Clone, Copy)]
struct Tally {
    n: usize,
    flagged: usize,
    named: usize,
}

struct Report {
    claims: BTreeMap<String, Tally>,
    others: BTreeMap<String, Tally>,
    misses: Vec<String>,
    false_alarms: Vec<String>,
}

impl Report {
    fn recall(&self) -> (usize, usize) {
        self.claims
            .values()
            .fold((0, 0), |(h, n), t| (h + t.flagged, n + t.n))
    }

    fn false_alarm_rate(&self) -> (usize, usize) {
        self.others
            .values()
            .fold((0, 0), |(h, n), t| (h + t.flagged, n + t.n))
    }
}

fn measure(entries: &[Entry]) -> Report {
    let found = run(entries);
    let mut report = Report {
        claims: BTreeMap::new(),
        others: BTreeMap::new(),
        misses: Vec::new(),
        false_alarms: Vec::new(),
    };
    for (e, found) in entries.iter().zip(&found) {
        if e.claim {
            let label =
                label_range(e).unwrap_or_else(|| panic!("span of {:?} is in its text", e.text));
            let hit = found.iter().find(|(r, _)| overlaps(r, &label));
            let t = report.claims.entry(e.frame.clone()).or_default();
            t.n += 1;
            if let Some((_, frame)) = hit {
                t.flagged += 1;
                t.named += usize::from(frame.replace(' ', "-") == e.frame);
            } else {
                let elsewhere: Vec<&str> = found
                    .iter()
                    .filter_map(|(r, _)| e.text.trim().get(r.clone()))
                    .collect();
                report.misses.push(format!(
                    "  missed ({}): {} -- labelled `{}`{}",
                    e.frame,
                    e.text,
                    e.span.as_deref().unwrap_or(""),
                    if elsewhere.is_empty() {
                        String::new()
                    } else {
                        format!(", underlined {elsewhere:?} instead")
                    }
                ));
            }
        } else {
            let t = report.others.entry(e.frame.clone()).or_default();
            t.n += 1;
            if !found.is_empty() {
                t.flagged += 1;
                let what: Vec<String> = found
                    .iter()
                    .map(|(r, f)| format!("{f} `{}`", e.text.trim().get(r.clone()).unwrap_or("")))
                    .collect();
                report.false_alarms.push(format!(
                    "  false alarm ({}): {} -- {}",
                    e.frame,
                    e.text,
                    what.join(", ")
                ));
            }
        }
    }
    report
}

fn ratio(h: usize, n: usize) -> f64 {
    if n == 0 { 0.0 } else { h as f64 / n as f64 }
}

fn print_table(name: &str, r: &Report) {
    let (h, n) = r.recall();
    let (fh, fn_) = r.false_alarm_rate();
    println!(
        "{name}: recall {:.3} ({h}/{n}), false alarms on non-claims {:.3} ({fh}/{fn_})",
        ratio(h, n),
        ratio(fh, fn_)
    );
    println!(
        "  {:<20} {:>9} {:>7} {:>12}",
        "claim frame", "found", "recall", "frame named"
    );
    for (frame, t) in &r.claims {
        println!(
            "  {frame:<20} {:>4}/{:<4} {:>7.3} {:>8}/{:<3}",
            t.flagged,
            t.n,
            ratio(t.flagged, t.n),
            t.named,
            t.flagged
        );
    }
    println!("  {:<20} {:>9} {:>7}", "non-claim kind", "flagged", "rate");
    for (kind, t) in &r.others {
        println!(
            "  {kind:<20} {:>4}/{:<4} {:>7.3}",
            t.flagged,
            t.n,
            ratio(t.flagged, t.n)
        );
    }
}

/// The corpus figures, per split and per frame; the held-out split must reach recall 0.85
/// with at most 10% false alarms on non-claims.
#[test]
fn claim_frames_recall_and_false_alarms_per_split() {
    let tune = measure(&corpus("tune.yaml"));
    let holdout = measure(&corpus("holdout.yaml"));
    print_table("held-out split (never tuned on)", &holdout);
    print_table("tuning split", &tune);
    println!("tuning split, misses and false alarms:");
    for line in tune.misses.iter().chain(&tune.false_alarms) {
        println!("{line}");
    }
    let (h, n) = holdout.recall();
    let (fh, fn_) = holdout.false_alarm_rate();
    assert!(
        n >= 100 && fn_ >= 50,
        "the held-out split is too small: {n} claims, {fn_} others"
    );
    assert!(
        ratio(h, n) >= 0.85,
        "held-out recall {:.3} ({h}/{n}) is below 0.85",
        ratio(h, n)
    );
    assert!(
        ratio(fh, fn_) <= 0.10,
        "held-out false alarms {:.3} ({fh}/{fn_}) are above 10%",
        ratio(fh, fn_)
    );
}

/// Claims users reported as missed are all found where they are labelled, and two spans are
/// exact: a decimal rating is underlined whole, and a saving ends at its last word.
#[test]
fn reported_misses_are_found_with_their_spans() {
    let entries = corpus("known_misses.yaml");
    let found = run(&entries);
    for (e, found) in entries.iter().zip(&found) {
        let label = label_range(e).expect("labelled span");
        assert!(
            found.iter().any(|(r, _)| overlaps(r, &label)),
            "{:?}: nothing underlined over `{}`, found {:?}",
            e.text,
            e.span.as_deref().unwrap_or(""),
            found
        );
    }
    for (text, exact) in [
        ("Rated 4.9 out of 5", "Rated 4.9 out of 5"),
        ("Save £200 a year", "Save £200 a year"),
        ("Plans from $9 a month.", "from $9 a month"),
    ] {
        let entries = vec![Entry {
            text: text.into(),
            claim: true,
            frame: String::new(),
            span: None,
            industry: String::new(),
        }];
        let found = run(&entries);
        let underlined: Vec<&str> = found[0]
            .iter()
            .filter_map(|(r, _)| text.get(r.clone()))
            .collect();
        assert_eq!(underlined, [exact], "{text}");
    }
}

/// A finding names its frame in plain words, and its help says what proof fits.
#[test]
fn a_finding_names_its_frame_and_the_proof_that_fits() {
    let ws = from_texts(
        &[(
            "m.yaml",
            "messages:\n  - id: m\n    text: Plans from $9 a month.\n",
        )],
        &[],
    );
    let findings = ws.check();
    let f = findings
        .iter()
        .find(|f| f.rule == RULE)
        .expect("a price claim");
    assert_eq!(
        f.message,
        "price claim `from $9 a month` with nothing to substantiate it"
    );
    let help = f.help.as_deref().expect("help");
    assert!(
        help.starts_with("what fits: the price list or checkout"),
        "{help}"
    );
}

// ------------------------------------------------------------------ substantiation per claim

/// The findings of a rule for a project given as one YAML file.
fn findings_of(rule: &str, yaml: &str) -> Vec<String> {
    let ws = from_texts(&[("project.yaml", yaml)], &[]);
    ws.check()
        .into_iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.message)
        .collect()
}

const EVIDENCE: &str = "evidence:
  - id: ev-survey-2026
    kind: survey
    date: 2026-09-15
    sample_size: 212
    source: https://example.com/survey-2026
  - id: ev-int-2026
    kind: interview
    date: 2026-09-20
    summary: One finance lead said closing feels quicker.
";

#[test]
fn a_citation_backs_its_own_sentence_only_and_names_project_evidence() {
    let yaml = format!(
        "{EVIDENCE}messages:
  - id: m1
    text: 9 out of 10 finance leads say approvals got faster (ev-survey-2026). Plans from $9 a month.
  - id: m2
    text: Café plans from £3 a day. 9 out of 10 customers renew (see https://example.com/survey-2026).
  - id: m3
    text: According to a 2025 study, 9 out of 10 finance leads say approvals got faster.
"
    );
    assert_eq!(
        findings_of(RULE, &yaml),
        [
            "price claim `from $9 a month` with nothing to substantiate it",
            // A non-ASCII letter elsewhere in the message changes nothing.
            "price claim `from £3 a day` with nothing to substantiate it",
            // A citation that names nothing of the project's evidence does not count.
            "survey claim `9 out of 10` with nothing to substantiate it",
        ]
    );
}

#[test]
fn evidence_backs_only_the_claims_it_could_back() {
    let yaml = format!(
        "{EVIDENCE}messages:
  - id: m1
    evidence: [ev-int-2026]
    text: Never miss a supplier payment again. 9 out of 10 finance leads close sooner.
  - id: m2
    text: Month-end, sorted.
    claims:
      - text: 9 out of 10 finance leads close sooner.
        evidence: [ev-survey-2026]
      - text: The fastest close in the UK.
"
    );
    assert_eq!(
        findings_of(RULE, &yaml),
        [
            // An interview backs \"never\", but not a figure.
            "survey claim `9 out of 10` with nothing to substantiate it",
            // Another claim's evidence does not back this one.
            "superlative claim `The fastest close in the UK` with nothing to substantiate it",
        ]
    );
}

#[test]
fn an_option_accepts_citations_of_outside_sources() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, text: &str| {
        std::fs::write(dir.path().join(name), text).expect("write");
    };
    write(
        "messages.yaml",
        "messages:\n  - id: m\n    text: According to a 2025 study, 9 out of 10 finance leads say approvals got faster.\n",
    );
    let run = |config: &str| {
        write("align.yaml", config);
        let out = crate::support::align()
            .args(["check", "--format", "concise", "--select", RULE])
            .arg(dir.path())
            .output()
            .expect("runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(run("rules: {}\n").contains("survey claim `9 out of 10`"));
    let loose = run(
        "rules:\n  overpromise/unsubstantiated-claim: { options: { cite_outside_sources: true } }\n",
    );
    assert!(!loose.contains("survey claim"), "{loose}");
}

#[test]
fn facts_have_a_direction() {
    let yaml = "features:
  - id: f
    name: Dispatch
    status: shipped
    facts:
      error_rate_pct: 1
      dispatch_hours: {value: 48, better: lower, unit: hours}
      uptime_pct: 99.9
messages:
  - id: m1
    features: [f]
    text: An error rate under 5% on every order.
  - id: m2
    features: [f]
    text: Orders dispatched in 24 hours.
  - id: m3
    features: [f]
    text: Orders dispatched within 72 hours.
  - id: m4
    features: [f]
    text: 99.99% uptime.
";
    assert_eq!(
        findings_of("overpromise/number-beyond-facts", yaml),
        [
            "`24 hours` is more than the product's facts show: `dispatch_hours` is 48",
            "`99.99%` is more than the product's facts show: `uptime_pct` is 99.9",
        ]
    );
    // Without `better`, the pack's word lists read the name: hours are better lower.
    let plain = yaml.replace("{value: 48, better: lower, unit: hours}", "48");
    assert_eq!(
        findings_of("overpromise/number-beyond-facts", &plain).len(),
        2,
        "{plain}"
    );
}

#[test]
fn a_fact_mapping_is_checked_where_it_is_written() {
    let yaml = "features:
  - id: f
    name: Dispatch
    status: shipped
    facts:
      dispatch_hours: {value: 48, better: sideways}
";
    let messages = findings_of("load/model", yaml);
    assert!(
        messages
            .iter()
            .any(|m| m.contains("fact `dispatch_hours`: `better` should be `lower` or `higher`")),
        "{messages:?}"
    );
}

#[test]
fn a_planned_feature_may_be_announced_as_coming() {
    let yaml = "features:
  - id: f
    name: Payment runs
    status: planned
messages:
  - id: m1
    features: [f]
    text: Pay every approved supplier in one batch.
  - id: m2
    features: [f]
    text: Payment runs are coming in 2027. Join the waitlist.
";
    let ws = from_texts(&[("project.yaml", yaml)], &[]);
    let found: Vec<_> = ws
        .check()
        .into_iter()
        .filter(|f| f.rule == "overpromise/unshipped-feature")
        .collect();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].entity.as_ref().map(|e| e.id.as_str()), Some("m1"));
    let help = found[0].help.as_deref().unwrap_or("");
    assert!(help.contains("announce it as coming"), "{help}");
}

#[test]
fn a_call_with_the_wrong_argument_types_is_a_located_error() {
    let rules = "pack team \"t\"\nrule r {\n  for m in messages\n  report numbers(42) \"x\"\n}\n";
    let ws = from_texts(&[("m.yaml", "messages: []\n")], &[("team.align", rules)]);
    let errors: Vec<_> = ws
        .check()
        .into_iter()
        .filter(|f| f.rule == "load/rules")
        .collect();
    assert_eq!(
        errors.len(),
        1,
        "{:?}",
        errors.iter().map(|e| &e.message).collect::<Vec<_>>()
    );
    assert_eq!(
        errors[0].message,
        "`numbers` takes text here, but this is a number"
    );
    let span = errors[0].span.expect("located");
    let (start, _) = ws.sources.range(span).expect("in the rule file");
    assert_eq!((start.line, start.column), (4, 18));
}

#[test]
fn a_team_writes_its_own_frames_with_phrases_and_word_families() {
    let rules = r#"pack team "t"
let sizes = forms("tin", "bag")
let big = phrase(words("biggest", "largest"), gap(1), sizes)
let idiom = not_claim("idiom", words("biggest fan"))
let size = claim("size", "the product's dimensions", big)
rule sizes {
  for m in messages
  report matches(m.text, idiom, size)[it.claim] "{match.frame} claim `{match}`"
  help "what fits: {match.proof}"
}
"#;
    let yaml = "messages:\n  - id: m\n    text: The biggest coffee tins and the largest bags. Our biggest fan says hi.\n";
    let ws = from_texts(&[("m.yaml", yaml)], &[("team.align", rules)]);
    let found: Vec<_> = ws
        .check()
        .into_iter()
        .filter(|f| f.rule == "team/sizes")
        .map(|f| (f.message, f.help.unwrap_or_default()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "size claim `biggest coffee tins`".to_owned(),
                "what fits: the product's dimensions".to_owned()
            ),
            (
                "size claim `largest bags`".to_owned(),
                "what fits: the product's dimensions".to_owned()
            ),
        ]
    );
}
