//! The indexed placement ([`Placer`]) against the plain tests it stands for, on the default scenario's real
//! geography: every field the same, distances within 2 m.

use std::sync::LazyLock;

use geo::{BoundingRect, Closest, ClosestPoint, Contains, InteriorPoint};
use geo_types::{MultiPolygon, Point};
use guarantor_core::{ProtectedPlace, Scenario, chord, geodesic_km, unit_vector};
use guarantor_monitor::place::{COAST_KM, REGION_GAP_KM, TOWN_KM};
use guarantor_monitor::{Placer, Surface};

static DEFAULT: LazyLock<Scenario> = LazyLock::new(|| {
    guarantor_scenario::check(&guarantor_scenario::SourceSet::builtin_default())
        .scenario
        .expect("the default scenario is valid")
});

/// A stream of floats in [0, 1).
fn uniform(seed: u64) -> impl FnMut() -> f64 {
    let mut rng = guarantor_core::SplitMix64::new(seed);
    move || rng.unit()
}

/// The first of `shapes` whose outline is nearest `p`, and the distance: every edge's closest point, measured on
/// the geodesic.
fn nearest_outline<'a>(
    p: Point<f64>,
    shapes: impl Iterator<Item = &'a MultiPolygon<f64>>,
) -> Option<(usize, f64)> {
    shapes
        .enumerate()
        // Only outlines whose box comes within 0.1 degrees (over 7 km) of the point can be within the tolerances.
        .filter(|(_, shape)| {
            shape.bounding_rect().is_some_and(|r| {
                (r.min().x - 0.1..=r.max().x + 0.1).contains(&p.x())
                    && (r.min().y - 0.1..=r.max().y + 0.1).contains(&p.y())
            })
        })
        .filter_map(|(i, shape)| {
            let q = shape.0.iter().flat_map(|poly| {
                std::iter::once(poly.exterior())
                    .chain(poly.interiors())
                    .flat_map(|ring| ring.lines())
                    .filter_map(|line| match line.closest_point(&p) {
                        Closest::Intersection(q) | Closest::SinglePoint(q) => Some(q),
                        Closest::Indeterminate => None,
                    })
            });
            q.map(|q| geodesic_km(p, q))
                .min_by(f64::total_cmp)
                .map(|d| (i, d))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
}

/// The nearest named place to `p` by the geodesic, among those the sphere ranks within 2% of the nearest.
fn nearest_place(s: &Scenario, p: Point<f64>) -> Option<(usize, f64)> {
    let unit = unit_vector(p);
    let chords: Vec<f64> = s
        .theatre
        .places
        .iter()
        .map(|q| chord(unit, unit_vector(q.point)))
        .collect();
    let best = chords.iter().copied().fold(f64::INFINITY, f64::min);
    s.theatre
        .places
        .iter()
        .enumerate()
        .filter(|(i, _)| chords[*i] <= best * 1.03 + 1e-5)
        .map(|(i, q)| (i, geodesic_km(p, q.point)))
        .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
}

#[test]
fn the_index_gives_the_plain_answers_on_real_geography() {
    let s = &*DEFAULT;
    let placer = Placer::new(s);
    let theatre = &s.theatre;
    let vertices: Vec<Point<f64>> = theatre
        .contact_line
        .0
        .iter()
        .flat_map(|l| l.points())
        .collect();
    let borders: Vec<Point<f64>> = theatre
        .regions
        .iter()
        .flat_map(|r| r.shape.0.iter().flat_map(|p| p.exterior().points()))
        .collect();
    let regions_country = theatre.countries.iter().position(|c| {
        theatre.regions[0]
            .shape
            .interior_point()
            .is_some_and(|p| c.shape.contains(&p))
    });
    let mut u = uniform(3);
    let mut checked = 0;
    for i in 0..30_000 {
        // A third anywhere in the theatre's box, a third near the line, a third near an oblast border.
        let p = match i % 3 {
            0 => Point::new(12.0 + 34.0 * u(), 40.0 + 18.0 * u()),
            1 => {
                let v = vertices[(u() * vertices.len() as f64) as usize % vertices.len()];
                Point::new(v.x() + 0.6 * (u() - 0.5), v.y() + 0.4 * (u() - 0.5))
            }
            _ => {
                let v = borders[(u() * borders.len() as f64) as usize % borders.len()];
                Point::new(v.x() + 0.02 * (u() - 0.5), v.y() + 0.02 * (u() - 0.5))
            }
        };
        let got = placer.locate(p);
        assert_eq!(got.occupied, theatre.is_occupied(p), "occupied at {p:?}");
        // Off every outline, the country whose outline is within the coast's tolerance.
        let country = theatre
            .countries
            .iter()
            .position(|c| c.shape.contains(&p))
            .or_else(|| {
                nearest_outline(p, theatre.countries.iter().map(|c| &c.shape))
                    .filter(|(_, km)| *km <= COAST_KM)
                    .map(|(i, _)| i)
            });
        assert_eq!(got.country, country, "country at {p:?}");
        // The outline that holds it, or on land the one within the gap; a town of another region near it
        // decides.
        let outline = theatre
            .regions
            .iter()
            .position(|r| r.shape.contains(&p))
            .or_else(|| {
                (country.is_some() && country == regions_country)
                    .then(|| nearest_outline(p, theatre.regions.iter().map(|r| &r.shape)))
                    .flatten()
                    .filter(|(_, km)| *km <= REGION_GAP_KM)
                    .map(|(i, _)| i)
            });
        let place = got.place.expect("the default scenario has named places");
        if i % 10 == 0 {
            let (index, km) = nearest_place(s, p).expect("a place");
            assert_eq!(place.index, index, "nearest place to {p:?}");
            assert!(
                (place.km - km).abs() < 0.002,
                "{p:?}: {} km against {km} km",
                place.km
            );
        }
        let town = (place.km <= TOWN_KM)
            .then(|| theatre.places[place.index].region.as_ref())
            .flatten()
            .and_then(|code| theatre.regions.iter().position(|r| &r.code == code));
        let oblast = outline.and(town).or(outline);
        assert_eq!(got.oblast, oblast, "oblast at {p:?}");
        assert_eq!(got.surface == Surface::Land, country.is_some());
        let km = theatre.km_to_contact_line(p).expect("a line");
        let ours = got.km_to_line.expect("a distance");
        assert!(
            (ours - km).abs() < 0.002,
            "{p:?}: {ours} km against {km} km"
        );
        // The buffer zone by the plain test's distance (the grid's differs by under 2 m, and a distance
        // within 5 m of a width is measured on the geodesic, as the plain test's is).
        let zone = s
            .terms
            .buffer_zones
            .iter()
            .enumerate()
            .filter(|(_, z)| km <= z.width_km)
            .min_by(|a, b| a.1.width_km.total_cmp(&b.1.width_km))
            .map(|(i, _)| i);
        assert_eq!(got.buffer_zone, zone, "buffer zone at {p:?} ({km} km)");
        let mut nearest: Option<(usize, f64)> = None;
        let mut inside: Option<(usize, f64)> = None;
        for (k, site) in s.terms.protected_sites.iter().enumerate() {
            let centre = match &site.place {
                ProtectedPlace::Point(c) => *c,
                ProtectedPlace::Site(id) => s.site(id).expect("a site").location,
            };
            let d = geodesic_km(p, centre);
            if nearest.is_none_or(|(_, b)| d < b) {
                nearest = Some((k, d));
            }
            if d <= site.radius_km && inside.is_none_or(|(_, b)| d < b) {
                inside = Some((k, d));
            }
        }
        let (site, d) = got.nearest_protected.expect("a site");
        assert_eq!(Some(site), nearest.map(|n| n.0), "nearest site to {p:?}");
        assert!((d - nearest.map_or(0.0, |n| n.1)).abs() < 0.002);
        assert_eq!(got.inside_protected, inside.map(|n| n.0), "inside at {p:?}");
        checked += 1;
    }
    assert_eq!(checked, 30_000);
}
