//! Accounts: creating users with argon2-hashed passwords, checking a password, issuing API tokens and session
//! ids (random, shown once, stored only as SHA-256 hashes), and turning a stored account into a [`Viewer`].

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use guarantor_store::{AuditEntry, Store, StoreError, StoredUser};
use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::{Role, Viewer};

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// A problem with an account.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// The name is not a login name.
    #[error("user name {0:?}: expected 1 to 64 letters, digits, `.`, `-` or `_`")]
    BadName(String),
    /// The role (or its nation) is wrong.
    #[error("{0}")]
    BadRole(String),
    /// The password is too short.
    #[error("the password must be at least {MIN_PASSWORD_CHARS} characters")]
    WeakPassword,
    /// No such user.
    #[error("no user {0}")]
    NoUser(String),
    /// The account is disabled.
    #[error("user {0} is disabled (enable it first)")]
    Disabled(String),
    /// The user has no token under that label.
    #[error("user {name} has no token labelled {label:?}")]
    NoToken {
        /// The user.
        name: String,
        /// The label asked for.
        label: String,
    },
    /// The stored account does not read back (a role this guarantor does not know).
    #[error("user {name}: {message}")]
    Corrupt {
        /// The user.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// Hashing failed.
    #[error("password hashing: {0}")]
    Hash(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// `bytes` random bytes from the operating system, as lowercase hex.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    hex(&buf)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of a token or session id, as stored (a secret with 256 random bits needs no slow hash).
pub fn secret_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// `password` hashed with Argon2id (the crate's defaults: 19 MiB, 2 passes) and a random salt, in PHC form.
pub fn hash_password(password: &str) -> Result<String, AccountError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AccountError::Hash(e.to_string()))
}

/// Whether `password` matches `hash` (a PHC string); a malformed hash matches nothing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

pub(crate) fn check_name(name: &str) -> Result<(), AccountError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(AccountError::BadName(name.to_owned()))
    }
}

/// Creates (or replaces) the account `name` with `role` and `password`, recording `actor` in the audit log.
pub fn put_user(
    store: &mut dyn Store,
    name: &str,
    role: &Role,
    password: &str,
    actor: &str,
    now: Timestamp,
) -> Result<(), AccountError> {
    check_name(name)?;
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AccountError::WeakPassword);
    }
    let before = store.user(name)?;
    let user = StoredUser {
        name: name.to_owned(),
        role: role.name().to_owned(),
        nation: role.nation().map(ToString::to_string),
        password_hash: hash_password(password)?,
        created: before.as_ref().map_or(now, |u| u.created),
        disabled: false,
    };
    let shown = |u: &StoredUser| {
        serde_json::json!({"name": u.name, "role": u.role, "nation": u.nation, "disabled": u.disabled})
            .to_string()
    };
    let audit = AuditEntry {
        seq: 0,
        at: now,
        actor: actor.to_owned(),
        action: if before.is_some() {
            "user.update"
        } else {
            "user.create"
        }
        .to_owned(),
        target: name.to_owned(),
        before: before.as_ref().map(shown),
        after: Some(shown(&user)),
    };
    store.put_user(&user, &audit)?;
    Ok(())
}

/// Disables the account `name`: its password stops working and every token and session it had is deleted, on
/// the next request of every server over the same database. [`enable_user`] lets it log in again with its
/// password; the old tokens and sessions stay gone.
pub fn disable_user(
    store: &mut dyn Store,
    name: &str,
    actor: &str,
    now: Timestamp,
) -> Result<(), AccountError> {
    set_disabled(store, name, true, actor, now)
}

/// Enables the account `name` again: it may log in with its password (if that may be known, set a new one with
/// [`set_password`]); tokens and sessions from before it was disabled do not come back.
pub fn enable_user(
    store: &mut dyn Store,
    name: &str,
    actor: &str,
    now: Timestamp,
) -> Result<(), AccountError> {
    set_disabled(store, name, false, actor, now)
}

fn set_disabled(
    store: &mut dyn Store,
    name: &str,
    disabled: bool,
    actor: &str,
    now: Timestamp,
) -> Result<(), AccountError> {
    let before = existing(store, name)?;
    let after = StoredUser {
        disabled,
        ..before.clone()
    };
    let action = if disabled {
        "user.disable"
    } else {
        "user.enable"
    };
    let audit = entry(
        now,
        actor,
        action,
        name,
        serde_json::json!({"disabled": before.disabled}),
        serde_json::json!({"disabled": disabled}),
    );
    store.put_user(&after, &audit)?;
    Ok(())
}

/// Sets a new password for `name`: the old one, and every token and session of the account, stop working.
pub fn set_password(
    store: &mut dyn Store,
    name: &str,
    password: &str,
    actor: &str,
    now: Timestamp,
) -> Result<(), AccountError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AccountError::WeakPassword);
    }
    let before = existing(store, name)?;
    let after = StoredUser {
        password_hash: hash_password(password)?,
        ..before
    };
    let revoked =
        serde_json::json!({"password": "changed", "tokens": "revoked", "sessions": "ended"});
    let audit = entry(
        now,
        actor,
        "user.password",
        name,
        serde_json::Value::Null,
        revoked,
    );
    store.put_user(&after, &audit)?;
    Ok(())
}

/// Revokes `name`'s API tokens labelled `label` (on the next request of every server); how many there were.
pub fn revoke_token(
    store: &mut dyn Store,
    name: &str,
    label: &str,
    actor: &str,
    now: Timestamp,
) -> Result<u64, AccountError> {
    existing(store, name)?;
    let audit = entry(
        now,
        actor,
        "token.revoke",
        name,
        serde_json::Value::Null,
        serde_json::json!({"label": label}),
    );
    match store.delete_tokens(name, label, &audit)? {
        0 => Err(AccountError::NoToken {
            name: name.to_owned(),
            label: label.to_owned(),
        }),
        n => Ok(n),
    }
}

/// Ends every session of `name` (its tokens go on working); how many there were.
pub fn logout_all(
    store: &mut dyn Store,
    name: &str,
    actor: &str,
    now: Timestamp,
) -> Result<u64, AccountError> {
    existing(store, name)?;
    let audit = entry(
        now,
        actor,
        "user.logout_all",
        name,
        serde_json::Value::Null,
        serde_json::Value::Null,
    );
    Ok(store.delete_sessions(name, &audit)?)
}

fn existing(store: &dyn Store, name: &str) -> Result<StoredUser, AccountError> {
    store
        .user(name)?
        .ok_or_else(|| AccountError::NoUser(name.to_owned()))
}

/// An audit line; a JSON null before or after is no value.
fn entry(
    at: Timestamp,
    actor: &str,
    action: &str,
    target: &str,
    before: serde_json::Value,
    after: serde_json::Value,
) -> AuditEntry {
    let text = |v: serde_json::Value| (!v.is_null()).then(|| v.to_string());
    AuditEntry {
        seq: 0,
        at,
        actor: actor.to_owned(),
        action: action.to_owned(),
        target: target.to_owned(),
        before: text(before),
        after: text(after),
    }
}

/// A new API token for `name` (returned once; only its hash is stored), under `label`.
pub fn new_token(
    store: &mut dyn Store,
    name: &str,
    label: &str,
    actor: &str,
    now: Timestamp,
) -> Result<String, AccountError> {
    if existing(store, name)?.disabled {
        return Err(AccountError::Disabled(name.to_owned()));
    }
    let token = format!("gua_{}", random_hex(32));
    let audit = AuditEntry {
        seq: 0,
        at: now,
        actor: actor.to_owned(),
        action: "token.create".to_owned(),
        target: name.to_owned(),
        before: None,
        after: Some(serde_json::json!({"label": label}).to_string()),
    };
    // Checked again in the store's own statement: an account disabled meanwhile gets no token.
    match store.put_token(&secret_hash(&token), name, label, &audit) {
        Ok(()) => Ok(token),
        Err(guarantor_store::StoreError::Inactive { .. }) => {
            Err(AccountError::Disabled(name.to_owned()))
        }
        Err(e) => Err(e.into()),
    }
}

/// An account as listed (never its password hash): `guarantor user list --json` and `GET /api/v1/users`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct UserDto {
    /// Login name.
    pub name: String,
    /// `planner`, `monitor`, `liaison` or `observer`.
    pub role: String,
    /// A liaison officer's nation (ISO alpha-3).
    pub nation: Option<String>,
    /// Whether it may not log in.
    pub disabled: bool,
    /// When it was created, RFC 3339.
    pub created: String,
}

/// Every account, by name, as listed.
pub fn users(store: &dyn Store) -> Result<Vec<UserDto>, AccountError> {
    Ok(store
        .users()?
        .into_iter()
        .map(|u| UserDto {
            name: u.name,
            role: u.role,
            nation: u.nation,
            disabled: u.disabled,
            created: u.created.to_string(),
        })
        .collect())
}

/// The viewer a stored account is, or why it is not one.
pub fn viewer_of(user: &StoredUser) -> Result<Viewer, AccountError> {
    let role = Role::parse(&user.role, user.nation.as_deref()).map_err(|message| {
        AccountError::Corrupt {
            name: user.name.clone(),
            message,
        }
    })?;
    Ok(Viewer {
        name: user.name.clone(),
        role,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_matches_its_hash_only() {
        let h = hash_password("correct horse battery").expect("hashes");
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterz", &h));
        assert!(!verify_password("correct horse battery", "not a hash"));
        // Salted: the same password hashes differently each time.
        assert_ne!(h, hash_password("correct horse battery").expect("hashes"));
    }

    #[test]
    fn secrets_are_random_and_hashed() {
        let (a, b) = (random_hex(32), random_hex(32));
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(
            secret_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
