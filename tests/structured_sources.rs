//! NBR/AidData's Borderlands panel (D1, M1, I1, I2), students in China (D2), CANIS's state media
//! accounts and the Confucius Institutes list (I1), GCDF 3.0 (D3 and E3 context): the real files read
//! completely, figures checked against the raw files read here by other means, coverage where the
//! sources look and nowhere else, and bad input refused with its place named.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use calamine::{Data, DataType, Reader, Xlsx};
use mdime::assess::Rubric;
use mdime::domain::{Confidence, CountryTable, CurrentLevel, Instrument};
use mdime::indicators::Period;
use mdime::sources::{borderlands, confucius, development_finance, state_media, students};

use crate::common::*;

fn nbr_csv() -> PathBuf {
    shared_data().join("china-military-diplomacy/china_data.csv")
}

fn nbr_workbook() -> PathBuf {
    shared_data().join("china-military-diplomacy/china_data.xlsx")
}

fn students_file() -> PathBuf {
    shared_data().join("aiddata/stu_CTC_new.xlsx")
}

fn canis_file() -> PathBuf {
    shared_data().join("media/CANIS_PRC_state_media_on_social_media_platforms-2023-11-03.csv")
}

fn ci_file() -> PathBuf {
    shared_data().join("media/confucius_institutes.csv")
}

fn gcdf_file() -> PathBuf {
    shared_data().join("aiddata/cow_gcdf.csv")
}

struct Imported {
    dir: tempfile::TempDir,
    borderlands: borderlands::ImportReport,
    students: students::ImportReport,
    state_media: state_media::ImportReport,
    confucius: confucius::ImportReport,
    finance: development_finance::ImportReport,
    evaluation: mdime::Evaluation,
}

/// A datasets folder with the arms table (which every run needs), fresh imports of the five real files
/// and no evidence logs, so that every rating below comes from the data; evaluated for both benefactors
/// in every tracked recipient. Made once.
fn imported() -> &'static Imported {
    static IMPORTED: OnceLock<Imported> = OnceLock::new();
    IMPORTED.get_or_init(|| {
        let dir = datasets_with_arms_table();
        fs::copy(repo_datasets().join("groups.csv"), dir.path().join("groups.csv")).unwrap();
        let borderlands = borderlands::import(&nbr_csv(), &nbr_workbook(), dir.path()).expect("the real Borderlands panel imports");
        let students = students::import(&students_file(), dir.path()).expect("the real students workbook imports");
        let state_media = state_media::import(&canis_file(), dir.path()).expect("the real CANIS list imports");
        let confucius = confucius::import(&ci_file(), dir.path()).expect("the real Confucius Institutes list imports");
        let finance = development_finance::import(&gcdf_file(), dir.path()).expect("the real GCDF file imports");
        let evaluation = mdime::evaluate(&crate::run::args(dir.path()).validate().unwrap()).unwrap();
        Imported { dir, borderlands, students, state_media, confucius, finance, evaluation }
    })
}

fn evaluation() -> &'static mdime::Evaluation {
    &imported().evaluation
}

fn yearly(benefactor: &str, recipient: &str, indicator: &str) -> BTreeMap<i32, f64> {
    evaluation()
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

fn window(recipient: &str, instrument: Instrument, indicator: &str) -> Option<f64> {
    evaluation().indicators.window_value("CHN", recipient, instrument, indicator)
}

fn assessment(recipient: &str, instrument: Instrument) -> &'static mdime::assess::Assessment {
    evaluation().assessments.iter().find(|a| a.benefactor == "CHN" && a.recipient == recipient && a.instrument == Some(instrument)).unwrap()
}

fn covering(e: &mdime::Evaluation, recipient: &str, instrument: Instrument, source: &str) -> Option<(i32, i32)> {
    e.indicators.sources_covering("CHN", recipient, instrument).iter().find(|c| c.source.starts_with(source)).map(|c| (c.first_year, c.last_year))
}

/// The level the shipped rubric gives `value` on the scale of `indicator` (the score or an `also`).
fn rubric_level(instrument: Instrument, indicator: &str, value: f64) -> CurrentLevel {
    let rule = &Rubric::builtin().rules[&instrument];
    rule.datasets().into_iter().find(|b| b.scale.indicator == indicator).unwrap().scale.level(value)
}

fn tracked() -> BTreeSet<String> {
    let table = CountryTable::builtin();
    table.tracked_recipients(&[]).into_iter().filter(|c| c.iso3 != "CHN" && c.iso3 != "RUS").map(|c| c.iso3.clone()).collect()
}

fn iso3(name: &str) -> String {
    CountryTable::builtin().country_in_data(name).unwrap().iso3.clone()
}

// ---- NBR/AidData Borderlands ------------------------------------------------------------------------

/// `(state, year) → column → cell`, read by splitting lines: the file quotes nothing. The byte-order
/// mark and CRLF endings are taken off here.
fn raw_nbr() -> BTreeMap<(String, i32), BTreeMap<String, String>> {
    let text = fs::read_to_string(nbr_csv()).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("the file starts with a byte-order mark");
    let mut lines = text.lines().map(|l| l.trim_end_matches('\r'));
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|line| {
            let cells: BTreeMap<String, String> = header.iter().map(|h| h.to_string()).zip(line.split(',').map(String::from)).collect();
            ((cells["recipient"].clone(), cells["year"].parse().unwrap()), cells)
        })
        .collect()
}

/// The workbook's cells by state, year and column, read with calamine alone.
fn raw_nbr_workbook() -> BTreeMap<(String, i32), BTreeMap<String, Data>> {
    let mut workbook: Xlsx<_> = calamine::open_workbook(nbr_workbook()).unwrap();
    let sheet = workbook.sheet_names()[0].clone();
    let range = workbook.worksheet_range(&sheet).unwrap();
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    rows.map(|row| {
        let cells: BTreeMap<String, Data> = header.iter().cloned().zip(row.iter().cloned()).collect();
        ((cells["recipient"].to_string(), cells["year"].as_f64().unwrap() as i32), cells)
    })
    .collect()
}

/// A count column read as the panel means it: `NA` is a year with none.
fn raw_count(raw: &BTreeMap<(String, i32), BTreeMap<String, String>>, state: &str, year: i32, column: &str) -> f64 {
    match raw[&(state.to_string(), year)][column].as_str() {
        "NA" => 0.0,
        n => n.parse().unwrap(),
    }
}

#[test]
fn borderlands_csv_and_workbook_are_read_completely_and_agree() {
    let raw = raw_nbr();
    let workbook = raw_nbr_workbook();
    let report = &imported().borderlands;
    assert_eq!(raw.len(), 720);
    assert_eq!((report.provenance.counts.records_read, report.provenance.counts.rows_written, report.rows.len()), (raw.len(), raw.len(), raw.len()));
    assert_eq!(report.provenance.inputs.iter().map(|i| i.records_read).collect::<Vec<_>>(), [raw.len(), workbook.len()]);
    assert!(report.provenance.normalised.iter().any(|n| n.contains("byte-order mark")));
    // Every number the CSV gives, set against the workbook: the same or rounded, never different.
    let (mut numbers, mut rounded, mut scientific) = (0, 0, 0);
    for (key, cells) in &raw {
        for (column, text) in cells.iter().filter(|(c, _)| !["year", "recipient"].contains(&c.as_str())) {
            let Ok(csv) = text.parse::<f64>() else { continue };
            let full = workbook[key][column].as_f64().unwrap();
            numbers += 1;
            if csv != full {
                rounded += 1;
                scientific += usize::from(text.contains('E'));
                assert!(((csv - full) / full).abs() < 1e-5, "{key:?} {column}: {text} against {full}");
            }
        }
    }
    let comparison = &report.provenance.comparisons[0];
    assert_eq!(comparison.cells, numbers);
    assert!(comparison.what.contains(&format!("{rounded} rounded")) && comparison.what.contains(&format!("{scientific} of them")), "{}", comparison.what);
    assert_eq!(scientific, 11, "Singapore's FDI, 2017-2023, in scientific notation");
    // Singapore's FDI comes from the workbook, at full precision, where the CSV shows six digits.
    let mut replaced = 0;
    for row in report.rows.iter().filter(|r| r.recipient_iso3 == "SGP") {
        for (column, value) in [("dev_03_fdi_usd", row.fdi_usd_2024), ("dev_03_fdi_derived_usd", row.fdi_derived_usd_2024)] {
            let key = ("Singapore".to_string(), row.year);
            if raw[&key][column].contains("E+") {
                let full = workbook[&key][column].as_f64().unwrap();
                assert_eq!(value, Some(full), "{column} {}", row.year);
                assert_ne!(raw[&key][column].parse::<f64>().unwrap(), full);
                replaced += 1;
            }
        }
    }
    assert_eq!(replaced, 11);
}

#[test]
fn chinas_engagements_with_pakistan_and_cambodia_match_the_raw_file() {
    let raw = raw_nbr();
    // What the raw file says, read here: Pakistan's busiest years and Cambodia's.
    assert_eq!((raw_count(&raw, "Pakistan", 2019, "sec_03_military_engagement_ct"), raw_count(&raw, "Cambodia", 2019, "sec_03_military_engagement_ct")), (7.0, 5.0));
    for (state, code) in [("Pakistan", "PAK"), ("Cambodia", "KHM"), ("Bhutan", "BTN")] {
        for (column, indicator, rate, instrument) in [
            ("sec_03_military_engagement_ct", "senior_military_engagements", "senior_military_engagements_per_year", Instrument::D1),
            ("sec_04_joint_exercise_ct", "joint_exercises", "joint_exercises_per_year", Instrument::M1),
        ] {
            // 2012 to 2023: the window less the panel's part-year.
            let expected: BTreeMap<i32, f64> = (2012..=2023).map(|y| (y, raw_count(&raw, state, y, column))).collect();
            assert_eq!(yearly("CHN", code, indicator), expected, "{state} {column}");
            let total: f64 = expected.values().sum();
            assert_eq!(window(code, instrument, indicator), Some(total));
            let per_year = total / 12.0;
            assert!((window(code, instrument, rate).unwrap() - per_year).abs() < 1e-6);
            let level = if total == 0.0 { CurrentLevel::Unobserved } else { rubric_level(instrument, rate, per_year) };
            assert_eq!(assessment(code, instrument).current, level, "{state} {instrument}");
            assert_eq!(covering(evaluation(), code, instrument, borderlands::SOURCE_LABEL), Some((2012, 2023)));
        }
    }
    assert_eq!(assessment("PAK", Instrument::D1).current, CurrentLevel::VeryHigh, "54 engagements in twelve years");
    assert_eq!(assessment("BTN", Instrument::D1).current, CurrentLevel::Unobserved, "the panel tracks Bhutan and records none");
}

#[test]
fn the_part_year_is_left_out_and_coverage_stops_at_the_panels_states() {
    let raw = raw_nbr();
    let states = |year: i32| raw.keys().filter(|(_, y)| *y == year).count();
    assert_eq!((states(2023), states(2024)), (28, 21));
    let listed_2024: Vec<&String> = raw.keys().filter(|(_, y)| *y == 2024).map(|(s, _)| s).collect();
    let engagements = |year: i32| listed_2024.iter().map(|s| raw_count(&raw, s, year, "sec_03_military_engagement_ct")).sum::<f64>();
    assert!(2.0 * engagements(2024) < engagements(2023), "{} against {}", engagements(2024), engagements(2023));
    assert!(imported().borderlands.rows.iter().all(|r| r.military_part_year == (r.year == 2024)));
    assert!(yearly("CHN", "PAK", "senior_military_engagements").keys().all(|y| *y <= 2023));
    // D1 and M1 coverage from the panel: its tracked states, to 2023, and nobody else.
    let panel: BTreeSet<String> = raw.keys().map(|(s, _)| iso3(s)).filter(|c| tracked().contains(c)).collect();
    assert_eq!(panel.len(), 18);
    for instrument in [Instrument::D1, Instrument::M1] {
        let covered: BTreeSet<String> = evaluation()
            .indicators
            .coverage
            .iter()
            .filter(|c| c.instrument == instrument && c.source.starts_with(borderlands::SOURCE_LABEL))
            .map(|c| c.recipient.clone())
            .collect();
        assert_eq!(covered, panel, "{instrument}");
        // No evidence logs and no other China dataset for D1 here: rated exactly where the panel looks (M1
        // has the presence record everywhere).
        if instrument == Instrument::D1 {
            assert!(evaluation().assessments.iter().filter(|a| a.benefactor == "CHN" && a.instrument == Some(instrument)).all(|a| (a.current != CurrentLevel::NotAssessed) == panel.contains(&a.recipient)));
        }
    }
    // I2 and I1 from the panel end with GCDF 3.0 and the public diplomacy data, in 2021.
    assert_eq!(covering(evaluation(), "MMR", Instrument::I2, borderlands::SOURCE_LABEL), Some((2012, 2021)));
    assert_eq!(covering(evaluation(), "THA", Instrument::I1, borderlands::SOURCE_LABEL), Some((2012, 2021)));
    let surveillance: f64 = (2012..=2021).map(|y| raw_count(&raw, "Myanmar", y, "sec_02_surveillance_ct")).sum();
    assert_eq!(window("MMR", Instrument::I2, "surveillance_projects"), Some(surveillance));
}

#[test]
fn the_panels_confucius_institutes_are_near_the_worldwide_lists() {
    // Two sources for one figure: the panel's institutes operating in 2021 and the list's institutes.
    let raw = raw_nbr();
    let listed: BTreeMap<&str, usize> = imported().confucius.rows.iter().fold(BTreeMap::new(), |mut m, r| {
        *m.entry(r.iso3.as_str()).or_default() += 1;
        m
    });
    let (mut panel, mut list) = (0.0, 0);
    for ((state, year), cells) in &raw {
        if *year == 2021 && tracked().contains(&iso3(state)) {
            panel += cells["civ_06_ci_ct"].parse::<f64>().unwrap();
            list += listed.get(iso3(state).as_str()).copied().unwrap_or(0);
        }
    }
    assert_eq!(raw[&("Thailand".to_string(), 2021)]["civ_06_ci_ct"], "16");
    assert_eq!(listed["THA"], 15, "the list names Phranakhon Rajabhat's institute twice; it counts once");
    assert!((panel - list as f64).abs() / panel < 0.25, "panel {panel}, list {list}");
}

// ---- Students in China ------------------------------------------------------------------------------

/// `(country, year) → column → cell`, read with calamine alone; header names trimmed here.
fn raw_students() -> BTreeMap<(String, i32), BTreeMap<String, Data>> {
    let mut workbook: Xlsx<_> = calamine::open_workbook(students_file()).unwrap();
    let range = workbook.worksheet_range("Sheet1").unwrap();
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string().trim().to_string()).collect();
    assert_eq!(header[0], "", "the first column is an unnamed index");
    rows.map(|row| {
        let cells: BTreeMap<String, Data> = header.iter().cloned().zip(row.iter().cloned()).collect();
        ((cells["Country Name"].to_string(), cells["year"].as_f64().unwrap() as i32), cells)
    })
    .collect()
}

#[test]
fn students_are_read_completely_with_their_quirks() {
    let raw = raw_students();
    let report = &imported().students;
    assert_eq!(raw.len(), 1179);
    assert_eq!((report.provenance.counts.records_read, report.rows.len()), (raw.len(), raw.len()));
    // `inf` where a country has scholarship holders and no students: kept, with a note.
    let inf: Vec<&(String, i32)> = raw.iter().filter(|(_, c)| c["precentage_of_scholarship"] == Data::String("inf".into())).map(|(k, _)| k).collect();
    assert_eq!(inf, [&("Solomon Islands".to_string(), 2010)]);
    let solomon = report.rows.iter().find(|r| r.iso3 == "SLB" && r.year == 2010).unwrap();
    assert!(solomon.note.contains("more scholarship holders (4) than students (0)"), "{}", solomon.note);
    let contradicted = raw.values().filter(|c| {
        let n = |k: &str| c[k].as_f64().unwrap();
        n("scholarship_num_CTC") > n("stu_CTC") || n("stu_degree") + n("stu_non_degree") != n("stu_CTC")
    });
    assert_eq!(report.rows.iter().filter(|r| !r.note.is_empty()).count(), contradicted.count());
    assert!(report.rows.iter().any(|r| r.iso3 == "COG"), "`Congo Republic`");
}

#[test]
fn scholarship_holders_from_pakistan_kenya_and_laos_match_the_workbook() {
    let raw = raw_students();
    for (name, code) in [("Pakistan", "PAK"), ("Kenya", "KEN"), ("Laos", "LAO")] {
        let holders: BTreeMap<i32, f64> = (2012..=2018).map(|y| (y, raw[&(name.to_string(), y)]["scholarship_num_CTC"].as_f64().unwrap())).collect();
        let enrolled: BTreeMap<i32, f64> = (2012..=2018).map(|y| (y, raw[&(name.to_string(), y)]["stu_CTC"].as_f64().unwrap())).collect();
        assert_eq!(yearly("CHN", code, "scholarship_holders"), holders, "{name}");
        assert_eq!(yearly("CHN", code, "students_in_china"), enrolled, "{name}");
        let mean = holders.values().sum::<f64>() / 7.0;
        assert!((window(code, Instrument::D2, "scholarship_holders").unwrap() - mean).abs() < 1e-6);
        let a = assessment(code, Instrument::D2);
        assert_eq!(a.current, rubric_level(Instrument::D2, "scholarship_holders", mean), "{name}");
        assert!(a.confidence <= Confidence::Medium, "a proxy: {name} at {}", a.confidence);
        assert_eq!(covering(evaluation(), code, Instrument::D2, students::SOURCE_LABEL), Some((2012, 2018)));
    }
    assert_eq!(raw[&("Pakistan".to_string(), 2018)]["scholarship_num_CTC"].as_f64(), Some(8168.0));
}

#[test]
fn students_cover_the_countries_in_the_file_to_2018_only() {
    let in_file: BTreeSet<String> = raw_students().keys().map(|(name, _)| iso3(name)).filter(|c| tracked().contains(c)).collect();
    let d2: Vec<&mdime::assess::Assessment> = evaluation().assessments.iter().filter(|a| a.benefactor == "CHN" && a.instrument == Some(Instrument::D2)).collect();
    assert_eq!(d2.len(), tracked().len());
    for a in d2 {
        assert_eq!(a.current != CurrentLevel::NotAssessed, in_file.contains(&a.recipient), "{}", a.recipient);
        assert!(a.current == CurrentLevel::NotAssessed || a.confidence <= Confidence::Medium);
    }
    assert!(evaluation().indicators.coverage.iter().filter(|c| c.instrument == Instrument::D2).all(|c| c.last_year <= 2018));
    assert!(evaluation().assessments.iter().filter(|a| a.benefactor == "RUS" && a.instrument == Some(Instrument::D2)).all(|a| a.current == CurrentLevel::NotAssessed));
}

#[test]
fn small_students_workbook_reads_as_documented_and_bad_ones_name_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let report = students::import(&source_fixture("students", "students-small.xlsx"), dir.path()).unwrap();
    assert_eq!(report.rows.len(), 5);
    let notes: Vec<(&str, bool)> = report.rows.iter().map(|r| (r.iso3.as_str(), r.note.is_empty())).collect();
    assert_eq!(notes, [("COG", true), ("CYP", true), ("PAK", true), ("PAK", true), ("SLB", false)]);
    for (name, expected) in [
        ("students-index-gap.xlsx", "students-index-gap.xlsx:4: column `Sheet1!A4`: `unnamed column 1`: expected the row index 2, found 3"),
        ("students-bad-share.xlsx", "students-bad-share.xlsx:2: column `Sheet1!L2`: `precentage_of_scholarship`: `0.5` is not 7034 scholarship holders over 24879 students"),
    ] {
        let out = tempfile::tempdir().unwrap();
        let message = students::import(&source_fixture("students", name), out.path()).unwrap_err().to_string();
        assert!(message.contains(expected), "{message}");
        assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0, "nothing written for {name}");
    }
}

// ---- CANIS state media ------------------------------------------------------------------------------

/// The raw list's records as column → cell, read with the csv crate alone.
fn raw_canis() -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(canis_file()).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader.records().map(|r| header.iter().cloned().zip(r.unwrap().iter().map(String::from)).collect()).collect()
}

fn raw_followers(record: &BTreeMap<String, String>) -> f64 {
    record.iter().filter(|(k, _)| k.ends_with('#')).filter_map(|(_, v)| v.parse::<f64>().ok()).sum()
}

/// The states a region or organisation focus stands for on the list's date: MENA as mdime's Middle East
/// region, the organisations as `groups.csv` has them on 3 November 2023; read with the csv crate alone.
fn groups() -> BTreeMap<String, Vec<String>> {
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut countries = csv::Reader::from_path(repo_datasets().join("countries.csv")).unwrap();
    let headers = countries.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (iso3, region, status) = (column("iso3"), column("region"), column("status"));
    for record in countries.records().map(Result::unwrap) {
        if &record[region] == "Middle East" && &record[status] == "state" {
            groups.entry("MENA".into()).or_default().push(record[iso3].to_string());
        }
    }
    let mut reader = csv::Reader::from_path(repo_datasets().join("groups.csv")).unwrap();
    for record in reader.records().map(Result::unwrap) {
        let focus = match &record[0] {
            "AU" => "African Union",
            "ASEAN" => "ASEAN",
            "EAC" => "East African Community",
            _ => continue,
        };
        let on_date = &record[4] <= "2023-11-03" && (record[5].is_empty() || &record[5] > "2023-11-03");
        if &record[3] == "member" && on_date {
            groups.entry(focus.into()).or_default().push(record[2].to_string());
        }
    }
    for members in groups.values_mut() {
        members.sort();
        members.dedup();
    }
    groups
}

const WORLDWIDE: [&str; 5] = ["Anglosphere", "la Francophonie", "Hispanophone", "Lusophone", "UN"];

#[test]
fn every_state_media_account_is_kept_with_its_focus() {
    let raw = raw_canis();
    let report = &imported().state_media;
    assert_eq!(raw.len(), 758);
    assert_eq!((report.provenance.counts.records_read, report.rows.len()), (raw.len(), raw.len()));
    let groups = groups();
    for (record, row) in raw.iter().zip(&report.rows) {
        assert_eq!(row.name, record["Name (English)"].trim());
        assert_eq!(row.followers as f64, raw_followers(record));
        let focus = record["Region of Focus"].as_str();
        let expected = if groups.contains_key(focus) {
            "group"
        } else if WORLDWIDE.contains(&focus) {
            "worldwide"
        } else if focus == "EU" {
            "outside"
        } else if state_media::CHINA_PLACES.contains(&focus) || ["China", "Hong Kong"].contains(&focus) {
            "china"
        } else {
            "country"
        };
        assert_eq!(row.focus, expected, "{focus}");
        if expected == "group" {
            assert_eq!(row.focus_iso3.split(';').collect::<Vec<_>>(), groups[focus], "{focus}");
        }
    }
    assert_eq!(report.rows.iter().filter(|r| r.focus == "worldwide").count(), raw.iter().filter(|r| WORLDWIDE.contains(&r["Region of Focus"].as_str())).count());
    assert_eq!((groups["African Union"].len(), groups["ASEAN"].len(), groups["East African Community"].len(), groups["MENA"].len()), (55, 10, 7, 20));
    assert_eq!(report.rows.iter().filter(|r| r.counts_unknown > 0).count(), 3, "three TikTok handles without a count");
}

#[test]
fn regional_accounts_are_shared_among_their_members() {
    let raw = raw_canis();
    let groups = groups();
    for (name, code) in [("Egypt", "EGY"), ("Kenya", "KEN"), ("Mali", "MLI"), ("Brazil", "BRA"), ("Timor-Leste", "TLS")] {
        let mut followers = 0.0;
        let mut accounts = 0.0;
        for record in &raw {
            let focus = record["Region of Focus"].as_str();
            if focus == name {
                followers += raw_followers(record);
                accounts += 1.0;
            } else if let Some(members) = groups.get(focus).filter(|m| m.iter().any(|m| m == code)) {
                followers += raw_followers(record) / members.len() as f64;
                accounts += 1.0 / members.len() as f64;
            }
        }
        assert!((window(code, Instrument::I1, "state_media_followers").unwrap() - followers).abs() < 1e-3, "{name}");
        assert!((window(code, Instrument::I1, "state_media_accounts").unwrap() - accounts).abs() < 1e-5, "{name}");
        assert_eq!(covering(evaluation(), code, Instrument::I1, state_media::SOURCE_LABEL), Some((2023, 2023)));
    }
    // Egypt is in MENA and the African Union; Kenya in the African Union and the East African Community;
    // Timor-Leste joined ASEAN in 2025, after the list, and no account is aimed at it.
    assert!(["MENA", "African Union"].iter().all(|g| groups[*g].contains(&"EGY".to_string())));
    assert!(["East African Community", "African Union"].iter().all(|g| groups[*g].contains(&"KEN".to_string())));
    assert!(!groups["ASEAN"].contains(&"TLS".to_string()));
    assert_eq!(window("TLS", Instrument::I1, "state_media_followers"), Some(0.0));
    // A snapshot: no yearly value to project from.
    assert!(yearly("CHN", "EGY", "state_media_followers").is_empty());
}

#[test]
fn snapshots_count_only_when_the_window_reaches_their_year() {
    let mut args = crate::run::args(imported().dir.path());
    args.as_of = Some(2022);
    args.recipients = vec!["Egypt".into(), "Pakistan".into()];
    let e = mdime::evaluate(&args.validate().unwrap()).unwrap();
    assert!(covering(&e, "EGY", Instrument::I1, state_media::SOURCE_LABEL).is_none(), "the 2023 list is after 2022");
    assert_eq!(covering(&e, "EGY", Instrument::I1, confucius::SOURCE_LABEL), Some((2021, 2021)));
    args.as_of = Some(2020);
    let e = mdime::evaluate(&args.validate().unwrap()).unwrap();
    assert!(covering(&e, "EGY", Instrument::I1, confucius::SOURCE_LABEL).is_none());
}

// ---- Confucius Institutes ---------------------------------------------------------------------------

fn raw_ci() -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(ci_file()).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader.records().map(|r| header.iter().cloned().zip(r.unwrap().iter().map(String::from)).collect()).collect()
}

#[test]
fn confucius_institutes_are_read_completely_each_institute_once() {
    let raw = raw_ci();
    let report = &imported().confucius;
    let unique: BTreeSet<(String, String)> = raw.iter().map(|r| (r["country"].clone(), r["confucius_institute"].trim().to_lowercase())).collect();
    assert_eq!(report.provenance.counts.records_read, raw.len());
    assert_eq!(report.rows.len(), unique.len());
    assert_eq!(report.provenance.excluded.iter().map(|e| e.rows).sum::<usize>(), raw.len() - unique.len());
    // M/D/YY, read here by hand.
    for record in raw.iter().filter(|r| !r["date_est"].is_empty()) {
        let parts: Vec<u32> = record["date_est"].split('/').map(|p| p.parse().unwrap()).collect();
        let iso = format!("{:04}-{:02}-{:02}", 2000 + parts[2], parts[0], parts[1]);
        assert!(report.rows.iter().any(|r| r.founded == iso && r.institute == record["confucius_institute"].trim()), "{iso}");
    }
    let islamabad = report.rows.iter().find(|r| r.institute == "Confucius Institute in Islamabad").unwrap();
    assert_eq!((islamabad.founded.as_str(), islamabad.founded_year), ("2005-06-27", Some(2005)));
    // Every tracked recipient is covered for 2021; Pakistan's count is the raw file's.
    let pakistan = unique.iter().filter(|(c, _)| c == "Pakistan").count() as f64;
    assert_eq!(window("PAK", Instrument::I1, "confucius_institutes_listed"), Some(pakistan));
    let covered = evaluation().indicators.coverage.iter().filter(|c| c.source.starts_with(confucius::SOURCE_LABEL)).count();
    assert_eq!(covered, tracked().len());
}

#[test]
fn i1_is_the_highest_of_its_datasets() {
    for code in ["PAK", "THA", "KEN", "MLI", "BRA", "BTN"] {
        let a = assessment(code, Instrument::I1);
        let rule = &Rubric::builtin().rules[&Instrument::I1];
        let best = rule
            .datasets()
            .iter()
            .filter_map(|b| window(code, Instrument::I1, &b.scale.indicator).map(|v| b.scale.level(v)))
            .max()
            .unwrap();
        assert_eq!(a.current, best, "{code}");
    }
}

// ---- GCDF 3.0 ---------------------------------------------------------------------------------------

#[test]
fn gcdf_amounts_match_the_raw_file_and_stand_beside_the_ratings() {
    let mut reader = csv::Reader::from_path(gcdf_file()).unwrap();
    let raw: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let report = &imported().finance;
    assert_eq!((report.provenance.counts.records_read, report.rows.len()), (raw.len(), raw.len()));
    // Pakistan is COW 770: ODA-like (adjusted) over 2012-2021, in millions.
    let oda: f64 = raw.iter().filter(|r| &r[0] == "770" && (2012..=2021).contains(&r[1].parse::<i32>().unwrap())).map(|r| r[5].parse::<f64>().unwrap()).sum();
    assert!((window("PAK", Instrument::D3, "gcdf_oda_like_commitments").unwrap() - oda / 1e6).abs() < 1e-3);
    let vague_2019 = raw.iter().find(|r| &r[0] == "770" && &r[1] == "2019").unwrap()[7].parse::<f64>().unwrap();
    assert!((yearly("CHN", "PAK", "gcdf_vague_official_commitments")[&2019] - vague_2019 / 1e6).abs() < 1e-6);
    assert!(evaluation().indicators.coverage.iter().all(|c| !c.source.starts_with(development_finance::SOURCE_LABEL)), "context, never coverage");
}

// ---- the rubric's datasets and the proxy's cap -------------------------------------------------------

fn indicators_for(values: &[(&'static str, &str, f64)], sources: &[&str]) -> mdime::indicators::Indicators {
    let mut indicators = mdime::indicators::Indicators::default();
    for &(indicator, source, value) in values {
        indicators.values.push(mdime::indicators::IndicatorValue {
            benefactor: "CHN".into(),
            recipient: "PAK".into(),
            instrument: Instrument::D2,
            indicator,
            period: Period::Window(2012, 2018),
            value,
            unit: "",
            source: source.to_string(),
            evidence_ids: Vec::new(),
        });
    }
    indicators.values.sort_by(|a, b| a.indicator.cmp(b.indicator));
    for source in sources {
        indicators.coverage.push(mdime::indicators::Coverage {
            benefactor: "CHN".into(),
            recipient: "PAK".into(),
            instrument: Instrument::D2,
            source: source.to_string(),
            first_year: 2012,
            last_year: 2018,
        });
    }
    indicators.coverage.sort();
    indicators
}

#[test]
fn a_proxy_is_capped_at_medium_unless_the_evidence_reaches_the_level() {
    let rubric = Rubric::builtin();
    let countries = CountryTable::builtin();
    let recipients = [countries.country("PAK").unwrap()];
    let benefactors = [mdime::domain::Benefactor { iso3: "CHN".into(), name: "China".into(), colour: [0, 0, 0] }];
    let scope = mdime::indicators::Scope { benefactors: &benefactors, recipients: &recipients, window: mdime::indicators::Window { start: 2012, end: 2018 }, attribute_ussr_to_russia: false };
    let logs = mdime::sources::evidence::SOURCE;
    let d2 = |evidence: f64| {
        let values = [("scholarship_holders", "students", 5000.0), ("years_with_scholarship_holders", "students", 7.0), ("evidence_score", logs, evidence), ("evidence_events", logs, 20.0)];
        let assessments = mdime::assess::assess(&indicators_for(&values, &["students", logs]), &rubric, &scope);
        let a = assessments.iter().find(|a| a.instrument == Some(Instrument::D2)).unwrap();
        (a.current, a.confidence)
    };
    assert_eq!(d2(2.0), (CurrentLevel::VeryHigh, Confidence::Medium), "the proxy alone sets Very High");
    assert_eq!(d2(40.0), (CurrentLevel::VeryHigh, Confidence::High), "the evidence reaches Very High on its own");
}

#[test]
fn rubric_datasets_are_checked_by_key() {
    let error = |text: &str| Rubric::parse(Path::new("custom.toml"), text).unwrap_err().to_string();
    let base = "[D1]\nscore = \"senior_military_engagements_per_year\"\nthresholds = [0.5, 1.3, 2.5, 4.0]\n";
    let message = error(&format!("{base}[[D1.also]]\nscore = \"visits_vibes\"\nthresholds = [0.5, 1.0, 2.5, 5.0]\n"));
    assert!(message.contains("D1.also[1].score") && message.contains("visits_vibes"), "{message}");
    let message = error(&format!("{base}[[D1.also]]\nscore = \"military_visits_per_year\"\nthresholds = [1.0, 0.5, 2.5, 5.0]\n"));
    assert!(message.contains("D1.also[1].thresholds"), "{message}");
    let message = error(&format!("{base}max_confidence = \"Sure\"\n"));
    assert!(message.contains("D1.max_confidence") && message.contains("Low, Medium or High"), "{message}");
    let message = error("[D2]\nevidence = [1.0, 4.0, 8.0, 15.0]\n[[D2.also]]\nscore = \"scholarship_holders\"\nthresholds = [25.0, 100.0, 300.0, 1000.0]\n");
    assert!(message.contains("D2.also") && message.contains("needs a `score`"), "{message}");
    let rubric = Rubric::builtin();
    assert_eq!(rubric.rules[&Instrument::D2].max_confidence, Some(Confidence::Medium));
    assert_eq!(rubric.rules[&Instrument::I1].also.len(), 3);
    let scaled = rubric.scaled(1.2);
    assert_eq!(scaled.rules[&Instrument::M1].also[0].scale.thresholds[0], rubric.rules[&Instrument::M1].also[0].scale.thresholds[0] * 1.2);
}

// ---- the default run, bad input ---------------------------------------------------------------------

/// The committed datasets, evidence logs included: what `mdime run` rates by default.
#[test]
fn the_default_run_rates_china_from_the_new_sources() {
    let config = crate::run::args(&repo_datasets()).validate().unwrap();
    let e = mdime::evaluate(&config).unwrap();
    let raw = raw_nbr();
    let panel: BTreeSet<String> = raw.keys().map(|(s, _)| iso3(s)).filter(|c| tracked().contains(c)).collect();
    for code in &panel {
        for instrument in [Instrument::D1, Instrument::M1] {
            assert_eq!(covering(&e, code, instrument, borderlands::SOURCE_LABEL), Some((2012, 2023)), "{code} {instrument}");
            let a = e.assessments.iter().find(|a| a.benefactor == "CHN" && &a.recipient == code && a.instrument == Some(instrument)).unwrap();
            assert_ne!(a.current, CurrentLevel::NotAssessed, "{code} {instrument}");
        }
    }
    let students: BTreeSet<String> = raw_students().keys().map(|(n, _)| iso3(n)).filter(|c| tracked().contains(c)).collect();
    let institutes: BTreeSet<String> = raw_ci().iter().map(|r| iso3(&r["country"])).filter(|c| tracked().contains(c)).collect();
    let rated = |instrument: Instrument, code: &String| {
        e.assessments.iter().any(|a| a.benefactor == "CHN" && &a.recipient == code && a.instrument == Some(instrument) && a.current != CurrentLevel::NotAssessed)
    };
    assert!(students.iter().all(|c| rated(Instrument::D2, c)), "D2 for every recipient in the students file");
    assert!(institutes.iter().all(|c| rated(Instrument::I1, c)), "I1 for every recipient in the Confucius Institutes list");
    assert_eq!((students.len(), institutes.len()), (86, 89));
}

/// The real file with one change, imported into an empty folder: the message, and nothing written.
fn spoiled(file: &Path, name: &str, from: &str, to: &str, import: fn(&Path, &Path) -> mdime::Result<()>) -> String {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{name} has `{from}`");
    let path = dir.path().join(name);
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
    let datasets = dir.path().join("datasets");
    fs::create_dir(&datasets).unwrap();
    fs::copy(repo_datasets().join("groups.csv"), datasets.join("groups.csv")).unwrap();
    let message = import(&path, &datasets).unwrap_err().to_string();
    assert_eq!(fs::read_dir(&datasets).unwrap().count(), 1, "nothing written: {message}");
    message
}

#[test]
fn bad_input_names_file_line_and_column_and_writes_nothing() {
    let nbr = |p: &Path, d: &Path| borderlands::import(p, &nbr_workbook(), d).map(|_| ());
    // A CSV figure the workbook does not round to: both places named.
    let message = spoiled(&nbr_csv(), "china_data.csv", "2019,Pakistan,", "2019,Pakistan,9", nbr);
    assert!(message.contains("china_data.xlsx") && message.contains("where the CSV's line") && message.contains("`sec_01_arms_transfer_tiv`"), "{message}");
    let message = spoiled(&nbr_csv(), "china_data.csv", "2019,Pakistan,", "2019,Pakistn,", nbr);
    assert!(message.contains("china_data.csv:") && message.contains("column `recipient`: unknown country `Pakistn`"), "{message}");
    let message = spoiled(&nbr_csv(), "china_data.csv", ",N,", ",maybe,", nbr);
    assert!(message.contains("expected `Y` or `N`, found `maybe`"), "{message}");
    let canis = |p: &Path, d: &Path| state_media::import(p, d).map(|_| ());
    let message = spoiled(&canis_file(), "canis.csv", ",MENA,", ",Levant,", canis);
    assert!(message.contains("canis.csv:") && message.contains("column `Region of Focus`: unknown country `Levant`"), "{message}");
    let message = spoiled(&canis_file(), "canis.csv", ",1678,", ",1.6k,", canis);
    assert!(message.contains("canis.csv:2: column `X (Twitter) Follower #`: expected a whole number of followers"), "{message}");
    let ci = |p: &Path, d: &Path| confucius::import(p, d).map(|_| ());
    let message = spoiled(&ci_file(), "ci.csv", ",6/27/05,", ",27/6/05,", ci);
    assert!(message.contains("ci.csv:") && message.contains("column `date_est`: expected a date M/D/YY from 2004 to 2021, like `6/27/05`, found `27/6/05`"), "{message}");
    let gcdf = |p: &Path, d: &Path| development_finance::import(p, d).map(|_| ());
    let message = spoiled(&gcdf_file(), "gcdf.csv", "\n770,2019,", "\n777,2019,", gcdf);
    assert!(message.contains("gcdf.csv:") && message.contains("column `ccode`: unknown Correlates of War code `777`"), "{message}");
}

#[test]
fn import_commands_default_to_the_shared_files() {
    for (source, file) in [
        ("borderlands", "china_data.csv"),
        ("students", "stu_CTC_new.xlsx"),
        ("state-media", "CANIS_PRC_state_media"),
        ("confucius-institutes", "confucius_institutes.csv"),
        ("development-finance", "cow_gcdf.csv"),
    ] {
        let assert = mdime().args(["import", source, "--help"]).assert().success();
        let help = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
        assert!(help.contains("../shared/data/") && help.contains(file), "{source}: {help}");
    }
    let out = tempfile::tempdir().unwrap();
    let assert = mdime().current_dir(env!("CARGO_MANIFEST_DIR")).args(["import", "borderlands", "--datasets"]).arg(out.path()).assert().success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("china_data.xlsx") && stdout.contains("720 records read"), "{stdout}");
    assert!(out.path().join(borderlands::TABLE).is_file());
}
