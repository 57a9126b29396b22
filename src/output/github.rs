//! The GitHub format: GitHub Actions workflow commands, which the runner turns into
//! annotations on the pull request's changed lines and in the run summary.
//!
//! ```text
//! ::error file=messages/web.yaml,line=29,col=27,endLine=29,endColumn=33,title=overpromise/number-beyond-facts::message%0A%0Ahelp
//! ```
//!
//! error → `::error`, warning → `::warning`, info → `::notice`. Lines and columns are 1-based,
//! columns in characters and `endColumn` exclusive, as in the JSON format; the runner accepts
//! columns only within one line, so a finding spanning lines gives lines alone. The message
//! is followed by the help. As the runner requires, `%`, `\r` and `\n` are escaped in the
//! message, and also `:` and `,` in property values. A closing summary line (plain text,
//! shown in the log) follows unless `--quiet`.

use super::{Context, place, summary_line};
use crate::finding::{Finding, Severity};

/// Renders every finding as a workflow command, then the summary line.
pub(crate) fn render(findings: &[Finding], cx: &Context<'_>) -> String {
    let mut out = String::new();
    for f in findings {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props: Vec<String> = Vec::new();
        if let Some(p) = place(f, cx.sources) {
            props.push(format!("file={}", escape_property(&p.path)));
            props.push(format!("line={}", p.line));
            if p.line == p.end_line {
                props.push(format!("col={}", p.column));
                props.push(format!("endLine={}", p.end_line));
                props.push(format!("endColumn={}", p.end_column));
            } else {
                props.push(format!("endLine={}", p.end_line));
            }
        }
        props.push(format!("title={}", escape_property(&f.rule)));
        let mut message = f.message.clone();
        if let Some(h) = &f.help {
            message.push_str("\n\n");
            message.push_str(h);
        }
        out.push_str(&format!(
            "::{command} {}::{}\n",
            props.join(","),
            escape_data(&message)
        ));
    }
    if !cx.quiet {
        out.push_str(&summary_line(findings, cx));
        out.push('\n');
    }
    out
}

/// Escapes a command's message: `%`, `\r`, `\n`.
pub(crate) fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as a message, and also `:` and `,`.
pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_the_runner_requires() {
        assert_eq!(
            escape_data("99% up\r\nnow: a, b"),
            "99%25 up%0D%0Anow: a, b"
        );
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
