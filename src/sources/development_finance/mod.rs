//! China's official finance commitments by recipient and year, 2000–2021, from AidData's Global Chinese
//! Development Finance Dataset 3.0 as milesdwilliams15/odadata aggregates it (`cow_gcdf.csv`: the
//! projects AidData recommends for aggregates, summed by commitment year into ODA-like, OOF-like and
//! vague official flows). Context for D3 (aid) and E3 (loans and other commercial finance), never rated.
//!
//! Recipients are Correlates of War codes, resolved by year (345 is Serbia and Montenegro until 2005).
//! Amounts are constant 2021 US$ in units; the table gives millions. A recipient-year without a
//! recommended project has no row: for a recipient in the file, a year without a row is a year without
//! a commitment. The aggregator's adjusted amounts (`*_adj`), which it recommends for yearly totals, are
//! kept beside the plain ones.

pub mod indicators;
mod reader;

pub use reader::*;

use std::path::PathBuf;

use super::{About, OneTable};

/// AidData's Global Chinese Development Finance Dataset 3.0, by recipient and year (odadata's
/// `cow_gcdf.csv`, 2000–2021) → `datasets/development_finance.csv`: ODA-like, OOF-like and vague
/// official commitments, constant 2021 US$ millions (context for D3 and E3).
#[derive(Debug, clap::Parser)]
#[command(name = "development-finance")]
pub struct ImportArgs {
    /// The CSV file (default: ../shared/data/aiddata/cow_gcdf.csv).
    #[arg(value_name = "FILE", default_value = DEFAULT_FILE)]
    pub file: PathBuf,
}

pub static SOURCE: OneTable<ImportArgs> = OneTable {
    about: About { name: "development-finance", publisher: "AidData at William & Mary, aggregated by milesdwilliams15/odadata", citation: CITATION },
    spec: &SPEC,
    indicators: indicators::INDICATORS,
    import: |args, datasets| reader::import(&args.file, datasets).map(|report| (report.table, report.provenance)),
    compute: indicators::compute,
    span: None,
};
