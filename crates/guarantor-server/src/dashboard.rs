//! The dashboard: server-rendered HTML pages over the same handlers' logic and the same pictures as the
//! briefings (`guarantor_app::*_page`, drawn by `guarantor-render`), with a little JavaScript (reading a chosen
//! file into the upload form). Nothing is fetched from anywhere but this server: styles and pictures are inline.
//!
//! Pages: `/login`, `/` (the plan, with a world-state picker; the published plan for observers and monitors),
//! `/whatif` (a background job, the page refreshing until it is done), `/pledges` (the releasable list and a
//! form to add one), `/incidents` (the feed with filters, its map, and the upload form), `/daily`, `/audit`.
//! Forms carry the session's CSRF token; everything shown goes through the app's `release_*` functions.

use std::fmt::Write as _;

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{FromRequestParts, Path, Query, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use guarantor_app::{Permission, Role};
use guarantor_render::briefing::{Briefing, STYLE, body};
use guarantor_render::svg::esc;
use guarantor_render::table::Table;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::{Caller, ClientAddress, Login, end_session, session_cookie, start_session};
use crate::calls::{Which, put_pledge, resolve, spawn_job, store_reports, world_of};
use crate::error::ApiError;
use crate::state::{AppState, JobResult, lock};
use crate::{MAX_PER_PAGE, blocking};

/// The dashboard's one script: it reads a chosen file into the upload form (as its bytes, so that the server finds
/// its encoding). The Content-Security-Policy allows it by its hash ([`script_hash`]) and nothing else.
pub(crate) const UPLOAD_SCRIPT: &str = "var bytes=document.getElementById('bytes'),body=document.getElementById('body');document.getElementById('file').addEventListener('change',function(e){var f=e.target.files[0];if(!f)return;document.getElementById('name').value=f.name;f.arrayBuffer().then(function(b){var u=new Uint8Array(b),s='';for(var i=0;i<u.length;i+=32768){s+=String.fromCharCode.apply(null,u.subarray(i,i+32768));}bytes.value=btoa(s);body.value=new TextDecoder().decode(u);});});body.addEventListener('input',function(){bytes.value='';});document.getElementById('layout_file').addEventListener('change',function(e){var f=e.target.files[0];if(f)f.text().then(function(t){document.getElementById('layout_toml').value=t;});});";

/// `sha256-…` of [`UPLOAD_SCRIPT`], as a Content-Security-Policy source.
pub(crate) fn script_hash() -> String {
    use base64::Engine;
    use sha2::Digest;
    let digest = sha2::Sha256::digest(UPLOAD_SCRIPT.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The dashboard's own styles, after the briefing's.
const DASHBOARD_STYLE: &str = "
nav{background:#1b4f72;color:#fff;display:flex;flex-wrap:wrap;align-items:center;gap:4px 18px;padding:8px 28px}
nav a{color:#fff;text-decoration:none;font-weight:bold}nav a.here{text-decoration:underline}
nav .who{margin-left:auto;font-size:13px}nav form{display:inline}nav button{font-size:12px}
.note{background:#eef6ee;border:1px solid #9c9;padding:8px 12px;margin:12px 0}
.error{background:#fbeeee;border:1px solid #c99;padding:8px 12px;margin:12px 0}
form.panel{border:1px solid #d6d6d0;background:#fafaf7;padding:10px 14px;margin:14px 0}
form.panel label{display:inline-block;margin:4px 14px 4px 0;font-size:13px}
form.panel textarea{width:100%;font-family:monospace;font-size:12px}
";

/// A page: the navigation for `caller`, then `content`.
fn page(caller: Option<&Caller>, here: &str, title: &str, content: &str) -> Html<String> {
    let mut nav = String::from("<nav><a href=\"/\">guarantor</a>");
    if let Some(c) = caller {
        let role = &c.viewer.role;
        let mut links = vec![("/", "Plan")];
        if role.may(Permission::ReadPlan) {
            links.push(("/whatif", "What if"));
            links.push(("/respond", "Response"));
            if *role == Role::Planner {
                links.push(("/respond/whatif", "Responses: what if"));
                links.push(("/compare", "Courses of action"));
            }
        }
        if role.may(Permission::ReadPledges) {
            links.push(("/pledges", "Pledges"));
        }
        if role.may(Permission::ReadIncidents) {
            links.push(("/incidents", "Incidents"));
            links.push(("/daily", "Daily report"));
        }
        if role.may(Permission::ReadAudit) {
            links.push(("/audit", "Audit log"));
        }
        for (href, name) in links {
            let class = if href == here { " class=\"here\"" } else { "" };
            let _ = write!(nav, "<a href=\"{href}\"{class}>{name}</a>");
        }
        let _ = write!(
            nav,
            "<span class=\"who\">{} · {}{} <form method=\"post\" action=\"/logout\">{}<button>Log out</button></form></span>",
            esc(&c.viewer.name),
            role.name(),
            role.nation().map(|n| format!(" {n}")).unwrap_or_default(),
            csrf_field(c)
        );
    }
    nav.push_str("</nav>");
    Html(format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} · guarantor</title>\n\
         <style>{STYLE}{DASHBOARD_STYLE}</style>\n</head>\n<body>\n{nav}\n<main>\n{content}</main>\n</body>\n</html>\n",
        esc(title)
    ))
}

fn csrf_field(c: &Caller) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(c.csrf.as_deref().unwrap_or_default())
    )
}

/// An error as a page (or, for a caller not logged in, the way to the login page).
pub(crate) struct PageError(ApiError, Option<Box<Caller>>);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let PageError(e, caller) = self;
        if e.status == StatusCode::UNAUTHORIZED {
            return Redirect::to("/login").into_response();
        }
        let content = format!(
            "<h1>{}</h1><div class=\"error\">{}</div>",
            e.status.canonical_reason().unwrap_or("Error"),
            esc(&e.message)
        );
        (e.status, page(caller.as_deref(), "", "Error", &content)).into_response()
    }
}

/// A logged-in browser: the caller, or the way to the login page.
pub(crate) struct Browser(Caller);

impl FromRequestParts<AppState> for Browser {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Browser, PageError> {
        // Every form handler checks the form's CSRF token (`check_csrf`).
        Caller::of(parts, state, false)
            .await
            .map(Browser)
            .map_err(|e| PageError(e, None))
    }
}

impl Browser {
    fn may(&self, p: Permission) -> Result<(), PageError> {
        self.0
            .may(p)
            .map(|_| ())
            .map_err(|e| PageError(e, Some(Box::new(self.0.clone()))))
    }

    fn fail(&self, e: ApiError) -> PageError {
        PageError(e, Some(Box::new(self.0.clone())))
    }

    /// Checks a form's CSRF token against the session's.
    fn check_csrf(&self, sent: &str) -> Result<(), PageError> {
        match &self.0.csrf {
            Some(csrf) if csrf == sent => Ok(()),
            Some(_) => Err(self.fail(
                ApiError::forbidden("the form's CSRF token is not this session's: reload the page")
                    .code("bad_csrf"),
            )),
            // A token-authenticated client posting a form: no session to forge.
            None => Ok(()),
        }
    }
}

/// A table as HTML (what the briefings show).
fn table_html(t: &Table) -> String {
    let b = Briefing {
        sections: vec![guarantor_render::briefing::Section {
            heading: String::new(),
            intro: String::new(),
            blocks: vec![guarantor_render::briefing::Block::Table(t.clone())],
        }],
        ..Briefing::default()
    };
    // The body of a one-table briefing, less its empty heading.
    body(&b)
        .replace("<header><h1></h1><p></p></header>\n", "")
        .replace("<section>\n<h2></h2>\n", "<section>\n")
}

/// `GET /login`.
pub(crate) async fn login_page() -> Html<String> {
    login_form(None)
}

fn login_form(message: Option<&str>) -> Html<String> {
    let error = message
        .map(|m| format!("<div class=\"error\">{}</div>", esc(m)))
        .unwrap_or_default();
    page(
        None,
        "/login",
        "Log in",
        &format!(
            "<h1>Log in</h1>{error}<form class=\"panel\" method=\"post\" action=\"/login\">\
             <label>User <input name=\"name\" autocomplete=\"username\" required></label>\
             <label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>\
             <button id=\"login\">Log in</button></form>"
        ),
    )
}

/// `POST /login` (a form): sets the session cookie and goes to the plan.
pub(crate) async fn login_submit(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: axum::http::HeaderMap,
    form: Result<Form<Login>, FormRejection>,
) -> Response {
    // A form another site's page submits (login CSRF: the victim logged in as the attacker) names that site as
    // its Origin: the login form is taken only from the server's own pages (the Host the browser asked for,
    // which a reverse proxy passes on with `proxy_set_header Host $host`).
    if !same_origin(&headers, state.0.public_origin.get().map(String::as_str)) {
        return (
            StatusCode::FORBIDDEN,
            login_form(Some("this form was sent from another site")),
        )
            .into_response();
    }
    let Ok(Form(login)) = form else {
        return (
            StatusCode::BAD_REQUEST,
            login_form(Some("give a user name and a password")),
        )
            .into_response();
    };
    match start_session(&state, login, address).await {
        Ok((_, id, _)) => {
            let mut r = Redirect::to("/").into_response();
            r.headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&id));
            r
        }
        Err(e) => (e.status, login_form(Some(&e.message))).into_response(),
    }
}

/// Whether a request's `Origin` (when it has one: browsers send it with every form they post) is the server's:
/// its `public` origin when one is set (behind a proxy that rewrites `Host`), else the host it was sent to.
fn same_origin(headers: &axum::http::HeaderMap, public: Option<&str>) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).map(|o| o.to_str().ok()) else {
        return true;
    };
    let origin = origin.map(|o| o.trim_end_matches('/'));
    if let Some(public) = public {
        return origin.is_some_and(|o| o.eq_ignore_ascii_case(public));
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let authority = origin
        .and_then(|o| o.split_once("://"))
        .map(|(_, rest)| rest);
    matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h))
}

#[derive(Debug, Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /logout` (a form).
pub(crate) async fn logout_submit(
    State(state): State<AppState>,
    browser: Browser,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Result<Response, PageError> {
    let Form(form) = form.map_err(|r| browser.fail(r.into()))?;
    browser.check_csrf(&form.csrf)?;
    end_session(&state, &browser.0)
        .await
        .map_err(|e| browser.fail(e))?;
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, session_cookie(""));
    Ok(r)
}

/// The query's `fact` values and whether the world form was sent (`set`), from a raw query string.
fn chosen_facts(raw: Option<&str>) -> (bool, Vec<String>) {
    let mut set = false;
    let mut facts = Vec::new();
    for pair in raw.unwrap_or_default().split('&') {
        match pair.split_once('=') {
            Some(("set", _)) => set = true,
            Some(("fact", v)) => facts.push(v.to_owned()),
            _ => {}
        }
    }
    (set, facts)
}

/// A checkbox for each political fact, ticked where it holds in `world` (the world-state pickers).
fn fact_boxes(
    out: &mut String,
    scenario: &guarantor_core::Scenario,
    world: &guarantor_core::WorldState,
) {
    for f in &scenario.facts {
        let _ = write!(
            out,
            "<label title=\"{}\"><input type=\"checkbox\" name=\"fact\" value=\"{}\"{}> {}</label>",
            esc(&f.description),
            esc(f.id.as_str()),
            if world.get(&f.id) { " checked" } else { "" },
            esc(f.id.as_str())
        );
    }
}

/// The world state a page's query chose (`set`, `fact=…`: the facts ticked true, the others false), today's
/// without `set`.
fn chosen_world(
    r: &crate::state::Resolved,
    raw: Option<&str>,
) -> Result<guarantor_core::WorldState, ApiError> {
    let (set, chosen) = chosen_facts(raw);
    if !set {
        return Ok(r.scenario.today());
    }
    let text: Vec<String> = r
        .scenario
        .facts
        .iter()
        .map(|f| format!("{}={}", f.id, chosen.iter().any(|c| c == f.id.as_str())))
        .collect();
    world_of(r, Some(&text.join(",")))
}

/// `GET /`: the plan — of the latest version in the world state chosen (today's by default) for those who may
/// compute plans, else the published one.
pub(crate) async fn plan_page(
    State(state): State<AppState>,
    browser: Browser,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, PageError> {
    let caller = &browser.0;
    if !caller.viewer.role.may(Permission::ReadPlan) {
        return published_page(&state, &browser).await;
    }
    let (r, world, released) = chosen_plan(&state, &browser, raw.as_deref()).await?;
    let briefing = guarantor_app::plan_page(&r.scenario, &released);
    let mut picker = String::from(
        "<form class=\"panel\" method=\"get\" action=\"/\"><input type=\"hidden\" name=\"set\" value=\"1\"><b>World state:</b> ",
    );
    fact_boxes(&mut picker, &r.scenario, &world);
    let _ = write!(
        picker,
        "<button id=\"replan\">Plan</button> <span>version {} of {}</span> · download the tables: \
         <a href=\"/plan/sourcing.xlsx?{q}\">sourcing.xlsx</a> <a href=\"/plan/sourcing.csv?{q}\">sourcing.csv</a></form>",
        r.version,
        esc(&r.name),
        q = esc(raw.as_deref().unwrap_or_default()),
    );
    Ok(page(
        Some(caller),
        "/",
        "Plan",
        &format!("{picker}{}", body(&briefing)),
    ))
}

/// `GET /respond`: what follows a violation and how swiftly — a planned contingency (`contingency=…`, the first by
/// default) in the world state chosen — as the caller may see it.
pub(crate) async fn respond_page(
    State(state): State<AppState>,
    browser: Browser,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, PageError> {
    browser.may(Permission::ReadPlan)?;
    let caller = &browser.0;
    let fail = |e| browser.fail(e);
    let r = resolve(&state, &Which::default()).await.map_err(fail)?;
    let world = chosen_world(&r, raw.as_deref()).map_err(fail)?;
    let wanted = raw
        .as_deref()
        .unwrap_or_default()
        .split('&')
        .find_map(|p| p.strip_prefix("contingency="))
        .map(str::to_owned);
    let contingencies = &r.scenario.response.contingencies;
    let chosen_id = match wanted {
        Some(id) => contingencies
            .iter()
            .find(|c| c.id.as_str() == id)
            .map(|c| c.id.clone())
            .ok_or_else(|| fail(ApiError::not_found(format!("no contingency {id}"))))?,
        None => contingencies
            .first()
            .map(|c| c.id.clone())
            .ok_or_else(|| fail(ApiError::not_found("the scenario plans no contingency")))?,
    };
    let inner = state.0.clone();
    let (r2, w2, id) = (r.clone(), world.clone(), chosen_id.clone());
    let report = blocking(move || {
        let entry = inner.plan(&r2, &w2)?;
        entry
            .posture()
            .respond(
                &guarantor_app::Ask::Contingency(id),
                None,
                &Default::default(),
            )
            .map_err(ApiError::internal)
    })
    .await
    .map_err(fail)?;
    let released = guarantor_app::release_response(&report, &caller.viewer);
    let briefing = guarantor_app::response_page(&released);
    let mut picker = String::from(
        "<form class=\"panel\" method=\"get\" action=\"/respond\"><input type=\"hidden\" name=\"set\" value=\"1\"><b>Contingency:</b> <select name=\"contingency\">",
    );
    for c in contingencies {
        let _ = write!(
            picker,
            "<option value=\"{}\"{}>{}</option>",
            esc(c.id.as_str()),
            if c.id == chosen_id { " selected" } else { "" },
            esc(&c.name)
        );
    }
    picker.push_str("</select> <b>World state:</b> ");
    fact_boxes(&mut picker, &r.scenario, &world);
    picker.push_str("<button id=\"respond\">Respond</button></form>");
    Ok(page(
        Some(caller),
        "/respond",
        "Response",
        &format!("{picker}{}", body(&briefing)),
    ))
}

/// The plan of the latest version in the world state the query chose (`set`, `fact=…`; today's without), as
/// the caller may see it.
async fn chosen_plan(
    state: &AppState,
    browser: &Browser,
    raw: Option<&str>,
) -> Result<
    (
        crate::state::Resolved,
        guarantor_core::WorldState,
        guarantor_app::PlanReport,
    ),
    PageError,
> {
    let caller = &browser.0;
    let fail = |e| browser.fail(e);
    let r = resolve(state, &Which::default()).await.map_err(fail)?;
    let world = chosen_world(&r, raw).map_err(fail)?;
    let inner = state.0.clone();
    let (r2, w2) = (r.clone(), world.clone());
    let entry = blocking(move || inner.plan(&r2, &w2)).await.map_err(fail)?;
    let released =
        guarantor_app::release_plan(&entry.scenario, &entry.plan, &entry.report, &caller.viewer);
    Ok((r, world, released))
}

/// `GET /plan/sourcing.xlsx` and `/plan/sourcing.csv`: the plan's tables (the same world-state query as `/`),
/// as the caller may see them.
pub(crate) async fn plan_download(
    State(state): State<AppState>,
    browser: Browser,
    axum::extract::Path(file): axum::extract::Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    browser.may(Permission::ReadPlan)?;
    let (r, _, released) = chosen_plan(&state, &browser, raw.as_deref()).await?;
    let (xlsx, csv) = guarantor_app::plan_exports(&r.scenario, &released)
        .map_err(|e| browser.fail(ApiError::internal(e)))?;
    let (kind, bytes) = match file.as_str() {
        "sourcing.xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            xlsx,
        ),
        "sourcing.csv" => ("text/csv; charset=utf-8", csv.into_bytes()),
        other => return Err(browser.fail(ApiError::not_found(format!("no download {other}")))),
    };
    let mut r = bytes.into_response();
    let headers = r.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static(kind),
    );
    if let Ok(v) = axum::http::HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

async fn published_page(state: &AppState, browser: &Browser) -> Result<Html<String>, PageError> {
    let caller = &browser.0;
    browser.may(Permission::ReadPublished)?;
    let inner = state.0.clone();
    let name = state.0.default_scenario.clone();
    let published = blocking(move || {
        lock(&inner.store)?
            .published(&name)
            .map_err(ApiError::internal)
    })
    .await
    .map_err(|e| browser.fail(e))?;
    let Some(p) = published else {
        return Ok(page(
            Some(caller),
            "/",
            "Plan",
            "<h1>Plan</h1><div class=\"note\">No plan has been published yet.</div>",
        ));
    };
    let which = Which {
        scenario: Some(p.name.clone()),
        version: Some(p.version),
        world: None,
    };
    let r = resolve(state, &which).await.map_err(|e| browser.fail(e))?;
    let w = world_of(&r, Some(&p.world)).map_err(|e| browser.fail(e))?;
    let inner = state.0.clone();
    let r2 = r.clone();
    let entry = blocking(move || inner.plan(&r2, &w))
        .await
        .map_err(|e| browser.fail(e))?;
    let released =
        guarantor_app::release_plan(&entry.scenario, &entry.plan, &entry.report, &caller.viewer);
    let note = format!(
        "<div class=\"note\">The plan published by {} at {} (version {}).</div>",
        esc(&p.by),
        esc(&p.at.to_string()),
        p.version
    );
    Ok(page(
        Some(caller),
        "/",
        "Plan",
        &format!(
            "{note}{}",
            body(&guarantor_app::plan_page(&r.scenario, &released))
        ),
    ))
}

#[derive(Debug, Deserialize)]
pub(crate) struct JobQuery {
    job: Option<u64>,
}

/// `GET /whatif`: start the what-if table, watch it run, see it.
pub(crate) async fn whatif_page(
    State(state): State<AppState>,
    browser: Browser,
    Query(q): Query<JobQuery>,
) -> Result<Response, PageError> {
    browser.may(Permission::ReadPlan)?;
    let start = format!(
        "<form class=\"panel\" method=\"post\" action=\"/whatif\">{}<b>Every combination of the political facts</b> \
         (one solve per distinct set of live pledges; a minute or more) <button id=\"whatif\">Compute</button></form>",
        csrf_field(&browser.0)
    );
    job_page(
        &state, &browser, q.job, "whatif", "/whatif", "What if", &start,
    )
    .await
}

/// `GET /respond/whatif` (planners): start the response what-if — an attack on every site in every world
/// state, and who matters most — watch it run, see it.
pub(crate) async fn response_whatif_page(
    State(state): State<AppState>,
    browser: Browser,
    Query(q): Query<JobQuery>,
) -> Result<Response, PageError> {
    browser.may(Permission::ReadPlan)?;
    crate::calls::may_start("respond-whatif", &browser.0.viewer).map_err(|e| browser.fail(e))?;
    let start = format!(
        "<form class=\"panel\" method=\"post\" action=\"/respond/whatif\">{}<b>An attack on every site in every \
         world state</b>, and the response without each nation (every state sourced, then every site timed; \
         minutes) <button id=\"respond-whatif\">Compute</button></form>",
        csrf_field(&browser.0)
    );
    job_page(
        &state,
        &browser,
        q.job,
        "respond-whatif",
        "/respond/whatif",
        "Responses: what if",
        &start,
    )
    .await
}

/// `GET /compare` (planners): start the comparison of the courses of action, watch it run, see it.
pub(crate) async fn compare_page(
    State(state): State<AppState>,
    browser: Browser,
    Query(q): Query<JobQuery>,
) -> Result<Response, PageError> {
    browser.may(Permission::ReadPlan)?;
    crate::calls::may_start("compare", &browser.0.viewer).map_err(|e| browser.fail(e))?;
    let start = format!(
        "<form class=\"panel\" method=\"post\" action=\"/compare\">{}<b>Every course of action of courses.toml \
         in each of its world states</b>, on the same criteria (each option planned in full; a minute or so) \
         <button id=\"compare\">Compare</button></form>",
        csrf_field(&browser.0)
    );
    job_page(
        &state,
        &browser,
        q.job,
        "compare",
        "/compare",
        "Courses of action",
        &start,
    )
    .await
}

/// `POST /compare` (a form, planners): starts the comparison and goes to its page.
pub(crate) async fn compare_start(
    State(state): State<AppState>,
    browser: Browser,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Result<Redirect, PageError> {
    let Form(form) = form.map_err(|r| browser.fail(r.into()))?;
    crate::calls::may_start("compare", &browser.0.viewer).map_err(|e| browser.fail(e))?;
    start_job_page(&state, &browser, &form, "compare", "/compare").await
}

/// `GET /courses/{id}` (planners): a course of action's full plan, in its first world state or `world=…`.
pub(crate) async fn course_page(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
    Query(q): Query<Which>,
) -> Result<Html<String>, PageError> {
    browser.may(Permission::ReadPlan)?;
    let fail = |e| browser.fail(e);
    crate::calls::may_start("compare", &browser.0.viewer).map_err(fail)?;
    let r = resolve(&state, &Which::default()).await.map_err(fail)?;
    let world = q
        .world
        .as_deref()
        .map(|w| world_of(&r, Some(w)))
        .transpose()
        .map_err(fail)?;
    let title = format!("Course of action {id}");
    let content = tokio::task::spawn_blocking(move || {
        let p = guarantor_app::course_plan(&r.scenario, &id, world)
            .map_err(crate::calls::course_error)?;
        let (course, w) = (p.course, &p.world);
        Ok::<_, ApiError>(format!(
            "<div class=\"panel\"><b>{}</b> — {} <a href=\"/compare\">all courses</a><br>World state: {}</div>{}",
            esc(&course.name),
            esc(&course.description),
            esc(&w.to_string().replace(',', ", ")),
            body(&guarantor_app::plan_page(&p.scenario, &p.report))
        ))
    })
    .await
    .map_err(|e| fail(ApiError::internal(e)))?
    .map_err(fail)?;
    Ok(page(Some(&browser.0), "/compare", &title, &content))
}

/// A background job's page: the form that starts it, its progress (refreshing) while it runs, its result (as
/// releasable to the caller) once done.
async fn job_page(
    state: &AppState,
    browser: &Browser,
    job: Option<u64>,
    kind: &str,
    path: &'static str,
    title: &str,
    start: &str,
) -> Result<Response, PageError> {
    let caller = &browser.0;
    let Some(id) = job else {
        return Ok(page(
            Some(caller),
            path,
            title,
            &format!("<h1>{title}</h1>{start}"),
        )
        .into_response());
    };
    let (outcome, name, version, done, total) = {
        let jobs = lock(&state.0.jobs).map_err(|e| browser.fail(e))?;
        let job = jobs
            .iter()
            .find(|j| {
                j.id == id
                    && j.kind == kind
                    && (j.owner == caller.viewer.name || caller.viewer.role == Role::Planner)
            })
            .ok_or_else(|| {
                browser.fail(ApiError::not_found(format!("no {kind} job {id} of yours")))
            })?;
        (
            job.outcome.clone(),
            job.scenario.clone(),
            job.version,
            job.done.load(std::sync::atomic::Ordering::SeqCst),
            job.total.load(std::sync::atomic::Ordering::SeqCst),
        )
    };
    let content = match &outcome {
        None => {
            let html = page(
                Some(caller),
                path,
                title,
                &format!(
                    "<h1>{title}</h1><div class=\"note\" id=\"running\">Computing: {done} of {} steps done. This page \
                     refreshes itself.</div>",
                    if total == 0 {
                        "?".to_owned()
                    } else {
                        total.to_string()
                    }
                ),
            );
            let mut r = html.into_response();
            r.headers_mut()
                .insert("refresh", axum::http::HeaderValue::from_static("2"));
            return Ok(r);
        }
        Some(Err(message)) => format!(
            "<h1>{title}</h1><div class=\"error\">{}</div>{start}",
            esc(message)
        ),
        Some(Ok(JobResult::WhatIf(scenario, report))) => {
            let which = Which {
                scenario: Some(name),
                version: Some(version),
                world: None,
            };
            let r = resolve(state, &which).await.map_err(|e| browser.fail(e))?;
            let released = guarantor_app::release_whatif(&r.scenario, report, &caller.viewer);
            format!(
                "{start}{}",
                body(&guarantor_app::whatif_page(scenario, &released))
            )
        }
        Some(Ok(JobResult::ResponseWhatIf(report))) => format!(
            "{start}{}",
            body(&guarantor_app::response_whatif_page(report))
        ),
        Some(Ok(JobResult::Compare(scenario, report))) => {
            let mut links = String::from("<div class=\"panel\"><b>Each option's full plan:</b> ");
            for o in &report.options {
                let mut href = format!("/courses/{}", o.course);
                if !o.world_facts.is_empty() {
                    let _ = write!(href, "?world={}", o.world_facts);
                }
                let _ = write!(
                    links,
                    "<a href=\"{}\">{} ({})</a> ",
                    esc(&href),
                    esc(&o.name),
                    esc(&guarantor_app::world_label(&o.world_facts))
                );
            }
            links.push_str("</div>");
            format!(
                "{start}{links}{}",
                body(&guarantor_app::compare_page(scenario, report))
            )
        }
        Some(Ok(JobResult::Plan)) => String::new(),
    };
    Ok(page(Some(caller), path, title, &content).into_response())
}

/// `POST /whatif` (a form): starts the job and goes to its page.
pub(crate) async fn whatif_start(
    State(state): State<AppState>,
    browser: Browser,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Result<Redirect, PageError> {
    let Form(form) = form.map_err(|r| browser.fail(r.into()))?;
    start_job_page(&state, &browser, &form, "whatif", "/whatif").await
}

/// `POST /respond/whatif` (a form, planners): starts the response what-if and goes to its page.
pub(crate) async fn response_whatif_start(
    State(state): State<AppState>,
    browser: Browser,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Result<Redirect, PageError> {
    let Form(form) = form.map_err(|r| browser.fail(r.into()))?;
    start_job_page(&state, &browser, &form, "respond-whatif", "/respond/whatif").await
}

/// Starts a `kind` job on the latest scenario in today's world and goes to its page at `path`.
async fn start_job_page(
    state: &AppState,
    browser: &Browser,
    form: &CsrfForm,
    kind: &'static str,
    path: &str,
) -> Result<Redirect, PageError> {
    browser.may(Permission::ReadPlan)?;
    browser.check_csrf(&form.csrf)?;
    crate::calls::may_start(kind, &browser.0.viewer).map_err(|e| browser.fail(e))?;
    let r = resolve(state, &Which::default())
        .await
        .map_err(|e| browser.fail(e))?;
    let w = r.scenario.today();
    let id = spawn_job(state, &browser.0.viewer.name, kind, r, w).map_err(|e| browser.fail(e))?;
    Ok(Redirect::to(&format!("{path}?job={id}")))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PledgesQuery {
    created: Option<String>,
}

/// `GET /pledges`: the pledges the caller may see, and the form to add one.
pub(crate) async fn pledges_page(
    State(state): State<AppState>,
    browser: Browser,
    Query(q): Query<PledgesQuery>,
) -> Result<Html<String>, PageError> {
    browser.may(Permission::ReadPledges)?;
    pledges_content(&state, &browser, q.created.as_deref(), None, None).await
}

async fn pledges_content(
    state: &AppState,
    browser: &Browser,
    created: Option<&str>,
    error: Option<&ApiError>,
    form: Option<&PledgeForm>,
) -> Result<Html<String>, PageError> {
    let caller = &browser.0;
    let r = resolve(state, &Which::default())
        .await
        .map_err(|e| browser.fail(e))?;
    let pledges = guarantor_app::release_pledges(&r.scenario, &caller.viewer);
    let mut content = String::from("<h1>Pledges</h1>");
    if let Some(id) = created {
        let _ = write!(
            content,
            "<div class=\"note\" id=\"created\">Pledge {} stored: a new version of the scenario.</div>",
            esc(id)
        );
    }
    if let Some(e) = error {
        let _ = write!(
            content,
            "<div class=\"error\" id=\"problem\">{}</div>",
            esc(&e.message)
        );
    }
    if caller.viewer.role.may(Permission::EditPledges) {
        content.push_str(&pledge_form(caller, &r.scenario, form));
    }
    content.push_str(&table_html(&pledges_table(&pledges, r.version)));
    Ok(page(Some(caller), "/pledges", "Pledges", &content))
}

/// The table of the pledges the caller may see, as released to them.
fn pledges_table(pledges: &[Value], version: u32) -> Table {
    let text = |p: &Value, k: &str| match &p[k] {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        v => v.to_string(),
    };
    Table {
        name: format!(
            "Pledges you may see ({} of version {})",
            pledges.len(),
            version
        ),
        header: [
            "id",
            "nation",
            "kind",
            "what",
            "count",
            "notice (days)",
            "status",
            "condition",
            "restricted",
            "caveats",
        ]
        .iter()
        .map(|h| (*h).to_owned())
        .collect(),
        rows: pledges
            .iter()
            .map(|p| {
                let what = [text(p, "capability"), text(p, "item"), text(p, "enabler")].concat();
                let count = [text(p, "count"), text(p, "quantity"), text(p, "capacity")].concat();
                let caveats = if p["caveats_withheld"] == true {
                    "withheld".to_owned()
                } else {
                    caveats_text(&p["caveats"])
                };
                vec![
                    text(p, "id").into(),
                    text(p, "nation").into(),
                    text(p, "kind").into(),
                    what.into(),
                    count.into(),
                    text(p, "notice_days").into(),
                    text(p, "status").into(),
                    text(p, "condition").into(),
                    if p["restricted"] == true {
                        "restricted"
                    } else {
                        ""
                    }
                    .to_owned()
                    .into(),
                    caveats.into(),
                ]
            })
            .collect(),
    }
}

/// The form to add a pledge of units: a liaison officer's nation only, any nation for a planner; refilled with
/// what was sent when the last try was refused.
fn pledge_form(
    caller: &Caller,
    scenario: &guarantor_core::Scenario,
    form: Option<&PledgeForm>,
) -> String {
    let nations: Vec<String> = match caller.viewer.role.nation() {
        Some(n) => vec![n.to_string()],
        None => scenario
            .nations
            .iter()
            .map(|n| n.code.to_string())
            .collect(),
    };
    let f = form.cloned().unwrap_or_default();
    let options = |items: &[String], chosen: &str| {
        items
            .iter()
            .map(|i| {
                format!(
                    "<option{}>{}</option>",
                    if i == chosen { " selected" } else { "" },
                    esc(i)
                )
            })
            .collect::<String>()
    };
    let capabilities: Vec<String> = scenario
        .capabilities
        .iter()
        .map(|c| c.id.to_string())
        .collect();
    let statuses: Vec<String> = guarantor_core::PledgeStatus::names()
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    format!(
        "<form class=\"panel\" method=\"post\" action=\"/pledges\" id=\"add-pledge\">{csrf}<b>Add a pledge of units</b><br>\
         <label>Id <input name=\"id\" value=\"{id}\" required pattern=\"[a-z][a-z0-9_-]*\"></label>\
         <label>Nation <select name=\"nation\">{nations}</select></label>\
         <label>Capability <select name=\"capability\">{caps}</select></label>\
         <label>Count <input name=\"count\" type=\"number\" min=\"1\" value=\"{count}\"></label>\
         <label>Notice (days) <input name=\"notice_days\" type=\"number\" min=\"0\" value=\"{notice}\"></label>\
         <label>Status <select name=\"status\">{statuses}</select></label>\
         <label>Condition <input name=\"condition\" value=\"{condition}\" placeholder=\"e.g. us_backstop && un_mandate\"></label>\
         <label><input type=\"checkbox\" name=\"restricted\" value=\"true\"{restricted}> restricted (your nation and planners only)</label>\
         <label>Source <input name=\"source\" value=\"{source}\" required></label>\
         <button id=\"save-pledge\">Add</button></form>",
        csrf = csrf_field(caller),
        id = esc(&f.id),
        nations = options(&nations, &f.nation),
        caps = options(&capabilities, &f.capability),
        count = esc(if f.count.is_empty() { "1" } else { &f.count }),
        notice = esc(if f.notice_days.is_empty() {
            "30"
        } else {
            &f.notice_days
        }),
        statuses = options(
            &statuses,
            if f.status.is_empty() {
                "offered"
            } else {
                &f.status
            }
        ),
        condition = esc(&f.condition),
        restricted = if f.restricted.is_some() {
            " checked"
        } else {
            ""
        },
        source = esc(&f.source),
    )
}

/// Caveats in words: `min_km_from_line 100; domains air`.
fn caveats_text(c: &Value) -> String {
    let Value::Object(fields) = c else {
        return String::new();
    };
    fields
        .iter()
        .map(|(k, v)| match v {
            Value::Array(items) => format!(
                "{} {}",
                k.replace('_', " "),
                items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Value::Bool(true) => k.replace('_', " "),
            v => format!("{} {v}", k.replace('_', " ")),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The add-a-pledge form.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct PledgeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    nation: String,
    #[serde(default)]
    capability: String,
    #[serde(default)]
    count: String,
    #[serde(default)]
    notice_days: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    condition: String,
    restricted: Option<String>,
    #[serde(default)]
    source: String,
}

/// A whole number from a form field, or the field's name in an error.
fn whole(field: &str, text: &str) -> Result<i64, ApiError> {
    text.trim().parse().map_err(|_| {
        ApiError::bad_request(
            "bad_body",
            format!("{field}: expected a whole number, got {text:?}"),
        )
    })
}

/// `POST /pledges` (a form): the same path as `POST /api/v1/pledges`.
pub(crate) async fn pledges_submit(
    State(state): State<AppState>,
    browser: Browser,
    form: Result<Form<PledgeForm>, FormRejection>,
) -> Result<Response, PageError> {
    let Form(form) = form.map_err(|r| browser.fail(r.into()))?;
    browser.may(Permission::EditPledges)?;
    browser.check_csrf(&form.csrf)?;
    let numbers =
        whole("count", &form.count).and_then(|c| Ok((c, whole("notice_days", &form.notice_days)?)));
    let outcome = match numbers {
        Err(e) => Err(e),
        Ok((count, notice)) => {
            let mut pledge = json!({
                "id": form.id.trim(),
                "nation": form.nation,
                "kind": "units",
                "capability": form.capability,
                "count": count,
                "notice_days": notice,
                "status": form.status,
                "restricted": form.restricted.is_some(),
                "source": form.source,
            });
            if !form.condition.trim().is_empty() {
                pledge["condition"] = json!(form.condition.trim());
            }
            put_pledge(
                state.clone(),
                browser.0.clone(),
                Which::default(),
                None,
                pledge,
            )
            .await
        }
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/pledges?created={}", form.id.trim())).into_response()),
        Err(e) if e.status.is_client_error() && e.status != StatusCode::FORBIDDEN => {
            let status = e.status;
            let html = pledges_content(&state, &browser, None, Some(&e), Some(&form)).await?;
            Ok((status, html).into_response())
        }
        Err(e) => Err(browser.fail(e)),
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct IncidentsFilter {
    since: Option<String>,
    until: Option<String>,
    violation: Option<String>,
    confidence: Option<String>,
    stored: Option<String>,
}

/// `GET /incidents`: the feed with its filters and map, and (for those who may) the upload form.
pub(crate) async fn incidents_page(
    State(state): State<AppState>,
    browser: Browser,
    Query(f): Query<IncidentsFilter>,
) -> Result<Html<String>, PageError> {
    browser.may(Permission::ReadIncidents)?;
    let caller = &browser.0;
    let fail = |e| browser.fail(e);
    let (from, to) = crate::calls::window(f.since.as_deref(), f.until.as_deref()).map_err(fail)?;
    let r = resolve(&state, &Which::default()).await.map_err(fail)?;
    let inner = state.0.clone();
    let r2 = r.clone();
    let mut report = (*blocking(move || inner.incidents(&r2, from, to))
        .await
        .map_err(fail)?)
    .clone();
    match f.violation.as_deref() {
        Some("yes") => report.incidents.retain(|i| i.violation),
        Some("no") => report.incidents.retain(|i| !i.violation),
        _ => {}
    }
    if let Some(c) = f.confidence.as_deref().filter(|c| !c.is_empty()) {
        report.incidents.retain(|i| i.confidence == c);
    }
    let total = report.incidents.len();
    let map = guarantor_app::incidents_picture(
        &r.scenario,
        "Incidents",
        &format!("{total} incidents from {} reports", report.reports),
        &report.incidents,
    );
    let shown = &report.incidents[..total.min(MAX_PER_PAGE)];
    let table = Table {
        name: if total > shown.len() {
            format!(
                "The first {} of {total} incidents (narrow the filters for the rest)",
                shown.len()
            )
        } else {
            format!("{total} incidents")
        },
        header: [
            "time",
            "kinds",
            "confidence",
            "zone",
            "km to line",
            "violation",
            "severity",
            "sources",
        ]
        .iter()
        .map(|h| (*h).to_owned())
        .collect(),
        rows: shown
            .iter()
            .map(|i| {
                vec![
                    i.time.clone().into(),
                    i.kinds.join("/").into(),
                    i.confidence.replace('_', " ").into(),
                    i.zone.clone().into(),
                    i.km_to_line
                        .map_or_else(String::new, |k| format!("{k:.1}"))
                        .into(),
                    if i.violation { "yes" } else { "no" }.to_owned().into(),
                    i.severity.to_owned().into(),
                    i.sources.join(", ").into(),
                ]
            })
            .collect(),
    };
    let value = |o: &Option<String>| esc(o.as_deref().unwrap_or_default());
    let select = |name: &str, chosen: &Option<String>, options: &[&str]| {
        let mut s = format!("<select name=\"{name}\"><option value=\"\">any</option>");
        for o in options {
            let _ = write!(
                s,
                "<option{}>{o}</option>",
                if chosen.as_deref() == Some(*o) {
                    " selected"
                } else {
                    ""
                }
            );
        }
        s + "</select>"
    };
    let mut content = String::from("<h1>Incidents</h1>");
    if let Some(note) = &f.stored {
        let _ = write!(
            content,
            "<div class=\"note\" id=\"stored\">{}</div>",
            esc(note)
        );
    }
    let _ = write!(
        content,
        "<form class=\"panel\" method=\"get\" action=\"/incidents\" id=\"filters\">\
         <label>Since <input name=\"since\" value=\"{}\" placeholder=\"2027-01-10 or RFC 3339\"></label>\
         <label>Until <input name=\"until\" value=\"{}\"></label>\
         <label>Violation {}</label><label>Confidence {}</label><button>Filter</button></form>",
        value(&f.since),
        value(&f.until),
        select("violation", &f.violation, &["yes", "no"]),
        select(
            "confidence",
            &f.confidence,
            &["confirmed", "probable", "possible", "single_source"]
        ),
    );
    if caller.viewer.role.may(Permission::IngestReports) {
        let layouts: String = guarantor_scenario::builtin_layouts()
            .iter()
            .map(|l| {
                format!(
                    "<option value=\"{}\">{} — {}</option>",
                    esc(&l.name),
                    esc(&l.name),
                    esc(&l.description)
                )
            })
            .collect();
        let _ = write!(
            content,
            "<form class=\"panel\" method=\"post\" action=\"/incidents/upload\" id=\"upload\">{}<b>Send reports</b><br>\
             <label>File <input type=\"file\" id=\"file\"></label>\
             <label>Layout <select name=\"layout\"><option value=\"\">found from the file</option>{layouts}</select></label>\
             <label>Encoding <input name=\"encoding\" placeholder=\"detected\" size=\"10\"></label>\
             <label>Dates <select name=\"date_order\"><option value=\"\">decided from the file</option>\
             <option value=\"dmy\">day first</option><option value=\"mdy\">month first</option></select></label>\
             <label>Layout file <input type=\"file\" id=\"layout_file\" accept=\".toml\"></label>\
             <input type=\"hidden\" name=\"layout_toml\" id=\"layout_toml\">\
             <label>Name <input name=\"name\" id=\"name\" placeholder=\"upload.csv\"></label>\
             <textarea name=\"body\" id=\"body\" rows=\"6\" placeholder=\"the reports (a file chosen above is read in here)\"></textarea>\
             <input type=\"hidden\" name=\"bytes\" id=\"bytes\">\
             <button id=\"send\">Send</button></form>\
             <script>{UPLOAD_SCRIPT}</script>",
            csrf_field(caller)
        );
    }
    let _ = write!(
        content,
        "<figure>{map}<figcaption>Colour by confidence; a triangle for a violation, larger for graver.</figcaption></figure>"
    );
    content.push_str(&table_html(&table));
    Ok(page(Some(caller), "/incidents", "Incidents", &content))
}

#[derive(Debug, Deserialize)]
pub(crate) struct UploadForm {
    #[serde(default)]
    csrf: String,
    /// A shipped layout's name; empty: found from the file.
    #[serde(default, alias = "format")]
    layout: String,
    /// A layout file's TOML, chosen in the form.
    #[serde(default)]
    layout_toml: String,
    #[serde(default)]
    encoding: String,
    #[serde(default)]
    date_order: String,
    #[serde(default)]
    name: String,
    body: String,
    /// The chosen file's bytes, base64 (sent as they are, so that the server finds their encoding); empty when
    /// the reports were typed or edited in `body`.
    #[serde(default)]
    bytes: String,
}

/// `POST /incidents/upload` (a form): the same intake as `POST /api/v1/reports`.
pub(crate) async fn upload_submit(
    State(state): State<AppState>,
    browser: Browser,
    form: Result<Form<UploadForm>, FormRejection>,
) -> Result<Redirect, PageError> {
    let Form(form) = form.map_err(|r| browser.fail(r.into()))?;
    browser.may(Permission::IngestReports)?;
    browser.check_csrf(&form.csrf)?;
    let layout = crate::calls::upload_layout(Some(&form.layout), Some(&form.layout_toml))
        .map_err(|e| browser.fail(e))?;
    let encoding = match form.encoding.trim() {
        "" => None,
        label => Some(guarantor_scenario::encoding_named(label).ok_or_else(|| {
            browser.fail(ApiError::bad_request(
                "bad_encoding",
                format!(
                    "encoding {label}: not an encoding (e.g. utf-8, windows-1252, windows-1251)"
                ),
            ))
        })?),
    };
    let date_order = match form.date_order.trim() {
        "" => None,
        o => Some(guarantor_scenario::DateOrder::from_name(o).ok_or_else(|| {
            browser.fail(ApiError::bad_request(
                "bad_date_order",
                format!("date order {o}: expected dmy or mdy"),
            ))
        })?),
    };
    let name = if form.name.trim().is_empty() {
        crate::calls::upload_name(layout.as_deref())
    } else {
        form.name.trim().to_owned()
    };
    let body = if form.bytes.trim().is_empty() {
        form.body.replace("\r\n", "\n").into_bytes()
    } else {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(form.bytes.trim())
            .map_err(|e| {
                browser.fail(ApiError::bad_request(
                    "bad_body",
                    format!("the file's bytes are not base64: {e}"),
                ))
            })?
    };
    let options = guarantor_app::IngestOptions {
        read: guarantor_scenario::ReadOptions {
            layout,
            encoding,
            date_order,
        },
        ..Default::default()
    };
    let report = store_reports(&state, &browser.0.viewer.name, name, body, options)
        .await
        .map_err(|e| browser.fail(e))?;
    let f = report.files.first();
    let note = format!(
        "{} (layout {}): {} read, {} new, {} already stored, {} rejected",
        f.map(|f| f.file.as_str()).unwrap_or_default(),
        f.and_then(|f| f.layout.as_deref()).unwrap_or("none fits"),
        f.map_or(0, |f| f.read),
        f.map_or(0, |f| f.new),
        f.map_or(0, |f| f.duplicates),
        f.map_or(0, |f| f.rejected),
    );
    let encoded: String = note
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    Ok(Redirect::to(&format!("/incidents?stored={encoded}")))
}

#[derive(Debug, Deserialize)]
pub(crate) struct DayQuery {
    day: Option<String>,
}

/// `GET /daily`: the daily report of a day (the latest day with reports by default).
pub(crate) async fn daily_page(
    State(state): State<AppState>,
    browser: Browser,
    Query(q): Query<DayQuery>,
) -> Result<Html<String>, PageError> {
    browser.may(Permission::ReadIncidents)?;
    let caller = &browser.0;
    let r = resolve(&state, &Which::default())
        .await
        .map_err(|e| browser.fail(e))?;
    let inner = state.0.clone();
    let r2 = r.clone();
    let asked = q.day.filter(|d| !d.is_empty());
    let (day, report) = blocking(move || {
        let store = inner.fresh_store()?;
        let day: jiff::civil::Date = match asked {
            Some(d) => d.parse().map_err(|_| {
                ApiError::bad_request("bad_day", format!("day {d}: expected YYYY-MM-DD"))
            })?,
            None => match store.latest_time().map_err(ApiError::internal)? {
                Some(last) => last.to_zoned(jiff::tz::TimeZone::UTC).date(),
                None => jiff::Timestamp::now()
                    .to_zoned(jiff::tz::TimeZone::UTC)
                    .date(),
            },
        };
        let cut = guarantor_app::parse_cut("19:30").map_err(ApiError::internal)?;
        let placer = inner.placer(&r2)?;
        let report =
            guarantor_app::daily_report_with(placer.borrow_dependent(), &**store, day, cut)
                .map_err(ApiError::internal)?;
        Ok((day, report))
    })
    .await
    .map_err(|e| browser.fail(e))?;
    let picker = format!(
        "<form class=\"panel\" method=\"get\" action=\"/daily\"><label>Day <input type=\"date\" name=\"day\" value=\"{day}\"></label><button>Show</button></form>"
    );
    Ok(page(
        Some(caller),
        "/daily",
        "Daily report",
        &format!(
            "{picker}{}",
            body(&guarantor_app::daily_page(&r.scenario, &report))
        ),
    ))
}

/// `GET /audit`: the latest changes.
pub(crate) async fn audit_page(
    State(state): State<AppState>,
    browser: Browser,
) -> Result<Html<String>, PageError> {
    browser.may(Permission::ReadAudit)?;
    let inner = state.0.clone();
    let entries = blocking(move || {
        lock(&inner.store)?
            .audit(None, 200)
            .map_err(ApiError::internal)
    })
    .await
    .map_err(|e| browser.fail(e))?;
    let table = Table {
        name: "The latest 200 changes, newest first".into(),
        header: ["#", "when", "who", "what", "target", "before", "after"]
            .iter()
            .map(|h| (*h).to_owned())
            .collect(),
        rows: entries
            .iter()
            .map(|e| {
                vec![
                    e.seq.to_string().into(),
                    e.at.to_string().into(),
                    e.actor.clone().into(),
                    e.action.clone().into(),
                    e.target.clone().into(),
                    e.before.clone().unwrap_or_default().into(),
                    e.after.clone().unwrap_or_default().into(),
                ]
            })
            .collect(),
    };
    Ok(page(
        Some(&browser.0),
        "/audit",
        "Audit log",
        &format!("<h1>Audit log</h1>{}", table_html(&table)),
    ))
}
