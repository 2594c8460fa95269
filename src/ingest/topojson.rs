//! Natural Earth's country boundaries as the world-atlas project ships them (TopoJSON, ISO 3166 numeric
//! ids, `../shared/data/geo/`), decoded with serde_json and reduced to the compact table the maps are
//! drawn from (`datasets/world_map.csv`, compiled in by `domain::geo`).
//!
//! TopoJSON stores each border once, as an arc of quantised, delta-encoded positions shared by the two
//! countries it separates; a ring lists the arcs it follows (a negative index `!i` follows arc `i`
//! backwards). Decoding undoes the quantisation (`transform`), the deltas and the sharing.
//!
//! The derivation keeps the outer rings of every country but Antarctica's and the French Southern
//! Lands' (no tracked recipient is near them; dropping them lets a world map start at 58° S), at 0.1°
//! (under half a pixel of a 1,600-pixel world map), each ring drawn whole. Holes are dropped: the only
//! one at this scale is Lesotho in South Africa, and Lesotho is drawn after it (rows go largest first).
//! A tracked recipient too small to see (under `MARKER_AREA` square degrees, or missing from the coarse
//! file, as Bahrain and Singapore are) gets a marker row at the centre of its largest polygon, taken
//! from the finer file.

use std::fmt::Write;
use std::path::Path;

use serde_json::Value;

use crate::domain::geo::{ring_area, ring_centre, MARKER_AREA};
use crate::domain::CountryTable;
use crate::error::{Error, Result};

/// One country of a TopoJSON `countries` object: its name (as Natural Earth spells it) and its polygons,
/// each a list of rings (the first the outer one) of (longitude, latitude) in degrees.
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    pub name: String,
    pub polygons: Vec<Vec<Vec<(f64, f64)>>>,
}

impl Country {
    /// The polygons' outer rings, largest first.
    fn outer_rings(&self) -> Vec<&Vec<(f64, f64)>> {
        let mut rings: Vec<&Vec<(f64, f64)>> = self.polygons.iter().filter_map(|p| p.first()).collect();
        rings.sort_by(|a, b| ring_area(b).total_cmp(&ring_area(a)));
        rings
    }

    fn area(&self) -> f64 {
        self.outer_rings().iter().map(|r| ring_area(r)).sum()
    }
}

fn malformed(path: &Path, message: impl Into<String>) -> Error {
    Error::Format { path: path.to_path_buf(), message: message.into() }
}

/// The countries of the `countries` object of a TopoJSON topology. Errors: not JSON, no quantisation
/// transform, no `countries` object, an arc index out of range.
pub fn decode(path: &Path, text: &str) -> Result<Vec<Country>> {
    let topology: Value = serde_json::from_str(text).map_err(|e| malformed(path, format!("not JSON: {e}")))?;
    let pair = |v: &Value| -> Option<(f64, f64)> { Some((v.get(0)?.as_f64()?, v.get(1)?.as_f64()?)) };
    let transform = &topology["transform"];
    let (scale, translate) = pair(&transform["scale"])
        .zip(pair(&transform["translate"]))
        .ok_or_else(|| malformed(path, "no quantisation `transform` (scale, translate)"))?;
    let arcs: Vec<Vec<(f64, f64)>> = topology["arcs"]
        .as_array()
        .ok_or_else(|| malformed(path, "no `arcs`"))?
        .iter()
        .map(|arc| {
            let (mut x, mut y) = (0.0, 0.0);
            arc.as_array()
                .into_iter()
                .flatten()
                .filter_map(pair)
                .map(|(dx, dy)| {
                    x += dx;
                    y += dy;
                    (x * scale.0 + translate.0, y * scale.1 + translate.1)
                })
                .collect()
        })
        .collect();
    let ring = |indices: &Value| -> Result<Vec<(f64, f64)>> {
        let mut points: Vec<(f64, f64)> = Vec::new();
        for index in indices.as_array().into_iter().flatten() {
            let i = index.as_i64().ok_or_else(|| malformed(path, "an arc index that is not an integer"))?;
            let (arc, backwards) = if i < 0 { (!i, true) } else { (i, false) };
            let arc = arcs.get(arc as usize).ok_or_else(|| malformed(path, format!("arc {arc} of {}", arcs.len())))?;
            let mut arc = arc.clone();
            if backwards {
                arc.reverse();
            }
            // Consecutive arcs share their joining point.
            let skip = usize::from(!points.is_empty());
            points.extend(arc.into_iter().skip(skip));
        }
        Ok(points)
    };
    let polygon = |rings: &Value| -> Result<Vec<Vec<(f64, f64)>>> { rings.as_array().into_iter().flatten().map(ring).collect() };
    topology["objects"]["countries"]["geometries"]
        .as_array()
        .ok_or_else(|| malformed(path, "no `objects.countries.geometries`"))?
        .iter()
        .map(|g| {
            let name = g["properties"]["name"].as_str().unwrap_or_default().to_string();
            let polygons = match g["type"].as_str() {
                Some("Polygon") => vec![polygon(&g["arcs"])?],
                Some("MultiPolygon") => g["arcs"].as_array().into_iter().flatten().map(polygon).collect::<Result<_>>()?,
                _ => Vec::new(),
            };
            Ok(Country { name, polygons })
        })
        .collect()
}

/// Regions no tracked recipient borders, left off every map.
const LEFT_OFF: [&str; 2] = ["Antarctica", "Fr. S. Antarctic Lands"];

/// Natural Earth's short names the country table does not know, with the ISO-3 code they stand for.
const SHORT_NAMES: [(&str, &str); 12] = [
    ("Antigua and Barb.", "ATG"),
    ("St. Vin. and Gren.", "VCT"),
    ("W. Sahara", "ESH"),
    ("Dem. Rep. Congo", "COD"),
    ("Dominican Rep.", "DOM"),
    ("Central African Rep.", "CAF"),
    ("Eq. Guinea", "GNQ"),
    ("S. Sudan", "SSD"),
    ("Solomon Is.", "SLB"),
    ("Falkland Is.", "FLK"),
    ("Bosnia and Herz.", "BIH"),
    ("eSwatini", "SWZ"),
];

fn iso3_of(table: &CountryTable, name: &str) -> Option<String> {
    SHORT_NAMES
        .iter()
        .find(|(short, _)| *short == name)
        .map(|(_, iso3)| iso3.to_string())
        .or_else(|| table.country(name).map(|c| c.iso3.clone()))
}

/// A position at the table's precision, 0.1°.
fn point(out: &mut String, (lon, lat): (f64, f64)) {
    let _ = write!(out, "{:.1} {:.1}", lon, lat);
}

/// The map table: `iso3,name,kind,points`, a `ring` row per outer ring (points `lon lat` separated by
/// `;`, consecutive repeats at 0.1° dropped) and a `marker` row per small tracked recipient, rings of
/// larger countries first. `coarse` is the 1:110m topology drawn, `fine` the 1:50m one markers are
/// placed from; a country whose name the country table does not resolve (Somaliland, N. Cyprus,
/// Kosovo) is land without a code.
pub fn world_map(coarse: &[Country], fine: &[Country], table: &CountryTable) -> String {
    let mut countries: Vec<(Option<String>, &Country)> =
        coarse.iter().filter(|c| !LEFT_OFF.contains(&c.name.as_str())).map(|c| (iso3_of(table, &c.name), c)).collect();
    countries.sort_by(|a, b| b.1.area().total_cmp(&a.1.area()).then_with(|| a.1.name.cmp(&b.1.name)));
    let mut out = String::from("iso3,name,kind,points\n");
    for (iso3, country) in &countries {
        for ring in country.outer_rings() {
            let mut points = String::new();
            let mut last = String::new();
            for p in across_the_antimeridian(ring) {
                let mut here = String::new();
                point(&mut here, p);
                if here != last {
                    if !points.is_empty() {
                        points.push(';');
                    }
                    points.push_str(&here);
                    last = here;
                }
            }
            // An islet smaller than the precision is no ring.
            if points.matches(';').count() >= 2 {
                let _ = writeln!(out, "{},{},ring,{points}", iso3.as_deref().unwrap_or(""), csv_name(&country.name));
            }
        }
    }
    let fine_by_iso3: Vec<(Option<String>, &Country)> = fine.iter().map(|c| (iso3_of(table, &c.name), c)).collect();
    for country in table.countries().iter().filter(|c| c.is_tracked_recipient()) {
        let drawn = countries.iter().find(|(iso3, _)| iso3.as_deref() == Some(country.iso3.as_str()));
        if drawn.is_some_and(|(_, c)| c.area() >= MARKER_AREA) {
            continue;
        }
        let Some((_, source)) = fine_by_iso3.iter().find(|(iso3, _)| iso3.as_deref() == Some(country.iso3.as_str())).or(drawn) else { continue };
        let Some(largest) = source.outer_rings().first().copied() else { continue };
        let mut points = String::new();
        point(&mut points, ring_centre(largest));
        let _ = writeln!(out, "{},{},marker,{points}", country.iso3, csv_name(&country.name));
    }
    out
}

/// A ring that crosses 180° (Russia's Chukotka, Fiji) continued past it, east longitudes beyond 180°,
/// rather than drawn back across the whole map; a world map cuts it at its edge.
fn across_the_antimeridian(ring: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let crosses = ring.windows(2).any(|w| (w[0].0 - w[1].0).abs() > 180.0);
    ring.iter().map(|&(lon, lat)| if crosses && lon < 0.0 { (lon + 360.0, lat) } else { (lon, lat) }).collect()
}

/// Names here carry no comma or quote but Côte d'Ivoire's apostrophe, which CSV leaves alone.
fn csv_name(name: &str) -> String {
    name.replace(',', " ")
}

/// Where the raw boundaries are, relative to the project folder.
pub const COARSE_FILE: &str = "../shared/data/geo/countries-110m.json";
pub const FINE_FILE: &str = "../shared/data/geo/countries-50m.json";

/// The map table derived from the two raw files, and its provenance (each file's SHA-256, the
/// table's). Errors: a file that cannot be read or decoded.
pub fn derive(coarse: &Path, fine: &Path) -> Result<(String, crate::ingest::Provenance)> {
    use crate::ingest::provenance::{Counts, Input, Provenance};
    let read = |path: &Path| std::fs::read_to_string(path).map_err(|source| Error::Read { path: path.to_path_buf(), source });
    let (coarse_text, fine_text) = (read(coarse)?, read(fine)?);
    let table = world_map(&decode(coarse, &coarse_text)?, &decode(fine, &fine_text)?, CountryTable::builtin());
    let file_name = |path: &Path| path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let sha = |text: &str| crate::ingest::sha256_hex(text.as_bytes());
    let rows = table.lines().count() - 1;
    let provenance = Provenance {
        table: "world_map.csv".into(),
        source: "Natural Earth 1:110m and 1:50m admin-0 countries, as TopoJSON by the world-atlas project".into(),
        citation: "Natural Earth (public domain), via world-atlas 2 (c) Michael Bostock, ISC licence".into(),
        imported_on: crate::ingest::provenance::today(),
        mdime_version: env!("CARGO_PKG_VERSION").into(),
        method: "outer rings of the 1:110m countries at 0.1°, Antarctica and the French Southern Lands left off; a marker \
                 at the centre of the largest 1:50m polygon of each tracked recipient under 2.5 square degrees or missing at 1:110m"
            .into(),
        table_sha256: sha(&table),
        counts: Counts { rows_written: rows, ..Counts::default() },
        inputs: vec![
            Input::file(file_name(coarse), sha(&coarse_text), "outlines drawn".into()),
            Input::file(file_name(fine), sha(&fine_text), "markers of small recipients".into()),
        ],
        ..Provenance::default()
    };
    Ok((table, provenance))
}
