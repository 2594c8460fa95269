//! Every instrument the CAMEO table counts for, from machine-coded event data (`datasets/events.csv`,
//! `mdime import events`): the benefactor's events with the recipient, weighted by the act, per 30 days the
//! sources cover.
//!
//! A pair is covered in a year when the year's sources cover at least `MIN_COVERED_DAYS` days and name
//! both countries at all (`event_coverage.csv`): a recipient seen, with no event between it and the
//! benefactor, is looked at and found quiet (Unobserved); one the sources never name (a small state a
//! benchmark subset left out) is not looked at. The window's rate pools its covered years: Σ rate × days /
//! Σ days. Counts measure reporting as well as activity, so the assessment lets them move a level set by
//! the datasets and evidence logs by one step at most (`assess`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use polars::prelude::*;

use crate::indicators::{Indicators, PairValues, Period, Scope};
use crate::domain::Instrument;
use crate::error::Result;
use super::reader as table;

/// A year counts only when its sources cover at least this many days: a single GDELT update (a 96th of a
/// day) cannot stand for a year.
pub const MIN_COVERED_DAYS: f64 = 30.0;
/// How many of the strongest events behind each rating `explain` and the reports list.
pub const STRONGEST: usize = 5;
/// How the coverage and values name the source, followed by its years.
pub const SOURCE_LABEL: &str = "Machine-coded events (ICEWS, GDELT), datasets/events.csv";

pub const RATE: &str = "event_rate";
const RATE_UNIT: &str = "weighted events per 30 covered days";
/// The pair's weighted events per thousand records that name the recipient in the year's sources: a
/// share, so that a year read from a smaller sample (a benchmark subset, a GDELT extract) compares with
/// one read from a larger. Yearly only; projected by the trend rule (`project::SERIES`).
pub const SHARE: &str = "event_share";
const SHARE_UNIT: &str = "weighted events per 1,000 records naming the recipient";

/// The instruments the shipped CAMEO table counts for; the table's own list, as imported, decides which
/// a run covers.
pub const INSTRUMENTS: [Instrument; 8] = [Instrument::D1, Instrument::D3, Instrument::I3, Instrument::M1, Instrument::M2, Instrument::M3, Instrument::E1, Instrument::E3];

/// The rate each instrument the shipped CAMEO table counts for gets from `events.csv`, as
/// `indicators::TABLES` lists a table's indicators.
pub const INDICATORS: &[(Instrument, &str)] = &[
    (Instrument::D1, RATE),
    (Instrument::D3, RATE),
    (Instrument::I3, RATE),
    (Instrument::M1, RATE),
    (Instrument::M2, RATE),
    (Instrument::M3, RATE),
    (Instrument::E1, RATE),
    (Instrument::E3, RATE),
];

/// The indicators, for every instrument the event data can cover (the rubric may name them for any).
pub const INDICATOR_NAMES: [&str; 6] = [RATE, SHARE, "events", "weighted_events", "covered_days", "years_with_events"];

/// Whether a coverage row or a value comes from the event data.
pub fn is_source(source: &str) -> bool {
    source.starts_with(SOURCE_LABEL)
}

/// One event behind a rating, as `explain` and the reports cite it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    pub benefactor: String,
    pub recipient: String,
    pub instrument: Instrument,
    pub date: String,
    pub code: String,
    pub weight: f64,
    pub source_actor: String,
    pub target_actor: String,
    pub text: String,
    pub url: String,
    pub file: String,
    pub line: usize,
    /// Records of the event in the sources (reports of the same actors, act and day).
    pub records: usize,
}

impl EventRow {
    /// `2018-06-01 042 Xi Jinping → Vladimir Putin: Make a visit (ICEWS18.zip train.txt:5)`.
    pub fn describe(&self) -> String {
        let text = if self.text.is_empty() { String::new() } else { format!(": {}", self.text) };
        format!("{} {} {} → {}{text}", self.date, self.code, self.source_actor, self.target_actor)
    }

    pub fn place(&self) -> String {
        format!("{}, line {}", self.file, self.line)
    }
}

/// The year's sources: days covered, the countries they name, the benefactors and instruments imported.
#[derive(Debug, Default)]
struct Year {
    days: f64,
    /// The countries the sources name, with how many records name each.
    seen: BTreeMap<String, f64>,
    benefactors: BTreeSet<String>,
    instruments: BTreeSet<Instrument>,
}

pub fn compute(datasets: &Path, scope: &Scope) -> Result<Indicators> {
    let mut out = Indicators::default();
    let Some((events_path, coverage_path, _)) = table::find_tables(datasets)? else { return Ok(out) };
    let years = coverage(&coverage_path, scope)?;
    if years.is_empty() {
        return Ok(out);
    }
    let yearly = counts(&events_path)?;
    for benefactor in scope.benefactors {
        for recipient in scope.recipients {
            let (b, r) = (benefactor.iso3.as_str(), recipient.iso3.as_str());
            let covered: Vec<(i32, &Year)> =
                years.iter().filter(|(_, y)| y.benefactors.contains(b) && y.seen.contains_key(b) && y.seen.contains_key(r)).map(|(y, year)| (*y, year)).collect();
            let Some(&(first, _)) = covered.first() else { continue };
            let last = covered.last().map_or(first, |(y, _)| *y);
            let source = format!("{SOURCE_LABEL} {}", year_list(covered.iter().map(|(y, _)| *y)));
            let mut pair = PairValues { out: &mut out, benefactor: b, recipient: r, source: &source };
            for instrument in INSTRUMENTS {
                let years_of: Vec<(i32, &Year)> = covered.iter().filter(|(_, y)| y.instruments.contains(&instrument)).copied().collect();
                if years_of.is_empty() {
                    continue;
                }
                let (mut events, mut weighted, mut days, mut pooled, mut with_events) = (0.0, 0.0, 0.0, 0.0, 0.0);
                for &(year, y) in &years_of {
                    let (n, w, rate) = yearly.get(&(b.to_string(), r.to_string(), instrument, year)).copied().unwrap_or_default();
                    pair.push(instrument, RATE, Period::Year(year), rate, RATE_UNIT);
                    if let Some(records) = y.seen.get(r).filter(|n| **n > 0.0) {
                        pair.push(instrument, SHARE, Period::Year(year), 1000.0 * w / records, SHARE_UNIT);
                    }
                    events += n;
                    weighted += w;
                    days += y.days;
                    pooled += rate * y.days;
                    with_events += f64::from(u8::from(n > 0.0));
                }
                let window = Period::Window(first, last);
                pair.push(instrument, RATE, window, if days > 0.0 { pooled / days } else { 0.0 }, RATE_UNIT);
                pair.push(instrument, "events", window, events, "events");
                pair.push(instrument, "weighted_events", window, weighted, "weighted events");
                pair.push(instrument, "covered_days", window, days, "days");
                pair.push(instrument, "years_with_events", window, with_events, "years");
                pair.cover(instrument, first, last);
            }
        }
    }
    out.event_rows = strongest(datasets, scope, &years)?;
    Ok(out)
}

/// `2014, 2018, 2021-2023`.
fn year_list(years: impl Iterator<Item = i32>) -> String {
    let mut runs: Vec<(i32, i32)> = Vec::new();
    for year in years {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == year => *end = year,
            _ => runs.push((year, year)),
        }
    }
    runs.iter().map(|(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }).collect::<Vec<_>>().join(", ")
}

/// The window's years whose sources cover enough days, with what they saw.
fn coverage(path: &Path, scope: &Scope) -> Result<BTreeMap<i32, Year>> {
    let frame = crate::indicators::read_table(
        path,
        &[],
        &[("year", DataType::Int32), ("covered_days", DataType::Float64), ("records", DataType::Float64), ("benefactor", DataType::Boolean)],
    )?;
    let (year, days, records, iso3, benefactor, instruments) = (
        frame.column("year")?.i32()?,
        frame.column("covered_days")?.f64()?,
        frame.column("records")?.f64()?,
        frame.column("country_iso3")?.str()?,
        frame.column("benefactor")?.bool()?,
        frame.column("instruments")?.str()?,
    );
    let mut years: BTreeMap<i32, Year> = BTreeMap::new();
    for i in 0..frame.height() {
        let (Some(y), Some(d), Some(c)) = (year.get(i), days.get(i), iso3.get(i)) else { continue };
        if !scope.window.contains(y) || d < MIN_COVERED_DAYS {
            continue;
        }
        let entry = years.entry(y).or_default();
        entry.days = d;
        entry.seen.insert(c.to_string(), records.get(i).unwrap_or(0.0));
        if benefactor.get(i) == Some(true) {
            entry.benefactors.insert(c.to_string());
        }
        entry.instruments.extend(instruments.get(i).unwrap_or_default().split_whitespace().filter_map(|code| code.parse::<Instrument>().ok()));
    }
    Ok(years)
}

type Yearly = BTreeMap<(String, String, Instrument, i32), (f64, f64, f64)>;

/// (benefactor, recipient, instrument, year) → (events, weighted events, rate per 30 covered days).
fn counts(path: &Path) -> Result<Yearly> {
    let types = [("year", DataType::Int32), ("events", DataType::Float64), ("weighted_events", DataType::Float64), ("rate_per_30_days", DataType::Float64)];
    let frame = crate::indicators::read_table(path, &["benefactor_iso3", "recipient_iso3", "instrument", "year", "events", "weighted_events", "rate_per_30_days"], &types)?;
    let (b, r, i, y) = (frame.column("benefactor_iso3")?.str()?, frame.column("recipient_iso3")?.str()?, frame.column("instrument")?.str()?, frame.column("year")?.i32()?);
    let (n, w, rate) = (frame.column("events")?.f64()?, frame.column("weighted_events")?.f64()?, frame.column("rate_per_30_days")?.f64()?);
    let mut out = Yearly::new();
    for k in 0..frame.height() {
        let (Some(b), Some(r), Some(i), Some(y)) = (b.get(k), r.get(k), i.get(k).and_then(|i| i.parse::<Instrument>().ok()), y.get(k)) else { continue };
        out.insert((b.to_string(), r.to_string(), i, y), (n.get(k).unwrap_or(0.0), w.get(k).unwrap_or(0.0), rate.get(k).unwrap_or(0.0)));
    }
    Ok(out)
}

/// The strongest events of each pair and instrument in the window's covered years: heaviest act first,
/// then the latest.
fn strongest(datasets: &Path, scope: &Scope, years: &BTreeMap<i32, Year>) -> Result<Vec<EventRow>> {
    let Some(frame) = table::find_rows(datasets)? else { return Ok(Vec::new()) };
    let in_list = |column: &str, values: Vec<String>| values.into_iter().fold(lit(false), |acc, v| acc.or(col(column).eq(lit(v))));
    let benefactors: Vec<String> = scope.benefactors.iter().map(|b| b.iso3.clone()).collect();
    let recipients: Vec<String> = scope.recipients.iter().map(|r| r.iso3.clone()).collect();
    let covered: Vec<i64> = years.keys().map(|&y| i64::from(y)).collect();
    let year_filter = covered.iter().fold(lit(false), |acc, &y| acc.or(col("year").eq(lit(y))));
    let top = frame
        .lazy()
        .filter(in_list("benefactor_iso3", benefactors).and(in_list("recipient_iso3", recipients)).and(year_filter))
        .sort_by_exprs(
            [col("benefactor_iso3"), col("recipient_iso3"), col("instrument"), col("weight"), col("date"), col("file"), col("line")],
            SortMultipleOptions::default().with_order_descending_multi([false, false, false, true, true, false, false]).with_maintain_order(true),
        )
        .group_by_stable([col("benefactor_iso3"), col("recipient_iso3"), col("instrument")])
        .head(Some(STRONGEST))
        .collect()?;
    let text = |c: &str| top.column(c).and_then(|s| s.str().cloned());
    let (b, r, i, date, code) = (text("benefactor_iso3")?, text("recipient_iso3")?, text("instrument")?, text("date")?, text("code")?);
    let (source, target, what, url, file) = (text("source_actor")?, text("target_actor")?, text("text")?, text("url")?, text("file")?);
    let (weight, line, records) = (top.column("weight")?.f64()?.clone(), top.column("line")?.i64()?.clone(), top.column("records")?.i64()?.clone());
    let mut rows = Vec::new();
    for k in 0..top.height() {
        let Some(instrument) = i.get(k).and_then(|i| i.parse::<Instrument>().ok()) else { continue };
        rows.push(EventRow {
            benefactor: b.get(k).unwrap_or_default().to_string(),
            recipient: r.get(k).unwrap_or_default().to_string(),
            instrument,
            date: date.get(k).unwrap_or_default().to_string(),
            code: code.get(k).unwrap_or_default().to_string(),
            weight: weight.get(k).unwrap_or_default(),
            source_actor: source.get(k).unwrap_or_default().to_string(),
            target_actor: target.get(k).unwrap_or_default().to_string(),
            text: what.get(k).unwrap_or_default().to_string(),
            url: url.get(k).unwrap_or_default().to_string(),
            file: file.get(k).unwrap_or_default().to_string(),
            line: line.get(k).unwrap_or_default() as usize,
            records: records.get(k).unwrap_or_default() as usize,
        });
    }
    Ok(rows)
}
