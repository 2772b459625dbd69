//! The SQLite store: one file, created on first use, with append-only migrations (`PRAGMA user_version` counts
//! those applied). Write-ahead logging with full sync: a batch whose transaction committed survives a crash.

use std::path::Path;

use guarantor_core::Report;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::at::At;
use crate::row::{
    COLUMNS, Row, change_row, fold_incidents, incidents_sql, keep_version_sql, report_of, row_of,
    stale_sql, touched_sql, update_sql,
};
use crate::schema;
use crate::sql;
use crate::{
    AuditEntry, Batch, IncidentUpdate, Ingested, Published, ReportStore, ScenarioVersion, Store,
    StoreError, StoredIncident, StoredReject, StoredSession, StoredUser, ingest_audit, issued,
    started,
};

/// Monitoring data in a SQLite file.
pub struct SqliteStore {
    path: String,
    conn: Connection,
}

impl SqliteStore {
    /// Opens the database at `path`, which must exist (for reading: a mistyped path is an error, not an empty
    /// database).
    pub fn open_existing(path: &Path) -> Result<SqliteStore, StoreError> {
        if !path.is_file() {
            return Err(StoreError::Database {
                path: path.display().to_string(),
                message: "no monitoring database here; `guarantor monitor ingest` creates it"
                    .into(),
            });
        }
        SqliteStore::open(path)
    }

    /// Opens (creating it if need be) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let shown = path.display().to_string();
        let conn = Connection::open(path).at(&shown)?;
        let mut store = SqliteStore { path: shown, conn };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        self.conn
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;")
            .at(&self.path)?;
        let done: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .at(&self.path)?;
        let done = usize::try_from(done).unwrap_or(0);
        let migrations = schema::migrations(&schema::SQLITE);
        if done > migrations.len() {
            return Err(StoreError::Database {
                path: self.path.clone(),
                message: format!(
                    "the database has schema version {done}; this guarantor knows {} (a newer guarantor wrote it)",
                    migrations.len()
                ),
            });
        }
        for (i, step) in migrations.iter().enumerate().skip(done) {
            let tx = self.conn.transaction().at(&self.path)?;
            tx.execute_batch(step).at(&self.path)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)
                .at(&self.path)?;
            tx.commit().at(&self.path)?;
        }
        Ok(())
    }
}

/// A selected row of [`COLUMNS`].
fn read_row(x: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((
        x.get(0)?,
        x.get(1)?,
        x.get(2)?,
        x.get(3)?,
        x.get(4)?,
        x.get(5)?,
        x.get(6)?,
        x.get(7)?,
        x.get(8)?,
        x.get(9)?,
        x.get(10)?,
        x.get(11)?,
        x.get(12)?,
        x.get(13)?,
        x.get(14)?,
    ))
}

impl ReportStore for SqliteStore {
    fn ingest_with_progress(
        &mut self,
        batch: Batch<'_>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Ingested, StoreError> {
        let path = self.path.clone();
        let tx = self.conn.transaction().at(&path)?;
        let mut done = Ingested::default();
        {
            let mut existing = tx
                .prepare(&format!(
                    "SELECT {COLUMNS} FROM report WHERE source = ?1 AND id = ?2"
                ))
                .at(&path)?;
            let mut insert = tx
                .prepare(
                    "INSERT INTO report (source, id, source_kind, time_s, time_nanos, time_precision_hours, lon,
                                         lat, place_precision_km, kind, target, count, text, parties, links, file)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                )
                .at(&path)?;
            let mut keep = tx.prepare(&keep_version_sql("?1", "?2", "?3")).at(&path)?;
            let mut stale = tx.prepare(&stale_sql("?1", "?2")).at(&path)?;
            let mut update = tx.prepare(&update_sql(|n| format!("?{n}"))).at(&path)?;
            let at = batch
                .by
                .map_or_else(Timestamp::now, |b| b.at)
                .as_microsecond();
            for (n, r) in batch.reports.iter().enumerate() {
                if n % 4096 == 0 {
                    progress(n);
                }
                let row = row_of(r);
                let found: Option<Row> = existing
                    .query_row(params![r.source, r.id], read_row)
                    .optional()
                    .at(&path)?;
                let found = found.map(|stored| report_of(&path, stored)).transpose()?;
                // The row's 15 columns and its file: the values of both the insert and the update.
                let values = params![
                    row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10,
                    row.11, row.12, row.13, row.14, batch.file
                ];
                match found {
                    Some(stored) if stored == *r => done.duplicates += 1,
                    Some(_) => {
                        keep.execute(params![r.source, r.id, at]).at(&path)?;
                        stale.execute(params![r.source, r.id]).at(&path)?;
                        update.execute(values).at(&path)?;
                        done.updated += 1;
                    }
                    None => {
                        insert.execute(values).at(&path)?;
                        done.new += 1;
                    }
                }
            }
            let mut reject = tx.prepare(sql::PUT_REJECT).at(&path)?;
            for r in batch.rejected {
                done.rejected += reject
                    .execute(params![r.file, r.line, r.reason, r.row])
                    .at(&path)?;
            }
        }
        if let Some(by) = batch.by {
            write_audit(&tx, &ingest_audit(by, batch.file, &done)).at(&path)?;
        }
        tx.commit().at(&path)?;
        progress(batch.reports.len());
        Ok(done)
    }

    fn reports(
        &self,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> Result<Vec<Report>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM report
                 WHERE (time_s > ?1 OR (time_s = ?1 AND time_nanos >= ?2))
                   AND (time_s < ?3 OR (time_s = ?3 AND time_nanos < ?4))
                 ORDER BY time_s, time_nanos, source, id"
            ))
            .at(&self.path)?;
        let split = |t: Timestamp| (t.as_second(), i64::from(t.subsec_nanosecond()));
        let (from_s, from_n) = from.map_or((i64::MIN, 0), split);
        let (to_s, to_n) = to.map_or((i64::MAX, 0), split);
        let rows = stmt
            .query_map(params![from_s, from_n, to_s, to_n], read_row)
            .at(&self.path)?;
        let mut out = Vec::new();
        for row in rows {
            let row = row.at(&self.path)?;
            out.push(report_of(&self.path, row)?);
        }
        Ok(out)
    }

    fn count(&self, from: Option<Timestamp>, to: Option<Timestamp>) -> Result<u64, StoreError> {
        let split = |t: Timestamp| (t.as_second(), i64::from(t.subsec_nanosecond()));
        let (from_s, from_n) = from.map_or((i64::MIN, 0), split);
        let (to_s, to_n) = to.map_or((i64::MAX, 0), split);
        let n: i64 = self
            .conn
            .query_row(
                "SELECT COUNT(*) FROM report
                 WHERE (time_s > ?1 OR (time_s = ?1 AND time_nanos >= ?2))
                   AND (time_s < ?3 OR (time_s = ?3 AND time_nanos < ?4))",
                params![from_s, from_n, to_s, to_n],
                |r| r.get(0),
            )
            .at(&self.path)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn revisions(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .conn
            .query_row(sql::REVISIONS, [], |r| r.get(0))
            .at(&self.path)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn ids_of(&self, source: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare(sql::IDS_OF_SOURCE).at(&self.path)?;
        let rows = stmt
            .query_map(params![source], |x| x.get::<_, String>(0))
            .at(&self.path)?;
        rows.collect::<Result<Vec<_>, _>>().at(&self.path)
    }

    fn history(&self, source: &str, id: &str) -> Result<Vec<(Timestamp, Report)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {COLUMNS}, replaced_at_us FROM report_version WHERE source = ?1 AND id = ?2
                 ORDER BY revision"
            ))
            .at(&self.path)?;
        let rows = stmt
            .query_map(params![source, id], |x| {
                Ok((read_row(x)?, x.get::<_, i64>(15)?))
            })
            .at(&self.path)?;
        let mut out = Vec::new();
        for row in rows {
            let (row, at) = row.at(&self.path)?;
            out.push((
                crate::row::replaced_at(&self.path, source, id, at)?,
                report_of(&self.path, row)?,
            ));
        }
        Ok(out)
    }

    fn latest_time(&self) -> Result<Option<Timestamp>, StoreError> {
        let found: Option<(i64, i64)> = self
            .conn
            .query_row(sql::LATEST_TIME, [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .at(&self.path)?;
        found
            .map(|(s, n)| {
                Timestamp::new(s, i32::try_from(n).unwrap_or(0)).map_err(|e| StoreError::Database {
                    path: self.path.clone(),
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
        let mut stmt = self
            .conn
            .prepare(&incidents_sql("?1", "?2"))
            .at(&self.path)?;
        let rows = stmt
            .query_map(
                params![from.map_or(i64::MIN, micros), to.map_or(i64::MAX, micros)],
                |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?, x.get(3)?, x.get(4)?)),
            )
            .at(&self.path)?
            .collect::<Result<Vec<_>, _>>()
            .at(&self.path)?;
        fold_incidents(&self.path, rows)
    }

    fn touched(&self) -> Result<Vec<Report>, StoreError> {
        let any: bool = self
            .conn
            .query_row(crate::row::ANY_TOUCHED_SQL, [], |r| r.get(0))
            .at(&self.path)?;
        if !any {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare(&touched_sql()).at(&self.path)?;
        let rows = stmt
            .query_map([], read_row)
            .at(&self.path)?
            .collect::<Result<Vec<_>, _>>()
            .at(&self.path)?;
        rows.into_iter().map(|r| report_of(&self.path, r)).collect()
    }

    fn next_incident_id(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .conn
            .query_row(sql::NEXT_INCIDENT_ID, [], |r| r.get(0))
            .at(&self.path)?;
        Ok(u64::try_from(n).unwrap_or(1))
    }

    fn put_incidents(&mut self, update: IncidentUpdate<'_>) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx = self.conn.transaction().at(&path)?;
        let moved = tx
            .execute(
                sql::ADVANCE_INCIDENT_ID,
                params![
                    update.next_id.max(update.read_next_id) as i64,
                    update.read_next_id as i64
                ],
            )
            .at(&path)?
            == 0;
        if moved {
            return Err(StoreError::IncidentsMoved { path: path.clone() });
        }
        {
            let at = micros(update.at);
            let mut end = tx.prepare(sql::DELETE_INCIDENT).at(&path)?;
            let mut unlink = tx.prepare(sql::DELETE_INCIDENT_REPORTS).at(&path)?;
            for &id in update.ended {
                end.execute(params![id as i64]).at(&path)?;
                unlink.execute(params![id as i64]).at(&path)?;
            }
            let mut put = tx.prepare(sql::PUT_INCIDENT).at(&path)?;
            let mut member = tx.prepare(sql::PUT_INCIDENT_REPORT).at(&path)?;
            for i in update.put {
                let id = i.id as i64;
                put.execute(params![id, micros(i.first), micros(i.last)])
                    .at(&path)?;
                unlink.execute(params![id]).at(&path)?;
            }
            for i in update.put {
                for (source, report) in &i.reports {
                    member
                        .execute(params![source, report, i.id as i64])
                        .at(&path)?;
                }
            }
            let mut log = tx.prepare(sql::PUT_INCIDENT_CHANGE).at(&path)?;
            for (id, change) in update.changes {
                log.execute(params![at, *id as i64, change]).at(&path)?;
            }
        }
        tx.commit().at(&path)
    }

    fn max_time_precision(&self) -> Result<f64, StoreError> {
        self.conn
            .query_row(sql::MAX_TIME_PRECISION, [], |r| r.get(0))
            .at(&self.path)
    }

    fn incident_generation(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .conn
            .query_row(sql::INCIDENT_GENERATION, [], |r| r.get(0))
            .at(&self.path)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn incident_changes(&self) -> Result<Vec<(Timestamp, u64, String)>, StoreError> {
        let mut stmt = self.conn.prepare(sql::INCIDENT_CHANGES).at(&self.path)?;
        let rows = stmt
            .query_map([], |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?)))
            .at(&self.path)?
            .collect::<Result<Vec<(i64, i64, String)>, _>>()
            .at(&self.path)?;
        rows.into_iter()
            .map(|(at, id, c)| change_row(&self.path, at, id, c))
            .collect()
    }

    fn rejects(&self) -> Result<Vec<StoredReject>, StoreError> {
        let mut stmt = self.conn.prepare(sql::REJECTS).at(&self.path)?;
        let rows = stmt
            .query_map([], |x| {
                Ok(StoredReject {
                    file: x.get(0)?,
                    line: x.get(1)?,
                    reason: x.get(2)?,
                    row: x.get(3)?,
                })
            })
            .at(&self.path)?;
        rows.collect::<Result<_, _>>().at(&self.path)
    }
}

/// Microseconds since 1970, as stored.
pub(crate) fn micros(t: Timestamp) -> i64 {
    t.as_microsecond()
}

/// A stored time back, or why it is not one.
pub(crate) fn time_of(path: &str, us: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_microsecond(us).map_err(|e| StoreError::Database {
        path: path.to_owned(),
        message: format!("a stored time ({us} µs) is out of range: {e}"),
    })
}

fn write_audit(tx: &Transaction<'_>, a: &AuditEntry) -> rusqlite::Result<usize> {
    tx.execute(
        sql::PUT_AUDIT,
        params![micros(a.at), a.actor, a.action, a.target, a.before, a.after],
    )
}

type UserRow = (String, String, Option<String>, String, i64, bool);

/// An account's columns, as `sql::USER` and `sql::USERS` select them.
fn user_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<UserRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

impl SqliteStore {
    /// Runs `f` in a transaction that also writes `audit`, committing both or neither (neither when `f`
    /// answers an error of its own).
    fn audited<T>(
        &mut self,
        audit: &AuditEntry,
        f: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        let path = self.path.clone();
        let tx = self.conn.transaction().at(&path)?;
        let out = f(&tx).at(&path)??;
        write_audit(&tx, audit).at(&path)?;
        tx.commit().at(&path)?;
        Ok(out)
    }

    fn user_of(&self, r: UserRow) -> Result<StoredUser, StoreError> {
        Ok(StoredUser {
            name: r.0,
            role: r.1,
            nation: r.2,
            password_hash: r.3,
            created: time_of(&self.path, r.4)?,
            disabled: r.5,
        })
    }
}

impl Store for SqliteStore {
    fn put_user(&mut self, user: &StoredUser, audit: &AuditEntry) -> Result<(), StoreError> {
        self.audited(audit, |tx| {
            let old: Option<String> = tx
                .query_row(sql::PASSWORD_HASH, params![user.name], |r| r.get(0))
                .optional()?;
            if user.disabled || old.is_some_and(|h| h != user.password_hash) {
                tx.execute(sql::DELETE_USER_TOKENS, params![user.name])?;
                tx.execute(sql::DELETE_USER_SESSIONS, params![user.name])?;
            }
            tx.execute(
                sql::PUT_USER,
                params![
                    user.name,
                    user.role,
                    user.nation,
                    user.password_hash,
                    micros(user.created),
                    user.disabled
                ],
            )
            .map(Ok)
        })?;
        Ok(())
    }

    fn user(&self, name: &str) -> Result<Option<StoredUser>, StoreError> {
        let row: Option<UserRow> = self
            .conn
            .query_row(sql::USER, params![name], user_row)
            .optional()
            .at(&self.path)?;
        row.map(|r| self.user_of(r)).transpose()
    }

    fn users(&self) -> Result<Vec<StoredUser>, StoreError> {
        let mut stmt = self.conn.prepare(sql::USERS).at(&self.path)?;
        let rows: Vec<UserRow> = stmt
            .query_map([], user_row)
            .at(&self.path)?
            .collect::<Result<_, _>>()
            .at(&self.path)?;
        rows.into_iter().map(|r| self.user_of(r)).collect()
    }

    fn put_token(
        &mut self,
        hash: &str,
        user: &str,
        label: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        self.audited(audit, |tx| {
            tx.execute(sql::PUT_TOKEN, params![hash, user, label])
                .map(|n| issued(n as u64, user))
        })
    }

    fn token_user(&self, hash: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(sql::TOKEN_USER, params![hash], |r| r.get(0))
            .optional()
            .at(&self.path)
    }

    fn delete_tokens(
        &mut self,
        user: &str,
        label: &str,
        audit: &AuditEntry,
    ) -> Result<u64, StoreError> {
        self.audited(audit, |tx| {
            tx.execute(sql::DELETE_TOKENS, params![user, label])
                .map(|n| Ok(n as u64))
        })
    }

    fn delete_sessions(&mut self, user: &str, audit: &AuditEntry) -> Result<u64, StoreError> {
        self.audited(audit, |tx| {
            tx.execute(sql::DELETE_USER_SESSIONS, params![user])
                .map(|n| Ok(n as u64))
        })
    }

    fn put_session(
        &mut self,
        s: &StoredSession,
        password_hash: &str,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let put = self.audited(audit, |tx| {
            tx.execute(
                sql::PUT_SESSION,
                params![s.id_hash, s.user, s.csrf, micros(s.expires), password_hash],
            )
            .map(|n| issued(n as u64, &s.user))
        });
        started(put)
    }

    fn session(&self, id_hash: &str, now: Timestamp) -> Result<Option<StoredSession>, StoreError> {
        let row: Option<(String, String, String, i64)> = self
            .conn
            .query_row(sql::SESSION, params![id_hash, micros(now)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()
            .at(&self.path)?;
        row.map(|(id_hash, user, csrf, us)| {
            Ok(StoredSession {
                id_hash,
                user,
                csrf,
                expires: time_of(&self.path, us)?,
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
            tx.execute(sql::DELETE_SESSION, params![id_hash, micros(now)])
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
            let last: i64 = tx.query_row(sql::LAST_VERSION, params![name], |r| r.get(0))?;
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
                sql::PUT_VERSION,
                params![name, version, audit.actor, micros(audit.at), note],
            )?;
            let mut insert = tx.prepare(sql::PUT_FILE)?;
            for (path, text) in files {
                insert.execute(params![name, version, path, text])?;
            }
            Ok(Ok(u32::try_from(version).unwrap_or(u32::MAX)))
        })
    }

    fn scenario_names(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare(sql::SCENARIO_NAMES).at(&self.path)?;
        let names = stmt
            .query_map([], |r| r.get(0))
            .at(&self.path)?
            .collect::<Result<_, _>>()
            .at(&self.path)?;
        Ok(names)
    }

    fn scenario_versions(&self, name: &str) -> Result<Vec<ScenarioVersion>, StoreError> {
        let mut stmt = self.conn.prepare(sql::SCENARIO_VERSIONS).at(&self.path)?;
        let rows: Vec<(i64, String, i64, String)> = stmt
            .query_map(params![name], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .at(&self.path)?
            .collect::<Result<_, _>>()
            .at(&self.path)?;
        rows.into_iter()
            .map(|(version, author, us, note)| {
                Ok(ScenarioVersion {
                    name: name.to_owned(),
                    version: u32::try_from(version).unwrap_or(u32::MAX),
                    author,
                    at: time_of(&self.path, us)?,
                    note,
                })
            })
            .collect()
    }

    fn scenario_files(
        &self,
        name: &str,
        version: u32,
    ) -> Result<Option<Vec<(String, String)>>, StoreError> {
        let known: Option<i64> = self
            .conn
            .query_row(sql::VERSION_EXISTS, params![name, version], |r| r.get(0))
            .optional()
            .at(&self.path)?;
        if known.is_none() {
            return Ok(None);
        }
        let mut stmt = self.conn.prepare(sql::SCENARIO_FILES).at(&self.path)?;
        let files = stmt
            .query_map(params![name, version], |r| Ok((r.get(0)?, r.get(1)?)))
            .at(&self.path)?
            .collect::<Result<_, _>>()
            .at(&self.path)?;
        Ok(Some(files))
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
                sql::PUBLISH,
                params![name, version, world, audit.actor, micros(audit.at)],
            )
            .map(Ok)
        })?;
        Ok(())
    }

    fn published(&self, name: &str) -> Result<Option<Published>, StoreError> {
        let row: Option<(i64, String, String, i64)> = self
            .conn
            .query_row(sql::PUBLISHED, params![name], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()
            .at(&self.path)?;
        row.map(|(version, world, by, us)| {
            Ok(Published {
                name: name.to_owned(),
                version: u32::try_from(version).unwrap_or(u32::MAX),
                world,
                by,
                at: time_of(&self.path, us)?,
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
        let mut stmt = self.conn.prepare(sql::AUDIT).at(&self.path)?;
        type AuditRow = (
            i64,
            i64,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<AuditRow> = stmt
            .query_map(params![before, limit], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })
            .at(&self.path)?
            .collect::<Result<_, _>>()
            .at(&self.path)?;
        rows.into_iter()
            .map(|(seq, us, actor, action, target, before, after)| {
                Ok(AuditEntry {
                    seq: u64::try_from(seq).unwrap_or(0),
                    at: time_of(&self.path, us)?,
                    actor,
                    action,
                    target,
                    before,
                    after,
                })
            })
            .collect()
    }
}
