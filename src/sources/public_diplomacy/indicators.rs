//! D1 (defence-related diplomacy) and I1 (cultural and media outreach) from AidData's China Public
//! Diplomacy table (`datasets/public_diplomacy.csv`): visits by China's military and government leaders,
//! Confucius Institutes, sister cities, media partnerships, journalists' visits, ambassadors' op-eds and
//! students, per recipient and year.
//!
//! The file covers China in 38 Asia-Pacific countries only. A pair is covered for an instrument over the
//! years the table gives a figure for it (military visits for D1; any cultural or media column for I1),
//! so a recipient outside the file, or a year after its last, stays Not assessed rather than Unobserved.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;

use crate::indicators::{Counted, Indicators, PairValues, Scope};
use crate::domain::Instrument;
use crate::error::Result;
use super::reader as public_diplomacy;

const VISITS: &str = "visits";
const VISITS_PER_YEAR: &str = "visits a year";

/// The D1 measure and its companions.
const MILITARY_VISITS: Counted = Counted {
    name: "military_visits",
    unit: VISITS,
    per_year: Some(("military_visits_per_year", VISITS_PER_YEAR)),
    years_with: Some("years_with_military_visits"),
};
const GOVERNMENT_VISITS: Counted = Counted::plain("government_visits", VISITS);
/// I1's event counts: the table's column and what it counts.
const I1_COUNTS: [(&str, &str); 5] = [
    ("confucius_institutes", "institutes opened"),
    ("sister_cities", "sister cities established"),
    ("media_partnerships", "partnerships"),
    ("journalist_visits", "visits"),
    ("ambassador_op_eds", "op-eds"),
];
/// I1's levels: students enrolled in a year.
const I1_LEVELS: [(&str, &str); 2] = [("inbound_students", "students in China"), ("outbound_students", "Chinese students")];

pub const INDICATORS: &[(Instrument, &str)] = &[
    (Instrument::D1, "military_visits"),
    (Instrument::D1, "military_visits_per_year"),
    (Instrument::D1, "years_with_military_visits"),
    (Instrument::D1, "government_visits"),
    (Instrument::I1, "confucius_institutes"),
    (Instrument::I1, "sister_cities"),
    (Instrument::I1, "media_partnerships"),
    (Instrument::I1, "journalist_visits"),
    (Instrument::I1, "ambassador_op_eds"),
    (Instrument::I1, "inbound_students"),
    (Instrument::I1, "outbound_students"),
];

/// The table's columns read as figures: every count, by name.
const COLUMNS: [&str; 9] = [
    "military_visits",
    "government_visits",
    I1_COUNTS[0].0,
    I1_COUNTS[1].0,
    I1_COUNTS[2].0,
    I1_COUNTS[3].0,
    I1_COUNTS[4].0,
    I1_LEVELS[0].0,
    I1_LEVELS[1].0,
];

/// (benefactor, recipient) → column → the years with a figure and the figure.
type Figures = BTreeMap<(String, String), BTreeMap<&'static str, Vec<(i32, f64)>>>;

fn load(table: &Path) -> Result<(Figures, String)> {
    let mut types: Vec<(&str, DataType)> = COLUMNS.iter().map(|c| (*c, DataType::Float64)).collect();
    types.push(("year", DataType::Int32));
    let frame = crate::indicators::read_table(table, &[], &types)?
        .sort(["benefactor_iso3", "recipient_iso3", "year"], SortMultipleOptions::default())?;
    let benefactor = frame.column("benefactor_iso3")?.str()?;
    let recipient = frame.column("recipient_iso3")?.str()?;
    let year = frame.column("year")?.i32()?;
    let source = format!(
        "{} ({}-{})",
        public_diplomacy::CITATION,
        year.min().unwrap_or_default(),
        year.max().unwrap_or_default()
    );
    let mut figures = Figures::new();
    for column in COLUMNS {
        let values = frame.column(column)?.f64()?;
        for i in 0..frame.height() {
            let (Some(b), Some(r), Some(y), Some(v)) = (benefactor.get(i), recipient.get(i), year.get(i), values.get(i)) else { continue };
            figures.entry((b.to_string(), r.to_string())).or_default().entry(column).or_default().push((y, v));
        }
    }
    Ok((figures, source))
}

pub fn compute(datasets: &Path, scope: &Scope) -> Result<Indicators> {
    let mut out = Indicators::default();
    let Some((table, _)) = public_diplomacy::find_table(datasets)? else { return Ok(out) };
    let (figures, source) = load(&table)?;
    for benefactor in scope.benefactors {
        for recipient in scope.recipients {
            let Some(columns) = figures.get(&(benefactor.iso3.clone(), recipient.iso3.clone())) else { continue };
            let in_window = |column: &str| -> Vec<(i32, f64)> {
                columns.get(column).map(|s| s.iter().copied().filter(|(y, _)| scope.window.contains(*y)).collect()).unwrap_or_default()
            };
            let mut pair = PairValues { out: &mut out, benefactor: &benefactor.iso3, recipient: &recipient.iso3, source: &source };

            let military = in_window(MILITARY_VISITS.name);
            if let (Some(first), Some(last)) = (military.first(), military.last()) {
                pair.cover(Instrument::D1, first.0, last.0);
            }
            pair.counts(Instrument::D1, &military, MILITARY_VISITS);
            pair.counts(Instrument::D1, &in_window(GOVERNMENT_VISITS.name), GOVERNMENT_VISITS);

            let mut i1_years: Vec<i32> = Vec::new();
            for (column, unit) in I1_COUNTS {
                let series = in_window(column);
                i1_years.extend(series.iter().map(|(y, _)| y));
                pair.counts(Instrument::I1, &series, Counted::plain(column, unit));
            }
            for (column, unit) in I1_LEVELS {
                let series = in_window(column);
                i1_years.extend(series.iter().map(|(y, _)| y));
                pair.levels(Instrument::I1, &series, column, unit);
            }
            if let (Some(first), Some(last)) = (i1_years.iter().min(), i1_years.iter().max()) {
                pair.cover(Instrument::I1, *first, *last);
            }
        }
    }
    Ok(out)
}
