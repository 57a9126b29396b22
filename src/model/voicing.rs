//! Which library claims a message voices: those its `claims` name (`{claim: ID}`), and those
//! one of its sentences says in close words.
//!
//! "Close" is measured on words, in order: a sentence voices a claim when the longest common
//! subsequence of their words (lower case; a number with its `%` one word) covers at least
//! [`VOICE_THRESHOLD`] of the claim's words, and at least [`MIN_SHARED`] of them (all of them,
//! for a claim shorter than that). Words in order, not a bag of words, so that a sentence that
//! happens to use the same words for something else does not count; a share of the claim's
//! words, not of the sentence's, so that a claim said inside a longer sentence still counts.
//!
//! Only claims that share at least two uncommon words with a sentence are compared with it:
//! the claims are indexed by their words once, so the work is the sentences times the few
//! claims each could voice, not every sentence times every claim.

use super::entity::{Entity, EntityId};
use super::index::ids_in;
use super::node::NodeValue;
use crate::source::Span;
use std::collections::HashMap;
use std::ops::Range;

/// The share of a claim's words a sentence must say, in order, to voice it.
pub(crate) const VOICE_THRESHOLD: f64 = 0.6;
/// The fewest words a sentence must share with a claim to voice it (all of a shorter claim's).
pub(crate) const MIN_SHARED: usize = 3;
/// The share of a named claim's words a sentence must say to be taken as where the message
/// says it (for comparing wordings): lower than [`VOICE_THRESHOLD`], since the message says
/// which claim it means.
pub(crate) const NAMED_THRESHOLD: f64 = 0.4;

/// A word of a text: its lower-case form and where it is (byte range in the text).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    /// The word in lower case.
    pub(crate) word: String,
    /// Its place in the text.
    pub(crate) at: Range<usize>,
}

/// The words of a text: runs of letters and digits, with apostrophes inside words, decimal
/// points and thousands separators inside numbers, a `%` after a number, and a currency
/// sign before one.
pub(crate) fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while let Some(&(start, c)) = chars.get(i) {
        let currency = matches!(c, '£' | '$' | '€')
            && chars.get(i + 1).is_some_and(|(_, n)| n.is_ascii_digit());
        if !(c.is_alphanumeric() || currency) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while let Some(&(_, d)) = chars.get(j) {
            let prev = chars.get(j - 1).map(|(_, p)| *p);
            let next = chars.get(j + 1).map(|(_, n)| *n);
            let inside_number = matches!(d, '.' | ',')
                && prev.is_some_and(|p| p.is_ascii_digit())
                && next.is_some_and(|n| n.is_ascii_digit());
            let inside_word = matches!(d, '\'' | '’')
                && prev.is_some_and(char::is_alphabetic)
                && next.is_some_and(char::is_alphabetic);
            let percent = d == '%' && prev.is_some_and(|p| p.is_ascii_digit());
            if d.is_alphanumeric() || inside_number || inside_word || percent {
                j += 1;
            } else {
                break;
            }
        }
        let end = chars.get(j).map(|(b, _)| *b).unwrap_or(text.len());
        if let Some(w) = text.get(start..end) {
            out.push(Token {
                word: w.to_lowercase().replace('’', "'"),
                at: start..end,
            });
        }
        i = j;
    }
    out
}

/// Common words that say nothing about which claim is meant; they count in the comparison
/// but not in the index.
const COMMON: &[&str] = &[
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "your", "you", "our",
    "we", "it", "its", "is", "are", "be", "by", "at", "as", "from", "that", "this", "every",
];

fn is_common(word: &str) -> bool {
    COMMON.contains(&word)
}

/// The pairs of positions (claim word, sentence word) of a longest common subsequence of two
/// word lists, in order.
// The table is (n + 1) × (m + 1) and every index below stays inside it (i < n, j < m):
// a dynamic-programming table reads clearest indexed.
#[allow(clippy::indexing_slicing)]
pub(crate) fn common_subsequence(a: &[Token], b: &[Token]) -> Vec<(usize, usize)> {
    let (n, m) = (a.len(), b.len());
    // Sentences and claims are short; a long text is compared a sentence at a time.
    if n == 0 || m == 0 || n.saturating_mul(m) > 1_000_000 {
        return Vec::new();
    }
    let width = m + 1;
    let mut table = vec![0u32; (n + 1) * width];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[i * width + j] = if a[i].word == b[j].word {
                table[(i + 1) * width + j + 1] + 1
            } else {
                table[(i + 1) * width + j].max(table[i * width + j + 1])
            };
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i].word == b[j].word {
            pairs.push((i, j));
            i += 1;
            j += 1;
        } else if table[(i + 1) * width + j] >= table[i * width + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

/// How close a sentence is to a claim's wording: the share of the claim's words it says in
/// order, and how many that is.
pub(crate) fn closeness(claim: &[Token], sentence: &[Token]) -> (f64, usize) {
    if claim.is_empty() {
        return (0.0, 0);
    }
    let shared = common_subsequence(claim, sentence).len();
    (shared as f64 / claim.len() as f64, shared)
}

/// Whether a sentence voices a claim, by [`closeness`].
pub(crate) fn voices(claim: &[Token], sentence: &[Token]) -> bool {
    let (share, shared) = closeness(claim, sentence);
    share >= VOICE_THRESHOLD && shared >= MIN_SHARED.min(claim.len())
}

/// The sentences of a text, as byte ranges: split after `.`, `!` or `?` followed by
/// whitespace, and at line breaks.
pub(crate) fn sentences(text: &str) -> Vec<Range<usize>> {
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

/// Where a message says a library claim's words: in its `text` (`item: None`) or in the
/// `text` of one of its claims (`item: Some(n)`), at a byte range of that decoded text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Said {
    /// Which of the message's claims holds the text, if not the message's own `text`.
    pub(crate) item: Option<usize>,
    /// The sentence, as a byte range of the decoded text.
    pub(crate) range: Range<usize>,
}

/// One library claim a message voices.
#[derive(Debug, Clone)]
pub(crate) struct Voicing {
    /// The message (or page).
    pub(crate) message: EntityId,
    /// The library claim.
    pub(crate) claim: EntityId,
    /// Where the message names it (`claims: [{claim: ID}]`), if it does.
    pub(crate) named: Option<Span>,
    /// Where the message says it in words, if it does.
    pub(crate) said: Option<Said>,
}

/// The claims of the library, tokenized and indexed by their uncommon words.
struct Library {
    claims: Vec<(EntityId, Vec<Token>)>,
    by_word: HashMap<String, Vec<usize>>,
}

impl Library {
    fn new(entities: &[Entity], claims: &[EntityId]) -> Library {
        let mut lib = Library {
            claims: Vec::with_capacity(claims.len()),
            by_word: HashMap::new(),
        };
        for &c in claims {
            let Some(e) = entities.get(c.0 as usize) else {
                continue;
            };
            let words = tokens(e.text("text").unwrap_or(""));
            let n = lib.claims.len();
            let mut seen: Vec<&str> = Vec::new();
            for t in &words {
                if !is_common(&t.word) && !seen.contains(&t.word.as_str()) {
                    seen.push(&t.word);
                    lib.by_word.entry(t.word.clone()).or_default().push(n);
                }
            }
            lib.claims.push((c, words));
        }
        lib
    }

    /// The claims a sentence could voice: those sharing two uncommon words with it (one, for
    /// a claim that has only one).
    fn candidates(&self, sentence: &[Token]) -> Vec<usize> {
        let mut counts: HashMap<usize, usize> = HashMap::new();
        let mut seen: Vec<&str> = Vec::new();
        for t in sentence {
            if is_common(&t.word) || seen.contains(&t.word.as_str()) {
                continue;
            }
            seen.push(&t.word);
            for &c in self.by_word.get(&t.word).map(Vec::as_slice).unwrap_or(&[]) {
                *counts.entry(c).or_default() += 1;
            }
        }
        let mut found: Vec<usize> = counts
            .into_iter()
            .filter(|(c, n)| {
                let uncommon = self
                    .claims
                    .get(*c)
                    .map(|(_, w)| w.iter().filter(|t| !is_common(&t.word)).count())
                    .unwrap_or(0);
                *n >= 2.min(uncommon)
            })
            .map(|(c, _)| c)
            .collect();
        found.sort_unstable();
        found
    }
}

/// The texts of a message a claim may be said in: its `text`, then each claim's `text`.
fn texts(e: &Entity) -> Vec<(Option<usize>, &str)> {
    let mut out = Vec::new();
    if let Some(t) = e.text("text") {
        out.push((None, t));
    }
    if let Some(NodeValue::List(items)) = e.get("claims").map(|n| &n.value) {
        for (n, item) in items.iter().enumerate() {
            if let Some(t) = item.get("text").and_then(|t| t.as_text()) {
                out.push((Some(n), t));
            }
        }
    }
    out
}

/// Every library claim each message voices, in message order. `lookup` finds a claim by id.
pub(crate) fn voicings(
    entities: &[Entity],
    messages: &[EntityId],
    claims: &[EntityId],
    lookup: impl Fn(&str) -> Option<EntityId>,
) -> Vec<Voicing> {
    let mut out = Vec::new();
    if claims.is_empty() {
        return out;
    }
    let lib = Library::new(entities, claims);
    for &m in messages {
        let Some(e) = entities.get(m.0 as usize) else {
            continue;
        };
        let start = out.len();
        let texts = texts(e);
        // Each sentence, with its words.
        let mut sentences: Vec<(Option<usize>, Range<usize>, Vec<Token>)> = Vec::new();
        for (item, text) in &texts {
            for r in sentences_of(text) {
                let words: Vec<Token> = tokens(text.get(r.clone()).unwrap_or(""))
                    .into_iter()
                    .map(|t| Token {
                        word: t.word,
                        at: t.at.start + r.start..t.at.end + r.start,
                    })
                    .collect();
                sentences.push((*item, r, words));
            }
        }
        // Named claims, and the sentence that says each best.
        if let Some(NodeValue::List(items)) = e.get("claims").map(|n| &n.value) {
            for item in items.iter() {
                let Some(node) = item.get("claim") else {
                    continue;
                };
                for (id, span) in ids_in(node) {
                    let Some(c) = lookup(id) else { continue };
                    if out
                        .get(start..)
                        .unwrap_or(&[])
                        .iter()
                        .any(|v: &Voicing| v.claim == c)
                    {
                        continue;
                    }
                    let words = lib
                        .claims
                        .iter()
                        .find(|(id, _)| *id == c)
                        .map(|(_, w)| w.as_slice())
                        .unwrap_or(&[]);
                    let best = sentences
                        .iter()
                        .map(|(item, r, s)| (closeness(words, s).0, item, r))
                        .filter(|(share, ..)| *share >= NAMED_THRESHOLD)
                        .max_by(|a, b| a.0.total_cmp(&b.0));
                    out.push(Voicing {
                        message: m,
                        claim: c,
                        named: Some(span),
                        said: best.map(|(_, item, r)| Said {
                            item: *item,
                            range: r.clone(),
                        }),
                    });
                }
            }
        }
        // Claims said in close words.
        for (item, r, words) in &sentences {
            for c in lib.candidates(words) {
                let Some((claim, claim_words)) = lib.claims.get(c) else {
                    continue;
                };
                if out
                    .get(start..)
                    .unwrap_or(&[])
                    .iter()
                    .any(|v| v.claim == *claim)
                    || !voices(claim_words, words)
                {
                    continue;
                }
                out.push(Voicing {
                    message: m,
                    claim: *claim,
                    named: None,
                    said: Some(Said {
                        item: *item,
                        range: r.clone(),
                    }),
                });
            }
        }
    }
    out
}

/// The sentences of a text, without their leading and trailing spaces.
fn sentences_of(text: &str) -> Vec<Range<usize>> {
    sentences(text)
        .into_iter()
        .filter_map(|r| {
            let s = text.get(r.clone())?;
            let lead = s.len() - s.trim_start().len();
            let trail = s.len() - s.trim_end().len();
            (r.start + lead < r.end - trail).then(|| r.start + lead..r.end - trail)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    fn voiced(claim: &str, sentence: &str) -> bool {
        voices(&tokens(claim), &tokens(sentence))
    }

    #[test]
    fn numbers_and_percentages_are_one_word() {
        let words: Vec<String> = tokens("Up to 92% of £1,200.50 invoices, don't wait.")
            .into_iter()
            .map(|t| t.word)
            .collect();
        assert_eq!(
            words,
            [
                "up",
                "to",
                "92%",
                "of",
                "£1,200.50",
                "invoices",
                "don't",
                "wait"
            ]
        );
    }

    #[test]
    fn close_paraphrases_voice_the_claim() {
        let claim = "Ledgerly matches up to 92% of your invoices automatically.";
        for s in [
            "Ledgerly matches up to 92% of your invoices automatically.",
            "Ledgerly matches 92% of your invoices automatically.",
            "Ledgerly automatically matches up to 92% of invoices.",
            "Every month, Ledgerly matches up to 95% of your supplier invoices automatically.",
            "ledgerly matches up to 92 % of your invoices",
        ] {
            assert!(voiced(claim, s), "should voice: {s}");
        }
        let claim = "Close your books in three days.";
        assert!(voiced(
            claim,
            "Close your books in just three days, guaranteed."
        ));
        assert!(voiced(claim, "Close the books in three days."));
    }

    #[test]
    fn other_sentences_do_not() {
        let claim = "Ledgerly matches up to 92% of your invoices automatically.";
        for s in [
            "Ledgerly matches receipts to card transactions.",
            "Invoices arrive by email and Ledgerly reads them.",
            "Up to 92% of finance leads want fewer spreadsheets.",
            "Your invoices, matched.",
            "Automatically approve invoices under £500.",
        ] {
            assert!(!voiced(claim, s), "should not voice: {s}");
        }
        let claim = "Close your books in three days.";
        assert!(!voiced(claim, "Open your account in three minutes."));
        assert!(!voiced(claim, "Books close on the third day of the month."));
    }

    #[test]
    fn a_message_voices_named_and_said_claims_once_each() {
        use crate::model::load::load_file;
        use crate::model::node::YamlLimits;
        use crate::source::FileId;
        let loaded = load_file(
            FileId(0),
            "claims:\n  - {id: c1, text: Ledgerly matches up to 92% of your invoices automatically.}\n  - {id: c2, text: Close your books in three days.}\n\
             messages:\n  - id: m\n    text: Ledgerly matches 92% of your invoices automatically. Close your books in three days.\n    claims:\n      - {claim: c2}\n",
            &YamlLimits::default(),
        );
        assert!(loaded.findings.is_empty(), "{:?}", loaded.findings);
        let model = crate::model::Model::build(loaded.entities, Vec::new());
        let m = model.lookup(Kind::Message, "m").expect("m");
        let found: Vec<(&str, bool, bool)> = model
            .voices(m)
            .iter()
            .map(|v| {
                (
                    model.entity(v.claim).id.as_str(),
                    v.named.is_some(),
                    v.said.is_some(),
                )
            })
            .collect();
        assert_eq!(found, [("c2", true, true), ("c1", false, true)]);
        let c1 = model.lookup(Kind::Claim, "c1").expect("c1");
        assert_eq!(model.voiced_by(c1), [m]);
    }
}
