//! The bundled example, checked as a user runs it: every rule fires, at the right place.

use crate::support::align;

#[test]
fn human_report_of_the_example() {
    let out = align()
        .args(["check", "examples/ledgerly"])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "findings at error severity exit 1"
    );
    let text = String::from_utf8_lossy(&out.stdout);
    insta::assert_snapshot!("ledgerly_human", text);
}

#[test]
fn json_report_of_the_example() {
    let out = align()
        .args(["check", "examples/ledgerly", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    insta::assert_json_snapshot!("ledgerly_json", json);
}

#[test]
fn every_builtin_rule_fires_on_the_example() {
    let out = align()
        .args(["check", "examples/ledgerly", "--format", "json"])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let fired: std::collections::BTreeSet<String> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str().map(str::to_owned))
        .collect();
    let listed = align::rules::BUILTIN_PACKS.len();
    assert_eq!(listed, 6);
    let mut ws_rules = align::rules::RuleSet::default();
    let mut sources = align::source::Sources::new();
    ws_rules
        .add_builtin(&mut sources)
        .expect("built-in packs load");
    let missing: Vec<&str> = ws_rules
        .rules
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| !fired.contains(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "rules that never fire on the example: {missing:?}"
    );
    assert_eq!(ws_rules.rules.len(), 24);
}

#[test]
fn json_matches_the_documented_shape() {
    let out = align()
        .args(["check", "examples/ledgerly", "--format", "json"])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(json["version"], 1);
    let f = &json["findings"][0];
    for key in [
        "rule",
        "severity",
        "message",
        "help",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
    ] {
        assert!(f.get(key).is_some(), "finding lacks `{key}`: {f}");
    }
    let s = &json["summary"];
    assert_eq!(s["files"], 23);
    assert_eq!(s["entities"], 79);
    assert_eq!(s["errors"], 15);
    assert_eq!(s["warnings"], 24);
    assert_eq!(s["infos"], 1);
}

#[test]
fn words_inside_scalars_are_underlined_exactly() {
    let out = align()
        .args(["check", "examples/ledgerly", "--format", "json"])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let find = |rule: &str, file: &str| {
        json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["rule"] == rule && f["file"].as_str().is_some_and(|p| p.ends_with(file)))
            .cloned()
            .unwrap_or_else(|| panic!("no {rule} in {file}"))
    };
    // "99.99%" on the second line of a `>` folded block.
    let n = find("overpromise/number-beyond-facts", "messages/web.yaml");
    assert_eq!(
        (
            n["line"].as_u64(),
            n["column"].as_u64(),
            n["end_column"].as_u64()
        ),
        (Some(29), Some(27), Some(33))
    );
    // "fastest" inside a double-quoted claim.
    let c = find(
        "overpromise/unsubstantiated-claim",
        "messages/sales-deck.yaml",
    );
    assert_eq!(
        (
            c["line"].as_u64(),
            c["column"].as_u64(),
            c["end_column"].as_u64()
        ),
        (Some(21), Some(20), Some(27))
    );
    // A reference inside a flow list.
    let d = find("hygiene/dangling-reference", "features.yaml");
    assert_eq!(
        (
            d["line"].as_u64(),
            d["column"].as_u64(),
            d["end_column"].as_u64()
        ),
        (Some(26), Some(54), Some(78))
    );
}
