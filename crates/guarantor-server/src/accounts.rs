//! Managing accounts over the API (planners): disable and enable an account, set its password, revoke one of
//! its tokens, end its sessions. The same use cases as `guarantor user`, each with its audit line naming the
//! planner; each takes effect on the next request of every server over the same database.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use guarantor_app::{AccountError, Permission};
use guarantor_store::Store;
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::Caller;
use crate::blocking;
use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, lock};

/// A change to an account by `caller` (who must be allowed to manage accounts), answered with `f`'s JSON.
async fn change(
    state: AppState,
    caller: Caller,
    f: impl FnOnce(&mut dyn Store, &str, Timestamp) -> Result<Value, AccountError> + Send + 'static,
) -> ApiResult {
    caller.may(Permission::ManageUsers)?;
    let inner = state.0.clone();
    let actor = caller.viewer.name.clone();
    let answer = blocking(move || {
        let mut store = lock(&inner.store)?;
        f(&mut **store, &actor, Timestamp::now()).map_err(account_error)
    })
    .await?;
    Ok(Json(answer))
}

/// An account use case's error as the API says it.
fn account_error(e: AccountError) -> ApiError {
    match e {
        AccountError::NoUser(_) | AccountError::NoToken { .. } => {
            ApiError::not_found(e.to_string())
        }
        AccountError::BadName(_)
        | AccountError::BadRole(_)
        | AccountError::WeakPassword
        | AccountError::Disabled(_) => ApiError::bad_request("bad_body", e.to_string()),
        AccountError::Corrupt { .. } | AccountError::Hash(_) | AccountError::Store(_) => {
            ApiError::internal(e)
        }
    }
}

/// `POST /api/v1/users/{name}/disable`: its password, tokens and sessions stop working at once; enabling it
/// again brings back none of its tokens or sessions.
pub(crate) async fn disable(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> ApiResult {
    change(state, caller, move |store, actor, now| {
        guarantor_app::disable_user(store, &name, actor, now)?;
        Ok(json!({"name": name, "disabled": true}))
    })
    .await
}

/// `POST /api/v1/users/{name}/enable`: it may log in with its password again.
pub(crate) async fn enable(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> ApiResult {
    change(state, caller, move |store, actor, now| {
        guarantor_app::enable_user(store, &name, actor, now)?;
        Ok(json!({"name": name, "disabled": false}))
    })
    .await
}

/// The body of `PUT /api/v1/users/{name}/password`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewPassword {
    password: String,
}

/// `PUT /api/v1/users/{name}/password`: the old password, tokens and sessions stop working.
pub(crate) async fn password(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
    body: Result<Json<NewPassword>, JsonRejection>,
) -> ApiResult {
    let Json(body) = body?;
    change(state, caller, move |store, actor, now| {
        guarantor_app::set_password(store, &name, &body.password, actor, now)?;
        Ok(json!({"name": name, "tokens": "revoked", "sessions": "ended"}))
    })
    .await
}

/// `DELETE /api/v1/users/{name}/tokens/{label}`: the account's tokens under that label stop working.
pub(crate) async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Path((name, label)): Path<(String, String)>,
) -> ApiResult {
    change(state, caller, move |store, actor, now| {
        let revoked = guarantor_app::revoke_token(store, &name, &label, actor, now)?;
        Ok(json!({"name": name, "label": label, "revoked": revoked}))
    })
    .await
}

/// `POST /api/v1/users/{name}/logout-all`: every session of the account ends (its tokens go on working).
pub(crate) async fn logout_all(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> ApiResult {
    change(state, caller, move |store, actor, now| {
        let ended = guarantor_app::logout_all(store, &name, actor, now)?;
        Ok(json!({"name": name, "sessions_ended": ended}))
    })
    .await
}
