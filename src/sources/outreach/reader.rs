//! The record read and checked, row by row.

use std::path::Path;

use crate::domain::evidence::EventDate;
use crate::domain::outreach::{Outreach, OutreachKind, OutreachStatus};
use crate::domain::Instrument;
use crate::error::Problem;
use crate::ingest::curated::{self, CuratedRow, EARLIEST_YEAR};
use crate::ingest::one_file::Row;

pub const FILE: &str = "outreach.csv";
pub const SOURCE: &str = "mdime outreach record (datasets/outreach.csv)";

const COLUMNS: [&str; 21] = crate::curated_columns!["id", "benefactor", "recipient", "instrument", "kind", "name", "start", "end", "status", "quantity", "quantity_year", "contested", "note"];

/// No published count of officers trained in one country nears a million.
const MAX_QUANTITY: i64 = 1_000_000;

impl CuratedRow for Outreach {
    const FILE: &'static str = FILE;
    const COLUMNS: &'static [&'static str] = &COLUMNS;
    const WHAT: &'static str = "the outreach record: id,benefactor,recipient,instrument,kind,name,start,end,status,…";

    fn parse(row: &mut Row, path: &Path, today: EventDate) -> Option<Outreach> {
        let kinds: Vec<&str> = OutreachKind::ALL.iter().map(|k| k.code()).collect();
        let statuses: Vec<&str> = OutreachStatus::ALL.iter().map(|s| s.code()).collect();
        // Only the instruments some kind counts under: a row for any other has no kind to be.
        let mut instruments: Vec<Instrument> = OutreachKind::ALL.iter().map(|k| k.instrument()).collect();
        instruments.sort();
        instruments.dedup();
        let codes: Vec<&str> = instruments.iter().map(|i| i.code()).collect();
        let id = curated::id(row);
        let pair = curated::pair(row);
        let instrument = curated::code(row, "instrument", |code| instruments.iter().copied().find(|i| i.code() == code), &codes);
        let kind = curated::code(row, "kind", OutreachKind::parse, &kinds);
        if row.text("name").is_empty() {
            row.problem("name", "empty: expected the centre, bureau, agreement or programme's name");
        }
        let start = curated::date(row, "start", false, Some(today)).flatten();
        let end = curated::date(row, "end", true, None);
        let status = curated::code(row, "status", OutreachStatus::parse, &statuses);
        let quantity = quantity(row, today);
        let contested = curated::flag(row, "contested");
        let sources = curated::citations(row, contested == Some(true));
        let ((benefactor, recipient), instrument, kind, start, end, status, quantity, contested) =
            (pair?, instrument?, kind?, start?, end?, status?, quantity?, contested?);
        if instrument != kind.instrument() {
            row.problem("instrument", format!("{instrument}, yet a {} counts under {}", kind.code(), kind.instrument()));
        }
        if let Some(end) = end.filter(|end| end.latest() < start.earliest()) {
            row.problem("end", format!("{end} is before the start, {start}"));
        }
        match (status, end) {
            (OutreachStatus::Ended, None) => row.problem("end", "empty: a row that is `ended` needs the date it closed, was lost or lapsed"),
            (OutreachStatus::Ended, Some(end)) if end > today => {
                row.problem("status", format!("ended on {end}, after today ({today}): one due to close or lapse is `operational` or `signed` with that end"))
            }
            (OutreachStatus::Signed | OutreachStatus::Operational, Some(end)) if end.latest() < today.earliest() => {
                row.problem("status", format!("`{}`, yet it ended on {end}: expected `ended`", status.code()))
            }
            (OutreachStatus::Planned, Some(end)) => row.problem("end", format!("{end}: a row only planned has not begun, so it has no end")),
            _ => {}
        }
        Some(Outreach {
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
            quantity,
            contested,
            note: row.text("note").to_string(),
            sources,
        })
    }

    fn located(&self) -> (&str, &Path, usize) {
        (&self.id, &self.file, self.line)
    }

    fn check_all(rows: &[Outreach], problems: &mut Vec<Problem>) {
        let key = |r: &Outreach| (r.benefactor.clone(), r.recipient.clone(), r.kind, r.name.to_lowercase(), r.start);
        curated::check_duplicates(rows, key, "name", "row", "same pair, kind, name and start", problems)
    }
}

/// The published number and the year it describes: Some(None) when neither is given, None (with a
/// problem) when the number is not a positive whole number, the year is not a past year, or one is
/// given without the other.
fn quantity(row: &mut Row, today: EventDate) -> Option<Option<(u32, i32)>> {
    let (number, year) = (row.text("quantity"), row.text("quantity_year"));
    match (number.is_empty(), year.is_empty()) {
        (true, true) => Some(None),
        (true, false) => {
            row.problem("quantity_year", format!("{year}, yet no quantity: the year says when a published number holds"));
            None
        }
        (false, true) => {
            row.problem("quantity_year", "empty: a quantity needs the year it describes");
            None
        }
        (false, false) => {
            let number = row.integer("quantity", 1..=MAX_QUANTITY, "a positive whole number");
            let year = row.integer("quantity_year", i64::from(EARLIEST_YEAR)..=i64::from(today.year), &format!("a year from {EARLIEST_YEAR} to {}", today.year));
            Some(Some((u32::try_from(number?).ok()?, i32::try_from(year?).ok()?)))
        }
    }
}
