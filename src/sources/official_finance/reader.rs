//! The reader: raw files → `datasets/`, through the import contract (`crate::ingest`).

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Range, Reader, Xlsx};
use serde::{Deserialize, Serialize};

use crate::ingest::workbook::cell_name;
use crate::ingest::one_file::{About, Outcome, RawFile};
use crate::ingest::provenance::Provenance;
use crate::ingest::table::{self, Column, Kind, TableSpec};
use crate::artefact::csv_bytes;
use crate::domain::{CountryTable, NameMatch};
use crate::error::{Error, Problem, Result};

pub const SPEC: TableSpec = TableSpec {
    file: "official_finance.csv",
    command: "mdime import official-finance",
    columns: &[
        Column::new("project_id", Kind::Integer { min: 0, max: i64::MAX, optional: false }),
        Column::text("benefactor_iso3"),
        Column::text("recipient"),
        Column::text("recipient_iso3"),
        Column::new("year", Kind::YEAR),
        Column::new("sector_code", Kind::Integer { min: 0, max: 999, optional: false }),
        Column::text("sector_name"),
        Column::text("funding_agency"),
        // The largest single project in GCOF is a few US$ billion; a trillion is no project.
        Column::optional_amount("amount_usd_2014", 1e12),
        Column::new("ict", Kind::Flag),
        Column::text("ict_rule"),
        Column::new("d3", Kind::Flag),
        Column::text("d3_rule"),
        Column::text("title"),
    ],
};
/// The derived table's file name inside the datasets folder.
pub const TABLE: &str = SPEC.file;
pub const DEFAULT_FILE: &str = "../shared/data/aiddata/GlobalChineseOfficialFinanceDataset_v1.0.xlsx";
pub const CITATION: &str = "AidData Global Chinese Official Finance Dataset v1.0";
const ABOUT: About = About {
    table: TABLE,
    source: "AidData Global Chinese Official Finance Dataset v1.0: Chinese official finance projects worldwide",
    citation: "Dreher, Fuchs, Parks, Strange & Tierney, Aid, China, and Growth: Evidence from a New Global Development \
        Finance Dataset, AidData Working Paper 46 (2017); AidData Global Chinese Official Finance Dataset, Version 1.0",
};
const BENEFACTOR: &str = "CHN";

/// The CRS sector of communications (telecommunications, broadcasting, ICT).
pub const ICT_SECTOR: i64 = 220;
/// Title phrases that make a project outside the communications sector an ICT project: network builds
/// and e-government systems, not anything that merely names a telecom company.
pub const ICT_PHRASES: &[&str] = &[
    "broadband",
    "fibre optic",
    "fiber optic",
    "optical fibre",
    "optical fiber",
    "e government",
    "e governance",
    "ict",
    "data centre",
    "data center",
    "telecom network",
    "telecommunication network",
    "telecommunications network",
    "mobile network",
    "gsm",
];
/// Phrases naming armed forces, defence bodies, military units and arms, in a title or an agency.
pub const MILITARY_PHRASES: &[&str] = &[
    "military",
    "army",
    "armed forces",
    "defense",
    "defence",
    "pla",
    "navy",
    "naval",
    "air force",
    "soldier",
    "soldiers",
    "troops",
    "peacekeeping",
    "peacekeepers",
    "peace keeping",
    "peace keepers",
    "peace ark",
    "hospital ship",
    "barracks",
    "ammunition",
    "guns",
    "weapons",
    "arms",
];
/// Phrases naming police, internal security and mine clearance.
pub const SECURITY_PHRASES: &[&str] = &[
    "police",
    "policing",
    "gendarmerie",
    "security",
    "surveillance",
    "anti terror",
    "anti terrorism",
    "demining",
    "de mining",
    "landmine",
    "landmines",
    "mine clearance",
    "mine sweeping",
];
/// Phrases in which a military or security word means something else.
pub const NOT_MILITARY: &[&str] = &["army worm", "army worms", "food security", "energy security", "social security", "water security"];

/// The columns read, by the names in the workbook's header row.
const PROJECT_ID: &str = "project_id";
const RECOMMENDED: &str = "recommended_for_research";
const UMBRELLA: &str = "umbrella";
const STATUS: &str = "status";
const YEAR: &str = "year";
const RECIPIENT: &str = "recipient_condensed";
const RECIPIENT_ISO3: &str = "recipient_iso3";
const RECIPIENT_ISO2: &str = "recipient_iso2";
const TITLE: &str = "title";
const SECTOR_CODE: &str = "crs_sector_code";
const SECTOR_NAME: &str = "crs_sector_name";
const FUNDING_AGENCY: &str = "funding_agency";
const IMPLEMENTING_AGENCY: &str = "implementing_agency";
const RECIPIENT_AGENCIES: &str = "recipient_agencies";
const AMOUNT: &str = "usd_defl_2014";
const REQUIRED: [&str; 15] = [
    PROJECT_ID,
    RECOMMENDED,
    UMBRELLA,
    STATUS,
    YEAR,
    RECIPIENT,
    RECIPIENT_ISO3,
    RECIPIENT_ISO2,
    TITLE,
    SECTOR_CODE,
    SECTOR_NAME,
    FUNDING_AGENCY,
    IMPLEMENTING_AGENCY,
    RECIPIENT_AGENCIES,
    AMOUNT,
];
/// The fields searched for military and security phrases. Descriptions are not: they mention armies
/// in passing (a coup, a ceremony attended by officers, Zambia's civilian medical teams "not to be
/// confused with the military medical teams").
const D3_FIELDS: [&str; 4] = [TITLE, FUNDING_AGENCY, IMPLEMENTING_AGENCY, RECIPIENT_AGENCIES];

/// One row of `datasets/official_finance.csv`: a Chinese official-finance project with one recipient.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Project {
    pub project_id: u64,
    pub benefactor_iso3: String,
    pub recipient: String,
    pub recipient_iso3: String,
    /// The year of commitment (or pledge) AidData gives.
    pub year: i32,
    pub sector_code: u32,
    pub sector_name: String,
    pub funding_agency: String,
    /// Constant 2014 US$ (AidData's `usd_defl_2014`); empty where the source gives no amount.
    pub amount_usd_2014: Option<f64>,
    /// An ICT project (I2), and the rule that made it one.
    pub ict: bool,
    pub ict_rule: String,
    /// A military-linked or security project (D3), and the rule that made it one.
    pub d3: bool,
    pub d3_rule: String,
    pub title: String,
}

#[derive(Debug)]
pub struct ImportReport {
    pub table: PathBuf,
    pub provenance: Provenance,
    pub rows: Vec<Project>,
}

pub fn import(path: &Path, datasets: &Path) -> Result<ImportReport> {
    let countries = CountryTable::builtin();
    let bytes = std::fs::read(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    let format_error = |message: String| Error::Format { path: path.to_path_buf(), message };
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes.as_slice()))
        .map_err(|e| format_error(format!("not a readable .xlsx workbook ({e}); expected AidData's GCOF v1.0 workbook")))?;
    let sheet = workbook.sheet_names().first().cloned().ok_or_else(|| format_error("the workbook has no sheet".into()))?;
    let range = workbook.worksheet_range(&sheet).map_err(|e| format_error(format!("sheet `{sheet}` cannot be read: {e}")))?;
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let (last_row, last_column) = range.end().unwrap_or((0, 0));
    let header: Vec<String> = (first_column..=last_column).map(|c| text(range.get_value((first_row, c)))).collect();
    let missing: Vec<&str> = REQUIRED.iter().copied().filter(|c| !header.iter().any(|h| h == c)).collect();
    if !missing.is_empty() {
        return Err(format_error(format!(
            "sheet `{sheet}`, row {}: the header lacks the column(s) {}; expected AidData's GCOF v1.0 project sheet",
            first_row + 1,
            missing.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
        )));
    }
    let columns: BTreeMap<&str, u32> = REQUIRED
        .iter()
        .map(|&c| (c, first_column + header.iter().position(|h| h == c).expect("checked above") as u32))
        .collect();

    let mut problems = Vec::new();
    let mut outcome = Outcome::default();
    let mut rows: BTreeMap<u64, Project> = BTreeMap::new();
    for row in first_row + 1..=last_row {
        let mut cells = Cells { path, sheet: &sheet, range: &range, columns: &columns, row, problems: &mut problems };
        if cells.is_blank() {
            continue;
        }
        outcome.records_read += 1;
        let Some(read) = cells.project(countries) else { continue };
        match read {
            Read::SetAside(reason) => outcome.exclude(reason),
            Read::Kept(project) => {
                let id = project.project_id;
                match rows.entry(id) {
                    Entry::Occupied(_) => cells.problem(PROJECT_ID, format!("project {id} is listed twice")),
                    Entry::Vacant(slot) => {
                        slot.insert(*project);
                    }
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid { path: path.to_path_buf(), problems });
    }
    let mut rows: Vec<Project> = rows.into_values().collect();
    rows.sort_by(|a, b| (&a.recipient_iso3, a.year, a.project_id).cmp(&(&b.recipient_iso3, b.year, b.project_id)));
    let years = (rows.iter().map(|r| r.year).min().unwrap_or(0), rows.iter().map(|r| r.year).max().unwrap_or(0));
    outcome.data_generated = format!("not stated in the workbook; projects {}-{}", years.0, years.1);
    outcome.method = format!(
        "projects AidData recommends for research with one country as recipient, from sheet `{sheet}`. ICT (I2): CRS \
         sector {ICT_SECTOR} (communications), or a title naming a network build or e-government system ({}). D3: a \
         title, funding, implementing or recipient agency naming the military ({}) or police, internal security or mine \
         clearance ({}), unless the phrase is one of {}; descriptions are not searched. Amounts in constant 2014 US$ \
         (usd_defl_2014). {} ICT and {} D3 projects of {} kept",
        ICT_PHRASES.join(", "),
        MILITARY_PHRASES.join(", "),
        SECURITY_PHRASES.join(", "),
        NOT_MILITARY.join(", "),
        rows.iter().filter(|r| r.ict).count(),
        rows.iter().filter(|r| r.d3).count(),
        rows.len(),
    );
    outcome.rows_written = rows.len();
    let raw = RawFile::from_bytes(path, &bytes, "xlsx", last_row as usize + 1);
    let mut provenance = raw.provenance(ABOUT, outcome);
    let table = table::write_table(datasets, &SPEC, &csv_bytes(&rows)?, &mut provenance, path)?;
    Ok(ImportReport { table, provenance, rows })
}

/// The derived table and its provenance, or None when it has not been imported: I2 and D3 then rest on
/// the evidence logs alone.
pub fn find_table(datasets: &Path) -> Result<Option<(PathBuf, Provenance)>> {
    table::find_table(datasets, &SPEC)
}

enum Read {
    Kept(Box<Project>),
    SetAside(String),
}

/// One row of the sheet, read by column name; each defect becomes a problem naming the sheet and cell.
struct Cells<'a> {
    path: &'a Path,
    sheet: &'a str,
    range: &'a Range<Data>,
    columns: &'a BTreeMap<&'static str, u32>,
    row: u32,
    problems: &'a mut Vec<Problem>,
}

impl Cells<'_> {
    fn cell(&self, column: &str) -> &Data {
        self.range.get_value((self.row, self.columns[column])).unwrap_or(&Data::Empty)
    }

    fn is_blank(&self) -> bool {
        self.columns.keys().all(|c| text(Some(self.cell(c))).is_empty())
    }

    fn problem(&mut self, column: &str, message: String) {
        self.problems.push(Problem {
            path: self.path.to_path_buf(),
            line: self.row as usize + 1,
            column: format!("{}!{}", self.sheet, cell_name(self.row, self.columns[column])),
            message: format!("`{column}`: {message}"),
        });
    }

    fn text(&self, column: &str) -> String {
        text(Some(self.cell(column)))
    }

    /// A whole number in `range`: a numeric cell or text of digits.
    fn integer(&mut self, column: &str, range: std::ops::RangeInclusive<i64>) -> Option<i64> {
        let value = match self.cell(column) {
            Data::Int(n) => Some(*n),
            Data::Float(x) if x.fract() == 0.0 => Some(*x as i64),
            Data::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        match value.filter(|n| range.contains(n)) {
            Some(n) => Some(n),
            None => {
                let found = self.text(column);
                self.problem(column, format!("expected a whole number from {} to {}, found `{found}`", range.start(), range.end()));
                None
            }
        }
    }

    /// TRUE or FALSE: a boolean cell, the text TRUE/FALSE, or 1/0.
    fn flag(&mut self, column: &str) -> Option<bool> {
        let value = match self.cell(column) {
            Data::Bool(b) => Some(*b),
            Data::Int(n) if *n == 0 || *n == 1 => Some(*n == 1),
            Data::Float(x) if *x == 0.0 || *x == 1.0 => Some(*x == 1.0),
            Data::String(s) if s.trim().eq_ignore_ascii_case("true") => Some(true),
            Data::String(s) if s.trim().eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        };
        if value.is_none() {
            let found = self.text(column);
            self.problem(column, format!("expected TRUE, FALSE, 1 or 0, found `{found}`"));
        }
        value
    }

    /// An amount: a number, or nothing where the cell is blank (GCOF writes a single space).
    fn amount(&mut self, column: &str) -> Option<Option<f64>> {
        let value = match self.cell(column) {
            Data::Empty => return Some(None),
            Data::String(s) if s.trim().is_empty() => return Some(None),
            Data::Int(n) => Some(*n as f64),
            Data::Float(x) => Some(*x),
            Data::String(s) => s.trim().replace(',', "").parse::<f64>().ok(),
            _ => None,
        };
        match value.filter(|x| x.is_finite() && *x >= 0.0) {
            Some(x) => Some(Some(x)),
            None => {
                let found = self.text(column);
                self.problem(column, format!("expected an amount in US$ or a blank cell, found `{found}`"));
                None
            }
        }
    }

    /// The recipient, resolved by name and checked against the ISO codes where the row gives one code.
    fn recipient(&mut self, countries: &'static CountryTable) -> Option<NameMatch<'static>> {
        let name = self.text(RECIPIENT);
        let resolved = countries.resolve(&name);
        let Some(NameMatch::Country(country)) = resolved else {
            if resolved.is_none() {
                self.problem(RECIPIENT, countries.unknown_in_data(&name));
            }
            return resolved;
        };
        for column in [RECIPIENT_ISO3, RECIPIENT_ISO2] {
            let code = self.text(column);
            // Multi-country rows list several codes; only a single code can contradict the name.
            if code.is_empty() || code.contains(';') {
                continue;
            }
            let coded = if column == RECIPIENT_ISO2 { countries.by_iso2(&code) } else { countries.country(&code).filter(|_| code.len() == 3) };
            if coded.map(|c| &c.iso3) != Some(&country.iso3) {
                self.problem(column, format!("`{code}` is not the code of {} (`{name}` in `{RECIPIENT}`)", country.name));
            }
        }
        resolved
    }

    fn project(&mut self, countries: &'static CountryTable) -> Option<Read> {
        let id = self.integer(PROJECT_ID, 1..=i64::MAX);
        let recommended = self.flag(RECOMMENDED);
        let umbrella = self.flag(UMBRELLA);
        let year = self.integer(YEAR, 1990..=2100);
        let sector = self.integer(SECTOR_CODE, 1..=999);
        let amount = self.amount(AMOUNT);
        let recipient = self.recipient(countries);
        let (id, recommended, umbrella, year, sector, amount, recipient) =
            (id?, recommended?, umbrella?, year?, sector?, amount?, recipient?);
        if !recommended {
            let status = self.text(STATUS);
            let reason = if umbrella {
                "umbrella project: its parts are listed as projects of their own (not recommended for research)".to_string()
            } else {
                format!("status `{status}`: not recommended for research")
            };
            return Some(Read::SetAside(reason));
        }
        let country = match recipient {
            NameMatch::Country(c) => c,
            NameMatch::NonCountry(_) => return Some(Read::SetAside("recipient is a region or several countries (`Africa, regional`…)".into())),
        };
        let title = self.text(TITLE);
        let fields: Vec<(&str, String)> = D3_FIELDS.iter().map(|&c| (c, self.text(c))).collect();
        let (ict_rule, d3_rule) = classify(sector, &title, &fields);
        Some(Read::Kept(Box::new(Project {
            project_id: id as u64,
            benefactor_iso3: BENEFACTOR.into(),
            recipient: country.name.clone(),
            recipient_iso3: country.iso3.clone(),
            year: year as i32,
            sector_code: sector as u32,
            sector_name: self.text(SECTOR_NAME),
            funding_agency: self.text(FUNDING_AGENCY),
            // Whole cents: the deflated amounts carry float noise beyond them.
            amount_usd_2014: amount.map(|x| (x * 100.0).round() / 100.0),
            ict: !ict_rule.is_empty(),
            ict_rule,
            d3: !d3_rule.is_empty(),
            d3_rule,
            title,
        })))
    }
}

fn text(value: Option<&Data>) -> String {
    match value {
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The classification rule: which phrase (if any) makes a project ICT (I2) and military-linked or
/// security (D3). Returns the two rules that fired, empty where none did.
pub fn classify(sector: i64, title: &str, d3_fields: &[(&str, String)]) -> (String, String) {
    let ict = if sector == ICT_SECTOR {
        format!("sector {ICT_SECTOR} (communications)")
    } else {
        find_phrase(title, ICT_PHRASES).map(|p| format!("{TITLE}: `{p}`")).unwrap_or_default()
    };
    let search = |phrases: &[&'static str], kind: &str| {
        d3_fields.iter().find_map(|(field, value)| find_phrase(value, phrases).map(|p| format!("{kind}: {field} `{p}`")))
    };
    let d3 = search(MILITARY_PHRASES, "military").or_else(|| search(SECURITY_PHRASES, "security")).unwrap_or_default();
    (ict, d3)
}

/// Lower-case words, split at anything not a letter or digit: `De-mining` → `de`, `mining`.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// The first phrase (words separated by spaces) that occurs in `text` as whole words and not inside one
/// of `NOT_MILITARY`'s phrases.
fn find_phrase(text: &str, phrases: &[&'static str]) -> Option<&'static str> {
    let words = words(text);
    let at = |phrase: &str, start: usize| {
        let parts: Vec<&str> = phrase.split(' ').collect();
        words.len() >= start + parts.len() && parts.iter().enumerate().all(|(i, p)| words[start + i] == *p)
    };
    let excepted = |start: usize, len: usize| {
        NOT_MILITARY.iter().any(|e| {
            let n = e.split(' ').count();
            (start.saturating_sub(n)..=start).any(|s| s + n >= start + len && at(e, s))
        })
    };
    phrases.iter().copied().find(|phrase| {
        let len = phrase.split(' ').count();
        (0..words.len()).any(|start| at(phrase, start) && !excepted(start, len))
    })
}
