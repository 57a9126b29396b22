//! Scale benchmark: align's stages on generated projects of 1,000 / 10,000 / 50,000
//! propositions (about 13k / 130k / 650k entities), beside a bare serde-saphyr parse of the
//! same files into typed structs.
//!
//! Beside the YAML, each corpus holds Markdown pages (as many as propositions, at most
//! 10,000), which the whole check reads; their own reading is timed apart, per page.
//!
//! Run with `cargo bench --bench scale` (add sizes as arguments to choose: `-- 1000 10000`).
//! Each figure is the best of a few runs; `whole` runs the release binary as a user would
//! (`align check --format json`), and its peak memory is measured with `/usr/bin/time`.

// Test code may unwrap, expect, index and panic: a failure here is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "support/corpus.rs"]
mod corpus;

use align::date::parse_date;
use align::engine;
use align::model::Model;
use align::model::load::load_file;
use align::model::node::{PARSE_STACK_BYTES, YamlLimits};
use align::project::discover::{Filter, Found, discover};
use align::source::{SharedText, Sources};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[allow(dead_code)]
#[derive(Deserialize)]
struct TypedFile {
    #[serde(default)]
    segments: Vec<HashMap<String, serde::de::IgnoredAny>>,
    #[serde(default)]
    needs: Vec<TypedNeed>,
    #[serde(default)]
    evidence: Vec<TypedEvidence>,
    #[serde(default)]
    features: Vec<TypedFeature>,
    #[serde(default)]
    propositions: Vec<TypedProposition>,
    #[serde(default)]
    messages: Vec<TypedMessage>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct TypedNeed {
    id: String,
    statement: String,
    priority: Option<String>,
    kind: Option<String>,
    segment: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct TypedEvidence {
    id: String,
    kind: String,
    date: String,
    segment: Option<String>,
    quote: Option<String>,
    sentiment: Option<String>,
    sample_size: Option<f64>,
    #[serde(default)]
    supports: Vec<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct TypedFeature {
    id: String,
    name: String,
    status: String,
    #[serde(default)]
    facts: HashMap<String, f64>,
    #[serde(default)]
    addresses: Vec<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct TypedProposition {
    id: String,
    statement: String,
    segment: Option<String>,
    #[serde(default)]
    needs: Vec<String>,
    #[serde(default)]
    features: Vec<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct TypedMessage {
    id: String,
    text: String,
    channel: Option<String>,
    proposition: Option<String>,
    #[serde(default)]
    features: Vec<String>,
}

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed());
        out = Some(v);
    }
    match out {
        Some(v) => (best, v),
        None => (best, f()),
    }
}

/// Most Markdown pages generated beside a corpus.
const MAX_PAGES: usize = 10_000;

fn ms(d: Duration) -> String {
    format!("{:>9.1}", d.as_secs_f64() * 1000.0)
}

fn main() {
    // `-- --generate DIR N [--claims K]`: only write a corpus (for profiling with other tools).
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--generate") {
        let dir = PathBuf::from(args.get(i + 1).map(String::as_str).unwrap_or("corpus"));
        let n = args
            .get(i + 2)
            .and_then(|n| n.parse().ok())
            .unwrap_or(1_000);
        let stats = corpus::generate(&dir, n, 42).expect("corpus written");
        let pages = corpus::generate_pages(&dir, n.min(MAX_PAGES), 42).expect("pages written");
        println!("{} pages, {:.1} MB", pages.files, pages.bytes as f64 / 1e6);
        // `--claims K`: and a claims library of K claims.
        if let Some(k) = args
            .iter()
            .position(|a| a == "--claims")
            .and_then(|j| args.get(j + 1))
            .and_then(|k| k.parse().ok())
        {
            let lib = corpus::generate_claims(&dir, k, n, 42).expect("claims written");
            println!(
                "{} library claims, {:.1} MB",
                lib.entities,
                lib.bytes as f64 / 1e6
            );
        }
        println!(
            "{} entities in {} files, {:.1} MB",
            stats.entities,
            stats.files,
            stats.bytes as f64 / 1e6
        );
        return;
    }
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000, 50_000]
    } else {
        sizes
    };
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_align"));
    println!(
        "{:>7} {:>8} {:>8} | {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} | {:>9} {:>9} {:>6} {:>9}",
        "N",
        "entities",
        "MB",
        "walk",
        "read",
        "load",
        "index",
        "evaluate",
        "render",
        "bare",
        "whole",
        "bare-1t",
        "ratio",
        "peak MB"
    );
    for &n in &sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        let stats = corpus::generate(dir.path(), n, 42).expect("corpus written");
        let page_stats =
            corpus::generate_pages(dir.path(), n.min(MAX_PAGES), 42).expect("pages written");
        let runs = if n >= 50_000 {
            2
        } else if n >= 10_000 {
            5
        } else {
            10
        };
        let paths = vec![dir.path().to_path_buf()];

        let (walk, found) = best(runs, || discover(&paths, &Filter::default()));
        let files: Vec<PathBuf> = found
            .into_iter()
            .filter_map(|f| match f {
                Found::File(p) => Some(p),
                Found::Unreadable(..) => None,
            })
            .collect();
        let (read, texts) = best(runs, || {
            files
                .iter()
                .map(|p| std::fs::read_to_string(p).expect("readable"))
                .collect::<Vec<String>>()
        });

        // Bare typed parse, one thread, the reference the targets are stated against.
        let (bare, _) = best(runs, || {
            let mut count = 0usize;
            for t in &texts {
                let docs: Vec<TypedFile> = serde_saphyr::from_multiple(t).expect("typed parse");
                count += docs.len();
            }
            count
        });

        let limits = YamlLimits::default();
        // On one worker with the reader's stack, as `align check` reads (on every core).
        let (load, loaded) = best(runs, || {
            align::parallel::map_with_stack(&[()], PARSE_STACK_BYTES, |_| {
                let mut sources = Sources::new();
                let mut entities = Vec::new();
                for (p, t) in files.iter().zip(&texts) {
                    let text = SharedText::from(t.as_str());
                    let id = sources.add(p.clone(), text.clone());
                    entities.extend(load_file(id, &text, &limits).entities);
                }
                (sources, entities)
            })
            .pop()
            .expect("one worker's result")
        });
        let (sources, entities) = loaded;
        // The copy of the entities each run indexes is made outside the timing.
        let mut index = Duration::MAX;
        let mut model = None;
        for _ in 0..runs {
            let copy = entities.clone();
            let t = Instant::now();
            let built = Model::build(copy, Vec::new());
            index = index.min(t.elapsed());
            model = Some(built);
        }
        let model = model.unwrap_or_else(|| Model::build(entities.clone(), Vec::new()));
        let ws = align::project::Workspace::from_texts(
            &[],
            &[],
            parse_date("2026-11-26").expect("date"),
        );
        let settings = engine::RunSettings {
            today: parse_date("2026-11-26").expect("date"),
            ..Default::default()
        };
        let data_files: Vec<_> = sources.iter().map(|(id, _)| id).collect();
        let (evaluate, findings) = best(runs, || {
            engine::run(&model, &sources, &ws.rules, &data_files, &settings)
        });
        if std::env::var_os("ALIGN_BENCH_RULES").is_some() {
            for rule in &ws.rules.rules {
                let one = engine::RunSettings {
                    select: vec![rule.id.clone()],
                    ..settings.clone()
                };
                let (t, f) = best(1, || {
                    engine::run(&model, &sources, &ws.rules, &data_files, &one)
                });
                eprintln!("    {:>9} ms  {:>6} findings  {}", ms(t), f.len(), rule.id);
            }
        }
        let cx = align::output::Context {
            sources: &sources,
            rules: &ws.rules,
            files: files.len(),
            entities: model.len(),
            color: false,
            width: 100,
            quiet: false,
            run: Default::default(),
        };
        let (render, _) = best(runs, || {
            align::output::render(align::output::Format::Json, &findings, &cx)
        });

        let (whole, peak) = best(runs, || {
            let out = std::process::Command::new("/usr/bin/time")
                .args(["-f", "%M"])
                .arg(&bin)
                .args(["check", "--format", "json", "--today", "2026-11-26"])
                .arg(dir.path())
                .stdout(std::process::Stdio::null())
                .output()
                .expect("align runs");
            let stderr = String::from_utf8_lossy(&out.stderr);
            stderr
                .lines()
                .last()
                .and_then(|l| l.trim().parse::<f64>().ok())
                .unwrap_or(0.0)
                / 1024.0
        });
        // Pages: read, parsed and turned into messages, on one worker with the reader's
        // stack, as `align check` reads them.
        let page_filter = Filter {
            include: align::page::PAGE_GLOBS
                .iter()
                .map(|g| (*g).to_owned())
                .collect(),
            ..Filter::default()
        };
        let page_files: Vec<(PathBuf, String)> = discover(&paths, &page_filter)
            .into_iter()
            .filter_map(|f| match f {
                Found::File(p) => {
                    let text = std::fs::read_to_string(&p).ok()?;
                    Some((p, text))
                }
                Found::Unreadable(..) => None,
            })
            .collect();
        let (pages_time, _) = best(runs, || {
            align::parallel::map_with_stack(&[()], PARSE_STACK_BYTES, |_| {
                let limits = align::page::PageLimits::default();
                let mut sources = Sources::new();
                page_files
                    .iter()
                    .filter_map(|(p, t)| {
                        let id = sources.add(p.clone(), t.as_str());
                        let kind = align::page::PageKind::of_path(p)?;
                        let rel = p.to_string_lossy();
                        align::page::load::load(id, kind, t, &rel, &[], &limits)
                    })
                    .count()
            })
        });
        let ratio = whole.as_secs_f64() / bare.as_secs_f64();
        println!(
            "{:>7} {:>8} {:>8.1} | {} {} {} {} {} {} {} | {} {} {:>6.2} {:>9.0}",
            n,
            stats.entities,
            stats.bytes as f64 / 1e6,
            ms(walk),
            ms(read),
            ms(load),
            ms(index),
            ms(evaluate),
            ms(render),
            ms(bare),
            ms(whole),
            ms(bare),
            ratio,
            peak
        );
        eprintln!(
            "  ({} findings; times in ms; ratio = whole / bare single-threaded typed parse)",
            findings.len()
        );
        eprintln!(
            "  ({} pages, {:.1} MB: read into messages in {} ms on one thread, {:.1} µs a page)",
            page_stats.files,
            page_stats.bytes as f64 / 1e6,
            ms(pages_time).trim(),
            pages_time.as_secs_f64() * 1e6 / page_stats.files.max(1) as f64
        );
    }
}
