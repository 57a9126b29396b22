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

/// The entity nodes a browser drew: key → (kind, id, severity).
fn page_nodes(html: &str) -> BTreeMap<String, (String, String, Option<String>)> {
    let re = Regex::new(r#"<div class="node[^"]*" id="[^"]+" tabindex="0" data-key="([^"]+)" data-kind="([^"]+)" data-id="([^"]+)"(?: data-severity="([^"]+)")?"#)
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

/// The edges a browser drew, as (from key, to key).
fn page_edges(html: &str) -> BTreeSet<(String, String)> {
    let re = Regex::new(r#"<path class="edge[^"]*" data-from="([^"]+)" data-to="([^"]+)""#)
        .expect("regex");
    re.captures_iter(html)
        .map(|c| (unescape(&c[1]), unescape(&c[2])))
        .collect()
}

/// The script's data in a page.
fn page_data(html: &str) -> serde_json::Value {
    let start = html.find("id=\"map-data\">").expect("data") + "id=\"map-data\">".len();
    let end = start + html[start..].find("</script>").expect("end of data");
    serde_json::from_str(&html[start..end]).expect("valid JSON")
}

/// The node keys and edges (as pairs of keys) the page hands its script.
fn data_graph(html: &str) -> (BTreeSet<String>, BTreeSet<(String, String)>) {
    let data = page_data(html);
    let keys: Vec<String> = data["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["key"].as_str().expect("key").to_owned())
        .collect();
    let ends: Vec<usize> = data["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|v| v.as_u64().expect("index") as usize)
        .collect();
    let edges = ends
        .chunks(2)
        .map(|p| (keys[p[0]].clone(), keys[p[1]].clone()))
        .collect();
    (keys.into_iter().collect(), edges)
}

/// The entity count `align check` reports for `path`.
fn checked_entities(path: &Path) -> u64 {
    let out = align()
        .args(["check", "--format", "json"])
        .arg(path)
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    json["summary"]["entities"].as_u64().expect("a count")
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
fn every_entity_is_drawn_once_with_its_worst_severity_and_concerns() {
    let ws = load(&rel("examples/ledgerly"));
    let findings = ws.check();
    let m = map::build(&ws, &findings, &MapOptions::default()).expect("map");
    // One node per declaration, as `align check` counts entities: a shared id is two nodes.
    assert_eq!(m.nodes.len(), ws.model.entities().count());
    assert_eq!(
        m.total() as u64,
        checked_entities(&rel("examples/ledgerly"))
    );
    let keys: BTreeSet<&str> = m.nodes.iter().map(|n| n.key.as_str()).collect();
    assert_eq!(keys.len(), m.nodes.len(), "keys are unique");
    let heroes: Vec<&map::MapNode> = m.nodes.iter().filter(|n| n.id == "msg-web-hero").collect();
    assert_eq!(heroes.len(), 2, "both declarations are drawn");
    assert_eq!(heroes[0].key, "message:msg-web-hero");
    assert_eq!(heroes[1].key, "message:msg-web-hero#2");
    for (n, hero) in heroes.iter().enumerate() {
        assert_eq!(
            hero.marks,
            vec![map::Mark::Duplicate {
                occurrence: n + 1,
                of: 2
            }]
        );
    }
    // Each declaration's duplicate-id finding goes to its own node.
    let mut dup_nodes: Vec<&str> = m
        .findings
        .iter()
        .zip(&m.finding_nodes)
        .filter(|(f, _)| f.rule == "hygiene/duplicate-id")
        .filter_map(|(_, n)| n.map(|n| m.nodes[n].key.as_str()))
        .collect();
    dup_nodes.sort_unstable();
    assert_eq!(
        dup_nodes,
        vec!["message:msg-web-hero", "message:msg-web-hero#2"]
    );
    // Severity is the worst finding's, concerns those of every finding.
    for (i, n) in m.nodes.iter().enumerate() {
        let mine: Vec<&align::finding::Finding> = m
            .findings
            .iter()
            .zip(&m.finding_nodes)
            .filter(|(_, node)| **node == Some(i))
            .map(|(f, _)| f)
            .collect();
        assert_eq!(mine.len(), n.findings.len(), "{}", n.key);
        assert_eq!(
            n.severity,
            mine.iter().map(|f| f.severity).max(),
            "{}",
            n.key
        );
        let concerns: BTreeSet<map::Concern> = mine
            .iter()
            .map(|f| map::Concern::of_rule(&f.rule))
            .collect();
        assert_eq!(
            n.concerns,
            concerns.into_iter().collect::<Vec<_>>(),
            "{}",
            n.key
        );
    }
    let node = |key: &str| {
        m.nodes
            .iter()
            .find(|n| n.key == key)
            .unwrap_or_else(|| panic!("no node {key}"))
    };
    assert_eq!(
        node("proposition:prop-startup-ap").severity,
        Some(Severity::Error)
    );
    assert!(
        node("proposition:prop-startup-ap")
            .concerns
            .contains(&map::Concern::Evidence)
    );
    assert_eq!(
        node("evidence:ev-int-fenwick-2024-06").severity,
        Some(Severity::Info)
    );
    assert_eq!(node("segment:seg-midmarket-finance").severity, None);
    // What the boxes show.
    assert_eq!(node("need:need-invoice-matching").evidence_count, Some(3));
    assert!(
        node("need:need-invoice-matching")
            .text
            .contains("Stop keying supplier")
    );
    assert_eq!(
        node("feature:feat-payment-runs").status.as_deref(),
        Some("planned")
    );
    assert_eq!(node("proposition:prop-startup-ap").evidence_count, Some(0));
    assert_eq!(
        node("evidence:ev-int-brightwell-2026-03")
            .evidence_kind
            .as_deref(),
        Some("interview, 2026-03-14")
    );
}

#[test]
fn every_reference_has_its_edge() {
    let ws = load(&rel("examples/ledgerly"));
    let findings = ws.check();
    let m = map::build(&ws, &findings, &MapOptions::default()).expect("map");
    let node_of = |eid| {
        let e = ws.model.entity(eid);
        let nth = ws
            .model
            .of_kind(e.kind)
            .iter()
            .filter(|o| ws.model.entity(**o).id == e.id)
            .position(|o| *o == eid)
            .expect("declared");
        if nth == 0 {
            key(e.kind, &e.id)
        } else {
            format!("{}#{}", key(e.kind, &e.id), nth + 1)
        }
    };
    let mut expected = BTreeSet::new();
    for (eid, e) in ws.model.entities() {
        for r in refs::references(&ws.model, eid) {
            let t = ws.model.entity(r.target);
            let (a, b) = (node_of(eid), node_of(r.target));
            if map::column_of(e.kind) < map::column_of(t.kind) {
                expected.insert((a, b));
            } else {
                expected.insert((b, a));
            }
        }
    }
    assert!(expected.len() > 100, "the example is well linked");
    let drawn: BTreeSet<(String, String)> = m
        .edges
        .iter()
        .map(|e| (m.nodes[e.from].key.clone(), m.nodes[e.to].key.clone()))
        .collect();
    assert_eq!(drawn, expected);
    // The second msg-web-hero has its own references.
    assert!(drawn.iter().any(|(_, to)| to == "message:msg-web-hero#2"));
    let contradicting: Vec<(String, String)> = m
        .edges
        .iter()
        .filter(|e| e.contradicts)
        .map(|e| (m.nodes[e.from].key.clone(), m.nodes[e.to].key.clone()))
        .collect();
    assert!(contradicting.contains(&(
        "evidence:ev-call-onboarding-2026-q3".to_owned(),
        "proposition:prop-live-in-a-day".to_owned()
    )));
    // The page hands the script every node and edge.
    let (_dir, _, html) = example_page(&[]);
    let data = page_data(&html);
    assert_eq!(data["nodes"].as_array().map(Vec::len), Some(m.nodes.len()));
    assert_eq!(
        data["edges"].as_array().map(Vec::len),
        Some(2 * m.edges.len())
    );
}

/// The items of one question's list on the page: the ids its links point at.
fn question_items(html: &str, id: &str) -> Vec<String> {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no question {id}"));
    let end = start + html[start..].find("\n</div>\n").expect("end of question");
    Regex::new(r##"<a class="to-node" href="#([^"]+)""##)
        .expect("regex")
        .captures_iter(&html[start..end])
        .map(|c| c[1].to_owned())
        .collect()
}

#[test]
fn page_opens_with_the_questions_then_heat_maps_then_the_map_and_findings() {
    let (_dir, _, html) = example_page(&[]);
    let ws = load(&rel("examples/ledgerly"));
    let findings = ws.check();
    let m = map::build(&ws, &findings, &MapOptions::default()).expect("map");
    // The order of the page: questions first.
    let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("no {needle}"));
    assert!(at("id=\"questions\"") < at("id=\"heat\""));
    assert!(at("id=\"heat\"") < at("id=\"explore\""));
    assert!(at("id=\"explore\"") < at("id=\"findings\""));
    assert!(html.contains("<b id=\"entity-count\">79 entities</b>"));

    // The claims library: claims by status, and copy voicing claims not approved.
    assert!(at("id=\"heat\"") < at("id=\"claims\"") && at("id=\"claims\"") < at("id=\"explore\""));
    let table = &html[at("id=\"claims-by-status\"")..];
    let table = &table[..table.find("</table>").expect("closed")];
    assert!(table.contains("<tr><td>approved</td><td>4 "), "{table}");
    assert!(table.contains("<tr><td>draft</td><td>1 "), "{table}");
    assert!(table.contains("<tr><td>withdrawn</td><td>1 "), "{table}");
    let unapproved = &html[at("id=\"claims-unapproved\"")..];
    let unapproved = &unapproved[..unapproved.find("</ul>").expect("a list")];
    assert!(unapproved.contains("msg-deck-month-end voices clm-audit-ready (draft)"));
    assert!(unapproved.contains("msg-email-go-live voices clm-live-in-a-day (withdrawn)"));
    assert!(!unapproved.contains("msg-web-matching"), "{unapproved}");

    // Each question lists what the map's answers hold, linking to the node.
    let dom = |i: &usize| map::html::dom_id(&m.nodes[*i]);
    for (id, list) in [
        ("q-unbacked", &m.questions.unbacked_propositions),
        ("q-overpromise", &m.questions.overpromising_messages),
        ("q-unaddressed", &m.questions.unaddressed_needs),
    ] {
        assert!(!list.is_empty(), "{id}");
        assert_eq!(
            question_items(&html, id),
            list.iter().map(dom).collect::<Vec<_>>(),
            "{id}"
        );
    }
    assert_eq!(
        question_items(&html, "q-unbacked"),
        vec!["n-proposition-prop-startup-ap"]
    );
    assert_eq!(
        question_items(&html, "q-unaddressed"),
        vec!["n-need-need-pay-suppliers"]
    );
    // A message overpromises when it has a finding of the overpromise concern.
    for &i in &m.questions.overpromising_messages {
        let n = &m.nodes[i];
        assert_eq!(n.kind, Kind::Message);
        assert!(n.findings.iter().any(|&f| {
            let rule = &m.findings[f].rule;
            rule.starts_with("overpromise/") || rule.starts_with("claims/")
        }));
    }
    let overpromising = m
        .nodes
        .iter()
        .filter(|n| n.kind == Kind::Message && n.concerns.contains(&map::Concern::Overpromise))
        .count();
    assert_eq!(m.questions.overpromising_messages.len(), overpromising);
    // Figures agree with the lists.
    assert!(html.contains("9 of 10 rest on customer evidence"));
    assert!(html.contains("6 of 7 are addressed by a shipped feature"));
    let messages = m.counts[6];
    assert!(html.contains(&format!(
        "{} of {messages} promise nothing beyond",
        messages - overpromising
    )));

    // The messages matrix has a column per built-in pack, the claims library's pack too.
    let messages_table = &html[at("id=\"heat-messages\"")..];
    let messages_table = &messages_table[..messages_table.find("</thead>").expect("a head")];
    let overpromise = messages_table
        .find(">overpromise<")
        .expect("an overpromise column");
    let claims = messages_table.find(">claims<").expect("a claims column");
    assert!(overpromise < claims, "{messages_table}");

    // Heat maps: a row per segment in each.
    for table in ["heat-needs", "heat-propositions", "heat-messages"] {
        let start = at(&format!("id=\"{table}\""));
        let end = start + html[start..].find("</table>").expect("end");
        let rows = html[start..end].matches("<th class=\"segname\"").count();
        assert!(rows >= m.counts[0], "{table}: {rows} rows");
    }
    let heat = &m.heat;
    let needs: usize = heat
        .rows
        .iter()
        .map(|r| r.needs_unaddressed.iter().map(|c| c.total).sum::<usize>())
        .sum();
    assert_eq!(needs, m.counts[2], "every need is in one row");
    let high_gaps: usize = heat.rows.iter().map(|r| r.needs_unaddressed[0].count).sum();
    assert_eq!(high_gaps, m.questions.unaddressed_needs.len());
    let bare: usize = heat.rows.iter().map(|r| r.propositions[0].count).sum();
    assert_eq!(bare, m.questions.unbacked_propositions.len());

    // Filters for every dimension the issue names.
    for name in [
        "q", "concern", "rule", "severity", "segment", "owner", "channel",
    ] {
        assert!(html.contains(&format!("name=\"{name}\"")), "filter {name}");
    }
    assert!(html.contains("<option value=\"marketing\">marketing</option>"));
    assert!(html.contains("<option value=\"web\">web</option>"));

    // Findings grouped by rule, each linking to a node that exists.
    let ids: BTreeSet<String> = m.nodes.iter().map(map::html::dom_id).collect();
    let links: Vec<String> = Regex::new(r##"<li class="[a-z]+"><span class="sev [a-z]+">[a-z]+</span> <a class="to-node" href="#([^"]+)""##)
        .expect("regex")
        .captures_iter(&html)
        .map(|c| c[1].to_owned())
        .collect();
    assert_eq!(
        links.len(),
        m.findings.len(),
        "every finding of the example is about an entity"
    );
    for l in &links {
        assert!(ids.contains(l), "link to missing node {l}");
    }
    assert!(links.contains(&"n-message-msg-web-hero~2".to_owned()));
    let rules: BTreeSet<&str> = m.findings.iter().map(|f| f.rule.as_str()).collect();
    let groups = html.matches("<details class=\"rule\" id=\"rule-").count();
    assert_eq!(groups, rules.len(), "one group per rule that fired");
    let first_group = at("<details class=\"rule\"");
    let summary = html[first_group..].split("</summary>").next().unwrap_or("");
    assert!(
        summary.contains("<span class=\"sev error\">"),
        "errors first: {summary}"
    );
}

#[test]
fn page_loads_nothing_from_the_network() {
    let (_dir, _, html) = example_page(&[]);
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none';"));
    let without_ns = html.replace("http://www.w3.org/2000/svg", "");
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
    for &e in model.backlink(seg, "evidence") {
        expected.insert(key(Kind::Evidence, &model.entity(e).id));
    }
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
            String::from_utf8_lossy(&out.stderr).contains("Wrote the alignment map of 79 entities")
        );
    }
    let md = std::fs::read_to_string(md).expect("md");
    assert!(md.starts_with("```mermaid\n%% Alignment map of examples/ledgerly\nflowchart LR\n"));
    // After the diagram, the claims library's tables, as the page has them.
    let library = md
        .find("```\n\n## Claims library\n")
        .expect("a library section");
    insta::assert_snapshot!("ledgerly_markdown_claims", &md[library + 5..]);
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

/// Writes a generated project of at least 5,000 entities (the scale benchmark's generator) and
/// returns its folder and entity count.
fn generated_project() -> (tempfile::TempDir, PathBuf, usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("gtm");
    std::fs::create_dir(&data).expect("mkdir");
    let stats = crate::scale::corpus::generate(&data, 383, 18).expect("corpus written");
    assert!(stats.entities >= 5000, "{} entities", stats.entities);
    (dir, data, stats.entities)
}

/// Runs `align map` on `data` into `out`, expecting success.
fn map_to(data: &Path, out: &Path, extra: &[&str]) {
    let run = align()
        .arg("map")
        .arg(data)
        .arg("-o")
        .arg(out)
        .args(extra)
        .output()
        .expect("runs");
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn a_project_of_5000_entities_gives_a_small_page_and_diagrams_mermaid_accepts() {
    let (dir, data, entities) = generated_project();
    let page = dir.path().join("map.html");
    map_to(&data, &page, &[]);
    let size = std::fs::metadata(&page).expect("written").len();
    assert!(size < 3 * 1024 * 1024, "page is {size} bytes");
    let html = std::fs::read_to_string(&page).expect("read");
    // Counts equal check's, every entity goes to the script, none is drawn in the markup.
    assert_eq!(entities as u64, checked_entities(&data));
    assert!(html.contains(&format!(
        "<b id=\"entity-count\">{} entities</b>",
        map::thousands(entities)
    )));
    let script = page_data(&html);
    assert_eq!(script["nodes"].as_array().map(Vec::len), Some(entities));
    assert_eq!(script["max"], map::DEFAULT_MAX_NODES);
    // The questions answer with lists; long ones are cut and counted.
    for q in ["q-unbacked", "q-overpromise", "q-unaddressed"] {
        let items = question_items(&html, q);
        assert!(
            !items.is_empty() && items.len() <= 300,
            "{q}: {}",
            items.len()
        );
    }
    // The heat maps have a row per segment, not per entity.
    let segments = html.matches("<th class=\"segname\"").count();
    assert!(
        (3 * 38..=3 * 39).contains(&segments),
        "{segments} segment rows"
    );

    // Mermaid: split into diagrams each under Mermaid's limits, together drawing every node.
    let md = dir.path().join("map.md");
    map_to(&data, &md, &[]);
    let md = std::fs::read_to_string(&md).expect("read");
    let blocks: Vec<&str> = md
        .split("```mermaid\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap_or(""))
        .collect();
    assert!(blocks.len() >= 38, "{} diagrams", blocks.len());
    let mut drawn = BTreeSet::new();
    let node = Regex::new(r#"(?m)^    ([a-z]+[0-9]+)\["#).expect("regex");
    for b in &blocks {
        let edges = b
            .lines()
            .filter(|l| l.contains("-->") || l.contains(".->"))
            .count();
        assert!(edges <= map::mermaid::MAX_EDGES, "{edges} edges");
        assert!(b.len() <= map::mermaid::MAX_CHARS, "{} characters", b.len());
        assert!(b.starts_with("%% Alignment map of"), "{b}");
        drawn.extend(node.captures_iter(b).map(|c| c[1].to_owned()));
    }
    assert_eq!(drawn.len(), entities, "every entity is in some diagram");

    // DOT: above --max-nodes, one graph per segment, each a cluster on one rank per column,
    // together holding every entity.
    let dot = align()
        .args(["map", "--format", "dot"])
        .arg(&data)
        .output()
        .expect("runs");
    let dot = String::from_utf8_lossy(&dot.stdout);
    let graphs: Vec<&str> = dot.split("digraph ").skip(1).collect();
    assert!(graphs.len() >= 38, "{} graphs", graphs.len());
    let mut keys = BTreeSet::new();
    let node = Regex::new(r#"(?m)^    "([^"]+)" \["#).expect("regex");
    for g in &graphs {
        assert!(g.contains("mclimit=0.5"));
        let nodes: Vec<String> = node.captures_iter(g).map(|c| c[1].to_owned()).collect();
        assert!(nodes.len() <= 400, "{} nodes in one graph", nodes.len());
        assert!(g.matches("rank=same;").count() <= 6);
        keys.extend(nodes);
    }
    assert_eq!(keys.len(), entities, "every entity is in some graph");
}

#[test]
fn a_segment_too_large_for_one_diagram_is_split_by_proposition_then_in_halves() {
    use std::fmt::Write as _;
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("gtm");
    std::fs::create_dir(&data).expect("mkdir");
    // One segment, 40 propositions with 2 needs and 2 evidence items each, and 3 messages each;
    // prop-0 has 520 messages, more lines than one diagram may hold on its own.
    let mut y = String::from("segments:\n  - id: seg-one\n    name: The only segment\nneeds:\n");
    for p in 0..40 {
        for k in 0..2 {
            let _ = write!(
                y,
                "  - id: need-{p}-{k}\n    statement: Need {k} of {p}\n    priority: low\n    segment: seg-one\n"
            );
        }
    }
    y.push_str("evidence:\n");
    for p in 0..40 {
        for k in 0..2 {
            let _ = write!(
                y,
                "  - id: ev-{p}-{k}\n    kind: interview\n    date: 2026-01-10\n    summary: Said so\n    segment: seg-one\n    supports: [need-{p}-{k}]\n"
            );
        }
    }
    y.push_str("propositions:\n");
    for p in 0..40 {
        let _ = write!(
            y,
            "  - id: prop-{p}\n    statement: Promise {p}\n    segment: seg-one\n    needs: [need-{p}-0, need-{p}-1]\n"
        );
    }
    y.push_str("messages:\n");
    let mut messages = 0;
    for p in 0..40 {
        for k in 0..(if p == 0 { 520 } else { 3 }) {
            let _ = write!(
                y,
                "  - id: msg-{p}-{k}\n    channel: web\n    text: Message {k}\n    proposition: prop-{p}\n"
            );
            messages += 1;
        }
    }
    std::fs::write(data.join("gtm.yaml"), y).expect("write");
    let entities = 1 + 80 + 80 + 40 + messages;
    let out = dir.path().join("map.md");
    map_to(&data, &out, &["--today", "2026-06-01"]);
    let md = std::fs::read_to_string(&out).expect("read");
    let titles: Vec<&str> = md.lines().filter_map(|l| l.strip_prefix("### ")).collect();
    let blocks: Vec<&str> = md
        .split("```mermaid\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap_or(""))
        .collect();
    assert_eq!(titles.len(), blocks.len());
    assert!(
        titles.contains(&"Proposition prop-1 (Promise 1) of segment seg-one"),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Proposition prop-0 (Promise 0) of segment seg-one (1)"),
        "{titles:?}"
    );
    assert!(
        !titles.iter().any(|t| t.starts_with("Segment ")),
        "{titles:?}"
    );
    let node = Regex::new(r#"(?m)^    ([a-z]+[0-9]+)\["#).expect("regex");
    let mut drawn = BTreeSet::new();
    for b in &blocks {
        let edges = b.lines().filter(|l| l.contains("-->")).count();
        assert!(edges <= map::mermaid::MAX_EDGES, "{edges} edges");
        assert!(b.len() <= map::mermaid::MAX_CHARS);
        drawn.extend(node.captures_iter(b).map(|c| c[1].to_owned()));
    }
    assert_eq!(drawn.len(), entities, "every entity is in some diagram");
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
    headless(browser, url, profile, &["--dump-dom"])
}

/// Runs headless Chromium on `url` with `extra` arguments and returns (stdout, stderr).
/// Runs headless Chromium on `url` and returns what it wrote. A browser that hangs (it
/// happens now and then on a loaded machine, before the page is even read) is stopped after
/// two minutes and started once more with a fresh profile before the test fails.
fn headless(browser: &Path, url: &str, profile: &Path, extra: &[&str]) -> (String, String) {
    if let Some(out) = headless_once(browser, url, profile, extra) {
        return out;
    }
    let again = profile.join("again");
    headless_once(browser, url, &again, extra).unwrap_or_else(|| {
        panic!("chromium did not finish loading {url} within two minutes, twice")
    })
}

fn headless_once(
    browser: &Path,
    url: &str,
    profile: &Path,
    extra: &[&str],
) -> Option<(String, String)> {
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
            "--hide-scrollbars",
        ])
        .args(extra)
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
        return None;
    };
    let (stdout, stderr) = (
        stdout.join().expect("stdout read"),
        stderr.join().expect("stderr read"),
    );
    assert!(status.success(), "chromium failed: {stderr}");
    Some((stdout, stderr))
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
        // Written past the test harness's capture, so the skip shows in the run's output.
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED map::page_renders_in_headless_chromium_without_console_errors: no \
             `chromium` on the PATH (install Debian's `chromium` package to run the page in a \
             browser; under CI=true this test fails instead)"
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
    // The example is small: every entity and every edge is drawn, duplicates both.
    let ws = load(&rel("examples/ledgerly"));
    let findings = ws.check();
    let m = map::build(&ws, &findings, &MapOptions::default()).expect("map");
    let nodes = page_nodes(&dom);
    assert_eq!(nodes.len(), m.nodes.len());
    assert_eq!(page_edges(&dom).len(), m.edges.len());
    assert!(nodes.contains_key("message:msg-web-hero#2"));
    for n in &m.nodes {
        let drawn = nodes
            .get(&n.key)
            .unwrap_or_else(|| panic!("{} drawn", n.key));
        assert_eq!(
            drawn.2.as_deref(),
            n.severity.map(|s| s.as_str()),
            "{}",
            n.key
        );
    }
    assert_eq!(
        dom.matches("<i class=\"mk dup\"").count(),
        2 + 1,
        "both duplicates marked (and the legend)"
    );
    assert!(page_data(&html)["nodes"].as_array().is_some());

    // Following a finding's link highlights the node and its neighbours and shows its card.
    let (dom, stderr) = headless_dom(
        &browser,
        &format!("{url}#n-proposition-prop-startup-ap"),
        &profile.path().join("p3"),
    );
    assert_eq!(console_lines(&stderr), Vec::<&str>::new(), "{stderr}");
    assert!(
        dom.contains("<div class=\"graph focus\""),
        "map in focus mode"
    );
    assert!(
        Regex::new(
            r#"<div class="node sev-error[^"]* hl current" id="n-proposition-prop-startup-ap""#
        )
        .expect("regex")
        .is_match(&dom),
        "the node is current"
    );
    let highlighted = Regex::new(r#"<div class="node[^"]* hl[" ]"#)
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

/// A copy of `page` with a script that, after the page's own, measures the drawn map (and
/// the page's height before and after scrolling to the end) into `<pre id="probe">`. `setup`
/// runs first, to choose what to draw.
fn probed(page: &Path, setup: &str) -> PathBuf {
    let html = std::fs::read_to_string(page).expect("page");
    let probe = format!(
        r##"<script>
(function () {{
  var r = {{}};
  {setup}
  setTimeout(function () {{
    var doc = document.documentElement;
    r.viewport = doc.clientWidth;
    r.scrollWidth = doc.scrollWidth;
    r.columns = Array.prototype.map.call(document.querySelectorAll("#graph .col"), function (c) {{
      var b = c.getBoundingClientRect();
      return [Math.round(b.left), Math.round(b.right)];
    }});
    r.drawn = document.querySelectorAll("#graph .node").length;
    r.edges = document.querySelectorAll("#graph path.edge").length;
    r.status = document.getElementById("graph-status").textContent;
    r.renderMs = +document.body.getAttribute("data-render-ms");
    r.loadMs = Math.round(performance.now());
    r.count = document.getElementById("entity-count").textContent;
    r.questions = Array.prototype.map.call(document.querySelectorAll(".questions .q"), function (q) {{
      var b = q.getBoundingClientRect();
      return [q.id, q.querySelectorAll("a.to-node").length, Math.round(b.top)];
    }});
    r.idsCut = Array.prototype.filter.call(document.querySelectorAll("#graph .nid"), function (e) {{
      return e.scrollWidth > e.clientWidth + 1;
    }}).length;
    r.heightBefore = doc.scrollHeight;
    window.scrollTo(0, doc.scrollHeight);
    setTimeout(function () {{
      r.heightAfter = doc.scrollHeight;
      window.scrollTo(0, 0);
      var pre = document.createElement("pre");
      pre.id = "probe";
      pre.textContent = JSON.stringify(r);
      document.body.appendChild(pre);
    }}, 300);
  }}, 400);
}})();
</script>
</body>"##
    );
    let out = page.with_file_name(format!(
        "probed-{}.html",
        page.file_stem().and_then(|s| s.to_str()).unwrap_or("page")
    ));
    std::fs::write(&out, html.replacen("</body>", &probe, 1)).expect("write");
    out
}

/// What the probe measured.
fn probe(browser: &Path, url: &str, width: u32, profile: &Path) -> serde_json::Value {
    let size = format!("--window-size={width},1000");
    let (dom, stderr) = headless(
        browser,
        url,
        profile,
        &[&size, "--virtual-time-budget=5000", "--dump-dom"],
    );
    assert_eq!(console_lines(&stderr), Vec::<&str>::new(), "{stderr}");
    let start = dom.find("<pre id=\"probe\">").expect("the probe ran") + "<pre id=\"probe\">".len();
    let end = start + dom[start..].find("</pre>").expect("end");
    serde_json::from_str(&unescape(&dom[start..end])).expect("probe JSON")
}

/// Takes a screenshot of `url` at `width` × `height` into `out`, and checks it is a PNG that
/// wide.
fn screenshot(browser: &Path, url: &str, width: u32, height: u32, out: &Path, profile: &Path) {
    let size = format!("--window-size={width},{height}");
    let shot = format!("--screenshot={}", out.display());
    headless(
        browser,
        url,
        profile,
        &[
            &size,
            "--virtual-time-budget=5000",
            "--run-all-compositor-stages-before-draw",
            &shot,
        ],
    );
    let png = std::fs::read(out).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    let w = png
        .get(16..20)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    assert_eq!(w, Some(width));
    // With ALIGN_MAP_SCREENSHOTS=DIR the screenshots are kept, for the documentation.
    if let Some(keep) = std::env::var_os("ALIGN_MAP_SCREENSHOTS") {
        let name = out.file_name().expect("a name");
        std::fs::copy(out, Path::new(&keep).join(name)).expect("kept");
    }
}

/// Checks a probe at `width`: the seven columns start inside the viewport, nothing scrolls
/// sideways, no id is cut, and the page does not change height while scrolling.
fn assert_fits(p: &serde_json::Value, width: u32) {
    let viewport = p["viewport"].as_u64().expect("viewport");
    assert!(viewport <= u64::from(width));
    let columns = p["columns"].as_array().expect("columns");
    assert_eq!(columns.len(), 7);
    for c in columns {
        let right = c[1].as_u64().expect("right");
        assert!(
            right <= viewport,
            "a column ends at {right}, beyond {viewport}: {p}"
        );
    }
    assert!(
        p["scrollWidth"].as_u64() <= Some(viewport),
        "no sideways scrolling: {p}"
    );
    assert_eq!(p["idsCut"], 0, "no id is cut: {p}");
    assert_eq!(p["heightBefore"], p["heightAfter"], "no layout jump: {p}");
}

#[test]
fn the_map_fits_1600_and_1000_pixels_for_the_example_and_5000_entities() {
    let Some(browser) = chromium() else {
        if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") {
            panic!("CI must have Chromium for this test: .ci/run installs Debian's `chromium`");
        }
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED map::the_map_fits_1600_and_1000_pixels_for_the_example_and_5000_entities: \
             no `chromium` on the PATH"
        );
        return;
    };
    let profile = tempfile::tempdir().expect("temp dir");
    let (dir, page, _) = example_page(&[]);
    let probed_page = probed(&page, "");
    let url = format!("file://{}", probed_page.display());
    for width in [1600, 1000] {
        let p = probe(
            &browser,
            &url,
            width,
            &profile.path().join(format!("e{width}")),
        );
        assert_fits(&p, width);
        assert_eq!(p["count"], "79 entities");
        assert_eq!(p["drawn"], 79, "the whole example is drawn: {p}");
        let questions = p["questions"].as_array().expect("questions");
        assert_eq!(questions.len(), 3);
        for q in questions {
            assert!(q[1].as_u64() > Some(0), "{q}");
            assert!(q[2].as_u64() < Some(400), "questions at the top: {q}");
        }
        let shot = dir.path().join(format!("map-ledgerly-{width}.png"));
        screenshot(
            &browser,
            &format!("file://{}", page.display()),
            width,
            if width == 1600 { 1400 } else { 1300 },
            &shot,
            &profile.path().join(format!("s{width}")),
        );
    }

    // A search draws what matches (both declarations of a shared id) and what they link to.
    let search = r##"var q = document.querySelector("#filters input[name=q]");
  q.value = "msg-web-hero";
  q.dispatchEvent(new Event("input", { bubbles: true }));"##;
    let url = format!("file://{}", probed(&page, search).display());
    let p = probe(&browser, &url, 1000, &profile.path().join("q"));
    assert!(
        p["status"]
            .as_str()
            .is_some_and(|s| s.starts_with("2 of 79 entities match")),
        "{p}"
    );
    let drawn = p["drawn"].as_u64().unwrap_or(0);
    assert!((3..79).contains(&drawn), "{p}");
    // A concern filter: messages that overpromise.
    let filter = r##"var f = document.getElementById("filters");
  f.elements.concern.value = "overpromise";
  f.elements.kind.value = "message";
  f.elements.kind.dispatchEvent(new Event("input", { bubbles: true }));"##;
    let url = format!("file://{}", probed(&page, filter).display());
    let p = probe(&browser, &url, 1600, &profile.path().join("f"));
    assert!(
        p["status"]
            .as_str()
            .is_some_and(|s| s.starts_with("13 of 79 entities match")),
        "{p}"
    );

    // A question's button draws exactly its list.
    let click = r##"document.querySelector("#q-unaddressed button.draw").click();"##;
    let url = format!("file://{}", probed(&page, click).display());
    let p = probe(&browser, &url, 1600, &profile.path().join("b"));
    assert!(
        p["status"]
            .as_str()
            .is_some_and(|s| s.starts_with("1 of 79 entities match")),
        "{p}"
    );

    let (gen_dir, data, entities) = generated_project();
    let big = gen_dir.path().join("map.html");
    map_to(&data, &big, &[]);
    // Nothing chosen: the page asks what to draw, and the questions answer at the top.
    let url = format!("file://{}", probed(&big, "").display());
    for width in [1600, 1000] {
        let p = probe(
            &browser,
            &url,
            width,
            &profile.path().join(format!("g{width}")),
        );
        assert_fits(&p, width);
        assert_eq!(p["count"], format!("{} entities", map::thousands(entities)));
        assert_eq!(p["drawn"], 0, "{p}");
        assert!(
            p["status"]
                .as_str()
                .is_some_and(|s| s.contains("more than the 400")),
            "{p}"
        );
        for q in p["questions"].as_array().expect("questions") {
            assert!(q[1].as_u64() > Some(0), "{q}");
            assert!(q[2].as_u64() < Some(400), "{q}");
        }
        let shot = gen_dir.path().join(format!("map-5000-{width}.png"));
        screenshot(
            &browser,
            &format!("file://{}", big.display()),
            width,
            1000,
            &shot,
            &profile.path().join(format!("t{width}")),
        );
    }
    // A segment chosen: its slice is drawn, under the limit, quickly.
    let choose = r##"var s = document.querySelector("#filters select[name=segment]");
  s.value = s.options[3].value;
  s.dispatchEvent(new Event("input", { bubbles: true }));"##;
    let url = format!("file://{}", probed(&big, choose).display());
    for width in [1600, 1000] {
        let p = probe(
            &browser,
            &url,
            width,
            &profile.path().join(format!("c{width}")),
        );
        assert_fits(&p, width);
        let drawn = p["drawn"].as_u64().expect("drawn");
        assert!((50..=400).contains(&drawn), "{p}");
        assert!(p["edges"].as_u64() > Some(drawn), "{p}");
        let _ = writeln_probe(&p, width);
    }
    // An entity's link draws its neighbourhood.
    let url = format!("file://{}#n-proposition-prop-7", probed(&big, "").display());
    let p = probe(&browser, &url, 1600, &profile.path().join("h"));
    assert!(
        p["status"].as_str().is_some_and(|s| s.contains("prop-7")),
        "{p}"
    );
    assert!((5..=60).contains(&p["drawn"].as_u64().unwrap_or(0)), "{p}");
}

/// Prints what a probe measured on the 5,000-entity page, for the record.
fn writeln_probe(p: &serde_json::Value, width: u32) -> std::io::Result<()> {
    use std::io::Write as _;
    writeln!(
        std::io::stderr(),
        "5,000 entities at {width} px: one segment drawn, {} nodes and {} edges",
        p["drawn"],
        p["edges"]
    )
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
    assert_eq!(data_graph(&html).0.len(), 0);
    assert_eq!(html.matches("<div class=\"col\" data-col=").count(), 7);
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
    let (nodes, edges) = data_graph(&html);
    assert!(nodes.contains("segment:seg \"a\" <b>"), "{nodes:?}");
    assert!(nodes.contains("need:need #1 & 2"));
    assert!(nodes.contains("proposition:prop-ünïcode"));
    assert!(edges.contains(&(
        "segment:seg \"a\" <b>".to_owned(),
        "need:need #1 & 2".to_owned()
    )));
    assert!(html.contains("\"dom\":\"n-segment-seg_20__22_a_22__20__3c_b_3e_\""));
    assert!(html.contains("href=\"#n-need-need_20__23_1_20__26__20_2\""));

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
    assert!(data_graph(&html).0.contains("segment:seg-a"));
    assert!(
        html.contains("id=\"rule-load-yaml\""),
        "the load problem is listed"
    );
}
