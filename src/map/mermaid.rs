//! The map as Mermaid flowcharts, which GitHub and GitLab draw inside Markdown.
//!
//! One subgraph per column, nodes in the map's order, a line for every edge (dotted and
//! labelled for evidence that contradicts a proposition), and a class per concern. Mermaid
//! refuses a diagram with more than [`MAX_EDGES`] edges or [`MAX_CHARS`] characters, so a map
//! that does not fit is split: one diagram per segment (its slice), a segment still too large
//! one per proposition (with its needs, their evidence and features, and its messages) and one
//! for the rest, and anything still too large in halves.

use super::{COLUMNS, Map, MapNode, title_case, truncate};
use crate::map::Concern;
use crate::model::Kind;
use std::collections::BTreeSet;
use std::fmt::Write;

/// Characters of short text shown in a node.
const TEXT_CHARS: usize = 48;
/// The most edges Mermaid draws in one diagram (its default `maxEdges`).
pub const MAX_EDGES: usize = 500;
/// The longest diagram Mermaid accepts, in characters (its default `maxTextSize`).
pub const MAX_CHARS: usize = 50_000;

/// One diagram: what it shows, its Mermaid source, and how many edges it has.
#[derive(Debug, Clone)]
pub(crate) struct Diagram {
    /// What part of the map it shows (empty for the whole map).
    pub(crate) title: String,
    /// The Mermaid source (no Markdown fence).
    pub(crate) text: String,
    /// Its edges.
    pub(crate) edges: usize,
}

impl Diagram {
    fn fits(&self) -> bool {
        self.edges <= MAX_EDGES && self.text.len() <= MAX_CHARS
    }
}

/// The Mermaid source of the map: one diagram, or, when it must be split, every diagram, each
/// after a `%% Diagram N of M` line (paste each into its own block).
pub(crate) fn render(map: &Map) -> String {
    let parts = diagrams(map);
    if let [one] = parts.as_slice() {
        return one.text.clone();
    }
    let mut out = String::new();
    for (i, d) in parts.iter().enumerate() {
        let _ = writeln!(out, "%% Diagram {} of {}: {}", i + 1, parts.len(), d.title);
        out.push_str(&d.text);
        out.push('\n');
    }
    out
}

/// The map as Markdown: each diagram in a ```` ```mermaid ```` block, under a heading when
/// there are several; then, when the project keeps a claims library, its claims by status and
/// the messages voicing claims that are not approved.
pub(crate) fn render_markdown(map: &Map) -> String {
    let parts = diagrams(map);
    let mut out = String::new();
    if parts.len() > 1 {
        let _ = writeln!(
            out,
            "The alignment map of {}, in {} diagrams: each stays under Mermaid's limits of {} \
             edges and {} characters.\n",
            map.title,
            parts.len(),
            MAX_EDGES,
            super::thousands(MAX_CHARS)
        );
    }
    for d in &parts {
        if parts.len() > 1 {
            let _ = writeln!(out, "### {}\n", d.title);
        }
        let _ = writeln!(out, "```mermaid\n{}```\n", d.text);
    }
    let library = super::claims::markdown(map);
    if library.is_empty() {
        if parts.len() == 1 {
            out.pop();
        }
    } else {
        out.push_str(&library);
    }
    out
}

/// The diagrams of the map, each under Mermaid's limits.
pub(crate) fn diagrams(map: &Map) -> Vec<Diagram> {
    let names = node_names(map);
    let all: Vec<usize> = (0..map.nodes.len()).collect();
    let whole = diagram(map, &names, "", &all);
    if whole.fits() {
        return vec![whole];
    }
    let neighbours = adjacency(map);
    let around = |i: usize| neighbours.get(i).map_or(&[][..], Vec::as_slice);
    let is = |i: usize, kind: Kind| map.nodes.get(i).is_some_and(|n| n.kind == kind);
    let mut out = Vec::new();
    for (s, seg) in map.nodes.iter().enumerate() {
        if seg.kind != Kind::Segment {
            continue;
        }
        let members: Vec<usize> = map
            .nodes
            .iter()
            .enumerate()
            .filter(|&(i, n)| i == s || n.segments.contains(&s))
            .map(|(i, _)| i)
            .collect();
        let title = format!("Segment {}", describe(seg));
        let d = diagram(map, &names, &title, &members);
        if d.fits() {
            out.push(d);
            continue;
        }
        // Too large: a diagram per proposition, and one for what no proposition reaches.
        let in_segment: BTreeSet<usize> = members.iter().copied().collect();
        let mut reached: BTreeSet<usize> = BTreeSet::from([s]);
        let propositions = members.iter().filter_map(|&i| {
            let node = map.nodes.get(i)?;
            (node.kind == Kind::Proposition).then_some((i, node))
        });
        for (p, proposition) in propositions {
            let mut part: BTreeSet<usize> = BTreeSet::from([s, p]);
            for &v in around(p) {
                part.insert(v);
                if is(v, Kind::Need) {
                    part.extend(
                        around(v)
                            .iter()
                            .copied()
                            .filter(|&w| is(w, Kind::Evidence) || is(w, Kind::Feature)),
                    );
                }
            }
            part.retain(|&v| in_segment.contains(&v) || is(v, Kind::Feature));
            reached.extend(part.iter().copied());
            let title = format!(
                "Proposition {} of segment {}",
                describe(proposition),
                seg.id
            );
            split(map, &names, &title, part.into_iter().collect(), &mut out);
        }
        let rest: Vec<usize> = std::iter::once(s)
            .chain(members.iter().copied().filter(|v| !reached.contains(v)))
            .collect();
        if rest.len() > 1 {
            let title = format!("The rest of segment {}", seg.id);
            split(map, &names, &title, rest, &mut out);
        }
    }
    let orphans: Vec<usize> = map
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kind != Kind::Segment && n.segments.is_empty())
        .map(|(i, _)| i)
        .collect();
    if !orphans.is_empty() {
        split(map, &names, "Entities in no segment", orphans, &mut out);
    }
    out
}

/// Adds the diagram of `nodes`, or of its halves (recursively) when it does not fit.
fn split(map: &Map, names: &[String], title: &str, nodes: Vec<usize>, out: &mut Vec<Diagram>) {
    let d = diagram(map, names, title, &nodes);
    if d.fits() || nodes.len() <= 1 {
        out.push(d);
        return;
    }
    let mut nodes = nodes;
    let rank = ranks(map);
    nodes.sort_by_key(|&i| {
        let column = map.nodes.get(i).map(|n| super::column_of(n.kind));
        (column, rank.get(i).copied())
    });
    let second = nodes.split_off(nodes.len() / 2);
    split(map, names, &format!("{title} (1)"), nodes, out);
    split(map, names, &format!("{title} (2)"), second, out);
}

/// A node's id and, when it has one, its short text.
fn describe(n: &MapNode) -> String {
    if n.text.is_empty() {
        n.id.clone()
    } else {
        format!("{} ({})", n.id, truncate(&n.text, 40))
    }
}

fn adjacency(map: &Map) -> Vec<Vec<usize>> {
    let n = map.nodes.len();
    let mut adj = vec![Vec::new(); n];
    for e in map.edges.iter().filter(|e| e.from < n && e.to < n) {
        if let Some(list) = adj.get_mut(e.from) {
            list.push(e.to);
        }
        if let Some(list) = adj.get_mut(e.to) {
            list.push(e.from);
        }
    }
    adj
}

fn ranks(map: &Map) -> Vec<usize> {
    let mut rank = vec![0; map.nodes.len()];
    for column in &map.columns {
        for (r, &i) in column.iter().enumerate() {
            if let Some(slot) = rank.get_mut(i) {
                *slot = r;
            }
        }
    }
    rank
}

/// The diagram of some of the map's nodes and the edges between them.
fn diagram(map: &Map, names: &[String], title: &str, nodes: &[usize]) -> Diagram {
    let name = |i: usize| names.get(i).map(String::as_str).unwrap_or("missing");
    let on: Vec<bool> = {
        let mut on = vec![false; map.nodes.len()];
        for &i in nodes {
            if let Some(slot) = on.get_mut(i) {
                *slot = true;
            }
        }
        on
    };
    let is_on = |i: usize| on.get(i).copied().unwrap_or(false);
    let mut out = String::new();
    let _ = writeln!(out, "%% Alignment map of {}", comment(&map.title));
    if let Some(seg) = &map.segment {
        let _ = writeln!(out, "%% Segment: {}", comment(seg));
    }
    if !title.is_empty() {
        let _ = writeln!(out, "%% {}", comment(title));
    }
    out.push_str("flowchart LR\n");
    for (c, kind) in COLUMNS.iter().enumerate() {
        let Some(column) = map.columns.get(c) else {
            continue;
        };
        let shown: Vec<usize> = column.iter().copied().filter(|&i| is_on(i)).collect();
        if shown.is_empty() && !title.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "  subgraph {}[\"{} ({})\"]",
            kind.plural(),
            title_case(kind.plural()),
            shown.len()
        );
        for i in shown {
            if let Some(node) = map.nodes.get(i) {
                let _ = writeln!(out, "    {}[\"{}\"]", name(i), label(node));
            }
        }
        out.push_str("  end\n");
    }
    let mut edges = 0;
    for e in map.edges.iter().filter(|e| is_on(e.from) && is_on(e.to)) {
        let line = if e.contradicts {
            "-. contradicts .->"
        } else {
            "-->"
        };
        let _ = writeln!(out, "  {} {line} {}", name(e.from), name(e.to));
        edges += 1;
    }
    for c in Concern::ALL {
        let _ = writeln!(
            out,
            "  classDef concern_{} fill:{},stroke:{},stroke-width:2px,color:#202124",
            c.as_str(),
            c.wash(),
            c.colour()
        );
    }
    out.push_str("  classDef clean fill:#ffffff,stroke:#188038,stroke-width:1px,color:#202124\n");
    let classes = Concern::ALL.iter().map(|c| Some(*c)).chain([None]);
    for concern in classes {
        let members: Vec<&str> = nodes
            .iter()
            .copied()
            .filter(|&i| {
                map.nodes
                    .get(i)
                    .is_some_and(|n| n.concerns.first().copied() == concern)
            })
            .map(name)
            .collect();
        if !members.is_empty() {
            let class = concern.map(Concern::as_str).unwrap_or("clean");
            let prefix = if concern.is_some() { "concern_" } else { "" };
            let _ = writeln!(out, "  class {} {prefix}{class}", members.join(","));
        }
    }
    Diagram {
        title: title.to_owned(),
        text: out,
        edges,
    }
}

/// Mermaid node names: the kind and the node's place in its column (`need3`), which are
/// always valid identifiers whatever the entity's id, and the same in every diagram.
fn node_names(map: &Map) -> Vec<String> {
    let mut names = vec![String::new(); map.nodes.len()];
    for (c, column) in map.columns.iter().enumerate() {
        let kind = COLUMNS.get(c).map(|k| k.singular()).unwrap_or("node");
        for (row, &i) in column.iter().enumerate() {
            if let Some(slot) = names.get_mut(i) {
                *slot = format!("{kind}{}", row + 1);
            }
        }
    }
    names
}

fn label(node: &MapNode) -> String {
    let mut lines = vec![format!("<b>{}</b>", escape(&node.id))];
    let mut facts = node.facts();
    if !node.findings.is_empty() {
        let n = node.findings.len();
        let concerns: Vec<&str> = node.concerns.iter().map(|c| c.label()).collect();
        facts.push(format!(
            "{n} finding{}: {}",
            if n == 1 { "" } else { "s" },
            concerns.join(", ")
        ));
    }
    if !node.text.is_empty() {
        lines.push(escape(&truncate(&node.text, TEXT_CHARS)));
    }
    if !facts.is_empty() {
        lines.push(format!("<i>{}</i>", escape(&facts.join(" · "))));
    }
    lines.join("<br/>")
}

/// Escapes text for a quoted Mermaid label (entity codes, which Mermaid decodes).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text safe inside a `%%` comment line.
fn comment(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_cannot_break_out_of_their_quotes() {
        assert_eq!(
            escape(r#"say "hi" <b> #1 & `x`"#),
            "say #quot;hi#quot; #lt;b#gt; #35;1 #amp; #96;x#96;"
        );
    }
}
