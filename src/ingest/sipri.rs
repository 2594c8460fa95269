//! The SIPRI Arms Transfers Database: the trade-register export (one record per deal) and the yearly
//! TIV tables (one supplier's deliveries by recipient × year).
//!
//! The register says how much of a deal has been delivered (in TIV) and in which years, but not how
//! much in each year. The import splits a deal's delivered TIV evenly across its delivery years, and
//! measures that rule against SIPRI's own yearly tables where they are given.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::provenance::{percent_of, today, Comparison, Counts, Provenance, Rejection};
use super::text::{read_latin1_or_utf8, sha256_hex};
use crate::artefact::csv_bytes;
use super::one_file::quote_list;
use super::provenance::write_table;
use crate::domain::{CountryTable, NameMatch};
use crate::error::{Error, Problem, Result};

/// The derived table's file name inside the datasets folder.
pub const TABLE: &str = "arms_transfers.csv";
pub const CITATION: &str = "SIPRI Arms Transfers Database";
pub const SPLIT_RULE: &str = "a deal's delivered TIV is split evenly across the years listed in `Year(s) of delivery`";
/// The years over which the split rule is measured against SIPRI's yearly tables.
pub const DIVERGENCE_YEARS: (i32, i32) = (2012, 2021);

const REQUIRED_COLUMNS: [&str; 13] = [
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
];
/// Columns followed by a blank-named column whose `?` marks the value as uncertain.
const FLAGGED_COLUMNS: [&str; 3] = ["Year of order", "Number ordered", "Number delivered"];
/// How far into the file the header may be, past SIPRI's preamble of notes.
const MAX_PREAMBLE_LINES: usize = 40;

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
    /// Delivered TIV (millions) attributed to this year by the split rule.
    pub tiv: f64,
    /// Deals with deliveries in this year.
    pub deals: u32,
    /// Of those, deals whose comments describe licensed production or assembly (an E2 signal).
    pub licensed_deals: u32,
    /// Whether any of those deals has a value SIPRI marks uncertain (`?`).
    pub uncertain: bool,
}

/// A deal as read from the register.
#[derive(Debug, Clone)]
struct Deal {
    supplier: String,
    supplier_iso3: String,
    recipient: String,
    recipient_iso3: String,
    delivery_years: Vec<i32>,
    tiv_delivered: Option<f64>,
    uncertain: bool,
    licensed: bool,
}

/// What `import` did, for the terminal summary and the tests.
#[derive(Debug)]
pub struct ImportReport {
    pub table: PathBuf,
    pub provenance: Provenance,
    pub rows: Vec<YearlyTransfer>,
}

/// Reads the trade register and writes `arms_transfers.csv` and its provenance into `datasets`.
/// `tiv_tables` are SIPRI's yearly export tables to measure the split rule against (may be empty).
pub fn import(register: &Path, tiv_tables: &[PathBuf], datasets: &Path) -> Result<ImportReport> {
    let countries = CountryTable::builtin();
    let (text, encoding, bytes) = read_latin1_or_utf8(register)?;
    let parsed = parse_register(register, &text, countries)?;
    let rows = yearly_transfers(&parsed.deals);

    let tables = tiv_tables.iter().map(|p| read_tiv_table(p, countries)).collect::<Result<Vec<_>>>()?;
    let comparisons = tables.iter().map(|t| divergence(t, &rows)).collect();

    let records_with_deliveries = parsed.deals.iter().filter(|d| !d.delivery_years.is_empty()).count();
    let provenance = Provenance {
        table: TABLE.into(),
        source: "SIPRI Arms Transfers Database, trade register export".into(),
        citation: format!("{CITATION} (c) SIPRI, https://www.sipri.org/databases/armstransfers"),
        source_file: register.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        sha256: sha256_hex(&bytes),
        encoding: encoding.label().into(),
        data_generated: parsed.data_generated,
        imported_on: today(),
        mdime_version: env!("CARGO_PKG_VERSION").into(),
        method: SPLIT_RULE.into(),
        counts: Counts {
            lines: parsed.lines,
            records_read: parsed.deals.len() + parsed.rejected.len(),
            records_rejoined: parsed.rejoined,
            records_with_deliveries,
            records_without_deliveries: parsed.deals.len() - records_with_deliveries,
            records_rejected: parsed.rejected.len(),
            rows_written: rows.len(),
        },
        rejected: parsed.rejected,
        excluded: Vec::new(),
        inputs: Vec::new(),
        comparisons,
    };

    let table = write_table(datasets, TABLE, &csv_bytes(&rows)?, &provenance)?;
    Ok(ImportReport { table, provenance, rows })
}

/// Loads the derived table written by `import`.
pub fn load_table(datasets: &Path) -> Result<(PathBuf, Provenance)> {
    super::provenance::find_table(datasets, TABLE)?.ok_or_else(|| Error::MissingDataset {
        path: datasets.join(TABLE),
        command: "mdime import sipri ../shared/data/sipri/trade-register-2025-03-13.csv".into(),
    })
}

struct ParsedRegister {
    deals: Vec<Deal>,
    rejected: Vec<Rejection>,
    rejoined: usize,
    lines: usize,
    data_generated: String,
}

/// Column positions found in the header.
struct Columns {
    count: usize,
    recipient: usize,
    supplier: usize,
    number_delivered: usize,
    delivery_years: usize,
    comments: usize,
    tiv_per_unit: usize,
    tiv_order: usize,
    tiv_delivered: usize,
    flags: Vec<usize>,
}

impl Columns {
    fn from_header(path: &Path, line: usize, header: &csv::StringRecord) -> Result<Columns> {
        let names: Vec<&str> = header.iter().map(str::trim).collect();
        let find = |wanted: &str| names.iter().position(|n| n.eq_ignore_ascii_case(wanted));
        let missing: Vec<&str> = REQUIRED_COLUMNS.iter().copied().filter(|c| find(c).is_none()).collect();
        if !missing.is_empty() {
            return Err(Error::Format {
                path: path.to_path_buf(),
                message: format!(
                    "line {line}: the header lacks the column(s) {}; expected a SIPRI trade-register export with the columns {}",
                    quote_list(&missing),
                    quote_list(&REQUIRED_COLUMNS)
                ),
            });
        }
        let column = |wanted| find(wanted).expect("checked above");
        let flags = FLAGGED_COLUMNS
            .iter()
            .map(|c| column(c) + 1)
            .filter(|&i| names.get(i).is_some_and(|n| n.is_empty()))
            .collect();
        Ok(Columns {
            count: names.len(),
            recipient: column("Recipient"),
            supplier: column("Supplier"),
            number_delivered: column("Number delivered"),
            delivery_years: column("Year(s) of delivery"),
            comments: column("Comments"),
            tiv_per_unit: column("SIPRI TIV per unit"),
            tiv_order: column("SIPRI TIV for total order"),
            tiv_delivered: column("SIPRI TIV of delivered weapons"),
            flags,
        })
    }
}


fn parse_register(path: &Path, text: &str, countries: &CountryTable) -> Result<ParsedRegister> {
    let lines = text.lines().count();
    let header_index = text
        .lines()
        .take(MAX_PREAMBLE_LINES)
        .position(|l| l.trim_start().starts_with("Recipient,"))
        .ok_or_else(|| Error::Format {
            path: path.to_path_buf(),
            message: format!(
                "no header line starting `Recipient,Supplier,…` in the first {MAX_PREAMBLE_LINES} lines: \
                 this is not a SIPRI trade-register export (CSV, as downloaded from the SIPRI Arms Transfers Database)"
            ),
        })?;
    let data_generated = text
        .lines()
        .take(header_index)
        .find_map(|l| l.trim().strip_prefix("Data generated:"))
        .map(|d| d.trim().trim_end_matches(',').to_string())
        .unwrap_or_default();

    let body_start: usize = text.lines().take(header_index).map(|l| l.len() + 1).sum();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&text.as_bytes()[body_start.min(text.len())..]);
    let mut records = reader.records();
    let line_of = |r: &csv::StringRecord| header_index + r.position().map_or(1, |p| p.line() as usize);
    let header = match records.next() {
        Some(Ok(h)) => h,
        _ => return Err(Error::Format { path: path.to_path_buf(), message: "the header line cannot be read".into() }),
    };
    let columns = Columns::from_header(path, header_index + 1, &header)?;

    let mut deals = Vec::new();
    let mut problems = Vec::new();
    let mut rejected = Vec::new();
    let mut rejoined = 0;
    let mut pending: Option<(usize, Vec<String>)> = None;
    for record in records {
        let record = record.map_err(|e| Error::Format { path: path.to_path_buf(), message: e.to_string() })?;
        let line = line_of(&record);
        let fields: Vec<String> = record.iter().map(String::from).collect();
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        // A newline inside Comments breaks a record in two: the first part is short, and its last field
        // continues in the first field of the next line.
        let (start, fields) = match pending.take() {
            Some((start, mut head)) => {
                let mut rest = fields.into_iter();
                let continued = rest.next().unwrap_or_default();
                if let Some(last) = head.last_mut() {
                    last.push(' ');
                    last.push_str(continued.trim());
                }
                head.extend(rest);
                rejoined += 1;
                (start, head)
            }
            None => (line, fields),
        };
        if fields.len() < columns.count {
            pending = Some((start, fields));
            continue;
        }
        if fields.len() > columns.count {
            problems.push(Problem {
                path: path.to_path_buf(),
                line: start,
                column: "Comments".into(),
                message: format!(
                    "expected {} fields, found {}: a comma inside an unquoted field?",
                    columns.count,
                    fields.len()
                ),
            });
            continue;
        }
        match parse_deal(path, start, &fields, &columns, countries) {
            Ok(deal) => match rejection_reason(&deal) {
                Some(reason) => rejected.push(Rejection { line: start, reason }),
                None => deals.push(deal),
            },
            Err(mut found) => problems.append(&mut found),
        }
    }
    if let Some((start, fields)) = pending {
        problems.push(Problem {
            path: path.to_path_buf(),
            line: start,
            column: REQUIRED_COLUMNS[fields.len().min(REQUIRED_COLUMNS.len() - 1)].into(),
            message: format!(
                "the record ends after {} of {} fields: the file is truncated or a record is broken",
                fields.len(),
                columns.count
            ),
        });
    }
    if !problems.is_empty() {
        return Err(Error::Invalid { path: path.to_path_buf(), problems });
    }
    Ok(ParsedRegister { deals, rejected, rejoined, lines, data_generated })
}

/// Records the register holds but the yearly table cannot use, kept in provenance with the reason.
fn rejection_reason(deal: &Deal) -> Option<String> {
    match (deal.tiv_delivered, deal.delivery_years.is_empty()) {
        (Some(tiv), true) if tiv > 0.0 => Some(format!("{tiv} TIV delivered but no year of delivery given")),
        (None, false) => Some("years of delivery given but no delivered TIV".into()),
        _ => None,
    }
}

fn parse_deal(
    path: &Path,
    line: usize,
    fields: &[String],
    columns: &Columns,
    countries: &CountryTable,
) -> std::result::Result<Deal, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut problem = |column: &str, message: String| {
        problems.push(Problem { path: path.to_path_buf(), line, column: column.into(), message })
    };
    let field = |i: usize| fields[i].trim();

    let mut party = |column: &str, name: &str| -> String {
        if name.is_empty() {
            problem(column, "empty: expected a country name".into());
            return String::new();
        }
        match countries.resolve(name) {
            Some(NameMatch::Country(c)) => c.iso3.clone(),
            Some(NameMatch::NonCountry(_)) => String::new(),
            None => {
                problem(column, countries.unknown_in_data(name));
                String::new()
            }
        }
    };
    let recipient_iso3 = party("Recipient", field(columns.recipient));
    let supplier_iso3 = party("Supplier", field(columns.supplier));

    let mut number = |index: usize, column: &str| -> Option<f64> {
        let value = field(index);
        if value.is_empty() {
            return None;
        }
        match value.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Some(v),
            _ => {
                problem(column, format!("expected a non-negative number, found `{value}`"));
                None
            }
        }
    };
    number(columns.number_delivered, "Number delivered");
    number(columns.tiv_per_unit, "SIPRI TIV per unit");
    number(columns.tiv_order, "SIPRI TIV for total order");
    let tiv_delivered = number(columns.tiv_delivered, "SIPRI TIV of delivered weapons");

    let years_text = field(columns.delivery_years);
    let mut delivery_years = Vec::new();
    for year in years_text.split(';').map(str::trim).filter(|y| !y.is_empty()) {
        match year.parse::<i32>() {
            Ok(y) if (1900..=2100).contains(&y) => delivery_years.push(y),
            _ => problem(
                "Year(s) of delivery",
                format!("expected years separated by `; ` (like `2017; 2019`), found `{years_text}`"),
            ),
        }
    }

    if !problems.is_empty() {
        return Err(problems);
    }
    let comments = field(columns.comments).to_ascii_lowercase();
    Ok(Deal {
        supplier: field(columns.supplier).to_string(),
        supplier_iso3,
        recipient: field(columns.recipient).to_string(),
        recipient_iso3,
        delivery_years,
        tiv_delivered,
        uncertain: columns.flags.iter().any(|&i| field(i) == "?"),
        licensed: comments.contains("licen"),
    })
}

/// Aggregates deals to supplier × recipient × year, splitting each deal's delivered TIV evenly over its
/// delivery years. Sorted by supplier, recipient and year, so the output is the same on every run.
fn yearly_transfers(deals: &[Deal]) -> Vec<YearlyTransfer> {
    let mut cells: BTreeMap<(&str, &str, i32), YearlyTransfer> = BTreeMap::new();
    for deal in deals.iter().filter(|d| !d.delivery_years.is_empty()) {
        let years: BTreeSet<i32> = deal.delivery_years.iter().copied().collect();
        let per_year = deal.tiv_delivered.unwrap_or(0.0) / years.len() as f64;
        for year in years {
            let cell = cells.entry((&deal.supplier, &deal.recipient, year)).or_insert_with(|| YearlyTransfer {
                supplier: deal.supplier.clone(),
                supplier_iso3: deal.supplier_iso3.clone(),
                recipient: deal.recipient.clone(),
                recipient_iso3: deal.recipient_iso3.clone(),
                year,
                tiv: 0.0,
                deals: 0,
                licensed_deals: 0,
                uncertain: false,
            });
            cell.tiv += per_year;
            cell.deals += 1;
            cell.licensed_deals += u32::from(deal.licensed);
            cell.uncertain |= deal.uncertain;
        }
    }
    cells
        .into_values()
        .map(|mut row| {
            // Rounded so that summation order can never show in the output.
            row.tiv = (row.tiv * 1e6).round() / 1e6 + 0.0;
            row
        })
        .collect()
}

/// One of SIPRI's yearly TIV tables: a supplier's deliveries by recipient and year.
#[derive(Debug)]
pub struct TivTable {
    pub supplier: String,
    pub supplier_iso3: String,
    /// (recipient key, year) → TIV; the key is the ISO-3 code, or SIPRI's name for non-state recipients.
    pub cells: BTreeMap<(String, i32), f64>,
    pub years: (i32, i32),
}

pub fn read_tiv_table(path: &Path, countries: &CountryTable) -> Result<TivTable> {
    let (text, _, _) = read_latin1_or_utf8(path)?;
    let format_error = |message: String| Error::Format { path: path.to_path_buf(), message };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let records: Vec<csv::StringRecord> =
        reader.records().collect::<std::result::Result<_, _>>().map_err(|e| format_error(e.to_string()))?;
    let title = records.first().and_then(|r| r.get(0)).unwrap_or_default();
    let supplier = title
        .strip_prefix("TIV of arms exports from ")
        .and_then(|rest| rest.rsplit_once(','))
        .map(|(name, _)| name.trim().to_string())
        .ok_or_else(|| format_error(format!("line 1: expected a title `TIV of arms exports from <supplier>, <years>`, found `{title}`")))?;
    let supplier_iso3 = countries
        .country(&supplier)
        .map(|c| c.iso3.clone())
        .ok_or_else(|| format_error(format!("line 1: unknown supplier `{supplier}`")))?;
    let header_at = records
        .iter()
        .position(|r| r.get(0).is_some_and(|f| f.trim().is_empty()) && r.get(1).is_some_and(|f| f.trim().parse::<i32>().is_ok()))
        .ok_or_else(|| format_error("no header row `,1950,1951,…` of years".into()))?;
    let years: Vec<Option<i32>> = records[header_at].iter().map(|f| f.trim().parse().ok()).collect();

    let mut cells = BTreeMap::new();
    let mut problems = Vec::new();
    for (offset, record) in records[header_at + 1..].iter().enumerate() {
        let line = header_at + offset + 2;
        let name = record.get(0).unwrap_or_default().trim();
        if name.eq_ignore_ascii_case("Total") {
            break;
        }
        if name.is_empty() {
            continue;
        }
        let key = match countries.resolve(name) {
            Some(NameMatch::Country(c)) => c.iso3.clone(),
            Some(NameMatch::NonCountry(_)) => name.to_string(),
            None => {
                problems.push(Problem { path: path.to_path_buf(), line, column: "recipient".into(), message: format!("unknown country `{name}`") });
                continue;
            }
        };
        for (value, year) in record.iter().zip(&years) {
            let (Some(year), value) = (year, value.trim()) else { continue };
            if value.is_empty() {
                continue;
            }
            match value.parse::<f64>() {
                Ok(v) => *cells.entry((key.clone(), *year)).or_insert(0.0) += v,
                Err(_) => problems.push(Problem {
                    path: path.to_path_buf(),
                    line,
                    column: year.to_string(),
                    message: format!("expected a TIV number, found `{value}`"),
                }),
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid { path: path.to_path_buf(), problems });
    }
    // The years the table has figures for, not its column headings: the Soviet Union's table has columns
    // to 2021 but figures only to 1991.
    let first = cells.keys().map(|(_, y)| *y).min().unwrap_or_default();
    let last = cells.keys().map(|(_, y)| *y).max().unwrap_or_default();
    Ok(TivTable { supplier, supplier_iso3, cells, years: (first, last) })
}

/// Compares the register's yearly split with a SIPRI yearly table over `DIVERGENCE_YEARS`, or over the
/// table's own years where it ends before them (the Soviet Union's table stops in 1991).
pub fn divergence(table: &TivTable, rows: &[YearlyTransfer]) -> Comparison {
    let (mut first_year, mut last_year) = (DIVERGENCE_YEARS.0.max(table.years.0), DIVERGENCE_YEARS.1.min(table.years.1));
    if first_year > last_year {
        (first_year, last_year) = table.years;
    }
    let in_years = |y: i32| (first_year..=last_year).contains(&y);
    let mut register: BTreeMap<(String, i32), f64> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.supplier_iso3 == table.supplier_iso3 && in_years(r.year)) {
        let key = if row.recipient_iso3.is_empty() { row.recipient.clone() } else { row.recipient_iso3.clone() };
        *register.entry((key, row.year)).or_insert(0.0) += row.tiv;
    }
    let table_cells: BTreeMap<&(String, i32), f64> =
        table.cells.iter().filter(|((_, y), _)| in_years(*y)).map(|(k, v)| (k, *v)).collect();
    let table_tiv: f64 = table_cells.values().sum();
    let register_tiv: f64 = register.values().sum();
    let keys: BTreeSet<&(String, i32)> = table_cells.keys().copied().chain(register.keys()).collect();
    let cells = keys.len();
    let cell_gap: f64 = keys
        .into_iter()
        .map(|k| (register.get(k).copied().unwrap_or(0.0) - table_cells.get(k).copied().unwrap_or(0.0)).abs())
        .sum();
    Comparison {
        what: format!("{} deliveries by recipient and year (TIV)", table.supplier),
        reference: "SIPRI's yearly TIV table".into(),
        other: "the register, split by the import's rule".into(),
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
