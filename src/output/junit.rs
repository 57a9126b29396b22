//! The JUnit format: JUnit XML for CI systems that show test reports (GitLab, Jenkins,
//! Azure DevOps, CircleCI).
//!
//! ```xml
//! <testsuites name="align" tests="17" failures="9" errors="0">
//!   <testsuite name="listening" tests="3" failures="2" errors="0" skipped="0">
//!     <testcase name="listening/proposition-without-evidence" classname="align.listening">
//!       <failure type="error" message="proposition `p` has no customer evidence ...">
//! propositions.yaml:12:16: error listening/proposition-without-evidence ...
//!       </failure>
//!     </testcase>
//! ```
//!
//! One test suite per pack and one test case per rule in force, fired or not, so a clean rule
//! shows as a passing test; each finding is a `failure` of its rule's test case (several
//! findings, several failures), whatever its severity, which `type` gives. Problems that
//! stopped a file from loading are failures of a `load` suite's test cases.

use super::{Context, place};
use crate::finding::Finding;

struct Case<'f> {
    rule: String,
    findings: Vec<&'f Finding>,
}

struct Suite<'f> {
    name: String,
    cases: Vec<Case<'f>>,
}

/// Renders the findings as one JUnit XML document.
pub(crate) fn render(findings: &[Finding], cx: &Context<'_>) -> String {
    let mut suites: Vec<Suite<'_>> = Vec::new();
    for (rule, _) in &cx.run.in_force {
        add(&mut suites, &rule.id, None);
    }
    for f in findings {
        add(&mut suites, &f.rule, Some(f));
    }
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failing = |s: &Suite<'_>| s.cases.iter().filter(|c| !c.findings.is_empty()).count();
    let failures: usize = suites.iter().map(failing).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"align\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n"
    ));
    for s in &suites {
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n",
            escape(&s.name),
            s.cases.len(),
            failing(s)
        ));
        for c in &s.cases {
            let open = format!(
                "    <testcase name=\"{}\" classname=\"align.{}\"",
                escape(&c.rule),
                escape(&s.name)
            );
            if c.findings.is_empty() {
                out.push_str(&open);
                out.push_str("/>\n");
                continue;
            }
            out.push_str(&open);
            out.push_str(">\n");
            for f in &c.findings {
                out.push_str(&format!(
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                    f.severity,
                    escape(&f.message),
                    escape_text(&details(f, cx))
                ));
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Adds a rule's test case (and its pack's suite) on first sight, and the finding to it.
fn add<'f>(suites: &mut Vec<Suite<'f>>, rule: &str, finding: Option<&'f Finding>) {
    let pack = rule.split('/').next().unwrap_or(rule);
    if !suites.iter().any(|s| s.name == pack) {
        suites.push(Suite {
            name: pack.to_owned(),
            cases: Vec::new(),
        });
    }
    for suite in suites.iter_mut().filter(|s| s.name == pack) {
        if !suite.cases.iter().any(|c| c.rule == rule) {
            suite.cases.push(Case {
                rule: rule.to_owned(),
                findings: Vec::new(),
            });
        }
        for case in suite.cases.iter_mut().filter(|c| c.rule == rule) {
            case.findings.extend(finding);
        }
    }
}

/// The failure's text: where, what, what to do, and what it is about.
fn details(f: &Finding, cx: &Context<'_>) -> String {
    let at = place(f, cx.sources)
        .map(|p| format!("{}:{}:{}", p.path, p.line, p.column))
        .unwrap_or_else(|| "-".to_owned());
    let mut s = format!("{at}: {} {} {}", f.severity, f.rule, f.message);
    if let Some(h) = &f.help {
        s.push_str(&format!("\nhelp: {h}"));
    }
    if let Some(e) = &f.entity {
        s.push_str(&format!("\nabout: {} `{}`", e.kind, e.id));
        if let Some(field) = &f.field {
            s.push_str(&format!(", field `{field}`"));
        }
    }
    s
}

/// Escapes text for XML element content, keeping line breaks as they are.
pub(crate) fn escape_text(s: &str) -> String {
    s.split('\n').map(escape).collect::<Vec<_>>().join("\n")
}

/// Escapes text for XML attributes (line breaks too, which attributes would otherwise turn
/// into spaces); characters XML 1.0 cannot hold become U+FFFD.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\n\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;&#10;\u{FFFD}"
        );
        assert_eq!(escape_text("a<\nb"), "a&lt;\nb");
    }
}
