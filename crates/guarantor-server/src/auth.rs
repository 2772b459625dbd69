//! Who is calling: an API token (`Authorization: Bearer gua_…`) or a session cookie set by logging in. A
//! request authenticated by its cookie that changes something must carry the session's CSRF token in the
//! `X-CSRF-Token` header (forms: a `csrf` field), so another site cannot make a logged-in browser act.
//! Failed logins are limited per user name and per client address.

use std::net::SocketAddr;
use std::time::Instant;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use guarantor_app::{Permission, Viewer};
use guarantor_store::StoredSession;
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::json;

use crate::blocking;
use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, Authenticated, lock};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "guarantor_session";

/// The header a cookie-authenticated request that changes something carries its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How long a session lasts.
pub use guarantor_app::SESSION_HOURS;

/// The caller of a request, authenticated.
#[derive(Clone, Debug)]
pub struct Caller {
    /// Who, with their role.
    pub viewer: Viewer,
    /// The session's CSRF token, when the caller came by session cookie.
    pub csrf: Option<String>,
    /// The session id's hash, when by cookie.
    pub session: Option<String>,
}

impl Caller {
    /// The caller if their role may do `p`, else `forbidden`.
    pub fn may(&self, p: Permission) -> Result<&Caller, ApiError> {
        if self.viewer.role.may(p) {
            Ok(self)
        } else {
            Err(ApiError::forbidden(format!(
                "a {} may not {}",
                self.viewer.role.name(),
                describe(p)
            )))
        }
    }
}

/// A permission in words, for `forbidden` messages.
pub(crate) fn describe(p: Permission) -> &'static str {
    match p {
        Permission::ReadScenario => "read scenarios",
        Permission::LoadScenario => "load scenarios",
        Permission::ReadPledges => "read pledges",
        Permission::EditPledges => "edit pledges",
        Permission::ReadPlan => "compute plans",
        Permission::Publish => "publish plans",
        Permission::ReadPublished => "read the published plan",
        Permission::IngestReports => "send reports",
        Permission::ReadIncidents => "read incidents",
        Permission::ReadAudit => "read the audit log",
        Permission::ManageUsers => "manage accounts",
    }
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

fn unauthenticated(message: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", message)
}

/// Checks a token or session id (by its hash) against the store, on every request: a disabled account, a new
/// password, a revoked token or ended sessions take effect on the next request of every server over the same
/// database, whoever changed it (another server, or `guarantor user` in another process).
async fn authenticate(
    state: &AppState,
    hash: String,
    by_token: bool,
) -> Result<Option<Authenticated>, ApiError> {
    let inner = state.0.clone();
    blocking(move || {
        let store = lock(&inner.store)?;
        let (name, csrf) = if by_token {
            match store.token_user(&hash).map_err(ApiError::internal)? {
                Some(name) => (name, None),
                None => return Ok(None),
            }
        } else {
            match store
                .session(&hash, Timestamp::now())
                .map_err(ApiError::internal)?
            {
                Some(s) => (s.user, Some(s.csrf)),
                None => return Ok(None),
            }
        };
        let Some(user) = store.user(&name).map_err(ApiError::internal)? else {
            return Ok(None);
        };
        if user.disabled {
            return Ok(None);
        }
        let viewer = guarantor_app::viewer_of(&user).map_err(ApiError::internal)?;
        Ok(Some(Authenticated { viewer, csrf }))
    })
    .await
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        Caller::of(parts, state, true).await
    }
}

impl Caller {
    /// The caller of a request. With `csrf_header`, a request by session cookie that changes something must
    /// carry the session's CSRF token in its header; without, the caller is a dashboard form's, whose handler
    /// checks the token the form carries (`dashboard::Browser::check_csrf`).
    pub(crate) async fn of(
        parts: &Parts,
        state: &AppState,
        csrf_header: bool,
    ) -> Result<Caller, ApiError> {
        // A bearer token; another scheme (a proxy's Basic authentication, say) is not ours, and leaves the
        // session cookie to say who calls.
        let authorization = parts.headers.get(header::AUTHORIZATION);
        let bearer = authorization
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token);
        if let Some(token) = bearer {
            let a = authenticate(state, guarantor_app::secret_hash(token.trim()), true)
                .await?
                .ok_or_else(|| {
                    unauthenticated("the token is not known, or its account is disabled")
                })?;
            return Ok(Caller {
                viewer: a.viewer,
                csrf: None,
                session: None,
            });
        }
        let Some(id) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(unauthenticated(if authorization.is_some() {
                "Authorization: expected `Bearer <token>` (tokens start gua_), or log in (POST /api/v1/login)"
            } else {
                "log in (POST /api/v1/login) or send `Authorization: Bearer <token>`"
            }));
        };
        let hash = guarantor_app::secret_hash(&id);
        let a = authenticate(state, hash.clone(), false)
            .await?
            .ok_or_else(|| unauthenticated("the session has expired or ended: log in again"))?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        let caller = Caller {
            viewer: a.viewer,
            csrf: a.csrf,
            session: Some(hash),
        };
        if csrf_header && !safe {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
            if sent.is_none() || sent != caller.csrf.as_deref() {
                return Err(ApiError::forbidden(
                    "a request by session cookie that changes something must carry the session's CSRF token \
                     in the X-CSRF-Token header",
                )
                .code("bad_csrf"));
            }
        }
        Ok(caller)
    }
}

impl ApiError {
    /// The same error under another code.
    pub(crate) fn code(mut self, code: &'static str) -> ApiError {
        self.code = code;
        self
    }
}

/// A login.
#[derive(Debug, Deserialize)]
pub(crate) struct Login {
    pub name: String,
    pub password: String,
}

/// The client's address, when the server knows it (not in router-level tests without one, which all count as
/// one): the peer's, or behind a trusted reverse proxy the one its `X-Forwarded-For` names.
pub(crate) struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<ClientAddress, Self::Rejection> {
        let Some(peer) = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
        else {
            return Ok(ClientAddress("unknown".to_owned()));
        };
        let trusted = state.0.trusted_proxies.get().map_or(&[][..], Vec::as_slice);
        Ok(ClientAddress(
            client_address(peer, trusted, &parts.headers).to_string(),
        ))
    }
}

/// The client of a request from `peer`: `peer` itself unless it is one of the `trusted` proxies; then, walking
/// `X-Forwarded-For` from its end (each proxy appends the address it was called from), the first address that
/// is not a trusted proxy. A malformed header is not believed: the proxy's own address counts.
pub(crate) fn client_address(
    peer: std::net::IpAddr,
    trusted: &[std::net::IpAddr],
    headers: &HeaderMap,
) -> std::net::IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let mut hops: Vec<std::net::IpAddr> = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        let Ok(text) = value.to_str() else {
            return peer;
        };
        for hop in text.split(',') {
            match hop.trim().parse() {
                Ok(ip) => hops.push(ip),
                Err(_) => return peer,
            }
        }
    }
    hops.into_iter()
        .rev()
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
}

/// Checks a login and starts a session (`guarantor_app::log_in`), within the limits on failed attempts per
/// name and per client address: the session as stored, its id (for the cookie) and who, or why not.
pub(crate) async fn start_session(
    state: &AppState,
    login: Login,
    address: String,
) -> Result<(StoredSession, String, Viewer), ApiError> {
    // A name no account can have fails like a wrong password, and goes into no log or limiter (which would
    // keep it: a name may be megabytes).
    if !guarantor_app::could_be_account(&login.name) {
        return Err(unauthenticated("wrong user name or password").code("bad_credentials"));
    }
    // The attempt counts as a failure before the (slow) check, so that parallel tries cannot outrun the
    // limit; a success takes it back.
    let blocked = {
        let mut limiter = lock(&state.0.logins)?;
        let now = Instant::now();
        let blocked = limiter.blocked(&login.name, &address, now);
        if blocked.is_none() {
            limiter.failed(&login.name, &address, now);
        }
        blocked
    };
    if let Some(seconds) = blocked {
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            format!("too many failed logins: try again in {seconds} s"),
        );
        e.retry_after = Some(seconds);
        return Err(e);
    }
    let inner = state.0.clone();
    let name = login.name.clone();
    let started = blocking(move || {
        match guarantor_app::log_in(&inner.store, &login.name, &login.password, Timestamp::now()) {
            Ok(started) => Ok(Some(started)),
            Err(guarantor_app::LoginError::Refused) => Ok(None),
            Err(e) => Err(ApiError::internal(e)),
        }
    })
    .await?;
    let Some(started) = started else {
        return Err(unauthenticated("wrong user name or password").code("bad_credentials"));
    };
    lock(&state.0.logins)?.succeeded(&name, &address);
    Ok((started.session, started.id, started.viewer))
}

/// The `Set-Cookie` value that starts (or, with an empty id, ends) a session.
pub(crate) fn session_cookie(id: &str) -> HeaderValue {
    let max_age = if id.is_empty() {
        0
    } else {
        SESSION_HOURS * 3600
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={id}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("guarantor_session=; Max-Age=0"))
}

/// `POST /api/v1/login`.
pub(crate) async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    body: Result<Json<Login>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(login) = body?;
    let (session, id, viewer) = start_session(&state, login, address).await?;
    let body = Json(json!({
        "name": viewer.name,
        "role": viewer.role.name(),
        "nation": viewer.role.nation().map(ToString::to_string),
        "csrf": session.csrf,
        "expires": session.expires.to_string(),
    }));
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&id));
    Ok(response)
}

/// Ends the caller's session (if by cookie), with its audit line (`guarantor_app::log_out`).
pub(crate) async fn end_session(state: &AppState, caller: &Caller) -> Result<(), ApiError> {
    if let Some(hash) = caller.session.clone() {
        let inner = state.0.clone();
        let name = caller.viewer.name.clone();
        blocking(move || {
            guarantor_app::log_out(&mut **lock(&inner.store)?, &hash, &name, Timestamp::now())
                .map_err(ApiError::internal)
        })
        .await?;
    }
    Ok(())
}

/// `POST /api/v1/logout`.
pub(crate) async fn logout(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    end_session(&state, &caller).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(""));
    Ok(response)
}

/// `GET /api/v1/me`.
pub(crate) async fn me(caller: Caller) -> ApiResult {
    let may: Vec<&str> = Permission::ALL
        .iter()
        .filter(|p| caller.viewer.role.may(**p))
        .map(|p| describe(*p))
        .collect();
    Ok(Json(json!({
        "name": caller.viewer.name,
        "role": caller.viewer.role.name(),
        "nation": caller.viewer.role.nation().map(ToString::to_string),
        "may": may,
    })))
}
