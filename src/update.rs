//! `mdime update`: the scheduled job. Fetch what is new; import what changed, judged by SHA-256; run;
//! and compare the run with the previous update's, saying what moved and why. The runs folder keeps
//! one sub-folder per run, `state.json` (what the last update imported and ran) and `latest.txt` (its
//! printed summary), and the exit status tells a scheduler what happened ([`Verdict`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::cli::{Outputs, Update};
use crate::error::{Error, Result};
use crate::fetch::{self, log, Import};
use crate::ingest::Provenance;
use crate::sources;

/// What an update found, as its exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing new was fetched or changed: nothing was imported or run (exit status 0).
    NothingNew,
    /// New data, imported and run; no rating, overall level or projected direction changed, or there
    /// was no earlier run to compare with (exit status 10).
    NewData,
    /// New data, and some ratings, overall levels or projected directions changed (exit status 11).
    Changed,
}

impl Verdict {
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::NothingNew => 0,
            Verdict::NewData => 10,
            Verdict::Changed => 11,
        }
    }
}

/// The runs folder's record of the last update.
pub const STATE: &str = "state.json";
/// The runs folder's copy of the last update's printed summary.
pub const LATEST: &str = "latest.txt";

/// What the last update imported and ran.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// The last update's run: its folder's name in the runs folder.
    pub last_run: String,
    /// Per import an update runs (`events`): the fetched files it read, by path under the raw-data
    /// folder → SHA-256.
    pub inputs: BTreeMap<String, BTreeMap<String, String>>,
    /// Per import: SHA-256 of its first table as it wrote it (its provenance's `table_sha256`). Another
    /// import since then, by hand, makes the next update import again.
    pub tables: BTreeMap<String, String>,
}

impl State {
    pub fn load(runs: &Path) -> Result<State> {
        let path = runs.join(STATE);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| Error::Format { path, message: e.to_string() }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
            Err(source) => Err(Error::Read { path, source }),
        }
    }
}

/// What an update did.
#[derive(Debug)]
pub struct Updated {
    pub verdict: Verdict,
    /// The printed summary: the fetch, the imports, the run and the diff.
    pub text: String,
    /// The run's folder, if it ran.
    pub run: Option<PathBuf>,
}

/// Runs one update (see the module's documentation). Another update on the same runs folder is refused
/// while this one holds it.
pub fn update(update: &Update) -> Result<Updated> {
    let _lock = crate::artefact::lock_folder_of(&update.runs, "--runs")?;
    let mut out = String::new();
    let report = fetch::fetch(&update.fetch)?;
    out.push_str(&report.summary());

    let datasets = crate::cli::datasets_folder(&update.data.datasets)?;
    let state = State::load(&update.runs)?;
    let raw = &update.fetch.raw;
    let entries = log::read(raw)?;
    let mut imported: Vec<&str> = Vec::new();
    let mut inputs = state.inputs.clone();
    for name in automatic_imports() {
        let fetched: BTreeMap<String, String> = log::latest(&entries)
            .into_iter()
            .filter(|(file, entry)| imports_with(&entry.source, name) && raw.join(file).is_file())
            .map(|(file, entry)| (file.to_string(), entry.sha256.clone()))
            .collect();
        let unchanged = state.inputs.get(name) == Some(&fetched) && state.tables.get(name).is_some_and(|t| *t == first_table(name, &datasets));
        if fetched.is_empty() || unchanged {
            continue;
        }
        let folders: BTreeSet<&str> = fetched.keys().filter_map(|file| file.split('/').next()).collect();
        let (table, provenance) = import(name, &update.events, folders.into_iter().map(|f| raw.join(f)), &datasets)?;
        let _ = writeln!(out, "imported {name}:");
        out.push_str(&crate::render::terminal::import_summary(&table, &provenance));
        inputs.insert(name.to_string(), fetched);
        imported.push(name);
    }
    for placed in report.fresh() {
        if let Some(Import::ByHand(name)) = fetch::publisher(&placed.entry.source).map(|p| p.import()) {
            let _ = writeln!(
                out,
                "{}: {} is {}; import it with `mdime import {name} {} …` (`mdime import {name} --help` says what else it reads)",
                placed.entry.source,
                placed.path.display(),
                placed.status.label(),
                placed.path.display(),
            );
        }
    }

    let previous = Some(update.runs.join(&state.last_run)).filter(|p| !state.last_run.is_empty() && p.join(crate::export::manifest::FILE).is_file());
    if imported.is_empty() && previous.is_some() {
        let _ = writeln!(out, "nothing new to import; the last run stands: {}", update.runs.join(&state.last_run).display());
        write_latest(&update.runs, &out)?;
        return Ok(Updated { verdict: Verdict::NothingNew, text: out, run: None });
    }

    let config = update.data.validate()?;
    let stamp = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
    // Two updates within a second must not share a folder: the second would replace the run it compares with.
    let name = (1..).map(|n| if n == 1 { stamp.clone() } else { format!("{stamp}-{n}") }).find(|name| !update.runs.join(name).exists()).unwrap_or(stamp);
    let dir = update.runs.join(&name);
    // The index lists what moved since the previous update's run.
    let outputs = Outputs { dir: dir.clone(), formats: update.formats.clone(), progress: update.fetch.progress, compare: previous.clone() };
    let summary = crate::run(&config, &outputs, false)?;
    let _ = writeln!(out, "ran: {} ratings of {} recipients → {} ({:.1} s)", summary.evaluation.assessments.len(), config.recipients.len(), dir.display(), summary.seconds);
    let verdict = match previous {
        None => {
            let _ = writeln!(out, "no earlier update's run to compare with: this one is the baseline");
            Verdict::NewData
        }
        Some(previous) => {
            let diff = crate::diff::compare(&previous, &dir)?;
            out.push_str(&crate::diff::report::terminal(&diff));
            let mut batch = crate::artefact::Batch::new();
            batch.stage(&dir.join(crate::diff::report::DIFF_CSV), &crate::diff::report::csv(&diff)?)?;
            batch.stage(&dir.join(crate::diff::report::DIFF_MD), crate::diff::report::markdown(&diff).as_bytes())?;
            batch.commit()?;
            if diff.changes.is_empty() {
                Verdict::NewData
            } else {
                Verdict::Changed
            }
        }
    };
    let tables = automatic_imports().map(|name| (name.to_string(), first_table(name, &datasets))).collect();
    let state = State { last_run: name, inputs, tables };
    let mut batch = crate::artefact::Batch::new();
    batch.stage(&update.runs.join(STATE), serde_json::to_string_pretty(&state).expect("the state is plain data and always serialises").as_bytes())?;
    batch.commit()?;
    write_latest(&update.runs, &out)?;
    Ok(Updated { verdict, text: out, run: Some(dir) })
}

/// The imports an update runs itself, each once.
fn automatic_imports() -> impl Iterator<Item = &'static str> {
    let names: BTreeSet<&'static str> = fetch::PUBLISHERS.iter().filter_map(|p| match p.import() {
        Import::Automatic(name) => Some(name),
        Import::ByHand(_) => None,
    }).collect();
    names.into_iter()
}

/// Whether the files of the fetched source `source` are read by the import `name`.
fn imports_with(source: &str, name: &'static str) -> bool {
    fetch::publisher(source).is_some_and(|p| p.import() == Import::Automatic(name))
}

/// Runs `mdime import NAME` through the source registry on `base` (or the import's own default inputs)
/// and the fetched folders; returns its first table and provenance.
fn import(name: &str, base: &[PathBuf], fetched: impl Iterator<Item = PathBuf>, datasets: &Path) -> Result<(PathBuf, Provenance)> {
    let source = sources::importable(name).ok_or_else(|| Error::option("SOURCE", format!("no import `{name}` in the registry")))?;
    let command = source.import_command().ok_or_else(|| Error::option("SOURCE", format!("`{name}` has no import")))?;
    let base = if base.is_empty() { source.default_inputs() } else { base.to_vec() };
    let mut args: Vec<std::ffi::OsString> = vec![name.into()];
    args.extend(base.into_iter().filter(|p| p.exists()).map(PathBuf::into_os_string));
    args.extend(fetched.map(PathBuf::into_os_string));
    let matches = command.try_get_matches_from(args).map_err(|e| Error::option("--events", e.to_string()))?;
    let imported = source.import(&matches, datasets)?;
    Ok((imported.tables[0].clone(), imported.provenance))
}

/// SHA-256 of the first table of the import `name` as its provenance records it; empty where it has
/// none.
fn first_table(name: &str, datasets: &Path) -> String {
    let Some(table) = sources::importable(name).and_then(|s| s.tables().first().map(|t| datasets.join(t.spec.file))) else { return String::new() };
    Provenance::load(&Provenance::path_for(&table)).map(|p| p.table_sha256).unwrap_or_default()
}

fn write_latest(runs: &Path, text: &str) -> Result<()> {
    let mut batch = crate::artefact::Batch::new();
    batch.stage(&runs.join(LATEST), text.as_bytes())?;
    batch.commit().map(|_| ())
}
