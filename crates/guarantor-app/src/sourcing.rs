//! The sourcing use cases: a plan for one world state, and the what-if over all of them, as the JSON the
//! interfaces print.

use std::collections::BTreeMap;

use guarantor_core::{PledgeId, Scenario, WorldState};
pub use guarantor_sourcing::ExportedInstance;
use guarantor_sourcing::{ShortfallReason, SolveError, SourcingPlan, WhatIf};
use serde::Serialize;

/// `guarantor plan --json`.
#[derive(Clone, Debug, Serialize)]
pub struct PlanReport {
    /// Scenario name.
    pub scenario: String,
    /// The world state, `fact=value,…`.
    pub world: String,
    /// The sourcing answer.
    pub sourcing: SourcingDto,
    /// The sourced force rotated through each nation's cycle over the horizon.
    pub rotation: crate::rotation::RotationDto,
    /// The sourced force and the stockpiles moved over the network: when each closes.
    pub movement: crate::movement::MovementDto,
    /// For each site and capability, the fastest reinforcement once the force stands: hours from the violation
    /// (decision, notice, movement), as `guarantor respond` gives them.
    pub reinforcement: Vec<crate::movement::ReinforcementDto>,
    /// Each planned contingency of `response.toml` in this world state, in full with its build-up, as
    /// `guarantor respond --contingency` gives it (the same force, the same code path).
    pub responses: Vec<crate::ResponseReport>,
    /// The planned contingencies that could not be answered, with why (e.g. one at a logistics hub, or at a
    /// site without a network node: `check` warns of the latter); the others are in `responses`.
    pub unanswered: Vec<UnansweredDto>,
    /// What the force costs and who pays (null when the scenario has no `cost.toml`).
    pub cost: Option<crate::CostDto>,
}

/// A planned contingency the plan could not answer.
#[derive(Clone, Debug, Serialize)]
pub struct UnansweredDto {
    /// The contingency's id (`response.toml`).
    pub contingency: String,
    /// Why, as `guarantor respond --contingency` says it.
    pub reason: String,
}

/// The sourcing answer.
#[derive(Clone, Debug, Serialize)]
pub struct SourcingDto {
    /// Troops required, filled, and of which essential.
    pub totals: SourcingTotals,
    /// Every requirement line, in file order.
    pub lines: Vec<LineDto>,
    /// Every nation, in scenario order.
    pub nations: Vec<NationDto>,
    /// Every site with lines.
    pub sites: Vec<SiteDto>,
    /// The optimum of each goal, in lexicographic order.
    pub objectives: ObjectivesDto,
    /// Rules the plan breaks, by the independent checker (empty for every plan guarantor makes).
    pub violations: Vec<String>,
}

/// Headline figures.
///
/// # Units
/// troops
#[derive(Clone, Debug, Serialize)]
pub struct SourcingTotals {
    /// Troops required.
    pub required_troops: u64,
    /// Troops filled.
    pub filled_troops: u64,
    /// Essential troops required.
    pub essential_required_troops: u64,
    /// Essential troops filled.
    pub essential_filled_troops: u64,
}

/// One line.
#[derive(Clone, Debug, Serialize)]
pub struct LineDto {
    /// Requirement id.
    pub requirement: String,
    /// Capability id.
    pub capability: String,
    /// Site id.
    pub site: String,
    /// `essential` or `desirable`.
    pub priority: &'static str,
    /// Units required.
    pub required_units: u32,
    /// Units filled.
    pub filled_units: u32,
    /// Troops required.
    pub required_troops: u64,
    /// Troops filled.
    pub filled_troops: u64,
    /// Who fills it.
    pub assignments: Vec<AssignmentDto>,
    /// Why it is short (empty when full).
    pub shortfall_reasons: Vec<ReasonDto>,
}

/// Units of one pledge on one line.
#[derive(Clone, Debug, Serialize)]
pub struct AssignmentDto {
    /// ISO alpha-3.
    pub nation: String,
    /// Pledge id.
    pub pledge: String,
    /// Units.
    pub units: u32,
    /// Troops.
    pub troops: u64,
}

/// A reason for a shortfall.
#[derive(Clone, Debug, Serialize)]
pub struct ReasonDto {
    /// `no_pledge`, `withdrawn`, `conditions_false`, `caveated_out`, `committed_elsewhere`, `nation_cap` or
    /// `too_few_nations`.
    pub kind: &'static str,
    /// The reason in words.
    pub message: String,
    /// Pledges concerned.
    pub pledges: Vec<String>,
    /// For `conditions_false`: the smallest sets of facts that would unlock the pledges, e.g. `["us_backstop"]`.
    pub unlocked_by: Vec<Vec<String>>,
    /// For `nation_cap`: the nations at their cap.
    pub nations: Vec<String>,
}

/// A nation against its fair share.
#[derive(Clone, Debug, Serialize)]
pub struct NationDto {
    /// ISO alpha-3.
    pub nation: String,
    /// Name.
    pub name: String,
    /// Troops deployed in the plan.
    pub troops: u64,
    /// Fair share of the filled troops.
    pub fair_share_troops: u64,
    /// Political cap.
    pub cap: Option<u32>,
}

/// A site.
#[derive(Clone, Debug, Serialize)]
pub struct SiteDto {
    /// Site id.
    pub site: String,
    /// Name.
    pub name: String,
    /// Troops required.
    pub required_troops: u64,
    /// Troops filled.
    pub troops: u64,
    /// The nation holding the largest share.
    pub framework_nation: Option<String>,
    /// Nations present: how many capitals an attack on the site would touch.
    pub nations_present: usize,
    /// Troops per nation, largest first.
    pub nations: Vec<(String, u64)>,
}

/// The optimum of each goal.
#[derive(Clone, Debug, Serialize)]
pub struct ObjectivesDto {
    /// Essential troops unfilled.
    pub essential_shortfall_troops: u64,
    /// Desirable troops unfilled.
    pub desirable_shortfall_troops: u64,
    /// Nation–site pairs (null when the goal was not reached).
    pub nation_site_pairs: Option<u64>,
    /// Troops held by the framework nation of each site whose lines ask for one, summed (null when not reached).
    pub framework_troops: Option<u64>,
    /// Sum of |troops − fair share| over nations (null when not reached).
    pub fair_share_deviation_troops: Option<u64>,
    /// Troops × days of notice (null when not reached).
    pub readiness_troop_days: Option<u64>,
    /// Each goal reached, in the order solved: its value, the bound the solver proved, the gap, and whether it
    /// was closed to its tolerance (false: a limit stopped it with the best solution found).
    pub goals: Vec<GoalDto>,
    /// The secondary goal at which the solver found no solution within its limits (null when every goal was
    /// reached).
    pub stopped_at: Option<&'static str>,
    /// Why it stopped there (null when it did not).
    pub stopped_why: Option<String>,
}

/// How far one sourcing goal was taken.
#[derive(Clone, Debug, Serialize)]
pub struct GoalDto {
    /// `essential fill`, `desirable fill`, `cohesion`, `framework nation`, `fair share` or `readiness`.
    pub goal: &'static str,
    /// Its value in the plan.
    pub value: f64,
    /// The best bound the solver proved (the value when proven exactly; null when a limit stopped the solver
    /// before it proved one).
    pub bound: Option<f64>,
    /// |bound − value| / max(|value|, 1) (null without a bound).
    pub gap: Option<f64>,
    /// Closed to its tolerance (the fill exactly, the others to 0.1%).
    pub proven: bool,
}

/// A shortfall reason as JSON; the caveats of pledges for which `shows_caveats` is false are not told.
fn reason(r: &ShortfallReason, shows_caveats: &dyn Fn(&PledgeId) -> bool) -> ReasonDto {
    let ids = |v: &[guarantor_core::PledgeId]| v.iter().map(|p| p.to_string()).collect::<Vec<_>>();
    let mut dto = ReasonDto {
        kind: "",
        message: String::new(),
        pledges: vec![],
        unlocked_by: vec![],
        nations: vec![],
    };
    match r {
        ShortfallReason::NoPledge => {
            dto.kind = "no_pledge";
            dto.message = "no nation pledges this capability".into();
        }
        ShortfallReason::Withdrawn { pledges } => {
            dto.kind = "withdrawn";
            dto.pledges = ids(pledges);
            dto.message = format!("withdrawn: {}", dto.pledges.join(", "));
        }
        ShortfallReason::ConditionsFalse { pledges } => {
            dto.kind = "conditions_false";
            dto.pledges = pledges.iter().map(|(p, _)| p.to_string()).collect();
            let mut sets: Vec<Vec<String>> = pledges
                .iter()
                .flat_map(|(_, sets)| {
                    sets.iter()
                        .map(|s| s.iter().map(|f| f.to_string()).collect())
                })
                .collect();
            sets.sort();
            sets.dedup();
            // A set that contains a smaller one says nothing more.
            let minimal: Vec<Vec<String>> = sets
                .iter()
                .filter(|s| {
                    !sets
                        .iter()
                        .any(|t| t.len() < s.len() && t.iter().all(|f| s.contains(f)))
                })
                .cloned()
                .collect();
            dto.unlocked_by = minimal;
            let unlock: Vec<String> = dto.unlocked_by.iter().map(|s| s.join(" + ")).collect();
            dto.message = format!(
                "waiting on conditions: {}{}",
                dto.pledges.join(", "),
                if unlock.is_empty() {
                    String::new()
                } else {
                    format!(" (unlocked by {})", unlock.join(" or "))
                }
            );
        }
        ShortfallReason::CaveatedOut { pledges } => {
            dto.kind = "caveated_out";
            dto.pledges = pledges.iter().map(|(p, _)| p.to_string()).collect();
            let parts: Vec<String> = pledges
                .iter()
                .map(|(p, why)| {
                    if shows_caveats(p) {
                        format!("{p} ({why})")
                    } else {
                        format!("{p} (caveats restricted)")
                    }
                })
                .collect();
            dto.message = format!("caveated out: {}", parts.join(", "));
        }
        ShortfallReason::CommittedElsewhere { pledges } => {
            dto.kind = "committed_elsewhere";
            dto.pledges = ids(pledges);
            dto.message = format!(
                "eligible units all serve other lines: {}",
                dto.pledges.join(", ")
            );
        }
        ShortfallReason::NationCap { nations } => {
            dto.kind = "nation_cap";
            dto.nations = nations.iter().map(|n| n.to_string()).collect();
            dto.message = format!("at their political cap: {}", dto.nations.join(", "));
        }
        ShortfallReason::TooFewNations { needed, eligible } => {
            dto.kind = "too_few_nations";
            dto.message = format!("needs {needed} nations; {eligible} can contribute");
        }
    }
    dto
}

/// Why a plan could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The sourcing solver failed.
    #[error(transparent)]
    Solve(#[from] SolveError),
    /// The movement engine refused the network (a checked scenario's never is).
    #[error("moving the force: {0}")]
    Movement(#[from] guarantor_movement::MovementError),
    /// A planned contingency could not be answered.
    #[error("a planned contingency: {0}")]
    Respond(#[from] crate::RespondError),
}

/// The rest of a plan from its sourcing: the force moved over the network, rotated, costed, the reinforcement
/// matrix and the planned contingencies computed — and the sourcing checked by the independent checker (its
/// violations listed) —, as the plan's JSON.
pub fn complete_plan(scenario: &Scenario, plan: &SourcingPlan) -> Result<PlanReport, PlanError> {
    let violations = guarantor_sourcing::check_plan(scenario, plan)
        .into_iter()
        .map(|v| format!("{}: {}", v.rule, v.message))
        .collect();
    let movement = crate::movement::move_force(scenario, plan)?;
    let (reinforcement, responses, unanswered) =
        crate::movement::reinforcements(scenario, plan, &movement)?;
    let rotation = crate::rotation::rotate_force(scenario, plan, &movement);
    let cost = crate::cost::cost_plan(scenario, plan, &movement).and_then(|c| {
        crate::cost::cost_dto(
            scenario,
            &c,
            rotation.not_arrived.clone(),
            &|n, _| n.to_string(),
            &|n| n.to_string(),
        )
    });
    Ok(PlanReport {
        scenario: scenario.name.clone(),
        world: plan.world.to_string(),
        sourcing: sourcing_dto(scenario, plan, violations, &|_| true),
        rotation,
        reinforcement,
        responses,
        unanswered,
        cost,
        movement,
    })
}

/// The sourcing part of a plan's JSON, with the checker's `violations`; the caveats of pledges for which
/// `shows_caveats` is false are not told.
pub(crate) fn sourcing_dto(
    scenario: &Scenario,
    plan: &SourcingPlan,
    violations: Vec<String>,
    shows_caveats: &dyn Fn(&PledgeId) -> bool,
) -> SourcingDto {
    let essential =
        |l: &&guarantor_sourcing::LinePlan| l.priority == guarantor_core::Priority::Essential;
    let o = &plan.objectives;
    SourcingDto {
        totals: SourcingTotals {
            required_troops: plan.required_troops(),
            filled_troops: plan.filled_troops(),
            essential_required_troops: plan
                .lines
                .iter()
                .filter(essential)
                .map(|l| l.required_troops())
                .sum(),
            essential_filled_troops: plan
                .lines
                .iter()
                .filter(essential)
                .map(|l| l.filled_troops())
                .sum(),
        },
        lines: plan
            .lines
            .iter()
            .map(|l| LineDto {
                requirement: l.requirement.to_string(),
                capability: l.capability.to_string(),
                site: l.site.to_string(),
                priority: l.priority.as_str(),
                required_units: l.required_units,
                filled_units: l.filled_units(),
                required_troops: l.required_troops(),
                filled_troops: l.filled_troops(),
                assignments: l
                    .assignments
                    .iter()
                    .map(|a| AssignmentDto {
                        nation: a.nation.to_string(),
                        pledge: a.pledge.to_string(),
                        units: a.units,
                        troops: a.troops,
                    })
                    .collect(),
                shortfall_reasons: l
                    .shortfall_reasons
                    .iter()
                    .map(|r| reason(r, shows_caveats))
                    .collect(),
            })
            .collect(),
        nations: plan
            .nations
            .iter()
            .map(|n| NationDto {
                nation: n.nation.to_string(),
                name: scenario
                    .nation(&n.nation)
                    .map(|x| x.name.clone())
                    .unwrap_or_default(),
                troops: n.troops,
                fair_share_troops: n.fair_share_troops,
                cap: n.cap,
            })
            .collect(),
        sites: plan
            .sites
            .iter()
            .map(|s| SiteDto {
                site: s.site.to_string(),
                name: scenario
                    .site(&s.site)
                    .map(|x| x.name.clone())
                    .unwrap_or_default(),
                required_troops: s.required_troops,
                troops: s.troops,
                framework_nation: s.framework_nation.as_ref().map(|n| n.to_string()),
                // Withheld troops are no nation of their own: they may be of a nation already counted.
                nations_present: s
                    .nations
                    .iter()
                    .filter(|(n, _)| n.as_str() != crate::access::WITHHELD)
                    .count(),
                nations: s.nations.iter().map(|(n, t)| (n.to_string(), *t)).collect(),
            })
            .collect(),
        objectives: ObjectivesDto {
            essential_shortfall_troops: o.essential_shortfall_troops,
            desirable_shortfall_troops: o.desirable_shortfall_troops,
            nation_site_pairs: o.nation_site_pairs,
            framework_troops: o.framework_troops,
            fair_share_deviation_troops: o.fair_share_deviation_troops,
            readiness_troop_days: o.readiness_troop_days,
            goals: o
                .goals
                .iter()
                .map(|g| GoalDto {
                    goal: g.goal,
                    value: g.value,
                    bound: g.bound,
                    gap: g.gap,
                    proven: g.proven,
                })
                .collect(),
            stopped_at: o.stopped_at,
            stopped_why: o.stopped_why.clone(),
        },
        violations,
    }
}

/// Sources `scenario` in `world` and completes the plan ([`complete_plan`]).
pub fn plan(scenario: &Scenario, world: &WorldState) -> Result<PlanReport, PlanError> {
    plan_within(scenario, world, &guarantor_sourcing::Limits::default())
}

/// As [`plan`], the sourcing's secondary goals within `limits` (`guarantor plan --goal-time-limit`).
pub fn plan_within(
    scenario: &Scenario,
    world: &WorldState,
    limits: &guarantor_sourcing::Limits,
) -> Result<PlanReport, PlanError> {
    Ok(plan_run(scenario, world, limits)?.1)
}

/// Sources `scenario` in `world` within `limits`, keeping the engine's plan beside its JSON (to release it to
/// each viewer with [`crate::release_plan`]).
pub fn plan_run(
    scenario: &Scenario,
    world: &WorldState,
    limits: &guarantor_sourcing::Limits,
) -> Result<(SourcingPlan, PlanReport), PlanError> {
    let plan = guarantor_sourcing::source_within(scenario, world, limits)?;
    let report = complete_plan(scenario, &plan)?;
    Ok((plan, report))
}

/// `guarantor whatif --json`.
#[derive(Clone, Debug, Serialize)]
pub struct WhatIfReport {
    /// Scenario name.
    pub scenario: String,
    /// The base world state.
    pub base: String,
    /// Fill in the base world state.
    pub base_filled_troops: u64,
    /// Troops required.
    pub required_troops: u64,
    /// Every combination of the facts the pledges name, worst first.
    pub states: Vec<StateDto>,
    /// Each fact's effect on the fill, largest first.
    pub facts: Vec<FactEffectDto>,
    /// Nations whose absence costs most, first.
    pub critical_nations: Vec<CriticalDto>,
    /// Distinct MILPs solved (states leaving the same pledges live share one).
    pub distinct_solves: usize,
    /// The base state's cost a year at the steady state (null without a cost model).
    pub base_cost_per_year: Option<crate::EstimateDto>,
    /// What the costs of the states are (null without a cost model): the sourcing the what-if solves — the
    /// fill goals only — and what a year at the steady state counts.
    pub cost_basis: Option<String>,
}

/// One world state.
#[derive(Clone, Debug, Serialize)]
pub struct StateDto {
    /// Each fact's value.
    pub facts: BTreeMap<String, bool>,
    /// Troops filled.
    pub filled_troops: u64,
    /// Troops required.
    pub required_troops: u64,
    /// What this state's force costs a year at the steady state (null without a cost model; see
    /// `cost_basis`).
    pub cost_per_year: Option<crate::EstimateDto>,
}

/// One fact's effect.
#[derive(Clone, Debug, Serialize)]
pub struct FactEffectDto {
    /// The fact.
    pub fact: String,
    /// Mean fill where true minus mean fill where false.
    pub mean_gain_troops: f64,
    /// Fill with only this fact flipped from the base state, minus the base fill.
    pub flip_from_base_troops: i64,
    /// The cost a year (best, at the steady state) with only this fact flipped, minus the base's (null without
    /// a cost model): what the fact costs or saves.
    pub flip_cost_per_year: Option<f64>,
}

/// One nation's weight.
#[derive(Clone, Debug, Serialize)]
pub struct CriticalDto {
    /// ISO alpha-3.
    pub nation: String,
    /// Name.
    pub name: String,
    /// Fill without it.
    pub filled_troops_without: u64,
    /// Fill lost without it.
    pub loss_troops: u64,
}

/// The what-if over every world state, from `base`.
pub fn whatif(scenario: &Scenario, base: &WorldState) -> Result<WhatIfReport, SolveError> {
    whatif_with_progress(scenario, base, &crate::Silent)
}

/// [`whatif`], telling `progress` how many of the solves are done.
pub fn whatif_with_progress(
    scenario: &Scenario,
    base: &WorldState,
    progress: &(dyn crate::Progress + Sync),
) -> Result<WhatIfReport, SolveError> {
    // Every core: the states are independent solves, and the answer does not depend on how many run at once.
    let threads = std::thread::available_parallelism().unwrap_or(std::num::NonZeroUsize::MIN);
    let started = std::sync::Once::new();
    let w: WhatIf = guarantor_sourcing::what_if(scenario, base, threads, &|done, all| {
        started.call_once(|| progress.begin("what-if: solving world states", all as u64));
        crate::progress::told(progress, done)
    })?;
    progress.end();
    // Each distinct plan's year at the steady state, from the same sourcing the fill comes from.
    let yearly: Vec<Option<guarantor_core::Estimate>> = w
        .plans
        .iter()
        .map(|p| crate::cost::steady_year(scenario, p))
        .collect();
    let dto = |e: Option<guarantor_core::Estimate>| e.map(crate::EstimateDto::of);
    let base_year = yearly[w.base_plan];
    Ok(WhatIfReport {
        scenario: scenario.name.clone(),
        base: w.base.to_string(),
        base_filled_troops: w.base_filled_troops,
        required_troops: w.required_troops,
        states: w
            .states
            .iter()
            .map(|s| StateDto {
                facts: s.facts.iter().map(|(f, v)| (f.to_string(), *v)).collect(),
                filled_troops: s.filled_troops,
                required_troops: s.required_troops,
                cost_per_year: dto(yearly[s.plan]),
            })
            .collect(),
        facts: w
            .facts
            .iter()
            .map(|f| FactEffectDto {
                fact: f.fact.to_string(),
                mean_gain_troops: (f.mean_gain_troops * 10.0).round() / 10.0,
                flip_from_base_troops: f.flip_from_base_troops,
                flip_cost_per_year: w
                    .flip_plans
                    .iter()
                    .find(|(fact, _)| fact == &f.fact)
                    .and_then(|(_, k)| Some((yearly[*k]?.best - base_year?.best).round())),
            })
            .collect(),
        critical_nations: w
            .critical_nations
            .iter()
            .map(|n| CriticalDto {
                nation: n.nation.to_string(),
                name: scenario
                    .nation(&n.nation)
                    .map(|x| x.name.clone())
                    .unwrap_or_default(),
                filled_troops_without: n.filled_troops_without,
                loss_troops: n.loss_troops,
            })
            .collect(),
        distinct_solves: w.distinct_solves,
        base_cost_per_year: dto(base_year),
        cost_basis: scenario.cost.as_ref().map(|_| {
            "the sourcing the what-if solves: the fill goals only (essential, then desirable troops; contingents, \
             fair shares and readiness not optimised); a year at the steady state: every sourced troop deployed \
             all year with its cycle behind it, its changes of tour and the enablers live — not the one-off \
             costs, the first deployment or the materiel released"
                .to_owned()
        }),
    })
}

/// `guarantor export-instance`: the sourcing instance as data, for solvers outside guarantor (it serialises to
/// the documented JSON).
pub fn export_instance(scenario: &Scenario, base: &WorldState) -> ExportedInstance {
    guarantor_sourcing::export_instance(scenario, base)
}
