//! guarantor's HTTP API (issue #7): the application layer's use cases as JSON under `/api/v1`, described by
//! an OpenAPI document at `/api/v1/openapi.json`, for many users at once — a coalition HQ's planners, the
//! nations' liaison officers, a monitoring cell and observers. The same code as the CLI answers.
//!
//! - **Who**: every route but health and the OpenAPI document needs an account: an API token
//!   (`Authorization: Bearer gua_…`) or a session from `POST /api/v1/login` (an `HttpOnly`, `Secure`,
//!   `SameSite=Strict` cookie, with a CSRF token for changes). See [`auth`].
//! - **What each may do and see**: the roles and releasability of `guarantor_app` (planners everything;
//!   restricted pledges and caveats only to their nation and planners), checked in every handler.
//! - **Storage**: any `guarantor_store::Store` — SQLite or PostgreSQL. Scenarios are stored as versions;
//!   a pledge edit is a new version with its audit line, in one transaction.
//! - **Dashboard**: server-rendered pages (`/`, `/whatif`, `/pledges`, `/incidents`, `/daily`, `/audit`,
//!   `/login`) with the briefings' pictures, over the same logic; nothing fetched from elsewhere.
//! - **Errors**: one JSON shape, `{"error": {"code", "message"}}`, with a stable `code`; a failure inside the
//!   server is `internal` and says nothing of its cause to the client. Bodies are limited ([`BODY_LIMIT`]);
//!   lists are paginated.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use serde_json::{Value, json};

mod accounts;
pub mod auth;
mod calls;
mod dashboard;
mod error;
mod openapi;
mod routes;
mod state;

pub use error::ApiError;
pub use state::{AppState, StartError, public_origin};

/// The largest request body accepted: a day's reports from a busy sector fit many times over.
///
/// # Units
/// bytes
pub const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// The most items a page may hold.
pub const MAX_PER_PAGE: usize = 1000;

/// Runs blocking work (a solver, the store) off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(ApiError::internal)?
}

/// The API's routes over `state`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/v1/health", get(health))
        .route("/api/v1/openapi.json", get(openapi_document))
        .route("/api/v1/login", post(auth::login))
        .route("/api/v1/logout", post(auth::logout))
        .route("/api/v1/me", get(auth::me))
        .route(
            "/api/v1/scenarios",
            get(routes::scenarios).post(routes::load_scenario),
        )
        .route("/api/v1/scenarios/{name}/versions", get(routes::versions))
        .route("/api/v1/scenario", get(routes::summary))
        .route(
            "/api/v1/pledges",
            get(routes::pledges).post(routes::create_pledge),
        )
        .route(
            "/api/v1/pledges/{id}",
            put(routes::update_pledge).delete(routes::delete_pledge),
        )
        .route("/api/v1/plan", get(routes::plan))
        .route("/api/v1/respond", get(routes::respond))
        .route(
            "/api/v1/plan/published",
            get(routes::published).post(routes::publish),
        )
        .route("/api/v1/courses/{id}/plan", get(routes::course_plan))
        .route("/api/v1/jobs", post(routes::start_job))
        .route(
            "/api/v1/jobs/{id}",
            get(routes::job).delete(routes::cancel_job),
        )
        .route("/api/v1/reports", post(routes::ingest))
        .route("/api/v1/incidents", get(routes::incidents))
        .route("/api/v1/reports/daily", get(routes::daily))
        .route("/api/v1/audit", get(routes::audit_log))
        .route("/api/v1/users", get(routes::users))
        .route("/api/v1/users/{name}/disable", post(accounts::disable))
        .route("/api/v1/users/{name}/enable", post(accounts::enable))
        .route("/api/v1/users/{name}/password", put(accounts::password))
        .route(
            "/api/v1/users/{name}/logout-all",
            post(accounts::logout_all),
        )
        .route(
            "/api/v1/users/{name}/tokens/{label}",
            axum::routing::delete(accounts::revoke_token),
        )
        .route(
            "/login",
            get(dashboard::login_page).post(dashboard::login_submit),
        )
        .route("/logout", post(dashboard::logout_submit))
        .route("/", get(dashboard::plan_page))
        .route("/plan/{file}", get(dashboard::plan_download))
        .route(
            "/whatif",
            get(dashboard::whatif_page).post(dashboard::whatif_start),
        )
        .route(
            "/respond/whatif",
            get(dashboard::response_whatif_page).post(dashboard::response_whatif_start),
        )
        .route(
            "/compare",
            get(dashboard::compare_page).post(dashboard::compare_start),
        )
        .route("/courses/{id}", get(dashboard::course_page))
        .route(
            "/pledges",
            get(dashboard::pledges_page).post(dashboard::pledges_submit),
        )
        .route("/respond", get(dashboard::respond_page))
        .route("/incidents", get(dashboard::incidents_page))
        .route("/incidents/upload", post(dashboard::upload_submit))
        .route("/daily", get(dashboard::daily_page))
        .route("/audit", get(dashboard::audit_page))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

/// Headers every answer carries: pages run no script but the dashboard's own (by its hash), load nothing from
/// elsewhere, are never framed; nothing is sniffed, no referrer leaves the site, and no answer (they may hold restricted
/// pledges) is kept by a browser or a shared cache.
async fn security_headers(mut response: axum::response::Response) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    static CSP: std::sync::OnceLock<Option<HeaderValue>> = std::sync::OnceLock::new();
    let csp = CSP.get_or_init(|| {
        HeaderValue::from_str(&format!(
            "default-src 'none'; script-src {}; style-src 'unsafe-inline'; img-src 'self' data:; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            dashboard::script_hash()
        ))
        .ok()
    });
    let headers = response.headers_mut();
    if let Some(csp) = csp {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp.clone());
    }
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        // Not `no-referrer`: with it browsers post forms with `Origin: null`, and the login form's origin check
        // could not tell the server's own page from another site's.
        (header::REFERRER_POLICY, "same-origin"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint; the API is described at /api/v1/openapi.json")
}

async fn health(axum::extract::State(state): axum::extract::State<AppState>) -> axum::Json<Value> {
    axum::Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "scenario": state.0.default_scenario,
    }))
}

async fn openapi_document() -> axum::Json<Value> {
    axum::Json(openapi::document())
}

/// Serves `state` on `listener` until the process ends (the client's address is known, for login limits).
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
}
