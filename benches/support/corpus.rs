//! A deterministic generator of large, realistic go-to-market projects, for benchmarks and
//! smoke tests.
//!
//! For N propositions it writes about 13 entities per proposition (0.1 segments, 3 needs,
//! 4 evidence items, 2 features, 1 proposition and 3 messages each) in files of about 50
//! entities, one folder per kind, with roughly 10% of the entities carrying a problem for each
//! headline rule (no evidence, unshipped feature, overpromising number, absolute claim).

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Entities per generated file.
pub const PER_FILE: usize = 50;

/// A small, fast, seeded pseudo-random generator (SplitMix64): the corpus is the same on every
/// machine and every run.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One of the items.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const JOBS: &[&str] = &[
    "close the books",
    "approve supplier invoices",
    "reconcile bank feeds",
    "chase missing receipts",
    "report cash position",
    "prepare the audit file",
    "match purchase orders",
    "pay suppliers on time",
    "forecast spend",
    "code invoices to the ledger",
    "track approvals",
    "onboard new entities",
];
const WHO: &[&str] = &[
    "finance teams",
    "controllers",
    "AP clerks",
    "CFOs",
    "accounting firms",
    "founders",
    "procurement leads",
];
const PAINS: &[&str] = &[
    "without re-keying numbers",
    "before the month-end deadline",
    "without chasing people over email",
    "with a clear audit trail",
    "across several ERPs",
    "without spreadsheets",
    "in one place",
];
const QUOTES: &[&str] = &[
    "We lose two days every month reconciling by hand.",
    "Approvals sit in inboxes for a week before anyone notices.",
    "Our auditors asked for the trail and it took us a fortnight to rebuild it.",
    "I just want to see which invoices are stuck and why.",
    "The bank feed breaks and nobody knows until the close.",
    "We switched because the old tool could not handle multiple entities.",
];
const FEATURE_NAMES: &[&str] = &[
    "Invoice capture",
    "Approval workflows",
    "Bank reconciliation",
    "Close checklist",
    "ERP sync",
    "Audit trail",
    "Payment runs",
    "Spend analytics",
    "Receipt matching",
    "Multi-entity ledger",
];
const BENEFITS: &[&str] = &[
    "Close the month with confidence",
    "Approvals that do not get lost",
    "Every invoice matched before it is paid",
    "A close checklist the whole team can follow",
    "Your ledger in sync with the bank",
];
const CHANNELS: &[&str] = &["web", "email", "ad", "social", "sales-deck"];
use align::model::schema::EVIDENCE_KINDS;

/// Sizes of a generated corpus.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    /// Files written.
    pub files: usize,
    /// Entities written.
    pub entities: usize,
    /// Bytes written.
    pub bytes: usize,
}

struct Writer {
    root: PathBuf,
    kind: &'static str,
    buf: String,
    in_file: usize,
    file_no: usize,
    stats: Stats,
}

impl Writer {
    fn new(root: &Path, kind: &'static str) -> std::io::Result<Writer> {
        std::fs::create_dir_all(root.join(kind))?;
        Ok(Writer {
            root: root.to_path_buf(),
            kind,
            buf: String::new(),
            in_file: 0,
            file_no: 0,
            stats: Stats::default(),
        })
    }

    fn entity(&mut self, text: &str) -> std::io::Result<()> {
        if self.in_file == 0 {
            let _ = writeln!(
                self.buf,
                "# Generated {} for benchmarks.\n{}:",
                self.kind, self.kind
            );
        }
        self.buf.push_str(text);
        self.in_file += 1;
        self.stats.entities += 1;
        if self.in_file == PER_FILE {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.in_file == 0 {
            return Ok(());
        }
        let path = self
            .root
            .join(self.kind)
            .join(format!("{}-{:05}.yaml", self.kind, self.file_no));
        std::fs::write(path, &self.buf)?;
        self.stats.files += 1;
        self.stats.bytes += self.buf.len();
        self.buf.clear();
        self.in_file = 0;
        self.file_no += 1;
        Ok(())
    }
}

/// Writes a corpus of `n` propositions under `root` and returns its size.
pub fn generate(root: &Path, n: usize, seed: u64) -> std::io::Result<Stats> {
    let mut rng = Rng::new(seed);
    let mut segments = Writer::new(root, "segments")?;
    let mut needs = Writer::new(root, "needs")?;
    let mut evidence = Writer::new(root, "evidence")?;
    let mut features = Writer::new(root, "features")?;
    let mut propositions = Writer::new(root, "propositions")?;
    let mut messages = Writer::new(root, "messages")?;
    let n_segments = (n / 10).max(1);
    for s in 0..n_segments {
        let who = rng.pick(WHO);
        segments.entity(&format!(
            "  - id: seg-{s}\n    name: {} cohort {s}\n    description: >\n      {} who {} {}.\n    size: {}\n",
            capitalise(who),
            capitalise(who),
            rng.pick(JOBS),
            rng.pick(PAINS),
            1000 + rng.below(50_000)
        ))?;
    }
    for p in 0..n {
        let seg = p % n_segments;
        // Three needs per proposition.
        for k in 0..3 {
            let priority = ["high", "medium", "low"][rng.below(3)];
            needs.entity(&format!(
                "  - id: need-{p}-{k}\n    statement: {} need to {} {}\n    priority: {priority}\n    kind: {}\n    segment: seg-{seg}\n",
                capitalise(rng.pick(WHO)),
                rng.pick(JOBS),
                rng.pick(PAINS),
                ["job", "pain", "gain"][rng.below(3)]
            ))?;
        }
        // Four evidence items; 10% of propositions get none that supports their needs.
        let unsupported = rng.chance(10);
        for k in 0..4 {
            let supports = if unsupported {
                String::new()
            } else {
                format!("\n    supports: [need-{p}-{}]", k % 3)
            };
            let year = 2023 + rng.below(4);
            evidence.entity(&format!(
                "  - id: ev-{p}-{k}\n    kind: {}\n    date: {year}-{:02}-{:02}\n    segment: seg-{seg}\n    quote: \"{}\"\n    sentiment: {}\n    sample_size: {}{supports}\n",
                rng.pick(EVIDENCE_KINDS),
                1 + rng.below(12),
                1 + rng.below(28),
                rng.pick(QUOTES),
                ["positive", "positive", "neutral", "negative"][rng.below(4)],
                5 + rng.below(400)
            ))?;
        }
        // Two features; 10% planned.
        for k in 0..2 {
            let status = if rng.chance(10) { "planned" } else { "shipped" };
            features.entity(&format!(
                "  - id: feat-{p}-{k}\n    name: {} {p}-{k}\n    status: {status}\n    facts:\n      uptime_pct: 99.9\n      match_rate_pct: {}\n      close_time_saved_hours: {}\n    addresses: [need-{p}-{k}, need-{p}-2]\n",
                rng.pick(FEATURE_NAMES),
                80 + rng.below(15),
                4 + rng.below(12)
            ))?;
        }
        propositions.entity(&format!(
            "  - id: prop-{p}\n    statement: {} for {} who {} {}.\n    segment: seg-{seg}\n    needs: [need-{p}-0, need-{p}-1, need-{p}-2]\n    features: [feat-{p}-0, feat-{p}-1]\n",
            rng.pick(BENEFITS),
            rng.pick(WHO),
            rng.pick(JOBS),
            rng.pick(PAINS)
        ))?;
        // Three messages; 10% overpromise a number, 10% make an absolute claim.
        for k in 0..3 {
            let number = if rng.chance(10) { "99.99%" } else { "99.9%" };
            let claim = if rng.chance(10) {
                "Guaranteed results, every time."
            } else {
                "Teams tell us it just works."
            };
            let text = format!(
                "{}. Matches up to {}% of invoices, with {number} uptime. {claim}",
                rng.pick(BENEFITS),
                80 + rng.below(10)
            );
            messages.entity(&format!(
                "  - id: msg-{p}-{k}\n    channel: {}\n    proposition: prop-{p}\n    features: [feat-{p}-0]\n    text: >\n      {text}\n",
                rng.pick(CHANNELS)
            ))?;
        }
    }
    // The largest corpora are above the default entity cap, which bounds memory for
    // unknown repositories; a real monorepo of this size raises it the same way.
    std::fs::write(
        root.join("align.yaml"),
        "# Generated for benchmarks.\nlimits: { max_entities: 2000000 }\ntoday: 2026-11-26\n",
    )?;
    let mut total = Stats::default();
    for w in [
        &mut segments,
        &mut needs,
        &mut evidence,
        &mut features,
        &mut propositions,
        &mut messages,
    ] {
        w.flush()?;
        total.files += w.stats.files;
        total.entities += w.stats.entities;
        total.bytes += w.stats.bytes;
    }
    Ok(total)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Writes `pages` Markdown pages under `root/site/`, beside a corpus of at least as many
/// propositions: each voices `prop-{p}` and names `feat-{p}-0`, with a heading, two
/// paragraphs carrying the same copy as a generated message (10% overpromise a number, 10%
/// make an absolute claim, inside emphasis), and a list. Returns their count and size.
pub fn generate_pages(root: &Path, pages: usize, seed: u64) -> std::io::Result<Stats> {
    let mut rng = Rng::new(seed ^ 0x9A6E_5EED);
    let mut stats = Stats::default();
    let per_folder = 500;
    for p in 0..pages {
        let folder = root
            .join("site")
            .join(format!("section-{}", p / per_folder));
        if p % per_folder == 0 {
            std::fs::create_dir_all(&folder)?;
        }
        let number = if rng.chance(10) { "99.99%" } else { "99.9%" };
        let claim = if rng.chance(10) {
            "**Guaranteed** results, every time."
        } else {
            "Teams tell us it just works."
        };
        let page = format!(
            "---\ntitle: {} for {}\ndescription: {} who {} {}.\nalign:\n  id: page-{p}\n  proposition: prop-{p}\n  features: [feat-{p}-0]\n---\n\n# {}\n\n{}. Matches up to {}% of invoices,\nwith *{number}* uptime. {claim}\n\n- Set up in an afternoon\n- Works with [your ERP](https://example.com/erp)\n",
            rng.pick(BENEFITS),
            rng.pick(WHO),
            capitalise(rng.pick(WHO)),
            rng.pick(JOBS),
            rng.pick(PAINS),
            rng.pick(BENEFITS),
            rng.pick(BENEFITS),
            80 + rng.below(10)
        );
        std::fs::write(folder.join(format!("page-{p}.md")), &page)?;
        stats.files += 1;
        stats.entities += 1;
        stats.bytes += page.len();
    }
    Ok(stats)
}

/// What claims say a team does faster: the jobs of `JOBS` as nouns, so that copy written
/// from the jobs shares words with the claims without saying them.
const TASKS: &[&str] = &[
    "the month-end close",
    "invoice approval",
    "bank reconciliation",
    "receipt matching",
    "cash reporting",
    "audit preparation",
    "purchase order matching",
    "supplier payments",
    "spend forecasting",
    "invoice coding",
    "approval tracking",
    "entity onboarding",
];
const INVOICE_KINDS: &[&str] = &[
    "supplier",
    "utility",
    "freight",
    "contractor",
    "foreign-currency",
    "recurring",
    "paper",
    "emailed",
];

/// Writes a claims library of `claims` entries under `root/claims/`, beside a corpus of
/// `propositions` propositions, and returns its size.
///
/// The library is written the way teams write one: the first few claims are the taglines
/// the generated copy says word for word (so every message and page voices one), and the
/// rest are variations on a few themes that share their words with each other and with the
/// copy ("invoices", "faster", "teams", "matches up to"), so most sentences of the copy
/// share words with hundreds of claims and voice none of them. About 5% are drafts, 5%
/// withdrawn, 10% lack a sign-off and 30% are approved for some channels only.
pub fn generate_claims(
    root: &Path,
    claims: usize,
    propositions: usize,
    seed: u64,
) -> std::io::Result<Stats> {
    let mut rng = Rng::new(seed ^ 0xC1A1_5EED);
    let mut out = Writer::new(root, "claims")?;
    let propositions = propositions.max(1);
    for i in 0..claims {
        let text = match BENEFITS.get(i) {
            Some(tagline) => format!("{tagline}."),
            None => match rng.below(7) {
                0 => format!(
                    "Ledgerly matches up to {}% of {} invoices automatically for {}.",
                    50 + rng.below(50),
                    rng.pick(INVOICE_KINDS),
                    rng.pick(WHO)
                ),
                1 => format!(
                    "{} finish {} {}x faster with Ledgerly.",
                    capitalise(rng.pick(WHO)),
                    rng.pick(TASKS),
                    2 + rng.below(8)
                ),
                2 => format!(
                    "{} process {} invoices {}% faster than by hand.",
                    capitalise(rng.pick(WHO)),
                    rng.pick(INVOICE_KINDS),
                    10 + rng.below(80)
                ),
                3 => format!(
                    "Teams cut the time {} takes by {}%.",
                    rng.pick(TASKS),
                    10 + rng.below(80)
                ),
                4 => format!(
                    "{} save up to {} hours a month on {} invoices.",
                    capitalise(rng.pick(WHO)),
                    2 + rng.below(40),
                    rng.pick(INVOICE_KINDS)
                ),
                5 => format!(
                    "Ledgerly helps {} with {} in half the time.",
                    rng.pick(WHO),
                    rng.pick(TASKS)
                ),
                _ => format!(
                    "{}% of {} finish {} faster in their first month.",
                    40 + rng.below(55),
                    rng.pick(WHO),
                    rng.pick(TASKS)
                ),
            },
        };
        let status = match i % 20 {
            7 => "draft",
            13 => "withdrawn",
            _ => "approved",
        };
        let legal = if rng.chance(10) {
            String::new()
        } else {
            "\n      - {role: legal, by: Tom Okafor, date: 2026-10-08}".to_owned()
        };
        let channels = if i >= BENEFITS.len() && rng.chance(30) {
            "\n    channels: [web, email]"
        } else {
            ""
        };
        let p = i % propositions;
        out.entity(&format!(
            "  - id: clm-{i}\n    text: {text}\n    status: {status}\n    approvals:\n      - {{role: product, by: Priya Shah, date: 2026-10-06}}{legal}\n    expires: 2027-09-30{channels}\n    evidence: [ev-{p}-0]\n    features: [feat-{p}-0]\n    proposition: prop-{p}\n    owner: marketing\n"
        ))?;
    }
    out.flush()?;
    Ok(out.stats)
}
