//! UNESCO UIS student flows (D2 by proxy for Russia and the other benefactors that report foreign
//! students): the real file against a reading of it by plain line splitting, the committed table's
//! ratings, and the rules for what a top ten leaves out on small files.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::PathBuf;

use mdime::assess::Rubric;
use mdime::domain::{Benefactor, Confidence, CountryTable, CurrentLevel, Instrument};
use mdime::indicators::{Indicators, Period, Scope, Window};
use mdime::sources::student_flows::{self, indicators as flow_indicators, Status};

use crate::common::*;

fn flows_file() -> PathBuf {
    shared_data().join("education/uis-popular-destinations-by-origin-1998-2021.csv")
}

/// The raw file as (year, origin) → [(destination, students)], split on commas (it quotes nothing).
fn raw_lists() -> BTreeMap<(i32, String), Vec<(String, f64)>> {
    let text = fs::read_to_string(flows_file()).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("year,origin_country_name,dest_country_lumped,value_lumped,cond_all"));
    let mut lists: BTreeMap<(i32, String), Vec<(String, f64)>> = BTreeMap::new();
    for line in lines {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields.len(), 5, "{line}");
        lists.entry((fields[0].parse().unwrap(), fields[1].to_string())).or_default().push((fields[2].to_string(), fields[3].parse().unwrap()));
    }
    lists
}

/// A figure of the table, written to six decimals, against the raw file's.
fn close(table: Option<f64>, raw: f64) -> bool {
    table.is_some_and(|x| (x - raw).abs() < 1e-6)
}

fn russia() -> Benefactor {
    Benefactor { iso3: "RUS".into(), name: "Russia".into(), colour: [0, 0, 0] }
}

/// The indicators of the table in `datasets` for Russia in `recipients` over `window`.
fn russian_indicators(datasets: &std::path::Path, recipients: &[&str], window: Window) -> Indicators {
    let countries = CountryTable::builtin();
    let recipients: Vec<_> = recipients.iter().map(|c| countries.country(c).unwrap()).collect();
    let benefactors = [russia()];
    let scope = Scope { benefactors: &benefactors, recipients: &recipients, window, attribute_ussr_to_russia: false };
    flow_indicators::compute(datasets, &scope).unwrap()
}

#[test]
fn the_real_file_gives_russias_students_and_bounds_as_the_raw_lists_do() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(repo_datasets().join("benefactors.csv"), dir.path().join("benefactors.csv")).unwrap();
    let report = student_flows::import(&flows_file(), dir.path()).expect("the real file imports");
    assert!(report.provenance.sha256.starts_with("743fc042"), "the file SOURCES.md describes: {}", report.provenance.sha256);
    let raw = raw_lists();
    let russian: Vec<&student_flows::StudentFlow> = report.rows.iter().filter(|r| r.benefactor_iso3 == "RUS").collect();
    let countries = CountryTable::builtin();
    // Russia is named by the lists of 13 or 14 countries in 2000-2007 and 2012 (its former Soviet
    // neighbours), of 34 or more in its other years: only those bound the students of the lists that
    // leave it out.
    let mut naming: BTreeMap<i32, usize> = BTreeMap::new();
    for ((year, origin), list) in &raw {
        if countries.country(origin).is_some() && list.iter().any(|(d, _)| d == "Russia") {
            *naming.entry(*year).or_default() += 1;
        }
    }
    let broad: BTreeSet<i32> = naming.iter().filter(|(_, n)| **n >= student_flows::MIN_ORIGINS).map(|(y, _)| *y).collect();
    assert_eq!(broad, BTreeSet::from([2008, 2009, 2011, 2014, 2015, 2016, 2017, 2018, 2019]), "{naming:?}");
    let bounded: BTreeSet<i32> = russian.iter().filter(|r| r.status == Status::BelowTopTen).map(|r| r.year).collect();
    assert_eq!(bounded, broad);
    // Every list naming Russia is a listed row with its figure; every country's list that does not, in
    // the years named broadly, a bound: the smallest figure named where it lumps the rest, 0 where it
    // lumps nothing. Sudan's list under its old name, beside its own in 2010-2012, is set aside.
    let mut checked = 0;
    for ((year, origin), list) in &raw {
        let Some(country) = countries.country(origin) else { continue };
        let russia_named = list.iter().find(|(d, _)| d == "Russia");
        if country.iso3 == "RUS" || (russia_named.is_none() && !broad.contains(year)) || (origin == "Sudan (pre-secession)" && (2010..=2012).contains(year)) {
            continue;
        }
        let row = russian.iter().find(|r| r.iso3 == country.iso3 && r.year == *year).unwrap_or_else(|| panic!("{origin} {year}"));
        let named: Vec<f64> = list.iter().filter(|(d, _)| d != "Other countries").map(|(_, v)| *v).collect();
        match russia_named {
            Some((_, students)) => {
                assert_eq!(row.status, Status::Listed, "{origin} {year}");
                assert!(close(row.students, *students), "{origin} {year}: {:?} {students}", row.students);
                assert_eq!(row.rank, Some(1 + named.iter().filter(|v| *v > students).count() as u32));
            }
            None => {
                let lumped = list.iter().any(|(d, _)| d == "Other countries");
                let bound = if lumped { named.iter().copied().fold(f64::INFINITY, f64::min) } else { 0.0 };
                assert_eq!(row.status, Status::BelowTopTen, "{origin} {year}");
                assert!(close(row.at_most, bound), "{origin} {year}: {:?} {bound}", row.at_most);
            }
        }
        checked += 1;
    }
    assert_eq!(checked, russian.len());
    // Figures read off the file: Egypt's students in Russia in 2019; Mali's list of 2019 leaves Russia
    // out, its tenth destination India with 159.
    let egypt = russian.iter().find(|r| r.iso3 == "EGY" && r.year == 2019).unwrap();
    assert_eq!((egypt.students, egypt.rank), (Some(2252.0), Some(7)));
    let mali = russian.iter().find(|r| r.iso3 == "MLI" && r.year == 2019).unwrap();
    assert_eq!((mali.status, mali.at_most), (Status::BelowTopTen, Some(159.0)));
    // The other benefactors that report foreign students have rows; China, which does not, none.
    let benefactors: BTreeSet<&str> = report.rows.iter().map(|r| r.benefactor_iso3.as_str()).collect();
    assert_eq!(benefactors, BTreeSet::from(["ARE", "FRA", "IND", "RUS", "TUR", "USA"]));
    // The pair's rating rests on the years Russia is listed: Syria's mean over 2012-2019.
    let indicators = russian_indicators(dir.path(), &["SYR", "MLI"], Window { start: 2012, end: 2019 });
    let listed: Vec<f64> = (2012..=2019).filter_map(|y| raw.get(&(y, "Syria".to_string()))?.iter().find(|(d, _)| d == "Russia").map(|(_, v)| *v)).collect();
    assert!(listed.len() >= 3, "{listed:?}");
    let mean = indicators.window_value("RUS", "SYR", Instrument::D2, flow_indicators::STUDENTS).unwrap();
    assert!((mean - listed.iter().sum::<f64>() / listed.len() as f64).abs() < 1e-6);
    assert_eq!(indicators.window_value("RUS", "SYR", Instrument::D2, flow_indicators::YEARS), Some(listed.len() as f64));
    assert_eq!(indicators.sources_covering("RUS", "MLI", Instrument::D2).len(), 0, "Mali's lists never name Russia in 2012-2019");
}

#[test]
fn the_committed_table_rates_russias_d2_where_it_is_listed_at_medium_confidence_at_most() {
    let window = Window { start: 2012, end: 2019 };
    let rubric = Rubric::builtin();
    let countries = CountryTable::builtin();
    let recipients: Vec<_> = countries.tracked_recipients(&[]);
    let benefactors = [russia()];
    let scope = Scope { benefactors: &benefactors, recipients: &recipients, window, attribute_ussr_to_russia: false };
    let indicators = flow_indicators::compute(&repo_datasets(), &scope).unwrap();
    let assessments = mdime::assess::assess(&indicators, &rubric, &scope);
    let d2: Vec<_> = assessments.iter().filter(|a| a.instrument == Some(Instrument::D2)).collect();
    let rated: Vec<_> = d2.iter().filter(|a| a.current != CurrentLevel::NotAssessed).collect();
    let covered: BTreeSet<&str> = indicators.coverage.iter().map(|c| c.recipient.as_str()).collect();
    assert_eq!(rated.len(), covered.len());
    assert!(rated.len() >= 30, "{} recipients", rated.len());
    assert!(rated.iter().all(|a| a.confidence <= Confidence::Medium), "a proxy");
    let level = |code: &str| d2.iter().find(|a| a.recipient == code).unwrap().current;
    let score = |code: &str| indicators.window_value("RUS", code, Instrument::D2, flow_indicators::STUDENTS).unwrap();
    let expected = |x: f64| match x {
        x if x >= 7500.0 => CurrentLevel::VeryHigh,
        x if x >= 2500.0 => CurrentLevel::High,
        x if x >= 500.0 => CurrentLevel::Medium,
        x if x >= 125.0 => CurrentLevel::Low,
        x if x > 0.0 => CurrentLevel::VeryLow,
        _ => CurrentLevel::Unobserved,
    };
    for code in ["EGY", "SYR", "VNM", "IND"] {
        assert_eq!(level(code), expected(score(code)), "{code}: {}", score(code));
    }
    assert_eq!(level("MLI"), CurrentLevel::NotAssessed, "a top ten that leaves Russia out says nothing on its own");
}

#[test]
fn a_small_file_reads_as_documented() {
    let dir = tempfile::tempdir().unwrap();
    let report = student_flows::import(&source_fixture("student_flows", "flows-small.csv"), dir.path()).unwrap();
    let tracked = ["EGY", "GNB", "MLI", "SYR", "VNM"];
    let rows: Vec<(&str, i32, Status, Option<f64>, Option<f64>, Option<u32>, &str)> = report
        .rows
        .iter()
        .filter(|r| tracked.contains(&r.iso3.as_str()))
        .map(|r| (r.iso3.as_str(), r.year, r.status, r.students, r.at_most, r.rank, r.flags.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            ("EGY", 2018, Status::Listed, Some(2252.0), None, Some(3), "c"),
            ("GNB", 2018, Status::BelowTopTen, None, Some(0.0), None, ""),
            ("MLI", 2018, Status::BelowTopTen, None, Some(159.0), None, ""),
            ("SYR", 2018, Status::IncludedElsewhere, None, None, None, "b"),
            ("VNM", 2018, Status::Listed, Some(5000.0), None, Some(2), ""),
        ]
    );
    // In 2012 one list names Russia: Kazakhstan's figure is kept, Egypt's list bounds nothing.
    assert!(report.rows.iter().any(|r| (r.iso3.as_str(), r.year, r.status) == ("KAZ", 2012, Status::Listed)));
    assert_eq!(report.rows.iter().filter(|r| r.year == 2012).count(), 1);
    assert!(report.rows.iter().all(|r| r.benefactor_iso3 == "RUS"), "China is no destination");
    assert_eq!(report.provenance.excluded.iter().map(|e| e.rows).sum::<usize>(), 1, "{:?}", report.provenance.excluded);
    let indicators = russian_indicators(dir.path(), &tracked, Window { start: 2012, end: 2019 });
    let covered: Vec<(&str, i32, i32)> = indicators.coverage.iter().map(|c| (c.recipient.as_str(), c.first_year, c.last_year)).collect();
    assert_eq!(covered, [("EGY", 2018, 2018), ("VNM", 2018, 2018)], "only the listed pairs are covered");
    assert_eq!(indicators.window_value("RUS", "EGY", Instrument::D2, flow_indicators::STUDENTS), Some(2252.0));
    let bound = |code: &str| indicators.values.iter().find(|v| v.recipient == code && v.indicator == flow_indicators::AT_MOST && v.period == Period::Window(2018, 2018)).map(|v| v.value);
    assert_eq!((bound("MLI"), bound("GNB"), bound("EGY")), (Some(159.0), Some(0.0), None));
    assert!(indicators.values.iter().all(|v| v.recipient != "SYR"), "a figure counted elsewhere is no figure");
    let outside = russian_indicators(dir.path(), &["EGY"], Window { start: 2019, end: 2025 });
    assert!(outside.values.is_empty() && outside.coverage.is_empty(), "no year of the window recorded: Not assessed");
}

#[test]
fn a_defective_file_names_each_line_and_column_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let message = student_flows::import(&source_fixture("student_flows", "flows-defects.csv"), dir.path()).unwrap_err().to_string();
    for expected in [
        "flows-defects.csv:3: column `origin_country_name`: unknown country `Ruritania`",
        "flows-defects.csv:4: column `value_lumped`: empty",
        "flows-defects.csv:5: column `cond_all`: expected four places `a b c d`",
        "flows-defects.csv:6: column `dest_country_lumped`: `Russia` listed a second time for Egypt in 2018 (first on line 2)",
    ] {
        assert!(message.contains(expected), "{expected}\nin\n{message}");
    }
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "nothing written");
}
