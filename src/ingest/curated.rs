//! The checks every curated record shares (presence spells, agreements, outreach): an id, a benefactor
//! and a tracked recipient, dates as precise as the source gives them, and a public source for every row
//! — two where the claim is contested. Each defect is a problem naming the file, line and column.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::one_file::{CsvFile, Row, Text};
use super::text::is_url;
use crate::domain::evidence::EventDate;
use crate::domain::presence::Citation;
use crate::domain::{CountryTable, NameMatch};
use crate::error::{Problem, Result};

/// The source columns every curated record has: the first source's, then the second's.
pub const SOURCE_COLUMNS: [&str; 8] =
    ["source_url", "source_title", "source_publisher", "source_date", "source2_url", "source2_title", "source2_publisher", "source2_date"];

/// A curated record's columns: its own, then `SOURCE_COLUMNS`, as one array.
#[macro_export]
macro_rules! curated_columns {
    ($($own:expr),* $(,)?) => {{
        use $crate::ingest::curated::SOURCE_COLUMNS as S;
        [$($own,)* S[0], S[1], S[2], S[3], S[4], S[5], S[6], S[7]]
    }};
}

/// The publication date of a page that shows none, as citations write it.
pub const UNDATED: &str = "n.d.";

/// The earliest year a curated record may give: the records run from 2000, and a spell begun earlier is
/// kept with its real start.
pub const EARLIEST_YEAR: i32 = 1900;

/// The row's id: not empty, without white space (an id is quoted in reports and `explain`).
pub fn id(row: &mut Row) -> String {
    let id = row.text("id");
    if let Some(defect) = id_defect(id) {
        row.problem("id", defect);
    }
    id.to_string()
}

/// What is wrong with a row's id, if anything: empty, or with white space in it (ids are quoted in
/// reports and `explain`, and a list of them is joined by spaces, where `MLI RUS 01` would read as
/// three). The rule of every curated record and evidence log.
pub fn id_defect(id: &str) -> Option<String> {
    if id.is_empty() {
        Some("empty: every row needs an id".into())
    } else if id.chars().any(char::is_whitespace) {
        Some(format!("`{id}` has white space; ids are one word (`P-RUS-CAF-01`)"))
    } else {
        None
    }
}

/// Why a row whose recipient is its benefactor is refused: a benefactor's influence is measured in
/// other states. The rule of every curated record and evidence log.
pub fn own_recipient(recipient: &str) -> String {
    format!("{recipient} is also the benefactor")
}

/// The benefactor (any current state) and the recipient (a tracked recipient, not the benefactor), as
/// ISO-3 codes; None where either is defective.
pub fn pair(row: &mut Row) -> Option<(String, String)> {
    let countries = CountryTable::builtin();
    let benefactor = match countries.state(row.text("benefactor")) {
        Ok(country) => Some(country.iso3.clone()),
        Err(message) => {
            row.problem("benefactor", message);
            None
        }
    };
    let written = row.text("recipient");
    let recipient = match countries.resolve(written) {
        Some(NameMatch::Country(c)) if c.is_tracked_recipient() => Some(c.iso3.clone()),
        Some(NameMatch::Country(c)) => {
            row.problem("recipient", format!("{} is not a tracked recipient (a sovereign state of Africa, Latin America, the Middle East, South or Southeast Asia)", c.name));
            None
        }
        Some(NameMatch::NonCountry(kind)) => {
            row.problem("recipient", format!("`{written}` is not a country (it is listed as {kind})"));
            None
        }
        None => {
            row.problem("recipient", countries.unknown_in_data(written));
            None
        }
    };
    let (benefactor, recipient) = (benefactor?, recipient?);
    if benefactor == recipient {
        row.problem("recipient", own_recipient(&recipient));
        return None;
    }
    Some((benefactor, recipient))
}

/// A date cell (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) from `EARLIEST_YEAR` on: Some(None) when empty and
/// `optional`, None (with a problem) when malformed or missing. `latest` bounds it where a date cannot
/// lie in the future (a signature, a start already past).
pub fn date(row: &mut Row, column: &str, optional: bool, latest: Option<EventDate>) -> Option<Option<EventDate>> {
    let text = row.text(column);
    if text.is_empty() {
        if optional {
            return Some(None);
        }
        row.problem(column, "empty: expected a date YYYY, YYYY-MM or YYYY-MM-DD");
        return None;
    }
    let Some(date) = EventDate::parse(text) else {
        row.problem(column, format!("`{text}` is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD"));
        return None;
    };
    if date.year < EARLIEST_YEAR || latest.is_some_and(|latest| date > latest) {
        let latest = latest.map_or(String::new(), |l| format!(" to {l}"));
        row.problem(column, format!("{date} is outside {EARLIEST_YEAR}{latest}"));
        return None;
    }
    Some(Some(date))
}

/// `true` or `false`.
pub fn flag(row: &mut Row, column: &str) -> Option<bool> {
    match row.text(column) {
        "true" => Some(true),
        "false" => Some(false),
        other => {
            row.problem(column, format!("expected `true` or `false`, found `{other}`"));
            None
        }
    }
}

/// A code from a closed list, parsed by `parse`; `codes` names them in the message.
pub fn code<T>(row: &mut Row, column: &str, parse: impl Fn(&str) -> Option<T>, codes: &[&str]) -> Option<T> {
    let text = row.text(column);
    let parsed = parse(text);
    if parsed.is_none() {
        row.problem(column, format!("`{text}` is not one of: {}", codes.join(", ")));
    }
    parsed
}

/// The row's sources: the first always (URL, title and date), the second where given — and required
/// where `contested`, so that a disputed claim never rests on one side's word.
pub fn citations(row: &mut Row, contested: bool) -> Vec<Citation> {
    let mut out = Vec::new();
    for (n, prefix) in ["source", "source2"].into_iter().enumerate() {
        let [url, title, publisher, date] = ["url", "title", "publisher", "date"].map(|field| format!("{prefix}_{field}"));
        let given = [&url, &title, &publisher, &date].iter().any(|c| !row.text(c).is_empty());
        if n == 1 && !given {
            if contested {
                row.problem(&url, "empty: a contested row needs a second source (the other side's account, or an independent confirmation)");
            }
            continue;
        }
        let link = row.text(&url);
        if link.is_empty() {
            row.problem(&url, "empty: every row needs the URL of the public page it rests on");
        } else if !is_url(link) {
            row.problem(&url, format!("`{link}` is not an http(s) URL"));
        }
        if row.text(&title).is_empty() {
            row.problem(&title, "empty: expected the page's title");
        }
        let published = row.text(&date);
        if published != UNDATED && EventDate::parse(published).is_none() {
            row.problem(&date, format!("`{published}` is not a date: expected the page's date (YYYY at least), or `{UNDATED}` for a page that shows none"));
        }
        out.push(Citation { url: link.to_string(), title: row.text(&title).to_string(), publisher: row.text(&publisher).to_string(), date: published.to_string() });
    }
    out
}

/// One row of a curated record: how the record is read, row by row and as a whole.
pub trait CuratedRow: Sized {
    /// The record's file in the datasets folder.
    const FILE: &'static str;
    /// Its columns, which its header must have.
    const COLUMNS: &'static [&'static str];
    /// What the file is, for a message about a header that lacks a column.
    const WHAT: &'static str;

    /// The row's value, or None where a cell is defective (each defect a problem on `row`); `today`
    /// bounds the dates that cannot lie in the future.
    fn parse(row: &mut Row, path: &Path, today: EventDate) -> Option<Self>;

    /// The row's id, file and line.
    fn located(&self) -> (&str, &Path, usize);

    /// Checks across rows (duplicates, overlaps), beyond the ids every record checks.
    fn check_all(_rows: &[Self], _problems: &mut Vec<Problem>) {}
}

/// The same row twice: each row whose `key` an earlier row has is a problem on its `column`, naming
/// that row as the same `noun`; `same` says what they share ("same pair, kind, title and signature").
pub fn check_duplicates<T: CuratedRow, K: Ord>(rows: &[T], key: impl Fn(&T) -> K, column: &str, noun: &str, same: &str, problems: &mut Vec<Problem>) {
    let mut seen: BTreeMap<K, &T> = BTreeMap::new();
    for row in rows {
        if let Some(first) = seen.insert(key(row), row) {
            let ((_, path, line), (first_id, _, first_line)) = (row.located(), first.located());
            problems.push(Problem {
                path: path.to_path_buf(),
                line,
                column: column.into(),
                message: format!("the same {noun} as `{first_id}` (line {first_line}): {same}"),
            });
        }
    }
}

/// Every row of the record in `datasets`, checked: all of the file's problems at once if any row is
/// defective. Without the file, none (and its source covers nothing).
pub fn load<T: CuratedRow>(datasets: &Path, today: EventDate) -> Result<Vec<T>> {
    let path = datasets.join(T::FILE);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let file = CsvFile::read(&path, Text::Utf8, T::COLUMNS, T::WHAT)?;
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for index in 0..file.records.len() {
        let mut row = file.row(index, &mut problems);
        rows.extend(T::parse(&mut row, &path, today));
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (id, path, line) in rows.iter().map(T::located) {
        if let Some(first) = seen.insert(id, line) {
            problems.push(Problem { path: path.to_path_buf(), line, column: "id".into(), message: format!("`{id}` is already used on line {first}") });
        }
    }
    T::check_all(&rows, &mut problems);
    file.check(problems)?;
    Ok(rows)
}
