//! Placement: where a report stands against the ceasefire's geography — the side of the contact line, the
//! distance to it, the buffer zone, land or sea, the country and oblast, and the nearest protected site.

use geo::{BoundingRect, Closest, ClosestPoint, Contains, InteriorPoint};
use geo_types::{Line, MultiPolygon, Point};
use guarantor_core::{
    NationCode, ProtectedPlace, Scenario, TermId, andoyer_lambert_km, chord, chord_km, geodesic_km,
    km_chord, unit_vector,
};
use rstar::RTree;
use rstar::primitives::GeomWithData;

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
    /// The nearest named place, when the scenario has them.
    pub place: Option<NearestPlace>,
    /// Off every outline but within [`COAST_KM`] of one: put on its land (a naval report there is still at sea).
    pub ashore: bool,
    /// The day of the dated occupied area `occupied` was read against, `None` for the scenario's occupied area.
    pub occupied_as_of: Option<jiff::civil::Date>,
}

/// The named place nearest a point: the words for where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct NearestPlace {
    /// Its name.
    pub name: String,
    /// Its region's name (its oblast), or the gazetteer's name for its first-level unit outside the scenario's
    /// regions.
    pub admin1: String,
    /// ISO 3166-1 alpha-2 of its country.
    pub country: String,
    /// Geodesic distance from the place to the point.
    ///
    /// # Units
    /// km
    pub km: f64,
    /// The compass point (of 8) from the place to the point, `None` within [`AT_PLACE_KM`].
    pub bearing: Option<&'static str>,
}

impl NearestPlace {
    /// `Irpin`, or `3 km NW of Irpin`.
    pub fn describe(&self) -> String {
        match self.bearing {
            None => self.name.clone(),
            Some(b) => format!("{:.0} km {b} of {}", self.km.max(1.0), self.name),
        }
    }
}

/// How long after the last outline of a dated series it still stands for the occupied area (a monthly series:
/// a month).
///
/// # Units
/// days
pub const SERIES_REACH_DAYS: i64 = 31;

/// Within this of a named place, a point is said to be at it (no distance or direction).
///
/// # Units
/// km
pub const AT_PLACE_KM: f64 = 1.0;

/// A point at sea or beyond every outline this close to a country's outline is on that country's land: the
/// 1:10m outlines leave riverbanks, quays and bays a few hundred metres in the water (Kherson's riverbank,
/// Mykolaiv, Sevastopol's bays: 80 of the CIR and Bellingcat reports placed at sea were within 1.2 km of
/// land). A sea event (a naval attack, a mine) stays a sea event by its kind.
///
/// # Units
/// km
pub const COAST_KM: f64 = 1.5;

/// A point on land in no region but this close to one (a river, a gap in the outlines) is in it.
///
/// # Units
/// km
pub const REGION_GAP_KM: f64 = 3.0;

/// Within this of a named place of another region, the place's region is the point's: 1:10m outlines are a
/// kilometre or two off at borders, and Natural Earth's Kyiv City (1,637 km²) is about twice the city
/// (839 km²), taking in Irpin, Hostomel, Vyshneve, Vyshhorod and Khotiv, towns of Kyiv oblast.
///
/// # Units
/// km
pub const TOWN_KM: f64 = 2.5;

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
    /// The nearest named place.
    pub place: Option<PlaceIndex>,
    /// See [`Placement::ashore`].
    pub ashore: bool,
}

/// The nearest named place, by index.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlaceIndex {
    /// Index into `theatre.places`.
    pub index: usize,
    /// # Units
    /// km
    pub km: f64,
    /// See [`NearestPlace::bearing`].
    pub bearing: Option<&'static str>,
}

/// The edges of a list of polygons, for the polygon whose outline is nearest a point outside all of them.
#[derive(Clone, Debug)]
struct Edges {
    tree: RTree<GeomWithData<Line<f64>, u32>>,
}

impl Edges {
    fn new<'a>(shapes: impl IntoIterator<Item = &'a MultiPolygon<f64>>) -> Edges {
        let lines = shapes
            .into_iter()
            .enumerate()
            .flat_map(|(i, shape)| {
                shape.0.iter().flat_map(move |polygon| {
                    std::iter::once(polygon.exterior())
                        .chain(polygon.interiors())
                        .flat_map(move |ring| {
                            ring.lines()
                                .filter(|l| l.start != l.end)
                                .map(move |l| GeomWithData::new(l, i as u32))
                        })
                })
            })
            .collect();
        Edges {
            tree: RTree::bulk_load(lines),
        }
    }

    /// The shape whose outline is nearest `p` within `km`, and the distance (km) to it.
    fn nearest_within(&self, p: Point<f64>, km: f64) -> Option<(usize, f64)> {
        // A box around `p` that holds every point within `km` (a degree of longitude shrinks with latitude).
        let (dy, dx) = (
            km / 110.5,
            km / (111.4 * (p.y().abs().min(85.0)).to_radians().cos()),
        );
        let envelope = rstar::AABB::from_corners(
            Point::new(p.x() - dx, p.y() - dy),
            Point::new(p.x() + dx, p.y() + dy),
        );
        self.tree
            .locate_in_envelope_intersecting(&envelope)
            .filter_map(|edge| {
                let q = match edge.geom().closest_point(&p) {
                    Closest::Intersection(q) | Closest::SinglePoint(q) => q,
                    Closest::Indeterminate => return None,
                };
                // Within 5 m of the threshold, the geodesic decides.
                let d = fast_km(p, q);
                let d = if (d - km).abs() < CLOSE_KM {
                    geodesic_km(p, q)
                } else {
                    d
                };
                Some((edge.data as usize, d))
            })
            .filter(|(_, d)| *d <= km)
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
    }
}

/// The eight compass points, clockwise from north.
const COMPASS: [&str; 8] = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"];

/// The compass point (of 8) from `from` to `to`, on a local flat map.
fn compass(from: Point<f64>, to: Point<f64>) -> &'static str {
    let dx = (to.x() - from.x()) * from.y().to_radians().cos();
    let dy = to.y() - from.y();
    let degrees = dx.atan2(dy).to_degrees().rem_euclid(360.0);
    COMPASS[((degrees + 22.5) / 45.0) as usize % 8]
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
    coasts: Edges,
    region_edges: Edges,
    /// Named places on the unit sphere (the nearest by chord is the nearest on the sphere).
    places: RTree<GeomWithData<[f64; 3], usize>>,
    /// Index into `theatre.regions` of each named place's region.
    place_regions: Vec<Option<usize>>,
    /// Index into `theatre.countries` of the country the regions divide (the one holding the first's interior).
    regions_country: Option<usize>,
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
        let places = RTree::bulk_load(
            theatre
                .places
                .iter()
                .enumerate()
                .map(|(i, p)| GeomWithData::new(unit_vector(p.point), i))
                .collect(),
        );
        let place_regions = theatre
            .places
            .iter()
            .map(|p| {
                p.region
                    .as_ref()
                    .and_then(|code| theatre.regions.iter().position(|r| &r.code == code))
            })
            .collect();
        let regions_country = theatre
            .regions
            .first()
            .and_then(|r| r.shape.interior_point())
            .and_then(|p| countries.find(p));
        Placer {
            scenario,
            regions_country,
            occupied,
            countries,
            regions,
            line,
            centres,
            coasts: Edges::new(theatre.countries.iter().map(|c| &c.shape)),
            region_edges: Edges::new(theatre.regions.iter().map(|r| &r.shape)),
            places,
            place_regions,
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

    /// Places `point` as of `day`: against the occupied area of that day where the scenario has a dated series
    /// that covers it (see [`guarantor_core::Theatre::occupied_series`]).
    pub fn place_on(&self, point: Point<f64>, day: Option<jiff::civil::Date>) -> Placement {
        let located = self.locate(point);
        let mut placement = self.resolve(&located);
        // One incident at a time (a verdict), so the plain test, without a grid.
        if let Some(i) = day.and_then(|d| self.series_index(d)) {
            let area = &self.scenario.theatre.occupied_series[i];
            placement.occupied = area.shape.contains(&point);
            placement.occupied_as_of = Some(area.date);
        }
        placement
    }

    /// The day of the dated occupied area a report of `day` is placed against (`None`: the scenario's occupied
    /// area).
    pub fn occupied_as_of(&self, day: jiff::civil::Date) -> Option<jiff::civil::Date> {
        self.series_index(day)
            .map(|i| self.scenario.theatre.occupied_series[i].date)
    }

    /// The dated occupied area for `day`: the latest not after it, if the series began by then and its last is
    /// at most [`SERIES_REACH_DAYS`] before it.
    fn series_index(&self, day: jiff::civil::Date) -> Option<usize> {
        let series = &self.scenario.theatre.occupied_series;
        let (first, last) = (series.first()?, series.last()?);
        let reach = last
            .date
            .checked_add(jiff::Span::new().days(SERIES_REACH_DAYS))
            .unwrap_or(last.date);
        (first.date <= day && day <= reach)
            .then(|| series.partition_point(|a| a.date <= day).saturating_sub(1))
    }

    /// Places `point`, by index (see [`Located`]).
    pub fn locate(&self, point: Point<f64>) -> Located {
        let terms = &self.scenario.terms;
        // Off the outlines but within [`COAST_KM`] of one: on that country's land.
        let inside = self.countries.find(point);
        let country =
            inside.or_else(|| self.coasts.nearest_within(point, COAST_KM).map(|(i, _)| i));
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
        let place = self.nearest_place(point);
        Located {
            occupied: self.occupied.find(point).is_some(),
            km_to_line,
            buffer_zone,
            surface,
            country,
            oblast: self.region(
                point,
                country.is_some() && country == self.regions_country,
                place,
            ),
            nearest_protected,
            inside_protected,
            place,
            ashore: inside.is_none() && country.is_some(),
        }
    }

    /// The named place nearest `point`, its distance and direction.
    fn nearest_place(&self, point: Point<f64>) -> Option<PlaceIndex> {
        let places = &self.scenario.theatre.places;
        let unit = unit_vector(point);
        // One walk of the tree, nearest first: the candidates tied on the sphere within its 0.7% of the
        // ellipsoid are measured on the ellipsoid, then the first in the file wins a tie.
        let mut walk = self.places.nearest_neighbor_iter_with_distance_2(&unit);
        let (first, d2) = walk.next()?;
        let reach = km_chord(with_margin(chord_km(d2.sqrt())));
        let mut near: Vec<(usize, f64)> = std::iter::once(first)
            .chain(
                walk.take_while(|(_, d2)| *d2 <= reach * reach)
                    .map(|(c, _)| c),
            )
            .map(|c| (c.data, fast_km(point, places[c.data].point)))
            .collect();
        // A tie within 5 m, or a distance within 5 m of the town threshold, is decided on the geodesic.
        let best = near.iter().map(|n| n.1).fold(f64::INFINITY, f64::min);
        let tied = near.iter().filter(|n| n.1 - best < CLOSE_KM).count() > 1;
        for (i, km) in &mut near {
            if (tied && *km - best < CLOSE_KM) || (*km - TOWN_KM).abs() < CLOSE_KM {
                *km = geodesic_km(point, places[*i].point);
            }
        }
        let (index, km) = near
            .into_iter()
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))?;
        Some(PlaceIndex {
            index,
            km,
            bearing: (km > AT_PLACE_KM).then(|| compass(places[index].point, point)),
        })
    }

    /// The region (index into `theatre.regions`) of a point: the outline that holds it, or in the regions'
    /// country the one within [`REGION_GAP_KM`]; but within [`TOWN_KM`] of a named place of another region, the place's.
    fn region(
        &self,
        point: Point<f64>,
        in_country: bool,
        place: Option<PlaceIndex>,
    ) -> Option<usize> {
        let outline = self.regions.find(point).or_else(|| {
            in_country
                .then(|| self.region_edges.nearest_within(point, REGION_GAP_KM))
                .flatten()
                .map(|(i, _)| i)
        });
        let town = place
            .filter(|p| p.km <= TOWN_KM)
            .and_then(|p| self.place_regions[p.index]);
        match (outline, town) {
            (Some(_), Some(town)) => Some(town),
            (outline, _) => outline,
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
            place: located.place.map(|p| {
                let place = &theatre.places[p.index];
                NearestPlace {
                    name: place.name.clone(),
                    admin1: self.place_regions[p.index]
                        .map_or_else(|| place.admin1.clone(), |r| theatre.regions[r].name.clone()),
                    country: place.country.clone(),
                    km: p.km,
                    bearing: p.bearing,
                }
            }),
            ashore: located.ashore,
            occupied_as_of: None,
        }
    }
}
