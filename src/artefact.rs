//! Writing files so that a reader never sees half of one: every file is written to a temporary sibling
//! and renamed into place, and a batch renames nothing until every file of it has been written and
//! flushed to disk. The flushes run in parallel: one after another, a full run's thousand-odd files
//! spent most of its time waiting on them.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};

/// Files to be written together. Dropping a batch without committing it removes its temporary files.
#[derive(Debug, Default)]
pub struct Batch {
    staged: Vec<(PathBuf, PathBuf)>,
}

impl Batch {
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Writes `contents` to a temporary file beside `path`; `commit` flushes it and moves it into place.
    pub fn stage(&mut self, path: &Path, contents: &[u8]) -> Result<()> {
        let write_err = |source| Error::Write { path: path.to_path_buf(), source };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(write_err)?;
        }
        let file_name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        let temp = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
        // Staged before writing, so that a failed write's temporary file is removed with the batch.
        self.staged.push((temp.clone(), path.to_path_buf()));
        fs::File::create(&temp).and_then(|mut file| file.write_all(contents)).map_err(write_err)?;
        Ok(())
    }

    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.staged.iter().map(|(_, target)| target.as_path())
    }

    pub fn len(&self) -> usize {
        self.staged.len()
    }

    pub fn is_empty(&self) -> bool {
        self.staged.is_empty()
    }

    pub fn commit(mut self) -> Result<Vec<PathBuf>> {
        self.staged
            .par_iter()
            .try_for_each(|(temp, target)| {
                fs::File::open(temp).and_then(|file| file.sync_all()).map_err(|source| Error::Write { path: target.clone(), source })
            })?;
        let staged = std::mem::take(&mut self.staged);
        let mut written = Vec::with_capacity(staged.len());
        for (temp, target) in staged {
            fs::rename(&temp, &target).map_err(|source| Error::Write { path: target.clone(), source })?;
            written.push(target);
        }
        Ok(written)
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        for (temp, _) in &self.staged {
            let _ = fs::remove_file(temp);
        }
    }
}

/// Serialises rows to CSV bytes with a header, in the order given.
pub fn csv_bytes<T: serde::Serialize>(rows: impl IntoIterator<Item = T>) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer
            .serialize(row)
            .map_err(|e| Error::Write { path: PathBuf::from("<csv>"), source: std::io::Error::other(e) })?;
    }
    writer
        .into_inner()
        .map_err(|e| Error::Write { path: PathBuf::from("<csv>"), source: std::io::Error::other(e.to_string()) })
}
