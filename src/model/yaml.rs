//! Reads a YAML file's parser events straight into spanned [`Node`]s, under [`YamlLimits`].
//!
//! The tree is built with an explicit stack, one frame per open list or mapping, so nesting
//! costs heap, not call stack; every list and mapping is allocated once, at its final size.
//! Each limit is checked as the events arrive, so a hostile file stops at the first value
//! past a limit.

use super::core_schema::{self, Resolved};
use super::node::{Node, NodeValue, Parsed, YamlLimits};
use super::text::Text;
use crate::source::{FileId, SharedText, Span};
use serde_saphyr::granit_parser::{ErrorKind, Event, Options, Parser, ScanError, Span as Marks};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Why reading stopped.
#[derive(Debug)]
pub(super) enum Stop {
    /// The text is not valid YAML.
    Scan(ScanError),
    /// Nested deeper than [`YamlLimits::max_depth`], at this byte.
    Depth(usize),
    /// More alias uses than [`YamlLimits::max_aliases`].
    Aliases(usize),
    /// Aliases copy more than [`YamlLimits::max_alias_copies`] nodes.
    AliasCopies(usize),
    /// More than [`YamlLimits::max_nodes`] nodes.
    Nodes(usize),
    /// More text than [`YamlLimits::max_total_scalar_bytes`].
    ScalarBytes(usize),
    /// More than [`YamlLimits::max_documents`] documents.
    Documents(usize),
    /// A key written twice in one mapping: the key, and where the second is.
    Duplicate(Option<String>, usize),
    /// An alias whose anchor is not defined before it.
    UnknownAlias(usize),
}

impl Stop {
    /// The byte the problem is at.
    pub(super) fn offset(&self) -> Option<usize> {
        match self {
            Stop::Scan(e) => e.marker().byte_offset().or(Some(e.marker().index())),
            Stop::Depth(at)
            | Stop::Aliases(at)
            | Stop::AliasCopies(at)
            | Stop::Nodes(at)
            | Stop::ScalarBytes(at)
            | Stop::Documents(at)
            | Stop::Duplicate(_, at)
            | Stop::UnknownAlias(at) => Some(*at),
        }
    }
}

/// Every non-null document of `text`, and the text values left out for being too long.
/// Values written as they read keep a range of `shared`, when it is given and holds `text`.
pub(super) fn read(
    file: FileId,
    text: &str,
    shared: Option<&SharedText>,
    limits: &YamlLimits,
) -> Result<Parsed, Stop> {
    let mut options = Options::default();
    // The parser's own nesting limits sit above align's, so align's plainer message comes
    // first; they still bound the parser's work on a file nested past them.
    options.block_nesting_limit = limits.max_depth.saturating_add(2);
    options.flow_nesting_limit = limits.max_depth.saturating_add(2);
    options.emit_comments = false;
    let mut reader = Reader {
        file,
        shared,
        limits,
        items: Vec::new(),
        entries: Vec::new(),
        open: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        aliases: 0,
        copies: 0,
        scalar_bytes: 0,
        documents: 0,
        too_long: Vec::new(),
        roots: Vec::new(),
    };
    for next in Parser::new_from_str_with_options(text, options) {
        let (event, marks) = next.map_err(|e| match e.kind() {
            ErrorKind::UnknownAnchor => Stop::UnknownAlias(e.marker().byte_offset().unwrap_or(0)),
            _ => Stop::Scan(e),
        })?;
        reader.event(event, marks)?;
    }
    Ok(Parsed {
        documents: reader.roots,
        too_long: reader.too_long,
    })
}

/// A list or mapping whose end has not been read yet.
enum Open {
    List {
        span: Span,
        anchor: usize,
        /// Where its items start on [`Reader::items`].
        mark: usize,
    },
    Map {
        span: Span,
        anchor: usize,
        /// Where its entries start on [`Reader::entries`].
        mark: usize,
        /// The key read, waiting for its value.
        key: Option<Node>,
        /// Whether `key` is a merge key (`<<`, plain).
        key_merges: bool,
        /// Values of its merge keys, in order.
        merges: Vec<Node>,
    },
}

struct Reader<'l> {
    file: FileId,
    shared: Option<&'l SharedText>,
    limits: &'l YamlLimits,
    items: Vec<Node>,
    entries: Vec<(Node, Node)>,
    open: Vec<Open>,
    anchors: HashMap<usize, Node>,
    nodes: usize,
    aliases: usize,
    copies: usize,
    scalar_bytes: usize,
    documents: usize,
    too_long: Vec<(Span, usize)>,
    roots: Vec<Node>,
}

impl Reader<'_> {
    fn span(&self, marks: &Marks) -> Span {
        let at = |m: &serde_saphyr::granit_parser::Marker| m.byte_offset().unwrap_or(m.index());
        Span::new(self.file, at(&marks.start), at(&marks.end))
    }

    /// A text value written at `span`: a range of the file when the file holds it as it
    /// reads (the parser hands such text over as a slice of the file, except a block scalar's,
    /// which is found in its own lines), else a copy.
    fn text(&self, text: Cow<'_, str>, span: Span) -> Text {
        let Some(file) = self.shared else {
            return Text::from(text.into_owned());
        };
        let found = match &text {
            Cow::Borrowed(s) => Text::within(file, s),
            Cow::Owned(s) => file
                .get(span.start as usize..span.end as usize)
                .and_then(|raw| Some((raw, raw.find(s.as_str())?)))
                .and_then(|(raw, at)| Text::within(file, raw.get(at..at + s.len())?)),
        };
        found.unwrap_or_else(|| Text::from(text.into_owned()))
    }

    fn count_nodes(&mut self, n: usize, at: usize) -> Result<(), Stop> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.limits.max_nodes {
            return Err(Stop::Nodes(at));
        }
        Ok(())
    }

    fn count_text(&mut self, bytes: usize, at: usize) -> Result<(), Stop> {
        self.scalar_bytes = self.scalar_bytes.saturating_add(bytes);
        if self.scalar_bytes > self.limits.max_total_scalar_bytes {
            return Err(Stop::ScalarBytes(at));
        }
        Ok(())
    }

    fn open_collection(&mut self, span: Span, anchor: usize, map: bool) -> Result<(), Stop> {
        let at = span.start as usize;
        if self.open.len() >= self.limits.max_depth {
            return Err(Stop::Depth(at));
        }
        self.count_nodes(1, at)?;
        self.open.push(if map {
            Open::Map {
                span,
                anchor,
                mark: self.entries.len(),
                key: None,
                key_merges: false,
                merges: Vec::new(),
            }
        } else {
            Open::List {
                span,
                anchor,
                mark: self.items.len(),
            }
        });
        Ok(())
    }

    fn event(&mut self, event: Event<'_>, marks: Marks) -> Result<(), Stop> {
        let span = self.span(&marks);
        let at = span.start as usize;
        match event {
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > self.limits.max_documents {
                    return Err(Stop::Documents(at));
                }
                self.anchors.clear();
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.count_nodes(1, at)?;
                self.count_text(text.len(), at)?;
                let wanted = core_schema::wanted(tag.as_deref());
                let merge_key = wanted == core_schema::Wanted::Any
                    && matches!(style, serde_saphyr::granit_parser::ScalarStyle::Plain)
                    && text == "<<";
                let value = match core_schema::resolve(&text, style, wanted) {
                    Resolved::Value(v) => v,
                    Resolved::Text if text.len() > self.limits.max_scalar_bytes => {
                        self.too_long.push((span, text.len()));
                        NodeValue::Null
                    }
                    Resolved::Text => NodeValue::Text(self.text(text, span)),
                };
                self.complete(Node { span, value }, anchor, merge_key)?;
            }
            Event::Alias(id) => {
                self.aliases += 1;
                if self.aliases > self.limits.max_aliases {
                    return Err(Stop::Aliases(at));
                }
                let Some(target) = self.anchors.get(&id) else {
                    return Err(Stop::UnknownAlias(at));
                };
                let (count, bytes) = weight(target);
                let mut copy = target.clone();
                copy.span = span;
                self.copies = self.copies.saturating_add(count);
                if self.copies > self.limits.max_alias_copies {
                    return Err(Stop::AliasCopies(at));
                }
                self.count_nodes(count, at)?;
                self.count_text(bytes, at)?;
                self.complete(copy, 0, false)?;
            }
            Event::SequenceStart(_, anchor, _) => self.open_collection(span, anchor, false)?,
            Event::MappingStart(_, anchor, _) => self.open_collection(span, anchor, true)?,
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.open.pop() {
                    Some(Open::List { span, anchor, mark }) => {
                        let items: Box<[Node]> = self.items.drain(mark..).collect();
                        (
                            Node {
                                span,
                                value: NodeValue::List(items),
                            },
                            anchor,
                        )
                    }
                    Some(Open::Map {
                        span,
                        anchor,
                        mark,
                        merges,
                        ..
                    }) => {
                        let mut entries: Vec<(Node, Node)> = self.entries.drain(mark..).collect();
                        if let Some(key) = duplicate(&entries) {
                            return Err(Stop::Duplicate(key_name(key), key.span.start as usize));
                        }
                        merge(&mut entries, merges);
                        (
                            Node {
                                span,
                                value: NodeValue::Map(entries.into_boxed_slice()),
                            },
                            anchor,
                        )
                    }
                    None => return Ok(()),
                };
                self.complete(node.0, node.1, false)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Puts a finished node where it belongs: its anchor, then its list, its mapping (as a
    /// key or a value) or the documents.
    fn complete(&mut self, node: Node, anchor: usize, merge_key: bool) -> Result<(), Stop> {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.open.last_mut() {
            None => {
                if !node.is_null() {
                    self.roots.push(node);
                }
            }
            Some(Open::List { .. }) => self.items.push(node),
            Some(Open::Map {
                key,
                key_merges,
                merges,
                ..
            }) => match key.take() {
                None => {
                    *key = Some(node);
                    *key_merges = merge_key;
                }
                Some(_) if *key_merges => merges.push(node),
                Some(k) => self.entries.push((k, node)),
            },
        }
        Ok(())
    }
}

/// How many nodes a value holds, itself included, and the bytes of its texts: what an alias
/// of it copies.
fn weight(node: &Node) -> (usize, usize) {
    match &node.value {
        NodeValue::Text(t) => (1, t.len()),
        NodeValue::List(items) => items.iter().fold((1, 0), |(n, b), item| {
            let (n2, b2) = weight(item);
            (n + n2, b + b2)
        }),
        NodeValue::Map(entries) => entries.iter().fold((1, 0), |(n, b), (k, v)| {
            let (nk, bk) = weight(k);
            let (nv, bv) = weight(v);
            (n + nk + nv, b + bk + bv)
        }),
        _ => (1, 0),
    }
}

/// A scalar key, comparable across entries: its kind and text.
fn key_of(node: &Node) -> Option<(u8, Cow<'_, str>)> {
    Some(match &node.value {
        NodeValue::Text(t) => (0, Cow::Borrowed(&**t)),
        NodeValue::Number(n) => (1, Cow::Owned(n.to_string())),
        NodeValue::Bool(b) => (2, Cow::Borrowed(if *b { "true" } else { "false" })),
        NodeValue::Null => (3, Cow::Borrowed("")),
        NodeValue::List(_) | NodeValue::Map(_) => return None,
    })
}

fn key_name(node: &Node) -> Option<String> {
    match &node.value {
        NodeValue::Text(t) => Some(t.to_string()),
        NodeValue::Number(n) => Some(n.to_string()),
        NodeValue::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The second of two equal keys in a mapping, if any.
fn duplicate(entries: &[(Node, Node)]) -> Option<&Node> {
    if entries.len() <= 16 {
        return entries.iter().enumerate().find_map(|(i, (k, _))| {
            let key = key_of(k)?;
            entries
                .get(..i)?
                .iter()
                .any(|(p, _)| key_of(p).as_ref() == Some(&key))
                .then_some(k)
        });
    }
    let mut seen = HashSet::with_capacity(entries.len());
    entries.iter().map(|(k, _)| k).find(|k| match key_of(k) {
        Some(key) => !seen.insert(key),
        None => false,
    })
}

/// Adds what merge keys (`<<: *base`, `<<: [*a, *b]`) bring: each key the mapping does not
/// write itself, from the first merged mapping that has it.
fn merge(entries: &mut Vec<(Node, Node)>, merges: Vec<Node>) {
    for merged in merges {
        let maps: Vec<Node> = match merged.value {
            NodeValue::Map(_) => vec![merged],
            NodeValue::List(items) => items.into_vec(),
            _ => Vec::new(),
        };
        for map in maps {
            let NodeValue::Map(brought) = map.value else {
                continue;
            };
            for (k, v) in brought.into_vec() {
                let key = key_of(&k);
                let present = key.is_some()
                    && entries
                        .iter()
                        .any(|(e, _)| key_of(e).as_ref() == key.as_ref());
                if !present {
                    entries.push((k, v));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_ok(text: &str) -> Vec<Node> {
        read(FileId(0), text, None, &YamlLimits::default())
            .expect("valid yaml")
            .documents
    }

    fn stop(text: &str, limits: &YamlLimits) -> Stop {
        read(FileId(0), text, None, limits).expect_err("should stop")
    }

    #[test]
    fn merge_keys_bring_what_the_mapping_does_not_write() {
        let docs = read_ok("base: &b {a: 1, b: 2}\nuse:\n  <<: *b\n  b: 3\n");
        let used = docs[0].get("use").expect("use");
        assert_eq!(
            used.get("a").map(|n| &n.value),
            Some(&NodeValue::Number(1.0))
        );
        assert_eq!(
            used.get("b").map(|n| &n.value),
            Some(&NodeValue::Number(3.0))
        );
        assert!(used.get("<<").is_none());
        // A quoted `<<` is an ordinary key.
        let docs = read_ok("'<<': x\n");
        assert_eq!(docs[0].get("<<").and_then(Node::as_text), Some("x"));
    }

    #[test]
    fn duplicate_keys_are_found_in_small_and_large_mappings() {
        let small = stop("a: 1\nb: 2\na: 3\n", &YamlLimits::default());
        assert!(
            matches!(small, Stop::Duplicate(Some(ref k), 10) if k == "a"),
            "{small:?}"
        );
        let mut large: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        large.push_str("k7: again\n");
        let at = large.len() - "k7: again\n".len();
        let found = stop(&large, &YamlLimits::default());
        assert!(
            matches!(found, Stop::Duplicate(Some(ref k), o) if k == "k7" && o == at),
            "{found:?}"
        );
        // Keys that only look alike are different keys.
        assert_eq!(read_ok("1: a\n'1': b\n").len(), 1);
    }

    #[test]
    fn tags_decide_what_a_scalar_is() {
        let docs = read_ok("a: !!str 42\nb: !!int '7'\nc: ! null\nd: !custom 5\n");
        let value = |k: &str| docs[0].get(k).map(|n| n.value.clone());
        assert_eq!(value("a"), Some(NodeValue::Text("42".into())));
        assert_eq!(value("b"), Some(NodeValue::Number(7.0)));
        assert_eq!(value("c"), Some(NodeValue::Text("null".into())));
        assert_eq!(value("d"), Some(NodeValue::Number(5.0)));
    }

    #[test]
    fn limits_stop_at_the_value_past_them() {
        let tight = YamlLimits {
            max_depth: 3,
            max_nodes: 5,
            max_aliases: 1,
            max_alias_copies: 3,
            max_documents: 1,
            max_scalar_bytes: 4,
            max_total_scalar_bytes: 8,
        };
        assert!(matches!(stop("a: [[[x]]]\n", &tight), Stop::Depth(5)));
        assert!(matches!(stop("[1, 2, 3, 4, 5]\n", &tight), Stop::Nodes(13)));
        assert!(matches!(stop("a\n---\nb\n", &tight), Stop::Documents(2)));
        assert!(matches!(
            stop("[abcd, efgh, i]\n", &tight),
            Stop::ScalarBytes(13)
        ));
        let roomy = YamlLimits {
            max_nodes: 100,
            ..tight
        };
        assert!(matches!(
            stop("- &a [1, 2, 3]\n- *a\n", &roomy),
            Stop::AliasCopies(17)
        ));
        assert!(matches!(
            stop("- &a 1\n- *a\n- *a\n", &tight),
            Stop::Aliases(14)
        ));
        assert!(matches!(
            stop("- *nowhere\n", &YamlLimits::default()),
            Stop::UnknownAlias(2)
        ));
        // A text past the longest allowed is left out and noted, and the rest is read.
        let parsed = read(
            FileId(0),
            "[abcdefg]\n",
            None,
            &YamlLimits {
                max_total_scalar_bytes: 100,
                ..tight
            },
        )
        .expect("read");
        assert_eq!(parsed.too_long.len(), 1);
    }

    #[test]
    fn null_documents_are_skipped() {
        assert!(read_ok("").is_empty());
        assert!(read_ok("---\n...\n---\n~\n").is_empty());
        assert_eq!(read_ok("--- a\n--- ~\n--- b\n").len(), 2);
    }
}

#[cfg(test)]
mod sharing_tests {
    use super::*;

    /// Each value of the one-mapping document `yaml`, and whether it is kept as a range of
    /// the file.
    fn kept(yaml: &str) -> Vec<(String, bool)> {
        let file = SharedText::from(yaml);
        let parsed = read(FileId(0), &file, Some(&file), &YamlLimits::default()).expect("valid");
        let Some(NodeValue::Map(entries)) = parsed.documents.first().map(|d| &d.value) else {
            panic!("a mapping");
        };
        entries
            .iter()
            .map(|(_, v)| match &v.value {
                NodeValue::Text(t) => (t.to_string(), t.is_range_of(&file)),
                other => panic!("text expected, got {other:?}"),
            })
            .collect()
    }

    #[test]
    fn values_written_as_they_read_are_ranges_of_the_file() {
        // A block scalar of one line reads as written; of several, its indentation is not
        // part of the value; escapes and folded lines are not either.
        let got = kept(
            "a: plain words\nb: 'single'\nc: \"double\"\nd: >\n  one line\ne: |\n  kept\n  lines\nf: \"esc\\taped\"\ng: 'it''s'\nh: folded\n  plain\n",
        );
        let expect = [
            ("plain words", true),
            ("single", true),
            ("double", true),
            ("one line\n", true),
            ("kept\nlines\n", false),
            ("esc\taped", false),
            ("it's", false),
            ("folded plain", false),
        ];
        let got: Vec<(&str, bool)> = got.iter().map(|(s, b)| (s.as_str(), *b)).collect();
        assert_eq!(got, expect);
    }
}
