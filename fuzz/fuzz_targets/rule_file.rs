//! A rule file: parsing and checking never panic and never exhaust the stack; when it loads,
//! running it over a small model never panics either.
//!
//! Besides the input taken as a whole rule file, its first byte chooses a way to nest (and
//! how deep, up to about 10,000 levels) and the rest becomes the condition of a rule wrapped
//! that deep: parentheses, `not`s, filters, quantifiers, calls, chains of `and`, `+`, or
//! parentheses inside a report's `{...}`.

#![no_main]

use align::date::parse_date;
use align::project::Workspace;
use align::rules::RuleSet;
use align::source::{FileId, Sources};
use libfuzzer_sys::fuzz_target;

const DATA: &str = "segments:\n  - id: s1\n    name: Small firms\nneeds:\n  - id: n1\n    statement: Close the books fast\n    segment: s1\n    priority: high\nevidence:\n  - id: e1\n    kind: interview\n    date: 2026-01-01\n    supports: [n1]\nfeatures:\n  - id: f1\n    name: Auto close\n    status: shipped\n    addresses: [n1]\n    facts: {uptime_pct: 99.9}\npropositions:\n  - id: p1\n    statement: Close in a day\n    segment: s1\n    needs: [n1]\n    features: [f1]\nmessages:\n  - id: m1\n    text: Guaranteed 99.99% uptime, 3x faster\n    proposition: p1\n";

/// The condition `inner` nested `depth` times in the way `how` chooses, as a whole rule.
fn nested(how: u8, depth: usize, inner: &str) -> String {
    let inner = if inner.trim().is_empty() {
        "some p.id"
    } else {
        inner
    };
    let (condition, report) = match how % 8 {
        0 => (
            format!("{}{inner}{}", "(".repeat(depth), ")".repeat(depth)),
            String::new(),
        ),
        1 => (format!("{}{inner}", "not ".repeat(depth)), String::new()),
        2 => (
            format!(
                "some p.needs{}",
                format!("[{inner}]").repeat(depth.min(2000))
            ),
            String::new(),
        ),
        3 => (
            format!("{}{inner}", "any n in p.needs: ".repeat(depth)),
            String::new(),
        ),
        4 => (
            format!("{}{inner}{}", "count(".repeat(depth), ") > 0".repeat(depth)),
            String::new(),
        ),
        5 => (vec![inner; depth.max(1)].join(" and "), String::new()),
        6 => (
            format!("1{} > {inner}", " + 1".repeat(depth)),
            String::new(),
        ),
        _ => (
            inner.to_owned(),
            format!("{}p.id{}", "(".repeat(depth), ")".repeat(depth)),
        ),
    };
    format!(
        "pack fuzz \"F\"\n\nrule r {{\n  for p in propositions\n  where {condition}\n  report \"x {{{report}}}\"\n}}\n"
    )
}

fn run(text: &str) {
    let mut sources = Sources::new();
    let id: FileId = sources.add("fuzz.align".into(), text);
    let mut rules = RuleSet::default();
    if rules.add_file(id, text, false, "fuzz").is_ok() {
        let Some(today) = parse_date("2026-11-26") else {
            return;
        };
        let ws = Workspace::from_texts(&[("data.yaml", DATA)], &[("fuzz.align", text)], today);
        let _ = ws.check();
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    run(text);
    if let (Some(&how), Some(rest)) = (data.first(), text.get(1..)) {
        let depth = usize::from(how / 8) * 320;
        run(&nested(how, depth, rest));
    }
});
