//! Regular expressions compiled when first needed.
//!
//! A phrase built from long word lists compiles to a regular expression that takes
//! milliseconds to build, and the claim frames hold dozens of them; most texts never get past
//! a phrase's first words. A phrase is therefore kept as its source and compiled the first
//! time a text may match it, on whichever core needs it. A pattern written in a rule file
//! (`/.../`) is compiled when the file loads, so its mistakes are reported there.

use regex::{Match, Regex, RegexBuilder};
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
    compiled: OnceLock<Option<Regex>>,
}

impl From<Regex> for LazyRegex {
    fn from(regex: Regex) -> LazyRegex {
        LazyRegex {
            source: regex.as_str().to_owned(),
            trigger: None,
            size_limit: 0,
            compiled: OnceLock::from(Some(regex)),
        }
    }
}

impl LazyRegex {
    /// An expression compiled on first use: `source` must be valid syntax (it is built from
    /// parts that each compiled), `trigger` what every match begins with.
    pub(crate) fn deferred(
        source: String,
        trigger: Option<String>,
        size_limit: usize,
    ) -> LazyRegex {
        LazyRegex {
            source,
            trigger,
            size_limit,
            compiled: OnceLock::new(),
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

    /// Whether the expression is compiled already.
    #[cfg(test)]
    pub(crate) fn is_compiled(&self) -> bool {
        self.compiled.get().is_some()
    }

    /// Whether the expression matches somewhere in `text`.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        self.regex().is_some_and(|r| r.is_match(text))
    }

    /// The first match in `text`.
    pub(crate) fn find<'t>(&self, text: &'t str) -> Option<Match<'t>> {
        self.regex().and_then(|r| r.find(text))
    }

    /// Every match in `text`, in order, without overlaps.
    pub(crate) fn find_iter<'r, 't>(
        &'r self,
        text: &'t str,
    ) -> impl Iterator<Item = Match<'t>> + use<'r, 't> {
        self.regex()
            .into_iter()
            .flat_map(move |r| r.find_iter(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deferred_expression_compiles_on_first_use_and_matches_as_compiled() {
        let lazy = LazyRegex::deferred(
            r"(?i:save)\s+\d+%".into(),
            Some("(?i:save)".into()),
            1 << 20,
        );
        assert_eq!(lazy.trigger(), "(?i:save)");
        assert!(lazy.compiled.get().is_none());
        assert_eq!(
            lazy.find("We SAVE 20% a year").map(|m| m.as_str()),
            Some("SAVE 20%")
        );
        assert!(lazy.compiled.get().is_some());
        let eager = LazyRegex::from(Regex::new("a+").unwrap_or_else(|_| unreachable!()));
        assert_eq!(eager.trigger(), "a+");
        assert_eq!(eager.find_iter("aa b a").count(), 2);
    }

    #[test]
    fn an_expression_too_large_to_compile_matches_nothing() {
        let lazy = LazyRegex::deferred(r"\w{1000}\w{1000}".into(), None, 1 << 10);
        assert!(!lazy.is_match(&"a".repeat(3000)));
        assert_eq!(lazy.find_iter("abc").count(), 0);
    }
}
