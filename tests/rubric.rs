use std::path::Path;

use mdime::assess::Rubric;
use mdime::domain::{CurrentLevel, Instrument};

use crate::common::*;

fn e1() -> mdime::assess::Rule {
    Rubric::builtin().rules[&Instrument::E1].clone()
}

#[test]
fn every_boundary_of_the_e1_rule() {
    let rule = e1();
    let [t1, t2, t3, t4] = rule.score.as_ref().unwrap().thresholds;
    let volume = Some(1000.0);
    let cases = [
        (0.0, CurrentLevel::Unobserved),
        (t1 * 0.999, CurrentLevel::VeryLow),
        (t1, CurrentLevel::Low),
        (t2 * 0.999, CurrentLevel::Low),
        (t2, CurrentLevel::Medium),
        (t3 * 0.999, CurrentLevel::Medium),
        (t3, CurrentLevel::High),
        (t4 * 0.999, CurrentLevel::High),
        (t4, CurrentLevel::VeryHigh),
        (1.0, CurrentLevel::VeryHigh),
    ];
    for (score, level) in cases {
        assert_eq!(rule.score_level(score, volume), Some(level), "score {score}");
    }
}

#[test]
fn small_volumes_cap_the_e1_level() {
    let rule = e1();
    let cap = rule.cap.clone().expect("E1 has a volume cap");
    assert_eq!(rule.score_level(0.9, Some(cap.below * 0.99)), Some(cap.level));
    assert_eq!(rule.score_level(0.9, Some(cap.below)), Some(CurrentLevel::VeryHigh));
    assert_eq!(rule.score_level(0.01, Some(0.5)), Some(CurrentLevel::VeryLow), "a cap never raises a level");
}

#[test]
fn every_boundary_of_the_evidence_scale() {
    let rubric = Rubric::builtin();
    for instrument in Instrument::ALL {
        let scale = rubric.rules[&instrument].evidence.clone().unwrap_or_else(|| panic!("{instrument} counts evidence"));
        let [t1, t2, t3, t4] = scale.thresholds;
        assert_eq!(scale.level(0.0), CurrentLevel::Unobserved);
        for (value, level) in [
            (t1 * 0.99, CurrentLevel::VeryLow),
            (t1, CurrentLevel::Low),
            (t2, CurrentLevel::Medium),
            (t3, CurrentLevel::High),
            (t4 * 0.99, CurrentLevel::High),
            (t4, CurrentLevel::VeryHigh),
        ] {
            assert_eq!(scale.level(value), level, "{instrument} at {value}");
        }
    }
}

fn rubric_error(text: &str) -> String {
    Rubric::parse(Path::new("custom.toml"), text).expect_err("invalid rubric refused").to_string()
}

#[test]
fn invalid_rubrics_name_the_key_at_fault() {
    let message = rubric_error("[X9]\nscore = \"tiv_delivered\"\nthresholds = [1.0, 2.0, 3.0, 4.0]\n");
    assert!(message.contains("custom.toml") && message.contains("X9"), "{message}");
    let message = rubric_error("[E1]\nscore = \"share_of_arms_imports\"\nthresholds = [0.5, 0.15, 0.35, 0.6]\n");
    assert!(message.contains("E1.thresholds"), "{message}");
    let message = rubric_error("[E1]\nscore = \"share_of_arms_imports\"\nthresholds = [0.1, 0.2, 0.3]\n");
    assert!(message.contains("E1.thresholds") && message.contains("4 values"), "{message}");
    let message = rubric_error("[D1]\nwhy = \"nothing to rate\"\n");
    assert!(message.contains("D1") && message.contains("needs"), "{message}");
    let message = rubric_error("[E1]\nscore = \"arms_vibes\"\nthresholds = [0.05, 0.15, 0.35, 0.6]\n");
    assert!(message.contains("E1.score") && message.contains("arms_vibes") && message.contains("share_of_arms_imports"), "{message}");
    let message = rubric_error("[E1]\nscore = \"share_of_arms_imports\"\nthresholds = [0.05, 0.15, 0.35, 0.6]\ncap = { indicator = \"tiv_delivered\", below = 20.0, level = \"Huge\" }\n");
    assert!(message.contains("E1.cap.level"), "{message}");
}

#[test]
fn a_misspelt_key_is_refused_with_its_line() {
    let builtin = std::fs::read_to_string(repo_datasets().join("rubric.toml")).unwrap();
    for (key, misspelt) in [("thresholds = [", "threshold = ["), ("support = \"", "suport = \"")] {
        let at = builtin.find(&format!("\n{key}")).unwrap_or_else(|| panic!("the rubric has `{key}`")) + 1;
        let line = builtin[..at].lines().count() + 1;
        let text = format!("{}{misspelt}{}", &builtin[..at], &builtin[at + key.len()..]);
        let message = rubric_error(&text);
        let field = misspelt.split(' ').next().unwrap();
        assert!(message.contains(&format!("unknown field `{field}`")) && message.contains(&format!("(line {line})")), "{message}");
    }
    // In the event-data tables too.
    let at = builtin.find("[events.").unwrap();
    let text = format!("{}{}", &builtin[..at], builtin[at..].replacen("\nwhy = ", "\nwhy_ = ", 1));
    let line = text[..text.find("why_ = ").unwrap()].lines().count() + 1;
    let message = rubric_error(&text);
    assert!(message.contains("unknown field `why_`") && message.contains(&format!("(line {line})")), "{message}");
}
