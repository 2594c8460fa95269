//! UN General Assembly voting: Bailey, Strezhnev & Voeten's ideal points, one per country and session
//! (release of July 2023). A country's ideal point places it on the main dimension of GA voting, the
//! US-led liberal order at one end; the distance between two countries' points measures how differently
//! they vote. Context for I1 (alignment), never a rating on its own.
//!
//! Countries are identified by their Correlates of War code (`ccode`), which the file applies as COW
//! does; its `iso3c` column is kept as given but not trusted (South Yemen, `ccode` 680, carries `YAR`).
//! Where the file continues one code across a change of state the import keeps the file's coding and
//! the provenance says so: `ccode` 365 is Russia from the first session, so the Soviet Union's points
//! are Russia's before 1992; 345 is Yugoslavia to the last session (Serbia's seat today).
//! Session `n` opens in September of year 1945 + `n`; its point is dated to that year.

pub mod indicators;
mod reader;

pub use reader::*;

use std::path::PathBuf;

use super::{About, OneTable};

/// UN General Assembly ideal points (Bailey, Strezhnev & Voeten, July 2023) →
/// `datasets/unga_ideal_points.csv`: each country's ideal point per session, by Correlates of War
/// code. The distance between a recipient's and a benefactor's points is reported as context for
/// I1, never rated.
#[derive(Debug, clap::Parser)]
#[command(name = "unga")]
pub struct ImportArgs {
    /// The CSV file.
    #[arg(value_name = "FILE", default_value = DEFAULT_FILE)]
    pub file: PathBuf,
}

pub static SOURCE: OneTable<ImportArgs> = OneTable {
    about: About { name: "unga", publisher: "Bailey, Strezhnev & Voeten, Harvard Dataverse", citation: CITATION },
    spec: &SPEC,
    indicators: indicators::INDICATORS,
    import: |args, datasets| reader::import(&args.file, datasets).map(|report| (report.table, report.provenance)),
    compute: indicators::compute,
    span: None,
};
