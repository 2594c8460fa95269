//! E3 (trade and cooperation in strategic sectors): the benefactor's bilateral trade with the recipient,
//! its growth, and its share of the recipient's trade with the world as the recipient reports both, from
//! `datasets/trade.csv`.
//!
//! Without the table E3 stays Not assessed: trade is one source among several, and a run must not
//! fail for want of it.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;

use crate::indicators::{round6 as round, Coverage, IndicatorValue, Indicators, Period, Scope};
use crate::domain::Instrument;
use crate::error::Result;
use super::reader as trade;

const USD: &str = "US$ millions (current)";
const SHARE: &str = "share (0-1)";
const RATE: &str = "annual rate (0.1 = 10%)";
/// The long-run growth the reports quote starts here: after the Soviet Union's end, before China's boom.
pub const LONG_RUN_FROM: i32 = 1995;

pub const INDICATORS: &[(Instrument, &str)] = &[
    (Instrument::E3, "trade_total"),
    (Instrument::E3, "trade_cagr"),
    (Instrument::E3, "trade_cagr_since_1995"),
    (Instrument::E3, "share_of_trade"),
    (Instrument::E3, "partner_world_trade"),
    (Instrument::E3, "years_with_trade"),
    (Instrument::E3, crate::indicators::SEAM),
];

/// One benefactor × partner × year.
#[derive(Debug, Clone, Copy)]
struct Year {
    /// Bilateral trade by the table's precedence (the benefactor's own report first).
    total: f64,
    /// The partner's own report of the same trade and of its trade with the world: the share is one
    /// reporter's figure over the same reporter's total. The benefactor's report over the partner's
    /// total mixes two valuations (FOB against CIF, re-exports through hubs) and can exceed 1.
    partner_reported: Option<(f64, f64)>,
    /// Whether a flow came from UN Comtrade (China after DOTS ends) rather than DOTS.
    comtrade: bool,
    /// Whether a flow is a partner's Comtrade figure left unspliced (too few years of overlap with the
    /// own report to scale it: `trade::reader::MIN_SPLICE_YEARS`).
    unspliced: bool,
}

const DOTS: &str = trade::CITATION;
const COMTRADE: &str = "UN Comtrade (cipf-comtrade extracts, spliced to the own report)";

/// The sources behind a set of years, named once each.
fn sources<'a>(years: impl IntoIterator<Item = &'a Year>) -> String {
    let (mut dots, mut comtrade) = (false, false);
    for year in years {
        if year.comtrade { comtrade = true } else { dots = true }
    }
    [(dots, DOTS), (comtrade, COMTRADE)].iter().filter(|(used, _)| *used).map(|(_, name)| *name).collect::<Vec<_>>().join(crate::indicators::SOURCE_SEPARATOR)
}

type Yearly = BTreeMap<(String, String, i32), Year>;

fn load(datasets: &Path) -> Result<Option<Yearly>> {
    let Some((table, _)) = trade::load_table(datasets)? else { return Ok(None) };
    let frame = crate::indicators::read_table(
        &table,
        &[
            "benefactor_iso3",
            "partner_iso3",
            "year",
            "total",
            "partner_world_trade",
            "partner_reported_total",
            "exports_source",
            "imports_source",
        ],
        &[
            ("year", DataType::Int32),
            ("total", DataType::Float64),
            ("partner_world_trade", DataType::Float64),
            ("partner_reported_total", DataType::Float64),
        ],
    )?;
    let benefactor = frame.column("benefactor_iso3")?.str()?;
    let partner = frame.column("partner_iso3")?.str()?;
    let year = frame.column("year")?.i32()?;
    let total = frame.column("total")?.f64()?;
    let world = frame.column("partner_world_trade")?.f64()?;
    let reported = frame.column("partner_reported_total")?.f64()?;
    let flow_sources = [frame.column("exports_source")?.str()?, frame.column("imports_source")?.str()?];
    let mut yearly = Yearly::new();
    for i in 0..frame.height() {
        let (Some(b), Some(p), Some(y), Some(t)) = (benefactor.get(i), partner.get(i), year.get(i), total.get(i)) else { continue };
        let partner_reported = reported.get(i).zip(world.get(i)).filter(|(_, w)| *w > 0.0);
        let comtrade = flow_sources.iter().any(|s| s.get(i).is_some_and(|s| s.starts_with("comtrade")));
        let unspliced = flow_sources.iter().any(|s| s.get(i) == Some(super::reader::Source::ComtradeMirror.label()));
        yearly.insert((b.to_string(), p.to_string(), y), Year { total: t, partner_reported, comtrade, unspliced });
    }
    Ok(Some(yearly))
}

/// Compound annual growth between the first and last years with trade, or None with fewer than two.
fn cagr(series: &[(i32, f64)]) -> Option<(i32, i32, f64)> {
    let mut positive = series.iter().filter(|(_, v)| *v > 0.0);
    let &(first, start) = positive.next()?;
    let &(last, end) = positive.next_back()?;
    Some((first, last, (end / start).powf(1.0 / f64::from(last - first)) - 1.0))
}

pub fn compute(datasets: &Path, scope: &Scope) -> Result<Indicators> {
    let mut out = Indicators::default();
    let Some(yearly) = load(datasets)? else { return Ok(out) };
    let window = scope.window;
    for benefactor in scope.benefactors {
        // The benefactor's figures within the window: the years they span are what the source looked at.
        let figures: Vec<(i32, &Year)> = yearly.iter().filter(|((b, _, y), _)| *b == benefactor.iso3 && window.contains(*y)).map(|((_, _, y), t)| (*y, t)).collect();
        let (Some(first_year), Some(last_year)) = (figures.iter().map(|f| f.0).min(), figures.iter().map(|f| f.0).max()) else { continue };
        let covered_by = sources(figures.iter().map(|(_, t)| *t));
        // Whether some year's source lists every partner (DOTS): there a partner without a figure traded
        // nothing the source records. UN Comtrade lists only the partners that report to it, so in its
        // years alone a missing partner was not looked at.
        let lists_every_partner = figures.iter().any(|(_, t)| !t.comtrade);
        for recipient in scope.recipients {
            let series: Vec<(i32, Year)> = yearly
                .range((benefactor.iso3.clone(), recipient.iso3.clone(), i32::MIN)..=(benefactor.iso3.clone(), recipient.iso3.clone(), window.end))
                .map(|((_, _, y), &year)| (*y, year))
                .collect();
            let in_window: Vec<&(i32, Year)> = series.iter().filter(|(y, _)| window.contains(*y)).collect();
            let looked_at = !in_window.is_empty() || lists_every_partner;
            let traded: f64 = in_window.iter().map(|(_, t)| t.total).sum();
            // The share comes from the window's years with the partner's own report; where the window
            // has none (DOTS ends in 2020, so a current window of 2021-2025 has none), from the last
            // years before it that have, as many as the window spans: the last share reported, dated.
            let mut shared: Vec<&(i32, Year)> = in_window.iter().copied().filter(|(_, t)| t.partner_reported.is_some()).collect();
            if shared.is_empty() && (traded > 0.0 || !looked_at) {
                let span = usize::try_from(window.end - window.start + 1).unwrap_or(1);
                shared = series.iter().rev().filter(|(y, t)| *y < window.start && t.partner_reported.is_some()).take(span).collect();
                shared.reverse();
            }
            let with_world: Vec<(f64, f64)> = shared.iter().filter_map(|(_, t)| t.partner_reported).collect();
            // Trade with no world figure to set it against cannot be rated, nor a partner the window's
            // source did not look at; no trade at all is Unobserved.
            if (traded > 0.0 || !looked_at) && with_world.is_empty() {
                continue;
            }
            let mut push = |indicator, period, value: f64, unit, source: &str| {
                out.values.push(IndicatorValue {
                    benefactor: benefactor.iso3.clone(),
                    recipient: recipient.iso3.clone(),
                    instrument: Instrument::E3,
                    indicator,
                    period,
                    value: round(value),
                    unit,
                    source: source.to_string(),
                    evidence_ids: Vec::new(),
                })
            };
            // Where the own report gives way to a partner's figures that could not be spliced to it, the
            // years before and after measure different things: a seam, which projections do not read across.
            for pair in series.windows(2) {
                let ((_, before), (year, after)) = (pair[0], pair[1]);
                if after.unspliced && !before.unspliced && window.contains(year) {
                    push(crate::indicators::SEAM, Period::Year(year), 1.0, "unspliced change of source", COMTRADE);
                }
            }
            for &&(year, t) in &in_window {
                push("trade_total", Period::Year(year), t.total, USD, &sources([&t]));
                if let Some((reported, world)) = t.partner_reported {
                    push("share_of_trade", Period::Year(year), reported / world, SHARE, DOTS);
                }
            }
            // A partner the window's source did not look at is measured on the years its share comes from.
            let counted = if looked_at { &in_window } else { &shared };
            let window_sources = if counted.is_empty() { covered_by.clone() } else { sources(counted.iter().map(|(_, t)| t)) };
            let (first_year, last_year) = match (looked_at, counted.first(), counted.last()) {
                (false, Some(first), Some(last)) => (first.0, last.0),
                _ => (first_year, last_year),
            };
            let period = Period::Window(first_year, last_year);
            push("trade_total", period, counted.iter().map(|(_, t)| t.total).sum(), USD, &window_sources);
            push("years_with_trade", period, counted.iter().filter(|(_, t)| t.total > 0.0).count() as f64, "years", &window_sources);
            if let (Some(&&(first, _)), Some(&&(last, _))) = (shared.first(), shared.last()) {
                let world: f64 = with_world.iter().map(|(_, w)| w).sum();
                push("partner_world_trade", Period::Window(first, last), world, USD, DOTS);
                push("share_of_trade", Period::Window(first, last), with_world.iter().map(|(t, _)| t).sum::<f64>() / world, SHARE, DOTS);
            }
            let since = |from: i32| -> Vec<&(i32, Year)> { series.iter().filter(|(y, _)| *y >= from).collect() };
            for (indicator, from) in [("trade_cagr", window.start), ("trade_cagr_since_1995", LONG_RUN_FROM)] {
                let years = since(from);
                let totals: Vec<(i32, f64)> = years.iter().map(|(y, t)| (*y, t.total)).collect();
                if let Some((first, last, rate)) = cagr(&totals) {
                    push(indicator, Period::Window(first, last), rate, RATE, &sources(years.iter().map(|(_, t)| t)));
                }
            }
            out.coverage.push(Coverage {
                benefactor: benefactor.iso3.clone(),
                recipient: recipient.iso3.clone(),
                instrument: Instrument::E3,
                source: if looked_at { covered_by.clone() } else { window_sources },
                first_year,
                last_year,
            });
        }
    }
    Ok(out)
}
