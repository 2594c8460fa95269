//! The part of the index that answers a reader's first questions: where each benefactor stands (maps),
//! who ranks where overall and on each instrument, who leads in each region and by how much, what
//! moved since an earlier run, and how recent each source's data are. Built as document blocks, so the
//! Markdown index carries the same tables (static) as the HTML one (sortable, filterable, maps inline).

use std::collections::BTreeMap;

use super::charts::Plot;
use super::maps::{Extent, Map};
use super::outputs::{Format, CHARTS_DIR};
use super::report::{Block, Cell, ChartRef, Table};
use super::report::level_with_arrow;
use super::{Movers, Scene};
use crate::diff::{Change, Kind};
use crate::domain::{Benefactor, Instrument};
use crate::indicators::{Period, Reach};

/// The atlas's blocks for the index, in reading order. `maps` are the run's maps (`outputs::maps`);
/// the world maps of the overall level are shown, the others listed. `movers` are the changes of
/// overall level against an earlier run (`mdime run --compare`, or the same run a year earlier).
pub fn blocks(scene: &Scene, maps: &[Map], formats: &[Format], movers: Option<Movers>) -> Vec<Block> {
    let mut blocks = vec![heading("Maps", "maps")];
    let file = |map: &Map| {
        [Format::Svg, Format::Png].into_iter().find(|f| formats.contains(f)).map(|f| format!("{CHARTS_DIR}/{}.{}", map.file_stem(), f.name()))
    };
    for map in maps.iter().filter(|m| m.instrument.is_none() && m.extent == Extent::World) {
        let svg = formats.contains(&Format::Html).then(|| map.interactive_svg());
        blocks.push(Block::Chart(ChartRef { title: map.title(), svg, file: file(map) }));
    }
    let others: Vec<String> = maps.iter().filter(|m| m.instrument.is_some() || m.extent != Extent::World).filter_map(file).collect();
    if !others.is_empty() {
        blocks.push(Block::Paragraph(format!(
            "Each region's overall level and each instrument's level, on the world and on each region: {} maps in {CHARTS_DIR}/ (map-BENEFACTOR-INSTRUMENT-PLACE).",
            others.len()
        )));
    }
    blocks.extend(rankings(scene));
    blocks.extend(regions(scene));
    if let Some(movers) = movers {
        blocks.extend(moved(scene, movers));
    }
    blocks.extend(freshness(scene));
    blocks.push(heading("What each benefactor's sources reach", "reach"));
    blocks.push(Block::Paragraph(format!(
        "Per benefactor and instrument, the sources that cover it in {}: their years and in how many of the run's recipients (reach.csv). An instrument no source reaches is Not assessed wherever it is.",
        scene.window.label()
    )));
    blocks.push(Block::Sortable { id: "table-reach".into(), table: reach_table(scene.reach, scene.benefactors) });
    blocks
}

/// The reach of the sources as a table: one row per benefactor and instrument, in the benefactors' and
/// the instruments' order, naming each source that covers it with its years and recipients; shared by
/// a run's index and `datasets/README.md`.
pub fn reach_table(reach: &[Reach], benefactors: &[Benefactor]) -> Table {
    let mut rows = Vec::new();
    for benefactor in benefactors {
        for instrument in Instrument::ALL {
            let sources: Vec<String> = reach
                .iter()
                .filter(|r| r.benefactor == benefactor.iso3 && r.instrument == instrument)
                .map(|r| format!("{} {}-{} ({})", r.source, r.first_year, r.last_year, r.recipients))
                .collect();
            let text = if sources.is_empty() { "none: Not assessed".to_string() } else { sources.join("; ") };
            rows.push(vec![Cell::plain(benefactor.name.as_str()), Cell::plain(instrument.code()), Cell::plain(text)]);
        }
    }
    Table { header: ["Benefactor", "Instrument", "Sources: years (recipients)"].map(String::from).to_vec(), rows }
}

fn heading(text: &str, id: &str) -> Block {
    Block::Heading { level: 2, text: text.into(), id: Some(id.into()) }
}

/// One table per benefactor, ranked by the overall score; each instrument's column sorts by its
/// rating's score, so a click ranks the recipients on that instrument.
fn rankings(scene: &Scene) -> Vec<Block> {
    let mut blocks = vec![
        heading("Rankings", "rankings"),
        Block::Paragraph(
            "Recipients ranked by each benefactor's overall score (the weighted mean level of the assessed instruments). \
             Click a heading to rank by it, an instrument's by its rating's score; type to filter."
                .into(),
        ),
    ];
    for (b, benefactor) in scene.benefactors.iter().enumerate() {
        let mut views: Vec<_> = scene.recipients.iter().filter(|v| v.pairs.len() > b).collect();
        let score = |v: &&super::RecipientView| v.pairs[b].overall.level_score.unwrap_or(-1.0);
        views.sort_by(|x, y| score(y).total_cmp(&score(x)).then_with(|| x.country.iso3.cmp(&y.country.iso3)));
        let mut header: Vec<String> =
            ["Rank", "Recipient", "Region", "Overall", "Score", "Confidence"].map(String::from).to_vec();
        header.extend(Instrument::ALL.iter().map(|i| i.code().to_string()));
        let rows = views
            .iter()
            .enumerate()
            .map(|(rank, v)| {
                let pair = &v.pairs[b];
                let overall = pair.overall;
                let mut row = vec![
                    Cell::plain((rank + 1).to_string()),
                    Cell::linked(&v.country.name, format!("countries/{}", v.country.iso3)),
                    Cell::plain(v.country.region.label()),
                    Cell { sort: Some(score(v)), ..Cell::level(overall.current, level_with_arrow(overall.current, overall.projected)) },
                    Cell::plain(overall.score.map_or("–".into(), |s| format!("{s:.2}"))),
                    Cell { sort: Some(f64::from(overall.confidence as u8)), ..Cell::plain(overall.confidence.label()) },
                ];
                row.extend(Instrument::ALL.iter().map(|&i| {
                    let a = pair.rating(i);
                    Cell { sort: Some(a.level_score.unwrap_or(-1.0)), ..Cell::level(a.current, super::level_abbreviation(a.current)) }
                }));
                row
            })
            .collect();
        blocks.push(Block::Heading { level: 3, text: benefactor.name.clone(), id: Some(format!("ranking-{}", benefactor.iso3)) });
        blocks.push(Block::Sortable { id: format!("table-ranking-{}", benefactor.iso3), table: Table { header, rows } });
    }
    blocks
}

/// Per region: each benefactor's mean overall score, on how many recipients it ranks first, and who
/// leads by how much.
fn regions(scene: &Scene) -> Vec<Block> {
    let names: Vec<&str> = scene.benefactors.iter().map(|b| b.name.as_str()).collect();
    let mut header = vec!["Region".to_string(), "Recipients".to_string()];
    for name in &names {
        header.push(format!("{name}: mean score"));
        header.push(format!("{name}: first in"));
    }
    header.extend(["Leads".to_string(), "By (mean score)".to_string()]);
    let rows = scene
        .by_region()
        .into_iter()
        .map(|(region, views)| {
            let n = scene.benefactors.len();
            let score = |v: &super::RecipientView, b: usize| v.pairs.get(b).and_then(|p| p.overall.level_score);
            let means: Vec<Option<f64>> = (0..n)
                .map(|b| {
                    let scores: Vec<f64> = views.iter().filter_map(|v| score(v, b)).collect();
                    (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64)
                })
                .collect();
            // First in a recipient: above every other benefactor there, each pair compared like for like
            // (on the instruments assessed for both), as group pages count leads.
            let ahead = |v: &super::RecipientView, b: usize, o: usize| match (v.pairs.get(b), v.pairs.get(o)) {
                (Some(mine), Some(theirs)) => {
                    let compared = crate::assess::like_for_like(mine.rows, theirs.rows);
                    match (compared.first.score, compared.second.score) {
                        (Some(s), Some(t)) => s > t,
                        (Some(_), None) => true,
                        _ => false,
                    }
                }
                (Some(mine), None) => mine.overall.score.is_some(),
                _ => false,
            };
            let firsts: Vec<usize> =
                (0..n).map(|b| views.iter().filter(|v| score(v, b).is_some() && (0..n).all(|o| o == b || ahead(v, b, o))).count()).collect();
            let mut row = vec![Cell::plain(region.label()), Cell::plain(views.len().to_string())];
            for b in 0..n {
                row.push(Cell::plain(means[b].map_or("–".into(), |m| format!("{m:.2}"))));
                row.push(Cell::plain(firsts[b].to_string()));
            }
            let mut ranked: Vec<(usize, f64)> = means.iter().enumerate().filter_map(|(b, m)| m.map(|m| (b, m))).collect();
            ranked.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            let (leader, by) = match ranked.as_slice() {
                [(b, first), (_, second), ..] if first > second => (names[*b].to_string(), format!("{:.2}", first - second)),
                [_, _, ..] => ("tied".into(), "0.00".into()),
                [(b, _)] => (names[*b].to_string(), "–".into()),
                [] => ("–".into(), "–".into()),
            };
            row.extend([Cell::plain(leader), Cell::plain(by)]);
            row
        })
        .collect();
    vec![
        heading("Who leads where", "regions"),
        Block::Paragraph(
            "Each benefactor's mean overall score over the region's recipients in this run (0 none observed … 5 Very High), \
             the recipients where it is ahead of every other benefactor compared like for like (on the instruments assessed \
             for both), and the lead of the highest mean over the next."
                .into(),
        ),
        Block::Sortable { id: "table-regions".into(), table: Table { header, rows } },
    ]
}

/// The overall levels that changed against the earlier run, largest steps first, each with what moved
/// behind it as `mdime diff` finds it.
fn moved(scene: &Scene, movers: Movers) -> Vec<Block> {
    let mut overall: Vec<&Change> = movers.changes.iter().filter(|c| c.kind == Kind::Overall && c.field == "current").collect();
    overall.sort_by_key(|c| (std::cmp::Reverse(c.steps.map_or(0, i32::abs)), c.benefactor.clone(), c.iso3.clone()));
    let rows: Vec<Vec<Cell>> = overall
        .iter()
        .map(|c| {
            let known = scene.recipients.iter().any(|v| v.country.iso3 == c.iso3);
            let recipient = if known { Cell::linked(&c.recipient, format!("countries/{}", c.iso3)) } else { Cell::plain(&c.recipient) };
            let mut causes: Vec<String> = c.moved.clone();
            causes.extend(c.evidence_added.iter().map(|e| format!("evidence added: {e}")));
            causes.extend(c.evidence_removed.iter().map(|e| format!("evidence removed: {e}")));
            causes.extend(c.inputs_changed.iter().map(|i| format!("input changed: {i}")));
            vec![
                Cell::plain(&c.benefactor),
                recipient,
                Cell::plain(&c.old),
                Cell::plain(&c.new),
                Cell { sort: c.steps.map(f64::from), ..Cell::plain(c.steps.map_or("–".into(), |s| format!("{s:+}"))) },
                Cell::plain(if causes.is_empty() { "–".into() } else { causes.join("; ") }),
            ]
        })
        .collect();
    let mut blocks = vec![heading("Biggest movers", "movers")];
    if rows.is_empty() {
        blocks.push(Block::Paragraph(format!("No overall level changed against {}.", movers.against)));
    } else {
        blocks.push(Block::Paragraph(format!(
            "Overall levels that changed against {} ({} of them), the largest steps first, with what moved behind each (as `mdime diff` finds it).",
            movers.against,
            rows.len()
        )));
        let header = ["Benefactor", "Recipient", "Was", "Now", "Steps", "What moved"].map(String::from).to_vec();
        blocks.push(Block::Sortable { id: "table-movers".into(), table: Table { header, rows } });
    }
    blocks
}

/// Per source: the last year with a non-zero yearly value in this run, and how far before the window's
/// end that is; a source of snapshots only (a list as of one date) has no yearly value.
fn freshness(scene: &Scene) -> Vec<Block> {
    let mut last: BTreeMap<&str, Option<i32>> = BTreeMap::new();
    for v in scene.recipients.iter().flat_map(|r| &r.pairs).flat_map(|p| &p.values) {
        let entry = last.entry(v.source.as_str()).or_default();
        if let Period::Year(year) = v.period {
            if v.value != 0.0 {
                *entry = Some(entry.map_or(year, |y| y.max(year)));
            }
        }
    }
    let end = scene.window.end;
    let rows = last
        .into_iter()
        .map(|(source, year)| {
            vec![
                Cell::plain(source),
                Cell::plain(year.map_or("no yearly series".into(), |y| y.to_string())),
                Cell { sort: year.map(|y| f64::from(end - y)), ..Cell::plain(year.map_or("–".into(), |y| (end - y).to_string())) },
            ]
        })
        .collect();
    vec![
        heading("How fresh the sources are", "freshness"),
        Block::Paragraph(format!(
            "The last year in which each source reports any activity for the run's pairs, and how many years before {end} (the as-of year) that is."
        )),
        Block::Sortable {
            id: "table-freshness".into(),
            table: Table { header: ["Source", "Last year with data", "Years before the as-of year"].map(String::from).to_vec(), rows },
        },
    ]
}
