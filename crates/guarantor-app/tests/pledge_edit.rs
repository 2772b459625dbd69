//! The pledge edit rules, tested at the app layer (the server's HTTP tests check the same through the API):
//! who may edit which pledge, its id's namespace, the version edited, what a refused edit tells, what is
//! stored with it — and what an older version releases once a pledge is restricted or deleted.

use guarantor_app::{
    Edited, Latest, PledgeEdit, PledgeEditError, Restrictions, Role, Viewer, prepare_pledge_edit,
};
use guarantor_scenario::SourceSet;
use guarantor_store::{SqliteStore, Store};
use serde_json::{Value, json};

/// A store holding the default scenario as version 1.
struct Fixture {
    store: SqliteStore,
    _dir: tempfile::TempDir,
    name: String,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("a folder");
    let mut store = SqliteStore::open(&dir.path().join("edits.sqlite")).expect("a store");
    let checked = guarantor_app::check_scenario(&SourceSet::builtin_default()).expect("loads");
    let name = checked.name().to_owned();
    checked
        .store(&mut store, "test", "the default")
        .expect("stored");
    Fixture {
        store,
        _dir: dir,
        name,
    }
}

fn viewer(name: &str, role: &str, nation: Option<&str>) -> Viewer {
    Viewer {
        name: name.to_owned(),
        role: Role::parse(role, nation).expect("a role"),
    }
}

fn fra() -> Viewer {
    viewer("fra", "liaison", Some("FRA"))
}

fn deu() -> Viewer {
    viewer("deu", "liaison", Some("DEU"))
}

fn planner() -> Viewer {
    viewer("planner", "planner", None)
}

fn pledge(id: &str, nation: &str, restricted: bool) -> Value {
    json!({
        "id": id, "nation": nation, "kind": "units", "capability": "engineer_coy", "count": 1,
        "notice_days": 10, "status": "confirmed", "restricted": restricted, "source": "test",
    })
}

impl Fixture {
    /// The latest version, loaded, with its files.
    fn latest(&self) -> (u32, guarantor_core::Scenario, SourceSet) {
        let version = self
            .store
            .scenario_versions(&self.name)
            .expect("read")
            .last()
            .expect("a version")
            .version;
        let files = self
            .store
            .scenario_files(&self.name, version)
            .expect("read")
            .expect("files");
        let sources = SourceSet::from_files("test", files);
        let scenario = guarantor_scenario::load(&sources).expect("loads").scenario;
        (version, scenario, sources)
    }

    /// `edit` by `who`, made from version `from` when given.
    fn edit(
        &mut self,
        who: &Viewer,
        from: Option<u32>,
        edit: PledgeEdit,
    ) -> Result<Edited, PledgeEditError> {
        let (version, scenario, sources) = self.latest();
        let prepared = prepare_pledge_edit(
            Latest {
                name: &self.name,
                version,
                scenario: &scenario,
                sources,
            },
            from,
            who,
            edit,
        )?;
        prepared.store(&mut self.store)
    }

    fn create(&mut self, who: &Viewer, p: Value) -> Result<Edited, PledgeEditError> {
        self.edit(
            who,
            None,
            PledgeEdit::Put {
                pledge: p,
                id: None,
            },
        )
    }
}

#[test]
fn a_liaison_officer_creates_changes_and_deletes_its_own_nations_pledges() {
    let mut f = fixture();
    let made = f
        .create(&fra(), pledge("fra-new", "FRA", false))
        .expect("created");
    assert_eq!((made.version, made.created), (2, true));
    assert_eq!(made.pledge.as_ref().expect("shown")["id"], "fra-new");
    let changed = f
        .edit(
            &fra(),
            Some(2),
            PledgeEdit::Put {
                pledge: pledge("fra-new", "FRA", true),
                id: Some("fra-new".into()),
            },
        )
        .expect("changed");
    assert_eq!((changed.version, changed.created), (3, false));
    let gone = f
        .edit(
            &fra(),
            None,
            PledgeEdit::Delete {
                id: "fra-new".into(),
            },
        )
        .expect("deleted");
    assert_eq!((gone.version, gone.pledge), (4, None));
    // Each with its audit line: who, what, before and after.
    let log = f.store.audit(None, 10).expect("read");
    let actions: Vec<&str> = log.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(
        actions[..3],
        ["pledge.delete", "pledge.update", "pledge.create"]
    );
    assert!(log.iter().take(3).all(|a| a.actor == "fra"));
    assert!(log[0].after.is_none() && log[0].before.is_some());
}

#[test]
fn another_nations_pledge_is_not_a_liaison_officers_to_edit() {
    let mut f = fixture();
    // By its nation, by its id's namespace, or an existing pledge of another nation.
    assert!(matches!(
        f.create(&deu(), pledge("deu-x", "FRA", false)),
        Err(PledgeEditError::Forbidden(_))
    ));
    assert!(matches!(
        f.create(&deu(), pledge("fra-x", "DEU", false)),
        Err(PledgeEditError::Forbidden(_))
    ));
    assert!(matches!(
        f.edit(
            &deu(),
            None,
            PledgeEdit::Delete {
                id: "fra-hq".into()
            }
        ),
        Err(PledgeEditError::Forbidden(_))
    ));
    // A planner edits anyone's.
    assert!(
        f.create(&planner(), pledge("fra-by-planner", "FRA", false))
            .is_ok()
    );
    // `withheld…` is reserved for everyone.
    assert!(matches!(
        f.create(&planner(), pledge("withheld-1", "FRA", false)),
        Err(PledgeEditError::BadBody(_))
    ));
}

#[test]
fn a_restricted_pledge_of_another_nation_is_as_if_it_were_not_there() {
    let mut f = fixture();
    f.create(&fra(), pledge("fra-secret", "FRA", true))
        .expect("created");
    // DEU cannot find it, whatever it tries (and a planner can).
    for edit in [
        PledgeEdit::Delete {
            id: "fra-secret".into(),
        },
        PledgeEdit::Put {
            pledge: pledge("fra-secret", "FRA", false),
            id: Some("fra-secret".into()),
        },
    ] {
        let got = f.edit(&deu(), None, edit);
        assert!(
            matches!(
                got,
                Err(PledgeEditError::NotFound(_) | PledgeEditError::Forbidden(_))
            ),
            "{got:?}"
        );
    }
    let own = f.create(&fra(), pledge("fra-secret", "FRA", true));
    assert!(matches!(own, Err(PledgeEditError::Exists(_))), "{own:?}");
    // An id a planner gave another nation's restricted pledge is never overwritten by a create.
    f.create(&planner(), pledge("fra-joint", "DEU", true))
        .expect("a planner's");
    let got = f.create(&fra(), pledge("fra-joint", "FRA", false));
    assert!(matches!(got, Err(PledgeEditError::Exists(_))), "{got:?}");
    let (_, latest, _) = f.latest();
    let kept = latest
        .pledges
        .iter()
        .find(|p| p.id.as_str() == "fra-joint")
        .expect("kept");
    assert_eq!(kept.nation.as_str(), "DEU");
}

#[test]
fn an_edit_from_an_older_version_is_stale_and_stores_nothing() {
    let mut f = fixture();
    f.create(&fra(), pledge("fra-a", "FRA", false)).expect("v2");
    let got = f.edit(
        &fra(),
        Some(1),
        PledgeEdit::Put {
            pledge: pledge("fra-a", "FRA", true),
            id: Some("fra-a".into()),
        },
    );
    assert!(matches!(got, Err(PledgeEditError::Stale(_))), "{got:?}");
    assert_eq!(f.latest().0, 2);
    // Prepared against version 2 while another edit made version 3: the store refuses the second.
    let (version, scenario, sources) = f.latest();
    let late = prepare_pledge_edit(
        Latest {
            name: &f.name,
            version,
            scenario: &scenario,
            sources,
        },
        None,
        &fra(),
        PledgeEdit::Put {
            pledge: pledge("fra-b", "FRA", false),
            id: None,
        },
    )
    .expect("prepared");
    f.create(&fra(), pledge("fra-c", "FRA", false)).expect("v3");
    assert!(matches!(
        late.store(&mut f.store),
        Err(PledgeEditError::Stale(_))
    ));
    assert_eq!(f.latest().0, 3);
}

#[test]
fn a_refused_edit_is_told_in_its_own_text_the_same_whatever_came_before_it() {
    let mut f = fixture();
    let bad = pledge("fra-bad", "FRA", false);
    let mut bad = bad.clone();
    bad["capability"] = json!("engineer_coyy");
    let refused = |f: &mut Fixture| match f.create(&fra(), bad.clone()) {
        Err(PledgeEditError::Invalid { diagnostics, text }) => (diagnostics, text),
        other => panic!("{other:?}"),
    };
    let (first, text) = refused(&mut f);
    let d = &first[0];
    assert_eq!(d.location.file, "pledge");
    let line = text
        .lines()
        .nth(d.location.line as usize - 1)
        .expect("a line");
    assert!(line.contains("engineer_coyy"), "{line}");
    // Another nation's hidden pledges before it change nothing of what FRA is told.
    for id in ["deu-h1", "deu-h2"] {
        f.create(&deu(), pledge(id, "DEU", true)).expect("hidden");
    }
    assert_eq!(refused(&mut f), (first, text));
    // A problem outside the pledge (cost.toml prices DEU's IRIS-T by its id): only that there is one.
    match f.edit(
        &deu(),
        None,
        PledgeEdit::Delete {
            id: "deu-iris-t".into(),
        },
    ) {
        Err(PledgeEditError::Invalid { diagnostics, .. }) => {
            // One error, however many problems (or warnings) there are elsewhere.
            assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
            assert_eq!(diagnostics[0].code, "conflicts-elsewhere");
            assert_eq!(diagnostics[0].location.line, 0);
        }
        other => panic!("{other:?}"),
    }
    match f.edit(
        &planner(),
        None,
        PledgeEdit::Delete {
            id: "deu-iris-t".into(),
        },
    ) {
        Err(PledgeEditError::Invalid { diagnostics, .. }) => {
            assert_eq!(diagnostics[0].location.file, "cost.toml");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn restrictions_fold_the_last_word_of_each_pledge_into_older_versions() {
    let mut f = fixture();
    f.create(&fra(), pledge("fra-later", "FRA", false))
        .expect("v2");
    let (_, open, _) = f.latest();
    f.edit(
        &fra(),
        None,
        PledgeEdit::Put {
            pledge: pledge("fra-later", "FRA", true),
            id: Some("fra-later".into()),
        },
    )
    .expect("v3");
    f.edit(
        &fra(),
        None,
        PledgeEdit::Delete {
            id: "fra-later".into(),
        },
    )
    .expect("v4");
    let mut restrictions = Restrictions::default();
    for v in 1..=4 {
        let files = f
            .store
            .scenario_files(&f.name, v)
            .expect("read")
            .expect("files");
        let s = guarantor_scenario::load(&SourceSet::from_files("v", files))
            .expect("loads")
            .scenario;
        restrictions.fold(&s);
    }
    let released = restrictions.apply(&open);
    let p = released
        .pledges
        .iter()
        .find(|p| p.id.as_str() == "fra-later")
        .expect("in version 2");
    assert!(
        p.restricted,
        "restricted, then deleted: withheld in version 2"
    );
    // Made public again in a later version: public in the older one too.
    let mut public = Restrictions::default();
    public.fold(&open);
    let mut again = open.clone();
    for p in &mut again.pledges {
        p.restricted = false;
    }
    public.fold(&again);
    assert!(
        public
            .apply(&open)
            .pledges
            .iter()
            .all(|p| !p.restricted || open.pledges.iter().any(|o| o.id == p.id && o.restricted))
    );
}

#[test]
fn a_response_option_restricted_later_is_restricted_in_older_versions() {
    let f = fixture();
    let (_, older, _) = f.latest();
    let option = older
        .response
        .options
        .iter()
        .find(|o| !o.restricted)
        .expect("a public option")
        .id
        .clone();
    let mut later = older.clone();
    for o in &mut later.response.options {
        if o.id == option {
            o.restricted = true;
        }
    }
    let mut restrictions = Restrictions::default();
    restrictions.fold(&older);
    restrictions.fold(&later);
    let released = restrictions.apply(&older);
    assert!(
        released
            .response
            .options
            .iter()
            .any(|o| o.id == option && o.restricted)
    );
}
