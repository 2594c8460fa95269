//! I2 (ICT support) and D3 (military-linked and security aid) from AidData's Global Chinese Official
//! Finance table (`datasets/official_finance.csv`): the projects the import classified, counted and
//! summed per recipient and year.
//!
//! GCOF looked for Chinese official finance in every country, so for the years it spans it covers China
//! in every recipient: a recipient without such a project is Unobserved there. Amounts are summed over
//! the projects that have one (about two in three do); the count is the measure.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use polars::prelude::*;

use crate::indicators::{Counted, Indicators, PairValues, Scope};
use crate::domain::Instrument;
use crate::error::Result;
use super::reader as official_finance;

const PROJECTS: &str = "projects";
const PROJECTS_PER_YEAR: &str = "projects a year";
const USD: &str = "US$ millions (constant 2014)";

/// Per instrument: the table's flag column, and the counts and amounts computed from it.
const MEASURES: [(Instrument, &str, Counted, Counted); 2] = [
    (
        Instrument::I2,
        "ict",
        Counted {
            name: "ict_projects",
            unit: PROJECTS,
            per_year: Some(("ict_projects_per_year", PROJECTS_PER_YEAR)),
            years_with: Some("years_with_ict_projects"),
        },
        Counted::plain("ict_amount", USD),
    ),
    (
        Instrument::D3,
        "d3",
        Counted {
            name: "security_projects",
            unit: PROJECTS,
            per_year: Some(("security_projects_per_year", PROJECTS_PER_YEAR)),
            years_with: Some("years_with_security_projects"),
        },
        Counted::plain("security_amount", USD),
    ),
];

pub const INDICATORS: &[(Instrument, &str)] = &[
    (Instrument::I2, "ict_projects"),
    (Instrument::I2, "ict_projects_per_year"),
    (Instrument::I2, "years_with_ict_projects"),
    (Instrument::I2, "ict_amount"),
    (Instrument::D3, "security_projects"),
    (Instrument::D3, "security_projects_per_year"),
    (Instrument::D3, "years_with_security_projects"),
    (Instrument::D3, "security_amount"),
];

/// (benefactor, recipient, year, flag column) → (projects, amount in US$ millions).
type Totals = BTreeMap<(String, String, i32, &'static str), (f64, f64)>;

/// What the table holds: its totals, the benefactors it records and the years it spans.
struct Table {
    totals: Totals,
    benefactors: Vec<String>,
    first: i32,
    last: i32,
}

fn load(table: &Path) -> Result<Table> {
    let frame = crate::indicators::read_table(
        table,
        &["benefactor_iso3", "recipient_iso3", "year", "amount_usd_2014", "ict", "d3"],
        &[("year", DataType::Int32), ("amount_usd_2014", DataType::Float64), ("ict", DataType::Boolean), ("d3", DataType::Boolean)],
    )?;
    let year = frame.column("year")?.i32()?;
    let (first, last) = (year.min().unwrap_or_default(), year.max().unwrap_or_default());
    let column = frame.column("benefactor_iso3")?.str()?;
    let benefactors: Vec<String> =
        (0..column.len()).filter_map(|i| column.get(i).map(String::from)).collect::<BTreeSet<_>>().into_iter().collect();
    let mut totals = Totals::new();
    for (_, flag, ..) in MEASURES {
        let summed = frame
            .clone()
            .lazy()
            .filter(col(flag))
            .group_by([col("benefactor_iso3"), col("recipient_iso3"), col("year")])
            .agg([len().cast(DataType::Float64).alias("projects"), (col("amount_usd_2014").sum() / lit(1e6)).alias("amount")])
            .collect()?;
        let (b, r, y) = (summed.column("benefactor_iso3")?.str()?, summed.column("recipient_iso3")?.str()?, summed.column("year")?.i32()?);
        let (projects, amount) = (summed.column("projects")?.f64()?, summed.column("amount")?.f64()?);
        for i in 0..summed.height() {
            let (Some(b), Some(r), Some(y)) = (b.get(i), r.get(i), y.get(i)) else { continue };
            totals.insert((b.to_string(), r.to_string(), y, flag), (projects.get(i).unwrap_or(0.0), amount.get(i).unwrap_or(0.0)));
        }
    }
    Ok(Table { totals, benefactors, first, last })
}

pub fn compute(datasets: &Path, scope: &Scope) -> Result<Indicators> {
    let mut out = Indicators::default();
    let Some((table, _)) = official_finance::find_table(datasets)? else { return Ok(out) };
    let Table { totals, benefactors, first, last } = load(&table)?;
    let (start, end) = (scope.window.start.max(first), scope.window.end.min(last));
    if start > end {
        return Ok(out);
    }
    let source = format!("{} (projects {first}-{last})", official_finance::CITATION);
    for benefactor in scope.benefactors.iter().filter(|b| benefactors.contains(&b.iso3)) {
        for recipient in scope.recipients {
            let mut pair = PairValues { out: &mut out, benefactor: &benefactor.iso3, recipient: &recipient.iso3, source: &source };
            for (instrument, flag, projects, amount) in MEASURES {
                let yearly: Vec<(i32, (f64, f64))> = (start..=end)
                    .map(|y| (y, totals.get(&(benefactor.iso3.clone(), recipient.iso3.clone(), y, flag)).copied().unwrap_or((0.0, 0.0))))
                    .collect();
                pair.counts(instrument, &yearly.iter().map(|(y, t)| (*y, t.0)).collect::<Vec<_>>(), projects);
                pair.counts(instrument, &yearly.iter().map(|(y, t)| (*y, t.1)).collect::<Vec<_>>(), amount);
                pair.cover(instrument, start, end);
            }
        }
    }
    Ok(out)
}
