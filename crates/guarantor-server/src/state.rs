//! What every request shares: the store, the scenarios (each stored version loaded once and kept), the plans
//! computed (kept per scenario version and world state), the jobs running, the login limiter and the
//! authentication cache.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use guarantor_app::{Placer, PlanReport, Viewer, WhatIfReport};
use guarantor_core::{Scenario, WorldState};
use guarantor_scenario::SourceSet;
use guarantor_sourcing::SourcingPlan;
use guarantor_store::{Store, StoreError};
use jiff::Timestamp;

use crate::error::ApiError;

/// A plan computed for one scenario version and world state: the engine's plan (to release to each viewer)
/// and its full JSON.
pub(crate) struct PlanEntry {
    pub scenario: Arc<Scenario>,
    pub plan: SourcingPlan,
    pub report: PlanReport,
    /// The network at hour resolution, with the response times found so far (for the incidents' responses).
    pub transport: guarantor_app::Hourly,
}

impl PlanEntry {
    /// The force as the plan stands it, for responses: its movement and the kept network (whose answers each
    /// response adds to).
    pub fn posture(&self) -> guarantor_app::Posture<'_> {
        guarantor_app::Posture::with_movement(
            &self.scenario,
            std::borrow::Cow::Borrowed(&self.plan),
            std::borrow::Cow::Borrowed(&self.report.movement),
            self.transport.clone(),
        )
    }
}

self_cell::self_cell!(
    /// A scenario version's geography indexed for placing reports, kept with the scenario it borrows from.
    pub(crate) struct PlacerCell {
        owner: Arc<Scenario>,
        #[covariant]
        dependent: Placer,
    }
);

/// What a window's incidents were computed at: its count of reports, the store's count of revisions and of
/// changes to the incidents.
type Freshness = (u64, u64, u64);

/// A scenario version and a window of time (as microseconds), the key of computed incidents.
type IncidentsKey = (String, u32, Option<i64>, Option<i64>);

/// An older version as released: the latest version it was made for, and the scenario.
type Released = (u32, Arc<Scenario>);

/// A plan: the scenario, its version, the latest version its restrictions are of, the world state.
type PlanKey = (String, u32, u32, String);

/// A scenario version, resolved.
#[derive(Clone)]
pub(crate) struct Resolved {
    pub name: String,
    pub version: u32,
    /// The latest version when it was resolved: the one whose restrictions `scenario` is released by.
    pub through: u32,
    /// The version as every answer is computed and released from: the version's own files, with each pledge
    /// the latest versions restrict restricted in it too (`guarantor_app::Restrictions`; the latest version
    /// is its own files).
    pub scenario: Arc<Scenario>,
}

/// A long computation the API runs in the background.
pub(crate) struct Job {
    pub id: u64,
    pub owner: String,
    pub kind: &'static str,
    pub scenario: String,
    pub version: u32,
    pub world: String,
    pub created: Timestamp,
    pub done: Arc<AtomicU64>,
    pub total: Arc<AtomicU64>,
    /// Set when its owner or a planner cancels it (`DELETE /api/v1/jobs/{id}`): its solves stop at the next
    /// one.
    pub cancel: Arc<AtomicBool>,
    pub outcome: Option<Result<JobResult, String>>,
}

/// What a finished job computed (released to each viewer when read).
#[derive(Clone)]
pub(crate) enum JobResult {
    /// A plan: computed into the server's cache, and asked of it again when read (so it is released by the
    /// restrictions of the latest version then, as `GET /api/v1/plan` is).
    Plan,
    WhatIf(Arc<Scenario>, Arc<WhatIfReport>),
    /// An attack on every site in every world state (planners only: it ranks nations and times restricted
    /// options).
    ResponseWhatIf(Arc<guarantor_app::ResponseWhatIf>),
    /// Every course of action side by side (planners only: its options name coalitions and what each nation
    /// pays, restricted pledges included).
    Compare(Arc<Scenario>, Arc<guarantor_app::CompareReport>),
}

/// How many jobs are kept; beyond it the oldest finished ones are forgotten.
const MAX_JOBS: usize = 1000;

/// Jobs running at once, for one user and for all (a what-if uses every core).
const MAX_RUNNING_PER_USER: usize = 2;
const MAX_RUNNING: usize = 4;

/// Plans kept computed (each a few hundred kilobytes).
const MAX_PLANS: usize = 64;

/// Failed logins allowed within [`LOGIN_WINDOW`]: for a user name from one client address (so that someone
/// guessing from one place cannot lock the account for everyone), for a user name from anywhere (so that many
/// places together cannot guess on), and for a client address whatever the names.
pub(crate) const LOGIN_FAILURES_PER_NAME: usize = 5;
pub(crate) const LOGIN_FAILURES_PER_NAME_ANYWHERE: usize = 100;
pub(crate) const LOGIN_FAILURES_PER_ADDRESS: usize = 30;
pub(crate) const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Recent failed logins, by user name from an address, by user name, and by client address.
#[derive(Default)]
pub(crate) struct LoginLimiter {
    by_name: HashMap<String, VecDeque<Instant>>,
    by_name_anywhere: HashMap<String, VecDeque<Instant>>,
    by_address: HashMap<String, VecDeque<Instant>>,
}

/// The key of a name tried from an address.
fn name_at(name: &str, address: &str) -> String {
    format!("{name}\u{0}{address}")
}

impl LoginLimiter {
    fn recent(map: &mut HashMap<String, VecDeque<Instant>>, key: &str, now: Instant) -> usize {
        let Some(q) = map.get_mut(key) else { return 0 };
        while q
            .front()
            .is_some_and(|t| now.duration_since(*t) > LOGIN_WINDOW)
        {
            q.pop_front();
        }
        q.len()
    }

    /// Seconds to wait before trying again, if `name` or `address` failed too often lately.
    pub fn blocked(&mut self, name: &str, address: &str, now: Instant) -> Option<u64> {
        let over = |map: &mut HashMap<String, VecDeque<Instant>>, key: &str, limit: usize| {
            if Self::recent(map, key, now) >= limit {
                map.get(key)
                    .and_then(|q| q.front())
                    .map(|first| (LOGIN_WINDOW - now.duration_since(*first)).as_secs() + 1)
            } else {
                None
            }
        };
        over(
            &mut self.by_name,
            &name_at(name, address),
            LOGIN_FAILURES_PER_NAME,
        )
        .or_else(|| {
            over(
                &mut self.by_name_anywhere,
                name,
                LOGIN_FAILURES_PER_NAME_ANYWHERE,
            )
        })
        .or_else(|| over(&mut self.by_address, address, LOGIN_FAILURES_PER_ADDRESS))
    }

    /// Records a failure (forgetting, now and then, the keys with no failure left in the window).
    pub fn failed(&mut self, name: &str, address: &str, now: Instant) {
        if self.by_name.len() + self.by_address.len() > 10_000 {
            let fresh = |q: &mut VecDeque<Instant>| {
                q.retain(|t| now.duration_since(*t) <= LOGIN_WINDOW);
                !q.is_empty()
            };
            self.by_name.retain(|_, q| fresh(q));
            self.by_name_anywhere.retain(|_, q| fresh(q));
            self.by_address.retain(|_, q| fresh(q));
        }
        self.by_name
            .entry(name_at(name, address))
            .or_default()
            .push_back(now);
        self.by_name_anywhere
            .entry(name.to_owned())
            .or_default()
            .push_back(now);
        self.by_address
            .entry(address.to_owned())
            .or_default()
            .push_back(now);
    }

    /// A success clears the name's failures from that address, and takes back the attempt counted against
    /// the name and the address.
    pub fn succeeded(&mut self, name: &str, address: &str) {
        self.by_name.remove(&name_at(name, address));
        for (map, key) in [
            (&mut self.by_name_anywhere, name),
            (&mut self.by_address, address),
        ] {
            if let Some(q) = map.get_mut(key) {
                q.pop_back();
                if q.is_empty() {
                    map.remove(key);
                }
            }
        }
    }
}

/// A checked credential: who, and their session's CSRF token if by session.
pub(crate) struct Authenticated {
    pub viewer: Viewer,
    pub csrf: Option<String>,
}

pub(crate) struct Inner {
    pub store: Mutex<Box<dyn Store>>,
    pub db: String,
    pub default_scenario: String,
    /// Each version's own files loaded (those asked for).
    scenarios: Mutex<HashMap<(String, u32), Arc<Scenario>>>,
    /// Each scenario's restrictions, through the version they were folded to.
    restrictions: Mutex<HashMap<String, (u32, Arc<guarantor_app::Restrictions>)>>,
    /// Each older version as released, through the latest version it was made for.
    released: Mutex<HashMap<(String, u32), Released>>,
    /// Plans by version, the latest version its restrictions are of, and world state.
    plans: Mutex<HashMap<PlanKey, Arc<PlanEntry>>>,
    placers: Mutex<HashMap<(String, u32), Arc<PlacerCell>>>,
    /// Incidents of a scenario version in a window, with the count of the window's reports they came from.
    /// Each window's incidents, with the window's report count and the store's revisions they were computed at.
    incidents: Mutex<HashMap<IncidentsKey, (Freshness, Arc<guarantor_app::IncidentsReport>)>>,
    pub jobs: Mutex<Vec<Job>>,
    next_job: AtomicU64,
    pub logins: Mutex<LoginLimiter>,
    /// The reverse proxies whose `X-Forwarded-For` names the client (set once, before serving).
    pub trusted_proxies: std::sync::OnceLock<Vec<std::net::IpAddr>>,
    /// The origin browsers reach the server at (`https://host[:port]`), when set: the login form is taken
    /// only from it (set once, before serving).
    pub public_origin: std::sync::OnceLock<String>,
}

/// What every request shares.
#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

/// A problem starting the server.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The scenario given at start does not load.
    #[error("the scenario does not load: {0}")]
    Scenario(String),
    /// The trusted proxies were set twice.
    #[error("the trusted proxies are set once, before serving")]
    ProxiesAlreadySet,
    /// The public origin is not `http[s]://host[:port]`, or was set twice.
    #[error(
        "--public-origin {0}: expected http://host[:port] or https://host[:port], once, with no path"
    )]
    BadPublicOrigin(String),
}

/// Locks `m`; a lock poisoned by a panic elsewhere is an internal error, not a panic here.
pub(crate) fn lock<T>(m: &Mutex<T>) -> Result<MutexGuard<'_, T>, ApiError> {
    m.lock()
        .map_err(|_| ApiError::internal("a lock is poisoned (a request panicked)"))
}

/// The files of a source set, by path.
/// `origin` as the server compares it (lower case, no trailing slash), if it is `http[s]://host[:port]`.
pub fn public_origin(origin: &str) -> Result<String, StartError> {
    let bad = || StartError::BadPublicOrigin(origin.to_owned());
    let trimmed = origin.trim_end_matches('/');
    let (scheme, authority) = trimmed.split_once("://").ok_or_else(bad)?;
    if !matches!(scheme, "http" | "https")
        || authority.is_empty()
        || authority.contains(['/', '?', '#', '@', ' '])
    {
        return Err(bad());
    }
    Ok(trimmed.to_ascii_lowercase())
}

impl AppState {
    /// Behind reverse proxies at `proxies`: a request from one of them is from the client its
    /// `X-Forwarded-For` names (the last address there that is not a trusted proxy), for the login limits.
    /// Requests from anywhere else are from their peer, whatever they send. Set once, before serving.
    pub fn trust_proxies(&self, proxies: Vec<std::net::IpAddr>) -> Result<(), StartError> {
        self.0
            .trusted_proxies
            .set(proxies)
            .map_err(|_| StartError::ProxiesAlreadySet)
    }

    /// Behind a reverse proxy that gives the server another `Host` than the browser asked for (nginx's `$host`
    /// drops a port that is not the scheme's), the origin browsers reach it at, e.g.
    /// `https://guarantor.example.org:8443`: the login form is then taken only from pages of that origin.
    /// Without it, the form's `Origin` must name the `Host` the request came with. Set once, before serving.
    pub fn set_public_origin(&self, origin: &str) -> Result<(), StartError> {
        let checked = public_origin(origin)?;
        self.0
            .public_origin
            .set(checked)
            .map_err(|_| StartError::BadPublicOrigin(origin.to_owned()))
    }

    /// The state over `store` (`db` names it in messages), with the scenario `sources` loaded at start: stored
    /// as a new version when it differs from the latest stored one, and the default for every request that
    /// names none.
    pub fn new(
        mut store: Box<dyn Store>,
        db: String,
        sources: &SourceSet,
    ) -> Result<AppState, StartError> {
        let checked = guarantor_app::check_scenario(sources).map_err(|d| {
            StartError::Scenario(
                d.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
        let name = checked.name().to_owned();
        let note = format!("loaded at start from {}", sources.origin);
        checked.store_if_changed(&mut *store, "server", &note)?;
        Ok(AppState(Arc::new(Inner {
            store: Mutex::new(store),
            db,
            default_scenario: name,
            scenarios: Mutex::new(HashMap::new()),
            restrictions: Mutex::new(HashMap::new()),
            released: Mutex::new(HashMap::new()),
            plans: Mutex::new(HashMap::new()),
            placers: Mutex::new(HashMap::new()),
            incidents: Mutex::new(HashMap::new()),
            jobs: Mutex::new(Vec::new()),
            next_job: AtomicU64::new(1),
            logins: Mutex::new(LoginLimiter::default()),
            trusted_proxies: std::sync::OnceLock::new(),
            public_origin: std::sync::OnceLock::new(),
        })))
    }
}

impl Inner {
    /// Scenario `name` (the default when `None`) at `version` (the latest when `None`), loaded once; an older
    /// version with what the versions since restrict restricted in it (every answer about it is released by
    /// the same rule as the latest). Blocking (the store).
    pub fn resolve(&self, name: Option<&str>, version: Option<u32>) -> Result<Resolved, ApiError> {
        let name = name.unwrap_or(&self.default_scenario).to_owned();
        let versions = lock(&self.store)?
            .scenario_versions(&name)
            .map_err(ApiError::internal)?;
        let Some(latest) = versions.last().map(|v| v.version) else {
            return Err(ApiError::not_found(format!("no scenario {name}")));
        };
        let version = version.unwrap_or(latest);
        let resolved = |scenario| Resolved {
            name: name.clone(),
            version,
            through: latest,
            scenario,
        };
        if !versions.iter().any(|v| v.version == version) {
            return Err(ApiError::not_found(format!(
                "scenario {name} has no version {version} (the latest is {latest})"
            )));
        }
        if version == latest {
            return Ok(resolved(self.own(&name, version, true)?));
        }
        if let Some((through, s)) = lock(&self.released)?.get(&(name.clone(), version))
            && *through == latest
        {
            return Ok(resolved(s.clone()));
        }
        let restrictions = self.restrictions(&name, &versions)?;
        let scenario = Arc::new(restrictions.apply(&*self.own(&name, version, true)?));
        lock(&self.released)?.insert((name.clone(), version), (latest, scenario.clone()));
        Ok(resolved(scenario))
    }

    /// A version as its own files say, loaded once when `keep` (else loaded, or taken if kept, and not kept).
    fn own(&self, name: &str, version: u32, keep: bool) -> Result<Arc<Scenario>, ApiError> {
        let key = (name.to_owned(), version);
        if let Some(s) = lock(&self.scenarios)?.get(&key) {
            return Ok(s.clone());
        }
        let files = lock(&self.store)?
            .scenario_files(name, version)
            .map_err(ApiError::internal)?
            .ok_or_else(|| {
                ApiError::not_found(format!("scenario {name} has no version {version}"))
            })?;
        let sources = SourceSet::from_files(&format!("{name}@{version}"), files);
        let loaded = guarantor_scenario::load(&sources).map_err(|d| {
            ApiError::internal(format!(
                "stored scenario {name}@{version} does not load: {}",
                d.first().map(ToString::to_string).unwrap_or_default()
            ))
        })?;
        let scenario = Arc::new(loaded.scenario);
        if keep {
            lock(&self.scenarios)?.insert(key, scenario.clone());
        }
        Ok(scenario)
    }

    /// The restrictions of scenario `name` through its latest version (`versions`, oldest first): folded once,
    /// then only the versions stored since.
    fn restrictions(
        &self,
        name: &str,
        versions: &[guarantor_store::ScenarioVersion],
    ) -> Result<Arc<guarantor_app::Restrictions>, ApiError> {
        let latest = versions.last().map_or(0, |v| v.version);
        let (through, known) = lock(&self.restrictions)?
            .get(name)
            .cloned()
            .unwrap_or_default();
        if through == latest {
            return Ok(known);
        }
        let mut next = (*known).clone();
        for v in versions.iter().filter(|v| v.version > through) {
            next.fold(&*self.own(name, v.version, v.version == latest)?);
        }
        let next = Arc::new(next);
        lock(&self.restrictions)?.insert(name.to_owned(), (latest, next.clone()));
        Ok(next)
    }

    /// The sources of a resolved version (to edit them). Blocking.
    pub fn sources(&self, r: &Resolved) -> Result<SourceSet, ApiError> {
        let files = lock(&self.store)?
            .scenario_files(&r.name, r.version)
            .map_err(ApiError::internal)?
            .ok_or_else(|| ApiError::not_found(format!("no scenario {}@{}", r.name, r.version)))?;
        Ok(SourceSet::from_files(
            &format!("{}@{}", r.name, r.version),
            files,
        ))
    }

    /// The plan of a resolved version in `world`, computed once. Blocking (the solver).
    pub fn plan(&self, r: &Resolved, world: &WorldState) -> Result<Arc<PlanEntry>, ApiError> {
        let key = (r.name.clone(), r.version, r.through, world.to_string());
        if let Some(p) = lock(&self.plans)?.get(&key) {
            return Ok(p.clone());
        }
        let (plan, report) =
            guarantor_app::plan_run(&r.scenario, world, &guarantor_app::INTERACTIVE_LIMITS)
                .map_err(ApiError::internal)?;
        let entry = Arc::new(PlanEntry {
            transport: guarantor_app::Hourly::new(&r.scenario).map_err(ApiError::internal)?,
            scenario: r.scenario.clone(),
            plan,
            report,
        });
        let mut plans = lock(&self.plans)?;
        if plans.len() >= MAX_PLANS {
            // Plans are recomputed on demand; the cache only saves time.
            plans.clear();
        }
        plans.insert(key, entry.clone());
        Ok(entry)
    }

    /// The geography of a resolved version indexed for placing reports, built once (a fifth of a second).
    pub fn placer(&self, r: &Resolved) -> Result<Arc<PlacerCell>, ApiError> {
        let key = (r.name.clone(), r.version);
        if let Some(p) = lock(&self.placers)?.get(&key) {
            return Ok(p.clone());
        }
        let cell = Arc::new(PlacerCell::new(r.scenario.clone(), |s| Placer::new(s)));
        let mut placers = lock(&self.placers)?;
        if placers.len() >= MAX_PLANS {
            placers.clear();
        }
        placers.insert(key, cell.clone());
        Ok(cell)
    }

    /// The store, its incidents formed for every report stored (reports another process stored on the same
    /// database, the CLI say, get theirs now). Blocking.
    pub fn fresh_store(&self) -> Result<MutexGuard<'_, Box<dyn Store>>, ApiError> {
        let mut store = lock(&self.store)?;
        guarantor_app::refresh_incidents(&mut **store, jiff::Timestamp::now())
            .map_err(ApiError::internal)?;
        Ok(store)
    }

    /// The stored incidents meeting `[from, to)` under a resolved version, placed and judged again only when
    /// the window holds other reports than last time (placing, judging and the responses of a busy day take
    /// tens of milliseconds; counting the window's reports, a fraction of one). Blocking.
    pub fn incidents(
        &self,
        r: &Resolved,
        from: Option<jiff::Timestamp>,
        to: Option<jiff::Timestamp>,
    ) -> Result<Arc<guarantor_app::IncidentsReport>, ApiError> {
        let key = (
            r.name.clone(),
            r.version,
            from.map(|t| t.as_microsecond()),
            to.map(|t| t.as_microsecond()),
        );
        let placer = self.placer(r)?;
        // The force today, as the plan answers have it (computed once per version): responses time from it.
        let today = self.plan(r, &r.scenario.today())?;
        let store = self.fresh_store()?;
        // Stored reports change only by revisions, which the store counts: the same count of the window and the
        // same revisions are the same reports, whoever stored them.
        let count = (
            store.count(from, to).map_err(ApiError::internal)?,
            store.revisions().map_err(ApiError::internal)?,
            // A report outside the window can change an incident in it: the incidents' own changes count.
            store.incident_generation().map_err(ApiError::internal)?,
        );
        if let Some((n, found)) = lock(&self.incidents)?.get(&key)
            && *n == count
        {
            return Ok(found.clone());
        }
        let report = Arc::new(
            guarantor_app::incidents_with(
                placer.borrow_dependent(),
                &**store,
                from,
                to,
                Some((&today.plan, &today.report.movement, &today.transport)),
            )
            .map_err(ApiError::internal)?,
        );
        let mut cache = lock(&self.incidents)?;
        if cache.len() >= 256 {
            cache.clear();
        }
        cache.insert(key, (count, report.clone()));
        Ok(report)
    }

    /// Registers a job and returns its id and progress counters.
    pub fn new_job(
        &self,
        owner: &str,
        kind: &'static str,
        r: &Resolved,
        world: &WorldState,
    ) -> Result<(u64, JobProgress), ApiError> {
        let mut jobs = lock(&self.jobs)?;
        let running = |j: &&Job| j.outcome.is_none();
        let mine = jobs
            .iter()
            .filter(running)
            .filter(|j| j.owner == owner)
            .count();
        if mine >= MAX_RUNNING_PER_USER || jobs.iter().filter(running).count() >= MAX_RUNNING {
            let mut e = ApiError::new(
                axum::http::StatusCode::TOO_MANY_REQUESTS,
                "busy",
                format!(
                    "{} jobs are running ({mine} of yours; at most {MAX_RUNNING_PER_USER} each, {MAX_RUNNING} in all): \
                     try again when one is done",
                    jobs.iter().filter(running).count()
                ),
            );
            e.retry_after = Some(10);
            return Err(e);
        }
        let id = self.next_job.fetch_add(1, Ordering::SeqCst);
        let progress = JobProgress {
            done: Arc::new(AtomicU64::new(0)),
            total: Arc::new(AtomicU64::new(0)),
            cancel: Arc::new(AtomicBool::new(false)),
        };
        if jobs.len() >= MAX_JOBS
            && let Some(i) = jobs.iter().position(|j| j.outcome.is_some())
        {
            jobs.remove(i);
        }
        jobs.push(Job {
            id,
            owner: owner.to_owned(),
            kind,
            scenario: r.name.clone(),
            version: r.version,
            world: world.to_string(),
            created: Timestamp::now(),
            done: progress.done.clone(),
            total: progress.total.clone(),
            cancel: progress.cancel.clone(),
            outcome: None,
        });
        Ok((id, progress))
    }

    /// Records a job's outcome.
    pub fn finish_job(&self, id: u64, outcome: Result<JobResult, String>) {
        if let Ok(mut jobs) = self.jobs.lock()
            && let Some(j) = jobs.iter_mut().find(|j| j.id == id)
        {
            j.outcome = Some(outcome);
        }
    }
}

/// A job's progress, as the app's use cases tell it.
pub(crate) struct JobProgress {
    pub done: Arc<AtomicU64>,
    pub total: Arc<AtomicU64>,
    pub cancel: Arc<AtomicBool>,
}

impl guarantor_app::Progress for JobProgress {
    fn begin(&self, _step: &str, total: u64) {
        self.total.store(total, Ordering::SeqCst);
        self.done.store(0, Ordering::SeqCst);
    }

    fn advance_to(&self, done: u64) {
        self.done.store(done, Ordering::SeqCst);
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }
}
