//! YAML read into a generic tree whose every node keeps its source span.
//!
//! Entities are validated from this tree rather than deserialized into typed structs, so one
//! wrong field is one located error and the rest of the file is still used.

use crate::source::{FileId, Span};
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::cell::{Cell, RefCell};
use std::fmt;

/// A YAML value with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the value is written (for quoted scalars, including the quotes).
    pub(crate) span: Span,
    /// The value.
    pub(crate) value: NodeValue,
}

/// The shapes a YAML value can take.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NodeValue {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// Any number.
    Number(f64),
    /// A string, decoded (escapes resolved, lines folded).
    Text(Box<str>),
    /// A sequence.
    List(Box<[Node]>),
    /// A mapping, in source order.
    Map(Box<[(Node, Node)]>),
}

impl NodeValue {
    /// A plain-language name of the shape, for error messages ("a number", "a list").
    pub(crate) fn describe(&self) -> &'static str {
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
    pub(crate) fn as_text(&self) -> Option<&str> {
        match &self.value {
            NodeValue::Text(s) => Some(s),
            _ => None,
        }
    }

    /// Looks up a key of a mapping node.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            NodeValue::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_text() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// Whether the node is null.
    pub(crate) fn is_null(&self) -> bool {
        matches!(self.value, NodeValue::Null)
    }
}

// Reading YAML straight into nodes.
//
// serde-saphyr tells a value's location to a type that asks for it as its `Spanned` wrapper
// does: by deserializing a newtype struct of the name below, which it answers with a small
// mapping of the value and its locations. Reading that mapping here, rather than through
// `Spanned<T>`, skips the location fields align does not use and builds each node once, in
// its final shape. The unit tests pin spans for every kind of scalar and collection, so a
// change in this protocol cannot pass unnoticed.
const SPANNED: &str = "__yaml_spanned";
const SPANNED_FIELDS: &[&str] = &[
    "__serde_saphyr_private_spanned",
    "value",
    "referenced",
    "defined",
];

thread_local! {
    /// The file and the scalar length limit of the parse running on this thread: the
    /// top-level `Deserialize` has no seed to carry them.
    static SETTINGS: Cell<(FileId, usize)> = const { Cell::new((FileId(0), usize::MAX)) };
}

/// What one document's reading needs, handed down through every seed.
struct Ctx {
    file: FileId,
    max_scalar_bytes: usize,
    too_long: RefCell<Vec<(Span, usize)>>,
    /// Items of the lists being read, innermost last: each list takes its own off the end,
    /// so every list is allocated once, at its final size.
    items: RefCell<Vec<Node>>,
    /// The same for the entries of mappings.
    entries: RefCell<Vec<(Node, Node)>>,
}

/// One document as read: its root and the texts left out for being too long.
struct Document {
    root: Node,
    too_long: Vec<(Span, usize)>,
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (file, max_scalar_bytes) = SETTINGS.with(Cell::get);
        let ctx = Ctx {
            file,
            max_scalar_bytes,
            too_long: RefCell::default(),
            items: RefCell::default(),
            entries: RefCell::default(),
        };
        let root = NodeSeed(&ctx).deserialize(d)?;
        Ok(Document {
            root,
            too_long: ctx.too_long.into_inner(),
        })
    }
}

/// Reads one node with its span.
#[derive(Clone, Copy)]
struct NodeSeed<'c>(&'c Ctx);

impl<'de> DeserializeSeed<'de> for NodeSeed<'_> {
    type Value = Node;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_newtype_struct(SPANNED, self)
    }
}

impl<'de> Visitor<'de> for NodeSeed<'_> {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_struct("Spanned", SPANNED_FIELDS, SpannedFields(self.0))
    }
}

/// The mapping serde-saphyr answers a span request with.
struct SpannedFields<'c>(&'c Ctx);

/// A key of that mapping.
enum SpannedKey {
    Marker,
    Value,
    Referenced,
    Other,
}

impl<'de> Deserialize<'de> for SpannedKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = SpannedKey;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field of a located value")
    }

    fn visit_str<E>(self, s: &str) -> Result<SpannedKey, E> {
        Ok(match s {
            "value" => SpannedKey::Value,
            "referenced" => SpannedKey::Referenced,
            _ if SPANNED_FIELDS.first() == Some(&s) => SpannedKey::Marker,
            _ => SpannedKey::Other,
        })
    }
}

impl<'de> Visitor<'de> for SpannedFields<'_> {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a located value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let ctx = self.0;
        let mut value = None;
        let mut at = None;
        // `defined` (where an alias's anchor is) comes last and is not needed: the span of a
        // value is where it is used.
        while value.is_none() || at.is_none() {
            match map.next_key::<SpannedKey>()? {
                Some(SpannedKey::Value) => value = Some(map.next_value_seed(ValueSeed(ctx))?),
                Some(SpannedKey::Referenced) => at = Some(map.next_value::<At>()?),
                Some(SpannedKey::Marker | SpannedKey::Other) => {
                    map.next_value::<de::IgnoredAny>()?;
                }
                None => break,
            }
        }
        let (Some(value), Some(At(start, len))) = (value, at) else {
            return Err(de::Error::custom(
                "the YAML reader gave a value without its place",
            ));
        };
        let span = Span::new(ctx.file, start, start.saturating_add(len));
        let value = match value {
            Read::Value(v) => v,
            Read::TooLong(len) => {
                ctx.too_long.borrow_mut().push((span, len));
                NodeValue::Null
            }
        };
        Ok(Node { span, value })
    }
}

/// A location as serde-saphyr gives it (`{line, column, span: {offset, len, byte_info}}`),
/// reduced to the byte offset and length of its span.
struct At(usize, usize);

impl<'de> Deserialize<'de> for At {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let span = FieldOf::<SpanBytes>::new("Location", &["line", "column", "span"], "span");
        Ok(span.deserialize(d)?.map_or(At(0, 0), |s| At(s.0, s.1)))
    }
}

/// A span's `byte_info`: byte offset and length.
struct SpanBytes(usize, usize);

impl<'de> Deserialize<'de> for SpanBytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let bytes =
            FieldOf::<(u64, u64)>::new("Span", &["offset", "len", "byte_info"], "byte_info");
        let size = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        Ok(bytes
            .deserialize(d)?
            .map_or(SpanBytes(0, 0), |(offset, len)| {
                SpanBytes(size(offset), size(len))
            }))
    }
}

/// Reads the one field called `name` of a struct-like mapping, skipping the others.
struct FieldOf<T> {
    strukt: &'static str,
    fields: &'static [&'static str],
    name: &'static str,
    value: std::marker::PhantomData<T>,
}

impl<T> FieldOf<T> {
    fn new(strukt: &'static str, fields: &'static [&'static str], name: &'static str) -> Self {
        FieldOf {
            strukt,
            fields,
            name,
            value: std::marker::PhantomData,
        }
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for FieldOf<T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_struct(self.strukt, self.fields, self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for FieldOf<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a mapping with `{}`", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<T>, A::Error> {
        while let Some(wanted) = map.next_key_seed(KeyIs(self.name))? {
            if wanted {
                return map.next_value().map(Some);
            }
            map.next_value::<de::IgnoredAny>()?;
        }
        Ok(None)
    }
}

/// Reads a key, answering whether it is the one named.
struct KeyIs(&'static str);

impl<'de> DeserializeSeed<'de> for KeyIs {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for KeyIs {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E>(self, s: &str) -> Result<bool, E> {
        Ok(s == self.0)
    }
}

/// A value as read, before it has its span.
enum Read {
    Value(NodeValue),
    /// A scalar longer than [`YamlLimits::max_scalar_bytes`]: only its length is kept.
    TooLong(usize),
}

#[derive(Clone, Copy)]
struct ValueSeed<'c>(&'c Ctx);

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Read;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Read, D::Error> {
        d.deserialize_any(self)
    }
}

impl ValueSeed<'_> {
    fn text(self, s: &str) -> Read {
        if s.len() > self.0.max_scalar_bytes {
            Read::TooLong(s.len())
        } else {
            Read::Value(NodeValue::Text(s.into()))
        }
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Read;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Read, E> {
        Ok(Read::Value(NodeValue::Null))
    }
    fn visit_none<E>(self) -> Result<Read, E> {
        Ok(Read::Value(NodeValue::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Read, D::Error> {
        self.deserialize(d)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Read, E> {
        Ok(Read::Value(NodeValue::Bool(b)))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Read, E> {
        Ok(Read::Value(NodeValue::Number(n as f64)))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Read, E> {
        Ok(Read::Value(NodeValue::Number(n as f64)))
    }
    fn visit_i128<E>(self, n: i128) -> Result<Read, E> {
        Ok(Read::Value(NodeValue::Number(n as f64)))
    }
    fn visit_u128<E>(self, n: u128) -> Result<Read, E> {
        Ok(Read::Value(NodeValue::Number(n as f64)))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Read, E> {
        Ok(Read::Value(NodeValue::Number(n)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Read, E> {
        Ok(self.text(s))
    }
    fn visit_string<E>(self, s: String) -> Result<Read, E> {
        if s.len() > self.0.max_scalar_bytes {
            Ok(Read::TooLong(s.len()))
        } else {
            Ok(Read::Value(NodeValue::Text(s.into_boxed_str())))
        }
    }
    fn visit_bytes<E: de::Error>(self, b: &[u8]) -> Result<Read, E> {
        Ok(self.text(&String::from_utf8_lossy(b)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Read, A::Error> {
        let stack = &self.0.items;
        let mark = stack.borrow().len();
        while let Some(item) = seq.next_element_seed(NodeSeed(self.0))? {
            stack.borrow_mut().push(item);
        }
        let items: Box<[Node]> = stack.borrow_mut().drain(mark..).collect();
        Ok(Read::Value(NodeValue::List(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Read, A::Error> {
        let stack = &self.0.entries;
        let mark = stack.borrow().len();
        while let Some(key) = map.next_key_seed(NodeSeed(self.0))? {
            let value = map.next_value_seed(NodeSeed(self.0))?;
            stack.borrow_mut().push((key, value));
        }
        let entries: Box<[(Node, Node)]> = stack.borrow_mut().drain(mark..).collect();
        Ok(Read::Value(NodeValue::Map(entries)))
    }
}

/// Where parsing a file failed.
#[derive(Debug, Clone)]
pub(crate) struct ParseError {
    /// What went wrong, in plain words, without the position (the report shows it).
    pub(crate) message: String,
    /// What to do about it, when there is more to say than "fix the YAML here".
    pub(crate) help: Option<String>,
    /// Byte offset of the problem, when known.
    pub(crate) offset: Option<usize>,
}

/// Limits applied to every YAML file, so no input can exhaust the stack, time or memory.
///
/// Each limit is far above what a hand-written marketing repository needs and far below what
/// would hurt: a file that breaks one gets a `load/yaml` finding saying which, and the other
/// files are still checked.
#[derive(Debug, Clone, Copy)]
pub struct YamlLimits {
    /// Deepest nesting of lists and mappings. Entities need about six levels (file, kind
    /// list, entity, claims, claim, evidence list); 64 leaves room for free-form fields and
    /// keeps the recursive reader far from the end of the stack, even on a small thread.
    pub(crate) max_depth: usize,
    /// Most nodes (scalars, lists, mappings) in one file, aliases counted as expanded.
    /// About 300 bytes of memory each once loaded, so the default stays under 400 MB.
    pub(crate) max_nodes: usize,
    /// Most alias uses (`*name`) in one file.
    pub(crate) max_aliases: usize,
    /// Most nodes that aliases may copy in one file: this is what stops a "billion laughs"
    /// file (aliases of aliases) long before it fills memory.
    pub(crate) max_alias_copies: usize,
    /// Most documents (`---`) in one file.
    pub(crate) max_documents: usize,
    /// Longest single text value, in bytes. A message, quote or transcript excerpt is far
    /// shorter; a longer value is left out with a located finding, the rest of the file kept.
    pub(crate) max_scalar_bytes: usize,
    /// Most bytes of text values in one file, aliases counted as expanded.
    pub(crate) max_total_scalar_bytes: usize,
}

impl Default for YamlLimits {
    fn default() -> Self {
        YamlLimits {
            max_depth: 64,
            max_nodes: 1_000_000,
            max_aliases: 10_000,
            max_alias_copies: 100_000,
            max_documents: 10_000,
            max_scalar_bytes: 1 << 20,
            max_total_scalar_bytes: 256 << 20,
        }
    }
}

fn options(limits: &YamlLimits) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = limits.max_depth;
    // Flow collections (`[[[`) are limited like block ones, so both give the same message.
    budget.flow_nesting_limit = limits.max_depth.saturating_add(1);
    budget.max_nodes = limits.max_nodes;
    // Every node is an event, and so is each collection's end: three per node is ample.
    budget.max_events = limits.max_nodes.saturating_mul(3);
    budget.max_aliases = limits.max_aliases;
    budget.max_anchors = limits.max_aliases;
    budget.max_recorded_anchor_events = limits.max_alias_copies;
    budget.max_recorded_anchor_bytes = limits.max_scalar_bytes.saturating_mul(16);
    budget.max_merge_keys = limits.max_aliases;
    budget.max_documents = limits.max_documents;
    // The text is already in memory; its size is capped before it is read.
    budget.max_reader_input_bytes = None;
    budget.max_total_scalar_bytes = limits.max_total_scalar_bytes;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.strict_booleans = true;
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::Error;
    options
}

/// A parsed file: its documents, and the text values left out for being too long.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parsed {
    /// Every document, in order.
    pub(crate) documents: Vec<Node>,
    /// Text values longer than [`YamlLimits::max_scalar_bytes`], with their length in bytes.
    /// They appear in the tree as [`NodeValue::Null`].
    pub(crate) too_long: Vec<(Span, usize)>,
}

/// Parses every document of a YAML file into spanned trees.
pub(crate) fn parse_documents(
    file: FileId,
    text: &str,
    limits: &YamlLimits,
) -> Result<Vec<Node>, ParseError> {
    parse_file(file, text, limits).map(|p| p.documents)
}

/// The stack of the thread that reads YAML. Reading is recursive, one level per nesting level
/// up to `YamlLimits::max_depth`; unoptimised builds take tens of kilobytes per level, more
/// than a 2 MB thread (a test's, an editor's worker) holds. The stack is reserved, not used.
pub const PARSE_STACK_BYTES: usize = 64 << 20;

/// Parses every document of a YAML file, keeping note of text values too long to use.
///
/// Runs on a thread with a stack sized for the deepest nesting allowed (the caller's, when it
/// is a worker of [`crate::parallel::map_with_stack`] with that stack; else a new one), so a
/// hostile file cannot overflow the stack; should the YAML reader itself panic, the file gets
/// an error like any unreadable one.
pub(crate) fn parse_file(
    file: FileId,
    text: &str,
    limits: &YamlLimits,
) -> Result<Parsed, ParseError> {
    let reader_failed = || ParseError {
        message: "the YAML reader failed on this file".to_owned(),
        help: Some(
            "this is a fault in align, not in the file: please report it with the file attached"
                .to_owned(),
        ),
        offset: None,
    };
    if crate::parallel::reserved_stack() >= PARSE_STACK_BYTES {
        let here = std::panic::AssertUnwindSafe(|| parse_here(file, text, limits));
        return std::panic::catch_unwind(here).unwrap_or_else(|_| Err(reader_failed()));
    }
    let on_thread = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("align-yaml".to_owned())
            .stack_size(PARSE_STACK_BYTES)
            .spawn_scoped(scope, || parse_here(file, text, limits))
            .map(|handle| handle.join())
    });
    match on_thread {
        Ok(Ok(result)) => result,
        Ok(Err(_panicked)) => Err(reader_failed()),
        // No thread could be started: read here, with the stack there is.
        Err(_) => parse_here(file, text, limits),
    }
}

fn parse_here(file: FileId, text: &str, limits: &YamlLimits) -> Result<Parsed, ParseError> {
    let previous = SETTINGS.with(|c| c.replace((file, limits.max_scalar_bytes)));
    let result = serde_saphyr::from_multiple_with_options::<Document>(text, options(limits));
    SETTINGS.with(|c| c.set(previous));
    let docs = result.map_err(|e| parse_error(text, &e, limits))?;
    let mut parsed = Parsed::default();
    for mut d in docs {
        settle_spans(text, &mut d.root);
        parsed.documents.push(d.root);
        parsed.too_long.extend(d.too_long);
    }
    Ok(parsed)
}

fn parse_error(text: &str, e: &serde_saphyr::Error, limits: &YamlLimits) -> ParseError {
    let mut inner = e.without_snippet();
    while let serde_saphyr::Error::AliasError { error, .. } = inner {
        inner = error.without_snippet();
    }
    let offset = inner
        .location()
        .or_else(|| e.location())
        .and_then(|l| {
            l.span()
                .byte_offset()
                .map(|o| o as usize)
                .or_else(|| offset_of(text, l.line() as usize, l.column() as usize))
        })
        .filter(|o| *o <= text.len());
    if let Some(open) = offset.and_then(|o| unclosed_bracket_before(text, o)) {
        let (close, what) = match text.as_bytes().get(open) {
            Some(b'{') => ("}", "mapping"),
            _ => ("]", "list"),
        };
        return ParseError {
            message: "a bracket opened here is never closed".to_owned(),
            help: Some(format!(
                "close the {what} with `{close}` at the end of this line (or where the {what} ends), before the next key"
            )),
            offset: Some(open),
        };
    }
    let (message, help) = describe(inner, limits);
    ParseError {
        message,
        help,
        offset,
    }
}

/// The `[` or `{` that the parser is still inside at `offset`, when that error is what an
/// unclosed bracket causes: the bracket opens a flow collection on an earlier line, and the
/// line of the error is indented no deeper than the bracket's line (the next key, where
/// YAML expected the collection's items or its end). A collection laid out over several
/// lines, with its items indented, is not taken for an unclosed one.
fn unclosed_bracket_before(text: &str, offset: usize) -> Option<usize> {
    let before = text.get(..offset)?;
    let mut open: Vec<usize> = Vec::new();
    let mut line_start = 0;
    for line in before.split_inclusive('\n') {
        let mut quote: Option<u8> = None;
        let mut previous = b'\n';
        let bytes = line.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            match (quote, b) {
                (Some(b'"'), b'\\') => i += 1,
                (Some(q), _) if b == q => {
                    if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 1;
                    } else {
                        quote = None;
                    }
                }
                (Some(_), _) => {}
                (None, b'#') if previous.is_ascii_whitespace() => break,
                (None, b'"' | b'\'') if starts_value(previous) => quote = Some(b),
                (None, b'[' | b'{') if !open.is_empty() || starts_value(previous) => {
                    open.push(line_start + i)
                }
                (None, b']' | b'}') => {
                    open.pop();
                }
                _ => {}
            }
            if !b.is_ascii_whitespace() || b == b'\n' {
                previous = b;
            }
            i += 1;
        }
        line_start += line.len();
    }
    let bracket = *open.last()?;
    let line_of = |at: usize| text.get(..at).map_or(0, |t| t.matches('\n').count());
    if line_of(bracket) == line_of(offset) {
        return None;
    }
    let indent_at = |at: usize| {
        let start = text
            .get(..at)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |n| n + 1);
        text.get(start..)
            .map_or(0, |rest| rest.len() - rest.trim_start_matches(' ').len())
    };
    (indent_at(offset) <= indent_at(bracket)).then_some(bracket)
}

/// Whether a quote or bracket after this character starts a value (rather than sitting
/// inside a plain text such as `don't`).
fn starts_value(previous: u8) -> bool {
    matches!(previous, b'\n' | b':' | b'-' | b'[' | b'{' | b',' | b'?')
}

/// What a parser error means, in plain words, and what to do.
fn describe(e: &serde_saphyr::Error, limits: &YamlLimits) -> (String, Option<String>) {
    use serde_saphyr::Error as E;
    use serde_saphyr::budget::BudgetBreach as B;
    let too_big = |what: String, why: &str| {
        (
            what,
            Some(format!(
                "{why}; align stops reading this file here so that one file cannot exhaust memory or time, and checks the others"
            )),
        )
    };
    match e {
        E::Budget { breach, .. } => match breach {
            B::Depth { .. } => describe_depth(limits),
            B::Aliases { .. } | B::Anchors { .. } | B::MergeKeys { .. } => too_big(
                format!(
                    "the file uses more than {} anchors or aliases (`&name` / `*name`)",
                    limits.max_aliases
                ),
                "write the repeated values out, or split the file",
            ),
            B::RecordedAnchorEvents { .. }
            | B::RecordedAnchorBytes { .. }
            | B::AliasAnchorRatio { .. } => too_big(
                "aliases (`*name`) here expand into too many copies: the file grows far beyond what is written, as in a \"billion laughs\" file".to_owned(),
                "use aliases sparingly, and not aliases of aliases of lists",
            ),
            B::Nodes { .. } | B::Events { .. } => too_big(
                format!(
                    "the file holds more than {} values (counting what aliases expand to)",
                    limits.max_nodes
                ),
                "split it into several files",
            ),
            B::ScalarBytes { .. } => too_big(
                format!(
                    "the texts in this file add up to more than {} MB (counting what aliases expand to)",
                    limits.max_total_scalar_bytes >> 20
                ),
                "split it into several files",
            ),
            B::Documents { .. } => too_big(
                format!(
                    "the file holds more than {} documents (`---`)",
                    limits.max_documents
                ),
                "split it into several files",
            ),
            _ => too_big(
                "this file is too large or too complex to read".to_owned(),
                "split it into several files",
            ),
        },
        E::DuplicateMappingKey { key, .. } => (
            match key {
                Some(k) => format!("`{k}` appears twice in the same mapping"),
                None => "the same key appears twice in one mapping".to_owned(),
            },
            Some(
                "YAML keeps only one of the two values, so which one counts is unclear: remove or rename one"
                    .to_owned(),
            ),
        ),
        E::UnknownAnchor { .. } => (
            "this alias (`*name`) refers to an anchor (`&name`) that is not defined before it"
                .to_owned(),
            Some("define the anchor first, or write the value out".to_owned()),
        ),
        E::Eof { .. } => (
            "the file ends in the middle of a value".to_owned(),
            Some("look for an unclosed bracket or quote".to_owned()),
        ),
        other => {
            let said = other.to_string();
            if said.contains("recursion limit exceeded") {
                return describe_depth(limits);
            }
            (plain(&said), None)
        }
    }
}

fn describe_depth(limits: &YamlLimits) -> (String, Option<String>) {
    (
        format!(
            "lists and mappings are nested more than {} levels deep here",
            limits.max_depth
        ),
        Some("entities need only a few levels: look for brackets that are never closed or an indentation that runs away; align stops reading this file here so that one file cannot exhaust memory or time, and checks the others".to_owned()),
    )
}

/// Turns a parser message into plain words, without its position (the report shows it).
fn plain(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw).trim();
    let first = first
        .strip_prefix("error: ")
        .or_else(|| first.strip_prefix("Error: "))
        .unwrap_or(first);
    let first = strip_position(first);
    let trimmed = match first.find(" at line ") {
        Some(i) => first.get(..i).unwrap_or(first),
        None => first,
    };
    let trimmed = trimmed.trim_end_matches(['.', ':', ',']).trim();
    let lower = trimmed.to_lowercase();
    const PLAIN: &[(&str, &str)] = &[
        (
            "mapping values are not allowed in this context",
            "a `key: value` is not allowed here; if the text holds \": \", put it in quotes",
        ),
        (
            "simple key expected ':'",
            "a line here is neither `key: value` nor a list item (`- `); check the indentation and colons",
        ),
        (
            "did not find expected key",
            "the indentation here does not line up with the keys above it",
        ),
        (
            "block sequence entries are not allowed in this context",
            "a list item (`- `) is not allowed here; check its indentation",
        ),
        (
            "did not find expected '-' indicator",
            "a list item (`- `) was expected here; check the indentation",
        ),
        ("unclosed bracket", "a bracket opened here is never closed"),
        ("unclosed quote", "a quote opened here is never closed"),
        (
            "found a tab",
            "a tab is used here; YAML indents with spaces only",
        ),
        (
            "tabs disallowed",
            "a tab is used here; YAML indents with spaces only",
        ),
        (
            "unknown escape character",
            "a backslash in double quotes starts an escape align does not know; use single quotes or write `\\\\`",
        ),
        (
            "comments must be separated from other tokens by whitespace",
            "a `#` starts a comment only after a space; put the text in quotes or add a space",
        ),
        (
            "invalid trailing content after",
            "there is more text after the closing quote; put the whole value in quotes",
        ),
        (
            "wrongly indented line in block scalar",
            "a line of this `|` or `>` text is indented less than the first one",
        ),
        (
            "must be followed by a valid yaml whitespace",
            "a `-` that starts a list item must be followed by a space",
        ),
        (
            "cannot start with a tab",
            "a tab is used here; YAML indents with spaces only",
        ),
        (
            "comment intercepting the multiline text",
            "a comment (`#`) cuts into a text that goes on over several lines; put the text in quotes",
        ),
        (
            "document indicator",
            "a line starting with `---` or `...` ends the document inside this quoted text; indent that line",
        ),
        (
            "expected <document start>",
            "there is text here after the end of a document (`...`); start a new document with `---` or remove it",
        ),
        (
            "document end marker",
            "a `%` directive or `...` marker is out of place here; data files need neither",
        ),
        (
            "directive",
            "a `%` directive here is not valid; data files need none",
        ),
        (
            "handle wasn't declared",
            "a tag (`!name!...`) here uses a name that is not declared; data files need no tags",
        ),
        (
            "scanning a tag",
            "a tag (`!name`) here is not valid; data files need no tags",
        ),
        (
            "illegal placement of ':'",
            "a `:` is out of place here; if the text holds a colon, put it in quotes",
        ),
        (
            "misplaced bracket",
            "a bracket is out of place here: is one missing or one too many?",
        ),
        (
            "plain scalar cannot start with",
            "a text cannot start with `-` followed by `,[]{}`; put it in quotes",
        ),
        (
            "flow mapping",
            "a `{...}` here is not closed properly: check for a missing `,` or `}`",
        ),
        (
            "flow sequence",
            "a `[...]` here is not closed properly: check for a missing `,` or `]`",
        ),
        (
            "scanning a block scalar",
            "the header of this `|` or `>` text is not valid: write `|` or `>` alone and the text on the lines below",
        ),
        (
            "control characters are not allowed",
            "the file holds a control character that YAML does not allow (is it a binary file?)",
        ),
    ];
    for (needle, said) in PLAIN {
        if lower.contains(needle) {
            return (*said).to_owned();
        }
    }
    if trimmed.is_empty() {
        "the file is not valid YAML".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Drops a leading "line 3 column 7:" that some parser messages carry.
fn strip_position(s: &str) -> &str {
    let Some(rest) = s.strip_prefix("line ") else {
        return s;
    };
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let Some(rest) = rest.strip_prefix(" column ") else {
        return s;
    };
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    rest.strip_prefix(':').map(str::trim_start).unwrap_or(s)
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

/// Gives every list and mapping the span of all it holds: the parser's span of a block
/// collection is its first token, and a finding about the whole collection should underline
/// all of it, through the closing bracket of a flow one. Children first, so that a nested
/// collection's end carries up.
fn settle_spans(text: &str, node: &mut Node) {
    let span = &mut node.span;
    match &mut node.value {
        NodeValue::List(items) => {
            for item in items.iter_mut() {
                settle_spans(text, item);
            }
            if let Some(last) = items.last() {
                *span = span.to(last.span);
            }
            *span = through_closing(text, *span, b'[', b']');
        }
        NodeValue::Map(entries) => {
            for (k, v) in entries.iter_mut() {
                settle_spans(text, k);
                settle_spans(text, v);
            }
            if let Some((k, _)) = entries.first() {
                if k.span.start < span.start || span.is_empty() {
                    span.start = k.span.start;
                }
            }
            if let Some((_, v)) = entries.last() {
                *span = span.to(v.span);
            }
            *span = through_closing(text, *span, b'{', b'}');
        }
        _ => {}
    }
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
    fn every_kind_of_value_has_its_own_span() {
        let text = "a: &x plain words\nb: *x\nc: [one, 'two']\nd: {k: v}\ne: |\n  block\nf:\n  - 1\n  - 2.5\n";
        let docs = parse(text);
        let at = |key: &str| {
            let n = docs[0].get(key).expect(key);
            &text[n.span.start as usize..n.span.end as usize]
        };
        assert_eq!(at("a"), "plain words");
        // An alias is located where it is used.
        assert_eq!(at("b"), "*x");
        assert_eq!(
            docs[0].get("b").and_then(Node::as_text),
            Some("plain words")
        );
        assert_eq!(at("c"), "[one, 'two']");
        assert_eq!(at("d"), "{k: v}");
        assert_eq!(at("e").trim_end(), "block");
        assert_eq!(at("f"), "- 1\n  - 2.5");
        assert_eq!(docs[0].span.start, 0);
    }

    #[test]
    fn nodes_stay_small() {
        // Hundreds of thousands of them are kept: a wider node is felt in memory.
        assert_eq!(std::mem::size_of::<NodeValue>(), 24);
        assert_eq!(std::mem::size_of::<Node>(), 40);
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
    fn parser_positions_are_left_to_the_report() {
        assert_eq!(
            strip_position("line 3 column 17: unclosed quote"),
            "unclosed quote"
        );
        assert_eq!(strip_position("line up the keys"), "line up the keys");
        assert_eq!(
            plain("line 1 column 2: misplaced bracket at line 1"),
            "a bracket is out of place here: is one missing or one too many?"
        );
    }

    #[test]
    fn a_too_long_text_is_noted_and_left_out() {
        let limits = YamlLimits {
            max_scalar_bytes: 8,
            ..YamlLimits::default()
        };
        let parsed =
            parse_file(FileId(0), "a: short\nb: \"much too long\"\n", &limits).expect("valid yaml");
        assert_eq!(parsed.too_long.len(), 1);
        assert_eq!(parsed.too_long[0].1, 13);
        assert!(parsed.documents[0].get("b").is_some_and(Node::is_null));
        assert_eq!(
            parsed.documents[0].get("a").and_then(Node::as_text),
            Some("short")
        );
    }

    #[test]
    fn budget_breaches_are_plain_sentences() {
        let deep = format!("a: {}", "[".repeat(100));
        let err = parse_documents(FileId(0), &deep, &YamlLimits::default()).expect_err("too deep");
        assert_eq!(
            err.message,
            "lists and mappings are nested more than 64 levels deep here"
        );
        assert!(err.help.is_some());
        let dup = parse_documents(FileId(0), "a: 1\na: 2\n", &YamlLimits::default())
            .expect_err("duplicate");
        assert_eq!(dup.message, "`a` appears twice in the same mapping");
        assert_eq!(dup.offset, Some(5));
    }

    #[test]
    fn broken_yaml_is_located() {
        let err = parse_documents(FileId(0), "a: [1, 2\nb: 3\n", &YamlLimits::default())
            .expect_err("invalid");
        assert!(err.offset.is_some());
        assert!(!err.message.is_empty());
    }
}
