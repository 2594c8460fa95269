//! The rules every event goes through, whatever its layout: which side is a benefactor and which a
//! tracked recipient, whether both are state bodies, what the act counts for and whether the actors it
//! needs take part, which way it may go, and whether it repeats an event already counted. Each record is
//! kept or set aside for the first rule it fails, counted per input file. Then the days each input covers,
//! with one source per day (and per year between kinds of source), and the yearly tables.
//!
//! An input is read alone into a `Collector`, which keeps what it contributes (a `Part`): everything that
//! does not depend on the inputs read before it, and, for what does (a day an earlier source covers, an
//! event an earlier file counted), the records to decide it on. `Merged` adds the parts in reading order
//! and decides those, so that a part kept from an earlier import (`cache`) counts exactly as the file
//! read again would.
//!
//! The records to decide on, and the events kept, are on disk (`spill`), never all in memory: sorted by
//! event, an event's records come together, the first read first, which decides repeats as reading them
//! in order would; the events kept are then sorted in the order the yearly counts add them up, and their
//! rows in the table's order, to be written as they come.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::actors::{Actor, Role};
use super::cameo::{Mapping, Requires, Rule};
use super::spill::{Sorted, Sorter, Spill, Spool, Unspool};
use crate::artefact::Scratch;
use crate::domain::{CountryTable, Instrument};
use crate::error::{Error, Result};

/// Why a record was set aside; each is counted per input file.
pub const NO_BENEFACTOR: &str = "neither side is a benefactor";
pub const NOT_RECIPIENT: &str =
    "the benefactor's counterpart is not a tracked recipient (another country, a region, an organisation, a person outside the office holders, or no one)";
pub const NOT_STATE: &str = "a side is not a state body (citizens, firms, parties, media, rebels, local officials)";
pub const NOT_COUNTED: &str = "the act counts for no instrument (statements, demands, protests, conflict)";
pub const UNKNOWN_CODE: &str = "the act's code is not in the CAMEO 1.1b3 list";
pub const NEEDS_DEFENCE: &str = "the act counts only with a military, defence or intelligence actor on a side";
pub const NEEDS_SENIOR: &str = "the act counts only with a head of state or government, or a defence actor, on a side";
pub const WRONG_WAY: &str = "the act counts only from the benefactor to the recipient (aid, protection), and went the other way";
pub const REPEAT: &str = "another record of an event already counted (same actors, act and day)";
pub const SAME_ID: &str = "the same record (by its event id) as one counted from another file (ICEWS's daily files overlap)";

/// A source's kind: days (and years) are given to one kind at a time, since their counts are not on
/// one scale (GDELT codes many times more events a day than ICEWS). The order is the precedence on a tie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Family {
    Icews,
    Polecat,
    Gdelt,
}

impl Family {
    pub fn label(self) -> &'static str {
        match self {
            Family::Icews => "ICEWS",
            Family::Polecat => "POLECAT",
            Family::Gdelt => "GDELT",
        }
    }
}

/// One input file (or zip member) and what became of its records.
#[derive(Debug, Serialize, Deserialize)]
pub struct Tally {
    pub file: String,
    pub sha256: String,
    pub layout: String,
    /// The source it belongs to (a benchmark set's members share one).
    pub source: usize,
    pub lines: usize,
    pub records: usize,
    pub kept: usize,
    pub reasons: BTreeMap<String, usize>,
    /// Names or codes that resolved to no country, with their records, for the provenance.
    pub unresolved: BTreeMap<String, usize>,
    /// The days a file of ingestion reports on (ICEWS's daily and weekly files): a record dated outside
    /// is a late report, counted as an event but not making its day covered. Set when the file's part
    /// is merged: it depends on the other files of the import.
    #[serde(skip)]
    window: Option<(Date, Date)>,
}

impl Tally {
    fn exclude(&mut self, reason: &str, n: usize) {
        *self.reasons.entry(reason.to_string()).or_default() += n;
    }
}

/// A source: one file, or a benchmark set of several, and the days it covers.
#[derive(Debug, Serialize, Deserialize)]
pub struct Source {
    pub label: String,
    pub family: Family,
    /// Whether the files that start a source of this label and family make one source together
    /// (ICEWS's Dataverse files, of which no file owns a day).
    shared: bool,
    /// Days covered, with the share of the day (a GDELT 2.0 update covers a 96th), for dated sources.
    #[serde(with = "exact_days")]
    days: BTreeMap<Date, f64>,
    /// Days covered per year, for sources that give only years (an aggregate).
    #[serde(with = "exact_values")]
    year_days: BTreeMap<i16, f64>,
    /// Codes this source covers only on some of its days (a zero-shot benchmark split holds relations
    /// out of its training months), and those days.
    #[serde(with = "held_out")]
    held_out: Option<(BTreeSet<String>, BTreeSet<Date>)>,
    /// Whether each record's day counts as covered, rather than what the reader says.
    covers_by_record: bool,
    /// Year → ISO-3 → records naming the country on either side.
    seen: BTreeMap<i16, BTreeMap<String, usize>>,
}

impl Source {
    /// Adds another part's share of the same source.
    fn absorb(&mut self, other: Source) {
        for (day, share) in other.days {
            *self.days.entry(day).or_default() += share;
        }
        for (year, days) in other.year_days {
            *self.year_days.entry(year).or_default() += days;
        }
        for (year, countries) in other.seen {
            let seen = self.seen.entry(year).or_default();
            for (iso3, n) in countries {
                *seen.entry(iso3).or_default() += n;
            }
        }
        if self.held_out.is_none() {
            self.held_out = other.held_out;
        }
    }
}

/// f64 values kept as their bits in a part: a part read back adds up to the same last digit as the file
/// read again.
mod exact_values {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<K: Serialize, S: Serializer>(map: &BTreeMap<K, f64>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(map.iter().map(|(k, v)| (k, v.to_bits())))
    }

    pub fn deserialize<'de, K: Deserialize<'de> + Ord, D: Deserializer<'de>>(deserializer: D) -> Result<BTreeMap<K, f64>, D::Error> {
        Ok(BTreeMap::<K, u64>::deserialize(deserializer)?.into_iter().map(|(k, v)| (k, f64::from_bits(v))).collect())
    }
}

/// A day as `2018-06-01`, in a part.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Iso(Date);

impl Serialize for Iso {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Iso {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?.parse().map(Iso).map_err(serde::de::Error::custom)
    }
}

mod iso {
    use jiff::civil::Date;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
        super::Iso(*date).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        Ok(super::Iso::deserialize(deserializer)?.0)
    }
}

/// Days and their shares, as `exact_values`.
mod exact_days {
    use std::collections::BTreeMap;

    use jiff::civil::Date;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(map: &BTreeMap<Date, f64>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(map.iter().map(|(k, v)| (super::Iso(*k), v.to_bits())))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<BTreeMap<Date, f64>, D::Error> {
        Ok(BTreeMap::<super::Iso, u64>::deserialize(deserializer)?.into_iter().map(|(k, v)| (k.0, f64::from_bits(v))).collect())
    }
}

mod held_out {
    use std::collections::BTreeSet;

    use jiff::civil::Date;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    type Held = Option<(BTreeSet<String>, BTreeSet<Date>)>;

    pub fn serialize<S: Serializer>(held: &Held, serializer: S) -> Result<S::Ok, S::Error> {
        held.as_ref().map(|(codes, days)| (codes, days.iter().map(|d| super::Iso(*d)).collect::<Vec<_>>())).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Held, D::Error> {
        let held = Option::<(BTreeSet<String>, Vec<super::Iso>)>::deserialize(deserializer)?;
        Ok(held.map(|(codes, days)| (codes, days.into_iter().map(|d| d.0).collect())))
    }
}

/// One f64 kept as its bits, as `exact_values`.
mod exact {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(x: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(x.to_bits())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        u64::deserialize(deserializer).map(f64::from_bits)
    }
}

/// One side of a record as read: an identity for spotting repeats, a name to show, and what it resolved to.
#[derive(Debug, Clone, Copy)]
pub struct Side<'r> {
    pub key: &'r str,
    pub name: &'r str,
    pub actor: &'r Actor,
}

/// One record, borrowed from the reader: nothing is copied unless it is kept.
#[derive(Debug, Clone, Copy)]
pub struct Record<'r, 'm> {
    pub line: usize,
    pub id: &'r str,
    pub date: Date,
    /// The act's code as the source gives it (`042`, `CONSULT/visit`).
    pub code: &'r str,
    /// Whether the code is in the codebook at all.
    pub known: bool,
    pub rules: &'r [&'m Rule],
    pub source: Side<'r>,
    pub target: Side<'r>,
    pub text: &'r str,
    pub url: &'r str,
}

/// An event kept: the first record of it, how many records repeat it, and what it counts for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Kept {
    pub input: usize,
    pub line: usize,
    pub id: String,
    #[serde(with = "iso")]
    pub date: Date,
    pub code: String,
    pub source: String,
    pub target: String,
    pub text: String,
    pub url: String,
    pub records: usize,
    pub counts: Vec<Count>,
}

/// One benefactor × recipient × instrument an event counts for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Count {
    pub benefactor: String,
    pub recipient: String,
    pub instrument: Instrument,
    #[serde(with = "exact")]
    pub weight: f64,
    /// The benefactor was the source (`true`) or the target.
    pub from_benefactor: bool,
}

/// Events counted in a year by an aggregate (the SQL file's result), without their rows.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Aggregated {
    pub input: usize,
    pub benefactor: String,
    pub recipient: String,
    pub instrument: Instrument,
    pub year: i16,
    pub events: usize,
    #[serde(with = "exact")]
    pub weighted: f64,
}

/// The records one input pushed with one date: what becomes of them when an earlier source covers the
/// day is decided on merging.
#[derive(Debug, Serialize, Deserialize)]
pub struct Day {
    pub input: usize,
    #[serde(with = "iso")]
    pub date: Date,
    pub records: usize,
    /// The records set aside by the rules, by reason.
    pub reasons: BTreeMap<String, usize>,
    /// ISO-3 → records naming the country on either side, where the reader counts them by record.
    pub seen: BTreeMap<String, usize>,
}

/// A record that passed the rules, in its file's order: whether it repeats an event counted before, by
/// its id or by its actors, act and day, is decided on merging.
#[derive(Debug, Serialize, Deserialize)]
pub struct Candidate {
    /// Whether the record has an id of its own (the kept event's `id` then is it).
    pub has_id: bool,
    pub source_key: String,
    pub target_key: String,
    pub kept: Kept,
}

impl Kept {
    fn heap_bytes(&self) -> usize {
        let counts: usize = self.counts.iter().map(|c| std::mem::size_of::<Count>() + c.benefactor.len() + c.recipient.len()).sum();
        self.id.len() + self.code.len() + self.source.len() + self.target.len() + self.text.len() + self.url.len() + counts
    }
}

impl Spill for Candidate {
    fn heap_bytes(&self) -> usize {
        self.source_key.len() + self.target_key.len() + self.kept.heap_bytes()
    }
}

/// What one input (a file, a zip member, a benchmark set) contributes, read alone. Indices of sources
/// and inputs are the part's own.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Part {
    pub sources: Vec<Source>,
    pub tallies: Vec<Tally>,
    pub aggregated: Vec<Aggregated>,
    pub days: Vec<Day>,
    /// The file its candidates are spooled to, in reading order (none when it has none): a year of
    /// GDELT has millions. Kept beside the part between imports (`cache`).
    #[serde(skip)]
    pub candidates: Option<PathBuf>,
}

type EventKey = (Date, String, String, String);

/// One input being read: the rules it is read by, and its part.
pub struct Collector<'m> {
    pub mapping: &'m Mapping,
    benefactors: BTreeSet<String>,
    tracked: BTreeSet<String>,
    part: Part,
    days: BTreeMap<(usize, Date), Day>,
    /// Where the candidates go, opened with the first; the first error writing them, given on `into_part`.
    spool_to: PathBuf,
    spool: Option<Spool<Candidate>>,
    failed: Option<Error>,
}

impl<'m> Collector<'m> {
    /// A collector whose candidates are spooled to the file `spool_to`, made with the first.
    pub fn new(mapping: &'m Mapping, countries: &CountryTable, benefactors: &[String], spool_to: PathBuf) -> Collector<'m> {
        let tracked = countries.countries().iter().filter(|c| c.is_tracked_recipient()).map(|c| c.iso3.clone()).collect();
        Collector {
            mapping,
            benefactors: benefactors.iter().cloned().collect(),
            tracked,
            part: Part::default(),
            days: BTreeMap::new(),
            spool_to,
            spool: None,
            failed: None,
        }
    }

    pub fn is_benefactor(&self, iso3: &str) -> bool {
        self.benefactors.contains(iso3)
    }

    pub fn is_tracked(&self, iso3: &str) -> bool {
        self.tracked.contains(iso3)
    }

    /// Starts a source; its files are started under the index returned. `covers_by_record`: each record's
    /// day counts as covered (ICEWS, POLECAT); otherwise the reader says what it covers (GDELT's update
    /// times, an aggregate's years).
    pub fn start_source(&mut self, label: String, family: Family, covers_by_record: bool) -> usize {
        self.part.sources.push(Source {
            label,
            family,
            shared: false,
            days: BTreeMap::new(),
            year_days: BTreeMap::new(),
            held_out: None,
            covers_by_record,
            seen: BTreeMap::new(),
        });
        self.part.sources.len() - 1
    }

    /// Starts a source that every input starting one of the same label and family joins.
    pub fn start_shared_source(&mut self, label: String, family: Family, covers_by_record: bool) -> usize {
        let source = self.start_source(label, family, covers_by_record);
        self.part.sources[source].shared = true;
        source
    }

    /// Starts one file of a source; its records are pushed under the index returned.
    pub fn start(&mut self, source: usize, file: String, sha256: String, layout: String) -> usize {
        self.part.tallies.push(Tally {
            file,
            sha256,
            layout,
            source,
            lines: 0,
            records: 0,
            kept: 0,
            reasons: BTreeMap::new(),
            unresolved: BTreeMap::new(),
            window: None,
        });
        self.part.tallies.len() - 1
    }

    pub fn tally(&mut self, input: usize) -> &mut Tally {
        &mut self.part.tallies[input]
    }

    /// Records set aside by the reader before they became records of this shape (GDELT's bulk filter).
    pub fn exclude(&mut self, input: usize, reason: &str, n: usize) {
        self.part.tallies[input].records += n;
        self.part.tallies[input].exclude(reason, n);
    }

    pub fn cover(&mut self, source: usize, day: Date, share: f64) {
        *self.part.sources[source].days.entry(day).or_default() += share;
    }

    pub fn cover_year(&mut self, source: usize, year: i16, days: f64) {
        *self.part.sources[source].year_days.entry(year).or_default() += days;
    }

    pub fn hold_out(&mut self, source: usize, codes: BTreeSet<String>, days: BTreeSet<Date>) {
        self.part.sources[source].held_out = Some((codes, days));
    }

    pub fn see(&mut self, source: usize, year: i16, iso3: &str, records: usize) {
        count_in(self.part.sources[source].seen.entry(year).or_default(), iso3, records);
    }

    pub fn aggregate(&mut self, row: Aggregated) {
        self.part.tallies[row.input].records += 1;
        self.part.tallies[row.input].kept += 1;
        self.part.aggregated.push(row);
    }

    /// Applies the rules to one record; `seen` is false where the reader has counted the countries itself.
    /// What depends on the inputs read before (the day's source, a repeat) is left to `Merged::add`.
    pub fn push(&mut self, input: usize, record: &Record<'_, 'm>, seen: bool) {
        let outcome = self.counts(record);
        let day = self.days.entry((input, record.date)).or_insert_with(|| Day {
            input,
            date: record.date,
            records: 0,
            reasons: BTreeMap::new(),
            seen: BTreeMap::new(),
        });
        day.records += 1;
        if seen {
            for side in [record.source, record.target] {
                if let Some(iso3) = &side.actor.country {
                    count_in(&mut day.seen, iso3, 1);
                }
            }
        }
        match outcome {
            Err(reason) => count_in(&mut day.reasons, reason, 1),
            Ok(counts) => {
                if self.failed.is_some() {
                    return;
                }
                let candidate = Candidate {
                    has_id: !record.id.is_empty(),
                    source_key: record.source.key.to_string(),
                    target_key: record.target.key.to_string(),
                    kept: Kept {
                        input,
                        line: record.line,
                        // A record without an id of its own is known by its file and line.
                        id: if record.id.is_empty() { format!("{}:{}", self.part.tallies[input].file, record.line) } else { record.id.to_string() },
                        date: record.date,
                        code: record.code.to_string(),
                        source: record.source.name.to_string(),
                        target: record.target.name.to_string(),
                        text: record.text.to_string(),
                        url: record.url.to_string(),
                        records: 1,
                        counts,
                    },
                };
                if self.spool.is_none() {
                    match Spool::create(self.spool_to.clone()) {
                        Ok(spool) => self.spool = Some(spool),
                        Err(e) => {
                            self.failed = Some(e);
                            return;
                        }
                    }
                }
                self.failed = self.spool.as_mut().expect("opened above").push(&candidate).err();
            }
        }
    }

    /// The input's part, once read.
    pub fn into_part(mut self) -> Result<Part> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        self.part.days = self.days.into_values().collect();
        self.part.candidates = self.spool.map(Spool::finish).transpose()?;
        Ok(self.part)
    }

    /// What a record counts for, or the first rule it fails.
    fn counts<'r>(&self, record: &Record<'r, 'm>) -> Result<Vec<Count>, &'static str> {
        let (source, target) = (record.source.actor, record.target.actor);
        let benefactor = |a: &'r Actor| a.country.as_deref().filter(|c| self.is_benefactor(c));
        if benefactor(source).is_none() && benefactor(target).is_none() {
            return Err(NO_BENEFACTOR);
        }
        // (benefactor's side, recipient's side, the benefactor is the source)
        let mut orientations: Vec<(&'r Actor, &'r Actor, bool)> = Vec::new();
        for (b, r, forward) in [(source, target, true), (target, source, false)] {
            if let (Some(bc), Some(rc)) = (benefactor(b), r.country.as_deref()) {
                if bc != rc && self.is_tracked(rc) {
                    orientations.push((b, r, forward));
                }
            }
        }
        if orientations.is_empty() {
            return Err(NOT_RECIPIENT);
        }
        if !(source.role.state && target.role.state) {
            return Err(NOT_STATE);
        }
        if record.rules.is_empty() {
            return Err(if record.known { NOT_COUNTED } else { UNKNOWN_CODE });
        }
        let either = |f: fn(Role) -> bool| f(source.role) || f(target.role);
        let mut counts = Vec::new();
        let mut failed = None;
        for rule in record.rules {
            let allowed = match rule.requires {
                Requires::None => true,
                Requires::Defence => either(|r| r.defence),
                Requires::SeniorOrDefence => either(|r| r.defence || r.senior),
            };
            if !allowed {
                failed.get_or_insert(if rule.requires == Requires::Defence { NEEDS_DEFENCE } else { NEEDS_SENIOR });
                continue;
            }
            for &(b, r, forward) in &orientations {
                if !(rule.cooperative || forward) {
                    failed.get_or_insert(WRONG_WAY);
                    continue;
                }
                counts.push(Count {
                    benefactor: b.country.clone().expect("a benefactor side has a country"),
                    recipient: r.country.clone().expect("a recipient side has a country"),
                    instrument: rule.instrument,
                    weight: rule.weight,
                    from_benefactor: forward,
                });
            }
        }
        if counts.is_empty() {
            return Err(failed.unwrap_or(NOT_COUNTED));
        }
        Ok(counts)
    }
}

/// Adds `n` to `key`'s count, copying the key only when it is new.
fn count_in(counts: &mut BTreeMap<String, usize>, key: &str, n: usize) {
    match counts.get_mut(key) {
        Some(count) => *count += n,
        None => {
            counts.insert(key.to_string(), n);
        }
    }
}

/// Equality and order by each type's `key()`.
macro_rules! ordered_by_key {
    ($($t:ty),*) => {$(
        impl PartialEq for $t {
            fn eq(&self, other: &Self) -> bool {
                self.key() == other.key()
            }
        }

        impl Eq for $t {}

        impl PartialOrd for $t {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $t {
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.key().cmp(&other.key())
            }
        }
    )*};
}

ordered_by_key!(Placed, InOrder, RowInOrder);

/// A candidate on its way through the merge: its place in reading order over every part, and its
/// source's kind. Ordered by event (actors, act and day) and then place, so that an event's records
/// come together, the first read first.
#[derive(Debug, Serialize, Deserialize)]
struct Placed {
    pos: u64,
    family: Family,
    candidate: Candidate,
}

impl Placed {
    fn event(&self) -> (Date, &str, &str, &str) {
        let c = &self.candidate;
        (c.kept.date, &c.source_key, &c.kept.code, &c.target_key)
    }

    fn key(&self) -> ((Date, &str, &str, &str), u64) {
        (self.event(), self.pos)
    }
}

impl Spill for Placed {
    fn heap_bytes(&self) -> usize {
        self.candidate.heap_bytes()
    }
}

/// A record with an id of its own and the event it records, ordered by id: whether an id ever names
/// two events.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Named {
    family: Family,
    id: String,
    #[serde(with = "iso")]
    date: Date,
    source_key: String,
    code: String,
    target_key: String,
}

impl Spill for Named {
    fn heap_bytes(&self) -> usize {
        self.id.len() + self.source_key.len() + self.code.len() + self.target_key.len()
    }
}

/// An event kept, in the order the yearly counts add it up: by day, act and actors, then as read.
#[derive(Debug, Serialize, Deserialize)]
struct InOrder {
    pos: u64,
    kept: Kept,
}

impl InOrder {
    fn key(&self) -> (Date, &str, &str, &str, usize, usize, u64) {
        let k = &self.kept;
        (k.date, &k.code, &k.source, &k.target, k.input, k.line, self.pos)
    }
}

impl Spill for InOrder {
    fn heap_bytes(&self) -> usize {
        self.kept.heap_bytes()
    }
}

/// A row of `event_rows.parquet` in the table's order: benefactor, recipient, instrument, day, act,
/// actors, file and line, then as read (`pos`) and the event's counts in turn (`n`).
#[derive(Debug, Serialize, Deserialize)]
pub struct RowInOrder {
    pos: u64,
    n: usize,
    pub row: EventRow,
}

impl RowInOrder {
    #[allow(clippy::type_complexity)]
    fn key(&self) -> (&str, &str, &str, &str, &str, &str, &str, &str, usize, u64, usize) {
        let r = &self.row;
        (&r.benefactor_iso3, &r.recipient_iso3, &r.instrument, &r.date, &r.code, &r.source_actor, &r.target_actor, &r.file, r.line, self.pos, self.n)
    }
}

impl Spill for RowInOrder {
    fn heap_bytes(&self) -> usize {
        let r = &self.row;
        [&r.date, &r.benefactor_iso3, &r.recipient_iso3, &r.instrument, &r.code, &r.source_actor, &r.target_actor, &r.text, &r.url, &r.event_id, &r.file]
            .iter()
            .map(|s| s.len())
            .sum()
    }
}

/// The parts of an import, added in reading order. Their candidates are sorted on disk (`spill`):
/// memory holds the parts' days and counts, not their events.
pub struct Merged<'m> {
    mapping: &'m Mapping,
    scratch: &'m Scratch,
    benefactors: BTreeSet<String>,
    tallies: Vec<Tally>,
    sources: Vec<Source>,
    /// The candidates by event, and the records with an id of their own by id.
    by_event: Sorter<'m, Placed>,
    by_id: Sorter<'m, Named>,
    /// The place in reading order of the next candidate.
    next: u64,
    aggregated: Vec<Aggregated>,
}

impl<'m> Merged<'m> {
    pub fn new(mapping: &'m Mapping, benefactors: &[String], scratch: &'m Scratch) -> Merged<'m> {
        Merged {
            mapping,
            scratch,
            benefactors: benefactors.iter().cloned().collect(),
            tallies: Vec::new(),
            sources: Vec::new(),
            by_event: Sorter::new(scratch, "events"),
            by_id: Sorter::new(scratch, "ids"),
            next: 0,
            aggregated: Vec::new(),
        }
    }

    /// The source of the same kind, read earlier, that already covers a day: ICEWS's full yearly files are
    /// read before the benchmark subsets, so that a day both have is taken from the full record.
    fn day_taken_by(&self, source: usize, day: Date) -> Option<usize> {
        let family = self.sources[source].family;
        (0..source).find(|&s| self.sources[s].family == family && self.sources[s].days.contains_key(&day))
    }

    /// Adds one input's part, read after every part added before: its records on a day an earlier source
    /// covers are set aside; which of its events were counted before is decided in `finish`. `window`:
    /// the days its files report on (ICEWS's daily files, whose windows depend on the other files of the
    /// import).
    pub fn add(&mut self, part: Part, window: Option<(Date, Date)>) -> Result<()> {
        let Part { sources, tallies, aggregated, days, candidates } = part;
        let source_at: Vec<usize> = sources
            .into_iter()
            .map(|source| {
                let same = |s: &Source| s.shared && source.shared && s.label == source.label && s.family == source.family;
                match self.sources.iter().position(same) {
                    Some(s) => {
                        self.sources[s].absorb(source);
                        s
                    }
                    None => {
                        self.sources.push(source);
                        self.sources.len() - 1
                    }
                }
            })
            .collect();
        let first = self.tallies.len();
        self.tallies.extend(tallies.into_iter().map(|t| Tally { source: source_at[t.source], window, ..t }));
        self.aggregated.extend(aggregated.into_iter().map(|a| Aggregated { input: first + a.input, ..a }));

        let mut taken = HashSet::new();
        for day in days {
            let input = first + day.input;
            let source = self.tallies[input].source;
            self.tallies[input].records += day.records;
            if self.sources[source].covers_by_record {
                if let Some(other) = self.day_taken_by(source, day.date) {
                    let reason = format!("the day is covered by {}, read first (ICEWS's full files before a benchmark subset)", self.sources[other].label);
                    self.tallies[input].exclude(&reason, day.records);
                    taken.insert((input, day.date));
                    continue;
                }
                if self.tallies[input].window.is_none_or(|(from, to)| (from..=to).contains(&day.date)) {
                    self.sources[source].days.insert(day.date, 1.0);
                }
            }
            let seen = self.sources[source].seen.entry(day.date.year()).or_default();
            for (iso3, n) in day.seen {
                *seen.entry(iso3).or_default() += n;
            }
            for (reason, n) in day.reasons {
                self.tallies[input].exclude(&reason, n);
            }
        }

        let Some(path) = candidates else { return Ok(()) };
        for candidate in Unspool::<Candidate>::open(&path)? {
            let mut candidate = candidate?;
            let input = first + candidate.kept.input;
            if taken.contains(&(input, candidate.kept.date)) {
                continue;
            }
            candidate.kept.input = input;
            let family = self.sources[self.tallies[input].source].family;
            if candidate.has_id {
                let (c, k) = (&candidate, &candidate.kept);
                self.by_id.push(Named { family, id: k.id.clone(), date: k.date, source_key: c.source_key.clone(), code: k.code.clone(), target_key: c.target_key.clone() })?;
            }
            self.by_event.push(Placed { pos: self.next, family, candidate })?;
            self.next += 1;
        }
        Ok(())
    }

    /// Whether no id names two events. Then each event's first record is kept and the others repeat it
    /// (or are the same record, by id), which the candidates sorted by event tell; otherwise a record
    /// set aside by its id may leave its event to a later record, and the candidates are taken in
    /// reading order.
    fn ids_name_one_event(ids: Sorted<Named>) -> Result<bool> {
        let mut last: Option<Named> = None;
        for named in ids {
            let named = named?;
            if let Some(l) = &last {
                let same_id = l.family == named.family && l.id == named.id;
                if same_id && (&l.date, &l.source_key, &l.code, &l.target_key) != (&named.date, &named.source_key, &named.code, &named.target_key) {
                    return Ok(false);
                }
            }
            last = Some(named);
        }
        Ok(true)
    }

    /// Decides which candidates are events kept, which repeat one (adding to its records) and which
    /// are the same record by id; calls `keep` with each event kept, in no particular order.
    fn decide(by_event: Sorter<'m, Placed>, by_id: Sorter<'m, Named>, tallies: &mut [Tally], mut keep: impl FnMut(&mut [Tally], Placed) -> Result<()>) -> Result<()> {
        if Self::ids_name_one_event(by_id.sorted()?)? {
            let mut first: Option<Placed> = None;
            for placed in by_event.sorted()? {
                let placed = placed?;
                match &mut first {
                    Some(f) if f.event() == placed.event() => {
                        let (c, k) = (&placed.candidate, &f.candidate);
                        let input = c.kept.input;
                        if c.has_id && k.has_id && placed.family == f.family && c.kept.id == k.kept.id {
                            tallies[input].exclude(SAME_ID, 1);
                        } else {
                            f.candidate.kept.records += 1;
                            tallies[input].exclude(REPEAT, 1);
                        }
                    }
                    _ => {
                        if let Some(f) = first.replace(placed) {
                            keep(tallies, f)?;
                        }
                    }
                }
            }
            return first.map_or(Ok(()), |f| keep(tallies, f));
        }
        let mut placed: Vec<Placed> = by_event.sorted()?.collect::<Result<_>>()?;
        placed.sort_unstable_by_key(|p| p.pos);
        let mut kept: HashMap<EventKey, Placed> = HashMap::new();
        let mut kept_ids: HashSet<(Family, String)> = HashSet::new();
        for p in placed {
            let input = p.candidate.kept.input;
            let id = (p.family, p.candidate.kept.id.clone());
            if p.candidate.has_id && kept_ids.contains(&id) {
                tallies[input].exclude(SAME_ID, 1);
                continue;
            }
            let c = &p.candidate;
            let key = (c.kept.date, c.source_key.clone(), c.kept.code.clone(), c.target_key.clone());
            if let Some(earlier) = kept.get_mut(&key) {
                earlier.candidate.kept.records += 1;
                tallies[input].exclude(REPEAT, 1);
                continue;
            }
            if p.candidate.has_id {
                kept_ids.insert(id);
            }
            kept.insert(key, p);
        }
        kept.into_values().try_for_each(|p| keep(tallies, p))
    }

    /// Gives each year to one kind of source, works out the days covered, decides the events, and builds
    /// the tables; the event rows come sorted from disk.
    pub fn finish(mut self, countries: &CountryTable) -> Result<Derived> {
        let sources = std::mem::take(&mut self.sources);
        // Days per source and year, and the kind of source each year is taken from.
        let mut days: BTreeMap<(usize, i16), f64> = BTreeMap::new();
        for (s, source) in sources.iter().enumerate() {
            for (day, share) in &source.days {
                *days.entry((s, day.year())).or_default() += share.min(1.0);
            }
            for (year, d) in &source.year_days {
                *days.entry((s, *year)).or_default() += d;
            }
        }
        let mut by_family: BTreeMap<(i16, Family), f64> = BTreeMap::new();
        for (&(s, year), d) in &days {
            *by_family.entry((year, sources[s].family)).or_default() += d;
        }
        let mut winner: BTreeMap<i16, (Family, f64)> = BTreeMap::new();
        for (&(year, family), &d) in &by_family {
            // Families come in precedence order: a later one takes the year only with strictly more days.
            let entry = winner.entry(year).or_insert((family, d));
            if d > entry.1 {
                *entry = (family, d);
            }
        }
        let wins = |source: usize, year: i16| winner.get(&year).is_some_and(|(f, _)| *f == sources[source].family);
        let taken = |year: i16| match winner.get(&year) {
            Some((family, d)) => format!("the year is taken from {} ({} days covered), which covers it more fully", family.label(), round6(*d)),
            None => "no source covers the event's year (a GDELT update reporting an event of an earlier year)".to_string(),
        };

        // Events of a year given to another kind of source are set aside.
        let mut tallies = std::mem::take(&mut self.tallies);
        let mut ordered: Sorter<InOrder> = Sorter::new(self.scratch, "kept");
        Self::decide(self.by_event, self.by_id, &mut tallies, |tallies, placed| {
            let kept = placed.candidate.kept;
            let (input, year) = (kept.input, kept.date.year());
            if wins(tallies[input].source, year) {
                tallies[input].kept += 1;
                ordered.push(InOrder { pos: placed.pos, kept })
            } else {
                tallies[input].exclude(&taken(year), 1);
                Ok(())
            }
        })?;
        self.aggregated.retain(|a| {
            if wins(tallies[a.input].source, a.year) {
                return true;
            }
            tallies[a.input].kept -= 1;
            tallies[a.input].exclude(&taken(a.year), 1);
            false
        });

        // Days per year over the sources that won it, and per code where a source holds codes out.
        let mut year_days: BTreeMap<i16, f64> = BTreeMap::new();
        let mut year_sources: BTreeMap<i16, BTreeSet<usize>> = BTreeMap::new();
        for (&(s, year), &d) in &days {
            if wins(s, year) && d > 0.0 {
                *year_days.entry(year).or_default() += d;
                year_sources.entry(year).or_default().insert(s);
            }
        }
        let code_days = |year: i16, code: &str| -> f64 {
            year_sources.get(&year).map_or(0.0, |inside| {
                inside
                    .iter()
                    .map(|&s| match &sources[s].held_out {
                        Some((codes, held)) if codes.contains(code) => {
                            held.iter().filter(|d| d.year() == year && sources[s].days.contains_key(d)).count() as f64
                        }
                        _ => days.get(&(s, year)).copied().unwrap_or(0.0),
                    })
                    .sum()
            })
        };
        let labels = |inside: &BTreeSet<usize>| inside.iter().map(|&s| sources[s].label.clone()).collect::<Vec<_>>().join("; ");

        // The yearly table: per benefactor × recipient × instrument × year, per code for the rate; and
        // each event's rows, one per benefactor × recipient × instrument it counts for.
        type Cell = (BTreeMap<String, (usize, f64)>, BTreeSet<usize>);
        let mut cells: BTreeMap<(String, String, Instrument, i16), Cell> = BTreeMap::new();
        let mut rows: Sorter<RowInOrder> = Sorter::new(self.scratch, "rows");
        let mut row_count = 0;
        for in_order in ordered.sorted()? {
            let InOrder { pos, kept: k } = in_order?;
            for c in &k.counts {
                let cell = cells.entry((c.benefactor.clone(), c.recipient.clone(), c.instrument, k.date.year())).or_default();
                let per_code = cell.0.entry(k.code.clone()).or_default();
                per_code.0 += 1;
                per_code.1 += c.weight;
                cell.1.insert(tallies[k.input].source);
            }
            let file = &tallies[k.input].file;
            for (n, c) in k.counts.into_iter().enumerate() {
                let row = EventRow {
                    date: k.date.to_string(),
                    year: i32::from(k.date.year()),
                    benefactor_iso3: c.benefactor,
                    recipient_iso3: c.recipient,
                    instrument: c.instrument.code().to_string(),
                    code: k.code.clone(),
                    weight: c.weight,
                    from_benefactor: c.from_benefactor,
                    source_actor: k.source.clone(),
                    target_actor: k.target.clone(),
                    text: k.text.clone(),
                    url: k.url.clone(),
                    event_id: k.id.clone(),
                    file: file.clone(),
                    line: k.line,
                    records: k.records,
                };
                rows.push(RowInOrder { pos, n, row })?;
                row_count += 1;
            }
        }
        for a in &self.aggregated {
            let cell = cells.entry((a.benefactor.clone(), a.recipient.clone(), a.instrument, a.year)).or_default();
            let per_code = cell.0.entry(ANY_CODE.to_string()).or_default();
            per_code.0 += a.events;
            per_code.1 += a.weighted;
            cell.1.insert(tallies[a.input].source);
        }
        let name = |iso3: &str| countries.name_of(iso3).to_string();
        let mut years = Vec::new();
        for ((b, r, instrument, year), (per_code, inside)) in &cells {
            // Days to six decimals, as the table and an aggregate give them, so that a rate is the same
            // whichever of the two it is computed from.
            let covered = round6(year_days.get(year).copied().unwrap_or(0.0));
            let mut rate = 0.0;
            let mut less = Vec::new();
            for (code, (_, weighted)) in per_code {
                let d = round6(code_days(*year, code));
                if d > 0.0 {
                    rate += weighted * 30.0 / d;
                }
                if d < covered {
                    less.push(format!("{code} ({} days)", round6(d)));
                }
            }
            years.push(YearRow {
                benefactor: name(b),
                benefactor_iso3: b.clone(),
                recipient: name(r),
                recipient_iso3: r.clone(),
                instrument: instrument.code().to_string(),
                year: i32::from(*year),
                events: per_code.values().map(|(n, _)| n).sum(),
                weighted_events: round6(per_code.values().map(|(_, w)| w).sum()),
                covered_days: covered,
                rate_per_30_days: round6(rate),
                codes_covered_less: less.join("; "),
                sources: labels(inside),
            });
        }

        let instruments = self.mapping.instruments().iter().map(|i| i.code()).collect::<Vec<_>>().join(" ");
        // Which countries the sources of each year see at all: a recipient seen, with no event between it
        // and a benefactor, is looked at and found quiet.
        let mut seen: BTreeMap<(i16, String), (usize, BTreeSet<usize>)> = BTreeMap::new();
        for (s, source) in sources.iter().enumerate() {
            for ((year, iso3), n) in source.seen.iter().flat_map(|(y, countries)| countries.iter().map(move |(c, n)| ((y, c), n))) {
                if wins(s, *year) && year_days.get(year).is_some_and(|d| *d > 0.0) {
                    let entry = seen.entry((*year, iso3.clone())).or_default();
                    entry.0 += n;
                    entry.1.insert(s);
                }
            }
        }
        let coverage = seen
            .into_iter()
            .map(|((year, iso3), (records, inside))| CoverageRow {
                year: i32::from(year),
                country: name(&iso3),
                benefactor: self.benefactors.contains(&iso3),
                country_iso3: iso3,
                covered_days: round6(year_days[&year]),
                records,
                instruments: instruments.clone(),
                sources: labels(&inside),
            })
            .collect();

        let year_days = year_days.into_iter().map(|(y, d)| (y, round6(d))).collect();
        Ok(Derived { years, coverage, events: EventRows { count: row_count, sorted: rows.sorted()? }, tallies, sources, year_days })
    }
}

/// The code an aggregate's counts stand under: it covers every code alike.
pub const ANY_CODE: &str = "*";

/// Six decimals, as every derived figure.
pub fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6 + 0.0
}

/// One row of `events.csv`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct YearRow {
    pub benefactor: String,
    pub benefactor_iso3: String,
    pub recipient: String,
    pub recipient_iso3: String,
    pub instrument: String,
    pub year: i32,
    pub events: usize,
    pub weighted_events: f64,
    pub covered_days: f64,
    pub rate_per_30_days: f64,
    pub codes_covered_less: String,
    pub sources: String,
}

/// One row of `event_coverage.csv`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CoverageRow {
    pub year: i32,
    pub country_iso3: String,
    pub country: String,
    pub benefactor: bool,
    pub covered_days: f64,
    pub records: usize,
    /// The instruments the CAMEO table counts, space-separated: what the sources looked for.
    pub instruments: String,
    pub sources: String,
}

/// One row of `event_rows.parquet`: an event and one benefactor × recipient × instrument it counts for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    pub date: String,
    pub year: i32,
    pub benefactor_iso3: String,
    pub recipient_iso3: String,
    pub instrument: String,
    pub code: String,
    pub weight: f64,
    pub from_benefactor: bool,
    pub source_actor: String,
    pub target_actor: String,
    pub text: String,
    pub url: String,
    pub event_id: String,
    pub file: String,
    pub line: usize,
    pub records: usize,
}

/// The rows of `event_rows.parquet`, in the table's order, as they are read from disk.
pub struct EventRows {
    pub count: usize,
    pub sorted: Sorted<RowInOrder>,
}

/// What the rules made of every input.
pub struct Derived {
    pub years: Vec<YearRow>,
    pub coverage: Vec<CoverageRow>,
    pub events: EventRows,
    pub tallies: Vec<Tally>,
    pub sources: Vec<Source>,
    /// Days covered per year by the sources that year is taken from.
    pub year_days: BTreeMap<i16, f64>,
}
