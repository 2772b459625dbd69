//! guarantor's HTTP API (issue #7, first part): the application layer's use cases — the scenario's summary, the
//! plan, report intake, incidents, the daily report — as JSON under `/api/v1`, described by an OpenAPI
//! document at `/api/v1/openapi.json`. The same code as the CLI answers, so both always agree.
//!
//! Every error is one JSON shape, `{"error": {"code", "message"}}`, with a stable `code`; a failure inside the
//! server is `internal` and says nothing of its cause to the client. Request bodies are limited
//! ([`BODY_LIMIT`]); lists are paginated (`page`, `per_page`).
//!
//! Not yet: users, roles and releasability, the dashboard, PostgreSQL (see ARCHITECTURE.md).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::extract::rejection::{QueryRejection, StringRejection};
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use guarantor_core::Scenario;
use guarantor_store::SqliteStore;
use serde::Deserialize;
use serde_json::{Value, json};

mod openapi;

/// The largest request body accepted: a day's reports from a busy sector fit many times over.
///
/// # Units
/// bytes
pub const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// The most items a page may hold.
pub const MAX_PER_PAGE: usize = 1000;

/// What every request shares: the scenario (validated once, at start) and the monitoring store.
#[derive(Clone)]
pub struct AppState {
    scenario: Arc<Scenario>,
    store: Arc<Mutex<SqliteStore>>,
    db: PathBuf,
}

impl AppState {
    /// The state over a loaded scenario and an open store (`db` is its path, for messages).
    pub fn new(scenario: Scenario, store: SqliteStore, db: PathBuf) -> AppState {
        AppState {
            scenario: Arc::new(scenario),
            store: Arc::new(Mutex::new(store)),
            db,
        }
    }
}

/// An API error: a status, a stable code and a message for the client.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code,
            message: message.into(),
        }
    }

    /// A failure inside the server: logged on stderr, never shown to the client.
    fn internal(cause: impl std::fmt::Display) -> ApiError {
        eprintln!("guarantor serve: internal error: {cause}");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: "the server failed; the cause is in its log".to_owned(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Json(json!({"error": {"code": self.code, "message": self.message}}));
        (self.status, body).into_response()
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> ApiError {
        ApiError::bad_request("bad_query", r.body_text())
    }
}

impl From<StringRejection> for ApiError {
    fn from(r: StringRejection) -> ApiError {
        let status = r.status();
        ApiError {
            status,
            code: if status == StatusCode::PAYLOAD_TOO_LARGE {
                "too_large"
            } else {
                "bad_body"
            },
            message: if status == StatusCode::PAYLOAD_TOO_LARGE {
                format!("the body is over {BODY_LIMIT} bytes: send the reports in smaller batches")
            } else {
                r.body_text()
            },
        }
    }
}

type ApiResult = Result<Json<Value>, ApiError>;

fn to_value(v: &impl serde::Serialize) -> ApiResult {
    serde_json::to_value(v)
        .map(Json)
        .map_err(ApiError::internal)
}

/// Runs blocking work (a solver, the store) off the async threads.
async fn blocking<T: Send + 'static>(
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
        .route("/api/v1/scenario", get(scenario_summary))
        .route("/api/v1/plan", get(plan))
        .route("/api/v1/reports", post(ingest))
        .route("/api/v1/incidents", get(incidents))
        .route("/api/v1/reports/daily", get(daily))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError {
        status: StatusCode::NOT_FOUND,
        code: "not_found",
        message: "no such endpoint; the API is described at /api/v1/openapi.json".to_owned(),
    }
}

async fn health(State(state): State<AppState>) -> ApiResult {
    Ok(Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "scenario": state.scenario.name,
    })))
}

async fn openapi_document() -> Json<Value> {
    Json(openapi::document())
}

#[derive(Debug, Deserialize)]
struct WorldQuery {
    world: Option<String>,
}

fn world(scenario: &Scenario, q: &WorldQuery) -> Result<guarantor_core::WorldState, ApiError> {
    match &q.world {
        None => Ok(scenario.today()),
        Some(text) => guarantor_scenario::parse_world(scenario, scenario.today(), text)
            .map_err(|e| ApiError::bad_request("bad_world", format!("world: {e}"))),
    }
}

async fn scenario_summary(
    State(state): State<AppState>,
    q: Result<Query<WorldQuery>, QueryRejection>,
) -> ApiResult {
    let Query(q) = q?;
    let w = world(&state.scenario, &q)?;
    to_value(&guarantor_app::summary(&state.scenario, &w))
}

async fn plan(
    State(state): State<AppState>,
    q: Result<Query<WorldQuery>, QueryRejection>,
) -> ApiResult {
    let Query(q) = q?;
    let w = world(&state.scenario, &q)?;
    let scenario = state.scenario.clone();
    let report =
        blocking(move || guarantor_app::plan(&scenario, &w).map_err(ApiError::internal)).await?;
    to_value(&report)
}

#[derive(Debug, Deserialize)]
struct IngestQuery {
    /// csv, jsonl, geojson, ucdp, ucdp-articles, acled.
    format: String,
    /// A name for the batch (kept with rejected rows).
    name: Option<String>,
}

async fn ingest(
    State(state): State<AppState>,
    q: Result<Query<IngestQuery>, QueryRejection>,
    body: Result<String, StringRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = q?;
    let body = body?;
    let format = guarantor_scenario::ReportFormat::from_name(&q.format).ok_or_else(|| {
        ApiError::bad_request(
            "bad_format",
            format!(
                "format {}: expected one of {}",
                q.format,
                guarantor_scenario::ReportFormat::names().join(", ")
            ),
        )
    })?;
    let name = q.name.unwrap_or_else(|| format!("upload.{}", q.format));
    let store = state.store.clone();
    let report = blocking(move || {
        let mut store = store
            .lock()
            .map_err(|_| ApiError::internal("the store's lock is poisoned"))?;
        guarantor_app::ingest(
            &mut *store,
            &[(name, body)],
            Some(format),
            None,
            &guarantor_app::Silent,
        )
        .map(|(report, _)| report)
        .map_err(ApiError::internal)
    })
    .await?;
    // Acknowledged means stored: 201 when every row was read, 422 when some were rejected (the rest is
    // stored, the rejects are listed).
    let rejected: usize = report.files.iter().map(|f| f.rejected).sum();
    let status = if rejected == 0 {
        StatusCode::CREATED
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, to_value(&report)?).into_response())
}

#[derive(Debug, Deserialize)]
struct IncidentsQuery {
    since: Option<String>,
    until: Option<String>,
    page: Option<usize>,
    per_page: Option<usize>,
}

async fn incidents(
    State(state): State<AppState>,
    q: Result<Query<IncidentsQuery>, QueryRejection>,
) -> ApiResult {
    let Query(q) = q?;
    let bound = |name: &str, t: &Option<String>| {
        t.as_deref()
            .map(|t| {
                guarantor_app::time_bound(t)
                    .map_err(|e| ApiError::bad_request("bad_time", format!("{name}: {e}")))
            })
            .transpose()
    };
    let (from, to) = (bound("since", &q.since)?, bound("until", &q.until)?);
    let page = q.page.unwrap_or(1);
    let per_page = q.per_page.unwrap_or(100);
    if page == 0 || per_page == 0 || per_page > MAX_PER_PAGE {
        return Err(ApiError::bad_request(
            "bad_page",
            format!("page must be 1 or more and per_page 1 to {MAX_PER_PAGE}"),
        ));
    }
    let (scenario, store) = (state.scenario.clone(), state.store.clone());
    let mut report = blocking(move || {
        let store = store
            .lock()
            .map_err(|_| ApiError::internal("the store's lock is poisoned"))?;
        guarantor_app::incidents(&scenario, &*store, from, to).map_err(ApiError::internal)
    })
    .await?;
    let total = report.incidents.len();
    let start = (page - 1).saturating_mul(per_page).min(total);
    report.incidents = report.incidents.drain(start..).take(per_page).collect();
    let mut value = serde_json::to_value(&report).map_err(ApiError::internal)?;
    value["page"] = json!({"page": page, "per_page": per_page, "total": total});
    Ok(Json(value))
}

#[derive(Debug, Deserialize)]
struct DailyQuery {
    day: String,
    cut: Option<String>,
}

async fn daily(
    State(state): State<AppState>,
    q: Result<Query<DailyQuery>, QueryRejection>,
) -> ApiResult {
    let Query(q) = q?;
    let day: jiff::civil::Date = q.day.parse().map_err(|_| {
        ApiError::bad_request("bad_day", format!("day {}: expected YYYY-MM-DD", q.day))
    })?;
    let cut = guarantor_app::parse_cut(q.cut.as_deref().unwrap_or("19:30"))
        .map_err(|e| ApiError::bad_request("bad_cut", format!("cut: {e}")))?;
    let (scenario, store, db) = (
        state.scenario.clone(),
        state.store.clone(),
        state.db.clone(),
    );
    let report = blocking(move || {
        let store = store
            .lock()
            .map_err(|_| ApiError::internal("the store's lock is poisoned"))?;
        guarantor_app::daily_report(&scenario, &*store, day, cut)
            .map_err(|e| ApiError::internal(format!("{}: {e}", db.display())))
    })
    .await?;
    to_value(&report)
}

/// Serves `state` on `listener` until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, router(state)).await
}
