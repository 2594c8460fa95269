//! UN missions and the country each is deployed in: the recipient of the peacekeepers a benefactor sends
//! there. The table is the project's own (`datasets/un_missions.csv`), compiled into the binary like the
//! country table, so that every command places a mission in the same country.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::countries::{read_records, CountryTable};

const MISSIONS_CSV: &str = include_str!("../../datasets/un_missions.csv");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mission {
    /// The acronym the sources use (`MINUSMA`), upper case.
    pub code: String,
    pub name: String,
    /// ISO-3 code of the country the mission is deployed in (one per mission; see the table's notes for
    /// missions that straddle a border).
    pub host_iso3: String,
    pub start: Date,
    /// The day the mandate ended or is scheduled to end; `None` while no end is set. Withdrawal can run
    /// past it (UNAMID's last units left Darfur in 2021), so deployments are never cut at this date.
    pub end: Option<Date>,
}

#[derive(Debug)]
pub struct MissionTable {
    missions: BTreeMap<String, Mission>,
}

impl MissionTable {
    /// The table shipped with mdime; its integrity is checked by the test suite.
    pub fn builtin() -> &'static MissionTable {
        static TABLE: std::sync::OnceLock<MissionTable> = std::sync::OnceLock::new();
        TABLE.get_or_init(|| {
            MissionTable::from_csv(MISSIONS_CSV, CountryTable::builtin())
                .unwrap_or_else(|e| panic!("the built-in mission table is malformed: {e}"))
        })
    }

    pub fn from_csv(text: &str, countries: &CountryTable) -> Result<MissionTable, String> {
        let mut missions = BTreeMap::new();
        for (line, record) in read_records(text)? {
            let field = |name: &str| record.get(name).map(|v| v.trim().to_string()).unwrap_or_default();
            let date = |name: &str| -> Result<Option<Date>, String> {
                let value = field(name);
                if value.is_empty() {
                    return Ok(None);
                }
                value.parse().map(Some).map_err(|_| format!("un_missions.csv line {line}: {name} `{value}` is not a date YYYY-MM-DD"))
            };
            let code = field("mission").to_uppercase();
            let host = field("host_iso3");
            let host_iso3 = countries
                .country(&host)
                .filter(|c| c.iso3 == host)
                .map(|c| c.iso3.clone())
                .ok_or_else(|| format!("un_missions.csv line {line}: unknown host_iso3 `{host}`"))?;
            let start = date("start")?.ok_or_else(|| format!("un_missions.csv line {line}: no start date"))?;
            let end = date("end")?;
            if end.is_some_and(|end| end < start) {
                return Err(format!("un_missions.csv line {line}: {code} ends before it starts"));
            }
            let mission = Mission { code: code.clone(), name: field("name"), host_iso3, start, end };
            if missions.insert(code.clone(), mission).is_some() {
                return Err(format!("un_missions.csv line {line}: {code} is listed twice"));
            }
        }
        Ok(MissionTable { missions })
    }

    /// The mission an acronym names, however the source cases or spaces it.
    pub fn get(&self, code: &str) -> Option<&Mission> {
        self.missions.get(&code.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase())
    }

    pub fn missions(&self) -> impl Iterator<Item = &Mission> {
        self.missions.values()
    }
}
