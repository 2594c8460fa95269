//! What the imports of a table derived from one raw file share: the file's identity (name, hash,
//! encoding), its provenance record, and for CSV files the header check and a reader of one record's
//! fields that collects every defect with its line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::provenance::{today, Counts, Exclusion, Provenance, Rejection};
use super::text::{read_latin1_or_utf8, sha256_hex};
use crate::error::{Error, Problem, Result};

/// The raw file a table is derived from.
#[derive(Debug, Clone)]
pub struct RawFile {
    pub path: PathBuf,
    pub sha256: String,
    pub encoding: String,
    pub lines: usize,
}

/// What a table is and where it comes from: fixed for each import.
#[derive(Debug, Clone, Copy)]
pub struct About {
    pub table: &'static str,
    pub source: &'static str,
    pub citation: &'static str,
}

/// What an import found and did, for the provenance record.
#[derive(Debug, Default)]
pub struct Outcome {
    pub data_generated: String,
    pub method: String,
    pub records_read: usize,
    pub rows_written: usize,
    pub rejected: Vec<Rejection>,
    /// Records read and set aside on purpose, counted by reason.
    pub excluded: BTreeMap<String, usize>,
}

impl Outcome {
    pub fn exclude(&mut self, reason: impl Into<String>) {
        *self.excluded.entry(reason.into()).or_default() += 1;
    }
}

impl RawFile {
    pub fn from_bytes(path: &Path, bytes: &[u8], encoding: &str, lines: usize) -> RawFile {
        RawFile { path: path.to_path_buf(), sha256: sha256_hex(bytes), encoding: encoding.to_string(), lines }
    }

    pub fn file_name(&self) -> String {
        self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }

    pub fn provenance(&self, about: About, outcome: Outcome) -> Provenance {
        Provenance {
            table: about.table.into(),
            source: about.source.into(),
            citation: about.citation.into(),
            source_file: self.file_name(),
            sha256: self.sha256.clone(),
            encoding: self.encoding.clone(),
            data_generated: outcome.data_generated,
            imported_on: today(),
            mdime_version: env!("CARGO_PKG_VERSION").into(),
            method: outcome.method,
            counts: Counts {
                lines: self.lines,
                records_read: outcome.records_read,
                records_rejected: outcome.rejected.len(),
                rows_written: outcome.rows_written,
                ..Counts::default()
            },
            rejected: outcome.rejected,
            inputs: Vec::new(),
            excluded: outcome.excluded.into_iter().map(|(reason, rows)| Exclusion { reason, rows }).collect(),
            comparisons: Vec::new(),
        }
    }
}

/// A CSV file with a header line, its required columns found.
pub struct CsvFile {
    pub raw: RawFile,
    /// Each required column's name and position, in the order asked for.
    columns: Vec<(&'static str, usize)>,
    /// Every non-blank record after the header, with the line it starts on.
    pub records: Vec<(usize, csv::StringRecord)>,
}

impl CsvFile {
    /// Reads `path` (UTF-8 or ISO-8859-1) and checks that its header has every `required` column;
    /// `what` describes the expected file in the error message.
    pub fn read(path: &Path, required: &[&'static str], what: &str) -> Result<CsvFile> {
        let (text, encoding, bytes) = read_latin1_or_utf8(path)?;
        let format_error = |message: String| Error::Format { path: path.to_path_buf(), message };
        // Flexible: a short record (a truncated file) is reported with the columns it lacks.
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        let mut records = reader.records();
        let header = match records.next() {
            Some(Ok(header)) => header,
            Some(Err(e)) => return Err(format_error(format!("line 1: {e}"))),
            None => return Err(format_error(format!("line 1: no header line; expected {what}"))),
        };
        let names: Vec<&str> = header.iter().map(str::trim).collect();
        let missing: Vec<&str> = required.iter().copied().filter(|c| !names.contains(c)).collect();
        if !missing.is_empty() {
            return Err(format_error(format!(
                "line 1: the header lacks the column(s) {}; expected {what} with the columns {}",
                quote(&missing),
                quote(required)
            )));
        }
        let columns = required.iter().map(|&c| (c, names.iter().position(|n| *n == c).expect("checked above"))).collect();
        let mut out = Vec::new();
        for record in records {
            let record = record.map_err(|e| format_error(e.to_string()))?;
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let start = record.position().map_or(0, |p| p.byte() as usize);
            out.push((line_at(&text, start), record));
        }
        let raw = RawFile::from_bytes(path, &bytes, encoding.label(), text.lines().count());
        Ok(CsvFile { raw, columns, records: out })
    }

    /// The fields of one record, read by column name.
    pub fn row<'a>(&'a self, index: usize, problems: &'a mut Vec<Problem>) -> Row<'a> {
        let (line, record) = &self.records[index];
        Row { path: &self.raw.path, line: *line, record, columns: &self.columns, problems }
    }
}

/// The line a record starting at byte `start` is on. The csv reader's own line count can lag by one:
/// it may place a record at the end of the line before, where it consumed the previous line break.
fn line_at(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut start = start.min(bytes.len());
    while start < bytes.len() && (bytes[start] == b'\n' || bytes[start] == b'\r') {
        start += 1;
    }
    1 + bytes[..start].iter().filter(|&&b| b == b'\n').count()
}

fn quote(items: &[&str]) -> String {
    items.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
}

/// One record's fields; each defect becomes a problem naming the file, line and column.
pub struct Row<'a> {
    path: &'a Path,
    pub line: usize,
    record: &'a csv::StringRecord,
    columns: &'a [(&'static str, usize)],
    problems: &'a mut Vec<Problem>,
}

impl Row<'_> {
    pub fn problem(&mut self, column: &str, message: impl Into<String>) {
        self.problems.push(Problem { path: self.path.to_path_buf(), line: self.line, column: column.into(), message: message.into() });
    }

    /// The trimmed text of a required column, or a problem when the record ends before it.
    pub fn text(&mut self, column: &str) -> Option<&str> {
        let position = self.columns.iter().find(|(name, _)| *name == column).map(|(_, p)| *p).expect("a required column");
        match self.record.get(position) {
            Some(value) => Some(value.trim()),
            None => {
                let message = format!(
                    "missing: the record ends after {} of {} fields (is the file truncated?)",
                    self.record.len(),
                    self.columns.iter().map(|(_, p)| p + 1).max().unwrap_or(0)
                );
                self.problem(column, message);
                None
            }
        }
    }

    /// A whole number in `range`, or a problem naming what was found.
    pub fn integer(&mut self, column: &str, range: std::ops::RangeInclusive<i64>, what: &str) -> Option<i64> {
        let value = self.text(column)?.to_string();
        match value.parse::<i64>() {
            Ok(n) if range.contains(&n) => Some(n),
            _ => {
                self.problem(column, format!("expected {what}, found `{value}`"));
                None
            }
        }
    }

    /// A finite decimal number, or a problem naming what was found.
    pub fn number(&mut self, column: &str, what: &str) -> Option<f64> {
        let value = self.text(column)?.to_string();
        match value.parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => {
                self.problem(column, format!("expected {what}, found `{value}`"));
                None
            }
        }
    }
}
