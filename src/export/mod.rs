//! The run's tables for other analysts: `indicators.csv`, `assessments.csv` and `coverage.csv`.
//! Column names and meanings are documented in `reports/README.md`.

use serde::Serialize;

use crate::assess::Assessment;
use crate::domain::CountryTable;
use crate::error::Result;
use crate::indicators::{Indicators, Period};

pub const INDICATORS_CSV: &str = "indicators.csv";
pub const ASSESSMENTS_CSV: &str = "assessments.csv";
pub const COVERAGE_CSV: &str = "coverage.csv";
pub const SENSITIVITY_CSV: &str = "sensitivity.csv";
pub const PROJECTIONS_CSV: &str = "projections.csv";
pub const BACKTEST_CSV: &str = "backtest.csv";
pub const BACKTEST_SUMMARY_CSV: &str = "backtest-summary.csv";

#[derive(Serialize)]
struct IndicatorRow<'a> {
    benefactor: &'a str,
    recipient: &'a str,
    iso3: &'a str,
    instrument: &'a str,
    indicator: &'a str,
    period: &'a str,
    first_year: i32,
    last_year: i32,
    value: f64,
    unit: &'a str,
    source: &'a str,
    evidence_ids: String,
}

#[derive(Serialize)]
struct AssessmentRow<'a> {
    benefactor: &'a str,
    recipient: &'a str,
    iso3: &'a str,
    region: &'a str,
    instrument: &'a str,
    instrument_name: &'a str,
    current: &'a str,
    projected: &'a str,
    confidence: &'a str,
    score: Option<f64>,
    score_indicator: &'a str,
    evidence_count: usize,
    drivers: String,
    sources: String,
    evidence_ids: String,
}

#[derive(Serialize)]
struct CoverageRow<'a> {
    benefactor: &'a str,
    iso3: &'a str,
    instrument: &'a str,
    source: &'a str,
    first_year: i32,
    last_year: i32,
}

pub fn indicators_csv(indicators: &Indicators) -> Result<Vec<u8>> {
    crate::artefact::csv_bytes(indicators.values.iter().map(|v| {
        let (period, first_year, last_year) = match v.period {
            Period::Year(y) => ("year", y, y),
            Period::Window(a, b) => ("window", a, b),
        };
        IndicatorRow {
            benefactor: CountryTable::builtin().name_of(&v.benefactor),
            recipient: CountryTable::builtin().name_of(&v.recipient),
            iso3: &v.recipient,
            instrument: v.instrument.code(),
            indicator: v.indicator,
            period,
            first_year,
            last_year,
            value: v.value,
            unit: v.unit,
            source: &v.source,
            evidence_ids: v.evidence_ids.join(" "),
        }
    }))
}

pub fn assessments_csv(assessments: &[Assessment]) -> Result<Vec<u8>> {
    let countries = CountryTable::builtin();
    crate::artefact::csv_bytes(assessments.iter().map(|a| AssessmentRow {
        benefactor: CountryTable::builtin().name_of(&a.benefactor),
        recipient: CountryTable::builtin().name_of(&a.recipient),
        iso3: &a.recipient,
        region: countries.country(&a.recipient).map_or("", |c| c.region.label()),
        instrument: a.instrument.map_or("overall", |i| i.code()),
        instrument_name: a.instrument.map_or("Overall", |i| i.name()),
        current: a.current.label(),
        projected: a.projected.label(),
        confidence: a.confidence.label(),
        score: a.score,
        score_indicator: &a.score_indicator,
        evidence_count: a.evidence_count,
        drivers: a.drivers.iter().map(|d| d.code()).collect::<Vec<_>>().join(" "),
        sources: a.sources.join("; "),
        evidence_ids: a.evidence_ids.join(" "),
    }))
}

pub fn coverage_csv(indicators: &Indicators) -> Result<Vec<u8>> {
    crate::artefact::csv_bytes(indicators.coverage.iter().map(|c| CoverageRow {
        benefactor: CountryTable::builtin().name_of(&c.benefactor),
        iso3: &c.recipient,
        instrument: c.instrument.code(),
        source: &c.source,
        first_year: c.first_year,
        last_year: c.last_year,
    }))
}

#[derive(Serialize)]
struct SensitivityRow<'a> {
    benefactor: &'a str,
    iso3: &'a str,
    instrument: &'a str,
    current: &'a str,
    thresholds_minus_20pct: &'a str,
    thresholds_plus_20pct: &'a str,
    stable: bool,
}

pub fn sensitivity_csv(assessments: &[Assessment], sensitivity: &[crate::assess::Sensitivity]) -> Result<Vec<u8>> {
    crate::artefact::csv_bytes(assessments.iter().zip(sensitivity).map(|(a, s)| SensitivityRow {
        benefactor: CountryTable::builtin().name_of(&a.benefactor),
        iso3: &a.recipient,
        instrument: a.instrument.map_or("overall", |i| i.code()),
        current: a.current.label(),
        thresholds_minus_20pct: s.lower_thresholds.label(),
        thresholds_plus_20pct: s.higher_thresholds.label(),
        stable: s.is_stable(a.current),
    }))
}

#[derive(Serialize)]
struct ProjectionRow<'a> {
    benefactor: &'a str,
    recipient: &'a str,
    iso3: &'a str,
    instrument: &'a str,
    indicator: &'a str,
    base_year: i32,
    horizon_year: i32,
    base_value: f64,
    projected_value: Option<f64>,
    lower: Option<f64>,
    upper: Option<f64>,
    slope: Option<f64>,
    p_value: Option<f64>,
    direction: &'a str,
    p_decreasing: Option<f64>,
    p_steady: Option<f64>,
    p_increasing: Option<f64>,
    method: &'a str,
    features: String,
    events: String,
}

pub fn projections_csv(projections: &[crate::project::Projection]) -> Result<Vec<u8>> {
    let round = |x: Option<f64>| x.map(crate::indicators::round6);
    let p_of = |p: &crate::project::Projection, k: usize| p.probabilities.map(|q| (q[k] * 1e4).round() / 1e4);
    crate::artefact::csv_bytes(projections.iter().map(|p| ProjectionRow {
        benefactor: CountryTable::builtin().name_of(&p.benefactor),
        recipient: CountryTable::builtin().name_of(&p.recipient),
        iso3: &p.recipient,
        instrument: p.instrument.code(),
        indicator: p.indicator,
        base_year: p.base_year,
        horizon_year: p.horizon_year,
        base_value: crate::indicators::round6(p.trend.base),
        projected_value: round(p.trend.value),
        lower: round(p.trend.lower),
        upper: round(p.trend.upper),
        slope: round(p.trend.slope),
        p_value: round(p.trend.p_value),
        direction: p.direction.label(),
        p_decreasing: p_of(p, 0),
        p_steady: p_of(p, 1),
        p_increasing: p_of(p, 2),
        method: p.method,
        features: crate::project::model::describe(&p.drivers),
        events: p.events.join(" "),
    }))
}

#[derive(Serialize)]
struct CaseRow<'a> {
    benefactor: &'a str,
    iso3: &'a str,
    instrument: &'a str,
    indicator: &'a str,
    as_of: i32,
    base_mean: f64,
    outcome_mean: f64,
    actual: &'a str,
    model: &'a str,
    method: &'a str,
    p_decreasing: f64,
    p_steady: f64,
    p_increasing: f64,
    projected: Option<f64>,
    lower: Option<f64>,
    upper: Option<f64>,
    in_interval: Option<bool>,
    rule: &'a str,
    reversion: &'a str,
    pooled: &'a str,
    persistence: &'a str,
    naive_linear: &'a str,
    climatology: &'a str,
    climatology_decreasing: f64,
    climatology_steady: f64,
    climatology_increasing: f64,
}

pub fn backtest_csv(cases: &[crate::project::backtest::Case]) -> Result<Vec<u8>> {
    let r4 = |x: f64| (x * 1e4).round() / 1e4;
    let round = |x: Option<f64>| x.map(crate::indicators::round6);
    crate::artefact::csv_bytes(cases.iter().map(|c| CaseRow {
        benefactor: CountryTable::builtin().name_of(&c.subject.benefactor),
        iso3: &c.subject.recipient,
        instrument: c.subject.instrument.code(),
        indicator: c.subject.indicator,
        as_of: c.as_of,
        base_mean: crate::indicators::round6(c.situation.base),
        outcome_mean: crate::indicators::round6(c.outcome_mean),
        actual: c.actual.label(),
        model: c.chosen.code(),
        method: c.method.direction.label(),
        p_decreasing: r4(c.method.probabilities[0]),
        p_steady: r4(c.method.probabilities[1]),
        p_increasing: r4(c.method.probabilities[2]),
        projected: round(c.method.value),
        lower: round(c.interval.map(|i| i.0)),
        upper: round(c.interval.map(|i| i.1)),
        in_interval: c.in_interval(),
        rule: c.candidates[0].direction.label(),
        reversion: c.candidates[1].direction.label(),
        pooled: c.candidates[2].direction.label(),
        persistence: c.persistence.label(),
        naive_linear: c.naive.label(),
        climatology: c.climatology_direction().label(),
        climatology_decreasing: r4(c.climatology[0]),
        climatology_steady: r4(c.climatology[1]),
        climatology_increasing: r4(c.climatology[2]),
    }))
}

/// One row of `backtest-summary.csv`; every forecaster's three scores under its prefix.
pub fn backtest_summary_csv(skill: &[crate::project::backtest::Skill]) -> Result<Vec<u8>> {
    use crate::project::backtest::{Candidate, Score};
    let r = |x: f64| format!("{}", (x * 1e4).round() / 1e4);
    let mut header = vec!["instrument".to_string(), "cases".into(), "first_as_of".into(), "last_as_of".into()];
    let forecasters: Vec<&str> =
        ["method"].into_iter().chain(Candidate::ALL.iter().map(|c| c.code())).chain(["persistence", "naive_linear", "climatology"]).collect();
    for f in &forecasters {
        header.extend(["accuracy", "balanced_accuracy", "rps"].map(|m| format!("{f}_{m}")));
    }
    header.extend(["method_unknown_share".into(), "intervals".into(), "interval_80_coverage".into()]);
    let rows = skill.iter().map(|s| {
        let scores: Vec<&Score> =
            std::iter::once(&s.method).chain(&s.candidates).chain([&s.persistence, &s.naive, &s.climatology]).collect();
        let mut row = vec![
            s.instrument.map_or("all".to_string(), |i| i.code().to_string()),
            s.cases.to_string(),
            s.first_as_of.to_string(),
            s.last_as_of.to_string(),
        ];
        for score in scores {
            row.extend([r(score.accuracy), r(score.balanced), r(score.rps)]);
        }
        row.extend([r(s.method_unknown_share), s.intervals.to_string(), r(s.interval_coverage)]);
        row
    });
    crate::artefact::csv_bytes(std::iter::once(header).chain(rows))
}
