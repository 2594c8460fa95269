//! Machine-coded event data (who did what to whom, on which day) → yearly counts per benefactor ×
//! recipient × instrument: `datasets/events.csv`, the countries each year's sources see
//! (`event_coverage.csv`) and the events behind the counts (`event_rows.parquet`).
//!
//! Every layout in `../shared/data/events/` is read, recognised by its content: the ICEWS benchmark sets
//! (`tkg`), ICEWS's Dataverse files (`dataverse`), GDELT 2.0 and 1.0 exports (`gdelt`), POLECAT
//! (`polecat`), and the result of `sql/gdelt_events.sql` run elsewhere (`aggregate`). A file in none of
//! them is refused with what it holds and what is read. Each record then goes through the same rules
//! (`collect`): a benefactor on one side and a tracked recipient on the other, both state bodies; an act
//! the CAMEO table counts, with the actors it needs; the right way round for one-way acts; not a repeat.
//! Every record is kept or set aside for a counted reason, per input file, and nothing is written unless
//! every file reads cleanly. Each input is read alone into a part (`collect::Part`) that the next import
//! takes instead of the file while the file is unchanged (`cache`), so that a day's new files are all it
//! reads.

pub mod actors;
pub mod aggregate;
pub mod cache;
pub mod cameo;
pub mod collect;
pub mod dataverse;
pub mod gdelt;
pub mod polecat;
pub mod spill;
pub mod stream;
pub mod tkg;
pub mod indicators;
mod reader;

pub use reader::*;

use std::path::{Path, PathBuf};

use clap::{ArgMatches, CommandFactory};

use super::{About, Imported, Inputs, Source, Table};
use crate::domain::{CountryTable, Instrument};
use crate::error::{Error, Result};
use crate::indicators::{Indicators, Scope};

/// Machine-coded event data (ICEWS benchmark sets and Dataverse files, GDELT 2.0 and 1.0 exports,
/// POLECAT) → `datasets/events.csv`: events, weighted events, days covered and the rate per 30 covered
/// days per benefactor × recipient × instrument × year, with `event_coverage.csv` (the countries each
/// year's sources see) and `event_rows.parquet` (the events behind the counts).
///
/// Each file's layout is recognised from its content; folders and zips are searched. The CAMEO codes
/// count for instruments by `datasets/cameo_instruments.csv`; people are placed by
/// `datasets/office_holders.csv`. With no FILE and no --aggregate, reads ../shared/data/events.
#[derive(Debug, clap::Parser)]
#[command(name = "events")]
pub struct ImportArgs {
    /// Event files, folders or zips (default: ../shared/data/events).
    #[arg(value_name = "FILE|DIR")]
    pub files: Vec<PathBuf>,
    /// The result of sql/gdelt_events.sql run on another engine (BigQuery, Spark, DuckDB), saved as
    /// CSV: its yearly counts are taken as a GDELT source; may be repeated.
    #[arg(long = "aggregate", value_name = "FILE")]
    pub aggregates: Vec<PathBuf>,
    /// A benefactor whose events to keep, by name or ISO-3 code; repeat for several. Default: every
    /// benefactor in `datasets/benefactors.csv`.
    #[arg(long = "benefactor", short = 'b', value_name = "COUNTRY")]
    pub benefactors: Vec<String>,
}

/// The benefactors an event import keeps, as ISO-3 codes: those named, or every benefactor
/// `datasets/benefactors.csv` configures.
pub fn kept_benefactors(names: &[String], datasets: &Path) -> Result<Vec<String>> {
    if names.is_empty() {
        return crate::ingest::benefactors::carried(datasets);
    }
    let mut codes = Vec::new();
    for name in names {
        let country = CountryTable::builtin().state(name).map_err(|message| Error::option("--benefactor", message))?;
        if !codes.contains(&country.iso3) {
            codes.push(country.iso3.clone());
        }
    }
    Ok(codes)
}

pub struct Events;

impl Source for Events {
    fn about(&self) -> About {
        About {
            name: "events",
            publisher: "ICEWS (Harvard Dataverse), the GDELT Project, POLECAT (Harvard Dataverse)",
            citation: SOURCE,
        }
    }

    fn tables(&self) -> Vec<Table> {
        // The coverage and the events behind the counts inform no instrument of their own.
        vec![Table::rated(&EVENTS, indicators::INDICATORS), Table { spec: &COVERAGE, instruments: Vec::new() }, Table { spec: &ROWS, instruments: Vec::new() }]
    }

    fn indicators(&self) -> Vec<(Instrument, &'static str)> {
        // The rubric may name the event indicators for any instrument.
        Instrument::ALL.iter().flat_map(|&i| indicators::INDICATOR_NAMES.iter().map(move |&name| (i, name))).collect()
    }

    fn import_command(&self) -> Option<clap::Command> {
        Some(ImportArgs::command())
    }

    fn default_inputs(&self) -> Vec<PathBuf> {
        vec![PathBuf::from(DEFAULT_DIR)]
    }

    fn import(&self, args: &ArgMatches, datasets: &Path) -> Result<Imported> {
        let args: ImportArgs = super::parse_args(args)?;
        let benefactors = kept_benefactors(&args.benefactors, datasets)?;
        let files = if args.files.is_empty() && args.aggregates.is_empty() { self.default_inputs() } else { args.files };
        let report = reader::import(&files, &args.aggregates, &benefactors, datasets)?;
        Ok(Imported { tables: report.tables, provenance: report.provenance })
    }

    fn compute(&self, inputs: &Inputs, scope: &Scope) -> Result<Indicators> {
        indicators::compute(inputs.datasets, scope)
    }
}
