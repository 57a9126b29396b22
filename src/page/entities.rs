//! HTML character references (`&amp;`, `&#8217;`, `&#x2019;`) read into the characters they
//! stand for, a piece of page text at a time, each mapped to its exact bytes.

use super::textmap::{PageText, entity_len};

/// The named references copy is written with. A name not listed is kept as written: it is
/// rare in marketing copy, and keeping it cannot move any other word.
const NAMED: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", ' '),
    ("ndash", '–'),
    ("mdash", '—'),
    ("hellip", '…'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
    ("euro", '€'),
    ("pound", '£'),
    ("yen", '¥'),
    ("cent", '¢'),
    ("times", '×'),
    ("divide", '÷'),
    ("middot", '·'),
    ("bull", '•'),
    ("deg", '°'),
    ("plusmn", '±'),
    ("frac12", '½'),
    ("frac14", '¼'),
    ("frac34", '¾'),
    ("sup2", '²'),
    ("shy", '\u{AD}'),
    ("zwj", '\u{200D}'),
    ("zwnj", '\u{200C}'),
    ("thinsp", ' '),
    ("ensp", ' '),
    ("emsp", ' '),
];

/// The character a reference (`&...;`, as a whole) stands for.
pub(crate) fn decode(reference: &str) -> Option<char> {
    let name = reference.strip_prefix('&')?.strip_suffix(';')?;
    if let Some(num) = name.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        return match char::from_u32(n) {
            Some('\0') | None => Some('\u{FFFD}'),
            Some(c) => Some(c),
        };
    }
    NAMED.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

/// Appends `raw` (written at `raw_start` in the file) to `out` as a reader sees it:
/// references decoded, every run of white space one space.
pub(crate) fn push_html_text(out: &mut PageText, raw: &str, raw_start: usize) {
    let bytes = raw.as_bytes();
    let mut i = 0;
    let mut run_start = 0;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(0);
        if b == b'&' {
            if let Some(len) = raw.get(i..).and_then(entity_len) {
                if let Some(c) = raw.get(i..i + len).and_then(decode) {
                    push_run(out, raw, run_start, i, raw_start);
                    let mut buf = [0u8; 4];
                    let piece: &str = if c == '\u{A0}' || c.is_whitespace() {
                        " "
                    } else {
                        c.encode_utf8(&mut buf)
                    };
                    if !(piece == " " && ends_with_space(out)) {
                        out.push_mapped(piece, raw_start + i..raw_start + i + len);
                    }
                    i += len;
                    run_start = i;
                    continue;
                }
            }
        }
        if b.is_ascii_whitespace() {
            push_run(out, raw, run_start, i, raw_start);
            let mut j = i;
            while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
                j += 1;
            }
            if out.mid_line() && !ends_with_space(out) {
                out.push_mapped(" ", raw_start + i..raw_start + j);
            }
            i = j;
            run_start = i;
            continue;
        }
        i += 1;
    }
    push_run(out, raw, run_start, raw.len(), raw_start);
}

fn ends_with_space(out: &PageText) -> bool {
    out.as_str().ends_with(' ')
}

fn push_run(out: &mut PageText, raw: &str, from: usize, to: usize, raw_start: usize) {
    if let Some(run) = raw.get(from..to) {
        out.push_verbatim(run, raw_start + from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_decode() {
        assert_eq!(decode("&amp;"), Some('&'));
        assert_eq!(decode("&#8217;"), Some('’'));
        assert_eq!(decode("&#x2019;"), Some('’'));
        assert_eq!(decode("&#0;"), Some('\u{FFFD}'));
        assert_eq!(decode("&nosuch;"), None);
    }

    #[test]
    fn text_collapses_space_and_maps_references() {
        let raw = "Close\n   in 3 days &amp; more";
        let mut t = PageText::new();
        push_html_text(&mut t, raw, 10);
        assert_eq!(t.as_str(), "Close in 3 days & more");
        assert_eq!(t.to_raw(16..17), Some(10 + 19..10 + 24));
        let days = t.as_str().find("days").unwrap_or(0);
        let r = t.to_raw(days..days + 4).unwrap_or(0..0);
        assert_eq!(&raw[r.start - 10..r.end - 10], "days");
    }
}
