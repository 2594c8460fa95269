//! Standing military ties: a benefactor's presence in a recipient (bases, deployed forces, private
//! military companies, advisers, training missions, intelligence facilities) and the defence agreements
//! between the two — and the hostilities that cut across them (armed clashes, sanctions, embargoes,
//! ruptures) — each dated and cited. The curated records `datasets/presence.csv`,
//! `datasets/agreements.csv` and `datasets/hostilities.csv` hold them (read by the sources of the same
//! names).

use std::path::PathBuf;

use super::evidence::EventDate;
use super::Instrument;

/// A curated row's public source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub url: String,
    pub title: String,
    pub publisher: String,
    /// The page's publication date, as precise as it shows (`YYYY` at least).
    pub date: String,
}

impl Citation {
    /// "Title, Publisher, date": the source as a reader names it (reports link it to the URL).
    pub fn label(&self) -> String {
        let mut parts = vec![self.title.as_str()];
        parts.extend([self.publisher.as_str(), self.date.as_str()].into_iter().filter(|s| !s.is_empty()));
        parts.join(", ")
    }
}

/// Where a date falls, in years (2018.5 is the middle of 2018). A date given to the year stands for
/// the middle of that year and one given to the month for the middle of that month: the records give
/// dates as precisely as their sources do, and the midpoint errs by half the period either way rather
/// than always one way.
pub fn date_position(date: EventDate) -> f64 {
    let year = f64::from(date.year);
    match (date.month, date.day) {
        (Some(month), Some(day)) => {
            let days_before: u32 = (1..u32::from(month)).map(|m| days_in_month(date.year, m)).sum();
            year + (f64::from(days_before) + f64::from(day) - 0.5) / days_in_year(date.year)
        }
        (Some(month), None) => year + (f64::from(month) - 0.5) / 12.0,
        _ => year + 0.5,
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    jiff::civil::Date::new(year as i16, month as i8, 1).map_or(30, |d| d.days_in_month() as u32)
}

fn days_in_year(year: i32) -> f64 {
    if jiff::civil::Date::new(year as i16, 1, 1).is_ok_and(|d| d.in_leap_year()) { 366.0 } else { 365.0 }
}

/// The share of calendar year `year` (0 to 1) that the span from `start` to `end` (open when None)
/// covers, by `date_position`.
pub fn share_of_year(start: EventDate, end: Option<EventDate>, year: i32) -> f64 {
    let from = date_position(start).max(f64::from(year));
    let to = end.map_or(f64::INFINITY, date_position).min(f64::from(year) + 1.0);
    (to - from).clamp(0.0, 1.0)
}

/// What kind of presence a spell is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PresenceKind {
    /// A base or facility the benefactor operates or shares.
    Base,
    /// Naval port access, a logistics or replenishment point.
    PortAccess,
    /// State forces deployed in operations or stationed outside a named base.
    DeployedForces,
    /// A state-directed private military company working for the recipient state (Wagner).
    Pmc,
    Advisers,
    /// A training mission or training centre.
    TrainingMission,
    /// An intelligence, signals, radar or space-tracking facility with a military role.
    IntelligenceFacility,
}

impl PresenceKind {
    pub const ALL: [PresenceKind; 7] = [
        PresenceKind::Base,
        PresenceKind::PortAccess,
        PresenceKind::DeployedForces,
        PresenceKind::Pmc,
        PresenceKind::Advisers,
        PresenceKind::TrainingMission,
        PresenceKind::IntelligenceFacility,
    ];

    /// The code the record uses (`deployed_forces`).
    pub fn code(self) -> &'static str {
        match self {
            PresenceKind::Base => "base",
            PresenceKind::PortAccess => "port_access",
            PresenceKind::DeployedForces => "deployed_forces",
            PresenceKind::Pmc => "pmc",
            PresenceKind::Advisers => "advisers",
            PresenceKind::TrainingMission => "training_mission",
            PresenceKind::IntelligenceFacility => "intelligence_facility",
        }
    }

    pub fn parse(code: &str) -> Option<PresenceKind> {
        PresenceKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The instrument the framework files it under: forces, bases, port access, private military
    /// companies and advisers are formal bilateral military engagements (M1); training missions and
    /// centres are military education and training (D2); intelligence facilities are cooperation in
    /// military intelligence (I3).
    pub fn instrument(self) -> Instrument {
        match self {
            PresenceKind::TrainingMission => Instrument::D2,
            PresenceKind::IntelligenceFacility => Instrument::I3,
            _ => Instrument::M1,
        }
    }
}

/// Where a spell stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PresenceStatus {
    /// Agreed or announced, not yet operational: it counts for the projection, not the level.
    Agreed,
    Operational,
    Ended,
    /// Ended at the recipient's demand.
    Expelled,
}

impl PresenceStatus {
    pub const ALL: [PresenceStatus; 4] = [PresenceStatus::Agreed, PresenceStatus::Operational, PresenceStatus::Ended, PresenceStatus::Expelled];

    pub fn code(self) -> &'static str {
        match self {
            PresenceStatus::Agreed => "agreed",
            PresenceStatus::Operational => "operational",
            PresenceStatus::Ended => "ended",
            PresenceStatus::Expelled => "expelled",
        }
    }

    pub fn parse(code: &str) -> Option<PresenceStatus> {
        PresenceStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// One spell of a benefactor's military presence in a recipient (a row of `datasets/presence.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct Presence {
    pub id: String,
    pub file: PathBuf,
    pub line: usize,
    pub benefactor: String,
    pub recipient: String,
    pub kind: PresenceKind,
    pub name: String,
    pub start: EventDate,
    /// When it ended, or is scheduled to end; None while it runs.
    pub end: Option<EventDate>,
    pub status: PresenceStatus,
    /// The best public estimate of its personnel, where one is published.
    pub personnel: Option<u32>,
    /// The published range around that estimate (at least, at most), open at an end a source leaves
    /// open.
    pub personnel_range: Option<(Option<u32>, Option<u32>)>,
    pub contested: bool,
    pub note: String,
    /// One source, or two for a contested claim.
    pub sources: Vec<Citation>,
}

impl Presence {
    /// Its size as the record publishes it: the best estimate, else the middle of the published range,
    /// else the range's one published end; None where nothing is published.
    pub fn published_personnel(&self) -> Option<f64> {
        self.personnel.map(f64::from).or_else(|| match self.personnel_range? {
            (Some(low), Some(high)) => Some((f64::from(low) + f64::from(high)) / 2.0),
            (Some(end), None) | (None, Some(end)) => Some(f64::from(end)),
            (None, None) => None,
        })
    }

    /// The share of `year` the spell was in place: none while only agreed.
    pub fn share_of_year(&self, year: i32) -> f64 {
        if self.status == PresenceStatus::Agreed {
            return 0.0;
        }
        share_of_year(self.start, self.end, year)
    }
}

/// What an agreement binds the two to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AgreementKind {
    DefenceCooperation,
    MilitaryTechnical,
    /// Basing, a naval logistics point or port access.
    Basing,
    StatusOfForces,
    IntelligenceSharing,
    Training,
    /// Licensed or joint production, technology transfer.
    CoProduction,
    /// Internal security, counter-terrorism or police cooperation with a military role.
    Security,
}

impl AgreementKind {
    pub const ALL: [AgreementKind; 8] = [
        AgreementKind::DefenceCooperation,
        AgreementKind::MilitaryTechnical,
        AgreementKind::Basing,
        AgreementKind::StatusOfForces,
        AgreementKind::IntelligenceSharing,
        AgreementKind::Training,
        AgreementKind::CoProduction,
        AgreementKind::Security,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AgreementKind::DefenceCooperation => "defence_cooperation",
            AgreementKind::MilitaryTechnical => "military_technical",
            AgreementKind::Basing => "basing",
            AgreementKind::StatusOfForces => "status_of_forces",
            AgreementKind::IntelligenceSharing => "intelligence_sharing",
            AgreementKind::Training => "training",
            AgreementKind::CoProduction => "co_production",
            AgreementKind::Security => "security",
        }
    }

    pub fn parse(code: &str) -> Option<AgreementKind> {
        AgreementKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The instruments an agreement of this kind counts for: M3 (alliances and agreements) always, and
    /// the instrument its kind names (co-production E2, intelligence sharing I3, training D2).
    pub fn instruments(self) -> &'static [Instrument] {
        match self {
            AgreementKind::CoProduction => &[Instrument::M3, Instrument::E2],
            AgreementKind::IntelligenceSharing => &[Instrument::M3, Instrument::I3],
            AgreementKind::Training => &[Instrument::M3, Instrument::D2],
            _ => &[Instrument::M3],
        }
    }
}

/// Where an agreement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AgreementStatus {
    /// Signed; its entry into force is not reported (or still pending).
    Signed,
    InForce,
    Expired,
    /// Terminated by a party.
    Denounced,
}

impl AgreementStatus {
    pub const ALL: [AgreementStatus; 4] = [AgreementStatus::Signed, AgreementStatus::InForce, AgreementStatus::Expired, AgreementStatus::Denounced];

    pub fn code(self) -> &'static str {
        match self {
            AgreementStatus::Signed => "signed",
            AgreementStatus::InForce => "in_force",
            AgreementStatus::Expired => "expired",
            AgreementStatus::Denounced => "denounced",
        }
    }

    pub fn parse(code: &str) -> Option<AgreementStatus> {
        AgreementStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// One defence agreement between a benefactor and a recipient (a row of `datasets/agreements.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    pub id: String,
    pub file: PathBuf,
    pub line: usize,
    pub benefactor: String,
    pub recipient: String,
    pub kind: AgreementKind,
    pub title: String,
    pub signed: EventDate,
    pub in_force: Option<EventDate>,
    /// Its expiry (possibly scheduled, in the future) or the date it was denounced.
    pub end: Option<EventDate>,
    pub status: AgreementStatus,
    pub contested: bool,
    pub note: String,
    pub sources: Vec<Citation>,
}

impl Agreement {
    /// The share of `year` the agreement binds the two: from its signature (sources seldom report
    /// entry into force, and a signed framework already organises the cooperation) to its end.
    pub fn share_of_year(&self, year: i32) -> f64 {
        share_of_year(self.signed, self.end, year)
    }
}

/// What sets a benefactor against a recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HostilityKind {
    /// Armed clashes or strikes between the two states' forces.
    ArmedClash,
    /// Broad state sanctions by one on the other.
    Sanctions,
    /// An arms embargo one imposes on the other.
    ArmsEmbargo,
    /// Diplomatic relations severed, or the benefactor's forces expelled in a hostile break.
    Rupture,
}

impl HostilityKind {
    pub const ALL: [HostilityKind; 4] = [HostilityKind::ArmedClash, HostilityKind::Sanctions, HostilityKind::ArmsEmbargo, HostilityKind::Rupture];

    pub fn code(self) -> &'static str {
        match self {
            HostilityKind::ArmedClash => "armed_clash",
            HostilityKind::Sanctions => "sanctions",
            HostilityKind::ArmsEmbargo => "arms_embargo",
            HostilityKind::Rupture => "rupture",
        }
    }

    pub fn parse(code: &str) -> Option<HostilityKind> {
        HostilityKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// How a reader names it (`armed clash`).
    pub fn label(self) -> &'static str {
        match self {
            HostilityKind::ArmedClash => "armed clash",
            HostilityKind::Sanctions => "sanctions",
            HostilityKind::ArmsEmbargo => "arms embargo",
            HostilityKind::Rupture => "rupture",
        }
    }
}

/// One episode of hostility between a benefactor and a recipient (a row of `datasets/hostilities.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct Hostility {
    pub id: String,
    pub file: PathBuf,
    pub line: usize,
    pub benefactor: String,
    pub recipient: String,
    pub kind: HostilityKind,
    pub start: EventDate,
    /// When it ended (a one-day clash ends the day it began); None while it lasts.
    pub end: Option<EventDate>,
    pub description: String,
    pub sources: Vec<Citation>,
}

impl Hostility {
    /// Whether the episode reaches into the years `first..=last`.
    pub fn overlaps(&self, first: i32, last: i32) -> bool {
        self.start.year <= last && self.end.is_none_or(|end| end.year >= first)
    }

    /// "armed clash, 2020-06-15 to 2020-06-15": the episode as `explain` and the reports name it.
    pub fn label(&self) -> String {
        let end = self.end.map_or("ongoing".to_string(), |e| e.to_string());
        format!("{}, {} to {end}", self.kind.label(), self.start)
    }
}
