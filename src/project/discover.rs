//! Finding the files to check: walks the given paths, keeps YAML files that the include and
//! exclude patterns allow, respects `.gitignore` files, and never descends into `.git`,
//! `target` or `node_modules`.
//!
//! Walking is the `ignore` crate's (the walker ripgrep uses): it reads `.gitignore`,
//! `.ignore` and `.git/info/exclude` the way git does, so generated and private files a
//! repository ignores are not checked. Patterns are `globset`'s, matched on whole
//! characters: `caf?.yaml` matches `café.yaml`, `b[ab].yaml` matches `ba.yaml`.

use globset::GlobBuilder;
use regex::RegexSet;
use std::path::{Path, PathBuf};

/// Folders never walked into.
pub(crate) const ALWAYS_SKIPPED: &[&str] = &[".git", "target", "node_modules"];

/// The config file's name; never read as data.
pub(crate) const CONFIG_FILE: &str = "align.yaml";

/// A file found, or a path that could not be walked.
#[derive(Debug)]
pub enum Found {
    /// A YAML file to load.
    File(PathBuf),
    /// A path that could not be read, and why.
    Unreadable(PathBuf, String),
}

/// Include and exclude patterns (`**/*.yaml`, `vendor/**`), relative to the walked root,
/// and whether ignore files (`.gitignore`) are respected.
#[derive(Debug, Clone)]
pub struct Filter {
    /// A file must match one of these.
    pub include: Vec<String>,
    /// A file or folder matching one of these is skipped.
    pub exclude: Vec<String>,
    /// Whether files that `.gitignore` (and `.ignore`, `.git/info/exclude`) leave out are
    /// left out too.
    pub respect_ignore_files: bool,
}

impl Default for Filter {
    fn default() -> Self {
        Filter {
            include: vec!["**/*.yaml".to_owned(), "**/*.yml".to_owned()],
            exclude: Vec::new(),
            respect_ignore_files: true,
        }
    }
}

/// The patterns of a [`Filter`], compiled.
#[derive(Debug, Clone)]
pub(crate) struct Globs {
    include: RegexSet,
    exclude: RegexSet,
}

impl Globs {
    /// Compiles the filter's patterns; a pattern that does not compile matches nothing (the
    /// configuration reports it, see [`check_glob`]).
    pub(crate) fn new(filter: &Filter) -> Globs {
        Globs {
            include: set(&filter.include),
            exclude: set(&filter.exclude),
        }
    }

    /// Whether a file at `rel` (relative to the root, `/`-separated) is data: included, and
    /// neither it nor a folder above it excluded.
    pub(crate) fn wants(&self, rel: &str) -> bool {
        self.include.is_match(rel) && !self.excludes(rel)
    }

    /// Whether `rel`, or a folder it is in, is excluded.
    pub(crate) fn excludes(&self, rel: &str) -> bool {
        let mut prefix_end = 0;
        for part in rel.split('/') {
            prefix_end += part.len();
            if self.exclude.is_match(rel.get(..prefix_end).unwrap_or(rel)) {
                return true;
            }
            prefix_end += 1;
        }
        false
    }
}

/// Whether a pattern is a glob align can read, and why not.
pub(crate) fn check_glob(pattern: &str) -> Result<(), String> {
    regexes_of(pattern).and_then(|res| {
        RegexSet::new(res)
            .map(|_| ())
            .map_err(|_| "it is too large".to_owned())
    })
}

/// The regexes one pattern stands for: itself, and anywhere below when it has no `/`.
///
/// globset parses the pattern (`*`, `**`, `?`, `[ab]`, `{a,b}`, escapes) and writes it as a
/// regex over bytes; that regex is read back over characters, so that `?` and `[é]` stand
/// for one character of a name, not one byte of it.
fn regexes_of(pattern: &str) -> Result<Vec<String>, String> {
    let pattern = pattern.trim_start_matches("./");
    let build = |p: &str| {
        GlobBuilder::new(p)
            .literal_separator(true)
            .build()
            .map(|g| over_characters(g.regex()))
            .map_err(|e| e.kind().to_string())
    };
    let mut out = vec![build(pattern)?];
    if !pattern.contains('/') {
        out.push(build(&format!("**/{pattern}"))?);
    }
    Ok(out)
}

/// A globset regex, which matches bytes (`(?-u)`, non-ASCII characters as `\xNN` escapes),
/// as a regex over characters: the same pattern, with each character whole.
fn over_characters(bytes_regex: &str) -> String {
    let re = bytes_regex.strip_prefix("(?-u)").unwrap_or(bytes_regex);
    let mut out = String::with_capacity(re.len());
    let mut pending: Vec<u8> = Vec::new();
    let mut chars = re.chars().peekable();
    let flush = |pending: &mut Vec<u8>, out: &mut String| {
        if !pending.is_empty() {
            out.push_str(&regex::escape(&String::from_utf8_lossy(pending)));
            pending.clear();
        }
    };
    while let Some(c) = chars.next() {
        if c != '\\' {
            flush(&mut pending, &mut out);
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                match u8::from_str_radix(&hex, 16) {
                    Ok(b) => pending.push(b),
                    Err(_) => {
                        flush(&mut pending, &mut out);
                        out.push_str("\\x");
                        out.push_str(&hex);
                    }
                }
            }
            Some(next) => {
                flush(&mut pending, &mut out);
                out.push('\\');
                out.push(next);
            }
            None => {
                flush(&mut pending, &mut out);
                out.push('\\');
            }
        }
    }
    flush(&mut pending, &mut out);
    out
}

fn set(patterns: &[String]) -> RegexSet {
    let res: Vec<String> = patterns
        .iter()
        .filter_map(|p| regexes_of(p).ok())
        .flatten()
        .collect();
    RegexSet::new(res).unwrap_or_else(|_| RegexSet::empty())
}

/// Every YAML file under `paths`, in a stable order.
pub fn discover(paths: &[PathBuf], filter: &Filter) -> Vec<Found> {
    let globs = Globs::new(filter);
    let mut out = Vec::new();
    for root in paths {
        if root.is_file() {
            out.push(Found::File(root.clone()));
            continue;
        }
        if !root.exists() {
            out.push(Found::Unreadable(
                root.clone(),
                "no such file or folder".to_owned(),
            ));
            continue;
        }
        let walk_root = root.clone();
        let skip = globs.clone();
        let walker = ignore::WalkBuilder::new(root)
            .follow_links(true)
            .hidden(false)
            .parents(filter.respect_ignore_files)
            .ignore(filter.respect_ignore_files)
            .git_ignore(filter.respect_ignore_files)
            .git_global(false)
            .git_exclude(filter.respect_ignore_files)
            .require_git(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .filter_entry(move |e| {
                let depth = e.depth();
                if depth == 0 {
                    return true;
                }
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                let name = e.file_name().to_string_lossy();
                if is_dir && ALWAYS_SKIPPED.contains(&name.as_ref()) {
                    return false;
                }
                !skip.excludes(&relative(e.path(), &walk_root))
            })
            .build();
        for entry in walker {
            match entry {
                Ok(e) => {
                    if !e.file_type().is_some_and(|t| t.is_file()) {
                        continue;
                    }
                    if e.file_name() == CONFIG_FILE && e.depth() == 1 {
                        continue;
                    }
                    if globs.wants(&relative(e.path(), root)) {
                        out.push(Found::File(e.into_path()));
                    }
                }
                Err(err) => out.push(unreadable(root, &err)),
            }
        }
    }
    out
}

/// A path the walk could not read, and why, in plain words.
fn unreadable(root: &Path, err: &ignore::Error) -> Found {
    let mut path = root.to_path_buf();
    let mut looped = false;
    let mut io = None;
    let mut next = Some(err);
    while let Some(e) = next {
        next = match e {
            ignore::Error::WithPath { path: p, err } => {
                path = p.clone();
                Some(err.as_ref())
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                Some(err.as_ref())
            }
            ignore::Error::Loop { child, .. } => {
                path = child.clone();
                looped = true;
                None
            }
            ignore::Error::Io(e) => {
                io = Some(e);
                None
            }
            _ => None,
        };
    }
    let why = if looped {
        "a symbolic link loops back to a folder above it; it is not followed".to_owned()
    } else {
        match io {
            // The walker wraps the system's error in one of its own.
            Some(e) => plain_io(
                &path,
                e.get_ref()
                    .and_then(|inner| inner.downcast_ref::<walkdir::Error>())
                    .and_then(walkdir::Error::io_error)
                    .unwrap_or(e),
            ),
            None => format!("it could not be read ({err})"),
        }
    };
    Found::Unreadable(path, why)
}

/// Why a path could not be walked, in plain words.
fn plain_io(path: &Path, e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound if path.is_symlink() => {
            "it is a symbolic link to something that does not exist".to_owned()
        }
        K::NotFound => "it disappeared while align was reading the folder".to_owned(),
        K::PermissionDenied => "permission denied".to_owned(),
        // ELOOP: a link that points at itself, or a chain of links that never ends.
        _ if e.raw_os_error() == Some(40) => {
            "it is a symbolic link that loops back on itself; it is not followed".to_owned()
        }
        _ => e.to_string(),
    }
}

/// `path` relative to `root`, with `/` between folders.
pub(crate) fn relative(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compiled(include: &[&str], exclude: &[&str]) -> Globs {
        Globs::new(&Filter {
            include: include.iter().map(|s| s.to_string()).collect(),
            exclude: exclude.iter().map(|s| s.to_string()).collect(),
            respect_ignore_files: true,
        })
    }

    #[test]
    fn include_and_exclude() {
        let g = compiled(&["**/*.yaml"], &["vendor/**", "drafts", "*.tmp.yaml"]);
        assert!(g.wants("a.yaml"));
        assert!(g.wants("x/y/a.yaml"));
        assert!(!g.wants("x/y/a.yml"));
        assert!(!g.wants("vendor/a/b.yaml"));
        assert!(g.wants("src/vendor.yaml"));
        assert!(!g.wants("messages/drafts/a.yaml"), "a name anywhere");
        assert!(!g.wants("a/b.tmp.yaml"));
    }

    #[test]
    fn patterns_match_characters_and_classes() {
        let g = compiled(&["caf?.yaml", "b[ab].yaml", "x/*.yaml"], &[]);
        assert!(g.wants("café.yaml"), "`?` is one character, not one byte");
        assert!(g.wants("ba.yaml") && g.wants("bb.yaml") && !g.wants("bc.yaml"));
        assert!(
            g.wants("x/a.yaml") && !g.wants("x/y/a.yaml"),
            "`*` stays in its folder"
        );
        assert!(check_glob("[unclosed").is_err());
        let g = compiled(&["[éè]t?.yaml", "a\\[b].yaml", "{x,y}.yml"], &[]);
        assert!(g.wants("été.yaml") && g.wants("ètê.yaml") && !g.wants("ete.yaml"));
        assert!(
            g.wants("a[b].yaml") && !g.wants("ab.yaml"),
            "an escaped bracket"
        );
        assert!(g.wants("x.yml") && g.wants("y.yml"));
        assert!(check_glob("**/*.yaml").is_ok());
    }
}
