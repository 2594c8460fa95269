//! The ICEWS temporal-knowledge-graph benchmark sets: quadruples `s<TAB>r<TAB>o<TAB>t` of integer ids,
//! with `entity2id.txt` and `relation2id.txt` naming them, in a zip or a folder.
//!
//! No set says what its `t` means, and each means something else: ICEWS14 counts days of 2014 from 1,
//! ICEWS18 hours of 2018 from 0, zrLLM's ICEWS21 and ICEWS22 days from 0, TAME's ICEWS22 (last quarter)
//! and ICEWS23 days from 1. A set is recognised by its numbers of entities and relations, which fix its
//! calendar (`PROFILES`, each checked against dated peaks of known events in SOURCES.md); a set mdime does
//! not know is refused, since its `t` cannot be placed on a calendar. Its quirks are handled on purpose:
//! ICEWS14 writes `_` for spaces and quotes two names CSV-style; zrLLM's zero-shot splits hold relations
//! out of the training months, which are then covered only for July–August; zrLLM's ICEWS22 repeats a
//! line for each ICEWS record of the same event, counted once here as in every other set; ICEWS23's
//! `quadruple.txt` repeats `train` + `valid` + `test` byte for byte and is not read twice.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use jiff::ToSpan;

use super::actors::{split_sector, Actor, Directory};
use super::cameo::Rule;
use super::collect::{Collector, Family, Record, Side};
use crate::domain::CountryTable;
use crate::error::{Error, Problem, Result};
use crate::ingest::text::{decode_bytes, Decoded};

/// How a set counts time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Day,
    /// Hours since the year's first midnight, always a multiple of 24.
    Hour,
}

/// A benchmark set mdime knows, and its calendar.
#[derive(Debug, Clone, Copy)]
pub struct Profile {
    pub name: &'static str,
    pub entities: usize,
    pub relations: usize,
    pub year: i16,
    pub unit: Unit,
    /// The `t` of 1 January (in the set's unit).
    pub origin: i64,
    /// Names written with `_` for spaces (`Military_(Russia)`).
    pub underscores: bool,
    /// A zero-shot split: `test` holds relations absent from `train`, for the last months only.
    pub zero_shot: bool,
}

pub const PROFILES: &[Profile] = &[
    Profile { name: "ICEWS14 benchmark", entities: 7128, relations: 230, year: 2014, unit: Unit::Day, origin: 1, underscores: true, zero_shot: false },
    Profile { name: "ICEWS18 benchmark", entities: 23033, relations: 256, year: 2018, unit: Unit::Hour, origin: 0, underscores: false, zero_shot: false },
    Profile { name: "ICEWS21 zero-shot benchmark (zrLLM)", entities: 18205, relations: 253, year: 2021, unit: Unit::Day, origin: 0, underscores: false, zero_shot: true },
    Profile { name: "ICEWS22 zero-shot benchmark (zrLLM)", entities: 999, relations: 248, year: 2022, unit: Unit::Day, origin: 0, underscores: false, zero_shot: true },
    Profile { name: "ICEWS22 last-quarter benchmark (TAME)", entities: 23530, relations: 259, year: 2022, unit: Unit::Day, origin: 1, underscores: false, zero_shot: false },
    Profile { name: "ICEWS23 benchmark (TAME)", entities: 13076, relations: 233, year: 2023, unit: Unit::Day, origin: 1, underscores: false, zero_shot: false },
];

pub const LAYOUT: &str = "ICEWS benchmark quadruples";
const SPLITS: [&str; 3] = ["train", "valid", "test"];

/// A file of a set, decoded once (`text::decode_bytes`: byte-order mark, CRLF, encoding), with its raw
/// bytes for the hash.
struct Member {
    name: String,
    decoded: Decoded,
}

/// Where a set's files are.
#[derive(Debug, Clone)]
pub enum Container {
    Zip(PathBuf),
    Folder(PathBuf),
}

impl Container {
    pub fn path(&self) -> &Path {
        match self {
            Container::Zip(p) | Container::Folder(p) => p,
        }
    }

    pub fn label(&self) -> String {
        self.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }

    fn members(&self) -> Result<Vec<Member>> {
        let read_err = |path: &Path, e: std::io::Error| Error::Read { path: path.to_path_buf(), source: e };
        let mut members = Vec::new();
        match self {
            Container::Zip(path) => {
                let file = std::fs::File::open(path).map_err(|e| read_err(path, e))?;
                let mut archive = zip::ZipArchive::new(file).map_err(|e| Error::Format { path: path.clone(), message: format!("not a readable zip archive: {e}") })?;
                for i in 0..archive.len() {
                    let mut entry = archive.by_index(i).map_err(|e| Error::Format { path: path.clone(), message: format!("zip entry {i}: {e}") })?;
                    if entry.is_dir() {
                        continue;
                    }
                    let name = entry.name().map_err(|e| Error::Format { path: path.clone(), message: format!("zip entry {i}: {e}") })?.rsplit('/').next().unwrap_or_default().to_string();
                    let mut bytes = Vec::new();
                    entry.read_to_end(&mut bytes).map_err(|e| read_err(&path.join(&name), e))?;
                    members.push(Member { decoded: decode_bytes(&path.join(&name), bytes)?, name });
                }
            }
            Container::Folder(path) => {
                let mut entries: Vec<PathBuf> =
                    std::fs::read_dir(path).map_err(|e| read_err(path, e))?.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
                entries.sort();
                for entry in entries {
                    let bytes = std::fs::read(&entry).map_err(|e| read_err(&entry, e))?;
                    members.push(Member { name: entry.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), decoded: decode_bytes(&entry, bytes)? });
                }
            }
        }
        members.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(members)
    }
}

/// The id maps every benchmark set has beside its quadruples.
const ID_MAPS: [&str; 2] = ["entity2id.txt", "relation2id.txt"];

/// Whether a folder's or a zip's file names make it a benchmark set. Part of one (an id map, or the
/// splits `train.txt`, `valid.txt`, `test.txt`, without both id maps) is an error naming the missing
/// map: read one by one, the quadruples would be refused as no event layout, which hides the cause.
pub fn is_set(names: &[String], path: &Path) -> Result<bool> {
    let has = |name: &str| names.iter().any(|n| n == name);
    let missing: Vec<&str> = ID_MAPS.into_iter().filter(|m| !has(m)).collect();
    if missing.is_empty() {
        return Ok(true);
    }
    let splits: Vec<String> = SPLITS.iter().map(|s| format!("{s}.txt")).filter(|s| has(s)).collect();
    if missing.len() == ID_MAPS.len() && splits.is_empty() {
        return Ok(false);
    }
    let present: Vec<&str> = ID_MAPS.iter().copied().filter(|m| has(m)).chain(splits.iter().map(String::as_str)).collect();
    Err(Error::Format {
        path: path.to_path_buf(),
        message: format!(
            "an ICEWS benchmark set ({} found) without its id map {}: the quadruples' ids cannot be named; copy {} from the same release beside them",
            crate::ingest::one_file::quote_list(&present),
            crate::ingest::one_file::quote_list(&missing),
            missing.join(" and ")
        ),
    })
}

/// The names inside a zip, to tell a set from a zipped event file.
pub fn zip_names(path: &Path) -> Result<Vec<String>> {
    let file = std::fs::File::open(path).map_err(|e| Error::Read { path: path.to_path_buf(), source: e })?;
    let archive = zip::ZipArchive::new(file).map_err(|e| Error::Format { path: path.to_path_buf(), message: format!("not a readable zip archive: {e}") })?;
    Ok(archive.file_names().filter_map(|n| n.ok()).map(|n| n.rsplit('/').next().unwrap_or_default().to_string()).collect())
}

/// An id map's names in id order; ids must run 0, 1, 2 … (a name CSV-quoted by its writer is unquoted).
fn id_map(path: &Path, member: &Member, problems: &mut Vec<Problem>) -> Result<Vec<String>> {
    let text = &member.decoded.text;
    let mut names: Vec<Option<String>> = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let problem = |message: String| Problem { path: path.to_path_buf(), line: n + 1, column: "id".into(), message };
        let Some((name, id)) = line.rsplit_once('\t') else {
            problems.push(problem(format!("expected `name<TAB>id`, found `{line}`")));
            continue;
        };
        let Ok(id) = id.trim().parse::<usize>() else {
            problems.push(problem(format!("expected a whole-number id, found `{id}`")));
            continue;
        };
        if id >= names.len() {
            names.resize(id + 1, None);
        }
        if names[id].replace(unquote(name)).is_some() {
            problems.push(problem(format!("id {id} is given twice")));
        }
    }
    if let Some(missing) = names.iter().position(Option::is_none) {
        problems.push(Problem { path: path.to_path_buf(), line: 0, column: "id".into(), message: format!("id {missing} is missing: ids must run 0, 1, 2 …") });
    }
    Ok(names.into_iter().map(Option::unwrap_or_default).collect())
}

/// `"Nicholas_""Nick""_Xenophon"` → `Nicholas_"Nick"_Xenophon`.
fn unquote(name: &str) -> String {
    match name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => name.to_string(),
    }
}

/// A line of four whole numbers, or None.
fn quadruple(line: &str) -> Option<[i64; 4]> {
    let mut fields = line.split('\t');
    let mut out = [0i64; 4];
    for slot in &mut out {
        *slot = fields.next()?.trim().parse().ok()?;
    }
    fields.next().is_none().then_some(out)
}

/// What a member of a set is, from its name and content.
enum Kind {
    Quadruples(&'static str),
    IdMap,
    /// Not event data, with what it is.
    Auxiliary(&'static str),
}

fn kind(member: &Member) -> Option<Kind> {
    let stem = member.name.strip_suffix(".txt").unwrap_or(&member.name);
    let first = member.decoded.text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let fields = first.split('\t').count();
    let numeric = !first.is_empty() && first.split('\t').all(|f| f.trim().parse::<i64>().is_ok());
    match (stem, numeric, fields) {
        ("entity2id" | "relation2id", false, 2) => Some(Kind::IdMap),
        (_, true, 4) => SPLITS.iter().chain(&["quadruple"]).find(|s| **s == stem).map(|s| Kind::Quadruples(s)),
        (_, true, 3) => Some(Kind::Auxiliary("entity–word graph (e-w-graph.txt): not events")),
        ("word2id", false, 2) => Some(Kind::Auxiliary("word ids: not events")),
        ("stat", true, _) => Some(Kind::Auxiliary("entity and relation counts, checked against the id maps")),
        ("stat", _, _) if first.split_whitespace().all(|f| f.parse::<i64>().is_ok()) => {
            Some(Kind::Auxiliary("entity and relation counts, checked against the id maps"))
        }
        ("relation_explanation", _, _) => Some(Kind::Auxiliary("one machine-written sentence per relation: not ICEWS text")),
        _ if member.name.ends_with(".py") => Some(Kind::Auxiliary("the benchmark authors' script: not data")),
        _ => None,
    }
}

/// An entity resolved once: a country or a sector of one (fixed), or a person, whose office depends on
/// the day.
enum Entity {
    Fixed(Actor),
    Person,
}

/// Reads one benchmark set into the collector.
pub fn read(container: &Container, directory: &Directory, countries: &CountryTable, collector: &mut Collector) -> Result<()> {
    let members = container.members()?;
    let path_of = |name: &str| container.path().join(name);
    let mut problems = Vec::new();
    let mut entities = None;
    let mut relations = None;
    let mut kinds = Vec::new();
    for member in &members {
        let Some(k) = kind(member) else {
            let first: String = member.decoded.text.lines().next().unwrap_or("").chars().take(80).collect();
            return Err(Error::Format {
                path: path_of(&member.name),
                message: format!(
                    "line 1: `{first}` is no file of an ICEWS benchmark set; expected quadruples `s<TAB>r<TAB>o<TAB>t` named train, valid, test or quadruple, the id maps entity2id.txt and relation2id.txt (`name<TAB>id`), or the sets' auxiliary files (stat.txt, e-w-graph.txt, word2id.txt, relation_explanation.txt)"
                ),
            });
        };
        if let Kind::IdMap = k {
            let names = id_map(&path_of(&member.name), member, &mut problems)?;
            if member.name.starts_with("entity") {
                entities = Some(names);
            } else {
                relations = Some(names);
            }
        }
        kinds.push(k);
    }
    if !problems.is_empty() {
        return Err(Error::Invalid { path: container.path().to_path_buf(), problems });
    }
    let (Some(entities), Some(relations)) = (entities, relations) else {
        return Err(Error::Format { path: container.path().to_path_buf(), message: "a benchmark set needs entity2id.txt and relation2id.txt".into() });
    };
    let quadruples: Vec<(&Member, &'static str)> = members.iter().zip(&kinds).filter_map(|(m, k)| if let Kind::Quadruples(s) = k { Some((m, *s)) } else { None }).collect();
    let t_range = quadruples
        .iter()
        .flat_map(|(m, _)| m.decoded.text.lines().filter_map(quadruple).map(|q| q[3]))
        .fold(None, |acc: Option<(i64, i64)>, t| Some(acc.map_or((t, t), |(a, b)| (a.min(t), b.max(t)))));
    let Some(profile) = PROFILES.iter().find(|p| p.entities == entities.len() && p.relations == relations.len()) else {
        let known: Vec<String> = PROFILES.iter().map(|p| format!("{} ({} entities, {} relations)", p.name, p.entities, p.relations)).collect();
        let t = t_range.map_or("no quadruple".to_string(), |(a, b)| format!("t from {a} to {b}"));
        return Err(Error::Format {
            path: container.path().to_path_buf(),
            message: format!(
                "an ICEWS benchmark set with {} entities and {} relations ({t}), which is none mdime knows; its t has no stated calendar, so its days cannot be placed. Known sets: {}",
                entities.len(),
                relations.len(),
                known.join("; ")
            ),
        });
    };
    let label = format!("{} ({})", profile.name, container.label());
    let source = collector.start_source(label, Family::Icews, true);

    // Names once per entity: `_` as spaces where the set writes them so.
    let display: Vec<String> = entities.iter().map(|e| if profile.underscores { e.replace('_', " ") } else { e.clone() }).collect();
    let resolved: Vec<Entity> = display
        .iter()
        .map(|name| match (split_sector(name), countries.resolve(name)) {
            (None, None) if directory.has_person(name) => Entity::Person,
            _ => Entity::Fixed(directory.icews(countries, name, Date::constant(2000, 1, 1))),
        })
        .collect();
    let codes: Vec<Option<&str>> = relations.iter().map(|r| collector.mapping.code_of_name(r)).collect();
    let code_text: Vec<String> = relations.iter().map(|r| r.replace('_', " ")).collect();
    let rules: Vec<Vec<&Rule>> = codes.iter().map(|c| c.and_then(|c| collector.mapping.cameo(c)).into_iter().collect()).collect();

    let day_of = |t: i64| -> Option<Date> {
        let units = t - profile.origin;
        let days = match profile.unit {
            Unit::Day => units,
            Unit::Hour if units % 24 == 0 => units / 24,
            Unit::Hour => return None,
        };
        let first = Date::new(profile.year, 1, 1).ok()?;
        let date = first.checked_add(days.days()).ok()?;
        (date.year() == profile.year).then_some(date)
    };

    // A quadruple file that repeats the splits byte for byte is not read again.
    let concatenated: Vec<u8> = SPLITS
        .iter()
        .filter_map(|s| quadruples.iter().find(|(_, split)| split == s))
        .flat_map(|(m, _)| m.decoded.bytes.iter().copied())
        .collect();
    // Zero-shot: relations with events outside `train` and none in it are covered only on the other splits' days.
    let mut in_train = BTreeSet::new();
    let mut later: BTreeMap<usize, usize> = BTreeMap::new();
    let mut later_days = BTreeSet::new();
    if profile.zero_shot {
        for (m, split) in &quadruples {
            for q in m.decoded.text.lines().filter_map(quadruple) {
                if *split == "train" {
                    in_train.insert(q[1] as usize);
                } else if *split != "quadruple" {
                    *later.entry(q[1] as usize).or_default() += 1;
                    later_days.extend(day_of(q[3]));
                }
            }
        }
        let held: BTreeSet<String> =
            later.keys().filter(|r| !in_train.contains(r)).filter_map(|&r| codes.get(r).copied().flatten()).map(String::from).collect();
        collector.hold_out(source, held, later_days);
    }

    for (member, kind) in members.iter().zip(&kinds) {
        let path = path_of(&member.name);
        let input = collector.start(source, format!("{}/{}", container.label(), member.name), member.decoded.sha256(), String::new());
        let decoded = &member.decoded;
        collector.tally(input).lines = decoded.lines();
        match kind {
            Kind::Auxiliary(what) => {
                collector.tally(input).layout = format!("{LAYOUT}: {what}");
                if what.starts_with("entity and relation counts") {
                    check_stat(&path, &decoded.text, entities.len(), relations.len())?;
                }
            }
            Kind::IdMap => {
                let what = if member.name.starts_with("entity") { "entity names" } else { "relation names (CAMEO event descriptions)" };
                collector.tally(input).layout = format!("{LAYOUT}: {what}");
                if member.name.starts_with("relation") {
                    for (_, name) in relations.iter().enumerate().filter(|(r, _)| codes[*r].is_none()) {
                        collector.tally(input).unresolved.insert(format!("relation `{name}` names no CAMEO 1.1b3 code"), 1);
                    }
                }
            }
            Kind::Quadruples(split) if *split == "quadruple" && !concatenated.is_empty() && member.decoded.bytes == concatenated => {
                let rows = decoded.text.lines().filter(|l| !l.trim().is_empty()).count();
                let layout = format!("{LAYOUT}, {}: t in {} from {}; the train, valid and test files concatenated", profile.name, unit_label(profile.unit), profile.origin);
                collector.tally(input).layout = layout;
                collector.exclude(input, "the file repeats train, valid and test byte for byte: read once, from those", rows);
            }
            Kind::Quadruples(split) => {
                let layout = format!(
                    "{LAYOUT}, {}: {split} split; t in {} of {} from {} (t = {} is 1 January)",
                    profile.name,
                    unit_label(profile.unit),
                    profile.year,
                    profile.origin,
                    profile.origin
                );
                collector.tally(input).layout = layout;
                let mut person_cache: HashMap<(usize, Date), Actor> = HashMap::new();
                let mut unresolved = vec![0usize; entities.len()];
                let mut problems = Vec::new();
                for (n, line) in decoded.text.lines().enumerate() {
                    if line.trim().is_empty() {
                        continue;
                    }
                    let problem = |column: &str, message: String| Problem { path: path.clone(), line: n + 1, column: column.into(), message };
                    let Some([s, r, o, t]) = quadruple(line) else {
                        problems.push(problem("(record)", format!("expected four whole numbers `s<TAB>r<TAB>o<TAB>t`, found `{line}`")));
                        continue;
                    };
                    let (s, r, o) = (s as usize, r as usize, o as usize);
                    if s >= entities.len() || o >= entities.len() {
                        problems.push(problem("s/o", format!("entity id out of range (the set has {})", entities.len())));
                        continue;
                    }
                    if r >= relations.len() {
                        problems.push(problem("r", format!("relation id {r} out of range (the set has {})", relations.len())));
                        continue;
                    }
                    let Some(date) = day_of(t) else {
                        problems.push(problem("t", format!("t = {t} is no day of {} in {} from {}", profile.year, unit_label(profile.unit), profile.origin)));
                        continue;
                    };
                    for e in [s, o] {
                        if matches!(resolved[e], Entity::Person) {
                            person_cache.entry((e, date)).or_insert_with(|| directory.person(&display[e], date).unwrap_or(Actor::NOBODY));
                        }
                    }
                    let actor = |e: usize| -> &Actor {
                        match &resolved[e] {
                            Entity::Fixed(a) => a,
                            Entity::Person => &person_cache[&(e, date)],
                        }
                    };
                    let (source_actor, target_actor) = (actor(s), actor(o));
                    for (e, a) in [(s, source_actor), (o, target_actor)] {
                        if a.country.is_none() {
                            unresolved[e] += 1;
                        }
                    }
                    let record = Record {
                        line: n + 1,
                        id: "",
                        date,
                        code: codes[r].unwrap_or(&relations[r]),
                        known: codes[r].is_some(),
                        rules: &rules[r],
                        source: Side { key: &entities[s], name: &display[s], actor: source_actor },
                        target: Side { key: &entities[o], name: &display[o], actor: target_actor },
                        text: &code_text[r],
                        url: "",
                    };
                    collector.push(input, &record, true);
                }
                let tally = collector.tally(input);
                for (e, &n) in unresolved.iter().enumerate().filter(|(_, n)| **n > 0) {
                    tally.unresolved.insert(display[e].clone(), n);
                }
                if !problems.is_empty() {
                    return Err(Error::Invalid { path, problems });
                }
            }
        }
    }
    Ok(())
}

fn unit_label(unit: Unit) -> &'static str {
    match unit {
        Unit::Day => "days",
        Unit::Hour => "hours",
    }
}

/// `stat.txt` gives the entity and relation counts (and a third number the sets leave at 0).
fn check_stat(path: &Path, text: &str, entities: usize, relations: usize) -> Result<()> {
    let numbers: Vec<usize> = text.split_whitespace().filter_map(|n| n.parse().ok()).collect();
    if numbers.len() < 2 || numbers[0] != entities || numbers[1] != relations {
        return Err(Error::Format {
            path: path.to_path_buf(),
            message: format!("gives {numbers:?}, but the id maps have {entities} entities and {relations} relations"),
        });
    }
    Ok(())
}
