//! Comments that speak to align inside a page: `<!-- align-ignore: RULE -- reason -->` and,
//! in test fixtures, `<!-- expect: RULE -->`. Each covers the line it ends, or, alone on its
//! line, the next line that holds anything.

use crate::source::{FileId, Span};
use std::ops::Range;

/// What a comment asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentKind {
    /// `align-ignore:`: findings of these rules on the covered line are suppressed.
    Ignore,
    /// `expect:`: a fixture expects findings of these rules on the covered line.
    Expect,
}

/// One `align-ignore:` or `expect:` comment of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageComment {
    /// Which.
    pub kind: CommentKind,
    /// The rule ids or pack names named (comma separated).
    pub rules: Vec<String>,
    /// The reason after ` -- `, when one is given.
    pub reason: Option<String>,
    /// The whole comment, `<!--` to `-->`.
    pub span: Span,
    /// The 1-based line of the page it covers.
    pub line: usize,
}

/// The marker of a suppression comment.
pub const IGNORE_MARKER: &str = "align-ignore:";
/// The marker of an expectation comment.
pub const EXPECT_MARKER: &str = "expect:";

/// Reads the comment written at `range` of the page `text` (`<!--` through `-->`), when it
/// is one align reads.
pub fn read(file: FileId, text: &str, range: Range<usize>) -> Option<PageComment> {
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
        line: covered_line(text, range),
    })
}

/// The line a comment at `range` covers: its own last line when something else is written
/// on it, else the next line that holds anything.
fn covered_line(text: &str, range: Range<usize>) -> usize {
    let bytes = text.as_bytes();
    let line_start = bytes
        .get(..range.start)
        .and_then(|b| b.iter().rposition(|&c| c == b'\n'))
        .map_or(0, |i| i + 1);
    let line_end = bytes
        .get(range.end..)
        .and_then(|b| b.iter().position(|&c| c == b'\n'))
        .map_or(text.len(), |i| range.end + i);
    let blank = |r: Range<usize>| {
        text.get(r)
            .is_none_or(|s| s.chars().all(char::is_whitespace))
    };
    let last_line = 1 + bytes
        .get(..range.end)
        .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count());
    if !(blank(line_start..range.start) && blank(range.end..line_end)) {
        return last_line;
    }
    // Alone on its line(s): the next line with anything on it.
    let mut line = last_line + 1;
    let mut at = line_end + 1;
    while at < text.len() {
        let end = bytes
            .get(at..)
            .and_then(|b| b.iter().position(|&c| c == b'\n'))
            .map_or(text.len(), |i| at + i);
        if !blank(at..end) {
            return line;
        }
        line += 1;
        at = end + 1;
    }
    line
}

/// The end of the comment that starts at `start` (`<!--`): after its `-->`, or the end of
/// the text when it is never closed.
pub fn comment_end(text: &str, start: usize) -> usize {
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
        let c = read(FileId(0), text, start..comment_end(text, start)).expect("comment");
        assert_eq!(c.kind, CommentKind::Ignore);
        assert_eq!(c.rules, ["overpromise"]);
        assert_eq!(c.reason.as_deref(), Some("legal ok 2026-01"));
        assert_eq!(c.line, 2);
    }

    #[test]
    fn a_comment_alone_covers_the_next_line_with_text() {
        let text = "<!-- expect: a/b, c/d -->\n\nClaim\n";
        let c = read(FileId(0), text, 0..comment_end(text, 0)).expect("comment");
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
