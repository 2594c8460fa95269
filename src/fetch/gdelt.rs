//! GDELT's event files, in its two layouts, both published by the GDELT Project with a checksum per file.
//!
//! **GDELT 1.0** (`gdelt`), <https://data.gdeltproject.org/events/> (listed on its `index.html`; plain
//! `http://` redirects there): the back-files `1979.zip` … `2005.zip` (a year each), `200601.zip` …
//! `201303.zip` (a month each) and, from 1 April 2013, one file a day, `YYYYMMDD.export.CSV.zip` (58
//! tab-separated columns, the events added that day). Two lists cover every file: `md5sums`, one
//! `<md5><two spaces><file name>` per line as `md5sum` writes it, and `filesizes`, one `<bytes><space><file
//! name>` per line. The reduced `GDELT.MASTERREDUCEDV2.1979-2013.zip` is another product and is never
//! fetched.
//!
//! **GDELT 2.0** (`gdelt2`), <https://data.gdeltproject.org/gdeltv2/>: an update every 15 minutes since 18
//! February 2015, `YYYYMMDDHHMMSS.export.CSV.zip` (61 columns), beside its mentions and GKG files, which
//! mdime does not read. `masterfilelist.txt` lists every file, one `<bytes> <md5> <URL>` per line (about a
//! hundred MB by now: it is read whole on each fetch).
//!
//! mdime fetches the files the lists name from `--since` on and checks each against its size and MD5.
//! Without `--since`, a fetch continues from the newest day already fetched (that day is checked again:
//! GDELT may still be adding to it). A first fetch must say where to start: the whole record is far too
//! large to take by default.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::civil::Date;

use super::{http::Http, log, Import, Plan, Publisher, Remote, Request};
use crate::error::{Error, Result};

/// The GDELT Project's folder of GDELT 1.0 event files.
pub const BASE: &str = "https://data.gdeltproject.org/events/";
/// The GDELT Project's folder of GDELT 2.0 files.
pub const BASE_V2: &str = "https://data.gdeltproject.org/gdeltv2/";

/// One of GDELT's layouts: its folder and how its file list reads.
pub struct Gdelt {
    name: &'static str,
    describe: &'static str,
    base: &'static str,
    /// Reads the folder's list (at `base`, the publisher's or a mirror's) into its event files.
    list: fn(&Http, &str) -> Result<Vec<Listed>>,
}

/// GDELT 1.0's daily event files.
pub static GDELT: Gdelt = Gdelt {
    name: "gdelt",
    describe: "GDELT 1.0 daily event files (data.gdeltproject.org/events/), checked against its md5sums and filesizes lists",
    base: BASE,
    list: list_v1,
};

/// GDELT 2.0's 15-minute event exports.
pub static GDELT2: Gdelt = Gdelt {
    name: "gdelt2",
    describe: "GDELT 2.0 15-minute event exports (data.gdeltproject.org/gdeltv2/), checked against its masterfilelist.txt",
    base: BASE_V2,
    list: list_v2,
};

/// An event file a GDELT list names, with its checksum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub name: String,
    pub md5: String,
    pub size: Option<u64>,
    pub period: Period,
}

/// The days a file of the folder covers, from its name; None for a file that holds no days of events
/// (the lists themselves, the reduced master file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub first: Date,
    pub last: Date,
}

/// The period of an event file of either GDELT folder, by its name; None for any other file.
pub fn period(name: &str) -> Option<Period> {
    let (stem, rest) = name.split_once('.')?;
    if !stem.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| stem.get(range)?.parse::<i16>().ok();
    let year = number(0..4)?;
    let (first, last) = match (stem.len(), rest) {
        (8 | 14, "export.CSV.zip") => {
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

fn listing(base: &str, list: &str, n: usize, message: &str) -> Error {
    Error::Listing { url: format!("{base}{list}"), message: format!("line {}: {message}", n + 1) }
}

fn md5_field(base: &str, list: &str, n: usize, md5: &str) -> Result<String> {
    if md5.len() != 32 || !md5.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(listing(base, list, n, &format!("`{md5}` is not an MD5 (32 hexadecimal digits)")));
    }
    Ok(md5.to_ascii_lowercase())
}

fn size_field(base: &str, list: &str, n: usize, bytes: &str) -> Result<u64> {
    bytes.parse::<u64>().map_err(|_| listing(base, list, n, &format!("`{bytes}` is not a number of bytes")))
}

/// The lines of a list that hold something, numbered from 0.
fn lines(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).map(|(n, l)| (n, l.split_whitespace().collect()))
}

/// GDELT 1.0's `md5sums` and `filesizes`, read into its event files.
pub fn parse_v1(md5sums: &str, filesizes: &str, base: &str) -> Result<Vec<Listed>> {
    let mut sizes = BTreeMap::new();
    for (n, fields) in lines(filesizes) {
        let [bytes, name] = fields[..] else { return Err(listing(base, "filesizes", n, "expected `<bytes> <file name>`")) };
        sizes.insert(name, size_field(base, "filesizes", n, bytes)?);
    }
    let mut listed = Vec::new();
    for (n, fields) in lines(md5sums) {
        let [md5, name] = fields[..] else { return Err(listing(base, "md5sums", n, "expected `<md5>  <file name>`")) };
        let md5 = md5_field(base, "md5sums", n, md5)?;
        if let Some(period) = period(name) {
            listed.push(Listed { name: name.to_string(), md5, size: sizes.get(name).copied(), period });
        }
    }
    Ok(listed)
}

/// GDELT 2.0's `masterfilelist.txt`, read into its event exports (its mentions and GKG files left out).
pub fn parse_v2(list: &str, base: &str) -> Result<Vec<Listed>> {
    let mut listed = Vec::new();
    for (n, fields) in lines(list) {
        let [bytes, md5, url] = fields[..] else { return Err(listing(base, "masterfilelist.txt", n, "expected `<bytes> <md5> <URL>`")) };
        let name = url.rsplit('/').next().unwrap_or_default();
        if let Some(period) = period(name).filter(|_| name.len() == "YYYYMMDDHHMMSS.export.CSV.zip".len()) {
            let (size, md5) = (size_field(base, "masterfilelist.txt", n, bytes)?, md5_field(base, "masterfilelist.txt", n, md5)?);
            listed.push(Listed { name: name.to_string(), md5, size: Some(size), period });
        }
    }
    Ok(listed)
}

fn list_v1(http: &Http, base: &str) -> Result<Vec<Listed>> {
    parse_v1(&http.text(&format!("{base}md5sums"))?, &http.text(&format!("{base}filesizes"))?, base)
}

fn list_v2(http: &Http, base: &str) -> Result<Vec<Listed>> {
    parse_v2(&http.text(&format!("{base}masterfilelist.txt"))?, base)
}

impl Publisher for Gdelt {
    fn name(&self) -> &'static str {
        self.name
    }

    fn describe(&self) -> &'static str {
        self.describe
    }

    fn import(&self) -> Import {
        Import::Automatic("events")
    }

    fn plan(&self, http: &Http, request: &Request, _folder: &Path, logged: &[&log::Entry]) -> Result<Plan> {
        let base = match &request.mirror {
            Some(mirror) if mirror.ends_with('/') => mirror.clone(),
            Some(mirror) => format!("{mirror}/"),
            None => self.base.to_string(),
        };
        let mut files = (self.list)(http, &base)?;
        files.sort_by(|a, b| (a.period.first, &a.name).cmp(&(b.period.first, &b.name)));
        let since = match request.since {
            Some(since) => since,
            None => {
                let newest = logged.iter().filter_map(|e| period(e.file.rsplit('/').next()?)).map(|p| p.first).max();
                newest.ok_or_else(|| {
                    let bytes: u64 = files.iter().filter_map(|f| f.size).sum();
                    Error::option(
                        "--since",
                        format!(
                            "nothing was fetched from {} yet, and its whole record is {} files, {:.1} GB: give the first day to fetch, e.g. --since 2025-01-01",
                            self.name,
                            files.len(),
                            bytes as f64 / 1e9
                        ),
                    )
                })?
            }
        };
        let remotes = files
            .into_iter()
            .filter(|f| f.period.last >= since)
            .map(|f| Remote { url: format!("{base}{}", f.name), name: f.name, size: f.size, md5: Some(f.md5) })
            .collect();
        Ok(Plan::Download(remotes))
    }
}
