//! The reader: raw files → `datasets/`, through the import contract (`crate::ingest`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::ingest::one_file::{About, CsvFile, Outcome, Row, Text};
use crate::ingest::provenance::Provenance;
use crate::ingest::table::{self, Column, Kind, TableSpec};
use crate::artefact::csv_bytes;
use crate::domain::{CountryTable, NameMatch};
use crate::error::Result;

/// Ideal points are on a scale centred near 0; the estimates span about ±3.5.
const IDEAL_POINT_RANGE: Kind = Kind::Number { min: -10.0, max: 10.0, optional: false };

pub const SPEC: TableSpec = TableSpec {
    file: "unga_ideal_points.csv",
    command: "mdime import unga",
    columns: &[
        Column::text("country"),
        Column::text("iso3"),
        Column::new("cow_code", Kind::Integer { min: 2, max: 999, optional: false }),
        Column::new("session", Kind::Integer { min: 1, max: 200, optional: false }),
        Column::new("year", Kind::YEAR),
        Column::new("votes", Kind::COUNT),
        Column::new("ideal_point", IDEAL_POINT_RANGE),
        Column::new("ideal_point_q5", IDEAL_POINT_RANGE),
        Column::new("ideal_point_q95", IDEAL_POINT_RANGE),
        Column::text("file_iso3"),
        Column::text("file_name"),
    ],
};
/// The derived table's file name inside the datasets folder.
pub const TABLE: &str = SPEC.file;
pub const DEFAULT_FILE: &str = "../shared/data/un-voting/unga-ideal-points-2023-07.csv";
pub const CITATION: &str = "Bailey, Strezhnev & Voeten UN General Assembly ideal points";
const ABOUT: About = About {
    table: TABLE,
    source: "UN General Assembly voting ideal points by country and session (Bailey, Strezhnev & Voeten, July 2023)",
    citation: "Bailey, Michael A., Anton Strezhnev and Erik Voeten, Estimating Dynamic State Preferences from United \
        Nations Voting Data, Journal of Conflict Resolution 61(2), 2017; United Nations General Assembly Voting Data, \
        Harvard Dataverse, release of July 2023",
};
/// The year the first session opened, less one: session `n` opens in 1945 + `n`.
pub const SESSION_YEAR_OFFSET: i32 = 1945;

const CCODE: &str = "ccode";
const SESSION: &str = "session";
const VOTES: &str = "NVotesAll";
const IDEAL_POINT: &str = "IdealPointAll";
const LOW: &str = "Q5%All";
const HIGH: &str = "Q95%All";
const ISO3: &str = "iso3c";
const NAME: &str = "Countryname";
const REQUIRED: [&str; 8] = [CCODE, SESSION, VOTES, IDEAL_POINT, LOW, HIGH, ISO3, NAME];

/// One row of `datasets/unga_ideal_points.csv`: a country's ideal point in one session.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IdealPoint {
    /// The country as mdime names it, from the COW code.
    pub country: String,
    pub iso3: String,
    pub cow_code: u32,
    pub session: u32,
    /// The calendar year the session opened.
    pub year: i32,
    /// Recorded votes the point is estimated from.
    pub votes: u32,
    pub ideal_point: f64,
    /// The 5% and 95% quantiles of the point's estimate.
    pub ideal_point_q5: f64,
    pub ideal_point_q95: f64,
    /// The file's own `iso3c` and `Countryname`, as given.
    pub file_iso3: String,
    pub file_name: String,
}

#[derive(Debug)]
pub struct ImportReport {
    pub table: PathBuf,
    pub provenance: Provenance,
    pub rows: Vec<IdealPoint>,
}

pub fn import(path: &Path, datasets: &Path) -> Result<ImportReport> {
    let countries = CountryTable::builtin();
    let file = CsvFile::read(path, Text::Latin1OrUtf8, &REQUIRED, "Bailey, Strezhnev & Voeten's ideal points by country and session")?;
    let mut problems = Vec::new();
    let mut outcome = Outcome::default();
    let mut rows: BTreeMap<(String, i32), IdealPoint> = BTreeMap::new();
    for index in 0..file.records.len() {
        let mut row = file.row(index, &mut problems);
        let Some(point) = read_row(&mut row, countries) else { continue };
        if let Some(previous) = rows.insert((point.iso3.clone(), point.year), point) {
            row.problem(CCODE, format!("a second point for {} in session {} (also `ccode` {})", previous.country, previous.session, previous.cow_code));
        }
    }
    file.check(problems)?;
    let rows: Vec<IdealPoint> = rows.into_values().collect();
    let sessions = (rows.iter().map(|r| r.session).min().unwrap_or(0), rows.iter().map(|r| r.session).max().unwrap_or(0));
    outcome.data_generated = "July 2023 release".into();
    outcome.method = format!(
        "one row per country × session, sessions {}-{} (years {}-{}); countries by COW code{}{}",
        sessions.0,
        sessions.1,
        sessions.0 as i32 + SESSION_YEAR_OFFSET,
        sessions.1 as i32 + SESSION_YEAR_OFFSET,
        code_notes(&rows),
        iso3_disagreements(&rows),
    );
    outcome.rows_written = rows.len();
    let mut provenance = file.provenance(ABOUT, outcome);
    let table = table::write_table(datasets, &SPEC, &csv_bytes(&rows)?, &mut provenance, path)?;
    Ok(ImportReport { table, provenance, rows })
}

/// The derived table and its provenance, or None when it has not been imported.
pub fn find_table(datasets: &Path) -> Result<Option<(PathBuf, Provenance)>> {
    table::find_table(datasets, &SPEC)
}

fn read_row(row: &mut Row, countries: &CountryTable) -> Option<IdealPoint> {
    let code = row.integer(CCODE, 1..=999, "a Correlates of War country code");
    let session = row.integer(SESSION, 1..=200, "a session number");
    let votes = row.integer(VOTES, 0..=100_000, "a number of votes");
    let point = row.number(IDEAL_POINT, "an ideal point");
    let low = row.number(LOW, "a quantile of the ideal point");
    let high = row.number(HIGH, "a quantile of the ideal point");
    let file_iso3 = row.text(ISO3).to_string();
    let file_name = row.text(NAME).to_string();
    let code = code?;
    let country = match countries.resolve(&code.to_string()) {
        Some(NameMatch::Country(c)) => c,
        _ => {
            row.problem(CCODE, format!("unknown Correlates of War code {code} (`{file_name}`): add it to datasets/country_aliases.csv"));
            return None;
        }
    };
    // The file's name must denote the same country as its code, or one of the two is wrong.
    if let Some(named) = countries.country(&file_name).filter(|c| c.iso3 != country.iso3) {
        row.problem(NAME, format!("`{file_name}` is {}, but `ccode` {code} is {}", named.iso3, country.iso3));
    }
    let session = session? as u32;
    Some(IdealPoint {
        country: country.name.clone(),
        iso3: country.iso3.clone(),
        cow_code: code as u32,
        session,
        year: session as i32 + SESSION_YEAR_OFFSET,
        votes: votes? as u32,
        ideal_point: point?,
        ideal_point_q5: low?,
        ideal_point_q95: high?,
        file_iso3,
        file_name,
    })
}

/// Countries whose points span a change of state under one code, as the file codes them.
fn code_notes(rows: &[IdealPoint]) -> String {
    let mut notes = Vec::new();
    let span = |iso3: &str| {
        let years: Vec<i32> = rows.iter().filter(|r| r.iso3 == iso3).map(|r| r.year).collect();
        Some((*years.iter().min()?, *years.iter().max()?))
    };
    if let Some((first, last)) = span("RUS").filter(|(first, _)| *first < 1992) {
        notes.push(format!(
            "the Soviet Union's points are Russia's ({first}-1991), as the file codes them (`ccode` 365 from the first session; Russia {first}-{last})"
        ));
    }
    if let Some((first, last)) = span("YUG").filter(|(_, last)| *last >= 2006) {
        notes.push(format!("`ccode` 345 stays Yugoslavia ({first}-{last}), as the file codes it, through Serbia and Montenegro and Serbia"));
    }
    notes.iter().map(|n| format!("; {n}")).collect()
}

/// Where the file's `iso3c` names another country than its COW code: counted per code, for the record.
fn iso3_disagreements(rows: &[IdealPoint]) -> String {
    let countries = CountryTable::builtin();
    let mut found: BTreeMap<(u32, &str, &str), usize> = BTreeMap::new();
    for r in rows {
        let named = countries.country(&r.file_iso3).map(|c| c.iso3.as_str());
        if named != Some(r.iso3.as_str()) {
            *found.entry((r.cow_code, &r.file_iso3, &r.iso3)).or_default() += 1;
        }
    }
    let codes: BTreeSet<String> =
        found.iter().map(|((cow, given, used), n)| format!("`ccode` {cow} has `iso3c` {given} in {n} rows, read as {used}")).collect();
    if codes.is_empty() {
        String::new()
    } else {
        format!("; the file's `iso3c` is not trusted: {}", codes.into_iter().collect::<Vec<_>>().join(", "))
    }
}
