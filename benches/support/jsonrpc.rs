//! Reading Language Server Protocol messages from `align lsp`'s standard output, shared by the
//! edit-latency benchmark and the end-to-end tests.

use serde_json::Value;
use std::io::BufRead;

/// Reads one `Content-Length`-framed JSON-RPC message; `None` at the end of the stream or on
/// a message that is not JSON.
pub fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0u8; len?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}
