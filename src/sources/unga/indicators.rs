//! UN General Assembly voting alignment, context for I1: the distance between the recipient's and the
//! benefactor's ideal points (`datasets/unga_ideal_points.csv`), per year and its mean over the window.
//! Smaller is more aligned. The rubric never rates from it and it covers no instrument: voting with a
//! benefactor is a sign of a relationship, not an instrument the benefactor wields.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;

use crate::indicators::{Indicators, PairValues, Scope};
use crate::domain::Instrument;
use crate::error::Result;
use super::reader as unga;

const UNIT: &str = "ideal-point distance";

pub const INDICATORS: &[(Instrument, &str)] = &[(Instrument::I1, "unga_distance")];

/// country → year → ideal point.
type Points = BTreeMap<String, BTreeMap<i32, f64>>;

fn load(table: &Path) -> Result<Points> {
    let frame = crate::indicators::read_table(table, &["iso3", "year", "ideal_point"], &[("year", DataType::Int32), ("ideal_point", DataType::Float64)])?;
    let (iso3, year, point) = (frame.column("iso3")?.str()?, frame.column("year")?.i32()?, frame.column("ideal_point")?.f64()?);
    let mut points = Points::new();
    for i in 0..frame.height() {
        let (Some(c), Some(y), Some(p)) = (iso3.get(i), year.get(i), point.get(i)) else { continue };
        points.entry(c.to_string()).or_default().insert(y, p);
    }
    Ok(points)
}

pub fn compute(datasets: &Path, scope: &Scope) -> Result<Indicators> {
    let mut out = Indicators::default();
    let Some((table, provenance)) = unga::find_table(datasets)? else { return Ok(out) };
    let points = load(&table)?;
    let source = format!("{} ({})", unga::CITATION, provenance.data_generated);
    let none = BTreeMap::new();
    for benefactor in scope.benefactors {
        let own = points.get(&benefactor.iso3).unwrap_or(&none);
        for recipient in scope.recipients {
            let theirs = points.get(&recipient.iso3).unwrap_or(&none);
            let distances: Vec<(i32, f64)> = own
                .range(scope.window.start..=scope.window.end)
                .filter_map(|(year, b)| Some((*year, (theirs.get(year)? - b).abs())))
                .collect();
            let mut pair = PairValues { out: &mut out, benefactor: &benefactor.iso3, recipient: &recipient.iso3, source: &source };
            pair.levels(Instrument::I1, &distances, "unga_distance", UNIT);
        }
    }
    Ok(out)
}
