//! The store's test suite: one story that exercises every operation, written against the `ReportStore` trait
//! so that every implementation (SQLite now, PostgreSQL with the server) runs the same one.

use geo_types::Point;
use guarantor_core::{Category, EventKind, Precision, Report, SourceKind};
use guarantor_store::{Batch, ReportStore, SqliteStore, StoredReject};
use jiff::Timestamp;

fn report(source: &str, id: &str, time: &str, target: Option<Category>) -> Report {
    Report {
        id: id.into(),
        source: source.into(),
        source_kind: SourceKind::Patrol,
        time: time.parse().expect("a valid time"),
        time_precision: Precision { radius: 0.25 },
        place: Point::new(36.26, 47.65),
        place_precision: Precision { radius: 0.5 },
        kind: EventKind::Artillery,
        target,
        count: 12,
        text: "shelling, 12 rounds".into(),
    }
}

/// Everything a monitoring cell does with its store, in order.
fn story(store: &mut dyn ReportStore) {
    let day1 = [
        report("smm-7", "a", "2026-12-05T04:10:00.25Z", None),
        report(
            "smm-7",
            "b",
            "2026-12-05T09:00:00Z",
            Some(Category::Electricity),
        ),
        report("ua-mod", "a", "2026-12-06T01:00:00Z", None),
    ];
    let rejected = [StoredReject {
        file: "day1.csv".into(),
        line: 5,
        reason: "`time` is `yesterday`".into(),
        row: "p-2,smm-7,patrol,yesterday".into(),
    }];
    let first = store
        .ingest(Batch {
            file: "day1.csv",
            reports: &day1,
            rejected: &rejected,
        })
        .expect("ingest");
    assert_eq!(
        (first.new, first.duplicates, first.conflicts, first.rejected),
        (3, 0, 0, 1)
    );

    // The same file again: nothing new, nothing twice.
    let again = store
        .ingest(Batch {
            file: "day1.csv",
            reports: &day1,
            rejected: &rejected,
        })
        .expect("ingest");
    assert_eq!(
        (again.new, again.duplicates, again.conflicts, again.rejected),
        (0, 3, 0, 0)
    );

    // A report that reuses a source's id with other contents: counted, and the first is kept.
    let mut changed = day1[0].clone();
    changed.count = 99;
    let conflict = store
        .ingest(Batch {
            file: "day1-corrected.csv",
            reports: &[changed],
            rejected: &[],
        })
        .expect("ingest");
    assert_eq!((conflict.new, conflict.conflicts), (0, 1));

    // Progress is told, ending with the whole batch (here a duplicate of what is stored).
    let mut told = Vec::new();
    store
        .ingest_with_progress(
            Batch {
                file: "day1.csv",
                reports: &day1,
                rejected: &[],
            },
            &mut |n| told.push(n),
        )
        .expect("ingest");
    assert_eq!(told.last(), Some(&day1.len()), "{told:?}");
    assert!(told.windows(2).all(|w| w[0] <= w[1]), "{told:?}");

    // Everything comes back exactly, in time order, and a window selects by time.
    let all = store.reports(None, None).expect("read");
    assert_eq!(all, day1.to_vec());
    let t = |s: &str| s.parse::<Timestamp>().expect("a valid time");
    let day = store
        .reports(
            Some(t("2026-12-05T00:00:00Z")),
            Some(t("2026-12-06T00:00:00Z")),
        )
        .expect("read");
    assert_eq!(
        day.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(day[1].target, Some(Category::Electricity));

    assert_eq!(store.rejects().expect("read"), rejected.to_vec());
}

#[test]
fn sqlite_passes_the_story_and_keeps_it_on_disk() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("monitor.sqlite");
    {
        let mut store = SqliteStore::open(&path).expect("opens");
        story(&mut store);
    }
    // Reopened: the same data, and the schema is not applied twice.
    let store = SqliteStore::open(&path).expect("reopens");
    assert_eq!(store.reports(None, None).expect("read").len(), 3);
    assert_eq!(store.rejects().expect("read").len(), 1);
}

#[test]
fn a_database_from_a_newer_guarantor_is_refused() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("monitor.sqlite");
    drop(SqliteStore::open(&path).expect("opens"));
    let conn = rusqlite::Connection::open(&path).expect("opens");
    conn.pragma_update(None, "user_version", 999).expect("sets");
    drop(conn);
    let err = SqliteStore::open(&path).err().expect("refused");
    assert!(err.to_string().contains("schema version 999"), "{err}");
}

mod idempotence {
    use super::*;
    use proptest::prelude::*;

    /// Reports drawn from a few sources and ids (so that some collide), some identical twins among them.
    fn reports() -> impl Strategy<Value = Vec<Report>> {
        let one = (0usize..3, 0usize..6, 0i64..100_000, 0u32..5);
        prop::collection::vec(one, 0..30).prop_map(|rows| {
            rows.into_iter()
                .map(|(s, i, secs, count)| {
                    let mut r = report(
                        ["smm-7", "ua-mod", "media-a"][s],
                        &format!("r{i}"),
                        "2026-12-05T00:00:00Z",
                        None,
                    );
                    r.time = Timestamp::from_second(1_796_428_800 + secs).expect("in range");
                    r.count = count;
                    r
                })
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn ingesting_again_in_any_split_stores_nothing_more(all in reports(), split in 0usize..30) {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let mut store = SqliteStore::open(&dir.path().join("m.sqlite")).expect("opens");
            fn batch(reports: &[Report]) -> Batch<'_> {
                Batch { file: "f.csv", reports, rejected: &[] }
            }
            let first = store.ingest(batch(&all)).expect("ingest");
            let stored = store.reports(None, None).expect("read");
            prop_assert_eq!(first.new, stored.len());
            prop_assert_eq!(first.new + first.duplicates + first.conflicts, all.len());
            // The same reports again, in two batches, the second half first: nothing new, nothing changed.
            let cut = split.min(all.len());
            let (a, b) = all.split_at(cut);
            let later = store.ingest(batch(b)).expect("ingest");
            let earlier = store.ingest(batch(a)).expect("ingest");
            prop_assert_eq!(later.new + earlier.new, 0);
            prop_assert_eq!(store.reports(None, None).expect("read"), stored);
        }
    }
}
