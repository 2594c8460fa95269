//! AidData's Global Chinese Official Finance dataset (GCOF v1.0): every Chinese official-finance project
//! found worldwide, 2000–2014, one row per project in one worksheet. The I2 (ICT) and D3 (military-linked
//! and security aid) table.
//!
//! Projects kept are those AidData recommends for research (it sets aside umbrella projects, whose parts
//! are listed on their own, and pledges, cancelled and suspended projects) whose recipient is one
//! country; regional and multi-country projects (`Africa, regional`) are set aside, counted by reason.
//! Each project kept is classified by a documented rule on its sector, title and agencies (`classify`);
//! the table records which rule fired, so every flag can be checked by reading one row.

pub mod indicators;
mod reader;

pub use reader::*;

use std::path::PathBuf;

use super::{About, OneTable};

/// AidData's Global Chinese Official Finance dataset (GCOF v1.0, .xlsx, projects 2000–2014) →
/// `datasets/official_finance.csv`: one row per project with one recipient country, flagged ICT (I2)
/// and military-linked or security (D3) by a documented rule on sector, title and agencies.
///
/// Projects AidData does not recommend for research (umbrella projects, pledges, cancelled and
/// suspended ones) and regional or multi-country projects are set aside, counted by reason.
#[derive(Debug, clap::Parser)]
#[command(name = "official-finance")]
pub struct ImportArgs {
    /// The workbook.
    #[arg(value_name = "FILE", default_value = DEFAULT_FILE)]
    pub file: PathBuf,
}

pub static SOURCE: OneTable<ImportArgs> = OneTable {
    about: About { name: "official-finance", publisher: "AidData at William & Mary", citation: CITATION },
    spec: &SPEC,
    indicators: indicators::INDICATORS,
    import: |args, datasets| reader::import(&args.file, datasets).map(|report| (report.table, report.provenance)),
    compute: indicators::compute,
    span: None,
};
