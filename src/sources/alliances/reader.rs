//! The reader: raw files → `datasets/`, through the import contract (`crate::ingest`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::ingest::one_file::{About, CsvFile, Outcome, Row, Text};
use crate::ingest::provenance::Provenance;
use crate::ingest::table::{self, Column, Kind, TableSpec};
use crate::artefact::csv_bytes;
use crate::domain::{Country, CountryTable, Obligation};
use crate::error::Result;

pub const SPEC: TableSpec = TableSpec {
    file: "alliances.csv",
    command: "mdime import alliances",
    columns: &[
        Column::text("benefactor"),
        Column::text("benefactor_iso3"),
        Column::text("partner"),
        Column::text("partner_iso3"),
        Column::new("partner_cow", Kind::Integer { min: 2, max: 999, optional: false }),
        Column::new("year", Kind::YEAR),
        Column::new("defense", Kind::Flag),
        Column::new("offense", Kind::Flag),
        Column::new("neutrality", Kind::Flag),
        Column::new("non_aggression", Kind::Flag),
        Column::new("consultation", Kind::Flag),
        Column::text("strongest"),
        Column::text("one_sided"),
    ],
};
/// The derived table's file name inside the datasets folder.
pub const TABLE: &str = SPEC.file;
pub const DEFAULT_FILE: &str = "../shared/data/alliances/atop-v5.1-china-russia.csv";
/// How indicators name the source, followed by its years.
pub const SOURCE_LABEL: &str = "ATOP v5.1 alliance obligations";
pub const CITATION: &str = "ATOP v5.1 (Leeds, Ritter, Mitchell and Long, Alliance Treaty Obligations and Provisions)";
pub const METHOD: &str = "each directed dyad-year with China or Russia on one side is joined with its reverse; a row \
    per benefactor × partner × year holds the obligations either side has undertaken, `one_sided` those only one \
    side has; COW codes resolve by year (365 is the Soviet Union 1922-1991; 345 Yugoslavia to 1991, Serbia and \
    Montenegro 1992-2005, Serbia from 2006; 816 North Vietnam to 1975)";

/// The file's columns: the two states, the year, then one 0/1 column per obligation in `OBLIGATIONS`.
const COLUMNS: [&str; 8] = ["ccode1", "ccode2", "year", "atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"];
const OBLIGATIONS: [Obligation; 5] =
    [Obligation::Defense, Obligation::Offense, Obligation::Neutrality, Obligation::NonAggression, Obligation::Consultation];

/// One row of `datasets/alliances.csv`: the obligations in force between a benefactor and a partner in
/// one year.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Alliance {
    /// China, Russia, or the Soviet Union for 1922–1991.
    pub benefactor: String,
    pub benefactor_iso3: String,
    pub partner: String,
    pub partner_iso3: String,
    /// The partner's Correlates of War code as ATOP gives it: a state with two codes in one year (West
    /// Germany and Germany in 1990) has a row for each.
    pub partner_cow: u32,
    pub year: i32,
    pub defense: bool,
    pub offense: bool,
    pub neutrality: bool,
    pub non_aggression: bool,
    pub consultation: bool,
    /// The strongest obligation in force (`Obligation::strength`).
    pub strongest: String,
    /// Obligations only one side has undertaken, e.g. `neutrality by partner`; empty when all are mutual.
    pub one_sided: String,
}

#[derive(Debug)]
pub struct ImportReport {
    pub table: PathBuf,
    pub provenance: Provenance,
    pub rows: Vec<Alliance>,
}

/// One directed dyad-year: what the first state has promised the second.
type Directed = BTreeMap<(u32, u32, i32), BTreeSet<Obligation>>;

/// Reads the ATOP file and writes `alliances.csv` and its provenance into `datasets`.
pub fn import(path: &Path, datasets: &Path) -> Result<ImportReport> {
    let countries = CountryTable::builtin();
    let file = CsvFile::read(path, Text::Latin1OrUtf8, &COLUMNS, "ATOP directed dyad-years")?;
    let benefactors: Vec<u32> = crate::ingest::benefactors::carried(datasets)?.iter().filter_map(|b| countries.country(b).and_then(|c| c.cow_code)).collect();

    let mut directed = Directed::new();
    let mut problems = Vec::new();
    let mut outcome = Outcome::default();
    for index in 0..file.records.len() {
        let mut row = file.row(index, &mut problems);
        let first = cow_code(&mut row, COLUMNS[0], countries);
        let second = cow_code(&mut row, COLUMNS[1], countries);
        let year = row.integer(COLUMNS[2], 1800..=2100, "a year");
        let mut promised = BTreeSet::new();
        for (column, obligation) in COLUMNS[3..].iter().zip(OBLIGATIONS) {
            match row.text(column) {
                "1" => {
                    promised.insert(obligation);
                }
                "0" => {}
                other => row.problem(column, format!("expected 0 or 1, found `{other}`")),
            }
        }
        let (Some(first), Some(second), Some(year)) = (first, second, year) else { continue };
        let year = year as i32;
        if !benefactors.contains(&first) && !benefactors.contains(&second) {
            outcome.exclude("neither state is China (710) or Russia (365)");
            continue;
        }
        if directed.insert((first, second, year), promised).is_some() {
            row.problem(COLUMNS[1], format!("the dyad {first} → {second} in {year} is listed twice"));
        }
    }
    file.check(problems)?;

    let mut rows = Vec::new();
    for (&(first, second, year), promised) in &directed {
        let reverse = directed.get(&(second, first, year));
        if promised.is_empty() && reverse.is_none_or(BTreeSet::is_empty) {
            outcome.exclude("no obligation in force either way (ATOP lists the dyad-year with every obligation 0)");
            continue;
        }
        if benefactors.contains(&first) {
            rows.push(row(countries, (first, second, year), promised, reverse.unwrap_or(&BTreeSet::new())));
        }
    }
    // A benefactor found only second (`640 → 365` with no `365 → 640`) still gets its row, from the
    // partner's promises: ATOP's file lists both directions, but a copy cut to one loses nothing.
    for (&(first, second, year), promised) in &directed {
        if benefactors.contains(&second) && !directed.contains_key(&(second, first, year)) && !promised.is_empty() {
            rows.push(row(countries, (second, first, year), &BTreeSet::new(), promised));
        }
    }
    rows.sort_by(|a, b| (&a.benefactor_iso3, &a.partner_iso3, a.partner_cow, a.year).cmp(&(&b.benefactor_iso3, &b.partner_iso3, b.partner_cow, b.year)));

    let about = About {
        table: TABLE,
        source: "ATOP v5.1 directed dyad-years with China or Russia (via peacesciencer)",
        citation: &format!("{CITATION}, http://www.atopdata.org"),
    };
    let mut provenance = file.provenance(about, Outcome { method: METHOD.into(), rows_written: rows.len(), ..outcome });
    let table = table::write_table(datasets, &SPEC, &csv_bytes(&rows)?, &mut provenance, path)?;
    Ok(ImportReport { table, provenance, rows })
}

/// The derived table and its provenance, or None when it has not been imported: M3 then rests on the
/// evidence logs alone.
pub fn find_table(datasets: &Path) -> Result<Option<(PathBuf, Provenance)>> {
    table::find_table(datasets, &SPEC)
}

/// A Correlates of War code the country table knows, or a problem.
fn cow_code(row: &mut Row, column: &str, countries: &CountryTable) -> Option<u32> {
    let text = row.text(column);
    match text.parse::<u32>() {
        Ok(code) if countries.country(&code.to_string()).is_some() => Some(code),
        _ => {
            row.problem(column, format!("unknown Correlates of War code `{text}` (add it to datasets/country_aliases.csv)"));
            None
        }
    }
}

/// One table row from the benefactor's promises to the partner and the partner's to the benefactor.
fn row(countries: &CountryTable, (benefactor, partner, year): (u32, u32, i32), own: &BTreeSet<Obligation>, theirs: &BTreeSet<Obligation>) -> Alliance {
    let state = |code: u32| -> &Country {
        let country = countries.country(&code.to_string()).expect("codes are checked while reading");
        countries.state_in(country, year)
    };
    let (b, p) = (state(benefactor), state(partner));
    let union: BTreeSet<Obligation> = own.union(theirs).copied().collect();
    let one_sided: Vec<String> = union
        .iter()
        .rev()
        .filter(|o| own.contains(o) != theirs.contains(o))
        .map(|o| format!("{o} by {}", if own.contains(o) { "benefactor" } else { "partner" }))
        .collect();
    let has = |o: Obligation| union.contains(&o);
    Alliance {
        benefactor: b.name.clone(),
        benefactor_iso3: b.iso3.clone(),
        partner: p.name.clone(),
        partner_iso3: p.iso3.clone(),
        partner_cow: partner,
        year,
        defense: has(Obligation::Defense),
        offense: has(Obligation::Offense),
        neutrality: has(Obligation::Neutrality),
        non_aggression: has(Obligation::NonAggression),
        consultation: has(Obligation::Consultation),
        strongest: union.iter().next_back().map_or(String::new(), |o| o.label().to_string()),
        one_sided: one_sided.join("; "),
    }
}
