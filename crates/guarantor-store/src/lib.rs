//! guarantor's storage, behind two traits that every implementation passes one test suite for: [`ReportStore`]
//! (monitoring reports and rejected rows) and [`Store`] (that, plus what the server keeps: accounts, API tokens,
//! sessions, versions of scenarios and the audit log). [`SqliteStore`] keeps it in one file (nothing to install);
//! [`PgStore`] in PostgreSQL, for many users. [`open_url`] picks one from a database URL.
//!
//! The store records; it does not decide. Roles, passwords and who may see what are the application's; a user's
//! role is stored as the text the application gave.

use guarantor_core::Report;
use jiff::Timestamp;

mod at;
mod pg;
mod row;
mod schema;
mod sql;
mod sqlite;

pub use pg::PgStore;
pub use sqlite::SqliteStore;

/// A problem with the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database said no.
    #[error("database {path}: {message}")]
    Database {
        /// The database file or URL.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A credential was asked for an account that does not exist or is disabled: nothing was written.
    #[error("account {user} does not exist or is disabled: no token issued")]
    Inactive {
        /// The account.
        user: String,
    },
    /// An edit was made from a version that is no longer the latest.
    #[error(
        "scenario {name}: the edit was made from version {base}, but version {latest} is the latest now"
    )]
    Stale {
        /// The scenario.
        name: String,
        /// The version the edit started from.
        base: u32,
        /// The latest version.
        latest: u32,
    },
    /// Another process formed incidents between this one's reading and writing them: nothing was written; read
    /// and form them again.
    #[error("database {path}: another process formed incidents meanwhile; nothing was written")]
    IncidentsMoved {
        /// The database.
        path: String,
    },
    /// A stored value does not read back as a report (a newer guarantor wrote it, or it was edited).
    #[error("database {path}: stored report {source_name}/{id}: {message}")]
    Corrupt {
        /// The database.
        path: String,
        /// The report's source.
        source_name: String,
        /// The report's id.
        id: String,
        /// What is wrong.
        message: String,
    },
}

/// A row a reader could not turn into a report, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredReject {
    /// The file it came from.
    pub file: String,
    /// Its line there.
    pub line: u32,
    /// Why it was rejected.
    pub reason: String,
    /// The row as written.
    pub row: String,
}

/// One file's worth of intake, stored together or not at all.
#[derive(Clone, Copy, Debug)]
pub struct Batch<'a> {
    /// Where it came from (for the rejects list).
    pub file: &'a str,
    /// The reports read.
    pub reports: &'a [Report],
    /// The rows rejected, with their reasons.
    pub rejected: &'a [StoredReject],
    /// Who sends it and when: recorded in the audit log with the counts, in the same transaction (stores
    /// without an audit log ignore it).
    pub by: Option<Actor<'a>>,
}

/// Who makes a change, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor<'a> {
    /// The user's name (or `cli:<name>` for the command line).
    pub name: &'a str,
    /// When.
    pub at: Timestamp,
}

/// What an ingest did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ingested {
    /// Reports stored for the first time.
    pub new: usize,
    /// Reports already stored, identical: stored once.
    pub duplicates: usize,
    /// Reports whose source and id were stored already with other contents: a revision (the source's export
    /// read again with the row changed). The new contents are stored; the earlier ones kept as a version.
    pub updated: usize,
    /// Rejected rows recorded.
    pub rejected: usize,
}

/// An incident as stored: its id, the span of its reports' times, and its reports as (source, id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredIncident {
    /// Its id, never given to another incident.
    pub id: u64,
    /// Its earliest report's time.
    pub first: Timestamp,
    /// Its latest report's time.
    pub last: Timestamp,
    /// Its reports, as (source, id).
    pub reports: Vec<(String, String)>,
}

/// A change to the stored incidents, written in one transaction.
#[derive(Clone, Copy, Debug)]
pub struct IncidentUpdate<'a> {
    /// When.
    pub at: Timestamp,
    /// Incidents written with all their reports (a report named here leaves any incident it was in).
    pub put: &'a [StoredIncident],
    /// Incidents that no longer exist (their reports are in `put`).
    pub ended: &'a [u64],
    /// What changed, in words, for the log: (incident, change).
    pub changes: &'a [(u64, String)],
    /// The next id never given (every id in `put` is below it).
    pub next_id: u64,
    /// The next id as it was read before forming these incidents: if another process has moved it since,
    /// nothing is written ([`StoreError::IncidentsMoved`]).
    pub read_next_id: u64,
}

/// Where monitoring data lives. Every implementation passes the same test suite.
pub trait ReportStore {
    /// Stores a batch in one transaction: when this returns `Ok`, all of it is stored; on an error or a crash,
    /// none of it. A report is identified by its source and id: the same report twice is stored once; the same
    /// source and id with other contents is a revision: the new contents are stored, the earlier kept as a
    /// version ([`ReportStore::history`]).
    fn ingest(&mut self, batch: Batch<'_>) -> Result<Ingested, StoreError> {
        self.ingest_with_progress(batch, &mut |_| {})
    }

    /// [`ReportStore::ingest`], telling `progress` now and then how many of the batch's reports are done (the
    /// last call is all of them), for a progress bar on large files.
    fn ingest_with_progress(
        &mut self,
        batch: Batch<'_>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Ingested, StoreError>;

    /// The stored reports with a time in `[from, to)` (either end open when `None`), by time, source and id.
    fn reports(
        &self,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> Result<Vec<Report>, StoreError>;

    /// Every rejected row, by file and line.
    fn rejects(&self) -> Result<Vec<StoredReject>, StoreError>;

    /// How many stored reports have a time in `[from, to)` (from the time index). Reports are never removed,
    /// and changed only by a revision, which [`ReportStore::revisions`] counts: a window whose count and the
    /// store's revisions are both unchanged holds the same reports, so a cache of what was computed from them
    /// stays true, whichever process stored what since.
    fn count(&self, from: Option<Timestamp>, to: Option<Timestamp>) -> Result<u64, StoreError>;

    /// How many revisions were ever stored (each a report whose contents a later reading changed).
    fn revisions(&self) -> Result<u64, StoreError>;

    /// The ids stored for `source`, sorted (to tell what a full export of that source no longer has).
    fn ids_of(&self, source: &str) -> Result<Vec<String>, StoreError>;

    /// The earlier versions of report (`source`, `id`), oldest first, each with when it was replaced.
    fn history(&self, source: &str, id: &str) -> Result<Vec<(Timestamp, Report)>, StoreError>;

    /// The latest stored report's time, if any report is stored (read from the time index, not the reports).
    fn latest_time(&self) -> Result<Option<Timestamp>, StoreError>;

    /// The stored incidents whose span (earliest to latest report) meets `[from, to)` (either end open when
    /// `None`), by their earliest report's time and id.
    fn incidents(
        &self,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> Result<Vec<StoredIncident>, StoreError>;

    /// The reports whose incident must be formed: not yet in one, or in one a member of which was revised
    /// since (a revision marks its incident so, in the ingest's transaction). By time, source and id.
    fn touched(&self) -> Result<Vec<Report>, StoreError>;

    /// The next incident id never given.
    fn next_incident_id(&self) -> Result<u64, StoreError>;

    /// Writes a change to the incidents in one transaction, or nothing if another process formed incidents since
    /// `update.read_next_id` was read.
    fn put_incidents(&mut self, update: IncidentUpdate<'_>) -> Result<(), StoreError>;

    /// The widest time precision of any stored report, hours (0 with none): how far apart two reports that can
    /// be one event may be.
    fn max_time_precision(&self) -> Result<f64, StoreError>;

    /// How many changes to the incidents were ever written (a cache of what was computed from them stays true
    /// while it does not move).
    fn incident_generation(&self) -> Result<u64, StoreError>;

    /// The incidents' change log, oldest first: (when, incident, change).
    fn incident_changes(&self) -> Result<Vec<(Timestamp, u64, String)>, StoreError>;
}

/// An account, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredUser {
    /// The login name, unique.
    pub name: String,
    /// The role, as the application names it.
    pub role: String,
    /// The nation a liaison officer speaks for.
    pub nation: Option<String>,
    /// The password's hash in PHC string form (the application hashes; the store never sees a password).
    pub password_hash: String,
    /// When it was created.
    pub created: Timestamp,
    /// A disabled account cannot log in or use its tokens.
    pub disabled: bool,
}

/// A login session, as stored (the cookie's value is never stored, only its hash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSession {
    /// The hash of the session cookie's value.
    pub id_hash: String,
    /// Whose.
    pub user: String,
    /// The token forms and scripts must send back (double submit).
    pub csrf: String,
    /// When it stops being valid.
    pub expires: Timestamp,
}

/// A version of a scenario, as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioVersion {
    /// The scenario's name.
    pub name: String,
    /// Its version, 1, 2, … in the order stored.
    pub version: u32,
    /// Who stored it.
    pub author: String,
    /// When.
    pub at: Timestamp,
    /// What changed, in a few words.
    pub note: String,
}

/// The plan a scenario has published: the version and world state observers see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// The scenario.
    pub name: String,
    /// Its version.
    pub version: u32,
    /// The world state, as `fact=true,…`.
    pub world: String,
    /// Who published it.
    pub by: String,
    /// When.
    pub at: Timestamp,
}

/// One line of the audit log: who changed what, when, and the value before and after (as JSON text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    /// Its number, in the order written (0 before it is stored).
    pub seq: u64,
    /// When.
    pub at: Timestamp,
    /// Who.
    pub actor: String,
    /// What was done, e.g. `pledge.update`.
    pub action: String,
    /// To what, e.g. `default/fra-mech-inf`.
    pub target: String,
    /// The value before, if there was one.
    pub before: Option<String>,
    /// The value after, if there is one.
    pub after: Option<String>,
}

/// What the server keeps, besides reports. Every write that changes something takes the audit entry that
/// records it and writes both in one transaction: there is no change without its audit line, nor the reverse.
pub trait Store: ReportStore + Send {
    /// Creates or replaces an account. When it is disabled, or its password changes, every token and session it
    /// had is deleted in the same transaction: enabling it again never brings them back.
    fn put_user(&mut self, user: &StoredUser, audit: &AuditEntry) -> Result<(), StoreError>;
    /// One account.
    fn user(&self, name: &str) -> Result<Option<StoredUser>, StoreError>;
    /// Every account, by name.
    fn users(&self) -> Result<Vec<StoredUser>, StoreError>;

    /// Stores an API token's hash for `user` under a label — only for an account that exists and is enabled,
    /// checked in the same statement (`Inactive` otherwise, and neither the token nor its audit line is
    /// written): a token issued while the account is being disabled cannot outlive the disabling.
    fn put_token(
        &mut self,
        hash: &str,
        user: &str,
        label: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// The user a token (by its hash) belongs to.
    fn token_user(&self, hash: &str) -> Result<Option<String>, StoreError>;
    /// Deletes `user`'s tokens labelled `label`, with the audit line; how many there were.
    fn delete_tokens(
        &mut self,
        user: &str,
        label: &str,
        audit: &AuditEntry,
    ) -> Result<u64, StoreError>;
    /// Ends every session of `user`, with the audit line; how many there were.
    fn delete_sessions(&mut self, user: &str, audit: &AuditEntry) -> Result<u64, StoreError>;

    /// Starts a session for an account whose password hash is still `password_hash` and which is not disabled
    /// (the password was checked against that hash), with its audit line, in one transaction: false, and
    /// nothing stored (nor the audit line), when the account was disabled or its password changed since.
    fn put_session(
        &mut self,
        session: &StoredSession,
        password_hash: &str,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError>;
    /// A session by the hash of its id, if it has not expired at `now`.
    fn session(&self, id_hash: &str, now: Timestamp) -> Result<Option<StoredSession>, StoreError>;
    /// Ends a session (and every expired one), with its audit line, in one transaction.
    fn delete_session(
        &mut self,
        id_hash: &str,
        now: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;

    /// Stores a new version of scenario `name` (its files by path), numbered one past the last; returns it.
    /// `base` is the version the files were made from: if another version was stored since, nothing is
    /// written and the answer is [`StoreError::Stale`] (two edits at once cannot undo each other).
    fn put_scenario(
        &mut self,
        name: &str,
        files: &[(String, String)],
        base: Option<u32>,
        note: &str,
        audit: &AuditEntry,
    ) -> Result<u32, StoreError>;
    /// The stored scenarios' names.
    fn scenario_names(&self) -> Result<Vec<String>, StoreError>;
    /// The versions of one scenario, oldest first.
    fn scenario_versions(&self, name: &str) -> Result<Vec<ScenarioVersion>, StoreError>;
    /// The files of one version, by path.
    fn scenario_files(
        &self,
        name: &str,
        version: u32,
    ) -> Result<Option<Vec<(String, String)>>, StoreError>;

    /// Publishes a plan (replacing what the scenario published before); `by` and `at` come from the audit entry.
    fn publish(
        &mut self,
        name: &str,
        version: u32,
        world: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// What scenario `name` has published, if anything.
    fn published(&self, name: &str) -> Result<Option<Published>, StoreError>;

    /// Records an event that changes nothing stored (a login, a failed login).
    fn record(&mut self, audit: &AuditEntry) -> Result<(), StoreError>;
    /// The audit log, newest first: at most `limit` entries numbered below `before` (all when `None`).
    fn audit(&self, before: Option<u64>, limit: usize) -> Result<Vec<AuditEntry>, StoreError>;
}

/// Opens the store a database URL names: `postgres://…` (or `postgresql://…`) for PostgreSQL, anything else
/// (`sqlite://PATH` or a plain path) for a SQLite file, created on first use.
pub fn open_url(url: &str) -> Result<Box<dyn Store>, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Box::new(PgStore::connect(url)?))
    } else {
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        Ok(Box::new(SqliteStore::open(std::path::Path::new(path))?))
    }
}

/// The audit entry an ingest writes: the counts, after.
/// What inserting a token (or a session) for `user` did: one row is a credential issued; none, an account
/// that does not exist or is disabled (or whose password changed): the caller's transaction is then rolled
/// back, its audit line with it.
pub(crate) fn issued(rows: u64, user: &str) -> Result<(), StoreError> {
    if rows == 1 {
        Ok(())
    } else {
        Err(StoreError::Inactive {
            user: user.to_owned(),
        })
    }
}

/// A session's insert as `put_session` answers it: stored, or not (an account disabled, or whose password
/// changed, since the password was checked).
pub(crate) fn started(put: Result<(), StoreError>) -> Result<bool, StoreError> {
    match put {
        Ok(()) => Ok(true),
        Err(StoreError::Inactive { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

pub(crate) fn ingest_audit(by: Actor<'_>, file: &str, done: &Ingested) -> AuditEntry {
    AuditEntry {
        seq: 0,
        at: by.at,
        actor: by.name.to_owned(),
        action: "reports.ingest".to_owned(),
        target: file.to_owned(),
        before: None,
        after: Some(format!(
            "{{\"new\":{},\"duplicates\":{},\"updated\":{},\"rejected\":{}}}",
            done.new, done.duplicates, done.updated, done.rejected
        )),
    }
}
