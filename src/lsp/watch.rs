//! Noticing changes to files the editor does not hold open.
//!
//! Some clients send no `workspace/didChangeWatchedFiles` notifications at all, and files
//! change under the editor (a `git pull`, another tool). A background thread takes a
//! snapshot of the project's files (size and modification time) every couple of seconds and
//! sends it to the main loop, which compares it with what it read. The thread only reads
//! metadata; all loading happens on the main loop.

use crate::project::discover::{self, Filter, Found};
use crossbeam_channel::Sender;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// How a file on disk looked: enough to notice it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// Modification time.
    pub(crate) modified: Option<SystemTime>,
    /// Size in bytes.
    pub(crate) len: u64,
}

impl Stamp {
    /// The stamp of a file now, or `None` when it cannot be read.
    pub(crate) fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        meta.is_file().then(|| Stamp {
            modified: meta.modified().ok(),
            len: meta.len(),
        })
    }
}

/// The project's files as they are on disk.
#[derive(Debug, Default)]
pub(crate) struct Snapshot {
    /// Every data, rule and configuration file, with its stamp.
    pub(crate) files: HashMap<PathBuf, Stamp>,
}

/// What to look at.
#[derive(Debug, Clone)]
pub(crate) struct Spec {
    /// The project folder.
    pub(crate) root: PathBuf,
    /// Which files under it are data.
    pub(crate) filter: Filter,
    /// Folders of the team's rule files.
    pub(crate) rule_dirs: Vec<PathBuf>,
    /// The configuration file (it may not exist yet).
    pub(crate) config: PathBuf,
}

/// Takes a snapshot of the files a spec names.
pub(crate) fn snapshot(spec: &Spec) -> Snapshot {
    let mut files = HashMap::new();
    for found in discover::discover(std::slice::from_ref(&spec.root), &spec.filter) {
        if let Found::File(p) = found {
            if let Some(s) = Stamp::of(&p) {
                files.insert(p, s);
            }
        }
    }
    for dir in &spec.rule_dirs {
        for p in crate::project::rule_files(dir).into_iter().flatten() {
            if let Some(s) = Stamp::of(&p) {
                files.insert(p, s);
            }
        }
    }
    files.remove(&spec.config);
    if let Some(s) = Stamp::of(&spec.config) {
        files.insert(spec.config.clone(), s);
    }
    Snapshot { files }
}

/// Starts the polling thread. It stops when the main loop goes away.
pub(crate) fn spawn(spec: Arc<Mutex<Spec>>, every: Duration, tx: Sender<Snapshot>) {
    let spawned = std::thread::Builder::new()
        .name("align-watch".to_owned())
        .spawn(move || {
            loop {
                std::thread::sleep(every);
                let current = match spec.lock() {
                    Ok(s) => s.clone(),
                    Err(_) => return,
                };
                if tx.send(snapshot(&current)).is_err() {
                    return;
                }
            }
        });
    if let Err(e) = spawned {
        eprintln!(
            "align lsp: could not start watching files ({e}); changes on disk are noticed when a file is saved"
        );
    }
}
