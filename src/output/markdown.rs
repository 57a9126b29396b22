//! The Markdown format: a report for the people who review copy in pull requests, written
//! for a GitHub job summary (`$GITHUB_STEP_SUMMARY`) or a pull-request comment.
//!
//! - A headline with the counts (and what a baseline hid), then a table of the rules that
//!   fired, then the findings grouped by file, errors first within each file.
//! - Each finding gives its severity, rule, place (`file:line`, a link to the line when
//!   `GITHUB_SERVER_URL`, `GITHUB_REPOSITORY` and `GITHUB_SHA` are set, as in GitHub
//!   Actions), its message, the source line with the underlined words in bold, the rule's
//!   summary and the help.
//! - Everything taken from the project is escaped, so copy never turns into Markdown.
//! - The report stays under [`MAX_CHARS`] characters (GitHub's comment limit is 65,536):
//!   past it, the remaining findings are counted per file instead of shown.

use super::{Context, place, summary_line};
use crate::finding::{Finding, Severity};
use std::collections::BTreeMap;

/// The longest report, in characters, before findings are summarised instead of shown.
pub(crate) const MAX_CHARS: usize = 60_000;

/// Renders the report, linking to lines on GitHub when the Actions environment says where.
pub(crate) fn render(findings: &[Finding], cx: &Context<'_>) -> String {
    render_with(findings, cx, github_blob_base().as_deref())
}

/// The `https://github.com/OWNER/REPO/blob/SHA` that file links start with, from the
/// variables GitHub Actions sets.
fn github_blob_base() -> Option<String> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    Some(format!(
        "{}/{}/blob/{}",
        var("GITHUB_SERVER_URL")?.trim_end_matches('/'),
        var("GITHUB_REPOSITORY")?,
        var("GITHUB_SHA")?
    ))
}

/// Renders the report; `links` is the base that `/path#L12` is appended to, when known.
pub(crate) fn render_with(findings: &[Finding], cx: &Context<'_>, links: Option<&str>) -> String {
    let mut out = String::new();
    let mark = if findings.iter().any(|f| f.severity == Severity::Error) {
        "❌"
    } else if findings.is_empty() {
        "✅"
    } else {
        "⚠️"
    };
    out.push_str(&format!(
        "## {mark} align: {}\n\n",
        escape(&summary_line(findings, cx))
    ));
    if findings.is_empty() {
        return out;
    }

    // The rules that fired, most serious first.
    let mut by_rule: BTreeMap<&str, (Severity, usize)> = BTreeMap::new();
    for f in findings {
        let e = by_rule.entry(&f.rule).or_insert((f.severity, 0));
        e.0 = e.0.max(f.severity);
        e.1 += 1;
    }
    let mut rules: Vec<(&str, Severity, usize)> =
        by_rule.into_iter().map(|(r, (s, n))| (r, s, n)).collect();
    rules.sort_by_key(|(r, s, _)| (std::cmp::Reverse(*s), *r));
    out.push_str("| rule | severity | findings | what it flags |\n|---|---|---:|---|\n");
    for (rule, severity, n) in &rules {
        let summary = cx.rules.get(rule).map(|r| r.summary.as_str()).unwrap_or("");
        out.push_str(&format!(
            "| `{rule}` | {severity} | {n} | {} |\n",
            prose(summary)
        ));
    }
    out.push('\n');

    // Findings by file, in the order files first appear; findings without a place last.
    let mut files: Vec<(String, Vec<&Finding>)> = Vec::new();
    for f in findings {
        let path = place(f, cx.sources).map_or_else(|| "(no file)".to_owned(), |p| p.path);
        match files.iter_mut().find(|(p, _)| *p == path) {
            Some((_, list)) => list.push(f),
            None => files.push((path, vec![f])),
        }
    }
    let mut left_out: Vec<(String, usize)> = Vec::new();
    for (path, mut list) in files {
        list.sort_by_key(|f| std::cmp::Reverse(f.severity));
        let mut section = format!("### `{}`\n\n", path.replace('`', "'"));
        let mut shown = 0;
        for f in &list {
            let item = finding_item(f, cx, links);
            if out.len() + section.len() + item.len() > MAX_CHARS {
                break;
            }
            section.push_str(&item);
            shown += 1;
        }
        if shown > 0 {
            out.push_str(&section);
            out.push('\n');
        }
        if shown < list.len() {
            left_out.push((path, list.len() - shown));
        }
    }
    if !left_out.is_empty() {
        let total: usize = left_out.iter().map(|(_, n)| n).sum();
        out.push_str(&format!(
            "**{total} more finding{} not shown** to keep this report short; run `align check` to see them all:\n\n",
            if total == 1 { "" } else { "s" }
        ));
        for (path, n) in left_out.iter().take(50) {
            out.push_str(&format!("- `{}`: {n}\n", path.replace('`', "'")));
        }
        if left_out.len() > 50 {
            out.push_str(&format!("- and {} more files\n", left_out.len() - 50));
        }
    }
    out
}

/// One finding as a list item: headline, quoted source line, summary and help.
fn finding_item(f: &Finding, cx: &Context<'_>, links: Option<&str>) -> String {
    let icon = match f.severity {
        Severity::Error => "❌",
        Severity::Warning => "⚠️",
        Severity::Info => "ℹ️",
    };
    let at = match place(f, cx.sources) {
        Some(p) => {
            let name = format!("{}:{}", p.path, p.line);
            match links {
                Some(base) => format!(
                    " at [`{}`]({base}/{}#L{})",
                    name.replace('`', "'"),
                    p.path.replace(' ', "%20").replace(')', "%29"),
                    p.line
                ),
                None => format!(" at `{}`", name.replace('`', "'")),
            }
        }
        None => String::new(),
    };
    let mut item = format!(
        "- {icon} **{}** `{}`{at}: {}\n",
        f.severity,
        f.rule,
        prose(&f.message)
    );
    if let Some(quote) = quoted_line(f, cx) {
        item.push_str(&format!("  > {quote}\n"));
    }
    let summary = cx.rules.get(&f.rule).map(|r| r.summary.as_str());
    match (summary, &f.help) {
        (Some(s), Some(h)) => item.push_str(&format!("  \n  *{}.* {}\n", escape(s), prose(h))),
        (None, Some(h)) => item.push_str(&format!("  \n  {}\n", prose(h))),
        (Some(s), None) => item.push_str(&format!("  \n  *{}.*\n", escape(s))),
        (None, None) => {}
    }
    item
}

/// The source line of a finding with the underlined words in bold (their first line when
/// they span several), trimmed; `None` without a place or when the line is blank.
fn quoted_line(f: &Finding, cx: &Context<'_>) -> Option<String> {
    let span = f.span?;
    let file = cx.sources.get(span.file)?;
    let text: &str = &file.text;
    let start = (span.start as usize).min(text.len());
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |n| n + 1);
    let line_end = text
        .get(start..)?
        .find('\n')
        .map_or(text.len(), |n| start + n);
    let end = (span.end as usize).clamp(start, line_end);
    let before = text.get(line_start..start)?;
    let words = text.get(start..end)?;
    let after = text.get(end..line_end)?;
    let before = before.trim_start();
    let after = after.trim_end();
    if before.is_empty() && words.trim().is_empty() && after.is_empty() {
        return None;
    }
    let words = if words.trim().is_empty() {
        String::new()
    } else {
        format!("**{}**", escape(words.trim()))
    };
    let line = format!("{}{words}{}", escape(before), escape(after));
    // A line that starts like a list item or a numbered item would be read as one.
    let starts_a_block = line.starts_with(['-', '+', '='])
        || line.find(['.', ')']).is_some_and(|i| {
            i > 0
                && line
                    .get(..i)
                    .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
        });
    Some(if starts_a_block {
        format!("\\{line}")
    } else {
        line
    })
}

/// Escapes a message or help of align's own: its `code` spans stay code, the rest is
/// escaped (an odd backtick is escaped too).
fn prose(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len() % 2 == 0 {
        return escape(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 0 {
            out.push_str(&escape(part));
        } else {
            // A code span cannot hold a newline in a list item's first line, nor be empty.
            let code = part.replace(['\n', '\r'], " ");
            if code.trim().is_empty() {
                out.push_str("\\`\\`");
            } else {
                out.push('`');
                out.push_str(&code);
                out.push('`');
            }
        }
    }
    out
}

/// Escapes text so that Markdown shows it as written.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{escape, prose};

    #[test]
    fn code_spans_of_messages_stay_code() {
        assert_eq!(prose("`99.99%` is *more*"), "`99.99%` is \\*more\\*");
        assert_eq!(prose("odd ` tick"), "odd \\` tick");
    }

    #[test]
    fn markdown_in_copy_is_escaped() {
        assert_eq!(escape("*bold* `code` <b>"), "\\*bold\\* \\`code\\` \\<b\\>");
        assert_eq!(escape("a|b\nc"), "a\\|b c");
    }
}
