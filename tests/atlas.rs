//! The atlas: the map table derived from Natural Earth, the maps' colours, the legends of every chart
//! kind kept clear of text and data, and the index's sortable tables.

use std::collections::BTreeSet;
use std::path::Path;

use mdime::domain::geo::{ShapeKind, WorldMap};
use mdime::domain::{CurrentLevel, Instrument};
use mdime::ingest::topojson;
use mdime::render::charts::{self, Boxed, GroupLeads, Heatmap, HeatmapKind, Instruments, Layout, Overview, Plot, TimeSeries};
use mdime::render::maps::{Extent, Map};
use mdime::render::{level_colour, Scene};

use crate::common::*;
use crate::run::args;

/// Four African recipients on the repository's datasets: three Sahel states and Djibouti, small enough
/// for a marker.
fn sahel() -> &'static (mdime::Config, mdime::Evaluation) {
    static SAHEL: std::sync::OnceLock<(mdime::Config, mdime::Evaluation)> = std::sync::OnceLock::new();
    SAHEL.get_or_init(|| {
        let mut a = args(&repo_datasets());
        a.recipients = ["Mali", "Burkina Faso", "Niger", "Djibouti"].map(String::from).to_vec();
        a.groups = vec!["AES".into()];
        let config = a.validate().unwrap();
        let evaluation = mdime::evaluate(&config).unwrap();
        (config, evaluation)
    })
}

fn scene() -> Scene<'static> {
    let (config, evaluation) = sahel();
    Scene::new(evaluation, config)
}

#[test]
fn the_committed_world_map_is_derived_from_natural_earth() {
    let geo = shared_data().join("geo");
    let (table, provenance) = topojson::derive(&geo.join("countries-110m.json"), &geo.join("countries-50m.json")).unwrap();
    let committed = std::fs::read_to_string(repo_datasets().join("world_map.csv")).unwrap();
    if committed != table {
        let fresh = Path::new(env!("CARGO_TARGET_TMPDIR")).join("world_map.csv");
        std::fs::write(&fresh, &table).unwrap();
        std::fs::write(fresh.with_extension("provenance.toml"), provenance.to_toml()).unwrap();
        panic!("datasets/world_map.csv is not what the derivation makes: the fresh table and its provenance are in {}; copy both into datasets/", fresh.display());
    }
    let recorded = mdime::ingest::Provenance::load(&repo_datasets().join("world_map.provenance.toml")).unwrap();
    assert_eq!(recorded.table_sha256, provenance.table_sha256);
    assert_eq!(recorded.inputs, provenance.inputs, "the raw files' hashes");
}

#[test]
fn every_tracked_recipient_is_on_the_map_and_small_ones_have_a_marker() {
    let map = WorldMap::builtin();
    let countries = mdime::domain::CountryTable::builtin();
    let recipients: Vec<&str> = countries.countries().iter().filter(|c| c.is_tracked_recipient()).map(|c| c.iso3.as_str()).collect();
    let missing: Vec<&&str> = recipients.iter().filter(|iso3| !map.shapes.iter().any(|s| s.iso3 == **iso3)).collect();
    assert!(missing.is_empty(), "not on the map: {missing:?}");
    let marked = |iso3: &str| map.shapes.iter().any(|s| s.iso3 == iso3 && matches!(s.kind, ShapeKind::Marker(_)));
    for small in ["DJI", "BHR", "SGP", "LBN", "COM"] {
        assert!(marked(small), "{small} has no marker");
    }
    for large in ["MLI", "BRA", "IND", "SAU"] {
        assert!(!marked(large), "{large} has a marker");
    }
}

/// Mali's shape in the PNG is painted in the colour of its rating, and so is the path in the index's SVG.
#[test]
fn a_map_paints_mali_in_the_colour_of_its_rating() {
    let scene = scene();
    let mali = scene.recipients.iter().find(|v| v.country.iso3 == "MLI").unwrap();
    for (b, pair) in mali.pairs.iter().enumerate() {
        for instrument in [None, Some(Instrument::E1), Some(Instrument::M1)] {
            let map = Map { scene: &scene, kind: HeatmapKind::Levels(b), instrument, extent: Extent::World };
            let level = instrument.map_or(pair.overall, |i| pair.rating(i)).current;
            let colour = level_colour(level);
            let svg = map.interactive_svg();
            let path = svg.split("<a href=\"countries/MLI.html\"").nth(1).expect("Mali is a link");
            assert!(path[..path.find("</a>").unwrap()].contains(&format!("fill=\"{}\"", colour.hex())), "{level:?}: {}", &path[..300]);

            // Timbuktu, well inside Mali, in the PNG.
            let area = map.areas().into_iter().find(|a| a.iso3 == "MLI").unwrap();
            let (x, y) = pixel_inside(&area.rings[0]);
            let png = charts::png(&map).unwrap();
            assert_eq!(pixel(&png, x, y), [colour.0, colour.1, colour.2], "{} {instrument:?} at ({x}, {y})", pair.benefactor.name);
        }
    }
    // Not assessed and Unobserved are two colours, and land outside the run a third.
    let colours = [level_colour(CurrentLevel::NotAssessed), level_colour(CurrentLevel::Unobserved), mdime::render::maps::OUTSIDE];
    assert!(colours[0] != colours[1] && colours[1] != colours[2] && colours[0] != colours[2]);
}

/// A point well inside a ring: the centre of its bounding box, nudged to the ring's own centroid.
fn pixel_inside(ring: &[(i32, i32)]) -> (u32, u32) {
    let points: Vec<(f64, f64)> = ring.iter().map(|&(x, y)| (f64::from(x), f64::from(y))).collect();
    let (x, y) = mdime::domain::geo::ring_centre(&points);
    (x.round() as u32, y.round() as u32)
}

fn pixel(png_bytes: &[u8], x: u32, y: u32) -> [u8; 3] {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let at = (y * frame.width + x) as usize * 3;
    [pixels[at], pixels[at + 1], pixels[at + 2]]
}

/// No legend box covers a line of text, the plot (where every data mark is) or another legend, and
/// every box lies on the canvas.
fn assert_clear(name: &str, plot: &impl Plot) {
    let Layout { plot: area, legends, text } = plot.layout();
    eprintln!("{name}: {:?} plot {area:?} legends {legends:?} text {text:?}", plot.size());
    let (width, height) = plot.size();
    let canvas = Boxed { x0: 0, y0: 0, x1: width as i32, y1: height as i32 };
    for legend in &legends {
        assert!(legend.x0 >= 0 && legend.y0 >= 0 && legend.x1 <= canvas.x1 && legend.y1 <= canvas.y1, "{name}: legend {legend:?} off the canvas {canvas:?}");
        assert!(!legend.overlaps(&area), "{name}: legend {legend:?} over the plot {area:?}");
        for t in &text {
            assert!(!legend.overlaps(t), "{name}: legend {legend:?} over text {t:?}");
        }
    }
    for (i, a) in text.iter().enumerate() {
        assert!(a.y1 <= canvas.y1 && a.y0 >= 0, "{name}: text {a:?} off the canvas");
        for b in &text[i + 1..] {
            assert!(!a.overlaps(b), "{name}: text {a:?} over text {b:?}");
        }
    }
}

#[test]
fn no_legend_covers_text_or_data_on_any_chart_kind() {
    let scene = scene();
    for kind in [HeatmapKind::Levels(0), HeatmapKind::Levels(1), HeatmapKind::Difference(0, 1)] {
        assert_clear("heatmap", &Heatmap { scene: &scene, kind });
        for extent in [Extent::World, Extent::Region(mdime::domain::Region::Africa)] {
            assert_clear("map", &Map { scene: &scene, kind, instrument: None, extent });
        }
    }
    assert_clear("overview", &Overview { scene: &scene, x: 0, y: 1 });
    for summary in scene.groups {
        assert_clear("group", &GroupLeads { scene: &scene, summary });
    }
    let mut series = 0;
    for view in &scene.recipients {
        assert_clear("instruments", &Instruments { view, window: scene.window });
        for yearly in &view.yearly() {
            assert_clear(&format!("{} {}", view.country.iso3, yearly.indicator), &TimeSeries { view, yearly, window: scene.window });
            series += 1;
        }
    }
    assert!(series > 5, "{series} time series");
    assert!(!scene.groups.is_empty());
}

/// Past years are never called projected, and titles name indicators in words.
#[test]
fn time_series_speak_in_words_and_never_project_the_past() {
    let scene = scene();
    for view in &scene.recipients {
        for yearly in &view.yearly() {
            let plot = TimeSeries { view, yearly, window: scene.window };
            assert!(!plot.title().contains('_'), "{}", plot.title());
            let svg = charts::svg(&plot).unwrap();
            for label in svg.split("projected mean ").skip(1) {
                let first: i32 = label[..4].parse().unwrap();
                assert!(first > scene.window.end, "{}: projected mean from {first}", plot.title());
            }
            // The footnote names the rule that made each projection drawn (its lines joined again).
            let words: Vec<&str> = svg.split("</text>").filter_map(|t| t.rsplit_once('>').map(|(_, text)| text)).collect();
            let words = words.join(" ");
            for series in &yearly.series {
                let drawn = series.projection.filter(|p| p.trend.value.is_some() && series.points.iter().any(|&(year, _)| year == p.base_year));
                if let Some(p) = drawn {
                    assert!(words.contains(p.method), "{}: the footnote does not name {}", plot.title(), p.method);
                }
            }
        }
    }
}

/// `--compare` lists the overall levels that moved against an earlier run, each with its causes, and
/// each linked to the recipient's report.
#[test]
fn the_index_lists_the_movers_against_an_earlier_run() {
    let work = tempfile::tempdir().unwrap();
    let (old, new) = (work.path().join("2022"), work.path().join("2025"));
    let recipients = ["--recipient", "Niger", "--recipient", "Pakistan"];
    mdime().current_dir(env!("CARGO_MANIFEST_DIR")).args(["run", "--as-of", "2022", "--format", "csv"]).args(recipients).arg("--output").arg(&old).assert().success();
    mdime()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--as-of", "2025", "--format", "csv,md"])
        .args(recipients)
        .arg("--compare")
        .arg(&old)
        .arg("--output")
        .arg(&new)
        .assert()
        .success();
    let index = std::fs::read_to_string(new.join("index.md")).unwrap();
    let movers = &index[index.find("## Biggest movers").expect("a movers section")..index.find("## How fresh").unwrap()];
    let diff = mdime::diff::compare(&old, &new).unwrap();
    let moved: Vec<_> = diff.changes.iter().filter(|c| c.kind == mdime::diff::Kind::Overall && c.field == "current").collect();
    assert!(!moved.is_empty(), "nothing moved between 2022 and 2025");
    for c in moved {
        let row = movers.lines().find(|l| l.contains(&format!("(countries/{}.md)", c.iso3)) && l.starts_with(&format!("| {} |", c.benefactor))).unwrap_or_else(|| panic!("{} {} missing:\n{movers}", c.benefactor, c.iso3));
        assert!(row.contains(&format!("| {} | {} |", c.old, c.new)), "{row}");
        assert!(c.moved.iter().all(|m| row.contains(&mdime::render::report::escape_markdown(m))), "{row}");
    }
    // Without the earlier run's tables there is nothing to compare against.
    mdime().current_dir(env!("CARGO_MANIFEST_DIR")).args(["run", "--format", "csv", "--compare"]).arg(work.path()).arg("--output").arg(work.path().join("x")).assert().failure();
}

/// Without `--compare`, the movers are those against the same run as of the year before: the overall
/// levels that differ between a run as of 2024 and one as of 2025, as `mdime diff` finds them.
#[test]
fn without_an_earlier_run_the_index_lists_the_movers_since_the_previous_as_of_year() {
    let work = tempfile::tempdir().unwrap();
    let (old, new) = (work.path().join("2024"), work.path().join("2025"));
    let recipients = ["--recipient", "Burkina Faso", "--recipient", "Niger", "--recipient", "Benin", "--recipient", "Sudan"];
    mdime().current_dir(env!("CARGO_MANIFEST_DIR")).args(["run", "--as-of", "2024", "--format", "csv"]).args(recipients).arg("--output").arg(&old).assert().success();
    mdime().current_dir(env!("CARGO_MANIFEST_DIR")).args(["run", "--as-of", "2025", "--format", "csv,md"]).args(recipients).arg("--output").arg(&new).assert().success();
    let index = std::fs::read_to_string(new.join("index.md")).unwrap();
    let movers = &index[index.find("## Biggest movers").expect("a movers section")..index.find("## How fresh").unwrap()];
    assert!(movers.contains("against the same run as of 2024"), "{movers}");
    let diff = mdime::diff::compare(&old, &new).unwrap();
    let expected: BTreeSet<String> = diff
        .changes
        .iter()
        .filter(|c| c.kind == mdime::diff::Kind::Overall && c.field == "current")
        .map(|c| format!("| {} | [{}](countries/{}.md) | {} | {} |", c.benefactor, c.recipient, c.iso3, c.old, c.new))
        .collect();
    assert!(!expected.is_empty(), "nothing moved between 2024 and 2025 in these recipients");
    let listed: BTreeSet<String> =
        movers.lines().filter(|l| l.contains("](countries/")).map(|l| l.split(" | ").take(4).collect::<Vec<_>>().join(" | ") + " |").collect();
    assert_eq!(listed, expected, "{movers}");
}

/// Every benefactor's and every difference's overall level and instruments are mapped on the world and
/// on each region of the run's recipients; a run within one region maps its instruments on that region
/// alone.
#[test]
fn each_instrument_is_mapped_on_the_world_and_on_each_region_of_the_run() {
    let work = tempfile::tempdir().unwrap();
    let maps_of = |recipients: &[&str], name: &str| -> BTreeSet<String> {
        let out = work.path().join(name);
        let mut command = mdime();
        command.current_dir(env!("CARGO_MANIFEST_DIR")).args(["run", "--format", "svg", "--output"]).arg(&out);
        for r in recipients {
            command.args(["--recipient", r]);
        }
        command.assert().success();
        std::fs::read_dir(out.join("charts"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|f| f.starts_with("map-"))
            .collect()
    };
    let two_regions = maps_of(&["Niger", "Pakistan"], "two");
    let kinds = ["CHN", "RUS", "CHN-minus-RUS"];
    for kind in kinds {
        for place in ["world", "africa", "south-asia"] {
            for instrument in Instrument::ALL.map(|i| i.code()).into_iter().chain(["overall"]) {
                let file = format!("map-{kind}-{instrument}-{place}.svg");
                assert!(two_regions.contains(&file), "{file} missing from {two_regions:?}");
            }
        }
    }
    assert_eq!(two_regions.len(), kinds.len() * 3 * 13, "{two_regions:?}");
    let one_region = maps_of(&["Niger", "Mali"], "one");
    assert!(one_region.contains("map-CHN-overall-world.svg") && one_region.contains("map-CHN-M1-africa.svg"), "{one_region:?}");
    assert!(!one_region.contains("map-CHN-M1-world.svg"), "{one_region:?}");
}
