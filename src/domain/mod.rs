//! The vocabulary of the M-DIME method: instruments, the two rating scales, confidence, benefactors and
//! the country table. Nothing here knows about files or dataframes.

mod countries;
pub mod evidence;
mod missions;
mod obligations;
mod scales;

pub use countries::{normalise_name, Country, CountryTable, LocalName, NameMatch, Region, Status, NON_COUNTRY_KINDS};
pub use missions::{Mission, MissionTable};
pub use obligations::Obligation;
pub use scales::{Confidence, CurrentLevel, Instrument, Pillar, Trend};

/// The benefactors a run compares. China and Russia by default; comparators such as the United States,
/// France or Turkiye can be added, so this is a list of countries rather than a fixed pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Benefactor {
    pub iso3: String,
    pub name: String,
}

pub const DEFAULT_BENEFACTORS: [&str; 2] = ["China", "Russia"];
