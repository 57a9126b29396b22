//! Loading: bad files are located findings, and every other file is still checked.

use crate::support::{brief, from_texts};

const VALID: &str = "propositions:\n  - id: p1\n    statement: We help.\n    segment: s1\n";

#[test]
fn broken_yaml_beside_a_valid_file() {
    let ws = from_texts(
        &[
            ("broken.yaml", "segments: [\n  - id: x\n"),
            ("ok.yaml", VALID),
        ],
        &[],
    );
    let findings = ws.check();
    let b = brief(&ws, &findings);
    assert!(b.iter().any(|(r, ..)| r == "load/yaml"), "{b:?}");
    // The valid file is still checked.
    assert!(
        b.iter()
            .any(|(r, ..)| r == "listening/proposition-without-evidence"),
        "{b:?}"
    );
    assert!(ws.unusable);
}

#[test]
fn wrong_types_are_reported_and_the_rest_kept() {
    let ws = from_texts(
        &[(
            "e.yaml",
            "evidence:\n  - id: e1\n    kind: interview\n    date: soon\n    supports: 5\n    sample_size: many\n  - id: e2\n    kind: survey\n    date: 2026-01-01\n",
        )],
        &[],
    );
    let findings = ws.check();
    let model: Vec<_> = brief(&ws, &findings)
        .into_iter()
        .filter(|(r, ..)| r == "load/model")
        .collect();
    assert_eq!(model.len(), 3, "{model:?}");
    assert_eq!(model[0].1, 4, "date: soon is reported on its line");
    assert!(model[0].3.contains("`soon` is not a date"));
    assert!(
        model[1]
            .3
            .contains("`supports` should be a list of need ids, but this is a number")
    );
    assert_eq!(ws.model.len(), 2, "both evidence items are kept");
}

#[test]
fn files_without_kinds_are_not_data() {
    let ws = from_texts(
        &[("ci.yaml", "jobs:\n  test: {}\n"), ("ok.yaml", VALID)],
        &[],
    );
    let findings = ws.check();
    assert!(
        brief(&ws, &findings)
            .iter()
            .all(|(r, ..)| !r.starts_with("load/"))
    );
    assert_eq!(ws.model.len(), 1);
}

#[test]
fn several_documents_and_kinds_per_file() {
    let ws = from_texts(
        &[(
            "all.yaml",
            "segments:\n  - id: s1\n    name: S\n---\nneeds:\n  - id: n1\n    statement: N\n    segment: s1\n",
        )],
        &[],
    );
    assert_eq!(ws.model.len(), 2);
    let s = ws
        .model
        .lookup(align::model::Kind::Segment, "s1")
        .expect("segment");
    let needs = ws.model.backlink(s, "needs");
    assert_eq!(
        needs.len(),
        1,
        "segment.needs follows the need's reference back"
    );
}

#[test]
fn unknown_fields_are_kept_and_typos_reported() {
    let ws = from_texts(
        &[(
            "n.yaml",
            "needs:\n  - id: n1\n    statement: N\n    segmnet: s1\n",
        )],
        &[],
    );
    let findings = ws.check();
    let b = brief(&ws, &findings);
    let typo = b
        .iter()
        .find(|(r, ..)| r == "hygiene/unknown-field")
        .expect("typo reported");
    assert_eq!((typo.1, typo.2), (4, 5));
    assert!(typo.3.contains("did you mean `segment`?"));
    let n = ws
        .model
        .lookup(align::model::Kind::Need, "n1")
        .expect("need");
    assert!(
        ws.model.entity(n).get("segmnet").is_some(),
        "unknown fields are kept"
    );
}

#[test]
fn missing_required_fields_and_ids() {
    let ws = from_texts(
        &[(
            "f.yaml",
            "features:\n  - name: No id\n    status: shipped\n  - id: f2\n    status: someday\n",
        )],
        &[],
    );
    let findings = ws.check();
    let model: Vec<String> = brief(&ws, &findings)
        .into_iter()
        .filter(|(r, ..)| r == "load/model")
        .map(|b| b.3)
        .collect();
    assert!(model.iter().any(|m| m.contains("has no `id`")), "{model:?}");
    assert!(
        model
            .iter()
            .any(|m| m.contains("`someday` is not a valid `status`")),
        "{model:?}"
    );
    assert!(
        model
            .iter()
            .any(|m| m.contains("feature `f2` has no `name`")),
        "{model:?}"
    );
}

#[test]
fn a_byte_order_mark_in_memory_is_not_text() {
    let ws = from_texts(
        &[(
            "n.yaml",
            "\u{feff}needs: [{id: n1, statement: S, segmnet: x}]\n",
        )],
        &[],
    );
    let findings = ws.check();
    let b = brief(&ws, &findings);
    assert!(b.iter().all(|(r, ..)| !r.starts_with("load/")), "{b:?}");
    let typo = b
        .iter()
        .find(|(r, ..)| r == "hygiene/unknown-field")
        .expect("the typo is reported");
    // The mark is not a character of the line: `segmnet` starts at column 32.
    assert_eq!((typo.1, typo.2), (1, 32), "{b:?}");
}
