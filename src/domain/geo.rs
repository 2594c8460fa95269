//! The world's country outlines the maps are drawn from: `datasets/world_map.csv`, derived from Natural
//! Earth's 1:110m and 1:50m boundaries (`ingest::topojson::world_map`, provenance in
//! `datasets/world_map.provenance.toml`) and compiled in, so that an installed binary draws maps
//! without the raw files.

use std::sync::OnceLock;

const WORLD_MAP_CSV: &str = include_str!("../../datasets/world_map.csv");

/// Below this area (square degrees, about 25,000 km² at the equator: Djibouti, Rwanda, Lebanon) a
/// country's polygon is a few pixels on a world map, and it gets a marker besides.
pub const MARKER_AREA: f64 = 2.5;

/// One row of the map table: an outline, or the marker of a small country.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// ISO 3166 alpha-3; empty for land the country table has no code for.
    pub iso3: String,
    pub name: String,
    pub kind: ShapeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ShapeKind {
    /// An outer ring of (longitude, latitude) in degrees.
    Ring(Vec<(f64, f64)>),
    /// Where a small country is, (longitude, latitude).
    Marker((f64, f64)),
}

/// Every shape of the map table, in its order (larger countries first, then markers).
#[derive(Debug)]
pub struct WorldMap {
    pub shapes: Vec<Shape>,
}

impl WorldMap {
    /// The compiled-in table. Its integrity is checked by the test suite (it is re-derived there from
    /// the raw files), so a malformed row is a build defect.
    pub fn builtin() -> &'static WorldMap {
        static MAP: OnceLock<WorldMap> = OnceLock::new();
        MAP.get_or_init(|| WorldMap::parse(WORLD_MAP_CSV).unwrap_or_else(|e| panic!("the built-in world map is malformed: {e}")))
    }

    /// Reads the table written by `ingest::topojson::world_map`. Errors name the line at fault.
    pub fn parse(text: &str) -> Result<WorldMap, String> {
        let mut shapes = Vec::new();
        for (n, line) in text.lines().enumerate().skip(1) {
            let fields: Vec<&str> = line.splitn(4, ',').collect();
            let [iso3, name, kind, points] = fields[..] else { return Err(format!("line {}: four fields expected", n + 1)) };
            let points: Vec<(f64, f64)> = points
                .split(';')
                .map(|p| {
                    let (lon, lat) = p.split_once(' ')?;
                    Some((lon.parse().ok()?, lat.parse().ok()?))
                })
                .collect::<Option<_>>()
                .ok_or_else(|| format!("line {}: points are `lon lat` pairs separated by `;`", n + 1))?;
            let kind = match (kind, points.as_slice()) {
                ("ring", [_, _, _, ..]) => ShapeKind::Ring(points),
                ("marker", [p]) => ShapeKind::Marker(*p),
                _ => return Err(format!("line {}: a ring of three points or more, or a marker of one", n + 1)),
            };
            shapes.push(Shape { iso3: iso3.to_string(), name: name.to_string(), kind });
        }
        Ok(WorldMap { shapes })
    }
}

/// The area of a ring in square degrees (shoelace formula; either winding).
pub fn ring_area(ring: &[(f64, f64)]) -> f64 {
    signed_area(ring).abs()
}

fn signed_area(ring: &[(f64, f64)]) -> f64 {
    let n = ring.len();
    (0..n).map(|i| {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        a.0 * b.1 - b.0 * a.1
    }).sum::<f64>()
        / 2.0
}

/// The centroid of a ring (its first point for a ring of no area), in degrees.
pub fn ring_centre(ring: &[(f64, f64)]) -> (f64, f64) {
    let area = signed_area(ring);
    if area.abs() < 1e-12 {
        return ring.first().copied().unwrap_or((0.0, 0.0));
    }
    let n = ring.len();
    let (mut x, mut y) = (0.0, 0.0);
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        let cross = a.0 * b.1 - b.0 * a.1;
        x += (a.0 + b.0) * cross;
        y += (a.1 + b.1) * cross;
    }
    (x / (6.0 * area), y / (6.0 * area))
}
