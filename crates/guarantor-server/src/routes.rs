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
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, to_value};
use crate::state::{AppState, JobResult, Resolved, lock};
use crate::{MAX_PER_PAGE, blocking};

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

use guarantor_app::audit_entry as audit;

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

/// The diagnostics of a scenario that does not load, as the API's error details.
fn diagnostics_error(origin: &str, diagnostics: &[guarantor_core::Diagnostic]) -> ApiError {
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
        let sources = guarantor_scenario::SourceSet::from_files("upload", new.files.clone());
        let loaded =
            guarantor_scenario::load(&sources).map_err(|d| diagnostics_error("upload", &d))?;
        let name = loaded.scenario.name.clone();
        let files: Vec<(String, String)> = new.files.into_iter().collect();
        let note = new
            .note
            .unwrap_or_else(|| "loaded through the API".to_owned());
        let version = lock(&inner.store)?
            .put_scenario(
                &name,
                &files,
                None,
                &note,
                &audit(
                    &actor,
                    "scenario.load",
                    &name,
                    None,
                    Some(json!({"files": files.len()})),
                ),
            )
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
async fn edit_pledge(
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
        let posture = guarantor_app::Posture::new(&entry.scenario, entry.plan.clone());
        posture.respond(&ask, day, &without).map_err(|e| match e {
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
        let mut store = lock(&inner.store)?;
        let before = store.published(&name).map_err(ApiError::internal)?;
        store
            .publish(
                &name,
                version,
                &world,
                &audit(
                    &actor,
                    "plan.publish",
                    &name,
                    before.map(|p| json!({"version": p.version, "world": p.world})),
                    Some(json!({"version": version, "world": world})),
                ),
            )
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
                    .map(JobResult::Plan)
                    .map_err(|e| e.message);
                guarantor_app::Progress::advance_to(&progress, 1);
                out
            }
            "respond-whatif" => guarantor_app::response_whatif(&r.scenario, &w, None, &progress)
                .map(|report| JobResult::ResponseWhatIf(std::sync::Arc::new(report)))
                .map_err(|e| ended(&e)),
            "compare" => guarantor_app::compare(&r.scenario, &progress)
                .map(|report| JobResult::Compare(r.scenario.clone(), std::sync::Arc::new(report)))
                .map_err(|e| ended(&e)),
            _ => guarantor_app::whatif_with_progress(&r.scenario, &w, &progress)
                .map(|report| JobResult::WhatIf(r.scenario.clone(), std::sync::Arc::new(report)))
                .map_err(|e| ended(&e)),
        };
        inner.finish_job(id, outcome);
    });
    Ok(id)
}

/// Whether two loads of one version restrict the same pledges and caveats.
fn same_restrictions(a: &guarantor_core::Scenario, b: &guarantor_core::Scenario) -> bool {
    a.pledges.len() == b.pledges.len()
        && a.pledges.iter().zip(&b.pledges).all(|(x, y)| {
            x.id == y.id
                && x.restricted == y.restricted
                && x.caveats.restricted == y.caveats.restricted
        })
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

/// A course's plan that could not be made: no such course (404), or the solver failed (500, logged).
pub(crate) fn course_error(e: guarantor_app::CourseError) -> ApiError {
    match e {
        guarantor_app::CourseError::Unknown(..) => ApiError::not_found(e.to_string()),
        guarantor_app::CourseError::Solve(e) => ApiError::internal(e),
    }
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
            (job.outcome.clone(), job.scenario.clone(), job.version),
        )
    };
    let (outcome, name, version) = result;
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
                // A plan's responses are released by the restrictions it was computed under: when a version
                // stored since restricts more of this one, the job's answer is no longer the one to release.
                JobResult::Plan(entry)
                    if !caller.viewer.sees_all()
                        && !same_restrictions(&entry.scenario, &r.scenario) =>
                {
                    return Err(ApiError::new(
                        StatusCode::CONFLICT,
                        "stale",
                        "a version stored since this job ran restricts pledges of this one: start the job \
                         again, or ask GET /api/v1/plan",
                    ));
                }
                JobResult::Plan(entry) => serde_json::to_value(guarantor_app::release_plan(
                    &r.scenario,
                    &entry.plan,
                    &entry.report,
                    &caller.viewer,
                )),
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
/// A window of incidents asked for: a bound that is neither a time nor a day, or a start after the end, is
/// `bad_time`.
pub(crate) fn window(
    since: Option<&str>,
    until: Option<&str>,
) -> Result<(Option<jiff::Timestamp>, Option<jiff::Timestamp>), ApiError> {
    guarantor_app::time_window(since, until)
        .map_err(|e| ApiError::bad_request("bad_time", e.to_string()))
}

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
