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

/// `incident` with the report's text (and its source's coded parties).
fn told(lon: f64, lat: f64, kind: EventKind, text: &str, parties: &[&str]) -> Incident {
    let mut i = incident(lon, lat, kind, "2027-02-01T10:00:00Z", None);
    i.reports[0].text = text.to_owned();
    i.reports[0].parties = parties.iter().map(|p| (*p).to_owned()).collect();
    i
}

#[test]
fn real_places_are_named_and_put_in_their_oblast_and_on_land() {
    // (lon, lat, nearest place, oblast, surface): Irpin and Hostomel lie inside Natural Earth's Kyiv City but are
    // towns of Kyiv oblast; Kherson's riverbank and Sevastopol's bay fall in the water of the 1:10m outlines.
    let cases = [
        (30.2506, 50.5218, "Irpin", "Kyiv", Surface::Land),
        (30.2651, 50.5684, "Hostomel", "Kyiv", Surface::Land),
        (30.5238, 50.4547, "Kyiv", "Kyiv City", Surface::Land),
        (32.6236, 46.6282, "Kherson", "Kherson", Surface::Land),
        (33.4981, 44.6166, "Sevastopol", "Sevastopol", Surface::Land),
        (24.0297, 49.8397, "Lviv", "Lviv", Surface::Land),
    ];
    for (lon, lat, place, oblast, surface) in cases {
        let p = PLACER.place(Point::new(lon, lat));
        let named = p.place.as_ref().expect("a named place");
        assert!(named.name.starts_with(place), "{lon},{lat}: {named:?}");
        assert!(named.km < 6.0, "{lon},{lat}: {named:?}");
        assert_eq!(p.oblast.as_deref(), Some(oblast), "{lon},{lat}: {p:?}");
        assert_eq!(p.surface, surface, "{lon},{lat}: {p:?}");
    }
    // Snake Island (too small for the outlines) stays at sea, named from the nearest town, 40 km away.
    let p = PLACER.place(Point::new(30.2040, 45.2550));
    assert_eq!(p.surface, Surface::BlackSea);
    assert!(!p.ashore);
    let named = p.place.expect("a named place");
    assert!(named.km > 30.0 && named.bearing.is_some(), "{named:?}");
    assert!(named.describe().contains(" km "), "{}", named.describe());
}

#[test]
fn what_was_hit_comes_from_the_words_and_says_so() {
    // A mine on a riverbank is not a naval event; the text says what it hit.
    let (placed, v) = judge(
        &PLACER,
        &told(
            32.6236,
            46.6282,
            EventKind::Mine,
            "A landmine exploded near a residential building",
            &[],
        ),
    );
    assert_eq!(placed.surface, Surface::Land);
    let hit = v.hit.expect("a category");
    assert_eq!(hit.category, Category::Civilian);
    assert!(hit.by.contains("residential"), "{}", hit.by);
    // A strike on a ship in port (ashore within the coast's tolerance) is on sea targets, and heavy.
    let (placed, v) = judge(
        &PLACER,
        &told(
            33.4981,
            44.6166,
            EventKind::Naval,
            "Strike on a landing ship",
            &[],
        ),
    );
    assert!(placed.ashore);
    assert_eq!(
        v.hit.as_ref().expect("a category").category,
        Category::SeaTargets
    );
    assert!(v.severity >= Severity::Serious, "{v:?}");
    // Words in Ukrainian: a substation.
    let (_, v) = judge(
        &PLACER,
        &told(30.7, 46.48, EventKind::Drone, "Удар по підстанції", &[]),
    );
    assert_eq!(v.hit.expect("a category").category, Category::Electricity);
    // Inside a plant's radius with no word said: the radius decides for a strike, not for a shot.
    let (_, v) = judge(
        &PLACER,
        &told(34.5863, 47.5119, EventKind::Artillery, "Shelling", &[]),
    );
    let hit = v.hit.expect("a category");
    assert_eq!(hit.category, Category::Nuclear);
    assert!(hit.by.contains("zaporizhzhia-npp"), "{}", hit.by);
    let (_, v) = judge(
        &PLACER,
        &told(34.5863, 47.5119, EventKind::SmallArms, "Shots heard", &[]),
    );
    assert_eq!(v.hit, None);
    // Forces seen hit nothing.
    let (_, v) = judge(
        &PLACER,
        &told(
            36.0,
            48.5,
            EventKind::Presence,
            "Russian tanks seen near a school",
            &[],
        ),
    );
    assert_eq!(v.hit, None);
}

#[test]
fn the_party_is_the_evidence_and_unknown_when_it_points_both_ways() {
    use guarantor_core::{Firmness, Party};
    use guarantor_monitor::attribute;
    let a = attribute(&told(
        36.2,
        49.99,
        EventKind::Artillery,
        "Russian forces shelled a market",
        &[],
    ));
    assert_eq!(a.party, Some(Party::Russia));
    assert_eq!(a.firmness, Firmness::Medium);
    // The verdict names the party too.
    let (_, v) = judge(
        &PLACER,
        &told(
            36.2,
            49.99,
            EventKind::Artillery,
            "Russian forces shelled a market",
            &[],
        ),
    );
    assert!(
        v.reasons
            .iter()
            .any(|r| r == "the evidence points to russia (medium firmness)"),
        "{v:?}"
    );
    assert!(a.grounds[0].contains("russian forces"), "{:?}", a.grounds);
    // A source coding one party, agreeing with the words: high.
    let a = attribute(&told(
        36.2,
        49.99,
        EventKind::Artillery,
        "Russian artillery hit the town",
        &["Military Forces of Russia (2000-)", "Civilians (Ukraine)"],
    ));
    assert_eq!((a.party, a.firmness), (Some(Party::Russia), Firmness::High));
    // A dyad coded (UCDP's two sides) is no evidence of who fired.
    let a = attribute(&told(
        36.2,
        49.99,
        EventKind::Clash,
        "Fighting near the town",
        &[
            "Government of Russia (Soviet Union)",
            "Government of Ukraine",
        ],
    ));
    assert_eq!(a.party, None);
    // A weapon only one side fields: low.
    let a = attribute(&told(
        36.2,
        49.99,
        EventKind::Missile,
        "HIMARS strike on a depot",
        &[],
    ));
    assert_eq!((a.party, a.firmness), (Some(Party::Ukraine), Firmness::Low));
    // Both ways: unknown, with every ground.
    let a = attribute(&told(
        36.2,
        49.99,
        EventKind::Artillery,
        "Russian artillery fired; Ukrainian artillery answered",
        &[],
    ));
    assert_eq!(a.party, None);
    assert!(a.grounds.len() >= 3, "{:?}", a.grounds);
    // No words: unknown.
    assert_eq!(
        attribute(&told(36.2, 49.99, EventKind::Artillery, "Explosion", &[])).party,
        None
    );
}

#[test]
fn occupied_or_not_as_the_area_was_on_the_day() {
    // Selydove was taken in late October 2024: not occupied in the series' outline of 1 October 2024, occupied
    // in that of 1 November; before the series (2022) and without a day, the scenario's area (2026) answers.
    let selydove = Point::new(37.3016, 48.1469);
    let day = |d: &str| Some(d.parse::<jiff::civil::Date>().expect("a day"));
    let before = PLACER.place_on(selydove, day("2024-10-15"));
    assert!(!before.occupied, "{before:?}");
    assert_eq!(before.occupied_as_of, day("2024-10-01"));
    let after = PLACER.place_on(selydove, day("2024-11-20"));
    assert!(after.occupied);
    assert_eq!(after.occupied_as_of, day("2024-11-01"));
    let early = PLACER.place_on(selydove, day("2022-05-01"));
    assert!(early.occupied && early.occupied_as_of.is_none());
    assert!(PLACER.place(selydove).occupied);
    // Long after the series ends, the scenario's area again.
    assert_eq!(
        PLACER.place_on(selydove, day("2027-03-01")).occupied_as_of,
        None
    );
    // The verdict reads the incident's day: a strike there in October 2024 is in government-held land.
    let (placed, _) = judge(
        &PLACER,
        &incident(
            37.3016,
            48.1469,
            EventKind::Artillery,
            "2024-10-15T10:00:00Z",
            None,
        ),
    );
    assert!(!placed.occupied);
}
