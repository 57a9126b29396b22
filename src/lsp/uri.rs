//! `file:` URIs to paths and back.
//!
//! Only `file:` URIs name files align can read; any other scheme (an unsaved "untitled"
//! buffer, a remote file) is left alone.

use lsp_types::Uri;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The path a `file:` URI names, or `None` for other schemes.
pub fn to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://host/path`: only an empty host or `localhost` is this machine.
    let (host, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => return None,
    };
    if !host.is_empty() && !host.eq_ignore_ascii_case("localhost") {
        return None;
    }
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let decoded = percent_decode(path)?;
    if cfg!(windows) {
        // `/C:/Users/...` → `C:/Users/...`.
        if let [b'/', _, b':', ..] = decoded.as_bytes() {
            return Some(PathBuf::from(&decoded[1..]));
        }
    }
    Some(PathBuf::from(decoded))
}

/// The `file:` URI of an absolute path.
pub fn from_path(path: &Path) -> Option<Uri> {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !s.starts_with('/') {
        out.push('/');
    }
    for b in s.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"/-._~:".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&out).ok()
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_paths_with_spaces_and_accents() {
        let path = Path::new("/home/ana/Marketing é/gtm plan.yaml");
        let uri = from_path(path).expect("uri");
        assert_eq!(
            uri.as_str(),
            "file:///home/ana/Marketing%20%C3%A9/gtm%20plan.yaml"
        );
        assert_eq!(to_path(&uri).as_deref(), Some(path));
        let other = Uri::from_str("untitled:Untitled-1").expect("uri");
        assert_eq!(to_path(&other), None);
    }
}
