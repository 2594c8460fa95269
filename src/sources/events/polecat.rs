//! POLECAT, the successor of ICEWS coded in PLOVER: one event per line, tab-separated with a header
//! (`Event ID`, `Event Date`, `Event Type`, `Event Mode`, `Contexts`, `Actor Name`, `Actor Country`,
//! `Actor Sectors`, `Recipient Name`, `Recipient Country`, `Recipient Sectors` …, as the weekly files on
//! the Harvard Dataverse have them). The act is a PLOVER type with a mode and contexts (`CONSULT`,
//! `visit`, `military`), matched to `datasets/cameo_instruments.csv`'s PLOVER rows; countries are ISO-3
//! codes; sectors are CAMEO-style agent codes (`GOV`, `MIL`), read as GDELT's types are. Checked on a
//! fixture written from that layout: no POLECAT file is in the shared data.

use jiff::civil::Date;

use super::actors::{Actor, Directory, Role};
use super::collect::{Collector, Family, Record, Side};
use super::gdelt::{DEFENCE_TYPES, STATE_TYPES};
use super::stream::{tab_header, tab_record, Lines, Location};
use crate::domain::{CountryTable, NameMatch};
use crate::error::{Problem, Result};

pub const LAYOUT: &str = "POLECAT (PLOVER-coded events, tab-separated)";
pub const ID: &str = "Event ID";
const DATE: &str = "Event Date";
pub const TYPE: &str = "Event Type";
const MODE: &str = "Event Mode";
const CONTEXTS: &str = "Contexts";
const ACTOR: &str = "Actor Name";
const ACTOR_COUNTRY: &str = "Actor Country";
const ACTOR_SECTORS: &str = "Actor Sectors";
const RECIPIENT: &str = "Recipient Name";
const RECIPIENT_COUNTRY: &str = "Recipient Country";
const RECIPIENT_SECTORS: &str = "Recipient Sectors";
const STORY_SOURCE: &str = "Source";
pub const COLUMNS: [&str; 12] = [ID, DATE, TYPE, MODE, CONTEXTS, ACTOR, ACTOR_COUNTRY, ACTOR_SECTORS, RECIPIENT, RECIPIENT_COUNTRY, RECIPIENT_SECTORS, STORY_SOURCE];
/// Cells the weekly files use for no value.
const MISSING: [&str; 3] = ["", "None", "NA"];

pub fn read(location: &Location, directory: &Directory, countries: &CountryTable, collector: &mut Collector) -> Result<()> {
    let path = location.path();
    let mapping = collector.mapping;
    let source = collector.start_source(format!("POLECAT ({})", location.file_name()), Family::Polecat, true);
    let input = collector.start(source, location.file_name(), String::new(), LAYOUT.to_string());
    let mut lines = Lines::new(location.open()?, path.clone());
    let (width, at) = tab_header(&mut lines, &COLUMNS)?;
    let mut problems = Vec::new();
    loop {
        let n = lines.number + 1;
        let Some(line) = lines.next_line()? else { break };
        if line.trim().is_empty() {
            continue;
        }
        let Some(fields) = tab_record(line, (width, &at), &path, n, &mut problems) else { continue };
        let field = |column: usize| -> &str { if MISSING.contains(&fields[column]) { "" } else { fields[column] } };
        let mut problem = |column: &str, message: String| problems.push(Problem { path: path.clone(), line: n, column: column.into(), message });
        let Ok(date) = field(1).parse::<Date>() else {
            problem(DATE, format!("expected a date like 2023-01-05, found `{}`", field(1)));
            continue;
        };
        let mut side = |name: usize, country: usize, sectors: usize, column: &str| -> Option<Actor> {
            let iso3 = match field(country) {
                "" => None,
                code => match countries.resolve(code) {
                    Some(NameMatch::Country(c)) => Some(c.iso3.clone()),
                    Some(NameMatch::NonCountry(_)) => None,
                    None => {
                        problem(column, countries.unknown_in_data(code));
                        return None;
                    }
                },
            };
            let codes: Vec<&str> = field(sectors).split([',', ';', '|']).map(str::trim).filter(|s| !s.is_empty()).collect();
            let state = iso3.is_some() && codes.iter().all(|c| STATE_TYPES.iter().any(|t| t.eq_ignore_ascii_case(c)));
            let defence = codes.iter().any(|c| DEFENCE_TYPES.iter().any(|t| t.eq_ignore_ascii_case(c)));
            let person = directory.person(field(name), date).filter(|p| p.country == iso3).map_or(Role::NON_STATE, |p| p.role);
            Some(Actor { country: iso3, role: Role { state, defence, senior: false }.union(Role { state: false, ..person }) })
        };
        let (Some(source_actor), Some(target_actor)) = (side(5, 6, 7, ACTOR_COUNTRY), side(8, 9, 10, RECIPIENT_COUNTRY)) else { continue };
        let contexts: Vec<&str> = field(4).split([',', ';', '|']).map(str::trim).filter(|c| !c.is_empty()).collect();
        let rules = mapping.plover(field(2), field(3), &contexts);
        let code = if field(3).is_empty() { field(2).to_string() } else { format!("{}/{}", field(2), field(3)) };
        let act = format!("{} {} {}", field(2), field(3), field(4)).split_whitespace().collect::<Vec<_>>().join(" ");
        let text = if field(11).is_empty() { act } else { format!("{act} ({})", field(11)) };
        let (k1, k2) = (format!("{}|{}", field(5), field(6)), format!("{}|{}", field(8), field(9)));
        let record = Record {
            line: n,
            id: field(0),
            date,
            code: &code,
            known: !field(2).is_empty(),
            rules: &rules,
            source: Side { key: &k1, name: field(5), actor: &source_actor },
            target: Side { key: &k2, name: field(8), actor: &target_actor },
            text: &text,
            url: "",
        };
        collector.push(input, &record, true);
    }
    lines.close(problems, collector, input)
}
