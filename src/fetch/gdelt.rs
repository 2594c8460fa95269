//! GDELT 1.0 event files, as the GDELT Project publishes them at
//! <https://data.gdeltproject.org/events/> (listed on its `index.html`; plain `http://` redirects there).
//!
//! The folder holds the back-files `1979.zip` … `2005.zip` (a year each), `200601.zip` … `201303.zip` (a
//! month each) and, from 1 April 2013, one file a day, `YYYYMMDD.export.CSV.zip` (58 tab-separated
//! columns, the events added that day). Beside them, two lists cover every file: `md5sums`, one
//! `<md5><two spaces><file name>` per line as `md5sum` writes it, and `filesizes`, one `<bytes><space><file
//! name>` per line. mdime fetches the files the lists name from `--since` on, and checks each against
//! both lists. The reduced `GDELT.MASTERREDUCEDV2.1979-2013.zip` is another product and is never fetched.
//!
//! Without `--since`, a fetch continues from the newest day already fetched (that day is checked
//! again: GDELT may still be adding to it). A first fetch must say where to start: the whole record is
//! far too large to take by default.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::civil::Date;

use super::{http::Http, log, Plan, Publisher, Remote, Request};
use crate::error::{Error, Result};

/// The GDELT Project's folder of GDELT 1.0 event files.
pub const BASE: &str = "https://data.gdeltproject.org/events/";

/// The source's name on the command line and its folder under the raw-data folder.
pub const NAME: &str = "gdelt";

pub struct Gdelt;

pub static GDELT: Gdelt = Gdelt;

/// The days a file of the folder covers, from its name; None for a file that holds no days of events
/// (the lists themselves, the reduced master file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub first: Date,
    pub last: Date,
}

/// The period of a file of the GDELT 1.0 events folder, by its name.
pub fn period(name: &str) -> Option<Period> {
    let (stem, rest) = name.split_once('.')?;
    if !stem.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| stem.get(range)?.parse::<i16>().ok();
    let year = number(0..4)?;
    let (first, last) = match (stem.len(), rest) {
        (8, "export.CSV.zip") => {
            let day = Date::new(year, number(4..6)? as i8, number(6..8)? as i8).ok()?;
            (day, day)
        }
        (6, "zip") => {
            let first = Date::new(year, number(4..6)? as i8, 1).ok()?;
            (first, first.last_of_month())
        }
        (4, "zip") => (Date::new(year, 1, 1).ok()?, Date::new(year, 12, 31).ok()?),
        _ => return None,
    };
    Some(Period { first, last })
}

/// The two lists of the folder, as (file name → MD5) and (file name → bytes).
pub fn parse_lists(md5sums: &str, filesizes: &str, base: &str) -> Result<(BTreeMap<String, String>, BTreeMap<String, u64>)> {
    let listing = |list: &str, n: usize, message: &str| Error::Listing { url: format!("{base}{list}"), message: format!("line {}: {message}", n + 1) };
    let mut sums = BTreeMap::new();
    for (n, line) in md5sums.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let mut fields = line.split_whitespace();
        let (Some(md5), Some(name), None) = (fields.next(), fields.next(), fields.next()) else {
            return Err(listing("md5sums", n, "expected `<md5>  <file name>`"));
        };
        if md5.len() != 32 || !md5.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(listing("md5sums", n, &format!("`{md5}` is not an MD5 (32 hexadecimal digits)")));
        }
        sums.insert(name.to_string(), md5.to_ascii_lowercase());
    }
    let mut sizes = BTreeMap::new();
    for (n, line) in filesizes.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let mut fields = line.split_whitespace();
        let (Some(bytes), Some(name), None) = (fields.next(), fields.next(), fields.next()) else {
            return Err(listing("filesizes", n, "expected `<bytes> <file name>`"));
        };
        let bytes = bytes.parse::<u64>().map_err(|_| listing("filesizes", n, &format!("`{bytes}` is not a number of bytes")))?;
        sizes.insert(name.to_string(), bytes);
    }
    Ok((sums, sizes))
}

impl Publisher for Gdelt {
    fn name(&self) -> &'static str {
        NAME
    }

    fn describe(&self) -> &'static str {
        "GDELT 1.0 daily event files (data.gdeltproject.org/events/), checked against its md5sums and filesizes lists"
    }

    fn plan(&self, http: &Http, request: &Request, _folder: &Path, logged: &[&log::Entry]) -> Result<Plan> {
        let base = match &request.mirror {
            Some(mirror) if mirror.ends_with('/') => mirror.clone(),
            Some(mirror) => format!("{mirror}/"),
            None => BASE.to_string(),
        };
        let (sums, sizes) = parse_lists(&http.text(&format!("{base}md5sums"))?, &http.text(&format!("{base}filesizes"))?, &base)?;
        let mut files: Vec<(&String, &String, Period)> = sums.iter().filter_map(|(name, md5)| Some((name, md5, period(name)?))).collect();
        files.sort_by_key(|(name, _, period)| (period.first, *name));
        let since = match request.since {
            Some(since) => since,
            None => {
                let newest = logged.iter().filter_map(|e| period(e.file.rsplit('/').next()?)).map(|p| p.first).max();
                newest.ok_or_else(|| {
                    let bytes: u64 = files.iter().filter_map(|(name, _, _)| sizes.get(*name)).sum();
                    Error::option(
                        "--since",
                        format!(
                            "nothing was fetched from GDELT yet, and its whole record is {} files, {:.1} GB: give the first day to fetch, e.g. --since 2025-01-01",
                            files.len(),
                            bytes as f64 / 1e9
                        ),
                    )
                })?
            }
        };
        let remotes = files
            .into_iter()
            .filter(|(_, _, period)| period.last >= since)
            .map(|(name, md5, _)| Remote { name: name.clone(), url: format!("{base}{name}"), size: sizes.get(name).copied(), md5: Some(md5.clone()) })
            .collect();
        Ok(Plan::Download(remotes))
    }
}
