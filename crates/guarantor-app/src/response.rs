//! The response use case: what follows a violation, and how swiftly — for a planned contingency, a site, a
//! point or an incident, in a world state — composed from the sourced plan (which units stand where), the
//! movement engine at hour resolution (how fast anything crosses the network) and the response engine (which
//! options exist, who decides, the timeline). One code path answers the plan's reinforcement matrix, the
//! monitor's spot reports and `guarantor respond`, so the three give the same hours for the same question.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;

use geo_types::Point;
use guarantor_core::{
    Condition, ContingencyKind, NationCode, Needs, NodeId, Offer, ReserveKind, Role, Scenario,
    Site, TermId, WorldState, geodesic_km, whole_tonnes_up,
};
use guarantor_movement::{Mover, StepNet};
use guarantor_response::{Arrival, GroundSource, Load, Response, Situation, Transport, What};
use guarantor_sourcing::SourcingPlan;
use serde::Serialize;

use crate::PlanError;
use crate::movement::{MovementDto, reinforceable_sites};

/// Steps a day of the response's movement: hours.
pub const STEPS_PER_DAY: u32 = 24;

/// The movement engine at hour resolution as the response engine's transport, each answer kept (the same
/// loads come back for every site, every world state, every incident). A clone shares the answers kept: a
/// server keeps one per scenario version for every analysis of its incidents.
#[derive(Clone)]
pub struct Hourly(std::sync::Arc<HourlyInner>);

struct HourlyInner {
    net: StepNet,
    alone: Mutex<HashMap<(NodeId, Load), Arrival>>,
    together: Mutex<HashMap<Together, Curves>>,
}

/// The most build-ups kept: each is a few hundred numbers, and a server asks for new ones as long as it runs.
const MOST_KEPT: usize = 4096;

/// A build-up asked: the place, the loads (sorted) and the hours.
type Together = (NodeId, Vec<Load>, Vec<u32>);

/// Troops and tonnes received by the end of each hour asked.
type Curves = (Vec<u64>, Vec<u64>);

impl Hourly {
    /// The scenario's network, hour by hour over the response plan's horizon (hour 0 to the last day's end); the
    /// movement engine's error when the network is not one (a link to a node it does not have, which a checked
    /// scenario never has). A load or place at a node the network does not have never arrives (`unreachable`).
    pub fn new(scenario: &Scenario) -> Result<Hourly, guarantor_movement::MovementError> {
        let hours = scenario.response.horizon_days.max(1) * 24 + 1;
        let net = StepNet::new(&scenario.network, hours, STEPS_PER_DAY)?;
        Ok(Hourly(std::sync::Arc::new(HourlyInner {
            net,
            alone: Mutex::new(HashMap::new()),
            together: Mutex::new(HashMap::new()),
        })))
    }
}

fn mover(l: &Load) -> Mover {
    Mover {
        node: l.node.clone(),
        ready_step: l.ready_hour,
        troops: l.troops,
        tonnes: l.tonnes,
    }
}

impl Transport for Hourly {
    fn horizon_hours(&self) -> u32 {
        self.0.net.horizon()
    }

    fn alone(&self, dest: &NodeId, loads: &[Load]) -> Vec<Arrival> {
        // The cache is not held while the network is searched: other threads' answers go on meanwhile.
        let cache = || self.0.alone.lock().unwrap_or_else(|p| p.into_inner());
        let mut missing: Vec<&Load> = {
            let known = cache();
            loads
                .iter()
                .filter(|l| !known.contains_key(&(dest.clone(), (*l).clone())))
                .collect()
        };
        missing.sort();
        missing.dedup();
        if !missing.is_empty() {
            let movers: Vec<Mover> = missing.iter().map(|l| mover(l)).collect();
            // A node the network does not have (the engine's only error here): nothing arrives from it.
            let got = match self.0.net.alone(dest, &movers) {
                Ok(got) => got.into_iter().map(Some).collect(),
                Err(_) => vec![None; missing.len()],
            };
            for (l, a) in missing.into_iter().zip(got) {
                let arrival = match a {
                    Some(a) => Arrival {
                        first_hour: a.first_step,
                        closed_hour: a.closed_step,
                        not_closed: a.not_closed.map(|n| match n {
                            guarantor_movement::NotClosed::Unreachable => "unreachable",
                            guarantor_movement::NotClosed::Horizon => "horizon",
                        }),
                    },
                    None => Arrival {
                        first_hour: None,
                        closed_hour: None,
                        not_closed: Some("unreachable"),
                    },
                };
                cache().insert((dest.clone(), l.clone()), arrival);
            }
        }
        let known = cache();
        loads
            .iter()
            .map(|l| known[&(dest.clone(), l.clone())].clone())
            .collect()
    }

    fn lower_bound(&self, dest: &NodeId, load: &Load) -> Option<u32> {
        let mut bound = load.ready_hour;
        for (c, amount) in [
            (guarantor_movement::Commodity::Troops, load.troops),
            (guarantor_movement::Commodity::Tonnes, load.tonnes),
        ] {
            if amount > 0 {
                // A node the network does not have: it cannot reach `dest` at all.
                let steps = self
                    .0
                    .net
                    .fewest_steps(&load.node, dest, c)
                    .ok()
                    .flatten()?;
                bound = bound.max(load.ready_hour.saturating_add(steps));
            }
        }
        Some(bound)
    }

    fn together(&self, dest: &NodeId, loads: &[Load], hours: &[u32]) -> (Vec<u64>, Vec<u64>) {
        let mut key: Vec<Load> = loads.to_vec();
        key.sort();
        let key = (dest.clone(), key, hours.to_vec());
        if let Some(hit) = self
            .0
            .together
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
        {
            return hit.clone();
        }
        let movers: Vec<Mover> = loads.iter().map(mover).collect();
        // A node the network does not have: nothing is received there.
        let out = match self.0.net.buildup(dest, &movers, hours) {
            Ok(b) => (b.troops, b.tonnes),
            Err(_) => (vec![0; hours.len()], vec![0; hours.len()]),
        };
        let mut kept = self.0.together.lock().unwrap_or_else(|p| p.into_inner());
        if kept.len() >= MOST_KEPT {
            kept.clear();
        }
        kept.insert(key, out.clone());
        out
    }
}

/// What a response is asked about.
#[derive(Clone, Debug, PartialEq)]
pub enum Ask {
    /// A contingency of `response.toml`.
    Contingency(TermId),
    /// An attack on one of the force's sites.
    Site(guarantor_core::SiteId),
    /// An attack at a point: the threatened site is the reinforceable site nearest it.
    Point {
        /// Degrees north.
        lat: f64,
        /// Degrees east.
        lon: f64,
    },
    /// A stored incident of the monitoring (see `monitor::incident_ask`): the site nearest its best-located
    /// report, on its day.
    Incident {
        /// The incident's id in the monitoring store.
        id: u64,
        /// Degrees north (its best-located report).
        lat: f64,
        /// Degrees east.
        lon: f64,
        /// Its day from day 0 of the phases.
        day: Option<u32>,
    },
}

/// A problem with the question asked.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RespondError {
    /// No contingency with that id.
    #[error("no contingency `{0}` in response.toml (`guarantor respond --list` lists them)")]
    UnknownContingency(String),
    /// No site with that id, or one no reinforcement can go to.
    #[error(
        "`{0}` is not a site reinforcements can go to (a land site with a network node, not a logistics hub)"
    )]
    NotReinforceable(String),
    /// The scenario has no site a reinforcement can go to.
    #[error("the scenario has no site reinforcements can go to")]
    NoSite,
    /// A nation left out that the scenario does not have.
    #[error("no nation `{0}` in the scenario")]
    UnknownNation(String),
}

/// The force sourced in `world`, as it stands: what [`Posture::respond`] answers from.
pub fn posture<'s>(scenario: &'s Scenario, world: &WorldState) -> Result<Posture<'s>, PlanError> {
    Posture::new(scenario, guarantor_sourcing::source(scenario, world)?)
}

/// The force as it stands in one world state: the sourced plan, when each unit arrives, and the network at hour
/// resolution — what every response in that world state is computed from.
pub struct Posture<'s> {
    scenario: &'s Scenario,
    world: WorldState,
    plan: Cow<'s, SourcingPlan>,
    movement: Cow<'s, MovementDto>,
    transport: Hourly,
}

impl<'s> Posture<'s> {
    /// The posture of `plan` (sourced in its world state); movement is computed here.
    pub fn new(scenario: &'s Scenario, plan: SourcingPlan) -> Result<Posture<'s>, PlanError> {
        let movement = crate::movement::move_force(scenario, &plan)?;
        Ok(Posture::with_movement(
            scenario,
            Cow::Owned(plan),
            Cow::Owned(movement),
            Hourly::new(scenario)?,
        ))
    }

    /// The posture of `plan` with its movement already computed, and a transport (whose answers it keeps)
    /// to share with other postures of the same scenario.
    pub fn with_movement(
        scenario: &'s Scenario,
        plan: Cow<'s, SourcingPlan>,
        movement: Cow<'s, MovementDto>,
        transport: Hourly,
    ) -> Posture<'s> {
        Posture {
            scenario,
            world: plan.world.clone(),
            plan,
            movement,
            transport,
        }
    }

    /// The transport, to hand to the next posture.
    pub fn into_transport(self) -> Hourly {
        self.transport
    }

    /// The world state.
    pub fn world(&self) -> &WorldState {
        &self.world
    }

    /// The sourced plan.
    pub fn plan(&self) -> &SourcingPlan {
        &self.plan
    }

    /// The movement of the plan.
    pub fn movement(&self) -> &MovementDto {
        &self.movement
    }

    /// The day a contingency is assumed when none is given: the start of the mission's last phase, when the
    /// force stands.
    pub fn standing_day(&self) -> u32 {
        self.scenario
            .mission
            .phases
            .last()
            .map_or(0, |p| p.start_day)
    }

    /// The ground forces that could move on `day`: network.toml's reserves; the force's deterrence units that
    /// have arrived by then (in theatre, at their sites, ready at once); the live pledges' units the plan left
    /// unassigned (at home, at their notice). One unit each, with its condition and caveats.
    pub fn ground_sources(&self, day: u32) -> Vec<GroundSource> {
        ground_sources(self.scenario, &self.plan, &self.movement, day)
    }

    /// The force's troops at `site` by `day`.
    pub fn in_place_troops(&self, site: &guarantor_core::SiteId, day: u32) -> u64 {
        self.movement
            .units
            .iter()
            .filter(|u| u.site == site.as_str() && u.arrival_day.is_some_and(|d| d <= day))
            .map(|u| u.troops)
            .sum()
    }

    /// For each capability, the first ground unit to close at `site` when it is attacked on `day` with the
    /// first `tiers` tiers in force (see [`guarantor_response::fastest_ground`]).
    pub fn fastest_at(
        &self,
        site: &Site,
        day: u32,
        tiers: usize,
    ) -> Vec<guarantor_response::Element> {
        let dest = self
            .scenario
            .site_node(&site.id)
            .unwrap_or_else(|| unreachable!("reinforceable sites have nodes"));
        let sources = self.ground_sources(day);
        let none = BTreeSet::new();
        let situation = Situation {
            scenario: self.scenario,
            world: &self.world,
            kind: ContingencyKind::AttackOnSite,
            site,
            dest,
            objective: site.location,
            origin: None,
            needs: &self.scenario.response.default_needs,
            tiers,
            sources: &sources,
            in_place_troops: self.in_place_troops(&site.id, day),
            without: &none,
            detail: guarantor_response::Detail::Fastest,
        };
        guarantor_response::fastest_ground(&situation, &self.transport)
    }

    /// The response to a contingency at `site` (with its objective, origin and needs) on `day`, with the first
    /// `tiers` tiers in force and `without` left out, computed to `detail`.
    #[allow(clippy::too_many_arguments)]
    pub fn respond_at(
        &self,
        kind: ContingencyKind,
        site: &Site,
        objective: Point<f64>,
        origin: Option<Point<f64>>,
        needs: &Needs,
        day: u32,
        tiers: usize,
        without: &BTreeSet<NationCode>,
        detail: guarantor_response::Detail,
    ) -> Response {
        let scenario = self.scenario;
        let dest = scenario
            .site_node(&site.id)
            .unwrap_or_else(|| unreachable!("reinforceable sites have nodes"));
        let sources = self.ground_sources(day);
        let situation = Situation {
            scenario,
            world: &self.world,
            kind,
            site,
            dest,
            objective,
            origin,
            needs,
            tiers,
            sources: &sources,
            in_place_troops: self.in_place_troops(&site.id, day),
            without,
            detail,
        };
        guarantor_response::respond(&situation, &self.transport)
    }

    /// `guarantor respond`: the response to `ask` on `day` (default: once the force stands), every tier in
    /// force, `without` left out.
    pub fn respond(
        &self,
        ask: &Ask,
        day: Option<u32>,
        without: &BTreeSet<NationCode>,
    ) -> Result<ResponseReport, RespondError> {
        let scenario = self.scenario;
        for n in without {
            if scenario.nation(n).is_none() {
                return Err(RespondError::UnknownNation(n.to_string()));
            }
        }
        let sites = reinforceable_sites(scenario);
        let plan = &scenario.response;
        let (id, name, kind, site, objective, origin, needs, c_day) = match ask {
            Ask::Contingency(id) => {
                let c = plan
                    .contingency(id)
                    .ok_or_else(|| RespondError::UnknownContingency(id.to_string()))?;
                let site = match &c.site {
                    Some(s) => *sites
                        .iter()
                        .find(|x| &x.id == s)
                        .ok_or_else(|| RespondError::NotReinforceable(s.to_string()))?,
                    None => nearest(&sites, c.objective).ok_or(RespondError::NoSite)?,
                };
                (
                    Some(c.id.to_string()),
                    c.name.clone(),
                    c.kind,
                    site,
                    c.objective,
                    c.origin,
                    c.needs.clone(),
                    c.day,
                )
            }
            Ask::Site(id) => {
                let site = *sites
                    .iter()
                    .find(|x| &x.id == id)
                    .ok_or_else(|| RespondError::NotReinforceable(id.to_string()))?;
                (
                    None,
                    format!("Attack on {}", site.name),
                    ContingencyKind::AttackOnSite,
                    site,
                    site.location,
                    None,
                    plan.default_needs.clone(),
                    None,
                )
            }
            Ask::Point { lat, lon } | Ask::Incident { lat, lon, .. } => {
                let p = &Point::new(*lon, *lat);
                let site = nearest(&sites, *p).ok_or(RespondError::NoSite)?;
                let (name, day) = match ask {
                    Ask::Incident { id, day, .. } => (
                        format!("Incident #{id} at {:.4}, {:.4}", p.y(), p.x()),
                        *day,
                    ),
                    _ => (format!("Attack at {:.4}, {:.4}", p.y(), p.x()), None),
                };
                (
                    None,
                    name,
                    ContingencyKind::AttackOnSite,
                    site,
                    *p,
                    None,
                    plan.default_needs.clone(),
                    day,
                )
            }
        };
        let day = day.or(c_day).unwrap_or_else(|| self.standing_day());
        let r = self.respond_at(
            kind,
            site,
            objective,
            origin,
            &needs,
            day,
            plan.tiers.len(),
            without,
            guarantor_response::Detail::Buildup,
        );
        let mut report = ResponseReport::new(
            scenario,
            &self.world,
            ContingencyDto {
                id,
                name,
                kind: kind.as_str(),
                site: site.id.to_string(),
                site_name: site.name.clone(),
                objective: LatLon::of(objective),
                origin: origin.map(LatLon::of),
                day,
            },
            &needs,
            without,
            &r,
        );
        report.cost =
            crate::cost::response_cost(scenario, &r, site.id.as_str(), &self.ground_sources(day));
        Ok(report)
    }

    /// The reinforcement matrix for `sites` on `day`: for each site and each capability that can reinforce it,
    /// the ground unit first closed there, every tier in force — decision, notice and movement.
    pub fn fastest(&self, sites: &[&Site], day: u32) -> Vec<crate::movement::ReinforcementDto> {
        let tiers = self.scenario.response.tiers.len();
        // Every core: the sites are independent searches over the same posture.
        crate::cores::map(sites, |site| {
            self.fastest_at(site, day, tiers)
                .iter()
                .filter_map(|e| reinforcement_cell(site, e))
                .collect::<Vec<_>>()
        })
        .into_iter()
        .flatten()
        .collect()
    }
}

/// A ground element that closed, as a cell of the reinforcement matrix.
pub(crate) fn reinforcement_cell(
    site: &Site,
    e: &guarantor_response::Element,
) -> Option<crate::movement::ReinforcementDto> {
    let (What::Troops { capability, .. }, Some(hours)) = (&e.what, e.closed_hour) else {
        return None;
    };
    Some(crate::movement::ReinforcementDto {
        site: site.id.to_string(),
        capability: capability.to_string(),
        hours,
        days: hours.div_ceil(24),
        decision_hours: e.decision_hours,
        notice_hours: e.notice_hours,
        move_hours: hours.saturating_sub(e.ready_hour),
        source: e.label.clone(),
        option: e.option.to_string(),
        source_kind: source_kind(&e.label),
        nation: e
            .nation
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    })
}

/// `in_theatre`, `forward_presence` or `home`, from a ground element's label (see [`ground_sources`]).
fn source_kind(label: &str) -> &'static str {
    if label.starts_with("deployed:") {
        "in_theatre"
    } else if label.starts_with("pledge:") {
        "home"
    } else {
        "reserve"
    }
}

/// The reinforceable site nearest `p`.
fn nearest<'a>(sites: &[&'a Site], p: Point<f64>) -> Option<&'a Site> {
    sites
        .iter()
        .map(|s| (geodesic_km(s.location, p), *s))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, s)| s)
}

/// A unit label unique among several: `base` alone for one, `base#k` for the `k`-th of several.
fn numbered(base: &str, k: u32, of: u32) -> String {
    if of > 1 {
        format!("{base}#{k}")
    } else {
        base.to_owned()
    }
}

/// See [`Posture::ground_sources`].
pub(crate) fn ground_sources(
    scenario: &Scenario,
    plan: &SourcingPlan,
    movement: &MovementDto,
    day: u32,
) -> Vec<GroundSource> {
    let mut out = Vec::new();
    let size = |c: &guarantor_core::CapabilityId| {
        scenario
            .capability(c)
            .map(|c| (u64::from(c.personnel), whole_tonnes_up(c.tonnes)))
    };
    for r in &scenario.network.reserves {
        let Some((troops, tonnes)) = size(&r.capability) else {
            continue;
        };
        for k in 1..=r.count {
            out.push(GroundSource {
                label: numbered(r.id.as_str(), k, r.count),
                kind: r.kind,
                nation: r.nation.clone(),
                pledge: None,
                capability: r.capability.clone(),
                node: r.node.clone(),
                troops,
                tonnes,
                notice_hours: r.notice_days.saturating_mul(24),
                condition: r.condition.clone(),
                caveats: Default::default(),
                restricted: false,
            });
        }
    }
    // The force's deterrence units that have arrived, numbered per pledge and site.
    let deterrence: BTreeSet<&str> = scenario
        .requirements
        .iter()
        .filter(|r| r.role == Role::Deterrence)
        .map(|r| r.id.as_str())
        .collect();
    let mut count: BTreeMap<(&str, &str), u32> = BTreeMap::new();
    for u in &movement.units {
        if deterrence.contains(u.requirement.as_str()) {
            *count.entry((&u.pledge, &u.site)).or_default() += 1;
        }
    }
    let mut seen: BTreeMap<(&str, &str), u32> = BTreeMap::new();
    for u in &movement.units {
        if !deterrence.contains(u.requirement.as_str()) {
            continue;
        }
        let k = seen.entry((&u.pledge, &u.site)).or_default();
        *k += 1;
        if u.arrival_day.is_none_or(|d| d > day) {
            continue;
        }
        let (Some(pledge), Some(node)) = (
            scenario.pledges.iter().find(|p| p.id.as_str() == u.pledge),
            scenario
                .sites
                .iter()
                .find(|s| s.id.as_str() == u.site)
                .and_then(|s| scenario.site_node(&s.id)),
        ) else {
            continue;
        };
        let of = count[&(u.pledge.as_str(), u.site.as_str())];
        out.push(GroundSource {
            label: numbered(&format!("deployed:{}@{}", u.pledge, u.site), *k, of),
            kind: ReserveKind::InTheatre,
            nation: pledge.nation.clone(),
            pledge: Some(pledge.id.clone()),
            capability: pledge_capability(pledge)
                .unwrap_or_else(|| unreachable!("a sourced unit comes from a units pledge")),
            node: node.clone(),
            troops: u.troops,
            tonnes: u.tonnes,
            notice_hours: 0,
            // Deployed in this world state: its condition holds; its caveats let it stand where it is, and
            // are asked again of the site it would go to.
            condition: Condition::True,
            caveats: pledge.caveats.clone(),
            restricted: pledge.restricted,
        });
    }
    let mut assigned: BTreeMap<&guarantor_core::PledgeId, u32> = BTreeMap::new();
    for a in plan.lines.iter().flat_map(|l| &l.assignments) {
        *assigned.entry(&a.pledge).or_default() += a.units;
    }
    for pledge in &scenario.pledges {
        let Offer::Units { capability, count } = &pledge.offer else {
            continue;
        };
        let spare = count.saturating_sub(assigned.get(&pledge.id).copied().unwrap_or(0));
        let (Some(nation), Some((troops, tonnes))) =
            (scenario.nation(&pledge.nation), size(capability))
        else {
            continue;
        };
        if pledge.status == guarantor_core::PledgeStatus::Withdrawn {
            continue;
        }
        for k in 1..=spare {
            out.push(GroundSource {
                label: numbered(&format!("pledge:{}", pledge.id), k, spare),
                kind: ReserveKind::Home,
                nation: nation.code.clone(),
                pledge: Some(pledge.id.clone()),
                capability: capability.clone(),
                node: nation.home.clone(),
                troops,
                tonnes,
                notice_hours: pledge.notice_days.saturating_mul(24),
                condition: pledge.condition.clone(),
                caveats: pledge.caveats.clone(),
                restricted: pledge.restricted,
            });
        }
    }
    out
}

fn pledge_capability(p: &guarantor_core::Pledge) -> Option<guarantor_core::CapabilityId> {
    match &p.offer {
        Offer::Units { capability, .. } => Some(capability.clone()),
        _ => None,
    }
}

/// A position.
#[derive(Clone, Debug, Serialize)]
pub struct LatLon {
    /// Degrees north.
    pub lat: f64,
    /// Degrees east.
    pub lon: f64,
}

impl LatLon {
    fn of(p: Point<f64>) -> LatLon {
        LatLon {
            lat: p.y(),
            lon: p.x(),
        }
    }
}

/// The contingency a response answers.
#[derive(Clone, Debug, Serialize)]
pub struct ContingencyDto {
    /// Its id in response.toml, for a planned one.
    pub id: Option<String>,
    /// Name.
    pub name: String,
    /// `attack_on_site`, `offensive`, `energy_strikes` or `attack_on_force`.
    pub kind: &'static str,
    /// The force's site threatened: where ground forces and stockpiles go.
    pub site: String,
    /// Its name.
    pub site_name: String,
    /// The place attacked or the objective.
    pub objective: LatLon,
    /// Where the attack comes from.
    pub origin: Option<LatLon>,
    /// The day it happens, from day 0 of the phases.
    pub day: u32,
}

/// Quantities at the place: needed, or there by a time.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct AmountsDto {
    /// Ground troops.
    pub troops: u64,
    /// Tonnes of materiel for Ukraine's forces.
    pub tonnes: u64,
    /// Air sorties a day.
    pub sorties_per_day: f64,
    /// Missiles launched at the attacking forces.
    pub missiles: u32,
    /// Warships.
    pub ships: u32,
}

impl AmountsDto {
    fn of(n: &Needs) -> AmountsDto {
        AmountsDto {
            troops: n.troops,
            tonnes: n.tonnes,
            sorties_per_day: n.sorties_per_day,
            missiles: n.missiles,
            ships: n.ships,
        }
    }
}

/// What is at the place by an hour.
#[derive(Clone, Debug, Serialize)]
pub struct TimelinePointDto {
    /// Hours from the violation.
    pub hour: u32,
    /// What is there by then.
    #[serde(flatten)]
    pub have: AmountsDto,
}

/// What is there at a checkpoint against what is needed.
#[derive(Clone, Debug, Serialize)]
pub struct CheckpointDto {
    /// Hours from the violation (24, 72, a week, the horizon).
    pub hour: u32,
    /// What is there by then.
    pub have: AmountsDto,
    /// What is still missing (0 where the need is met).
    pub gap: AmountsDto,
}

/// One decision.
#[derive(Clone, Debug, Serialize)]
pub struct DecisionDto {
    /// The decider's id.
    pub decider: String,
    /// Who.
    pub name: String,
    /// How long.
    pub hours: u32,
}

/// One element of the response.
#[derive(Clone, Debug, Serialize)]
pub struct ElementDto {
    /// The option that brings it.
    pub option: String,
    /// Its tier.
    pub tier: String,
    /// The option's id, or the reserve's or pledge's label.
    pub label: String,
    /// Whose (empty: the coalition's).
    pub nation: String,
    /// `troops`, `materiel`, `sorties`, `missiles`, `ships` or `measure`.
    pub kind: &'static str,
    /// For troops: the capability; for materiel: the item.
    pub what: String,
    /// Troops it brings.
    pub troops: u64,
    /// Tonnes it brings (a unit's equipment, or the materiel).
    pub tonnes: u64,
    /// Aircraft.
    pub aircraft: u32,
    /// Sorties a day.
    pub sorties_per_day: f64,
    /// Missiles in all.
    pub missiles: u32,
    /// Ships.
    pub ships: u32,
    /// The decisions before it moves, in order.
    pub decisions: Vec<DecisionDto>,
    /// Their hours added up.
    pub decision_hours: u32,
    /// Notice to move.
    pub notice_hours: u32,
    /// Decision + notice.
    pub ready_hour: u32,
    /// From ready to first acting at the place (movement, flight or sailing); `null` when it does not.
    pub move_hours: Option<u32>,
    /// Visible only to its nation and to planners (its option or the pledge behind it is restricted).
    pub restricted: bool,
    /// Where it starts: a network node (a reserve's or unit's, a stockpile's depot, a base).
    pub from: Option<String>,
    /// Great-circle distance from its base, for aircraft, missiles and ships.
    pub distance_km: Option<f64>,
    /// When it first acts at the place.
    pub first_hour: Option<u32>,
    /// When it is all there.
    pub closed_hour: Option<u32>,
    /// Why it is not there within the horizon.
    pub not_closed: Option<&'static str>,
}

/// An option, reserve or stockpile that takes no part.
#[derive(Clone, Debug, Serialize)]
pub struct ExcludedDto {
    /// The option.
    pub option: String,
    /// Its tier.
    pub tier: String,
    /// The option's id, or the reserve's or pledge's label.
    pub label: String,
    /// Whose.
    pub nation: String,
    /// Visible only to its nation and to planners.
    pub restricted: bool,
    /// `condition`, `left_out`, `caveat`, `out_of_reach`, `not_at_sea` or `released_by`.
    pub reason: &'static str,
    /// In words.
    pub detail: String,
}

/// When a tier is decided and first acts.
#[derive(Clone, Debug, Serialize)]
pub struct TierDto {
    /// Id.
    pub tier: String,
    /// Name.
    pub name: String,
    /// Meant to act within.
    pub target_hours: u32,
    /// Decided by its deciders at.
    pub decided_hour: u32,
    /// Its first element acts at.
    pub first_hour: Option<u32>,
}

/// The first of each kind of help to act at the place.
#[derive(Clone, Debug, Serialize)]
pub struct FirstDto {
    /// `troops:<capability>`, `materiel`, `sorties`, `missiles`, `ships` or `measure`.
    pub what: String,
    /// When.
    pub hour: u32,
    /// Which element.
    pub label: String,
}

/// `guarantor respond --json`.
#[derive(Clone, Debug, Serialize)]
pub struct ResponseReport {
    /// Scenario name.
    pub scenario: String,
    /// The world state.
    pub world: String,
    /// The contingency.
    pub contingency: ContingencyDto,
    /// Nations left out.
    pub without: Vec<String>,
    /// What it needs.
    pub needs: AmountsDto,
    /// Hours followed.
    pub horizon_hours: u32,
    /// The force already at the site.
    pub in_place_troops: u64,
    /// The tiers in force.
    pub tiers: Vec<TierDto>,
    /// The first of each kind of help.
    pub first: Vec<FirstDto>,
    /// At 24 h, 72 h, a week and the horizon: what is there and the gap.
    pub checkpoints: Vec<CheckpointDto>,
    /// Hour by hour for the first week, then day by day.
    pub timeline: Vec<TimelinePointDto>,
    /// What responds.
    pub elements: Vec<ElementDto>,
    /// What takes no part, and why.
    pub excluded: Vec<ExcludedDto>,
    /// What the response costs beyond the plan over its horizon (`null` without a cost model).
    pub cost: Option<crate::cost::ResponseCostDto>,
}

/// The first of each kind of help to act at the place: troops by capability, materiel, sorties, missiles,
/// ships, measures; soonest first.
pub fn first_of_each(r: &Response) -> Vec<FirstDto> {
    let mut first: BTreeMap<String, (u32, String)> = BTreeMap::new();
    for e in &r.elements {
        let Some(h) = e.first_hour else { continue };
        let what = match &e.what {
            What::Troops { capability, .. } => format!("troops:{capability}"),
            other => other.kind().to_owned(),
        };
        let cell = first.entry(what).or_insert((h, e.label.clone()));
        if h < cell.0 {
            *cell = (h, e.label.clone());
        }
    }
    let mut first: Vec<FirstDto> = first
        .into_iter()
        .map(|(what, (hour, label))| FirstDto { what, hour, label })
        .collect();
    first.sort_by(|a, b| (a.hour, &a.what).cmp(&(b.hour, &b.what)));
    first
}

impl ResponseReport {
    /// The response as someone sees it who may not see the restricted elements outside `own` (their nation's):
    /// each such element is taken out and counted in one `withheld` element (its troops and tonnes, no timing,
    /// nothing that names it); what is left out and restricted is not listed; the first of each kind and each
    /// tier's first action are of what is shown; the build-up stays the true total.
    pub fn withheld_from(&self, own: Option<&str>) -> ResponseReport {
        let hidden = |restricted: bool, nation: &str| restricted && own != Some(nation);
        let mut out = self.clone();
        let (shown, withheld): (Vec<ElementDto>, Vec<ElementDto>) = self
            .elements
            .iter()
            .cloned()
            .partition(|e| !hidden(e.restricted, &e.nation));
        out.elements = shown;
        if !withheld.is_empty() {
            out.elements.push(ElementDto {
                option: crate::WITHHELD.to_owned(),
                tier: String::new(),
                label: crate::WITHHELD.to_owned(),
                nation: crate::WITHHELD.to_owned(),
                kind: "withheld",
                what: String::new(),
                troops: withheld.iter().map(|e| e.troops).sum(),
                tonnes: withheld.iter().map(|e| e.tonnes).sum(),
                aircraft: 0,
                sorties_per_day: 0.0,
                missiles: 0,
                ships: 0,
                decisions: Vec::new(),
                decision_hours: 0,
                notice_hours: 0,
                ready_hour: 0,
                move_hours: None,
                restricted: true,
                from: None,
                distance_km: None,
                first_hour: None,
                closed_hour: None,
                not_closed: None,
            });
        }
        out.excluded.retain(|x| !hidden(x.restricted, &x.nation));
        out.cost = self.cost.as_ref().map(|c| c.withheld_from(own));
        let mut first: BTreeMap<String, (u32, String)> = BTreeMap::new();
        for e in out.elements.iter().filter(|e| e.kind != "withheld") {
            let Some(h) = e.first_hour else { continue };
            let what = if e.kind == "troops" {
                format!("troops:{}", e.what)
            } else {
                e.kind.to_owned()
            };
            let cell = first.entry(what).or_insert((h, e.label.clone()));
            if h < cell.0 {
                *cell = (h, e.label.clone());
            }
        }
        let mut first: Vec<FirstDto> = first
            .into_iter()
            .map(|(what, (hour, label))| FirstDto { what, hour, label })
            .collect();
        first.sort_by(|a, b| (a.hour, &a.what).cmp(&(b.hour, &b.what)));
        out.first = first;
        for t in &mut out.tiers {
            t.first_hour = out
                .elements
                .iter()
                .filter(|e| e.tier == t.tier)
                .filter_map(|e| e.first_hour)
                .min();
        }
        out
    }
}

pub use guarantor_response::timeline_hours;

/// What is at the place by `hour`: the build-up at that hour of the timeline (or the last before it).
fn have(r: &Response, hour: u32) -> AmountsDto {
    let Some((b, t)) = r.buildup.as_ref().and_then(|b| Some((b, b.at(hour)?))) else {
        return AmountsDto::default();
    };
    AmountsDto {
        troops: b.troops.get(t).copied().unwrap_or(0),
        tonnes: b.tonnes.get(t).copied().unwrap_or(0),
        sorties_per_day: b.sorties_per_day.get(t).copied().unwrap_or(0.0),
        missiles: b.missiles.get(t).copied().unwrap_or(0),
        ships: b.ships.get(t).copied().unwrap_or(0),
    }
}

impl ResponseReport {
    fn new(
        scenario: &Scenario,
        world: &WorldState,
        contingency: ContingencyDto,
        needs: &Needs,
        without: &BTreeSet<NationCode>,
        r: &Response,
    ) -> ResponseReport {
        let need = AmountsDto::of(needs);
        let last = r.horizon_hours.saturating_sub(1);
        let mut checkpoints: Vec<u32> = vec![24, 72, 168, last];
        checkpoints.retain(|&h| h <= last);
        checkpoints.dedup();
        let checkpoints = checkpoints
            .into_iter()
            .map(|hour| {
                let have = have(r, hour);
                let gap = AmountsDto {
                    troops: need.troops.saturating_sub(have.troops),
                    tonnes: need.tonnes.saturating_sub(have.tonnes),
                    sorties_per_day: (need.sorties_per_day - have.sorties_per_day).max(0.0),
                    missiles: need.missiles.saturating_sub(have.missiles),
                    ships: need.ships.saturating_sub(have.ships),
                };
                CheckpointDto { hour, have, gap }
            })
            .collect();
        let first = first_of_each(r);
        ResponseReport {
            scenario: scenario.name.clone(),
            world: world.to_string(),
            contingency,
            without: without.iter().map(ToString::to_string).collect(),
            needs: need,
            horizon_hours: r.horizon_hours,
            in_place_troops: r.in_place_troops,
            tiers: r
                .tiers
                .iter()
                .map(|t| TierDto {
                    tier: t.tier.to_string(),
                    name: t.name.clone(),
                    target_hours: t.target_hours,
                    decided_hour: t.decided_hour,
                    first_hour: t.first_hour,
                })
                .collect(),
            first,
            checkpoints,
            timeline: timeline_hours(r.horizon_hours)
                .into_iter()
                .map(|hour| TimelinePointDto {
                    hour,
                    have: have(r, hour),
                })
                .collect(),
            elements: r.elements.iter().map(element_dto).collect(),
            excluded: r
                .excluded
                .iter()
                .map(|x| ExcludedDto {
                    option: x.option.to_string(),
                    tier: x.tier.to_string(),
                    label: x.label.clone(),
                    nation: x
                        .nation
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    restricted: x.restricted,
                    reason: x.reason.code(),
                    detail: x.reason.to_string(),
                })
                .collect(),
            cost: None,
        }
    }
}

fn element_dto(e: &guarantor_response::Element) -> ElementDto {
    let mut dto = ElementDto {
        option: e.option.to_string(),
        tier: e.tier.to_string(),
        label: e.label.clone(),
        nation: e
            .nation
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        kind: e.what.kind(),
        what: String::new(),
        troops: 0,
        tonnes: 0,
        aircraft: 0,
        sorties_per_day: 0.0,
        missiles: 0,
        ships: 0,
        decisions: e
            .decisions
            .iter()
            .map(|d| DecisionDto {
                decider: d.decider.to_string(),
                name: d.name.clone(),
                hours: d.hours,
            })
            .collect(),
        decision_hours: e.decision_hours,
        notice_hours: e.notice_hours,
        ready_hour: e.ready_hour,
        move_hours: e.first_hour.map(|f| f.saturating_sub(e.ready_hour)),
        restricted: e.restricted,
        from: e.from.as_ref().map(ToString::to_string),
        distance_km: e.distance_km.map(|k| (k * 10.0).round() / 10.0),
        first_hour: e.first_hour,
        closed_hour: e.closed_hour,
        not_closed: e.not_closed,
    };
    match &e.what {
        What::Troops {
            capability,
            troops,
            tonnes,
        } => {
            dto.what = capability.to_string();
            dto.troops = *troops;
            dto.tonnes = *tonnes;
        }
        What::Materiel { item, tonnes, .. } => {
            dto.what = item.clone();
            dto.tonnes = *tonnes;
        }
        What::Sorties { aircraft, per_day } => {
            dto.aircraft = *aircraft;
            dto.sorties_per_day = *per_day;
        }
        What::Missiles { missiles, .. } => dto.missiles = *missiles,
        What::Ships { ships } => dto.ships = *ships,
        What::Measure => {}
    }
    dto
}

/// Every planned contingency, for `guarantor respond --list`.
#[derive(Clone, Debug, Serialize)]
pub struct ContingencyLine {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: &'static str,
    /// The site named, if any.
    pub site: Option<String>,
}

/// The planned contingencies of `scenario`.
pub fn contingencies(scenario: &Scenario) -> Vec<ContingencyLine> {
    scenario
        .response
        .contingencies
        .iter()
        .map(|c| ContingencyLine {
            id: c.id.to_string(),
            name: c.name.clone(),
            kind: c.kind.as_str(),
            site: c.site.as_ref().map(ToString::to_string),
        })
        .collect()
}

/// How one site fares in one world state: the first ground unit of each capability and the first help of each
/// kind (see [`guarantor_response::Detail::Fastest`]), and what of it acts within 72 hours.
#[derive(Clone, Debug, Serialize)]
pub struct SiteResponseDto {
    /// The site.
    pub site: String,
    /// Its network node (where ground forces and stockpiles go).
    pub dest: String,
    /// The first ground unit to close there, of any capability.
    pub first_troops_hour: Option<u32>,
    /// Capabilities with a unit closed within 72 hours.
    pub capabilities_by_72h: usize,
    /// Sorties a day over it at 72 hours.
    pub sorties_per_day_at_72h: f64,
    /// Tonnes of the stockpiles that can each be there within 72 hours (each alone on the network).
    pub stockpile_tonnes_by_72h: u64,
    /// The first unit of each capability: where from, ready when, first and last received.
    pub fastest: Vec<FastestDto>,
    /// The first help of each kind.
    pub first: Vec<FirstDto>,
}

/// The first unit of a capability to close at a site.
#[derive(Clone, Debug, Serialize)]
pub struct FastestDto {
    /// Capability.
    pub capability: String,
    /// The unit.
    pub label: String,
    /// The option that releases it.
    pub option: String,
    /// Its nation.
    pub nation: String,
    /// Its node.
    pub from: String,
    /// Decisions + notice.
    pub ready_hour: u32,
    /// Its troops.
    pub troops: u64,
    /// Its equipment.
    pub tonnes: u64,
    /// First received at the site.
    pub first_hour: Option<u32>,
    /// All received.
    pub closed_hour: Option<u32>,
}

/// One world state's response at every site.
#[derive(Clone, Debug, Serialize)]
pub struct StateResponseDto {
    /// The world state.
    pub world: String,
    /// Each fact's value.
    pub facts: BTreeMap<String, bool>,
    /// The slowest site's first ground unit (`null` when some site gets none within the horizon).
    pub worst_first_troops_hour: Option<u32>,
    /// Sites some ground unit reaches within 72 hours.
    pub sites_reached_by_72h: usize,
    /// Sorties a day at 72 hours, summed over the sites (each site's own air cover).
    pub sorties_per_day_at_72h: f64,
    /// Each site.
    pub sites: Vec<SiteResponseDto>,
}

/// A nation's weight in the response: the base world state without it.
#[derive(Clone, Debug, Serialize)]
pub struct NationResponseDto {
    /// ISO alpha-3.
    pub nation: String,
    /// The slowest site's first ground unit without it.
    pub worst_first_troops_hour: Option<u32>,
    /// Sites reached within 72 hours without it.
    pub sites_reached_by_72h: usize,
    /// Sorties a day at 72 hours without it.
    pub sorties_per_day_at_72h: f64,
    /// Hours the slowest site waits longer without it (`null` when some site is no longer reached).
    pub delay_hours: Option<u32>,
    /// Sorties a day lost at 72 hours.
    pub sorties_lost: f64,
}

/// `guarantor respond --whatif --json`: an attack on every reinforceable site in every world state.
#[derive(Clone, Debug, Serialize)]
pub struct ResponseWhatIf {
    /// `guarantor.response-whatif.v1`.
    pub format: &'static str,
    /// Scenario name.
    pub scenario: String,
    /// The base world state.
    pub base: String,
    /// The day the attacks happen.
    pub day: u32,
    /// Hours followed.
    pub horizon_hours: u32,
    /// Distinct sourced plans behind the states.
    pub distinct_plans: usize,
    /// Every world state, worst first (fewest sites reached within 72 hours, then the slowest).
    pub states: Vec<StateResponseDto>,
    /// The nations of the base state's response, the one whose absence weighs most first.
    pub critical_nations: Vec<NationResponseDto>,
    /// Wall-clock seconds the responses took (sourcing excluded).
    pub seconds: f64,
}

/// The response at every site in one posture.
fn every_site(
    posture: &Posture<'_>,
    sites: &[&Site],
    day: u32,
    without: &BTreeSet<NationCode>,
) -> (Vec<SiteResponseDto>, BTreeSet<NationCode>) {
    let scenario = posture.scenario;
    let mut taking_part = BTreeSet::new();
    let rows = sites
        .iter()
        .map(|site| {
            let r = posture.respond_at(
                ContingencyKind::AttackOnSite,
                site,
                site.location,
                None,
                &scenario.response.default_needs,
                day,
                scenario.response.tiers.len(),
                without,
                guarantor_response::Detail::Fastest,
            );
            taking_part.extend(r.elements.iter().filter_map(|e| e.nation.clone()));
            let by72 = |e: &&guarantor_response::Element| e.first_hour.is_some_and(|h| h <= 72);
            let fastest: Vec<FastestDto> = r
                .elements
                .iter()
                .filter_map(|e| {
                    let What::Troops {
                        capability,
                        troops,
                        tonnes,
                    } = &e.what
                    else {
                        return None;
                    };
                    e.closed_hour?;
                    Some(FastestDto {
                        capability: capability.to_string(),
                        label: e.label.clone(),
                        option: e.option.to_string(),
                        nation: e
                            .nation
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                        from: e.from.as_ref().map(ToString::to_string).unwrap_or_default(),
                        ready_hour: e.ready_hour,
                        troops: *troops,
                        tonnes: *tonnes,
                        first_hour: e.first_hour,
                        closed_hour: e.closed_hour,
                    })
                })
                .collect();
            SiteResponseDto {
                site: site.id.to_string(),
                dest: scenario
                    .site_node(&site.id)
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                first_troops_hour: fastest.iter().filter_map(|f| f.closed_hour).min(),
                capabilities_by_72h: fastest
                    .iter()
                    .filter(|f| f.closed_hour.is_some_and(|h| h <= 72))
                    .count(),
                sorties_per_day_at_72h: r
                    .elements
                    .iter()
                    .filter(by72)
                    .map(|e| match e.what {
                        What::Sorties { per_day, .. } => per_day,
                        _ => 0.0,
                    })
                    .sum(),
                stockpile_tonnes_by_72h: r
                    .elements
                    .iter()
                    .filter(|e| e.closed_hour.is_some_and(|h| h <= 72))
                    .map(|e| match e.what {
                        What::Materiel { tonnes, .. } => tonnes,
                        _ => 0,
                    })
                    .sum(),
                fastest,
                first: first_of_each(&r),
            }
        })
        .collect();
    (rows, taking_part)
}

/// The slowest site's first unit, sites reached by 72 h, sorties at 72 h.
fn totals(sites: &[SiteResponseDto]) -> (Option<u32>, usize, f64) {
    let worst = sites
        .iter()
        .map(|s| s.first_troops_hour)
        .collect::<Option<Vec<u32>>>()
        .map(|v| v.into_iter().max().unwrap_or(0));
    let reached = sites
        .iter()
        .filter(|s| s.first_troops_hour.is_some_and(|h| h <= 72))
        .count();
    let sorties = sites.iter().map(|s| s.sorties_per_day_at_72h).sum();
    (worst, reached, sorties)
}

/// Who matters most: the response at every site in `posture`'s world state without each nation in
/// `taking_part`, against `base` (the same without nobody), the one whose absence weighs most first.
fn critical_nations(
    posture: &Posture<'_>,
    sites: &[&Site],
    day: u32,
    base: &[SiteResponseDto],
    taking_part: BTreeSet<NationCode>,
) -> Vec<NationResponseDto> {
    let (base_worst, _, base_sorties) = totals(base);
    let mut critical: Vec<NationResponseDto> = taking_part
        .into_iter()
        .map(|nation| {
            let without = BTreeSet::from([nation.clone()]);
            let (rows, _) = every_site(posture, sites, day, &without);
            let (worst, reached, sorties) = totals(&rows);
            NationResponseDto {
                nation: nation.to_string(),
                worst_first_troops_hour: worst,
                sites_reached_by_72h: reached,
                sorties_per_day_at_72h: sorties,
                delay_hours: match (worst, base_worst) {
                    (Some(w), Some(b)) => Some(w.saturating_sub(b)),
                    _ => None,
                },
                sorties_lost: (base_sorties - sorties).max(0.0),
            }
        })
        .collect();
    critical.sort_by(|a, b| {
        // A nation without which a site is no longer reached weighs most; then the delay, then sorties.
        let key =
            |n: &NationResponseDto| (n.delay_hours.is_some(), std::cmp::Reverse(n.delay_hours));
        key(a)
            .cmp(&key(b))
            .then(b.sorties_lost.total_cmp(&a.sorties_lost))
            .then(a.nation.cmp(&b.nation))
    });
    critical
}

/// `guarantor respond --whatif`: an attack on every reinforceable site on `day` (default: once the force
/// stands), in every world state over the facts the pledges name (from `base`), each state's force sourced (the
/// distinct sets of live pledges once each, on every core); and who matters most in the base state (each nation
/// of its response left out in turn).
///
/// Each state's sourcing solves its secondary goals within `limits` ([`INTERACTIVE_LIMITS`](crate::INTERACTIVE_LIMITS)
/// where someone waits for the answer).
pub fn response_whatif(
    scenario: &Scenario,
    base: &WorldState,
    day: Option<u32>,
    limits: &crate::SourcingLimits,
    progress: &(dyn crate::Progress + Sync),
) -> Result<ResponseWhatIf, PlanError> {
    let threads = std::thread::available_parallelism().unwrap_or(std::num::NonZeroUsize::MIN);
    let started = std::sync::Once::new();
    let guarantor_sourcing::EveryWorld {
        worlds,
        plans,
        plan_of,
    } = guarantor_sourcing::source_every_world(scenario, base, threads, limits, &|done, all| {
        started.call_once(|| progress.begin("responses: sourcing each world state", all as u64));
        crate::progress::told(progress, done)
    })?;
    progress.end();
    let started = std::time::Instant::now();
    progress.begin(
        "responses: every site in each world state",
        worlds.len() as u64,
    );
    let movements: Vec<MovementDto> = plans
        .iter()
        .map(|p| crate::movement::move_force(scenario, p))
        .collect::<Result<_, _>>()?;
    let sites = reinforceable_sites(scenario);
    let none = BTreeSet::new();
    let mut transport = Some(Hourly::new(scenario)?);
    let mut day_used = 0;
    let mut states = Vec::with_capacity(worlds.len());
    let mut critical = Vec::new();
    for (n, (world, &p)) in worlds.iter().zip(&plan_of).enumerate() {
        let mut plan = plans[p].clone();
        plan.world = world.clone();
        let posture = Posture::with_movement(
            scenario,
            Cow::Owned(plan),
            Cow::Borrowed(&movements[p]),
            match transport.take() {
                Some(t) => t,
                None => Hourly::new(scenario)?,
            },
        );
        let d = day.unwrap_or_else(|| posture.standing_day());
        day_used = d;
        let (site_rows, taking_part) = every_site(&posture, &sites, d, &none);
        let (worst, reached, sorties) = totals(&site_rows);
        if world == base {
            // Who matters most: the base state without each nation that takes part in its response.
            critical = critical_nations(&posture, &sites, d, &site_rows, taking_part);
        }
        states.push(StateResponseDto {
            world: world.to_string(),
            facts: world.iter().map(|(f, v)| (f.to_string(), v)).collect(),
            worst_first_troops_hour: worst,
            sites_reached_by_72h: reached,
            sorties_per_day_at_72h: sorties,
            sites: site_rows,
        });
        transport = Some(posture.into_transport());
        progress.advance_to(n as u64 + 1);
        if progress.cancelled() {
            return Err(guarantor_sourcing::SolveError::Cancelled.into());
        }
    }
    progress.end();
    let seconds = started.elapsed().as_secs_f64();
    states.sort_by(|a, b| {
        (
            a.sites_reached_by_72h,
            std::cmp::Reverse(a.worst_first_troops_hour.unwrap_or(u32::MAX)),
        )
            .cmp(&(
                b.sites_reached_by_72h,
                std::cmp::Reverse(b.worst_first_troops_hour.unwrap_or(u32::MAX)),
            ))
            .then(
                a.sorties_per_day_at_72h
                    .total_cmp(&b.sorties_per_day_at_72h),
            )
            .then(a.world.cmp(&b.world))
    });
    Ok(ResponseWhatIf {
        format: "guarantor.response-whatif.v1",
        scenario: scenario.name.clone(),
        base: base.to_string(),
        day: day_used,
        horizon_hours: scenario.response.horizon_days.max(1) * 24 + 1,
        distinct_plans: plans.len(),
        states,
        critical_nations: critical,
        seconds,
    })
}
