//! IPI's "Providing for Peacekeeping" monthly files (1990-11 to 2014-03): each contributor's total
//! troops, police and experts per month (one file per contributor, named after it), and each mission's
//! uniformed total per month with its host country.
//!
//! Neither gives a contributor's personnel in a mission, which the deployment table needs, so they do
//! not feed it: they measure it. Averaged per year, the contributor totals show how much of a
//! benefactor's deployments the table captures (Geo-PKO maps formed units, not individual officers),
//! and the mission totals how close Geo-PKO's summed unit sizes come to the UN's own counts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::text::{decode, sha256_hex};
use crate::domain::{CountryTable, NameMatch};
use crate::error::{Error, Problem, Result};

const CONTRIBUTOR_COLUMNS: [&str; 4] = ["Date", "Troops", "Police", "Experts"];
const MISSION_COLUMNS: [&str; 4] = ["Date", "Mission", "Country of Mission ISO-3", "Total"];

/// Yearly means of monthly figures, with the number of months behind each.
pub type YearlyMeans<K> = BTreeMap<K, (f64, usize)>;

#[derive(Debug)]
pub enum Monthly {
    /// One contributor's personnel in all missions, per year.
    Contributor { iso3: String, yearly: YearlyMeans<i32> },
    /// Each mission's uniformed personnel, per year.
    Missions { yearly: YearlyMeans<(String, i32)> },
}

#[derive(Debug)]
pub struct IpiFile {
    pub path: PathBuf,
    pub sha256: String,
    pub encoding: String,
    pub lines: usize,
    pub records_read: usize,
    pub monthly: Monthly,
}

impl IpiFile {
    pub fn file_name(&self) -> String {
        self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }

    pub fn role(&self) -> String {
        match &self.monthly {
            Monthly::Contributor { iso3, .. } => format!("IPI monthly personnel of {iso3} in all missions: a check on the table's yearly totals"),
            Monthly::Missions { .. } => "IPI monthly uniformed personnel per mission: a check on the table's mission totals".into(),
        }
    }
}

/// Whether a header is one of IPI's monthly layouts.
pub fn recognises(names: &[&str]) -> bool {
    let has = |columns: &[&str]| columns.iter().all(|c| names.contains(c));
    has(&CONTRIBUTOR_COLUMNS) || has(&MISSION_COLUMNS)
}

pub fn read(path: &Path, countries: &CountryTable) -> Result<IpiFile> {
    let super::text::Decoded { text, encoding, bytes, .. } = decode(path)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let format_error = |message: String| Error::Format { path: path.to_path_buf(), message };
    let header = reader.headers().map_err(|e| format_error(format!("line 1: {e}")))?.clone();
    let names: Vec<&str> = header.iter().map(str::trim).collect();
    let position = |name: &str| names.iter().position(|n| *n == name);
    let contributor = if CONTRIBUTOR_COLUMNS.iter().all(|c| position(c).is_some()) {
        // IPI names each contributor's file after it ("Russian Federation.csv").
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        match countries.resolve(&stem) {
            Some(NameMatch::Country(c)) => Some(c.iso3.clone()),
            _ => return Err(format_error(format!(
                "an IPI contributor file is named after its contributor (`China.csv`); `{stem}` is not a country in the country table"
            ))),
        }
    } else if MISSION_COLUMNS.iter().all(|c| position(c).is_some()) {
        None
    } else {
        return Err(format_error(format!(
            "line 1: neither IPI monthly layout: a contributor file has the columns {}, the mission file {}",
            CONTRIBUTOR_COLUMNS.join(", "),
            MISSION_COLUMNS.join(", ")
        )));
    };

    let mut problems = Vec::new();
    let mut sums: BTreeMap<(String, i32), (f64, usize)> = BTreeMap::new();
    let mut records_read = 0;
    for record in reader.records() {
        let record = record.map_err(|e| format_error(format!("line {}: {e}", e.position().map_or(0, |p| p.line()))))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        records_read += 1;
        let field = |name: &str| record.get(position(name).expect("the layout's columns were checked")).unwrap_or_default().trim();
        let mut problem = |column: &str, message: String| {
            problems.push(Problem { path: path.to_path_buf(), line, column: column.into(), message })
        };
        let year = match field("Date").get(..4).and_then(|y| y.parse::<i32>().ok()).filter(|y| (1945..=2100).contains(y)) {
            Some(year) if field("Date").len() == 10 => year,
            _ => {
                problem("Date", format!("expected a date like `2014-03-31`, found `{}`", field("Date")));
                continue;
            }
        };
        let figures: &[&str] = if contributor.is_some() { &["Troops", "Police", "Experts"] } else { &["Total"] };
        let mut month_total = 0.0;
        let mut any = false;
        for &column in figures {
            match field(column) {
                // NA: none of that kind that month.
                "NA" | "" => {}
                value => match value.parse::<f64>() {
                    Ok(n) if n >= 0.0 => {
                        month_total += n;
                        any = true;
                    }
                    _ => problem(column, format!("expected a number of personnel or `NA`, found `{value}`")),
                },
            }
        }
        let key = match &contributor {
            Some(iso3) => iso3.clone(),
            None => field("Mission").to_string(),
        };
        // A contributor's month with every figure NA still counts, as none deployed; a mission's
        // month without a total is a month not reported.
        if any || contributor.is_some() {
            let entry = sums.entry((key, year)).or_default();
            entry.0 += month_total;
            entry.1 += 1;
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid { path: path.to_path_buf(), problems });
    }
    let means = sums.into_iter().map(|(key, (sum, months))| (key, (sum / months as f64, months)));
    let monthly = match contributor {
        Some(iso3) => Monthly::Contributor { iso3, yearly: means.map(|((_, year), mean)| (year, mean)).collect() },
        None => Monthly::Missions { yearly: means.collect() },
    };
    Ok(IpiFile {
        path: path.to_path_buf(),
        sha256: sha256_hex(&bytes),
        encoding: encoding.label().into(),
        lines: text.lines().count(),
        records_read,
        monthly,
    })
}
