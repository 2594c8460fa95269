//! The hostilities record (`datasets/hostilities.csv`, curated): one row per episode that sets a
//! benefactor against a tracked recipient — armed clashes between their forces, broad sanctions, an arms
//! embargo, a rupture of relations — with its dates and public sources. It rates no instrument: the
//! assessment shows the episodes beside a pair's ratings and caps its overall level while one falls in
//! the years the current level describes (`assess`). Checked in full before any work starts.

mod reader;

pub use reader::*;

use super::{About, CuratedRecord, Inputs, ANALYSTS};
use crate::error::Result;
use crate::indicators::{Indicators, Scope};

pub static RECORD: CuratedRecord =
    CuratedRecord { about: About { name: "hostilities", publisher: ANALYSTS, citation: reader::SOURCE }, file: FILE, indicators: &[], compute };

/// The episodes of the run's pairs that reach into its window.
fn compute(inputs: &Inputs, scope: &Scope) -> Result<Indicators> {
    let hostilities = inputs
        .curated
        .hostilities
        .iter()
        .filter(|h| scope.benefactors.iter().any(|b| b.iso3 == h.benefactor) && scope.recipients.iter().any(|r| r.iso3 == h.recipient))
        .filter(|h| h.overlaps(scope.window.start, scope.window.end))
        .cloned()
        .collect();
    Ok(Indicators { hostilities, ..Indicators::default() })
}
