//! YAML read into a generic tree whose every node keeps its source span.
//!
//! Entities are validated from this tree rather than deserialized into typed structs, so one
//! wrong field is one located error and the rest of the file is still used.

use crate::source::{FileId, Span};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// A YAML value with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the value is written (for quoted scalars, including the quotes).
    pub span: Span,
    /// The value.
    pub value: NodeValue,
}

/// The shapes a YAML value can take.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// Any number.
    Number(f64),
    /// A string, decoded (escapes resolved, lines folded).
    Text(String),
    /// A sequence.
    List(Vec<Node>),
    /// A mapping, in source order.
    Map(Vec<(Node, Node)>),
}

impl NodeValue {
    /// A plain-language name of the shape, for error messages ("a number", "a list").
    pub fn describe(&self) -> &'static str {
        match self {
            NodeValue::Null => "empty",
            NodeValue::Bool(_) => "true/false",
            NodeValue::Number(_) => "a number",
            NodeValue::Text(_) => "text",
            NodeValue::List(_) => "a list",
            NodeValue::Map(_) => "a mapping",
        }
    }
}

impl Node {
    /// The text of a string node.
    pub fn as_text(&self) -> Option<&str> {
        match &self.value {
            NodeValue::Text(s) => Some(s),
            _ => None,
        }
    }

    /// Looks up a key of a mapping node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            NodeValue::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_text() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// Whether the node is null.
    pub fn is_null(&self) -> bool {
        matches!(self.value, NodeValue::Null)
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // The file id and the spans of collections are completed by `finish`, in one pass
        // without allocation, once the document is read.
        let spanned = Spanned::<NodeValue>::deserialize(d)?;
        let sp = spanned.referenced.span();
        let start = sp.byte_offset().unwrap_or(0) as usize;
        let len = sp.byte_len().unwrap_or(0) as usize;
        Ok(Node {
            span: Span::new(FileId(0), start, start.saturating_add(len)),
            value: spanned.value,
        })
    }
}

impl<'de> Deserialize<'de> for NodeValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = NodeValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<NodeValue, E> {
        Ok(NodeValue::Null)
    }
    fn visit_none<E>(self) -> Result<NodeValue, E> {
        Ok(NodeValue::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<NodeValue, D::Error> {
        NodeValue::deserialize(d)
    }
    fn visit_bool<E>(self, b: bool) -> Result<NodeValue, E> {
        Ok(NodeValue::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<NodeValue, E> {
        Ok(NodeValue::Number(n as f64))
    }
    fn visit_u64<E>(self, n: u64) -> Result<NodeValue, E> {
        Ok(NodeValue::Number(n as f64))
    }
    fn visit_i128<E>(self, n: i128) -> Result<NodeValue, E> {
        Ok(NodeValue::Number(n as f64))
    }
    fn visit_u128<E>(self, n: u128) -> Result<NodeValue, E> {
        Ok(NodeValue::Number(n as f64))
    }
    fn visit_f64<E>(self, n: f64) -> Result<NodeValue, E> {
        Ok(NodeValue::Number(n))
    }
    fn visit_str<E>(self, s: &str) -> Result<NodeValue, E> {
        Ok(NodeValue::Text(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<NodeValue, E> {
        Ok(NodeValue::Text(s))
    }
    fn visit_bytes<E: de::Error>(self, b: &[u8]) -> Result<NodeValue, E> {
        Ok(NodeValue::Text(String::from_utf8_lossy(b).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NodeValue, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(NodeValue::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NodeValue, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(key) = map.next_key::<Node>()? {
            let value = map.next_value::<Node>()?;
            entries.push((key, value));
        }
        Ok(NodeValue::Map(entries))
    }
}

/// Where parsing a file failed.
#[derive(Debug, Clone)]
pub struct ParseError {
    /// The parser's message, cleaned up for people.
    pub message: String,
    /// Byte offset of the problem, when known.
    pub offset: Option<usize>,
}

/// Limits applied to every YAML file, so no input can exhaust time or memory.
#[derive(Debug, Clone, Copy)]
pub struct YamlLimits {
    /// Deepest nesting of lists and mappings.
    pub max_depth: usize,
    /// Most nodes (scalars, lists, mappings) in one file.
    pub max_nodes: usize,
    /// Most alias uses (`*name`) in one file.
    pub max_aliases: usize,
    /// Most documents in one file.
    pub max_documents: usize,
}

impl Default for YamlLimits {
    fn default() -> Self {
        YamlLimits {
            max_depth: 64,
            max_nodes: 5_000_000,
            max_aliases: 10_000,
            max_documents: 10_000,
        }
    }
}

fn options(limits: &YamlLimits) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = limits.max_depth;
    budget.max_nodes = limits.max_nodes;
    budget.max_events = limits.max_nodes.saturating_mul(3);
    budget.max_aliases = limits.max_aliases;
    budget.max_documents = limits.max_documents;
    budget.max_reader_input_bytes = None;
    budget.max_total_scalar_bytes = usize::MAX / 4;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.strict_booleans = true;
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::Error;
    options
}

/// Parses every document of a YAML file into spanned trees.
pub fn parse_documents(
    file: FileId,
    text: &str,
    limits: &YamlLimits,
) -> Result<Vec<Node>, ParseError> {
    let docs: Vec<Node> =
        serde_saphyr::from_multiple_with_options(text, options(limits)).map_err(|e| {
            let offset = e.location().and_then(|l| {
                l.span()
                    .byte_offset()
                    .map(|o| o as usize)
                    .or_else(|| offset_of(text, l.line() as usize, l.column() as usize))
                    .filter(|o| *o <= text.len())
            });
            ParseError {
                message: clean_message(&e.to_string()),
                offset,
            }
        })?;
    let mut docs = docs;
    for d in &mut docs {
        finish(file, text, d);
    }
    Ok(docs)
}

/// The byte offset of a 1-based line and character column.
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let mut start = 0usize;
    for _ in 1..line {
        start += text.get(start..)?.find('\n')? + 1;
    }
    let rest = text.get(start..)?;
    let within = rest
        .char_indices()
        .nth(column.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    Some(start + within)
}

/// Keeps the first line of the parser's message, without its own location prefix.
fn clean_message(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw).trim();
    let first = first
        .strip_prefix("error: ")
        .or_else(|| first.strip_prefix("Error: "))
        .unwrap_or(first);
    // The position is shown by the report itself.
    let trimmed = match first.find(" at line ") {
        Some(i) => &first[..i],
        None => first,
    };
    let trimmed = trimmed.trim_end_matches(['.', ':', ',']).trim();
    if trimmed.is_empty() {
        "the file is not valid YAML".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Sets the file of every span, and makes the span of a collection cover it whole: from its
/// first key and through its closing bracket.
fn finish(file: FileId, text: &str, node: &mut Node) {
    node.span.file = file;
    let mut span = node.span;
    match &mut node.value {
        NodeValue::List(items) => {
            for i in items.iter_mut() {
                finish(file, text, i);
            }
            if let Some(last) = items.last() {
                span = span.to(last.span);
            }
            span = through_closing(text, span, b'[', b']');
        }
        NodeValue::Map(entries) => {
            for (k, v) in entries.iter_mut() {
                finish(file, text, k);
                finish(file, text, v);
            }
            if let Some((k, _)) = entries.first() {
                if k.span.start < span.start || span.is_empty() {
                    span.start = k.span.start;
                }
            }
            if let Some((_, v)) = entries.last() {
                span = span.to(v.span);
            }
            span = through_closing(text, span, b'{', b'}');
        }
        _ => {}
    }
    node.span = span;
}

/// The span of a flow collection (`[a, b]`, `{a: 1}`) through its closing bracket: the
/// parser's span ends with the last item, and a finding about the whole list should
/// underline all of it.
fn through_closing(text: &str, span: Span, open: u8, close: u8) -> Span {
    let bytes = text.as_bytes();
    if bytes.get(span.start as usize) != Some(&open) {
        return span;
    }
    let mut at = span.end as usize;
    while let Some(&c) = bytes.get(at) {
        match c {
            b' ' | b'\t' | b'\r' | b'\n' | b',' => at += 1,
            b'#' => {
                at += bytes.get(at..).map_or(0, |rest| {
                    rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len())
                })
            }
            c if c == close => return Span::new(span.file, span.start as usize, at + 1),
            _ => break,
        }
    }
    span
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<Node> {
        parse_documents(FileId(0), text, &YamlLimits::default()).expect("valid yaml")
    }

    #[test]
    fn spans_point_at_values() {
        let text = "a:\n  b: \"x y\"\n  n: 3\n";
        let docs = parse(text);
        let a = docs[0].get("a").expect("a");
        let b = a.get("b").expect("b");
        assert_eq!(&text[b.span.start as usize..b.span.end as usize], "\"x y\"");
        assert_eq!(b.as_text(), Some("x y"));
        let n = a.get("n").expect("n");
        assert_eq!(n.value, NodeValue::Number(3.0));
    }

    #[test]
    fn flow_collections_span_through_their_closing_bracket() {
        let text = "a: [x, [y, z] ]\nb: []\nc: {k: 1 }\nd:\n  - e\n";
        let docs = parse(text);
        let slice = |key: &str| {
            let n = docs[0].get(key).expect(key);
            &text[n.span.start as usize..n.span.end as usize]
        };
        assert_eq!(slice("a"), "[x, [y, z] ]");
        assert_eq!(slice("b"), "[]");
        assert_eq!(slice("c"), "{k: 1 }");
        assert_eq!(slice("d"), "- e");
    }

    #[test]
    fn yaml_1_1_booleans_stay_text() {
        let docs = parse("n: no\n");
        assert_eq!(docs[0].get("n").and_then(Node::as_text), Some("no"));
    }

    #[test]
    fn several_documents() {
        let docs = parse("a: 1\n---\nb: 2\n");
        assert_eq!(docs.len(), 2);
    }

    #[test]
    fn broken_yaml_is_located() {
        let err = parse_documents(FileId(0), "a: [1, 2\nb: 3\n", &YamlLimits::default())
            .expect_err("invalid");
        assert!(err.offset.is_some());
        assert!(!err.message.is_empty());
    }
}
