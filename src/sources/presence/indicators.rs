//! Yearly indicators from the presence record: how many of the benefactor's military personnel stood in
//! the recipient (M1), and how many training missions (D2) and intelligence facilities (I3) it ran there.
//!
//! A spell counts for the share of each year it was in place (dates as precise as the source gives them,
//! an imprecise date standing for the middle of its period: `domain::presence::share_of_year`); an
//! agreed spell counts for nothing until it begins. The record aims to hold every publicly documented
//! spell of the benefactors in `datasets/benefactors.csv`, so it covers M1 for each of them in every
//! tracked recipient: a pair with no spell is Unobserved, not Not assessed. Training missions and
//! intelligence facilities are kept quiet far more often than bases and deployments, so the record
//! covers D2 and I3 only where it holds a spell of that kind: their absence says nothing.

use std::collections::BTreeMap;

use super::reader::SOURCE;
use crate::domain::presence::{Presence, PresenceKind};
use crate::domain::Instrument;
use crate::error::Result;
use crate::indicators::{Indicators, PairValues, Period, Scope};
use crate::sources::Inputs;

pub const PERSONNEL: &str = "military_personnel";
pub const TRAINING: &str = "training_missions";
pub const INTELLIGENCE: &str = "intelligence_facilities";
pub const YEARS: &str = "years_with_presence";

pub const INDICATORS: &[(Instrument, &str)] = &[
    (Instrument::M1, PERSONNEL),
    (Instrument::M1, YEARS),
    (Instrument::D2, TRAINING),
    (Instrument::D2, YEARS),
    (Instrument::I3, INTELLIGENCE),
    (Instrument::I3, YEARS),
];

/// The earliest year the record covers: it holds every spell in place since 2000.
pub const FIRST_YEAR: i32 = 2000;

/// The personnel a spell counts for: its published size (`Presence::published_personnel`), or, where
/// none is published, the median of the published sizes of spells of the same kind in the whole record (a documented scale by
/// kind, from the record itself rather than a guess: a base without a figure counts as the typical
/// base). None where no spell of the kind has a figure.
pub fn personnel_by_kind(record: &[Presence]) -> BTreeMap<PresenceKind, f64> {
    let mut published: BTreeMap<PresenceKind, Vec<f64>> = BTreeMap::new();
    for spell in record {
        if let Some(personnel) = spell.published_personnel() {
            published.entry(spell.kind).or_default().push(personnel);
        }
    }
    published
        .into_iter()
        .map(|(kind, mut figures)| {
            figures.sort_by(f64::total_cmp);
            let n = figures.len();
            let median = if n % 2 == 1 { figures[n / 2] } else { (figures[n / 2 - 1] + figures[n / 2]) / 2.0 };
            (kind, median)
        })
        .collect()
}

pub fn compute(inputs: &Inputs, scope: &Scope) -> Result<Indicators> {
    let record = &inputs.curated.presence;
    let mut out = Indicators::default();
    // The record covers the benefactors it is kept for, once it exists: without it, nobody looked.
    let carried = if inputs.datasets.join(super::FILE).exists() { crate::ingest::benefactors::carried(inputs.datasets)? } else { Vec::new() };
    let typical = personnel_by_kind(record);
    let (start, end) = (scope.window.start.max(FIRST_YEAR), scope.window.end);
    if start > end {
        return Ok(out);
    }
    for benefactor in scope.benefactors {
        for recipient in scope.recipients {
            let spells: Vec<&Presence> = record.iter().filter(|s| s.benefactor == benefactor.iso3 && s.recipient == recipient.iso3).collect();
            let mut pair = PairValues { out: &mut out, benefactor: &benefactor.iso3, recipient: &recipient.iso3, source: SOURCE };
            let series = |instrument: Instrument, measure: &dyn Fn(&Presence) -> f64| -> Vec<(i32, f64)> {
                (start..=end)
                    .map(|year| (year, spells.iter().filter(|s| s.kind.instrument() == instrument).map(|s| s.share_of_year(year) * measure(s)).sum()))
                    .collect()
            };
            let personnel = |s: &Presence| s.published_personnel().or_else(|| typical.get(&s.kind).copied()).unwrap_or(0.0);
            let count = |_: &Presence| 1.0;
            for (instrument, name, unit, values, covered) in [
                (Instrument::M1, PERSONNEL, "personnel (yearly mean)", series(Instrument::M1, &personnel), carried.contains(&benefactor.iso3)),
                (Instrument::D2, TRAINING, "missions in place (yearly mean)", series(Instrument::D2, &count), false),
                (Instrument::I3, INTELLIGENCE, "facilities in place (yearly mean)", series(Instrument::I3, &count), false),
            ] {
                let has_spell = spells.iter().any(|s| s.kind.instrument() == instrument);
                if !(covered || has_spell) {
                    continue;
                }
                pair.standing(instrument, &values, name, unit);
                pair.push(instrument, YEARS, Period::Window(start, end), values.iter().filter(|(_, v)| *v > 0.0).count() as f64, "years");
                pair.cover(instrument, start, end);
            }
        }
    }
    out.presence = record
        .iter()
        .filter(|s| scope.benefactors.iter().any(|b| b.iso3 == s.benefactor) && scope.recipients.iter().any(|r| r.iso3 == s.recipient))
        .cloned()
        .collect();
    Ok(out)
}
