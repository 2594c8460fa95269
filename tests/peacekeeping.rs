use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;
use std::sync::OnceLock;

use mdime::domain::{CurrentLevel, Instrument, MissionTable};
use mdime::sources::peacekeeping::{self, Deployment, SourceKind};

use crate::common::*;

fn un_file() -> PathBuf {
    shared_data().join("peacekeeping/un-country-mission-year-2010-2021.csv")
}

fn geo_file() -> PathBuf {
    shared_data().join("peacekeeping/geo-pko-v2.3-tcc-map.csv")
}

fn ipi_files() -> Vec<PathBuf> {
    ["China.csv", "Russian Federation.csv", "data_mission.csv"].map(|f| shared_data().join("peacekeeping/ipi").join(f)).to_vec()
}

/// A datasets folder holding a fresh import of the real files, made once for all tests.
fn imported_pk() -> &'static (tempfile::TempDir, peacekeeping::ImportReport) {
    static IMPORTED: OnceLock<(tempfile::TempDir, peacekeeping::ImportReport)> = OnceLock::new();
    IMPORTED.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let report = peacekeeping::import(&[vec![un_file(), geo_file()], ipi_files()].concat(), dir.path()).expect("the real files import");
        (dir, report)
    })
}

/// The UN file's records as `(year, country, mission, total)`, read without mdime's parser.
fn raw_un() -> Vec<(i32, String, String, u32)> {
    let mut reader = csv::Reader::from_path(un_file()).unwrap();
    reader.records().map(|r| r.unwrap()).map(|r| (r[1].parse().unwrap(), r[2].to_string(), r[3].to_string(), r[6].parse().unwrap())).collect()
}

/// A Geo-PKO record: mission, year, and the contributors named with their unit sizes.
type GeoRecord = (String, i32, Vec<(String, Option<u32>)>);

/// Geo-PKO's records, read without mdime's parser.
fn raw_geo() -> Vec<GeoRecord> {
    let mut reader = csv::Reader::from_path(geo_file()).unwrap();
    reader
        .records()
        .map(|r| r.unwrap())
        .map(|r| {
            let items = r[6]
                .split(", ")
                .map(|item| {
                    let open = item.rfind(" (").unwrap();
                    let size = &item[open + 2..item.len() - 1];
                    (item[..open].to_string(), size.parse().ok())
                })
                .collect();
            (r[0].to_string(), r[1].parse().unwrap(), items)
        })
        .collect()
}

#[test]
fn reads_every_record_of_the_real_files() {
    let (_, report) = imported_pk();
    let [un, geo, ipi @ ..] = &report.provenance.inputs[..] else { panic!("five inputs: {:?}", report.provenance.inputs) };
    for (input, path) in ipi.iter().zip(ipi_files()) {
        let records = csv::Reader::from_path(&path).unwrap().records().count();
        assert_eq!((input.file.as_str(), input.records_read), (path.file_name().unwrap().to_str().unwrap(), records));
    }
    let raw_un = raw_un();
    assert_eq!(un.file, "un-country-mission-year-2010-2021.csv");
    assert_eq!((un.records_read, un.entries_read), (raw_un.len(), raw_un.len()));
    let zeros = raw_un.iter().filter(|r| r.3 == 0).count();
    let set_aside = |input: &mdime::ingest::provenance::Input, reason: &str| {
        input.set_aside.iter().filter(|s| s.reason.starts_with(reason)).map(|s| s.rows).sum::<usize>()
    };
    assert_eq!(set_aside(un, "no personnel"), zeros);
    let raw_geo = raw_geo();
    assert_eq!(geo.records_read, raw_geo.len());
    assert_eq!(geo.entries_read, raw_geo.iter().map(|r| r.2.len()).sum::<usize>());
    for input in [un, geo] {
        let aside: usize = input.set_aside.iter().map(|s| s.rows).sum();
        assert_eq!(input.entries_kept + aside, input.entries_read, "every entry is kept or set aside for a reason");
    }
    assert_eq!(report.provenance.counts.rows_written, report.rows.len());
    // Every row in a mission-year comes from the one source the rule chose.
    let mut sources: BTreeMap<(&str, i32), SourceKind> = BTreeMap::new();
    for row in &report.rows {
        assert_eq!(*sources.entry((&row.mission, row.year)).or_insert(row.source), row.source, "{row:?}");
    }
    use sha2::Digest;
    let hash: String = sha2::Sha256::digest(fs::read(un_file()).unwrap()).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(un.sha256, hash);
}

#[test]
fn under_counted_years_and_the_overlap_are_reported() {
    let (_, report) = imported_pk();
    // Independently: the UN file's yearly totals against the median year's.
    let mut totals: BTreeMap<i32, u64> = BTreeMap::new();
    for (year, _, _, total) in raw_un() {
        *totals.entry(year).or_default() += u64::from(total);
    }
    let mut sorted: Vec<u64> = totals.values().copied().collect();
    sorted.sort();
    let median = sorted[sorted.len() / 2] as f64;
    let short: Vec<i32> = totals.iter().filter(|(_, t)| (**t as f64) < 0.75 * median).map(|(y, _)| *y).collect();
    assert!(short.contains(&2017) && short.contains(&2021), "the source's known short years: {short:?}");
    let overlap: Vec<_> = report.provenance.comparisons.iter().filter(|c| c.precedence.is_some()).collect();
    assert_eq!(overlap.iter().map(|o| o.first_year).collect::<Vec<_>>(), (2010..=2021).collect::<Vec<_>>());
    for o in overlap {
        let p = o.precedence.as_ref().expect("the rule's choices are recorded");
        assert_eq!(p.reference_incomplete, short.contains(&o.first_year), "{o:?}");
        assert_eq!(p.used_reference + p.used_other, o.cells);
        if !p.reference_incomplete {
            assert_eq!(p.used_other, 0, "UN figures take precedence in a complete year: {o:?}");
        }
        assert!(o.cell_gap_pct.unwrap() >= o.total_gap_pct.unwrap().abs(), "cell by cell the gap is at least the totals' gap: {o:?}");
    }
    assert!(report.provenance.method.contains("2017") && report.provenance.method.contains("2021"));
}

#[test]
fn ipi_monthly_totals_check_the_table_year_by_year() {
    let (_, report) = imported_pk();
    // China's monthly troops + police + experts, averaged per year, read without mdime's parser.
    let mut months: BTreeMap<i32, Vec<f64>> = BTreeMap::new();
    let mut reader = csv::Reader::from_path(&ipi_files()[0]).unwrap();
    for r in reader.records().map(Result::unwrap) {
        let total: f64 = (1..4).filter_map(|i| r[i].parse::<f64>().ok()).sum();
        months.entry(r[0][..4].parse().unwrap()).or_default().push(total);
    }
    let ipi_2010_2013: f64 = (2010..=2013).map(|y| months[&y].iter().sum::<f64>() / months[&y].len() as f64).sum();
    let china = report
        .provenance
        .comparisons
        .iter()
        .find(|c| c.what == "China's personnel in all missions per year" && c.other.contains("UN figures"))
        .expect("China's table totals compared with IPI's");
    assert_eq!((china.first_year, china.last_year, china.cells), (2010, 2013, 4));
    assert_eq!(china.reference_total, ipi_2010_2013.round());
    assert!(china.cell_gap_pct.unwrap() < 20.0, "the UN figures and IPI's agree for China: {china:?}");
    // Geo-PKO maps formed units, not Russia's individual officers: the table misses much of Russia's total.
    let russia = report.provenance.comparisons.iter().find(|c| c.what.starts_with("Russia's") && c.other.contains("Geo-PKO")).unwrap();
    assert!(russia.total_gap_pct.unwrap() < -10.0, "{russia:?}");
}

#[test]
fn a_bad_ipi_file_is_named_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("China.csv");
    fs::write(&path, "\"Date\",\"Troops\",\"Police\",\"Experts\"\n2013-01-31,300,NA,NA\n2013-02,300,NA,NA\n2013-03-31,lots,NA,NA\n").unwrap();
    let message = peacekeeping::import(&[source_fixture("peacekeeping", "peacekeeping-un-small.csv"), path], dir.path()).unwrap_err().to_string();
    assert!(message.contains("China.csv:3: column `Date`") && message.contains("`2013-02`"), "{message}");
    assert!(message.contains("China.csv:4: column `Troops`") && message.contains("`lots`"), "{message}");
    assert!(!dir.path().join(peacekeeping::TABLE).exists());
    let unnamed = dir.path().join("contributor.csv");
    fs::write(&unnamed, "\"Date\",\"Troops\",\"Police\",\"Experts\"\n2013-01-31,300,NA,NA\n").unwrap();
    let message = peacekeeping::import(&[source_fixture("peacekeeping", "peacekeeping-un-small.csv"), unnamed], dir.path()).unwrap_err().to_string();
    assert!(message.contains("named after its contributor"), "{message}");
}

#[test]
fn china_in_minusma_matches_the_raw_files_year_by_year() {
    let (_, report) = imported_pk();
    let un = raw_un();
    let mut un_totals: BTreeMap<i32, u64> = BTreeMap::new();
    for r in &un {
        *un_totals.entry(r.0).or_default() += u64::from(r.3);
    }
    let mut sorted: Vec<u64> = un_totals.values().copied().collect();
    sorted.sort();
    let median = sorted[sorted.len() / 2] as f64;
    let mut un_china = BTreeMap::new();
    let mut un_mission = BTreeMap::<i32, u32>::new();
    for r in un.iter().filter(|r| r.2 == "MINUSMA") {
        *un_mission.entry(r.0).or_default() += r.3;
        if r.1 == "China" && r.3 > 0 {
            un_china.insert(r.0, r.3);
        }
    }
    let mut geo_china = BTreeMap::<i32, u32>::new();
    let mut geo_mission = BTreeMap::<i32, u32>::new();
    for (_, year, items) in raw_geo().iter().filter(|r| r.0 == "MINUSMA") {
        for (name, size) in items {
            *geo_mission.entry(*year).or_default() += size.unwrap_or(0);
            if name == "China" {
                *geo_china.entry(*year).or_default() += size.unwrap_or(0);
            }
        }
    }
    let years: std::collections::BTreeSet<i32> = un_mission
        .keys()
        .chain(geo_mission.keys())
        .copied()
        .filter(|y| un_mission.get(y).copied().unwrap_or(0) > 0 || geo_mission.contains_key(y))
        .collect();
    let rows: BTreeMap<i32, &Deployment> =
        report.rows.iter().filter(|r| r.contributor_iso3 == "CHN" && r.mission == "MINUSMA").map(|r| (r.year, r)).collect();
    assert!(rows.values().all(|r| r.host_iso3 == "MLI"));
    for year in years {
        let short = un_totals.get(&year).is_some_and(|&t| (t as f64) < 0.75 * median);
        let un_has = un_mission.get(&year).copied().unwrap_or(0) > 0;
        let use_geo = !un_has || (short && geo_mission.get(&year).copied().unwrap_or(0) > un_mission[&year]);
        let expected = if use_geo { geo_china.get(&year).copied() } else { un_china.get(&year).copied() };
        assert_eq!(rows.get(&year).and_then(|r| r.personnel), expected, "China in MINUSMA, {year}");
        if let Some(row) = rows.get(&year) {
            let total = if use_geo { geo_mission[&year] } else { un_mission[&year] };
            assert_eq!(row.mission_personnel, Some(total), "MINUSMA's total, {year}");
        }
    }
    assert!(rows.contains_key(&2013) && rows.contains_key(&2023), "China served in MINUSMA from 2013 to its end");
}

#[test]
fn russia_is_present_where_the_raw_file_has_it() {
    let (_, report) = imported_pk();
    let raw: BTreeMap<(i32, String), u32> =
        raw_un().into_iter().filter(|r| r.1 == "Russian Federation" && r.2 == "UNMISS" && r.3 > 0).map(|r| ((r.0, r.2), r.3)).collect();
    assert!(!raw.is_empty());
    for ((year, mission), total) in &raw {
        // Where the rule took the mission-year from Geo-PKO (a short UN year), Russia's officers are not in
        // it: Geo-PKO maps units, not individual officers.
        let from_un = report.rows.iter().any(|r| &r.mission == mission && r.year == *year && r.source == SourceKind::Un);
        let row = report.rows.iter().find(|r| r.contributor_iso3 == "RUS" && &r.mission == mission && r.year == *year);
        if from_un {
            let row = row.expect("Russia in UNMISS");
            assert_eq!((row.host_iso3.as_str(), row.personnel), ("SSD", Some(*total)), "{year}");
        }
    }
    let years_in_table = report.rows.iter().filter(|r| r.contributor_iso3 == "RUS" && r.mission == "UNMISS").count();
    assert!(years_in_table >= 8, "Russia served in UNMISS for most of its years: {years_in_table}");
}

#[test]
fn mission_table_places_missions_in_their_host_countries() {
    let missions = MissionTable::builtin();
    let minusma = missions.get("minusma").unwrap();
    assert_eq!((minusma.host_iso3.as_str(), minusma.end.map(|d| d.to_string())), ("MLI", Some("2023-12-31".to_string())));
    assert_eq!(missions.get("UNAVEM  III").unwrap().host_iso3, "AGO");
    assert!(missions.get("MONUSCO").unwrap().end.is_none());
    let error = MissionTable::from_csv("mission,name,host_iso3,start,end,note\nX,X,ATL,2000-01-01,,\n", mdime::domain::CountryTable::builtin()).unwrap_err();
    assert!(error.contains("line 2") && error.contains("ATL"), "{error}");
}

#[test]
fn small_files_follow_the_precedence_rule() {
    let dir = tempfile::tempdir().unwrap();
    let report = peacekeeping::import(&[source_fixture("peacekeeping", "peacekeeping-un-small.csv"), source_fixture("peacekeeping", "peacekeeping-geo-small.csv")], dir.path()).unwrap();
    let row = |iso3: &str, name: &str, year: i32| {
        report.rows.iter().find(|r| (r.contributor_iso3 == iso3 || r.contributor == name) && r.year == year).cloned()
    };
    // 2019: both sources, a complete UN year: the UN's figures.
    let china_2019 = row("CHN", "", 2019).unwrap();
    assert_eq!((china_2019.personnel, china_2019.mission_personnel, china_2019.source), (Some(400), Some(1000), SourceKind::Un));
    // 2021: the UN year is short (85 against a median of 1,000) and Geo-PKO's total is larger; the
    // contributor's units add up over locations.
    let china_2021 = row("CHN", "", 2021).unwrap();
    assert_eq!((china_2021.personnel, china_2021.mission_personnel, china_2021.source), (Some(485), Some(785), SourceKind::GeoPko));
    assert_eq!(row("", "Multinational", 2021).unwrap().personnel, None, "present, size unknown");
    // 2022: Geo-PKO alone; `Korea (ROK) (150)` keeps its own parenthesis.
    assert_eq!(row("KOR", "", 2022).unwrap().personnel, Some(150));
    assert!(row("RUS", "", 2019).is_some_and(|r| r.host_iso3 == "SSD" && r.mission == "UNMISS"));
    let un = &report.provenance.inputs[0];
    assert_eq!((un.records_read, un.entries_kept), (11, 8), "one zero row, two rows of a short year superseded");
}

/// Imports `text` as the file `name` into a datasets folder that already holds a table, and returns the
/// error message; the existing table must be untouched.
fn import_error(name: &str, text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    fs::write(&path, text).unwrap();
    let datasets = dir.path().join("datasets");
    fs::create_dir(&datasets).unwrap();
    fs::write(datasets.join(peacekeeping::TABLE), "previous").unwrap();
    let message = peacekeeping::import(&[path, source_fixture("peacekeeping", "peacekeeping-geo-small.csv")], &datasets).expect_err("bad input is refused").to_string();
    assert_eq!(fs::read_to_string(datasets.join(peacekeeping::TABLE)).unwrap(), "previous", "nothing half-written");
    assert_eq!(fs::read_dir(&datasets).unwrap().count(), 1, "no stray files: {message}");
    assert!(message.contains(name), "the message names the file: {message}");
    message
}

fn small_un() -> String {
    fs::read_to_string(source_fixture("peacekeeping", "peacekeeping-un-small.csv")).unwrap()
}

#[test]
fn missing_column_is_named() {
    let message = import_error("no-total.csv", &small_un().replace(",\"Total\"", ",\"All\""));
    assert!(message.contains("line 1") && message.contains("`Total`"), "{message}");
}

#[test]
fn non_numeric_personnel_names_line_and_column() {
    let message = import_error("bad-total.csv", &small_un().replace("0,590,590", "0,590,many"));
    assert!(message.contains(":7: column `Total`") && message.contains("`many`"), "{message}");
}

#[test]
fn unknown_country_and_mission_are_named() {
    let text = small_un().replace("\"Senegal\",\"MINUSMA\",0,600", "\"Senegall\",\"MINUSMA\",0,600").replace("\"UNMISS\",1,20", "\"UNMISX\",1,20");
    let message = import_error("unknown.csv", &text);
    assert!(message.contains(":3: column `Country`: unknown country `Senegall`") && message.contains("Senegal"), "{message}");
    assert!(message.contains(":8: column `Mission`: unknown mission `UNMISX`"), "{message}");
}

#[test]
fn bad_unit_size_in_geo_pko_names_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("geo-bad.csv");
    let text = fs::read_to_string(source_fixture("peacekeeping", "peacekeeping-geo-small.csv")).unwrap().replace("China (35)", "China (about 35)");
    fs::write(&path, text).unwrap();
    let message = peacekeeping::import(&[path], dir.path()).unwrap_err().to_string();
    assert!(message.contains("geo-bad.csv:4: column `year.overview`") && message.contains("`about 35`"), "{message}");
    assert!(!dir.path().join(peacekeeping::TABLE).exists());
}

fn evaluation_with(table: bool) -> mdime::Evaluation {
    let dir = datasets_with_arms_table();
    if table {
        for name in ["peacekeeping.csv", "peacekeeping.provenance.toml"] {
            fs::copy(imported_pk().0.path().join(name), dir.path().join(name)).unwrap();
        }
    }
    mdime::evaluate(&crate::run::args(dir.path()).validate().unwrap()).unwrap()
}

#[test]
fn m2_is_rated_when_the_table_is_present_and_not_assessed_without_it() {
    let level = |e: &mdime::Evaluation, b: &str, r: &str| {
        e.assessments.iter().find(|a| a.benefactor == b && a.recipient == r && a.instrument == Some(Instrument::M2)).unwrap().current
    };
    let without = evaluation_with(false);
    assert!(without.assessments.iter().filter(|a| a.instrument == Some(Instrument::M2)).all(|a| a.current == CurrentLevel::NotAssessed));
    let with = evaluation_with(true);
    // Brazil hosts no mission: covered, and nothing seen.
    assert_eq!(level(&with, "CHN", "BRA"), CurrentLevel::Unobserved);
    assert!(!with.indicators.sources_covering("CHN", "BRA", Instrument::M2).is_empty());
    assert!(level(&with, "CHN", "SSD") >= CurrentLevel::Medium, "China's battalion in UNMISS");
    assert!(level(&with, "RUS", "SSD") >= CurrentLevel::VeryLow, "Russia's officers in UNMISS");
    // The yearly indicator is the table's figure; the window's mean is their mean over the covered years.
    let (_, report) = imported_pk();
    let yearly: Vec<f64> = with
        .indicators
        .values
        .iter()
        .filter(|v| v.benefactor == "CHN" && v.recipient == "MLI" && v.indicator == "peacekeepers")
        .map(|v| v.value)
        .collect();
    let from_table: Vec<f64> = (2012..=2024)
        .map(|y| report.rows.iter().filter(|r| r.contributor_iso3 == "CHN" && r.host_iso3 == "MLI" && r.year == y).filter_map(|r| r.personnel).map(f64::from).sum())
        .collect();
    assert_eq!(yearly, from_table);
    let mean = with.indicators.window_value("CHN", "MLI", Instrument::M2, "mean_peacekeepers").unwrap();
    assert!((mean - from_table.iter().sum::<f64>() / 13.0).abs() < 1e-5);
    assert_eq!(with.indicators.window_value("CHN", "MLI", Instrument::M2, "present_latest_year"), Some(0.0), "MINUSMA closed in 2023");
    assert_eq!(with.indicators.window_value("CHN", "SSD", Instrument::M2, "present_latest_year"), Some(1.0));
}

#[test]
fn an_ipi_date_must_be_a_real_calendar_day() {
    // The real China file with three of its dates made impossible: a 30 February, a month 13, and a
    // year before peacekeeping; each is named with its line, and the real file is read.
    let real = fs::read_to_string(&ipi_files()[0]).unwrap();
    let lines: Vec<&str> = real.lines().collect();
    let at = |date: &str| lines.iter().position(|l| l.starts_with(date)).unwrap_or_else(|| panic!("China.csv has {date}"));
    let mut changed: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    for (date, bad) in [("2013-02-28", "2013-02-30"), ("2013-03-31", "2013-13-31"), ("2013-04-30", "1913-04-30")] {
        changed[at(date)] = changed[at(date)].replacen(date, bad, 1);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("China.csv");
    fs::write(&path, changed.join("\n") + "\n").unwrap();
    let message = peacekeeping::import(&[un_file(), path], dir.path()).unwrap_err().to_string();
    for (date, bad) in [("2013-02-28", "expected a calendar date `YYYY-MM-DD`, found `2013-02-30`"), ("2013-03-31", "expected a calendar date `YYYY-MM-DD`, found `2013-13-31`"), ("2013-04-30", "1913-04-30 is outside 1948 to 2100")] {
        let expected = format!("China.csv:{}: column `Date`: {bad}", at(date) + 1);
        assert!(message.contains(&expected), "{expected} in {message}");
    }
    assert!(!dir.path().join(peacekeeping::TABLE).exists());
}
