//! Expectations written inside fixture files, and how findings are compared with them.
//!
//! A fixture says which findings it should produce with comments: `# expect: RULE-ID` at the
//! end of the line where the finding starts, or alone on the line directly above it (several
//! ids separated by commas); in a page, `<!-- expect: RULE-ID -->`. Only the rules that the expectations name (or that a selection
//! names) are compared, so other rules' findings do not get in the way.

use crate::finding::Finding;
use crate::source::{FileId, Sources};
use std::collections::BTreeSet;

/// The marker of an expectation comment.
pub(crate) const MARKER: &str = "expect:";

/// One expected finding: a rule, in a file, starting on a line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Expected {
    /// The file.
    pub file: FileId,
    /// The 1-based line the finding starts on.
    pub line: usize,
    /// The rule id.
    pub rule: String,
}

/// A difference between what a fixture expects and what the rules found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// Expected but not found.
    Missing(Expected),
    /// Found but not expected.
    Unexpected {
        /// The finding.
        rule: String,
        /// Where it starts.
        file: FileId,
        /// Its 1-based line.
        line: usize,
        /// Its message.
        message: String,
    },
}

impl Difference {
    /// The difference in one line, `path:line: missing RULE` / `path:line: unexpected RULE: message`.
    pub fn describe(&self, sources: &Sources) -> String {
        match self {
            Difference::Missing(e) => format!(
                "{}:{}: expected {}, but it did not fire",
                sources.path(e.file).display(),
                e.line,
                e.rule
            ),
            Difference::Unexpected {
                rule,
                file,
                line,
                message,
            } => {
                format!(
                    "{}:{}: unexpected {rule}: {message}",
                    sources.path(*file).display(),
                    line
                )
            }
        }
    }
}

/// Reads the expectations of the given files.
pub fn expectations(sources: &Sources, files: &[FileId]) -> Vec<Expected> {
    let mut out = Vec::new();
    for &file in files {
        let Some(f) = sources.get(file) else { continue };
        if sources.is_page(file) {
            page_expectations(file, &f.text, &mut out);
            continue;
        }
        let lines: Vec<&str> = f.text.split('\n').collect();
        for (i, line) in lines.iter().enumerate() {
            let Some((code, rules)) = split_comment(line) else {
                continue;
            };
            // Alone on its line: about the next line.
            let target = if code.trim().is_empty() { i + 2 } else { i + 1 };
            for rule in rules {
                out.push(Expected {
                    file,
                    line: target,
                    rule,
                });
            }
        }
    }
    out.sort();
    out
}

/// The `<!-- expect: RULE -->` comments of a page: at the end of the line of the finding,
/// or alone on the line above it.
fn page_expectations(file: FileId, text: &str, out: &mut Vec<Expected>) {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(rel) = text.get(from..).and_then(|t| t.find("<!--")) {
        let start = from + rel;
        let end = crate::page::comments::comment_end(text, start);
        if let Some(c) = crate::page::comments::read(file, text, start..end) {
            if c.kind == crate::page::CommentKind::Expect {
                found.push(c);
            }
        }
        from = end.max(start + 4);
    }
    crate::page::comments::locate(text, &mut found);
    for c in found {
        out.extend(c.rules.into_iter().map(|rule| Expected {
            file,
            line: c.line,
            rule,
        }));
    }
}

fn split_comment(line: &str) -> Option<(&str, Vec<String>)> {
    let line = line.trim_end_matches('\r');
    let mut search = 0;
    while let Some(rel) = line.get(search..)?.find('#') {
        let at = search + rel;
        let starts_comment = at == 0 || line[..at].ends_with([' ', '\t']);
        if starts_comment {
            let rest = line.get(at + 1..)?.trim_start();
            if let Some(body) = rest.strip_prefix(MARKER) {
                let rules = body
                    .split(',')
                    .map(|r| r.split_whitespace().next().unwrap_or("").to_owned())
                    .filter(|r| !r.is_empty())
                    .collect();
                return Some((&line[..at], rules));
            }
        }
        search = at + 1;
    }
    None
}

/// The rules a set of expectations names.
pub fn rules_named(expected: &[Expected]) -> BTreeSet<String> {
    expected.iter().map(|e| e.rule.clone()).collect()
}

/// Compares findings with expectations, for the rules in `compared` only.
pub fn compare(
    expected: &[Expected],
    findings: &[Finding],
    sources: &Sources,
    compared: &BTreeSet<String>,
) -> Vec<Difference> {
    let mut remaining: Vec<Expected> = expected
        .iter()
        .filter(|e| compared.contains(&e.rule))
        .cloned()
        .collect();
    let mut out = Vec::new();
    for f in findings.iter().filter(|f| compared.contains(&f.rule)) {
        let Some(span) = f.span else { continue };
        let line = sources
            .get(span.file)
            .map(|s| s.line_col(span.start as usize).line)
            .unwrap_or(0);
        match remaining
            .iter()
            .position(|e| e.file == span.file && e.line == line && e.rule == f.rule)
        {
            Some(i) => {
                remaining.remove(i);
            }
            None => out.push(Difference::Unexpected {
                rule: f.rule.clone(),
                file: span.file,
                line,
                message: f.message.clone(),
            }),
        }
    }
    out.extend(remaining.into_iter().map(Difference::Missing));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_and_leading_expectations() {
        let mut sources = Sources::new();
        let f = sources.add(
            "a.yaml".into(),
            "a: 1 # expect: x/y\n# expect: p/q, r/s\nb: 2\n",
        );
        let e = expectations(&sources, &[f]);
        let got: Vec<(usize, &str)> = e.iter().map(|e| (e.line, e.rule.as_str())).collect();
        assert_eq!(got, [(1, "x/y"), (3, "p/q"), (3, "r/s")]);
    }
}
