//! The reader: raw files → `datasets/`, through the import contract (`crate::ingest`).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::ingest::groups;
use crate::ingest::one_file::{About, CsvFile, Outcome, Row, Text};
use crate::ingest::provenance::{Input, Provenance};
use crate::ingest::table::{self, Column, Kind, TableSpec};
use crate::ingest::text::sha256_hex;
use crate::artefact::csv_bytes;
use crate::domain::{CountryTable, Group, NameMatch, Region, Status};
use crate::error::Result;

/// CGTN's accounts together have some 135 million followers: no account nears ten billion.
const MAX_FOLLOWERS: i64 = 10_000_000_000;
const PLATFORM_COUNT: Kind = Kind::Integer { min: 0, max: MAX_FOLLOWERS, optional: true };

pub const SPEC: TableSpec = TableSpec {
    file: "state_media_accounts.csv",
    command: "mdime import state-media",
    columns: &[
        Column::text("name"),
        Column::text("region_of_focus"),
        Column::text("focus"),
        Column::text("focus_iso3"),
        Column::new("focus_states", Kind::Integer { min: 0, max: 250, optional: false }),
        Column::text("language"),
        Column::text("entity_owner"),
        Column::text("parent_entity"),
        Column::new("x_followers", PLATFORM_COUNT),
        Column::new("facebook_followers", PLATFORM_COUNT),
        Column::new("instagram_followers", PLATFORM_COUNT),
        Column::new("threads_followers", PLATFORM_COUNT),
        Column::new("youtube_subscribers", PLATFORM_COUNT),
        Column::new("tiktok_subscribers", PLATFORM_COUNT),
        Column::new("followers", Kind::Integer { min: 0, max: MAX_FOLLOWERS, optional: false }),
        Column::new("counts_unknown", Kind::Integer { min: 0, max: 6, optional: false }),
    ],
};
/// The derived table's file name inside the datasets folder.
pub const TABLE: &str = SPEC.file;
pub const DEFAULT_FILE: &str = "../shared/data/media/CANIS_PRC_state_media_on_social_media_platforms-2023-11-03.csv";
/// How indicators name the source, followed by its year.
pub const SOURCE_LABEL: &str = "CANIS PRC state media accounts";
pub const CITATION: &str = "CANIS (Canadian Association of Network and Intelligence Studies), PRC state media on social media platforms, \
    list of 3 November 2023 for the Data Visualization and Foreign Interference hackathon (via amjal/canis-hackathon)";
/// The benefactor whose state media the list records, and the snapshot's year.
pub const BENEFACTOR: &str = "CHN";
pub const YEAR: i32 = 2023;

const NAME: &str = "Name (English)";
const FOCUS: &str = "Region of Focus";
const LANGUAGE: &str = "Language";
const OWNER: &str = "Entity owner (English)";
const PARENT: &str = "Parent entity (English)";
/// Each platform's handle column and count column, as the file names them (`Instragram`, sic).
const PLATFORMS: [(&str, &str); 6] = [
    ("X (Twitter) handle", "X (Twitter) Follower #"),
    ("Facebook page", "Facebook Follower #"),
    ("Instragram page", "Instagram Follower #"),
    ("Threads account", "Threads Follower #"),
    ("YouTube account", "YouTube Subscriber #"),
    ("TikTok account", "TikTok Subscriber #"),
];
const REQUIRED: [&str; 17] = [
    NAME,
    FOCUS,
    LANGUAGE,
    OWNER,
    PARENT,
    PLATFORMS[0].0,
    PLATFORMS[0].1,
    PLATFORMS[1].0,
    PLATFORMS[1].1,
    PLATFORMS[2].0,
    PLATFORMS[2].1,
    PLATFORMS[3].0,
    PLATFORMS[3].1,
    PLATFORMS[4].0,
    PLATFORMS[4].1,
    PLATFORMS[5].0,
    PLATFORMS[5].1,
];
/// China's provincial-level divisions (and Tibet and Xinjiang by their common names): a focus on one is
/// a focus on China.
pub const CHINA_PLACES: [&str; 31] = [
    "Anhui", "Beijing", "Chongqing", "Fujian", "Gansu", "Guangdong", "Guangxi", "Guizhou", "Hainan", "Hebei", "Heilongjiang", "Henan",
    "Hubei", "Hunan", "Inner Mongolia", "Jiangsu", "Jiangxi", "Jilin", "Liaoning", "Ningxia", "Qinghai", "Shaanxi", "Shandong",
    "Shanghai", "Shanxi", "Sichuan", "Tianjin", "Tibet", "Xinjiang", "Yunnan", "Zhejiang",
];
/// China and its special administrative regions, by ISO-3 code.
const CHINA: [&str; 3] = ["CHN", "HKG", "MAC"];
/// The list's date: an organisation's members are taken as they stood then.
const LIST_DATE: (i32, u8, u8) = (YEAR, 11, 3);

/// How a focus that names no state is read.
#[derive(Debug, Clone, Copy)]
pub enum Reading {
    /// An organisation in `datasets/groups.csv`, by its code there.
    Organisation(&'static str),
    /// A region of mdime's country table.
    Region(Region),
    /// An audience no state is credited with, and why.
    Worldwide(&'static str),
    /// States none of which is a tracked recipient.
    Outside(&'static str),
}

/// Every name in `Region of Focus` that is neither a country nor a place in China.
pub const REGIONS: [(&str, Reading); 10] = [
    ("African Union", Reading::Organisation("AU")),
    ("ASEAN", Reading::Organisation("ASEAN")),
    ("East African Community", Reading::Organisation("EAC")),
    ("MENA", Reading::Region(Region::MiddleEast)),
    ("Anglosphere", Reading::Worldwide("the English-language outlets (CGTN, China Daily, Xinhua's and People's Daily's English services)")),
    ("la Francophonie", Reading::Worldwide("the French-language services (CGTN Français, CRI Français)")),
    ("Hispanophone", Reading::Worldwide("the Spanish-language services (CGTN Español, Xinhua Español)")),
    ("Lusophone", Reading::Worldwide("the Portuguese-language service (Mundo China)")),
    ("UN", Reading::Worldwide("China's mission and envoys to the United Nations")),
    ("EU", Reading::Outside("the European Union's members, none in the regions mdime tracks")),
];

/// One row of `datasets/state_media_accounts.csv`: one account (a person or outlet, on up to six
/// platforms).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Account {
    pub name: String,
    /// As the list gives it.
    pub region_of_focus: String,
    /// `country`, `group`, `china`, `worldwide` or `outside` (see the module notes).
    pub focus: String,
    /// The state the account is attributed to, or for a group its members joined by `;`; empty for
    /// `china` and `worldwide`.
    pub focus_iso3: String,
    /// How many states share the account's followers: 1 for a country, the members of a group, 0
    /// otherwise.
    pub focus_states: u32,
    pub language: String,
    pub entity_owner: String,
    pub parent_entity: String,
    pub x_followers: Option<u64>,
    pub facebook_followers: Option<u64>,
    pub instagram_followers: Option<u64>,
    pub threads_followers: Option<u64>,
    pub youtube_subscribers: Option<u64>,
    pub tiktok_subscribers: Option<u64>,
    /// The platforms' counts added up.
    pub followers: u64,
    /// Platforms with an account whose count the list does not give.
    pub counts_unknown: u32,
}

#[derive(Debug)]
pub struct ImportReport {
    pub table: PathBuf,
    pub provenance: Provenance,
    pub rows: Vec<Account>,
}

pub fn import(path: &Path, datasets: &Path) -> Result<ImportReport> {
    let countries = CountryTable::builtin();
    let organisations = groups::load(datasets)?;
    let file = CsvFile::read(path, Text::Utf8, &REQUIRED, "CANIS's list of PRC state media accounts")?;
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for index in 0..file.records.len() {
        let mut row = file.row(index, &mut problems);
        let focus = focus(&mut row, countries, &organisations);
        let counts: Vec<Option<Option<u64>>> = PLATFORMS.iter().map(|(_, count)| follower_count(&mut row, count)).collect();
        let Some(counts) = counts.into_iter().collect::<Option<Vec<Option<u64>>>>() else { continue };
        let counts_unknown = PLATFORMS.iter().zip(&counts).filter(|((handle, _), count)| count.is_none() && !row.text(handle).is_empty()).count();
        let Some((kind, members)) = focus else { continue };
        rows.push(Account {
            name: row.text(NAME).to_string(),
            region_of_focus: row.text(FOCUS).to_string(),
            focus: kind.into(),
            focus_iso3: members.join(";"),
            focus_states: members.len() as u32,
            language: row.text(LANGUAGE).to_string(),
            entity_owner: row.text(OWNER).to_string(),
            parent_entity: row.text(PARENT).to_string(),
            x_followers: counts[0],
            facebook_followers: counts[1],
            instagram_followers: counts[2],
            threads_followers: counts[3],
            youtube_subscribers: counts[4],
            tiktok_subscribers: counts[5],
            followers: counts.iter().flatten().sum(),
            counts_unknown: counts_unknown as u32,
        });
    }
    file.check(problems)?;
    let by_kind = |kind: &str| rows.iter().filter(|a| a.focus == kind).count();
    let outcome = Outcome {
        data_generated: format!("list dated 3 November {YEAR}"),
        method: format!(
            "one row per account, every account kept: {} focused on a country; {} on a group of states, attributed to each member \
             in equal shares (organisations' members on {}-{:02}-{:02} by datasets/groups.csv, MENA's as mdime's Middle East region); \
             {} on China or a place in it; {} worldwide and {} outside the tracked regions, attributed to no recipient ({}); \
             `followers` adds up the six platforms' counts; {} accounts have a platform whose count the list does not give",
            by_kind("country"),
            by_kind("group"),
            LIST_DATE.0,
            LIST_DATE.1,
            LIST_DATE.2,
            by_kind("china"),
            by_kind("worldwide"),
            by_kind("outside"),
            REGIONS
                .iter()
                .filter_map(|(name, reading)| match reading {
                    Reading::Worldwide(what) | Reading::Outside(what) => Some(format!("`{name}`: {what}")),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("; "),
            rows.iter().filter(|a| a.counts_unknown > 0).count(),
        ),
        rows_written: rows.len(),
        ..Outcome::default()
    };
    let about = About { table: TABLE, source: "CANIS: PRC state media accounts on social media, with their region of focus and followers", citation: CITATION };
    let mut provenance = file.provenance(about, outcome);
    // The table depends on the organisations' memberships too: their file is named with its hash.
    let groups_path = datasets.join(groups::FILE);
    if let Ok(bytes) = std::fs::read(&groups_path) {
        provenance.inputs = vec![
            Input { lines: file.raw.lines, records_read: file.records.len(), encoding: file.raw.encoding.clone(), ..Input::file(file.raw.file_name(), file.raw.sha256.clone(), "the accounts".into()) },
            Input::file(groups::FILE.into(), sha256_hex(&bytes), "the organisations' members, for accounts focused on one".into()),
        ];
    }
    let table = table::write_table(datasets, &SPEC, &csv_bytes(&rows)?, &mut provenance, path)?;
    Ok(ImportReport { table, provenance, rows })
}

/// The derived table and its provenance, or None when it has not been imported.
pub fn find_table(datasets: &Path) -> Result<Option<(PathBuf, Provenance)>> {
    table::find_table(datasets, &SPEC)
}

/// The kind of an account's focus and the states it is attributed to, or None with a problem.
fn focus(row: &mut Row, countries: &CountryTable, organisations: &[Group]) -> Option<(&'static str, Vec<String>)> {
    let name = row.text(FOCUS);
    if let Some((_, reading)) = REGIONS.iter().find(|(r, _)| r.eq_ignore_ascii_case(name)) {
        return match reading {
            Reading::Organisation(code) => match organisations.iter().find(|g| g.code == *code) {
                Some(group) => Some(("group", group.members_on(LIST_DATE).into_iter().map(|m| m.member).collect())),
                None => {
                    row.problem(FOCUS, format!("`{name}` is the organisation `{code}`, which datasets/{} does not list", groups::FILE));
                    None
                }
            },
            Reading::Region(region) => {
                let members = countries.countries().iter().filter(|c| c.region == *region && c.status == Status::State);
                Some(("group", members.map(|c| c.iso3.clone()).collect()))
            }
            Reading::Worldwide(_) => Some(("worldwide", Vec::new())),
            Reading::Outside(_) => Some(("outside", Vec::new())),
        };
    }
    if CHINA_PLACES.iter().any(|p| p.eq_ignore_ascii_case(name)) {
        return Some(("china", Vec::new()));
    }
    match countries.resolve(name) {
        Some(NameMatch::Country(c)) if CHINA.contains(&c.iso3.as_str()) => Some(("china", Vec::new())),
        Some(NameMatch::Country(c)) => Some(("country", vec![c.iso3.clone()])),
        Some(NameMatch::NonCountry(kind)) => {
            row.problem(FOCUS, format!("`{name}` is {kind}, not a country or a region this import reads (`REGIONS` in src/sources/state_media/reader.rs)"));
            None
        }
        None => {
            row.problem(FOCUS, countries.unknown_in_data(name));
            None
        }
    }
}

/// A follower count: Some(None) for an empty cell, Some(Some(n)) for a count, None (with a problem)
/// otherwise.
fn follower_count(row: &mut Row, column: &str) -> Option<Option<u64>> {
    let text = row.text(column);
    if text.is_empty() {
        return Some(None);
    }
    match text.parse::<u64>() {
        Ok(n) => Some(Some(n)),
        Err(_) => {
            row.problem(column, format!("expected a whole number of followers or an empty cell, found `{text}`"));
            None
        }
    }
}
