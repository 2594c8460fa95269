//! Yearly indicators from the agreements record: the weight of the defence agreements binding the two
//! (M3), and how many of them provide for co-production (E2), intelligence sharing (I3) and training
//! (D2).
//!
//! An agreement binds from its signature to its expiry or denunciation (sources seldom report entry
//! into force; `domain::presence::Agreement::share_of_year`). The record aims to hold every publicly
//! reported defence agreement of the benefactors in `datasets/benefactors.csv`, so it covers M3 for each
//! of them in every tracked recipient; co-production, intelligence and training agreements are so often
//! unpublished that it covers E2, I3 and D2 only where it holds one.

use super::reader::SOURCE;
use crate::domain::presence::{Agreement, AgreementKind};
use crate::domain::Instrument;
use crate::error::Result;
use crate::indicators::{Indicators, PairValues, Period, Scope};
use crate::sources::Inputs;

pub const STRENGTH: &str = "agreement_weight";
pub const CO_PRODUCTION: &str = "co_production_agreements";
pub const INTELLIGENCE: &str = "intelligence_agreements";
pub const TRAINING: &str = "training_agreements";
pub const YEARS: &str = "years_with_agreements";

pub const INDICATORS: &[(Instrument, &str)] = &[
    (Instrument::M3, STRENGTH),
    (Instrument::M3, YEARS),
    (Instrument::E2, CO_PRODUCTION),
    (Instrument::E2, YEARS),
    (Instrument::I3, INTELLIGENCE),
    (Instrument::I3, YEARS),
    (Instrument::D2, TRAINING),
    (Instrument::D2, YEARS),
];

/// The earliest year the record covers.
pub const FIRST_YEAR: i32 = 2000;

/// How much an agreement of each kind binds the two forces, for M3. A basing or port-access agreement
/// puts the benefactor's forces on the recipient's soil: 3. A status-of-forces or a general defence
/// cooperation agreement frames forces working together (exercises, deployments, training) and an
/// intelligence-sharing one opens the recipient's secrets: 2. Military-technical, training,
/// co-production and security agreements organise one strand of the relationship: 1. The weights follow
/// the framework's order of commitment (a pact that lets forces stand together above one that lets them
/// trade), not any pair's rating.
pub fn weight(kind: AgreementKind) -> f64 {
    match kind {
        AgreementKind::Basing => 3.0,
        AgreementKind::StatusOfForces | AgreementKind::DefenceCooperation | AgreementKind::IntelligenceSharing => 2.0,
        AgreementKind::MilitaryTechnical | AgreementKind::Training | AgreementKind::CoProduction | AgreementKind::Security => 1.0,
    }
}

pub fn compute(inputs: &Inputs, scope: &Scope) -> Result<Indicators> {
    let record = &inputs.curated.agreements;
    let mut out = Indicators::default();
    // The record covers the benefactors it is kept for, once it exists: without it, nobody looked.
    let carried = if inputs.datasets.join(super::FILE).exists() { crate::ingest::benefactors::carried(inputs.datasets)? } else { Vec::new() };
    let (start, end) = (scope.window.start.max(FIRST_YEAR), scope.window.end);
    if start > end {
        return Ok(out);
    }
    for benefactor in scope.benefactors {
        for recipient in scope.recipients {
            let agreements: Vec<&Agreement> = record.iter().filter(|a| a.benefactor == benefactor.iso3 && a.recipient == recipient.iso3).collect();
            let mut pair = PairValues { out: &mut out, benefactor: &benefactor.iso3, recipient: &recipient.iso3, source: SOURCE };
            let series = |measure: &dyn Fn(&Agreement) -> f64| -> Vec<(i32, f64)> {
                (start..=end).map(|year| (year, agreements.iter().map(|a| a.share_of_year(year) * measure(a)).sum())).collect()
            };
            let of_kind = |kind: AgreementKind| move |a: &Agreement| if a.kind == kind { 1.0 } else { 0.0 };
            for (instrument, name, unit, kind, covered) in [
                (Instrument::M3, STRENGTH, "weighted agreements in force (yearly mean)", None, carried.contains(&benefactor.iso3)),
                (Instrument::E2, CO_PRODUCTION, "agreements in force (yearly mean)", Some(AgreementKind::CoProduction), false),
                (Instrument::I3, INTELLIGENCE, "agreements in force (yearly mean)", Some(AgreementKind::IntelligenceSharing), false),
                (Instrument::D2, TRAINING, "agreements in force (yearly mean)", Some(AgreementKind::Training), false),
            ] {
                let values = match kind {
                    None => series(&|a: &Agreement| weight(a.kind)),
                    Some(kind) => series(&of_kind(kind)),
                };
                if !(covered || kind.is_some_and(|k| agreements.iter().any(|a| a.kind == k))) {
                    continue;
                }
                pair.standing(instrument, &values, name, unit);
                pair.push(instrument, YEARS, Period::Window(start, end), values.iter().filter(|(_, v)| *v > 0.0).count() as f64, "years");
                pair.cover(instrument, start, end);
            }
        }
    }
    out.agreements = record
        .iter()
        .filter(|a| scope.benefactors.iter().any(|b| b.iso3 == a.benefactor) && scope.recipients.iter().any(|r| r.iso3 == a.recipient))
        .cloned()
        .collect();
    Ok(out)
}
