//! The map as a Mermaid flowchart, which GitHub and GitLab draw inside Markdown.
//!
//! One subgraph per column, nodes in the map's order, a line for every edge (dotted and
//! labelled for evidence that contradicts a proposition), and a class per severity.

use super::{COLUMNS, Map, MapNode, title_case, truncate};
use crate::finding::Severity;
use std::fmt::Write;

/// Characters of short text shown in a node.
const TEXT_CHARS: usize = 48;

/// The Mermaid source of the map (no Markdown fence).
pub fn render(map: &Map) -> String {
    let names = node_names(map);
    let name = |i: usize| names.get(i).map(String::as_str).unwrap_or("missing");
    let mut out = String::new();
    let _ = writeln!(out, "%% Alignment map of {}", comment(&map.title));
    if let Some(seg) = &map.segment {
        let _ = writeln!(out, "%% Segment: {}", comment(seg));
    }
    if let Some(notice) = &map.notice {
        let _ = writeln!(out, "%% {}", comment(notice));
    }
    out.push_str("flowchart LR\n");
    for (c, kind) in COLUMNS.iter().enumerate() {
        let Some(column) = map.columns.get(c) else {
            continue;
        };
        let count = map.counts.get(c).copied().unwrap_or(0);
        let _ = writeln!(
            out,
            "  subgraph {}[\"{} ({count})\"]",
            kind.plural(),
            title_case(kind.plural())
        );
        for &i in column {
            if let Some(node) = map.nodes.get(i) {
                let _ = writeln!(out, "    {}[\"{}\"]", name(i), label(node));
            }
        }
        out.push_str("  end\n");
    }
    for e in &map.edges {
        let count = (e.count > 1).then(|| e.count.to_string());
        let line = match (e.contradicts, count) {
            (true, Some(n)) => format!("-. \"contradicts ({n})\" .->"),
            (true, None) => "-. contradicts .->".to_owned(),
            (false, Some(n)) => format!("-- \"{n}\" -->"),
            (false, None) => "-->".to_owned(),
        };
        let _ = writeln!(out, "  {} {line} {}", name(e.from), name(e.to));
    }
    out.push_str(
        "  classDef error fill:#fce8e6,stroke:#c5221f,stroke-width:2px,color:#202124\n  \
         classDef warning fill:#fef7e0,stroke:#b06000,stroke-width:2px,color:#202124\n  \
         classDef info fill:#e8f0fe,stroke:#1967d2,stroke-width:2px,color:#202124\n  \
         classDef clean fill:#ffffff,stroke:#188038,stroke-width:1px,color:#202124\n",
    );
    for (class, severity) in [
        ("error", Some(Severity::Error)),
        ("warning", Some(Severity::Warning)),
        ("info", Some(Severity::Info)),
        ("clean", None),
    ] {
        let members: Vec<&str> = map
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.severity == severity)
            .map(|(i, _)| name(i))
            .collect();
        if !members.is_empty() {
            let _ = writeln!(out, "  class {} {class}", members.join(","));
        }
    }
    out
}

/// Mermaid node names: the kind and the node's place in its column (`need3`), which are
/// always valid identifiers whatever the entity's id.
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
        facts.push(format!("{n} finding{}", if n == 1 { "" } else { "s" }));
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
