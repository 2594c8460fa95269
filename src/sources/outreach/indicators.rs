//! Yearly indicators from the outreach record: the benefactor's cultural and media outlets in the
//! recipient (I1), its information and communications technology cooperation there (I2), and the
//! officers it trains and its agreements to train them (D2).
//!
//! Each rule counts what was in place in each year, a row for the share of the year it ran (from its
//! start to its end, dates as precise as the source gives them: `domain::presence::share_of_year`); a
//! `planned` row counts for nothing until it is signed or opens.
//!
//! - I1 `outreach_presence`: cultural centres and media bureaus open count 1 each; media agreements in
//!   force (signed or operational) count 0.5 each, as does a centre or bureau whose agreement is signed
//!   but which no source reports open. An outlet of one's own reaches the public every day; an agreement
//!   lends another's outlet, often for a few programmes.
//! - I2 `ict_cooperation`: information-security and ICT agreements, ICT projects, satellite-navigation
//!   stations and satellites (built or launched for the recipient, or contracted) in place, 1 each.
//! - D2 `officers_trained`: the officers a source counts as trained, in the year its count describes (a
//!   cumulative count, such as Laos's 3,000 to 2021, falls wholly in the year it was published: it
//!   overstates that year and leaves the earlier ones empty). A row without a published count rates
//!   nothing.
//! - D2 `training_agreements_outreach`: agreements and contracts providing for training in force, 1 each.
//!
//! Each instrument's yearly values are rated by their mean over the window's years, and
//! `years_with_outreach` counts the years with any.
//!
//! Coverage. The record aims to hold every publicly documented centre, bureau, media agreement and ICT
//! arrangement of the benefactors it holds such rows for, so it covers I1 and I2 for each of them in
//! every tracked recipient: a pair with no row is Unobserved, not Not assessed — and the rubric holds
//! the ratings it sets at Low confidence, since a search of public pages misses what nobody reported
//! (`datasets/README.md`). Training is reported only now and then, and counts almost never, so the
//! record covers D2 only where it holds a row that one of its indicators counts (a published count, a
//! training agreement not merely planned): elsewhere its silence says nothing.

use super::reader::SOURCE;
use crate::domain::outreach::{Outreach, OutreachKind, OutreachStatus};
use crate::domain::Instrument;
use crate::error::Result;
use crate::indicators::{Indicators, PairValues, Period, Scope};
use crate::sources::Inputs;

pub const OUTLETS: &str = "outreach_presence";
pub const ICT: &str = "ict_cooperation";
pub const OFFICERS: &str = "officers_trained";
pub const TRAINING: &str = "training_agreements_outreach";
pub const YEARS: &str = "years_with_outreach";

pub const INDICATORS: &[(Instrument, &str)] = &[
    (Instrument::I1, OUTLETS),
    (Instrument::I1, YEARS),
    (Instrument::I2, ICT),
    (Instrument::I2, YEARS),
    (Instrument::D2, OFFICERS),
    (Instrument::D2, TRAINING),
    (Instrument::D2, YEARS),
];

/// The earliest year the record covers.
pub const FIRST_YEAR: i32 = 2000;

/// What a row in place counts for in its instrument's yearly value: 0.5 for a media agreement, and for
/// a centre or bureau only signed for; 1 for anything else.
pub fn weight(row: &Outreach) -> f64 {
    match (row.kind, row.status) {
        (OutreachKind::MediaAgreement, _) | (OutreachKind::CulturalCentre | OutreachKind::MediaBureau, OutreachStatus::Signed) => 0.5,
        _ => 1.0,
    }
}

/// One indicator of a pair: its name, unit, yearly values and whether the record covers it there.
type Measure = (&'static str, &'static str, Vec<(i32, f64)>, bool);

pub fn compute(inputs: &Inputs, scope: &Scope) -> Result<Indicators> {
    let record = &inputs.curated.outreach;
    let mut out = Indicators::default();
    let (start, end) = (scope.window.start.max(FIRST_YEAR), scope.window.end);
    if start > end {
        return Ok(out);
    }
    for benefactor in scope.benefactors {
        let kept = |instrument: Instrument| record.iter().any(|r| r.benefactor == benefactor.iso3 && r.kind.instrument() == instrument);
        let (i1_kept, i2_kept) = (kept(Instrument::I1), kept(Instrument::I2));
        for recipient in scope.recipients {
            let rows: Vec<&Outreach> = record.iter().filter(|r| r.benefactor == benefactor.iso3 && r.recipient == recipient.iso3).collect();
            let mut pair = PairValues { out: &mut out, benefactor: &benefactor.iso3, recipient: &recipient.iso3, source: SOURCE };
            let series = |measure: &dyn Fn(&Outreach, i32) -> f64| -> Vec<(i32, f64)> {
                (start..=end).map(|year| (year, rows.iter().map(|r| measure(r, year)).sum())).collect()
            };
            let in_place = |instrument: Instrument| {
                move |r: &Outreach, year: i32| if r.kind.instrument() == instrument { r.share_of_year(year) * weight(r) } else { 0.0 }
            };
            let training = |r: &Outreach, year: i32| if r.kind == OutreachKind::TrainingAgreement { r.share_of_year(year) } else { 0.0 };
            let counted = rows.iter().any(|r| r.counted().is_some() && r.status != OutreachStatus::Planned);
            let agreed = rows.iter().any(|r| r.kind == OutreachKind::TrainingAgreement && r.status != OutreachStatus::Planned);
            let by_instrument: [(Instrument, Vec<Measure>); 3] = [
                (Instrument::I1, vec![(OUTLETS, "outlets in place, agreements at half (yearly mean)", series(&in_place(Instrument::I1)), i1_kept)]),
                (Instrument::I2, vec![(ICT, "arrangements in place (yearly mean)", series(&in_place(Instrument::I2)), i2_kept)]),
                (
                    Instrument::D2,
                    vec![
                        (OFFICERS, "officers trained (yearly mean)", series(&|r: &Outreach, year: i32| r.officers_trained(year)), counted),
                        (TRAINING, "agreements in force (yearly mean)", series(&training), agreed),
                    ],
                ),
            ];
            for (instrument, measures) in by_instrument {
                let given: Vec<Measure> = measures.into_iter().filter(|m| m.3).collect();
                if given.is_empty() {
                    continue;
                }
                for (name, unit, values, _) in &given {
                    // Officers trained are a yearly flow; outlets, ICT arrangements and agreements stand in place.
                    if *name == OFFICERS {
                        pair.levels(instrument, values, name, unit);
                    } else {
                        pair.standing(instrument, values, name, unit);
                    }
                }
                let years = (start..=end).filter(|year| given.iter().any(|m| m.2.iter().any(|(y, v)| y == year && *v > 0.0))).count();
                pair.push(instrument, YEARS, Period::Window(start, end), years as f64, "years");
                pair.cover(instrument, start, end);
            }
        }
    }
    out.outreach = record
        .iter()
        .filter(|r| scope.benefactors.iter().any(|b| b.iso3 == r.benefactor) && scope.recipients.iter().any(|c| c.iso3 == r.recipient))
        .cloned()
        .collect();
    Ok(out)
}
