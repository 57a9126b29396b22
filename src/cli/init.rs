//! `align init`: writes a small, realistic starter project (segments, needs, evidence,
//! features, propositions, a claims library and messages for an imaginary product, a team
//! rule file and `align.yaml`) into a folder, never overwriting a file, and says what to do next.
//!
//! The starter is clean except for two instructive warnings: a message with an absolute
//! claim that nothing substantiates, and a segment nobody has listened to yet. Evidence is
//! dated a few weeks before the day `init` runs, so it starts out fresh.

use super::{EXIT_CLEAN, EXIT_UNUSABLE};
use crate::date::{Date, civil_from_days, today};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `align init`.
#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// The folder to write the starter project into.
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
}

/// The starter files: path, then text with `{DATE-n}` standing for the date n days ago.
pub const STARTER: &[(&str, &str)] = &[
    ("align.yaml", ALIGN_YAML),
    ("segments.yaml", SEGMENTS),
    ("needs.yaml", NEEDS),
    ("evidence/interviews.yaml", INTERVIEWS),
    ("evidence/surveys.yaml", SURVEYS),
    ("features.yaml", FEATURES),
    ("propositions.yaml", PROPOSITIONS),
    ("claims.yaml", CLAIMS),
    ("messages/web.yaml", WEB),
    ("messages/email.yaml", EMAIL),
    ("rules/house.align", HOUSE_RULES),
];

/// Runs `align init`.
pub(crate) fn run(args: &InitArgs) -> u8 {
    match write_starter(&args.dir, today()) {
        Ok(report) => {
            print!("{}", report.describe(&args.dir));
            EXIT_CLEAN
        }
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_UNUSABLE
        }
    }
}

/// What `init` wrote and what it left alone.
#[derive(Debug, Default)]
pub(crate) struct InitReport {
    /// Files written, relative to the folder.
    pub(crate) written: Vec<&'static str>,
    /// Files that already existed and were left as they were.
    pub(crate) skipped: Vec<&'static str>,
}

impl InitReport {
    /// What was done, and what to do next, in plain words.
    pub(crate) fn describe(&self, dir: &Path) -> String {
        let mut out = String::new();
        let shown = dir.display().to_string();
        let here = shown == ".";
        if !self.written.is_empty() {
            out.push_str(&format!(
                "Wrote a starter project{}:\n",
                if here {
                    String::new()
                } else {
                    format!(" in {shown}")
                }
            ));
            for f in &self.written {
                out.push_str(&format!("  {f}\n"));
            }
        }
        if !self.skipped.is_empty() {
            out.push_str("Left these alone, because they already exist:\n");
            for f in &self.skipped {
                out.push_str(&format!("  {f}\n"));
            }
        }
        let cd = if here {
            String::new()
        } else {
            format!("cd {shown} && ")
        };
        out.push_str(&format!(
            "\nNext:\n\
             \x20 1. Run `{cd}align check`. It reports two warnings on purpose: a message that\n\
             \x20    promises \"never\" with no evidence behind it, and a segment no one has listened to.\n\
             \x20 2. Fix them: link evidence to the message (or soften the claim), and add an\n\
             \x20    interview with someone from that segment. Then run `align check` again.\n\
             \x20 3. Replace the example with your own segments, needs, evidence, features,\n\
             \x20    propositions and messages; `align explain RULE` says why each rule matters.\n\
             \x20 4. Gate pull requests on it: `align check --format github` in GitHub Actions,\n\
             \x20    `--format sarif` for code scanning, `--format junit` for GitLab.\n"
        ));
        out
    }
}

/// Writes the starter files into `dir` (created if missing), with evidence dated relative to
/// `today`. A file that exists is never touched. Fails only when a file cannot be written.
pub(crate) fn write_starter(dir: &Path, today: Date) -> Result<InitReport, String> {
    let mut report = InitReport::default();
    for (name, template) in STARTER {
        let path = dir.join(name);
        if path.exists() || path.is_symlink() {
            report.skipped.push(name);
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("could not create the folder {}: {e}", parent.display()))?;
        }
        // `create_new` refuses to replace a file that appeared in the meantime.
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path);
        match file {
            Ok(mut f) => {
                f.write_all(fill_dates(template, today).as_bytes())
                    .map_err(|e| format!("could not write {}: {e}", path.display()))?;
                report.written.push(name);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => report.skipped.push(name),
            Err(e) => return Err(format!("could not write {}: {e}", path.display())),
        }
    }
    Ok(report)
}

/// Replaces each `{DATE-n}` with the date `n` days before `today`.
fn fill_dates(template: &str, today: Date) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(at) = rest.find("{DATE-") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "{DATE-".len()..];
        match after.find('}').and_then(|end| {
            after[..end]
                .parse::<i64>()
                .ok()
                .map(|n| (n, &after[end + 1..]))
        }) {
            Some((n, tail)) => {
                let (y, m, d) = civil_from_days(today.0 - n);
                out.push_str(&format!("{y:04}-{m:02}-{d:02}"));
                rest = tail;
            }
            None => {
                out.push_str("{DATE-");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

const ALIGN_YAML: &str = r#"# align's configuration. Every key is optional; `align check` reads this file from the
# folder it checks. The full reference is in the README of align.

# Which YAML files hold go-to-market entities (the default), and what to skip.
# Rule test fixtures (`align test fixtures`) are small projects of their own, with
# planted mistakes: they are not this project's data, so they are skipped here.
include: ["**/*.yaml", "**/*.yml"]
exclude: ["drafts/**", "fixtures/**"]

# Your team's own rules, in the align rule language.
rules_dirs: [rules]

# The built-in packs in force (all five by default).
packs: [listening, fit, voice, overpromise, claims, hygiene]

# Per-rule settings: severity (error, warning, info, or off) and options.
rules:
  hygiene/stale-evidence: { options: { stale_days: 365 } }
  # overpromise/unsubstantiated-claim: { severity: error }

# Pin the date `today` stands for, so that CI runs are reproducible:
# today: 2026-11-26

# Website pages: a Markdown, MDX or HTML file with an `align:` mapping in its front matter
# (or `<meta name="align:id" ...>` tags) is checked as a message. An entry here makes pages
# of files without front matter, and gives them the fields they share (the page's own win).
# pages:
#   - include: ["site/content/pricing/**"]
#     proposition: prop-rota-without-sunday-nights
#     features: [feat-auto-rota]
"#;

const SEGMENTS: &str = r#"# Who we sell to. Each segment should have evidence about it: interviews, surveys, tickets.
segments:
  - id: seg-independent-cafes
    name: Independent cafés
    description: Owner-run cafés and bakeries with 5 to 25 staff, most of them part-time.
    size: 41000 UK sites

  # No one from this segment has been interviewed yet: align says so.
  - id: seg-restaurant-groups
    name: Restaurant groups
    description: Groups of 3 to 30 restaurants with an operations manager planning rotas centrally.
"#;

const NEEDS: &str = r#"# What customers need, in their words: jobs to be done, pains, gains.
needs:
  - id: need-rota-in-minutes
    statement: Build next week's rota without losing a Sunday evening to a spreadsheet.
    segment: seg-independent-cafes
    priority: high
    kind: pain

  - id: need-swap-shifts
    statement: Let staff swap shifts without the owner relaying messages between them.
    segment: seg-independent-cafes
    priority: medium
    kind: job

  - id: need-know-labour-cost
    statement: Know what next week's rota will cost in wages before publishing it.
    segment: seg-independent-cafes
    priority: medium
    kind: gain
"#;

const INTERVIEWS: &str = r#"# Customer interviews. Keep the notes or recordings next to the `source` path.
evidence:
  - id: ev-int-harbour-cafe
    kind: interview
    date: {DATE-42}
    segment: seg-independent-cafes
    quote: >
      Sunday night is rota night. Two hours with a spreadsheet and the group chat,
      and then someone texts me at six in the morning to swap anyway.
    summary: Owner of a 12-staff café, planning rotas by hand.
    source: research/interviews/harbour-cafe.md
    supports: [need-rota-in-minutes, need-swap-shifts]

  - id: ev-int-crumb-bakery
    kind: interview
    date: {DATE-27}
    segment: seg-independent-cafes
    sentiment: positive
    quote: >
      In the pilot I built the rota in ten minutes and the wage total was right there,
      so I cut a shift before publishing instead of after payday.
    summary: Owner of a bakery with two sites, pilot customer.
    source: research/interviews/crumb-bakery.md
    supports: [need-rota-in-minutes, need-know-labour-cost]
"#;

const SURVEYS: &str = r#"# Surveys and other research with more than a handful of answers.
evidence:
  - id: ev-survey-shift-swaps
    kind: survey
    date: {DATE-14}
    segment: seg-independent-cafes
    sample_size: 212
    summary: 68% of café staff swapped at least one shift last month; 81% of swaps went through the owner.
    supports: [need-swap-shifts]

  - id: ev-analytics-pilot-builds
    kind: analytics
    date: {DATE-10}
    segment: seg-independent-cafes
    sample_size: 48
    summary: Across the 48 pilot cafés, the median rota took 11 minutes to build.
    supports: [need-rota-in-minutes]
"#;

const FEATURES: &str = r#"# What the product does (shipped) or will do (beta, planned). `facts` are measured numbers
# that messages may quote, never round up.
features:
  - id: feat-auto-rota
    name: Automatic rota builder
    status: shipped
    facts:
      median_build_minutes: 11
    addresses: [need-rota-in-minutes]

  - id: feat-shift-swap
    name: Shift swaps in the staff app
    status: shipped
    addresses: [need-swap-shifts]

  - id: feat-wage-forecast
    name: Wage forecast on the rota
    status: beta
    addresses: [need-know-labour-cost]
"#;

const PROPOSITIONS: &str = r#"# What we promise a segment: the needs it answers, the features that deliver it, and the
# evidence that customers want it.
propositions:
  - id: prop-rota-without-sunday-nights
    statement: Your rota is built in minutes, not on Sunday night.
    segment: seg-independent-cafes
    needs: [need-rota-in-minutes]
    features: [feat-auto-rota]
    evidence: [ev-int-harbour-cafe, ev-int-crumb-bakery, ev-analytics-pilot-builds]

  - id: prop-swaps-without-the-owner
    statement: Staff swap shifts between themselves; the owner just sees the new rota.
    segment: seg-independent-cafes
    needs: [need-swap-shifts]
    features: [feat-shift-swap]
    evidence: [ev-survey-shift-swaps]
"#;

const CLAIMS: &str = r#"# The claims library: the approved wording of each claim, what substantiates it, and who
# signed it off. Copy that says a claim in other words that promise more, or that uses a
# claim that is withdrawn, expired or still a draft, is an error.
claims:
  - id: clm-one-tap-swaps
    text: Staff swap shifts in the app and you approve with one tap.
    status: approved
    approvals:
      - {role: product, by: Maya Lind, date: {DATE-12}}
      - {role: legal, by: Sam Ortiz, date: {DATE-9}}
    channels: [web, email]
    evidence: [ev-survey-shift-swaps]
    features: [feat-shift-swap]
    proposition: prop-swaps-without-the-owner
"#;

const WEB: &str = r#"# Website copy. Every message voices a proposition and names the features it talks about.
messages:
  - id: msg-web-hero
    name: Homepage hero
    channel: web
    owner: marketing
    proposition: prop-rota-without-sunday-nights
    features: [feat-auto-rota]
    evidence: [ev-int-crumb-bakery]
    text: Build next week's rota before your coffee goes cold, and publish it to the team's phones.

  - id: msg-web-swaps
    name: Shift swaps page
    channel: web
    owner: marketing
    proposition: prop-swaps-without-the-owner
    features: [feat-shift-swap]
    evidence: [ev-survey-shift-swaps]
    # Says the approved claim in its own words, so it voices it (`claims: [{claim: ID}]` would too).
    text: Staff swap shifts in the app and you approve with one tap, instead of relaying texts.
"#;

const EMAIL: &str = r#"# Emails to prospects and customers.
messages:
  # "never" is an absolute claim, and nothing is linked to back it up: align warns.
  - id: msg-email-swaps-launch
    name: Shift swaps launch email
    channel: email
    owner: marketing
    proposition: prop-swaps-without-the-owner
    features: [feat-shift-swap]
    text: With shift swaps you will never chase a cover again.
"#;

const HOUSE_RULES: &str = r#"# Your team's own rules, in the align rule language. align.yaml loads this folder.
pack house "Our own conventions"

rule message-without-owner {
  severity warning
  summary "Message has no owner"
  doc """
    ## What it flags
    A message with no `owner`: no team answers for what it says.

    ## Why it matters
    When a claim needs changing, someone has to know it is theirs to change.
  """
  for m in messages
  where no m.owner
  report "message `{m.id}` has no owner"
  help "set `owner:` to the team that answers for it, such as marketing or sales"
}
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_date;

    #[test]
    fn dates_are_filled_relative_to_today() {
        let today = parse_date("2026-03-01").expect("date");
        assert_eq!(
            fill_dates("a {DATE-1} b {DATE-0}", today),
            "a 2026-02-28 b 2026-03-01"
        );
        assert_eq!(fill_dates("{DATE-x} {DATE-", today), "{DATE-x} {DATE-");
    }
}
