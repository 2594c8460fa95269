//! The record read and checked, row by row.

use std::collections::BTreeMap;
use std::path::Path;

use crate::domain::evidence::EventDate;
use crate::domain::presence::{date_position, Presence, PresenceKind, PresenceStatus};
use crate::error::Problem;
use crate::ingest::curated::{self, CuratedRow};
use crate::ingest::one_file::Row;

pub const FILE: &str = "presence.csv";
pub const SOURCE: &str = "mdime presence record (datasets/presence.csv)";

const COLUMNS: [&str; 22] = crate::curated_columns!["id", "benefactor", "recipient", "kind", "name", "start", "end", "status", "personnel", "personnel_low", "personnel_high", "personnel_as_of", "contested", "note"];

/// No published deployment in these records nears a million personnel.
const MAX_PERSONNEL: i64 = 1_000_000;

impl CuratedRow for Presence {
    const FILE: &'static str = FILE;
    const COLUMNS: &'static [&'static str] = &COLUMNS;
    const WHAT: &'static str = "the presence record: id,benefactor,recipient,kind,name,start,end,status,…";

    fn parse(row: &mut Row, path: &Path, today: EventDate) -> Option<Presence> {
        let kinds: Vec<&str> = PresenceKind::ALL.iter().map(|k| k.code()).collect();
        let statuses: Vec<&str> = PresenceStatus::ALL.iter().map(|s| s.code()).collect();
        let id = curated::id(row);
        let pair = curated::pair(row);
        let kind = curated::code(row, "kind", PresenceKind::parse, &kinds);
        if row.text("name").is_empty() {
            row.problem("name", "empty: expected the base, force or mission's name");
        }
        let start = curated::date(row, "start", false, Some(today)).flatten();
        let end = curated::date(row, "end", true, None);
        let status = curated::code(row, "status", PresenceStatus::parse, &statuses);
        let count = |row: &mut Row, column: &str| -> Option<Option<u32>> {
            if row.text(column).is_empty() {
                return Some(None);
            }
            row.integer(column, 0..=MAX_PERSONNEL, "a whole number of personnel").map(|n| Some(n as u32))
        };
        let personnel = count(row, "personnel");
        let (low, high) = (count(row, "personnel_low"), count(row, "personnel_high"));
        curated::date(row, "personnel_as_of", true, Some(today));
        let contested = curated::flag(row, "contested");
        let sources = curated::citations(row, contested == Some(true));
        let ((benefactor, recipient), kind, start, end, status, personnel, low, high, contested) =
            (pair?, kind?, start?, end?, status?, personnel?, low?, high?, contested?);
        if let Some(end) = end {
            if end.latest() < start.earliest() {
                row.problem("end", format!("{end} is before the start, {start}"));
            }
        }
        match (status, end) {
            (PresenceStatus::Ended | PresenceStatus::Expelled, None) => row.problem("end", format!("empty: a spell that is {} needs the date it ended", status.code())),
            (PresenceStatus::Ended | PresenceStatus::Expelled, Some(end)) if end > today => {
                row.problem("status", format!("{} on {end}, after today ({today}): a spell scheduled to end is `operational` with that end", status.code()))
            }
            (PresenceStatus::Operational, Some(end)) if end.latest() < today.earliest() => {
                row.problem("status", format!("`operational`, yet it ended on {end}: expected `ended` or `expelled`"))
            }
            (PresenceStatus::Agreed, Some(end)) => row.problem("end", format!("{end}: a spell only agreed has not begun, so it has no end")),
            _ => {}
        }
        // A range may be open at one end where a source gives only "at least" or "up to".
        if let (Some(low), Some(high)) = (low, high) {
            if low > high {
                row.problem("personnel_high", format!("{high} is below personnel_low, {low}"));
            }
        }
        if let Some(p) = personnel {
            if low.is_some_and(|low| p < low) || high.is_some_and(|high| p > high) {
                row.problem("personnel", format!("{p} is outside the published range {}–{}", low.map_or("".into(), |l| l.to_string()), high.map_or("".into(), |h| h.to_string())));
            }
        }
        Some(Presence {
            id,
            file: path.to_path_buf(),
            line: row.line,
            benefactor,
            recipient,
            kind,
            name: row.text("name").to_string(),
            start,
            end,
            status,
            personnel,
            personnel_range: (low.is_some() || high.is_some()).then_some((low, high)),
            contested,
            note: row.text("note").to_string(),
            sources,
        })
    }

    fn located(&self) -> (&str, &Path, usize) {
        (&self.id, &self.file, self.line)
    }

    fn check_all(spells: &[Presence], problems: &mut Vec<Problem>) {
        check_overlaps(spells, problems)
    }
}

/// Two spells of the same presence (benefactor, recipient, kind and name) that run at the same time: a
/// duplicate, or a split that overlaps. Consecutive spells may share a date, where one ends and the
/// next begins.
fn check_overlaps(spells: &[Presence], problems: &mut Vec<Problem>) {
    let mut by_presence: BTreeMap<(&str, &str, PresenceKind, &str), Vec<&Presence>> = BTreeMap::new();
    for spell in spells {
        by_presence.entry((&spell.benefactor, &spell.recipient, spell.kind, &spell.name)).or_default().push(spell);
    }
    for mut same in by_presence.into_values() {
        same.sort_by(|a, b| date_position(a.start).total_cmp(&date_position(b.start)));
        for pair in same.windows(2) {
            let (earlier, later) = (pair[0], pair[1]);
            let earlier_end = earlier.end.map_or(f64::INFINITY, date_position);
            if date_position(later.start) < earlier_end {
                problems.push(Problem {
                    path: later.file.clone(),
                    line: later.line,
                    column: "start".into(),
                    message: format!(
                        "`{}` overlaps `{}` (line {}, {} to {}): the same presence twice; split spells must follow one another",
                        later.id,
                        earlier.id,
                        earlier.line,
                        earlier.start,
                        earlier.end.map_or("open".to_string(), |e| e.to_string())
                    ),
                });
            }
        }
    }
}
