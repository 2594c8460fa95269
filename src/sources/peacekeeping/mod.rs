//! UN peacekeeping deployments: who sends uniformed personnel to which mission, in which host country,
//! per year, from two sources that overlap.
//!
//! - The UN's contribution reports, averaged per contributor × mission × year (2010–2021): exact counts
//!   of troops, police, experts and staff officers, in every mission including political ones. Some
//!   years are averaged over missing months and fall far short (2010, 2017 and 2021 in the release read
//!   here); the import finds them by their totals rather than trusting a list.
//! - Geo-PKO (1994–2024): per mission × year × deployment location, the contributors present with an
//!   approximate unit size (`China (450)`) or `size unknown`. Peacekeeping operations only, formed units
//!   and observers only.
//!
//! IPI's monthly files (1990–2014), given with the others, do not feed the table (they have no
//! contributor × mission figures) but check it: see `ingest::ipi`.
//!
//! Precedence, per mission × year: where one source has it, that source; where both do, the UN's figures,
//! except in a year the UN's are under-counted, where the source with the larger mission total wins (the
//! UN's figure is then a floor). Rows of one mission-year always come from one source, so a contributor's
//! share of its mission is never a ratio of two sources' figures.

pub mod indicators;
mod ipi;
mod reader;

pub use reader::*;

use std::path::PathBuf;

use super::{About, OneTable};

/// UN peacekeeping contributions and Geo-PKO deployments → `datasets/peacekeeping.csv`: uniformed
/// personnel per contributor × mission × host country × year, with the mission's total.
///
/// Each file is recognised by its header: the UN's contributor × mission × year averages
/// (2010–2021) and Geo-PKO's mission × year × location map (1994–2024). Where both cover a mission
/// in a year the UN figures are used, unless that UN year is under-counted (months missing) and
/// Geo-PKO's mission total is larger. Missions are placed in their host country by
/// datasets/un_missions.csv. IPI's monthly files (a contributor's totals, named after it, and the
/// missions' totals, 1990–2014) do not feed the table, which needs contributor × mission figures:
/// the provenance compares the table with them year by year.
#[derive(Debug, clap::Parser)]
#[command(name = "peacekeeping")]
pub struct ImportArgs {
    /// The raw files (default: the UN and Geo-PKO files under ../shared/data/peacekeeping/).
    #[arg(value_name = "FILE", default_values = DEFAULT_FILES)]
    pub files: Vec<PathBuf>,
}

pub static SOURCE: OneTable<ImportArgs> = OneTable {
    about: About { name: "peacekeeping", publisher: "United Nations Department of Peace Operations; Uppsala University (Geo-PKO)", citation: CITATION },
    spec: &SPEC,
    indicators: indicators::INDICATORS,
    import: |args, datasets| reader::import(&args.files, datasets).map(|report| (report.table, report.provenance)),
    compute: indicators::compute,
    span: None,
};
