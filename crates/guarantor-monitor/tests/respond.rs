//! The default terms' escalation rules applied to judged incidents: single incidents and patterns.

use std::sync::LazyLock;

use geo_types::Point;
use guarantor_core::{EventKind, Incident, Precision, Report, Scenario, SourceKind};
use guarantor_monitor::{Placer, grade, judge, respond, threatened_site};

static DEFAULT: LazyLock<Scenario> = LazyLock::new(|| {
    guarantor_scenario::check(&guarantor_scenario::SourceSet::builtin_default())
        .scenario
        .expect("the default scenario is valid")
});

static PLACER: LazyLock<Placer<'static>> = LazyLock::new(|| Placer::new(&DEFAULT));

fn report(
    source: &str,
    kind: SourceKind,
    what: EventKind,
    lon: f64,
    lat: f64,
    when: &str,
) -> Report {
    Report {
        id: format!("{source}-{when}"),
        source: source.into(),
        source_kind: kind,
        time: when.parse().expect("a valid time"),
        time_precision: Precision { radius: 0.25 },
        place: Point::new(lon, lat),
        place_precision: Precision { radius: 0.5 },
        kind: what,
        target: None,
        count: 1,
        text: String::new(),
        parties: Vec::new(),
        links: Vec::new(),
    }
}

fn incident(reports: Vec<Report>) -> Incident {
    Incident {
        confidence: grade(&reports),
        reports,
    }
}

fn fired(incidents: &[Incident]) -> Vec<(String, Vec<usize>)> {
    let s = &*DEFAULT;
    let judged: Vec<_> = incidents.iter().map(|i| judge(&PLACER, i)).collect();
    respond(s, incidents, &judged)
        .into_iter()
        .map(|t| (t.rule.to_string(), t.incidents))
        .collect()
}

#[test]
fn a_confirmed_strike_at_a_nuclear_plant_calls_for_reinforcement_first() {
    let when = "2027-01-10T08:00:00Z";
    let strike = incident(vec![
        report(
            "smm-7",
            SourceKind::Patrol,
            EventKind::Artillery,
            34.5863,
            47.5119,
            when,
        ),
        report(
            "reuters",
            SourceKind::Media,
            EventKind::Artillery,
            34.59,
            47.515,
            when,
        ),
    ]);
    let rules = fired(std::slice::from_ref(&strike));
    let names: Vec<&str> = rules.iter().map(|(r, _)| r.as_str()).collect();
    // Highest step first: reinforcement (tier 2), then the tier-1 warning any confirmed grave violation brings.
    assert_eq!(
        names,
        [
            "nuclear-strike",
            "confirmed-grave",
            "probable-serious",
            "every-violation"
        ]
    );
    // The site to reinforce: Zaporizhzhia NPP is not a force site; the nearest one with a node is.
    let (placement, _) = judge(&PLACER, &strike);
    // The sites a reinforcement can go to, as the app gives them: land sites with a node, not the hubs.
    let candidates: Vec<&guarantor_core::Site> = DEFAULT
        .sites
        .iter()
        .filter(|s| !s.kind.is_area() && s.kind != guarantor_core::SiteKind::LogisticsHub)
        .filter(|s| DEFAULT.site_node(&s.id).is_some())
        .collect();
    let site = threatened_site(&DEFAULT, &strike, &placement, &candidates).expect("a site");
    assert_eq!(site.id.as_str(), "npp-south-ukraine");
}

#[test]
fn the_same_strike_seen_by_one_patrol_alone_is_not_enough_to_move_forces() {
    let strike = incident(vec![report(
        "smm-7",
        SourceKind::Patrol,
        EventKind::Artillery,
        34.5863,
        47.5119,
        "2027-01-10T08:00:00Z",
    )]);
    let names: Vec<String> = fired(&[strike]).into_iter().map(|(r, _)| r).collect();
    assert_eq!(names, ["probable-serious", "every-violation"]);
}

#[test]
fn three_confirmed_violations_in_one_sector_within_a_day_make_a_pattern() {
    // Small arms near Huliaipole, confirmed each time (a patrol and the media), hours apart and a few km apart.
    let at = |lon: f64, when: &str| {
        incident(vec![
            report(
                "smm-7",
                SourceKind::Patrol,
                EventKind::SmallArms,
                lon,
                47.65,
                when,
            ),
            report(
                "ukrinform",
                SourceKind::Media,
                EventKind::SmallArms,
                lon,
                47.65,
                when,
            ),
        ])
    };
    let three = [
        at(36.20, "2027-01-10T02:00:00Z"),
        at(36.26, "2027-01-10T09:00:00Z"),
        at(36.30, "2027-01-10T20:00:00Z"),
    ];
    let patterns: Vec<Vec<usize>> = fired(&three)
        .into_iter()
        .filter(|(r, _)| r == "sector-pattern")
        .map(|(_, i)| i)
        .collect();
    assert_eq!(patterns, [vec![0, 1, 2]]);

    // Two are not a pattern; nor are three spread along 150 km of the line, or over two days.
    assert!(
        !fired(&three[..2])
            .iter()
            .any(|(r, _)| r == "sector-pattern")
    );
    let spread = [
        at(35.0, "2027-01-10T02:00:00Z"),
        at(36.0, "2027-01-10T09:00:00Z"),
        at(37.0, "2027-01-10T20:00:00Z"),
    ];
    assert!(!fired(&spread).iter().any(|(r, _)| r == "sector-pattern"));
    let slow = [
        at(36.20, "2027-01-10T02:00:00Z"),
        at(36.26, "2027-01-11T09:00:00Z"),
        at(36.30, "2027-01-12T20:00:00Z"),
    ];
    assert!(!fired(&slow).iter().any(|(r, _)| r == "sector-pattern"));
}

/// The threatened site is the nearest by the geodesic, as the plain minimum over every candidate finds it
/// (the fast prefilter never changes the answer), at points all over the theatre and between sites.
#[test]
fn the_threatened_site_is_the_plain_geodesic_nearest() {
    let sites: Vec<&guarantor_core::Site> = DEFAULT.sites.iter().collect();
    let mut points: Vec<(f64, f64)> = Vec::new();
    for i in 0..60 {
        for j in 0..40 {
            points.push((20.0 + f64::from(i) * 0.3, 43.0 + f64::from(j) * 0.3));
        }
    }
    // Midpoints of pairs of sites: the closest calls.
    for a in &sites {
        for b in &sites {
            points.push((
                (a.location.x() + b.location.x()) / 2.0,
                (a.location.y() + b.location.y()) / 2.0,
            ));
        }
    }
    for (lon, lat) in points {
        let i = incident(vec![report(
            "smm",
            SourceKind::Patrol,
            EventKind::Artillery,
            lon,
            lat,
            "2026-12-05T04:00:00Z",
        )]);
        let placement = PLACER.place(i.reports[0].place);
        let plain = sites.iter().copied().min_by(|a, b| {
            guarantor_core::geodesic_km(i.reports[0].place, a.location)
                .total_cmp(&guarantor_core::geodesic_km(i.reports[0].place, b.location))
        });
        let got = threatened_site(&DEFAULT, &i, &placement, &sites);
        if placement.inside_protected.is_none() {
            assert_eq!(got.map(|s| &s.id), plain.map(|s| &s.id), "at {lon}, {lat}");
        }
    }
}
