//! What the API's handlers (`routes`) and the dashboard's pages (`dashboard`) both ask, each a call into the
//! application layer with the server's state: a version resolved (released by the latest restrictions), a
//! pledge edited, a job started, reports stored; and the API's answer to each refusal. Neither interface calls
//! the other's handlers.

use axum::http::StatusCode;
use guarantor_core::WorldState;
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::Caller;
use crate::blocking;
use crate::error::ApiError;
use crate::state::{AppState, JobResult, Resolved, lock};
use guarantor_app::Permission;

/// Which scenario version and world state a request is about.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Which {
    pub scenario: Option<String>,
    pub version: Option<u32>,
    pub world: Option<String>,
}

pub(crate) fn world_of(r: &Resolved, text: Option<&str>) -> Result<WorldState, ApiError> {
    match text {
        None => Ok(r.scenario.today()),
        Some(text) => guarantor_scenario::parse_world(&r.scenario, r.scenario.today(), text)
            .map_err(|e| ApiError::bad_request("bad_world", format!("world: {e}"))),
    }
}

pub(crate) async fn resolve(state: &AppState, which: &Which) -> Result<Resolved, ApiError> {
    let inner = state.0.clone();
    let (name, version) = (which.scenario.clone(), which.version);
    blocking(move || inner.resolve(name.as_deref(), version)).await
}

/// The diagnostics of a scenario that does not load, as the API's error details.
pub(crate) fn diagnostics_error(
    origin: &str,
    diagnostics: &[guarantor_core::Diagnostic],
) -> ApiError {
    let report = guarantor_app::check_report(origin, diagnostics);
    let first = diagnostics
        .iter()
        .find(|d| d.level == guarantor_core::Level::Error)
        .map(ToString::to_string)
        .unwrap_or_default();
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_scenario",
        format!("the scenario does not load: {first}"),
    )
    .with_details(serde_json::to_value(&report).unwrap_or(Value::Null))
}

/// Creates (`path_id` `None`) or updates a pledge as `caller`: the new version and the pledge as stored, as
/// the caller may see it. The API's `POST /api/v1/pledges` and `PUT /api/v1/pledges/{id}`, and the
/// dashboard's form.
pub(crate) async fn put_pledge(
    state: AppState,
    caller: Caller,
    q: Which,
    path_id: Option<String>,
    pledge: Value,
) -> Result<(StatusCode, u32, Value), ApiError> {
    let edited = edit_pledge(
        &state,
        &caller,
        &q,
        guarantor_app::PledgeEdit::Put {
            pledge,
            id: path_id,
        },
    )
    .await?;
    let status = if edited.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, edited.version, edited.pledge.unwrap_or(Value::Null)))
}

/// An edit of the latest version by the caller (`guarantor_app::prepare_pledge_edit`): checked, written and
/// loaded without the store, then stored with its audit line under it.
pub(crate) async fn edit_pledge(
    state: &AppState,
    caller: &Caller,
    q: &Which,
    edit: guarantor_app::PledgeEdit,
) -> Result<guarantor_app::Edited, ApiError> {
    caller.may(Permission::EditPledges)?;
    let latest = resolve(
        state,
        &Which {
            scenario: q.scenario.clone(),
            ..Which::default()
        },
    )
    .await?;
    let inner = state.0.clone();
    let viewer = caller.viewer.clone();
    let from = q.version;
    blocking(move || {
        let prepared = guarantor_app::prepare_pledge_edit(
            guarantor_app::Latest {
                name: &latest.name,
                version: latest.version,
                scenario: &latest.scenario,
                sources: inner.sources(&latest)?,
            },
            from,
            &viewer,
            edit,
        )
        .map_err(edit_refused)?;
        prepared
            .store(&mut **lock(&inner.store)?)
            .map_err(edit_refused)
    })
    .await
}

/// A refused pledge edit as the API answers it; a 422 carries the problems told in the pledge's own table
/// (`details.diagnostics`, file `pledge`) and that table as written (`details.text`).
fn edit_refused(e: guarantor_app::PledgeEditError) -> ApiError {
    use guarantor_app::PledgeEditError as E;
    match e {
        E::BadBody(m) => ApiError::bad_request("bad_body", m),
        E::Forbidden(m) => ApiError::forbidden(m),
        E::NotFound(m) => ApiError::not_found(m),
        E::Exists(m) => ApiError::new(StatusCode::CONFLICT, "exists", m),
        E::Stale(m) => ApiError::new(StatusCode::CONFLICT, "stale", m),
        E::Invalid { diagnostics, text } => {
            let mut e = diagnostics_error("pledge", &diagnostics);
            if let Some(details) = e.details.as_deref_mut() {
                details["text"] = json!(text);
            }
            e
        }
        E::Internal(m) => ApiError::internal(m),
    }
}

/// Starts a `plan`, `whatif` or `respond-whatif` job for `owner` in the background; returns its id.
pub(crate) fn spawn_job(
    state: &AppState,
    owner: &str,
    kind: &'static str,
    r: Resolved,
    w: WorldState,
) -> Result<u64, ApiError> {
    let (id, progress) = state.0.new_job(owner, kind, &r, &w)?;
    let inner = state.0.clone();
    tokio::task::spawn_blocking(move || {
        // Why it ended without a result: cancelled, or failed (the cause logged).
        let ended = |e: &dyn std::fmt::Display| {
            if guarantor_app::Progress::cancelled(&progress) {
                CANCELLED.to_owned()
            } else {
                failed(id, e)
            }
        };
        let outcome = match kind {
            "plan" => {
                guarantor_app::Progress::begin(&progress, "plan", 1);
                let out = inner
                    .plan(&r, &w)
                    .map(|_| JobResult::Plan)
                    .map_err(|e| e.message);
                guarantor_app::Progress::advance_to(&progress, 1);
                out
            }
            "respond-whatif" => guarantor_app::response_whatif(
                &r.scenario,
                &w,
                None,
                &guarantor_app::INTERACTIVE_LIMITS,
                &progress,
            )
            .map(|report| JobResult::ResponseWhatIf(std::sync::Arc::new(report)))
            .map_err(|e| ended(&e)),
            "compare" => {
                guarantor_app::compare(&r.scenario, &guarantor_app::INTERACTIVE_LIMITS, &progress)
                    .map(|report| {
                        JobResult::Compare(r.scenario.clone(), std::sync::Arc::new(report))
                    })
                    .map_err(|e| ended(&e))
            }
            _ => guarantor_app::whatif_with_progress(&r.scenario, &w, &progress)
                .map(|report| JobResult::WhatIf(r.scenario.clone(), std::sync::Arc::new(report)))
                .map_err(|e| ended(&e)),
        };
        inner.finish_job(id, outcome);
    });
    Ok(id)
}

/// What a cancelled job says.
const CANCELLED: &str = "cancelled at its owner's or a planner's request";

/// What a failed job says (the cause goes to the server's log).
fn failed(id: u64, e: &dyn std::fmt::Display) -> String {
    eprintln!("guarantor serve: job {id} failed: {e}");
    "the computation failed; the cause is in the server's log".to_owned()
}

/// Whether `viewer` may start a job of `kind`: the response what-if is for planners (it ranks the nations
/// against each other and times restricted options in every world state), and so is the comparison of courses
/// of action (its options name coalitions and what each nation pays, restricted pledges included).
pub(crate) fn may_start(kind: &str, viewer: &guarantor_app::Viewer) -> Result<(), ApiError> {
    if viewer.role == guarantor_app::Role::Planner {
        return Ok(());
    }
    match kind {
        "respond-whatif" => Err(ApiError::forbidden(
            "the response what-if is for planners: it ranks the nations and times restricted options",
        )),
        "compare" => Err(ApiError::forbidden(
            "courses of action are for planners: they name coalitions and what each nation pays, restricted \
             pledges included",
        )),
        _ => Ok(()),
    }
}

/// A course's plan that could not be made: no such course (404), or the solver failed (500, logged).
pub(crate) fn course_error(e: guarantor_app::CourseError) -> ApiError {
    match e {
        guarantor_app::CourseError::Unknown(..) => ApiError::not_found(e.to_string()),
        guarantor_app::CourseError::Plan(e) => ApiError::internal(e),
    }
}

/// The layout an upload names ([`guarantor_app::sent_layout`]), a problem as the API answers it.
pub(crate) fn upload_layout(
    name: Option<&str>,
    toml: Option<&str>,
) -> Result<Option<std::sync::Arc<guarantor_scenario::Layout>>, ApiError> {
    guarantor_app::sent_layout(name, toml).map_err(|e| match e {
        // (`bad_format`: the code from when layouts were called formats, kept for clients.)
        guarantor_app::LayoutError::Unknown { .. } => {
            ApiError::bad_request("bad_format", e.to_string())
        }
        guarantor_app::LayoutError::Broken {
            path, diagnostics, ..
        } => {
            let lines: Vec<String> = diagnostics
                .iter()
                .map(|d| {
                    format!(
                        "{path}:{}:{}: {}{}",
                        d.location.line,
                        d.location.column,
                        d.message,
                        d.expected
                            .as_ref()
                            .map(|e| format!(" (expected {e})"))
                            .unwrap_or_default()
                    )
                })
                .collect();
            ApiError::bad_request(
                "bad_layout",
                format!("the layout file has problems: {}", lines.join("; ")),
            )
            .with_details(json!(lines))
        }
    })
}

/// The name an upload is kept under when it has none: by its layout's format.
pub(crate) fn upload_name(layout: Option<&guarantor_scenario::Layout>) -> String {
    format!("upload.{}", layout.map_or("csv", |l| l.format.name()))
}

/// Stores a batch of reports sent by `actor` (one transaction, with its audit line).
pub(crate) async fn store_reports(
    state: &AppState,
    actor: &str,
    name: String,
    body: Vec<u8>,
    options: guarantor_app::IngestOptions,
) -> Result<guarantor_app::IngestReport, ApiError> {
    let inner = state.0.clone();
    let actor = actor.to_owned();
    blocking(move || {
        let mut store = lock(&inner.store)?;
        let by = guarantor_store::Actor {
            name: &actor,
            at: Timestamp::now(),
        };
        guarantor_app::ingest(
            &mut **store,
            &[(name, Ok(body))],
            &options,
            Some(by),
            &guarantor_app::Silent,
        )
        .map(|done| done.report)
        .map_err(ApiError::internal)
    })
    .await
}

/// A window of incidents asked for: a bound that is neither a time nor a day, or a start after the end, is
/// `bad_time`.
pub(crate) fn window(
    since: Option<&str>,
    until: Option<&str>,
) -> Result<(Option<jiff::Timestamp>, Option<jiff::Timestamp>), ApiError> {
    guarantor_app::time_window(since, until)
        .map_err(|e| ApiError::bad_request("bad_time", e.to_string()))
}
