//! A benefactor's outreach to a recipient beyond its forces' presence and pacts: the cultural centres,
//! media bureaus and media agreements that carry its voice (I1), the officers it trains and the
//! agreements to train them (D2), and its information and communications technology — security
//! agreements, projects, satellite-navigation stations, satellites (I2) — each dated and cited. The
//! curated record `datasets/outreach.csv` holds them (read by the source of the same name).

use std::path::PathBuf;

use super::evidence::EventDate;
use super::presence::{share_of_year, Citation};
use super::Instrument;

/// What an outreach row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OutreachKind {
    /// A cultural centre: an official Russian House, a partner house, a Russkiy Mir centre.
    CulturalCentre,
    /// A state news agency's or broadcaster's bureau, office or studio in the recipient.
    MediaBureau,
    /// A content-exchange or cooperation agreement with the recipient's media, or local carriage or
    /// rebroadcast of the benefactor's state media (which needs a partner station).
    MediaAgreement,
    /// Officers or cadets trained in the benefactor's military academies, with their number where one
    /// is published.
    OfficersTrained,
    /// An agreement or contract providing for the training of the recipient's servicemen.
    TrainingAgreement,
    /// A telecommunications or cyber-security project or contract.
    IctProject,
    /// An agreement on information security or ICT cooperation.
    IctAgreement,
    /// A satellite-navigation (GLONASS) ground station.
    GnssStation,
    /// A satellite built or launched for the recipient, or a contract to supply one.
    Satellite,
}

impl OutreachKind {
    pub const ALL: [OutreachKind; 9] = [
        OutreachKind::CulturalCentre,
        OutreachKind::MediaBureau,
        OutreachKind::MediaAgreement,
        OutreachKind::OfficersTrained,
        OutreachKind::TrainingAgreement,
        OutreachKind::IctProject,
        OutreachKind::IctAgreement,
        OutreachKind::GnssStation,
        OutreachKind::Satellite,
    ];

    /// The code the record uses (`cultural_centre`).
    pub fn code(self) -> &'static str {
        match self {
            OutreachKind::CulturalCentre => "cultural_centre",
            OutreachKind::MediaBureau => "media_bureau",
            OutreachKind::MediaAgreement => "media_agreement",
            OutreachKind::OfficersTrained => "officers_trained",
            OutreachKind::TrainingAgreement => "training_agreement",
            OutreachKind::IctProject => "ict_project",
            OutreachKind::IctAgreement => "ict_agreement",
            OutreachKind::GnssStation => "gnss_station",
            OutreachKind::Satellite => "satellite",
        }
    }

    pub fn parse(code: &str) -> Option<OutreachKind> {
        OutreachKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The instrument the framework files it under: cultural institutes and media agreements are
    /// cultural and media outreach (I1); officers trained and training agreements are military
    /// education and training (D2); networks, information-security agreements, navigation stations and
    /// satellites are information and communications technology support (I2).
    pub fn instrument(self) -> Instrument {
        match self {
            OutreachKind::CulturalCentre | OutreachKind::MediaBureau | OutreachKind::MediaAgreement => Instrument::I1,
            OutreachKind::OfficersTrained | OutreachKind::TrainingAgreement => Instrument::D2,
            OutreachKind::IctProject | OutreachKind::IctAgreement | OutreachKind::GnssStation | OutreachKind::Satellite => Instrument::I2,
        }
    }
}

/// Where an outreach row stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OutreachStatus {
    /// Announced or under negotiation, nothing signed or opened: it counts for nothing.
    Planned,
    /// An agreement, contract or memorandum signed (its entry into force seldom reported).
    Signed,
    /// Open, running or in force.
    Operational,
    /// Closed, lost or lapsed, on its `end`.
    Ended,
}

impl OutreachStatus {
    pub const ALL: [OutreachStatus; 4] = [OutreachStatus::Planned, OutreachStatus::Signed, OutreachStatus::Operational, OutreachStatus::Ended];

    pub fn code(self) -> &'static str {
        match self {
            OutreachStatus::Planned => "planned",
            OutreachStatus::Signed => "signed",
            OutreachStatus::Operational => "operational",
            OutreachStatus::Ended => "ended",
        }
    }

    pub fn parse(code: &str) -> Option<OutreachStatus> {
        OutreachStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// One row of a benefactor's outreach in a recipient (a row of `datasets/outreach.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct Outreach {
    pub id: String,
    pub file: PathBuf,
    pub line: usize,
    pub benefactor: String,
    pub recipient: String,
    pub kind: OutreachKind,
    pub name: String,
    /// When it opened or was signed; for an old institution whose opening no source gives, the earliest
    /// date a source attests it (the note says so).
    pub start: EventDate,
    /// When it closed, was lost or lapsed; None while it runs.
    pub end: Option<EventDate>,
    pub status: OutreachStatus,
    /// The number the source publishes (officers or cadets trained), and the year it describes.
    pub quantity: Option<(u32, i32)>,
    pub contested: bool,
    pub note: String,
    /// One source, or two for a contested claim.
    pub sources: Vec<Citation>,
}

impl Outreach {
    /// The share of `year` (0 to 1) it was in place, from its start to its end: none while only planned.
    pub fn share_of_year(&self, year: i32) -> f64 {
        if self.status == OutreachStatus::Planned {
            return 0.0;
        }
        share_of_year(self.start, self.end, year)
    }

    /// The officers it reports trained in `year`: its published count in the year the count describes,
    /// for an `officers_trained` row that is not merely planned; 0 otherwise.
    pub fn officers_trained(&self, year: i32) -> f64 {
        match self.counted() {
            Some((count, of)) if of == year && self.status != OutreachStatus::Planned => f64::from(count),
            _ => 0.0,
        }
    }

    /// Its published count of officers trained and the year it describes, for an `officers_trained`
    /// row: None for other kinds, whose quantity counts in no indicator.
    pub fn counted(&self) -> Option<(u32, i32)> {
        self.quantity.filter(|_| self.kind == OutreachKind::OfficersTrained)
    }
}
