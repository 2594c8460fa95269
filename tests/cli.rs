use predicates::prelude::*;

use crate::common::*;

#[test]
fn help_teaches_each_command() {
    mdime().arg("--help").assert().success().stdout(predicate::str::contains("import").and(predicate::str::contains("run")).and(predicate::str::contains("assess")));
    mdime().args(["import", "sipri", "--help"]).assert().success().stdout(predicate::str::contains("split evenly"));
    mdime().args(["run", "--help"]).assert().success().stdout(predicate::str::contains("--as-of").and(predicate::str::contains("--benefactor")));
    mdime().args(["assess", "--help"]).assert().success().stdout(predicate::str::contains("--recipient"));
}

#[test]
fn run_writes_the_tables_and_a_summary() {
    let out = tempfile::tempdir().unwrap();
    mdime()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--output"])
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("2 benefactor(s) × 121 recipient(s), window 2012-2024").and(predicate::str::contains("E1 China"))
            .and(predicate::str::is_match(r"wrote \d+ files under .*: 3 csv, 122 html, 122 md, \d+ png, \d+ svg").unwrap())
            .and(predicate::str::contains("3146 ratings of 121 recipients")));
    let assessments = std::fs::read_to_string(out.path().join("assessments.csv")).unwrap();
    assert!(assessments.starts_with("benefactor,recipient,iso3,region,instrument,instrument_name,current,projected,confidence,score"));
    assert!(assessments.contains("China,Pakistan,PAK,South Asia,E1,Arms transfers,Very High,"));
    let indicators = std::fs::read_to_string(out.path().join("indicators.csv")).unwrap();
    assert!(indicators.starts_with("benefactor,recipient,iso3,instrument,indicator,period,first_year,last_year,value,unit,source\n"));
    assert!(indicators.lines().skip(1).all(|l| l.contains("SIPRI Arms Transfers Database")), "every row names its source");
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
                .args(["run", "--format", "csv", "--output"])
                .arg(out.path())
                .assert()
                .success();
            ["indicators.csv", "assessments.csv", "coverage.csv"].iter().map(|f| std::fs::read(out.path().join(f)).unwrap()).collect()
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
