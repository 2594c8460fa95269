//! Publishers whose data come out of a form or a portal rather than from a fixed address: the user
//! saves the files by hand into the source's folder, and `mdime fetch SOURCE` records each (size,
//! SHA-256, the page it comes from) in the fetch log and says whether it is new or changed since the
//! last fetch. With the folder empty, the fetch stops and says where to get the files and where to put
//! them.

use std::path::{Path, PathBuf};

use super::{http::Http, log, Import, Plan, Publisher, Request};
use crate::error::{Error, Result};

/// A source whose files are saved by hand.
pub struct Manual {
    pub name: &'static str,
    pub describe: &'static str,
    /// The publisher's page the files are taken from.
    pub page: &'static str,
    /// What to do there, for the message when the folder is empty.
    pub steps: &'static str,
    /// The file name endings it keeps (lower case), e.g. `.csv`.
    pub endings: &'static [&'static str],
    /// The `mdime import` subcommand that reads them.
    pub import: &'static str,
}

impl Manual {
    const fn new(name: &'static str, describe: &'static str, page: &'static str, steps: &'static str, endings: &'static [&'static str], import: &'static str) -> Manual {
        Manual { name, describe, page, steps, endings, import }
    }
}

/// SIPRI's Arms Transfers Database: its trade register and per-delivery exports come out of a query
/// form, with no address a program can fetch (<https://www.sipri.org/databases/armstransfers>).
pub static SIPRI: Manual = Manual::new(
    "sipri",
    "SIPRI Arms Transfers Database exports (a query form: saved by hand, then recorded and checked)",
    "https://www.sipri.org/databases/armstransfers",
    "open the page, export the trade register (all suppliers, all recipients, every year, CSV) or the per-delivery export, save it into that folder, then run the fetch again",
    &[".csv", ".txt"],
    "sipri",
);

/// The UN's troop and police contributions by country and mission, published as a portal of monthly
/// tables (<https://peacekeeping.un.org/en/data-troop-and-police-contributions>).
pub static PEACEKEEPING: Manual = Manual::new(
    "peacekeeping",
    "UN troop and police contributions by country and mission (a data portal: saved by hand, then recorded and checked)",
    "https://peacekeeping.un.org/en/data-troop-and-police-contributions",
    "open the page, download the contributions by country, mission and personnel type (CSV), save them into that folder, then run the fetch again",
    &[".csv"],
    "peacekeeping",
);

/// The IMF's trade statistics by partner (Direction of Trade Statistics, now International Trade in
/// Goods by partner country), served by its data portal (<https://data.imf.org/>) with no fixed file
/// address.
pub static DOTS: Manual = Manual::new(
    "dots",
    "IMF trade by partner country, DOTS workbooks (a data portal: saved by hand, then recorded and checked)",
    "https://data.imf.org/",
    "open the portal, export each reporter's exports and imports by partner (International Trade in Goods by partner country, the former DOTS) as Excel workbooks, save them into that folder, then run the fetch again",
    &[".xlsx", ".xls"],
    "trade",
);

impl Publisher for Manual {
    fn name(&self) -> &'static str {
        self.name
    }

    fn describe(&self) -> &'static str {
        self.describe
    }

    fn import(&self) -> Import {
        Import::ByHand(self.import)
    }

    fn plan(&self, _http: &Http, _request: &Request, folder: &Path, _logged: &[&log::Entry]) -> Result<Plan> {
        let entries = std::fs::read_dir(folder).map_err(|source| Error::Read { path: folder.to_path_buf(), source })?;
        let mut files: Vec<PathBuf> = Vec::new();
        for entry in entries {
            let path = entry.map_err(|source| Error::Read { path: folder.to_path_buf(), source })?.path();
            let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
            if path.is_file() && self.endings.iter().any(|e| name.ends_with(e)) {
                files.push(path);
            }
        }
        if files.is_empty() {
            return Err(Error::ManualStep {
                source_name: self.name.to_string(),
                folder: folder.to_path_buf(),
                steps: format!("{} offers no download a program can make: {} (files ending in {})", self.page, self.steps, self.endings.join(", ")),
            });
        }
        files.sort();
        Ok(Plan::Placed { files, page: self.page })
    }
}
