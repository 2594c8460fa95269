//! From indicators to the M-DIME scales: a level per instrument by the rubric, its confidence and
//! coverage, and an overall level per benefactor × recipient led by the instruments that matter most.

pub mod rubric;

pub use rubric::{Rubric, Rule};

use crate::domain::{Confidence, CurrentLevel, Instrument, Trend};
use crate::indicators::{Indicators, Scope};

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
    let sources: Vec<String> = {
        let mut s: Vec<String> =
            indicators.sources_covering(benefactor, recipient, instrument).into_iter().map(|c| c.source.clone()).collect();
        s.dedup();
        s
    };
    let rule = rubric.rules.get(&instrument);
    let value = |name: &str| indicators.window_value(benefactor, recipient, instrument, name);
    let score = rule.and_then(|r| value(&r.score));
    let support = rule.and_then(|r| r.support.as_deref()).and_then(value).unwrap_or(0.0);
    let current = match (rule, sources.is_empty()) {
        (Some(rule), false) => rule.level(score.unwrap_or(0.0), rule.cap.as_ref().and_then(|c| value(&c.indicator))),
        _ => CurrentLevel::NotAssessed,
    };
    Assessment {
        benefactor: benefactor.to_string(),
        recipient: recipient.to_string(),
        instrument: Some(instrument),
        current,
        projected: Trend::Unknown,
        confidence: confidence(instrument, current, support),
        score: if current == CurrentLevel::NotAssessed { None } else { score.or(Some(0.0)) },
        score_indicator: rule.map(|r| r.score.clone()).unwrap_or_default(),
        evidence_count: support as usize,
        drivers: Vec::new(),
        sources,
    }
}

/// Secretive instruments are always Low; otherwise three or more independent data points give High,
/// one or two Medium. "Unobserved" rests on a source that covers the pair and saw nothing: Medium.
fn confidence(instrument: Instrument, current: CurrentLevel, support: f64) -> Confidence {
    if instrument.is_secretive() || current == CurrentLevel::NotAssessed {
        return Confidence::Low;
    }
    match (current, support) {
        (CurrentLevel::Unobserved, _) => Confidence::Medium,
        (_, s) if s >= 3.0 => Confidence::High,
        (_, s) if s >= 1.0 => Confidence::Medium,
        _ => Confidence::Low,
    }
}

/// The overall level is the rounded mean rank of the `DRIVERS` highest-rated instruments, which are named
/// as drivers: the M-DIME reports judge a benefactor by its strongest instruments, so weak or unseen ones
/// do not dilute a dominant arms relationship. With no instrument observed it is Unobserved if any was
/// covered and Not assessed otherwise.
fn overall(benefactor: &str, recipient: &str, instruments: &[Assessment]) -> Assessment {
    let mut observed: Vec<&Assessment> = instruments.iter().filter(|a| a.current.rank().is_some()).collect();
    observed.sort_by(|a, b| b.current.cmp(&a.current).then(b.score.unwrap_or(0.0).total_cmp(&a.score.unwrap_or(0.0))));
    let drivers: Vec<&Assessment> = observed.into_iter().take(DRIVERS).collect();
    let assessed = instruments.iter().filter(|a| a.current != CurrentLevel::NotAssessed).count();
    let mean_rank = (!drivers.is_empty())
        .then(|| drivers.iter().filter_map(|a| a.current.rank()).map(f64::from).sum::<f64>() / drivers.len() as f64);
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
        drivers: drivers.iter().filter_map(|a| a.instrument).collect(),
        sources,
    }
}
