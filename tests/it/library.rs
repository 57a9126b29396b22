//! The claims library: the `claims` kind loads with located errors, references and back-links,
//! and messages voice library claims by naming them or by saying them.

use crate::support::{brief, from_texts};

const LIBRARY: &str = "\
evidence:
  - {id: ev-bench, kind: analytics, date: 2026-10-01, summary: 92% matched across 140 customers.}
features:
  - {id: feat-match, name: Matching, status: shipped, facts: {match_rate_pct: 92}}
propositions:
  - {id: prop-match, statement: Invoices match themselves.}
claims:
  - id: clm-match
    text: Ledgerly matches up to 92% of your invoices automatically.
    status: approved
    approvals:
      - {role: product, by: Ana Ortiz, date: 2026-09-01}
      - {role: legal, by: Sam Reed, date: 2026-09-02}
    expires: 2027-09-01
    channels: [web, email]
    evidence: [ev-bench]
    features: [feat-match]
    proposition: prop-match
";

#[test]
fn a_library_claim_loads_with_its_references() {
    let ws = from_texts(&[("claims.yaml", LIBRARY)], &[]);
    let findings = ws.check();
    let b = brief(&ws, &findings);
    assert!(
        !b.iter()
            .any(|(r, ..)| r.starts_with("load/") || r.starts_with("hygiene/")),
        "{b:?}"
    );
    let m = &ws.model;
    let claim = m
        .lookup(align::model::Kind::Claim, "clm-match")
        .expect("the claim is indexed");
    for (kind, id) in [
        (align::model::Kind::Evidence, "ev-bench"),
        (align::model::Kind::Feature, "feat-match"),
        (align::model::Kind::Proposition, "prop-match"),
    ] {
        let e = m.lookup(kind, id).expect("declared");
        assert_eq!(m.backlink(e, "claims"), [claim], "{id}.claims");
    }
}

#[test]
fn bad_library_fields_are_located_with_suggestions() {
    let ws = from_texts(
        &[(
            "claims.yaml",
            "claims:\n  - id: c1\n    text: Fast.\n    status: aproved\n    approvals:\n      - {role: legal, by: Sam, date: soon}\n      - {role: lawyer, by: Sam, date: 2026-01-01}\n      - {role: legal, date: 2026-01-01}\n      - {role: legal, by: Sam, date: 2026-01-01, dte: x}\n    expires: next year\n    evidence: [ev-none]\nmessages:\n  - id: m1\n    text: Hello.\n    claims:\n      - {claim: c-missing}\n      - {evidence: [ev-none]}\n",
        )],
        &[],
    );
    let findings = ws.check();
    let b = brief(&ws, &findings);
    let on = |line: usize, rule: &str, words: &str| {
        assert!(
            b.iter()
                .any(|(r, l, _, m)| r == rule && *l == line && m.contains(words)),
            "no {rule} on line {line} saying {words:?}: {b:?}"
        );
    };
    on(4, "load/model", "did you mean `approved`");
    on(6, "load/model", "`soon` is not a date");
    on(
        7,
        "load/model",
        "one of: product, legal, marketing, sales, compliance",
    );
    on(8, "load/model", "this approval has no `by`");
    on(9, "load/model", "did you mean `date`");
    on(10, "load/model", "`next year` is not a date");
    on(11, "hygiene/dangling-reference", "ev-none");
    on(16, "hygiene/dangling-reference", "c-missing");
    on(17, "load/model", "names no library claim");
}

#[test]
fn messages_voice_claims_by_name_or_close_words() {
    let messages = "messages:\n  - id: m-named\n    text: Matching that just works.\n    claims: [{claim: clm-match}]\n  - id: m-said\n    text: Ledgerly matches 92% of your invoices automatically.\n  - id: m-other\n    text: Ledgerly matches receipts to card transactions.\n";
    let ws = from_texts(&[("claims.yaml", LIBRARY), ("m.yaml", messages)], &[]);
    let m = &ws.model;
    let claim = m
        .lookup(align::model::Kind::Claim, "clm-match")
        .expect("the claim");
    let ids: Vec<&str> = m
        .voiced_by(claim)
        .iter()
        .map(|e| m.entity(*e).id.as_str())
        .collect();
    assert_eq!(ids, ["m-named", "m-said"]);
}

#[test]
fn a_voiced_claim_in_force_backs_its_sentence() {
    // The same sentence, voicing the same wording under different library states.
    let claim = |status: &str, expires: &str, evidence: &str| {
        format!(
            "evidence:\n  - {{id: ev-b, kind: interview, date: 2026-10-01, summary: One lead said it is quick.}}\n\
             claims:\n  - id: clm-fast\n    text: The fastest way to an audit-ready close.\n    status: {status}\n    expires: {expires}\n{evidence}\
             messages:\n  - id: m1\n    channel: web\n    text: Month-end, handled. The fastest way to an audit-ready close.\n"
        )
    };
    let unsubstantiated = |yaml: &str| {
        let ws = from_texts(&[("c.yaml", yaml)], &[]);
        let findings = ws.check();
        brief(&ws, &findings)
            .into_iter()
            .filter(|(r, ..)| r == "overpromise/unsubstantiated-claim")
            .count()
    };
    let evidence = "    evidence: [ev-b]\n";
    assert_eq!(
        unsubstantiated(&claim("approved", "2027-01-01", evidence)),
        0
    );
    assert_eq!(
        unsubstantiated(&claim("withdrawn", "2027-01-01", evidence)),
        1
    );
    assert_eq!(unsubstantiated(&claim("draft", "2027-01-01", evidence)), 1);
    assert_eq!(
        unsubstantiated(&claim("approved", "2026-01-01", evidence)),
        1,
        "expired"
    );
    assert_eq!(
        unsubstantiated(&claim("approved", "2027-01-01", "")),
        1,
        "nothing behind it"
    );
}

#[test]
fn drift_findings_underline_the_changed_words_and_show_the_approved_wording() {
    let ws = from_texts(
        &[
            ("claims.yaml", LIBRARY),
            (
                "m.yaml",
                "messages:\n  - id: m-ad\n    channel: web\n    text: Ledgerly matches 92% of your invoices automatically.\n",
            ),
        ],
        &[],
    );
    let findings = ws.check();
    let drift: Vec<_> = findings
        .iter()
        .filter(|f| f.rule == "claims/claim-drift")
        .collect();
    assert_eq!(drift.len(), 1, "{findings:?}");
    let f = drift[0];
    let span = f.span.expect("located");
    assert_eq!(ws.sources.text(span), "92%");
    assert!(
        f.message.contains("drops `up to` before `92%`"),
        "{}",
        f.message
    );
    assert!(
        f.help.as_deref().is_some_and(
            |h| h.contains("Ledgerly matches up to 92% of your invoices automatically.")
        ),
        "{:?}",
        f.help
    );
    assert!(
        f.labels
            .iter()
            .any(|l| l.message.contains("approved wording")
                && ws.sources.text(l.span).contains("up to 92%")),
        "{:?}",
        f.labels
    );
}

#[test]
fn a_claim_whose_only_support_is_anecdotal_is_underlined_in_the_message() {
    // The library claim the message voices rests on one interview; the message's own
    // evidence is a sales call with no sample size: every piece is anecdotal.
    let data = "\
evidence:
  - {id: ev-int, kind: interview, date: 2026-10-01, summary: One controller on approvals.}
  - {id: ev-call, kind: sales-call, date: 2026-10-02, summary: A prospect on month-end.}
claims:
  - id: clm-fast
    text: Approvals twice as fast as spreadsheets.
    status: draft
    evidence: [ev-int]
messages:
  - id: m-web
    channel: web
    evidence: [ev-call]
    claims: [{claim: clm-fast}]
    text: Month-end in days. Approvals twice as fast as spreadsheets.
";
    let ws = from_texts(&[("gtm.yaml", data)], &[]);
    let findings = ws.check();
    let anecdotal: Vec<_> = findings
        .iter()
        .filter(|f| f.rule == "listening/anecdotal-evidence")
        .collect();
    assert_eq!(anecdotal.len(), 1, "{findings:?}");
    let f = anecdotal[0];
    assert_eq!(
        f.entity.as_ref().map(|e| e.id.as_str()),
        Some("m-web"),
        "the finding is about the message"
    );
    assert_eq!(ws.sources.text(f.span.expect("located")), "twice as fast");
    assert_eq!(
        f.message,
        "quantified outcome claim `twice as fast` rests only on anecdotal evidence (ev-call, ev-int)"
    );
}

#[test]
fn misspelt_keys_in_claims_are_located_with_the_key_meant() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("claims.yaml"),
        "\
claims:
  - id: c1
    text: Approvals twice as fast.
    status: approved
    aproval:
      - {role: legal, by: Sam Reed, date: 2026-01-01}
    approvals:
      - {rol: legal, by: Sam Reed, date: 2026-01-01}
      - {role: legal, bye: Sam Reed, date: 2026-01-01}
      - {role: legal, by: Sam Reed, dat: 2026-01-01}
    wordng: Approvals twice as fast.
messages:
  - id: m1
    text: Approvals twice as fast.
    claims:
      - {clam: c1}
      - {claim: c1, evidnce: [ev-x], tone: warm}
      - {txt: Twice as fast.}
",
    )
    .expect("write");
    let out = crate::support::align()
        .args(["check", "--format", "concise", "--today", "2026-11-26"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "a load/model error");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("load/model") || l.contains("hygiene/unknown-field"))
        .map(|l| l.split_once("claims.yaml:").map_or(l, |(_, rest)| rest))
        .collect();
    assert_eq!(
        lines,
        [
            "5:5: warning hygiene/unknown-field `aproval` is not a field of a library claim; did you mean `approvals`?",
            "8:10: error load/model an approval has no field `rol` (did you mean `role`?)",
            "9:23: error load/model an approval has no field `bye` (did you mean `by`?)",
            "10:37: error load/model an approval has no field `dat` (did you mean `date`?)",
            "11:5: warning hygiene/unknown-field `wordng` is not a field of a library claim; did you mean `text`?",
            "16:10: error load/model a message's claim has no field `clam` (did you mean `claim`?)",
            "17:21: error load/model a message's claim has no field `evidnce` (did you mean `evidence`?)",
            "18:10: error load/model a message's claim has no field `txt` (did you mean `text`?)",
        ],
        "{text}"
    );
}
