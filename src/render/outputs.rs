//! The files a run renders and where they go (documented in reports/README.md). Names come from ISO
//! codes, instrument codes and indicator identifiers only, never from free text.
//!
//! Each recipient is rendered on its own rayon task; results are collected in recipient order, so the
//! files and their bytes do not depend on the thread count. Nothing here touches polars.

use std::path::PathBuf;

use rayon::prelude::*;

use super::charts::{self, GroupLeads, Heatmap, HeatmapKind, Instruments, Overview, Plot, TimeSeries};
use super::maps::{Extent, Map};
use super::atlas;
use super::report::{self, ChartRef};
use super::{RecipientView, Scene};
use crate::error::Result;

/// An output format `mdime run --format` can choose. CSV and Parquet are the tables' (written by
/// export); the others are rendered here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Csv,
    Parquet,
    Svg,
    Png,
    Html,
    Md,
}

impl Format {
    pub const ALL: [Format; 6] = [Format::Csv, Format::Parquet, Format::Svg, Format::Png, Format::Html, Format::Md];

    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
            Format::Svg => "svg",
            Format::Png => "png",
            Format::Html => "html",
            Format::Md => "md",
        }
    }

    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// A rendered file, its path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

pub const CHARTS_DIR: &str = "charts";
pub const COUNTRIES_DIR: &str = "countries";

/// Every chart and report for the scene in the chosen formats, handed to `emit` as they are drawn: the
/// scene's own files once, then each recipient's (from any thread), so that a batch never holds every
/// file in memory at once.
pub fn render(scene: &Scene, formats: &[Format], emit: &(dyn Fn(Vec<File>) -> Result<()> + Sync)) -> Result<()> {
    let has = |f: Format| formats.contains(&f);
    if !(has(Format::Svg) || has(Format::Png) || has(Format::Html) || has(Format::Md)) {
        return Ok(());
    }
    let (overall, recipients) = rayon::join(
        || scene_files(scene, formats).and_then(emit),
        || scene.recipients.par_iter().try_for_each(|view| recipient_files(view, scene, formats).and_then(emit)),
    );
    overall.and(recipients)
}

/// Draws one chart in the chosen formats. Returns the SVG text when the HTML report will inline it, and
/// the file a document should link (SVG preferred), relative to the output folder.
fn chart(plot: &impl Plot, stem: &str, formats: &[Format], files: &mut Vec<File>) -> Result<(Option<String>, Option<String>)> {
    let has = |f: Format| formats.contains(&f);
    let mut link = None;
    let svg = if has(Format::Svg) || has(Format::Html) { Some(charts::svg(plot)?) } else { None };
    if has(Format::Png) {
        let path = format!("{CHARTS_DIR}/{stem}.png");
        files.push(File { path: PathBuf::from(&path), bytes: charts::png(plot)? });
        link = Some(path);
    }
    if let (true, Some(svg)) = (has(Format::Svg), &svg) {
        let path = format!("{CHARTS_DIR}/{stem}.svg");
        files.push(File { path: PathBuf::from(&path), bytes: svg.clone().into_bytes() });
        link = Some(path);
    }
    Ok((svg.filter(|_| has(Format::Html)), link))
}

fn scene_files(scene: &Scene, formats: &[Format]) -> Result<Vec<File>> {
    let b = scene.benefactors.len();
    let mut kinds: Vec<HeatmapKind> = (0..b).map(HeatmapKind::Levels).collect();
    kinds.extend(scene.versus.iter().map(|&(x, y)| HeatmapKind::Difference(x, y)));
    let heatmaps: Vec<(Vec<File>, ChartRef)> = kinds
        .par_iter()
        .map(|&kind| {
            let plot = Heatmap { scene, kind };
            let mut files = Vec::new();
            let (_, link) = chart(&plot, &plot.file_stem(), formats, &mut files)?;
            Ok((files, ChartRef { title: plot.title(), svg: None, file: link }))
        })
        .collect::<Result<_>>()?;
    let maps = maps(scene, &kinds);
    let map_files: Vec<Vec<File>> = maps
        .par_iter()
        .map(|plot| {
            let mut files = Vec::new();
            chart(plot, &plot.file_stem(), &only_files(formats), &mut files)?;
            Ok(files)
        })
        .collect::<Result<_>>()?;
    let mut files: Vec<File> = map_files.into_iter().flatten().collect();
    let mut refs = Vec::new();
    for &(x, y) in scene.versus {
        let plot = Overview { scene, x, y };
        let (_, link) = chart(&plot, &plot.file_stem(), formats, &mut files)?;
        refs.push(ChartRef { title: plot.title(), svg: None, file: link });
    }
    for (heatmap_files, chart_ref) in heatmaps {
        files.extend(heatmap_files);
        refs.push(chart_ref);
    }
    for summary in scene.groups {
        let plot = GroupLeads { scene, summary };
        let (svg, link) = chart(&plot, &plot.file_stem(), formats, &mut files)?;
        let page = report::group(summary, scene, Some(ChartRef { title: plot.title(), svg, file: link.map(|f| format!("../{f}")) }));
        document(&format!("{}/{}", report::GROUPS_DIR, report::group_file(&summary.group.code)), &page, formats, &mut files);
    }
    let atlas = atlas::blocks(scene, &maps, formats, scene.movers);
    document("index", &report::index(scene, refs, atlas), formats, &mut files);
    Ok(files)
}

/// The maps of a run: for each heatmap's kind (a benefactor's levels, a difference) the overall level
/// and each instrument, on the world and on each region of the run's recipients; where they all lie in
/// one region, on that region alone (a world map of three recipients is mostly empty, and ten times the
/// size).
fn maps<'a>(scene: &'a Scene<'a>, kinds: &[HeatmapKind]) -> Vec<Map<'a>> {
    let regions: Vec<Extent> = scene.by_region().into_iter().map(|(region, _)| Extent::Region(region)).collect();
    let everywhere: Vec<Extent> = std::iter::once(Extent::World).chain(regions.iter().copied()).collect();
    let instrument_extents = if regions.len() == 1 { &regions } else { &everywhere };
    let mut maps = Vec::new();
    for &kind in kinds {
        maps.extend(everywhere.iter().map(|&extent| Map { scene, kind, instrument: None, extent }));
        for &extent in instrument_extents {
            maps.extend(crate::domain::Instrument::ALL.map(|instrument| Map { scene, kind, instrument: Some(instrument), extent }));
        }
    }
    maps
}

/// The chart files among `formats`: a map is inlined in the HTML index in a form of its own, never as
/// its plotters SVG.
fn only_files(formats: &[Format]) -> Vec<Format> {
    formats.iter().copied().filter(|&f| f == Format::Svg || f == Format::Png).collect()
}

/// A document written in the chosen formats (HTML, Markdown) at `stem` plus the format's extension.
fn document(stem: &str, document: &report::Document, formats: &[Format], files: &mut Vec<File>) {
    if formats.contains(&Format::Html) {
        files.push(File { path: format!("{stem}.html").into(), bytes: report::html(document).into_bytes() });
    }
    if formats.contains(&Format::Md) {
        files.push(File { path: format!("{stem}.md").into(), bytes: report::markdown(document).into_bytes() });
    }
}

/// A country report links charts from `countries/`, one folder below the output folder.
fn from_countries(chart: (Option<String>, Option<String>), title: String) -> ChartRef {
    ChartRef { title, svg: chart.0, file: chart.1.map(|f| format!("../{f}")) }
}

fn recipient_files(view: &RecipientView, scene: &Scene, formats: &[Format]) -> Result<Vec<File>> {
    let mut files = Vec::new();
    let plot = Instruments { view, window: scene.window };
    let overview = from_countries(chart(&plot, &plot.file_stem(), formats, &mut files)?, plot.title());
    let yearly = view.yearly();
    let mut series = Vec::new();
    for y in &yearly {
        let plot = TimeSeries { view, yearly: y, window: scene.window };
        series.push((y.instrument, from_countries(chart(&plot, &plot.file_stem(), formats, &mut files)?, plot.title())));
    }
    let report = report::country(view, scene.window, Some(overview), &series);
    document(&format!("{COUNTRIES_DIR}/{}", view.country.iso3), &report, formats, &mut files);
    Ok(files)
}
