//! Correlates of War Trade v4.0, the dyads with China (COW 710) or Russia (365): each side's imports
//! from the other, US$ millions, to 2014. COW builds its figures mostly from the IMF's, so it adds
//! little where DOTS reports; it is the last resort of the trade table and a check on it.
//!
//! COW codes Russia and the Soviet Union alike (365): before 1992 the code is the Soviet Union's, whose
//! trade is not Russia's, so those years are set aside.

use std::collections::BTreeMap;
use std::path::Path;

use super::dots::{Figure, Flow};
use crate::ingest::one_file::{CsvFile, CsvLayout, Row, Text};
use super::{Cell, Reported};
use crate::domain::{CountryTable, NameMatch};
use crate::error::Result;

const COLUMNS: [&str; 5] = ["ccode1", "ccode2", "year", "flow1", "flow2"];
const LAYOUT: CsvLayout = CsvLayout::plain("Correlates of War dyadic trade", Text::Latin1OrUtf8, &COLUMNS);
const RUSSIA: &str = "RUS";
/// The benefactors the file is about: its every dyad has one of them. A dyad of China with a third
/// benefactor says nothing of that benefactor's trade with anyone else, so it counts for China alone.
const SUBJECTS: [&str; 2] = ["CHN", RUSSIA];
const FIRST_RUSSIAN_YEAR: i32 = 1992;

pub fn read(path: &Path, countries: &CountryTable, benefactors: &[String]) -> Result<Reported> {
    let file = CsvFile::detect(path, &[LAYOUT])?;
    let mut reported = Reported {
        path: path.to_path_buf(),
        sha256: file.raw.sha256.clone(),
        lines: file.raw.lines,
        records_read: file.records.len(),
        cells: Vec::new(),
        excluded: BTreeMap::new(),
    };
    let mut problems = Vec::new();
    for index in 0..file.records.len() {
        let mut row = file.row(index, &mut problems);
        let country = |row: &mut Row, i: usize| match countries.resolve(row.text(COLUMNS[i])) {
            Some(NameMatch::Country(c)) => Some(c.iso3.clone()),
            _ => {
                let code = row.text(COLUMNS[i]);
                row.problem(COLUMNS[i], countries.unknown_in_data(code));
                None
            }
        };
        let (first, second) = (country(&mut row, 0), country(&mut row, 1));
        let year = row.integer("year", 1800..=2100, "a year").map(|y| y as i32);
        // Each side's imports from the other, in US$ millions; empty is not reported.
        let mut flow = |i: usize| -> Option<Option<f64>> {
            if row.is_missing(COLUMNS[i]) {
                return Some(None);
            }
            row.optional_number(COLUMNS[i], 0.0..=1e8, "imports in US$ millions or nothing").map(Some)
        };
        let (imports_of_first, imports_of_second) = (flow(3), flow(4));
        let (Some(first), Some(second), Some(year), Some(imports_of_first), Some(imports_of_second)) = (first, second, year, imports_of_first, imports_of_second) else { continue };
        let mut kept = false;
        for (benefactor, partner, benefactor_imports, partner_imports) in
            [(&first, &second, imports_of_first, imports_of_second), (&second, &first, imports_of_second, imports_of_first)]
        {
            if !benefactors.contains(benefactor) || !SUBJECTS.contains(&benefactor.as_str()) {
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
    file.check(problems)?;
    Ok(reported)
}
