//! The record read and checked, row by row.

use std::path::Path;

use crate::domain::evidence::EventDate;
use crate::domain::presence::{Agreement, AgreementKind, AgreementStatus};
use crate::error::Problem;
use crate::ingest::curated::{self, CuratedRow};
use crate::ingest::one_file::Row;

pub const FILE: &str = "agreements.csv";
pub const SOURCE: &str = "mdime agreements record (datasets/agreements.csv)";

const COLUMNS: [&str; 19] = crate::curated_columns!["id", "benefactor", "recipient", "kind", "title", "signed", "in_force", "end", "status", "contested", "note"];

impl CuratedRow for Agreement {
    const FILE: &'static str = FILE;
    const COLUMNS: &'static [&'static str] = &COLUMNS;
    const WHAT: &'static str = "the agreements record: id,benefactor,recipient,kind,title,signed,in_force,end,status,…";

    fn parse(row: &mut Row, path: &Path, today: EventDate) -> Option<Agreement> {
        let kinds: Vec<&str> = AgreementKind::ALL.iter().map(|k| k.code()).collect();
        let statuses: Vec<&str> = AgreementStatus::ALL.iter().map(|s| s.code()).collect();
        let id = curated::id(row);
        let pair = curated::pair(row);
        let kind = curated::code(row, "kind", AgreementKind::parse, &kinds);
        if row.text("title").is_empty() {
            row.problem("title", "empty: expected the agreement's name as reported");
        }
        let signed = curated::date(row, "signed", false, Some(today)).flatten();
        let in_force = curated::date(row, "in_force", true, None);
        let end = curated::date(row, "end", true, None);
        let status = curated::code(row, "status", AgreementStatus::parse, &statuses);
        let contested = curated::flag(row, "contested");
        let sources = curated::citations(row, contested == Some(true));
        let ((benefactor, recipient), kind, signed, in_force, end, status, contested) = (pair?, kind?, signed?, in_force?, end?, status?, contested?);
        for (column, date) in [("in_force", in_force), ("end", end)] {
            if let Some(date) = date.filter(|d| d.latest() < signed.earliest()) {
                row.problem(column, format!("{date} is before the signature, {signed}"));
            }
        }
        match (status, end) {
            (AgreementStatus::Expired | AgreementStatus::Denounced, None) => {
                row.problem("end", format!("empty: an agreement that is {} needs the date it ended", status.code()))
            }
            (AgreementStatus::Expired | AgreementStatus::Denounced, Some(end)) if end > today => {
                row.problem("status", format!("{} on {end}, after today ({today}): an agreement due to expire is `in_force` with that end", status.code()))
            }
            (AgreementStatus::Signed | AgreementStatus::InForce, Some(end)) if end.latest() < today.earliest() => {
                row.problem("status", format!("`{}`, yet it ended on {end}: expected `expired` or `denounced`", status.code()))
            }
            _ => {}
        }
        Some(Agreement {
            id,
            file: path.to_path_buf(),
            line: row.line,
            benefactor,
            recipient,
            kind,
            title: row.text("title").to_string(),
            signed,
            in_force,
            end,
            status,
            contested,
            note: row.text("note").to_string(),
            sources,
        })
    }

    fn located(&self) -> (&str, &Path, usize) {
        (&self.id, &self.file, self.line)
    }

    fn check_all(agreements: &[Agreement], problems: &mut Vec<Problem>) {
        let key = |a: &Agreement| (a.benefactor.clone(), a.recipient.clone(), a.kind, a.title.to_lowercase(), a.signed);
        curated::check_duplicates(agreements, key, "title", "agreement", "same pair, kind, title and signature", problems)
    }
}
