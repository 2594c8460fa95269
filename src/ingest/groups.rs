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
        match groups.iter_mut().find(|g| g.code == code) {
            Some(group) => group.spells.push(spell),
            None => groups.push(Group { code, name: row.text("group_name").to_string(), spells: vec![spell] }),
        }
    }
    file.check(problems)?;
    Ok(groups)
}

/// A `YYYY-MM-DD` cell: Some(None) when empty and `optional`, None (with a problem) when malformed.
fn day(row: &mut Row, column: &str, optional: bool) -> Option<Option<Day>> {
    let text = row.text(column);
    if text.is_empty() && optional {
        return Some(None);
    }
    let parsed = jiff::civil::Date::strptime("%Y-%m-%d", text).ok().map(|d| (i32::from(d.year()), d.month() as u8, d.day() as u8));
    if parsed.is_none() {
        row.problem(column, format!("expected a date `YYYY-MM-DD`, found `{text}`"));
        return None;
    }
    Some(parsed)
}
