//! Characters as the text readers see them: apostrophes, letters and digits, line breaks,
//! and a text indexed by character. Shared by the word lists and number reader of the rule
//! language and by the model's mapping of decoded YAML text back to its bytes.

#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

/// Apostrophe-like characters treated as equivalent.
pub(crate) const APOSTROPHES: [char; 4] = ['\'', '\u{2019}', '\u{2018}', '\u{02BC}'];

/// Whether `c` is one of the apostrophes treated alike.
pub(crate) fn is_apostrophe(c: char) -> bool {
    APOSTROPHES.contains(&c)
}

/// Letters and digits (Unicode alphanumeric).
pub(crate) fn is_alnum(c: char) -> bool {
    c.is_alphanumeric()
}

/// Characters that glue a number into an identifier-like word.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whitespace that does not end a line.
pub(crate) fn is_hspace(c: char) -> bool {
    c.is_whitespace() && !is_line_break(c)
}

/// Whether `c` ends a line.
pub(crate) fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// A text with random access to its characters by index.
pub(crate) struct Chars<'a> {
    text: &'a str,
    /// Byte offset and character, in order.
    pub(crate) chars: Vec<(usize, char)>,
}

impl<'a> Chars<'a> {
    /// Indexes `text` by character.
    pub(crate) fn new(text: &'a str) -> Self {
        // One allocation: a text has at most as many characters as bytes.
        let mut chars = Vec::with_capacity(text.len());
        chars.extend(text.char_indices());
        Chars { text, chars }
    }

    /// The number of characters.
    pub(crate) fn len(&self) -> usize {
        self.chars.len()
    }

    /// The character at index `i`, if any.
    pub(crate) fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|&(_, c)| c)
    }

    /// The character before index `i`, if any.
    pub(crate) fn before(&self, i: usize, n: usize) -> Option<char> {
        i.checked_sub(n).and_then(|p| self.at(p))
    }

    /// Byte offset of character index `i` (the text length past the end).
    pub(crate) fn byte(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.text.len(), |&(b, _)| b)
    }

    /// The text between two character indices.
    pub(crate) fn slice(&self, from: usize, to: usize) -> &'a str {
        self.text.get(self.byte(from)..self.byte(to)).unwrap_or("")
    }

    /// Index just past the run of characters starting at `i` that satisfy `f`.
    pub(crate) fn run_end(&self, mut i: usize, f: impl Fn(char) -> bool) -> usize {
        while self.at(i).is_some_and(&f) {
            i += 1;
        }
        i
    }

    /// Index of the start of the run of characters ending at `i` that satisfy `f`.
    pub(crate) fn run_start(&self, mut i: usize, f: impl Fn(char) -> bool) -> usize {
        while let Some(p) = i.checked_sub(1) {
            if self.at(p).is_some_and(&f) {
                i = p;
            } else {
                break;
            }
        }
        i
    }
}
