//! China's I1 from the list of Confucius Institutes (`datasets/confucius_institutes.csv`): the
//! institutes a recipient hosted by 2021, the list's year. A level, not a series: most institutes have
//! no founding date, so the list says how many a country had, not when they came.
//!
//! The list means to be worldwide (148 countries), so it covers China in every recipient: one with no
//! institute in it is Unobserved. It is used only when the window reaches 2021: an assessment as of an
//! earlier year cannot know which of the institutes already existed.

use std::collections::BTreeMap;
use std::path::Path;

use crate::indicators::{Indicators, PairValues, Period, Scope};
use crate::domain::Instrument;
use crate::error::Result;
use super::reader as confucius;

const LISTED: &str = "confucius_institutes_listed";

pub const INDICATORS: &[(Instrument, &str)] = &[(Instrument::I1, LISTED)];

pub fn compute(datasets: &Path, scope: &Scope) -> Result<Indicators> {
    let mut out = Indicators::default();
    let Some(china) = scope.benefactors.iter().find(|b| b.iso3 == confucius::BENEFACTOR) else { return Ok(out) };
    if !scope.window.contains(confucius::YEAR) {
        return Ok(out);
    }
    let Some((table, _)) = confucius::find_table(datasets)? else { return Ok(out) };
    let frame = crate::indicators::read_table(&table, &["iso3"], &[])?;
    let iso3 = frame.column("iso3")?.str()?;
    let mut listed: BTreeMap<&str, u32> = BTreeMap::new();
    for code in (0..frame.height()).filter_map(|i| iso3.get(i)) {
        *listed.entry(code).or_default() += 1;
    }
    let source = format!("{} ({})", confucius::SOURCE_LABEL, confucius::YEAR);
    let year = Period::Window(confucius::YEAR, confucius::YEAR);
    for recipient in scope.recipients {
        let mut pair = PairValues { out: &mut out, benefactor: &china.iso3, recipient: &recipient.iso3, source: &source };
        pair.push(Instrument::I1, LISTED, year, f64::from(listed.get(recipient.iso3.as_str()).copied().unwrap_or(0)), "institutes");
        pair.cover(Instrument::I1, confucius::YEAR, confucius::YEAR);
    }
    Ok(out)
}
