//! Logging in and out (the dashboard's and the API's cookie sessions). A password is checked against the stored
//! hash — a name without an account costs a hash too, so timing does not tell which names exist —; a session is
//! started with its audit line in one transaction, and none for an account disabled, or whose password changed,
//! since the check; a failed login is recorded; a session ends with its own line. Limiting attempts per name and
//! per client address is the server's (it alone knows the address).

use std::sync::{Mutex, MutexGuard};

use guarantor_store::{AuditEntry, Store, StoreError, StoredSession};
use jiff::{SignedDuration, Timestamp};

use crate::Viewer;
use crate::accounts::{
    AccountError, check_name, random_hex, secret_hash, verify_password, viewer_of,
};

/// How long a session lasts.
pub const SESSION_HOURS: i64 = 12;

/// A valid Argon2id hash of a random password, verified against when the user does not exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1hL1bJ5Wm3m8Yc8q1WmV0m9VZ3n6y6eC2b3WmF0bq1k";

/// A session started: as stored (its id only as a hash), the id itself (for the cookie, shown once) and who.
#[derive(Debug)]
pub struct Started {
    /// The session as stored, with its CSRF token and expiry.
    pub session: StoredSession,
    /// The session id (the cookie's value); stored only as its hash.
    pub id: String,
    /// The account, with its role.
    pub viewer: Viewer,
}

/// Why no session was started.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// No enabled account has that name and password (the same answer for every case, so it tells nothing).
    #[error("wrong user name or password")]
    Refused,
    /// Another thread panicked holding the store.
    #[error("the store is unusable: a thread panicked holding it")]
    Poisoned,
    /// The stored account does not read back.
    #[error(transparent)]
    Account(#[from] AccountError),
    /// The session's end is past the last time the clock can tell.
    #[error("session expiry: {0}")]
    Expiry(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn hold(store: &Mutex<Box<dyn Store>>) -> Result<MutexGuard<'_, Box<dyn Store>>, LoginError> {
    store.lock().map_err(|_| LoginError::Poisoned)
}

/// An audit line of `name` doing `action` on their own account at `now`.
fn own(name: &str, action: &str, now: Timestamp) -> AuditEntry {
    AuditEntry {
        seq: 0,
        at: now,
        actor: name.to_owned(),
        action: action.to_owned(),
        target: name.to_owned(),
        before: None,
        after: None,
    }
}

/// Whether `name` could be an account's name (1 to 64 letters, digits, `.`, `-` or `_`). A login under any
/// other name is refused before anything is counted or recorded: a server must not keep it (it may be megabytes).
pub fn could_be_account(name: &str) -> bool {
    check_name(name).is_ok()
}

/// Checks `password` for `name` and, when they are an enabled account's, starts a session of
/// [`SESSION_HOURS`] from `now` with its audit line (`login`); a wrong password, an unknown or a disabled
/// account is recorded (`login.failed`) and refused alike. A name no account can have is refused without a
/// record. The store is held to read the account and to write, not while the (slow) hash is checked.
pub fn log_in(
    store: &Mutex<Box<dyn Store>>,
    name: &str,
    password: &str,
    now: Timestamp,
) -> Result<Started, LoginError> {
    if !could_be_account(name) {
        return Err(LoginError::Refused);
    }
    let user = hold(store)?.user(name)?;
    let ok = match &user {
        Some(u) => verify_password(password, &u.password_hash) && !u.disabled,
        None => {
            verify_password(password, DUMMY_HASH);
            false
        }
    };
    let mut store = hold(store)?;
    let Some(user) = user.filter(|_| ok) else {
        store.record(&own(name, "login.failed", now))?;
        return Err(LoginError::Refused);
    };
    let viewer = viewer_of(&user)?;
    let id = random_hex(32);
    let expires = now
        .checked_add(SignedDuration::from_hours(SESSION_HOURS))
        .map_err(|e| LoginError::Expiry(e.to_string()))?;
    let session = StoredSession {
        id_hash: secret_hash(&id),
        user: user.name.clone(),
        csrf: random_hex(16),
        expires,
    };
    // Disabled, or its password changed, since the password was checked: no session and no line.
    if !store.put_session(
        &session,
        &user.password_hash,
        &own(&user.name, "login", now),
    )? {
        return Err(LoginError::Refused);
    }
    Ok(Started {
        session,
        id,
        viewer,
    })
}

/// Ends the session whose id hashes to `id_hash` (and every expired one), with `name`'s audit line (`logout`).
pub fn log_out(
    store: &mut dyn Store,
    id_hash: &str,
    name: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    store.delete_session(id_hash, now, &own(name, "logout", now))
}
