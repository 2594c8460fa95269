//! The curated records of military presence, defence agreements, hostilities and outreach: the shipped
//! records are valid, sourced and cover every benefactor; each kind of defect is refused with the file,
//! line and column, and nothing runs on a defective record.

use std::collections::BTreeMap;
use std::fs;

use mdime::domain::evidence::EventDate;
use mdime::domain::{Confidence, CountryTable, CurrentLevel, Instrument};
use mdime::indicators::Period;
use mdime::sources::{outreach, Curated};

use crate::common::*;

fn shipped() -> Curated {
    Curated::load(&repo_datasets(), EventDate::today()).unwrap()
}

#[test]
fn the_shipped_records_are_valid_sourced_and_cover_every_benefactor() {
    let curated = shipped();
    let countries = CountryTable::builtin();
    let configured = mdime::ingest::benefactors::carried(&repo_datasets()).unwrap();
    let mut by_benefactor: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for spell in &curated.presence {
        by_benefactor.entry(&spell.benefactor).or_default().0 += 1;
        assert!(countries.country(&spell.recipient).unwrap().is_tracked_recipient());
        assert!(!spell.sources.is_empty() && spell.sources.iter().all(|s| s.url.starts_with("http")), "{}", spell.id);
        assert!(!spell.contested || spell.sources.len() == 2, "{}: a contested spell has two sources", spell.id);
    }
    for agreement in &curated.agreements {
        by_benefactor.entry(&agreement.benefactor).or_default().1 += 1;
        assert!(!agreement.sources.is_empty() && (!agreement.contested || agreement.sources.len() == 2), "{}", agreement.id);
    }
    for benefactor in &configured {
        let (spells, agreements) = by_benefactor.get(benefactor.as_str()).copied().unwrap_or_default();
        assert!(spells >= 10 && agreements >= 15, "{benefactor}: {spells} spells, {agreements} agreements");
    }
    assert!(curated.presence.len() >= 200 && curated.agreements.len() >= 400 && curated.hostilities.len() >= 70);
    // The relationships an analyst checks first are in the record, dated as their sources date them.
    let spell = |id: &str| curated.presence.iter().find(|s| s.id == id).unwrap_or_else(|| panic!("{id}"));
    assert_eq!(spell("P-RUS-MLI-03").start, EventDate::parse("2025-06").unwrap());
    assert!(curated.presence.iter().any(|s| s.benefactor == "CHN" && s.recipient == "DJI" && s.kind == mdime::domain::presence::PresenceKind::Base));
    assert!(curated.presence.iter().any(|s| s.benefactor == "USA" && s.recipient == "NER" && s.end.is_some_and(|e| e.year == 2024)));
    assert!(curated.agreements.iter().any(|a| a.benefactor == "RUS" && a.recipient == "SYR" && a.end.is_some_and(|e| e.year == 2066)));
}

/// A copy of the shipped datasets folder's record `file`, with `from` replaced by `to` (once); the other
/// curated records stay as shipped.
fn spoiled(file: &str, from: &str, to: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["presence.csv", "agreements.csv", "hostilities.csv", "benefactors.csv"] {
        fs::copy(repo_datasets().join(name), dir.path().join(name)).unwrap();
    }
    let path = dir.path().join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has `{from}`");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
    dir
}

fn line_of(file: &str, needle: &str) -> usize {
    let text = fs::read_to_string(repo_datasets().join(file)).unwrap();
    1 + text[..text.find(needle).unwrap()].matches('\n').count()
}

#[test]
fn each_defect_is_refused_with_file_line_and_column() {
    let wagner_car = "P-RUS-CAF-01,RUS,CAF,pmc,Wagner Group instructors,2018,2020-12,ended,175,";
    let wagner_mali = "P-RUS-MLI-02,RUS,MLI,pmc,Wagner Group,2023-08,2025-06,ended,1600,";
    let car_pact = "A-RUS-CAF-01,RUS,CAF,defence_cooperation,Agreement on military cooperation,2018-08-21,,,signed,false,";
    let galwan = "H-CHN-IND-03,CHN,IND,armed_clash,2020-06-15,2020-06-15,";
    let cases: Vec<(&str, &str, String, &str, &str)> = vec![
        ("presence.csv", wagner_car, wagner_car.replace(",CAF,", ",Bangui,"), "recipient", "unknown country `Bangui`"),
        ("presence.csv", wagner_car, wagner_car.replace(",CAF,", ",FRA,"), "recipient", "not a tracked recipient"),
        ("presence.csv", wagner_car, wagner_car.replace(",RUS,", ",CAF,"), "recipient", "is also the benefactor"),
        ("presence.csv", wagner_car, wagner_car.replace(",pmc,", ",mercenaries,"), "kind", "is not one of: base, port_access"),
        ("presence.csv", wagner_car, wagner_car.replace(",2018,", ",2018-13,"), "start", "is not a date"),
        ("presence.csv", wagner_car, wagner_car.replace(",2020-12,", ",2017-12,"), "end", "is before the start"),
        ("presence.csv", wagner_car, wagner_car.replace(",2020-12,ended,", ",,ended,"), "end", "needs the date it ended"),
        ("presence.csv", wagner_car, wagner_car.replace(",ended,", ",operational,"), "status", "expected `ended` or `expelled`"),
        ("presence.csv", wagner_car, wagner_car.replace(",175,", ",a few hundred,"), "personnel", "expected a whole number"),
        ("presence.csv", wagner_mali, wagner_mali.replace(",2023-08,2025-06,", ",2023-03,2025-06,"), "start", "overlaps `P-RUS-MLI-01`"),
        ("presence.csv", "P-RUS-CAF-02,RUS,CAF,", "P-RUS-CAF-01,RUS,CAF,".into(), "id", "`P-RUS-CAF-01` is already used on line"),
        ("presence.csv", "P-RUS-CAF-01", "P-RUS CAF-01".into(), "id", "has white space"),
        ("agreements.csv", car_pact, car_pact.replace(",signed,false,", ",denounced,false,"), "end", "needs the date it ended"),
        ("agreements.csv", car_pact, car_pact.replace(",2018-08-21,,,", ",2018-08-21,2017-01,,"), "in_force", "is before the signature"),
        ("agreements.csv", car_pact, car_pact.replace(",2018-08-21,", ",2999-01-01,"), "signed", "is outside"),
        ("agreements.csv", "2023-02-20,,,in_force,false,", "2023-02-20,,,in_force,true,".into(), "source2_url", "a contested row needs a second source"),
        ("hostilities.csv", galwan, galwan.replace(",2020-06-15,2020-06-15,", ",2020-06-15,,"), "end", "an armed clash needs the date"),
        ("hostilities.csv", galwan, galwan.replace(",armed_clash,", ",skirmish,"), "kind", "is not one of: armed_clash"),
    ];
    for (file, from, to, column, expected) in cases {
        let dir = spoiled(file, from, &to);
        let message = match Curated::load(dir.path(), EventDate::today()) {
            Ok(_) => panic!("{file}: `{to}` was accepted"),
            Err(e) => e.to_string(),
        };
        let line = line_of(file, from);
        let at = format!("{file}:{line}: column `{column}`: ");
        assert!(message.contains(&at) && message.contains(expected), "{file}: `{to}`: expected `{at}…{expected}` in:\n{message}");
    }
}

#[test]
fn a_row_without_a_source_is_refused_and_the_run_stops_before_any_work() {
    let text = fs::read_to_string(repo_datasets().join("presence.csv")).unwrap();
    let line = text.lines().find(|l| l.starts_with("P-RUS-CAF-01,")).unwrap();
    let url = line.split(",http").nth(1).map(|rest| format!("http{}", rest.split(',').next().unwrap())).unwrap();
    let dir = spoiled("presence.csv", &url, "");
    let message = Curated::load(dir.path(), EventDate::today()).unwrap_err().to_string();
    assert!(message.contains("column `source_url`: empty: every row needs the URL"), "{message}");
    // `mdime validate` and `mdime run` refuse it alike, naming the file and line, and write nothing.
    let datasets = datasets_with_arms_table();
    for name in ["presence.csv", "benefactors.csv"] {
        fs::copy(dir.path().join(name), datasets.path().join(name)).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    for args in [vec!["validate"], vec!["run", "--format", "csv", "--output"]] {
        let mut command = mdime();
        command.args(&args);
        if args[0] == "run" {
            command.arg(out.path().join("run"));
        }
        let output = command.arg("--datasets").arg(datasets.path()).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success() && stderr.contains("presence.csv:") && stderr.contains("source_url"), "{args:?}: {stderr}");
    }
    assert!(!out.path().join("run").exists());
}

// ---- outreach ---------------------------------------------------------------------------------------

#[test]
fn the_shipped_outreach_record_is_valid_and_every_row_has_a_source() {
    let record = shipped().outreach;
    assert!(record.len() >= 170, "{}", record.len());
    for row in &record {
        assert!(row.sources.first().is_some_and(|s| s.url.starts_with("http")), "{}: a source URL", row.id);
        assert!(!row.contested || row.sources.len() == 2, "{}: a contested row has two sources", row.id);
    }
    for instrument in [Instrument::D2, Instrument::I1, Instrument::I2] {
        assert!(record.iter().any(|r| r.benefactor == "RUS" && r.kind.instrument() == instrument), "{instrument}");
    }
    // AlSat-1 ended with its mission, in August 2010.
    let alsat = record.iter().find(|r| r.id == "O-RUS-DZA-05").unwrap();
    assert_eq!(alsat.end, EventDate::parse("2010-08"));
}

#[test]
fn each_outreach_defect_is_refused_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(source_fixture("outreach", "outreach-defects.csv"), dir.path().join("outreach.csv")).unwrap();
    let message = match Curated::load(dir.path(), EventDate::today()) {
        Ok(_) => panic!("the defective fixture was accepted"),
        Err(e) => e.to_string(),
    };
    // Every defect at once, each on its line and column; the valid row on line 2 has none.
    let expected = [
        (3, "kind", "`radio_station` is not one of: cultural_centre, media_bureau"),
        (4, "status", "`rumoured` is not one of: planned, signed, operational, ended"),
        (5, "instrument", "I2, yet a cultural_centre counts under I1"),
        (6, "end", "2021 is before the start, 2023-05"),
        (7, "end", "empty: a row that is `ended` needs the date"),
        (8, "quantity", "expected a positive whole number, found `about 300`"),
        (9, "quantity", "expected a positive whole number, found `0`"),
        (10, "quantity_year", "2021, yet no quantity"),
        (11, "source_url", "empty: every row needs the URL"),
        (12, "source2_url", "a contested row needs a second source"),
        (13, "name", "the same row as `O-RUS-MLI-01` (line 2): same pair, kind, name and start"),
    ];
    for (line, column, text) in expected {
        let at = format!("outreach.csv:{line}: column `{column}`: ");
        assert!(message.lines().any(|l| l.contains(&at) && l.contains(text)), "expected `{at}…{text}` in:\n{message}");
    }
    assert!(!message.contains("outreach.csv:2:"), "{message}");
}

/// Russia in every tracked recipient on the repository's datasets, with the default current years.
fn russia() -> &'static mdime::Evaluation {
    static EVALUATED: std::sync::OnceLock<mdime::Evaluation> = std::sync::OnceLock::new();
    EVALUATED.get_or_init(|| {
        let mut args = crate::run::args(&repo_datasets());
        args.benefactors = vec!["Russia".into()];
        args.current_years = mdime::indicators::CURRENT_YEARS;
        mdime::evaluate(&args.validate().unwrap()).unwrap()
    })
}

fn rating(recipient: &str, instrument: Instrument) -> &'static mdime::assess::Assessment {
    russia().assessments.iter().find(|a| a.recipient == recipient && a.instrument == Some(instrument)).unwrap()
}

#[test]
fn the_outreach_record_rates_russias_i1_and_i2_everywhere() {
    let record = shipped().outreach;
    // Mali has a Russian House: its I1 is rated, from the record among others.
    assert!(record.iter().any(|r| r.recipient == "MLI" && r.name.contains("Russian House")));
    let mali = rating("MLI", Instrument::I1);
    assert!(mali.current.rank().is_some(), "{:?}", mali.current);
    assert!(mali.sources.iter().any(|s| s == outreach::SOURCE), "{:?}", mali.sources);
    // Chile has no row: looked at and nothing seen, at Low confidence, not Not assessed.
    assert!(!record.iter().any(|r| r.recipient == "CHL"));
    for instrument in [Instrument::I1, Instrument::I2] {
        let chile = rating("CHL", instrument);
        assert_eq!((chile.current, chile.confidence), (CurrentLevel::Unobserved, Confidence::Low), "{instrument}");
    }
    // D2 only where a row counts: none in Chile.
    assert!(russia().indicators.sources_covering("RUS", "CHL", Instrument::D2).iter().all(|c| c.source != outreach::SOURCE));
    // Not one Russian I1 or I2 rating is left Not assessed.
    let not_assessed = russia()
        .assessments
        .iter()
        .filter(|a| matches!(a.instrument, Some(Instrument::I1 | Instrument::I2)) && a.current == CurrentLevel::NotAssessed)
        .count();
    assert_eq!(not_assessed, 0);
}

#[test]
fn outreach_presence_is_the_outlets_in_place_each_year() {
    // Russia in Mali: a partner Russian House from 2022 (a year standing for its middle, so half of 2022),
    // a Russian centre only planned (nothing), and Sputnik programmes on FM radio from December 2024 (a
    // media agreement, 0.5, for the second half of December: the month's middle on).
    let yearly = |year: i32| {
        russia()
            .indicators
            .values
            .iter()
            .find(|v| v.recipient == "MLI" && v.indicator == outreach::indicators::OUTLETS && v.period == Period::Year(year))
            .map(|v| v.value)
            .unwrap()
    };
    let by_hand = [(2021, 0.0), (2022, 0.5), (2023, 1.0), (2024, 1.0 + 0.5 / 24.0), (2025, 1.5)];
    for (year, value) in by_hand {
        assert!((yearly(year) - value).abs() < 1e-6, "{year}: {} against {value}", yearly(year));
    }
    let mean = by_hand.iter().map(|(_, v)| v).sum::<f64>() / 5.0;
    let window = russia().indicators.window_value("RUS", "MLI", Instrument::I1, outreach::indicators::OUTLETS).unwrap();
    assert!((window - mean).abs() < 1e-6, "{window} against {mean}");
}
