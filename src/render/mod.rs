//! What a person reads: terminal tables, charts (SVG, PNG) and country reports (Markdown, HTML).
//!
//! Charts and reports are drawn from a `Scene`: the evaluation regrouped by recipient, so that each
//! recipient can be rendered on its own thread without searching the whole evaluation.

pub mod atlas;
pub mod explain;
pub mod charts;
pub mod maps;
pub mod outputs;
pub mod report;
pub mod terminal;

use std::collections::BTreeMap;

use crate::assess::{like_for_like, Assessment, LeftOut, LikeForLike};
use crate::domain::{Benefactor, Country, CurrentLevel, Instrument, Region, Trend};
use crate::sources::commodities::indicators::{CommodityShare, StrategicExports};
use crate::indicators::{IndicatorValue, Indicators, Period, Window};
use crate::domain::evidence::Event;
use crate::project::Projection;
use crate::assess::groups::GroupSummary;
use crate::{Config, Evaluation};

/// The evaluation of a run, grouped by recipient, in the order the outputs list them.
#[derive(Debug)]
pub struct Scene<'a> {
    pub benefactors: &'a [Benefactor],
    pub window: Window,
    /// Pairs of benefactors (indices into `benefactors`) whose difference is charted.
    pub versus: &'a [(usize, usize)],
    /// The groups asked for, summed up.
    pub groups: &'a [GroupSummary],
    /// In ISO-3 order.
    pub recipients: Vec<RecipientView<'a>>,
    /// Every source behind a rating, sorted: cited on the charts that span all recipients.
    pub sources: Vec<String>,
    /// What changed against an earlier run (`mdime run --compare`), or else against the same run as of
    /// the year before.
    pub movers: Option<Movers<'a>>,
    /// What each source reaches per benefactor and instrument over the run's window.
    pub reach: &'a [crate::indicators::Reach],
}

/// The changes of a run against an earlier one, and what that one was (`the same run as of 2024`).
#[derive(Debug, Clone, Copy)]
pub struct Movers<'a> {
    pub against: &'a str,
    pub changes: &'a [crate::diff::Change],
}

/// One recipient and every benefactor's ratings and indicator values in it.
#[derive(Debug)]
pub struct RecipientView<'a> {
    pub country: &'a Country,
    /// One per benefactor, in the run's benefactor order.
    pub pairs: Vec<PairView<'a>>,
    /// The strategic-commodity shares of every recipient in the run (`RecipientView::strategic_exports`).
    strategic_exports: &'a StrategicExports,
}

/// One benefactor in one recipient.
#[derive(Debug)]
pub struct PairView<'a> {
    pub benefactor: &'a Benefactor,
    /// The twelve instruments' ratings, in `Instrument::ALL` order.
    pub instruments: &'a [Assessment],
    pub overall: &'a Assessment,
    /// The instruments' ratings then the overall one, as `assess::assess` makes them.
    pub rows: &'a [Assessment],
    /// Sorted as `Indicators::values` is: instrument, indicator, period.
    pub values: Vec<&'a IndicatorValue>,
    /// The pair's projections, one per assessed instrument, in instrument order.
    pub projections: Vec<&'a Projection>,
    /// Where the pair's evidence-log events are looked up (`PairView::events`).
    indicators: &'a Indicators,
}

/// One indicator's yearly values for one benefactor, for a time-series chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series<'a> {
    pub benefactor: &'a Benefactor,
    pub points: Vec<(i32, f64)>,
    /// The three-year projection made on this very series, if one was.
    pub projection: Option<&'a Projection>,
    /// Years in which the pair's series of the instrument changed source unspliced
    /// (`indicators::SEAM`): its projection reads only the years from then on.
    pub seams: Vec<i32>,
}

/// An indicator with yearly values in one recipient: what a time-series chart shows.
#[derive(Debug, Clone, PartialEq)]
pub struct YearlyIndicator<'a> {
    pub instrument: Instrument,
    pub indicator: &'static str,
    pub unit: &'static str,
    pub source: &'a str,
    pub series: Vec<Series<'a>>,
}

impl<'a> Scene<'a> {
    /// Groups an evaluation made for these benefactors and recipients. Assessments come benefactor by
    /// benefactor, recipient by recipient, `Assessment::PER_PAIR` rows each (as `assess::assess` makes them).
    pub fn new(evaluation: &'a Evaluation, config: &'a Config) -> Scene<'a> {
        let (benefactors, recipients, window) = (&config.benefactors, &config.recipients, config.window);
        let mut values: BTreeMap<(&str, &str), Vec<&IndicatorValue>> = BTreeMap::new();
        for v in &evaluation.indicators.values {
            values.entry((v.benefactor.as_str(), v.recipient.as_str())).or_default().push(v);
        }
        let mut projections: BTreeMap<(&str, &str), Vec<&Projection>> = BTreeMap::new();
        for p in &evaluation.projections {
            projections.entry((p.benefactor.as_str(), p.recipient.as_str())).or_default().push(p);
        }
        let mut pairs: BTreeMap<(&str, &str), &[Assessment]> = BTreeMap::new();
        for chunk in evaluation.assessments.chunks(Assessment::PER_PAIR) {
            pairs.insert((chunk[0].benefactor.as_str(), chunk[0].recipient.as_str()), chunk);
        }
        let recipients = recipients
            .iter()
            .map(|country| RecipientView {
                country,
                pairs: benefactors
                    .iter()
                    .filter_map(|benefactor| {
                        let key = (benefactor.iso3.as_str(), country.iso3.as_str());
                        let rows = pairs.get(&key)?;
                        let (instruments, overall) = rows.split_at(Instrument::ALL.len());
                        Some(PairView {
                            benefactor,
                            instruments,
                            overall: &overall[0],
                            rows,
                            values: values.get(&key).cloned().unwrap_or_default(),
                            projections: projections.get(&key).cloned().unwrap_or_default(),
                            indicators: &evaluation.indicators,
                        })
                    })
                    .collect(),
                strategic_exports: &evaluation.indicators.strategic_exports,
            })
            .collect();
        let sources = distinct_sources(evaluation.assessments.iter()).into_iter().map(String::from).collect();
        Scene { benefactors, window, versus: &config.versus, groups: &evaluation.groups, recipients, sources, movers: None, reach: &evaluation.indicators.reach }
    }

    /// Recipients grouped by region (in the order of `Region::TRACKED`), each group in ISO-3 order.
    pub fn by_region(&self) -> Vec<(Region, Vec<&RecipientView<'a>>)> {
        let mut groups: BTreeMap<Region, Vec<&RecipientView<'a>>> = BTreeMap::new();
        for r in &self.recipients {
            groups.entry(r.country.region).or_default().push(r);
        }
        groups.into_iter().collect()
    }
}

impl<'a> RecipientView<'a> {
    /// Indicators with yearly values where some benefactor has a non-zero value: the series worth a
    /// chart. Sorted by instrument, then indicator.
    pub fn yearly(&self) -> Vec<YearlyIndicator<'a>> {
        let mut found: BTreeMap<(Instrument, &'static str), YearlyIndicator<'a>> = BTreeMap::new();
        for pair in &self.pairs {
            let seams = |instrument: Instrument| -> Vec<i32> {
                pair.values
                    .iter()
                    .filter(|v| v.instrument == instrument && v.indicator == crate::indicators::SEAM)
                    .filter_map(|v| match v.period {
                        Period::Year(year) => Some(year),
                        Period::Window(..) => None,
                    })
                    .collect()
            };
            for v in pair.values.iter().filter(|v| v.indicator != crate::indicators::SEAM) {
                let Period::Year(year) = v.period else { continue };
                let entry = found.entry((v.instrument, v.indicator)).or_insert_with(|| YearlyIndicator {
                    instrument: v.instrument,
                    indicator: v.indicator,
                    unit: v.unit,
                    source: v.source.as_str(),
                    series: Vec::new(),
                });
                match entry.series.iter_mut().find(|s| s.benefactor == pair.benefactor) {
                    Some(series) => series.points.push((year, v.value)),
                    None => entry.series.push(Series {
                        benefactor: pair.benefactor,
                        points: vec![(year, v.value)],
                        projection: pair.projections.iter().copied().find(|p| p.instrument == v.instrument && p.indicator == v.indicator),
                        seams: seams(v.instrument),
                    }),
                }
            }
        }
        found
            .into_values()
            .filter(|y| y.series.iter().any(|s| s.points.iter().any(|&(_, v)| v != 0.0)))
            .collect()
    }

    /// The strategic commodities the project tracks (none when the HS extracts have not been imported),
    /// and what the extracts say of this recipient's exports of them, by commodity then benefactor.
    pub fn strategic_exports(&self) -> (&'a [String], Vec<&'a CommodityShare>) {
        let shares = self.strategic_exports.of_recipient(&self.country.iso3).collect();
        (&self.strategic_exports.commodities, shares)
    }

    /// The benefactors at indices `x` and `y` of the run compared like for like here
    /// (`assess::like_for_like`).
    pub fn like_for_like(&self, x: usize, y: usize) -> LikeForLike {
        like_for_like(self.pairs[x].rows, self.pairs[y].rows)
    }

    /// The two levels a chart of the benefactors at `x` and `y` sets side by side, for one instrument or
    /// (None) the overall level: the ratings themselves, or the like-for-like overall levels.
    pub fn compared_levels(&self, x: usize, y: usize, instrument: Option<Instrument>) -> (CurrentLevel, CurrentLevel) {
        match instrument {
            Some(i) => (self.pairs[x].rating(i).current, self.pairs[y].rating(i).current),
            None => {
                let compared = self.like_for_like(x, y);
                (compared.first.current, compared.second.current)
            }
        }
    }

    /// Every source behind this recipient's ratings, sorted.
    pub fn sources(&self) -> Vec<&'a str> {
        distinct_sources(self.pairs.iter().flat_map(|p| p.instruments.iter().chain(std::iter::once(p.overall))))
    }
}

/// The sources behind some ratings, each once, sorted.
fn distinct_sources<'a>(assessments: impl Iterator<Item = &'a Assessment>) -> Vec<&'a str> {
    let mut sources: Vec<&str> = assessments.flat_map(|a| a.sources.iter().map(String::as_str)).collect();
    sources.sort();
    sources.dedup();
    sources
}

impl<'a> PairView<'a> {
    pub fn rating(&self, instrument: Instrument) -> &'a Assessment {
        &self.instruments[Instrument::ALL.iter().position(|&i| i == instrument).unwrap_or(0)]
    }

    /// The rating on one instrument, or (None) the overall rating.
    pub fn rated(&self, instrument: Option<Instrument>) -> &'a Assessment {
        instrument.map_or(self.overall, |i| self.rating(i))
    }

    /// The evidence-log events on one instrument, oldest first (`Indicators::events_for`).
    pub fn events(&self, instrument: Instrument) -> impl Iterator<Item = &'a Event> + 'a {
        self.indicators.events_for(&self.benefactor.iso3, &self.overall.recipient, instrument)
    }

    /// The strongest machine-coded events behind the pair's rating on one instrument, strongest first.
    pub fn event_rows(&self, instrument: Instrument) -> impl Iterator<Item = &'a crate::sources::events::indicators::EventRow> + 'a {
        self.indicators.event_rows_for(&self.benefactor.iso3, &self.overall.recipient, instrument)
    }

    /// The values over the whole window for one instrument, in indicator order.
    pub fn window_values(&self, instrument: Instrument) -> impl Iterator<Item = &'a IndicatorValue> + '_ {
        self.values.iter().copied().filter(move |v| v.instrument == instrument && matches!(v.period, Period::Window(..)))
    }
}

/// Every two of `n` benefactors, as indices (x, y) with x < y, in run order.
pub fn benefactor_pairs(n: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..n).flat_map(move |x| (x + 1..n).map(move |y| (x, y)))
}

/// The name of the benefactor with this ISO-3 code among `benefactors` (the code itself if none).
fn benefactor_name<'a>(benefactors: &'a [Benefactor], iso3: &'a str) -> &'a str {
    benefactors.iter().find(|b| b.iso3 == iso3).map_or(iso3, |b| b.name.as_str())
}

/// Why an instrument was left out of a comparison: `Russia not assessed`, `China and Russia not assessed`.
fn left_out_reason(left_out: &LeftOut, benefactors: &[Benefactor]) -> String {
    let names: Vec<&str> = left_out.not_assessed_for.iter().map(|b| benefactor_name(benefactors, b)).collect();
    format!("{} not assessed", names.join(" and "))
}

/// How a like-for-like comparison was made, in words: `compared on 10 instruments assessed for both;
/// left out: D2 (Russia not assessed), I2 (China not assessed)`.
pub fn compared_on(comparison: &LikeForLike, benefactors: &[Benefactor]) -> String {
    let n = comparison.compared.len();
    let on = format!("compared on {n} instrument{} assessed for both", if n == 1 { "" } else { "s" });
    if comparison.left_out.is_empty() {
        return format!("{on}; none left out");
    }
    let left: Vec<String> =
        comparison.left_out.iter().map(|l| format!("{} ({})", l.instrument.code(), left_out_reason(l, benefactors))).collect();
    format!("{on}; left out: {}", left.join(", "))
}

/// What the overall difference between the benefactors at `x` and `y` leaves out across the scene's
/// recipients, in words for a chart's note: each instrument left out with why and in how many recipients.
pub fn left_out_across(scene: &Scene, x: usize, y: usize) -> String {
    left_out_among(&scene.recipients.iter().collect::<Vec<_>>(), scene.benefactors, x, y)
}

/// `left_out_across` over some recipients only.
pub fn left_out_among(views: &[&RecipientView], benefactors: &[Benefactor], x: usize, y: usize) -> String {
    let mut counts: BTreeMap<(Instrument, String), usize> = BTreeMap::new();
    for view in views {
        for left_out in view.like_for_like(x, y).left_out {
            *counts.entry((left_out.instrument, left_out_reason(&left_out, benefactors))).or_default() += 1;
        }
    }
    let total = views.len();
    let head = "Overall: compared like for like, on the instruments assessed for both in each recipient";
    if counts.is_empty() {
        return format!("{head}; none left out.");
    }
    let left: Vec<String> = counts.iter().map(|((i, why), n)| format!("{} ({why}) in {n} of {total}", i.code())).collect();
    format!("{head}; left out: {}.", left.join(", "))
}

/// An RGB colour, written `#rrggbb` in HTML and SVG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Black or white, whichever reads better on this colour (by relative luminance).
    pub fn ink(self) -> Rgb {
        let luminance = 0.2126 * f64::from(self.0) + 0.7152 * f64::from(self.1) + 0.0722 * f64::from(self.2);
        if luminance > 140.0 {
            Rgb(0, 0, 0)
        } else {
            Rgb(255, 255, 255)
        }
    }

    /// This colour mixed with white; `weight` 1 is the colour itself, 0 is white.
    pub fn tint(self, weight: f64) -> Rgb {
        let mix = |c: u8| (255.0 - (255.0 - f64::from(c)) * weight.clamp(0.0, 1.0)).round() as u8;
        Rgb(mix(self.0), mix(self.1), mix(self.2))
    }
}

/// Levels on viridis, light to dark as influence grows: ordered in lightness, so it reads in greyscale
/// print and for every common form of colour blindness. Unobserved is white (looked, saw nothing); Not
/// assessed is mid grey, drawn hatched or marked `n/a` so the two never look alike.
pub fn level_colour(level: CurrentLevel) -> Rgb {
    match level {
        CurrentLevel::VeryHigh => Rgb(0x44, 0x01, 0x54),
        CurrentLevel::High => Rgb(0x3b, 0x52, 0x8b),
        CurrentLevel::Medium => Rgb(0x21, 0x91, 0x8c),
        CurrentLevel::Low => Rgb(0x5e, 0xc9, 0x62),
        CurrentLevel::VeryLow => Rgb(0xfd, 0xe7, 0x25),
        CurrentLevel::Unobserved => Rgb(0xff, 0xff, 0xff),
        CurrentLevel::NotAssessed => Rgb(0xbd, 0xbd, 0xbd),
    }
}

/// Every level, strongest first: the order of legends.
pub const LEVELS: [CurrentLevel; 7] = [
    CurrentLevel::VeryHigh,
    CurrentLevel::High,
    CurrentLevel::Medium,
    CurrentLevel::Low,
    CurrentLevel::VeryLow,
    CurrentLevel::Unobserved,
    CurrentLevel::NotAssessed,
];

/// The short form printed in chart cells.
pub fn level_abbreviation(level: CurrentLevel) -> &'static str {
    match level {
        CurrentLevel::VeryHigh => "VH",
        CurrentLevel::High => "H",
        CurrentLevel::Medium => "M",
        CurrentLevel::Low => "L",
        CurrentLevel::VeryLow => "VL",
        CurrentLevel::Unobserved => "U",
        CurrentLevel::NotAssessed => "n/a",
    }
}

/// A benefactor's colour, the same in every chart (`datasets/benefactors.csv`).
pub fn benefactor_colour(benefactor: &Benefactor) -> Rgb {
    let [r, g, b] = benefactor.colour;
    Rgb(r, g, b)
}

pub fn region_colour(region: Region) -> Rgb {
    match region {
        Region::Africa => Rgb(0xe6, 0x9f, 0x00),
        Region::LatinAmerica => Rgb(0x56, 0xb4, 0xe9),
        Region::MiddleEast => Rgb(0x00, 0x9e, 0x73),
        Region::SouthAsia => Rgb(0xcc, 0x79, 0xa7),
        Region::SoutheastAsia => Rgb(0x00, 0x72, 0xb2),
        Region::Other => Rgb(0x99, 0x99, 0x99),
    }
}

pub fn trend_arrow(trend: Trend) -> &'static str {
    match trend {
        Trend::Increasing => "↑",
        Trend::Steady => "→",
        Trend::Decreasing => "↓",
        Trend::Uncertain => "~",
        Trend::Unknown => "?",
    }
}

/// A value as a person reads it: integers without decimals, others to three significant decimals.
pub fn format_value(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else if value.abs() >= 100.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.3}")
    }
}

/// An indicator's identifier in words, for chart titles: the projected series by name, any other with
/// its underscores as spaces.
pub fn indicator_words(indicator: &str) -> String {
    match indicator {
        "tiv_delivered" => "major arms delivered".into(),
        "peacekeepers" => "peacekeepers deployed".into(),
        "trade_total" => "bilateral trade".into(),
        "evidence_score" => "weighted evidence-log events".into(),
        crate::sources::events::indicators::RATE => "machine-coded events".into(),
        other => other.replace('_', " "),
    }
}
