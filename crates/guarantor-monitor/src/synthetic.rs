//! Seeded synthetic report feeds of any size, for trying the tool out, tests and benchmarks.
//!
//! Events are drawn where a ceasefire's violations happen: six in ten along the contact line (within about
//! 30 km of it), one in seven near a protected site, one in ten off the coast between Odesa and Crimea, the
//! rest anywhere in Ukraine's box. Each event is told by one to four sources — the coalition's patrols and
//! sensors, each party, the media, and now and then a daily digest dated to the half day — each with the
//! precision such a source has and an error within it, so the reports of one event corroborate into one
//! incident (and sometimes, as in life, events close together merge).

use geo_types::Point;
use guarantor_core::{
    Category, EventKind, Precision, ProtectedPlace, Report, Scenario, SourceKind, SplitMix64,
};
use jiff::{SignedDuration, Timestamp};

/// The size and seed of a feed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spec {
    /// Seed of the generator.
    pub seed: u64,
    /// Reports to make (events are drawn until there are this many).
    pub reports: usize,
    /// Days the feed spans, from `start`.
    pub days: u32,
    /// When the feed starts.
    pub start: Timestamp,
}

/// Uniform in [-1, 1).
fn signed(rng: &mut SplitMix64) -> f64 {
    2.0 * rng.unit() - 1.0
}

/// An index in 0..`n`, from the stream's next unit.
fn index(rng: &mut SplitMix64, n: usize) -> usize {
    (rng.unit() * n as f64) as usize % n.max(1)
}

fn pick<T: Copy>(rng: &mut SplitMix64, items: &[T]) -> T {
    items[index(rng, items.len())]
}

/// A source: its name, kind, and precision (hours, km).
type Source = (&'static str, SourceKind, f64, f64);

const SOURCES: [Source; 8] = [
    ("smm-patrol-1", SourceKind::Patrol, 0.25, 0.5),
    ("smm-patrol-2", SourceKind::Patrol, 0.25, 0.5),
    ("uav-east", SourceKind::Sensor, 0.1, 0.2),
    ("acoustic-net", SourceKind::Sensor, 0.1, 1.0),
    ("ua-general-staff", SourceKind::Party, 1.0, 5.0),
    ("ru-mod", SourceKind::Party, 1.0, 5.0),
    ("media-a", SourceKind::Media, 3.0, 10.0),
    ("media-b", SourceKind::Media, 3.0, 10.0),
];

/// A daily digest: a source that reports late and vaguely.
const DIGEST: Source = ("daily-digest", SourceKind::Media, 12.0, 25.0);

/// A feed of about `spec.reports` reports (exactly that many) over `scenario`'s geography, the same for the
/// same spec on every platform. Report ids are `s{seed}-{n}`.
pub fn reports(scenario: &Scenario, spec: &Spec) -> Vec<Report> {
    let mut rng = SplitMix64::new(spec.seed);
    let vertices: Vec<Point<f64>> = scenario
        .theatre
        .contact_line
        .0
        .iter()
        .flat_map(|l| l.points())
        .collect();
    let sites: Vec<(Point<f64>, Category)> = scenario
        .terms
        .protected_sites
        .iter()
        .filter_map(|s| {
            let p = match &s.place {
                ProtectedPlace::Point(p) => Some(*p),
                ProtectedPlace::Site(id) => scenario.site(id).map(|x| x.location),
            }?;
            Some((p, s.category))
        })
        .collect();
    let span_seconds = i64::from(spec.days.max(1)) * 86_400;
    let mut out = Vec::with_capacity(spec.reports.min(1 << 22));
    while out.len() < spec.reports {
        let draw = rng.unit();
        let (centre, kinds, target): (Point<f64>, &[EventKind], Option<Category>) =
            if draw < 0.6 && !vertices.is_empty() {
                let v = pick(&mut rng, &vertices);
                let p = Point::new(
                    v.x() + 0.4 * signed(&mut rng),
                    v.y() + 0.27 * signed(&mut rng),
                );
                use EventKind::*;
                (
                    p,
                    &[Artillery, Artillery, SmallArms, Drone, Clash, Mine, Missile],
                    None,
                )
            } else if draw < 0.75 && !sites.is_empty() {
                let (s, category) = pick(&mut rng, &sites);
                let p = Point::new(
                    s.x() + 0.3 * signed(&mut rng),
                    s.y() + 0.2 * signed(&mut rng),
                );
                use EventKind::*;
                let target = (rng.unit() < 0.5).then_some(category);
                (p, &[InfrastructureStrike, Drone, Missile], target)
            } else if draw < 0.85 {
                let p = Point::new(30.5 + 3.0 * rng.unit(), 44.6 + 1.6 * rng.unit());
                use EventKind::*;
                (p, &[Naval, Mine, Drone], None)
            } else {
                let p = Point::new(22.1 + 18.1 * rng.unit(), 44.4 + 8.0 * rng.unit());
                use EventKind::*;
                (p, &[Drone, Missile, AirIncursion], None)
            };
        let kind = pick(&mut rng, kinds);
        let when = index(&mut rng, span_seconds as usize) as i64;
        let tellers = 1 + index(&mut rng, 4);
        let first = index(&mut rng, SOURCES.len());
        // One event in twenty also reaches a daily digest that dates it only to within half a day and places it
        // to 25 km, as UCDP or ACLED code a day-precision event: the vague reports corroboration must still join.
        let digest = rng.unit() < 0.05;
        for n in 0..tellers + usize::from(digest) {
            if out.len() == spec.reports {
                break;
            }
            // Distinct sources for one event: consecutive in the list from a random start.
            let (name, source_kind, hours, km) = if n == tellers {
                DIGEST
            } else {
                SOURCES[(first + n * 3) % SOURCES.len()]
            };
            let error_seconds = (signed(&mut rng) * hours * 3600.0) as i64;
            let time = spec
                .start
                .saturating_add(SignedDuration::from_secs(when + error_seconds))
                .unwrap_or(spec.start);
            // An error within the stated radius (in degrees: a degree of latitude is 111 km, of longitude
            // about 70 km here).
            let place = Point::new(
                centre.x() + signed(&mut rng) * km / 70.0 * std::f64::consts::FRAC_1_SQRT_2,
                centre.y() + signed(&mut rng) * km / 111.0 * std::f64::consts::FRAC_1_SQRT_2,
            );
            out.push(Report {
                id: format!("s{}-{}", spec.seed, out.len()),
                source: name.to_owned(),
                source_kind,
                time,
                time_precision: Precision { radius: hours },
                place,
                place_precision: Precision { radius: km },
                kind,
                target,
                count: 1,
                text: String::new(),
                parties: Vec::new(),
                links: Vec::new(),
            });
        }
    }
    out
}
