//! The promises a formal alliance can hold, as the Alliance Treaty Obligations and Provisions project
//! (ATOP) codes them, and how strong each is as a tie between two armed forces.

/// Ordered from the weakest tie to the strongest (see `level`).
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

    /// 1 to 4, the strength of the tie. Defence and offence (4) commit forces to fight beside the other.
    /// Neutrality (3) commits a state to deny the other's enemies its help: restraint, but chosen for
    /// this partner. Consultation (2) obliges the two governments to talk in a crisis, which needs
    /// standing channels between their defence establishments. Non-aggression alone (1) is the weakest:
    /// in ATOP it comes mostly from the Treaty of Amity and Cooperation in Southeast Asia, to which China,
    /// Russia, the United States and dozens of states outside the region have acceded, so it marks no
    /// particular tie.
    pub fn level(self) -> u8 {
        match self {
            Obligation::NonAggression => 1,
            Obligation::Consultation => 2,
            Obligation::Neutrality => 3,
            Obligation::Offense | Obligation::Defense => 4,
        }
    }
}

impl std::fmt::Display for Obligation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}
