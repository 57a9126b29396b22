//! Finding the files to check: walks the given paths, keeps YAML files that the include and
//! exclude patterns allow, and never descends into `.git`, `target` or `node_modules`.

use std::path::{Path, PathBuf};

/// Folders never walked into.
pub const ALWAYS_SKIPPED: &[&str] = &[".git", "target", "node_modules"];

/// The config file's name; never read as data.
pub const CONFIG_FILE: &str = "align.yaml";

/// A file found, or a path that could not be walked.
#[derive(Debug)]
pub enum Found {
    /// A YAML file to load.
    File(PathBuf),
    /// A path that could not be read, and why.
    Unreadable(PathBuf, String),
}

/// Include and exclude patterns (`**/*.yaml`, `vendor/**`), relative to the walked root.
#[derive(Debug, Clone)]
pub struct Filter {
    /// A file must match one of these.
    pub include: Vec<String>,
    /// A file or folder matching one of these is skipped.
    pub exclude: Vec<String>,
}

impl Default for Filter {
    fn default() -> Self {
        Filter {
            include: vec!["**/*.yaml".to_owned(), "**/*.yml".to_owned()],
            exclude: Vec::new(),
        }
    }
}

/// Every YAML file under `paths`, in a stable order.
pub fn discover(paths: &[PathBuf], filter: &Filter) -> Vec<Found> {
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
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                let name = e.file_name().to_string_lossy();
                if e.depth() > 0
                    && e.file_type().is_dir()
                    && ALWAYS_SKIPPED.contains(&name.as_ref())
                {
                    return false;
                }
                let rel = relative(e.path(), root);
                !(e.depth() > 0 && filter.exclude.iter().any(|p| glob_match(p, &rel)))
            });
        for entry in walker {
            match entry {
                Ok(e) => {
                    if !e.file_type().is_file() {
                        continue;
                    }
                    let rel = relative(e.path(), root);
                    if e.file_name() == CONFIG_FILE && e.depth() == 1 {
                        continue;
                    }
                    if filter.include.iter().any(|p| glob_match(p, &rel)) {
                        out.push(Found::File(e.into_path()));
                    }
                }
                Err(err) => {
                    let path = err
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| root.clone());
                    let why = if err.loop_ancestor().is_some() {
                        "a symbolic link loops back to a folder above it; it is not followed"
                            .to_owned()
                    } else {
                        err.io_error()
                            .map(|e| plain_io(&path, e))
                            .unwrap_or_else(|| "it could not be read".to_owned())
                    };
                    out.push(Found::Unreadable(path, why));
                }
            }
        }
    }
    out
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

fn relative(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

/// Matches a path against a glob: `*` (within a folder), `**` (across folders), `?`.
/// A pattern without `/` also matches a file or folder name anywhere.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    if !pattern.contains('/') {
        return path
            .split('/')
            .any(|part| glob_segment(pattern.as_bytes(), part.as_bytes()))
            || glob_parts(&[pattern], &path.split('/').collect::<Vec<_>>());
    }
    let pat: Vec<&str> = pattern.trim_start_matches("./").split('/').collect();
    let parts: Vec<&str> = path.split('/').collect();
    glob_parts(&pat, &parts)
}

fn glob_parts(pat: &[&str], parts: &[&str]) -> bool {
    match pat.split_first() {
        None => parts.is_empty(),
        Some((&"**", rest)) => {
            if rest.is_empty() {
                return true;
            }
            (0..=parts.len()).any(|i| glob_parts(rest, parts.get(i..).unwrap_or(&[])))
        }
        Some((p, rest)) => match parts.split_first() {
            Some((part, more)) => {
                glob_segment(p.as_bytes(), part.as_bytes()) && glob_parts(rest, more)
            }
            None => false,
        },
    }
}

fn glob_segment(p: &[u8], s: &[u8]) -> bool {
    // Iterative matcher with one backtrack point: linear in practice, never exponential.
    let (mut pi, mut si) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while si < s.len() {
        match p.get(pi) {
            Some(b'?') => {
                pi += 1;
                si += 1;
            }
            Some(b'*') => {
                star = Some(pi);
                mark = si;
                pi += 1;
            }
            Some(c) if *c == s[si] => {
                pi += 1;
                si += 1;
            }
            _ => match star {
                Some(sp) => {
                    pi = sp + 1;
                    mark += 1;
                    si = mark;
                }
                None => return false,
            },
        }
    }
    while p.get(pi) == Some(&b'*') {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("**/*.yaml", "a.yaml"));
        assert!(glob_match("**/*.yaml", "x/y/a.yaml"));
        assert!(!glob_match("**/*.yaml", "x/y/a.yml"));
        assert!(glob_match("vendor/**", "vendor/a/b.yaml"));
        assert!(!glob_match("vendor/**", "src/vendor.yaml"));
        assert!(glob_match("drafts", "messages/drafts"));
        assert!(glob_match("*.tmp.yaml", "a/b.tmp.yaml"));
    }
}
