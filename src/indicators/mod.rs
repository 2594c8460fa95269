//! Per-instrument indicators, per benefactor × recipient, computed from the derived tables in
//! `datasets/`. Every value names its source, and every source says which pairs and years it covers, so
//! that the assessment can tell "looked and saw nothing" from "nobody looked".

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use polars::prelude::{CsvReadOptions, DataFrame, DataType, Field, PlSmallStr, Schema, SerReader};

use crate::domain::{Benefactor, Country, Instrument};
use crate::domain::evidence::Event;
use crate::sources::{Curated, Inputs, REGISTRY};
use crate::error::{Error, Result};

/// The assessment window: the years whose activity counts for the current rating. The M-DIME reports use
/// 2012 to the present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: i32,
    pub end: i32,
}

impl Window {
    pub fn contains(self, year: i32) -> bool {
        (self.start..=self.end).contains(&year)
    }

    pub fn label(self) -> String {
        format!("{}-{}", self.start, self.end)
    }

    pub fn years(self) -> impl Iterator<Item = i32> {
        self.start..=self.end
    }
}

/// How many years up to the as-of year the current level describes by default. Five: long enough that a
/// source reporting every year or two (event samples, arms deliveries, exercises) has several points in
/// it, short enough that a partnership ended three years ago no longer reads as current. `mdime run
/// --current-years` changes it; `mdime run --sensitivity` and the notes on the choice in README.md
/// show how the ratings move with it.
pub const CURRENT_YEARS: i32 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Period {
    Year(i32),
    Window(i32, i32),
}

impl Period {
    pub fn label(self) -> String {
        match self {
            Period::Year(year) => year.to_string(),
            Period::Window(start, end) => format!("{start}-{end}"),
        }
    }
}

/// One indicator value for one benefactor in one recipient.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorValue {
    pub benefactor: String,
    pub recipient: String,
    pub instrument: Instrument,
    pub indicator: &'static str,
    pub period: Period,
    pub value: f64,
    pub unit: &'static str,
    pub source: String,
    /// Ids of the evidence-log events behind the value (empty for structured sources).
    pub evidence_ids: Vec<String>,
}

/// A source looked at this benefactor × recipient × instrument for these years.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Coverage {
    pub benefactor: String,
    pub recipient: String,
    pub instrument: Instrument,
    pub source: String,
    pub first_year: i32,
    pub last_year: i32,
}

/// What the indicators are computed for.
#[derive(Debug, Clone)]
pub struct Scope<'a> {
    pub benefactors: &'a [Benefactor],
    pub recipients: &'a [&'a Country],
    pub window: Window,
    /// Count the Soviet Union's deliveries as Russia's (for long-run series); off by default.
    pub attribute_ussr_to_russia: bool,
}

/// A yearly marker (value 1) that a pair's series of the instrument changed source in that year without
/// being spliced to the earlier one: the years before it measure something else, and a projection
/// reads the series from it on (`project::backtest::series`).
pub const SEAM: &str = "source_seam";

/// Joins the sources behind one coverage row or value where several combine (`Geo-PKO …; UN
/// peacekeeping contributions …`).
pub const SOURCE_SEPARATOR: &str = "; ";

/// What one source of the registry covers for one benefactor on one instrument: in how many of the
/// recipients, from which year to which (the widest span of its coverage rows).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reach {
    pub benefactor: String,
    pub instrument: Instrument,
    /// The source's name in the registry (`mdime import NAME`).
    pub source: &'static str,
    pub recipients: usize,
    pub first_year: i32,
    pub last_year: i32,
}

impl Reach {
    /// A source's reach, from the coverage rows it computed.
    fn of(source: &'static str, coverage: &[Coverage]) -> Vec<Reach> {
        let mut by_key: BTreeMap<(&str, Instrument), (BTreeSet<&str>, i32, i32)> = BTreeMap::new();
        for c in coverage {
            let entry = by_key.entry((&c.benefactor, c.instrument)).or_insert((Default::default(), c.first_year, c.last_year));
            entry.0.insert(&c.recipient);
            (entry.1, entry.2) = (entry.1.min(c.first_year), entry.2.max(c.last_year));
        }
        by_key
            .into_iter()
            .map(|((benefactor, instrument), (recipients, first_year, last_year))| Reach {
                benefactor: benefactor.to_string(),
                instrument,
                source,
                recipients: recipients.len(),
                first_year,
                last_year,
            })
            .collect()
    }
}

/// Everything `compute` found, with `values` and `coverage` sorted by benefactor, recipient and
/// instrument: the lookups below rely on that order.
#[derive(Debug, Default)]
pub struct Indicators {
    pub values: Vec<IndicatorValue>,
    pub coverage: Vec<Coverage>,
    /// The evidence-log events in scope and dated up to the as-of year, for citations and projections.
    pub events: Vec<Event>,
    /// The strongest machine-coded events behind each pair and instrument in the window, for citations.
    pub event_rows: Vec<crate::sources::events::indicators::EventRow>,
    /// The presence spells and defence agreements in scope, for citations and scheduled events.
    pub presence: Vec<crate::domain::presence::Presence>,
    pub agreements: Vec<crate::domain::presence::Agreement>,
    /// The episodes of hostility in scope that reach into the window.
    pub hostilities: Vec<crate::domain::presence::Hostility>,
    /// The outreach rows in scope (cultural and media outlets, training, ICT cooperation), for citations.
    pub outreach: Vec<crate::domain::outreach::Outreach>,
    /// Each benefactor's share of the recipients' exports of strategic commodities (E3 context).
    pub strategic_exports: crate::sources::commodities::indicators::StrategicExports,
    /// What each source covers per benefactor and instrument, sorted by benefactor, instrument, source.
    pub reach: Vec<Reach>,
}

impl Indicators {
    /// One pair's values on one instrument: a run of `values`, which `compute` sorts by pair and
    /// instrument so that a batch's many lookups need not scan them all.
    fn of(&self, benefactor: &str, recipient: &str, instrument: Instrument) -> &[IndicatorValue] {
        fn key(v: &IndicatorValue) -> (&str, &str, Instrument) {
            (&v.benefactor, &v.recipient, v.instrument)
        }
        run_of(&self.values, key, (benefactor, recipient, instrument))
    }

    /// One indicator's value for a pair over the window, if computed.
    pub fn window(&self, benefactor: &str, recipient: &str, instrument: Instrument, indicator: &str) -> Option<&IndicatorValue> {
        self.of(benefactor, recipient, instrument).iter().find(|v| v.indicator == indicator && matches!(v.period, Period::Window(..)))
    }

    pub fn window_value(&self, benefactor: &str, recipient: &str, instrument: Instrument, indicator: &str) -> Option<f64> {
        self.window(benefactor, recipient, instrument, indicator).map(|v| v.value)
    }

    /// The evidence-log events of one pair and instrument, oldest first: what `explain` and the
    /// reports cite and what the projection weighs as scheduled events.
    pub fn events_for<'a>(&'a self, benefactor: &'a str, recipient: &'a str, instrument: Instrument) -> impl Iterator<Item = &'a Event> + 'a {
        self.events.iter().filter(move |e| e.benefactor == benefactor && e.recipient == recipient && e.instrument == instrument)
    }

    /// The strongest machine-coded events of one pair and instrument, strongest first.
    pub fn event_rows_for<'a>(&'a self, benefactor: &'a str, recipient: &'a str, instrument: Instrument) -> impl Iterator<Item = &'a crate::sources::events::indicators::EventRow> + 'a {
        self.event_rows.iter().filter(move |e| e.benefactor == benefactor && e.recipient == recipient && e.instrument == instrument)
    }

    pub fn sources_covering(&self, benefactor: &str, recipient: &str, instrument: Instrument) -> Vec<&Coverage> {
        fn key(c: &Coverage) -> (&str, &str, Instrument) {
            (&c.benefactor, &c.recipient, c.instrument)
        }
        run_of(&self.coverage, key, (benefactor, recipient, instrument)).iter().collect()
    }

    fn extend(&mut self, other: Indicators) {
        self.values.extend(other.values);
        self.coverage.extend(other.coverage);
        self.events.extend(other.events);
        self.event_rows.extend(other.event_rows);
        self.presence.extend(other.presence);
        self.agreements.extend(other.agreements);
        self.hostilities.extend(other.hostilities);
        self.outreach.extend(other.outreach);
        self.strategic_exports.commodities.extend(other.strategic_exports.commodities);
        self.strategic_exports.shares.extend(other.strategic_exports.shares);
        self.reach.extend(other.reach);
    }

    /// The indicators a run rates and shows: `current`'s values over its window, the coverage and
    /// citations of that window (what the current level rests on), and `history`'s yearly values over
    /// the longer window (what the charts and projections show), and what the sources reach over it.
    pub fn rated_over(history: Indicators, mut current: Indicators) -> Indicators {
        current.reach = history.reach;
        current.values.retain(|v| matches!(v.period, Period::Window(..)));
        current.values.extend(history.values.into_iter().filter(|v| matches!(v.period, Period::Year(_))));
        current.sort();
        current
    }

    fn sort(&mut self) {
        self.values.sort_by(|a, b| {
            (&a.benefactor, &a.recipient, a.instrument, a.indicator, a.period)
                .cmp(&(&b.benefactor, &b.recipient, b.instrument, b.indicator, b.period))
        });
        self.coverage.sort();
        self.reach.sort();
        self.events.sort_by(|a, b| (&a.benefactor, &a.recipient, a.instrument, a.date, &a.id).cmp(&(&b.benefactor, &b.recipient, b.instrument, b.date, &b.id)));
    }
}

/// The run of `items` (sorted by `key`) whose key is `wanted`.
fn run_of<'a, T>(items: &'a [T], key: fn(&T) -> (&str, &str, Instrument), wanted: (&str, &str, Instrument)) -> &'a [T] {
    let start = items.partition_point(|item| key(item) < wanted);
    let len = items[start..].partition_point(|item| key(item) == wanted);
    &items[start..start + len]
}

/// Whether a rubric may name this indicator for this instrument: one a source computes for it.
pub fn is_known(instrument: Instrument, indicator: &str) -> bool {
    known_for(instrument).contains(&indicator)
}

/// The indicators the sources compute for one instrument, in registry order, each once.
pub fn known_for(instrument: Instrument) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for (_, name) in REGISTRY.iter().flat_map(|s| s.indicators()).filter(|(i, _)| *i == instrument) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Computes every indicator of every source from the tables in `datasets` and the curated records, and
/// what each source reaches.
pub fn compute(datasets: &Path, curated: &Curated, scope: &Scope) -> Result<Indicators> {
    let inputs = Inputs { datasets, curated };
    let mut indicators = Indicators::default();
    for source in REGISTRY {
        let mut computed = source.compute(&inputs, scope)?;
        computed.reach = Reach::of(source.about().name, &computed.coverage);
        indicators.extend(computed);
    }
    indicators.sort();
    Ok(indicators)
}

/// The first year of data and the last complete one in the datasets and evidence logs: the span an
/// as-of year and a window may take. The last complete year is the default as-of year: the current year
/// is never complete, and a half-recorded year would read as a fall.
pub fn years_of_data(datasets: &Path, curated: &Curated, current_year: i32) -> Result<(i32, i32)> {
    let (mut first, mut last) = (i32::MAX, i32::MIN);
    for source in REGISTRY {
        if let Some((from, to)) = source.span(datasets)? {
            (first, last) = (first.min(from), last.max(to));
        }
    }
    for year in curated.evidence.iter().map(|e| e.date.year) {
        (first, last) = (first.min(year), last.max(year));
    }
    Ok((first, last.min(current_year - 1)))
}

/// One benefactor × recipient's values from one source: each value and coverage row gets the pair and
/// the source filled in.
pub struct PairValues<'a> {
    pub out: &'a mut Indicators,
    pub benefactor: &'a str,
    pub recipient: &'a str,
    pub source: &'a str,
}

impl PairValues<'_> {
    pub fn push(&mut self, instrument: Instrument, indicator: &'static str, period: Period, value: f64, unit: &'static str) {
        self.out.values.push(IndicatorValue {
            benefactor: self.benefactor.to_string(),
            recipient: self.recipient.to_string(),
            instrument,
            indicator,
            period,
            value: round6(value),
            unit,
            source: self.source.to_string(),
            evidence_ids: Vec::new(),
        });
    }

    /// The source looked at the pair's instrument over these years.
    pub fn cover(&mut self, instrument: Instrument, first_year: i32, last_year: i32) {
        self.out.coverage.push(Coverage {
            benefactor: self.benefactor.to_string(),
            recipient: self.recipient.to_string(),
            instrument,
            source: self.source.to_string(),
            first_year,
            last_year,
        });
    }

    /// A yearly series of counts (events, projects): each year's value and, over the years given, the
    /// total, and where asked the mean per year and the number of years with any.
    pub fn counts(&mut self, instrument: Instrument, series: &[(i32, f64)], names: Counted) {
        let (Some(first), Some(last)) = (series.first(), series.last()) else { return };
        let window = Period::Window(first.0, last.0);
        for &(year, value) in series {
            self.push(instrument, names.name, Period::Year(year), value, names.unit);
        }
        let total: f64 = series.iter().map(|(_, v)| v).sum();
        self.push(instrument, names.name, window, total, names.unit);
        if let Some((name, unit)) = names.per_year {
            self.push(instrument, name, window, total / series.len() as f64, unit);
        }
        if let Some(name) = names.years_with {
            self.push(instrument, name, window, series.iter().filter(|(_, v)| *v > 0.0).count() as f64, "years");
        }
    }

    /// A yearly series of what stands in place (spells of presence, agreements in force, outlets open):
    /// each year's value, and as the window's value their mean over the window's years (influence that
    /// stands builds with its duration), but no more than what still stands in the as-of year. A spell
    /// that ended no longer acts, however long it stood: on the mean alone France's forces, gone from
    /// Niger in December 2023, would still stand there at battalion strength in 2024.
    pub fn standing(&mut self, instrument: Instrument, series: &[(i32, f64)], name: &'static str, unit: &'static str) {
        self.years_and_window(instrument, series, name, unit, f64::min);
    }

    /// A proxy's yearly stock over the years a source records for the pair in the window (students
    /// from the recipient in the benefactor): `levels` under `(name, unit)`, the number of those years
    /// with a non-zero value under `years_with`, and the pair covered from the first of the years to the
    /// last. Years the source does not record are left out of the series, not counted as 0; an empty
    /// series adds nothing, so the pair stays Not assessed.
    pub fn recorded_levels(&mut self, instrument: Instrument, series: &[(i32, f64)], (name, unit): (&'static str, &'static str), years_with: &'static str) {
        let (Some(first), Some(last)) = (series.first(), series.last()) else { return };
        self.levels(instrument, series, name, unit);
        let with = series.iter().filter(|(_, v)| *v > 0.0).count() as f64;
        self.push(instrument, years_with, Period::Window(first.0, last.0), with, "years");
        self.cover(instrument, first.0, last.0);
    }

    /// A yearly series of levels (a stock, such as students enrolled): each year's value and their mean
    /// over the years given, under the same name.
    pub fn levels(&mut self, instrument: Instrument, series: &[(i32, f64)], name: &'static str, unit: &'static str) {
        self.years_and_window(instrument, series, name, unit, |mean, _| mean);
    }

    /// Each year's value of `series`, and as the window's value `window(mean, last year's value)`.
    fn years_and_window(&mut self, instrument: Instrument, series: &[(i32, f64)], name: &'static str, unit: &'static str, window: fn(f64, f64) -> f64) {
        let (Some(first), Some(last)) = (series.first(), series.last()) else { return };
        for &(year, value) in series {
            self.push(instrument, name, Period::Year(year), value, unit);
        }
        let mean = series.iter().map(|(_, v)| v).sum::<f64>() / series.len() as f64;
        self.push(instrument, name, Period::Window(first.0, last.0), window(mean, last.1), unit);
    }
}

/// The names of what `PairValues::counts` computes.
#[derive(Debug, Clone, Copy)]
pub struct Counted {
    pub name: &'static str,
    pub unit: &'static str,
    /// The mean per year over the years with figures, and its unit.
    pub per_year: Option<(&'static str, &'static str)>,
    /// The number of years with a non-zero value.
    pub years_with: Option<&'static str>,
}

impl Counted {
    pub const fn plain(name: &'static str, unit: &'static str) -> Counted {
        Counted { name, unit, per_year: None, years_with: None }
    }
}

/// Six decimals: enough for every unit used, and no trace of floating-point summation order. Adding 0
/// turns the −0 of an empty sum into 0.
pub fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6 + 0.0
}

/// Reads a derived table: only `columns` (every column when empty), with the types `types` and the rest
/// as strings. A table that does not parse (edited by hand, cut short) is named in the error.
pub(crate) fn read_table(table: &Path, columns: &[&str], types: &[(&str, DataType)]) -> Result<DataFrame> {
    let schema = Schema::from_iter(types.iter().map(|(name, kind)| Field::new((*name).into(), kind.clone())));
    let mut options = CsvReadOptions::default().with_has_header(true).with_infer_schema_length(Some(0)).with_schema_overwrite(Some(Arc::new(schema)));
    if !columns.is_empty() {
        options = options.with_columns(Some(columns.iter().map(|c| PlSmallStr::from(*c)).collect()));
    }
    options
        .try_into_reader_with_file_path(Some(table.to_path_buf()))
        .and_then(|reader| reader.finish())
        .map_err(|e| Error::Format { path: table.to_path_buf(), message: format!("{e}; re-run the import that derives it") })
}
