//! The assessment's rules on small synthetic inputs, where every expected value is worked out by hand:
//! the overall level and its confidence, an instrument's confidence, the caps hostility puts on a pair,
//! the common level scale, comparisons made like for like, and the CAMEO table's own checks.

use std::fs;
use std::path::Path;

use mdime::assess::{self, weighted_level, Assessment};
use mdime::domain::evidence::EventDate;
use mdime::domain::presence::{Hostility, HostilityKind};
use mdime::domain::{Benefactor, Confidence, CountryTable, CurrentLevel, Instrument};
use mdime::indicators::{Coverage, IndicatorValue, Indicators, Period, Scope, Window};

use crate::common::*;

const WINDOW: Window = Window { start: 2021, end: 2025 };

/// Evidence-log values for one pair: per instrument, the window's weighted score and its number of
/// events, covered by the logs (the built-in rubric's evidence thresholds are 2.2, 8.7, 17.4, 32.7).
fn logged(rated: &[(Instrument, f64, f64)]) -> Indicators {
    let mut indicators = Indicators::default();
    let source = mdime::sources::evidence::SOURCE.to_string();
    for &(instrument, score, events) in rated {
        for (indicator, value, unit) in [("evidence_score", score, "weighted events"), ("evidence_events", events, "events")] {
            indicators.values.push(IndicatorValue {
                benefactor: "CHN".into(),
                recipient: "MLI".into(),
                instrument,
                indicator,
                period: Period::Window(WINDOW.start, WINDOW.end),
                value,
                unit,
                source: source.clone(),
                evidence_ids: Vec::new(),
            });
        }
        indicators.coverage.push(Coverage {
            benefactor: "CHN".into(),
            recipient: "MLI".into(),
            instrument,
            source: source.clone(),
            first_year: WINDOW.start,
            last_year: WINDOW.end,
        });
    }
    indicators.values.sort_by(|a, b| (a.instrument, a.indicator).cmp(&(b.instrument, b.indicator)));
    indicators.coverage.sort();
    indicators
}

/// China's twelve ratings and overall rating in Mali from `indicators`, with the built-in rubric.
fn assessed(indicators: &Indicators) -> Vec<Assessment> {
    let countries = CountryTable::builtin();
    let benefactors = [Benefactor { iso3: "CHN".into(), name: "China".into(), colour: [0, 0, 0] }];
    let recipients = [countries.country("MLI").unwrap()];
    let scope = Scope { benefactors: &benefactors, recipients: &recipients, window: WINDOW, attribute_ussr_to_russia: false };
    assess::assess(indicators, &mdime::assess::Rubric::builtin(), &scope)
}

fn rating(pair: &[Assessment], instrument: Option<Instrument>) -> &Assessment {
    pair.iter().find(|a| a.instrument == instrument).unwrap()
}

#[test]
fn the_overall_level_weighs_forces_first_then_by_rank() {
    use CurrentLevel::*;
    use Instrument::*;
    // E3 Very High acts on society (×1/2), M1 High on the forces (×1), I1 Very Low (×1/2), D2
    // Unobserved (×1, counting 0); sorted by level: E3 5 (k=1: 1 × 1/2), M1 4 (k=2: 1/2 × 1), I1 1
    // (k=3: 1/3 × 1/2), D2 0 (k=4: 1/4 × 1); the rest not assessed.
    let levels = [(E3, VeryHigh), (M1, High), (I1, VeryLow), (D2, Unobserved), (M3, NotAssessed)];
    let weights = [0.5, 0.5, 1.0 / 6.0, 0.25];
    let expected = (5.0 * weights[0] + 4.0 * weights[1] + 1.0 * weights[2]) / weights.iter().sum::<f64>();
    let score = weighted_level(&levels, assess::overall_weight).unwrap();
    assert!((score - expected).abs() < 1e-12, "{score} vs {expected}");
    assert!((score - 3.0).abs() < 0.5, "{score}: Medium, where ranking alone would give {}", weighted_level(&levels, |k, _| assess::rank_weight(k)).unwrap());
    // Among equal levels the instrument acting on the forces comes first and takes the larger rank weight.
    let tied = weighted_level(&[(E3, High), (M1, High), (D1, Unobserved)], assess::overall_weight).unwrap();
    assert!((tied - (4.0 * 1.0 + 4.0 * 0.25) / (1.0 + 0.25 + 1.0 / 6.0)).abs() < 1e-12, "{tied}");
    assert_eq!(weighted_level(&[(M1, High), (M2, Unobserved)], |_, _| 1.0), Some(2.0));
    assert_eq!(weighted_level(&[(M1, High), (M2, NotAssessed)], |_, _| 1.0), Some(4.0));
    assert_eq!(weighted_level(&[(M1, NotAssessed); 12], assess::overall_weight), None);
}

#[test]
fn the_overall_confidence_follows_how_many_instruments_are_assessed() {
    // Every assessed instrument High (score 20) on five events: each High confidence but the secretive
    // I3 and E2; the overall's confidence is then capped by coverage: nine or more High, six to eight
    // Medium, fewer Low. The drivers are the three strongest, which here are never secretive.
    for (assessed_count, expected) in [(12, Confidence::High), (9, Confidence::High), (8, Confidence::Medium), (6, Confidence::Medium), (5, Confidence::Low), (1, Confidence::Low)]
    {
        let rated: Vec<(Instrument, f64, f64)> =
            Instrument::ALL.iter().filter(|i| !i.is_secretive()).chain([Instrument::I3, Instrument::E2].iter()).take(assessed_count).map(|&i| (i, 20.0, 5.0)).collect();
        let pair = assessed(&logged(&rated));
        let overall = rating(&pair, None);
        assert_eq!(overall.current, CurrentLevel::High, "{assessed_count} assessed");
        assert_eq!(overall.confidence, expected, "{assessed_count} assessed");
        assert_eq!(pair.iter().filter(|a| a.instrument.is_some() && a.current != CurrentLevel::NotAssessed).count(), assessed_count);
    }
}

#[test]
fn an_instruments_confidence_follows_its_data_points_and_secrecy() {
    use Instrument::*;
    let pair = assessed(&logged(&[(D1, 20.0, 3.0), (D2, 20.0, 2.0), (D3, 20.0, 1.0), (M1, 0.0, 0.0), (I3, 40.0, 9.0)]));
    let confidence = |i| rating(&pair, Some(i)).confidence;
    assert_eq!(confidence(D1), Confidence::High, "three data points");
    assert_eq!(confidence(D2), Confidence::Medium, "two");
    assert_eq!(confidence(D3), Confidence::Medium, "one");
    assert_eq!(rating(&pair, Some(M1)).current, CurrentLevel::Unobserved);
    assert_eq!(confidence(M1), Confidence::Medium, "looked for by the logs and not seen");
    assert_eq!(rating(&pair, Some(I3)).current, CurrentLevel::VeryHigh);
    assert_eq!(confidence(I3), Confidence::Low, "secretive, whatever its evidence");
    assert_eq!(rating(&pair, Some(E1)).current, CurrentLevel::NotAssessed);
}

#[test]
fn silence_of_an_event_sample_alone_is_unobserved_at_low_confidence() {
    let mut indicators = Indicators::default();
    indicators.coverage.push(Coverage {
        benefactor: "CHN".into(),
        recipient: "MLI".into(),
        instrument: Instrument::M1,
        source: format!("{} 2021-2023", mdime::sources::events::indicators::SOURCE_LABEL),
        first_year: 2021,
        last_year: 2023,
    });
    let pair = assessed(&indicators);
    let m1 = rating(&pair, Some(Instrument::M1));
    assert_eq!((m1.current, m1.confidence), (CurrentLevel::Unobserved, Confidence::Low));
    // The same silence in a record that would have held the activity is Unobserved at Medium.
    let pair = assessed(&logged(&[(Instrument::M1, 0.0, 0.0)]));
    assert_eq!(rating(&pair, Some(Instrument::M1)).confidence, Confidence::Medium);
}

fn episode(kind: HostilityKind) -> Hostility {
    Hostility {
        id: "H-CHN-MLI-01".into(),
        file: "hostilities.csv".into(),
        line: 2,
        benefactor: "CHN".into(),
        recipient: "MLI".into(),
        kind,
        start: EventDate::parse("2023-05-01").unwrap(),
        end: EventDate::parse("2023-05-02"),
        description: String::new(),
        sources: Vec::new(),
    }
}

#[test]
fn hostility_caps_the_overall_level_and_a_clash_empties_defence_diplomacy() {
    use Instrument::*;
    let strong: Vec<(Instrument, f64, f64)> = Instrument::ALL.iter().map(|&i| (i, 40.0, 5.0)).collect();
    let pair = assessed(&logged(&strong));
    assert_eq!(rating(&pair, None).current, CurrentLevel::VeryHigh);
    assert!(rating(&pair, None).hostilities.is_empty());
    for kind in [HostilityKind::Sanctions, HostilityKind::ArmsEmbargo, HostilityKind::Rupture, HostilityKind::ArmedClash] {
        let mut indicators = logged(&strong);
        indicators.hostilities.push(episode(kind));
        let pair = assessed(&indicators);
        let overall = rating(&pair, None);
        // The episode ended in 2023, before the end of the as-of year: a rupture mended caps as any.
        assert_eq!(overall.current, assess::HOSTILE_CAP, "{kind:?}");
        assert_eq!(overall.cap, Some(assess::HOSTILE_CAP), "{kind:?}");
        assert!(overall.hostilities[0].starts_with("H-CHN-MLI-01"), "{:?}", overall.hostilities);
        assert!(overall.sources.iter().any(|s| s == mdime::sources::hostilities::SOURCE));
        let d1 = rating(&pair, Some(D1)).current;
        let expected = if kind == HostilityKind::ArmedClash { CurrentLevel::VeryLow } else { CurrentLevel::VeryHigh };
        assert_eq!(d1, expected, "{kind:?}: D1");
        assert_eq!(rating(&pair, Some(M1)).current, CurrentLevel::VeryHigh, "{kind:?}: other instruments keep their level");
    }
}

#[test]
fn a_rupture_that_still_stands_caps_the_overall_level_at_very_low() {
    let strong: Vec<(Instrument, f64, f64)> = Instrument::ALL.iter().map(|&i| (i, 40.0, 5.0)).collect();
    let as_of = WINDOW.end;
    let standing = |end: Option<&str>, kind: HostilityKind| Hostility { end: end.and_then(EventDate::parse), ..episode(kind) };
    let cases = [
        (standing(None, HostilityKind::Rupture), CurrentLevel::VeryLow),
        (standing(Some(&format!("{}-06-30", as_of + 1)), HostilityKind::Rupture), CurrentLevel::VeryLow),
        (standing(Some(&format!("{as_of}-12-14")), HostilityKind::Rupture), CurrentLevel::Low),
        (standing(None, HostilityKind::Sanctions), CurrentLevel::Low),
    ];
    for (episode, expected) in cases {
        let mut indicators = logged(&strong);
        indicators.hostilities.push(episode.clone());
        let overall = rating(&assessed(&indicators), None).clone();
        assert_eq!((overall.current, overall.cap), (expected, Some(expected)), "{:?} ending {:?}", episode.kind, episode.end);
    }
    // A rupture and a clash: the lower cap holds.
    let mut indicators = logged(&strong);
    indicators.hostilities.extend([episode(HostilityKind::ArmedClash), standing(None, HostilityKind::Rupture)]);
    assert_eq!(rating(&assessed(&indicators), None).current, CurrentLevel::VeryLow);
    assert_eq!(assess::hostility_cap([] as [&Hostility; 0], as_of), None);
}

#[test]
fn the_level_score_places_every_rating_on_one_scale() {
    use Instrument::*;
    // Evidence thresholds 2.2, 8.7, 17.4, 32.7: 5.45 is half-way through Low, 30 near the top of High,
    // 65.4 twice the Very High threshold.
    let pair = assessed(&logged(&[(D1, 5.45, 3.0), (D2, 30.0, 3.0), (D3, 65.4, 3.0), (I1, 1.1, 3.0), (M1, 0.0, 0.0)]));
    let score = |i| rating(&pair, Some(i)).level_score.unwrap();
    assert!((score(D1) - 2.5).abs() < 1e-9, "{}", score(D1));
    assert!((score(D2) - (4.0 + (30.0 - 17.4) / (32.7 - 17.4))).abs() < 1e-9, "{}", score(D2));
    assert!((score(D3) - 5.999).abs() < 1e-9, "{}", score(D3));
    assert!((score(I1) - 1.5).abs() < 1e-9, "{}", score(I1));
    assert_eq!(score(M1), 0.0);
    for a in pair.iter().filter(|a| a.instrument.is_some()) {
        if let (Some(rank), Some(level_score)) = (a.current.rank(), a.level_score) {
            assert!((f64::from(rank)..f64::from(rank) + 1.0).contains(&level_score), "{a:?}");
        }
    }
}

/// A datasets folder with the CAMEO table and its name variants, one line of the table replaced.
fn cameo_with(from: &str, to: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for table in ["cameo_instruments.csv", "cameo_name_variants.csv"] {
        fs::copy(repo_datasets().join(table), dir.path().join(table)).unwrap();
    }
    let path = dir.path().join("cameo_instruments.csv");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "the table has `{from}`");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
    dir
}

#[test]
fn the_cameo_table_refuses_its_own_defects_with_line_and_column() {
    let loads = |dir: &Path| mdime::sources::events::cameo::Mapping::load(dir).map(|_| ()).map_err(|e| e.to_string());
    let shipped = tempfile::tempdir().unwrap();
    for table in ["cameo_instruments.csv", "cameo_name_variants.csv"] {
        fs::copy(repo_datasets().join(table), shipped.path().join(table)).unwrap();
    }
    assert_eq!(loads(shipped.path()), Ok(()));
    let text = fs::read_to_string(repo_datasets().join("cameo_instruments.csv")).unwrap();
    let line_of = |needle: &str| 1 + text[..text.find(needle).unwrap()].matches('\n').count();
    // A counted code whose first five fields are unquoted, so that they can be rewritten as text.
    let counted = text
        .lines()
        .find(|l| {
            let fields: Vec<&str> = l.splitn(6, ',').collect();
            l.starts_with("cameo,") && fields.len() == 6 && !fields[..5].iter().any(|f| f.contains('"')) && !fields[3].is_empty()
        })
        .unwrap()
        .to_string();
    let fields: Vec<&str> = counted.split(',').collect();
    let (code, instrument, weight) = (fields[1], fields[3], fields[4]);
    let prefix = format!("cameo,{code},");
    let cases = [
        (counted.clone(), counted.replacen(&format!(",{instrument},{weight},"), &format!(",X9,{weight},"), 1), "column `instrument`"),
        (counted.clone(), counted.replacen(&format!(",{instrument},{weight},"), &format!(",{instrument},9,"), 1), "column `weight`: expected a weight from 0.5 to 4"),
        (counted.clone(), counted.replacen(&format!(",{instrument},{weight},"), &format!(",{instrument},,"), 1), "column `weight`: empty"),
        (counted.clone(), counted.replacen(&prefix, "cameo,12a,", 1), "column `code`: `12a` is not a cameo code"),
        (counted.clone(), counted.replacen("cameo,", "kameo,", 1), "column `scheme`: expected cameo or plover"),
        (counted.clone(), format!("{counted}\n{counted}"), "is listed twice"),
    ];
    for (from, to, expected) in cases {
        let dir = cameo_with(&from, &to);
        let message = loads(dir.path()).unwrap_err();
        let line = line_of(&from) + usize::from(expected == "is listed twice");
        assert!(message.contains(&format!("cameo_instruments.csv:{line}: ")) && message.contains(expected), "`{to}`: {message}");
    }
}

#[test]
fn a_comparison_leaves_out_an_instrument_assessed_for_one_benefactor_only() {
    use CurrentLevel::*;
    use Instrument::*;
    // China: M1 and I1 Very High. Russia: M1 High and D2 Low, I1 Not assessed. Russia's own overall is
    // (4 × 1 + 2 × 1/2) / (1 + 1/2) = 3.33, Medium; on M1 alone, the one instrument assessed for both, it
    // is High, and China's Very High: one step apart where the own overalls are two.
    let china = assessed(&logged(&[(M1, 40.0, 9.0), (I1, 40.0, 9.0)]));
    let russia: Vec<Assessment> =
        assessed(&logged(&[(M1, 20.0, 5.0), (D2, 5.0, 3.0)])).into_iter().map(|a| Assessment { benefactor: "RUS".into(), ..a }).collect();
    assert_eq!((rating(&china, Some(I1)).current, rating(&russia, Some(I1)).current), (VeryHigh, NotAssessed));
    assert_eq!((rating(&china, None).current, rating(&russia, None).current), (VeryHigh, Medium));

    let compared = assess::like_for_like(&china, &russia);
    assert_eq!(compared.compared, vec![M1]);
    assert_eq!((compared.first.current, compared.second.current), (VeryHigh, High));
    assert_eq!((compared.first.score, compared.second.score), (Some(5.0), Some(4.0)));
    let left_out = |i: Instrument| compared.left_out.iter().find(|l| l.instrument == i).map(|l| l.not_assessed_for.clone());
    assert_eq!(left_out(I1), Some(vec!["RUS".to_string()]));
    assert_eq!(left_out(D2), Some(vec!["CHN".to_string()]));
    assert_eq!(left_out(E1), Some(vec!["CHN".to_string(), "RUS".to_string()]));
    assert_eq!(left_out(M1), None);
    assert_eq!(compared.left_out.len(), 11);

    let benefactors = [
        Benefactor { iso3: "CHN".into(), name: "China".into(), colour: [0, 0, 0] },
        Benefactor { iso3: "RUS".into(), name: "Russia".into(), colour: [0, 0, 0] },
    ];
    let words = mdime::render::compared_on(&compared, &benefactors);
    assert!(words.starts_with("compared on 1 instrument assessed for both; left out: D1 (China and Russia not assessed), D2 (China not assessed)"), "{words}");
    assert!(words.contains("I1 (Russia not assessed)"), "{words}");
    assert!(!words.contains("M1"), "{words}");

    // The comparison is the pair's own overall where nothing is left out.
    let same = assess::like_for_like(&china, &china);
    assert_eq!((same.first.current, same.first.score), (rating(&china, None).current, rating(&china, None).score));
    assert_eq!(same.compared, vec![I1, M1]);
}
