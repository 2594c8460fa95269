//! The logs read and checked, row by row.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::domain::evidence::{unit as evidence_unit, EventType, UNITS};
use crate::domain::{Confidence, CountryTable, Instrument, NameMatch, Status};
use crate::error::{Error, Problem, Result};
use crate::ingest::curated;
use crate::ingest::text::is_url;

pub const FOLDER: &str = "evidence";
pub const SOURCE: &str = "mdime evidence logs (datasets/evidence)";
/// Evidence older than this is outside any window the method uses.
pub const EARLIEST_YEAR: i32 = 1990;

pub const COLUMNS: [&str; 15] = [
    "id",
    "date",
    "benefactor",
    "recipient",
    "instrument",
    "event_type",
    "magnitude",
    "unit",
    "effective_date",
    "confidence",
    "summary",
    "source_title",
    "source_publisher",
    "source_date",
    "source_url",
];
const REQUIRED: [&str; 10] =
    ["id", "date", "benefactor", "recipient", "instrument", "event_type", "confidence", "summary", "source_title", "source_url"];

pub use crate::domain::evidence::{Event, EventDate};

/// Every log in `datasets/evidence/`, checked; the files' problems all at once if any row is defective.
/// A datasets folder without an evidence folder has no evidence (nothing is covered by it).
pub fn load(datasets: &Path, today: EventDate) -> Result<Vec<Event>> {
    let mut events = Vec::new();
    let mut problems = Vec::new();
    for file in &log_files(datasets)? {
        read_file(file, today, &mut events, &mut problems)?;
    }
    check_duplicates(&events, &mut problems);
    if problems.is_empty() {
        Ok(events)
    } else {
        Err(Error::Evidence { problems })
    }
}

/// The logs in `datasets/evidence/` (every `.csv` file there), sorted; none without the folder.
pub fn log_files(datasets: &Path) -> Result<Vec<PathBuf>> {
    let folder = datasets.join(FOLDER);
    if !folder.is_dir() {
        return Ok(Vec::new());
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .map_err(|source| Error::Read { path: folder.clone(), source })?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
        .collect();
    files.sort();
    Ok(files)
}

fn read_file(path: &Path, today: EventDate, events: &mut Vec<Event>, problems: &mut Vec<Problem>) -> Result<()> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    let text = crate::ingest::text::require_utf8(path, &bytes)?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| Error::Format { path: path.to_path_buf(), message: e.to_string() })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let missing: Vec<&str> = COLUMNS.iter().copied().filter(|c| !headers.iter().any(|h| h == c)).collect();
    if !missing.is_empty() {
        problems.extend(missing.iter().map(|c| Problem {
            path: path.to_path_buf(),
            line: 1,
            column: c.to_string(),
            message: "missing from the header".into(),
        }));
        return Ok(());
    }
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                problems.push(Problem { path: path.to_path_buf(), line, column: "(row)".into(), message: e.to_string() });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let fields: HashMap<&str, &str> = headers.iter().map(String::as_str).zip(record.iter().map(str::trim)).collect();
        match parse_row(path, line, &fields, today) {
            Ok(event) => events.push(event),
            Err(mut found) => problems.append(&mut found),
        }
    }
    Ok(())
}

fn parse_row(path: &Path, line: usize, fields: &HashMap<&str, &str>, today: EventDate) -> std::result::Result<Event, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut problem = |column: &str, message: String| {
        problems.push(Problem { path: path.to_path_buf(), line, column: column.into(), message })
    };
    let get = |column: &str| fields.get(column).copied().unwrap_or_default();
    for column in REQUIRED {
        if get(column).is_empty() {
            problem(column, "required, but empty".into());
        }
    }
    if let Some(defect) = curated::id_defect(get("id")).filter(|_| !get("id").is_empty()) {
        problem("id", defect);
    }

    let countries = CountryTable::builtin();
    let mut state = |column: &str| -> String {
        let name = get(column);
        if name.is_empty() {
            return String::new();
        }
        match countries.resolve(name) {
            Some(NameMatch::Country(c)) if c.status == Status::State => c.iso3.clone(),
            _ => {
                let hint = countries.suggest(name);
                let hint = if hint.is_empty() { String::new() } else { format!("; did you mean {}?", hint.join(", ")) };
                problem(column, format!("`{name}` is not a known country{hint}"));
                String::new()
            }
        }
    };
    let benefactor = state("benefactor");
    let recipient = state("recipient");
    if !benefactor.is_empty() && benefactor == recipient {
        problem("recipient", curated::own_recipient(&recipient));
    }

    let instrument = match get("instrument") {
        "" => None,
        code => code.parse::<Instrument>().map_err(|m| problem("instrument", m)).ok(),
    };
    let event_type = instrument.and_then(|instrument| {
        let name = get("event_type");
        let found = EventType::find(instrument, name);
        if found.is_none() && !name.is_empty() {
            problem(
                "event_type",
                format!("`{name}` is not an event type of {instrument}; expected one of: {}", EventType::names_for(instrument).join(", ")),
            );
        }
        found
    });

    let mut date = |column: &str| -> Option<EventDate> {
        let text = get(column);
        if text.is_empty() {
            return None;
        }
        let parsed = EventDate::parse(text);
        if parsed.is_none() {
            problem(column, format!("`{text}` is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD"));
        }
        parsed
    };
    let event_date = date("date");
    let effective_date = date("effective_date");
    date("source_date");
    if let Some(d) = event_date {
        if d.year < EARLIEST_YEAR || d > today {
            problem(
                "date",
                format!("{d} is outside {EARLIEST_YEAR} to today ({today}); scheduled events take their future date in `effective_date`"),
            );
        }
    }

    let magnitude = match (get("magnitude"), get("unit")) {
        ("", "") => None,
        (value, unit) => {
            let known = evidence_unit(unit);
            let max = known.map_or(f64::INFINITY, |u| u.max);
            let number = value.parse::<f64>().ok().filter(|v| v.is_finite() && (0.0..=max).contains(v));
            if number.is_none() {
                let range = known.map_or(String::new(), |u| format!(" from 0 to {} {}", u.max, u.name));
                problem("magnitude", format!("`{value}` is not a number{range} (plain digits, `.` for decimals, with `unit`)"));
            }
            if known.is_none() {
                let units: Vec<&str> = UNITS.iter().map(|u| u.name).collect();
                problem("unit", format!("`{unit}` is not a unit; a magnitude needs one of: {}", units.join(", ")));
            }
            number.map(|n| (n, unit.to_string()))
        }
    };
    let confidence = match get("confidence") {
        "high" => Some(Confidence::High),
        "medium" => Some(Confidence::Medium),
        "low" => Some(Confidence::Low),
        "" => None,
        other => {
            problem("confidence", format!("`{other}`: expected high, medium or low"));
            None
        }
    };
    let url = get("source_url");
    if !url.is_empty() && !is_url(url) {
        problem("source_url", format!("`{url}` is not an http(s) URL"));
    }

    match (event_date, instrument, event_type, confidence) {
        (Some(date), Some(instrument), Some(event_type), Some(confidence)) if problems.is_empty() => Ok(Event {
            id: get("id").to_string(),
            file: path.to_path_buf(),
            line,
            date,
            benefactor,
            recipient,
            instrument,
            event_type,
            magnitude,
            effective_date,
            confidence,
            summary: get("summary").to_string(),
            source_title: get("source_title").to_string(),
            source_publisher: get("source_publisher").to_string(),
            source_date: get("source_date").to_string(),
            source_url: url.to_string(),
        }),
        _ => Err(problems),
    }
}


/// The same id twice, or the same event (pair, instrument, type and date) recorded twice.
fn check_duplicates(events: &[Event], problems: &mut Vec<Problem>) {
    let mut ids: HashMap<&str, &Event> = HashMap::new();
    let mut keys: HashMap<(&str, &str, Instrument, &str, EventDate), &Event> = HashMap::new();
    for event in events {
        let at = |first: &Event| format!("{}:{}", first.file.display(), first.line);
        if let Some(first) = ids.insert(&event.id, event) {
            problems.push(Problem {
                path: event.file.clone(),
                line: event.line,
                column: "id".into(),
                message: format!("`{}` is already used at {}", event.id, at(first)),
            });
        }
        let key = (event.benefactor.as_str(), event.recipient.as_str(), event.instrument, event.event_type.name, event.date);
        if let Some(first) = keys.insert(key, event) {
            problems.push(Problem {
                path: event.file.clone(),
                line: event.line,
                column: "event_type".into(),
                message: format!("the same event as `{}` at {} (same pair, instrument, type and date)", first.id, at(first)),
            });
        }
    }
}
