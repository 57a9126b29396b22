//! What the built-in functions compute. Their names and parameter types are in `builtins`;
//! a call is resolved to its `Builtin` when the rule file loads.

use super::builtins::Builtin;
use super::facts::{self, Direction};
use super::fold::Haystack;
use super::library;
use super::numbers;
use super::patterns;
use super::prefilter::Prefilter;
use super::substantiation::{self, Policy};
use super::value::{Frame, Mention, Value};
use super::words::{self, WordList};
use crate::model::scalar_text::ScalarMap;
use crate::model::{EntityId, Model, Node};
use crate::source::{Sources, Span};
use regex::{Regex, RegexBuilder};
use std::sync::Arc;

/// What a rule can see besides its own variables.
#[derive(Clone, Copy)]
pub struct World<'m> {
    /// The indexed model.
    pub model: &'m Model,
    /// Source texts, for exact spans inside scalars.
    pub sources: &'m Sources,
}

/// The most a user pattern may compile to, so a pattern cannot exhaust memory.
pub(crate) const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Compiles a `/pattern/flags` literal.
pub(crate) fn compile_regex(body: &str, flags: &str) -> Result<Regex, String> {
    // Flags go inline, so that the pattern's text says all it means (patterns are combined
    // into sets from their text; see `prefilter`).
    let inline: String = ['i', 'm', 's', 'x']
        .into_iter()
        .filter(|f| flags.contains(*f))
        .collect();
    let source = if inline.is_empty() {
        body.to_owned()
    } else {
        format!("(?{inline}){body}")
    };
    RegexBuilder::new(&source)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => format!(
                "it is too large: it would take more than {} KB of memory to match; use a simpler pattern or a word list (`words(...)`)",
                REGEX_SIZE_LIMIT >> 10
            ),
            other => {
                let s = other.to_string();
                let last = s.lines().last().unwrap_or(&s).trim();
                last.strip_prefix("error:").unwrap_or(last).trim().to_owned()
            }
        })
}

/// The texts of the arguments (texts and word lists' entries), for `words` and `forms`.
fn entries(args: Vec<Value<'_>>) -> Vec<String> {
    let mut entries = Vec::new();
    for a in args {
        for item in a.items() {
            match item {
                Value::Text(s, _) => entries.push(s.into_owned()),
                Value::Words(w) => entries.extend(w.entries().iter().cloned()),
                _ => {}
            }
        }
    }
    entries
}

/// The word list an argument is, if it is one. A list of texts (an option's value) is
/// compiled once and kept for the whole run, since a rule passes the same list for every
/// claim: looking it up costs a hash of its entries, not a compilation.
fn word_list(v: Option<&Value<'_>>) -> Option<Arc<WordList>> {
    let mut texts: Vec<&str> = Vec::new();
    match v {
        Some(Value::Words(w)) => return Some(Arc::clone(w)),
        Some(Value::Text(t, _)) => texts.push(t),
        Some(Value::List(items)) => {
            for i in items {
                match i {
                    Value::Text(t, _) => texts.push(t),
                    Value::Words(w) => texts.extend(w.entries().iter().map(String::as_str)),
                    _ => {}
                }
            }
        }
        _ => return None,
    }
    kept_word_list(&texts)
}

/// The word list of these entries, compiled once for the whole run and kept (at most 64
/// lists): rules pass the same option lists for every claim.
pub(crate) fn kept_word_list(texts: &[&str]) -> Option<Arc<WordList>> {
    type Kept = Vec<(u64, Vec<String>, Arc<WordList>)>;
    static LISTS: std::sync::Mutex<Kept> = std::sync::Mutex::new(Vec::new());
    let key = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        texts.hash(&mut h);
        h.finish()
    };
    let found = |kept: &Kept| {
        kept.iter()
            .find(|(k, entries, _)| {
                *k == key && entries.iter().map(String::as_str).eq(texts.iter().copied())
            })
            .map(|(_, _, w)| Arc::clone(w))
    };
    if let Some(w) = LISTS.lock().ok().and_then(|kept| found(&kept)) {
        return Some(w);
    }
    let w = Arc::new(WordList::new(texts).ok()?);
    if let Ok(mut kept) = LISTS.lock() {
        if kept.len() < 64 && found(&kept).is_none() {
            kept.push((
                key,
                texts.iter().map(|t| (*t).to_owned()).collect(),
                Arc::clone(&w),
            ));
        }
    }
    Some(w)
}

/// A claim frame or a look-alike from `claim(name, proof, patterns...)` or
/// `not_claim(name, patterns...)`.
fn frame(args: Vec<Value<'_>>, claim: bool) -> Value<'static> {
    let mut args = args.into_iter();
    let text = |v: Option<Value<'_>>| match v {
        Some(Value::Text(s, _)) => s.into_owned(),
        Some(Value::Mention(m)) => m.text.clone(),
        _ => String::new(),
    };
    let name = text(args.next());
    let proof = if claim {
        text(args.next())
    } else {
        String::new()
    };
    let mut patterns = Vec::new();
    for a in args {
        for item in a.items() {
            match item {
                // A frame inside a frame lends its patterns.
                Value::Frame(f) => patterns.extend(f.patterns.iter().cloned()),
                other => patterns.push(other.into_static()),
            }
        }
    }
    Value::Frame(Arc::new(Frame {
        name,
        proof,
        claim,
        patterns,
    }))
}

/// Runs a built-in on the run's date `today`. Arity and types were checked when the rule
/// file loaded.
pub(crate) fn call<'m>(
    world: World<'m>,
    today: crate::date::Date,
    builtin: Builtin,
    args: Vec<Value<'m>>,
) -> Value<'m> {
    match builtin {
        Builtin::Words => WordList::new(&entries(args))
            .map(|w| Value::Words(Arc::new(w)))
            .unwrap_or(Value::Null),
        Builtin::Forms => patterns::forms_list(&entries(args))
            .map(|w| Value::Words(Arc::new(w)))
            .unwrap_or(Value::Null),
        Builtin::ComparativeOf => WordList::new(&patterns::degree(&entries(args), "er"))
            .map(|w| Value::Words(Arc::new(w)))
            .unwrap_or(Value::Null),
        Builtin::SuperlativeOf => WordList::new(&patterns::degree(&entries(args), "est"))
            .map(|w| Value::Words(Arc::new(w)))
            .unwrap_or(Value::Null),
        Builtin::Phrase => match patterns::phrase(&args) {
            Ok(r) => Value::Regex(Arc::new(r)),
            Err(e) => {
                patterns::note_build_error(e);
                Value::Null
            }
        },
        Builtin::Gap => args.into_iter().next().unwrap_or(Value::Null),
        Builtin::Claim => frame(args, true),
        Builtin::NotClaim => frame(args, false),
        Builtin::Matches => {
            let (text, patterns) = matches_args(args);
            Value::List(find_matches(world, text, &patterns, None))
        }
        Builtin::Numbers => {
            let text = args.into_iter().next().unwrap_or(Value::Null);
            Value::List(find_numbers(world, text))
        }
        Builtin::Count => Value::Number(args.first().map(Value::count).unwrap_or(0) as f64),
        Builtin::Len => match args.into_iter().next() {
            Some(Value::Text(s, _)) => Value::Number(s.chars().count() as f64),
            Some(v) => Value::Number(v.count() as f64),
            None => Value::Number(0.0),
        },
        Builtin::Lower => match args.into_iter().next() {
            Some(Value::Text(s, origin)) => Value::Text(s.to_lowercase().into(), origin),
            Some(Value::Mention(m)) => Value::text(m.text.to_lowercase()),
            _ => Value::Null,
        },
        Builtin::Either => args
            .into_iter()
            .find(|a| !a.is_empty())
            .unwrap_or(Value::Null),
        Builtin::List => {
            let mut items = Vec::with_capacity(args.len());
            args.into_iter().for_each(|a| a.flatten_into(&mut items));
            Value::List(items)
        }
        Builtin::BeyondFacts => {
            let lower = word_list(args.get(2));
            let higher = word_list(args.get(3));
            let direction = Direction {
                lower: lower.as_deref(),
                higher: higher.as_deref(),
            };
            let mut args = args.into_iter();
            let numbers = args.next().unwrap_or(Value::Null);
            let features = entities(args.next().unwrap_or(Value::Null));
            Value::List(
                numbers
                    .items()
                    .into_iter()
                    .filter_map(|n| match n {
                        Value::Mention(m) => facts::beyond(world.model, &m, &features, &direction)
                            .map(|m| Value::Mention(Arc::new(m))),
                        _ => None,
                    })
                    .collect(),
            )
        }
        Builtin::Backed => {
            let features = args.get(2).cloned().map(entities).unwrap_or_default();
            let measured = word_list(args.get(3));
            let kinds = word_list(args.get(4));
            let lower = word_list(args.get(5));
            let higher = word_list(args.get(6));
            let policy = Policy {
                features,
                measured_frames: measured.as_deref(),
                measuring_kinds: kinds.as_deref(),
                direction: Direction {
                    lower: lower.as_deref(),
                    higher: higher.as_deref(),
                },
            };
            let mut args = args.into_iter();
            let found = args.next().unwrap_or(Value::Null);
            let message = entities(args.next().unwrap_or(Value::Null));
            Value::Bool(found.items().iter().all(|f| match f {
                Value::Mention(m) => message.iter().any(|e| {
                    library::voiced_in_force(world, m, *e, today)
                        || substantiation::backed(world, m, *e, &policy)
                }),
                _ => false,
            }))
        }
        Builtin::Written => {
            let mut args = args.into_iter();
            let of = entities(args.next().unwrap_or(Value::Null));
            let field = match args.next() {
                Some(Value::Text(t, _)) => t.into_owned(),
                _ => return Value::Bool(false),
            };
            Value::Bool(
                !of.is_empty()
                    && of
                        .iter()
                        .all(|e| world.model.entity(*e).get(&field).is_some()),
            )
        }
        Builtin::Drift => {
            let lists: Vec<Option<Arc<WordList>>> =
                (1..5).map(|i| word_list(args.get(i))).collect();
            let list = |i: usize| lists.get(i).and_then(|l| l.as_deref());
            let policy = library::DriftWords {
                qualifiers: list(0),
                hedges: list(1),
                absolutes: list(2),
                superlatives: list(3),
            };
            let message = entities(args.into_iter().next().unwrap_or(Value::Null));
            Value::List(
                message
                    .iter()
                    .flat_map(|m| library::drift(world, *m, &policy))
                    .map(|m| Value::Mention(Arc::new(m)))
                    .collect(),
            )
        }
        Builtin::Cited => {
            let mut args = args.into_iter();
            let found = args.next().unwrap_or(Value::Null);
            let message = entities(args.next().unwrap_or(Value::Null));
            let mut citations = Vec::new();
            args.for_each(|a| a.flatten_into(&mut citations));
            Value::Bool(
                !found.is_empty()
                    && found.items().iter().all(|f| match f {
                        Value::Mention(m) => message
                            .iter()
                            .any(|e| substantiation::cited(world, m, *e, &citations)),
                        _ => false,
                    }),
            )
        }
    }
}

fn entities(v: Value<'_>) -> Vec<EntityId> {
    v.items()
        .into_iter()
        .filter_map(|i| match i {
            Value::Entity(e, _) => Some(e),
            _ => None,
        })
        .collect()
}

/// The span, in the YAML file, of a byte range of a text value read from `origin`.
pub(crate) fn span_in(
    sources: &Sources,
    origin: Option<&Node>,
    value: &str,
    range: std::ops::Range<usize>,
) -> Option<Span> {
    let map = scalar_map(sources, origin, value);
    span_with(sources, origin, map.as_ref(), value, range)
}

/// The raw scalar of `origin` aligned with its decoded `value`, built once for many spans.
fn scalar_map(sources: &Sources, origin: Option<&Node>, value: &str) -> Option<ScalarMap> {
    let span = origin?.span;
    if sources.page_text(span).is_some() {
        // A page's text maps back through the page's own map (see `span_with`).
        return None;
    }
    ScalarMap::new(sources.text(span), value)
}

/// [`span_in`] with the alignment already built.
fn span_with(
    sources: &Sources,
    origin: Option<&Node>,
    map: Option<&ScalarMap>,
    value: &str,
    range: std::ops::Range<usize>,
) -> Option<Span> {
    let node = origin?;
    if let Some(page) = sources.page_text(node.span) {
        return Some(match page.to_raw(range) {
            Some(r) => Span::new(node.span.file, r.start, r.end),
            None => node.span,
        });
    }
    match map.and_then(|m| m.range(value, range)) {
        Some(r) => Some(Span::new(
            node.span.file,
            node.span.start as usize + r.start,
            node.span.start as usize + r.end,
        )),
        None => Some(trim_span(sources, node.span)),
    }
}

/// A span without the trailing whitespace and line breaks block scalars carry.
pub(crate) fn trim_span(sources: &Sources, span: Span) -> Span {
    let text = sources.text(span);
    let trimmed = text.trim_end();
    Span::new(
        span.file,
        span.start as usize,
        span.start as usize + trimmed.len(),
    )
}

/// The patterns of a `matches` call, lists and frames flattened, with the frame each
/// pattern came from.
#[derive(Debug)]
pub(crate) struct Patterns<'m> {
    /// The word lists, patterns and texts, in order.
    pub(crate) values: Vec<Value<'m>>,
    /// For each, the frame it belongs to, if any.
    pub(crate) frames: Vec<Option<Arc<Frame>>>,
}

/// The text and the patterns of a `matches` call.
pub(crate) fn matches_args(args: Vec<Value<'_>>) -> (Value<'_>, Patterns<'_>) {
    let mut args = args.into_iter();
    let text = args.next().unwrap_or(Value::Null);
    (text, patterns_of(args))
}

/// The patterns of a `matches` call (its arguments after the text), flattened, each with
/// the frame it belongs to.
pub(crate) fn patterns_of<'m>(args: impl IntoIterator<Item = Value<'m>>) -> Patterns<'m> {
    let mut flat = Vec::new();
    args.into_iter().for_each(|a| a.flatten_into(&mut flat));
    let mut patterns = Patterns {
        values: Vec::with_capacity(flat.len()),
        frames: Vec::with_capacity(flat.len()),
    };
    for p in flat {
        match p {
            Value::Frame(f) => {
                for inner in &f.patterns {
                    let mut items = Vec::new();
                    inner.clone().flatten_into(&mut items);
                    for i in items {
                        patterns.values.push(i);
                        patterns.frames.push(Some(Arc::clone(&f)));
                    }
                }
            }
            other => {
                patterns.values.push(other);
                patterns.frames.push(None);
            }
        }
    }
    patterns
}

/// What `matches` finds: every pattern's matches in every text, earliest and longest first
/// (the earlier pattern on a tie), without overlaps; each carries the frame that found it.
/// A prefilter built from these very patterns skips those that cannot match a text.
pub(crate) fn find_matches<'m>(
    world: World<'m>,
    text: Value<'m>,
    patterns: &Patterns<'m>,
    prefilter: Option<&Prefilter>,
) -> Vec<Value<'m>> {
    let values = &patterns.values;
    let prefilter = prefilter.filter(|p| p.fits(values));
    let mut out = Vec::new();
    for item in text.items() {
        let (s, origin) = match item {
            Value::Text(s, origin) => (s, origin),
            Value::Mention(m) => (std::borrow::Cow::Owned(m.text.clone()), None),
            _ => continue,
        };
        let mut ranges: Vec<(std::ops::Range<usize>, usize)> = Vec::new();
        let mut found = Vec::new();
        let mut padded = None;
        let haystack = Haystack::new(&s);
        let may = prefilter.map(|f| {
            f.candidates(
                &haystack,
                padded.get_or_insert_with(|| words::Padded::new(&s)),
            )
        });
        for (i, p) in values.iter().enumerate() {
            if may
                .as_ref()
                .is_some_and(|m| !m.get(i).copied().unwrap_or(true))
            {
                continue;
            }
            found.clear();
            match p {
                Value::Words(w) => w.find_in_padded(
                    padded.get_or_insert_with(|| words::Padded::new(&s)),
                    &mut found,
                ),
                Value::Regex(r) => found.extend(r.find_iter(&haystack).filter(|m| !m.is_empty())),
                Value::Text(word, _) => {
                    if let Ok(w) = WordList::new(&[word.as_ref()]) {
                        found.extend(w.find_all(&s));
                    }
                }
                _ => {}
            }
            ranges.extend(found.drain(..).map(|r| (trim_range(&s, r), i)));
        }
        // Earliest first; at the same place a look-alike (`not_claim`) before a claim, so
        // "best before" hides "best"; then longest first.
        let lookalike = |i: &usize| {
            patterns
                .frames
                .get(*i)
                .and_then(Option::as_ref)
                .is_some_and(|f| !f.claim)
        };
        ranges.sort_by(|(a, i), (b, j)| {
            a.start
                .cmp(&b.start)
                .then(lookalike(j).cmp(&lookalike(i)))
                .then(b.end.cmp(&a.end))
                .then(i.cmp(j))
        });
        let map = if ranges.is_empty() {
            None
        } else {
            scalar_map(world.sources, origin, &s)
        };
        let mut last_end = 0;
        for (r, i) in ranges {
            if r.start < last_end || r.start >= r.end {
                continue;
            }
            last_end = r.end;
            let words = s.get(r.clone()).unwrap_or("").to_owned();
            let frame = patterns.frames.get(i).and_then(Option::as_ref);
            out.push(Value::Mention(Arc::new(Mention {
                text: words,
                span: span_with(world.sources, origin, map.as_ref(), &s, r.clone()),
                frame: frame.map(|f| f.name.clone()).unwrap_or_default(),
                proof: frame.map(|f| f.proof.clone()).unwrap_or_default(),
                claim: frame.is_some_and(|f| f.claim),
                at: Some(r),
                ..Mention::default()
            })));
        }
    }
    out
}

/// A found range without the spaces and sentence punctuation at its edges, so an underline
/// is the words alone.
fn trim_range(s: &str, r: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let Some(found) = s.get(r.clone()) else {
        return r;
    };
    let edge = |c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':');
    let start = r.start + (found.len() - found.trim_start_matches(edge).len());
    let end = r.end - (found.len() - found.trim_end_matches(edge).len());
    if start < end { start..end } else { r }
}

fn find_numbers<'m>(world: World<'m>, text: Value<'m>) -> Vec<Value<'m>> {
    let mut out = Vec::new();
    for item in text.items() {
        let Value::Text(s, origin) = item else {
            continue;
        };
        let found = numbers::numbers(&s);
        let map = if found.is_empty() {
            None
        } else {
            scalar_map(world.sources, origin, &s)
        };
        for n in found {
            out.push(Value::Mention(Arc::new(number_mention(
                world,
                &s,
                origin,
                map.as_ref(),
                n,
            ))));
        }
    }
    out
}

fn number_mention(
    world: World<'_>,
    s: &str,
    origin: Option<&Node>,
    map: Option<&ScalarMap>,
    n: numbers::NumberMention,
) -> Mention {
    Mention {
        span: span_with(world.sources, origin, map, s, n.range.clone()),
        text: n.text,
        value: Some(n.value),
        unit: n.unit,
        qualifier: n.qualifier.unwrap_or_default(),
        fact: n.context.join(" "),
        at: Some(n.range.clone()),
        ..Mention::default()
    }
}
