//! From indicators to the M-DIME scales: a level per instrument by the rubric, its confidence and
//! coverage, and an overall level per benefactor × recipient led by the instruments that matter most.

pub mod groups;
pub mod rubric;

pub use rubric::{Rubric, Rule};

use crate::domain::{Confidence, CurrentLevel, Instrument, Trend};
use crate::indicators::{Indicators, Scope, SOURCE_SEPARATOR};
use crate::ingest::evidence;

/// How many of the strongest instruments make the overall level and are named as its drivers.
pub const DRIVERS: usize = 3;
/// Fewer assessed instruments than this leaves the overall level at low confidence.
const MIN_INSTRUMENTS_FOR_CONFIDENT_OVERALL: usize = 3;

/// One rating: an instrument's, or the overall one (`instrument` None).
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub benefactor: String,
    pub recipient: String,
    pub instrument: Option<Instrument>,
    pub current: CurrentLevel,
    pub projected: Trend,
    pub confidence: Confidence,
    pub score: Option<f64>,
    pub score_indicator: String,
    /// Data points behind the rating (years with activity, evidence rows).
    pub evidence_count: usize,
    /// Evidence-log events behind the rating, by id.
    pub evidence_ids: Vec<String>,
    pub drivers: Vec<Instrument>,
    pub sources: Vec<String>,
}

impl Assessment {
    /// Rows per benefactor × recipient: the twelve instruments, then the overall rating.
    pub const PER_PAIR: usize = Instrument::ALL.len() + 1;
}

pub fn assess(indicators: &Indicators, rubric: &Rubric, scope: &Scope) -> Vec<Assessment> {
    let mut out = Vec::new();
    for benefactor in scope.benefactors {
        for recipient in scope.recipients {
            let (b, r) = (benefactor.iso3.as_str(), recipient.iso3.as_str());
            let instruments: Vec<Assessment> =
                Instrument::ALL.into_iter().map(|i| rate_instrument(indicators, rubric, b, r, i)).collect();
            let overall = overall(b, r, &instruments);
            out.extend(instruments);
            out.push(overall);
        }
    }
    out
}

fn rate_instrument(indicators: &Indicators, rubric: &Rubric, benefactor: &str, recipient: &str, instrument: Instrument) -> Assessment {
    let coverage = indicators.sources_covering(benefactor, recipient, instrument);
    // Each source once, also where one coverage row combines several.
    let mut sources: Vec<String> = coverage.iter().flat_map(|c| c.source.split(SOURCE_SEPARATOR)).map(String::from).collect();
    sources.dedup();
    let covered_by_data = coverage.iter().any(|c| c.source != evidence::SOURCE);
    let covered_by_evidence = coverage.iter().any(|c| c.source == evidence::SOURCE);
    let rule = rubric.rules.get(&instrument);
    let window_value = |name: &str| indicators.window_value(benefactor, recipient, instrument, name);

    let by_data = rule.filter(|_| covered_by_data).and_then(|rule| rule.rate_datasets(&window_value));
    let data = by_data.as_ref().map(|d| (d.level, d.score, d.basis.scale.indicator.clone()));
    let evidence_score = window_value("evidence_score").unwrap_or(0.0);
    let from_evidence = rule
        .filter(|_| covered_by_evidence)
        .and_then(|rule| rule.evidence.as_ref())
        .map(|scale| (scale.level(evidence_score), evidence_score, scale.indicator.clone()));
    let current = data.iter().chain(&from_evidence).map(|(level, ..)| *level).max().unwrap_or(CurrentLevel::NotAssessed);
    // The score shown is the one that set the level: the evidence's where it rates higher than the data.
    let decisive = match (&data, &from_evidence) {
        (Some(by_data), Some(by_evidence)) if by_evidence.0 > by_data.0 => Some(by_evidence),
        (by_data, by_evidence) => by_data.as_ref().or(by_evidence.as_ref()),
    };
    let (score, score_indicator) = match decisive {
        Some((_, score, indicator)) => (Some(*score), indicator.clone()),
        None => (None, String::new()),
    };

    let support = by_data.as_ref().and_then(|d| d.basis.support.as_deref()).and_then(window_value).unwrap_or(0.0);
    // A proxy's confidence is capped where it alone sets the level: evidence reaching the same level
    // stands on its own.
    let proxy_cap = by_data
        .as_ref()
        .filter(|d| d.level == current && from_evidence.as_ref().is_none_or(|(level, ..)| *level < current))
        .and_then(|d| d.basis.max_confidence)
        .unwrap_or(Confidence::High);
    let events = window_value("evidence_events").unwrap_or(0.0);
    let disagree = matches!((&data, &from_evidence), (Some((a, ..)), Some((b, ..)))
        if a.rank().zip(b.rank()).is_some_and(|(a, b)| a.abs_diff(b) >= 2));
    let evidence_ids = indicators.window(benefactor, recipient, instrument, "evidence_score").map(|v| v.evidence_ids.clone()).unwrap_or_default();
    Assessment {
        benefactor: benefactor.to_string(),
        recipient: recipient.to_string(),
        instrument: Some(instrument),
        current,
        projected: Trend::Unknown,
        confidence: confidence(instrument, current, support + events, disagree).min(proxy_cap),
        score,
        score_indicator,
        evidence_count: (support + events) as usize,
        evidence_ids,
        drivers: Vec::new(),
        sources,
    }
}

/// Secretive instruments are always Low. Otherwise three or more data points (years with activity in a
/// dataset, plus evidence events) give High, one or two Medium; "Unobserved" rests on a source that
/// covers the pair and saw nothing: Medium. Where a dataset and the evidence logs disagree by two levels
/// or more, confidence drops one step.
fn confidence(instrument: Instrument, current: CurrentLevel, points: f64, disagree: bool) -> Confidence {
    if instrument.is_secretive() || current == CurrentLevel::NotAssessed {
        return Confidence::Low;
    }
    let base = match (current, points) {
        (CurrentLevel::Unobserved, _) => Confidence::Medium,
        (_, p) if p >= 3.0 => Confidence::High,
        (_, p) if p >= 1.0 => Confidence::Medium,
        _ => Confidence::Low,
    };
    match (base, disagree) {
        (Confidence::High, true) => Confidence::Medium,
        (_, true) => Confidence::Low,
        (base, false) => base,
    }
}

/// The overall level is the rounded mean rank of the `DRIVERS` highest-rated instruments, which are named
/// as drivers: the M-DIME reports judge a benefactor by its strongest instruments, so weak ones do not
/// dilute a dominant arms relationship. With fewer than `DRIVERS` observed, instruments looked at and
/// found Unobserved fill the remaining places at 0: a benefactor seen on one instrument alone (a large
/// trade partner and nothing else) has not the military influence of one strong on three. Instruments
/// not assessed fill no place: no source, no verdict. With no instrument observed the overall level is
/// Unobserved if any was covered and Not assessed otherwise.
fn overall(benefactor: &str, recipient: &str, instruments: &[Assessment]) -> Assessment {
    let mut observed: Vec<&Assessment> = instruments.iter().filter(|a| a.current.rank().is_some()).collect();
    // Among equal levels the better-founded instruments drive: scores are in each instrument's own unit
    // and cannot break a tie. The sort is stable, so instrument order settles the rest.
    observed.sort_by_key(|a| std::cmp::Reverse((a.current, a.confidence, a.evidence_count)));
    let drivers: Vec<&Assessment> = observed.into_iter().take(DRIVERS).collect();
    let assessed = instruments.iter().filter(|a| a.current != CurrentLevel::NotAssessed).count();
    let unobserved = instruments.iter().filter(|a| a.current == CurrentLevel::Unobserved).count();
    let places = drivers.len() + unobserved.min(DRIVERS - drivers.len());
    let mean_rank = (!drivers.is_empty())
        .then(|| drivers.iter().filter_map(|a| a.current.rank()).map(f64::from).sum::<f64>() / places as f64);
    let current = match mean_rank {
        Some(mean) => CurrentLevel::OBSERVED[(mean.round() as usize).clamp(1, 5) - 1],
        None if assessed > 0 => CurrentLevel::Unobserved,
        None => CurrentLevel::NotAssessed,
    };
    let confidence = if assessed < MIN_INSTRUMENTS_FOR_CONFIDENT_OVERALL {
        Confidence::Low
    } else {
        drivers.iter().map(|a| a.confidence).min().unwrap_or(Confidence::Low)
    };
    let mut sources: Vec<String> = drivers.iter().flat_map(|a| a.sources.clone()).collect();
    sources.sort();
    sources.dedup();
    Assessment {
        benefactor: benefactor.to_string(),
        recipient: recipient.to_string(),
        instrument: None,
        current,
        projected: Trend::Unknown,
        confidence,
        score: mean_rank,
        score_indicator: "mean level of drivers (1 = Very Low … 5 = Very High)".into(),
        evidence_count: instruments.iter().map(|a| a.evidence_count).sum(),
        evidence_ids: Vec::new(),
        drivers: drivers.iter().filter_map(|a| a.instrument).collect(),
        sources,
    }
}

/// How a rating fares when every threshold moves by ±`SENSITIVITY` of its value.
pub const SENSITIVITY: f64 = 0.2;

#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    pub lower_thresholds: CurrentLevel,
    pub higher_thresholds: CurrentLevel,
}

impl Sensitivity {
    pub fn is_stable(&self, current: CurrentLevel) -> bool {
        self.lower_thresholds == current && self.higher_thresholds == current
    }
}

/// Each rating re-made with the thresholds 20% lower and 20% higher, in the order of `assess`'s output.
pub fn sensitivity(indicators: &Indicators, rubric: &Rubric, scope: &Scope) -> Vec<Sensitivity> {
    let lower = assess(indicators, &rubric.scaled(1.0 - SENSITIVITY), scope);
    let higher = assess(indicators, &rubric.scaled(1.0 + SENSITIVITY), scope);
    lower
        .into_iter()
        .zip(higher)
        .map(|(l, h)| Sensitivity { lower_thresholds: l.current, higher_thresholds: h.current })
        .collect()
}

/// The share of observed ratings (not Not assessed) that no ±20% move of the thresholds changes.
pub fn stable_share(assessments: &[Assessment], sensitivity: &[Sensitivity]) -> f64 {
    let observed: Vec<bool> = assessments
        .iter()
        .zip(sensitivity)
        .filter(|(a, _)| a.current != CurrentLevel::NotAssessed)
        .map(|(a, s)| s.is_stable(a.current))
        .collect();
    observed.iter().filter(|&&stable| stable).count() as f64 / observed.len().max(1) as f64
}
