//! AidData's China Public Diplomacy dataset (v2.0): China's public diplomacy with 38 Asia-Pacific
//! countries by recipient × year, 2000–2018 — visits by Chinese government and military leaders,
//! Confucius Institutes, sister cities, media partnerships, journalists' visits, ambassadors' op-eds and
//! students. The D1 (military visits) and I1 (cultural and media outreach) table.
//!
//! The file joins two regional collections with different spans: East Asia and the Pacific to 2016,
//! South and Central Asia to 2018. Missing figures are the text `N/A`, kept as empty cells. One column
//! needs reading: for the South and Central Asian recipients `military_visits` is never 0, only a count or
//! `N/A` (and `total_elite_visits` then equals `government_visits`), so `N/A` there also stands for a
//! year without a visit. Between a recipient's first and last year with a military-visit figure an
//! `N/A` is therefore read as 0 and flagged (`military_visits_gap`); outside that span it stays missing,
//! since the collection did not reach those years.

pub mod indicators;
mod reader;

pub use reader::*;

use std::path::PathBuf;

use super::{About, OneTable};

/// AidData's China Public Diplomacy dataset (v2.0, 38 Asia-Pacific recipients, 2000–2018) →
/// `datasets/public_diplomacy.csv`: China's military and government visits, Confucius Institutes,
/// media partnerships and other outreach per recipient × year (D1 and I1).
///
/// `N/A` stays missing, except in military visits: between a recipient's first and last year with a
/// figure it means no visit (the file never writes 0 there for South and Central Asia) and is read
/// as 0, flagged in the table.
#[derive(Debug, clap::Parser)]
#[command(name = "public-diplomacy")]
pub struct ImportArgs {
    /// The CSV file.
    #[arg(value_name = "FILE", default_value = DEFAULT_FILE)]
    pub file: PathBuf,
}

pub static SOURCE: OneTable<ImportArgs> = OneTable {
    about: About { name: "public-diplomacy", publisher: "AidData at William & Mary", citation: CITATION },
    spec: &SPEC,
    indicators: indicators::INDICATORS,
    import: |args, datasets| reader::import(&args.file, datasets).map(|report| (report.table, report.provenance)),
    compute: indicators::compute,
    span: None,
};
