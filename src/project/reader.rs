//! Where a project's files are read from. `align check` reads the disk; the language server
//! reads the buffers open in the editor first, so unsaved text is what gets checked.

use super::{ReadError, ReadLimits, read_source};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Reads the text of a file of the project: data, configuration or rules.
pub(crate) trait Reader: Sync {
    /// The file's text (without a byte-order mark), or why it cannot be read.
    fn read(&self, path: &Path, limits: &ReadLimits) -> Result<String, ReadError>;

    /// Whether the text comes from somewhere else than the disk (an open buffer), so that
    /// the file's state on disk says nothing about it.
    fn is_buffer(&self, _path: &Path) -> bool {
        false
    }
}

/// The files on disk, read under the size cap.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Disk;

impl Reader for Disk {
    fn read(&self, path: &Path, limits: &ReadLimits) -> Result<String, ReadError> {
        read_source(path, limits)
    }
}

/// Open buffers by path, over the disk: a file open in an editor is read from its buffer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Buffers<'a>(pub &'a HashMap<PathBuf, String>);

impl Reader for Buffers<'_> {
    fn read(&self, path: &Path, limits: &ReadLimits) -> Result<String, ReadError> {
        match self.0.get(path) {
            // A byte-order mark is not part of the text, as when the file is read from disk.
            Some(text) => Ok(text.strip_prefix('\u{feff}').unwrap_or(text).to_owned()),
            None => Disk.read(path, limits),
        }
    }

    fn is_buffer(&self, path: &Path) -> bool {
        self.0.contains_key(path)
    }
}
