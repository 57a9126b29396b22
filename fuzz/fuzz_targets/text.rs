//! Text analysis on arbitrary text: `numbers(...)`, word-list matching and the mapping of
//! decoded positions back to the YAML source never panic, and every range they give lies on
//! character boundaries of the text.

#![no_main]

use align::lang::numbers::numbers;
use align::lang::words::WordList;
use align::model::scalar_text::value_range_to_raw;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    // First line: comma-separated word-list entries; the rest: the text.
    let (list, text) = input.split_once('\n').unwrap_or(("guaranteed,100%,best in class", input));
    for n in numbers(text) {
        let _ = n;
    }
    let entries: Vec<&str> = list.split(',').collect();
    if let Ok(words) = WordList::new(&entries) {
        for r in words.find_all(text) {
            assert!(text.get(r.clone()).is_some(), "{r:?} is not on character boundaries");
        }
        let _ = words.matched_entries(text);
        let _ = words.is_match(text);
    }
    // The text as the raw YAML of a scalar, and its first line as the decoded value.
    let value = text.lines().next().unwrap_or("");
    for end in [0, value.len() / 2, value.len()] {
        if value.is_char_boundary(end) {
            if let Some(r) = value_range_to_raw(text, value, 0..end) {
                assert!(text.get(r.clone()).is_some(), "{r:?} is not inside the raw text");
            }
        }
    }
});
