//! Storing scenarios and publishing plans: a scenario is checked whole before it is stored (as a new version,
//! with its audit line, in one transaction); a plan is published with the one it replaces in its audit line.

use guarantor_core::Diagnostic;
use guarantor_scenario::SourceSet;
use guarantor_store::{Store, StoreError};
use serde_json::json;

use crate::audit_entry;

/// A scenario's files that load: ready to be stored.
#[derive(Debug)]
pub struct CheckedScenario {
    name: String,
    origin: String,
    files: Vec<(String, String)>,
}

/// `sources` loaded and checked (every file, every rule): the scenario to store, or every problem found.
pub fn check_scenario(sources: &SourceSet) -> Result<CheckedScenario, Vec<Diagnostic>> {
    let loaded = guarantor_scenario::load(sources)?;
    Ok(CheckedScenario {
        name: loaded.scenario.name.clone(),
        origin: sources.origin.clone(),
        files: files(sources),
    })
}

impl CheckedScenario {
    /// The scenario's name (`scenario.toml`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Stores the scenario as its next version, by `actor` with `note`, with an audit line (`scenario.load`:
    /// the version before, the file count and origin) in the same transaction; the version written. A whole
    /// scenario builds on no earlier version: another version stored meanwhile does not make it stale.
    pub fn store(self, store: &mut dyn Store, actor: &str, note: &str) -> Result<u32, StoreError> {
        let latest = self.latest(store)?;
        self.put(store, latest, None, actor, note)
    }

    /// As [`CheckedScenario::store`], unless the latest stored version has the same files (a server loading its
    /// scenario at start): then nothing is written and the answer is `None`.
    pub fn store_if_changed(
        self,
        store: &mut dyn Store,
        actor: &str,
        note: &str,
    ) -> Result<Option<u32>, StoreError> {
        let latest = self.latest(store)?;
        if let Some(v) = latest
            && store.scenario_files(&self.name, v)?.as_ref() == Some(&self.files)
        {
            return Ok(None);
        }
        // At start, only over the version compared with: a server that stored one meanwhile wins (`Stale`).
        self.put(store, latest, latest, actor, note).map(Some)
    }

    fn latest(&self, store: &dyn Store) -> Result<Option<u32>, StoreError> {
        Ok(store
            .scenario_versions(&self.name)?
            .last()
            .map(|v| v.version))
    }

    fn put(
        self,
        store: &mut dyn Store,
        latest: Option<u32>,
        base: Option<u32>,
        actor: &str,
        note: &str,
    ) -> Result<u32, StoreError> {
        let audit = audit_entry(
            actor,
            "scenario.load",
            &self.name,
            latest.map(|v| json!({ "version": v })),
            Some(json!({ "files": self.files.len(), "origin": self.origin })),
        );
        store.put_scenario(&self.name, &self.files, base, note, &audit)
    }
}

/// Publishes the plan of scenario `name` at `version` in `world` (what observers read), replacing what it
/// published before; the audit line (`plan.publish`, by `actor`) holds both.
pub fn publish(
    store: &mut dyn Store,
    name: &str,
    version: u32,
    world: &str,
    actor: &str,
) -> Result<(), StoreError> {
    let before = store.published(name)?;
    let audit = audit_entry(
        actor,
        "plan.publish",
        name,
        before.map(|p| json!({ "version": p.version, "world": p.world })),
        Some(json!({ "version": version, "world": world })),
    );
    store.publish(name, version, world, &audit)
}

/// A scenario's files by path, as the store keeps them.
pub(crate) fn files(sources: &SourceSet) -> Vec<(String, String)> {
    sources
        .iter()
        .map(|(p, t)| (p.to_owned(), t.to_owned()))
        .collect()
}
