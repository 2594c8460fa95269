//! The user's own names for countries and non-countries, read at run time from the datasets folder so
//! that a name a source spells in a new way can be added without rebuilding mdime (the built-in tables
//! are compiled in).
//!
//! `local_names.csv` has the columns `name,iso3,kind,note`: a new spelling of a country gives its ISO-3
//! code (`Cote D'Ivoire,CIV,,`), a name that is not a country gives its kind (`Mutinational,,group,Geo-PKO's
//! misspelling of Multinational`). A local name may add to the built-in ones, never change them.

use std::path::Path;

use super::one_file::{CsvFile, Text};
use crate::domain::{CountryTable, LocalName, NON_COUNTRY_KINDS};
use crate::error::{Error, Result};

pub const FILE: &str = "local_names.csv";
const COLUMNS: [&str; 4] = ["name", "iso3", "kind", "note"];

/// `datasets/local_names.csv` as an import lists the tables it read (name, SHA-256), if there is one: an
/// import that resolves names through the country table depends on it, and a part of the event import
/// kept from before it was edited must not be taken.
pub fn table_read(datasets: &Path) -> Result<Option<(String, String)>> {
    let path = datasets.join(FILE);
    match std::fs::read(&path) {
        Ok(bytes) => Ok(Some((FILE.to_string(), super::text::sha256_hex(&bytes)))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Read { path, source }),
    }
}

/// Reads `datasets/local_names.csv`, if there is one, and makes its names part of the country table for
/// the rest of the process.
pub fn install(datasets: &Path) -> Result<()> {
    let path = datasets.join(FILE);
    if !path.exists() {
        return Ok(());
    }
    let file = CsvFile::read(&path, Text::Utf8, &COLUMNS, "a list of local names: name,iso3,kind,note")?;
    let mut problems = Vec::new();
    let mut names = Vec::new();
    for index in 0..file.records.len() {
        let mut row = file.row(index, &mut problems);
        let (name, iso3, kind) = (row.text("name").to_string(), row.text("iso3").to_string(), row.text("kind").to_string());
        if name.is_empty() {
            row.problem("name", "empty: expected the name as the source writes it");
            continue;
        }
        match (iso3.is_empty(), kind.is_empty()) {
            (false, true) => names.push((row.line, LocalName::Alias { name, iso3 })),
            (true, false) if NON_COUNTRY_KINDS.contains(&kind.as_str()) => names.push((row.line, LocalName::NonCountry { name, kind })),
            (true, false) => row.problem("kind", format!("expected one of {}, found `{kind}`", NON_COUNTRY_KINDS.join(", "))),
            _ => row.problem("iso3", "give either an ISO-3 code (a new spelling of a country) or a kind (not a country), not both or neither"),
        }
    }
    file.check(problems)?;
    CountryTable::install(&path.display().to_string(), &names).map_err(|message| Error::Format { path: path.clone(), message })?;
    Ok(())
}
