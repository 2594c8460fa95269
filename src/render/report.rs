//! Country reports and the index, laid out as the M-DIME reports are. Each is built once as a small
//! document (headings, paragraphs, tables, charts) and written by two writers, Markdown and HTML, so the
//! two formats never drift apart and every piece of text from data passes through one escape function.

use std::fmt::Write;

use super::{benefactor_pairs, compared_on, format_value, left_out_among, level_colour, trend_arrow, PairView, RecipientView, Rgb, Scene};
use crate::assess::groups::GroupSummary;
use crate::assess::ComparedOverall;
use crate::domain::{Benefactor, CurrentLevel, Instrument, Pillar};
use crate::indicators::Window;

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 1–3; `id` (built from codes, never from free text) is the HTML anchor.
    Heading { level: u8, text: String, id: Option<String> },
    Paragraph(String),
    List(Vec<Item>),
    Table(Table),
    /// A table a reader can sort (by clicking a heading) and filter (by typing) in HTML; `id` (built
    /// from codes) names it. Markdown writes it as a plain table.
    Sortable { id: String, table: Table },
    Chart(ChartRef),
}

/// A list item: text from data, then optionally a link (a citation pointing at its source).
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub text: String,
    pub link: Option<Link>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub text: String,
    pub url: String,
}

impl From<String> for Item {
    fn from(text: String) -> Item {
        Item { text, link: None }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    pub text: String,
    /// Background colour (a level's), with the text in black or white to match.
    pub fill: Option<Rgb>,
    /// A link target without extension; each writer adds its own (`.md`, `.html`).
    pub link: Option<String>,
    /// What a sortable table sorts the cell by, where its text would sort wrongly (a level by its score).
    pub sort: Option<f64>,
}

impl Cell {
    pub fn linked(text: impl Into<String>, link: String) -> Cell {
        Cell { text: text.into(), link: Some(link), ..Cell::default() }
    }

    pub fn plain(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), ..Cell::default() }
    }

    pub fn level(level: CurrentLevel, text: impl Into<String>) -> Cell {
        Cell { text: text.into(), fill: Some(level_colour(level)), ..Cell::default() }
    }
}

/// A chart in a document: HTML inlines `svg` when given (a report that needs no other file) and links
/// `file` otherwise; Markdown links `file`. Without either the chart is left out.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartRef {
    pub title: String,
    pub svg: Option<String>,
    /// Relative to the document.
    pub file: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

/// The one escape for text from data in HTML: element content and attribute values alike.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A URL from data as a link target, or None when it is not one a report may link: only http(s) URLs
/// become links, so a `javascript:` or `data:` URL from a log is shown as text, never followed. Bytes
/// outside the URL characters of RFC 3986 are percent-encoded, so the target can neither end a Markdown
/// `<…>` destination nor carry spaces or markup.
pub fn link_target(url: &str) -> Option<String> {
    let scheme = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase())?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    Some(out)
}

/// Markdown's punctuation backslash-escaped, so data never turns into markup, links or raw HTML, and a
/// `|` never splits a table cell.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!') {
            out.push('\\');
        }
        if c == '\n' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

pub fn markdown(document: &Document) -> String {
    let mut out = String::new();
    for block in &document.blocks {
        match block {
            Block::Heading { level, text, .. } => {
                let _ = writeln!(out, "{} {}\n", "#".repeat(usize::from(*level)), escape_markdown(text));
            }
            Block::Paragraph(text) => {
                let _ = writeln!(out, "{}\n", escape_markdown(text));
            }
            Block::List(items) => {
                for item in items {
                    let link = match &item.link {
                        None => String::new(),
                        Some(link) => match link_target(&link.url) {
                            Some(url) => format!(" [{}](<{url}>)", escape_markdown(&link.text)),
                            None => format!(" {} {}", escape_markdown(&link.text), escape_markdown(&link.url)),
                        },
                    };
                    let _ = writeln!(out, "- {}{link}", escape_markdown(&item.text));
                }
                out.push('\n');
            }
            Block::Table(table) | Block::Sortable { table, .. } => {
                let header: Vec<String> = table.header.iter().map(|h| escape_markdown(h)).collect();
                let _ = writeln!(out, "| {} |", header.join(" | "));
                let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
                for row in &table.rows {
                    let cells: Vec<String> = row
                        .iter()
                        .map(|c| match &c.link {
                            Some(link) => format!("[{}]({link}.md)", escape_markdown(&c.text)),
                            None => escape_markdown(&c.text),
                        })
                        .collect();
                    let _ = writeln!(out, "| {} |", cells.join(" | "));
                }
                out.push('\n');
            }
            Block::Chart(chart) => {
                if let Some(file) = &chart.file {
                    let _ = writeln!(out, "![{}]({file})\n", escape_markdown(&chart.title));
                }
            }
        }
    }
    out
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Verdana,sans-serif;margin:0;color:#111;background:#fff}\
main{max-width:1100px;margin:0 auto;padding:24px}\
h1{font-size:1.7em;border-bottom:3px solid #333;padding-bottom:6px}\
h2{margin-top:1.8em;border-bottom:1px solid #999}\
table{border-collapse:collapse;margin:12px 0;width:100%}\
th,td{border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top;font-size:0.92em}\
th{background:#eee}\
figure{margin:16px 0}figure svg,figure img{width:100%;height:auto}\
figcaption{font-size:0.85em;color:#555}\
table.sortable th{cursor:pointer;white-space:nowrap}table.sortable th[aria-sort=descending]::after{content:' ▼'}\
table.sortable th[aria-sort=ascending]::after{content:' ▲'}svg.map a:hover path,svg.map a:focus path{stroke:#000;stroke-width:2}\
.filter input{font:inherit;padding:2px 6px;width:20em}.shown{color:#555;font-size:0.9em}\
@media print{main{max-width:none}h2{break-after:avoid}figure{break-inside:avoid}}";

pub fn html(document: &Document) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        escape_html(&document.title)
    );
    for block in &document.blocks {
        match block {
            Block::Heading { level, text, id } => {
                let id = id.as_ref().map_or(String::new(), |id| format!(" id=\"{}\"", escape_html(id)));
                let _ = writeln!(out, "<h{level}{id}>{}</h{level}>", escape_html(text));
            }
            Block::Paragraph(text) => {
                let _ = writeln!(out, "<p>{}</p>", escape_html(text));
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    let link = match &item.link {
                        None => String::new(),
                        Some(link) => match link_target(&link.url) {
                            Some(url) => format!(" <a href=\"{}\">{}</a>", escape_html(&url), escape_html(&link.text)),
                            None => format!(" {} {}", escape_html(&link.text), escape_html(&link.url)),
                        },
                    };
                    let _ = writeln!(out, "<li>{}{link}</li>", escape_html(&item.text));
                }
                out.push_str("</ul>\n");
            }
            Block::Table(table) => html_table(&mut out, table, None),
            Block::Sortable { id, table } => {
                let _ = writeln!(
                    out,
                    "<p class=\"filter\"><label>Filter <input type=\"search\" data-filters=\"{id}\" placeholder=\"recipient, region, level…\"></label> <span class=\"shown\" data-counts=\"{id}\"></span></p>",
                    id = escape_html(id)
                );
                html_table(&mut out, table, Some(id));
            }
            Block::Chart(chart) => {
                let body = match (&chart.svg, &chart.file) {
                    (Some(svg), _) => svg.clone(),
                    (None, Some(file)) => format!("<img src=\"{}\" alt=\"{}\">", escape_html(file), escape_html(&chart.title)),
                    (None, None) => continue,
                };
                let _ = writeln!(out, "<figure>\n{body}\n<figcaption>{}</figcaption>\n</figure>", escape_html(&chart.title));
            }
        }
    }
    if document.blocks.iter().any(|b| matches!(b, Block::Sortable { .. })) {
        let _ = writeln!(out, "<script>{SCRIPT}</script>");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// A table in HTML; a sortable one carries its id, each heading a button and each cell its sort key.
fn html_table(out: &mut String, table: &Table, id: Option<&str>) {
    match id {
        Some(id) => {
            let _ = write!(out, "<table class=\"sortable\" id=\"{}\">\n<thead><tr>", escape_html(id));
        }
        None => out.push_str("<table>\n<thead><tr>"),
    }
    for h in &table.header {
        let _ = write!(out, "<th>{}</th>", escape_html(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for cell in row {
            let style = cell.fill.map_or(String::new(), |f| format!(" style=\"background:{};color:{}\"", f.hex(), f.ink().hex()));
            let sort = cell.sort.map_or(String::new(), |key| format!(" data-sort=\"{key}\""));
            let text = escape_html(&cell.text);
            let content = match &cell.link {
                Some(link) => format!("<a href=\"{}.html\">{text}</a>", escape_html(link)),
                None => text,
            };
            let _ = write!(out, "<td{style}{sort}>{content}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// Sorting and filtering of the sortable tables, in plain JavaScript with nothing to fetch. A heading's
/// click sorts by that column (by `data-sort` where a cell has one, else numerically where the text is a
/// number, else alphabetically), a second click the other way; typing in the filter keeps the rows
/// whose text holds every word typed.
const SCRIPT: &str = r#"
(function () {
  function key(cell) {
    var sort = cell.getAttribute('data-sort');
    if (sort !== null) { return parseFloat(sort); }
    var text = cell.textContent.trim();
    var number = parseFloat(text.replace(/[^0-9.\-]/g, ''));
    return /^[-−]?[0-9.]+/.test(text) ? number : text.toLowerCase();
  }
  function count(table) {
    var rows = table.tBodies[0].rows, shown = 0;
    for (var i = 0; i < rows.length; i++) { if (!rows[i].hidden) { shown++; } }
    var label = document.querySelector('[data-counts="' + table.id + '"]');
    if (label) { label.textContent = shown + ' of ' + rows.length + ' shown'; }
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    table.querySelectorAll('th').forEach(function (th, column) {
      th.tabIndex = 0;
      th.title = 'Sort by ' + th.textContent;
      function sort() {
        var descending = th.getAttribute('aria-sort') !== 'descending';
        table.querySelectorAll('th').forEach(function (other) { other.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[column]), y = key(b.cells[column]);
          var order = (typeof x === typeof y) ? (x < y ? -1 : x > y ? 1 : 0) : (typeof x === 'number' ? -1 : 1);
          return descending ? -order : order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter') { sort(); } });
    });
    count(table);
  });
  document.querySelectorAll('input[data-filters]').forEach(function (input) {
    var table = document.getElementById(input.getAttribute('data-filters'));
    input.addEventListener('input', function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var text = row.textContent.toLowerCase();
        row.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
      });
      count(table);
    });
  });
})();
"#;

/// The section headings every country report has, in order (pillar and instrument headings follow).
pub const SECTIONS: [&str; 5] = ["Key assessments", "Ratings on the twelve instruments", "At a glance", "Sources", "Method"];

fn heading(level: u8, text: impl Into<String>, id: &str) -> Block {
    Block::Heading { level, text: text.into(), id: Some(id.to_string()) }
}

fn benefactor_names(view: &RecipientView) -> String {
    let names: Vec<&str> = view.pairs.iter().map(|p| p.benefactor.name.as_str()).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

fn drivers_text(pair: &PairView) -> String {
    if pair.overall.drivers.is_empty() {
        return "none observed".into();
    }
    let drivers: Vec<String> = pair
        .overall
        .drivers
        .iter()
        .map(|&d| format!("{} {} ({})", d.code(), d.name(), pair.rating(d).current.label()))
        .collect();
    drivers.join("; ")
}

/// A level with its direction; nothing can be projected where nothing is assessed.
pub fn level_with_arrow(level: CurrentLevel, trend: crate::domain::Trend) -> String {
    match level {
        CurrentLevel::NotAssessed => level.label().to_string(),
        _ => format!("{} {}", level.label(), trend_arrow(trend)),
    }
}

/// One recipient's report. `charts` are the recipient's charts, the twelve-instrument chart first, then
/// time series tagged with their instrument.
pub fn country(view: &RecipientView, window: Window, overview: Option<ChartRef>, series: &[(Instrument, ChartRef)]) -> Document {
    let c = view.country;
    let mut blocks = vec![
        Block::Heading { level: 1, text: format!("{} ({}): military influence of {}", c.name, c.iso3, benefactor_names(view)), id: None },
        Block::Paragraph(format!(
            "M-DIME assessment from open data, window {}–{}. Current levels: Very High, High, Medium, Low, Very Low, \
             Unobserved (a source covers the instrument and saw no activity) or Not assessed (no source covers it). \
             Projected direction over three years: ↑ Increasing, → Steady, ↓ Decreasing, ? Unknown.",
            window.start, window.end
        )),
        heading(2, SECTIONS[0], "key-assessments"),
    ];
    blocks.push(Block::Table(Table {
        header: ["Benefactor", "Overall current", "Overall projected", "Confidence", "Driving instruments"].map(String::from).to_vec(),
        rows: view
            .pairs
            .iter()
            .map(|p| {
                vec![
                    Cell::plain(&p.benefactor.name),
                    Cell::level(p.overall.current, p.overall.current.label()),
                    Cell::plain(format!("{} {}", p.overall.projected.label(), trend_arrow(p.overall.projected))),
                    Cell::plain(p.overall.confidence.label()),
                    Cell::plain(drivers_text(p)),
                ]
            })
            .collect(),
    }));
    blocks.push(Block::List(
        view.pairs
            .iter()
            .map(|p| {
                format!(
                    "{}: overall {} influence ({} confidence), projected {}; driven by {}.",
                    p.benefactor.name,
                    p.overall.current.label(),
                    p.overall.confidence.label().to_lowercase(),
                    p.overall.projected.label(),
                    drivers_text(p)
                )
                .into()
            })
            .collect(),
    ));
    blocks.extend(comparisons(view));

    blocks.push(heading(2, SECTIONS[1], "ratings"));
    for pair in &view.pairs {
        blocks.push(heading(3, pair.benefactor.name.clone(), &format!("ratings-{}", pair.benefactor.iso3)));
        let pillars = [Pillar::Diplomatic, Pillar::Informational, Pillar::Military, Pillar::Economic];
        blocks.push(Block::Table(Table {
            header: ["Pillar", "1", "2", "3"].map(String::from).to_vec(),
            rows: pillars
                .iter()
                .map(|&pillar| {
                    std::iter::once(Cell::plain(pillar.name()))
                        .chain(Instrument::ALL.into_iter().filter(|i| i.pillar() == pillar).map(|i| {
                            let a = pair.rating(i);
                            Cell::level(a.current, format!("{} {}: {}", i.code(), i.name(), level_with_arrow(a.current, a.projected)))
                        }))
                        .collect()
                })
                .collect(),
        }));
    }
    blocks.extend(overview.map(Block::Chart));

    blocks.push(heading(2, format!("{} at a glance", c.name), "at-a-glance"));
    let facts = [
        ("Name", c.name.as_str()),
        ("ISO 3166 alpha-3", c.iso3.as_str()),
        ("ISO 3166 alpha-2", c.iso2.as_str()),
        ("M-DIME region", c.region.label()),
        ("UN sub-region", c.subregion.as_str()),
        ("Capital", c.capital.as_str()),
    ];
    blocks.push(Block::Table(Table {
        header: vec!["".into(), "".into()],
        rows: facts.iter().map(|(k, v)| vec![Cell::plain(*k), Cell::plain(*v)]).collect(),
    }));

    for pillar in [Pillar::Diplomatic, Pillar::Informational, Pillar::Military, Pillar::Economic] {
        blocks.push(heading(2, format!("{} pillar", pillar.name()), &pillar.name().to_lowercase()));
        for instrument in Instrument::ALL.into_iter().filter(|i| i.pillar() == pillar) {
            blocks.extend(instrument_section(view, instrument, series));
        }
    }

    blocks.push(heading(2, SECTIONS[3], "sources"));
    let sources = view.sources();
    blocks.push(if sources.is_empty() {
        Block::Paragraph("No source covers any instrument for this recipient.".into())
    } else {
        Block::List(sources.iter().map(|s| s.to_string().into()).collect())
    });
    blocks.push(heading(2, SECTIONS[4], "method"));
    blocks.push(Block::Paragraph(
        "Each instrument is rated by the project's rubric (datasets/rubric.toml) from indicators over the \
         assessment window; the overall level is the weighted mean level of every assessed instrument, strongest \
         first, the k-th weighing 1/k (Unobserved counts as none; Not assessed lowers confidence instead), and the \
         three strongest are named as its drivers. Instruments benefactors keep secret (I3, E2) are held at low confidence. reports/README.md \
         documents every indicator and column; indicators.csv and assessments.csv hold the same figures."
            .into(),
    ));
    Document { title: format!("{} ({}): {}", c.name, c.iso3, benefactor_names(view)), blocks }
}

/// Every two benefactors' overall levels compared like for like (`assess::like_for_like`), beside each
/// one's own overall, with the instruments left out; nothing where the report has one benefactor.
fn comparisons(view: &RecipientView) -> Vec<Block> {
    let n = view.pairs.len();
    if n < 2 {
        return Vec::new();
    }
    let benefactors: Vec<Benefactor> = view.pairs.iter().map(|p| p.benefactor.clone()).collect();
    let side = |pair: &PairView, compared: &ComparedOverall| {
        let score = compared.score.map_or(String::new(), |s| format!(", score {s:.2}"));
        format!("{} {}{score} (own overall {})", pair.benefactor.name, compared.current.label(), pair.overall.current.label())
    };
    let items = benefactor_pairs(n)
        .map(|(x, y)| {
            let compared = view.like_for_like(x, y);
            format!(
                "{}; {}: {}.",
                side(&view.pairs[x], &compared.first),
                side(&view.pairs[y], &compared.second),
                compared_on(&compared, &benefactors)
            )
            .into()
        })
        .collect();
    vec![
        heading(3, "Compared like for like", "like-for-like"),
        Block::Paragraph(
            "Overall levels of two benefactors made on the instruments assessed for both, so that neither counts an \
             instrument the other could not be rated on; beside them, each one's own overall level over all its assessed instruments."
                .into(),
        ),
        Block::List(items),
    ]
}

fn instrument_section(view: &RecipientView, instrument: Instrument, series: &[(Instrument, ChartRef)]) -> Vec<Block> {
    let mut blocks = vec![
        heading(3, format!("{} {}", instrument.code(), instrument.name()), instrument.code()),
        Block::Paragraph(format!("What counts: {}.", instrument.description())),
        Block::Table(Table {
            header: ["Benefactor", "Current", "Projected", "Confidence", "Score", "Evidence", "Sources"].map(String::from).to_vec(),
            rows: view
                .pairs
                .iter()
                .map(|p| {
                    let a = p.rating(instrument);
                    let score = match a.score {
                        Some(s) => format!("{} ({})", format_value(s), a.score_indicator),
                        None => "–".into(),
                    };
                    vec![
                        Cell::plain(&p.benefactor.name),
                        Cell::level(a.current, a.current.label()),
                        Cell::plain(format!("{} {}", a.projected.label(), trend_arrow(a.projected))),
                        Cell::plain(a.confidence.label()),
                        Cell::plain(score),
                        Cell::plain(a.evidence_count.to_string()),
                        Cell::plain(if a.sources.is_empty() { "none".to_string() } else { a.sources.join("; ") }),
                    ]
                })
                .collect(),
        }),
    ];
    let rows: Vec<Vec<Cell>> = view
        .pairs
        .iter()
        .flat_map(|p| {
            p.window_values(instrument).map(move |v| {
                vec![
                    Cell::plain(&p.benefactor.name),
                    Cell::plain(v.indicator),
                    Cell::plain(format_value(v.value)),
                    Cell::plain(v.unit),
                    Cell::plain(v.period.label()),
                    Cell::plain(&v.source),
                ]
            })
        })
        .collect();
    if rows.is_empty() {
        blocks.push(Block::Paragraph("No source covers this instrument yet: it is Not assessed.".into()));
    } else {
        blocks.push(Block::Paragraph("The numbers behind the ratings, over the window:".into()));
        blocks.push(Block::Table(Table {
            header: ["Benefactor", "Indicator", "Value", "Unit", "Period", "Source"].map(String::from).to_vec(),
            rows,
        }));
    }
    blocks.extend(series.iter().filter(|(i, _)| *i == instrument).map(|(_, chart)| Block::Chart(chart.clone())));
    if instrument == Instrument::E3 {
        blocks.extend(strategic_exports(view));
    }
    blocks.extend(evidence(view, instrument));
    blocks.extend(event_rows(view, instrument));
    blocks
}

/// The strongest machine-coded events behind each benefactor's rating on one instrument: dated, with
/// the act, the two sides and where the record is (its URL where the source gives one).
fn event_rows(view: &RecipientView, instrument: Instrument) -> Vec<Block> {
    let mut blocks = Vec::new();
    for pair in &view.pairs {
        let items: Vec<Item> = pair
            .event_rows(instrument)
            .map(|e| Item {
                text: format!("{} (weight {}; {}).", e.describe(), format_value(e.weight), e.place()),
                link: link_target(&e.url).map(|_| Link { text: "source".into(), url: e.url.clone() }),
            })
            .collect();
        if items.is_empty() {
            continue;
        }
        let total = pair.window_values(instrument).find(|v| v.indicator == "events").map_or(0.0, |v| v.value);
        blocks.push(Block::Paragraph(format!(
            "Machine-coded events, {} ({total:.0} in the years the event data cover; the {} strongest):",
            pair.benefactor.name,
            items.len()
        )));
        blocks.push(Block::List(items));
    }
    blocks
}

/// Each benefactor's share of the recipient's exports of each strategic commodity an HS extract reaches,
/// and the commodities none reaches: never a share the extracts do not state.
fn strategic_exports(view: &RecipientView) -> Vec<Block> {
    let (commodities, shares) = view.strategic_exports();
    if commodities.is_empty() {
        return Vec::new();
    }
    let name = &view.country.name;
    let mut blocks = vec![Block::Paragraph(format!(
        "Strategic commodities (UN Comtrade by HS code, datasets/commodity_trade.csv; reported beside the rating, not rated): \
         each benefactor's share of {name}'s exports, in the latest year an extract covers."
    ))];
    let reached: Vec<&str> = {
        let mut names: Vec<&str> = shares.iter().map(|s| s.commodity.as_str()).collect();
        names.dedup();
        names
    };
    let unreached: Vec<String> = commodities.iter().filter(|c| !reached.contains(&c.as_str())).map(|c| commodity_label(c)).collect();
    if reached.is_empty() {
        blocks.push(Block::Paragraph(format!(
            "No HS-level extract reaches {name}'s exports of the strategic commodities ({}): no share can be given.",
            unreached.join(", ")
        )));
        return blocks;
    }
    let benefactor_name = |iso3: &str| view.pairs.iter().find(|p| p.benefactor.iso3 == iso3).map_or(iso3.to_string(), |p| p.benefactor.name.clone());
    blocks.push(Block::Table(Table {
        header: ["Commodity", "Year", "Benefactor", "Exports to it", "Share", "Source"].map(String::from).to_vec(),
        rows: shares
            .iter()
            .map(|s| {
                vec![
                    Cell::plain(format!("{} (HS {})", commodity_label(&s.commodity), s.hs_codes.replace(';', ", "))),
                    Cell::plain(s.year.to_string()),
                    Cell::plain(benefactor_name(&s.benefactor)),
                    Cell::plain(s.exports_to_benefactor_usd.map_or("–".into(), usd)),
                    Cell::plain(share_text(s)),
                    Cell::plain(&s.source_file),
                ]
            })
            .collect(),
    }));
    if !unreached.is_empty() {
        blocks.push(Block::Paragraph(format!("No extract reaches {name}'s exports of {}.", unreached.join(", "))));
    }
    blocks
}

fn commodity_label(commodity: &str) -> String {
    commodity.replace('_', " ")
}

/// US dollars in millions or billions, as trade figures are quoted.
fn usd(value: f64) -> String {
    if value >= 1e9 {
        format!("{:.2} bn USD", value / 1e9)
    } else {
        format!("{:.1} m USD", value / 1e6)
    }
}

/// What the extract says of one share, in words: the share, a bound, or why there is neither.
fn share_text(share: &crate::sources::commodities::indicators::CommodityShare) -> String {
    use crate::sources::commodities::indicators::ShareStatus;
    let percent = |x: f64| format!("{:.1}%", 100.0 * x);
    let total = share.recipient_exports_usd.map_or(String::new(), |t| format!(" of {}", usd(t)));
    match (share.status, share.share, share.share_below) {
        (ShareStatus::Share, Some(x), _) => format!("{}{total} ({} buyers listed)", percent(x), share.buyers_listed),
        (ShareStatus::NotAmongListedBuyers, _, Some(bound)) => format!("under {}: not among the {} buyers listed", percent(bound), share.buyers_listed),
        (ShareStatus::ListedForSomeCodes, _, Some(bound)) => {
            let known = share.exports_to_benefactor_usd.zip(share.recipient_exports_usd).map_or(0.0, |(bought, total)| bought / total);
            format!("{}–{}: listed for some of the HS codes only", percent(known), percent(bound))
        }
        (ShareStatus::NoneReported, ..) => format!("none reported{total}; every reporting buyer is listed"),
        _ => "no share: the extracts do not give the recipient's total".into(),
    }
}

/// The dated, cited events of the evidence logs on one instrument, per benefactor, oldest first.
fn evidence(view: &RecipientView, instrument: Instrument) -> Vec<Block> {
    let mut blocks = Vec::new();
    for pair in &view.pairs {
        let items: Vec<Item> = pair
            .events(instrument)
            .map(|e| Item {
                text: format!(
                    "{}: {} ({}, {} confidence; {}).",
                    e.date,
                    e.summary,
                    e.event_type.name.replace('_', " "),
                    e.confidence.label().to_lowercase(),
                    e.id
                ),
                link: Some(Link { text: e.source_label(), url: e.source_url.clone() }),
            })
            .collect();
        if !items.is_empty() {
            let count = if items.len() == 1 { "1 event".to_string() } else { format!("{} events", items.len()) };
            blocks.push(Block::Paragraph(format!("Evidence, {} ({count} in the evidence logs):", pair.benefactor.name)));
            blocks.push(Block::List(items));
        }
    }
    if blocks.is_empty() {
        blocks.push(Block::Paragraph("The evidence logs hold no event on this instrument for this recipient.".into()));
    }
    blocks
}

/// The index: the atlas (maps, rankings, regions, movers, freshness: `atlas::blocks`), the overview
/// charts, then every recipient with each benefactor's overall level, by region.
pub fn index(scene: &Scene, charts: Vec<ChartRef>, atlas: Vec<Block>) -> Document {
    let names: Vec<&str> = scene.benefactors.iter().map(|b| b.name.as_str()).collect();
    let mut blocks = vec![
        Block::Heading {
            level: 1,
            text: format!("M-DIME assessments: {} in {} recipients", names.join(" and "), scene.recipients.len()),
            id: None,
        },
        Block::Paragraph(format!(
            "Overall current influence per recipient, window {}–{}, with the instruments that drive it. Each \
             recipient links to its report; the CSV files beside this page hold every figure.",
            scene.window.start, scene.window.end
        )),
    ];
    blocks.extend(atlas);
    blocks.push(Block::Heading { level: 2, text: "Charts".into(), id: Some("charts".into()) });
    blocks.extend(charts.into_iter().map(Block::Chart));
    for (region, views) in scene.by_region() {
        blocks.push(Block::Heading { level: 2, text: region.label().to_string(), id: None });
        let mut header = vec!["Recipient".to_string(), "ISO-3".to_string()];
        for name in &names {
            header.push(format!("{name}: overall"));
            header.push(format!("{name}: drivers"));
        }
        blocks.push(Block::Table(Table {
            header,
            rows: views
                .iter()
                .map(|v| {
                    let mut row = vec![
                        Cell::linked(&v.country.name, format!("countries/{}", v.country.iso3)),
                        Cell::plain(&v.country.iso3),
                    ];
                    for p in &v.pairs {
                        row.push(Cell::level(p.overall.current, level_with_arrow(p.overall.current, p.overall.projected)));
                        let drivers: Vec<&str> = p.overall.drivers.iter().map(|d| d.code()).collect();
                        row.push(Cell::plain(drivers.join(" ")));
                    }
                    row
                })
                .collect(),
        }));
    }
    if !scene.groups.is_empty() {
        blocks.push(Block::Heading { level: 2, text: "Groups".into(), id: None });
        blocks.push(Block::Table(Table {
            header: ["Group", "Name", "Members assessed", "As of"].map(String::from).to_vec(),
            rows: scene
                .groups
                .iter()
                .map(|g| {
                    vec![
                        Cell::linked(&g.group.code, format!("{GROUPS_DIR}/{}", group_file(&g.group.code))),
                        Cell::plain(&g.group.name),
                        Cell::plain(g.assessed_members.len().to_string()),
                        Cell::plain(day(g.group.day)),
                    ]
                })
                .collect(),
        }));
    }
    Document { title: format!("M-DIME assessments: {}", names.join(" and ")), blocks }
}

/// The folder of group pages, beside `countries/`.
pub const GROUPS_DIR: &str = "groups";

/// A group's file name without extension: its code with spaces as dashes (`G5 Sahel` → `G5-Sahel`).
pub fn group_file(code: &str) -> String {
    code.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect()
}

fn day((year, month, day): crate::domain::Day) -> String {
    format!("{year}-{month:02}-{day:02}")
}

/// A group's page: who leads each instrument across its members, the totals that add up, and each
/// member's overall levels, as the group stood at the end of the as-of year.
pub fn group(summary: &GroupSummary, scene: &Scene, chart: Option<ChartRef>) -> Document {
    let g = &summary.group;
    let countries = crate::domain::CountryTable::builtin();
    let names: Vec<&str> = scene.benefactors.iter().map(|b| b.name.as_str()).collect();
    let member_names: Vec<String> = g
        .members
        .iter()
        .map(|m| format!("{}{}", countries.name_of(&m.member), if m.suspended { " (suspended)" } else { "" }))
        .collect();
    let left_out: Vec<&str> = g.members.iter().filter(|m| !summary.assessed_members.contains(&m.member)).map(|m| countries.name_of(&m.member)).collect();
    let mut blocks = vec![
        Block::Heading { level: 1, text: format!("{} ({}): {} across its members", g.code, g.name, names.join(", ")), id: None },
        Block::Paragraph(format!(
            "Members on {}: {}. Window {}–{}.{}",
            day(g.day),
            member_names.join(", "),
            scene.window.start,
            scene.window.end,
            if left_out.is_empty() { String::new() } else { format!(" Not assessed as recipients (benefactors, or outside the tracked regions): {}.", left_out.join(", ")) }
        )),
    ];
    blocks.extend(chart.map(Block::Chart));
    blocks.push(heading(2, "Who leads", "leads"));
    blocks.push(Block::Paragraph(
        "On how many members each benefactor's level is above every other benefactor's (ties in brackets), of the \
         members where it is assessed at all. The overall level is compared like for like: each two benefactors on the \
         instruments assessed for both, as each member's report lists them."
            .into(),
    ));
    let mut rows = Vec::new();
    for instrument in Instrument::ALL.into_iter().map(Some).chain([None]) {
        let mut row = vec![Cell::plain(instrument.map_or("Overall".to_string(), |i| format!("{} {}", i.code(), i.name())))];
        for benefactor in scene.benefactors {
            let lead = summary.leads.iter().find(|l| l.benefactor == benefactor.iso3 && l.instrument == instrument);
            row.push(Cell::plain(lead.map_or(String::new(), |l| format!("{} ({}) of {}", l.leads, l.ties, l.assessed))));
        }
        rows.push(row);
    }
    let header: Vec<String> = ["Instrument".to_string()].into_iter().chain(names.iter().map(|n| n.to_string())).collect();
    blocks.push(Block::Table(Table { header: header.clone(), rows }));
    let members: Vec<&RecipientView> = scene.recipients.iter().filter(|v| summary.assessed_members.contains(&v.country.iso3)).collect();
    let n = scene.benefactors.len();
    blocks.push(Block::List(
        benefactor_pairs(n)
            .map(|(x, y)| format!("{} and {}. {}", names[x], names[y], left_out_among(&members, scene.benefactors, x, y)).into())
            .collect(),
    ));
    blocks.push(heading(2, "Totals across the members", "totals"));
    blocks.push(Block::Paragraph(format!(
        "Quantities that add up, summed over the members and the window {}–{}; in brackets, the members with a figure. \
         A benefactor a source does not cover has no figure, not zero.",
        scene.window.start, scene.window.end
    )));
    let rows = crate::assess::groups::TOTALS
        .iter()
        .map(|(_, indicator, unit)| {
            let mut row = vec![Cell::plain(format!("{indicator} ({unit})"))];
            for benefactor in scene.benefactors {
                let total = summary.totals.iter().find(|t| t.benefactor == benefactor.iso3 && t.indicator == *indicator);
                row.push(Cell::plain(total.filter(|t| t.members_with_data > 0).map_or("no figure".to_string(), |t| format!("{} ({})", format_value(t.value), t.members_with_data))));
            }
            row
        })
        .collect();
    blocks.push(Block::Table(Table { header: ["Quantity".to_string()].into_iter().chain(names.iter().map(|n| n.to_string())).collect(), rows }));
    blocks.push(heading(2, "Members", "members"));
    let rows = members
        .iter()
        .map(|v| {
            let mut row = vec![Cell::linked(&v.country.name, format!("../countries/{}", v.country.iso3))];
            for p in &v.pairs {
                row.push(Cell::level(p.overall.current, format!("{} {}", level_with_arrow(p.overall.current, p.overall.projected), drivers_text(p))));
            }
            row
        })
        .collect();
    blocks.push(Block::Table(Table { header: ["Member".to_string()].into_iter().chain(names.iter().map(|n| format!("{n}: overall, drivers"))).collect(), rows }));
    blocks.push(heading(2, "Sources of the membership", "sources"));
    blocks.push(Block::List(g.sources.iter().map(|url| Item { text: String::new(), link: Some(Link { text: url.clone(), url: url.clone() }) }).collect()));
    Document { title: format!("{}: {}", g.code, names.join(", ")), blocks }
}
