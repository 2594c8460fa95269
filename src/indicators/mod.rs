//! Per-instrument indicators, per benefactor × recipient, computed from the derived tables in
//! `datasets/`. Every value names its source, and every source says which pairs and years it covers, so
//! that the assessment can tell "looked and saw nothing" from "nobody looked".

pub mod arms;
pub mod trade;

use std::path::Path;


use crate::domain::{Benefactor, Country, Instrument};
use crate::error::Result;

/// The assessment window: the years whose activity counts for the current rating. The M-DIME reports use
/// 2012 to the present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: i32,
    pub end: i32,
}

impl Window {
    pub fn contains(self, year: i32) -> bool {
        (self.start..=self.end).contains(&year)
    }

    pub fn label(self) -> String {
        format!("{}-{}", self.start, self.end)
    }

    pub fn years(self) -> impl Iterator<Item = i32> {
        self.start..=self.end
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Period {
    Year(i32),
    Window(i32, i32),
}

impl Period {
    pub fn label(self) -> String {
        match self {
            Period::Year(year) => year.to_string(),
            Period::Window(start, end) => format!("{start}-{end}"),
        }
    }
}

/// One indicator value for one benefactor in one recipient.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorValue {
    pub benefactor: String,
    pub recipient: String,
    pub instrument: Instrument,
    pub indicator: &'static str,
    pub period: Period,
    pub value: f64,
    pub unit: &'static str,
    pub source: String,
}

/// A source looked at this benefactor × recipient × instrument for these years.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Coverage {
    pub benefactor: String,
    pub recipient: String,
    pub instrument: Instrument,
    pub source: String,
    pub first_year: i32,
    pub last_year: i32,
}

/// What the indicators are computed for.
#[derive(Debug, Clone)]
pub struct Scope<'a> {
    pub benefactors: &'a [Benefactor],
    pub recipients: &'a [&'a Country],
    pub window: Window,
    /// Count the Soviet Union's deliveries as Russia's (for long-run series); off by default.
    pub attribute_ussr_to_russia: bool,
}

#[derive(Debug, Default)]
pub struct Indicators {
    pub values: Vec<IndicatorValue>,
    pub coverage: Vec<Coverage>,
}

impl Indicators {
    /// Values of one indicator for a pair over the window, if computed.
    pub fn window_value(&self, benefactor: &str, recipient: &str, instrument: Instrument, indicator: &str) -> Option<f64> {
        self.values
            .iter()
            .find(|v| {
                v.benefactor == benefactor
                    && v.recipient == recipient
                    && v.instrument == instrument
                    && v.indicator == indicator
                    && matches!(v.period, Period::Window(..))
            })
            .map(|v| v.value)
    }

    pub fn sources_covering(&self, benefactor: &str, recipient: &str, instrument: Instrument) -> Vec<&Coverage> {
        self.coverage
            .iter()
            .filter(|c| c.benefactor == benefactor && c.recipient == recipient && c.instrument == instrument)
            .collect()
    }

    fn sort(&mut self) {
        self.values.sort_by(|a, b| {
            (&a.benefactor, &a.recipient, a.instrument, a.indicator, a.period)
                .cmp(&(&b.benefactor, &b.recipient, b.instrument, b.indicator, b.period))
        });
        self.coverage.sort();
    }
}

/// Every indicator mdime computes, by instrument: what a rubric may name.
pub fn known() -> impl Iterator<Item = &'static (Instrument, &'static str)> {
    arms::INDICATORS.iter().chain(trade::INDICATORS)
}

/// Computes every indicator mdime knows from the tables in `datasets`.
pub fn compute(datasets: &Path, scope: &Scope) -> Result<Indicators> {
    let mut indicators = arms::compute(datasets, scope)?;
    let trade = trade::compute(datasets, scope)?;
    indicators.values.extend(trade.values);
    indicators.coverage.extend(trade.coverage);
    indicators.sort();
    Ok(indicators)
}

/// Six decimals: enough for millions and shares, and no trace of floating-point summation order.
fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// The last year of data in the datasets, the default as-of year.
pub fn latest_year(datasets: &Path) -> Result<i32> {
    arms::latest_year(datasets)
}
