//! The built-in functions of the rule language, as the checker resolves them: each call is
//! bound at load to a `Builtin` whose parameter types are checked there, so a call with
//! arguments of the wrong kind is a located error, never a silent empty value at run time.

use super::check::Ty;
use crate::model::Kind;

/// A built-in function, resolved from its name when a rule file loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Builtin {
    /// `words("a", "b c")`: a word list.
    Words,
    /// `forms("save", "optimise")`: a word list of the words with their inflections and
    /// UK/US spellings.
    Forms,
    /// `comparative_of("fast")`: a word list of the -er forms ("faster").
    ComparativeOf,
    /// `superlative_of("fast")`: a word list of the -est forms ("fastest").
    SuperlativeOf,
    /// `phrase(a, gap(2), b)`: a pattern of parts in sequence.
    Phrase,
    /// `gap(n)`: in a phrase, up to `n` words of anything.
    Gap,
    /// `claim("price", "proof", patterns...)`: a claim frame.
    Claim,
    /// `not_claim("idiom", patterns...)`: a look-alike that is not a claim.
    NotClaim,
    /// `matches(text, patterns...)`: the words found, with their places.
    Matches,
    /// `numbers(text)`: the numbers in a text.
    Numbers,
    /// `count(list)`.
    Count,
    /// `len(text or list)`.
    Len,
    /// `lower(text)`.
    Lower,
    /// `either(a, b, ...)`.
    Either,
    /// `list(a, b, ...)`.
    List,
    /// `beyond_facts(numbers, features, lower_is_better, higher_is_better)`.
    BeyondFacts,
    /// `backed(found, message, features, measured_frames, measuring_kinds, lower_is_better,
    /// higher_is_better)`.
    Backed,
    /// `cited(found, message, citations)`: the claim's sentence cites a basis in words.
    Cited,
    /// `written(entity, "field")`: the field is written in the entity's file, whether or not
    /// its value names anything that exists.
    Written,
    /// `drift(message, qualifiers, hedges, absolutes, superlatives)`: where the message's
    /// words drift from the approved wording of the library claims it says.
    Drift,
}

/// What a parameter accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Param {
    /// Anything.
    Any,
    /// Text, or words found in a text.
    Text,
    /// Texts or word lists (the entries of a word list).
    Entries,
    /// A number.
    Number,
    /// What `matches` looks for: word lists, patterns, texts, frames.
    Pattern,
    /// A part of a phrase: a word list, a pattern, a text or a gap.
    PhrasePart,
    /// Entities of any kind.
    Entities,
    /// Messages.
    Messages,
    /// Words or numbers found in a text.
    Mentions,
}

impl Param {
    /// Whether a value of type `ty` may be passed here.
    pub(crate) fn accepts(self, ty: &Ty) -> bool {
        let t = ty.item();
        if matches!(t, Ty::Any) {
            return true;
        }
        match self {
            Param::Any => true,
            Param::Text => matches!(t, Ty::Text | Ty::Mention | Ty::Entity(_)),
            Param::Entries => matches!(t, Ty::Text | Ty::Words),
            Param::Number => matches!(t, Ty::Number),
            Param::Pattern => matches!(t, Ty::Words | Ty::Regex | Ty::Text | Ty::Frame),
            Param::PhrasePart => {
                matches!(t, Ty::Words | Ty::Regex | Ty::Text | Ty::Number | Ty::Frame)
            }
            Param::Entities => matches!(t, Ty::Entity(_)),
            Param::Messages => matches!(t, Ty::Entity(Kind::Message)),
            Param::Mentions => matches!(t, Ty::Mention),
        }
    }

    /// What the parameter takes, in words, for errors.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Param::Any => "any value",
            Param::Text => "text",
            Param::Entries => "texts or word lists",
            Param::Number => "a number",
            Param::Pattern => "word lists, patterns or claim frames",
            Param::PhrasePart => "word lists, patterns, texts, claim frames or gap(n)",
            Param::Entities => "entities (a path such as m.features)",
            Param::Messages => "a message",
            Param::Mentions => "words found in a text (from matches or numbers)",
        }
    }
}

/// A function's signature and documentation.
pub struct Function {
    /// Its name.
    pub name: &'static str,
    /// What a call runs.
    pub(crate) builtin: Builtin,
    /// The types of its leading parameters, in order.
    pub(crate) params: &'static [Param],
    /// Fewest arguments.
    pub(crate) min_args: usize,
    /// The type of every further argument, when it takes any number.
    pub(crate) rest: Option<Param>,
    /// How it is called.
    pub(crate) signature: &'static str,
    /// What it is for.
    pub(crate) summary: &'static str,
    /// Its result type given its arguments' types.
    pub(crate) result: fn(&[Ty]) -> Ty,
}

impl Function {
    /// Most arguments (`None`: any number).
    pub(crate) fn max_args(&self) -> Option<usize> {
        self.rest.is_none().then_some(self.params.len())
    }

    /// The type the `i`th argument must have.
    pub(crate) fn param(&self, i: usize) -> Option<Param> {
        self.params.get(i).copied().or(self.rest)
    }
}

fn first_arg(args: &[Ty]) -> Ty {
    args.first().cloned().unwrap_or(Ty::Any)
}

fn mentions(_: &[Ty]) -> Ty {
    Ty::List(Box::new(Ty::Mention))
}

/// Every function of the language.
pub const FUNCTIONS: &[Function] = &[
    Function {
        name: "words",
        builtin: Builtin::Words,
        params: &[Param::Entries],
        min_args: 1,
        rest: Some(Param::Entries),
        signature: "words(\"a\", \"b c\", ...)",
        summary: "a word list: whole words and phrases, matched case-insensitively",
        result: |_| Ty::Words,
    },
    Function {
        name: "forms",
        builtin: Builtin::Forms,
        params: &[Param::Entries],
        min_args: 1,
        rest: Some(Param::Entries),
        signature: "forms(\"save\", \"optimise\", ...)",
        summary: "a word list of the words with their family: -s, -es, -ed, -ing, doubled consonants, and UK/US spellings (-ise/-ize, -our/-or, -tre/-ter, -yse/-yze)",
        result: |_| Ty::Words,
    },
    Function {
        name: "comparative_of",
        builtin: Builtin::ComparativeOf,
        params: &[Param::Entries],
        min_args: 1,
        rest: Some(Param::Entries),
        signature: "comparative_of(\"fast\", \"big\", ...)",
        summary: "a word list of the adjectives' -er forms (faster, bigger, easier)",
        result: |_| Ty::Words,
    },
    Function {
        name: "superlative_of",
        builtin: Builtin::SuperlativeOf,
        params: &[Param::Entries],
        min_args: 1,
        rest: Some(Param::Entries),
        signature: "superlative_of(\"fast\", \"big\", ...)",
        summary: "a word list of the adjectives' -est forms (fastest, biggest, easiest)",
        result: |_| Ty::Words,
    },
    Function {
        name: "phrase",
        builtin: Builtin::Phrase,
        params: &[Param::PhrasePart],
        min_args: 1,
        rest: Some(Param::PhrasePart),
        signature: "phrase(words1, gap(2), words2, ...)",
        summary: "a pattern: its parts in order, separated by spaces; gap(n) lets up to n words come between two parts",
        result: |_| Ty::Regex,
    },
    Function {
        name: "gap",
        builtin: Builtin::Gap,
        params: &[Param::Number],
        min_args: 1,
        rest: None,
        signature: "gap(n)",
        summary: "inside phrase(...): up to n words of anything",
        result: |_| Ty::Number,
    },
    Function {
        name: "claim",
        builtin: Builtin::Claim,
        params: &[Param::Text, Param::Text, Param::Pattern],
        min_args: 3,
        rest: Some(Param::Pattern),
        signature: "claim(\"frame name\", \"what proof fits\", patterns...)",
        summary: "a claim frame: what matches(...) finds with its patterns carries .frame, .proof and .claim (true)",
        result: |_| Ty::Frame,
    },
    Function {
        name: "not_claim",
        builtin: Builtin::NotClaim,
        params: &[Param::Text, Param::Pattern],
        min_args: 2,
        rest: Some(Param::Pattern),
        signature: "not_claim(\"name\", patterns...)",
        summary: "a look-alike that is not a claim: what matches(...) finds with it carries .frame and .claim (false), and hides the claims it overlaps",
        result: |_| Ty::Frame,
    },
    Function {
        name: "matches",
        builtin: Builtin::Matches,
        params: &[Param::Text, Param::Pattern],
        min_args: 2,
        rest: Some(Param::Pattern),
        signature: "matches(text, word list or /pattern/ or claim frame, ...)",
        summary: "the words of the text that the word lists or patterns find, each with its exact place",
        result: mentions,
    },
    Function {
        name: "numbers",
        builtin: Builtin::Numbers,
        params: &[Param::Text],
        min_args: 1,
        rest: None,
        signature: "numbers(text)",
        summary: "the numbers in a text, each with .value, .unit and .qualifier (\"up to\")",
        result: mentions,
    },
    Function {
        name: "count",
        builtin: Builtin::Count,
        params: &[Param::Any],
        min_args: 1,
        rest: None,
        signature: "count(list)",
        summary: "how many items a list has",
        result: |_| Ty::Number,
    },
    Function {
        name: "len",
        builtin: Builtin::Len,
        params: &[Param::Any],
        min_args: 1,
        rest: None,
        signature: "len(text or list)",
        summary: "the number of characters of a text, or of items of a list",
        result: |_| Ty::Number,
    },
    Function {
        name: "lower",
        builtin: Builtin::Lower,
        params: &[Param::Text],
        min_args: 1,
        rest: None,
        signature: "lower(text)",
        summary: "the text in lower case",
        result: |_| Ty::Text,
    },
    Function {
        name: "either",
        builtin: Builtin::Either,
        params: &[Param::Any],
        min_args: 1,
        rest: Some(Param::Any),
        signature: "either(a, b, ...)",
        summary: "the first of its arguments that is not empty",
        result: first_arg,
    },
    Function {
        name: "list",
        builtin: Builtin::List,
        params: &[],
        min_args: 0,
        rest: Some(Param::Any),
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
        builtin: Builtin::BeyondFacts,
        params: &[
            Param::Mentions,
            Param::Entities,
            Param::Entries,
            Param::Entries,
        ],
        min_args: 4,
        rest: None,
        signature: "beyond_facts(numbers(text), features, lower_is_better, higher_is_better)",
        summary: "the numbers that claim more than a matching fact of the features shows (each with .fact and .limit); a fact's direction is its `better`, else read from its name's words",
        result: mentions,
    },
    Function {
        name: "backed",
        builtin: Builtin::Backed,
        params: &[
            Param::Mentions,
            Param::Messages,
            Param::Entities,
            Param::Entries,
            Param::Entries,
            Param::Entries,
            Param::Entries,
        ],
        min_args: 7,
        rest: None,
        signature: "backed(found, message, features, measured_frames, measuring_kinds, lower_is_better, higher_is_better)",
        summary: "whether a claim found in a message is substantiated where it stands: evidence linked to the message, or to the claim that says it, of a kind that could back it; a sentence naming an evidence item of the project; every number in it matched by a fact of one of the features; or a sentence voicing an approved, unexpired, substantiated claim of the library",
        result: |_| Ty::Bool,
    },
    Function {
        name: "cited",
        builtin: Builtin::Cited,
        params: &[Param::Mentions, Param::Messages, Param::Pattern],
        min_args: 3,
        rest: Some(Param::Pattern),
        signature: "cited(found, message, citations...)",
        summary: "whether the sentence a claim stands in (or the one after it) cites a basis in words the citation patterns find (\"according to ...\", \"(source: ...)\")",
        result: |_| Ty::Bool,
    },
    Function {
        name: "written",
        builtin: Builtin::Written,
        params: &[Param::Entities, Param::Text],
        min_args: 2,
        rest: None,
        signature: "written(entity, \"field\")",
        summary: "whether the field is written in the entity's file, even when the id it names does not exist (`m.proposition` is empty then)",
        result: |_| Ty::Bool,
    },
    Function {
        name: "drift",
        builtin: Builtin::Drift,
        params: &[
            Param::Messages,
            Param::Entries,
            Param::Entries,
            Param::Entries,
            Param::Entries,
        ],
        min_args: 5,
        rest: None,
        signature: "drift(message, qualifiers, hedges, absolutes, superlatives)",
        summary: "where the message says a library claim in words that change its promise (a number, unit or qualifier changed, a hedge dropped, an absolute or superlative added), each with .approved (the approved wording), .change and .library_claim",
        result: mentions,
    },
];

/// The function named `name`.
pub(crate) fn find(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name == name)
}
