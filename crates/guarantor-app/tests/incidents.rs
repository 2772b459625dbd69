//! Incidents are things, not query results: formed as reports arrive, kept with their ids, and selected — never
//! changed — by the window a reader asks for.

use std::collections::{BTreeMap, BTreeSet};

use guarantor_app::{ScenarioSource, incidents, open, refresh_incidents};
use guarantor_core::{Report, Scenario};
use guarantor_monitor::synthetic::{Spec, reports as synthetic};
use guarantor_store::{Batch, ReportStore, SqliteStore};
use jiff::{SignedDuration, Timestamp};

fn scenario() -> Scenario {
    let (_, loaded) = open(&ScenarioSource::Builtin).expect("the default scenario opens");
    loaded.scenario
}

fn start() -> Timestamp {
    "2027-01-01T00:00:00Z".parse().expect("a time")
}

/// Ten days of synthetic reports over the default scenario (several sources an event, vague digests among them).
fn feed(scenario: &Scenario) -> Vec<Report> {
    synthetic(
        scenario,
        &Spec {
            seed: 7,
            reports: 3_000,
            days: 10,
            start: start(),
        },
    )
}

/// A store holding `batches` in turn, its incidents formed after each.
fn stored(batches: &[&[Report]]) -> SqliteStore {
    let mut store = SqliteStore::open(std::path::Path::new(":memory:")).expect("a store");
    for (n, batch) in batches.iter().enumerate() {
        store
            .ingest(Batch {
                file: &format!("batch-{n}.csv"),
                reports: batch,
                rejected: &[],
                by: None,
            })
            .expect("stored");
        refresh_incidents(&mut store, start()).expect("incidents formed");
    }
    store
}

/// The incidents' reports, as sets of `source/id`.
fn partition(store: &SqliteStore) -> BTreeSet<BTreeSet<String>> {
    store
        .incidents(None, None)
        .expect("read")
        .into_iter()
        .map(|i| {
            i.reports
                .into_iter()
                .map(|(s, id)| format!("{s}/{id}"))
                .collect()
        })
        .collect()
}

#[test]
fn the_same_reports_make_the_same_incidents_in_any_order_of_arrival() {
    let scenario = scenario();
    let all = feed(&scenario);
    let once = stored(&[&all]);
    // Every report in one incident, and the incidents those of the engine over all reports at once.
    assert!(once.touched().expect("read").is_empty());
    let engine: BTreeSet<BTreeSet<String>> = guarantor_monitor::group(&all, Default::default())
        .into_iter()
        .map(|g| {
            g.into_iter()
                .map(|i| format!("{}/{}", all[i].source, all[i].id))
                .collect()
        })
        .collect();
    assert_eq!(partition(&once), engine);
    // In five batches, latest first, each batch's reports reversed: the same incidents.
    let mut reversed = all.clone();
    reversed.reverse();
    let batches: Vec<&[Report]> = reversed.chunks(1_200).collect();
    let piecemeal = stored(&batches);
    assert_eq!(partition(&piecemeal), engine);
    // And the ids stay unique, each report in one incident.
    let seen: Vec<String> = partition(&piecemeal).into_iter().flatten().collect();
    assert_eq!(seen.len(), all.len());
}

#[test]
fn a_day_asked_alone_gives_the_incidents_of_a_longer_window_that_meet_it_with_the_same_ids_and_reports()
 {
    let scenario = scenario();
    let all = feed(&scenario);
    let half = all.len() / 2;
    let store = stored(&[&all[..half], &all[half..]]);
    let month_end = start() + SignedDuration::from_hours(11 * 24);
    let month = incidents(&scenario, &store, Some(start()), Some(month_end)).expect("read");
    let spans: BTreeMap<u64, (Timestamp, Timestamp)> = store
        .incidents(None, None)
        .expect("read")
        .into_iter()
        .map(|i| (i.id, (i.first, i.last)))
        .collect();
    let by_id: BTreeMap<u64, Vec<String>> = month
        .incidents
        .iter()
        .map(|i| (i.id, i.reports.clone()))
        .collect();
    assert_eq!(by_id.len(), month.incidents.len(), "ids are unique");
    let mut spanning = 0;
    for day in 0..11 {
        let from = start() + SignedDuration::from_hours(day * 24);
        let to = from + SignedDuration::from_hours(24);
        let alone = incidents(&scenario, &store, Some(from), Some(to)).expect("read");
        let expected: BTreeSet<u64> = spans
            .iter()
            .filter(|(_, (first, last))| *first < to && *last >= from)
            .map(|(id, _)| *id)
            .collect();
        let got: BTreeSet<u64> = alone.incidents.iter().map(|i| i.id).collect();
        assert_eq!(got, expected, "day {day}");
        for i in &alone.incidents {
            assert_eq!(
                Some(&i.reports),
                by_id.get(&i.id),
                "incident {} on day {day}",
                i.id
            );
        }
        spanning += alone
            .incidents
            .iter()
            .filter(|i| spans[&i.id].0 < from)
            .count();
    }
    // Some incidents span midnight (the digests' day-long precision): the test sees them in two days.
    assert!(spanning > 0);
}

#[test]
fn an_incident_keeps_its_id_as_reports_join_it() {
    let scenario = scenario();
    let all = feed(&scenario);
    // Events alone in their connected set of same-event pairs (nothing else could join them): first each
    // event's first report, then the rest. Incidents grow and keep their ids.
    let (groups, sets) = guarantor_monitor::group_with_sets(&all, Default::default());
    let mut per_set: BTreeMap<usize, usize> = BTreeMap::new();
    for s in &sets {
        *per_set.entry(*s).or_default() += 1;
    }
    let alone: Vec<&Vec<usize>> = groups
        .iter()
        .zip(&sets)
        .filter(|(g, s)| g.len() >= 2 && per_set[*s] == 1)
        .map(|(g, _)| g)
        .collect();
    assert!(alone.len() > 100, "{}", alone.len());
    let firsts: Vec<Report> = alone.iter().map(|g| all[g[0]].clone()).collect();
    let rest: Vec<Report> = alone
        .iter()
        .flat_map(|g| g[1..].iter().map(|&i| all[i].clone()))
        .collect();
    let mut store = stored(&[&firsts]);
    let before: BTreeMap<String, u64> = store
        .incidents(None, None)
        .expect("read")
        .into_iter()
        .map(|i| (format!("{}/{}", i.reports[0].0, i.reports[0].1), i.id))
        .collect();
    assert_eq!(before.len(), alone.len());
    store
        .ingest(Batch {
            file: "rest.csv",
            reports: &rest,
            rejected: &[],
            by: None,
        })
        .expect("stored");
    let changes = refresh_incidents(&mut store, start()).expect("formed");
    assert!(changes > 0);
    let after = store.incidents(None, None).expect("read");
    assert_eq!(after.len(), before.len(), "as many incidents as events");
    for i in &after {
        let firsts: Vec<u64> = i
            .reports
            .iter()
            .filter_map(|(s, id)| before.get(&format!("{s}/{id}")).copied())
            .collect();
        assert_eq!(
            firsts,
            vec![i.id],
            "incident {} keeps the id of its first report",
            i.id
        );
    }
    let log = store.incident_changes().expect("read");
    assert!(
        log.iter().any(|(_, _, c)| c.starts_with("gained")),
        "{log:?}"
    );
}

#[test]
fn a_report_dated_to_a_month_is_found_by_a_report_weeks_from_its_date() {
    let scenario = scenario();
    let precise = feed(&scenario)
        .into_iter()
        .find(|r| r.place_precision.radius <= 1.0)
        .expect("a precise report");
    // A month-dated account of the same event (an ACLED row of a month: ± 15.5 days), dated 14 days earlier.
    let mut vague = precise.clone();
    vague.id = "month-1".into();
    vague.source = "monthly-digest".into();
    vague.time_precision.radius = 372.0;
    vague.place_precision.radius = 5.0;
    vague.time = precise.time - SignedDuration::from_hours(14 * 24);
    assert!(guarantor_monitor::same_event(
        &precise,
        &vague,
        Default::default()
    ));
    // The vague one first, then the precise one: one incident, as if both had come together.
    let store = stored(&[std::slice::from_ref(&vague), std::slice::from_ref(&precise)]);
    let incidents = store.incidents(None, None).expect("read");
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(incidents[0].reports.len(), 2);
}
