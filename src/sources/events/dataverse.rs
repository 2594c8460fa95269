//! ICEWS Coded Event Data as the Harvard Dataverse publishes it (`events.2018.tab` and the like): one
//! event per line, tab-separated, a header line, `NA` for a missing value and nothing quoted (the layout
//! `readr::write_tsv` leaves, as in the excerpt `events.2018.sample.tab`). Dates `2018-06-01`; the CAMEO
//! code keeps its leading zero (`040`); sectors comma-joined (`Military,Government`); countries as ICEWS
//! names them (`Russian Federation`, `Occupied Palestinian Territory`), resolved through the country
//! table, where an unknown name is an error naming its line.

use jiff::civil::Date;

use super::actors::{split_sector, Actor, Directory, Role};
use super::collect::{Collector, Family, Record, Side};
use super::stream::{tab_header, tab_record, Lines, Location};
use crate::domain::{CountryTable, NameMatch};
use crate::error::{Problem, Result};

pub const LAYOUT: &str = "ICEWS Coded Event Data (Harvard Dataverse, tab-separated)";
pub const ID: &str = "Event ID";
pub const DATE: &str = "Event Date";
const SOURCE_NAME: &str = "Source Name";
const SOURCE_SECTORS: &str = "Source Sectors";
const SOURCE_COUNTRY: &str = "Source Country";
const TEXT: &str = "Event Text";
pub const CODE: &str = "CAMEO Code";
const TARGET_NAME: &str = "Target Name";
const TARGET_SECTORS: &str = "Target Sectors";
const TARGET_COUNTRY: &str = "Target Country";
const STORY: &str = "Story ID";
const PUBLISHER: &str = "Publisher";
/// The columns the header must have (the file has others: intensity, place, coordinates).
pub const COLUMNS: [&str; 12] = [ID, DATE, SOURCE_NAME, SOURCE_SECTORS, SOURCE_COUNTRY, TEXT, CODE, TARGET_NAME, TARGET_SECTORS, TARGET_COUNTRY, STORY, PUBLISHER];
const MISSING: &str = "NA";

/// The Dataverse files of one import, read as one source (`Collector::start_shared_source`): ICEWS
/// publishes a file per day (and, since 2020, per week) of ingestion, and a day's events arrive over
/// several of them, so no file owns a day.
pub struct Files {
    /// Each file of ingestion's name with the days it reports on.
    windows: Vec<(String, (Date, Date))>,
}

impl Files {
    /// The days each file of ingestion (`20181005-icews-events.tab`) reports on: from the day after the
    /// previous file's date (for the first, as far back as the gap to the next) to the day after its own,
    /// since ICEWS dates events in UTC and a file holds some of the next day's. Yearly files
    /// (`events.2018.tab`) have no window: each record's day is covered.
    pub fn new(names: &[String]) -> Files {
        let mut dated: Vec<(Date, &String)> = names.iter().filter_map(|name| Some((ingestion_date(name)?, name))).collect();
        dated.sort();
        dated.dedup_by_key(|(date, _)| *date);
        let mut windows = Vec::new();
        for (i, (date, name)) in dated.iter().enumerate() {
            let gap = |a: Date, b: Date| a.until(b).map_or(1, |span| span.get_days().max(1));
            let from = match i {
                0 => dated.get(1).map_or(1, |(next, _)| gap(*date, *next)),
                _ => gap(dated[i - 1].0, *date),
            };
            let first = date.saturating_sub(jiff::Span::new().days(from - 1));
            windows.push(((*name).clone(), (first, date.saturating_add(jiff::Span::new().days(1)))));
        }
        Files { windows }
    }

    /// The days a file of ingestion reports on, by its name; None for a yearly file.
    pub fn window(&self, name: &str) -> Option<(Date, Date)> {
        self.windows.iter().find(|(file, _)| file == name).map(|(_, window)| *window)
    }
}

/// The ingestion date a Dataverse file's name begins with (`20181005-icews-events.tab`).
fn ingestion_date(name: &str) -> Option<Date> {
    let base = name.rsplit([':', '/']).next().unwrap_or(name);
    let digits = base.get(..8).filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
    Date::strptime("%Y%m%d", digits).ok()
}

/// Reads one Dataverse file into the collector; the days it reports on (`Files::window`) are applied
/// when its part is merged.
pub fn read(location: &Location, directory: &Directory, countries: &CountryTable, collector: &mut Collector) -> Result<()> {
    let path = location.path();
    let mapping = collector.mapping;
    let source = collector.start_shared_source("ICEWS Dataverse files".to_string(), Family::Icews, true);
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
        let field = |column: usize| -> &str { if fields[column] == MISSING { "" } else { fields[column] } };
        let mut problem = |column: &str, message: String| problems.push(Problem { path: path.clone(), line: n, column: column.into(), message });
        let Ok(date) = field(1).parse::<Date>() else {
            problem(DATE, format!("expected a date like 2018-06-01, found `{}`", field(1)));
            continue;
        };
        let code = field(6);
        if !(2..=4).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
            problem(CODE, format!("expected a CAMEO code such as 040, found `{code}`"));
            continue;
        }
        let mut side = |name: usize, sectors: usize, country: usize, column: &str| -> Option<Actor> {
            let country = match field(country) {
                "" => None,
                text => match countries.resolve(text) {
                    Some(NameMatch::Country(c)) => Some(c.iso3.clone()),
                    Some(NameMatch::NonCountry(_)) => None,
                    None => {
                        problem(column, countries.unknown_in_data(text));
                        return None;
                    }
                },
            };
            Some(actor(directory, countries, field(name), field(sectors), country, date))
        };
        let (Some(source_actor), Some(target_actor)) = (side(2, 3, 4, SOURCE_COUNTRY), side(7, 8, 9, TARGET_COUNTRY)) else { continue };
        for (name, actor) in [(field(2), &source_actor), (field(7), &target_actor)] {
            if actor.country.is_none() {
                *collector.tally(input).unresolved.entry(name.to_string()).or_default() += 1;
            }
        }
        let rules: Vec<_> = mapping.cameo(code).into_iter().collect();
        let (source_key, target_key) = (format!("{}|{}", field(2), field(4)), format!("{}|{}", field(7), field(9)));
        let text = format!("{} ({}, story {})", field(5), field(11), field(10));
        let record = Record {
            line: n,
            id: field(0),
            date,
            code,
            known: mapping.knows(code),
            rules: &rules,
            source: Side { key: &source_key, name: field(2), actor: &source_actor },
            target: Side { key: &target_key, name: field(7), actor: &target_actor },
            text: &text,
            url: "",
        };
        collector.push(input, &record, true);
    }
    lines.close(problems, collector, input)
}

/// A Dataverse side: the name as ICEWS gives it (`Foreign Affairs (Bangladesh)`, a country, a person),
/// its sectors, and the country column, which places it. A person is resolved by the office holders
/// first and by the sectors ICEWS gives (`Government,Military`) otherwise.
fn actor(directory: &Directory, countries: &CountryTable, name: &str, sectors: &str, country: Option<String>, day: Date) -> Actor {
    if let Some((sector, _)) = split_sector(name) {
        return Actor { role: directory.sector(sector), country };
    }
    if let Some(NameMatch::Country(c)) = countries.resolve(name) {
        return Actor { country: Some(c.iso3.clone()), role: Role::STATE };
    }
    if let Some(person) = directory.person(name, day).filter(|p| country.is_none() || p.country == country) {
        return person;
    }
    let role = sectors.split(',').map(|s| directory.sector(s)).fold(Role::NON_STATE, Role::union);
    Actor { country, role }
}
