//! The reader: raw files → `datasets/`, through the import contract (`crate::ingest`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::artefact::csv_bytes;
use crate::domain::{normalise_name, CountryTable, NameMatch};
use crate::error::Result;
use crate::indicators::round6;
use crate::ingest::one_file::{About, CsvFile, Outcome, Row, Text};
use crate::ingest::provenance::Provenance;
use crate::ingest::table::{self, Column, Kind, TableSpec};

/// No flow of students from one country to another nears ten million.
const MAX_STUDENTS: f64 = 10_000_000.0;

pub const SPEC: TableSpec = TableSpec {
    file: "student_flows.csv",
    command: "mdime import student-flows",
    columns: &[
        Column::text("benefactor"),
        Column::text("benefactor_iso3"),
        Column::text("country"),
        Column::text("iso3"),
        Column::new("year", Kind::YEAR),
        Column::text("status"),
        Column::optional_amount("students", MAX_STUDENTS),
        Column::optional_amount("at_most", MAX_STUDENTS),
        Column::new("rank", Kind::Integer { min: 1, max: 300, optional: true }),
        Column::text("flags"),
    ],
};
/// The derived table's file name inside the datasets folder.
pub const TABLE: &str = SPEC.file;
pub const DEFAULT_FILE: &str = "../shared/data/education/uis-popular-destinations-by-origin-1998-2021.csv";
/// How indicators name the source, followed by its years.
pub const SOURCE_LABEL: &str = "UNESCO UIS student flows, top ten destinations per origin";
pub const CITATION: &str = "UNESCO Institute for Statistics, outbound internationally mobile tertiary students by host country, \
    the ten most popular destinations per country of origin, as tidied by 360-info/report-global-education \
    (`data/popular-destinations-by-origin.csv`, CC BY 4.0)";

const YEAR: &str = "year";
const ORIGIN: &str = "origin_country_name";
const DESTINATION: &str = "dest_country_lumped";
const VALUE: &str = "value_lumped";
const FLAGS: &str = "cond_all";
const REQUIRED: [&str; 5] = [YEAR, ORIGIN, DESTINATION, VALUE, FLAGS];
/// The destination under which a list lumps every country outside its top ten.
pub const LUMPED: &str = "Other countries";
/// UIS's four qualifiers, in the order `cond_all` writes them: the figure includes another category,
/// is included in another, is a national estimate, is a UIS estimate.
const QUALIFIERS: [char; 4] = ['a', 'b', 'c', 'd'];
/// The fewest countries of origin whose lists name a benefactor in a year for its absence from the other
/// lists to bound its students: fewer, and it reported its foreign students from a few countries only.
/// In the file Russia is named by 13 or 14 origins in 2000-2007 and 2012 (its former Soviet neighbours
/// alone, where China's, India's and Viet Nam's lists name it with thousands in 2008) and by 34 to 85 in
/// its other years; the United States by 1 to 3 lists of former or unknown origins in 2000-2012 and by
/// about 200 in the years it reported; the other benefactors by 27 or more.
pub const MIN_ORIGINS: usize = 20;
/// The qualifier of a figure counted in another one: it has no figure of its own.
const INCLUDED_ELSEWHERE: char = 'b';

/// What a list of destinations says of a benefactor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Among the destinations the origin's list names: `students` is its figure.
    Listed,
    /// Not named, in a year the benefactor reported as a destination: fewer than `at_most` students
    /// (the smallest figure the list names where it lumps the rest as `Other countries`; 0 where it
    /// lumps nothing, so names every destination with students).
    BelowTopTen,
    /// Named with the qualifier `b`: its students are counted in another figure, none of its own.
    IncludedElsewhere,
}

impl Status {
    /// The status as the table writes it.
    pub fn code(self) -> &'static str {
        match self {
            Status::Listed => "listed",
            Status::BelowTopTen => "below_top_ten",
            Status::IncludedElsewhere => "included_elsewhere",
        }
    }
}

/// One row of `datasets/student_flows.csv`: what one origin's list of destinations says, in one year,
/// of one benefactor as a destination.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StudentFlow {
    pub benefactor: String,
    pub benefactor_iso3: String,
    /// The country of origin: the recipient.
    pub country: String,
    pub iso3: String,
    pub year: i32,
    pub status: Status,
    /// Tertiary students from the country enrolled in the benefactor that year (UIS counts and
    /// estimates; some are fractional where the compiler averaged), when listed.
    pub students: Option<f64>,
    /// When not listed, the most the benefactor can have had.
    pub at_most: Option<f64>,
    /// The benefactor's place in the list (ties share a place), when listed.
    pub rank: Option<u32>,
    /// UIS's qualifiers of the figure, as letters (`c` a national estimate, `d` a UIS estimate, `a`
    /// the figure includes another category); empty for none.
    pub flags: String,
}

#[derive(Debug)]
pub struct ImportReport {
    pub table: PathBuf,
    pub provenance: Provenance,
    pub rows: Vec<StudentFlow>,
}

/// A named destination in one origin's list: its ISO-3 code (or its name, if it is no country), its
/// figure and qualifiers.
struct Destination {
    code: String,
    students: f64,
    flags: String,
}

/// One origin's list of destinations in one year.
#[derive(Default)]
struct List {
    named: Vec<Destination>,
    lumped: bool,
}

/// Reads the file of top-ten destinations and writes, for every benefactor `datasets/benefactors.csv`
/// carries and every year it appears as a destination, one row per country of origin saying whether
/// its list names the benefactor, and with how many students, or bounds them.
///
/// Errors: the file is missing, unreadable or in another layout; a year, figure or qualifier is not
/// one (each reported with its line and column); a name is no known country (with the line to add to
/// `datasets/local_names.csv`); a destination is listed twice for one origin and year. Nothing is
/// written then.
pub fn import(path: &Path, datasets: &Path) -> Result<ImportReport> {
    let countries = CountryTable::builtin();
    let benefactors = crate::ingest::benefactors::carried(datasets)?;
    let file = CsvFile::read(path, Text::Utf8, &REQUIRED, "UNESCO UIS popular destinations by origin: year,origin_country_name,dest_country_lumped,value_lumped,cond_all")?;
    let mut problems = Vec::new();
    let mut outcome = Outcome::default();
    // Per year and country of origin, its lists under each name the file gives it.
    let mut lists: BTreeMap<(i32, String), BTreeMap<String, List>> = BTreeMap::new();
    // Where each destination was first read for an origin and year, to name a second listing.
    let mut seen: BTreeMap<(i32, String, String), usize> = BTreeMap::new();
    for index in 0..file.records.len() {
        let mut row = file.row(index, &mut problems);
        let year = row.integer(YEAR, 1990..=2100, "a year").map(|y| y as i32);
        let students = row.optional_number(VALUE, 0.0..=MAX_STUDENTS, "a number of students");
        if row.is_missing(VALUE) {
            row.problem(VALUE, "empty: every destination a list names, and its `Other countries`, has a figure");
        }
        let flags = qualifiers(&mut row);
        let origin = match countries.resolve(row.text(ORIGIN)) {
            Some(NameMatch::Country(country)) => Some(country),
            Some(NameMatch::NonCountry(kind)) => {
                outcome.exclude(format!("an origin that is no country ({kind}: `{}`)", row.text(ORIGIN)));
                continue;
            }
            None => {
                let message = countries.unknown_in_data(row.text(ORIGIN));
                row.problem(ORIGIN, message);
                None
            }
        };
        let destination = destination(&mut row, countries);
        let (Some(year), Some(students), Some(flags), Some(origin), Some(destination)) = (year, students, flags, origin, destination) else { continue };
        let written = row.text(ORIGIN).to_string();
        if let Some(first) = seen.insert((year, written.clone(), destination.clone().unwrap_or_default()), row.line) {
            row.problem(DESTINATION, format!("`{}` listed a second time for {written} in {year} (first on line {first})", row.text(DESTINATION)));
            continue;
        }
        let list = lists.entry((year, origin.iso3.clone())).or_default().entry(written).or_default();
        match destination {
            Some(code) => list.named.push(Destination { code, students, flags }),
            None => list.lumped = true,
        }
    }
    file.check(problems)?;
    let lists = one_list_per_origin(lists, countries, &mut outcome);
    let mut named_by: BTreeMap<(String, i32), usize> = BTreeMap::new();
    for ((year, _), list) in &lists {
        for destination in list.named.iter().filter(|d| benefactors.contains(&d.code)) {
            *named_by.entry((destination.code.clone(), *year)).or_default() += 1;
        }
    }
    let reported: BTreeSet<(String, i32)> = named_by.into_iter().filter(|(_, n)| *n >= MIN_ORIGINS).map(|(key, _)| key).collect();
    let mut rows = Vec::new();
    for ((year, origin), list) in &lists {
        let figures = list.named.iter().filter(|d| !d.flags.contains(INCLUDED_ELSEWHERE));
        let Some(smallest) = figures.map(|d| d.students).min_by(f64::total_cmp) else { continue };
        let bound = if list.lumped { smallest } else { 0.0 };
        for benefactor in benefactors.iter().filter(|b| *b != origin) {
            let named = list.named.iter().find(|d| &d.code == benefactor);
            let (status, students, at_most, rank) = match named {
                Some(d) if d.flags.contains(INCLUDED_ELSEWHERE) => (Status::IncludedElsewhere, None, None, None),
                Some(d) => (Status::Listed, Some(round6(d.students)), None, Some(1 + list.named.iter().filter(|o| o.students > d.students).count() as u32)),
                None if reported.contains(&(benefactor.clone(), *year)) => (Status::BelowTopTen, None, Some(round6(bound)), None),
                None => continue,
            };
            rows.push(StudentFlow {
                benefactor: countries.name_of(benefactor).to_string(),
                benefactor_iso3: benefactor.clone(),
                country: countries.name_of(origin).to_string(),
                iso3: origin.clone(),
                year: *year,
                status,
                students,
                at_most,
                rank,
                flags: named.map(|d| d.flags.clone()).unwrap_or_default(),
            });
        }
    }
    rows.sort_by(|a, b| (&a.benefactor_iso3, &a.iso3, a.year).cmp(&(&b.benefactor_iso3, &b.iso3, b.year)));
    let years: Vec<String> = benefactors
        .iter()
        .filter_map(|b| {
            let years: Vec<i32> = reported.iter().filter(|(code, _)| code == b).map(|(_, y)| *y).collect();
            Some(format!("{b} {}", year_list(&years)?))
        })
        .collect();
    let all_years: Vec<i32> = lists.keys().map(|(y, _)| *y).collect();
    outcome.data_generated = format!("not stated in the file; years {}", year_list(&all_years).unwrap_or_default());
    outcome.method = format!(
        "one row per benefactor × country of origin × year: `listed` where the origin's list names the benefactor (its figure and \
         place), `included_elsewhere` for a figure qualified `b`, and in the years the lists of at least {MIN_ORIGINS} countries name the \
         benefactor ({}) `below_top_ten` where the list does not (at most the smallest figure it names when it lumps the rest as \
         `{LUMPED}`, 0 when it lumps nothing); qualifiers kept as letters in `flags`; origins that are no country set aside",
        years.join("; ")
    );
    outcome.rows_written = rows.len();
    let about = About { table: TABLE, source: "UNESCO UIS student flows: the ten most popular destinations per country of origin", citation: CITATION };
    let mut provenance = file.provenance(about, outcome);
    let table = table::write_table(datasets, &SPEC, &csv_bytes(&rows)?, &mut provenance, path)?;
    Ok(ImportReport { table, provenance, rows })
}

/// One list per country of origin and year. The file gives a few countries under two names in some years
/// (`Sudan` and `Sudan (pre-secession)` in 2010-2012): the list under the country's own name is kept,
/// or the first by name, and the other set aside and counted.
fn one_list_per_origin(lists: BTreeMap<(i32, String), BTreeMap<String, List>>, countries: &CountryTable, outcome: &mut Outcome) -> BTreeMap<(i32, String), List> {
    let mut kept = BTreeMap::new();
    for ((year, origin), mut by_name) in lists {
        let own = normalise_name(countries.name_of(&origin));
        let Some(name) = by_name.keys().find(|n| normalise_name(n) == own).or(by_name.keys().next()).cloned() else { continue };
        for (other, list) in by_name.iter().filter(|(n, _)| **n != name) {
            let rows = list.named.len() + usize::from(list.lumped);
            *outcome.excluded.entry(format!("a second list for a country of origin in one year (`{other}` beside `{name}`)")).or_default() += rows;
        }
        if let Some(list) = by_name.remove(&name) {
            kept.insert((year, origin), list);
        }
    }
    kept
}

/// Years as ranges: `2000-2009, 2011-2012, 2014-2019`; None for no years.
fn year_list(years: &[i32]) -> Option<String> {
    let mut years = years.to_vec();
    years.sort_unstable();
    years.dedup();
    let mut runs: Vec<(i32, i32)> = Vec::new();
    for year in years {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == year => *last = year,
            _ => runs.push((year, year)),
        }
    }
    (!runs.is_empty()).then(|| runs.iter().map(|(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }).collect::<Vec<_>>().join(", "))
}

/// The qualifiers of `cond_all` as letters: four space-separated places, each its letter or `-`.
fn qualifiers(row: &mut Row) -> Option<String> {
    let text = row.text(FLAGS);
    let places: Vec<&str> = text.split_whitespace().collect();
    let valid = places.len() == QUALIFIERS.len() && places.iter().zip(QUALIFIERS).all(|(p, q)| *p == "-" || *p == q.to_string());
    if !valid {
        row.problem(FLAGS, format!("expected four places `a b c d`, each its letter or `-` (as `- - c -`), found `{text}`"));
        return None;
    }
    Some(places.iter().filter(|p| **p != "-").copied().collect())
}

/// A named destination's ISO-3 code (or its name, when it is no country, such as a region); None
/// inside for the lumped `Other countries`; None (with a problem) for an unknown name.
fn destination(row: &mut Row, countries: &CountryTable) -> Option<Option<String>> {
    let name = row.text(DESTINATION);
    if name == LUMPED {
        return Some(None);
    }
    match countries.resolve(name) {
        Some(NameMatch::Country(country)) => Some(Some(country.iso3.clone())),
        Some(NameMatch::NonCountry(_)) => Some(Some(name.to_string())),
        None => {
            row.problem(DESTINATION, countries.unknown_in_data(name));
            None
        }
    }
}

/// The derived table and its provenance, or None when it has not been imported.
pub fn find_table(datasets: &Path) -> Result<Option<(PathBuf, Provenance)>> {
    table::find_table(datasets, &SPEC)
}
