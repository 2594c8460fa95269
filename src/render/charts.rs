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
    benefactor_colour, format_value, level_abbreviation, level_colour, region_colour, trend_arrow, RecipientView, Rgb, Scene,
    Series, YearlyIndicator, LEVELS,
};
use crate::domain::{CurrentLevel, Instrument, Trend};
use crate::error::{Error, Result};
use crate::indicators::Window;

/// The font family as plotters registers it and as SVG names it: SVG viewers without DejaVu fall back to
/// their own sans-serif.
const FONT: &str = "DejaVu Sans, sans-serif";
const GREY: RGBColor = RGBColor(0x55, 0x55, 0x55);
const LIGHT_GREY: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);

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

fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

fn text<'a>(size: f64) -> TextStyle<'a> {
    TextStyle::from((FONT, size).into_font()).color(&BLACK)
}

fn bold<'a>(size: f64) -> TextStyle<'a> {
    TextStyle::from((FONT, size, FontStyle::Bold).into_font()).color(&BLACK)
}

fn centred(style: TextStyle<'_>) -> TextStyle<'_> {
    style.pos(Pos::new(HPos::Center, VPos::Center))
}

type DrawResult<DB> = std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A chart that can be drawn on any plotters backend.
pub trait Plot {
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32);
    fn title(&self) -> String;
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

/// White background, title and subtitle above, the note and the data source below; returns the area
/// left for the chart itself.
fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
    note: &str,
    source: &str,
) -> std::result::Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let (width, height) = root.dim_in_pixel();
    root.draw(&Text::new(title.to_string(), (40, 22), bold(32.0)))?;
    root.draw(&Text::new(subtitle.to_string(), (40, 66), text(20.0).color(&GREY)))?;
    // The note and the source line wrap, bottom up, rather than run off the canvas.
    let max_width = width.saturating_sub(80);
    let source = wrap(root, &format!("Source: {source}"), &text(16.0), max_width)?;
    let note = wrap(root, note, &text(16.0), max_width)?;
    let lines: Vec<(&String, TextStyle)> =
        note.iter().map(|l| (l, text(16.0))).chain(source.iter().map(|l| (l, text(16.0).color(&GREY)))).collect();
    let mut y = height as i32 - 36 - FOOT_LINE * (lines.len() as i32 - 1);
    for (line, style) in lines {
        root.draw(&Text::new(line.clone(), (40, y), style))?;
        y += FOOT_LINE;
    }
    // One line each of note and source fit the standard bottom margin; more push the plot up.
    let extra = (note.len().max(1) + source.len()).saturating_sub(2) as i32;
    Ok(root.margin(104, 84 + FOOT_LINE * extra, 30, 40))
}

/// Height of a line of the note and source under a chart.
const FOOT_LINE: i32 = 30;

/// `text` broken at spaces into lines no wider than `max_width` pixels in `style`.
fn wrap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_width: u32,
) -> std::result::Result<Vec<String>, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut lines: Vec<String> = Vec::new();
    if text.is_empty() {
        return Ok(lines);
    }
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(line) if root.estimate_text_size(&format!("{line} {word}"), style)?.0 <= max_width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    Ok(lines)
}

/// The boxed legend of the charts with axes, in the corner their data leaves free.
fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(chart: &mut ChartContext<'a, DB, CT>, position: SeriesLabelPosition) -> DrawResult<DB> {
    // Swatches are up to 30 pixels wide: the label starts clear of them.
    chart
        .configure_series_labels()
        .position(position)
        .legend_area_size(44)
        .background_style(WHITE.mix(0.9))
        .border_style(GREY)
        .label_font(text(18.0))
        .draw()
}

fn window_label(window: Window) -> String {
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

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let sources = self.view.sources().join("; ");
        let subtitle = format!("Current influence level per instrument, assessment window {}", window_label(self.window));
        let area = frame(root, &self.title(), &subtitle, LEGEND_NOTE, if sources.is_empty() { "no source covers any instrument" } else { &sources })?;
        let mut chart = ChartBuilder::on(&area)
            .x_label_area_size(70)
            .y_label_area_size(150)
            .margin_top(10)
            // Headroom above Very High and its arrows holds the legend clear of every bar.
            .build_cartesian_2d(-0.5f64..11.5f64, -0.7f64..6.6f64)?;
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
            chart
                .draw_series(bars)?
                .label(pair.benefactor.name.clone())
                .legend(move |(x, y)| Rectangle::new([(x, y - 8), (x + 24, y + 8)], colour.filled()));
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
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    }
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

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let subtitle = format!("Members where each benefactor's level is the highest, window {}", window_label(self.scene.window));
        let note = "Solid: leads alone. Light: shares the highest level with another benefactor. A member where a benefactor is not assessed counts for no one.";
        let sources = self.scene.sources.join("; ");
        let area = frame(root, &self.title(), &subtitle, note, &sources)?;
        let members = self.summary.assessed_members.len().max(1) as f64;
        let categories = Instrument::ALL.len() + 1;
        let mut chart = ChartBuilder::on(&area)
            .x_label_area_size(70)
            .y_label_area_size(90)
            .margin_top(10)
            .build_cartesian_2d(-0.5f64..(categories as f64 - 0.5), 0f64..(members * 1.3))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(LIGHT_GREY)
            .x_labels(categories)
            .x_label_formatter(&|x| Instrument::ALL.get(x.round() as usize).map_or("Overall".to_string(), |i| i.code().to_string()))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .x_desc("Instrument")
            .y_desc("Members")
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
            chart
                .draw_series(bars)?
                .label(benefactor.name.clone())
                .legend(move |(x, y)| Rectangle::new([(x, y - 8), (x + 24, y + 8)], colour.filled()));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)
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
    /// The first benefactor's level minus the second's, in steps of the scale (Unobserved counts 0).
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

    /// The cell's colour and text for one recipient (index in the scene) and instrument (None: overall).
    fn cell(&self, view: &RecipientView, instrument: Option<Instrument>) -> (Rgb, String) {
        let rating = |b: usize| {
            let pair = &view.pairs[b];
            instrument.map_or(pair.overall, |i| pair.rating(i))
        };
        match self.kind {
            HeatmapKind::Levels(b) => {
                let a = rating(b);
                let arrow = if a.projected == Trend::Unknown || a.current == CurrentLevel::NotAssessed { "" } else { trend_arrow(a.projected) };
                (level_colour(a.current), format!("{}{arrow}", level_abbreviation(a.current)))
            }
            HeatmapKind::Difference(first, second) => {
                let (x, y) = (rating(first).current, rating(second).current);
                if x == CurrentLevel::NotAssessed || y == CurrentLevel::NotAssessed {
                    return (level_colour(CurrentLevel::NotAssessed), "n/a".into());
                }
                let d = i32::from(x.rank().unwrap_or(0)) - i32::from(y.rank().unwrap_or(0));
                let b = self.scene.benefactors;
                (difference_colour(d, &b[first], &b[second]), format!("{d:+}").replace("+0", "0").replace('-', "−"))
            }
        }
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
        let width = LABEL_WIDTH + 13 * CELL_WIDTH + 80;
        (width.max(1400) as u32, (GRID_TOP + self.grid_height() + 190) as u32)
    }

    fn title(&self) -> String {
        let b = self.scene.benefactors;
        match self.kind {
            HeatmapKind::Levels(i) => format!("{}: current influence by recipient and instrument", b[i].name),
            HeatmapKind::Difference(x, y) => format!("{} minus {}: difference in current influence level", b[x].name, b[y].name),
        }
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
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
                    "Positive (shaded {}): {} ahead.   Negative (shaded {}): {} ahead.   n/a: either is Not assessed.",
                    colour_name(x),
                    b[x].name,
                    colour_name(y),
                    b[y].name
                ),
            ),
        };
        frame(root, &self.title(), &subtitle, &note, &self.scene.sources.join("; "))?;

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
                    let (colour, label) = self.cell(view, *instrument);
                    root.draw(&Rectangle::new([(x + 1, y + 1), (x + CELL_WIDTH - 1, y + ROW - 1)], rgb(colour).filled()))?;
                    root.draw(&Rectangle::new([(x + 1, y + 1), (x + CELL_WIDTH - 1, y + ROW - 1)], LIGHT_GREY.stroke_width(1)))?;
                    let ink = rgb(colour.ink());
                    root.draw(&Text::new(label, (x + CELL_WIDTH / 2, y + ROW / 2), centred(text(14.0).color(&ink))))?;
                }
                y += ROW;
            }
        }

        // The legend, below the grid.
        let y = y + 24;
        root.draw(&Text::new("Legend:", (40, y + 12), bold(16.0).pos(Pos::new(HPos::Left, VPos::Center))))?;
        let swatches: Vec<(Rgb, String)> = match self.kind {
            HeatmapKind::Levels(_) => LEVELS.iter().map(|&l| (level_colour(l), format!("{} {}", level_abbreviation(l), l.label()))).collect(),
            HeatmapKind::Difference(x, yy) => (-5..=5)
                .rev()
                .map(|d| (difference_colour(d, &self.scene.benefactors[x], &self.scene.benefactors[yy]), format!("{d:+}").replace("+0", "0").replace('-', "−")))
                .chain([(level_colour(CurrentLevel::NotAssessed), "n/a".to_string())])
                .collect(),
        };
        let swatch_width = if matches!(self.kind, HeatmapKind::Levels(_)) { 170 } else { 90 };
        for (i, (colour, label)) in swatches.into_iter().enumerate() {
            let x = 130 + i as i32 * swatch_width;
            root.draw(&Rectangle::new([(x, y), (x + 24, y + 24)], rgb(colour).filled()))?;
            root.draw(&Rectangle::new([(x, y), (x + 24, y + 24)], GREY.stroke_width(1)))?;
            root.draw(&Text::new(label, (x + 30, y + 12), text(15.0).pos(Pos::new(HPos::Left, VPos::Center))))?;
        }
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

impl Plot for TimeSeries<'_> {
    fn size(&self) -> (u32, u32) {
        (1600, 900)
    }

    fn title(&self) -> String {
        let i = self.yearly.instrument;
        format!("{}: {} {}, {} by year", self.view.country.name, i.code(), i.name(), self.yearly.indicator)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let projections: Vec<Option<Projected>> = self.yearly.series.iter().map(Projected::of).collect();
        let projected = projections.iter().any(Option::is_some);
        let subtitle = format!("Each benefactor's yearly value, {}, in {}", window_label(self.window), self.yearly.unit);
        let note = if projected {
            format!(
                "Projection: expected mean of the next three years (Theil-Sen trend over the last {} years where Mann-Kendall finds one, \
                 else their level), drawn flat across them with its {:.0}% interval from past errors shaded. Scheduled events in the evidence logs may override the direction.",
                crate::project::HISTORY_YEARS,
                crate::project::INTERVAL * 100.0
            )
        } else {
            String::new()
        };
        let area = frame(root, &self.title(), &subtitle, &note, self.yearly.source)?;
        let max = self
            .yearly
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.1))
            .chain(projections.iter().flatten().map(Projected::top))
            .fold(0.0, f64::max);
        let top = if max > 0.0 { max * 1.12 } else { 1.0 };
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
        let colour_of = |series: &Series| {
            let index = self.view.pairs.iter().position(|p| p.benefactor == series.benefactor).unwrap_or(0);
            (index, rgb(benefactor_colour(series.benefactor)))
        };
        // Bands first, so that no line is drawn under another benefactor's shading.
        for (series, projection) in self.yearly.series.iter().zip(&projections) {
            if let Some(Projected { years: (first, last), band: Some((lower, upper)), .. }) = projection {
                let (_, colour) = colour_of(series);
                let corners = vec![(*first, *upper), (*last, *upper), (*last, *lower), (*first, *lower)];
                chart.draw_series(std::iter::once(Polygon::new(corners, colour.mix(BAND_OPACITY).filled())))?;
            }
        }
        for (series, projection) in self.yearly.series.iter().zip(&projections) {
            let (index, colour) = colour_of(series);
            // Dashes for the second benefactor: the two stay apart even without colour.
            let style = colour.stroke_width(3);
            let name = &series.benefactor.name;
            if index % 2 == 0 {
                chart.draw_series(LineSeries::new(series.points.iter().copied(), style))?
                    .label(name.clone())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 30, y)], style));
            } else {
                chart.draw_series(DashedLineSeries::new(series.points.iter().copied(), 14, 8, style))?
                    .label(name.clone())
                    .legend(move |(x, y)| DashedPathElement::new(vec![(x, y), (x + 30, y)], 14, 8, style));
            }
            chart.draw_series(series.points.iter().map(|&p| Circle::new(p, 5, colour.filled())))?;
            let Some(projection) = projection else { continue };
            // Short dashes, unlike either benefactor's data, and an open circle at the horizon.
            let thin = colour.stroke_width(2);
            let (first, last) = projection.years;
            chart
                .draw_series(DashedLineSeries::new(projection.path(), 5, 5, thin))?
                .label(format!("{name}: projected mean {first}-{last}"))
                .legend(move |(x, y)| DashedPathElement::new(vec![(x, y), (x + 30, y)], 5, 5, thin));
            chart.draw_series(std::iter::once(Circle::new((last, projection.mean), 6, colour.stroke_width(2))))?;
            if projection.band.is_some() {
                chart
                    .draw_series(std::iter::empty::<Polygon<(i32, f64)>>())?
                    .label(format!("{name}: {:.0}% interval", crate::project::INTERVAL * 100.0))
                    .legend(move |(x, y)| Rectangle::new([(x, y - 8), (x + 30, y + 8)], colour.mix(BAND_OPACITY).filled()));
            }
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)
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

impl Plot for Overview<'_> {
    fn size(&self) -> (u32, u32) {
        (1600, 1300)
    }

    fn title(&self) -> String {
        let b = self.scene.benefactors;
        format!("{} against {}: overall influence in every recipient", b[self.x].name, b[self.y].name)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let b = self.scene.benefactors;
        let subtitle = format!(
            "Overall score: mean level of the three strongest instruments (1 Very Low … 5 Very High; 0 none observed), window {}",
            window_label(self.scene.window)
        );
        let note = "Points are spread slightly so that equal scores stay visible; above the diagonal the second benefactor leads.";
        let area = frame(root, &self.title(), &subtitle, note, &self.scene.sources.join("; "))?;
        let mut chart = ChartBuilder::on(&area)
            .x_label_area_size(70)
            .y_label_area_size(150)
            .margin_top(10)
            .margin_right(30)
            .build_cartesian_2d(
                -0.5f64..5.5f64,
                -0.5f64..5.5f64,
            )?;
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
        for (region, views) in self.scene.by_region() {
            let colour = rgb(region_colour(region));
            let points: Vec<(f64, f64, &str)> = views
                .iter()
                .map(|v| {
                    let score = |i: usize| v.pairs.get(i).and_then(|p| p.overall.score).unwrap_or(0.0);
                    let iso3 = v.country.iso3.as_str();
                    (score(self.x) + jitter(iso3, 1), score(self.y) + jitter(iso3, 2), iso3)
                })
                .collect();
            chart
                .draw_series(points.iter().map(|&(x, y, _)| Circle::new((x, y), 7, colour.filled())))?
                .label(region.label())
                .legend(move |(x, y)| Circle::new((x + 10, y), 7, colour.filled()));
            chart.draw_series(
                points.iter().map(|&(x, y, iso3)| Text::new(iso3.to_string(), (x + 0.04, y + 0.04), text(13.0).color(&GREY))),
            )?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    }
}
