//! A page file into a message: its fields gathered from its `pages:` entries, its front matter
//! or meta tags, and its text, then validated as any message is.

use super::{Page, PageKind, PageLimits, PageText, looks_binary, read};
use crate::finding::{Finding, Severity};
use crate::model::load::{LOAD_MODEL, LoadedFile, load_entity};
use crate::model::node::{Node, NodeValue};
use crate::model::page::{Citation, PageFacts};
use crate::model::schema::Kind;
use crate::project::pages::PageEntry;
use crate::source::{FileId, Span};
use std::sync::Arc;

/// Rule id of findings for page files that could not be read (broken front matter, binary
/// data, a page too large).
pub(crate) const LOAD_PAGE: &str = "load/page";

/// Fields a page sets itself, whatever its front matter or entry says.
const OWN: &[&str] = &["text", "page"];

/// What one page file contributed.
#[derive(Debug, Default)]
pub struct LoadedPage {
    /// The message (at most one) and the problems met.
    pub(crate) loaded: LoadedFile,
    /// The span given to the message's `text` value, and how that text maps to the file.
    pub(crate) text: Option<(Span, Arc<PageText>)>,
}

/// Reads a Markdown, MDX or HTML file as a page. `path` is its path from the project root
/// (`/`-separated); `entries` are the `pages:` entries that cover it. `None` when the file is
/// not a page: no `align:` front matter or meta tag, and no entry.
pub fn load(
    file: FileId,
    kind: PageKind,
    text: &str,
    path: &str,
    entries: &[&PageEntry],
    limits: &PageLimits,
) -> Option<LoadedPage> {
    if looks_binary(text) {
        if entries.is_empty() {
            return None;
        }
        let mut out = LoadedPage::default();
        out.loaded.is_data = true;
        out.loaded.findings.push(
            Finding::new(
                LOAD_PAGE,
                Severity::Error,
                format!("this file holds binary data, not a {} page", kind.name()),
            )
            .at(Span::new(file, 0, 0))
            .with_help("leave it out of the `pages:` entry that covers it, or replace it with the page's source"),
        );
        return Some(out);
    }
    // Most Markdown and HTML files of a repository are not pages: tell them by a glance at
    // the front matter or for an `align:` meta tag, without reading them through.
    if entries.is_empty() && !may_be_page(kind, text) {
        return None;
    }
    let page = read(file, kind, text, limits);
    if !page.is_page() && entries.is_empty() {
        return None;
    }
    Some(to_message(file, text, path, entries, page))
}

/// Whether a file may be a page by what it holds: an `align` key in its front matter, or
/// (HTML) the `align:` prefix of a meta tag's name somewhere in it.
fn may_be_page(kind: PageKind, text: &str) -> bool {
    match kind {
        PageKind::Html => text.contains("align:"),
        PageKind::Markdown | PageKind::Mdx => super::front::find(text).is_some_and(|b| {
            let content = text.get(b.content.clone()).unwrap_or("");
            super::markdown::says_align(content, b.format)
        }),
    }
}

fn to_message(
    file: FileId,
    text: &str,
    path: &str,
    entries: &[&PageEntry],
    page: Page,
) -> LoadedPage {
    let mut findings: Vec<Finding> = page
        .errors
        .iter()
        .map(|e| {
            Finding::new(LOAD_PAGE, Severity::Error, e.message.clone())
                .at(e.span)
                .with_help(e.help.clone())
        })
        .collect();
    if page.fields_unread {
        // Its fields are unknown: checking the page without them would only mislead.
        let loaded = LoadedFile {
            findings,
            is_data: true,
            ..LoadedFile::default()
        };
        return LoadedPage { loaded, text: None };
    }
    let here = Span::new(file, 0, 0);
    let mut fields: Vec<(Node, Node)> = Vec::new();
    let set = |fields: &mut Vec<(Node, Node)>, k: Node, v: Node| {
        let name = k.as_text().unwrap_or("").to_owned();
        fields.retain(|(old, _)| old.as_text() != Some(name.as_str()));
        fields.push((k, v));
    };
    for entry in entries {
        for (k, v) in &entry.fields {
            set(&mut fields, k.clone(), v.clone());
        }
    }
    // Where the page says it is one: the `align` mapping or its first meta tag.
    let mut anchor = here;
    match page.align.as_ref().map(|a| (a.span, &a.value)) {
        Some((span, NodeValue::Map(own))) => {
            anchor = own.first().map_or(span, |(k, _)| k.span);
            for (k, v) in own.iter() {
                match k.as_text() {
                    Some(name) if OWN.contains(&name) => findings.push(
                        Finding::new(
                            LOAD_MODEL,
                            Severity::Error,
                            format!("a page's `{name}` is the page itself and cannot be set"),
                        )
                        .at(k.span)
                        .with_help("remove it: align reads the page's text from its body, and `page` is its path"),
                    ),
                    _ => set(&mut fields, k.clone(), v.clone()),
                }
            }
        }
        Some((span, NodeValue::Null)) => anchor = span,
        Some((span, other)) => findings.push(
            Finding::new(
                LOAD_MODEL,
                Severity::Error,
                format!(
                    "`align` should be a mapping of the page's message fields, but it is {}",
                    other.describe()
                ),
            )
            .at(span)
            .with_help(
                "write `align:` then indented fields: `id: page-pricing`, `proposition: ...`",
            ),
        ),
        None => {}
    }
    let key = |name: &str, span: Span| Node {
        span,
        value: NodeValue::Text(name.into()),
    };
    let textv = |s: &str, span: Span| Node {
        span,
        value: NodeValue::Text(s.into()),
    };
    let has =
        |fields: &[(Node, Node)], name: &str| fields.iter().any(|(k, _)| k.as_text() == Some(name));
    if !has(&fields, "id") {
        let id = default_id(path);
        fields.insert(0, (key("id", anchor), textv(&id, anchor)));
    }
    if !has(&fields, "channel") {
        fields.push((key("channel", anchor), textv("web", anchor)));
    }
    fields.push((key("page", anchor), textv(path, anchor)));
    let page_text = Arc::new(page.text);
    let text_span = page_text
        .to_raw(0..page_text.as_str().trim_end().len())
        .map_or(anchor, |r| Span::new(file, r.start, r.end));
    fields.push((
        key("text", text_span),
        textv(page_text.as_str().trim_end_matches('\n'), text_span),
    ));
    let node = Node {
        span: Span::new(file, 0, text.len()),
        value: NodeValue::Map(fields.into()),
    };
    let mut loaded = load_entity(text, Kind::Message, node);
    let facts = PageFacts {
        path: path.to_owned(),
        citations: page
            .footnotes
            .into_iter()
            .map(|f| Citation {
                label: f.label,
                sentence: f.sentence_span,
            })
            .collect(),
        comments: page.comments,
    };
    for e in &mut loaded.entities {
        e.page = Some(Box::new(facts.clone()));
    }
    findings.append(&mut loaded.findings);
    loaded.findings = findings;
    LoadedPage {
        loaded,
        text: Some((text_span, page_text)),
    }
}

/// A page's id when it sets none: its path from the project root without the extension.
pub(crate) fn default_id(path: &str) -> String {
    let path = path.trim_start_matches("./");
    match path.rsplit_once('.') {
        Some((stem, ext)) if !ext.contains('/') && !stem.is_empty() => stem.to_owned(),
        _ => path.to_owned(),
    }
}
