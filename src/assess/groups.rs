//! A group of recipients (`--group`) summed up for each benefactor: on how many members it leads each
//! instrument and the overall level, and the group's totals where a quantity adds up across members
//! (TIV delivered, trade, peacekeepers).

use super::{like_for_like, Assessment};
use crate::domain::{Benefactor, CurrentLevel, GroupOn, Instrument};
use crate::indicators::Indicators;

/// A quantity that adds up across members: its instrument, indicator (over the window) and unit.
pub const TOTALS: [(Instrument, &str, &str); 4] = [
    (Instrument::E1, "tiv_delivered", "TIV (millions)"),
    (Instrument::E1, "recipient_arms_imports", "TIV (millions)"),
    (Instrument::E3, "trade_total", "US$ millions"),
    (Instrument::M2, "mean_peacekeepers", "personnel, mean per year"),
];

/// One benefactor on one instrument (None: the overall level) across the group's members.
#[derive(Debug, Clone, PartialEq)]
pub struct Lead {
    pub benefactor: String,
    pub instrument: Option<Instrument>,
    /// Members where the benefactor is rated on this instrument (anything but Not assessed).
    pub assessed: usize,
    /// Members where its level is above every other benefactor's (the overall level above each other's as
    /// the two compare like for like, `like_for_like`).
    pub leads: usize,
    /// Members where it shares the highest level with another benefactor.
    pub ties: usize,
}

/// One quantity summed over the group's members for one benefactor.
#[derive(Debug, Clone, PartialEq)]
pub struct Total {
    pub benefactor: String,
    pub instrument: Instrument,
    pub indicator: &'static str,
    pub unit: &'static str,
    pub value: f64,
    /// Members with a figure (a source covered the pair).
    pub members_with_data: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GroupSummary {
    pub group: GroupOn,
    /// The members the run assessed (tracked recipients that are not benefactors), in ISO-3 order.
    pub assessed_members: Vec<String>,
    /// Per benefactor (in run order), the twelve instruments then the overall level.
    pub leads: Vec<Lead>,
    /// Per benefactor (in run order), each of `TOTALS`.
    pub totals: Vec<Total>,
}

/// Sums up `group` from a run's assessments (`assess::assess` order) and indicators.
pub fn summarise(group: &GroupOn, benefactors: &[Benefactor], assessments: &[Assessment], indicators: &Indicators) -> GroupSummary {
    let assessed_members: Vec<String> = group
        .members
        .iter()
        .filter(|m| assessments.iter().any(|a| a.recipient == m.member))
        .map(|m| m.member.clone())
        .collect();
    let rating = |benefactor: &str, member: &str, instrument: Option<Instrument>| {
        assessments.iter().find(|a| a.benefactor == benefactor && a.recipient == member && a.instrument == instrument).map_or(CurrentLevel::NotAssessed, |a| a.current)
    };
    let rows = |benefactor: &str, member: &str| {
        assessments.chunks(Assessment::PER_PAIR).find(|rows| rows[0].benefactor == benefactor && rows[0].recipient == member).unwrap_or_default()
    };
    // The benefactor's rank against each other benefactor's: on an instrument as rated, on the overall
    // level as the two compare like for like.
    let ranks = |benefactor: &str, other: &str, member: &str, instrument: Option<Instrument>| match instrument {
        Some(_) => (rating(benefactor, member, instrument).rank(), rating(other, member, instrument).rank()),
        None => {
            let compared = like_for_like(rows(benefactor, member), rows(other, member));
            (compared.first.current.rank(), compared.second.current.rank())
        }
    };
    let mut leads = Vec::new();
    for benefactor in benefactors {
        for instrument in Instrument::ALL.into_iter().map(Some).chain([None]) {
            let mut lead = Lead { benefactor: benefactor.iso3.clone(), instrument, assessed: 0, leads: 0, ties: 0 };
            for member in &assessed_members {
                let own = rating(&benefactor.iso3, member, instrument);
                if own == CurrentLevel::NotAssessed {
                    continue;
                }
                lead.assessed += 1;
                if own.rank().is_none() {
                    continue;
                }
                let against: Vec<(u8, Option<u8>)> = benefactors
                    .iter()
                    .filter(|b| b.iso3 != benefactor.iso3)
                    .filter_map(|b| {
                        let (own, other) = ranks(&benefactor.iso3, &b.iso3, member, instrument);
                        Some((own?, other))
                    })
                    .collect();
                // Unobserved on the instruments shared with some other benefactor leads nothing.
                if against.len() < benefactors.len() - 1 || against.iter().any(|&(own, other)| other > Some(own)) {
                    continue;
                }
                if against.iter().any(|&(own, other)| other == Some(own)) {
                    lead.ties += 1;
                } else {
                    lead.leads += 1;
                }
            }
            leads.push(lead);
        }
    }
    let mut totals = Vec::new();
    for benefactor in benefactors {
        for (instrument, indicator, unit) in TOTALS {
            let figures: Vec<f64> =
                assessed_members.iter().filter_map(|m| indicators.window_value(&benefactor.iso3, m, instrument, indicator)).collect();
            totals.push(Total {
                benefactor: benefactor.iso3.clone(),
                instrument,
                indicator,
                unit,
                value: crate::indicators::round6(figures.iter().sum()),
                members_with_data: figures.len(),
            });
        }
    }
    GroupSummary { group: group.clone(), assessed_members, leads, totals }
}
