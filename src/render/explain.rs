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
        let has_data = assessment.sources.iter().any(|s| s != crate::ingest::evidence::SOURCE && !crate::indicators::events::is_source(s));
        if let (Some(scale), true) = (&rule.score, has_data) {
            let (value, unit) = value_of(&scale.indicator).unwrap_or((0.0, ""));
            scale_line(&mut out, "dataset", scale, value, unit);
            if let Some(cap) = &rule.cap {
                let (cap_value, unit) = value_of(&cap.indicator).unwrap_or((0.0, ""));
                let applies = if cap_value < cap.below { "applies" } else { "does not apply" };
                let _ = writeln!(out, "    cap: {} = {} {unit} (below {} caps at {}): {applies}", cap.indicator, number(cap_value), number(cap.below), cap.level);
            }
        }
        if let (Some(scale), Some((value, unit))) = (&rule.evidence, value_of("evidence_score")) {
            scale_line(&mut out, "evidence", scale, value, unit);
        }
        if let (Some(events), Some((value, unit))) = (&rule.events, value_of(crate::indicators::events::RATE)) {
            scale_line(&mut out, "event data", &events.scale, value, unit);
            let _ = writeln!(
                out,
                "    event data count reports, so their level counts one step lower ({}); the rating is the higher of that and the datasets' and evidence logs' level",
                crate::assess::discounted(events.scale.level(value))
            );
            if !events.why.is_empty() {
                let _ = writeln!(out, "    why these thresholds: {}", events.why.split_whitespace().collect::<Vec<_>>().join(" "));
            }
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
    event_rows(&mut out, indicators, b, r, instrument, value_of("events").map(|(n, _)| n));
    let _ = writeln!(out, "  sources: {}", assessment.sources.join("; "));
    out
}

/// The strongest machine-coded events behind a rating, each dated and placed in its file.
fn event_rows(out: &mut String, indicators: &Indicators, b: &str, r: &str, instrument: Instrument, total: Option<f64>) {
    let Some(total) = total else { return };
    let rows: Vec<_> = indicators.event_rows_for(b, r, instrument).collect();
    if rows.is_empty() {
        let _ = writeln!(out, "  machine-coded events: none in the years the event data cover");
        return;
    }
    let _ = writeln!(out, "  machine-coded events ({total:.0} in the covered years; the {} strongest, heaviest act first, then the latest):", rows.len());
    for e in rows {
        let repeats = if e.records > 1 { format!(", {} records", e.records) } else { String::new() };
        let _ = writeln!(out, "    {} [weight {}{repeats}]", e.describe(), number(e.weight));
        let url = if e.url.is_empty() { String::new() } else { format!(" {}", e.url) };
        let _ = writeln!(out, "        {}{url}", e.place());
    }
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
