//! IMF Direction of Trade Statistics workbooks: one reporting economy's exports (FOB) and imports (CIF)
//! with every partner, in US$ millions. The layout is fixed: the reporter's name in B4, the units in B5,
//! the years across row 7 from column C, then one partner per row with its name in column B. A trailing
//! ` e` on a figure marks an IMF estimate, written as text (`1,234.5 e`), so text cells are numbers too.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Range, Reader, Xlsx};

use crate::ingest::text::sha256_hex;
use crate::ingest::workbook::cell_name;
use crate::domain::{CountryTable, NameMatch};
use crate::error::{Error, Problem, Result};

pub const UNITS: &str = "US Dollars, Millions";
// Zero-based positions of the fixed layout.
const REPORTER_CELL: (u32, u32) = (3, 1);
const UNITS_CELL: (u32, u32) = (4, 1);
const YEARS_ROW: u32 = 6;
const NAME_COLUMN: u32 = 1;
const FIRST_YEAR_COLUMN: u32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Flow {
    /// The reporter's exports to the partner, FOB.
    Exports,
    /// The reporter's imports from the partner, CIF.
    Imports,
}

impl Flow {
    pub const BOTH: [Flow; 2] = [Flow::Exports, Flow::Imports];

    pub fn sheet(self) -> &'static str {
        match self {
            Flow::Exports => "Exports, FOB",
            Flow::Imports => "Imports, CIF",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Flow::Exports => "exports",
            Flow::Imports => "imports",
        }
    }

    /// The same trade seen from the partner's side: one country's exports are the other's imports.
    pub fn mirror(self) -> Flow {
        match self {
            Flow::Exports => Flow::Imports,
            Flow::Imports => Flow::Exports,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    pub value: f64,
    /// IMF's ` e`: the IMF estimated the figure (usually from the partners' reports).
    pub estimated: bool,
}

/// What a name in column B (or the reporter in B4) turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Party {
    Country(String),
    /// World, a region, a group of economies: kept apart on purpose (datasets/non_country_names.csv).
    Aggregate(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct PartnerRow {
    /// One-based row number, as a spreadsheet shows it.
    pub row: u32,
    pub name: String,
    pub party: Party,
    pub figures: BTreeMap<i32, Figure>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub flow: Flow,
    /// Rows of the sheet, title rows included.
    pub rows: usize,
    pub partners: Vec<PartnerRow>,
}

#[derive(Debug, Clone)]
pub struct Workbook {
    pub path: PathBuf,
    pub sha256: String,
    pub reporter: String,
    pub reporter_party: Party,
    pub sheets: Vec<Sheet>,
}

impl Workbook {
    pub fn file_name(&self) -> String {
        self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }

    pub fn sheet(&self, flow: Flow) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.flow == flow)
    }
}

/// Which of the two sheets a workbook must have. The DOTS folder always has both; a single-flow
/// download (Russia's later imports) has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheets {
    Both,
    AtLeastOne,
}


pub fn read(path: &Path, sheets: Sheets, countries: &CountryTable) -> Result<Workbook> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    let sha256 = sha256_hex(&bytes);
    let format_error = |message: String| Error::Format { path: path.to_path_buf(), message };
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| format_error(format!("not a readable .xlsx workbook ({e}); expected an IMF DOTS download")))?;
    let names = workbook.sheet_names();
    let present: Vec<Flow> = Flow::BOTH.into_iter().filter(|f| names.iter().any(|n| n == f.sheet())).collect();
    let missing: Vec<Flow> = Flow::BOTH.into_iter().filter(|f| !present.contains(f)).collect();
    if (sheets == Sheets::Both && !missing.is_empty()) || present.is_empty() {
        return Err(format_error(format!(
            "no sheet `{}` (the workbook has {}); an IMF DOTS workbook has the sheets `{}` and `{}`",
            missing.iter().map(|f| f.sheet()).collect::<Vec<_>>().join("`, `"),
            names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "),
            Flow::Exports.sheet(),
            Flow::Imports.sheet()
        )));
    }

    let mut problems = Vec::new();
    let mut reporter: Option<String> = None;
    let mut read_sheets = Vec::new();
    for flow in present {
        let range = workbook
            .worksheet_range(flow.sheet())
            .map_err(|e| format_error(format!("sheet `{}` cannot be read: {e}", flow.sheet())))?;
        let sheet = read_sheet(path, flow, &range, countries, &mut problems);
        let name = text(&range, REPORTER_CELL);
        match &reporter {
            Some(first) if *first != name => problems.push(problem(
                path,
                flow,
                REPORTER_CELL,
                format!("the reporter `{name}` differs from `{first}` on the other sheet"),
            )),
            _ => reporter = Some(name),
        }
        read_sheets.push(sheet);
    }
    let reporter = reporter.unwrap_or_default();
    let reporter_party = match party(&reporter, countries) {
        Ok(party) => Some(party),
        Err(message) => {
            problems.push(problem(path, read_sheets[0].flow, REPORTER_CELL, format!("reporter: {message}")));
            None
        }
    };
    match reporter_party {
        Some(reporter_party) if problems.is_empty() => {
            Ok(Workbook { path: path.to_path_buf(), sha256, reporter, reporter_party, sheets: read_sheets })
        }
        _ => Err(Error::Invalid { path: path.to_path_buf(), problems }),
    }
}

fn problem(path: &Path, flow: Flow, (row, column): (u32, u32), message: String) -> Problem {
    Problem { path: path.to_path_buf(), line: row as usize + 1, column: format!("{}!{}", flow.sheet(), cell_name(row, column)), message }
}

fn text(range: &Range<Data>, cell: (u32, u32)) -> String {
    match range.get_value(cell) {
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn party(name: &str, countries: &CountryTable) -> std::result::Result<Party, String> {
    match countries.resolve(name) {
        Some(NameMatch::Country(c)) => Ok(Party::Country(c.iso3.clone())),
        Some(NameMatch::NonCountry(_)) => Ok(Party::Aggregate(name.to_string())),
        None if name.is_empty() => Err("empty: expected a country or aggregate name".into()),
        None => Err(countries.unknown_in_data(name)),
    }
}

/// A figure as DOTS writes it: a number, or text with thousands separators and an optional ` e`.
fn figure(value: &Data) -> std::result::Result<Option<Figure>, String> {
    let (value, estimated) = match value {
        Data::Empty => return Ok(None),
        Data::Float(v) => (*v, false),
        Data::Int(v) => (*v as f64, false),
        Data::String(s) if s.trim().is_empty() => return Ok(None),
        Data::String(s) => {
            let s = s.trim();
            let (number, estimated) = match s.strip_suffix(" e") {
                Some(number) => (number, true),
                None => (s, false),
            };
            let value = number.replace(',', "").trim().parse::<f64>().map_err(|_| {
                format!("expected a figure in US$ millions (like `12.5` or `1,234.5 e`), found `{s}`")
            })?;
            (value, estimated)
        }
        other => return Err(format!("expected a figure in US$ millions, found `{other}`")),
    };
    // Negative figures are kept: the aggregate reporters' residual rows have a few.
    if !value.is_finite() {
        return Err(format!("expected a finite figure in US$ millions, found `{value}`"));
    }
    Ok(Some(Figure { value, estimated }))
}

fn read_sheet(path: &Path, flow: Flow, range: &Range<Data>, countries: &CountryTable, problems: &mut Vec<Problem>) -> Sheet {
    let (last_row, last_column) = range.end().unwrap_or((0, 0));
    let units = text(range, UNITS_CELL);
    if units != UNITS {
        problems.push(problem(path, flow, UNITS_CELL, format!("expected the units `{UNITS}`, found `{units}`")));
    }
    let mut years = Vec::new();
    for column in FIRST_YEAR_COLUMN..=last_column {
        let heading = text(range, (YEARS_ROW, column));
        if heading.is_empty() {
            continue;
        }
        match heading.parse::<f64>() {
            Ok(y) if y.fract() == 0.0 && (1900.0..=2100.0).contains(&y) => years.push((column, y as i32)),
            _ => problems.push(problem(path, flow, (YEARS_ROW, column), format!("expected a year, found `{heading}`"))),
        }
    }
    if years.is_empty() {
        problems.push(problem(path, flow, (YEARS_ROW, FIRST_YEAR_COLUMN), "no years in the header row".into()));
    }

    let mut partners = Vec::new();
    for row in YEARS_ROW + 1..=last_row {
        let name = text(range, (row, NAME_COLUMN));
        let mut figures = BTreeMap::new();
        for &(column, year) in &years {
            match figure(range.get_value((row, column)).unwrap_or(&Data::Empty)) {
                Ok(Some(f)) => {
                    figures.insert(year, f);
                }
                Ok(None) => {}
                Err(message) => problems.push(problem(path, flow, (row, column), message)),
            }
        }
        if name.is_empty() && figures.is_empty() {
            continue;
        }
        match party(&name, countries) {
            Ok(party) => partners.push(PartnerRow { row: row + 1, name, party, figures }),
            Err(message) => problems.push(problem(path, flow, (row, NAME_COLUMN), message)),
        }
    }
    Sheet { flow, rows: last_row as usize + 1, partners }
}
