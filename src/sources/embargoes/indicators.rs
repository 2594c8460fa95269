//! Context for E1 (arms transfers), not rated: whether a multilateral arms embargo applied to the
//! recipient, from `datasets/arms_embargoes.csv` (SIPRI's archive). An embargo is on the recipient, so
//! both benefactors' pairs carry it. A UN embargo binds China and Russia as it binds every member
//! state; an EU or other embargo binds only its members, and can leave the market to them.
//!
//! Years after the archive's last dated entry are unknown and get no values: an embargo it shows in
//! force may have ended since (the UN's on Iran in October 2020).

use std::collections::BTreeMap;
use std::path::Path;

use crate::indicators::{Indicators, PairValues, Period, Scope};
use crate::domain::Instrument;
use crate::error::Result;
use super::reader as embargoes;

const FLAG: &str = "flag (0/1)";

pub const INDICATORS: &[(Instrument, &str)] = &[
    (Instrument::E1, "arms_embargo_in_force"),
    (Instrument::E1, "un_arms_embargo_in_force"),
    (Instrument::E1, "years_under_embargo"),
    (Instrument::E1, "years_under_un_embargo"),
];

/// One embargo on a state: who imposed it, the year it entered into force, and the day it stopped
/// applying (ISO 8601) if it has.
struct Spell {
    un: bool,
    from: i32,
    until: Option<String>,
}

impl Spell {
    /// Whether it applied on any day of `year`: lifted on 1 January, it did not apply that year.
    fn applies_in(&self, year: i32) -> bool {
        self.from <= year && self.until.as_ref().is_none_or(|until| until.as_str() > format!("{year:04}-01-01").as_str())
    }
}

/// Embargoes by target, and the years the archive spans (its first entry into force, its last date).
type Spells = (BTreeMap<String, Vec<Spell>>, (i32, i32));

fn load(table: &Path) -> Result<Option<Spells>> {
    let frame = crate::indicators::read_table(table, &[], &[])?;
    let column = |name: &str| frame.column(name).and_then(|c| c.str().cloned());
    let (target, imposed_by, entry, until) = (column("target_iso3")?, column("imposed_by")?, column("entry_into_force")?, column("in_force_until")?);
    let year = |date: &str| date.get(..4).and_then(|y| y.parse::<i32>().ok());
    let dates = ["entry_into_force", "suspended", "lifted"].map(column);
    let mut years = Vec::new();
    for dates in dates {
        years.extend(dates?.iter().flatten().filter_map(year));
    }
    let (Some(&first), Some(&last)) = (years.iter().min(), years.iter().max()) else { return Ok(None) };
    let mut spells: BTreeMap<String, Vec<Spell>> = BTreeMap::new();
    for i in 0..frame.height() {
        let (Some(t), Some(from)) = (target.get(i), entry.get(i).and_then(year)) else { continue };
        spells.entry(t.to_string()).or_default().push(Spell {
            un: imposed_by.get(i) == Some("UN"),
            from,
            until: until.get(i).map(String::from),
        });
    }
    Ok(Some((spells, (first, last))))
}

pub fn compute(datasets: &Path, scope: &Scope) -> Result<Indicators> {
    let mut out = Indicators::default();
    let Some((table, _)) = embargoes::find_table(datasets)? else { return Ok(out) };
    let Some((spells, (first, last))) = load(&table)? else { return Ok(out) };
    let (start, end) = (scope.window.start.max(first), scope.window.end.min(last));
    if start > end {
        return Ok(out);
    }
    let source = format!("{} {first}-{last}", embargoes::CITATION);
    let none = Vec::new();
    for benefactor in scope.benefactors {
        for recipient in scope.recipients {
            let on = spells.get(&recipient.iso3).unwrap_or(&none);
            let mut pair = PairValues { out: &mut out, benefactor: &benefactor.iso3, recipient: &recipient.iso3, source: &source };
            let (mut any_years, mut un_years) = (0, 0);
            for year in start..=end {
                let any = on.iter().any(|s| s.applies_in(year));
                let un = on.iter().any(|s| s.un && s.applies_in(year));
                any_years += usize::from(any);
                un_years += usize::from(un);
                pair.push(Instrument::E1, "arms_embargo_in_force", Period::Year(year), f64::from(u8::from(any)), FLAG);
                pair.push(Instrument::E1, "un_arms_embargo_in_force", Period::Year(year), f64::from(u8::from(un)), FLAG);
            }
            let window = Period::Window(start, end);
            pair.push(Instrument::E1, "years_under_embargo", window, any_years as f64, "years");
            pair.push(Instrument::E1, "years_under_un_embargo", window, un_years as f64, "years");
        }
    }
    Ok(out)
}
