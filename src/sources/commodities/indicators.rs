//! E3 context: each benefactor's share of a recipient's exports of each strategic commodity (crude oil,
//! gold, uranium, lithium…), from `datasets/commodity_trade.csv` (UN Comtrade by HS code) and the
//! commodities of `datasets/strategic_commodities.csv`.
//!
//! The extracts reach few recipients and, for most, the largest buyers only, so the shares are reported
//! beside the E3 rating rather than rated: a rubric threshold would then mean different things in
//! different recipients. A share is given only where the extract states both the benefactor's purchases
//! and the recipient's total; otherwise the row says what is known (an upper bound when the benefactor
//! is not among the listed buyers, the purchases alone when no total is given), and a commodity no
//! extract reaches has no row at all.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::indicators::{round6, Scope};
use crate::error::Result;
use super::reader::{self as commodities, CommodityFlow};

/// What an extract says about one benefactor's share of one recipient's exports of one commodity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ShareStatus {
    /// The benefactor is among the buyers listed for every HS code: `share` is exact (as buyers report).
    Share,
    /// Listed for some of the commodity's HS codes only: `share_below` bounds the share.
    ListedForSomeCodes,
    /// Not among the largest buyers the extract lists: `share_below` bounds the share.
    NotAmongListedBuyers,
    /// The extract lists every reporting buyer and the benefactor reported no purchase.
    NoneReported,
    /// The benefactor's purchases are known but not the recipient's total: no share can be given.
    NoTotal,
}

impl ShareStatus {
    /// The label in `commodities.csv`.
    pub fn label(self) -> &'static str {
        match self {
            ShareStatus::Share => "share",
            ShareStatus::ListedForSomeCodes => "listed for some HS codes",
            ShareStatus::NotAmongListedBuyers => "not among listed buyers",
            ShareStatus::NoneReported => "none reported",
            ShareStatus::NoTotal => "no total",
        }
    }
}

/// One benefactor × recipient × strategic commodity, in the latest year of the window an extract covers.
#[derive(Debug, Clone, PartialEq)]
pub struct CommodityShare {
    pub benefactor: String,
    pub recipient: String,
    pub commodity: String,
    pub year: i32,
    /// The HS codes of the commodity the extract lists that year, `;`-separated.
    pub hs_codes: String,
    /// The recipient's exports to the benefactor (US dollars) over the codes the benefactor is listed
    /// for, as the source file reports them (mirror figures: the buyer's report, where a total is
    /// stated); None when listed for none.
    pub exports_to_benefactor_usd: Option<f64>,
    /// The recipient's exports of the commodity to every reporting buyer (US dollars), when given.
    pub recipient_exports_usd: Option<f64>,
    /// Share (0–1) of the recipient's exports, when the extract states it.
    pub share: Option<f64>,
    /// An upper bound on the share when the benefactor is missing from a ranked list: its purchases are
    /// below the smallest listed buyer's in each code it is missing from.
    pub share_below: Option<f64>,
    pub status: ShareStatus,
    /// `all` reporting buyers or the `top five`.
    pub buyers_listed: String,
    pub source_file: String,
}

/// The strategic-commodity shares of a run: the commodities the project tracks and what the extracts
/// say of them for the run's pairs, sorted by recipient, commodity and benefactor.
#[derive(Debug, Default)]
pub struct StrategicExports {
    pub commodities: Vec<String>,
    pub shares: Vec<CommodityShare>,
}

impl StrategicExports {
    pub fn of_recipient<'a>(&'a self, recipient: &'a str) -> impl Iterator<Item = &'a CommodityShare> + 'a {
        self.shares.iter().filter(move |s| s.recipient == recipient)
    }
}

/// Reads the table if it has been imported; a run without it has no shares to report.
pub fn compute(datasets: &Path, scope: &Scope) -> Result<StrategicExports> {
    let Some(flows) = commodities::load(datasets)? else { return Ok(StrategicExports::default()) };
    Ok(StrategicExports { commodities: commodities::strategic_commodities(datasets)?, shares: shares(&flows, scope) })
}

/// Rows that state a recipient's total exports of a code: the buyers' own reports with the exporter's
/// total (ranked lists) or every reporting buyer (API tables).
fn states_total(flow: &CommodityFlow) -> bool {
    flow.reported_by == "importer" && (flow.exporter_total_usd.is_some() || flow.buyers_listed == "all")
}

fn shares(flows: &[CommodityFlow], scope: &Scope) -> Vec<CommodityShare> {
    let mut out = Vec::new();
    for recipient in scope.recipients {
        let exported: Vec<&CommodityFlow> =
            flows.iter().filter(|f| f.exporter_iso3 == recipient.iso3 && scope.window.contains(f.year)).collect();
        let commodities: BTreeSet<&str> = exported.iter().map(|f| f.commodity.as_str()).collect();
        for commodity in commodities {
            let of_commodity: Vec<&CommodityFlow> = exported.iter().copied().filter(|f| f.commodity == commodity).collect();
            // The latest year an extract states the total in; between two extracts that year, the one
            // listing every buyer, then the first by name.
            let basis = of_commodity
                .iter()
                .filter(|f| states_total(f))
                .max_by(|a, b| (a.year, a.buyers_listed == "all", std::cmp::Reverse(&a.source_file)).cmp(&(b.year, b.buyers_listed == "all", std::cmp::Reverse(&b.source_file))))
                .map(|f| (f.year, f.source_file.clone()));
            for benefactor in scope.benefactors {
                let row = match &basis {
                    Some((year, file)) => {
                        let listed: Vec<&CommodityFlow> =
                            of_commodity.iter().copied().filter(|f| f.year == *year && &f.source_file == file && states_total(f)).collect();
                        Some(with_total(&listed, &benefactor.iso3))
                    }
                    None => without_total(&of_commodity, &benefactor.iso3),
                };
                if let Some(row) = row {
                    out.push(CommodityShare { benefactor: benefactor.iso3.clone(), recipient: recipient.iso3.clone(), commodity: commodity.to_string(), ..row });
                }
            }
        }
    }
    out.sort_by(|a, b| (&a.recipient, &a.commodity, &a.benefactor).cmp(&(&b.recipient, &b.commodity, &b.benefactor)));
    out
}

/// One extract's year for one commodity, whose rows state the recipient's total: the benefactor's share
/// or what bounds it.
fn with_total(listed: &[&CommodityFlow], benefactor: &str) -> CommodityShare {
    let mut by_code: BTreeMap<&str, Vec<&CommodityFlow>> = BTreeMap::new();
    for flow in listed {
        by_code.entry(flow.hs_code.as_str()).or_default().push(flow);
    }
    let all_buyers = listed.iter().all(|f| f.buyers_listed == "all");
    let (mut total, mut bought, mut bound, mut codes_listed) = (0.0, 0.0, 0.0, 0);
    for rows in by_code.values() {
        total += rows.iter().find_map(|f| f.exporter_total_usd).unwrap_or_else(|| rows.iter().map(|f| f.value_usd).sum());
        match rows.iter().find(|f| f.importer_iso3 == benefactor) {
            Some(flow) => {
                bought += flow.value_usd;
                codes_listed += 1;
            }
            None if !all_buyers => bound += rows.iter().map(|f| f.value_usd).fold(f64::INFINITY, f64::min),
            None => {}
        }
    }
    let fraction = |usd: f64| (total > 0.0).then(|| round6(usd / total));
    // Where every reporting buyer is listed, a code without the benefactor is a code it bought none of.
    let status = match codes_listed {
        0 if all_buyers => ShareStatus::NoneReported,
        0 => ShareStatus::NotAmongListedBuyers,
        n if n == by_code.len() || all_buyers => ShareStatus::Share,
        _ => ShareStatus::ListedForSomeCodes,
    };
    CommodityShare {
        benefactor: String::new(),
        recipient: String::new(),
        commodity: String::new(),
        year: listed[0].year,
        hs_codes: by_code.keys().copied().collect::<Vec<_>>().join(";"),
        exports_to_benefactor_usd: (codes_listed > 0).then_some(bought),
        recipient_exports_usd: Some(total),
        share: if status == ShareStatus::Share { fraction(bought) } else { None },
        share_below: matches!(status, ShareStatus::NotAmongListedBuyers | ShareStatus::ListedForSomeCodes).then(|| fraction(bought + bound)).flatten(),
        status,
        buyers_listed: listed[0].buyers_listed.clone(),
        source_file: listed[0].source_file.clone(),
    }
}

/// No extract states the recipient's total: the benefactor's latest purchases, where an extract gives
/// them, and no share.
fn without_total(of_commodity: &[&CommodityFlow], benefactor: &str) -> Option<CommodityShare> {
    let latest = of_commodity.iter().filter(|f| f.importer_iso3 == benefactor).map(|f| f.year).max()?;
    let rows: Vec<&&CommodityFlow> = of_commodity.iter().filter(|f| f.importer_iso3 == benefactor && f.year == latest).collect();
    let file = rows.iter().map(|f| &f.source_file).min()?.clone();
    let rows: Vec<&&CommodityFlow> = rows.into_iter().filter(|f| f.source_file == file).collect();
    Some(CommodityShare {
        benefactor: String::new(),
        recipient: String::new(),
        commodity: String::new(),
        year: latest,
        hs_codes: rows.iter().map(|f| f.hs_code.as_str()).collect::<BTreeSet<_>>().into_iter().collect::<Vec<_>>().join(";"),
        exports_to_benefactor_usd: Some(rows.iter().map(|f| f.value_usd).sum()),
        recipient_exports_usd: None,
        share: None,
        share_below: None,
        status: ShareStatus::NoTotal,
        buyers_listed: rows[0].buyers_listed.clone(),
        source_file: file,
    })
}
