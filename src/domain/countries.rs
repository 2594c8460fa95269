//! The country table and the alias table that resolves the many spellings and codes the sources use.
//!
//! Both tables are the project's own (`datasets/countries.csv`, `datasets/country_aliases.csv`,
//! `datasets/non_country_names.csv`) and are compiled into the binary, so every command resolves names
//! the same way wherever it runs.

use std::collections::HashMap;
use std::fmt;

const COUNTRIES_CSV: &str = include_str!("../../datasets/countries.csv");
const ALIASES_CSV: &str = include_str!("../../datasets/country_aliases.csv");
const NON_COUNTRIES_CSV: &str = include_str!("../../datasets/non_country_names.csv");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Region {
    Africa,
    LatinAmerica,
    MiddleEast,
    SouthAsia,
    SoutheastAsia,
    /// Outside the regions M-DIME tracks (Europe, Central and East Asia, North America, Oceania).
    Other,
}

impl Region {
    pub const TRACKED: [Region; 5] = [
        Region::Africa,
        Region::LatinAmerica,
        Region::MiddleEast,
        Region::SouthAsia,
        Region::SoutheastAsia,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Region::Africa => "Africa",
            Region::LatinAmerica => "Latin America",
            Region::MiddleEast => "Middle East",
            Region::SouthAsia => "South Asia",
            Region::SoutheastAsia => "Southeast Asia",
            Region::Other => "Other",
        }
    }

    pub fn parse(label: &str) -> Option<Region> {
        let wanted = normalise_name(label);
        [Region::Other]
            .into_iter()
            .chain(Region::TRACKED)
            .find(|r| normalise_name(r.label()) == wanted)
    }

    pub fn is_tracked(self) -> bool {
        self != Region::Other
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// A sovereign state (UN member or observer, or Kosovo and Taiwan): the only kind tracked.
    State,
    /// A dependent territory (Puerto Rico, Réunion…): resolved so its name is never an error, but not
    /// assessed as a recipient.
    Territory,
    /// A former state (the Soviet Union, Yugoslavia…): kept under its own code, never merged silently.
    Historical,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    pub iso3: String,
    pub iso2: String,
    pub name: String,
    pub region: Region,
    pub subregion: String,
    pub capital: String,
    pub cow_code: Option<u32>,
    pub status: Status,
}

impl Country {
    pub fn is_tracked_recipient(&self) -> bool {
        self.status == Status::State && self.region.is_tracked()
    }
}

/// What a name in a source turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameMatch<'a> {
    Country(&'a Country),
    /// An aggregate (World, a region), an organisation, a non-state actor or an unknown party: kept in
    /// the data where the source has it, never a tracked recipient or a benefactor.
    NonCountry(&'a str),
}

/// Codes and names that denote different states in different years, as the Correlates of War codes do:
/// 365 is the Soviet Union from 1922 to 1991 and Russia before and after; 345 is Yugoslavia to 1991, the
/// Federal Republic of Yugoslavia (Serbia and Montenegro) from 1992 to 2005 and Serbia from 2006, when
/// Montenegro left with a code of its own; 816 is North Vietnam until reunification in 1976. Each row:
/// the state the name resolves to, the first and last year of the exception, the state in those years.
const SUCCESSIONS: [(&str, i32, i32, &str); 4] = [
    ("RUS", 1922, 1991, "SUN"),
    ("YUG", 1992, 2005, "SCG"),
    ("YUG", 2006, i32::MAX, "SRB"),
    ("VNM", i32::MIN, 1975, "VDR"),
];

#[derive(Debug)]
pub struct CountryTable {
    countries: Vec<Country>,
    by_name: HashMap<String, usize>,
    /// ISO 3166 alpha-2 codes, kept apart from names: two letters are too easily a word or an
    /// abbreviation in a name column (`NA` is Namibia's code).
    by_iso2: HashMap<String, usize>,
    non_countries: HashMap<String, String>,
    /// The user's file of extra names added to the built-in ones, named in messages about unknown names.
    local_names: Option<String>,
}

/// A name a user adds without rebuilding mdime: a new spelling of a country, or a name that is not a
/// country (an organisation, a region, a group of contributors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalName {
    Alias { name: String, iso3: String },
    NonCountry { name: String, kind: String },
}

/// The kinds of non-country names, as `non_country_names.csv` uses them.
pub const NON_COUNTRY_KINDS: &[&str] = &["aggregate", "organisation", "group", "non_state", "unknown"];

static IN_USE: std::sync::OnceLock<CountryTable> = std::sync::OnceLock::new();

/// The key names are compared by: lower case, accents folded to ASCII, runs of white space collapsed.
/// Sources differ in exactly these ways (`Côte d'Ivoire`, `COTE D'IVOIRE`, `Cote d'Ivoire `).
pub fn normalise_name(name: &str) -> String {
    deunicode::deunicode(name)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl CountryTable {
    /// The table in use: the one shipped with mdime, plus the user's local names if `install` added
    /// them. The shipped table's integrity is checked by the test suite, so a malformed row there is a
    /// build defect, not a user error.
    pub fn builtin() -> &'static CountryTable {
        IN_USE.get_or_init(CountryTable::shipped)
    }

    fn shipped() -> CountryTable {
        CountryTable::from_csv(COUNTRIES_CSV, ALIASES_CSV, NON_COUNTRIES_CSV).unwrap_or_else(|e| panic!("the built-in country table is malformed: {e}"))
    }

    /// Adds the user's names (read from the file `origin`) to the shipped table and makes the result
    /// the table in use for the rest of the process. A name that the shipped table already resolves
    /// differently is refused: a local file may add names, not change them. Only the first call with
    /// names takes effect; the process reads one datasets folder.
    pub fn install(origin: &str, names: &[(usize, LocalName)]) -> Result<&'static CountryTable, String> {
        let mut table = CountryTable::shipped();
        table.local_names = Some(origin.to_string());
        for (line, name) in names {
            match name {
                LocalName::Alias { name, iso3 } => {
                    let index = table
                        .countries
                        .iter()
                        .position(|c| c.iso3.eq_ignore_ascii_case(iso3))
                        .ok_or_else(|| format!("line {line}: column `iso3`: unknown ISO-3 code `{iso3}`"))?;
                    if table.non_countries.contains_key(&normalise_name(name)) {
                        return Err(format!("line {line}: column `name`: `{name}` is already listed as not a country"));
                    }
                    table.insert_key(name, index, *line, origin)?;
                }
                LocalName::NonCountry { name, kind } => {
                    if let Some(&index) = table.by_name.get(&normalise_name(name)) {
                        return Err(format!("line {line}: column `name`: `{name}` already names {}", table.countries[index].name));
                    }
                    table.non_countries.insert(normalise_name(name), kind.clone());
                }
            }
        }
        IN_USE.set(table).map_err(|_| "the country table is already in use; local names must be added before any name is read".to_string())?;
        Ok(IN_USE.get().expect("set above"))
    }

    pub fn from_csv(countries: &str, aliases: &str, non_countries: &str) -> Result<CountryTable, String> {
        let mut table = CountryTable {
            countries: Vec::new(),
            by_name: HashMap::new(),
            by_iso2: HashMap::new(),
            non_countries: HashMap::new(),
            local_names: None,
        };
        for (line, record) in read_records(countries)? {
            let field = |name: &str| record.get(name).cloned().unwrap_or_default();
            let region = Region::parse(&field("region"))
                .ok_or_else(|| format!("countries.csv line {line}: unknown region `{}`", field("region")))?;
            let status = match field("status").as_str() {
                "state" => Status::State,
                "territory" => Status::Territory,
                "historical" => Status::Historical,
                other => return Err(format!("countries.csv line {line}: unknown status `{other}`")),
            };
            let cow_code = match field("cow_code").as_str() {
                "" => None,
                code => Some(
                    code.parse()
                        .map_err(|_| format!("countries.csv line {line}: cow_code `{code}` is not a number"))?,
                ),
            };
            let index = table.countries.len();
            table.countries.push(Country {
                iso3: field("iso3"),
                iso2: field("iso2"),
                name: field("name"),
                region,
                subregion: field("subregion"),
                capital: field("capital"),
                cow_code,
                status,
            });
            let country = &table.countries[index];
            let mut keys = vec![country.iso3.clone(), country.name.clone()];
            keys.extend(country.cow_code.map(|c| c.to_string()));
            let iso2 = country.iso2.to_ascii_uppercase();
            for key in keys {
                table.insert_key(&key, index, line, "countries.csv")?;
            }
            if !iso2.is_empty() {
                if let Some(previous) = table.by_iso2.insert(iso2.clone(), index) {
                    return Err(format!(
                        "countries.csv line {line}: iso2 `{iso2}` names both {} and {}",
                        table.countries[previous].iso3, table.countries[index].iso3
                    ));
                }
            }
        }
        for (line, record) in read_records(aliases)? {
            let iso3 = record.get("iso3").cloned().unwrap_or_default();
            let index = table
                .countries
                .iter()
                .position(|c| c.iso3 == iso3)
                .ok_or_else(|| format!("country_aliases.csv line {line}: unknown iso3 `{iso3}`"))?;
            let alias = record.get("alias").cloned().unwrap_or_default();
            table.insert_key(&alias, index, line, "country_aliases.csv")?;
        }
        for (_, record) in read_records(non_countries)? {
            let name = record.get("name").cloned().unwrap_or_default();
            let kind = record.get("kind").cloned().unwrap_or_default();
            table.non_countries.insert(normalise_name(&name), kind);
        }
        Ok(table)
    }

    fn insert_key(&mut self, key: &str, index: usize, line: usize, file: &str) -> Result<(), String> {
        let key = normalise_name(key);
        if key.is_empty() {
            return Ok(());
        }
        match self.by_name.insert(key.clone(), index) {
            Some(previous) if previous != index => Err(format!(
                "{file} line {line}: `{key}` names both {} and {}",
                self.countries[previous].iso3, self.countries[index].iso3
            )),
            _ => Ok(()),
        }
    }

    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    /// Resolves a name, ISO-3 code or Correlates of War code as a source writes it. SIPRI marks
    /// non-state recipients with a trailing `*` or `**`; those resolve as non-countries by that mark.
    pub fn resolve(&self, name: &str) -> Option<NameMatch<'_>> {
        let trimmed = name.trim();
        if trimmed.ends_with('*') {
            return Some(NameMatch::NonCountry("non_state"));
        }
        let key = normalise_name(trimmed);
        if let Some(&index) = self.by_name.get(&key) {
            return Some(NameMatch::Country(&self.countries[index]));
        }
        self.non_countries.get(&key).map(|kind| NameMatch::NonCountry(kind.as_str()))
    }

    /// The current sovereign state a user names (a benefactor, a recipient), or why the name is not one:
    /// unknown (with the closest names), a former state, a dependent territory or not a country.
    pub fn state(&self, name: &str) -> Result<&Country, String> {
        match self.resolve(name) {
            Some(NameMatch::Country(c)) if c.status == Status::State => Ok(c),
            Some(NameMatch::Country(c)) if c.status == Status::Historical => Err(format!("{} is a former state; name a current one", c.name)),
            Some(NameMatch::Country(c)) => Err(format!("{} is a dependent territory, which mdime does not assess", c.name)),
            Some(NameMatch::NonCountry(kind)) => Err(format!("`{name}` is not a country (it is listed as {kind})")),
            None => Err(self.unknown(name)),
        }
    }

    /// The country with this ISO 3166 alpha-2 code (any case), for sources that give one in a column of
    /// codes; names never resolve through it.
    pub fn by_iso2(&self, code: &str) -> Option<&Country> {
        self.by_iso2.get(&code.trim().to_ascii_uppercase()).map(|&index| &self.countries[index])
    }

    /// The country a name denotes, if it denotes one.
    pub fn country(&self, name: &str) -> Option<&Country> {
        match self.resolve(name) {
            Some(NameMatch::Country(country)) => Some(country),
            _ => None,
        }
    }

    /// The state a resolved name or code denotes in a given year. Some codes outlive the state they were
    /// given to: `SUCCESSIONS` lists them, and a code with no entry denotes the same state every year.
    pub fn state_in<'a>(&'a self, country: &'a Country, year: i32) -> &'a Country {
        SUCCESSIONS
            .iter()
            .find(|(iso3, first, last, _)| *iso3 == country.iso3 && (*first..=*last).contains(&year))
            .and_then(|(_, _, _, state)| self.countries.iter().find(|c| c.iso3 == *state))
            .unwrap_or(country)
    }

    /// The country's name for an ISO-3 code, or the code itself when it names no country.
    pub fn name_of<'a>(&'a self, iso3: &'a str) -> &'a str {
        self.country(iso3).map_or(iso3, |c| c.name.as_str())
    }

    /// Up to three known names closest to an unknown one, for error messages.
    pub fn suggest(&self, name: &str) -> Vec<String> {
        let key = normalise_name(name);
        let mut scored: Vec<(f64, &str)> = self
            .countries
            .iter()
            .map(|c| (strsim::jaro_winkler(&key, &normalise_name(&c.name)), c.name.as_str()))
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        scored
            .into_iter()
            .take(3)
            .filter(|(score, _)| *score > 0.7)
            .map(|(_, name)| name.to_string())
            .collect()
    }

    /// "unknown country `X`", with the closest known names: the start of every message about a name that
    /// resolves to nothing.
    pub fn unknown(&self, name: &str) -> String {
        let suggestions = self.suggest(name);
        let hint = if suggestions.is_empty() { String::new() } else { format!("; did you mean {}?", suggestions.join(", ")) };
        format!("unknown country `{name}`{hint}")
    }

    /// The message for a name in a data file that resolves to nothing: what to do about it depends on
    /// whether it is a new spelling of a country or an entry that is not one.
    pub fn unknown_in_data(&self, name: &str) -> String {
        let file = self.local_names.as_deref().unwrap_or("datasets/local_names.csv");
        format!(
            "{} (if it is a new spelling of a country, add a line `{name},ISO3,,` to {file}; if it is a region, an \
             organisation or a group, add `{name},,KIND,` with KIND one of {}; see datasets/README.md)",
            self.unknown(name),
            NON_COUNTRY_KINDS.join(", ")
        )
    }

    /// The country a name in a data file denotes, or the message for a problem: the name is listed as a
    /// non-country (a region, an organisation), or is unknown.
    pub fn country_in_data(&self, name: &str) -> Result<&Country, String> {
        match self.resolve(name) {
            Some(NameMatch::Country(c)) => Ok(c),
            Some(NameMatch::NonCountry(kind)) => Err(format!("`{name}` is not a country (it is listed as {kind}); expected one")),
            None => Err(self.unknown_in_data(name)),
        }
    }

    /// Every state in the regions M-DIME tracks, less the benefactors themselves, in ISO-3 order.
    pub fn tracked_recipients(&self, benefactors: &[super::Benefactor]) -> Vec<&Country> {
        let mut recipients: Vec<&Country> = self
            .countries
            .iter()
            .filter(|c| c.is_tracked_recipient() && !benefactors.iter().any(|b| b.iso3 == c.iso3))
            .collect();
        recipients.sort_by(|a, b| a.iso3.cmp(&b.iso3));
        recipients
    }
}

/// Records of a small embedded CSV as header → value maps, with their line numbers.
pub(super) fn read_records(text: &str) -> Result<Vec<(usize, HashMap<String, String>)>, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    reader
        .records()
        .map(|record| {
            let record = record.map_err(|e| e.to_string())?;
            let line = record.position().map_or(0, |p| p.line() as usize);
            let map = headers.iter().map(String::from).zip(record.iter().map(String::from)).collect();
            Ok((line, map))
        })
        .collect()
}
