//! M3 (defence and security pacts): the formal alliance obligations in force between the benefactor and
//! the recipient, from `datasets/alliances.csv` (ATOP, to 2018).
//!
//! ATOP lists every alliance of China and Russia, so for the years it spans it covers every pair: a
//! recipient with no row has no pact with the benefactor (Unobserved), not an unknown one. Years after
//! its last are unknown and get no values; agreements made since, and the defence cooperation, basing
//! and status-of-forces agreements ATOP does not code, come from the evidence logs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use polars::prelude::*;

use crate::indicators::{Indicators, PairValues, Period, Scope};
use crate::domain::{Instrument, Obligation};
use crate::error::Result;
use super::reader as alliances;

const FLAG: &str = "flag (0/1)";
/// 0 none, 1 non-aggression, 2 consultation, 4 neutrality, 8 defence or offence (`Obligation::strength`).
const STRENGTH: &str = "strength (0, 1, 2, 4, 8)";

pub const INDICATORS: &[(Instrument, &str)] = &[
    (Instrument::M3, "defense_obligation"),
    (Instrument::M3, "offense_obligation"),
    (Instrument::M3, "neutrality_obligation"),
    (Instrument::M3, "non_aggression_obligation"),
    (Instrument::M3, "consultation_obligation"),
    (Instrument::M3, "obligation_strength"),
    (Instrument::M3, "strongest_obligation"),
    (Instrument::M3, "years_with_pact"),
    (Instrument::M3, "pact_in_force_latest_year"),
];

fn indicator(obligation: Obligation) -> &'static str {
    match obligation {
        Obligation::Defense => "defense_obligation",
        Obligation::Offense => "offense_obligation",
        Obligation::Neutrality => "neutrality_obligation",
        Obligation::NonAggression => "non_aggression_obligation",
        Obligation::Consultation => "consultation_obligation",
    }
}

/// (benefactor, partner, year) → the obligations in force; the benefactors the table covers; its years.
struct Pacts {
    in_force: BTreeMap<(String, String, i32), BTreeSet<Obligation>>,
    benefactors: BTreeSet<String>,
    years: (i32, i32),
}

fn load(table: &Path) -> Result<Option<Pacts>> {
    let flags: Vec<&str> = Obligation::ALL.iter().map(|o| o.label()).collect();
    let mut types = vec![("year", DataType::Int32)];
    types.extend(flags.iter().map(|f| (*f, DataType::Boolean)));
    let frame = crate::indicators::read_table(table, &[], &types)?;
    let year = frame.column("year")?.i32()?;
    let (Some(first), Some(last)) = (year.min(), year.max()) else { return Ok(None) };
    // A partner with two codes in a year (West Germany and Germany in 1990) has two rows: one set.
    let merged = frame
        .lazy()
        .group_by([col("benefactor_iso3"), col("partner_iso3"), col("year")])
        .agg(flags.iter().map(|f| col(*f).any(true)).collect::<Vec<_>>())
        .collect()?;
    let (benefactor, partner, year) =
        (merged.column("benefactor_iso3")?.str()?, merged.column("partner_iso3")?.str()?, merged.column("year")?.i32()?);
    let columns = flags.iter().map(|f| merged.column(f).and_then(|c| c.bool().cloned())).collect::<PolarsResult<Vec<_>>>()?;
    let mut pacts = Pacts { in_force: BTreeMap::new(), benefactors: BTreeSet::new(), years: (first, last) };
    for i in 0..merged.height() {
        let (Some(b), Some(p), Some(y)) = (benefactor.get(i), partner.get(i), year.get(i)) else { continue };
        let promised = Obligation::ALL.iter().zip(&columns).filter(|(_, c)| c.get(i) == Some(true)).map(|(o, _)| *o).collect();
        pacts.in_force.insert((b.to_string(), p.to_string(), y), promised);
        pacts.benefactors.insert(b.to_string());
    }
    Ok(Some(pacts))
}

/// The M3 indicators, or none (and no coverage) when the table has not been imported or its years miss
/// the window.
pub fn compute(datasets: &Path, scope: &Scope) -> Result<Indicators> {
    let mut out = Indicators::default();
    let Some((table, _)) = alliances::find_table(datasets)? else { return Ok(out) };
    let Some(pacts) = load(&table)? else { return Ok(out) };
    let (start, end) = (scope.window.start.max(pacts.years.0), scope.window.end.min(pacts.years.1));
    if start > end {
        return Ok(out);
    }
    let source = format!("{} {}-{}", alliances::SOURCE_LABEL, pacts.years.0, pacts.years.1);
    let none = BTreeSet::new();
    for benefactor in scope.benefactors.iter().filter(|b| pacts.benefactors.contains(&b.iso3)) {
        for recipient in scope.recipients {
            let mut pair = PairValues { out: &mut out, benefactor: &benefactor.iso3, recipient: &recipient.iso3, source: &source };
            let yearly: Vec<(i32, &BTreeSet<Obligation>)> = (start..=end)
                .map(|year| (year, pacts.in_force.get(&(benefactor.iso3.clone(), recipient.iso3.clone(), year)).unwrap_or(&none)))
                .collect();
            let strength = |obligations: &BTreeSet<Obligation>| obligations.iter().map(|o| o.strength()).max().unwrap_or(0);
            for &(year, obligations) in &yearly {
                for obligation in Obligation::ALL {
                    pair.push(Instrument::M3, indicator(obligation), Period::Year(year), f64::from(u8::from(obligations.contains(&obligation))), FLAG);
                }
                pair.push(Instrument::M3, "obligation_strength", Period::Year(year), f64::from(strength(obligations)), STRENGTH);
            }
            let window = Period::Window(start, end);
            pair.push(Instrument::M3, "strongest_obligation", window, f64::from(yearly.iter().map(|(_, o)| strength(o)).max().unwrap_or(0)), STRENGTH);
            pair.push(Instrument::M3, "years_with_pact", window, yearly.iter().filter(|(_, o)| !o.is_empty()).count() as f64, "years");
            let latest = yearly.last().is_some_and(|(_, o)| !o.is_empty());
            pair.push(Instrument::M3, "pact_in_force_latest_year", window, f64::from(u8::from(latest)), FLAG);
            pair.cover(Instrument::M3, start, end);
        }
    }
    Ok(out)
}
