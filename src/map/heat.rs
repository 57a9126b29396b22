//! The coverage heat maps: one row per segment, so they stay a screen high however many
//! entities there are. Segments × needs (how many needs of each priority no shipped feature
//! addresses, how many no evidence supports), propositions × evidence strength, and
//! messages × rule families.

use super::MapNode;
use super::coverage::Coverage;
use crate::finding::Finding;
use crate::model::Kind;

/// The built-in rule packs, the first columns of the messages matrix.
pub(crate) const BUILT_IN_FAMILIES: [&str; 6] = [
    "listening",
    "fit",
    "voice",
    "overpromise",
    "claims",
    "hygiene",
];

/// The priorities the needs matrix has a column for; any other priority counts as `low`.
pub(crate) const PRIORITIES: [&str; 3] = ["high", "medium", "low"];

/// The evidence-strength buckets of the propositions matrix: distinct evidence items behind a
/// proposition (its own and its needs'), at least this many.
pub(crate) const STRENGTHS: [(usize, &str); 4] =
    [(0, "none"), (1, "1"), (2, "2–3"), (4, "4 or more")];

/// A count out of a total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cell {
    /// How many have the problem (or fall in the bucket).
    pub count: usize,
    /// How many there are.
    pub total: usize,
}

impl Cell {
    /// The share in fifths, 0 to 4, for the cell's shade: 0 only when none.
    pub(crate) fn shade(self) -> usize {
        if self.count == 0 || self.total == 0 {
            0
        } else {
            (1 + self.count * 4 / self.total).min(4)
        }
    }
}

/// One segment's row in every matrix.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeatRow {
    /// The segment's node, or none for the entities of no segment.
    pub(crate) segment: Option<usize>,
    /// Needs by priority (in [`PRIORITIES`] order): those no shipped feature addresses, of all.
    pub needs_unaddressed: [Cell; 3],
    /// Needs no evidence supports, of all.
    pub(crate) needs_without_evidence: Cell,
    /// Propositions by evidence strength (in [`STRENGTHS`] order), of all.
    pub propositions: [Cell; 4],
    /// Messages with a finding of each family (in [`Heat::families`] order), of all.
    pub(crate) messages: Vec<Cell>,
}

/// The heat maps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Heat {
    /// A row per segment, in map order, then one for the entities of no segment if any.
    pub rows: Vec<HeatRow>,
    /// The rule families (packs) of the messages matrix: the built-in ones, then any other
    /// pack with a finding about a message.
    pub(crate) families: Vec<String>,
}

/// The heat maps of a map's nodes.
pub(crate) fn heat(nodes: &[MapNode], cov: &Coverage, findings: &[Finding]) -> Heat {
    let mut families: Vec<String> = BUILT_IN_FAMILIES.iter().map(|f| f.to_string()).collect();
    let family = |rule: &str| rule.split('/').next().unwrap_or("").to_owned();
    let mut others: Vec<String> = Vec::new();
    for n in nodes.iter().filter(|n| n.kind == Kind::Message) {
        for f in n.findings.iter().filter_map(|&i| findings.get(i)) {
            let fam = family(&f.rule);
            if !families.contains(&fam) && !others.contains(&fam) {
                others.push(fam);
            }
        }
    }
    others.sort();
    families.extend(others);

    let mut rows: Vec<HeatRow> = Vec::new();
    let mut row_of_segment: Vec<Option<usize>> = vec![None; nodes.len()];
    for (i, n) in nodes.iter().enumerate() {
        if n.kind == Kind::Segment {
            if let Some(slot) = row_of_segment.get_mut(i) {
                *slot = Some(rows.len());
            }
            rows.push(HeatRow {
                segment: Some(i),
                messages: vec![Cell::default(); families.len()],
                ..HeatRow::default()
            });
        }
    }
    let no_segment = rows.len();
    rows.push(HeatRow {
        segment: None,
        messages: vec![Cell::default(); families.len()],
        ..HeatRow::default()
    });
    let row_of = |node: usize| -> usize {
        nodes
            .get(node)
            .and_then(|n| n.segments.first())
            .and_then(|&s| row_of_segment.get(s).copied().flatten())
            .unwrap_or(no_segment)
    };

    for need in &cov.needs {
        let Some(row) = rows.get_mut(row_of(need.node)) else {
            continue;
        };
        let p = PRIORITIES
            .iter()
            .position(|p| need.priority.as_deref() == Some(*p))
            .unwrap_or(2);
        let unaddressed = need.features[0].is_empty();
        if let Some(cell) = row.needs_unaddressed.get_mut(p) {
            cell.total += 1;
            cell.count += usize::from(unaddressed);
        }
        row.needs_without_evidence.total += 1;
        row.needs_without_evidence.count +=
            usize::from(need.evidence_kinds.iter().sum::<usize>() == 0);
    }
    for prop in &cov.propositions {
        let Some(row) = rows.get_mut(row_of(prop.node)) else {
            continue;
        };
        let mut behind: Vec<&String> = prop.direct.iter().chain(&prop.through_needs).collect();
        behind.sort();
        behind.dedup();
        let bucket = STRENGTHS
            .iter()
            .rposition(|(at_least, _)| behind.len() >= *at_least)
            .unwrap_or(0);
        for (b, cell) in row.propositions.iter_mut().enumerate() {
            cell.total += 1;
            cell.count += usize::from(b == bucket);
        }
    }
    for (i, n) in nodes.iter().enumerate() {
        if n.kind != Kind::Message {
            continue;
        }
        let Some(row) = rows.get_mut(row_of(i)) else {
            continue;
        };
        let fired: Vec<String> = n
            .findings
            .iter()
            .filter_map(|&f| findings.get(f))
            .map(|f| family(&f.rule))
            .collect();
        for (fam, cell) in families.iter().zip(row.messages.iter_mut()) {
            cell.total += 1;
            cell.count += usize::from(fired.contains(fam));
        }
    }
    // The row of entities with no segment only when it holds something.
    let empty = rows.get(no_segment).is_some_and(|r| {
        r.needs_without_evidence.total == 0
            && r.propositions[0].total == 0
            && r.messages.first().is_none_or(|c| c.total == 0)
    });
    if empty {
        rows.truncate(no_segment);
    }
    Heat { rows, families }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shades_grow_with_the_share_and_zero_is_blank() {
        let c = |count, total| Cell { count, total }.shade();
        assert_eq!(c(0, 10), 0);
        assert_eq!(c(1, 100), 1);
        assert_eq!(c(5, 10), 3);
        assert_eq!(c(10, 10), 4);
        assert_eq!(c(0, 0), 0);
    }
}
