//! The claims library as Markdown, after the diagrams of `align map -o map.md`: the claims
//! by status, and the copy that voices claims not approved, the two tables the HTML page
//! shows in its claims library section.

use super::Map;
use super::coverage::CLAIM_STATUSES;
use std::fmt::Write as _;

/// The claims library section, or nothing when the project keeps no library.
pub(crate) fn markdown(map: &Map) -> String {
    let claims = &map.coverage.claims;
    if claims.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "## Claims library\n\n### Claims by status\n\n| status | claims | voiced by |\n|---|---|---|\n",
    );
    for status in CLAIM_STATUSES {
        let (rows, voiced) = map.coverage.claims_of(status);
        let ids: Vec<String> = rows.iter().map(|r| format!("`{}`", cell(&r.id))).collect();
        let listed = if ids.is_empty() {
            "0".to_owned()
        } else {
            format!("{}: {}", rows.len(), ids.join(", "))
        };
        let _ = writeln!(
            out,
            "| {status} | {listed} | {voiced} message{} |",
            if voiced == 1 { "" } else { "s" }
        );
    }
    out.push_str("\n### Messages voicing claims that are not approved\n\n");
    let unapproved: Vec<String> = map
        .coverage
        .unapproved_voicings()
        .map(|(m, r)| {
            format!(
                "- `{}` voices `{}` ({})",
                cell(m),
                cell(&r.id),
                cell(&r.status)
            )
        })
        .collect();
    if unapproved.is_empty() {
        out.push_str("None: all copy voices approved claims.\n");
    } else {
        out.push_str(&unapproved.join("\n"));
        out.push('\n');
    }
    out
}

/// An id or status as it may stand in a table cell or between backticks: no pipe, backtick
/// or line break of it can break the table.
fn cell(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '|' | '`' | '\n' | '\r' => ' ',
            c => c,
        })
        .collect()
}
