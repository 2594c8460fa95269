//! `mdime explain`: for each rating, the numbers, the thresholds they crossed, the sources and cited
//! events behind it, and what would change it.

use std::fmt::Write;

use crate::assess::rubric::Scale;
use crate::assess::{Assessment, Rubric};
use crate::domain::{CountryTable, CurrentLevel, Instrument};
use crate::indicators::{Indicators, Period};
use crate::ingest::evidence::Event;

fn number(x: f64) -> String {
    if x.abs() >= 100.0 { format!("{x:.0}") } else if x.abs() >= 1.0 { format!("{x:.2}") } else { format!("{x:.3}") }
}

/// What the value would have to become for the level to move one step, either way.
fn margins(scale: &Scale, value: f64) -> String {
    let level = scale.level(value);
    let mut parts = Vec::new();
    match scale.thresholds.iter().rev().find(|&&t| value >= t) {
        Some(&t) => parts.push(format!("below {} it drops to {}", number(t), scale.level(t * 0.999_999))),
        None if level != CurrentLevel::Unobserved => parts.push(format!("at 0 it becomes {}", CurrentLevel::Unobserved)),
        None => {}
    }
    match scale.thresholds.iter().find(|&&t| value < t) {
        Some(&t) => parts.push(format!("at {} it rises to {}", number(t), scale.level(t))),
        None => parts.push("it is at the top of the scale".to_string()),
    }
    format!("what would change it: {}", parts.join("; "))
}

fn scale_line(out: &mut String, label: &str, scale: &Scale, value: f64, unit: &str) {
    let thresholds: Vec<String> = scale.thresholds.iter().map(|t| number(*t)).collect();
    let crossed = scale.thresholds.iter().filter(|&&t| value >= t).count();
    let _ = writeln!(
        out,
        "  {label}: {} = {} {unit}; thresholds {} → {} of 4 crossed → {}",
        scale.indicator,
        number(value),
        thresholds.join(" | "),
        crossed,
        scale.level(value)
    );
    let _ = writeln!(out, "    {}", margins(scale, value));
}

pub fn explain(assessment: &Assessment, indicators: &Indicators, rubric: &Rubric) -> String {
    let mut out = String::new();
    let Some(instrument) = assessment.instrument else { return overall(assessment) };
    let (b, r) = (assessment.benefactor.as_str(), assessment.recipient.as_str());
    let _ = writeln!(out, "{} {} — {} in {}", instrument.code(), instrument.name(), CountryTable::builtin().name_of(b), CountryTable::builtin().name_of(r));
    let _ = writeln!(
        out,
        "  rating: {} (projected {}), confidence {}, {} data point(s)",
        assessment.current, assessment.projected, assessment.confidence, assessment.evidence_count
    );
    if assessment.sources.is_empty() {
        let _ = writeln!(out, "  no source covers this pair and instrument: Not assessed (an evidence log row, even `no_activity_found`, would cover it)");
        return out;
    }
    let values: Vec<_> = indicators
        .values
        .iter()
        .filter(|v| v.benefactor == b && v.recipient == r && v.instrument == instrument && matches!(v.period, Period::Window(..)))
        .collect();
    let value_of = |name: &str| values.iter().find(|v| v.indicator == name).map(|v| (v.value, v.unit));
    if let Some(rule) = rubric.rules.get(&instrument) {
        let has_data = assessment.sources.iter().any(|s| s != crate::ingest::evidence::SOURCE);
        // Each dataset with a value for the pair; a rule's only dataset at 0 where it has none.
        let bases = rule.datasets();
        let with_value: Vec<_> = bases.iter().filter(|b| value_of(&b.scale.indicator).is_some()).collect();
        let shown = if with_value.is_empty() && bases.len() == 1 { bases.iter().collect() } else { with_value };
        for basis in shown.into_iter().filter(|_| has_data) {
            let (value, unit) = value_of(&basis.scale.indicator).unwrap_or((0.0, ""));
            scale_line(&mut out, "dataset", &basis.scale, value, unit);
            if let Some(cap) = &basis.cap {
                let (cap_value, unit) = value_of(&cap.indicator).unwrap_or((0.0, ""));
                let applies = if cap_value < cap.below { "applies" } else { "does not apply" };
                let _ = writeln!(out, "    cap: {} = {} {unit} (below {} caps at {}): {applies}", cap.indicator, number(cap_value), number(cap.below), cap.level);
            }
            if let Some(max) = basis.max_confidence {
                let _ = writeln!(out, "    a proxy: confidence at most {max} where this dataset alone sets the level");
            }
            if !basis.why.is_empty() {
                let _ = writeln!(out, "    why: {}", basis.why.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        }
        if let (Some(scale), Some((value, unit))) = (&rule.evidence, value_of("evidence_score")) {
            scale_line(&mut out, "evidence", scale, value, unit);
        }
        if !rule.why.is_empty() {
            let _ = writeln!(out, "  why these thresholds: {}", rule.why.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    } else {
        let _ = writeln!(out, "  the rubric has no rule for {instrument}: Not assessed");
    }
    let _ = writeln!(out, "  indicators over the window:");
    for v in &values {
        let _ = writeln!(out, "    {:<34} {:>14} {:<18} {}", v.indicator, number(v.value), v.unit, v.source);
    }
    let cited: Vec<&Event> = indicators.events_for(b, r, instrument).collect();
    if !cited.is_empty() {
        let _ = writeln!(out, "  evidence ({} event(s); weight in the score in brackets):", cited.len());
        for e in cited {
            let weight = crate::indicators::evidence::event_weight(e);
            let _ = writeln!(out, "    {} {} {} [{:.2}, {}]: {}", e.date, e.id, e.event_type.name, weight, format!("{:?}", e.confidence).to_lowercase(), e.summary);
            let _ = writeln!(out, "        {}", e.citation());
        }
    }
    let _ = writeln!(out, "  sources: {}", assessment.sources.join("; "));
    out
}

fn overall(assessment: &Assessment) -> String {
    let drivers: Vec<&str> = assessment.drivers.iter().map(|d| d.code()).collect();
    format!(
        "Overall — {} in {}\n  rating: {} (projected {}), confidence {}\n  rule: the rounded mean level of the {} highest-rated instruments, which drive it: {}\n",
        CountryTable::builtin().name_of(&assessment.benefactor),
        CountryTable::builtin().name_of(&assessment.recipient),
        assessment.current,
        assessment.projected,
        assessment.confidence,
        crate::assess::DRIVERS,
        if drivers.is_empty() { "none observed".to_string() } else { drivers.join(", ") }
    )
}

/// Explanations for one pair: the instrument asked for, or all twelve and the overall rating.
pub fn explain_pair(pair: &[Assessment], only: Option<Instrument>, indicators: &Indicators, rubric: &Rubric) -> String {
    pair.iter()
        .filter(|a| only.is_none() || a.instrument == only)
        .map(|a| explain(a, indicators, rubric))
        .collect::<Vec<_>>()
        .join("\n")
}
