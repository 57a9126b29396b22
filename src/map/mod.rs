//! The alignment map: every entity in a column of its kind, an edge for every reference, each
//! node coloured by its worst finding; with coverage tables and headline figures beside it.
//!
//! [`build`] turns a loaded workspace and its findings into a [`Map`] (nodes, edges, order);
//! `html`, `mermaid` and `dot` draw the same map. Columns read the way the work should flow:
//! who the customers are (segments), what they said (evidence), what they need (needs), what
//! the product does (features), what we promise (propositions), and how we say it (messages).
//!
//! A map of more than [`MapOptions::max_nodes`] entities is drawn one box per segment in each
//! column (or, when even that is too many, one box per column), and says so.

pub mod coverage;
pub mod dot;
pub mod html;
pub mod layout;
pub mod mermaid;
pub mod refs;

use crate::finding::{Finding, Severity};
use crate::model::{EntityId, Kind, Model};
use crate::project::Workspace;
use coverage::{Coverage, Headline};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The columns of the map, left to right.
pub const COLUMNS: [Kind; 6] = [
    Kind::Segment,
    Kind::Evidence,
    Kind::Need,
    Kind::Feature,
    Kind::Proposition,
    Kind::Message,
];

/// Above this many entities the map groups them by segment, unless told otherwise.
pub const DEFAULT_MAX_NODES: usize = 600;

/// What to draw.
#[derive(Debug, Clone)]
pub struct MapOptions {
    /// Only this segment's slice: its needs, their evidence and features, its propositions,
    /// their messages.
    pub segment: Option<String>,
    /// The most entities drawn one by one; above it the map groups them.
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

/// How much the map shows of each entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// One node per entity.
    Entities,
    /// One node per segment in each column.
    BySegment,
    /// One node per column.
    ByKind,
}

/// One box on the map: an entity, or a group of entities.
#[derive(Debug, Clone)]
pub struct MapNode {
    /// The kind of the entities it stands for (its column).
    pub kind: Kind,
    /// A key unique on the map: `need:need-x`, or `group:need:seg-x` for a group.
    pub key: String,
    /// The entity's id, or the group's name (a segment id, `(no segment)`, or the kind).
    pub id: String,
    /// The short text shown under the id: a name, statement, summary or text.
    pub text: String,
    /// A feature's status.
    pub status: Option<String>,
    /// An evidence item's kind and date, `interview, 2026-03-14`.
    pub evidence_kind: Option<String>,
    /// How many evidence items stand behind it (see [`refs::evidence_behind`]); none for
    /// evidence items and groups.
    pub evidence_count: Option<usize>,
    /// Its worst finding's severity, if it has findings.
    pub severity: Option<Severity>,
    /// Its findings, as indices into [`Map::findings`].
    pub findings: Vec<usize>,
    /// How many entities it stands for (1 for an entity).
    pub members: usize,
    /// Where it is declared, `path:line` (entities only).
    pub location: Option<String>,
    /// Whether it is a group rather than one entity.
    pub group: bool,
}

impl MapNode {
    /// A node with only its kind and id, for linking to an entity's box.
    pub fn bare(kind: Kind, id: &str) -> MapNode {
        MapNode {
            kind,
            key: String::new(),
            id: id.to_owned(),
            text: String::new(),
            status: None,
            evidence_kind: None,
            evidence_count: None,
            severity: None,
            findings: Vec::new(),
            members: 1,
            location: None,
            group: false,
        }
    }

    /// The short facts shown with a node in diagrams: status, evidence kind, evidence count.
    pub fn facts(&self) -> Vec<String> {
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
        facts
    }
}

/// A line between two nodes: one reference or more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapEdge {
    /// The node in the column further left.
    pub from: usize,
    /// The node in the column further right.
    pub to: usize,
    /// Whether the reference is evidence contradicting a proposition.
    pub contradicts: bool,
    /// How many references it stands for (more than one only between groups).
    pub count: usize,
}

/// A drawn map, ready for any renderer.
#[derive(Debug, Clone)]
pub struct Map {
    /// What was mapped, in words.
    pub title: String,
    /// The segment the map is limited to.
    pub segment: Option<String>,
    /// How much of each entity it shows.
    pub detail: Detail,
    /// Why it groups, when it does, in plain words.
    pub notice: Option<String>,
    /// Every node.
    pub nodes: Vec<MapNode>,
    /// Node indices per column of [`COLUMNS`], top to bottom.
    pub columns: [Vec<usize>; 6],
    /// Every edge, sorted.
    pub edges: Vec<MapEdge>,
    /// Entities on the map (before grouping), by kind in [`COLUMNS`] order.
    pub counts: [usize; 6],
    /// The findings about what is on the map, and the problems loading files.
    pub findings: Vec<Finding>,
    /// `path:line` of each finding (empty when it has no place).
    pub finding_locations: Vec<String>,
    /// The node each finding is about, if it is on the map.
    pub finding_nodes: Vec<Option<usize>>,
    /// The coverage tables.
    pub coverage: Coverage,
    /// The headline figures.
    pub headline: Headline,
    /// Rule summaries by rule id, for the findings section.
    pub rule_summaries: BTreeMap<String, String>,
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
        Kind::Message => 5,
    }
}

/// The kind whose singular name is `name`.
fn kind_named(name: &str) -> Option<Kind> {
    Kind::ALL.into_iter().find(|k| k.singular() == name)
}

/// The key of an entity's node.
fn entity_key(kind: Kind, id: &str) -> String {
    format!("{}:{id}", kind.singular())
}

/// Builds the map of a loaded workspace, given the findings `ws.check()` returned.
pub fn build(ws: &Workspace, findings: &[Finding], opts: &MapOptions) -> Result<Map, MapError> {
    let model = &ws.model;
    let scope = scope(model, opts.segment.as_deref())?;

    // One node per (kind, id): a duplicate id is one box, with the duplicate's findings.
    let mut nodes: Vec<MapNode> = Vec::new();
    let mut node_of: HashMap<EntityId, usize> = HashMap::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut representative: Vec<EntityId> = Vec::new();
    for kind in COLUMNS {
        for &eid in model.of_kind(kind) {
            if !scope.contains(&eid) {
                continue;
            }
            let e = model.entity(eid);
            let key = entity_key(kind, &e.id);
            if let Some(&i) = by_key.get(&key) {
                node_of.insert(eid, i);
                continue;
            }
            let i = nodes.len();
            by_key.insert(key.clone(), i);
            node_of.insert(eid, i);
            representative.push(eid);
            nodes.push(entity_node(ws, eid, key));
        }
    }

    // An edge for every reference between two entities on the map.
    let mut edge_set: BTreeMap<(usize, usize), bool> = BTreeMap::new();
    for (eid, e) in model.entities() {
        let Some(&a) = node_of.get(&eid) else {
            continue;
        };
        for r in refs::references(model, eid) {
            let Some(&b) = node_of.get(&r.target) else {
                continue;
            };
            if a == b {
                continue;
            }
            let (from, to) = if column_of(e.kind) <= column_of(model.entity(r.target).kind) {
                (a, b)
            } else {
                (b, a)
            };
            let contradicts = r.field == "contradicts";
            let entry = edge_set.entry((from, to)).or_insert(contradicts);
            *entry |= contradicts;
        }
    }
    let mut edges: Vec<MapEdge> = edge_set
        .into_iter()
        .map(|((from, to), contradicts)| MapEdge {
            from,
            to,
            contradicts,
            count: 1,
        })
        .collect();

    // Findings about what is on the map, and every problem that has no entity.
    let mut kept: Vec<Finding> = Vec::new();
    let mut finding_nodes: Vec<Option<usize>> = Vec::new();
    for f in findings {
        let node = f
            .entity
            .as_ref()
            .and_then(|r| kind_named(r.kind).map(|k| entity_key(k, &r.id)))
            .and_then(|key| by_key.get(&key).copied());
        if f.entity.is_some() && node.is_none() {
            continue;
        }
        if let Some(n) = node.and_then(|i| nodes.get_mut(i)) {
            n.findings.push(kept.len());
            n.severity = n.severity.max(Some(f.severity));
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

    let mut counts = [0; 6];
    for n in &nodes {
        counts[column_of(n.kind)] += 1;
    }
    let coverage = coverage::coverage(model, &representative);
    let headline = coverage::headline(model, &representative, &kept);

    // Too many to draw one by one: group.
    let total = nodes.len();
    let mut detail = Detail::Entities;
    let mut notice = None;
    if total > opts.max_nodes {
        let by_segment = group(model, &nodes, &representative, &edges, Detail::BySegment);
        let (grouped, detail_now) = if by_segment.0.len() <= opts.max_nodes {
            (by_segment, Detail::BySegment)
        } else {
            (
                group(model, &nodes, &representative, &edges, Detail::ByKind),
                Detail::ByKind,
            )
        };
        let (group_nodes, group_edges, group_of) = grouped;
        finding_nodes = finding_nodes
            .into_iter()
            .map(|n| n.and_then(|i| group_of.get(i).copied()))
            .collect();
        nodes = group_nodes;
        edges = group_edges;
        detail = detail_now;
        notice = Some(grouping_notice(total, opts.max_nodes, detail));
    }

    let mut columns: [Vec<usize>; 6] = Default::default();
    for (i, n) in nodes.iter().enumerate() {
        columns[column_of(n.kind)].push(i);
    }
    let node_columns: Vec<usize> = nodes.iter().map(|n| column_of(n.kind)).collect();
    let pairs: Vec<(usize, usize)> = edges.iter().map(|e| (e.from, e.to)).collect();
    layout::order(&mut columns, &pairs, &node_columns);

    let rule_summaries = ws
        .rules
        .rules
        .iter()
        .map(|r| (r.id.clone(), r.summary.clone()))
        .collect();

    Ok(Map {
        title: opts.title.clone(),
        segment: opts.segment.clone(),
        detail,
        notice,
        nodes,
        columns,
        edges,
        counts,
        findings: kept,
        finding_locations,
        finding_nodes,
        coverage,
        headline,
        rule_summaries,
    })
}

/// The entities the map covers: all, or one segment's slice.
fn scope(model: &Model, segment: Option<&str>) -> Result<HashSet<EntityId>, MapError> {
    let Some(id) = segment else {
        return Ok(model.entities().map(|(eid, _)| eid).collect());
    };
    let Some(seg) = model.lookup(Kind::Segment, id) else {
        let ids = model
            .of_kind(Kind::Segment)
            .iter()
            .map(|s| model.entity(*s).id.as_str());
        return Err(MapError::UnknownSegment {
            id: id.to_owned(),
            suggestion: crate::model::schema::did_you_mean(id, ids).map(str::to_owned),
        });
    };
    let mut scope: HashSet<EntityId> = HashSet::new();
    // Every declaration of the segment's id, so a duplicate is on its own map too.
    scope.extend(
        model
            .of_kind(Kind::Segment)
            .iter()
            .filter(|s| model.entity(**s).id == id),
    );
    for &need in model.backlink(seg, "needs") {
        scope.insert(need);
        scope.extend(model.backlink(need, "evidence"));
        scope.extend(model.backlink(need, "features"));
    }
    for &prop in model.backlink(seg, "propositions") {
        scope.insert(prop);
        scope.extend(model.backlink(prop, "messages"));
    }
    Ok(scope)
}

/// The node of one entity.
fn entity_node(ws: &Workspace, eid: EntityId, key: String) -> MapNode {
    let model = &ws.model;
    let e = model.entity(eid);
    let text = match e.kind {
        Kind::Segment | Kind::Feature => e.text("name"),
        Kind::Need | Kind::Proposition => e.text("statement"),
        Kind::Evidence => e.text("summary").or_else(|| e.text("quote")),
        Kind::Message => e.text("name").or_else(|| e.text("text")),
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
    MapNode {
        kind: e.kind,
        key,
        id: e.id.clone(),
        text,
        status: (e.kind == Kind::Feature)
            .then(|| e.text("status").map(str::to_owned))
            .flatten(),
        evidence_kind,
        evidence_count: (e.kind != Kind::Evidence).then(|| refs::evidence_behind(model, eid).len()),
        severity: None,
        findings: Vec::new(),
        members: 1,
        location,
        group: false,
    }
}

/// A group's name when its entities have no segment.
const NO_SEGMENT: &str = "(no segment)";

/// The segment an entity is grouped under: its own, else the one most of what it is about
/// belongs to (the first of those, on a tie), so a feature for needs of several segments
/// goes with the segment it serves most.
fn segment_of(model: &Model, eid: EntityId) -> Option<EntityId> {
    let e = model.entity(eid);
    let most_common = |segments: Vec<EntityId>| -> Option<EntityId> {
        let mut counts: Vec<(EntityId, usize)> = Vec::new();
        for s in segments {
            match counts.iter_mut().find(|(c, _)| *c == s) {
                Some(entry) => entry.1 += 1,
                None => counts.push((s, 1)),
            }
        }
        let best = counts.iter().map(|(_, n)| *n).max()?;
        counts.into_iter().find(|(_, n)| *n == best).map(|(s, _)| s)
    };
    let own = || refs::named_in(model, eid, "segment").first().copied();
    let via = |field: &str| {
        most_common(
            refs::named_in(model, eid, field)
                .into_iter()
                .flat_map(|n| refs::named_in(model, n, "segment"))
                .collect(),
        )
    };
    match e.kind {
        Kind::Segment => Some(eid),
        Kind::Need | Kind::Proposition => own(),
        Kind::Evidence => own().or_else(|| via("supports")),
        Kind::Feature => via("addresses"),
        Kind::Message => via("proposition"),
    }
}

type Grouped = (Vec<MapNode>, Vec<MapEdge>, Vec<usize>);

/// Groups entity nodes by segment (or by kind): the group nodes, their edges (with the number
/// of references each stands for), and each entity node's group.
fn group(
    model: &Model,
    nodes: &[MapNode],
    representative: &[EntityId],
    edges: &[MapEdge],
    detail: Detail,
) -> Grouped {
    let mut groups: Vec<MapNode> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut group_of = Vec::with_capacity(nodes.len());
    for (n, eid) in nodes.iter().zip(representative) {
        let segment = match detail {
            Detail::ByKind => None,
            _ => segment_of(model, *eid),
        };
        let name = match (detail, segment) {
            (Detail::ByKind, _) => n.kind.plural().to_owned(),
            (_, Some(s)) => model.entity(s).id.clone(),
            (_, None) => NO_SEGMENT.to_owned(),
        };
        let key = format!("group:{}:{name}", n.kind.singular());
        let g = *index.entry(key.clone()).or_insert_with(|| {
            groups.push(MapNode {
                kind: n.kind,
                key,
                id: name.clone(),
                // The segment's name, to say which customers the group is about.
                text: segment
                    .and_then(|s| model.entity(s).text("name"))
                    .unwrap_or("")
                    .to_owned(),
                status: None,
                evidence_kind: None,
                evidence_count: None,
                severity: None,
                findings: Vec::new(),
                members: 0,
                location: None,
                group: true,
            });
            groups.len() - 1
        });
        if let Some(group) = groups.get_mut(g) {
            group.members += 1;
            group.severity = group.severity.max(n.severity);
            group.findings.extend_from_slice(&n.findings);
        }
        group_of.push(g);
    }
    for g in &mut groups {
        let what = if g.members == 1 {
            g.kind.singular()
        } else {
            g.kind.plural()
        };
        let count = format!("{} {what}", thousands(g.members));
        g.text = match (detail, g.id.as_str()) {
            (Detail::ByKind, _) => count,
            (_, NO_SEGMENT) => format!("{count} with no segment"),
            _ if g.text.is_empty() => count,
            // The badge counts the members; the segment's name says whose they are.
            _ => std::mem::take(&mut g.text),
        };
        g.findings.sort_unstable();
    }
    let mut merged: BTreeMap<(usize, usize), (bool, usize)> = BTreeMap::new();
    for e in edges {
        let (Some(&a), Some(&b)) = (group_of.get(e.from), group_of.get(e.to)) else {
            continue;
        };
        if a == b {
            continue;
        }
        let entry = merged.entry((a, b)).or_insert((false, 0));
        entry.0 |= e.contradicts;
        entry.1 += e.count;
    }
    let edges = merged
        .into_iter()
        .map(|((from, to), (contradicts, count))| MapEdge {
            from,
            to,
            contradicts,
            count,
        })
        .collect();
    (groups, edges, group_of)
}

/// What the page says when it groups.
fn grouping_notice(total: usize, max: usize, detail: Detail) -> String {
    let how = match detail {
        Detail::ByKind => "one box per column, with the number of entities in it",
        _ => "one box per segment in each column, with the number of entities in it",
    };
    format!(
        "This map covers {} entities, more than the {} it draws one by one, so it shows \
         {how}. The tables and findings below still list every entity. To see entities one by \
         one, map a single segment with --segment ID, or raise the limit with --max-nodes.",
        thousands(total),
        thousands(max)
    )
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
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out = out.trim_end().to_owned();
    out.push('…');
    out
}

/// A word with its first letter in capitals (`needs` → `Needs`), for column titles.
pub fn title_case(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
