//! D2 by proxy for every benefactor the student flows name as a destination (`datasets/student_flows.csv`):
//! the recipient's tertiary students in the benefactor, by the rule China's students table follows
//! (`students::indicators`): the mean over the window's years the file records for the pair, rated at
//! Medium confidence at most (`datasets/rubric.toml`).
//!
//! Coverage. A pair is covered over the window's years in which the benefactor is among the recipient's
//! listed destinations. A year in which it is left out of a top ten is not recorded: it neither counts
//! as 0 nor covers the pair (a recipient whose lists never name the benefactor stays Not assessed), and
//! the highest of its bounds over the window is reported beside the rating (`tertiary_students_at_most`,
//! a window value only). So the mean rests on the years the benefactor made the top ten: for a pair that
//! fell out of it in other years, the mean over every year is likely lower, by no more than its bounds
//! allow.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;

use super::reader::{self as flows, Status};
use crate::domain::Instrument;
use crate::error::Result;
use crate::indicators::{Indicators, PairValues, Period, Scope};

pub const STUDENTS: &str = "tertiary_students_in_benefactor";
pub const YEARS: &str = "years_with_tertiary_students";
pub const AT_MOST: &str = "tertiary_students_at_most";

pub const INDICATORS: &[(Instrument, &str)] = &[(Instrument::D2, STUDENTS), (Instrument::D2, YEARS), (Instrument::D2, AT_MOST)];

/// Per benefactor and recipient, the years listed (year, students) and the years bounded (year, at most).
type Flows = BTreeMap<(String, String), (Vec<(i32, f64)>, Vec<(i32, f64)>)>;
/// Per benefactor, the first and last year of its rows.
type Years = BTreeMap<String, (i32, i32)>;

fn load(table: &Path) -> Result<(Flows, Years)> {
    let frame = crate::indicators::read_table(
        table,
        &["benefactor_iso3", "iso3", "year", "status", "students", "at_most"],
        &[("year", DataType::Int32), ("students", DataType::Float64), ("at_most", DataType::Float64)],
    )?
    .sort(["benefactor_iso3", "iso3", "year"], SortMultipleOptions::default())?;
    let (benefactor, iso3, year) = (frame.column("benefactor_iso3")?.str()?, frame.column("iso3")?.str()?, frame.column("year")?.i32()?);
    let (status, students, at_most) = (frame.column("status")?.str()?, frame.column("students")?.f64()?, frame.column("at_most")?.f64()?);
    let mut flows = Flows::new();
    let mut years = Years::new();
    for i in 0..frame.height() {
        let (Some(b), Some(c), Some(y), Some(s)) = (benefactor.get(i), iso3.get(i), year.get(i), status.get(i)) else { continue };
        let span = years.entry(b.to_string()).or_insert((y, y));
        *span = (span.0.min(y), span.1.max(y));
        let entry = flows.entry((b.to_string(), c.to_string())).or_default();
        match (students.get(i), at_most.get(i)) {
            (Some(n), _) if s == Status::Listed.code() => entry.0.push((y, n)),
            (_, Some(bound)) if s == Status::BelowTopTen.code() => entry.1.push((y, bound)),
            _ => {}
        }
    }
    Ok((flows, years))
}

pub fn compute(datasets: &Path, scope: &Scope) -> Result<Indicators> {
    let mut out = Indicators::default();
    let Some((table, _)) = flows::find_table(datasets)? else { return Ok(out) };
    let (flows, years) = load(&table)?;
    let in_window = |series: &[(i32, f64)]| -> Vec<(i32, f64)> { series.iter().copied().filter(|(y, _)| scope.window.contains(*y)).collect() };
    for benefactor in scope.benefactors {
        let Some((first, last)) = years.get(&benefactor.iso3) else { continue };
        let source = format!("{} ({first}-{last})", flows::SOURCE_LABEL);
        for recipient in scope.recipients {
            let Some((listed, bounded)) = flows.get(&(benefactor.iso3.clone(), recipient.iso3.clone())) else { continue };
            let mut pair = PairValues { out: &mut out, benefactor: &benefactor.iso3, recipient: &recipient.iso3, source: &source };
            pair.recorded_levels(Instrument::D2, &in_window(listed), (STUDENTS, "students"), YEARS);
            // A bound is no measurement: it stands beside the rating over the window, never in a yearly
            // series that charts and projections would read as one.
            let bounds = in_window(bounded);
            if let (Some(start), Some(end)) = (bounds.first(), bounds.last()) {
                let highest = bounds.iter().map(|(_, b)| *b).fold(0.0, f64::max);
                pair.push(Instrument::D2, AT_MOST, Period::Window(start.0, end.0), highest, "students at most");
            }
        }
    }
    Ok(out)
}
