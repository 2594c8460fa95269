//! The reader: raw files → `datasets/`, through the import contract (`crate::ingest`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::ingest::one_file::{About, CsvFile, Outcome, Row, Text};
use crate::ingest::provenance::Provenance;
use crate::ingest::table::{self, Column, Kind, TableSpec};
use crate::artefact::csv_bytes;
use crate::domain::{CountryTable, NameMatch};
use crate::error::Result;

pub const SPEC: TableSpec = TableSpec {
    file: "public_diplomacy.csv",
    command: "mdime import public-diplomacy",
    columns: &[
        Column::text("benefactor_iso3"),
        Column::text("recipient"),
        Column::text("recipient_iso3"),
        Column::new("year", Kind::YEAR),
        Column::new("confucius_institutes", Kind::OPTIONAL_COUNT),
        Column::new("sister_cities", Kind::OPTIONAL_COUNT),
        Column::new("government_visits", Kind::OPTIONAL_COUNT),
        Column::new("military_visits", Kind::OPTIONAL_COUNT),
        Column::new("military_visits_gap", Kind::Flag),
        Column::new("ambassador_op_eds", Kind::OPTIONAL_COUNT),
        Column::new("journalist_visits", Kind::OPTIONAL_COUNT),
        Column::new("media_partnerships", Kind::OPTIONAL_COUNT),
        Column::new("outbound_students", Kind::OPTIONAL_COUNT),
        Column::new("inbound_students", Kind::OPTIONAL_COUNT),
    ],
};
/// The derived table's file name inside the datasets folder.
pub const TABLE: &str = SPEC.file;
pub const DEFAULT_FILE: &str = "../shared/data/aiddata/ChinesePublicDiplomacy.csv";
pub const CITATION: &str = "AidData China Public Diplomacy dataset v2.0";
const ABOUT: About = About {
    table: TABLE,
    source: "AidData China Public Diplomacy dataset v2.0: China's public diplomacy by Asia-Pacific recipient and year",
    citation: "AidData China Public Diplomacy dataset v2.0 (AidData at William & Mary): Custer et al., Ties That Bind \
        (2018) and Corridors of Power (2021)",
};
/// The benefactor whose diplomacy the file records.
const BENEFACTOR: &str = "CHN";
/// How the file writes a missing figure.
const MISSING: &str = "N/A";

const RECIPIENT: &str = "receiving_country";
const YEAR: &str = "year";
const GOVERNMENT_VISITS: &str = "government_visits";
const MILITARY_VISITS: &str = "military_visits";
const TOTAL_VISITS: &str = "total_elite_visits";
/// The count columns, in the file's names; the table renames the two student columns.
const COUNTS: [&str; 10] = [
    "confucius_institutes",
    "sister_cities_established",
    GOVERNMENT_VISITS,
    MILITARY_VISITS,
    TOTAL_VISITS,
    "ambassador_op_eds",
    "journalist_visits",
    "media_partnerships",
    "outbound_chinese_students",
    "inbound_students_to_china",
];
const REQUIRED: [&str; 12] = [
    RECIPIENT,
    YEAR,
    COUNTS[0],
    COUNTS[1],
    COUNTS[2],
    COUNTS[3],
    COUNTS[4],
    COUNTS[5],
    COUNTS[6],
    COUNTS[7],
    COUNTS[8],
    COUNTS[9],
];

/// One row of `datasets/public_diplomacy.csv`: China's public diplomacy with one recipient in one year.
/// Empty cells are figures the file does not give (`N/A`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DiplomacyYear {
    pub benefactor_iso3: String,
    pub recipient: String,
    pub recipient_iso3: String,
    pub year: i32,
    /// Confucius Institutes opened.
    pub confucius_institutes: Option<u32>,
    /// Sister-city relationships established.
    pub sister_cities: Option<u32>,
    /// Visits by Chinese government leaders (the file's elite visits less the military ones).
    pub government_visits: Option<u32>,
    /// Visits by Chinese military leaders.
    pub military_visits: Option<u32>,
    /// The file's `N/A` read as 0 visits: inside the span of years the recipient has military-visit
    /// figures (see the module notes).
    pub military_visits_gap: bool,
    pub ambassador_op_eds: Option<u32>,
    pub journalist_visits: Option<u32>,
    pub media_partnerships: Option<u32>,
    /// Chinese students studying in the recipient.
    pub outbound_students: Option<u32>,
    /// The recipient's students in China.
    pub inbound_students: Option<u32>,
}

#[derive(Debug)]
pub struct ImportReport {
    pub table: PathBuf,
    pub provenance: Provenance,
    pub rows: Vec<DiplomacyYear>,
}

pub fn import(path: &Path, datasets: &Path) -> Result<ImportReport> {
    let countries = CountryTable::builtin();
    let file = CsvFile::read(path, Text::Latin1OrUtf8, &REQUIRED, "AidData's China Public Diplomacy country-year file")?;
    let mut problems = Vec::new();
    let mut outcome = Outcome::default();
    let mut rows: BTreeMap<(String, i32), DiplomacyYear> = BTreeMap::new();
    for index in 0..file.records.len() {
        let mut row = file.row(index, &mut problems);
        let Some(year) = read_row(&mut row, countries) else { continue };
        if year.values().iter().all(Option::is_none) {
            outcome.exclude(format!("no figure in any column (`{MISSING}` throughout)"));
            continue;
        }
        if rows.insert((year.recipient_iso3.clone(), year.year), year).is_some() {
            row.problem(RECIPIENT, "a second record for this recipient and year");
        }
    }
    file.check(problems)?;
    let filled = fill_military_gaps(&mut rows);
    let rows: Vec<DiplomacyYear> = rows.into_values().collect();
    let years = (rows.iter().map(|r| r.year).min().unwrap_or(0), rows.iter().map(|r| r.year).max().unwrap_or(0));
    let recipients = rows.iter().map(|r| &r.recipient_iso3).collect::<std::collections::BTreeSet<_>>().len();
    outcome.data_generated = format!("not stated in the file; figures {}-{}", years.0, years.1);
    outcome.method = format!(
        "one row per recipient × year with any figure ({recipients} recipients); `{MISSING}` is kept as an empty cell, \
         except in `military_visits`: between a recipient's first and last year with a figure, `{MISSING}` is read as 0 \
         visits and flagged in `military_visits_gap` ({filled} cells), because the South and Central Asian part of the file \
         writes `{MISSING}`, never 0, for a year without a visit; `total_elite_visits` is checked to equal government plus \
         military visits and left out"
    );
    outcome.rows_written = rows.len();
    let mut provenance = file.provenance(ABOUT, outcome);
    let table = table::write_table(datasets, &SPEC, &csv_bytes(&rows)?, &mut provenance, path)?;
    Ok(ImportReport { table, provenance, rows })
}

/// The derived table and its provenance, or None when it has not been imported: D1 and I1 then rest on
/// the other sources alone.
pub fn find_table(datasets: &Path) -> Result<Option<(PathBuf, Provenance)>> {
    table::find_table(datasets, &SPEC)
}

impl DiplomacyYear {
    fn values(&self) -> [Option<u32>; 9] {
        [
            self.confucius_institutes,
            self.sister_cities,
            self.government_visits,
            self.military_visits,
            self.ambassador_op_eds,
            self.journalist_visits,
            self.media_partnerships,
            self.outbound_students,
            self.inbound_students,
        ]
    }
}

fn read_row(row: &mut Row, countries: &CountryTable) -> Option<DiplomacyYear> {
    let name = row.text(RECIPIENT).to_string();
    let recipient = match countries.resolve(&name) {
        Some(NameMatch::Country(c)) => Some(c),
        Some(NameMatch::NonCountry(kind)) => {
            row.problem(RECIPIENT, format!("`{name}` is not a country (listed as {kind}); the file has one row per recipient country"));
            None
        }
        None => {
            row.problem(RECIPIENT, countries.unknown_in_data(&name));
            None
        }
    };
    let year = row.integer(YEAR, 1990..=2100, "a year");
    let counts: Vec<Option<Option<u32>>> = COUNTS.iter().map(|c| count(row, c)).collect();
    let counts: Vec<Option<u32>> = counts.into_iter().collect::<Option<_>>()?;
    let [confucius, sister, government, military, total, op_eds, journalists, media, outbound, inbound] = counts[..] else {
        unreachable!("one value per count column")
    };
    if let (Some(g), Some(m), Some(t)) = (government, military, total) {
        if g + m != t {
            row.problem(TOTAL_VISITS, format!("{t} is not {GOVERNMENT_VISITS} ({g}) plus {MILITARY_VISITS} ({m})"));
        }
    }
    let recipient = recipient?;
    Some(DiplomacyYear {
        benefactor_iso3: BENEFACTOR.into(),
        recipient: recipient.name.clone(),
        recipient_iso3: recipient.iso3.clone(),
        year: year? as i32,
        confucius_institutes: confucius,
        sister_cities: sister,
        government_visits: government,
        military_visits: military,
        military_visits_gap: false,
        ambassador_op_eds: op_eds,
        journalist_visits: journalists,
        media_partnerships: media,
        outbound_students: outbound,
        inbound_students: inbound,
    })
}

/// A count cell: Some(None) for `N/A`, Some(Some(n)) for a count, None (with a problem) otherwise.
fn count(row: &mut Row, column: &str) -> Option<Option<u32>> {
    let text = row.text(column);
    if text == MISSING {
        return Some(None);
    }
    let value = row.integer(column, 0..=i64::from(u32::MAX), &format!("a whole number or `{MISSING}`"))?;
    Some(Some(value as u32))
}

/// Reads `N/A` as 0 military visits between each recipient's first and last year with a figure;
/// returns how many cells it filled.
fn fill_military_gaps(rows: &mut BTreeMap<(String, i32), DiplomacyYear>) -> usize {
    let mut spans: BTreeMap<String, (i32, i32)> = BTreeMap::new();
    for ((iso3, year), row) in rows.iter() {
        if row.military_visits.is_some() {
            let span = spans.entry(iso3.clone()).or_insert((*year, *year));
            *span = (span.0.min(*year), span.1.max(*year));
        }
    }
    let mut filled = 0;
    for ((iso3, year), row) in rows.iter_mut() {
        let inside = spans.get(iso3).is_some_and(|(first, last)| (first..=last).contains(&year));
        if row.military_visits.is_none() && inside {
            row.military_visits = Some(0);
            row.military_visits_gap = true;
            filled += 1;
        }
    }
    filled
}
