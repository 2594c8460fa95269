//! M2 (shared multilateral military engagements): the benefactor's uniformed personnel in UN missions
//! deployed in the recipient, from `datasets/peacekeeping.csv`.
//!
//! The table lists every UN mission and contributor for the years it spans, so for those years it covers
//! every benefactor × recipient: a recipient that hosts no mission, or none with the benefactor in it,
//! is covered and shows no activity.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;

use crate::indicators::{Indicators, PairValues, Period, Scope};
use crate::domain::Instrument;
use crate::error::Result;
use super::reader as peacekeeping;

const PERSONNEL: &str = "personnel";

pub const INDICATORS: &[(Instrument, &str)] = &[
    (Instrument::M2, "peacekeepers"),
    (Instrument::M2, "mean_peacekeepers"),
    (Instrument::M2, "years_present"),
    (Instrument::M2, "share_of_mission_personnel"),
    (Instrument::M2, "present_latest_year"),
];

/// What the table says about one host: per year, each contributor's personnel and whether it was
/// there at all (Geo-PKO can list a unit without its size), and the missions' total personnel.
#[derive(Debug, Default)]
struct Host {
    personnel: BTreeMap<(String, i32), f64>,
    mission_personnel: BTreeMap<i32, f64>,
}

fn load(table: &Path) -> Result<DataFrame> {
    crate::indicators::read_table(
        table,
        &[],
        &[
            ("year", DataType::Int32),
            ("personnel", DataType::Float64),
            ("mission_personnel", DataType::Float64),
            ("under_counted", DataType::Boolean),
        ],
    )
}

/// The M2 indicators, or none (and no coverage, so M2 is Not assessed) when the table has not been
/// imported or its years miss the window.
pub fn compute(datasets: &Path, scope: &Scope) -> Result<Indicators> {
    let mut out = Indicators::default();
    let Some((table, _)) = peacekeeping::find_table(datasets)? else { return Ok(out) };
    let frame = load(&table)?;
    let years = frame.column("year")?.i32()?;
    let (Some(first), Some(last)) = (years.min(), years.max()) else { return Ok(out) };
    let (start, end) = (scope.window.start.max(first), scope.window.end.min(last));
    if start > end {
        return Ok(out);
    }
    let source = source_label(&frame)?;
    let in_years = col("year").gt_eq(lit(start)).and(col("year").lt_eq(lit(end)));
    let rows = frame.lazy().filter(in_years).filter(col("host_iso3").is_not_null());
    let by_contributor = rows
        .clone()
        .filter(col("contributor_iso3").is_not_null())
        .group_by([col("host_iso3"), col("contributor_iso3"), col("year")])
        .agg([col("personnel").fill_null(lit(0.0)).sum().alias("personnel")])
        .sort(["host_iso3", "contributor_iso3", "year"], SortMultipleOptions::default())
        .collect()?;
    // Each row repeats its mission's total: one per mission-year, then summed over the host's missions.
    let by_mission = rows
        .group_by([col("host_iso3"), col("year"), col("mission")])
        .agg([col("mission_personnel").first().fill_null(lit(0.0)).alias("mission_personnel")])
        .group_by([col("host_iso3"), col("year")])
        .agg([col("mission_personnel").sum()])
        .sort(["host_iso3", "year"], SortMultipleOptions::default())
        .collect()?;
    let hosts = hosts(&by_contributor, &by_mission)?;

    let none = Host::default();
    for benefactor in scope.benefactors {
        for recipient in scope.recipients {
            let host = hosts.get(&recipient.iso3).unwrap_or(&none);
            let mut pair = PairValues { out: &mut out, benefactor: &benefactor.iso3, recipient: &recipient.iso3, source: &source };
            let yearly: Vec<(i32, Option<f64>)> =
                (start..=end).map(|year| (year, host.personnel.get(&(benefactor.iso3.clone(), year)).copied())).collect();
            for &(year, personnel) in &yearly {
                pair.push(Instrument::M2, "peacekeepers", Period::Year(year), personnel.unwrap_or(0.0), PERSONNEL);
            }
            let window = Period::Window(start, end);
            let total: f64 = yearly.iter().filter_map(|(_, p)| *p).sum();
            pair.push(Instrument::M2, "mean_peacekeepers", window, total / yearly.len() as f64, PERSONNEL);
            pair.push(Instrument::M2, "years_present", window, yearly.iter().filter(|(_, p)| p.is_some()).count() as f64, "years");
            let missions: f64 = host.mission_personnel.range(start..=end).map(|(_, p)| p).sum();
            if missions > 0.0 {
                pair.push(Instrument::M2, "share_of_mission_personnel", window, total / missions, "share (0-1)");
            }
            let latest = yearly.last().is_some_and(|(_, p)| p.is_some());
            pair.push(Instrument::M2, "present_latest_year", window, f64::from(u8::from(latest)), "flag (0/1)");
            pair.cover(Instrument::M2, start, end);
        }
    }
    Ok(out)
}

/// Names each source in the table with the years it supplies, e.g.
/// `UN peacekeeping contributions 2010-2021; Geo-PKO v2.3 1994-2024`.
fn source_label(frame: &DataFrame) -> Result<String> {
    let spans = frame
        .clone()
        .lazy()
        .group_by([col("source")])
        .agg([col("year").min().alias("first"), col("year").max().alias("last")])
        .sort(["source"], SortMultipleOptions::default())
        .collect()?;
    let (source, first, last) = (spans.column("source")?.str()?, spans.column("first")?.i32()?, spans.column("last")?.i32()?);
    let parts: Vec<String> = (0..spans.height())
        .filter_map(|i| {
            let name = match source.get(i)? {
                "un" => "UN peacekeeping contributions",
                "geo-pko" => "Geo-PKO v2.3",
                other => other,
            };
            Some(format!("{name} {}-{}", first.get(i)?, last.get(i)?))
        })
        .collect();
    Ok(parts.join(crate::indicators::SOURCE_SEPARATOR))
}

fn hosts(by_contributor: &DataFrame, by_mission: &DataFrame) -> Result<BTreeMap<String, Host>> {
    let mut hosts: BTreeMap<String, Host> = BTreeMap::new();
    let (host, contributor) = (by_contributor.column("host_iso3")?.str()?, by_contributor.column("contributor_iso3")?.str()?);
    let (year, personnel) = (by_contributor.column("year")?.i32()?, by_contributor.column("personnel")?.f64()?);
    for i in 0..by_contributor.height() {
        let (Some(h), Some(c), Some(y)) = (host.get(i), contributor.get(i), year.get(i)) else { continue };
        hosts.entry(h.to_string()).or_default().personnel.insert((c.to_string(), y), personnel.get(i).unwrap_or(0.0));
    }
    let (host, year, total) =
        (by_mission.column("host_iso3")?.str()?, by_mission.column("year")?.i32()?, by_mission.column("mission_personnel")?.f64()?);
    for i in 0..by_mission.height() {
        let (Some(h), Some(y)) = (host.get(i), year.get(i)) else { continue };
        hosts.entry(h.to_string()).or_default().mission_personnel.insert(y, total.get(i).unwrap_or(0.0));
    }
    Ok(hosts)
}
