//! The reader: raw files → `datasets/`, through the import contract (`crate::ingest`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::ingest::one_file::{About, CsvFile, Outcome, Row, Text};
use crate::ingest::provenance::Provenance;
use crate::ingest::table::{self, Column, Kind, TableSpec};
use crate::artefact::csv_bytes;
use crate::domain::CountryTable;
use crate::error::Result;

/// US$ millions: the largest commitment to one recipient in one year is some 43 billion.
const MAX_MILLIONS: f64 = 1e6;
const USD_PER_MILLION: f64 = 1e6;

pub const SPEC: TableSpec = TableSpec {
    file: "development_finance.csv",
    command: "mdime import development-finance",
    columns: &[
        Column::text("benefactor_iso3"),
        Column::text("recipient"),
        Column::text("recipient_iso3"),
        Column::new("recipient_cow", Kind::Integer { min: 2, max: 999, optional: false }),
        Column::new("year", Kind::YEAR),
        Column::amount("oda_like", MAX_MILLIONS),
        Column::amount("oda_like_adjusted", MAX_MILLIONS),
        Column::amount("oof_like", MAX_MILLIONS),
        Column::amount("oof_like_adjusted", MAX_MILLIONS),
        Column::amount("vague", MAX_MILLIONS),
        Column::amount("vague_adjusted", MAX_MILLIONS),
    ],
};
/// The derived table's file name inside the datasets folder.
pub const TABLE: &str = SPEC.file;
pub const DEFAULT_FILE: &str = "../shared/data/aiddata/cow_gcdf.csv";
/// How indicators name the source, followed by its years.
pub const SOURCE_LABEL: &str = "AidData GCDF 3.0 official finance commitments";
pub const CITATION: &str = "Custer et al. (2023), Tracking Chinese Development Finance: An Application of AidData's TUFF 3.0 \
    Methodology, AidData at William & Mary (Global Chinese Development Finance Dataset 3.0), aggregated by \
    milesdwilliams15/odadata";
pub const BENEFACTOR: &str = "CHN";

/// The file's amount columns and the table's names for them, in the table's order.
const AMOUNTS: [(&str, &str); 6] = [
    ("oda_amt", "oda_like"),
    ("oda_adj", "oda_like_adjusted"),
    ("oof_amt", "oof_like"),
    ("oof_adj", "oof_like_adjusted"),
    ("vof_amt", "vague"),
    ("vof_adj", "vague_adjusted"),
];
const REQUIRED: [&str; 8] = ["ccode", "year", AMOUNTS[0].0, AMOUNTS[1].0, AMOUNTS[2].0, AMOUNTS[3].0, AMOUNTS[4].0, AMOUNTS[5].0];

/// One row of `datasets/development_finance.csv`: China's official finance commitments to one
/// recipient in one year, constant 2021 US$ millions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FinanceYear {
    pub benefactor_iso3: String,
    pub recipient: String,
    pub recipient_iso3: String,
    pub recipient_cow: u32,
    pub year: i32,
    /// Official development assistance-like flows (grants, concessional loans).
    pub oda_like: f64,
    pub oda_like_adjusted: f64,
    /// Other official flows (commercial-rate loans, export credits).
    pub oof_like: f64,
    pub oof_like_adjusted: f64,
    /// Official flows too vaguely described to classify.
    pub vague: f64,
    pub vague_adjusted: f64,
}

#[derive(Debug)]
pub struct ImportReport {
    pub table: PathBuf,
    pub provenance: Provenance,
    pub rows: Vec<FinanceYear>,
}

pub fn import(path: &Path, datasets: &Path) -> Result<ImportReport> {
    let countries = CountryTable::builtin();
    let file = CsvFile::read(path, Text::Latin1OrUtf8, &REQUIRED, "odadata's GCDF 3.0 recipient-years (cow_gcdf.csv)")?;
    let mut problems = Vec::new();
    let mut rows: BTreeMap<(String, i32), FinanceYear> = BTreeMap::new();
    for index in 0..file.records.len() {
        let mut row = file.row(index, &mut problems);
        let code = row.integer("ccode", 2..=999, "a Correlates of War code");
        let year = row.integer("year", 1990..=2100, "a year");
        let amounts: Vec<Option<f64>> = AMOUNTS.iter().map(|(column, _)| millions(&mut row, column)).collect();
        let (Some(code), Some(year)) = (code, year) else { continue };
        let Some(country) = countries.country(&code.to_string()) else {
            row.problem("ccode", format!("unknown Correlates of War code `{code}` (add it to datasets/country_aliases.csv)"));
            continue;
        };
        let Some(amounts) = amounts.into_iter().collect::<Option<Vec<f64>>>() else { continue };
        let state = countries.state_in(country, year as i32);
        let finance = FinanceYear {
            benefactor_iso3: BENEFACTOR.into(),
            recipient: state.name.clone(),
            recipient_iso3: state.iso3.clone(),
            recipient_cow: code as u32,
            year: year as i32,
            oda_like: amounts[0],
            oda_like_adjusted: amounts[1],
            oof_like: amounts[2],
            oof_like_adjusted: amounts[3],
            vague: amounts[4],
            vague_adjusted: amounts[5],
        };
        if rows.insert((state.iso3.clone(), year as i32), finance).is_some() {
            row.problem("ccode", format!("a second row for {} in {year}", state.name));
        }
    }
    file.check(problems)?;
    let rows: Vec<FinanceYear> = rows.into_values().collect();
    let years = (rows.iter().map(|r| r.year).min().unwrap_or(0), rows.iter().map(|r| r.year).max().unwrap_or(0));
    let outcome = Outcome {
        data_generated: format!("GCDF 3.0 (2023); commitments {}-{}", years.0, years.1),
        method: format!(
            "one row per recipient × year with a recommended project ({} recipients); Correlates of War codes resolved by year; amounts \
             in constant 2021 US$ divided by a million; the aggregator's adjusted amounts kept beside the plain ones",
            rows.iter().map(|r| &r.recipient_iso3).collect::<std::collections::BTreeSet<_>>().len()
        ),
        rows_written: rows.len(),
        ..Outcome::default()
    };
    let about = About { table: TABLE, source: "AidData GCDF 3.0: Chinese official finance commitments by recipient and year", citation: CITATION };
    let mut provenance = file.provenance(about, outcome);
    let table = table::write_table(datasets, &SPEC, &csv_bytes(&rows)?, &mut provenance, path)?;
    Ok(ImportReport { table, provenance, rows })
}

/// The derived table and its provenance, or None when it has not been imported.
pub fn find_table(datasets: &Path) -> Result<Option<(PathBuf, Provenance)>> {
    table::find_table(datasets, &SPEC)
}

/// An amount in US$ as US$ millions, to the dollar, or None with a problem.
fn millions(row: &mut Row, column: &str) -> Option<f64> {
    let usd = row.number(column, "an amount in constant 2021 US$")?;
    if usd < 0.0 {
        row.problem(column, format!("expected an amount of 0 or more, found `{usd}`"));
        return None;
    }
    Some(usd.round() / USD_PER_MILLION)
}
