//! The pledge edit use case: who may create, change or delete which pledge, in which version, and what is
//! stored with it. The server's API and the dashboard's form call it; `tests/pledge_edit.rs` tests its rules
//! directly.
//!
//! An edit is made in two steps so that a server holds its store only to write: [`prepare_pledge_edit`] checks the editor
//! against the rules (its permission to edit the nation, the id's namespace, the pledge's existence as the
//! editor may see it, the version edited), writes the pledge into `pledges.toml` (or removes it) and loads the
//! scenario as the CLI would — every rule of a file applies, and a problem is told relative to the pledge's own
//! table, never at its place in the merged file, whose lines grow with other nations' hidden edits; then
//! [`Prepared::store`] stores the files as the next version with the audit line, in one transaction (`Stale`
//! when another edit was stored first: two edits cannot undo each other).

use guarantor_core::{Diagnostic, NationCode, Pledge, Scenario};
use guarantor_scenario::{PLEDGES_FILE, SourceSet};
use guarantor_store::{AuditEntry, Store, StoreError};
use jiff::Timestamp;
use serde_json::Value;

use crate::scenarios::files;
use crate::{Viewer, WITHHELD, pledge_json};

/// An edit asked for.
#[derive(Clone, Debug)]
pub enum PledgeEdit {
    /// A pledge given whole (a JSON object with the keys of a `[[pledge]]` table): a new one when `id` is
    /// `None`, else the one with that id replaced (the body's `id`, if any, must be the same).
    Put {
        /// The pledge.
        pledge: Value,
        /// The id of the pledge replaced.
        id: Option<String>,
    },
    /// The pledge with that id removed.
    Delete {
        /// Its id.
        id: String,
    },
}

/// The version an edit is made to: always the latest stored (one made from an older version would undo what
/// came since).
pub struct Latest<'a> {
    /// The scenario's name.
    pub name: &'a str,
    /// Its latest version.
    pub version: u32,
    /// That version loaded.
    pub scenario: &'a Scenario,
    /// Its files.
    pub sources: SourceSet,
}

/// Why an edit is refused.
#[derive(Debug, thiserror::Error)]
pub enum PledgeEditError {
    /// The body is not a pledge (not an object, no id, a bad nation code, the path's id not the body's, a value
    /// TOML cannot hold).
    #[error("{0}")]
    BadBody(String),
    /// The editor may not edit this nation's pledges, or uses an id outside its namespace.
    #[error("{0}")]
    Forbidden(String),
    /// No such pledge (or none the editor may see).
    #[error("{0}")]
    NotFound(String),
    /// A new pledge's id is taken.
    #[error("{0}")]
    Exists(String),
    /// The edit was made from a version that is not the latest, or another edit was stored first.
    #[error("{0}")]
    Stale(String),
    /// The edited scenario does not load: its problems, told in the pledge's own table as written (`text`,
    /// file `pledge`); a problem elsewhere is told as it is to planners, to others as a conflict outside it.
    #[error("the scenario does not load: {}", .diagnostics.iter().find(|d| d.is_error()).map(ToString::to_string).unwrap_or_default())]
    Invalid {
        /// The problems.
        diagnostics: Vec<Diagnostic>,
        /// The pledge's `[[pledge]]` table as the edit wrote it (empty for a deletion).
        text: String,
    },
    /// The store failed, or the stored files do not read back as they should.
    #[error("{0}")]
    Internal(String),
}

/// An edit checked and written, ready to store.
#[derive(Debug)]
pub struct Prepared {
    name: String,
    base: u32,
    files: Vec<(String, String)>,
    audit: AuditEntry,
    created: bool,
    shown: Option<Value>,
}

/// What an edit stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Edited {
    /// The new version.
    pub version: u32,
    /// Whether the pledge is new.
    pub created: bool,
    /// The pledge as stored, as its editor may see it (`None` for a deletion).
    pub pledge: Option<Value>,
}

/// Checks `edit` by `viewer` against the rules and writes it into `latest`'s files (see the module). `from`:
/// the version the editor made it from, when it says (`Stale` unless it is the latest).
pub fn prepare_pledge_edit(
    latest: Latest<'_>,
    from: Option<u32>,
    viewer: &Viewer,
    edit: PledgeEdit,
) -> Result<Prepared, PledgeEditError> {
    if let Some(v) = from
        && v != latest.version
    {
        return Err(PledgeEditError::Stale(format!(
            "version {v} is not the latest ({}): edit the latest",
            latest.version
        )));
    }
    match edit {
        PledgeEdit::Put { pledge, id } => put(latest, viewer, pledge, id),
        PledgeEdit::Delete { id } => delete(latest, viewer, &id),
    }
}

impl Prepared {
    /// Stores the edited files as the version after the one edited, with the audit line, in one transaction.
    pub fn store(self, store: &mut dyn Store) -> Result<Edited, PledgeEditError> {
        // The note says no more than that a pledge changed: who and which are in the audit log, for planners.
        let version = store
            .put_scenario(
                &self.name,
                &self.files,
                Some(self.base),
                "a pledge edited",
                &self.audit,
            )
            .map_err(|e| match e {
                StoreError::Stale { .. } => {
                    PledgeEditError::Stale(format!("{e}: load the pledges again and redo the edit"))
                }
                e => PledgeEditError::Internal(e.to_string()),
            })?;
        Ok(Edited {
            version,
            created: self.created,
            pledge: self.shown,
        })
    }
}

fn bad(message: impl Into<String>) -> PledgeEditError {
    PledgeEditError::BadBody(message.into())
}

fn put(
    latest: Latest<'_>,
    viewer: &Viewer,
    mut pledge: Value,
    path_id: Option<String>,
) -> Result<Prepared, PledgeEditError> {
    let Some(fields) = pledge.as_object_mut() else {
        return Err(bad(
            "a pledge is a JSON object with the keys of a [[pledge]] table of pledges.toml",
        ));
    };
    // The server's own keys are not the file's.
    fields.remove("caveats_withheld");
    if let Some(id) = &path_id {
        match fields.get("id") {
            None => {
                fields.insert("id".into(), Value::String(id.clone()));
            }
            Some(v) if v.as_str() == Some(id) => {}
            Some(v) => return Err(bad(format!("id: the body says {v}, the path {id}"))),
        }
    }
    let id = fields
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("id: expected the pledge's id as a string"))?
        .to_owned();
    let nation = fields
        .get("nation")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("nation: expected a nation code, e.g. \"FRA\""))?
        .to_owned();
    let code = NationCode::new(&nation).map_err(|e| bad(format!("nation: {e}")))?;
    if !viewer.may_edit_pledge_of(&code) {
        return Err(PledgeEditError::Forbidden(format!(
            "a liaison officer edits only its own nation's pledges, not {nation}'s"
        )));
    }
    in_namespace(viewer, &id)?;
    let existing = visible(latest.scenario, viewer, &id);
    // An id taken by a pledge the editor may not see (a planner can give any id to any nation's pledge): never
    // overwritten by a create, and told only as taken.
    if existing.is_none() && latest.scenario.pledges.iter().any(|p| p.id.as_str() == id) {
        return Err(PledgeEditError::Exists(format!(
            "id {id} is taken: choose another"
        )));
    }
    match (&path_id, existing) {
        (None, Some(_)) => {
            return Err(PledgeEditError::Exists(format!(
                "pledge {id} exists: PUT /api/v1/pledges/{id} to change it"
            )));
        }
        (Some(_), None) => return Err(PledgeEditError::NotFound(format!("no pledge {id}"))),
        (Some(_), Some(old)) => editable(viewer, old)?,
        (None, None) => {}
    }
    let before = existing.map(|p| pledge_json(p, true));
    let mut sources = latest.sources;
    guarantor_scenario::put_pledge(&mut sources, &pledge).map_err(|e| bad(e.to_string()))?;
    let loaded = guarantor_scenario::load(&sources)
        .map_err(|d| invalid(&sources, Some(&id), &d, viewer.sees_all()))?;
    let new = loaded
        .scenario
        .pledges
        .iter()
        .find(|p| p.id.as_str() == id)
        .ok_or_else(|| {
            PledgeEditError::Internal(format!("pledge {id} written but not read back"))
        })?;
    let action = if existing.is_none() {
        "pledge.create"
    } else {
        "pledge.update"
    };
    Ok(Prepared {
        name: latest.name.to_owned(),
        base: latest.version,
        audit: audit(
            viewer,
            action,
            latest.name,
            &id,
            before,
            Some(pledge_json(new, true)),
        ),
        files: files(&sources),
        created: existing.is_none(),
        shown: Some(pledge_json(new, viewer.sees_caveats(new))),
    })
}

fn delete(latest: Latest<'_>, viewer: &Viewer, id: &str) -> Result<Prepared, PledgeEditError> {
    in_namespace(viewer, id)?;
    let existing = visible(latest.scenario, viewer, id)
        .ok_or_else(|| PledgeEditError::NotFound(format!("no pledge {id}")))?;
    editable(viewer, existing)?;
    let mut sources = latest.sources;
    guarantor_scenario::delete_pledge(&mut sources, id)
        .map_err(|e| PledgeEditError::Internal(e.to_string()))?
        .ok_or_else(|| {
            PledgeEditError::Internal(format!(
                "pledge {id} is in the scenario, not in pledges.toml"
            ))
        })?;
    guarantor_scenario::load(&sources)
        .map_err(|d| invalid(&sources, None, &d, viewer.sees_all()))?;
    Ok(Prepared {
        name: latest.name.to_owned(),
        base: latest.version,
        audit: audit(
            viewer,
            "pledge.delete",
            latest.name,
            id,
            Some(pledge_json(existing, true)),
            None,
        ),
        files: files(&sources),
        created: false,
        shown: None,
    })
}

/// Ids starting `withheld` are how withheld pledges are shown; a liaison officer's ids start with its nation's
/// code (`fra-…`), so that they never meet, or reveal, another nation's.
fn in_namespace(viewer: &Viewer, id: &str) -> Result<(), PledgeEditError> {
    if id.starts_with(WITHHELD) {
        return Err(bad(format!(
            "id {id}: ids starting `{WITHHELD}` are reserved"
        )));
    }
    if let Some(own) = viewer.role.nation() {
        let prefix = format!("{}-", own.as_str().to_lowercase());
        if !id.starts_with(&prefix) {
            return Err(PledgeEditError::Forbidden(format!(
                "id {id}: a liaison officer's pledge ids start with `{prefix}`"
            )));
        }
    }
    Ok(())
}

/// Pledge `id` of `scenario`, if `viewer` may see it (one it may not is as if it were not there).
fn visible<'a>(scenario: &'a Scenario, viewer: &Viewer, id: &str) -> Option<&'a Pledge> {
    scenario
        .pledges
        .iter()
        .find(|p| p.id.as_str() == id)
        .filter(|p| viewer.sees_pledge(p))
}

/// Whether `viewer` may change or delete `pledge` (of its own nation, or a planner).
fn editable(viewer: &Viewer, pledge: &Pledge) -> Result<(), PledgeEditError> {
    if viewer.may_edit_pledge_of(&pledge.nation) {
        Ok(())
    } else {
        Err(PledgeEditError::Forbidden(format!(
            "pledge {} is {}'s",
            pledge.id,
            pledge.nation.as_str()
        )))
    }
}

/// The problems of an edit that does not load, told relative to pledge `id`'s table as the edit wrote it.
fn invalid(
    sources: &SourceSet,
    id: Option<&str>,
    diagnostics: &[Diagnostic],
    sees_all: bool,
) -> PledgeEditError {
    let text = sources.get(PLEDGES_FILE).unwrap_or("");
    let span = id
        .and_then(|id| guarantor_scenario::pledge_span(text, id))
        .unwrap_or(0..0);
    PledgeEditError::Invalid {
        diagnostics: crate::relative_to(
            diagnostics,
            PLEDGES_FILE,
            text,
            span.clone(),
            "pledge",
            sees_all,
        ),
        text: text.get(span).unwrap_or("").to_owned(),
    }
}

fn audit(
    viewer: &Viewer,
    action: &str,
    scenario: &str,
    id: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> AuditEntry {
    audit_entry(
        &viewer.name,
        action,
        &format!("{scenario}/{id}"),
        before,
        after,
    )
}

/// An audit line of `actor` doing `action` on `target` now, with the values before and after (as JSON text).
pub fn audit_entry(
    actor: &str,
    action: &str,
    target: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> AuditEntry {
    AuditEntry {
        seq: 0,
        at: Timestamp::now(),
        actor: actor.to_owned(),
        action: action.to_owned(),
        target: target.to_owned(),
        before: before.map(|v| v.to_string()),
        after: after.map(|v| v.to_string()),
    }
}
