//! guarantor's sourcing engine: who sends what where.
//!
//! Live pledged units (those whose conditions hold in a world state) are assigned to the lines of the statement
//! of requirements by a mixed-integer program solved with HiGHS, goal by goal: least essential shortfall, then
//! least desirable shortfall, then cohesive contingents (few nations per site; where a line asks for a framework
//! nation, one nation holding the largest share), then burden close to each nation's fair share, then ready units first. Caveats, pledge
//! counts, acceptability to the parties, nations per line and political caps are never broken; [`check_plan`]
//! verifies that independently.
//!
//! No I/O: values in, values out. The same inputs give the same plan (HiGHS runs single-threaded with a fixed
//! seed, and everything is built in file order).
//!
//! ```
//! use guarantor_scenario::{SourceSet, load};
//! let scenario = load(&SourceSet::builtin_default()).unwrap().scenario;
//! let plan = guarantor_sourcing::source(&scenario, &scenario.today()).unwrap();
//! assert!(plan.filled_troops() < plan.required_troops()); // today, the force falls short
//! assert!(guarantor_sourcing::check_plan(&scenario, &plan).is_empty());
//! ```

mod checker;
mod coalition;
mod export;
mod instance;
mod model;
mod plan;
mod reasons;
mod whatif;

use std::collections::BTreeMap;

use guarantor_core::{NationCode, PledgeId, Scenario, WorldState};

pub use checker::{Violation, check_plan};
pub use coalition::{Addition, CoreCoalition, Fill, fill_among, smallest_core};
pub use export::{ExportedInstance, ExportedLine, ExportedOffer, INSTANCE_FORMAT, export_instance};
pub use instance::{Exclusion, eligibility};
pub use model::{Limits, SolveError};
pub use plan::{
    Assignment, GoalValue, LinePlan, NationLoad, Objectives, ShortfallReason, SitePlan,
    SourcingPlan,
};
pub use reasons::unlocking_facts;
pub use whatif::{
    EveryWorld, FactEffect, NationEffect, StateFill, Told, WhatIf, source_every_world, what_if,
};

use instance::Instance;
use model::{Goal, solve};

/// Sources the scenario's requirement in `world`: the full plan, every goal optimised.
pub fn source(scenario: &Scenario, world: &WorldState) -> Result<SourcingPlan, SolveError> {
    source_within(scenario, world, &Limits::default())
}

/// As [`source`], the secondary goals within `limits` (a goal a limit stops keeps its best solution; the plan's
/// `objectives.goals` tell its value, bound and gap).
pub fn source_within(
    scenario: &Scenario,
    world: &WorldState,
    limits: &Limits,
) -> Result<SourcingPlan, SolveError> {
    let inst = Instance::new(scenario, world, None);
    let last = if limits.fill_only {
        Goal::Desirable
    } else {
        Goal::Readiness
    };
    let solved = solve(&inst, last, limits)?;
    Ok(assemble(&inst, world, None, &solved))
}

/// As [`source`], with one nation's pledges left out.
pub fn source_without(
    scenario: &Scenario,
    world: &WorldState,
    without: Option<&NationCode>,
) -> Result<SourcingPlan, SolveError> {
    let inst = Instance::new(scenario, world, without);
    let solved = solve(&inst, Goal::Readiness, &Limits::default())?;
    Ok(assemble(&inst, world, without, &solved))
}

/// The plan of the fill goals alone, as the what-if solves them: essential troops, then desirable troops with the
/// essential optimum kept; the secondary goals (contingents, fair shares, readiness) are not optimised.
pub fn source_fill(
    scenario: &Scenario,
    world: &WorldState,
    without: Option<&NationCode>,
) -> Result<SourcingPlan, SolveError> {
    let inst = Instance::new(scenario, world, without);
    let solved = solve(&inst, Goal::Desirable, &Limits::default())?;
    Ok(assemble(&inst, world, without, &solved))
}

/// Troops filled in `world`: the fill goals only (essential troops, then desirable troops with the essential
/// optimum kept).
///
/// # Units
/// troops
pub fn filled_troops(
    scenario: &Scenario,
    world: &WorldState,
    without: Option<&NationCode>,
) -> Result<u64, SolveError> {
    let inst = Instance::new(scenario, world, without);
    let solved = solve(&inst, Goal::Desirable, &Limits::default())?;
    Ok(inst
        .pairs
        .iter()
        .zip(&solved.units)
        .map(|(&(_, l), u)| u64::from(*u) * inst.lines[l].personnel())
        .sum())
}

fn assemble(
    inst: &Instance<'_>,
    world: &WorldState,
    without: Option<&NationCode>,
    solved: &model::Solved,
) -> SourcingPlan {
    let scenario = inst.scenario;
    let mut assignments: Vec<Vec<Assignment>> = vec![Vec::new(); inst.lines.len()];
    let mut used: BTreeMap<&PledgeId, u32> = BTreeMap::new();
    let mut nation_troops: BTreeMap<&NationCode, u64> = BTreeMap::new();
    for (k, &(o, l)) in inst.pairs.iter().enumerate() {
        let units = solved.units[k];
        if units == 0 {
            continue;
        }
        let offer = &inst.offers[o];
        let troops = u64::from(units) * inst.lines[l].personnel();
        assignments[l].push(Assignment {
            nation: offer.pledge.nation.clone(),
            pledge: offer.pledge.id.clone(),
            units,
            troops,
        });
        *used.entry(&offer.pledge.id).or_default() += units;
        *nation_troops.entry(&offer.pledge.nation).or_default() += troops;
    }

    let left = |id: &PledgeId| -> u32 {
        let total = inst
            .offers
            .iter()
            .find(|o| &o.pledge.id == id)
            .map_or(0, |o| o.count);
        total.saturating_sub(used.get(id).copied().unwrap_or(0))
    };
    let capped = |nation: &NationCode, personnel: u64| -> bool {
        let cap = scenario.nation(nation).and_then(|n| n.max_troops);
        cap.is_some_and(|c| {
            nation_troops.get(nation).copied().unwrap_or(0) + personnel > u64::from(c)
        })
    };
    let cx = reasons::Context {
        scenario,
        world,
        left: &left,
        capped: &capped,
        without,
    };

    let lines: Vec<LinePlan> = inst
        .lines
        .iter()
        .zip(assignments)
        .map(|(line, assignments)| {
            let filled: u32 = assignments.iter().map(|a| a.units).sum();
            let shortfall_reasons = if filled < line.requirement.count {
                reasons::reasons(&cx, line)
            } else {
                Vec::new()
            };
            LinePlan {
                requirement: line.requirement.id.clone(),
                capability: line.capability.id.clone(),
                site: line.site.id.clone(),
                priority: line.requirement.priority,
                required_units: line.requirement.count,
                personnel_per_unit: line.capability.personnel,
                assignments,
                shortfall_reasons,
            }
        })
        .collect();

    let filled: u64 = lines.iter().map(LinePlan::filled_troops).sum();
    let weights = inst.fair_share_weights();
    let nations = inst
        .nations
        .iter()
        .enumerate()
        .map(|(i, code)| NationLoad {
            nation: (*code).clone(),
            troops: nation_troops.get(code).copied().unwrap_or(0),
            fair_share_troops: (weights[i] * filled as f64).round() as u64,
            cap: scenario.nation(code).and_then(|n| n.max_troops),
        })
        .collect();

    let sites = site_plans(inst, &lines);
    let objectives = objectives(solved, &lines);
    SourcingPlan {
        world: world.clone(),
        lines,
        nations,
        sites,
        objectives,
    }
}

/// Each site of the instance: the troops its lines require, and the troops each nation sends there, most first
/// (the first is its framework nation).
fn site_plans(inst: &Instance<'_>, lines: &[LinePlan]) -> Vec<SitePlan> {
    inst.sites
        .iter()
        .map(|site| {
            let mut per_nation: BTreeMap<&NationCode, u64> = BTreeMap::new();
            let mut required = 0;
            for line in lines.iter().filter(|l| l.site == site.id) {
                required += line.required_troops();
                for a in &line.assignments {
                    *per_nation.entry(&a.nation).or_default() += a.troops;
                }
            }
            let mut nations: Vec<(NationCode, u64)> = per_nation
                .into_iter()
                .map(|(n, t)| (n.clone(), t))
                .collect();
            nations.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            SitePlan {
                site: site.id.clone(),
                required_troops: required,
                troops: nations.iter().map(|(_, t)| t).sum(),
                framework_nation: nations.first().map(|(n, _)| n.clone()),
                nations,
            }
        })
        .collect()
}

/// The plan's objectives: the shortfalls of `lines`, and each goal's value as the solver reached it.
fn objectives(solved: &model::Solved, lines: &[LinePlan]) -> Objectives {
    // A goal not reached (stopped before it) has no value: never a 0 that reads as one.
    let value = |goal: Goal| {
        solved
            .reached
            .iter()
            .find(|(g, _)| *g == goal)
            .map(|(_, v)| *v)
    };
    let essential = |l: &&LinePlan| l.priority == guarantor_core::Priority::Essential;
    let shortfall = |l: &LinePlan| l.required_troops() - l.filled_troops();
    Objectives {
        essential_shortfall_troops: lines.iter().filter(essential).map(shortfall).sum(),
        desirable_shortfall_troops: lines.iter().filter(|l| !essential(l)).map(shortfall).sum(),
        nation_site_pairs: value(Goal::Cohesion).map(|v| v as u64),
        framework_troops: value(Goal::Framework).map(|v| v as u64),
        fair_share_deviation_troops: value(Goal::FairShare).map(|v| v.round() as u64),
        readiness_troop_days: value(Goal::Readiness).map(|v| v as u64),
        goals: solved
            .outcomes
            .iter()
            .map(|o| GoalValue {
                goal: model::goal_name(o.goal),
                value: o.value,
                bound: o.bound,
                // To nine decimals: beyond that it is the solver's floating-point noise.
                gap: o
                    .bound
                    .map(|b| ((b - o.value).abs() / o.value.abs().max(1.0) * 1e9).round() / 1e9),
                proven: o.proven,
            })
            .collect(),
        stopped_at: solved.stopped_at.map(model::goal_name),
        stopped_why: solved.stopped_why.clone(),
    }
}
