//! IPI's "Providing for Peacekeeping" monthly files (1990-11 to 2014-03): each contributor's total
//! troops, police and experts per month (one file per contributor, named after it), and each mission's
//! uniformed total per month with its host country.
//!
//! Neither gives a contributor's personnel in a mission, which the deployment table needs, so they do
//! not feed it: they measure it. Averaged per year, the contributor totals show how much of a
//! benefactor's deployments the table captures (Geo-PKO maps formed units, not individual officers),
//! and the mission totals how close Geo-PKO's summed unit sizes come to the UN's own counts.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::ingest::one_file::{CsvFile, CsvLayout, Text};
use crate::domain::{CountryTable, NameMatch};
use crate::error::{Error, Result};

/// IPI writes `NA` for a kind of personnel a contributor did not send that month.
pub const CONTRIBUTOR: CsvLayout = CsvLayout {
    missing: &["NA"],
    ..CsvLayout::plain("IPI monthly personnel of one contributor", Text::Latin1OrUtf8, &["Date", "Troops", "Police", "Experts"])
};
pub const MISSIONS: CsvLayout = CsvLayout {
    missing: &["NA"],
    ..CsvLayout::plain("IPI monthly personnel per mission", Text::Latin1OrUtf8, &["Date", "Mission", "Country of Mission ISO-3", "Total"])
};

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

/// The years an IPI month may fall in: from the first UN mission (1948) to a bound well past any
/// release.
const FIRST_YEAR: i32 = 1948;
const LAST_YEAR: i32 = 2100;

/// Reads a file already recognised as one of IPI's two monthly layouts.
pub fn read(file: &CsvFile, countries: &CountryTable) -> Result<IpiFile> {
    let path = file.raw.path.as_path();
    let contributor = if file.layout.name == CONTRIBUTOR.name {
        // IPI names each contributor's file after it ("Russian Federation.csv").
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        match countries.resolve(&stem) {
            Some(NameMatch::Country(c)) => Some(c.iso3.clone()),
            _ => {
                return Err(Error::Format {
                    path: path.to_path_buf(),
                    message: format!("an IPI contributor file is named after its contributor (`China.csv`); `{stem}` is not a country in the country table"),
                })
            }
        }
    } else {
        None
    };
    let mut problems = Vec::new();
    let mut sums: BTreeMap<(String, i32), (f64, usize)> = BTreeMap::new();
    for index in 0..file.records.len() {
        let mut row = file.row(index, &mut problems);
        let Some(date) = row.date("Date") else { continue };
        let year = i32::from(date.year());
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            row.problem("Date", format!("{date} is outside {FIRST_YEAR} to {LAST_YEAR}: peacekeeping began in 1948"));
            continue;
        }
        let figures: &[&str] = if contributor.is_some() { &["Troops", "Police", "Experts"] } else { &["Total"] };
        let mut month_total = 0.0;
        let mut any = false;
        for &column in figures {
            if let Some(n) = row.optional_number(column, 0.0..=1e6, "a number of personnel or `NA`") {
                month_total += n;
                any = true;
            }
        }
        let key = match &contributor {
            Some(iso3) => iso3.clone(),
            None => row.text("Mission").to_string(),
        };
        // A contributor's month with every figure NA still counts, as none deployed; a mission's
        // month without a total is a month not reported.
        if any || contributor.is_some() {
            let entry = sums.entry((key, year)).or_default();
            entry.0 += month_total;
            entry.1 += 1;
        }
    }
    file.check(problems)?;
    let means = sums.into_iter().map(|(key, (sum, months))| (key, (sum / months as f64, months)));
    let monthly = match contributor {
        Some(iso3) => Monthly::Contributor { iso3, yearly: means.map(|((_, year), mean)| (year, mean)).collect() },
        None => Monthly::Missions { yearly: means.collect() },
    };
    Ok(IpiFile {
        path: path.to_path_buf(),
        sha256: file.raw.sha256.clone(),
        encoding: file.raw.encoding.clone(),
        lines: file.raw.lines,
        records_read: file.records.len(),
        monthly,
    })
}
