//! `align lsp` end to end: the built binary is spawned and spoken to in JSON-RPC over stdio,
//! as an editor would, on a project in a temporary folder.

#[path = "../../benches/support/jsonrpc.rs"]
mod jsonrpc;

use jsonrpc::read_message;
use serde_json::{Value, json};
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// How long to wait for an answer before failing (generous: the machine may be busy).
const WAIT: Duration = Duration::from_secs(30);

/// A client talking to one `align lsp` process.
pub(crate) struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// The latest diagnostics published for each URI.
    pub(crate) latest: std::collections::HashMap<String, Vec<Value>>,
    next_id: i64,
}

impl Client {
    /// Starts the server in `root` and initializes it; `utf8` offers UTF-8 positions.
    fn start(root: &Path, utf8: bool) -> (Client, Value) {
        Client::start_with(root, utf8, &[])
    }

    /// Like [`Client::start`], with more arguments to `align lsp`.
    pub(crate) fn start_with(root: &Path, utf8: bool, args: &[&str]) -> (Client, Value) {
        Client::start_from(root, root, utf8, args)
    }

    /// Like [`Client::start_with`], with the server started in the folder `cwd`, as an
    /// editor launched from elsewhere starts it.
    fn start_from(cwd: &Path, root: &Path, utf8: bool, args: &[&str]) -> (Client, Value) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_align"))
            .args(["lsp", "--poll-ms", "200"])
            .args(args)
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("align lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut r) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            incoming: rx,
            latest: std::collections::HashMap::new(),
            next_id: 1,
        };
        let mut general = json!({});
        if utf8 {
            general = json!({ "positionEncodings": ["utf-8", "utf-16"] });
        }
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri(root),
                "workspaceFolders": [{ "uri": uri(root), "name": "project" }],
                "capabilities": {
                    "general": general,
                    "textDocument": { "publishDiagnostics": { "relatedInformation": true } }
                }
            }),
        );
        client.notify("initialized", json!({}));
        (client, result)
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    pub(crate) fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn next(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.incoming.recv_timeout(left) {
            Ok(v) => Some(v),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => panic!("the server went away"),
        }
    }

    /// Looks at a message from the server: keeps diagnostics, answers the server's requests.
    /// Returns it when it is something else.
    fn take(&mut self, msg: Value) -> Option<Value> {
        if msg["method"] == "textDocument/publishDiagnostics" {
            let uri = msg["params"]["uri"].as_str().unwrap_or("").to_owned();
            let list = msg["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            self.latest.insert(uri, list);
            return None;
        }
        if msg.get("method").is_some() && msg.get("id").is_some() {
            // A request from the server (registration): answer it.
            let rid = msg["id"].clone();
            self.send(json!({ "jsonrpc": "2.0", "id": rid, "result": null }));
            return None;
        }
        Some(msg)
    }

    pub(crate) fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let deadline = Instant::now() + WAIT;
        while let Some(msg) = self.next(deadline) {
            let Some(msg) = self.take(msg) else { continue };
            if msg.get("id") == Some(&json!(id)) {
                assert!(msg.get("error").is_none(), "{method} failed: {msg}");
                return msg["result"].clone();
            }
        }
        panic!("no answer to {method}");
    }

    /// Waits until the latest diagnostics published for `file` satisfy `check`; returns them.
    fn diagnostics_until(
        &mut self,
        file: &Path,
        what: &str,
        check: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        let want = uri(file);
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(l) = self.latest.get(&want) {
                if check(l) {
                    return l.clone();
                }
            }
            match self.next(deadline) {
                Some(msg) => {
                    self.take(msg);
                }
                None => panic!(
                    "diagnostics of {} never showed {what}; last: {:#?}",
                    file.display(),
                    self.latest.get(&want)
                ),
            }
        }
    }

    fn open(&mut self, file: &Path) {
        let text = std::fs::read_to_string(file).expect("read");
        let language = if file.extension().is_some_and(|x| x == "align") {
            "align"
        } else {
            "yaml"
        };
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": {
                "uri": uri(file), "languageId": language, "version": 1, "text": text
            }}),
        );
    }

    /// Replaces the whole text of an open document.
    fn change_all(&mut self, file: &Path, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri(file), "version": version },
                "contentChanges": [{ "text": text }]
            }),
        );
    }

    fn shutdown(mut self) {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(status.success(), "exit status {status:?}");
                return;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
    align::lsp::uri::from_path(path)
        .expect("file uri")
        .as_str()
        .to_owned()
}

fn codes(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_owned())
        .collect()
}

fn has(list: &[Value], rule: &str) -> bool {
    codes(list).iter().any(|c| c == rule)
}

const SEGMENTS: &str = "segments:\n  - id: seg-a\n    name: Finance teams\n";
const NEEDS: &str = "needs:\n  - id: need-a\n    statement: Close the month faster\n    priority: high\n    segment: seg-a\n";
const EVIDENCE: &str = "evidence:\n  - id: ev-a\n    kind: survey\n    sample_size: 40\n    date: 2026-10-01\n    segment: seg-a\n    supports: [need-a]\n";
const FEATURES: &str = "features:\n  - id: feat-a\n    name: Close workspace\n    status: shipped\n    facts:\n      uptime_pct: 99.9\n    addresses: [need-a]\n  - id: feat-beta\n    name: Smart matching\n    status: beta\n    addresses: [need-a]\n";
const PROPOSITIONS: &str = "propositions:\n  - id: prop-a\n    statement: Close the month in days\n    segment: seg-a\n    needs: [need-a]\n    features: [feat-a]\n";
const MESSAGES: &str = "messages:\n  - id: msg-a\n    proposition: prop-a\n    features: [feat-a]\n    text: Café 😀 guaranteed savings\n  - id: msg-beta\n    proposition: prop-a\n    features: [feat-beta]\n    text: Try Smart matching today\n";

/// A small project: every file consistent, one overpromising message, one beta feature.
fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    for (name, text) in [
        ("align.yaml", "today: 2026-11-26\n"),
        ("segments.yaml", SEGMENTS),
        ("needs.yaml", NEEDS),
        ("evidence.yaml", EVIDENCE),
        ("features.yaml", FEATURES),
        ("propositions.yaml", PROPOSITIONS),
        ("messages.yaml", MESSAGES),
    ] {
        std::fs::write(root.join(name), text).expect("write");
    }
    (dir, root)
}

fn find<'a>(list: &'a [Value], rule: &str) -> &'a Value {
    list.iter()
        .find(|d| d["code"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {list:#?}"))
}

#[test]
fn diagnostics_count_columns_in_utf16_by_default() {
    let (_dir, root) = project();
    let (client, init) = Client::start(&root, false);
    let mut client = client;
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    let messages = root.join("messages.yaml");
    let list = client.diagnostics_until(&messages, "an unsubstantiated claim", |l| {
        has(l, "overpromise/unsubstantiated-claim")
    });
    let d = find(&list, "overpromise/unsubstantiated-claim");
    // "    text: Café 😀 guaranteed": é is one UTF-16 unit, the emoji two.
    assert_eq!(d["range"]["start"], json!({ "line": 4, "character": 18 }));
    assert_eq!(d["range"]["end"], json!({ "line": 4, "character": 28 }));
    assert_eq!(d["source"], "align");
    assert_eq!(d["severity"], 2, "a warning");
    assert!(
        d["message"]
            .as_str()
            .is_some_and(|m| m.contains("guaranteed")),
        "{d}"
    );
    client.shutdown();
}

#[test]
fn diagnostics_count_bytes_when_the_client_offers_utf8() {
    let (_dir, root) = project();
    let (mut client, init) = Client::start(&root, true);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let messages = root.join("messages.yaml");
    let list = client.diagnostics_until(&messages, "an unsubstantiated claim", |l| {
        has(l, "overpromise/unsubstantiated-claim")
    });
    let d = find(&list, "overpromise/unsubstantiated-claim");
    // é is two bytes, the emoji four.
    assert_eq!(d["range"]["start"], json!({ "line": 4, "character": 21 }));
    client.shutdown();
}

#[test]
fn related_information_points_at_the_other_entities() {
    let (_dir, root) = project();
    std::fs::write(
        root.join("more-needs.yaml"),
        "needs:\n  - id: need-a\n    statement: A duplicate\n",
    )
    .expect("write");
    let (mut client, _) = Client::start(&root, false);
    let dup = client.diagnostics_until(&root.join("more-needs.yaml"), "a duplicate id", |l| {
        has(l, "hygiene/duplicate-id")
    });
    let related = &find(&dup, "hygiene/duplicate-id")["relatedInformation"][0];
    assert_eq!(
        related["location"]["uri"],
        json!(uri(&root.join("needs.yaml")))
    );
    assert_eq!(related["location"]["range"]["start"]["line"], 1);

    let msgs = client.diagnostics_until(&root.join("messages.yaml"), "the beta feature", |l| {
        has(l, "overpromise/unshipped-feature")
    });
    let d = find(&msgs, "overpromise/unshipped-feature");
    assert_eq!(d["severity"], 1, "an error");
    let related = &d["relatedInformation"][0];
    assert_eq!(
        related["location"]["uri"],
        json!(uri(&root.join("features.yaml")))
    );
    assert!(
        related["message"]
            .as_str()
            .is_some_and(|m| m.contains("beta"))
    );
    client.shutdown();
}

#[test]
fn an_edit_in_one_file_lights_up_and_clears_another() {
    let (_dir, root) = project();
    let (mut client, _) = Client::start(&root, false);
    let evidence = root.join("evidence.yaml");
    let propositions = root.join("propositions.yaml");
    client.diagnostics_until(&root.join("messages.yaml"), "the first check", |l| {
        !l.is_empty()
    });
    client.open(&evidence);
    // The unsaved buffer is what counts: drop the only evidence for the need.
    let without = EVIDENCE.replace("    supports: [need-a]\n", "");
    client.change_all(&evidence, 2, &without);
    let list = client.diagnostics_until(&propositions, "the proposition without evidence", |l| {
        has(l, "listening/proposition-without-evidence")
    });
    let d = find(&list, "listening/proposition-without-evidence");
    assert_eq!(d["range"]["start"]["line"], 2, "at the statement");
    // Put it back: the proposition clears (published empty).
    client.change_all(&evidence, 3, EVIDENCE);
    client.diagnostics_until(&propositions, "no diagnostics", |l| l.is_empty());
    client.shutdown();
}

#[test]
fn incremental_edits_with_non_ascii_text_land_in_the_right_place() {
    let (_dir, root) = project();
    let (mut client, _) = Client::start(&root, false);
    let messages = root.join("messages.yaml");
    client.open(&messages);
    client.diagnostics_until(&messages, "the claim", |l| {
        has(l, "overpromise/unsubstantiated-claim")
    });
    // Replace "guaranteed" (UTF-16 columns 18..28 on line 4) with "real".
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri(&messages), "version": 2 },
            "contentChanges": [{
                "range": { "start": { "line": 4, "character": 18 }, "end": { "line": 4, "character": 28 } },
                "text": "real"
            }]
        }),
    );
    client.diagnostics_until(&messages, "the claim gone", |l| {
        !has(l, "overpromise/unsubstantiated-claim")
    });
    client.shutdown();
}

#[test]
fn go_to_definition_and_hover_on_references() {
    let (_dir, root) = project();
    let (mut client, _) = Client::start(&root, false);
    let propositions = root.join("propositions.yaml");
    client.open(&propositions);
    // `    needs: [need-a]` is line 4; need-a starts at column 12.
    let at = json!({ "textDocument": { "uri": uri(&propositions) }, "position": { "line": 4, "character": 14 } });
    let def = client.request("textDocument/definition", at.clone());
    assert_eq!(def[0]["uri"], json!(uri(&root.join("needs.yaml"))));
    assert_eq!(
        def[0]["range"]["start"],
        json!({ "line": 1, "character": 8 })
    );

    let hover = client.request("textDocument/hover", at);
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(text.contains("need `need-a`"), "{text}");
    assert!(text.contains("Close the month faster"), "{text}");
    assert!(text.contains("evidence: **1** item"), "{text}");

    // A feature shows its status; `    features: [feat-a]` is line 5.
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri(&propositions) }, "position": { "line": 5, "character": 17 } }),
    );
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(text.contains("status: **shipped**"), "{text}");
    client.shutdown();
}

#[test]
fn hover_and_definition_on_a_library_claim() {
    let (_dir, root) = project();
    std::fs::write(
        root.join("claims.yaml"),
        "claims:\n  - id: clm-a\n    text: Close the month in days.\n    status: approved\n    expires: 2027-01-31\n    channels: [web]\n    approvals:\n      - {role: legal, by: Sam Reed, date: 2026-10-03}\n",
    )
    .expect("write");
    let launch = root.join("launch.yaml");
    std::fs::write(
        &launch,
        "messages:\n  - id: msg-l\n    proposition: prop-a\n    text: Month-end, done.\n    claims: [{claim: clm-a}]\n",
    )
    .expect("write");
    let (mut client, _) = Client::start(&root, false);
    client.open(&launch);
    // `    claims: [{claim: clm-a}]` is line 4; clm-a starts at column 22.
    let at = json!({ "textDocument": { "uri": uri(&launch) }, "position": { "line": 4, "character": 23 } });
    let def = client.request("textDocument/definition", at.clone());
    assert_eq!(def[0]["uri"], json!(uri(&root.join("claims.yaml"))));
    let hover = client.request("textDocument/hover", at);
    let text = hover["contents"]["value"].as_str().expect("markdown");
    for words in [
        "claim `clm-a`",
        "Close the month in days.",
        "status: **approved**",
        "expires: 2027-01-31",
        "channels: web",
        "legal (Sam Reed, 2026-10-03)",
    ] {
        assert!(text.contains(words), "{words:?} not in {text}");
    }
    client.shutdown();
}

#[test]
fn hover_on_a_finding_explains_its_rule() {
    let (_dir, root) = project();
    let (mut client, _) = Client::start(&root, false);
    let messages = root.join("messages.yaml");
    client.open(&messages);
    client.diagnostics_until(&messages, "the claim", |l| {
        has(l, "overpromise/unsubstantiated-claim")
    });
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri(&messages) }, "position": { "line": 4, "character": 20 } }),
    );
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(text.contains("overpromise/unsubstantiated-claim"), "{text}");
    assert!(text.contains("## Why it matters"), "{text}");
    client.shutdown();
}

#[test]
fn completion_offers_ids_of_the_right_kind() {
    let (_dir, root) = project();
    let (mut client, _) = Client::start(&root, false);
    let propositions = root.join("propositions.yaml");
    client.open(&propositions);
    let typed = PROPOSITIONS.replace("    features: [feat-a]\n", "    features: [feat-a, f\n");
    client.change_all(&propositions, 2, &typed);
    let result = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri(&propositions) }, "position": { "line": 5, "character": 24 } }),
    );
    let labels: Vec<&str> = result["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(labels.contains(&"feat-beta"), "{labels:?}");
    assert!(labels.contains(&"feat-a"), "{labels:?}");
    assert!(!labels.contains(&"need-a"), "only features: {labels:?}");
    client.shutdown();
}

/// The "Suppress ... with a reason" quick fix among code actions.
fn suppress_action(actions: &[Value]) -> &Value {
    actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Suppress"))
        })
        .expect("a suppression")
}

fn actions_at(client: &mut Client, file: &Path, line: u64) -> Vec<Value> {
    let result = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri(file) },
            "range": { "start": { "line": line, "character": 0 }, "end": { "line": line, "character": 40 } },
            "context": { "diagnostics": [] }
        }),
    );
    result.as_array().cloned().unwrap_or_default()
}

#[test]
fn code_actions_suppress_with_a_reason_and_mention_beta() {
    let (_dir, root) = project();
    let (mut client, _) = Client::start(&root, false);
    let messages = root.join("messages.yaml");
    client.open(&messages);
    client.diagnostics_until(&messages, "both findings", |l| {
        has(l, "overpromise/unsubstantiated-claim") && has(l, "overpromise/unshipped-feature")
    });
    let file_uri = uri(&messages);

    let claim = actions_at(&mut client, &messages, 4);
    let suppress = suppress_action(&claim);
    let edit = &suppress["edit"]["changes"][&file_uri][0];
    assert_eq!(
        edit["newText"],
        " # align-ignore: overpromise/unsubstantiated-claim -- "
    );
    // At the end of line 4, "    text: Café 😀 guaranteed savings" (35 UTF-16 units).
    assert_eq!(
        edit["range"]["start"],
        json!({ "line": 4, "character": 36 })
    );

    // msg-beta names the beta feature on line 7 (`features: [feat-beta]`).
    let beta = actions_at(&mut client, &messages, 7);
    let mention = beta
        .iter()
        .find(|a| a["title"].as_str().is_some_and(|t| t.contains("beta")))
        .expect("mention beta");
    let edit = &mention["edit"]["changes"][&file_uri][0];
    assert_eq!(edit["newText"], " (beta)");
    // After "Smart matching" in "    text: Try Smart matching today" (line 8).
    assert_eq!(
        edit["range"]["start"],
        json!({ "line": 8, "character": 28 })
    );

    // Applying it clears the finding.
    let fixed = MESSAGES.replace(
        "Try Smart matching today",
        "Try Smart matching (beta) today",
    );
    client.change_all(&messages, 2, &fixed);
    client.diagnostics_until(&messages, "the beta finding gone", |l| {
        !has(l, "overpromise/unshipped-feature")
    });
    client.shutdown();
}

#[test]
fn files_changed_on_disk_are_noticed_without_notifications() {
    let (_dir, root) = project();
    let (mut client, _) = Client::start(&root, false);
    let propositions = root.join("propositions.yaml");
    client.diagnostics_until(&root.join("messages.yaml"), "the first check", |l| {
        !l.is_empty()
    });
    // Not open in the editor, and no didChangeWatchedFiles: the server polls.
    std::fs::write(
        root.join("evidence.yaml"),
        EVIDENCE.replace("    supports: [need-a]\n", ""),
    )
    .expect("write");
    client.diagnostics_until(&propositions, "the proposition without evidence", |l| {
        has(l, "listening/proposition-without-evidence")
    });
    std::fs::write(root.join("evidence.yaml"), EVIDENCE).expect("write");
    client.diagnostics_until(&propositions, "no diagnostics", |l| l.is_empty());
    client.shutdown();
}

#[test]
fn configuration_and_rule_files_reload_everything() {
    let (_dir, root) = project();
    let (mut client, _) = Client::start(&root, false);
    let messages = root.join("messages.yaml");
    client.diagnostics_until(&messages, "the claim", |l| {
        has(l, "overpromise/unsubstantiated-claim")
    });
    // Turning the rule off in the (unsaved) configuration clears its findings.
    let config = root.join("align.yaml");
    client.open(&config);
    client.change_all(
        &config,
        2,
        "today: 2026-11-26\nrules_dirs: [rules]\nrules:\n  overpromise/unsubstantiated-claim: off\n",
    );
    client.diagnostics_until(&config, "the missing rules folder", |l| {
        has(l, "load/config")
    });
    client.diagnostics_until(&messages, "the claim gone", |l| {
        !has(l, "overpromise/unsubstantiated-claim")
    });
    // A team rule file with a mistake is reported in the rule file, live.
    std::fs::create_dir(root.join("rules")).expect("mkdir");
    let rules = root.join("rules/team.align");
    std::fs::write(&rules, "rule r {\n  for p in propositons\n}\n").expect("write");
    client.open(&rules);
    let list = client.diagnostics_until(&rules, "the unknown kind", |l| has(l, "load/rules"));
    assert_eq!(list[0]["range"]["start"]["line"], 1);
    client.change_all(&rules, 2, "rule r {\n  for p in propositions\n}\n");
    client.diagnostics_until(&rules, "no diagnostics", |l| l.is_empty());
    client.shutdown();
}

#[test]
fn the_server_survives_rule_files_nested_deeper_than_the_stack() {
    let (_dir, root) = project();
    std::fs::write(
        root.join("align.yaml"),
        "today: 2026-11-26\nrules_dirs: [rules]\n",
    )
    .expect("write");
    std::fs::create_dir(root.join("rules")).expect("mkdir");
    let rules = root.join("rules/team.align");
    let head = "rule r {\n  for p in propositions\n  where ";
    let tail = "\n  report \"x\"\n}\n";
    let parens = format!(
        "{head}{}some p.id{}{tail}",
        "(".repeat(2000),
        ")".repeat(2000)
    );
    std::fs::write(&rules, &parens).expect("write");
    let (mut client, _) = Client::start(&root, false);
    let list = client.diagnostics_until(&rules, "the nesting error", |l| has(l, "load/rules"));
    assert!(
        list.iter().any(|d| d["message"]
            .as_str()
            .is_some_and(|m| m.contains("levels deep"))),
        "{list:#?}"
    );
    // Typed in, one `not` at a time would be slow to send: the editor sends the whole text.
    client.open(&rules);
    let nots = format!("{head}{}some p.id{tail}", "not ".repeat(10_000));
    client.change_all(&rules, 2, &nots);
    client.diagnostics_until(&rules, "the error at the 65th `not`", |l| {
        l.iter()
            .any(|d| d["range"]["start"]["character"] == 8 + 64 * 4)
    });
    client.change_all(&rules, 3, &format!("{head}some p.id{tail}"));
    client.diagnostics_until(&rules, "no diagnostics", |l| l.is_empty());
    let propositions = root.join("propositions.yaml");
    client.diagnostics_until(&propositions, "the team rule's finding", |l| {
        has(l, "team/r")
    });
    client.shutdown();
}

/// Every finding shown, as comparable rows.
fn rows(p: &align::lsp::project::Project) -> Vec<(String, String, u32, u32, String)> {
    let mut out: Vec<_> = p
        .all_shown()
        .map(|f| {
            let span = f.span.expect("located");
            let path = p.path_of(span.file).expect("path").display().to_string();
            (
                path,
                f.rule.clone(),
                span.start,
                span.end,
                f.message.clone(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn incremental_evaluation_agrees_with_a_full_check() {
    use align::lsp::project::Project;
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    let example = crate::support::root().join("examples/ledgerly");
    for entry in walkdir::WalkDir::new(&example) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(&example).expect("under");
        let to = root.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &to).expect("copy");
        }
    }
    let mut live = Project::load(&root, std::collections::HashMap::new());
    live.evaluate();
    let read = |rel: &str| std::fs::read_to_string(root.join(rel)).expect("read");
    // Each edit is (file, from, to): applied to the live project as an unsaved buffer.
    let edits: &[(&str, &str, &str)] = &[
        (
            "evidence/interviews.yaml",
            "supports: [need-faster-close, need-invoice-matching]",
            "supports: []",
        ),
        ("features.yaml", "status: shipped", "status: planned"),
        (
            "needs/midmarket.yaml",
            "id: need-faster-close",
            "id: need-faster-closing",
        ),
        (
            "messages/web.yaml",
            "Close the month in days",
            "Always close the month in days",
        ),
        (
            "segments.yaml",
            "segments:",
            "segments:\n  - id: seg-midmarket-finance\n    name: Twice\n",
        ),
        (
            "propositions.yaml",
            "evidence: [",
            "evidence: [ev-missing, ",
        ),
        (
            "evidence/interviews.yaml",
            "supports: []",
            "supports: [need-faster-close, need-invoice-matching]",
        ),
    ];
    let mut texts: std::collections::HashMap<PathBuf, String> = std::collections::HashMap::new();
    for (file, from, to) in edits {
        let path = root.join(file);
        let current = texts.get(&path).cloned().unwrap_or_else(|| read(file));
        assert!(current.contains(from), "{file} has {from}");
        let next = current.replacen(from, to, 1);
        texts.insert(path.clone(), next.clone());
        live.set_overlay(&path, next);
        live.evaluate();
        assert!(!live.last.full, "an edit is evaluated incrementally");
        let mut fresh = Project::load(&root, texts.clone());
        fresh.evaluate();
        assert_eq!(rows(&live), rows(&fresh), "after editing {file}");
    }
}

#[test]
fn paths_in_messages_are_relative_to_the_workspace_wherever_the_editor_started() {
    let (_dir, root) = project();
    std::fs::write(
        root.join("more-needs.yaml"),
        "needs:\n  - id: need-a\n    statement: A duplicate\n",
    )
    .expect("write");
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let (mut client, _) = Client::start_from(elsewhere.path(), &root, false, &[]);
    let dup = client.diagnostics_until(&root.join("more-needs.yaml"), "a duplicate id", |l| {
        has(l, "hygiene/duplicate-id")
    });
    let message = find(&dup, "hygiene/duplicate-id")["message"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    assert!(
        message.contains("the other is at needs.yaml:2"),
        "{message}"
    );
    client.shutdown();
}

fn actions_for(
    client: &mut Client,
    file: &Path,
    line: u64,
    character: u64,
    context: Value,
) -> Vec<Value> {
    let result = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri(file) },
            "range": { "start": { "line": line, "character": character }, "end": { "line": line, "character": character } },
            "context": { "diagnostics": context }
        }),
    );
    result.as_array().cloned().unwrap_or_default()
}

fn titles(actions: &[Value]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| a["title"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn quick_fixes_are_offered_anywhere_on_the_line_and_for_named_diagnostics() {
    let (_dir, root) = project();
    let (mut client, _) = Client::start(&root, false);
    let messages = root.join("messages.yaml");
    client.open(&messages);
    let list = client.diagnostics_until(&messages, "both findings", |l| {
        has(l, "overpromise/unsubstantiated-claim") && has(l, "overpromise/unshipped-feature")
    });
    // The cursor at the start of line 4, away from the underlined words.
    let at_start = actions_for(&mut client, &messages, 4, 0, json!([]));
    assert!(
        titles(&at_start)
            .iter()
            .any(|t| t.contains("overpromise/unsubstantiated-claim")),
        "{at_start:#?}"
    );
    // A diagnostic named in the context is answered even when the range is elsewhere.
    let beta = find(&list, "overpromise/unshipped-feature").clone();
    let named = actions_for(&mut client, &messages, 0, 0, json!([beta]));
    assert!(
        titles(&named).iter().any(|t| t.contains("beta")),
        "{named:#?}"
    );
    client.shutdown();
}

#[test]
fn no_suppression_fix_inside_a_folded_text() {
    let (_dir, root) = project();
    let folded = MESSAGES.replace(
        "    text: Café 😀 guaranteed savings\n",
        "    text: >\n      Café 😀 guaranteed\n      savings\n",
    );
    let messages = root.join("messages.yaml");
    std::fs::write(&messages, &folded).expect("write");
    let (mut client, _) = Client::start(&root, false);
    client.open(&messages);
    client.diagnostics_until(&messages, "the claim", |l| {
        has(l, "overpromise/unsubstantiated-claim")
    });
    let inside = actions_for(&mut client, &messages, 5, 10, json!([]));
    assert!(
        !titles(&inside).iter().any(|t| t.starts_with("Suppress")),
        "a comment would become copy, an empty reason would silence: {inside:#?}"
    );
    client.shutdown();
}

#[test]
fn pages_get_diagnostics_navigation_and_actions_live() {
    let (_dir, root) = project();
    let page = "---\nalign:\n  id: page-home\n  proposition: prop-a\n  features: [feat-a]\n---\n\n# Home\n\nClose in days, **guaranteed**.\n";
    std::fs::create_dir_all(root.join("site")).expect("folder");
    let file = root.join("site/home.md");
    std::fs::write(&file, page).expect("write");
    let (mut client, _) = Client::start(&root, false);
    client.open(&file);
    let list = client.diagnostics_until(&file, "the claim on the page", |l| {
        has(l, "overpromise/unsubstantiated-claim")
    });
    let d = find(&list, "overpromise/unsubstantiated-claim");
    // "Close in days, **guaranteed**." is line 9; the word starts after "Close in days, **".
    assert_eq!(d["range"]["start"], json!({ "line": 9, "character": 17 }));
    assert_eq!(d["range"]["end"], json!({ "line": 9, "character": 27 }));

    // Go to definition and hover on the front matter's proposition (line 3).
    let at = json!({ "textDocument": { "uri": uri(&file) }, "position": { "line": 3, "character": 17 } });
    let def = client.request("textDocument/definition", at.clone());
    assert_eq!(def[0]["uri"], json!(uri(&root.join("propositions.yaml"))));
    let hover = client.request("textDocument/hover", at);
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(text.contains("proposition `prop-a`"), "{text}");

    // The suppression is a comment at the end of the page's line.
    let actions = actions_at(&mut client, &file, 9);
    let suppress = suppress_action(&actions);
    let edit = &suppress["edit"]["changes"][&uri(&file)][0];
    assert_eq!(
        edit["newText"],
        " <!-- align-ignore: overpromise/unsubstantiated-claim --  -->"
    );
    assert_eq!(
        edit["range"]["start"],
        json!({ "line": 9, "character": 30 })
    );

    // An edit of the buffer clears it, live.
    client.change_all(&file, 2, &page.replace("**guaranteed**", "with care"));
    client.diagnostics_until(&file, "the claim gone", |l| {
        !has(l, "overpromise/unsubstantiated-claim")
    });
    client.shutdown();
}
