use std::path::{Path, PathBuf};

use mdime::cli::DataArgs;
use mdime::domain::{CurrentLevel, Instrument};

use crate::common::*;

/// The default options, but for the current level, which here describes the whole window: the tests
/// that read it check sources against their raw files over the window's years (the default's last five
/// years are tested on their own, in `assess_current`).
pub fn args(datasets: &Path) -> DataArgs {
    DataArgs {
        datasets: datasets.to_path_buf(),
        as_of: None,
        since: 2012,
        current_years: WHOLE_WINDOW,
        benefactors: Vec::new(),
        recipients: Vec::new(),
        regions: Vec::new(),
        rubric: None,
        attribute_ussr_to_russia: false,
        groups: Vec::new(),
        versus: Vec::new(),
    }
}

/// `--current-years` long enough to take in any window.
pub const WHOLE_WINDOW: i32 = 100;

/// The default configuration (both benefactors, every tracked recipient) on a fresh import, evaluated once.
pub fn evaluated() -> &'static (mdime::Config, mdime::Evaluation) {
    static EVALUATED: std::sync::OnceLock<(mdime::Config, mdime::Evaluation)> = std::sync::OnceLock::new();
    EVALUATED.get_or_init(|| {
        let config = args(imported().0.path()).validate().unwrap();
        let evaluation = mdime::evaluate(&config).unwrap();
        (config, evaluation)
    })
}

fn evaluation() -> &'static mdime::Evaluation {
    &evaluated().1
}

fn window_value(benefactor: &str, recipient: &str, instrument: Instrument, indicator: &str) -> f64 {
    evaluation().indicators.window_value(benefactor, recipient, instrument, indicator).unwrap()
}

fn level(benefactor: &str, recipient: &str, instrument: Instrument) -> CurrentLevel {
    evaluation()
        .assessments
        .iter()
        .find(|a| a.benefactor == benefactor && a.recipient == recipient && a.instrument == Some(instrument))
        .unwrap()
        .current
}

#[test]
fn e1_shares_agree_with_the_raw_register() {
    let records = raw_register_records();
    let china_pakistan = raw_share(&records, "China", "Pakistan", 2012..=2024);
    let russia_algeria = raw_share(&records, "Russia", "Algeria", 2012..=2024);
    assert!((0.70..0.80).contains(&china_pakistan), "about three quarters: {china_pakistan}");
    assert!((0.60..0.70).contains(&russia_algeria), "about two thirds: {russia_algeria}");
    assert!((window_value("CHN", "PAK", Instrument::E1, "share_of_arms_imports") - china_pakistan).abs() < 1e-5);
    assert!((window_value("RUS", "DZA", Instrument::E1, "share_of_arms_imports") - russia_algeria).abs() < 1e-5);
    assert_eq!(window_value("CHN", "PAK", Instrument::E1, "supplier_rank"), 1.0);
    assert_eq!(window_value("RUS", "DZA", Instrument::E1, "supplier_rank"), 1.0);
}

#[test]
fn dominant_suppliers_are_at_the_top_of_the_scale() {
    assert_eq!(level("CHN", "PAK", Instrument::E1), CurrentLevel::VeryHigh);
    assert_eq!(level("RUS", "DZA", Instrument::E1), CurrentLevel::VeryHigh);
}

#[test]
fn coverage_decides_between_unobserved_and_not_assessed() {
    let evaluation = evaluation();
    let mut unobserved = 0;
    for a in evaluation.assessments.iter().filter(|a| a.instrument == Some(Instrument::E1)) {
        let tiv = window_value(&a.benefactor, &a.recipient, Instrument::E1, "tiv_delivered");
        assert_eq!(tiv == 0.0, a.current == CurrentLevel::Unobserved, "{a:?}");
        unobserved += usize::from(tiv == 0.0);
    }
    assert!(unobserved > 0, "some recipients receive nothing from a benefactor");
    // The arms register alone covers no D1: it is Not assessed everywhere, never Unobserved.
    assert!(evaluation
        .assessments
        .iter()
        .filter(|a| a.instrument == Some(Instrument::D1))
        .all(|a| a.current == CurrentLevel::NotAssessed && a.score.is_none()));
}

#[test]
fn every_pair_has_twelve_instruments_and_an_overall_row() {
    let evaluation = evaluation();
    let pairs = 2 * 121;
    assert_eq!(evaluation.assessments.len(), pairs * 13);
    for pair in evaluation.assessments.chunks(13) {
        let codes: Vec<Option<Instrument>> = pair.iter().map(|a| a.instrument).collect();
        assert_eq!(&codes[..12], Instrument::ALL.map(Some).as_slice());
        let overall = &pair[12];
        assert!(overall.instrument.is_none());
        let e1 = &pair[9];
        assert_eq!(overall.drivers.contains(&Instrument::E1), e1.current.rank().is_some(), "{overall:?}");
    }
    // A benefactor seen on E1 alone and looked for in vain elsewhere is not rated as if the one were all:
    // every Unobserved instrument counts 0 (the weights themselves are tested in `rules`).
    let lone = evaluation
        .assessments
        .chunks(13)
        .find(|pair| pair[12].drivers == [Instrument::E1] && pair.iter().any(|a| a.current == CurrentLevel::Unobserved))
        .expect("a pair with E1 alone observed");
    assert!(lone[12].score.unwrap() < f64::from(lone[9].current.rank().unwrap()), "{:?}", lone[12]);
}

pub fn csv_only(dir: &Path) -> mdime::cli::Outputs {
    mdime::cli::Outputs { dir: dir.to_path_buf(), formats: vec![mdime::render::outputs::Format::Csv], progress: false, compare: None }
}

fn with_extra_delivery(year: i32) -> tempfile::TempDir {
    let dir = crate::common::datasets_with_arms_table();
    let table: PathBuf = dir.path().join("arms_transfers.csv");
    let mut text = std::fs::read_to_string(&table).unwrap();
    text.push_str(&format!("China,CHN,Mali,MLI,{year},5000.0,1,0,false\n"));
    rewrite_table(&table, &text);
    dir
}

#[test]
fn as_of_uses_no_later_data() {
    let baseline = imported().0.path();
    let changed = with_extra_delivery(2020);
    let csv_as_of = |datasets: &Path, year: i32| {
        let mut a = args(datasets);
        a.as_of = Some(year);
        a.recipients = vec!["Mali".into()];
        let out = tempfile::tempdir().unwrap();
        mdime::run(&a.validate().unwrap(), &csv_only(out.path()), false).unwrap();
        ["indicators.csv", "assessments.csv"].map(|f| std::fs::read(out.path().join(f)).unwrap())
    };
    assert_eq!(csv_as_of(baseline, 2015), csv_as_of(changed.path(), 2015), "data after 2015 leaked into a 2015 assessment");
    assert_ne!(csv_as_of(baseline, 2020), csv_as_of(changed.path(), 2020), "the change is visible once it is in the window");
}

#[test]
fn soviet_deliveries_count_as_russias_only_when_asked() {
    let mut a = args(imported().0.path());
    a.since = 1985;
    a.as_of = Some(1990);
    a.recipients = vec!["India".into()];
    let plain = mdime::evaluate(&a.validate().unwrap()).unwrap();
    a.attribute_ussr_to_russia = true;
    let attributed = mdime::evaluate(&a.validate().unwrap()).unwrap();
    let tiv = |e: &mdime::Evaluation| e.indicators.window_value("RUS", "IND", Instrument::E1, "tiv_delivered").unwrap();
    assert_eq!(tiv(&plain), 0.0, "Russia did not exist before 1992");
    assert!(tiv(&attributed) > 5000.0, "the USSR was India's main supplier in the late 1980s");
}

#[test]
fn options_are_validated_before_any_work() {
    let datasets = imported().0.path();
    let error = |f: &dyn Fn(&mut DataArgs)| {
        let mut a = args(datasets);
        f(&mut a);
        a.validate().expect_err("invalid option refused").to_string()
    };
    assert!(error(&|a| a.as_of = Some(2031)).starts_with("--as-of: 2031 is outside the years of data; expected a year from 1950 to 2024"));
    assert!(error(&|a| a.since = 2030).starts_with("--since"));
    let message = error(&|a| a.benefactors = vec!["Chnia".into()]);
    assert!(message.starts_with("--benefactor: unknown country `Chnia`") && message.contains("China"), "{message}");
    assert!(error(&|a| a.recipients = vec!["Soviet Union".into()]).contains("former state"));
    assert!(error(&|a| a.regions = vec!["Atlantis".into()]).contains("Southeast Asia"));
    assert!(error(&|a| a.recipients = vec!["China".into()]).contains("also a benefactor"));
    assert!(error(&|a| a.datasets = "/nonexistent".into()).starts_with("--datasets"));
}
