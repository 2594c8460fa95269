//! The reader: raw files → `datasets/`, through the import contract (`crate::ingest`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::sources::trade_family::comtrade::{cell_problem, first_sheet, number, part_year, text, year, FirstSheet};
use crate::ingest::one_file::{CsvFile, Text};
use crate::ingest::provenance::{today, Counts, Exclusion, Input, Provenance};
use crate::ingest::table::{self, Column, Kind, TableSpec};
use crate::ingest::text::sha256_hex;
use crate::artefact::csv_bytes;
use crate::domain::{CountryTable, NameMatch};
use crate::error::{Error, Problem, Result};

pub const DEFAULT_FILES: [&str; 6] = [
    "../shared/data/trade/hs/cipf-comtrade-top-products/Angola_2.3_exports_products_partners_HS-AG6-2003-2025_reverse.xlsx",
    "../shared/data/trade/hs/cipf-comtrade-top-products/China_3.3_imports_products_partners_HS-AG6-2014-2025.xlsx",
    "../shared/data/trade/hs/gold-comtrade-burkina-faso-algeria/Burkina_Faso_import_comtrade.xlsx",
    "../shared/data/trade/hs/gold-comtrade-burkina-faso-algeria/Burkina_Faso_export_comtrade.xlsx",
    "../shared/data/trade/hs/gold-comtrade-burkina-faso-algeria/Algeria_import_comtrade.xlsx",
    "../shared/data/trade/hs/gold-comtrade-burkina-faso-algeria/Algeria_export_comtrade.xlsx",
];
pub const CITATION: &str = "UN Comtrade, by HS code";
/// The curated table of strategic commodities by HS code.
pub const COMMODITIES: &str = "strategic_commodities.csv";

/// US dollars: a country's exports of one HS code in one year are far below ten million million.
const MAX_USD: f64 = 1e13;

pub const SPEC: TableSpec = TableSpec {
    file: "commodity_trade.csv",
    command: "mdime import commodities",
    columns: &[
        Column::text("exporter"),
        Column::text("exporter_iso3"),
        Column::text("importer"),
        Column::text("importer_iso3"),
        Column::text("reported_by"),
        Column::text("commodity"),
        Column::text("hs_code"),
        Column::new("year", Kind::YEAR),
        Column::amount("value_usd", MAX_USD),
        Column::optional_amount("exporter_total_usd", MAX_USD),
        Column::optional_amount("importer_total_usd", MAX_USD),
        Column::text("buyers_listed"),
        Column::text("source_file"),
    ],
};
pub const TABLE: &str = SPEC.file;

/// One row of `datasets/commodity_trade.csv`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CommodityFlow {
    pub exporter: String,
    pub exporter_iso3: String,
    pub importer: String,
    pub importer_iso3: String,
    /// `importer` (its imports: mirror figures of the exporter's exports) or `exporter`.
    pub reported_by: String,
    pub commodity: String,
    pub hs_code: String,
    pub year: i32,
    pub value_usd: f64,
    /// The exporter's exports of the code to every buyer, where the extract gives it.
    pub exporter_total_usd: Option<f64>,
    /// The importer's imports of the code from every supplier, where the extract gives it.
    pub importer_total_usd: Option<f64>,
    /// `all` when the extract lists every reporting buyer of the exporter (so buyers it does not list
    /// bought none, as far as Comtrade's reporters go), `top five` when it lists the largest only.
    pub buyers_listed: String,
    pub source_file: String,
}

#[derive(Debug)]
pub struct ImportReport {
    pub table: PathBuf,
    pub provenance: Provenance,
    pub rows: Vec<CommodityFlow>,
}

/// HS code → the commodities it belongs to (a catch-all code may stand for two).
pub fn strategic_codes(datasets: &Path) -> Result<BTreeMap<String, Vec<String>>> {
    let path = datasets.join(COMMODITIES);
    let file = CsvFile::read(&path, Text::Utf8, &["commodity", "hs_code", "hs_description", "level", "source_url"], "strategic commodities by HS code")?;
    let mut problems = Vec::new();
    let mut codes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for index in 0..file.records.len() {
        let mut row = file.row(index, &mut problems);
        let code = row.text("hs_code").to_string();
        if !(code.len() == 4 || code.len() == 6) || !code.bytes().all(|b| b.is_ascii_digit()) {
            row.problem("hs_code", format!("expected an HS heading (4 digits) or subheading (6), found `{code}`"));
            continue;
        }
        codes.entry(code).or_default().push(row.text("commodity").to_string());
    }
    file.check(problems)?;
    Ok(codes)
}

/// The commodities an HS 6-digit code belongs to: its own entry, or its heading's.
fn commodities_of<'c>(codes: &'c BTreeMap<String, Vec<String>>, hs: &str) -> &'c [String] {
    codes.get(hs).or_else(|| hs.get(..4).and_then(|heading| codes.get(heading))).map_or(&[], Vec::as_slice)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    RankedBuyers,
    RankedSuppliers,
    ComtradeApi,
}

impl Layout {
    const ALL: [(Layout, &'static str, &'static [&'static str]); 3] = [
        (
            Layout::RankedBuyers,
            "ranked buyers of an exporter's products (cipf-comtrade, reverse)",
            &["refYear", "partnerDesc", "flowCode", "cmdCode", "reporterDesc", "cmd_partner_sum", "cmd_partner_upper_sum"],
        ),
        (
            Layout::RankedSuppliers,
            "ranked suppliers of an importer's products (cipf-comtrade)",
            &["refYear", "flowCode", "cmdCode", "reporterDesc", "cmd_partner_sum", "cmd_partner_upper_sum"],
        ),
        (
            Layout::ComtradeApi,
            "UN Comtrade API table",
            &["refYear", "reporterDesc", "flowCode", "partnerDesc", "partner2Code", "cmdCode", "customsCode", "motCode", "primaryValue"],
        ),
    ];
}

/// Reads the extracts and writes `commodity_trade.csv` and its provenance into `datasets`.
pub fn import(files: &[PathBuf], datasets: &Path) -> Result<ImportReport> {
    let countries = CountryTable::builtin();
    let codes = strategic_codes(datasets)?;
    let mut rows = Vec::new();
    let mut inputs = Vec::new();
    let mut excluded: BTreeMap<String, usize> = BTreeMap::new();
    let mut records = 0;
    for path in files {
        let read = read_extract(path, countries, &codes)?;
        records += read.input.records_read;
        for exclusion in &read.input.set_aside {
            *excluded.entry(exclusion.reason.clone()).or_default() += exclusion.rows;
        }
        rows.extend(read.rows);
        inputs.push(read.input);
    }
    rows.sort_by(|a: &CommodityFlow, b| {
        (&a.exporter_iso3, &a.importer_iso3, &a.commodity, &a.hs_code, a.year, &a.source_file).cmp(&(&b.exporter_iso3, &b.importer_iso3, &b.commodity, &b.hs_code, b.year, &b.source_file))
    });
    let manifest: String = inputs.iter().map(|i| format!("{}  {}\n", i.sha256, i.file)).collect();
    let mut provenance = Provenance {
        table: TABLE.into(),
        source: "UN Comtrade extracts by HS code: ranked top products and buyers or suppliers (cipf-comtrade), API tables".into(),
        citation: format!("{CITATION}, https://comtradeplus.un.org (extracts by J. Carvalho, joaquimrcarvalho/cipf-comtrade, and satan17/Gold-Trade-Analysis)"),
        sha256: sha256_hex(manifest.as_bytes()),
        encoding: "xlsx".into(),
        imported_on: today(),
        mdime_version: env!("CARGO_PKG_VERSION").into(),
        method: "rows of the HS codes in datasets/strategic_commodities.csv; ranked extracts give the five largest buyers (or \
            suppliers) and the total over all of them; API tables give every reporter, of which only the totals (flow M or X, \
            TOTAL CPC, TOTAL MOT, partner2 World) are read; a ranked extract's last year is left out when it is a \
            part-year (less than half the year before's value)"
            .into(),
        counts: Counts { lines: inputs.iter().map(|i| i.lines).sum(), records_read: records, rows_written: rows.len(), ..Counts::default() },
        excluded: excluded.into_iter().map(|(reason, rows)| Exclusion { reason, rows }).collect(),
        inputs,
        ..Provenance::default()
    };
    let first = files.first().map_or(datasets, |f| f.as_path());
    let table = table::write_table(datasets, &SPEC, &csv_bytes(&rows)?, &mut provenance, first)?;
    Ok(ImportReport { table, provenance, rows })
}

/// The rows of `datasets/commodity_trade.csv`, checked against its provenance, or None when it has not
/// been imported.
pub fn load(datasets: &Path) -> Result<Option<Vec<CommodityFlow>>> {
    let Some((path, _)) = table::find_table(datasets, &SPEC)? else { return Ok(None) };
    let format_error = |e: csv::Error| Error::Format { path: path.clone(), message: format!("{e}; re-run `{}`", SPEC.command) };
    let mut reader = csv::Reader::from_path(&path).map_err(format_error)?;
    reader.deserialize().collect::<std::result::Result<Vec<CommodityFlow>, _>>().map(Some).map_err(format_error)
}

/// The commodity names of `datasets/strategic_commodities.csv`, each once, sorted.
pub fn strategic_commodities(datasets: &Path) -> Result<Vec<String>> {
    let names: BTreeSet<String> = strategic_codes(datasets)?.into_values().flatten().collect();
    Ok(names.into_iter().collect())
}

struct Read {
    input: Input,
    rows: Vec<CommodityFlow>,
}

fn read_extract(path: &Path, countries: &CountryTable, codes: &BTreeMap<String, Vec<String>>) -> Result<Read> {
    let format_error = |message: String| Error::Format { path: path.to_path_buf(), message };
    let FirstSheet { sha256, name: sheet, range, last_row, last_column, header } = first_sheet(path)?;
    let position = |name: &str| header.iter().position(|h| h == name).map(|p| p as u32);
    let Some(&(layout, description, _)) = Layout::ALL.iter().find(|(_, _, columns)| columns.iter().all(|c| position(c).is_some())) else {
        let expected: Vec<String> = Layout::ALL.iter().map(|(_, d, c)| format!("{d} (columns {})", c.join(", "))).collect();
        return Err(format_error(format!("{sheet}!A1: header row `{}` is in no layout mdime reads here; expected {}", header.join(","), expected.join(", or "))));
    };
    let column = |name: &str| position(name).expect("the layout's columns were checked");
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut problems = Vec::new();
    let problem = |row: u32, column: u32, message: String| cell_problem(path, &sheet, (row, column), message);
    // The importer of a ranked-suppliers extract is named by the file alone.
    let subject = match layout {
        Layout::RankedSuppliers => {
            let stem = file_name.split('_').next().unwrap_or_default().replace('-', " ");
            match countries.country(&stem) {
                Some(c) => Some((c.name.clone(), c.iso3.clone())),
                None => return Err(format_error(format!("a ranked-suppliers extract names its importer first in the file name (`China_3.3_…`); `{stem}` is not a country"))),
            }
        }
        _ => None,
    };
    let mut set_aside: BTreeMap<String, usize> = BTreeMap::new();
    let mut records: Vec<(u32, i32)> = Vec::new();
    for row in 1..=last_row {
        if (0..=last_column).all(|c| text(&range, (row, c)).is_empty()) {
            continue;
        }
        match year(range.get_value((row, column("refYear")))) {
            Ok(y) => records.push((row, y)),
            Err(message) => problems.push(problem(row, column("refYear"), message)),
        }
    }
    // A ranked extract is weighed by value: it lists as many buyers in a part-year as in a full one.
    let part_year = match layout {
        Layout::ComtradeApi => None,
        Layout::RankedBuyers | Layout::RankedSuppliers => {
            part_year(records.iter().map(|&(row, year)| (year, number(range.get_value((row, column("cmd_partner_sum")))).unwrap_or(0.0))))
        }
    };
    let party = |row: u32, name_column: u32, problems: &mut Vec<Problem>| -> Option<Option<(String, String)>> {
        let name = text(&range, (row, name_column));
        match countries.resolve(&name) {
            Some(NameMatch::Country(c)) => Some(Some((c.name.clone(), c.iso3.clone()))),
            Some(NameMatch::NonCountry(_)) => Some(None),
            None => {
                problems.push(problem(row, name_column, countries.unknown_in_data(&name)));
                None
            }
        }
    };
    let usd = |row: u32, name: &str, problems: &mut Vec<Problem>| -> Option<f64> {
        let value = range.get_value((row, column(name)));
        match number(value) {
            Some(v) if v.is_finite() && (0.0..=MAX_USD).contains(&v) => Some(v),
            _ => {
                let shown = value.map(ToString::to_string).unwrap_or_default();
                problems.push(problem(row, column(name), format!("expected US dollars from 0 to {MAX_USD}, found `{shown}`")));
                None
            }
        }
    };
    let mut rows = Vec::new();
    let mut seen: BTreeSet<(String, String, String, i32)> = BTreeSet::new();
    for &(row, year) in &records {
        if Some(year) == part_year {
            *set_aside.entry(format!("{year}: a part-year, to the extraction date")).or_default() += 1;
            continue;
        }
        let hs = text(&range, (row, column("cmdCode")));
        let commodities = commodities_of(codes, &hs);
        if commodities.is_empty() {
            *set_aside.entry("not a strategic commodity's HS code".into()).or_default() += 1;
            continue;
        }
        let flow = text(&range, (row, column("flowCode")));
        let flow = match layout {
            Layout::RankedBuyers | Layout::RankedSuppliers => {
                let (value, total) = (usd(row, "cmd_partner_sum", &mut problems), usd(row, "cmd_partner_upper_sum", &mut problems));
                let reporter = party(row, column("reporterDesc"), &mut problems);
                let (Some(value), Some(total), Some(reporter)) = (value, total, reporter) else { continue };
                let Some(reporter) = reporter else {
                    *set_aside.entry("reporter is not a country (an aggregate or `Other …, nes`)".into()).or_default() += 1;
                    continue;
                };
                if layout == Layout::RankedBuyers {
                    let Some(Some(exporter)) = party(row, column("partnerDesc"), &mut problems) else { continue };
                    if flow != "M" {
                        problems.push(problem(row, column("flowCode"), format!("expected `M` (the buyer's imports), found `{flow}`")));
                        continue;
                    }
                    Flow { exporter, importer: reporter, reported_by: "importer", value, exporter_total: Some(total), importer_total: None, buyers_listed: "top five" }
                } else {
                    if flow != "X" {
                        problems.push(problem(row, column("flowCode"), format!("expected `X` (the supplier's exports), found `{flow}`")));
                        continue;
                    }
                    let importer = subject.clone().expect("set for this layout");
                    Flow { exporter: reporter, importer, reported_by: "exporter", value, exporter_total: None, importer_total: Some(total), buyers_listed: "top five" }
                }
            }
            Layout::ComtradeApi => {
                // The totals only: a reporter's breakdowns by customs procedure and transport mode, and
                // the subsets of its flows (FM, DX), add up to them.
                let totals = text(&range, (row, column("customsCode"))) == "C00"
                    && text(&range, (row, column("motCode"))) == "0"
                    && text(&range, (row, column("partner2Code"))) == "0";
                if !totals || !(flow == "M" || flow == "X") {
                    *set_aside.entry("a breakdown or a subset of a reporter's total (not M or X with TOTAL CPC, TOTAL MOT)".into()).or_default() += 1;
                    continue;
                }
                let (reporter, partner, value) =
                    (party(row, column("reporterDesc"), &mut problems), party(row, column("partnerDesc"), &mut problems), usd(row, "primaryValue", &mut problems));
                let (Some(reporter), Some(partner), Some(value)) = (reporter, partner, value) else { continue };
                let (Some(reporter), Some(partner)) = (reporter, partner) else {
                    *set_aside.entry("reporter or partner is not a country (an aggregate or `Other …, nes`)".into()).or_default() += 1;
                    continue;
                };
                let (exporter, importer, reported_by) = if flow == "M" { (partner, reporter, "importer") } else { (reporter, partner, "exporter") };
                Flow { exporter, importer, reported_by, value, exporter_total: None, importer_total: None, buyers_listed: "all" }
            }
        };
        if !seen.insert((flow.exporter.1.clone(), flow.importer.1.clone(), hs.clone(), year)) {
            problems.push(problem(row, column("cmdCode"), format!("a second total for {} → {} in {hs} in {year}", flow.exporter.0, flow.importer.0)));
            continue;
        }
        for commodity in commodities {
            rows.push(CommodityFlow {
                exporter: flow.exporter.0.clone(),
                exporter_iso3: flow.exporter.1.clone(),
                importer: flow.importer.0.clone(),
                importer_iso3: flow.importer.1.clone(),
                reported_by: flow.reported_by.into(),
                commodity: commodity.clone(),
                hs_code: hs.clone(),
                year,
                value_usd: flow.value,
                exporter_total_usd: flow.exporter_total,
                importer_total_usd: flow.importer_total,
                buyers_listed: flow.buyers_listed.into(),
                source_file: file_name.clone(),
            });
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid { path: path.to_path_buf(), problems });
    }
    let input = Input {
        records_read: records.len(),
        lines: last_row as usize + 1,
        encoding: "xlsx".into(),
        entries_kept: rows.len(),
        set_aside: set_aside.into_iter().map(|(reason, rows)| Exclusion { reason, rows }).collect(),
        ..Input::file(file_name, sha256, description.into())
    };
    Ok(Read { input, rows })
}

/// One row read: who sold to whom, as whom reported it, and the totals the extract gives. A party is
/// (name, ISO-3 code).
struct Flow {
    exporter: (String, String),
    importer: (String, String),
    reported_by: &'static str,
    value: f64,
    exporter_total: Option<f64>,
    importer_total: Option<f64>,
    buyers_listed: &'static str,
}
