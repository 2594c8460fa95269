//! The promises a formal alliance can hold, as the Alliance Treaty Obligations and Provisions project
//! (ATOP) codes them, and how strong each is as a tie between two armed forces.

/// Ordered from the weakest tie to the strongest (see `strength`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Obligation {
    /// Not to attack the other.
    NonAggression,
    /// To consult the other in a crisis.
    Consultation,
    /// Not to aid the other's adversary in a conflict.
    Neutrality,
    /// To join the other in an attack.
    Offense,
    /// To come to the other's defence if attacked.
    Defense,
}

impl Obligation {
    pub const ALL: [Obligation; 5] =
        [Obligation::NonAggression, Obligation::Consultation, Obligation::Neutrality, Obligation::Offense, Obligation::Defense];

    pub fn label(self) -> &'static str {
        match self {
            Obligation::NonAggression => "non_aggression",
            Obligation::Consultation => "consultation",
            Obligation::Neutrality => "neutrality",
            Obligation::Offense => "offense",
            Obligation::Defense => "defense",
        }
    }

    /// The strength of the tie, doubling at each step up. Defence and offence (8) commit forces to fight
    /// beside the other. Neutrality (4) commits a state to deny the other's enemies its help: restraint,
    /// but chosen for this partner. Consultation (2) obliges the two governments to talk in a crisis,
    /// which needs standing channels between their defence establishments. Non-aggression alone (1) is
    /// the weakest:
    /// in ATOP it comes mostly from the Treaty of Amity and Cooperation in Southeast Asia, to which China,
    /// Russia, the United States and dozens of states outside the region have acceded, so it marks no
    /// particular tie. The steps double rather than count up so that a rubric's thresholds can sit
    /// between them with room to spare: moved by ±20% (`mdime run --sensitivity`), they still fall in
    /// the same gaps, and no pact changes level for a reason that is not in the data.
    pub fn strength(self) -> u8 {
        match self {
            Obligation::NonAggression => 1,
            Obligation::Consultation => 2,
            Obligation::Neutrality => 4,
            Obligation::Offense | Obligation::Defense => 8,
        }
    }
}

impl std::fmt::Display for Obligation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}
