//! Quick fixes offered on findings.
//!
//! - *Suppress with a reason*: ` # align-ignore: RULE -- ` at the end of the finding's line,
//!   the reason left for the author to write (until they do, `hygiene/suppression` says it
//!   is missing). When that line ends inside a text (a block scalar, a multi-line or quoted
//!   text), a comment there would become part of the text, so the suppression goes into the
//!   entity's `ignore` list instead.
//! - *Mention beta*: for `overpromise/unshipped-feature` on a beta feature, "(beta)" is added
//!   to the message text, after the feature's name when the text names it, else in front.

use super::project::Project;
use crate::finding::Finding;
use crate::lang::functions::span_in;
use crate::model::entity::Entity;
use crate::model::schema::Kind;
use crate::model::{Node, NodeValue};
use crate::source::{Sources, Span};

/// `overpromise/unshipped-feature`.
pub(crate) const UNSHIPPED_FEATURE: &str = "overpromise/unshipped-feature";

/// One edit: replace the bytes `start..end` of the finding's file with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edit {
    /// First byte replaced.
    pub(crate) start: usize,
    /// One past the last byte replaced.
    pub(crate) end: usize,
    /// The new text.
    pub(crate) text: String,
}

/// A quick fix: a title and its edits, all in the file of the finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fix {
    /// What the fix does, as the editor's menu shows it.
    pub(crate) title: String,
    /// The edits.
    pub(crate) edits: Vec<Edit>,
}

/// Every scalar node of a value tree (mapping keys included).
fn scalars<'a>(node: &'a Node, out: &mut Vec<&'a Node>) {
    match &node.value {
        NodeValue::List(items) => items.iter().for_each(|i| scalars(i, out)),
        NodeValue::Map(entries) => {
            for (k, v) in entries {
                scalars(k, out);
                scalars(v, out);
            }
        }
        _ => out.push(node),
    }
}

/// Whether a comment appended to the line `line_start..line_end` would land inside a text
/// value: a scalar that runs past the end of the line, or a line that only continues a
/// scalar begun above (block scalar content, folded plain text).
fn line_ends_inside_text(
    text: &str,
    entity: Option<&Entity>,
    sources: &Sources,
    line_start: usize,
    line_end: usize,
) -> bool {
    let Some(e) = entity else { return false };
    let mut nodes = Vec::new();
    for f in &e.fields {
        scalars(&f.value, &mut nodes);
    }
    nodes.iter().any(|n| {
        let span = crate::lang::functions::trim_span(sources, n.span);
        let (start, end) = (span.start as usize, span.end as usize);
        if end <= line_start || start > line_end {
            return false;
        }
        if end > line_end {
            return true;
        }
        let prefix = text.get(line_start..start.max(line_start)).unwrap_or("");
        start >= line_start && prefix.trim().is_empty()
    })
}

/// The entity a finding is about, among the entities of its file.
fn entity_of<'a>(finding: &Finding, entities: &'a [Entity]) -> Option<&'a Entity> {
    let about = finding.entity.as_ref()?;
    let span = finding.span?;
    entities
        .iter()
        .filter(|e| e.kind.singular() == about.kind && e.id == about.id)
        .min_by_key(|e| {
            // The one holding the finding's span (ids may be declared twice).
            let inside = e.span.start <= span.start && span.end <= e.span.end;
            (!inside, e.span.start.abs_diff(span.start))
        })
}

/// "Suppress with a reason" for a finding in a file whose text and entities are given: a
/// trailing `# align-ignore: RULE -- ` comment, the cursor's next words being the reason.
/// `None` where no comment can go (the finding's line continues a text value).
pub(crate) fn suppress(
    finding: &Finding,
    text: &str,
    entities: &[Entity],
    sources: &Sources,
) -> Option<Fix> {
    if finding.rule.starts_with("load/") || finding.rule == crate::rules::hygiene::SUPPRESSION {
        return None;
    }
    let span = finding.span?;
    let start = (span.start as usize).min(text.len());
    let line_start = text.get(..start)?.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let rest = text.get(line_start..)?;
    let mut line_end = line_start + rest.find('\n').unwrap_or(rest.len());
    if text.get(..line_end)?.ends_with('\r') {
        line_end -= 1;
    }
    let entity = entity_of(finding, entities);
    let title = format!("Suppress `{}` here, with a reason", finding.rule);
    if sources.is_page(span.file) && !crate::page::front::holds(text, start) {
        // In a page's body: a comment at the end of the line, as the page's markup writes it.
        return Some(Fix {
            title,
            edits: vec![Edit {
                start: line_end,
                end: line_end,
                text: format!(" <!-- align-ignore: {} --  -->", finding.rule),
            }],
        });
    }
    if !line_ends_inside_text(text, entity, sources, line_start, line_end) {
        return Some(Fix {
            title,
            edits: vec![Edit {
                start: line_end,
                end: line_end,
                text: format!(" # align-ignore: {} -- ", finding.rule),
            }],
        });
    }
    // Inside a text value a comment would become part of the copy, and an `ignore:` entry
    // written for the user could only carry an empty reason, which silences the finding
    // before anyone has said why. So no quick fix is offered there: the suppression is
    // written by hand, reason first.
    None
}

/// "Mention beta" for an unshipped-feature finding whose feature is in beta.
pub(crate) fn mention_beta(
    finding: &Finding,
    entities: &[Entity],
    project: &Project,
) -> Option<Fix> {
    if finding.rule != UNSHIPPED_FEATURE {
        return None;
    }
    let sources = &project.sources;
    let span = finding.span?;
    let feature_id = sources.text(span).trim().trim_matches(['"', '\'']);
    let feature = *project.declared(Kind::Feature, feature_id).first()?;
    if feature.text("status") != Some("beta") {
        return None;
    }
    let message = entity_of(finding, entities)?;
    let node = message.get("text")?;
    let value = node.as_text()?;
    let name = feature.text("name").unwrap_or(&feature.id);
    // After the feature's name when the text names it, else in front of the text. (ASCII
    // lowercasing keeps byte offsets, so an index in the copy is one in the text.)
    let lower = value.to_ascii_lowercase();
    let (at, insert) = match lower.find(&name.to_ascii_lowercase()) {
        Some(i) if value.is_char_boundary(i + name.len()) => (i + name.len(), " (beta)"),
        _ => (0, "(beta) "),
    };
    let raw: Span = span_in(sources, Some(node), value, at..at)?;
    Some(Fix {
        title: format!("Say that `{}` is in beta", feature.id),
        edits: vec![Edit {
            start: raw.start as usize,
            end: raw.start as usize,
            text: insert.to_owned(),
        }],
    })
}
