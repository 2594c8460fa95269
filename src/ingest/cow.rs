//! Correlates of War Trade v4.0, the dyads with China (COW 710) or Russia (365): each side's imports
//! from the other, US$ millions, to 2014. COW builds its figures mostly from the IMF's, so it adds
//! little where DOTS reports; it is the last resort of the trade table and a check on it.
//!
//! COW codes Russia and the Soviet Union alike (365): before 1992 the code is the Soviet Union's, whose
//! trade is not Russia's, so those years are set aside.

use std::collections::BTreeMap;
use std::path::Path;

use super::dots::{Figure, Flow};
use super::text::{decode, sha256_hex};
use super::trade::{Cell, Reported};
use crate::domain::{CountryTable, NameMatch};
use crate::error::{Error, Problem, Result};

const COLUMNS: [&str; 5] = ["ccode1", "ccode2", "year", "flow1", "flow2"];
const RUSSIA: &str = "RUS";
const FIRST_RUSSIAN_YEAR: i32 = 1992;

pub fn read(path: &Path, countries: &CountryTable, benefactors: &[String]) -> Result<Reported> {
    let super::text::Decoded { text, bytes, .. } = decode(path)?;
    let format_error = |message: String| Error::Format { path: path.to_path_buf(), message };
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| format_error(format!("line 1: {e}")))?.clone();
    let position = |name: &str| header.iter().position(|h| h.trim() == name);
    let missing: Vec<&str> = COLUMNS.iter().copied().filter(|c| position(c).is_none()).collect();
    if !missing.is_empty() {
        return Err(format_error(format!(
            "line 1: the header lacks {}; expected the COW dyadic trade columns {}",
            missing.join(", "),
            COLUMNS.join(", ")
        )));
    }
    let columns: Vec<usize> = COLUMNS.iter().map(|c| position(c).expect("checked above")).collect();
    let mut reported = Reported {
        path: path.to_path_buf(),
        sha256: sha256_hex(&bytes),
        lines: text.lines().count(),
        records_read: 0,
        cells: Vec::new(),
        excluded: BTreeMap::new(),
    };
    let mut problems = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format_error(format!("line {}: {e}", e.position().map_or(0, |p| p.line()))))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        reported.records_read += 1;
        let field = |i: usize| record.get(columns[i]).unwrap_or_default().trim();
        let mut problem = |column: &str, message: String| problems.push(Problem { path: path.to_path_buf(), line, column: column.into(), message });
        let mut country = |i: usize| match countries.resolve(field(i)) {
            Some(NameMatch::Country(c)) => Some(c.iso3.clone()),
            _ => {
                problem(COLUMNS[i], format!("unknown COW country code `{}` (add it to datasets/country_aliases.csv with the source `cow`)", field(i)));
                None
            }
        };
        let (first, second) = (country(0), country(1));
        let year = field(2).parse::<i32>().ok().filter(|y| (1800..=2100).contains(y));
        if year.is_none() {
            problem("year", format!("expected a year, found `{}`", field(2)));
        }
        // Each side's imports from the other, in US$ millions; empty is not reported.
        let mut flow = |i: usize| -> Option<Option<f64>> {
            match field(i) {
                "" => Some(None),
                value => match value.parse::<f64>() {
                    Ok(v) if v >= 0.0 && v.is_finite() => Some(Some(v)),
                    _ => {
                        problem(COLUMNS[i], format!("expected imports in US$ millions or nothing, found `{value}`"));
                        None
                    }
                },
            }
        };
        let (imports_of_first, imports_of_second) = (flow(3), flow(4));
        let (Some(first), Some(second), Some(year), Some(imports_of_first), Some(imports_of_second)) = (first, second, year, imports_of_first, imports_of_second) else { continue };
        let mut kept = false;
        for (benefactor, partner, benefactor_imports, partner_imports) in
            [(&first, &second, imports_of_first, imports_of_second), (&second, &first, imports_of_second, imports_of_first)]
        {
            if !benefactors.contains(benefactor) {
                continue;
            }
            if benefactor == RUSSIA && year < FIRST_RUSSIAN_YEAR {
                continue;
            }
            for (flow, value) in [(Flow::Imports, benefactor_imports), (Flow::Exports, partner_imports)] {
                if let Some(value) = value {
                    kept = true;
                    let figure = Figure { value, estimated: false };
                    reported.cells.push(Cell { benefactor: benefactor.clone(), partner: partner.clone(), year, flow, figure });
                }
            }
        }
        if !kept {
            let reason = if [&first, &second].contains(&&RUSSIA.to_string()) && year < FIRST_RUSSIAN_YEAR {
                "COW code 365 before 1992: the Soviet Union's trade, not Russia's"
            } else {
                "no figure in either direction"
            };
            *reported.excluded.entry(reason.into()).or_default() += 1;
        }
    }
    if problems.is_empty() {
        Ok(reported)
    } else {
        Err(Error::Invalid { path: path.to_path_buf(), problems })
    }
}
