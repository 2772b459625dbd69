//! The SQLite store: one file, created on first use, with append-only migrations (`PRAGMA user_version` counts
//! those applied). Write-ahead logging with full sync: a batch whose transaction committed survives a crash.

use std::path::Path;

use geo_types::Point;
use guarantor_core::{Category, EventKind, Precision, Report, SourceKind};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use crate::{Batch, Ingested, ReportStore, StoreError, StoredReject};

/// The schema, one step per entry, never edited once released: a new column or table is a new entry.
const MIGRATIONS: &[&str] = &[
    // 1: reports and rejected rows.
    "CREATE TABLE report (
        source TEXT NOT NULL,
        id TEXT NOT NULL,
        source_kind TEXT NOT NULL,
        time_s INTEGER NOT NULL,
        time_nanos INTEGER NOT NULL,
        time_precision_hours REAL NOT NULL,
        lon REAL NOT NULL,
        lat REAL NOT NULL,
        place_precision_km REAL NOT NULL,
        kind TEXT NOT NULL,
        target TEXT,
        count INTEGER NOT NULL,
        text TEXT NOT NULL,
        file TEXT NOT NULL,
        PRIMARY KEY (source, id)
    );
    CREATE INDEX report_time ON report (time_s);
    CREATE TABLE reject (
        file TEXT NOT NULL,
        line INTEGER NOT NULL,
        reason TEXT NOT NULL,
        row TEXT NOT NULL,
        PRIMARY KEY (file, line, row)
    );",
];

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
        let conn = Connection::open(path).map_err(|e| db(&shown, e))?;
        let mut store = SqliteStore { path: shown, conn };
        store.migrate()?;
        Ok(store)
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        db(&self.path, e)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        self.conn
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;")
            .map_err(|e| self.err(e))?;
        let done: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        let done = usize::try_from(done).unwrap_or(0);
        if done > MIGRATIONS.len() {
            return Err(StoreError::Database {
                path: self.path.clone(),
                message: format!(
                    "the database has schema version {done}; this guarantor knows {} (a newer guarantor wrote it)",
                    MIGRATIONS.len()
                ),
            });
        }
        for (i, step) in MIGRATIONS.iter().enumerate().skip(done) {
            let tx = self.conn.transaction().map_err(|e| db(&self.path, e))?;
            tx.execute_batch(step).map_err(|e| db(&self.path, e))?;
            tx.pragma_update(None, "user_version", i as i64 + 1)
                .map_err(|e| db(&self.path, e))?;
            tx.commit().map_err(|e| db(&self.path, e))?;
        }
        Ok(())
    }
}

fn db(path: &str, e: rusqlite::Error) -> StoreError {
    StoreError::Database {
        path: path.to_owned(),
        message: e.to_string(),
    }
}

/// A report's columns, as stored (the same values always give the same row).
type Row = (
    String,
    String,
    String,
    i64,
    i64,
    f64,
    f64,
    f64,
    f64,
    String,
    Option<String>,
    i64,
    String,
);

/// The columns of a report, in the order of [`Row`].
const COLUMNS: &str = "source, id, source_kind, time_s, time_nanos, time_precision_hours, lon, lat, \
                       place_precision_km, kind, target, count, text";

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
    ))
}

fn row_of(r: &Report) -> Row {
    (
        r.source.clone(),
        r.id.clone(),
        r.source_kind.as_str().to_owned(),
        r.time.as_second(),
        i64::from(r.time.subsec_nanosecond()),
        r.time_precision.radius,
        r.place.x(),
        r.place.y(),
        r.place_precision.radius,
        r.kind.as_str().to_owned(),
        r.target.map(|t| t.as_str().to_owned()),
        i64::from(r.count),
        r.text.clone(),
    )
}

impl ReportStore for SqliteStore {
    fn ingest_with_progress(
        &mut self,
        batch: Batch<'_>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Ingested, StoreError> {
        let path = self.path.clone();
        let e = |e: rusqlite::Error| db(&path, e);
        let tx = self.conn.transaction().map_err(e)?;
        let mut done = Ingested::default();
        {
            let mut existing = tx
                .prepare(&format!(
                    "SELECT {COLUMNS} FROM report WHERE source = ?1 AND id = ?2"
                ))
                .map_err(e)?;
            let mut insert = tx
                .prepare(
                    "INSERT INTO report (source, id, source_kind, time_s, time_nanos, time_precision_hours, lon,
                                         lat, place_precision_km, kind, target, count, text, file)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                )
                .map_err(e)?;
            for (n, r) in batch.reports.iter().enumerate() {
                if n % 4096 == 0 {
                    progress(n);
                }
                let row = row_of(r);
                let found: Option<Row> = existing
                    .query_row(params![r.source, r.id], read_row)
                    .optional()
                    .map_err(e)?;
                let found = found.map(|stored| report_of(&path, stored)).transpose()?;
                match found {
                    Some(stored) if stored == *r => done.duplicates += 1,
                    Some(_) => done.conflicts += 1,
                    None => {
                        insert
                            .execute(params![
                                row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8,
                                row.9, row.10, row.11, row.12, batch.file
                            ])
                            .map_err(e)?;
                        done.new += 1;
                    }
                }
            }
            let mut reject = tx
                .prepare("INSERT OR IGNORE INTO reject (file, line, reason, row) VALUES (?1, ?2, ?3, ?4)")
                .map_err(e)?;
            for r in batch.rejected {
                done.rejected += reject
                    .execute(params![r.file, r.line, r.reason, r.row])
                    .map_err(e)?;
            }
        }
        tx.commit().map_err(e)?;
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
            .map_err(|e| self.err(e))?;
        let split = |t: Timestamp| (t.as_second(), i64::from(t.subsec_nanosecond()));
        let (from_s, from_n) = from.map_or((i64::MIN, 0), split);
        let (to_s, to_n) = to.map_or((i64::MAX, 0), split);
        let rows = stmt
            .query_map(params![from_s, from_n, to_s, to_n], read_row)
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let row = row.map_err(|e| self.err(e))?;
            out.push(report_of(&self.path, row)?);
        }
        Ok(out)
    }

    fn rejects(&self) -> Result<Vec<StoredReject>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT file, line, reason, row FROM reject ORDER BY file, line, row")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |x| {
                Ok(StoredReject {
                    file: x.get(0)?,
                    line: x.get(1)?,
                    reason: x.get(2)?,
                    row: x.get(3)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }
}

/// A stored row as a report, or why it is not one.
fn report_of(path: &str, row: Row) -> Result<Report, StoreError> {
    let (source, id, source_kind, secs, nanos, tp, lon, lat, pp, kind, target, count, text) = row;
    let corrupt = |message: String| StoreError::Corrupt {
        path: path.to_owned(),
        source_name: source.clone(),
        id: id.clone(),
        message,
    };
    let source_kind = SourceKind::from_name(&source_kind)
        .ok_or_else(|| corrupt(format!("unknown source kind `{source_kind}`")))?;
    let kind =
        EventKind::from_name(&kind).ok_or_else(|| corrupt(format!("unknown kind `{kind}`")))?;
    let target = match target {
        None => None,
        Some(t) => {
            Some(Category::from_name(&t).ok_or_else(|| corrupt(format!("unknown target `{t}`")))?)
        }
    };
    let time = Timestamp::new(secs, i32::try_from(nanos).unwrap_or(0))
        .map_err(|e| corrupt(format!("time: {e}")))?;
    Ok(Report {
        time,
        time_precision: Precision { radius: tp },
        place: Point::new(lon, lat),
        place_precision: Precision { radius: pp },
        source_kind,
        kind,
        target,
        count: u32::try_from(count).map_err(|_| corrupt(format!("count {count}")))?,
        text,
        source,
        id,
    })
}
