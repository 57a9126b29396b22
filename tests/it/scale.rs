//! A smoke run of the scale benchmark's corpus generator and the checker on a small corpus
//! (the benchmark itself is not run in CI).

#[path = "../../benches/support/corpus.rs"]
pub(crate) mod corpus;

use crate::support::align;

#[test]
fn generated_corpus_checks_with_its_planted_findings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let stats = corpus::generate(dir.path(), 200, 42).expect("corpus written");
    assert_eq!(stats.entities, 200 * 13 + 20);
    let out = align()
        .args(["check", "--format", "json", "--today", "2026-11-26"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(json["summary"]["entities"], stats.entities);
    assert_eq!(json["summary"]["files"], stats.files);
    let count = |rule: &str| {
        json["findings"]
            .as_array()
            .map(|f| f.iter().filter(|x| x["rule"] == rule).count())
            .unwrap_or(0)
    };
    // About 10% of each headline problem is planted; the seed makes the counts exact.
    for rule in [
        "listening/proposition-without-evidence",
        "overpromise/unshipped-feature",
        "overpromise/number-beyond-facts",
        "overpromise/unsubstantiated-claim",
    ] {
        let n = count(rule);
        assert!(n > 0 && n < 200, "{rule}: {n} findings");
    }
    // Nothing in the generated files is malformed.
    assert_eq!(
        count("load/yaml") + count("load/model") + count("hygiene/dangling-reference"),
        0
    );
}

#[test]
fn the_same_seed_writes_the_same_corpus() {
    let a = tempfile::tempdir().expect("temp dir");
    let b = tempfile::tempdir().expect("temp dir");
    corpus::generate(a.path(), 30, 7).expect("written");
    corpus::generate(b.path(), 30, 7).expect("written");
    let read = |d: &std::path::Path| {
        std::fs::read_to_string(d.join("messages/messages-00000.yaml")).expect("file")
    };
    assert_eq!(read(a.path()), read(b.path()));
}

/// Evaluating a rule over N entities touches O(N) items: following a reference or a
/// back-link is an index lookup, never a scan. Counted in evaluation steps, not timed.
#[test]
fn evaluation_grows_linearly_with_the_model() {
    let steps = |n: usize| {
        let dir = tempfile::tempdir().expect("temp dir");
        corpus::generate(dir.path(), n, 42).expect("corpus written");
        let ws = crate::support::load(dir.path());
        let world = align::lang::functions::World {
            model: &ws.model,
            sources: &ws.sources,
        };
        ws.rules
            .rules
            .iter()
            .map(|r| {
                (
                    r.id.clone(),
                    ws.rules.steps(r, world, crate::support::today()),
                )
            })
            .collect::<Vec<_>>()
    };
    // Sizes large enough that rules whose work follows the claims found (one message in ten
    // makes one) see as many claims per message at both.
    let small = steps(100);
    let large = steps(400);
    for ((id, a), (_, b)) in small.iter().zip(&large) {
        if *a == 0 {
            continue;
        }
        let ratio = *b as f64 / *a as f64;
        assert!(
            ratio < 4.8,
            "{id}: {a} steps for 100 propositions, {b} for 400 (×{ratio:.2}, linear is ×4)"
        );
    }
    assert!(
        small.iter().filter(|(_, a)| *a > 0).count() >= 12,
        "{small:?}"
    );
}

/// Every finding on the generated corpus, sorted, is the same as when this test was written:
/// a change to loading, indexing or evaluation that is meant to be faster, not different,
/// keeps this hash. A change that is meant to find something different updates it, and says
/// why in its commit.
#[test]
fn findings_on_the_generated_corpus_are_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    corpus::generate(dir.path(), 200, 42).expect("corpus written");
    // Run inside the corpus, so that paths in the report do not name the temporary folder.
    let out = align()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "--today", "2026-11-26", "."])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let mut lines: Vec<String> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f.to_string())
        .collect();
    lines.sort();
    // FNV-1a, 64 bits: stable across platforms and toolchains, unlike `DefaultHasher`.
    let hash = lines
        .iter()
        .flat_map(|l| l.bytes().chain([b'\n']))
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    assert_eq!(
        (lines.len(), format!("{hash:016x}")),
        (802, "c17fd4afecb0a080".to_string()),
        "the findings on the generated corpus changed"
    );
}
