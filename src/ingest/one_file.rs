//! What the imports of a table derived from one raw file share: the file's identity (name, hash,
//! encoding), its provenance record, and for CSV files with one header line the header check, records
//! of the wrong length reported rather than guessed at (a file truncated mid-record looks like any other
//! until counted), and a reader of one record's fields that collects every defect with its line and
//! column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::provenance::{today, Counts, Exclusion, Provenance, Rejection};
use super::text::{read_latin1_or_utf8, sha256_hex, Encoding};
use crate::error::{Error, Problem, Result};

/// The raw file a table is derived from.
#[derive(Debug, Clone)]
pub struct RawFile {
    pub path: PathBuf,
    pub sha256: String,
    pub encoding: String,
    pub lines: usize,
}

/// What a table is and where it comes from.
#[derive(Debug, Clone, Copy)]
pub struct About<'a> {
    pub table: &'a str,
    pub source: &'a str,
    pub citation: &'a str,
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

/// The encodings a source may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// Names in Cyrillic or other scripts: read as Latin-1 they would turn into plausible garbage.
    Utf8,
    /// ASCII in practice; a copy re-saved by a spreadsheet in Latin-1 reads the same.
    Latin1OrUtf8,
}

/// A CSV file with a header line, its required columns found and its records checked for length.
pub struct CsvFile {
    pub raw: RawFile,
    /// The header's names, trimmed, for columns found by pattern rather than by name.
    pub header: Vec<String>,
    /// Each required column's name and position, in the order asked for.
    columns: Vec<(&'static str, usize)>,
    /// Every non-blank record of the header's length, with the line it starts on.
    pub records: Vec<(usize, csv::StringRecord)>,
    /// Records of the wrong length; they are not in `records`.
    problems: Vec<Problem>,
}

impl CsvFile {
    /// Reads `path` and checks that its header has every `required` column (in any case); `what`
    /// describes the expected file in the error message.
    pub fn read(path: &Path, text: Text, required: &[&'static str], what: &str) -> Result<CsvFile> {
        let (content, encoding, bytes) = read_latin1_or_utf8(path)?;
        let format_error = |message: String| Error::Format { path: path.to_path_buf(), message };
        if text == Text::Utf8 && encoding != Encoding::Utf8 {
            let valid = std::str::from_utf8(&bytes).err().map_or(0, |e| e.valid_up_to());
            let line = 1 + bytes[..valid].iter().filter(|&&b| b == b'\n').count();
            return Err(format_error(format!("line {line}: not valid UTF-8; the file's names need it: re-save it as UTF-8")));
        }
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(content.as_bytes());
        let mut records = reader.records();
        let header: Vec<String> = match records.next() {
            Some(Ok(header)) => header.iter().map(|n| n.trim().to_string()).collect(),
            Some(Err(e)) => return Err(format_error(format!("line 1: {e}"))),
            None => return Err(format_error(format!("line 1: no header line; expected {what}"))),
        };
        let missing: Vec<&str> = required.iter().copied().filter(|c| position_in(&header, c).is_none()).collect();
        if !missing.is_empty() {
            return Err(format_error(format!(
                "line 1: the header lacks the column(s) {}; expected {what} with the columns {}",
                quote_list(&missing),
                quote_list(required)
            )));
        }
        let columns = required.iter().map(|&c| (c, position_in(&header, c).expect("checked above"))).collect();
        let mut kept = Vec::new();
        let mut problems = Vec::new();
        let width = header.len();
        let mut lines = LineCounter { bytes: content.as_bytes(), position: 0, line: 1 };
        for record in records {
            let record = record.map_err(|e| format_error(e.to_string()))?;
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let line = lines.line_at(record.position().map_or(0, |p| p.byte() as usize));
            let problem = |column: &str, message: String| Problem { path: path.to_path_buf(), line, column: column.into(), message };
            if record.len() < width {
                let message = format!("missing: the record ends after {} of {width} fields (is the file truncated?)", record.len());
                problems.push(problem(&header[record.len()], message));
            } else if record.len() > width {
                let message = format!("expected {width} fields, found {}: a comma inside an unquoted field?", record.len());
                problems.push(problem("(past the last column)", message));
            } else {
                kept.push((line, record));
            }
        }
        let raw = RawFile::from_bytes(path, &bytes, encoding.label(), content.lines().count());
        Ok(CsvFile { raw, header, columns, records: kept, problems })
    }

    /// The position of an optional column, found by name in any case.
    pub fn position(&self, name: &str) -> Option<usize> {
        position_in(&self.header, name)
    }

    /// The fields of one record, read by column name.
    pub fn row<'a>(&'a self, index: usize, problems: &'a mut Vec<Problem>) -> Row<'a> {
        let (line, record) = &self.records[index];
        Row { file: self, line: *line, record, problems }
    }

    /// Nothing is written when any record has a defect: they are all reported at once, in line order.
    pub fn check(&self, problems: Vec<Problem>) -> Result<()> {
        let mut all = self.problems.clone();
        all.extend(problems);
        if all.is_empty() {
            return Ok(());
        }
        all.sort_by_key(|p| p.line);
        Err(Error::Invalid { path: self.raw.path.clone(), problems: all })
    }

    /// The provenance of the table derived from this file; every record kept was read.
    pub fn provenance(&self, about: About, outcome: Outcome) -> Provenance {
        self.raw.provenance(about, Outcome { records_read: self.records.len(), ..outcome })
    }
}

/// A header column's position, its name matched in any case.
fn position_in(header: &[String], name: &str) -> Option<usize> {
    header.iter().position(|n| n.eq_ignore_ascii_case(name))
}

/// Line numbers of records by their byte offsets, counted on from the previous record's (records come
/// in file order): counting from the start of the file for each record took quadratic time.
struct LineCounter<'a> {
    bytes: &'a [u8],
    /// The offset counted up to, and the line it is on.
    position: usize,
    line: usize,
}

impl LineCounter<'_> {
    /// The line a record starting at byte `start` is on. The csv reader's own line count can lag by one:
    /// it may place a record at the end of the line before, where it consumed the previous line break.
    fn line_at(&mut self, start: usize) -> usize {
        let bytes = self.bytes;
        let mut start = start.min(bytes.len());
        while start < bytes.len() && (bytes[start] == b'\n' || bytes[start] == b'\r') {
            start += 1;
        }
        self.line += bytes[self.position.min(start)..start].iter().filter(|&&b| b == b'\n').count();
        self.position = self.position.max(start);
        self.line
    }
}

/// Column names as messages list them: `a`, `b`.
pub fn quote_list(items: &[&str]) -> String {
    items.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
}

/// One record's fields; each defect becomes a problem naming the file, line and column.
pub struct Row<'a> {
    file: &'a CsvFile,
    pub line: usize,
    record: &'a csv::StringRecord,
    problems: &'a mut Vec<Problem>,
}

impl<'a> Row<'a> {
    pub fn problem(&mut self, column: &str, message: impl Into<String>) {
        self.problems.push(Problem { path: self.file.raw.path.clone(), line: self.line, column: column.into(), message: message.into() });
    }

    /// The trimmed text of a required column.
    pub fn text(&self, column: &str) -> &'a str {
        let position = self.file.columns.iter().find(|(name, _)| *name == column).map(|(_, p)| *p).expect("a required column");
        self.at(position)
    }

    /// The trimmed text in the header's `position`-th column, for columns found by pattern.
    pub fn at(&self, position: usize) -> &'a str {
        self.record[position].trim()
    }

    /// A whole number in `range`, or a problem naming what was found.
    pub fn integer(&mut self, column: &str, range: std::ops::RangeInclusive<i64>, what: &str) -> Option<i64> {
        let value = self.text(column);
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
        let value = self.text(column);
        match value.parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => {
                self.problem(column, format!("expected {what}, found `{value}`"));
                None
            }
        }
    }
}
