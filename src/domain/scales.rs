use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pillar {
    Diplomatic,
    Informational,
    Military,
    Economic,
}

impl Pillar {
    pub fn name(self) -> &'static str {
        match self {
            Pillar::Diplomatic => "Diplomatic",
            Pillar::Informational => "Informational",
            Pillar::Military => "Military",
            Pillar::Economic => "Economic",
        }
    }
}

/// The twelve instruments. Their codes (D1 … E3) are the stable identifiers used in data, CSV and charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Instrument {
    D1,
    D2,
    D3,
    I1,
    I2,
    I3,
    M1,
    M2,
    M3,
    E1,
    E2,
    E3,
}

impl Instrument {
    pub const ALL: [Instrument; 12] = [
        Instrument::D1,
        Instrument::D2,
        Instrument::D3,
        Instrument::I1,
        Instrument::I2,
        Instrument::I3,
        Instrument::M1,
        Instrument::M2,
        Instrument::M3,
        Instrument::E1,
        Instrument::E2,
        Instrument::E3,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Instrument::D1 => "D1",
            Instrument::D2 => "D2",
            Instrument::D3 => "D3",
            Instrument::I1 => "I1",
            Instrument::I2 => "I2",
            Instrument::I3 => "I3",
            Instrument::M1 => "M1",
            Instrument::M2 => "M2",
            Instrument::M3 => "M3",
            Instrument::E1 => "E1",
            Instrument::E2 => "E2",
            Instrument::E3 => "E3",
        }
    }

    pub fn pillar(self) -> Pillar {
        match self {
            Instrument::D1 | Instrument::D2 | Instrument::D3 => Pillar::Diplomatic,
            Instrument::I1 | Instrument::I2 | Instrument::I3 => Pillar::Informational,
            Instrument::M1 | Instrument::M2 | Instrument::M3 => Pillar::Military,
            Instrument::E1 | Instrument::E2 | Instrument::E3 => Pillar::Economic,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Instrument::D1 => "Defense-related diplomacy",
            Instrument::D2 => "International military education and training",
            Instrument::D3 => "Soft power activities",
            Instrument::I1 => "Cultural and media outreach, collaboration and alignment",
            Instrument::I2 => "Information and communications technology support",
            Instrument::I3 => "Cooperation in military intelligence and communications",
            Instrument::M1 => "Formal bilateral military engagements",
            Instrument::M2 => "Shared informal / multilateral military engagements",
            Instrument::M3 => "Defense / security pacts and agreements",
            Instrument::E1 => "Arms transfers",
            Instrument::E2 => "Technology-sharing and joint production agreements",
            Instrument::E3 => "Trade and cooperation in strategic commodities / sectors",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Instrument::D1 => "visits and meetings of heads of state, defence ministers and chiefs of staff; defence attaché posts",
            Instrument::D2 => "officers trained in the benefactor's academies, training teams, medical or technical training by military personnel",
            Instrument::D3 => "military-linked aid and infrastructure, development programmes tied to security",
            Instrument::I1 => "cultural institutes, media agreements, state-media content, favourable public opinion",
            Instrument::I2 => "national broadband or fibre builds, data centres, telecom contracts and loans",
            Instrument::I3 => "intelligence-sharing agreements, signals or surveillance equipment, liaison",
            Instrument::M1 => "bilateral exercises, port calls, advisers or instructors, private military companies working for the state",
            Instrument::M2 => "troops deployed alongside the recipient's forces in UN or other multilateral missions, multilateral exercises",
            Instrument::M3 => "defence cooperation, logistics, status-of-forces and basing agreements in force",
            Instrument::E1 => "deliveries of major conventional arms; the benefactor's share of the recipient's arms imports",
            Instrument::E2 => "licensed or joint production, technology-transfer and industrial cooperation agreements",
            Instrument::E3 => "bilateral trade and its growth, stakes in mining, energy and agriculture",
        }
    }

    /// Instruments that benefactors keep secret: open sources see little of them, so ratings are held at
    /// low confidence whatever the data says.
    pub fn is_secretive(self) -> bool {
        matches!(self, Instrument::I3 | Instrument::E2)
    }

    /// Whether the instrument acts on the recipient's armed forces themselves — training them (D2),
    /// standing or exercising with them (M1, M2), binding them by pact (M3), arming them (E1, E2),
    /// sharing intelligence with them (I3) — rather than on its state and society (diplomacy, aid,
    /// media, telecoms, trade). Military influence, as the framework defines it, is the former's reach.
    pub fn acts_on_forces(self) -> bool {
        matches!(self, Instrument::D2 | Instrument::M1 | Instrument::M2 | Instrument::M3 | Instrument::E1 | Instrument::E2 | Instrument::I3)
    }
}

impl fmt::Display for Instrument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Instrument {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let code = s.trim().to_ascii_uppercase();
        Instrument::ALL
            .into_iter()
            .find(|i| i.code() == code)
            .ok_or_else(|| format!("unknown instrument `{s}` (expected one of D1 D2 D3 I1 I2 I3 M1 M2 M3 E1 E2 E3)"))
    }
}

/// By its code, as in every table.
impl serde::Serialize for Instrument {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for Instrument {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?.parse().map_err(serde::de::Error::custom)
    }
}

/// The current-influence scale. `Unobserved` means a source covering the instrument was looked at and
/// showed no activity; `NotAssessed` means no source covers it, so nothing can be said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CurrentLevel {
    NotAssessed,
    Unobserved,
    VeryLow,
    Low,
    Medium,
    High,
    VeryHigh,
}

impl CurrentLevel {
    /// The five observed levels, lowest first: the order the rubric's thresholds separate.
    pub const OBSERVED: [CurrentLevel; 5] = [
        CurrentLevel::VeryLow,
        CurrentLevel::Low,
        CurrentLevel::Medium,
        CurrentLevel::High,
        CurrentLevel::VeryHigh,
    ];

    pub fn label(self) -> &'static str {
        match self {
            CurrentLevel::NotAssessed => "Not assessed",
            CurrentLevel::Unobserved => "Unobserved",
            CurrentLevel::VeryLow => "Very Low",
            CurrentLevel::Low => "Low",
            CurrentLevel::Medium => "Medium",
            CurrentLevel::High => "High",
            CurrentLevel::VeryHigh => "Very High",
        }
    }

    /// Position on the observed scale (Very Low = 1 … Very High = 5); None when nothing was observed.
    pub fn rank(self) -> Option<u8> {
        match self {
            CurrentLevel::NotAssessed | CurrentLevel::Unobserved => None,
            CurrentLevel::VeryLow => Some(1),
            CurrentLevel::Low => Some(2),
            CurrentLevel::Medium => Some(3),
            CurrentLevel::High => Some(4),
            CurrentLevel::VeryHigh => Some(5),
        }
    }
}

impl fmt::Display for CurrentLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The projected-influence scale: the direction over the three years after the assessment date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Trend {
    Increasing,
    Steady,
    Decreasing,
    /// Projected, but no direction has half the projection's probability: the probabilities are shown
    /// instead of an arrow.
    Uncertain,
    Unknown,
}

impl Trend {
    pub fn label(self) -> &'static str {
        match self {
            Trend::Increasing => "Increasing",
            Trend::Steady => "Steady",
            Trend::Decreasing => "Decreasing",
            Trend::Uncertain => "Uncertain",
            Trend::Unknown => "Unknown",
        }
    }
}

impl fmt::Display for Trend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn label(self) -> &'static str {
        match self {
            Confidence::Low => "Low",
            Confidence::Medium => "Medium",
            Confidence::High => "High",
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}
