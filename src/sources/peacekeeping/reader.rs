//! The reader: raw files → `datasets/`, through the import contract (`crate::ingest`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::ingest::provenance::{percent_of, today, Comparison, Counts, Exclusion, Input, Precedence, Provenance};
use super::ipi::{self, IpiFile, Monthly};
use crate::artefact::csv_bytes;
use crate::ingest::one_file::{CsvFile, CsvLayout, Text};
use crate::ingest::table::{self, Column, Kind, TableSpec};
use crate::domain::{CountryTable, Mission, MissionTable, NameMatch};
use crate::error::{Error, Problem, Result};

/// The derived table's file name inside the datasets folder.
/// Uniformed personnel: the largest mission ever fielded had about 30,000.
const PERSONNEL: Kind = Kind::Integer { min: 0, max: 1_000_000, optional: true };

pub const SPEC: TableSpec = TableSpec {
    file: "peacekeeping.csv",
    command: "mdime import peacekeeping",
    columns: &[
        Column::text("contributor"),
        Column::text("contributor_iso3"),
        Column::text("mission"),
        Column::text("host_iso3"),
        Column::new("year", Kind::YEAR),
        Column::new("personnel", PERSONNEL),
        Column::new("mission_personnel", PERSONNEL),
        Column::text("source"),
        Column::new("under_counted", Kind::Flag),
    ],
};
/// The derived table's file name inside the datasets folder.
pub const TABLE: &str = SPEC.file;
/// The raw files read when none are named, relative to the repository.
pub const DEFAULT_FILES: [&str; 5] = [
    "../shared/data/peacekeeping/un-country-mission-year-2010-2021.csv",
    "../shared/data/peacekeeping/geo-pko-v2.3-tcc-map.csv",
    "../shared/data/peacekeeping/ipi/China.csv",
    "../shared/data/peacekeeping/ipi/Russian Federation.csv",
    "../shared/data/peacekeeping/ipi/data_mission.csv",
];
pub const CITATION: &str = "UN Peacekeeping contributions (via corinnee/UN_Peacekeeping_Analytics); Geo-PKO v2.3 (Uppsala University)";
/// A UN year whose uniformed total is below this fraction of the median year's is under-counted.
pub const UNDER_COUNTED_BELOW: f64 = 0.75;
pub const PRECEDENCE: &str = "per mission × year: the one source that has it; where both do, the UN figures, \
     except in a year whose UN total is under-counted (below 75% of the median year's), where the source with \
     the larger mission total is used";

/// Which of the two sources a row comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SourceKind {
    #[serde(rename = "un")]
    Un,
    #[serde(rename = "geo-pko")]
    GeoPko,
}

impl SourceKind {
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Un => "un",
            SourceKind::GeoPko => "geo-pko",
        }
    }

    fn layout(self) -> &'static CsvLayout {
        match self {
            SourceKind::Un => &UN,
            SourceKind::GeoPko => &GEO_PKO,
        }
    }
}

/// Year and mission first, then the contributor column and the personnel column.
const UN: CsvLayout = CsvLayout::plain("UN uniformed personnel by contributing country × mission × year", Text::Latin1OrUtf8, &["Year", "Mission", "Country", "Total"]);
const GEO_PKO: CsvLayout = CsvLayout::plain(
    "Geo-PKO v2.3: contributors and approximate unit sizes by mission × year × location",
    Text::Latin1OrUtf8,
    &["year", "mission", "location", "year.overview"],
);

/// One row of `datasets/peacekeeping.csv`: a contributor's uniformed personnel in one mission in one year.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Deployment {
    /// The country's name in mdime's table, or the source's name for a non-country (`Multinational`).
    pub contributor: String,
    /// Empty for contributors that are not countries.
    pub contributor_iso3: String,
    pub mission: String,
    /// The country the mission is deployed in (datasets/un_missions.csv).
    pub host_iso3: String,
    pub year: i32,
    /// Personnel (yearly average for the UN; summed unit sizes for Geo-PKO); empty when Geo-PKO gives
    /// the contributor as present with its size unknown.
    pub personnel: Option<u32>,
    /// The mission's uniformed personnel that year, in the same source.
    pub mission_personnel: Option<u32>,
    pub source: SourceKind,
    /// A UN figure from a year averaged over missing months: a floor, not an estimate.
    pub under_counted: bool,
}

/// What `import` did, for the terminal summary and the tests.
#[derive(Debug)]
pub struct ImportReport {
    pub table: PathBuf,
    pub provenance: Provenance,
    pub rows: Vec<Deployment>,
}

/// A contributor in a mission in a year, as one source gives it (summed over locations for Geo-PKO).
#[derive(Debug, Clone)]
struct Entry {
    contributor: String,
    contributor_iso3: String,
    personnel: Option<u32>,
}

type Cell = (String, i32);

/// One file read: its entries by mission × year, and what was set aside.
struct ReadFile {
    kind: SourceKind,
    input: Input,
    cells: BTreeMap<Cell, BTreeMap<String, Entry>>,
    set_aside: BTreeMap<String, usize>,
}

impl ReadFile {
    fn set_aside(&mut self, reason: impl Into<String>, entries: usize) {
        *self.set_aside.entry(reason.into()).or_default() += entries;
    }

    fn entries_in(&self, cell: &Cell) -> usize {
        self.cells.get(cell).map_or(0, BTreeMap::len)
    }
}

/// Reads the raw files (at most one of each source, recognised by header) and writes `peacekeeping.csv`
/// and its provenance into `datasets`. Nothing is written if any row of any file is defective.
pub fn import(files: &[PathBuf], datasets: &Path) -> Result<ImportReport> {
    let countries = CountryTable::builtin();
    let missions = MissionTable::builtin();
    let mut un = None;
    let mut geo = None;
    let mut checks = Vec::new();
    for path in files {
        let file = CsvFile::detect(path, &[UN, GEO_PKO, ipi::CONTRIBUTOR, ipi::MISSIONS])?;
        if [ipi::CONTRIBUTOR.name, ipi::MISSIONS.name].contains(&file.layout.name) {
            checks.push(ipi::read(&file, countries)?);
            continue;
        }
        let read = read_file(&file, countries, missions)?;
        let slot = match read.kind {
            SourceKind::Un => &mut un,
            SourceKind::GeoPko => &mut geo,
        };
        if slot.is_some() {
            return Err(Error::option("FILE", format!("{} is a second {} file; give at most one of each source", path.display(), read.kind.label())));
        }
        *slot = Some(read);
    }
    if un.is_none() && geo.is_none() {
        return Err(Error::option("FILE", "no file given"));
    }

    let under_counted = un.as_ref().map(under_counted_years).unwrap_or_default();
    let (rows, mut comparisons) = combine(un.as_mut(), geo.as_mut(), &under_counted, missions);
    let first_un_year = un.as_ref().and_then(|r| r.cells.keys().map(|(_, y)| *y).min());
    for check in &checks {
        comparisons.extend(compare_with_ipi(check, &rows, first_un_year, countries));
    }

    let inputs: Vec<Input> = [un, geo]
        .into_iter()
        .flatten()
        .map(|mut read| {
            read.input.set_aside = read.set_aside.into_iter().map(|(reason, rows)| Exclusion { reason, rows }).collect();
            read.input.entries_kept = read.input.entries_read - read.input.set_aside.iter().map(|s| s.rows).sum::<usize>();
            read.input
        })
        .chain(checks.iter().map(|c| Input {
            encoding: c.encoding.clone(),
            lines: c.lines,
            records_read: c.records_read,
            ..Input::file(c.file_name(), c.sha256.clone(), c.role())
        }))
        .collect();
    let under_counted_text = under_counted.iter().map(i32::to_string).collect::<Vec<_>>().join(", ");
    let mut provenance = Provenance {
        table: TABLE.into(),
        source: "UN peacekeeping contributions and Geo-PKO deployments".into(),
        citation: format!(
            "{CITATION}. UN figures: United Nations Department of Peace Operations, contributions by country and mission; \
             Geo-PKO: Cil, Fjelde, Hultman & Nilsson, Journal of Peace Research 57(2), 2020"
        ),
        source_file: String::new(),
        sha256: String::new(),
        encoding: String::new(),
        data_generated: String::new(),
        imported_on: today(),
        mdime_version: env!("CARGO_PKG_VERSION").into(),
        method: format!(
            "{PRECEDENCE}. UN years found under-counted: {}. Mission hosts from datasets/un_missions.csv.",
            if under_counted_text.is_empty() { "none".into() } else { under_counted_text }
        ),
        layout: String::new(),
        normalised: Vec::new(),
        table_sha256: String::new(),
        counts: Counts {
            lines: inputs.iter().map(|i| i.lines).sum(),
            records_read: inputs.iter().map(|i| i.records_read).sum(),
            records_rejected: 0,
            rows_written: rows.len(),
            ..Counts::default()
        },
        rejected: Vec::new(),
        excluded: Vec::new(),
        inputs,
        comparisons,
    };

    let table = table::write_table(datasets, &SPEC, &csv_bytes(&rows)?, &mut provenance, files.first().map_or(datasets, |f| f.as_path()))?;
    Ok(ImportReport { table, provenance, rows })
}

/// Loads the derived table's path and provenance, or `None` when it has not been imported: M2 is then
/// not assessed rather than an error.
pub fn find_table(datasets: &Path) -> Result<Option<(PathBuf, Provenance)>> {
    table::find_table(datasets, &SPEC)
}

fn read_file(file: &CsvFile, countries: &CountryTable, missions: &MissionTable) -> Result<ReadFile> {
    let path = file.raw.path.as_path();
    let kind = if file.layout.name == UN.name { SourceKind::Un } else { SourceKind::GeoPko };
    let columns = kind.layout().required;
    let mut read = ReadFile {
        kind,
        input: Input {
            role: kind.layout().name.into(),
            file: file.raw.file_name(),
            sha256: file.raw.sha256.clone(),
            encoding: file.raw.encoding.clone(),
            lines: file.raw.lines,
            records_read: file.records.len(),
            entries_read: 0,
            entries_kept: 0,
            set_aside: Vec::new(),
            unresolved: Vec::new(),
        },
        cells: BTreeMap::new(),
        set_aside: BTreeMap::new(),
    };
    let mut problems = Vec::new();
    for index in 0..file.records.len() {
        let line = file.records[index].0;
        let row = file.row(index, &mut problems);
        let field = |i: usize| row.text(columns[i]);
        let (year, mission, overview) = (field(0), field(1), (field(2), field(3)));
        let mut row = RowReader { path, line, problems: row.into_problems(), countries, missions };
        let year = row.year(columns[0], year);
        let mission = row.mission(columns[1], mission);
        let entries = match kind {
            SourceKind::Un => row.un_entry(overview.0, overview.1).into_iter().collect::<Vec<_>>(),
            SourceKind::GeoPko => row.geo_entries(overview.1),
        };
        read.input.entries_read += entries.len();
        let (Some(mission), Some(year)) = (mission, year) else { continue };
        for entry in entries {
            if entry.personnel == Some(0) && kind == SourceKind::Un {
                read.set_aside("no personnel that year (0)", 1);
                continue;
            }
            let cell = read.cells.entry((mission.code.clone(), year)).or_default();
            let key = if entry.contributor_iso3.is_empty() { entry.contributor.clone() } else { entry.contributor_iso3.clone() };
            match cell.get_mut(&key) {
                // Geo-PKO lists a contributor once per location: its unit sizes add up.
                Some(existing) if kind == SourceKind::GeoPko => {
                    existing.personnel = match (existing.personnel, entry.personnel) {
                        (Some(a), Some(b)) => Some(a + b),
                        (a, b) => a.or(b),
                    };
                }
                Some(_) => problems.push(Problem {
                    path: path.to_path_buf(),
                    line,
                    column: columns[2].into(),
                    message: format!("{} in {} in {year} is listed twice", entry.contributor, mission.code),
                }),
                None => {
                    cell.insert(key, entry);
                }
            }
        }
    }
    file.check(problems)?;
    Ok(read)
}

/// Reads the fields of one record, collecting each defect with its line and column.
struct RowReader<'p, 't> {
    path: &'t Path,
    line: usize,
    problems: &'p mut Vec<Problem>,
    countries: &'t CountryTable,
    missions: &'t MissionTable,
}

impl<'t> RowReader<'_, 't> {
    fn problem(&mut self, column: &str, message: String) {
        self.problems.push(Problem { path: self.path.to_path_buf(), line: self.line, column: column.into(), message });
    }

    fn mission(&mut self, column: &str, value: &str) -> Option<&'t Mission> {
        match self.missions.get(value) {
            Some(mission) => Some(mission),
            None => {
                self.problem(column, format!("unknown mission `{value}` (add it with its host country to datasets/un_missions.csv)"));
                None
            }
        }
    }

    fn year(&mut self, column: &str, value: &str) -> Option<i32> {
        match value.parse::<i32>() {
            Ok(year) if (1945..=2100).contains(&year) => Some(year),
            _ => {
                self.problem(column, format!("expected a year, found `{value}`"));
                None
            }
        }
    }

    /// A contributor as a country (its name in mdime's table) or a non-country (the source's name).
    fn contributor(&mut self, column: &str, name: &str) -> Option<(String, String)> {
        match self.countries.resolve(name) {
            Some(NameMatch::Country(c)) => Some((c.name.clone(), c.iso3.clone())),
            Some(NameMatch::NonCountry(_)) => Some((name.to_string(), String::new())),
            None => {
                let message = self.countries.unknown_in_data(name);
                self.problem(column, message);
                None
            }
        }
    }

    fn un_entry(&mut self, country: &str, total: &str) -> Option<Entry> {
        let contributor = self.contributor("Country", country);
        let personnel = match total.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.problem("Total", format!("expected a whole number of personnel, found `{total}`"));
                None
            }
        };
        let (contributor, contributor_iso3) = contributor?;
        Some(Entry { contributor, contributor_iso3, personnel: Some(personnel?) })
    }

    /// `China (450), Niger (300), Korea (ROK) (size unknown)`: the last parenthesis holds the size.
    fn geo_entries(&mut self, overview: &str) -> Vec<Entry> {
        const COLUMN: &str = "year.overview";
        let mut entries = Vec::new();
        for item in overview.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let parsed = item.strip_suffix(')').and_then(|rest| rest.rsplit_once('(')).map(|(name, size)| (name.trim(), size.trim()));
            let Some((name, size)) = parsed.filter(|(name, _)| !name.is_empty()) else {
                self.problem(COLUMN, format!("expected `Country (size)` entries separated by commas, found `{item}`"));
                continue;
            };
            let personnel = if size.eq_ignore_ascii_case("size unknown") {
                None
            } else if let Ok(n) = size.parse::<u32>() {
                Some(n)
            } else {
                self.problem(COLUMN, format!("expected a unit size or `size unknown` for {name}, found `{size}`"));
                continue;
            };
            if let Some((contributor, contributor_iso3)) = self.contributor(COLUMN, name) {
                entries.push(Entry { contributor, contributor_iso3, personnel });
            }
        }
        entries
    }
}

/// The table's yearly figures against IPI's, over the full years both have (twelve months in IPI),
/// apart for the years before the UN file starts (Geo-PKO's unit sizes) and after.
fn compare_with_ipi(check: &IpiFile, rows: &[Deployment], first_un_year: Option<i32>, countries: &CountryTable) -> Vec<Comparison> {
    let full_years = |months: usize| months == 12;
    let (what, pairs): (String, Vec<(i32, f64, f64)>) = match &check.monthly {
        Monthly::Contributor { iso3, yearly } => {
            let mut table: BTreeMap<i32, f64> = BTreeMap::new();
            for row in rows.iter().filter(|r| r.contributor_iso3 == *iso3) {
                *table.entry(row.year).or_default() += f64::from(row.personnel.unwrap_or(0));
            }
            // A year the table covers without the contributor counts as none deployed.
            let first_year = rows.iter().map(|r| r.year).min().unwrap_or(i32::MAX);
            let pairs = yearly
                .iter()
                .filter(|(year, (_, months))| full_years(*months) && **year >= first_year)
                .map(|(year, (ipi, _))| (*year, *ipi, table.get(year).copied().unwrap_or(0.0)))
                .collect();
            (format!("{}'s personnel in all missions per year", countries.name_of(iso3)), pairs)
        }
        Monthly::Missions { yearly } => {
            let mut table: BTreeMap<(&str, i32), f64> = BTreeMap::new();
            for row in rows {
                if let Some(total) = row.mission_personnel {
                    table.insert((&row.mission, row.year), f64::from(total));
                }
            }
            let pairs = yearly
                .iter()
                .filter(|(_, (_, months))| full_years(*months))
                .filter_map(|((mission, year), (ipi, _))| Some((*year, *ipi, *table.get(&(mission.as_str(), *year))?)))
                .collect();
            ("uniformed personnel per mission and year".to_string(), pairs)
        }
    };
    let split = first_un_year.unwrap_or(i32::MAX);
    let periods = [("Geo-PKO unit sizes", pairs.iter().filter(|p| p.0 < split).collect::<Vec<_>>()), ("UN figures", pairs.iter().filter(|p| p.0 >= split).collect())];
    periods
        .into_iter()
        .filter(|(_, cells)| !cells.is_empty())
        .map(|(source, cells)| {
            let reference: f64 = cells.iter().map(|c| c.1).sum();
            let other: f64 = cells.iter().map(|c| c.2).sum();
            let gap: f64 = cells.iter().map(|c| (c.2 - c.1).abs()).sum();
            Comparison {
                what: what.clone(),
                reference: "IPI monthly figures, yearly mean".into(),
                other: format!("this table ({source})"),
                first_year: cells.iter().map(|c| c.0).min().unwrap_or_default(),
                last_year: cells.iter().map(|c| c.0).max().unwrap_or_default(),
                cells: cells.len(),
                reference_total: reference.round(),
                other_total: other.round(),
                total_gap_pct: percent_of(reference, other - reference),
                cell_gap_pct: percent_of(reference, gap),
                precedence: None,
            }
        })
        .collect()
}


fn cell_total(entries: &BTreeMap<String, Entry>) -> u32 {
    entries.values().filter_map(|e| e.personnel).sum()
}

/// UN years whose uniformed total is below `UNDER_COUNTED_BELOW` of the median year's: averaged over
/// missing months.
fn under_counted_years(un: &ReadFile) -> BTreeSet<i32> {
    let mut totals: BTreeMap<i32, u64> = BTreeMap::new();
    for ((_, year), entries) in &un.cells {
        *totals.entry(*year).or_default() += u64::from(cell_total(entries));
    }
    let mut sorted: Vec<u64> = totals.values().copied().collect();
    sorted.sort_unstable();
    let Some(&median) = sorted.get(sorted.len() / 2) else { return BTreeSet::new() };
    totals.into_iter().filter(|(_, total)| (*total as f64) < UNDER_COUNTED_BELOW * median as f64).map(|(year, _)| year).collect()
}

/// Applies the precedence rule per mission × year, and measures the sources' disagreement where both
/// report a mission-year.
fn combine(
    mut un: Option<&mut ReadFile>,
    mut geo: Option<&mut ReadFile>,
    under_counted: &BTreeSet<i32>,
    missions: &MissionTable,
) -> (Vec<Deployment>, Vec<Comparison>) {
    let cells: BTreeSet<Cell> = un.iter().chain(geo.iter()).flat_map(|r| r.cells.keys().cloned()).collect();
    let mut rows = Vec::new();
    let mut overlap: BTreeMap<i32, Overlap> = BTreeMap::new();
    for cell in cells {
        let (mission, year) = (&cell.0, cell.1);
        let from_un = un.as_ref().and_then(|r| r.cells.get(&cell));
        let from_geo = geo.as_ref().and_then(|r| r.cells.get(&cell));
        let year_under_counted = under_counted.contains(&year);
        let chosen = match (from_un, from_geo) {
            (Some(_), None) => SourceKind::Un,
            (None, Some(_)) => SourceKind::GeoPko,
            (Some(u), Some(g)) => {
                let chosen = if year_under_counted && cell_total(g) > cell_total(u) { SourceKind::GeoPko } else { SourceKind::Un };
                record_overlap(overlap.entry(year).or_insert_with(|| empty_overlap(year, year_under_counted)), u, g, chosen);
                chosen
            }
            (None, None) => unreachable!("every cell comes from a file"),
        };
        let (taken, other) = match chosen {
            SourceKind::Un => (un.as_deref_mut(), geo.as_deref_mut()),
            SourceKind::GeoPko => (geo.as_deref_mut(), un.as_deref_mut()),
        };
        let entries = taken.expect("the chosen source has the cell").cells.get(&cell).expect("the chosen source has the cell");
        let total = cell_total(entries);
        let host_iso3 = missions.get(mission).map(|m| m.host_iso3.clone()).unwrap_or_default();
        rows.extend(entries.values().map(|e| Deployment {
            contributor: e.contributor.clone(),
            contributor_iso3: e.contributor_iso3.clone(),
            mission: mission.clone(),
            host_iso3: host_iso3.clone(),
            year,
            personnel: e.personnel,
            mission_personnel: (total > 0).then_some(total),
            source: chosen,
            under_counted: chosen == SourceKind::Un && year_under_counted,
        }));
        if let Some(other) = other {
            let superseded = other.entries_in(&cell);
            if superseded > 0 {
                let reason = match (chosen, year_under_counted) {
                    (SourceKind::Un, false) => "mission-year also in the UN figures, which take precedence".to_string(),
                    (SourceKind::Un, true) => "mission-year also in the UN figures: under-counted year, but the UN total is the larger".to_string(),
                    (SourceKind::GeoPko, _) => "mission-year also in Geo-PKO: under-counted UN year, and Geo-PKO's total is the larger".to_string(),
                };
                other.set_aside(reason, superseded);
            }
        }
    }
    rows.sort_by(|a, b| {
        (&a.contributor_iso3, &a.contributor, &a.host_iso3, &a.mission, a.year)
            .cmp(&(&b.contributor_iso3, &b.contributor, &b.host_iso3, &b.mission, b.year))
    });
    (rows, overlap.into_values().map(Overlap::comparison).collect())
}

/// The UN's and Geo-PKO's figures for the missions both report in one year: contributors in both with
/// a figure are compared personnel for personnel.
struct Overlap {
    year: i32,
    precedence: Precedence,
    cells: usize,
    total_un: f64,
    total_geo: f64,
    gap: f64,
}

impl Overlap {
    fn comparison(self) -> Comparison {
        Comparison {
            what: "personnel per contributor and mission".into(),
            reference: SourceKind::Un.label().into(),
            other: SourceKind::GeoPko.label().into(),
            first_year: self.year,
            last_year: self.year,
            cells: self.cells,
            reference_total: self.total_un,
            other_total: self.total_geo,
            total_gap_pct: percent_of(self.total_un, self.total_geo - self.total_un),
            cell_gap_pct: percent_of(self.total_un, self.gap),
            precedence: Some(self.precedence),
        }
    }
}

fn empty_overlap(year: i32, un_under_counted: bool) -> Overlap {
    Overlap {
        year,
        precedence: Precedence { reference_incomplete: un_under_counted, ..Precedence::default() },
        cells: 0,
        total_un: 0.0,
        total_geo: 0.0,
        gap: 0.0,
    }
}

fn record_overlap(o: &mut Overlap, un: &BTreeMap<String, Entry>, geo: &BTreeMap<String, Entry>, chosen: SourceKind) {
    o.cells += 1;
    let p = &mut o.precedence;
    match chosen {
        SourceKind::Un => p.used_reference += 1,
        SourceKind::GeoPko => p.used_other += 1,
    }
    for (key, entry) in un {
        match geo.get(key) {
            Some(g) => {
                p.parties_in_both += 1;
                if let (Some(a), Some(b)) = (entry.personnel, g.personnel) {
                    o.total_un += f64::from(a);
                    o.total_geo += f64::from(b);
                    o.gap += (f64::from(a) - f64::from(b)).abs();
                }
            }
            None => p.parties_only_in_reference += 1,
        }
    }
    p.parties_only_in_other += geo.keys().filter(|k| !un.contains_key(*k)).count();
}
