//! E1 (arms transfers) and the licensed-production signal for E2, from SIPRI's register.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;

use crate::indicators::{round6 as round, Indicators, PairValues, Period, Scope};
use crate::domain::Instrument;
use crate::error::Result;
use super::reader as sipri;

const TIV: &str = "TIV (millions)";

pub const INDICATORS: &[(Instrument, &str)] = &[
    (Instrument::E1, "tiv_delivered"),
    (Instrument::E1, "recipient_arms_imports"),
    (Instrument::E1, "share_of_arms_imports"),
    (Instrument::E1, "supplier_hhi"),
    (Instrument::E1, "supplier_rank"),
    (Instrument::E1, "deal_years"),
    (Instrument::E1, "years_with_deliveries"),
    (Instrument::E1, "uncertain_values"),
    (Instrument::E2, "licensed_production_deal_years"),
];

fn load(datasets: &Path) -> Result<(DataFrame, String)> {
    let (table, provenance) = sipri::load_table(datasets)?;
    let frame = crate::indicators::read_table(
        &table,
        &[],
        &[
            ("year", DataType::Int32),
            ("tiv", DataType::Float64),
            ("deals", DataType::UInt32),
            ("licensed_deals", DataType::UInt32),
            ("uncertain", DataType::Boolean),
        ],
    )?;
    let source = format!("{} (trade register, data generated {})", sipri::CITATION, provenance.data_generated);
    Ok((frame, source))
}

/// The first and last years of the arms table, which reaches back furthest of all sources (1950).
pub fn years(datasets: &Path) -> Result<(i32, i32)> {
    let (frame, _) = load(datasets)?;
    let years = frame.column("year")?.i32()?;
    Ok((years.min().unwrap_or(0), years.max().unwrap_or(0)))
}

/// Per supplier × recipient over the window, and per benefactor × recipient × year, in one pass each.
pub fn compute(datasets: &Path, scope: &Scope) -> Result<Indicators> {
    let (frame, source) = load(datasets)?;
    let window = scope.window;
    let last_year_of_data = frame.column("year")?.i32()?.max().unwrap_or(window.end).min(window.end);
    // Suppliers without an ISO code (`unknown supplier(s)`, non-state groups) still count in the
    // recipient's total imports, under their SIPRI name.
    let mut supplier = when(col("supplier_iso3").is_null())
        .then(col("supplier"))
        .otherwise(col("supplier_iso3"));
    if scope.attribute_ussr_to_russia {
        supplier = when(supplier.clone().eq(lit("SUN"))).then(lit("RUS")).otherwise(supplier);
    }
    let deliveries = frame
        .lazy()
        .filter(col("recipient_iso3").is_not_null())
        .filter(col("year").gt_eq(lit(window.start)).and(col("year").lt_eq(lit(window.end))))
        .with_column(supplier.alias("supplier_key"));

    let by_supplier = deliveries
        .clone()
        .group_by([col("recipient_iso3"), col("supplier_key")])
        .agg([
            col("tiv").sum().alias("tiv"),
            col("deals").sum().alias("deal_years"),
            col("licensed_deals").sum().alias("licensed_deals"),
            col("year").n_unique().alias("years"),
            col("uncertain").any(true).alias("uncertain"),
        ])
        .sort(["recipient_iso3", "supplier_key"], SortMultipleOptions::default())
        .collect()?;
    let by_year = deliveries
        .group_by([col("recipient_iso3"), col("supplier_key"), col("year")])
        .agg([col("tiv").sum().alias("tiv")])
        .sort(["recipient_iso3", "supplier_key", "year"], SortMultipleOptions::default())
        .collect()?;

    let suppliers = SupplierTotals::from_frame(&by_supplier)?;
    let yearly = yearly_tiv(&by_year)?;

    let mut out = Indicators::default();
    let window_period = Period::Window(window.start, window.end);
    for benefactor in scope.benefactors {
        for recipient in scope.recipients {
            let mut pair = PairValues { out: &mut out, benefactor: &benefactor.iso3, recipient: &recipient.iso3, source: &source };
            // Years after the register's last are unknown, not zero.
            for year in window.years().filter(|y| *y <= last_year_of_data) {
                let tiv = yearly.get(&(recipient.iso3.as_str(), benefactor.iso3.as_str(), year)).copied();
                pair.push(Instrument::E1, "tiv_delivered", Period::Year(year), tiv.unwrap_or(0.0), TIV);
            }
            let imports = suppliers.recipient_total(&recipient.iso3);
            let own = suppliers.get(&recipient.iso3, &benefactor.iso3);
            let tiv = own.map_or(0.0, |s| s.tiv);
            pair.push(Instrument::E1, "tiv_delivered", window_period, tiv, TIV);
            pair.push(Instrument::E1, "recipient_arms_imports", window_period, imports, TIV);
            if imports > 0.0 {
                pair.push(Instrument::E1, "share_of_arms_imports", window_period, tiv / imports, "share (0-1)");
                pair.push(Instrument::E1, "supplier_hhi", window_period, suppliers.hhi(&recipient.iso3), "HHI (0-10000)");
            }
            if let Some(rank) = own.and_then(|_| suppliers.rank(&recipient.iso3, &benefactor.iso3)) {
                pair.push(Instrument::E1, "supplier_rank", window_period, rank as f64, "rank (1 = largest)");
            }
            pair.push(Instrument::E1, "deal_years", window_period, own.map_or(0.0, |s| s.deal_years), "deal-years");
            pair.push(Instrument::E1, "years_with_deliveries", window_period, own.map_or(0.0, |s| s.years), "years");
            pair.push(Instrument::E1, "uncertain_values", window_period, own.map_or(0.0, |s| f64::from(u8::from(s.uncertain))), "flag (0/1)");
            pair.push(Instrument::E2, "licensed_production_deal_years", window_period, own.map_or(0.0, |s| s.licensed), "deal-years");

            for instrument in [Instrument::E1, Instrument::E2] {
                pair.cover(instrument, window.start, last_year_of_data);
            }
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Copy)]
struct SupplierStats {
    tiv: f64,
    deal_years: f64,
    licensed: f64,
    years: f64,
    uncertain: bool,
}

/// Each recipient's suppliers over the window, for shares, ranks and concentration.
struct SupplierTotals {
    by_recipient: BTreeMap<String, BTreeMap<String, SupplierStats>>,
}

impl SupplierTotals {
    fn from_frame(frame: &DataFrame) -> Result<SupplierTotals> {
        let recipient = frame.column("recipient_iso3")?.str()?;
        let supplier = frame.column("supplier_key")?.str()?;
        let tiv = frame.column("tiv")?.f64()?;
        let deal_years = frame.column("deal_years")?.cast(&DataType::Float64)?;
        let licensed = frame.column("licensed_deals")?.cast(&DataType::Float64)?;
        let years = frame.column("years")?.cast(&DataType::Float64)?;
        let uncertain = frame.column("uncertain")?.bool()?;
        let (deal_years, licensed, years) = (deal_years.f64()?, licensed.f64()?, years.f64()?);
        let mut by_recipient: BTreeMap<String, BTreeMap<String, SupplierStats>> = BTreeMap::new();
        for i in 0..frame.height() {
            let (Some(r), Some(s)) = (recipient.get(i), supplier.get(i)) else { continue };
            by_recipient.entry(r.to_string()).or_default().insert(
                s.to_string(),
                SupplierStats {
                    tiv: tiv.get(i).unwrap_or(0.0),
                    deal_years: deal_years.get(i).unwrap_or(0.0),
                    licensed: licensed.get(i).unwrap_or(0.0),
                    years: years.get(i).unwrap_or(0.0),
                    uncertain: uncertain.get(i).unwrap_or(false),
                },
            );
        }
        Ok(SupplierTotals { by_recipient })
    }

    fn get(&self, recipient: &str, supplier: &str) -> Option<SupplierStats> {
        self.by_recipient.get(recipient)?.get(supplier).copied()
    }

    fn recipient_total(&self, recipient: &str) -> f64 {
        self.by_recipient.get(recipient).map_or(0.0, |s| s.values().map(|v| v.tiv).sum())
    }

    /// 1 for the largest supplier by TIV; suppliers with equal TIV share the better rank.
    fn rank(&self, recipient: &str, supplier: &str) -> Option<usize> {
        let suppliers = self.by_recipient.get(recipient)?;
        let own = suppliers.get(supplier)?.tiv;
        Some(1 + suppliers.values().filter(|s| s.tiv > own).count())
    }

    /// Herfindahl–Hirschman index of the suppliers' shares, 0–10,000 (10,000 = a single supplier).
    fn hhi(&self, recipient: &str) -> f64 {
        let total = self.recipient_total(recipient);
        self.by_recipient.get(recipient).map_or(0.0, |s| {
            s.values().map(|v| (100.0 * v.tiv / total).powi(2)).sum()
        })
    }
}

fn yearly_tiv(frame: &DataFrame) -> Result<BTreeMap<(&str, &str, i32), f64>> {
    let recipient = frame.column("recipient_iso3")?.str()?;
    let supplier = frame.column("supplier_key")?.str()?;
    let year = frame.column("year")?.i32()?;
    let tiv = frame.column("tiv")?.f64()?;
    Ok((0..frame.height())
        .filter_map(|i| Some(((recipient.get(i)?, supplier.get(i)?, year.get(i)?), round(tiv.get(i)?))))
        .collect())
}
