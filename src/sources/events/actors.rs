//! Who an event's two sides are: a country and a standing in it. ICEWS names its actors (`China`,
//! `Military (Russia)`, `Xi Jinping`); GDELT and POLECAT code them (`RUSGOV`, `CHN` + `MIL`). Each side
//! resolves to a country through the country table, and to a role: a state body or not, a defence actor
//! (armed forces, defence ministry, intelligence), a head of state or government. People resolve through
//! the dated table of office holders (`datasets/office_holders.csv`), sector names through
//! `datasets/icews_sectors.csv`, GDELT's country codes through the country table and
//! `datasets/cameo_country_codes.csv` (CAMEO's codes that are not ISO-3: `ROM`, `TMP`, the regions).

use std::collections::HashMap;
use std::path::Path;

use jiff::civil::Date;

use crate::domain::{normalise_name, CountryTable, NameMatch};
use crate::error::Result;
use crate::ingest::one_file::{CsvFile, Text};

pub const SECTORS: &str = "icews_sectors.csv";
pub const OFFICE_HOLDERS: &str = "office_holders.csv";
pub const CAMEO_COUNTRY_CODES: &str = "cameo_country_codes.csv";

const SECTOR_COLUMNS: [&str; 3] = ["sector", "role", "what"];
const HOLDER_COLUMNS: [&str; 11] =
    ["country_iso3", "role", "name", "icews_names", "gdelt_name", "term_start", "term_end", "dates", "verification", "source_url", "source_title"];
const CODE_COLUMNS: [&str; 4] = ["code", "iso3", "name", "kind"];

/// What an actor is in its country.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Role {
    /// A body of the state (government, ministries, armed forces, police, legislature, courts, officials),
    /// or the state itself; citizens, firms, parties, rebels and media are not.
    pub state: bool,
    /// Armed forces, defence ministry, intelligence services, a defence minister or chief of staff.
    pub defence: bool,
    /// A head of state or government.
    pub senior: bool,
}

impl Role {
    pub const STATE: Role = Role { state: true, defence: false, senior: false };
    pub const DEFENCE: Role = Role { state: true, defence: true, senior: false };
    pub const SENIOR: Role = Role { state: true, defence: false, senior: true };
    pub const NON_STATE: Role = Role { state: false, defence: false, senior: false };

    pub fn union(self, other: Role) -> Role {
        Role { state: self.state || other.state, defence: self.defence || other.defence, senior: self.senior || other.senior }
    }

    fn parse(text: &str) -> Option<Role> {
        match text {
            "defence" => Some(Role::DEFENCE),
            "senior" => Some(Role::SENIOR),
            "state" => Some(Role::STATE),
            _ => None,
        }
    }

    /// The role an office gives its holder.
    fn of_office(office: &str) -> Option<Role> {
        match office {
            "head_of_state" | "head_of_government" => Some(Role::SENIOR),
            "defence_minister" | "chief_of_staff" => Some(Role::DEFENCE),
            "foreign_minister" => Some(Role::STATE),
            _ => None,
        }
    }
}

/// One side of an event, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Actor {
    /// The country the actor belongs to (ISO-3), if any.
    pub country: Option<String>,
    pub role: Role,
}

impl Actor {
    pub const NOBODY: Actor = Actor { country: None, role: Role::NON_STATE };

    fn state(iso3: &str, role: Role) -> Actor {
        Actor { country: Some(iso3.to_string()), role }
    }
}

/// One term of office.
#[derive(Debug, Clone)]
struct Term {
    iso3: String,
    role: Role,
    start: Date,
    end: Option<Date>,
}

impl Term {
    fn holds(&self, day: Date) -> bool {
        self.start <= day && self.end.is_none_or(|end| day <= end)
    }
}

/// The tables actors resolve through.
#[derive(Debug, Default)]
pub struct Directory {
    /// Normalised sector name → role; sectors not listed are not state bodies.
    sectors: HashMap<String, Role>,
    /// Normalised personal name (the holder's name and every ICEWS spelling) → terms.
    people: HashMap<String, Vec<Term>>,
    /// GDELT's spelling (upper-case ASCII) → terms.
    gdelt_people: HashMap<String, Vec<Term>>,
    /// CAMEO country codes that are not ISO-3 codes → ISO-3, or None for a region.
    cameo_codes: HashMap<String, Option<String>>,
}

/// The files a directory was read from, with their hashes, for provenance.
pub type Files = Vec<(String, String)>;

impl Directory {
    pub fn load(datasets: &Path, countries: &CountryTable) -> Result<(Directory, Files)> {
        let mut directory = Directory::default();
        let mut files = Files::new();

        let sectors = CsvFile::read(&datasets.join(SECTORS), Text::Utf8, &SECTOR_COLUMNS, "the ICEWS sectors that are state bodies: sector,role,what")?;
        let mut problems = Vec::new();
        for index in 0..sectors.records.len() {
            let mut row = sectors.row(index, &mut problems);
            match Role::parse(row.text("role")) {
                Some(role) => {
                    directory.sectors.insert(normalise_name(row.text("sector")), role);
                }
                None => row.problem("role", format!("expected defence, senior or state, found `{}`", row.text("role"))),
            }
        }
        sectors.check(problems)?;
        files.push((sectors.raw.file_name(), sectors.raw.sha256.clone()));

        let holders = CsvFile::read(&datasets.join(OFFICE_HOLDERS), Text::Utf8, &HOLDER_COLUMNS, "the office holders: country_iso3,role,name,icews_names,gdelt_name,term_start,term_end,…")?;
        let mut problems = Vec::new();
        for index in 0..holders.records.len() {
            let mut row = holders.row(index, &mut problems);
            let iso3 = row.text("country_iso3");
            if countries.country(iso3).is_none() {
                row.problem("country_iso3", format!("unknown ISO-3 code `{iso3}`"));
            }
            let role = Role::of_office(row.text("role"));
            if role.is_none() {
                row.problem("role", format!("expected head_of_state, head_of_government, defence_minister, chief_of_staff or foreign_minister, found `{}`", row.text("role")));
            }
            let start = date(&mut row, "term_start");
            let end = if row.text("term_end").is_empty() { Some(None) } else { date(&mut row, "term_end").map(Some) };
            if let (Some(start), Some(Some(end))) = (start, end) {
                if end < start {
                    row.problem("term_end", format!("{end} is before the start, {start}"));
                }
            }
            let (Some(role), Some(start), Some(end)) = (role, start, end) else { continue };
            let term = Term { iso3: iso3.to_string(), role, start, end };
            let mut names: Vec<String> = vec![normalise_name(row.text("name"))];
            names.extend(row.text("icews_names").split(';').filter(|n| !n.trim().is_empty()).map(normalise_name));
            names.sort();
            names.dedup();
            for name in names {
                directory.people.entry(name).or_default().push(term.clone());
            }
            let gdelt = row.text("gdelt_name");
            if gdelt.is_empty() || gdelt != gdelt_spelling(row.text("name")) {
                row.problem("gdelt_name", format!("expected `{}`: the name in upper-case ASCII, as GDELT writes it", gdelt_spelling(row.text("name"))));
            }
            directory.gdelt_people.entry(gdelt.to_string()).or_default().push(term);
        }
        holders.check(problems)?;
        files.push((holders.raw.file_name(), holders.raw.sha256.clone()));

        let codes = CsvFile::read(&datasets.join(CAMEO_COUNTRY_CODES), Text::Utf8, &CODE_COLUMNS, "CAMEO's country codes that are not ISO-3: code,iso3,name,kind")?;
        let mut problems = Vec::new();
        for index in 0..codes.records.len() {
            let mut row = codes.row(index, &mut problems);
            let (code, iso3, kind) = (row.text("code").to_string(), row.text("iso3").to_string(), row.text("kind").to_string());
            match kind.as_str() {
                "country" if countries.country(&iso3).is_some() => {
                    directory.cameo_codes.insert(code, Some(iso3));
                }
                "country" => row.problem("iso3", format!("unknown ISO-3 code `{iso3}`")),
                "region" if iso3.is_empty() => {
                    directory.cameo_codes.insert(code, None);
                }
                "region" => row.problem("iso3", "a region has no ISO-3 code"),
                other => row.problem("kind", format!("expected country or region, found `{other}`")),
            }
        }
        codes.check(problems)?;
        files.push((codes.raw.file_name(), codes.raw.sha256.clone()));
        Ok((directory, files))
    }

    /// The role of an ICEWS sector (`Military`, `Defense / Security Ministry`), or a non-state role.
    pub fn sector(&self, sector: &str) -> Role {
        self.sectors.get(&normalise_name(sector)).copied().unwrap_or(Role::NON_STATE)
    }

    /// The office a person named this way held on `day`, by the name or an ICEWS spelling of it; several
    /// offices at once (a president who is also defence minister) combine.
    pub fn person(&self, name: &str, day: Date) -> Option<Actor> {
        holder(self.people.get(&normalise_name(name))?, day, None)
    }

    /// Whether the office holders list anyone by this name.
    pub fn has_person(&self, name: &str) -> bool {
        self.people.contains_key(&normalise_name(name))
    }

    /// The same for GDELT's spelling of the name, held in the actor's own country.
    pub fn gdelt_person(&self, name: &str, iso3: &str, day: Date) -> Option<Role> {
        holder(self.gdelt_people.get(name)?, day, Some(iso3)).map(|a| a.role)
    }

    /// An ICEWS actor name: `Sector (Country)`, a country, or a person. Names that resolve to nothing (an
    /// organisation, a person outside the office holders, a region) have no country.
    pub fn icews(&self, countries: &CountryTable, name: &str, day: Date) -> Actor {
        if let Some((sector, country)) = split_sector(name) {
            return match countries.resolve(country) {
                Some(NameMatch::Country(c)) => Actor::state(&c.iso3, self.sector(sector)),
                _ => Actor::NOBODY,
            };
        }
        match countries.resolve(name) {
            Some(NameMatch::Country(c)) => Actor::state(&c.iso3, Role::STATE),
            Some(NameMatch::NonCountry(_)) => Actor::NOBODY,
            None => self.person(name, day).unwrap_or(Actor::NOBODY),
        }
    }

    /// Every CAMEO country code mapped to its ISO-3 code: the country table's own codes and CAMEO's
    /// exceptions, for the GDELT query's join.
    pub fn cameo_country_table(&self, countries: &CountryTable) -> Vec<(String, String)> {
        let mut table: Vec<(String, String)> = countries.countries().iter().map(|c| (c.iso3.clone(), c.iso3.clone())).collect();
        table.extend(self.cameo_codes.iter().filter_map(|(code, iso3)| iso3.as_ref().map(|i| (code.clone(), i.clone()))));
        table.sort();
        table
    }

    /// The CAMEO codes that name a region.
    pub fn cameo_regions(&self) -> Vec<String> {
        let mut regions: Vec<String> = self.cameo_codes.iter().filter(|(_, iso3)| iso3.is_none()).map(|(c, _)| c.clone()).collect();
        regions.sort();
        regions
    }
}

fn holder(terms: &[Term], day: Date, country: Option<&str>) -> Option<Actor> {
    let mut held = terms.iter().filter(|t| t.holds(day) && country.is_none_or(|c| c == t.iso3));
    let first = held.next()?;
    // One name, two countries at once would be two people: the name cannot place either.
    let mut role = first.role;
    for term in held {
        if term.iso3 != first.iso3 {
            return None;
        }
        role = role.union(term.role);
    }
    Some(Actor::state(&first.iso3, role))
}

/// `Military (Russia)` → (`Military`, `Russia`); ICEWS14 writes `Military_(Russia)`, which callers turn
/// into spaces first.
pub fn split_sector(name: &str) -> Option<(&str, &str)> {
    let name = name.trim();
    let inner = name.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let (sector, country) = (inner[..open].trim(), inner[open + 1..].trim());
    (!sector.is_empty() && !country.is_empty()).then_some((sector, country))
}

/// A name as GDELT writes it: upper-case ASCII, accents folded (`Recep Tayyip Erdoğan` → `RECEP TAYYIP
/// ERDOGAN`).
pub fn gdelt_spelling(name: &str) -> String {
    deunicode::deunicode(name).to_uppercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn date(row: &mut crate::ingest::one_file::Row, column: &str) -> Option<Date> {
    let text = row.text(column);
    match text.parse::<Date>() {
        Ok(d) if text.len() == 10 => Some(d),
        _ => {
            row.problem(column, format!("expected a date like 2014-03-24, found `{text}`"));
            None
        }
    }
}
