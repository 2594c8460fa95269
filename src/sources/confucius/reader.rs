//! The reader: raw files → `datasets/`, through the import contract (`crate::ingest`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::ingest::one_file::{About, CsvFile, Outcome, Row, Text};
use crate::ingest::provenance::Provenance;
use crate::ingest::table::{self, Column, Kind, TableSpec};
use crate::artefact::csv_bytes;
use crate::domain::{normalise_name, CountryTable};
use crate::error::Result;

pub const SPEC: TableSpec = TableSpec {
    file: "confucius_institutes.csv",
    command: "mdime import confucius-institutes",
    columns: &[
        Column::new("id", Kind::Integer { min: 1, max: i64::MAX, optional: false }),
        Column::text("institute"),
        Column::text("host"),
        Column::text("city"),
        Column::text("country"),
        Column::text("iso3"),
        Column::text("partner_university"),
        Column::text("founded"),
        Column::new("founded_year", Kind::Integer { min: 2004, max: 2100, optional: true }),
        Column::text("web_page_2022"),
        Column::text("web_page"),
        Column::text("sources"),
    ],
};
/// The derived table's file name inside the datasets folder.
pub const TABLE: &str = SPEC.file;
pub const DEFAULT_FILE: &str = "../shared/data/media/confucius_institutes.csv";
/// How indicators name the source, followed by its year.
pub const SOURCE_LABEL: &str = "Confucius Institutes listed by bridash (Dig Mandarin 2021)";
pub const CITATION: &str = "LAS-NCSU bridash `data_final`: Confucius Institutes worldwide, from Dig Mandarin's list of 2021 and, for the \
    United States, the Washington Examiner and the National Association of Scholars";
/// The country whose institutes the list records.
pub const BENEFACTOR: &str = "CHN";
/// The list's year: the institutes a country hosted by then.
pub const YEAR: i32 = 2021;
/// The first Confucius Institute opened in Seoul in November 2004.
const FIRST_YEAR: i16 = 2004;

const ID: &str = "id";
const INSTITUTE: &str = "confucius_institute";
const PARTNER: &str = "partner_uni";
const DATE: &str = "date_est";
const HOST: &str = "location_name";
const CITY: &str = "nearest_city";
const COUNTRY: &str = "country";
const STATUS: &str = "status";
const WEB_PAGE: &str = "ci_webpage";
const SOURCES: &str = "sources";
const REQUIRED: [&str; 10] = [ID, INSTITUTE, PARTNER, DATE, HOST, CITY, COUNTRY, STATUS, WEB_PAGE, SOURCES];

/// One row of `datasets/confucius_institutes.csv`: one institute.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Institute {
    /// The list's id (the first, where an institute is listed twice).
    pub id: u64,
    pub institute: String,
    pub host: String,
    pub city: String,
    pub country: String,
    pub iso3: String,
    pub partner_university: String,
    /// The estimated founding date, ISO 8601; empty where the list gives none.
    pub founded: String,
    pub founded_year: Option<i32>,
    /// `Open` or `Closed`: whether the institute's web page answered on 22 April 2022.
    pub web_page_2022: String,
    pub web_page: String,
    pub sources: String,
}

#[derive(Debug)]
pub struct ImportReport {
    pub table: PathBuf,
    pub provenance: Provenance,
    pub rows: Vec<Institute>,
}

pub fn import(path: &Path, datasets: &Path) -> Result<ImportReport> {
    let countries = CountryTable::builtin();
    let file = CsvFile::read(path, Text::Utf8, &REQUIRED, "bridash's list of Confucius Institutes")?;
    let mut problems = Vec::new();
    let mut outcome = Outcome::default();
    // By country and normalised name, so that a second listing of an institute finds the first.
    let mut institutes: BTreeMap<(String, String), Institute> = BTreeMap::new();
    for index in 0..file.records.len() {
        let mut row = file.row(index, &mut problems);
        let id = row.integer(ID, 1..=i64::MAX, "the list's id");
        let founded = founding_date(&mut row);
        let status = row.text(STATUS);
        if !matches!(status, "Open" | "Closed") {
            row.problem(STATUS, format!("expected `Open` or `Closed`, found `{status}`"));
        }
        let country = countries.country_in_data(row.text(COUNTRY)).map_err(|message| row.problem(COUNTRY, message)).ok();
        let institute = row.text(INSTITUTE);
        if institute.is_empty() {
            row.problem(INSTITUTE, "empty: expected the institute's name");
        }
        let (Some(id), Some(founded), Some(country)) = (id, founded, country) else { continue };
        let listed = Institute {
            id: id as u64,
            institute: institute.to_string(),
            host: row.text(HOST).to_string(),
            city: row.text(CITY).to_string(),
            country: country.name.clone(),
            iso3: country.iso3.clone(),
            partner_university: row.text(PARTNER).to_string(),
            founded: founded.map_or(String::new(), |d| d.to_string()),
            founded_year: founded.map(|d| i32::from(d.year())),
            web_page_2022: status.to_string(),
            web_page: row.text(WEB_PAGE).to_string(),
            sources: row.text(SOURCES).to_string(),
        };
        match institutes.entry((country.iso3.clone(), normalise_name(institute))) {
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(listed);
            }
            std::collections::btree_map::Entry::Occupied(mut first) => {
                let first = first.get_mut();
                if first.founded.is_empty() {
                    (first.founded, first.founded_year) = (listed.founded, listed.founded_year);
                }
                if first.partner_university.is_empty() {
                    first.partner_university = listed.partner_university;
                }
                outcome.exclude("an institute listed a second time under the same name in the same country (kept once)");
            }
        }
    }
    file.check(problems)?;
    let mut rows: Vec<Institute> = institutes.into_values().collect();
    rows.sort_by(|a, b| (&a.iso3, a.id).cmp(&(&b.iso3, b.id)));
    let dated = rows.iter().filter(|r| r.founded_year.is_some()).count();
    outcome.data_generated = format!("web pages checked on 22 April 2022; founding dates {}-{} where given", FIRST_YEAR, YEAR);
    outcome.method = format!(
        "one row per institute ({} countries); `date_est` read as M/D/YY in 2000-2099 ({dated} institutes dated); `status` kept as \
         `web_page_2022` (whether the institute's web page answered on 22 April 2022, not whether it was open); an institute listed \
         twice under the same name in one country kept once, with the date and partner of whichever row gives them",
        rows.iter().map(|r| &r.iso3).collect::<std::collections::BTreeSet<_>>().len()
    );
    outcome.rows_written = rows.len();
    let about = About { table: TABLE, source: "Confucius Institutes worldwide (bridash, from Dig Mandarin's list of 2021)", citation: CITATION };
    let mut provenance = file.provenance(about, outcome);
    let table = table::write_table(datasets, &SPEC, &csv_bytes(&rows)?, &mut provenance, path)?;
    Ok(ImportReport { table, provenance, rows })
}

/// The derived table and its provenance, or None when it has not been imported.
pub fn find_table(datasets: &Path) -> Result<Option<(PathBuf, Provenance)>> {
    table::find_table(datasets, &SPEC)
}

/// The founding date: Some(None) for an empty cell, Some(Some(date)) for `M/D/YY`, None (with a
/// problem) otherwise.
fn founding_date(row: &mut Row) -> Option<Option<Date>> {
    let text = row.text(DATE);
    if text.is_empty() {
        return Some(None);
    }
    let parsed = parse_date(text).filter(|d| (FIRST_YEAR..=YEAR as i16).contains(&d.year()));
    if parsed.is_none() {
        row.problem(DATE, format!("expected a date M/D/YY from {FIRST_YEAR} to {YEAR}, like `6/27/05`, found `{text}`"));
        return None;
    }
    Some(parsed)
}

/// `6/27/05` → 2005-06-27; None for anything else, including days a month does not have.
pub fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.split('/');
    let (month, day, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 2 || !(1..=2).contains(&month.len()) || !(1..=2).contains(&day.len()) {
        return None;
    }
    Date::new(2000 + year.parse::<i16>().ok()?, month.parse().ok()?, day.parse().ok()?).ok()
}
