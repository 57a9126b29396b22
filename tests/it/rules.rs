//! Every built-in rule: a fixture where it fires and one where it must not.
//!
//! Each folder `tests/fixtures/<pack>/<rule>/` holds `fires.yaml`, a small model where the rule
//! fires, and `clean.yaml`, a near miss where it must not. The expected findings are written in
//! the fixtures as `# expect: pack/rule` comments. The folder is checked as `align check` would
//! check it, on the fixed test date, and the findings of the folder's rule (and of any rule the
//! expectations name) must be exactly the expected ones.

use crate::support::{load, rel, root};
use align::expect;
use align::rules::RuleSet;
use align::source::Sources;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const FIXTURES: &str = "tests/fixtures";
const FIRES: &str = "fires.yaml";
const CLEAN: &str = "clean.yaml";

/// Every fixture folder, `tests/fixtures/<pack>/<rule>/`, relative to the repository root, with
/// the rule id it is for.
fn fixture_folders() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let packs = std::fs::read_dir(root().join(FIXTURES)).expect("tests/fixtures exists");
    for pack in packs {
        let pack = pack.expect("readable folder");
        if !pack.path().is_dir() {
            continue;
        }
        let pack_name = pack.file_name().to_string_lossy().into_owned();
        for rule in std::fs::read_dir(pack.path()).expect("readable pack folder") {
            let rule = rule.expect("readable folder");
            if !rule.path().is_dir() {
                continue;
            }
            let rule_name = rule.file_name().to_string_lossy().into_owned();
            out.push((
                format!("{pack_name}/{rule_name}"),
                rel(FIXTURES).join(&pack_name).join(&rule_name),
            ));
        }
    }
    out.sort();
    out
}

/// Checks one fixture folder; every way it disagrees with its expectations, in words.
fn check_folder(rule: &str, folder: &Path) -> Vec<String> {
    let ws = load(folder);
    let mut problems = Vec::new();
    // A field the model cannot use (`load/model`) makes the input unusable, and fixtures
    // show those on purpose: they are compared with the expectations like any finding.
    if ws
        .load_findings
        .iter()
        .any(|f| f.rule != align::model::load::LOAD_MODEL)
    {
        problems.push(format!(
            "{}: could not be loaded: {:?}",
            folder.display(),
            ws.load_findings
                .iter()
                .map(|f| &f.message)
                .collect::<Vec<_>>()
        ));
        return problems;
    }
    let expected = expect::expectations(&ws.sources, &ws.data_files);
    let file_named = |id: align::source::FileId, name: &str| {
        ws.sources.path(id).file_name().is_some_and(|n| n == name)
    };
    if !expected
        .iter()
        .any(|e| e.rule == rule && file_named(e.file, FIRES))
    {
        problems.push(format!(
            "{}: {FIRES} expects no `{rule}` finding; it should show the rule firing",
            folder.display()
        ));
    }
    for e in expected
        .iter()
        .filter(|e| e.rule == rule && file_named(e.file, CLEAN))
    {
        problems.push(format!(
            "{}:{}: {CLEAN} expects `{rule}`; a clean fixture is where the rule must not fire",
            ws.sources.path(e.file).display(),
            e.line
        ));
    }
    let mut compared = expect::rules_named(&expected);
    compared.insert(rule.to_owned());
    compared.insert(align::model::load::LOAD_MODEL.to_owned());
    let findings = ws.check();
    problems.extend(
        expect::compare(&expected, &findings, &ws.sources, &compared)
            .iter()
            .map(|d| d.describe(&ws.sources)),
    );
    problems
}

#[test]
fn every_fixture_gives_exactly_the_expected_findings() {
    let folders = fixture_folders();
    assert!(!folders.is_empty(), "no fixture folders under {FIXTURES}");
    let mut problems = Vec::new();
    for (rule, folder) in &folders {
        problems.extend(check_folder(rule, folder));
    }
    assert!(
        problems.is_empty(),
        "{} difference(s) between the fixtures and the findings:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_builtin_rule_has_a_firing_and_a_clean_fixture() {
    let mut rules = RuleSet::default();
    rules
        .add_builtin(&mut Sources::new())
        .expect("built-in packs load");
    let ids: BTreeSet<String> = rules
        .rules
        .iter()
        .filter(|r| r.builtin)
        .map(|r| r.id.clone())
        .collect();
    let mut missing = Vec::new();
    for id in &ids {
        let folder = root().join(FIXTURES).join(id);
        for file in [FIRES, CLEAN] {
            if !folder.join(file).is_file() {
                missing.push(format!("{FIXTURES}/{id}/{file}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "built-in rules without fixtures (add the files):\n{}",
        missing.join("\n")
    );
    let strays: Vec<String> = fixture_folders()
        .into_iter()
        .filter(|(rule, _)| !ids.contains(rule))
        .map(|(rule, folder)| format!("{}: no built-in rule `{rule}`", folder.display()))
        .collect();
    assert!(
        strays.is_empty(),
        "fixture folders for rules that do not exist:\n{}",
        strays.join("\n")
    );
}
