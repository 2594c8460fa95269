//! Trade in strategic commodities (E3: crude oil, gold, uranium, lithium, cobalt, copper, rare earths…)
//! by HS code, from UN Comtrade extracts → `datasets/commodity_trade.csv`: one row per exporter ×
//! importer × HS code × year, with the exporter's or importer's total for the code where the extract
//! gives it. The HS codes that count, and the commodity each belongs to, are the project's table
//! `datasets/strategic_commodities.csv`; rows of other codes are set aside, counted.
//!
//! Three layouts, recognised by their header row:
//! - ranked buyers (cipf-comtrade `…_exports_products_partners_…_reverse`): an exporter's top products
//!   and the five largest buyers of each, as the buyers report their imports (`partnerDesc` the exporter,
//!   `reporterDesc` the buyer, `cmd_partner_upper_sum` every buyer's total, so the exporter's total);
//! - ranked suppliers (cipf-comtrade `<Importer>_3.3_imports_products_partners_…`): an importer's top
//!   products and the five largest suppliers of each, as the suppliers report their exports
//!   (`reporterDesc` the supplier, `cmd_partner_upper_sum` every supplier's total, so the importer's);
//!   the importer is named only by the file, as cipf-comtrade names it (`China_3.3_…`);
//! - the Comtrade API's own table (`typeCode,freqCode,…,primaryValue`), every reporter with one partner:
//!   a reporter-year can have several rows (flows `M` and its subset `FM`, customs and transport-mode
//!   breakdowns); only the totals (`M` or `X`, `TOTAL CPC`, `TOTAL MOT`, partner2 World) are read, and
//!   since every reporter is listed, their sum is the partner's total with the reporting world.
//!
//! Values are US dollars. A ranked extract's last year is left out when it is a part-year
//! (`comtrade::part_year`, weighed by value).

pub mod indicators;
mod reader;

pub use reader::*;

use std::path::{Path, PathBuf};

use clap::{ArgMatches, CommandFactory};

use super::{About, Imported, Inputs, Source, Table};
use crate::domain::Instrument;
use crate::error::Result;
use crate::indicators::{Indicators, Scope};

/// UN Comtrade extracts by HS code → `datasets/commodity_trade.csv`: trade in the strategic
/// commodities of datasets/strategic_commodities.csv (crude oil, gold, uranium, lithium, cobalt,
/// copper, rare earths…) per exporter × importer × HS code × year, in US dollars (E3).
///
/// Three layouts are read, recognised by their header: cipf-comtrade's ranked buyers of an
/// exporter's products (`…_exports_products_partners_…_reverse.xlsx`: the five largest buyers and
/// the exporter's total), its ranked suppliers of an importer's products (`China_3.3_imports_…`: the
/// importer named by the file), and the Comtrade API's own table (every reporter with one partner;
/// only the totals of flows M and X are read).
#[derive(Debug, clap::Parser)]
#[command(name = "commodities")]
pub struct ImportArgs {
    /// The extracts (default: the files under ../shared/data/trade/hs/).
    #[arg(value_name = "FILE", default_values = DEFAULT_FILES)]
    pub files: Vec<PathBuf>,
}

pub struct Commodities;

impl Source for Commodities {
    fn about(&self) -> About {
        About { name: "commodities", publisher: "United Nations Statistics Division (UN Comtrade)", citation: CITATION }
    }

    fn tables(&self) -> Vec<Table> {
        vec![Table { spec: &SPEC, instruments: vec![Instrument::E3] }]
    }

    fn indicators(&self) -> Vec<(Instrument, &'static str)> {
        Vec::new()
    }

    fn import_command(&self) -> Option<clap::Command> {
        Some(ImportArgs::command())
    }

    fn import(&self, args: &ArgMatches, datasets: &Path) -> Result<Imported> {
        let args: ImportArgs = super::parse_args(args)?;
        let report = reader::import(&args.files, datasets)?;
        Ok(Imported { tables: vec![report.table], provenance: report.provenance })
    }

    fn compute(&self, inputs: &Inputs, scope: &Scope) -> Result<Indicators> {
        Ok(Indicators { strategic_exports: indicators::compute(inputs.datasets, scope)?, ..Indicators::default() })
    }
}
