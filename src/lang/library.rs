//! The claims library as rules see it: where a message voices a library claim, whether a
//! voiced claim backs the sentence that says it, and how the copy's words drift from the
//! approved wording.
//!
//! Which words matter in a drift is the rule's policy: the qualifiers, hedges, absolutes and
//! superlatives come in as word lists from `rules/claims.align`. What is fixed here is the
//! word-level comparison (the longest common subsequence of the two wordings' words, from
//! `model::voicing`) and that numbers and units always matter.

use super::functions::{self, World};
use super::value::Mention;
use super::words::WordList;
use crate::date::Date;
use crate::model::voicing::{self, Token, Voicing};
use crate::model::{EntityId, Model, Node, NodeValue};
use crate::source::Span;
use std::ops::Range;

/// Numbers written as words.
const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "twenty", "thirty", "fifty", "hundred", "thousand", "million", "billion", "half",
    "double", "twice", "triple",
];

/// Words that name a unit, so a unit changed is a drift even with the same number.
const UNITS: &[&str] = &[
    "%",
    "percent",
    "per",
    "x",
    "times",
    "ms",
    "milliseconds",
    "second",
    "seconds",
    "minute",
    "minutes",
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "gb",
    "tb",
    "mb",
    "kg",
    "g",
    "km",
    "miles",
];

/// The text node of a message a voicing is said in, and its text.
pub(crate) fn said_text(
    model: &Model,
    message: EntityId,
    item: Option<usize>,
) -> Option<(&Node, &str)> {
    let e = model.entity(message);
    let node = match item {
        None => e.get("text")?,
        Some(n) => match &e.get("claims")?.value {
            NodeValue::List(items) => items.get(n)?.get("text")?,
            _ => return None,
        },
    };
    Some((node, node.as_text()?))
}

/// Where a message voices a library claim: the sentence that says it, else the `claim:`
/// that names it.
pub(crate) fn voicing_span(world: World<'_>, v: &Voicing) -> Option<Span> {
    let said = v.said.as_ref().and_then(|said| {
        let (node, text) = said_text(world.model, v.message, said.item)?;
        functions::span_in(world.sources, Some(node), text, said.range.clone())
    });
    said.or(v.named)
}

/// Whether a library claim may back what a message says with it: approved, not expired on
/// `today`, and substantiated (evidence, or a feature with facts).
pub(crate) fn in_force(model: &Model, claim: EntityId, today: Date) -> bool {
    let c = model.entity(claim);
    let approved = c.text("status") == Some("approved");
    let current = c
        .text("expires")
        .and_then(crate::date::parse_date)
        .is_none_or(|d| d >= today);
    let linked = |field: &str, kind| {
        c.get(field).is_some_and(|n| {
            crate::model::index::ids_in(n)
                .into_iter()
                .filter_map(|(id, _)| model.lookup(kind, id))
                .any(|e| kind != crate::model::Kind::Feature || has_facts(model, e))
        })
    };
    approved
        && current
        && (linked("evidence", crate::model::Kind::Evidence)
            || linked("features", crate::model::Kind::Feature))
}

fn has_facts(model: &Model, feature: EntityId) -> bool {
    matches!(&model.entity(feature).get("facts").map(|n| &n.value), Some(NodeValue::Map(m)) if !m.is_empty())
}

/// Whether the words found stand in a sentence of the message that voices a library claim in
/// force ([`in_force`]): the claim's sign-off and substantiation back it.
pub(crate) fn voiced_in_force(
    world: World<'_>,
    found: &Mention,
    message: EntityId,
    today: Date,
) -> bool {
    let Some(at) = found.span else {
        return false;
    };
    world.model.voices(message).iter().any(|v| {
        v.said.is_some()
            && voicing_span(world, v)
                .is_some_and(|s| s.file == at.file && s.start <= at.start && at.end <= s.end)
            && in_force(world.model, v.claim, today)
    })
}

/// The policy of a drift: which words change what a claim promises.
pub(crate) struct DriftWords<'a> {
    /// "up to", "at least", "from", ...: a change to them changes the promise.
    pub(crate) qualifiers: Option<&'a WordList>,
    /// "can", "may", "helps", "typically", ...: dropping one makes the promise bigger.
    pub(crate) hedges: Option<&'a WordList>,
    /// "always", "guaranteed", "every", ...: adding one makes it absolute.
    pub(crate) absolutes: Option<&'a WordList>,
    /// "best", "fastest", "#1", ...: adding one makes it a superlative.
    pub(crate) superlatives: Option<&'a WordList>,
}

/// Where the copy drifts from the approved wording of each approved library claim a message
/// says in words: one mention per change, on the copy's words (or on the word a dropped qualifier or
/// hedge stood before), carrying the approved wording and what changed.
pub(crate) fn drift(world: World<'_>, message: EntityId, policy: &DriftWords<'_>) -> Vec<Mention> {
    let model = world.model;
    let mut out = Vec::new();
    for v in model.voices(message) {
        let Some(said) = &v.said else { continue };
        let Some((node, text)) = said_text(model, message, said.item) else {
            continue;
        };
        let claim = model.entity(v.claim);
        // Only an approved wording is one to keep to.
        if claim.text("status") != Some("approved") {
            continue;
        }
        let Some(wording) = claim.text("text") else {
            continue;
        };
        let approved = voicing::tokens(wording);
        let sentence: Vec<Token> = voicing::tokens(text.get(said.range.clone()).unwrap_or(""))
            .into_iter()
            .map(|t| Token {
                word: t.word,
                at: t.at.start + said.range.start..t.at.end + said.range.start,
            })
            .collect();
        for change in changes(&approved, &sentence) {
            let Some(why) = reason(&change, &approved, &sentence, policy) else {
                continue;
            };
            let Some(under) = underline(&change, &sentence) else {
                continue;
            };
            let words = |toks: &[Token], r: &Range<usize>| {
                toks.get(r.clone())
                    .unwrap_or(&[])
                    .iter()
                    .map(|t| t.word.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let removed = words(&approved, &change.removed);
            let added = words(&sentence, &change.added);
            let copy = text.get(under.clone()).unwrap_or("").to_owned();
            let what = match (removed.is_empty(), added.is_empty()) {
                (false, false) => {
                    format!("says `{added}` where the approved wording says `{removed}`")
                }
                (false, true) => format!("drops `{removed}` before `{copy}`"),
                _ => format!("adds `{added}`"),
            };
            out.push(Mention {
                span: functions::span_in(world.sources, Some(node), text, under.clone()),
                text: copy,
                at: Some(under),
                approved: wording.to_owned(),
                change: format!("{what} ({why})"),
                wording_span: claim.get("text").map(|n| n.span),
                library_claim: claim.id.to_string(),
                ..Mention::default()
            });
        }
    }
    out
}

/// One difference between the approved wording and the copy: the approved words left out and
/// the copy's words put in, between two words they share.
#[derive(Debug, Clone, PartialEq)]
struct Change {
    /// Positions of the approved wording's words left out.
    removed: Range<usize>,
    /// Positions of the copy's words put in.
    added: Range<usize>,
}

/// The differences between two wordings, between the words they share in order. Words the
/// copy says before the first or after the last shared word are its own context, not a
/// change, unless the approved wording has words there too.
fn changes(approved: &[Token], copy: &[Token]) -> Vec<Change> {
    let pairs = voicing::common_subsequence(approved, copy);
    let mut out = Vec::new();
    let (Some(&(first_a, first_c)), Some(&(last_a, last_c))) = (pairs.first(), pairs.last()) else {
        return out;
    };
    if first_a > 0 {
        // Only the copy's word right before the shared ones can stand in for the approved words.
        out.push(Change {
            removed: 0..first_a,
            added: first_c.saturating_sub(first_a.min(1))..first_c,
        });
    }
    for w in pairs.windows(2) {
        let [(a0, c0), (a1, c1)] = *w else {
            continue;
        };
        if a1 > a0 + 1 || c1 > c0 + 1 {
            out.push(Change {
                removed: a0 + 1..a1,
                added: c0 + 1..c1,
            });
        }
    }
    if last_a + 1 < approved.len() {
        let end = (last_c + 1 + (approved.len() - last_a - 1)).min(copy.len());
        out.push(Change {
            removed: last_a + 1..approved.len(),
            added: last_c + 1..end.min(last_c + 2),
        });
    }
    out
}

/// Why a change changes the promise, or `None` when it does not.
fn reason(
    change: &Change,
    approved: &[Token],
    copy: &[Token],
    policy: &DriftWords<'_>,
) -> Option<&'static str> {
    let removed = approved.get(change.removed.clone()).unwrap_or(&[]);
    let added = copy.get(change.added.clone()).unwrap_or(&[]);
    let line = |toks: &[Token]| {
        toks.iter()
            .map(|t| t.word.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (gone, new) = (line(removed), line(added));
    let has = |list: Option<&WordList>, text: &str| {
        !text.is_empty() && list.is_some_and(|w| w.is_match(text))
    };
    let numeric = |toks: &[Token]| {
        toks.iter().any(|t| {
            t.word.chars().any(|c| c.is_ascii_digit()) || NUMBER_WORDS.contains(&t.word.as_str())
        })
    };
    let unit = |toks: &[Token]| toks.iter().any(|t| UNITS.contains(&t.word.as_str()));
    if numeric(removed) || numeric(added) {
        Some("a number changed")
    } else if has(policy.qualifiers, &gone) || has(policy.qualifiers, &new) {
        Some("a qualifier changed")
    } else if unit(removed) || unit(added) {
        Some("a unit changed")
    } else if has(policy.hedges, &gone) && !has(policy.hedges, &new) {
        Some("a hedge dropped")
    } else if has(policy.absolutes, &new) && !has(policy.absolutes, &gone) {
        Some("an absolute added")
    } else if has(policy.superlatives, &new) && !has(policy.superlatives, &gone) {
        Some("a superlative added")
    } else {
        None
    }
}

/// The copy's words to underline for a change: the words it put in, else the word the
/// dropped words stood before (or after, at the end).
fn underline(change: &Change, copy: &[Token]) -> Option<Range<usize>> {
    let added = copy.get(change.added.clone()).unwrap_or(&[]);
    if let (Some(a), Some(b)) = (added.first(), added.last()) {
        return Some(a.at.start..b.at.end);
    }
    copy.get(change.added.start)
        .or_else(|| change.added.start.checked_sub(1).and_then(|i| copy.get(i)))
        .map(|t| t.at.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy_lists() -> [WordList; 4] {
        let w = |e: &[&str]| WordList::new(e).expect("list");
        [
            w(&[
                "up to",
                "at least",
                "as much as",
                "from",
                "over",
                "more than",
            ]),
            w(&[
                "can",
                "may",
                "help",
                "helps",
                "typically",
                "usually",
                "most",
            ]),
            w(&["always", "never", "guaranteed", "every", "all", "instantly"]),
            w(&["best", "fastest", "leading", "#1", "cheapest"]),
        ]
    }

    /// (reason, copy words underlined) of each change that matters.
    fn drifts(approved: &str, copy: &str) -> Vec<(&'static str, String)> {
        let lists = policy_lists();
        let policy = DriftWords {
            qualifiers: Some(&lists[0]),
            hedges: Some(&lists[1]),
            absolutes: Some(&lists[2]),
            superlatives: Some(&lists[3]),
        };
        let (a, c) = (voicing::tokens(approved), voicing::tokens(copy));
        changes(&a, &c)
            .iter()
            .filter_map(|ch| {
                let why = reason(ch, &a, &c, &policy)?;
                let r = underline(ch, &c)?;
                Some((why, copy.get(r).unwrap_or("").to_owned()))
            })
            .collect()
    }

    #[test]
    fn a_changed_count_in_words_is_drift() {
        assert_eq!(
            drifts(
                "Staff swap shifts in the app and you approve with one tap.",
                "Staff swap shifts in the app and you approve with two taps, instead of relaying texts."
            ),
            [("a number changed", "two".to_owned())]
        );
    }

    #[test]
    fn a_dropped_qualifier_underlines_the_number() {
        assert_eq!(
            drifts(
                "Ledgerly matches up to 92% of your invoices automatically.",
                "Ledgerly matches 92% of your invoices automatically."
            ),
            [("a qualifier changed", "92%".to_owned())]
        );
    }

    #[test]
    fn numbers_units_hedges_absolutes_and_superlatives() {
        let claim = "Ledgerly can help you close your books in three days.";
        assert_eq!(
            drifts(claim, "Ledgerly can help you close your books in two days."),
            [("a number changed", "two".to_owned())]
        );
        assert_eq!(
            drifts("Close your books in 3 days.", "Close your books in 2 days."),
            [("a number changed", "2".to_owned())]
        );
        assert_eq!(
            drifts(
                "Close your books in 3 days.",
                "Close your books in 3 hours."
            ),
            [("a unit changed", "hours".to_owned())]
        );
        assert_eq!(
            drifts(claim, "Ledgerly closes your books in three days."),
            [("a hedge dropped", "closes".to_owned())]
        );
        assert_eq!(
            drifts(
                "Ledgerly closes your books in three days.",
                "Ledgerly always closes your books in three days."
            ),
            [("an absolute added", "always".to_owned())]
        );
        assert_eq!(
            drifts(
                "Ledgerly closes your books in three days.",
                "Ledgerly, the fastest way, closes your books in three days."
            ),
            [("a superlative added", "the fastest way".to_owned())]
        );
    }

    #[test]
    fn rewording_that_keeps_the_promise_is_not_drift() {
        assert!(
            drifts(
                "Ledgerly matches up to 92% of your invoices automatically.",
                "Ledgerly automatically matches up to 92% of invoices."
            )
            .is_empty()
        );
        assert!(
            drifts(
                "Close your books in three days.",
                "Close the books in three days, with less stress."
            )
            .is_empty()
        );
    }
}
