//! Evidence logs: the analyst's record of dated, cited events, one CSV per recipient or project in
//! `datasets/evidence/`. Every row is checked before anything uses it; a log with any defect stops the
//! run, so a rating never rests on a row nobody could verify.

pub mod indicators;
mod reader;

pub use reader::*;

use std::path::Path;

use super::{About, Inputs, Source};
use crate::domain::Instrument;
use crate::error::Result;
use crate::indicators::{Indicators, Scope};

pub struct EvidenceLogs;

impl Source for EvidenceLogs {
    fn about(&self) -> About {
        About { name: "evidence", publisher: super::ANALYSTS, citation: SOURCE }
    }

    fn indicators(&self) -> Vec<(Instrument, &'static str)> {
        Instrument::ALL.iter().flat_map(|&i| indicators::INDICATORS.iter().map(move |&name| (i, name))).collect()
    }

    fn compute(&self, inputs: &Inputs, scope: &Scope) -> Result<Indicators> {
        Ok(indicators::compute(&inputs.curated.evidence, scope))
    }

    fn curated_files(&self, datasets: &Path) -> Result<Vec<std::path::PathBuf>> {
        log_files(datasets)
    }
}
