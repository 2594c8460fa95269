//! The import: every event file found → the three tables, all or none.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{aggregate, collect, dataverse, gdelt, polecat, tkg};

use polars::prelude::*;

use super::actors::Directory;
use super::cameo::Mapping;
use super::collect::{Collector, Derived, EventRow};
use super::stream::Location;
use super::tkg::Container;
use crate::ingest::provenance::{today, Counts, Exclusion, Input, Provenance};
use crate::ingest::table::{self, Column, Kind, TableSpec};
use crate::artefact::{csv_bytes, Batch};
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
        Column::new("line", Kind::COUNT),
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
    pub events: Vec<EventRow>,
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
            Found::Dataverse(_) => 0,
            Found::Set(_) => 1,
            Found::Polecat(_) => 2,
            Found::Gdelt(..) | Found::GdeltParquet(_) => 3,
            Found::Aggregate(_) => 4,
        }
    }
}

/// Reads every event file under `paths` (files, folders, zips) and the aggregates, and writes the three
/// tables and their provenance into `datasets`, all or none. `benefactors` are ISO-3 codes.
pub fn import(paths: &[PathBuf], aggregates: &[PathBuf], benefactors: &[String], datasets: &Path) -> Result<ImportReport> {
    let countries = CountryTable::builtin();
    let (mapping, mut tables_read) = Mapping::load(datasets)?;
    let (directory, more) = Directory::load(datasets, countries)?;
    tables_read.extend(more);

    let mut found = Vec::new();
    for path in paths {
        discover(path, &mut found)?;
    }
    found.extend(aggregates.iter().map(|p| Found::Aggregate(p.clone())));
    if found.is_empty() {
        return Err(Error::Option { option: "FILE".into(), message: "no event file given or found".into() });
    }
    found.sort_by_key(Found::rank);
    let (found, repeated) = read_once(found)?;

    let mut collector = Collector::new(&mapping, countries, benefactors);
    let lookups = gdelt::Lookups::new(&directory, countries, &collector)?;
    let dataverse_names: Vec<String> = found.iter().filter_map(|f| if let Found::Dataverse(l) = f { Some(l.file_name()) } else { None }).collect();
    let mut dataverse_files = dataverse::Files::new(&dataverse_names);
    for input in &found {
        match input {
            Found::Set(container) => tkg::read(container, &directory, countries, &mut collector)?,
            Found::Dataverse(location) => dataverse::read(location, &mut dataverse_files, &directory, countries, &mut collector)?,
            Found::Polecat(location) => polecat::read(location, &directory, countries, &mut collector)?,
            Found::Gdelt(location, version) => gdelt::read(location, *version, &lookups, &directory, &mut collector)?,
            Found::GdeltParquet(location) => gdelt::read_parquet(location, &lookups, &directory, &mut collector)?,
            Found::Aggregate(path) => aggregate::read(path, countries, &mut collector)?,
        }
    }
    let derived = collector.finish(countries);
    let first_path = paths.first().or(aggregates.first()).cloned().unwrap_or_default();
    write(datasets, derived, &tables_read, &repeated, benefactors, &first_path)
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

    /// The input's bytes as one stream, where they are one (a file, a zip, a zip's member): what two
    /// names for the same data share. A folder of a benchmark set and a named pipe have none.
    fn bytes(&self) -> Option<Location> {
        match self {
            Found::Set(Container::Zip(p)) | Found::Aggregate(p) => Some(Location::File(p.clone())),
            Found::Set(Container::Folder(_)) => None,
            Found::Dataverse(l) | Found::Polecat(l) | Found::Gdelt(l, _) | Found::GdeltParquet(l) => match l {
                Location::Pipe(..) => None,
                other => Some(other.clone()),
            },
        }
    }

    /// The byte size of `bytes`, to compare before hashing.
    fn size(&self) -> Result<Option<u64>> {
        let Some(location) = self.bytes() else { return Ok(None) };
        let read_err = |path: &Path, e: std::io::Error| Error::Read { path: path.to_path_buf(), source: e };
        Ok(Some(match location {
            Location::File(p) => std::fs::metadata(&p).map_err(|e| read_err(&p, e))?.len(),
            Location::ZipMember { zip, member } => {
                let file = std::fs::File::open(&zip).map_err(|e| read_err(&zip, e))?;
                let mut archive = ::zip::ZipArchive::new(file).map_err(|e| Error::Format { path: zip.clone(), message: format!("not a readable zip archive: {e}") })?;
                let size = archive.by_name(&member).map_err(|e| Error::Format { path: zip.join(&member), message: e.to_string() })?.size();
                size
            }
            Location::Pipe(..) => return Ok(None),
        }))
    }
}

/// The inputs with each given only once: a path named twice (or inside two folders named), or the same
/// bytes under two names, would count its events and its covered days twice, halving every rate. Bytes
/// are compared by SHA-256 only between inputs of the same size, so that a large file is hashed again
/// only when it may be a copy. Returns the inputs to read and, for the provenance, each one left out
/// with the input it repeats.
fn read_once(found: Vec<Found>) -> Result<(Vec<Found>, Vec<Input>)> {
    let mut kept: Vec<(Found, Option<PathBuf>, Option<u64>, Option<String>)> = Vec::new();
    let mut repeated = Vec::new();
    for input in found {
        let canonical = std::fs::canonicalize(input.path()).ok();
        let size = input.size()?;
        let mut sha256 = None;
        let mut first = None;
        for (other, other_canonical, other_size, other_sha) in kept.iter_mut() {
            if canonical.is_some() && canonical == *other_canonical {
                first = Some(other.path());
                break;
            }
            if size.is_none() || size != *other_size {
                continue;
            }
            let hash = |found: &Found| -> Result<String> {
                let location = found.bytes().expect("an input with a size has bytes");
                location.open()?.finish(&location.path())
            };
            if other_sha.is_none() {
                *other_sha = Some(hash(other)?);
            }
            if sha256.is_none() {
                sha256 = Some(hash(&input)?);
            }
            if sha256 == *other_sha {
                first = Some(other.path());
                break;
            }
        }
        match first {
            Some(first) => {
                let sha = match sha256 {
                    Some(sha) => sha,
                    None => input.bytes().map(|l| l.open().and_then(|h| h.finish(&l.path()))).transpose()?.unwrap_or_default(),
                };
                let role = format!("the same data as {}: read once, from there", first.display());
                repeated.push(Input::file(input.path().display().to_string(), sha, role));
            }
            None => kept.push((input, canonical, size, sha256)),
        }
    }
    Ok((kept.into_iter().map(|(found, ..)| found).collect(), repeated))
}

/// Finds the inputs under a path: a benchmark set (a folder or zip with the id maps), a zip of event
/// files, a folder to walk, or a file whose layout its first line tells.
fn discover(path: &Path, found: &mut Vec<Found>) -> Result<()> {
    let read_err = |e: std::io::Error| Error::Read { path: path.to_path_buf(), source: e };
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path).map_err(read_err)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        let names: Vec<String> = entries.iter().filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned())).collect();
        if tkg::is_set(&names, path)? {
            found.push(Found::Set(Container::Folder(path.to_path_buf())));
            return Ok(());
        }
        for entry in entries {
            discover(&entry, found)?;
        }
        return Ok(());
    }
    if !path.exists() {
        return Err(Error::Read { path: path.to_path_buf(), source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder") });
    }
    let location = Location::of_path(path)?;
    let head = location.head(4)?;
    // An empty zip is its end record alone (`PK\x05\x06`), with no member header before it.
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        let names = tkg::zip_names(path)?;
        if names.iter().all(String::is_empty) {
            return Err(Error::Format { path: path.to_path_buf(), message: "an empty zip archive: it holds no file, so no event was read; zip the event files or the benchmark set again".into() });
        }
        if tkg::is_set(&names, path)? {
            found.push(Found::Set(Container::Zip(path.to_path_buf())));
            return Ok(());
        }
        for member in names.into_iter().filter(|n| !n.is_empty()) {
            found.push(recognise(Location::ZipMember { zip: path.to_path_buf(), member })?);
        }
        return Ok(());
    }
    found.push(recognise(location)?);
    Ok(())
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

fn write(datasets: &Path, derived: Derived, tables_read: &[(String, String)], repeated: &[Input], benefactors: &[String], input: &Path) -> Result<ImportReport> {
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
    let mut batch = Batch::new();
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
    let mut frame = rows_frame(&events)?;
    tables.push(table::stage_parquet(&mut batch, datasets, &ROWS, &mut frame, &mut rows_provenance, input, false)?);
    batch.commit()?;
    Ok(ImportReport { tables, provenance, years, coverage, events })
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
