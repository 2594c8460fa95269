//! The HTML country report in a real browser: Debian's Chromium, headless, with a fresh profile and
//! every host name unresolvable, so the report has to stand on its own. The DOM is read after the page
//! has loaded; the network log says whether the page asked for anything; a screenshot is kept for
//! people to look at (`target/ci-artifacts/report-mali.png`, see reports/README.md).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

const CHROMIUM: &str = "/usr/bin/chromium";
const AS_OF: &str = "2025";
const SCREEN: (u32, u32) = (1280, 2400);

/// Chromium is a test dependency like the raw data: missing, the test fails and says how to get it.
fn chromium() -> &'static str {
    assert!(
        Path::new(CHROMIUM).is_file(),
        "{CHROMIUM} is missing: install Debian's Chromium with `apt-get install -y chromium` (.ci/run does so when it \
         is missing); this test opens the HTML country report in it"
    );
    CHROMIUM
}

/// One headless Chromium run on a local page. `--no-sandbox`: Chromium refuses to start as root
/// without it, and the page is one this test wrote. `MAP * ~NOTFOUND` leaves every host name
/// unresolved: the machine might be online, the page must not need it. Returns stdout and the path of
/// the network log.
fn open(page: &Path, work: &Path, name: &str, options: &[String]) -> (String, PathBuf) {
    let profile = work.join(format!("{name}-profile"));
    let net_log = work.join(format!("{name}-netlog.json"));
    let (stdout, stderr) = (work.join(format!("{name}.out")), work.join(format!("{name}.err")));
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--force-color-profile=srgb",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--log-net-log={}", net_log.display()))
        .args(options)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {CHROMIUM}: {e}"));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{CHROMIUM} did not finish within two minutes on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let errors = std::fs::read_to_string(&stderr).unwrap_or_default();
    assert!(status.success(), "{CHROMIUM} failed ({status}) on {}:\n{errors}", page.display());
    (std::fs::read_to_string(&stdout).unwrap(), net_log)
}

/// The URLs the page itself requested, from Chromium's network log: requests made on behalf of a
/// `file://` page. The browser's own background requests carry no page origin and are not counted.
fn page_requests(net_log: &Path) -> Vec<String> {
    let log: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(net_log).unwrap()).expect("the network log is JSON");
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].as_i64().expect("the log names its event types");
    log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"].as_i64() == Some(start_job))
        .map(|e| &e["params"])
        .filter(|p| p["network_isolation_key"].as_str().is_some_and(|k| k.contains("file://")) || p["initiator"].as_str().is_some_and(|i| i != "not an origin"))
        .map(|p| p["url"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The text between the first `open` after `from` and the next `close`.
fn section<'a>(text: &'a str, from: &str, open: &str, close: &str) -> &'a str {
    let start = text.find(from).unwrap_or_else(|| panic!("no {from}"));
    let rest = &text[start..];
    let begin = rest.find(open).unwrap_or_else(|| panic!("no {open} after {from}"));
    let end = rest[begin..].find(close).unwrap() + begin;
    &rest[begin..end]
}

/// Evidence-log rows for one recipient dated up to the as-of year, read from the log without mdime.
fn evidence_rows(iso3: &str) -> usize {
    let mut reader = csv::Reader::from_path(repo_datasets().join(format!("evidence/{iso3}.csv"))).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (date, recipient) = (column("date"), column("recipient"));
    reader
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[recipient] == iso3 && r[date][..4].parse::<i32>().unwrap() <= AS_OF.parse::<i32>().unwrap())
        .count()
}

fn screenshot_artifact() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().join("ci-artifacts/report-mali.png")
}

#[test]
fn the_html_report_opens_offline_in_chromium_with_every_section() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("reports");
    mdime()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--as-of", AS_OF, "--recipient", "Mali", "--format", "html,svg", "--output"])
        .arg(&out)
        .assert()
        .success();
    let report = out.join("countries/MLI.html");

    // The detector of page requests finds one when there is one, or its silence would prove nothing.
    let probe = work.path().join("probe.html");
    std::fs::write(&probe, "<!DOCTYPE html><html><body><img src=\"http://chart.mdime.invalid/x.png\"></body></html>").unwrap();
    let (_, net_log) = open(&probe, work.path(), "probe", &["--dump-dom".into()]);
    assert_eq!(page_requests(&net_log), ["http://chart.mdime.invalid/x.png"], "the network log shows a page's request");

    let (dom, net_log) = open(&report, work.path(), "report", &["--dump-dom".into()]);
    assert!(page_requests(&net_log).is_empty(), "the report asked for {:?}", page_requests(&net_log));
    assert!(dom.contains("<h1>Mali (MLI): military influence of China and Russia</h1>"), "{}", &dom[..dom.len().min(2000)]);

    // Every section, in order; every instrument in its pillar.
    let sections = ["key-assessments", "ratings", "at-a-glance", "diplomatic", "informational", "military", "economic", "sources", "method"];
    let at: Vec<usize> = sections.iter().map(|id| dom.find(&format!("<h2 id=\"{id}\">")).unwrap_or_else(|| panic!("no section {id}"))).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "sections out of order: {at:?}");
    let pillars = [("diplomatic", ["D1", "D2", "D3"]), ("informational", ["I1", "I2", "I3"]), ("military", ["M1", "M2", "M3"]), ("economic", ["E1", "E2", "E3"])];
    for (p, (pillar, codes)) in pillars.iter().enumerate() {
        let body = &dom[at[3 + p]..at[4 + p]];
        for code in codes {
            assert!(body.contains(&format!("<h3 id=\"{code}\">{code} ")), "{code} not under {pillar}");
        }
    }

    // The twelve-cell table per benefactor: four pillars of three cells, each coloured and naming its instrument.
    for benefactor in ["CHN", "RUS"] {
        let table = section(&dom, &format!("<h3 id=\"ratings-{benefactor}\">"), "<tbody>", "</tbody>");
        let rows: Vec<&str> = table.split("<tr>").skip(1).collect();
        assert_eq!(rows.len(), 4, "{benefactor}: one row per pillar");
        for (row, (_, codes)) in rows.iter().zip(&pillars) {
            let cells: Vec<&str> = row.split("<td").skip(2).collect();
            assert_eq!(cells.len(), 3, "{benefactor}: {row}");
            for (cell, code) in cells.iter().zip(codes) {
                assert!(cell.starts_with(" style=\"background:#") && cell.contains(&format!(">{code} ")), "{benefactor} {code}: {cell}");
            }
        }
    }

    // Charts inline: one SVG per figure, drawn, as many as chart files were written for Mali; nothing to fetch.
    let figures: Vec<&str> = dom.split("<figure>").skip(1).map(|f| &f[..f.find("</figure>").unwrap()]).collect();
    let charts = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("MLI-") && n.ends_with(".svg"))
        .count();
    assert!(charts > 5 && figures.len() == charts, "{} figures, {charts} chart files", figures.len());
    for figure in &figures {
        assert!(figure.trim_start().starts_with("<svg") && figure.contains("<text"), "a figure without its drawing: {}", &figure[..200.min(figure.len())]);
    }
    for external in ["<img", "<script", "<link", "<iframe", "<object", "<embed", "url(", "@import"] {
        assert!(!dom.contains(external), "the report loads something: {external}");
    }

    // The evidence bullets: one linked citation per event of Mali's log up to the as-of year.
    let links = dom.matches("<a href=\"http").count();
    assert_eq!(links, evidence_rows("MLI"), "one cited source per evidence-log event");
    assert!(links > 20, "{links}");

    // The screenshot: a real PNG of the page, kept for people to look at.
    let artifact = screenshot_artifact();
    std::fs::create_dir_all(artifact.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&artifact);
    open(&report, work.path(), "screenshot", &[format!("--window-size={},{}", SCREEN.0, SCREEN.1), format!("--screenshot={}", artifact.display())]);
    let bytes = std::fs::read(&artifact).unwrap_or_else(|e| panic!("no screenshot at {}: {e}", artifact.display()));
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG file");
    let dimensions = (u32::from_be_bytes(bytes[16..20].try_into().unwrap()), u32::from_be_bytes(bytes[20..24].try_into().unwrap()));
    assert_eq!(dimensions, SCREEN, "the window's size");
    assert!(bytes.len() > 100_000, "{} bytes: too small for a page of tables and charts", bytes.len());
    let mut decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let channels = frame.color_type.samples();
    let colours: std::collections::BTreeMap<[u8; 3], usize> = pixels[..frame.buffer_size()].chunks(channels).fold(Default::default(), |mut counts, p| {
        *counts.entry([p[0], p[1], p[2]]).or_default() += 1;
        counts
    });
    assert!(colours.len() > 50, "{} distinct colours: a blank page?", colours.len());
    // The rating cells in the level colours of the viridis scale (see reports/README.md), large areas each.
    let levels = [[0x44, 0x01, 0x54], [0x3b, 0x52, 0x8b], [0x21, 0x91, 0x8c], [0x5e, 0xc9, 0x62], [0xfd, 0xe7, 0x25]];
    let drawn = levels.iter().filter(|l| colours.get(*l).copied().unwrap_or(0) > 2_000).count();
    assert!(drawn >= 3, "the rating tables' level colours are not on screen ({drawn} of 5)");
}

/// The index in Chromium: its maps and tables inline, nothing fetched; a script run after the page's own
/// sorts the ranking by score, then by name, and filters it as a reader would, and the DOM shows the
/// result. A screenshot is kept beside the report's (`target/ci-artifacts/index.png`).
#[test]
fn the_index_sorts_and_filters_its_ranking_in_chromium() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("reports");
    let recipients = ["Mali", "Niger", "Egypt", "Iraq", "Pakistan", "Djibouti"];
    let mut command = mdime();
    command.current_dir(env!("CARGO_MANIFEST_DIR")).args(["run", "--as-of", AS_OF, "--format", "html,svg", "--output"]).arg(&out);
    for r in recipients {
        command.args(["--recipient", r]);
    }
    command.assert().success();
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();

    // The reader's actions, appended after the page's own script.
    let actions = r#"<script>
var table = document.getElementById('table-ranking-CHN');
var names = function () { return Array.prototype.map.call(table.tBodies[0].rows, function (r) { return r.cells[1].textContent; }).join('|'); };
var scores = function () { return Array.prototype.map.call(table.tBodies[0].rows, function (r) { return r.cells[4].textContent; }).join('|'); };
table.querySelectorAll('th')[4].click();
document.body.setAttribute('data-scores', scores());
table.querySelectorAll('th')[1].click();
document.body.setAttribute('data-names', names());
var input = document.querySelector('input[data-filters="table-ranking-CHN"]');
input.value = 'africa';
input.dispatchEvent(new Event('input'));
</script>
</body>"#;
    let page = work.path().join("index-acted.html");
    std::fs::write(&page, index.replacen("</body>", actions, 1)).unwrap();
    let (dom, net_log) = open(&page, work.path(), "index", &["--dump-dom".into()]);
    assert!(page_requests(&net_log).is_empty(), "the index asked for {:?}", page_requests(&net_log));

    let attribute = |name: &str| {
        let start = dom.find(&format!("{name}=\"")).unwrap_or_else(|| panic!("no {name}")) + name.len() + 2;
        dom[start..start + dom[start..].find('"').unwrap()].to_string()
    };
    // By score: highest first (a click on a heading sorts it descending first).
    let scores: Vec<f64> = attribute("data-scores").split('|').map(|s| s.parse().unwrap_or(-1.0)).collect();
    assert_eq!(scores.len(), recipients.len());
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    // By name: Z to A.
    let names: Vec<String> = attribute("data-names").split('|').map(String::from).collect();
    let mut sorted = names.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(names, sorted);
    // Filtered: the African recipients stay, the others are hidden, and the count says so.
    let table = section(&dom, "id=\"table-ranking-CHN\"", "<tbody>", "</tbody>");
    let rows: Vec<&str> = table.split("<tr").skip(1).collect();
    for row in &rows {
        assert_eq!(row.contains("hidden"), !row.contains(">Africa<"), "{row}");
    }
    let shown = rows.iter().filter(|r| !r.contains("hidden")).count();
    assert_eq!(shown, 3, "Mali, Niger and Djibouti are African (Egypt is of the Middle East)");
    assert!(dom.contains(&format!("{shown} of {} shown", recipients.len())));

    // The maps, inline: each recipient a link to its report with its rating on hover.
    for iso3 in ["MLI", "NER", "EGY", "IRQ", "PAK", "DJI"] {
        assert!(dom.contains(&format!("<a href=\"countries/{iso3}.html\"><title>")), "{iso3} not on the map");
    }

    let artifact = screenshot_artifact().with_file_name("index.png");
    let _ = std::fs::remove_file(&artifact);
    open(&out.join("index.html"), work.path(), "index-screenshot", &[format!("--window-size={},{}", SCREEN.0, SCREEN.1), format!("--screenshot={}", artifact.display())]);
    let bytes = std::fs::read(&artifact).unwrap_or_else(|e| panic!("no screenshot at {}: {e}", artifact.display()));
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG file");
    assert!(bytes.len() > 50_000, "{} bytes: too small for a page of maps and tables", bytes.len());
}
