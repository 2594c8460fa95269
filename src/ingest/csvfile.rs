//! Raw CSV files with one header row, as the smaller sources publish them: the columns an import needs,
//! found by name; every record with the line it starts on; records cut short or running long reported
//! rather than guessed at, since a file truncated mid-record looks like any other until counted.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::provenance::{today, Counts, Exclusion, Provenance};
use super::text::{read_latin1_or_utf8, sha256_hex, Encoding};
use crate::domain::CountryTable;
use crate::error::{Error, Problem, Result};

/// The encodings a source may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// Names in Cyrillic or other scripts: read as Latin-1 they would turn into plausible garbage.
    Utf8,
    /// ASCII in practice; a copy re-saved by a spreadsheet in Latin-1 reads the same.
    Latin1OrUtf8,
}

/// One record with a non-blank field.
#[derive(Debug, Clone)]
pub struct Record {
    pub line: usize,
    fields: Vec<String>,
}

#[derive(Debug)]
pub struct CsvFile {
    path: PathBuf,
    sha256: String,
    encoding: Encoding,
    lines: usize,
    pub header: Vec<String>,
    /// Positions of the required columns, in the order they were asked for.
    columns: Vec<usize>,
    required: Vec<String>,
    pub records: Vec<Record>,
    /// Records of the wrong length; they are not in `records`.
    problems: Vec<Problem>,
}

impl CsvFile {
    /// Reads `path`, checks that its header has every `required` column (`expected` describes the file
    /// for the error message) and keeps every record with a non-blank field.
    pub fn read(path: &Path, text: Text, required: &[&str], expected: &str) -> Result<CsvFile> {
        let (content, encoding, bytes) = read_latin1_or_utf8(path)?;
        let format_error = |message: String| Error::Format { path: path.to_path_buf(), message };
        if text == Text::Utf8 && encoding != Encoding::Utf8 {
            let valid = std::str::from_utf8(&bytes).err().map_or(0, |e| e.valid_up_to());
            let line = 1 + bytes[..valid].iter().filter(|&&b| b == b'\n').count();
            return Err(format_error(format!("line {line}: not valid UTF-8; the file's names need it: re-save it as UTF-8")));
        }
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(content.as_bytes());
        let mut rows = reader.records();
        let header: Vec<String> = match rows.next() {
            Some(Ok(h)) => h.iter().map(|n| n.trim().to_string()).collect(),
            _ => return Err(format_error(format!("line 1: no header line; expected {expected}"))),
        };
        let find = |wanted: &str| header.iter().position(|n| n.eq_ignore_ascii_case(wanted));
        let missing: Vec<&str> = required.iter().copied().filter(|c| find(c).is_none()).collect();
        if !missing.is_empty() {
            return Err(format_error(format!(
                "line 1: the header lacks the column(s) {}; expected {expected} with the columns {}",
                quote_list(&missing),
                quote_list(required)
            )));
        }
        let columns = required.iter().map(|c| find(c).expect("checked above")).collect();
        let mut file = CsvFile {
            path: path.to_path_buf(),
            sha256: sha256_hex(&bytes),
            encoding,
            lines: content.lines().count(),
            header,
            columns,
            required: required.iter().map(|c| c.to_string()).collect(),
            records: Vec::new(),
            problems: Vec::new(),
        };
        for row in rows {
            let row = row.map_err(|e| format_error(e.to_string()))?;
            let line = row.position().map_or(0, |p| p.line() as usize);
            if row.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let width = file.header.len();
            if row.len() < width {
                let message = format!("the record ends after {} of {width} fields: the file is truncated or a field is missing", row.len());
                file.problems.push(file.problem(line, &file.header[row.len()], message));
                continue;
            }
            if row.len() > width {
                let message = format!("expected {width} fields, found {}: a comma inside an unquoted field?", row.len());
                file.problems.push(file.problem(line, "(past the last column)", message));
                continue;
            }
            file.records.push(Record { line, fields: row.iter().map(String::from).collect() });
        }
        Ok(file)
    }

    /// The `i`-th required column's value in a record, trimmed.
    pub fn field<'r>(&self, record: &'r Record, i: usize) -> &'r str {
        self.value(record, self.columns[i])
    }

    /// The `i`-th required column's name, as the caller spelled it.
    pub fn column(&self, i: usize) -> &str {
        &self.required[i]
    }

    /// The value in the header's `index`-th column, trimmed, for columns found by pattern rather than name.
    pub fn value<'r>(&self, record: &'r Record, index: usize) -> &'r str {
        record.fields[index].trim()
    }

    pub fn problem(&self, line: usize, column: &str, message: String) -> Problem {
        Problem { path: self.path.clone(), line, column: column.to_string(), message }
    }

    fn file_name(&self) -> String {
        self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }

    /// Nothing is written when any record has a defect: they are all reported at once.
    pub fn check(&self, problems: Vec<Problem>) -> Result<()> {
        let mut all = self.problems.clone();
        all.extend(problems);
        if all.is_empty() {
            return Ok(());
        }
        all.sort_by_key(|p| p.line);
        Err(Error::Invalid { path: self.path.clone(), problems: all })
    }

    /// The provenance of a table derived from this file alone: the file's name, hash, encoding and line
    /// and record counts; the import fills in what it did.
    pub fn provenance(&self, table: &str, source: &str, citation: &str) -> Provenance {
        Provenance {
            table: table.into(),
            source: source.into(),
            citation: citation.into(),
            source_file: self.file_name(),
            sha256: self.sha256.clone(),
            encoding: self.encoding.label().into(),
            data_generated: String::new(),
            imported_on: today(),
            mdime_version: env!("CARGO_PKG_VERSION").into(),
            method: String::new(),
            counts: Counts { lines: self.lines, records_read: self.records.len(), ..Counts::default() },
            rejected: Vec::new(),
            inputs: Vec::new(),
            excluded: Vec::new(),
            comparisons: Vec::new(),
        }
    }
}

/// Rows set aside on purpose, counted by reason, in the order of the reasons.
pub fn exclusions(counted: BTreeMap<String, usize>) -> Vec<Exclusion> {
    counted.into_iter().map(|(reason, rows)| Exclusion { reason, rows }).collect()
}

/// What to say about a name the country table does not know, with the closest known names.
pub fn unknown_country(countries: &CountryTable, name: &str) -> String {
    let suggestions = countries.suggest(name);
    let hint = if suggestions.is_empty() { String::new() } else { format!("; did you mean {}?", suggestions.join(", ")) };
    format!(
        "unknown country `{name}`{hint} (add it to datasets/country_aliases.csv if it is a new spelling, or to \
         non_country_names.csv if it is an organisation or a group)"
    )
}

pub fn quote_list(items: &[&str]) -> String {
    items.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
}
