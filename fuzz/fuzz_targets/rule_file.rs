//! A rule file: parsing and checking never panic; when it loads, running it over a small
//! model never panics either.

#![no_main]

use align::date::parse_date;
use align::project::Workspace;
use align::rules::RuleSet;
use align::source::{FileId, Sources};
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

const DATA: &str = "segments:\n  - id: s1\n    name: Small firms\nneeds:\n  - id: n1\n    statement: Close the books fast\n    segment: s1\n    priority: high\nevidence:\n  - id: e1\n    kind: interview\n    date: 2026-01-01\n    supports: [n1]\nfeatures:\n  - id: f1\n    name: Auto close\n    status: shipped\n    addresses: [n1]\n    facts: {uptime_pct: 99.9}\npropositions:\n  - id: p1\n    statement: Close in a day\n    segment: s1\n    needs: [n1]\n    features: [f1]\nmessages:\n  - id: m1\n    text: Guaranteed 99.99% uptime, 3x faster\n    proposition: p1\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut sources = Sources::new();
    let id: FileId = sources.add("fuzz.align".into(), Arc::from(text));
    let mut rules = RuleSet::default();
    if rules.add_file(id, text, false, "fuzz").is_ok() {
        let Some(today) = parse_date("2026-11-26") else {
            return;
        };
        let ws = Workspace::from_texts(&[("data.yaml", DATA)], &[("fuzz.align", text)], today);
        let _ = ws.check();
    }
});
