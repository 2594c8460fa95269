//! The record read and checked, row by row.

use std::path::Path;

use crate::domain::evidence::EventDate;
use crate::domain::presence::{Hostility, HostilityKind};
use crate::ingest::curated::{self, CuratedRow};
use crate::ingest::one_file::Row;

pub const FILE: &str = "hostilities.csv";
pub const SOURCE: &str = "mdime hostilities record (datasets/hostilities.csv)";

const COLUMNS: [&str; 15] = crate::curated_columns!["id", "benefactor", "recipient", "kind", "start", "end", "description"];

impl CuratedRow for Hostility {
    const FILE: &'static str = FILE;
    const COLUMNS: &'static [&'static str] = &COLUMNS;
    const WHAT: &'static str = "the hostilities record: id,benefactor,recipient,kind,start,end,description,…";

    fn parse(row: &mut Row, path: &Path, today: EventDate) -> Option<Hostility> {
        let kinds: Vec<&str> = HostilityKind::ALL.iter().map(|k| k.code()).collect();
        let id = curated::id(row);
        let pair = curated::pair(row);
        let kind = curated::code(row, "kind", HostilityKind::parse, &kinds);
        let start = curated::date(row, "start", false, Some(today)).flatten();
        let end = curated::date(row, "end", true, Some(today));
        if row.text("description").is_empty() {
            row.problem("description", "empty: expected what happened, as the source reports it");
        }
        let sources = curated::citations(row, false);
        let ((benefactor, recipient), kind, start, end) = (pair?, kind?, start?, end?);
        if let Some(end) = end.filter(|end| end.latest() < start.earliest()) {
            row.problem("end", format!("{end} is before the start, {start}"));
        }
        if kind == HostilityKind::ArmedClash && end.is_none() {
            row.problem("end", "empty: an armed clash needs the date the episode ended (its start for a single day)");
        }
        Some(Hostility { id, file: path.to_path_buf(), line: row.line, benefactor, recipient, kind, start, end, description: row.text("description").to_string(), sources })
    }

    fn located(&self) -> (&str, &Path, usize) {
        (&self.id, &self.file, self.line)
    }
}
