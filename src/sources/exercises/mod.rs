//! Russia's joint military exercises with foreign partners, 2009–2018, compiled from the Russian Ministry
//! of Defence's site (mil.ru) and the army newspaper Krasnaya Zvezda: one record per exercise, its name
//! in Russian, its year, up to 28 partners (`part1` … `part28`) and the page it was reported on.
//!
//! The table has a row per exercise × partner, with the number of partners, so that an exercise with
//! one foreign partner (bilateral: M1) can be told from one with several (multilateral: M2).

pub mod indicators;
mod reader;

pub use reader::*;

use std::path::PathBuf;

use super::{About, OneTable};

/// Russia's joint military exercises with foreign partners, 2009–2018 (Russian Ministry of Defence)
/// → `datasets/exercises.csv`: one row per exercise × partner, with the exercise's name in Russian,
/// its year, its number of foreign partners (one: bilateral; more: multilateral) and its source URL.
#[derive(Debug, clap::Parser)]
#[command(name = "exercises")]
pub struct ImportArgs {
    /// The exercise list (default: ../shared/data/exercises/russia-joint-exercises-2009-2018.csv).
    #[arg(value_name = "FILE", default_value = DEFAULT_FILE)]
    pub file: PathBuf,
}

pub static SOURCE: OneTable<ImportArgs> = OneTable {
    about: About { name: "exercises", publisher: "Russian Ministry of Defence (mil.ru)", citation: CITATION },
    spec: &SPEC,
    indicators: indicators::INDICATORS,
    import: |args, datasets| reader::import(&args.file, datasets).map(|report| (report.table, report.provenance)),
    compute: indicators::compute,
    span: None,
};
