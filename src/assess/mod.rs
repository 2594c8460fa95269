//! From indicators to the M-DIME scales: a level per instrument by the rubric, its confidence and
//! coverage, and an overall level per benefactor × recipient led by the instruments that matter most.

pub mod groups;
pub mod rubric;

pub use rubric::{DatasetRating, Rubric, Rule};

use crate::domain::presence::{Hostility, HostilityKind};
use crate::domain::{Confidence, CurrentLevel, Instrument, Trend};
use crate::indicators::{Indicators, Scope, SOURCE_SEPARATOR};
use crate::sources::evidence;

/// How many of the strongest instruments are named as the overall level's drivers (and set its
/// projected direction).
pub const DRIVERS: usize = 3;
/// Assessed instruments (of twelve) that allow the overall level High confidence, and Medium.
const FULL_COVERAGE: usize = 9;
const HALF_COVERAGE: usize = 6;

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
    /// The rating on one scale for every instrument, basis and pair: the level's rank (1 = Very Low …
    /// 5 = Very High, 0 Unobserved) plus how far the score lies between the level's thresholds (0 to
    /// 0.999), so that two Medium ratings can be ranked whatever indicator set them. For the overall
    /// rating, the weighted mean level itself.
    pub level_score: Option<f64>,
    /// The episodes of hostility between the two in the years the current level describes
    /// (`datasets/hostilities.csv`), by id and label: they cap the overall level (`hostility_cap`).
    pub hostilities: Vec<String>,
    /// The highest overall level those episodes allow (`hostility_cap`); None without any, and on an
    /// instrument's rating.
    pub cap: Option<CurrentLevel>,
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
            let overall = overall(indicators, b, r, &instruments, scope.window.end);
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
    let window_value = |name: &str| indicators.window_value(benefactor, recipient, instrument, name);
    let kinds = covered(&coverage);
    let (by_data, from_evidence, from_events) = three_levels(indicators, rubric, benefactor, recipient, instrument, kinds);
    let data: Option<Rated> = by_data.as_ref().map(|d| Rated { level: d.level, score: d.score, indicator: d.basis.scale.indicator.clone(), thresholds: d.basis.scale.thresholds });
    let recorded = data.iter().chain(&from_evidence).map(|r| r.level).max();
    // The score shown is the one that set the level: the evidence's where it rates higher than the data.
    let decisive = match (&data, &from_evidence) {
        (Some(by_data), Some(by_evidence)) if by_evidence.level > by_data.level => Some(by_evidence),
        (by_data, by_evidence) => by_data.as_ref().or(by_evidence.as_ref()),
    };
    let mut current = combine(recorded, from_events.as_ref().map(|r| r.level));
    let decisive = match (&from_events, recorded) {
        (Some(by_events), recorded) if recorded.is_none_or(|r| discounted(by_events.level) > r) => Some(by_events),
        _ => decisive,
    };
    let clashes = armed_clashes(indicators, benefactor, recipient);
    if instrument == Instrument::D1 && !clashes.is_empty() {
        // Talks held to manage an armed confrontation are not defence diplomacy: however many meetings
        // the sources count, they build no influence over the other side's forces.
        current = current.min(CurrentLevel::VeryLow).max(current.min(CurrentLevel::Unobserved));
    }
    let (score, score_indicator) = match decisive {
        Some(rated) => (Some(rated.score), rated.indicator.clone()),
        None => (None, String::new()),
    };
    let level_score = match current.rank() {
        Some(rank) => Some(f64::from(rank) + decisive.map_or(0.0, |r| position_within(r.score, &r.thresholds, r.level))),
        None if current == CurrentLevel::Unobserved => Some(0.0),
        None => None,
    };

    let support = by_data.as_ref().and_then(|d| d.basis.support.as_deref()).and_then(window_value).unwrap_or(0.0);
    // A proxy's confidence is capped where it alone sets the level: evidence reaching the same level
    // stands on its own.
    let proxy_cap = by_data
        .as_ref()
        .filter(|d| d.level == current && from_evidence.as_ref().is_none_or(|r| r.level < current))
        .and_then(|d| d.basis.max_confidence)
        .unwrap_or(Confidence::High);
    let events = window_value("evidence_events").unwrap_or(0.0);
    let event_years = window_value("years_with_events").filter(|_| from_events.is_some()).unwrap_or(0.0);
    let apart = |a: CurrentLevel, b: CurrentLevel| a.rank().unwrap_or(0).abs_diff(b.rank().unwrap_or(0)) >= 2;
    let disagree = matches!((&data, &from_evidence), (Some(a), Some(b))
        if a.level.rank().zip(b.level.rank()).is_some_and(|(a, b)| a.abs_diff(b) >= 2))
        || matches!((recorded, &from_events), (Some(r), Some(e)) if apart(r, e.level));
    let mut confidence = confidence(instrument, current, support + events + event_years, disagree).min(proxy_cap);
    if recorded.is_none() && current != CurrentLevel::NotAssessed {
        // Counts of reports alone, with no dataset or log behind them.
        confidence = confidence.min(Confidence::Medium);
    }
    if current == CurrentLevel::Unobserved && !(kinds.0 || kinds.1) {
        // Silence of a sample: event data are samples of the press, and a pair they show no act for may
        // simply not have been reported in the sampled days.
        confidence = Confidence::Low;
    }
    let evidence_ids = indicators.window(benefactor, recipient, instrument, "evidence_score").map(|v| v.evidence_ids.clone()).unwrap_or_default();
    Assessment {
        benefactor: benefactor.to_string(),
        recipient: recipient.to_string(),
        instrument: Some(instrument),
        current,
        projected: Trend::Unknown,
        confidence,
        score,
        score_indicator,
        level_score,
        hostilities: if instrument == Instrument::D1 { clashes } else { Vec::new() },
        cap: None,
        evidence_count: (support + events + event_years) as usize,
        evidence_ids,
        drivers: Vec::new(),
        sources,
    }
}

/// How far `score` lies within the interval of the level `rated` between `thresholds` (0 at the lower
/// threshold, up to 0.999 at the next; Very High runs from its threshold to twice it), as the fraction
/// of `Assessment::level_score`.
fn position_within(score: f64, thresholds: &[f64; 4], rated: CurrentLevel) -> f64 {
    let Some(rank) = rated.rank() else { return 0.0 };
    let index = usize::from(rank) - 1;
    let lower = if index == 0 { 0.0 } else { thresholds[index - 1] };
    let upper = if index == 4 { 2.0 * thresholds[3] } else { thresholds[index] };
    if upper <= lower {
        return 0.0;
    }
    ((score - lower) / (upper - lower)).clamp(0.0, 0.999)
}

/// The armed clashes between the pair's forces in the years the current level describes, as
/// `Assessment::hostilities` names them.
fn armed_clashes(indicators: &Indicators, benefactor: &str, recipient: &str) -> Vec<String> {
    hostilities_of(indicators, benefactor, recipient).filter(|h| h.kind == HostilityKind::ArmedClash).map(hostility_label).collect()
}

fn hostilities_of<'a>(indicators: &'a Indicators, benefactor: &'a str, recipient: &'a str) -> impl Iterator<Item = &'a Hostility> + 'a {
    indicators.hostilities.iter().filter(move |h| h.benefactor == benefactor && h.recipient == recipient)
}

fn hostility_label(h: &Hostility) -> String {
    format!("{} {}", h.id, h.label())
}

/// How the bases of an instrument's level combine. The datasets and the evidence logs record acts, and
/// the higher of their two levels stands (each misses what the other records). Machine-coded event data
/// count reports of acts, which follow press attention as much as the acts: their level counts one step
/// below what their thresholds say (a Very High rate of reports stands for High; Very Low stays Very
/// Low, since some activity was reported), and the instrument takes the higher of that and the recorded
/// level. Reports can so lift a level that a dataset missed (Russia's forces in Syria, which no exercise
/// list records), never lower one, and never reach Very High on their own.
pub fn combine(recorded: Option<CurrentLevel>, events: Option<CurrentLevel>) -> CurrentLevel {
    match (recorded, events.map(discounted)) {
        (None, None) => CurrentLevel::NotAssessed,
        (Some(level), None) | (None, Some(level)) => level,
        (Some(recorded), Some(events)) => recorded.max(events),
    }
}

/// An event-data level one step down, Very Low and below unchanged.
pub fn discounted(level: CurrentLevel) -> CurrentLevel {
    match level {
        CurrentLevel::VeryHigh => CurrentLevel::High,
        CurrentLevel::High => CurrentLevel::Medium,
        CurrentLevel::Medium => CurrentLevel::Low,
        CurrentLevel::Low => CurrentLevel::VeryLow,
        other => other,
    }
}

/// A level with the score behind it, the score's indicator and the thresholds that placed it.
#[derive(Debug, Clone, PartialEq)]
struct Rated {
    level: CurrentLevel,
    score: f64,
    indicator: String,
    thresholds: [f64; 4],
}

impl Rated {
    fn on(scale: &rubric::Scale, score: f64) -> Rated {
        Rated { level: scale.level(score), score, indicator: scale.indicator.clone(), thresholds: scale.thresholds }
    }
}

/// Which kinds of source cover one pair's instrument: (a dataset, the evidence logs, machine-coded
/// event data).
fn covered(coverage: &[&crate::indicators::Coverage]) -> (bool, bool, bool) {
    let by_events = |source: &str| crate::sources::events::indicators::is_source(source);
    (
        coverage.iter().any(|c| c.source != evidence::SOURCE && !by_events(&c.source)),
        coverage.iter().any(|c| c.source == evidence::SOURCE),
        coverage.iter().any(|c| by_events(&c.source)),
    )
}

/// The dataset's level, the evidence logs' level and the event data's level (as its thresholds say,
/// before `discounted`) of one pair's instrument, each where its source covers it (`covered`, as
/// `covered` gives it) and the rubric rates it.
fn three_levels(
    indicators: &Indicators,
    rubric: &Rubric,
    benefactor: &str,
    recipient: &str,
    instrument: Instrument,
    covered: (bool, bool, bool),
) -> (Option<DatasetRating>, Option<Rated>, Option<Rated>) {
    let rule = rubric.rules.get(&instrument);
    let window_value = |name: &str| indicators.window_value(benefactor, recipient, instrument, name);
    let data = rule.filter(|_| covered.0).and_then(|rule| rule.rate_datasets(&window_value));
    let evidence_score = window_value("evidence_score").unwrap_or(0.0);
    let from_evidence = rule.filter(|_| covered.1).and_then(|rule| rule.evidence.as_ref()).map(|scale| Rated::on(scale, evidence_score));
    let event_rate = window_value(crate::sources::events::indicators::RATE).unwrap_or(0.0);
    let from_events = rule.filter(|_| covered.2).and_then(|rule| rule.events.as_ref()).map(|events| Rated::on(&events.scale, event_rate));
    (data, from_evidence, from_events)
}

/// One pair's instrument on which both a dataset and the evidence logs saw activity. Where one of them
/// saw none the two do not disagree on the scale but on the record: the dataset ends before the
/// logged events (AidData in 2014, ATOP and the exercise list in 2018) or does not record them
/// (small arms, private military companies), and calibrating on such pairs would tune the scale to
/// the gaps. Ratings a proxy sets (a rubric basis with `max_confidence`: scholarship holders for
/// officers trained, followers for media reach) are left out too: a proxy stands in for the instrument
/// on a scale of its own, so its level says nothing of where the logs' thresholds should lie.
#[derive(Debug, Clone, PartialEq)]
pub struct BothRated {
    pub benefactor: String,
    pub recipient: String,
    pub instrument: Instrument,
    pub dataset: CurrentLevel,
    pub evidence_score: f64,
}

/// Every pair's instrument in scope on which both a dataset and the evidence logs saw activity.
pub fn both_rated(indicators: &Indicators, rubric: &Rubric, scope: &Scope) -> Vec<BothRated> {
    let mut out = Vec::new();
    for benefactor in scope.benefactors {
        for recipient in scope.recipients {
            let (b, r) = (benefactor.iso3.as_str(), recipient.iso3.as_str());
            for instrument in Instrument::ALL {
                let coverage = indicators.sources_covering(b, r, instrument);
                if let (Some(data), Some(logs), _) = three_levels(indicators, rubric, b, r, instrument, covered(&coverage)) {
                    if data.level.rank().is_none() || logs.score <= 0.0 || data.basis.max_confidence.is_some() {
                        continue;
                    }
                    out.push(BothRated { benefactor: b.into(), recipient: r.into(), instrument, dataset: data.level, evidence_score: logs.score });
                }
            }
        }
    }
    out
}

/// How the evidence logs' levels compare with the datasets' where both saw activity (ranks 1–5).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Agreement {
    pub pairs: usize,
    /// Mean of evidence rank − dataset rank: positive where the logs rate higher.
    pub mean_difference: f64,
    pub exact: f64,
    pub within_one: f64,
}

/// The agreement of `both` under the evidence `thresholds` of each instrument's rule in `rubric`.
pub fn agreement(both: &[BothRated], rubric: &Rubric) -> Agreement {
    let differences: Vec<i32> = both
        .iter()
        .filter_map(|p| {
            let scale = rubric.rules.get(&p.instrument)?.evidence.as_ref()?;
            let rank = |l: CurrentLevel| i32::from(l.rank().unwrap_or(0));
            Some(rank(scale.level(p.evidence_score)) - rank(p.dataset))
        })
        .collect();
    let n = differences.len().max(1) as f64;
    Agreement {
        pairs: differences.len(),
        mean_difference: differences.iter().map(|d| f64::from(*d)).sum::<f64>() / n,
        exact: differences.iter().filter(|d| **d == 0).count() as f64 / n,
        within_one: differences.iter().filter(|d| d.abs() <= 1).count() as f64 / n,
    }
}

/// The factor on every evidence threshold that brings the logs' levels closest to the datasets' on
/// average (the smallest |mean difference|, ties to the factor nearest 1), searched over 2^(k/8),
/// k = −24 … 40: how `datasets/rubric.toml`'s evidence thresholds were set.
pub fn evidence_factor(both: &[BothRated], rubric: &Rubric) -> f64 {
    let mut best = (f64::INFINITY, 0_i32);
    for k in -24_i32..=40 {
        let factor = 2f64.powf(f64::from(k) / 8.0);
        let mut scaled = rubric.clone();
        for rule in scaled.rules.values_mut() {
            if let Some(scale) = &mut rule.evidence {
                scale.thresholds = scale.thresholds.map(|t| t * factor);
            }
        }
        let gap = agreement(both, &scaled).mean_difference.abs();
        if gap < best.0 - 1e-12 || ((gap - best.0).abs() <= 1e-12 && k.abs() < best.1.abs()) {
            best = (gap, k);
        }
    }
    2f64.powf(f64::from(best.1) / 8.0)
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

/// The weight of the k-th strongest instrument (k = 1, 2, …) in the overall level: 1/k. The strongest
/// counts most, as the M-DIME reports judge a benefactor by its strongest instruments, yet every
/// instrument counts: a relationship strong on two instruments and weak on the rest is not one strong
/// on all.
pub fn rank_weight(k: usize) -> f64 {
    1.0 / k.max(1) as f64
}

/// The weight an instrument's reach gives it in the overall level: 1 for the instruments that act on
/// the recipient's armed forces (`Instrument::acts_on_forces`), 1/2 for those that act on its state and
/// society. The overall level measures military influence, so presence, training, pacts and arms weigh
/// more than trade volume and media reach, which count as channels to the forces, not as influence over
/// them. Two tiers, set by that distinction rather than fitted: against FBIC (as of 2020, 2012–2020)
/// and the China Index 2024 they change Spearman's ρ by −0.01 to +0.04 (README.md, "Overall level").
pub fn reach_weight(instrument: Instrument) -> f64 {
    if instrument.acts_on_forces() {
        1.0
    } else {
        0.5
    }
}

/// An instrument's weight in the overall level when it is the k-th strongest: `rank_weight(k)` ×
/// `reach_weight(instrument)`.
pub fn overall_weight(k: usize, instrument: Instrument) -> f64 {
    rank_weight(k) * reach_weight(instrument)
}

/// The highest overall level a pair may have while an episode of hostility between the two (an armed
/// clash, broad sanctions, an arms embargo, a rupture since mended) falls in the years the current level
/// describes: forces that fought or a partner that sanctions the other have little sway over its
/// military, whatever trade and talks continue.
pub const HOSTILE_CAP: CurrentLevel = CurrentLevel::Low;

/// The highest overall level while a rupture still stands at the end of the as-of year (relations
/// severed, the benefactor's forces expelled, its embassy closed): a benefactor shut out of the country
/// has no standing channel to its forces, whatever it supplied or signed before the break in the
/// years the current level still describes.
pub const RUPTURE_CAP: CurrentLevel = CurrentLevel::VeryLow;

/// The cap that episodes of hostility in the current years set on a pair's overall level as of
/// `as_of`: `RUPTURE_CAP` while a rupture among them has not ended by the end of that year,
/// `HOSTILE_CAP` otherwise; None without any.
pub fn hostility_cap<'a>(episodes: impl IntoIterator<Item = &'a Hostility>, as_of: i32) -> Option<CurrentLevel> {
    episodes
        .into_iter()
        .map(|h| if h.kind == HostilityKind::Rupture && h.end.is_none_or(|end| end.year > as_of) { RUPTURE_CAP } else { HOSTILE_CAP })
        .min()
}

/// The weighted mean level (1 = Very Low … 5 = Very High, Unobserved 0) of the instruments' levels
/// sorted strongest first (among equal levels, those acting on the forces first, then in instrument
/// order), the k-th weighing `weight(k, instrument)`; Not assessed levels are left out. None when none is
/// assessed.
pub fn weighted_level(levels: &[(Instrument, CurrentLevel)], weight: impl Fn(usize, Instrument) -> f64) -> Option<f64> {
    let mut ranked: Vec<(u8, Instrument)> =
        levels.iter().filter(|(_, l)| *l != CurrentLevel::NotAssessed).map(|(i, l)| (l.rank().unwrap_or(0), *i)).collect();
    ranked.sort_by_key(|(rank, instrument)| (std::cmp::Reverse(*rank), !instrument.acts_on_forces(), *instrument));
    let weights: Vec<f64> = ranked.iter().enumerate().map(|(k, (_, i))| weight(k + 1, *i)).collect();
    let total: f64 = weights.iter().sum();
    (total > 0.0).then(|| ranked.iter().zip(&weights).map(|((r, _), w)| f64::from(*r) * w).sum::<f64>() / total)
}

/// The overall level comes from the whole profile: the weighted mean level of every assessed
/// instrument, strongest first, the k-th weighing `overall_weight(k, instrument)` (Unobserved counts 0),
/// rounded to the nearest level (at least Very Low when anything is observed), and at most
/// `hostility_cap` while the two are at odds (as of `as_of`). Not assessed instruments are left out of
/// the level and lower its confidence instead: nine or more of the twelve assessed allow High, six or
/// more Medium, fewer Low; and it is no higher than its drivers' (the `DRIVERS` strongest instruments,
/// named as such). With no instrument observed the overall level is Unobserved if any was covered and
/// Not assessed otherwise.
fn overall(indicators: &Indicators, benefactor: &str, recipient: &str, instruments: &[Assessment], as_of: i32) -> Assessment {
    let mut observed: Vec<&Assessment> = instruments.iter().filter(|a| a.current.rank().is_some()).collect();
    // Among equal levels the better-founded instruments drive: scores are in each instrument's own unit
    // and cannot break a tie. The sort is stable, so instrument order settles the rest.
    observed.sort_by_key(|a| std::cmp::Reverse((a.current, a.confidence, a.evidence_count)));
    let drivers: Vec<&Assessment> = observed.into_iter().take(DRIVERS).collect();
    let assessed = instruments.iter().filter(|a| a.current != CurrentLevel::NotAssessed).count();
    let levels: Vec<(Instrument, CurrentLevel)> = instruments.iter().filter_map(|a| Some((a.instrument?, a.current))).collect();
    let score = overall_score(&levels);
    let episodes: Vec<&Hostility> = hostilities_of(indicators, benefactor, recipient).collect();
    let hostilities: Vec<String> = episodes.iter().map(|h| hostility_label(h)).collect();
    let cap = hostility_cap(episodes, as_of);
    let current = overall_level(score, assessed, cap);
    let coverage = match assessed {
        n if n >= FULL_COVERAGE => Confidence::High,
        n if n >= HALF_COVERAGE => Confidence::Medium,
        _ => Confidence::Low,
    };
    let confidence = drivers.iter().map(|a| a.confidence).min().unwrap_or(Confidence::Low).min(coverage);
    let mut sources: Vec<String> = drivers.iter().flat_map(|a| a.sources.clone()).collect();
    if !hostilities.is_empty() {
        sources.push(crate::sources::hostilities::SOURCE.to_string());
    }
    sources.sort();
    sources.dedup();
    Assessment {
        benefactor: benefactor.to_string(),
        recipient: recipient.to_string(),
        instrument: None,
        current,
        projected: Trend::Unknown,
        confidence,
        score,
        score_indicator: OVERALL_SCORE.into(),
        level_score: score,
        hostilities,
        cap,
        evidence_count: instruments.iter().map(|a| a.evidence_count).sum(),
        evidence_ids: Vec::new(),
        drivers: drivers.iter().filter_map(|a| a.instrument).collect(),
        sources,
    }
}

/// The overall score of some instruments' levels: their weighted mean level, the k-th strongest
/// weighing `overall_weight(k, instrument)` (Not assessed left out, Unobserved counting 0); None when
/// none is observed.
fn overall_score(levels: &[(Instrument, CurrentLevel)]) -> Option<f64> {
    weighted_level(levels, overall_weight).filter(|_| levels.iter().any(|(_, l)| l.rank().is_some()))
}

/// The overall level of an overall score over `assessed` instruments: the score rounded to the nearest
/// level (at least Very Low), at most `cap` (`hostility_cap`); with no score, Unobserved if any
/// instrument was assessed and Not assessed otherwise.
fn overall_level(score: Option<f64>, assessed: usize, cap: Option<CurrentLevel>) -> CurrentLevel {
    match score {
        Some(score) => {
            let level = CurrentLevel::OBSERVED[(score.round() as usize).clamp(1, 5) - 1];
            cap.map_or(level, |cap| level.min(cap))
        }
        None if assessed > 0 => CurrentLevel::Unobserved,
        None => CurrentLevel::NotAssessed,
    }
}

/// One benefactor's overall rating over the instruments compared like for like (`like_for_like`).
#[derive(Debug, Clone, PartialEq)]
pub struct ComparedOverall {
    pub benefactor: String,
    /// The overall score over the compared instruments (as `Assessment::score` is over all).
    pub score: Option<f64>,
    pub current: CurrentLevel,
}

/// An instrument left out of a like-for-like comparison, with the benefactors (ISO-3) it is Not assessed
/// for.
#[derive(Debug, Clone, PartialEq)]
pub struct LeftOut {
    pub instrument: Instrument,
    pub not_assessed_for: Vec<String>,
}

/// Two benefactors compared in one recipient on the instruments assessed for both.
#[derive(Debug, Clone, PartialEq)]
pub struct LikeForLike {
    pub first: ComparedOverall,
    pub second: ComparedOverall,
    /// The instruments both are assessed on, in `Instrument::ALL` order.
    pub compared: Vec<Instrument>,
    /// The others, in `Instrument::ALL` order.
    pub left_out: Vec<LeftOut>,
}

/// Two benefactors' overall levels in one recipient, made like for like. `first` and `second` are each
/// benefactor's ratings in that recipient as `assess` makes them (the twelve instruments, then the
/// overall rating). An instrument Not assessed for either benefactor is left out for both, so that
/// neither overall counts an instrument the other could not be rated on; each overall is then made by
/// the overall rule on the instruments left (`overall_score`, `overall_level`: the weighted mean level
/// rounded, capped while the pair is hostile), and is so its own overall whenever nothing is left out.
pub fn like_for_like(first: &[Assessment], second: &[Assessment]) -> LikeForLike {
    let current = |rows: &[Assessment], instrument: Instrument| {
        rows.iter().find(|a| a.instrument == Some(instrument)).map_or(CurrentLevel::NotAssessed, |a| a.current)
    };
    let (mut compared, mut left_out) = (Vec::new(), Vec::new());
    for instrument in Instrument::ALL {
        let lacking: Vec<&[Assessment]> = [first, second].into_iter().filter(|rows| current(rows, instrument) == CurrentLevel::NotAssessed).collect();
        if lacking.is_empty() {
            compared.push(instrument);
        } else {
            let not_assessed_for = lacking.iter().filter_map(|rows| rows.first().map(|a| a.benefactor.clone())).collect();
            left_out.push(LeftOut { instrument, not_assessed_for });
        }
    }
    let overall = |rows: &[Assessment]| {
        let levels: Vec<(Instrument, CurrentLevel)> = compared.iter().map(|&i| (i, current(rows, i))).collect();
        let cap = rows.iter().find(|a| a.instrument.is_none()).and_then(|a| a.cap);
        let score = overall_score(&levels);
        ComparedOverall {
            benefactor: rows.first().map(|a| a.benefactor.clone()).unwrap_or_default(),
            score,
            current: overall_level(score, compared.len(), cap),
        }
    };
    LikeForLike { first: overall(first), second: overall(second), compared, left_out }
}

/// What the overall score is, as `assessments.csv` names it.
pub const OVERALL_SCORE: &str = "weighted mean level of the assessed instruments, the k-th strongest weighing 1/k, halved for those not acting on the armed forces (1 = Very Low … 5 = Very High, Unobserved 0)";

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
