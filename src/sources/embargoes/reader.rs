//! The reader: raw files → `datasets/`, through the import contract (`crate::ingest`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::ingest::one_file::{About, CsvFile, Outcome, Row, Text};
use crate::ingest::provenance::Provenance;
use crate::ingest::table::{self, Column, TableSpec};
use crate::artefact::csv_bytes;
use crate::domain::{CountryTable, NameMatch};
use crate::error::Result;

pub const SPEC: TableSpec = TableSpec {
    file: "arms_embargoes.csv",
    command: "mdime import embargoes",
    columns: &[
        Column::text("target"),
        Column::text("target_iso3"),
        Column::text("imposed_by"),
        Column::text("document"),
        Column::text("entry_into_force"),
        Column::text("suspended"),
        Column::text("lifted"),
        Column::text("in_force_until"),
        Column::text("note"),
    ],
};
/// The derived table's file name inside the datasets folder.
pub const TABLE: &str = SPEC.file;
pub const DEFAULT_FILE: &str = "../shared/data/sipri/arms-embargoes.csv";
pub const CITATION: &str = "SIPRI arms embargo archive";
pub const METHOD: &str = "one row per embargo; dates as ISO 8601, two-digit years read as 1950-2049; `imposed_by` from \
    the establishing document; `in_force_until` is the earlier of suspension and lifting, empty while the archive \
    shows the embargo in force";
/// Two-digit years below this are 20xx, the rest 19xx.
const CENTURY_PIVOT: i16 = 50;

const TARGET: &str = "Target";
const ENTRY: &str = "Entry into force";
const SUSPENDED: &str = "Suspended";
const LIFTED: &str = "Lifted";
const DOCUMENT: &str = "Establishing document";
const COLUMNS: [&str; 5] = [TARGET, ENTRY, SUSPENDED, LIFTED, DOCUMENT];
const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// One row of `datasets/arms_embargoes.csv`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Embargo {
    /// The target as SIPRI names it.
    pub target: String,
    /// ISO-3 code of the state targeted when the embargo entered into force; empty for non-state targets.
    pub target_iso3: String,
    /// `UN`, `EU`, `OSCE`, `Arab League` or `other`.
    pub imposed_by: String,
    /// As SIPRI gives it; empty where the archive has `-`.
    pub document: String,
    pub entry_into_force: String,
    pub suspended: String,
    pub lifted: String,
    /// The earlier of `suspended` and `lifted`: the day the embargo stopped applying.
    pub in_force_until: String,
    pub note: String,
}

#[derive(Debug)]
pub struct ImportReport {
    pub table: PathBuf,
    pub provenance: Provenance,
    pub rows: Vec<Embargo>,
}

/// Reads the archive and writes `arms_embargoes.csv` and its provenance into `datasets`.
pub fn import(path: &Path, datasets: &Path) -> Result<ImportReport> {
    let countries = CountryTable::builtin();
    let file = CsvFile::read(path, Text::Latin1OrUtf8, &COLUMNS, "SIPRI's arms embargo archive")?;
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for index in 0..file.records.len() {
        let mut row = file.row(index, &mut problems);
        let entry = date(&mut row, ENTRY);
        let (suspended, lifted) = (date(&mut row, SUSPENDED), date(&mut row, LIFTED));
        if row.text(ENTRY).is_empty() {
            row.problem(ENTRY, "empty: expected the date the embargo entered into force");
        }
        for (column, end) in [(SUSPENDED, suspended), (LIFTED, lifted)] {
            if let (Some(start), Some(end)) = (entry, end) {
                if end < start {
                    row.problem(column, format!("{end} is before the embargo entered into force ({start})"));
                }
            }
        }
        let document = row.text(DOCUMENT);
        let imposed_by = imposer(document);
        if imposed_by.is_none() {
            row.problem(DOCUMENT, format!("cannot tell who imposed the embargo from `{document}`: expected `UNSCR n`, a CFSP, EC or EU act, an OSCE or LAS statement, or `-`"));
        }
        let target = row.text(TARGET);
        let target_iso3 = match countries.resolve(target) {
            Some(NameMatch::Country(c)) => Some(entry.map_or(c, |d| countries.state_in(c, i32::from(d.year()))).iso3.clone()),
            Some(NameMatch::NonCountry(_)) => Some(String::new()),
            None => {
                row.problem(TARGET, countries.unknown_in_data(target));
                None
            }
        };
        let (Some(entry), Some(target_iso3), Some(imposed_by)) = (entry, target_iso3, imposed_by) else { continue };
        let text = |d: Option<Date>| d.map_or(String::new(), |d| d.to_string());
        rows.push(Embargo {
            target: target.to_string(),
            target_iso3,
            imposed_by: imposed_by.to_string(),
            document: if document == "-" { String::new() } else { document.to_string() },
            entry_into_force: entry.to_string(),
            suspended: text(suspended),
            lifted: text(lifted),
            in_force_until: text([suspended, lifted].into_iter().flatten().min()),
            note: String::new(),
        });
    }
    file.check(problems)?;
    note_shared_documents(&mut rows);
    rows.sort_by(|a, b| (&a.target_iso3, &a.target, &a.entry_into_force, &a.imposed_by).cmp(&(&b.target_iso3, &b.target, &b.entry_into_force, &b.imposed_by)));

    let about = About {
        table: TABLE,
        source: "SIPRI arms embargo archive: multilateral arms embargoes",
        citation: &format!("{CITATION} (c) SIPRI, https://www.sipri.org/databases/embargoes"),
    };
    let mut provenance = file.provenance(about, Outcome { method: METHOD.into(), rows_written: rows.len(), ..Outcome::default() });
    let table = table::write_table(datasets, &SPEC, &csv_bytes(&rows)?, &mut provenance, path)?;
    Ok(ImportReport { table, provenance, rows })
}

/// The derived table and its provenance, or None when it has not been imported.
pub fn find_table(datasets: &Path) -> Result<Option<(PathBuf, Provenance)>> {
    table::find_table(datasets, &SPEC)
}

/// A date cell: None when it is empty, or (with a problem) when it is not a date.
fn date(row: &mut Row, column: &str) -> Option<Date> {
    let text = row.text(column);
    if text.is_empty() {
        return None;
    }
    let parsed = parse_date(text);
    if parsed.is_none() {
        row.problem(column, format!("expected a date like `19-Dec-00`, found `{text}`"));
    }
    parsed
}

/// `19-Dec-00` → 2000-12-19; None for anything else, including days a month does not have.
fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.split('-');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 2 || !(1..=2).contains(&day.len()) {
        return None;
    }
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? as i8 + 1;
    let year: i16 = year.parse().ok()?;
    let year = if year < CENTURY_PIVOT { 2000 + year } else { 1900 + year };
    Date::new(year, month, day.parse().ok()?).ok()
}

fn imposer(document: &str) -> Option<&'static str> {
    let upper = document.to_ascii_uppercase();
    if upper.starts_with("UNSCR") {
        Some("UN")
    } else if upper.contains("CFSP") || upper.starts_with("EC ") || upper.starts_with("EU ") {
        Some("EU")
    } else if upper.starts_with("OSCE") {
        Some("OSCE")
    } else if upper.starts_with("LAS") {
        Some("Arab League")
    } else if document == "-" || document.is_empty() {
        Some("other")
    } else {
        None
    }
}

/// Notes every embargo whose numbered document is also given for an embargo entering into force in
/// another year: one of the two is likely a slip in the archive. Generic documents (`EC declaration`)
/// have no number and are shared by design.
fn note_shared_documents(rows: &mut [Embargo]) {
    let mut by_document: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate().filter(|(_, r)| r.document.chars().any(|c| c.is_ascii_digit())) {
        by_document.entry(row.document.clone()).or_default().push(i);
    }
    for indices in by_document.values() {
        for &i in indices {
            let others: Vec<String> = indices
                .iter()
                .filter(|&&j| rows[j].entry_into_force[..4] != rows[i].entry_into_force[..4])
                .map(|&j| format!("{} from {}", rows[j].target, rows[j].entry_into_force))
                .collect();
            if !others.is_empty() {
                rows[i].note = format!("{} is also given for {}: one of the two is likely wrong", rows[i].document, others.join(", "));
            }
        }
    }
}
