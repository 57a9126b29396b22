//! Regular expressions compiled when first needed.
//!
//! A phrase built from long word lists compiles to a regular expression that takes
//! milliseconds to build, and the claim frames hold dozens of them; most texts never get past
//! a phrase's first words. A phrase is therefore kept as its source and compiled the first
//! time a text may match it, on whichever core needs it. A pattern written in a rule file
//! (`/.../`) is compiled when the file loads, so its mistakes are reported there.
//!
//! A phrase of word lists is matched against the folded text (see `fold`), which is what
//! makes it cheap to compile; a pattern written in a rule file is matched against the text as
//! it is.

use super::fold::{Haystack, fold, insensitive_throughout};
use regex::{Regex, RegexBuilder};
use std::ops::Range;
use std::sync::OnceLock;

/// A regular expression, compiled now or on first use.
#[derive(Debug)]
pub(crate) struct LazyRegex {
    /// The pattern.
    source: String,
    /// A pattern every match begins with a match of (a phrase's first part), so a filter
    /// can rule the expression out without compiling it.
    trigger: Option<String>,
    /// The most the compiled expression may take, in bytes.
    size_limit: usize,
    /// Whether the expression is matched against the folded text.
    folded: bool,
    compiled: OnceLock<Option<Regex>>,
}

impl From<Regex> for LazyRegex {
    fn from(regex: Regex) -> LazyRegex {
        LazyRegex::compiled(regex, false)
    }
}

impl LazyRegex {
    /// An expression compiled on first use: `source` must be valid syntax (it is built from
    /// parts that each compiled), `trigger` what every match begins with.
    /// `folded` says whether it is matched against the folded text.
    pub(crate) fn deferred(
        source: String,
        trigger: Option<String>,
        size_limit: usize,
        folded: bool,
    ) -> LazyRegex {
        LazyRegex {
            source,
            trigger,
            size_limit,
            folded,
            compiled: OnceLock::new(),
        }
    }

    /// An expression compiled already, matched against the folded text when `folded`.
    pub(crate) fn compiled(regex: Regex, folded: bool) -> LazyRegex {
        LazyRegex {
            source: regex.as_str().to_owned(),
            trigger: None,
            size_limit: 0,
            folded,
            compiled: OnceLock::from(Some(regex)),
        }
    }

    /// Whether the expression (and its trigger) is matched against the folded text.
    pub(crate) fn is_folded(&self) -> bool {
        self.folded
    }

    /// The expression as a part of a larger one matched against the folded text; `None`
    /// when it must see the text's case.
    pub(crate) fn folded_form(&self) -> Option<String> {
        (self.folded || insensitive_throughout(&self.source))
            .then(|| format!("(?:{})", self.source))
    }

    /// The expression as a part of a larger one matched against the text as it is.
    pub(crate) fn plain_form(&self) -> String {
        if self.folded {
            format!("(?i:{})", self.source)
        } else {
            format!("(?:{})", self.source)
        }
    }

    /// The pattern.
    pub(crate) fn as_str(&self) -> &str {
        &self.source
    }

    /// What a filter may look for to learn whether the expression can match a text: a
    /// pattern every match begins with, or the pattern itself.
    pub(crate) fn trigger(&self) -> &str {
        self.trigger.as_deref().unwrap_or(&self.source)
    }

    /// The compiled expression; `None` when it is too large to compile.
    pub(crate) fn regex(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| {
                RegexBuilder::new(&self.source)
                    .size_limit(self.size_limit)
                    .dfa_size_limit(self.size_limit)
                    .build()
                    .ok()
            })
            .as_ref()
    }

    /// Whether the expression matches somewhere in `text`.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        self.regex().is_some_and(|r| {
            if self.folded {
                r.is_match(&fold(text))
            } else {
                r.is_match(text)
            }
        })
    }

    /// Where the expression first matches in `text`.
    pub(crate) fn find(&self, text: &str) -> Option<Range<usize>> {
        let r = self.regex()?;
        if self.folded {
            r.find(&fold(text)).map(|m| m.range())
        } else {
            r.find(text).map(|m| m.range())
        }
    }

    /// Every match in the text, in order, without overlaps, as byte ranges.
    pub(crate) fn find_iter<'r, 'h>(
        &'r self,
        text: &'h Haystack<'_>,
    ) -> impl Iterator<Item = Range<usize>> + use<'r, 'h> {
        let text = if self.folded {
            text.folded()
        } else {
            text.text()
        };
        self.regex()
            .into_iter()
            .flat_map(move |r| r.find_iter(text).map(|m| m.range()))
    }

    /// Whether the expression is compiled already.
    #[cfg(test)]
    pub(crate) fn is_compiled(&self) -> bool {
        self.compiled.get().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deferred_expression_compiles_on_first_use_and_matches_as_compiled() {
        let lazy = LazyRegex::deferred(r"save\s+\d+%".into(), Some("save".into()), 1 << 20, true);
        assert_eq!(lazy.trigger(), "save");
        assert!(lazy.compiled.get().is_none());
        assert_eq!(lazy.find("We SAVE 20% a year"), Some(3..11));
        assert!(lazy.compiled.get().is_some());
        let eager = LazyRegex::from(Regex::new("a+").unwrap_or_else(|_| unreachable!()));
        assert_eq!(eager.trigger(), "a+");
        assert_eq!(eager.find_iter(&Haystack::new("aa b a")).count(), 2);
        assert!(!eager.is_match("AA"));
        // A folded expression embedded in one matched against the text as it is keeps
        // matching whatever the case.
        let plain = Regex::new(&lazy.plain_form()).unwrap_or_else(|_| unreachable!());
        assert!(plain.is_match("SAVE 20%"));
        assert_eq!(eager.folded_form(), None);
    }

    #[test]
    fn an_expression_too_large_to_compile_matches_nothing() {
        let lazy = LazyRegex::deferred(r"\w{1000}\w{1000}".into(), None, 1 << 10, false);
        assert!(!lazy.is_match(&"a".repeat(3000)));
        assert_eq!(lazy.find_iter(&Haystack::new("abc")).count(), 0);
    }
}
