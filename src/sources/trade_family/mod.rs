//! The trade family: the readers the trade table (`trade`) and the strategic-commodity table
//! (`commodities`) share — IMF DOTS workbooks (`dots`), UN Comtrade extracts (`comtrade`), Correlates of
//! War dyadic trade (`cow`) — and the figures they report. No source module is imported by another;
//! both sources import this one.

pub mod comtrade;
pub mod cow;
pub mod dots;

use std::collections::BTreeMap;
use std::path::PathBuf;

use self::dots::{Figure, Flow};

/// One figure of a benefactor's trade with a partner, from a source other than the DOTS workbooks:
/// `flow` is the benefactor's.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub benefactor: String,
    pub partner: String,
    pub year: i32,
    pub flow: Flow,
    pub figure: Figure,
}

/// A file of such figures, as read.
#[derive(Debug)]
pub struct Reported {
    pub path: PathBuf,
    pub sha256: String,
    pub lines: usize,
    pub records_read: usize,
    pub cells: Vec<Cell>,
    /// Records read but not kept, by reason.
    pub excluded: BTreeMap<String, usize>,
}

impl Reported {
    pub fn file_name(&self) -> String {
        self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }
}

