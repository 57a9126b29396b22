//! Case-insensitive matching without case-insensitive patterns.
//!
//! Word lists and phrases match whatever the case. Compiling a long list under `(?i)` makes
//! every letter a class of its case variants, which stops the regex engine from sharing the
//! list's common prefixes and costs about three times as much to compile as plain literals.
//! So a text is matched in its folded form instead: ASCII letters lowered, every other byte
//! kept, so that every byte offset in the folded text is the same offset in the original. A
//! word list becomes lower-case literals (a letter outside ASCII keeps `(?i)` for itself
//! alone), written as a tree of shared prefixes in the order the list prefers its entries.
//!
//! A `/pattern/` part of a phrase sees the folded text only when it is case-insensitive
//! throughout (`(?i)` at its start and never turned off); a phrase with any other pattern
//! part is matched against the original text, with its word lists under `(?i)`.

#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::chars::{is_alnum, is_apostrophe};
use std::borrow::Cow;
use std::cell::OnceCell;

/// The regex class of the apostrophes treated alike.
const APOSTROPHE_CLASS: &str = "['\u{2019}\u{2018}\u{02BC}]";

/// Entries longer than this many characters are written one by one, not as a tree, so that
/// writing the tree never recurses deeply.
const MAX_TREE_DEPTH: usize = 200;

/// `text` with its ASCII letters lowered: the same length, the same byte offsets.
pub(crate) fn fold(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// A text with its folded form, made when first asked for.
pub(crate) struct Haystack<'t> {
    text: &'t str,
    folded: OnceCell<Cow<'t, str>>,
}

impl<'t> Haystack<'t> {
    /// A text to search.
    pub(crate) fn new(text: &'t str) -> Haystack<'t> {
        Haystack {
            text,
            folded: OnceCell::new(),
        }
    }

    /// The text as it is.
    pub(crate) fn text(&self) -> &'t str {
        self.text
    }

    /// The text folded (see [`fold`]).
    pub(crate) fn folded(&self) -> &str {
        self.folded.get_or_init(|| fold(self.text))
    }
}

/// Whether a pattern matches the same places in a text and in its folded form: it is
/// case-insensitive from its first character to its last. Read from the pattern's text,
/// cautiously: `(?i)` (or a flag group with `i`) must open it, and no later flag group may
/// turn `i` off.
pub(crate) fn insensitive_throughout(pattern: &str) -> bool {
    let Some(rest) = pattern.strip_prefix("(?") else {
        return false;
    };
    let Some(close) = rest.find(')') else {
        return false;
    };
    let flags = rest.get(..close).unwrap_or("");
    let on = flags.split('-').next().unwrap_or("");
    if !on.contains('i') || flags.contains(':') {
        return false;
    }
    // No later group turns case-insensitivity off. A `(?` after a backslash is an escaped
    // parenthesis; anything else that looks like a flag group with `-...i` is taken as one.
    let bytes = pattern.as_bytes();
    let mut i = 0;
    while let Some(at) = pattern.get(i..).and_then(|p| p.find("(?")) {
        let start = i + at;
        let escaped = bytes
            .get(..start)
            .map(|b| b.iter().rev().take_while(|c| **c == b'\\').count() % 2 == 1)
            .unwrap_or(false);
        let group = pattern.get(start + 2..).unwrap_or("");
        let flags: &str = group
            .split([':', ')'])
            .next()
            .unwrap_or("")
            .trim_start_matches(|c: char| c != '-');
        if !escaped && flags.starts_with('-') && flags.contains('i') {
            return false;
        }
        i = start + 2;
    }
    true
}

/// One piece of a word-list entry.
#[derive(Clone, PartialEq, Eq)]
enum Piece {
    /// A character, lowered when it has a single-character lower case.
    Char(char),
    /// A run of whitespace.
    Space,
    /// One of the apostrophes.
    Apostrophe,
}

impl Piece {
    /// The pattern of the piece, for a folded text.
    fn pattern(&self, out: &mut String) {
        match self {
            Piece::Space => out.push_str(r"\s+"),
            Piece::Apostrophe => out.push_str(APOSTROPHE_CLASS),
            Piece::Char(c) if c.is_ascii() => {
                // The characters `regex::escape` escapes, without a string for each.
                if r"\.+*?()|[]{}^$#&-~".contains(*c) {
                    out.push('\\');
                }
                out.push(*c);
            }
            Piece::Char(c) => {
                if has_case_outside_ascii(*c) {
                    out.push_str("(?i:");
                    out.push(*c);
                    out.push(')');
                } else {
                    out.push(*c);
                }
            }
        }
    }

    /// Whether the piece is a letter with case variants outside ASCII, whose `(?i)` class
    /// could overlap another letter's.
    fn cased_outside_ascii(&self) -> bool {
        matches!(self, Piece::Char(c) if has_case_outside_ascii(*c))
    }

    fn is_letter(&self) -> bool {
        matches!(self, Piece::Char(c) if c.is_alphabetic())
    }
}

/// Whether `c` is outside ASCII and has other cases.
fn has_case_outside_ascii(c: char) -> bool {
    !c.is_ascii() && (c.to_lowercase().ne([c]) || c.to_uppercase().ne([c]))
}

/// The pieces of a trimmed entry.
fn pieces(entry: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    for c in entry.chars() {
        if c.is_whitespace() {
            if out.last() != Some(&Piece::Space) {
                out.push(Piece::Space);
            }
        } else if is_apostrophe(c) {
            out.push(Piece::Apostrophe);
        } else if c.is_ascii() {
            out.push(Piece::Char(c.to_ascii_lowercase()));
        } else {
            let mut lower = c.to_lowercase();
            let one = match (lower.next(), lower.next()) {
                (Some(l), None) => l,
                _ => c,
            };
            out.push(Piece::Char(one));
        }
    }
    out
}

/// What a word-list pattern requires after an entry.
#[derive(Clone, Copy)]
pub(crate) enum Edges {
    /// Nothing: what follows the entries is the same for all and written after them.
    Outside,
    /// A word boundary where the entry's edge is a letter or digit, nothing otherwise.
    Boundary,
}

/// A word boundary (ASCII, so cheap to compile).
const WORD_BOUNDARY: &str = r"(?-u:\b)";

impl Edges {
    fn after(self, trail_alnum: bool) -> &'static str {
        match (self, trail_alnum) {
            (Edges::Boundary, true) => WORD_BOUNDARY,
            _ => "",
        }
    }
}

/// An entry ready to be written: its pieces and whether its edges are letters or digits.
pub(crate) struct Entry {
    pieces: Vec<Piece>,
    /// Whether the entry ends with a letter or digit.
    pub(crate) trail_alnum: bool,
}

impl Entry {
    /// A trimmed, non-empty entry.
    pub(crate) fn new(entry: &str) -> Entry {
        Entry {
            pieces: pieces(entry),
            trail_alnum: entry.chars().next_back().is_some_and(is_alnum),
        }
    }
}

/// A tree of the entries' shared prefixes.
struct Tree {
    nodes: Vec<Node>,
}

#[derive(Default)]
struct Node {
    /// Children in the order of their most preferred entry.
    children: Vec<(Piece, usize)>,
    /// Whether an entry ends here, and whether its last character is a letter or digit.
    end: Option<bool>,
}

impl Tree {
    /// The tree of `entries` in order of preference, when it matches what their
    /// alternation in that order matches: an entry that ends where a less preferred one
    /// goes on, or letters of other scripts whose case variants may overlap side by side,
    /// and the entries are written one by one instead.
    fn of(entries: &[&Entry]) -> Option<Tree> {
        let mut nodes = vec![Node::default()];
        for entry in entries {
            if entry.pieces.len() > MAX_TREE_DEPTH || entry.pieces.is_empty() {
                return None;
            }
            let mut at = 0;
            for piece in &entry.pieces {
                let node = nodes.get(at)?;
                if node.end.is_some() {
                    // A shorter entry is preferred to this longer one: the tree would try
                    // the longer one first.
                    return None;
                }
                let next = node
                    .children
                    .iter()
                    .find(|(p, _)| p == piece)
                    .map(|(_, n)| *n);
                at = match next {
                    Some(n) => n,
                    None => {
                        let n = nodes.len();
                        nodes.push(Node::default());
                        nodes.get_mut(at)?.children.push((piece.clone(), n));
                        n
                    }
                };
            }
            let node = nodes.get_mut(at)?;
            if node.end.is_none() {
                node.end = Some(entry.trail_alnum);
            }
        }
        let overlapping = nodes.iter().any(|n| {
            n.children.len() > 1
                && n.children.iter().any(|(p, _)| p.cased_outside_ascii())
                && n.children.iter().filter(|(p, _)| p.is_letter()).count() > 1
        });
        (!overlapping).then_some(Tree { nodes })
    }

    /// Writes the alternatives below node `at`, children first (they are longer, so
    /// preferred), then the end of an entry.
    fn write(&self, at: usize, edges: Edges, lead: &str, out: &mut String) {
        let Some(node) = self.nodes.get(at) else {
            return;
        };
        let count = node.children.len() + usize::from(node.end.is_some());
        if count > 1 {
            out.push_str("(?:");
        }
        let mut first = true;
        for (piece, child) in &node.children {
            if !first {
                out.push('|');
            }
            first = false;
            if at == 0 && matches!(piece, Piece::Char(c) if is_alnum(*c)) {
                out.push_str(lead);
            }
            piece.pattern(out);
            self.write(*child, edges, lead, out);
        }
        if let Some(trail_alnum) = node.end {
            if !first {
                out.push('|');
            }
            out.push_str(edges.after(trail_alnum));
        }
        if count > 1 {
            out.push(')');
        }
    }
}

/// The pattern matching any of `entries` (in order of preference: the first that matches
/// at a place wins) in a folded text, each followed by what `edges` requires after it;
/// `lead` goes before each entry that starts with a letter or digit.
pub(crate) fn alternation(entries: &[&Entry], edges: Edges, lead: &str) -> String {
    let mut out = String::new();
    match Tree::of(entries) {
        Some(tree) => tree.write(0, edges, lead, &mut out),
        None => {
            out.push_str("(?:");
            for (k, entry) in entries.iter().enumerate() {
                if k > 0 {
                    out.push('|');
                }
                if entry
                    .pieces
                    .first()
                    .is_some_and(|p| matches!(p, Piece::Char(c) if is_alnum(*c)))
                {
                    out.push_str(lead);
                }
                entry.pieces.iter().for_each(|p| p.pattern(&mut out));
                out.push_str(edges.after(entry.trail_alnum));
            }
            out.push(')');
        }
    }
    out
}

/// The pattern of a word list's entries as a part of a phrase, matched anywhere (not on a
/// padded text) in a folded text: whole words where an entry starts or ends with a letter or
/// digit, longest entries first.
pub(crate) fn words_pattern(entries: &[String]) -> String {
    let mut alts: Vec<(usize, Entry)> = entries
        .iter()
        .map(|e| e.trim())
        .filter(|e| !e.is_empty())
        .map(|e| (e.chars().count(), Entry::new(e)))
        .collect();
    alts.sort_by_key(|a| std::cmp::Reverse(a.0));
    let alts: Vec<&Entry> = alts.iter().map(|a| &a.1).collect();
    format!("(?:{})", alternation(&alts, Edges::Boundary, WORD_BOUNDARY))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use regex::Regex;

    #[test]
    fn folding_keeps_every_offset() {
        let text = "Ünïcode SAVES 20% — Straße K";
        let folded = fold(text);
        assert_eq!(folded.len(), text.len());
        assert_eq!(folded, "Ünïcode saves 20% — straße k");
        assert!(matches!(fold("already lower"), Cow::Borrowed(_)));
        let hay = Haystack::new("Ab");
        assert_eq!((hay.text(), hay.folded()), ("Ab", "ab"));
    }

    #[test]
    fn a_pattern_is_insensitive_throughout_only_when_it_says_so_from_the_start() {
        assert!(insensitive_throughout(r"(?i)(?-u:\b)from\s+\d"));
        assert!(insensitive_throughout(r"(?im)^always"));
        assert!(insensitive_throughout(r"(?i)a\(?-i"));
        assert!(!insensitive_throughout(r"from\s+\d"));
        assert!(!insensitive_throughout(r"(?i:a)b"));
        assert!(!insensitive_throughout(r"(?-i)a"));
        assert!(!insensitive_throughout(r"(?i)the\s+(?-i:[A-Z])"));
        assert!(!insensitive_throughout(r"(?i)a(?s-i)b"));
        assert!(!insensitive_throughout(r"(?m)a"));
    }

    fn matches_of(pattern: &str, text: &str) -> Vec<String> {
        let re = Regex::new(pattern).unwrap();
        re.find_iter(&fold(text))
            .map(|m| text[m.range()].to_owned())
            .collect()
    }

    fn alternation_of(entries: &[&str]) -> String {
        let entries: Vec<Entry> = entries.iter().map(|e| Entry::new(e)).collect();
        let refs: Vec<&Entry> = entries.iter().collect();
        alternation(&refs, Edges::Boundary, WORD_BOUNDARY)
    }

    #[test]
    fn characters_are_escaped_as_the_regex_crate_escapes_them() {
        let all: String = (' '..='~').chain(['é', '€']).collect();
        let entry = Entry::new(&all);
        let mut pattern = String::new();
        entry.pieces.iter().for_each(|p| p.pattern(&mut pattern));
        let re = Regex::new(&format!("^{pattern}$")).unwrap();
        assert!(re.is_match(&fold(&all)));
        assert_eq!(
            pattern
                .replace("(?i:é)", "é")
                .replace(APOSTROPHE_CLASS, "'"),
            regex::escape(&all.to_lowercase()).replace(' ', r"\s+")
        );
    }

    #[test]
    fn a_tree_prefers_what_the_list_prefers() {
        let re = alternation_of(&["best selling", "best-seller", "best", "naïve", "#1"]);
        assert!(re.starts_with("(?:(?-u:\\b)best"), "{re}");
        assert_eq!(
            matches_of(&re, "The BEST\nSelling, best-sellers, best NAÏVE #1"),
            ["BEST\nSelling", "best", "best", "NAÏVE", "#1"]
        );
        // A shorter entry preferred to a longer one is written one by one, as given.
        let re = alternation_of(&["a  b", "a b c"]);
        assert_eq!(matches_of(&re, "a b c"), ["a b"]);
        // Letters of other scripts side by side with other letters: one by one.
        let re = alternation_of(&["ſx", "sx"]);
        assert!(re.starts_with("(?:(?-u:\\b)(?i:ſ)x"), "{re}");
    }
}
