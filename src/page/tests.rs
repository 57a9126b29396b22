//! Reading pages: what is text, what is not, and where every word is written.

use super::*;
use crate::model::NodeValue;
use proptest::prelude::*;

fn md(text: &str) -> Page {
    read(FileId(0), PageKind::Markdown, text, &PageLimits::default())
}

fn mdx(text: &str) -> Page {
    read(FileId(0), PageKind::Mdx, text, &PageLimits::default())
}

fn html(text: &str) -> Page {
    read(FileId(0), PageKind::Html, text, &PageLimits::default())
}

/// The file bytes of the first occurrence of `word` in the page's text.
fn raw_of<'t>(page: &Page, file: &'t str, word: &str) -> &'t str {
    let at = page
        .text
        .as_str()
        .find(word)
        .unwrap_or_else(|| panic!("`{word}` not in {:?}", page.text.as_str()));
    let r = page.text.to_raw(at..at + word.len()).expect("maps");
    &file[r]
}

#[test]
fn the_spec_example_underlines_exactly_the_figure() {
    let file = "---\nalign:\n  id: p\n---\nApproved invoices post with **99.99%** uptime\n";
    let page = md(file);
    assert!(page.is_page());
    assert_eq!(
        page.text.as_str(),
        "Approved invoices post with 99.99% uptime\n"
    );
    let at = page.text.as_str().find("99.99%").unwrap_or(0);
    let r = page.text.to_raw(at..at + 6).expect("maps");
    assert_eq!(&file[r.clone()], "99.99%");
    assert_eq!(r.start, file.find("99.99%").unwrap_or(0));
    // Across the emphasis: from the first word to the last, markup inside.
    let at = page.text.as_str().find("with 99.99% uptime").unwrap_or(0);
    let r = page.text.to_raw(at..at + 18).expect("maps");
    assert_eq!(&file[r], "with **99.99%** uptime");
}

#[test]
fn markdown_text_and_what_is_not_text() {
    let file = "---\ntitle: Close in days\ndescription: \"Ledgerly closes \\\"fast\\\"\"\nother: not text\nalign:\n  id: page-close\n---\n\
# Heading one\n\nA [linked phrase](https://example.com/url) and `inline code` and ![alt words](img.png).\n\n\
```\nfenced code\n```\n\n    indented code\n\n- item one\n- item two\n\n| Plan | Price |\n|---|---|\n| Pro | £20 |\n\n\
> quoted text\n\n<!-- a comment -->\nAT&amp;T &copy; soft\nbreak\n";
    let page = md(file);
    let text = page.text.as_str();
    assert_eq!(
        text,
        "Close in days\nLedgerly closes \"fast\"\nHeading one\nA linked phrase and  and alt words.\nitem one\nitem two\nPlan\nPrice\nPro\n£20\nquoted text\nAT&T © soft break\n"
    );
    for absent in [
        "https",
        "inline code",
        "fenced",
        "indented",
        "other",
        "comment",
        "img.png",
    ] {
        assert!(!text.contains(absent), "{absent} read as text");
    }
    assert_eq!(raw_of(&page, file, "linked phrase"), "linked phrase");
    assert_eq!(raw_of(&page, file, "AT&T"), "AT&amp;T");
    assert_eq!(raw_of(&page, file, "soft break"), "soft\nbreak");
    assert_eq!(raw_of(&page, file, "£20"), "£20");
    assert_eq!(raw_of(&page, file, "\"fast\""), "\\\"fast\\\"");
    assert_eq!(raw_of(&page, file, "Close in days"), "Close in days");
}

#[test]
fn raw_html_blocks_in_markdown_are_read_as_a_browser_shows_them() {
    let file = "---\nalign:\n  id: p\n---\n<div class=\"hero\">\n  <h2>Close in <em>3 days</em></h2>\n  <p>We never &amp; lose data.</p>\n  <script>var x = 'guaranteed';</script>\n</div>\n\nAfter.\n";
    let page = md(file);
    assert_eq!(
        page.text.as_str(),
        "Close in 3 days\nWe never & lose data.\nAfter.\n"
    );
    assert_eq!(raw_of(&page, file, "3 days"), "3 days");
    assert_eq!(raw_of(&page, file, "never & lose"), "never &amp; lose");
}

#[test]
fn toml_front_matter_makes_a_page() {
    let file = "+++\ntitle = \"Pricing that scales\"\n[align]\nid = \"page-pricing\"\nfeatures = [\"feat-plans\"]\n+++\nBody text.\n";
    let page = md(file);
    assert!(page.is_page());
    let align = page.align.as_ref().expect("align");
    assert_eq!(
        align.get("id").and_then(Node::as_text),
        Some("page-pricing")
    );
    assert_eq!(page.text.as_str(), "Pricing that scales\nBody text.\n");
    assert_eq!(raw_of(&page, file, "scales"), "scales");
}

#[test]
fn files_without_align_are_not_pages() {
    assert!(!md("# README\n\nSome docs.\n").is_page());
    assert!(!md("---\ntitle: Blog post\n---\nHello\n").is_page());
    assert!(
        !html(
            "<html><head><title>x</title><meta name=\"description\" content=\"d\"></head></html>"
        )
        .is_page()
    );
}

#[test]
fn broken_front_matter_still_says_it_is_a_page() {
    let file = "---\ntitle: [oops\nalign:\n  id: p\n---\nBody\n";
    let page = md(file);
    assert!(page.is_page());
    assert_eq!(page.errors.len(), 1);
    assert!(page.align.is_none());
    assert_eq!(page.text.as_str(), "Body\n");
}

#[test]
fn footnotes_attach_to_their_sentence() {
    let file = "---\nalign:\n  id: p\n---\nIntro line. Teams close in 3 days.[^ev-survey] More text.\n\n[^ev-survey]: Survey of 412 teams.\n";
    let page = md(file);
    assert!(
        !page.text.as_str().contains("412"),
        "{:?}",
        page.text.as_str()
    );
    assert_eq!(page.footnotes.len(), 1);
    let f = &page.footnotes[0];
    assert_eq!(f.label, "ev-survey");
    assert_eq!(
        &page.text.as_str()[f.sentence.clone()],
        "Teams close in 3 days."
    );
    let s = f.sentence_span;
    assert_eq!(
        &file[s.start as usize..s.end as usize],
        "Teams close in 3 days."
    );
    assert_eq!(
        &file[f.span.start as usize..f.span.end as usize],
        "[^ev-survey]"
    );
}

#[test]
fn suppression_comments_are_read_with_their_line() {
    let file = "---\nalign:\n  id: p\n---\n\nClose in 3 days. <!-- align-ignore: overpromise -- approved by legal -->\n\n<!-- align-ignore: voice/hype -->\nThe fastest tool.\n";
    let page = md(file);
    assert_eq!(page.comments.len(), 2);
    assert_eq!(page.comments[0].line, 6);
    assert_eq!(
        page.comments[0].reason.as_deref(),
        Some("approved by legal")
    );
    assert_eq!(page.comments[1].line, 9);
    assert_eq!(page.comments[1].reason, None);
}

#[test]
fn mdx_components_are_not_text_but_their_children_are() {
    let file = "---\nalign:\n  id: blog\n---\nimport { Callout } from '../components'\nexport const meta = {\n  author: 'x',\n}\n\n# Post title\n\n<Callout type=\"tip\">\n  Close your books **in 3 days**.\n</Callout>\n\n<Hero title=\"Not text\" />\n\nPlain <Badge>New</Badge> words.\n{/* hidden note */}\n";
    let page = mdx(file);
    let text = page.text.as_str();
    assert!(!text.contains("import"), "{text:?}");
    assert!(!text.contains("author"), "{text:?}");
    assert!(!text.contains("Not text"), "{text:?}");
    assert!(!text.contains("hidden"), "{text:?}");
    assert!(text.contains("Close your books in 3 days."), "{text:?}");
    assert!(text.contains("Plain New words."), "{text:?}");
    assert_eq!(raw_of(&page, file, "in 3 days"), "in 3 days");
    assert_eq!(raw_of(&page, file, "Post title"), "Post title");
}

#[test]
fn html_pages_read_meta_tags_and_visible_text() {
    let file = "<!doctype html>\n<html><head>\n<title>Pricing &amp; plans</title>\n\
<meta name=\"description\" content=\"Plans from &pound;20\">\n\
<meta name=\"align:id\" content=\"page-landing\">\n\
<meta name=\"align:features\" content=\"feat-plans, feat-erp-sync\">\n\
<style>p { color: red }</style><script>var x = \"no\";</script>\n</head>\n\
<body><h1>Close in <em>3 days</em></h1><p>We never\n   lose data.<!-- align-ignore: overpromise -- checked --></p>\
<pre>code</pre><img src=\"a.png\" alt=\"Team photo\"><ul><li>One</li><li>Two</li></ul></body></html>";
    let page = html(file);
    assert!(page.is_page());
    let align = page.align.as_ref().expect("align");
    assert_eq!(
        align.get("id").and_then(Node::as_text),
        Some("page-landing")
    );
    let features = align.get("features").expect("features");
    let NodeValue::List(items) = &features.value else {
        panic!("a list");
    };
    assert_eq!(items.len(), 2);
    assert_eq!(
        &file[items[1].span.start as usize..items[1].span.end as usize],
        "feat-erp-sync"
    );
    let text = page.text.as_str();
    assert_eq!(
        text,
        "Pricing & plans\nPlans from £20\nClose in 3 days\nWe never lose data.\nTeam photo\nOne\nTwo\n"
    );
    assert_eq!(raw_of(&page, file, "3 days"), "3 days");
    assert_eq!(raw_of(&page, file, "never lose"), "never\n   lose");
    assert_eq!(raw_of(&page, file, "£20"), "&pound;20");
    assert_eq!(raw_of(&page, file, "Team photo"), "Team photo");
    assert_eq!(page.comments.len(), 1);
}

#[test]
fn html_without_head_end_and_tag_soup() {
    let page = html(
        "<meta name=align:id content=x><head><title>T</title><body><p>Text <b>bold</p><div>After",
    );
    assert_eq!(page.text.as_str(), "T\nText bold\nAfter\n");
    assert!(page.is_page());
}

#[test]
fn hostile_pages_are_bounded() {
    // Deep nesting: no recursion, no tree kept.
    let deep = format!(
        "<meta name=\"align:id\" content=\"d\">{}deep text{}",
        "<div>".repeat(200_000),
        "</div>".repeat(200_000)
    );
    let page = html(&deep);
    assert!(page.text.as_str().contains("deep text"));
    let quotes = format!("---\nalign:\n  id: q\n---\n{}quoted\n", "> ".repeat(5_000));
    assert!(md(&quotes).text.as_str().contains("quoted"));
    let lists = format!(
        "---\nalign:\n  id: l\n---\n{}",
        (0..1_500)
            .map(|i| format!("{}- item\n", "  ".repeat(i)))
            .collect::<String>()
    );
    assert!(md(&lists).text.as_str().contains("item"));
    // Many comments and footnotes: a bounded number is kept, each located in one pass.
    let noisy = format!(
        "---\nalign:\n  id: n\n---\n{}\n[^ev]: A note.\n",
        "claim[^ev] <!-- align-ignore: a/b -- why -->\n".repeat(50_000)
    );
    let started = std::time::Instant::now();
    let page = md(&noisy);
    assert_eq!(page.comments.len(), PageLimits::default().max_comments);
    assert_eq!(page.footnotes.len(), PageLimits::default().max_footnotes);
    assert_eq!(page.comments[1].line, 6);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    // Binary bytes read as text do not panic.
    let binary: String = (0u8..=255).map(char::from).cycle().take(100_000).collect();
    let _ = html(&binary);
    let _ = md(&binary);
    let _ = mdx(&binary);
    assert!(looks_binary("\0PNG"));
    // Too large: the fields are read, the text is not.
    let limits = PageLimits {
        max_bytes: 1_000,
        ..PageLimits::default()
    };
    let big = format!("---\nalign:\n  id: big\n---\n{}", "word ".repeat(1_000));
    let page = read(FileId(0), PageKind::Markdown, &big, &limits);
    assert!(page.is_page());
    assert_eq!(page.errors.len(), 1);
    assert!(!page.text.as_str().contains("word"));
}

/// A word and how it is marked up in the generated pages.
#[derive(Debug, Clone)]
enum Piece {
    Word(String),
    Strong(String),
    Emph(String),
    Link(String),
    Code(String),
    Entity,
    Break,
    Note,
}

fn word() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9]{0,6}(%|\\$)?"
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        4 => word().prop_map(Piece::Word),
        1 => word().prop_map(Piece::Strong),
        1 => word().prop_map(Piece::Emph),
        1 => word().prop_map(Piece::Link),
        1 => word().prop_map(Piece::Code),
        1 => Just(Piece::Entity),
        1 => Just(Piece::Break),
        1 => Just(Piece::Note),
    ]
}

fn markdown_of(pieces: &[Piece]) -> String {
    let mut s = String::from("---\ntitle: a title here\nalign:\n  id: gen\n---\n");
    for p in pieces {
        match p {
            Piece::Word(w) => s.push_str(w),
            Piece::Strong(w) => s.push_str(&format!("**{w}**")),
            Piece::Emph(w) => s.push_str(&format!("_{w}_")),
            Piece::Link(w) => s.push_str(&format!("[{w}](https://example.com/{w})")),
            Piece::Code(w) => s.push_str(&format!("`QQ{w}`")),
            Piece::Entity => s.push_str("&amp;"),
            Piece::Break => s.push('\n'),
            Piece::Note => s.push_str("[^ev-x]"),
        }
        s.push(' ');
    }
    s.push_str("\n\n[^ev-x]: QQnote\n");
    s
}

fn html_of(pieces: &[Piece]) -> String {
    let mut s = String::from(
        "<html><head><meta name=\"align:id\" content=\"gen\"><title>a title</title></head><body><p>",
    );
    for p in pieces {
        match p {
            Piece::Word(w) => s.push_str(w),
            Piece::Strong(w) => s.push_str(&format!("<strong>{w}</strong>")),
            Piece::Emph(w) => s.push_str(&format!("<em>{w}</em>")),
            Piece::Link(w) => s.push_str(&format!("<a href=\"https://example.com/{w}\">{w}</a>")),
            Piece::Code(w) => s.push_str(&format!("<code>QQ{w}</code>")),
            Piece::Entity => s.push_str("&amp;"),
            Piece::Break => s.push_str("\n  "),
            Piece::Note => s.push_str("<!-- QQ -->"),
        }
        s.push(' ');
    }
    s.push_str("</p></body></html>");
    s
}

/// Every word of the page's text maps to the very same word in the file, and nothing that
/// is not text (code, URLs, notes) is in the text.
fn words_map_back(page: &Page, file: &str) -> Result<(), TestCaseError> {
    let text = page.text.as_str();
    prop_assert!(
        !text.contains("QQ"),
        "code or a note read as text: {:?}",
        text
    );
    prop_assert!(!text.contains("https"), "a URL read as text: {:?}", text);
    let mut at = 0;
    for w in text.split(|c: char| c.is_whitespace()) {
        let range = at..at + w.len();
        at += w.len() + 1;
        if w.is_empty() {
            continue;
        }
        let raw = page.text.to_raw(range).map(|r| &file[r]);
        if w == "&" {
            prop_assert_eq!(raw, Some("&amp;"));
        } else {
            prop_assert_eq!(raw, Some(w));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn markdown_words_map_to_the_same_words(pieces in prop::collection::vec(piece(), 1..40)) {
        let file = markdown_of(&pieces);
        let page = md(&file);
        words_map_back(&page, &file)?;
        let mdx_page = mdx(&file);
        words_map_back(&mdx_page, &file)?;
    }

    #[test]
    fn html_words_map_to_the_same_words(pieces in prop::collection::vec(piece(), 1..40)) {
        let file = html_of(&pieces);
        let page = html(&file);
        words_map_back(&page, &file)?;
    }

    #[test]
    fn any_range_maps_inside_the_file(pieces in prop::collection::vec(piece(), 1..30), a in 0usize..400, b in 0usize..400) {
        let file = markdown_of(&pieces);
        let page = md(&file);
        let (a, b) = (a.min(b), a.max(b));
        if let Some(r) = page.text.to_raw(a..b) {
            prop_assert!(r.start <= r.end && r.end <= file.len());
        }
    }

    #[test]
    fn reading_any_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let s = String::from_utf8_lossy(&bytes);
        for kind in [PageKind::Markdown, PageKind::Mdx, PageKind::Html] {
            let page = read(FileId(0), kind, &s, &PageLimits::default());
            let len = page.text.len();
            let _ = page.text.to_raw(0..len);
        }
    }
}
