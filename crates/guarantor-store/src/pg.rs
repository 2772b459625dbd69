//! The PostgreSQL store, for many users and many server instances: the same tables as SQLite in PostgreSQL's
//! types, append-only migrations counted in `guarantor_schema`, every batch and every audited change in one
//! transaction. The synchronous `postgres` client: the server calls stores from its blocking pool, like SQLite.

use std::cell::RefCell;

use guarantor_core::Report;
use jiff::Timestamp;
use postgres::{Client, NoTls, Transaction};

use crate::at::At;
use crate::row::{
    COLUMNS, Row, change_row, fold_incidents, incidents_sql, keep_version_sql, report_of, row_of,
    stale_sql, touched_sql, update_sql,
};
use crate::sqlite::{micros, time_of};
use crate::{
    AuditEntry, Batch, IncidentUpdate, Ingested, Published, ReportStore, ScenarioVersion, Store,
    StoreError, StoredIncident, StoredReject, StoredSession, StoredUser, ingest_audit, issued,
    started,
};
use crate::{schema, sql};

/// A shared query (`sql.rs`, in SQLite's `?N` placeholders) in PostgreSQL's `$N`.
fn pg_sql(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    let mut chars = query.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

/// A shared query in PostgreSQL's placeholders, with a row lock SQLite has no words for (it writes one
/// transaction at a time): `FOR SHARE` makes a statement wait for an account's disabling in progress.
fn pg_sql_locked(query: &str, lock: &str) -> String {
    format!("{} {lock}", pg_sql(query))
}

/// guarantor's data in a PostgreSQL database.
pub struct PgStore {
    /// The URL without its password, for messages.
    shown: String,
    client: RefCell<Client>,
}

/// `url` with any password replaced by `***`.
fn without_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user[:password]@host[:port]/db`) and brings its schema up
    /// to date.
    pub fn connect(url: &str) -> Result<PgStore, StoreError> {
        let shown = without_password(url);
        let client = Client::connect(url, NoTls).at(&shown)?;
        let store = PgStore {
            shown,
            client: RefCell::new(client),
        };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().at(&self.shown)?;
        // One migrator at a time, across server instances.
        tx.batch_execute(
            "SELECT pg_advisory_xact_lock(7368011);
             CREATE TABLE IF NOT EXISTS guarantor_schema (version BIGINT NOT NULL);",
        )
        .at(&self.shown)?;
        let done: Option<i64> = tx
            .query_opt("SELECT version FROM guarantor_schema", &[])
            .at(&self.shown)?
            .map(|r| r.get(0));
        if done.is_none() {
            tx.execute("INSERT INTO guarantor_schema (version) VALUES (0)", &[])
                .at(&self.shown)?;
        }
        let done = usize::try_from(done.unwrap_or(0)).unwrap_or(0);
        let migrations = schema::migrations(&schema::POSTGRES);
        if done > migrations.len() {
            return Err(StoreError::Database {
                path: self.shown.clone(),
                message: format!(
                    "the database has schema version {done}; this guarantor knows {} (a newer guarantor wrote it)",
                    migrations.len()
                ),
            });
        }
        for (i, step) in migrations.iter().enumerate().skip(done) {
            tx.batch_execute(step).at(&self.shown)?;
            tx.execute(
                "UPDATE guarantor_schema SET version = $1",
                &[&(i as i64 + 1)],
            )
            .at(&self.shown)?;
        }
        tx.commit().at(&self.shown)
    }

    /// Runs `f` in a transaction that also writes `audit`, committing both or neither (neither when `f`
    /// answers an error of its own).
    fn audited<T>(
        &mut self,
        audit: &AuditEntry,
        f: impl FnOnce(&mut Transaction<'_>) -> Result<Result<T, StoreError>, postgres::Error>,
    ) -> Result<T, StoreError> {
        let shown = self.shown.clone();
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().at(&shown)?;
        let out = f(&mut tx).at(&shown)??;
        write_audit(&mut tx, audit).at(&shown)?;
        tx.commit().at(&shown)?;
        Ok(out)
    }
}

fn write_audit(tx: &mut Transaction<'_>, a: &AuditEntry) -> Result<u64, postgres::Error> {
    tx.execute(
        &pg_sql(sql::PUT_AUDIT),
        &[
            &micros(a.at),
            &a.actor,
            &a.action,
            &a.target,
            &a.before,
            &a.after,
        ],
    )
}

fn read_row(x: &postgres::Row) -> Row {
    (
        x.get(0),
        x.get(1),
        x.get(2),
        x.get(3),
        x.get(4),
        x.get(5),
        x.get(6),
        x.get(7),
        x.get(8),
        x.get(9),
        x.get(10),
        x.get(11),
        x.get(12),
        x.get(13),
        x.get(14),
    )
}

impl ReportStore for PgStore {
    fn ingest_with_progress(
        &mut self,
        batch: Batch<'_>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Ingested, StoreError> {
        let shown = self.shown.clone();
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().at(&shown)?;
        let mut done = Ingested::default();
        let existing = tx
            .prepare(&format!(
                "SELECT {COLUMNS} FROM report WHERE source = $1 AND id = $2"
            ))
            .at(&shown)?;
        let insert = tx
            .prepare(
                "INSERT INTO report (source, id, source_kind, time_s, time_nanos, time_precision_hours, lon,
                                     lat, place_precision_km, kind, target, count, text, parties, links, file)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
                 ON CONFLICT (source, id) DO NOTHING",
            )
            .at(&shown)?;
        let keep = tx.prepare(&keep_version_sql("$1", "$2", "$3")).at(&shown)?;
        let stale = tx.prepare(&stale_sql("$1", "$2")).at(&shown)?;
        let update = tx.prepare(&update_sql(|n| format!("${n}"))).at(&shown)?;
        let at = batch
            .by
            .map_or_else(Timestamp::now, |b| b.at)
            .as_microsecond();
        for (n, r) in batch.reports.iter().enumerate() {
            if n % 4096 == 0 {
                progress(n);
            }
            let row = row_of(r);
            // The row's 15 columns and its file: the values of both the insert and the update.
            let values: [&(dyn postgres::types::ToSql + Sync); 16] = [
                &row.0,
                &row.1,
                &row.2,
                &row.3,
                &row.4,
                &row.5,
                &row.6,
                &row.7,
                &row.8,
                &row.9,
                &row.10,
                &row.11,
                &row.12,
                &row.13,
                &row.14,
                &batch.file,
            ];
            let inserted = tx.execute(&insert, &values).at(&shown)?;
            if inserted == 1 {
                done.new += 1;
                continue;
            }
            let stored = tx.query_one(&existing, &[&r.source, &r.id]).at(&shown)?;
            if report_of(&shown, read_row(&stored))? == *r {
                done.duplicates += 1;
            } else {
                tx.execute(&keep, &[&r.source, &r.id, &at]).at(&shown)?;
                tx.execute(&stale, &[&r.source, &r.id]).at(&shown)?;
                tx.execute(&update, &values).at(&shown)?;
                done.updated += 1;
            }
        }
        let reject = tx.prepare(&pg_sql(sql::PUT_REJECT)).at(&shown)?;
        for r in batch.rejected {
            let added = tx
                .execute(&reject, &[&r.file, &i64::from(r.line), &r.reason, &r.row])
                .at(&shown)?;
            done.rejected += usize::try_from(added).unwrap_or(0);
        }
        if let Some(by) = batch.by {
            write_audit(&mut tx, &ingest_audit(by, batch.file, &done)).at(&shown)?;
        }
        tx.commit().at(&shown)?;
        progress(batch.reports.len());
        Ok(done)
    }

    fn reports(
        &self,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> Result<Vec<Report>, StoreError> {
        let split = |t: Timestamp| (t.as_second(), i64::from(t.subsec_nanosecond()));
        let (from_s, from_n) = from.map_or((i64::MIN, 0), split);
        let (to_s, to_n) = to.map_or((i64::MAX, 0), split);
        let rows = self
            .client
            .borrow_mut()
            .query(
                &format!(
                    "SELECT {COLUMNS} FROM report
                     WHERE (time_s > $1 OR (time_s = $1 AND time_nanos >= $2))
                       AND (time_s < $3 OR (time_s = $3 AND time_nanos < $4))
                     ORDER BY time_s, time_nanos, source, id"
                ),
                &[&from_s, &from_n, &to_s, &to_n],
            )
            .at(&self.shown)?;
        rows.iter()
            .map(|r| report_of(&self.shown, read_row(r)))
            .collect()
    }

    fn count(&self, from: Option<Timestamp>, to: Option<Timestamp>) -> Result<u64, StoreError> {
        let split = |t: Timestamp| (t.as_second(), i64::from(t.subsec_nanosecond()));
        let (from_s, from_n) = from.map_or((i64::MIN, 0), split);
        let (to_s, to_n) = to.map_or((i64::MAX, 0), split);
        let n: i64 = self
            .client
            .borrow_mut()
            .query_one(
                "SELECT COUNT(*) FROM report
                 WHERE (time_s > $1 OR (time_s = $1 AND time_nanos >= $2))
                   AND (time_s < $3 OR (time_s = $3 AND time_nanos < $4))",
                &[&from_s, &from_n, &to_s, &to_n],
            )
            .at(&self.shown)?
            .get(0);
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn revisions(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .client
            .borrow_mut()
            .query_one(&pg_sql(sql::REVISIONS), &[])
            .at(&self.shown)?
            .get(0);
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn ids_of(&self, source: &str) -> Result<Vec<String>, StoreError> {
        let rows = self
            .client
            .borrow_mut()
            .query(&pg_sql(sql::IDS_OF_SOURCE), &[&source])
            .at(&self.shown)?;
        Ok(rows.iter().map(|r| r.get::<_, String>(0)).collect())
    }

    fn history(&self, source: &str, id: &str) -> Result<Vec<(Timestamp, Report)>, StoreError> {
        let rows = self
            .client
            .borrow_mut()
            .query(
                &format!(
                    "SELECT {COLUMNS}, replaced_at_us FROM report_version WHERE source = $1 AND id = $2
                     ORDER BY revision"
                ),
                &[&source, &id],
            )
            .at(&self.shown)?;
        let mut out = Vec::new();
        for row in &rows {
            let at: i64 = row.get(15);
            out.push((
                crate::row::replaced_at(&self.shown, source, id, at)?,
                report_of(&self.shown, read_row(row))?,
            ));
        }
        Ok(out)
    }

    fn latest_time(&self) -> Result<Option<Timestamp>, StoreError> {
        let row = self
            .client
            .borrow_mut()
            .query_opt(&pg_sql(sql::LATEST_TIME), &[])
            .at(&self.shown)?;
        row.map(|r| {
            let (s, n): (i64, i64) = (r.get(0), r.get(1));
            Timestamp::new(s, i32::try_from(n).unwrap_or(0)).map_err(|e| StoreError::Database {
                path: self.shown.clone(),
                message: format!("a stored time is out of range: {e}"),
            })
        })
        .transpose()
    }

    fn incidents(
        &self,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> Result<Vec<StoredIncident>, StoreError> {
        let (from, to) = (from.map_or(i64::MIN, micros), to.map_or(i64::MAX, micros));
        let rows = self
            .client
            .borrow_mut()
            .query(&incidents_sql("$1", "$2"), &[&from, &to])
            .at(&self.shown)?;
        fold_incidents(
            &self.shown,
            rows.iter()
                .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4))),
        )
    }

    fn touched(&self) -> Result<Vec<Report>, StoreError> {
        let any: bool = self
            .client
            .borrow_mut()
            .query_one(crate::row::ANY_TOUCHED_SQL, &[])
            .at(&self.shown)?
            .get(0);
        if !any {
            return Ok(Vec::new());
        }
        let rows = self
            .client
            .borrow_mut()
            .query(&touched_sql(), &[])
            .at(&self.shown)?;
        rows.iter()
            .map(|r| report_of(&self.shown, read_row(r)))
            .collect()
    }

    fn next_incident_id(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .client
            .borrow_mut()
            .query_one(&pg_sql(sql::NEXT_INCIDENT_ID), &[])
            .at(&self.shown)?
            .get(0);
        Ok(u64::try_from(n).unwrap_or(1))
    }

    fn put_incidents(&mut self, update: IncidentUpdate<'_>) -> Result<(), StoreError> {
        let shown = self.shown.clone();
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().at(&shown)?;
        let moved = tx
            .execute(
                &pg_sql(sql::ADVANCE_INCIDENT_ID),
                &[
                    &(update.next_id.max(update.read_next_id) as i64),
                    &(update.read_next_id as i64),
                ],
            )
            .at(&shown)?
            == 0;
        if moved {
            return Err(StoreError::IncidentsMoved {
                path: shown.clone(),
            });
        }
        let at = micros(update.at);
        let unlink = tx
            .prepare(&pg_sql(sql::DELETE_INCIDENT_REPORTS))
            .at(&shown)?;
        for &id in update.ended {
            let id = id as i64;
            tx.execute(&pg_sql(sql::DELETE_INCIDENT), &[&id])
                .at(&shown)?;
            tx.execute(&unlink, &[&id]).at(&shown)?;
        }
        let put = tx.prepare(&pg_sql(sql::PUT_INCIDENT)).at(&shown)?;
        let member = tx.prepare(&pg_sql(sql::PUT_INCIDENT_REPORT)).at(&shown)?;
        for i in update.put {
            let id = i.id as i64;
            tx.execute(&put, &[&id, &micros(i.first), &micros(i.last)])
                .at(&shown)?;
            tx.execute(&unlink, &[&id]).at(&shown)?;
        }
        for i in update.put {
            let id = i.id as i64;
            for (source, report) in &i.reports {
                tx.execute(&member, &[source, report, &id]).at(&shown)?;
            }
        }
        for (id, change) in update.changes {
            tx.execute(
                &pg_sql(sql::PUT_INCIDENT_CHANGE),
                &[&at, &(*id as i64), change],
            )
            .at(&shown)?;
        }
        tx.commit().at(&shown)
    }

    fn max_time_precision(&self) -> Result<f64, StoreError> {
        Ok(self
            .client
            .borrow_mut()
            .query_one(&pg_sql(sql::MAX_TIME_PRECISION), &[])
            .at(&self.shown)?
            .get(0))
    }

    fn incident_generation(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .client
            .borrow_mut()
            .query_one(&pg_sql(sql::INCIDENT_GENERATION), &[])
            .at(&self.shown)?
            .get(0);
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn incident_changes(&self) -> Result<Vec<(Timestamp, u64, String)>, StoreError> {
        let rows = self
            .client
            .borrow_mut()
            .query(&pg_sql(sql::INCIDENT_CHANGES), &[])
            .at(&self.shown)?;
        rows.iter()
            .map(|r| change_row(&self.shown, r.get(0), r.get(1), r.get(2)))
            .collect()
    }

    fn rejects(&self) -> Result<Vec<StoredReject>, StoreError> {
        let rows = self
            .client
            .borrow_mut()
            .query(&pg_sql(sql::REJECTS), &[])
            .at(&self.shown)?;
        Ok(rows
            .iter()
            .map(|x| StoredReject {
                file: x.get(0),
                line: u32::try_from(x.get::<_, i64>(1)).unwrap_or(u32::MAX),
                reason: x.get(2),
                row: x.get(3),
            })
            .collect())
    }
}

impl PgStore {
    fn user_of(&self, r: &postgres::Row) -> Result<StoredUser, StoreError> {
        Ok(StoredUser {
            name: r.get(0),
            role: r.get(1),
            nation: r.get(2),
            password_hash: r.get(3),
            created: time_of(&self.shown, r.get(4))?,
            disabled: r.get(5),
        })
    }
}

impl Store for PgStore {
    fn put_user(&mut self, user: &StoredUser, audit: &AuditEntry) -> Result<(), StoreError> {
        self.audited(audit, |tx| {
            // The account's row locked first: a login or a token issued meanwhile waits for the revocation.
            let old: Option<String> = tx
                .query_opt(
                    &pg_sql_locked(sql::PASSWORD_HASH, "FOR UPDATE"),
                    &[&user.name],
                )?
                .map(|r| r.get(0));
            if user.disabled || old.is_some_and(|h| h != user.password_hash) {
                tx.execute(&pg_sql(sql::DELETE_USER_TOKENS), &[&user.name])?;
                tx.execute(&pg_sql(sql::DELETE_USER_SESSIONS), &[&user.name])?;
            }
            tx.execute(
                &pg_sql(sql::PUT_USER),
                &[
                    &user.name,
                    &user.role,
                    &user.nation,
                    &user.password_hash,
                    &micros(user.created),
                    &user.disabled,
                ],
            )
            .map(Ok)
        })?;
        Ok(())
    }

    fn user(&self, name: &str) -> Result<Option<StoredUser>, StoreError> {
        let row = self
            .client
            .borrow_mut()
            .query_opt(&pg_sql(sql::USER), &[&name])
            .at(&self.shown)?;
        row.map(|r| self.user_of(&r)).transpose()
    }

    fn users(&self) -> Result<Vec<StoredUser>, StoreError> {
        let rows = self
            .client
            .borrow_mut()
            .query(&pg_sql(sql::USERS), &[])
            .at(&self.shown)?;
        rows.iter().map(|r| self.user_of(r)).collect()
    }

    fn put_token(
        &mut self,
        hash: &str,
        user: &str,
        label: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        // FOR SHARE: under READ COMMITTED a plain SELECT reads the last committed row without waiting for a
        // disabling or a password change in progress; locked, the row is read again once that commits.
        self.audited(audit, |tx| {
            tx.execute(
                &pg_sql_locked(sql::PUT_TOKEN, "FOR SHARE"),
                &[&hash, &user, &label],
            )
            .map(|n| issued(n, user))
        })
    }

    fn delete_tokens(
        &mut self,
        user: &str,
        label: &str,
        audit: &AuditEntry,
    ) -> Result<u64, StoreError> {
        self.audited(audit, |tx| {
            tx.execute(&pg_sql(sql::DELETE_TOKENS), &[&user, &label])
                .map(Ok)
        })
    }

    fn delete_sessions(&mut self, user: &str, audit: &AuditEntry) -> Result<u64, StoreError> {
        self.audited(audit, |tx| {
            tx.execute(&pg_sql(sql::DELETE_USER_SESSIONS), &[&user])
                .map(Ok)
        })
    }

    fn token_user(&self, hash: &str) -> Result<Option<String>, StoreError> {
        let row = self
            .client
            .borrow_mut()
            .query_opt(&pg_sql(sql::TOKEN_USER), &[&hash])
            .at(&self.shown)?;
        Ok(row.map(|r| r.get(0)))
    }

    fn put_session(
        &mut self,
        s: &StoredSession,
        password_hash: &str,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let put = self.audited(audit, |tx| {
            tx.execute(
                &pg_sql_locked(sql::PUT_SESSION, "FOR SHARE"),
                &[
                    &s.id_hash,
                    &s.user,
                    &s.csrf,
                    &micros(s.expires),
                    &password_hash,
                ],
            )
            .map(|n| issued(n, &s.user))
        });
        started(put)
    }

    fn session(&self, id_hash: &str, now: Timestamp) -> Result<Option<StoredSession>, StoreError> {
        let row = self
            .client
            .borrow_mut()
            .query_opt(&pg_sql(sql::SESSION), &[&id_hash, &micros(now)])
            .at(&self.shown)?;
        row.map(|r| {
            Ok(StoredSession {
                id_hash: r.get(0),
                user: r.get(1),
                csrf: r.get(2),
                expires: time_of(&self.shown, r.get(3))?,
            })
        })
        .transpose()
    }

    fn delete_session(
        &mut self,
        id_hash: &str,
        now: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        self.audited(audit, |tx| {
            tx.execute(&pg_sql(sql::DELETE_SESSION), &[&id_hash, &micros(now)])
                .map(|_| Ok(()))
        })
    }

    fn put_scenario(
        &mut self,
        name: &str,
        files: &[(String, String)],
        base: Option<u32>,
        note: &str,
        audit: &AuditEntry,
    ) -> Result<u32, StoreError> {
        self.audited(audit, |tx| {
            // Two servers storing a version of the same scenario at once must not pick the same number.
            tx.execute("LOCK TABLE scenario_version IN EXCLUSIVE MODE", &[])?;
            let last: i64 = tx.query_one(&pg_sql(sql::LAST_VERSION), &[&name])?.get(0);
            if let Some(base) = base
                && i64::from(base) != last
            {
                return Ok(Err(StoreError::Stale {
                    name: name.to_owned(),
                    base,
                    latest: u32::try_from(last).unwrap_or(u32::MAX),
                }));
            }
            let version = last + 1;
            tx.execute(
                &pg_sql(sql::PUT_VERSION),
                &[&name, &version, &audit.actor, &micros(audit.at), &note],
            )?;
            let insert = tx.prepare(&pg_sql(sql::PUT_FILE))?;
            for (path, text) in files {
                tx.execute(&insert, &[&name, &version, path, text])?;
            }
            Ok(Ok(u32::try_from(version).unwrap_or(u32::MAX)))
        })
    }

    fn scenario_names(&self) -> Result<Vec<String>, StoreError> {
        let rows = self
            .client
            .borrow_mut()
            .query(&pg_sql(sql::SCENARIO_NAMES), &[])
            .at(&self.shown)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn scenario_versions(&self, name: &str) -> Result<Vec<ScenarioVersion>, StoreError> {
        let rows = self
            .client
            .borrow_mut()
            .query(&pg_sql(sql::SCENARIO_VERSIONS), &[&name])
            .at(&self.shown)?;
        rows.iter()
            .map(|r| {
                Ok(ScenarioVersion {
                    name: name.to_owned(),
                    version: u32::try_from(r.get::<_, i64>(0)).unwrap_or(u32::MAX),
                    author: r.get(1),
                    at: time_of(&self.shown, r.get(2))?,
                    note: r.get(3),
                })
            })
            .collect()
    }

    fn scenario_files(
        &self,
        name: &str,
        version: u32,
    ) -> Result<Option<Vec<(String, String)>>, StoreError> {
        let mut client = self.client.borrow_mut();
        let version = i64::from(version);
        let known = client
            .query_opt(&pg_sql(sql::VERSION_EXISTS), &[&name, &version])
            .at(&self.shown)?;
        if known.is_none() {
            return Ok(None);
        }
        let rows = client
            .query(&pg_sql(sql::SCENARIO_FILES), &[&name, &version])
            .at(&self.shown)?;
        Ok(Some(rows.iter().map(|r| (r.get(0), r.get(1))).collect()))
    }

    fn publish(
        &mut self,
        name: &str,
        version: u32,
        world: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        self.audited(audit, |tx| {
            tx.execute(
                &pg_sql(sql::PUBLISH),
                &[
                    &name,
                    &i64::from(version),
                    &world,
                    &audit.actor,
                    &micros(audit.at),
                ],
            )
            .map(Ok)
        })?;
        Ok(())
    }

    fn published(&self, name: &str) -> Result<Option<Published>, StoreError> {
        let row = self
            .client
            .borrow_mut()
            .query_opt(&pg_sql(sql::PUBLISHED), &[&name])
            .at(&self.shown)?;
        row.map(|r| {
            Ok(Published {
                name: name.to_owned(),
                version: u32::try_from(r.get::<_, i64>(0)).unwrap_or(u32::MAX),
                world: r.get(1),
                by: r.get(2),
                at: time_of(&self.shown, r.get(3))?,
            })
        })
        .transpose()
    }

    fn record(&mut self, audit: &AuditEntry) -> Result<(), StoreError> {
        self.audited(audit, |_| Ok(Ok(())))
    }

    fn audit(&self, before: Option<u64>, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        let before = before.map_or(i64::MAX, |b| i64::try_from(b).unwrap_or(i64::MAX));
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self
            .client
            .borrow_mut()
            .query(&pg_sql(sql::AUDIT), &[&before, &limit])
            .at(&self.shown)?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    seq: u64::try_from(r.get::<_, i64>(0)).unwrap_or(0),
                    at: time_of(&self.shown, r.get(1))?,
                    actor: r.get(2),
                    action: r.get(3),
                    target: r.get(4),
                    before: r.get(5),
                    after: r.get(6),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(
            super::without_password("postgres://g:secret@localhost:5432/g"),
            "postgres://g:***@localhost:5432/g"
        );
        assert_eq!(
            super::without_password("postgres://g@localhost/g"),
            "postgres://g@localhost/g"
        );
    }
}
