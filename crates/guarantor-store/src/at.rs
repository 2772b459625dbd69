//! One error conversion for both stores: a database driver's error, and where it happened, as a
//! [`StoreError`] (`.at(place)` on any driver result).

use crate::StoreError;

/// A database driver's error in the words an operator reads.
pub(crate) trait DriverError {
    fn words(&self) -> String;
}

impl DriverError for rusqlite::Error {
    fn words(&self) -> String {
        self.to_string()
    }
}

impl DriverError for postgres::Error {
    /// The server's own words (with its SQLSTATE code) when it sent some; the client's otherwise.
    fn words(&self) -> String {
        match self.as_db_error() {
            Some(d) => format!("{}: {}", d.code().code(), d.message()),
            None => self.to_string(),
        }
    }
}

/// A driver's result as a store's: `place` is the database's file or its URL without the password.
pub(crate) trait At<T> {
    fn at(self, place: &str) -> Result<T, StoreError>;
}

impl<T, E: DriverError> At<T> for Result<T, E> {
    fn at(self, place: &str) -> Result<T, StoreError> {
        self.map_err(|e| StoreError::Database {
            path: place.to_owned(),
            message: e.words(),
        })
    }
}
