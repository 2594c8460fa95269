//! Confucius Institutes worldwide, from the list LAS-NCSU's bridash project compiled (`data_final`: the
//! non-US institutes scraped from Dig Mandarin's list of 2021, the US ones from the Washington Examiner
//! and the National Association of Scholars): each institute's host, Chinese partner university,
//! country and, for about half, an estimated founding date. An I1 table: the institutes a country
//! hosted by 2021, a level rather than a series, since most have no date.
//!
//! Dates are `M/D/YY` (`6/27/05`), read as 2000–2099: the first institute opened in 2004. `status` is
//! whether the institute's web page answered on 22 April 2022, not whether it was open, and is kept
//! under that name. An institute listed twice under the same name in the same country (the US list
//! and the worldwide one overlap; one Thai institute is listed twice) is kept once, with the date and
//! partner of whichever row gives them; the other row is set aside and counted.

pub mod indicators;
mod reader;

pub use reader::*;

use std::path::PathBuf;

use super::{About, OneTable};

/// Confucius Institutes worldwide (bridash, from Dig Mandarin's list of 2021) →
/// `datasets/confucius_institutes.csv`: one row per institute with its host, partner university,
/// country and founding date where known (I1).
///
/// Dates are read as M/D/YY; an institute listed twice under the same name in one country is kept
/// once.
#[derive(Debug, clap::Parser)]
#[command(name = "confucius-institutes")]
pub struct ImportArgs {
    /// The CSV file (default: ../shared/data/media/confucius_institutes.csv).
    #[arg(value_name = "FILE", default_value = DEFAULT_FILE)]
    pub file: PathBuf,
}

pub static SOURCE: OneTable<ImportArgs> = OneTable {
    about: About { name: "confucius-institutes", publisher: "LAS-NCSU bridash, from Dig Mandarin", citation: CITATION },
    spec: &SPEC,
    indicators: indicators::INDICATORS,
    import: |args, datasets| reader::import(&args.file, datasets).map(|report| (report.table, report.provenance)),
    compute: indicators::compute,
    span: None,
};
