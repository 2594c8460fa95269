//! The reader: raw files → `datasets/`, through the import contract (`crate::ingest`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::ingest::one_file::{About, CsvFile, Outcome, Text};
use crate::ingest::text::is_url;
use crate::ingest::provenance::Provenance;
use crate::ingest::table::{self, Column, Kind as ColumnKind, TableSpec};
use crate::artefact::csv_bytes;
use crate::domain::{CountryTable, NameMatch};
use crate::error::Result;

pub const SPEC: TableSpec = TableSpec {
    file: "exercises.csv",
    command: "mdime import exercises",
    columns: &[
        Column::new("exercise_id", ColumnKind::COUNT),
        Column::text("exercise"),
        Column::new("year", ColumnKind::YEAR),
        Column::new("partners", ColumnKind::Integer { min: 1, max: 200, optional: false }),
        Column::text("kind"),
        Column::text("partner"),
        Column::text("partner_iso3"),
        Column::text("source_url"),
        Column::text("other_source_url"),
        Column::text("comments"),
    ],
};
/// The derived table's file name inside the datasets folder.
pub const TABLE: &str = SPEC.file;
pub const DEFAULT_FILE: &str = "../shared/data/exercises/russia-joint-exercises-2009-2018.csv";
/// Whose exercises the file lists.
pub const BENEFACTOR: &str = "RUS";
/// How indicators name the source, followed by its years.
pub const SOURCE_LABEL: &str = "Russian Ministry of Defence, joint exercises";
pub const CITATION: &str = "Russian Ministry of Defence, joint exercises with foreign partners (mil.ru)";
pub const METHOD: &str = "one row per exercise × partner; `partners` counts the foreign partners named in the record \
    (countries and organisations alike): one makes the exercise bilateral, more multilateral. Partner names resolve \
    through the country table; exercise names stay in Russian as the Ministry gives them";

const ID: &str = "id";
const NAME: &str = "name";
const YEAR: &str = "yr";
const FIRST_PARTNER: &str = "part1";
const SOURCE: &str = "source";
const OTHER_SOURCE: &str = "source2";
/// Required columns; the other partner columns (`part2` … `partN`) are found by their names.
const COLUMNS: [&str; 5] = [ID, NAME, YEAR, FIRST_PARTNER, SOURCE];
const PARTNER_PREFIX: &str = "part";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Russia and one foreign partner.
    Bilateral,
    Multilateral,
}

impl Kind {
    fn of(partners: usize) -> Kind {
        if partners == 1 { Kind::Bilateral } else { Kind::Multilateral }
    }
}

/// One row of `datasets/exercises.csv`: one partner of one exercise.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ExercisePartner {
    pub exercise_id: u32,
    /// The exercise's name as the Ministry gives it, in Russian (`Индра-2016`).
    pub exercise: String,
    pub year: i32,
    /// Foreign partners named for the exercise.
    pub partners: usize,
    pub kind: Kind,
    /// The country's name in mdime's table, or the source's name for an organisation.
    pub partner: String,
    /// Empty for partners that are not countries.
    pub partner_iso3: String,
    pub source_url: String,
    /// A second report of the same exercise, where the compilation gives one.
    pub other_source_url: String,
    /// The compiler's remark, e.g. that a partner list is a whole alliance's membership.
    pub comments: String,
}

#[derive(Debug)]
pub struct ImportReport {
    pub table: PathBuf,
    pub provenance: Provenance,
    pub rows: Vec<ExercisePartner>,
}

/// Reads the exercise list and writes `exercises.csv` and its provenance into `datasets`.
pub fn import(path: &Path, datasets: &Path) -> Result<ImportReport> {
    let countries = CountryTable::builtin();
    let file = CsvFile::read(path, Text::Utf8, &COLUMNS, "a list of Russia's joint exercises")?;
    let (comments, other_source) = (file.position("comments"), file.position(OTHER_SOURCE));
    let mut partner_columns: Vec<(u32, usize)> = file
        .header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| Some((h.to_ascii_lowercase().strip_prefix(PARTNER_PREFIX)?.parse::<u32>().ok()?, i)))
        .collect();
    partner_columns.sort_unstable();

    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut ids: BTreeMap<u32, usize> = BTreeMap::new();
    for index in 0..file.records.len() {
        let mut row = file.row(index, &mut problems);
        let id = row.integer(ID, 0..=i64::from(u32::MAX), "a whole number").map(|id| id as u32);
        if let Some(id) = id {
            if let Some(first) = ids.insert(id, row.line) {
                row.problem(ID, format!("exercise {id} is already listed on line {first}"));
            }
        }
        let name = row.text(NAME);
        if name.is_empty() {
            row.problem(NAME, "empty: expected the exercise's name");
        }
        let year = row.integer(YEAR, 1945..=2100, "a year");
        let source = row.text(SOURCE);
        if source.is_empty() {
            row.problem(SOURCE, "empty: expected the URL the exercise was reported at");
        }
        let other = other_source.map_or("", |i| row.at(i));
        for (url, column) in [(source, SOURCE), (other, OTHER_SOURCE)] {
            if !url.is_empty() && !is_url(url) {
                row.problem(column, format!("`{url}` is not an http(s) URL"));
            }
        }
        let mut partners: Vec<(String, String)> = Vec::new();
        let mut seen = BTreeSet::new();
        let mut named = 0;
        for &(_, position) in &partner_columns {
            let written = row.at(position);
            if written.is_empty() {
                continue;
            }
            named += 1;
            let column = &file.header[position];
            let partner = match countries.resolve(written) {
                Some(NameMatch::Country(c)) => (c.name.clone(), c.iso3.clone()),
                Some(NameMatch::NonCountry(_)) => (written.to_string(), String::new()),
                None => {
                    row.problem(column, countries.unknown_in_data(written));
                    continue;
                }
            };
            if !seen.insert(partner.clone()) {
                row.problem(column, format!("{} is named twice for this exercise", partner.0));
                continue;
            }
            partners.push(partner);
        }
        if named == 0 {
            row.problem(FIRST_PARTNER, "no partner named: expected at least one in the partner columns");
        }
        let (Some(id), Some(year)) = (id, year) else { continue };
        let count = partners.len();
        rows.extend(partners.into_iter().map(|(partner, partner_iso3)| ExercisePartner {
            exercise_id: id,
            exercise: name.to_string(),
            year: year as i32,
            partners: count,
            kind: Kind::of(count),
            partner,
            partner_iso3,
            source_url: source.to_string(),
            other_source_url: other.to_string(),
            comments: comments.map_or("", |i| row.at(i)).to_string(),
        }));
    }
    file.check(problems)?;
    rows.sort_by(|a, b| (a.year, a.exercise_id, &a.partner).cmp(&(b.year, b.exercise_id, &b.partner)));

    let about = About { table: TABLE, source: "Russia's joint military exercises with foreign partners, compiled from mil.ru", citation: CITATION };
    let mut provenance = file.provenance(about, Outcome { method: METHOD.into(), rows_written: rows.len(), ..Outcome::default() });
    let table = table::write_table(datasets, &SPEC, &csv_bytes(&rows)?, &mut provenance, path)?;
    Ok(ImportReport { table, provenance, rows })
}

/// The derived table and its provenance, or None when it has not been imported: M1 then rests on the
/// evidence logs alone.
pub fn find_table(datasets: &Path) -> Result<Option<(PathBuf, Provenance)>> {
    table::find_table(datasets, &SPEC)
}
