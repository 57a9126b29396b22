//! `align lsp`: the language server, over standard input and output.
//!
//! It speaks LSP with rust-analyzer's `lsp-server` (the transport and the message loop) and
//! `lsp-types` (the messages). The server is synchronous: one main loop owns the project and
//! handles one message at a time. Checking is CPU work on data already in memory, so an
//! async runtime would add a dependency and nothing else; the only other thread polls the
//! disk and hands snapshots to the loop over a channel.
//!
//! The flow of one edit: `didChange` updates the buffer (`position::apply_changes`); the
//! project re-loads that file alone and marks itself stale ([`project::Project`]); when no
//! other message is waiting, it re-indexes and re-evaluates everything and the server
//! publishes diagnostics for every file whose findings changed, including files the edit
//! did not touch, and empty diagnostics for files whose findings are gone.
//!
//! Invariants: positions on the wire are in the negotiated encoding (UTF-16 unless the client
//! offers UTF-8); open buffers win over the disk; nothing is ever written to a file.

pub(crate) mod actions;
pub(crate) mod deps;
pub(crate) mod diagnostics;
pub(crate) mod graph;
pub(crate) mod navigate;
pub(crate) mod position;
pub mod project;
pub mod uri;
pub(crate) mod watch;

use crate::source::FileId;
use crossbeam_channel::{Receiver, select};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Exit, LogMessage, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, GotoDefinition, HoverRequest, RegisterCapability, Request as _,
};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, CompletionItem, CompletionItemKind, CompletionList,
    CompletionOptions, CompletionParams, CompletionResponse, CompletionTextEdit, Diagnostic,
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, FileSystemWatcher, GlobPattern, GotoDefinitionParams,
    GotoDefinitionResponse, Hover, HoverContents, HoverParams, HoverProviderCapability,
    InitializeParams, Location, LogMessageParams, MarkupContent, MarkupKind, MessageType, OneOf,
    PublishDiagnosticsParams, Range, Registration, RegistrationParams, SaveOptions,
    ServerCapabilities, ServerInfo, TextDocumentPositionParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, TextEdit,
    TraceValue, Uri, WorkspaceEdit,
};
use position::Encoding;
use project::{Project, canonical};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often files the editor does not hold open are looked at, by default.
pub(crate) const POLL_INTERVAL: Duration = Duration::from_secs(2);

/// Most completion items sent at once; the list is marked incomplete past it, so the client
/// asks again as more of the id is typed.
const MAX_COMPLETIONS: usize = 200;

/// Why the server stopped abnormally.
#[derive(Debug)]
pub(crate) struct LspError(pub String);

impl std::fmt::Display for LspError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err(e: impl std::fmt::Display) -> LspError {
    LspError(e.to_string())
}

/// How the server runs.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// How often files the editor does not hold open are looked at, when the client does
    /// not report changes itself.
    pub(crate) poll: Duration,
    /// Folders (or files) of rules besides those the configuration names.
    pub(crate) rules: Vec<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            poll: POLL_INTERVAL,
            rules: Vec::new(),
        }
    }
}

/// Runs the server over standard input and output until the client says `exit`.
pub(crate) fn run_stdio(options: &Options) -> Result<(), LspError> {
    let (connection, io_threads) = Connection::stdio();
    let result = serve(&connection, options);
    drop(connection);
    io_threads.join().map_err(err)?;
    result
}

/// Runs the server over any connection (tests use an in-memory one).
pub(crate) fn serve(connection: &Connection, options: &Options) -> Result<(), LspError> {
    let (id, params) = connection.initialize_start().map_err(err)?;
    let params: InitializeParams =
        serde_json::from_value(params).map_err(|e| err(format!("bad initialize request: {e}")))?;
    let encoding = Encoding::negotiate(&params.capabilities);
    let capabilities = ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        definition_provider: Some(OneOf::Left(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![" ".into(), "[".into(), ",".into(), "-".into()]),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": ServerInfo {
            name: "align".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        },
    });
    connection.initialize_finish(id, result).map_err(err)?;

    let folder = workspace_folder(&params);
    let trace = matches!(
        params.trace,
        Some(TraceValue::Verbose | TraceValue::Messages)
    );
    let started = Instant::now();
    // Paths in messages and hovers ("the other is at messages/web.yaml:3") are shown
    // relative to the current folder, as on the command line: make that the workspace, so
    // they never depend on where the editor was started.
    // Errors are harmless: paths are then shown relative to where the server started.
    let _ = std::env::set_current_dir(&folder);
    let project = Project::load_with_rules(&folder, HashMap::new(), options.rules.clone());
    let watches_files = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false);
    let spec = Arc::new(Mutex::new(project.watch_spec()));
    let (tx, rx) = crossbeam_channel::unbounded();
    // A client that watches files tells the server of every change; only for the others is
    // the disk looked at, every `poll`. (`tx` lives as long as the loop, so the channel
    // stays open, and quiet, without a poller.)
    if !watches_files {
        watch::spawn(spec.clone(), options.poll, tx.clone());
    }
    let mut server = Server {
        conn: connection,
        enc: encoding,
        project,
        docs: HashMap::new(),
        published: HashMap::new(),
        spec,
        trace,
    };
    server.refresh_and_publish();
    server.log(format!(
        "align: checked {} in {} ms ({} files, {} entities)",
        server.project.root.display(),
        started.elapsed().as_millis(),
        server.project.file_count(),
        server.project.entity_count()
    ));
    // The graph of ids is needed for the first edit and navigation, not for the first
    // diagnostics: it is built once they are out, before any message is handled.
    server.project.graph();
    if watches_files {
        server.register_file_watching()?;
    }
    server.main_loop(&rx)
}

/// The folder the client opened: the first workspace folder, else the root URI, else the
/// current folder.
#[allow(deprecated)]
fn workspace_folder(params: &InitializeParams) -> PathBuf {
    params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .and_then(|f| uri::to_path(&f.uri))
        .or_else(|| params.root_uri.as_ref().and_then(uri::to_path))
        .or_else(|| params.root_path.as_ref().map(PathBuf::from))
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."))
}

/// An open document.
struct Doc {
    uri: Uri,
    version: i32,
}

struct Server<'c> {
    conn: &'c Connection,
    enc: Encoding,
    project: Project,
    docs: HashMap<PathBuf, Doc>,
    published: HashMap<PathBuf, Vec<Diagnostic>>,
    spec: Arc<Mutex<watch::Spec>>,
    trace: bool,
}

impl Server<'_> {
    fn main_loop(&mut self, snapshots: &Receiver<watch::Snapshot>) -> Result<(), LspError> {
        loop {
            // A burst of edits is evaluated once, when nothing else is waiting.
            if self.conn.receiver.is_empty() {
                self.refresh_and_publish();
            }
            select! {
                recv(self.conn.receiver) -> msg => {
                    let Ok(msg) = msg else { return Ok(()) };
                    match msg {
                        Message::Request(req) => {
                            if self.conn.handle_shutdown(&req).map_err(err)? {
                                return Ok(());
                            }
                            self.request(req)?;
                        }
                        Message::Notification(n) if n.method == Exit::METHOD => {
                            return Err(LspError("the client exited without asking to shut down".to_owned()));
                        }
                        Message::Notification(n) => self.notification(n),
                        Message::Response(_) => {}
                    }
                }
                recv(snapshots) -> snap => {
                    if let Ok(snap) = snap {
                        self.disk_changed(&snap);
                    }
                }
            }
        }
    }

    fn send(&self, msg: Message) {
        // A closed channel means the client is gone; the loop ends on the next receive.
        let _ = self.conn.sender.send(msg);
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        self.send(Message::Notification(Notification::new(
            N::METHOD.to_owned(),
            params,
        )));
    }

    fn log(&self, message: String) {
        self.notify::<LogMessage>(LogMessageParams {
            typ: MessageType::LOG,
            message,
        });
    }

    fn register_file_watching(&self) -> Result<(), LspError> {
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![FileSystemWatcher {
                glob_pattern: GlobPattern::String("**/*.{yaml,yml,align}".to_owned()),
                kind: None,
            }],
        };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "align-watch-files".to_owned(),
                method: DidChangeWatchedFiles::METHOD.to_owned(),
                register_options: Some(serde_json::to_value(options).map_err(err)?),
            }],
        };
        self.send(Message::Request(Request::new(
            RequestId::from("align-watch-files".to_owned()),
            RegisterCapability::METHOD.to_owned(),
            params,
        )));
        Ok(())
    }

    fn path_of(&self, uri: &Uri) -> Option<PathBuf> {
        uri::to_path(uri).map(|p| canonical(&p))
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) else {
                    return;
                };
                let Some(path) = self.path_of(&p.text_document.uri) else {
                    return;
                };
                self.docs.insert(
                    path.clone(),
                    Doc {
                        uri: p.text_document.uri,
                        version: p.text_document.version,
                    },
                );
                self.project.set_overlay(&path, p.text_document.text);
                self.after_change(&path);
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) else {
                    return;
                };
                let Some(path) = self.path_of(&p.text_document.uri) else {
                    return;
                };
                let Some(mut text) = self.project.overlay(&path).map(str::to_owned) else {
                    return;
                };
                position::apply_changes(&mut text, p.content_changes, self.enc);
                if let Some(doc) = self.docs.get_mut(&path) {
                    doc.version = p.text_document.version;
                }
                self.project.set_overlay(&path, text);
                self.after_change(&path);
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) else {
                    return;
                };
                let Some(path) = self.path_of(&p.text_document.uri) else {
                    return;
                };
                self.docs.remove(&path);
                self.project.clear_overlay(&path);
                self.after_change(&path);
            }
            DidSaveTextDocument::METHOD => {}
            DidChangeWatchedFiles::METHOD => {
                let Ok(p) = serde_json::from_value::<DidChangeWatchedFilesParams>(n.params) else {
                    return;
                };
                for change in p.changes {
                    if let Some(path) = self.path_of(&change.uri) {
                        if !self.project.is_open(&path) {
                            self.project.refresh(&path);
                            self.after_change(&path);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// After a setup file changed the project is new: the watcher must look at its folders.
    fn after_change(&mut self, path: &Path) {
        if self.project.is_setup_file(path) || path.file_name() == Some("align.yaml".as_ref()) {
            if let Ok(mut spec) = self.spec.lock() {
                *spec = self.project.watch_spec();
            }
        }
    }

    fn disk_changed(&mut self, snap: &watch::Snapshot) {
        for path in self.project.changed_on_disk(snap) {
            let setup = self.project.is_setup_file(&path)
                || path.file_name() == Some("align.yaml".as_ref());
            self.project.refresh(&path);
            self.after_change(&path);
            if setup {
                // Everything was read again.
                break;
            }
        }
    }

    /// Re-evaluates when stale, and publishes diagnostics for every file whose findings
    /// changed, and empty diagnostics for files that no longer have any.
    fn refresh_and_publish(&mut self) {
        if !self.project.is_stale() {
            return;
        }
        let started = Instant::now();
        self.project.evaluate();
        let evaluated = started.elapsed();
        let mut sent = 0usize;
        let dirty = self.project.take_dirty();
        if self.project.last.full {
            // After a reload, files the project no longer knows are cleared too.
            let known: std::collections::HashSet<PathBuf> = dirty
                .iter()
                .filter_map(|f| self.project.path_of(*f).map(Path::to_path_buf))
                .collect();
            let gone: Vec<PathBuf> = self
                .published
                .keys()
                .filter(|p| !known.contains(*p))
                .cloned()
                .collect();
            for path in gone {
                self.published.remove(&path);
                self.publish(&path, Vec::new());
                sent += 1;
            }
        }
        for (path, diagnostics) in self
            .project
            .diagnostics(&dirty, self.enc)
            .into_iter()
            .flatten()
        {
            let unchanged = match self.published.get(&path) {
                Some(old) => *old == diagnostics,
                None => diagnostics.is_empty(),
            };
            if !unchanged {
                self.publish(&path, diagnostics.clone());
                sent += 1;
            }
            if diagnostics.is_empty() {
                self.published.remove(&path);
            } else {
                self.published.insert(path, diagnostics);
            }
        }
        if self.trace {
            let stats = self.project.last;
            self.log(format!(
                "align: evaluated {} entities in a model of {} in {} ms; published {sent} files; {} ms in all",
                stats.affected,
                stats.loaded,
                evaluated.as_millis(),
                started.elapsed().as_millis()
            ));
        }
    }

    fn uri_of(&self, path: &Path) -> Option<Uri> {
        match self.docs.get(path) {
            Some(d) => Some(d.uri.clone()),
            None => uri::from_path(path),
        }
    }

    fn publish(&self, path: &Path, diagnostics: Vec<Diagnostic>) {
        let Some(uri) = self.uri_of(path) else { return };
        let version = self.docs.get(path).map(|d| d.version);
        self.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        });
    }

    fn request(&mut self, req: Request) -> Result<(), LspError> {
        // Answers are about the text as it is now.
        self.refresh_and_publish();
        let id = req.id.clone();
        let result = match req.method.as_str() {
            GotoDefinition::METHOD => parse(req).map(|p| to_json(self.definition(&p))),
            HoverRequest::METHOD => parse(req).map(|p| to_json(self.hover(&p))),
            Completion::METHOD => parse(req).map(|p| to_json(self.completion(&p))),
            CodeActionRequest::METHOD => parse(req).map(|p| to_json(self.code_actions(&p))),
            other => Err(Response::new_err(
                id.clone(),
                ErrorCode::MethodNotFound as i32,
                format!("align does not handle `{other}`"),
            )),
        };
        let response = match result {
            Ok(value) => Response::new_ok(id, value),
            Err(mut e) => {
                e.id = id;
                e
            }
        };
        self.send(Message::Response(response));
        Ok(())
    }

    /// The file, its id and the byte offset of a position in it.
    fn locate(&self, at: &TextDocumentPositionParams) -> Option<(FileId, usize)> {
        let path = self.path_of(&at.text_document.uri)?;
        let id = self.project.id_of(&path)?;
        let file = self.project.sources.get(id)?;
        Some((id, position::offset(&file.text, at.position, self.enc)))
    }

    fn location(&self, span: crate::source::Span) -> Option<Location> {
        let path = self.project.path_of(span.file)?;
        Some(Location {
            uri: self.uri_of(path)?,
            range: diagnostics::range(&self.project.sources, span, self.enc)?,
        })
    }

    fn definition(&self, p: &GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
        let (file, offset) = self.locate(&p.text_document_position_params)?;
        let at = navigate::id_at(self.project.entities_in(file), offset)?;
        let locations: Vec<Location> = self
            .project
            .declared(at.kind, &at.id)
            .into_iter()
            .filter_map(|e| self.location(e.id_span))
            .collect();
        (!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations))
    }

    fn hover(&self, p: &HoverParams) -> Option<Hover> {
        let (file, offset) = self.locate(&p.text_document_position_params)?;
        let project = &self.project;
        let text = project.sources.get(file)?.text.clone();
        let mut parts: Vec<String> = Vec::new();
        let mut range = None;
        if let Some(at) = navigate::id_at(project.entities_in(file), offset) {
            range = diagnostics::range(&project.sources, at.span, self.enc);
            let found = project.declared(at.kind, &at.id);
            if found.is_empty() {
                parts.push(navigate::describe_missing(project, at.kind, &at.id));
            }
            for e in found {
                parts.push(navigate::describe(project, e));
            }
        } else if let Some(word) = navigate::rule_word_at(&text, offset) {
            if let Some(doc) = navigate::explain_rule(&project.rules, &project.settings, word) {
                parts.push(doc);
            }
        }
        // The rules behind the findings under the cursor.
        let offset32 = u32::try_from(offset).unwrap_or(u32::MAX);
        let mut shown: Vec<&str> = Vec::new();
        for f in project.shown(file) {
            let Some(span) = f.span else { continue };
            if span.start > offset32 || offset32 > span.end {
                continue;
            }
            if shown.contains(&f.rule.as_str()) {
                continue;
            }
            shown.push(&f.rule);
            if let Some(doc) = navigate::explain_rule(&project.rules, &project.settings, &f.rule) {
                parts.push(doc);
            }
        }
        if parts.is_empty() {
            return None;
        }
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: parts.join("\n\n---\n\n"),
            }),
            range,
        })
    }

    fn completion(&self, p: &CompletionParams) -> Option<CompletionResponse> {
        let (file, offset) = self.locate(&p.text_document_position)?;
        let project = &self.project;
        let text = project.sources.get(file)?.text.clone();
        let site = navigate::completion_site(&text, offset)?;
        let replace = Range {
            start: position::position_in(&text, site.start, self.enc),
            end: position::position_in(&text, offset, self.enc),
        };
        let prefix = site.prefix.to_lowercase();
        let mut items = Vec::new();
        let mut incomplete = false;
        for entity in project.ids_of(site.kind) {
            if !entity.id.to_lowercase().contains(&prefix) {
                continue;
            }
            if items.len() == MAX_COMPLETIONS {
                incomplete = true;
                break;
            }
            items.push(CompletionItem {
                label: entity.id.to_string(),
                kind: Some(CompletionItemKind::REFERENCE),
                detail: Some(navigate::label_detail(entity)),
                filter_text: Some(entity.id.to_string()),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                    range: replace,
                    new_text: entity.id.to_string(),
                })),
                ..CompletionItem::default()
            });
        }
        Some(CompletionResponse::List(CompletionList {
            is_incomplete: incomplete,
            items,
        }))
    }

    fn code_actions(&self, p: &CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
        let path = self.path_of(&p.text_document.uri)?;
        let project = &self.project;
        let file = project.id_of(&path)?;
        let text = project.sources.get(file)?.text.clone();
        let from = u32::try_from(position::offset(&text, p.range.start, self.enc)).ok()?;
        let to = u32::try_from(position::offset(&text, p.range.end, self.enc)).ok()?;
        // Every finding on the lines of the request, not only under the cursor: editors ask
        // with the cursor's position, and the fix is wanted wherever on the line it is.
        let from = text
            .get(..from as usize)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |n| n + 1) as u32;
        let to = text
            .get(to as usize..)
            .and_then(|t| t.find('\n'))
            .map_or(text.len(), |n| to as usize + n) as u32;
        let entities = project.entities_in(file);
        let mut out = Vec::new();
        for f in project.shown(file) {
            let Some(span) = f.span else { continue };
            let diagnostic =
                diagnostics::diagnostic(f, &project.sources, self.enc, |s| project.path_of(s.file));
            // And every diagnostic the client names in the request's context.
            let named = diagnostic.as_ref().is_some_and(|d| {
                p.context
                    .diagnostics
                    .iter()
                    .any(|c| c.range == d.range && c.code == d.code)
            });
            if !named && (span.start > to || from > span.end) {
                continue;
            }
            let fixes = [
                actions::mention_beta(f, entities, project),
                actions::suppress(f, &text, entities, &project.sources),
            ];
            for fix in fixes.into_iter().flatten() {
                let edits = fix
                    .edits
                    .iter()
                    .map(|e| TextEdit {
                        range: Range {
                            start: position::position_in(&text, e.start, self.enc),
                            end: position::position_in(&text, e.end, self.enc),
                        },
                        new_text: e.text.clone(),
                    })
                    .collect();
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: diagnostic.clone().map(|d| vec![d]),
                    edit: Some(WorkspaceEdit {
                        changes: Some(HashMap::from([(p.text_document.uri.clone(), edits)])),
                        ..WorkspaceEdit::default()
                    }),
                    ..CodeAction::default()
                }));
            }
        }
        Some(out)
    }
}

fn parse<P: serde::de::DeserializeOwned>(req: Request) -> Result<P, Response> {
    serde_json::from_value(req.params).map_err(|e| {
        Response::new_err(
            req.id,
            ErrorCode::InvalidParams as i32,
            format!("the request's parameters are not valid: {e}"),
        )
    })
}

fn to_json<T: serde::Serialize>(value: T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}
