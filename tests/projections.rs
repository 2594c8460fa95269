use mdime::domain::{CurrentLevel, Instrument, Trend};
use mdime::project::{classify, overall_direction, trend};

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
    let (low, high) = (rising.lower.unwrap(), rising.upper.unwrap());
    assert!(low < rising.value.unwrap() && rising.value.unwrap() < high);
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
    let dir = tempfile::tempdir().unwrap();
    for name in ["arms_transfers.csv", "arms_transfers.provenance.toml"] {
        std::fs::copy(crate::common::imported().0.path().join(name), dir.path().join(name)).unwrap();
    }
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
    assert_eq!(m2.current, CurrentLevel::VeryHigh, "ten years of 400 peacekeepers");
    assert_eq!(m2.projected, Trend::Decreasing, "High and Decreasing: the mission has been ordered out");
    let projection = evaluation.projections.iter().find(|p| p.benefactor == "CHN" && p.instrument == Instrument::M2).unwrap();
    assert_eq!(projection.events, ["T-CHN-END"]);
    assert_eq!(projection.method, "scheduled events");
}

#[test]
fn the_method_beats_both_baselines_on_real_arms_deliveries() {
    let mut args = crate::run::args(crate::common::imported().0.path());
    args.since = 1996;
    let evaluation = mdime::evaluate(&args.validate().unwrap()).unwrap();
    let cases: Vec<_> = mdime::project::backtest::cases(&evaluation.indicators).into_iter().filter(|c| c.as_of >= 2005).collect();
    assert!(cases.iter().all(|c| c.as_of + 3 <= 2024), "outcomes must be in the data");
    let skill = mdime::project::backtest::skill(&cases);
    let e1 = skill.iter().find(|s| s.instrument == Some(Instrument::E1)).unwrap();
    assert!(e1.cases > 1000, "{e1:?}");
    assert!((e1.persistence_balanced - 1.0 / 3.0).abs() < 1e-9, "always Steady scores a third");
    assert!(e1.method_balanced > e1.persistence_balanced && e1.method_balanced > e1.naive_balanced, "{e1:?}");
}
