//! The map in Graphviz DOT: `dot -Tsvg map.dot > map.svg`.
//!
//! A map of more than [`Map::max_nodes`] entities is written as one graph per segment (its
//! slice) and one for the entities in no segment's slice, so each lays out in moments;
//! `dot -Tsvg -O map.dot` writes one picture per graph.
//!
//! Each column is a cluster on one rank (`rank=same`), holding its nodes in the map's order,
//! which is already crossing-reduced, so Graphviz is told to spend little on crossings
//! (`mclimit`): that halves its layout time on large maps. Node fill and border by the concern
//! of its findings; a tooltip with the findings.

use super::{COLUMNS, Map, MapNode, title_case, truncate};
use std::fmt::Write;

/// Characters of short text shown in a node.
const TEXT_CHARS: usize = 48;

/// The DOT source of the map: one graph, or one per segment above [`Map::max_nodes`].
pub(crate) fn render(map: &Map) -> String {
    let n = map.nodes.len();
    if n <= map.max_nodes {
        return graph(map, "align", "", &vec![true; n]);
    }
    let mut out = String::new();
    let mut parts = 0;
    for (s, seg) in map.nodes.iter().enumerate() {
        if seg.kind != crate::model::Kind::Segment {
            continue;
        }
        let on: Vec<bool> = map
            .nodes
            .iter()
            .enumerate()
            .map(|(i, m)| i == s || m.segments.contains(&s))
            .collect();
        parts += 1;
        out.push_str(&graph(
            map,
            &format!("align_{parts}"),
            &format!("segment {}", seg.id),
            &on,
        ));
    }
    let orphans: Vec<bool> = map
        .nodes
        .iter()
        .map(|m| m.kind != crate::model::Kind::Segment && m.segments.is_empty())
        .collect();
    if orphans.contains(&true) {
        parts += 1;
        out.push_str(&graph(
            map,
            &format!("align_{parts}"),
            "entities in no segment",
            &orphans,
        ));
    }
    out
}

/// One graph of the nodes that are `on`, and the edges between them.
fn graph(map: &Map, name: &str, part: &str, on: &[bool]) -> String {
    let is_on = |i: usize| on.get(i).copied().unwrap_or(false);
    let mut out = String::new();
    let _ = writeln!(out, "digraph {name} {{");
    let mut title = format!("Alignment map of {}", map.title);
    if let Some(seg) = &map.segment {
        let _ = write!(title, ", segment {seg}");
    }
    if !part.is_empty() {
        let _ = write!(title, ": {part}");
    }
    let _ = writeln!(
        out,
        "  graph [rankdir=LR, newrank=true, nodesep=0.2, ranksep=1.4, fontname=\"Helvetica\", \
         labelloc=t, mclimit=0.5, label={}];",
        quote(&title)
    );
    out.push_str(
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10, \
         fillcolor=\"#ffffff\", color=\"#188038\"];\n  \
         edge [color=\"#9aa0a6\", arrowsize=0.6];\n",
    );
    for (c, kind) in COLUMNS.iter().enumerate() {
        let Some(column) = map.columns.get(c) else {
            continue;
        };
        let shown: Vec<usize> = column.iter().copied().filter(|&i| is_on(i)).collect();
        if shown.is_empty() && !part.is_empty() {
            continue;
        }
        let count = if part.is_empty() {
            map.counts.get(c).copied().unwrap_or(0)
        } else {
            shown.len()
        };
        let _ = writeln!(out, "  subgraph cluster_{} {{", kind.plural());
        let _ = writeln!(
            out,
            "    label={}; style=\"rounded\"; color=\"#dadce0\"; rank=same;",
            quote(&format!("{} ({count})", title_case(kind.plural())))
        );
        for i in shown {
            if let Some(node) = map.nodes.get(i) {
                let _ = writeln!(out, "    {} [{}];", quote(&node.key), attributes(map, node));
            }
        }
        out.push_str("  }\n");
    }
    for e in map.edges.iter().filter(|e| is_on(e.from) && is_on(e.to)) {
        let (Some(a), Some(b)) = (map.nodes.get(e.from), map.nodes.get(e.to)) else {
            continue;
        };
        let mut attrs: Vec<String> = Vec::new();
        if e.contradicts {
            attrs.push("style=dashed, color=\"#c5221f\", label=\"contradicts\"".to_owned());
        }
        let attrs = if attrs.is_empty() {
            String::new()
        } else {
            format!(" [{}]", attrs.join(", "))
        };
        let _ = writeln!(out, "  {} -> {}{attrs};", quote(&a.key), quote(&b.key));
    }
    out.push_str("}\n");
    out
}

fn attributes(map: &Map, node: &MapNode) -> String {
    let mut label = node.id.clone();
    if !node.text.is_empty() {
        label.push('\n');
        label.push_str(&truncate(&node.text, TEXT_CHARS));
    }
    let facts = node.facts();
    if !facts.is_empty() {
        label.push('\n');
        label.push_str(&facts.join(" · "));
    }
    if !node.concerns.is_empty() {
        let concerns: Vec<&str> = node.concerns.iter().map(|c| c.label()).collect();
        label.push('\n');
        label.push_str(&concerns.join(", "));
    }
    let mut attrs = format!("label={}", quote(&label));
    if let Some(c) = node.concerns.first() {
        let (fill, border) = (c.wash(), c.colour());
        let _ = write!(
            attrs,
            ", fillcolor=\"{fill}\", color=\"{border}\", penwidth=2"
        );
    }
    if node.status.as_deref().is_some_and(|s| s != "shipped") {
        attrs.push_str(", style=\"rounded,filled,dashed\"");
    }
    let tooltip: Vec<String> = node
        .findings
        .iter()
        .filter_map(|&f| map.findings.get(f))
        .map(|f| format!("{} {}: {}", f.severity, f.rule, f.message))
        .collect();
    if !tooltip.is_empty() {
        let _ = write!(attrs, ", tooltip={}", quote(&tooltip.join("\n")));
    }
    attrs
}

/// A DOT double-quoted string.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_strings_cannot_break_out() {
        assert_eq!(quote("a \"b\" \\ c\nd"), r#""a \"b\" \\ c\nd""#);
    }
}
