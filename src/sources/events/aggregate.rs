//! The result of `sql/gdelt_events.sql` run on another engine (BigQuery over GDELT's whole record, Spark,
//! DuckDB), saved as CSV: `mdime import events --aggregate FILE` takes its yearly counts as a GDELT source,
//! without event rows. Two kinds of row: `events` (a benefactor × recipient × instrument × year's distinct
//! events and weighted events) and `coverage` (a country the year's records name, with their number),
//! each with the year's days covered.

use std::path::Path;

use super::collect::{Aggregated, Collector, Family};
use crate::domain::{CountryTable, Instrument};
use crate::error::Result;
use crate::ingest::one_file::{CsvFile, Text};

pub const LAYOUT: &str = "mdime's GDELT aggregate (the result of sql/gdelt_events.sql)";
pub const COLUMNS: [&str; 8] = ["kind", "year", "benefactor_iso3", "recipient_iso3", "instrument", "events", "weighted_events", "covered_days"];

pub fn read(path: &Path, countries: &CountryTable, collector: &mut Collector) -> Result<()> {
    let file = CsvFile::read(path, Text::Utf8, &COLUMNS, LAYOUT)?;
    let source = collector.start_source(format!("GDELT aggregate ({})", file.raw.file_name()), Family::Gdelt, false);
    let input = collector.start(source, file.raw.file_name(), file.raw.sha256.clone(), LAYOUT.to_string());
    collector.tally(input).lines = file.raw.lines;
    let mut problems = Vec::new();
    let mut year_days: std::collections::BTreeMap<i16, f64> = std::collections::BTreeMap::new();
    for index in 0..file.records.len() {
        let mut row = file.row(index, &mut problems);
        let Some(year) = row.integer("year", 1979..=2100, "a year") else { continue };
        let year = year as i16;
        let Some(days) = row.optional_number("covered_days", 0.0..=366.0, "days covered") else {
            row.problem("covered_days", "empty: expected the days the year's records cover");
            continue;
        };
        match year_days.insert(year, days) {
            Some(before) if (before - days).abs() > 1e-6 => row.problem("covered_days", format!("{days} days for {year}, where an earlier row gives {before}")),
            _ => {}
        }
        let iso3 = |row: &mut crate::ingest::one_file::Row, column: &str| -> Option<String> {
            let code = row.text(column).to_string();
            match countries.country(&code) {
                Some(c) if c.iso3 == code => Some(code),
                _ => {
                    row.problem(column, format!("expected an ISO-3 code, found `{code}`"));
                    None
                }
            }
        };
        match row.text("kind") {
            "coverage" => {
                let Some(country) = iso3(&mut row, "recipient_iso3") else { continue };
                let Some(records) = row.integer("events", 0..=i64::MAX, "a number of records") else { continue };
                collector.see(source, year, &country, records as usize);
                collector.tally(input).records += 1;
                collector.tally(input).kept += 1;
            }
            "events" => {
                let (benefactor, recipient) = (iso3(&mut row, "benefactor_iso3"), iso3(&mut row, "recipient_iso3"));
                let instrument = match row.text("instrument").parse::<Instrument>() {
                    Ok(i) => Some(i),
                    Err(message) => {
                        row.problem("instrument", message);
                        None
                    }
                };
                let events = row.integer("events", 1..=i64::MAX, "a number of events");
                let weighted = row.optional_number("weighted_events", 0.0..=f64::MAX, "weighted events");
                let (Some(benefactor), Some(recipient), Some(instrument), Some(events), Some(weighted)) = (benefactor, recipient, instrument, events, weighted) else { continue };
                if !collector.is_benefactor(&benefactor) {
                    collector.exclude(input, "the benefactor is not among this import's (--benefactor)", 1);
                    continue;
                }
                collector.aggregate(Aggregated { input, benefactor, recipient, instrument, year, events: events as usize, weighted });
            }
            other => row.problem("kind", format!("expected events or coverage, found `{other}`")),
        }
    }
    file.check(problems)?;
    for (year, days) in year_days {
        collector.cover_year(source, year, days);
    }
    Ok(())
}
