//! `manifest.json`: what produced a run's outputs, written beside them by every `mdime run`. It names
//! mdime's version, the command line, the as-of year and window, the benefactors and recipients, the
//! rubric, every derived table and evidence log read (each with its SHA-256), the raw files each table
//! was derived from (with their SHA-256 and the publisher's date, from the table's provenance), and the
//! SHA-256 of each table written. `mdime diff` reads it to say which input changed between two runs; its
//! presence marks a folder as written by mdime.
//!
//! Two runs on the same inputs with the same options write the same manifest, but for `command_line`:
//! there is no time stamp, so that outputs stay reproducible byte for byte.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ingest::{self, sha256_hex, Provenance};
use crate::Config;

pub const FILE: &str = "manifest.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The version of mdime that made the run (Cargo.toml's).
    pub mdime_version: String,
    /// The command line of the process that made the run: the program's file name, then its arguments.
    pub command_line: Vec<String>,
    pub as_of: i32,
    /// The assessment window's first and last year.
    pub window: [i32; 2],
    /// The first and last year the current level describes (`--current-years`).
    #[serde(default)]
    pub current: [i32; 2],
    pub attribute_ussr_to_russia: bool,
    pub benefactors: Vec<Party>,
    pub recipients: Vec<Party>,
    /// The formats written (`--format`), in order.
    pub formats: Vec<String>,
    /// The datasets folder, as given.
    pub datasets: String,
    pub rubric: FileHash,
    /// The derived tables read, in the order mdime reads them; one not imported is absent.
    pub tables: Vec<TableRecord>,
    /// The curated tables read (evidence logs, presence and agreements records), by path under the
    /// datasets folder, in registry order.
    #[serde(alias = "evidence_logs")]
    pub curated: Vec<FileHash>,
    /// The tables this run wrote (CSV and Parquet), by path under the output folder.
    pub outputs: Vec<FileHash>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub iso3: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileHash {
    pub file: String,
    pub sha256: String,
}

/// A derived table as the run read it, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRecord {
    pub file: String,
    pub sha256: String,
    /// The instruments whose indicators are computed from it (codes).
    pub instruments: Vec<String>,
    pub source: String,
    /// The publisher's own date for the data, where the raw file states one (SIPRI's "Data generated").
    pub data_generated: Option<String>,
    pub imported_on: String,
    /// The raw files it was derived from, each with its SHA-256 as the import read it.
    pub inputs: Vec<RawInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawInput {
    pub file: String,
    pub sha256: String,
    pub role: String,
}

impl Manifest {
    /// The manifest of a run of `config` in these formats that wrote these tables (name under the
    /// output folder, bytes).
    pub fn new(config: &Config, formats: &[&str], outputs: &[(String, Vec<u8>)]) -> Result<Manifest> {
        let party = |iso3: &str, name: &str| Party { iso3: iso3.to_string(), name: name.to_string() };
        Ok(Manifest {
            mdime_version: env!("CARGO_PKG_VERSION").to_string(),
            command_line: command_line(),
            as_of: config.window.end,
            window: [config.window.start, config.window.end],
            current: [config.current.start, config.current.end],
            attribute_ussr_to_russia: config.attribute_ussr_to_russia,
            benefactors: config.benefactors.iter().map(|b| party(&b.iso3, &b.name)).collect(),
            recipients: config.recipients.iter().map(|c| party(&c.iso3, &c.name)).collect(),
            formats: formats.iter().map(|f| f.to_string()).collect(),
            datasets: config.datasets.display().to_string(),
            rubric: FileHash { file: config.rubric.origin.display().to_string(), sha256: config.rubric.sha256.clone() },
            tables: tables(&config.datasets)?,
            curated: curated(&config.datasets)?,
            outputs: outputs.iter().map(|(file, bytes)| FileHash { file: file.clone(), sha256: sha256_hex(bytes) }).collect(),
        })
    }

    pub fn to_json(&self) -> Vec<u8> {
        let mut json = serde_json::to_vec_pretty(self).expect("a manifest is plain data and always serialises");
        json.push(b'\n');
        json
    }

    /// The manifest in a run's folder; None for a folder without one (a run by an earlier mdime).
    pub fn load(dir: &Path) -> Result<Option<Manifest>> {
        let path = dir.join(FILE);
        if !path.exists() {
            return Ok(None);
        }
        let bytes = std::fs::read(&path).map_err(|source| Error::Read { path: path.clone(), source })?;
        Manifest::parse(&bytes, &path).map(Some)
    }

    /// A manifest's JSON; `path` names it in the error.
    pub fn parse(bytes: &[u8], path: &Path) -> Result<Manifest> {
        serde_json::from_slice(bytes).map_err(|e| Error::Format { path: path.to_path_buf(), message: e.to_string() })
    }
}

fn command_line() -> Vec<String> {
    let mut args: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    if let Some(program) = args.first_mut() {
        *program = Path::new(program.as_str()).file_name().map_or_else(|| program.clone(), |n| n.to_string_lossy().into_owned());
    }
    args
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })
}

fn tables(datasets: &Path) -> Result<Vec<TableRecord>> {
    let mut records = Vec::new();
    for crate::sources::Table { spec, instruments } in crate::sources::tables() {
        let Some((path, provenance)) = ingest::table::find_table(datasets, spec)? else { continue };
        records.push(TableRecord {
            file: spec.file.to_string(),
            sha256: sha256_hex(&read(&path)?),
            instruments: instruments.iter().map(|i| i.code().to_string()).collect(),
            source: provenance.source.clone(),
            data_generated: Some(provenance.data_generated.clone()).filter(|d| !d.is_empty()),
            imported_on: provenance.imported_on.clone(),
            inputs: raw_inputs(&provenance),
        });
    }
    Ok(records)
}

/// A table's raw files: the one it was derived from, then each of several it combines.
fn raw_inputs(provenance: &Provenance) -> Vec<RawInput> {
    let single = (!provenance.source_file.is_empty()).then(|| RawInput {
        file: provenance.source_file.clone(),
        sha256: provenance.sha256.clone(),
        role: provenance.source.clone(),
    });
    single
        .into_iter()
        .chain(provenance.inputs.iter().map(|i| RawInput { file: i.file.clone(), sha256: i.sha256.clone(), role: i.role.clone() }))
        .collect()
}

fn curated(datasets: &Path) -> Result<Vec<FileHash>> {
    let mut files = Vec::new();
    for source in crate::sources::REGISTRY {
        for path in source.curated_files(datasets)? {
            let name = path.strip_prefix(datasets).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            files.push(FileHash { file: name, sha256: sha256_hex(&read(&path)?) });
        }
    }
    Ok(files)
}
