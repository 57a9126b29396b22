//! Files that change on disk, for clients that do not report changes: what the poller looks
//! at, and which files differ from what was read.

use super::Project;
use crate::lsp::watch::{Snapshot, Spec, Stamp};
use crate::project::discover::CONFIG_FILE;
use std::path::{Path, PathBuf};

impl Project {
    /// Compares the disk with what was read, for files the editor does not hold open: the
    /// paths whose content changed, appeared or disappeared. A setup file among them means
    /// the whole project must be reloaded.
    pub(crate) fn changed_on_disk(&self, snapshot: &Snapshot) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let differs = |path: &Path, known: Option<Stamp>| {
            !self.overlays.contains_key(path) && snapshot.files.get(path).copied() != known
        };
        match &self.config_path {
            Some(p) => {
                if differs(p, self.config_stamp) {
                    out.push(p.clone());
                }
            }
            None => {
                let p = self.root.join(CONFIG_FILE);
                if snapshot.files.contains_key(&p) {
                    out.push(p);
                }
            }
        }
        for r in &self.rule_files {
            if differs(&r.path, r.stamp) {
                out.push(r.path.clone());
            }
        }
        for f in &self.files {
            if differs(&f.path, f.stamp) {
                out.push(f.path.clone());
            }
        }
        for path in snapshot.files.keys() {
            if !self.by_path.contains_key(path)
                && !self.rule_files.iter().any(|r| &r.path == path)
                && Some(path) != self.config_path.as_ref()
                && (self.wants(path) || self.is_rule_file(path))
                && !self.overlays.contains_key(path)
            {
                out.push(path.clone());
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// What the watcher should look at: the root with the data filter, and the rule folders.
    pub(crate) fn watch_spec(&self) -> Spec {
        Spec {
            root: self.root.clone(),
            filter: self.filter.clone(),
            rule_dirs: self.rule_dirs.clone(),
            config: self
                .config_path
                .clone()
                .unwrap_or_else(|| self.root.join(CONFIG_FILE)),
        }
    }
}
