//! Evidence logs: the analyst's record of dated, cited events, one CSV per recipient or project in
//! `datasets/evidence/`. Every row is checked before anything uses it; a log with any defect stops the
//! run, so a rating never rests on a row nobody could verify.

pub mod indicators;
mod reader;

pub use reader::*;

use std::path::Path;

use clap::ArgMatches;

use super::{About, Imported, Inputs, Source, Table};
use crate::domain::Instrument;
use crate::error::{Error, Result};
use crate::indicators::{Indicators, Scope};

pub struct EvidenceLogs;

impl Source for EvidenceLogs {
    fn about(&self) -> About {
        About { name: "evidence", publisher: "the project's analysts, each row citing its public source", citation: SOURCE }
    }

    fn tables(&self) -> Vec<Table> {
        Vec::new()
    }

    fn indicators(&self) -> Vec<(Instrument, &'static str)> {
        Instrument::ALL.iter().flat_map(|&i| indicators::INDICATORS.iter().map(move |&name| (i, name))).collect()
    }

    fn import_command(&self) -> Option<clap::Command> {
        None
    }

    fn import(&self, _args: &ArgMatches, _datasets: &Path) -> Result<Imported> {
        Err(Error::option("import", "the evidence logs are curated in datasets/evidence/, not imported; check them with `mdime validate`"))
    }

    fn compute(&self, inputs: &Inputs, scope: &Scope) -> Result<Indicators> {
        Ok(indicators::compute(&inputs.curated.evidence, scope))
    }
}
