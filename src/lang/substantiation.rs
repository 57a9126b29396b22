//! Whether a claim found in a message is substantiated where it stands.
//!
//! The policy's words are the rule's: which frames need a measurement, which evidence kinds
//! measure, which citation phrases count, which facts are lower-is-better all come in as
//! arguments from the rule file (`rules/overpromise.align` declares them in the open). What is
//! fixed here is only where a claim stands: the text it was found in (the message's `text`, or
//! one claim's `text`), and its sentence in that text.

use super::facts::{self, Direction};
use super::functions::World;
use super::numbers;
use super::value::{Mention, Value};
use super::words::{self, WordList};
use crate::model::index::ids_in;
use crate::model::schema::Kind;
use crate::model::voicing;
use crate::model::{EntityId, Model, Node, NodeValue};
use std::ops::Range;

/// What `backed` reads from the rule: the policy, as its word lists.
pub(crate) struct Policy<'a> {
    /// The features whose facts may back a number (the rule passes the message's own, else
    /// its proposition's).
    pub(crate) features: Vec<EntityId>,
    /// Frames whose claims need evidence that measures (`quantified outcome`, `survey`, ...).
    pub(crate) measured_frames: Option<&'a WordList>,
    /// Evidence kinds that measure (`survey`, `analytics`, `experiment`).
    pub(crate) measuring_kinds: Option<&'a WordList>,
    /// Which way facts are better, from their names.
    pub(crate) direction: Direction<'a>,
}

/// Where a claim stands: the text it was found in, and which claim of the message it is
/// (`None`: the message's own text).
struct Place<'m> {
    text: &'m str,
    claim: Option<&'m Node>,
    at: Option<Range<usize>>,
}

/// The texts of a message a claim may stand in: its `text`, then each claim's `text`.
fn texts(entity: &crate::model::Entity) -> Vec<(&Node, Option<&Node>)> {
    let mut out = Vec::new();
    if let Some(n) = entity.get("text") {
        out.push((n, None));
    }
    if let Some(NodeValue::List(claims)) = entity.get("claims").map(|n| &n.value) {
        for claim in claims.iter() {
            if let Some(t) = claim.get("text") {
                out.push((t, Some(claim)));
            }
        }
    }
    out
}

/// The text of the message the words were found in, by their place in the source (else by
/// their words).
fn place<'m>(model: &'m Model, found: &Mention, message: EntityId) -> Option<Place<'m>> {
    let entity = model.entity(message);
    let all = texts(entity);
    if let Some(span) = found.span {
        for (node, claim) in &all {
            if node.span.file == span.file
                && node.span.start <= span.start
                && span.end <= node.span.end
            {
                return Some(Place {
                    text: node.as_text()?,
                    claim: *claim,
                    at: found.at.clone(),
                });
            }
        }
    }
    all.into_iter().find_map(|(node, claim)| {
        let text = node.as_text()?;
        let at = found
            .at
            .clone()
            .filter(|r| text.get(r.clone()) == Some(found.text.as_str()))
            .or_else(|| text.find(&found.text).map(|i| i..i + found.text.len()))?;
        Some(Place {
            text,
            claim,
            at: Some(at),
        })
    })
}

/// The sentence the range stands in, and the one after it.
fn sentence_of<'t>(text: &'t str, at: &Range<usize>) -> (&'t str, &'t str) {
    let all = voicing::sentences(text);
    let k = all
        .iter()
        .position(|r| r.start <= at.start && at.start < r.end.max(r.start + 1));
    let get = |k: Option<usize>| {
        k.and_then(|k| all.get(k))
            .and_then(|r| text.get(r.clone()))
            .unwrap_or("")
    };
    (get(k), get(k.map(|k| k + 1)))
}

/// Whether a pattern finds something in a text.
fn found_in(pattern: &Value<'_>, text: &str) -> Option<Range<usize>> {
    match pattern {
        Value::Regex(r) => r.find(text),
        Value::Words(w) => w.find_all(text).into_iter().next(),
        Value::Text(t, _) => WordList::new(&[t.as_ref()])
            .ok()
            .and_then(|w| w.find_all(text).into_iter().next()),
        Value::Frame(f) => f.patterns.iter().find_map(|p| found_in(p, text)),
        _ => None,
    }
}

/// Whether the sentence a claim stands in cites a basis in words the citation patterns find,
/// or the next sentence is such a citation ("Source: ...", "* ...").
pub(crate) fn cited(
    world: World<'_>,
    found: &Mention,
    message: EntityId,
    citations: &[Value<'_>],
) -> bool {
    let Some(place) = place(world.model, found, message) else {
        return false;
    };
    let Some(at) = place.at else {
        return false;
    };
    let (this, next) = sentence_of(place.text, &at);
    if citations.iter().any(|c| found_in(c, this).is_some()) {
        return true;
    }
    let next = next.trim_start();
    next.starts_with('*')
        || citations
            .iter()
            .any(|c| found_in(c, next).is_some_and(|r| r.start <= 2))
}

/// Whether an evidence item could back a claim of this frame.
fn fits(model: &Model, evidence: EntityId, frame: &str, policy: &Policy<'_>) -> bool {
    if !policy.measured_frames.is_some_and(|w| w.is_match(frame)) {
        return true;
    }
    let e = model.entity(evidence);
    if e.text("kind")
        .is_some_and(|k| policy.measuring_kinds.is_some_and(|w| w.is_match(k)))
    {
        return true;
    }
    // Evidence that states a figure: a sample size, or a number in what it says.
    e.get("sample_size").is_some()
        || ["summary", "quote"]
            .iter()
            .any(|f| e.text(f).is_some_and(|t| !numbers::numbers(t).is_empty()))
}

/// The evidence a reference field names.
fn evidence_in(model: &Model, node: Option<&Node>) -> Vec<EntityId> {
    node.map(|n| {
        ids_in(n)
            .into_iter()
            .filter_map(|(id, _)| model.lookup(Kind::Evidence, id))
            .collect()
    })
    .unwrap_or_default()
}

thread_local! {
    /// The `source`s of the evidence of the model read last, to tell a citation of the
    /// project's own evidence in a sentence.
    static SOURCES: std::cell::RefCell<(u64, Vec<String>)> = const { std::cell::RefCell::new((u64::MAX, Vec::new())) };
}

/// Whether a sentence names an evidence item of the project: its id, or its `source`.
fn names_evidence(model: &Model, sentence: &str) -> bool {
    let ids = sentence
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
        .filter(|t| t.len() > 2)
        .any(|t| model.lookup(Kind::Evidence, t).is_some());
    if ids {
        return true;
    }
    SOURCES.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.0 != model.generation() {
            let mut sources: Vec<String> = model
                .of_kind(Kind::Evidence)
                .iter()
                .filter_map(|e| model.entity(*e).text("source"))
                .filter(|s| s.len() > 3)
                .map(str::to_owned)
                .collect();
            sources.sort();
            sources.dedup();
            *cell = (model.generation(), sources);
        }
        sentence
            .split_whitespace()
            .map(|t| t.trim_matches(|c: char| "()[]<>,;:.!?\"'".contains(c)))
            .any(|t| cell.1.binary_search_by(|s| s.as_str().cmp(t)).is_ok())
    })
}

/// Whether a claim found in a message is substantiated where it stands.
pub(crate) fn backed(
    world: World<'_>,
    found: &Mention,
    message: EntityId,
    policy: &Policy<'_>,
) -> bool {
    let model = world.model;
    let entity = model.entity(message);
    let place = place(model, found, message);
    // Evidence linked to the message, and to the claim the words stand in.
    let mut evidence = evidence_in(model, entity.get("evidence"));
    if let Some(claim) = place.as_ref().and_then(|p| p.claim) {
        evidence.extend(evidence_in(model, claim.get("evidence")));
    }
    if evidence
        .iter()
        .any(|e| fits(model, *e, &found.frame, policy))
    {
        return true;
    }
    // A page's footnote naming an evidence id backs the sentence it is attached to.
    if let (Some(page), Some(span)) = (&entity.page, found.span) {
        if page
            .citations_at(span)
            .any(|label| model.lookup(Kind::Evidence, label).is_some())
        {
            return true;
        }
    }
    // A sentence that names an evidence item of the project.
    if let Some(p) = &place {
        if let Some(at) = &p.at {
            if names_evidence(model, sentence_of(p.text, at).0) {
                return true;
            }
        }
    }
    // Facts of a linked feature that back every number in the claim.
    let found_numbers = numbers::numbers(&found.text);
    if found_numbers.is_empty() {
        return false;
    }
    let features = &policy.features;
    let context = place
        .as_ref()
        .and_then(|p| {
            let at = p.at.clone()?;
            let mut s = at.start.saturating_sub(60);
            while s > 0 && !p.text.is_char_boundary(s) {
                s -= 1;
            }
            let mut e = (at.end + 60).min(p.text.len());
            while e < p.text.len() && !p.text.is_char_boundary(e) {
                e += 1;
            }
            p.text.get(s..e).map(words::words_line)
        })
        .unwrap_or_default();
    found_numbers.iter().all(|n| {
        let m = Mention {
            text: n.text.clone(),
            value: Some(n.value),
            unit: n.unit.clone(),
            qualifier: n.qualifier.clone().unwrap_or_default(),
            fact: format!("{} {}", n.context.join(" "), context),
            ..Mention::default()
        };
        facts::matching_fact(model, &m, features)
            .is_some_and(|(fact, claimed)| !facts::exceeds(&m, &fact, claimed, &policy.direction))
    })
}
