//! `mdime fetch`: each publisher's raw files, from its official address, into a raw-data folder of
//! the user's, one sub-folder per source (`RAW/gdelt/`, `RAW/sipri/`…), with a log of what came from
//! where (`log`). The imports then read them from there.
//!
//! Each publisher's layout is one file here, all listed in [`PUBLISHERS`]: `gdelt` downloads GDELT's
//! event files (1.0's daily files, 2.0's 15-minute exports) with the checksums its file lists publish; `manual` covers the publishers with
//! no download a program can make (SIPRI's register, the UN's peacekeeping contributions, the IMF's
//! trade statistics), whose files the user saves by hand and `fetch` then records and checks. Downloads
//! (`http`) resume from a `.part` file, retry with back-off, and run a few at a time; a file whose
//! checksum differs from the publisher's is removed, never kept.

pub mod gdelt;
pub mod http;
pub mod log;
pub mod manual;

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use md5::Digest;

use crate::error::{Error, Result};
pub use http::Patience;

/// Every source `mdime fetch` knows, in the order it fetches them.
pub static PUBLISHERS: &[&dyn Publisher] = &[&gdelt::GDELT, &gdelt::GDELT2, &manual::SIPRI, &manual::PEACEKEEPING, &manual::DOTS];

/// The source a user names on the command line (`mdime fetch NAME`).
pub fn publisher(name: &str) -> Option<&'static dyn Publisher> {
    PUBLISHERS.iter().copied().find(|p| p.name() == name)
}

/// The default raw-data folder, relative to the current folder, where neither `--raw` nor `$MDIME_RAW`
/// names one.
pub const RAW: &str = "raw";

/// A validated `mdime fetch`.
pub struct Request {
    /// The raw-data folder; created if missing.
    pub raw: PathBuf,
    pub sources: Vec<&'static dyn Publisher>,
    /// For event data: the first day whose files to fetch.
    pub since: Option<jiff::civil::Date>,
    /// A server with the same layout as the publisher's, to read instead (`--mirror`).
    pub mirror: Option<String>,
    /// Downloads at a time, at least 1.
    pub jobs: usize,
    pub patience: Patience,
    /// Draw a progress bar (only ever on a terminal).
    pub progress: bool,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sources: Vec<&str> = self.sources.iter().map(|s| s.name()).collect();
        f.debug_struct("Request").field("raw", &self.raw).field("sources", &sources).field("since", &self.since).field("mirror", &self.mirror).finish()
    }
}

/// A file a publisher lists, to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    /// Its name in the source's folder (the publisher's file name).
    pub name: String,
    pub url: String,
    /// Its size in bytes, where the publisher lists it.
    pub size: Option<u64>,
    /// Its MD5, lower-case hex, where the publisher lists it.
    pub md5: Option<String>,
}

/// What a source has to fetch.
pub enum Plan {
    /// Files to download (those already in place and matching their checksums are not downloaded again).
    Download(Vec<Remote>),
    /// Files the user placed in the source's folder by hand, and the page they come from.
    Placed { files: Vec<PathBuf>, page: &'static str },
}

/// One publisher's layout.
pub trait Publisher: Sync {
    /// Its name on the command line, which is also its folder under the raw-data folder.
    fn name(&self) -> &'static str;

    /// One line for `mdime fetch --help`: what it fetches, from where.
    fn describe(&self) -> &'static str;

    /// The import that reads its files, and whether `mdime update` can run it.
    fn import(&self) -> Import;

    /// What to fetch, given the request and this source's entries in the fetch log (oldest first).
    fn plan(&self, http: &http::Http, request: &Request, folder: &Path, logged: &[&log::Entry]) -> Result<Plan>;
}

/// How a source's files get into `datasets/`: by which `mdime import` subcommand (a source of the
/// registry, `crate::sources::REGISTRY`), run by `mdime update` or by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Import {
    /// The import reads the files as they are, beside its default inputs: `mdime update` runs it
    /// whenever they change.
    Automatic(&'static str),
    /// The import needs choices only the user can make (companion tables, which workbooks to combine):
    /// `mdime update` names the command to run.
    ByHand(&'static str),
}

impl Import {
    /// The `mdime import` subcommand.
    pub fn name(self) -> &'static str {
        match self {
            Import::Automatic(name) | Import::ByHand(name) => name,
        }
    }
}

/// How a file compares with what the fetch log held before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Not in the log before.
    New,
    /// In the log before with another SHA-256: the publisher (or the user) replaced it.
    Changed,
    /// As the log had it; not downloaded again.
    Unchanged,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Changed => "changed",
            Status::Unchanged => "unchanged",
        }
    }
}

/// One file of a fetch.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub path: PathBuf,
    pub entry: log::Entry,
    pub status: Status,
}

/// What a fetch found and made, per file, in the order of the sources and of their publishers' lists.
#[derive(Debug, Default)]
pub struct Report {
    pub files: Vec<Fetched>,
}

impl Report {
    /// The files that are new or changed since the last fetch.
    pub fn fresh(&self) -> impl Iterator<Item = &Fetched> {
        self.files.iter().filter(|f| f.status != Status::Unchanged)
    }

    /// A line per source: files new, changed and unchanged, and the bytes downloaded.
    pub fn summary(&self) -> String {
        let mut per_source: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
        for file in &self.files {
            per_source.entry(file.entry.source.as_str()).or_default()[file.status as usize] += 1;
        }
        let mut out = String::new();
        for (source, [new, changed, unchanged]) in per_source {
            out.push_str(&format!("{source}: {new} new, {changed} changed, {unchanged} unchanged\n"));
        }
        for file in self.fresh() {
            out.push_str(&format!("  {} {} ({} bytes, sha256 {})\n", file.status.label(), file.entry.file, file.entry.bytes, file.entry.sha256));
        }
        out
    }
}

/// Fetches every requested source into the raw-data folder and appends what it got to the fetch log.
/// A failed download does not stop the others: they complete and are logged, and the error then lists
/// every failure. Another fetch into the same folder is refused while this one runs.
pub fn fetch(request: &Request) -> Result<Report> {
    // Two fetches into one folder would write the same `.part` files.
    let _lock = crate::artefact::lock_folder_of(&request.raw, "--raw")?;
    let http = http::Http::new(request.patience);
    let before = log::read(&request.raw)?;
    let latest = log::latest(&before);
    let mut report = Report::default();
    let mut failed = Vec::new();
    for source in &request.sources {
        let folder = request.raw.join(source.name());
        std::fs::create_dir_all(&folder).map_err(|source| Error::Write { path: folder.clone(), source })?;
        let logged: Vec<&log::Entry> = before.iter().filter(|e| e.source == source.name()).collect();
        match source.plan(&http, request, &folder, &logged)? {
            Plan::Download(remotes) => {
                let (fetched, errors) = download_all(&http, request, *source, &folder, remotes, &latest);
                report.files.extend(fetched);
                failed.extend(errors);
            }
            Plan::Placed { files, page } => {
                for path in files {
                    let (bytes, _, sha256) = hash_file(&path)?;
                    let entry = log::Entry {
                        source: source.name().to_string(),
                        file: relative(source.name(), &path),
                        url: page.to_string(),
                        time: log::now(),
                        bytes,
                        publisher_checksum: String::new(),
                        sha256,
                        how: "placed".to_string(),
                    };
                    let status = compare(&latest, &entry);
                    report.files.push(Fetched { path, entry, status });
                }
            }
        }
    }
    let fresh: Vec<log::Entry> = report.fresh().map(|f| f.entry.clone()).collect();
    log::append(&request.raw, &fresh)?;
    if !failed.is_empty() {
        return Err(Error::Downloads { failed, fetched: fresh.len() });
    }
    Ok(report)
}

/// A file's path under the raw-data folder, as the log keeps it.
fn relative(source: &str, path: &Path) -> String {
    format!("{source}/{}", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default())
}

fn compare(latest: &BTreeMap<&str, &log::Entry>, entry: &log::Entry) -> Status {
    match latest.get(entry.file.as_str()) {
        None => Status::New,
        Some(before) if before.sha256 == entry.sha256 => Status::Unchanged,
        Some(_) => Status::Changed,
    }
}

/// What to do with one listed file, given what is in place.
enum Todo {
    /// In place and logged with the publisher's checksum and size: nothing to do.
    Logged(Fetched),
    /// In place, not logged, and matching the publisher's checksum.
    Verified(Fetched),
    Download,
}

fn todo(remote: &Remote, source: &str, path: &Path, latest: &BTreeMap<&str, &log::Entry>) -> Result<Todo> {
    let Ok(meta) = std::fs::metadata(path) else { return Ok(Todo::Download) };
    let file = relative(source, path);
    let checksum = remote.md5.as_ref().map(|m| format!("md5:{m}")).unwrap_or_default();
    if let Some(entry) = latest.get(file.as_str()).filter(|e| e.bytes == meta.len() && e.publisher_checksum == checksum && !checksum.is_empty()) {
        return Ok(Todo::Logged(Fetched { path: path.to_path_buf(), entry: (*entry).clone(), status: Status::Unchanged }));
    }
    let (bytes, md5, sha256) = hash_file(path)?;
    if remote.md5.as_deref() != Some(md5.as_str()) || remote.size.is_some_and(|s| s != bytes) {
        return Ok(Todo::Download);
    }
    let entry = log::Entry { source: source.to_string(), file, url: remote.url.clone(), time: log::now(), bytes, publisher_checksum: checksum, sha256, how: "verified".into() };
    let status = compare(latest, &entry);
    Ok(Todo::Verified(Fetched { path: path.to_path_buf(), entry, status }))
}

/// Downloads the files not yet in place, `request.jobs` at a time; returns what is in place (in the
/// publisher's order) and the errors.
fn download_all(
    http: &http::Http,
    request: &Request,
    source: &dyn Publisher,
    folder: &Path,
    remotes: Vec<Remote>,
    latest: &BTreeMap<&str, &log::Entry>,
) -> (Vec<Fetched>, Vec<Error>) {
    let mut done: Vec<(usize, Fetched)> = Vec::new();
    let mut errors = Vec::new();
    let mut queue = Vec::new();
    for (index, remote) in remotes.into_iter().enumerate() {
        let path = folder.join(&remote.name);
        match todo(&remote, source.name(), &path, latest) {
            Ok(Todo::Logged(fetched) | Todo::Verified(fetched)) => done.push((index, fetched)),
            Ok(Todo::Download) => queue.push((index, remote)),
            Err(error) => errors.push(error),
        }
    }
    let total: u64 = queue.iter().filter_map(|(_, r)| r.size).sum();
    let bar = progress_bar(request.progress, total);
    let queue = Mutex::new(queue.into_iter());
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..request.jobs.max(1) {
            scope.spawn(|| loop {
                let Some((index, remote)) = queue.lock().unwrap_or_else(|p| p.into_inner()).next() else { break };
                let result = download_one(http, source.name(), folder, &remote, &bar).map(|entry| {
                    let status = compare(latest, &entry);
                    Fetched { path: folder.join(&remote.name), entry, status }
                });
                results.lock().unwrap_or_else(|p| p.into_inner()).push((index, result));
            });
        }
    });
    bar.finish_and_clear();
    let mut results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    // In the publisher's order, whichever download finished first: the errors are listed in it too.
    results.sort_by_key(|(index, _)| *index);
    for (index, result) in results {
        match result {
            Ok(fetched) => done.push((index, fetched)),
            Err(error) => errors.push(error),
        }
    }
    done.sort_by_key(|(index, _)| *index);
    (done.into_iter().map(|(_, f)| f).collect(), errors)
}

fn progress_bar(wanted: bool, total: u64) -> ProgressBar {
    let show = wanted && std::io::stderr().is_terminal();
    let bar = ProgressBar::with_draw_target(Some(total), if show { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() });
    bar.set_style(
        ProgressStyle::with_template("fetching {bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}").unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Downloads one file through its `.part` file, checks it against the publisher's size and MD5, and
/// only then gives it its name. A mismatch removes the part: resuming it would only keep the bad bytes.
fn download_one(http: &http::Http, source: &str, folder: &Path, remote: &Remote, bar: &ProgressBar) -> Result<log::Entry> {
    let path = folder.join(&remote.name);
    let part = folder.join(format!("{}.part", remote.name));
    let completed = http.download(&remote.url, &part, bar)?;
    let (bytes, md5, sha256) = hash_file(&part)?;
    let mismatch = |algorithm: &str, expected: String, got: String| {
        let _ = std::fs::remove_file(&part);
        Err(Error::ChecksumMismatch { url: remote.url.clone(), algorithm: algorithm.to_string(), expected, got })
    };
    if let Some(size) = remote.size.filter(|&s| s != bytes) {
        return mismatch("the size", format!("{size} bytes"), format!("{bytes} bytes"));
    }
    if let Some(expected) = remote.md5.as_ref().filter(|&m| *m != md5) {
        return mismatch("MD5", expected.clone(), md5);
    }
    std::fs::rename(&part, &path).map_err(|source| Error::Write { path: path.clone(), source })?;
    Ok(log::Entry {
        source: source.to_string(),
        file: relative(source, &path),
        url: remote.url.clone(),
        time: log::now(),
        bytes,
        publisher_checksum: remote.md5.as_ref().map(|m| format!("md5:{m}")).unwrap_or_default(),
        sha256,
        how: if completed == http::Completed::Resumed { "resumed" } else { "downloaded" }.to_string(),
    })
}

/// A file's size, MD5 and SHA-256 (lower-case hex), in one reading.
pub fn hash_file(path: &Path) -> Result<(u64, String, String)> {
    let read_error = |source| Error::Read { path: path.to_path_buf(), source };
    let mut file = std::fs::File::open(path).map_err(read_error)?;
    let (mut md5, mut sha) = (md5::Md5::new(), sha2::Sha256::new());
    let mut buffer = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buffer).map_err(read_error)?;
        if n == 0 {
            break;
        }
        md5.update(&buffer[..n]);
        sha.update(&buffer[..n]);
        bytes += n as u64;
    }
    Ok((bytes, hex(&md5.finalize()), hex(&sha.finalize())))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
