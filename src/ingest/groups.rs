//! Groups of recipients with dated membership, from `datasets/groups.csv` (curated, a source per row;
//! read at run time, so a user can add a group or a member without rebuilding).
//!
//! Columns `group,group_name,member,status,start,end,note,source_url,source_title`: `status` is
//! `member` (a membership spell) or `suspended` (a suspension inside one); `start` and `end` are
//! `YYYY-MM-DD`, `end` the first day the spell no longer runs, empty while it does.

use std::path::Path;

use super::one_file::{CsvFile, Row, Text};
use crate::domain::{CountryTable, Day, Group, Spell};
use crate::error::Result;

pub const FILE: &str = "groups.csv";
const COLUMNS: [&str; 9] = ["group", "group_name", "member", "status", "start", "end", "note", "source_url", "source_title"];

/// Every group in the file, in the file's order of first appearance; none without the file.
pub fn load(datasets: &Path) -> Result<Vec<Group>> {
    let path = datasets.join(FILE);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let countries = CountryTable::builtin();
    let file = CsvFile::read(&path, Text::Utf8, &COLUMNS, "groups with dated membership: group,group_name,member,status,start,end,…")?;
    let mut problems = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    // Each spell read so far, with its group and line: a spell given twice, or two of one member that
    // overlap, would count the member twice in the group's aggregates for the days they share.
    let mut read: Vec<(String, Spell, usize)> = Vec::new();
    for index in 0..file.records.len() {
        let mut row = file.row(index, &mut problems);
        let code = row.text("group").to_string();
        let member = match countries.country(row.text("member")) {
            Some(country) => Some(country.iso3.clone()),
            None => {
                let name = row.text("member").to_string();
                row.problem("member", countries.unknown_in_data(&name));
                None
            }
        };
        let suspended = match row.text("status") {
            "member" => Some(false),
            "suspended" => Some(true),
            other => {
                row.problem("status", format!("expected `member` or `suspended`, found `{other}`"));
                None
            }
        };
        let start = day(&mut row, "start", false);
        let end = day(&mut row, "end", true);
        if row.text("source_url").is_empty() {
            row.problem("source_url", "empty: every membership needs a source that states its dates");
        }
        if code.is_empty() {
            row.problem("group", "empty: expected the group's short name");
        }
        let (Some(member), Some(suspended), Some(Some(start)), Some(end)) = (member, suspended, start, end) else { continue };
        if end.is_some_and(|end| end <= start) {
            row.problem("end", format!("{} is not after the start", row.text("end")));
            continue;
        }
        let spell = Spell { member, suspended, start, end, note: row.text("note").to_string(), source_url: row.text("source_url").to_string() };
        let clash = read.iter().find(|(group, other, _)| *group == code && other.member == spell.member && other.suspended == spell.suspended && overlap(other, &spell));
        if let Some((_, other, line)) = clash {
            let kind = if spell.suspended { "suspension" } else { "membership" };
            let message = if (other.start, other.end) == (spell.start, spell.end) {
                format!("the same {kind} of {} in {code} as line {line}", spell.member)
            } else {
                format!("overlaps the {kind} of {} in {code} on line {line} ({}): a member's spells must not share a day", spell.member, span(other))
            };
            row.problem("start", message);
            continue;
        }
        read.push((code.clone(), spell.clone(), row.line));
        match groups.iter_mut().find(|g| g.code == code) {
            Some(group) => group.spells.push(spell),
            None => groups.push(Group { code, name: row.text("group_name").to_string(), spells: vec![spell] }),
        }
    }
    file.check(problems)?;
    Ok(groups)
}

/// Whether two spells share a day (each runs from its start to the day before its end).
fn overlap(a: &Spell, b: &Spell) -> bool {
    a.end.is_none_or(|end| b.start < end) && b.end.is_none_or(|end| a.start < end)
}

/// A spell's dates as the file writes them: `2009-06-01 to 2018-08-23`, or `from 2009-06-01`.
fn span(spell: &Spell) -> String {
    let day = |(y, m, d): Day| format!("{y:04}-{m:02}-{d:02}");
    match spell.end {
        Some(end) => format!("{} to {}", day(spell.start), day(end)),
        None => format!("from {}", day(spell.start)),
    }
}

/// A `YYYY-MM-DD` cell: Some(None) when empty and `optional`, None (with a problem) when malformed.
fn day(row: &mut Row, column: &str, optional: bool) -> Option<Option<Day>> {
    if row.text(column).is_empty() && optional {
        return Some(None);
    }
    row.date(column).map(|d| Some((i32::from(d.year()), d.month() as u8, d.day() as u8)))
}
