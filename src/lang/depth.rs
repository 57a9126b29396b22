//! How deeply a rule file may nest, so that no rule file can exhaust the stack of the
//! parser, the checker or the evaluator, all of which follow the nesting by recursion.
//!
//! Two bounds work together. Before pest sees a declaration, [`too_deep`] scans its text for
//! parentheses, brackets and the words that nest without them (`not`, `all`, `any`, `if`): pest
//! recurses once per level, so this keeps the parser's own recursion short. The lowering into
//! the AST then counts the levels of the tree it builds (see `syntax.rs`), which also
//! covers long chains of `+` and `-`.

use super::error::RuleError;
use crate::source::{FileId, Span};

/// The deepest a condition or value may nest: parentheses, brackets, `not`, `all` and `any`
/// inside one another. Rules people write stay under ten.
pub(crate) const MAX_NESTING: usize = 64;

/// The deepest the syntax tree of one declaration may be, counting every level the
/// evaluator recurses through (a chain `a + b + c` is two levels).
pub(crate) const MAX_TREE_DEPTH: usize = 128;

/// Where `text` (one declaration, or the inside of a `{...}` interpolation) first nests
/// deeper than [`MAX_NESTING`]: the byte range of the bracket or word that goes too deep.
///
/// Texts, `"""docs"""`, `/patterns/` and `# comments` are skipped, so words inside them do
/// not count. The count is a little generous with `not`: two `not`s side by side in one
/// clause (`not a and not b`) count as two levels, as pest nests them.
pub(crate) fn too_deep(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let at = |i: usize| bytes.get(i).copied();
    let mut i = 0usize;
    let mut depth = 0usize;
    let mut saved: Vec<usize> = Vec::new();
    let mut previous_word = "";
    while let Some(c) = at(i) {
        match c {
            b'#' => {
                while at(i).is_some_and(|b| b != b'\n') {
                    i += 1;
                }
            }
            b'"' if text.get(i..).is_some_and(|t| t.starts_with("\"\"\"")) => {
                i += 3;
                match text.get(i..).and_then(|t| t.find("\"\"\"")) {
                    Some(end) => i += end + 3,
                    None => i = bytes.len(),
                }
            }
            b'"' | b'/' => {
                i += 1;
                while let Some(b) = at(i) {
                    if b == c || b == b'\n' {
                        break;
                    }
                    i += if b == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'(' | b'[' => {
                saved.push(depth);
                depth += 1;
                if depth > MAX_NESTING {
                    return Some((i, 1));
                }
                i += 1;
            }
            b')' | b']' => {
                depth = saved.pop().unwrap_or(0);
                i += 1;
            }
            b'{' | b'}' => {
                saved.clear();
                depth = 0;
                i += 1;
            }
            b if b.is_ascii_alphabetic() || b == b'_' => {
                let start = i;
                while at(i).is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
                    i += 1;
                }
                let word = text.get(start..i).unwrap_or("");
                match word {
                    "not" | "all" | "any" | "if" if previous_word != "has" => {
                        depth += 1;
                        if depth > MAX_NESTING {
                            return Some((start, i - start));
                        }
                    }
                    "where" | "report" | "help" | "let" | "option" | "fn" | "rule" | "for"
                    | "severity" | "summary" | "doc" | "pack"
                        if saved.is_empty() =>
                    {
                        depth = 0;
                    }
                    _ => {}
                }
                previous_word = word;
            }
            _ => i += 1,
        }
    }
    None
}

/// The error for a declaration that nests too deeply, at `start..end` of `file`.
pub(crate) fn nesting_error(file: FileId, start: usize, end: usize) -> RuleError {
    RuleError::new(
        Span::new(file, start, end),
        format!("this nests more than {MAX_NESTING} levels deep, more than align reads"),
    )
    .label("too deep")
    .help(
        "split the condition: give its parts names with `let`, or write several `where` \
         clauses (they must all hold)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_brackets_and_nesting_words() {
        let deep = format!("where {}x{}", "(".repeat(65), ")".repeat(65));
        assert_eq!(too_deep(&deep), Some((6 + 64, 1)));
        let ok = format!("where {}x{}", "(".repeat(64), ")".repeat(64));
        assert_eq!(too_deep(&ok), None);
        let nots = format!("where {}x", "not ".repeat(65));
        assert_eq!(too_deep(&nots), Some((6 + 64 * 4, 3)));
        // Closing a bracket gives its levels back; a new clause starts again.
        let siblings = "where (not a) and (not b)\n".repeat(100);
        assert_eq!(too_deep(&siblings), None);
    }

    #[test]
    fn skips_texts_patterns_and_comments() {
        let words = "not ".repeat(100);
        for text in [
            format!("report \"{words}\""),
            format!("doc \"\"\"{words}\"\"\""),
            format!("where x matches /{}/", "(".repeat(100)),
            format!("# {words}\nwhere x"),
        ] {
            assert_eq!(too_deep(&text), None, "{text}");
        }
        let has = format!("where {}", "x has any y and ".repeat(100));
        assert_eq!(too_deep(&has), None);
        // Each `if` nests its `else`: a chain of them counts a level each.
        let ifs = format!("fn f(x) = {}0", "if x then 1 else ".repeat(65));
        assert!(too_deep(&ifs).is_some());
        let few = format!("fn f(x) = {}0", "if x then 1 else ".repeat(20));
        assert_eq!(too_deep(&few), None);
    }
}
