//! YAML read into a generic tree whose every node keeps its source span.
//!
//! Entities are validated from this tree rather than deserialized into typed structs, so one
//! wrong field is one located error and the rest of the file is still used.

use super::yaml::{self, Stop};
use crate::source::{FileId, SharedText, Span};

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
    Text(super::text::Text),
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
    /// A node takes 40 to 64 bytes once loaded, so the default stays under 100 MB a file.
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
    parse_file(file, text, None, limits).map(|p| p.documents)
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
///
/// `text` is the file's text, or a part of it; when `shared` holds it, every value written
/// as it reads keeps a range of `shared` instead of a copy.
pub(crate) fn parse_file(
    file: FileId,
    text: &str,
    shared: Option<&SharedText>,
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
        let here = std::panic::AssertUnwindSafe(|| parse_here(file, text, shared, limits));
        return std::panic::catch_unwind(here).unwrap_or_else(|_| Err(reader_failed()));
    }
    let on_thread = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("align-yaml".to_owned())
            .stack_size(PARSE_STACK_BYTES)
            .spawn_scoped(scope, || parse_here(file, text, shared, limits))
            .map(|handle| handle.join())
    });
    match on_thread {
        Ok(Ok(result)) => result,
        Ok(Err(_panicked)) => Err(reader_failed()),
        // No thread could be started: read here, with the stack there is.
        Err(_) => parse_here(file, text, shared, limits),
    }
}

fn parse_here(
    file: FileId,
    text: &str,
    shared: Option<&SharedText>,
    limits: &YamlLimits,
) -> Result<Parsed, ParseError> {
    let mut parsed =
        yaml::read(file, text, shared, limits).map_err(|stop| parse_error(text, &stop, limits))?;
    for root in &mut parsed.documents {
        settle_spans(text, root);
    }
    Ok(parsed)
}

fn parse_error(text: &str, stop: &Stop, limits: &YamlLimits) -> ParseError {
    let offset = stop.offset().filter(|o| *o <= text.len());
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
    let (message, help) = describe(stop, limits);
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

/// What a reading error means, in plain words, and what to do.
fn describe(stop: &Stop, limits: &YamlLimits) -> (String, Option<String>) {
    let too_big = |what: String, why: &str| {
        (
            what,
            Some(format!(
                "{why}; align stops reading this file here so that one file cannot exhaust memory or time, and checks the others"
            )),
        )
    };
    match stop {
        Stop::Depth(_) => describe_depth(limits),
        Stop::Aliases(_) => too_big(
            format!(
                "the file uses more than {} anchors or aliases (`&name` / `*name`)",
                limits.max_aliases
            ),
            "write the repeated values out, or split the file",
        ),
        Stop::AliasCopies(_) => too_big(
            "aliases (`*name`) here expand into too many copies: the file grows far beyond what is written, as in a \"billion laughs\" file".to_owned(),
            "use aliases sparingly, and not aliases of aliases of lists",
        ),
        Stop::Nodes(_) => too_big(
            format!(
                "the file holds more than {} values (counting what aliases expand to)",
                limits.max_nodes
            ),
            "split it into several files",
        ),
        Stop::ScalarBytes(_) => too_big(
            format!(
                "the texts in this file add up to more than {} MB (counting what aliases expand to)",
                limits.max_total_scalar_bytes >> 20
            ),
            "split it into several files",
        ),
        Stop::Documents(_) => too_big(
            format!(
                "the file holds more than {} documents (`---`)",
                limits.max_documents
            ),
            "split it into several files",
        ),
        Stop::Duplicate(key, _) => (
            match key {
                Some(k) => format!("`{k}` appears twice in the same mapping"),
                None => "the same key appears twice in one mapping".to_owned(),
            },
            Some(
                "YAML keeps only one of the two values, so which one counts is unclear: remove or rename one"
                    .to_owned(),
            ),
        ),
        Stop::UnknownAlias(_) => (
            "this alias (`*name`) refers to an anchor (`&name`) that is not defined before it"
                .to_owned(),
            Some("define the anchor first, or write the value out".to_owned()),
        ),
        Stop::Scan(e) => {
            let said = e.info();
            if said.contains("recursion limit exceeded") {
                return describe_depth(limits);
            }
            if matches!(
                e.kind(),
                serde_saphyr::granit_parser::ErrorKind::UnexpectedEof
            ) {
                return (
                    "the file ends in the middle of a value".to_owned(),
                    Some("look for an unclosed bracket or quote".to_owned()),
                );
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
            "while scanning an anchor or alias",
            "a `&` or `*` here starts an anchor or alias with no name; write the name right after it, or put the text in quotes",
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
        assert_eq!(std::mem::size_of::<super::super::entity::Field>(), 64);
        assert_eq!(std::mem::size_of::<super::super::entity::Entity>(), 72);
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
        let parsed = parse_file(FileId(0), "a: short\nb: \"much too long\"\n", None, &limits)
            .expect("valid yaml");
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
        let alias = parse_documents(FileId(0), "a: 1\nb: *nowhere\n", &YamlLimits::default())
            .expect_err("unknown anchor");
        assert_eq!(
            alias.message,
            "this alias (`*name`) refers to an anchor (`&name`) that is not defined before it"
        );
        assert_eq!(alias.offset, Some(8));
        let nameless = parse_documents(FileId(0), "a: *\n", &YamlLimits::default())
            .expect_err("alias without a name");
        assert_eq!(
            nameless.message,
            "a `&` or `*` here starts an anchor or alias with no name; write the name right after it, or put the text in quotes"
        );
    }

    #[test]
    fn broken_yaml_is_located() {
        let err = parse_documents(FileId(0), "a: [1, 2\nb: 3\n", &YamlLimits::default())
            .expect_err("invalid");
        assert!(err.offset.is_some());
        assert!(!err.message.is_empty());
    }
}
