//! Page reading on arbitrary bytes: Markdown, MDX and HTML reading never panics, and every
//! word of a page's text maps to a range of the file on character boundaries.

#![no_main]

use align::page::{PageKind, PageLimits, read};
use align::source::FileId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for kind in [PageKind::Markdown, PageKind::Mdx, PageKind::Html] {
        let page = read(FileId(0), kind, &text, &PageLimits::default());
        let t = page.text.as_str();
        let mut at = 0;
        for w in t.split(' ') {
            if let Some(r) = page.text.to_raw(at..at + w.len()) {
                assert!(text.get(r.clone()).is_some(), "{r:?} is not inside the page");
            }
            at += w.len() + 1;
        }
        for c in &page.comments {
            assert!(c.span.end as usize <= text.len());
        }
    }
});
