//! Every construct of the rule language, evaluated on a small model.
//!
//! Each test states a rule (or a rule file) and which entities it reports, so the tests read as
//! the language's specification. `reported` gives the ids of the entities a rule reports, in
//! file order; `located` gives where each finding points and the words it underlines.

use crate::support::from_texts;
use align::engine::RuleConfig;
use align::finding::Finding;
use align::lang::ast::Literal;
use align::project::Workspace;

/// A small rota app's go-to-market model. Line numbers matter to the span tests.
const MODEL: &str = r#"segments:
  - id: seg-cafes
    name: Neighbourhood cafés
    accounts: 1800
  - id: seg-pubs
    name: Pubs with kitchens
    accounts: 900
  - id: seg-hotels
    name: Hotel groups

needs:
  - id: need-rota
    statement: Managers want next week's rota done in minutes.
    segment: seg-cafes
    priority: high
    kind: pain
  - id: need-swaps
    statement: Staff want to swap shifts without a manager.
    segment: seg-cafes
    priority: medium
  - id: need-tips
    statement: Staff want TIPS split fairly.
    segment: seg-pubs
    priority: low

evidence:
  - id: ev-old
    kind: interview
    date: 2024-01-10
    segment: seg-cafes
    sentiment: positive
    supports: [need-rota]
    sample_size: 8
  - id: ev-new
    kind: survey
    date: 2026-10-01
    segment: seg-pubs
    sentiment: negative
    supports: [need-swaps]
    sample_size: 240
    contradicts: [prop-tips]

features:
  - id: feat-rota
    name: Rota builder
    status: shipped
    addresses: [need-rota]
    facts:
      uptime_pct: 99.9
  - id: feat-swaps
    name: Shift swaps
    status: beta
    addresses: [need-swaps]
  - id: feat-tips
    name: Tip splitting
    status: planned
    addresses: [need-tips]
  - id: feat-kiosk
    name: Clock-in kiosk
    status: deprecated

propositions:
  - id: prop-rota
    statement: Next week's rota in ten minutes.
    segment: seg-cafes
    needs: [need-rota, need-swaps]
    features: [feat-rota, feat-swaps]
    evidence: [ev-old]
  - id: prop-tips
    statement: Tips split fairly, every week.
    segment: seg-pubs
    needs: [need-tips]
    features: [feat-tips]

messages:
  - id: msg-web
    channel: web
    proposition: prop-rota
    features: [feat-rota]
    text: The Fastest rota app, with 99.99% uptime and up to 92% fewer gaps.
  - id: msg-email
    channel: email
    proposition: prop-rota
    text: "Swap shifts in \"Early Access\". Best in class support."
    claims:
      - text: 'Rotas in 10 minutes, it''s the fastest way.'
        feature: feat-swaps
  - id: msg-social
    channel: social
    text: |
      Hello pubs.
      Tips split in under 2 days, guaranteed.
  - id: msg-ad
    channel: ad
    proposition: prop-tips
    text: >
      Every tip split fairly, best
      in class, every week.
"#;

/// The workspace of the model with one team rule file.
fn workspace(model: &str, rules: &str) -> Workspace {
    from_texts(&[("model.yaml", model)], &[("team.align", rules)])
}

/// A rule file holding one rule, `team/r`, with this body.
fn one_rule(body: &str) -> String {
    format!("rule r {{\n{body}\n}}\n")
}

/// The findings of the team's rules; fails on any mistake in the rule file.
fn team_findings(ws: &Workspace) -> Vec<Finding> {
    let errors: Vec<&String> = ws
        .load_findings
        .iter()
        .filter(|f| f.rule == "load/rules")
        .map(|f| &f.message)
        .collect();
    assert!(errors.is_empty(), "the rule file has mistakes: {errors:?}");
    ws.check()
        .into_iter()
        .filter(|f| f.rule.starts_with("team/"))
        .collect()
}

/// The ids of the entities a rule file's rules report, in file order.
fn reported_by_file(model: &str, rules: &str) -> Vec<String> {
    let ws = workspace(model, rules);
    team_findings(&ws)
        .into_iter()
        .map(|f| f.entity.map(|e| e.id).unwrap_or_default())
        .collect()
}

/// The ids of the entities rule `body` reports on `model`, in file order.
fn reported(model: &str, body: &str) -> Vec<String> {
    reported_by_file(model, &one_rule(body))
}

/// Where each finding of rule `body` points: `(line, column, underlined text)`.
fn located(model: &str, body: &str) -> Vec<(usize, usize, String)> {
    let ws = workspace(model, &one_rule(body));
    team_findings(&ws)
        .into_iter()
        .map(|f| {
            let span = f.span.expect("located");
            let (start, _) = ws.sources.range(span).expect("in a file");
            (start.line, start.column, ws.sources.text(span).to_owned())
        })
        .collect()
}

/// The messages (and helps) of the findings of rule `body`.
fn messages(model: &str, body: &str) -> Vec<(String, String)> {
    let ws = workspace(model, &one_rule(body));
    team_findings(&ws)
        .into_iter()
        .map(|f| (f.message, f.help.unwrap_or_default()))
        .collect()
}

/// The `load/rules` findings of a rule file: `(line, column, message, help)`.
fn rule_errors(rules: &str) -> Vec<(usize, usize, String, String)> {
    let ws = workspace(MODEL, rules);
    ws.check()
        .into_iter()
        .filter(|f| f.rule == "load/rules")
        .map(|f| {
            let span = f.span.expect("located");
            let (start, _) = ws.sources.range(span).expect("in a file");
            assert_eq!(
                ws.sources.path(span.file).to_string_lossy(),
                "team.align",
                "errors point into the rule file"
            );
            (
                start.line,
                start.column,
                f.message,
                f.help.unwrap_or_default(),
            )
        })
        .collect()
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

// ------------------------------------------------------------------ conditions

#[test]
fn and_or_not() {
    assert_eq!(
        reported(
            MODEL,
            "for p in propositions where some p.evidence and some p.features report \"x\""
        ),
        ids(&["prop-rota"])
    );
    assert_eq!(
        reported(
            MODEL,
            "for s in segments where s.accounts > 1000 or no s.accounts report \"x\""
        ),
        ids(&["seg-cafes", "seg-hotels"])
    );
    assert_eq!(
        reported(
            MODEL,
            "for p in propositions where not (some p.evidence) report \"x\""
        ),
        ids(&["prop-tips"])
    );
    assert_eq!(
        reported(
            MODEL,
            "for p in propositions where not some p.evidence report \"x\""
        ),
        ids(&["prop-tips"])
    );
}

#[test]
fn and_binds_tighter_than_or_and_parentheses_group() {
    let loose = "for p in propositions
      where p.id == \"prop-tips\" or p.id == \"prop-rota\" and some p.evidence
      report \"x\"";
    assert_eq!(reported(MODEL, loose), ids(&["prop-rota", "prop-tips"]));
    let grouped = "for p in propositions
      where (p.id == \"prop-tips\" or p.id == \"prop-rota\") and some p.evidence
      report \"x\"";
    assert_eq!(reported(MODEL, grouped), ids(&["prop-rota"]));
}

#[test]
fn several_where_clauses_are_anded() {
    let body = "for n in needs
      where n.segment.id == \"seg-cafes\"
      where n.priority == \"medium\"
      report \"x\"";
    assert_eq!(reported(MODEL, body), ids(&["need-swaps"]));
}

#[test]
fn some_and_no_treat_a_missing_field_as_empty() {
    assert_eq!(
        reported(MODEL, "for n in needs where no n.kind report \"x\""),
        ids(&["need-swaps", "need-tips"])
    );
    assert_eq!(
        reported(MODEL, "for n in needs where some n.kind report \"x\""),
        ids(&["need-rota"])
    );
    assert_eq!(
        reported(MODEL, "for f in features where no f.addresses report \"x\""),
        ids(&["feat-kiosk"])
    );
}

#[test]
fn all_and_any_quantifiers() {
    assert_eq!(
        reported(
            MODEL,
            "for p in propositions where all n in p.needs: n.priority != \"low\" report \"x\""
        ),
        ids(&["prop-rota"])
    );
    assert_eq!(
        reported(
            MODEL,
            "for p in propositions where any f in p.features: f.status == \"planned\" report \"x\""
        ),
        ids(&["prop-tips"])
    );
    // `all` over nothing holds; `any` over nothing does not.
    assert_eq!(
        reported(
            MODEL,
            "for s in segments where all p in s.propositions: some p.evidence report \"x\""
        ),
        ids(&["seg-cafes", "seg-hotels"])
    );
    assert_eq!(
        reported(
            MODEL,
            "for s in segments where any p in s.propositions: some p.segment report \"x\""
        ),
        ids(&["seg-cafes", "seg-pubs"])
    );
    // Nested, reading the outer variables.
    assert_eq!(
        reported(
            MODEL,
            "for p in propositions
             where any f in p.features: any n in f.addresses: n in p.needs and n.priority == \"low\"
             report \"x\""
        ),
        ids(&["prop-tips"])
    );
}

#[test]
fn count_comparisons() {
    assert_eq!(
        reported(
            MODEL,
            "for p in propositions where count(p.needs) >= 2 report \"x\""
        ),
        ids(&["prop-rota"])
    );
    assert_eq!(
        reported(
            MODEL,
            "for s in segments where count(s.needs) == 0 report \"x\""
        ),
        ids(&["seg-hotels"])
    );
    assert_eq!(
        reported(
            MODEL,
            "for s in segments where count(s.needs.evidence) < count(s.needs) report \"x\""
        ),
        ids(&["seg-pubs"])
    );
}

#[test]
fn the_six_comparison_operators() {
    let accounts = |op: &str| {
        reported(
            MODEL,
            &format!("for s in segments where s.accounts {op} 900 report \"x\""),
        )
    };
    assert_eq!(accounts("=="), ids(&["seg-pubs"]));
    assert_eq!(
        accounts("!="),
        ids(&["seg-cafes"]),
        "a missing value compares false, even with !="
    );
    assert_eq!(accounts("<"), Vec::<String>::new());
    assert_eq!(accounts("<="), ids(&["seg-pubs"]));
    assert_eq!(accounts(">"), ids(&["seg-cafes"]));
    assert_eq!(accounts(">="), ids(&["seg-cafes", "seg-pubs"]));
    // Texts compare too.
    assert_eq!(
        reported(
            MODEL,
            "for f in features where f.status < \"c\" report \"x\""
        ),
        ids(&["feat-swaps"])
    );
}

#[test]
fn a_list_compared_with_a_value_holds_when_any_item_does() {
    assert_eq!(
        reported(
            MODEL,
            "for p in propositions where p.needs.priority == \"high\" report \"x\""
        ),
        ids(&["prop-rota"])
    );
    // Any item differing is enough for `!=`.
    assert_eq!(
        reported(
            MODEL,
            "for p in propositions where p.needs.priority != \"high\" report \"x\""
        ),
        ids(&["prop-rota", "prop-tips"])
    );
    assert_eq!(
        reported(
            MODEL,
            "for p in propositions where p.needs.evidence.sample_size > 100 report \"x\""
        ),
        ids(&["prop-rota"])
    );
}

#[test]
fn membership_with_in() {
    assert_eq!(
        reported(
            MODEL,
            "for n in needs where n.priority in [\"high\", \"medium\"] report \"x\""
        ),
        ids(&["need-rota", "need-swaps"])
    );
    // An entity in a list of entities.
    assert_eq!(
        reported(
            MODEL,
            "for e in evidence where any n in e.supports: n in e.segment.needs report \"x\""
        ),
        ids(&["ev-old"])
    );
    // In a list of one text, `in` looks for that exact item, not for words inside it.
    assert_eq!(
        reported(
            "needs:\n  - id: n1\n    statement: S\n    tags: [legal-approved-pending]\n  - id: n2\n    statement: S\n    tags: [legal-approved]\n",
            "for n in needs where \"legal-approved\" in n.tags report \"x\""
        ),
        ids(&["n2"])
    );
    // Inside a single text, `in` looks for the words, ignoring case.
    assert_eq!(
        reported(
            MODEL,
            "for n in needs where \"tips split\" in n.statement report \"x\""
        ),
        ids(&["need-tips"])
    );
    // A reference compared with an id, and an id looked for among references.
    assert_eq!(
        reported(
            MODEL,
            "for p in propositions where p.segment == \"seg-pubs\" report \"x\""
        ),
        ids(&["prop-tips"])
    );
    assert_eq!(
        reported(
            MODEL,
            "for p in propositions where \"need-swaps\" in p.needs report \"x\""
        ),
        ids(&["prop-rota"])
    );
}

#[test]
fn has_any_all_no_with_word_lists() {
    let has = |test: &str| {
        reported(
            MODEL,
            &format!("for m in messages where m.text {test} report \"x\""),
        )
    };
    // Whole words, case-insensitively.
    assert_eq!(
        has("has any words(\"fastest\", \"GUARANTEED\")"),
        ids(&["msg-web", "msg-social"])
    );
    assert_eq!(has("has any words(\"fast\")"), Vec::<String>::new());
    // Phrases, also across the line fold of a `>` block.
    assert_eq!(
        has("has any words(\"best in class\")"),
        ids(&["msg-email", "msg-ad"])
    );
    assert_eq!(has("has any words(\"best class\")"), Vec::<String>::new());
    assert_eq!(
        has("has all words(\"swap shifts\", \"early access\")"),
        ids(&["msg-email"])
    );
    assert_eq!(
        has("has all words(\"swap shifts\", \"fastest\")"),
        Vec::<String>::new()
    );
    assert_eq!(
        has("has no words(\"fastest\", \"best in class\")"),
        ids(&["msg-social"])
    );
}

#[test]
fn matches_a_regex() {
    assert_eq!(
        reported(
            MODEL,
            "for m in messages where m.text matches /early\\s+access/i report \"x\""
        ),
        ids(&["msg-email"])
    );
    // Without `i`, case counts.
    assert_eq!(
        reported(
            MODEL,
            "for m in messages where m.text matches /early access/ report \"x\""
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        reported(
            MODEL,
            "for m in messages where m.text matches /\\d+(\\.\\d+)?%/ report \"x\""
        ),
        ids(&["msg-web"])
    );
}

// ------------------------------------------------------------------ values

#[test]
fn let_bindings_are_shared_by_the_rules_of_a_file() {
    let rules = "let hype = words(\"fastest\", \"guaranteed\")
let big = 1000
rule hyped { for m in messages where m.text has any hype report \"x\" }
rule big-segment { for s in segments where s.accounts > big report \"x\" }
";
    assert_eq!(
        reported_by_file(MODEL, rules),
        ids(&["seg-cafes", "msg-web", "msg-social"])
    );
}

#[test]
fn options_have_defaults_that_configuration_overrides() {
    let rules = "option max_age_days = 60
rule old { for e in evidence where e.date < today - max_age_days report \"x\" }
";
    // today is 2026-11-26: 60 days back is 2026-09-27.
    assert_eq!(reported_by_file(MODEL, rules), ids(&["ev-old"]));
    let mut ws = workspace(MODEL, rules);
    ws.settings.rules.insert(
        "team/old".to_owned(),
        RuleConfig {
            severity: None,
            options: [("max_age_days".to_owned(), Literal::Number(30.0))].into(),
        },
    );
    let got: Vec<String> = team_findings(&ws)
        .into_iter()
        .filter_map(|f| f.entity.map(|e| e.id))
        .collect();
    assert_eq!(got, ids(&["ev-old", "ev-new"]));
}

#[test]
fn dates_durations_and_today() {
    assert_eq!(
        reported(
            MODEL,
            "for e in evidence where e.date < 2025-01-01 report \"x\""
        ),
        ids(&["ev-old"])
    );
    assert_eq!(
        reported(
            MODEL,
            "for e in evidence where e.date < today - 730 days report \"x\""
        ),
        ids(&["ev-old"])
    );
    assert_eq!(
        reported(
            MODEL,
            "for e in evidence where e.date >= today - 8 weeks report \"x\""
        ),
        ids(&["ev-new"])
    );
    assert_eq!(
        reported(
            MODEL,
            "for e in evidence where today - e.date > 365 days report \"x\""
        ),
        ids(&["ev-old"])
    );
    assert_eq!(
        messages(
            MODEL,
            "for e in evidence where e.kind == \"survey\" report \"{e.date}, {today - e.date} before {today}\""
        ),
        [(
            "2026-10-01, 56 days before 2026-11-26".to_owned(),
            String::new()
        )]
    );
}

#[test]
fn numbers_in_text_with_value_unit_and_qualifier() {
    let body = "for m in messages
      report numbers(m.text) \"{match}: {match.value} {match.unit} ({match.qualifier})\"";
    assert_eq!(
        messages(MODEL, body)
            .into_iter()
            .map(|(m, _)| m)
            .collect::<Vec<_>>(),
        [
            "99.99%: 99.99 % ()",
            "92%: 92 % (up to)",
            "2 days: 2 days (under)",
        ]
    );
    assert_eq!(
        reported(
            MODEL,
            "for m in messages where some numbers(m.text)[unit == \"%\" and value > 99] report \"x\""
        ),
        ids(&["msg-web"])
    );
    assert_eq!(
        reported(
            MODEL,
            "for m in messages where any n in numbers(m.claims.text): n.value >= 10 and n.unit == \"minutes\" report \"x\""
        ),
        ids(&["msg-email"])
    );
}

#[test]
fn filtered_paths() {
    assert_eq!(
        reported(
            MODEL,
            "for p in propositions where some p.needs[priority == \"high\"] report \"x\""
        ),
        ids(&["prop-rota"])
    );
    // Conditions inside the brackets read the item's fields, back-links included.
    assert_eq!(
        reported(
            MODEL,
            "for p in propositions where some p.needs[priority != \"high\" and no evidence] report \"x\""
        ),
        ids(&["prop-tips"])
    );
    // A filter, then more steps.
    assert_eq!(
        reported(
            MODEL,
            "for p in propositions where p.features[status != \"shipped\"].addresses.priority == \"medium\" report \"x\""
        ),
        ids(&["prop-rota"])
    );
    // `it` is the item itself; names outside the item are still in reach.
    assert_eq!(
        reported(
            MODEL,
            "for s in segments where some s.needs[it in s.propositions.needs and priority == \"low\"] report \"x\""
        ),
        ids(&["seg-pubs"])
    );
}

#[test]
fn back_links() {
    assert_eq!(
        reported(MODEL, "for n in needs where some n.evidence report \"x\""),
        ids(&["need-rota", "need-swaps"])
    );
    assert_eq!(
        reported(
            MODEL,
            "for n in needs where no n.features[status == \"shipped\"] report \"x\""
        ),
        ids(&["need-swaps", "need-tips"])
    );
    assert_eq!(
        reported(
            MODEL,
            "for s in segments where count(s.needs) == 2 report \"x\""
        ),
        ids(&["seg-cafes"])
    );
    assert_eq!(
        reported(
            MODEL,
            "for p in propositions where no p.messages report \"x\""
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        messages(
            MODEL,
            "for p in propositions report \"{p.id}: {p.messages}\""
        )
        .into_iter()
        .map(|(m, _)| m)
        .collect::<Vec<_>>(),
        ["prop-rota: msg-web, msg-email", "prop-tips: msg-ad"]
    );
    assert_eq!(
        reported(
            MODEL,
            "for f in features where no f.propositions report \"x\""
        ),
        ids(&["feat-kiosk"])
    );
    assert_eq!(
        reported(
            MODEL,
            "for p in propositions where some p.contradicted_by report \"x\""
        ),
        ids(&["prop-tips"])
    );
}

#[test]
fn references_are_followed_through_paths() {
    assert_eq!(
        reported(
            MODEL,
            "for m in messages where m.proposition.segment.name == \"Neighbourhood cafés\" report \"x\""
        ),
        ids(&["msg-web", "msg-email"])
    );
    assert_eq!(
        reported(
            MODEL,
            "for m in messages where m.proposition.needs.evidence.kind == \"survey\" report \"x\""
        ),
        ids(&["msg-web", "msg-email"])
    );
    // Claims' references too.
    assert_eq!(
        reported(
            MODEL,
            "for m in messages where m.claims.feature.status == \"beta\" report \"x\""
        ),
        ids(&["msg-email"])
    );
    // A missing reference on the way is empty, not an error.
    assert_eq!(
        reported(
            MODEL,
            "for m in messages where no m.proposition.segment.name report \"x\""
        ),
        ids(&["msg-social"])
    );
}

#[test]
fn either_list_len_and_lower() {
    assert_eq!(
        messages(
            MODEL,
            "for p in propositions report \"{either(p.evidence, p.needs)}\""
        )
        .into_iter()
        .map(|(m, _)| m)
        .collect::<Vec<_>>(),
        ["ev-old", "need-tips"]
    );
    assert_eq!(
        reported(
            MODEL,
            "for p in propositions where count(list(p.needs, p.features, p.evidence)) == 5 report \"x\""
        ),
        ids(&["prop-rota"])
    );
    assert_eq!(
        reported(
            MODEL,
            "for s in segments where len(s.name) < 15 report \"x\""
        ),
        ids(&["seg-hotels"])
    );
    assert_eq!(
        reported(
            MODEL,
            "for p in propositions where len(p.needs) == 1 report \"x\""
        ),
        ids(&["prop-tips"])
    );
    assert_eq!(
        reported(
            MODEL,
            "for s in segments where lower(s.name) == \"pubs with kitchens\" report \"x\""
        ),
        ids(&["seg-pubs"])
    );
}

// ------------------------------------------------------------------ reports

#[test]
fn interpolation_in_report_and_help() {
    let body = "for p in propositions
      where p.id == \"prop-rota\"
      report p.statement \"`{p.id}` for {p.segment.name}: {count(p.needs)} needs ({p.needs})\"
      help \"features: {p.features}; statuses: {p.features.status}\"";
    assert_eq!(
        messages(MODEL, body),
        [(
            "`prop-rota` for Neighbourhood cafés: 2 needs (need-rota, need-swaps)".to_owned(),
            "features: feat-rota, feat-swaps; statuses: shipped, beta".to_owned()
        )]
    );
    // `{match}` is the item reported, in the help too; an empty value reads "(none)".
    let body = "for p in propositions
      report p.features[status != \"shipped\"] \"`{match}` is {match.status}\"
      help \"evidence: {p.evidence}\"";
    assert_eq!(
        messages(MODEL, body),
        [
            (
                "`feat-swaps` is beta".to_owned(),
                "evidence: ev-old".to_owned()
            ),
            (
                "`feat-tips` is planned".to_owned(),
                "evidence: (none)".to_owned()
            ),
        ]
    );
}

#[test]
fn report_a_field_points_at_its_value() {
    assert_eq!(
        located(
            MODEL,
            "for p in propositions where p.id == \"prop-tips\" report p.statement \"x\""
        ),
        [(70, 16, "Tips split fairly, every week.".to_owned())]
    );
    // A field holding a list: the whole list, once.
    assert_eq!(
        located(
            MODEL,
            "for p in propositions where p.id == \"prop-rota\" report p.features \"x\""
        ),
        [(67, 15, "[feat-rota, feat-swaps]".to_owned())]
    );
    // A missing field: the entity's id.
    assert_eq!(
        located(
            MODEL,
            "for p in propositions where p.id == \"prop-tips\" report p.evidence \"x\""
        ),
        [(69, 9, "prop-tips".to_owned())]
    );
}

#[test]
fn report_without_a_target_points_at_the_entity() {
    assert_eq!(
        located(MODEL, "for s in segments where no s.accounts report \"x\""),
        [(8, 9, "seg-hotels".to_owned())]
    );
}

#[test]
fn report_a_filtered_list_points_at_each_reference() {
    assert_eq!(
        located(
            MODEL,
            "for p in propositions report p.features[status != \"shipped\"] \"{match}\""
        ),
        [
            (67, 27, "feat-swaps".to_owned()),
            (73, 16, "feat-tips".to_owned()),
        ]
    );
}

#[test]
fn report_matches_points_at_the_words_in_every_kind_of_scalar() {
    let body = "for m in messages
      report matches(list(m.text, m.claims.text), words(\"fastest\", \"guaranteed\", \"best in class\", \"early access\")) \"`{match}`\"";
    assert_eq!(
        located(MODEL, body),
        [
            // Plain.
            (80, 15, "Fastest".to_owned()),
            // Double-quoted, after escaped quotes.
            (84, 29, "Early Access".to_owned()),
            (84, 45, "Best in class".to_owned()),
            // Single-quoted, after a doubled quote.
            (86, 47, "fastest".to_owned()),
            // Literal block, second line.
            (92, 35, "guaranteed".to_owned()),
            // Folded block, across the fold.
            (97, 31, "best\n      in class".to_owned()),
        ]
    );
    let texts: Vec<String> = messages(MODEL, body).into_iter().map(|(m, _)| m).collect();
    assert_eq!(
        texts,
        [
            "`Fastest`",
            "`Early Access`",
            "`Best in class`",
            "`fastest`",
            "`guaranteed`",
            "`best in class`",
        ]
    );
}

#[test]
fn report_matches_of_a_regex_and_filtered_matches() {
    let body = "for m in messages
      report matches(m.text, /\\d+(\\.\\d+)?%/)[not (it == \"92%\")] \"{match}\"";
    assert_eq!(located(MODEL, body), [(80, 38, "99.99%".to_owned())]);
}

#[test]
fn report_numbers_points_at_each_number() {
    let body = "for m in messages where m.channel == \"social\" report numbers(m.text) \"{match}\"";
    assert_eq!(located(MODEL, body), [(92, 27, "2 days".to_owned())]);
}

// ------------------------------------------------------------------ mistakes

#[test]
fn an_unknown_kind_is_located_with_a_suggestion() {
    let errors = rule_errors("rule r {\n  for p in propositons\n  report \"x\"\n}\n");
    assert_eq!(
        errors,
        [(
            2,
            12,
            "`propositons` is not a kind of entity".to_owned(),
            "did you mean `propositions`?".to_owned()
        )]
    );
    let errors = rule_errors("rule r {\n  for m in message\n  report \"x\"\n}\n");
    assert_eq!(errors[0].3, "write the plural: `messages`");
}

#[test]
fn an_unknown_field_is_located_with_a_suggestion() {
    let errors =
        rule_errors("rule r {\n  for p in propositions\n  where no p.evidnce\n  report \"x\"\n}\n");
    assert_eq!(
        errors,
        [(
            3,
            14,
            "a proposition has no field `evidnce`".to_owned(),
            "did you mean `evidence`?".to_owned()
        )]
    );
}

#[test]
fn an_unknown_function_is_located_with_a_suggestion() {
    let errors = rule_errors(
        "rule r {\n  for m in messages\n  where m.text has any wrods(\"fastest\")\n  report \"x\"\n}\n",
    );
    assert_eq!(
        errors,
        [(
            3,
            24,
            "there is no function `wrods`".to_owned(),
            "did you mean `words`?".to_owned()
        )]
    );
}

#[test]
fn an_unknown_name_is_located_with_a_suggestion() {
    let errors = rule_errors(
        "let hype = words(\"fastest\")\nrule r {\n  for m in messages\n  where m.text has any hyp\n  report \"x\"\n}\n",
    );
    assert_eq!(
        errors,
        [(
            4,
            24,
            "`hyp` is not defined here".to_owned(),
            "did you mean `hype`?".to_owned()
        )]
    );
}

#[test]
fn a_syntax_error_is_located() {
    let errors = rule_errors("rule r {\n  for p in propositions\n  where p.id ==\n}\n");
    assert_eq!(
        errors,
        [(
            4,
            1,
            "expected a value, found `}`".to_owned(),
            String::new()
        )]
    );
    // `=` for `==`: the error names the comparisons that would fit.
    let errors =
        rule_errors("rule r {\n  for p in propositions\n  where p.id = \"x\"\n  report \"x\"\n}\n");
    assert_eq!(errors.len(), 1, "{errors:?}");
    let (line, column, message, _) = &errors[0];
    assert_eq!((*line, *column), (3, 14), "{message}");
    assert!(
        message.contains("a comparison (==, !=, <, <=, >, >=)") && message.ends_with("found `=`"),
        "{message}"
    );
}

#[test]
fn a_mistake_in_one_rule_file_leaves_the_built_in_rules_running() {
    let ws = workspace(MODEL, "rule r {\n  for p in propositons\n}\n");
    assert!(ws.unusable);
    assert!(
        ws.check()
            .iter()
            .any(|f| f.rule == "voice/message-without-proposition")
    );
}

// ------------------------------------------------------------------ functions

#[test]
fn a_function_written_with_fn_is_called_from_the_rules_of_its_file() {
    let rules = "fn size(s in segments) =
  if s.accounts > 1000 then \"large\"
  else if some s.accounts then \"small\"
  else \"unknown\"
fn small(s in segments) = size(s) == \"small\"
rule r { for s in segments where small(s) or size(s) == \"unknown\" report \"{size(s)} segment\" }
";
    assert_eq!(
        reported_by_file(MODEL, rules),
        ids(&["seg-pubs", "seg-hotels"])
    );
    let ws = workspace(MODEL, rules);
    let found: Vec<String> = team_findings(&ws).into_iter().map(|f| f.message).collect();
    assert_eq!(found, ["small segment", "unknown segment"]);
}

#[test]
fn if_then_else_gives_a_value_anywhere() {
    let body = "for e in evidence
      where (if e.kind == \"survey\" then e.sample_size >= 100 else e.sample_size >= 5)
      report \"{if e.sample_size >= 100 then e.kind else e.id}\"";
    assert_eq!(
        messages(MODEL, body),
        [
            ("ev-old".to_owned(), String::new()),
            ("survey".to_owned(), String::new())
        ]
    );
}

#[test]
fn the_listening_packs_strength_is_callable_from_a_team_rule_file() {
    // ev-old: an interview from 2024, 8 people: anecdotal. ev-new: a survey of 240 this
    // year: strong (200 or more by default).
    let rules = "rule strong { for e in evidence where strength(e) != \"anecdotal\" report \"{strength(e)}\" }\n";
    let ws = workspace(MODEL, rules);
    let found: Vec<(String, String)> = team_findings(&ws)
        .into_iter()
        .map(|f| (f.entity.map(|e| e.id).unwrap_or_default(), f.message))
        .collect();
    assert_eq!(found, [("ev-new".to_owned(), "strong".to_owned())]);

    // A team file that declares one of the thresholds sets it for its own rules' calls.
    let stricter = format!("option strong_sample = 300\n{rules}");
    let ws = workspace(MODEL, &stricter);
    let found: Vec<String> = team_findings(&ws).into_iter().map(|f| f.message).collect();
    assert_eq!(found, ["moderate"]);

    // And configuration sets it per rule, as any option.
    let mut ws = workspace(MODEL, &stricter);
    ws.settings.rules.insert(
        "team/strong".to_owned(),
        RuleConfig {
            severity: None,
            options: [("strong_sample".to_owned(), Literal::Number(200.0))].into(),
        },
    );
    let found: Vec<String> = team_findings(&ws).into_iter().map(|f| f.message).collect();
    assert_eq!(found, ["strong"]);
}

#[test]
fn mistakes_with_functions_are_located() {
    let arity =
        rule_errors("rule r {\n  for e in evidence\n  where strength(e, 2) == \"strong\"\n}\n");
    assert_eq!(
        arity,
        [(
            3,
            9,
            "`strength` takes 1 argument, but is given 2".to_owned(),
            "written in the `listening` pack: strength(e in evidence)".to_owned()
        )]
    );
    let kind = rule_errors("rule r {\n  for m in messages\n  where strength(m) == \"strong\"\n}\n");
    assert_eq!(
        kind[0].2,
        "`strength` takes an evidence item here, but this is a message"
    );
    let typo = rule_errors("rule r {\n  for e in evidence\n  where strenght(e) == \"strong\"\n}\n");
    assert_eq!(
        (typo[0].2.as_str(), typo[0].3.as_str()),
        (
            "there is no function `strenght`",
            "did you mean `strength`?"
        )
    );
    let itself = rule_errors("fn f(x) = f(x)\nrule r { for e in evidence where f(e) }\n");
    assert_eq!(
        itself,
        [(
            1,
            11,
            "`f` cannot be called here".to_owned(),
            "a function can call only the functions written above it, so that none calls itself, directly or through another".to_owned()
        )]
    );
    let below =
        rule_errors("fn f(x) = g(x)\nfn g(x) = some x\nrule r { for e in evidence where f(e) }\n");
    assert_eq!(
        (below[0].0, below[0].2.as_str()),
        (1, "`g` cannot be called here")
    );
    let from_let = rule_errors(
        "fn f(x) = some x\nlet y = f(1)\nrule r { for e in evidence where f(e) and y }\n",
    );
    assert_eq!(from_let[0].2, "`f` cannot be called here");
    assert!(
        from_let[0].3.starts_with("a `let` is computed once"),
        "{from_let:?}"
    );
    let taken = rule_errors("fn words(x) = x\nfn strength(x) = x\nrule r { for e in evidence }\n");
    assert_eq!(
        taken
            .iter()
            .map(|e| (e.0, e.2.as_str(), e.3.as_str()))
            .collect::<Vec<_>>(),
        [
            (
                1,
                "`words` is a built-in function",
                "give the function another name"
            ),
            (
                2,
                "a function `strength` is already defined",
                "the `listening` pack defines `strength(e in evidence)`; call it, or give this one another name"
            )
        ]
    );
    // A function that does not parse is reported once, not again at every call.
    let broken = rule_errors(
        "fn size(s in segments) = if s.accounts > 10 then \"big\"\nrule r {\n  for s in segments\n  where size(s) == \"big\"\n}\n",
    );
    assert_eq!(
        broken
            .iter()
            .map(|e| (e.0, e.1, e.2.as_str()))
            .collect::<Vec<_>>(),
        [(
            1,
            50,
            "expected a comparison (==, !=, <, <=, >, >=), `has`, `in`, `matches`, `and`, `else` or `or` after `\"big\"`"
        )]
    );
    let param = rule_errors(
        "fn f(x in evidense, x) = some x\nrule r { for e in evidence where f(e, e) }\n",
    );
    assert_eq!(
        param
            .iter()
            .map(|e| (e.2.as_str(), e.3.as_str()))
            .collect::<Vec<_>>(),
        [
            (
                "`evidense` is not a kind of entity",
                "did you mean `evidence`?"
            ),
            ("`x` is already a parameter of `f`", "")
        ]
    );
}

#[test]
fn a_rule_can_go_over_several_kinds_one_for_clause_each() {
    let rules = "rule r {
  summary \"Nothing behind it\"
  for p in propositions
  where no p.evidence
  report p.statement \"proposition {p.id}\"
  help \"link evidence to {p.id}\"
  for m in messages
  where m.channel == \"ad\"
  report m.text \"ad {m.id}\"
}
";
    let ws = workspace(MODEL, rules);
    let found: Vec<(String, String, String)> = team_findings(&ws)
        .into_iter()
        .map(|f| {
            (
                f.entity.map(|e| e.id).unwrap_or_default(),
                f.message,
                f.help.unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "prop-tips".to_owned(),
                "proposition prop-tips".to_owned(),
                "link evidence to prop-tips".to_owned()
            ),
            ("msg-ad".to_owned(), "ad msg-ad".to_owned(), String::new()),
        ]
    );
    // Each `for` has its own names: the first clause's variable is unknown in the second.
    let errors = rule_errors(
        "rule r {\n  for p in propositions\n  report \"x\"\n  for m in messages\n  where p.id == \"x\"\n  report \"y\"\n  report \"z\"\n}\n",
    );
    assert_eq!(
        errors
            .iter()
            .map(|e| (e.0, e.2.as_str()))
            .collect::<Vec<_>>(),
        [
            (5, "`p` is not defined here"),
            (7, "this rule already has a `report` clause")
        ]
    );
}
