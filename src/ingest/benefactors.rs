//! The benefactors mdime carries, from `datasets/benefactors.csv`: which states the derived tables keep
//! rows for (an import keeps every benefactor listed), which a run compares by default, and each one's
//! colour in the charts. A user adds a benefactor by adding a line and re-running the imports; nothing
//! is compiled in.
//!
//! Columns `iso3,name,default_run,colour,note`: `colour` is `#rrggbb`; `default_run` is `true` for the
//! benefactors `mdime run` compares when no `--benefactor` is given.

use std::path::Path;

use super::one_file::{CsvFile, Text};
use crate::domain::{Benefactor, CountryTable, NameMatch, Status, BENEFACTOR_PALETTE, DEFAULT_BENEFACTORS};
use crate::error::{Error, Result};

pub const FILE: &str = "benefactors.csv";
const COLUMNS: [&str; 5] = ["iso3", "name", "default_run", "colour", "note"];

/// One benefactor as configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Configured {
    pub benefactor: Benefactor,
    pub default_run: bool,
}

/// The configured benefactors, in the file's order; without the file, China and Russia, run by default.
pub fn load(datasets: &Path) -> Result<Vec<Configured>> {
    let countries = CountryTable::builtin();
    let path = datasets.join(FILE);
    if !path.exists() {
        return Ok(DEFAULT_BENEFACTORS
            .iter()
            .zip(BENEFACTOR_PALETTE)
            .map(|(name, colour)| {
                let country = countries.country(name).expect("the default benefactors are in the country table");
                Configured { benefactor: Benefactor { iso3: country.iso3.clone(), name: country.name.clone(), colour }, default_run: true }
            })
            .collect());
    }
    let file = CsvFile::read(&path, Text::Utf8, &COLUMNS, "the benefactors mdime carries: iso3,name,default_run,colour,note")?;
    let mut problems = Vec::new();
    let mut configured: Vec<Configured> = Vec::new();
    for index in 0..file.records.len() {
        let mut row = file.row(index, &mut problems);
        let code = row.text("iso3");
        let country = match countries.resolve(code) {
            Some(NameMatch::Country(c)) if c.status == Status::State => Some(c),
            _ => {
                row.problem("iso3", format!("`{code}` is not the ISO-3 code of a state"));
                None
            }
        };
        let default_run = match row.text("default_run") {
            "true" => Some(true),
            "false" => Some(false),
            other => {
                row.problem("default_run", format!("expected `true` or `false`, found `{other}`"));
                None
            }
        };
        let colour = parse_colour(row.text("colour"));
        if colour.is_none() {
            let found = row.text("colour").to_string();
            row.problem("colour", format!("expected a colour `#rrggbb`, found `{found}`"));
        }
        let (Some(country), Some(default_run), Some(colour)) = (country, default_run, colour) else { continue };
        if configured.iter().any(|c| c.benefactor.iso3 == country.iso3) {
            row.problem("iso3", format!("{} is listed twice", country.name));
            continue;
        }
        let name = if row.text("name").is_empty() { country.name.clone() } else { row.text("name").to_string() };
        configured.push(Configured { benefactor: Benefactor { iso3: country.iso3.clone(), name, colour }, default_run });
    }
    file.check(problems)?;
    if configured.is_empty() {
        return Err(Error::Empty { path: path.clone(), table: path });
    }
    Ok(configured)
}

/// The ISO-3 codes of every configured benefactor: the states the derived tables keep rows for.
pub fn carried(datasets: &Path) -> Result<Vec<String>> {
    Ok(load(datasets)?.into_iter().map(|c| c.benefactor.iso3).collect())
}

fn parse_colour(text: &str) -> Option<[u8; 3]> {
    let hex = text.strip_prefix('#').filter(|h| h.len() == 6 && h.bytes().all(|b| b.is_ascii_hexdigit()))?;
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}
