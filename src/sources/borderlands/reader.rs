//! The reader: raw files → `datasets/`, through the import contract (`crate::ingest`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::ingest::one_file::{About, CsvFile, CsvLayout, Outcome, Text};
use crate::ingest::provenance::{percent_of, Comparison, Input, Provenance};
use crate::ingest::table::{self, Column, Kind, TableSpec};
use crate::ingest::workbook::{self, Sheet};
use crate::artefact::csv_bytes;
use crate::domain::CountryTable;
use crate::error::{Error, Problem, Result};

/// Constant 2024 US$ amounts: China's largest FDI position in any of the 28 states is a few hundred
/// billion.
const MAX_USD: f64 = 1e13;

pub const SPEC: TableSpec = TableSpec {
    file: "borderlands.csv",
    command: "mdime import borderlands",
    columns: &[
        Column::text("benefactor_iso3"),
        Column::text("recipient"),
        Column::text("recipient_iso3"),
        Column::new("year", Kind::YEAR),
        Column::new("military_engagements", Kind::OPTIONAL_COUNT),
        Column::new("joint_exercises", Kind::OPTIONAL_COUNT),
        Column::new("military_part_year", Kind::Flag),
        Column::new("surveillance_projects", Kind::OPTIONAL_COUNT),
        Column::optional_amount("surveillance_usd_2024", MAX_USD),
        Column::new("leader_visits", Kind::OPTIONAL_COUNT),
        Column::new("content_sharing_partnerships", Kind::OPTIONAL_COUNT),
        Column::new("confucius_institutes", Kind::OPTIONAL_COUNT),
        Column::new("confucius_classrooms", Kind::OPTIONAL_COUNT),
        Column::optional_amount("fdi_usd_2024", MAX_USD),
        Column::optional_amount("fdi_derived_usd_2024", MAX_USD),
    ],
};
/// The derived table's file name inside the datasets folder.
pub const TABLE: &str = SPEC.file;
pub const DEFAULT_FILE: &str = "../shared/data/china-military-diplomacy/china_data.csv";
pub const DEFAULT_WORKBOOK: &str = "../shared/data/china-military-diplomacy/china_data.xlsx";
/// How indicators name the source, followed by its years.
pub const SOURCE_LABEL: &str = "NBR/AidData Mapping China's Borderlands v1.0";
pub const CITATION: &str = "AidData and The National Bureau of Asian Research (2025), Mapping China's Borderlands: Dashboard, Data \
    Package v1.0; military engagements and exercises from the Center for the Study of Chinese Military Affairs, Chinese Military \
    Diplomacy Database v4.00 (National Defense University); ODC-By";
/// The benefactor whose engagement the panel records.
pub const BENEFACTOR: &str = "CHN";

const YEAR: &str = "year";
const RECIPIENT: &str = "recipient";
const ENGAGEMENTS: &str = "sec_03_military_engagement_ct";
const EXERCISES: &str = "sec_04_joint_exercise_ct";
const SURVEILLANCE: &str = "sec_02_surveillance_ct";
const SURVEILLANCE_USD: &str = "sec_02_surveillance_usd";
const VISITS_OUT: &str = "civ_03_outbound_visits_ct";
const VISITS_IN: &str = "civ_03_inbound_visits_ct";
const VISITS: &str = "civ_03_total_visits_ct";
const CSPS: &str = "civ_04_csps_ct";
const CIS: &str = "civ_06_ci_ct";
const CCS: &str = "civ_06_cc_ct";
const CIS_AND_CCS: &str = "civ_06_ci_cc_ct";
const FDI: &str = "dev_03_fdi_usd";
const FDI_DERIVED: &str = "dev_03_fdi_derived_usd";
/// The `Y`/`N` columns.
const FLAGS: [&str; 2] = ["dev_01_currency_swap_line_extant", "civ_01_united_front_presence"];
/// Country centroids, and arms committed less arms delivered: the columns that may be negative.
const COORDINATES: [&str; 2] = ["lat", "lon"];
const MISSING_ARMS: &str = "sec_01_missing_transfer_tiv";
/// Every column of the panel, in the file's order: all are read and checked, the table keeps some.
const COLUMNS: [&str; 32] = [
    YEAR,
    RECIPIENT,
    "sec_01_arms_transfer_tiv",
    "sec_01_arms_transfer_tiv_delivered",
    "sec_01_arms_transfer_orders_ct",
    MISSING_ARMS,
    SURVEILLANCE_USD,
    SURVEILLANCE,
    ENGAGEMENTS,
    EXERCISES,
    FLAGS[0],
    "dev_01_currency_swap_usd",
    "dev_02_infrastructure_usd",
    "dev_02_infrastructure_ct",
    FDI,
    FDI_DERIVED,
    "dev_04_sez_usd",
    "dev_04_sez_proj_ct",
    "dev_04_sez_unique_site",
    FLAGS[1],
    "civ_02_healthcare_usd",
    "civ_02_healthcare_ct",
    VISITS_OUT,
    VISITS_IN,
    VISITS,
    CSPS,
    "civ_05_judicial_engagement_ct",
    CIS,
    CCS,
    CIS_AND_CCS,
    COORDINATES[0],
    COORDINATES[1],
];
/// Count columns in which `NA` means none within the codebook's years for the column (first, last).
const NA_MEANS_NONE: [(&str, i32, i32); 3] = [(SURVEILLANCE, 2001, 2021), (ENGAGEMENTS, 1999, 2024), (EXERCISES, 1999, 2024)];
/// Columns that are the sum of two others, checked wherever all three are given.
const SUMS: [(&str, &str, &str); 2] = [(VISITS, VISITS_OUT, VISITS_IN), (CIS_AND_CCS, CIS, CCS)];

const LAYOUT: CsvLayout = CsvLayout { missing: &["NA"], ..CsvLayout::plain("NBR/AidData Mapping China's Borderlands panel", Text::Utf8, &COLUMNS) };

/// One row of `datasets/borderlands.csv`: China's engagement with one state in one year. An empty
/// cell is the panel's `NA` outside the rule that reads it as 0.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BorderlandsYear {
    pub benefactor_iso3: String,
    pub recipient: String,
    pub recipient_iso3: String,
    pub year: i32,
    /// Senior-level visits and naval port calls together (`sec_03_military_engagement_ct`).
    pub military_engagements: Option<u32>,
    /// Joint exercises, bilateral and multilateral (`sec_04_joint_exercise_ct`).
    pub joint_exercises: Option<u32>,
    /// The year is the panel's last and incompletely compiled for the two columns above.
    pub military_part_year: bool,
    /// Chinese official-finance projects for surveillance systems, safe cities, scanners and police
    /// (`sec_02_surveillance_ct`, from GCDF 3.0, 2001–2021).
    pub surveillance_projects: Option<u32>,
    pub surveillance_usd_2024: Option<f64>,
    /// Visits by heads of state and government either way (`civ_03_total_visits_ct`).
    pub leader_visits: Option<u32>,
    /// New content-sharing partnerships between Chinese and local media (`civ_04_csps_ct`).
    pub content_sharing_partnerships: Option<u32>,
    /// Confucius Institutes operating (`civ_06_ci_ct`) and Confucius Classrooms (`civ_06_cc_ct`).
    pub confucius_institutes: Option<u32>,
    pub confucius_classrooms: Option<u32>,
    /// China's outward FDI position, as reported to the IMF (`dev_03_fdi_usd`) and as derived from
    /// partners' reports (`dev_03_fdi_derived_usd`), constant 2024 US$.
    pub fdi_usd_2024: Option<f64>,
    pub fdi_derived_usd_2024: Option<f64>,
}

#[derive(Debug)]
pub struct ImportReport {
    pub table: PathBuf,
    pub provenance: Provenance,
    pub rows: Vec<BorderlandsYear>,
}

/// One record's cells, by column: numbers (None for `NA`) and flags as given.
#[derive(Debug, Default)]
struct Record {
    line: usize,
    numbers: BTreeMap<&'static str, Option<f64>>,
    /// The CSV's text of each number, to tell its rounding.
    written: BTreeMap<&'static str, String>,
    flags: BTreeMap<&'static str, String>,
}

/// Reads the panel's CSV and workbook and writes `borderlands.csv` and its provenance into `datasets`.
pub fn import(path: &Path, workbook: &Path, datasets: &Path) -> Result<ImportReport> {
    let countries = CountryTable::builtin();
    let file = CsvFile::detect(path, &[LAYOUT])?;
    let mut problems = Vec::new();
    let mut records: BTreeMap<(String, i32), (String, Record)> = BTreeMap::new();
    for index in 0..file.records.len() {
        let mut row = file.row(index, &mut problems);
        let country = countries.country_in_data(row.text(RECIPIENT)).map_err(|message| row.problem(RECIPIENT, message)).ok();
        let year = row.integer(YEAR, 1990..=2100, "a year");
        let mut record = Record { line: row.line, ..Record::default() };
        for column in &COLUMNS[2..] {
            if FLAGS.contains(column) {
                let flag = row.text(column);
                if !matches!(flag, "Y" | "N") {
                    row.problem(column, format!("expected `Y` or `N`, found `{flag}`"));
                }
                record.flags.insert(column, flag.to_string());
            } else {
                let range = if COORDINATES.contains(column) || *column == MISSING_ARMS { -MAX_USD..=MAX_USD } else { 0.0..=MAX_USD };
                record.numbers.insert(column, row.optional_number(column, range, "a figure or `NA`"));
                record.written.insert(column, row.text(column).to_string());
            }
        }
        for (total, a, b) in SUMS {
            if let (Some(Some(t)), Some(Some(x)), Some(Some(y))) = (record.numbers.get(total), record.numbers.get(a), record.numbers.get(b)) {
                if x + y != *t {
                    row.problem(total, format!("{t} is not {a} ({x}) plus {b} ({y})"));
                }
            }
        }
        let (Some(country), Some(year)) = (country, year) else { continue };
        if records.insert((country.iso3.clone(), year as i32), (country.name.clone(), record)).is_some() {
            row.problem(RECIPIENT, "a second record for this state and year");
        }
    }
    file.check(problems)?;

    let sheet = Sheet::open(workbook, &COLUMNS, "NBR/AidData's Borderlands workbook (sheet `borderlands_datawrapper_v1.2`)")?;
    let check = take_full_values(&sheet, &mut records, countries)?;

    let filled = fill_none(&mut records);
    let part_year = part_year(&records);
    let rows: Vec<BorderlandsYear> = records
        .iter()
        .map(|((iso3, year), (name, record))| {
            let count = |column: &str| record.numbers[column].map(|x| x as u32);
            BorderlandsYear {
                benefactor_iso3: BENEFACTOR.into(),
                recipient: name.clone(),
                recipient_iso3: iso3.clone(),
                year: *year,
                military_engagements: count(ENGAGEMENTS),
                joint_exercises: count(EXERCISES),
                military_part_year: part_year == Some(*year),
                surveillance_projects: count(SURVEILLANCE),
                surveillance_usd_2024: record.numbers[SURVEILLANCE_USD],
                leader_visits: count(VISITS),
                content_sharing_partnerships: count(CSPS),
                confucius_institutes: count(CIS),
                confucius_classrooms: count(CCS),
                fdi_usd_2024: record.numbers[FDI],
                fdi_derived_usd_2024: record.numbers[FDI_DERIVED],
            }
        })
        .collect();

    let years = (rows.iter().map(|r| r.year).min().unwrap_or(0), rows.iter().map(|r| r.year).max().unwrap_or(0));
    let states = rows.iter().map(|r| &r.recipient_iso3).collect::<BTreeSet<_>>().len();
    let fills: Vec<String> = filled.iter().map(|(column, (first, last), n)| format!("{column} {first}-{last}: {n} cells")).collect();
    let kept_as_na: Vec<&str> = NA_MEANS_NONE.iter().map(|(c, ..)| *c).filter(|c| !filled.iter().any(|(f, ..)| f == c)).collect();
    let outcome = Outcome {
        data_generated: format!("compiled June 2025 (Data Package v1.0, August 2025); figures {}-{}", years.0, years.1),
        method: format!(
            "one row per state × year ({states} states); every cell of the CSV compared with the workbook: {} numbers, {} the same, \
             {} rounded in the CSV ({} of them in scientific notation), whose full values are taken from the workbook; `NA` read as 0 \
             within the codebook's years in the count columns that never hold a 0 ({}){}; `NA` elsewhere kept as an empty cell; \
             {}; visits and port calls are one count in the panel (codebook), as are bilateral and multilateral exercises; columns \
             not kept: arms transfers (SIPRI's register is imported directly), currency swaps, infrastructure, special economic \
             zones, United Front presence, health projects, judicial engagements, the two directions of leader visits (their \
             total is kept and checked), coordinates",
            check.compared,
            check.compared - check.rounded,
            check.rounded,
            check.scientific,
            fills.join("; "),
            if kept_as_na.is_empty() { String::new() } else { format!(" ({} hold a 0, so their `NA` stays missing)", kept_as_na.join(", ")) },
            match part_year {
                Some(year) => format!(
                    "{year} is a part-year for the engagement columns (`military_part_year`): fewer states listed than in {} and \
                     under half their engagements of that year",
                    year - 1
                ),
                None => "no part-year".into(),
            },
        ),
        rows_written: rows.len(),
        ..Outcome::default()
    };
    let about = About { table: TABLE, source: "NBR/AidData Mapping China's Borderlands: China's engagement with 28 Asian states by year", citation: CITATION };
    let mut provenance = file.provenance(about, outcome);
    provenance.inputs = vec![
        Input { lines: file.raw.lines, records_read: file.records.len(), encoding: file.raw.encoding.clone(), ..Input::file(file.raw.file_name(), file.raw.sha256.clone(), "the panel as CSV: its records, cells and `NA`s".into()) },
        Input { lines: sheet.raw.lines, records_read: check.rows, encoding: sheet.raw.encoding.clone(), ..Input::file(sheet.raw.file_name(), sheet.raw.sha256.clone(), format!("the panel as NBR released it (sheet `{}`): full-precision values", sheet.name)) },
    ];
    provenance.comparisons = vec![Comparison {
        what: format!("every number of the panel ({} rounded in the CSV, {} of them to six significant digits)", check.rounded, check.scientific),
        reference: format!("{} (workbook)", sheet.raw.file_name()),
        other: format!("{} (CSV)", file.raw.file_name()),
        first_year: years.0,
        last_year: years.1,
        cells: check.compared,
        reference_total: check.totals.0,
        other_total: check.totals.1,
        total_gap_pct: percent_of(check.totals.0, check.totals.1 - check.totals.0),
        cell_gap_pct: percent_of(check.totals.0, check.absolute_gap),
        precedence: None,
    }];
    let table = table::write_table(datasets, &SPEC, &csv_bytes(&rows)?, &mut provenance, path)?;
    Ok(ImportReport { table, provenance, rows })
}

/// The derived table and its provenance, or None when it has not been imported.
pub fn find_table(datasets: &Path) -> Result<Option<(PathBuf, Provenance)>> {
    table::find_table(datasets, &SPEC)
}

/// What comparing the CSV with the workbook found.
struct Check {
    /// Workbook rows read.
    rows: usize,
    compared: usize,
    rounded: usize,
    scientific: usize,
    /// Totals of the numbers compared: workbook, CSV.
    totals: (f64, f64),
    absolute_gap: f64,
}

/// Compares every cell of the workbook with the CSV's record for the same state and year, and puts
/// the workbook's full values in place of the CSV's rounded ones. Any other difference, or a row in
/// one file only, is refused with both places named.
fn take_full_values(sheet: &Sheet, records: &mut BTreeMap<(String, i32), (String, Record)>, countries: &CountryTable) -> Result<Check> {
    let mut problems: Vec<Problem> = Vec::new();
    let mut check = Check { rows: 0, compared: 0, rounded: 0, scientific: 0, totals: (0.0, 0.0), absolute_gap: 0.0 };
    let mut seen = BTreeSet::new();
    for row in sheet.rows() {
        if sheet.is_blank(row) {
            continue;
        }
        check.rows += 1;
        let cell = |column: &'static str| workbook::Column::Named(column);
        let name = sheet.text(row, cell(RECIPIENT));
        let year = sheet.integer(row, cell(YEAR), 1990..=2100, "a year", &mut problems);
        let iso3 = match countries.country_in_data(&name) {
            Ok(c) => c.iso3.clone(),
            Err(message) => {
                problems.push(sheet.problem(row, cell(RECIPIENT), message));
                continue;
            }
        };
        let Some(year) = year else { continue };
        let key = (iso3, year as i32);
        let Some((_, record)) = records.get_mut(&key) else {
            problems.push(sheet.problem(row, cell(RECIPIENT), format!("{name} {year} is not in the CSV")));
            continue;
        };
        seen.insert(key);
        let line = record.line;
        let place = |column: &str| format!("the CSV's line {line} (`{column}`)");
        for column in &COLUMNS[2..] {
            let given = sheet.cell(row, cell(column));
            if let Some(flag) = record.flags.get(column) {
                if workbook::text(Some(given)) != *flag {
                    problems.push(sheet.problem(row, cell(column), format!("`{}` where {} has `{flag}`", workbook::text(Some(given)), place(column))));
                }
                continue;
            }
            let full = workbook::number(given);
            match (record.numbers[column], full) {
                (None, None) if LAYOUT.missing.contains(&workbook::text(Some(given)).as_str()) => {}
                (Some(csv), Some(full)) if csv == full || rounds_to(full, &record.written[column]) => {
                    check.compared += 1;
                    if csv != full {
                        check.rounded += 1;
                        check.scientific += usize::from(record.written[column].to_ascii_lowercase().contains('e'));
                    }
                    check.totals.0 += full;
                    check.totals.1 += csv;
                    check.absolute_gap += (csv - full).abs();
                    record.numbers.insert(column, Some(full));
                }
                _ => problems.push(sheet.problem(
                    row,
                    cell(column),
                    format!("`{}` where {} has `{}`: the two files should hold the same panel", workbook::text(Some(given)), place(column), record.written[column]),
                )),
            }
        }
    }
    for ((iso3, year), (name, record)) in records.iter() {
        if !seen.contains(&(iso3.clone(), *year)) {
            problems.push(Problem {
                path: sheet.path().clone(),
                line: 0,
                column: format!("{}!(rows)", sheet.name),
                message: format!("no row for {name} {year}, which the CSV has on line {}", record.line),
            });
        }
    }
    if problems.is_empty() {
        Ok(check)
    } else {
        Err(Error::Invalid { path: sheet.path().clone(), problems })
    }
}

/// Whether `written` is `full` rounded to the significant digits `written` shows, as a spreadsheet
/// writes a number to CSV (`318008144.9`, `1.09671E+11`).
pub fn rounds_to(full: f64, written: &str) -> bool {
    let mantissa = written.split(['e', 'E']).next().unwrap_or_default();
    let digits = mantissa.chars().filter(char::is_ascii_digit).skip_while(|&c| c == '0').count().max(1);
    let (Ok(rounded), Ok(value)) = (format!("{:.*e}", digits - 1, full).parse::<f64>(), written.parse::<f64>()) else { return false };
    rounded == value
}

/// Reads `NA` as 0 within the codebook's years in each `NA_MEANS_NONE` column that holds no 0 anywhere;
/// returns, per column filled, its years and the cells filled.
fn fill_none(records: &mut BTreeMap<(String, i32), (String, Record)>) -> Vec<(&'static str, (i32, i32), usize)> {
    let mut filled = Vec::new();
    for (column, first, last) in NA_MEANS_NONE {
        if records.values().any(|(_, r)| r.numbers[column] == Some(0.0)) {
            continue;
        }
        let mut n = 0;
        for ((_, year), (_, record)) in records.iter_mut() {
            if (first..=last).contains(year) && record.numbers[column].is_none() {
                record.numbers.insert(column, Some(0.0));
                n += 1;
            }
        }
        filled.push((column, (first, last), n));
    }
    filled
}

/// The panel's last year, when the engagement columns were not finished for it: it lists fewer states
/// than the year before, and those it lists had less than half the engagements they had then.
fn part_year(records: &BTreeMap<(String, i32), (String, Record)>) -> Option<i32> {
    let last = records.keys().map(|(_, year)| *year).max()?;
    let listed = |year: i32| records.keys().filter(|(_, y)| *y == year).map(|(iso3, _)| iso3.clone()).collect::<BTreeSet<_>>();
    let (now, before) = (listed(last), listed(last - 1));
    let engagements = |year: i32| -> f64 {
        now.iter().filter_map(|iso3| records.get(&(iso3.clone(), year))).filter_map(|(_, r)| r.numbers[ENGAGEMENTS]).sum()
    };
    (now.len() < before.len() && 2.0 * engagements(last) < engagements(last - 1)).then_some(last)
}
