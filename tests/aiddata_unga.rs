//! AidData's China Public Diplomacy file (D1, I1), AidData's Global Chinese Official Finance workbook
//! (I2, D3) and the UN General Assembly ideal points (I1 context): the real files read completely, figures
//! checked against the raw files by independent readers, coverage, and bad input refused.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use calamine::Data;
use mdime::assess::Rubric;
use mdime::domain::{CountryTable, CurrentLevel, Instrument};
use mdime::indicators::Period;
use mdime::sources::{official_finance, public_diplomacy, unga};
use predicates::prelude::*;

use crate::common::*;

fn pd_file() -> PathBuf {
    shared_data().join("aiddata/ChinesePublicDiplomacy.csv")
}

fn gcof_file() -> PathBuf {
    shared_data().join("aiddata/GlobalChineseOfficialFinanceDataset_v1.0.xlsx")
}

fn unga_file() -> PathBuf {
    shared_data().join("un-voting/unga-ideal-points-2023-07.csv")
}

/// Fresh imports of the three real files into one datasets folder beside the arms table, and the
/// default evaluation (China and Russia, every tracked recipient, window 2012 to the arms data's end) on
/// it, made once for all tests (the folder goes once the evaluation is made: nothing reads it after).
struct Imported {
    pd: public_diplomacy::ImportReport,
    gcof: official_finance::ImportReport,
    unga: unga::ImportReport,
    evaluation: mdime::Evaluation,
}

fn imported_all() -> &'static Imported {
    static IMPORTED: OnceLock<Imported> = OnceLock::new();
    IMPORTED.get_or_init(|| {
        let dir = datasets_with_arms_table();
        let pd = public_diplomacy::import(&pd_file(), dir.path()).expect("the real public diplomacy file imports");
        let gcof = official_finance::import(&gcof_file(), dir.path()).expect("the real GCOF workbook imports");
        let unga = unga::import(&unga_file(), dir.path()).expect("the real ideal points import");
        let evaluation = mdime::evaluate(&crate::run::args(dir.path()).validate().unwrap()).unwrap();
        Imported { pd, gcof, unga, evaluation }
    })
}

fn hash(path: &Path) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(fs::read(path).unwrap()).iter().map(|b| format!("{b:02x}")).collect()
}

fn excluded(p: &mdime::ingest::Provenance, reason: &str) -> usize {
    p.excluded.iter().filter(|e| e.reason.contains(reason)).map(|e| e.rows).sum()
}

/// Yearly values of one indicator for a pair, from the evaluation.
fn yearly(benefactor: &str, recipient: &str, indicator: &str) -> BTreeMap<i32, f64> {
    imported_all()
        .evaluation
        .indicators
        .values
        .iter()
        .filter(|v| v.benefactor == benefactor && v.recipient == recipient && v.indicator == indicator)
        .filter_map(|v| match v.period {
            Period::Year(y) => Some((y, v.value)),
            Period::Window(..) => None,
        })
        .collect()
}

fn window(benefactor: &str, recipient: &str, instrument: Instrument, indicator: &str) -> f64 {
    imported_all().evaluation.indicators.window_value(benefactor, recipient, instrument, indicator).unwrap_or_else(|| panic!("{indicator}"))
}

fn rating(benefactor: &str, recipient: &str, instrument: Instrument) -> CurrentLevel {
    imported_all()
        .evaluation
        .assessments
        .iter()
        .find(|a| a.benefactor == benefactor && a.recipient == recipient && a.instrument == Some(instrument))
        .unwrap()
        .current
}

fn covering(benefactor: &str, recipient: &str, instrument: Instrument, source: &str) -> Option<(i32, i32)> {
    imported_all()
        .evaluation
        .indicators
        .sources_covering(benefactor, recipient, instrument)
        .iter()
        .find(|c| c.source.contains(source))
        .map(|c| (c.first_year, c.last_year))
}

// ---------------------------------------------------------------------------------------------------
// China's public diplomacy

/// The raw file's records as column → cell, read with the csv crate alone.
fn raw_pd() -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(pd_file()).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader.records().map(|r| header.iter().cloned().zip(r.unwrap().iter().map(String::from)).collect()).collect()
}

const PD_FIGURES: [&str; 10] = [
    "confucius_institutes",
    "sister_cities_established",
    "government_visits",
    "military_visits",
    "total_elite_visits",
    "ambassador_op_eds",
    "journalist_visits",
    "media_partnerships",
    "outbound_chinese_students",
    "inbound_students_to_china",
];

#[test]
fn public_diplomacy_reads_every_record_of_the_real_file() {
    let report = &imported_all().pd;
    let p = &report.provenance;
    let raw = raw_pd();
    assert_eq!(raw.len(), 741, "39 countries × 19 years");
    assert_eq!(p.counts.records_read, raw.len());
    let empty = raw.iter().filter(|r| PD_FIGURES.iter().all(|c| r[*c] == "N/A")).count();
    assert_eq!(excluded(p, "no figure in any column"), empty);
    assert_eq!(p.counts.rows_written, raw.len() - empty);
    assert_eq!(p.counts.rows_written, report.rows.len());
    assert_eq!(p.excluded.iter().map(|e| e.rows).sum::<usize>(), empty, "nothing else set aside");
    assert_eq!(p.counts.records_rejected, 0);
    assert!(p.rejected.is_empty());
    assert_eq!(p.sha256, hash(&pd_file()));
    assert_eq!(p.source_file, "ChinesePublicDiplomacy.csv");
    // The Cook Islands have no figure at all; the 38 others are the file's recipients.
    let recipients: BTreeSet<&str> = report.rows.iter().map(|r| r.recipient_iso3.as_str()).collect();
    assert_eq!(recipients.len(), 38);
    assert!(!recipients.contains("COK"));
    // Government and military visits add up to the file's elite visits wherever all three are given.
    for r in &raw {
        if let (Ok(g), Ok(m), Ok(t)) = (r["government_visits"].parse::<u32>(), r["military_visits"].parse::<u32>(), r["total_elite_visits"].parse::<u32>()) {
            assert_eq!(g + m, t, "{r:?}");
        }
    }
}

/// A recipient's military visits by year as the raw file gives them (None for `N/A`).
fn raw_military_visits(country: &str) -> BTreeMap<i32, Option<u32>> {
    raw_pd().iter().filter(|r| r["receiving_country"] == country).map(|r| (r["year"].parse().unwrap(), r["military_visits"].parse().ok())).collect()
}

#[test]
fn chinas_military_visits_to_pakistan_match_the_raw_file() {
    let raw = raw_military_visits("Pakistan");
    let figures: BTreeMap<i32, u32> = raw.iter().filter_map(|(y, v)| Some((*y, (*v)?))).collect();
    assert_eq!(figures.keys().next(), Some(&2003));
    assert_eq!(figures.keys().last(), Some(&2016));
    assert_eq!(figures.len(), 14, "Pakistan has a figure every year 2003-2016: no gap to fill");
    let table: BTreeMap<i32, Option<u32>> =
        imported_all().pd.rows.iter().filter(|r| r.recipient_iso3 == "PAK").map(|r| (r.year, r.military_visits)).collect();
    for (year, value) in &raw {
        assert_eq!(table[year], *value, "Pakistan {year}");
    }
    // D1 per year in the window, and the mean the rubric rates.
    let in_window: BTreeMap<i32, f64> = figures.iter().filter(|(y, _)| **y >= 2012).map(|(y, v)| (*y, f64::from(*v))).collect();
    assert_eq!(yearly("CHN", "PAK", "military_visits"), in_window);
    let mean = in_window.values().sum::<f64>() / in_window.len() as f64;
    assert!((mean - 6.4).abs() < 1e-9, "3, 5, 6, 7 and 11 visits in 2012-2016: {mean}");
    assert!((window("CHN", "PAK", Instrument::D1, "military_visits_per_year") - mean).abs() < 1e-9);
    assert_eq!(window("CHN", "PAK", Instrument::D1, "years_with_military_visits"), 5.0);
    assert_eq!(covering("CHN", "PAK", Instrument::D1, "AidData China Public Diplomacy"), Some((2012, 2016)));
    let scale = Rubric::builtin().rules[&Instrument::D1].score.clone().unwrap();
    assert_eq!(scale.level(mean), CurrentLevel::VeryHigh);
    assert_eq!(rating("CHN", "PAK", Instrument::D1), CurrentLevel::VeryHigh, "no evidence logs in this folder: the dataset alone");
}

#[test]
fn military_visits_na_inside_a_recipients_span_reads_as_none_and_is_flagged() {
    // Afghanistan: visits recorded 2005-2016 with `N/A` between; outside the span `N/A` stays missing.
    let raw = raw_military_visits("Afghanistan");
    let figures: Vec<i32> = raw.iter().filter(|(_, v)| v.is_some()).map(|(y, _)| *y).collect();
    let (first, last) = (figures[0], *figures.last().unwrap());
    assert_eq!((first, last), (2005, 2016));
    let rows: BTreeMap<i32, &public_diplomacy::DiplomacyYear> =
        imported_all().pd.rows.iter().filter(|r| r.recipient_iso3 == "AFG").map(|r| (r.year, r)).collect();
    let mut gaps = 0;
    for (year, value) in &raw {
        let row = rows[year];
        let expected = match value {
            Some(v) => Some(*v),
            None if (first..=last).contains(year) => Some(0),
            None => None,
        };
        assert_eq!(row.military_visits, expected, "Afghanistan {year}");
        assert_eq!(row.military_visits_gap, value.is_none() && expected.is_some(), "Afghanistan {year}");
        gaps += usize::from(row.military_visits_gap);
    }
    assert_eq!(gaps, 5, "2007, 2009, 2011, 2013, 2014");
    let all_gaps = imported_all().pd.rows.iter().filter(|r| r.military_visits_gap).count();
    assert!(imported_all().pd.provenance.method.contains(&format!("({all_gaps} cells)")), "{}", imported_all().pd.provenance.method);
    assert_eq!(window("CHN", "AFG", Instrument::D1, "military_visits_per_year"), (2.0 + 0.0 + 0.0 + 1.0 + 5.0) / 5.0);
}

#[test]
fn public_diplomacy_covers_china_in_its_recipients_only() {
    // Mali is tracked but not in the file: D1 stays Not assessed (no evidence logs in this folder).
    assert_eq!(covering("CHN", "MLI", Instrument::D1, "AidData China Public Diplomacy"), None);
    assert_eq!(rating("CHN", "MLI", Instrument::D1), CurrentLevel::NotAssessed);
    assert_eq!(covering("RUS", "PAK", Instrument::D1, "AidData"), None, "the file is China's only");
    assert_eq!(rating("RUS", "PAK", Instrument::D1), CurrentLevel::NotAssessed);
    // Myanmar is in the file with no military visit in 2012-2015: looked, and saw none.
    assert_eq!(covering("CHN", "MMR", Instrument::D1, "AidData China Public Diplomacy"), Some((2012, 2015)));
    assert_eq!(rating("CHN", "MMR", Instrument::D1), CurrentLevel::Unobserved);
    // Bhutan has no military-visit figure at all: D1 is not covered, though I1 is.
    assert_eq!(covering("CHN", "BTN", Instrument::D1, "AidData"), None);
    assert!(covering("CHN", "BTN", Instrument::I1, "AidData China Public Diplomacy").is_some());
    // I1 counts are reported, never rated: the rubric rates I1 from other datasets, none in this folder,
    // and this file's coverage alone makes no rating.
    let i1 = Rubric::builtin().rules[&Instrument::I1].datasets();
    assert!(i1.iter().all(|b| !mdime::sources::public_diplomacy::indicators::INDICATORS.contains(&(Instrument::I1, b.scale.indicator.as_str()))));
    assert_eq!(rating("CHN", "PAK", Instrument::I1), CurrentLevel::NotAssessed);
    let raw_institutes: u32 = raw_pd()
        .iter()
        .filter(|r| r["receiving_country"] == "Pakistan" && r["year"].parse::<i32>().unwrap() >= 2012)
        .filter_map(|r| r["confucius_institutes"].parse::<u32>().ok())
        .sum();
    assert_eq!(window("CHN", "PAK", Instrument::I1, "confucius_institutes"), f64::from(raw_institutes));
}

#[test]
fn small_public_diplomacy_file_reads_as_documented() {
    let dir = tempfile::tempdir().unwrap();
    let report = public_diplomacy::import(&source_fixture("public_diplomacy", "public-diplomacy-small.csv"), dir.path()).unwrap();
    let row = |iso3: &str, year: i32| report.rows.iter().find(|r| r.recipient_iso3 == iso3 && r.year == year).unwrap();
    assert_eq!((row("AFG", 2013).military_visits, row("AFG", 2013).military_visits_gap), (Some(0), true), "inside 2005-2016");
    assert_eq!(row("AFG", 2004).military_visits, None, "before the span");
    assert_eq!(row("AFG", 2017).military_visits, None, "after the span");
    assert_eq!(row("PAK", 2017).military_visits, None);
    assert_eq!((row("KHM", 2014).military_visits, row("KHM", 2014).military_visits_gap), (Some(0), false), "a 0 in the file");
    assert_eq!(row("KHM", 2014).inbound_students, Some(1446));
    assert_eq!(row("PAK", 2015).media_partnerships, None);
    assert_eq!(report.rows.len(), 9);
    assert_eq!(excluded(&report.provenance, "no figure"), 1, "the Cook Islands' empty row");
    assert_eq!(report.provenance.counts.records_read, 10);
}

// ---------------------------------------------------------------------------------------------------
// Bad input: the error names the file, line (or sheet and cell) and column, and nothing is written.

/// Writes `bytes` as `name`, runs `import` into a datasets folder that already holds `table`, and returns
/// the message after checking that nothing was written.
fn import_error(table: &str, name: &str, bytes: &[u8], import: fn(&Path, &Path) -> mdime::Result<()>) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    fs::write(&path, bytes).unwrap();
    let datasets = dir.path().join("datasets");
    fs::create_dir(&datasets).unwrap();
    fs::write(datasets.join(table), "previous").unwrap();
    let message = import(&path, &datasets).expect_err("bad input is refused").to_string();
    assert_eq!(fs::read_to_string(datasets.join(table)).unwrap(), "previous", "nothing half-written");
    assert_eq!(fs::read_dir(&datasets).unwrap().count(), 1, "no stray files: {message}");
    assert!(message.contains(name), "the message names the file: {message}");
    message
}

fn pd_error(name: &str, text: &str) -> String {
    import_error(public_diplomacy::TABLE, name, text.as_bytes(), |p, d| public_diplomacy::import(p, d).map(|_| ()))
}

fn small_pd() -> String {
    fs::read_to_string(source_fixture("public_diplomacy", "public-diplomacy-small.csv")).unwrap()
}

#[test]
fn public_diplomacy_missing_column_is_named() {
    let message = pd_error("no-military.csv", &small_pd().replacen("military_visits", "army_visits", 1));
    assert!(message.contains("line 1") && message.contains("`military_visits`"), "{message}");
}

#[test]
fn public_diplomacy_bad_numbers_name_line_and_column() {
    let text = small_pd().replace("\"Pakistan\",2016,0,1,7,11,18", "\"Pakistan\",2016,0,1,7,eleven,18").replace("\"Cambodia\",2014,0,4,10,0,10", "\"Cambodia\",2014,0,4,10,0,12");
    let message = pd_error("bad-number.csv", &text);
    assert!(message.contains("bad-number.csv:8: column `military_visits`: expected a whole number or `N/A`, found `eleven`"), "{message}");
    assert!(message.contains(":11: column `total_elite_visits`: 12 is not government_visits (10) plus military_visits (0)"), "{message}");
}

#[test]
fn public_diplomacy_truncated_file_names_the_last_line() {
    let text = small_pd();
    let cut = text.trim_end().rfind(",0,4,10").unwrap();
    let message = pd_error("truncated.csv", &text[..cut]);
    assert!(message.contains("truncated.csv:11: column `confucius_institutes`: missing"), "{message}");
    assert!(message.contains("truncated"), "{message}");
}

#[test]
fn public_diplomacy_unknown_recipient_is_named() {
    let message = pd_error("unknown.csv", &small_pd().replace("\"Cambodia\"", "\"Kambodia\""));
    assert!(message.contains(":11: column `receiving_country`: unknown country `Kambodia`; did you mean Cambodia"), "{message}");
}

// ---------------------------------------------------------------------------------------------------
// Chinese official finance (GCOF)

fn raw_gcof() -> &'static Vec<BTreeMap<String, Data>> {
    static RAW: OnceLock<Vec<BTreeMap<String, Data>>> = OnceLock::new();
    RAW.get_or_init(|| raw_sheet(&gcof_file()))
}

fn cell(row: &BTreeMap<String, Data>, column: &str) -> String {
    row[column].to_string().trim().to_string()
}

fn recommended(row: &BTreeMap<String, Data>) -> bool {
    matches!(row["recommended_for_research"], Data::Bool(true))
}

fn number(row: &BTreeMap<String, Data>, column: &str) -> Option<f64> {
    match &row[column] {
        Data::Float(x) => Some(*x),
        Data::Int(n) => Some(*n as f64),
        _ => None,
    }
}

#[test]
fn official_finance_reads_every_project_of_the_real_workbook() {
    let report = &imported_all().gcof;
    let p = &report.provenance;
    let raw = raw_gcof();
    assert_eq!(raw.len(), 5466);
    assert_eq!(p.counts.records_read, raw.len());
    assert_eq!(p.counts.rows_written + p.excluded.iter().map(|e| e.rows).sum::<usize>(), raw.len(), "every project kept or set aside for a reason");
    assert_eq!(p.counts.rows_written, report.rows.len());
    let umbrella = raw.iter().filter(|r| !recommended(r) && number(r, "umbrella") == Some(1.0)).count();
    let pledges = raw.iter().filter(|r| !recommended(r) && number(r, "umbrella") == Some(0.0) && cell(r, "status") == "Pipeline: Pledge").count();
    let regional = raw.iter().filter(|r| recommended(r) && cell(r, "recipient_condensed").ends_with(", regional")).count();
    assert_eq!(excluded(p, "umbrella project"), umbrella);
    assert_eq!(excluded(p, "Pipeline: Pledge"), pledges);
    assert_eq!(excluded(p, "region or several countries"), regional);
    assert_eq!((umbrella, pledges), (399, 653));
    assert_eq!(report.rows.len(), raw.iter().filter(|r| recommended(r)).count() - regional);
    assert_eq!(p.sha256, hash(&gcof_file()));
    let years: BTreeSet<i32> = report.rows.iter().map(|r| r.year).collect();
    assert_eq!((years.first(), years.last()), (Some(&2000), Some(&2014)));
}

/// An ICT project by the documented rule, re-implemented on the raw row: the communications sector, or
/// a title naming a network build or e-government system.
fn raw_is_ict(row: &BTreeMap<String, Data>) -> bool {
    let title = format!(" {} ", cell(row, "title").to_lowercase().replace(['-', ',', '.', '(', ')'], " "));
    number(row, "crs_sector_code") == Some(220.0)
        || [" ict ", " e government", " e governance", " fibre optic", " fiber optic", " broadband", " telecom network", " data cent"].iter().any(|k| title.contains(k))
}

#[test]
fn ict_projects_in_zimbabwe_match_the_raw_workbook() {
    let raw: Vec<&BTreeMap<String, Data>> =
        raw_gcof().iter().filter(|r| recommended(r) && cell(r, "recipient_iso3") == "ZWE" && raw_is_ict(r)).collect();
    let mut per_year: BTreeMap<i32, (f64, f64)> = (2012..=2014).map(|y| (y, (0.0, 0.0))).collect();
    for r in &raw {
        let year = number(r, "year").unwrap() as i32;
        if let Some(entry) = per_year.get_mut(&year) {
            entry.0 += 1.0;
            entry.1 += number(r, "usd_defl_2014").unwrap_or(0.0) / 1e6;
        }
    }
    assert_eq!(per_year.values().map(|v| v.0).sum::<f64>(), 4.0, "telecom upgrades and the ICT donation to the defence forces, 2012-2014");
    let table: Vec<u64> = imported_all().gcof.rows.iter().filter(|r| r.recipient_iso3 == "ZWE" && r.ict).map(|r| r.project_id).collect();
    assert_eq!(table.len(), raw.len(), "every Zimbabwean ICT project of 2000-2014");
    assert_eq!(yearly("CHN", "ZWE", "ict_projects"), per_year.iter().map(|(y, v)| (*y, v.0)).collect());
    let amount: f64 = per_year.values().map(|v| v.1).sum();
    assert!((window("CHN", "ZWE", Instrument::I2, "ict_amount") - amount).abs() < 1e-3, "{amount}");
    assert!((window("CHN", "ZWE", Instrument::I2, "ict_projects_per_year") - 4.0 / 3.0).abs() < 1e-6);
    assert_eq!(rating("CHN", "ZWE", Instrument::I2), CurrentLevel::High, "one ICT project a year or more");
}

#[test]
fn zambias_military_medical_teams_are_d3() {
    let raw: Vec<&BTreeMap<String, Data>> = raw_gcof()
        .iter()
        .filter(|r| recommended(r) && cell(r, "recipient_iso3") == "ZMB")
        .filter(|r| (2012..=2014).contains(&(number(r, "year").unwrap() as i32)))
        .filter(|r| cell(r, "title").to_lowercase().contains("military"))
        .collect();
    assert_eq!(raw.len(), 5);
    assert_eq!(window("CHN", "ZMB", Instrument::D3, "security_projects"), raw.len() as f64);
    for r in raw {
        let id = number(r, "project_id").unwrap() as u64;
        let row = imported_all().gcof.rows.iter().find(|p| p.project_id == id).unwrap();
        assert!(row.d3 && row.d3_rule == "military: title `military`", "{row:?}");
    }
    assert_eq!(rating("CHN", "ZMB", Instrument::D3), CurrentLevel::High);
}

#[test]
fn namibias_iso2_code_na_is_a_code_not_a_missing_value() {
    let countries = CountryTable::builtin();
    assert_eq!(countries.by_iso2("NA").map(|c| c.iso3.as_str()), Some("NAM"));
    assert_eq!(countries.by_iso2("zw").map(|c| c.iso3.as_str()), Some("ZWE"));
    assert!(countries.resolve("NA").is_none(), "names never resolve through ISO-2 codes");
    let raw = raw_gcof().iter().filter(|r| recommended(r) && cell(r, "recipient_iso2") == "NA").count();
    assert_eq!(raw, imported_all().gcof.rows.iter().filter(|r| r.recipient_iso3 == "NAM").count());
    assert!(raw > 50);
}

#[test]
fn official_finance_covers_china_in_every_tracked_recipient_to_2014() {
    let e = &imported_all().evaluation;
    let recipients: BTreeSet<&str> = e.assessments.iter().map(|a| a.recipient.as_str()).collect();
    assert_eq!(recipients.len(), 121);
    for r in &recipients {
        for instrument in [Instrument::I2, Instrument::D3] {
            assert_eq!(covering("CHN", r, instrument, "AidData Global Chinese Official Finance"), Some((2012, 2014)), "{r}");
            assert_eq!(covering("RUS", r, instrument, "AidData"), None, "{r}");
        }
    }
    // Brazil had no Chinese military-linked or security project in 2012-2014: looked, and saw none.
    let brazil = raw_gcof()
        .iter()
        .filter(|r| recommended(r) && cell(r, "recipient_iso3") == "BRA" && (2012..=2014).contains(&(number(r, "year").unwrap() as i32)))
        .filter(|r| ["military", "army", "police", "defen", "security", "peacekeep"].iter().any(|k| cell(r, "title").to_lowercase().contains(k)))
        .count();
    assert_eq!(brazil, 0);
    assert_eq!(rating("CHN", "BRA", Instrument::D3), CurrentLevel::Unobserved);
    assert_eq!(rating("RUS", "BRA", Instrument::D3), CurrentLevel::NotAssessed);
}

#[test]
fn small_gcof_workbook_classifies_and_sets_aside_as_documented() {
    let dir = tempfile::tempdir().unwrap();
    let report = official_finance::import(&source_fixture("official_finance", "gcof-small.xlsx"), dir.path()).unwrap();
    let project = |id: u64| report.rows.iter().find(|r| r.project_id == id).unwrap_or_else(|| panic!("project {id}"));
    assert_eq!(report.rows.iter().map(|r| r.project_id).collect::<BTreeSet<_>>(), BTreeSet::from([1, 2, 3, 7, 8, 9]));
    assert_eq!((project(1).ict_rule.as_str(), project(1).d3), ("sector 220 (communications)", false));
    assert_eq!(project(1).amount_usd_2014, Some(218000000.5));
    assert_eq!((project(2).ict_rule.as_str(), project(2).d3_rule.as_str()), ("title: `ict`", "military: title `defense`"));
    assert_eq!(project(2).amount_usd_2014, None, "a blank amount");
    assert_eq!((project(3).recipient_iso3.as_str(), project(3).d3_rule.as_str()), ("NAM", "security: title `police`"));
    assert!(!project(7).d3, "army worms are pests");
    assert_eq!(project(8).d3_rule, "military: funding_agency `army`", "the PLA funds it");
    assert!(!project(9).d3, "food security is not security");
    let p = &report.provenance;
    assert_eq!((excluded(p, "umbrella"), excluded(p, "Pipeline: Pledge"), excluded(p, "region")), (1, 1, 1));
    assert_eq!(p.counts.records_read, 9);
}

fn gcof_error(name: &str, bytes: &[u8]) -> String {
    import_error(official_finance::TABLE, name, bytes, |p, d| official_finance::import(p, d).map(|_| ()))
}

#[test]
fn gcof_bad_cells_name_sheet_and_cell() {
    let message = gcof_error("bad-cells.xlsx", &fs::read(source_fixture("official_finance", "gcof-bad-cells.xlsx")).unwrap());
    for expected in [
        ":3: column `ChineseOfficialFinance1.0!D3`: `year`: expected a whole number from 1990 to 2100, found `20l3`",
        ":4: column `ChineseOfficialFinance1.0!L4`: `usd_defl_2014`: expected an amount in US$ or a blank cell, found `lots`",
        ":8: column `ChineseOfficialFinance1.0!P8`: `recipient_iso3`: `ZWE` is not the code of Zambia",
        ":10: column `ChineseOfficialFinance1.0!B10`: `recommended_for_research`: expected TRUE, FALSE, 1 or 0, found `maybe`",
    ] {
        assert!(message.contains(expected), "missing `{expected}` in {message}");
    }
}

#[test]
fn gcof_missing_column_and_truncated_workbook_are_refused() {
    let message = gcof_error("no-amount.xlsx", &fs::read(source_fixture("official_finance", "gcof-missing-column.xlsx")).unwrap());
    assert!(message.contains("sheet `ChineseOfficialFinance1.0`, row 1: the header lacks the column(s) `usd_defl_2014`"), "{message}");
    let bytes = fs::read(source_fixture("official_finance", "gcof-small.xlsx")).unwrap();
    let message = gcof_error("truncated.xlsx", &bytes[..bytes.len() / 2]);
    assert!(message.contains("not a readable .xlsx workbook"), "{message}");
}

// ---------------------------------------------------------------------------------------------------
// UN General Assembly ideal points

/// The raw file's rows as column → cell, read with the csv crate alone.
fn raw_unga() -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(unga_file()).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader.records().map(|r| header.iter().cloned().zip(r.unwrap().iter().map(String::from)).collect()).collect()
}

/// A country's ideal point in a session, straight from the raw rows.
fn raw_point(rows: &[BTreeMap<String, String>], ccode: &str, session: u32) -> Option<f64> {
    rows.iter().find(|r| r["ccode"] == ccode && r["session"] == session.to_string()).map(|r| r["IdealPointAll"].parse().unwrap())
}

#[test]
fn unga_reads_every_row_of_the_real_file() {
    let report = &imported_all().unga;
    let raw = raw_unga();
    assert_eq!(raw.len(), 11045);
    assert_eq!((report.provenance.counts.records_read, report.provenance.counts.rows_written), (raw.len(), raw.len()));
    assert_eq!(report.provenance.sha256, hash(&unga_file()));
    // Session n is the year 1945 + n: the file's last session, 77, is 2022.
    let last = report.rows.iter().map(|r| (r.session, r.year)).max().unwrap();
    assert_eq!(last, (77, 2022));
}

#[test]
fn unga_distance_is_computed_from_the_raw_rows() {
    let raw = raw_unga();
    // China (710) and Pakistan (770) in session 70, which opened in 2015.
    let distance = (raw_point(&raw, "770", 70).unwrap() - raw_point(&raw, "710", 70).unwrap()).abs();
    assert!((yearly("CHN", "PAK", "unga_distance")[&2015] - distance).abs() < 1e-6, "{distance}");
    // Russia (365) and Mali (432), the window's mean over sessions 67-77 (2012-2022).
    let distances: Vec<f64> = (67..=77).map(|s| (raw_point(&raw, "432", s).unwrap() - raw_point(&raw, "365", s).unwrap()).abs()).collect();
    let mean = distances.iter().sum::<f64>() / distances.len() as f64;
    assert!((window("RUS", "MLI", Instrument::I1, "unga_distance") - mean).abs() < 1e-6, "{mean}");
    // Context, never a rating: no coverage row names it, and I1 is not assessed without evidence logs.
    assert!(imported_all().evaluation.indicators.coverage.iter().all(|c| !c.source.contains("Strezhnev")));
    assert_eq!(rating("RUS", "MLI", Instrument::I1), CurrentLevel::NotAssessed);
}

#[test]
fn unga_codes_follow_the_cow_code_and_the_files_own_coding() {
    let report = &imported_all().unga;
    let raw = raw_unga();
    // South Yemen (680) carries `YAR` in the file: the COW code decides.
    let south_yemen = raw.iter().filter(|r| r["ccode"] == "680").count();
    assert_eq!(south_yemen, report.rows.iter().filter(|r| r.cow_code == 680 && r.iso3 == "YMD" && r.file_iso3 == "YAR").count());
    assert!(report.provenance.method.contains(&format!("`ccode` 680 has `iso3c` YAR in {south_yemen} rows, read as YMD")), "{}", report.provenance.method);
    // The Soviet Union's seat is Russia's (365) from the first session, as the file codes it.
    let russia_1946 = report.rows.iter().find(|r| r.iso3 == "RUS" && r.year == 1946).unwrap();
    assert_eq!((russia_1946.cow_code, russia_1946.file_name.as_str()), (365, "Russia"));
    assert!((russia_1946.ideal_point - raw_point(&raw, "365", 1).unwrap()).abs() < 1e-9);
    assert!(report.provenance.method.contains("the Soviet Union's points are Russia's (1946-1991)"));
    assert!(report.rows.iter().all(|r| r.iso3 != "SUN"));
}

#[test]
fn small_unga_file_reads_as_documented() {
    let dir = tempfile::tempdir().unwrap();
    let report = unga::import(&source_fixture("unga", "unga-small.csv"), dir.path()).unwrap();
    assert_eq!(report.rows.len(), 10);
    let point = |iso3: &str, year: i32| report.rows.iter().find(|r| r.iso3 == iso3 && r.year == year).unwrap().ideal_point;
    assert_eq!(point("PAK", 2012), -0.9224067);
    assert_eq!(point("YMD", 1975), -0.9318783);
    assert_eq!(point("RUS", 1946), -1.981211);
}

fn unga_error(name: &str, text: &str) -> String {
    import_error(unga::TABLE, name, text.as_bytes(), |p, d| unga::import(p, d).map(|_| ()))
}

fn small_unga() -> String {
    fs::read_to_string(source_fixture("unga", "unga-small.csv")).unwrap()
}

#[test]
fn unga_bad_input_names_line_and_column() {
    let message = unga_error("no-points.csv", &small_unga().replacen("\"IdealPointAll\"", "\"Ideal\"", 1));
    assert!(message.contains("line 1") && message.contains("`IdealPointAll`"), "{message}");
    let message = unga_error("bad-point.csv", &small_unga().replace("0.09652058", "n/a").replace("\"5188\",432,", "\"5188\",999,"));
    assert!(message.contains("bad-point.csv:2: column `IdealPointAll`: expected an ideal point, found `n/a`"), "{message}");
    assert!(message.contains(":4: column `ccode`: unknown Correlates of War code 999"), "{message}");
    let text = small_unga();
    let message = unga_error("truncated.csv", &text[..text.trim_end().len() - 40]);
    assert!(message.contains("truncated.csv:11: column `iso3c`: missing"), "{message}");
}

// ---------------------------------------------------------------------------------------------------
// The command line and the run's CSV

#[test]
fn import_commands_read_the_shared_files_by_default() {
    let out = tempfile::tempdir().unwrap();
    for (command, rows) in [("public-diplomacy", "672 rows"), ("official-finance", "4314 rows"), ("unga", "11045 rows")] {
        mdime()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["import", command, "--datasets"])
            .arg(out.path())
            .assert()
            .success()
            .stdout(predicate::str::contains(rows).and(predicate::str::contains("method: ")));
    }
    mdime().args(["import", "public-diplomacy", "--help"]).assert().success().stdout(predicate::str::contains("N/A"));
    mdime().args(["import", "official-finance", "--help"]).assert().success().stdout(predicate::str::contains("D3"));
    mdime().args(["import", "unga", "--help"]).assert().success().stdout(predicate::str::contains("context for I1"));
}

#[test]
fn run_csv_carries_the_new_indicators_with_their_sources() {
    let out = tempfile::tempdir().unwrap();
    mdime()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        // The whole window: AidData's files end in 2014 and 2018, before the default's current years.
        .args(["run", "--format", "csv", "--current-years", "100", "--recipient", "Pakistan", "--recipient", "Zimbabwe", "--output"])
        .arg(out.path())
        .assert()
        .success();
    let mut reader = csv::Reader::from_path(out.path().join("indicators.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (indicator, source) = (column("indicator"), column("source"));
    let sources = [
        (mdime::sources::public_diplomacy::indicators::INDICATORS, "AidData China Public Diplomacy dataset v2.0 (2000-2018)"),
        (mdime::sources::official_finance::indicators::INDICATORS, "AidData Global Chinese Official Finance Dataset v1.0 (projects 2000-2014)"),
        (mdime::sources::unga::indicators::INDICATORS, "Bailey, Strezhnev & Voeten UN General Assembly ideal points (July 2023 release)"),
    ];
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for record in reader.records().map(Result::unwrap) {
        for (names, expected) in sources {
            if names.iter().any(|(_, n)| *n == &record[indicator]) {
                assert_eq!(&record[source], expected, "{record:?}");
                seen.insert(record[indicator].to_string());
            }
        }
    }
    for name in ["military_visits_per_year", "confucius_institutes", "ict_projects", "security_projects", "unga_distance"] {
        assert!(seen.contains(name), "{name} in indicators.csv: {seen:?}");
    }
    let coverage = fs::read_to_string(out.path().join("coverage.csv")).unwrap();
    assert!(coverage.contains("China,PAK,D1,AidData China Public Diplomacy dataset v2.0 (2000-2018),2012,2016"), "{coverage}");
    assert!(coverage.contains("China,ZWE,I2,AidData Global Chinese Official Finance Dataset v1.0 (projects 2000-2014),2012,2014"), "{coverage}");
}
