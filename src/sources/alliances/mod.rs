//! Formal alliances of China and Russia: the Alliance Treaty Obligations and Provisions project's
//! directed dyad-years (ATOP v5.1, as peacesciencer distributes them), every pair with China (COW 710)
//! or Russia (365), 1815–2018.
//!
//! ATOP codes, per year, what each state has promised the other: defence, offence, neutrality,
//! non-aggression, consultation. The file lists every dyad-year twice, once each way. Promises are
//! almost always mutual (in this file none is one-sided after 1987), so the table holds one row per
//! benefactor × partner × year with the obligations either side has undertaken, and names any that only
//! one side gives. Codes resolve through the country table and then by year (`CountryTable::state_in`):
//! 365 is the Soviet Union from 1922 to 1991, 345 Serbia from 2006.

pub mod indicators;
mod reader;

pub use reader::*;

use std::path::PathBuf;

use super::{About, OneTable};

/// ATOP v5.1 alliance obligations (directed dyad-years with China or Russia) →
/// `datasets/alliances.csv`: the defence, offence, neutrality, non-aggression and consultation
/// obligations in force between each benefactor and each partner, per year (to 2018).
///
/// Each dyad-year's two directions are joined into one row; obligations only one side has undertaken
/// are named. Correlates of War codes resolve by year: 365 is the Soviet Union from 1922 to 1991, 345
/// Serbia from 2006.
#[derive(Debug, clap::Parser)]
#[command(name = "alliances")]
pub struct ImportArgs {
    /// The ATOP file (default: ../shared/data/alliances/atop-v5.1-china-russia.csv).
    #[arg(value_name = "FILE", default_value = DEFAULT_FILE)]
    pub file: PathBuf,
}

pub static SOURCE: OneTable<ImportArgs> = OneTable {
    about: About { name: "alliances", publisher: "ATOP project (Leeds, Ritter, Mitchell and Long), via peacesciencer", citation: CITATION },
    spec: &SPEC,
    indicators: indicators::INDICATORS,
    import: |args, datasets| reader::import(&args.file, datasets).map(|report| (report.table, report.provenance)),
    compute: indicators::compute,
    span: None,
};
