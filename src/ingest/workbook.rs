//! One worksheet of an .xlsx workbook read as a table: a header row of column names (trimmed, so that
//! `region ` and `region` are one column), then one record per row. Every defect becomes a problem
//! naming the sheet and cell (`Sheet1!D12`). calamine reads transitional and Strict Open XML workbooks
//! alike (NBR's Borderlands workbook is Strict, which some readers cannot open).

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Range, Reader, Xlsx};

use super::one_file::{quote_list, RawFile};
use crate::error::{Error, Problem, Result};

/// A worksheet whose first row names its columns.
pub struct Sheet {
    pub raw: RawFile,
    pub name: String,
    range: Range<Data>,
    /// The header's names, trimmed; an unnamed column is empty.
    pub header: Vec<String>,
    /// Absolute positions of the header row and of the first column.
    origin: (u32, u32),
    last_row: u32,
}

impl Sheet {
    /// Reads the workbook's first sheet, whose first row must name every column in `required` (in any
    /// order, spaces around a name aside); `what` describes the expected workbook in messages.
    pub fn open(path: &Path, required: &[&str], what: &str) -> Result<Sheet> {
        let bytes = std::fs::read(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
        let format_error = |message: String| Error::Format { path: path.to_path_buf(), message };
        let mut workbook: Xlsx<_> =
            Xlsx::new(Cursor::new(bytes.as_slice())).map_err(|e| format_error(format!("not a readable .xlsx workbook ({e}); expected {what}")))?;
        let name = workbook.sheet_names().first().cloned().ok_or_else(|| format_error("the workbook has no sheet".into()))?;
        let range = workbook.worksheet_range(&name).map_err(|e| format_error(format!("sheet `{name}` cannot be read: {e}")))?;
        let origin = range.start().unwrap_or((0, 0));
        let (last_row, last_column) = range.end().unwrap_or((0, 0));
        let header: Vec<String> = (origin.1..=last_column).map(|c| text(range.get_value((origin.0, c)))).collect();
        let missing: Vec<&str> = required.iter().copied().filter(|c| !header.iter().any(|h| h == c.trim())).collect();
        if !missing.is_empty() {
            return Err(format_error(format!(
                "sheet `{name}`, row {}: the header lacks the column(s) {}; expected {what}",
                origin.0 + 1,
                quote_list(&missing)
            )));
        }
        let raw = RawFile::from_bytes(path, &bytes, "xlsx", last_row as usize + 1);
        Ok(Sheet { raw, name, range, header, origin, last_row })
    }

    pub fn path(&self) -> &PathBuf {
        &self.raw.path
    }

    /// The rows after the header, by absolute position; blank rows included (see `is_blank`).
    pub fn rows(&self) -> std::ops::RangeInclusive<u32> {
        self.origin.0 + 1..=self.last_row
    }

    /// The absolute column of a header name; the caller asked for it in `required`.
    fn position(&self, column: &str) -> u32 {
        self.origin.1 + self.header.iter().position(|h| h == column.trim()).expect("a required column") as u32
    }

    /// A cell by its column's name (a required one) or, for an unnamed column, by `Column::At`.
    pub fn cell(&self, row: u32, column: Column) -> &Data {
        let position = match column {
            Column::Named(name) => self.position(name),
            Column::At(offset) => self.origin.1 + offset,
        };
        self.range.get_value((row, position)).unwrap_or(&Data::Empty)
    }

    /// A cell as text, trimmed; numbers as calamine writes them.
    pub fn text(&self, row: u32, column: Column) -> String {
        text(Some(self.cell(row, column)))
    }

    pub fn is_blank(&self, row: u32) -> bool {
        (0..self.header.len() as u32).all(|c| text(Some(self.cell(row, Column::At(c)))).is_empty())
    }

    /// A problem in a cell, named `sheet!A1` with the column's header.
    pub fn problem(&self, row: u32, column: Column, message: impl Into<String>) -> Problem {
        let (position, label) = match column {
            Column::Named(name) => (self.position(name), name.trim().to_string()),
            Column::At(offset) => match self.header.get(offset as usize).filter(|h| !h.is_empty()) {
                Some(name) => (self.origin.1 + offset, name.clone()),
                None => (self.origin.1 + offset, format!("unnamed column {}", offset + 1)),
            },
        };
        Problem {
            path: self.raw.path.clone(),
            line: row as usize + 1,
            column: format!("{}!{}", self.name, cell_name(row, position)),
            message: format!("`{label}`: {}", message.into()),
        }
    }

    /// A whole number in `range`, or None with a problem.
    pub fn integer(&self, row: u32, column: Column, range: std::ops::RangeInclusive<i64>, what: &str, problems: &mut Vec<Problem>) -> Option<i64> {
        let value = number(self.cell(row, column)).filter(|x| x.fract() == 0.0 && range.contains(&(*x as i64))).map(|x| x as i64);
        if value.is_none() {
            problems.push(self.problem(row, column, format!("expected {what}, found `{}`", self.text(row, column))));
        }
        value
    }
}

/// How a column is found: by its header name, or by its offset from the sheet's first column where the
/// header leaves it unnamed (a pandas index).
#[derive(Debug, Clone, Copy)]
pub enum Column<'a> {
    Named(&'a str),
    At(u32),
}

/// A cell's text, trimmed; empty for an empty cell.
pub fn text(value: Option<&Data>) -> String {
    match value {
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// A numeric cell's value, or a text cell's that parses as a number (`inf` parses, and is refused by
/// the callers that need a finite one).
pub fn number(value: &Data) -> Option<f64> {
    match value {
        Data::Float(x) => Some(*x),
        Data::Int(n) => Some(*n as f64),
        Data::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The spreadsheet name of a zero-based cell: (6, 2) → `C7`.
pub fn cell_name(row: u32, column: u32) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8(letters).expect("ASCII letters"), row + 1)
}
