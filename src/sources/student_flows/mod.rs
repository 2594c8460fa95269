//! Tertiary students from each country of origin in each benefactor, from UNESCO UIS's student flows as
//! 360-info tidied them: per origin and year, the ten most popular destinations of its students abroad
//! with their numbers, the rest lumped as `Other countries`. Russia is a destination in 2000-2009, 2011,
//! 2012 and 2014-2019 (in 2000-2007 and 2012 only for former Soviet origins); the United States, France,
//! Türkiye, India and the United Arab Emirates in the years they reported; China never (it does not
//! report to UIS).
//!
//! The D2 table for every benefactor but China, as the students table is China's: civilian students are
//! a proxy for the education a benefactor offers a recipient's elites, not a count of officers trained.
//!
//! What it misses: a benefactor outside an origin's top ten that year has no figure. That is recorded,
//! not read as zero: the row is `below_top_ten` with the most it can have had (the smallest figure the
//! list names where it lumps the rest; 0 where the list names every destination with students). It is
//! written only for the years the benefactor reported its foreign students broadly, taken to be the
//! years the lists of at least `MIN_ORIGINS` (20) countries name it: in the others (Russia's 2000-2007
//! and 2012, when only its former Soviet neighbours' lists name it; the United States' 2000-2012) its
//! absence says nothing, and no row is written.

pub mod indicators;
mod reader;

pub use reader::*;

use std::path::PathBuf;

use super::{About, OneTable};

/// UNESCO UIS student flows, the ten most popular destinations per country of origin (360-info's tidy
/// file, 1998-2021) → `datasets/student_flows.csv`: for each benefactor of `datasets/benefactors.csv`
/// that appears as a destination, its tertiary students from each country of origin per year, or the
/// most it can have had where the origin's top ten leaves it out (D2, a proxy: civilian students, not
/// officers).
///
/// Names are UN-style (`Viet Nam`, `Turkey`); origins that are no country (`Africa: unknown countries`)
/// are set aside; `cond_all`'s qualifiers are kept as letters.
#[derive(Debug, clap::Parser)]
#[command(name = "student-flows")]
pub struct ImportArgs {
    /// The CSV file (default: ../shared/data/education/uis-popular-destinations-by-origin-1998-2021.csv).
    #[arg(value_name = "FILE", default_value = DEFAULT_FILE)]
    pub file: PathBuf,
}

pub static SOURCE: OneTable<ImportArgs> = OneTable {
    about: About { name: "student-flows", publisher: "UNESCO Institute for Statistics, via 360-info", citation: CITATION },
    spec: &SPEC,
    indicators: indicators::INDICATORS,
    import: |args, datasets| reader::import(&args.file, datasets).map(|report| (report.table, report.provenance)),
    compute: indicators::compute,
    span: None,
};
