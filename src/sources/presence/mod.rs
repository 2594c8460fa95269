//! The presence record (`datasets/presence.csv`, curated): one row per spell of a benefactor's military
//! presence in a tracked recipient — a base or facility, naval port access, deployed state forces, a
//! state-directed private military company, advisers, a training mission, an intelligence facility —
//! with its dates, status, personnel where published and one public source (two for a contested claim).
//! Checked in full before any work starts; `mdime validate` reports its problems with file, line and
//! column. Feeds M1, D2 and I3 (`indicators`).

pub mod indicators;
mod reader;

pub use reader::*;

use super::{About, CuratedRecord, ANALYSTS};

pub static RECORD: CuratedRecord = CuratedRecord {
    about: About { name: "presence", publisher: ANALYSTS, citation: reader::SOURCE },
    file: FILE,
    indicators: indicators::INDICATORS,
    compute: indicators::compute,
};
