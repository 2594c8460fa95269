//! The vocabulary of the M-DIME method: instruments, the two rating scales, confidence, benefactors and
//! the country table. Nothing here knows about files or dataframes.

mod countries;
pub mod evidence;
pub mod geo;
mod groups;
mod missions;
mod obligations;
pub mod outreach;
pub mod presence;
mod scales;

pub use groups::{Day, Group, GroupOn, Membership, Spell};
pub use countries::{normalise_name, Country, CountryTable, LocalName, NameMatch, Region, Status, NON_COUNTRY_KINDS};
pub use missions::{Mission, MissionTable};
pub use obligations::Obligation;
pub use scales::{Confidence, CurrentLevel, Instrument, Pillar, Trend};

/// A benefactor a run compares. China and Russia by default; comparators such as the United States,
/// France or Turkiye can be added, so a run holds a list of countries rather than a fixed pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Benefactor {
    pub iso3: String,
    pub name: String,
    /// Its colour in every chart (RGB), the same whatever else the run compares.
    pub colour: [u8; 3],
}

/// The benefactors when `datasets/benefactors.csv` names none to run by default.
pub const DEFAULT_BENEFACTORS: [&str; 2] = ["China", "Russia"];

/// The Okabe–Ito palette, distinct for colour-blind readers; the first two (vermillion, blue) also
/// differ in lightness, so China and Russia stay apart in greyscale. Benefactors without a colour of
/// their own take the first of these that no other benefactor of the run has.
pub const BENEFACTOR_PALETTE: [[u8; 3]; 7] =
    [[0xd5, 0x5e, 0x00], [0x00, 0x72, 0xb2], [0x00, 0x9e, 0x73], [0xcc, 0x79, 0xa7], [0xe6, 0x9f, 0x00], [0x56, 0xb4, 0xe9], [0xf0, 0xe4, 0x42]];
