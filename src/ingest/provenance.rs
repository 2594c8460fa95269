use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Where a derived table came from and what the import did, saved beside the table as TOML so that
/// any figure can be traced back to a raw file by its hash.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
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
    pub counts: Counts,
    #[serde(default)]
    pub rejected: Vec<Rejection>,
    #[serde(default)]
    pub divergence: Vec<Divergence>,
    /// Each raw file of a table that combines several, with its own hash and counts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<Input>,
    /// Where two sources cover the same years, how far they disagree, year by year.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overlap: Vec<Overlap>,
    /// Every file read, for imports that read more than one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<SourceFile>,
    /// Rows read but not kept, counted by reason, for imports whose sources hold far more than the table
    /// needs (one line per row would drown the record).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded: Vec<Exclusion>,
    /// Where two sources give the same figure, how far they disagree.
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

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SourceFile {
    pub file: String,
    pub sha256: String,
    /// What the import took from it.
    pub role: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Exclusion {
    pub reason: String,
    pub rows: usize,
}

/// Two sources' figures for the same cells (pair × year), compared where both have one.
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
    /// (other − reference) / reference over all the cells, in percent.
    pub total_gap_pct: f64,
    /// Σ |other − reference| / reference total, in percent: how far apart they are cell by cell.
    pub cell_gap_pct: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Rejection {
    pub line: usize,
    pub reason: String,
}

/// How far the register, split into years by the import's rule, is from SIPRI's own yearly tables.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Divergence {
    pub supplier: String,
    pub first_year: i32,
    pub last_year: i32,
    pub table_tiv: f64,
    pub register_tiv: f64,
    /// (register − table) / table over the whole period, in percent.
    pub total_gap_pct: f64,
    /// Σ |register − table| over recipient × year cells / table total, in percent: how well the split
    /// puts deliveries in the right year and recipient.
    pub cell_gap_pct: f64,
}


/// One raw file of a table derived from several. An entry is the unit the file reports (a record, or one
/// contributor named inside a record); every entry read is kept or set aside for a stated reason.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Input {
    pub source: String,
    pub source_file: String,
    pub sha256: String,
    pub encoding: String,
    pub lines: usize,
    pub records_read: usize,
    pub entries_read: usize,
    pub entries_kept: usize,
    #[serde(default)]
    pub set_aside: Vec<SetAside>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SetAside {
    pub reason: String,
    pub entries: usize,
}

/// Two sources compared over one year, on the cells (mission × year, say) both report: `a` and `b`
/// name the sources, `used_*` how many cells the precedence rule took from each.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Overlap {
    pub year: i32,
    pub a: String,
    pub b: String,
    /// Whether `a` is known to be incomplete this year (months missing).
    pub a_under_counted: bool,
    pub cells_in_both: usize,
    pub used_a: usize,
    pub used_b: usize,
    /// Parties (contributors) present in a shared cell in both sources, or in only one.
    pub parties_in_both: usize,
    pub parties_only_in_a: usize,
    pub parties_only_in_b: usize,
    /// Totals over the parties both report with a figure.
    pub total_a: f64,
    pub total_b: f64,
    /// (b − a) / a, in percent.
    pub gap_pct: f64,
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

/// Writes a derived table and its provenance beside it, both or neither.
pub fn write_table(datasets: &Path, name: &str, csv: &[u8], provenance: &Provenance) -> Result<std::path::PathBuf> {
    let table = datasets.join(name);
    let mut batch = crate::artefact::Batch::new();
    batch.stage(&table, csv)?;
    batch.stage(&Provenance::path_for(&table), provenance.to_toml().as_bytes())?;
    batch.commit()?;
    Ok(table)
}

/// A derived table's path and provenance, or None when it has not been imported.
pub fn find_table(datasets: &Path, name: &str) -> Result<Option<(std::path::PathBuf, Provenance)>> {
    let table = datasets.join(name);
    if !table.exists() {
        return Ok(None);
    }
    let provenance = Provenance::load(&Provenance::path_for(&table))?;
    Ok(Some((table, provenance)))
}

/// Today's date in UTC as YYYY-MM-DD, for the import record.
pub fn today() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%d").to_string()
}
