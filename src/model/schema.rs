//! The data model's vocabulary: the seven kinds, their fields and types, and the back-links.
//!
//! Loading validates against these tables, the rule checker resolves names against them, and
//! the evaluator follows references with them: there is one description of the model.

use std::fmt;

/// A kind of entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A group of customers marketing addresses.
    Segment,
    /// Something a segment needs (a job, a pain, a gain).
    Need,
    /// Something customers actually said or did.
    Evidence,
    /// What the product does.
    Feature,
    /// A value proposition.
    Proposition,
    /// A marketing message that voices a proposition.
    Message,
    /// An entry of the claims library: approved wording, its substantiation and sign-off.
    Claim,
}

impl Kind {
    /// Every kind, in the order of the data model.
    pub(crate) const ALL: [Kind; 7] = [
        Kind::Segment,
        Kind::Need,
        Kind::Evidence,
        Kind::Feature,
        Kind::Proposition,
        Kind::Message,
        Kind::Claim,
    ];

    /// The top-level key and the name used in `for x in KIND`.
    pub(crate) fn plural(self) -> &'static str {
        match self {
            Kind::Segment => "segments",
            Kind::Need => "needs",
            Kind::Evidence => "evidence",
            Kind::Feature => "features",
            Kind::Proposition => "propositions",
            Kind::Message => "messages",
            Kind::Claim => "claims",
        }
    }

    /// The name of one entity of this kind, as used in findings.
    pub fn singular(self) -> &'static str {
        match self {
            Kind::Segment => "segment",
            Kind::Need => "need",
            Kind::Evidence => "evidence",
            Kind::Feature => "feature",
            Kind::Proposition => "proposition",
            Kind::Message => "message",
            Kind::Claim => "claim",
        }
    }

    /// One entity of this kind with its article, for running text: "a need", "an evidence
    /// item".
    pub(crate) fn one(self) -> &'static str {
        match self {
            Kind::Segment => "a segment",
            Kind::Need => "a need",
            Kind::Evidence => "an evidence item",
            Kind::Feature => "a feature",
            Kind::Proposition => "a proposition",
            Kind::Message => "a message",
            Kind::Claim => "a library claim",
        }
    }

    /// The kind whose top-level key is `name`.
    pub(crate) fn from_plural(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.plural() == name)
    }

    /// Index into per-kind tables.
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The fields this kind declares, common ones included.
    pub(crate) fn fields(self) -> &'static [FieldDef] {
        match self {
            Kind::Segment => SEGMENT,
            Kind::Need => NEED,
            Kind::Evidence => EVIDENCE,
            Kind::Feature => FEATURE,
            Kind::Proposition => PROPOSITION,
            Kind::Message => MESSAGE,
            Kind::Claim => CLAIM,
        }
    }

    /// The declared field called `name`, if any.
    pub(crate) fn field(self, name: &str) -> Option<&'static FieldDef> {
        self.fields().iter().find(|f| f.name == name)
    }

    /// The back-link called `name` on this kind, if any.
    pub(crate) fn backlink(self, name: &str) -> Option<&'static Backlink> {
        BACKLINKS.iter().find(|b| b.on == self && b.name == name)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.singular())
    }
}

/// The type of a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldType {
    /// The entity's id.
    Id,
    /// Free text.
    Text,
    /// A number.
    Number,
    /// A calendar date, `2026-01-31`.
    Date,
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
    /// An id of an entity of the given kind.
    Ref(Kind),
    /// A list of ids of entities of the given kind.
    RefList(Kind),
    /// A list of words.
    Words,
    /// A mapping of measured capabilities, name → number.
    Facts,
    /// A list of claims, `{text, evidence, feature}`.
    Claims,
    /// A list of suppressions, `{rule, reason}`.
    Ignore,
    /// A list of sign-offs, `{role, by, date}`.
    Approvals,
}

impl FieldType {
    /// The fields of each item of a list of this type, when its items are small records of
    /// their own (a message's claims); empty otherwise.
    pub(crate) fn item_fields(self) -> &'static [FieldDef] {
        match self {
            FieldType::Claims => CLAIM_FIELDS,
            FieldType::Approvals => APPROVAL_FIELDS,
            _ => &[],
        }
    }

    /// What a value of this type looks like, for error messages.
    pub(crate) fn expected(self) -> String {
        match self {
            FieldType::Id => "an id (text)".into(),
            FieldType::Text => "text".into(),
            FieldType::Number => "a number".into(),
            FieldType::Date => "a date like 2026-01-31".into(),
            FieldType::Choice(words) => format!("one of: {}", words.join(", ")),
            FieldType::Ref(kind) => format!("the id of {}", kind.one()),
            FieldType::RefList(kind) => format!("a list of {} ids", kind.singular()),
            FieldType::Words => "a list of words".into(),
            FieldType::Facts => "a mapping of fact names to numbers (uptime_pct: 99.9)".into(),
            FieldType::Claims => {
                "a list of claims, each with `text` or `claim` (a library claim's id)".into()
            }
            FieldType::Approvals => "a list of `{role: legal, by: ..., date: 2026-01-31}`".into(),
            FieldType::Ignore => "a list of `{rule: ..., reason: ...}`".into(),
        }
    }
}

/// A declared field of a kind.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FieldDef {
    /// The key in YAML.
    pub(crate) name: &'static str,
    /// Its type.
    pub(crate) ty: FieldType,
    /// Whether every entity must have it.
    pub(crate) required: bool,
}

const fn req(name: &'static str, ty: FieldType) -> FieldDef {
    FieldDef {
        name,
        ty,
        required: true,
    }
}

const fn opt(name: &'static str, ty: FieldType) -> FieldDef {
    FieldDef {
        name,
        ty,
        required: false,
    }
}

/// Values of evidence `kind`.
pub const EVIDENCE_KINDS: &[&str] = &[
    "interview",
    "survey",
    "support",
    "analytics",
    "sales-call",
    "review",
    "experiment",
];
/// Values of feature `status`.
pub(crate) const FEATURE_STATUSES: &[&str] = &["shipped", "beta", "planned", "deprecated"];
/// Values of a library claim's `status`.
pub(crate) const CLAIM_STATUSES: &[&str] = &["draft", "approved", "withdrawn"];
/// Values of an approval's `role`.
pub(crate) const APPROVAL_ROLES: &[&str] =
    &["product", "legal", "marketing", "sales", "compliance"];
const PRIORITIES: &[&str] = &["high", "medium", "low"];
const NEED_KINDS: &[&str] = &["job", "pain", "gain"];
const SENTIMENTS: &[&str] = &["positive", "neutral", "negative"];

macro_rules! with_common {
    ($($field:expr),* $(,)?) => {
        &[
            req("id", FieldType::Id),
            $($field,)*
            opt("owner", FieldType::Text),
            opt("tags", FieldType::Words),
            opt("ignore", FieldType::Ignore),
        ]
    };
}

const SEGMENT: &[FieldDef] = with_common![
    req("name", FieldType::Text),
    opt("description", FieldType::Text),
    opt("size", FieldType::Text),
];
const NEED: &[FieldDef] = with_common![
    opt("name", FieldType::Text),
    req("statement", FieldType::Text),
    opt("priority", FieldType::Choice(PRIORITIES)),
    opt("kind", FieldType::Choice(NEED_KINDS)),
    opt("segment", FieldType::Ref(Kind::Segment)),
];
const EVIDENCE: &[FieldDef] = with_common![
    opt("name", FieldType::Text),
    req("kind", FieldType::Choice(EVIDENCE_KINDS)),
    req("date", FieldType::Date),
    opt("summary", FieldType::Text),
    opt("quote", FieldType::Text),
    opt("sample_size", FieldType::Number),
    opt("sentiment", FieldType::Choice(SENTIMENTS)),
    opt("source", FieldType::Text),
    opt("segment", FieldType::Ref(Kind::Segment)),
    opt("supports", FieldType::RefList(Kind::Need)),
    opt("contradicts", FieldType::RefList(Kind::Proposition)),
];
const FEATURE: &[FieldDef] = with_common![
    req("name", FieldType::Text),
    req("status", FieldType::Choice(FEATURE_STATUSES)),
    opt("facts", FieldType::Facts),
    opt("addresses", FieldType::RefList(Kind::Need)),
];
const PROPOSITION: &[FieldDef] = with_common![
    opt("name", FieldType::Text),
    req("statement", FieldType::Text),
    opt("segment", FieldType::Ref(Kind::Segment)),
    opt("needs", FieldType::RefList(Kind::Need)),
    opt("features", FieldType::RefList(Kind::Feature)),
    opt("evidence", FieldType::RefList(Kind::Evidence)),
];
const MESSAGE: &[FieldDef] = with_common![
    opt("name", FieldType::Text),
    req("text", FieldType::Text),
    opt("channel", FieldType::Text),
    opt("page", FieldType::Text),
    opt("claims", FieldType::Claims),
    opt("proposition", FieldType::Ref(Kind::Proposition)),
    opt("features", FieldType::RefList(Kind::Feature)),
    opt("evidence", FieldType::RefList(Kind::Evidence)),
];

const CLAIM: &[FieldDef] = with_common![
    opt("name", FieldType::Text),
    req("text", FieldType::Text),
    opt("status", FieldType::Choice(CLAIM_STATUSES)),
    opt("approvals", FieldType::Approvals),
    opt("expires", FieldType::Date),
    opt("channels", FieldType::Words),
    opt("evidence", FieldType::RefList(Kind::Evidence)),
    opt("features", FieldType::RefList(Kind::Feature)),
    opt("proposition", FieldType::Ref(Kind::Proposition)),
];

/// The fields of one claim inside a message's `claims`: its own `text`, or the library
/// claim it voices (`claim`), or both.
pub(crate) const CLAIM_FIELDS: &[FieldDef] = &[
    opt("text", FieldType::Text),
    opt("claim", FieldType::Ref(Kind::Claim)),
    opt("evidence", FieldType::RefList(Kind::Evidence)),
    opt("feature", FieldType::Ref(Kind::Feature)),
];

/// The fields of one approval inside a library claim's `approvals`.
pub(crate) const APPROVAL_FIELDS: &[FieldDef] = &[
    req("role", FieldType::Choice(APPROVAL_ROLES)),
    req("by", FieldType::Text),
    req("date", FieldType::Date),
];

/// A reference followed the other way: the entities of kind `from` whose `field` lists an entity
/// of kind `on`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Backlink {
    /// The kind the back-link is read on.
    pub(crate) on: Kind,
    /// Its name, as a field of `on`.
    pub(crate) name: &'static str,
    /// The kind that holds the reference.
    pub(crate) from: Kind,
    /// The reference field on `from`.
    pub(crate) field: &'static str,
}

const fn bl(on: Kind, name: &'static str, from: Kind, field: &'static str) -> Backlink {
    Backlink {
        on,
        name,
        from,
        field,
    }
}

/// Every back-link. The first six are those of the specification; the rest follow the same
/// pattern for the remaining references.
pub(crate) const BACKLINKS: &[Backlink] = &[
    bl(Kind::Need, "evidence", Kind::Evidence, "supports"),
    bl(Kind::Need, "features", Kind::Feature, "addresses"),
    bl(Kind::Segment, "needs", Kind::Need, "segment"),
    bl(Kind::Proposition, "messages", Kind::Message, "proposition"),
    bl(Kind::Feature, "propositions", Kind::Proposition, "features"),
    bl(
        Kind::Proposition,
        "contradicted_by",
        Kind::Evidence,
        "contradicts",
    ),
    bl(Kind::Segment, "evidence", Kind::Evidence, "segment"),
    bl(Kind::Segment, "propositions", Kind::Proposition, "segment"),
    bl(Kind::Need, "propositions", Kind::Proposition, "needs"),
    bl(
        Kind::Evidence,
        "propositions",
        Kind::Proposition,
        "evidence",
    ),
    bl(Kind::Feature, "messages", Kind::Message, "features"),
    bl(Kind::Evidence, "messages", Kind::Message, "evidence"),
    bl(Kind::Evidence, "claims", Kind::Claim, "evidence"),
    bl(Kind::Feature, "claims", Kind::Claim, "features"),
    bl(Kind::Proposition, "claims", Kind::Claim, "proposition"),
];

/// A link the index works out rather than reads from one field: which library claims a
/// message voices (named in its `claims`, or said in close words), and the other way.
#[derive(Debug, Clone, Copy)]
pub struct Derived {
    /// The kind it is read on.
    pub on: Kind,
    /// Its name, as a field of `on`.
    pub name: &'static str,
    /// The kind it leads to.
    pub to: Kind,
}

/// Every derived link.
pub const DERIVED: &[Derived] = &[
    Derived {
        on: Kind::Message,
        name: "voices",
        to: Kind::Claim,
    },
    Derived {
        on: Kind::Claim,
        name: "messages",
        to: Kind::Message,
    },
];

impl Kind {
    /// The derived link called `name` on this kind, if any.
    pub fn derived(self, name: &str) -> Option<&'static Derived> {
        DERIVED.iter().find(|d| d.on == self && d.name == name)
    }
}

/// Names readable on every entity besides its fields (`p.kind_name`, ...): none yet beyond the
/// fields and back-links, kept for the checker's suggestions.
pub(crate) fn readable_names(kind: Kind) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = kind.fields().iter().map(|f| f.name).collect();
    names.extend(BACKLINKS.iter().filter(|b| b.on == kind).map(|b| b.name));
    names.extend(DERIVED.iter().filter(|d| d.on == kind).map(|d| d.name));
    names
}

/// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == word {
            continue;
        }
        let d = edit_distance(&word.to_lowercase(), &c.to_lowercase());
        let limit = match c.chars().count() {
            0..=3 => 1,
            4..=6 => 2,
            _ => 3,
        };
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance with adjacent transpositions counted as one edit (the optimal
/// string alignment distance), in characters.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos_only() {
        assert_eq!(
            did_you_mean("segmnet", ["segment", "statement"]),
            Some("segment")
        );
        assert_eq!(did_you_mean("budget", ["segment", "statement"]), None);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("café", "cafe"), 1, "counted in characters");
    }

    #[test]
    fn backlinks_point_at_reference_fields() {
        for b in BACKLINKS {
            let field = b.from.field(b.field).expect("declared field");
            match field.ty {
                FieldType::Ref(k) | FieldType::RefList(k) => assert_eq!(k, b.on),
                _ => panic!("{} is not a reference", b.field),
            }
            assert!(b.on.field(b.name).is_none(), "{} shadows a field", b.name);
        }
    }
}
