use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use calamine::{Data, Reader, Xlsx};
use mdime::domain::{CurrentLevel, Instrument};
use mdime::sources::trade::{self, ImportReport};

use crate::common::*;

fn dots_folder() -> PathBuf {
    shared_data().join("trade/imf-dots-1960-2020")
}

fn russia_later() -> Vec<PathBuf> {
    ["imf-dots-russia-exports-2011-2022.xlsx", "imf-dots-russia-imports-2010-2021.xlsx"]
        .map(|f| shared_data().join("trade").join(f))
        .to_vec()
}

fn cow_file() -> PathBuf {
    shared_data().join("trade/cow-trade-v4-china-russia.csv")
}

fn comtrade_extracts() -> Vec<PathBuf> {
    ["China_2.1.1_top_export_partners_reverse.xlsx", "China_3.1.1_top_import_partners.xlsx", "china-reported-lusophone-2003-2024.xlsx"]
        .map(|f| shared_data().join("trade/comtrade-china-mirror-2014-2025").join(f))
        .to_vec()
}

/// A Comtrade extract's data rows read straight from the workbook, by header name: (row, column → text).
fn raw_extract(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut workbook: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = workbook.worksheet_range_at(0).unwrap().unwrap();
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    rows.filter(|r| r.iter().any(|c| !matches!(c, Data::Empty)))
        .map(|r| header.iter().cloned().zip(r.iter().map(|c| c.to_string())).collect())
        .collect()
}

/// A fresh import of the real DOTS folder, Russia's later reports and the Comtrade extracts, made once
/// for all tests.
fn imported_trade() -> &'static (tempfile::TempDir, ImportReport) {
    static IMPORTED: OnceLock<(tempfile::TempDir, ImportReport)> = OnceLock::new();
    IMPORTED.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        fs::copy(repo_datasets().join("benefactors.csv"), dir.path().join("benefactors.csv")).unwrap();
        let report = trade::import(&dots_folder(), &russia_later(), &comtrade_extracts(), Some(&cow_file()), dir.path()).expect("the real DOTS workbooks import");
        (dir, report)
    })
}

/// A sheet's partner rows read straight from the workbook, independently of mdime's reader: the name in
/// column B and the figure under each year of row 7, text figures stripped of `,` and ` e`.
fn raw_sheet(workbook: &mut Xlsx<std::io::BufReader<fs::File>>, sheet: &str) -> Vec<(String, Vec<(i32, f64)>)> {
    let range = workbook.worksheet_range(sheet).unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    let (row0, column0) = range.start().map(|(r, c)| (r as usize, c as usize)).unwrap();
    let header = rows[6 - row0];
    let mut out = Vec::new();
    for row in &rows[7 - row0..] {
        let name = row.get(1 - column0).map(|d| d.to_string().trim().to_string()).unwrap_or_default();
        let figures = row
            .iter()
            .zip(header)
            .filter_map(|(cell, year)| {
                let year: i32 = year.to_string().parse().ok()?;
                let value = match cell {
                    Data::Float(v) => *v,
                    Data::Int(v) => *v as f64,
                    Data::String(s) => s.trim_end_matches(" e").replace(',', "").parse().ok()?,
                    _ => return None,
                };
                Some((year, value))
            })
            .collect::<Vec<_>>();
        if !name.is_empty() || !figures.is_empty() {
            out.push((name, figures));
        }
    }
    out
}

fn raw_figure(path: &Path, sheet: &str, partner: &str, year: i32) -> f64 {
    let rows = raw_sheet(&mut calamine::open_workbook(path).unwrap(), sheet);
    let (_, figures) = rows.iter().find(|(n, _)| n == partner).unwrap_or_else(|| panic!("{partner} in {}", path.display()));
    figures.iter().find(|(y, _)| *y == year).unwrap().1
}

#[test]
fn reads_every_workbook_and_every_partner_row() {
    let (_, report) = imported_trade();
    let p = &report.provenance;
    let workbooks: Vec<PathBuf> = fs::read_dir(dots_folder()).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(workbooks.len(), 235);
    assert_eq!(p.inputs.len(), 235 + 2 + 3 + 1, "every workbook of the folder, both later reports, the Comtrade extracts and COW");
    let mut rows = 0;
    for path in workbooks.iter().chain(&russia_later()) {
        let mut workbook: Xlsx<_> = calamine::open_workbook(path).unwrap();
        for sheet in workbook.sheet_names() {
            rows += raw_sheet(&mut workbook, &sheet).len();
        }
    }
    rows += comtrade_extracts().iter().map(|path| raw_extract(path).len()).sum::<usize>();
    rows += csv::Reader::from_path(cow_file()).unwrap().records().count();
    assert_eq!(p.counts.records_read, rows);
    use sha2::Digest;
    let china = p.inputs.iter().find(|f| f.file == "DOTS_40.xlsx").unwrap();
    let hash: String = sha2::Sha256::digest(fs::read(dots_folder().join("DOTS_40.xlsx")).unwrap()).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(china.sha256, hash);
    assert!(china.role.contains("own report of China"), "{}", china.role);
    assert!(p.excluded.iter().any(|e| e.reason.contains("aggregate other than World")), "regions are set aside on purpose");
    assert!(p.excluded.iter().any(|e| e.reason.contains("DOTS_143.xlsx")), "the second Nicaragua workbook is a duplicate");
    assert_eq!(p.counts.rows_written, report.rows.len());
    let saved = mdime::ingest::Provenance::load(&imported_trade().0.path().join("trade.provenance.toml")).unwrap();
    assert_eq!(&saved, p);
}

#[test]
fn china_mali_and_pakistan_2018_match_the_raw_workbooks() {
    let (_, report) = imported_trade();
    let dots = dots_folder();
    for (partner, iso3, workbook) in [("Mali", "MLI", "DOTS_122.xlsx"), ("Pakistan", "PAK", "DOTS_151.xlsx")] {
        let china = dots.join("DOTS_40.xlsx");
        let exports = raw_figure(&china, "Exports, FOB", partner, 2018);
        let imports = raw_figure(&china, "Imports, CIF", partner, 2018);
        let own = dots.join(workbook);
        let world = raw_figure(&own, "Exports, FOB", "World", 2018) + raw_figure(&own, "Imports, CIF", "World", 2018);
        let row = report.rows.iter().find(|r| r.benefactor_iso3 == "CHN" && r.partner_iso3 == iso3 && r.year == 2018).unwrap();
        assert!((row.exports.unwrap() - exports).abs() < 1e-5, "{row:?} vs {exports}");
        assert!((row.imports.unwrap() - imports).abs() < 1e-5, "{row:?} vs {imports}");
        assert!((row.total - (exports + imports)).abs() < 1e-5, "{row:?}");
        assert!((row.partner_world_trade.unwrap() - world).abs() < 1e-5, "{row:?} vs {world}");
        assert_eq!((row.exports_source.as_str(), row.imports_source.as_str()), ("dots-own", "dots-own"));
    }
}

#[test]
fn the_united_states_trade_with_angola_and_nigeria_matches_the_raw_workbooks() {
    let (_, report) = imported_trade();
    let dots = dots_folder();
    let usa = dots.join("DOTS_208.xlsx");
    for (partner, iso3) in [("Angola", "AGO"), ("Nigeria", "NGA")] {
        let exports = raw_figure(&usa, "Exports, FOB", partner, 2019);
        let imports = raw_figure(&usa, "Imports, CIF", partner, 2019);
        let row = report.rows.iter().find(|r| r.benefactor_iso3 == "USA" && r.partner_iso3 == iso3 && r.year == 2019).unwrap();
        assert!((row.exports.unwrap() - exports).abs() < 1e-5 && (row.imports.unwrap() - imports).abs() < 1e-5, "{row:?} vs {exports}, {imports}");
        assert_eq!((row.exports_source.as_str(), row.imports_source.as_str()), ("dots-own", "dots-own"));
    }
    let carried: std::collections::BTreeSet<&str> = report.rows.iter().map(|r| r.benefactor_iso3.as_str()).collect();
    assert_eq!(carried, ["ARE", "CHN", "FRA", "IND", "RUS", "TUR", "USA"].into(), "every benefactor datasets/benefactors.csv lists");
}

#[test]
fn a_benefactor_added_to_the_configuration_is_imported_without_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("dots");
    fs::create_dir(&folder).unwrap();
    // Brazil's own workbook, Angola's (its mirror and world totals) and the world's.
    for name in ["DOTS_28.xlsx", "DOTS_5.xlsx"] {
        fs::copy(dots_folder().join(name), folder.join(name)).unwrap();
    }
    fs::write(dir.path().join("benefactors.csv"), "iso3,name,default_run,colour,note\nBRA,Brazil,true,#117733,a comparator added by a user\n").unwrap();
    let report = trade::import(&folder, &[], &[], None, dir.path()).unwrap();
    let row = report.rows.iter().find(|r| r.benefactor_iso3 == "BRA" && r.partner_iso3 == "AGO" && r.year == 2015).unwrap();
    let exports = raw_figure(&folder.join("DOTS_28.xlsx"), "Exports, FOB", "Angola", 2015);
    assert!((row.exports.unwrap() - exports).abs() < 1e-5, "{row:?}");
    // And a run compares it by default, E3 assessed from the table.
    mdime::sources::sipri::import(&register(), &[], dir.path()).unwrap();
    let out = tempfile::tempdir().unwrap();
    mdime().args(["run", "--format", "csv", "--recipient", "Angola", "--datasets"]).arg(dir.path()).arg("--output").arg(out.path()).assert().success();
    let assessments = fs::read_to_string(out.path().join("assessments.csv")).unwrap();
    let e3 = assessments.lines().find(|l| l.starts_with("Brazil,Angola,AGO,Africa,E3,")).expect("Brazil's E3 in Angola");
    assert!(!e3.contains("Not assessed"), "{e3}");
}

#[test]
fn sources_disagreement_is_measured_and_russia_reaches_2022() {
    let (_, report) = imported_trade();
    let mirror = report
        .provenance
        .comparisons
        .iter()
        .find(|c| c.what == "China exports by partner and year" && c.other.contains("mirror") && c.first_year == 2012)
        .expect("China's exports compared with its partners' imports");
    assert!(mirror.cells > 1000 && mirror.cell_gap_pct.unwrap() > 0.0, "{mirror:?}");
    let later = report.provenance.comparisons.iter().filter(|c| c.other.contains("later download"));
    for c in later {
        assert!(c.cell_gap_pct.unwrap() < 1.0, "Russia's two own releases agree: {c:?}");
    }
    let last = report.rows.iter().filter(|r| r.benefactor_iso3 == "RUS").map(|r| r.year).max();
    assert_eq!(last, Some(2022), "2023 has Russia's exports only and is left out");
    assert!(report.rows.iter().any(|r| r.benefactor_iso3 == "RUS" && r.year == 2022 && r.exports_source == "dots-own-later"));
}

#[test]
fn comtrade_extends_china_to_2024_from_its_partners_and_its_own_reports() {
    let (_, report) = imported_trade();
    let row = |iso3: &str, year: i32| report.rows.iter().find(|r| r.benefactor_iso3 == "CHN" && r.partner_iso3 == iso3 && r.year == year);
    // Mali's own imports from China in 2022 are China's exports to Mali, in US dollars.
    let extracts = comtrade_extracts();
    let mali: f64 = raw_extract(&extracts[0])
        .iter()
        .find(|r| r["reporterDesc"] == "Mali" && r["refYear"] == "2022")
        .map(|r| r["partner_sum"].parse::<f64>().unwrap())
        .unwrap();
    // Spliced to China's own report: scaled by the ratio of the own report to Mali's Comtrade figure
    // over the last five years both give (2016-2020).
    let mali_by_year = |year: i32| {
        raw_extract(&extracts[0]).iter().find(|r| r["reporterDesc"] == "Mali" && r["refYear"] == year.to_string()).map(|r| r["partner_sum"].parse::<f64>().unwrap() / 1e6)
    };
    let overlap: Vec<i32> = (2016..=2020).filter(|&y| row("MLI", y).is_some_and(|r| r.exports_source == "dots-own" && !r.imf_estimate) && mali_by_year(y).is_some()).collect();
    assert_eq!(overlap.len(), 5, "{overlap:?}");
    let ratio = overlap.iter().map(|&y| row("MLI", y).unwrap().exports.unwrap()).sum::<f64>() / overlap.iter().map(|&y| mali_by_year(y).unwrap()).sum::<f64>();
    let mali_2022 = row("MLI", 2022).expect("China–Mali 2022 from Mali's report to Comtrade");
    assert!((mali_2022.exports.unwrap() / (mali / 1e6 * ratio) - 1.0).abs() < 1e-6, "{mali_2022:?} vs {mali} × {ratio}");
    assert_eq!(mali_2022.exports_source, format!("comtrade-mirror×{ratio:.2}"));
    // Angola's trade in 2023 as China reports it.
    let angola = raw_extract(&extracts[2]).into_iter().find(|r| r["partnerDesc"] == "Angola" && r["refYear"] == "2023").unwrap();
    let angola_2023 = row("AGO", 2023).unwrap();
    assert!((angola_2023.total - angola["Trocas"].parse::<f64>().unwrap() / 1e6).abs() < 1e-5, "{angola_2023:?}");
    assert_eq!((angola_2023.exports_source.as_str(), angola_2023.imports_source.as_str()), ("comtrade-own", "comtrade-own"));
    // DOTS comes first where both have a year; the part-year 2025 is left out.
    assert_eq!(row("MLI", 2018).unwrap().exports_source, "dots-own");
    assert!(report.rows.iter().all(|r| r.year <= 2024));
    assert!(report.provenance.excluded.iter().any(|e| e.reason.contains("2025: a part-year")));
    let comparison = report.provenance.comparisons.iter().find(|c| c.what == "China exports by partner and year" && c.other == "partner's mirror report to UN Comtrade");
    assert!(comparison.is_some_and(|c| c.first_year == 2014 && c.cells > 500), "{comparison:?}");
}

#[test]
fn cow_is_compared_and_never_used() {
    let (_, report) = imported_trade();
    assert!(report.rows.iter().all(|r| !r.exports_source.starts_with("cow") && !r.imports_source.starts_with("cow")));
    let cow: Vec<_> = report.provenance.comparisons.iter().filter(|c| c.other.contains("Correlates of War")).collect();
    assert_eq!(cow.len(), 8, "both benefactors, both flows, all years and 2012-2014: {cow:?}");
    // Independently: the dyads of the Soviet Union (365 before 1992) with anyone but China are set aside.
    let soviet = csv::Reader::from_path(cow_file())
        .unwrap()
        .records()
        .map(Result::unwrap)
        .filter(|r| r[2].parse::<i32>().unwrap() < 1992 && (&r[0] == "365") != (&r[1] == "365") && &r[0] != "710" && &r[1] != "710")
        .count();
    let excluded = report.provenance.excluded.iter().find(|e| e.reason.starts_with("COW code 365 before 1992")).unwrap();
    assert_eq!(excluded.rows, soviet);
}

#[test]
fn the_partner_reported_share_never_exceeds_the_partner_world_total() {
    let (_, report) = imported_trade();
    let with_both: Vec<_> = report.rows.iter().filter_map(|r| Some((r, r.partner_reported_total?, r.partner_world_trade?))).collect();
    assert!(with_both.len() > 5000, "{}", with_both.len());
    for (row, reported, world) in with_both {
        assert!(reported <= world + 1e-6, "{row:?}");
    }
    // Djibouti, a transit hub: China's own figure exceeds Djibouti's whole trade, Djibouti's does not.
    let djibouti = report.rows.iter().find(|r| r.benefactor_iso3 == "CHN" && r.partner_iso3 == "DJI" && r.year == 2018).unwrap();
    assert!(djibouti.total > djibouti.partner_world_trade.unwrap(), "{djibouti:?}");
    assert!(djibouti.partner_reported_total.unwrap() < djibouti.partner_world_trade.unwrap(), "{djibouti:?}");
}

fn fixture_folder(extra: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("dots");
    fs::create_dir(&folder).unwrap();
    for name in ["DOTS_1.xlsx", "DOTS_2.xlsx", "DOTS_3.xlsx"].into_iter().chain(extra) {
        fs::copy(source_fixture("trade", "").join(name), folder.join(name)).unwrap();
    }
    dir
}

#[test]
fn small_fixture_takes_the_own_report_first_then_the_mirror() {
    let dir = fixture_folder(None);
    let report = trade::import(&dir.path().join("dots"), &[], &[], None, dir.path()).unwrap();
    let row = |y: i32| report.rows.iter().find(|r| r.partner_iso3 == "MLI" && r.year == y).unwrap();
    assert_eq!((row(2017).exports, row(2017).exports_source.as_str()), (Some(10.0), "dots-own"));
    assert_eq!((row(2018).exports, row(2018).exports_source.as_str()), (Some(11.5), "dots-mirror"), "China's gap is filled from Mali's imports");
    assert_eq!((row(2019).imports, row(2019).imf_estimate), (Some(1004.5), true), "`1,004.5 e` is an estimate of 1004.5");
    assert_eq!(row(2018).partner_world_trade, Some(110.0 + 210.0));
    assert_eq!(report.rows.len(), 3, "one row per year of China–Mali trade: {:?}", report.rows);
    let excluded = |reason: &str| report.provenance.excluded.iter().find(|e| e.reason.contains(reason)).map(|e| e.rows);
    assert_eq!(excluded("reporter is an aggregate"), Some(2));
    assert_eq!(excluded("aggregate other than World"), Some(1));
}

/// Imports the good fixtures plus one bad workbook into a datasets folder that already holds a table;
/// returns the message, after checking nothing was written.
fn import_error(bad: &str) -> String {
    let dir = fixture_folder(Some(bad));
    let datasets = dir.path().join("datasets");
    fs::create_dir(&datasets).unwrap();
    fs::write(datasets.join(trade::TABLE), "previous").unwrap();
    let message = trade::import(&dir.path().join("dots"), &[], &[], None, &datasets).expect_err("bad input is refused").to_string();
    assert_eq!(fs::read_to_string(datasets.join(trade::TABLE)).unwrap(), "previous", "nothing half-written");
    assert_eq!(fs::read_dir(&datasets).unwrap().count(), 1, "no stray files: {message}");
    assert!(message.contains(bad), "the message names the file: {message}");
    message
}

#[test]
fn a_missing_sheet_is_named() {
    let message = import_error("missing-sheet.xlsx");
    assert!(message.contains("no sheet `Imports, CIF`"), "{message}");
}

#[test]
fn a_non_numeric_figure_names_sheet_and_cell() {
    let message = import_error("non-numeric.xlsx");
    assert!(message.contains(":8: column `Imports, CIF!D8`"), "{message}");
    assert!(message.contains("`n/a`"), "{message}");
}

#[test]
fn an_unknown_partner_names_sheet_and_cell() {
    let message = import_error("unknown-partner.xlsx");
    assert!(message.contains(":9: column `Exports, FOB!B9`: unknown country `Atlantis`"), "{message}");
}

#[test]
fn run_rates_e3_from_the_trade_table_and_without_it_not_at_all() {
    let mut args = crate::run::args(&repo_datasets());
    args.recipients = vec!["Pakistan".into(), "Mali".into()];
    let evaluation = mdime::evaluate(&args.validate().unwrap()).unwrap();
    let share = evaluation.indicators.window_value("CHN", "PAK", Instrument::E3, "share_of_trade").unwrap();
    assert!((0.15..0.35).contains(&share), "China is Pakistan's largest trading partner: {share}");
    let e3 = |e: &mdime::Evaluation, b: &str| {
        e.assessments.iter().find(|a| a.benefactor == b && a.recipient == "PAK" && a.instrument == Some(Instrument::E3)).unwrap().current
    };
    assert!(e3(&evaluation, "CHN") > e3(&evaluation, "RUS"));

    // The test-wide import of the arms register alone has no trade table.
    let mut args = crate::run::args(imported().0.path());
    args.recipients = vec!["Pakistan".into()];
    let evaluation = mdime::evaluate(&args.validate().unwrap()).unwrap();
    assert_eq!(e3(&evaluation, "CHN"), CurrentLevel::NotAssessed);
    assert!(evaluation.indicators.coverage.iter().all(|c| c.instrument != Instrument::E3));
}

#[test]
fn the_current_level_keeps_the_last_reported_share_and_projections_do_not_read_an_unspliced_seam() {
    // The default: the current level describes the last five years, 2021-2025, which DOTS (to 2020)
    // gives no partner-reported share for.
    let mut args = crate::run::args(&repo_datasets());
    args.current_years = 5;
    args.benefactors = vec!["China".into()];
    args.recipients = vec!["Djibouti".into(), "Benin".into(), "Angola".into()];
    let evaluation = mdime::evaluate(&args.validate().unwrap()).unwrap();
    let rating = |r: &str| evaluation.assessments.iter().find(|a| a.recipient == r && a.instrument == Some(Instrument::E3)).unwrap();
    assert_eq!(rating("AGO").score_indicator, "share_of_trade", "{:?}", rating("AGO"));
    assert!(rating("AGO").current >= CurrentLevel::High, "China is Angola's largest partner: {:?}", rating("AGO"));
    // Benin reports to Comtrade in the years China reports to DOTS: its figures are spliced, no seam.
    let seams = |r: &str| evaluation.indicators.values.iter().filter(|v| v.recipient == r && v.indicator == mdime::indicators::SEAM).count();
    assert_eq!(seams("BEN"), 0);
    let benin = evaluation.projections.iter().find(|p| p.recipient == "BEN" && p.instrument == Instrument::E3).unwrap();
    assert!(benin.trend.value.is_some(), "{benin:?}");
    // Djibouti's partner figures start in 2021 with no overlap to splice on: a seam, and too few years after it.
    assert_eq!(seams("DJI"), 1);
    let djibouti = evaluation.projections.iter().find(|p| p.recipient == "DJI" && p.instrument == Instrument::E3).unwrap();
    assert_eq!((djibouti.direction, djibouti.method), (mdime::domain::Trend::Unknown, "fewer than five comparable years"), "{djibouti:?}");
}

#[test]
fn a_partner_the_comtrade_years_do_not_list_is_rated_on_its_last_reported_share_not_as_no_trade() {
    // UN Comtrade lists only the partners that report to it: Afghanistan, in none of China's extracts after
    // 2020, was not looked at there, which is not the same as trading nothing.
    let listed_after_2020 = comtrade_extracts()[..2]
        .iter()
        .flat_map(|path| raw_extract(path))
        .any(|row| row["partnerDesc"] == "Afghanistan" && row["refYear"].parse::<i32>().is_ok_and(|y| y > 2020));
    assert!(!listed_after_2020, "the raw extracts list Afghanistan after 2020: pick another partner for this test");
    let mut args = crate::run::args(&repo_datasets());
    args.current_years = 5;
    args.benefactors = vec!["China".into()];
    args.recipients = vec!["Afghanistan".into()];
    let evaluation = mdime::evaluate(&args.validate().unwrap()).unwrap();
    let e3 = evaluation.assessments.iter().find(|a| a.instrument == Some(Instrument::E3)).unwrap();
    assert_eq!(e3.score_indicator, "share_of_trade", "{e3:?}");
    // The share of the last five years Afghanistan reported, 2016-2020, recomputed from the table's rows.
    let table = fs::read_to_string(repo_datasets().join("trade.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(table.as_bytes());
    let header = rows.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (mut reported, mut world) = (0.0, 0.0);
    for row in rows.records().map(Result::unwrap) {
        let year: i32 = row[column("year")].parse().unwrap();
        if &row[column("benefactor_iso3")] == "CHN" && &row[column("partner_iso3")] == "AFG" && (2016..=2020).contains(&year) {
            reported += row[column("partner_reported_total")].parse::<f64>().unwrap();
            world += row[column("partner_world_trade")].parse::<f64>().unwrap();
        }
    }
    let share = evaluation.indicators.values.iter().find(|v| v.indicator == "share_of_trade" && !matches!(v.period, mdime::indicators::Period::Year(_))).unwrap();
    assert_eq!(share.period, mdime::indicators::Period::Window(2016, 2020), "dated by the years it comes from");
    assert!((share.value - reported / world).abs() < 1e-6, "{} against {}", share.value, reported / world);
    assert!(e3.current >= CurrentLevel::Medium, "{e3:?}");
    // The trade series ends in 2020: three years on is 2023, before the as-of year, so nothing is projected.
    let projection = evaluation.projections.iter().find(|p| p.instrument == Instrument::E3).unwrap();
    assert_eq!(projection.direction, mdime::domain::Trend::Unknown, "{projection:?}");
    assert_eq!(projection.base_year, 2020, "{projection:?}");
}
