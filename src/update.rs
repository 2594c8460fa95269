//! `mdime update`: the scheduled job. Fetch what is new; import what changed, judged by SHA-256; run;
//! and compare the run with the previous update's, saying what moved and why. The runs folder keeps
//! one sub-folder per run, `state.json` (what the last update imported and ran) and `latest.txt` (its
//! printed summary), and the exit status tells a scheduler what happened ([`Verdict`]).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::cli::{Outputs, Update};
use crate::error::{Error, Result};
use crate::fetch::{self, log};
use crate::ingest::Provenance;
use crate::sources::events;

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
    /// The fetched event files (GDELT) the event import read, by path under the raw-data folder → SHA-256.
    pub events_inputs: BTreeMap<String, String>,
    /// SHA-256 of `events.csv` as that import wrote it: another import since then (by hand) makes the
    /// next update import again.
    pub events_table: String,
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
    let _lock = crate::artefact::lock_folder(&update.runs)?;
    let mut out = String::new();
    let report = fetch::fetch(&update.fetch)?;
    out.push_str(&report.summary());

    let datasets = crate::cli::datasets_folder(&update.data.datasets)?;
    let state = State::load(&update.runs)?;
    let raw = &update.fetch.raw;
    let entries = log::read(raw)?;
    let is_events = |source: &str| fetch::publisher(source).is_some_and(|p| p.events());
    let fetched_events: BTreeMap<String, String> = log::latest(&entries)
        .into_iter()
        .filter(|(file, entry)| is_events(&entry.source) && raw.join(file).is_file())
        .map(|(file, entry)| (file.to_string(), entry.sha256.clone()))
        .collect();
    let imported = !fetched_events.is_empty() && (fetched_events != state.events_inputs || events_table(&datasets) != state.events_table);
    if imported {
        let mut paths: Vec<PathBuf> = update.events.iter().filter(|p| p.exists()).cloned().collect();
        let folders: std::collections::BTreeSet<&str> = entries.iter().filter(|e| is_events(&e.source)).map(|e| e.source.as_str()).collect();
        paths.extend(folders.into_iter().map(|source| raw.join(source)));
        let benefactors = events::kept_benefactors(&[], &datasets)?;
        let import = events::import(&paths, &[], &benefactors, &datasets)?;
        let _ = writeln!(
            out,
            "imported events: {} records read from {} input(s), {} rows → {}",
            import.provenance.counts.records_read,
            paths.len(),
            import.provenance.counts.rows_written,
            import.tables[0].display()
        );
    }
    for placed in report.fresh().filter(|f| !is_events(&f.entry.source)) {
        let _ = writeln!(
            out,
            "{}: {} is {}; import it with `mdime import {} {}` (see `mdime import {} --help`)",
            placed.entry.source,
            placed.path.display(),
            placed.status.label(),
            import_name(&placed.entry.source),
            placed.path.display(),
            import_name(&placed.entry.source)
        );
    }

    let previous = Some(update.runs.join(&state.last_run)).filter(|p| !state.last_run.is_empty() && p.join(crate::export::manifest::FILE).is_file());
    if !imported && previous.is_some() {
        let _ = writeln!(out, "nothing new to import; the last run stands: {}", update.runs.join(&state.last_run).display());
        write_latest(&update.runs, &out)?;
        return Ok(Updated { verdict: Verdict::NothingNew, text: out, run: None });
    }

    let config = update.data.validate()?;
    let name = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
    let dir = update.runs.join(&name);
    let outputs = Outputs { dir: dir.clone(), formats: update.formats.clone(), progress: update.fetch.progress };
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
    let state = State { last_run: name, events_inputs: if imported { fetched_events } else { state.events_inputs }, events_table: events_table(&datasets) };
    let mut batch = crate::artefact::Batch::new();
    batch.stage(&update.runs.join(STATE), serde_json::to_string_pretty(&state).expect("the state is plain data and always serialises").as_bytes())?;
    batch.commit()?;
    write_latest(&update.runs, &out)?;
    Ok(Updated { verdict, text: out, run: Some(dir) })
}

/// SHA-256 of `events.csv` as its provenance records it; empty where it has none.
fn events_table(datasets: &Path) -> String {
    let table = datasets.join(events::EVENTS.file);
    Provenance::load(&Provenance::path_for(&table)).map(|p| p.table_sha256).unwrap_or_default()
}

/// The import that reads a source fetched by hand.
fn import_name(source: &str) -> &str {
    match source {
        "dots" => "trade",
        other => other,
    }
}

fn write_latest(runs: &Path, text: &str) -> Result<()> {
    let mut batch = crate::artefact::Batch::new();
    batch.stage(&runs.join(LATEST), text.as_bytes())?;
    batch.commit().map(|_| ())
}
