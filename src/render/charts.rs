//! Charts comparing the benefactors, drawn once and written as SVG (for reports and print) and PNG (for
//! slides). Text is set in DejaVu Sans, compiled into the binary, so a PNG looks the same on any machine
//! and no system font is ever looked up.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::assess::groups::{GroupSummary, Lead};
use crate::domain::Benefactor;
use super::{
    benefactor_colour, format_value, indicator_words, left_out_across, level_abbreviation, level_colour, region_colour, trend_arrow, RecipientView, Rgb, Scene,
    Series, YearlyIndicator, LEVELS,
};
use crate::domain::{CurrentLevel, Instrument, Trend};
use crate::error::{Error, Result};
use crate::indicators::Window;

/// The font family as plotters registers it and as SVG names it: SVG viewers without DejaVu fall back to
/// their own sans-serif.
pub(super) const FONT: &str = "DejaVu Sans, sans-serif";
pub(super) const GREY: RGBColor = RGBColor(0x55, 0x55, 0x55);
pub(super) const LIGHT_GREY: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);

const LEGEND_NOTE: &str = "Arrows: projected over three years (↑ Increasing, → Steady, ↓ Decreasing, ? Unknown).   \
U = Unobserved (a source looked and saw nothing).   n/a = Not assessed (no source covers it).";

fn register_font() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // The bytes are DejaVu's own, compiled in; they cannot fail to parse.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

pub(super) fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

pub(super) fn text<'a>(size: f64) -> TextStyle<'a> {
    TextStyle::from((FONT, size).into_font()).color(&BLACK)
}

pub(super) fn bold<'a>(size: f64) -> TextStyle<'a> {
    TextStyle::from((FONT, size, FontStyle::Bold).into_font()).color(&BLACK)
}

pub(super) fn centred(style: TextStyle<'_>) -> TextStyle<'_> {
    style.pos(Pos::new(HPos::Center, VPos::Center))
}

pub type DrawResult<DB> = std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A chart that can be drawn on any plotters backend.
pub trait Plot {
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32);
    fn title(&self) -> String;
    fn layout(&self) -> Layout;
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB>;
}

fn chart_error(plot: &impl Plot, error: impl std::fmt::Display) -> Error {
    Error::Chart { chart: plot.title(), message: error.to_string() }
}

pub fn svg(plot: &impl Plot) -> Result<String> {
    register_font();
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, plot.size()).into_drawing_area();
        plot.draw(&root).map_err(|e| chart_error(plot, e))?;
        root.present().map_err(|e| chart_error(plot, e))?;
    }
    Ok(out)
}

pub fn png(plot: &impl Plot) -> Result<Vec<u8>> {
    register_font();
    let (width, height) = plot.size();
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        plot.draw(&root).map_err(|e| chart_error(plot, e))?;
        root.present().map_err(|e| chart_error(plot, e))?;
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .and_then(|mut writer| writer.write_image_data(&pixels))
        .map_err(|e| chart_error(plot, e))?;
    Ok(out)
}

/// A rectangle on a chart's canvas, in pixels: left, top, right, bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Boxed {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
}

impl Boxed {
    /// Whether the two share any pixel (touching edges do not count).
    pub fn overlaps(&self, other: &Boxed) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }
}

/// Where a chart puts its parts, in pixels: every data mark lies inside `plot`; `legends` are the boxes
/// that explain them; `text` the lines of title, subtitle, note and source. Computed by the same code
/// that draws, so that tests can check that nothing covers anything else.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub plot: Boxed,
    pub legends: Vec<Boxed>,
    pub text: Vec<Boxed>,
}

/// The box a line of text in `style` takes when its anchor is at `at` (font size as its height).
fn text_box(line: &str, style: &TextStyle, at: (i32, i32)) -> Boxed {
    // Measuring needs the font as much as drawing does.
    register_font();
    let width = style.font.box_size(line).map_or(0, |(w, _)| w as i32);
    let height = style.font.get_size().ceil() as i32;
    let x0 = match style.pos.h_pos {
        HPos::Left => at.0,
        HPos::Center => at.0 - width / 2,
        HPos::Right => at.0 - width,
    };
    let y0 = match style.pos.v_pos {
        VPos::Top => at.1,
        VPos::Center => at.1 - height / 2,
        VPos::Bottom => at.1 - height,
    };
    Boxed { x0, y0, x1: x0 + width, y1: y0 + height }
}

/// A chart's words placed on its canvas: title and subtitle above, note and source below (wrapped,
/// bottom up, rather than run off the canvas), and the box left for the chart between them.
pub struct Frame<'a> {
    lines: Vec<(String, TextStyle<'a>, (i32, i32))>,
    pub area: Boxed,
}

impl Frame<'_> {
    pub fn new(size: (u32, u32), title: &str, subtitle: &str, note: &str, source: &str) -> Frame<'static> {
        let (width, height) = (size.0 as i32, size.1 as i32);
        let max_width = width.saturating_sub(80);
        let source = wrap(&format!("Source: {source}"), &text(16.0), max_width);
        let note = wrap(note, &text(16.0), max_width);
        let mut lines = vec![(title.to_string(), bold(32.0), (40, 22)), (subtitle.to_string(), text(20.0).color(&GREY), (40, 66))];
        let foot: Vec<(String, TextStyle)> =
            note.iter().map(|l| (l.clone(), text(16.0))).chain(source.iter().map(|l| (l.clone(), text(16.0).color(&GREY)))).collect();
        let first = height - 36 - FOOT_LINE * (foot.len() as i32 - 1);
        lines.extend(foot.into_iter().enumerate().map(|(i, (line, style))| (line, style, (40, first + FOOT_LINE * i as i32))));
        // One line each of note and source fit the standard bottom margin; more push the chart up.
        let extra = (note.len().max(1) + source.len()).saturating_sub(2) as i32;
        Frame { lines, area: Boxed { x0: 30, y0: 104, x1: width - 40, y1: height - 84 - FOOT_LINE * extra } }
    }

    /// The height the note and source take at the foot of a canvas `width` pixels wide, from the top of
    /// their first line to the canvas's bottom edge.
    pub fn footer_height(width: u32, note: &str, source: &str) -> i32 {
        let max_width = width as i32 - 80;
        let lines = wrap(note, &text(16.0), max_width).len() + wrap(&format!("Source: {source}"), &text(16.0), max_width).len();
        36 + FOOT_LINE * (lines as i32 - 1)
    }

    pub fn text_boxes(&self) -> Vec<Boxed> {
        self.lines.iter().filter(|(line, ..)| !line.is_empty()).map(|(line, style, at)| text_box(line, style, *at)).collect()
    }

    /// White background and the words.
    pub fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        for (line, style, at) in &self.lines {
            root.draw(&Text::new(line.clone(), *at, style.clone()))?;
        }
        Ok(())
    }
}

/// The part of `root` inside `area`.
fn within<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, area: Boxed) -> DrawingArea<DB, Shift> {
    let (width, height) = root.dim_in_pixel();
    root.margin(area.y0, height as i32 - area.y1, area.x0, width as i32 - area.x1)
}

/// Height of a line of the note and source under a chart.
const FOOT_LINE: i32 = 30;

/// `text` broken at spaces into lines no wider than `max_width` pixels in `style`.
fn wrap(text: &str, style: &TextStyle, max_width: i32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        match lines.last_mut() {
            Some(line) if text_box(&format!("{line} {word}"), style, (0, 0)).x1 <= max_width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// How a legend shows one series.
pub enum Swatch {
    Block(RGBAColor),
    Line(ShapeStyle),
    Dashed(ShapeStyle, u32, u32),
    Dot(RGBColor),
    /// A small country's marker: a dot with a black ring.
    Marker(RGBColor),
}

/// A legend drawn in a band of its own below the plot, never over data: its entries flow left to
/// right into as many rows as they need.
pub(super) struct Legend {
    pub entries: Vec<(Swatch, String)>,
}

const LEGEND_ROW: i32 = 30;
/// Room for a swatch and the space after it, before the label.
const SWATCH: i32 = 40;
const LEGEND_GAP: i32 = 36;

impl Legend {
    /// Each entry's offset from the band's top left corner, within `width`.
    pub(super) fn placed(&self, width: i32) -> Vec<(i32, i32)> {
        let (mut x, mut row) = (0, 0);
        self.entries
            .iter()
            .map(|(_, label)| {
                let w = SWATCH + text_box(label, &text(18.0), (0, 0)).x1;
                if x > 0 && x + w > width {
                    (x, row) = (0, row + 1);
                }
                let at = (x, row * LEGEND_ROW);
                x += w + LEGEND_GAP;
                at
            })
            .collect()
    }

    pub(super) fn height(&self, width: i32) -> i32 {
        self.placed(width).last().map_or(0, |&(_, y)| y + LEGEND_ROW)
    }

    pub(super) fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, band: Boxed) -> DrawResult<DB> {
        for ((swatch, label), (dx, dy)) in self.entries.iter().zip(self.placed(band.x1 - band.x0)) {
            let (x, y) = (band.x0 + dx, band.y0 + dy + LEGEND_ROW / 2);
            match swatch {
                Swatch::Block(colour) => {
                    root.draw(&Rectangle::new([(x, y - 11), (x + 24, y + 11)], colour.filled()))?;
                    root.draw(&Rectangle::new([(x, y - 11), (x + 24, y + 11)], GREY.stroke_width(1)))?;
                }
                Swatch::Line(style) => root.draw(&PathElement::new(vec![(x, y), (x + 30, y)], *style))?,
                Swatch::Dashed(style, dash, gap) => root.draw(&DashedPathElement::new(vec![(x, y), (x + 30, y)], *dash, *gap, *style))?,
                Swatch::Dot(colour) => root.draw(&Circle::new((x + 12, y), 7, colour.filled()))?,
                Swatch::Marker(colour) => {
                    root.draw(&Circle::new((x + 12, y), 7, colour.filled()))?;
                    root.draw(&Circle::new((x + 12, y), 7, BLACK.stroke_width(2)))?;
                }
            }
            root.draw(&Text::new(label.clone(), (x + SWATCH, y), text(18.0).pos(Pos::new(HPos::Left, VPos::Center))))?;
        }
        Ok(())
    }
}

/// The parts of a chart with axes: its frame, the plot (axes, their labels and the data) and the legend
/// band below the plot.
struct Axes<'a> {
    frame: Frame<'a>,
    plot: Boxed,
    legend: Legend,
    legend_box: Boxed,
}

impl Axes<'_> {
    fn new(size: (u32, u32), title: &str, words: &Words, legend: Legend) -> Axes<'static> {
        let frame = Frame::new(size, title, &words.subtitle, &words.note, &words.source);
        let area = frame.area;
        let height = legend.height(area.x1 - area.x0 - 40);
        let legend_box = Boxed { x0: area.x0 + 40, y0: area.y1 - height, x1: area.x1, y1: area.y1 };
        let plot = Boxed { y1: legend_box.y0 - 12, ..area };
        Axes { frame, plot, legend, legend_box }
    }

    fn layout(&self) -> Layout {
        Layout { plot: self.plot, legends: vec![self.legend_box], text: self.frame.text_boxes() }
    }

    /// Draws the frame and the legend; returns the area for the plot.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> std::result::Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
        self.frame.draw(root)?;
        self.legend.draw(root, self.legend_box)?;
        Ok(within(root, self.plot))
    }
}

/// What a chart says in words besides its title.
pub(super) struct Words {
    pub subtitle: String,
    pub note: String,
    pub source: String,
}

pub(super) fn window_label(window: Window) -> String {
    format!("{}–{}", window.start, window.end)
}

/// One recipient, every benefactor side by side on the twelve instruments: bar height is the current
/// level, the arrow above it the projected direction.
pub struct Instruments<'a> {
    pub view: &'a RecipientView<'a>,
    pub window: Window,
}

impl Instruments<'_> {
    pub fn file_stem(&self) -> String {
        format!("{}-instruments", self.view.country.iso3)
    }
}

fn level_axis_label(y: f64) -> String {
    match y.round() as i32 {
        0 => "Unobserved".into(),
        rank @ 1..=5 => CurrentLevel::OBSERVED[rank as usize - 1].label().into(),
        _ => String::new(),
    }
}

impl Plot for Instruments<'_> {
    fn size(&self) -> (u32, u32) {
        (1600, 900)
    }

    fn title(&self) -> String {
        let names: Vec<&str> = self.view.pairs.iter().map(|p| p.benefactor.name.as_str()).collect();
        format!("{}: {} on the twelve M-DIME instruments", self.view.country.name, names.join(" and "))
    }

    fn layout(&self) -> Layout {
        self.axes().layout()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let area = self.axes().draw(root)?;
        let mut chart = ChartBuilder::on(&area)
            .x_label_area_size(70)
            .y_label_area_size(150)
            .margin_top(10)
            .build_cartesian_2d(-0.5f64..11.5f64, -0.7f64..5.6f64)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(LIGHT_GREY)
            .x_labels(Instrument::ALL.len())
            .y_labels(8)
            .x_label_formatter(&|x| Instrument::ALL.get(x.round() as usize).map_or(String::new(), |i| i.code().to_string()))
            .y_label_formatter(&|y| level_axis_label(*y))
            .x_desc("Instrument (D diplomatic, I informational, M military, E economic)")
            .y_desc("Current influence level")
            .label_style(text(18.0))
            .axis_desc_style(text(20.0))
            .draw()?;

        let n = self.view.pairs.len();
        let width = 0.8 / n.max(1) as f64;
        for (b, pair) in self.view.pairs.iter().enumerate() {
            let colour = rgb(benefactor_colour(pair.benefactor));
            let bars = pair.instruments.iter().enumerate().filter_map(|(i, a)| {
                let (x0, x1) = bar_span(i, b, n);
                a.current.rank().map(|r| Rectangle::new([(x0, 0.0), (x1, f64::from(r))], colour.filled()))
            });
            chart.draw_series(bars)?;
            for (i, a) in pair.instruments.iter().enumerate() {
                let x = i as f64 - 0.4 + (b as f64 + 0.45) * width;
                let top = f64::from(a.current.rank().unwrap_or(0));
                let plot = chart.plotting_area();
                match a.current {
                    CurrentLevel::NotAssessed => {
                        plot.draw(&Rectangle::new([(x - width * 0.45, -0.5), (x + width * 0.4, -0.1)], LIGHT_GREY.filled()))?;
                        plot.draw(&Text::new("n/a", (x, -0.3), centred(text(14.0))))?;
                    }
                    CurrentLevel::Unobserved => {
                        plot.draw(&Rectangle::new([(x - width * 0.45, -0.5), (x + width * 0.4, -0.1)], colour.stroke_width(2)))?;
                        plot.draw(&Text::new("U", (x, -0.3), centred(bold(16.0))))?;
                    }
                    _ => {}
                }
                if a.current != CurrentLevel::NotAssessed {
                    plot.draw(&Text::new(trend_arrow(a.projected), (x, top + 0.3), centred(bold(22.0).color(&colour))))?;
                }
            }
        }
        Ok(())
    }
}

impl Instruments<'_> {
    fn axes(&self) -> Axes<'static> {
        let sources = self.view.sources().join("; ");
        let words = Words {
            subtitle: format!("Current influence level per instrument, assessment window {}", window_label(self.window)),
            note: LEGEND_NOTE.to_string(),
            source: if sources.is_empty() { "no source covers any instrument".into() } else { sources },
        };
        Axes::new(self.size(), &self.title(), &words, self.legend())
    }

    fn legend(&self) -> Legend {
        benefactor_blocks(self.view.pairs.iter().map(|p| p.benefactor))
    }
}

/// A block of each benefactor's colour: the legend of the bar charts.
fn benefactor_blocks<'a>(benefactors: impl Iterator<Item = &'a Benefactor>) -> Legend {
    Legend { entries: benefactors.map(|b| (Swatch::Block(rgb(benefactor_colour(b)).to_rgba()), b.name.clone())).collect() }
}

/// Where benefactor `index` of `count` draws its bar in category `category` of a grouped bar chart whose
/// categories sit at 0, 1, 2…: side by side within 0.8 of a category, with a gap between bars.
fn bar_span(category: usize, index: usize, count: usize) -> (f64, f64) {
    let width = 0.8 / count.max(1) as f64;
    let x0 = category as f64 - 0.4 + index as f64 * width;
    (x0, x0 + width * 0.9)
}

/// A group of recipients: on how many members each benefactor leads each instrument and the overall
/// level (solid), and on how many it shares the lead (light).
pub struct GroupLeads<'a> {
    pub scene: &'a Scene<'a>,
    pub summary: &'a GroupSummary,
}

impl GroupLeads<'_> {
    pub fn file_stem(&self) -> String {
        format!("group-{}-leads", super::report::group_file(&self.summary.group.code))
    }
}

impl Plot for GroupLeads<'_> {
    fn size(&self) -> (u32, u32) {
        (1600, 900)
    }

    fn title(&self) -> String {
        let g = &self.summary.group;
        let (year, month, day) = g.day;
        format!("{}: who leads across its {} members on {year}-{month:02}-{day:02}", g.code, self.summary.assessed_members.len())
    }

    fn layout(&self) -> Layout {
        self.axes().layout()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let area = self.axes().draw(root)?;
        let members = self.summary.assessed_members.len().max(1) as f64;
        let categories = Instrument::ALL.len() + 1;
        let mut chart = ChartBuilder::on(&area)
            .x_label_area_size(70)
            .y_label_area_size(90)
            .margin_top(10)
            .build_cartesian_2d(-0.5f64..(categories as f64 - 0.5), 0f64..(members * 1.05))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(LIGHT_GREY)
            .x_labels(categories)
            .x_label_formatter(&|x| Instrument::ALL.get(x.round() as usize).map_or("Overall".to_string(), |i| i.code().to_string()))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .x_desc("Instrument")
            .y_desc("Members (count)")
            .label_style(text(18.0))
            .axis_desc_style(text(20.0))
            .draw()?;
        let n = self.scene.benefactors.len();
        for (b, benefactor) in self.scene.benefactors.iter().enumerate() {
            let colour = rgb(benefactor_colour(benefactor));
            let leads: Vec<&Lead> = self.summary.leads.iter().filter(|l| l.benefactor == benefactor.iso3).collect();
            let bars = leads.iter().enumerate().flat_map(|(i, l)| {
                let (x0, x1) = bar_span(i, b, n);
                let solid = l.leads as f64;
                [
                    Rectangle::new([(x0, 0.0), (x1, solid)], colour.filled()),
                    Rectangle::new([(x0, solid), (x1, solid + l.ties as f64)], colour.mix(0.35).filled()),
                ]
            });
            chart.draw_series(bars)?;
        }
        Ok(())
    }
}

impl GroupLeads<'_> {
    fn axes(&self) -> Axes<'static> {
        let words = Words {
            subtitle: format!("Members where each benefactor's level is the highest, window {}", window_label(self.scene.window)),
            note: "Solid: leads alone. Light: shares the highest level with another benefactor. A member where a benefactor is not assessed counts for no one.".into(),
            source: self.scene.sources.join("; "),
        };
        Axes::new(self.size(), &self.title(), &words, benefactor_blocks(self.scene.benefactors.iter()))
    }
}

/// Recipients × instruments, grouped by region: one benefactor's levels, or the difference between two.
pub struct Heatmap<'a> {
    pub scene: &'a Scene<'a>,
    pub kind: HeatmapKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeatmapKind {
    /// The benefactor at this index of the run's benefactors.
    Levels(usize),
    /// The first benefactor's level minus the second's, in steps of the scale (Unobserved counts 0); the
    /// overall levels made like for like, on the instruments assessed for both.
    Difference(usize, usize),
}

const ROW: i32 = 22;
const REGION_ROW: i32 = 30;
const LABEL_WIDTH: i32 = 330;
const CELL_WIDTH: i32 = 82;
const GRID_TOP: i32 = 150;

impl Heatmap<'_> {
    pub fn file_stem(&self) -> String {
        match self.kind {
            HeatmapKind::Levels(b) => format!("heatmap-{}", self.scene.benefactors[b].iso3),
            HeatmapKind::Difference(a, b) => {
                format!("heatmap-{}-minus-{}", self.scene.benefactors[a].iso3, self.scene.benefactors[b].iso3)
            }
        }
    }

    fn grid_height(&self) -> i32 {
        let regions = self.scene.by_region().len() as i32;
        regions * REGION_ROW + self.scene.recipients.len() as i32 * ROW
    }

    /// The grid of cells, where every data mark is.
    fn grid(&self) -> Boxed {
        Boxed { x0: 30, y0: GRID_TOP, x1: LABEL_WIDTH + 13 * CELL_WIDTH, y1: GRID_TOP + self.grid_height() }
    }

    /// The legend, below the grid and above the note.
    fn legend_band(&self) -> Boxed {
        let y0 = self.grid().y1 + 24;
        let (x0, x1) = (40, HEATMAP_WIDTH - 40);
        Boxed { x0, y0, x1, y1: y0 + self.legend().height(x1 - x0) }
    }

    fn legend(&self) -> Legend {
        Legend { entries: swatches(self.scene, self.kind).into_iter().map(|(colour, label)| (Swatch::Block(rgb(colour).to_rgba()), label)).collect() }
    }

    fn frame(&self) -> Frame<'static> {
        let words = self.words();
        Frame::new(self.size(), &self.title(), &words.subtitle, &words.note, &words.source)
    }

    fn words(&self) -> Words {
        let b = self.scene.benefactors;
        let (subtitle, note) = match self.kind {
            HeatmapKind::Levels(_) => (
                format!("Recipients grouped by region; cells give the level, window {}", window_label(self.scene.window)),
                LEGEND_NOTE.to_string(),
            ),
            HeatmapKind::Difference(x, y) => (
                format!(
                    "Steps on the level scale (Very Low 1 … Very High 5, Unobserved 0); window {}",
                    window_label(self.scene.window)
                ),
                format!(
                    "Positive (shaded {}): {} ahead.   Negative (shaded {}): {} ahead.   n/a: either is Not assessed.   {}",
                    colour_name(x),
                    b[x].name,
                    colour_name(y),
                    b[y].name,
                    left_out_across(self.scene, x, y)
                ),
            ),
        };
        Words { subtitle, note, source: self.scene.sources.join("; ") }
    }
}

const HEATMAP_WIDTH: i32 = LABEL_WIDTH + 13 * CELL_WIDTH + 80;

/// The colour and the short text (`H↑`, `+2`, `n/a`) of one recipient's rating on a chart of `kind`, for
/// one instrument or (None) the overall level: a level's colour, or for a difference the leader's colour
/// in proportion to its lead, the overall levels compared like for like (`RecipientView::compared_levels`).
/// Heatmaps and maps colour alike through this one rule.
pub fn rating_mark(scene: &Scene, view: &RecipientView, kind: HeatmapKind, instrument: Option<Instrument>) -> (Rgb, String) {
    match kind {
        HeatmapKind::Levels(b) => {
            let a = view.pairs[b].rated(instrument);
            let arrow = if a.projected == Trend::Unknown || a.current == CurrentLevel::NotAssessed { "" } else { trend_arrow(a.projected) };
            (level_colour(a.current), format!("{}{arrow}", level_abbreviation(a.current)))
        }
        HeatmapKind::Difference(first, second) => {
            let (x, y) = view.compared_levels(first, second, instrument);
            if x == CurrentLevel::NotAssessed || y == CurrentLevel::NotAssessed {
                return (level_colour(CurrentLevel::NotAssessed), "n/a".into());
            }
            let d = i32::from(x.rank().unwrap_or(0)) - i32::from(y.rank().unwrap_or(0));
            let b = scene.benefactors;
            (difference_colour(d, &b[first], &b[second]), signed(d))
        }
    }
}

/// A difference of levels as printed: `+2`, `0`, `−1` (a true minus sign).
fn signed(d: i32) -> String {
    format!("{d:+}").replace("+0", "0").replace('-', "−")
}

/// The swatches that explain the colours of a chart of `kind`, strongest first.
pub fn swatches(scene: &Scene, kind: HeatmapKind) -> Vec<(Rgb, String)> {
    match kind {
        HeatmapKind::Levels(_) => LEVELS.iter().map(|&l| (level_colour(l), format!("{} {}", level_abbreviation(l), l.label()))).collect(),
        HeatmapKind::Difference(x, y) => (-5..=5)
            .rev()
            .map(|d| (difference_colour(d, &scene.benefactors[x], &scene.benefactors[y]), signed(d)))
            .chain([(level_colour(CurrentLevel::NotAssessed), "n/a".to_string())])
            .collect(),
    }
}

/// Towards the first benefactor's colour when it leads, the second's when it does, white when level.
fn difference_colour(d: i32, first: &Benefactor, second: &Benefactor) -> Rgb {
    let weight = f64::from(d.unsigned_abs()) / 5.0;
    match d {
        0 => Rgb(0xf7, 0xf7, 0xf7),
        d if d > 0 => benefactor_colour(first).tint(0.2 + weight),
        _ => benefactor_colour(second).tint(0.2 + weight),
    }
}

impl Plot for Heatmap<'_> {
    fn size(&self) -> (u32, u32) {
        let words = self.words();
        (HEATMAP_WIDTH as u32, (self.legend_band().y1 + 24 + Frame::footer_height(HEATMAP_WIDTH as u32, &words.note, &words.source)) as u32)
    }

    fn title(&self) -> String {
        let b = self.scene.benefactors;
        match self.kind {
            HeatmapKind::Levels(i) => format!("{}: current influence by recipient and instrument", b[i].name),
            HeatmapKind::Difference(x, y) => format!("{} minus {}: difference in current influence level", b[x].name, b[y].name),
        }
    }

    fn layout(&self) -> Layout {
        Layout { plot: self.grid(), legends: vec![self.legend_band()], text: self.frame().text_boxes() }
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        self.frame().draw(root)?;
        // Column headings: the x axis.
        root.draw(&Text::new("Recipient (by region)", (40, GRID_TOP - 28), bold(18.0)))?;
        root.draw(&Text::new(
            "Instrument",
            (LABEL_WIDTH + 13 * CELL_WIDTH / 2, GRID_TOP - 52),
            centred(bold(18.0)),
        ))?;
        let columns: Vec<Option<Instrument>> = Instrument::ALL.into_iter().map(Some).chain([None]).collect();
        for (c, instrument) in columns.iter().enumerate() {
            let x = LABEL_WIDTH + c as i32 * CELL_WIDTH + CELL_WIDTH / 2;
            let label = instrument.map_or("overall", |i| i.code());
            root.draw(&Text::new(label, (x, GRID_TOP - 20), centred(bold(17.0))))?;
        }

        let mut y = GRID_TOP;
        for (region, views) in self.scene.by_region() {
            root.draw(&Rectangle::new([(30, y + 2), (LABEL_WIDTH + 13 * CELL_WIDTH, y + REGION_ROW - 2)], rgb(region_colour(region)).mix(0.25).filled()))?;
            root.draw(&Text::new(region.label().to_string(), (40, y + REGION_ROW / 2), text(18.0).pos(Pos::new(HPos::Left, VPos::Center))))?;
            y += REGION_ROW;
            for view in views {
                let label = format!("{} ({})", view.country.name, view.country.iso3);
                root.draw(&Text::new(label, (LABEL_WIDTH - 10, y + ROW / 2), text(15.0).pos(Pos::new(HPos::Right, VPos::Center))))?;
                for (c, instrument) in columns.iter().enumerate() {
                    let x = LABEL_WIDTH + c as i32 * CELL_WIDTH;
                    let (colour, label) = rating_mark(self.scene, view, self.kind, *instrument);
                    root.draw(&Rectangle::new([(x + 1, y + 1), (x + CELL_WIDTH - 1, y + ROW - 1)], rgb(colour).filled()))?;
                    root.draw(&Rectangle::new([(x + 1, y + 1), (x + CELL_WIDTH - 1, y + ROW - 1)], LIGHT_GREY.stroke_width(1)))?;
                    let ink = rgb(colour.ink());
                    root.draw(&Text::new(label, (x + CELL_WIDTH / 2, y + ROW / 2), centred(text(14.0).color(&ink))))?;
                }
                y += ROW;
            }
        }

        self.legend().draw(root, self.legend_band())?;
        Ok(())
    }
}

fn colour_name(benefactor: usize) -> &'static str {
    ["vermillion", "blue", "green", "pink", "orange", "sky blue"][benefactor % 6]
}

/// One indicator's yearly values in one recipient, a line per benefactor, each continued by its
/// three-year projection where one was made on this indicator.
pub struct TimeSeries<'a> {
    pub view: &'a RecipientView<'a>,
    pub yearly: &'a YearlyIndicator<'a>,
    pub window: Window,
}

impl TimeSeries<'_> {
    pub fn file_stem(&self) -> String {
        format!("{}-{}-{}", self.view.country.iso3, self.yearly.instrument.code(), self.yearly.indicator)
    }
}

/// A projection as drawn: the rule's expected mean of the three years after the last year of data, flat
/// across those years with its interval as a band, joined to the last value by a dashed step. Every
/// projected series counts or sums something (`project::SERIES`: deliveries, personnel, trade, weighted
/// events), so neither is ever below zero.
struct Projected {
    last: (i32, f64),
    /// The first and last projected years.
    years: (i32, i32),
    mean: f64,
    band: Option<(f64, f64)>,
}

impl Projected {
    fn of(series: &Series) -> Option<Projected> {
        let p = series.projection?;
        let mean = p.trend.value?.max(0.0);
        let last = series.points.iter().copied().find(|&(year, _)| year == p.base_year)?;
        // A series that never moved has an interval of no width: nothing to shade or name.
        let band = p.trend.lower.zip(p.trend.upper).map(|(lower, upper)| (lower.max(0.0), upper.max(0.0))).filter(|(lower, upper)| upper > lower);
        Some(Projected { last, years: (p.base_year + 1, p.horizon_year), mean, band })
    }

    fn top(&self) -> f64 {
        self.band.map_or(self.mean, |(_, upper)| upper.max(self.mean))
    }

    /// The dashed line: from the last value to the mean, then along it.
    fn path(&self) -> [(i32, f64); 3] {
        [self.last, (self.years.0, self.mean), (self.years.1, self.mean)]
    }
}

const BAND_OPACITY: f64 = 0.18;

impl TimeSeries<'_> {
    fn projections(&self) -> Vec<Option<Projected>> {
        self.yearly.series.iter().map(Projected::of).collect()
    }

    /// The footnote says which rule made each projection drawn, and why.
    fn words(&self) -> Words {
        let projections: Vec<&crate::project::Projection> =
            self.yearly.series.iter().filter(|s| Projected::of(s).is_some()).filter_map(|s| s.projection).collect();
        let mut methods: Vec<&str> = projections.iter().map(|p| p.method).collect();
        methods.sort();
        methods.dedup();
        let note = if methods.is_empty() {
            String::new()
        } else {
            let made_by: Vec<String> = methods
                .iter()
                .map(|&m| match m {
                    "scheduled events" => "scheduled events in the evidence logs (an ending or a contracted start within three years)".to_string(),
                    m if crate::project::backtest::Candidate::ALL.iter().any(|c| c.label() == m) => {
                        format!("the {m}, the forecaster with the best backtest skill on this series")
                    }
                    m => format!("the {m}"),
                })
                .collect();
            format!(
                "Dashed: expected mean of the three years after the last year of data, by {}; drawn flat across them, its {:.0}% interval from the forecaster's past errors shaded.",
                made_by.join(" and "),
                crate::project::INTERVAL * 100.0
            )
        };
        let note = if self.yearly.series.iter().any(|s| !s.seams.is_empty()) {
            format!("{note} A thin vertical line marks a change of source that could not be spliced to the earlier one: the years before it measure something else, and no projection reads across it.").trim_start().to_string()
        } else {
            note
        };
        Words {
            subtitle: format!("Each benefactor's yearly value, {}, in {}", window_label(self.window), self.yearly.unit),
            note,
            source: self.yearly.source.to_string(),
        }
    }

    fn legend(&self) -> Legend {
        let mut entries = Vec::new();
        for (series, projection) in self.yearly.series.iter().zip(self.projections()) {
            let (index, colour) = self.colour_of(series);
            let name = &series.benefactor.name;
            let style = colour.stroke_width(3);
            entries.push((if index % 2 == 0 { Swatch::Line(style) } else { Swatch::Dashed(style, 14, 8) }, name.clone()));
            if !series.seams.is_empty() {
                let years: Vec<String> = series.seams.iter().map(i32::to_string).collect();
                entries.push((Swatch::Dashed(colour.stroke_width(1), 3, 3), format!("{name}: unspliced change of source, {}", years.join(", "))));
            }
            let Some(projection) = projection else { continue };
            let (first, last) = projection.years;
            // Years up to the as-of year are past: a mean that takes them in is expected from the data
            // so far, never called projected.
            let label = if first <= self.window.end {
                format!("{name}: expected mean {first}–{last}, from data to {}", projection.last.0)
            } else {
                format!("{name}: projected mean {first}–{last}")
            };
            entries.push((Swatch::Dashed(colour.stroke_width(2), 5, 5), label));
            if projection.band.is_some() {
                entries.push((Swatch::Block(colour.mix(BAND_OPACITY)), format!("{name}: {:.0}% interval", crate::project::INTERVAL * 100.0)));
            }
        }
        Legend { entries }
    }

    fn axes(&self) -> Axes<'static> {
        Axes::new(self.size(), &self.title(), &self.words(), self.legend())
    }

    fn colour_of(&self, series: &Series) -> (usize, RGBColor) {
        let index = self.view.pairs.iter().position(|p| p.benefactor == series.benefactor).unwrap_or(0);
        (index, rgb(benefactor_colour(series.benefactor)))
    }
}

impl Plot for TimeSeries<'_> {
    fn size(&self) -> (u32, u32) {
        (1600, 900)
    }

    fn title(&self) -> String {
        let i = self.yearly.instrument;
        format!("{}: {} {}, {} by year", self.view.country.name, i.code(), i.name(), indicator_words(self.yearly.indicator))
    }

    fn layout(&self) -> Layout {
        self.axes().layout()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let projections = self.projections();
        let area = self.axes().draw(root)?;
        let max = self
            .yearly
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.1))
            .chain(projections.iter().flatten().map(Projected::top))
            .fold(0.0, f64::max);
        let top = if max > 0.0 { max * 1.05 } else { 1.0 };
        let last_year = projections.iter().flatten().map(|p| p.years.1).fold(self.window.end, i32::max);
        let mut chart = ChartBuilder::on(&area)
            .x_label_area_size(70)
            .y_label_area_size(110)
            .margin_top(10)
            .margin_right(20)
            .build_cartesian_2d(self.window.start..last_year, 0f64..top)?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(LIGHT_GREY)
            .x_labels((last_year - self.window.start + 1).min(20) as usize)
            .x_label_formatter(&|y| y.to_string())
            .y_label_formatter(&|v| format_value(*v))
            .x_desc("Year")
            .y_desc(self.yearly.unit)
            .label_style(text(18.0))
            .axis_desc_style(text(20.0))
            .draw()?;
        // Bands first, so that no line is drawn under another benefactor's shading.
        for (series, projection) in self.yearly.series.iter().zip(&projections) {
            if let Some(Projected { years: (first, last), band: Some((lower, upper)), .. }) = projection {
                let (_, colour) = self.colour_of(series);
                let corners = vec![(*first, *upper), (*last, *upper), (*last, *lower), (*first, *lower)];
                chart.draw_series(std::iter::once(Polygon::new(corners, colour.mix(BAND_OPACITY).filled())))?;
            }
        }
        for (series, projection) in self.yearly.series.iter().zip(&projections) {
            let (index, colour) = self.colour_of(series);
            // Dashes for the second benefactor: the two stay apart even without colour.
            let style = colour.stroke_width(3);
            if index % 2 == 0 {
                chart.draw_series(LineSeries::new(series.points.iter().copied(), style))?;
            } else {
                chart.draw_series(DashedLineSeries::new(series.points.iter().copied(), 14, 8, style))?;
            }
            chart.draw_series(series.points.iter().map(|&p| Circle::new(p, 5, colour.filled())))?;
            for &seam in &series.seams {
                chart.draw_series(DashedLineSeries::new([(seam, 0.0), (seam, top)], 3, 3, colour.stroke_width(1)))?;
            }
            let Some(projection) = projection else { continue };
            // Short dashes, unlike either benefactor's data, and an open circle at the horizon.
            chart.draw_series(DashedLineSeries::new(projection.path(), 5, 5, colour.stroke_width(2)))?;
            chart.draw_series(std::iter::once(Circle::new((projection.years.1, projection.mean), 6, colour.stroke_width(2))))?;
        }
        Ok(())
    }
}

/// Every recipient placed by two benefactors' overall scores.
pub struct Overview<'a> {
    pub scene: &'a Scene<'a>,
    pub x: usize,
    pub y: usize,
}

impl Overview<'_> {
    pub fn file_stem(&self) -> String {
        format!("overview-{}-{}", self.scene.benefactors[self.x].iso3, self.scene.benefactors[self.y].iso3)
    }
}

/// A small offset derived from the ISO code, so that recipients with equal scores do not hide each other;
/// the same code always moves the same way.
fn jitter(iso3: &str, salt: u32) -> f64 {
    let h = iso3.bytes().fold(2166136261u32 ^ salt, |h, b| (h ^ u32::from(b)).wrapping_mul(16777619));
    (f64::from(h % 1000) / 1000.0 - 0.5) * 0.36
}

/// Where a recipient sits on the overview, in pixels, and where its label went (None where every spot
/// around it was taken).
struct Placed<'a> {
    iso3: &'a str,
    region: crate::domain::Region,
    point: (i32, i32),
    label: Option<Boxed>,
}

const POINT_RADIUS: i32 = 7;

impl Overview<'_> {
    fn axes(&self) -> Axes<'static> {
        let words = Words {
            subtitle: format!(
                "Overall score: weighted mean level of the instruments assessed for both (1 Very Low … 5 Very High; 0 none observed), window {}",
                window_label(self.scene.window)
            ),
            note: format!(
                "Points are spread slightly so that equal scores stay visible; above the diagonal the second benefactor leads. \
                 A code is left off where every spot next to its point is taken; the index lists every recipient. {}",
                left_out_across(self.scene, self.x, self.y)
            ),
            source: self.scene.sources.join("; "),
        };
        let legend = Legend { entries: self.scene.by_region().iter().map(|(r, _)| (Swatch::Dot(rgb(region_colour(*r))), r.label().to_string())).collect() };
        Axes::new(self.size(), &self.title(), &words, legend)
    }

    /// The pixel box the scores −0.5…5.5 span on both axes, inside the plot area (past the axis labels).
    fn data_box(plot: Boxed) -> Boxed {
        Boxed { x0: plot.x0 + OVERVIEW_Y_LABELS, y0: plot.y0 + 10, x1: plot.x1 - 30, y1: plot.y1 - OVERVIEW_X_LABELS }
    }

    /// Every recipient's point and label: each label tries 24 spots around its point (eight beside it,
    /// then eight further out, twice), in a fixed order, and takes the first that covers no point and no
    /// label placed before it.
    fn placed(&self, plot: Boxed) -> Vec<Placed<'_>> {
        let data = Self::data_box(plot);
        let to_pixel = |x: f64, y: f64| {
            let px = f64::from(data.x0) + (x + 0.5) / 6.0 * f64::from(data.x1 - data.x0);
            let py = f64::from(data.y1) - (y + 0.5) / 6.0 * f64::from(data.y1 - data.y0);
            (px.round() as i32, py.round() as i32)
        };
        let mut placed: Vec<Placed> = Vec::new();
        for (region, views) in self.scene.by_region() {
            for v in views {
                let compared = v.like_for_like(self.x, self.y);
                let (x, y) = (compared.first.score.unwrap_or(0.0), compared.second.score.unwrap_or(0.0));
                let iso3 = v.country.iso3.as_str();
                let point = to_pixel(x + jitter(iso3, 1), y + jitter(iso3, 2));
                placed.push(Placed { iso3, region, point, label: None });
            }
        }
        let dots: Vec<Boxed> = placed
            .iter()
            .map(|p| Boxed { x0: p.point.0 - POINT_RADIUS, y0: p.point.1 - POINT_RADIUS, x1: p.point.0 + POINT_RADIUS, y1: p.point.1 + POINT_RADIUS })
            .collect();
        let style = text(13.0);
        let mut labels: Vec<Boxed> = Vec::new();
        for p in &mut placed {
            let size = text_box(p.iso3, &style, (0, 0));
            let (w, h) = (size.x1, size.y1);
            let (x, y) = p.point;
            // Beside the point first, then one and two labels' heights further out.
            let spots = [POINT_RADIUS + 2, POINT_RADIUS + 2 + h, POINT_RADIUS + 2 + 2 * h].into_iter().flat_map(|gap| {
                [(x + gap, y - h / 2), (x - gap - w, y - h / 2), (x - w / 2, y - gap - h), (x - w / 2, y + gap), (x + gap, y - gap - h), (x + gap, y + gap), (x - gap - w, y - gap - h), (x - gap - w, y + gap)]
            });
            p.label = spots
                .map(|(x0, y0)| Boxed { x0, y0, x1: x0 + w, y1: y0 + h })
                .find(|b| b.x0 >= data.x0 && b.x1 <= data.x1 && b.y0 >= data.y0 && b.y1 <= data.y1 && !dots.iter().chain(&labels).any(|o| o.overlaps(b)));
            labels.extend(p.label);
        }
        placed
    }
}

const OVERVIEW_Y_LABELS: i32 = 150;
const OVERVIEW_X_LABELS: i32 = 70;

impl Plot for Overview<'_> {
    fn size(&self) -> (u32, u32) {
        (1600, 1300)
    }

    fn title(&self) -> String {
        let b = self.scene.benefactors;
        format!("{} against {}: overall influence in every recipient", b[self.x].name, b[self.y].name)
    }

    /// The recipients' codes count as text: none may cover another, the legend or a point.
    fn layout(&self) -> Layout {
        let axes = self.axes();
        let mut layout = axes.layout();
        layout.text.extend(self.placed(axes.plot).iter().filter_map(|p| p.label));
        layout
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let b = self.scene.benefactors;
        let axes = self.axes();
        let area = axes.draw(root)?;
        let mut chart = ChartBuilder::on(&area)
            .x_label_area_size(OVERVIEW_X_LABELS)
            .y_label_area_size(OVERVIEW_Y_LABELS)
            .margin_top(10)
            .margin_right(30)
            .build_cartesian_2d(-0.5f64..5.5f64, -0.5f64..5.5f64)?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(LIGHT_GREY)
            .x_labels(6)
            .y_labels(6)
            .x_label_formatter(&|v| level_axis_label(*v))
            .y_label_formatter(&|v| level_axis_label(*v))
            .x_desc(format!("{}: overall score", b[self.x].name))
            .y_desc(format!("{}: overall score", b[self.y].name))
            .label_style(text(18.0))
            .axis_desc_style(text(20.0))
            .draw()?;
        chart.draw_series(DashedLineSeries::new([(-0.5, -0.5), (5.5, 5.5)], 10, 8, GREY.stroke_width(2)))?;
        let placed = self.placed(axes.plot);
        for p in &placed {
            root.draw(&Circle::new(p.point, POINT_RADIUS, rgb(region_colour(p.region)).filled()))?;
        }
        for p in &placed {
            if let Some(label) = p.label {
                root.draw(&Text::new(p.iso3.to_string(), (label.x0, label.y0), text(13.0).color(&GREY)))?;
            }
        }
        Ok(())
    }
}
