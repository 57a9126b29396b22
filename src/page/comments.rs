//! Comments that speak to align inside a page: `<!-- align-ignore: RULE -- reason -->` and,
//! in test fixtures, `<!-- expect: RULE -->`. Each covers the line it ends, or, alone on its
//! line, the next line that holds anything.

use crate::source::{FileId, Span};
use std::ops::Range;

/// What a comment asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CommentKind {
    /// `align-ignore:`: findings of these rules on the covered line are suppressed.
    Ignore,
    /// `expect:`: a fixture expects findings of these rules on the covered line.
    Expect,
}

/// One `align-ignore:` or `expect:` comment of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageComment {
    /// Which.
    pub(crate) kind: CommentKind,
    /// The rule ids or pack names named (comma separated).
    pub(crate) rules: Vec<String>,
    /// The reason after ` -- `, when one is given.
    pub(crate) reason: Option<String>,
    /// The whole comment, `<!--` to `-->`.
    pub span: Span,
    /// The 1-based line of the page it covers.
    pub(crate) line: usize,
}

/// The marker of a suppression comment.
pub(crate) const IGNORE_MARKER: &str = "align-ignore:";
/// The marker of an expectation comment.
pub(crate) const EXPECT_MARKER: &str = "expect:";

/// Reads the comment written at `range` of the page `text` (`<!--` through `-->`), when it
/// is one align reads. Its `line` is left at 0: [`locate`] sets it for all comments at once.
pub(crate) fn read(file: FileId, text: &str, range: Range<usize>) -> Option<PageComment> {
    let raw = text.get(range.clone())?;
    let body = raw.strip_prefix("<!--")?;
    let body = body.strip_suffix("-->").unwrap_or(body).trim();
    let (kind, rest) = if let Some(rest) = body.strip_prefix(IGNORE_MARKER) {
        (CommentKind::Ignore, rest)
    } else if let Some(rest) = body.strip_prefix(EXPECT_MARKER) {
        (CommentKind::Expect, rest)
    } else {
        return None;
    };
    let (rules, reason) = match rest.split_once("--") {
        Some((r, why)) => (r, Some(why.trim().to_owned()).filter(|w| !w.is_empty())),
        None => (rest, None),
    };
    let rules = rules
        .split(',')
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty())
        .collect();
    Some(PageComment {
        kind,
        rules,
        reason,
        span: Span::new(file, range.start, range.end),
        line: 0,
    })
}

/// Where each line of a text starts, for finding the line of many offsets in one pass.
pub(crate) struct Lines(Vec<usize>);

/// How many lines past a comment alone on its line(s) are searched for the line it covers.
const MAX_BLANK_LINES: usize = 1_000;

impl Lines {
    /// The line table of `text`.
    pub(crate) fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines(starts)
    }

    /// The 0-based line holding a byte offset.
    fn index(&self, at: usize) -> usize {
        self.0.partition_point(|&s| s <= at).saturating_sub(1)
    }

    /// The bytes of a 0-based line, without its line break.
    fn line<'t>(&self, text: &'t str, n: usize) -> Option<&'t str> {
        let start = *self.0.get(n)?;
        let end = self
            .0
            .get(n + 1)
            .map_or(text.len(), |e| e.saturating_sub(1));
        text.get(start..end.max(start))
    }

    /// The 1-based line a comment at `range` covers: its own last line when something else
    /// is written on it, else the next line that holds anything.
    pub(crate) fn covered(&self, text: &str, range: Range<usize>) -> usize {
        let blank = |s: Option<&str>| s.is_none_or(|s| s.chars().all(char::is_whitespace));
        let first = self.index(range.start);
        let last = self.index(range.end.saturating_sub(1).max(range.start));
        let first_start = self.0.get(first).copied().unwrap_or(0);
        let last_end = self
            .0
            .get(last + 1)
            .map_or(text.len(), |e| e.saturating_sub(1));
        let before = text.get(first_start..range.start.max(first_start));
        let after = text.get(range.end.min(last_end)..last_end);
        if !(blank(before) && blank(after)) {
            return last + 1;
        }
        let mut n = last + 1;
        while n < self.0.len() && n <= last + MAX_BLANK_LINES {
            if !blank(self.line(text, n)) {
                return n + 1;
            }
            n += 1;
        }
        last + 2
    }
}

/// Gives every comment the line it covers, with one pass over the text.
pub(crate) fn locate(text: &str, comments: &mut [PageComment]) {
    if comments.is_empty() {
        return;
    }
    let lines = Lines::new(text);
    for c in comments {
        c.line = lines.covered(text, c.span.start as usize..c.span.end as usize);
    }
}

/// The end of the comment that starts at `start` (`<!--`): after its `-->`, or the end of
/// the text when it is never closed.
pub(crate) fn comment_end(text: &str, start: usize) -> usize {
    text.get(start + 4..)
        .and_then(|s| s.find("-->"))
        .map_or(text.len(), |i| start + 4 + i + 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trailing_comment_covers_its_line() {
        let text = "Intro\nWe close in 3 days. <!-- align-ignore: overpromise -- legal ok 2026-01 -->\nNext\n";
        let start = text.find("<!--").unwrap_or(0);
        let mut c = read(FileId(0), text, start..comment_end(text, start)).expect("comment");
        locate(text, std::slice::from_mut(&mut c));
        assert_eq!(c.kind, CommentKind::Ignore);
        assert_eq!(c.rules, ["overpromise"]);
        assert_eq!(c.reason.as_deref(), Some("legal ok 2026-01"));
        assert_eq!(c.line, 2);
    }

    #[test]
    fn a_comment_alone_covers_the_next_line_with_text() {
        let text = "<!-- expect: a/b, c/d -->\n\nClaim\n";
        let mut c = read(FileId(0), text, 0..comment_end(text, 0)).expect("comment");
        locate(text, std::slice::from_mut(&mut c));
        assert_eq!(c.kind, CommentKind::Expect);
        assert_eq!(c.rules, ["a/b", "c/d"]);
        assert_eq!(c.reason, None);
        assert_eq!(c.line, 3);
    }

    #[test]
    fn other_comments_are_not_read() {
        let text = "<!-- just a note -->";
        assert!(read(FileId(0), text, 0..text.len()).is_none());
    }
}
