//! Yearly indicators from the evidence logs: each event weighs by its type, its magnitude and the
//! confidence the analyst gave it (`domain::evidence`), and every value keeps the ids of the events
//! behind it.

use std::collections::BTreeMap;

use crate::indicators::{Coverage, IndicatorValue, Indicators, Period, Scope};
use crate::domain::evidence::{confidence_factor, magnitude_factor, Signal};
use crate::domain::Instrument;
use super::reader::{Event, SOURCE};

pub const INDICATORS: &[&str] = &["evidence_score", "evidence_events"];

/// The weight one event adds to its year's score.
pub fn event_weight(event: &Event) -> f64 {
    if event.event_type.signal != Signal::Activity {
        return 0.0;
    }
    let magnitude = event.magnitude.as_ref().map_or(1.0, |(value, unit)| magnitude_factor(unit, *value));
    event.event_type.weight * magnitude * confidence_factor(event.confidence)
}

pub fn compute(events: &[Event], scope: &Scope) -> Indicators {
    let window = scope.window;
    let in_scope = |e: &&Event| {
        e.date.year <= window.end
            && scope.benefactors.iter().any(|b| b.iso3 == e.benefactor)
            && scope.recipients.iter().any(|r| r.iso3 == e.recipient)
    };
    let mut by_key: BTreeMap<(&str, &str, Instrument), Vec<&Event>> = BTreeMap::new();
    for event in events.iter().filter(in_scope) {
        by_key.entry((&event.benefactor, &event.recipient, event.instrument)).or_default().push(event);
    }

    let mut out = Indicators::default();
    for ((benefactor, recipient, instrument), events) in by_key {
        let value = |indicator, period, value: f64, unit, ids: Vec<String>| IndicatorValue {
            benefactor: benefactor.to_string(),
            recipient: recipient.to_string(),
            instrument,
            indicator,
            period,
            value: crate::indicators::round6(value),
            unit,
            source: SOURCE.to_string(),
            evidence_ids: ids,
        };
        let activity: Vec<&&Event> = events.iter().filter(|e| window.contains(e.date.year) && event_weight(e) > 0.0).collect();
        for year in window.years() {
            let of_year: Vec<&&Event> = activity.iter().copied().filter(|e| e.date.year == year).collect();
            let ids = of_year.iter().map(|e| e.id.clone()).collect();
            out.values.push(value("evidence_score", Period::Year(year), of_year.iter().map(|e| event_weight(e)).sum(), "weighted events", ids));
        }
        let ids: Vec<String> = activity.iter().map(|e| e.id.clone()).collect();
        let period = Period::Window(window.start, window.end);
        out.values.push(value("evidence_score", period, activity.iter().map(|e| event_weight(e)).sum(), "weighted events", ids.clone()));
        out.values.push(value("evidence_events", period, activity.len() as f64, "events", ids));
        out.coverage.push(Coverage {
            benefactor: benefactor.to_string(),
            recipient: recipient.to_string(),
            instrument,
            source: SOURCE.to_string(),
            first_year: window.start,
            last_year: events.iter().map(|e| e.date.year).max().unwrap_or(window.end).clamp(window.start, window.end),
        });
    }
    out.events = events.iter().filter(in_scope).cloned().collect();
    out
}
