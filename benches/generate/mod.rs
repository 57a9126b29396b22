//! A generator of large, realistic projects for measuring the language server.
//!
//! Each group is one proposition with two needs, three evidence items, two features and five
//! messages (13 entities), and its segment, shared with 49 other groups, as real segments
//! are: a segment is a hub that thousands of entities name. The entities are written by kind
//! into files of about 50 entities each (`needs/needs-0007.yaml`, ...), so one group's
//! entities are spread over six files, as in a real repository where a proposition's
//! evidence lives elsewhere.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Entities per file.
pub const PER_FILE: usize = 50;

/// Groups sharing one segment.
pub const PER_SEGMENT: usize = 50;

/// The evidence file holding the evidence of group `g`, relative to the project.
pub fn evidence_file(g: usize) -> PathBuf {
    PathBuf::from(format!("evidence/evidence-{:04}.yaml", g * 3 / PER_FILE))
}

/// The propositions file holding proposition `g`.
pub fn proposition_file(g: usize) -> PathBuf {
    PathBuf::from(format!(
        "propositions/propositions-{:04}.yaml",
        g / PER_FILE
    ))
}

/// Whether group `g`'s first two evidence items are in the same file (so one edit can take
/// away all of the proposition's evidence).
pub fn evidence_together(g: usize) -> bool {
    (g * 3) % PER_FILE <= PER_FILE - 2
}

fn evidence(g: usize, out: &mut String) {
    let month = 1 + g % 9;
    let s = g / PER_SEGMENT;
    let _ = write!(
        out,
        "  - id: ev-{g}-interview\n    kind: interview\n    date: 2026-0{month}-14\n    segment: seg-{s}\n    sentiment: positive\n    quote: >\n      We used to lose the first eight working days of the month to matching invoices.\n      Now we're done by day three and nobody comes in on a Saturday.\n    summary: Controller at customer {g}, about the close.\n    supports: [need-{g}-close, need-{g}-matching]\n\n"
    );
    let _ = write!(
        out,
        "  - id: ev-{g}-survey\n    kind: survey\n    date: 2026-0{month}-20\n    segment: seg-{s}\n    sample_size: 120\n    summary: Most respondents want invoices matched for them.\n    supports: [need-{g}-matching]\n\n"
    );
    let _ = write!(
        out,
        "  - id: ev-{g}-analytics\n    kind: analytics\n    date: 2026-0{month}-28\n    segment: seg-{s}\n    summary: Auto-match rate held at 92% through the quarter.\n\n"
    );
}

fn push_entity(
    files: &mut Vec<(PathBuf, String)>,
    counts: &mut [usize; 6],
    kind: usize,
    plural: &str,
    text: &str,
    entities: usize,
) {
    let n = counts[kind];
    counts[kind] += entities;
    let file = n / PER_FILE;
    let path = PathBuf::from(format!("{plural}/{plural}-{file:04}.yaml"));
    match files.iter_mut().rev().find(|(p, _)| *p == path) {
        Some((_, body)) => body.push_str(text),
        None => files.push((path, format!("{plural}:\n{text}"))),
    }
}

/// Writes a project of `groups` groups under `dir`; returns the number of entities.
pub fn generate(dir: &Path, groups: usize) -> std::io::Result<usize> {
    std::fs::write(dir.join("align.yaml"), "today: 2026-11-26\n")?;
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut counts = [0usize; 6];
    for g in 0..groups {
        let s = g / PER_SEGMENT;
        if g % PER_SEGMENT == 0 {
            let seg = format!(
                "  - id: seg-{s}\n    name: Finance teams of region {s}\n    description: Mid-market finance teams closing the books every month.\n\n"
            );
            push_entity(&mut files, &mut counts, 0, "segments", &seg, 1);
        }
        let needs = format!(
            "  - id: need-{g}-close\n    statement: Close the month in days rather than weeks\n    priority: high\n    kind: job\n    segment: seg-{s}\n\n  - id: need-{g}-matching\n    statement: Stop matching supplier invoices by hand\n    priority: medium\n    kind: pain\n    segment: seg-{s}\n\n"
        );
        push_entity(&mut files, &mut counts, 1, "needs", &needs, 2);
        let mut ev = String::new();
        evidence(g, &mut ev);
        push_entity(&mut files, &mut counts, 2, "evidence", &ev, 3);
        let beta = if g % 7 == 0 { "beta" } else { "shipped" };
        let feats = format!(
            "  - id: feat-{g}-matching\n    name: Invoice matching\n    status: shipped\n    facts:\n      match_rate_pct: 92\n    addresses: [need-{g}-matching]\n\n  - id: feat-{g}-close\n    name: Close workspace\n    status: {beta}\n    facts:\n      uptime_pct: 99.9\n    addresses: [need-{g}-close]\n\n"
        );
        push_entity(&mut files, &mut counts, 3, "features", &feats, 2);
        let prop = format!(
            "  - id: prop-{g}\n    statement: >\n      Close the month in days, not weeks. Invoices are matched and the bank\n      reconciled as you go, so month-end is a review rather than a scramble.\n    segment: seg-{s}\n    needs: [need-{g}-close, need-{g}-matching]\n    features: [feat-{g}-matching, feat-{g}-close]\n\n"
        );
        push_entity(&mut files, &mut counts, 4, "propositions", &prop, 1);
        let over = if g % 5 == 0 {
            "Guaranteed the fastest close, with 99.99% uptime."
        } else {
            "A calmer close, with 99.9% uptime."
        };
        let msgs = format!(
            "  - id: msg-{g}-hero\n    channel: web\n    proposition: prop-{g}\n    features: [feat-{g}-matching]\n    evidence: [ev-{g}-interview]\n    text: Close the month in days, not weeks. Match up to 92% of supplier invoices automatically.\n\n  - id: msg-{g}-email\n    channel: email\n    proposition: prop-{g}\n    features: [feat-{g}-close]\n    text: {over}\n\n  - id: msg-{g}-ad\n    channel: ad\n    proposition: prop-{g}\n    text: Month-end, minus the spreadsheets.\n    claims:\n      - text: Teams match invoices without retyping them.\n        feature: feat-{g}-matching\n\n  - id: msg-{g}-deck\n    channel: sales-deck\n    proposition: prop-{g}\n    features: [feat-{g}-matching, feat-{g}-close]\n    evidence: [ev-{g}-survey]\n    text: Your controllers review exceptions; the matching is done for them.\n\n  - id: msg-{g}-social\n    channel: social\n    proposition: prop-{g}\n    text: Month-end without the Saturday shift.\n\n"
        );
        push_entity(&mut files, &mut counts, 5, "messages", &msgs, 5);
    }
    for (path, text) in &files {
        let full = dir.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(full, text)?;
    }
    Ok(counts.iter().sum())
}
