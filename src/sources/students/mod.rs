//! International students in China by country of origin, 2010–2018, from China's Ministry of Education
//! ("Concise Statistics of International Students Coming to China"), as compiled with covariates in
//! `stu_CTC_new.xlsx`: students enrolled, by level, and how many held a Chinese-government scholarship.
//! The D2 table: civilian students are a proxy for the education and training China offers a
//! recipient's elites, not a count of officers trained (the PLA's academies report to no such register).
//!
//! The workbook is a pandas export: its first column is an unnamed row index (checked to run 0, 1, 2 …
//! so that no row is missing), some headers end in a space (`region `, `distance `), and the share of
//! scholarship holders is a computed covariate that holds `inf` where a country has scholarship holders
//! but no students (Solomon Islands, 2010). The share is checked against the two counts and not kept;
//! nor are the other covariates (trade, distance, GDP, R&D…). Rows the file contradicts itself in
//! (more scholarship holders than students; degree and non-degree students not adding up to the total)
//! are kept as given and say so in `note`.

pub mod indicators;
mod reader;

pub use reader::*;

use std::path::PathBuf;

use super::{About, OneTable};

/// International students in China by country of origin, with Chinese-government scholarship
/// holders, 2010–2018 (China's Ministry of Education, in `stu_CTC_new.xlsx`) →
/// `datasets/students_in_china.csv` (D2, a proxy: civilian students, not officers).
///
/// The workbook's unnamed first column (a pandas index) is checked to run without a gap; headers are
/// read without trailing spaces; the computed share of scholarship holders (`inf` where there are no
/// students) is checked against the counts and not kept.
#[derive(Debug, clap::Parser)]
#[command(name = "students")]
pub struct ImportArgs {
    /// The workbook (default: ../shared/data/aiddata/stu_CTC_new.xlsx).
    #[arg(value_name = "FILE", default_value = DEFAULT_FILE)]
    pub file: PathBuf,
}

pub static SOURCE: OneTable<ImportArgs> = OneTable {
    about: About { name: "students", publisher: "China Ministry of Education", citation: CITATION },
    spec: &SPEC,
    indicators: indicators::INDICATORS,
    import: |args, datasets| reader::import(&args.file, datasets).map(|report| (report.table, report.provenance)),
    compute: indicators::compute,
    span: None,
};
