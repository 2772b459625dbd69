//! Geometry of the theatre and the geodesic helpers every engine uses.
//!
//! Positions are WGS84 longitude/latitude (`x` = longitude). Distances are geodesic, in km.

use geo::{Closest, ClosestPoint, Contains, Distance, Geodesic};
use geo_types::{Coord, LineString, MultiLineString, MultiPolygon, Point};

use crate::id::{AreaId, NationCode};
use crate::names::named_enum;

named_enum! {
    /// Whether an area is at sea or in the air.
    pub enum AreaKind {
        /// A sea area.
        Sea => "sea",
        /// An air area.
        Air => "air",
    }
}

/// A country outline.
#[derive(Clone, Debug, PartialEq)]
pub struct Country {
    /// ISO alpha-3.
    pub iso3: NationCode,
    /// Name.
    pub name: String,
    /// Outline.
    pub shape: MultiPolygon<f64>,
}

/// An air or sea area of the mission.
#[derive(Clone, Debug, PartialEq)]
pub struct Area {
    /// Id, referred to by sites.
    pub id: AreaId,
    /// Name.
    pub name: String,
    /// Sea or air.
    pub kind: AreaKind,
    /// Outline.
    pub shape: MultiPolygon<f64>,
}

/// A first-level administrative unit (an oblast), for reports by area.
#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    /// ISO 3166-2 code, e.g. `UA-23`.
    pub code: String,
    /// Name, e.g. `Zaporizhzhia`.
    pub name: String,
    /// Outline.
    pub shape: MultiPolygon<f64>,
}

/// The occupied area as it was on a day: one of a dated series.
#[derive(Clone, Debug, PartialEq)]
pub struct DatedArea {
    /// The day the outline is of.
    pub date: jiff::civil::Date,
    /// The outline.
    pub shape: MultiPolygon<f64>,
}

/// A named place (a town or village), for saying where a report is in words.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedPlace {
    /// Name, e.g. `Irpin`.
    pub name: String,
    /// Where it is.
    pub point: Point<f64>,
    /// The code of the [`Region`] it belongs to (ISO 3166-2, e.g. `UA-32`), when the scenario has it.
    pub region: Option<String>,
    /// Its first-level unit as the gazetteer names it (also outside the scenario's regions).
    pub admin1: String,
    /// ISO 3166-1 alpha-2 of its country.
    pub country: String,
}

/// The theatre's geometry.
#[derive(Clone, Debug, PartialEq)]
pub struct Theatre {
    /// The line of contact.
    pub contact_line: MultiLineString<f64>,
    /// The occupied area.
    pub occupied_area: MultiPolygon<f64>,
    /// The occupied area as it was, oldest first, when the scenario has a dated series: a report is placed
    /// against the latest not after its day (within a month of the last), else against `occupied_area`.
    pub occupied_series: Vec<DatedArea>,
    /// Country outlines (for maps and placement).
    pub countries: Vec<Country>,
    /// Air and sea areas.
    pub areas: Vec<Area>,
    /// First-level administrative units (oblasts), when the scenario has them.
    pub regions: Vec<Region>,
    /// Named places, when the scenario has them: the nearest names where a report is, and decides its region
    /// close to a place of another region (the outlines are coarser than a town).
    pub places: Vec<NamedPlace>,
    /// Attribution lines owed for the geometry.
    pub attribution: Vec<String>,
}

impl Default for Theatre {
    fn default() -> Self {
        Self {
            contact_line: MultiLineString::new(Vec::new()),
            occupied_area: MultiPolygon::new(Vec::new()),
            occupied_series: Vec::new(),
            countries: Vec::new(),
            areas: Vec::new(),
            regions: Vec::new(),
            places: Vec::new(),
            attribution: Vec::new(),
        }
    }
}

impl Theatre {
    /// Geodesic distance from `point` to the nearest point of the contact line.
    ///
    /// The nearest point is found in a local equirectangular projection centred on `point` (exact enough at the
    /// scale of a theatre: well under 1% at 500 km), the distance to it is then measured on the WGS84 ellipsoid.
    /// Returns `None` when there is no contact line.
    ///
    /// # Units
    /// km
    ///
    /// # Examples
    ///
    /// ```
    /// use geo_types::{line_string, MultiLineString, Point};
    /// use guarantor_core::Theatre;
    /// let theatre = Theatre {
    ///     contact_line: MultiLineString::new(vec![line_string![(x: 30.0, y: 45.0), (x: 30.0, y: 46.0)]]),
    ///     ..Theatre::default()
    /// };
    /// let km = theatre.km_to_contact_line(Point::new(31.0, 45.5)).unwrap();
    /// assert!((km - 78.0).abs() < 1.0);
    /// ```
    pub fn km_to_contact_line(&self, point: Point<f64>) -> Option<f64> {
        km_to_lines(&self.contact_line, point)
    }

    /// Whether `point` lies in the occupied area.
    pub fn is_occupied(&self, point: Point<f64>) -> bool {
        self.occupied_area.contains(&point)
    }

    /// The country whose outline contains `point`, if any.
    pub fn country_at(&self, point: Point<f64>) -> Option<&Country> {
        self.countries.iter().find(|c| c.shape.contains(&point))
    }

    /// The first-level unit (oblast) containing `point`, if the scenario has them.
    pub fn region_at(&self, point: Point<f64>) -> Option<&Region> {
        self.regions.iter().find(|r| r.shape.contains(&point))
    }

    /// The area with this id.
    pub fn area(&self, id: &AreaId) -> Option<&Area> {
        self.areas.iter().find(|a| &a.id == id)
    }
}

/// Geodesic distance from `point` to the nearest of `lines` (see [`Theatre::km_to_contact_line`]).
///
/// # Units
/// km
pub fn km_to_lines(lines: &MultiLineString<f64>, point: Point<f64>) -> Option<f64> {
    let scale = point.y().to_radians().cos().max(0.01);
    let project = |c: Coord<f64>| Coord {
        x: (c.x - point.x()) * scale,
        y: c.y - point.y(),
    };
    let mut best: Option<(f64, Point<f64>)> = None;
    for line in &lines.0 {
        let local: LineString<f64> = line.0.iter().map(|&c| project(c)).collect();
        let nearest = match local.closest_point(&Point::new(0.0, 0.0)) {
            Closest::Intersection(p) | Closest::SinglePoint(p) => p,
            Closest::Indeterminate => continue,
        };
        let d2 = nearest.x() * nearest.x() + nearest.y() * nearest.y();
        if best.is_none_or(|(b, _)| d2 < b) {
            let back = Point::new(nearest.x() / scale + point.x(), nearest.y() + point.y());
            best = Some((d2, back));
        }
    }
    best.map(|(_, nearest)| Geodesic.distance(point, nearest) / 1000.0)
}

/// Geodesic distance between two points on the WGS84 ellipsoid.
///
/// # Units
/// km
pub fn geodesic_km(a: Point<f64>, b: Point<f64>) -> f64 {
    Geodesic.distance(a, b) / 1000.0
}

/// The mean Earth radius (IUGG), for the sphere that picks candidates before the ellipsoid decides, and for
/// map projections.
///
/// # Units
/// km
pub const EARTH_MEAN_RADIUS_KM: f64 = 6371.0088;

/// A point (lon/lat, degrees) on the unit sphere, for fast comparisons of distance: the chord between two of
/// them grows with their great-circle distance.
pub fn unit_vector(p: Point<f64>) -> [f64; 3] {
    let (lat, lon) = (p.y().to_radians(), p.x().to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// The chord between two unit vectors.
pub fn chord(a: [f64; 3], b: [f64; 3]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

/// The great-circle distance on the mean sphere for a chord between unit vectors. Within 0.6% of the
/// ellipsoid's distance: for choosing candidates, not for answers.
///
/// # Units
/// km
pub fn chord_km(chord: f64) -> f64 {
    2.0 * (chord / 2.0).min(1.0).asin() * EARTH_MEAN_RADIUS_KM
}

/// The chord for a great-circle distance on the mean sphere (the inverse of [`chord_km`]).
pub fn km_chord(km: f64) -> f64 {
    2.0 * (km / EARTH_MEAN_RADIUS_KM / 2.0)
        .min(std::f64::consts::FRAC_PI_2)
        .sin()
}

/// Distance between two points on the WGS84 ellipsoid by the Andoyer–Lambert formula: a spherical distance
/// between the reduced latitudes with a first-order correction for the flattening. Within 2 m of
/// [`geodesic_km`] for points of the theatre up to 2,000 km apart (tested), and some twenty times faster:
/// for the millions of distances of placement, where a decision near a threshold falls back to
/// [`geodesic_km`].
///
/// # Units
/// km
pub fn andoyer_lambert_km(a: Point<f64>, b: Point<f64>) -> f64 {
    const A_KM: f64 = 6378.137;
    const F: f64 = 1.0 / 298.257_223_563;
    let reduced = |lat: f64| ((1.0 - F) * lat.to_radians().tan()).atan();
    let (b1, b2) = (reduced(a.y()), reduced(b.y()));
    let dl = (b.x() - a.x()).to_radians();
    let (p, q) = ((b1 + b2) / 2.0, (b2 - b1) / 2.0);
    let h = q.sin().powi(2) + b1.cos() * b2.cos() * (dl / 2.0).sin().powi(2);
    let sigma = 2.0 * h.sqrt().min(1.0).asin();
    if sigma == 0.0 {
        return 0.0;
    }
    let x = (sigma - sigma.sin()) * (p.sin() * q.cos()).powi(2) / (sigma / 2.0).cos().powi(2);
    let y = (sigma + sigma.sin()) * (p.cos() * q.sin()).powi(2) / (sigma / 2.0).sin().powi(2);
    A_KM * (sigma - F / 2.0 * (x + y))
}

/// How fast ships that move themselves go: a sustained 11 knots, about 500 km a day.
///
/// # Units
/// km per day
pub const OWN_SEA_KM_PER_DAY: f64 = 500.0;

/// Sea routes run round coasts and through straits: half as long again as the great circle.
pub const SEA_DETOUR: f64 = 1.5;

/// How fast aircraft that ferry themselves go, like the air links of the default network.
///
/// # Units
/// km per day
pub const OWN_AIR_KM_PER_DAY: f64 = 8_000.0;

/// A load in tonnes as whole tonnes, rounded up (a load is never understated).
pub fn whole_tonnes_up(t: f64) -> u64 {
    if t.is_finite() && t > 0.0 {
        t.ceil().min(1e15) as u64
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chords_and_great_circle_distances_convert_both_ways() {
        let (a, b) = (Point::new(30.0, 50.0), Point::new(36.0, 47.0));
        let km = chord_km(chord(unit_vector(a), unit_vector(b)));
        assert!((km / geodesic_km(a, b) - 1.0).abs() < 0.006, "{km}");
        assert!((km_chord(km) - chord(unit_vector(a), unit_vector(b))).abs() < 1e-12);
    }

    #[test]
    fn andoyer_lambert_is_within_two_metres_of_the_geodesic_across_the_theatre() {
        // Pairs from 20–42°E, 43–54°N, up to ~2,000 km apart.
        let mut rng = crate::SplitMix64::new(11);
        let mut u = move || rng.unit();
        let mut worst = 0.0f64;
        for _ in 0..20_000 {
            let a = Point::new(20.0 + 22.0 * u(), 43.0 + 11.0 * u());
            let b = Point::new(20.0 + 22.0 * u(), 43.0 + 11.0 * u());
            let near = Point::new(a.x() + 0.01 * (u() - 0.5), a.y() + 0.01 * (u() - 0.5));
            for q in [b, near] {
                worst = worst.max((andoyer_lambert_km(a, q) - geodesic_km(a, q)).abs());
            }
        }
        assert!(worst < 0.002, "worst error {worst} km");
        assert_eq!(
            andoyer_lambert_km(Point::new(30.0, 50.0), Point::new(30.0, 50.0)),
            0.0
        );
    }
}
