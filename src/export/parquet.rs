//! Parquet copies of the CSV tables, for analysts in polars, pandas, R or DuckDB: the same columns in
//! the same order, typed as `Table::columns` declares (and `reports/README.md` documents), one row group,
//! zstd-compressed.
//!
//! The copy is made from the CSV bytes rather than from the rows, so that the two files cannot drift
//! apart: a value reads the same in both. Polars writes the file; it is the only part of export that
//! needs it.

use std::path::PathBuf;

use polars::prelude::{Column, DataFrame, NamedFrom, ParquetCompression, ParquetWriter, Series};

use super::{Kind, Table};
use crate::error::{Error, Result};

/// The Parquet bytes of a table. Errors if the CSV's header differs from the declared columns or a field
/// does not parse as its column's type: both would be mistakes in mdime, named with the column and line.
pub fn from_csv(table: &Table) -> Result<Vec<u8>> {
    let path = PathBuf::from(table.file);
    let format = |message: String| Error::Format { path: path.clone(), message };
    let mut reader = csv::Reader::from_reader(table.csv.as_slice());
    let header: Vec<String> = reader.headers().map_err(|e| format(e.to_string()))?.iter().map(String::from).collect();
    let declared: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
    if header != declared {
        return Err(format(format!("columns {header:?} differ from the declared Parquet columns {declared:?}")));
    }
    let records: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().map_err(|e| format(e.to_string()))?;
    let mut columns = Vec::with_capacity(table.columns.len());
    for (index, &(name, kind)) in table.columns.iter().enumerate() {
        let fields = records.iter().map(|r| r.get(index).unwrap_or(""));
        // Line 1 is the header.
        let bad = |line: usize, value: &str| format(format!("line {}, column `{name}`: `{value}` is not {}", line + 2, kind.label()));
        let series = match kind {
            Kind::Text => Series::new(name.into(), fields.collect::<Vec<&str>>()),
            Kind::Integer => Series::new(name.into(), parse_all(fields, |v| v.parse::<i64>().ok()).map_err(|(l, v)| bad(l, &v))?),
            Kind::Real => Series::new(name.into(), parse_all(fields, |v| v.parse::<f64>().ok()).map_err(|(l, v)| bad(l, &v))?),
            Kind::Flag => Series::new(name.into(), parse_all(fields, |v| v.parse::<bool>().ok()).map_err(|(l, v)| bad(l, &v))?),
        };
        columns.push(Column::from(series));
    }
    let mut frame = DataFrame::new(records.len(), columns)?;
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes).with_compression(ParquetCompression::Zstd(None)).finish(&mut frame)?;
    Ok(bytes)
}

/// Each field parsed, an empty one as missing; the first that does not parse as (index, text).
fn parse_all<'a, T>(fields: impl Iterator<Item = &'a str>, parse: impl Fn(&str) -> Option<T>) -> Result<Vec<Option<T>>, (usize, String)> {
    fields
        .enumerate()
        .map(|(i, v)| if v.is_empty() { Ok(None) } else { parse(v).map(Some).ok_or_else(|| (i, v.to_string())) })
        .collect()
}
