//! Who may do what, and what each user may see (issue #7).
//!
//! Four roles: a **planner** does everything; a **monitor** ingests reports and reads incidents; a **liaison**
//! officer of nation X edits X's pledges and reads the plan; an **observer** reads published results.
//!
//! Releasability: a pledge marked `restricted` is seen only by its nation and by planners; a pledge whose
//! `caveats.restricted` is set shows its caveats only to them. Everything a user is shown passes through the
//! `release_*` functions here — the API, the dashboard and every export — so no interface decides it alone.
//! A pledge the viewer may not see is *withheld*: it is renamed `withheld-1`, `withheld-2`, … (numbered in id
//! order, not telling whose) and its troops are counted under the nation `withheld`, so every total stays true
//! and no nation's figure tells what it has pledged in confidence. The plan itself is always computed on the
//! whole scenario: one plan, shown to each as releasable.

use std::collections::{BTreeMap, BTreeSet};

use guarantor_core::{NationCode, Offer, Pledge, PledgeId, Scenario, WorldState};
use guarantor_sourcing::{ShortfallReason, SourcingPlan};
use serde_json::{Map, Value, json};

use crate::{PlanReport, Summary, WhatIfReport};

/// What a withheld nation or pledge is called.
pub const WITHHELD: &str = "withheld";

/// A user's role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// Everything.
    Planner,
    /// Incidents and reports.
    Monitor,
    /// A nation's liaison officer: its own pledges in full, others only as releasable.
    Liaison(NationCode),
    /// Reads published results.
    Observer,
}

/// Something a role may or may not do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// Read scenarios' summaries and versions (as releasable).
    ReadScenario,
    /// Store a new scenario or a new version of one.
    LoadScenario,
    /// List pledges (as releasable).
    ReadPledges,
    /// Create or update pledges (a liaison officer: its own nation's only).
    EditPledges,
    /// Compute the plan and the what-if table for any version and world state (as releasable).
    ReadPlan,
    /// Choose which plan is published.
    Publish,
    /// Read the published plan (as releasable).
    ReadPublished,
    /// Send monitoring reports.
    IngestReports,
    /// Read incidents and daily reports.
    ReadIncidents,
    /// Read the audit log.
    ReadAudit,
    /// List accounts.
    ManageUsers,
}

impl Permission {
    /// Every permission.
    pub const ALL: [Permission; 11] = [
        Permission::ReadScenario,
        Permission::LoadScenario,
        Permission::ReadPledges,
        Permission::EditPledges,
        Permission::ReadPlan,
        Permission::Publish,
        Permission::ReadPublished,
        Permission::IngestReports,
        Permission::ReadIncidents,
        Permission::ReadAudit,
        Permission::ManageUsers,
    ];
}

impl Role {
    /// The role names, as stored and typed.
    pub const NAMES: [&'static str; 4] = ["planner", "monitor", "liaison", "observer"];

    /// The role `name`; a liaison officer needs the nation it speaks for, the others take none.
    pub fn parse(name: &str, nation: Option<&str>) -> Result<Role, String> {
        match (name, nation) {
            ("liaison", Some(code)) => NationCode::new(code)
                .map(Role::Liaison)
                .map_err(|e| format!("nation: {e}")),
            ("liaison", None) => Err("a liaison officer needs a nation (e.g. FRA)".into()),
            ("planner" | "monitor" | "observer", Some(code)) => Err(format!(
                "only a liaison officer speaks for a nation; a {name} takes none (got {code})"
            )),
            ("planner", None) => Ok(Role::Planner),
            ("monitor", None) => Ok(Role::Monitor),
            ("observer", None) => Ok(Role::Observer),
            _ => Err(format!(
                "role {name}: expected one of {}",
                Role::NAMES.join(", ")
            )),
        }
    }

    /// The role's name.
    pub fn name(&self) -> &'static str {
        match self {
            Role::Planner => "planner",
            Role::Monitor => "monitor",
            Role::Liaison(_) => "liaison",
            Role::Observer => "observer",
        }
    }

    /// The nation a liaison officer speaks for.
    pub fn nation(&self) -> Option<&NationCode> {
        match self {
            Role::Liaison(n) => Some(n),
            _ => None,
        }
    }

    /// Whether the role may do `p` at all (a liaison officer's edits are further limited to its nation).
    pub fn may(&self, p: Permission) -> bool {
        use Permission as P;
        match self {
            Role::Planner => true,
            Role::Monitor => matches!(
                p,
                P::ReadScenario | P::ReadPublished | P::IngestReports | P::ReadIncidents
            ),
            Role::Liaison(_) => matches!(
                p,
                P::ReadScenario
                    | P::ReadPledges
                    | P::EditPledges
                    | P::ReadPlan
                    | P::ReadPublished
                    | P::ReadIncidents
            ),
            Role::Observer => matches!(p, P::ReadScenario | P::ReadPublished | P::ReadIncidents),
        }
    }
}

/// Someone looking: a user and their role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Viewer {
    /// The user's name.
    pub name: String,
    /// Their role.
    pub role: Role,
}

impl Viewer {
    /// Whether the viewer sees everything (a planner).
    pub fn sees_all(&self) -> bool {
        self.role == Role::Planner
    }

    fn own(&self, p: &Pledge) -> bool {
        self.role.nation() == Some(&p.nation)
    }

    /// Whether the viewer may see pledge `p` at all.
    pub fn sees_pledge(&self, p: &Pledge) -> bool {
        !p.restricted || self.sees_all() || self.own(p)
    }

    /// Whether the viewer may see `p`'s caveats.
    pub fn sees_caveats(&self, p: &Pledge) -> bool {
        self.sees_pledge(p) && (!p.caveats.restricted || self.sees_all() || self.own(p))
    }

    /// Whether the viewer may create or change a pledge of `nation`.
    pub fn may_edit_pledge_of(&self, nation: &NationCode) -> bool {
        match &self.role {
            Role::Planner => true,
            Role::Liaison(own) => own == nation,
            _ => false,
        }
    }
}

/// What is withheld from one viewer.
struct Withheld {
    /// Each withheld pledge and the name it is shown under.
    pledges: BTreeMap<PledgeId, PledgeId>,
    /// The pledges whose caveats are withheld (the pledge itself shown).
    caveats: BTreeSet<PledgeId>,
    /// The code the withheld pledges' nation takes inside the computation (shown as [`WITHHELD`]).
    code: NationCode,
}

impl Withheld {
    fn of(scenario: &Scenario, viewer: &Viewer) -> Withheld {
        let mut pledges = BTreeMap::new();
        let mut hidden: Vec<&PledgeId> = scenario
            .pledges
            .iter()
            .filter(|p| !viewer.sees_pledge(p))
            .map(|p| &p.id)
            .collect();
        hidden.sort();
        for (k, id) in hidden.into_iter().enumerate() {
            if let Ok(shown) = PledgeId::new(&format!("{WITHHELD}-{}", k + 1)) {
                pledges.insert(id.clone(), shown);
            }
        }
        let caveats = scenario
            .pledges
            .iter()
            .filter(|p| viewer.sees_pledge(p) && !viewer.sees_caveats(p))
            .map(|p| p.id.clone())
            .collect();
        // A code no nation of the scenario uses.
        let code = ["ZZZ", "ZZY", "ZZX", "ZZW"]
            .iter()
            .filter_map(|c| NationCode::new(c).ok())
            .find(|c| scenario.nation(c).is_none())
            .unwrap_or_else(|| scenario.nations[0].code.clone());
        Withheld {
            pledges,
            caveats,
            code,
        }
    }

    fn is_empty(&self) -> bool {
        self.pledges.is_empty() && self.caveats.is_empty()
    }

    fn pledge(&self, id: &PledgeId) -> PledgeId {
        self.pledges.get(id).cloned().unwrap_or_else(|| id.clone())
    }

    /// A nation code as shown: the computation's code for withheld pledges becomes [`WITHHELD`].
    fn nation(&self, code: &str) -> String {
        if code == self.code.as_str() {
            WITHHELD.to_owned()
        } else {
            code.to_owned()
        }
    }

    /// A pledge id (as text) as shown.
    fn pledge_text(&self, id: &str) -> String {
        self.pledges
            .iter()
            .find(|(k, _)| k.as_str() == id)
            .map_or_else(|| id.to_owned(), |(_, v)| v.to_string())
    }

    /// `text` with every withheld pledge id (as a whole word) replaced by its shown name.
    fn scrub(&self, text: &str) -> String {
        let is_id = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        let mut out = String::with_capacity(text.len());
        let mut word = String::new();
        for c in text.chars().chain(std::iter::once('\0')) {
            if is_id(c) {
                word.push(c);
                continue;
            }
            if !word.is_empty() {
                out.push_str(&self.pledge_text(&word));
                word.clear();
            }
            if c != '\0' {
                out.push(c);
            }
        }
        out
    }

    /// The scenario with every withheld pledge renamed and given to the withheld nation (added, with no
    /// figures of its own), for computing what the viewer is shown.
    fn scenario(&self, scenario: &Scenario) -> Scenario {
        let mut s = scenario.clone();
        if self.pledges.is_empty() {
            return s;
        }
        for p in &mut s.pledges {
            if let Some(shown) = self.pledges.get(&p.id) {
                p.id = shown.clone();
                p.nation = self.code.clone();
                p.source = WITHHELD.to_owned();
                if let Offer::Materiel { item, .. } = &mut p.offer {
                    *item = WITHHELD.to_owned();
                }
            }
        }
        let mut nation = scenario.nations[0].clone();
        nation.code = self.code.clone();
        nation.name = "withheld (restricted pledges)".to_owned();
        nation.population_m = 0.0;
        nation.gdp_usd_bn = 0.0;
        nation.defence_usd_bn = 0.0;
        nation.active_forces = 0;
        nation.max_troops = None;
        nation.parliament_vote_days = None;
        nation.memberships.clear();
        s.nations.push(nation);
        s
    }

    /// The engine's plan with withheld pledges renamed and their troops moved to the withheld nation.
    fn plan(&self, plan: &SourcingPlan) -> SourcingPlan {
        let mut p = plan.clone();
        if self.pledges.is_empty() {
            return p;
        }
        // Troops moved, by nation and by (site, nation).
        let mut moved: BTreeMap<NationCode, u64> = BTreeMap::new();
        let mut moved_at: BTreeMap<(String, NationCode), u64> = BTreeMap::new();
        for line in &mut p.lines {
            for a in &mut line.assignments {
                if self.pledges.contains_key(&a.pledge) {
                    *moved.entry(a.nation.clone()).or_default() += a.troops;
                    *moved_at
                        .entry((line.site.to_string(), a.nation.clone()))
                        .or_default() += a.troops;
                    a.pledge = self.pledge(&a.pledge);
                    a.nation = self.code.clone();
                }
            }
            for r in &mut line.shortfall_reasons {
                match r {
                    ShortfallReason::Withdrawn { pledges }
                    | ShortfallReason::CommittedElsewhere { pledges } => {
                        for id in pledges.iter_mut() {
                            *id = self.pledge(id);
                        }
                    }
                    ShortfallReason::ConditionsFalse { pledges } => {
                        for (id, sets) in pledges.iter_mut() {
                            if self.pledges.contains_key(id) {
                                // Which facts would unlock it is part of the pledge.
                                sets.clear();
                                *id = self.pledge(id);
                            }
                        }
                    }
                    ShortfallReason::CaveatedOut { pledges } => {
                        for (id, _) in pledges.iter_mut() {
                            *id = self.pledge(id);
                        }
                    }
                    ShortfallReason::NationCap { .. }
                    | ShortfallReason::NoPledge
                    | ShortfallReason::TooFewNations { .. } => {}
                }
            }
        }
        // In the file's order, a withheld row's place would hint at its nation.
        for line in &mut p.lines {
            line.assignments.sort_by(|a, b| {
                (a.nation.as_str(), a.pledge.as_str()).cmp(&(b.nation.as_str(), b.pledge.as_str()))
            });
        }
        let total: u64 = moved.values().sum();
        for n in &mut p.nations {
            n.troops -= moved.get(&n.nation).copied().unwrap_or(0).min(n.troops);
        }
        p.nations.push(guarantor_sourcing::NationLoad {
            nation: self.code.clone(),
            troops: total,
            fair_share_troops: 0,
            cap: None,
        });
        for site in &mut p.sites {
            let mut withheld = 0;
            for (n, t) in &mut site.nations {
                let m = moved_at
                    .get(&(site.site.to_string(), n.clone()))
                    .copied()
                    .unwrap_or(0)
                    .min(*t);
                *t -= m;
                withheld += m;
            }
            site.nations.retain(|(_, t)| *t > 0);
            if withheld > 0 {
                site.nations.push((self.code.clone(), withheld));
            }
            site.nations
                .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            // The framework nation is the largest contingent as the viewer sees them.
            if site.framework_nation.is_some() {
                site.framework_nation = site.nations.first().map(|(n, _)| n.clone());
            }
        }
        p
    }
}

/// Whether each pledge — and each response option — ever stored in a scenario's versions is restricted (and its
/// caveats), as the last version that holds it says: what a nation restricts now — or restricts and then
/// deletes — stays withheld in every version before (a version where it was restricted itself stays so too).
/// Built by folding the versions in, oldest first; an older version is released from [`Restrictions::apply`],
/// never from its own flags alone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Restrictions {
    pledges: BTreeMap<PledgeId, (bool, bool)>,
    options: BTreeMap<guarantor_core::TermId, (bool, bool)>,
}

impl Restrictions {
    /// Folds in the next version: the flags of the pledges it holds replace what the versions before said; a
    /// pledge it no longer holds keeps the flags of the last version that did.
    pub fn fold(&mut self, next: &Scenario) {
        for p in &next.pledges {
            self.pledges
                .insert(p.id.clone(), (p.restricted, p.caveats.restricted));
        }
        for o in &next.response.options {
            self.options
                .insert(o.id.clone(), (o.restricted, o.caveats.restricted));
        }
    }

    /// `older` with every pledge (and caveat) restricted in it or in the last version holding it restricted.
    pub fn apply(&self, older: &Scenario) -> Scenario {
        let mut s = older.clone();
        for p in &mut s.pledges {
            if let Some(&(pledge, caveats)) = self.pledges.get(&p.id) {
                p.restricted |= pledge;
                p.caveats.restricted |= caveats;
            }
        }
        for o in &mut s.response.options {
            if let Some(&(option, caveats)) = self.options.get(&o.id) {
                o.restricted |= option;
                o.caveats.restricted |= caveats;
            }
        }
        s
    }
}

/// The scenario's summary as `viewer` may see it.
pub fn release_summary(scenario: &Scenario, world: &WorldState, viewer: &Viewer) -> Summary {
    let w = Withheld::of(scenario, viewer);
    if w.pledges.is_empty() {
        return crate::summary(scenario, world);
    }
    let mut s = crate::summary(&w.scenario(scenario), world);
    s.totals.nations -= 1;
    for n in &mut s.nations {
        if n.nation == w.code.as_str() {
            // The facts withheld pledges wait on are theirs.
            n.waiting_on.clear();
        }
        n.nation = w.nation(&n.nation);
    }
    s
}

/// The plan (`plan` and `full`, its JSON for a planner, from [`crate::plan_run`]) as `viewer` may see it.
pub fn release_plan(
    scenario: &Scenario,
    plan: &SourcingPlan,
    full: &PlanReport,
    viewer: &Viewer,
) -> PlanReport {
    let w = Withheld::of(scenario, viewer);
    if w.is_empty() {
        return full.clone();
    }
    let s = w.scenario(scenario);
    let p = w.plan(plan);
    // A withheld pledge (by its shown name) tells no caveats either.
    let shown_caveats =
        |id: &PledgeId| !w.caveats.contains(id) && !w.pledges.values().any(|shown| shown == id);
    let violations = full
        .sourcing
        .violations
        .iter()
        .map(|v| w.scrub(v))
        .collect();
    let mut sourcing = crate::sourcing::sourcing_dto(&s, &p, violations, &shown_caveats);
    for line in &mut sourcing.lines {
        for a in &mut line.assignments {
            a.nation = w.nation(&a.nation);
        }
        for r in &mut line.shortfall_reasons {
            r.nations = r.nations.iter().map(|n| w.nation(n)).collect();
        }
    }
    for n in &mut sourcing.nations {
        n.nation = w.nation(&n.nation);
    }
    for site in &mut sourcing.sites {
        site.framework_nation = site.framework_nation.as_deref().map(|n| w.nation(n));
        for (n, _) in &mut site.nations {
            *n = w.nation(n);
        }
        // Withheld troops are no nation of their own: they may be of a nation already counted.
        site.nations_present = site.nations.iter().filter(|(n, _)| n != WITHHELD).count();
    }
    let mut movement = full.movement.clone();
    let hidden = |pledge: &str| w.pledge_text(pledge) != pledge;
    for u in &mut movement.units {
        if hidden(&u.pledge) {
            u.pledge = w.pledge_text(&u.pledge);
            u.nation = WITHHELD.to_owned();
            u.origin = u.origin.as_ref().map(|_| WITHHELD.to_owned());
        }
    }
    for x in &mut movement.stockpiles {
        if hidden(&x.pledge) {
            x.pledge = w.pledge_text(&x.pledge);
            x.nation = WITHHELD.to_owned();
            x.item = WITHHELD.to_owned();
            x.depot = WITHHELD.to_owned();
        }
    }
    // In the file's order, a withheld row's place would hint at its nation.
    movement.units.sort_by(|a, b| {
        (&a.requirement, &a.nation, &a.pledge).cmp(&(&b.requirement, &b.nation, &b.pledge))
    });
    movement
        .stockpiles
        .sort_by(|a, b| (&a.site, &a.nation, &a.pledge).cmp(&(&b.site, &b.nation, &b.pledge)));
    // Rotation: the totals are the plan's own; each nation's row is of what the viewer may see of it (its
    // own cycle), and the withheld pledges have no row (the stand-in nation has no cycle of its own) and no
    // warnings (their figures are theirs).
    let mut rotation = crate::rotation::rotate_force(&s, &p, &movement);
    rotation.months = full.rotation.months.clone();
    rotation.peak_deployed = full.rotation.peak_deployed;
    rotation.peak_committed = full.rotation.peak_committed;
    rotation.capabilities = full.rotation.capabilities.clone();
    rotation.steady_deployed = full.rotation.steady_deployed;
    rotation.steady_committed = full.rotation.steady_committed;
    rotation.committed_per_deployed = full.rotation.committed_per_deployed;
    for x in &mut rotation.not_arrived {
        x.nation = w.nation(&x.nation);
    }
    rotation.nations.retain(|n| n.nation != w.code.as_str());
    rotation.warnings.retain(|x| {
        x.nation != w.code.as_str()
            && x.pledge
                .as_deref()
                .is_none_or(|id| !w.pledges.values().any(|shown| shown.as_str() == id))
    });
    let rotation_not_arrived = rotation.not_arrived.clone();
    // The rotation is of when the units arrive; what is shown of a withheld one is not (its notice and its
    // hidden home would tell its nation).
    for u in movement.units.iter_mut().filter(|u| u.nation == WITHHELD) {
        u.ready_day = None;
        u.troops_day = None;
        u.tonnes_day = None;
        u.arrival_day = None;
        u.not_closed = None;
    }
    for x in movement
        .stockpiles
        .iter_mut()
        .filter(|x| x.nation == WITHHELD)
    {
        x.ready_day = None;
        x.arrival_day = None;
        x.not_closed = None;
    }
    let mut reinforcement = full.reinforcement.clone();
    for r in &mut reinforcement {
        let scrubbed = w.scrub(&r.source);
        if scrubbed != r.source {
            r.source = scrubbed;
            r.nation = WITHHELD.to_owned();
        }
    }
    PlanReport {
        scenario: full.scenario.clone(),
        world: full.world.clone(),
        sourcing,
        rotation,
        movement,
        reinforcement,
        responses: full
            .responses
            .iter()
            .map(|r| release_response(r, viewer))
            .collect(),
        unanswered: full.unanswered.clone(),
        cost: crate::cost::cost_plan(scenario, plan, &full.movement).and_then(|c| {
            crate::cost::cost_dto(
                scenario,
                &c,
                rotation_not_arrived,
                &|n, p| {
                    if p.is_some_and(|p| w.pledges.contains_key(p)) {
                        WITHHELD.to_owned()
                    } else {
                        n.to_string()
                    }
                },
                &|n| n.to_string(),
            )
        }),
    }
}

/// A response as `viewer` may see it: a restricted element (its option or the pledge behind it restricted) is
/// shown, with its timing, only to its nation and to planners; others see the response without it, its troops
/// and tonnes under `withheld`, the build-up still the true total.
pub fn release_response(report: &crate::ResponseReport, viewer: &Viewer) -> crate::ResponseReport {
    if viewer.sees_all() {
        return report.clone();
    }
    report.withheld_from(viewer.role.nation().map(NationCode::as_str))
}

/// The what-if table as `viewer` may see it: a nation whose pledges are partly withheld from the viewer is
/// left out of the critical nations (its loss would tell what it pledged in confidence).
pub fn release_whatif(scenario: &Scenario, report: &WhatIfReport, viewer: &Viewer) -> WhatIfReport {
    let w = Withheld::of(scenario, viewer);
    let mut out = report.clone();
    if w.pledges.is_empty() {
        return out;
    }
    let partly: BTreeSet<&str> = scenario
        .pledges
        .iter()
        .filter(|p| w.pledges.contains_key(&p.id))
        .map(|p| p.nation.as_str())
        .collect();
    out.critical_nations
        .retain(|c| !partly.contains(c.nation.as_str()));
    out
}

/// A pledge as JSON, with the same keys as a `[[pledge]]` table of `pledges.toml` (so what is read can be
/// edited and sent back); its caveats are `null` and `caveats_withheld` true when they are not shown.
pub fn pledge_json(p: &Pledge, shows_caveats: bool) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(p.id.as_str()));
    m.insert("nation".into(), json!(p.nation.as_str()));
    match &p.offer {
        Offer::Units { capability, count } => {
            m.insert("kind".into(), json!("units"));
            m.insert("capability".into(), json!(capability.as_str()));
            m.insert("count".into(), json!(count));
        }
        Offer::Materiel {
            item,
            quantity,
            tonnes,
            depot,
            site,
        } => {
            m.insert("kind".into(), json!("materiel"));
            m.insert("item".into(), json!(item));
            m.insert("quantity".into(), json!(quantity));
            m.insert("tonnes".into(), json!(tonnes));
            m.insert("depot".into(), json!(depot.as_str()));
            if let Some(site) = site {
                m.insert("site".into(), json!(site.as_str()));
            }
        }
        Offer::Enabler {
            kind,
            capacity,
            capacity_unit,
        } => {
            m.insert("kind".into(), json!("enabler"));
            m.insert("enabler".into(), json!(kind.as_str()));
            m.insert("capacity".into(), json!(capacity));
            m.insert("capacity_unit".into(), json!(capacity_unit));
        }
    }
    m.insert("notice_days".into(), json!(p.notice_days));
    if let Some(s) = p.sustain_months {
        m.insert("sustain_months".into(), json!(s));
    }
    if let Some(r) = p.rotations {
        m.insert("rotations".into(), json!(r));
    }
    m.insert("status".into(), json!(p.status.as_str()));
    if p.condition != guarantor_core::Condition::True {
        m.insert("condition".into(), json!(p.condition.to_string()));
    }
    m.insert("restricted".into(), json!(p.restricted));
    if shows_caveats {
        let c = &p.caveats;
        let mut cm = Map::new();
        let names = |set: Option<Vec<&str>>| set.map(|v| json!(v));
        if let Some(v) = names(
            c.roles
                .as_ref()
                .map(|s| s.iter().map(|r| r.as_str()).collect()),
        ) {
            cm.insert("roles".into(), v);
        }
        if let Some(v) = names(
            c.regions
                .as_ref()
                .map(|s| s.iter().map(|r| r.as_str()).collect()),
        ) {
            cm.insert("regions".into(), v);
        }
        if let Some(km) = c.min_km_from_line {
            cm.insert("min_km_from_line".into(), json!(km));
        }
        if let Some(v) = names(
            c.domains
                .as_ref()
                .map(|s| s.iter().map(|d| d.as_str()).collect()),
        ) {
            cm.insert("domains".into(), v);
        }
        if c.restricted {
            cm.insert("restricted".into(), json!(true));
        }
        if !cm.is_empty() {
            m.insert("caveats".into(), Value::Object(cm));
        }
    } else {
        m.insert("caveats".into(), Value::Null);
        m.insert("caveats_withheld".into(), json!(true));
    }
    m.insert("source".into(), json!(p.source));
    Value::Object(m)
}

/// The pledges `viewer` may see, in file order, as JSON ([`pledge_json`]).
pub fn release_pledges(scenario: &Scenario, viewer: &Viewer) -> Vec<Value> {
    scenario
        .pledges
        .iter()
        .filter(|p| viewer.sees_pledge(p))
        .map(|p| pledge_json(p, viewer.sees_caveats(p)))
        .collect()
}
