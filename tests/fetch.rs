//! `mdime fetch` against a loopback server (127.0.0.1, a port of the system's choosing) that serves
//! copies of real GDELT files, read from ../shared/data at test time, with their checksum lists in
//! GDELT's layout: a full fetch, a fetch cut off and resumed, a checksum mismatch, 404 and 500 answers,
//! and files saved by hand.
//!
//! The server is a few lines over `std::net`: it answers each request on its own connection and can
//! close one in the middle of a body, which is the failure a resumed download exists for.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mdime::fetch::{self, log, Patience, Request, Status};
use predicates::prelude::*;

use crate::common::*;

/// What the server answers for a path.
#[derive(Clone)]
enum Answer {
    /// The bytes, whole (200) or from a `Range: bytes=N-` (206).
    File(Arc<Vec<u8>>),
    /// The first request gets the full length announced and only this many bytes before the
    /// connection closes; later ones get the file.
    CutAfter(Arc<Vec<u8>>, usize),
    /// This status and no body.
    Status(u16),
}

/// A request as the server saw it: the path and its `Range` header, if any.
type Seen = (String, Option<String>);

struct Server {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    routes: Arc<Mutex<HashMap<String, Answer>>>,
}

impl Server {
    fn start(routes: HashMap<String, Answer>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}/events/", listener.local_addr().unwrap());
        let (seen, routes) = (Arc::new(Mutex::new(Vec::new())), Arc::new(Mutex::new(routes)));
        let (log, served) = (seen.clone(), routes.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                answer(stream, &mut served.lock().unwrap(), &log);
            }
        });
        Server { base, seen, routes }
    }

    /// Answers `name` with `answer` from now on.
    fn serve(&self, name: &str, answer: Answer) {
        self.routes.lock().unwrap().insert(name.to_string(), answer);
    }

    /// The requests for `name`, in order.
    fn requests(&self, name: &str) -> Vec<Option<String>> {
        self.seen.lock().unwrap().iter().filter(|(path, _)| path.ends_with(name)).map(|(_, range)| range.clone()).collect()
    }
}

fn answer(mut stream: TcpStream, routes: &mut HashMap<String, Answer>, seen: &Mutex<Vec<Seen>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    reader.read_line(&mut request_line).unwrap();
    let path = request_line.split_whitespace().nth(1).unwrap_or_default().to_string();
    let mut range = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("range") {
                range = Some(value.trim().to_string());
            }
        }
    }
    seen.lock().unwrap().push((path.clone(), range.clone()));
    let name = path.rsplit('/').next().unwrap_or_default().to_string();
    let head = |status: &str, length: usize, extra: &str| format!("HTTP/1.1 {status}\r\nContent-Length: {length}\r\n{extra}Connection: close\r\n\r\n");
    match routes.get(&name).cloned().unwrap_or(Answer::Status(404)) {
        Answer::Status(code) => {
            let _ = stream.write_all(head(&format!("{code} Status"), 0, "").as_bytes());
        }
        Answer::CutAfter(bytes, n) => {
            let _ = stream.write_all(head("200 OK", bytes.len(), "").as_bytes());
            let _ = stream.write_all(&bytes[..n]);
            routes.insert(name, Answer::File(bytes));
        }
        Answer::File(bytes) => {
            let from = range.as_deref().and_then(|r| r.strip_prefix("bytes=")).and_then(|r| r.trim_end_matches('-').parse::<usize>().ok());
            match from {
                Some(from) if from < bytes.len() => {
                    let extra = format!("Content-Range: bytes {from}-{}/{}\r\n", bytes.len() - 1, bytes.len());
                    let _ = stream.write_all(head("206 Partial Content", bytes.len() - from, &extra).as_bytes());
                    let _ = stream.write_all(&bytes[from..]);
                }
                _ => {
                    let _ = stream.write_all(head("200 OK", bytes.len(), "").as_bytes());
                    let _ = stream.write_all(&bytes);
                }
            }
        }
    }
    let _ = stream.flush();
}

/// The real head of GDELT 1.0's daily file of 24 November 2014, zipped as GDELT ships it.
const DAY: &str = "20141124.export.CSV.zip";

fn day_bytes() -> Arc<Vec<u8>> {
    Arc::new(std::fs::read(shared_data().join("field-cases/fc14-gdelt1-daily-20141124.export.CSV.zip")).unwrap())
}

fn md5_hex(bytes: &[u8]) -> String {
    use md5::Digest;
    md5::Md5::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The folder's two lists in GDELT's layout for `files` (name, bytes, the MD5 to list), with the back
/// files and the reduced master file GDELT lists beside them, which a fetch from 2014 leaves alone.
fn lists(files: &[(&str, &[u8], String)]) -> HashMap<String, Answer> {
    let mut md5sums = String::from("f6fcb7e955e35f93c9dae427c07b545d  GDELT.MASTERREDUCEDV2.1979-2013.zip\n7fb1b6ff781aea3d441abf512dc5e0f9  1979.zip\n");
    let mut filesizes = String::from("1000 GDELT.MASTERREDUCEDV2.1979-2013.zip\n2000 1979.zip\n");
    for (name, bytes, md5) in files {
        md5sums.push_str(&format!("{md5}  {name}\n"));
        filesizes.push_str(&format!("{} {name}\n", bytes.len()));
    }
    HashMap::from([("md5sums".to_string(), Answer::File(Arc::new(md5sums.into_bytes()))), ("filesizes".to_string(), Answer::File(Arc::new(filesizes.into_bytes())))])
}

/// A server with the real day file, listed with its true checksum, answered as `answer`.
fn server_with_day(answer: Answer) -> Server {
    let bytes = day_bytes();
    let mut routes = lists(&[(DAY, &bytes, md5_hex(&bytes))]);
    routes.insert(DAY.to_string(), answer);
    Server::start(routes)
}

fn request(raw: &Path, server: &Server, since: Option<&str>, retries: u32) -> Request {
    Request {
        raw: raw.to_path_buf(),
        sources: vec![fetch::publisher("gdelt").unwrap()],
        since: since.map(|s| s.parse().unwrap()),
        mirror: Some(server.base.clone()),
        jobs: 2,
        patience: Patience { retries, backoff: Duration::from_millis(10) },
        progress: false,
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    mdime::ingest::sha256_hex(bytes)
}

#[test]
fn a_full_fetch_keeps_the_files_from_since_checked_and_logged_and_a_second_fetches_nothing_again() {
    let bytes = day_bytes();
    let server = server_with_day(Answer::File(bytes.clone()));
    let raw = tempfile::tempdir().unwrap();
    let report = fetch::fetch(&request(raw.path(), &server, Some("2014-11-01"), 0)).unwrap();

    let kept = raw.path().join("gdelt").join(DAY);
    assert_eq!(std::fs::read(&kept).unwrap(), *bytes);
    assert_eq!(report.files.len(), 1, "1979.zip and the reduced master file are not fetched");
    assert_eq!(report.files[0].status, Status::New);
    let entries = log::read(raw.path()).unwrap();
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    assert_eq!((entry.source.as_str(), entry.file.as_str(), entry.how.as_str()), ("gdelt", "gdelt/20141124.export.CSV.zip", "downloaded"));
    assert_eq!(entry.url, format!("{}{DAY}", server.base));
    assert_eq!(entry.bytes, bytes.len() as u64);
    assert_eq!(entry.publisher_checksum, format!("md5:{}", md5_hex(&bytes)));
    assert_eq!(entry.sha256, sha256_hex(&bytes));
    assert!(entry.time.ends_with('Z') && entry.time.len() == 20, "{}", entry.time);
    assert!(server.requests("1979.zip").is_empty());

    // Without --since, the fetch continues from the newest day it has: that day, unchanged, is not
    // downloaded again, and the log does not grow.
    let again = fetch::fetch(&request(raw.path(), &server, None, 0)).unwrap();
    assert_eq!(again.files.len(), 1);
    assert_eq!(again.files[0].status, Status::Unchanged);
    assert_eq!(server.requests(DAY).len(), 1);
    assert_eq!(log::read(raw.path()).unwrap().len(), 1);
    assert!(again.summary().starts_with("gdelt: 0 new, 0 changed, 1 unchanged\n"), "{}", again.summary());
}

#[test]
fn a_first_gdelt_fetch_without_since_is_refused_with_the_size_of_the_record() {
    let server = server_with_day(Answer::File(day_bytes()));
    let raw = tempfile::tempdir().unwrap();
    let error = fetch::fetch(&request(raw.path(), &server, None, 0)).unwrap_err().to_string();
    assert!(error.starts_with("--since: nothing was fetched from gdelt yet, and its whole record is 2 files"), "{error}");
    assert!(server.requests(DAY).is_empty());
}

#[test]
fn a_download_cut_off_keeps_its_part_and_the_next_fetch_resumes_it_with_a_range_request() {
    let bytes = day_bytes();
    let cut = 4000;
    let server = server_with_day(Answer::CutAfter(bytes.clone(), cut));
    let raw = tempfile::tempdir().unwrap();
    let part = raw.path().join("gdelt").join(format!("{DAY}.part"));

    // No retries: the broken connection ends this fetch, the bytes received stay in the part file.
    let error = fetch::fetch(&request(raw.path(), &server, Some("2014-11-24"), 0)).unwrap_err().to_string();
    assert!(error.contains(&format!("GET {}{DAY}", server.base)) && error.contains("run the fetch again to resume"), "{error}");
    assert_eq!(std::fs::metadata(&part).unwrap().len(), cut as u64);
    assert!(!raw.path().join("gdelt").join(DAY).exists());
    assert!(log::read(raw.path()).unwrap().is_empty());

    let report = fetch::fetch(&request(raw.path(), &server, Some("2014-11-24"), 0)).unwrap();
    assert_eq!(server.requests(DAY), vec![None, Some(format!("bytes={cut}-"))]);
    assert_eq!(std::fs::read(raw.path().join("gdelt").join(DAY)).unwrap(), *bytes);
    assert!(!part.exists());
    assert_eq!(report.files[0].entry.how, "resumed");
    assert_eq!(report.files[0].entry.sha256, sha256_hex(&bytes));
}

#[test]
fn a_download_cut_off_is_resumed_by_a_retry_within_the_same_fetch() {
    let bytes = day_bytes();
    let server = server_with_day(Answer::CutAfter(bytes.clone(), 1000));
    let raw = tempfile::tempdir().unwrap();
    let report = fetch::fetch(&request(raw.path(), &server, Some("2014-11-24"), 2)).unwrap();
    assert_eq!(server.requests(DAY), vec![None, Some("bytes=1000-".to_string())]);
    assert_eq!(report.files[0].entry.how, "resumed");
    assert_eq!(std::fs::read(raw.path().join("gdelt").join(DAY)).unwrap(), *bytes);
}

#[test]
fn a_checksum_mismatch_is_refused_naming_the_url_and_both_checksums_and_nothing_is_kept() {
    let bytes = day_bytes();
    let listed = "0123456789abcdef0123456789abcdef".to_string();
    let mut routes = lists(&[(DAY, &bytes, listed.clone())]);
    routes.insert(DAY.to_string(), Answer::File(bytes.clone()));
    let server = Server::start(routes);
    let raw = tempfile::tempdir().unwrap();
    let error = fetch::fetch(&request(raw.path(), &server, Some("2014-11-24"), 3)).unwrap_err().to_string();
    assert!(error.contains(&format!("{}{DAY}: MD5 is {} where the publisher lists {listed}", server.base, md5_hex(&bytes))), "{error}");
    assert!(error.contains("the download was removed"), "{error}");
    let folder = raw.path().join("gdelt");
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0, "neither the file nor its part is kept");
    assert!(log::read(raw.path()).unwrap().is_empty());
    assert_eq!(server.requests(DAY).len(), 1, "a mismatch is not retried");
}

#[test]
fn a_404_fails_at_once_and_a_500_is_retried_then_fails_naming_the_attempts() {
    let bytes = day_bytes();
    let other = "20141125.export.CSV.zip";
    let mut routes = lists(&[(DAY, &bytes, md5_hex(&bytes)), (other, &bytes, md5_hex(&bytes))]);
    routes.insert(DAY.to_string(), Answer::Status(500));
    let server = Server::start(routes);
    let raw = tempfile::tempdir().unwrap();
    let error = fetch::fetch(&request(raw.path(), &server, Some("2014-11-24"), 2)).unwrap_err().to_string();
    assert!(error.starts_with("2 download(s) failed (0 completed and were logged):"), "{error}");
    assert!(error.contains(&format!("GET {}{other}: HTTP 404 (the server has no such file", server.base)), "{error}");
    assert!(error.contains(&format!("GET {}{DAY}: HTTP 500 (a server error; gave up after 3 attempt(s)", server.base)), "{error}");
    assert_eq!(server.requests(other).len(), 1, "a 404 is not retried");
    assert_eq!(server.requests(DAY).len(), 3, "a 500 is retried twice");
}

#[test]
fn files_saved_by_hand_are_recorded_new_then_unchanged_then_changed() {
    let raw = tempfile::tempdir().unwrap();
    let manual = |raw: &Path| Request {
        raw: raw.to_path_buf(),
        sources: vec![fetch::publisher("sipri").unwrap()],
        since: None,
        mirror: None,
        jobs: 1,
        patience: Patience { retries: 0, backoff: Duration::ZERO },
        progress: false,
    };
    let error = fetch::fetch(&manual(raw.path())).unwrap_err().to_string();
    assert!(error.starts_with(&format!("sipri: no file in {}: https://www.sipri.org/databases/armstransfers offers no download", raw.path().join("sipri").display())), "{error}");

    let saved: PathBuf = raw.path().join("sipri/trade-register.csv");
    std::fs::copy(shared_data().join("field-cases/fc01-sipri-register-2024-10-13-excerpt.csv"), &saved).unwrap();
    let first = fetch::fetch(&manual(raw.path())).unwrap();
    assert_eq!(first.files[0].status, Status::New);
    assert_eq!(first.files[0].entry.sha256, sha256_hex(&std::fs::read(&saved).unwrap()));
    assert_eq!((first.files[0].entry.how.as_str(), first.files[0].entry.url.as_str()), ("placed", "https://www.sipri.org/databases/armstransfers"));
    assert_eq!(fetch::fetch(&manual(raw.path())).unwrap().files[0].status, Status::Unchanged);
    std::fs::OpenOptions::new().append(true).open(&saved).unwrap().write_all(b"\n").unwrap();
    assert_eq!(fetch::fetch(&manual(raw.path())).unwrap().files[0].status, Status::Changed);
    assert_eq!(log::read(raw.path()).unwrap().len(), 2);
}

#[test]
fn the_command_fetches_from_a_mirror_and_checks_its_options() {
    let server = server_with_day(Answer::File(day_bytes()));
    let raw = tempfile::tempdir().unwrap();
    mdime()
        .args(["fetch", "gdelt", "--since", "2014-11-24", "--mirror", &server.base, "--raw"])
        .arg(raw.path())
        .assert()
        .success()
        .stdout(predicate::str::starts_with("gdelt: 1 new, 0 changed, 0 unchanged\n  new gdelt/20141124.export.CSV.zip (9820 bytes, sha256 "));
    mdime().args(["fetch", "gdelt", "--since", "24/11/2014"]).assert().code(1).stderr(predicate::str::starts_with("error: --since: `24/11/2014` is not a date YYYY-MM-DD"));
    mdime().args(["fetch", "gdelt", "--mirror", "ftp://example.org/"]).assert().code(1).stderr(predicate::str::contains("--mirror: `ftp://example.org/` is not an http:// or https:// URL"));
    mdime().args(["fetch", "icews"]).assert().code(2).stderr(predicate::str::contains("[possible values: gdelt, gdelt2, sipri, peacekeeping, dots]"));
    mdime().args(["fetch", "--help"]).assert().success().stdout(predicate::str::contains("mdime fetch gdelt --since 2025-01-01"));
}

/// A real GDELT 2.0 export (the copies under ../shared/data are unzipped), zipped as GDELT ships it.
fn zipped(name: &str, csv: &Path) -> Arc<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(name, zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)).unwrap();
    zip.write_all(&std::fs::read(csv).unwrap()).unwrap();
    Arc::new(zip.finish().unwrap().into_inner())
}

/// GDELT 2.0's master list for `files` (name, bytes), in its layout, with the mentions file GDELT lists
/// beside each export, which mdime leaves alone.
fn master_list(base: &str, files: &[(&str, &Arc<Vec<u8>>)]) -> Answer {
    let mut list = String::new();
    for (name, bytes) in files {
        list.push_str(&format!("{} {} {base}{name}\n", bytes.len(), md5_hex(bytes)));
        list.push_str(&format!("1234 0123456789abcdef0123456789abcdef {base}{}\n", name.replace("export", "mentions")));
    }
    Answer::File(Arc::new(list.into_bytes()))
}

/// A copy of the project's tables, a raw-data folder and a runs folder, for updates.
struct Workspace {
    _dir: tempfile::TempDir,
    datasets: PathBuf,
    raw: PathBuf,
    runs: PathBuf,
}

impl Workspace {
    fn new() -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        let (datasets, raw, runs) = (dir.path().join("datasets"), dir.path().join("raw"), dir.path().join("runs"));
        copy_folder(&repo_datasets(), &datasets);
        Workspace { _dir: dir, datasets, raw, runs }
    }

    /// `mdime update gdelt2` from the server, for three recipients GDELT's CHN and RUS rows name, with the
    /// ICEWS Dataverse excerpt as the other event input.
    fn update(&self, server: &Server, since: Option<&str>) -> assert_cmd::assert::Assert {
        let mut command = mdime();
        command.args(["update", "gdelt2", "--mirror", &server.base, "--recipient", "Brazil", "--recipient", "Syria", "--recipient", "Namibia"]);
        command.arg("--raw").arg(&self.raw).arg("--runs").arg(&self.runs).arg("--datasets").arg(&self.datasets);
        command.arg("--events").arg(shared_data().join("events/icews-dataverse"));
        if let Some(since) = since {
            command.args(["--since", since]);
        }
        command.assert()
    }
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn update_imports_a_new_gdelt_update_runs_and_diffs_against_the_last_run_then_finds_nothing_new() {
    let first = ("20180326044500.export.CSV.zip", zipped("20180326044500.export.CSV", &shared_data().join("field-cases/fc11-gdelt2-20180326044500-export-excerpt.CSV")));
    let second = ("20191024143000.export.CSV.zip", zipped("20191024143000.export.CSV", &shared_data().join("events/gdelt/20191024143000.export.CSV")));
    let server = Server::start(HashMap::new());
    server.serve(first.0, Answer::File(first.1.clone()));
    server.serve("masterfilelist.txt", master_list(&server.base, &[(first.0, &first.1)]));
    let work = Workspace::new();
    let runs = &work.runs;
    let update = |since: Option<&str>| work.update(&server, since);

    // The first update: one export fetched and imported with the ICEWS file, a run, nothing to compare with.
    let baseline = update(Some("2018-03-26")).code(10);
    let printed = String::from_utf8_lossy(&baseline.get_output().stdout).to_string();
    assert!(printed.starts_with("gdelt2: 1 new, 0 changed, 0 unchanged\n"), "{printed}");
    assert!(printed.contains("imported events:\nMachine-coded events") && printed.contains("no earlier update's run to compare with"), "{printed}");
    let state = mdime::update::State::load(&runs).unwrap();
    assert_eq!(state.inputs["events"].keys().collect::<Vec<_>>(), ["gdelt2/20180326044500.export.CSV.zip"]);
    assert!(runs.join(&state.last_run).join("assessments.csv").is_file());

    // GDELT publishes one more update: it alone is downloaded, the events are imported again, and the
    // new run is compared with the first.
    server.serve(second.0, Answer::File(second.1.clone()));
    server.serve("masterfilelist.txt", master_list(&server.base, &[(first.0, &first.1), (second.0, &second.1)]));
    let next = update(None);
    let output = next.get_output();
    let printed = String::from_utf8_lossy(&output.stdout).to_string();
    // One 15-minute update covers a 96th of a day, too little to rate a year on (the rubric's minimum
    // days): the diff names the changed inputs and no rating moves.
    assert_eq!(output.status.code(), Some(10), "{printed}");
    assert!(printed.starts_with("gdelt2: 1 new, 0 changed, 1 unchanged\n"), "{printed}");
    assert!(printed.contains("mdime diff:"), "{printed}");
    assert!(printed.contains("inputs: events.csv raw files:  → 20191024143000.export.CSV.zip:20191024143000.export.CSV"), "{printed}");
    assert!(printed.contains("Ratings: 0 change(s) among 78 compared"), "{printed}");
    assert_eq!(server.requests(first.0).len(), 1);
    let last_run = runs.join(mdime::update::State::load(&runs).unwrap().last_run);
    assert!(last_run.join("diff.md").is_file() && last_run.join("diff.csv").is_file());
    assert_eq!(std::fs::read_to_string(runs.join(mdime::update::LATEST)).unwrap(), printed);

    // Nothing new: no import, no run.
    let idle = update(None).code(0);
    let printed = String::from_utf8_lossy(&idle.get_output().stdout).to_string();
    assert!(printed.contains("nothing new to import; the last run stands"), "{printed}");
    assert_eq!(std::fs::read_dir(&runs).unwrap().filter(|e| e.as_ref().unwrap().path().is_dir()).count(), 2);
}

#[test]
fn update_refuses_a_fetched_file_the_event_import_cannot_read_and_replaces_nothing() {
    // A real file saved under an export's name that holds GDELT's lastupdate.txt: its checksum is the
    // one listed (it is what the server has), but it is no event file.
    let name = "20180326191500.export.CSV.zip";
    let bytes = Arc::new(std::fs::read(shared_data().join("field-cases/fc12-gdelt2-20180326191500.export.CSV.zip")).unwrap());
    let server = Server::start(HashMap::new());
    server.serve(name, Answer::File(bytes.clone()));
    server.serve("masterfilelist.txt", master_list(&server.base, &[(name, &bytes)]));
    let work = Workspace::new();
    let before = std::fs::read(work.datasets.join("events.csv")).unwrap();
    let refused = work.update(&server, Some("2018-03-26")).code(1);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(stderr.starts_with("error: ") && stderr.contains(name), "{stderr}");
    assert_eq!(std::fs::read(work.datasets.join("events.csv")).unwrap(), before, "the event table is as it was");
    assert!(!work.runs.join(mdime::update::STATE).exists());
    assert_eq!(std::fs::read_dir(&work.runs).unwrap().count(), 0, "no run was made");
    // The file itself was fetched and logged: it is what the publisher lists.
    assert_eq!(log::read(&work.raw).unwrap().len(), 1);
}

#[test]
fn gdelt_lists_are_read_by_name_and_a_malformed_line_is_refused_with_its_list_and_line() {
    use mdime::fetch::gdelt::{parse_v1, parse_v2, period};
    let day = |y, m, d| jiff::civil::date(y, m, d);
    // Back-files by year and month, daily files, 2.0's 15-minute exports; anything else holds no days.
    assert_eq!(period("2005.zip").map(|p| (p.first, p.last)), Some((day(2005, 1, 1), day(2005, 12, 31))));
    assert_eq!(period("201302.zip").map(|p| (p.first, p.last)), Some((day(2013, 2, 1), day(2013, 2, 28))));
    assert_eq!(period("20141124.export.CSV.zip").map(|p| p.first), Some(day(2014, 11, 24)));
    assert_eq!(period("20191024143000.export.CSV.zip").map(|p| p.last), Some(day(2019, 10, 24)));
    for other in ["GDELT.MASTERREDUCEDV2.1979-2013.zip", "md5sums", "20191024143000.mentions.CSV.zip", "20141399.export.CSV.zip", "2014.export.CSV.zip"] {
        assert_eq!(period(other), None, "{other}");
    }

    let base = "http://127.0.0.1:1/events/";
    let listed = parse_v1("7fb1b6ff781aea3d441abf512dc5e0f9  1979.zip\n\n", "2000 1979.zip\n", base).unwrap();
    assert_eq!((listed[0].name.as_str(), listed[0].size), ("1979.zip", Some(2000)));
    let error = parse_v1("7fb1b6ff781aea3d441abf512dc5e0f9  1979.zip\nnot-an-md5  1980.zip\n", "", base).unwrap_err().to_string();
    assert_eq!(error, format!("{base}md5sums: line 2: `not-an-md5` is not an MD5 (32 hexadecimal digits)"));
    let error = parse_v1("", "many 1979.zip\n", base).unwrap_err().to_string();
    assert_eq!(error, format!("{base}filesizes: line 1: `many` is not a number of bytes"));
    let error = parse_v2("150383 297a16b493de7cf6ca809a7cc31d0b93\n", base).unwrap_err().to_string();
    assert_eq!(error, format!("{base}masterfilelist.txt: line 1: expected `<bytes> <md5> <URL>`"));
}
