//! Placement: where a report stands against the ceasefire's geography — the side of the contact line, the
//! distance to it, the buffer zone, land or sea, the country and oblast, and the nearest protected site.

use geo::BoundingRect;
use geo_types::Point;
use guarantor_core::{
    NationCode, ProtectedPlace, Scenario, TermId, andoyer_lambert_km, chord, chord_km, geodesic_km,
    km_chord, unit_vector,
};

use crate::grid::{LineGrid, PolygonGrid, bounds};

/// Land, or which sea.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Surface {
    /// Inside a country's outline.
    Land,
    /// The Black Sea.
    BlackSea,
    /// The Sea of Azov.
    Azov,
    /// Outside every country of the theatre, away from both seas.
    Elsewhere,
}

impl Surface {
    /// `land`, `black_sea`, `azov` or `elsewhere`.
    pub fn as_str(self) -> &'static str {
        match self {
            Surface::Land => "land",
            Surface::BlackSea => "black_sea",
            Surface::Azov => "azov",
            Surface::Elsewhere => "elsewhere",
        }
    }
}

/// Where a point stands.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    /// Inside the occupied area.
    pub occupied: bool,
    /// Geodesic distance to the contact line (`None` when the scenario has no line).
    ///
    /// # Units
    /// km
    pub km_to_line: Option<f64>,
    /// The buffer zone it falls in (the narrowest that holds it: the most specific), if any.
    pub buffer_zone: Option<TermId>,
    /// Land or sea.
    pub surface: Surface,
    /// The country whose outline holds it.
    pub country: Option<NationCode>,
    /// The oblast (first-level unit) that holds it, by name, when the scenario has them.
    pub oblast: Option<String>,
    /// The nearest protected site and the distance to its centre.
    pub nearest_protected: Option<(TermId, f64)>,
    /// The protected site whose radius holds it (the nearest such), if any.
    pub inside_protected: Option<TermId>,
}

/// The Sea of Azov, as a box north-east of the Kerch Strait (its water outside every country's outline there).
fn in_azov(p: Point<f64>) -> bool {
    (34.8..=39.4).contains(&p.x()) && (45.25..=47.3).contains(&p.y())
}

/// The Black Sea, as a box (its water outside every country's outline there, and not the Sea of Azov).
fn in_black_sea(p: Point<f64>) -> bool {
    (27.3..=42.0).contains(&p.x()) && (40.8..=46.7).contains(&p.y())
}

/// Decisions this close to a threshold (km) are made on [`geodesic_km`] rather than the fast formula (which is
/// within 2 m of it).
const CLOSE_KM: f64 = 0.005;

/// Where a point stands, by index into the scenario's lists: what [`Placer::locate`] returns, cheap to keep
/// for millions of points; [`Placer::resolve`] turns it into a [`Placement`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Located {
    /// Inside the occupied area.
    pub occupied: bool,
    /// See [`Placement::km_to_line`].
    ///
    /// # Units
    /// km
    pub km_to_line: Option<f64>,
    /// Index into `terms.buffer_zones`.
    pub buffer_zone: Option<usize>,
    /// Land or sea.
    pub surface: Surface,
    /// Index into `theatre.countries`.
    pub country: Option<usize>,
    /// Index into `theatre.regions`.
    pub oblast: Option<usize>,
    /// Index into `terms.protected_sites`, and the distance to its centre in km.
    pub nearest_protected: Option<(usize, f64)>,
    /// Index into `terms.protected_sites`.
    pub inside_protected: Option<usize>,
}

/// Beyond this the fast formula's error grows past a few metres, and the geodesic is used.
///
/// # Units
/// km
const FAST_UP_TO_KM: f64 = 1500.0;

/// [`andoyer_lambert_km`] within the theatre (within 2 m of the geodesic up to [`FAST_UP_TO_KM`]), the
/// geodesic beyond.
fn fast_km(a: Point<f64>, b: Point<f64>) -> f64 {
    let km = andoyer_lambert_km(a, b);
    if km <= FAST_UP_TO_KM {
        km
    } else {
        geodesic_km(a, b)
    }
}

/// A protected site's centre, ready for fast distances.
#[derive(Clone, Copy, Debug)]
struct Centre {
    /// Index into `terms.protected_sites`.
    site: usize,
    point: Point<f64>,
    /// On the unit sphere.
    unit: [f64; 3],
    /// # Units
    /// km
    radius_km: f64,
    /// The chord (on the unit sphere) within which a point may be inside the radius.
    radius_chord: f64,
}

/// The sphere is within 0.7% of the ellipsoid: candidates are chosen on it with this margin, never answered.
fn with_margin(km: f64) -> f64 {
    km * 1.02 + 0.01
}

/// A scenario's geography indexed for placing many points: built once (tens of milliseconds), then a point
/// costs well under a microsecond. Gives the answers of the plain tests ([`Theatre`]'s `contains` and
/// [`guarantor_core::km_to_lines`], [`geodesic_km`] to the sites); distances are computed by
/// [`andoyer_lambert_km`] up to 1,500 km (within 2 m of [`geodesic_km`] there) and by [`geodesic_km`] beyond,
/// which also decides whenever a distance is within 5 m of a threshold (a buffer zone's width, a site's
/// radius) or of another site's (a tie for the nearest, or for the nearest that holds the point).
///
/// [`Theatre`]: guarantor_core::Theatre
#[derive(Clone, Debug)]
pub struct Placer<'s> {
    scenario: &'s Scenario,
    occupied: PolygonGrid<'s>,
    countries: PolygonGrid<'s>,
    regions: PolygonGrid<'s>,
    line: LineGrid,
    centres: Vec<Centre>,
}

impl<'s> Placer<'s> {
    /// Indexes `scenario`'s geography.
    pub fn new(scenario: &'s Scenario) -> Placer<'s> {
        let theatre = &scenario.theatre;
        let occupied = PolygonGrid::new(vec![&theatre.occupied_area], 1 << 18);
        let countries = PolygonGrid::new(
            theatre.countries.iter().map(|c| &c.shape).collect(),
            1 << 20,
        );
        let regions = PolygonGrid::new(theatre.regions.iter().map(|r| &r.shape).collect(), 1 << 19);
        // The line's grid covers where reports can fall: the theatre's outlines and the line itself.
        let rects = theatre
            .countries
            .iter()
            .map(|c| c.shape.bounding_rect())
            .chain(theatre.regions.iter().map(|r| r.shape.bounding_rect()))
            .chain([
                theatre.occupied_area.bounding_rect(),
                theatre.contact_line.bounding_rect(),
            ]);
        let (min, max) =
            bounds(rects.flatten().flat_map(|r| [r.min(), r.max()])).unwrap_or_default();
        let line = LineGrid::new(&theatre.contact_line, min, max, 1 << 14);
        let centres = scenario
            .terms
            .protected_sites
            .iter()
            .enumerate()
            .filter_map(|(site, s)| {
                let point = match &s.place {
                    ProtectedPlace::Point(p) => Some(*p),
                    ProtectedPlace::Site(id) => scenario.site(id).map(|s| s.location),
                }?;
                Some(Centre {
                    site,
                    point,
                    unit: unit_vector(point),
                    radius_km: s.radius_km,
                    radius_chord: km_chord(with_margin(s.radius_km)),
                })
            })
            .collect();
        Placer {
            scenario,
            occupied,
            countries,
            regions,
            line,
            centres,
        }
    }

    /// The scenario placed against.
    pub fn scenario(&self) -> &'s Scenario {
        self.scenario
    }

    /// Places `point`.
    pub fn place(&self, point: Point<f64>) -> Placement {
        self.resolve(&self.locate(point))
    }

    /// Places `point`, by index (see [`Located`]).
    pub fn locate(&self, point: Point<f64>) -> Located {
        let terms = &self.scenario.terms;
        let country = self.countries.find(point);
        let surface = if country.is_some() {
            Surface::Land
        } else if in_azov(point) {
            Surface::Azov
        } else if in_black_sea(point) {
            Surface::BlackSea
        } else {
            Surface::Elsewhere
        };
        let km_to_line = self.line.nearest(point).map(|q| {
            let km = fast_km(point, q);
            if terms
                .buffer_zones
                .iter()
                .any(|z| (km - z.width_km).abs() < CLOSE_KM)
            {
                geodesic_km(point, q)
            } else {
                km
            }
        });
        let buffer_zone = km_to_line.and_then(|km| {
            terms
                .buffer_zones
                .iter()
                .enumerate()
                .filter(|(_, z)| km <= z.width_km)
                .min_by(|a, b| a.1.width_km.total_cmp(&b.1.width_km))
                .map(|(i, _)| i)
        });
        let (nearest_protected, inside_protected) = self.sites(point);
        Located {
            occupied: self.occupied.find(point).is_some(),
            km_to_line,
            buffer_zone,
            surface,
            country,
            oblast: self.regions.find(point),
            nearest_protected,
            inside_protected,
        }
    }

    /// The nearest protected site (and its distance), and the nearest whose radius holds `point`.
    fn sites(&self, point: Point<f64>) -> (Option<(usize, f64)>, Option<usize>) {
        if self.centres.is_empty() {
            return (None, None);
        }
        let unit = unit_vector(point);
        let chords: Vec<f64> = self.centres.iter().map(|c| chord(unit, c.unit)).collect();
        let best = chords.iter().copied().fold(f64::INFINITY, f64::min);
        let near_enough = km_chord(with_margin(chord_km(best)));
        // Sites that might be the nearest on the ellipsoid, or within their radius, measured properly.
        let mut measured: Vec<(&Centre, f64)> = self
            .centres
            .iter()
            .zip(&chords)
            .filter(|(c, d)| **d <= near_enough || **d <= c.radius_chord)
            .map(|(c, _)| (c, fast_km(point, c.point)))
            .collect();
        // Near a radius, the geodesic decides whether a site holds the point.
        for (c, km) in &mut measured {
            if (*km - c.radius_km).abs() < CLOSE_KM {
                *km = geodesic_km(point, c.point);
            }
        }
        // A tie (two sites within 5 m of each other) for the nearest, or for the nearest that holds the
        // point, is decided on the geodesic too.
        let closest = measured.iter().map(|m| m.1).fold(f64::INFINITY, f64::min);
        let closest_holding = measured
            .iter()
            .filter(|(c, km)| *km <= c.radius_km)
            .map(|m| m.1)
            .fold(f64::INFINITY, f64::min);
        let tied = |best: f64, holding: bool| {
            measured
                .iter()
                .filter(|(c, km)| (!holding || *km <= c.radius_km) && *km - best < CLOSE_KM)
                .count()
                > 1
        };
        let (tied_nearest, tied_holding) = (tied(closest, false), tied(closest_holding, true));
        for (c, km) in &mut measured {
            let near_closest = tied_nearest && *km - closest < CLOSE_KM;
            let near_holding =
                tied_holding && *km <= c.radius_km && *km - closest_holding < CLOSE_KM;
            if near_closest || near_holding {
                *km = geodesic_km(point, c.point);
            }
        }
        let mut nearest: Option<(usize, f64)> = None;
        let mut inside: Option<(usize, f64)> = None;
        for (c, km) in measured {
            if nearest.is_none_or(|(_, d)| km < d) {
                nearest = Some((c.site, km));
            }
            if km <= c.radius_km && inside.is_none_or(|(_, d)| km < d) {
                inside = Some((c.site, km));
            }
        }
        (nearest, inside.map(|(site, _)| site))
    }

    /// The ids and names behind a [`Located`].
    pub fn resolve(&self, located: &Located) -> Placement {
        let (theatre, terms) = (&self.scenario.theatre, &self.scenario.terms);
        Placement {
            occupied: located.occupied,
            km_to_line: located.km_to_line,
            buffer_zone: located
                .buffer_zone
                .map(|i| terms.buffer_zones[i].id.clone()),
            surface: located.surface,
            country: located.country.map(|i| theatre.countries[i].iso3.clone()),
            oblast: located.oblast.map(|i| theatre.regions[i].name.clone()),
            nearest_protected: located
                .nearest_protected
                .map(|(i, km)| (terms.protected_sites[i].id.clone(), km)),
            inside_protected: located
                .inside_protected
                .map(|i| terms.protected_sites[i].id.clone()),
        }
    }
}
