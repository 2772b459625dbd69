//! The API's handlers: scenarios and their versions, pledges, plans (computed on demand or published) and
//! background jobs, monitoring, the audit log and accounts. Each checks the caller's permission first and
//! answers through the application layer's `release_*` functions, so each caller sees only what is
//! releasable to them.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::{BytesRejection, JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use guarantor_app::{Permission, Viewer};
use guarantor_core::WorldState;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::Caller;
use crate::calls::{
    Which, course_error, diagnostics_error, edit_pledge, may_start, put_pledge, resolve, spawn_job,
    store_reports, upload_layout, upload_name, window, world_of,
};
use crate::error::{ApiError, ApiResult, to_value};
use crate::state::{AppState, JobResult, Resolved, lock};
use crate::{MAX_PER_PAGE, blocking};

/// A version as listed: who stored it is told to planners, to its author, and for the server's own loads.
fn version_json(v: &guarantor_store::ScenarioVersion, viewer: &Viewer) -> Value {
    let author = if viewer.role == guarantor_app::Role::Planner
        || v.author == viewer.name
        || v.author == "server"
    {
        v.author.as_str()
    } else {
        "another user"
    };
    json!({"version": v.version, "author": author, "at": v.at.to_string(), "note": v.note})
}

/// `GET /api/v1/scenarios`: every stored scenario with its versions.
pub(crate) async fn scenarios(State(state): State<AppState>, caller: Caller) -> ApiResult {
    caller.may(Permission::ReadScenario)?;
    let inner = state.0.clone();
    let viewer = caller.viewer.clone();
    blocking(move || {
        let store = lock(&inner.store)?;
        let mut out = Vec::new();
        for name in store.scenario_names().map_err(ApiError::internal)? {
            let versions = store.scenario_versions(&name).map_err(ApiError::internal)?;
            out.push(json!({
                "name": name,
                "default": name == inner.default_scenario,
                "latest": versions.last().map(|v| v.version),
                "versions": versions.iter().map(|v| version_json(v, &viewer)).collect::<Vec<_>>(),
            }));
        }
        Ok(Json(json!({ "scenarios": out })))
    })
    .await
}

/// `GET /api/v1/scenarios/{name}/versions`.
pub(crate) async fn versions(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> ApiResult {
    caller.may(Permission::ReadScenario)?;
    let inner = state.0.clone();
    let viewer = caller.viewer.clone();
    blocking(move || {
        let versions = lock(&inner.store)?
            .scenario_versions(&name)
            .map_err(ApiError::internal)?;
        if versions.is_empty() {
            return Err(ApiError::not_found(format!("no scenario {name}")));
        }
        Ok(Json(json!({
            "name": name,
            "versions": versions.iter().map(|v| version_json(v, &viewer)).collect::<Vec<_>>(),
        })))
    })
    .await
}

/// A scenario sent to be stored: its files by path (as `guarantor init` writes them).
#[derive(Debug, Deserialize)]
pub(crate) struct NewScenario {
    files: BTreeMap<String, String>,
    note: Option<String>,
}

/// `POST /api/v1/scenarios`: stores a scenario (a new one, or a new version of one of the same name).
pub(crate) async fn load_scenario(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<NewScenario>, JsonRejection>,
) -> Result<Response, ApiError> {
    caller.may(Permission::LoadScenario)?;
    let Json(new) = body?;
    let inner = state.0.clone();
    let actor = caller.viewer.name.clone();
    let (name, version) = blocking(move || {
        let sources = guarantor_scenario::SourceSet::from_files("upload", new.files);
        let checked =
            guarantor_app::check_scenario(&sources).map_err(|d| diagnostics_error("upload", &d))?;
        let name = checked.name().to_owned();
        let note = new
            .note
            .unwrap_or_else(|| "loaded through the API".to_owned());
        let version = checked
            .store(&mut **lock(&inner.store)?, &actor, &note)
            .map_err(ApiError::internal)?;
        Ok((name, version))
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"name": name, "version": version})),
    )
        .into_response())
}

/// `GET /api/v1/scenario`: the summary of a version, as releasable to the caller.
pub(crate) async fn summary(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<Which>, QueryRejection>,
) -> ApiResult {
    caller.may(Permission::ReadScenario)?;
    let Query(q) = q?;
    let r = resolve(&state, &q).await?;
    let w = world_of(&r, q.world.as_deref())?;
    let mut v = serde_json::to_value(guarantor_app::release_summary(
        &r.scenario,
        &w,
        &caller.viewer,
    ))
    .map_err(ApiError::internal)?;
    v["version"] = json!(r.version);
    Ok(Json(v))
}

/// `GET /api/v1/pledges`: the pledges the caller may see.
pub(crate) async fn pledges(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<Which>, QueryRejection>,
) -> ApiResult {
    caller.may(Permission::ReadPledges)?;
    let Query(q) = q?;
    let r = resolve(&state, &q).await?;
    Ok(Json(json!({
        "scenario": r.name,
        "version": r.version,
        "pledges": guarantor_app::release_pledges(&r.scenario, &caller.viewer),
    })))
}

/// `DELETE /api/v1/pledges/{id}`: removes a pledge from the latest version — a new version, with its audit
/// line. A liaison officer deletes only its own nation's; a pledge the caller may not see is not found. What a
/// pledge was restricted in its last version stays withheld in every version before (see `Restrictions`).
pub(crate) async fn delete_pledge(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    q: Result<Query<Which>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = q?;
    let edited = edit_pledge(
        &state,
        &caller,
        &q,
        guarantor_app::PledgeEdit::Delete { id },
    )
    .await?;
    Ok(Json(json!({"version": edited.version, "deleted": true})).into_response())
}

fn pledge_answer((status, version, pledge): (StatusCode, u32, Value)) -> Response {
    (status, Json(json!({"version": version, "pledge": pledge}))).into_response()
}

pub(crate) async fn create_pledge(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<Which>, QueryRejection>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Response, ApiError> {
    let (Query(q), Json(pledge)) = (q?, body?);
    put_pledge(state, caller, q, None, pledge)
        .await
        .map(pledge_answer)
}

pub(crate) async fn update_pledge(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    q: Result<Query<Which>, QueryRejection>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Response, ApiError> {
    let (Query(q), Json(pledge)) = (q?, body?);
    put_pledge(state, caller, q, Some(id), pledge)
        .await
        .map(pledge_answer)
}

/// The released plan of a version in a world state, with where it came from.
async fn released_plan(state: &AppState, viewer: &Viewer, r: Resolved, w: WorldState) -> ApiResult {
    let inner = state.0.clone();
    let version = r.version;
    let entry = blocking(move || inner.plan(&r, &w)).await?;
    let released = guarantor_app::release_plan(&entry.scenario, &entry.plan, &entry.report, viewer);
    let mut v = serde_json::to_value(&released).map_err(ApiError::internal)?;
    v["version"] = json!(version);
    Ok(Json(v))
}

/// `GET /api/v1/plan`: the plan of any version in any world state (computed once, then kept).
pub(crate) async fn plan(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<Which>, QueryRejection>,
) -> ApiResult {
    caller.may(Permission::ReadPlan)?;
    let Query(q) = q?;
    let r = resolve(&state, &q).await?;
    let w = world_of(&r, q.world.as_deref())?;
    released_plan(&state, &caller.viewer, r, w).await
}

/// What `GET /api/v1/respond` is asked.
#[derive(Debug, Deserialize)]
pub(crate) struct RespondQuery {
    pub scenario: Option<String>,
    pub version: Option<u32>,
    pub world: Option<String>,
    pub contingency: Option<String>,
    pub site: Option<String>,
    pub point: Option<String>,
    pub day: Option<u32>,
    pub without: Option<String>,
}

/// `GET /api/v1/respond`: what follows a violation and how swiftly, for a planned contingency, a site or a point
/// (exactly one), in a world state, as releasable to the caller.
pub(crate) async fn respond(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<RespondQuery>, QueryRejection>,
) -> ApiResult {
    caller.may(Permission::ReadPlan)?;
    let Query(q) = q?;
    let bad = |m: String| ApiError::bad_request("bad_query", m);
    let ask = match (&q.contingency, &q.site, &q.point) {
        (Some(id), None, None) => guarantor_app::Ask::Contingency(
            guarantor_core::TermId::new(id).map_err(|e| bad(format!("contingency: {e}")))?,
        ),
        (None, Some(site), None) => guarantor_app::Ask::Site(
            guarantor_core::SiteId::new(site).map_err(|e| bad(format!("site: {e}")))?,
        ),
        (None, None, Some(point)) => {
            let parsed = point
                .split_once(',')
                .and_then(|(a, b)| {
                    Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?))
                })
                .filter(|(lat, lon)| {
                    (-90.0..=90.0).contains(lat) && (-180.0..=180.0).contains(lon)
                });
            let (lat, lon) =
                parsed.ok_or_else(|| bad(format!("point: `{point}` is not LAT,LON in degrees")))?;
            guarantor_app::Ask::Point { lat, lon }
        }
        _ => return Err(bad("give exactly one of contingency, site or point".into())),
    };
    let mut without = std::collections::BTreeSet::new();
    for code in q
        .without
        .iter()
        .flat_map(|w| w.split(','))
        .filter(|c| !c.is_empty())
    {
        without.insert(
            guarantor_core::NationCode::new(code.trim())
                .map_err(|e| bad(format!("without: {e}")))?,
        );
    }
    let which = Which {
        scenario: q.scenario.clone(),
        version: q.version,
        world: q.world.clone(),
    };
    let r = resolve(&state, &which).await?;
    let w = world_of(&r, q.world.as_deref())?;
    let version = r.version;
    let inner = state.0.clone();
    let day = q.day;
    let report = blocking(move || {
        let entry = inner.plan(&r, &w)?;
        entry
            .posture()
            .respond(&ask, day, &without)
            .map_err(|e| match e {
                guarantor_app::RespondError::UnknownContingency(_) => {
                    ApiError::not_found(e.to_string())
                }
                other => ApiError::bad_request("bad_query", other.to_string()),
            })
    })
    .await?;
    let released = guarantor_app::release_response(&report, &caller.viewer);
    let mut v = serde_json::to_value(&released).map_err(ApiError::internal)?;
    v["version"] = json!(version);
    Ok(Json(v))
}

/// `GET /api/v1/plan/published`: the plan the planners published for a scenario.
pub(crate) async fn published(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<Which>, QueryRejection>,
) -> ApiResult {
    caller.may(Permission::ReadPublished)?;
    let Query(q) = q?;
    let inner = state.0.clone();
    let name = q
        .scenario
        .clone()
        .unwrap_or_else(|| state.0.default_scenario.clone());
    let p = blocking(move || {
        lock(&inner.store)?
            .published(&name)
            .map_err(ApiError::internal)?
            .ok_or_else(|| {
                ApiError::not_found(format!("scenario {name} has published no plan yet"))
            })
    })
    .await?;
    let r = resolve(
        &state,
        &Which {
            scenario: Some(p.name.clone()),
            version: Some(p.version),
            world: None,
        },
    )
    .await?;
    let w = world_of(&r, Some(&p.world))?;
    let mut v = released_plan(&state, &caller.viewer, r, w).await?.0;
    v["published"] = json!({"by": p.by, "at": p.at.to_string()});
    Ok(Json(v))
}

/// `POST /api/v1/plan/published`: publishes the plan of a version in a world state.
pub(crate) async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<Which>, QueryRejection>,
) -> Result<Response, ApiError> {
    caller.may(Permission::Publish)?;
    let Query(q) = q?;
    let r = resolve(&state, &q).await?;
    let w = world_of(&r, q.world.as_deref())?;
    let inner = state.0.clone();
    let actor = caller.viewer.name.clone();
    let world = w.to_string();
    let (name, version) = (r.name.clone(), r.version);
    blocking(move || {
        guarantor_app::publish(&mut **lock(&inner.store)?, &name, version, &world, &actor)
            .map_err(ApiError::internal)
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"scenario": r.name, "version": r.version, "world": w.to_string()})),
    )
        .into_response())
}

/// A job to start.
#[derive(Debug, Deserialize)]
pub(crate) struct NewJob {
    kind: String,
    #[serde(flatten)]
    which: Which,
}

/// `GET /api/v1/courses/{id}/plan` (planners): a course of action's full plan — its requirements and coalition,
/// in its first world state or in `world` (facts on top of today's) — as `guarantor plan --course` prints it.
pub(crate) async fn course_plan(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    q: Result<Query<Which>, QueryRejection>,
) -> ApiResult {
    caller.may(Permission::ReadPlan)?;
    may_start("compare", &caller.viewer)?;
    let Query(q) = q?;
    let r = resolve(&state, &q).await?;
    let world = q
        .world
        .as_deref()
        .map(|w| world_of(&r, Some(w)))
        .transpose()?;
    let report = tokio::task::spawn_blocking(move || {
        guarantor_app::course_plan(&r.scenario, &id, world)
            .map(|p| p.report)
            .map_err(course_error)
    })
    .await
    .map_err(ApiError::internal)??;
    Ok(Json(
        serde_json::to_value(&report).map_err(ApiError::internal)?,
    ))
}

/// `POST /api/v1/jobs`: starts a plan, what-if, response what-if or comparison in the background.
pub(crate) async fn start_job(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<NewJob>, JsonRejection>,
) -> Result<Response, ApiError> {
    caller.may(Permission::ReadPlan)?;
    let Json(job) = body?;
    let kind: &'static str = match job.kind.as_str() {
        "plan" => "plan",
        "whatif" => "whatif",
        "respond-whatif" => "respond-whatif",
        "compare" => "compare",
        other => {
            return Err(ApiError::bad_request(
                "bad_kind",
                format!("kind {other}: expected plan, whatif, respond-whatif or compare"),
            ));
        }
    };
    may_start(kind, &caller.viewer)?;
    let r = resolve(&state, &job.which).await?;
    let w = world_of(&r, job.which.world.as_deref())?;
    let id = spawn_job(&state, &caller.viewer.name, kind, r, w)?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({"id": id, "href": format!("/api/v1/jobs/{id}"), "status": "running"})),
    )
        .into_response())
}

/// Job `id` among `jobs`, if the caller may see it (its owner, or a planner). Job ids are numbers: anything
/// else names no job (never the extractor's plain-text rejection).
fn job_of<'a>(
    jobs: &'a [crate::state::Job],
    id: &str,
    caller: &Caller,
) -> Result<&'a crate::state::Job, ApiError> {
    let id: u64 = id
        .parse()
        .map_err(|_| ApiError::not_found(format!("no job {id:?}: job ids are numbers")))?;
    jobs.iter()
        .find(|j| {
            j.id == id
                && (j.owner == caller.viewer.name
                    || caller.viewer.role == guarantor_app::Role::Planner)
        })
        .ok_or_else(|| ApiError::not_found(format!("no job {id} of yours")))
}

/// A job's status: `running`, `done`, `failed`, or `cancelled` (cancelled and ended without a result).
fn job_status(job: &crate::state::Job) -> &'static str {
    match &job.outcome {
        None => "running",
        Some(Ok(_)) => "done",
        Some(Err(_)) if job.cancel.load(std::sync::atomic::Ordering::SeqCst) => "cancelled",
        Some(Err(_)) => "failed",
    }
}

/// `DELETE /api/v1/jobs/{id}`: cancels a running what-if or response what-if job (its owner's or a planner's):
/// its solves stop after the ones running, and it ends `cancelled` without a result (202). One that has ended
/// is `finished`, a plan or a comparison `not_cancellable` (409).
pub(crate) async fn cancel_job(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let jobs = lock(&state.0.jobs)?;
    let job = job_of(&jobs, &id, &caller)?;
    // A plan is one solve and a comparison plans each option once: they cannot stop early yet.
    if !matches!(job.kind, "whatif" | "respond-whatif") {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "not_cancellable",
            format!("a {} job cannot be cancelled: it ends on its own", job.kind),
        ));
    }
    if job.outcome.is_some() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "finished",
            format!("job {id} has ended ({})", job_status(job)),
        ));
    }
    job.cancel.store(true, std::sync::atomic::Ordering::SeqCst);
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({"id": id, "status": "cancelling"})),
    )
        .into_response())
}

/// `GET /api/v1/jobs/{id}`: a job's progress, and its result (as releasable to the caller) once done.
pub(crate) async fn job(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult {
    caller.may(Permission::ReadPlan)?;
    let (head, result) = {
        let jobs = lock(&state.0.jobs)?;
        let job = job_of(&jobs, &id, &caller)?;
        let status = job_status(job);
        let head = json!({
            "id": job.id,
            "kind": job.kind,
            "scenario": job.scenario,
            "version": job.version,
            "world": job.world,
            "created": job.created.to_string(),
            "status": status,
            "progress": {
                "done": job.done.load(std::sync::atomic::Ordering::SeqCst),
                "total": job.total.load(std::sync::atomic::Ordering::SeqCst),
            },
        });
        (
            head,
            (
                job.outcome.clone(),
                job.scenario.clone(),
                job.version,
                job.world.clone(),
            ),
        )
    };
    let (outcome, name, version, world) = result;
    let result = match outcome {
        None => Ok(None),
        Some(Err(message)) => Err(message),
        Some(Ok(done)) => {
            let r = resolve(
                &state,
                &Which {
                    scenario: Some(name),
                    version: Some(version),
                    world: None,
                },
            )
            .await?;
            let value = match done {
                // A plan is released as `GET /api/v1/plan` releases it: by the latest restrictions. The plan
                // is asked again (the server's cache has the job's own while they have not changed since).
                JobResult::Plan => {
                    let w = world_of(&r, Some(&world))?;
                    let inner = state.0.clone();
                    let entry = blocking(move || inner.plan(&r, &w)).await?;
                    serde_json::to_value(guarantor_app::release_plan(
                        &entry.scenario,
                        &entry.plan,
                        &entry.report,
                        &caller.viewer,
                    ))
                }
                JobResult::WhatIf(_, report) => serde_json::to_value(
                    guarantor_app::release_whatif(&r.scenario, &report, &caller.viewer),
                ),
                // Only planners start it, and only its owner or a planner reads a job.
                JobResult::ResponseWhatIf(report) => serde_json::to_value(&*report),
                JobResult::Compare(_, report) => serde_json::to_value(&*report),
            };
            Ok(Some(value.map_err(ApiError::internal)?))
        }
    };
    let mut v = head;
    match result {
        Ok(Some(r)) => v["result"] = r,
        Ok(None) => {}
        Err(message) => v["error"] = json!(message),
    }
    Ok(Json(v))
}

#[derive(Debug, Deserialize)]
pub(crate) struct IngestQuery {
    /// A shipped layout's name (csv, jsonl, geojson, ucdp, ucdp-articles, acled, cir, bellingcat); by default
    /// found from the name and the body's header.
    #[serde(alias = "format")]
    layout: Option<String>,
    /// A layout file's TOML (docs/layouts.md), for an export no shipped layout reads.
    layout_toml: Option<String>,
    /// A name for the batch (kept with rejected rows).
    name: Option<String>,
    /// The body's encoding, when it should not be detected (utf-8, windows-1252, windows-1251…).
    encoding: Option<String>,
    /// Day first (`dmy`) or month first (`mdy`), for a body whose every slashed date reads both ways.
    date_order: Option<String>,
    /// The body is its sources' whole export: the stored reports of those sources it no longer has are named.
    #[serde(default)]
    full_export: bool,
}

/// `POST /api/v1/reports`.
pub(crate) async fn ingest(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<IngestQuery>, QueryRejection>,
    body: Result<axum::body::Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.may(Permission::IngestReports)?;
    let Query(q) = q?;
    let body = body?;
    let layout = upload_layout(q.layout.as_deref(), q.layout_toml.as_deref())?;
    let encoding = q
        .encoding
        .as_deref()
        .map(|label| {
            guarantor_scenario::encoding_named(label).ok_or_else(|| {
                ApiError::bad_request(
                    "bad_encoding",
                    format!(
                        "encoding {label}: not an encoding (e.g. utf-8, windows-1252, windows-1251)"
                    ),
                )
            })
        })
        .transpose()?;
    let date_order = q
        .date_order
        .as_deref()
        .map(|o| {
            guarantor_scenario::DateOrder::from_name(o).ok_or_else(|| {
                ApiError::bad_request(
                    "bad_date_order",
                    format!("date_order {o}: expected dmy or mdy"),
                )
            })
        })
        .transpose()?;
    let name = q.name.unwrap_or_else(|| upload_name(layout.as_deref()));
    let options = guarantor_app::IngestOptions {
        read: guarantor_scenario::ReadOptions {
            layout,
            encoding,
            date_order,
        },
        full_export: q.full_export,
        dry_run: false,
    };
    let report = store_reports(&state, &caller.viewer.name, name, body.to_vec(), options).await?;
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
pub(crate) struct IncidentsQuery {
    since: Option<String>,
    until: Option<String>,
    page: Option<usize>,
    per_page: Option<usize>,
    violation: Option<bool>,
    confidence: Option<String>,
}

fn page_bounds(page: Option<usize>, per_page: Option<usize>) -> Result<(usize, usize), ApiError> {
    let page = page.unwrap_or(1);
    let per_page = per_page.unwrap_or(100);
    if page == 0 || per_page == 0 || per_page > MAX_PER_PAGE {
        return Err(ApiError::bad_request(
            "bad_page",
            format!("page must be 1 or more and per_page 1 to {MAX_PER_PAGE}"),
        ));
    }
    Ok((page, per_page))
}

/// `GET /api/v1/incidents`: incidents of the default scenario's terms, filtered and paginated.
pub(crate) async fn incidents(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<IncidentsQuery>, QueryRejection>,
) -> ApiResult {
    caller.may(Permission::ReadIncidents)?;
    let Query(q) = q?;
    let (from, to) = window(q.since.as_deref(), q.until.as_deref())?;
    let (page, per_page) = page_bounds(q.page, q.per_page)?;
    let r = resolve(&state, &Which::default()).await?;
    let inner = state.0.clone();
    let mut report = (*blocking(move || inner.incidents(&r, from, to)).await?).clone();
    if let Some(v) = q.violation {
        report.incidents.retain(|i| i.violation == v);
    }
    if let Some(c) = &q.confidence {
        report.incidents.retain(|i| i.confidence == c.as_str());
    }
    let total = report.incidents.len();
    let start = (page - 1).saturating_mul(per_page).min(total);
    report.incidents = report.incidents.drain(start..).take(per_page).collect();
    guarantor_app::reindex_responses(&mut report);
    let mut value = serde_json::to_value(&report).map_err(ApiError::internal)?;
    value["page"] = json!({"page": page, "per_page": per_page, "total": total});
    Ok(Json(value))
}

#[derive(Debug, Deserialize)]
pub(crate) struct DailyQuery {
    day: String,
    cut: Option<String>,
}

/// `GET /api/v1/reports/daily`.
pub(crate) async fn daily(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<DailyQuery>, QueryRejection>,
) -> ApiResult {
    caller.may(Permission::ReadIncidents)?;
    let Query(q) = q?;
    // The report reads two weeks before the day and the day after, in Kyiv time: days near the ends of the
    // calendar would overflow a timestamp (a 500 before); none of them can hold reports anyway.
    let day: jiff::civil::Date = q
        .day
        .parse()
        .ok()
        .filter(|d: &jiff::civil::Date| (1900..=9998).contains(&d.year()))
        .ok_or_else(|| {
            ApiError::bad_request(
                "bad_day",
                format!("day {}: expected YYYY-MM-DD, from 1900 to 9998", q.day),
            )
        })?;
    let cut = guarantor_app::parse_cut(q.cut.as_deref().unwrap_or("19:30"))
        .map_err(|e| ApiError::bad_request("bad_cut", format!("cut: {e}")))?;
    let r = resolve(&state, &Which::default()).await?;
    let inner = state.0.clone();
    let report = blocking(move || {
        let store = inner.fresh_store()?;
        let placer = inner.placer(&r)?;
        guarantor_app::daily_report_with(placer.borrow_dependent(), &**store, day, cut)
            .map_err(|e| ApiError::internal(format!("{}: {e}", inner.db)))
    })
    .await?;
    to_value(&report)
}

#[derive(Debug, Deserialize)]
pub(crate) struct AuditQuery {
    before: Option<u64>,
    limit: Option<usize>,
}

/// `GET /api/v1/audit`: the audit log, newest first.
pub(crate) async fn audit_log(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<AuditQuery>, QueryRejection>,
) -> ApiResult {
    caller.may(Permission::ReadAudit)?;
    let Query(q) = q?;
    let limit = q.limit.unwrap_or(100);
    if limit == 0 || limit > MAX_PER_PAGE {
        return Err(ApiError::bad_request(
            "bad_page",
            format!("limit must be 1 to {MAX_PER_PAGE}"),
        ));
    }
    let inner = state.0.clone();
    let entries = blocking(move || {
        lock(&inner.store)?
            .audit(q.before, limit)
            .map_err(ApiError::internal)
    })
    .await?;
    let parse = |t: &Option<String>| {
        t.as_deref()
            .map(|t| serde_json::from_str::<Value>(t).unwrap_or_else(|_| json!(t)))
    };
    Ok(Json(json!({
        "entries": entries.iter().map(|e| json!({
            "seq": e.seq,
            "at": e.at.to_string(),
            "actor": e.actor,
            "action": e.action,
            "target": e.target,
            "before": parse(&e.before),
            "after": parse(&e.after),
        })).collect::<Vec<_>>(),
        "next_before": entries.last().map(|e| e.seq),
    })))
}

/// `GET /api/v1/users`: the accounts (never their hashes).
pub(crate) async fn users(State(state): State<AppState>, caller: Caller) -> ApiResult {
    caller.may(Permission::ManageUsers)?;
    let inner = state.0.clone();
    let users =
        blocking(move || guarantor_app::users(&**lock(&inner.store)?).map_err(ApiError::internal))
            .await?;
    Ok(Json(json!({ "users": users })))
}
