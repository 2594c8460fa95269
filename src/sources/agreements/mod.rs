//! The agreements record (`datasets/agreements.csv`, curated): one row per defence agreement between a
//! benefactor and a tracked recipient — defence cooperation, military-technical cooperation, basing and
//! port access, status of forces, intelligence sharing, training, co-production, security — with its
//! signature, entry into force and end where reported, its status and one public source (two for a
//! contested claim). Checked in full before any work starts; `mdime validate` reports its problems with
//! file, line and column. Feeds M3, E2, I3 and D2 (`indicators`).

pub mod indicators;
mod reader;

pub use reader::*;

use super::{About, CuratedRecord, ANALYSTS};

pub static RECORD: CuratedRecord = CuratedRecord {
    about: About { name: "agreements", publisher: ANALYSTS, citation: reader::SOURCE },
    file: FILE,
    indicators: indicators::INDICATORS,
    compute: indicators::compute,
};
