//! Markdown and MDX pages, read with pulldown-cmark's offset iterator: every piece of text it
//! gives comes with the byte range it was read from, so the page's text maps back exactly.

use super::comments;
use super::front::{self, FrontFormat};
use super::{FRONT_TEXT_KEYS, FootnoteRef, Page, PageKind, PageLimits, PageText, too_large};
use crate::model::node::{Node, NodeValue};
use crate::source::{FileId, Span};
use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

/// Reads a Markdown or MDX page.
pub(crate) fn read(file: FileId, kind: PageKind, text: &str, limits: &PageLimits) -> Page {
    let mut page = Page::empty();
    let mut body_start = 0;
    if let Some(block) = front::find(text) {
        let content = text.get(block.content.clone()).unwrap_or("");
        page.claims_page = says_align(content, block.format);
        match front::read(file, text, &block) {
            Ok(root) => {
                page.align = root.get("align").cloned();
                page.front = Some(root);
            }
            Err(e) => {
                page.errors.push(e);
                page.fields_unread = true;
            }
        }
        // An unclosed block leaves nothing to read as text: where it ends is unknown.
        body_start = block.body_start.unwrap_or(text.len());
    }
    if let Some(root) = &page.front {
        push_front_texts(&mut page.text, text, root);
    }
    if text.len() > limits.max_bytes {
        page.errors.push(too_large(file, text.len(), limits));
        return page;
    }
    let body = text.get(body_start..).unwrap_or("");
    let blanked;
    let source = if kind == PageKind::Mdx {
        blanked = blank_mdx(body);
        blanked.as_str()
    } else {
        body
    };
    read_body(file, kind, text, body_start, source, &mut page, limits);
    page
}

/// Whether a front matter block declares an `align` mapping (looked for in the text, so that a
/// block that does not parse still tells the file is meant as a page).
pub(crate) fn says_align(content: &str, format: FrontFormat) -> bool {
    content.lines().any(|l| match format {
        FrontFormat::Yaml => l.starts_with("align:"),
        FrontFormat::Toml => {
            let l = l.trim();
            l == "[align]"
                || l.starts_with("[align.")
                || l.starts_with("align =")
                || l.starts_with("align=")
        }
    })
}

/// Appends the front matter's `title`, `description` and `summary`, each a sentence of its own.
pub(crate) fn push_front_texts(out: &mut PageText, text: &str, root: &Node) {
    for key in FRONT_TEXT_KEYS {
        if let Some(node) = root.get(key) {
            push_scalar(out, text, node);
            out.end_block();
        }
    }
}

/// Appends the text of a YAML or TOML string node, each character mapped to where it is
/// written (through quotes, escapes and folded lines).
pub(crate) fn push_scalar(out: &mut PageText, text: &str, node: &Node) {
    let NodeValue::Text(value) = &node.value else {
        return;
    };
    let (start, end) = (node.span.start as usize, node.span.end as usize);
    let raw = text.get(start..end).unwrap_or("");
    let Some(map) = crate::model::scalar_text::ScalarMap::new(raw, value) else {
        out.push_mapped(value, start..end);
        return;
    };
    for (i, c) in value.char_indices() {
        let Some(r) = map.range(value, i..i + c.len_utf8()) else {
            continue;
        };
        let piece = value.get(i..i + c.len_utf8()).unwrap_or("");
        if raw.get(r.clone()) == Some(piece) {
            out.push_verbatim(piece, start + r.start);
        } else {
            out.push_mapped(piece, start + r.start..start + r.end);
        }
    }
}

/// What the reader is inside of.
#[derive(Default)]
struct State {
    /// Code blocks (not text), or an MDX indented block (text: MDX has no indented code).
    code: usize,
    mdx_indented: bool,
    /// Footnote definitions: where a citation is explained, not copy.
    footnote_def: usize,
    /// Autolinks (`<https://...>`): their text is the URL.
    autolink: usize,
    /// Metadata blocks (never enabled; kept for safety).
    metadata: usize,
}

impl State {
    fn skipping(&self) -> bool {
        (self.code > 0 && !self.mdx_indented)
            || self.footnote_def > 0
            || self.autolink > 0
            || self.metadata > 0
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

fn read_body(
    file: FileId,
    kind: PageKind,
    text: &str,
    base: usize,
    source: &str,
    page: &mut Page,
    limits: &PageLimits,
) {
    let out = &mut page.text;
    let mut state = State::default();
    let mut pending_notes: Vec<(String, Span, usize)> = Vec::new();
    let mut comment_ends: Vec<usize> = Vec::new();
    // The raw HTML block being read, from its first line to its last.
    let mut html_block: Option<std::ops::Range<usize>> = None;
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        let raw = base + range.start..base + range.end;
        match event {
            Event::Start(tag) => match tag {
                Tag::CodeBlock(k) => {
                    out.end_block();
                    state.code += 1;
                    state.mdx_indented =
                        kind == PageKind::Mdx && matches!(k, CodeBlockKind::Indented);
                }
                Tag::FootnoteDefinition(_) => {
                    out.end_block();
                    state.footnote_def += 1;
                }
                Tag::Link {
                    link_type: LinkType::Autolink | LinkType::Email,
                    ..
                } => {
                    state.autolink += 1;
                }
                Tag::MetadataBlock(_) => state.metadata += 1,
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::BlockQuote(_)
                | Tag::List(_)
                | Tag::Item
                | Tag::Table(_)
                | Tag::TableHead
                | Tag::TableRow
                | Tag::TableCell
                | Tag::DefinitionList
                | Tag::DefinitionListTitle
                | Tag::DefinitionListDefinition => out.end_block(),
                Tag::HtmlBlock => {
                    out.end_block();
                    html_block = Some(raw.start..raw.start);
                }
                Tag::Image { .. } if out.mid_line() && !out.as_str().ends_with(' ') => {
                    out.push_mapped(" ", raw.start..raw.start);
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::CodeBlock => {
                    state.code = state.code.saturating_sub(1);
                    state.mdx_indented = false;
                    out.end_block();
                }
                TagEnd::FootnoteDefinition => {
                    state.footnote_def = state.footnote_def.saturating_sub(1)
                }
                TagEnd::Link if state.autolink > 0 => state.autolink -= 1,
                TagEnd::MetadataBlock(_) => state.metadata = state.metadata.saturating_sub(1),
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Item
                | TagEnd::Table
                | TagEnd::TableHead
                | TagEnd::TableRow
                | TagEnd::TableCell
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition => out.end_block(),
                TagEnd::HtmlBlock => {
                    // What a browser shows of raw HTML in the page is text too.
                    if let Some(block) = html_block.take() {
                        if !state.skipping() {
                            super::html::push_fragment(out, text, block);
                        }
                    }
                    out.end_block();
                }
                _ => {}
            },
            Event::Text(t) => {
                if state.skipping() {
                    continue;
                }
                let raw_text = text.get(raw.clone()).unwrap_or("");
                if state.mdx_indented {
                    // Each line of the block, without its indentation, then a space.
                    for line in t.split_inclusive('\n') {
                        let words = line.trim();
                        if words.is_empty() {
                            continue;
                        }
                        if let Some(at) = raw_text.find(words) {
                            out.push_verbatim(words, raw.start + at);
                            out.push_mapped(
                                " ",
                                raw.start + at + words.len()..raw.start + at + words.len(),
                            );
                        }
                    }
                    continue;
                }
                // What the reader saw (MDX tags already blanked), at the same offsets.
                let seen = source.get(range.clone()).unwrap_or("");
                out.push_decoded(&t, seen, raw.start);
            }
            Event::SoftBreak | Event::HardBreak => {
                if !state.skipping() && out.mid_line() && !out.as_str().ends_with(' ') {
                    out.push_mapped(" ", raw.clone());
                }
            }
            Event::FootnoteReference(label) => {
                if state.skipping() || pending_notes.len() >= limits.max_footnotes {
                    continue;
                }
                pending_notes.push((
                    label.to_string(),
                    Span::new(file, raw.start, raw.end),
                    out.len(),
                ));
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                if let Some(block) = html_block.as_mut() {
                    block.end = block.end.max(raw.end);
                }
                // A comment may run over several events of an HTML block: read it whole,
                // once, from the page text.
                if let Some(rel) = h.find("<!--") {
                    let start = raw.start + rel;
                    if comment_ends.last().is_some_and(|&e| start < e) {
                        continue;
                    }
                    let end = comments::comment_end(text, start);
                    comment_ends.push(end);
                    if let Some(c) = comments::read(file, text, start..end) {
                        if page.comments.len() < limits.max_comments {
                            page.comments.push(c);
                        }
                    }
                }
            }
            Event::Code(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::Rule
            | Event::TaskListMarker(_) => {}
        }
    }
    out.end_block();
    let full = out.as_str();
    for (label, span, at) in pending_notes {
        let sentence = super::sentence_around(full, at);
        let sentence_span = out
            .to_raw(sentence.clone())
            .map_or(span, |r| Span::new(file, r.start, r.end));
        page.footnotes.push(FootnoteRef {
            label,
            span,
            sentence,
            sentence_span,
        });
    }
}

/// An MDX body with its JSX and ES lines turned into spaces (line breaks kept), so that the
/// Markdown reader sees the text children of components as plain paragraphs and every offset
/// stays where it is: `import`/`export` statements, `<Component ...>` tags (opening, closing,
/// self-closing, over several lines), fragments and `{/* comments */}`.
pub(crate) fn blank_mdx(body: &str) -> String {
    let mut out = body.as_bytes().to_vec();
    let bytes = body.as_bytes();
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for b in out.iter_mut().take(to).skip(from) {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    };
    let mut i = 0;
    let mut line_start = true;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(0);
        if line_start
            && (body
                .get(i..)
                .is_some_and(|s| s.starts_with("import ") || s.starts_with("export ")))
        {
            let end = statement_end(bytes, i);
            blank(&mut out, i, end);
            i = end;
            continue;
        }
        line_start = b == b'\n';
        if b == b'<' && starts_tag(bytes, i) {
            let end = tag_end(bytes, i);
            blank(&mut out, i, end);
            i = end;
            continue;
        }
        if b == b'{' && bytes.get(i + 1..i + 3) == Some(b"/*") {
            let end = body
                .get(i..)
                .and_then(|s| s.find("*/}"))
                .map_or(bytes.len(), |k| i + k + 3);
            blank(&mut out, i, end);
            i = end;
            continue;
        }
        i += 1;
    }
    // Only ASCII bytes were written, each over a whole character's bytes.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Whether a `<` at `i` starts a JSX tag: a letter, `/` and a letter, or a fragment `<>`/`</>`.
fn starts_tag(bytes: &[u8], i: usize) -> bool {
    match bytes.get(i + 1) {
        Some(c) if c.is_ascii_alphabetic() => true,
        Some(b'>') => true,
        Some(b'/') => matches!(bytes.get(i + 2), Some(c) if c.is_ascii_alphabetic() || *c == b'>'),
        _ => false,
    }
}

/// Where the tag starting at `i` ends: after its `>`, skipping quoted strings and `{...}`
/// expressions in its attributes.
fn tag_end(bytes: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    while let Some(&c) = bytes.get(j) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'' | b'`') => quote = Some(c),
            (None, b'{') => depth += 1,
            (None, b'}') => depth = depth.saturating_sub(1),
            (None, b'>') if depth == 0 => return j + 1,
            _ => {}
        }
        j += 1;
    }
    bytes.len()
}

/// Where an `import`/`export` statement starting at `i` ends: the end of its line, or of
/// the line that closes its brackets.
fn statement_end(bytes: &[u8], i: usize) -> usize {
    let mut depth = 0isize;
    let mut j = i;
    let mut quote: Option<u8> = None;
    while let Some(&c) = bytes.get(j) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'' | b'`') => quote = Some(c),
            (None, b'{' | b'(' | b'[') => depth += 1,
            (None, b'}' | b')' | b']') => depth -= 1,
            (None, b'\n') if depth <= 0 => return j,
            _ => {}
        }
        j += 1;
    }
    bytes.len()
}
