//! The outreach record (`datasets/outreach.csv`, curated): one row per cultural centre, media bureau or
//! media agreement (I1), count of officers trained or training agreement (D2), and ICT agreement or
//! project, satellite-navigation station or satellite (I2) of a benefactor in a tracked recipient — with
//! its instrument, dates, status, the number a source publishes where it does and one public source (two
//! for a contested claim). Checked in full before any work starts; `mdime validate` reports its problems
//! with file, line and column. Feeds I1, I2 and D2 (`indicators`).

pub mod indicators;
mod reader;

pub use reader::*;

use super::{About, CuratedRecord, ANALYSTS};

pub static RECORD: CuratedRecord = CuratedRecord {
    about: About { name: "outreach", publisher: ANALYSTS, citation: reader::SOURCE },
    file: FILE,
    indicators: indicators::INDICATORS,
    compute: indicators::compute,
};
