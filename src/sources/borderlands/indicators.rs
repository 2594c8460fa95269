//! China's D1, M1, I1 and I2 from NBR/AidData's Borderlands panel (`datasets/borderlands.csv`): senior
//! military engagements (senior-level visits and naval port calls, one count in the panel) for D1,
//! joint exercises for M1, content-sharing partnerships for I1, surveillance and safe-city projects for
//! I2, and visits by heads of state and government beside D1.
//!
//! The panel covers China in 28 Asian states (18 of them tracked recipients), each only in the years
//! it lists the state (Uzbekistan has no 2022 row; seven states have none for 2024). Coverage follows
//! the figures: a column's years with a figure in the window, so that a recipient outside the panel
//! stays as before. The engagement columns leave out the panel's part-year (2024), whose low counts are
//! an unfinished compilation, not a fall; port calls cannot be told from visits, so they count under
//! D1 rather than M1, and multilateral exercises under M1 rather than M2.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;

use crate::indicators::{Counted, Indicators, PairValues, Scope};
use crate::domain::Instrument;
use crate::error::Result;
use super::reader as borderlands;

const ENGAGEMENTS: Counted = Counted {
    name: "senior_military_engagements",
    unit: "engagements",
    per_year: Some(("senior_military_engagements_per_year", "engagements a year")),
    years_with: Some("years_with_senior_military_engagements"),
};
const EXERCISES: Counted = Counted {
    name: "joint_exercises",
    unit: "exercises",
    per_year: Some(("joint_exercises_per_year", "exercises a year")),
    years_with: Some("years_with_joint_exercises"),
};
const SURVEILLANCE: Counted = Counted {
    name: "surveillance_projects",
    unit: "projects",
    per_year: Some(("surveillance_projects_per_year", "projects a year")),
    years_with: Some("years_with_surveillance_projects"),
};
const PARTNERSHIPS: Counted = Counted {
    name: "content_sharing_partnerships",
    unit: "partnerships",
    per_year: Some(("content_sharing_partnerships_per_year", "partnerships a year")),
    years_with: None,
};
const LEADER_VISITS: Counted = Counted::plain("leader_visits", "visits");

/// Each series: its instrument, the table's column, what is computed, whether it has coverage (rather
/// than standing beside another series' rating), and whether the part-year is left out.
const SERIES: [(Instrument, &str, Counted, bool, bool); 5] = [
    (Instrument::D1, "military_engagements", ENGAGEMENTS, true, true),
    (Instrument::D1, "leader_visits", LEADER_VISITS, false, false),
    (Instrument::M1, "joint_exercises", EXERCISES, true, true),
    (Instrument::I1, "content_sharing_partnerships", PARTNERSHIPS, true, false),
    (Instrument::I2, "surveillance_projects", SURVEILLANCE, true, false),
];

pub const INDICATORS: &[(Instrument, &str)] = &[
    (Instrument::D1, "senior_military_engagements"),
    (Instrument::D1, "senior_military_engagements_per_year"),
    (Instrument::D1, "years_with_senior_military_engagements"),
    (Instrument::D1, "leader_visits"),
    (Instrument::M1, "joint_exercises"),
    (Instrument::M1, "joint_exercises_per_year"),
    (Instrument::M1, "years_with_joint_exercises"),
    (Instrument::I1, "content_sharing_partnerships"),
    (Instrument::I1, "content_sharing_partnerships_per_year"),
    (Instrument::I2, "surveillance_projects"),
    (Instrument::I2, "surveillance_projects_per_year"),
    (Instrument::I2, "years_with_surveillance_projects"),
];

/// recipient → column → (year, figure) for the years with one.
type ByRecipient = BTreeMap<String, BTreeMap<&'static str, Vec<(i32, f64)>>>;
/// The figures, the part-year and the table's years.
type Figures = (ByRecipient, Option<i32>, (i32, i32));

fn load(table: &Path) -> Result<Figures> {
    let mut types: Vec<(&str, DataType)> = SERIES.iter().map(|(_, column, ..)| (*column, DataType::Float64)).collect();
    types.push(("year", DataType::Int32));
    let frame = crate::indicators::read_table(table, &[], &types)?.sort(["recipient_iso3", "year"], SortMultipleOptions::default())?;
    let recipient = frame.column("recipient_iso3")?.str()?;
    let year = frame.column("year")?.i32()?;
    let part = frame.column("military_part_year")?.str()?;
    let part_year = (0..frame.height()).find(|&i| part.get(i) == Some("true")).and_then(|i| year.get(i));
    let mut figures = ByRecipient::new();
    for (_, column, ..) in SERIES {
        let values = frame.column(column)?.f64()?;
        for i in 0..frame.height() {
            let (Some(r), Some(y), Some(v)) = (recipient.get(i), year.get(i), values.get(i)) else { continue };
            figures.entry(r.to_string()).or_default().entry(column).or_default().push((y, v));
        }
    }
    Ok((figures, part_year, (year.min().unwrap_or_default(), year.max().unwrap_or_default())))
}

pub fn compute(datasets: &Path, scope: &Scope) -> Result<Indicators> {
    let mut out = Indicators::default();
    let Some(china) = scope.benefactors.iter().find(|b| b.iso3 == borderlands::BENEFACTOR) else { return Ok(out) };
    let Some((table, _)) = borderlands::find_table(datasets)? else { return Ok(out) };
    let (figures, part_year, (first, last)) = load(&table)?;
    let source = format!("{} ({first}-{last})", borderlands::SOURCE_LABEL);
    for recipient in scope.recipients {
        let Some(columns) = figures.get(&recipient.iso3) else { continue };
        let mut pair = PairValues { out: &mut out, benefactor: &china.iso3, recipient: &recipient.iso3, source: &source };
        for (instrument, column, counted, covers, without_part_year) in SERIES {
            let series: Vec<(i32, f64)> = columns
                .get(column)
                .map(|s| s.iter().copied().filter(|(y, _)| scope.window.contains(*y) && !(without_part_year && part_year == Some(*y))).collect())
                .unwrap_or_default();
            if let (Some(first), Some(last), true) = (series.first(), series.last(), covers) {
                pair.cover(instrument, first.0, last.0);
            }
            pair.counts(instrument, &series, counted);
        }
    }
    Ok(out)
}
