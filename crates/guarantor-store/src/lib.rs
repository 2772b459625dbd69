//! guarantor's storage: monitoring reports and rejected rows, behind one trait, in SQLite (a file next to the
//! scenario; nothing to install). PostgreSQL will implement the same trait for the server (issue #7).

use guarantor_core::Report;
use jiff::Timestamp;

mod sqlite;

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
}

/// What an ingest did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ingested {
    /// Reports stored for the first time.
    pub new: usize,
    /// Reports already stored, identical: stored once.
    pub duplicates: usize,
    /// Reports whose source and id were stored already with other contents: the first is kept.
    pub conflicts: usize,
    /// Rejected rows recorded.
    pub rejected: usize,
}

/// Where monitoring data lives. Every implementation passes the same test suite.
pub trait ReportStore {
    /// Stores a batch in one transaction: when this returns `Ok`, all of it is stored; on an error or a crash,
    /// none of it. A report is identified by its source and id: the same report twice is stored once.
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
}
