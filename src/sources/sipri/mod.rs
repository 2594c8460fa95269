//! The SIPRI Arms Transfers Database, in the layouts SIPRI has shipped:
//!
//! - the trade register (one record per deal, to 2024), which says how much of a deal has been
//!   delivered (in TIV) and in which years but not how much in each: the import splits a deal's
//!   delivered TIV evenly across its delivery years;
//! - the per-delivery export (one record per deal × delivery year, since 2024), which gives each year's
//!   TIV itself, comma-separated, sometimes re-saved with CRLF and a `;` closing every line;
//! - the yearly TIV tables (one supplier's deliveries by recipient × year; blank and `0` mean under 0.5
//!   TIV), and the same tables for every supplier in one tidy file (`supplier,recipient,year,value`), to
//!   measure the split rule against SIPRI's own yearly figures.
//!
//! SIPRI quotes nothing, so a newline inside `Comments` breaks a record over two lines; the import joins
//! them again, also where a spreadsheet padded both halves with empty fields.

pub mod indicators;
mod reader;

pub use reader::*;

use std::path::PathBuf;

use super::{About, OneTable};

/// SIPRI Arms Transfers Database export → `datasets/arms_transfers.csv`: delivered TIV per supplier ×
/// recipient × year.
///
/// Both layouts SIPRI has shipped are read, recognised by their header: the trade register (one
/// record per deal; its delivered TIV is split evenly across the deal's years of delivery) and the
/// per-delivery export of 2024 on (one record per deal and delivery year, with that year's TIV).
/// ISO-8859-1 or UTF-8, CRLF, a `;` closing each line and rows padded by a spreadsheet are all read
/// as SIPRI wrote them. Pass SIPRI's yearly TIV tables with `--tiv-table` to measure the yearly
/// figures against SIPRI's own.
#[derive(Debug, clap::Parser)]
#[command(name = "sipri")]
pub struct ImportArgs {
    /// The export, e.g. ../shared/data/sipri/trade-register-2025-03-13.csv
    pub register: PathBuf,
    /// A SIPRI yearly TIV table to compare with: one supplier's exports as SIPRI generates it
    /// (TIV-Export-CHI-1950-2021.csv…), or every supplier's in a tidy `supplier,recipient,year,value`
    /// file; may be repeated.
    #[arg(long = "tiv-table", value_name = "FILE")]
    pub tiv_tables: Vec<PathBuf>,
}

pub static SOURCE: OneTable<ImportArgs> = OneTable {
    about: About { name: "sipri", publisher: "Stockholm International Peace Research Institute (SIPRI)", citation: CITATION },
    spec: &SPEC,
    indicators: indicators::INDICATORS,
    import: |args, datasets| reader::import(&args.register, &args.tiv_tables, datasets).map(|report| (report.table, report.provenance)),
    compute: indicators::compute,
    span: Some(indicators::years),
};
