//! A data file: loading it never panics, and every finding points inside the file.

#![no_main]

use align::model::load::load_file;
use align::model::node::YamlLimits;
use align::source::FileId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let loaded = load_file(FileId(0), &text.into(), &YamlLimits::default());
    for f in &loaded.findings {
        if let Some(span) = f.span {
            assert!(span.start <= span.end && span.end as usize <= text.len());
        }
    }
});
