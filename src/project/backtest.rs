//! The backtest: for every as-of year whose three-year outcome is in the data, project every yearly
//! series from what was known then, and compare with what happened, beside two baselines: persistence
//! (always Steady) and naive linear extrapolation (least squares, no significance test).
//!
//! The outcome is judged by the same rule as the projection (`classify`): the mean of the three years
//! after the as-of year against the mean of the last three up to it. Series with no activity at all in
//! the history or the outcome years are left out: there is nothing to forecast, and they would flatter
//! persistence. The trend rule alone is tested: the evidence logs' scheduled events reach back only a
//! few years.

use std::collections::BTreeMap;

use super::{classify, mean, stats, trend, Calibration, HISTORY_YEARS, HORIZON, MIN_YEARS};
use crate::domain::{Instrument, Trend};
use crate::indicators::{Indicators, Period};

#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub benefactor: String,
    pub recipient: String,
    pub instrument: Instrument,
    pub indicator: &'static str,
    pub as_of: i32,
    pub base: f64,
    /// The rule's expected mean of the three years (None where it says Unknown).
    pub projected: Option<f64>,
    pub outcome_mean: f64,
    pub actual: Trend,
    pub method: Trend,
    pub persistence: Trend,
    pub naive: Trend,
    /// Whether the outcome fell inside the projection's 80% interval, calibrated on the cases whose
    /// outcome was known by this case's as-of year (None: too few of them, or no projection).
    pub in_interval: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Skill {
    pub instrument: Option<Instrument>,
    pub cases: usize,
    pub first_as_of: i32,
    pub last_as_of: i32,
    pub method_accuracy: f64,
    pub method_balanced: f64,
    pub method_unknown_share: f64,
    pub persistence_accuracy: f64,
    pub persistence_balanced: f64,
    pub naive_accuracy: f64,
    pub naive_balanced: f64,
    pub interval_coverage: f64,
}

/// Indicators too irregular in time to backtest: the evidence logs record what analysts found, and how
/// hard they looked varies from year to year.
const NOT_BACKTESTED: &[&str] = &["evidence_score"];

/// Every case of every yearly dataset series in `indicators` that `super::SERIES` names.
pub fn cases(indicators: &Indicators) -> Vec<Case> {
    let mut series: BTreeMap<(&str, &str, Instrument, &'static str), BTreeMap<i32, f64>> = BTreeMap::new();
    for v in indicators.values.iter().filter(|v| super::SERIES.contains(&v.indicator) && !NOT_BACKTESTED.contains(&v.indicator)) {
        if let Period::Year(year) = v.period {
            series.entry((&v.benefactor, &v.recipient, v.instrument, v.indicator)).or_default().insert(year, v.value);
        }
    }
    let mut out = Vec::new();
    for ((benefactor, recipient, instrument, indicator), values) in series {
        let (Some(&first), Some(&last)) = (values.keys().next(), values.keys().last()) else { continue };
        for as_of in (first + MIN_YEARS as i32 - 1)..=(last - HORIZON) {
            let known: Vec<(i32, f64)> = values.range(..=as_of).map(|(y, v)| (*y, *v)).collect();
            let future: Vec<f64> = values.range(as_of + 1..=as_of + HORIZON).map(|(_, v)| *v).collect();
            let history = known.iter().filter(|(y, _)| *y > as_of - HISTORY_YEARS);
            if future.len() < HORIZON as usize || (history.clone().all(|(_, v)| *v == 0.0) && future.iter().all(|v| *v == 0.0)) {
                continue;
            }
            let projected = trend(&known, as_of);
            let outcome_mean = mean(&future);
            out.push(Case {
                benefactor: benefactor.to_string(),
                recipient: recipient.to_string(),
                instrument,
                indicator,
                as_of,
                base: projected.base,
                projected: projected.value,
                outcome_mean,
                actual: classify(projected.base, outcome_mean),
                method: projected.direction,
                persistence: Trend::Steady,
                naive: naive_linear(&known, as_of, projected.base),
                in_interval: None,
            });
        }
    }
    judge_intervals(&mut out);
    out
}

/// Each case's interval from the errors of the cases before it: those whose outcome years had all
/// passed by its as-of year, as they would have in a real forecast.
fn judge_intervals(cases: &mut [Case]) {
    let as_of_years: std::collections::BTreeSet<i32> = cases.iter().map(|c| c.as_of).collect();
    for as_of in as_of_years {
        let calibration = Calibration::from_outcomes(
            cases.iter().filter(|c| c.as_of + HORIZON <= as_of).filter_map(|c| Some((c.indicator, c.projected?, c.outcome_mean))),
        );
        for case in cases.iter_mut().filter(|c| c.as_of == as_of) {
            case.in_interval = case
                .projected
                .and_then(|p| calibration.interval(case.indicator, p))
                .map(|(lo, hi)| (lo..=hi).contains(&case.outcome_mean));
        }
    }
}

/// Least squares over the history, extended three years, judged against the base like the method.
fn naive_linear(known: &[(i32, f64)], as_of: i32, base: f64) -> Trend {
    let points: Vec<(f64, f64)> =
        known.iter().filter(|(y, _)| *y > as_of - HISTORY_YEARS).map(|(y, v)| (f64::from(*y), *v)).collect();
    match stats::least_squares(&points) {
        Some(ols) => classify(base, mean(&(1..=HORIZON).map(|h| ols.predict(f64::from(as_of + h))).collect::<Vec<_>>()).max(0.0)),
        None => Trend::Steady,
    }
}

fn accuracy(cases: &[&Case], pick: fn(&Case) -> Trend) -> f64 {
    cases.iter().filter(|c| pick(c) == c.actual).count() as f64 / cases.len().max(1) as f64
}

/// Mean recall over the outcome classes that occur: a forecaster that always says Steady scores 1/3
/// when all three outcomes occur, however common Steady is.
fn balanced_accuracy(cases: &[&Case], pick: fn(&Case) -> Trend) -> f64 {
    let classes = [Trend::Increasing, Trend::Steady, Trend::Decreasing];
    let recalls: Vec<f64> = classes
        .iter()
        .filter_map(|class| {
            let of_class: Vec<&&Case> = cases.iter().filter(|c| c.actual == *class).collect();
            (!of_class.is_empty()).then(|| of_class.iter().filter(|c| pick(c) == *class).count() as f64 / of_class.len() as f64)
        })
        .collect();
    mean(&recalls)
}

/// Skill per instrument, and over all instruments (`instrument` None) last.
pub fn skill(cases: &[Case]) -> Vec<Skill> {
    let mut groups: Vec<Option<Instrument>> = Instrument::ALL.into_iter().filter(|i| cases.iter().any(|c| c.instrument == *i)).map(Some).collect();
    groups.push(None);
    groups
        .into_iter()
        .map(|instrument| {
            let of: Vec<&Case> = cases.iter().filter(|c| instrument.is_none_or(|i| c.instrument == i)).collect();
            let intervals: Vec<bool> = of.iter().filter_map(|c| c.in_interval).collect();
            Skill {
                instrument,
                cases: of.len(),
                first_as_of: of.iter().map(|c| c.as_of).min().unwrap_or(0),
                last_as_of: of.iter().map(|c| c.as_of).max().unwrap_or(0),
                method_accuracy: accuracy(&of, |c| c.method),
                method_balanced: balanced_accuracy(&of, |c| c.method),
                method_unknown_share: of.iter().filter(|c| c.method == Trend::Unknown).count() as f64 / of.len().max(1) as f64,
                persistence_accuracy: accuracy(&of, |c| c.persistence),
                persistence_balanced: balanced_accuracy(&of, |c| c.persistence),
                naive_accuracy: accuracy(&of, |c| c.naive),
                naive_balanced: balanced_accuracy(&of, |c| c.naive),
                interval_coverage: intervals.iter().filter(|&&inside| inside).count() as f64 / intervals.len().max(1) as f64,
            }
        })
        .collect()
}
