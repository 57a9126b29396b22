//! Pages: Markdown, MDX and HTML files checked as messages, at their exact words.

use crate::support::{align, brief, from_texts};
use std::path::Path;

const MODEL: &str = "\
segments:
  - id: seg-a
    name: Finance teams
needs:
  - id: need-a
    statement: Close the month faster
    segment: seg-a
evidence:
  - id: ev-survey
    kind: survey
    date: 2026-10-01
    segment: seg-a
    supports: [need-a]
features:
  - id: feat-sync
    name: ERP sync
    status: shipped
    facts:
      uptime_pct: 99.9
    addresses: [need-a]
  - id: feat-later
    name: Payment runs
    status: planned
    addresses: [need-a]
propositions:
  - id: prop-a
    statement: Close the month in days
    segment: seg-a
    needs: [need-a]
    features: [feat-sync]
    evidence: [ev-survey]
";

/// `(rule, line, column, underlined text)` of each finding in files whose path ends with
/// one of `files`.
fn found(ws: &align::project::Workspace, files: &[&str]) -> Vec<(String, usize, usize, String)> {
    let findings = ws.check();
    findings
        .iter()
        .filter(|f| {
            f.span.is_some_and(|s| {
                let p = ws.sources.path(s.file).to_string_lossy().into_owned();
                files.iter().any(|x| p.ends_with(x))
            })
        })
        .filter_map(|f| {
            let s = f.span?;
            let (start, _) = ws.sources.range(s)?;
            Some((
                f.rule.clone(),
                start.line,
                start.column,
                ws.sources.text(s).to_owned(),
            ))
        })
        .collect()
}

#[test]
fn a_number_in_emphasis_is_underlined_exactly() {
    let page = "---\ntitle: ERP sync\nalign:\n  id: page-sync\n  proposition: prop-a\n  features: [feat-sync]\n---\n\n# Sync\n\nApproved invoices post with **99.99%** uptime.\n";
    let ws = from_texts(&[("model.yaml", MODEL), ("site/sync.md", page)], &[]);
    let got = found(&ws, &["site/sync.md"]);
    assert_eq!(
        got,
        vec![
            (
                "overpromise/number-beyond-facts".to_owned(),
                11,
                31,
                "99.99%".to_owned()
            ),
            // A claim across the emphasis underlines its words and the markup between them.
            (
                "overpromise/unsubstantiated-claim".to_owned(),
                11,
                31,
                "99.99%** uptime".to_owned()
            ),
        ]
    );
}

#[test]
fn html_and_mdx_pages_are_checked_at_their_words() {
    let html = "<!doctype html><html><head>\n<title>Sync &amp; post</title>\n<meta name=\"align:proposition\" content=\"prop-a\">\n<meta name=\"align:features\" content=\"feat-sync\">\n</head><body>\n<p>Invoices post with\n   <strong>zero errors</strong>.</p>\n<script>var claim = \"guaranteed\";</script>\n</body></html>\n";
    let mdx = "---\nalign:\n  proposition: prop-a\n  features: [feat-sync]\n---\nimport Quote from './Quote'\n\n<Quote author=\"Priya\">\n  We never miss a close.\n</Quote>\n";
    let ws = from_texts(
        &[
            ("model.yaml", MODEL),
            ("site/landing.html", html),
            ("site/blog/post.mdx", mdx),
        ],
        &[],
    );
    let got = found(&ws, &["landing.html", "post.mdx"]);
    assert_eq!(
        got,
        vec![
            (
                "overpromise/unsubstantiated-claim".to_owned(),
                9,
                6,
                "never".to_owned()
            ),
            (
                "overpromise/unsubstantiated-claim".to_owned(),
                7,
                12,
                "zero errors".to_owned()
            ),
        ],
        "{got:?}"
    );
    // The default id is the path without its extension; m.page holds the path.
    let e = ws
        .model
        .entities()
        .map(|(_, e)| e)
        .find(|e| e.id == "site/landing")
        .expect("the page is a message");
    assert_eq!(e.text("page"), Some("site/landing.html"));
    assert_eq!(e.text("channel"), Some("web"));
}

#[test]
fn files_that_are_not_pages_are_never_read_as_copy() {
    let readme = "# Our site\n\nThe fastest, guaranteed way to build it.\n";
    let blog = "---\ntitle: The fastest close ever\n---\nGuaranteed results.\n";
    let html = "<html><head><meta name=\"description\" content=\"guaranteed\"></head><body>Always the fastest.</body></html>";
    let ws = from_texts(
        &[
            ("model.yaml", MODEL),
            ("README.md", readme),
            ("blog/post.md", blog),
            ("index.html", html),
        ],
        &[],
    );
    let findings = ws.check();
    assert!(
        found(&ws, &[".md", ".html"]).is_empty(),
        "{:?}",
        brief(&ws, &findings)
    );
    assert_eq!(ws.model.of_kind(align::model::Kind::Message).len(), 0);
}

#[test]
fn page_ids_share_the_message_namespace_and_references_are_located() {
    let messages = "messages:\n  - id: msg-home\n    proposition: prop-a\n    features: [feat-sync]\n    text: Close in days.\n";
    let page = "---\nalign:\n  id: msg-home\n  proposition: prop-missing\n  features: [feat-sync]\n---\nClose faster.\n";
    let ws = from_texts(
        &[
            ("model.yaml", MODEL),
            ("messages.yaml", messages),
            ("site/home.md", page),
        ],
        &[],
    );
    let got = found(&ws, &["site/home.md"]);
    assert!(
        got.contains(&(
            "hygiene/duplicate-id".to_owned(),
            3,
            7,
            "msg-home".to_owned()
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "hygiene/dangling-reference".to_owned(),
            4,
            16,
            "prop-missing".to_owned()
        )),
        "{got:?}"
    );
}

#[test]
fn a_footnote_naming_evidence_backs_its_sentence_only() {
    let page = "---\nalign:\n  proposition: prop-a\n  features: [feat-sync]\n---\nTeams close 2x faster with Ledgerly.[^ev-survey] Others close 3x faster with Ledgerly.[^not-evidence]\n\n[^ev-survey]: Close survey, 2026.\n[^not-evidence]: A note.\n";
    let ws = from_texts(&[("model.yaml", MODEL), ("site/p.md", page)], &[]);
    let got = found(&ws, &["site/p.md"]);
    assert_eq!(
        got,
        vec![(
            "overpromise/unsubstantiated-claim".to_owned(),
            6,
            63,
            "3x faster".to_owned()
        )],
        "{got:?}"
    );
}

#[test]
fn suppression_comments_work_as_in_yaml() {
    let page = "---\nalign:\n  proposition: prop-a\n  features: [feat-sync]\n---\nWe never lose an invoice. <!-- align-ignore: overpromise/unsubstantiated-claim -- approved by legal -->\n\n<!-- align-ignore: overpromise/unsubstantiated-claim -->\nIt is guaranteed.\n\n<!-- align-ignore: voice/message-without-proposition -- not relevant -->\nA calm sentence.\n";
    let ws = from_texts(&[("model.yaml", MODEL), ("site/p.md", page)], &[]);
    let got = found(&ws, &["site/p.md"]);
    assert_eq!(
        got.iter()
            .map(|(r, l, ..)| (r.as_str(), *l))
            .collect::<Vec<_>>(),
        vec![("hygiene/suppression", 8), ("hygiene/suppression", 11),],
        "{got:?}"
    );
    let messages: Vec<String> = ws.check().iter().map(|f| f.message.clone()).collect();
    assert!(
        messages.iter().any(|m| m.contains("gives no reason")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("suppresses nothing")),
        "{messages:?}"
    );
}

#[test]
fn broken_front_matter_is_located_and_the_rest_is_checked() {
    let broken = "---\ntitle: [unclosed\nalign:\n  id: broken\n---\nGuaranteed.\n";
    let toml = "+++\ntitle = \n[align]\nid = \"t\"\n+++\nBody.\n";
    let good =
        "---\nalign:\n  proposition: prop-a\n  features: [feat-sync]\n---\nIt is guaranteed.\n";
    let ws = from_texts(
        &[
            ("model.yaml", MODEL),
            ("a.md", broken),
            ("b.md", toml),
            ("c.md", good),
        ],
        &[],
    );
    let got = found(&ws, &["a.md", "b.md", "c.md"]);
    let rules: Vec<(&str, usize)> = got.iter().map(|(r, l, ..)| (r.as_str(), *l)).collect();
    assert_eq!(
        got.iter().filter(|g| g.0 == "load/page").count(),
        2,
        "{got:?}"
    );
    assert!(rules.contains(&("load/page", 2)), "{got:?}");
    assert!(
        rules.contains(&("overpromise/unsubstantiated-claim", 6)),
        "{got:?}"
    );
    assert!(ws.unusable);
}

#[test]
fn team_rules_read_pages_and_tell_them_by_their_page_field() {
    let rule = "pack team \"Team\"\n\nrule page-needs-owner {\n  severity warning\n  summary \"A page names its owner\"\n  doc \"\"\"\n    Pages name who keeps them current.\n  \"\"\"\n  for m in messages\n  where m.page and no m.owner\n  report m \"page `{m.page}` has no owner\"\n  help \"add `owner:` under `align:`\"\n}\n";
    let page = "---\nalign:\n  id: page-a\n  proposition: prop-a\n  features: [feat-sync]\n---\nClose in days.\n";
    let messages = "messages:\n  - id: msg-a\n    proposition: prop-a\n    features: [feat-sync]\n    text: Close in days.\n";
    let ws = from_texts(
        &[
            ("model.yaml", MODEL),
            ("messages.yaml", messages),
            ("site/a.md", page),
        ],
        &[("team.align", rule)],
    );
    let findings = ws.check();
    let team: Vec<String> = findings
        .iter()
        .filter(|f| f.rule == "team/page-needs-owner")
        .map(|f| f.message.clone())
        .collect();
    assert_eq!(
        team,
        vec!["page `site/a.md` has no owner".to_owned()],
        "{:?}",
        brief(&ws, &findings)
    );
}

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folder");
        }
        std::fs::write(path, text).expect("write");
    }
    dir
}

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = align().current_dir(dir).args(args).output().expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_pages_entry_makes_pages_and_front_matter_wins() {
    let config = "today: 2026-11-26\npages:\n  - include: [\"site/pricing/**\"]\n    proposition: prop-missing\n    features: [feat-later]\n";
    let dir = project(&[
        ("align.yaml", config),
        ("model.yaml", MODEL),
        (
            "site/pricing/index.md",
            "# Pricing\n\nPlans for every team.\n",
        ),
        (
            "site/pricing/plus.md",
            "---\nalign:\n  proposition: prop-a\n  features: [feat-sync]\n---\nPlans for bigger teams.\n",
        ),
        (
            "site/about.md",
            "# About\n\nThe fastest team, guaranteed.\n",
        ),
    ]);
    let (code, out, _) = run(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(code, Some(1), "{out}");
    let lines: Vec<&str> = out.lines().filter(|l| l.starts_with("site/")).collect();
    // The entry's fields are written in align.yaml, so that is where findings about them
    // are; the proposition it names does not exist, which is one finding, not a second one
    // saying the page voices no proposition.
    assert!(lines.is_empty(), "{out}");
    assert!(out.contains("align.yaml:5:16: error overpromise/unshipped-feature message `site/pricing/index` promises `feat-later`"), "{out}");
    assert!(
        out.contains("align.yaml:4:18: error hygiene/dangling-reference"),
        "{out}"
    );
    assert!(
        !out.contains("plus.md"),
        "front matter wins over the entry: {out}"
    );
    assert!(!out.contains("about.md"), "not a page: {out}");
}

#[test]
fn binary_html_is_skipped_unless_an_entry_names_it() {
    let config =
        "today: 2026-11-26\npages:\n  - include: [\"site/bad.html\"]\n    proposition: prop-a\n";
    let dir = project(&[("align.yaml", config), ("model.yaml", MODEL)]);
    std::fs::create_dir_all(dir.path().join("site")).expect("folder");
    std::fs::write(dir.path().join("site/bad.html"), b"\x00\x01PNG\x00binary").expect("write");
    std::fs::write(dir.path().join("site/other.htm"), b"\x00\x01\x02").expect("write");
    let (code, out, _) = run(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(code, Some(2), "{out}");
    assert!(
        out.contains("site/bad.html:1:1: error load/page this file holds binary data"),
        "{out}"
    );
    assert!(!out.contains("other.htm"), "{out}");
}

#[test]
fn align_test_reads_expectations_in_page_fixtures() {
    let page = "---\nalign:\n  proposition: prop-a\n  features: [feat-sync]\n---\n<!-- expect: overpromise/unsubstantiated-claim -->\nIt is guaranteed.\n\nUptime is 99.99% all year. <!-- expect: overpromise/number-beyond-facts -->\n";
    let dir = project(&[
        ("fixtures/site/model.yaml", MODEL),
        ("fixtures/site/page.md", page),
        ("fixtures/site/align.yaml", "today: 2026-11-26\n"),
    ]);
    let (code, out, err) = run(dir.path(), &["test", "fixtures"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("(2 expected findings of 2 rules)"), "{out}");
}

#[test]
fn baselines_key_page_findings_on_the_page_id_and_field() {
    let page = "---\nalign:\n  id: page-a\n  proposition: prop-a\n  features: [feat-sync]\n---\nIt is guaranteed.\n";
    let dir = project(&[
        ("align.yaml", "today: 2026-11-26\n"),
        ("model.yaml", MODEL),
        ("site/a.md", page),
    ]);
    let (code, _, err) = run(dir.path(), &["check", "--write-baseline", "b.json"]);
    assert_eq!(code, Some(0), "{err}");
    let recorded: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("b.json")).expect("written"))
            .expect("JSON");
    let entry = recorded["findings"]
        .as_array()
        .and_then(|l| {
            l.iter()
                .find(|e| e["rule"] == "overpromise/unsubstantiated-claim")
        })
        .expect("the page's claim is recorded");
    assert_eq!(entry["entity"]["kind"], "message");
    assert_eq!(entry["entity"]["id"], "page-a");
    // Lines moved by an edit above do not bring it back.
    std::fs::write(
        dir.path().join("site/a.md"),
        page.replace("---\nIt", "---\n\n# Title\n\nIt"),
    )
    .expect("write");
    let (code, out, err) = run(
        dir.path(),
        &["check", "--baseline", "b.json", "--format", "concise"],
    );
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(!out.contains("unsubstantiated"), "{out}");
}
