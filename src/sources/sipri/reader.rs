//! The reader: raw files → `datasets/`, through the import contract (`crate::ingest`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::ingest::one_file::{About, CsvFile, CsvLayout, Outcome, Row, Text};
use crate::ingest::provenance::{percent_of, Comparison, Provenance, Rejection};
use crate::ingest::table::{self, Column, Kind, TableSpec};
use crate::artefact::csv_bytes;
use crate::domain::{CountryTable, NameMatch};
use crate::error::{Error, Problem, Result};

pub const CITATION: &str = "SIPRI Arms Transfers Database";
pub const SPLIT_RULE: &str = "a deal's delivered TIV is split evenly across the years listed in `Year(s) of delivery`";
pub const PER_DELIVERY_RULE: &str = "each delivery's TIV counts in its delivery year, as SIPRI gives it";
/// The years over which the split rule is measured against SIPRI's yearly tables.
pub const DIVERGENCE_YEARS: (i32, i32) = (2012, 2021);
/// A year's deliveries from one supplier to one recipient above this many TIV millions are no real
/// transfer: the largest in the register are a few thousand.
const MAX_TIV: f64 = 100_000.0;

pub const SPEC: TableSpec = TableSpec {
    file: "arms_transfers.csv",
    command: "mdime import sipri ../shared/data/sipri/trade-register-2025-03-13.csv",
    columns: &[
        Column::text("supplier"),
        Column::text("supplier_iso3"),
        Column::text("recipient"),
        Column::text("recipient_iso3"),
        Column::new("year", Kind::YEAR),
        Column::amount("tiv", MAX_TIV),
        Column::new("deals", Kind::COUNT),
        Column::new("licensed_deals", Kind::COUNT),
        Column::new("uncertain", Kind::Flag),
    ],
};
/// The derived table's file name inside the datasets folder.
pub const TABLE: &str = SPEC.file;

const REGISTER: CsvLayout = CsvLayout {
    name: "SIPRI trade register",
    text: Text::Latin1OrUtf8,
    required: &[
        "Recipient",
        "Supplier",
        "Year of order",
        "Number ordered",
        "Weapon designation",
        "Weapon description",
        "Number delivered",
        "Year(s) of delivery",
        "status",
        "Comments",
        "SIPRI TIV per unit",
        "SIPRI TIV for total order",
        "SIPRI TIV of delivered weapons",
    ],
    max_preamble: 40,
    unquoted: true,
    missing: &[],
    renamed: &[("Number delivered", "Deliveries in the Year Range")],
};
const PER_DELIVERY: CsvLayout = CsvLayout {
    name: "SIPRI per-delivery export",
    text: Text::Latin1OrUtf8,
    required: &[
        "SIPRI AT Database ID",
        "Supplier",
        "Recipient",
        "Designation",
        "Order date",
        "Order date is estimate",
        "Numbers delivered is estimate",
        "Delivery year",
        "Delivery year is estimate",
        "TIV delivery values",
        "Local production",
    ],
    max_preamble: 40,
    unquoted: true,
    missing: &[],
    renamed: &[],
};
/// Columns followed by a blank-named column whose `?` marks the value as uncertain.
const FLAGGED_COLUMNS: [&str; 3] = ["Year of order", "Number ordered", "Number delivered"];

/// One row of `datasets/arms_transfers.csv`: a supplier's deliveries to a recipient in one year.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct YearlyTransfer {
    /// The supplier as SIPRI names it (`Soviet Union` stays `Soviet Union`).
    pub supplier: String,
    /// ISO-3 code of the supplier; empty for `unknown supplier(s)` and non-state suppliers.
    pub supplier_iso3: String,
    pub recipient: String,
    /// ISO-3 code of the recipient; empty for non-state recipients (SIPRI's `*`/`**`).
    pub recipient_iso3: String,
    pub year: i32,
    /// Delivered TIV (millions) in this year: the register's even split, or the per-delivery figure.
    pub tiv: f64,
    /// Deals with deliveries in this year.
    pub deals: u32,
    /// Of those, deals of licensed production or assembly in the recipient (an E2 signal).
    pub licensed_deals: u32,
    /// Whether any of those deals has a value SIPRI marks uncertain (`?`, or an estimate).
    pub uncertain: bool,
}

/// A deal as read from either layout, with its deliveries by year.
#[derive(Debug, Clone)]
struct Deal {
    supplier: String,
    supplier_iso3: String,
    recipient: String,
    recipient_iso3: String,
    /// TIV delivered per year.
    deliveries: BTreeMap<i32, f64>,
    uncertain: bool,
    licensed: bool,
    /// The export's lines the deal was read from (one per delivery in the per-delivery layout).
    lines: Vec<usize>,
}

/// What `import` did, for the terminal summary and the tests.
#[derive(Debug)]
pub struct ImportReport {
    pub table: PathBuf,
    pub provenance: Provenance,
    pub rows: Vec<YearlyTransfer>,
}

/// Reads a SIPRI export in either layout and writes `arms_transfers.csv` and its provenance into
/// `datasets`. `tiv_tables` are SIPRI's yearly export tables to measure the yearly figures against
/// (may be empty).
pub fn import(export: &Path, tiv_tables: &[PathBuf], datasets: &Path) -> Result<ImportReport> {
    let countries = CountryTable::builtin();
    let file = CsvFile::detect(export, &[REGISTER, PER_DELIVERY])?;
    let per_delivery = file.layout.name == PER_DELIVERY.name;
    let mut problems = Vec::new();
    let (deals, rejected) = if per_delivery { read_deliveries(&file, countries, &mut problems) } else { read_register(&file, countries, &mut problems) };
    file.check(problems)?;
    let (rows, origins) = yearly_transfers(&deals);

    let suppliers: BTreeSet<&str> = deals.iter().filter(|d| !d.supplier_iso3.is_empty()).map(|d| d.supplier.as_str()).collect();
    let only_supplier = if suppliers.len() == 1 { suppliers.first().copied() } else { None };
    let tables = tiv_tables.iter().map(|p| read_tiv_tables(p, countries, only_supplier)).collect::<Result<Vec<_>>>()?;
    let comparisons = tables.iter().flatten().map(|t| divergence(t, &rows)).collect();

    let with_deliveries = deals.iter().filter(|d| !d.deliveries.is_empty()).count();
    let about = About {
        table: TABLE,
        source: if per_delivery { "SIPRI Arms Transfers Database, per-delivery export" } else { "SIPRI Arms Transfers Database, trade register export" },
        citation: &format!("{CITATION} (c) SIPRI, https://www.sipri.org/databases/armstransfers"),
    };
    let outcome = Outcome {
        data_generated: file.note("Data generated").unwrap_or_default().to_string(),
        method: if per_delivery { PER_DELIVERY_RULE } else { SPLIT_RULE }.into(),
        rows_written: rows.len(),
        rejected,
        ..Outcome::default()
    };
    let mut provenance = file.provenance(about, outcome);
    let records_read = if per_delivery { file.records.len() } else { deals.len() + provenance.rejected.len() };
    provenance.counts.records_read = records_read;
    provenance.counts.records_with_deliveries = with_deliveries;
    provenance.counts.records_without_deliveries = deals.len() - with_deliveries;
    provenance.comparisons = comparisons;

    let table = table::write_table_from(datasets, &SPEC, &csv_bytes(&rows)?, &mut provenance, export, &origins)?;
    Ok(ImportReport { table, provenance, rows })
}

/// Loads the derived table written by `import`, checked against its provenance.
pub fn load_table(datasets: &Path) -> Result<(PathBuf, Provenance)> {
    table::require_table(datasets, &SPEC)
}

/// The register's deals, and the records it holds that the yearly table cannot use (kept in the
/// provenance with the reason).
fn read_register(file: &CsvFile, countries: &CountryTable, problems: &mut Vec<Problem>) -> (Vec<Deal>, Vec<Rejection>) {
    let flags: Vec<usize> = FLAGGED_COLUMNS
        .iter()
        .filter_map(|c| file.position(c))
        .map(|i| i + 1)
        .filter(|&i| file.header.get(i).is_some_and(|n| n.is_empty()))
        .collect();
    let mut deals = Vec::new();
    let mut rejected = Vec::new();
    for index in 0..file.records.len() {
        let mut row = file.row(index, problems);
        let recipient_iso3 = party(&mut row, "Recipient", countries);
        let supplier_iso3 = party(&mut row, "Supplier", countries);
        for column in ["Number delivered", "SIPRI TIV per unit", "SIPRI TIV for total order"] {
            tiv_cell(&mut row, column);
        }
        let tiv_delivered = tiv_cell(&mut row, "SIPRI TIV of delivered weapons");
        let years_text = row.text("Year(s) of delivery");
        let mut years = BTreeSet::new();
        for year in years_text.split(';').map(str::trim).filter(|y| !y.is_empty()) {
            match year.parse::<i32>() {
                Ok(y) if (1900..=2100).contains(&y) => {
                    years.insert(y);
                }
                _ => row.problem("Year(s) of delivery", format!("expected years separated by `; ` (like `2017; 2019`), found `{years_text}`")),
            }
        }
        let (Some(recipient_iso3), Some(supplier_iso3)) = (recipient_iso3, supplier_iso3) else { continue };
        let line = row.line;
        match (tiv_delivered, years.is_empty()) {
            (Some(tiv), true) if tiv > 0.0 => {
                rejected.push(Rejection { line, reason: format!("{tiv} TIV delivered but no year of delivery given") });
                continue;
            }
            (None, false) => {
                rejected.push(Rejection { line, reason: "years of delivery given but no delivered TIV".into() });
                continue;
            }
            _ => {}
        }
        let per_year = tiv_delivered.unwrap_or(0.0) / years.len().max(1) as f64;
        deals.push(Deal {
            supplier: row.text("Supplier").to_string(),
            supplier_iso3,
            recipient: row.text("Recipient").to_string(),
            recipient_iso3,
            deliveries: years.into_iter().map(|y| (y, per_year)).collect(),
            uncertain: flags.iter().any(|&i| row.at(i) == "?"),
            licensed: row.text("Comments").to_ascii_lowercase().contains("licen"),
            lines: vec![line],
        });
    }
    (deals, rejected)
}

/// The per-delivery export's records gathered into deals by SIPRI's deal id.
fn read_deliveries(file: &CsvFile, countries: &CountryTable, problems: &mut Vec<Problem>) -> (Vec<Deal>, Vec<Rejection>) {
    let mut deals: BTreeMap<String, Deal> = BTreeMap::new();
    let mut rejected = Vec::new();
    for index in 0..file.records.len() {
        let mut row = file.row(index, problems);
        let id = row.text("SIPRI AT Database ID").to_string();
        if id.is_empty() {
            row.problem("SIPRI AT Database ID", "empty: expected SIPRI's deal number");
        }
        let recipient_iso3 = party(&mut row, "Recipient", countries);
        let supplier_iso3 = party(&mut row, "Supplier", countries);
        let year = row.integer("Delivery year", 1900..=2100, "a delivery year").map(|y| y as i32);
        let tiv = tiv_cell(&mut row, "TIV delivery values");
        let estimate = ["Order date is estimate", "Numbers delivered is estimate", "Delivery year is estimate"]
            .into_iter()
            .map(|c| yes_no(&mut row, c))
            .fold(false, |any, flag| any | flag.unwrap_or(false));
        let licensed = yes_no(&mut row, "Local production").unwrap_or(false);
        let (Some(recipient_iso3), Some(supplier_iso3), Some(year)) = (recipient_iso3, supplier_iso3, year) else { continue };
        let Some(tiv) = tiv else {
            rejected.push(Rejection { line: row.line, reason: format!("a delivery in {year} without its TIV") });
            continue;
        };
        let deal = deals.entry(id).or_insert_with(|| Deal {
            supplier: row.text("Supplier").to_string(),
            supplier_iso3,
            recipient: row.text("Recipient").to_string(),
            recipient_iso3,
            deliveries: BTreeMap::new(),
            uncertain: false,
            licensed: false,
            lines: Vec::new(),
        });
        *deal.deliveries.entry(year).or_default() += tiv;
        deal.lines.push(row.line);
        deal.uncertain |= estimate;
        deal.licensed |= licensed;
    }
    (deals.into_values().collect(), rejected)
}

/// A supplier's or recipient's ISO-3 code (empty for SIPRI's non-state parties), or None with a problem.
fn party(row: &mut Row, column: &str, countries: &CountryTable) -> Option<String> {
    let name = row.text(column);
    if name.is_empty() {
        row.problem(column, "empty: expected a country name");
        return None;
    }
    match countries.resolve(name) {
        Some(NameMatch::Country(c)) => Some(c.iso3.clone()),
        Some(NameMatch::NonCountry(_)) => Some(String::new()),
        None => {
            row.problem(column, countries.unknown_in_data(name));
            None
        }
    }
}

/// An optional non-negative TIV or number cell.
fn tiv_cell(row: &mut Row, column: &str) -> Option<f64> {
    row.optional_number(column, 0.0..=MAX_TIV, "a non-negative number")
}

fn yes_no(row: &mut Row, column: &str) -> Option<bool> {
    match row.text(column) {
        "Yes" => Some(true),
        "No" | "" => Some(false),
        other => {
            row.problem(column, format!("expected `Yes` or `No`, found `{other}`"));
            None
        }
    }
}

/// Aggregates deals' deliveries to supplier × recipient × year. Sorted by supplier, recipient and year,
/// so the output is the same on every run.
fn yearly_transfers(deals: &[Deal]) -> (Vec<YearlyTransfer>, Vec<Vec<usize>>) {
    let mut cells: BTreeMap<(&str, &str, i32), (YearlyTransfer, Vec<usize>)> = BTreeMap::new();
    for deal in deals {
        for (&year, &tiv) in &deal.deliveries {
            let (cell, lines) = cells.entry((&deal.supplier, &deal.recipient, year)).or_insert_with(|| (YearlyTransfer {
                supplier: deal.supplier.clone(),
                supplier_iso3: deal.supplier_iso3.clone(),
                recipient: deal.recipient.clone(),
                recipient_iso3: deal.recipient_iso3.clone(),
                year,
                tiv: 0.0,
                deals: 0,
                licensed_deals: 0,
                uncertain: false,
            }, Vec::new()));
            cell.tiv += tiv;
            cell.deals += 1;
            cell.licensed_deals += u32::from(deal.licensed);
            cell.uncertain |= deal.uncertain;
            lines.extend(&deal.lines);
        }
    }
    cells
        .into_values()
        .map(|(mut row, mut lines)| {
            // Rounded so that summation order can never show in the output.
            row.tiv = (row.tiv * 1e6).round() / 1e6 + 0.0;
            lines.sort_unstable();
            lines.dedup();
            (row, lines)
        })
        .unzip()
}

/// SIPRI's yearly TIV figures for one supplier, or for every supplier of a tidy file.
#[derive(Debug)]
pub struct TivTable {
    /// `China`, or `every supplier` for a tidy file of all of them.
    pub supplier: String,
    /// (supplier key, recipient key, year) → TIV; a key is the ISO-3 code, or SIPRI's name for
    /// non-state parties (`European Union**`, `Hezbollah (Lebanon)*`).
    pub cells: BTreeMap<(String, String, i32), f64>,
    pub years: (i32, i32),
}

const TIDY_TIV: CsvLayout = CsvLayout::plain("SIPRI TIV values by supplier, recipient and year (tidy)", Text::Latin1OrUtf8, &["supplier", "recipient", "year", "value"]);

/// The title of SIPRI's yearly table since 2026, which names no supplier.
const VOLUME_TITLE: &str = "Volume of transfers of major arms";

/// Reads a yearly TIV table in any layout SIPRI has shipped: one supplier's table (a title `TIV of
/// arms exports from <supplier>, <years>`, then `,1950,…,Total` and a row per recipient), its 2026
/// form (a title `Volume of transfers of major arms` that names no supplier, then `Recipient,2000,…`:
/// the supplier is `register_supplier`, the only state supplier of the register it is compared with),
/// or a tidy `supplier,recipient,year,value` file of every supplier.
pub fn read_tiv_tables(path: &Path, countries: &CountryTable, register_supplier: Option<&str>) -> Result<Option<TivTable>> {
    let decoded = crate::ingest::text::decode(path)?;
    let title = decoded.text.lines().next().unwrap_or_default().trim_start_matches('"');
    if let Some(rest) = title.strip_prefix("TIV of arms exports from ") {
        let supplier = rest.trim_end_matches([',', '"']).rsplit_once(',').map(|(name, _)| name.trim().to_string()).ok_or_else(|| Error::Format {
            path: path.to_path_buf(),
            message: format!("line 1: expected a title `TIV of arms exports from <supplier>, <years>`, found `{title}`"),
        })?;
        return read_supplier_table(path, &decoded.text, &supplier, countries).map(Some);
    }
    if title.trim_end_matches(',').trim() == VOLUME_TITLE {
        let supplier = register_supplier.ok_or_else(|| Error::Format {
            path: path.to_path_buf(),
            message: format!(
                "line 1: `{VOLUME_TITLE}` names no supplier, and the register holds deals of several: compare it with a register of the one supplier it was generated for"
            ),
        })?;
        return read_supplier_table(path, &decoded.text, supplier, countries).map(Some);
    }
    let file = CsvFile::detect(path, &[TIDY_TIV]).map_err(|_| Error::Format {
        path: path.to_path_buf(),
        message: format!(
            "line 1: `{}` is not a SIPRI TIV table: expected a title `TIV of arms exports from <supplier>, <years>` (one supplier's \
             yearly table), `{VOLUME_TITLE}` (its 2026 form) or a header `supplier,recipient,year,value` (every supplier, tidy)",
            title.chars().take(80).collect::<String>()
        ),
    })?;
    let mut cells = BTreeMap::new();
    let mut problems = Vec::new();
    for index in 0..file.records.len() {
        let mut row = file.row(index, &mut problems);
        let supplier = party(&mut row, "supplier", countries).map(|iso3| key(iso3, row.text("supplier")));
        let recipient_name = row.text("recipient");
        // The tidy file leaves the recipient empty for deliveries SIPRI could not attribute.
        let recipient = if recipient_name.is_empty() { Some(String::new()) } else { party(&mut row, "recipient", countries).map(|iso3| key(iso3, recipient_name)) };
        let year = row.integer("year", 1900..=2100, "a year");
        let value = row.optional_number("value", 0.0..=MAX_TIV, "a TIV value");
        if let (Some(s), Some(r), Some(y), Some(v)) = (supplier, recipient, year, value) {
            *cells.entry((s, r, y as i32)).or_insert(0.0) += v;
        }
    }
    file.check(problems)?;
    Ok(Some(TivTable::new("every supplier".into(), cells)))
}

fn key(iso3: String, name: &str) -> String {
    if iso3.is_empty() {
        name.to_string()
    } else {
        iso3
    }
}

impl TivTable {
    fn new(supplier: String, cells: BTreeMap<(String, String, i32), f64>) -> TivTable {
        // The years the table has figures for, not its column headings: the Soviet Union's table has
        // columns to 2021 but figures only to 1991.
        let first = cells.keys().map(|(_, _, y)| *y).min().unwrap_or_default();
        let last = cells.keys().map(|(_, _, y)| *y).max().unwrap_or_default();
        TivTable { supplier, cells, years: (first, last) }
    }
}

/// One supplier's yearly table: rows of recipients under a header of years (`,1950,1951,…` or
/// `Recipient,2000,2001,…`); columns that are no single year (`2000-2025`, `Percentage`) are skipped.
fn read_supplier_table(path: &Path, text: &str, supplier: &str, countries: &CountryTable) -> Result<TivTable> {
    let format_error = |message: String| Error::Format { path: path.to_path_buf(), message };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let records: Vec<csv::StringRecord> =
        reader.records().collect::<std::result::Result<_, _>>().map_err(|e| format_error(e.to_string()))?;
    // Non-state suppliers (`European Union**`) keep SIPRI's name as their key, as in the register.
    let supplier_key = match countries.resolve(supplier) {
        Some(NameMatch::Country(c)) => c.iso3.clone(),
        Some(NameMatch::NonCountry(_)) => supplier.to_string(),
        None => return Err(format_error(format!("line 1: {}", countries.unknown_in_data(supplier)))),
    };
    let supplier = supplier.to_string();
    let header_at = records
        .iter()
        .position(|r| {
            r.get(0).is_some_and(|f| f.trim().is_empty() || f.trim().eq_ignore_ascii_case("Recipient")) && r.get(1).is_some_and(|f| f.trim().parse::<i32>().is_ok())
        })
        .ok_or_else(|| format_error("no header row of years (`,1950,1951,…` or `Recipient,2000,2001,…`)".into()))?;
    let years: Vec<Option<i32>> = records[header_at].iter().map(|f| f.trim().parse().ok()).collect();

    let mut cells = BTreeMap::new();
    let mut problems = Vec::new();
    for (offset, record) in records[header_at + 1..].iter().enumerate() {
        let line = header_at + offset + 2;
        let name = record.get(0).unwrap_or_default().trim();
        // `Total` (or, since 2026, `Total imports from China`) closes the table.
        if name.eq_ignore_ascii_case("Total") || name.to_ascii_lowercase().starts_with("total imports from ") {
            break;
        }
        if name.is_empty() {
            continue;
        }
        let recipient = match countries.resolve(name) {
            Some(NameMatch::Country(c)) => c.iso3.clone(),
            Some(NameMatch::NonCountry(_)) => name.to_string(),
            None => {
                problems.push(Problem { path: path.to_path_buf(), line, column: "recipient".into(), message: countries.unknown_in_data(name) });
                continue;
            }
        };
        for (value, year) in record.iter().zip(&years) {
            let (Some(year), value) = (year, value.trim()) else { continue };
            if value.is_empty() {
                continue;
            }
            match value.parse::<f64>() {
                Ok(v) if v.is_finite() && (0.0..=MAX_TIV).contains(&v) => *cells.entry((supplier_key.clone(), recipient.clone(), *year)).or_insert(0.0) += v,
                _ => problems.push(Problem {
                    path: path.to_path_buf(),
                    line,
                    column: year.to_string(),
                    message: format!("expected a TIV number from 0 to {MAX_TIV}, found `{value}`"),
                }),
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid { path: path.to_path_buf(), problems });
    }
    Ok(TivTable::new(supplier, cells))
}

/// Compares the table's yearly figures with SIPRI's yearly table over `DIVERGENCE_YEARS`, or over the
/// table's own years where it ends before them (the Soviet Union's table stops in 1991).
pub fn divergence(table: &TivTable, rows: &[YearlyTransfer]) -> Comparison {
    let (mut first_year, mut last_year) = (DIVERGENCE_YEARS.0.max(table.years.0), DIVERGENCE_YEARS.1.min(table.years.1));
    if first_year > last_year {
        (first_year, last_year) = table.years;
    }
    let in_years = |y: i32| (first_year..=last_year).contains(&y);
    let suppliers: BTreeSet<&str> = table.cells.keys().map(|(s, _, _)| s.as_str()).collect();
    let mut register: BTreeMap<(String, String, i32), f64> = BTreeMap::new();
    for row in rows.iter().filter(|r| in_years(r.year)) {
        let supplier = key(row.supplier_iso3.clone(), &row.supplier);
        if !suppliers.contains(supplier.as_str()) {
            continue;
        }
        *register.entry((supplier, key(row.recipient_iso3.clone(), &row.recipient), row.year)).or_insert(0.0) += row.tiv;
    }
    let table_cells: BTreeMap<&(String, String, i32), f64> =
        table.cells.iter().filter(|((_, _, y), _)| in_years(*y)).map(|(k, v)| (k, *v)).collect();
    let table_tiv: f64 = table_cells.values().sum();
    let register_tiv: f64 = register.values().sum();
    let keys: BTreeSet<&(String, String, i32)> = table_cells.keys().copied().chain(register.keys()).collect();
    let cells = keys.len();
    let cell_gap: f64 = keys
        .into_iter()
        .map(|k| (register.get(k).copied().unwrap_or(0.0) - table_cells.get(k).copied().unwrap_or(0.0)).abs())
        .sum();
    Comparison {
        what: format!("{} deliveries by recipient and year (TIV)", table.supplier),
        reference: "SIPRI's yearly TIV table".into(),
        other: "the export's yearly figures".into(),
        first_year,
        last_year,
        cells,
        reference_total: table_tiv.round(),
        other_total: register_tiv.round(),
        total_gap_pct: percent_of(table_tiv, register_tiv - table_tiv),
        cell_gap_pct: percent_of(table_tiv, cell_gap),
        precedence: None,
    }
}
