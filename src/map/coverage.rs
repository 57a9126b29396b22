//! Coverage tables and headline figures: how far the work rests on what customers said and
//! on what the product does.

use super::refs::named_in;
use crate::model::schema::EVIDENCE_KINDS;
use crate::model::{EntityId, Kind, Model};

/// The feature statuses a need's row lists, in column order.
pub(crate) const STATUSES: [&str; 4] = ["shipped", "beta", "planned", "deprecated"];

/// One need's row: which features address it, and what evidence supports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NeedRow {
    /// The need's node on the map.
    pub(crate) node: usize,
    /// The need's id.
    pub(crate) id: String,
    /// Its segment's id.
    pub(crate) segment: Option<String>,
    /// Its priority.
    pub(crate) priority: Option<String>,
    /// The ids of the features that address it, by status in [`STATUSES`] order.
    pub(crate) features: [Vec<String>; 4],
    /// How many evidence items of each kind (in `EVIDENCE_KINDS` order) support it.
    pub(crate) evidence_kinds: Vec<usize>,
}

/// What a proposition rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RestsOn {
    /// Evidence of its own and through its needs.
    Both,
    /// Evidence of its own only.
    Direct,
    /// Evidence of its needs only.
    ThroughNeeds,
    /// No evidence at all.
    Nothing,
}

/// One proposition's row: the evidence it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PropositionRow {
    /// The proposition's node on the map.
    pub(crate) node: usize,
    /// The proposition's id.
    pub(crate) id: String,
    /// Its segment's id.
    pub(crate) segment: Option<String>,
    /// Evidence it lists itself.
    pub(crate) direct: Vec<String>,
    /// Evidence that supports its needs.
    pub(crate) through_needs: Vec<String>,
}

impl PropositionRow {
    /// What it rests on.
    pub(crate) fn rests_on(&self) -> RestsOn {
        match (self.direct.is_empty(), self.through_needs.is_empty()) {
            (false, false) => RestsOn::Both,
            (false, true) => RestsOn::Direct,
            (true, false) => RestsOn::ThroughNeeds,
            (true, true) => RestsOn::Nothing,
        }
    }
}

/// The statuses of a library claim, in the order the claims table lists them.
pub const CLAIM_STATUSES: [&str; 3] = ["approved", "draft", "withdrawn"];

/// One library claim's row: its status and the messages that voice it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRow {
    /// The claim's node on the map.
    pub node: usize,
    /// The claim's id.
    pub id: String,
    /// Its status (draft when unset).
    pub status: String,
    /// The ids of the messages and pages that voice it.
    pub voiced_by: Vec<String>,
}

/// The coverage rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Coverage {
    /// A row per need on the map.
    pub(crate) needs: Vec<NeedRow>,
    /// A row per proposition on the map.
    pub(crate) propositions: Vec<PropositionRow>,
    /// A row per library claim on the map.
    pub(crate) claims: Vec<ClaimRow>,
}

impl Coverage {
    /// The library claims of one status, in map order, with how many messages voice them.
    pub(crate) fn claims_of(&self, status: &str) -> (Vec<&ClaimRow>, usize) {
        let rows: Vec<&ClaimRow> = self.claims.iter().filter(|r| r.status == status).collect();
        let voiced = rows.iter().map(|r| r.voiced_by.len()).sum();
        (rows, voiced)
    }

    /// Each message or page voicing a claim that is not approved, with that claim.
    pub(crate) fn unapproved_voicings(&self) -> impl Iterator<Item = (&str, &ClaimRow)> {
        self.claims
            .iter()
            .filter(|r| r.status != "approved")
            .flat_map(|r| r.voiced_by.iter().map(move |m| (m.as_str(), r)))
    }
}

/// A share: `count` of `total`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figure {
    /// How many meet the bar.
    pub(crate) count: usize,
    /// How many there are.
    pub total: usize,
}

impl Figure {
    /// The share in whole percent, rounded down (so 99.6% never shows as 100%); none when
    /// there is nothing to count.
    pub(crate) fn percent(self) -> Option<usize> {
        (self.total > 0).then(|| self.count * 100 / self.total)
    }
}

/// The three headline figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Headline {
    /// Propositions resting on evidence, directly or through their needs.
    pub propositions_on_evidence: Figure,
    /// Messages that promise nothing beyond what is backed: no finding of the overpromise
    /// concern.
    pub(crate) messages_substantiated: Figure,
    /// High-priority needs addressed by a shipped feature.
    pub(crate) high_needs_shipped: Figure,
}

fn ids(model: &Model, list: impl IntoIterator<Item = EntityId>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in list {
        let id = &model.entity(e).id;
        if !out.iter().any(|o| o == id.as_str()) {
            out.push(id.to_string());
        }
    }
    out
}

fn segment_id(model: &Model, e: EntityId) -> Option<String> {
    named_in(model, e, "segment")
        .first()
        .map(|s| model.entity(*s).id.to_string())
}

/// The coverage rows of the given entities, the map's nodes in order (`entities[i]` is node
/// `i`).
pub(crate) fn coverage(model: &Model, entities: &[EntityId]) -> Coverage {
    let mut cov = Coverage::default();
    for (node, &e) in entities.iter().enumerate() {
        let entity = model.entity(e);
        match entity.kind {
            Kind::Need => {
                let mut features: [Vec<String>; 4] = Default::default();
                for &f in model.backlink(e, "features") {
                    let fe = model.entity(f);
                    let status = fe.text("status").unwrap_or("");
                    if let Some(i) = STATUSES.iter().position(|s| *s == status) {
                        if let Some(list) = features.get_mut(i) {
                            if !list.iter().any(|l| l == fe.id.as_str()) {
                                list.push(fe.id.to_string());
                            }
                        }
                    }
                }
                let mut evidence_kinds = vec![0; EVIDENCE_KINDS.len()];
                for &ev in model.backlink(e, "evidence") {
                    let kind = model.entity(ev).text("kind").unwrap_or("");
                    if let Some(slot) = EVIDENCE_KINDS
                        .iter()
                        .position(|k| *k == kind)
                        .and_then(|i| evidence_kinds.get_mut(i))
                    {
                        *slot += 1;
                    }
                }
                cov.needs.push(NeedRow {
                    node,
                    id: entity.id.to_string(),
                    segment: segment_id(model, e),
                    priority: entity.text("priority").map(str::to_owned),
                    features,
                    evidence_kinds,
                });
            }
            Kind::Proposition => {
                let through = named_in(model, e, "needs")
                    .into_iter()
                    .flat_map(|n| model.backlink(n, "evidence").iter().copied())
                    .collect::<Vec<_>>();
                cov.propositions.push(PropositionRow {
                    node,
                    id: entity.id.to_string(),
                    segment: segment_id(model, e),
                    direct: ids(model, named_in(model, e, "evidence")),
                    through_needs: ids(model, through),
                });
            }
            Kind::Claim => cov.claims.push(ClaimRow {
                node,
                id: entity.id.to_string(),
                status: entity.text("status").unwrap_or("draft").to_owned(),
                voiced_by: ids(model, model.voiced_by(e).iter().copied()),
            }),
            _ => {}
        }
    }
    cov
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounds_down_and_knows_nothing_of_nothing() {
        let f = |count, total| Figure { count, total }.percent();
        assert_eq!(f(2, 3), Some(66));
        assert_eq!(f(999, 1000), Some(99));
        assert_eq!(f(0, 0), None);
    }
}
