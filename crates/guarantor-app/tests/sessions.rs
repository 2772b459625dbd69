//! Logging in and out, storing a scenario and publishing a plan, tested at the app layer (the server's tests
//! check the same through HTTP and the dashboard): what starts a session, what is refused and recorded, what
//! each change writes in the audit log.

use std::sync::Mutex;

use guarantor_app::{LoginError, Role, SESSION_HOURS, check_scenario, log_in, log_out, publish};
use guarantor_scenario::SourceSet;
use guarantor_store::{SqliteStore, Store};
use jiff::Timestamp;

const PASSWORD: &str = "correct horse battery";

/// A store with the accounts `deu` (a liaison officer) and `off` (disabled).
fn store() -> (Mutex<Box<dyn Store>>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a folder");
    let mut store = SqliteStore::open(&dir.path().join("s.sqlite")).expect("a store");
    let liaison = Role::parse("liaison", Some("DEU")).expect("a role");
    for name in ["deu", "off"] {
        guarantor_app::put_user(
            &mut store,
            name,
            &liaison,
            PASSWORD,
            "test",
            Timestamp::now(),
        )
        .expect("an account");
    }
    guarantor_app::disable_user(&mut store, "off", "test", Timestamp::now()).expect("disabled");
    (Mutex::new(Box::new(store)), dir)
}

/// The audit log's actions, oldest first, after the accounts were made.
fn actions(store: &Mutex<Box<dyn Store>>) -> Vec<(String, String)> {
    let mut log = store
        .lock()
        .expect("held")
        .audit(None, 1000)
        .expect("the log");
    log.reverse();
    log.into_iter()
        .filter(|e| !e.action.starts_with("user."))
        .map(|e| (e.actor, e.action))
        .collect()
}

#[test]
fn the_right_password_starts_a_session_with_its_line() {
    let (store, _dir) = store();
    let now = Timestamp::now();
    let started = log_in(&store, "deu", PASSWORD, now).expect("logs in");
    assert_eq!(started.viewer.name, "deu");
    assert_eq!(
        started.viewer.role.nation().map(ToString::to_string),
        Some("DEU".into())
    );
    assert_eq!(started.id.len(), 64, "256 random bits, as hex");
    assert_eq!(
        started.session.id_hash,
        guarantor_app::secret_hash(&started.id)
    );
    assert_ne!(
        started.session.id_hash, started.id,
        "the id is stored only as its hash"
    );
    assert_eq!(
        started.session.expires,
        now.checked_add(jiff::SignedDuration::from_hours(SESSION_HOURS))
            .expect("in range")
    );
    let found = store
        .lock()
        .expect("held")
        .session(&started.session.id_hash, now)
        .expect("read");
    assert_eq!(found.map(|s| s.user), Some("deu".to_owned()));
    assert_eq!(actions(&store), [("deu".to_owned(), "login".to_owned())]);
}

#[test]
fn a_wrong_password_an_unknown_name_and_a_disabled_account_are_refused_alike_and_recorded() {
    let (store, _dir) = store();
    let now = Timestamp::now();
    for (name, password) in [
        ("deu", "wrong password here"),
        ("nobody", PASSWORD),
        ("off", PASSWORD),
    ] {
        let refused = log_in(&store, name, password, now);
        assert!(
            matches!(refused, Err(LoginError::Refused)),
            "{name}: {refused:?}"
        );
        assert_eq!(
            refused.err().map(|e| e.to_string()).as_deref(),
            Some("wrong user name or password"),
            "the same words for each"
        );
    }
    let failed: Vec<_> = ["deu", "nobody", "off"]
        .iter()
        .map(|n| ((*n).to_owned(), "login.failed".to_owned()))
        .collect();
    assert_eq!(actions(&store), failed);
}

#[test]
fn a_name_no_account_can_have_is_refused_without_a_record() {
    let (store, _dir) = store();
    for name in ["", "a b", "x/../y", &"n".repeat(65)] {
        let refused = log_in(&store, name, PASSWORD, Timestamp::now());
        assert!(matches!(refused, Err(LoginError::Refused)), "{name:?}");
    }
    assert!(actions(&store).is_empty(), "{:?}", actions(&store));
}

#[test]
fn logging_out_ends_the_session_with_its_line() {
    let (store, _dir) = store();
    let now = Timestamp::now();
    let started = log_in(&store, "deu", PASSWORD, now).expect("logs in");
    log_out(
        &mut **store.lock().expect("held"),
        &started.session.id_hash,
        "deu",
        now,
    )
    .expect("logs out");
    let found = store
        .lock()
        .expect("held")
        .session(&started.session.id_hash, now)
        .expect("read");
    assert!(found.is_none(), "the session is gone");
    let last = actions(&store).pop();
    assert_eq!(last, Some(("deu".to_owned(), "logout".to_owned())));
}

#[test]
fn a_scenario_that_does_not_load_is_told_in_its_own_file() {
    let mut files = std::collections::BTreeMap::new();
    for (path, text) in SourceSet::builtin_default().iter() {
        files.insert(path.to_owned(), text.to_owned());
    }
    files.insert(
        "pledges.toml".to_owned(),
        "[[pledge]]\nid = \"x\"\nnation = \"FRA\"\nkind = \"units\"\n".to_owned(),
    );
    let problems = check_scenario(&SourceSet::from_files("upload", files)).expect_err("refused");
    assert!(
        problems
            .iter()
            .any(|d| d.location.file.ends_with("pledges.toml") && d.location.line >= 1),
        "{problems:?}"
    );
}

#[test]
fn a_scenario_is_stored_as_its_next_version_and_again_at_start_only_when_changed() {
    let (store, _dir) = store();
    let mut held = store.lock().expect("held");
    let load = || check_scenario(&SourceSet::builtin_default()).expect("the default loads");
    let name = load().name().to_owned();
    assert_eq!(
        load()
            .store(&mut **held, "planner", "first")
            .expect("stored"),
        1
    );
    assert_eq!(
        load()
            .store_if_changed(&mut **held, "server", "at start")
            .expect("read"),
        None,
        "the same files: no new version"
    );
    assert_eq!(
        load()
            .store(&mut **held, "planner", "again")
            .expect("stored"),
        2
    );
    let versions = held.scenario_versions(&name).expect("versions");
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[1].note, "again");
    let log = held.audit(None, 10).expect("the log");
    let loads: Vec<_> = log.iter().filter(|e| e.action == "scenario.load").collect();
    assert_eq!(loads.len(), 2, "one line per version written");
    assert_eq!(loads[0].before.as_deref(), Some(r#"{"version":1}"#));
    assert!(
        loads[0]
            .after
            .as_deref()
            .is_some_and(|a| a.contains("\"files\""))
    );
}

#[test]
fn publishing_records_what_it_replaces() {
    let (store, _dir) = store();
    let mut held = store.lock().expect("held");
    let checked = check_scenario(&SourceSet::builtin_default()).expect("loads");
    let name = checked.name().to_owned();
    checked
        .store(&mut **held, "planner", "first")
        .expect("stored");
    publish(&mut **held, &name, 1, "today", "planner").expect("published");
    publish(&mut **held, &name, 1, "us_backstop=true", "planner").expect("published");
    let now = held.published(&name).expect("read").expect("published");
    assert_eq!((now.version, now.world.as_str()), (1, "us_backstop=true"));
    let last = &held.audit(None, 1).expect("the log")[0];
    assert_eq!(last.action, "plan.publish");
    assert_eq!(
        last.before.as_deref(),
        Some(r#"{"version":1,"world":"today"}"#)
    );
    assert_eq!(
        last.after.as_deref(),
        Some(r#"{"version":1,"world":"us_backstop=true"}"#)
    );
}
