//! The import: every event file found → the three tables, all or none.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{aggregate, cache, collect, dataverse, gdelt, polecat, tkg};

use polars::prelude::*;

use super::actors::Directory;
use super::cameo::Mapping;
use super::collect::{Collector, Derived, EventRow, EventRows, Merged, Part};
use super::stream::Location;
use super::tkg::Container;
use crate::ingest::provenance::{today, Counts, Exclusion, Input, Provenance};
use crate::ingest::table::{self, Column, Kind, TableSpec};
use crate::artefact::{csv_bytes, Batch, Scratch};
use crate::domain::CountryTable;
use crate::error::{Error, Result};

pub const COMMAND: &str = "mdime import events";

pub const EVENTS: TableSpec = TableSpec {
    file: "events.csv",
    command: COMMAND,
    columns: &[
        Column::text("benefactor"),
        Column::text("benefactor_iso3"),
        Column::text("recipient"),
        Column::text("recipient_iso3"),
        Column::text("instrument"),
        Column::new("year", Kind::YEAR),
        Column::new("events", Kind::COUNT),
        Column::amount("weighted_events", 4e8),
        Column::amount("covered_days", 366.0),
        Column::amount("rate_per_30_days", 1e9),
        Column::text("codes_covered_less"),
        Column::text("sources"),
    ],
};

pub const COVERAGE: TableSpec = TableSpec {
    file: "event_coverage.csv",
    command: COMMAND,
    columns: &[
        Column::new("year", Kind::YEAR),
        Column::text("country_iso3"),
        Column::text("country"),
        Column::new("benefactor", Kind::Flag),
        Column::amount("covered_days", 366.0),
        Column::new("records", Kind::COUNT),
        Column::text("instruments"),
        Column::text("sources"),
    ],
};

pub const ROWS: TableSpec = TableSpec {
    file: "event_rows.parquet",
    command: COMMAND,
    columns: &[
        Column::text("date"),
        Column::new("year", Kind::YEAR),
        Column::text("benefactor_iso3"),
        Column::text("recipient_iso3"),
        Column::text("instrument"),
        Column::text("code"),
        Column::amount("weight", 4.0),
        Column::new("from_benefactor", Kind::Flag),
        Column::text("source_actor"),
        Column::text("target_actor"),
        Column::text("text"),
        Column::text("url"),
        Column::text("event_id"),
        Column::text("file"),
        Column::new("line", Kind::LINE),
        Column::new("records", Kind::COUNT),
    ],
};

pub const DEFAULT_DIR: &str = "../shared/data/events";
pub const SOURCE: &str = "Machine-coded events (ICEWS, GDELT, POLECAT) mapped to instruments by datasets/cameo_instruments.csv";
const METHOD: &str = "each record: the two sides resolved to a country and a role (country names and ICEWS sector actors through \
    the country table and datasets/icews_sectors.csv, people through datasets/office_holders.csv for the day, GDELT's codes through \
    the country table and datasets/cameo_country_codes.csv); kept when one side is a benefactor and the other a tracked recipient, \
    both state bodies, the act counts for an instrument (datasets/cameo_instruments.csv) with the actors it requires, one-way acts go \
    from the benefactor, and no record of the same actors, act and day was kept before. A day is taken from one source (ICEWS's full \
    files before its benchmark subsets) and a year from one kind of source (the one covering more days). rate_per_30_days: per \
    CAMEO code, weighted events × 30 / days the sources cover that code in the year, summed over the instrument's codes";

/// What the import wrote and found.
#[derive(Debug)]
pub struct ImportReport {
    pub tables: Vec<PathBuf>,
    pub provenance: Provenance,
    pub years: Vec<collect::YearRow>,
    pub coverage: Vec<collect::CoverageRow>,
    /// The inputs read from their files, by name; the others were taken from an earlier import's parts.
    pub read: Vec<String>,
}

/// One input as found on disk, before it is read.
#[derive(Debug)]
enum Found {
    Set(Container),
    Dataverse(Location),
    Polecat(Location),
    Gdelt(Location, gdelt::Version),
    GdeltParquet(Location),
    Aggregate(PathBuf),
}

impl Found {
    /// Reading order: ICEWS's full files before its subsets (a day both have is taken from the first),
    /// then the other kinds of source.
    fn rank(&self) -> u8 {
        match self {
            Found::Dataverse(_) => DATAVERSE,
            Found::Set(_) => 1,
            Found::Polecat(_) => 2,
            Found::Gdelt(..) | Found::GdeltParquet(_) => 3,
            Found::Aggregate(_) => 4,
        }
    }

    /// The name the tables give the input.
    fn name(&self) -> String {
        match self {
            Found::Set(container) => container.label(),
            Found::Dataverse(l) | Found::Polecat(l) | Found::Gdelt(l, _) | Found::GdeltParquet(l) => l.file_name(),
            Found::Aggregate(path) => path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        }
    }
}

/// The rank of ICEWS's Dataverse files, whose days depend on the other such files of the import.
const DATAVERSE: u8 = 0;

/// An input to read now (with its place in the index of parts, unless it is a pipe), or one whose part
/// an earlier import left; each with where it is, as the paths given name it.
enum ToRead {
    Read(Found, Option<cache::Slot>),
    Known(cache::Known, PathBuf),
}

impl ToRead {
    fn rank(&self) -> u8 {
        match self {
            ToRead::Read(found, _) => found.rank(),
            ToRead::Known(known, _) => known.rank,
        }
    }

    fn name(&self) -> String {
        match self {
            ToRead::Read(found, _) => found.name(),
            ToRead::Known(known, _) => known.name.clone(),
        }
    }

    fn path(&self) -> PathBuf {
        match self {
            ToRead::Read(found, _) => found.path(),
            ToRead::Known(_, path) => path.clone(),
        }
    }
}

/// What the walk over the paths given has found so far.
struct Walk {
    inputs: Vec<ToRead>,
    cache: cache::Cache,
    /// The files and folders seen, canonical, with the path that first named each: one given twice (or
    /// inside a folder also given) is read once.
    seen: std::collections::HashMap<PathBuf, PathBuf>,
    /// Each path given again, with the path that first named it.
    repeats: Vec<(PathBuf, PathBuf)>,
}

impl Walk {
    /// Takes the inputs an earlier import found at `path` (`canonical`) if unchanged (`stamps`), or else
    /// notes the origin of the inputs `found` (called with a slot for each) reads from it now.
    fn origin(&mut self, path: &Path, canonical: &Path, stamps: Vec<cache::Stamp>, found: impl FnOnce(&mut dyn FnMut(Found)) -> Result<()>) -> Result<()> {
        if let Some(known) = self.cache.known(canonical, &stamps) {
            // A zip's members are named inside it, as `Location::path` names them.
            let single = known.len() == 1;
            self.inputs.extend(known.iter().cloned().map(|k| {
                let at = if single { path.to_path_buf() } else { path.join(k.name.rsplit(':').next().unwrap_or(&k.name)) };
                ToRead::Known(k, at)
            }));
            self.cache.keep(canonical, stamps, known);
            return Ok(());
        }
        let origin = self.cache.start(canonical, stamps);
        let (inputs, cache) = (&mut self.inputs, &mut self.cache);
        found(&mut |f| inputs.push(ToRead::Read(f, Some(cache.slot(origin)))))
    }

    /// Whether `path` was seen before; if so it is noted as a repeat, else as seen.
    fn again(&mut self, path: &Path, canonical: PathBuf) -> bool {
        match self.seen.get(&canonical) {
            Some(first) => {
                self.repeats.push((path.to_path_buf(), first.clone()));
                true
            }
            None => {
                self.seen.insert(canonical, path.to_path_buf());
                false
            }
        }
    }
}

/// Reads every event file under `paths` (files, folders, zips) and the aggregates, and writes the three
/// tables and their provenance into `datasets`, all or none. `benefactors` are ISO-3 codes. A file an
/// earlier import into `datasets` read, unchanged since, is taken from the part it left (`cache`).
///
/// An input given twice (the same path, a folder holding it again, or the same bytes under another
/// name) would count its events and its covered days twice, halving every rate: it is merged once and
/// the provenance lists the repeat. Bytes are compared by the SHA-256 each part records of the files it
/// was read from, so that no file is hashed apart from its reading.
pub fn import(paths: &[PathBuf], aggregates: &[PathBuf], benefactors: &[String], datasets: &Path) -> Result<ImportReport> {
    let countries = CountryTable::builtin();
    let (mapping, mut tables_read) = Mapping::load(datasets)?;
    let (directory, more) = Directory::load(datasets, countries)?;
    tables_read.extend(more);
    tables_read.extend(crate::ingest::local_names::table_read(datasets)?);

    let cache = cache::Cache::open(datasets, cache::settings(benefactors, &tables_read));
    let mut walk = Walk { inputs: Vec::new(), cache, seen: Default::default(), repeats: Vec::new() };
    for path in paths {
        discover(path, &mut walk)?;
    }
    for path in aggregates {
        let canonical = canonical(path)?;
        if !walk.again(path, canonical.clone()) {
            walk.origin(path, &canonical, vec![cache::Stamp::of(path)?], |found| {
                found(Found::Aggregate(path.clone()));
                Ok(())
            })?;
        }
    }
    let Walk { mut inputs, mut cache, repeats, .. } = walk;
    if inputs.is_empty() {
        return Err(Error::Option { option: "FILE".into(), message: "no event file given or found".into() });
    }
    inputs.sort_by_key(ToRead::rank);

    // The new inputs are read (and their parts staged) first, so that the files each input holds are
    // known before any part is merged: a Dataverse file's days depend on the names of the others kept.
    // The candidates each input passes, and the events sorted, go to disk beside the tables.
    let scratch = Scratch::beside(datasets)?;
    let lookups = gdelt::Lookups::new(&directory, countries, &Collector::new(&mapping, countries, benefactors, scratch.file("lookups")))?;
    let mut batch = Batch::new();
    let mut read = Vec::new();
    // Each input kept: its rank, its name, and its part (read now) or where an earlier import left it.
    let mut kept: Vec<(u8, String, std::result::Result<Part, cache::Known>)> = Vec::new();
    let mut first_with: std::collections::HashMap<Vec<String>, PathBuf> = Default::default();
    let mut repeated = Vec::new();
    for input in inputs {
        let (rank, name, path) = (input.rank(), input.name(), input.path());
        let (part, sha256) = match input {
            ToRead::Known(known, _) => {
                let sha256 = known.sha256.clone();
                (Err(known), sha256)
            }
            ToRead::Read(found, slot) => {
                read.push(name.clone());
                let mut collector = Collector::new(&mapping, countries, benefactors, scratch.file("candidates"));
                match &found {
                    Found::Set(container) => tkg::read(container, &directory, countries, &mut collector)?,
                    Found::Dataverse(location) => dataverse::read(location, &directory, countries, &mut collector)?,
                    Found::Polecat(location) => polecat::read(location, &directory, countries, &mut collector)?,
                    Found::Gdelt(location, version) => gdelt::read(location, *version, &lookups, &directory, &mut collector)?,
                    Found::GdeltParquet(location) => gdelt::read_parquet(location, &lookups, &directory, &mut collector)?,
                    Found::Aggregate(path) => aggregate::read(path, countries, &mut collector)?,
                }
                let part = collector.into_part()?;
                let sha256: Vec<String> = part.tallies.iter().map(|t| t.sha256.clone()).collect();
                let part = match slot {
                    Some(slot) => cache.stage(&mut batch, slot, rank, name.clone(), part)?,
                    None => part,
                };
                (Ok(part), sha256)
            }
        };
        match first_with.get(&sha256).filter(|_| !sha256.is_empty()) {
            Some(first) => repeated.push(repeat(&path, first, sha256.join(" "))),
            None => {
                first_with.insert(sha256, path);
                kept.push((rank, name, part));
            }
        }
    }
    let sha_at: std::collections::HashMap<&PathBuf, &Vec<String>> = first_with.iter().map(|(sha256, path)| (path, sha256)).collect();
    for (path, first) in &repeats {
        repeated.push(repeat(path, first, sha_at.get(first).map(|s| s.join(" ")).unwrap_or_default()));
    }

    let dataverse_names: Vec<String> = kept.iter().filter(|(rank, ..)| *rank == DATAVERSE).map(|(_, name, _)| name.clone()).collect();
    let dataverse_files = dataverse::Files::new(&dataverse_names);
    let mut merged = Merged::new(&mapping, benefactors, &scratch);
    for (rank, name, part) in kept {
        let part = match part {
            Ok(part) => part,
            Err(known) => cache.load(&known)?,
        };
        let window = if rank == DATAVERSE { dataverse_files.window(&name) } else { None };
        merged.add(part, window)?;
    }
    let derived = merged.finish(countries)?;
    let first_path = paths.first().or(aggregates.first()).cloned().unwrap_or_default();
    cache.stage_index(&mut batch)?;
    let report = write(batch, datasets, derived, &tables_read, &repeated, benefactors, &first_path)?;
    cache.prune();
    Ok(ImportReport { read, ..report })
}

/// The provenance's note of an input (`path`) left out as the same data as `first`.
fn repeat(path: &Path, first: &Path, sha256: String) -> Input {
    Input::file(path.display().to_string(), sha256, format!("the same data as {}: read once, from there", first.display()))
}

fn canonical(path: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(path).map_err(|e| {
        let source = if e.kind() == std::io::ErrorKind::NotFound { std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder") } else { e };
        Error::Read { path: path.to_path_buf(), source }
    })
}

impl Found {
    /// Where the input's bytes are, as a user named them.
    fn path(&self) -> PathBuf {
        match self {
            Found::Set(container) => container.path().to_path_buf(),
            Found::Dataverse(l) | Found::Polecat(l) | Found::Gdelt(l, _) | Found::GdeltParquet(l) => l.path(),
            Found::Aggregate(p) => p.clone(),
        }
    }
}

/// Finds the inputs under a path: a benchmark set (a folder or zip with the id maps), a zip of event
/// files, a folder to walk, or a file whose layout its first line tells. A file or set unchanged since
/// the last import is not opened; one seen before is noted as a repeat (a folder seen before is walked
/// again, so that each file in it is).
fn discover(path: &Path, walk: &mut Walk) -> Result<()> {
    let canonical = canonical(path)?;
    let read_err = |e: std::io::Error| Error::Read { path: path.to_path_buf(), source: e };
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path).map_err(read_err)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        let names: Vec<String> = entries.iter().filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned())).collect();
        if tkg::is_set(&names, path)? {
            if walk.again(path, canonical.clone()) {
                return Ok(());
            }
            let stamps = entries.iter().filter(|p| p.is_file()).map(|p| cache::Stamp::of(p)).collect::<Result<Vec<_>>>()?;
            return walk.origin(path, &canonical, stamps, |found| {
                found(Found::Set(Container::Folder(path.to_path_buf())));
                Ok(())
            });
        }
        walk.seen.entry(canonical).or_insert_with(|| path.to_path_buf());
        for entry in entries {
            discover(&entry, walk)?;
        }
        return Ok(());
    }
    if walk.again(path, canonical.clone()) {
        return Ok(());
    }
    let location = Location::of_path(path)?;
    if let Location::Pipe(..) = location {
        // A pipe's bytes are new each time: read, never kept.
        walk.inputs.push(ToRead::Read(recognise(location)?, None));
        return Ok(());
    }
    walk.origin(path, &canonical, vec![cache::Stamp::of(path)?], |found| {
        let head = location.head(4)?;
        // An empty zip is its end record alone (`PK\x05\x06`), with no member header before it.
        if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
            let names = tkg::zip_names(path)?;
            if names.iter().all(String::is_empty) {
                return Err(Error::Format { path: path.to_path_buf(), message: "an empty zip archive: it holds no file, so no event was read; zip the event files or the benchmark set again".into() });
            }
            if tkg::is_set(&names, path)? {
                found(Found::Set(Container::Zip(path.to_path_buf())));
                return Ok(());
            }
            for member in names.into_iter().filter(|n| !n.is_empty()) {
                found(recognise(Location::ZipMember { zip: path.to_path_buf(), member })?);
            }
            return Ok(());
        }
        found(recognise(location)?);
        Ok(())
    })
}

/// The layout of an event file from its first line, or an error saying what it holds and what is read.
fn recognise(location: Location) -> Result<Found> {
    let head = location.head(1 << 16)?;
    if let (true, Location::File(path)) = (head.starts_with(b"PAR1"), &location) {
        let file = std::fs::File::open(path).map_err(|e| Error::Read { path: path.clone(), source: e })?;
        let names: Vec<String> = ParquetReader::new(file).schema().map_err(|e| Error::from(e).in_file(path, None))?.iter_names().map(|n| n.to_string()).collect();
        if gdelt::parquet_version(&names).is_some() {
            return Ok(Found::GdeltParquet(location));
        }
        let shown: Vec<&str> = names.iter().take(12).map(String::as_str).collect();
        return Err(Error::Format {
            path: path.clone(),
            message: format!(
                "a Parquet file with the columns {}…, which are not GDELT's; a GDELT table in Parquet needs the codebook's names ({} …, DATEADDED)",
                crate::ingest::one_file::quote_list(&shown),
                crate::ingest::one_file::quote_list(&gdelt::COLUMN_NAMES[..8])
            ),
        });
    }
    let text = String::from_utf8_lossy(&head);
    let first = text.trim_start_matches('\u{feff}').lines().next().unwrap_or("").trim_end_matches('\r').to_string();
    let header: Vec<&str> = first.split('\t').map(str::trim).collect();
    let has = |columns: &[&str]| columns.iter().all(|c| header.contains(c));
    if has(&dataverse::COLUMNS) {
        return Ok(Found::Dataverse(location));
    }
    if has(&polecat::COLUMNS) {
        return Ok(Found::Polecat(location));
    }
    if let Some(version) = gdelt::recognise(&first) {
        return Ok(Found::Gdelt(location, version));
    }
    let csv_header: Vec<&str> = first.split(',').map(str::trim).collect();
    if aggregate::COLUMNS.iter().all(|c| csv_header.contains(c)) {
        if let Location::File(path) = location {
            return Ok(Found::Aggregate(path));
        }
    }
    let shown: String = first.chars().take(120).collect();
    let what = if first.is_empty() { "the file is empty".to_string() } else { format!("line 1: `{shown}` ({} tab-separated fields)", header.len()) };
    Err(Error::Format {
        path: location.path(),
        message: format!(
            "{what} is in no layout mdime reads as event data; expected one of: ICEWS Dataverse events (a tab-separated header with {}), \
             POLECAT (a tab-separated header with {}), a GDELT export without header ({} tab-separated fields for 2.0, {} for 1.0 daily files, \
             {} for 1.0 historical files, each starting with a numeric id and a YYYYMMDD date), an ICEWS benchmark set (a folder or zip \
             with entity2id.txt and relation2id.txt), GDELT in Parquet (the codebook's column names), or mdime's GDELT aggregate \
             (a CSV header {})",
            crate::ingest::one_file::quote_list(&dataverse::COLUMNS[..4]),
            crate::ingest::one_file::quote_list(&polecat::COLUMNS[..4]),
            gdelt::Version::V2.columns(),
            gdelt::Version::V1Daily.columns(),
            gdelt::Version::V1History.columns(),
            aggregate::COLUMNS.join(","),
        ),
    })
}

/// How many unresolved names each input's provenance lists.
const UNRESOLVED_SHOWN: usize = 20;

fn write(mut batch: Batch, datasets: &Path, derived: Derived, tables_read: &[(String, String)], repeated: &[Input], benefactors: &[String], input: &Path) -> Result<ImportReport> {
    let Derived { years, coverage, events, tallies, sources, year_days } = derived;
    let mut inputs: Vec<Input> = tables_read.iter().map(|(file, sha)| Input::file(file.clone(), sha.clone(), "mapping table in datasets/".into())).collect();
    let mut excluded: BTreeMap<String, usize> = BTreeMap::new();
    let (mut lines, mut records) = (0, 0);
    for tally in &tallies {
        for (reason, n) in &tally.reasons {
            *excluded.entry(reason.clone()).or_default() += n;
        }
        lines += tally.lines;
        records += tally.records;
        let mut unresolved: Vec<Exclusion> = tally.unresolved.iter().map(|(reason, &rows)| Exclusion { reason: reason.clone(), rows }).collect();
        unresolved.sort_by(|a, b| b.rows.cmp(&a.rows).then_with(|| a.reason.cmp(&b.reason)));
        unresolved.truncate(UNRESOLVED_SHOWN);
        inputs.push(Input {
            lines: tally.lines,
            records_read: tally.records,
            entries_read: tally.records,
            entries_kept: tally.kept,
            set_aside: tally.reasons.iter().map(|(reason, &rows)| Exclusion { reason: reason.clone(), rows }).collect(),
            unresolved,
            encoding: "UTF-8".into(),
            ..Input::file(tally.file.clone(), tally.sha256.clone(), format!("{}: {}", sources[tally.source].label, tally.layout))
        });
    }
    inputs.extend(repeated.iter().cloned());
    if years.is_empty() && records > 0 {
        let mut reasons: Vec<(&String, &usize)> = excluded.iter().collect();
        reasons.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        let why: Vec<String> = reasons.iter().take(3).map(|(reason, n)| format!("{n} because {reason}")).collect();
        return Err(Error::Format {
            path: input.to_path_buf(),
            message: format!("none of the {records} records read counts for a benefactor and a tracked recipient in a year the input covers ({}); nothing was written", why.join("; ")),
        });
    }
    let years_covered: Vec<String> = year_days.iter().map(|(y, d)| format!("{y} ({d} days)")).collect();
    let mut provenance = Provenance {
        table: EVENTS.file.into(),
        source: SOURCE.into(),
        citation: "ICEWS Coded Event Data (Boschee et al., Harvard Dataverse, doi:10.7910/DVN/28075), its benchmark subsets \
                   (RE-Net, zrLLM, TAME authors), the GDELT Project (gdeltproject.org), POLECAT (Halterman et al.)"
            .into(),
        source_file: String::new(),
        sha256: String::new(),
        encoding: String::new(),
        data_generated: String::new(),
        imported_on: today(),
        mdime_version: env!("CARGO_PKG_VERSION").into(),
        method: format!("{METHOD}. Benefactors: {}. Years covered: {}", benefactors.join(", "), years_covered.join(", ")),
        layout: String::new(),
        normalised: Vec::new(),
        table_sha256: String::new(),
        counts: Counts { lines, records_read: records, ..Counts::default() },
        rejected: Vec::new(),
        excluded: excluded.into_iter().map(|(reason, rows)| Exclusion { reason, rows }).collect(),
        inputs,
        comparisons: Vec::new(),
    };
    let mut tables = Vec::new();
    // The countries seen prove the input had records; a year with no event between a benefactor and a
    // recipient writes the events' tables with no rows.
    tables.push(table::stage_table(&mut batch, datasets, &EVENTS, &csv_bytes(&years)?, &mut provenance, input, false, &[])?);
    // The other two tables' records name the same inputs; their counts stay in events.provenance.toml.
    let brief = Provenance {
        inputs: provenance.inputs.iter().map(|i| Input::file(i.file.clone(), i.sha256.clone(), i.role.clone())).collect(),
        excluded: Vec::new(),
        method: format!("{} (each input's records, kept and set aside, are in {})", provenance.method, Provenance::path_for(Path::new(EVENTS.file)).display()),
        ..provenance.clone()
    };
    let mut coverage_provenance = Provenance { table: COVERAGE.file.into(), ..brief.clone() };
    tables.push(table::stage_table(&mut batch, datasets, &COVERAGE, &csv_bytes(&coverage)?, &mut coverage_provenance, input, true, &[])?);
    let mut rows_provenance = Provenance { table: ROWS.file.into(), ..brief };
    let EventRows { count, mut sorted } = events;
    let group = |size: usize| -> Result<DataFrame> {
        let rows: Vec<EventRow> = sorted.by_ref().take(size).map(|r| r.map(|r| r.row)).collect::<Result<_>>()?;
        rows_frame(&rows)
    };
    tables.push(table::stage_parquet(&mut batch, datasets, &ROWS, count, group, &mut rows_provenance, input, false)?);
    batch.commit()?;
    Ok(ImportReport { tables, provenance, years, coverage, read: Vec::new() })
}

fn rows_frame(rows: &[EventRow]) -> Result<DataFrame> {
    let text = |f: fn(&EventRow) -> &str| rows.iter().map(|r| f(r).to_string()).collect::<Vec<String>>();
    Ok(df! {
        "date" => text(|r| &r.date),
        "year" => rows.iter().map(|r| i64::from(r.year)).collect::<Vec<_>>(),
        "benefactor_iso3" => text(|r| &r.benefactor_iso3),
        "recipient_iso3" => text(|r| &r.recipient_iso3),
        "instrument" => text(|r| &r.instrument),
        "code" => text(|r| &r.code),
        "weight" => rows.iter().map(|r| r.weight).collect::<Vec<_>>(),
        "from_benefactor" => rows.iter().map(|r| r.from_benefactor).collect::<Vec<_>>(),
        "source_actor" => text(|r| &r.source_actor),
        "target_actor" => text(|r| &r.target_actor),
        "text" => text(|r| &r.text),
        "url" => text(|r| &r.url),
        "event_id" => text(|r| &r.event_id),
        "file" => text(|r| &r.file),
        "line" => rows.iter().map(|r| r.line as i64).collect::<Vec<_>>(),
        "records" => rows.iter().map(|r| r.records as i64).collect::<Vec<_>>(),
    }?)
}

/// The yearly table and the coverage table with their provenance, or None when events were never imported.
pub fn find_tables(datasets: &Path) -> Result<Option<(PathBuf, PathBuf, Provenance)>> {
    let Some((events, provenance)) = table::find_table(datasets, &EVENTS)? else { return Ok(None) };
    let (coverage, _) = table::require_table(datasets, &COVERAGE)?;
    Ok(Some((events, coverage, provenance)))
}

/// The event rows, checked, or None when events were never imported.
pub fn find_rows(datasets: &Path) -> Result<Option<DataFrame>> {
    Ok(table::find_parquet(datasets, &ROWS)?.map(|(_, _, frame)| frame))
}
