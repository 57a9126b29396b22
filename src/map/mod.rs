//! The alignment map: every entity in a column of its kind, an edge for every reference, each
//! node marked by the concerns its findings raise; with the questions a marketing lead asks,
//! coverage heat maps and headline figures beside it.
//!
//! [`build`] turns a loaded workspace and its findings into a [`Map`] (nodes, edges, order);
//! `html`, `mermaid` and `dot` draw the same map. Columns read the way the work should flow:
//! who the customers are (segments), what they said (evidence), what they need (needs), what
//! the product does (features), what we promise (propositions), and how we say it (messages).
//!
//! Every declaration is a node of its own: two entities sharing an id are both drawn, and
//! marked, so the map counts what `align check` counts.

pub(crate) mod claims;
pub(crate) mod concern;
pub(crate) mod coverage;
pub(crate) mod dot;
pub(crate) mod heat;
pub mod html;
pub mod layout;
pub mod mermaid;
pub mod refs;

pub use concern::Concern;

use crate::finding::{Finding, Severity};
use crate::model::{EntityId, Kind, Model};
use crate::project::Workspace;
use coverage::{Coverage, Headline};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The columns of the map, left to right.
pub(crate) const COLUMNS: [Kind; 7] = [
    Kind::Segment,
    Kind::Evidence,
    Kind::Need,
    Kind::Feature,
    Kind::Proposition,
    Kind::Claim,
    Kind::Message,
];

/// The most entities the page's graph draws at once, unless told otherwise; above it the page
/// asks for a segment, a proposition or a search first.
pub const DEFAULT_MAX_NODES: usize = 400;

/// What to draw.
#[derive(Debug, Clone)]
pub struct MapOptions {
    /// Only this segment's slice: the evidence about it, its needs, their evidence and
    /// features, its propositions, their messages.
    pub segment: Option<String>,
    /// The most entities the page's graph draws at once.
    pub max_nodes: usize,
    /// What was mapped, in words (the paths given), for the page's title.
    pub title: String,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            segment: None,
            max_nodes: DEFAULT_MAX_NODES,
            title: String::from("."),
        }
    }
}

/// Something a node is marked with besides its findings, shown beside its id.
///
/// Marks are drawn in one place on every format (a chip in the page, a line in Mermaid and
/// DOT labels), so a new kind of mark needs a variant here and nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    /// One of several entities of the same kind sharing an id: the `occurrence`-th of `of`,
    /// in the order they were loaded.
    Duplicate {
        /// Which declaration this is, from 1.
        occurrence: usize,
        /// How many share the id.
        of: usize,
    },
}

impl Mark {
    /// The chip's short text.
    pub(crate) fn label(&self) -> String {
        match self {
            Mark::Duplicate { occurrence, of } => format!("duplicate {occurrence}/{of}"),
        }
    }

    /// The chip's CSS class (and the name scripts filter on).
    pub(crate) fn class(&self) -> &'static str {
        match self {
            Mark::Duplicate { .. } => "dup",
        }
    }

    /// What the chip means, in a sentence.
    pub(crate) fn title(&self) -> String {
        match self {
            Mark::Duplicate { occurrence, of } => format!(
                "{of} entities of this kind share this id; this is declaration {occurrence} of {of}"
            ),
        }
    }
}

/// One box on the map: one entity (one declaration, so entities sharing an id are apart).
#[derive(Debug, Clone)]
pub struct MapNode {
    /// The kind of the entity (its column).
    pub kind: Kind,
    /// A key unique on the map: `need:need-x`, with `#2`, `#3`... for the later declarations
    /// of an id that is declared more than once.
    pub key: String,
    /// The entity's id.
    pub id: String,
    /// Which declaration of its id this is, from 1.
    pub(crate) occurrence: usize,
    /// The short text shown under the id: a name, statement, summary or text.
    pub text: String,
    /// A feature's status.
    pub status: Option<String>,
    /// An evidence item's kind and date, `interview, 2026-03-14`.
    pub evidence_kind: Option<String>,
    /// How many evidence items stand behind it (see `refs::evidence_behind`); none for
    /// evidence items.
    pub evidence_count: Option<usize>,
    /// Its worst finding's severity, if it has findings.
    pub severity: Option<Severity>,
    /// The concerns its findings raise, in `Concern::ALL` order.
    pub concerns: Vec<Concern>,
    /// Its findings, as indices into [`Map::findings`].
    pub findings: Vec<usize>,
    /// Where it is declared, `path:line`.
    pub(crate) location: Option<String>,
    /// Its `owner`.
    pub(crate) owner: Option<String>,
    /// A message's `channel`.
    pub(crate) channel: Option<String>,
    /// The segment nodes whose slice holds it (see [`slice`]).
    pub(crate) segments: Vec<usize>,
    /// Its marks: duplicate declarations.
    pub marks: Vec<Mark>,
}

impl MapNode {
    /// The short facts shown with a node in diagrams: status, evidence kind, evidence count,
    /// marks.
    pub(crate) fn facts(&self) -> Vec<String> {
        let mut facts: Vec<String> = Vec::new();
        if let Some(s) = &self.status {
            facts.push(s.clone());
        }
        if let Some(k) = &self.evidence_kind {
            facts.push(k.clone());
        }
        if let Some(n) = self.evidence_count {
            facts.push(format!("{n} evidence"));
        }
        facts.extend(self.marks.iter().map(Mark::label));
        facts
    }
}

/// A line between two nodes: one reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapEdge {
    /// The node in the column further left.
    pub from: usize,
    /// The node in the column further right.
    pub to: usize,
    /// Whether the reference is evidence contradicting a proposition.
    pub contradicts: bool,
}

/// The answers to the questions the page opens with, as node indices in map order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Questions {
    /// Propositions that rest on no evidence, their own or their needs'.
    pub unbacked_propositions: Vec<usize>,
    /// Messages with a finding of the overpromise concern.
    pub overpromising_messages: Vec<usize>,
    /// High-priority needs that no shipped feature addresses.
    pub unaddressed_needs: Vec<usize>,
}

/// A drawn map, ready for any renderer.
#[derive(Debug, Clone)]
pub struct Map {
    /// What was mapped, in words.
    pub(crate) title: String,
    /// The segment the map is limited to.
    pub(crate) segment: Option<String>,
    /// The most entities the page's graph draws at once.
    pub(crate) max_nodes: usize,
    /// Every node.
    pub nodes: Vec<MapNode>,
    /// Node indices per column of [`COLUMNS`], top to bottom.
    pub columns: [Vec<usize>; 7],
    /// Every edge, sorted.
    pub edges: Vec<MapEdge>,
    /// Entities on the map, by kind in [`COLUMNS`] order (every declaration counts).
    pub counts: [usize; 7],
    /// The findings about what is on the map, and the problems loading files.
    pub findings: Vec<Finding>,
    /// `path:line` of each finding (empty when it has no place).
    pub(crate) finding_locations: Vec<String>,
    /// The node each finding is about, if it is on the map.
    pub finding_nodes: Vec<Option<usize>>,
    /// The coverage rows of needs and propositions.
    pub(crate) coverage: Coverage,
    /// The headline figures.
    pub headline: Headline,
    /// The answers to the page's opening questions.
    pub questions: Questions,
    /// The coverage heat maps, a row per segment.
    pub heat: heat::Heat,
    /// Rule summaries by rule id, for the findings section.
    pub(crate) rule_summaries: BTreeMap<String, String>,
}

impl Map {
    /// How many entities the map holds.
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }
}

/// Why a map cannot be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MapError {
    /// `--segment` names a segment that does not exist.
    UnknownSegment {
        /// The id given.
        id: String,
        /// A close id, if there is one.
        suggestion: Option<String>,
    },
}

impl std::fmt::Display for MapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MapError::UnknownSegment { id, suggestion } => {
                write!(f, "there is no segment `{id}`")?;
                match suggestion {
                    Some(s) => write!(f, "; did you mean `{s}`?"),
                    None => write!(f, "; `--segment` takes the id of one of your segments"),
                }
            }
        }
    }
}

/// The index of a kind's column.
pub fn column_of(kind: Kind) -> usize {
    match kind {
        Kind::Segment => 0,
        Kind::Evidence => 1,
        Kind::Need => 2,
        Kind::Feature => 3,
        Kind::Proposition => 4,
        Kind::Claim => 5,
        Kind::Message => 6,
    }
}

/// The kind whose singular name is `name`.
fn kind_named(name: &str) -> Option<Kind> {
    Kind::ALL.into_iter().find(|k| k.singular() == name)
}

/// The key of an entity's node: `kind:id`, and `#N` after it for the N-th declaration of an
/// id declared more than once (N from 2).
fn entity_key(kind: Kind, id: &str, occurrence: usize) -> String {
    if occurrence > 1 {
        format!("{}:{id}#{occurrence}", kind.singular())
    } else {
        format!("{}:{id}", kind.singular())
    }
}

/// Builds the map of a loaded workspace, given the findings `ws.check()` returned.
pub fn build(ws: &Workspace, findings: &[Finding], opts: &MapOptions) -> Result<Map, MapError> {
    let model = &ws.model;
    let scope = scope(model, opts.segment.as_deref())?;

    // One node per declaration: entities sharing an id are drawn apart and marked.
    let mut nodes: Vec<MapNode> = Vec::new();
    let mut entities: Vec<EntityId> = Vec::new();
    let mut node_of: HashMap<EntityId, usize> = HashMap::new();
    let mut by_id: HashMap<(Kind, &str), Vec<usize>> = HashMap::new();
    for kind in COLUMNS {
        for &eid in model.of_kind(kind) {
            if !scope.contains(&eid) {
                continue;
            }
            let e = model.entity(eid);
            let same = by_id.entry((kind, e.id.as_str())).or_default();
            let i = nodes.len();
            same.push(i);
            node_of.insert(eid, i);
            entities.push(eid);
            nodes.push(entity_node(ws, eid, same.len()));
        }
    }
    for same in by_id.values().filter(|s| s.len() > 1) {
        for (n, &i) in same.iter().enumerate() {
            if let Some(node) = nodes.get_mut(i) {
                node.marks.push(Mark::Duplicate {
                    occurrence: n + 1,
                    of: same.len(),
                });
            }
        }
    }

    // An edge for every reference between two entities on the map.
    let mut edge_set: BTreeMap<(usize, usize), bool> = BTreeMap::new();
    for (&eid, &a) in &node_of {
        let kind = model.entity(eid).kind;
        for r in refs::references(model, eid) {
            let Some(&b) = node_of.get(&r.target) else {
                continue;
            };
            if a == b {
                continue;
            }
            let (from, to) = if column_of(kind) <= column_of(model.entity(r.target).kind) {
                (a, b)
            } else {
                (b, a)
            };
            *edge_set.entry((from, to)).or_insert(false) |= r.field == "contradicts";
        }
    }
    let edges: Vec<MapEdge> = edge_set
        .into_iter()
        .map(|((from, to), contradicts)| MapEdge {
            from,
            to,
            contradicts,
        })
        .collect();

    // Which segments' slices each node is in.
    for (s, &seg) in entities.iter().enumerate() {
        if model.entity(seg).kind != Kind::Segment {
            continue;
        }
        for member in slice(model, seg) {
            if let Some(n) = node_of.get(&member).and_then(|&i| nodes.get_mut(i)) {
                if !n.segments.contains(&s) {
                    n.segments.push(s);
                }
            }
        }
    }

    // Findings about what is on the map, and every problem that has no entity. A finding
    // about an id declared more than once goes to the declaration it points into.
    let mut kept: Vec<Finding> = Vec::new();
    let mut finding_nodes: Vec<Option<usize>> = Vec::new();
    for f in findings {
        let candidates = f
            .entity
            .as_ref()
            .and_then(|r| kind_named(r.kind).map(|k| (k, r.id.as_str())))
            .and_then(|k| by_id.get(&k));
        if f.entity.is_some() && candidates.is_none() {
            continue;
        }
        let node = candidates.and_then(|list| {
            let inside = f.span.and_then(|s| {
                list.iter().copied().find(|&i| {
                    entities.get(i).is_some_and(|&eid| {
                        let span = model.entity(eid).span;
                        span.file == s.file && span.start <= s.start && s.start <= span.end
                    })
                })
            });
            inside.or_else(|| list.first().copied())
        });
        if let Some(n) = node.and_then(|i| nodes.get_mut(i)) {
            n.findings.push(kept.len());
            n.severity = n.severity.max(Some(f.severity));
            let c = Concern::of_rule(&f.rule);
            if !n.concerns.contains(&c) {
                n.concerns.push(c);
                n.concerns.sort_unstable();
            }
        }
        finding_nodes.push(node);
        kept.push(f.clone());
    }
    let finding_locations = kept
        .iter()
        .map(|f| {
            f.span
                .and_then(|s| {
                    ws.sources.range(s).map(|(start, _)| {
                        format!("{}:{}", ws.sources.path(s.file).display(), start.line)
                    })
                })
                .unwrap_or_default()
        })
        .collect();

    let mut counts = [0; 7];
    for n in &nodes {
        if let Some(count) = counts.get_mut(column_of(n.kind)) {
            *count += 1;
        }
    }
    let coverage = coverage::coverage(model, &entities);
    let questions = questions(&nodes, &coverage);
    let headline = headline(&nodes, &coverage, &questions);

    let mut columns: [Vec<usize>; 7] = Default::default();
    for (i, n) in nodes.iter().enumerate() {
        if let Some(column) = columns.get_mut(column_of(n.kind)) {
            column.push(i);
        }
    }
    let node_columns: Vec<usize> = nodes.iter().map(|n| column_of(n.kind)).collect();
    let pairs: Vec<(usize, usize)> = edges.iter().map(|e| (e.from, e.to)).collect();
    layout::order(&mut columns, &pairs, &node_columns);
    let rank = ranks(&columns, nodes.len());
    let by_rank = |list: &mut Vec<usize>| list.sort_by_key(|&i| rank.get(i).copied());
    let mut questions = questions;
    by_rank(&mut questions.unbacked_propositions);
    by_rank(&mut questions.overpromising_messages);
    by_rank(&mut questions.unaddressed_needs);

    let rule_summaries = ws
        .rules
        .rules
        .iter()
        .map(|r| (r.id.clone(), r.summary.clone()))
        .collect();
    let heat = heat::heat(&nodes, &coverage, &kept);

    Ok(Map {
        title: opts.title.clone(),
        segment: opts.segment.clone(),
        max_nodes: opts.max_nodes,
        nodes,
        columns,
        edges,
        counts,
        findings: kept,
        finding_locations,
        finding_nodes,
        coverage,
        headline,
        questions,
        heat,
        rule_summaries,
    })
}

/// Each node's place in its column, top to bottom.
fn ranks(columns: &[Vec<usize>], n: usize) -> Vec<usize> {
    let mut rank = vec![0; n];
    for column in columns {
        for (r, &i) in column.iter().enumerate() {
            if let Some(slot) = rank.get_mut(i) {
                *slot = r;
            }
        }
    }
    rank
}

/// The answers to the opening questions, from the nodes and the coverage rows.
fn questions(nodes: &[MapNode], cov: &Coverage) -> Questions {
    Questions {
        unbacked_propositions: cov
            .propositions
            .iter()
            .filter(|r| r.rests_on() == coverage::RestsOn::Nothing)
            .map(|r| r.node)
            .collect(),
        overpromising_messages: nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind == Kind::Message && n.concerns.contains(&Concern::Overpromise))
            .map(|(i, _)| i)
            .collect(),
        unaddressed_needs: cov
            .needs
            .iter()
            .filter(|r| r.priority.as_deref() == Some("high") && r.features[0].is_empty())
            .map(|r| r.node)
            .collect(),
    }
}

/// The headline figures: the share of each kind the questions do not name.
fn headline(nodes: &[MapNode], cov: &Coverage, q: &Questions) -> Headline {
    let share = |total: usize, bad: usize| coverage::Figure {
        count: total.saturating_sub(bad),
        total,
    };
    let messages = nodes.iter().filter(|n| n.kind == Kind::Message).count();
    let high = cov
        .needs
        .iter()
        .filter(|r| r.priority.as_deref() == Some("high"))
        .count();
    Headline {
        propositions_on_evidence: share(cov.propositions.len(), q.unbacked_propositions.len()),
        messages_substantiated: share(messages, q.overpromising_messages.len()),
        high_needs_shipped: share(high, q.unaddressed_needs.len()),
    }
}

/// The entities the map covers: all, or the slices of every segment declared with the id.
fn scope(model: &Model, segment: Option<&str>) -> Result<HashSet<EntityId>, MapError> {
    let Some(id) = segment else {
        return Ok(model.entities().map(|(eid, _)| eid).collect());
    };
    if model.lookup(Kind::Segment, id).is_none() {
        let ids = model
            .of_kind(Kind::Segment)
            .iter()
            .map(|s| model.entity(*s).id.as_str());
        return Err(MapError::UnknownSegment {
            id: id.to_owned(),
            suggestion: crate::model::schema::did_you_mean(id, ids).map(str::to_owned),
        });
    }
    Ok(model
        .of_kind(Kind::Segment)
        .iter()
        .filter(|s| model.entity(**s).id == id)
        .flat_map(|&s| slice(model, s))
        .collect())
}

/// A segment's slice: the segment, the evidence about it, its needs, the evidence and
/// features of those needs, its propositions and their messages.
pub(crate) fn slice(model: &Model, seg: EntityId) -> Vec<EntityId> {
    let mut out = vec![seg];
    out.extend_from_slice(model.backlink(seg, "evidence"));
    for &need in model.backlink(seg, "needs") {
        out.push(need);
        out.extend_from_slice(model.backlink(need, "evidence"));
        out.extend_from_slice(model.backlink(need, "features"));
    }
    for &prop in model.backlink(seg, "propositions") {
        out.push(prop);
        out.extend_from_slice(model.backlink(prop, "messages"));
    }
    let mut seen = HashSet::new();
    out.retain(|e| seen.insert(*e));
    out
}

/// The node of one entity, the `occurrence`-th declaration of its id.
fn entity_node(ws: &Workspace, eid: EntityId, occurrence: usize) -> MapNode {
    let model = &ws.model;
    let e = model.entity(eid);
    let text = match e.kind {
        Kind::Segment | Kind::Feature => e.text("name"),
        Kind::Need | Kind::Proposition => e.text("statement"),
        Kind::Evidence => e.text("summary").or_else(|| e.text("quote")),
        Kind::Message => e.text("name").or_else(|| e.text("text")),
        Kind::Claim => e.text("text"),
    }
    .or_else(|| e.text("name"))
    .unwrap_or("")
    .split_whitespace()
    .collect::<Vec<_>>()
    .join(" ");
    // A message read from a page file is marked as one, with its path.
    let text = match &e.page {
        Some(page) => format!("page {} · {text}", page.path),
        None => text,
    };
    let evidence_kind = (e.kind == Kind::Evidence).then(|| {
        let date = e
            .get("date")
            .map(|d| ws.sources.text(d.span).trim_matches(['"', '\'']).to_owned())
            .unwrap_or_default();
        let kind = e.text("kind").unwrap_or("evidence");
        if date.is_empty() {
            kind.to_owned()
        } else {
            format!("{kind}, {date}")
        }
    });
    let location = ws
        .sources
        .range(e.id_span)
        .map(|(start, _)| format!("{}:{}", ws.sources.path(e.file).display(), start.line));
    let word = |field: &str| {
        e.text(field)
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|s| !s.is_empty())
    };
    MapNode {
        kind: e.kind,
        key: entity_key(e.kind, &e.id, occurrence),
        id: e.id.to_string(),
        occurrence,
        text,
        // A library claim shows its status like a feature: draft, approved or withdrawn.
        status: matches!(e.kind, Kind::Feature | Kind::Claim)
            .then(|| match e.text("status") {
                None if e.kind == Kind::Claim => Some("draft".to_owned()),
                s => s.map(str::to_owned),
            })
            .flatten(),
        evidence_kind,
        evidence_count: (e.kind != Kind::Evidence).then(|| refs::evidence_behind(model, eid).len()),
        severity: None,
        concerns: Vec::new(),
        findings: Vec::new(),
        location,
        owner: word("owner"),
        channel: (e.kind == Kind::Message).then(|| word("channel")).flatten(),
        segments: Vec::new(),
        marks: Vec::new(),
    }
}

/// Thousands separated by commas, for figures on the page.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A text cut to at most `max` characters, with an ellipsis when cut.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out = out.trim_end().to_owned();
    out.push('…');
    out
}

/// A word with its first letter in capitals (`needs` → `Needs`), for column titles.
pub(crate) fn title_case(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
