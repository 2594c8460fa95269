//! ATOP alliance obligations (M3), Russia's joint exercises (M1, M2) and SIPRI's arms embargoes (E1
//! context): the real files read completely, figures checked against the raw files by independent
//! code, ratings from the tables, and bad input refused with its place named.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use mdime::domain::{CountryTable, CurrentLevel, Instrument};
use mdime::indicators::Period;
use mdime::sources::{alliances, embargoes, exercises};

use predicates::prelude::*;

use crate::common::*;

fn atop_file() -> PathBuf {
    shared_data().join("alliances/atop-v5.1-china-russia.csv")
}

fn exercises_file() -> PathBuf {
    shared_data().join("exercises/russia-joint-exercises-2009-2018.csv")
}

fn embargoes_file() -> PathBuf {
    shared_data().join("sipri/arms-embargoes.csv")
}

struct Imported {
    dir: tempfile::TempDir,
    alliances: alliances::ImportReport,
    exercises: exercises::ImportReport,
    embargoes: embargoes::ImportReport,
}

/// A datasets folder with the arms table (which every run needs) and fresh imports of the three real
/// files, and no evidence logs: every rating below comes from the data alone. Made once.
fn imported() -> &'static Imported {
    static IMPORTED: OnceLock<Imported> = OnceLock::new();
    IMPORTED.get_or_init(|| {
        let dir = datasets_with_arms_table();
        Imported {
            alliances: alliances::import(&atop_file(), dir.path()).expect("the real ATOP file imports"),
            exercises: exercises::import(&exercises_file(), dir.path()).expect("the real exercise list imports"),
            embargoes: embargoes::import(&embargoes_file(), dir.path()).expect("the real embargo archive imports"),
            dir,
        }
    })
}

/// Both benefactors in every tracked recipient, window 2012 to the last year of data.
fn evaluation() -> &'static mdime::Evaluation {
    static EVALUATION: OnceLock<mdime::Evaluation> = OnceLock::new();
    EVALUATION.get_or_init(|| mdime::evaluate(&crate::run::args(imported().dir.path()).validate().unwrap()).unwrap())
}

fn yearly(e: &mdime::Evaluation, benefactor: &str, recipient: &str, indicator: &str) -> BTreeMap<i32, f64> {
    e.indicators
        .values
        .iter()
        .filter(|v| v.benefactor == benefactor && v.recipient == recipient && v.indicator == indicator)
        .filter_map(|v| match v.period {
            Period::Year(y) => Some((y, v.value)),
            Period::Window(..) => None,
        })
        .collect()
}

fn window(benefactor: &str, recipient: &str, instrument: Instrument, indicator: &str) -> f64 {
    evaluation().indicators.window_value(benefactor, recipient, instrument, indicator).unwrap()
}

fn level(e: &mdime::Evaluation, benefactor: &str, recipient: &str, instrument: Instrument) -> CurrentLevel {
    e.assessments.iter().find(|a| a.benefactor == benefactor && a.recipient == recipient && a.instrument == Some(instrument)).unwrap().current
}

// ---- ATOP -------------------------------------------------------------------------------------------

/// `(ccode1, ccode2, year) → [defense, offense, neutral, nonagg, consul]`, read by splitting lines (the
/// file quotes nothing).
fn raw_atop() -> BTreeMap<(u32, u32, i32), [bool; 5]> {
    let text = fs::read_to_string(atop_file()).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next().unwrap(), "ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul");
    let mut out = BTreeMap::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        let flags = [f[3] == "1", f[4] == "1", f[5] == "1", f[6] == "1", f[7] == "1"];
        assert!(out.insert((f[0].parse().unwrap(), f[1].parse().unwrap(), f[2].parse().unwrap()), flags).is_none());
    }
    out
}

fn union(raw: &BTreeMap<(u32, u32, i32), [bool; 5]>, a: u32, b: u32, year: i32) -> [bool; 5] {
    let (x, y) = (raw.get(&(a, b, year)).copied().unwrap_or_default(), raw.get(&(b, a, year)).copied().unwrap_or_default());
    std::array::from_fn(|i| x[i] || y[i])
}

#[test]
fn atop_is_read_completely_and_each_dyad_year_joined_with_its_reverse() {
    let raw = raw_atop();
    let report = &imported().alliances;
    let counts = &report.provenance.counts;
    assert_eq!(counts.records_read, raw.len());
    assert_eq!(counts.lines, fs::read_to_string(atop_file()).unwrap().lines().count());
    assert_eq!((counts.records_rejected, report.provenance.rejected.len()), (0, 0));
    let benefactor = |c: u32| c == 710 || c == 365;
    let empty_both_ways = raw.keys().filter(|&&(a, b, y)| (benefactor(a) || benefactor(b)) && union(&raw, a, b, y) == [false; 5]).count();
    let excluded: usize = report.provenance.excluded.iter().map(|e| e.rows).sum();
    assert_eq!(excluded, empty_both_ways + raw.keys().filter(|(a, b, _)| !benefactor(*a) && !benefactor(*b)).count());
    assert!(empty_both_ways > 0, "ATOP lists a few dyad-years with no obligation either way");
    // A row per record with a benefactor first and an obligation either way.
    let expected = raw.keys().filter(|&&(a, b, y)| benefactor(a) && union(&raw, a, b, y) != [false; 5]).count();
    assert_eq!((counts.rows_written, report.rows.len()), (expected, expected));
    let one_sided = raw.iter().filter(|(&(a, b, y), flags)| benefactor(a) && **flags != raw.get(&(b, a, y)).copied().unwrap_or_default()).count();
    assert_eq!(report.rows.iter().filter(|r| !r.one_sided.is_empty()).count(), one_sided);
    assert!(report.rows.iter().filter(|r| r.year > 1987).all(|r| r.one_sided.is_empty()), "none one-sided after 1987");
}

#[test]
fn china_pakistan_and_russia_armenia_obligations_match_the_raw_file() {
    let raw = raw_atop();
    let rows = &imported().alliances.rows;
    let flags = |r: &alliances::Alliance| [r.defense, r.offense, r.neutrality, r.non_aggression, r.consultation];
    for (benefactor, partner, iso3) in [(710, 770, ("CHN", "PAK")), (365, 770, ("RUS", "PAK")), (365, 371, ("RUS", "ARM"))] {
        for year in 2012..=2018 {
            let row = rows.iter().find(|r| r.benefactor_iso3 == iso3.0 && r.partner_iso3 == iso3.1 && r.year == year).unwrap();
            assert_eq!(flags(row), union(&raw, benefactor, partner, year), "{iso3:?} {year}");
        }
    }
    // The Collective Security Treaty: Russia is bound to defend Armenia throughout.
    assert!(rows.iter().filter(|r| r.benefactor_iso3 == "RUS" && r.partner_iso3 == "ARM" && r.year >= 2012).all(|r| r.defense));

    // China and Pakistan, year by year in the indicators: non-aggression throughout, consultation from
    // the year the raw file starts it.
    let e = evaluation();
    let consultation: BTreeMap<i32, f64> = (2012..=2018).map(|y| (y, f64::from(u8::from(union(&raw, 710, 770, y)[4])))).collect();
    assert_eq!(yearly(e, "CHN", "PAK", "consultation_obligation"), consultation);
    assert!(consultation.values().any(|v| *v == 1.0) && consultation.values().any(|v| *v == 0.0));
    assert!(yearly(e, "CHN", "PAK", "non_aggression_obligation").values().all(|v| *v == 1.0));
    assert!(yearly(e, "CHN", "PAK", "defense_obligation").values().all(|v| *v == 0.0));
    assert_eq!(yearly(e, "CHN", "PAK", "obligation_strength").keys().copied().collect::<Vec<_>>(), (2012..=2018).collect::<Vec<_>>(), "ATOP ends in 2018");
    assert_eq!(window("CHN", "PAK", Instrument::M3, "strongest_obligation"), 2.0);
    assert_eq!(window("CHN", "PAK", Instrument::M3, "years_with_pact"), 7.0);
    assert_eq!(window("CHN", "PAK", Instrument::M3, "pact_in_force_latest_year"), 1.0);
    assert_eq!(level(e, "CHN", "PAK", Instrument::M3), CurrentLevel::Low);
    // Neutrality (Russia and Iran, 630) is Medium; Thailand (800), in the Treaty of Amity alone, Very Low.
    assert!((2012..=2018).all(|y| union(&raw, 365, 630, y)[2]));
    assert_eq!(level(e, "RUS", "IRN", Instrument::M3), CurrentLevel::Medium);
    assert!((2012..=2018).all(|y| union(&raw, 710, 800, y) == [false, false, false, true, false]));
    assert_eq!(level(e, "CHN", "THA", Instrument::M3), CurrentLevel::VeryLow);
}

#[test]
fn atop_covers_every_pair_to_2018_and_no_row_means_no_pact() {
    let e = evaluation();
    let covered: Vec<_> = e.indicators.coverage.iter().filter(|c| c.instrument == Instrument::M3 && c.source.starts_with(alliances::SOURCE_LABEL)).collect();
    assert_eq!(covered.len(), 2 * 121);
    assert!(covered.iter().all(|c| (c.first_year, c.last_year) == (2012, 2018) && c.source.starts_with(alliances::SOURCE_LABEL)));
    // Recipients with no row for Russia in the raw file: Unobserved, never Not assessed.
    let raw = raw_atop();
    let without: Vec<&str> = ["BRA", "MLI", "NER", "VEN", "DZA"]
        .into_iter()
        .filter(|r| {
            let code = CountryTable::builtin().country(r).unwrap().cow_code.unwrap();
            (2012..=2018).all(|y| union(&raw, 365, code, y) == [false; 5])
        })
        .collect();
    assert!(!without.is_empty());
    for r in without {
        assert_eq!(level(e, "RUS", r, Instrument::M3), CurrentLevel::Unobserved, "{r}");
        assert_eq!(window("RUS", r, Instrument::M3, "strongest_obligation"), 0.0);
    }
}

#[test]
fn cow_codes_resolve_to_the_state_of_the_year() {
    let table = CountryTable::builtin();
    let state = |code: &str, year: i32| table.state_in(table.country(code).unwrap(), year).iso3.clone();
    for (code, year, iso3) in [
        ("345", 1991, "YUG"),
        ("345", 1992, "SCG"),
        ("345", 2005, "SCG"),
        ("345", 2006, "SRB"),
        ("365", 1921, "RUS"),
        ("365", 1922, "SUN"),
        ("365", 1991, "SUN"),
        ("365", 1992, "RUS"),
        ("816", 1975, "VDR"),
        ("816", 1976, "VNM"),
        ("710", 1950, "CHN"),
    ] {
        assert_eq!(state(code, year), iso3, "{code} in {year}");
    }
    // In the real table: Yugoslavia's code is three states over the years, and Russia's two.
    let rows = &imported().alliances.rows;
    let serbia: BTreeSet<(&str, bool, bool)> =
        rows.iter().filter(|r| r.partner_cow == 345).map(|r| (r.partner_iso3.as_str(), r.year <= 1991, r.year >= 2006)).collect();
    assert!(serbia.contains(&("YUG", true, false)) && serbia.contains(&("SCG", false, false)) && serbia.contains(&("SRB", false, true)), "{serbia:?}");
    assert!(serbia.iter().all(|(iso3, early, late)| match *iso3 {
        "YUG" => *early,
        "SRB" => *late,
        _ => !early && !late,
    }));
    assert!(rows.iter().any(|r| r.benefactor_iso3 == "SUN"));
    assert!(rows.iter().filter(|r| r.benefactor_iso3 == "SUN").all(|r| (1922..=1991).contains(&r.year)));
    assert!(rows.iter().filter(|r| r.benefactor_iso3 == "RUS").all(|r| !(1922..=1991).contains(&r.year)));
}

#[test]
fn atop_fixture_joins_directions_names_one_sided_promises_and_sets_aside_empty_dyads() {
    let dir = tempfile::tempdir().unwrap();
    let report = alliances::import(&source_fixture("alliances", "atop-small.csv"), dir.path()).unwrap();
    let row = |b: &str, cow: u32, year: i32| report.rows.iter().find(|r| r.benefactor_iso3 == b && r.partner_cow == cow && r.year == year).unwrap();
    assert_eq!((row("SUN", 345, 1950).partner_iso3.as_str(), row("RUS", 345, 2000).partner_iso3.as_str(), row("RUS", 345, 2010).partner_iso3.as_str()), ("YUG", "SCG", "SRB"));
    assert_eq!(row("SUN", 630, 1946).one_sided, "defense by benefactor");
    assert_eq!(row("SUN", 630, 1946).strongest, "defense");
    // West Germany (260) and Germany (255) in 1990: one state, two codes, two rows.
    assert_eq!((row("SUN", 255, 1990).partner_iso3.as_str(), row("SUN", 260, 1990).partner_iso3.as_str()), ("DEU", "DEU"));
    // Turkiye's promises to Russia with no record the other way: read from the one there is.
    let turkey = row("RUS", 640, 2018);
    assert!(turkey.neutrality && turkey.consultation && !turkey.defense);
    assert_eq!(turkey.one_sided, "neutrality by partner; consultation by partner; non_aggression by partner");
    // China and Russia: a row for each as benefactor.
    assert!(row("CHN", 365, 2017).consultation && row("RUS", 710, 2017).consultation);
    assert_eq!(report.provenance.counts.records_read, 22);
    let excluded: BTreeMap<&str, usize> = report.provenance.excluded.iter().map(|e| (e.reason.as_str(), e.rows)).collect();
    assert_eq!(excluded.values().sum::<usize>(), 3, "{excluded:?}");
    assert_eq!(report.rows.len(), 11);
}

// ---- exercises --------------------------------------------------------------------------------------

/// The raw list's records with a field, by header name, read with a plain CSV reader.
fn raw_exercises() -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(exercises_file()).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(Result::unwrap)
        .filter(|r| r.iter().any(|f| !f.trim().is_empty()))
        .map(|r| headers.iter().map(String::from).zip(r.iter().map(String::from)).collect())
        .collect()
}

fn raw_partners(record: &BTreeMap<String, String>) -> Vec<String> {
    (1..=28).filter_map(|i| record.get(&format!("part{i}"))).map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
}

#[test]
fn exercises_are_read_completely_with_their_russian_names_and_sources() {
    let raw = raw_exercises();
    let report = &imported().exercises;
    let counts = &report.provenance.counts;
    assert_eq!(counts.records_read, raw.len());
    assert_eq!(counts.records_rejected, 0);
    let named: usize = raw.iter().map(|r| raw_partners(r).len()).sum();
    assert_eq!((counts.rows_written, report.rows.len()), (named, named));
    for record in &raw {
        let id: u32 = record["id"].parse().unwrap();
        let rows: Vec<_> = report.rows.iter().filter(|r| r.exercise_id == id).collect();
        assert_eq!(rows.len(), raw_partners(record).len(), "exercise {id}");
        for row in rows {
            assert_eq!(row.exercise, record["name"].trim(), "names stay as the Ministry gives them");
            assert_eq!((row.year, row.partners), (record["yr"].parse().unwrap(), raw_partners(record).len()));
            assert_eq!(row.source_url, record["source"].trim());
            assert_eq!(row.other_source_url, record["source2"].trim());
        }
    }
    assert!(report.rows.iter().any(|r| r.exercise == "Индра-2016" && r.partner_iso3 == "IND" && r.kind == exercises::Kind::Bilateral));
    assert!(report.rows.iter().any(|r| r.comments.contains("All NATO states are listed")), "the compiler's caveat is kept");
}

#[test]
fn russia_exercises_with_egypt_india_and_pakistan_per_year_match_the_raw_file() {
    let raw = raw_exercises();
    let e = evaluation();
    for (english, russian, iso3) in [("Egypt", "Египет", "EGY"), ("India", "Индия", "IND"), ("Pakistan", "Пакистан", "PAK")] {
        let (mut bilateral, mut multilateral) = (BTreeMap::new(), BTreeMap::new());
        for year in 2012..=2018 {
            bilateral.insert(year, 0.0);
            multilateral.insert(year, 0.0);
        }
        for record in &raw {
            let partners = raw_partners(record);
            let year: i32 = record["yr"].parse().unwrap();
            if (2012..=2018).contains(&year) && partners.iter().any(|p| p == english || p == russian) {
                *(if partners.len() == 1 { &mut bilateral } else { &mut multilateral }).get_mut(&year).unwrap() += 1.0;
            }
        }
        assert_eq!(yearly(e, "RUS", iso3, "bilateral_exercises"), bilateral, "{english}");
        assert_eq!(yearly(e, "RUS", iso3, "multilateral_exercises"), multilateral, "{english}");
        assert_eq!(window("RUS", iso3, Instrument::M1, "bilateral_exercises"), bilateral.values().sum::<f64>());
        assert_eq!(window("RUS", iso3, Instrument::M2, "multilateral_exercises"), multilateral.values().sum::<f64>());
    }
    assert!(window("RUS", "EGY", Instrument::M1, "bilateral_exercises") >= 1.0, "Defenders of Friendship 2016");
    assert_eq!(level(e, "RUS", "IND", Instrument::M1), CurrentLevel::High);
    assert_eq!(level(e, "RUS", "EGY", Instrument::M1), CurrentLevel::Low);
    assert_eq!(level(e, "RUS", "PAK", Instrument::M1), CurrentLevel::VeryLow);
    assert_eq!(level(e, "RUS", "BRA", Instrument::M1), CurrentLevel::Unobserved);
}

#[test]
fn the_exercise_list_covers_russia_alone_and_never_decides_m2() {
    let e = evaluation();
    let m1: Vec<_> = e.indicators.coverage.iter().filter(|c| c.instrument == Instrument::M1 && c.source.starts_with(exercises::SOURCE_LABEL)).collect();
    assert_eq!(m1.len(), 121);
    assert!(m1.iter().all(|c| c.benefactor == "RUS" && (c.first_year, c.last_year) == (2012, 2018)));
    // China's M1 rests on the presence record alone here: it has no exercise list.
    assert!(e.assessments.iter().filter(|a| a.benefactor == "CHN" && a.instrument == Some(Instrument::M1)).all(|a| a.sources.iter().all(|s| !s.starts_with(exercises::SOURCE_LABEL))));
    // Multilateral exercises are reported under M2, but with no peacekeeping table M2 stays Not assessed.
    assert!(window("RUS", "THA", Instrument::M2, "multilateral_exercises") >= 1.0, "RIMPAC 2012");
    assert!(e.assessments.iter().filter(|a| a.instrument == Some(Instrument::M2)).all(|a| a.current == CurrentLevel::NotAssessed));
}

#[test]
fn exercise_fixture_resolves_russian_names_and_organisations() {
    let dir = tempfile::tempdir().unwrap();
    let report = exercises::import(&source_fixture("exercises", "exercises-small.csv"), dir.path()).unwrap();
    assert_eq!(report.provenance.counts.records_read, 4, "the blank trailing row is not a record");
    let egypt: Vec<_> = report.rows.iter().filter(|r| r.partner_iso3 == "EGY").map(|r| (r.year, r.kind)).collect();
    assert_eq!(egypt, [(2015, exercises::Kind::Bilateral), (2016, exercises::Kind::Bilateral)]);
    let spirit: Vec<_> = report.rows.iter().filter(|r| r.exercise_id == 4).map(|r| (r.partner.as_str(), r.partner_iso3.as_str(), r.partners)).collect();
    assert_eq!(spirit, [("Germany", "DEU", 3), ("NATO", "", 3), ("Norway", "NOR", 3)]);
}

// ---- embargoes --------------------------------------------------------------------------------------

/// `d-Mon-yy` → (year, month, day), written apart from the product's parser.
fn raw_date(text: &str) -> Option<(i32, u32, u32)> {
    let parts: Vec<&str> = text.trim().split('-').collect();
    if parts.len() != 3 {
        return None;
    }
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].iter().position(|m| *m == parts[1])? as u32 + 1;
    let yy: i32 = parts[2].parse().ok()?;
    Some((if yy < 50 { 2000 + yy } else { 1900 + yy }, month, parts[0].parse().ok()?))
}

/// Per year of `years`, whether any raw embargo on `target` (and any UN one) applied on some day of it.
fn raw_in_force(path: &Path, target: &str, years: std::ops::RangeInclusive<i32>) -> BTreeMap<i32, (bool, bool)> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).filter(|r| &r[0] == target).collect();
    years
        .map(|year| {
            let applies = |r: &csv::StringRecord| {
                let start = raw_date(&r[1]).unwrap();
                let end = [raw_date(&r[2]), raw_date(&r[3])].into_iter().flatten().min();
                start.0 <= year && end.is_none_or(|end| end > (year, 1, 1))
            };
            (year, (records.iter().any(applies), records.iter().any(|r| r[4].starts_with("UNSCR") && applies(r))))
        })
        .collect()
}

#[test]
fn embargo_archive_is_read_completely() {
    let mut reader = csv::Reader::from_path(embargoes_file()).unwrap();
    let raw: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).filter(|r| r.iter().any(|f| !f.trim().is_empty())).collect();
    let report = &imported().embargoes;
    let counts = &report.provenance.counts;
    assert_eq!((counts.records_read, counts.records_rejected, counts.rows_written), (raw.len(), 0, raw.len()));
    assert!(counts.lines > raw.len() + 1, "blank trailing rows are read and skipped");
    for r in &raw {
        let (y, m, d) = raw_date(&r[1]).unwrap();
        let entry = format!("{y:04}-{m:02}-{d:02}");
        assert!(report.rows.iter().any(|row| row.target == r[0].trim() && row.entry_into_force == entry), "{r:?}");
    }
    let imposers: BTreeSet<&str> = report.rows.iter().map(|r| r.imposed_by.as_str()).collect();
    assert_eq!(imposers, BTreeSet::from(["Arab League", "EU", "OSCE", "UN", "other"]));
    // The archive gives UNSCR 2216 (2015, Yemen) for Yugoslavia in 1991 too: kept, with a note on both.
    let noted: BTreeSet<&str> = report.rows.iter().filter(|r| !r.note.is_empty()).map(|r| r.target.as_str()).collect();
    assert_eq!(noted, BTreeSet::from(["Yemen", "Yugoslavia"]));
    assert!(report.rows.iter().any(|r| r.target == "Yugoslavia" && r.entry_into_force.starts_with("1998") && r.target_iso3 == "SCG"));
    assert!(report.rows.iter().filter(|r| r.target == "Taliban").all(|r| r.target_iso3.is_empty()));
}

#[test]
fn embargoes_on_sudan_myanmar_and_others_match_the_raw_file_for_both_benefactors() {
    let e = evaluation();
    for (target, iso3) in [("Sudan", "SDN"), ("Myanmar", "MMR"), ("Libya", "LBY"), ("Iran", "IRN"), ("Venezuela", "VEN"), ("Egypt", "EGY"), ("South Sudan", "SSD")] {
        let raw = raw_in_force(&embargoes_file(), target, 2012..=2018);
        for benefactor in ["CHN", "RUS"] {
            let any: BTreeMap<i32, f64> = raw.iter().map(|(y, (a, _))| (*y, f64::from(u8::from(*a)))).collect();
            let un: BTreeMap<i32, f64> = raw.iter().map(|(y, (_, u))| (*y, f64::from(u8::from(*u)))).collect();
            assert_eq!(yearly(e, benefactor, iso3, "arms_embargo_in_force"), any, "{target}");
            assert_eq!(yearly(e, benefactor, iso3, "un_arms_embargo_in_force"), un, "{target}");
            assert_eq!(window(benefactor, iso3, Instrument::E1, "years_under_embargo"), any.values().sum::<f64>());
        }
    }
    let sudan = raw_in_force(&embargoes_file(), "Sudan", 2012..=2018);
    assert!(sudan.values().all(|&(any, un)| any && un), "UN and EU embargoes on Sudan throughout");
    let myanmar = raw_in_force(&embargoes_file(), "Myanmar", 2012..=2018);
    assert!(myanmar.values().all(|&(any, un)| any && !un), "the EU's embargo on Myanmar, no UN one");
    // Not rated and no coverage: E1 is rated from SIPRI's deliveries alone.
    assert!(e.indicators.coverage.iter().all(|c| !c.source.starts_with(embargoes::CITATION)));
}

#[test]
fn embargo_fixture_reads_two_digit_years_and_ends_on_the_day_lifted() {
    let dir = datasets_with_arms_table();
    let report = embargoes::import(&source_fixture("embargoes", "embargoes-small.csv"), dir.path()).unwrap();
    let row = |target: &str, year: &str| report.rows.iter().find(|r| r.target == target && r.entry_into_force.starts_with(year)).unwrap();
    assert_eq!(row("South Africa", "1963").lifted, "1977-11-04");
    assert_eq!((row("Libya", "1992").in_force_until.as_str(), row("Libya", "1992").imposed_by.as_str()), ("1999-04-05", "UN"));
    assert_eq!((row("Togo", "2005").imposed_by.as_str(), row("Togo", "2005").document.as_str()), ("other", ""));
    assert_eq!(row("Syria", "2011").imposed_by, "Arab League");
    assert_eq!(row("Myanmar", "1991").imposed_by, "EU");
    let mut args = crate::run::args(dir.path());
    (args.since, args.as_of) = (2000, Some(2010));
    args.recipients = vec!["Togo".into(), "Libya".into()];
    let e = mdime::evaluate(&args.validate().unwrap()).unwrap();
    let togo = yearly(&e, "CHN", "TGO", "arms_embargo_in_force");
    assert_eq!((togo[&2004], togo[&2005], togo[&2006]), (0.0, 1.0, 0.0), "lifted on 1 January 2006: not in force that year");
    assert_eq!(yearly(&e, "RUS", "LBY", "arms_embargo_in_force").values().sum::<f64>(), 0.0, "suspended in 1999");
}

// ---- outputs, committed tables, bad input -----------------------------------------------------------

#[test]
fn indicators_csv_carries_the_new_instruments_with_their_sources() {
    let out = tempfile::tempdir().unwrap();
    mdime()
        // The whole window: ATOP and the exercise list end in 2018, before the default's current years.
        .args(["run", "--format", "csv", "--current-years", "100", "--recipient", "Egypt", "--recipient", "Pakistan", "--recipient", "Sudan", "--recipient", "India", "--datasets"])
        .arg(imported().dir.path())
        .arg("--output")
        .arg(out.path())
        .assert()
        .success();
    let mut reader = csv::Reader::from_path(out.path().join("indicators.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (instrument, indicator, source) = (column("instrument"), column("indicator"), column("source"));
    let mut seen = BTreeSet::new();
    for record in reader.records().map(Result::unwrap) {
        let named = |list: &[(Instrument, &str)]| list.iter().any(|(_, name)| *name == &record[indicator]);
        let expected = match (&record[instrument], &record[indicator]) {
            ("M3", _) if named(alliances::indicators::INDICATORS) => alliances::SOURCE_LABEL,
            ("M1" | "M2", _) if named(exercises::indicators::INDICATORS) => exercises::SOURCE_LABEL,
            ("E1", i) if i.contains("embargo") => embargoes::CITATION,
            _ => continue,
        };
        assert!(record[source].starts_with(expected), "every row names its source: {record:?}");
        seen.insert((record[instrument].to_string(), record[indicator].to_string()));
    }
    let names: BTreeSet<&str> = seen.iter().map(|(_, i)| i.as_str()).collect();
    for name in ["strongest_obligation", "consultation_obligation", "bilateral_exercises", "multilateral_exercises", "arms_embargo_in_force", "years_under_embargo"] {
        assert!(names.contains(name), "{name} missing from indicators.csv");
    }
    let assessments = fs::read_to_string(out.path().join("assessments.csv")).unwrap();
    assert!(assessments.contains("Russia,India,IND,South Asia,M1,Formal bilateral military engagements,High,"), "{assessments}");
}

type Import = fn(&Path, &Path) -> mdime::Result<()>;

fn import_alliances(file: &Path, datasets: &Path) -> mdime::Result<()> {
    alliances::import(file, datasets).map(|_| ())
}

fn import_exercises(file: &Path, datasets: &Path) -> mdime::Result<()> {
    exercises::import(file, datasets).map(|_| ())
}

fn import_embargoes(file: &Path, datasets: &Path) -> mdime::Result<()> {
    embargoes::import(file, datasets).map(|_| ())
}

/// Each fixture spoiled one way: the message names the file, the line and the column, and nothing is
/// written.
#[test]
fn bad_input_names_file_line_and_column_and_writes_nothing() {
    let cases: [(&str, Import, &str, &str, &str); 14] = [
        ("atop-small.csv", import_alliances, "atop_consul\n", "consul\n", "line 1: the header lacks the column(s) `atop_consul`"),
        ("atop-small.csv", import_alliances, "710,770,2017", "999,770,2017", ":4: column `ccode1`: unknown Correlates of War code `999`"),
        ("atop-small.csv", import_alliances, "640,365,2018,0,0,1,1,1", "640,365,2018,0,0,1,1,yes", ":20: column `atop_consul`: expected 0 or 1, found `yes`"),
        ("atop-small.csv", import_alliances, "2,20,2017,1,0,0,0,0\n", "2,20,2017,1,0", ":23: column `atop_neutral`: missing: the record ends after 5 of 8 fields"),
        ("atop-small.csv", import_alliances, "365,630,1946", "365,630,19x6", ":14: column `year`: expected a year, found `19x6`"),
        ("exercises-small.csv", import_exercises, ",source,", ",url,", "line 1: the header lacks the column(s) `source`"),
        ("exercises-small.csv", import_exercises, "2015,Egypt", "20I5,Egypt", ":3: column `yr`: expected a year, found `20I5`"),
        ("exercises-small.csv", import_exercises, "Египет", "Египетт", ":2: column `part1`: unknown country `Египетт`"),
        ("exercises-small.csv", import_exercises, "https://structure.mil.ru/mission/practice/all/more.htm?id=1@egNews", "mil.ru", ":3: column `source`: `mil.ru` is not an http(s) URL"),
        ("exercises-small.csv", import_exercises, "2010,Germany,NATO,Norway ,Partners as reported,http://old.redstar.ru/2010/06/19_06/2_07.html,http://www.baltic-course.com/rus/\n,,,,,,,,\n", "2010,Germany", ":5: column `part2`: missing: the record ends after 4 of 9 fields"),
        ("embargoes-small.csv", import_embargoes, "30-Jul-04", "31-Feb-04", ":2: column `Entry into force`: expected a date like `19-Dec-00`, found `31-Feb-04`"),
        ("embargoes-small.csv", import_embargoes, "12-Sep-03", "12-Sep-90", ":5: column `Lifted`: 1990-09-12 is before the embargo entered into force"),
        ("embargoes-small.csv", import_embargoes, "LAS statement", "Memo", ":12: column `Establishing document`: cannot tell who imposed the embargo from `Memo`"),
        ("embargoes-small.csv", import_embargoes, "Syria,3-Dec-11,,,LAS statement\n,,,,\n", "Syria,3-Dec-11", ":12: column `Suspended`: missing: the record ends after 2 of 5 fields"),
    ];
    for (name, import, from, to, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let source = match name { "atop-small.csv" => "alliances", "exercises-small.csv" => "exercises", _ => "embargoes" };
        let text = fs::read_to_string(source_fixture(source, name)).unwrap();
        assert!(text.contains(from), "{name} has `{from}`");
        let path = dir.path().join(format!("bad-{name}"));
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let message = import(&path, dir.path()).unwrap_err().to_string();
        assert!(message.contains(&format!("bad-{name}")) && message.contains(expected), "{name}: `{from}` → `{to}`:\n{message}");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "nothing written beside {name}");
    }
}

#[test]
fn exercise_names_must_be_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cp1251.csv");
    let mut bytes = fs::read(source_fixture("exercises", "exercises-small.csv")).unwrap();
    // `Египет` saved in Windows-1251, as a spreadsheet might: read as Latin-1 it would be garbage.
    let at = bytes.windows(12).position(|w| w == "Египет".as_bytes()).unwrap();
    bytes.splice(at..at + 12, [0xC5, 0xE3, 0xE8, 0xEF, 0xE5, 0xF2]);
    fs::write(&path, bytes).unwrap();
    let message = exercises::import(&path, dir.path()).unwrap_err().to_string();
    assert!(message.contains("cp1251.csv: line 2: not valid UTF-8"), "{message}");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn import_commands_default_to_the_shared_files() {
    for (source, help) in [("alliances", "obligations"), ("exercises", "bilateral"), ("embargoes", "1950")] {
        mdime().args(["import", source, "--help"]).assert().success().stdout(predicate::str::contains(help).and(predicate::str::contains("../shared/data/")));
    }
    let out = tempfile::tempdir().unwrap();
    let assert = mdime().current_dir(env!("CARGO_MANIFEST_DIR")).args(["import", "exercises", "--datasets"]).arg(out.path()).assert().success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("russia-joint-exercises-2009-2018.csv") && stdout.contains(&format!("{} records read", raw_exercises().len())), "{stdout}");
    assert!(out.path().join(exercises::TABLE).is_file() && out.path().join("exercises.provenance.toml").is_file());
}
