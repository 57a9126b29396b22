//! What a YAML scalar means: null, true/false, a number or text, by the YAML 1.2 core
//! schema (only `true`/`false` are booleans, so `yes`, `no` and `on` stay text).

use super::node::NodeValue;
use serde_saphyr::granit_parser::{ScalarStyle, Tag};

/// What an explicit tag (`!!str`, `!!int`, ...) asks a scalar to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wanted {
    /// No tag, or one align does not know: the value decides.
    Any,
    /// `!!str` or the non-specific `!`: text, whatever it looks like.
    Text,
    /// `!!null`.
    Null,
    /// `!!bool`.
    Bool,
    /// `!!int` or `!!float`.
    Number,
}

/// The meaning a tag gives, for the core schema's names written as `!!name`, `!name` or in
/// full (`tag:yaml.org,2002:name`).
pub(crate) fn wanted(tag: Option<&Tag>) -> Wanted {
    let Some(tag) = tag else {
        return Wanted::Any;
    };
    let name = match tag.core_suffix() {
        Some(name) => name.to_owned(),
        None => match tag.suffix_in_namespace("!") {
            Some(suffix) if matches!(suffix.as_ref(), "" | "!") => return Wanted::Text,
            Some(suffix) => suffix.trim_start_matches('!').to_owned(),
            None => return Wanted::Any,
        },
    };
    match name.as_str() {
        "str" => Wanted::Text,
        "null" => Wanted::Null,
        "bool" => Wanted::Bool,
        "int" | "float" => Wanted::Number,
        _ => Wanted::Any,
    }
}

/// The value of a scalar as written (`text` already unquoted and unescaped).
pub(crate) fn resolve(text: &str, style: ScalarStyle, wanted: Wanted) -> Resolved {
    let plain = matches!(style, ScalarStyle::Plain);
    match wanted {
        Wanted::Text => Resolved::Text,
        Wanted::Null => Resolved::Value(NodeValue::Null),
        Wanted::Bool => {
            boolean(text).map_or(Resolved::Text, |b| Resolved::Value(NodeValue::Bool(b)))
        }
        Wanted::Number => {
            number(text).map_or(Resolved::Text, |n| Resolved::Value(NodeValue::Number(n)))
        }
        Wanted::Any if !plain => Resolved::Text,
        Wanted::Any => {
            if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
                Resolved::Value(NodeValue::Null)
            } else if let Some(b) = boolean(text) {
                Resolved::Value(NodeValue::Bool(b))
            } else if let Some(n) = number(text) {
                Resolved::Value(NodeValue::Number(n))
            } else {
                Resolved::Text
            }
        }
    }
}

/// A scalar's meaning: a value, or its text (kept by the caller, who owns it).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Resolved {
    /// Null, a boolean or a number.
    Value(NodeValue),
    /// Text, as written.
    Text,
}

fn boolean(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// A number by the core schema: integers in decimal (`1_000` too), `0x`, `0o` and `0b`, and
/// finite decimals and exponents. Spellings YAML readers disagree on stay text: `0X1F`,
/// `.inf`, `.nan`, and numbers too large for a 64-bit float.
fn number(text: &str) -> Option<f64> {
    let first = *text.as_bytes().first()?;
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return None;
    }
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if matches!(unsigned.as_bytes(), [b'0', b'X' | b'O' | b'B', ..]) {
        return None;
    }
    if let Some(magnitude) = integer(unsigned) {
        if negative {
            if magnitude <= u128::from(i64::MAX.unsigned_abs()) + 1 {
                return Some(0.0 - magnitude as f64);
            }
        } else if magnitude <= u128::from(u64::MAX) {
            return Some(magnitude as f64);
        }
    }
    // Rust also reads `inf` and `nan`; YAML's spellings of those start with a dot, and a
    // digit-free text is never a number here.
    if !unsigned.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// An unsigned integer's value: decimal without a redundant leading zero, or `0x`, `0o`,
/// `0b`; single `_` between digits allowed.
fn integer(unsigned: &str) -> Option<u128> {
    let (radix, digits) = if let Some(d) = unsigned.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = unsigned.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = unsigned.strip_prefix("0b") {
        (2, d)
    } else {
        if unsigned.len() > 1 && unsigned.starts_with('0') {
            return None;
        }
        (10, unsigned)
    };
    let bytes = digits.as_bytes();
    let mut value: u128 = 0;
    let mut any = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let between = i > 0
                && bytes.get(i - 1).is_some_and(|p| *p != b'_')
                && bytes.get(i + 1).is_some_and(|n| *n != b'_');
            if !between {
                return None;
            }
            continue;
        }
        let digit = char::from(b).to_digit(radix)?;
        value = value
            .checked_mul(u128::from(radix))?
            .checked_add(u128::from(digit))?;
        any = true;
    }
    any.then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Resolved {
        resolve(text, ScalarStyle::Plain, Wanted::Any)
    }

    fn num(n: f64) -> Resolved {
        Resolved::Value(NodeValue::Number(n))
    }

    #[test]
    fn nulls_and_booleans() {
        for t in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(plain(t), Resolved::Value(NodeValue::Null), "{t}");
        }
        assert_eq!(plain("True"), Resolved::Value(NodeValue::Bool(true)));
        for t in ["yes", "no", "on", "off", "y", "nULL"] {
            assert_eq!(plain(t), Resolved::Text, "{t}");
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(plain("42"), num(42.0));
        assert_eq!(plain("-7"), num(-7.0));
        assert_eq!(plain("+3"), num(3.0));
        assert_eq!(plain("1_000"), num(1000.0));
        assert_eq!(plain("0x1F"), num(31.0));
        assert_eq!(plain("0o17"), num(15.0));
        assert_eq!(plain("0b101"), num(5.0));
        assert_eq!(plain("99.9"), num(99.9));
        assert_eq!(plain("1e3"), num(1000.0));
        assert_eq!(plain(".5"), num(0.5));
        assert_eq!(plain("0127"), num(127.0));
        assert_eq!(plain("18446744073709551616"), num(18446744073709551616.0));
        for t in [
            "0X1F",
            ".inf",
            "-.inf",
            ".nan",
            "inf",
            "nan",
            "1__0",
            "_1",
            "1_",
            "1e999",
            "2026-11-02",
            "1.2.3",
            "4.9/5",
            "0x",
            "-",
            "+",
            ".",
        ] {
            assert_eq!(plain(t), Resolved::Text, "{t}");
        }
    }

    #[test]
    fn quoted_and_tagged() {
        assert_eq!(
            resolve("42", ScalarStyle::DoubleQuoted, Wanted::Any),
            Resolved::Text
        );
        assert_eq!(
            resolve("null", ScalarStyle::Plain, Wanted::Text),
            Resolved::Text
        );
        assert_eq!(
            resolve("42", ScalarStyle::SingleQuoted, Wanted::Number),
            num(42.0)
        );
        assert_eq!(
            resolve("x", ScalarStyle::Plain, Wanted::Null),
            Resolved::Value(NodeValue::Null)
        );
    }
}
