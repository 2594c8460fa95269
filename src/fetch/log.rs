//! The fetch log: one JSON object per line in `RAW/fetch-log.jsonl`, appended to and never rewritten,
//! so that every raw file can be traced to where and when it came from, and checked against what its
//! publisher said it should be.

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The log's name in the raw-data folder.
pub const FILE: &str = "fetch-log.jsonl";

/// One raw file as a fetch found or made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The source's name on the command line (`gdelt`, `sipri`…).
    pub source: String,
    /// The file's path under the raw-data folder, with `/` separators (`gdelt/20250101.export.CSV.zip`).
    pub file: String,
    /// Where it was downloaded from; for a file placed by hand, the page it is to be taken from.
    pub url: String,
    /// When the fetch finished with it, UTC, RFC 3339 to the second.
    pub time: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// The checksum its publisher lists, as `md5:HEX`; empty where the publisher lists none.
    pub publisher_checksum: String,
    /// SHA-256 of the file as kept, lower-case hex: what an import's provenance records.
    pub sha256: String,
    /// `downloaded`, `resumed` (completed from a partial download), `verified` (found in place, already
    /// matching the publisher's checksum) or `placed` (put there by hand).
    pub how: String,
}

/// Every entry of the log in `raw`, oldest first; none when there is no log yet.
pub fn read(raw: &Path) -> Result<Vec<Entry>> {
    let path = raw.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(Error::Read { path, source }),
    };
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| {
            serde_json::from_str(line).map_err(|e| Error::Format { path: path.clone(), message: format!("line {}: {e}", n + 1) })
        })
        .collect()
}

/// Appends `entries` to the log in `raw`, one line each, in the order given.
pub fn append(raw: &Path, entries: &[Entry]) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let path = raw.join(FILE);
    let mut text = String::new();
    for entry in entries {
        text.push_str(&serde_json::to_string(entry).expect("a log entry is plain data and always serialises"));
        text.push('\n');
    }
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(&path).map_err(|source| Error::Write { path: path.clone(), source })?;
    file.write_all(text.as_bytes()).and_then(|_| file.sync_all()).map_err(|source| Error::Write { path, source })
}

/// The latest entry for each file, by its path under the raw-data folder.
pub fn latest(entries: &[Entry]) -> std::collections::BTreeMap<&str, &Entry> {
    entries.iter().map(|e| (e.file.as_str(), e)).collect()
}

/// Now, UTC, RFC 3339 to the second.
pub fn now() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}
