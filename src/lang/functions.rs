//! The functions rules can call: their signatures (for the checker and `align explain`) and
//! what they compute.

use super::check::Ty;
use super::prefilter::Prefilter;
use super::text::{self, WordList};
use super::value::{Mention, Value};
use crate::model::schema::Kind;
use crate::model::{EntityId, Model, Node, NodeValue};
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

/// A function's signature and documentation.
pub struct Function {
    /// Its name.
    pub name: &'static str,
    /// Fewest arguments.
    pub min_args: usize,
    /// Most arguments (`None`: any number).
    pub max_args: Option<usize>,
    /// How it is called.
    pub signature: &'static str,
    /// What it is for.
    pub summary: &'static str,
    /// Its result type given its arguments' types.
    pub result: fn(&[Ty]) -> Ty,
}

fn first_arg(args: &[Ty]) -> Ty {
    args.first().cloned().unwrap_or(Ty::Any)
}

/// Every function of the language.
pub const FUNCTIONS: &[Function] = &[
    Function {
        name: "words",
        min_args: 1,
        max_args: None,
        signature: "words(\"a\", \"b c\", ...)",
        summary: "a word list: whole words and phrases, matched case-insensitively",
        result: |_| Ty::Words,
    },
    Function {
        name: "matches",
        min_args: 2,
        max_args: None,
        signature: "matches(text, word list or /pattern/, ...)",
        summary: "the words of the text that the word lists or patterns find, each with its exact place",
        result: |_| Ty::List(Box::new(Ty::Mention)),
    },
    Function {
        name: "numbers",
        min_args: 1,
        max_args: Some(1),
        signature: "numbers(text)",
        summary: "the numbers in a text, each with .value, .unit and .qualifier (\"up to\")",
        result: |_| Ty::List(Box::new(Ty::Mention)),
    },
    Function {
        name: "count",
        min_args: 1,
        max_args: Some(1),
        signature: "count(list)",
        summary: "how many items a list has",
        result: |_| Ty::Number,
    },
    Function {
        name: "len",
        min_args: 1,
        max_args: Some(1),
        signature: "len(text or list)",
        summary: "the number of characters of a text, or of items of a list",
        result: |_| Ty::Number,
    },
    Function {
        name: "lower",
        min_args: 1,
        max_args: Some(1),
        signature: "lower(text)",
        summary: "the text in lower case",
        result: |_| Ty::Text,
    },
    Function {
        name: "either",
        min_args: 1,
        max_args: None,
        signature: "either(a, b, ...)",
        summary: "the first of its arguments that is not empty",
        result: first_arg,
    },
    Function {
        name: "list",
        min_args: 0,
        max_args: None,
        signature: "list(a, b, ...)",
        summary: "all of its arguments' items as one list",
        result: |args| {
            Ty::List(Box::new(
                args.first().map(|t| t.item().clone()).unwrap_or(Ty::Any),
            ))
        },
    },
    Function {
        name: "beyond_facts",
        min_args: 2,
        max_args: Some(2),
        signature: "beyond_facts(numbers(text), features)",
        summary: "the numbers that claim more than a matching fact of the features shows (each with .fact and .limit)",
        result: |_| Ty::List(Box::new(Ty::Mention)),
    },
    Function {
        name: "backed",
        min_args: 2,
        max_args: Some(2),
        signature: "backed(found words, message)",
        summary: "whether a claim found in a message is substantiated: inside a claim with evidence, in a sentence that cites its basis (\"according to ...\", \"in our 2026 survey of 212 ...\", \"(source: ...)\"), or every number in it matched by a fact of a linked feature",
        result: |_| Ty::Bool,
    },
];

/// The most a user pattern may compile to, so a pattern cannot exhaust memory.
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Compiles a `/pattern/flags` literal.
pub fn compile_regex(body: &str, flags: &str) -> Result<Regex, String> {
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

/// Runs a function. Arity and types were checked when the rule file loaded.
pub fn call<'m>(world: World<'m>, name: &str, args: Vec<Value<'m>>) -> Value<'m> {
    match name {
        "words" => {
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
            WordList::new(&entries)
                .map(|w| Value::Words(Arc::new(w)))
                .unwrap_or(Value::Null)
        }
        "matches" => {
            let (text, patterns) = matches_args(args);
            Value::List(find_matches(world, text, &patterns, None))
        }
        "numbers" => {
            let text = args.into_iter().next().unwrap_or(Value::Null);
            Value::List(find_numbers(world, text))
        }
        "count" => Value::Number(args.first().map(Value::count).unwrap_or(0) as f64),
        "len" => match args.into_iter().next() {
            Some(Value::Text(s, _)) => Value::Number(s.chars().count() as f64),
            Some(v) => Value::Number(v.count() as f64),
            None => Value::Number(0.0),
        },
        "lower" => match args.into_iter().next() {
            Some(Value::Text(s, origin)) => Value::Text(s.to_lowercase().into(), origin),
            Some(Value::Mention(m)) => Value::text(m.text.to_lowercase()),
            _ => Value::Null,
        },
        "either" => args
            .into_iter()
            .find(|a| !a.is_empty())
            .unwrap_or(Value::Null),
        "list" => {
            let mut items = Vec::with_capacity(args.len());
            args.into_iter().for_each(|a| a.flatten_into(&mut items));
            Value::List(items)
        }
        "beyond_facts" => {
            let mut args = args.into_iter();
            let numbers = args.next().unwrap_or(Value::Null);
            let features = entities(args.next().unwrap_or(Value::Null));
            Value::List(
                numbers
                    .items()
                    .into_iter()
                    .filter_map(|n| match n {
                        Value::Mention(m) => {
                            beyond(world, &m, &features).map(|m| Value::Mention(Arc::new(m)))
                        }
                        _ => None,
                    })
                    .collect(),
            )
        }
        "backed" => {
            let mut args = args.into_iter();
            let found = args.next().unwrap_or(Value::Null);
            let message = entities(args.next().unwrap_or(Value::Null));
            Value::Bool(found.items().iter().all(|f| match f {
                Value::Mention(m) => message.iter().any(|e| backed(world, m, *e)),
                _ => false,
            }))
        }
        _ => Value::Null,
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
pub fn span_in(
    sources: &Sources,
    origin: Option<&Node>,
    value: &str,
    range: std::ops::Range<usize>,
) -> Option<Span> {
    let map = scalar_map(sources, origin, value);
    span_with(sources, origin, map.as_ref(), value, range)
}

/// The raw scalar of `origin` aligned with its decoded `value`, built once for many spans.
fn scalar_map(sources: &Sources, origin: Option<&Node>, value: &str) -> Option<text::ScalarMap> {
    let span = origin?.span;
    if sources.page_text(span).is_some() {
        // A page's text maps back through the page's own map (see `span_with`).
        return None;
    }
    text::ScalarMap::new(sources.text(span), value)
}

/// [`span_in`] with the alignment already built.
fn span_with(
    sources: &Sources,
    origin: Option<&Node>,
    map: Option<&text::ScalarMap>,
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
pub fn trim_span(sources: &Sources, span: Span) -> Span {
    let text = sources.text(span);
    let trimmed = text.trim_end();
    Span::new(
        span.file,
        span.start as usize,
        span.start as usize + trimmed.len(),
    )
}

/// The text and the patterns (lists flattened) of a `matches` call.
pub fn matches_args(args: Vec<Value<'_>>) -> (Value<'_>, Vec<Value<'_>>) {
    let mut args = args.into_iter();
    let text = args.next().unwrap_or(Value::Null);
    let mut patterns = Vec::with_capacity(args.len());
    args.for_each(|a| a.flatten_into(&mut patterns));
    (text, patterns)
}

/// What `matches` finds: every pattern's matches in every text, earliest and longest first,
/// without overlaps. A prefilter built from these very patterns skips those that cannot
/// match a text.
pub fn find_matches<'m>(
    world: World<'m>,
    text: Value<'m>,
    patterns: &[Value<'m>],
    prefilter: Option<&Prefilter>,
) -> Vec<Value<'m>> {
    let prefilter = prefilter.filter(|p| p.fits(patterns));
    let mut out = Vec::new();
    for item in text.items() {
        let (s, origin) = match item {
            Value::Text(s, origin) => (s, origin),
            Value::Mention(m) => (std::borrow::Cow::Owned(m.text.clone()), None),
            _ => continue,
        };
        let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
        let mut padded = None;
        let may = prefilter
            .map(|f| f.candidates(&s, padded.get_or_insert_with(|| text::Padded::new(&s))));
        for (i, p) in patterns.iter().enumerate() {
            if may
                .as_ref()
                .is_some_and(|m| !m.get(i).copied().unwrap_or(true))
            {
                continue;
            }
            match p {
                Value::Words(w) => w.find_in_padded(
                    padded.get_or_insert_with(|| text::Padded::new(&s)),
                    &mut ranges,
                ),
                Value::Regex(r) => {
                    ranges.extend(r.find_iter(&s).filter(|m| !m.is_empty()).map(|m| m.range()))
                }
                Value::Text(word, _) => {
                    if let Ok(w) = WordList::new(&[word.as_ref()]) {
                        ranges.extend(w.find_all(&s));
                    }
                }
                _ => {}
            }
        }
        ranges.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let map = if ranges.is_empty() {
            None
        } else {
            scalar_map(world.sources, origin, &s)
        };
        let mut last_end = 0;
        for r in ranges {
            if r.start < last_end {
                continue;
            }
            last_end = r.end;
            let words = s.get(r.clone()).unwrap_or("").to_owned();
            out.push(Value::Mention(Arc::new(Mention {
                text: words,
                span: span_with(world.sources, origin, map.as_ref(), &s, r),
                value: None,
                unit: String::new(),
                qualifier: String::new(),
                fact: String::new(),
                limit: None,
                fact_span: None,
            })));
        }
    }
    out
}

fn find_numbers<'m>(world: World<'m>, text: Value<'m>) -> Vec<Value<'m>> {
    let mut out = Vec::new();
    for item in text.items() {
        let Value::Text(s, origin) = item else {
            continue;
        };
        let found = text::numbers(&s);
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
    map: Option<&text::ScalarMap>,
    n: text::NumberMention,
) -> Mention {
    Mention {
        span: span_with(world.sources, origin, map, s, n.range.clone()),
        text: n.text,
        value: Some(n.value),
        unit: n.unit,
        qualifier: n.qualifier.unwrap_or_default(),
        fact: n.context.join(" "),
        limit: None,
        fact_span: None,
    }
}

/// How a fact name's suffix maps to the unit of a number in a text, with a factor that
/// brings durations to hours and nothing else changed.
fn fact_unit(fact: &str) -> Option<(&'static str, f64)> {
    let suffix = fact.rsplit('_').next().unwrap_or("");
    Some(match suffix {
        "pct" | "percent" => ("%", 1.0),
        "ms" => ("ms", 1.0),
        "x" => ("x", 1.0),
        "seconds" | "secs" => ("duration", 1.0 / 3600.0),
        "minutes" | "mins" => ("duration", 1.0 / 60.0),
        "hours" => ("duration", 1.0),
        "days" => ("duration", 24.0),
        "weeks" => ("duration", 24.0 * 7.0),
        "gbp" => ("£", 1.0),
        "usd" => ("$", 1.0),
        "eur" => ("€", 1.0),
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

const UNIT_WORDS: &[&str] = &[
    "pct", "percent", "ms", "x", "seconds", "secs", "minutes", "mins", "hours", "days", "weeks",
    "gbp", "usd", "eur", "per", "of", "the",
];

/// Whether a fact name shares a word with the words around a number.
fn shares_word(fact: &str, context: &str) -> bool {
    fact.split('_')
        .filter(|w| !w.is_empty() && !UNIT_WORDS.contains(w))
        .any(|w| {
            context.split_whitespace().any(|c| {
                c == w || (w.len().min(c.len()) >= 4 && (c.starts_with(w) || w.starts_with(c)))
            })
        })
}

/// Whether a smaller number is the better claim for this fact (latency, price, setup time).
fn lower_is_better(fact: &str, unit: &str) -> bool {
    let words: Vec<&str> = fact.split('_').collect();
    let higher = [
        "saved",
        "saving",
        "savings",
        "reduction",
        "uptime",
        "rate",
        "accuracy",
        "throughput",
        "faster",
    ];
    if words.iter().any(|w| higher.contains(w)) {
        return false;
    }
    let lower = [
        "latency",
        "delay",
        "wait",
        "price",
        "cost",
        "fee",
        "fees",
        "response",
        "setup",
        "time",
        "duration",
        "onboarding",
        "ms",
    ];
    unit == "ms" || words.iter().any(|w| lower.contains(w))
}

/// The facts of a feature, with their spans.
fn facts_of(model: &Model, feature: EntityId) -> Vec<(&str, f64, Span)> {
    let Some(node) = model.entity(feature).get("facts") else {
        return Vec::new();
    };
    match &node.value {
        NodeValue::Map(entries) => entries
            .iter()
            .filter_map(|(k, v)| match (&k.value, &v.value) {
                (NodeValue::Text(name), NodeValue::Number(n)) => {
                    Some((&**name, *n, k.span.to(v.span)))
                }
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The fact of the features that speaks about this number, if any.
fn matching_fact<'a>(
    model: &'a Model,
    number: &Mention,
    features: &[EntityId],
) -> Option<(&'a str, f64, Span, f64)> {
    let (unit, factor) = mention_unit(&number.unit)?;
    for f in features {
        if model.entity(*f).kind != Kind::Feature {
            continue;
        }
        for (name, value, span) in facts_of(model, *f) {
            let Some((fu, ffactor)) = fact_unit(name) else {
                continue;
            };
            if fu != unit || !shares_word(name, &number.fact) {
                continue;
            }
            // Both sides in the same measure (hours for durations).
            let claimed = number.value? * factor / ffactor;
            return Some((name, value, span, claimed));
        }
    }
    None
}

/// The number, annotated with its fact, when it claims more than that fact shows.
fn beyond(world: World<'_>, number: &Mention, features: &[EntityId]) -> Option<Mention> {
    let (name, fact, span, claimed) = matching_fact(world.model, number, features)?;
    if !exceeds(number, name, fact, claimed) {
        return None;
    }
    Some(Mention {
        fact: name.to_owned(),
        limit: Some(fact),
        fact_span: Some(span),
        ..number.clone()
    })
}

/// Whether a number, `claimed` in the measure of the fact `name`, says more than the fact's
/// value `fact` shows.
fn exceeds(number: &Mention, name: &str, fact: f64, claimed: f64) -> bool {
    let q = number.qualifier.as_str();
    let strict_more = matches!(q, "over" | "more than" | "above" | "at least" | "from");
    let strict_less = matches!(
        q,
        "under" | "less than" | "below" | "within" | "as little as"
    );
    if lower_is_better(name, &number.unit) {
        claimed < fact
            || (strict_less && claimed <= fact && claimed < fact + f64::EPSILON && q != "within")
    } else {
        claimed > fact || (strict_more && q != "at least" && q != "from" && claimed >= fact)
    }
}

/// Words that cite the basis of a claim in the text itself: "according to ...", "in our
/// 2026 survey of 212 finance leads", "(source: ...)", "based on our 2025 study",
/// "audited by ...", or a parenthesised reference with a year ("(Gartner, 2025)").
const CITATION: &str = r"(?ix)
    \baccording\s+to\b
  | \b(?:source|sources)\s*:
  | \(\s*source\b
  | \bbased\s+on\s+(?:a\s+|an\s+|our\s+|the\s+)?(?:(?:19|20)\d{2}\s+)?(?:independent\s+|internal\s+|customer\s+|third-party\s+|annual\s+)?
      (?:survey|study|poll|audit|benchmark|analysis|review|trial|research|data)
  | \b(?:in|from|per)\s+(?:our|an?|the)\s+(?:(?:19|20)\d{2}\s+)?(?:independent\s+|internal\s+|customer\s+|third-party\s+|annual\s+)?
      (?:survey|study|poll|audit|benchmark|analysis|research|trial)\b
  | \bsurvey(?:ed)?\s+of\s+\d
  | \b(?:independently\s+(?:verified|tested|audited|certified)|(?:verified|certified|audited)\s+by|as\s+measured\s+by)\b
  | \([^()]*\b(?:19|20)\d{2}\s*\)
";

/// Sentence openings that make a whole sentence a citation of the one before it.
const CITATION_OPENING: &str = r"(?i)^\W*(?:source|sources|according\s+to|based\s+on|data|\*)";

fn citation_regexes() -> Option<&'static (Regex, Regex)> {
    static CITATIONS: std::sync::OnceLock<Option<(Regex, Regex)>> = std::sync::OnceLock::new();
    CITATIONS
        .get_or_init(|| {
            Some((
                Regex::new(CITATION).ok()?,
                Regex::new(CITATION_OPENING).ok()?,
            ))
        })
        .as_ref()
}

/// The sentences of a text, as byte ranges: split after `.`, `!` or `?` followed by
/// whitespace, and at line breaks.
fn sentences(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_space = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
        if c == '\n' || (matches!(c, '.' | '!' | '?') && next_is_space) {
            let end = i + c.len_utf8();
            if text.get(start..end).is_some_and(|s| !s.trim().is_empty()) {
                out.push(start..end);
            }
            start = end;
        }
    }
    if text.get(start..).is_some_and(|s| !s.trim().is_empty()) {
        out.push(start..text.len());
    }
    out
}

/// A text read for citations once, for every claim found in it.
struct CitedText {
    lower: String,
    /// Lower-casing changed byte offsets, so sentences cannot be told apart: whether the
    /// text cites a basis anywhere.
    shifted: Option<bool>,
    sentences: Vec<std::ops::Range<usize>>,
    /// For each sentence: it cites its basis, or the next sentence is a citation.
    cited: Vec<bool>,
}

impl CitedText {
    fn new(text: &str) -> CitedText {
        let lower = text.to_lowercase();
        let Some((citation, opening)) = citation_regexes() else {
            return CitedText {
                lower,
                shifted: Some(false),
                sentences: Vec::new(),
                cited: Vec::new(),
            };
        };
        if lower.len() != text.len() {
            return CitedText {
                lower,
                shifted: Some(citation.is_match(text)),
                sentences: Vec::new(),
                cited: Vec::new(),
            };
        }
        let sentences = sentences(text);
        let cited = (0..sentences.len())
            .map(|k| {
                let this = sentences
                    .get(k)
                    .and_then(|r| text.get(r.clone()))
                    .unwrap_or("");
                let next = sentences
                    .get(k + 1)
                    .and_then(|r| text.get(r.clone()))
                    .unwrap_or("");
                citation.is_match(this)
                    || opening.is_match(next.trim_start()) && citation.is_match(next)
                    || next.trim_start().starts_with('*')
            })
            .collect();
        CitedText {
            lower,
            shifted: None,
            sentences,
            cited,
        }
    }

    /// Whether the words `needle` (lower case) stand in a sentence that cites its basis, or
    /// that is followed by a sentence that is a citation ("Source: ...").
    fn cites(&self, needle: &str) -> bool {
        if let Some(anywhere) = self.shifted {
            return anywhere && self.lower.contains(needle);
        }
        let mut from = 0;
        while let Some(at) = self
            .lower
            .get(from..)
            .and_then(|r| r.find(needle))
            .map(|i| i + from)
        {
            from = at + needle.len().max(1);
            let Some(k) = self.sentences.iter().position(|r| r.contains(&at)) else {
                continue;
            };
            if self.cited.get(k).copied().unwrap_or(false) {
                return true;
            }
        }
        false
    }
}

/// What `backed` reads of a message, read once for all the claims found in it.
struct MessageMemo {
    /// The model and message it was read from.
    key: (u64, EntityId),
    /// The message's text (when it has one), then its claims' texts.
    texts: Vec<CitedText>,
    /// Whether `texts` starts with the message's own text.
    has_text: bool,
    /// The lower-case text of each claim that links evidence.
    evidenced_claims: Vec<String>,
    features: Vec<EntityId>,
}

impl MessageMemo {
    fn new(model: &Model, message: EntityId) -> MessageMemo {
        let entity = model.entity(message);
        let mut texts: Vec<CitedText> = entity
            .text("text")
            .map(CitedText::new)
            .into_iter()
            .collect();
        let mut evidenced_claims = Vec::new();
        if let Some(NodeValue::List(claims)) = entity.get("claims").map(|n| &n.value) {
            for claim in claims {
                let text = claim.get("text").and_then(Node::as_text);
                if let Some(t) = text {
                    texts.push(CitedText::new(t));
                }
                let has_evidence = claim.get("evidence").is_some_and(|e| match &e.value {
                    NodeValue::List(items) => !items.is_empty(),
                    NodeValue::Text(_) => true,
                    _ => false,
                });
                if has_evidence {
                    evidenced_claims.push(text.unwrap_or("").to_lowercase());
                }
            }
        }
        MessageMemo {
            key: (model.generation(), message),
            has_text: entity.text("text").is_some(),
            texts,
            evidenced_claims,
            features: linked_features(model, message),
        }
    }
}

thread_local! {
    /// The message `backed` read last: a message's claims are checked one after another.
    static LAST_MESSAGE: std::cell::RefCell<Option<MessageMemo>> = const { std::cell::RefCell::new(None) };
}

/// Whether a claim found in a message is substantiated.
fn backed(world: World<'_>, found: &Mention, message: EntityId) -> bool {
    LAST_MESSAGE.with(|last| {
        let mut last = last.borrow_mut();
        let key = (world.model.generation(), message);
        let memo = match last.take() {
            Some(m) if m.key == key => m,
            _ => MessageMemo::new(world.model, message),
        };
        let answer = backed_by(world, found, message, &memo);
        *last = Some(memo);
        answer
    })
}

fn backed_by(world: World<'_>, found: &Mention, message: EntityId, memo: &MessageMemo) -> bool {
    let entity = world.model.entity(message);
    // A page's footnote naming an evidence id backs the sentence it is attached to.
    if let (Some(page), Some(span)) = (&entity.page, found.span) {
        if page
            .citations_at(span)
            .any(|label| world.model.lookup(Kind::Evidence, label).is_some())
        {
            return true;
        }
    }
    let needle = found.text.to_lowercase();
    // A basis cited in the text itself: in the message, or in the claim that says it.
    if memo.texts.iter().any(|t| t.cites(&needle)) {
        return true;
    }
    if memo.evidenced_claims.iter().any(|t| t.contains(&needle)) {
        return true;
    }
    let numbers = text::numbers(&found.text);
    if numbers.is_empty() {
        return false;
    }
    let features = &memo.features;
    let full = entity.text("text").unwrap_or("");
    // Each number is read with the words around the claim in the whole message.
    let context = memo
        .texts
        .first()
        .filter(|_| memo.has_text)
        .and_then(|t| t.lower.find(&needle))
        .map(|at| {
            let start = at.saturating_sub(60);
            let end = (at + needle.len() + 60).min(full.len());
            let mut s = start;
            while s > 0 && !full.is_char_boundary(s) {
                s -= 1;
            }
            let mut e = end;
            while e < full.len() && !full.is_char_boundary(e) {
                e += 1;
            }
            text::words_line(full.get(s..e).unwrap_or(""))
        })
        .unwrap_or_default();
    numbers.iter().all(|n| {
        let m = Mention {
            text: n.text.clone(),
            span: None,
            value: Some(n.value),
            unit: n.unit.clone(),
            qualifier: n.qualifier.clone().unwrap_or_default(),
            fact: format!("{} {}", n.context.join(" "), context),
            limit: None,
            fact_span: None,
        };
        matching_fact(world.model, &m, features)
            .is_some_and(|(name, fact, _, claimed)| !exceeds(&m, name, fact, claimed))
    })
}

/// A message's linked features: its own `features`, else its proposition's.
pub fn linked_features(model: &Model, message: EntityId) -> Vec<EntityId> {
    let entity = model.entity(message);
    let ids = |e: &crate::model::Entity| -> Vec<EntityId> {
        e.get("features")
            .map(|n| {
                crate::model::index::ids_in(n)
                    .into_iter()
                    .filter_map(|(id, _)| model.lookup(Kind::Feature, id))
                    .collect()
            })
            .unwrap_or_default()
    };
    let own = ids(entity);
    if !own.is_empty() {
        return own;
    }
    entity
        .text("proposition")
        .and_then(|p| model.lookup(Kind::Proposition, p))
        .map(|p| ids(model.entity(p)))
        .unwrap_or_default()
}
