//! Edit latency of `align lsp` on a large generated project (`cargo bench --bench lsp_edit`).
//!
//! It generates ~130,000 entities (10,000 propositions with their needs, evidence, features
//! and messages, in ~2,600 files of ~50 entities; `ALIGN_BENCH_GROUPS` changes the number of
//! propositions), then measures two things:
//!
//! 1. in process: loading and the first full check, then edits through the library
//!    (`Project::set_overlay` + `evaluate`), the evaluation alone;
//! 2. end to end: the release binary spawned as `align lsp`, an evidence file opened and
//!    edited with `didChange`, timed until `publishDiagnostics` shows the effect in the
//!    propositions file (the proposition lights up when its evidence is removed, and clears
//!    when it is put back).
//!
//! Each edit takes away both evidence items that support one proposition's needs (the
//! proposition in another file lights up), then puts them back (it clears).

// Test code may unwrap, expect, index and panic: a failure here is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod generate;

use align::lsp::project::Project;
#[path = "support/jsonrpc.rs"]
mod jsonrpc;

use jsonrpc::read_message;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const EDITS: usize = 20;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn summary(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let n = times.len();
    if n == 0 {
        return;
    }
    let median = times[n / 2];
    let p90 = times[(n * 9 / 10).min(n - 1)];
    let max = times[n - 1];
    println!(
        "{name:<44} n={n:<3} median {:>7.2} ms   p90 {:>7.2} ms   max {:>7.2} ms",
        ms(median),
        ms(p90),
        ms(max)
    );
}

/// The groups edited: spread over the project, with both evidence items in one file.
fn groups(total: usize) -> Vec<usize> {
    (0..total)
        .step_by((total / EDITS).max(1))
        .filter(|g| generate::evidence_together(*g))
        .take(EDITS)
        .collect()
}

fn without_evidence(text: &str, g: usize) -> String {
    text.replace(
        &format!("    supports: [need-{g}-close, need-{g}-matching]\n"),
        "",
    )
    .replace(&format!("    supports: [need-{g}-matching]\n"), "")
}

fn in_process(root: &Path, total: usize) {
    let t = Instant::now();
    let mut project = Project::load(root, HashMap::new());
    let loaded = t.elapsed();
    let t = Instant::now();
    project.evaluate();
    println!(
        "load {:.0} ms, first full check {:.0} ms ({} entities, {} files)",
        ms(loaded),
        ms(t.elapsed()),
        project.entity_count(),
        project.file_count()
    );
    let mut light = Vec::new();
    let mut clear = Vec::new();
    let mut sizes = Vec::new();
    for g in groups(total) {
        let path = root.join(generate::evidence_file(g));
        let original = std::fs::read_to_string(&path).expect("read");
        let edited = without_evidence(&original, g);
        assert_ne!(edited, original, "group {g} has evidence to remove");
        for (text, times) in [(edited, &mut light), (original, &mut clear)] {
            let t = Instant::now();
            project.set_overlay(&path, text);
            project.evaluate();
            times.push(t.elapsed());
            sizes.push((project.last.affected, project.last.loaded));
        }
        let prop = format!("prop-{g}");
        let lit = project.all_shown().any(|f| {
            f.rule == "listening/proposition-without-evidence"
                && f.entity.as_ref().is_some_and(|e| e.id == prop)
        });
        assert!(!lit, "the proposition clears once its evidence is back");
    }
    summary("in process: edit → findings (lights up)", light);
    summary("in process: edit → findings (clears)", clear);
    let (a, l): (Vec<usize>, Vec<usize>) = sizes.into_iter().unzip();
    println!(
        "  entities re-evaluated per edit: up to {}, in a model of up to {}",
        a.iter().max().unwrap_or(&0),
        l.iter().max().unwrap_or(&0)
    );
}

fn send(stdin: &mut impl Write, msg: Value) {
    let body = msg.to_string();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
    stdin.flush().expect("flush");
}

fn uri(path: &Path) -> String {
    align::lsp::uri::from_path(path)
        .expect("uri")
        .as_str()
        .to_owned()
}

/// Waits for diagnostics of `file` for which `check` holds.
fn wait(rx: &Receiver<Value>, file: &str, check: impl Fn(&[Value]) -> bool) {
    loop {
        let msg = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("the server answers");
        if msg["method"] == "textDocument/publishDiagnostics" && msg["params"]["uri"] == file {
            let list = msg["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if check(&list) {
                return;
            }
        }
    }
}

fn end_to_end(root: &Path, total: usize) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_align"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("align lsp starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        while let Some(m) = read_message(&mut r) {
            if tx.send(m).is_err() {
                break;
            }
        }
    });
    let started = Instant::now();
    send(
        &mut stdin,
        json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": null, "rootUri": uri(root), "capabilities": {}, "trace": "verbose"
        }}),
    );
    send(
        &mut stdin,
        json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
    );
    loop {
        let msg = rx.recv_timeout(Duration::from_secs(300)).expect("answers");
        if msg["method"] == "window/logMessage"
            && msg["params"]["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("align: checked"))
        {
            break;
        }
    }
    println!(
        "end to end: initialize → first diagnostics published: {:.0} ms",
        ms(started.elapsed())
    );
    let is_lit = |g: usize| {
        move |l: &[Value]| {
            l.iter().any(|d| {
                d["code"] == "listening/proposition-without-evidence"
                    && d["message"]
                        .as_str()
                        .is_some_and(|m| m.contains(&format!("`prop-{g}`")))
            })
        }
    };
    let mut light = Vec::new();
    let mut clear = Vec::new();
    let mut version = 1;
    for g in groups(total) {
        let path = root.join(generate::evidence_file(g));
        let props = uri(&root.join(generate::proposition_file(g)));
        let original = std::fs::read_to_string(&path).expect("read");
        let edited = without_evidence(&original, g);
        send(
            &mut stdin,
            json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
                "textDocument": { "uri": uri(&path), "languageId": "yaml", "version": version, "text": original }
            }}),
        );
        for (text, lit) in [(edited, true), (original, false)] {
            version += 1;
            let t = Instant::now();
            send(
                &mut stdin,
                json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                    "textDocument": { "uri": uri(&path), "version": version },
                    "contentChanges": [{ "text": text }]
                }}),
            );
            let check = is_lit(g);
            if lit {
                wait(&rx, &props, check);
                light.push(t.elapsed());
            } else {
                wait(&rx, &props, |l| !check(l));
                clear.push(t.elapsed());
            }
        }
        send(
            &mut stdin,
            json!({ "jsonrpc": "2.0", "method": "textDocument/didClose", "params": {
                "textDocument": { "uri": uri(&path) }
            }}),
        );
    }
    summary("end to end: didChange → diagnostics (lights up)", light);
    summary("end to end: didChange → diagnostics (clears)", clear);
    send(
        &mut stdin,
        json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null }),
    );
    send(
        &mut stdin,
        json!({ "jsonrpc": "2.0", "method": "exit", "params": null }),
    );
    let _ = child.wait();
}

fn main() {
    let groups: usize = std::env::var("ALIGN_BENCH_GROUPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    let entities = generate::generate(&root, groups).expect("generate");
    println!("generated {entities} entities ({groups} propositions)");
    in_process(&root, groups);
    end_to_end(&root, groups);
}
