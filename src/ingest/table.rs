//! The derived tables in `datasets/`: what each holds, and the checks that guard them on both sides.
//!
//! An import stages a table only after every cell passes its column's check (finite, within the range
//! the column can plausibly take) and only when it has rows: an input with no records never replaces a
//! table. The table and its provenance are committed together, the provenance recording the table's
//! SHA-256 and row count. A run reads a table only after checking it again against that record, so a
//! table edited by hand or cut short is refused with the import to re-run, never read as if it were the
//! import's.

use std::path::{Path, PathBuf};

use polars::prelude::{DataFrame, DataType, ParquetCompression, ParquetReader, ParquetWriter, SerReader};

use sha2::Digest;

use super::provenance::Provenance;
use super::text::sha256_hex;
use crate::error::{Error, Problem, Result};

/// What a column holds, and the values it may take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Text,
    /// `true` or `false`.
    Flag,
    /// A whole number in the range; `optional` allows an empty cell.
    Integer { min: i64, max: i64, optional: bool },
    /// A finite number in the range; `optional` allows an empty cell.
    Number { min: f64, max: f64, optional: bool },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
}

impl Kind {
    /// A year of data: no source mdime reads reaches before 1800 (ATOP starts in 1815) or after 2100.
    pub const YEAR: Kind = Kind::Integer { min: 1800, max: 2100, optional: false };
    /// A count of events, deals, projects or people, up to a bound no real count in these sources nears.
    pub const COUNT: Kind = Kind::Integer { min: 0, max: 100_000_000, optional: false };
    pub const OPTIONAL_COUNT: Kind = Kind::Integer { min: 0, max: 100_000_000, optional: true };
    /// A line (or row) of an input file: a GDELT backfile or a concatenation of years holds more than the
    /// bound of a count.
    pub const LINE: Kind = Kind::Integer { min: 0, max: i64::MAX, optional: false };
    /// A share of a whole.
    pub const SHARE: Kind = Kind::Number { min: 0.0, max: 1.0, optional: false };
}

impl Column {
    pub const fn text(name: &'static str) -> Column {
        Column { name, kind: Kind::Text }
    }

    pub const fn new(name: &'static str, kind: Kind) -> Column {
        Column { name, kind }
    }

    /// A non-negative amount below `max` (TIV millions, US$ millions, personnel…).
    pub const fn amount(name: &'static str, max: f64) -> Column {
        Column { name, kind: Kind::Number { min: 0.0, max, optional: false } }
    }

    pub const fn optional_amount(name: &'static str, max: f64) -> Column {
        Column { name, kind: Kind::Number { min: 0.0, max, optional: true } }
    }

    /// Why `cell` is not a value of this column, or None when it is.
    fn defect(&self, cell: &str) -> Option<String> {
        let cell = cell.trim();
        match self.kind {
            Kind::Text => None,
            Kind::Flag => (!matches!(cell, "true" | "false")).then(|| format!("expected `true` or `false`, found `{cell}`")),
            Kind::Integer { optional: true, .. } | Kind::Number { optional: true, .. } if cell.is_empty() => None,
            Kind::Integer { min, max, .. } => match cell.parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => None,
                _ => Some(format!("expected a whole number from {min} to {max}, found `{cell}`")),
            },
            Kind::Number { min, max, .. } => match cell.parse::<f64>() {
                Ok(x) if x.is_finite() && (min..=max).contains(&x) => None,
                _ => Some(format!("expected a finite number from {min} to {max}, found `{cell}`")),
            },
        }
    }
}

/// A derived table: its file name in the datasets folder, the command that derives it, and its columns
/// in order.
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    pub file: &'static str,
    /// The command a user runs to derive the table again, shown when it is missing or refused.
    pub command: &'static str,
    pub columns: &'static [Column],
}

impl TableSpec {
    pub fn path(&self, datasets: &Path) -> PathBuf {
        datasets.join(self.file)
    }

    /// Checks a table's CSV bytes: the header is the spec's, and every cell fits its column. Returns the
    /// number of rows. `path` names the table in the problems.
    pub fn check(&self, path: &Path, csv: &[u8]) -> std::result::Result<usize, Vec<Problem>> {
        let problem = |line: usize, column: &str, message: String| Problem { path: path.to_path_buf(), line, column: column.into(), message };
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(csv);
        let mut records = reader.records();
        let expected: Vec<&str> = self.columns.iter().map(|c| c.name).collect();
        match records.next() {
            Some(Ok(header)) if header.iter().eq(expected.iter().copied()) => {}
            Some(Ok(header)) => {
                let found: Vec<&str> = header.iter().collect();
                return Err(vec![problem(1, "(header)", format!("expected the columns {}, found {}", expected.join(","), found.join(",")))]);
            }
            Some(Err(e)) => return Err(vec![problem(1, "(header)", e.to_string())]),
            None => return Err(vec![problem(1, "(header)", "the table is empty".into())]),
        }
        let mut problems = Vec::new();
        let mut rows = 0;
        for record in records {
            let line = rows + 2;
            rows += 1;
            let record = match record {
                Ok(record) => record,
                Err(e) => {
                    problems.push(problem(line, "(record)", e.to_string()));
                    continue;
                }
            };
            if record.len() != self.columns.len() {
                problems.push(problem(line, "(record)", format!("expected {} fields, found {}: the table is cut short or edited", self.columns.len(), record.len())));
                continue;
            }
            for (column, cell) in self.columns.iter().zip(record.iter()) {
                if let Some(message) = column.defect(cell) {
                    problems.push(problem(line, column.name, message));
                }
            }
        }
        if problems.is_empty() {
            Ok(rows)
        } else {
            Err(problems)
        }
    }
}

/// Writes a derived table and its provenance beside it, both or neither, once the table passes its
/// checks. An import that found no records writes nothing: the previous table, if any, stays.
/// The provenance gains the table's hash and row count.
pub fn write_table(datasets: &Path, spec: &TableSpec, csv: &[u8], provenance: &mut Provenance, input: &Path) -> Result<PathBuf> {
    write_table_from(datasets, spec, csv, provenance, input, &[])
}

/// `write_table` for a table whose rows each sum records of `input` on known lines: `origins[i]` lists
/// the lines of the records behind row `i`, and a value out of its column's range is reported on them,
/// where a user can fix it, rather than on a line of a table that was never written.
pub fn write_table_from(datasets: &Path, spec: &TableSpec, csv: &[u8], provenance: &mut Provenance, input: &Path, origins: &[Vec<usize>]) -> Result<PathBuf> {
    let mut batch = crate::artefact::Batch::new();
    let table = stage_table(&mut batch, datasets, spec, csv, provenance, input, true, origins)?;
    batch.commit()?;
    Ok(table)
}

/// Problems found in a table about to be written, placed in the input where the rows' origins are
/// known (`origins[i]`: the input lines behind row `i`, which is on the table's line `i + 2`); others
/// keep the table's line.
fn in_input(problems: Vec<Problem>, table: &Path, input: &Path, origins: &[Vec<usize>]) -> Vec<Problem> {
    let name = table.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    problems
        .into_iter()
        .map(|p| match p.line.checked_sub(2).and_then(|row| origins.get(row)).filter(|lines| !lines.is_empty()) {
            Some(lines) => {
                let listed: Vec<String> = lines.iter().map(usize::to_string).collect();
                Problem {
                    path: input.to_path_buf(),
                    line: lines[0],
                    column: p.column.clone(),
                    message: format!("{} in `{}` of {name} (line {}), made from the record(s) on line(s) {}", p.message, p.column, p.line, listed.join(", ")),
                }
            }
            None => p,
        })
        .collect()
}

/// `write_table` for one of several tables an import writes together: the table and its provenance are
/// staged in `batch`, which the caller commits once every table is staged. Where another of the tables
/// proves the input had records, this one may have none (`rows_required` false): it is written as its
/// header alone. `origins` are as for `write_table_from` (empty where unknown).
#[allow(clippy::too_many_arguments)]
pub fn stage_table(
    batch: &mut crate::artefact::Batch,
    datasets: &Path,
    spec: &TableSpec,
    csv: &[u8],
    provenance: &mut Provenance,
    input: &Path,
    rows_required: bool,
    origins: &[Vec<usize>],
) -> Result<PathBuf> {
    let table = spec.path(datasets);
    // Rows serialise their header with the first of them: no rows, no bytes.
    let header_only;
    let csv = if csv.iter().filter(|&&b| b == b'\n').count() >= 2 {
        csv
    } else if rows_required {
        return Err(Error::Empty { path: input.to_path_buf(), table });
    } else {
        header_only = format!("{}\n", spec.columns.iter().map(|c| c.name).collect::<Vec<_>>().join(","));
        header_only.as_bytes()
    };
    let rows = spec.check(&table, csv).map_err(|problems| Error::Implausible { input: input.to_path_buf(), problems: in_input(problems, &table, input, origins) })?;
    stage_with_provenance(batch, &table, csv, rows, provenance)?;
    Ok(table)
}

fn stage_with_provenance(batch: &mut crate::artefact::Batch, table: &Path, bytes: &[u8], rows: usize, provenance: &mut Provenance) -> Result<()> {
    batch.stage(table, bytes)?;
    stage_provenance(batch, table, sha256_hex(bytes), rows, provenance)
}

/// Stages a table's provenance, with the table's hash and rows.
fn stage_provenance(batch: &mut crate::artefact::Batch, table: &Path, sha256: String, rows: usize, provenance: &mut Provenance) -> Result<()> {
    provenance.table_sha256 = sha256;
    provenance.counts.rows_written = rows;
    batch.stage(&Provenance::path_for(table), provenance.to_toml().as_bytes())
}

/// Rows per row group of a frame polars writes whole (`ParquetWriter::finish`).
const ROW_GROUP: usize = 512 * 512;

/// The row groups polars writes a frame of `rows` rows (in one chunk) in: one under `ROW_GROUP` rows,
/// else `rows / ROW_GROUP` groups of equal size, the last taking what is left. A table written group by
/// group in these sizes is the same bytes as the table written whole.
fn row_groups(rows: usize) -> Vec<usize> {
    let n = (rows / ROW_GROUP).max(1);
    let size = rows / n;
    let mut groups = vec![size; n - 1];
    groups.push(rows - size * (n - 1));
    groups
}

/// A large derived table kept as Parquet (`event_rows.parquet`): staged like a CSV table, once every
/// column has its spec's type and every value its range. Too large to hold, its `rows` rows are asked
/// of `group` a row group at a time (a frame of the rows asked for, in order), each checked and written
/// as it comes; the file is the same as the table written whole.
/// Like `stage_table`, a Parquet table may have no rows where another table proves the input had records.
#[allow(clippy::too_many_arguments)]
pub fn stage_parquet(
    batch: &mut crate::artefact::Batch,
    datasets: &Path,
    spec: &TableSpec,
    rows: usize,
    mut group: impl FnMut(usize) -> Result<DataFrame>,
    provenance: &mut Provenance,
    input: &Path,
    rows_required: bool,
) -> Result<PathBuf> {
    let table = spec.path(datasets);
    if rows == 0 && rows_required {
        return Err(Error::Empty { path: input.to_path_buf(), table });
    }
    let mut hasher = sha2::Sha256::new();
    let mut failed = None;
    let staged = batch.stage_with(&table, |out| {
        let mut out = Hashing { out, hasher: &mut hasher };
        let mut write = || -> Result<()> {
            let mut frames = row_groups(rows).into_iter().map(|size| {
                let frame = group(size)?;
                check_frame(spec, &table, &frame).map_err(|problems| Error::Implausible { input: input.to_path_buf(), problems })?;
                Ok::<_, Error>(frame)
            });
            let first = frames.next().expect("there is at least one row group, if empty")?;
            let mut writer = ParquetWriter::new(&mut out).with_compression(ParquetCompression::Zstd(None)).batched(first.schema())?;
            writer.write_batch(&first)?;
            for frame in frames {
                writer.write_batch(&frame?)?;
            }
            writer.finish()?;
            Ok(())
        };
        write().map_err(|e| {
            let message = e.to_string();
            failed = Some(e);
            std::io::Error::other(message)
        })
    });
    if let Some(e) = failed {
        return Err(e);
    }
    staged?;
    stage_provenance(batch, &table, hasher.finalize().iter().map(|b| format!("{b:02x}")).collect(), rows, provenance)?;
    Ok(table)
}

/// A writer that hashes what passes through it.
struct Hashing<'a> {
    out: &'a mut dyn std::io::Write,
    hasher: &'a mut sha2::Sha256,
}

impl std::io::Write for Hashing<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Checks a Parquet table's columns against its spec: names and order, types, and every value's range.
fn check_frame(spec: &TableSpec, path: &Path, frame: &DataFrame) -> std::result::Result<usize, Vec<Problem>> {
    let problem = |column: &str, message: String| Problem { path: path.to_path_buf(), line: 0, column: column.into(), message };
    let names: Vec<&str> = frame.get_column_names().iter().map(|n| n.as_str()).collect();
    let expected: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
    if names != expected {
        return Err(vec![problem("(header)", format!("expected the columns {}, found {}", expected.join(","), names.join(",")))]);
    }
    let mut problems = Vec::new();
    for column in spec.columns {
        let series = frame.column(column.name).map_err(|e| vec![problem(column.name, e.to_string())])?.as_materialized_series().clone();
        let (dtype, optional) = match column.kind {
            Kind::Text => (DataType::String, true),
            Kind::Flag => (DataType::Boolean, false),
            Kind::Integer { optional, .. } => (DataType::Int64, optional),
            Kind::Number { optional, .. } => (DataType::Float64, optional),
        };
        if series.dtype() != &dtype {
            problems.push(problem(column.name, format!("expected {dtype}, found {}", series.dtype())));
            continue;
        }
        if !optional && series.null_count() > 0 {
            problems.push(problem(column.name, format!("{} empty values where every row needs one", series.null_count())));
        }
        let out_of_range = match column.kind {
            Kind::Integer { min, max, .. } => series.i64().map(|c| c.iter().flatten().filter(|v| !(min..=max).contains(v)).count()).unwrap_or(0),
            Kind::Number { min, max, .. } => series.f64().map(|c| c.iter().flatten().filter(|v| !(v.is_finite() && (min..=max).contains(v))).count()).unwrap_or(0),
            Kind::Text | Kind::Flag => 0,
        };
        if out_of_range > 0 {
            problems.push(problem(column.name, format!("{out_of_range} values outside the column's range")));
        }
    }
    if problems.is_empty() {
        Ok(frame.height())
    } else {
        Err(problems)
    }
}

/// `find_table` for a Parquet table: its hash against its provenance's, then its rows, types and ranges.
pub fn find_parquet(datasets: &Path, spec: &TableSpec) -> Result<Option<(PathBuf, Provenance, DataFrame)>> {
    let table = spec.path(datasets);
    if !table.exists() {
        return Ok(None);
    }
    let (bytes, provenance) = checked_bytes(&table, spec)?;
    let refuse = |message: String| Error::TableChanged { path: table.clone(), message, command: spec.command.to_string() };
    let frame = ParquetReader::new(std::io::Cursor::new(bytes)).finish().map_err(|e| refuse(format!("it is not a readable Parquet file: {e}")))?;
    match check_frame(spec, &table, &frame) {
        Ok(rows) if rows == provenance.counts.rows_written => Ok(Some((table, provenance, frame))),
        Ok(rows) => Err(refuse(format!("it has {rows} rows where its import wrote {}", provenance.counts.rows_written))),
        Err(problems) => Err(refuse(crate::error::list_problems(&problems))),
    }
}

/// Text with CRLF line endings turned to LF; other text as it is.
fn lf_line_endings(bytes: Vec<u8>) -> Vec<u8> {
    if !bytes.windows(2).any(|w| w == b"\r\n") {
        return bytes;
    }
    let mut lf = Vec::with_capacity(bytes.len());
    let mut rest = bytes.as_slice();
    while let Some(at) = memchr::memmem::find(rest, b"\r\n") {
        lf.extend_from_slice(&rest[..at]);
        lf.push(b'\n');
        rest = &rest[at + 2..];
    }
    lf.extend_from_slice(rest);
    lf
}

/// A derived table's bytes and provenance, once its hash matches the one its import recorded (over
/// its text with LF line endings, for a CSV table).
fn checked_bytes(table: &Path, spec: &TableSpec) -> Result<(Vec<u8>, Provenance)> {
    let refuse = |message: String| Error::TableChanged { path: table.to_path_buf(), message, command: spec.command.to_string() };
    let provenance_path = Provenance::path_for(table);
    if !provenance_path.exists() {
        return Err(refuse(format!("its provenance {} is missing", provenance_path.display())));
    }
    let provenance = Provenance::load(&provenance_path)?;
    let mut bytes = std::fs::read(table).map_err(|source| Error::Read { path: table.to_path_buf(), source })?;
    if !spec.file.ends_with(".parquet") {
        // mdime writes LF; a checkout that converted line endings (Git on Windows) holds the same table.
        bytes = lf_line_endings(bytes);
    }
    if provenance.table_sha256.is_empty() {
        return Err(refuse("its provenance records no hash of the table (written by an older mdime)".into()));
    }
    if sha256_hex(&bytes) != provenance.table_sha256 {
        return Err(refuse(format!(
            "its SHA-256 differs from the one its import recorded in {}: the table was edited or cut short",
            provenance_path.display()
        )));
    }
    Ok((bytes, provenance))
}

/// A derived table checked against its provenance: its path and provenance, or None when it has not
/// been imported. A table whose bytes, row count or cells no longer match what its import wrote is
/// refused with the command that derives it again.
/// A Parquet table (`spec.file` ending `.parquet`) is checked as `find_parquet` checks it.
pub fn find_table(datasets: &Path, spec: &TableSpec) -> Result<Option<(PathBuf, Provenance)>> {
    if spec.file.ends_with(".parquet") {
        return Ok(find_parquet(datasets, spec)?.map(|(table, provenance, _)| (table, provenance)));
    }
    let table = spec.path(datasets);
    if !table.exists() {
        return Ok(None);
    }
    let (bytes, provenance) = checked_bytes(&table, spec)?;
    let refuse = |message: String| Error::TableChanged { path: table.clone(), message, command: spec.command.to_string() };
    match spec.check(&table, &bytes) {
        Ok(rows) if rows == provenance.counts.rows_written => Ok(Some((table, provenance))),
        Ok(rows) => Err(refuse(format!("it has {rows} rows where its import wrote {}", provenance.counts.rows_written))),
        Err(problems) => Err(refuse(crate::error::list_problems(&problems))),
    }
}

/// `find_table` for a table the run cannot do without.
pub fn require_table(datasets: &Path, spec: &TableSpec) -> Result<(PathBuf, Provenance)> {
    find_table(datasets, spec)?.ok_or_else(|| Error::MissingDataset { path: spec.path(datasets), command: spec.command.to_string() })
}
