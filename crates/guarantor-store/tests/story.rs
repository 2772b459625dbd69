//! The store's test suite: one story that exercises every operation, written against the `ReportStore` and
//! `Store` traits, run against every implementation: SQLite in a temporary file, and PostgreSQL at
//! `GUARANTOR_TEST_DATABASE_URL` (`.ci/run` starts one on loopback with `scripts/test-postgres`; without it
//! the PostgreSQL test fails and says so, rather than pass untested).

use geo_types::Point;
use guarantor_core::{Category, EventKind, Precision, Report, SourceKind};
use guarantor_store::{
    Actor, AuditEntry, Batch, IncidentUpdate, PgStore, ReportStore, SqliteStore, Store,
    StoredIncident, StoredReject, StoredSession, StoredUser,
};
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
        parties: Vec::new(),
        links: Vec::new(),
    }
}

/// Everything a monitoring cell does with its store, in order.
fn story(store: &mut dyn ReportStore) {
    assert_eq!(
        store.latest_time().expect("read"),
        None,
        "nothing stored yet"
    );
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
            by: None,
        })
        .expect("ingest");
    assert_eq!(
        (first.new, first.duplicates, first.updated, first.rejected),
        (3, 0, 0, 1)
    );

    // The same file again: nothing new, nothing twice.
    let again = store
        .ingest(Batch {
            file: "day1.csv",
            reports: &day1,
            rejected: &rejected,
            by: None,
        })
        .expect("ingest");
    assert_eq!(
        (again.new, again.duplicates, again.updated, again.rejected),
        (0, 3, 0, 0)
    );

    // A report that reuses a source's id with other contents is a revision: the new contents stored, the earlier
    // kept as a version with when it was replaced; the store counts the revision.
    assert_eq!(store.revisions().expect("revisions"), 0);
    let mut changed = day1[0].clone();
    changed.count = 99;
    let before = jiff::Timestamp::now();
    let revised = store
        .ingest(Batch {
            file: "day1-corrected.csv",
            reports: std::slice::from_ref(&changed),
            rejected: &[],
            by: None,
        })
        .expect("ingest");
    assert_eq!((revised.new, revised.updated), (0, 1));
    assert_eq!(store.revisions().expect("revisions"), 1);
    let latest = store.reports(None, None).expect("read");
    assert!(latest.contains(&changed), "{latest:?}");
    let history = store
        .history(&changed.source, &changed.id)
        .expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].1, day1[0]);
    assert!(history[0].0 >= before && history[0].0 <= jiff::Timestamp::now());
    assert!(store.history("nobody", "x").expect("history").is_empty());
    // The ids of a source, for telling what a full export no longer has.
    let mut smm: Vec<String> = day1
        .iter()
        .filter(|r| r.source == "smm-7")
        .map(|r| r.id.clone())
        .collect();
    smm.sort();
    assert_eq!(store.ids_of("smm-7").expect("ids"), smm);
    assert!(store.ids_of("nobody").expect("ids").is_empty());

    // Progress is told, ending with the whole batch (here day1 again: its first report revised back).
    let mut told = Vec::new();
    store
        .ingest_with_progress(
            Batch {
                file: "day1.csv",
                reports: &day1,
                rejected: &[],
                by: None,
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
    assert_eq!(
        store.latest_time().expect("read"),
        Some(t("2026-12-06T01:00:00Z"))
    );
    assert_eq!(store.count(None, None).expect("read"), 3);
    assert_eq!(
        store
            .count(
                Some(t("2026-12-05T00:00:00Z")),
                Some(t("2026-12-06T00:00:00Z"))
            )
            .expect("read"),
        2
    );

    incidents_chapter(store);
}

/// Incidents are kept with their ids: written in one transaction, read by the window their span meets, and
/// marked to be formed again when a member is revised.
fn incidents_chapter(store: &mut dyn ReportStore) {
    let t = |s: &str| s.parse::<Timestamp>().expect("a valid time");
    let key = |s: &str, i: &str| (s.to_owned(), i.to_owned());
    // Every stored report is touched until it is in an incident.
    assert_eq!(store.touched().expect("read").len(), 3);
    assert_eq!(store.next_incident_id().expect("read"), 1);
    let put = [
        StoredIncident {
            id: 1,
            first: t("2026-12-05T04:10:00.25Z"),
            last: t("2026-12-05T09:00:00Z"),
            reports: vec![key("smm-7", "a"), key("smm-7", "b")],
        },
        StoredIncident {
            id: 2,
            first: t("2026-12-06T01:00:00Z"),
            last: t("2026-12-06T01:00:00Z"),
            reports: vec![key("ua-mod", "a")],
        },
    ];
    let at = t("2026-12-07T00:00:00Z");
    store
        .put_incidents(IncidentUpdate {
            at,
            put: &put,
            ended: &[],
            changes: &[(1, "formed".into()), (2, "formed".into())],
            next_id: 3,
            read_next_id: 1,
        })
        .expect("write");
    assert_eq!(store.incident_generation().expect("read"), 2);
    assert!(store.max_time_precision().expect("read") >= 0.25);
    // Formed from what another process has since changed: refused, nothing written.
    let refused = store.put_incidents(IncidentUpdate {
        at,
        put: &put[..1],
        ended: &[],
        changes: &[(1, "formed".into())],
        next_id: 2,
        read_next_id: 1,
    });
    assert!(
        matches!(
            refused,
            Err(guarantor_store::StoreError::IncidentsMoved { .. })
        ),
        "{refused:?}"
    );
    assert_eq!(store.incident_generation().expect("read"), 2);
    assert!(store.touched().expect("read").is_empty());
    assert_eq!(store.next_incident_id().expect("read"), 3);
    assert_eq!(store.incidents(None, None).expect("read"), put.to_vec());
    // A window selects the incidents whose span meets it, whole.
    let late = store
        .incidents(
            Some(t("2026-12-05T08:00:00Z")),
            Some(t("2026-12-05T10:00:00Z")),
        )
        .expect("read");
    assert_eq!(late, put[..1].to_vec());
    assert!(
        store
            .incidents(Some(t("2026-12-06T01:00:01Z")), None)
            .expect("read")
            .is_empty()
    );
    // A revised member marks its whole incident to be formed again; the others stay.
    let mut revised = store
        .reports(None, Some(t("2026-12-05T05:00:00Z")))
        .expect("read");
    revised[0].count += 1;
    store
        .ingest(Batch {
            file: "revised.csv",
            reports: &revised,
            rejected: &[],
            by: None,
        })
        .expect("ingest");
    let touched: Vec<(String, String)> = store
        .touched()
        .expect("read")
        .into_iter()
        .map(|r| (r.source, r.id))
        .collect();
    assert_eq!(touched, vec![key("smm-7", "a"), key("smm-7", "b")]);
    // Formed again: b alone keeps 1, a is a new incident 3; 2 merged away into 1 is ended.
    let again = [
        StoredIncident {
            id: 1,
            first: t("2026-12-05T09:00:00Z"),
            last: t("2026-12-06T01:00:00Z"),
            reports: vec![key("smm-7", "b"), key("ua-mod", "a")],
        },
        StoredIncident {
            id: 3,
            first: t("2026-12-05T04:10:00.25Z"),
            last: t("2026-12-05T04:10:00.25Z"),
            reports: vec![key("smm-7", "a")],
        },
    ];
    store
        .put_incidents(IncidentUpdate {
            at,
            put: &again,
            ended: &[2],
            changes: &[(3, "formed from reports of #1".into()), (2, "ended".into())],
            next_id: 4,
            read_next_id: 3,
        })
        .expect("write");
    assert!(store.touched().expect("read").is_empty());
    let mut now = store.incidents(None, None).expect("read");
    now.sort_by_key(|i| i.id);
    assert_eq!(now, vec![again[0].clone(), again[1].clone()]);
    assert_eq!(store.next_incident_id().expect("read"), 4);
    let log: Vec<(u64, String)> = store
        .incident_changes()
        .expect("read")
        .into_iter()
        .map(|(when, id, c)| {
            assert_eq!(when, at);
            (id, c)
        })
        .collect();
    assert_eq!(log.len(), 4);
    assert_eq!(log[3], (2, "ended".to_owned()));
}

fn at(s: &str) -> Timestamp {
    s.parse().expect("a valid time")
}

fn entry(actor: &str, action: &str, target: &str, time: &str) -> AuditEntry {
    AuditEntry {
        seq: 0,
        at: at(time),
        actor: actor.into(),
        action: action.into(),
        target: target.into(),
        before: None,
        after: Some(format!("{{\"{action}\":true}}")),
    }
}

/// Starts session `s` for the password hash `checked`, audited: whether it was stored.
fn login(store: &mut dyn Store, s: &StoredSession, checked: &str) -> bool {
    store
        .put_session(
            s,
            checked,
            &entry(&s.user, "login", &s.user, "2026-11-20T08:00:00Z"),
        )
        .expect("session")
}

/// What the server does with its store, in order: accounts, tokens, sessions, scenario versions, audited
/// intake, the audit log read back page by page.
fn server_story(store: &mut dyn Store) {
    // Accounts: created, read back, replaced (the role changes, the creation time stays).
    let mut alice = StoredUser {
        name: "alice".into(),
        role: "liaison".into(),
        nation: Some("FRA".into()),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        created: at("2026-11-20T08:00:00.123456Z"),
        disabled: false,
    };
    let planner = StoredUser {
        name: "bob".into(),
        role: "planner".into(),
        nation: None,
        ..alice.clone()
    };
    store
        .put_user(
            &alice,
            &entry("admin", "user.create", "alice", "2026-11-20T08:00:00Z"),
        )
        .expect("user");
    store
        .put_user(
            &planner,
            &entry("admin", "user.create", "bob", "2026-11-20T08:01:00Z"),
        )
        .expect("user");
    assert_eq!(store.user("alice").expect("read"), Some(alice.clone()));
    assert_eq!(store.user("nobody").expect("read"), None);
    alice.role = "observer".into();
    alice.disabled = true;
    let replaced = StoredUser {
        created: at("2030-01-01T00:00:00Z"),
        ..alice.clone()
    };
    store
        .put_user(
            &replaced,
            &entry("admin", "user.update", "alice", "2026-11-20T08:02:00Z"),
        )
        .expect("user");
    assert_eq!(
        store.users().expect("read"),
        vec![alice.clone(), planner.clone()]
    );

    // Tokens: found by their hash only.
    store
        .put_token(
            "hash-1",
            "bob",
            "load test",
            &entry("bob", "token.create", "bob", "2026-11-20T08:03:00Z"),
        )
        .expect("token");
    assert_eq!(
        store.token_user("hash-1").expect("read").as_deref(),
        Some("bob")
    );
    assert_eq!(store.token_user("hash-2").expect("read"), None);
    // A second token with the same hash is refused, and its audit line with it.
    assert!(
        store
            .put_token(
                "hash-1",
                "alice",
                "again",
                &entry("alice", "token.create", "alice", "2026-11-20T08:04:00Z")
            )
            .is_err()
    );

    // Sessions: valid until they expire; deleting one clears the expired ones too.
    let s1 = StoredSession {
        id_hash: "s1".into(),
        user: "bob".into(),
        csrf: "c1".into(),
        expires: at("2026-11-20T20:00:00Z"),
    };
    let s2 = StoredSession {
        id_hash: "s2".into(),
        expires: at("2026-11-20T09:00:00Z"),
        ..s1.clone()
    };
    let bob_hash = planner.password_hash.clone();
    assert!(login(store, &s1, &bob_hash));
    assert!(login(store, &s2, &bob_hash));
    // Only for the password checked, and never for a disabled account (alice is disabled).
    let stale = StoredSession {
        id_hash: "s3".into(),
        ..s1.clone()
    };
    assert!(!login(store, &stale, "another hash"));
    let of_alice = StoredSession {
        id_hash: "s4".into(),
        user: "alice".into(),
        ..s1.clone()
    };
    assert!(!login(store, &of_alice, &alice.password_hash));
    assert_eq!(
        store
            .session("s3", at("2026-11-20T10:00:00Z"))
            .expect("read"),
        None
    );
    assert_eq!(
        store
            .session("s4", at("2026-11-20T10:00:00Z"))
            .expect("read"),
        None
    );
    assert_eq!(
        store
            .session("s1", at("2026-11-20T10:00:00Z"))
            .expect("read"),
        Some(s1.clone())
    );
    assert_eq!(
        store
            .session("s2", at("2026-11-20T10:00:00Z"))
            .expect("read"),
        None
    );
    assert_eq!(
        store
            .session("s2", at("2026-11-20T08:30:00Z"))
            .expect("read"),
        Some(s2.clone())
    );
    store
        .delete_session(
            "s1",
            at("2026-11-20T10:00:00Z"),
            &entry("bob", "logout", "bob", "2026-11-20T10:00:00Z"),
        )
        .expect("delete");
    assert_eq!(
        store
            .session("s1", at("2026-11-20T10:00:00Z"))
            .expect("read"),
        None
    );
    assert_eq!(
        store
            .session("s2", at("2026-11-20T08:30:00Z"))
            .expect("read"),
        None
    );

    // Scenario versions: numbered from 1 per name, files kept exactly.
    let v1 = vec![
        (
            "pledges.toml".to_string(),
            "# ü, \"quotes\", 'single'\n[[pledge]]\n".to_string(),
        ),
        (
            "scenario.toml".to_string(),
            "name = \"default\"\n".to_string(),
        ),
    ];
    let mut v2 = v1.clone();
    v2[0].1.push_str("id = \"x\"\n");
    assert_eq!(
        store
            .put_scenario(
                "default",
                &v1,
                None,
                "loaded",
                &entry("bob", "scenario.load", "default", "2026-11-20T08:05:00Z")
            )
            .expect("version"),
        1
    );
    assert_eq!(
        store
            .put_scenario(
                "default",
                &v2,
                Some(1),
                "pledge x",
                &entry(
                    "alice",
                    "pledge.create",
                    "default/x",
                    "2026-11-20T08:06:00Z"
                )
            )
            .expect("version"),
        2
    );
    assert_eq!(
        store
            .put_scenario(
                "other",
                &v1,
                Some(0),
                "loaded",
                &entry("bob", "scenario.load", "other", "2026-11-20T08:07:00Z")
            )
            .expect("version"),
        1
    );
    // An edit made from version 1 after version 2 was stored is refused, and writes nothing (no audit line).
    let stale = store
        .put_scenario(
            "default",
            &v1,
            Some(1),
            "late edit",
            &entry(
                "carol",
                "pledge.update",
                "default/x",
                "2026-11-20T08:07:05Z",
            ),
        )
        .expect_err("stale");
    assert!(
        matches!(
            stale,
            guarantor_store::StoreError::Stale {
                base: 1,
                latest: 2,
                ..
            }
        ),
        "{stale}"
    );
    assert_eq!(store.scenario_names().expect("read"), ["default", "other"]);
    let versions = store.scenario_versions("default").expect("read");
    assert_eq!(
        versions
            .iter()
            .map(|v| (v.version, v.author.as_str(), v.note.as_str()))
            .collect::<Vec<_>>(),
        [(1, "bob", "loaded"), (2, "alice", "pledge x")]
    );
    assert_eq!(versions[1].at, at("2026-11-20T08:06:00Z"));
    assert_eq!(store.scenario_files("default", 2).expect("read"), Some(v2));
    assert_eq!(store.scenario_files("default", 1).expect("read"), Some(v1));
    assert_eq!(store.scenario_files("default", 3).expect("read"), None);
    assert!(store.scenario_versions("missing").expect("read").is_empty());

    // Publishing: one published plan per scenario, replaced by the next.
    assert_eq!(store.published("default").expect("read"), None);
    for (version, world, time) in [
        (1, "a=true", "2026-11-20T08:07:10Z"),
        (2, "a=false", "2026-11-20T08:07:20Z"),
    ] {
        store
            .publish(
                "default",
                version,
                world,
                &entry("bob", "plan.publish", "default", time),
            )
            .expect("publish");
    }
    let published = store
        .published("default")
        .expect("read")
        .expect("published");
    assert_eq!(
        (
            published.version,
            published.world.as_str(),
            published.by.as_str(),
            published.at
        ),
        (2, "a=false", "bob", at("2026-11-20T08:07:20Z"))
    );

    // An audited intake writes its counts in the audit log.
    let r = report("smm-9", "z", "2026-12-07T10:00:00Z", None);
    let done = store
        .ingest(Batch {
            file: "upload.csv",
            reports: std::slice::from_ref(&r),
            rejected: &[],
            by: Some(Actor {
                name: "carol",
                at: at("2026-11-20T08:08:00Z"),
            }),
        })
        .expect("ingest");
    assert_eq!(done.new, 1);
    store
        .record(&entry(
            "dave",
            "login.failed",
            "dave",
            "2026-11-20T08:09:00Z",
        ))
        .expect("record");

    // The audit log: every change once, newest first, page by page.
    let log = store.audit(None, 100).expect("read");
    let actions: Vec<(&str, &str)> = log
        .iter()
        .map(|a| (a.actor.as_str(), a.action.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("dave", "login.failed"),
            ("carol", "reports.ingest"),
            ("bob", "plan.publish"),
            ("bob", "plan.publish"),
            ("bob", "scenario.load"),
            ("alice", "pledge.create"),
            ("bob", "scenario.load"),
            ("bob", "logout"),
            ("bob", "login"),
            ("bob", "login"),
            ("bob", "token.create"),
            ("admin", "user.update"),
            ("admin", "user.create"),
            ("admin", "user.create"),
        ]
    );
    assert_eq!(
        log[1].after.as_deref(),
        Some("{\"new\":1,\"duplicates\":0,\"updated\":0,\"rejected\":0}")
    );
    assert_eq!(log[1].target, "upload.csv");
    assert!(log.windows(2).all(|w| w[0].seq > w[1].seq));
    let page = store.audit(Some(log[2].seq), 2).expect("read");
    assert_eq!(page, log[3..5].to_vec());
    assert_eq!(log.len(), 14);

    // Revocation: one token by its label, every session, and everything when the password changes or the
    // account is disabled (enabling it again brings nothing back).
    let later = "2026-11-20T10:00:00Z";
    for (hash, label) in [("hash-2", "ci"), ("hash-3", "ci"), ("hash-4", "laptop")] {
        store
            .put_token(
                hash,
                "bob",
                label,
                &entry("bob", "token.create", "bob", later),
            )
            .expect("token");
    }
    let s5 = StoredSession {
        id_hash: "s5".into(),
        ..s1.clone()
    };
    assert!(login(store, &s5, &bob_hash));
    assert_eq!(
        store
            .delete_tokens("bob", "ci", &entry("admin", "token.revoke", "bob", later))
            .expect("revoke"),
        2
    );
    assert_eq!(store.token_user("hash-2").expect("read"), None);
    assert_eq!(
        store.token_user("hash-4").expect("read").as_deref(),
        Some("bob")
    );
    assert_eq!(
        store
            .delete_sessions("bob", &entry("admin", "user.logout_all", "bob", later))
            .expect("logout"),
        1
    );
    assert_eq!(store.session("s5", at(later)).expect("read"), None);
    assert_eq!(
        store.token_user("hash-4").expect("read").as_deref(),
        Some("bob")
    );
    assert!(login(store, &s5, &bob_hash));
    let mut bob = planner.clone();
    bob.disabled = true;
    store
        .put_user(&bob, &entry("admin", "user.disable", "bob", later))
        .expect("disable");
    bob.disabled = false;
    store
        .put_user(&bob, &entry("admin", "user.enable", "bob", later))
        .expect("enable");
    assert_eq!(store.token_user("hash-4").expect("read"), None);
    assert_eq!(store.session("s5", at(later)).expect("read"), None);
    // No token for an account that is disabled or does not exist: nothing written, no audit line.
    let audited = store.audit(None, 100).expect("read").len();
    for who in ["carol", "nobody"] {
        if who == "carol" {
            let mut carol = planner.clone();
            carol.name = "carol".into();
            carol.disabled = true;
            store
                .put_user(&carol, &entry("admin", "user.disable", "carol", later))
                .expect("a disabled account");
        }
        let got = store.put_token(
            "hash-x",
            who,
            "late",
            &entry("admin", "token.create", who, later),
        );
        assert!(
            matches!(got, Err(guarantor_store::StoreError::Inactive { ref user }) if user == who),
            "{got:?}"
        );
        assert_eq!(store.token_user("hash-x").expect("read"), None);
    }
    assert_eq!(store.audit(None, 100).expect("read").len(), audited + 1);
    assert!(login(store, &s5, &bob_hash));
    store
        .put_token(
            "hash-5",
            "bob",
            "new",
            &entry("bob", "token.create", "bob", later),
        )
        .expect("token");
    bob.password_hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$bmV3".into();
    store
        .put_user(&bob, &entry("admin", "user.password", "bob", later))
        .expect("new password");
    assert_eq!(store.token_user("hash-5").expect("read"), None);
    assert_eq!(store.session("s5", at(later)).expect("read"), None);
    // A change of role alone keeps them.
    assert!(login(store, &s5, &bob.password_hash));
    bob.role = "monitor".into();
    store
        .put_user(&bob, &entry("admin", "user.update", "bob", later))
        .expect("role");
    assert!(store.session("s5", at(later)).expect("read").is_some());
    assert_eq!(store.audit(None, 100).expect("read").len(), 29);
}

#[test]
fn sqlite_passes_the_server_story() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("server.sqlite");
    {
        let mut store = SqliteStore::open(&path).expect("opens");
        server_story(&mut store);
    }
    let store = SqliteStore::open(&path).expect("reopens");
    assert_eq!(store.audit(None, 100).expect("read").len(), 29);
}

/// A fresh, empty database in the PostgreSQL server the environment names.
fn fresh_pg() -> (PgStore, String) {
    let Ok(url) = std::env::var("GUARANTOR_TEST_DATABASE_URL") else {
        panic!(
            "GUARANTOR_TEST_DATABASE_URL is not set: run `eval $(scripts/test-postgres)` first (it starts a \
             throwaway PostgreSQL on loopback), or the whole suite with .ci/run"
        );
    };
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let name = format!(
        "story_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    );
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).expect("connects");
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        admin.batch_execute(&sql).expect("creates a database");
    }
    let (base, _) = url.rsplit_once('/').expect("a URL with a database name");
    let db_url = format!("{base}/{name}");
    (PgStore::connect(&db_url).expect("connects"), db_url)
}

#[test]
fn postgres_passes_both_stories() {
    let (mut store, url) = fresh_pg();
    story(&mut store);
    server_story(&mut store);
    drop(store);
    // Reconnected: the same data, and the schema is not applied twice.
    let store = PgStore::connect(&url).expect("reconnects");
    assert_eq!(store.reports(None, None).expect("read").len(), 4);
    assert_eq!(store.audit(None, 100).expect("read").len(), 29);
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
                Batch { file: "f.csv", reports, rejected: &[], by: None }
            }
            // What the store holds after reading `order`: each source and id as last read, by time, source, id.
            fn latest<'a>(order: impl Iterator<Item = &'a Report>) -> Vec<Report> {
                let mut last: std::collections::BTreeMap<(String, String), Report> = Default::default();
                for r in order {
                    last.insert((r.source.clone(), r.id.clone()), r.clone());
                }
                let mut out: Vec<Report> = last.into_values().collect();
                out.sort_by(|a, b| (a.time, &a.source, &a.id).cmp(&(b.time, &b.source, &b.id)));
                out
            }
            let first = store.ingest(batch(&all)).expect("ingest");
            let stored = store.reports(None, None).expect("read");
            prop_assert_eq!(first.new, stored.len());
            prop_assert_eq!(first.new + first.duplicates + first.updated, all.len());
            prop_assert_eq!(&stored, &latest(all.iter()));
            // The same reports again, in two batches, the second half first: nothing new; each source and id as
            // last read; every change a revision the store counts.
            let cut = split.min(all.len());
            let (a, b) = all.split_at(cut);
            let later = store.ingest(batch(b)).expect("ingest");
            let earlier = store.ingest(batch(a)).expect("ingest");
            prop_assert_eq!(later.new + earlier.new, 0);
            prop_assert_eq!(store.reports(None, None).expect("read"), latest(all.iter().chain(b).chain(a)));
            prop_assert_eq!(
                store.revisions().expect("revisions") as usize,
                first.updated + later.updated + earlier.updated
            );
        }
    }
}
