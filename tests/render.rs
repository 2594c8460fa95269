use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mdime::domain::{Instrument, Pillar};
use mdime::render::charts::{self, Heatmap, HeatmapKind, Instruments, Overview, TimeSeries};
use mdime::render::{report, Scene};

use crate::common::*;
use crate::run::{args, evaluated};

fn scene() -> Scene<'static> {
    let (config, evaluation) = evaluated();
    Scene::new(evaluation, config)
}

fn mali_args() -> mdime::cli::DataArgs {
    let mut a = args(&repo_datasets());
    a.recipients = vec!["Mali".into()];
    a
}

/// Mali on the repository's datasets: arms, peacekeeping, trade and the evidence logs.
fn mali() -> &'static (mdime::Config, mdime::Evaluation) {
    static MALI: std::sync::OnceLock<(mdime::Config, mdime::Evaluation)> = std::sync::OnceLock::new();
    MALI.get_or_init(|| {
        let config = mali_args().validate().unwrap();
        let evaluation = mdime::evaluate(&config).unwrap();
        (config, evaluation)
    })
}

/// The score beside a rating is the one that set it: where the evidence logs rate an instrument above
/// its dataset, the evidence score is shown, and it rates at the instrument's level.
#[test]
fn the_score_shown_is_the_one_that_set_the_rating() {
    let (config, evaluation) = mali();
    let mut set_by_evidence_over_a_dataset = 0;
    for a in evaluation.assessments.iter().filter(|a| a.current.rank().is_some()) {
        let Some(instrument) = a.instrument else { continue };
        let Some(rule) = config.rubric.rules.get(&instrument) else { continue };
        let (Some(evidence), Some(score)) = (&rule.evidence, a.score) else { continue };
        if a.score_indicator == evidence.indicator {
            assert_eq!(evidence.level(score), a.current, "{a:?}");
            set_by_evidence_over_a_dataset += usize::from(rule.score.is_some());
        } else if let (Some(events), true) = (&rule.events, a.score_indicator == mdime::sources::events::indicators::RATE) {
            // Event data set the level one step below their thresholds.
            assert_eq!(mdime::assess::discounted(events.scale.level(score)), a.current, "{a:?}");
        } else {
            let value = |indicator: &str| evaluation.indicators.window_value(&a.benefactor, &a.recipient, instrument, indicator);
            let basis = rule.datasets().into_iter().find(|b| b.scale.indicator == a.score_indicator).unwrap();
            let cap_value = basis.cap.as_ref().and_then(|cap| value(&cap.indicator));
            assert_eq!(basis.level(score, cap_value), a.current, "{a:?}");
        }
    }
    assert!(set_by_evidence_over_a_dataset > 0, "some instrument a dataset rates is set by its evidence");
}

/// The text content of every `<text>` element, read without mdime's help.
fn svg_texts(svg: &str) -> Vec<String> {
    let unescape = |t: &str| {
        [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&#39;", "'"), ("&amp;", "&")]
            .iter()
            .fold(t.to_string(), |t, (from, to)| t.replace(from, to))
    };
    svg.split("<text").skip(1).map(|t| unescape(t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim())).collect()
}

#[test]
fn heatmaps_name_every_recipient_and_instrument() {
    let scene = scene();
    assert_eq!(scene.recipients.len(), 121);
    for kind in [HeatmapKind::Levels(0), HeatmapKind::Levels(1), HeatmapKind::Difference(0, 1)] {
        let svg = charts::svg(&Heatmap { scene: &scene, kind }).unwrap();
        let texts = svg_texts(&svg);
        let has = |wanted: &str| texts.iter().any(|t| t == wanted);
        assert!(texts[0].contains("current influence"), "title first: {}", texts[0]);
        assert!(has("Recipient (by region)") && has("Instrument"), "axis labels");
        assert!(texts.iter().any(|t| t.starts_with("Source: SIPRI Arms Transfers Database")));
        for code in Instrument::ALL {
            assert!(has(code.code()), "{kind:?} lacks column {code}");
        }
        for region in ["Africa", "Latin America", "Middle East", "South Asia", "Southeast Asia"] {
            assert!(has(region), "{kind:?} lacks region {region}");
        }
        for r in &scene.recipients {
            let label = format!("{} ({})", r.country.name, r.country.iso3);
            assert!(has(&label), "{kind:?} lacks {label}");
        }
        // One cell per recipient and column (twelve instruments and overall).
        let cells = texts.iter().map(|t| t.trim()).filter(|t| t.chars().count() <= 4 && !Instrument::ALL.iter().any(|i| i.code() == *t)).count();
        assert!(cells >= 121 * 13, "{kind:?}: {cells} cells");
    }
    let levels = svg_texts(&charts::svg(&Heatmap { scene: &scene, kind: HeatmapKind::Levels(0) }).unwrap());
    assert!(levels.iter().any(|t| t == "VH Very High") && levels.iter().any(|t| t == "n/a Not assessed"), "legend");
}

#[test]
fn instrument_chart_shows_both_benefactors_with_labels() {
    let scene = scene();
    let mali = scene.recipients.iter().find(|r| r.country.iso3 == "MLI").unwrap();
    let svg = charts::svg(&Instruments { view: mali, window: scene.window }).unwrap();
    let texts = svg_texts(&svg);
    assert_eq!(texts[0], "Mali: China and Russia on the twelve M-DIME instruments");
    for wanted in ["China", "Russia", "Very High", "Very Low", "Unobserved", "Current influence level", "n/a", "U"] {
        assert!(texts.iter().any(|t| t == wanted), "missing {wanted}");
    }
    assert!(texts.iter().any(|t| t.starts_with("Instrument (")), "x axis label");
    for code in Instrument::ALL {
        assert!(texts.iter().any(|t| t == code.code()), "missing {code}");
    }
    // D1 has no source: both benefactors' D1 are Not assessed; E2 is covered and unseen: Unobserved.
    assert_eq!(texts.iter().filter(|t| *t == "n/a").count(), 2 * 10, "ten uncovered instruments per benefactor");
}

#[test]
fn time_series_and_overview_charts_are_labelled() {
    let scene = scene();
    let mali = scene.recipients.iter().find(|r| r.country.iso3 == "MLI").unwrap();
    let yearly = mali.yearly();
    let tiv = yearly.iter().find(|y| y.instrument == Instrument::E1 && y.indicator == "tiv_delivered").unwrap();
    assert_eq!(tiv.series.len(), 2);
    assert_eq!(tiv.series[0].points.len(), 13, "one point per year of 2012-2024");
    let texts = svg_texts(&charts::svg(&TimeSeries { view: mali, yearly: tiv, window: scene.window }).unwrap());
    for wanted in ["Year", "TIV (millions)", "China", "Russia", "2012", "2024"] {
        assert!(texts.iter().any(|t| t == wanted), "missing {wanted}");
    }
    let texts = svg_texts(&charts::svg(&Overview { scene: &scene, x: 0, y: 1 }).unwrap());
    assert!(texts.iter().any(|t| t == "China: overall score") && texts.iter().any(|t| t == "Russia: overall score"));
    // A code is left off only where every spot beside its point is taken (no label covers another).
    let labelled = scene.recipients.iter().filter(|r| texts.iter().any(|t| *t == r.country.iso3)).count();
    assert!(labelled * 10 >= scene.recipients.len() * 8, "{labelled} of {} recipients labelled", scene.recipients.len());
}

#[test]
fn pngs_are_slide_sized_and_drawn() {
    let scene = scene();
    let pakistan = scene.recipients.iter().find(|r| r.country.iso3 == "PAK").unwrap();
    let bytes = charts::png(&Instruments { view: pakistan, window: scene.window }).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert!(width >= 1200 && height >= 675, "{width}×{height}");
    let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    reader.next_frame(&mut pixels).unwrap();
    let rgb: Vec<&[u8]> = pixels.chunks(3).collect();
    let dark = rgb.iter().filter(|p| p.iter().all(|&c| c < 80)).count();
    // China's bar in vermillion (#d55e00): E1 is Very High for China in Pakistan.
    let vermillion = rgb.iter().filter(|p| p[0] == 0xd5 && p[1] == 0x5e && p[2] == 0x00).count();
    assert!(dark > 5_000, "text drawn: {dark} dark pixels");
    assert!(vermillion > 10_000, "a tall bar drawn: {vermillion} pixels");
}

/// `(x, y)` pixel pairs of the SVG elements of one kind and fill colour (`points` of polygons, centres
/// of circles).
fn svg_points(svg: &str, element: &str, fill: &str) -> Vec<(i32, i32)> {
    let attribute = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[start..start + tag[start..].find('"')?].to_string())
    };
    let number = |t: &str| t.trim().parse::<i32>().unwrap();
    svg.split(&format!("<{element} "))
        .skip(1)
        .map(|t| format!(" {}", &t[..t.find('>').unwrap()]))
        .filter(|t| attribute(t, "fill").as_deref() == Some(fill))
        .flat_map(|t| match element {
            "polygon" => attribute(&t, "points")
                .unwrap()
                .split_whitespace()
                .map(|p| p.split_once(',').map(|(x, y)| (number(x), number(y))).unwrap())
                .collect::<Vec<_>>(),
            _ => vec![(number(&attribute(&t, "cx").unwrap()), number(&attribute(&t, "cy").unwrap()))],
        })
        .collect()
}

#[test]
fn time_series_continue_with_their_projection_and_interval() {
    let (config, evaluation) = mali();
    let scene = Scene::new(evaluation, config);
    let mali = &scene.recipients[0];
    let yearly = mali.yearly();
    let tiv = yearly.iter().find(|y| y.instrument == Instrument::E1 && y.indicator == "tiv_delivered").unwrap();
    let svg = charts::svg(&TimeSeries { view: mali, yearly: tiv, window: scene.window }).unwrap();
    let texts = svg_texts(&svg);
    // Three years past the last year of SIPRI's data.
    let horizon = tiv.series[0].points.iter().map(|p| p.0).max().unwrap() + 3;
    assert!(horizon > scene.window.end, "the axis has to reach past the window");
    // The first of the three years is the as-of year itself, past: the mean is expected, not projected.
    let years = format!("{}–{horizon}, from data to {}", horizon - 2, horizon - 3);
    for wanted in ["China", "China: expected mean {y}", "China: 80% interval", "Russia", "Russia: expected mean {y}", "Russia: 80% interval"] {
        let wanted = wanted.replace("{y}", &years);
        assert!(texts.iter().any(|t| *t == wanted), "missing {wanted}");
    }
    assert!(texts.iter().any(|t| *t == horizon.to_string()), "the axis is labelled to {horizon}");
    assert!(texts.iter().any(|t| t.starts_with("Dashed: expected mean of the three years after the last year of data")), "the note says what the projection is");
    for colour in ["#D55E00", "#0072B2"] {
        // The projection is a mean over three years: a flat band across them, right of the last data point.
        let band = svg_points(&svg, "polygon", colour);
        assert_eq!(band.len(), 4, "{colour}: one shaded band over the projected years");
        let (left, right) = (band[0].0, band[1].0);
        assert!(band[0].1 == band[1].1 && band[2].1 == band[3].1 && band[2].0 == right && band[3].0 == left, "{colour}: a rectangle {band:?}");
        let last_data = svg_points(&svg, "circle", colour).iter().map(|p| p.0).max().unwrap();
        let year = left - last_data;
        assert!(year > 0 && (right - left - 2 * year).abs() <= 2, "{colour}: the band starts the year after the last data point and spans three years: {band:?}, last data at {last_data}");
        assert!(svg.contains(&format!("<polygon opacity=\"0.18\" fill=\"{colour}\"")), "{colour}: the band is shaded, not opaque");
        // The dashed continuation: short segments in the benefactor's colour, thinner than the data.
        let dashes = svg.matches(&format!("stroke=\"{colour}\" stroke-width=\"2\" points=")).count();
        assert!(dashes >= 5, "{colour}: {dashes} dashes");
        assert!(svg.contains(&format!("r=\"6\" opacity=\"1\" fill=\"none\" stroke=\"{colour}\"")), "{colour}: open circle at the horizon");
    }
    // China's interval reaches down to zero deliveries, never below: the band's lowest edge is the zero
    // line, where the years without deliveries sit.
    let china = evaluation.projections.iter().find(|p| p.benefactor == "CHN" && p.recipient == "MLI" && p.instrument == Instrument::E1).unwrap();
    assert_eq!(china.trend.lower, Some(0.0), "{china:?}");
    let zero_line = svg_points(&svg, "circle", "#D55E00").iter().map(|p| p.1).max().unwrap();
    let band = svg_points(&svg, "polygon", "#D55E00");
    assert_eq!(band.iter().map(|p| p.1).max().unwrap(), zero_line, "the band is cut at 0");

    // The share of trade is not the series E3 is projected on: no projection drawn.
    let share = yearly.iter().find(|y| y.instrument == Instrument::E3 && y.indicator == "share_of_trade").unwrap();
    let svg = charts::svg(&TimeSeries { view: mali, yearly: share, window: scene.window }).unwrap();
    assert!(!svg.contains("<polygon") && !svg_texts(&svg).iter().any(|t| t.contains("projected")), "no projection on share_of_trade");
}

fn report_for(iso3: &str, evaluation: &mdime::Evaluation, config: &mdime::Config) -> report::Document {
    let scene = Scene::new(evaluation, config);
    let view = scene.recipients.iter().find(|r| r.country.iso3 == iso3).unwrap();
    report::country(view, scene.window, None, &[])
}

#[test]
fn reports_have_every_section() {
    let (config, evaluation) = evaluated();
    let document = report_for("NER", evaluation, config);
    let html = report::html(&document);
    let markdown = report::markdown(&document);
    let mut headings: Vec<String> = report::SECTIONS.iter().map(|s| s.to_string()).collect();
    headings.retain(|s| s != "At a glance");
    headings.push("Niger at a glance".into());
    for pillar in [Pillar::Diplomatic, Pillar::Informational, Pillar::Military, Pillar::Economic] {
        headings.push(format!("{} pillar", pillar.name()));
    }
    for i in Instrument::ALL {
        headings.push(format!("{} {}", i.code(), i.name()));
    }
    for h in &headings {
        let escaped = report::escape_html(h);
        assert!(html.contains(&format!(">{escaped}</h2>")) || html.contains(&format!(">{escaped}</h3>")), "html lacks {h}");
        let md = report::escape_markdown(h);
        assert!(markdown.contains(&format!("## {md}\n")) || markdown.contains(&format!("### {md}\n")), "markdown lacks {h}");
    }
    for fact in ["NER", "Niamey", "Western Africa"] {
        assert!(html.contains(&format!("<td>{fact}</td>")), "at a glance lacks {fact}");
    }
    // The twelve-cell table: each benefactor's ratings coloured by level.
    assert_eq!(html.matches("E1 Arms transfers: ").count(), 2);
    assert!(html.contains("style=\"background:#"));
}

/// HTML's five special characters as entities, written here rather than borrowed from mdime.
fn html_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

#[test]
fn reports_cite_every_evidence_event_under_its_instrument() {
    let (config, evaluation) = mali();
    let document = report_for("MLI", evaluation, config);
    let html = report::html(&document);
    let markdown = report::markdown(&document);
    // Mali's log, read with the csv crate: the events dated up to the end of the window.
    let mut reader = csv::Reader::from_path(repo_datasets().join("evidence/MLI.csv")).unwrap();
    let mut rows: Vec<BTreeMap<String, String>> = Vec::new();
    let headers = reader.headers().unwrap().clone();
    for record in reader.records().map(Result::unwrap) {
        let row: BTreeMap<String, String> = headers.iter().zip(record.iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect();
        if row["date"][..4].parse::<i32>().unwrap() <= config.window.end {
            rows.push(row);
        }
    }
    assert!(rows.len() > 40, "{} events", rows.len());
    rows.sort_by(|a, b| (&a["benefactor"], &a["date"], &a["id"]).cmp(&(&b["benefactor"], &b["date"], &b["id"])));
    // An instrument's section: from its heading to the next heading of a section.
    let section = |code: &str| {
        let start = html.find(&format!("<h3 id=\"{code}\">")).unwrap();
        let end = ["<h2", "<h3"].iter().filter_map(|h| html[start + 1..].find(h)).min().map_or(html.len(), |e| start + 1 + e);
        &html[start..end]
    };
    let mut last_position: BTreeMap<(String, String), usize> = BTreeMap::new();
    for row in &rows {
        let body = section(&row["instrument"]);
        let bullet = format!("<li>{}: {} (", row["date"], html_text(&row["summary"]));
        let position = body.find(&bullet).unwrap_or_else(|| panic!("{} lacks the bullet of {}", row["instrument"], row["id"]));
        let line = &body[position..position + body[position..].find("</li>").unwrap()];
        assert!(line.contains(&format!("; {})", row["id"])), "{line}");
        assert!(line.contains(&format!("<a href=\"{}\">{}", html_text(&row["source_url"]), html_text(&row["source_title"]))), "{line}");
        assert!(markdown.contains(&format!("](<{}>)", row["source_url"])), "Markdown lacks the link of {}", row["id"]);
        // Oldest first within each benefactor's list.
        let key = (row["instrument"].clone(), row["benefactor"].clone());
        assert!(last_position.get(&key).is_none_or(|&p| p < position), "{} out of order", row["id"]);
        last_position.insert(key, position);
    }
    for i in Instrument::ALL {
        // The evidence-log bullets come before the machine-coded events'.
        let listed = section(i.code()).split("Machine-coded events, ").next().unwrap().matches("<li>").count();
        let logged = rows.iter().filter(|r| r["instrument"] == i.code()).count();
        assert_eq!(listed, logged, "{i}: bullets against events in the log");
        if logged == 0 {
            assert!(section(i.code()).contains("The evidence logs hold no event"), "{i}");
        }
    }
}

#[test]
fn text_from_data_is_escaped() {
    let config = mali_args().validate().unwrap();
    let mut evaluation = mdime::evaluate(&config).unwrap();
    let hostile = "<script>alert('x')</script> & <b>bold</b> | [link](http://x)";
    for v in &mut evaluation.indicators.values {
        v.source = hostile.to_string();
    }
    for a in &mut evaluation.assessments {
        a.sources = vec![hostile.to_string()];
    }
    assert!(evaluation.indicators.events.len() >= 3, "Mali's log has events to cite");
    for e in &mut evaluation.indicators.events {
        e.summary = hostile.to_string();
        e.source_title = hostile.to_string();
    }
    evaluation.indicators.events[0].source_url = "javascript:alert('x')".into();
    evaluation.indicators.events[1].source_url = "https://example.org/\"><script>alert(1)</script> x".into();
    let document = report_for("MLI", &evaluation, &config);
    let html = report::html(&document);
    assert!(!html.contains("<script") && !html.contains("<b>"), "markup from data reached the HTML");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"));
    // Evidence bullets: the summary and the citation as text; only http(s) URLs become links, with
    // what would end the attribute or the Markdown link percent-encoded.
    let escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; | [link](http://x)";
    assert!(html.contains(&format!(": {escaped} (")), "the evidence summary is escaped");
    assert!(html.contains(&format!("\">{escaped}, ")), "the linked citation is escaped");
    assert!(!html.contains("href=\"javascript") && html.contains(" javascript:alert(&#39;x&#39;)</li>"), "a javascript: URL stays text");
    assert!(html.contains("<a href=\"https://example.org/%22%3E%3Cscript%3Ealert(1)%3C/script%3E%20x\">"));
    let markdown = report::markdown(&document);
    // Link destinations aside (`](<…>)`, percent-encoded), no `<` may be left unescaped.
    let outside_links: String = markdown.split("](<").enumerate().map(|(i, t)| if i == 0 { t } else { &t[t.find(">)").unwrap() + 2..] }).collect();
    assert!(!outside_links.replace(r"\<", "").contains('<') && !markdown.contains("[link]"), "unescaped markup in Markdown");
    assert!(markdown.contains(r"\<script\>alert('x')\</script\> & \<b\>bold\</b\> \| \[link\](http://x)"));
    assert!(!markdown.contains("](<javascript") && !markdown.contains("](javascript"), "a javascript: URL stays text");
    assert!(markdown.contains("](<https://example.org/%22%3E%3Cscript%3Ealert(1)%3C/script%3E%20x>)"));
    let scene = Scene::new(&evaluation, &config);
    let svg = charts::svg(&Instruments { view: &scene.recipients[0], window: scene.window }).unwrap();
    assert!(!svg.contains("<script") && svg.contains("&lt;script&gt;"), "the chart's source line is escaped");
}

fn run_mdime(out: &Path, threads: &str, options: &[&str]) -> assert_cmd::assert::Assert {
    mdime()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("RAYON_NUM_THREADS", threads)
        .env("POLARS_MAX_THREADS", threads)
        .args(["run", "--output"])
        .arg(out)
        .args(options)
        .assert()
}

/// Eight recipients: enough for both threads to render several, few enough to draw every chart twice.
const REGION: [&str; 2] = ["--region", "South Asia"];

#[test]
fn the_batch_layout_is_complete_and_byte_identical_whatever_the_thread_count() {
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    run_mdime(one.path(), "1", &REGION).success();
    run_mdime(two.path(), "2", &REGION).success();
    let files = run_files(one.path());
    assert!(files == run_files(two.path()), "outputs differ between one and two threads");

    // The states of the region, read from the country table directly.
    let table = std::fs::read_to_string(repo_datasets().join("countries.csv")).unwrap();
    let recipients: Vec<&str> = table
        .lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f.len() == 8 && f[7] == "state" && f[3] == "South Asia")
        .map(|f| f[0])
        .collect();
    assert!(recipients.len() >= 8, "{recipients:?}");
    let index = String::from_utf8(files[Path::new("index.html")].clone()).unwrap();
    for iso3 in &recipients {
        for file in [format!("countries/{iso3}.html"), format!("countries/{iso3}.md"), format!("charts/{iso3}-instruments.svg"), format!("charts/{iso3}-instruments.png")] {
            assert!(files.contains_key(Path::new(&file)), "missing {file}");
        }
        assert!(index.contains(&format!("href=\"countries/{iso3}.html\"")), "index lacks {iso3}");
    }
    assert_eq!(files.keys().filter(|p| p.starts_with("countries")).count(), 2 * recipients.len(), "no other recipient");
    for name in ["index.md", "indicators.csv", "assessments.csv", "coverage.csv", "charts/heatmap-CHN.svg", "charts/heatmap-RUS.png", "charts/heatmap-CHN-minus-RUS.svg", "charts/overview-CHN-RUS.png"] {
        assert!(files.contains_key(Path::new(name)), "missing {name}");
    }
    // Every chart a report links exists; file names hold only codes.
    for (path, bytes) in &files {
        let name = path.to_string_lossy();
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || "/-_.".contains(c)), "{name}");
        if name.ends_with(".md") {
            let text = String::from_utf8(bytes.clone()).unwrap();
            // Sources on the web are linked in pointy brackets; every other link is to a file of the run.
            for link in text.split("](").skip(1).map(|t| &t[..t.find(')').unwrap()]).filter(|l| !l.starts_with("<http")) {
                let target = path.parent().unwrap().join(link);
                let target: PathBuf = target.components().fold(PathBuf::new(), |mut p, c| {
                    if c == std::path::Component::ParentDir { p.pop(); } else { p.push(c); }
                    p
                });
                assert!(files.contains_key(&target), "{name} links {link}, which is not written");
            }
        }
    }
    // The HTML report is self-contained: charts inline, nothing fetched.
    let report = String::from_utf8(files[Path::new("countries/PAK.html")].clone()).unwrap();
    assert!(report.contains("<svg") && !report.contains("src=\"") && !report.contains("http://www.w3.org/1999/xlink\" href"));
}

#[test]
fn formats_restrict_the_outputs() {
    let out = tempfile::tempdir().unwrap();
    run_mdime(out.path(), "2", &["--recipient", "Mali", "--format", "md,svg"]).success();
    let files = run_files(out.path());
    // The manifest and the run's inventory are written whatever the formats.
    let chosen = |p: &&PathBuf| p.as_path() != Path::new("manifest.json") && p.as_path() != Path::new(mdime::artefact::INVENTORY);
    assert!(files.keys().filter(chosen).all(|p| matches!(p.extension().unwrap().to_str().unwrap(), "md" | "svg")), "{:?}", files.keys());
    assert!(files.contains_key(Path::new("manifest.json")));
    assert!(files.contains_key(Path::new("countries/MLI.md")) && files.contains_key(Path::new("charts/MLI-instruments.svg")));
    run_mdime(out.path(), "2", &["--format", "csv,pdf"]).failure().stderr(predicates::str::starts_with("error: --format: unknown format `pdf`"));
}

#[test]
fn a_failed_run_leaves_the_previous_outputs_intact() {
    let out = tempfile::tempdir().unwrap();
    run_mdime(out.path(), "2", &["--recipient", "Mali", "--format", "csv,html"]).success();
    let before = run_files(out.path());
    // A file where the run needs a folder: staging fails after the CSV tables were staged.
    std::fs::remove_dir_all(out.path().join("charts")).ok();
    std::fs::remove_dir_all(out.path().join("countries")).unwrap();
    std::fs::write(out.path().join("countries"), "in the way").unwrap();
    let mut before = before;
    before.retain(|p, _| !p.starts_with("countries"));
    before.insert(PathBuf::from("countries"), b"in the way".to_vec());
    run_mdime(out.path(), "2", &["--recipient", "Mali", "--since", "2020", "--format", "csv,html"])
        .failure()
        .stderr(predicates::str::contains("cannot write"));
    assert!(run_files(out.path()) == before, "a failed run changed or left files");
}

/// The real run of one region: every country report's like-for-like line leaves out exactly the
/// instruments `assessments.csv` shows Not assessed for China, Russia or both, names whom for, and
/// states each one's own overall as the table does; where nothing is left out the compared score is
/// the own overall score.
#[test]
fn each_report_compares_like_for_like_leaving_out_what_one_benefactor_lacks() {
    let out = tempfile::tempdir().unwrap();
    run_mdime(out.path(), "2", &["--region", "Southeast Asia", "--format", "csv,md"]).success();
    let mut reader = csv::Reader::from_path(out.path().join("assessments.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    // (recipient ISO-3, benefactor name) → instrument code or "overall" → (level, score)
    let mut ratings: BTreeMap<(String, String), BTreeMap<String, (String, String)>> = BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        let instrument = if record[column("instrument")].is_empty() { "overall" } else { &record[column("instrument")] };
        ratings
            .entry((record[column("iso3")].to_string(), record[column("benefactor")].to_string()))
            .or_default()
            .insert(instrument.to_string(), (record[column("current")].to_string(), record[column("score")].to_string()));
    }
    let recipients: std::collections::BTreeSet<String> = ratings.keys().map(|(iso3, _)| iso3.clone()).collect();
    assert!(recipients.len() >= 10, "{recipients:?}");
    let mut one_sided = 0;
    for iso3 in &recipients {
        let (china, russia) = (&ratings[&(iso3.clone(), "China".into())], &ratings[&(iso3.clone(), "Russia".into())]);
        let mut expected_left_out = Vec::new();
        for instrument in Instrument::ALL {
            let code = instrument.code();
            let lacking: Vec<&str> = [("China", china), ("Russia", russia)]
                .into_iter()
                .filter(|(_, rows)| rows[code].0 == "Not assessed")
                .map(|(name, _)| name)
                .collect();
            if !lacking.is_empty() {
                one_sided += usize::from(lacking.len() == 1);
                expected_left_out.push(format!("{code} ({} not assessed)", lacking.join(" and ")));
            }
        }
        let report = std::fs::read_to_string(out.path().join(format!("countries/{iso3}.md"))).unwrap();
        let line = report.lines().skip_while(|l| !l.starts_with("### Compared like for like")).find(|l| l.starts_with("- China ")).unwrap();
        let (levels, compared) = line.split_once(": compared on ").unwrap();
        let n = 12 - expected_left_out.len();
        let on = format!("{n} instrument{} assessed for both; ", if n == 1 { "" } else { "s" });
        let listed = if expected_left_out.is_empty() { "none left out.".to_string() } else { format!("left out: {}.", expected_left_out.join(", ")) };
        assert_eq!(compared, format!("{on}{listed}"), "{iso3}");
        assert!(levels.contains(&format!("(own overall {});", china["overall"].0)), "{iso3}: {levels}");
        assert!(levels.ends_with(&format!("(own overall {})", russia["overall"].0)), "{iso3}: {levels}");
        if expected_left_out.is_empty() {
            for (name, rows) in [("China", china), ("Russia", russia)] {
                let own: f64 = rows["overall"].1.parse().unwrap();
                assert!(levels.contains(&format!("{name} {}, score {own:.2} ", rows["overall"].0)), "{iso3}: {levels}");
            }
        }
    }
    assert!(one_sided > 0, "no instrument is assessed for one benefactor only in this region: the test would prove nothing");
}
