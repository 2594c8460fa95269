//! What the imports of a table derived from one raw file share: the file's identity (name, hash,
//! encoding), its provenance record, and for CSV files with one header line the header check, records
//! of the wrong length reported rather than guessed at (a file truncated mid-record looks like any other
//! until counted), and a reader of one record's fields that collects every defect with its line and
//! column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::provenance::{today, Counts, Exclusion, Provenance, Rejection};
use super::text::{decode, require_utf8, sha256_hex, Encoding};
use crate::error::{Error, Problem, Result};

/// The raw file a table is derived from.
#[derive(Debug, Clone)]
pub struct RawFile {
    pub path: PathBuf,
    pub sha256: String,
    pub encoding: String,
    pub lines: usize,
    /// What decoding and reading normalised (line endings, a byte-order mark, padding), for provenance.
    pub normalised: Vec<String>,
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
        RawFile { path: path.to_path_buf(), sha256: sha256_hex(bytes), encoding: encoding.to_string(), lines, normalised: Vec::new() }
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
            layout: String::new(),
            normalised: self.normalised.clone(),
            table_sha256: String::new(),
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

/// One layout a publisher has shipped a CSV source in: the columns that identify it, how far past a
/// preamble of notes its header may be, and the cells its codebook uses for a missing value.
#[derive(Debug, Clone, Copy)]
pub struct CsvLayout {
    /// What the layout is, as messages name it (`SIPRI trade register`).
    pub name: &'static str,
    pub text: Text,
    /// Columns the header must have (in any case and order); the first is what the header starts with
    /// when a message shows the expected layout.
    pub required: &'static [&'static str],
    /// Lines of notes the publisher may put before the header.
    pub max_preamble: usize,
    /// Whether the publisher quotes nothing, so that a newline inside a field breaks its record in two
    /// (SIPRI's `Comments`): a short record is then joined with the line after it.
    pub unquoted: bool,
    /// The cells that mean "no figure", besides the empty cell.
    pub missing: &'static [&'static str],
    /// Other names a required column has had in the publisher's releases, as (name asked for, other
    /// name): publishers rename columns between releases (SIPRI's `Number delivered` became `Deliveries
    /// in the Year Range` in 2026), and a renamed column is still the same column.
    pub renamed: &'static [(&'static str, &'static str)],
}

impl CsvLayout {
    /// A layout with its header on the first line, fields quoted as CSV quotes them, and only empty
    /// cells missing.
    pub const fn plain(name: &'static str, text: Text, required: &'static [&'static str]) -> CsvLayout {
        CsvLayout { name, text, required, max_preamble: 0, unquoted: false, missing: &[], renamed: &[] }
    }

    /// Where a required column stands in a header: under the name asked for, or under a name it has had.
    fn locate(&self, header: &[String], column: &str) -> Option<usize> {
        position_in(header, column).or_else(|| {
            self.renamed.iter().filter(|(asked, _)| *asked == column).find_map(|(_, other)| position_in(header, other))
        })
    }

    fn describe(&self) -> String {
        let preamble = if self.max_preamble > 0 { ", after a preamble of notes" } else { "" };
        format!("{} (a header with {}{preamble})", self.name, quote_list(self.required))
    }
}

/// A CSV file in a known layout: its header found, its records checked for length.
pub struct CsvFile {
    pub raw: RawFile,
    pub layout: CsvLayout,
    /// The lines before the header (a publisher's notes: `Data generated: …`), trimmed.
    pub preamble: Vec<String>,
    /// The header's names, trimmed, for columns found by pattern rather than by name.
    pub header: Vec<String>,
    /// Each required column's name and position, in the order asked for.
    columns: Vec<(&'static str, usize)>,
    /// Every non-blank record of the header's length, with the line it starts on.
    pub records: Vec<(usize, csv::StringRecord)>,
    /// Records broken by a newline inside a field and joined again.
    pub rejoined: usize,
    /// Records of the wrong length; they are not in `records`.
    problems: Vec<Problem>,
}

impl CsvFile {
    /// Reads `path` in the one layout `required` describes, with its header on the first line; `what`
    /// describes the expected file in the error message.
    pub fn read(path: &Path, text: Text, required: &'static [&'static str], what: &'static str) -> Result<CsvFile> {
        CsvFile::detect(path, &[CsvLayout::plain(what, text, required)])
    }

    /// Reads `path` in the first of `layouts` whose header it has. A file in none of them is refused
    /// with what its first line holds and the layouts that are read.
    pub fn detect(path: &Path, layouts: &[CsvLayout]) -> Result<CsvFile> {
        let decoded = decode(path)?;
        let lines: Vec<&str> = decoded.text.lines().collect();
        let found = layouts.iter().find_map(|layout| {
            let at = lines.iter().take(layout.max_preamble + 1).position(|line| {
                let names = split_header(line);
                layout.required.iter().all(|c| layout.locate(&names, c).is_some())
            })?;
            Some((*layout, at))
        });
        let Some((layout, header_at)) = found else {
            return Err(Error::Format { path: path.to_path_buf(), message: no_layout(&lines, layouts) });
        };
        if layout.text == Text::Utf8 && decoded.encoding == Encoding::Latin1 {
            require_utf8(path, &decoded.bytes)?;
        }
        CsvFile::parse(path, decoded, layout, header_at)
    }

    fn parse(path: &Path, mut decoded: super::text::Decoded, layout: CsvLayout, header_at: usize) -> Result<CsvFile> {
        let format_error = |message: String| Error::Format { path: path.to_path_buf(), message };
        let all_lines: Vec<&str> = decoded.text.lines().collect();
        let preamble: Vec<String> = all_lines[..header_at].iter().map(|l| l.trim().trim_end_matches([',', ';']).trim().to_string()).collect();
        // A spreadsheet re-save can close every line with a `;` that is not the comma-separated file's
        // separator: seen on the header, it is taken off every line.
        let closing_semicolon = all_lines[header_at].trim_end().ends_with(';') && !all_lines[header_at].contains(";\"");
        let body: String = if closing_semicolon {
            decoded.normalised.push("a `;` closing each line removed".into());
            all_lines[header_at..].iter().map(|l| format!("{}\n", l.trim_end().strip_suffix(';').unwrap_or(l.trim_end()))).collect()
        } else {
            all_lines[header_at..].iter().map(|l| format!("{l}\n")).collect()
        };
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).quoting(!layout.unquoted).from_reader(body.as_bytes());
        let mut records = reader.records();
        let header: Vec<String> = match records.next() {
            Some(Ok(header)) => header.iter().map(|n| n.trim().to_string()).collect(),
            Some(Err(e)) => return Err(format_error(format!("line {}: {e}", header_at + 1))),
            None => return Err(format_error(format!("no header line; expected {}", layout.describe()))),
        };
        let columns = layout.required.iter().map(|&c| (c, layout.locate(&header, c).expect("the layout was detected by these columns"))).collect();
        let width = header.len();
        let mut lines_and_fields = Vec::new();
        let mut lines = LineCursor::new(&body);
        for record in records {
            let record = record.map_err(|e| format_error(e.to_string()))?;
            let fields: Vec<String> = record.iter().map(String::from).collect();
            if fields.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            lines_and_fields.push((header_at + lines.line_at(record.position().map_or(0, |p| p.byte() as usize)), fields));
        }
        let mut kept = Vec::new();
        let mut problems = Vec::new();
        let mut padded = 0;
        let mut rejoined = 0;
        let mut records = lines_and_fields.into_iter().peekable();
        while let Some((start, mut fields)) = records.next() {
            // Spreadsheets pad every row to the widest one: empty fields past the header's width are padding.
            if fields.len() > width && fields[width..].iter().all(|f| f.trim().is_empty()) {
                fields.truncate(width);
                padded += 1;
            }
            // In a file that quotes nothing, a newline inside a field breaks its record in two: the first
            // half is short (or padded with empty fields by a spreadsheet, and then the second half starts
            // with an empty field, where the broken one goes on, which no record's first field is).
            while layout.unquoted && fields.len() <= width {
                let Some((_, next)) = records.peek() else { break };
                let head = unpadded(fields.clone());
                let tail = unpadded(next.clone());
                let padded_halves = fields.len() == width && next.first().is_some_and(|f| f.trim().is_empty()) && head.len() + tail.len() - 1 <= width;
                if !(fields.len() < width || padded_halves) {
                    break;
                }
                let (_, next) = records.next().expect("peeked");
                let mut rest = if padded_halves { tail } else { next }.into_iter();
                fields = head;
                let continued = rest.next().unwrap_or_default();
                if let Some(last) = fields.last_mut().filter(|_| !continued.trim().is_empty()) {
                    last.push(' ');
                    last.push_str(continued.trim());
                }
                fields.extend(rest);
                if padded_halves {
                    fields.resize(width.max(fields.len()), String::new());
                }
                rejoined += 1;
            }
            let problem = |column: &str, message: String| Problem { path: path.to_path_buf(), line: start, column: column.into(), message };
            if fields.len() < width {
                let message = format!("missing: the record ends after {} of {width} fields (is the file truncated or a record broken?)", fields.len());
                problems.push(problem(&header[fields.len()], message));
            } else if fields.len() > width {
                let message = format!("expected {width} fields, found {}: a comma inside an unquoted field?", fields.len());
                problems.push(problem("(past the last column)", message));
            } else {
                kept.push((start, csv::StringRecord::from(fields)));
            }
        }
        if padded > 0 {
            decoded.normalised.push(format!("{padded} records padded with empty fields trimmed"));
        }
        let lines = decoded.lines();
        let raw = RawFile { path: path.to_path_buf(), sha256: decoded.sha256(), encoding: decoded.encoding.label().to_string(), lines, normalised: decoded.normalised };
        Ok(CsvFile { raw, layout, preamble, header, columns, records: kept, rejoined, problems })
    }

    /// The value of a preamble note `Key: value` (SIPRI's `Data generated: 13 Mar 2025`), if present.
    pub fn note(&self, key: &str) -> Option<&str> {
        self.preamble.iter().find_map(|l| l.strip_prefix(key)).map(|v| v.trim_start_matches(':').trim())
    }

    /// The position of an optional column, found by name in any case.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.layout.locate(&self.header, name)
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
        let mut provenance = self.raw.provenance(about, Outcome { records_read: self.records.len(), ..outcome });
        provenance.counts.records_rejoined = self.rejoined;
        provenance.layout = self.layout.name.to_string();
        provenance
    }
}

/// Why a file is in none of `layouts`: the header of the layout it comes closest to, with the columns it
/// lacks, where a line has at least half of one layout's columns; otherwise what its first line holds.
fn no_layout(lines: &[&str], layouts: &[CsvLayout]) -> String {
    let expected: Vec<String> = layouts.iter().map(CsvLayout::describe).collect();
    let closest = layouts
        .iter()
        .flat_map(|layout| {
            lines.iter().take(layout.max_preamble + 1).enumerate().map(move |(at, line)| {
                let names = split_header(line);
                let missing: Vec<&str> = layout.required.iter().copied().filter(|c| layout.locate(&names, c).is_none()).collect();
                (layout, at, missing)
            })
        })
        .filter(|(layout, _, missing)| 2 * missing.len() <= layout.required.len())
        .min_by_key(|(_, at, missing)| (missing.len(), *at));
    if let Some((layout, at, missing)) = closest {
        let names = split_header(lines[at]);
        let unclaimed: Vec<&str> =
            names.iter().map(String::as_str).filter(|n| !n.is_empty() && !layout.required.iter().any(|c| layout.locate(&[n.to_string()], c).is_some())).collect();
        let suggestions: Vec<String> = missing
            .iter()
            .filter_map(|column| {
                let closest = unclaimed.iter().max_by(|a, b| similarity(column, a).total_cmp(&similarity(column, b)))?;
                Some(format!("for `{column}` the closest cell is `{closest}`"))
            })
            .collect();
        let renamed = if suggestions.is_empty() {
            String::new()
        } else {
            format!(" (if the publisher renamed a column: {}; cells the layout does not name: {})", suggestions.join(", "), quote_list(&unclaimed))
        };
        return format!(
            "line {}: the header lacks the column(s) {}{renamed}; expected {} with the columns {}",
            at + 1,
            quote_list(&missing),
            layout.name,
            quote_list(layout.required)
        );
    }
    match lines.iter().map(|l| l.trim()).find(|l| !l.is_empty()) {
        None => format!("the file is empty; expected {}", expected.join(", or ")),
        Some(first) => {
            let shown: String = first.chars().take(120).collect();
            format!("line 1: `{shown}` starts no layout mdime reads here; expected {}", expected.join(", or "))
        }
    }
}

/// A header line's names, trimmed, for recognising a layout before the file is parsed as CSV.
fn split_header(line: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(line.as_bytes());
    reader
        .records()
        .next()
        .and_then(|r| r.ok())
        .map(|r| r.iter().map(|f| f.trim().trim_end_matches(';').to_string()).collect())
        .unwrap_or_default()
}

fn unpadded(mut fields: Vec<String>) -> Vec<String> {
    while fields.last().is_some_and(|f| f.trim().is_empty()) {
        fields.pop();
    }
    fields
}

/// How alike two column names are, in any case (0 to 1).
fn similarity(a: &str, b: &str) -> f64 {
    strsim::jaro_winkler(&a.to_lowercase(), &b.to_lowercase())
}

/// A header column's position, its name matched in any case.
fn position_in(header: &[String], name: &str) -> Option<usize> {
    header.iter().position(|n| n.eq_ignore_ascii_case(name))
}

/// Line numbers of records met in order, counted once through the text: the csv reader's own line
/// count can lag by one, placing a record at the end of the line before, where it consumed the previous
/// line break.
struct LineCursor<'t> {
    bytes: &'t [u8],
    offset: usize,
    line: usize,
}

impl<'t> LineCursor<'t> {
    fn new(text: &'t str) -> LineCursor<'t> {
        LineCursor { bytes: text.as_bytes(), offset: 0, line: 1 }
    }

    /// The line a record starting at byte `start` is on; `start` never goes back.
    fn line_at(&mut self, start: usize) -> usize {
        let mut start = start.min(self.bytes.len());
        while start < self.bytes.len() && self.bytes[start] == b'\n' {
            start += 1;
        }
        let start = start.max(self.offset);
        self.line += self.bytes[self.offset..start].iter().filter(|&&b| b == b'\n').count();
        self.offset = start;
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
    /// The list this row's problems go to, for readers that check fields their own way.
    pub fn into_problems(self) -> &'a mut Vec<Problem> {
        self.problems
    }

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

    /// A calendar date written `YYYY-MM-DD` (`2014-02-30` is none), or a problem naming what was found.
    pub fn date(&mut self, column: &str) -> Option<jiff::civil::Date> {
        let text = self.text(column);
        let date = jiff::civil::Date::strptime("%Y-%m-%d", text).ok().filter(|_| text.len() == 10);
        if date.is_none() {
            self.problem(column, format!("expected a calendar date `YYYY-MM-DD`, found `{text}`"));
        }
        date
    }

    /// Whether a cell holds no figure: empty, or one of the layout's missing-value codes.
    pub fn is_missing(&self, column: &str) -> bool {
        let value = self.text(column);
        value.is_empty() || self.file.layout.missing.iter().any(|code| value.eq_ignore_ascii_case(code))
    }

    /// A number in `range`, None where the cell holds no figure; a problem names anything else (text,
    /// `inf`, `NaN`, a value out of range).
    pub fn optional_number(&mut self, column: &str, range: std::ops::RangeInclusive<f64>, what: &str) -> Option<f64> {
        if self.is_missing(column) {
            return None;
        }
        let value = self.text(column);
        match value.parse::<f64>() {
            Ok(x) if x.is_finite() && range.contains(&x) => Some(x),
            _ => {
                self.problem(column, format!("expected {what} from {} to {}, found `{value}`", range.start(), range.end()));
                None
            }
        }
    }
}
