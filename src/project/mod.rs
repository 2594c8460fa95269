//! Three-year projections: a direction (Increasing, Steady, Decreasing, Unknown) and a projected value
//! with an interval for every yearly series, by a documented rule that weighs scheduled events as well
//! as the trend; and the backtest that measures how often that rule was right.
//!
//! The rule, for a series of yearly values up to the as-of year:
//! 1. With fewer than `MIN_YEARS` years, or fewer than `MIN_ACTIVE_YEARS` years with activity, the
//!    direction is Unknown: the data cannot tell. (A series that is zero throughout is Steady: nothing
//!    is happening and nothing is scheduled to.)
//! 2. The base is the mean of the last `BASE_YEARS` years. The trend is the Theil–Sen line over the last
//!    `HISTORY_YEARS` years; it counts when the Mann–Kendall test finds it (p < `SIGNIFICANCE`), and the
//!    expected mean of the next three years lies on it. Without a significant trend the expected mean is
//!    the series' mean over those years: lumpy series such as arms deliveries revert to their level.
//!    The expected mean against the base: more than `BAND` above is Increasing, more than `BAND` below
//!    is Decreasing, otherwise Steady.
//! 3. Scheduled events override the trend: an ending (a mission's withdrawal, an agreement's expiry or
//!    termination, a private military company's departure, a rupture) that takes effect after the
//!    as-of year and within the horizon, or happened in the as-of year itself, makes it Decreasing;
//!    contracted activity taking effect within the horizon makes it Increasing unless an ending applies.
//! 4. The projected value is the expected mean of the three years to the horizon that step 2 judged.
//!    Its 80% interval comes from how far the rule's past projections of the same indicator missed
//!    (split-conformal prediction): the 10th and 90th percentiles of their errors, on a log(1 + x)
//!    scale so that a miss of 50 TIV counts for more in a 60-TIV series than in a 6,000-TIV one, and
//!    so that no bound falls below zero. Only projections whose outcome was known by the as-of year
//!    count, and at least `MIN_CALIBRATION` of them; without them there is no interval.

pub mod backtest;
pub mod stats;

use std::collections::BTreeMap;

use crate::assess::Assessment;
use crate::domain::evidence::Signal;
use crate::domain::{CurrentLevel, Instrument, Trend};
use crate::indicators::{Indicators, Period};
use crate::ingest::evidence::Event;

pub const HORIZON: i32 = 3;
pub const HISTORY_YEARS: i32 = 10;
pub const BASE_YEARS: i32 = 3;
pub const MIN_YEARS: usize = 5;
pub const MIN_ACTIVE_YEARS: usize = 1;
pub const SIGNIFICANCE: f64 = 0.1;
/// A change of less than this fraction of the base is Steady.
pub const BAND: f64 = 0.2;
pub const INTERVAL: f64 = 0.8;
/// Past projections needed before their errors make an interval.
pub const MIN_CALIBRATION: usize = 30;

/// The yearly indicators projections are made on, in order of preference for an instrument: a dataset's
/// volume where one exists, otherwise the evidence logs' weighted events.
pub const SERIES: &[&str] = &["tiv_delivered", "peacekeepers", "trade_total", "evidence_score"];

#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    pub benefactor: String,
    pub recipient: String,
    pub instrument: Instrument,
    pub indicator: &'static str,
    pub base_year: i32,
    pub horizon_year: i32,
    /// What the trend rule found; its direction may be overridden by scheduled events.
    pub trend: TrendProjection,
    pub direction: Trend,
    pub method: &'static str,
    /// Ids of the evidence events that set the direction.
    pub events: Vec<String>,
}

/// Direction of `future` against `base` with the ±`BAND` dead zone. Shared by the projection, the
/// baselines and the outcome of the backtest, so that all are judged on the same scale.
pub fn classify(base: f64, future: f64) -> Trend {
    if base.abs() < 1e-9 && future.abs() < 1e-9 {
        return Trend::Steady;
    }
    let change = (future - base) / base.abs().max(1e-9);
    if change > BAND {
        Trend::Increasing
    } else if change < -BAND {
        Trend::Decreasing
    } else {
        Trend::Steady
    }
}

/// The errors of past projections per indicator, for intervals on new ones.
#[derive(Debug, Clone, Default)]
pub struct Calibration {
    /// Sorted `ln(1 + outcome) − ln(1 + projected)` per indicator.
    errors: BTreeMap<&'static str, Vec<f64>>,
}

impl Calibration {
    /// From past `(indicator, projected, outcome)` triples.
    pub fn from_outcomes(outcomes: impl IntoIterator<Item = (&'static str, f64, f64)>) -> Calibration {
        let mut errors: BTreeMap<&'static str, Vec<f64>> = BTreeMap::new();
        for (indicator, projected, outcome) in outcomes {
            errors.entry(indicator).or_default().push(outcome.max(0.0).ln_1p() - projected.max(0.0).ln_1p());
        }
        for e in errors.values_mut() {
            e.sort_by(f64::total_cmp);
        }
        Calibration { errors }
    }

    /// From the rule's projections of every past year whose outcome is in `indicators`.
    pub fn from_history(indicators: &Indicators) -> Calibration {
        Calibration::from_outcomes(backtest::cases(indicators).iter().filter_map(|c| Some((c.indicator, c.projected?, c.outcome_mean))))
    }

    /// The `INTERVAL` interval around a projected value of `indicator`, if enough past errors are known.
    pub fn interval(&self, indicator: &str, projected: f64) -> Option<(f64, f64)> {
        let errors = self.errors.get(indicator).filter(|e| e.len() >= MIN_CALIBRATION)?;
        let tail = (1.0 - INTERVAL) / 2.0;
        let bound = |p: f64| stats::quantile(errors, p).map(|q| (projected.max(0.0).ln_1p() + q).exp_m1().max(0.0));
        Some((bound(tail)?, bound(1.0 - tail)?))
    }
}

pub(crate) fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

/// The trend part of the rule (steps 1, 2 and 4) on `(year, value)` pairs ending at `as_of`.
pub fn trend(series: &[(i32, f64)], as_of: i32) -> TrendProjection {
    let history: Vec<(i32, f64)> = series.iter().copied().filter(|(y, _)| *y > as_of - HISTORY_YEARS && *y <= as_of).collect();
    let values: Vec<f64> = history.iter().map(|p| p.1).collect();
    let base = mean(&history.iter().filter(|(y, _)| *y > as_of - BASE_YEARS).map(|p| p.1).collect::<Vec<_>>());
    let points: Vec<(f64, f64)> = history.iter().map(|(y, v)| (f64::from(*y), *v)).collect();
    let mut projection = TrendProjection { base, value: None, lower: None, upper: None, slope: None, p_value: None, direction: Trend::Unknown };
    if values.iter().all(|v| *v == 0.0) && history.len() >= MIN_YEARS {
        projection.direction = Trend::Steady;
        projection.value = Some(0.0);
        return projection;
    }
    if history.len() < MIN_YEARS || values.iter().filter(|v| **v != 0.0).count() < MIN_ACTIVE_YEARS {
        return projection;
    }
    let (Some((slope, intercept)), Some(mk)) = (stats::theil_sen(&points), stats::mann_kendall(&values)) else {
        return projection;
    };
    projection.slope = Some(slope);
    projection.p_value = Some(mk.p_value);
    // Without a significant trend, lumpy series return towards their level over the history: a spike
    // of deliveries is followed by fewer, a lull by more.
    let future = if mk.p_value < SIGNIFICANCE {
        mean(&(1..=HORIZON).map(|h| intercept + slope * f64::from(as_of + h)).collect::<Vec<_>>()).max(0.0)
    } else {
        mean(&values)
    };
    projection.direction = classify(base, future);
    projection.value = Some(future);
    projection
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrendProjection {
    pub base: f64,
    /// The expected mean of the years to the horizon, None where the direction is Unknown.
    pub value: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub slope: Option<f64>,
    pub p_value: Option<f64>,
    pub direction: Trend,
}

/// Step 3: the scheduled events that override the trend, and the direction they set.
pub fn scheduled(events: &[&Event], as_of: i32) -> Option<(Trend, Vec<String>)> {
    let within = |e: &&&Event| {
        let effective = e.effective_date.map_or(e.date.year, |d| d.year);
        effective == as_of || (effective > as_of && effective <= as_of + HORIZON)
    };
    let endings: Vec<String> = events.iter().filter(|e| e.event_type.signal == Signal::Ending).filter(within).map(|e| e.id.clone()).collect();
    if !endings.is_empty() {
        return Some((Trend::Decreasing, endings));
    }
    let contracted: Vec<String> = events
        .iter()
        .filter(|e| e.event_type.signal == Signal::Activity && e.effective_date.is_some_and(|d| d.year > as_of && d.year <= as_of + HORIZON))
        .map(|e| e.id.clone())
        .collect();
    (!contracted.is_empty()).then_some((Trend::Increasing, contracted))
}

/// The overall direction of a pair from its drivers' directions: the most common known direction;
/// a tie, Steady; none known, Unknown.
pub fn overall_direction(directions: &[Trend]) -> Trend {
    let count = |t: Trend| directions.iter().filter(|d| **d == t).count();
    let (up, down, steady) = (count(Trend::Increasing), count(Trend::Decreasing), count(Trend::Steady));
    if up + down + steady == 0 {
        Trend::Unknown
    } else if up > down && up >= steady {
        Trend::Increasing
    } else if down > up && down >= steady {
        Trend::Decreasing
    } else {
        Trend::Steady
    }
}

/// Projects every assessed instrument of every pair, sets the assessments' projected directions (the
/// overall one from its drivers) and returns the projections, with intervals from the rule's past
/// errors (`calibration`, from data that stop at `as_of`).
pub fn project_all(indicators: &Indicators, calibration: &Calibration, assessments: &mut [Assessment], as_of: i32) -> Vec<Projection> {
    let mut series: BTreeMap<(&str, &str, Instrument, &str), Vec<(i32, f64)>> = BTreeMap::new();
    for v in &indicators.values {
        if let Period::Year(year) = v.period {
            series.entry((&v.benefactor, &v.recipient, v.instrument, v.indicator)).or_default().push((year, v.value));
        }
    }
    let mut projections = Vec::new();
    for pair in assessments.chunks_mut(Assessment::PER_PAIR) {
        for a in pair.iter_mut() {
            let Some(instrument) = a.instrument else { continue };
            if a.current == CurrentLevel::NotAssessed {
                continue;
            }
            let Some((indicator, values)) = SERIES
                .iter()
                .find_map(|name| series.get(&(a.benefactor.as_str(), a.recipient.as_str(), instrument, *name)).map(|s| (*name, s)))
            else {
                continue;
            };
            let base_year = values.iter().map(|(y, _)| *y).filter(|y| *y <= as_of).max().unwrap_or(as_of);
            let mut trend = trend(values, base_year);
            if let Some((lower, upper)) = trend.value.and_then(|v| calibration.interval(indicator, v)) {
                (trend.lower, trend.upper) = (Some(lower), Some(upper));
            }
            let events: Vec<&Event> = indicators.events_for(&a.benefactor, &a.recipient, instrument).collect();
            let (direction, method, cited) = match scheduled(&events, as_of) {
                Some((direction, ids)) => (direction, "scheduled events", ids),
                None => (trend.direction, "Theil-Sen trend with Mann-Kendall test", Vec::new()),
            };
            a.projected = direction;
            projections.push(Projection {
                benefactor: a.benefactor.clone(),
                recipient: a.recipient.clone(),
                instrument,
                indicator,
                base_year,
                horizon_year: base_year + HORIZON,
                trend,
                direction,
                method,
                events: cited,
            });
        }
        let (instruments, overall) = pair.split_at_mut(Assessment::PER_PAIR - 1);
        let overall = &mut overall[0];
        let directions: Vec<Trend> = overall
            .drivers
            .iter()
            .filter_map(|d| instruments.iter().find(|a| a.instrument == Some(*d)))
            .map(|a| a.projected)
            .collect();
        overall.projected = overall_direction(&directions);
    }
    projections
}
