//! Russia's joint exercises with the recipient's forces, from `datasets/exercises.csv` (Russian Ministry
//! of Defence, 2009–2018): bilateral exercises (Russia and the recipient alone) for M1, formal
//! bilateral engagements; multilateral ones for M2, which the framework lists with shared multilateral
//! engagements.
//!
//! The list is Russia's, so it covers Russia in every recipient for its years and no other benefactor.
//! Only M1 gets coverage from it: M2 is rated from peacekeeping, and the exercise counts stand beside
//! that rating without deciding whether M2 was looked at.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;

use crate::indicators::{Indicators, PairValues, Period, Scope};
use crate::domain::Instrument;
use crate::error::Result;
use super::reader::{self as exercises, Kind};

const EXERCISES: &str = "exercises";

pub const INDICATORS: &[(Instrument, &str)] = &[
    (Instrument::M1, "bilateral_exercises"),
    (Instrument::M1, "years_with_bilateral_exercises"),
    (Instrument::M2, "multilateral_exercises"),
];

/// (partner, year, kind) → exercises; the years the list spans.
type Counted = (BTreeMap<(String, i32, Kind), u32>, (i32, i32));

fn load(table: &Path) -> Result<Option<Counted>> {
    let frame = crate::indicators::read_table(
        table,
        &["exercise_id", "year", "kind", "partner_iso3"],
        &[("exercise_id", DataType::UInt32), ("year", DataType::Int32)],
    )?;
    let years = frame.column("year")?.i32()?;
    let (Some(first), Some(last)) = (years.min(), years.max()) else { return Ok(None) };
    let counted = frame
        .lazy()
        .filter(col("partner_iso3").is_not_null())
        .group_by([col("partner_iso3"), col("year"), col("kind")])
        .agg([col("exercise_id").n_unique().alias(EXERCISES)])
        .collect()?;
    let (partner, year, kind) = (counted.column("partner_iso3")?.str()?, counted.column("year")?.i32()?, counted.column("kind")?.str()?);
    let n = counted.column(EXERCISES)?.cast(&DataType::UInt32)?;
    let n = n.u32()?;
    let mut out = BTreeMap::new();
    for i in 0..counted.height() {
        let (Some(p), Some(y), Some(k), Some(n)) = (partner.get(i), year.get(i), kind.get(i), n.get(i)) else { continue };
        let kind = if k == "bilateral" { Kind::Bilateral } else { Kind::Multilateral };
        out.insert((p.to_string(), y, kind), n);
    }
    Ok(Some((out, (first, last))))
}

pub fn compute(datasets: &Path, scope: &Scope) -> Result<Indicators> {
    let mut out = Indicators::default();
    let Some(russia) = scope.benefactors.iter().find(|b| b.iso3 == exercises::BENEFACTOR) else { return Ok(out) };
    let Some((table, _)) = exercises::find_table(datasets)? else { return Ok(out) };
    let Some((counted, (first, last))) = load(&table)? else { return Ok(out) };
    let (start, end) = (scope.window.start.max(first), scope.window.end.min(last));
    if start > end {
        return Ok(out);
    }
    let source = format!("{} {first}-{last}", exercises::SOURCE_LABEL);
    for recipient in scope.recipients {
        let mut pair = PairValues { out: &mut out, benefactor: &russia.iso3, recipient: &recipient.iso3, source: &source };
        let of = |kind: Kind| -> Vec<(i32, u32)> {
            (start..=end).map(|year| (year, counted.get(&(recipient.iso3.clone(), year, kind)).copied().unwrap_or(0))).collect()
        };
        let (bilateral, multilateral) = (of(Kind::Bilateral), of(Kind::Multilateral));
        for (&(year, b), &(_, m)) in bilateral.iter().zip(&multilateral) {
            pair.push(Instrument::M1, "bilateral_exercises", Period::Year(year), f64::from(b), EXERCISES);
            pair.push(Instrument::M2, "multilateral_exercises", Period::Year(year), f64::from(m), EXERCISES);
        }
        let window = Period::Window(start, end);
        let total = |series: &[(i32, u32)]| f64::from(series.iter().map(|(_, n)| n).sum::<u32>());
        pair.push(Instrument::M1, "bilateral_exercises", window, total(&bilateral), EXERCISES);
        pair.push(Instrument::M1, "years_with_bilateral_exercises", window, bilateral.iter().filter(|(_, n)| *n > 0).count() as f64, "years");
        pair.push(Instrument::M2, "multilateral_exercises", window, total(&multilateral), EXERCISES);
        pair.cover(Instrument::M1, start, end);
    }
    Ok(out)
}
