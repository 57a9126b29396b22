//! The `pages:` setting of `align.yaml`: which Markdown, MDX and HTML files are pages even
//! without `align:` front matter, and the message fields they get.
//!
//! ```yaml
//! pages:
//!   - include: ["site/content/pricing/**"]
//!     proposition: prop-pricing
//!     features: [feat-plans]
//! ```

use super::config::LOAD_CONFIG;
use super::discover::{Filter, Globs, check_glob};
use crate::finding::{Finding, Severity};
use crate::model::node::{Node, NodeValue};
use crate::model::schema::{Kind, did_you_mean};
use crate::source::Span;

/// One entry of `pages:`.
#[derive(Debug, Clone)]
pub struct PageEntry {
    /// Globs of the files it covers, relative to the folder of `align.yaml`, compiled.
    globs: Globs,
    /// The message fields it gives its pages (front matter and meta tags win over them).
    pub(crate) fields: Vec<(Node, Node)>,
}

impl PageEntry {
    /// Whether the entry covers a file (its path from the project root, `/`-separated).
    pub(crate) fn covers(&self, path: &str) -> bool {
        self.globs.wants(path)
    }
}

/// Where pages are looked for: the project root their paths and `pages:` globs are taken
/// from, and the configuration's entries.
#[derive(Debug, Clone, Default)]
pub(crate) struct Site {
    /// The folder of `align.yaml`, else the checked folder.
    pub(crate) root: std::path::PathBuf,
    /// The `pages:` entries.
    pub(crate) entries: Vec<PageEntry>,
}

impl Site {
    /// A file's path from the root, and the entries that cover it.
    pub(crate) fn covering(&self, path: &std::path::Path) -> (String, Vec<&PageEntry>) {
        let rel = path_from(path, &self.root);
        let entries = self.entries.iter().filter(|e| e.covers(&rel)).collect();
        (rel, entries)
    }

    /// The rule of the finding for a data file that could not be read: `load/page` for a
    /// page file, `load/yaml` for any other.
    pub(crate) fn unreadable_rule(&self, path: &std::path::Path) -> &'static str {
        if crate::page::PageKind::of_path(path).is_some() {
            crate::page::load::LOAD_PAGE
        } else {
            crate::model::load::LOAD_YAML
        }
    }
}

/// A file's path from the project root (the folder of `align.yaml`, or the checked folder),
/// `/`-separated: what `pages:` globs match and what a page's default id is made from.
pub(crate) fn path_from(path: &std::path::Path, root: &std::path::Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    s.trim_start_matches("./").to_owned()
}

/// Fields a `pages:` entry may not set: a page's own.
/// Message fields a `pages:` entry cannot set: each page has its own.
pub(crate) const PAGE_OWN: &[&str] = &["id", "text", "page"];

/// Reads the `pages:` setting.
pub(crate) fn parse(value: &Node, errors: &mut Vec<Finding>) -> Vec<PageEntry> {
    let err = |span: Span, msg: String, help: &str| {
        Finding::new(LOAD_CONFIG, Severity::Error, msg)
            .at(span)
            .with_help(help.to_owned())
    };
    let items = match &value.value {
        NodeValue::List(items) => items,
        NodeValue::Null => return Vec::new(),
        other => {
            errors.push(err(
                value.span,
                format!(
                    "`pages` should be a list of entries, but it is {}",
                    other.describe()
                ),
                "write `pages:` then one `- include: [\"site/**\"]` entry per group of pages",
            ));
            return Vec::new();
        }
    };
    let allowed: Vec<&str> = Kind::Message
        .fields()
        .iter()
        .map(|f| f.name)
        .filter(|n| !PAGE_OWN.contains(n))
        .chain(["include"])
        .collect();
    let mut out = Vec::new();
    for item in items.iter() {
        let NodeValue::Map(entries) = &item.value else {
            errors.push(err(
                item.span,
                format!(
                    "each entry of `pages` should be a mapping, but this is {}",
                    item.value.describe()
                ),
                "write `- include: [\"site/**\"]` and the message fields the pages share",
            ));
            continue;
        };
        let mut include = Vec::new();
        let mut fields = Vec::new();
        let mut has_include = false;
        for (k, v) in entries.iter() {
            let Some(name) = k.as_text() else { continue };
            if name == "include" {
                has_include = true;
                let globs: Vec<&Node> = match &v.value {
                    NodeValue::List(l) => l.iter().collect(),
                    _ => vec![v],
                };
                for g in globs {
                    match g.as_text() {
                        Some(t) => match check_glob(t) {
                            Ok(()) => include.push(t.trim_start_matches("./").to_owned()),
                            Err(why) => errors.push(err(
                                g.span,
                                format!("`{t}` is not a glob align can read: {why}"),
                                "write globs like \"site/content/**/*.md\"",
                            )),
                        },
                        None => errors.push(err(
                            g.span,
                            format!("each `include` of a page entry should be a glob (text), but this is {}", g.value.describe()),
                            "write globs like \"site/content/**/*.md\"",
                        )),
                    }
                }
            } else if PAGE_OWN.contains(&name) {
                errors.push(err(
                    k.span,
                    format!("a `pages` entry cannot set `{name}`: each page has its own"),
                    "set it in the page's front matter (`align: {...}`) or meta tags",
                ));
            } else if !allowed.contains(&name) {
                let help = match did_you_mean(name, allowed.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "an entry takes `include` and message fields: {}",
                        allowed.join(", ")
                    ),
                };
                errors.push(err(
                    k.span,
                    format!("`{name}` is not a field of a page"),
                    &help,
                ));
            } else {
                fields.push((k.clone(), v.clone()));
            }
        }
        if !has_include {
            errors.push(err(
                item.span,
                "this `pages` entry has no `include`, so it covers no file".to_owned(),
                "add `include: [\"site/**\"]` with the globs of the pages it covers",
            ));
            continue;
        }
        let globs = Globs::new(&Filter {
            include,
            exclude: Vec::new(),
            respect_ignore_files: false,
        });
        out.push(PageEntry { globs, fields });
    }
    out
}
