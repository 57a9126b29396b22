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

/// One claim of the library, tokenized, with what a sentence must share with it to voice it.
struct LibraryClaim {
    id: EntityId,
    words: Vec<Token>,
    /// Its distinct uncommon words (by number in the library's vocabulary), each with how
    /// often the claim says it.
    uncommon: Vec<(u32, usize)>,
    /// How many of its words are uncommon (repeats counted).
    uncommon_count: usize,
    /// How many of its words are common (repeats counted).
    common_count: usize,
    /// The fewest words a sentence must share with it, in order, to voice it.
    need: usize,
    /// The fewest of its distinct uncommon words a sentence must say to voice it.
    need_distinct: usize,
}

impl LibraryClaim {
    /// How many of the words it is indexed by a sentence must say before it is compared:
    /// two, or one for a claim that needs only one.
    fn hits_needed(&self) -> usize {
        self.need_distinct.clamp(1, 2)
    }
}

/// The claims of the library, tokenized and indexed by their uncommon words.
///
/// A sentence voicing a claim says at least `need_distinct` of the claim's distinct
/// uncommon words, so it says at least two of any `distinct - need_distinct + 2` of them (at
/// least one of `distinct`, for a claim that needs only one): each claim is indexed only by
/// that many of its words, the rarest in the library, and looked at only once a sentence has
/// said that many of them (prefix filtering). Most claims that share a word with a sentence
/// share only that one, and are never looked at. A word that many claims share, such as
/// "invoices", is then looked up only for the few claims where it is among the rarest, and
/// each claim found is checked against all of its words (numbered, so a check is an array
/// read) before its wording is compared with the sentence's.
struct Library {
    claims: Vec<LibraryClaim>,
    /// Every uncommon word of the library, numbered.
    vocabulary: FastMap<String, u32>,
    /// The claims indexed by each word, by the word's number.
    by_word: Vec<Vec<u32>>,
    by_id: FastMap<EntityId, usize>,
}

type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// What finding the candidates of one sentence needs, kept from sentence to sentence so
/// nothing is allocated per sentence: which words the sentence says and which claims were
/// looked at, each marked with the sentence's number.
struct Scratch {
    sentence: u32,
    said: Vec<u32>,
    seen: Vec<u32>,
    /// For each claim marked in `seen`, how many of its index words the sentence says.
    hits: Vec<u8>,
    words: Vec<u32>,
    found: Vec<usize>,
}

/// The fewest shared words, in order, with which a sentence voices a claim of `len` words:
/// the least `shared` that [`voices`] accepts.
fn needed(len: usize) -> usize {
    (0..=len)
        .find(|&shared| {
            len > 0
                && shared as f64 / len as f64 >= VOICE_THRESHOLD
                && shared >= MIN_SHARED.min(len)
        })
        .unwrap_or(usize::MAX)
}

impl Library {
    fn new(entities: &[Entity], claims: &[EntityId]) -> Library {
        let mut lib = Library {
            claims: Vec::with_capacity(claims.len()),
            vocabulary: FastMap::default(),
            by_word: Vec::new(),
            by_id: FastMap::default(),
        };
        // How many claims say each word.
        let mut frequency: Vec<usize> = Vec::new();
        for &c in claims {
            let Some(e) = entities.get(c.0 as usize) else {
                continue;
            };
            let words = tokens(e.text("text").unwrap_or(""));
            let mut uncommon: Vec<(u32, usize)> = Vec::new();
            let mut common_count = 0;
            for t in &words {
                if is_common(&t.word) {
                    common_count += 1;
                    continue;
                }
                let next = lib.vocabulary.len() as u32;
                let w = *lib.vocabulary.entry(t.word.clone()).or_insert(next);
                match uncommon.iter_mut().find(|(u, _)| *u == w) {
                    Some(u) => u.1 += 1,
                    None => uncommon.push((w, 1)),
                }
            }
            frequency.resize(lib.vocabulary.len(), 0);
            for (w, _) in &uncommon {
                if let Some(f) = frequency.get_mut(*w as usize) {
                    *f += 1;
                }
            }
            let uncommon_count = words.len() - common_count;
            let need = needed(words.len());
            // With the claim's most repeated words shared first, how many distinct words it
            // takes to reach `need` with its common words; and at least two (one, for a claim
            // with one uncommon word), as `candidates` asks.
            let mut repeats: Vec<usize> = uncommon.iter().map(|(_, n)| *n).collect();
            repeats.sort_unstable_by(|a, b| b.cmp(a));
            let mut reached = common_count;
            let mut by_need = 0;
            for n in &repeats {
                if reached >= need {
                    break;
                }
                reached += n;
                by_need += 1;
            }
            if reached < need {
                by_need = usize::MAX;
            }
            lib.claims.push(LibraryClaim {
                id: c,
                words,
                uncommon,
                uncommon_count,
                common_count,
                need,
                need_distinct: by_need.max(2.min(uncommon_count)),
            });
        }
        lib.by_word = vec![Vec::new(); lib.vocabulary.len()];
        for (n, claim) in lib.claims.iter().enumerate() {
            lib.by_id.entry(claim.id).or_insert(n);
            // A claim no sentence can voice in close words is not indexed (a message that
            // names it still finds it by id).
            let distinct = claim.uncommon.len();
            if claim.need_distinct > distinct {
                continue;
            }
            let mut rarest: Vec<u32> = claim.uncommon.iter().map(|(w, _)| *w).collect();
            rarest.sort_by_key(|w| (frequency.get(*w as usize).copied().unwrap_or(0), *w));
            for w in rarest
                .iter()
                .take(distinct - claim.need_distinct + claim.hits_needed())
            {
                if let Some(list) = lib.by_word.get_mut(*w as usize) {
                    list.push(n as u32);
                }
            }
        }
        lib
    }

    /// Room to find the candidates of sentences in.
    fn scratch(&self) -> Scratch {
        Scratch {
            sentence: 0,
            said: vec![0; self.vocabulary.len()],
            seen: vec![0; self.claims.len()],
            hits: vec![0; self.claims.len()],
            words: Vec::new(),
            found: Vec::new(),
        }
    }

    /// The words of a library claim.
    fn words_of(&self, id: EntityId) -> &[Token] {
        self.by_id
            .get(&id)
            .and_then(|n| self.claims.get(*n))
            .map_or(&[], |c| c.words.as_slice())
    }

    /// The claims a sentence could voice: those sharing two uncommon words with it (one, for
    /// a claim that has only one), and enough words to reach the share [`voices`] asks for;
    /// in library order.
    fn candidates<'s>(&self, sentence: &[Token], scratch: &'s mut Scratch) -> &'s [usize] {
        scratch.sentence = scratch.sentence.wrapping_add(1);
        if scratch.sentence == 0 {
            // The marks went all the way round: start them again.
            scratch.said.fill(0);
            scratch.seen.fill(0);
            scratch.hits.fill(0);
            scratch.sentence = 1;
        }
        let mark = scratch.sentence;
        scratch.words.clear();
        scratch.found.clear();
        for t in sentence {
            if let Some(&w) = self.vocabulary.get(&t.word) {
                if let Some(m) = scratch.said.get_mut(w as usize) {
                    if *m != mark {
                        *m = mark;
                        scratch.words.push(w);
                    }
                }
            }
        }
        for w in &scratch.words {
            for &c in self
                .by_word
                .get(*w as usize)
                .map(Vec::as_slice)
                .unwrap_or(&[])
            {
                let (Some(m), Some(hits)) = (
                    scratch.seen.get_mut(c as usize),
                    scratch.hits.get_mut(c as usize),
                ) else {
                    continue;
                };
                if *m != mark {
                    *m = mark;
                    *hits = 0;
                }
                *hits = hits.saturating_add(1);
                let Some(claim) = self.claims.get(c as usize) else {
                    continue;
                };
                // Looked at once, when the sentence has said as many of its index words as
                // a sentence voicing it must.
                if usize::from(*hits) != claim.hits_needed() {
                    continue;
                }
                // Distinct uncommon words shared, and at most how many words the longest
                // common subsequence can hold.
                let (mut distinct, mut bound) = (0, claim.common_count);
                for (word, n) in &claim.uncommon {
                    if scratch.said.get(*word as usize) == Some(&mark) {
                        distinct += 1;
                        bound += n;
                    }
                }
                if distinct >= 2.min(claim.uncommon_count) && bound >= claim.need {
                    scratch.found.push(c as usize);
                }
            }
        }
        scratch.found.sort_unstable();
        &scratch.found
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
    lookup: impl Fn(&str) -> Option<EntityId> + Sync,
) -> Vec<Voicing> {
    if claims.is_empty() {
        return Vec::new();
    }
    let lib = Library::new(entities, claims);
    // Messages are read on every core, a slice at a time; the slices' results are joined in
    // message order.
    let slices: Vec<&[EntityId]> = messages.chunks(MESSAGES_PER_SLICE).collect();
    let found = crate::parallel::map(&slices, |slice| {
        let mut scratch = lib.scratch();
        let mut out = Vec::new();
        for &m in *slice {
            if let Some(e) = entities.get(m.0 as usize) {
                voicings_of(&lib, &mut scratch, m, e, &lookup, &mut out);
            }
        }
        out
    });
    found.into_iter().flatten().collect()
}

/// Messages whose voicings one core works out at a time.
const MESSAGES_PER_SLICE: usize = 512;

/// The library claims message `m` (entity `e`) voices, added to `out`.
fn voicings_of(
    lib: &Library,
    scratch: &mut Scratch,
    m: EntityId,
    e: &Entity,
    lookup: &impl Fn(&str) -> Option<EntityId>,
    out: &mut Vec<Voicing>,
) {
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
                let words = lib.words_of(c);
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
        for &c in lib.candidates(words, scratch) {
            let Some(LibraryClaim {
                id: claim,
                words: claim_words,
                ..
            }) = lib.claims.get(c)
            else {
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
    fn the_index_finds_every_claim_a_sentence_voices() {
        use crate::model::load::load_file;
        use crate::model::node::YamlLimits;
        use crate::source::FileId;
        // Many claims sharing their words, and sentences that say some of them, some with a
        // word changed, some words of several claims mixed: what the index finds is exactly
        // what comparing every sentence with every claim finds.
        let who = ["finance teams", "controllers", "AP clerks", "founders"];
        let task = [
            "invoice approval",
            "bank reconciliation",
            "the month-end close",
        ];
        let mut yaml = String::from("claims:\n");
        let mut texts = Vec::new();
        for (i, (w, t)) in who
            .iter()
            .flat_map(|w| task.iter().map(move |t| (w, t)))
            .enumerate()
        {
            for text in [
                format!("{w} finish {t} {}x faster with Ledgerly", 2 + i % 5),
                format!("Teams cut the time {t} takes by {}% for {w}", 10 + i),
                format!("invoices invoices faster {w}"),
                t.to_string(),
            ] {
                yaml.push_str(&format!("  - {{id: c{}, text: {text}}}\n", texts.len()));
                texts.push(text);
            }
        }
        // A claim with one uncommon word, which a sentence saying that word is compared with.
        yaml.push_str(&format!(
            "  - {{id: c{}, text: It is faster}}\n",
            texts.len()
        ));
        texts.push("It is faster".to_owned());
        let loaded = load_file(FileId(0), &yaml.into(), &YamlLimits::default());
        assert!(loaded.findings.is_empty(), "{:?}", loaded.findings);
        let claims: Vec<EntityId> = (0..loaded.entities.len() as u32).map(EntityId).collect();
        let lib = Library::new(&loaded.entities, &claims);
        assert!(lib.claims.iter().any(|c| c.hits_needed() == 1));
        assert!(lib.claims.iter().any(|c| c.hits_needed() == 2));
        let mut scratch = lib.scratch();
        let mut sentences: Vec<String> = texts.clone();
        for t in &texts {
            sentences.push(t.replace("faster", "quicker"));
            sentences.push(format!("Now {t}, every month, for everyone"));
        }
        sentences.push("finance teams invoices faster approval reconciliation".to_owned());
        sentences.push("invoices faster".to_owned());
        let mut voiced = 0;
        for s in &sentences {
            let words = tokens(s);
            let every: Vec<usize> = (0..lib.claims.len())
                .filter(|c| voices(&lib.claims[*c].words, &words))
                .collect();
            let indexed: Vec<usize> = lib
                .candidates(&words, &mut scratch)
                .iter()
                .copied()
                .filter(|c| voices(&lib.claims[*c].words, &words))
                .collect();
            assert_eq!(indexed, every, "{s}");
            voiced += every.len();
        }
        assert!(voiced > sentences.len(), "the sentences voice claims");
    }

    #[test]
    fn a_message_voices_named_and_said_claims_once_each() {
        use crate::model::load::load_file;
        use crate::model::node::YamlLimits;
        use crate::source::FileId;
        let loaded = load_file(
            FileId(0),
            &"claims:\n  - {id: c1, text: Ledgerly matches up to 92% of your invoices automatically.}\n  - {id: c2, text: Close your books in three days.}\n\
             messages:\n  - id: m\n    text: Ledgerly matches 92% of your invoices automatically. Close your books in three days.\n    claims:\n      - {claim: c2}\n".into(),
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
