//! The reader: raw files → `datasets/`, through the import contract (`crate::ingest`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::sources::trade_family::{comtrade, Reported};
use crate::sources::trade_family::dots::{self, Figure, Flow, Party, Sheets, Workbook};
use crate::ingest::provenance::{percent_of, today, Comparison, Counts, Exclusion, Input, Provenance};
use crate::ingest::text::sha256_hex;
use crate::artefact::csv_bytes;
use crate::ingest::table::{self, Column, Kind, TableSpec};
use crate::domain::{normalise_name, CountryTable};
use crate::error::{Error, Result};

/// US$ millions: China's trade with the whole world is under 7 million million.
const MAX_TRADE: f64 = 1e8;

pub const SPEC: TableSpec = TableSpec {
    file: "trade.csv",
    command: "mdime import trade ../shared/data/trade/imf-dots-1960-2020 (with the options in the README)",
    columns: &[
        Column::text("benefactor"),
        Column::text("benefactor_iso3"),
        Column::text("partner"),
        Column::text("partner_iso3"),
        Column::new("year", Kind::YEAR),
        Column::optional_amount("exports", MAX_TRADE),
        Column::optional_amount("imports", MAX_TRADE),
        Column::amount("total", MAX_TRADE),
        Column::optional_amount("partner_world_trade", MAX_TRADE),
        Column::optional_amount("partner_reported_total", MAX_TRADE),
        Column::text("exports_source"),
        Column::text("imports_source"),
        Column::new("imf_estimate", Kind::Flag),
    ],
};
/// The derived table's file name inside the datasets folder.
pub const TABLE: &str = SPEC.file;
pub const CITATION: &str = "IMF Direction of Trade Statistics";
pub const PRECEDENCE: &str = "per flow and year, the benefactor's own report in the DOTS folder (dots-own), \
    then its own report in a later DOTS download (dots-own-later), then its own report to UN Comtrade \
    (comtrade-own), then the partner's report in DOTS (dots-mirror), then the partner's report to UN Comtrade \
    (comtrade-mirror), spliced to the own report: a partner's Comtrade figure of a flow is scaled by the ratio \
    of the own report to it over the last `SPLICE_YEARS` years both give (at least `MIN_SPLICE_YEARS`, no IMF \
    estimate), and its source says so (`comtrade-mirror×0.73`); Correlates of War Trade is compared, never used; a flow no source reports counts as 0 in `total` and has no source. \
    `partner_reported_total` is the partner's own DOTS report of the same trade, counting only the flows for \
    which it also reports its world total";
/// A partner's mirror figures continue the benefactor's own report only once scaled to it: China's
/// partners report to UN Comtrade a total that halves or doubles its own DOTS figure in a quarter of
/// them (Liberia 0.06, Djibouti 0.30), and an unspliced series reads that change of source as a change
/// of trade. The ratio comes from the last years both report, up to this many.
pub const SPLICE_YEARS: usize = 5;
/// Fewer years of overlap leave the seam unspliced (its source then lacks the ratio).
pub const MIN_SPLICE_YEARS: usize = 2;

/// The assessment window's years that DOTS covers, over which disagreement is also measured apart.
pub const RECENT_YEARS: (i32, i32) = (2012, 2020);

/// Where a figure came from, in order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    Own,
    OwnLater,
    ComtradeOwn,
    Mirror,
    ComtradeMirror,
    /// Compared, never used.
    Cow,
}

impl Source {
    pub fn label(self) -> &'static str {
        match self {
            Source::Own => "dots-own",
            Source::OwnLater => "dots-own-later",
            Source::ComtradeOwn => "comtrade-own",
            Source::Mirror => "dots-mirror",
            Source::ComtradeMirror => "comtrade-mirror",
            Source::Cow => "cow (check only)",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Source::Own => "benefactor's own report (DOTS folder)",
            Source::OwnLater => "benefactor's own report (later download)",
            Source::ComtradeOwn => "benefactor's own report to UN Comtrade",
            Source::Mirror => "partner's mirror report",
            Source::ComtradeMirror => "partner's mirror report to UN Comtrade",
            Source::Cow => "Correlates of War Trade v4.0",
        }
    }
}

/// One row of `datasets/trade.csv`: a benefactor's trade with one partner in one year, US$ millions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TradeRow {
    pub benefactor: String,
    pub benefactor_iso3: String,
    pub partner: String,
    pub partner_iso3: String,
    pub year: i32,
    /// The benefactor's exports to the partner.
    pub exports: Option<f64>,
    /// The benefactor's imports from the partner.
    pub imports: Option<f64>,
    pub total: f64,
    /// The partner's exports to and imports from the world, as it reports them.
    pub partner_world_trade: Option<f64>,
    /// The partner's own report of its trade with the benefactor, over the flows for which it reports
    /// its world total: the numerator of a share that cannot exceed 1.
    pub partner_reported_total: Option<f64>,
    pub exports_source: String,
    pub imports_source: String,
    /// Whether any figure in the row is an IMF estimate (` e`).
    pub imf_estimate: bool,
}

#[derive(Debug)]
pub struct ImportReport {
    pub table: PathBuf,
    pub provenance: Provenance,
    pub rows: Vec<TradeRow>,
}

/// Candidate figures for one cell, by source.
type Candidates = BTreeMap<Source, Figure>;

#[derive(Default)]
struct Stitch {
    /// (benefactor, partner, year, benefactor's flow) → figures.
    bilateral: BTreeMap<(String, String, i32, Flow), Candidates>,
    /// (reporter, year, flow) → its trade with the world.
    world: BTreeMap<(String, i32, Flow), Candidates>,
    excluded: BTreeMap<String, usize>,
    rows_read: usize,
    lines: usize,
}

/// Reads every workbook in `dots_folder`, the later own reports and the Comtrade extracts, and writes
/// `trade.csv` and its provenance into `datasets`.
pub fn import(dots_folder: &Path, later_reports: &[PathBuf], comtrade_extracts: &[PathBuf], cow: Option<&Path>, datasets: &Path) -> Result<ImportReport> {
    let countries = CountryTable::builtin();
    // Every benefactor datasets/benefactors.csv lists, whether or not a run compares it by default.
    let benefactors = crate::ingest::benefactors::carried(datasets)?;
    let paths = workbook_paths(dots_folder)?;
    let mut stitch = Stitch::default();
    let mut files = Vec::new();
    let mut first_of: BTreeMap<String, Workbook> = BTreeMap::new();
    for path in &paths {
        let workbook = dots::read(path, Sheets::Both, countries)?;
        let role = match (&workbook.reporter_party, first_of.get(&workbook.reporter)) {
            (_, Some(first)) => {
                if first.sheets != workbook.sheets {
                    return Err(Error::Format {
                        path: path.clone(),
                        message: format!("reports `{}` as {} does, with different figures", workbook.reporter, first.file_name()),
                    });
                }
                stitch.skip(&workbook, &format!("workbook repeats another reporting the same economy ({})", first.file_name()));
                format!("duplicate of {}: not used", first.file_name())
            }
            (Party::Aggregate(_), None) => {
                stitch.skip(&workbook, "reporter is an aggregate (World, a region, a group)");
                "aggregate reporter: not used".into()
            }
            (Party::Country(iso3), None) => {
                stitch.add(&workbook, iso3, Source::Own, &benefactors);
                if benefactors.contains(iso3) {
                    format!("own report of {}; mirror figures and world trade", workbook.reporter)
                } else {
                    format!("report of {}: mirror figures and world trade", workbook.reporter)
                }
            }
        };
        files.push(Input::file(workbook.file_name(), workbook.sha256.clone(), role));
        first_of.entry(workbook.reporter.clone()).or_insert(workbook);
    }
    for path in later_reports {
        let workbook = dots::read(path, Sheets::AtLeastOne, countries)?;
        let iso3 = match &workbook.reporter_party {
            Party::Country(iso3) if benefactors.contains(iso3) => iso3.clone(),
            _ => {
                return Err(Error::Format {
                    path: path.clone(),
                    message: format!(
                        "reports `{}`, not a benefactor: `--own-report` takes a benefactor's own later DOTS report",
                        workbook.reporter
                    ),
                })
            }
        };
        stitch.add(&workbook, &iso3, Source::OwnLater, &benefactors);
        let flows: Vec<&str> = workbook.sheets.iter().map(|s| s.flow.sheet()).collect();
        files.push(Input::file(
            workbook.file_name(),
            workbook.sha256.clone(),
            format!("later own report of {} ({}), for years the folder lacks", workbook.reporter, flows.join(", ")),
        ));
    }
    for path in comtrade_extracts {
        let (layout, extract) = comtrade::read(path, countries, &benefactors)?;
        let (role, source) = match layout {
            comtrade::Layout::PartnerReported => ("UN Comtrade, partners' reports of their trade with the benefactor: mirror figures", Source::ComtradeMirror),
            comtrade::Layout::BenefactorReported => ("UN Comtrade, China's own report with the Portuguese-speaking countries", Source::ComtradeOwn),
        };
        files.push(Input::file(extract.file_name(), extract.sha256.clone(), role.into()));
        stitch.add_reported(extract, source);
    }
    if let Some(path) = cow {
        let reported = crate::sources::trade_family::cow::read(path, countries, &benefactors)?;
        files.push(Input::file(reported.file_name(), reported.sha256.clone(), "Correlates of War Trade v4.0, to 2014: compared with the table, never used in it".into()));
        stitch.add_reported(reported, Source::Cow);
    }

    let rows = stitch.rows(countries);
    let last_year = rows.iter().map(|r| r.year).max().unwrap_or_default();
    let comparisons = stitch.comparisons(countries);
    let manifest: String = files.iter().map(|f| format!("{}  {}\n", f.sha256, f.file)).collect();
    let excluded: Vec<Exclusion> = stitch.excluded.iter().map(|(reason, &rows)| Exclusion { reason: reason.clone(), rows }).collect();
    let mut provenance = Provenance {
        table: TABLE.into(),
        source: "IMF Direction of Trade Statistics (DOTS), one workbook per reporting economy".into(),
        citation: format!("{CITATION} (c) International Monetary Fund, https://data.imf.org/dot"),
        source_file: dots_folder.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        sha256: sha256_hex(manifest.as_bytes()),
        encoding: "xlsx".into(),
        data_generated: format!("not stated in the workbooks; figures to {last_year}"),
        imported_on: today(),
        mdime_version: env!("CARGO_PKG_VERSION").into(),
        method: PRECEDENCE.into(),
        layout: String::new(),
        normalised: Vec::new(),
        table_sha256: String::new(),
        counts: Counts {
            lines: stitch.lines,
            records_read: stitch.rows_read,
            records_rejected: 0,
            rows_written: rows.len(),
            ..Counts::default()
        },
        rejected: Vec::new(),
        excluded,
        inputs: files,
        comparisons,
    };

    let table = table::write_table(datasets, &SPEC, &csv_bytes(&rows)?, &mut provenance, dots_folder)?;
    Ok(ImportReport { table, provenance, rows })
}

/// The derived table and its provenance, if it has been imported: E3 is Not assessed without it.
pub fn load_table(datasets: &Path) -> Result<Option<(PathBuf, Provenance)>> {
    table::find_table(datasets, &SPEC)
}

/// The folder's `.xlsx` files, in a fixed order (DOTS numbers its files; `DOTS_2` before `DOTS_10`).
fn workbook_paths(folder: &Path) -> Result<Vec<PathBuf>> {
    let read_error = |source| Error::Read { path: folder.to_path_buf(), source };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(read_error)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<Vec<_>>>()
        .map_err(read_error)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")))
        .collect();
    if paths.is_empty() {
        return Err(Error::Format {
            path: folder.to_path_buf(),
            message: "no .xlsx workbooks: expected a folder of IMF DOTS workbooks (DOTS_<n>.xlsx)".into(),
        });
    }
    let number = |p: &PathBuf| {
        let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let digits: String = stem.chars().rev().take_while(char::is_ascii_digit).collect::<Vec<_>>().into_iter().rev().collect();
        (stem.trim_end_matches(char::is_numeric).to_string(), digits.parse::<u64>().unwrap_or(0), stem)
    };
    paths.sort_by_key(number);
    Ok(paths)
}

impl Stitch {
    fn count(&mut self, reason: &str) {
        *self.excluded.entry(reason.to_string()).or_default() += 1;
    }

    fn read_rows(&mut self, workbook: &Workbook) {
        for sheet in &workbook.sheets {
            self.lines += sheet.rows;
            self.rows_read += sheet.partners.len();
        }
    }

    fn skip(&mut self, workbook: &Workbook, reason: &str) {
        self.read_rows(workbook);
        for sheet in &workbook.sheets {
            for _ in &sheet.partners {
                self.count(reason);
            }
        }
    }

    /// Files a country's report: its rows for a benefactor, a benefactor's rows for every partner, and
    /// its World row; everything else is counted as excluded with the reason.
    fn add(&mut self, workbook: &Workbook, reporter: &str, source: Source, benefactors: &[String]) {
        self.read_rows(workbook);
        let reporter_is_benefactor = benefactors.iter().any(|b| b == reporter);
        for sheet in &workbook.sheets {
            for row in &sheet.partners {
                if row.figures.is_empty() {
                    self.count("no figure in any year");
                    continue;
                }
                let partner = match &row.party {
                    Party::Aggregate(name) if normalise_name(name) == "world" => {
                        for (&year, &figure) in &row.figures {
                            self.world.entry((reporter.to_string(), year, sheet.flow)).or_default().insert(source, figure);
                        }
                        continue;
                    }
                    Party::Aggregate(_) => {
                        self.count("partner is an aggregate other than World (a region, a group)");
                        continue;
                    }
                    Party::Country(iso3) if iso3 == reporter => {
                        self.count("partner is the reporter itself");
                        continue;
                    }
                    Party::Country(iso3) => iso3,
                };
                // Later downloads are benefactors' own reports only, so mirrors come from the folder.
                let mirror = benefactors.iter().any(|b| b == partner) && source == Source::Own;
                if !reporter_is_benefactor && !mirror {
                    self.count("trade between two economies neither of which is a benefactor");
                    continue;
                }
                for (&year, &figure) in &row.figures {
                    if reporter_is_benefactor {
                        self.bilateral.entry((reporter.to_string(), partner.clone(), year, sheet.flow)).or_default().insert(source, figure);
                    }
                    if mirror {
                        self.bilateral
                            .entry((partner.clone(), reporter.to_string(), year, sheet.flow.mirror()))
                            .or_default()
                            .insert(Source::Mirror, figure);
                    }
                }
            }
        }
    }

    /// Files a non-DOTS source's figures under their source.
    fn add_reported(&mut self, extract: Reported, source: Source) {
        self.lines += extract.lines;
        self.rows_read += extract.records_read;
        for (reason, n) in extract.excluded {
            *self.excluded.entry(reason).or_default() += n;
        }
        for cell in extract.cells {
            self.bilateral.entry((cell.benefactor, cell.partner, cell.year, cell.flow)).or_default().insert(source, cell.figure);
        }
    }

    /// Per benefactor, the last year a source covering all its partners gives both flows (not the DOTS
    /// mirror, which runs to the folder's end whatever the benefactor's own report does). A later
    /// download may reach a year further for one flow only (Russia's exports to 2023, imports to 2022);
    /// totals of such years would be half the trade, so they are left out.
    fn last_years(&self) -> BTreeMap<&str, i32> {
        let mut last: BTreeMap<(&str, Flow), i32> = BTreeMap::new();
        for ((b, _, year, flow), candidates) in &self.bilateral {
            if candidates.keys().any(|s| ![Source::Mirror, Source::Cow].contains(s)) {
                let entry = last.entry((b, *flow)).or_insert(*year);
                *entry = (*entry).max(*year);
            }
        }
        let mut out: BTreeMap<&str, i32> = BTreeMap::new();
        for ((b, _), year) in last {
            out.entry(b).and_modify(|y| *y = (*y).min(year)).or_insert(year);
        }
        out
    }

    /// Per benefactor, partner and flow, the own report's total over the partner's Comtrade figure in
    /// the last `SPLICE_YEARS` years both give (`MIN_SPLICE_YEARS` at least, IMF estimates left out).
    fn splice_ratios(&self) -> BTreeMap<(&str, &str, Flow), f64> {
        let mut overlap: BTreeMap<(&str, &str, Flow), Vec<(f64, f64)>> = BTreeMap::new();
        for ((b, p, _, flow), candidates) in self.bilateral.iter().rev() {
            let own = candidates.iter().find(|(s, f)| [Source::Own, Source::OwnLater, Source::ComtradeOwn].contains(s) && !f.estimated);
            if let (Some((_, own)), Some(mirror)) = (own, candidates.get(&Source::ComtradeMirror)) {
                let years = overlap.entry((b, p, *flow)).or_default();
                if years.len() < SPLICE_YEARS {
                    years.push((own.value, mirror.value));
                }
            }
        }
        overlap
            .into_iter()
            .filter(|(_, years)| years.len() >= MIN_SPLICE_YEARS)
            .filter_map(|(key, years)| {
                let (own, mirror) = years.iter().fold((0.0, 0.0), |(o, m), (a, b)| (o + a, m + b));
                (own > 0.0 && mirror > 0.0).then_some((key, own / mirror))
            })
            .collect()
    }

    fn rows(&mut self, countries: &CountryTable) -> Vec<TradeRow> {
        let name = |iso3: &str| countries.country(iso3).map_or(iso3.to_string(), |c| c.name.clone());
        let first = |c: Option<&Candidates>| {
            c.and_then(|c| c.iter().find(|(s, _)| **s != Source::Cow).map(|(s, f)| (*s, Figure { value: round(f.value), ..*f })))
        };
        let ratios = self.splice_ratios();
        let last_years = self.last_years();
        let mut years: BTreeMap<(&str, &str, i32), ()> = BTreeMap::new();
        let mut beyond = 0;
        for (b, p, year, _) in self.bilateral.iter().filter(|(_, c)| c.keys().any(|s| *s != Source::Cow)).map(|(k, _)| k) {
            if last_years.get(b.as_str()).is_some_and(|last| year > last) {
                beyond += 1;
            } else {
                years.insert((b, p, *year), ());
            }
        }
        let rows = years
            .into_keys()
            .map(|(b, p, year)| {
                let flow = |f: Flow| {
                    let (source, figure) = first(self.bilateral.get(&(b.to_string(), p.to_string(), year, f)))?;
                    match ratios.get(&(b, p, f)).filter(|_| source == Source::ComtradeMirror) {
                        Some(ratio) => Some((format!("{}×{ratio:.2}", source.label()), Figure { value: round(figure.value * ratio), ..figure })),
                        None => Some((source.label().to_string(), figure)),
                    }
                };
                let (exports, imports) = (flow(Flow::Exports), flow(Flow::Imports));
                let world: Vec<Option<(Source, Figure)>> =
                    Flow::BOTH.iter().map(|&f| first(self.world.get(&(p.to_string(), year, f)))).collect();
                let world_trade = world.iter().any(Option::is_some).then(|| round(world.iter().flatten().map(|(_, f)| f.value).sum()));
                // The partner's own figure for each of the benefactor's flows, where it also gives the
                // world total of the same flow (the benefactor's exports are the partner's imports).
                let reported: Vec<f64> = Flow::BOTH
                    .iter()
                    .filter(|&&f| self.world.contains_key(&(p.to_string(), year, f.mirror())))
                    .filter_map(|&f| self.bilateral.get(&(b.to_string(), p.to_string(), year, f))?.get(&Source::Mirror).map(|m| m.value))
                    .collect();
                let partner_reported = (world_trade.is_some() && !reported.is_empty()).then(|| round(reported.iter().sum()));
                let estimate = [&exports, &imports].into_iter().flatten().any(|(_, f)| f.estimated) || world.iter().flatten().any(|(_, f)| f.estimated);
                TradeRow {
                    benefactor: name(b),
                    benefactor_iso3: b.to_string(),
                    partner: name(p),
                    partner_iso3: p.to_string(),
                    year,
                    exports: exports.as_ref().map(|(_, f)| f.value),
                    imports: imports.as_ref().map(|(_, f)| f.value),
                    total: round(exports.as_ref().map_or(0.0, |(_, f)| f.value) + imports.as_ref().map_or(0.0, |(_, f)| f.value)),
                    partner_world_trade: world_trade,
                    partner_reported_total: partner_reported,
                    exports_source: exports.map(|(s, _)| s).unwrap_or_default(),
                    imports_source: imports.map(|(s, _)| s).unwrap_or_default(),
                    imf_estimate: estimate,
                }
            })
            .collect();
        if beyond > 0 {
            *self.excluded.entry("partner-year figures (not sheet rows) after the benefactor's last year with both flows".into()).or_default() += beyond;
        }
        rows
    }

    /// How far each later source is from the benefactor's own report, per benefactor and flow, over
    /// every year both have a figure and over `RECENT_YEARS`. IMF estimates are left out: the IMF
    /// derives them from the other side's report, so they would agree by construction.
    fn comparisons(&self, countries: &CountryTable) -> Vec<Comparison> {
        let mut cells: BTreeMap<(&str, Flow, Source), Vec<(i32, f64, f64)>> = BTreeMap::new();
        for ((b, _, year, flow), candidates) in &self.bilateral {
            let Some(own) = candidates.get(&Source::Own).filter(|f| !f.estimated) else { continue };
            for (&source, other) in candidates.iter().filter(|(s, f)| **s != Source::Own && !f.estimated) {
                cells.entry((b, *flow, source)).or_default().push((*year, own.value, other.value));
            }
        }
        let mut out = Vec::new();
        for ((b, flow, source), cells) in &cells {
            let benefactor = countries.country(b).map_or(b.to_string(), |c| c.name.clone());
            let all = (cells.iter().map(|c| c.0).min().unwrap_or(0), cells.iter().map(|c| c.0).max().unwrap_or(0));
            let recent = (RECENT_YEARS.0.max(all.0), RECENT_YEARS.1.min(all.1));
            let periods = if recent == all { vec![all] } else { vec![all, recent] };
            for (first, last) in periods {
                let within: Vec<(f64, f64)> =
                    cells.iter().filter(|c| (first..=last).contains(&c.0)).map(|c| (c.1, c.2)).collect();
                if within.is_empty() {
                    continue;
                }
                let reference: f64 = within.iter().map(|c| c.0).sum();
                let other: f64 = within.iter().map(|c| c.1).sum();
                let gap: f64 = within.iter().map(|c| (c.1 - c.0).abs()).sum();
                out.push(Comparison {
                    what: format!("{benefactor} {} by partner and year", flow.label()),
                    reference: Source::Own.describe().into(),
                    other: source.describe().into(),
                    first_year: first,
                    last_year: last,
                    cells: within.len(),
                    reference_total: reference.round(),
                    other_total: other.round(),
                    total_gap_pct: percent_of(reference, other - reference),
                    cell_gap_pct: percent_of(reference, gap),
                    precedence: None,
                });
            }
        }
        out
    }
}

/// Six decimals, as DOTS gives them: no trace of summation order in the output.
fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
