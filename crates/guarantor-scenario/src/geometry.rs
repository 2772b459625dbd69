//! The GeoJSON files of a scenario: contact line, occupied area, country outlines, air and sea areas.
//!
//! Each feature is located in its file (so a problem points at the feature's line), converted to `geo` types,
//! checked for coordinates that cannot be right and for invalid polygons, and given RFC 7946 winding.

use std::collections::BTreeMap;

use geo::{BoundingRect, Orient, Validation, orient::Direction};
use geo_types::{Geometry, MultiLineString, MultiPolygon, Point, Polygon};
use guarantor_core::{
    Area, AreaId, AreaKind, Country, DatedArea, Level, Location, NamedPlace, NationCode, Region,
    Theatre,
};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::diag::{Sink, one_of};
use crate::model::{GeometryPaths, Ref, duplicate};
use crate::sources::{File, SourceSet};

/// The box (longitude, latitude) that sites, nodes and theatre geometry must fall in.
pub(crate) const EUROPE_LON: (f64, f64) = (-25.0, 50.0);
/// See [`EUROPE_LON`].
pub(crate) const EUROPE_LAT: (f64, f64) = (34.0, 72.0);

pub(crate) fn in_europe(lon: f64, lat: f64) -> bool {
    (EUROPE_LON.0..=EUROPE_LON.1).contains(&lon) && (EUROPE_LAT.0..=EUROPE_LAT.1).contains(&lat)
}

struct Feature {
    at: Location,
    /// `<file>: features[i]`, for diagnostics.
    field: String,
    geometry: Geometry<f64>,
    properties: serde_json::Map<String, serde_json::Value>,
    /// From a file byte-identical to the built-in default's: its polygons were validated by a test, and the
    /// OGC validity check (a third of a plan's load time on the default) is not run again.
    known_valid: bool,
}

#[derive(Deserialize)]
struct Collection<'a> {
    #[serde(rename = "type")]
    kind: String,
    #[serde(borrow)]
    features: Vec<&'a RawValue>,
}

/// The byte offset of `part` in `text`, when `part` borrows from it (a `RawValue` parsed from `text`): its
/// address gives its place in the file, without a second parser.
pub(crate) fn offset_in(text: &str, part: &str) -> usize {
    (part.as_ptr() as usize)
        .saturating_sub(text.as_ptr() as usize)
        .min(text.len())
}

/// Reads a FeatureCollection file named by `path` (a field of scenario.toml). `None` when it cannot be used.
fn read_features(
    sources: &SourceSet,
    (path, field): &(Ref, String),
    sink: &mut Sink,
) -> Option<Vec<Feature>> {
    let text = named_file(
        sources,
        (path, field),
        "geometry/contact_line.geojson",
        sink,
    )?;
    let file = File::new(&path.name, text);
    let known_valid = SourceSet::is_builtin_text(&path.name, text);
    let collection: Collection<'_> = match serde_json::from_str(text) {
        Ok(c) => c,
        Err(e) => {
            let at = offset_of_line_col(text, e.line(), e.column());
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message);
            sink.error(
                &file,
                at..at,
                "bad-geojson",
                "",
                format!("invalid GeoJSON: {message}"),
            )
            .expected("a GeoJSON FeatureCollection (RFC 7946)");
            return None;
        }
    };
    if collection.kind != "FeatureCollection" {
        sink.error(
            &file,
            0..0,
            "bad-geojson",
            "type",
            format!("`type` is \"{}\"", collection.kind),
        )
        .expected("\"FeatureCollection\"");
        return None;
    }
    let mut features = Vec::new();
    let mut ok = true;
    for (i, raw) in collection.features.iter().enumerate() {
        let start = offset_in(text, raw.get());
        let span = start..start + 1;
        let field = format!("features[{i}]");
        let feature: geojson::Feature = match serde_json::from_str(raw.get()) {
            Ok(f) => f,
            Err(e) => {
                sink.error(
                    &file,
                    span,
                    "bad-geojson",
                    field,
                    format!("feature {} is not a valid GeoJSON feature: {e}", i + 1),
                )
                .expected("{\"type\": \"Feature\", \"properties\": {…}, \"geometry\": {…}}");
                ok = false;
                continue;
            }
        };
        let Some(geometry) = feature.geometry else {
            sink.error(
                &file,
                span,
                "bad-geojson",
                field,
                format!("feature {} has no geometry", i + 1),
            );
            ok = false;
            continue;
        };
        // geojson accepts positions with fewer than two numbers, then panics converting them: refuse them first.
        if let Some(short) = short_position(&geometry.value) {
            sink.error(
                &file,
                span,
                "bad-coordinates",
                field,
                format!("feature {} has a position with {short} number(s)", i + 1),
            )
            .expected("positions of [longitude, latitude]");
            ok = false;
            continue;
        }
        let geometry: Geometry<f64> = match Geometry::try_from(geometry) {
            Ok(g) => g,
            Err(e) => {
                sink.error(
                    &file,
                    span,
                    "bad-geojson",
                    field,
                    format!("feature {}: {e}", i + 1),
                );
                ok = false;
                continue;
            }
        };
        if let Some(bad) = coordinates(&geometry).find(|c| {
            !(c.x.is_finite() && c.y.is_finite() && c.x.abs() <= 180.0 && c.y.abs() <= 90.0)
        }) {
            sink.error(
                &file,
                span,
                "bad-coordinates",
                field,
                format!(
                    "feature {} has a coordinate that is not a longitude/latitude: [{}, {}]",
                    i + 1,
                    bad.x,
                    bad.y
                ),
            )
            .expected("[longitude, latitude] in degrees, longitude -180..180, latitude -90..90");
            ok = false;
            continue;
        }
        features.push(Feature {
            at: file.location(span),
            field: format!("{}: features[{i}]", path.name),
            geometry,
            properties: feature.properties.unwrap_or_default(),
            known_valid,
        });
    }
    ok.then_some(features)
}

/// The length of the first position with fewer than two numbers, if any.
fn short_position(value: &geojson::GeometryValue) -> Option<usize> {
    use geojson::GeometryValue as V;
    let short = |p: &geojson::Position| (p.len() < 2).then_some(p.len());
    match value {
        V::Point { coordinates } => short(coordinates),
        V::MultiPoint { coordinates } | V::LineString { coordinates } => {
            coordinates.iter().find_map(short)
        }
        V::MultiLineString { coordinates } | V::Polygon { coordinates } => {
            coordinates.iter().flatten().find_map(short)
        }
        V::MultiPolygon { coordinates } => coordinates.iter().flatten().flatten().find_map(short),
        V::GeometryCollection { geometries } => {
            geometries.iter().find_map(|g| short_position(&g.value))
        }
    }
}

fn offset_of_line_col(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let line_text = text[line_start.min(text.len())..]
        .lines()
        .next()
        .unwrap_or("");
    let col: usize = line_text
        .chars()
        .take(column.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    (line_start + col).min(text.len())
}

fn coordinates(geometry: &Geometry<f64>) -> Box<dyn Iterator<Item = geo_types::Coord<f64>> + '_> {
    use geo::CoordsIter;
    Box::new(geometry.coords_iter())
}

fn type_name(geometry: &Geometry<f64>) -> &'static str {
    match geometry {
        Geometry::Point(_) => "Point",
        Geometry::Line(_) => "Line",
        Geometry::LineString(_) => "LineString",
        Geometry::Polygon(_) => "Polygon",
        Geometry::MultiPoint(_) => "MultiPoint",
        Geometry::MultiLineString(_) => "MultiLineString",
        Geometry::MultiPolygon(_) => "MultiPolygon",
        Geometry::GeometryCollection(_) => "GeometryCollection",
        Geometry::Rect(_) => "Rect",
        Geometry::Triangle(_) => "Triangle",
    }
}

/// Checks that a file's coordinates are where a theatre in Europe can be; catches swapped axes.
fn plausible(feature: &Feature, sink: &mut Sink) -> bool {
    let Some(rect) = feature.geometry.bounding_rect() else {
        return true;
    };
    let c = rect.center();
    if in_europe(c.x, c.y) {
        return true;
    }
    let b = sink.at(
        Level::Error,
        feature.at.clone(),
        "implausible-coordinates",
        feature.field.clone(),
        format!(
            "the feature lies around longitude {:.2}, latitude {:.2}, far outside Europe",
            c.x, c.y
        ),
    );
    if in_europe(c.y, c.x) {
        b.expected("[longitude, latitude] order")
            .help("longitude and latitude look swapped: GeoJSON writes [longitude, latitude]");
    } else {
        b.expected(format!(
            "coordinates in longitude {}..{}, latitude {}..{}",
            EUROPE_LON.0, EUROPE_LON.1, EUROPE_LAT.0, EUROPE_LAT.1
        ));
    }
    false
}

/// Polygons of a feature, valid and with RFC 7946 winding; problems reported.
fn polygons(feature: &Feature, sink: &mut Sink) -> Option<Vec<Polygon<f64>>> {
    let polys = match &feature.geometry {
        Geometry::Polygon(p) => vec![p.clone()],
        Geometry::MultiPolygon(mp) => mp.0.clone(),
        other => {
            sink.at(
                Level::Error,
                feature.at.clone(),
                "wrong-geometry",
                feature.field.clone(),
                format!("found a {} where an area was expected", type_name(other)),
            )
            .expected("a Polygon or MultiPolygon");
            return None;
        }
    };
    let mp = MultiPolygon::new(polys);
    let errors = if feature.known_valid {
        Vec::new()
    } else {
        mp.validation_errors()
    };
    if let Some(first) = errors.first() {
        let more = if errors.len() > 1 {
            format!(" (and {} more problems)", errors.len() - 1)
        } else {
            String::new()
        };
        sink.at(
            Level::Error,
            feature.at.clone(),
            "invalid-geometry",
            feature.field.clone(),
            format!("invalid polygon: {first}{more}"),
        )
        .expected("closed rings that do not cross themselves or each other (OGC simple features)");
        return None;
    }
    Some(mp.orient(Direction::Default).0)
}

/// Reads every geometry file scenario.toml names into a theatre: one function per file, in this order (the
/// places are matched to the regions of the admin-1 file).
pub(crate) fn read_theatre(
    sources: &SourceSet,
    paths: &GeometryPaths,
    sink: &mut Sink,
) -> Option<Theatre> {
    let mut theatre = Theatre {
        attribution: paths.attribution.clone(),
        ..Theatre::default()
    };
    let mut ok = true;
    if let Some(path) = &paths.contact_line {
        ok &= read_contact_line(sources, path, &mut theatre, sink);
    }
    if let Some(path) = &paths.occupied_area {
        ok &= read_occupied_area(sources, path, &mut theatre, sink);
    }
    if let Some(path) = &paths.occupied_series {
        ok &= read_occupied_series(sources, path, &mut theatre, sink);
    }
    if let Some(path) = &paths.countries {
        ok &= read_countries(sources, path, &mut theatre, sink);
    }
    if let Some(path) = &paths.areas {
        ok &= read_areas(sources, path, &mut theatre, sink);
    }
    if let Some(path) = &paths.admin1 {
        ok &= read_regions(sources, path, &mut theatre, sink);
    }
    if let Some(path) = &paths.places {
        match read_places(sources, path, &theatre.regions, sink) {
            Some(places) => theatre.places = places,
            None => ok = false,
        }
    }
    ok.then_some(theatre)
}

/// The contact line file (LineString and MultiLineString features) into `theatre.contact_line`; false when
/// something is wrong (reported).
fn read_contact_line(
    sources: &SourceSet,
    path: &(Ref, String),
    theatre: &mut Theatre,
    sink: &mut Sink,
) -> bool {
    let mut lines = Vec::new();
    let mut ok = each_feature(sources, path, sink, |f, sink| match &f.geometry {
        Geometry::LineString(l) => {
            lines.push(l.clone());
            true
        }
        Geometry::MultiLineString(ml) => {
            lines.extend(ml.0.iter().cloned());
            true
        }
        other => {
            sink.at(
                Level::Error,
                f.at.clone(),
                "wrong-geometry",
                f.field.clone(),
                format!("found a {} in the contact line", type_name(other)),
            )
            .expected("LineString or MultiLineString features");
            false
        }
    });
    if lines.is_empty() && ok {
        sink.at(
            Level::Error,
            path.0.at.clone(),
            "empty-geometry",
            path.1.clone(),
            "the contact line file has no lines",
        )
        .expected("at least one LineString");
        ok = false;
    }
    theatre.contact_line = MultiLineString::new(lines);
    ok
}

/// The occupied area file (polygons) into `theatre.occupied_area`; false when something is wrong (reported).
fn read_occupied_area(
    sources: &SourceSet,
    path: &(Ref, String),
    theatre: &mut Theatre,
    sink: &mut Sink,
) -> bool {
    let mut polys = Vec::new();
    let ok = each_feature(sources, path, sink, |f, sink| match polygons(f, sink) {
        Some(p) => {
            polys.extend(p);
            true
        }
        None => false,
    });
    theatre.occupied_area = MultiPolygon::new(polys);
    ok
}

/// The occupied area's series file (one outline per `date`) into `theatre.occupied_series`, by date; false
/// when something is wrong (reported).
fn read_occupied_series(
    sources: &SourceSet,
    path: &(Ref, String),
    theatre: &mut Theatre,
    sink: &mut Sink,
) -> bool {
    let series = &mut theatre.occupied_series;
    let ok = each_feature(sources, path, sink, |f, sink| {
        let day = property(f, "date", sink);
        let mut bad = |code, message: String, expected: &str| {
            sink.at(
                Level::Error,
                f.at.clone(),
                code,
                format!("{}.properties.date", f.field),
                message,
            )
            .expected(expected);
        };
        let date = day.and_then(|d| {
            let date = d.parse::<jiff::civil::Date>().ok();
            if date.is_none() {
                bad(
                    "bad-value",
                    format!("`{d}` is not a day"),
                    "a day, YYYY-MM-DD",
                );
            }
            date
        });
        if let Some(date) = date
            && series.iter().any(|a| a.date == date)
        {
            bad(
                "duplicate-id",
                format!("the series has two outlines for {date}"),
                "one outline per day",
            );
            return false;
        }
        match (date, polygons(f, sink)) {
            (Some(date), Some(p)) => {
                series.push(DatedArea {
                    date,
                    shape: MultiPolygon::new(p),
                });
                true
            }
            _ => false,
        }
    });
    theatre.occupied_series.sort_by_key(|a| a.date);
    ok
}

/// The country outlines file (`iso3`, `name`) into `theatre.countries`; false when something is wrong
/// (reported).
fn read_countries(
    sources: &SourceSet,
    path: &(Ref, String),
    theatre: &mut Theatre,
    sink: &mut Sink,
) -> bool {
    let Some(features) = read_features(sources, path, sink) else {
        return false;
    };
    let mut ok = true;
    for f in &features {
        let iso3 = id_property(f, "iso3", NationCode::new, sink);
        let name = property(f, "name", sink);
        match (iso3, name, polygons(f, sink)) {
            (Some(iso3), Some(name), Some(p)) => theatre.countries.push(Country {
                iso3,
                name,
                shape: MultiPolygon::new(p),
            }),
            _ => ok = false,
        }
    }
    ok
}

/// The air and sea areas file (`id`, `name`, `kind`) into `theatre.areas`; false when something is wrong
/// (reported).
fn read_areas(
    sources: &SourceSet,
    path: &(Ref, String),
    theatre: &mut Theatre,
    sink: &mut Sink,
) -> bool {
    let mut seen = BTreeMap::new();
    let areas = &mut theatre.areas;
    each_feature(sources, path, sink, |f, sink| {
        let id = id_property(f, "id", AreaId::new, sink);
        let name = property(f, "name", sink);
        let kind = property(f, "kind", sink).and_then(|k| match AreaKind::from_name(&k) {
            Some(kind) => Some(kind),
            None => {
                sink.at(
                    Level::Error,
                    f.at.clone(),
                    "unknown-name",
                    format!("{}.properties.kind", f.field),
                    format!("`{k}` is not a kind of area"),
                )
                .expected(one_of(&AreaKind::names()));
                None
            }
        });
        if let Some(id) = &id
            && duplicate(sink, &mut seen, id.as_str(), &f.at, "area", &path.0.name)
        {
            return false;
        }
        match (id, name, kind, polygons(f, sink)) {
            (Some(id), Some(name), Some(kind), Some(p)) => {
                areas.push(Area {
                    id,
                    name,
                    kind,
                    shape: MultiPolygon::new(p),
                });
                true
            }
            _ => false,
        }
    })
}

/// The admin-1 regions file (`code`, `name`) into `theatre.regions`; false when something is wrong
/// (reported).
fn read_regions(
    sources: &SourceSet,
    path: &(Ref, String),
    theatre: &mut Theatre,
    sink: &mut Sink,
) -> bool {
    let regions = &mut theatre.regions;
    each_feature(sources, path, sink, |f, sink| {
        let code = property(f, "code", sink);
        let name = property(f, "name", sink);
        match (code, name, polygons(f, sink)) {
            (Some(code), Some(name), Some(p)) => {
                regions.push(Region {
                    code,
                    name,
                    shape: MultiPolygon::new(p),
                });
                true
            }
            _ => false,
        }
    })
}

/// Each feature of the file a field of scenario.toml names, to `each` once it is plausible; false when the file,
/// a feature, or `each` (for its feature) finds something wrong.
fn each_feature(
    sources: &SourceSet,
    path: &(Ref, String),
    sink: &mut Sink,
    mut each: impl FnMut(&Feature, &mut Sink) -> bool,
) -> bool {
    let Some(features) = read_features(sources, path, sink) else {
        return false;
    };
    let mut ok = true;
    for f in &features {
        ok &= plausible(f, sink) && each(f, sink);
    }
    ok
}

/// The text of the file a field of scenario.toml names, or an error at that field (with `example` as the kind
/// of path expected) when the scenario folder has no such file.
fn named_file<'s>(
    sources: &'s SourceSet,
    (path, field): (&Ref, &String),
    example: &str,
    sink: &mut Sink,
) -> Option<&'s str> {
    let text = sources.get(&path.name);
    if text.is_none() {
        sink.at(
            Level::Error,
            path.at.clone(),
            "missing-file",
            field.clone(),
            format!(
                "geometry file `{}` does not exist in the scenario folder",
                path.name
            ),
        )
        .expected(format!(
            "a path relative to the scenario folder, e.g. \"{example}\""
        ));
    }
    text
}

/// The named places file (CSV: `lat`, `lon`, `name`, `admin1`, `region`, `cc`). `None` when a row is wrong:
/// each bad row is reported (line, field, what was expected), so a fix is one pass.
fn read_places(
    sources: &SourceSet,
    (path, field): &(Ref, String),
    regions: &[Region],
    sink: &mut Sink,
) -> Option<Vec<NamedPlace>> {
    const COLUMNS: [&str; 6] = ["lat", "lon", "name", "admin1", "region", "cc"];
    let text = named_file(sources, (path, field), "geometry/places.csv", sink)?;
    let file = File::new(&path.name, text);
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_owned).collect(),
        Err(e) => {
            sink.error(
                &file,
                0..0,
                "bad-csv",
                "header",
                format!("cannot read the header: {e}"),
            );
            return None;
        }
    };
    let column = |name: &str| header.iter().position(|h| h == name);
    let Some(cols) = COLUMNS
        .iter()
        .map(|c| column(c))
        .collect::<Option<Vec<usize>>>()
    else {
        let missing: Vec<&str> = COLUMNS
            .iter()
            .copied()
            .filter(|c| column(c).is_none())
            .collect();
        let end = text.find('\n').unwrap_or(text.len());
        sink.error(
            &file,
            0..end,
            "missing-field",
            "header",
            format!("the header has no column {}", missing.join(", ")),
        )
        .expected(COLUMNS.join(","));
        return None;
    };
    let codes: Vec<&str> = regions.iter().map(|r| r.code.as_str()).collect();
    let mut places = Vec::new();
    let mut ok = true;
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let at = e
                    .position()
                    .map_or(0, |p| p.byte() as usize)
                    .min(text.len());
                sink.error(
                    &file,
                    at..at,
                    "bad-csv",
                    "",
                    format!("cannot read the row: {e}"),
                );
                ok = false;
                continue;
            }
        };
        let start = record
            .position()
            .map_or(0, |p| p.byte() as usize)
            .min(text.len());
        let end = text[start..].find('\n').map_or(text.len(), |n| start + n);
        let value = |i: usize| record.get(cols[i]).unwrap_or("").trim();
        let mut bad = |name: &str, message: String, expected: String| {
            sink.error(&file, start..end, "bad-value", name.to_owned(), message)
                .expected(expected);
            ok = false;
        };
        let number = |i: usize| value(i).parse::<f64>().ok().filter(|v| v.is_finite());
        let (lat, lon) = (number(0), number(1));
        let name = value(2);
        let region = value(4);
        match (lat, lon) {
            (Some(lat), Some(lon)) if in_europe(lon, lat) => {
                if name.is_empty() {
                    bad("name", "the place has no name".into(), "a name".into());
                } else if !region.is_empty() && !codes.contains(&region) {
                    bad(
                        "region",
                        format!("`{region}` is not a region of the scenario's admin1 file"),
                        one_of(&codes),
                    );
                } else {
                    places.push(NamedPlace {
                        name: name.to_owned(),
                        point: Point::new(lon, lat),
                        region: (!region.is_empty()).then(|| region.to_owned()),
                        admin1: value(3).to_owned(),
                        country: value(5).to_owned(),
                    });
                }
            }
            _ => bad(
                if lat.is_none() { "lat" } else { "lon" },
                format!("`{}`, `{}` is not a position in Europe", value(0), value(1)),
                format!(
                    "decimal degrees, latitude {}..{} and longitude {}..{}",
                    EUROPE_LAT.0, EUROPE_LAT.1, EUROPE_LON.0, EUROPE_LON.1
                ),
            ),
        }
    }
    ok.then_some(places)
}

fn property(feature: &Feature, key: &str, sink: &mut Sink) -> Option<String> {
    match feature.properties.get(key) {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        _ => {
            sink.at(
                Level::Error,
                feature.at.clone(),
                "missing-field",
                format!("{}.properties.{key}", feature.field),
                format!("the feature has no `{key}` property"),
            )
            .expected(format!("\"properties\": {{\"{key}\": \"…\"}}"));
            None
        }
    }
}

/// The property `key` parsed as an id by `parse` (an error at the property when it is missing or bad).
fn id_property<T, E: std::fmt::Display>(
    feature: &Feature,
    key: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
    sink: &mut Sink,
) -> Option<T> {
    let text = property(feature, key, sink)?;
    match parse(&text) {
        Ok(id) => Some(id),
        Err(e) => {
            sink.at(
                Level::Error,
                feature.at.clone(),
                "bad-id",
                format!("{}.properties.{key}", feature.field),
                e.to_string(),
            );
            None
        }
    }
}
