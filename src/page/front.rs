//! Front matter: the YAML (`---`) or TOML (`+++`) block at the top of a Markdown or MDX page,
//! read into spanned nodes whose spans are offsets in the page file.

use super::PageError;
use crate::model::node::{Node, NodeValue, YamlLimits, parse_file};
use crate::source::{FileId, Span};
use std::ops::Range;

/// The language of a front matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FrontFormat {
    /// `---` fenced YAML.
    Yaml,
    /// `+++` fenced TOML (Hugo).
    Toml,
}

/// Where a front matter block is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    /// Its language.
    pub(crate) format: FrontFormat,
    /// The bytes between the fences.
    pub(crate) content: Range<usize>,
    /// Where the page's body starts (after the closing fence's line); `None` when the block
    /// is never closed.
    pub(crate) body_start: Option<usize>,
}

/// Most bytes of front matter read: a page's front matter is a few hundred bytes.
pub(crate) const MAX_FRONT_MATTER_BYTES: usize = 256 << 10;

/// Finds the front matter block at the very start of `text`.
pub(crate) fn find(text: &str) -> Option<Block> {
    let (fence, format) = if text.starts_with("---") {
        ("---", FrontFormat::Yaml)
    } else if text.starts_with("+++") {
        ("+++", FrontFormat::Toml)
    } else {
        return None;
    };
    let first_end = text.find('\n')?;
    if text.get(..first_end)?.trim_end() != fence {
        return None;
    }
    let content_start = first_end + 1;
    let mut at = content_start;
    while at <= text.len() {
        let line_end = text.get(at..)?.find('\n').map_or(text.len(), |i| at + i);
        let line = text.get(at..line_end)?.trim_end();
        let closes = line == fence || (format == FrontFormat::Yaml && line == "...");
        if closes {
            return Some(Block {
                format,
                content: content_start..at,
                body_start: Some((line_end + 1).min(text.len())),
            });
        }
        if line_end >= text.len() || at - content_start > MAX_FRONT_MATTER_BYTES {
            break;
        }
        at = line_end + 1;
    }
    // Never closed: what follows the fence is all there is (read no further than the cap).
    let mut end = text.len().min(content_start + MAX_FRONT_MATTER_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Some(Block {
        format,
        content: content_start..end,
        body_start: None,
    })
}

/// Whether the byte offset `at` of a page's text falls inside its front matter (fences
/// included).
pub(crate) fn holds(text: &str, at: usize) -> bool {
    find(text).is_some_and(|b| at < b.body_start.unwrap_or(text.len()))
}

/// Reads a front matter block into a node (a mapping, when it is one).
pub(crate) fn read(file: FileId, text: &str, block: &Block) -> Result<Node, PageError> {
    let fence = match block.format {
        FrontFormat::Yaml => "---",
        FrontFormat::Toml => "+++",
    };
    let Some(body_start) = block.body_start else {
        return Err(PageError::new(
            Span::new(file, 0, 3),
            format!("the front matter opened here with `{fence}` is never closed"),
            format!("end the front matter with a line holding only `{fence}`"),
        ));
    };
    if block.content.len() > MAX_FRONT_MATTER_BYTES {
        return Err(PageError::new(
            Span::new(file, 0, 3),
            format!(
                "the front matter is longer than {} KB, far more than a page's settings need, so it is not read",
                MAX_FRONT_MATTER_BYTES >> 10
            ),
            "keep long text in the page body".to_owned(),
        ));
    }
    match block.format {
        FrontFormat::Yaml => read_yaml(file, text, body_start),
        FrontFormat::Toml => read_toml(file, text, block.content.clone()),
    }
}

fn read_yaml(file: FileId, text: &str, body_start: usize) -> Result<Node, PageError> {
    // The block with both fences is a YAML stream of its own (`---` starts a document), so
    // the parser's offsets are offsets in the page.
    let stream = text.get(..body_start).unwrap_or("");
    let limits = YamlLimits {
        max_depth: 32,
        max_nodes: 10_000,
        max_aliases: 100,
        max_alias_copies: 1_000,
        max_documents: 4,
        max_scalar_bytes: MAX_FRONT_MATTER_BYTES,
        max_total_scalar_bytes: 4 * MAX_FRONT_MATTER_BYTES,
    };
    match parse_file(file, stream, None, &limits) {
        Ok(parsed) => Ok(parsed.documents.into_iter().next().unwrap_or(Node {
            span: Span::new(file, 3, 3),
            value: NodeValue::Null,
        })),
        Err(e) => {
            let at = e.offset.unwrap_or(0).min(stream.len());
            let end = stream
                .get(at..)
                .and_then(|s| s.chars().next())
                .map_or(at, |c| at + c.len_utf8());
            Err(PageError::new(
                Span::new(file, at, end),
                format!("the front matter could not be read as YAML: {}", e.message),
                e.help.unwrap_or_else(|| {
                    "fix the front matter here; the page is not checked until it reads".to_owned()
                }),
            ))
        }
    }
}

/// Deepest nesting of TOML arrays and inline tables read.
const MAX_TOML_DEPTH: usize = 32;

fn read_toml(file: FileId, text: &str, content: Range<usize>) -> Result<Node, PageError> {
    let base = content.start;
    let source = text.get(content).unwrap_or("");
    if let Some(at) = too_deep(source) {
        return Err(PageError::new(
            Span::new(file, base + at, base + at + 1),
            format!(
                "the front matter nests arrays or tables more than {MAX_TOML_DEPTH} levels deep here"
            ),
            "a page's settings need only a few levels: look for brackets that are never closed"
                .to_owned(),
        ));
    }
    match toml::de::DeTable::parse(source) {
        Ok(table) => {
            let span = table.span();
            Ok(Node {
                span: Span::new(file, base + span.start, base + span.end),
                value: table_node(file, base, table.get_ref()),
            })
        }
        Err(e) => {
            let r = e.span().unwrap_or(0..0);
            let end = r.end.max(r.start + 1).min(source.len()).max(r.start);
            Err(PageError::new(
                Span::new(file, base + r.start, base + end),
                format!(
                    "the front matter could not be read as TOML: {}",
                    e.message().trim_end_matches('\n')
                ),
                "fix the front matter here; the page is not checked until it reads".to_owned(),
            ))
        }
    }
}

/// Where a TOML text first nests brackets deeper than [`MAX_TOML_DEPTH`], strings skipped.
fn too_deep(source: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    for (i, b) in source.bytes().enumerate() {
        match (quote, b) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'[' | b'{') => {
                depth += 1;
                if depth > MAX_TOML_DEPTH {
                    return Some(i);
                }
            }
            (None, b']' | b'}') => depth = depth.saturating_sub(1),
            (None, b'\n') => {}
            _ => {}
        }
    }
    None
}

fn table_node(file: FileId, base: usize, table: &toml::de::DeTable<'_>) -> NodeValue {
    let entries: Vec<(Node, Node)> = table
        .iter()
        .map(|(k, v)| {
            let ks = k.span();
            let key = Node {
                span: Span::new(file, base + ks.start, base + ks.end),
                value: NodeValue::Text(k.get_ref().as_ref().into()),
            };
            (key, value_node(file, base, v))
        })
        .collect();
    NodeValue::Map(entries.into())
}

fn value_node(file: FileId, base: usize, v: &toml::Spanned<toml::de::DeValue<'_>>) -> Node {
    use toml::de::DeValue;
    let s = v.span();
    let span = Span::new(file, base + s.start, base + s.end);
    let value = match v.get_ref() {
        DeValue::String(t) => NodeValue::Text(t.as_ref().into()),
        DeValue::Integer(n) => {
            let digits = n.as_str().replace('_', "");
            i64::from_str_radix(&digits, n.radix())
                .map_or(NodeValue::Text(n.as_str().into()), |n| {
                    NodeValue::Number(n as f64)
                })
        }
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .map_or(NodeValue::Text(f.as_str().into()), NodeValue::Number),
        DeValue::Boolean(b) => NodeValue::Bool(*b),
        DeValue::Datetime(d) => NodeValue::Text(d.to_string().into()),
        DeValue::Array(items) => NodeValue::List(
            items
                .iter()
                .map(|i| value_node(file, base, i))
                .collect::<Vec<_>>()
                .into(),
        ),
        DeValue::Table(t) => table_node(file, base, t),
    };
    Node { span, value }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<'t>(text: &'t str, n: &Node) -> &'t str {
        &text[n.span.start as usize..n.span.end as usize]
    }

    #[test]
    fn yaml_front_matter_spans_are_page_offsets() {
        let text = "---\ntitle: \"Close &amp; fast\"\nalign:\n  id: page-close\n---\n# Body\n";
        let block = find(text).expect("block");
        assert_eq!(block.body_start, Some(text.find("# Body").unwrap_or(0)));
        let root = read(FileId(0), text, &block).expect("reads");
        let id = root.get("align").and_then(|a| a.get("id")).expect("id");
        assert_eq!(at(text, id), "page-close");
        assert_eq!(
            at(text, root.get("title").expect("title")),
            "\"Close &amp; fast\""
        );
    }

    #[test]
    fn toml_front_matter_spans_are_page_offsets() {
        let text = "+++\ntitle = \"Pricing\"\n[align]\nid = \"page-pricing\"\nfeatures = [\"feat-a\", 'feat-b']\nn = 1_000\n+++\nBody\n";
        let block = find(text).expect("block");
        let root = read(FileId(0), text, &block).expect("reads");
        let align = root.get("align").expect("align");
        assert_eq!(at(text, align.get("id").expect("id")), "\"page-pricing\"");
        assert_eq!(
            align.get("n").map(|n| &n.value),
            Some(&NodeValue::Number(1000.0))
        );
        match &align.get("features").expect("features").value {
            NodeValue::List(items) => assert_eq!(at(text, &items[1]), "'feat-b'"),
            other => panic!("not a list: {other:?}"),
        }
    }

    #[test]
    fn broken_front_matter_is_located() {
        let text = "---\ntitle: [unclosed\nalign:\n  id: x\n---\nBody\n";
        let block = find(text).expect("block");
        let err = read(FileId(0), text, &block).expect_err("broken");
        assert!(err.span.start >= 4, "{err:?}");
        let toml = "+++\ntitle = \n+++\n";
        let err = read(FileId(0), toml, &find(toml).expect("block")).expect_err("broken");
        assert!(err.message.contains("TOML"));
        let open = "---\ntitle: x\n";
        let err = read(FileId(0), open, &find(open).expect("block")).expect_err("open");
        assert!(err.message.contains("never closed"));
        let deep = format!("+++\na = {}\n+++\n", "[".repeat(100));
        let err = read(FileId(0), &deep, &find(&deep).expect("block")).expect_err("deep");
        assert!(err.message.contains("levels deep"));
    }

    #[test]
    fn a_thematic_break_is_not_front_matter() {
        assert!(find("# Title\n---\n").is_none());
        assert!(find("----\nx\n").is_none());
    }
}
