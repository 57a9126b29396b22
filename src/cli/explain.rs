//! `align explain RULE`: prints what a rule flags, why it matters, a bad and a good example,
//! its options and how to suppress it: the rule's `doc`, as written in its `.align` file.
//!
//! A rule's doc is Markdown with fixed headings ([`DOC_HEADINGS`]); the examples are fenced
//! ```` ```yaml ```` blocks holding small complete models. The helpers here read those
//! sections back, for `align explain`, for `align test` (which runs the examples) and for
//! the test that every built-in rule is documented.

use super::EXIT_UNUSABLE;
use super::rules::{effective_severity, literal_text, load_rules, print_problems};
use crate::model::schema::did_you_mean;
use crate::rules::{Rule, RuleSet};
use clap::Args;
use std::path::PathBuf;

/// The headings of a rule's doc, in order.
pub const DOC_HEADINGS: [&str; 6] = [
    "What it flags",
    "Why it matters",
    "Bad example",
    "Good example",
    "Options",
    "How to suppress",
];

/// Arguments of `align explain`.
#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// The rule: its id (`overpromise/unsubstantiated-claim`) or, when no other pack has
    /// one of that name, just its name (`unsubstantiated-claim`); a pack name (`listening`)
    /// lists the pack's rules.
    pub(crate) rule: String,
    /// A folder (or file) of your own `.align` rules; may be repeated.
    #[arg(long = "rules")]
    pub(crate) rules: Vec<PathBuf>,
    /// The configuration file (default: align.yaml in the current folder).
    #[arg(long)]
    pub(crate) config: Option<PathBuf>,
}

/// The `## Heading` sections of a doc, in order: (heading, body without the heading line).
/// Text before the first heading is returned under an empty heading when not blank.
pub fn sections(doc: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut heading = String::new();
    let mut body = String::new();
    let mut in_fence = false;
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if !in_fence {
            if let Some(h) = line.strip_prefix("## ") {
                if !heading.is_empty() || !body.trim().is_empty() {
                    out.push((heading, body.trim_matches('\n').to_owned()));
                }
                heading = h.trim().to_owned();
                body = String::new();
                continue;
            }
        }
        body.push_str(line);
        body.push('\n');
    }
    if !heading.is_empty() || !body.trim().is_empty() {
        out.push((heading, body.trim_matches('\n').to_owned()));
    }
    out
}

/// The body of the section with this heading.
pub fn section<'a>(sections: &'a [(String, String)], heading: &str) -> Option<&'a str> {
    sections
        .iter()
        .find(|(h, _)| h == heading)
        .map(|(_, b)| b.as_str())
}

/// The fenced ```` ```yaml ```` blocks of a text, without their fences.
pub fn yaml_blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        match &mut current {
            None => {
                if let Some(lang) = trimmed.strip_prefix("```") {
                    if matches!(lang.trim(), "yaml" | "yml") {
                        current = Some(String::new());
                    }
                }
            }
            Some(block) => {
                if trimmed.starts_with("```") {
                    out.push(std::mem::take(block));
                    current = None;
                } else {
                    block.push_str(line);
                    block.push('\n');
                }
            }
        }
    }
    out
}

/// Finds a rule by id, or by name when only one pack has a rule of that name.
pub(crate) fn find_rule<'a>(rules: &'a RuleSet, wanted: &str) -> Result<&'a Rule, String> {
    if let Some(r) = rules.get(wanted) {
        return Ok(r);
    }
    let by_name: Vec<&Rule> = rules.rules.iter().filter(|r| r.name == wanted).collect();
    match by_name.as_slice() {
        [one] => return Ok(one),
        [] => {}
        many => {
            return Err(format!(
                "several packs have a rule named `{wanted}`: {}; give the whole id",
                many.iter()
                    .map(|r| format!("`{}`", r.id))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    let mut message = format!("there is no rule `{wanted}`");
    let ids = rules.rules.iter().map(|r| r.id.as_str());
    let names = rules.rules.iter().map(|r| r.name.as_str());
    let suggestion = did_you_mean(wanted, ids).or_else(|| {
        did_you_mean(wanted, names).and_then(|n| {
            rules
                .rules
                .iter()
                .find(|r| r.name == n)
                .map(|r| r.id.as_str())
        })
    });
    match suggestion {
        Some(s) => message.push_str(&format!("; did you mean `{s}`?")),
        None => message.push_str("; `align rules` lists every rule"),
    }
    Err(message)
}

/// The text `align explain` prints for a rule.
pub(crate) fn explanation(rule: &Rule, severity: &str) -> String {
    let mut out = format!(
        "{}  ({severity}, {} pack)\n{}\n",
        rule.id, rule.pack, rule.summary
    );
    let doc = rule.doc.trim();
    let parts = sections(doc);
    if !doc.is_empty() {
        out.push('\n');
        out.push_str(doc);
        out.push('\n');
    }
    if section(&parts, "Options").is_none() {
        out.push_str("\n## Options\n");
        if rule.options.is_empty() {
            out.push_str("None.\n");
        } else {
            let mut options: Vec<_> = rule.options.iter().collect();
            options.sort_by(|a, b| a.0.cmp(b.0));
            for (name, value) in options {
                out.push_str(&format!("`{name}` (default {})\n", literal_text(value)));
            }
            out.push_str(&format!(
                "Set them in align.yaml under `rules: {{{}: {{options: {{...}}}}}}`.\n",
                rule.id
            ));
        }
    }
    if section(&parts, "How to suppress").is_none() {
        out.push_str("\n## How to suppress\n");
        out.push_str(&suppress_text(&rule.id));
    }
    out
}

/// The standard ways to silence a rule, for docs that do not say.
pub(crate) fn suppress_text(id: &str) -> String {
    format!(
        "On one entity: `ignore: [{{rule: {id}, reason: \"...\"}}]`.\n\
         On one line: a trailing comment `# align-ignore: {id} -- reason`.\n\
         Everywhere: `rules: {{{id}: {{severity: off}}}}` in align.yaml.\n"
    )
}

/// What `align explain PACK` prints: the pack's rules, one a line, with their severity in
/// force and summary; `None` when `wanted` names no pack.
fn pack_listing(loaded: &super::rules::LoadedRules, wanted: &str) -> Option<String> {
    let rules: Vec<&Rule> = loaded
        .rules
        .rules
        .iter()
        .filter(|r| r.pack == wanted)
        .collect();
    if rules.is_empty() {
        return None;
    }
    let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let mut out = format!(
        "`{wanted}` is a pack of {} rule{}; `align explain RULE` explains one:\n\n",
        rules.len(),
        if rules.len() == 1 { "" } else { "s" }
    );
    for r in rules {
        let severity = effective_severity(loaded, r)
            .map(|s| s.as_str())
            .unwrap_or("off");
        out.push_str(&format!("  {:width$}  {severity:7}  {}\n", r.id, r.summary));
    }
    Some(out)
}

/// Runs `align explain`.
pub(crate) fn run(args: &ExplainArgs) -> u8 {
    let loaded = load_rules(&args.rules, args.config.as_deref());
    if !loaded.problems.is_empty() {
        print_problems(&loaded);
    }
    if let Some(text) = pack_listing(&loaded, &args.rule) {
        return super::rules::print_and_exit(&text, &loaded);
    }
    let rule = match find_rule(&loaded.rules, &args.rule) {
        Ok(r) => r,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_UNUSABLE;
        }
    };
    let severity = effective_severity(&loaded, rule)
        .map(|s| s.as_str())
        .unwrap_or("off");
    let text = explanation(rule, severity);
    super::rules::print_and_exit(&text, &loaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_and_yaml_blocks() {
        let doc = "## What it flags\nA.\n\n## Bad example\n```yaml\nmessages:\n  - id: m # expect: x/y\n```\n## Options\nNone.";
        let s = sections(doc);
        let headings: Vec<&str> = s.iter().map(|(h, _)| h.as_str()).collect();
        assert_eq!(headings, ["What it flags", "Bad example", "Options"]);
        let bad = section(&s, "Bad example").expect("bad example");
        assert_eq!(
            yaml_blocks(bad),
            ["messages:\n  - id: m # expect: x/y\n".to_owned()]
        );
    }

    #[test]
    fn headings_inside_examples_are_not_sections() {
        let doc = "## Bad example\n```yaml\n## not a heading\n```\n";
        assert_eq!(sections(doc).len(), 1);
    }
}
