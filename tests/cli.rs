use predicates::prelude::*;

use crate::common::*;

#[test]
fn help_teaches_each_command() {
    mdime().arg("--help").assert().success().stdout(predicate::str::contains("import").and(predicate::str::contains("run")).and(predicate::str::contains("assess")));
    mdime().args(["import", "sipri", "--help"]).assert().success().stdout(predicate::str::contains("split evenly"));
    mdime().args(["import", "peacekeeping", "--help"]).assert().success().stdout(predicate::str::contains("under-counted"));
    mdime().args(["import", "trade", "--help"]).assert().success().stdout(predicate::str::contains("--own-report").and(predicate::str::contains("mirror")));
    mdime().args(["run", "--help"]).assert().success().stdout(predicate::str::contains("--as-of").and(predicate::str::contains("--benefactor")));
    mdime().args(["assess", "--help"]).assert().success().stdout(predicate::str::contains("--recipient"));
}

#[test]
fn run_writes_the_tables_and_a_summary() {
    let out = tempfile::tempdir().unwrap();
    // Every format but PNG, whose rasterising takes most of an unoptimised run's time: the batch layout
    // test (render.rs) draws the PNGs of a region's recipients.
    mdime()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--format", "csv,svg,html,md", "--output"])
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("2 benefactor(s) × 121 recipient(s), window 2012-").and(predicate::str::contains("E1 China"))
            .and(predicate::str::is_match(r"wrote \d+ files under .*: 6 csv, 122 html, 1 json, 122 md, \d+ svg\n").unwrap())
            .and(predicate::str::contains("3146 ratings of 121 recipients")));
    let assessments = std::fs::read_to_string(out.path().join("assessments.csv")).unwrap();
    assert!(assessments.starts_with("benefactor,recipient,iso3,region,instrument,instrument_name,current,projected,confidence,score"));
    assert!(assessments.contains("China,Pakistan,PAK,South Asia,E1,Arms transfers,Very High,"));
    let indicators = std::fs::read_to_string(out.path().join("indicators.csv")).unwrap();
    assert!(indicators.starts_with("benefactor,recipient,iso3,instrument,indicator,period,first_year,last_year,value,unit,source,evidence_ids\n"));
    let mut reader = csv::Reader::from_reader(indicators.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (instrument, indicator, source) = (column("instrument"), column("indicator"), column("source"));
    for record in reader.records().map(Result::unwrap) {
        let from = |list: &[(mdime::domain::Instrument, &str)]| list.iter().any(|(_, name)| *name == &record[indicator]);
        let expected: &[&str] = if record[indicator].starts_with("evidence_") {
            &["mdime evidence logs"]
        } else if from(mdime::sources::presence::indicators::INDICATORS) && record[source].contains("presence") {
            &[mdime::sources::presence::SOURCE]
        } else if from(mdime::sources::agreements::indicators::INDICATORS) {
            &[mdime::sources::agreements::SOURCE]
        } else if from(mdime::sources::outreach::indicators::INDICATORS) && record[source].contains("outreach") {
            &[mdime::sources::outreach::SOURCE]
        } else if mdime::sources::events::indicators::INDICATOR_NAMES.contains(&&record[indicator]) {
            &[mdime::sources::events::indicators::SOURCE_LABEL]
        } else if from(mdime::sources::public_diplomacy::indicators::INDICATORS) {
            &["AidData China Public Diplomacy dataset v2.0"]
        } else if from(mdime::sources::official_finance::indicators::INDICATORS) {
            &["AidData Global Chinese Official Finance Dataset v1.0"]
        } else if from(mdime::sources::unga::indicators::INDICATORS) {
            &["Bailey, Strezhnev & Voeten UN General Assembly ideal points"]
        } else if from(mdime::sources::borderlands::indicators::INDICATORS) {
            &["NBR/AidData Mapping China's Borderlands"]
        } else if from(mdime::sources::student_flows::indicators::INDICATORS) {
            &["UNESCO UIS student flows"]
        } else if from(mdime::sources::students::indicators::INDICATORS) {
            &["China Ministry of Education"]
        } else if from(mdime::sources::state_media::indicators::INDICATORS) {
            &["CANIS PRC state media accounts"]
        } else if from(mdime::sources::confucius::indicators::INDICATORS) {
            &["Confucius Institutes listed by bridash"]
        } else if from(mdime::sources::development_finance::indicators::INDICATORS) {
            &["AidData GCDF 3.0"]
        } else if &record[instrument] == "E3" {
            &["IMF Direction of Trade Statistics", "UN Comtrade"]
        } else if &record[instrument] == "M1" || &record[indicator] == "multilateral_exercises" {
            &["Russian Ministry of Defence, joint exercises 2009-2018"]
        } else if &record[instrument] == "M2" {
            &["Geo-PKO v2.3 1994-2024; UN peacekeeping contributions 2010-2021"]
        } else if &record[instrument] == "M3" {
            &["ATOP v5.1 alliance obligations 1815-2018"]
        } else if record[indicator].contains("embargo") {
            &["SIPRI arms embargo archive"]
        } else {
            &["SIPRI Arms Transfers Database"]
        };
        assert!(expected.iter().any(|e| record[source].contains(e)), "every row names its source: {record:?}");
    }
    assert!(indicators.contains("mdime evidence logs"), "evidence-based indicators are exported");
    assert!(assessments.contains("China,South Sudan,SSD,Africa,M2,"), "the committed peacekeeping table is picked up");
    // The rating's window values cover the current years; the yearly values the whole window.
    assert!(indicators.contains("China,Pakistan,PAK,E3,share_of_trade,year,2012,2012,"));
    assert!(indicators.contains("China,Pakistan,PAK,E1,share_of_arms_imports,window,2021,"));
}

#[test]
fn outputs_are_identical_whatever_the_thread_count() {
    let outputs: Vec<Vec<Vec<u8>>> = ["1", "2"]
        .iter()
        .map(|threads| {
            let out = tempfile::tempdir().unwrap();
            mdime()
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .env("POLARS_MAX_THREADS", threads)
                .args(["run", "--format", "csv,parquet", "--output"])
                .arg(out.path())
                .assert()
                .success();
            ["indicators", "assessments", "coverage", "projections"]
                .iter()
                .flat_map(|t| [format!("{t}.csv"), format!("{t}.parquet")])
                .map(|f| std::fs::read(out.path().join(f)).unwrap())
                .collect()
        })
        .collect();
    assert!(outputs[0] == outputs[1]);
}

#[test]
fn assess_prints_the_pair_table() {
    mdime()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["assess", "--benefactor", "China", "--recipient", "Pakistan"])
        .assert()
        .success()
        .stdout(predicate::str::contains("China in Pakistan (PAK)").and(predicate::str::is_match(r"E1\s+Arms transfers\s+Very High").unwrap()));
}

#[test]
fn errors_exit_nonzero_with_a_message_and_no_output() {
    let out = tempfile::tempdir().unwrap();
    mdime()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--recipient", "Wakanda", "--output"])
        .arg(out.path())
        .assert()
        .failure()
        .stderr(predicate::str::starts_with("error: --recipient: unknown country `Wakanda`"));
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
    mdime()
        .args(["import", "sipri", "/nonexistent/register.csv", "--datasets"])
        .arg(out.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains("cannot read /nonexistent/register.csv"));
}

#[test]
fn explain_shows_numbers_thresholds_sources_and_margins() {
    let output = mdime().current_dir(env!("CARGO_MANIFEST_DIR")).args(["explain", "China", "Pakistan", "E1"]).output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    // The share over the years the current level describes, the last five to the as-of year.
    let share = format!("share_of_arms_imports = {:.3}", raw_share(&raw_register_records(), "China", "Pakistan", 2021..=2025));
    for expected in [
        "E1 Arms transfers — China in Pakistan",
        "rating: Very High",
        share.as_str(),
        "thresholds 0.050 | 0.150 | 0.350 | 0.600 → 4 of 4 crossed → Very High",
        "what would change it: below 0.600 it drops to High; it is at the top of the scale",
        "tiv_delivered",
        "SIPRI Arms Transfers Database",
        "evidence (",
        "https://",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
    assert!(!text.contains("D1 Defense"), "only the instrument asked for");
    mdime()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["explain", "China", "Pakistan", "Z9"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("unknown instrument `Z9`"));
}

#[test]
fn sensitivity_reports_which_ratings_survive_moved_thresholds() {
    let out = tempfile::tempdir().unwrap();
    // The tables alone: the charts and reports are the default run's to test.
    let assert =
        mdime().current_dir(env!("CARGO_MANIFEST_DIR")).args(["run", "--sensitivity", "--format", "csv", "--output"]).arg(out.path()).assert().success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let share: f64 = stdout
        .lines()
        .find_map(|l| l.strip_prefix("stable under ±20% thresholds: "))
        .and_then(|l| l.split('%').next())
        .and_then(|n| n.parse().ok())
        .expect("the summary gives the stable share");
    let mut reader = csv::Reader::from_path(out.path().join("sensitivity.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let assessed: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[3] != "Not assessed").collect();
    let stable = assessed.iter().filter(|r| &r[6] == "true").count();
    assert!((share - 100.0 * stable as f64 / assessed.len() as f64).abs() < 0.05, "{share}");
    for r in &rows {
        assert_eq!(&r[6] == "true", r[3] == r[4] && r[3] == r[5], "{r:?}");
    }
    let china_pakistan = rows.iter().find(|r| &r[0] == "China" && &r[1] == "PAK" && &r[2] == "E1").unwrap();
    assert_eq!(&china_pakistan[6], "true", "a 75% share is Very High whatever ±20% does to the 60% threshold");
}

/// The arguments the committed showcase under `reports/sahel/` was made with (see reports/README.md).
const SHOWCASE: [&str; 11] =
    ["run", "--as-of", "2025", "--recipient", "Mali", "--recipient", "Burkina Faso", "--recipient", "Niger", "--format", "csv,svg,html,md"];

#[test]
fn the_committed_sahel_showcase_is_up_to_date() {
    let out = tempfile::tempdir().unwrap();
    mdime().current_dir(env!("CARGO_MANIFEST_DIR")).args(SHOWCASE).arg("--output").arg(out.path()).assert().success();
    let committed = run_files(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("reports/sahel"));
    let fresh = run_files(out.path());
    assert!(fresh.len() > 50, "{} files", fresh.len());
    let stale: Vec<String> = fresh.iter().filter(|(path, bytes)| committed.get(*path) != Some(bytes)).map(|(path, _)| path.display().to_string()).collect();
    assert!(stale.is_empty(), "reports/sahel/ is stale; re-run `mdime {} --output reports/sahel`: {stale:?}", SHOWCASE.join(" "));
}
