//! UN Comtrade extracts of China's trade (J. Carvalho's cipf-comtrade): the years after the DOTS
//! folder ends. Two layouts, told apart by their header row:
//!
//! - partner-reported (`refYear,flowCode,partnerDesc,reporterDesc,…,partner_sum`): each reporter's
//!   imports from (`M`) or exports to (`X`) the partner, China — mirror figures of China's exports and
//!   imports, in US dollars;
//! - China-reported (`refYear,partnerDesc,Trocas,Exportações,Importações,Saldo`): China's own exports
//!   and imports with the Portuguese-speaking countries. The extract names no reporter: it is China's
//!   own report by construction.
//!
//! An extract's last year is left out when it is a part-year (see `part_year`), which would read as a
//! collapse of trade.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Range, Reader, Xlsx};

use super::dots::{Figure, Flow};
use crate::ingest::workbook::cell_name;
use crate::ingest::text::sha256_hex;
use super::{Cell, Reported};
use crate::domain::{CountryTable, NameMatch};
use crate::error::{Error, Problem, Result};

/// The benefactor of the China-reported layout, which names no reporter.
const OWN_REPORTER: &str = "CHN";
const USD_PER_MILLION: f64 = 1e6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    PartnerReported,
    BenefactorReported,
}

const PARTNER_REPORTED: &[&str] = &["refYear", "flowCode", "partnerDesc", "reporterDesc", "partner_sum"];
const BENEFACTOR_REPORTED: &[&str] = &["refYear", "partnerDesc", "Exportações", "Importações"];

/// A Comtrade extract's first sheet, as every Comtrade layout keeps its table there.
pub(crate) struct FirstSheet {
    pub sha256: String,
    pub name: String,
    pub range: Range<Data>,
    /// Positions are the sheet's own (calamine's `get_value` is absolute), from A1 to the last used cell.
    pub last_row: u32,
    pub last_column: u32,
    /// Row 1, trimmed.
    pub header: Vec<String>,
}

pub(crate) fn first_sheet(path: &Path) -> Result<FirstSheet> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    let sha256 = sha256_hex(&bytes);
    let format_error = |message: String| Error::Format { path: path.to_path_buf(), message };
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| format_error(format!("not a readable .xlsx workbook ({e}); expected a UN Comtrade extract")))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| format_error("the workbook has no sheet".into()))?
        .map_err(|e| format_error(format!("the first sheet cannot be read: {e}")))?;
    let name = workbook.sheet_names().first().cloned().unwrap_or_default();
    let (last_row, last_column) = range.end().unwrap_or((0, 0));
    let header: Vec<String> = (0..=last_column).map(|c| text(&range, (0, c))).collect();
    Ok(FirstSheet { sha256, name, range, last_row, last_column, header })
}

/// A problem with one cell of a sheet, named as a spreadsheet names it (`Sheet1!C7`).
pub(crate) fn cell_problem(path: &Path, sheet: &str, (row, column): (u32, u32), message: String) -> Problem {
    Problem { path: path.to_path_buf(), line: row as usize + 1, column: format!("{sheet}!{}", cell_name(row, column)), message }
}

pub fn read(path: &Path, countries: &CountryTable, benefactors: &[String]) -> Result<(Layout, Reported)> {
    let format_error = |message: String| Error::Format { path: path.to_path_buf(), message };
    let FirstSheet { sha256, name: sheet, range, last_row, last_column, header } = first_sheet(path)?;
    let position = |name: &str| header.iter().position(|h| h == name).map(|p| p as u32);
    let has = |columns: &[&str]| columns.iter().all(|c| position(c).is_some());
    let layout = if has(PARTNER_REPORTED) {
        Layout::PartnerReported
    } else if has(BENEFACTOR_REPORTED) {
        Layout::BenefactorReported
    } else {
        return Err(format_error(format!(
            "header row `{}` is neither Comtrade layout: a partner-reported extract has the columns {}, a China-reported one {}",
            header.join(","),
            PARTNER_REPORTED.join(", "),
            BENEFACTOR_REPORTED.join(", ")
        )));
    };

    let mut extract = Reported {
        path: path.to_path_buf(),
        sha256,
        lines: last_row as usize + 1,
        records_read: 0,
        cells: Vec::new(),
        excluded: BTreeMap::new(),
    };
    let mut problems = Vec::new();
    let problem = |row: u32, column: u32, message: String| cell_problem(path, &sheet, (row, column), message);
    let column = |name: &str| position(name).expect("the layout's columns were checked");
    let year_column = column("refYear");
    let mut records: Vec<(u32, i32)> = Vec::new();
    for row in 1..=last_row {
        if (0..=last_column).all(|c| text(&range, (row, c)).is_empty()) {
            continue;
        }
        extract.records_read += 1;
        match year(range.get_value((row, year_column))) {
            Ok(y) => records.push((row, y)),
            Err(message) => problems.push(problem(row, year_column, message)),
        }
    }
    let part_year = if layout == Layout::PartnerReported { part_year(records.iter().map(|&(_, year)| (year, 1.0))) } else { None };

    for (row, year) in records {
        if Some(year) == part_year {
            *extract.excluded.entry(format!("{year}: a part-year, to the extraction date")).or_default() += 1;
            continue;
        }
        let country = |name_column: u32, problems: &mut Vec<Problem>| -> Option<Option<String>> {
            let name = text(&range, (row, name_column));
            match countries.resolve(&name) {
                Some(NameMatch::Country(c)) => Some(Some(c.iso3.clone())),
                Some(NameMatch::NonCountry(_)) => Some(None),
                None => {
                    problems.push(problem(row, name_column, countries.unknown_in_data(&name)));
                    None
                }
            }
        };
        match layout {
            Layout::PartnerReported => {
                let (Some(benefactor), Some(reporter)) = (country(column("partnerDesc"), &mut problems), country(column("reporterDesc"), &mut problems)) else { continue };
                let Some(benefactor) = benefactor.filter(|b| benefactors.contains(b)) else {
                    problems.push(problem(row, column("partnerDesc"), "expected a benefactor (China or Russia) as the partner whose trade the reporters mirror".into()));
                    continue;
                };
                let Some(reporter) = reporter.filter(|r| *r != benefactor) else {
                    *extract.excluded.entry("reporter is the benefactor itself (re-imports) or an aggregate".into()).or_default() += 1;
                    continue;
                };
                let flow_column = column("flowCode");
                // The reporter's imports from the benefactor are the benefactor's exports.
                let flow = match text(&range, (row, flow_column)).as_str() {
                    "M" => Flow::Exports,
                    "X" => Flow::Imports,
                    other => {
                        problems.push(problem(row, flow_column, format!("expected `M` (imports) or `X` (exports), found `{other}`")));
                        continue;
                    }
                };
                let value_column = column("partner_sum");
                match usd(range.get_value((row, value_column))) {
                    Ok(Some(figure)) => extract.cells.push(Cell { benefactor, partner: reporter, year, flow, figure }),
                    Ok(None) => problems.push(problem(row, value_column, "empty: expected the reporter's trade with the partner in US dollars".into())),
                    Err(message) => problems.push(problem(row, value_column, message)),
                }
            }
            Layout::BenefactorReported => {
                let Some(Some(partner)) = country(column("partnerDesc"), &mut problems) else { continue };
                for (name, flow) in [("Exportações", Flow::Exports), ("Importações", Flow::Imports)] {
                    let value_column = column(name);
                    // An empty flow is one China did not report that year (Cabo Verde's exports to China).
                    match usd(range.get_value((row, value_column))) {
                        Ok(Some(figure)) => extract.cells.push(Cell { benefactor: OWN_REPORTER.into(), partner: partner.clone(), year, flow, figure }),
                        Ok(None) => {}
                        Err(message) => problems.push(problem(row, value_column, message)),
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        Ok((layout, extract))
    } else {
        Err(Error::Invalid { path: path.to_path_buf(), problems })
    }
}

/// The extract's last year, when it is a part-year: one taken before most partners had reported it,
/// which would read as a collapse of trade. An extract taken months after the year ended has most
/// partners' reports for it and keeps it (in the copy of 3 March 2026, 132 partners report 2024 against
/// 163 for 2023; in an earlier copy 13 report 2025). The rule: fewer than half as many reporting rows
/// as the year before. A ranked extract lists the same number of products and partners every year, so
/// there the amount compared is the value traded (`commodities`): China's imports of its top products
/// in the copy of 2025 come to 119 bn USD against 682 bn for 2024.
pub(crate) fn part_year(records: impl IntoIterator<Item = (i32, f64)>) -> Option<i32> {
    let mut amount: BTreeMap<i32, f64> = BTreeMap::new();
    for (year, weight) in records {
        *amount.entry(year).or_default() += weight;
    }
    let (&last, &in_last) = amount.last_key_value()?;
    (2.0 * in_last < amount.get(&(last - 1)).copied().unwrap_or(0.0)).then_some(last)
}

pub(crate) fn text(range: &Range<Data>, cell: (u32, u32)) -> String {
    match range.get_value(cell) {
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

pub(crate) fn number(value: Option<&Data>) -> Option<f64> {
    match value? {
        Data::Float(v) => Some(*v),
        Data::Int(v) => Some(*v as f64),
        Data::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub(crate) fn year(value: Option<&Data>) -> std::result::Result<i32, String> {
    match number(value) {
        Some(y) if y.fract() == 0.0 && (1950.0..=2100.0).contains(&y) => Ok(y as i32),
        _ => Err(format!("expected a year, found `{}`", value.map(ToString::to_string).unwrap_or_default())),
    }
}

/// A value in US dollars, as US$ millions like the DOTS figures; None for an empty cell.
fn usd(value: Option<&Data>) -> std::result::Result<Option<Figure>, String> {
    if matches!(value, None | Some(Data::Empty)) {
        return Ok(None);
    }
    match number(value) {
        Some(v) if v.is_finite() && v >= 0.0 => Ok(Some(Figure { value: v / USD_PER_MILLION, estimated: false })),
        _ => Err(format!("expected a trade value in US dollars, found `{}`", value.map(ToString::to_string).unwrap_or_default())),
    }
}
