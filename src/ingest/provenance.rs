use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Where a derived table came from and what the import did, saved beside the table as TOML so that
/// any figure can be traced back to a raw file by its hash.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Provenance {
    pub table: String,
    pub source: String,
    pub citation: String,
    /// The raw file, for a table derived from one; a table that combines several lists them in `inputs`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source_file: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sha256: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub encoding: String,
    /// The publisher's own date for the data (SIPRI's "Data generated").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub data_generated: String,
    pub imported_on: String,
    pub mdime_version: String,
    pub method: String,
    /// The publisher's layout the raw file was recognised as (`SIPRI per-delivery export`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub layout: String,
    /// What reading normalised in the raw file (line endings, a byte-order mark, a spreadsheet's padding).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub normalised: Vec<String>,
    /// SHA-256 of the derived table as written: `mdime run` refuses a table that no longer matches it
    /// (edited by hand, cut short), since its figures would no longer be the import's.
    #[serde(default)]
    pub table_sha256: String,
    pub counts: Counts,
    #[serde(default)]
    pub rejected: Vec<Rejection>,
    /// Rows read but not kept on purpose (aggregates, pairs without a benefactor), counted by reason:
    /// one line per row would drown the record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded: Vec<Exclusion>,
    /// Each raw file of a table derived from several, with its own hash, role and counts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<Input>,
    /// Where two sources give the same figures, how far they disagree (and, where a precedence rule
    /// chose between them, which it took).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comparisons: Vec<Comparison>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Counts {
    pub lines: usize,
    pub records_read: usize,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub records_rejoined: usize,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub records_with_deliveries: usize,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub records_without_deliveries: usize,
    pub records_rejected: usize,
    pub rows_written: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Rows (or entries inside rows) not kept, with the reason.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Exclusion {
    pub reason: String,
    pub rows: usize,
}

/// Two sources' figures for the same cells (pair × year, mission × year…), compared where both have one.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Comparison {
    pub what: String,
    pub reference: String,
    pub other: String,
    pub first_year: i32,
    pub last_year: i32,
    pub cells: usize,
    pub reference_total: f64,
    pub other_total: f64,
    /// (other − reference) / reference over all the cells, in percent; none where the reference totals 0
    /// (SIPRI writes deliveries under 0.5 TIV as 0, so a small supplier's yearly table can).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_gap_pct: Option<f64>,
    /// Σ |other − reference| / reference total, in percent: how far apart they are cell by cell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell_gap_pct: Option<f64>,
    /// Where a precedence rule chose between the two sources cell by cell, what it chose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precedence: Option<Precedence>,
}

/// How a precedence rule settled the cells two sources share, and who appears in only one of them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Precedence {
    /// Whether the reference source is known to be incomplete over these years (months missing).
    pub reference_incomplete: bool,
    pub used_reference: usize,
    pub used_other: usize,
    /// Parties (contributors) present in a shared cell in both sources, or in only one.
    pub parties_in_both: usize,
    pub parties_only_in_reference: usize,
    pub parties_only_in_other: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Rejection {
    pub line: usize,
    pub reason: String,
}

/// One raw file of a table derived from several, and what the import took from it. Where the file's
/// unit of report is finer than a record (one contributor named inside a record), `entries_read` counts
/// those; every entry read is kept or set aside for a stated reason.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Input {
    pub file: String,
    pub sha256: String,
    pub role: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub encoding: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub lines: usize,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub records_read: usize,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub entries_read: usize,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub entries_kept: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set_aside: Vec<Exclusion>,
    /// Names or codes in the file that resolve to no country, most frequent first, with their records: a
    /// country spelled in a way the country table does not know shows up here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unresolved: Vec<Exclusion>,
}

impl Input {
    /// A file of several whose counts go to the table's totals.
    pub fn file(file: String, sha256: String, role: String) -> Input {
        Input {
            file,
            sha256,
            role,
            encoding: String::new(),
            lines: 0,
            records_read: 0,
            entries_read: 0,
            entries_kept: 0,
            set_aside: Vec::new(),
            unresolved: Vec::new(),
        }
    }
}

/// Percentages of a reference total, to one decimal place; none of a total of 0.
pub fn percent_of(reference: f64, x: f64) -> Option<f64> {
    (reference > 0.0).then(|| (1000.0 * x / reference).round() / 10.0)
}

impl Provenance {
    pub fn path_for(table_path: &Path) -> std::path::PathBuf {
        table_path.with_extension("provenance.toml")
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("provenance is plain data and always serialises")
    }

    pub fn load(path: &Path) -> Result<Provenance> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
        toml::from_str(&text).map_err(|e| Error::Format { path: path.to_path_buf(), message: e.to_string() })
    }
}

/// Today's date in UTC as YYYY-MM-DD, for the import record.
pub fn today() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%d").to_string()
}
