//! Bilateral trade of each benefactor with every partner, per year, from the IMF Direction of Trade
//! Statistics (DOTS): the E3 table.
//!
//! Every figure can come from two reports: the benefactor's own (its exports FOB, its imports CIF) and
//! the partner's, which mirrors it (the partner's imports from the benefactor are the benefactor's
//! exports, seen from the other side, valued CIF). They differ by freight and insurance, timing and
//! misattributed transit. The table takes, per flow and year, the first of:
//!
//! 1. the benefactor's own report in the DOTS folder (`dots-own`);
//! 2. the benefactor's own report in a later DOTS download given with `--own-report`, for years the
//!    folder lacks (`dots-own-later`: Russia's to 2022);
//! 3. the benefactor's own report to UN Comtrade given with `--comtrade` (`comtrade-own`: China's
//!    with the Portuguese-speaking countries to 2024);
//! 4. the partner's report in the DOTS folder (`dots-mirror`);
//! 5. the partner's report to UN Comtrade given with `--comtrade` (`comtrade-mirror`: China's trade
//!    to 2024 as its partners report it);
//!
//! Correlates of War Trade given with `--cow` (to 2014) is a check only, never a figure of the table:
//! where both report, its China imports run a fifth above China's own and its Russian exports differ
//! by 40% cell by cell, so filling gaps with it would put breaks in the series.
//!
//! Each row names the source of each flow, and the provenance measures how far the sources disagree
//! wherever both have a figure. The partner's trade with the world is its own report's `World` row, and
//! beside it the partner's own report of its trade with the benefactor, so that a share of the
//! partner's trade sets figures of one reporter against each other.

pub mod indicators;
mod reader;

pub use reader::*;

use std::path::PathBuf;

use super::{About, OneTable};

/// IMF Direction of Trade Statistics workbooks (one per reporting economy) → `datasets/trade.csv`:
/// each benefactor's exports, imports and total trade with every partner per year (US$ millions),
/// with the partner's total trade with the world.
///
/// Per flow and year the benefactor's own report comes first (DOTS, then its later DOTS download
/// `--own-report`, then its own report to UN Comtrade), then the partner's mirror report (DOTS, then
/// UN Comtrade); each row names the source it took, and the provenance records how far the sources
/// disagree where both have a figure.
#[derive(Debug, clap::Parser)]
#[command(name = "trade")]
pub struct ImportArgs {
    /// The folder of DOTS workbooks, e.g. ../shared/data/trade/imf-dots-1960-2020
    pub dots: PathBuf,
    /// A later DOTS download of a benefactor's own report (sheets `Exports, FOB` and/or
    /// `Imports, CIF`), used for years the folder lacks; may be repeated.
    #[arg(long = "own-report", value_name = "FILE")]
    pub own_reports: Vec<PathBuf>,
    /// A UN Comtrade extract of China's trade (cipf-comtrade layout): the partners' reports
    /// (`China_2.1.1_top_export_partners_reverse.xlsx`, `China_3.1.1_top_import_partners.xlsx`) or
    /// China's own (`china-reported-lusophone-2003-2024.xlsx`), for years after DOTS; may be repeated.
    /// The extract's last year is left out when it is a part-year (fewer than half as many partners
    /// report it as the year before).
    #[arg(long = "comtrade", value_name = "FILE")]
    pub comtrade: Vec<PathBuf>,
    /// Correlates of War Trade v4.0 dyads with the benefactors (`cow-trade-v4-china-russia.csv`): the
    /// last resort for a flow no other source reports (to 2014), and a check on the others.
    #[arg(long, value_name = "FILE")]
    pub cow: Option<PathBuf>,
}

pub static SOURCE: OneTable<ImportArgs> = OneTable {
    about: About { name: "trade", publisher: "International Monetary Fund; United Nations Statistics Division (UN Comtrade); Correlates of War", citation: CITATION },
    spec: &SPEC,
    indicators: indicators::INDICATORS,
    import: |args, datasets| reader::import(&args.dots, &args.own_reports, &args.comtrade, args.cow.as_deref(), datasets).map(|report| (report.table, report.provenance)),
    compute: indicators::compute,
    span: None,
};
