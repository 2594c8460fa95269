//! PRC state media and state-affiliated accounts on social media, from the list CANIS prepared for its
//! 2023 hackathon (dated 3 November 2023): each account's owner, parent entity, language, region of
//! focus and follower counts on X, Facebook, Instagram, Threads, YouTube and TikTok. An I1 table, and a
//! snapshot: a level in 2023, not a series.
//!
//! `Region of Focus` mixes countries (`Pakistan`, `UAE`, `Türkiye`), regions and organisations (`MENA`,
//! `African Union`, `ASEAN`, `East African Community`, `EU`), language audiences (`Anglosphere`,
//! `la Francophonie`, `Hispanophone`, `Lusophone`), places in China (`Shanghai`, `Xinjiang`, `Hong Kong`)
//! and the UN. Every account is kept, with the kind of focus it has (`REGIONS` lists how each name that
//! is not a country is read):
//! - `country`: attributed to that state;
//! - `group`: attributed to each member in equal shares: an organisation's members on the list's date by
//!   `datasets/groups.csv` (suspended members included: a suspension does not end an audience), MENA's
//!   as mdime's Middle East region;
//! - `china`: aimed at or about China itself;
//! - `worldwide`: language services for speakers anywhere (CGTN, China Daily and the other English,
//!   French, Spanish and Portuguese services) and the UN, attributed to no state: the list does not say
//!   where their audience lives;
//! - `outside`: the EU, whose members lie outside the regions mdime tracks, attributed to no recipient.
//!
//! A focus mdime cannot place stops the import with its line. Counts are plain integers; an empty count
//! is no account on that platform, except where the account's handle is given (three TikTok accounts),
//! when the count is unknown and said so.

pub mod indicators;
mod reader;

pub use reader::*;

use std::path::PathBuf;

use super::{About, OneTable};

/// CANIS's list of PRC state media accounts on social media (3 November 2023) →
/// `datasets/state_media_accounts.csv`: one row per account with its owner, language, region of
/// focus and followers per platform (I1; a 2023 snapshot).
///
/// A focus on a region or organisation (`MENA`, `African Union`, `ASEAN`, `East African Community`) is
/// attributed to each member in equal shares (organisations' members on the list's date by
/// datasets/groups.csv); the worldwide language services (`Anglosphere`, `la Francophonie`,
/// `Hispanophone`, `Lusophone`), the UN's and the EU's accounts and those on China itself to no
/// recipient.
#[derive(Debug, clap::Parser)]
#[command(name = "state-media")]
pub struct ImportArgs {
    /// The CSV file (default: ../shared/data/media/CANIS_PRC_state_media_on_social_media_platforms-2023-11-03.csv).
    #[arg(value_name = "FILE", default_value = DEFAULT_FILE)]
    pub file: PathBuf,
}

pub static SOURCE: OneTable<ImportArgs> = OneTable {
    about: About { name: "state-media", publisher: "Canadian Association of Network and Intelligence Studies (CANIS)", citation: CITATION },
    spec: &SPEC,
    indicators: indicators::INDICATORS,
    import: |args, datasets| reader::import(&args.file, datasets).map(|report| (report.table, report.provenance)),
    compute: indicators::compute,
    span: None,
};
