//! Three-year projections: a direction (Increasing, Steady, Decreasing, Unknown) and a projected value
//! with an interval for every yearly series, by the forecaster that has done best on the record, with
//! scheduled events weighed on top; and the rolling-origin evaluation that chooses it (`backtest`).
//!
//! 1. Nothing to project is Unknown: an instrument with no activity in the window (Unobserved), one
//!    whose only yearly series has a single year of activity (a snapshot), a series with fewer than
//!    `MIN_YEARS` years, or one with no activity in its last `HISTORY_YEARS` years.
//! 2. Each instrument is projected on the series its rating rests on, else on the pair's first series
//!    of the instrument in `SERIES` with more than one year of activity. The datasets' series, the
//!    curated records' yearly measures and the event data's rate (`SERIES` less
//!    `backtest::TREND_RULE_ONLY`) are forecast by the candidate that the rolling-origin evaluation
//!    finds best on every outcome known by the as-of year (lowest ranked probability score): the pooled
//!    model (`model`), learned from every pair's series since `HISTORY_START`; the trend rule below; or
//!    reversion to the long-run mean. The evidence logs' series and the event data's share follow the
//!    trend rule.
//! 3. The trend rule: the base is the mean of the last `BASE_YEARS` years. The trend is the Theil–Sen
//!    line over the last `HISTORY_YEARS` years; it counts when the Mann–Kendall test finds it
//!    (p < `SIGNIFICANCE`), and the expected mean of the next three years lies on it. Without a
//!    significant trend the expected mean is the series' mean over those years. The expected mean
//!    against the base: more than `BAND` above is Increasing, more than `BAND` below Decreasing,
//!    otherwise Steady.
//! 4. Scheduled events override the forecast (`scheduled`): an ending (a mission's withdrawal, an
//!    agreement's expiry or termination, a private military company's departure, a rupture, a spell of
//!    presence ending with nothing taking over) that takes effect after the as-of year and within the
//!    horizon, or happened in the as-of year itself, makes it Decreasing; contracted activity, an agreed
//!    deployment or a spell or agreement beginning within the horizon makes it Increasing unless an
//!    ending applies. A spell that another takes over within `REPLACEMENT_YEARS` ends nothing.
//!    (The logs and records reach back too few years for the model to learn their weight.)
//! 5. The projected value is the expected mean of the three years to the horizon. Its 80% interval
//!    comes from how far the chosen forecaster's past projections of the same indicator missed
//!    (split-conformal prediction): the 10th and 90th percentiles of their errors, on a log(1 + x)
//!    scale so that a miss of 50 TIV counts for more in a 60-TIV series than in a 6,000-TIV one, and
//!    so that no bound falls below zero. Only projections whose outcome was known by the as-of year
//!    count, each made by a forecaster that learned only from outcomes known at its own as-of year, and
//!    at least `MIN_CALIBRATION` of them; without them there is no interval.

pub mod backtest;
pub mod model;
pub mod stats;

use std::collections::BTreeMap;

use crate::assess::Assessment;
use crate::domain::evidence::Signal;
use crate::domain::{CurrentLevel, Instrument, Trend};
use crate::indicators::{Indicators, Period};
use crate::domain::evidence::Event;
use crate::domain::presence::{date_position, Agreement, AgreementStatus, Presence, PresenceStatus};

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

/// The first year of the history the forecasters learn from: the Russian Federation's first.
pub const HISTORY_START: i32 = 1992;

/// The yearly indicators projections are made on. An instrument is projected on the series its rating
/// rests on (`Assessment::score_indicator`) where that is one of these, otherwise on the first of these
/// the pair has: a dataset's volume, then the curated records' yearly measures (presence, agreements,
/// outreach: complete records from 2000, so learned and backtested like the datasets), then the
/// evidence logs' weighted events, then the machine-coded event data.
///
/// The event data give two series. The rate (`event_rate`) is learned and backtested like the
/// datasets' series wherever its covered years allow a case (`MIN_YEARS` of history and the `HORIZON`
/// years after it all covered) and projected only then: the shipped event files (2014, 2018-2019,
/// 2021-2023, each year a different benchmark subset) allow none, as rates compare across pairs but not
/// across years. The share (`event_share`: the pair's weighted events per thousand records naming the
/// recipient) survives a change of sample, since a smaller sample shrinks numerator and denominator
/// alike, and is projected by the trend rule like the evidence logs (`backtest::TREND_RULE_ONLY`).
pub const SERIES: &[&str] = &[
    "tiv_delivered",
    "peacekeepers",
    "trade_total",
    "senior_military_engagements",
    crate::sources::presence::indicators::PERSONNEL,
    "joint_exercises",
    crate::sources::agreements::indicators::STRENGTH,
    crate::sources::agreements::indicators::CO_PRODUCTION,
    crate::sources::agreements::indicators::INTELLIGENCE,
    crate::sources::agreements::indicators::TRAINING,
    crate::sources::presence::indicators::TRAINING,
    crate::sources::presence::indicators::INTELLIGENCE,
    crate::sources::outreach::indicators::OUTLETS,
    crate::sources::outreach::indicators::ICT,
    crate::sources::outreach::indicators::OFFICERS,
    crate::sources::outreach::indicators::TRAINING,
    "evidence_score",
    crate::sources::events::indicators::RATE,
    crate::sources::events::indicators::SHARE,
];

#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    pub benefactor: String,
    pub recipient: String,
    pub instrument: Instrument,
    pub indicator: &'static str,
    pub base_year: i32,
    pub horizon_year: i32,
    /// What the forecaster found (value and interval; the slope and p-value are the trend rule's, for
    /// reference); its direction may be overridden by scheduled events or by there being nothing to
    /// project.
    pub trend: TrendProjection,
    pub direction: Trend,
    /// The forecaster (`backtest::Candidate::label`), `scheduled events`, or why nothing is projected.
    pub method: &'static str,
    /// The pooled model's probabilities of Decreasing, Steady and Increasing, where it forecast.
    pub probabilities: Option<[f64; 3]>,
    /// The features that moved the pooled model's direction most, with their pull (log-odds).
    pub drivers: Vec<(String, f64)>,
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
    /// Sorted `(ln(1 + outcome) − ln(1 + projected)) / spread` per indicator.
    errors: BTreeMap<&'static str, Vec<f64>>,
}

/// Added to a series' volatility to make the spread its errors are measured in: a steady series
/// (a standing deployment) misses by less than a lumpy one (arms deliveries), and intervals should say so.
pub const SPREAD_FLOOR: f64 = 0.75;

/// The spread of a series' errors: `SPREAD_FLOOR` plus the standard deviation of its yearly changes on
/// the log(1 + x) scale over the history.
pub fn spread(volatility: f64) -> f64 {
    SPREAD_FLOOR + volatility.max(0.0)
}

impl Calibration {
    /// From past `(indicator, projected, outcome, spread)` values; `spread` (positive) is the scale of
    /// the series' errors (`spread`), 1 to measure them on the log(1 + x) scale alone.
    pub fn from_outcomes(outcomes: impl IntoIterator<Item = (&'static str, f64, f64, f64)>) -> Calibration {
        let mut errors: BTreeMap<&'static str, Vec<f64>> = BTreeMap::new();
        for (indicator, projected, outcome, spread) in outcomes {
            errors.entry(indicator).or_default().push((outcome.max(0.0).ln_1p() - projected.max(0.0).ln_1p()) / spread);
        }
        for e in errors.values_mut() {
            e.sort_by(f64::total_cmp);
        }
        Calibration { errors }
    }

    /// The predictive distribution of a projected value of `indicator` for a series of this `spread`:
    /// the value moved by each past error, sorted; None with fewer than `MIN_CALIBRATION` errors.
    pub fn outcomes(&self, indicator: &str, projected: f64, spread: f64) -> Option<Vec<f64>> {
        let errors = self.errors.get(indicator).filter(|e| e.len() >= MIN_CALIBRATION)?;
        // The errors are sorted and the map is monotone, so the outcomes are too.
        Some(errors.iter().map(|e| (projected.max(0.0).ln_1p() + e * spread).exp_m1().max(0.0)).collect())
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

/// A dated change in the presence or agreements record of one pair and instrument: a spell or an
/// agreement that begins (`starts`) or ends at `at` (a year position, `date_position`).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub id: String,
    pub benefactor: String,
    pub recipient: String,
    pub instrument: Instrument,
    pub at: f64,
    pub starts: bool,
    /// Agreed and not yet begun: it counts as coming whenever within the horizon of its agreement.
    pub agreed: bool,
}

/// A spell or agreement that takes over from one that ended within this many years (Africa Corps
/// arriving in Mali as the Wagner Group left) continues it: the ending is no decline.
pub const REPLACEMENT_YEARS: f64 = 0.5;

/// The changes of the presence and agreements records, one per spell or agreement that begins and one
/// per end not taken over by another of the same pair and instrument (`REPLACEMENT_YEARS`).
pub fn record_changes(presence: &[Presence], agreements: &[Agreement]) -> Vec<Change> {
    let mut changes = Vec::new();
    // (id, benefactor, recipient, instrument, start, end, agreed) of every spell and agreement.
    let spans: Vec<(&str, &str, &str, Instrument, f64, Option<f64>, bool)> = presence
        .iter()
        .map(|s| (s.id.as_str(), s.benefactor.as_str(), s.recipient.as_str(), s.kind.instrument(), date_position(s.start), s.end.map(date_position), s.status == PresenceStatus::Agreed))
        // An agreement in force past its expiry date is often renewed (China's ten-year Djibouti base
        // agreement of 2015): only one the record marks expired or denounced has ended.
        .chain(agreements.iter().flat_map(|a| {
            let end = a.end.filter(|_| matches!(a.status, AgreementStatus::Expired | AgreementStatus::Denounced)).map(date_position);
            a.kind.instruments().iter().map(move |i| (a.id.as_str(), a.benefactor.as_str(), a.recipient.as_str(), *i, date_position(a.signed), end, false))
        }))
        .collect();
    for &(id, b, r, instrument, start, end, agreed) in &spans {
        let change = |at: f64, starts: bool| Change { id: id.to_string(), benefactor: b.to_string(), recipient: r.to_string(), instrument, at, starts, agreed };
        changes.push(change(start, true));
        let Some(end) = end else { continue };
        let taken_over = spans.iter().any(|&(other, ob, or, oi, os, oe, oagreed)| {
            other != id && (ob, or, oi) == (b, r, instrument) && !oagreed && os <= end + REPLACEMENT_YEARS && os > start && oe.is_none_or(|oe| oe > end)
        });
        if !taken_over {
            changes.push(change(end, false));
        }
    }
    changes
}

/// Step 4: the scheduled events that override the forecast, and the direction they set. Endings: an
/// evidence event ending something, or a spell or agreement ending (`record_changes`), that takes effect
/// in the as-of year or within the horizon: Decreasing. Otherwise beginnings: contracted activity in
/// the evidence logs, or a spell or agreement beginning, that takes effect within the horizon, or an
/// agreed deployment not yet begun that was agreed within the `HORIZON` years to the as-of year:
/// Increasing. The records hold dates, not when they were announced: a run as of a past year reads
/// their later dates as scheduled then (the backtest never weighs them).
pub fn scheduled(events: &[&Event], changes: &[&Change], as_of: i32) -> Option<(Trend, Vec<String>)> {
    let (as_of_f, horizon) = (f64::from(as_of), f64::from(as_of + HORIZON + 1));
    let effective = |e: &Event| e.effective_date.unwrap_or(e.date);
    // An evidence event's ending is taken over, like a record's, by activity of the instrument within
    // `REPLACEMENT_YEARS` after it (Wagner's exit from Mali on 6 June 2025, the Africa Corps' takeover
    // of its units two days later), or by a spell or agreement beginning then.
    let taken_over = |ending: &Event| {
        let end = date_position(effective(ending));
        // Surely after it: activity dated to the year of an ending in that year may have preceded it.
        events.iter().any(|e| e.event_type.signal == Signal::Activity && e.date.earliest() > ending.date.latest() && date_position(e.date) <= end + REPLACEMENT_YEARS)
            || changes.iter().any(|c| c.starts && !c.agreed && (end - REPLACEMENT_YEARS..=end + REPLACEMENT_YEARS).contains(&c.at))
    };
    let endings: Vec<String> = events
        .iter()
        .filter(|e| e.event_type.signal == Signal::Ending && !taken_over(e))
        .filter(|e| {
            let year = effective(e).year;
            year >= as_of && year <= as_of + HORIZON
        })
        .map(|e| e.id.clone())
        .chain(changes.iter().filter(|c| !c.starts && !c.agreed && c.at >= as_of_f && c.at < horizon).map(|c| c.id.clone()))
        .collect();
    if !endings.is_empty() {
        return Some((Trend::Decreasing, endings));
    }
    let coming = |c: &&&Change| c.starts && c.at < horizon && (c.at >= as_of_f + 1.0 || (c.agreed && c.at >= as_of_f + 1.0 - f64::from(HORIZON)));
    let contracted: Vec<String> = events
        .iter()
        .filter(|e| e.event_type.signal == Signal::Activity && e.effective_date.is_some_and(|d| d.year > as_of && d.year <= as_of + HORIZON))
        .map(|e| e.id.clone())
        .chain(changes.iter().filter(coming).map(|c| c.id.clone()))
        .collect();
    (!contracted.is_empty()).then_some((Trend::Increasing, contracted))
}

/// The overall direction of a pair from its drivers' directions: the most common known direction;
/// a tie, Steady; none known, Unknown.
pub fn overall_direction(directions: &[Trend]) -> Trend {
    let count = |t: Trend| directions.iter().filter(|d| **d == t).count();
    let (up, down, steady) = (count(Trend::Increasing), count(Trend::Decreasing), count(Trend::Steady));
    if up + down + steady == 0 {
        if count(Trend::Uncertain) > 0 {
            Trend::Uncertain
        } else {
            Trend::Unknown
        }
    } else if up > down && up >= steady {
        Trend::Increasing
    } else if down > up && down >= steady {
        Trend::Decreasing
    } else {
        Trend::Steady
    }
}

/// The forecaster for one as-of year: the dataset series since `HISTORY_START` of every tracked
/// recipient, the candidate chosen on their known outcomes, its calibration, and the pooled model.
#[derive(Debug, Clone)]
pub struct Forecaster {
    /// The learned series; one of `backtest::SCORED_ONLY` only where the backtest has scored its
    /// indicator (known outcomes by the as-of year), else it is not projected.
    series: BTreeMap<model::Subject, BTreeMap<i32, f64>>,
    pub selection: backtest::Selection,
    pub model: Option<model::Model>,
}

impl Forecaster {
    /// Learns from `history`: indicators whose yearly values run from `HISTORY_START` to `as_of`.
    pub fn learn(history: &Indicators, as_of: i32) -> Forecaster {
        let (cases, selection, model) = backtest::evaluate(history, as_of);
        let scored: std::collections::BTreeSet<&str> = cases.iter().filter(|c| c.as_of + HORIZON <= as_of).map(|c| c.subject.indicator).collect();
        let mut series = backtest::series(history, SERIES);
        series.retain(|subject, _| !backtest::SCORED_ONLY.contains(&subject.indicator) || scored.contains(subject.indicator));
        Forecaster { series, selection, model }
    }


    fn series(&self, benefactor: &str, recipient: &str, instrument: Instrument, indicator: &'static str) -> Option<(&model::Subject, &BTreeMap<i32, f64>)> {
        let subject = model::Subject {
            benefactor: benefactor.to_string(),
            recipient: recipient.to_string(),
            region: crate::domain::CountryTable::builtin().country(recipient).map_or("", |c| c.region.label()),
            instrument,
            indicator,
        };
        self.series.get_key_value(&subject)
    }
}

/// Why nothing can be projected, as the `method` of an Unknown projection.
const NOTHING_OBSERVED: &str = "nothing observed";
const SINGLE_SNAPSHOT: &str = "single observation";
const NO_RECENT_ACTIVITY: &str = "no activity in the history";
/// The series ends so long before the as-of year that its horizon has passed: a projection would
/// describe the past.
const HORIZON_PASSED: &str = "series ends before the as-of year's horizon";
/// Fewer than `MIN_YEARS` comparable years: a short record, or one that changed source unspliced.
const TOO_FEW_YEARS: &str = "fewer than five comparable years";

/// Projects every assessed instrument of every pair, sets the assessments' projected directions (the
/// overall one from its drivers) and returns the projections: the series the backtest scored by
/// `forecaster`, the evidence logs' series of `indicators` by the trend rule, scheduled events from
/// `indicators`.
pub fn project_all(indicators: &Indicators, forecaster: &Forecaster, assessments: &mut [Assessment], as_of: i32) -> Vec<Projection> {
    let mut logged: BTreeMap<PairSeries, Vec<(i32, f64)>> = BTreeMap::new();
    for v in &indicators.values {
        if let (Period::Year(year), true) = (v.period, backtest::TREND_RULE_ONLY.contains(&v.indicator)) {
            logged.entry((&v.benefactor, &v.recipient, v.instrument, v.indicator)).or_default().push((year, v.value));
        }
    }
    let mut changes: BTreeMap<(String, String, Instrument), Vec<Change>> = BTreeMap::new();
    for change in record_changes(&indicators.presence, &indicators.agreements) {
        changes.entry((change.benefactor.clone(), change.recipient.clone(), change.instrument)).or_default().push(change);
    }
    let mut projections = Vec::new();
    for pair in assessments.chunks_mut(Assessment::PER_PAIR) {
        for a in pair.iter_mut() {
            let Some(instrument) = a.instrument else { continue };
            if a.current == CurrentLevel::NotAssessed {
                continue;
            }
            let (b, r) = (a.benefactor.as_str(), a.recipient.as_str());
            // The rating's own series first; past a snapshot, the pair's next series of the instrument.
            let own = SERIES.iter().find(|name| **name == a.score_indicator);
            let found: Vec<(&'static str, Source, Vec<(i32, f64)>)> = own
                .into_iter()
                .chain(SERIES)
                .filter_map(|name| {
                    let source = match forecaster.series(b, r, instrument, name) {
                        Some((subject, values)) => Source::Learned(subject, values),
                        None => Source::Logged(logged.get(&(b, r, instrument, *name))?),
                    };
                    let points = match &source {
                        Source::Learned(_, values) => values.iter().map(|(y, v)| (*y, *v)).collect(),
                        Source::Logged(values) => values.to_vec(),
                    };
                    Some((*name, source, points))
                })
                .collect();
            let active = |points: &[(i32, f64)]| points.iter().filter(|(y, v)| *y <= as_of && *v != 0.0).count();
            let Some(chosen) = found.iter().position(|(_, _, points)| active(points) > 1).or((!found.is_empty()).then_some(0)) else { continue };
            let (indicator, source, points) = &found[chosen];
            let indicator = *indicator;
            let years: Vec<i32> = points.iter().map(|p| p.0).collect();
            let base_year = years.into_iter().filter(|y| *y <= as_of).max().unwrap_or(as_of);
            let (mut projection, mut method, drivers, probabilities) = match source {
                Source::Learned(subject, values) => learned(forecaster, subject, values, base_year),
                Source::Logged(values) => (trend(values, base_year), "Theil-Sen trend with Mann-Kendall test", Vec::new(), None),
            };
            // A series with one year of activity is a snapshot: there is no movement to project.
            let active_years = active(points);
            let nothing = match a.current {
                CurrentLevel::Unobserved => Some(NOTHING_OBSERVED),
                _ if active_years <= 1 => Some(SINGLE_SNAPSHOT),
                _ if base_year + HORIZON < as_of => Some(HORIZON_PASSED),
                _ => None,
            };
            let events: Vec<&Event> = indicators.events_for(b, r, instrument).collect();
            let changes: Vec<&Change> = changes.get(&(b.to_string(), r.to_string(), instrument)).into_iter().flatten().collect();
            let mut cited = Vec::new();
            if let Some(why) = nothing {
                (projection.direction, projection.value, projection.lower, projection.upper) = (Trend::Unknown, None, None, None);
                method = why;
            } else if let Some((direction, ids)) = scheduled(&events, &changes, as_of) {
                (projection.direction, method, cited) = (direction, "scheduled events", ids);
                // The series' own projection did not foresee the event: its value would contradict the
                // direction the event sets.
                if projection.value.is_some_and(|v| classify(projection.base, v) != direction) {
                    (projection.value, projection.lower, projection.upper) = (None, None, None);
                }
            }
            a.projected = projection.direction;
            projections.push(Projection {
                benefactor: a.benefactor.clone(),
                recipient: a.recipient.clone(),
                instrument,
                indicator,
                base_year,
                horizon_year: base_year + HORIZON,
                direction: projection.direction,
                trend: projection,
                method,
                probabilities: probabilities.filter(|_| nothing.is_none()),
                drivers: if nothing.is_none() { drivers } else { Vec::new() },
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

/// Benefactor, recipient, instrument and indicator of a yearly series.
type PairSeries<'a> = (&'a str, &'a str, Instrument, &'a str);

enum Source<'a> {
    Learned(&'a model::Subject, &'a BTreeMap<i32, f64>),
    Logged(&'a Vec<(i32, f64)>),
}

type Learned = (TrendProjection, &'static str, Vec<(String, f64)>, Option<[f64; 3]>);

/// A dataset series' projection by the chosen candidate, with the rule's slope and test for reference.
fn learned(forecaster: &Forecaster, subject: &model::Subject, values: &BTreeMap<i32, f64>, base_year: i32) -> Learned {
    let known: Vec<(i32, f64)> = values.range(..=base_year).map(|(y, v)| (*y, *v)).collect();
    let mut projection = trend(&known, base_year);
    let Some(situation) = backtest::situation_with_activity(values, base_year) else {
        (projection.direction, projection.value) = (Trend::Unknown, None);
        let why = if values.range(..=base_year).count() < MIN_YEARS { TOO_FEW_YEARS } else { NO_RECENT_ACTIVITY };
        return (projection, why, Vec::new(), None);
    };
    let chosen = forecaster.selection.chosen;
    let spread = spread(situation.numeric[model::VOLATILITY]);
    let calibration = &forecaster.selection.calibration;
    let said = backtest::say(chosen, forecaster.model.as_ref(), subject, values, base_year, &situation);
    let stated = (chosen == backtest::Candidate::Pooled).then_some(said.probabilities);
    let (said, interval) = said.coherent(stated, calibration, subject.indicator, spread, situation.base);
    (projection.lower, projection.upper) = (interval.map(|i| i.0), interval.map(|i| i.1));
    projection.base = situation.base;
    projection.direction = said.direction;
    projection.value = said.value;
    let probabilities = (said.direction != Trend::Unknown).then_some(said.probabilities);
    (projection, chosen.label(), said.drivers, probabilities)
}
