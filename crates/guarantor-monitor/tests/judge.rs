//! Placement and verdicts on the default scenario's real geography (the 2026-08-22 contact line, Natural Earth
//! outlines, Ukraine's nuclear plants) and its terms.

use std::sync::LazyLock;

use geo_types::Point;
use guarantor_core::{
    Category, Confidence, Coverage, EventKind, Incident, Precision, Report, Scenario, Severity,
    SourceKind,
};
use guarantor_monitor::{Placer, Surface, judge};
use jiff::Timestamp;

static DEFAULT: LazyLock<Scenario> = LazyLock::new(|| {
    guarantor_scenario::check(&guarantor_scenario::SourceSet::builtin_default())
        .scenario
        .expect("the default scenario is valid")
});

static PLACER: LazyLock<Placer<'static>> = LazyLock::new(|| Placer::new(&DEFAULT));

fn incident(lon: f64, lat: f64, kind: EventKind, when: &str, target: Option<Category>) -> Incident {
    let report = Report {
        id: "r1".into(),
        source: "smm-patrol-1".into(),
        source_kind: SourceKind::Patrol,
        time: when.parse::<Timestamp>().expect("a valid time"),
        time_precision: Precision { radius: 0.5 },
        place: Point::new(lon, lat),
        place_precision: Precision { radius: 1.0 },
        kind,
        target,
        count: 1,
        text: String::new(),
        parties: Vec::new(),
        links: Vec::new(),
    };
    Incident {
        reports: vec![report],
        confidence: Confidence::Probable,
    }
}

#[test]
fn zaporizhzhia_npp_is_occupied_protected_and_a_strike_there_is_grave() {
    let p = PLACER.place(Point::new(34.5863, 47.5119));
    assert!(p.occupied);
    assert_eq!(p.surface, Surface::Land);
    assert_eq!(p.country.as_ref().map(|c| c.as_str()), Some("UKR"));
    assert_eq!(p.oblast.as_deref(), Some("Zaporizhzhia"));
    assert_eq!(
        p.inside_protected.as_ref().map(|t| t.as_str()),
        Some("zaporizhzhia-npp")
    );
    assert!(p.km_to_line.expect("a contact line") < 15.0, "{p:?}");
    assert_eq!(p.buffer_zone.as_ref().map(|t| t.as_str()), Some("dmz"));
    let (placed, v) = judge(
        &PLACER,
        &incident(
            34.5863,
            47.5119,
            EventKind::Artillery,
            "2027-01-10T08:00:00Z",
            None,
        ),
    );
    assert!(v.violation);
    assert_eq!(v.severity, Severity::Grave, "{v:?}");
    assert_eq!(
        placed.inside_protected.as_ref().map(|t| t.as_str()),
        Some("zaporizhzhia-npp")
    );
    assert!(
        v.reasons
            .iter()
            .any(|r| r.contains("protected site `zaporizhzhia-npp`")),
        "{v:?}"
    );
}

#[test]
fn the_seas_are_told_apart() {
    assert_eq!(
        PLACER.place(Point::new(31.2, 45.9)).surface,
        Surface::BlackSea
    );
    assert_eq!(PLACER.place(Point::new(36.6, 46.3)).surface, Surface::Azov);
    assert_eq!(
        PLACER.place(Point::new(30.52, 50.45)).surface,
        Surface::Land
    ); // Kyiv
    assert_eq!(
        PLACER.place(Point::new(30.52, 50.45)).oblast.as_deref(),
        Some("Kyiv City")
    );
    assert_eq!(PLACER.place(Point::new(31.2, 45.9)).oblast, None);
    // Far from the line, in no buffer zone.
    let kyiv = PLACER.place(Point::new(30.52, 50.45));
    assert!(kyiv.km_to_line.expect("a line") > 300.0);
    assert!(kyiv.buffer_zone.is_none() && !kyiv.occupied);
}

#[test]
fn a_naval_attack_at_sea_hits_sea_targets() {
    let (p, v) = judge(
        &PLACER,
        &incident(30.9, 46.3, EventKind::Naval, "2027-02-01T10:00:00Z", None),
    );
    assert_eq!(p.surface, Surface::BlackSea);
    assert!(v.violation);
    assert_eq!(v.severity, Severity::Serious, "{v:?}");
}

#[test]
fn nothing_before_the_terms_take_effect_is_a_violation() {
    // 2026-11-30 23:30 UTC is already 1 December in Kyiv (UTC+2): the first day of the terms.
    let (_, before) = judge(
        &PLACER,
        &incident(
            34.5863,
            47.5119,
            EventKind::Artillery,
            "2026-11-30T21:00:00Z",
            None,
        ),
    );
    assert!(!before.violation, "{before:?}");
    let (_, first_day) = judge(
        &PLACER,
        &incident(
            34.5863,
            47.5119,
            EventKind::Artillery,
            "2026-11-30T23:30:00Z",
            None,
        ),
    );
    assert!(first_day.violation, "{first_day:?}");
}

#[test]
fn a_strike_on_a_power_plant_during_the_energy_moratorium_is_grave() {
    // Trypilska TPP, 5 December 2026 (inside the 30-day energy window), then in February (outside it).
    let (_, during) = judge(
        &PLACER,
        &incident(
            30.7468,
            50.1344,
            EventKind::Drone,
            "2026-12-05T03:00:00Z",
            None,
        ),
    );
    assert!(during.violation);
    assert_eq!(during.severity, Severity::Grave, "{during:?}");
    let (_, after) = judge(
        &PLACER,
        &incident(
            30.7468,
            50.1344,
            EventKind::Drone,
            "2027-02-05T03:00:00Z",
            None,
        ),
    );
    assert_eq!(after.severity, Severity::Serious, "{after:?}");
}

#[test]
fn a_limited_ceasefire_judges_only_what_it_covers() {
    let mut s = DEFAULT.clone();
    s.terms.coverage = Coverage::Limited;
    s.terms.categories = Category::ENERGY.into_iter().collect();
    let placer = Placer::new(&s);
    // Small arms in an open field: not covered.
    let (_, field) = judge(
        &placer,
        &incident(
            36.0,
            47.9,
            EventKind::SmallArms,
            "2027-01-10T08:00:00Z",
            None,
        ),
    );
    assert!(!field.violation, "{field:?}");
    // A refinery hit: covered.
    let (_, refinery) = judge(
        &placer,
        &incident(
            36.0,
            47.9,
            EventKind::Drone,
            "2027-01-10T08:00:00Z",
            Some(Category::Refineries),
        ),
    );
    assert!(refinery.violation, "{refinery:?}");
}

#[test]
fn forces_seen_are_a_violation_only_inside_a_buffer_zone_and_an_interception_is_an_attack() {
    // Heavy weapons seen at Enerhodar, inside the buffer zone: a serious violation.
    let (_, v) = judge(
        &PLACER,
        &incident(
            34.6563,
            47.4989,
            EventKind::Presence,
            "2027-01-10T08:00:00Z",
            None,
        ),
    );
    assert!(v.violation, "{v:?}");
    assert_eq!(v.severity, Severity::Serious);
    assert!(
        v.reasons.iter().any(|r| r.contains("buffer zone `dmz`")),
        "{v:?}"
    );
    // The same in Kyiv, far from any buffer zone: recorded, not a violation.
    let (_, v) = judge(
        &PLACER,
        &incident(
            30.52,
            50.45,
            EventKind::Presence,
            "2027-01-10T08:00:00Z",
            None,
        ),
    );
    assert!(!v.violation, "{v:?}");
    assert!(
        v.reasons.iter().any(|r| r.contains("not a violation")),
        "{v:?}"
    );
    // A drone shot down over Kyiv: the attack was launched; serious.
    let (_, v) = judge(
        &PLACER,
        &incident(
            30.52,
            50.45,
            EventKind::Interception,
            "2027-01-10T08:00:00Z",
            None,
        ),
    );
    assert!(v.violation);
    assert_eq!(v.severity, Severity::Serious, "{v:?}");
}
