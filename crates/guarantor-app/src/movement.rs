//! The movement use case: the sourced force and the stockpiles as loads on the network, moved in phase and
//! priority order; when each closes, the closure curve and the days to initial and full operating capability;
//! and the reinforcement matrix, from the reserves, the force's deterrence lines and the pledges' spare units.

use guarantor_core::{
    Capability, Mode, Offer, Priority, Scenario, Site, SiteKind, WorldState, geodesic_km,
};
use guarantor_movement::{
    BottleneckAt, Load, LoadOutcome, Movement, NotClosed, Route, own_transit_days, whole_tonnes_up,
};
use guarantor_sourcing::SourcingPlan;

use crate::PlanError;
use serde::Serialize;

/// Mean Gregorian month, in days: the horizon in months becomes days.
pub(crate) const DAYS_PER_MONTH: f64 = 30.4375;

/// The `movement` section of `guarantor plan --json`.
#[derive(Clone, Debug, Serialize)]
pub struct MovementDto {
    /// Days planned from day 0 (the mission's horizon).
    pub horizon_days: u32,
    /// Every sourced unit, line by line.
    pub units: Vec<UnitMoveDto>,
    /// Every live stockpile with a destination.
    pub stockpiles: Vec<StockpileMoveDto>,
    /// Troops of the units closed by each day a unit closes.
    pub closure_curve: Vec<ClosurePointDto>,
    /// Each site's units: when the first may leave, when the first and the last close.
    pub sites: Vec<SiteMoveDto>,
    /// Troops the requirement asks for.
    pub required_troops: u64,
    /// Troops of the units sourced.
    pub sourced_troops: u64,
    /// Troops of the units that close within the horizon.
    pub closed_troops: u64,
    /// Troops in place that make initial operating capability (`ioc_fill` of the requirement).
    pub ioc_troops: u64,
    /// The day they are in place; `null` when they never are.
    pub ioc_day: Option<u32>,
    /// Why not: `force_too_small` (the sourced force is below the threshold) or `not_within_horizon`.
    pub ioc_not_reached: Option<&'static str>,
    /// Troops in place that make full operating capability (`foc_fill` of the requirement).
    pub foc_troops: u64,
    /// The day they are in place; `null` when they never are.
    pub foc_day: Option<u32>,
    /// Why not, as for `ioc_not_reached`.
    pub foc_not_reached: Option<&'static str>,
    /// Links and nodes that ran full, most days first.
    pub bottlenecks: Vec<BottleneckDto>,
}

/// One site's units.
#[derive(Clone, Debug, Serialize)]
pub struct SiteMoveDto {
    /// Site id.
    pub site: String,
    /// Units bound for it.
    pub units: u32,
    /// Their troops.
    pub troops: u64,
    /// The first day one of them may leave.
    pub first_ready_day: u32,
    /// The day the first closes; `null` when none does.
    pub first_closed_day: Option<u32>,
    /// The day the last closes; `null` unless all do.
    pub all_closed_day: Option<u32>,
    /// Units that do not close.
    pub not_closed: u32,
}

/// One unit's move.
#[derive(Clone, Debug, Serialize)]
pub struct UnitMoveDto {
    /// The pledge it comes from.
    pub pledge: String,
    /// ISO alpha-3.
    pub nation: String,
    /// Capability id.
    pub capability: String,
    /// The requirement line it fills.
    pub requirement: String,
    /// Its site.
    pub site: String,
    /// Troops.
    pub troops: u64,
    /// Tonnes of cargo.
    pub tonnes: u64,
    /// `network` (over links and nodes), `own` (ships and aircraft moving themselves to an area), or `none`
    /// (no node serves its site).
    pub route: &'static str,
    /// Where it starts (its nation's home node), for network moves.
    pub origin: Option<String>,
    /// First day it may leave: its phase's start, or its notice to move plus its parliament's vote if later;
    /// `null` for a unit withheld from the viewer (its notice and its home are its nation's to tell, and so
    /// are the days below).
    pub ready_day: Option<u32>,
    /// Day its troops were all received at the site.
    pub troops_day: Option<u32>,
    /// Day its cargo was all received.
    pub tonnes_day: Option<u32>,
    /// Day it closed; `null` when it does not.
    pub arrival_day: Option<u32>,
    /// Why it does not close: `unreachable`, `horizon`, or `no_node` (no node serves its site).
    pub not_closed: Option<&'static str>,
}

/// One stockpile's move.
#[derive(Clone, Debug, Serialize)]
pub struct StockpileMoveDto {
    /// The pledge.
    pub pledge: String,
    /// ISO alpha-3.
    pub nation: String,
    /// What.
    pub item: String,
    /// Tonnes.
    pub tonnes: u64,
    /// Where it is stocked.
    pub depot: String,
    /// Where it goes.
    pub site: String,
    /// First day it may leave; `null` for a stockpile withheld from the viewer (as its arrival).
    pub ready_day: Option<u32>,
    /// Day it was all received at the site; `null` when it was not.
    pub arrival_day: Option<u32>,
    /// Why it does not close.
    pub not_closed: Option<&'static str>,
}

/// A point of the closure curve.
#[derive(Clone, Debug, Serialize)]
pub struct ClosurePointDto {
    /// Day.
    pub day: u32,
    /// Troops in place (units closed) by the end of it.
    pub troops: u64,
}

/// A link or node that ran full.
#[derive(Clone, Debug, Serialize)]
pub struct BottleneckDto {
    /// `link` or `node`.
    pub kind: &'static str,
    /// Link or node id.
    pub id: String,
    /// For a link, the direction: from.
    pub from: Option<String>,
    /// For a link, the direction: to.
    pub to: Option<String>,
    /// `troops` or `tonnes`.
    pub commodity: &'static str,
    /// Days it was full.
    pub days_full: u32,
    /// First such day.
    pub first_day: u32,
    /// Last such day.
    pub last_day: u32,
}

/// One cell of the reinforcement matrix.
#[derive(Clone, Debug, Serialize)]
pub struct ReinforcementDto {
    /// Site id.
    pub site: String,
    /// Capability id.
    pub capability: String,
    /// Hours from the violation until one unit has closed at the site: decision + notice + movement.
    pub hours: u32,
    /// The same in days, rounded up.
    pub days: u32,
    /// Of which the decisions (the tier's deciders, then the option's).
    pub decision_hours: u32,
    /// Of which notice to move.
    pub notice_hours: u32,
    /// Of which movement.
    pub move_hours: u32,
    /// The fastest source: a reserve id (`id#k` for the k-th of several units), `deployed:<pledge>@<site>`
    /// or `pledge:<pledge>`.
    pub source: String,
    /// The response option that releases it.
    pub option: String,
    /// `in_theatre` (a deployed unit), `reserve` (network.toml) or `home` (a pledge's unassigned unit).
    pub source_kind: &'static str,
    /// The source's nation.
    pub nation: String,
}

/// The movement horizon: the mission's, in days.
pub fn horizon_days(scenario: &Scenario) -> u32 {
    (f64::from(scenario.mission.horizon_months) * DAYS_PER_MONTH).round() as u32
}

/// One row of the answer: a unit or a stockpile, the day it may leave, and the load moved for it (`None`: no
/// node serves its site, so it is not moved).
enum What {
    Unit {
        line: usize,
        pledge: usize,
        ready_day: u32,
        load: Option<usize>,
    },
    Stockpile {
        pledge: usize,
        ready_day: u32,
        load: Option<usize>,
    },
}

/// The loads of `plan`: one per unit assigned, then one per live stockpile with a destination; and the rows.
fn loads(scenario: &Scenario, plan: &SourcingPlan, world: &WorldState) -> (Vec<Load>, Vec<What>) {
    let mut loads = Vec::new();
    let mut what = Vec::new();
    let push = |loads: &mut Vec<Load>, load: Option<Load>| {
        load.map(|l| {
            loads.push(l);
            loads.len() - 1
        })
    };
    for (li, line) in plan.lines.iter().enumerate() {
        let Some(req) = scenario.requirement(&line.requirement) else {
            continue;
        };
        let (phase, phase_start) = scenario
            .phase_of(req)
            .map_or((0, 0), |(i, p)| (i, p.start_day));
        let order = (phase as u32) * 2 + u32::from(req.priority == Priority::Desirable);
        let (Some(site), Some(cap)) = (
            scenario.site(&line.site),
            scenario.capability(&line.capability),
        ) else {
            continue;
        };
        let (troops, tonnes) = unit_size(cap);
        for a in &line.assignments {
            let (Some(pi), Some(nation)) = (
                scenario.pledges.iter().position(|p| p.id == a.pledge),
                scenario.nation(&a.nation),
            ) else {
                continue;
            };
            let pledge = &scenario.pledges[pi];
            let ready_day = phase_start.max(scenario.ready_days(pledge));
            let route = if site.kind.is_area() {
                let km = scenario
                    .node(&nation.home)
                    .map_or(0.0, |n| geodesic_km(n.location, site.location));
                let mode = if site.kind == SiteKind::SeaArea {
                    Mode::Sea
                } else {
                    Mode::Air
                };
                Some(Route::Own {
                    days: own_transit_days(km, mode),
                })
            } else {
                scenario.site_node(&site.id).map(|dest| Route::Network {
                    origin: nation.home.clone(),
                    destination: dest.clone(),
                })
            };
            for k in 1..=a.units {
                let load = route.clone().map(|route| Load {
                    id: format!("{}#{k}", pledge.id),
                    route,
                    troops,
                    tonnes,
                    ready_day,
                    order,
                });
                let load = push(&mut loads, load);
                what.push(What::Unit {
                    line: li,
                    pledge: pi,
                    ready_day,
                    load,
                });
            }
        }
    }
    for (pi, pledge) in scenario.pledges.iter().enumerate() {
        let Offer::Materiel {
            tonnes,
            depot,
            site: Some(site),
            ..
        } = &pledge.offer
        else {
            continue;
        };
        if !pledge.is_live(world) {
            continue;
        }
        // The phase of the first line at its site, moving with that phase's desirable units.
        let (phase, phase_start) = scenario
            .requirements
            .iter()
            .filter(|r| &r.site == site)
            .filter_map(|r| scenario.phase_of(r))
            .map(|(i, p)| (i, p.start_day))
            .min()
            .unwrap_or((0, 0));
        let ready_day = phase_start.max(pledge.notice_days);
        let load = scenario.site_node(site).map(|dest| Load {
            id: pledge.id.to_string(),
            route: Route::Network {
                origin: depot.clone(),
                destination: dest.clone(),
            },
            troops: 0,
            tonnes: whole_tonnes_up(*tonnes),
            ready_day,
            order: (phase as u32) * 2 + 1,
        });
        let load = push(&mut loads, load);
        what.push(What::Stockpile {
            pledge: pi,
            ready_day,
            load,
        });
    }
    (loads, what)
}

/// Why a row did not close: `no_node` when it was not moved at all.
fn not_closed(o: Option<&LoadOutcome>) -> Option<&'static str> {
    match o {
        None => Some("no_node"),
        Some(o) => o.not_closed.map(|n| match n {
            NotClosed::Unreachable => "unreachable",
            NotClosed::Horizon => "horizon",
        }),
    }
}

/// Moves `plan`'s force and the live stockpiles over the scenario's network (the movement engine), and tells
/// each unit's and stockpile's move. The engine's error (a network that does not hold a load's node, which a
/// checked scenario never has) is returned.
pub fn move_force(scenario: &Scenario, plan: &SourcingPlan) -> Result<MovementDto, PlanError> {
    let horizon = horizon_days(scenario);
    let (loads, what) = loads(scenario, plan, &plan.world);
    let moved: Movement = guarantor_movement::movement(&scenario.network, &loads, horizon)?;
    let mut units = Vec::new();
    let mut stockpiles = Vec::new();
    for w in &what {
        match *w {
            What::Unit {
                line,
                pledge,
                ready_day,
                load,
            } => {
                let l = &plan.lines[line];
                let p = &scenario.pledges[pledge];
                let (troops, tonnes) = scenario.capability(&l.capability).map_or((0, 0), unit_size);
                let load = load.map(|i| (&loads[i], &moved.loads[i]));
                units.push(UnitMoveDto {
                    pledge: p.id.to_string(),
                    nation: p.nation.to_string(),
                    capability: l.capability.to_string(),
                    requirement: l.requirement.to_string(),
                    site: l.site.to_string(),
                    troops,
                    tonnes,
                    route: match load.map(|(l, _)| &l.route) {
                        None => "none",
                        Some(Route::Network { .. }) => "network",
                        Some(Route::Own { .. }) => "own",
                    },
                    origin: match load.map(|(l, _)| &l.route) {
                        Some(Route::Network { origin, .. }) => Some(origin.to_string()),
                        _ => None,
                    },
                    ready_day: Some(ready_day),
                    troops_day: load.and_then(|(_, o)| o.troops_day),
                    tonnes_day: load.and_then(|(_, o)| o.tonnes_day),
                    arrival_day: load.and_then(|(_, o)| o.arrival_day),
                    not_closed: not_closed(load.map(|(_, o)| o)),
                });
            }
            What::Stockpile {
                pledge,
                ready_day,
                load,
            } => {
                let p = &scenario.pledges[pledge];
                let Offer::Materiel {
                    item,
                    depot,
                    site,
                    tonnes,
                    ..
                } = &p.offer
                else {
                    continue;
                };
                let outcome = load.map(|i| &moved.loads[i]);
                stockpiles.push(StockpileMoveDto {
                    pledge: p.id.to_string(),
                    nation: p.nation.to_string(),
                    item: item.clone(),
                    tonnes: whole_tonnes_up(*tonnes),
                    depot: depot.to_string(),
                    site: site.as_ref().map(ToString::to_string).unwrap_or_default(),
                    ready_day: Some(ready_day),
                    arrival_day: outcome.and_then(|o| o.arrival_day),
                    not_closed: not_closed(outcome),
                });
            }
        }
    }
    let required = plan.required_troops();
    let sourced: u64 = units.iter().map(|u| u.troops).sum();
    let closed = moved.closure_curve.last().map_or(0, |(_, t)| *t);
    let milestone = |fill: f64| {
        let troops = (fill * required as f64).ceil() as u64;
        let day = moved.first_day_with(troops);
        let why = match day {
            Some(_) => None,
            None if sourced < troops => Some("force_too_small"),
            None => Some("not_within_horizon"),
        };
        (troops, day, why)
    };
    let (ioc_troops, ioc_day, ioc_not_reached) = milestone(scenario.mission.ioc_fill);
    let (foc_troops, foc_day, foc_not_reached) = milestone(scenario.mission.foc_fill);
    Ok(MovementDto {
        horizon_days: horizon,
        sites: site_rows(&units),
        units,
        stockpiles,
        closure_curve: moved
            .closure_curve
            .iter()
            .map(|&(day, troops)| ClosurePointDto { day, troops })
            .collect(),
        required_troops: required,
        sourced_troops: sourced,
        closed_troops: closed,
        ioc_troops,
        ioc_day,
        ioc_not_reached,
        foc_troops,
        foc_day,
        foc_not_reached,
        bottlenecks: moved
            .bottlenecks
            .iter()
            .map(|b| {
                let (kind, id, from, to) = match &b.at {
                    BottleneckAt::Link { link, from, to } => (
                        "link",
                        link.to_string(),
                        Some(from.to_string()),
                        Some(to.to_string()),
                    ),
                    BottleneckAt::Node { node } => ("node", node.to_string(), None, None),
                };
                BottleneckDto {
                    kind,
                    id,
                    from,
                    to,
                    commodity: b.commodity.as_str(),
                    days_full: b.days_full,
                    first_day: b.first_day,
                    last_day: b.last_day,
                }
            })
            .collect(),
    })
}

/// Each site's units: when the first may leave, when the first and the last close.
fn site_rows(units: &[UnitMoveDto]) -> Vec<SiteMoveDto> {
    let mut out: Vec<SiteMoveDto> = Vec::new();
    for u in units {
        let i = match out.iter().position(|s| s.site == u.site) {
            Some(i) => i,
            None => {
                out.push(SiteMoveDto {
                    site: u.site.clone(),
                    units: 0,
                    troops: 0,
                    first_ready_day: u32::MAX,
                    first_closed_day: None,
                    all_closed_day: None,
                    not_closed: 0,
                });
                out.len() - 1
            }
        };
        let s = &mut out[i];
        s.units += 1;
        s.troops += u.troops;
        if let Some(ready) = u.ready_day {
            s.first_ready_day = s.first_ready_day.min(ready);
        }
        match u.arrival_day {
            Some(d) => {
                s.first_closed_day = Some(s.first_closed_day.map_or(d, |f| f.min(d)));
                s.all_closed_day = Some(s.all_closed_day.map_or(d, |f| f.max(d)));
            }
            None => s.not_closed += 1,
        }
    }
    for s in &mut out {
        if s.not_closed > 0 {
            s.all_closed_day = None;
        }
    }
    out
}

/// One unit of `cap` as a load: its troops and its cargo in whole tonnes.
fn unit_size(cap: &Capability) -> (u64, u64) {
    (u64::from(cap.personnel), whole_tonnes_up(cap.tonnes))
}

/// The sites a reinforcement can go to: land sites with a network node, but not the logistics hubs (which
/// are in the neighbouring countries, behind the force).
pub(crate) fn reinforceable_sites(scenario: &Scenario) -> Vec<&Site> {
    scenario
        .sites
        .iter()
        .filter(|s| !s.kind.is_area() && s.kind != SiteKind::LogisticsHub)
        .filter(|s| scenario.site_node(&s.id).is_some())
        .collect()
}

/// The reinforcement matrix of `plan` (whose movement is `moved`): every site a reinforcement can go to × every
/// capability that can reinforce it, the first unit to close there once the force stands (the start of the
/// mission's last phase), every tier of the response plan in force — the same answer `guarantor respond` and the
/// monitor's spot reports give; and every planned contingency of the response plan in full, as `guarantor
/// respond --contingency` gives it (one posture for both).
#[allow(clippy::type_complexity)]
pub fn reinforcements(
    scenario: &Scenario,
    plan: &SourcingPlan,
    moved: &MovementDto,
) -> Result<
    (
        Vec<ReinforcementDto>,
        Vec<crate::ResponseReport>,
        Vec<crate::UnansweredDto>,
    ),
    PlanError,
> {
    let posture = crate::response::Posture::with_movement(
        scenario,
        std::borrow::Cow::Borrowed(plan),
        std::borrow::Cow::Borrowed(moved),
        crate::response::Hourly::new(scenario)?,
    );
    let matrix = posture.fastest(&reinforceable_sites(scenario), posture.standing_day());
    let none = std::collections::BTreeSet::new();
    let answers = crate::cores::map(&scenario.response.contingencies, |c| {
        (
            c.id.to_string(),
            posture.respond(&crate::Ask::Contingency(c.id.clone()), None, &none),
        )
    });
    // A contingency that cannot be answered (at a logistics hub, or at a site without a network node) is told,
    // not dropped, and does not stop the plan.
    let mut responses = Vec::new();
    let mut unanswered = Vec::new();
    for (contingency, answer) in answers {
        match answer {
            Ok(r) => responses.push(r),
            Err(e) => unanswered.push(crate::UnansweredDto {
                contingency,
                reason: e.to_string(),
            }),
        }
    }
    Ok((matrix, responses, unanswered))
}

/// A single-commodity movement problem as JSON, for a max-flow solver outside guarantor
/// (`bench/movement/peer.py`): the same network, transit days and loads the engine solves.
#[derive(Clone, Debug, Serialize)]
pub struct ClosureInstance {
    /// `guarantor.closure-instance.v1`.
    pub format: &'static str,
    /// Days `0..horizon_days` are planned.
    pub horizon_days: u32,
    /// The node every load goes to.
    pub destination: String,
    /// Nodes: `{id, reception_troops_per_day}`.
    pub nodes: Vec<ClosureNode>,
    /// Links, each usable both ways: `{id, from, to, transit_days, troops_per_day}`.
    pub links: Vec<ClosureLink>,
    /// Loads: `{id, origin, ready_day, troops}`.
    pub loads: Vec<ClosureLoad>,
}

/// A node of a closure instance.
#[derive(Clone, Debug, Serialize)]
pub struct ClosureNode {
    /// Id.
    pub id: String,
    /// Troops received a day.
    pub reception_troops_per_day: u32,
}

/// A link of a closure instance.
#[derive(Clone, Debug, Serialize)]
pub struct ClosureLink {
    /// Id.
    pub id: String,
    /// One end.
    pub from: String,
    /// The other end.
    pub to: String,
    /// Whole days from departure to arrival.
    pub transit_days: u32,
    /// Troops a day, each way.
    pub troops_per_day: u32,
}

/// A load of a closure instance.
#[derive(Clone, Debug, Serialize)]
pub struct ClosureLoad {
    /// Id.
    pub id: String,
    /// Where it starts.
    pub origin: String,
    /// First day it may leave.
    pub ready_day: u32,
    /// Troops.
    pub troops: u64,
}

/// What `guarantor closure-bench` reports.
#[derive(Clone, Debug, Serialize)]
pub struct ClosureRun {
    /// Nodes.
    pub nodes: usize,
    /// Links.
    pub links: usize,
    /// Loads.
    pub units: usize,
    /// Troops in all.
    pub troops: u64,
    /// Days planned.
    pub horizon_days: u32,
    /// The day the last load closed; `null` when not all close within the horizon.
    pub closure_day: Option<u32>,
    /// Wall-clock seconds the engine took (network indexing included).
    pub seconds: f64,
}

/// A generated single-commodity problem (see `guarantor_movement::synthetic`), as an instance and a timed solve.
pub fn closure_bench(
    spec: &guarantor_movement::synthetic::Spec,
    horizon_days: u32,
) -> Result<(ClosureInstance, ClosureRun), guarantor_movement::MovementError> {
    let p = guarantor_movement::synthetic::problem(spec);
    let started = std::time::Instant::now();
    let moved = guarantor_movement::movement(&p.network, &p.loads, horizon_days)?;
    let seconds = started.elapsed().as_secs_f64();
    let closure_day = moved
        .loads
        .iter()
        .map(|o| o.arrival_day)
        .collect::<Option<Vec<u32>>>()
        .map(|d| d.into_iter().max().unwrap_or(0));
    let instance = ClosureInstance {
        format: "guarantor.closure-instance.v1",
        horizon_days,
        destination: p.destination.to_string(),
        nodes: p
            .network
            .nodes
            .iter()
            .map(|n| ClosureNode {
                id: n.id.to_string(),
                reception_troops_per_day: n.reception_troops_per_day,
            })
            .collect(),
        links: p
            .network
            .links
            .iter()
            .map(|l| ClosureLink {
                id: l.id.to_string(),
                from: l.from.to_string(),
                to: l.to.to_string(),
                transit_days: guarantor_movement::transit_days(l.distance_km, l.speed_km_per_day),
                troops_per_day: l.troops_per_day,
            })
            .collect(),
        loads: p
            .loads
            .iter()
            .map(|l| ClosureLoad {
                id: l.id.clone(),
                origin: match &l.route {
                    Route::Network { origin, .. } => origin.to_string(),
                    Route::Own { .. } => String::new(),
                },
                ready_day: l.ready_day,
                troops: l.troops,
            })
            .collect(),
    };
    let run = ClosureRun {
        nodes: p.network.nodes.len(),
        links: p.network.links.len(),
        units: p.loads.len(),
        troops: p.loads.iter().map(|l| l.troops).sum(),
        horizon_days,
        closure_day,
        seconds,
    };
    Ok((instance, run))
}
