use mdime::domain::{CurrentLevel, Instrument, Trend};
use mdime::project::backtest::{self, Candidate, Case, Selection};
use mdime::project::model::ranked_probability_score;
use mdime::domain::evidence::EventDate;
use mdime::domain::presence::{Presence, PresenceKind, PresenceStatus};
use mdime::project::{classify, overall_direction, record_changes, scheduled, trend, Calibration, Change};
use mdime::sources::Curated;

use crate::common::repo_datasets;

fn series(start: i32, values: &[f64]) -> Vec<(i32, f64)> {
    values.iter().enumerate().map(|(i, v)| (start + i as i32, *v)).collect()
}

#[test]
fn the_direction_rule_on_small_series() {
    // Too short to tell.
    assert_eq!(trend(&series(2020, &[5.0, 9.0, 14.0]), 2022).direction, Trend::Unknown);
    // Nothing happening: Steady.
    assert_eq!(trend(&series(2010, &[0.0; 10]), 2019).direction, Trend::Steady);
    // A clear, significant rise continues.
    let rising = trend(&series(2010, &[1.0, 2.0, 3.0, 5.0, 6.0, 8.0, 9.0, 11.0, 12.0, 14.0]), 2019);
    assert_eq!(rising.direction, Trend::Increasing);
    assert!(rising.p_value.unwrap() < 0.01 && rising.slope.unwrap() > 1.0);
    // The projected value is the trend's mean over the next three years: Theil–Sen slope 1.5 and, as
    // the median of y − 1.5 (year − 2010) = 1, .5, 0, .5, 0, .5, 0, .5, 0, .5, an intercept of 0.5 in
    // 2010; so 15.5, 17 and 18.5 in 2020–2022, mean 17.
    assert!((rising.value.unwrap() - 17.0).abs() < 1e-9, "{rising:?}");
    assert!(rising.lower.is_none(), "the interval needs past errors, which a lone series lacks");
    // A spike in the last years with no trend reverts: Decreasing.
    let lumpy = trend(&series(2010, &[30.0, 5.0, 25.0, 10.0, 20.0, 8.0, 22.0, 6.0, 40.0, 38.0]), 2019);
    assert!(lumpy.p_value.unwrap() >= 0.1, "no significant trend");
    assert_eq!(lumpy.direction, Trend::Decreasing, "above its level, a lumpy series comes back down");
    // A flat series with ties stays Steady.
    assert_eq!(trend(&series(2010, &[5.0, 5.0, 6.0, 5.0, 6.0, 5.0, 5.0, 6.0, 5.0, 5.0]), 2019).direction, Trend::Steady);
    // Gaps: only the years given count, and a series with gaps still projects.
    let gappy = vec![(2010, 1.0), (2012, 2.0), (2013, 3.0), (2016, 6.0), (2018, 8.0), (2019, 9.0)];
    assert_eq!(trend(&gappy, 2019).direction, Trend::Increasing);
    // Nothing after the as-of year is used.
    let mut with_future = series(2010, &[1.0, 2.0, 3.0, 5.0, 6.0, 8.0, 9.0, 11.0, 12.0, 14.0]);
    with_future.push((2020, 0.0));
    assert_eq!(trend(&with_future, 2019), rising);
}

#[test]
fn classification_band_and_overall_direction() {
    assert_eq!(classify(100.0, 119.0), Trend::Steady);
    assert_eq!(classify(100.0, 121.0), Trend::Increasing);
    assert_eq!(classify(100.0, 79.0), Trend::Decreasing);
    assert_eq!(classify(0.0, 0.0), Trend::Steady);
    assert_eq!(classify(0.0, 1.0), Trend::Increasing);
    assert_eq!(overall_direction(&[Trend::Increasing, Trend::Increasing, Trend::Steady]), Trend::Increasing);
    assert_eq!(overall_direction(&[Trend::Increasing, Trend::Decreasing]), Trend::Steady);
    assert_eq!(overall_direction(&[Trend::Unknown]), Trend::Unknown);
}

#[test]
fn a_scheduled_withdrawal_overrides_the_trend() {
    let dir = crate::common::datasets_with_arms_table();
    std::fs::create_dir(dir.path().join("evidence")).unwrap();
    let header = "id,date,benefactor,recipient,instrument,event_type,magnitude,unit,effective_date,confidence,summary,source_title,source_publisher,source_date,source_url";
    let rows: Vec<String> = (2014..=2023)
        .map(|y| format!("T-CHN-{y},{y},China,MLI,M2,un_mission_deployment,400,personnel,,high,Contingent rotated,T,P,{y},https://example.org/{y}"))
        .chain(std::iter::once("T-CHN-END,2023-06-30,China,MLI,M2,mission_withdrawal,,,2023-12-31,high,Mission ordered to withdraw,T,P,2023,https://example.org/end".to_string()))
        .collect();
    std::fs::write(dir.path().join("evidence/MLI.csv"), format!("{header}\n{}\n", rows.join("\n"))).unwrap();
    let mut args = crate::run::args(dir.path());
    args.recipients = vec!["Mali".into()];
    args.as_of = Some(2023);
    let evaluation = mdime::evaluate(&args.validate().unwrap()).unwrap();
    let m2 = evaluation.assessments.iter().find(|a| a.benefactor == "CHN" && a.instrument == Some(Instrument::M2)).unwrap();
    // Ten years of 400 peacekeepers: 10 × 2 × (1 + log10 4) = 32.0, just under Very High's 32.7.
    assert_eq!(m2.current, CurrentLevel::High, "ten years of 400 peacekeepers");
    assert_eq!(m2.projected, Trend::Decreasing, "High and Decreasing: the mission has been ordered out");
    let projection = evaluation.projections.iter().find(|p| p.benefactor == "CHN" && p.instrument == Instrument::M2).unwrap();
    assert_eq!(projection.events, ["T-CHN-END"]);
    assert_eq!(projection.method, "scheduled events");
}

/// The rolling-origin evaluation on the real arms register, from the history since 1992.
fn arms_backtest() -> &'static (Vec<Case>, Selection) {
    static EVALUATED: std::sync::OnceLock<(Vec<Case>, Selection)> = std::sync::OnceLock::new();
    EVALUATED.get_or_init(|| {
        let config = crate::run::args(crate::common::imported().0.path()).validate().unwrap();
        let (cases, selection, _) = backtest::evaluate(&mdime::history(&config).unwrap(), config.window.end);
        (cases, selection)
    })
}

#[test]
fn the_method_beats_every_baseline_on_real_arms_deliveries() {
    let (cases, selection) = arms_backtest();
    let cases: Vec<Case> = cases.iter().filter(|c| c.as_of >= 2005).cloned().collect();
    assert!(cases.iter().all(|c| c.as_of + 3 <= 2024), "outcomes must be in the data");
    let skill = backtest::skill(&cases);
    let e1 = skill.iter().find(|s| s.instrument == Some(Instrument::E1)).unwrap();
    assert!(e1.cases > 1000, "{e1:?}");
    assert!((e1.persistence.balanced - 1.0 / 3.0).abs() < 1e-9, "always Steady scores a third");
    assert!(e1.method.balanced >= e1.persistence.balanced + 0.15, "{e1:?}");
    assert!(e1.method.balanced > e1.naive.balanced && e1.method.balanced > e1.climatology.balanced, "{e1:?}");
    assert!(e1.method.rps < e1.climatology.rps, "the probabilities beat the base rates: {e1:?}");
    assert_eq!(selection.chosen, Candidate::Pooled, "{:?}", selection.scores);
    // Intervals calibrated only on earlier outcomes hold about 80% of the later ones.
    assert!((0.75..=0.85).contains(&e1.interval_coverage), "{e1:?}");
    assert!(e1.intervals > 1000);
    // One choice of method per as-of year, made before its cases are forecast.
    let mut chosen: std::collections::BTreeMap<i32, std::collections::BTreeSet<Candidate>> = Default::default();
    for c in &cases {
        chosen.entry(c.as_of).or_default().insert(c.chosen);
    }
    assert!(chosen.values().all(|c| c.len() == 1), "{chosen:?}");
}

#[test]
fn forecasts_use_no_outcome_after_their_as_of_year() {
    // The same evaluation on the register cut at 2015 must forecast every case up to 2012 exactly as
    // the evaluation on the whole register does: nothing after an as-of year reached its forecast.
    let mut args = crate::run::args(crate::common::imported().0.path());
    args.as_of = Some(2015);
    let config = args.validate().unwrap();
    let (cut, _, _) = backtest::evaluate(&mdime::history(&config).unwrap(), 2015);
    let (full, _) = arms_backtest();
    let early: Vec<&Case> = full.iter().filter(|c| c.as_of <= 2012).collect();
    assert!(early.len() > 1000);
    assert_eq!(cut.iter().collect::<Vec<_>>(), early);
}

#[test]
fn ranked_probability_score_by_hand() {
    // Cumulative forecast 0.2, 0.5 against an outcome Increasing (0, 0): (0.04 + 0.25) / 2.
    assert!((ranked_probability_score(&[0.2, 0.3, 0.5], Trend::Increasing) - 0.145).abs() < 1e-12);
    // Against Decreasing (1, 1): (0.64 + 0.25) / 2.
    assert!((ranked_probability_score(&[0.2, 0.3, 0.5], Trend::Decreasing) - 0.445).abs() < 1e-12);
    assert_eq!(ranked_probability_score(&[0.0, 1.0, 0.0], Trend::Steady), 0.0);
    assert_eq!(ranked_probability_score(&[1.0, 0.0, 0.0], Trend::Increasing), 1.0);
}

#[test]
fn nothing_to_project_is_unknown() {
    let (_, full) = crate::run::evaluated();
    let unobserved = full.assessments.iter().filter(|a| a.instrument.is_some() && a.current == CurrentLevel::Unobserved);
    assert!(unobserved.clone().count() > 100);
    for a in unobserved {
        assert_eq!(a.projected, Trend::Unknown, "{a:?}");
    }
    // A series with one year of activity is a snapshot; the rating keeps no direction.
    let snapshots: Vec<_> = full.projections.iter().filter(|p| p.method == "single observation").collect();
    assert!(snapshots.len() >= 10, "{}", snapshots.len());
    for p in snapshots {
        let rating = full.assessments.iter().find(|a| (&a.benefactor, &a.recipient, a.instrument) == (&p.benefactor, &p.recipient, Some(p.instrument))).unwrap();
        assert_eq!((p.direction, rating.projected, p.trend.value), (Trend::Unknown, Trend::Unknown, None), "{p:?}");
    }
    // A rating resting on one data point is still projected where the pair has a longer series of the
    // instrument: a single SIPRI share beside years of deliveries.
    let projected_from_longer = full
        .assessments
        .iter()
        .filter(|a| a.instrument.is_some() && a.evidence_count == 1 && !matches!(a.projected, Trend::Unknown))
        .count();
    assert!(projected_from_longer >= 5, "{projected_from_longer}");
    // Elsewhere the pooled model forecasts, with probabilities that sum to one and named features.
    let pooled: Vec<_> = full.projections.iter().filter(|p| p.probabilities.is_some()).collect();
    assert!(pooled.len() > 40, "{}", pooled.len());
    for p in pooled {
        let q = p.probabilities.unwrap();
        assert!((q.iter().sum::<f64>() - 1.0).abs() < 1e-9 && !p.drivers.is_empty(), "{p:?}");
    }
}

#[test]
fn the_predictive_distribution_comes_from_past_errors_on_a_log_scale() {
    // Forty past projections of 9 with outcomes 10k − 1, k = 1…40, for series of spread 1: errors
    // ln(1 + outcome) − ln(1 + 9) = ln k, so a projection of 19 may end anywhere in 20k − 1.
    let past: Vec<(&'static str, f64, f64, f64)> = (1..=40).map(|k| ("tiv_delivered", 9.0, 10.0 * f64::from(k) - 1.0, 1.0)).collect();
    let calibration = Calibration::from_outcomes(past.clone());
    let close = |got: Vec<f64>, expected: &dyn Fn(f64) -> f64| {
        assert_eq!(got.len(), 40);
        for (k, v) in (1..=40).zip(got) {
            assert!((v - expected(f64::from(k))).abs() < 1e-6, "k = {k}: {v}");
        }
    };
    close(calibration.outcomes("tiv_delivered", 19.0, 1.0).unwrap(), &|k| 20.0 * k - 1.0);
    // A series twice as spread gets errors twice as far on the log scale.
    close(calibration.outcomes("tiv_delivered", 19.0, 2.0).unwrap(), &|k| 20.0 * k * k - 1.0);
    // Errors are measured in units of their series' spread: the same misses of series of spread 2
    // count half as far.
    let halved = Calibration::from_outcomes(past.iter().map(|&(i, p, o, _)| (i, p, o, 2.0)));
    close(halved.outcomes("tiv_delivered", 19.0, 1.0).unwrap(), &|k| 20.0 * k.sqrt() - 1.0);
    // Outcomes never fall below zero, and other indicators or too few errors give none.
    let lower = Calibration::from_outcomes(past.iter().map(|&(i, _, o, s)| (i, o, 0.0, s))).outcomes("tiv_delivered", 5.0, 1.0).unwrap();
    assert_eq!(lower[0], 0.0);
    assert!(calibration.outcomes("peacekeepers", 19.0, 1.0).is_none());
    assert!(Calibration::from_outcomes(past[..29].to_vec()).outcomes("tiv_delivered", 19.0, 1.0).is_none());
}

#[test]
fn direction_value_and_interval_come_from_one_distribution() {
    use mdime::project::backtest::Said;
    let past: Vec<(&'static str, f64, f64, f64)> = (1..=40).map(|k| ("tiv_delivered", 9.0, 10.0 * f64::from(k) - 1.0, 1.0)).collect();
    let calibration = Calibration::from_outcomes(past);
    let said = |p: [f64; 3]| Said { direction: Trend::Steady, probabilities: p, value: Some(19.0), drivers: Vec::new() };
    // Outcomes 19, 39, …, 799 against a base of 300: 12 below 240, 6 within ±20%, 22 above 360.
    let (own, interval) = said([0.0, 1.0, 0.0]).coherent(None, &calibration, "tiv_delivered", 1.0, 300.0);
    assert_eq!(own.probabilities, [12.0 / 40.0, 6.0 / 40.0, 22.0 / 40.0]);
    assert_eq!(own.direction, Trend::Increasing);
    let (low, high) = interval.unwrap();
    assert!(low < 240.0 && own.value.unwrap() > 360.0 && high > own.value.unwrap());
    // Stated probabilities (the pooled model's) set the mass of each direction; the value follows them.
    for (stated, direction) in [([0.7, 0.2, 0.1], Trend::Decreasing), ([0.1, 0.6, 0.3], Trend::Steady), ([0.4, 0.2, 0.4], Trend::Uncertain)] {
        let (coherent, _) = said([0.0; 3]).coherent(Some(stated), &calibration, "tiv_delivered", 1.0, 300.0);
        assert_eq!((coherent.direction, coherent.probabilities), (direction, stated));
        let value = coherent.value.unwrap();
        if direction != Trend::Uncertain {
            assert_eq!(mdime::project::classify(300.0, value), direction, "the arrow never contradicts the number: {value}");
        }
    }
    // Too few past errors: the value and its own direction, no interval.
    let few = Calibration::from_outcomes(Vec::new());
    let (alone, interval) = said([0.0; 3]).coherent(Some([0.7, 0.2, 0.1]), &few, "tiv_delivered", 1.0, 10.0);
    assert_eq!((alone.direction, alone.value, interval), (Trend::Increasing, Some(19.0), None));
}

#[test]
fn a_run_restricted_to_one_recipient_projects_it_as_the_full_run_does() {
    let (_, full) = crate::run::evaluated();
    let mut args = crate::run::args(crate::common::imported().0.path());
    args.recipients = vec!["Pakistan".into()];
    let one = mdime::evaluate(&args.validate().unwrap()).unwrap();
    let of_pakistan = |e: &mdime::Evaluation| e.projections.iter().filter(|p| p.recipient == "PAK").cloned().collect::<Vec<_>>();
    let projections = of_pakistan(&one);
    assert!(projections.iter().any(|p| p.trend.lower.is_some()), "intervals are drawn from every recipient's past: {projections:?}");
    assert_eq!(projections, of_pakistan(full));
}

#[test]
fn a_pair_is_projected_alike_whatever_the_runs_benefactors_and_whichever_command() {
    // The forecaster learns from every configured benefactor: adding the United States to a run, or
    // asking `assess` about one pair, changes nothing of China's projections.
    let of_china = |benefactors: &[&str]| {
        let mut args = crate::run::args(&crate::common::repo_datasets());
        args.benefactors = benefactors.iter().map(|b| b.to_string()).collect();
        args.recipients = vec!["Niger".into()];
        let evaluation = mdime::evaluate(&args.validate().unwrap()).unwrap();
        evaluation.projections.into_iter().filter(|p| p.benefactor == "CHN").collect::<Vec<_>>()
    };
    let two = of_china(&["China", "Russia"]);
    assert!(two.iter().any(|p| p.trend.value.is_some()), "{two:?}");
    assert_eq!(two, of_china(&["China", "Russia", "United States"]));
    assert_eq!(two, of_china(&["China"]));
    // `assess` prints the same directions as the run's projections.
    let out = crate::common::mdime().current_dir(env!("CARGO_MANIFEST_DIR")).args(["assess", "--current-years", "100", "--benefactor", "China", "--recipient", "Niger"]).assert().success();
    let printed = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    for p in &two {
        let line = printed.lines().find(|l| l.starts_with(p.instrument.code())).unwrap_or_else(|| panic!("{printed}"));
        assert!(line.contains(p.direction.label()), "{line} vs {:?}", p.direction);
    }
}

fn spell(id: &str, kind: PresenceKind, start: &str, end: Option<&str>, status: PresenceStatus) -> Presence {
    Presence {
        id: id.into(),
        file: "presence.csv".into(),
        line: 2,
        benefactor: "RUS".into(),
        recipient: "MLI".into(),
        kind,
        name: id.into(),
        start: EventDate::parse(start).unwrap(),
        end: end.map(|e| EventDate::parse(e).unwrap()),
        status,
        personnel: Some(1000),
        personnel_range: None,
        contested: false,
        note: String::new(),
        sources: Vec::new(),
    }
}

fn scheduled_by(record: &[Presence], as_of: i32) -> Option<(Trend, Vec<String>)> {
    let changes = record_changes(record, &[]);
    let m1: Vec<&Change> = changes.iter().filter(|c| c.instrument == Instrument::M1).collect();
    scheduled(&[], &m1, as_of)
}

#[test]
fn a_withdrawal_taken_over_days_later_is_no_decline_in_the_shipped_record() {
    // Wagner left Mali in June 2025 and the Africa Corps stayed on (datasets/presence.csv).
    let curated = Curated::load(&repo_datasets(), EventDate::today()).unwrap();
    let mali: Vec<Presence> = curated.presence.into_iter().filter(|s| (s.benefactor.as_str(), s.recipient.as_str()) == ("RUS", "MLI")).collect();
    assert!(mali.iter().any(|s| s.name.contains("Wagner") && s.end.is_some_and(|e| e.year == 2025)), "{mali:?}");
    assert!(mali.iter().any(|s| s.name.contains("Africa Corps") && s.start.year == 2025));
    assert_eq!(scheduled_by(&mali, 2025), None);
    // The evidence log records the same: Wagner's announced exit, the Africa Corps' takeover two days on.
    let logged: Vec<&mdime::domain::evidence::Event> =
        curated.evidence.iter().filter(|e| e.benefactor == "RUS" && e.recipient == "MLI" && e.instrument == Instrument::M1).collect();
    assert!(logged.iter().any(|e| e.event_type.name == "pmc_withdrawal" && e.date.year == 2025), "{logged:?}");
    let changes = record_changes(&mali, &[]);
    let m1: Vec<&Change> = changes.iter().filter(|c| c.instrument == Instrument::M1).collect();
    assert_eq!(scheduled(&logged, &m1, 2025), None);
    assert_eq!(scheduled(&logged, &[], 2025), None, "the log alone shows the takeover too");
    // France's Barkhane, expelled in August 2022 with nothing taking over: a decline seen from 2021.
    let record = Curated::load(&repo_datasets(), EventDate::today()).unwrap().presence;
    let france: Vec<Presence> = record.into_iter().filter(|s| (s.benefactor.as_str(), s.recipient.as_str()) == ("FRA", "MLI")).collect();
    let (direction, ids) = {
        let changes = record_changes(&france, &[]);
        let m1: Vec<&Change> = changes.iter().collect();
        scheduled(&[], &m1, 2021).unwrap()
    };
    assert_eq!(direction, Trend::Decreasing);
    assert!(ids.iter().any(|id| id == "P-FRA-MLI-02"), "{ids:?}");
}

#[test]
fn scheduled_changes_in_both_directions() {
    use PresenceStatus::{Agreed, Ended, Operational};
    // An ending within the horizon with nothing after it: Decreasing; outside the horizon: nothing.
    let leaving = [spell("base", PresenceKind::Base, "2010-03", Some("2027-06"), Ended)];
    assert_eq!(scheduled_by(&leaving, 2025).map(|s| s.0), Some(Trend::Decreasing));
    assert_eq!(scheduled_by(&leaving, 2020), None);
    // A replacement more than half a year later leaves a gap: still a decline.
    let late = [spell("a", PresenceKind::Pmc, "2019-01", Some("2025-01"), Ended), spell("b", PresenceKind::DeployedForces, "2025-09", None, Operational)];
    assert_eq!(scheduled_by(&late, 2024).map(|s| s.0), Some(Trend::Decreasing));
    // Taken over within the month: no decline, and no rise either, as the new spell began by the as-of year.
    let relieved = [spell("a", PresenceKind::Pmc, "2019-01", Some("2025-06"), Ended), spell("b", PresenceKind::DeployedForces, "2025-06", None, Operational)];
    assert_eq!(scheduled_by(&relieved, 2025), None);
    // Agreed and not yet begun, agreed within three years of the as-of year: Increasing; agreed long
    // before, and never begun: nothing.
    let agreed = [spell("port", PresenceKind::PortAccess, "2024-02", None, Agreed)];
    assert_eq!(scheduled_by(&agreed, 2025), Some((Trend::Increasing, vec!["port".to_string()])));
    assert_eq!(scheduled_by(&agreed, 2030), None);
    // A deployment beginning within the horizon: Increasing.
    let arriving = [spell("troops", PresenceKind::DeployedForces, "2027-01", None, Operational)];
    assert_eq!(scheduled_by(&arriving, 2025).map(|s| s.0), Some(Trend::Increasing));
    assert_eq!(scheduled_by(&arriving, 2027), None, "begun in the as-of year: the series shows it");
}

/// Eighty synthetic yearly series, 1992–2024, lumpy enough that all three directions occur; with every
/// value after `changed_after` multiplied by a factor that depends on the subject.
fn synthetic_history(changed_after: Option<i32>) -> mdime::indicators::Indicators {
    let recipients = mdime::domain::CountryTable::builtin().tracked_recipients(&[]);
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as f64 / f64::from(1u32 << 31)
    };
    let mut values = Vec::new();
    for (k, recipient) in recipients.iter().take(80).enumerate() {
        let mut level = 5.0 + 50.0 * next();
        for year in 1992..=2024 {
            level = (level * (0.6 + 0.8 * next()) + if next() < 0.15 { 40.0 * next() } else { 0.0 }).max(0.0);
            let factor = match changed_after {
                Some(after) if year > after => [4.0, 0.1, 1.7][k % 3],
                _ => 1.0,
            };
            values.push(mdime::indicators::IndicatorValue {
                benefactor: "CHN".into(),
                recipient: recipient.iso3.clone(),
                instrument: Instrument::E1,
                indicator: "tiv_delivered",
                period: mdime::indicators::Period::Year(year),
                value: level * factor,
                unit: "TIV",
                source: "synthetic".into(),
                evidence_ids: Vec::new(),
            });
        }
    }
    mdime::indicators::Indicators { values, ..Default::default() }
}

/// What a case's forecast consists of: everything but its outcome.
fn forecast(c: &Case) -> String {
    format!("{:?} {} {:?} {:?} {:?} {:?} {:?} {:?} {:?}", c.subject, c.as_of, c.situation, c.candidates, c.chosen, c.method, c.interval, c.climatology, c.naive)
}

#[test]
fn the_rolling_origin_reads_no_outcome_after_its_as_of_year_not_even_one_year_late() {
    const CHANGED_AFTER: i32 = 2012;
    let (full, _, _) = backtest::evaluate(&synthetic_history(None), 2024);
    let (changed, _, _) = backtest::evaluate(&synthetic_history(Some(CHANGED_AFTER)), 2024);
    assert_eq!(full.len(), changed.len());
    // Every forecast made by 2012 is the same whatever happened after 2012 …
    let by_2012 = |cases: &[Case]| cases.iter().filter(|c| c.as_of <= CHANGED_AFTER).map(forecast).collect::<Vec<_>>();
    let before = by_2012(&full);
    assert!(before.len() > 1000 && full.iter().any(|c| c.as_of <= CHANGED_AFTER && c.chosen == Candidate::Pooled), "the pooled model forecasts by then");
    assert_eq!(before, by_2012(&changed));
    // … though the outcomes of its cases changed,
    assert!(full.iter().zip(&changed).filter(|(a, _)| a.as_of > CHANGED_AFTER - 3 && a.as_of <= CHANGED_AFTER).any(|(a, b)| a.actual != b.actual));
    // and what the method learns by 2013, 2014 and 2015 (a leak of one, two or three years, had 2012's
    // forecasts read it) is not the same: the selection as of each year differs, as of 2012 it does not.
    let selection = |changed_after: Option<i32>, as_of: i32| format!("{:?}", backtest::evaluate(&synthetic_history(changed_after), as_of).1);
    assert_eq!(selection(None, CHANGED_AFTER), selection(Some(CHANGED_AFTER), CHANGED_AFTER));
    for leak in 1..=3 {
        assert_ne!(selection(None, CHANGED_AFTER + leak), selection(Some(CHANGED_AFTER), CHANGED_AFTER + leak), "a leak of {leak} years");
    }
}
