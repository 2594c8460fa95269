//! `mdime diff`: what changed between two runs, by how much, and why. The stage after export: it reads
//! two output folders of `mdime run` (their `assessments.csv`, `projections.csv`, `indicators.csv` and
//! `manifest.json`) and never recomputes anything, so it compares runs made by different versions or on
//! different inputs alike.
//!
//! A change is a rating's level or confidence, an overall rating's level, confidence or projected
//! direction, or a projected series' direction. Each carries its causes as the runs record them: the
//! window indicator values of that pair and instrument that moved (for a projection, the series' yearly
//! values), the evidence-log events that entered or left it, and the inputs whose SHA-256 changed and
//! that feed it (a derived table feeding the instrument, the recipient's evidence log, the rubric).
//! Changed settings (as-of year, window, recipients, version) are listed once, above the changes.

pub mod report;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::domain::CurrentLevel;
use crate::error::{Error, Result};
use crate::export::manifest::Manifest;
use crate::export::{ASSESSMENTS_CSV, INDICATORS_CSV, PROJECTIONS_CSV};

/// What kind of output changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// An overall rating of a benefactor in a recipient.
    Overall,
    /// A rating on one of the twelve instruments.
    Rating,
    /// A projected series (`projections.csv`).
    Projection,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Overall => "overall",
            Kind::Rating => "rating",
            Kind::Projection => "projection",
        }
    }
}

/// One changed field of one rating or projection, with what moved behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub kind: Kind,
    /// The benefactor's and recipient's names, and the recipient's ISO-3 code.
    pub benefactor: String,
    pub recipient: String,
    pub iso3: String,
    /// Instrument code, or `overall`.
    pub instrument: String,
    /// The rating's score indicator (the later run's, else the earlier's), or the projected series.
    pub indicator: String,
    /// `current`, `confidence`, `projected` (ratings) or `direction` (projections).
    pub field: &'static str,
    /// The labels before and after; empty where the row is absent from that run.
    pub old: String,
    pub new: String,
    /// For a level: how many steps it moved on the five-level scale (positive = up), where both are levels.
    pub steps: Option<i32>,
    /// The score behind a rating, or the projected value of a series, before and after.
    pub old_value: Option<f64>,
    pub new_value: Option<f64>,
    /// What moved behind it: `indicator old → new` for the pair's window indicators, `year: old → new`
    /// for a projected series' yearly values, `E1 High → Very High` for an overall rating's instruments.
    pub moved: Vec<String>,
    pub evidence_added: Vec<String>,
    pub evidence_removed: Vec<String>,
    /// Inputs feeding it whose SHA-256 differs between the runs (or that only one run read).
    pub inputs_changed: Vec<String>,
}

/// A setting or input that differs between the two runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub what: String,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    pub old_dir: PathBuf,
    pub new_dir: PathBuf,
    /// Settings from the manifests (version, as-of year, window, benefactors, recipients, options).
    pub settings: Vec<Difference>,
    /// Inputs from the manifests, by file: SHA-256 before and after (`absent` where one run lacks it).
    pub inputs: Vec<Difference>,
    /// Why the settings and inputs could not be compared, where a run has no manifest.
    pub notes: Vec<String>,
    /// Ratings compared (rows present in either run) and projections compared.
    pub ratings_compared: usize,
    pub projections_compared: usize,
    /// Overall ratings first, then instrument ratings, then projections; each by benefactor, recipient,
    /// instrument.
    pub changes: Vec<Change>,
}

impl Diff {
    pub fn of(&self, kind: Kind) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.kind == kind)
    }
}

#[derive(Debug, Clone, Deserialize)]
struct RatingRow {
    benefactor: String,
    recipient: String,
    iso3: String,
    instrument: String,
    current: String,
    projected: String,
    confidence: String,
    score: Option<f64>,
    score_indicator: String,
    drivers: String,
    evidence_ids: String,
}

#[derive(Debug, Clone, Deserialize)]
struct ProjectionRow {
    benefactor: String,
    recipient: String,
    iso3: String,
    instrument: String,
    indicator: String,
    base_year: i32,
    projected_value: Option<f64>,
    direction: String,
    events: String,
}

#[derive(Debug, Clone, Deserialize)]
struct IndicatorRow {
    benefactor: String,
    iso3: String,
    instrument: String,
    indicator: String,
    period: String,
    first_year: i32,
    value: f64,
}

/// One of a rating's labels.
type RatingField = fn(&RatingRow) -> &str;

/// benefactor name, ISO-3, instrument code (or `overall`)
type PairKey = (String, String, String);

/// One run's folder, read.
struct Run {
    manifest: Option<Manifest>,
    ratings: BTreeMap<PairKey, RatingRow>,
    projections: BTreeMap<(PairKey, String), ProjectionRow>,
    /// Window values by pair, instrument and indicator.
    window: BTreeMap<(PairKey, String), f64>,
    /// Yearly values by pair, instrument, indicator and year.
    yearly: BTreeMap<(PairKey, String), BTreeMap<i32, f64>>,
}

impl Run {
    /// Whether the run projected anything: one made only to be compared (the same run a year earlier)
    /// projects nothing, and its Unknown directions are no change.
    fn projected(&self) -> bool {
        !self.projections.is_empty()
    }
}

/// A run's tables: an output folder of `mdime run`, or tables held in memory under a name (a run made
/// only to be compared, or one about to be written).
#[derive(Debug, Clone, Copy)]
pub enum Tables<'a> {
    Folder(&'a Path),
    Memory { name: &'a Path, files: &'a [(String, Vec<u8>)] },
}

impl<'a> Tables<'a> {
    fn name(&self) -> &'a Path {
        match self {
            Tables::Folder(dir) => dir,
            Tables::Memory { name, .. } => name,
        }
    }

    /// A table's bytes, or None where the run has no such table.
    fn bytes(&self, file: &str) -> Result<Option<Cow<'a, [u8]>>> {
        match *self {
            Tables::Folder(dir) => {
                let path = dir.join(file);
                if !path.exists() {
                    return Ok(None);
                }
                std::fs::read(&path).map(|bytes| Some(Cow::Owned(bytes))).map_err(|source| Error::Read { path, source })
            }
            Tables::Memory { files, .. } => Ok(files.iter().find(|(name, _)| name == file).map(|(_, bytes)| Cow::Borrowed(bytes.as_slice()))),
        }
    }
}

fn read_rows<T: for<'de> Deserialize<'de>>(tables: Tables, file: &str, required: bool) -> Result<Vec<T>> {
    let path = tables.name().join(file);
    let Some(bytes) = tables.bytes(file)? else {
        if required {
            return Err(Error::Format {
                path,
                message: "missing: `mdime diff` compares two output folders of `mdime run` with its CSV tables (--format csv)".into(),
            });
        }
        return Ok(Vec::new());
    };
    csv::Reader::from_reader(bytes.as_ref())
        .deserialize()
        .enumerate()
        .map(|(i, row)| row.map_err(|e| Error::Format { path: path.clone(), message: format!("line {}: {e}", i + 2) }))
        .collect()
}

impl Run {
    fn read(tables: Tables) -> Result<Run> {
        if let Tables::Folder(dir) = tables {
            if !dir.is_dir() {
                return Err(Error::option("mdime diff", format!("{} is not a folder", dir.display())));
            }
        }
        let key = |b: &str, r: &str, i: &str| (b.to_string(), r.to_string(), i.to_string());
        let ratings = read_rows::<RatingRow>(tables, ASSESSMENTS_CSV, true)?
            .into_iter()
            .map(|r| (key(&r.benefactor, &r.iso3, &r.instrument), r))
            .collect();
        let projections = read_rows::<ProjectionRow>(tables, PROJECTIONS_CSV, false)?
            .into_iter()
            .map(|p| ((key(&p.benefactor, &p.iso3, &p.instrument), p.indicator.clone()), p))
            .collect();
        let mut window = BTreeMap::new();
        let mut yearly: BTreeMap<(PairKey, String), BTreeMap<i32, f64>> = BTreeMap::new();
        for v in read_rows::<IndicatorRow>(tables, INDICATORS_CSV, false)? {
            let k = (key(&v.benefactor, &v.iso3, &v.instrument), v.indicator);
            if v.period == "window" {
                window.insert(k, v.value);
            } else {
                yearly.entry(k).or_default().insert(v.first_year, v.value);
            }
        }
        let manifest = match tables.bytes(crate::export::manifest::FILE)? {
            Some(bytes) => Some(Manifest::parse(&bytes, &tables.name().join(crate::export::manifest::FILE))?),
            None => None,
        };
        Ok(Run { manifest, ratings, projections, window, yearly })
    }
}

/// Compares the runs in two output folders. Errors name a folder or file that is not a run's.
pub fn compare(old_dir: &Path, new_dir: &Path) -> Result<Diff> {
    compare_tables(Tables::Folder(old_dir), Tables::Folder(new_dir))
}

/// Compares two runs' tables, wherever they are held. Errors name a table that is not a run's.
pub fn compare_tables(old_tables: Tables, new_tables: Tables) -> Result<Diff> {
    let (old, new) = (Run::read(old_tables)?, Run::read(new_tables)?);
    let (old_dir, new_dir) = (old_tables.name(), new_tables.name());
    let mut notes = Vec::new();
    let (settings, inputs) = match (&old.manifest, &new.manifest) {
        (Some(a), Some(b)) => (settings(a, b), inputs(a, b)),
        _ => {
            for (dir, run) in [(old_dir, &old), (new_dir, &new)] {
                if run.manifest.is_none() {
                    notes.push(format!("{} has no {}: settings and inputs cannot be compared", dir.display(), crate::export::manifest::FILE));
                }
            }
            (Vec::new(), Vec::new())
        }
    };
    let causes = Causes { old: &old, new: &new, inputs: &inputs };

    let mut changes = Vec::new();
    let rating_keys: BTreeSet<&PairKey> = old.ratings.keys().chain(new.ratings.keys()).collect();
    for key in &rating_keys {
        changes.extend(rating_changes(key, old.ratings.get(*key), new.ratings.get(*key), &causes));
    }
    let projection_keys: BTreeSet<&(PairKey, String)> = old.projections.keys().chain(new.projections.keys()).collect();
    for key in &projection_keys {
        changes.extend(projection_change(key, old.projections.get(*key), new.projections.get(*key), &causes));
    }
    changes.sort_by(|a, b| {
        (a.kind, &a.benefactor, &a.iso3, instrument_order(&a.instrument), &a.indicator, a.field)
            .cmp(&(b.kind, &b.benefactor, &b.iso3, instrument_order(&b.instrument), &b.indicator, b.field))
    });
    Ok(Diff {
        old_dir: old_dir.to_path_buf(),
        new_dir: new_dir.to_path_buf(),
        settings,
        inputs,
        notes,
        ratings_compared: rating_keys.len(),
        projections_compared: projection_keys.len(),
        changes,
    })
}

/// Instruments in the framework's order (D, I, M, E), `overall` last.
fn instrument_order(code: &str) -> usize {
    crate::domain::Instrument::ALL.iter().position(|i| i.code() == code).unwrap_or(usize::MAX)
}

fn level(label: &str) -> Option<CurrentLevel> {
    crate::render::LEVELS.into_iter().find(|l| l.label() == label)
}

/// Steps on the five-level scale from one label to another, where both are levels.
fn steps(old: &str, new: &str) -> Option<i32> {
    let rank = |label: &str| level(label).and_then(|l| l.rank()).map(i32::from);
    Some(rank(new)? - rank(old)?)
}

fn ids(text: &str) -> BTreeSet<&str> {
    text.split_whitespace().collect()
}

fn differences(what: &str, old: String, new: String, out: &mut Vec<Difference>) {
    if old != new {
        out.push(Difference { what: what.to_string(), old, new });
    }
}

fn settings(a: &Manifest, b: &Manifest) -> Vec<Difference> {
    let mut out = Vec::new();
    let parties = |list: &[crate::export::manifest::Party]| list.iter().map(|p| p.iso3.as_str()).collect::<Vec<_>>().join(" ");
    differences("mdime version", a.mdime_version.clone(), b.mdime_version.clone(), &mut out);
    differences("as-of year", a.as_of.to_string(), b.as_of.to_string(), &mut out);
    differences("window", format!("{}-{}", a.window[0], a.window[1]), format!("{}-{}", b.window[0], b.window[1]), &mut out);
    differences("current years", format!("{}-{}", a.current[0], a.current[1]), format!("{}-{}", b.current[0], b.current[1]), &mut out);
    differences("benefactors", parties(&a.benefactors), parties(&b.benefactors), &mut out);
    let (old_recipients, new_recipients): (BTreeSet<&str>, BTreeSet<&str>) =
        (a.recipients.iter().map(|p| p.iso3.as_str()).collect(), b.recipients.iter().map(|p| p.iso3.as_str()).collect());
    if old_recipients != new_recipients {
        let only = |x: &BTreeSet<&str>, y: &BTreeSet<&str>| x.difference(y).copied().collect::<Vec<_>>().join(" ");
        out.push(Difference {
            what: "recipients".into(),
            old: format!("{} recipients; only here: {}", old_recipients.len(), only(&old_recipients, &new_recipients)),
            new: format!("{} recipients; only here: {}", new_recipients.len(), only(&new_recipients, &old_recipients)),
        });
    }
    differences(
        "attribute USSR to Russia",
        a.attribute_ussr_to_russia.to_string(),
        b.attribute_ussr_to_russia.to_string(),
        &mut out,
    );
    out
}

/// The name under which `inputs` lists the rubric.
const RUBRIC: &str = "rubric";

fn inputs(a: &Manifest, b: &Manifest) -> Vec<Difference> {
    let mut out = Vec::new();
    differences(RUBRIC, a.rubric.sha256.clone(), b.rubric.sha256.clone(), &mut out);
    let hashes = |m: &Manifest| -> BTreeMap<String, String> {
        m.tables.iter().map(|t| (t.file.clone(), t.sha256.clone())).chain(m.curated.iter().map(|l| (l.file.clone(), l.sha256.clone()))).collect()
    };
    let (old, new) = (hashes(a), hashes(b));
    let files: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let absent = || String::from("absent");
    for file in files {
        differences(file, old.get(file).cloned().unwrap_or_else(absent), new.get(file).cloned().unwrap_or_else(absent), &mut out);
    }
    // A changed table's raw files that changed with it: which publisher's file is new.
    for table in &b.tables {
        let Some(before) = a.tables.iter().find(|t| t.file == table.file && t.sha256 != table.sha256) else { continue };
        let raw = |t: &crate::export::manifest::TableRecord| t.inputs.iter().map(|i| (i.sha256.clone(), i.file.clone())).collect::<BTreeMap<_, _>>();
        let (was, is) = (raw(before), raw(table));
        let gone: Vec<&String> = was.iter().filter(|(h, _)| !is.contains_key(*h)).map(|(_, f)| f).collect();
        let came: Vec<&String> = is.iter().filter(|(h, _)| !was.contains_key(*h)).map(|(_, f)| f).collect();
        if !gone.is_empty() || !came.is_empty() {
            let list = |files: &[&String]| files.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(" ");
            out.push(Difference { what: format!("{} raw files", table.file), old: list(&gone), new: list(&came) });
        }
    }
    out
}

/// Everything needed to say why a rating or projection moved.
struct Causes<'a> {
    old: &'a Run,
    new: &'a Run,
    inputs: &'a [Difference],
}

impl Causes<'_> {
    fn both_projected(&self) -> bool {
        self.old.projected() && self.new.projected()
    }

    /// The changed inputs that feed an instrument in a recipient: derived tables feeding the instrument
    /// (per either manifest), the recipient's own evidence log, and the rubric where `rated`.
    fn inputs_for(&self, iso3: &str, instrument: &str, rated: bool) -> Vec<String> {
        let feeds = |file: &str| {
            [&self.old.manifest, &self.new.manifest]
                .into_iter()
                .flatten()
                .any(|m| m.tables.iter().any(|t| t.file == file && t.instruments.iter().any(|i| i == instrument)))
        };
        let log = format!("{}/{iso3}.csv", crate::sources::evidence::FOLDER);
        self.inputs
            .iter()
            .filter(|d| (d.what == RUBRIC && rated) || d.what == log || feeds(&d.what))
            .map(|d| d.what.clone())
            .collect()
    }

    /// The window indicators of a pair's instrument whose values differ, the score indicator first.
    fn window_moved(&self, key: &PairKey, first: &str) -> Vec<String> {
        let of = |run: &Run| -> BTreeMap<String, f64> {
            run.window.range((key.clone(), String::new())..).take_while(|((k, _), _)| k == key).map(|((_, i), v)| (i.clone(), *v)).collect()
        };
        let (old, new) = (of(self.old), of(self.new));
        let names: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
        let mut moved: Vec<(bool, String)> = names
            .into_iter()
            .filter(|n| old.get(*n) != new.get(*n))
            .map(|n| (n.as_str() != first, format!("{n} {} → {}", number(old.get(n)), number(new.get(n)))))
            .collect();
        moved.sort();
        moved.into_iter().map(|(_, text)| text).collect()
    }

    /// A series' yearly values that differ, as `year: old → new`.
    fn yearly_moved(&self, key: &(PairKey, String)) -> Vec<String> {
        let empty = BTreeMap::new();
        let (old, new) = (self.old.yearly.get(key).unwrap_or(&empty), self.new.yearly.get(key).unwrap_or(&empty));
        let years: BTreeSet<&i32> = old.keys().chain(new.keys()).collect();
        years
            .into_iter()
            .filter(|y| old.get(*y) != new.get(*y))
            .map(|y| format!("{y}: {} → {}", number(old.get(y)), number(new.get(y))))
            .collect()
    }
}

/// A value as the CSV gives it, `-` where there is none.
fn number(value: Option<&f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| v.to_string())
}

fn rating_changes(key: &PairKey, old: Option<&RatingRow>, new: Option<&RatingRow>, causes: &Causes) -> Vec<Change> {
    let either = new.or(old).expect("a key comes from one of the runs");
    let overall = either.instrument == "overall";
    let label = |row: Option<&RatingRow>, field: RatingField| row.map_or(String::new(), |r| field(r).to_string());
    let mut fields: Vec<(&'static str, RatingField)> = vec![("current", |r| &r.current), ("confidence", |r| &r.confidence)];
    if overall && causes.both_projected() {
        fields.push(("projected", |r| &r.projected));
    }
    let changed: Vec<(&'static str, String, String)> = fields
        .into_iter()
        .map(|(name, field)| (name, label(old, field), label(new, field)))
        .filter(|(_, a, b)| a != b)
        .collect();
    if changed.is_empty() {
        return Vec::new();
    }
    let old_ids = old.map_or(BTreeSet::new(), |r| ids(&r.evidence_ids));
    let new_ids = new.map_or(BTreeSet::new(), |r| ids(&r.evidence_ids));
    let (moved, inputs) = if overall {
        overall_moved(key, causes)
    } else {
        (causes.window_moved(key, &either.score_indicator), causes.inputs_for(&key.1, &key.2, true))
    };
    changed
        .into_iter()
        .map(|(field, a, b)| Change {
            kind: if overall { Kind::Overall } else { Kind::Rating },
            benefactor: either.benefactor.clone(),
            recipient: either.recipient.clone(),
            iso3: either.iso3.clone(),
            instrument: either.instrument.clone(),
            indicator: either.score_indicator.clone(),
            field,
            steps: if field == "current" { steps(&a, &b) } else { None },
            old: a,
            new: b,
            old_value: old.and_then(|r| r.score),
            new_value: new.and_then(|r| r.score),
            moved: moved.clone(),
            evidence_added: new_ids.difference(&old_ids).map(|s| s.to_string()).collect(),
            evidence_removed: old_ids.difference(&new_ids).map(|s| s.to_string()).collect(),
            inputs_changed: inputs.clone(),
        })
        .collect()
}

/// Behind an overall rating: its instruments whose level changed, and among its drivers (in either run)
/// those whose confidence or projected direction changed, which set the overall's; the drivers if they
/// changed; and the inputs behind those instruments.
fn overall_moved(key: &PairKey, causes: &Causes) -> (Vec<String>, Vec<String>) {
    fn row<'a>(run: &'a Run, key: &PairKey, instrument: &str) -> Option<&'a RatingRow> {
        run.ratings.get(&(key.0.clone(), key.1.clone(), instrument.to_string()))
    }
    let drivers = |run: &Run| row(run, key, &key.2).map_or(String::new(), |r| r.drivers.clone());
    let (old_drivers, new_drivers) = (drivers(causes.old), drivers(causes.new));
    let mut moved = Vec::new();
    let mut inputs = BTreeSet::new();
    for instrument in crate::domain::Instrument::ALL.map(|i| i.code()) {
        let driver = old_drivers.split_whitespace().chain(new_drivers.split_whitespace()).any(|d| d == instrument);
        let fields: [(&str, RatingField, bool); 3] =
            [("", |r| &r.current, true), ("confidence ", |r| &r.confidence, driver), ("projected ", |r| &r.projected, driver && causes.both_projected())];
        let before = moved.len();
        for (name, field, shown) in fields {
            let value = |run: &Run| row(run, key, instrument).map_or("-", field).to_string();
            let (a, b) = (value(causes.old), value(causes.new));
            if shown && a != b {
                moved.push(format!("{instrument} {name}{a} → {b}"));
            }
        }
        if moved.len() > before {
            inputs.extend(causes.inputs_for(&key.1, instrument, true));
        }
    }
    if old_drivers != new_drivers {
        let label = |d: &str| if d.is_empty() { "-".to_string() } else { d.to_string() };
        moved.push(format!("drivers {} → {}", label(&old_drivers), label(&new_drivers)));
    }
    (moved, inputs.into_iter().collect())
}

fn projection_change(key: &(PairKey, String), old: Option<&ProjectionRow>, new: Option<&ProjectionRow>, causes: &Causes) -> Option<Change> {
    let direction = |row: Option<&ProjectionRow>| row.map_or(String::new(), |p| p.direction.clone());
    let (a, b) = (direction(old), direction(new));
    if a == b {
        return None;
    }
    let either = new.or(old)?;
    let old_events = old.map_or(BTreeSet::new(), |p| ids(&p.events));
    let new_events = new.map_or(BTreeSet::new(), |p| ids(&p.events));
    let mut moved = Vec::new();
    if let (Some(o), Some(n)) = (old, new) {
        if o.base_year != n.base_year {
            moved.push(format!("base year {} → {}", o.base_year, n.base_year));
        }
    }
    moved.extend(causes.yearly_moved(key));
    Some(Change {
        kind: Kind::Projection,
        benefactor: either.benefactor.clone(),
        recipient: either.recipient.clone(),
        iso3: either.iso3.clone(),
        instrument: either.instrument.clone(),
        indicator: either.indicator.clone(),
        field: "direction",
        old: a,
        new: b,
        steps: None,
        old_value: old.and_then(|p| p.projected_value),
        new_value: new.and_then(|p| p.projected_value),
        moved,
        evidence_added: new_events.difference(&old_events).map(|s| s.to_string()).collect(),
        evidence_removed: old_events.difference(&new_events).map(|s| s.to_string()).collect(),
        inputs_changed: causes.inputs_for(&key.0 .1, &key.0 .2, false),
    })
}
