//! The indexed placement ([`Placer`]) against the plain tests it stands for, on the default scenario's real
//! geography: every field the same, distances within 2 m.

use std::sync::LazyLock;

use geo::Contains;
use geo_types::Point;
use guarantor_core::{ProtectedPlace, Scenario, geodesic_km};
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
        let country = theatre.countries.iter().position(|c| c.shape.contains(&p));
        assert_eq!(got.country, country, "country at {p:?}");
        let oblast = theatre.regions.iter().position(|r| r.shape.contains(&p));
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
