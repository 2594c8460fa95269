//! Strategic commodities (E3 context): the HS extracts imported, and each benefactor's share of a
//! recipient's exports checked against the raw workbooks read with calamine alone.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use calamine::Data;
use mdime::sources::commodities::indicators::{CommodityShare, ShareStatus};

use crate::common::*;

fn hs_file(name: &str) -> PathBuf {
    let folder = if name.contains("comtrade.xlsx") { "gold-comtrade-burkina-faso-algeria" } else { "cipf-comtrade-top-products" };
    shared_data().join("trade/hs").join(folder).join(name)
}

const ANGOLA: &str = "Angola_2.3_exports_products_partners_HS-AG6-2003-2025_reverse.xlsx";
const CHINA: &str = "China_3.3_imports_products_partners_HS-AG6-2014-2025.xlsx";

fn number(row: &BTreeMap<String, Data>, column: &str) -> f64 {
    match &row[column] {
        Data::Float(x) => *x,
        Data::Int(n) => *n as f64,
        other => panic!("{column}: {other:?}"),
    }
}

fn text(row: &BTreeMap<String, Data>, column: &str) -> String {
    row[column].to_string().trim().to_string()
}

/// The buyer's purchases of Angolan crude in a year and the total over all buyers, from the raw sheet.
fn raw_angolan_crude(buyer: &str, year: i32) -> Option<(f64, f64)> {
    raw_sheet(&hs_file(ANGOLA))
        .iter()
        .find(|r| number(r, "refYear") as i32 == year && text(r, "cmdCode") == "270900" && text(r, "reporterDesc") == buyer)
        .map(|r| (number(r, "cmd_partner_sum"), number(r, "cmd_partner_upper_sum")))
}

fn evaluate_angola(as_of: i32) -> Vec<CommodityShare> {
    let mut args = crate::run::args(&repo_datasets());
    args.benefactors = vec!["China".into(), "Russia".into(), "United States".into()];
    args.recipients = vec!["Angola".into()];
    args.as_of = Some(as_of);
    let evaluation = mdime::evaluate(&args.validate().unwrap()).unwrap();
    evaluation.indicators.strategic_exports.shares.into_iter().filter(|s| s.commodity == "crude_oil").collect()
}

#[test]
fn angolas_crude_to_china_against_the_united_states_is_the_buyers_report() {
    // SOURCES.md: crude 2012, China 33.4 bn (rank 1), USA 9.5 bn (rank 2).
    let (china_2012, total_2012) = raw_angolan_crude("China", 2012).unwrap();
    let (usa_2012, _) = raw_angolan_crude("USA", 2012).unwrap();
    assert!((china_2012 / 1e9 - 33.4).abs() < 0.05 && (usa_2012 / 1e9 - 9.5).abs() < 0.05, "{china_2012} {usa_2012}");
    let shares = evaluate_angola(2012);
    let of = |iso3: &str| shares.iter().find(|s| s.benefactor == iso3).unwrap_or_else(|| panic!("{iso3}: {shares:?}"));
    for (iso3, bought) in [("CHN", china_2012), ("USA", usa_2012)] {
        let share = of(iso3);
        assert_eq!((share.year, share.status), (2012, ShareStatus::Share));
        assert_eq!(share.exports_to_benefactor_usd, Some(bought));
        assert!((share.share.unwrap() - bought / total_2012).abs() < 1e-6, "{share:?}");
        assert_eq!(share.recipient_exports_usd, Some(total_2012));
    }
    // Russia buys no Angolan crude among the five listed: a bound, never a share.
    let russia = of("RUS");
    assert_eq!(russia.status, ShareStatus::NotAmongListedBuyers);
    assert_eq!((russia.share, russia.exports_to_benefactor_usd), (None, None));
    let smallest_listed = raw_sheet(&hs_file(ANGOLA))
        .iter()
        .filter(|r| number(r, "refYear") as i32 == 2012 && text(r, "cmdCode") == "270900")
        .map(|r| number(r, "cmd_partner_sum"))
        .fold(f64::INFINITY, f64::min);
    assert!((russia.share_below.unwrap() - smallest_listed / total_2012).abs() < 1e-6, "{russia:?}");
}

#[test]
fn the_latest_complete_year_is_used_a_part_year_never() {
    // Both ranked extracts run into 2025, a part-year at extraction: an as-of 2025 run shows 2024.
    let shares = evaluate_angola(2025);
    let china = shares.iter().find(|s| s.benefactor == "CHN").unwrap();
    let (bought, total) = raw_angolan_crude("China", 2024).unwrap();
    assert_eq!(china.year, 2024);
    assert!((china.share.unwrap() - bought / total).abs() < 1e-6);
    let imported = tempfile::tempdir().unwrap();
    fs::copy(repo_datasets().join("strategic_commodities.csv"), imported.path().join("strategic_commodities.csv")).unwrap();
    let files: Vec<PathBuf> = mdime::sources::commodities::DEFAULT_FILES.iter().map(|f| hs_file(f.rsplit('/').next().unwrap())).collect();
    let report = mdime::sources::commodities::import(&files, imported.path()).unwrap();
    assert!(report.rows.iter().all(|r| r.year <= 2024));
    // The China extract's 2025 rows are as many as a full year's would be; their value gives them away.
    let raw_china = raw_sheet(&hs_file(CHINA));
    let rows_in = |year: i32| raw_china.iter().filter(|r| number(r, "refYear") as i32 == year).count();
    assert!(rows_in(2025) * 2 > rows_in(2024), "{} {}", rows_in(2025), rows_in(2024));
    assert!(report.rows.iter().any(|r| r.source_file == CHINA && r.year == 2024));
    // Every strategic row of a raw year kept is in the table: Brazil's crude to China, as Brazil reports it.
    let brazil_2024: f64 = raw_china
        .iter()
        .filter(|r| number(r, "refYear") as i32 == 2024 && text(r, "cmdCode") == "270900" && text(r, "reporterDesc") == "Brazil")
        .map(|r| number(r, "cmd_partner_sum"))
        .sum();
    let imported_value: f64 =
        report.rows.iter().filter(|r| r.source_file == CHINA && r.year == 2024 && r.hs_code == "270900" && r.exporter_iso3 == "BRA").map(|r| r.value_usd).sum();
    assert!(brazil_2024 > 1e10 && (brazil_2024 - imported_value).abs() < 1.0, "{brazil_2024} {imported_value}");
}

#[test]
fn where_the_extracts_do_not_reach_the_report_says_so() {
    let out = tempfile::tempdir().unwrap();
    mdime()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--recipient", "Mali", "--recipient", "Burkina Faso", "--format", "csv,md", "--output"])
        .arg(out.path())
        .assert()
        .success();
    let mali = fs::read_to_string(out.path().join("countries/MLI.md")).unwrap();
    assert!(mali.contains("No HS-level extract reaches Mali's exports of the strategic commodities"), "{mali}");
    // Burkina Faso's gold: every reporting buyer is listed, and neither China nor Russia reports any.
    let table = fs::read_to_string(out.path().join("commodities.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(table.as_bytes());
    let header = reader.headers().unwrap().clone();
    let rows: Vec<BTreeMap<&str, String>> =
        reader.records().map(|r| header.iter().zip(r.unwrap().iter().map(String::from)).collect()).collect();
    let gold: Vec<&BTreeMap<&str, String>> = rows.iter().filter(|r| r["iso3"] == "BFA" && r["commodity"] == "gold").collect();
    assert_eq!(gold.len(), 2, "{rows:?}");
    for row in gold {
        assert_eq!((row["status"].as_str(), row["share"].as_str(), row["buyers_listed"].as_str()), ("none reported", "", "all"));
    }
    assert!(rows.iter().all(|r| r["iso3"] != "MLI"));
    let burkina = fs::read_to_string(out.path().join("countries/BFA.md")).unwrap();
    assert!(burkina.contains("none reported") && burkina.contains("No extract reaches Burkina Faso's exports of"), "{burkina}");
}

#[test]
fn a_file_in_no_comtrade_layout_is_refused_with_the_layouts_read() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(repo_datasets().join("strategic_commodities.csv"), dir.path().join("strategic_commodities.csv")).unwrap();
    let not_comtrade = shared_data().join("aiddata/stu_CTC_new.xlsx");
    let error = mdime::sources::commodities::import(&[hs_file(ANGOLA), not_comtrade], dir.path()).unwrap_err().to_string();
    assert!(error.contains("stu_CTC_new.xlsx") && error.contains("ranked buyers") && error.contains("UN Comtrade API table"), "{error}");
    assert!(!dir.path().join("commodity_trade.csv").exists(), "a failed import writes no table");
}
