//! Values rules compute with. They borrow from the model, so evaluating a rule copies
//! nothing but what it builds.

use super::lazy_regex::LazyRegex;
use super::words::WordList;
use crate::date::Date;
use crate::model::{EntityId, Node};
use crate::source::Span;
use std::borrow::Cow;
use std::sync::Arc;

/// Words or a number found in a text, with where they are in the source.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Mention {
    /// The words as written.
    pub(crate) text: String,
    /// Where they are in the YAML file, when the text came from one.
    pub(crate) span: Option<Span>,
    /// The number, for a number mention.
    pub(crate) value: Option<f64>,
    /// Its unit (`%`, `x`, `ms`, `days`, `£`...).
    pub(crate) unit: String,
    /// Its qualifier (`up to`, `at least`...).
    pub(crate) qualifier: String,
    /// The name of the fact it was compared with, if any.
    pub(crate) fact: String,
    /// That fact's value.
    pub(crate) limit: Option<f64>,
    /// Where that fact is written.
    pub(crate) fact_span: Option<Span>,
    /// The frame that found it (`price`, `superlative`, `idiom`), when a frame did.
    pub(crate) frame: String,
    /// What kind of proof fits the frame.
    pub(crate) proof: String,
    /// Whether the frame is a claim frame (`claim(...)`), not a look-alike (`not_claim(...)`).
    pub(crate) claim: bool,
    /// Where the words are in the decoded text they were found in (byte range).
    pub(crate) at: Option<std::ops::Range<usize>>,
    /// For a drift from the claims library: the approved wording.
    pub(crate) approved: String,
    /// For a drift: what changed, in words.
    pub(crate) change: String,
    /// For a drift: where the approved wording is written.
    pub(crate) wording_span: Option<Span>,
    /// For a drift: the id of the library claim.
    pub(crate) library_claim: String,
}

/// A claim frame or a look-alike: a name, the proof that fits, and the patterns that find it.
#[derive(Debug)]
pub(crate) struct Frame {
    /// Its name, in plain words (`price`, `top parity`).
    pub(crate) name: String,
    /// What kind of proof fits, for the finding's help.
    pub(crate) proof: String,
    /// Whether what it finds is a claim (`claim`) or a look-alike (`not_claim`).
    pub(crate) claim: bool,
    /// The word lists and patterns that find it.
    pub(crate) patterns: Vec<Value<'static>>,
}

/// Which fields a YAML sub-tree has, for reading it from rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NodeShape {
    /// A claim of a message.
    Claim,
    /// A feature's facts.
    Facts,
    /// Anything else.
    Plain,
}

/// A value in a rule.
#[derive(Debug, Clone)]
pub(crate) enum Value<'m> {
    /// Nothing: a missing field, an unknown id.
    Null,
    /// true/false.
    Bool(bool),
    /// A number.
    Number(f64),
    /// Text, with the YAML node it was read from (for exact spans inside it).
    Text(Cow<'m, str>, Option<&'m Node>),
    /// A date.
    Date(Date),
    /// A duration in days.
    Duration(f64),
    /// An entity, with the span of the reference it was reached through.
    Entity(EntityId, Option<Span>),
    /// A YAML sub-tree (a claim, facts, a team's own structured field).
    Node(&'m Node, NodeShape),
    /// Several values.
    List(Vec<Value<'m>>),
    /// A compiled word list.
    Words(Arc<WordList>),
    /// A regular expression (a `/pattern/`, compiled when its file loads, or a phrase,
    /// compiled when first needed).
    Regex(Arc<LazyRegex>),
    /// Words or a number found in a text.
    Mention(Arc<Mention>),
    /// A claim frame or a look-alike (`claim(...)`, `not_claim(...)`).
    Frame(Arc<Frame>),
}

impl<'m> Value<'m> {
    /// Text not read from the model.
    pub(crate) fn text(s: impl Into<String>) -> Value<'m> {
        Value::Text(Cow::Owned(s.into()), None)
    }

    /// Whether the value is empty (null, an empty list or an empty text).
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Value::Null => true,
            Value::List(items) => items.iter().all(Value::is_empty),
            Value::Text(s, _) => s.is_empty(),
            _ => false,
        }
    }

    /// Whether the value holds as a condition: `true`, or non-empty and not `false`.
    pub(crate) fn truthy(&self) -> bool {
        match self {
            Value::Bool(b) => *b,
            Value::List(items) => items.iter().any(|v| !v.is_empty()),
            other => !other.is_empty(),
        }
    }

    /// The items of a list, or the value itself as a list of one (none for null).
    pub(crate) fn items(self) -> Vec<Value<'m>> {
        match self {
            Value::Null => Vec::new(),
            // Already flat (the usual case): the list itself, not a copy.
            Value::List(items)
                if !items
                    .iter()
                    .any(|i| matches!(i, Value::List(_) | Value::Null)) =>
            {
                items
            }
            other => {
                let mut out = Vec::new();
                other.flatten_into(&mut out);
                out
            }
        }
    }

    /// Adds the items of [`Value::items`] to `out`.
    pub(crate) fn flatten_into(self, out: &mut Vec<Value<'m>>) {
        match self {
            Value::Null => {}
            Value::List(items) => items.into_iter().for_each(|i| i.flatten_into(out)),
            other => out.push(other),
        }
    }

    /// The number of items.
    pub(crate) fn count(&self) -> usize {
        match self {
            Value::Null => 0,
            Value::List(items) => items.iter().map(Value::count).sum(),
            _ => 1,
        }
    }

    /// The value detached from the model (for values computed once, like `let`s).
    pub(crate) fn into_static(self) -> Value<'static> {
        match self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Number(n) => Value::Number(n),
            Value::Text(s, _) => Value::Text(Cow::Owned(s.into_owned()), None),
            Value::Date(d) => Value::Date(d),
            Value::Duration(d) => Value::Duration(d),
            Value::Entity(..) | Value::Node(..) => Value::Null,
            Value::List(items) => Value::List(items.into_iter().map(Value::into_static).collect()),
            Value::Words(w) => Value::Words(w),
            Value::Regex(r) => Value::Regex(r),
            Value::Mention(m) => Value::Mention(m),
            Value::Frame(f) => Value::Frame(f),
        }
    }
}

/// Formats a number the way people write it: no trailing `.0`.
pub(crate) fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}
