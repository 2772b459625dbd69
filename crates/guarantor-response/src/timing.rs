//! The response timeline of one contingency in one world state.

use std::collections::{BTreeMap, BTreeSet};

use geo_types::Point;
use guarantor_core::{
    CapabilityId, ContingencyKind, DeciderKind, NationCode, Needs, NodeId, OWN_SEA_KM_PER_DAY,
    Offer, OptionForce, PledgeId, ReserveKind, ResponseOption, Role, SEA_DETOUR, Scenario, Site,
    SiteKind, TermId, WorldState, geodesic_km, whole_tonnes_up,
};

use crate::{GroundSource, Load, Transport};

/// What the engine is asked: a contingency at a place, in a world state.
#[derive(Clone, Debug)]
pub struct Situation<'a> {
    /// The scenario (its response plan, nations, pledges, network and theatre).
    pub scenario: &'a Scenario,
    /// The world state: which conditions hold.
    pub world: &'a WorldState,
    /// What happens.
    pub kind: ContingencyKind,
    /// The force's site threatened: where ground forces and stockpiles go.
    pub site: &'a Site,
    /// Its network node.
    pub dest: &'a NodeId,
    /// The place attacked or the objective: where aircraft fly and what the needs are about.
    ///
    /// # Units
    /// degrees, WGS84 (x = longitude, y = latitude)
    pub objective: Point<f64>,
    /// Where the attack comes from, where known: what strikes aim at (else the objective).
    ///
    /// # Units
    /// degrees, WGS84
    pub origin: Option<Point<f64>>,
    /// What answering it needs.
    pub needs: &'a Needs,
    /// The tiers in force: the first `tiers` of the plan (a step of the ladder brings its tier and those
    /// before it; a planned contingency, all).
    pub tiers: usize,
    /// The ground forces that could move (reserves, the force's deterrence units that have arrived, the live
    /// pledges' unassigned units), whatever their conditions: the engine decides which exist.
    pub sources: &'a [GroundSource],
    /// The force's troops already at the site.
    ///
    /// # Units
    /// troops
    pub in_place_troops: u64,
    /// Nations left out (who matters most: the response without each).
    pub without: &'a BTreeSet<NationCode>,
    /// How much to compute.
    pub detail: Detail,
}

/// How much of a response to compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Of the ground forces, only the first unit of each capability to close (see [`fastest_ground`]); every
    /// other element timed. What a spot report and the reinforcement matrix need.
    Fastest,
    /// Every element timed.
    Elements,
    /// Every element timed, and the build-up at the place hour by hour (all ground forces and all stockpiles
    /// moving together: an earliest-arrival flow over the whole horizon, the costliest part).
    Buildup,
}

/// What an element brings.
#[derive(Clone, Debug, PartialEq)]
pub enum What {
    /// A ground unit.
    Troops {
        /// Its capability.
        capability: CapabilityId,
        /// # Units
        /// troops
        troops: u64,
        /// # Units
        /// tonnes
        tonnes: u64,
    },
    /// A stockpile released to Ukraine's forces.
    Materiel {
        /// The pledge.
        pledge: PledgeId,
        /// What.
        item: String,
        /// # Units
        /// tonnes (whole)
        tonnes: u64,
    },
    /// Aircraft flying sorties over the place.
    Sorties {
        /// Aircraft.
        aircraft: u32,
        /// # Units
        /// sorties per day
        per_day: f64,
    },
    /// Stand-off missiles.
    Missiles {
        /// In all.
        missiles: u32,
        /// Most a day.
        per_day: u32,
    },
    /// Warships.
    Ships {
        /// How many.
        ships: u32,
    },
    /// A non-military measure.
    Measure,
}

impl What {
    /// `troops`, `materiel`, `sorties`, `missiles`, `ships` or `measure`.
    pub fn kind(&self) -> &'static str {
        match self {
            What::Troops { .. } => "troops",
            What::Materiel { .. } => "materiel",
            What::Sorties { .. } => "sorties",
            What::Missiles { .. } => "missiles",
            What::Ships { .. } => "ships",
            What::Measure => "measure",
        }
    }
}

/// One decision on the way to an element's move.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The decider.
    pub decider: TermId,
    /// Who: the decider's id, or `<ISO3> government` / `<ISO3> parliament`.
    pub name: String,
    /// # Units
    /// hours
    pub hours: u32,
}

/// One thing that responds, and when.
#[derive(Clone, Debug, PartialEq)]
pub struct Element {
    /// The option that brings it.
    pub option: TermId,
    /// Its tier.
    pub tier: TermId,
    /// What to call it: the option's id, or a reserve's or pledge's label.
    pub label: String,
    /// Whose it is (`None`: the coalition's).
    pub nation: Option<NationCode>,
    /// Visible only to its nation and to planners (the option or the pledge behind it is restricted).
    pub restricted: bool,
    /// What it brings.
    pub what: What,
    /// The decisions before it may move, in order.
    pub decisions: Vec<Decision>,
    /// Their hours added up.
    ///
    /// # Units
    /// hours
    pub decision_hours: u32,
    /// Notice to move once decided.
    ///
    /// # Units
    /// hours
    pub notice_hours: u32,
    /// Decision + notice: when it may leave.
    ///
    /// # Units
    /// hours from the violation
    pub ready_hour: u32,
    /// Where it starts: a reserve's or unit's node, a stockpile's depot, the base of aircraft, missiles or
    /// ships (`None` for a measure).
    pub from: Option<NodeId>,
    /// How far it comes (great circle from its base for aircraft, missiles and ships).
    ///
    /// # Units
    /// km
    pub distance_km: Option<f64>,
    /// When it first acts at the place: first troops or tonnes received, first sortie over it, first missile
    /// on target, first ship there, the measure in force.
    ///
    /// # Units
    /// hours from the violation
    pub first_hour: Option<u32>,
    /// When it is all there (ground units and stockpiles: the last received; others as `first_hour`).
    ///
    /// # Units
    /// hours from the violation
    pub closed_hour: Option<u32>,
    /// Why it is not there within the horizon: `unreachable` or `horizon`.
    pub not_closed: Option<&'static str>,
}

/// Why an option, a reserve or a stockpile takes no part.
#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    /// Its condition does not hold in the world state (the condition as written).
    Condition(String),
    /// Its nation is left out.
    LeftOut,
    /// Its nation's caveats forbid it here.
    Caveat(String),
    /// The place is beyond its reach.
    OutOfReach {
        /// How far it is.
        ///
        /// # Units
        /// km
        km: f64,
        /// How far it reaches.
        ///
        /// # Units
        /// km
        reach_km: f64,
    },
    /// Ships cannot reach a place inland.
    NotAtSea,
    /// Another option released it first.
    ReleasedBy(TermId),
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Condition(c) => write!(f, "condition `{c}` does not hold"),
            Reason::LeftOut => f.write_str("its nation is left out"),
            Reason::Caveat(why) => write!(f, "caveats: {why}"),
            Reason::OutOfReach { km, reach_km } => {
                write!(
                    f,
                    "the place is {km:.0} km away, beyond its {reach_km:.0} km reach"
                )
            }
            Reason::NotAtSea => f.write_str("the place is not a port or a sea area"),
            Reason::ReleasedBy(o) => write!(f, "released by option `{o}`"),
        }
    }
}

impl Reason {
    /// A stable code: `condition`, `left_out`, `caveat`, `out_of_reach`, `not_at_sea`, `released_by`.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Condition(_) => "condition",
            Reason::LeftOut => "left_out",
            Reason::Caveat(_) => "caveat",
            Reason::OutOfReach { .. } => "out_of_reach",
            Reason::NotAtSea => "not_at_sea",
            Reason::ReleasedBy(_) => "released_by",
        }
    }
}

/// An option, reserve or stockpile that takes no part.
#[derive(Clone, Debug, PartialEq)]
pub struct Excluded {
    /// The option.
    pub option: TermId,
    /// Its tier.
    pub tier: TermId,
    /// The option's id, or the reserve's or pledge's label.
    pub label: String,
    /// Whose it is.
    pub nation: Option<NationCode>,
    /// Visible only to its nation and to planners.
    pub restricted: bool,
    /// Why.
    pub reason: Reason,
}

/// When each tier in force is decided, and first acts.
#[derive(Clone, Debug, PartialEq)]
pub struct TierTiming {
    /// The tier.
    pub tier: TermId,
    /// Its name.
    pub name: String,
    /// The time it is meant to act within.
    ///
    /// # Units
    /// hours
    pub target_hours: u32,
    /// When its deciders have decided.
    ///
    /// # Units
    /// hours from the violation
    pub decided_hour: u32,
    /// When its first element acts at the place.
    ///
    /// # Units
    /// hours from the violation
    pub first_hour: Option<u32>,
}

/// What is at the place by the end of each hour of the timeline ([`timeline_hours`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Buildup {
    /// The hours: every hour of the first week, then each day's, then the last hour followed.
    pub hours: Vec<u32>,
    /// Ground troops: the force already there and the reinforcements received.
    pub troops: Vec<u64>,
    /// Tonnes of materiel released to Ukraine's forces, received.
    pub tonnes: Vec<u64>,
    /// Sorties a day the aircraft over the place can fly.
    pub sorties_per_day: Vec<f64>,
    /// Missiles launched at the attacking forces, in all.
    pub missiles: Vec<u32>,
    /// Warships there.
    pub ships: Vec<u32>,
}

/// The response timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// Hours followed: `0..horizon_hours`.
    pub horizon_hours: u32,
    /// The tiers in force.
    pub tiers: Vec<TierTiming>,
    /// What responds, by option in the plan's order (ground units and stockpiles in the order given).
    pub elements: Vec<Element>,
    /// What takes no part, and why.
    pub excluded: Vec<Excluded>,
    /// The force's troops at the site before any reinforcement.
    ///
    /// # Units
    /// troops
    pub in_place_troops: u64,
    /// What is at the place, hour by hour for the first week and then by the day (when asked for).
    pub buildup: Option<Buildup>,
}

impl Buildup {
    /// The index of `hour` in [`Buildup::hours`], or of the last hour before it (`None` before the first).
    pub fn at(&self, hour: u32) -> Option<usize> {
        self.hours.partition_point(|&h| h <= hour).checked_sub(1)
    }
}

/// The hours a timeline shows and a build-up is computed at: each of the first week (the first 72 hours are the
/// ones that matter; the week shows the tiers play out), then the end of each day's 24 hours after it, then the
/// last hour followed.
pub fn timeline_hours(horizon_hours: u32) -> Vec<u32> {
    let Some(last) = horizon_hours.checked_sub(1) else {
        return Vec::new();
    };
    let mut out: Vec<u32> = (0..=168.min(last)).collect();
    out.extend((192..=last).step_by(24));
    if out.last() != Some(&last) {
        out.push(last);
    }
    out
}

/// Whether `source` may reinforce `site` in `world`: its condition holds, its nation is not left out and its
/// caveats allow it there (a unit whose roles exclude both protection and deterrence does not reinforce; nor
/// one held to other regions, kept further from the line, or to domains the site does not offer).
pub fn vet_ground(
    scenario: &Scenario,
    world: &WorldState,
    source: &GroundSource,
    site: &Site,
    site_km: Option<f64>,
    without: &BTreeSet<NationCode>,
) -> Result<(), Reason> {
    if !source.condition.holds(world) {
        return Err(Reason::Condition(source.condition.to_string()));
    }
    if without.contains(&source.nation) {
        return Err(Reason::LeftOut);
    }
    let c = &source.caveats;
    if let Some(roles) = &c.roles
        && !roles.contains(&Role::Protection)
        && !roles.contains(&Role::Deterrence)
    {
        let roles: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        return Err(Reason::Caveat(format!(
            "roles {} only, not protection or deterrence",
            roles.join(", ")
        )));
    }
    if let Some(regions) = &c.regions
        && !regions.contains(&site.region)
    {
        let regions: Vec<&str> = regions.iter().map(|r| r.as_str()).collect();
        return Err(Reason::Caveat(format!(
            "regions {} only, not {}",
            regions.join(", "),
            site.region
        )));
    }
    if let (Some(min), Some(km)) = (c.min_km_from_line, site_km)
        && km < min
    {
        return Err(Reason::Caveat(format!(
            "at least {min:.0} km from the line; the site is {km:.0} km"
        )));
    }
    if let Some(domains) = &c.domains {
        let capability = scenario.capability(&source.capability);
        let served = site
            .kind
            .domains()
            .into_iter()
            .filter(|d| capability.is_none_or(|cap| cap.domains.contains(d)))
            .any(|d| domains.contains(&d));
        if !served {
            return Err(Reason::Caveat("domains the site does not offer".into()));
        }
    }
    Ok(())
}

/// The decisions before an element of `option` (of `nation`) may move: the tier's deciders, then the option's.
/// A government decides for the element's nation (for a coalition-wide measure there is none, and it is
/// skipped); a parliament only where the nation's deployments need a vote.
fn decisions(
    scenario: &Scenario,
    option: &ResponseOption,
    nation: Option<&NationCode>,
) -> Vec<Decision> {
    let plan = &scenario.response;
    let tier = plan.tier(&option.tier).map(|(_, t)| t.deciders.as_slice());
    let mut out = Vec::new();
    for id in tier.unwrap_or_default().iter().chain(&option.deciders) {
        let Some(d) = plan.decider(id) else { continue };
        let nation = nation.and_then(|n| scenario.nation(n));
        let (name, hours) = match d.kind {
            DeciderKind::Body => (d.id.to_string(), d.hours),
            DeciderKind::Government => match nation {
                Some(n) => (format!("{} government", n.code), d.hours),
                None => continue,
            },
            DeciderKind::Parliament => {
                match nation.and_then(|n| Some((n, n.parliament_vote_days?))) {
                    Some((n, days)) => (format!("{} parliament", n.code), days.saturating_mul(24)),
                    None => continue,
                }
            }
        };
        out.push(Decision {
            decider: d.id.clone(),
            name,
            hours,
        });
    }
    out
}

/// Hours to cover `km` at `km_per_hour`, rounded up, at least one.
fn travel_hours(km: f64, km_per_hour: f64) -> u32 {
    if km_per_hour <= 0.0 || !km.is_finite() {
        return u32::MAX;
    }
    ((km / km_per_hour).ceil() as u32).max(1)
}

/// The elements of a response before the network times the ground forces and stockpiles: every option in force
/// that exists, each reserve and stockpile vetted, decisions and notice added up; aircraft, missiles, ships and
/// measures already timed.
struct Planned {
    elements: Vec<Element>,
    excluded: Vec<Excluded>,
    /// Ground units and stockpiles: the element each load times.
    ground: Vec<(usize, Load)>,
    stocks: Vec<(usize, Load)>,
}

/// The response to `s`, its ground movement asked of `transport`.
pub fn respond(s: &Situation<'_>, transport: &dyn Transport) -> Response {
    let Planned {
        mut elements,
        excluded,
        ground,
        stocks,
    } = planned(s);
    let horizon = transport.horizon_hours();
    // In `Fastest`, only the first unit of each capability to close is timed, and kept.
    let (ground, dropped): (Vec<(usize, Load)>, BTreeSet<usize>) = if s.detail == Detail::Fastest {
        let fastest = fastest_of(&elements, &ground, s.dest, transport);
        for (i, a) in &fastest {
            let e = &mut elements[*i];
            e.first_hour = a.first_hour;
            e.closed_hour = a.closed_hour;
            e.not_closed = a.not_closed;
        }
        let kept: BTreeSet<usize> = fastest.iter().map(|(i, _)| *i).collect();
        let dropped = ground
            .iter()
            .map(|(i, _)| *i)
            .filter(|i| !kept.contains(i))
            .collect();
        (Vec::new(), dropped)
    } else {
        (ground, BTreeSet::new())
    };
    // Over the network: each load alone (how swiftly); all together for the build-up (how much by when).
    let loads: Vec<Load> = ground
        .iter()
        .chain(&stocks)
        .map(|(_, l)| l.clone())
        .collect();
    let alone = transport.alone(s.dest, &loads);
    for ((i, _), a) in ground.iter().chain(&stocks).zip(alone) {
        let e = &mut elements[*i];
        e.first_hour = a.first_hour;
        e.closed_hour = a.closed_hour;
        e.not_closed = a.not_closed;
    }
    clip(&mut elements, horizon);
    let buildup =
        (s.detail == Detail::Buildup).then(|| buildup(s, transport, &elements, &ground, &stocks));
    let elements: Vec<Element> = elements
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !dropped.contains(i))
        .map(|(_, e)| e)
        .collect();
    let plan = &s.scenario.response;
    let tiers = plan
        .tiers
        .iter()
        .take(s.tiers)
        .map(|t| TierTiming {
            tier: t.id.clone(),
            name: t.name.clone(),
            target_hours: t.target_hours,
            decided_hour: t
                .deciders
                .iter()
                .filter_map(|d| plan.decider(d))
                .filter(|d| d.kind == DeciderKind::Body)
                .fold(0u32, |a, d| a.saturating_add(d.hours)),
            first_hour: elements
                .iter()
                .filter(|e| e.tier == t.id)
                .filter_map(|e| e.first_hour)
                .min(),
        })
        .collect();
    Response {
        horizon_hours: horizon,
        tiers,
        elements,
        excluded,
        in_place_troops: s.in_place_troops,
        buildup,
    }
}

/// For each capability of the ground forces that may reinforce the place, the first unit to close there
/// (ties to the one listed first), soonest first — what the reinforcement matrix and the monitor's spot
/// reports give: [`respond`] in [`Detail::Fastest`], its ground elements. The same answer as the fastest of
/// each capability among all ground elements timed, found without timing every unit: units are tried in order of
/// the earliest they could close (ready hour plus the fewest hours over the network), and the search stops
/// once that bound passes the best found.
pub fn fastest_ground(s: &Situation<'_>, transport: &dyn Transport) -> Vec<Element> {
    let s = Situation {
        detail: Detail::Fastest,
        ..s.clone()
    };
    let mut out: Vec<Element> = respond(&s, transport)
        .elements
        .into_iter()
        .filter(|e| matches!(e.what, What::Troops { .. }) && e.closed_hour.is_some())
        .collect();
    out.sort_by_key(|e| e.closed_hour);
    out
}

/// The first unit of each capability among `ground` to close at `dest` (ties to the one listed first), with
/// its arrival: see [`fastest_ground`].
fn fastest_of(
    elements: &[Element],
    ground: &[(usize, Load)],
    dest: &NodeId,
    transport: &dyn Transport,
) -> Vec<(usize, crate::Arrival)> {
    let horizon = transport.horizon_hours();
    let mut by_capability: BTreeMap<&CapabilityId, Vec<(u32, usize, &Load)>> = BTreeMap::new();
    for (i, load) in ground {
        let What::Troops { capability, .. } = &elements[*i].what else {
            continue;
        };
        if let Some(bound) = transport.lower_bound(dest, load) {
            by_capability
                .entry(capability)
                .or_default()
                .push((bound, *i, load));
        }
    }
    let mut out = Vec::new();
    for candidates in by_capability.values_mut() {
        candidates.sort_by_key(|(bound, i, _)| (*bound, *i));
        let mut found: Option<(u32, usize, crate::Arrival)> = None;
        for (bound, i, load) in candidates.iter() {
            // A unit bounded at the best hour so far can still tie it, and win if listed first.
            if found.as_ref().is_some_and(|(h, ..)| bound > h) || *bound >= horizon {
                break;
            }
            let Some(a) = transport.alone(dest, std::slice::from_ref(*load)).pop() else {
                continue;
            };
            if let Some(h) = a.closed_hour.filter(|&h| h < horizon)
                && found
                    .as_ref()
                    .is_none_or(|(fh, fi, _)| (h, *i) < (*fh, *fi))
            {
                found = Some((h, *i, a));
            }
        }
        out.extend(found.map(|(_, i, a)| (i, a)));
    }
    out
}

/// Times at or past the horizon are not within it.
fn clip(elements: &mut [Element], horizon: u32) {
    for e in elements {
        if e.first_hour.is_some_and(|t| t >= horizon) {
            e.first_hour = None;
        }
        if e.closed_hour.is_some_and(|t| t >= horizon) {
            e.closed_hour = None;
        }
        if e.closed_hour.is_none() && e.not_closed.is_none() {
            e.not_closed = Some("horizon");
        }
    }
}

fn planned(s: &Situation<'_>) -> Planned {
    let scenario = s.scenario;
    let plan = &scenario.response;
    let in_force: Vec<&TermId> = plan.tiers.iter().take(s.tiers).map(|t| &t.id).collect();
    let site_km = scenario.theatre.km_to_contact_line(s.site.location);
    let mut out = Planned {
        elements: Vec::new(),
        excluded: Vec::new(),
        ground: Vec::new(),
        stocks: Vec::new(),
    };
    // The option that released each reserve, by the reserve's label.
    let mut released: BTreeMap<&str, &TermId> = BTreeMap::new();

    for option in &plan.options {
        if !in_force.contains(&&option.tier) {
            continue;
        }
        if option
            .applies_to
            .as_ref()
            .is_some_and(|k| !k.contains(&s.kind))
        {
            continue;
        }
        let o = OptionPlan { s, option };
        if !option.condition.holds(s.world) {
            out.excluded
                .push(o.whole(Reason::Condition(option.condition.to_string())));
            continue;
        }
        if option
            .nation
            .as_ref()
            .is_some_and(|n| s.without.contains(n))
        {
            out.excluded.push(o.whole(Reason::LeftOut));
            continue;
        }
        match &option.force {
            OptionForce::Ground { from } => out.ground_forces(&o, from, site_km, &mut released),
            OptionForce::Stockpiles => out.stockpiles(&o),
            OptionForce::Air {
                aircraft,
                base,
                sorties_per_aircraft_day,
                radius_km,
                speed_km_h,
            } => {
                let what = What::Sorties {
                    aircraft: *aircraft,
                    per_day: f64::from(*aircraft) * sorties_per_aircraft_day,
                };
                out.push_timed(&o, o.air(what, base, *radius_km, *speed_km_h));
            }
            OptionForce::Strike {
                missiles,
                per_day,
                base,
                range_km,
                speed_km_h,
            } => {
                let what = What::Missiles {
                    missiles: *missiles,
                    per_day: *per_day,
                };
                out.push_timed(&o, o.strike(what, base, *range_km, *speed_km_h));
            }
            OptionForce::Naval { ships, base } => out.push_timed(&o, o.naval(*ships, base)),
            OptionForce::Measure => out.elements.push(o.measure()),
        }
    }
    out
}

/// One option of the plan in force, in a situation: what its elements and its exclusions are made of.
struct OptionPlan<'p> {
    s: &'p Situation<'p>,
    option: &'p ResponseOption,
}

impl<'p> OptionPlan<'p> {
    /// Something of the option's (`label`, of `nation`) that takes no part, and why.
    fn exclude(
        &self,
        label: String,
        nation: Option<NationCode>,
        restricted: bool,
        reason: Reason,
    ) -> Excluded {
        let option = self.option;
        Excluded {
            option: option.id.clone(),
            tier: option.tier.clone(),
            label,
            nation,
            restricted: option.restricted || restricted,
            reason,
        }
    }

    /// The whole option takes no part, and why.
    fn whole(&self, reason: Reason) -> Excluded {
        let option = self.option;
        self.exclude(option.id.to_string(), option.nation.clone(), false, reason)
    }

    /// An element of the option (`label`, of `nation`, bringing `what`), with its decisions and notice added
    /// up; not yet timed.
    fn element(
        &self,
        label: String,
        nation: Option<NationCode>,
        restricted: bool,
        what: What,
        notice_hours: u32,
    ) -> Element {
        let option = self.option;
        let decisions = decisions(self.s.scenario, option, nation.as_ref());
        let decision_hours = decisions
            .iter()
            .fold(0u32, |a, d| a.saturating_add(d.hours));
        Element {
            option: option.id.clone(),
            tier: option.tier.clone(),
            label,
            nation,
            restricted: option.restricted || restricted,
            what,
            decisions,
            decision_hours,
            notice_hours,
            ready_hour: decision_hours.saturating_add(notice_hours),
            from: None,
            distance_km: None,
            first_hour: None,
            closed_hour: None,
            not_closed: None,
        }
    }

    /// The option's own element (under its id, of its nation), bringing `what` at its notice.
    fn own_element(&self, what: What) -> Element {
        let option = self.option;
        self.element(
            option.id.to_string(),
            option.nation.clone(),
            false,
            what,
            option.notice_hours,
        )
    }

    /// Flying, sailing or striking from a base to a point: how far.
    fn km_from_base(&self, base: &NodeId, to: Point<f64>) -> Option<f64> {
        self.s
            .scenario
            .node(base)
            .map(|n| geodesic_km(n.location, to))
    }

    /// An aircraft, missile or ship element: from its base, acting `travel` hours after it is ready.
    fn element_from_base(&self, what: What, base: &NodeId, km: f64, travel: u32) -> Element {
        let mut e = self.own_element(what);
        e.distance_km = Some(km);
        e.from = Some(base.clone());
        let at = e.ready_hour.saturating_add(travel);
        e.first_hour = Some(at);
        e.closed_hour = Some(at);
        e
    }

    /// An element bringing `what` from `base` to `target` at `speed_km_h`, if `target` is within `reach_km`
    /// (`None` when the base is not in the network).
    fn within_reach(
        &self,
        what: What,
        base: &NodeId,
        target: Point<f64>,
        reach_km: f64,
        speed_km_h: f64,
    ) -> Result<Option<Element>, Reason> {
        let Some(km) = self.km_from_base(base, target) else {
            return Ok(None);
        };
        if km > reach_km {
            return Err(Reason::OutOfReach { km, reach_km });
        }
        let travel = travel_hours(km, speed_km_h);
        Ok(Some(self.element_from_base(what, base, km, travel)))
    }

    /// Aircraft over the objective, flying the sorties of `what` from `base`.
    fn air(
        &self,
        what: What,
        base: &NodeId,
        radius_km: f64,
        speed_km_h: f64,
    ) -> Result<Option<Element>, Reason> {
        let s = self.s;
        let roles = [Role::AirDefence, Role::AirPolicing, Role::Deterrence];
        vet_option(s, self.option, &roles, s.objective)?;
        self.within_reach(what, base, s.objective, radius_km, speed_km_h)
    }

    /// Missiles from `base` at where the attack comes from (else the objective).
    fn strike(
        &self,
        what: What,
        base: &NodeId,
        range_km: f64,
        speed_km_h: f64,
    ) -> Result<Option<Element>, Reason> {
        let s = self.s;
        let target = s.origin.unwrap_or(s.objective);
        vet_option(s, self.option, &[Role::Deterrence], target)?;
        self.within_reach(what, base, target, range_km, speed_km_h)
    }

    /// Warships from `base` sailing to the site, when it is a port or a sea area.
    fn naval(&self, ships: u32, base: &NodeId) -> Result<Option<Element>, Reason> {
        let s = self.s;
        if !matches!(s.site.kind, SiteKind::Port | SiteKind::SeaArea) {
            return Err(Reason::NotAtSea);
        }
        let roles = [Role::MaritimeSecurity, Role::Protection, Role::Deterrence];
        vet_option(s, self.option, &roles, s.site.location)?;
        let Some(km) = self.km_from_base(base, s.site.location) else {
            return Ok(None);
        };
        let what = What::Ships { ships };
        let sail = travel_hours(km * SEA_DETOUR, OWN_SEA_KM_PER_DAY / 24.0);
        Ok(Some(self.element_from_base(what, base, km, sail)))
    }

    /// A non-military measure: in force once decided.
    fn measure(&self) -> Element {
        let mut e = self.own_element(What::Measure);
        e.first_hour = Some(e.ready_hour);
        e.closed_hour = Some(e.ready_hour);
        e
    }
}

impl Planned {
    /// An aircraft, missile or ship element of option `o` already timed, or why the option takes no part
    /// (nothing when it cannot be placed).
    fn push_timed(&mut self, o: &OptionPlan<'_>, timed: Result<Option<Element>, Reason>) {
        match timed {
            Ok(Some(e)) => self.elements.push(e),
            Ok(None) => {}
            Err(reason) => self.excluded.push(o.whole(reason)),
        }
    }

    /// Option `o`'s ground reinforcement by the reserves of kind `from`: each that may reinforce the site and
    /// that no option before released (`released`: the option that released each reserve, by label).
    fn ground_forces<'p>(
        &mut self,
        o: &OptionPlan<'p>,
        from: &ReserveKind,
        site_km: Option<f64>,
        released: &mut BTreeMap<&'p str, &'p TermId>,
    ) {
        let s = o.s;
        let scenario = s.scenario;
        // Forces standing at the place are there already (`in_place_troops`), not reinforcements;
        // ships and aircraft serve none of a land site's domains (air and naval options time those).
        let domains = s.site.kind.domains();
        let serves = |g: &GroundSource| {
            scenario
                .capability(&g.capability)
                .is_some_and(|c| !c.domains.is_disjoint(&domains))
        };
        for source in s
            .sources
            .iter()
            .filter(|g| g.kind == *from && &g.node != s.dest && serves(g))
        {
            let label = source.label.clone();
            let nation = Some(source.nation.clone());
            if let Some(by) = released.get(source.label.as_str()) {
                self.excluded.push(o.exclude(
                    label,
                    nation,
                    source.restricted,
                    Reason::ReleasedBy((*by).clone()),
                ));
                continue;
            }
            if let Err(reason) = vet_ground(scenario, s.world, source, s.site, site_km, s.without) {
                self.excluded
                    .push(o.exclude(label, nation, source.restricted, reason));
                continue;
            }
            released.insert(&source.label, &o.option.id);
            let mut e = o.element(
                label,
                nation,
                source.restricted,
                What::Troops {
                    capability: source.capability.clone(),
                    troops: source.troops,
                    tonnes: source.tonnes,
                },
                source.notice_hours,
            );
            e.from = Some(source.node.clone());
            self.ground.push((
                self.elements.len(),
                Load {
                    node: source.node.clone(),
                    ready_hour: e.ready_hour,
                    troops: source.troops,
                    tonnes: source.tonnes,
                },
            ));
            self.elements.push(e);
        }
    }

    /// Option `o`'s stockpiles: each materiel pledge live in the world state and of a nation not left out.
    fn stockpiles(&mut self, o: &OptionPlan<'_>) {
        let s = o.s;
        for pledge in &s.scenario.pledges {
            let Offer::Materiel {
                item,
                tonnes,
                depot,
                ..
            } = &pledge.offer
            else {
                continue;
            };
            let label = format!("pledge:{}", pledge.id);
            let nation = Some(pledge.nation.clone());
            if !pledge.is_live(s.world) {
                let reason = Reason::Condition(pledge.condition.to_string());
                self.excluded
                    .push(o.exclude(label, nation, pledge.restricted, reason));
                continue;
            }
            if s.without.contains(&pledge.nation) {
                self.excluded
                    .push(o.exclude(label, nation, pledge.restricted, Reason::LeftOut));
                continue;
            }
            let tonnes = whole_tonnes_up(*tonnes);
            let mut e = o.element(
                label,
                nation,
                pledge.restricted,
                What::Materiel {
                    pledge: pledge.id.clone(),
                    item: item.clone(),
                    tonnes,
                },
                pledge.notice_days.saturating_mul(24),
            );
            e.from = Some(depot.clone());
            self.stocks.push((
                self.elements.len(),
                Load {
                    node: depot.clone(),
                    ready_hour: e.ready_hour,
                    troops: 0,
                    tonnes,
                },
            ));
            self.elements.push(e);
        }
    }
}

/// What is at the place by the end of each hour of the timeline: the force there and the ground forces received (troops, all
/// moving together), the stockpiles received (tonnes, together), and the aircraft, missiles and ships from
/// their first hour.
fn buildup(
    s: &Situation<'_>,
    transport: &dyn Transport,
    elements: &[Element],
    ground: &[(usize, Load)],
    stocks: &[(usize, Load)],
) -> Buildup {
    let hours = timeline_hours(transport.horizon_hours());
    let n = hours.len();
    // Only the commodity each curve counts is moved: a unit's equipment does not count as materiel.
    let troops_only: Vec<Load> = ground
        .iter()
        .map(|(_, l)| Load {
            tonnes: 0,
            ..l.clone()
        })
        .collect();
    let stocks: Vec<Load> = stocks.iter().map(|(_, l)| l.clone()).collect();
    // The two flows are independent: one on another thread.
    let ((troops, _), (_, tonnes)) = std::thread::scope(|scope| {
        let troops = scope.spawn(|| transport.together(s.dest, &troops_only, &hours));
        let tonnes = transport.together(s.dest, &stocks, &hours);
        (
            troops
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            tonnes,
        )
    });
    let mut b = Buildup {
        troops: (0..n)
            .map(|i| s.in_place_troops + troops.get(i).copied().unwrap_or(0))
            .collect(),
        tonnes: (0..n)
            .map(|i| tonnes.get(i).copied().unwrap_or(0))
            .collect(),
        sorties_per_day: vec![0.0; n],
        missiles: vec![0; n],
        ships: vec![0; n],
        hours,
    };
    for e in elements {
        let Some(first) = e.first_hour else { continue };
        for (i, &t) in b.hours.iter().enumerate().filter(|(_, t)| **t >= first) {
            let t = t as usize;
            match &e.what {
                What::Sorties { per_day, .. } => b.sorties_per_day[i] += per_day,
                What::Ships { ships } => b.ships[i] += ships,
                What::Missiles { missiles, per_day } => {
                    // A day's salvo at the first hour, then one each 24 hours, until all are spent.
                    let salvos = (t - first as usize) / 24 + 1;
                    let launched = (u64::from(*per_day) * salvos as u64).min(u64::from(*missiles));
                    b.missiles[i] += launched as u32;
                }
                _ => {}
            }
        }
    }
    b
}

/// Whether an air, strike or naval option's caveats let it act at `target`: one of `roles`, the site's
/// region, the target's distance from the line.
fn vet_option(
    s: &Situation<'_>,
    option: &ResponseOption,
    roles: &[Role],
    target: Point<f64>,
) -> Result<(), Reason> {
    let c = &option.caveats;
    if let Some(allowed) = &c.roles
        && !roles.iter().any(|r| allowed.contains(r))
    {
        let allowed: Vec<&str> = allowed.iter().map(|r| r.as_str()).collect();
        let needed: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        return Err(Reason::Caveat(format!(
            "roles {} only, not {}",
            allowed.join(", "),
            needed.join(" or ")
        )));
    }
    if let Some(regions) = &c.regions
        && !regions.contains(&s.site.region)
    {
        let regions: Vec<&str> = regions.iter().map(|r| r.as_str()).collect();
        return Err(Reason::Caveat(format!(
            "regions {} only, not {}",
            regions.join(", "),
            s.site.region
        )));
    }
    if let (Some(min), Some(km)) = (
        c.min_km_from_line,
        s.scenario.theatre.km_to_contact_line(target),
    ) && km < min
    {
        return Err(Reason::Caveat(format!(
            "at least {min:.0} km from the line; the target is {km:.0} km"
        )));
    }
    Ok(())
}
