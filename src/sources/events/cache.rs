//! Each input's part (`collect::Part`) kept between imports in `datasets/event_parts/`, so that an import
//! reads only the files that are new or changed since the last one: a year of GDELT is some 35,000
//! update files, and a day adds 96.
//!
//! A part is two files: its days, counts and sources (`NAME.json`), and its candidates as they were
//! spooled in reading order (`NAME.candidates`), which the merge reads as a stream.
//!
//! A part is named by the SHA-256 of what it was read from (each file's name and content hash) and of the
//! import's settings (`settings`: the benefactors, the mapping tables and the user's `local_names.csv`, mdime's version), so that a part
//! made under other settings is never taken. `index.json` lists where the last import found its inputs:
//! each file (or benchmark set's folder) with the size and modification time of what it holds, and the
//! parts it gave. A file whose size and time are unchanged is taken from its part without being opened;
//! any other is read again, and a file no longer given contributes nothing. Parts the new index does not
//! name are removed after the import is written, so the folder holds the last import's parts only.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::Digest;

use super::collect::Part;
use crate::artefact::Batch;
use crate::error::{Error, Result};

/// The folder in `datasets/` that holds the parts.
pub const FOLDER: &str = "event_parts";
const INDEX: &str = "index.json";
/// The layout of parts and index; a part of another layout is read again.
const FORMAT: u32 = 3;
/// The extension of a part's candidates, spooled beside it (`spill`): a year of GDELT keeps millions,
/// which a part read whole would hold in memory.
const CANDIDATES: &str = "candidates";

/// The settings a part depends on besides its file, as a SHA-256: the layout, mdime's version, the
/// benefactors kept (ISO-3 codes) and the mapping tables read (name and SHA-256).
pub fn settings(benefactors: &[String], tables_read: &[(String, String)]) -> String {
    let mut hasher = sha2::Sha256::new();
    let benefactors: BTreeSet<&String> = benefactors.iter().collect();
    hasher.update(format!("{FORMAT}\n{}\n", env!("CARGO_PKG_VERSION")));
    for iso3 in benefactors {
        hasher.update(format!("benefactor {iso3}\n"));
    }
    for (file, sha256) in tables_read {
        hasher.update(format!("table {file} {sha256}\n"));
    }
    hex(hasher)
}

fn hex(hasher: sha2::Sha256) -> String {
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// What tells a file unchanged without reading it: its size and modification time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub path: PathBuf,
    pub bytes: u64,
    pub modified_s: i64,
    pub modified_ns: u32,
}

impl Stamp {
    pub fn of(path: &Path) -> Result<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
        Ok(Stamp { path: path.to_path_buf(), bytes: meta.len(), modified_s: meta.mtime(), modified_ns: meta.mtime_nsec() as u32 })
    }
}

/// An input an earlier import read: its place in the reading order (`Found::rank`), its name as the
/// tables give it, its part's file in `FOLDER`, and the SHA-256 of each file the part was read from.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Known {
    pub rank: u8,
    pub name: String,
    pub part: String,
    pub sha256: Vec<String>,
}

/// A file or benchmark set's folder as an import found it, with the inputs it gave in the order found.
#[derive(Debug, Serialize, Deserialize)]
struct Origin {
    path: PathBuf,
    stamps: Vec<Stamp>,
    inputs: Vec<Known>,
}

/// `index.json`: the provenance of the folder's parts.
#[derive(Debug, Serialize, Deserialize)]
struct Index {
    format: u32,
    mdime_version: String,
    imported_on: String,
    settings: String,
    origins: Vec<Origin>,
}

/// A part as stored: where it was read from, then the part.
#[derive(Debug, Serialize, Deserialize)]
struct Stored {
    format: u32,
    settings: String,
    /// Each file read (name and SHA-256), as the part's tallies give them.
    files: Vec<(String, String)>,
    part: Part,
}

/// The parts of one import: those the last import left, and those this one finds.
pub struct Cache {
    folder: PathBuf,
    settings: String,
    before: Vec<Origin>,
    /// This import's origins, each input's part filled in as it is read.
    found: Vec<(PathBuf, Vec<Stamp>, Vec<Option<Known>>)>,
    /// The parts this import stages (two copies of a file make one).
    staged: BTreeSet<String>,
}

/// Where an input read now goes in the new index: its origin and place there.
#[derive(Debug, Clone, Copy)]
pub struct Slot(usize, usize);

impl Cache {
    /// The last import's parts in `datasets`, if made under the same `settings`. An index that cannot be
    /// read (another layout, a damaged file) is taken as no index: every file is read again.
    pub fn open(datasets: &Path, settings: String) -> Cache {
        let folder = datasets.join(FOLDER);
        let before = std::fs::read(folder.join(INDEX))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Index>(&bytes).ok())
            .filter(|index| index.format == FORMAT && index.settings == settings)
            .map(|index| index.origins)
            .unwrap_or_default();
        Cache { folder, settings, before, found: Vec::new(), staged: BTreeSet::new() }
    }

    /// The inputs the last import found at `path` (a file or a set's folder, canonical), if what it holds
    /// is unchanged (`stamps`) and each part is still there.
    pub fn known(&self, path: &Path, stamps: &[Stamp]) -> Option<Vec<Known>> {
        let origin = self.before.iter().find(|o| o.path == path && o.stamps == stamps)?;
        let whole = |k: &Known| self.folder.join(&k.part).is_file() && self.folder.join(&k.part).with_extension(CANDIDATES).is_file();
        origin.inputs.iter().all(whole).then(|| origin.inputs.clone())
    }

    /// Notes inputs found at `path` taken from the last import.
    pub fn keep(&mut self, path: &Path, stamps: Vec<Stamp>, inputs: Vec<Known>) {
        self.found.push((path.to_path_buf(), stamps, inputs.into_iter().map(Some).collect()));
    }

    /// Notes an origin whose inputs are read now; each input is given its slot with `slot`.
    pub fn start(&mut self, path: &Path, stamps: Vec<Stamp>) -> usize {
        self.found.push((path.to_path_buf(), stamps, Vec::new()));
        self.found.len() - 1
    }

    /// The next slot of origin `origin`.
    pub fn slot(&mut self, origin: usize) -> Slot {
        self.found[origin].2.push(None);
        Slot(origin, self.found[origin].2.len() - 1)
    }

    /// Reads a part the last import left.
    pub fn load(&self, known: &Known) -> Result<Part> {
        let path = self.folder.join(&known.part);
        let file = std::fs::File::open(&path).map_err(|source| Error::Read { path: path.clone(), source })?;
        let stored: Stored = serde_json::from_reader(std::io::BufReader::with_capacity(1 << 20, file)).map_err(|e| Error::Format {
            path: path.clone(),
            message: format!("a damaged part of an earlier event import ({e}); remove the folder {} and import again to read every file anew", self.folder.display()),
        })?;
        let candidates = path.with_extension(CANDIDATES);
        Ok(Part { candidates: Some(candidates), ..stored.part })
    }

    /// Stages a part just read to be written with the import, unless the same part is there already, and
    /// fills its slot.
    pub fn stage(&mut self, batch: &mut Batch, slot: Slot, rank: u8, name: String, part: Part) -> Result<Part> {
        let files: Vec<(String, String)> = part.tallies.iter().map(|t| (t.file.clone(), t.sha256.clone())).collect();
        let mut hasher = sha2::Sha256::new();
        hasher.update(&self.settings);
        for (file, sha256) in &files {
            hasher.update(format!("\n{file}\n{sha256}"));
        }
        let file_name = format!("{}.json", hex(hasher));
        let path = self.folder.join(&file_name);
        let sha256 = files.iter().map(|(_, sha256)| sha256.clone()).collect();
        let stored = Stored { format: FORMAT, settings: self.settings.clone(), files, part };
        if !path.is_file() && self.staged.insert(file_name.clone()) {
            batch.stage_with(&path, |out| serde_json::to_writer(out, &stored).map_err(std::io::Error::other))?;
            let spooled = stored.part.candidates.as_deref();
            batch.stage_with(&path.with_extension(CANDIDATES), |out| match spooled {
                Some(from) => std::io::copy(&mut std::fs::File::open(from)?, out).map(drop),
                None => Ok(()),
            })?;
        }
        self.found[slot.0].2[slot.1] = Some(Known { rank, name, part: file_name, sha256 });
        Ok(stored.part)
    }

    /// Stages the new index, naming every part this import used.
    pub fn stage_index(&self, batch: &mut Batch) -> Result<()> {
        let origins = self
            .found
            .iter()
            .filter_map(|(path, stamps, inputs)| {
                let inputs: Option<Vec<Known>> = inputs.iter().cloned().collect();
                Some(Origin { path: path.clone(), stamps: stamps.clone(), inputs: inputs? })
            })
            .collect();
        let index = Index {
            format: FORMAT,
            mdime_version: env!("CARGO_PKG_VERSION").into(),
            imported_on: crate::ingest::provenance::today(),
            settings: self.settings.clone(),
            origins,
        };
        let bytes = serde_json::to_vec_pretty(&index).map_err(|e| Error::Write { path: self.folder.join(INDEX), source: std::io::Error::other(e) })?;
        batch.stage(&self.folder.join(INDEX), &bytes)
    }

    /// Removes the parts the index written does not name (files no longer given, or read under other
    /// settings). Called once the import is written; a part that cannot be removed is left.
    pub fn prune(&self) {
        let named: BTreeSet<&str> = self.found.iter().flat_map(|(_, _, inputs)| inputs.iter().flatten().map(|k| k.part.as_str())).collect();
        let Ok(entries) = std::fs::read_dir(&self.folder) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let part = name.strip_suffix(&format!(".{CANDIDATES}")).map_or(name.clone(), |stem| format!("{stem}.json"));
            if (name.ends_with(".json") || name != part) && name != INDEX && !named.contains(part.as_str()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}
