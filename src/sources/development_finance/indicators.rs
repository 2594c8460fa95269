//! Context for China's D3 and E3 from AidData's GCDF 3.0 (`datasets/development_finance.csv`, 2000–2021):
//! official finance committed to the recipient, ODA-like (aid: grants and concessional loans) beside D3,
//! OOF-like (loans at or near market rates, export credits) and flows too vague to classify beside E3,
//! in constant 2021 US$ millions (the aggregator's adjusted amounts). Reported, never rated, and with no
//! coverage: D3 is rated from military-linked projects, E3 from trade.
//!
//! A recipient in the file with no row in a year had no commitment that year (the file lists only
//! recipient-years with a recommended project); a recipient not in the file gets no value.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;

use crate::indicators::{Counted, Indicators, PairValues, Scope};
use crate::domain::Instrument;
use crate::error::Result;
use super::reader as development_finance;

const UNIT: &str = "US$ millions (2021)";
/// Each indicator: its instrument, the table's column, its name.
const SERIES: [(Instrument, &str, &str); 3] = [
    (Instrument::D3, "oda_like_adjusted", "gcdf_oda_like_commitments"),
    (Instrument::E3, "oof_like_adjusted", "gcdf_oof_like_commitments"),
    (Instrument::E3, "vague_adjusted", "gcdf_vague_official_commitments"),
];

pub const INDICATORS: &[(Instrument, &str)] = &[
    (Instrument::D3, SERIES[0].2),
    (Instrument::E3, SERIES[1].2),
    (Instrument::E3, SERIES[2].2),
];

/// recipient → year → the three amounts; the table's years.
type Figures = (BTreeMap<String, BTreeMap<i32, [f64; 3]>>, (i32, i32));

fn load(table: &Path) -> Result<Figures> {
    let mut types: Vec<(&str, DataType)> = SERIES.iter().map(|(_, column, _)| (*column, DataType::Float64)).collect();
    types.push(("year", DataType::Int32));
    let frame = crate::indicators::read_table(table, &[], &types)?;
    let (recipient, year) = (frame.column("recipient_iso3")?.str()?, frame.column("year")?.i32()?);
    let amounts: Vec<&Float64Chunked> = SERIES.iter().map(|(_, column, _)| frame.column(column).and_then(|c| c.f64())).collect::<PolarsResult<_>>()?;
    let mut figures: BTreeMap<String, BTreeMap<i32, [f64; 3]>> = BTreeMap::new();
    for i in 0..frame.height() {
        let (Some(r), Some(y)) = (recipient.get(i), year.get(i)) else { continue };
        figures.entry(r.to_string()).or_default().insert(y, std::array::from_fn(|k| amounts[k].get(i).unwrap_or(0.0)));
    }
    Ok((figures, (year.min().unwrap_or_default(), year.max().unwrap_or_default())))
}

pub fn compute(datasets: &Path, scope: &Scope) -> Result<Indicators> {
    let mut out = Indicators::default();
    let Some(china) = scope.benefactors.iter().find(|b| b.iso3 == development_finance::BENEFACTOR) else { return Ok(out) };
    let Some((table, _)) = development_finance::find_table(datasets)? else { return Ok(out) };
    let (figures, (first, last)) = load(&table)?;
    let source = format!("{} ({first}-{last})", development_finance::SOURCE_LABEL);
    let years: Vec<i32> = (scope.window.start.max(first)..=scope.window.end.min(last)).collect();
    for recipient in scope.recipients {
        let Some(by_year) = figures.get(&recipient.iso3) else { continue };
        let mut pair = PairValues { out: &mut out, benefactor: &china.iso3, recipient: &recipient.iso3, source: &source };
        for (k, (instrument, _, name)) in SERIES.into_iter().enumerate() {
            let series: Vec<(i32, f64)> = years.iter().map(|y| (*y, by_year.get(y).map_or(0.0, |a| a[k]))).collect();
            pair.counts(instrument, &series, Counted::plain(name, UNIT));
        }
    }
    Ok(out)
}
