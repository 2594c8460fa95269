//! Any benefactor, groups of recipients with dated membership, and three-way comparisons.

use std::fs;

use mdime::domain::Instrument;

use crate::common::*;

#[test]
fn the_united_states_share_of_a_recipients_arms_imports_is_the_registers() {
    let raw = raw_register_records();
    let expected = raw_share(&raw, "United States", "Niger", 2012..=2021);
    // Any benefactor that datasets/benefactors.csv lists (the United States is listed, not run by default).
    let datasets = datasets_with_arms_table();
    fs::copy(repo_datasets().join("benefactors.csv"), datasets.path().join("benefactors.csv")).unwrap();
    let mut args = crate::run::args(datasets.path());
    args.benefactors = vec!["China".into(), "Russia".into(), "United States".into()];
    args.recipients = vec!["Niger".into()];
    args.as_of = Some(2021);
    let evaluation = mdime::evaluate(&args.validate().unwrap()).unwrap();
    let share = evaluation.indicators.window_value("USA", "NER", Instrument::E1, "share_of_arms_imports").unwrap();
    assert!((share - expected).abs() < 1e-6, "{share} vs {expected}");
    assert!(share > 0.2, "the United States supplied Niger's forces in 2012-2021: {share}");
}

#[test]
fn a_benefactor_the_configuration_does_not_list_is_refused_with_the_ones_it_does() {
    let refused = mdime().current_dir(env!("CARGO_MANIFEST_DIR")).args(["assess", "--benefactor", "Japan", "--recipient", "Mali"]).assert().failure();
    let message = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(message.contains("--benefactor: Japan is not in") && message.contains("China, Russia, United States"), "{message}");
}

#[test]
fn a_group_is_its_members_on_the_assessment_date() {
    let run = |as_of: &str, group: &str| mdime().current_dir(env!("CARGO_MANIFEST_DIR")).args(["assess", "--as-of", as_of, "--group", group]).assert();
    let refused = run("2022", "AES").failure();
    let message = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(message.contains("--group: AES had no members at the end of 2022 (its first members joined on 2023-09-16)"), "{message}");
    // Mali, Burkina Faso and Niger left ECOWAS on 29 January 2025.
    let members = |as_of: &str| {
        let out = run(as_of, "ECOWAS").success();
        String::from_utf8_lossy(&out.get_output().stdout).to_string()
    };
    let (in_2024, in_2025) = (members("2024"), members("2025"));
    for member in ["(MLI)", "(BFA)", "(NER)"] {
        assert!(in_2024.contains(member) && !in_2025.contains(member), "{member}");
    }
    assert!(in_2025.contains("(SEN)") && in_2025.contains("(NGA)"));
}

#[test]
fn a_three_way_group_comparison_writes_its_tables_charts_and_page() {
    let out = tempfile::tempdir().unwrap();
    mdime()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--benefactor", "China", "--benefactor", "Russia", "--benefactor", "United States", "--group", "AES"])
        .args(["--versus", "Russia,United States", "--format", "csv,svg,html,md", "--output"])
        .arg(out.path())
        .assert()
        .success();
    let assessments = fs::read_to_string(out.path().join("assessments.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(assessments.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let recipients: std::collections::BTreeSet<&str> = rows.iter().map(|r| &r[2]).collect();
    assert_eq!(recipients, ["BFA", "MLI", "NER"].into());
    // The United States is assessed wherever a source covers it: arms (SIPRI), trade (DOTS),
    // peacekeeping (UN, Geo-PKO), licensed production (SIPRI).
    for instrument in ["E1", "E2", "E3", "M2"] {
        let us: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[0] == "United States" && &r[4] == instrument).collect();
        assert_eq!(us.len(), 3);
        assert!(us.iter().all(|r| &r[6] != "Not assessed"), "{instrument}: {us:?}");
    }
    let groups = fs::read_to_string(out.path().join("groups.csv")).unwrap();
    assert!(groups.lines().any(|l| l.starts_with("AES,2025-12-31,3,United States,E1,3,")), "{groups}");
    let totals = fs::read_to_string(out.path().join("group-totals.csv")).unwrap();
    // The group's trade with China is the sum of the members' (the run's own indicators).
    let indicators = fs::read_to_string(out.path().join("indicators.csv")).unwrap();
    let member_trade: f64 = indicators
        .lines()
        .filter(|l| l.starts_with("China,") && l.contains(",E3,trade_total,window,"))
        .map(|l| l.split(',').nth(8).unwrap().parse::<f64>().unwrap())
        .sum();
    let group_trade: f64 = totals.lines().find(|l| l.starts_with("AES,2025-12-31,China,E3,trade_total,")).unwrap().split(',').nth(5).unwrap().parse().unwrap();
    assert!((member_trade - group_trade).abs() < 1e-3, "{member_trade} vs {group_trade}");
    for file in ["groups/AES.html", "groups/AES.md", "charts/group-AES-leads.svg", "charts/heatmap-RUS-minus-USA.svg", "charts/heatmap-USA.svg"] {
        assert!(out.path().join(file).is_file(), "{file}");
    }
    let index = fs::read_to_string(out.path().join("index.md")).unwrap();
    assert!(index.contains("[AES](groups/AES.md)"), "the index links the group page");
    // Each benefactor keeps its colour from datasets/benefactors.csv in every chart.
    let instruments = fs::read_to_string(out.path().join("charts/MLI-instruments.svg")).unwrap();
    for colour in ["#D55E00", "#0072B2", "#009E73"] {
        assert!(instruments.to_uppercase().contains(colour), "{colour}");
    }
}

/// `datasets/groups.csv`'s first lines (header and the three AES spells) with `more` after them, in a
/// datasets folder of its own, loaded.
fn groups_with(more: &[&str]) -> mdime::Result<Vec<mdime::domain::Group>> {
    let dir = tempfile::tempdir().unwrap();
    let committed = fs::read_to_string(repo_datasets().join("groups.csv")).unwrap();
    let mut lines: Vec<&str> = committed.lines().take(4).collect();
    lines.extend(more);
    fs::write(dir.path().join("groups.csv"), lines.join("\n") + "\n").unwrap();
    mdime::ingest::groups::load(dir.path())
}

#[test]
fn a_member_given_the_same_or_overlapping_spells_in_a_group_is_refused_with_its_place() {
    let source = "https://example.org/x,x";
    let committed = groups_with(&[]).unwrap();
    assert_eq!(committed[0].spells.len(), 3);
    // Line 5 repeats line 2 (Burkina Faso in AES from 16 September 2023).
    let error = groups_with(&[&format!("AES,AES,BFA,member,2023-09-16,,again,{source}")]).unwrap_err().to_string();
    assert!(error.contains("groups.csv:5: column `start`: the same membership of BFA in AES as line 2"), "{error}");
    // Two spells of Mali that share 2024: the second starts before the first (open) one ends.
    let error = groups_with(&[&format!("AES,AES,MLI,member,2020-01-01,2024-06-01,earlier,{source}")]).unwrap_err().to_string();
    assert!(error.contains("groups.csv:5: column `start`: overlaps the membership of MLI in AES on line 3 (from 2023-09-16)"), "{error}");
    // Spells that meet without sharing a day, a suspension inside a membership, and another group's
    // spell of the same member are all accepted.
    let accepted = groups_with(&[
        &format!("AES,AES,NER,member,2020-01-01,2023-09-16,before,{source}"),
        &format!("AES,AES,NER,suspended,2024-01-01,2024-02-01,inside,{source}"),
        &format!("ECOWAS,ECOWAS,NER,member,1975-05-28,2025-01-29,other group,{source}"),
    ])
    .unwrap();
    assert_eq!(accepted.iter().map(|g| g.spells.len()).sum::<usize>(), 6);
}
