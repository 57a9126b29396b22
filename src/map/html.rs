//! The map as one self-contained HTML page: inline CSS, inline script, and a content security
//! policy that forbids every network request, so the page works offline and can be attached to
//! an email or a CI run as it is.
//!
//! The page opens with the questions a marketing lead asks (which propositions lack evidence,
//! which messages overpromise, which high-priority needs no shipped feature addresses), then
//! heat maps with a row per segment, then the graph, then every finding by rule. The lists,
//! heat maps and findings are plain markup; the graph is drawn by the page's script from the
//! JSON in `#map-data`, for everything when the map is small and otherwise for the segment,
//! entity or search the reader picks, so the page stays small and fast at thousands of
//! entities. Each drawn node is a `div.node` with `data-key`, `data-kind`, `data-id` and, when
//! it has findings, `data-severity` (its worst) and `data-concerns`; each edge is a
//! `path.edge` with `data-from` and `data-to` holding node keys.

use super::concern::Concern;
use super::heat::{Cell, PRIORITIES, STRENGTHS};
use super::{COLUMNS, Map, MapNode, thousands, title_case, truncate};
use crate::finding::{Severity, Tally};
use crate::model::Kind;
use std::collections::BTreeSet;
use std::fmt::Write;

const CSS: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// Items of a question's list shown before "show all".
const FIRST_ITEMS: usize = 5;
/// Items of a question's list written into the page; the filters find the rest.
const LISTED_ITEMS: usize = 300;
/// Findings listed under one rule; past this the page counts the rest, to stay small.
const LISTED_PER_RULE: usize = 1000;
/// Up to this many findings, the findings section opens with every rule expanded.
const OPEN_FINDINGS: usize = 200;
/// Characters of a node's text the script gets (the card shows them all).
const DATA_TEXT: usize = 400;

/// The HTML page of the map.
pub(crate) fn render(map: &Map) -> String {
    let mut out = String::with_capacity(64 * 1024 + map.nodes.len() * 400);
    let title = match &map.segment {
        Some(s) => format!("{} — segment {s}", map.title),
        None => map.title.clone(),
    };
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Alignment map — {}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        esc(&title)
    );
    header(&mut out, map, &title);
    questions(&mut out, map);
    heat_maps(&mut out, map);
    claims_library(&mut out, map);
    explore(&mut out, map);
    out.push_str("<aside id=\"details\" hidden aria-live=\"polite\"></aside>\n");
    findings(&mut out, map);
    let _ = writeln!(
        out,
        "<footer>Drawn by align map {}. This page is self-contained: it loads nothing from \
         the network.</footer>",
        env!("CARGO_PKG_VERSION")
    );
    out.push_str("<script type=\"application/json\" id=\"map-data\">");
    out.push_str(&data(map));
    out.push_str("</script>\n<script>\n");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</body>\n</html>\n");
    out
}

/// Escapes text for HTML content and attribute values.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The HTML id of a node: `n-KIND-ID`, with every character outside `[A-Za-z0-9-]` written
/// as `_HEX_` so any entity id gives a valid, distinct fragment, and `~N` after it for the
/// N-th declaration of an id declared more than once.
pub fn dom_id(node: &MapNode) -> String {
    let mut out = String::from("n-");
    out.push_str(node.kind.singular());
    out.push('-');
    for c in node.id.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            out.push(c);
        } else {
            let _ = write!(out, "_{:x}_", c as u32);
        }
    }
    if node.occurrence > 1 {
        let _ = write!(out, "~{}", node.occurrence);
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

fn header(out: &mut String, map: &Map, title: &str) {
    let t = Tally::of(&map.findings);
    let _ = writeln!(
        out,
        "<header class=\"top\"><h1>Alignment map</h1><span class=\"scope\">{} · \
         <b id=\"entity-count\">{}</b></span>\
         <span class=\"tally\"><b class=\"e\">{}</b>, <b class=\"w\">{}</b>, <b class=\"i\">{}</b></span></header>",
        esc(title),
        plural(map.total(), "entity", "entities"),
        plural(t.errors, "error", "errors"),
        plural(t.warnings, "warning", "warnings"),
        plural(t.infos, "info", "infos"),
    );
}

/// The link to a node, with its id and short text.
fn node_item(map: &Map, i: usize) -> String {
    let Some(n) = map.nodes.get(i) else {
        return String::new();
    };
    let mut item = format!(
        "<li><a class=\"to-node\" href=\"#{}\">{}</a>",
        dom_id(n),
        esc(&n.id)
    );
    for m in &n.marks {
        let _ = write!(
            item,
            " <span class=\"mk {}\" title=\"{}\">{}</span>",
            m.class(),
            esc(&m.title()),
            esc(&m.label())
        );
    }
    if !n.text.is_empty() {
        let _ = write!(
            item,
            " <span class=\"t\">{}</span>",
            esc(&truncate(&n.text, 70))
        );
    }
    let segments: Vec<&str> = n
        .segments
        .iter()
        .filter_map(|&s| map.nodes.get(s))
        .filter(|s| s.key != n.key)
        .map(|s| s.id.as_str())
        .collect();
    if !segments.is_empty() {
        let _ = write!(
            item,
            " <span class=\"seg\">{}</span>",
            esc(&segments.join(", "))
        );
    }
    let rules: BTreeSet<&str> = n
        .findings
        .iter()
        .filter_map(|&f| map.findings.get(f))
        .map(|f| f.rule.as_str())
        .collect();
    if !rules.is_empty() {
        let rules: Vec<&str> = rules.into_iter().collect();
        let _ = write!(
            item,
            " <span class=\"rules\">{}</span>",
            esc(&rules.join(", "))
        );
    }
    item.push_str("</li>\n");
    item
}

fn questions(out: &mut String, map: &Map) {
    let h = &map.headline;
    let q = &map.questions;
    out.push_str("<section class=\"questions\" id=\"questions\">\n");
    for (id, question, list, figure, good, none, filter) in [
        (
            "q-unbacked",
            "Which propositions lack evidence?",
            &q.unbacked_propositions,
            h.propositions_on_evidence,
            "rest on customer evidence, directly or through their needs",
            "no propositions yet",
            "kind=proposition&evmin=0&evmax=0",
        ),
        (
            "q-overpromise",
            "Which messages overpromise?",
            &q.overpromising_messages,
            h.messages_substantiated,
            "promise nothing beyond what the product and the evidence back",
            "no messages yet",
            "kind=message&concern=overpromise",
        ),
        (
            "q-unaddressed",
            "Which high-priority needs does no shipped feature address?",
            &q.unaddressed_needs,
            h.high_needs_shipped,
            "are addressed by a shipped feature",
            "no high-priority needs yet",
            "kind=need&priority=high&unaddressed=1",
        ),
    ] {
        let band = match figure.percent() {
            Some(p) if p >= 80 => "high",
            Some(p) if p >= 50 => "mid",
            Some(_) => "low",
            None => "none",
        };
        let _ = write!(
            out,
            "<div class=\"q {band}\" id=\"{id}\"><h2>{question} \
             <span class=\"count\">{}</span></h2>",
            thousands(list.len())
        );
        match figure.percent() {
            Some(pct) => {
                let _ = write!(
                    out,
                    "<div class=\"figure\"><span class=\"pct\">{pct}%</span> \
                     <span class=\"what\">{} of {} {good}</span>\
                     <div class=\"bar\"><i style=\"width:{pct}%\"></i></div></div>",
                    thousands(figure.count),
                    thousands(figure.total),
                );
            }
            None => {
                let _ = write!(
                    out,
                    "<div class=\"figure\"><span class=\"what\">{none}</span></div>"
                );
            }
        }
        if list.is_empty() {
            if figure.total > 0 {
                out.push_str("<p class=\"none\">None: nothing to fix here.</p>");
            }
        } else {
            out.push_str("<ol>\n");
            for &i in list.iter().take(FIRST_ITEMS) {
                out.push_str(&node_item(map, i));
            }
            out.push_str("</ol>\n");
            let _ = writeln!(
                out,
                "<button type=\"button\" class=\"linkish draw\" data-seg=\"\" \
                 data-filter=\"{}\">Draw {} on the map</button>",
                esc(filter),
                if list.len() == 1 { "it" } else { "them" }
            );
            if list.len() > FIRST_ITEMS {
                let _ = writeln!(
                    out,
                    "<details><summary>Show {} more</summary><ol start=\"{}\">",
                    thousands(list.len() - FIRST_ITEMS),
                    FIRST_ITEMS + 1
                );
                for &i in list
                    .iter()
                    .skip(FIRST_ITEMS)
                    .take(LISTED_ITEMS - FIRST_ITEMS)
                {
                    out.push_str(&node_item(map, i));
                }
                out.push_str("</ol>");
                if list.len() > LISTED_ITEMS {
                    let _ = write!(
                        out,
                        "<p class=\"more\">and {} more: filter the map below to see them.</p>",
                        thousands(list.len() - LISTED_ITEMS)
                    );
                }
                out.push_str("</details>\n");
            }
        }
        out.push_str("</div>\n");
    }
    out.push_str("</section>\n");
}

/// The legend of concerns, severities, badges and marks.
fn legend(out: &mut String) {
    out.push_str("<div class=\"legend\" id=\"legend\">");
    for c in Concern::ALL {
        let _ = write!(
            out,
            "<span><i class=\"cc c-{}\">{}</i>{}</span>",
            c.as_str(),
            c.letter(),
            c.label()
        );
    }
    out.push_str(
        "<span><b class=\"sm error\">✖</b> error <b class=\"sm warning\">▲</b> warning \
         <b class=\"sm info\">●</b> info</span>\
         <span><i class=\"pill\">3</i> evidence items behind it</span>\
         <span><i class=\"mk dup\">duplicate 2/2</i> an id declared more than once</span>\
         <span>dashed red line: evidence contradicts the proposition</span></div>\n",
    );
}

/// A heat-map cell: `count/total`, shaded by the share, that filters the graph when clicked.
fn heat_cell(out: &mut String, cell: Cell, hue: &str, seg: &str, filter: &str) {
    if cell.total == 0 {
        out.push_str("<td class=\"n\">–</td>");
        return;
    }
    let _ = write!(
        out,
        "<td class=\"n {hue} h{}\" data-seg=\"{seg}\" data-filter=\"{}\" tabindex=\"0\" \
         title=\"{} of {}\">{}<small>/{}</small></td>",
        cell.shade(),
        esc(filter),
        thousands(cell.count),
        thousands(cell.total),
        thousands(cell.count),
        thousands(cell.total)
    );
}

fn heat_maps(out: &mut String, map: &Map) {
    let heat = &map.heat;
    out.push_str(
        "<section class=\"heat\" id=\"heat\"><h2>Where the gaps are, by segment</h2>\
         <p class=\"hint\">Each cell counts the entities of a segment with a gap, of all its \
         entities of that kind; the darker, the larger the share. Click a segment or a cell to \
         draw it below.</p><div class=\"tables\">\n",
    );
    let row_head = |out: &mut String, seg: Option<usize>| -> String {
        let (key, label, name) = match seg.and_then(|s| map.nodes.get(s).map(|n| (s, n))) {
            Some((s, n)) => (s.to_string(), esc(&n.id), esc(&truncate(&n.text, 40))),
            None => ("none".to_owned(), "(no segment)".to_owned(), String::new()),
        };
        let _ = write!(
            out,
            "<tr><th class=\"segname\" data-seg=\"{key}\" data-filter=\"\" tabindex=\"0\" \
             title=\"{name}\">{label}</th>"
        );
        key
    };

    out.push_str(
        "<div><h3>Segments × needs</h3><table class=\"heat\" id=\"heat-needs\"><thead><tr>\
         <th>Segment</th>",
    );
    for p in PRIORITIES {
        let _ = write!(
            out,
            "<th title=\"{p}-priority needs no shipped feature addresses\">{p}: unaddressed</th>"
        );
    }
    out.push_str("<th>no evidence</th></tr></thead><tbody>\n");
    for row in &heat.rows {
        let seg = row_head(out, row.segment);
        for (p, cell) in PRIORITIES.iter().zip(row.needs_unaddressed) {
            let hue = if *p == "high" { "red" } else { "amber" };
            heat_cell(
                out,
                cell,
                hue,
                &seg,
                &format!("kind=need&priority={p}&unaddressed=1"),
            );
        }
        heat_cell(
            out,
            row.needs_without_evidence,
            "purple",
            &seg,
            "kind=need&bare=1",
        );
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");

    out.push_str(
        "<div><h3>Propositions × evidence strength</h3><table class=\"heat\" id=\"heat-propositions\">\
         <thead><tr><th>Segment</th>",
    );
    for (_, label) in STRENGTHS {
        let _ = write!(out, "<th>{label}</th>");
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in &heat.rows {
        let seg = row_head(out, row.segment);
        for (b, (at_least, _)) in STRENGTHS.iter().enumerate() {
            let cell = row.propositions.get(b).copied().unwrap_or_default();
            let hue = if b == 0 { "purple" } else { "green" };
            let upto = STRENGTHS
                .get(b + 1)
                .map(|(n, _)| n - 1)
                .unwrap_or(usize::MAX);
            let filter = if upto == usize::MAX {
                format!("kind=proposition&evmin={at_least}")
            } else {
                format!("kind=proposition&evmin={at_least}&evmax={upto}")
            };
            heat_cell(out, cell, hue, &seg, &filter);
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");

    out.push_str(
        "<div><h3>Messages × rule families</h3><table class=\"heat\" id=\"heat-messages\">\
         <thead><tr><th>Segment</th>",
    );
    for f in &heat.families {
        let _ = write!(out, "<th>{}</th>", esc(f));
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in &heat.rows {
        let seg = row_head(out, row.segment);
        for (f, cell) in heat.families.iter().zip(&row.messages) {
            let hue = match Concern::of_rule(&format!("{f}/")) {
                Concern::Overpromise => "red",
                Concern::Evidence => "purple",
                Concern::Fit => "amber",
                Concern::Hygiene => "grey",
            };
            heat_cell(out, *cell, hue, &seg, &format!("kind=message&family={f}"));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n</div></section>\n");
}

/// The claims library: claims by status, and the copy that voices claims not approved.
/// Nothing when the project keeps no library.
fn claims_library(out: &mut String, map: &Map) {
    let claims = &map.coverage.claims;
    if claims.is_empty() {
        return;
    }
    out.push_str(
        "<section id=\"claims\"><h2>Claims library</h2>\n<h3>Claims by status</h3>\
         <table id=\"claims-by-status\"><thead><tr><th>status</th><th>claims</th>\
         <th>voiced by</th></tr></thead><tbody>\n",
    );
    for status in super::coverage::CLAIM_STATUSES {
        let (rows, voiced) = map.coverage.claims_of(status);
        let ids: Vec<String> = rows
            .iter()
            .filter_map(|r| map.nodes.get(r.node))
            .map(|n| {
                format!(
                    "<a class=\"to-node\" href=\"#{}\">{}</a>",
                    dom_id(n),
                    esc(&n.id)
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "<tr><td>{status}</td><td>{} {}</td><td>{}</td></tr>",
            rows.len(),
            ids.join(", "),
            plural(voiced, "message", "messages")
        );
    }
    out.push_str("</tbody></table>\n<h3>Messages voicing claims that are not approved</h3>\n");
    let unapproved: Vec<String> = map
        .coverage
        .unapproved_voicings()
        .map(|(m, r)| {
            format!(
                "<li>{} voices {} ({})</li>",
                esc(m),
                esc(&r.id),
                esc(&r.status)
            )
        })
        .collect();
    if unapproved.is_empty() {
        out.push_str("<p id=\"claims-unapproved\">None: all copy voices approved claims.</p>\n");
    } else {
        let _ = writeln!(
            out,
            "<ul id=\"claims-unapproved\">{}</ul>",
            unapproved.join("")
        );
    }
    out.push_str("</section>\n");
}

/// A `<select>` of a filter, with an "any" option first.
fn select(out: &mut String, name: &str, label: &str, options: &[(String, String)]) {
    let _ = write!(
        out,
        "<label>{label} <select name=\"{name}\"><option value=\"\">any</option>"
    );
    for (value, text) in options {
        let _ = write!(
            out,
            "<option value=\"{}\">{}</option>",
            esc(value),
            esc(text)
        );
    }
    out.push_str("</select></label>");
}

fn explore(out: &mut String, map: &Map) {
    out.push_str("<section class=\"explore\" id=\"explore\"><h2>The map</h2>\n");
    legend(out);
    out.push_str(
        "<form class=\"filters\" id=\"filters\" role=\"search\"><label class=\"search\">Search \
         <input type=\"search\" name=\"q\" placeholder=\"id, name or text\" autocomplete=\"off\"></label>",
    );
    let pairs = |items: Vec<String>| -> Vec<(String, String)> {
        items.into_iter().map(|s| (s.clone(), s)).collect()
    };
    select(
        out,
        "concern",
        "Concern",
        &Concern::ALL
            .iter()
            .map(|c| (c.as_str().to_owned(), c.label().to_owned()))
            .collect::<Vec<_>>(),
    );
    let rules: BTreeSet<String> = map.findings.iter().map(|f| f.rule.clone()).collect();
    select(out, "rule", "Rule", &pairs(rules.into_iter().collect()));
    select(
        out,
        "severity",
        "Severity",
        &[
            ("error".into(), "error".into()),
            ("warning".into(), "warning".into()),
            ("info".into(), "info".into()),
            ("none".into(), "no findings".into()),
        ],
    );
    let segments: Vec<(String, String)> = map
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kind == Kind::Segment)
        .map(|(i, n)| {
            let text = if n.text.is_empty() {
                n.id.clone()
            } else {
                format!("{} — {}", n.id, truncate(&n.text, 40))
            };
            (i.to_string(), text)
        })
        .collect();
    select(out, "segment", "Segment", &segments);
    let owners: BTreeSet<String> = map.nodes.iter().filter_map(|n| n.owner.clone()).collect();
    select(out, "owner", "Owner", &pairs(owners.into_iter().collect()));
    let channels: BTreeSet<String> = map.nodes.iter().filter_map(|n| n.channel.clone()).collect();
    select(
        out,
        "channel",
        "Channel",
        &pairs(channels.into_iter().collect()),
    );
    select(
        out,
        "kind",
        "Kind",
        &COLUMNS
            .iter()
            .map(|k| (k.singular().to_owned(), k.plural().to_owned()))
            .collect::<Vec<_>>(),
    );
    out.push_str(
        "<button type=\"button\" id=\"clear\">Clear</button></form>\n\
         <p id=\"graph-status\" class=\"status\" aria-live=\"polite\"></p>\n\
         <div class=\"graph\" id=\"graph\"><svg class=\"edges\" aria-hidden=\"true\"></svg>\n",
    );
    for (c, kind) in COLUMNS.iter().enumerate() {
        let _ = writeln!(
            out,
            "<div class=\"col\" data-col=\"{c}\"><h3>{}<span class=\"colcount\">{}</span></h3>\
             <div class=\"cards\"></div></div>",
            title_case(kind.plural()),
            thousands(map.counts.get(c).copied().unwrap_or(0))
        );
    }
    out.push_str(
        "</div>\n<noscript><p class=\"status\">The graph is drawn by the page's script; the \
         lists above and the findings below need none.</p></noscript>\n</section>\n",
    );
}

fn findings(out: &mut String, map: &Map) {
    out.push_str("<section class=\"findings\" id=\"findings\"><h2>Findings</h2>\n");
    if map.findings.is_empty() {
        out.push_str("<p>No findings: everything on this map is aligned.</p></section>\n");
        return;
    }
    let open = if map.findings.len() <= OPEN_FINDINGS {
        " open"
    } else {
        ""
    };
    // Group by rule, the rules with the most serious findings first.
    let mut rules: Vec<(&str, Severity, Vec<usize>)> = Vec::new();
    for (i, f) in map.findings.iter().enumerate() {
        match rules.iter_mut().find(|(r, _, _)| *r == f.rule) {
            Some(entry) => {
                entry.1 = entry.1.max(f.severity);
                entry.2.push(i);
            }
            None => rules.push((f.rule.as_str(), f.severity, vec![i])),
        }
    }
    rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (rule, worst, list) in rules {
        let concern = Concern::of_rule(rule);
        let _ = write!(
            out,
            "<details class=\"rule\" id=\"rule-{}\"{open}><summary><i class=\"cc c-{}\" title=\"{}\">{}</i> \
             <span class=\"sev {worst}\">{worst}</span> <code>{}</code> · {}",
            esc(&rule.replace('/', "-")),
            concern.as_str(),
            concern.label(),
            concern.letter(),
            esc(rule),
            plural(list.len(), "finding", "findings")
        );
        if let Some(summary) = map.rule_summaries.get(rule).filter(|s| !s.is_empty()) {
            let _ = write!(out, " <span class=\"summary\">{}</span>", esc(summary));
        }
        out.push_str("</summary><ul>\n");
        let unlisted = list.len().saturating_sub(LISTED_PER_RULE);
        for i in list.into_iter().take(LISTED_PER_RULE) {
            let Some(f) = map.findings.get(i) else {
                continue;
            };
            let _ = write!(
                out,
                "<li class=\"{}\"><span class=\"sev {}\">{}</span> ",
                f.severity, f.severity, f.severity
            );
            let node = map
                .finding_nodes
                .get(i)
                .copied()
                .flatten()
                .and_then(|n| map.nodes.get(n));
            match (&f.entity, node) {
                (Some(e), Some(n)) => {
                    let _ = write!(
                        out,
                        "<a class=\"to-node\" href=\"#{}\">{} {}</a> — ",
                        dom_id(n),
                        esc(e.kind),
                        esc(&e.id)
                    );
                }
                (Some(e), None) => {
                    let _ = write!(out, "{} {} — ", esc(e.kind), esc(&e.id));
                }
                _ => {}
            }
            out.push_str(&esc(&f.message));
            if let Some(loc) = map.finding_locations.get(i).filter(|l| !l.is_empty()) {
                let _ = write!(out, " <span class=\"loc\">{}</span>", esc(loc));
            }
            if let Some(help) = &f.help {
                let _ = write!(out, "<div class=\"help\">{}</div>", esc(help));
            }
            out.push_str("</li>\n");
        }
        if unlisted > 0 {
            let _ = writeln!(
                out,
                "<li class=\"more\">and {} more, not listed to keep this page small: \
                 <code>align check</code> lists every finding.</li>",
                thousands(unlisted)
            );
        }
        out.push_str("</ul></details>\n");
    }
    out.push_str("</section>\n");
}

/// The JSON the script reads: every node (in map order), the columns' order, the edges as
/// pairs of node indices, and the findings about nodes.
fn data(map: &Map) -> String {
    use serde_json::{Map as Object, Value, json};
    let mut helps: Vec<&str> = Vec::new();
    let mut findings: Vec<Value> = Vec::with_capacity(map.findings.len());
    for f in &map.findings {
        let mut o = Object::new();
        o.insert("r".into(), json!(f.rule));
        o.insert("s".into(), json!(f.severity.as_str()));
        o.insert("m".into(), json!(f.message));
        if let Some(h) = &f.help {
            let i = match helps.iter().position(|x| *x == h.as_str()) {
                Some(i) => i,
                None => {
                    helps.push(h.as_str());
                    helps.len() - 1
                }
            };
            o.insert("h".into(), json!(i));
        }
        findings.push(Value::Object(o));
    }
    let nodes: Vec<Value> = map
        .nodes
        .iter()
        .map(|n| {
            let mut o = Object::new();
            o.insert("k".into(), json!(super::column_of(n.kind)));
            o.insert("key".into(), json!(n.key));
            o.insert("dom".into(), json!(dom_id(n)));
            o.insert("id".into(), json!(n.id));
            if !n.text.is_empty() {
                o.insert("t".into(), json!(truncate(&n.text, DATA_TEXT)));
            }
            if let Some(s) = &n.status {
                o.insert("st".into(), json!(s));
            }
            if let Some(k) = &n.evidence_kind {
                o.insert("evk".into(), json!(k));
            }
            if let Some(c) = n.evidence_count {
                o.insert("ev".into(), json!(c));
            }
            if let Some(l) = &n.location {
                o.insert("loc".into(), json!(l));
            }
            if let Some(s) = n.severity {
                o.insert("sev".into(), json!(s.as_str()));
            }
            if !n.concerns.is_empty() {
                let c: Vec<&str> = n.concerns.iter().map(|c| c.as_str()).collect();
                o.insert("c".into(), json!(c));
            }
            if !n.findings.is_empty() {
                o.insert("f".into(), json!(n.findings));
            }
            if !n.segments.is_empty() {
                o.insert("s".into(), json!(n.segments));
            }
            if let Some(v) = &n.owner {
                o.insert("o".into(), json!(v));
            }
            if let Some(v) = &n.channel {
                o.insert("ch".into(), json!(v));
            }
            if !n.marks.is_empty() {
                let marks: Vec<Value> = n
                    .marks
                    .iter()
                    .map(|m| json!([m.class(), m.label(), m.title()]))
                    .collect();
                o.insert("m".into(), Value::Array(marks));
            }
            Value::Object(o)
        })
        .collect();
    let mut edges: Vec<usize> = Vec::with_capacity(map.edges.len() * 2);
    let mut contradicts: Vec<usize> = Vec::new();
    for (i, e) in map.edges.iter().enumerate() {
        edges.push(e.from);
        edges.push(e.to);
        if e.contradicts {
            contradicts.push(i);
        }
    }
    let priorities: Vec<Value> = map
        .coverage
        .needs
        .iter()
        .map(|r| {
            json!([
                r.node,
                r.priority.as_deref().unwrap_or(""),
                r.features[0].is_empty(),
                r.evidence_kinds.iter().sum::<usize>() == 0
            ])
        })
        .collect();
    let strengths: Vec<Value> = map
        .coverage
        .propositions
        .iter()
        .map(|r| {
            let mut behind: Vec<&String> = r.direct.iter().chain(&r.through_needs).collect();
            behind.sort();
            behind.dedup();
            json!([r.node, behind.len()])
        })
        .collect();
    let text = serde_json::to_string(&json!({
        "max": map.max_nodes,
        "cols": COLUMNS.iter().map(|k| k.singular()).collect::<Vec<_>>(),
        "order": map.columns,
        "nodes": nodes,
        "edges": edges,
        "contradicts": contradicts,
        "findings": findings,
        "helps": helps,
        "needs": priorities,
        "props": strengths,
    }))
    .unwrap_or_else(|_| String::from("{\"nodes\":[],\"findings\":[]}"));
    // Inside <script>, `<` could close the element; JSON allows writing it as an escape.
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A node with only its kind and id.
    fn bare(kind: crate::model::Kind, id: &str) -> MapNode {
        MapNode {
            kind,
            key: crate::map::entity_key(kind, id, 1),
            id: id.to_owned(),
            occurrence: 1,
            text: String::new(),
            status: None,
            evidence_kind: None,
            evidence_count: None,
            severity: None,
            concerns: Vec::new(),
            findings: Vec::new(),
            location: None,
            owner: None,
            channel: None,
            segments: Vec::new(),
            marks: Vec::new(),
        }
    }

    #[test]
    fn dom_ids_are_distinct_and_plain() {
        let node = |id: &str| bare(crate::model::Kind::Need, id);
        assert_eq!(dom_id(&node("need-a")), "n-need-need-a");
        assert_eq!(dom_id(&node("a b")), "n-need-a_20_b");
        assert_ne!(dom_id(&node("a_b")), dom_id(&node("a b")));
        let mut second = node("need-a");
        second.occurrence = 2;
        assert_eq!(dom_id(&second), "n-need-need-a~2");
    }
}
