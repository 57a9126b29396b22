//! A feature's facts against the numbers a message states: which fact speaks about a number,
//! and whether the number promises more than the fact shows, in the fact's direction.
//!
//! A fact is a number (`uptime_pct: 99.9`) or a mapping (`{value: 48, better: lower, unit:
//! hours}`). Without `better`, the direction comes from the words of the fact's name, through
//! the word lists a rule passes (the `overpromise` pack declares them in the open).

use super::value::Mention;
use super::words::WordList;
use crate::model::schema::Kind;
use crate::model::{EntityId, Model, NodeValue};
use crate::source::Span;

/// Which way a fact is better, as the rule's word lists read fact names.
pub(crate) struct Direction<'a> {
    /// Name words of facts where less is better (latency, price, hours, errors).
    pub(crate) lower: Option<&'a WordList>,
    /// Name words of facts where more is better; they win over `lower` (uptime, accuracy).
    pub(crate) higher: Option<&'a WordList>,
}

/// One fact of a feature.
pub(crate) struct Fact<'a> {
    /// Its name.
    pub(crate) name: &'a str,
    /// Its value.
    pub(crate) value: f64,
    /// Where it is written.
    pub(crate) span: Span,
    /// `better: lower` (true), `better: higher` (false), or not said.
    pub(crate) lower_better: Option<bool>,
    /// Its `unit:`, when given.
    pub(crate) unit: Option<&'a str>,
}

/// How a fact's unit (its `unit:`, else its name's last word) maps to the unit of a number
/// in a text, with a factor that brings durations to hours and nothing else changed.
fn fact_unit(fact: &Fact<'_>) -> Option<(&'static str, f64)> {
    let suffix = fact
        .unit
        .unwrap_or_else(|| fact.name.rsplit('_').next().unwrap_or(""));
    Some(match suffix.to_lowercase().as_str() {
        "pct" | "percent" | "%" => ("%", 1.0),
        "ms" => ("ms", 1.0),
        "x" => ("x", 1.0),
        "seconds" | "secs" | "s" => ("duration", 1.0 / 3600.0),
        "minutes" | "mins" => ("duration", 1.0 / 60.0),
        "hours" | "hrs" => ("duration", 1.0),
        "days" => ("duration", 24.0),
        "weeks" => ("duration", 24.0 * 7.0),
        "gbp" | "£" => ("£", 1.0),
        "usd" | "$" => ("$", 1.0),
        "eur" | "€" => ("€", 1.0),
        _ => return None,
    })
}

fn mention_unit(unit: &str) -> Option<(&'static str, f64)> {
    Some(match unit {
        "%" => ("%", 1.0),
        "ms" => ("ms", 1.0),
        "x" => ("x", 1.0),
        "s" => ("duration", 1.0 / 3600.0),
        "minutes" => ("duration", 1.0 / 60.0),
        "hours" => ("duration", 1.0),
        "days" => ("duration", 24.0),
        "weeks" => ("duration", 24.0 * 7.0),
        "months" => ("duration", 24.0 * 30.0),
        "years" => ("duration", 24.0 * 365.0),
        "£" => ("£", 1.0),
        "$" => ("$", 1.0),
        "€" => ("€", 1.0),
        _ => return None,
    })
}

/// Name parts that say the unit, not what is measured.
const UNIT_WORDS: &[&str] = &[
    "pct", "percent", "ms", "x", "seconds", "secs", "minutes", "mins", "hours", "days", "weeks",
    "gbp", "usd", "eur", "per", "of", "the",
];

/// Whether a fact name shares a word with the words around a number: the same word, or two
/// words with the same first four letters or more ("ships" and `shipping_hours`).
fn shares_word(fact: &str, context: &str) -> bool {
    fact.split('_')
        .filter(|w| !w.is_empty() && !UNIT_WORDS.contains(w))
        .any(|w| {
            context.split_whitespace().any(|c| {
                c == w || {
                    let common = c.bytes().zip(w.bytes()).take_while(|(a, b)| a == b).count();
                    common >= 4 && common * 3 >= w.len().min(c.len()) * 2
                }
            })
        })
}

/// Whether a smaller number is the better claim for this fact.
fn lower_is_better(fact: &Fact<'_>, unit: &str, direction: &Direction<'_>) -> bool {
    if let Some(lower) = fact.lower_better {
        return lower;
    }
    let name = fact.name.replace('_', " ");
    if direction.higher.is_some_and(|w| w.is_match(&name)) {
        return false;
    }
    unit == "ms" || direction.lower.is_some_and(|w| w.is_match(&name))
}

/// The facts of a feature, with their spans.
pub(crate) fn facts_of(model: &Model, feature: EntityId) -> Vec<Fact<'_>> {
    let Some(node) = model.entity(feature).get("facts") else {
        return Vec::new();
    };
    let NodeValue::Map(entries) = &node.value else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|(k, v)| {
            let NodeValue::Text(name) = &k.value else {
                return None;
            };
            let span = k.span.to(v.span);
            match &v.value {
                NodeValue::Number(n) => Some(Fact {
                    name,
                    value: *n,
                    span,
                    lower_better: None,
                    unit: None,
                }),
                NodeValue::Map(_) => {
                    let value = match v.get("value").map(|n| &n.value) {
                        Some(NodeValue::Number(n)) => *n,
                        _ => return None,
                    };
                    Some(Fact {
                        name,
                        value,
                        span,
                        lower_better: v.get("better").and_then(|b| b.as_text()).and_then(
                            |b| match b {
                                "lower" => Some(true),
                                "higher" => Some(false),
                                _ => None,
                            },
                        ),
                        unit: v.get("unit").and_then(|u| u.as_text()),
                    })
                }
                _ => None,
            }
        })
        .collect()
}

/// The fact of the features that speaks about this number, if any, with the number in the
/// fact's measure.
pub(crate) fn matching_fact<'a>(
    model: &'a Model,
    number: &Mention,
    features: &[EntityId],
) -> Option<(Fact<'a>, f64)> {
    let (unit, factor) = mention_unit(&number.unit)?;
    for f in features {
        if model.entity(*f).kind != Kind::Feature {
            continue;
        }
        for fact in facts_of(model, *f) {
            let Some((fu, ffactor)) = fact_unit(&fact) else {
                continue;
            };
            if fu != unit || !shares_word(fact.name, &number.fact) {
                continue;
            }
            // Both sides in the same measure (hours for durations).
            let claimed = number.value? * factor / ffactor;
            return Some((fact, claimed));
        }
    }
    None
}

/// The number, annotated with its fact, when it claims more than that fact shows.
pub(crate) fn beyond(
    model: &Model,
    number: &Mention,
    features: &[EntityId],
    direction: &Direction<'_>,
) -> Option<Mention> {
    let (fact, claimed) = matching_fact(model, number, features)?;
    if !exceeds(number, &fact, claimed, direction) {
        return None;
    }
    Some(Mention {
        fact: fact.name.to_owned(),
        limit: Some(fact.value),
        fact_span: Some(fact.span),
        ..number.clone()
    })
}

/// Whether a number, `claimed` in the measure of the fact, says more than the fact shows.
pub(crate) fn exceeds(
    number: &Mention,
    fact: &Fact<'_>,
    claimed: f64,
    direction: &Direction<'_>,
) -> bool {
    let q = number.qualifier.as_str();
    let value = fact.value;
    if lower_is_better(fact, &number.unit, direction) {
        // "under 48 hours" promises less than 48: too much when the fact is 48.
        let strict_less = matches!(q, "under" | "less than" | "below" | "as little as");
        claimed < value || (strict_less && claimed <= value)
    } else {
        let strict_more = matches!(q, "over" | "more than" | "above");
        claimed > value || (strict_more && claimed >= value)
    }
}
