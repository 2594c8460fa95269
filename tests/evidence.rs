use std::fs;
use std::path::Path;

use mdime::domain::{CurrentLevel, Instrument};
use mdime::sources::evidence::{self, EventDate};

use crate::common::*;

const HEADER: &str = "id,date,benefactor,recipient,instrument,event_type,magnitude,unit,effective_date,confidence,summary,source_title,source_publisher,source_date,source_url";
const GOOD: &str = "T-RUS-001,2022-05-10,Russia,MLI,M1,pmc_deployment,1000,personnel,,high,Private military company deployed,A title,A publisher,2022-05,https://example.org/a";
const TODAY: EventDate = EventDate { year: 2026, month: Some(11), day: Some(25) };

fn logs(rows: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("evidence")).unwrap();
    let text = std::iter::once(HEADER).chain(rows.iter().copied()).collect::<Vec<_>>().join("\n") + "\n";
    fs::write(dir.path().join("evidence/TEST.csv"), text).unwrap();
    dir
}

fn problems(rows: &[&str]) -> String {
    let dir = logs(rows);
    evidence::load(dir.path(), TODAY).expect_err("defective log refused").to_string()
}

#[test]
fn shipped_logs_are_valid_and_every_row_is_cited() {
    let events = evidence::load(&repo_datasets(), EventDate::today()).expect("the shipped logs validate");
    assert!(events.len() > 300, "{} events", events.len());
    for e in &events {
        assert!(!e.source_title.is_empty() && e.source_url.starts_with("http"), "{} lacks a source", e.id);
    }
    for code in ["MLI", "BFA", "NER", "CAF", "SDN", "EGY", "DZA", "VEN", "PAK", "MMR"] {
        for benefactor in ["CHN", "RUS"] {
            let n = events.iter().filter(|e| e.recipient == code && e.benefactor == benefactor).count();
            assert!(n >= 5, "{benefactor} in {code}: {n} events");
        }
    }
}

#[test]
fn a_good_row_parses() {
    let dir = logs(&[GOOD]);
    let events = evidence::load(dir.path(), TODAY).unwrap();
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!((e.benefactor.as_str(), e.recipient.as_str(), e.instrument, e.line), ("RUS", "MLI", Instrument::M1, 2));
    assert_eq!(e.magnitude, Some((1000.0, "personnel".to_string())));
}

#[test]
fn each_kind_of_defect_is_named_by_file_line_and_field() {
    let cases: &[(&str, &str)] = &[
        (&GOOD.replace("Private military company deployed", ""), ":2: column `summary`: required"),
        (&GOOD.replace(",MLI,", ",Narnia,"), ":2: column `recipient`: `Narnia` is not a known country"),
        (&GOOD.replace(",M1,", ",M7,"), ":2: column `instrument`: unknown instrument `M7`"),
        (&GOOD.replace("pmc_deployment", "state_visit"), ":2: column `event_type`: `state_visit` is not an event type of M1"),
        (&GOOD.replace("2022-05-10", "2022-13-01"), ":2: column `date`: `2022-13-01` is not a date"),
        (&GOOD.replace("2022-05-10", "2022-02-30"), ":2: column `date`: `2022-02-30` is not a date"),
        (&GOOD.replace("1000,personnel", "1k,personnel"), ":2: column `magnitude`: `1k` is not a number from 0 to"),
        (&GOOD.replace("1000,personnel", "1000,"), ":2: column `unit`"),
        (&GOOD.replace("1000,personnel", "1000,soldiers"), ":2: column `unit`: `soldiers` is not a unit"),
        (&GOOD.replace("2022-05-10", "2030-01-01"), ":2: column `date`: 2030-01-01 is outside"),
        (&GOOD.replace("2022-05-10", "1975"), ":2: column `date`: 1975 is outside"),
        (&GOOD.replace("https://example.org/a", "example.org/a"), ":2: column `source_url`: `example.org/a` is not an http(s) URL"),
        (&GOOD.replace(",high,", ",certain,"), ":2: column `confidence`: `certain`"),
    ];
    for (row, expected) in cases {
        let message = problems(&[row]);
        assert!(message.contains("TEST.csv") && message.contains(expected), "expected `{expected}` in:\n{message}");
    }
}

#[test]
fn duplicates_and_missing_columns_are_refused() {
    let same_id = GOOD.replace("2022-05-10", "2023-01-01");
    let message = problems(&[GOOD, &same_id]);
    assert!(message.contains(":3: column `id`: `T-RUS-001` is already used at"), "{message}");
    let same_event = GOOD.replace("T-RUS-001", "T-RUS-002");
    let message = problems(&[GOOD, &same_event]);
    assert!(message.contains(":3: column `event_type`: the same event as `T-RUS-001`"), "{message}");

    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("evidence")).unwrap();
    fs::write(dir.path().join("evidence/NOURL.csv"), HEADER.replace(",source_url", "") + "\n").unwrap();
    let message = evidence::load(dir.path(), TODAY).unwrap_err().to_string();
    assert!(message.contains("NOURL.csv:1: column `source_url`: missing from the header"), "{message}");
}

/// A datasets folder with the real arms table and the given evidence rows.
fn datasets_with(rows: &[&str]) -> tempfile::TempDir {
    let dir = logs(rows);
    copy_arms_table(dir.path());
    dir
}

fn evaluate(datasets: &Path, recipient: &str, as_of: i32) -> mdime::Evaluation {
    let mut args = crate::run::args(datasets);
    args.recipients = vec![recipient.into()];
    args.as_of = Some(as_of);
    mdime::evaluate(&args.validate().unwrap()).unwrap()
}

#[test]
fn events_score_by_documented_weights_and_keep_their_ids() {
    let visit = "T-RUS-002,2021-09,Russia,MLI,D1,head_of_state_visit,,,,medium,A visit,T,P,2021,https://example.org/b";
    let delegation = "T-RUS-003,2023,Russia,MLI,D1,delegation_visit,,,,low,A delegation,T,P,2023,https://example.org/c";
    let later = "T-RUS-004,2024,Russia,MLI,D1,head_of_state_visit,,,,high,After the as-of year,T,P,2024,https://example.org/d";
    let dir = datasets_with(&[GOOD, visit, delegation, later]);
    let e = evaluate(dir.path(), "Mali", 2023);
    // PMC: weight 4 × (1 + log10(1000/100)) × 1.0 = 8; visit 3 × 0.75; delegation 1 × 0.5. The 2024 visit
    // is after the as-of year and must not count.
    let m1 = e.indicators.window_value("RUS", "MLI", Instrument::M1, "evidence_score").unwrap();
    assert!((m1 - 8.0).abs() < 1e-9, "{m1}");
    let d1 = e.indicators.window_value("RUS", "MLI", Instrument::D1, "evidence_score").unwrap();
    assert!((d1 - 2.75).abs() < 1e-9, "{d1}");
    let d1_value = e.indicators.values.iter().find(|v| v.instrument == Instrument::D1 && v.indicator == "evidence_score" && matches!(v.period, mdime::indicators::Period::Window(..))).unwrap();
    assert_eq!(d1_value.evidence_ids, ["T-RUS-002", "T-RUS-003"]);
    let rating = |i: Instrument| e.assessments.iter().find(|a| a.benefactor == "RUS" && a.instrument == Some(i)).unwrap().clone();
    assert_eq!(rating(Instrument::M1).current, CurrentLevel::Low, "8 is under the Medium threshold, 8.7");
    assert_eq!(rating(Instrument::D1).current, CurrentLevel::Low);
    assert_eq!(rating(Instrument::D1).evidence_ids, ["T-RUS-002", "T-RUS-003"]);
    // China was not researched in Mali here: its D1 is Not assessed, never Unobserved.
    let china_d1 = e.assessments.iter().find(|a| a.benefactor == "CHN" && a.instrument == Some(Instrument::D1)).unwrap();
    assert_eq!(china_d1.current, CurrentLevel::NotAssessed);
}

#[test]
fn researched_and_found_nothing_is_unobserved() {
    let none = "T-CHN-001,2024,China,MLI,I3,no_activity_found,,,,medium,Searched for intelligence cooperation,T,P,2024,https://example.org/e";
    let dir = datasets_with(&[none]);
    let e = evaluate(dir.path(), "Mali", 2024);
    let i3 = e.assessments.iter().find(|a| a.benefactor == "CHN" && a.instrument == Some(Instrument::I3)).unwrap();
    assert_eq!(i3.current, CurrentLevel::Unobserved);
}

#[test]
fn run_refuses_defective_logs_and_writes_nothing() {
    let bad = GOOD.replace(",MLI,", ",Narnia,");
    let dir = datasets_with(&[&bad]);
    let out = tempfile::tempdir().unwrap();
    mdime()
        .args(["run", "--datasets"])
        .arg(dir.path())
        .arg("--output")
        .arg(out.path())
        .assert()
        .failure()
        .stderr(predicates::str::contains("TEST.csv:2: column `recipient`: `Narnia` is not a known country"));
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn a_log_saved_in_latin_1_is_refused_with_the_line_of_its_first_bad_byte_and_how_to_convert_it() {
    // The real Egypt log re-saved by a spreadsheet in Latin-1: its first accented letter is on the line
    // found here independently.
    let original = fs::read_to_string(repo_datasets().join("evidence/EGY.csv")).unwrap();
    let line = original.lines().position(|l| !l.is_ascii()).expect("the Egypt log has an accented letter") + 1;
    let latin1: Vec<u8> = original.chars().map(|c| u8::try_from(u32::from(c)).expect("Latin-1 covers the Egypt log")).collect();
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("evidence")).unwrap();
    let path = dir.path().join("evidence/EGY.csv");
    fs::write(&path, &latin1).unwrap();
    let message = evidence::load(dir.path(), TODAY).unwrap_err().to_string();
    let expected = format!("{}: line {line}: not valid UTF-8", path.display());
    assert!(message.starts_with(&expected) && message.contains("must be UTF-8") && message.contains("iconv -f latin1 -t utf-8 EGY.csv"), "{message}");
}

#[test]
fn an_id_with_a_space_and_a_benefactor_as_its_own_recipient_are_refused_with_their_place() {
    let message = problems(&[&GOOD.replace("T-RUS-001", "T-RUS 001")]);
    assert!(message.contains("TEST.csv:2: column `id`: `T-RUS 001` has white space; ids are one word"), "{message}");
    for recipient in ["RUS", "Russian Federation"] {
        let message = problems(&[&GOOD.replace(",Russia,MLI,", &format!(",Russia,{recipient},"))]);
        assert!(message.contains("TEST.csv:2: column `recipient`: RUS is also the benefactor"), "{message}");
    }
    // Türkiye is both a benefactor and a tracked recipient: Russia in Türkiye is a pair, Türkiye in itself not.
    let in_turkey = GOOD.replace(",Russia,MLI,", ",Russia,TUR,");
    evidence::load(logs(&[&in_turkey]).path(), TODAY).expect("Russia in Türkiye is a pair");
    let message = problems(&[&GOOD.replace(",Russia,MLI,", ",Turkey,TUR,")]);
    assert!(message.contains("TEST.csv:2: column `recipient`: TUR is also the benefactor"), "{message}");
}
