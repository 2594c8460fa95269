//! The reader: raw files → `datasets/`, through the import contract (`crate::ingest`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::ingest::one_file::{About, Outcome};
use crate::ingest::provenance::Provenance;
use crate::ingest::table::{self, Column, Kind, TableSpec};
use crate::ingest::workbook::{Column as Cell, Sheet};
use crate::artefact::csv_bytes;
use crate::domain::CountryTable;
use crate::error::{Error, Result};

pub const SPEC: TableSpec = TableSpec {
    file: "students_in_china.csv",
    command: "mdime import students",
    columns: &[
        Column::text("benefactor_iso3"),
        Column::text("country"),
        Column::text("iso3"),
        Column::new("year", Kind::YEAR),
        Column::new("students", Kind::COUNT),
        Column::new("undergraduates", Kind::COUNT),
        Column::new("postgraduates", Kind::COUNT),
        Column::new("degree_students", Kind::COUNT),
        Column::new("non_degree_students", Kind::COUNT),
        Column::new("scholarship_holders", Kind::COUNT),
        Column::text("note"),
    ],
};
/// The derived table's file name inside the datasets folder.
pub const TABLE: &str = SPEC.file;
pub const DEFAULT_FILE: &str = "../shared/data/aiddata/stu_CTC_new.xlsx";
/// How indicators name the source, followed by its years.
pub const SOURCE_LABEL: &str = "China Ministry of Education, international students in China";
pub const CITATION: &str = "China Ministry of Education, Concise Statistics of International Students Coming to China (yearly), \
    compiled in stu_CTC_new.xlsx by peijin0405/Machine-Learning-Analysis-of-International-Student-Mobility";
/// The country whose universities the students attend.
pub const BENEFACTOR: &str = "CHN";

const COUNTRY: &str = "Country Name";
const YEAR: &str = "year";
const STUDENTS: &str = "stu_CTC";
const UNDERGRADUATES: &str = "stu_undergra";
const POSTGRADUATES: &str = "stu_postgra";
const DEGREE: &str = "stu_degree";
const NON_DEGREE: &str = "stu_non_degree";
const SCHOLARSHIPS: &str = "scholarship_num_CTC";
/// Scholarship holders over students, as the compiler computed it (`precentage_of_scholarship`, sic).
const SHARE: &str = "precentage_of_scholarship";
const REQUIRED: [&str; 10] = [COUNTRY, "region", YEAR, STUDENTS, UNDERGRADUATES, POSTGRADUATES, DEGREE, NON_DEGREE, SCHOLARSHIPS, SHARE];
/// The pandas index, before the first named column.
const INDEX: Cell = Cell::At(0);

/// One row of `datasets/students_in_china.csv`: one country's students in China in one year.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StudentYear {
    pub benefactor_iso3: String,
    pub country: String,
    pub iso3: String,
    pub year: i32,
    /// International students from the country enrolled in China that year.
    pub students: u32,
    pub undergraduates: u32,
    pub postgraduates: u32,
    pub degree_students: u32,
    pub non_degree_students: u32,
    /// Of the students, those holding a Chinese-government scholarship.
    pub scholarship_holders: u32,
    /// Where the file contradicts itself in this row, how.
    pub note: String,
}

#[derive(Debug)]
pub struct ImportReport {
    pub table: PathBuf,
    pub provenance: Provenance,
    pub rows: Vec<StudentYear>,
}

pub fn import(path: &Path, datasets: &Path) -> Result<ImportReport> {
    let countries = CountryTable::builtin();
    let sheet = Sheet::open(path, &REQUIRED, "the international-students workbook `stu_CTC_new.xlsx`")?;
    let mut problems = Vec::new();
    if !sheet.header.first().is_some_and(String::is_empty) {
        let first_row = *sheet.rows().start() - 1;
        problems.push(sheet.problem(first_row, INDEX, "expected the unnamed row index of a pandas export"));
    }
    let mut outcome = Outcome::default();
    let mut rows: BTreeMap<(String, i32), StudentYear> = BTreeMap::new();
    // The index the next row should have: one past the last read, so that a gap is reported once.
    let mut next_index = 0;
    for row in sheet.rows() {
        if sheet.is_blank(row) {
            continue;
        }
        outcome.records_read += 1;
        if let Some(found) = sheet.integer(row, INDEX, 0..=i64::MAX, "a row index", &mut problems) {
            if found != next_index {
                problems.push(sheet.problem(row, INDEX, format!("expected the row index {next_index}, found {found}: a row is missing or out of order")));
            }
            next_index = found + 1;
        }
        let count = |column: &str, problems: &mut Vec<_>| sheet.integer(row, Cell::Named(column), 0..=100_000_000, "a count of students", problems).map(|n| n as u32);
        let year = sheet.integer(row, Cell::Named(YEAR), 1990..=2100, "a year", &mut problems);
        let [students, undergraduates, postgraduates, degree, non_degree, scholarships] =
            [STUDENTS, UNDERGRADUATES, POSTGRADUATES, DEGREE, NON_DEGREE, SCHOLARSHIPS].map(|c| count(c, &mut problems));
        let name = sheet.text(row, Cell::Named(COUNTRY));
        let country = countries.country_in_data(&name).map_err(|message| problems.push(sheet.problem(row, Cell::Named(COUNTRY), message))).ok();
        let (Some(country), Some(year), Some(students), Some(undergraduates), Some(postgraduates), Some(degree), Some(non_degree), Some(scholarships)) =
            (country, year, students, undergraduates, postgraduates, degree, non_degree, scholarships)
        else {
            continue;
        };
        // The share is the compiler's scholarship holders over students: `inf` or empty where there are
        // no students; anything else must agree with the two counts.
        let share = sheet.text(row, Cell::Named(SHARE));
        let agrees = match (students, share.parse::<f64>()) {
            (0, Ok(x)) => x.is_infinite() || (scholarships == 0 && x.is_nan()),
            (0, Err(_)) => share.is_empty(),
            (n, Ok(x)) => (x - f64::from(scholarships) / f64::from(n)).abs() < 1e-9,
            (_, Err(_)) => share.is_empty() && scholarships == 0,
        };
        if !agrees {
            problems.push(sheet.problem(row, Cell::Named(SHARE), format!("`{share}` is not {scholarships} scholarship holders over {students} students")));
        }
        let mut note = Vec::new();
        if scholarships > students {
            note.push(format!("more scholarship holders ({scholarships}) than students ({students})"));
        }
        if degree + non_degree != students {
            note.push(format!("degree ({degree}) and non-degree ({non_degree}) students do not add up to the total ({students})"));
        }
        let student_year = StudentYear {
            benefactor_iso3: BENEFACTOR.into(),
            country: country.name.clone(),
            iso3: country.iso3.clone(),
            year: year as i32,
            students,
            undergraduates,
            postgraduates,
            degree_students: degree,
            non_degree_students: non_degree,
            scholarship_holders: scholarships,
            note: note.join("; "),
        };
        if rows.insert((country.iso3.clone(), year as i32), student_year).is_some() {
            problems.push(sheet.problem(row, Cell::Named(COUNTRY), format!("a second row for {name} in {year}")));
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid { path: path.to_path_buf(), problems });
    }
    let rows: Vec<StudentYear> = rows.into_values().collect();
    let years = (rows.iter().map(|r| r.year).min().unwrap_or(0), rows.iter().map(|r| r.year).max().unwrap_or(0));
    let countries_read = rows.iter().map(|r| &r.iso3).collect::<std::collections::BTreeSet<_>>().len();
    outcome.data_generated = format!("not stated in the workbook; academic years {}-{}", years.0, years.1);
    outcome.method = format!(
        "one row per country × year ({countries_read} countries) from sheet `{}`; its unnamed first column (a pandas row index) is \
         checked to run from 0 without a gap; headers are read without their trailing spaces; `{SHARE}` (scholarship holders over \
         students, `inf` where there are none) is checked against the two counts and not kept, nor are the covariates (region, \
         trade, distance, GDP and the rest); {} rows where the file contradicts itself are kept as given, with a note",
        sheet.name,
        rows.iter().filter(|r| !r.note.is_empty()).count()
    );
    outcome.rows_written = rows.len();
    let about = About { table: TABLE, source: "International students in China by country of origin (China Ministry of Education)", citation: CITATION };
    let mut provenance = sheet.raw.provenance(about, outcome);
    let table = table::write_table(datasets, &SPEC, &csv_bytes(&rows)?, &mut provenance, path)?;
    Ok(ImportReport { table, provenance, rows })
}

/// The derived table and its provenance, or None when it has not been imported: D2 then rests on the
/// evidence logs alone.
pub fn find_table(datasets: &Path) -> Result<Option<(PathBuf, Provenance)>> {
    table::find_table(datasets, &SPEC)
}
