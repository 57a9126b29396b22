//! `align schema`: the JSON Schemas hold every real file align reads, and reject the
//! mistakes align rejects.

use crate::support::{align, root};
use std::path::{Path, PathBuf};

fn schema_of(which: &str) -> serde_json::Value {
    let out = align().args(["schema", which]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    serde_json::from_slice(&out.stdout).expect("the schema is JSON")
}

fn validator(schema: &serde_json::Value) -> jsonschema::Validator {
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("schema compiles")
}

fn errors(v: &jsonschema::Validator, yaml: &str) -> Vec<String> {
    let docs: Vec<serde_json::Value> =
        serde_saphyr::from_multiple(yaml).unwrap_or_else(|e| panic!("YAML: {e}\n{yaml}"));
    docs.iter()
        .flat_map(|d| {
            v.iter_errors(d)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect()
}

/// Whether align itself reads the file without a `load/` finding (some fixtures are
/// broken on purpose) and without an unknown field (a misspelt field leaves a required one
/// missing, which the schema then reports too).
fn align_reads_it_cleanly(name: &str, text: &str) -> bool {
    let ws = crate::support::from_texts(&[(name, text)], &[]);
    ws.load_findings.is_empty() && !ws.check().iter().any(|f| f.rule == "hygiene/unknown-field")
}

#[test]
fn every_example_and_fixture_data_file_validates() {
    let v = validator(&schema_of("data"));
    let mut checked = 0;
    for dir in ["examples", "tests/fixtures"] {
        for path in yaml_files(&root().join(dir)) {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let text = std::fs::read_to_string(&path).expect("read");
            if name == "align.yaml"
                || path.starts_with(root().join("examples/ci"))
                || !align_reads_it_cleanly(name, &text)
            {
                continue;
            }
            let found = errors(&v, &text);
            assert!(found.is_empty(), "{}: {found:#?}", path.display());
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} files checked");
}

#[test]
fn broken_data_does_not_validate() {
    let v = validator(&schema_of("data"));
    for (broken, why) in [
        (
            "features:\n  - id: f\n    name: F\n    status: shippd\n",
            "status is an enum",
        ),
        (
            "features:\n  - name: F\n    status: shipped\n",
            "id is required",
        ),
        (
            "needs:\n  - id: n\n    statement: S\n    priority: urgent\n",
            "priority is an enum",
        ),
        (
            "evidence:\n  - id: e\n    kind: interview\n    date: last week\n",
            "date is YYYY-MM-DD",
        ),
        (
            "evidence:\n  - id: e\n    kind: interview\n    date: 2026-01-02\n    sample_size: many\n",
            "sample_size is a number",
        ),
        (
            "messages:\n  - id: m\n    text: Hi\n    ignore: [{reason: x}]\n",
            "a suppression names its rule",
        ),
        (
            "features:\n  - id: f\n    name: F\n    status: shipped\n    facts: {uptime_pct: high}\n",
            "facts are numbers",
        ),
        ("segments: {id: s, name: S}\n", "a kind holds a list"),
    ] {
        assert!(!errors(&v, broken).is_empty(), "{why}: {broken}");
    }
    // Fields of a team's own are allowed: a rule may read them.
    assert!(errors(&v, "segments:\n  - id: s\n    name: S\n    region: EMEA\n").is_empty());
}

#[test]
fn data_schema_describes_every_field() {
    let schema = schema_of("data");
    let status = &schema["properties"]["features"]["items"]["properties"]["status"];
    assert_eq!(
        status["enum"],
        serde_json::json!(["shipped", "beta", "planned", "deprecated"])
    );
    assert!(
        status["description"]
            .as_str()
            .is_some_and(|d| d.contains("shipped"))
    );
    for (kind, def) in schema["properties"].as_object().expect("kinds") {
        for (field, s) in def["items"]["properties"].as_object().expect("fields") {
            assert!(s["description"].is_string(), "{kind}.{field} is described");
        }
    }
}

#[test]
fn config_schema_matches_the_configuration_keys() {
    let schema = schema_of("config");
    let mut keys: Vec<&str> = schema["properties"]
        .as_object()
        .expect("keys")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut known: Vec<&str> = align::project::config::KEYS.to_vec();
    known.sort_unstable();
    assert_eq!(
        keys, known,
        "`align schema config` and align.yaml's reader agree"
    );
    assert!(
        schema["properties"]["rules"]["properties"]["overpromise/unsubstantiated-claim"]["description"]
            .is_string(),
        "built-in rule ids complete, with their summaries"
    );

    let v = validator(&schema);
    let mut checked = 0;
    for path in yaml_files(&root())
        .into_iter()
        .filter(|p| p.ends_with("align.yaml"))
    {
        if path
            .components()
            .any(|c| c.as_os_str() == "target" || c.as_os_str() == "node_modules")
        {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        if text.contains("expect: load/") {
            continue;
        }
        let found = errors(&v, &text);
        assert!(found.is_empty(), "{}: {found:#?}", path.display());
        checked += 1;
    }
    assert!(checked >= 1);
    for broken in [
        "rules: {hygiene/stale-evidence: loud}\n",
        "packs: [voice, tone]\n",
        "limits: {max_file_mb: 0}\n",
        "exclud: [fixtures/**]\n",
        "today: tomorrow\n",
    ] {
        assert!(!errors(&v, broken).is_empty(), "{broken}");
    }
    assert!(
        errors(&v, "rules:\n  team/own-rule: warning\n").is_empty(),
        "a team's own rule ids are allowed"
    );
}

/// The field reference in docs/data-model.md, rendered from the data schema.
fn data_model_doc(schema: &serde_json::Value) -> String {
    let mut out = String::from(
        "# Data model: every field\n\n\
         <!-- Generated from `align schema data` by the test `schema::data_model_doc_is_current`; \
         run it with UPDATE_DOCS=1 to rewrite this file. -->\n\n\
         The same descriptions appear in editors through `align schema data` (see README, \
         \"In your editor\"). Every entity may also carry fields of your own, which your rules can read.\n",
    );
    let kinds = schema["properties"].as_object().expect("kinds");
    for kind in [
        "segments",
        "needs",
        "evidence",
        "features",
        "propositions",
        "messages",
        "claims",
    ] {
        let def = &kinds[kind];
        out.push_str(&format!(
            "\n## `{kind}`\n\n{}\n\n| field | required | value | what it is for |\n|---|---|---|---|\n",
            def["description"].as_str().unwrap_or("")
        ));
        let items = &def["items"];
        let required: Vec<&str> = items["required"]
            .as_array()
            .expect("required")
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        for (field, s) in items["properties"].as_object().expect("fields") {
            let value = if let Some(words) = s["enum"].as_array() {
                words
                    .iter()
                    .filter_map(|w| w.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            } else if s["format"] == "date" {
                "date (YYYY-MM-DD)".to_owned()
            } else if s["anyOf"].is_array() {
                "one or a list".to_owned()
            } else if s["type"].is_array() {
                s["type"][0].as_str().unwrap_or("").to_owned()
            } else {
                s["type"].as_str().unwrap_or("").to_owned()
            };
            out.push_str(&format!(
                "| `{field}` | {} | {value} | {} |\n",
                if required.contains(&field.as_str()) {
                    "yes"
                } else {
                    ""
                },
                s["description"].as_str().unwrap_or("").replace('|', "\\|")
            ));
        }
    }
    out
}

#[test]
fn data_model_doc_is_current() {
    let path = root().join("docs/data-model.md");
    let wanted = data_model_doc(&schema_of("data"));
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &wanted).expect("write docs");
    }
    let written = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        written == wanted,
        "docs/data-model.md is out of date with `align schema data`: run \
         `UPDATE_DOCS=1 cargo test --test it data_model_doc` and commit it"
    );
}
