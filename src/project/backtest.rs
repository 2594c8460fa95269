//! Rolling-origin evaluation: for every as-of year (origin) whose three-year outcome is in the data,
//! each candidate forecaster learns only from the outcomes known by that year (those of origins at
//! least `HORIZON` years earlier) and forecasts every series from what was known then; the forecasts
//! are compared with what happened, beside three baselines: persistence (always Steady), naive linear
//! extrapolation (least squares, no significance test) and climatology (each direction's share among
//! the known outcomes of the same indicator).
//!
//! The candidates (`Candidate`) are the trend rule of `super::trend`, reversion to the series' long-run
//! mean, and the pooled model (`super::model`). At each origin the method is the candidate with the
//! lowest mean ranked probability score over the outcomes known by then (the rule before any is
//! known), so that the choice itself is made out of sample. Its 80% interval comes from its own past
//! errors on the same indicator known by then (split-conformal, on a log(1 + x) scale).
//!
//! The outcome is judged by the same rule as the projection (`classify`): the mean of the three years
//! after the as-of year against the mean of the last three up to it. Series with no activity in the
//! history are left out: there is nothing to project, and the method says Unknown there (as it does
//! where the current level is Unobserved). Scheduled events are not tested: the evidence logs reach
//! back only a few years.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::model::{self, certain, ranked_probability_score, Example, Model, Situation, Subject, CLASSES};
use super::{classify, mean, stats, trend, Calibration, HISTORY_YEARS, HORIZON, MIN_YEARS};
use crate::domain::{CountryTable, Instrument, Trend};
use crate::indicators::{Indicators, Period};

/// The forecasters the method chooses among.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Candidate {
    /// The Theil–Sen trend with the Mann–Kendall test, else the ten-year level (`super::trend`).
    Rule,
    /// The series returns to its mean over the history.
    Reversion,
    /// The pooled model (`super::model`).
    Pooled,
}

impl Candidate {
    pub const ALL: [Candidate; 3] = [Candidate::Rule, Candidate::Reversion, Candidate::Pooled];

    pub fn label(self) -> &'static str {
        match self {
            Candidate::Rule => "trend rule",
            Candidate::Reversion => "reversion to the long-run mean",
            Candidate::Pooled => "pooled model",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Candidate::Rule => "rule",
            Candidate::Reversion => "reversion",
            Candidate::Pooled => "pooled",
        }
    }
}

/// The pooled model needs this many known outcomes before it forecasts.
pub const MIN_TRAINING: usize = 200;

/// Indicators projected by the trend rule alone, never learned from or backtested: the evidence logs
/// record what analysts found, and how hard they looked varies from year to year; the event data's share
/// (`event_share`) has, in the shipped files, six scattered years, too few for any rolling-origin case
/// (`MIN_YEARS` of history and the `HORIZON` years after it).
pub const TREND_RULE_ONLY: &[&str] = &["evidence_score", crate::sources::events::indicators::SHARE];

/// Indicators projected only where the backtest has scored them: the event rate, whose shipped years are
/// each a different benchmark subset (rates compare across pairs, not across years), so that only a
/// record long and even enough to make cases (years of GDELT) earns it a projection.
pub const SCORED_ONLY: &[&str] = &[crate::sources::events::indicators::RATE];

/// One candidate's forecast of one case.
#[derive(Debug, Clone, PartialEq)]
pub struct Said {
    pub direction: Trend,
    pub probabilities: [f64; 3],
    /// The expected mean of the three years (None where the direction is Unknown).
    pub value: Option<f64>,
    pub drivers: Vec<(String, f64)>,
}

impl Said {
    /// The forecast made coherent: one predictive distribution gives the direction, the value and the
    /// interval. Its shape within each direction is the candidate's value moved by the calibration's
    /// past errors (split-conformal); its mass per direction is `stated` (the pooled model's
    /// classifier) where the candidate states probabilities, else that shape's own mass below, within
    /// and above the ±`BAND` band around `base`. The direction is the one holding at least `DECISIVE`
    /// of the mass, else Uncertain; the value is the median, and the interval the `INTERVAL` quantiles.
    /// A direction with half the mass holds the median, so the arrow never contradicts the number.
    /// Where too few past errors are known, the value, its own direction and no interval.
    pub fn coherent(self, stated: Option<[f64; 3]>, calibration: &Calibration, indicator: &str, spread: f64, base: f64) -> (Said, Option<(f64, f64)>) {
        let Some(said) = self.value else { return (self, None) };
        let Some(outcomes) = calibration.outcomes(indicator, said, spread) else {
            let direction = classify(base, said);
            return (Said { direction, probabilities: certain(direction), ..self }, None);
        };
        let mut by_direction: [Vec<f64>; 3] = Default::default();
        for outcome in outcomes {
            let class = model::class_index(classify(base, outcome)).expect("a value has a direction");
            by_direction[class].push(outcome);
        }
        let total = by_direction.iter().map(Vec::len).sum::<usize>() as f64;
        let probabilities = stated.unwrap_or_else(|| std::array::from_fn(|c| by_direction[c].len() as f64 / total));
        // A direction the past errors never reach, yet stated, sits at its edge of the band.
        let edges = [base * (1.0 - super::BAND), base, base * (1.0 + super::BAND)];
        let quantile = |p: f64| {
            let mut below = 0.0;
            for c in 0..3 {
                let mass = probabilities[c];
                if mass > 0.0 && (p <= below + mass || c == 2) {
                    let within = ((p - below) / mass).clamp(0.0, 1.0);
                    return stats::quantile(&by_direction[c], within).unwrap_or(edges[c]);
                }
                below += mass;
            }
            edges[1]
        };
        let tail = (1.0 - super::INTERVAL) / 2.0;
        let interval = Some((quantile(tail), quantile(1.0 - tail)));
        (Said { direction: decisive(&probabilities), probabilities, value: Some(quantile(0.5)), ..self }, interval)
    }
}

/// The share of a projection's probability a direction needs to be said (with an arrow).
pub const DECISIVE: f64 = 0.5;

/// The direction holding at least `DECISIVE` of the probabilities, else Uncertain.
pub fn decisive(probabilities: &[f64; 3]) -> Trend {
    (0..3).find(|&i| probabilities[i] >= DECISIVE).map_or(Trend::Uncertain, |i| CLASSES[i])
}

#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub subject: Subject,
    pub as_of: i32,
    pub situation: Situation,
    pub outcome_mean: f64,
    pub actual: Trend,
    /// Each candidate's forecast, in `Candidate::ALL` order.
    pub candidates: Vec<Said>,
    /// The candidate chosen at this origin, and what it said.
    pub chosen: Candidate,
    pub method: Said,
    /// The method's 80% interval, from its errors known by this case's as-of year (None: fewer than
    /// `MIN_CALIBRATION` of them on this indicator, or no value).
    pub interval: Option<(f64, f64)>,
    pub persistence: Trend,
    pub naive: Trend,
    /// Each direction's share among the outcomes of the same indicator known at the as-of year.
    pub climatology: [f64; 3],
}

impl Case {
    pub fn in_interval(&self) -> Option<bool> {
        self.interval.map(|(lo, hi)| (lo..=hi).contains(&self.outcome_mean))
    }

    fn spread(&self) -> f64 {
        super::spread(self.situation.numeric[model::VOLATILITY])
    }

    fn example(&self) -> Example<'_> {
        Example {
            subject: &self.subject,
            situation: &self.situation,
            actual: self.actual,
            change: self.outcome_mean.max(0.0).ln_1p() - self.situation.base.max(0.0).ln_1p(),
        }
    }

    /// The climatology's direction: the commonest one.
    pub fn climatology_direction(&self) -> Trend {
        most_likely(&self.climatology)
    }
}

fn most_likely(p: &[f64; 3]) -> Trend {
    CLASSES[(0..3).max_by(|&a, &b| p[a].total_cmp(&p[b]).then(b.cmp(&a))).unwrap_or(1)]
}

/// The yearly series of every indicator in `names` that is learned from (not `TREND_RULE_ONLY`), per
/// subject, as year → value, each from its pair's last seam (`indicators::SEAM`) on.
pub fn series(indicators: &Indicators, names: &[&str]) -> BTreeMap<Subject, BTreeMap<i32, f64>> {
    let countries = CountryTable::builtin();
    let mut out: BTreeMap<Subject, BTreeMap<i32, f64>> = BTreeMap::new();
    for v in indicators.values.iter().filter(|v| names.contains(&v.indicator) && !TREND_RULE_ONLY.contains(&v.indicator)) {
        if let Period::Year(year) = v.period {
            let subject = Subject {
                benefactor: v.benefactor.clone(),
                recipient: v.recipient.clone(),
                region: countries.country(&v.recipient).map_or("", |c| c.region.label()),
                instrument: v.instrument,
                indicator: v.indicator,
            };
            out.entry(subject).or_default().insert(year, v.value);
        }
    }
    // A series is read from its last seam on: what came before measured something else.
    let mut last_seam: BTreeMap<(&str, &str, Instrument), i32> = BTreeMap::new();
    for seam in indicators.values.iter().filter(|v| v.indicator == crate::indicators::SEAM) {
        if let Period::Year(year) = seam.period {
            let last = last_seam.entry((&seam.benefactor, &seam.recipient, seam.instrument)).or_insert(year);
            *last = (*last).max(year);
        }
    }
    for (subject, values) in out.iter_mut() {
        if let Some(&seam) = last_seam.get(&(subject.benefactor.as_str(), subject.recipient.as_str(), subject.instrument)) {
            values.retain(|y, _| *y >= seam);
        }
    }
    out
}

/// What a candidate says of a series at `as_of`, the pooled one with `model` (None before it has
/// enough known outcomes: Unknown).
pub fn say(candidate: Candidate, model: Option<&Model>, subject: &Subject, values: &BTreeMap<i32, f64>, as_of: i32, situation: &Situation) -> Said {
    let certainly = |direction: Trend, value: Option<f64>| Said { direction, probabilities: certain(direction), value, drivers: Vec::new() };
    match candidate {
        Candidate::Rule => {
            let known: Vec<(i32, f64)> = values.range(..=as_of).map(|(y, v)| (*y, *v)).collect();
            let rule = trend(&known, as_of);
            certainly(rule.direction, rule.value)
        }
        Candidate::Reversion => certainly(classify(situation.base, situation.long_run), Some(situation.long_run)),
        Candidate::Pooled => match model {
            Some(model) => {
                let f = model.forecast(subject, situation);
                Said { direction: f.direction, probabilities: f.probabilities, value: Some(f.value), drivers: f.drivers }
            }
            None => Said { direction: Trend::Unknown, probabilities: certain(Trend::Unknown), value: None, drivers: Vec::new() },
        },
    }
}

/// What the rolling-origin evaluation leaves for forecasting after the last origin: the candidate
/// chosen on every outcome known by then, and its past errors for intervals.
#[derive(Debug, Clone)]
pub struct Selection {
    pub chosen: Candidate,
    pub calibration: Calibration,
    /// Mean ranked probability score of each candidate over the outcomes known, and how many.
    pub scores: Vec<(Candidate, f64, usize)>,
}

/// The choice among candidates and the method's calibration on the cases whose outcomes are known by
/// `as_of` (`known`, in case order).
fn select(known: &[&Case]) -> Selection {
    // Candidates are compared on the same cases: those every one of them answered.
    let answered: Vec<&&Case> = known.iter().filter(|k| k.candidates.iter().all(|c| c.direction != Trend::Unknown)).collect();
    let scores: Vec<(Candidate, f64, usize)> = Candidate::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let rps: Vec<f64> = answered.iter().map(|k| ranked_probability_score(&k.candidates[i].probabilities, k.actual)).collect();
            (*c, mean(&rps), rps.len())
        })
        .collect();
    let chosen = scores.iter().filter(|s| s.2 > 0).min_by(|a, b| a.1.total_cmp(&b.1)).map_or(Candidate::Rule, |s| s.0);
    let index = Candidate::ALL.iter().position(|c| *c == chosen).unwrap_or(0);
    let calibration = Calibration::from_outcomes(
        known.iter().filter_map(|k| Some((k.subject.indicator, k.candidates[index].value?, k.outcome_mean, k.spread()))),
    );
    Selection { chosen, calibration, scores }
}

/// Every case of every learned series in `indicators` that `super::SERIES` names, each forecast by
/// the rolling-origin evaluation, in order of as-of year and subject; and the selection for forecasts
/// made at `as_of` (from the cases whose outcomes are known by then).
pub fn evaluate(indicators: &Indicators, as_of: i32) -> (Vec<Case>, Selection, Option<Model>) {
    let all = series(indicators, super::SERIES);
    let mut cases: Vec<Case> = Vec::new();
    for (subject, values) in &all {
        let (Some(&first), Some(&last)) = (values.keys().next(), values.keys().last()) else { continue };
        for origin in (first + MIN_YEARS as i32 - 1)..=(last - HORIZON) {
            let future: Vec<f64> = values.range(origin + 1..=origin + HORIZON).map(|(_, v)| *v).collect();
            let Some(situation) = situation_with_activity(values, origin) else { continue };
            if future.len() < HORIZON as usize {
                continue;
            }
            let outcome_mean = mean(&future);
            let known: Vec<(i32, f64)> = values.range(..=origin).map(|(y, v)| (*y, *v)).collect();
            let unknown = Said { direction: Trend::Unknown, probabilities: certain(Trend::Unknown), value: None, drivers: Vec::new() };
            cases.push(Case {
                subject: subject.clone(),
                as_of: origin,
                actual: classify(situation.base, outcome_mean),
                outcome_mean,
                candidates: Vec::new(),
                chosen: Candidate::Rule,
                method: unknown,
                interval: None,
                persistence: Trend::Steady,
                naive: naive_linear(&known, origin, situation.base),
                climatology: [1.0 / 3.0; 3],
                situation,
            });
        }
    }
    cases.sort_by(|a, b| (a.as_of, &a.subject).cmp(&(b.as_of, &b.subject)));
    let origins: Vec<i32> = cases.iter().map(|c| c.as_of).collect::<BTreeSet<_>>().into_iter().collect();
    // Each origin's model depends on the cases alone, not on earlier forecasts: fit them all at once
    // (each fit is sequential, so the thread count changes nothing).
    let mut models: Vec<Option<Model>> = origins
        .iter()
        .chain(std::iter::once(&as_of))
        .collect::<Vec<_>>()
        .par_iter()
        .map(|&&origin| {
            let examples: Vec<Example> = cases.iter().filter(|c| c.as_of + HORIZON <= origin).map(Case::example).collect();
            Model::fit(&examples, MIN_TRAINING)
        })
        .collect();
    let last = models.pop().flatten();
    for (origin, fitted) in origins.into_iter().zip(models) {
        let split = cases.partition_point(|c| c.as_of < origin);
        let (done, rest) = cases.split_at_mut(split);
        let known: Vec<&Case> = done.iter().filter(|c| c.as_of + HORIZON <= origin).collect();
        let climatology = model::climatology(&known.iter().map(|c| c.example()).collect::<Vec<_>>());
        let selection = select(&known);
        let index = Candidate::ALL.iter().position(|c| *c == selection.chosen).unwrap_or(0);
        for case in rest.iter_mut().take_while(|c| c.as_of == origin) {
            let values = &all[&case.subject];
            case.candidates = Candidate::ALL.iter().map(|c| say(*c, fitted.as_ref(), &case.subject, values, origin, &case.situation)).collect();
            case.chosen = selection.chosen;
            let said = case.candidates[index].clone();
            let stated = (selection.chosen == Candidate::Pooled).then_some(said.probabilities);
            (case.method, case.interval) = said.coherent(stated, &selection.calibration, case.subject.indicator, case.spread(), case.situation.base);
            case.climatology = climatology.get(case.subject.indicator).copied().unwrap_or([1.0 / 3.0; 3]);
        }
    }
    let known: Vec<&Case> = cases.iter().filter(|c| c.as_of + HORIZON <= as_of).collect();
    let selection = select(&known);
    (cases, selection, last)
}

/// The situation at `origin` where the history shows some activity: where it shows none there is
/// nothing to project.
pub fn situation_with_activity(values: &BTreeMap<i32, f64>, origin: i32) -> Option<Situation> {
    model::situation(values, origin).filter(|s| s.active_years > 0)
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

/// One forecaster's scores over a group of cases.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub accuracy: f64,
    pub balanced: f64,
    /// Mean ranked probability score (lower is better).
    pub rps: f64,
}

fn score(cases: &[&Case], direction: impl Fn(&Case) -> Trend, probabilities: impl Fn(&Case) -> [f64; 3]) -> Score {
    let n = cases.len().max(1) as f64;
    let recalls: Vec<f64> = CLASSES
        .iter()
        .filter_map(|class| {
            let of_class: Vec<&&Case> = cases.iter().filter(|c| c.actual == *class).collect();
            (!of_class.is_empty()).then(|| of_class.iter().filter(|c| direction(c) == *class).count() as f64 / of_class.len() as f64)
        })
        .collect();
    Score {
        accuracy: cases.iter().filter(|c| direction(c) == c.actual).count() as f64 / n,
        // Mean recall over the outcome classes that occur: a forecaster that always says Steady scores
        // 1/3 when all three outcomes occur, however common Steady is.
        balanced: mean(&recalls),
        rps: cases.iter().map(|c| ranked_probability_score(&probabilities(c), c.actual)).sum::<f64>() / n,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Skill {
    pub instrument: Option<Instrument>,
    pub cases: usize,
    pub first_as_of: i32,
    pub last_as_of: i32,
    pub method: Score,
    pub method_unknown_share: f64,
    /// Each candidate's scores, in `Candidate::ALL` order, had it been chosen throughout.
    pub candidates: Vec<Score>,
    pub persistence: Score,
    pub naive: Score,
    pub climatology: Score,
    pub interval_coverage: f64,
    /// Cases with an interval (the coverage's denominator).
    pub intervals: usize,
}

/// Skill per instrument, and over all instruments (`instrument` None) last.
pub fn skill(cases: &[Case]) -> Vec<Skill> {
    let mut groups: Vec<Option<Instrument>> = Instrument::ALL.into_iter().filter(|i| cases.iter().any(|c| c.subject.instrument == *i)).map(Some).collect();
    groups.push(None);
    groups
        .into_iter()
        .map(|instrument| {
            let of: Vec<&Case> = cases.iter().filter(|c| instrument.is_none_or(|i| c.subject.instrument == i)).collect();
            let intervals: Vec<bool> = of.iter().filter_map(|c| c.in_interval()).collect();
            Skill {
                instrument,
                cases: of.len(),
                first_as_of: of.iter().map(|c| c.as_of).min().unwrap_or(0),
                last_as_of: of.iter().map(|c| c.as_of).max().unwrap_or(0),
                method: score(&of, |c| c.method.direction, |c| c.method.probabilities),
                method_unknown_share: of.iter().filter(|c| c.method.direction == Trend::Unknown).count() as f64 / of.len().max(1) as f64,
                candidates: (0..Candidate::ALL.len())
                    .map(|i| score(&of, |c| c.candidates[i].direction, |c| c.candidates[i].probabilities))
                    .collect(),
                persistence: score(&of, |c| c.persistence, |c| certain(c.persistence)),
                naive: score(&of, |c| c.naive, |c| certain(c.naive)),
                climatology: score(&of, Case::climatology_direction, |c| c.climatology),
                interval_coverage: intervals.iter().filter(|&&inside| inside).count() as f64 / intervals.len().max(1) as f64,
                intervals: intervals.len(),
            }
        })
        .collect()
}
