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
