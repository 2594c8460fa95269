//! The controlled vocabulary of evidence logs: which event types each instrument admits, how much each
//! weighs in the instrument's yearly score, and which way it points for the projection.

use std::path::PathBuf;

use super::{Confidence, Instrument};

/// What an event says about the benefactor's activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Activity: counts in the yearly score with the type's weight.
    Activity,
    /// An end or a break (a withdrawal, an expired agreement, a coup): weighs nothing now, and points
    /// the projection down once it takes effect.
    Ending,
    /// Looked for and not seen: no weight; it records that the instrument was researched.
    NoneFound,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventType {
    pub name: &'static str,
    /// None: admitted under every instrument.
    pub instrument: Option<Instrument>,
    pub weight: f64,
    pub signal: Signal,
}

const fn activity(instrument: Instrument, name: &'static str, weight: f64) -> EventType {
    EventType { name, instrument: Some(instrument), weight, signal: Signal::Activity }
}

const fn ending(instrument: Option<Instrument>, name: &'static str) -> EventType {
    EventType { name, instrument, weight: 0.0, signal: Signal::Ending }
}

use Instrument::*;

/// Weights run from 1 (a routine contact) to 4 (a standing commitment of forces or a base): a state visit
/// weighs more than a delegation, a deployed private military company more than a port call. They are
/// the unit of the evidence thresholds in `datasets/rubric.toml`.
pub const EVENT_TYPES: &[EventType] = &[
    activity(D1, "head_of_state_visit", 3.0),
    activity(D1, "defence_minister_meeting", 2.0),
    activity(D1, "chief_of_staff_visit", 1.5),
    activity(D1, "delegation_visit", 1.0),
    activity(D1, "defence_attache_post", 1.0),
    activity(D2, "officer_training", 2.0),
    activity(D2, "training_team", 2.0),
    activity(D2, "training_agreement", 2.0),
    activity(D2, "medical_training", 1.0),
    activity(D3, "military_aid", 2.0),
    activity(D3, "infrastructure_project", 2.0),
    activity(D3, "medical_mission", 1.0),
    activity(D3, "humanitarian_donation", 1.0),
    activity(I1, "cultural_institute", 2.0),
    activity(I1, "media_agreement", 2.0),
    activity(I1, "media_campaign", 1.5),
    activity(I1, "public_opinion_survey", 1.0),
    activity(I2, "telecom_project", 2.0),
    activity(I2, "ict_loan", 2.0),
    activity(I2, "data_centre", 2.0),
    activity(I3, "intelligence_agreement", 3.0),
    activity(I3, "surveillance_equipment", 2.0),
    activity(I3, "liaison_office", 2.0),
    activity(M1, "bilateral_exercise", 2.0),
    activity(M1, "port_call", 1.0),
    activity(M1, "advisers_deployed", 3.0),
    activity(M1, "pmc_deployment", 4.0),
    ending(Some(M1), "pmc_withdrawal"),
    activity(M2, "un_mission_deployment", 2.0),
    activity(M2, "multilateral_exercise", 1.0),
    activity(M2, "private_security_company", 2.0),
    ending(Some(M2), "mission_withdrawal"),
    activity(M3, "agreement_signed", 3.0),
    activity(M3, "basing_agreement", 4.0),
    ending(Some(M3), "agreement_expired"),
    ending(Some(M3), "agreement_terminated"),
    activity(E1, "arms_delivery", 2.0),
    activity(E1, "arms_contract", 2.0),
    activity(E1, "arms_donation", 1.5),
    activity(E2, "joint_production", 3.0),
    activity(E2, "technology_transfer", 3.0),
    activity(E2, "licence_agreement", 2.0),
    activity(E3, "trade_agreement", 2.0),
    activity(E3, "mining_stake", 3.0),
    activity(E3, "energy_deal", 2.0),
    activity(E3, "agriculture_deal", 1.0),
    activity(E3, "infrastructure_investment", 2.0),
    ending(None, "partnership_ruptured"),
    EventType { name: "no_activity_found", instrument: None, weight: 0.0, signal: Signal::NoneFound },
];

impl EventType {
    pub fn find(instrument: Instrument, name: &str) -> Option<&'static EventType> {
        EVENT_TYPES.iter().find(|t| t.name == name && t.instrument.is_none_or(|i| i == instrument))
    }

    pub fn names_for(instrument: Instrument) -> Vec<&'static str> {
        EVENT_TYPES.iter().filter(|t| t.instrument.is_none_or(|i| i == instrument)).map(|t| t.name).collect()
    }
}

/// Units a magnitude may carry, and the size at which it starts to count for more than the event alone:
/// the magnitude factor is 1 + log10(magnitude / reference) above the reference, so 400 peacekeepers
/// weigh 1.6 times a deployment of 100 or fewer, and 4,000 weigh 2.6 times. Each unit also has the
/// largest magnitude a real event can have, so that a typing slip cannot make one event outweigh a
/// decade of others: a trillion US dollars (the largest arms and loan packages are tens of billions), a
/// million personnel, ten million units (rounds of ammunition), a million of a count, 100 percent.
pub const UNITS: &[Unit] = &[
    Unit { name: "personnel", reference: 100.0, max: 1e6 },
    Unit { name: "usd", reference: 1e7, max: 1e12 },
    Unit { name: "units", reference: 10.0, max: 1e7 },
    Unit { name: "count", reference: 1.0, max: 1e6 },
    Unit { name: "percent", reference: 10.0, max: 100.0 },
];

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    pub name: &'static str,
    pub reference: f64,
    pub max: f64,
}

pub fn unit(name: &str) -> Option<&'static Unit> {
    UNITS.iter().find(|u| u.name == name)
}

pub fn magnitude_factor(unit_name: &str, magnitude: f64) -> f64 {
    unit(unit_name).map_or(1.0, |u| 1.0 + (magnitude.min(u.max) / u.reference).max(1.0).log10())
}

/// How much a reported event counts by the confidence the analyst gave it.
pub fn confidence_factor(confidence: super::Confidence) -> f64 {
    match confidence {
        super::Confidence::High => 1.0,
        super::Confidence::Medium => 0.75,
        super::Confidence::Low => 0.5,
    }
}

/// A date as precise as the source gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl EventDate {
    pub fn parse(text: &str) -> Option<EventDate> {
        let parts: Vec<&str> = text.split('-').collect();
        let number = |s: &str, len: usize| (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<i32>().ok()).flatten();
        let year = number(parts.first()?, 4)?;
        let month = parts.get(1).map(|m| number(m, 2)).map_or(Some(None), |m| m.filter(|m| (1..=12).contains(m)).map(Some))?;
        let day = parts.get(2).map(|d| number(d, 2)).map_or(Some(None), |d| d.map(Some))?;
        if parts.len() > 3 {
            return None;
        }
        if let (Some(m), Some(d)) = (month, day) {
            jiff::civil::Date::new(year as i16, m as i8, d as i8).ok()?;
        }
        Some(EventDate { year, month: month.map(|m| m as u8), day: day.map(|d| d as u8) })
    }
}

impl EventDate {
    /// The first and last day the date may stand for (`2019` spans 2019-01-01 to 2019-12-31), as
    /// (year, month, day), for comparing dates of different precision.
    pub fn earliest(self) -> (i32, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    pub fn latest(self) -> (i32, u8, u8) {
        let month = self.month.unwrap_or(12);
        let last_day = jiff::civil::Date::new(self.year as i16, month as i8, 1).map_or(28, |d| d.days_in_month() as u8);
        (self.year, month, self.day.unwrap_or(last_day))
    }

    pub fn today() -> EventDate {
        let now = jiff::Zoned::now().date();
        EventDate { year: i32::from(now.year()), month: Some(now.month() as u8), day: Some(now.day() as u8) }
    }
}

impl std::fmt::Display for EventDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: String,
    pub file: PathBuf,
    pub line: usize,
    pub date: EventDate,
    pub benefactor: String,
    pub recipient: String,
    pub instrument: Instrument,
    pub event_type: &'static EventType,
    pub magnitude: Option<(f64, String)>,
    pub effective_date: Option<EventDate>,
    pub confidence: Confidence,
    pub summary: String,
    pub source_title: String,
    pub source_publisher: String,
    pub source_date: String,
    pub source_url: String,
}

impl Event {
    /// "Title, Publisher, date": the source as a reader names it (reports link it to the URL).
    pub fn source_label(&self) -> String {
        let mut parts = vec![self.source_title.as_str()];
        parts.extend([self.source_publisher.as_str(), self.source_date.as_str()].into_iter().filter(|s| !s.is_empty()));
        parts.join(", ")
    }

    /// "Title, Publisher, date. URL": how `explain` cites the row in plain text.
    pub fn citation(&self) -> String {
        format!("{}. {}", self.source_label(), self.source_url)
    }
}
