//! `mdime explain`: for each rating, the numbers, the thresholds they crossed, the sources and cited
//! events behind it, and what would change it.

use std::fmt::Write;

use crate::assess::rubric::Scale;
use crate::assess::{Assessment, Rubric};
use crate::domain::{CountryTable, CurrentLevel, Instrument};
use crate::indicators::{Indicators, Period};
use crate::domain::evidence::Event;
use crate::project::Projection;

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

pub fn explain(assessment: &Assessment, projection: Option<&Projection>, indicators: &Indicators, rubric: &Rubric) -> String {
    let mut out = String::new();
    let Some(instrument) = assessment.instrument else { return String::new() };
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
        let has_data = assessment.sources.iter().any(|s| s != crate::sources::evidence::SOURCE && !crate::sources::events::indicators::is_source(s));
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
        if let (Some(events), Some((value, unit))) = (&rule.events, value_of(crate::sources::events::indicators::RATE)) {
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
            let weight = crate::sources::evidence::indicators::event_weight(e);
            let _ = writeln!(out, "    {} {} {} [{:.2}, {}]: {}", e.date, e.id, e.event_type.name, weight, format!("{:?}", e.confidence).to_lowercase(), e.summary);
            let _ = writeln!(out, "        {}", e.citation());
        }
    }
    event_rows(&mut out, indicators, b, r, instrument, value_of("events").map(|(n, _)| n));
    if let Some(p) = projection {
        projection_lines(&mut out, p);
    }
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

/// How the projected direction was reached: the forecaster, its value and interval, and the features
/// that moved the pooled model most.
fn projection_lines(out: &mut String, p: &Projection) {
    let value = p.trend.value.map_or("none".to_string(), |v| {
        let interval = p.trend.lower.zip(p.trend.upper).map_or(String::new(), |(lo, hi)| format!(" (80% interval {} to {})", number(lo), number(hi)));
        format!("{}{interval}", number(v))
    });
    let _ = writeln!(
        out,
        "  projection: {} by {} on {} ({}-{}): base {} → {value}",
        p.direction,
        p.method,
        p.indicator,
        p.base_year,
        p.horizon_year,
        number(p.trend.base)
    );
    if let Some(q) = p.probabilities {
        let _ = writeln!(
            out,
            "    probabilities: Decreasing {:.0}%, Steady {:.0}%, Increasing {:.0}% (the direction is the one that stands highest against its share of the indicator's past outcomes)",
            100.0 * q[0],
            100.0 * q[1],
            100.0 * q[2]
        );
    }
    if !p.drivers.is_empty() {
        let _ = writeln!(out, "    features that moved it (log-odds towards {}): {}", p.direction, crate::project::model::describe(&p.drivers));
    }
    if !p.events.is_empty() {
        let _ = writeln!(out, "    scheduled events: {}", p.events.join(" "));
    }
}

/// The overall rating: the rule, each assessed instrument's level and weight, and how the score moves
/// under other weightings (every instrument alike; each weighing half the one before).
fn overall(assessment: &Assessment, pair: &[Assessment]) -> String {
    let drivers: Vec<&str> = assessment.drivers.iter().map(|d| d.code()).collect();
    let mut out = format!(
        "Overall — {} in {}\n  rating: {} (projected {}), confidence {}; drivers: {}\n  rule: {} = {}, rounded to a level; Not assessed instruments are left out and lower the confidence\n",
        CountryTable::builtin().name_of(&assessment.benefactor),
        CountryTable::builtin().name_of(&assessment.recipient),
        assessment.current,
        assessment.projected,
        assessment.confidence,
        if drivers.is_empty() { "none observed".to_string() } else { drivers.join(", ") },
        assessment.score_indicator,
        assessment.score.map_or("none".to_string(), number),
    );
    let levels: Vec<(Instrument, CurrentLevel)> = pair.iter().filter_map(|a| Some((a.instrument?, a.current))).collect();
    let mut assessed: Vec<(Instrument, CurrentLevel)> = levels.iter().copied().filter(|(_, l)| *l != CurrentLevel::NotAssessed).collect();
    // The order `weighted_level` weighs them in.
    assessed.sort_by_key(|(i, l)| (std::cmp::Reverse(l.rank().unwrap_or(0)), !i.acts_on_forces(), *i));
    let listed: Vec<String> =
        assessed.iter().enumerate().map(|(k, (i, l))| format!("{} {} ×{}", i.code(), l, number(crate::assess::overall_weight(k + 1, *i)))).collect();
    let _ = writeln!(out, "  instruments, strongest first: {}", if listed.is_empty() { "none assessed".to_string() } else { listed.join(", ") });
    if let Some(cap) = assessment.cap {
        let why = if cap == crate::assess::RUPTURE_CAP { "a rupture still stood at the end of the as-of year" } else { "the two were at odds in the years rated" };
        let _ = writeln!(out, "  capped at {cap}: {why} ({})", assessment.hostilities.join("; "));
    }
    let other = |weight: &dyn Fn(usize, Instrument) -> f64| crate::assess::weighted_level(&levels, weight).map_or("none".to_string(), number);
    let _ = writeln!(
        out,
        "  sensitivity: with every instrument alike {}; by rank alone (1/k) {}; with each weighing half the one before {}",
        other(&|_, _| 1.0),
        other(&|k, _| crate::assess::rank_weight(k)),
        other(&|k, _| 0.5f64.powi(k as i32 - 1))
    );
    out
}

/// Explanations for one pair: the instrument asked for, or all twelve and the overall rating.
pub fn explain_pair(pair: &[Assessment], only: Option<Instrument>, projections: &[Projection], indicators: &Indicators, rubric: &Rubric) -> String {
    pair.iter()
        .filter(|a| only.is_none() || a.instrument == only)
        .map(|a| {
            if a.instrument.is_none() {
                return overall(a, pair);
            }
            let projection = projections.iter().find(|p| p.benefactor == a.benefactor && p.recipient == a.recipient && Some(p.instrument) == a.instrument);
            explain(a, projection, indicators, rubric)
        })
        .collect::<Vec<_>>()
        .join("\n")
}
