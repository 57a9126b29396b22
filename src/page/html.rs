//! HTML pages, read with html5gum's tokenizer: it follows the WHATWG tokenizing rules (so tag
//! soup reads as a browser would read it), recovers from anything, keeps no tree (memory stays
//! flat however deep the nesting) and gives every token and attribute its byte span.

use super::comments;
use super::entities::push_html_text;
use super::{Page, PageLimits, too_large};
use crate::model::node::{Node, NodeValue};
use crate::source::{FileId, Span};
use html5gum::emitters::default::DefaultEmitter;
use html5gum::{Token, Tokenizer};
use std::ops::Range;

/// Elements whose content is not read as text.
const HIDDEN: &[&[u8]] = &[
    b"script",
    b"style",
    b"template",
    b"noscript",
    b"code",
    b"pre",
    b"kbd",
    b"samp",
    b"svg",
    b"math",
    b"head",
    b"iframe",
    b"object",
    b"textarea",
    b"select",
];

/// Elements that flow inside a sentence; every other element starts and ends a block.
const INLINE: &[&[u8]] = &[
    b"a", b"abbr", b"b", b"bdi", b"bdo", b"cite", b"data", b"dfn", b"em", b"i", b"mark", b"q",
    b"s", b"small", b"span", b"strong", b"sub", b"sup", b"time", b"u", b"var", b"wbr", b"del",
    b"ins", b"font", b"nobr",
];

/// Meta fields read as lists of ids, `content="feat-a, feat-b"`.
const LIST_FIELDS: &[&str] = &["features", "evidence", "tags"];

/// Prefix of the meta tags that hold a page's fields.
const META_PREFIX: &str = "align:";

/// How much of a page too large to read is still scanned for its `align:` meta tags.
const HEAD_BYTES: usize = 256 << 10;

/// Reads an HTML page.
pub(crate) fn read(file: FileId, text: &str, limits: &PageLimits) -> Page {
    let mut page = Page::empty();
    let mut read_text = true;
    let mut source = text;
    if text.len() > limits.max_bytes {
        page.errors.push(too_large(file, text.len(), limits));
        read_text = false;
        let mut end = HEAD_BYTES.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        source = text.get(..end).unwrap_or("");
    }
    let mut fields: Vec<(Node, Node)> = Vec::new();
    let mut hidden: Vec<Vec<u8>> = Vec::new();
    let mut in_title = false;
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    for token in Tokenizer::new_with_emitter(source, emitter) {
        let Ok(token) = token;
        match token {
            Token::StartTag(tag) => {
                let name = tag.name.to_ascii_lowercase();
                if name == b"meta" {
                    meta(file, text, &tag, &mut fields, &mut page);
                    continue;
                }
                if name == b"body" {
                    // `</head>` may be left out: the body ends the head.
                    hidden.retain(|h| h.as_slice() != b"head");
                }
                if name == b"title" {
                    in_title = true;
                    page.text.end_block();
                    continue;
                }
                if name == b"img" || name == b"area" {
                    if let Some(alt) = tag.attributes.get(b"alt".as_slice()) {
                        if hidden.is_empty() && read_text {
                            if let Some(r) = attr_value(text, alt.span.start..alt.span.end) {
                                if page.text.mid_line() {
                                    page.text.push_mapped(" ", r.start..r.start);
                                }
                                let raw = text.get(r.clone()).unwrap_or("");
                                push_html_text(&mut page.text, raw, r.start);
                            }
                        }
                    }
                    continue;
                }
                if HIDDEN.contains(&name.as_slice()) && !tag.self_closing {
                    hidden.push(name);
                    continue;
                }
                if !INLINE.contains(&name.as_slice()) {
                    page.text.end_block();
                } else if name == b"wbr" {
                    continue;
                }
            }
            Token::EndTag(tag) => {
                let name = tag.name.to_ascii_lowercase();
                if name == b"title" {
                    in_title = false;
                    page.text.end_block();
                    continue;
                }
                if let Some(k) = hidden.iter().rposition(|h| *h == name) {
                    hidden.truncate(k);
                    continue;
                }
                if !INLINE.contains(&name.as_slice()) {
                    page.text.end_block();
                }
            }
            Token::String(s) => {
                if !read_text || (!hidden.is_empty() && !in_title) {
                    continue;
                }
                let raw = text.get(s.span.start..s.span.end).unwrap_or("");
                push_html_text(&mut page.text, raw, s.span.start);
            }
            Token::Comment(c) => {
                if let Some(c) = comments::read(file, text, c.span.start..c.span.end) {
                    if page.comments.len() < limits.max_comments {
                        page.comments.push(c);
                    }
                }
            }
            Token::Doctype(_) | Token::Error(_) => {}
        }
    }
    page.text.end_block();
    if !fields.is_empty() {
        page.claims_page = true;
        let span = fields
            .iter()
            .map(|(k, _)| k.span)
            .reduce(Span::to)
            .unwrap_or(Span::new(file, 0, 0));
        page.align = Some(Node {
            span,
            value: NodeValue::Map(fields.into()),
        });
    }
    page
}

/// Appends the visible text of an HTML fragment written at `range` of `text` (a raw HTML
/// block in a Markdown page): element text, not scripts, styles, code or comments.
pub(crate) fn push_fragment(out: &mut super::PageText, text: &str, range: Range<usize>) {
    let Some(source) = text.get(range.clone()) else {
        return;
    };
    let mut hidden: Vec<Vec<u8>> = Vec::new();
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    for token in Tokenizer::new_with_emitter(source, emitter) {
        let Ok(token) = token;
        match token {
            Token::StartTag(tag) => {
                let name = tag.name.to_ascii_lowercase();
                if HIDDEN.contains(&name.as_slice()) && !tag.self_closing {
                    hidden.push(name);
                } else if !INLINE.contains(&name.as_slice()) {
                    out.end_block();
                }
            }
            Token::EndTag(tag) => {
                let name = tag.name.to_ascii_lowercase();
                if let Some(k) = hidden.iter().rposition(|h| *h == name) {
                    hidden.truncate(k);
                } else if !INLINE.contains(&name.as_slice()) {
                    out.end_block();
                }
            }
            Token::String(s) if hidden.is_empty() => {
                let raw = source.get(s.span.start..s.span.end).unwrap_or("");
                push_html_text(out, raw, range.start + s.span.start);
            }
            _ => {}
        }
    }
}

/// A `<meta>` tag: an `align:` field, or the page's description (text, first in its place).
fn meta(
    file: FileId,
    text: &str,
    tag: &html5gum::emitters::default::StartTag<usize>,
    fields: &mut Vec<(Node, Node)>,
    page: &mut Page,
) {
    let Some(name) = tag.attributes.get(b"name".as_slice()) else {
        return;
    };
    let Some(content) = tag.attributes.get(b"content".as_slice()) else {
        return;
    };
    let name_value = String::from_utf8_lossy(&name.value).trim().to_owned();
    let Some(value_range) = attr_value(text, content.span.start..content.span.end) else {
        return;
    };
    let raw = text.get(value_range.clone()).unwrap_or("");
    if name_value.eq_ignore_ascii_case("description") {
        page.text.end_block();
        push_html_text(&mut page.text, raw, value_range.start);
        page.text.end_block();
        return;
    }
    let Some(key) = name_value.strip_prefix(META_PREFIX) else {
        return;
    };
    let key = key.trim().to_owned();
    let key_range =
        attr_value(text, name.span.start..name.span.end).unwrap_or(name.span.start..name.span.end);
    let key_node = Node {
        span: Span::new(file, key_range.start, key_range.end),
        value: NodeValue::Text(key.as_str().into()),
    };
    let value_span = Span::new(file, value_range.start, value_range.end);
    let decoded = String::from_utf8_lossy(&content.value).trim().to_owned();
    let value = if LIST_FIELDS.contains(&key.as_str()) {
        let mut items = Vec::new();
        let mut at = 0;
        for part in raw.split(',') {
            let trimmed = part.trim();
            if !trimmed.is_empty() {
                let lead = part.len() - part.trim_start().len();
                let s = value_range.start + at + lead;
                items.push(Node {
                    span: Span::new(file, s, s + trimmed.len()),
                    value: NodeValue::Text(trimmed.into()),
                });
            }
            at += part.len() + 1;
        }
        Node {
            span: value_span,
            value: NodeValue::List(items.into()),
        }
    } else {
        Node {
            span: value_span,
            value: NodeValue::Text(decoded.into()),
        }
    };
    fields.push((key_node, value));
}

/// The bytes of an attribute's value inside the span html5gum gives the whole attribute
/// (`name="value"`, `name=value`, `name='value'`), without its quotes.
fn attr_value(text: &str, attr: Range<usize>) -> Option<Range<usize>> {
    let s = text.get(attr.clone())?;
    let eq = s.find('=')?;
    let after = s.get(eq + 1..)?;
    let lead = after.len() - after.trim_start().len();
    let v_start = attr.start + eq + 1 + lead;
    let rest = text.get(v_start..attr.end)?;
    match rest.chars().next()? {
        q @ ('"' | '\'') => {
            let close = rest.get(1..)?.find(q).map_or(rest.len(), |i| i + 1);
            Some(v_start + 1..v_start + close)
        }
        _ => {
            let len = rest
                .find(|c: char| c.is_whitespace() || c == '>')
                .unwrap_or(rest.len());
            Some(v_start..v_start + len)
        }
    }
}
