//! Corroboration as a monitoring cell would check it: which reports make one incident, how sure it is, and
//! that neither depends on the order the reports came in.

use std::collections::BTreeSet;

use geo_types::Point;
use guarantor_core::{Confidence, EventKind, Precision, Report, SourceKind};
use guarantor_monitor::{Slack, fit, grade, group, incidents, same_event, same_incident};
use jiff::Timestamp;
use proptest::prelude::*;

/// A report at `minutes` past 2026-12-05 06:00 UTC, `km_east` km east of a point near Huliaipole.
fn report(
    id: &str,
    source: &str,
    kind: SourceKind,
    what: EventKind,
    minutes: i64,
    km_east: f64,
) -> Report {
    let base = Timestamp::from_second(1_796_450_400).expect("a valid time"); // 2026-12-05T06:00:00Z
    Report {
        id: id.into(),
        source: source.into(),
        source_kind: kind,
        time: base
            .checked_add(jiff::SignedDuration::from_mins(minutes))
            .expect("in range"),
        time_precision: Precision { radius: 0.25 },
        place: Point::new(36.26 + km_east / 75.0, 47.65),
        place_precision: Precision { radius: 0.5 },
        kind: what,
        target: None,
        count: 1,
        text: String::new(),
        parties: Vec::new(),
        links: Vec::new(),
    }
}

fn ids(reports: &[Report], groups: &[Vec<usize>]) -> BTreeSet<BTreeSet<String>> {
    groups
        .iter()
        .map(|g| g.iter().map(|&i| reports[i].id.clone()).collect())
        .collect()
}

#[test]
fn two_sources_close_in_time_and_place_make_one_confirmed_incident() {
    let reports = vec![
        report(
            "p1",
            "smm-patrol-7",
            SourceKind::Patrol,
            EventKind::Artillery,
            0,
            0.0,
        ),
        report(
            "m1",
            "ukrinform",
            SourceKind::Media,
            EventKind::Artillery,
            20,
            1.0,
        ),
    ];
    let found = incidents(&reports, Slack::default());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].confidence, Confidence::Confirmed);
}

#[test]
fn reports_far_apart_or_of_incompatible_kinds_stay_apart() {
    let reports = vec![
        report(
            "p1",
            "smm-patrol-7",
            SourceKind::Patrol,
            EventKind::Artillery,
            0,
            0.0,
        ),
        report(
            "far",
            "ukrinform",
            SourceKind::Media,
            EventKind::Artillery,
            10,
            40.0,
        ),
        report(
            "later",
            "ukrinform",
            SourceKind::Media,
            EventKind::Artillery,
            6 * 60,
            0.0,
        ),
        report(
            "rifle",
            "ukrinform",
            SourceKind::Media,
            EventKind::SmallArms,
            5,
            0.0,
        ),
    ];
    let found = incidents(&reports, Slack::default());
    assert_eq!(found.len(), 4);
    // The patrol alone is probable; a single outlet is a single source.
    assert_eq!(found[0].confidence, Confidence::Probable);
    assert!(
        found[1..]
            .iter()
            .all(|i| i.confidence == Confidence::SingleSource)
    );
}

#[test]
fn a_vague_report_joins_what_its_precision_allows() {
    // A date-only report (±12 h) from a party matches a patrol's report nine hours from its midpoint.
    let mut vague = report(
        "ua-1",
        "ua-general-staff",
        SourceKind::Party,
        EventKind::Artillery,
        0,
        0.5,
    );
    vague.time_precision = Precision { radius: 12.0 };
    let patrol = report(
        "p1",
        "smm-patrol-7",
        SourceKind::Patrol,
        EventKind::Artillery,
        9 * 60,
        0.0,
    );
    assert!(same_event(&vague, &patrol, Slack::default()));
    let mut exact = vague.clone();
    exact.time_precision = Precision { radius: 0.25 };
    assert!(!same_event(&exact, &patrol, Slack::default()));
}

#[test]
fn reports_dated_to_consecutive_days_stay_apart() {
    // Two date-only accounts of fighting in one town (UCDP's day precision, noon ± 12 h): the days touch at
    // midnight but do not overlap, so a week of daily fighting is seven incidents, not one.
    let day = |n: i64| {
        let mut r = report(
            &format!("d{n}"),
            "ucdp-ged",
            SourceKind::Media,
            EventKind::Clash,
            n * 24 * 60,
            0.0,
        );
        r.time_precision = Precision { radius: 12.0 };
        r
    };
    let week: Vec<Report> = (0..7).map(day).collect();
    assert_eq!(group(&week, Slack::default()).len(), 7);
    assert!(!same_event(&week[0], &week[1], Slack::default()));
    // Two accounts of one day still meet, and a precise report within the day joins it.
    let mut twin = day(3);
    twin.id = "twin".into();
    twin.source = "media-a".into();
    assert!(same_event(&week[3], &twin, Slack::default()));
}

#[test]
fn a_strike_on_infrastructure_matches_the_weapon_that_made_it() {
    let a = report(
        "a",
        "ua-mod",
        SourceKind::Party,
        EventKind::InfrastructureStrike,
        0,
        0.0,
    );
    let b = report(
        "b",
        "sensor-3",
        SourceKind::Sensor,
        EventKind::Drone,
        10,
        0.5,
    );
    assert!(same_event(&a, &b, Slack::default()));
    let c = report(
        "c",
        "sensor-3",
        SourceKind::Sensor,
        EventKind::Presence,
        10,
        0.5,
    );
    assert!(!same_event(&a, &c, Slack::default()));
}

#[test]
fn a_report_between_two_others_joins_one_of_them_never_both() {
    // 0 km and 2 km are too far apart to be in one incident (1.05 km is a pair's reach with the precision and
    // slack, and an incident spans one and a half reaches at most), but 0.98 km is close to both: it joins the
    // nearer (east, 1.02 km away, is the farther), and the two events stay apart.
    let reports = vec![
        report("west", "a", SourceKind::Media, EventKind::Artillery, 0, 0.0),
        report("east", "b", SourceKind::Media, EventKind::Artillery, 0, 2.0),
        report("mid", "c", SourceKind::Media, EventKind::Artillery, 0, 0.98),
    ];
    assert!(!same_incident(&reports[0], &reports[1], Slack::default()));
    assert!(same_event(&reports[2], &reports[1], Slack::default()));
    let groups = ids(&reports, &group(&reports, Slack::default()));
    let expected: BTreeSet<BTreeSet<String>> = [vec!["west", "mid"], vec!["east"]]
        .iter()
        .map(|g| g.iter().map(|s| s.to_string()).collect())
        .collect();
    assert_eq!(groups, expected);
}

#[test]
fn confidence_follows_the_sources() {
    let r = |source: &str, kind| report("x", source, kind, EventKind::Artillery, 0, 0.0);
    let cases = [
        (
            vec![r("ua-mod", SourceKind::Party)],
            Confidence::SingleSource,
        ),
        (
            vec![
                r("ua-mod", SourceKind::Party),
                r("ua-mod", SourceKind::Party),
            ],
            Confidence::SingleSource,
        ),
        (
            vec![
                r("ua-mod", SourceKind::Party),
                r("ru-mod", SourceKind::Party),
            ],
            Confidence::Possible,
        ),
        (
            vec![
                r("ua-mod", SourceKind::Party),
                r("reuters", SourceKind::Media),
            ],
            Confidence::Probable,
        ),
        (
            vec![r("sensor-3", SourceKind::Sensor)],
            Confidence::Probable,
        ),
        (
            vec![
                r("sensor-3", SourceKind::Sensor),
                r("ru-mod", SourceKind::Party),
            ],
            Confidence::Confirmed,
        ),
    ];
    for (reports, expected) in cases {
        assert_eq!(grade(&reports), expected, "{reports:?}");
    }
}

fn arbitrary_reports() -> impl Strategy<Value = Vec<Report>> {
    let one = (
        0usize..4,
        0usize..3,
        prop_oneof![3 => 0i64..600, 1 => 0i64..15_000],
        0.0f64..12.0,
        prop_oneof![3 => 0.0f64..3.0, 1 => 0.0f64..16.0],
        prop_oneof![3 => 0.0f64..4.0, 1 => 0.0f64..8.0],
        prop_oneof![0.0f64..0.1, 0.0f64..60.0],
        // The post a report cites, if any (a few, so that some reports days apart cite one).
        prop_oneof![2 => Just(None), 1 => (0usize..12).prop_map(Some)],
    );
    prop::collection::vec(one, 0..60).prop_map(|rows| {
        let kinds = [
            EventKind::Artillery,
            EventKind::Drone,
            EventKind::InfrastructureStrike,
        ];
        let sources = [
            ("patrol-1", SourceKind::Patrol),
            ("ua-mod", SourceKind::Party),
            ("ru-mod", SourceKind::Party),
            ("media", SourceKind::Media),
        ];
        rows.into_iter()
            .enumerate()
            .map(
                |(n, (s, k, minutes, km, km_precision, hours_precision, km_north, post))| {
                    let mut r = report(
                        &format!("r{n}"),
                        sources[s].0,
                        sources[s].1,
                        kinds[k],
                        minutes,
                        km,
                    );
                    // Some reports north of the others, across the search grid's cells; some vague enough (in
                    // place or time) to be searched outside it.
                    r.place = Point::new(r.place.x(), r.place.y() + km_north / 111.0);
                    r.place_precision = Precision {
                        radius: km_precision,
                    };
                    r.time_precision = Precision {
                        radius: hours_precision,
                    };
                    r.links = post
                        .map(|p| format!("https://t.me/channel/{p}"))
                        .into_iter()
                        .collect();
                    r
                },
            )
            .collect()
    })
}

proptest! {
    #[test]
    fn the_order_of_the_reports_does_not_change_the_incidents(
        reports in arbitrary_reports(),
        seed in any::<u64>(),
    ) {
        let slack = Slack::default();
        let mut shuffled = reports.clone();
        // A deterministic shuffle from the seed.
        let mut state = seed;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            let j = (state >> 33) as usize % (i + 1);
            shuffled.swap(i, j);
        }
        let a = ids(&reports, &group(&reports, slack));
        let b = ids(&shuffled, &group(&shuffled, slack));
        prop_assert_eq!(a, b);
        let grades = |rs: &[Report]| -> BTreeSet<(BTreeSet<String>, &'static str)> {
            incidents(rs, slack)
                .into_iter()
                .map(|i| (i.reports.iter().map(|r| r.id.clone()).collect(), i.confidence.as_str()))
                .collect()
        };
        prop_assert_eq!(grades(&reports), grades(&shuffled));
    }

    #[test]
    fn incidents_are_complete_link_groups_of_the_same_event_relation(reports in arbitrary_reports()) {
        let slack = Slack::default();
        let groups = group(&reports, slack);
        // Every report once; within an incident every pair may be in one incident.
        let mut seen: Vec<usize> = groups.iter().flatten().copied().collect();
        seen.sort_unstable();
        prop_assert_eq!(seen, (0..reports.len()).collect::<Vec<_>>());
        for g in &groups {
            for &a in g {
                for &b in g {
                    prop_assert!(a == b || same_incident(&reports[a], &reports[b], slack));
                }
            }
        }
        // And the same groups as the brute-force oracle (every pair compared, the same order of merging).
        prop_assert_eq!(ids(&reports, &groups), complete_link_oracle(&reports, slack));
    }
}

/// Complete link over every pair, closest fit first: the oracle for the windowed search.
fn complete_link_oracle(reports: &[Report], slack: Slack) -> BTreeSet<BTreeSet<String>> {
    let n = reports.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let k = |i: usize| {
            (
                reports[i].time,
                reports[i].source.clone(),
                reports[i].id.clone(),
                i,
            )
        };
        k(a).cmp(&k(b))
    });
    let mut rank = vec![0; n];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    let mut edges: Vec<(f64, usize, usize)> = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            if same_event(&reports[i], &reports[j], slack) {
                edges.push((fit(&reports[i], &reports[j], slack), i, j));
            }
        }
    }
    edges.sort_by(|x, y| {
        let k = |e: &(f64, usize, usize)| (rank[e.1].min(rank[e.2]), rank[e.1].max(rank[e.2]));
        x.0.total_cmp(&y.0).then(k(x).cmp(&k(y)))
    });
    let mut label: Vec<usize> = (0..n).collect();
    for (_, i, j) in edges {
        let (x, y) = (label[i], label[j]);
        if x == y {
            continue;
        }
        let xs: Vec<usize> = (0..n).filter(|&k| label[k] == x).collect();
        let ys: Vec<usize> = (0..n).filter(|&k| label[k] == y).collect();
        if xs.iter().all(|&a| {
            ys.iter()
                .all(|&b| same_incident(&reports[a], &reports[b], slack))
        }) {
            for k in ys {
                label[k] = x;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, BTreeSet<String>> = Default::default();
    for (i, l) in label.iter().enumerate() {
        groups.entry(*l).or_default().insert(reports[i].id.clone());
    }
    groups.into_values().collect()
}

#[test]
fn a_ucdp_event_told_by_five_articles_is_one_incident_with_five_sources() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../guarantor-scenario/tests/fixtures/ucdp_ged_ukraine_extract.csv");
    let text = std::fs::read_to_string(&path).expect("the UCDP extract");
    let read = guarantor_scenario::read_reports(
        "ucdp.csv",
        &text,
        &guarantor_scenario::layout_named("ucdp-articles").expect("shipped"),
    );
    let events = guarantor_scenario::read_reports(
        "ucdp.csv",
        &text,
        &guarantor_scenario::layout_named("ucdp").expect("shipped"),
    );
    let found = incidents(&read.reports, Slack::default());
    let maidan = found
        .iter()
        .find(|i| i.reports.iter().any(|r| r.id == "ucdp-147997-a1"))
        .expect("the event's incident");
    let own: Vec<&Report> = maidan
        .reports
        .iter()
        .filter(|r| r.id.starts_with("ucdp-147997-"))
        .collect();
    assert_eq!(own.len(), 5, "all five articles in one incident");
    let sources: BTreeSet<&str> = own.iter().map(|r| r.source.as_str()).collect();
    assert_eq!(sources.len(), 5);
    assert_eq!(maidan.confidence, Confidence::Probable);
    // Articles of one event never make more incidents than there are events.
    assert!(
        found.len() <= events.reports.len(),
        "{} incidents from {} events",
        found.len(),
        events.reports.len()
    );
}

#[test]
fn a_spread_out_feed_with_vague_reports_groups_as_the_all_pairs_oracle_does() {
    // 800 reports over 3° × 3° and three days: most precise, some media-vague, some dated only to the day and
    // placed to 25 km (searched outside the grid), so every path of the sweep is used.
    let mut rng = guarantor_core::SplitMix64::new(5);
    let kinds = [
        EventKind::Artillery,
        EventKind::Drone,
        EventKind::Clash,
        EventKind::Naval,
    ];
    let reports: Vec<Report> = (0..800)
        .map(|n| {
            let mut r = report(
                &format!("s{n}"),
                ["patrol-1", "ua-mod", "ru-mod", "media"][rng.below(4) as usize],
                SourceKind::Party,
                kinds[rng.below(4) as usize],
                rng.below(3 * 24 * 60) as i64,
                0.0,
            );
            r.place = Point::new(rng.float(34.5, 37.5), rng.float(46.5, 49.5));
            let (km, hours) = match rng.below(10) {
                0 => (25.0, 12.0),
                1 | 2 => (10.0, 3.0),
                _ => (rng.float(0.0, 3.0), rng.float(0.0, 0.5)),
            };
            r.place_precision = Precision { radius: km };
            r.time_precision = Precision { radius: hours };
            r
        })
        .collect();
    let slack = Slack::default();
    let expected = complete_link_oracle(&reports, slack);
    let got = ids(&reports, &group(&reports, slack));
    assert!(
        got.len() > 100 && got.len() < 800,
        "{} incidents",
        got.len()
    );
    assert_eq!(got, expected);
}

#[test]
fn an_interception_matches_what_was_intercepted_and_a_sighting_matches_only_a_sighting() {
    use EventKind::*;
    use guarantor_monitor::compatible;
    for k in [Drone, Missile, AirIncursion, Interception] {
        assert!(
            compatible(Interception, k) && compatible(k, Interception),
            "{k:?}"
        );
    }
    for k in [Artillery, SmallArms, Mine, Naval, Clash, Presence] {
        assert!(!compatible(Interception, k), "{k:?}");
    }
    for k in EventKind::ALL.iter().copied() {
        assert_eq!(compatible(Presence, k), k == Presence, "{k:?}");
        assert_eq!(compatible(k, Presence), k == Presence, "{k:?}");
    }
}

#[test]
fn reports_citing_one_post_are_one_event_though_dated_days_apart() {
    // A CIR row dated to the day a video was filmed, a Bellingcat record to the day it was posted: one strike.
    let mut filmed = report(
        "cir-1",
        "cir",
        SourceKind::Media,
        EventKind::Artillery,
        0,
        0.0,
    );
    let mut posted = report(
        "bc-1",
        "bellingcat",
        SourceKind::Media,
        EventKind::InfrastructureStrike,
        3 * 24 * 60,
        0.1,
    );
    assert!(!same_event(&filmed, &posted, Slack::default()));
    filmed.links = vec!["https://twitter.com/someone/status/1512345".into()];
    posted.links = vec![
        "https://t.me/other/9".into(),
        "https://x.com/someone_else/status/1512345?s=20".into(),
    ];
    assert!(same_event(&filmed, &posted, Slack::default()));
    // A placeholder is no link, and a week and a half is too long.
    let mut hidden = posted.clone();
    hidden.links = vec!["Access can be requested".into()];
    filmed.links.push("Access can be requested".into());
    assert!(!same_event(&filmed, &hidden, Slack::default()));
    let mut late = posted.clone();
    late.time = filmed
        .time
        .checked_add(jiff::SignedDuration::from_hours(10 * 24))
        .expect("in range");
    assert!(!same_event(&filmed, &late, Slack::default()));
}

#[test]
fn two_outlets_repeating_one_post_are_one_source() {
    use guarantor_monitor::independent_sources;
    let mut cir = report("c1", "cir", SourceKind::Media, EventKind::Missile, 0, 0.0);
    let mut bellingcat = report(
        "b1",
        "bellingcat",
        SourceKind::Media,
        EventKind::Missile,
        0,
        0.0,
    );
    let patrol = report(
        "p1",
        "smm-patrol-7",
        SourceKind::Patrol,
        EventKind::Missile,
        5,
        0.0,
    );
    // Two outlets, each its own account: two sources, probable.
    assert_eq!(grade([&cir, &bellingcat]), Confidence::Probable);
    // Both citing one post (written two ways): one source.
    cir.links = vec!["https://t.me/kharkiv_news/123".into()];
    bellingcat.links = vec![
        "https://t.me/s/kharkiv_news/123/".into(),
        "https://x.com/a/status/9".into(),
    ];
    assert_eq!(grade([&cir, &bellingcat]), Confidence::SingleSource);
    let sources = independent_sources(&[&cir, &bellingcat, &patrol]);
    assert_eq!(
        sources,
        vec![
            (vec!["bellingcat", "cir"], SourceKind::Media),
            (vec!["smm-patrol-7"], SourceKind::Patrol)
        ]
    );
    // With the coalition's own patrol: two independent sources, one its own.
    assert_eq!(grade([&cir, &bellingcat, &patrol]), Confidence::Confirmed);
    // Each outlet also citing a post the other does not: each adds an account of its own.
    cir.links.push("https://t.me/odesa_live/77".into());
    assert_eq!(grade([&cir, &bellingcat]), Confidence::Probable);
}
