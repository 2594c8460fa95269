//! NBR and AidData's "Mapping China's Borderlands" panel (Data Package v1.0, August 2025): China's
//! engagement with 28 Asian states by year, 1999–2024. The D1 (senior military engagements), M1 (joint
//! exercises), I1 (content-sharing partnerships, Confucius Institutes) and I2 (surveillance projects)
//! table; the engagements and exercises come from NDU's Chinese Military Diplomacy Database.
//!
//! The panel comes twice: a CSV (UTF-8 with a byte-order mark, `NA` for a missing figure, `Y`/`N`
//! flags) and the workbook NBR released (a Strict Open XML .xlsx). The CSV was saved from a spreadsheet,
//! which wrote each number as the cell displays it: rounded to about ten significant digits, and the
//! largest in scientific notation with six (`1.09671E+11`, Singapore's FDI). Both are read completely
//! and compared cell by cell: every text cell must be the same, and every number the same or the CSV's
//! the workbook's rounded to the digits the CSV shows; the table takes the workbook's full value.
//!
//! The codebook (`mapping_borderlands_readme.pdf`) counts senior-level visits and naval port calls
//! together in one column, so the two cannot be told apart; nor can bilateral exercises from
//! multilateral ones. The count columns from the Military Diplomacy Database and AidData's finance
//! data never hold a 0: within the years the codebook gives for such a column, `NA` is a year with none
//! and is read as 0 (`NA_MEANS_NONE`, checked on import: a column holding a 0 keeps its `NA`s missing).
//! Outside those years `NA` stays missing. The last year is a part-year for the engagement columns when
//! the panel lists fewer states in it than the year before and those it lists had less than half the
//! engagements they had then (2024: 21 of 28 states, 12 engagements against 41 for the same 21 in 2023).

pub mod indicators;
mod reader;

pub use reader::*;

use std::path::PathBuf;

use super::{About, OneTable};

/// NBR/AidData's "Mapping China's Borderlands" panel (28 Asian states, 1999–2024) →
/// `datasets/borderlands.csv`: China's senior military engagements (visits and naval port calls, one
/// count) and joint exercises from NDU's Chinese Military Diplomacy Database (D1, M1), surveillance
/// projects (I2), content-sharing partnerships and Confucius Institutes (I1), per state × year.
///
/// The CSV and NBR's workbook (Strict Open XML) are compared cell by cell; the table takes the
/// workbook's full values where the CSV's are rounded (`1.09671E+11`). `NA` is read as 0 within the
/// codebook's years in the count columns that never hold a 0; the last year is flagged a part-year
/// when it lists fewer states and under half the engagements of the year before.
#[derive(Debug, clap::Parser)]
#[command(name = "borderlands")]
pub struct ImportArgs {
    /// The panel as CSV (default: ../shared/data/china-military-diplomacy/china_data.csv).
    #[arg(value_name = "FILE", default_value = DEFAULT_FILE)]
    pub file: PathBuf,
    /// The panel as NBR released it, for its full-precision values (default: china_data.xlsx beside
    /// the default CSV).
    #[arg(long, value_name = "FILE", default_value = DEFAULT_WORKBOOK)]
    pub workbook: PathBuf,
}

pub static SOURCE: OneTable<ImportArgs> = OneTable {
    about: About { name: "borderlands", publisher: "The National Bureau of Asian Research and AidData", citation: CITATION },
    spec: &SPEC,
    indicators: indicators::INDICATORS,
    import: |args, datasets| reader::import(&args.file, &args.workbook, datasets).map(|report| (report.table, report.provenance)),
    compute: indicators::compute,
    span: None,
};
