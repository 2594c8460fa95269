//! China's D2 (international military education and training) by proxy, from the students table
//! (`datasets/students_in_china.csv`, China's Ministry of Education, 2010–2018): the recipient's
//! students in China holding a Chinese-government scholarship, and all its students there. Civilian
//! students are not officers trained; the rubric holds the confidence of a rating they set at Medium.
//!
//! The file covers 131 countries, each for 2010–2018: a pair is covered over the window's years the
//! file has for it, so that a recipient outside the file, and every year after 2018, stays Not assessed
//! rather than Unobserved.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;

use crate::indicators::{Indicators, PairValues, Scope};
use crate::domain::Instrument;
use crate::error::Result;
use super::reader as students;

const SCHOLARSHIPS: &str = "scholarship_holders";
const STUDENTS: &str = "students_in_china";
const YEARS: &str = "years_with_scholarship_holders";

pub const INDICATORS: &[(Instrument, &str)] = &[(Instrument::D2, SCHOLARSHIPS), (Instrument::D2, YEARS), (Instrument::D2, STUDENTS)];

/// iso3 → (year, scholarship holders, students); the table's years.
type Figures = (BTreeMap<String, Vec<(i32, f64, f64)>>, (i32, i32));

fn load(table: &Path) -> Result<Figures> {
    let frame = crate::indicators::read_table(
        table,
        &["iso3", "year", "students", SCHOLARSHIPS],
        &[("year", DataType::Int32), ("students", DataType::Float64), (SCHOLARSHIPS, DataType::Float64)],
    )?
    .sort(["iso3", "year"], SortMultipleOptions::default())?;
    let (iso3, year) = (frame.column("iso3")?.str()?, frame.column("year")?.i32()?);
    let (students, scholarships) = (frame.column("students")?.f64()?, frame.column(SCHOLARSHIPS)?.f64()?);
    let mut figures: BTreeMap<String, Vec<(i32, f64, f64)>> = BTreeMap::new();
    for i in 0..frame.height() {
        let (Some(c), Some(y), Some(n), Some(s)) = (iso3.get(i), year.get(i), students.get(i), scholarships.get(i)) else { continue };
        figures.entry(c.to_string()).or_default().push((y, s, n));
    }
    Ok((figures, (year.min().unwrap_or_default(), year.max().unwrap_or_default())))
}

pub fn compute(datasets: &Path, scope: &Scope) -> Result<Indicators> {
    let mut out = Indicators::default();
    let Some(china) = scope.benefactors.iter().find(|b| b.iso3 == students::BENEFACTOR) else { return Ok(out) };
    let Some((table, _)) = students::find_table(datasets)? else { return Ok(out) };
    let (figures, (first, last)) = load(&table)?;
    let source = format!("{} ({first}-{last})", students::SOURCE_LABEL);
    for recipient in scope.recipients {
        let Some(years) = figures.get(&recipient.iso3) else { continue };
        let in_window: Vec<&(i32, f64, f64)> = years.iter().filter(|(y, ..)| scope.window.contains(*y)).collect();
        let mut pair = PairValues { out: &mut out, benefactor: &china.iso3, recipient: &recipient.iso3, source: &source };
        let scholarships: Vec<(i32, f64)> = in_window.iter().map(|(y, s, _)| (*y, *s)).collect();
        let students: Vec<(i32, f64)> = in_window.iter().map(|(y, _, n)| (*y, *n)).collect();
        pair.recorded_levels(Instrument::D2, &scholarships, (SCHOLARSHIPS, "scholarship holders"), YEARS);
        pair.levels(Instrument::D2, &students, STUDENTS, "students");
    }
    Ok(out)
}
