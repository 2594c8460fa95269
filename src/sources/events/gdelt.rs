//! GDELT event exports: 2.0 (15-minute updates, 61 tab-separated columns), 1.0 daily files (58) and 1.0
//! historical back-files (57, no source URL), without a header, in the codebooks' column order.
//!
//! Years of GDELT run to 10^8–10^9 records, so a file is read as a stream in chunks of `CHUNK` bytes cut
//! at line ends, each parsed by polars and reduced by one polars query: the actors' country codes and the
//! act's code are joined with small tables, every record is given the first rule it fails or marked a
//! candidate, and only the candidates (a benefactor and a tracked recipient, both state bodies, an act
//! that counts) go on to the shared rules, which spool them to disk (`spill`). Memory holds a chunk and
//! the day slots seen, whatever the number of records. Coverage comes from `DATEADDED`: a 2.0 update covers a 96th of its
//! day, a 1.0 daily file its day. Each event counts in the year of its own date (`SQLDATE`).

use std::collections::{BTreeMap, HashSet};
use std::io::{Cursor, Read};
use std::sync::Arc;

use jiff::civil::Date;
use polars::prelude::*;

use super::actors::{Actor, Directory, Role};
use super::collect::{Collector, Family, Record, Side, NOT_COUNTED, NOT_RECIPIENT, NOT_STATE, NO_BENEFACTOR, UNKNOWN_CODE};
use super::stream::{Hashed, Location};
use crate::domain::CountryTable;
use crate::error::{Error, Problem, Result};

/// Why a record with eight digits in `SQLDATE` that make no calendar day (`20190231`) is set aside.
const NO_DAY: &str = "`SQLDATE` is eight digits but no calendar day (such as 20190231)";

/// The GDELT layouts, by their number of columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// GDELT 2.0 event export (`20191024143000.export.CSV`): 61 columns, `DATEADDED` to the second.
    V2,
    /// GDELT 1.0 daily export (`20190101.export.CSV`): 58 columns, `DATEADDED` a day.
    V1Daily,
    /// GDELT 1.0 historical back-file (`2005.csv`): 57 columns, no `SOURCEURL`.
    V1History,
}

impl Version {
    pub fn columns(self) -> usize {
        match self {
            Version::V2 => 61,
            Version::V1Daily => 58,
            Version::V1History => 57,
        }
    }

    pub fn from_columns(n: usize) -> Option<Version> {
        [Version::V2, Version::V1Daily, Version::V1History].into_iter().find(|v| v.columns() == n)
    }

    pub fn label(self) -> &'static str {
        match self {
            Version::V2 => "GDELT 2.0 event export (61 tab-separated columns, no header)",
            Version::V1Daily => "GDELT 1.0 daily event export (58 tab-separated columns, no header)",
            Version::V1History => "GDELT 1.0 historical event file (57 tab-separated columns, no header)",
        }
    }

    fn date_added(self) -> usize {
        match self {
            Version::V2 => 59,
            Version::V1Daily | Version::V1History => 56,
        }
    }

    fn url(self) -> Option<usize> {
        match self {
            Version::V2 => Some(60),
            Version::V1Daily => Some(57),
            Version::V1History => None,
        }
    }

    /// Digits of `DATEADDED`: `YYYYMMDDHHMMSS` in 2.0, `YYYYMMDD` in 1.0.
    fn date_added_digits(self) -> usize {
        match self {
            Version::V2 => 14,
            Version::V1Daily | Version::V1History => 8,
        }
    }
}

// Columns shared by every version (0-based, the codebooks' order).
const ID: usize = 0;
const SQLDATE: usize = 1;
const A1_CODE: usize = 5;
const A1_NAME: usize = 6;
const A1_COUNTRY: usize = 7;
const A1_TYPES: [usize; 3] = [12, 13, 14];
const A2_CODE: usize = 15;
const A2_NAME: usize = 16;
const A2_COUNTRY: usize = 17;
const A2_TYPES: [usize; 3] = [22, 23, 24];
const EVENT_CODE: usize = 26;

/// CAMEO actor types of state bodies (government, military, police, intelligence, judiciary,
/// legislature); an actor with a country and no type is the state itself.
pub const STATE_TYPES: [&str; 6] = ["GOV", "MIL", "COP", "SPY", "JUD", "LEG"];
/// Of those, the armed forces and the intelligence services.
pub const DEFENCE_TYPES: [&str; 2] = ["MIL", "SPY"];

/// Bytes per chunk: large enough for polars to parse in parallel, small enough to keep memory flat (a
/// chunk's frame, joined three times over, takes several times its bytes; four chunks are in flight).
const CHUNK: usize = 16 << 20;

/// Whether a first line is a GDELT record: the right number of tab-separated fields, a numeric id and an
/// eight-digit date.
pub fn recognise(first_line: &str) -> Option<Version> {
    let fields: Vec<&str> = first_line.split('\t').collect();
    let version = Version::from_columns(fields.len())?;
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    (fields[ID].bytes().all(|b| b.is_ascii_digit()) && !fields[ID].is_empty() && digits(fields[SQLDATE], 8)).then_some(version)
}

/// The small tables the query joins with, made once per import.
pub struct Lookups {
    /// code, iso3, benefactor, tracked, for both actors' columns.
    countries: [DataFrame; 2],
    /// code, counted: every CAMEO code of the table.
    codes: DataFrame,
    regions: Vec<String>,
}

impl Lookups {
    pub fn new(directory: &Directory, countries: &CountryTable, collector: &Collector) -> Result<Lookups> {
        let table = directory.cameo_country_table(countries);
        let frame = |prefix: &str| -> PolarsResult<DataFrame> {
            df! {
                format!("{prefix}_code").as_str() => table.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>(),
                format!("{prefix}_iso3").as_str() => table.iter().map(|(_, i)| i.clone()).collect::<Vec<_>>(),
                format!("{prefix}_benefactor").as_str() => table.iter().map(|(_, i)| collector.is_benefactor(i)).collect::<Vec<_>>(),
                format!("{prefix}_tracked").as_str() => table.iter().map(|(_, i)| collector.is_tracked(i)).collect::<Vec<_>>(),
            }
        };
        let known: Vec<&str> = collector.mapping.known_codes();
        let codes = df! {
            "event_code" => known.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
            "counted" => known.iter().map(|c| collector.mapping.cameo(c).is_some()).collect::<Vec<_>>(),
        }?;
        Ok(Lookups { countries: [frame("a1")?, frame("a2")?], codes, regions: directory.cameo_regions() })
    }
}

fn column_name(index: usize) -> String {
    format!("c{index}")
}

/// The actor's flags: a state body when every type it has is a state type; defence when one is.
fn type_flags(types: [usize; 3]) -> (Expr, Expr) {
    let is_one_of = |index: usize, set: &[&str]| set.iter().fold(lit(false), |acc, t| acc.or(col(column_name(index)).eq(lit(*t))));
    let state = types.iter().fold(lit(true), |acc, &i| acc.and(col(column_name(i)).eq(lit("")).or(is_one_of(i, &STATE_TYPES))));
    let defence = types.iter().fold(lit(false), |acc, &i| acc.or(is_one_of(i, &DEFENCE_TYPES)));
    (state, defence)
}

/// One GDELT file being read: what its chunks share.
struct Reading<'a> {
    version: Version,
    lookups: &'a Lookups,
    directory: &'a Directory,
    source: usize,
    input: usize,
    /// The update times seen, each covering a share of its day.
    slots: HashSet<String>,
    path: std::path::PathBuf,
    problems: Vec<Problem>,
}

impl<'a> Reading<'a> {
    fn start(location: &Location, version: Version, layout: String, lookups: &'a Lookups, directory: &'a Directory, collector: &mut Collector) -> Reading<'a> {
        let source = collector.start_source(format!("GDELT ({})", location.file_name()), Family::Gdelt, false);
        let input = collector.start(source, location.file_name(), String::new(), layout);
        Reading { version, lookups, directory, source, input, slots: HashSet::new(), path: location.path(), problems: Vec::new() }
    }

    /// Covers the update slots seen and records the file's hash and lines, or reports every problem.
    fn finish(self, collector: &mut Collector, sha256: String, lines: usize) -> Result<()> {
        if !self.problems.is_empty() {
            return Err(Error::Invalid { path: self.path, problems: self.problems });
        }
        let share = match self.version {
            Version::V2 => 1.0 / 96.0,
            Version::V1Daily | Version::V1History => 1.0,
        };
        let mut slots: Vec<&String> = self.slots.iter().collect();
        slots.sort();
        for slot in slots {
            let day = parse_day(&slot[..8]).expect("slots are checked when read");
            collector.cover(self.source, day, share);
        }
        let tally = collector.tally(self.input);
        tally.sha256 = sha256;
        tally.lines = lines;
        Ok(())
    }
}

/// Reads one GDELT file into the collector.
pub fn read(location: &Location, version: Version, lookups: &Lookups, directory: &Directory, collector: &mut Collector) -> Result<()> {
    let mut reading = Reading::start(location, version, version.label().to_string(), lookups, directory, collector);
    let mut reader = ChunkReader::start(location.open()?, reading.path.clone());
    let mut lines = 0usize;
    while let Some(chunk) = reader.next()? {
        let (bytes, first_line) = chunk;
        let n_lines = memchr::memchr_iter(b'\n', &bytes).count() + usize::from(!bytes.ends_with(b"\n"));
        lines = first_line + n_lines - 1;
        for (run, run_first_line) in runs_of_records(bytes, first_line) {
            check_fields(&run, version, run_first_line, &reading.path, &mut reading.problems);
            if !reading.problems.is_empty() {
                // The chunk cannot be parsed by position; the rest is checked for the same defect only.
                continue;
            }
            let run_lines = Some((run_first_line, run_first_line + memchr::memchr_iter(b'\n', &run).count().max(1) - 1));
            let frame = parse_chunk(run, version).map_err(|e| Error::from(e).in_file(&reading.path, run_lines))?;
            reading.query(frame, run_first_line, collector).map_err(|e| e.in_file(&reading.path, run_lines))?;
        }
    }
    let sha256 = reader.finish()?;
    reading.finish(collector, sha256, lines)
}

/// GDELT's column names, in the 2.0 codebook's order; 1.0 lacks the three `ADM2Code` columns (and, in
/// the historical files, `SOURCEURL`).
pub const COLUMN_NAMES: [&str; 61] = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode", "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode", "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
];

/// Rows per slice of a Parquet file: a chunk's worth.
const PARQUET_ROWS: usize = 1 << 18;

/// The GDELT version a Parquet file's columns make it (by name, as BigQuery exports them), or None.
pub fn parquet_version(names: &[String]) -> Option<Version> {
    let has = |n: &str| names.iter().any(|c| c.eq_ignore_ascii_case(n));
    let needed = [ID, SQLDATE, A1_CODE, A1_NAME, A1_COUNTRY, A2_CODE, A2_NAME, A2_COUNTRY, EVENT_CODE].iter().chain(&A1_TYPES).chain(&A2_TYPES).all(|&i| has(COLUMN_NAMES[i]));
    if !(needed && has("DATEADDED")) {
        return None;
    }
    Some(if has("Actor1Geo_ADM2Code") {
        Version::V2
    } else if has("SOURCEURL") {
        Version::V1Daily
    } else {
        Version::V1History
    })
}

/// Reads a GDELT table saved as Parquet (a BigQuery export: the codebook's column names, typed), in
/// slices of `PARQUET_ROWS` rows, each put through the same query as a CSV chunk.
pub fn read_parquet(location: &Location, lookups: &Lookups, directory: &Directory, collector: &mut Collector) -> Result<()> {
    let path = location.path();
    read_parquet_rows(location, lookups, directory, collector).map_err(|e| e.in_file(&path, None))
}

fn read_parquet_rows(location: &Location, lookups: &Lookups, directory: &Directory, collector: &mut Collector) -> Result<()> {
    let path = location.path();
    let open = || std::fs::File::open(&path).map_err(|e| Error::Read { path: path.clone(), source: e });
    let mut reader = ParquetReader::new(open()?);
    let names: Vec<String> = reader.schema()?.iter_names().map(|n| n.to_string()).collect();
    let version = parquet_version(&names).ok_or_else(|| Error::Format { path: path.clone(), message: "a Parquet file without GDELT's columns".into() })?;
    let rows = reader.num_rows()?;
    let layout = format!("GDELT {} events in Parquet (columns by name)", if version == Version::V2 { "2.0" } else { "1.0" });
    let mut reading = Reading::start(location, version, layout, lookups, directory, collector);
    // Each wanted column by its name in the file, renamed to its position in the version's layout.
    let by_index: Vec<(usize, String)> = wanted(version)
        .into_iter()
        .map(|i| {
            let codebook = if i == version.date_added() { "DATEADDED" } else if Some(i) == version.url() { "SOURCEURL" } else { COLUMN_NAMES[i] };
            (i, names.iter().find(|n| n.eq_ignore_ascii_case(codebook)).cloned().unwrap_or_default())
        })
        .collect();
    let mut offset = 0;
    while offset < rows {
        let slice = ParquetReader::new(open()?)
            .with_columns(Some(by_index.iter().map(|(_, n)| n.clone()).collect()))
            .with_slice(Some((offset, PARQUET_ROWS)))
            .finish()?;
        let columns: Vec<Column> = by_index
            .iter()
            .map(|(i, n)| slice.column(n).and_then(|c| c.cast(&DataType::String)).map(|c| c.with_name(column_name(*i).into())))
            .collect::<PolarsResult<_>>()?;
        let frame = DataFrame::new(slice.height(), columns)?;
        reading.query(frame, offset + 1, collector)?;
        offset += PARQUET_ROWS;
    }
    let sha256 = location.open()?.finish(&path)?;
    reading.finish(collector, sha256, rows)
}

/// Every line of a chunk must have the version's number of fields: counted by tabs at once, and line by
/// line only when the count is off.
fn check_fields(bytes: &[u8], version: Version, first_line: usize, path: &std::path::Path, problems: &mut Vec<Problem>) {
    let tabs = memchr::memchr_iter(b'\t', bytes).count();
    let lines = memchr::memchr_iter(b'\n', bytes).count() + usize::from(!bytes.ends_with(b"\n"));
    if tabs == lines * (version.columns() - 1) {
        return;
    }
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        let fields = memchr::memchr_iter(b'\t', line).count() + 1;
        if fields != version.columns() && problems.len() < 100 {
            problems.push(Problem {
                path: path.to_path_buf(),
                line: first_line + i,
                column: "(record)".into(),
                message: format!("expected {} tab-separated fields ({}), found {fields}: a truncated or broken record", version.columns(), version.label()),
            });
        }
    }
}

/// A chunk's records in runs without a blank line, each with the line it starts on: a blank line (an
/// editor's last line, a file joined from several) holds no record, and a frame read by position must
/// not see it.
fn runs_of_records(bytes: Vec<u8>, first_line: usize) -> Vec<(Vec<u8>, usize)> {
    let blank = |line: &[u8]| line.iter().all(u8::is_ascii_whitespace);
    let body = bytes.strip_suffix(b"\n").unwrap_or(&bytes);
    if !body.split(|&b| b == b'\n').any(blank) {
        return vec![(bytes, first_line)];
    }
    let mut runs: Vec<(Vec<u8>, usize)> = Vec::new();
    let mut current: Option<(Vec<u8>, usize)> = None;
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if blank(line) {
            runs.extend(current.take());
            continue;
        }
        let run = current.get_or_insert_with(|| (Vec::new(), first_line + i));
        run.0.extend_from_slice(line);
        run.0.push(b'\n');
    }
    runs.extend(current);
    runs
}

fn parse_day(digits: &str) -> Option<Date> {
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Date::new(digits[..4].parse().ok()?, digits[4..6].parse().ok()?, digits[6..8].parse().ok()?).ok()
}

/// The columns a reading keeps, by position in the version's layout.
fn wanted(version: Version) -> Vec<usize> {
    let mut wanted: Vec<usize> = vec![ID, SQLDATE, A1_CODE, A1_NAME, A1_COUNTRY, A2_CODE, A2_NAME, A2_COUNTRY, EVENT_CODE, version.date_added()];
    wanted.extend(A1_TYPES);
    wanted.extend(A2_TYPES);
    wanted.extend(version.url());
    wanted.sort_unstable();
    wanted
}

/// A chunk of whole lines as a frame of the wanted columns, all text, named by position.
fn parse_chunk(bytes: Vec<u8>, version: Version) -> PolarsResult<DataFrame> {
    let schema = Schema::from_iter((0..version.columns()).map(|i| Field::new(column_name(i).into(), DataType::String)));
    CsvReadOptions::default()
        .with_has_header(false)
        .with_schema(Some(Arc::new(schema)))
        .with_projection(Some(Arc::new(wanted(version))))
        .with_parse_options(CsvParseOptions::default().with_separator(b'\t').with_quote_char(None))
        .into_reader_with_file_handle(Cursor::new(bytes))
        .finish()
}

impl Reading<'_> {
    /// The query on one chunk (or Parquet slice), whose first record is on `first_line`: records set
    /// aside by the bulk rules are counted by reason, the rest go through the shared rules.
    fn query(&mut self, frame: DataFrame, first_line: usize, collector: &mut Collector) -> Result<()> {
        let (version, lookups, directory, source, input) = (self.version, self.lookups, self.directory, self.source, self.input);
        let (slots, path, problems) = (&mut self.slots, self.path.as_path(), &mut self.problems);
        let wanted = wanted(version);
        let strings: Vec<Expr> = wanted.iter().map(|&i| col(column_name(i)).fill_null(lit(""))).collect();
        let (a1_state, a1_defence) = type_flags(A1_TYPES);
        let (a2_state, a2_defence) = type_flags(A2_TYPES);
        let [a1_lookup, a2_lookup] = &lookups.countries;
        let base = frame
            .lazy()
            .with_columns(strings)
            .with_row_index("row", None)
            .left_join(a1_lookup.clone().lazy(), col(column_name(A1_COUNTRY)), col("a1_code"))
            .left_join(a2_lookup.clone().lazy(), col(column_name(A2_COUNTRY)), col("a2_code"))
            .left_join(lookups.codes.clone().lazy(), col(column_name(EVENT_CODE)), col("event_code"))
            .with_columns([
                col("a1_benefactor").fill_null(lit(false)),
                col("a2_benefactor").fill_null(lit(false)),
                col("a1_tracked").fill_null(lit(false)),
                col("a2_tracked").fill_null(lit(false)),
                a1_state.alias("a1_state"),
                a1_defence.alias("a1_defence"),
                a2_state.alias("a2_state"),
                a2_defence.alias("a2_defence"),
                col("counted").is_not_null().alias("known"),
                col("counted").fill_null(lit(false)),
            ])
            .with_columns([
                col("a1_benefactor").and(col("a2_tracked")).and(col("a1_iso3").neq(col("a2_iso3"))).alias("forward"),
                col("a2_benefactor").and(col("a1_tracked")).and(col("a1_iso3").neq(col("a2_iso3"))).alias("backward"),
            ])
            .with_column(
                when(col("a1_benefactor").or(col("a2_benefactor")).not())
                    .then(lit(NO_BENEFACTOR))
                    .when(col("forward").fill_null(lit(false)).or(col("backward").fill_null(lit(false))).not())
                    .then(lit(NOT_RECIPIENT))
                    .when(col("a1_state").and(col("a2_state")).not())
                    .then(lit(NOT_STATE))
                    .when(col("known").not())
                    .then(lit(UNKNOWN_CODE))
                    .when(col("counted").not())
                    .then(lit(NOT_COUNTED))
                    .otherwise(lit(""))
                    .alias("reason"),
            )
            .collect()?;

        // Dates and update times are checked on every record, candidate or not.
        let digits = |c: usize, n: usize| col(column_name(c)).str().len_bytes().neq(lit(n as u32)).or(col(column_name(c)).cast(DataType::Int64).is_null());
        let bad = base
            .clone()
            .lazy()
            .filter(digits(SQLDATE, 8).or(digits(version.date_added(), version.date_added_digits())))
            .select([col("row"), col(column_name(SQLDATE)), col(column_name(version.date_added()))])
            .limit(100)
            .collect()?;
        let (rows, dates, added) = (bad.column("row")?.idx()?, bad.column(&column_name(SQLDATE))?.str()?, bad.column(&column_name(version.date_added()))?.str()?);
        for i in 0..bad.height() {
            let line = first_line + rows.get(i).unwrap_or_default() as usize;
            let (date, add) = (dates.get(i).unwrap_or_default(), added.get(i).unwrap_or_default());
            let (column, message) = if parse_day(date).is_none() {
                ("SQLDATE", format!("expected a date as YYYYMMDD, found `{date}`"))
            } else {
                ("DATEADDED", format!("expected {} digits (YYYYMMDD{}), found `{add}`", version.date_added_digits(), if version == Version::V2 { "HHMMSS" } else { "" }))
            };
            problems.push(Problem { path: path.to_path_buf(), line, column: column.into(), message });
        }
        if !problems.is_empty() {
            return Ok(());
        }

        // The update times this chunk covers.
        let added = base.clone().lazy().select([col(column_name(version.date_added())).unique()]).collect()?;
        for slot in added.column(&column_name(version.date_added()))?.str()?.iter().flatten() {
            if parse_day(&slot[..8]).is_none() {
                problems.push(Problem { path: path.to_path_buf(), line: first_line, column: "DATEADDED".into(), message: format!("`{slot}` is no date") });
            } else if !slots.contains(slot) {
                slots.insert(slot.to_string());
            }
        }

        // The countries each day's records name, for coverage; codes that name nothing known, for the provenance.
        for prefix in ["a1", "a2"] {
            let seen = base
                .clone()
                .lazy()
                .filter(col(format!("{prefix}_iso3")).is_not_null())
                .group_by([col(column_name(SQLDATE)), col(format!("{prefix}_iso3"))])
                .agg([len().alias("n")])
                .collect()?;
            let (dates, iso3, n) = (seen.column(&column_name(SQLDATE))?.str()?, seen.column(&format!("{prefix}_iso3"))?.str()?, seen.column("n")?.idx()?);
            for i in 0..seen.height() {
                let (Some(day), Some(iso3), Some(n)) = (dates.get(i).and_then(parse_day), iso3.get(i), n.get(i)) else { continue };
                collector.see(source, day.year(), iso3, n as usize);
            }
            let country = if prefix == "a1" { A1_COUNTRY } else { A2_COUNTRY };
            let unknown = base
                .clone()
                .lazy()
                .filter(col(format!("{prefix}_iso3")).is_null().and(col(column_name(country)).neq(lit(""))))
                .group_by([col(column_name(country))])
                .agg([len().alias("n")])
                .collect()?;
            let (codes, n) = (unknown.column(&column_name(country))?.str()?, unknown.column("n")?.idx()?);
            for i in 0..unknown.height() {
                let (Some(code), Some(n)) = (codes.get(i), n.get(i)) else { continue };
                if !lookups.regions.iter().any(|r| r == code) {
                    *collector.tally(input).unresolved.entry(format!("country code `{code}`")).or_default() += n as usize;
                }
            }
        }

        // Records set aside by the query, by reason.
        let reasons = base.clone().lazy().filter(col("reason").neq(lit(""))).group_by([col("reason")]).agg([len().alias("n")]).collect()?;
        let (reason, n) = (reasons.column("reason")?.str()?, reasons.column("n")?.idx()?);
        let mut set_aside: BTreeMap<String, usize> = BTreeMap::new();
        for i in 0..reasons.height() {
            if let (Some(r), Some(n)) = (reason.get(i), n.get(i)) {
                set_aside.insert(r.to_string(), n as usize);
            }
        }
        for (r, n) in set_aside {
            collector.exclude(input, &r, n);
        }

        // The candidates go through the shared rules, in the file's order.
        let candidates = base.lazy().filter(col("reason").eq(lit(""))).sort(["row"], SortMultipleOptions::default()).collect()?;
        let text = |c: &str| candidates.column(c).and_then(|s| s.str().cloned());
        let flag = |c: &str| candidates.column(c).and_then(|s| s.bool().cloned());
        let (rows, ids, dates, codes) = (candidates.column("row")?.idx()?.clone(), text(&column_name(ID))?, text(&column_name(SQLDATE))?, text(&column_name(EVENT_CODE))?);
        let (a1_name, a1_iso3, a1_state, a1_defence) = (text(&column_name(A1_NAME))?, text("a1_iso3")?, flag("a1_state")?, flag("a1_defence")?);
        let (a2_name, a2_iso3, a2_state, a2_defence) = (text(&column_name(A2_NAME))?, text("a2_iso3")?, flag("a2_state")?, flag("a2_defence")?);
        let urls = match version.url() {
            Some(u) => Some(text(&column_name(u))?),
            None => None,
        };
        // An event is its day, its act and the two actors as GDELT codes them: code, name, country and types.
        let key_columns = |code: usize, name: usize, country: usize, types: [usize; 3]| -> PolarsResult<Vec<StringChunked>> {
            [code, name, country].into_iter().chain(types).map(|c| text(&column_name(c))).collect()
        };
        let (a1_key, a2_key) = (key_columns(A1_CODE, A1_NAME, A1_COUNTRY, A1_TYPES)?, key_columns(A2_CODE, A2_NAME, A2_COUNTRY, A2_TYPES)?);
        let mapping = collector.mapping;
        for i in 0..candidates.height() {
            let line = first_line + rows.get(i).unwrap_or_default() as usize;
            let Some(date) = dates.get(i).and_then(parse_day) else {
                collector.exclude(input, NO_DAY, 1);
                continue;
            };
            let side = |iso3: Option<&str>, name: &str, state: Option<bool>, defence: Option<bool>| -> Actor {
                let person = iso3.and_then(|c| directory.gdelt_person(name, c, date)).unwrap_or(Role::NON_STATE);
                let role = Role { state: state.unwrap_or(false), defence: defence.unwrap_or(false), senior: false }.union(Role { state: false, ..person });
                Actor { country: iso3.map(String::from), role }
            };
            let source_actor = side(a1_iso3.get(i), a1_name.get(i).unwrap_or_default(), a1_state.get(i), a1_defence.get(i));
            let target_actor = side(a2_iso3.get(i), a2_name.get(i).unwrap_or_default(), a2_state.get(i), a2_defence.get(i));
            let code = codes.get(i).unwrap_or_default();
            let rules: Vec<_> = mapping.cameo(code).into_iter().collect();
            let key = |columns: &[StringChunked]| columns.iter().map(|c| c.get(i).unwrap_or_default()).collect::<Vec<_>>().join("|");
            let (k1, k2) = (key(&a1_key), key(&a2_key));
            let text = rules.first().map_or("", |r| r.name.as_str());
            let record = Record {
                line,
                id: ids.get(i).unwrap_or_default(),
                date,
                code,
                known: true,
                rules: &rules,
                source: Side { key: &k1, name: a1_name.get(i).unwrap_or_default(), actor: &source_actor },
                target: Side { key: &k2, name: a2_name.get(i).unwrap_or_default(), actor: &target_actor },
                text,
                url: urls.as_ref().and_then(|u| u.get(i)).unwrap_or_default(),
            };
            collector.push(input, &record, false);
        }
        Ok(())
    }
}

/// Chunks of whole lines read ahead on a thread, so that reading (a file, a pipe, a zip member) and
/// parsing overlap; each chunk comes with the number of its first line.
struct ChunkReader {
    path: std::path::PathBuf,
    chunks: std::sync::mpsc::Receiver<std::io::Result<(Vec<u8>, usize)>>,
    done: std::thread::JoinHandle<Result<String>>,
}

impl ChunkReader {
    fn start(mut reader: Hashed, path: std::path::PathBuf) -> ChunkReader {
        let (send, chunks) = std::sync::mpsc::sync_channel(2);
        let file = path.clone();
        let done = std::thread::spawn(move || {
            let mut carry: Vec<u8> = Vec::new();
            let mut line = 1usize;
            loop {
                let mut chunk = std::mem::take(&mut carry);
                let start = chunk.len();
                chunk.resize(CHUNK.max(start * 2), 0);
                let mut filled = start;
                while filled < chunk.len() {
                    match reader.read(&mut chunk[filled..]) {
                        Ok(0) => break,
                        Ok(n) => filled += n,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => {
                            let _ = send.send(Err(e));
                            return reader.finish(&path);
                        }
                    }
                }
                chunk.truncate(filled);
                let at_end = filled < CHUNK.max(start * 2);
                let cut = if at_end { chunk.len() } else { memchr::memrchr(b'\n', &chunk).map_or(chunk.len(), |p| p + 1) };
                carry = chunk.split_off(cut);
                if chunk.is_empty() {
                    if at_end {
                        return reader.finish(&path);
                    }
                    continue;
                }
                let lines = memchr::memchr_iter(b'\n', &chunk).count();
                if send.send(Ok((chunk, line))).is_err() {
                    return reader.finish(&path);
                }
                line += lines;
                if at_end && carry.is_empty() {
                    return reader.finish(&path);
                }
            }
        });
        ChunkReader { path: file, chunks, done }
    }

    fn next(&mut self) -> Result<Option<(Vec<u8>, usize)>> {
        match self.chunks.recv() {
            Ok(Ok(chunk)) => Ok(Some(chunk)),
            Ok(Err(e)) => Err(Error::Read { path: self.path.clone(), source: e }),
            Err(_) => Ok(None),
        }
    }

    fn finish(self) -> Result<String> {
        drop(self.chunks);
        let path = self.path;
        self.done.join().unwrap_or_else(|_| Err(Error::Format { path, message: "the reading thread failed".into() }))
    }
}
