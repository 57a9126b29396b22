//! `align map`: the Mermaid and DOT of the example, the structure of the HTML page (a node for
//! every entity, an edge for every reference, the right severities), slices, grouping of large
//! projects, and the page rendered in headless Chromium.

use crate::support::{align, load, rel, root};
use align::finding::Severity;
use align::map::{self, MapOptions, refs};
use align::model::Kind;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Undoes the escaping of HTML attribute values.
fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The entity nodes of a page: key → (kind, id, severity).
fn page_nodes(html: &str) -> BTreeMap<String, (String, String, Option<String>)> {
    let re = Regex::new(
        r#"<g class="node[^"]*" id="[^"]+" data-key="([^"]+)" data-kind="([^"]+)" data-id="([^"]+)" (?:data-severity="([^"]+)" )?"#,
    )
    .expect("regex");
    re.captures_iter(html)
        .map(|c| {
            (
                unescape(&c[1]),
                (
                    unescape(&c[2]),
                    unescape(&c[3]),
                    c.get(4).map(|m| m.as_str().to_owned()),
                ),
            )
        })
        .collect()
}

/// The edges of a page, as (from key, to key).
fn page_edges(html: &str) -> BTreeSet<(String, String)> {
    let re = Regex::new(r#"<path class="edge[^"]*" data-from="([^"]+)" data-to="([^"]+)""#)
        .expect("regex");
    re.captures_iter(html)
        .map(|c| (unescape(&c[1]), unescape(&c[2])))
        .collect()
}

fn key(kind: Kind, id: &str) -> String {
    format!("{}:{id}", kind.singular())
}

/// Writes the example's map as HTML into a temporary folder and returns its text.
fn example_page(extra: &[&str]) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("map.html");
    let mut args = vec!["map", "examples/ledgerly", "-o"];
    let out_str = out.to_str().expect("utf-8 path").to_owned();
    args.push(&out_str);
    args.extend_from_slice(extra);
    let run = align().args(&args).output().expect("runs");
    assert_eq!(
        run.status.code(),
        Some(0),
        "align map failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let html = std::fs::read_to_string(&out).expect("page written");
    (dir, out, html)
}

#[test]
fn mermaid_of_the_example() {
    let out = align()
        .args(["map", "examples/ledgerly", "--format", "mermaid"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    insta::assert_snapshot!("ledgerly_mermaid", text);
}

#[test]
fn dot_of_the_example() {
    let out = align()
        .args(["map", "examples/ledgerly", "--format", "dot"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    insta::assert_snapshot!("ledgerly_dot", text);
}

#[test]
fn every_entity_has_its_node_with_its_worst_severity() {
    let (_dir, _, html) = example_page(&[]);
    let ws = load(&rel("examples/ledgerly"));
    let findings = ws.check();
    let mut worst: BTreeMap<String, Severity> = BTreeMap::new();
    for f in &findings {
        if let Some(e) = &f.entity {
            let k = format!("{}:{}", e.kind, e.id);
            let w = worst.entry(k).or_insert(f.severity);
            *w = (*w).max(f.severity);
        }
    }
    let nodes = page_nodes(&html);
    let expected: BTreeSet<String> = ws
        .model
        .entities()
        .map(|(_, e)| key(e.kind, &e.id))
        .collect();
    assert_eq!(
        nodes.keys().cloned().collect::<BTreeSet<_>>(),
        expected,
        "one node per entity (a duplicated id is one node)"
    );
    for (k, (kind, id, severity)) in &nodes {
        assert_eq!(k, &format!("{kind}:{id}"));
        assert_eq!(
            severity.as_deref(),
            worst.get(k).map(|s| s.as_str()),
            "severity of {k}"
        );
    }
    // Spot checks that read as the example's story.
    assert_eq!(
        nodes["proposition:prop-startup-ap"].2.as_deref(),
        Some("error")
    );
    assert_eq!(
        nodes["evidence:ev-int-fenwick-2024-06"].2.as_deref(),
        Some("info")
    );
    assert_eq!(nodes["segment:seg-midmarket-finance"].2, None);
}

#[test]
fn every_reference_has_its_edge() {
    let (_dir, _, html) = example_page(&[]);
    let ws = load(&rel("examples/ledgerly"));
    let mut expected = BTreeSet::new();
    for (eid, e) in ws.model.entities() {
        for r in refs::references(&ws.model, eid) {
            let t = ws.model.entity(r.target);
            let (a, b) = (key(e.kind, &e.id), key(t.kind, &t.id));
            if map::column_of(e.kind) < map::column_of(t.kind) {
                expected.insert((a, b));
            } else {
                expected.insert((b, a));
            }
        }
    }
    assert!(expected.len() > 100, "the example is well linked");
    assert_eq!(page_edges(&html), expected);
    assert!(
        html.contains(r#"<path class="edge contradicts" data-from="evidence:ev-call-onboarding-2026-q3" data-to="proposition:prop-live-in-a-day""#),
        "contradicting evidence is drawn as such"
    );
}

#[test]
fn nodes_show_badges_status_and_text() {
    let (_dir, _, html) = example_page(&[]);
    let node = |id: &str| {
        let start = html
            .find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("no node {id}"));
        let end = start + html[start..].find("\n</g>\n").expect("end of node");
        html[start..end].to_owned()
    };
    let need = node("n-need-need-invoice-matching");
    assert!(
        need.contains("<title>3 evidence items behind it</title>"),
        "{need}"
    );
    assert!(need.contains("Stop keying supplier"), "{need}");
    let planned = node("n-feature-feat-payment-runs");
    assert!(planned.contains("st st-planned\">PLANNED<"), "{planned}");
    let bare = node("n-proposition-prop-startup-ap");
    assert!(bare.contains("class=\"badge zero\""), "{bare}");
    let ev = node("n-evidence-ev-int-brightwell-2026-03");
    assert!(ev.contains("interview, 2026-03-14"), "{ev}");
}

#[test]
fn page_has_figures_tables_and_findings_that_link_to_nodes() {
    let (_dir, _, html) = example_page(&[]);
    // Headline figures.
    assert!(html.contains("9 of 10 propositions rest on customer evidence"));
    assert!(html.contains("12 of 19 messages have every claim substantiated"));
    assert!(html.contains("6 of 7 high-priority needs are addressed by a shipped feature"));
    // Coverage tables.
    for table in ["needs-features", "needs-evidence", "propositions-evidence"] {
        assert!(html.contains(&format!("id=\"{table}\"")), "table {table}");
    }
    assert!(html.contains(
        "<tr><td><a href=\"#n-need-need-pay-suppliers\">need-pay-suppliers</a></td><td>seg-midmarket-finance</td><td>high</td><td class=\"gap\"></td><td></td><td><a href=\"#n-feature-feat-payment-runs\">feat-payment-runs</a></td><td></td></tr>"
    ));
    assert!(html.contains(
        "<td><a href=\"#n-proposition-prop-startup-ap\">prop-startup-ap</a></td><td>seg-startup-finance</td><td></td><td></td><td class=\"gap\">none</td>"
    ));
    // Findings grouped by rule, each linking to a node that exists.
    let ids: BTreeSet<&str> = Regex::new(r#"<g class="node[^"]*" id="([^"]+)""#)
        .expect("regex")
        .captures_iter(&html)
        .map(|c| c.get(1).map(|m| m.as_str()).unwrap_or(""))
        .collect();
    let links: Vec<String> = Regex::new(r##"<a class="to-node" href="#([^"]+)""##)
        .expect("regex")
        .captures_iter(&html)
        .map(|c| c[1].to_owned())
        .collect();
    assert_eq!(
        links.len(),
        27,
        "every finding of the example is about an entity"
    );
    for l in &links {
        assert!(ids.contains(l.as_str()), "link to missing node {l}");
    }
    let groups = html.matches("<div class=\"rule\" id=\"rule-").count();
    assert_eq!(groups, 17, "one group per rule that fired");
    let first_group = html.find("<div class=\"rule\"").expect("a group");
    assert!(
        html[first_group..]
            .starts_with("<div class=\"rule\" id=\"rule-fit-proposition-features-miss-needs\">"),
        "errors first"
    );
}

#[test]
fn page_loads_nothing_from_the_network() {
    let (_dir, _, html) = example_page(&[]);
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none';"));
    let without_ns = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(!without_ns.contains("http://") && !without_ns.contains("https://"));
    for tag in ["<link", "<img", "<iframe", " src=", "@import", "url("] {
        assert!(!html.contains(tag), "page contains {tag}");
    }
    // The data for the script cannot close its element.
    let start = html.find("id=\"map-data\">").expect("data");
    let end = start + html[start..].find("</script>").expect("end of data");
    assert!(!html[start + 15..end].contains('<'));
}

#[test]
fn layout_crosses_fewer_edges_than_file_order() {
    let ws = load(&rel("examples/ledgerly"));
    let findings = ws.check();
    let m = map::build(&ws, &findings, &MapOptions::default()).expect("map");
    let column_of: Vec<usize> = m.nodes.iter().map(|n| map::column_of(n.kind)).collect();
    let edges: Vec<(usize, usize)> = m.edges.iter().map(|e| (e.from, e.to)).collect();
    let mut file_order = m.columns.clone();
    for c in &mut file_order {
        c.sort_unstable();
    }
    let before = map::layout::crossings(&file_order, &edges, &column_of);
    let after = map::layout::crossings(&m.columns, &edges, &column_of);
    assert!(
        after * 2 < before,
        "barycentre ordering should at least halve the crossings: {before} → {after}"
    );
}

#[test]
fn a_segment_slice_holds_its_needs_evidence_features_propositions_and_messages() {
    let ws = load(&rel("examples/ledgerly"));
    let findings = ws.check();
    let opts = MapOptions {
        segment: Some("seg-accounting-firms".into()),
        ..MapOptions::default()
    };
    let m = map::build(&ws, &findings, &opts).expect("map");
    let keys: BTreeSet<String> = m.nodes.iter().map(|n| n.key.clone()).collect();
    let model = &ws.model;
    let seg = model
        .lookup(Kind::Segment, "seg-accounting-firms")
        .expect("segment");
    let mut expected = BTreeSet::from([key(Kind::Segment, "seg-accounting-firms")]);
    for &n in model.backlink(seg, "needs") {
        expected.insert(key(Kind::Need, &model.entity(n).id));
        for &e in model.backlink(n, "evidence") {
            expected.insert(key(Kind::Evidence, &model.entity(e).id));
        }
        for &f in model.backlink(n, "features") {
            expected.insert(key(Kind::Feature, &model.entity(f).id));
        }
    }
    for &p in model.backlink(seg, "propositions") {
        expected.insert(key(Kind::Proposition, &model.entity(p).id));
        for &msg in model.backlink(p, "messages") {
            expected.insert(key(Kind::Message, &model.entity(msg).id));
        }
    }
    assert_eq!(keys, expected);
    assert!(keys.contains("message:msg-deck-ai-coding"));
    assert!(!keys.contains("segment:seg-midmarket-finance"));
    // Findings about entities outside the slice are left out.
    assert!(m.findings.iter().all(|f| {
        f.entity
            .as_ref()
            .is_none_or(|e| keys.contains(&format!("{}:{}", e.kind, e.id)))
    }));
    assert_eq!(m.headline.propositions_on_evidence.total, 3);

    // The same slice through the binary, in every format.
    for format in ["dot", "mermaid", "html"] {
        let out = align()
            .args([
                "map",
                "examples/ledgerly",
                "--segment",
                "seg-accounting-firms",
                "--format",
                format,
            ])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("prop-one-login-practice"), "{format}");
        assert!(!text.contains("prop-close-in-days"), "{format}");
    }
}

#[test]
fn an_unknown_segment_is_named_with_a_suggestion() {
    let out = align()
        .args([
            "map",
            "examples/ledgerly",
            "--segment",
            "seg-acounting-firms",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "there is no segment `seg-acounting-firms`; did you mean `seg-accounting-firms`?"
        ),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn map_never_overwrites_a_file_it_read() {
    let target = root().join("examples/ledgerly/segments.yaml");
    let before = std::fs::read(&target).expect("read");
    for path in [
        "examples/ledgerly/segments.yaml",
        "examples/ledgerly/align.yaml",
        "./examples/ledgerly/../ledgerly/features.yaml",
    ] {
        let out = align()
            .args(["map", "examples/ledgerly", "-o", path])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{path}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("never overwrites its input"), "{err}");
    }
    assert_eq!(std::fs::read(&target).expect("read"), before);
    let out = align()
        .args(["map", "examples/ledgerly", "-o", "examples"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("it is a folder"));
}

#[test]
fn format_follows_the_output_extension_and_html_goes_to_a_pipe() {
    let dir = tempfile::tempdir().expect("temp dir");
    let md = dir.path().join("map.md");
    let dot = dir.path().join("map.gv");
    for p in [&md, &dot] {
        let out = align()
            .args(["map", "examples/ledgerly", "-o", p.to_str().expect("utf-8")])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("Wrote the alignment map of 68 entities")
        );
    }
    let md = std::fs::read_to_string(md).expect("md");
    assert!(md.starts_with("```mermaid\n%% Alignment map of examples/ledgerly\nflowchart LR\n"));
    assert!(md.ends_with("```\n"));
    assert!(
        std::fs::read_to_string(dot)
            .expect("dot")
            .starts_with("digraph align {")
    );
    // Standard output is a pipe here, so the page is printed.
    let out = align()
        .args(["map", "examples/ledgerly"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.starts_with(b"<!doctype html>"));
}

#[test]
fn a_map_above_the_limit_groups_by_segment_and_says_so() {
    let (_dir, _, html) = example_page(&["--max-nodes", "40"]);
    assert!(html.contains(
        "<p class=\"notice\" id=\"grouped\">This map covers 68 entities, more than the 40"
    ));
    assert!(
        page_nodes(&html).is_empty(),
        "no entity is drawn on its own"
    );
    let groups = Regex::new(r#"<g class="node[^"]* group[^"]*" id="g-([a-z]+)-"#)
        .expect("regex")
        .captures_iter(&html)
        .count();
    assert!((6..=40).contains(&groups), "{groups} groups");
    assert!(html.contains("data-key=\"group:need:seg-midmarket-finance\""));
    // Tables still list every need.
    assert!(html.contains("<tr><td>need-owed-this-month</td>"));

    // Too many groups even so: one box per column.
    let (_dir, _, html) = example_page(&["--max-nodes", "10"]);
    assert_eq!(html.matches("data-group=").count(), 6);
    assert!(html.contains("one box per column"));
}

/// Writes a project of about 13,000 entities: 20 segments, 2,600 needs, 4,000 evidence items,
/// 1,400 features, 2,000 propositions and 3,000 messages, with realistic text and links.
fn write_large_project(dir: &Path) -> usize {
    use std::fmt::Write;
    let (segments, needs, evidence, features, props, messages) = (20, 2600, 4000, 1400, 2000, 3000);
    let mut chunks: Vec<String> = Vec::new();
    let mut s = String::from("segments:\n");
    for i in 0..segments {
        let _ = write!(
            s,
            "  - id: seg-{i}\n    name: Segment number {i} of the market\n    description: Companies of kind {i} that run their finance in spreadsheets.\n"
        );
    }
    chunks.push(s);
    let kinds = ["job", "pain", "gain"];
    let priorities = ["high", "medium", "low"];
    let mut s = String::from("needs:\n");
    for i in 0..needs {
        let _ = write!(
            s,
            "  - id: need-{i}\n    statement: Get invoices of type {i} approved on time without chasing budget holders over email\n    priority: {}\n    kind: {}\n    segment: seg-{}\n",
            priorities[i % 3],
            kinds[i % 3],
            i % segments
        );
        if (i + 1) % 500 == 0 {
            chunks.push(std::mem::replace(&mut s, String::from("needs:\n")));
        }
    }
    chunks.push(s);
    let ev_kinds = align::model::schema::EVIDENCE_KINDS;
    let mut s = String::from("evidence:\n");
    for i in 0..evidence {
        let _ = write!(
            s,
            "  - id: ev-{i}\n    kind: {}\n    date: 2026-0{}-1{}\n    summary: Interview {i} with a finance lead who spends two days a month chasing approvals.\n    segment: seg-{}\n    supports: [need-{}, need-{}]\n",
            ev_kinds[i % ev_kinds.len()],
            1 + i % 9,
            i % 10,
            i % segments,
            (i * 7) % (needs - 200),
            (i * 13) % (needs - 200),
        );
        if i % 50 == 0 {
            let _ = writeln!(s, "    contradicts: [prop-{}]", i % props);
        }
        if (i + 1) % 500 == 0 {
            chunks.push(std::mem::replace(&mut s, String::from("evidence:\n")));
        }
    }
    chunks.push(s);
    let statuses = ["shipped", "shipped", "beta", "planned"];
    let mut s = String::from("features:\n");
    for i in 0..features {
        let _ = write!(
            s,
            "  - id: feat-{i}\n    name: Feature {i} for approval workflows\n    status: {}\n    facts:\n      uptime_pct: 99.9\n    addresses: [need-{}, need-{}]\n",
            statuses[i % 4],
            i % needs,
            (i * 3 + 1) % needs
        );
    }
    chunks.push(s);
    let mut s = String::from("propositions:\n");
    for i in 0..props {
        let _ = write!(
            s,
            "  - id: prop-{i}\n    statement: Invoices of kind {i} get approved on time because approvers get a nudge in Slack.\n    segment: seg-{}\n    needs: [need-{}]\n    features: [feat-{}, feat-{}]\n",
            i % segments,
            i % needs,
            i % features,
            (i * 5) % features
        );
        if i % 3 == 0 {
            let _ = writeln!(s, "    evidence: [ev-{}]", i % evidence);
        }
    }
    chunks.push(s);
    let mut s = String::from("messages:\n");
    for i in 0..messages {
        let claim = if i % 4 == 0 {
            "Guaranteed approvals in 2 days, with 99.99% uptime."
        } else {
            "Approvals your team will actually use."
        };
        let _ = write!(
            s,
            "  - id: msg-{i}\n    channel: web\n    text: \"{claim} Message {i} for the campaign.\"\n    proposition: prop-{}\n    features: [feat-{}]\n",
            i % props,
            (i % props) % features
        );
        if (i + 1) % 500 == 0 {
            chunks.push(std::mem::replace(&mut s, String::from("messages:\n")));
        }
    }
    chunks.push(s);
    for (n, chunk) in chunks.iter().enumerate() {
        std::fs::write(dir.join(format!("part-{n:02}.yaml")), chunk).expect("write");
    }
    segments + needs + evidence + features + props + messages
}

#[test]
fn a_large_project_stays_under_ten_megabytes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("gtm");
    std::fs::create_dir(&data).expect("mkdir");
    let entities = write_large_project(&data);
    assert!(entities > 13_000);
    let out = dir.path().join("map.html");
    let run = align()
        .args([
            "map",
            data.to_str().expect("utf-8"),
            "-o",
            out.to_str().expect("utf-8"),
            "--today",
            "2026-11-26",
        ])
        .output()
        .expect("runs");
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let size = std::fs::metadata(&out).expect("written").len();
    assert!(size < 10 * 1024 * 1024, "page is {size} bytes");
    let html = std::fs::read_to_string(&out).expect("read");
    assert!(html.contains(&format!(
        "This map covers {} entities",
        map::thousands(entities)
    )));
    let groups = html.matches("data-group=").count();
    assert!(groups <= map::DEFAULT_MAX_NODES, "{groups} group nodes");
    assert!(groups >= 20, "{groups} group nodes");
    assert_eq!(page_nodes(&html).len(), 0);
    // Every need and proposition still has its row.
    assert_eq!(html.matches("<tr><td>need-").count(), 2 * 2600);
    assert_eq!(html.matches("<tr><td>prop-").count(), 2000);
}

/// The Chromium binary, if there is one on the PATH.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Opens `url` in headless Chromium and returns (DOM after load, stderr).
fn headless_dom(browser: &Path, url: &str, profile: &Path) -> (String, String) {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("chromium starts");
    // Read both pipes on their own threads so a full pipe never stalls the browser, and stop
    // a browser that never finishes rather than hang the test run.
    let read = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_string(&mut text);
            }
            text
        })
    };
    use std::io::Read;
    let stdout = read(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = read(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let mut status = None;
    for _ in 0..1200 {
        if let Some(s) = child.try_wait().expect("chromium runs") {
            status = Some(s);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let Some(status) = status else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("chromium did not finish loading {url} within two minutes");
    };
    let (stdout, stderr) = (
        stdout.join().expect("stdout read"),
        stderr.join().expect("stderr read"),
    );
    assert!(status.success(), "chromium failed: {stderr}");
    (stdout, stderr)
}

/// Lines the page wrote to the console (messages, errors, uncaught exceptions).
fn console_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .collect()
}

#[test]
fn page_renders_in_headless_chromium_without_console_errors() {
    let Some(browser) = chromium() else {
        if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") {
            panic!("CI must have Chromium for this test: .ci/run installs Debian's `chromium`");
        }
        eprintln!(
            "skipped: no `chromium` on the PATH (install Debian's `chromium` package to run \
             the page in a browser)"
        );
        return;
    };
    let profile = tempfile::tempdir().expect("temp dir");

    // The console check itself: a broken page must be caught.
    let bad = profile.path().join("bad.html");
    std::fs::write(
        &bad,
        "<!doctype html><p>x</p><script>console.error('boom'); missing();</script>",
    )
    .expect("write");
    let (_, stderr) = headless_dom(
        &browser,
        &format!("file://{}", bad.display()),
        &profile.path().join("p1"),
    );
    assert_eq!(console_lines(&stderr).len(), 2, "{stderr}");

    let (_dir, page, html) = example_page(&[]);
    let url = format!("file://{}", page.display());
    let (dom, stderr) = headless_dom(&browser, &url, &profile.path().join("p2"));
    assert_eq!(console_lines(&stderr), Vec::<&str>::new(), "{stderr}");
    assert!(
        dom.contains("data-ready=\"true\""),
        "the script ran to its end"
    );
    assert_eq!(page_nodes(&dom).len(), page_nodes(&html).len());
    assert_eq!(page_edges(&dom).len(), page_edges(&html).len());

    // Following a finding's link highlights the node and its neighbours and shows its card.
    let (dom, stderr) = headless_dom(
        &browser,
        &format!("{url}#n-proposition-prop-startup-ap"),
        &profile.path().join("p3"),
    );
    assert_eq!(console_lines(&stderr), Vec::<&str>::new(), "{stderr}");
    assert!(
        dom.contains("<svg class=\"map focus\""),
        "map in focus mode"
    );
    assert!(
        Regex::new(r#"<g class="node sev-error hl current" id="n-proposition-prop-startup-ap""#)
            .expect("regex")
            .is_match(&dom)
    );
    let highlighted = Regex::new(r#"<g class="node[^"]* hl[" ]"#)
        .expect("regex")
        .find_iter(&dom)
        .count();
    // Itself, its segment, two needs, two features, one message.
    assert_eq!(highlighted, 7, "neighbours highlighted");
    let card_start = dom.find("<aside id=\"details\"").expect("card");
    let card = &dom[card_start..card_start + dom[card_start..].find("</aside>").expect("end")];
    assert!(!card.contains("hidden"), "card shown: {card}");
    assert!(
        card.contains("listening/proposition-without-evidence"),
        "{card}"
    );
    assert!(card.contains("Linked to"), "{card}");
}

#[test]
fn an_empty_folder_gives_an_empty_map_not_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("map.html");
    let run = align()
        .args([
            "map",
            dir.path().to_str().expect("utf-8"),
            "-o",
            out.to_str().expect("utf-8"),
        ])
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(0));
    let html = std::fs::read_to_string(&out).expect("written");
    assert!(html.contains("no propositions yet"));
    assert_eq!(html.matches("<text class=\"empty\"").count(), 6);
    assert!(html.contains("No findings: everything on this map is aligned."));
}

#[test]
fn ids_and_texts_cannot_break_any_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).expect("mkdir");
    std::fs::write(
        data.join("gtm.yaml"),
        r##"segments:
  - id: 'seg "a" <b>'
    name: "Quotes \" and <script>alert(1)</script> & #hash `tick`"
needs:
  - id: "need #1 & 2"
    statement: "It's </script><!-- a need -->"
    priority: high
    segment: 'seg "a" <b>'
propositions:
  - id: prop-ünïcode
    statement: "Ça marche — vraiment \\ backslash"
    segment: 'seg "a" <b>'
    needs: ["need #1 & 2"]
"##,
    )
    .expect("write");
    let html_path = dir.path().join("map.html");
    let run = align()
        .args([
            "map",
            data.to_str().expect("utf-8"),
            "-o",
            html_path.to_str().expect("utf-8"),
        ])
        .output()
        .expect("runs");
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let html = std::fs::read_to_string(&html_path).expect("written");
    assert!(!html.contains("<script>alert"), "text is escaped");
    assert_eq!(
        html.matches("</script>").count(),
        2,
        "only the page's own scripts close"
    );
    let nodes = page_nodes(&html);
    assert!(nodes.contains_key("segment:seg \"a\" <b>"), "{nodes:?}");
    assert!(nodes.contains_key("need:need #1 & 2"));
    assert!(nodes.contains_key("proposition:prop-ünïcode"));
    assert!(page_edges(&html).contains(&(
        "segment:seg \"a\" <b>".to_owned(),
        "need:need #1 & 2".to_owned()
    )));
    assert!(html.contains("id=\"n-segment-seg_20__22_a_22__20__3c_b_3e_\""));

    let dot = align()
        .args(["map", data.to_str().expect("utf-8"), "--format", "dot"])
        .output()
        .expect("runs");
    let dot = String::from_utf8_lossy(&dot.stdout);
    assert!(
        dot.contains(r#""segment:seg \"a\" <b>" -> "need:need #1 & 2";"#),
        "{dot}"
    );
    assert!(dot.contains(r#"\\ backslash"#), "{dot}");

    let mermaid = align()
        .args(["map", data.to_str().expect("utf-8"), "--format", "mermaid"])
        .output()
        .expect("runs");
    let mermaid = String::from_utf8_lossy(&mermaid.stdout);
    assert!(
        mermaid.contains("<b>seg #quot;a#quot; #lt;b#gt;</b>"),
        "{mermaid}"
    );
    assert!(mermaid.contains("  segment1 --> need1\n"), "{mermaid}");
    for line in mermaid.lines().filter(|l| l.contains("[\"")) {
        assert_eq!(
            line.matches('"').count(),
            2,
            "one quoted label per node: {line}"
        );
    }
}

#[test]
fn a_broken_file_still_maps_the_rest_and_exits_two() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).expect("mkdir");
    std::fs::write(
        data.join("ok.yaml"),
        "segments:\n  - id: seg-a\n    name: A\n",
    )
    .expect("write");
    std::fs::write(data.join("bad.yaml"), "needs: [ {id: x\n").expect("write");
    let out = dir.path().join("map.html");
    let run = align()
        .args([
            "map",
            data.to_str().expect("utf-8"),
            "-o",
            out.to_str().expect("utf-8"),
        ])
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("the map may be incomplete"), "{err}");
    let html = std::fs::read_to_string(&out).expect("still written");
    assert!(page_nodes(&html).contains_key("segment:seg-a"));
    assert!(
        html.contains("id=\"rule-load-yaml\""),
        "the load problem is listed"
    );
}
