//! The run's tables for other analysts: `indicators.csv`, `assessments.csv`, `coverage.csv`,
//! `projections.csv` and the optional ones, each also as Parquet on request (`parquet`), and the run's
//! `manifest.json` (`manifest`). Column names, types and meanings are documented in `reports/README.md`.

pub mod manifest;
pub mod parquet;

use serde::Serialize;

use crate::assess::Assessment;
use crate::domain::CountryTable;
use crate::error::Result;
use crate::indicators::{Indicators, Period};

pub const INDICATORS_CSV: &str = "indicators.csv";
pub const ASSESSMENTS_CSV: &str = "assessments.csv";
pub const COVERAGE_CSV: &str = "coverage.csv";
pub const REACH_CSV: &str = "reach.csv";
pub const SENSITIVITY_CSV: &str = "sensitivity.csv";
pub const PROJECTIONS_CSV: &str = "projections.csv";
pub const BACKTEST_CSV: &str = "backtest.csv";
pub const BACKTEST_SUMMARY_CSV: &str = "backtest-summary.csv";

/// The type of a table's column, as Parquet stores it. In the CSV an empty field of a number or a flag
/// is a missing value (null in Parquet); an empty text is an empty string in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// UTF-8 text.
    Text,
    /// 64-bit signed integer (years, counts, ranks).
    Integer,
    /// 64-bit float.
    Real,
    /// `true` or `false`.
    Flag,
}

impl Kind {
    /// The name `reports/README.md` uses.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Integer => "integer",
            Kind::Real => "real",
            Kind::Flag => "boolean",
        }
    }
}

/// One output table: its CSV, and the name and type of each column in order, from which its Parquet
/// copy is made.
#[derive(Debug, Clone)]
pub struct Table {
    /// The CSV file's name (`assessments.csv`); the Parquet file has the same stem.
    pub file: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    pub csv: Vec<u8>,
}

impl Table {
    /// A table from its rows' CSV; with no rows, the header alone, so that an empty table still says
    /// what it would hold (and its Parquet copy has the columns).
    pub fn new(file: &'static str, columns: &'static [(&'static str, Kind)], csv: Vec<u8>) -> Table {
        let header = || format!("{}\n", columns.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(",")).into_bytes();
        let csv = if csv.is_empty() { header() } else { csv };
        Table { file, columns, csv }
    }

    pub fn parquet_file(&self) -> String {
        self.file.strip_suffix(".csv").unwrap_or(self.file).to_string() + ".parquet"
    }

    /// The table in the chosen formats: (file name, bytes), CSV first.
    pub fn into_files(self, csv: bool, parquet: bool) -> Result<Vec<(String, Vec<u8>)>> {
        let parquet = if parquet { Some((self.parquet_file(), parquet::from_csv(&self)?)) } else { None };
        let csv = csv.then(|| (self.file.to_string(), self.csv));
        Ok(csv.into_iter().chain(parquet).collect())
    }
}

/// The tables of a run: indicators, assessments, coverage, projections, and sensitivity when it was
/// computed.
pub fn run_tables(evaluation: &crate::Evaluation) -> Result<Vec<Table>> {
    let mut tables = vec![
        Table::new(INDICATORS_CSV, INDICATOR_COLUMNS, indicators_csv(&evaluation.indicators)?),
        Table::new(ASSESSMENTS_CSV, ASSESSMENT_COLUMNS, assessments_csv(&evaluation.assessments)?),
        Table::new(COVERAGE_CSV, COVERAGE_COLUMNS, coverage_csv(&evaluation.indicators)?),
        Table::new(REACH_CSV, REACH_COLUMNS, reach_csv(&evaluation.indicators)?),
        Table::new(PROJECTIONS_CSV, PROJECTION_COLUMNS, projections_csv(&evaluation.projections)?),
    ];
    if !evaluation.indicators.strategic_exports.commodities.is_empty() {
        tables.push(Table::new(COMMODITIES_CSV, COMMODITY_COLUMNS, commodities_csv(&evaluation.indicators.strategic_exports.shares)?));
    }
    if let Some(sensitivity) = &evaluation.sensitivity {
        tables.push(Table::new(SENSITIVITY_CSV, SENSITIVITY_COLUMNS, sensitivity_csv(&evaluation.assessments, sensitivity)?));
    }
    if !evaluation.groups.is_empty() {
        tables.push(Table::new(GROUPS_CSV, GROUP_COLUMNS, groups_csv(&evaluation.groups)?));
        tables.push(Table::new(GROUP_TOTALS_CSV, GROUP_TOTAL_COLUMNS, group_totals_csv(&evaluation.groups)?));
    }
    Ok(tables)
}

pub const GROUP_COLUMNS: &[(&str, Kind)] = &[
    ("group", Text),
    ("as_of", Text),
    ("members", Integer),
    ("benefactor", Text),
    ("instrument", Text),
    ("assessed", Integer),
    ("leads", Integer),
    ("ties", Integer),
];

pub const GROUP_TOTAL_COLUMNS: &[(&str, Kind)] = &[
    ("group", Text),
    ("as_of", Text),
    ("benefactor", Text),
    ("instrument", Text),
    ("indicator", Text),
    ("value", Real),
    ("unit", Text),
    ("members_with_data", Integer),
];

/// The tables of `mdime backtest`.
pub fn backtest_tables(cases: &[crate::project::backtest::Case], skill: &[crate::project::backtest::Skill]) -> Result<Vec<Table>> {
    Ok(vec![
        Table::new(BACKTEST_CSV, BACKTEST_COLUMNS, backtest_csv(cases)?),
        Table::new(BACKTEST_SUMMARY_CSV, BACKTEST_SUMMARY_COLUMNS, backtest_summary_csv(skill)?),
    ])
}

use Kind::{Flag, Integer, Real, Text};

pub const INDICATOR_COLUMNS: &[(&str, Kind)] = &[
    ("benefactor", Text),
    ("recipient", Text),
    ("iso3", Text),
    ("instrument", Text),
    ("indicator", Text),
    ("period", Text),
    ("first_year", Integer),
    ("last_year", Integer),
    ("value", Real),
    ("unit", Text),
    ("source", Text),
    ("evidence_ids", Text),
];

pub const ASSESSMENT_COLUMNS: &[(&str, Kind)] = &[
    ("benefactor", Text),
    ("recipient", Text),
    ("iso3", Text),
    ("region", Text),
    ("instrument", Text),
    ("instrument_name", Text),
    ("current", Text),
    ("projected", Text),
    ("confidence", Text),
    ("score", Real),
    ("score_indicator", Text),
    ("level_score", Real),
    ("evidence_count", Integer),
    ("drivers", Text),
    ("sources", Text),
    ("evidence_ids", Text),
    ("hostilities", Text),
];

pub const COVERAGE_COLUMNS: &[(&str, Kind)] =
    &[("benefactor", Text), ("iso3", Text), ("instrument", Text), ("source", Text), ("first_year", Integer), ("last_year", Integer)];

pub const SENSITIVITY_COLUMNS: &[(&str, Kind)] = &[
    ("benefactor", Text),
    ("iso3", Text),
    ("instrument", Text),
    ("current", Text),
    ("thresholds_minus_20pct", Text),
    ("thresholds_plus_20pct", Text),
    ("stable", Flag),
];

pub const PROJECTION_COLUMNS: &[(&str, Kind)] = &[
    ("benefactor", Text),
    ("recipient", Text),
    ("iso3", Text),
    ("instrument", Text),
    ("indicator", Text),
    ("base_year", Integer),
    ("horizon_year", Integer),
    ("base_value", Real),
    ("projected_value", Real),
    ("lower", Real),
    ("upper", Real),
    ("slope", Real),
    ("p_value", Real),
    ("direction", Text),
    ("p_decreasing", Real),
    ("p_steady", Real),
    ("p_increasing", Real),
    ("method", Text),
    ("features", Text),
    ("events", Text),
];

pub const BACKTEST_COLUMNS: &[(&str, Kind)] = &[
    ("benefactor", Text),
    ("iso3", Text),
    ("instrument", Text),
    ("indicator", Text),
    ("as_of", Integer),
    ("base_mean", Real),
    ("outcome_mean", Real),
    ("actual", Text),
    ("model", Text),
    ("method", Text),
    ("p_decreasing", Real),
    ("p_steady", Real),
    ("p_increasing", Real),
    ("projected", Real),
    ("lower", Real),
    ("upper", Real),
    ("in_interval", Flag),
    ("rule", Text),
    ("reversion", Text),
    ("pooled", Text),
    ("persistence", Text),
    ("naive_linear", Text),
    ("climatology", Text),
    ("climatology_decreasing", Real),
    ("climatology_steady", Real),
    ("climatology_increasing", Real),
];

/// `backtest-summary.csv`: every forecaster's accuracy, balanced accuracy and ranked probability score,
/// in the order `backtest_summary_csv` writes them.
pub const BACKTEST_SUMMARY_COLUMNS: &[(&str, Kind)] = &[
    ("instrument", Text),
    ("cases", Integer),
    ("first_as_of", Integer),
    ("last_as_of", Integer),
    ("method_accuracy", Real),
    ("method_balanced_accuracy", Real),
    ("method_rps", Real),
    ("rule_accuracy", Real),
    ("rule_balanced_accuracy", Real),
    ("rule_rps", Real),
    ("reversion_accuracy", Real),
    ("reversion_balanced_accuracy", Real),
    ("reversion_rps", Real),
    ("pooled_accuracy", Real),
    ("pooled_balanced_accuracy", Real),
    ("pooled_rps", Real),
    ("persistence_accuracy", Real),
    ("persistence_balanced_accuracy", Real),
    ("persistence_rps", Real),
    ("naive_linear_accuracy", Real),
    ("naive_linear_balanced_accuracy", Real),
    ("naive_linear_rps", Real),
    ("climatology_accuracy", Real),
    ("climatology_balanced_accuracy", Real),
    ("climatology_rps", Real),
    ("method_unknown_share", Real),
    ("intervals", Integer),
    ("interval_80_coverage", Real),
];

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
    level_score: Option<f64>,
    evidence_count: usize,
    drivers: String,
    sources: String,
    evidence_ids: String,
    hostilities: String,
}

/// `reach.csv`: per benefactor, instrument and source, the recipients and years the source covers over
/// the run's whole window.
pub const REACH_COLUMNS: &[(&str, Kind)] =
    &[("benefactor", Text), ("instrument", Text), ("source", Text), ("recipients", Integer), ("first_year", Integer), ("last_year", Integer)];

#[derive(Serialize)]
struct ReachRow<'a> {
    benefactor: &'a str,
    instrument: &'a str,
    source: &'a str,
    recipients: usize,
    first_year: i32,
    last_year: i32,
}

pub fn reach_csv(indicators: &Indicators) -> Result<Vec<u8>> {
    crate::artefact::csv_bytes(indicators.reach.iter().map(|r| ReachRow {
        benefactor: CountryTable::builtin().name_of(&r.benefactor),
        instrument: r.instrument.code(),
        source: r.source,
        recipients: r.recipients,
        first_year: r.first_year,
        last_year: r.last_year,
    }))
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
        level_score: a.level_score.map(crate::indicators::round6),
        evidence_count: a.evidence_count,
        drivers: a.drivers.iter().map(|d| d.code()).collect::<Vec<_>>().join(" "),
        sources: a.sources.join("; "),
        evidence_ids: a.evidence_ids.join(" "),
        hostilities: a.hostilities.join("; "),
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

pub const COMMODITIES_CSV: &str = "commodities.csv";

pub const COMMODITY_COLUMNS: &[(&str, Kind)] = &[
    ("benefactor", Text),
    ("recipient", Text),
    ("iso3", Text),
    ("commodity", Text),
    ("year", Integer),
    ("hs_codes", Text),
    ("exports_to_benefactor_usd", Real),
    ("recipient_exports_usd", Real),
    ("share", Real),
    ("share_below", Real),
    ("status", Text),
    ("buyers_listed", Text),
    ("source_file", Text),
];

#[derive(Serialize)]
struct CommodityRow<'a> {
    benefactor: &'a str,
    recipient: &'a str,
    iso3: &'a str,
    commodity: &'a str,
    year: i32,
    hs_codes: &'a str,
    exports_to_benefactor_usd: Option<f64>,
    recipient_exports_usd: Option<f64>,
    share: Option<f64>,
    share_below: Option<f64>,
    status: &'static str,
    buyers_listed: &'a str,
    source_file: &'a str,
}

/// Each benefactor's share of each recipient's exports of the strategic commodities an extract reaches.
pub fn commodities_csv(shares: &[crate::sources::commodities::indicators::CommodityShare]) -> Result<Vec<u8>> {
    crate::artefact::csv_bytes(shares.iter().map(|s| CommodityRow {
        benefactor: CountryTable::builtin().name_of(&s.benefactor),
        recipient: CountryTable::builtin().name_of(&s.recipient),
        iso3: &s.recipient,
        commodity: &s.commodity,
        year: s.year,
        hs_codes: &s.hs_codes,
        exports_to_benefactor_usd: s.exports_to_benefactor_usd,
        recipient_exports_usd: s.recipient_exports_usd,
        share: s.share,
        share_below: s.share_below,
        status: s.status.label(),
        buyers_listed: &s.buyers_listed,
        source_file: &s.source_file,
    }))
}

pub const GROUPS_CSV: &str = "groups.csv";
pub const GROUP_TOTALS_CSV: &str = "group-totals.csv";

#[derive(Serialize)]
struct GroupLeadRow<'a> {
    group: &'a str,
    as_of: String,
    members: usize,
    benefactor: &'a str,
    instrument: &'a str,
    assessed: usize,
    leads: usize,
    ties: usize,
}

#[derive(Serialize)]
struct GroupTotalRow<'a> {
    group: &'a str,
    as_of: String,
    benefactor: &'a str,
    instrument: &'a str,
    indicator: &'a str,
    value: f64,
    unit: &'a str,
    members_with_data: usize,
}

fn day_label((year, month, day): crate::domain::Day) -> String {
    format!("{year}-{month:02}-{day:02}")
}

/// Per group, benefactor and instrument (then `overall`): on how many of the group's members the
/// benefactor leads, ties for the lead, and is assessed at all.
pub fn groups_csv(groups: &[crate::assess::groups::GroupSummary]) -> Result<Vec<u8>> {
    crate::artefact::csv_bytes(groups.iter().flat_map(|g| {
        g.leads.iter().map(move |l| GroupLeadRow {
            group: &g.group.code,
            as_of: day_label(g.group.day),
            members: g.assessed_members.len(),
            benefactor: CountryTable::builtin().name_of(&l.benefactor),
            instrument: l.instrument.map_or("overall", |i| i.code()),
            assessed: l.assessed,
            leads: l.leads,
            ties: l.ties,
        })
    }))
}

/// Per group and benefactor, the quantities that add up across members, summed over the window.
pub fn group_totals_csv(groups: &[crate::assess::groups::GroupSummary]) -> Result<Vec<u8>> {
    crate::artefact::csv_bytes(groups.iter().flat_map(|g| {
        g.totals.iter().map(move |t| GroupTotalRow {
            group: &g.group.code,
            as_of: day_label(g.group.day),
            benefactor: CountryTable::builtin().name_of(&t.benefactor),
            instrument: t.instrument.code(),
            indicator: t.indicator,
            value: t.value,
            unit: t.unit,
            members_with_data: t.members_with_data,
        })
    }))
}
