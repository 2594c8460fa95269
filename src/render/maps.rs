//! Choropleth maps: each recipient coloured by one benefactor's level (overall or on one instrument), or
//! by the difference between two, on the world or on one region. Colours and legend come from the
//! heatmaps' rule (`charts::rating_mark`, `charts::swatches`), so a map and a heatmap never disagree.
//!
//! The outlines are Natural Earth's (`domain::geo`), in an equirectangular projection: longitude and
//! latitude scaled linearly, longitude shrunk by the cosine of the view's middle latitude so that a
//! region keeps its shape. Rings are clipped to the view before they are drawn, so a regional map
//! carries only what it shows. A map is laid out once (`Map::areas`) and written twice: as a plotters
//! chart (SVG, PNG files) and as a plain SVG for the HTML index with a hover title and a link per
//! recipient (`Map::interactive_svg`).

use std::collections::BTreeMap;
use std::fmt::Write;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::charts::{rating_mark, FONT, rgb, swatches, window_label, Boxed, DrawResult, Frame, HeatmapKind, Layout, Legend, Plot, Swatch, Words, GREY};
use super::report::escape_html;
use super::{compared_on, left_out_across, level_colour, RecipientView, Rgb, Scene};
use crate::domain::geo::{ShapeKind, WorldMap};
use crate::domain::{CurrentLevel, Instrument, Region};

/// The part of the world a map shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extent {
    /// 180° W–180° E, 58° S–84° N: every inhabited country.
    World,
    /// The box around the run's recipients in one region, with a margin.
    Region(Region),
}

/// One map: what is coloured (`kind`, `instrument`; None is the overall level) and where.
pub struct Map<'a> {
    pub scene: &'a Scene<'a>,
    pub kind: HeatmapKind,
    pub instrument: Option<Instrument>,
    pub extent: Extent,
}

/// Land that is not a recipient of the run (benefactors, untracked regions, recipients left out):
/// lighter than Not assessed's grey, darker than Unobserved's white.
pub const OUTSIDE: Rgb = Rgb(0xe9, 0xe4, 0xda);
const SEA: Rgb = Rgb(0xf1, 0xf6, 0xfa);
const BORDER: RGBColor = RGBColor(0x80, 0x80, 0x80);

const WIDTH: i32 = 1600;
const MAP_LEFT: i32 = 40;
const MAP_TOP: i32 = 104;
const MAP_WIDTH: i32 = 1520;
const MAX_MAP_HEIGHT: i32 = 760;
const MARKER_RADIUS: i32 = 7;

/// The degrees shown and how many pixels each takes.
#[derive(Debug, Clone, Copy)]
struct View {
    west: f64,
    north: f64,
    /// Pixels per degree of longitude and of latitude.
    kx: f64,
    ky: f64,
    width: i32,
    height: i32,
}

impl View {
    fn project(&self, (lon, lat): (f64, f64)) -> (f64, f64) {
        ((lon - self.west) * self.kx, (self.north - lat) * self.ky)
    }
}

/// A country as a map draws it, in pixels of the whole canvas.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    /// Empty for land without an ISO code.
    pub iso3: String,
    pub fill: Rgb,
    /// Rating in words, for a recipient of the run.
    pub hover: Option<String>,
    /// Outer rings clipped to the map, in canvas pixels.
    pub rings: Vec<Vec<(i32, i32)>>,
    /// Where a small recipient's marker goes, when it is in view.
    pub marker: Option<(i32, i32)>,
}

impl Map<'_> {
    pub fn file_stem(&self) -> String {
        let b = self.scene.benefactors;
        let what = match self.kind {
            HeatmapKind::Levels(i) => b[i].iso3.clone(),
            HeatmapKind::Difference(x, y) => format!("{}-minus-{}", b[x].iso3, b[y].iso3),
        };
        let instrument = self.instrument.map_or("overall", |i| i.code());
        format!("map-{what}-{instrument}-{}", extent_slug(self.extent))
    }

    fn view(&self) -> View {
        let (west, east, south, north) = match self.extent {
            Extent::World => (-180.0, 180.0, -58.0, 84.0),
            Extent::Region(region) => {
                let members: Vec<&str> =
                    self.scene.recipients.iter().filter(|v| v.country.region == region).map(|v| v.country.iso3.as_str()).collect();
                let points = WorldMap::builtin().shapes.iter().filter(|s| members.contains(&s.iso3.as_str())).flat_map(|s| match &s.kind {
                    ShapeKind::Ring(points) => points.clone(),
                    ShapeKind::Marker(p) => vec![*p],
                });
                let (w, e, s, n) = points.fold((180.0f64, -180.0f64, 90.0f64, -90.0f64), |(w, e, s, n), (lon, lat)| {
                    (w.min(lon), e.max(lon), s.min(lat), n.max(lat))
                });
                if w > e {
                    (-180.0, 180.0, -58.0, 84.0)
                } else {
                    ((w - 3.0).max(-180.0), (e + 3.0).min(180.0), (s - 3.0).max(-90.0), (n + 3.0).min(90.0))
                }
            }
        };
        let shrink = if self.extent == Extent::World { 1.0 } else { ((south + north) / 2.0).to_radians().cos().max(0.2) };
        let scale = (f64::from(MAP_WIDTH) / ((east - west) * shrink)).min(f64::from(MAX_MAP_HEIGHT) / (north - south));
        let (kx, ky) = (scale * shrink, scale);
        View { west, north, kx, ky, width: ((east - west) * kx).round() as i32, height: ((north - south) * ky).round() as i32 }
    }

    /// Every country in view with its colour, rings and marker, larger countries first (so that an
    /// enclave is drawn over the country around it), merged by ISO code.
    pub fn areas(&self) -> Vec<Area> {
        let view = self.view();
        let mut areas: Vec<Area> = Vec::new();
        let mut by_iso3: BTreeMap<String, usize> = BTreeMap::new();
        for shape in &WorldMap::builtin().shapes {
            let index = match by_iso3.get(&shape.iso3) {
                Some(&i) if !shape.iso3.is_empty() => i,
                _ => {
                    let recipient = self.recipient(&shape.iso3);
                    let (fill, hover) = match recipient {
                        Some(v) => (rating_mark(self.scene, v, self.kind, self.instrument).0, Some(self.describe(v))),
                        None => (OUTSIDE, None),
                    };
                    areas.push(Area { iso3: shape.iso3.clone(), fill, hover, rings: Vec::new(), marker: None });
                    by_iso3.insert(shape.iso3.clone(), areas.len() - 1);
                    areas.len() - 1
                }
            };
            let area = &mut areas[index];
            match &shape.kind {
                ShapeKind::Ring(points) => {
                    let ring = clip(points.iter().map(|&p| view.project(p)).collect(), view);
                    if ring.len() >= 3 {
                        area.rings.push(ring);
                    }
                }
                ShapeKind::Marker(p) => {
                    let (x, y) = view.project(*p);
                    let inside = (0.0..=f64::from(view.width)).contains(&x) && (0.0..=f64::from(view.height)).contains(&y);
                    if inside && area.hover.is_some() {
                        area.marker = Some(canvas((x, y)));
                    }
                }
            }
        }
        areas.retain(|a| !a.rings.is_empty() || a.marker.is_some());
        areas
    }

    fn recipient(&self, iso3: &str) -> Option<&RecipientView<'_>> {
        let recipients = &self.scene.recipients;
        recipients.binary_search_by(|v| v.country.iso3.as_str().cmp(iso3)).ok().map(|i| &recipients[i])
    }

    /// The rating in words: `Mali: High (Medium confidence), projected Steady`, or both levels and the
    /// difference.
    fn describe(&self, view: &RecipientView) -> String {
        let what = self.instrument.map_or("overall".to_string(), |i| format!("{} {}", i.code(), i.name()));
        match self.kind {
            HeatmapKind::Levels(b) => {
                let a = view.pairs[b].rated(self.instrument);
                format!(
                    "{}, {what}: {} ({} confidence), projected {}",
                    view.country.name,
                    a.current.label(),
                    a.confidence.label().to_lowercase(),
                    a.projected.label()
                )
            }
            HeatmapKind::Difference(x, y) => {
                let names = self.scene.benefactors;
                let (_, difference) = rating_mark(self.scene, view, self.kind, self.instrument);
                let (first, second) = view.compared_levels(x, y, self.instrument);
                let on = match self.instrument {
                    Some(_) => String::new(),
                    None => format!("; {}", compared_on(&view.like_for_like(x, y), names)),
                };
                format!("{}, {what}: {} {}, {} {} ({difference}{on})", view.country.name, names[x].name, first.label(), names[y].name, second.label())
            }
        }
    }

    /// The legend's entries: a colour, its meaning, and whether it is drawn as a small recipient's marker.
    fn legend_items(&self) -> Vec<(Rgb, String, bool)> {
        let mut items: Vec<(Rgb, String, bool)> = swatches(self.scene, self.kind).into_iter().map(|(colour, label)| (colour, label, false)).collect();
        items.push((OUTSIDE, "not a recipient in this run".into(), false));
        items.push((level_colour(CurrentLevel::Unobserved), "small recipient".into(), true));
        items
    }

    fn legend(&self) -> Legend {
        let swatch = |colour: Rgb, marker: bool| if marker { Swatch::Marker(rgb(colour)) } else { Swatch::Block(rgb(colour).to_rgba()) };
        Legend { entries: self.legend_items().into_iter().map(|(colour, label, marker)| (swatch(colour, marker), label)).collect() }
    }

    fn words(&self) -> Words {
        let b = self.scene.benefactors;
        let (subtitle, note) = match self.kind {
            HeatmapKind::Levels(_) => (
                format!("Current level, window {}", window_label(self.scene.window)),
                "Circled: recipients too small to see at this scale. U Unobserved: a source looked and saw nothing; n/a Not assessed: no source covers it.".to_string(),
            ),
            HeatmapKind::Difference(x, y) => (
                format!("Steps on the level scale (Very Low 1 … Very High 5, Unobserved 0), window {}", window_label(self.scene.window)),
                format!(
                    "Positive: {} ahead; negative: {} ahead; n/a: either is Not assessed. Circled: recipients too small to see at this scale.{}",
                    b[x].name,
                    b[y].name,
                    // Only the overall level is compared like for like; an instrument is compared as rated.
                    self.instrument.map_or_else(|| format!(" {}", left_out_across(self.scene, x, y)), |_| String::new())
                ),
            ),
        };
        Words { subtitle, note, source: "Natural Earth boundaries (public domain); ratings from the sources listed in the run's reports".into() }
    }

    /// The map's box and the legend's, below it.
    fn boxes(&self) -> (Boxed, Boxed) {
        let view = self.view();
        let map = Boxed { x0: MAP_LEFT, y0: MAP_TOP, x1: MAP_LEFT + view.width, y1: MAP_TOP + view.height };
        let y0 = map.y1 + 16;
        let legend = Boxed { x0: MAP_LEFT, y0, x1: MAP_LEFT + MAP_WIDTH, y1: y0 + self.legend().height(MAP_WIDTH) };
        (map, legend)
    }

    fn frame(&self) -> Frame<'static> {
        let words = self.words();
        Frame::new(self.size(), &self.title(), &words.subtitle, &words.note, &words.source)
    }

    /// The map as plain SVG for an HTML page: a path per country, a link to each recipient's report
    /// (`countries/ISO3.html`, relative to the page) and its rating as a hover title. No script, no
    /// external reference.
    pub fn interactive_svg(&self) -> String {
        let view = self.view();
        let (_, band) = self.boxes();
        let mut out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{} {} {} {}\" class=\"map\" role=\"img\" aria-label=\"{}\" font-family=\"{}\">\n<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n",
            MAP_LEFT,
            MAP_TOP,
            MAP_WIDTH,
            band.y1 - MAP_TOP,
            escape_html(&self.title()),
            FONT,
            MAP_LEFT,
            MAP_TOP,
            view.width,
            view.height,
            SEA.hex()
        );
        // The legend, below the map as on the chart files, placed by the same rule.
        let legend = self.legend();
        for ((colour, label, marker), (dx, dy)) in self.legend_items().into_iter().zip(legend.placed(band.x1 - band.x0)) {
            let (x, y) = (band.x0 + dx, band.y0 + dy + 15);
            let swatch = if marker {
                format!("<circle cx=\"{}\" cy=\"{y}\" r=\"{MARKER_RADIUS}\" fill=\"{}\" stroke=\"#000\" stroke-width=\"2\"/>", x + 12, colour.hex())
            } else {
                format!("<rect x=\"{x}\" y=\"{}\" width=\"24\" height=\"22\" fill=\"{}\" stroke=\"#555\"/>", y - 11, colour.hex())
            };
            let _ = writeln!(out, "{swatch}<text x=\"{}\" y=\"{}\" font-size=\"18\">{}</text>", x + 40, y + 6, escape_html(&label));
        }
        let path = |rings: &[Vec<(i32, i32)>]| {
            let mut d = String::new();
            for ring in rings {
                for (i, (x, y)) in ring.iter().enumerate() {
                    let _ = write!(d, "{}{x} {y}", if i == 0 { "M" } else { "L" });
                }
                d.push('Z');
            }
            d
        };
        for area in self.areas() {
            let fill = area.fill.hex();
            let shape = format!("<path d=\"{}\" fill=\"{fill}\" stroke=\"#808080\" stroke-width=\"0.6\"/>", path(&area.rings));
            let marker = area.marker.map_or(String::new(), |(x, y)| {
                format!("<circle cx=\"{x}\" cy=\"{y}\" r=\"{MARKER_RADIUS}\" fill=\"{fill}\" stroke=\"#000\" stroke-width=\"1.5\"/>")
            });
            match &area.hover {
                Some(hover) => {
                    let _ = writeln!(
                        out,
                        "<a href=\"countries/{iso3}.html\"><title>{}</title>{shape}{marker}</a>",
                        escape_html(hover),
                        iso3 = escape_html(&area.iso3)
                    );
                }
                None => {
                    let _ = writeln!(out, "{shape}");
                }
            }
        }
        out.push_str("</svg>\n");
        out
    }
}

fn extent_slug(extent: Extent) -> String {
    match extent {
        Extent::World => "world".into(),
        Extent::Region(region) => region.label().to_lowercase().replace(' ', "-"),
    }
}

/// A point of the map area on the canvas, rounded to the pixel.
fn canvas((x, y): (f64, f64)) -> (i32, i32) {
    (MAP_LEFT + x.round() as i32, MAP_TOP + y.round() as i32)
}

/// A projected ring cut to the view (Sutherland–Hodgman against each edge), on the canvas, thinned to
/// points at least two pixels apart.
fn clip(ring: Vec<(f64, f64)>, view: View) -> Vec<(i32, i32)> {
    let (w, h) = (f64::from(view.width), f64::from(view.height));
    let edges: [(fn((f64, f64), f64) -> f64, f64); 4] =
        [(|p, _| p.0, 0.0), (|p, w| w - p.0, w), (|p, _| p.1, 0.0), (|p, h| h - p.1, h)];
    let mut points = ring;
    for (inside, bound) in edges {
        let distance = |p: (f64, f64)| inside(p, bound);
        let mut out = Vec::with_capacity(points.len());
        for (i, &p) in points.iter().enumerate() {
            let q = points[(i + 1) % points.len()];
            let (dp, dq) = (distance(p), distance(q));
            if dp >= 0.0 {
                out.push(p);
            }
            if (dp >= 0.0) != (dq >= 0.0) {
                let t = dp / (dp - dq);
                out.push((p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1)));
            }
        }
        points = out;
        if points.is_empty() {
            break;
        }
    }
    // Points closer than two pixels to the last one kept add bytes, not shape.
    let mut pixels: Vec<(i32, i32)> = Vec::with_capacity(points.len());
    for p in points.into_iter().map(canvas) {
        if pixels.last().is_none_or(|&(x, y): &(i32, i32)| (p.0 - x).pow(2) + (p.1 - y).pow(2) >= 4) {
            pixels.push(p);
        }
    }
    if pixels.len() > 1 && pixels.first() == pixels.last() {
        pixels.pop();
    }
    pixels
}

impl Plot for Map<'_> {
    fn size(&self) -> (u32, u32) {
        let words = self.words();
        (WIDTH as u32, (self.boxes().1.y1 + 24 + Frame::footer_height(WIDTH as u32, &words.note, &words.source)) as u32)
    }

    fn title(&self) -> String {
        let b = self.scene.benefactors;
        let what = self.instrument.map_or("overall influence".to_string(), |i| format!("{} {}", i.code(), i.name()));
        let place = match self.extent {
            Extent::World => "by recipient".to_string(),
            Extent::Region(region) => format!("in {}", region.label()),
        };
        match self.kind {
            HeatmapKind::Levels(i) => format!("{}: {what}, {place}", b[i].name),
            HeatmapKind::Difference(x, y) => format!("{} minus {}: {what}, {place}", b[x].name, b[y].name),
        }
    }

    /// Every ring and marker lies in the map's box; the legend sits below it.
    fn layout(&self) -> Layout {
        let (map, legend) = self.boxes();
        Layout { plot: map, legends: vec![legend], text: self.frame().text_boxes() }
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        self.frame().draw(root)?;
        let (map, legend) = self.boxes();
        root.draw(&Rectangle::new([(map.x0, map.y0), (map.x1, map.y1)], rgb(SEA).filled()))?;
        let areas = self.areas();
        for area in &areas {
            for ring in &area.rings {
                root.draw(&Polygon::new(ring.clone(), rgb(area.fill).filled()))?;
                let mut outline = ring.clone();
                outline.push(ring[0]);
                root.draw(&PathElement::new(outline, BORDER.stroke_width(1)))?;
            }
        }
        for (area, centre) in areas.iter().filter_map(|a| a.marker.map(|m| (a, m))) {
            root.draw(&Circle::new(centre, MARKER_RADIUS, rgb(area.fill).filled()))?;
            root.draw(&Circle::new(centre, MARKER_RADIUS, BLACK.stroke_width(2)))?;
        }
        root.draw(&Rectangle::new([(map.x0, map.y0), (map.x1, map.y1)], GREY.stroke_width(1)))?;
        self.legend().draw(root, legend)
    }
}
