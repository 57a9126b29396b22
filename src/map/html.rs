//! The map as one self-contained HTML page: inline CSS, inline SVG, inline script, and a
//! content security policy that forbids every network request, so the page works offline and
//! can be attached to an email or a CI run as it is.
//!
//! The page is readable without its script (the map, tables and findings are plain markup);
//! the script only adds highlighting of a node's neighbours and the details card on hover,
//! focus or a link to `#node-id`. Each entity node is an SVG `g.node` with `data-kind`,
//! `data-id`, `data-key` and, when it has findings, `data-severity` (its worst); each edge is a
//! `path.edge` with `data-from` and `data-to` holding node keys (`kind:id`).

use super::coverage::{RestsOn, STATUSES};
use super::{COLUMNS, Detail, Map, MapNode, thousands, title_case, truncate};
use crate::finding::{Severity, Tally};
use crate::model::schema::EVIDENCE_KINDS;
use std::fmt::Write;

const CSS: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// Node box width, in SVG units (pixels at scale 1).
const NODE_W: usize = 210;
/// Node box height.
const NODE_H: usize = 56;
/// Vertical distance between the tops of two nodes of a column.
const ROW: usize = 64;
/// Horizontal space between two columns.
const GAP: usize = 42;
/// Space around the drawing.
const PAD: usize = 12;
/// Height of the column titles.
const HEAD: usize = 34;
/// Width of one character of a node's id (bold), on average.
const ID_CHAR_W: f64 = 6.9;
/// Characters of short text per line.
const LINE_CHARS: usize = 32;
/// Findings listed in a group's details card (the rest are counted by rule).
const GROUP_FINDINGS: usize = 5;
/// Findings listed under one rule; past this the page counts the rest, to stay small.
const LISTED_PER_RULE: usize = 1000;

/// The HTML page of the map.
pub fn render(map: &Map) -> String {
    let mut out = String::with_capacity(64 * 1024);
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
    figures(&mut out, map);
    if let Some(notice) = &map.notice {
        let _ = writeln!(
            out,
            "<section><p class=\"notice\" id=\"grouped\">{}</p></section>",
            esc(notice)
        );
    }
    out.push_str("<section class=\"map-section\">\n");
    legend(&mut out);
    out.push_str("<div class=\"mapbox\">\n");
    svg(&mut out, map);
    out.push_str("</div>\n</section>\n");
    out.push_str("<aside id=\"details\" hidden aria-live=\"polite\"></aside>\n");
    coverage(&mut out, map);
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
pub fn esc(text: &str) -> String {
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

/// The HTML id of a node: `n-KIND-ID` for an entity, `g-KIND-NAME` for a group, with every
/// character outside `[A-Za-z0-9-]` written as `_HEX_` so any entity id gives a valid,
/// distinct fragment.
pub fn dom_id(node: &MapNode) -> String {
    let mut out = String::from(if node.group { "g-" } else { "n-" });
    out.push_str(node.kind.singular());
    out.push('-');
    for c in node.id.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            out.push(c);
        } else {
            let _ = write!(out, "_{:x}_", c as u32);
        }
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

fn header(out: &mut String, map: &Map, title: &str) {
    let total: usize = map.counts.iter().sum();
    let t = Tally::of(&map.findings);
    let _ = writeln!(
        out,
        "<header class=\"top\"><h1>Alignment map</h1><span class=\"scope\">{} · {}</span>\
         <span class=\"tally\"><b class=\"e\">{}</b>, <b class=\"w\">{}</b>, <b class=\"i\">{}</b></span></header>",
        esc(title),
        plural(total, "entity", "entities"),
        plural(t.errors, "error", "errors"),
        plural(t.warnings, "warning", "warnings"),
        plural(t.infos, "info", "infos"),
    );
}

fn figures(out: &mut String, map: &Map) {
    let h = &map.headline;
    out.push_str("<section><div class=\"figures\">\n");
    for (figure, what, none) in [
        (
            h.propositions_on_evidence,
            "propositions rest on customer evidence, directly or through their needs",
            "no propositions yet",
        ),
        (
            h.messages_substantiated,
            "messages have every claim substantiated",
            "no messages yet",
        ),
        (
            h.high_needs_shipped,
            "high-priority needs are addressed by a shipped feature",
            "no high-priority needs yet",
        ),
    ] {
        match figure.percent() {
            Some(pct) => {
                let band = if pct >= 80 {
                    "high"
                } else if pct >= 50 {
                    "mid"
                } else {
                    "low"
                };
                let _ = writeln!(
                    out,
                    "<div class=\"figure {band}\"><div class=\"pct\">{pct}%</div>\
                     <div class=\"what\">{} of {} {what}</div>\
                     <div class=\"bar\"><i style=\"width:{pct}%\"></i></div></div>",
                    thousands(figure.count),
                    thousands(figure.total),
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "<div class=\"figure\"><div class=\"pct\">–</div><div class=\"what\">{none}</div></div>"
                );
            }
        }
    }
    out.push_str("</div></section>\n");
}

fn legend(out: &mut String) {
    out.push_str(
        "<div class=\"legend\"><span><i class=\"sw error\"></i>error</span>\
         <span><i class=\"sw warning\"></i>warning</span><span><i class=\"sw info\"></i>info</span>\
         <span><i class=\"sw clean\"></i>no findings</span>\
         <span><i class=\"pill\">3</i> evidence items behind it</span>\
         <span>dashed red line: evidence contradicts the proposition</span>\
         <span>Hover, focus or click a box for its details and findings; Esc to let go.</span></div>\n",
    );
}

fn column_x(c: usize) -> usize {
    PAD + c * (NODE_W + GAP)
}

fn svg(out: &mut String, map: &Map) {
    let longest = map.columns.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let width = 2 * PAD + COLUMNS.len() * NODE_W + (COLUMNS.len() - 1) * GAP;
    let height = HEAD + longest * ROW + PAD;
    let positions = super::layout::positions(&map.columns, map.nodes.len());
    let y_of = |i: usize| HEAD as f64 + positions.get(i).copied().unwrap_or(0.0) * ROW as f64;
    let x_of = |i: usize| {
        map.nodes
            .get(i)
            .map(|n| column_x(super::column_of(n.kind)))
            .unwrap_or(0)
    };
    let _ = writeln!(
        out,
        "<svg class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" role=\"group\" aria-label=\"Alignment map\">"
    );
    for (c, kind) in COLUMNS.iter().enumerate() {
        let count = map.counts.get(c).copied().unwrap_or(0);
        let x = column_x(c);
        let _ = writeln!(
            out,
            "<text class=\"colhead\" x=\"{x}\" y=\"20\">{}<tspan class=\"colcount\" dx=\"6\">{}</tspan></text>",
            title_case(kind.plural()),
            thousands(count)
        );
        if map.columns.get(c).is_none_or(Vec::is_empty) {
            let _ = writeln!(
                out,
                "<text class=\"empty\" x=\"{x}\" y=\"{}\">none</text>",
                HEAD + 20
            );
        }
    }
    out.push_str("<g class=\"edges\">\n");
    for e in &map.edges {
        let (Some(a), Some(b)) = (map.nodes.get(e.from), map.nodes.get(e.to)) else {
            continue;
        };
        let x1 = (x_of(e.from) + NODE_W) as f64;
        let x2 = x_of(e.to) as f64;
        let y1 = y_of(e.from) + NODE_H as f64 / 2.0;
        let y2 = y_of(e.to) + NODE_H as f64 / 2.0;
        let dx = ((x2 - x1) * 0.45).max(20.0);
        let class = if e.contradicts {
            "edge contradicts"
        } else {
            "edge"
        };
        let style = if e.count > 1 {
            format!(
                " style=\"stroke-width:{:.1}\"",
                (1.0 + (e.count as f64).log2()).min(9.0)
            )
        } else {
            String::new()
        };
        let _ = write!(
            out,
            "<path class=\"{class}\" data-from=\"{}\" data-to=\"{}\"{style} \
             d=\"M{x1:.0} {y1:.0}C{:.0} {y1:.0} {:.0} {y2:.0} {x2:.0} {y2:.0}\">",
            esc(&a.key),
            esc(&b.key),
            x1 + dx,
            x2 - dx,
        );
        if e.count > 1 || e.contradicts {
            let what = if e.contradicts {
                "contradicts"
            } else {
                "references"
            };
            let _ = write!(out, "<title>{} {what}</title>", thousands(e.count));
        }
        out.push_str("</path>\n");
    }
    out.push_str("</g>\n<g class=\"nodes\">\n");
    for (i, node) in map.nodes.iter().enumerate() {
        node_svg(out, map, node, x_of(i), y_of(i));
    }
    out.push_str("</g>\n</svg>\n");
}

fn node_svg(out: &mut String, map: &Map, node: &MapNode, x: usize, y: f64) {
    let sev = node.severity.map(Severity::as_str).unwrap_or("clean");
    let mut class = format!("node sev-{sev}");
    if node.group {
        class.push_str(" group");
    }
    if let Some(s) = &node.status {
        let _ = write!(class, " status-{}", esc(s));
    }
    let kind = node.kind.singular();
    let _ = write!(
        out,
        "<g class=\"{class}\" id=\"{}\" data-key=\"{}\" ",
        dom_id(node),
        esc(&node.key)
    );
    if node.group {
        let _ = write!(
            out,
            "data-group=\"{kind}\" data-members=\"{}\" ",
            node.members
        );
    } else {
        let _ = write!(out, "data-kind=\"{kind}\" data-id=\"{}\" ", esc(&node.id));
    }
    if let Some(s) = node.severity {
        let _ = write!(out, "data-severity=\"{s}\" ");
    }
    let findings = match node.findings.len() {
        0 => String::from("no findings"),
        n => format!("{}, worst {sev}", plural(n, "finding", "findings")),
    };
    let _ = writeln!(
        out,
        "tabindex=\"0\" transform=\"translate({x},{y:.0})\" aria-label=\"{kind} {}: {}\">",
        esc(&node.id),
        esc(&findings)
    );
    let _ = writeln!(
        out,
        "<title>{}{}{}</title><rect class=\"box\" width=\"{NODE_W}\" height=\"{NODE_H}\" rx=\"6\"/>\
         <rect class=\"stripe\" width=\"5\" height=\"{NODE_H}\" rx=\"2\"/>",
        esc(&node.id),
        if node.text.is_empty() { "" } else { " — " },
        esc(&node.text)
    );
    // The badge: evidence behind an entity, or the members of a group.
    let badge = if node.group {
        Some((node.members, "entities in this group"))
    } else {
        node.evidence_count.map(|n| (n, "evidence items behind it"))
    };
    let mut id_room = NODE_W - 20;
    if let Some((n, what)) = badge {
        let label = thousands(n);
        let w = 10 + 7 * label.chars().count();
        let bx = NODE_W - 6 - w;
        id_room = id_room.saturating_sub(w + 4);
        let zero = if n == 0 && !node.group { " zero" } else { "" };
        let _ = write!(
            out,
            "<g class=\"badge{zero}\"><title>{} {what}</title><rect x=\"{bx}\" y=\"6\" width=\"{w}\" height=\"16\" rx=\"8\"/>\
             <text x=\"{}\" y=\"18\" text-anchor=\"middle\">{label}</text></g>",
            thousands(n),
            bx + w / 2
        );
    }
    let mark = match node.severity {
        Some(Severity::Error) => "✖ ",
        Some(Severity::Warning) => "▲ ",
        Some(Severity::Info) => "● ",
        None => "",
    };
    if !mark.is_empty() {
        id_room = id_room.saturating_sub(14);
    }
    let id_chars = (id_room as f64 / ID_CHAR_W) as usize;
    let _ = write!(
        out,
        "<text class=\"nid\" x=\"12\" y=\"18\"><tspan class=\"mark\">{mark}</tspan>{}</text>",
        esc(&truncate(&node.id, id_chars))
    );
    // Two lines of short text; a feature's status or an evidence item's kind leads the first.
    let (lead, lead_class) = match (&node.status, &node.evidence_kind) {
        (Some(s), _) => (s.to_uppercase(), format!("st st-{}", esc(s))),
        (_, Some(k)) => (k.clone(), String::from("evk")),
        _ if node.group => (group_findings_line(map, node), String::from("evk")),
        _ => (String::new(), String::new()),
    };
    let first_room = if lead.is_empty() {
        LINE_CHARS
    } else {
        LINE_CHARS.saturating_sub(lead.chars().count() + 2)
    };
    let lines = if node.evidence_kind.is_some() || node.group {
        // The kind (or the findings) fill the first line; the text takes the second.
        let mut l = vec![String::new()];
        l.extend(wrap(&node.text, LINE_CHARS, LINE_CHARS, 1));
        l
    } else {
        wrap(&node.text, first_room, LINE_CHARS, 2)
    };
    for (n, line) in lines.iter().enumerate().take(2) {
        let y = 35 + n * 14;
        let _ = write!(out, "<text class=\"ntext\" x=\"12\" y=\"{y}\">");
        if n == 0 && !lead.is_empty() {
            let _ = write!(out, "<tspan class=\"{lead_class}\">{}</tspan> ", esc(&lead));
        }
        let _ = write!(out, "{}</text>", esc(line));
    }
    out.push_str("\n</g>\n");
}

/// "3 errors · 2 warnings" for a group's first line.
fn group_findings_line(map: &Map, node: &MapNode) -> String {
    let found: Vec<_> = node
        .findings
        .iter()
        .filter_map(|&i| map.findings.get(i))
        .cloned()
        .collect();
    let t = Tally::of(&found);
    let mut parts = Vec::new();
    if t.errors > 0 {
        parts.push(plural(t.errors, "error", "errors"));
    }
    if t.warnings > 0 {
        parts.push(plural(t.warnings, "warning", "warnings"));
    }
    if t.infos > 0 {
        parts.push(plural(t.infos, "info", "infos"));
    }
    if parts.is_empty() {
        String::from("no findings")
    } else {
        parts.join(" · ")
    }
}

/// Wraps text at word boundaries: the first line `first` characters wide, the others
/// `rest`, at most `max_lines` lines, the last cut with an ellipsis when the text goes on.
pub fn wrap(text: &str, first: usize, rest: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() && lines.len() < max_lines {
        let width = if lines.is_empty() { first } else { rest };
        let word = words.get(i).copied().unwrap_or("");
        let needed =
            current.chars().count() + usize::from(!current.is_empty()) + word.chars().count();
        if needed <= width {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
            i += 1;
        } else if current.is_empty() {
            // A word longer than the line: cut it.
            current = truncate(word, width);
            i += 1;
            lines.push(std::mem::take(&mut current));
        } else {
            lines.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() && lines.len() < max_lines {
        lines.push(current);
    }
    if i < words.len() {
        let width = if lines.len() <= 1 { first } else { rest };
        if let Some(last) = lines.last_mut() {
            let kept: String = last.chars().take(width.saturating_sub(1)).collect();
            *last = format!("{}…", kept.trim_end());
        }
    }
    lines
}

/// A link to an entity's node when the map draws entities, else the id as text.
fn entity_link(map: &Map, kind: crate::model::Kind, id: &str) -> String {
    if map.detail == Detail::Entities {
        format!(
            "<a href=\"#{}\">{}</a>",
            dom_id(&MapNode::bare(kind, id)),
            esc(id)
        )
    } else {
        esc(id)
    }
}

fn links(map: &Map, kind: crate::model::Kind, ids: &[String]) -> String {
    ids.iter()
        .map(|id| entity_link(map, kind, id))
        .collect::<Vec<_>>()
        .join(", ")
}

fn coverage(out: &mut String, map: &Map) {
    use crate::model::Kind;
    let cov = &map.coverage;
    out.push_str("<section class=\"coverage\"><h2>Coverage</h2><div class=\"tables\">\n");

    // Needs × features.
    out.push_str(
        "<div><h3>Needs × features</h3><table class=\"cov\" id=\"needs-features\"><thead><tr>\
         <th>Need</th><th>Segment</th><th>Priority</th>",
    );
    for s in STATUSES {
        let _ = write!(out, "<th>{}</th>", title_case(s));
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in &cov.needs {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td>",
            entity_link(map, Kind::Need, &row.id),
            row.segment.as_deref().map(esc).unwrap_or_default(),
            row.priority.as_deref().map(esc).unwrap_or_default()
        );
        for (i, features) in row.features.iter().enumerate() {
            let gap = i == 0 && features.is_empty() && row.priority.as_deref() == Some("high");
            let _ = write!(
                out,
                "<td{}>{}</td>",
                if gap { " class=\"gap\"" } else { "" },
                links(map, Kind::Feature, features)
            );
        }
        out.push_str("</tr>\n");
    }
    if cov.needs.is_empty() {
        out.push_str("<tr><td colspan=\"7\">No needs.</td></tr>\n");
    }
    out.push_str("</tbody></table></div>\n");

    // Needs × evidence kinds.
    out.push_str(
        "<div><h3>Needs × evidence kinds</h3><table class=\"cov\" id=\"needs-evidence\"><thead><tr><th>Need</th>",
    );
    for k in EVIDENCE_KINDS {
        let _ = write!(out, "<th>{}</th>", esc(k));
    }
    out.push_str("<th>Total</th></tr></thead><tbody>\n");
    for row in &cov.needs {
        let _ = write!(
            out,
            "<tr><td>{}</td>",
            entity_link(map, Kind::Need, &row.id)
        );
        for n in &row.evidence_kinds {
            if *n == 0 {
                out.push_str("<td class=\"n zero\">0</td>");
            } else {
                let _ = write!(out, "<td class=\"n\">{n}</td>");
            }
        }
        let total: usize = row.evidence_kinds.iter().sum();
        let _ = writeln!(
            out,
            "<td class=\"n{}\">{total}</td></tr>",
            if total == 0 { " gap" } else { "" }
        );
    }
    if cov.needs.is_empty() {
        let _ = writeln!(
            out,
            "<tr><td colspan=\"{}\">No needs.</td></tr>",
            EVIDENCE_KINDS.len() + 2
        );
    }
    out.push_str("</tbody></table></div>\n");

    // Propositions × evidence.
    out.push_str(
        "<div><h3>Propositions × evidence</h3><table class=\"cov\" id=\"propositions-evidence\"><thead><tr>\
         <th>Proposition</th><th>Segment</th><th>Direct</th><th>Through needs</th><th>Rests on</th>\
         </tr></thead><tbody>\n",
    );
    for row in &cov.propositions {
        let rests = row.rests_on();
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td{}>{}</td></tr>",
            entity_link(map, Kind::Proposition, &row.id),
            row.segment.as_deref().map(esc).unwrap_or_default(),
            links(map, Kind::Evidence, &row.direct),
            links(map, Kind::Evidence, &row.through_needs),
            if rests == RestsOn::Nothing {
                " class=\"gap\""
            } else {
                ""
            },
            rests.as_str()
        );
    }
    if cov.propositions.is_empty() {
        out.push_str("<tr><td colspan=\"5\">No propositions.</td></tr>\n");
    }
    out.push_str("</tbody></table></div>\n</div></section>\n");
}

fn findings(out: &mut String, map: &Map) {
    out.push_str("<section class=\"findings\"><h2>Findings</h2>\n");
    if map.findings.is_empty() {
        out.push_str("<p>No findings: everything on this map is aligned.</p></section>\n");
        return;
    }
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
    for (rule, _, list) in rules {
        let _ = write!(
            out,
            "<div class=\"rule\" id=\"rule-{}\"><h3><code>{}</code> · {}</h3>",
            esc(&rule.replace('/', "-")),
            esc(rule),
            plural(list.len(), "finding", "findings")
        );
        if let Some(summary) = map.rule_summaries.get(rule).filter(|s| !s.is_empty()) {
            let _ = write!(out, "<p class=\"summary\">{}</p>", esc(summary));
        }
        out.push_str("<ul>\n");
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
        out.push_str("</ul></div>\n");
    }
    out.push_str("</section>\n");
}

/// The JSON the script reads: each node's full details, and the findings.
fn data(map: &Map) -> String {
    use serde_json::{Map as Object, Value, json};
    let mut nodes = Object::new();
    let mut listed: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let mut order: Vec<usize> = Vec::new();
    for n in &map.nodes {
        let mut o = Object::new();
        o.insert("kind".into(), json!(n.kind.singular()));
        o.insert("id".into(), json!(n.id));
        if !n.text.is_empty() {
            o.insert("text".into(), json!(n.text));
        }
        if let Some(s) = &n.status {
            o.insert("status".into(), json!(s));
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
        if n.group {
            o.insert("group".into(), json!(true));
            o.insert("members".into(), json!(n.members));
        }
        let shown: Vec<usize> = if n.group {
            n.findings.iter().copied().take(GROUP_FINDINGS).collect()
        } else {
            n.findings.clone()
        };
        if n.findings.len() > shown.len() {
            o.insert("more".into(), json!(n.findings.len() - shown.len()));
            let mut by_rule: Vec<(&str, Severity, usize)> = Vec::new();
            for f in n.findings.iter().filter_map(|&i| map.findings.get(i)) {
                match by_rule.iter_mut().find(|(r, _, _)| *r == f.rule) {
                    Some(entry) => entry.2 += 1,
                    None => by_rule.push((f.rule.as_str(), f.severity, 1)),
                }
            }
            by_rule.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(b.0)));
            let rows: Vec<Value> = by_rule
                .into_iter()
                .map(|(r, sev, count)| json!([r, sev.as_str(), count]))
                .collect();
            o.insert("byrule".into(), Value::Array(rows));
        }
        if !shown.is_empty() {
            let compact: Vec<usize> = shown
                .iter()
                .map(|&i| {
                    *listed.entry(i).or_insert_with(|| {
                        order.push(i);
                        order.len() - 1
                    })
                })
                .collect();
            o.insert("f".into(), json!(compact));
        }
        nodes.insert(n.key.clone(), Value::Object(o));
    }
    // Only the findings some card lists go to the script, numbered in the order first listed.
    let findings: Vec<Value> = order
        .iter()
        .filter_map(|&i| map.findings.get(i))
        .map(|f| {
            let mut o = Object::new();
            o.insert("rule".into(), json!(f.rule));
            o.insert("sev".into(), json!(f.severity.as_str()));
            o.insert("msg".into(), json!(f.message));
            if let Some(h) = &f.help {
                o.insert("help".into(), json!(h));
            }
            Value::Object(o)
        })
        .collect();
    let text = serde_json::to_string(&json!({ "nodes": nodes, "findings": findings }))
        .unwrap_or_else(|_| String::from("{\"nodes\":{},\"findings\":[]}"));
    // Inside <script>, `<` could close the element; JSON allows writing it as an escape.
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_fills_lines_and_marks_a_cut() {
        assert_eq!(wrap("one two three", 7, 7, 2), vec!["one two", "three"]);
        assert_eq!(
            wrap("one two three four", 7, 7, 2),
            vec!["one two", "three…"]
        );
        assert_eq!(wrap("abcdefghij", 5, 5, 1), vec!["abcd…"]);
        assert!(wrap("", 5, 5, 2).is_empty());
    }

    #[test]
    fn dom_ids_are_distinct_and_plain() {
        let node = |id: &str| MapNode::bare(crate::model::Kind::Need, id);
        assert_eq!(dom_id(&node("need-a")), "n-need-need-a");
        assert_eq!(dom_id(&node("a b")), "n-need-a_20_b");
        assert_ne!(dom_id(&node("a_b")), dom_id(&node("a b")));
    }
}
