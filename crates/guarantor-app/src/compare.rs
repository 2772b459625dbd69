//! Courses of action side by side, and the smallest core coalition (issue #20): `guarantor core` and
//! `guarantor compare`.

use guarantor_core::{Coalition, Course, Membership, NationCode, Party, Scenario, WorldState};
use guarantor_sourcing::{CoreCoalition, SolveError};

use crate::PlanError;
use serde::Serialize;

/// `guarantor core --json`: the fewest nations whose live pledges fill a share of the essential troops.
#[derive(Clone, Debug, Serialize)]
pub struct CoreReport {
    /// Scenario name.
    pub scenario: String,
    /// The world state.
    pub world: String,
    /// The share of the essential troops asked for (0..1).
    pub share: f64,
    /// Essential troops the requirement needs.
    pub essential_required_troops: u64,
    /// The most essential troops every live pledge together fills.
    pub essential_reachable_troops: u64,
    /// Essential troops the core must fill: the share, or all that can be filled when that is less.
    pub target_troops: u64,
    /// Whether the share is out of reach of every live pledge together.
    pub share_out_of_reach: bool,
    /// The core's nations, in scenario order, with what each sends in the least-strain solution.
    pub nations: Vec<CoreNationDto>,
    /// Nations with a live units pledge: those the core is chosen from.
    pub candidates: usize,
    /// Essential troops the core fills in that solution.
    pub essential_filled_troops: u64,
    /// The largest share of a core nation's active forces it sends (0..1).
    pub most_strain: f64,
    /// What the core fills at most on its own (essential troops first).
    pub core_fill: FillDto,
    /// What each other candidate adds to the core, most essential troops first.
    pub additions: Vec<AdditionDto>,
}

/// One core nation.
#[derive(Clone, Debug, Serialize)]
pub struct CoreNationDto {
    /// ISO alpha-3.
    pub nation: String,
    /// Name.
    pub name: String,
    /// A NATO member.
    pub nato: bool,
    /// Accepted by Russia (as well as by Ukraine): nations.toml `acceptable_to`.
    pub acceptable_to_both: bool,
    /// Troops it sends in the least-strain solution.
    pub troops: u64,
    /// Those troops as a share of its active forces (0..1).
    pub share_of_active: f64,
}

/// Troops filled, by the fill goals.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct FillDto {
    /// Essential troops filled.
    pub essential_troops: u64,
    /// All troops filled.
    pub troops: u64,
}

/// One nation added to the core.
#[derive(Clone, Debug, Serialize)]
pub struct AdditionDto {
    /// ISO alpha-3.
    pub nation: String,
    /// Name.
    pub name: String,
    /// The core with it: essential troops filled at most.
    pub essential_troops: u64,
    /// The core with it: all troops filled at most.
    pub troops: u64,
    /// Essential troops it adds to the core.
    pub essential_gain_troops: u64,
    /// Troops it adds to the core.
    pub gain_troops: u64,
}

/// Whether `nation` is a NATO member and whether both parties accept it.
pub(crate) fn nation_flags(scenario: &Scenario, nation: &NationCode) -> (bool, bool) {
    scenario.nation(nation).map_or((false, false), |n| {
        (
            n.memberships.contains(&Membership::Nato),
            n.acceptable_to.contains(&Party::Russia) && n.acceptable_to.contains(&Party::Ukraine),
        )
    })
}

/// The smallest core coalition of `scenario` in `world` filling `share` of the essential troops.
pub fn core(scenario: &Scenario, world: &WorldState, share: f64) -> Result<CoreReport, SolveError> {
    let c = guarantor_sourcing::smallest_core(scenario, world, share)?;
    Ok(core_report(scenario, world, &c))
}

fn core_report(scenario: &Scenario, world: &WorldState, c: &CoreCoalition) -> CoreReport {
    let name = |n: &NationCode| {
        scenario
            .nation(n)
            .map(|x| x.name.clone())
            .unwrap_or_default()
    };
    CoreReport {
        scenario: scenario.name.clone(),
        world: world.to_string(),
        share: c.share,
        essential_required_troops: c.essential_required_troops,
        essential_reachable_troops: c.essential_reachable_troops,
        target_troops: c.target_troops,
        share_out_of_reach: c.share_out_of_reach,
        nations: c
            .nations
            .iter()
            .map(|n| {
                let troops = c.troops.get(n).copied().unwrap_or(0);
                let active = scenario.nation(n).map_or(0, |x| x.active_forces);
                let (nato, acceptable_to_both) = nation_flags(scenario, n);
                CoreNationDto {
                    nation: n.to_string(),
                    name: name(n),
                    nato,
                    acceptable_to_both,
                    troops,
                    share_of_active: if active > 0 {
                        troops as f64 / f64::from(active)
                    } else {
                        0.0
                    },
                }
            })
            .collect(),
        candidates: c.candidates.len(),
        essential_filled_troops: c.essential_filled_troops,
        most_strain: c.most_strain,
        core_fill: FillDto {
            essential_troops: c.core_fill.essential_troops,
            troops: c.core_fill.troops,
        },
        additions: c
            .additions
            .iter()
            .map(|a| AdditionDto {
                nation: a.nation.to_string(),
                name: name(&a.nation),
                essential_troops: a.fill.essential_troops,
                troops: a.fill.troops,
                essential_gain_troops: a
                    .fill
                    .essential_troops
                    .saturating_sub(c.core_fill.essential_troops),
                gain_troops: a.fill.troops.saturating_sub(c.core_fill.troops),
            })
            .collect(),
    }
}

/// A problem making a course of action's plan.
#[derive(Debug, thiserror::Error)]
pub enum CourseError {
    /// No course has this id.
    #[error("the scenario has no course of action `{0}`; its courses are {1}")]
    Unknown(String, String),
    /// The plan could not be made (the solver failed, or the engines after it).
    #[error(transparent)]
    Plan(#[from] PlanError),
}

impl From<SolveError> for CourseError {
    fn from(e: SolveError) -> CourseError {
        CourseError::Plan(PlanError::Solve(e))
    }
}

/// The course with this id.
pub fn course<'s>(scenario: &'s Scenario, id: &str) -> Result<&'s Course, CourseError> {
    scenario
        .courses
        .iter()
        .find(|c| c.id.as_str() == id)
        .ok_or_else(|| {
            let ids: Vec<&str> = scenario.courses.iter().map(|c| c.id.as_str()).collect();
            CourseError::Unknown(
                id.to_owned(),
                if ids.is_empty() {
                    "none (the scenario has no courses.toml)".to_owned()
                } else {
                    ids.join(", ")
                },
            )
        })
}

/// The course's `i`th world state (facts set on top of today's).
pub fn course_world(scenario: &Scenario, course: &Course, i: usize) -> WorldState {
    let mut world = scenario.today();
    for (fact, value) in course.worlds.get(i).into_iter().flatten() {
        world.set(fact.clone(), *value);
    }
    world
}

/// The scenario as the course of action has it: its requirements, and only its coalition's pledges (the
/// smallest core is found in the course's first world state). Every figure of the course comes from planning
/// this scenario, as `guarantor plan --course` does.
pub fn course_scenario(scenario: &Scenario, course: &Course) -> Result<Scenario, SolveError> {
    let mut s = scenario.clone();
    s.requirements = course.requirements.clone();
    s.courses = Vec::new();
    let keep: Option<Vec<NationCode>> = match &course.coalition {
        Coalition::All => None,
        Coalition::Named(nations) => Some(nations.clone()),
        Coalition::Core { share } => {
            let world = course_world(&s, course, 0);
            Some(guarantor_sourcing::smallest_core(&s, &world, *share)?.nations)
        }
    };
    if let Some(nations) = keep {
        s.pledges.retain(|p| nations.contains(&p.nation));
    }
    if course.units_only {
        s.pledges
            .retain(|p| matches!(p.offer, guarantor_core::Offer::Units { .. }));
    }
    Ok(s)
}

/// A course of action's full plan, as `guarantor plan --course`, the API and the dashboard give it.
pub struct CoursePlan<'s> {
    /// The course.
    pub course: &'s Course,
    /// The scenario as the course has it (its requirements and coalition): what the plan's briefing draws.
    pub scenario: Scenario,
    /// The world state planned.
    pub world: WorldState,
    /// The plan.
    pub report: crate::PlanReport,
}

/// Plans the course `id` of `scenario` in `world`, or in the course's first world state.
pub fn course_plan<'s>(
    scenario: &'s Scenario,
    id: &str,
    world: Option<WorldState>,
) -> Result<CoursePlan<'s>, CourseError> {
    let course = course(scenario, id)?;
    let cs = course_scenario(scenario, course)?;
    let world = world.unwrap_or_else(|| course_world(&cs, course, 0));
    let report = crate::plan(&cs, &world)?;
    Ok(CoursePlan {
        course,
        scenario: cs,
        world,
        report,
    })
}

/// `guarantor compare --json`: every course of action in each of its world states, on the same criteria.
#[derive(Clone, Debug, Serialize)]
pub struct CompareReport {
    /// Scenario name.
    pub scenario: String,
    /// The mission's initial operating capability threshold (share of essential troops) robustness counts.
    pub ioc_fill: f64,
    /// The mission's full operating capability threshold.
    pub foc_fill: f64,
    /// Every course in each of its world states, in file order.
    pub options: Vec<OptionDto>,
}

impl CompareReport {
    /// The world states the options are judged in other than today, each once, in `--world` syntax.
    pub fn worlds(&self) -> Vec<&str> {
        let mut worlds: Vec<&str> = self
            .options
            .iter()
            .map(|o| o.world_facts.as_str())
            .filter(|w| !w.is_empty())
            .collect();
        worlds.sort_unstable();
        worlds.dedup();
        worlds
    }
}

impl OptionDto {
    /// The coalition in words: `all`, or `core (FRA, GBR, …)`, `named (…)`.
    pub fn coalition_text(&self) -> String {
        if self.coalition_nations.is_empty() {
            self.coalition.to_owned()
        } else {
            format!("{} ({})", self.coalition, self.coalition_nations.join(", "))
        }
    }

    /// When initial operating capability is never reached because the force is too small: by how many troops.
    pub fn ioc_short_by(&self) -> Option<u64> {
        (self.ioc_day.is_none() && self.filled_troops < self.ioc_troops)
            .then(|| self.ioc_troops - self.filled_troops)
    }

    /// The share of world states in which the fill reaches initial operating capability (0..1).
    pub fn robust_share(&self) -> f64 {
        if self.states == 0 {
            0.0
        } else {
            self.robust_states as f64 / self.states as f64
        }
    }
}

/// One course of action in one world state.
#[derive(Clone, Debug, Serialize)]
pub struct OptionDto {
    /// Course id: `guarantor plan --course ID --world WORLD` gives its full plan.
    pub course: String,
    /// Name.
    pub name: String,
    /// `monitoring`, `reassurance`, `deterrence`, `training` or `backstop`.
    pub mission: &'static str,
    /// What it is.
    pub description: String,
    /// Where its requirements come from.
    pub requirements_from: String,
    /// `all`, `named` or `core`.
    pub coalition: &'static str,
    /// The world state's facts set on top of today's (empty: today), in `--world` syntax.
    pub world_facts: String,
    /// The whole world state.
    pub world: String,
    /// Troops required.
    pub required_troops: u64,
    /// Troops filled (deployed).
    pub filled_troops: u64,
    /// Essential troops required.
    pub essential_required_troops: u64,
    /// Essential troops filled.
    pub essential_filled_troops: u64,
    /// Troops short, by the first reason of each short line, most first.
    pub shortfall: Vec<ShortfallDto>,
    /// Troops committed at the steady state (deployed, preparing and recovering: rotation).
    pub committed_troops: u64,
    /// What the force costs a year (null without a cost model).
    pub cost_per_year: Option<crate::EstimateDto>,
    /// The nations that bear most of it (net, best), largest first, at most three.
    pub top_payers: Vec<PayerDto>,
    /// The day initial operating capability is in place (null: never within the horizon).
    pub ioc_day: Option<u32>,
    /// The day full operating capability is in place (null: never within the horizon).
    pub foc_day: Option<u32>,
    /// Key sites in the reinforcement matrix: the fastest reinforcement of each, the slowest of those (hours).
    pub response_worst_hours: Option<u32>,
    /// The median over key sites of their fastest reinforcement (hours).
    pub response_median_hours: Option<u32>,
    /// Key sites in the matrix.
    pub response_sites: usize,
    /// Nations with troops in the plan.
    pub nations: usize,
    /// Of those, NATO members.
    pub nato_nations: usize,
    /// Of those, nations both parties accept.
    pub acceptable_to_both_nations: usize,
    /// Every nation with troops in the plan is accepted by both parties (and there is at least one).
    pub acceptable_to_both: bool,
    /// World states (every combination of the facts the pledges name) in which the fill reaches initial
    /// operating capability (troops filled at least `ioc_fill` of those required, as the plan's movement counts
    /// it), by the what-if's fill goals.
    pub robust_states: usize,
    /// World states counted.
    pub states: usize,
    /// The command that prints its full plan.
    pub plan_command: String,
    /// A named or core coalition's nations (with a pledge in the course), in scenario order; empty for "all".
    pub coalition_nations: Vec<String>,
    /// Troops in place that make initial operating capability (`ioc_fill` of the troops required).
    pub ioc_troops: u64,
    /// Troops filled at sites on the ground in Ukraine (the political dividing line between options).
    pub troops_in_ukraine: u64,
    /// Troops filled in air and sea areas (air policing, maritime security).
    pub troops_air_sea: u64,
    /// Troops filled at sites in other countries (hubs, bases in neighbouring states).
    pub troops_outside: u64,
}

/// Troops short for one reason.
#[derive(Clone, Debug, Serialize)]
pub struct ShortfallDto {
    /// The reason's kind, as in the plan's `shortfall_reasons`.
    pub reason: &'static str,
    /// Troops short on the lines it is the first reason of.
    pub troops: u64,
}

/// A nation bearing part of the cost.
#[derive(Clone, Debug, Serialize)]
pub struct PayerDto {
    /// ISO alpha-3.
    pub nation: String,
    /// Net a year (best).
    pub net_per_year: f64,
    /// Its share of the total net.
    pub share: f64,
}

/// Compares every course of action of `scenario`, telling `progress` how many plans are done. Each option's
/// sourcing solves its secondary goals within `limits` ([`INTERACTIVE_LIMITS`](crate::INTERACTIVE_LIMITS) where
/// someone waits for the answer): a course's own plan within the same limits gives the same figures.
pub fn compare(
    scenario: &Scenario,
    limits: &crate::SourcingLimits,
    progress: &(dyn crate::Progress + Sync),
) -> Result<CompareReport, PlanError> {
    let jobs: Vec<(&Course, usize)> = scenario
        .courses
        .iter()
        .flat_map(|c| (0..c.worlds.len()).map(move |i| (c, i)))
        .collect();
    let scenarios: Vec<Scenario> = scenario
        .courses
        .iter()
        .map(|c| course_scenario(scenario, c))
        .collect::<Result<_, _>>()?;
    progress.begin("compare: planning each option", jobs.len() as u64);
    // Every core: the options are independent plans; the answer does not depend on how many run at once.
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<Result<OptionDto, PlanError>>>> =
        jobs.iter().map(|_| std::sync::Mutex::new(None)).collect();
    let ordinal = |c: &Course| {
        scenario
            .courses
            .iter()
            .position(|x| x.id == c.id)
            .unwrap_or(0)
    };
    std::thread::scope(|scope| {
        for _ in 0..threads.min(jobs.len()) {
            scope.spawn(|| {
                loop {
                    let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&(course, i)) = jobs.get(k) else {
                        break;
                    };
                    let s = &scenarios[ordinal(course)];
                    let world = course_world(s, course, i);
                    let answer = crate::plan_within(s, &world, limits).and_then(|report| {
                        let (robust, states) = robustness(s, &world)?;
                        Ok(option_dto(s, course, i, &world, &report, robust, states))
                    });
                    if let Ok(mut slot) = slots[k].lock() {
                        *slot = Some(answer);
                    }
                    let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                    progress.advance_to(n as u64);
                }
            });
        }
    });
    progress.end();
    let mut options = Vec::new();
    for slot in slots {
        match slot.into_inner().ok().flatten() {
            Some(answer) => options.push(answer?),
            None => {
                return Err(PlanError::Solve(SolveError::Solver {
                    goal: "compare",
                    message: "an option's plan was not computed (a worker stopped)".to_owned(),
                }));
            }
        }
    }
    Ok(CompareReport {
        scenario: scenario.name.clone(),
        ioc_fill: scenario.mission.ioc_fill,
        foc_fill: scenario.mission.foc_fill,
        options,
    })
}

/// In how many world states the fill reaches initial operating capability, of how many.
fn robustness(s: &Scenario, world: &WorldState) -> Result<(usize, usize), SolveError> {
    let threads = std::thread::available_parallelism().unwrap_or(std::num::NonZeroUsize::MIN);
    let w = guarantor_sourcing::what_if(s, world, threads, &|_, _| {
        std::ops::ControlFlow::Continue(())
    })?;
    // As the plan's movement counts initial operating capability: troops filled against all those required.
    let reaches = |st: &&guarantor_sourcing::StateFill| {
        st.required_troops == 0
            || st.filled_troops >= (s.mission.ioc_fill * st.required_troops as f64).ceil() as u64
    };
    Ok((w.states.iter().filter(reaches).count(), w.states.len()))
}

fn option_dto(
    s: &Scenario,
    course: &Course,
    i: usize,
    world: &WorldState,
    r: &crate::PlanReport,
    robust_states: usize,
    states: usize,
) -> OptionDto {
    let totals = &r.sourcing.totals;
    let shortfall = shortfall_by_reason(r);
    // The nations in the plan, with their flags.
    let mut nations: Vec<&str> = r
        .sourcing
        .lines
        .iter()
        .flat_map(|l| l.assignments.iter().map(|a| a.nation.as_str()))
        .collect();
    nations.sort_unstable();
    nations.dedup();
    let flags: Vec<(bool, bool)> = nations
        .iter()
        .filter_map(|n| NationCode::new(n).ok())
        .map(|n| nation_flags(s, &n))
        .collect();
    let both = flags.iter().filter(|f| f.1).count();
    let hours = fastest_reinforcement_hours(r);
    let whereabouts = troops_by_whereabouts(s, r);
    let facts = course
        .worlds
        .get(i)
        .into_iter()
        .flatten()
        .map(|(f, v)| format!("{f}={v}"))
        .collect::<Vec<_>>()
        .join(",");
    OptionDto {
        course: course.id.to_string(),
        name: course.name.clone(),
        mission: course.mission.as_str(),
        description: course.description.clone(),
        requirements_from: course.requirements_from.clone(),
        coalition: match course.coalition {
            Coalition::All => "all",
            Coalition::Named(_) => "named",
            Coalition::Core { .. } => "core",
        },
        world_facts: facts.clone(),
        world: world.to_string(),
        required_troops: totals.required_troops,
        filled_troops: totals.filled_troops,
        essential_required_troops: totals.essential_required_troops,
        essential_filled_troops: totals.essential_filled_troops,
        shortfall,
        committed_troops: r.rotation.steady_committed,
        cost_per_year: r.cost.as_ref().map(|c| c.per_year),
        top_payers: top_payers(r),
        ioc_day: r.movement.ioc_day,
        foc_day: r.movement.foc_day,
        response_worst_hours: hours.last().copied(),
        response_median_hours: hours.get(hours.len() / 2).copied(),
        response_sites: hours.len(),
        nations: nations.len(),
        nato_nations: flags.iter().filter(|f| f.0).count(),
        acceptable_to_both_nations: both,
        acceptable_to_both: !flags.is_empty() && both == flags.len(),
        robust_states,
        states,
        plan_command: format!(
            "guarantor plan --course {}{}",
            course.id,
            // The course's first world state needs no `--world`; any other does, today's too.
            match (i, facts.is_empty()) {
                (0, _) => String::new(),
                (_, true) => " --world today".to_owned(),
                (_, false) => format!(" --world {facts}"),
            }
        ),
        coalition_nations: match &course.coalition {
            Coalition::All => Vec::new(),
            // The scenario's nations (unique, in scenario order) with a pledge in the course.
            Coalition::Named(_) | Coalition::Core { .. } => s
                .nations
                .iter()
                .filter(|x| s.pledges.iter().any(|p| p.nation == x.code))
                .map(|x| x.code.to_string())
                .collect(),
        },
        ioc_troops: r.movement.ioc_troops,
        troops_in_ukraine: whereabouts.0,
        troops_air_sea: whereabouts.1,
        troops_outside: whereabouts.2,
    }
}

/// Troops short on the plan's lines by the first reason of each, the most first.
fn shortfall_by_reason(r: &crate::PlanReport) -> Vec<ShortfallDto> {
    let mut short: std::collections::BTreeMap<&'static str, u64> = Default::default();
    for l in &r.sourcing.lines {
        let missing = l.required_troops.saturating_sub(l.filled_troops);
        if missing > 0 {
            let reason = l.shortfall_reasons.first().map_or("no_pledge", |x| x.kind);
            *short.entry(reason).or_default() += missing;
        }
    }
    let mut shortfall: Vec<ShortfallDto> = short
        .into_iter()
        .map(|(reason, troops)| ShortfallDto { reason, troops })
        .collect();
    shortfall.sort_by_key(|s| std::cmp::Reverse(s.troops));
    shortfall
}

/// The three nations bearing the most of the plan's cost: each one's net a year and share of the total net.
fn top_payers(r: &crate::PlanReport) -> Vec<PayerDto> {
    let mut payers: Vec<(String, f64)> = r
        .cost
        .iter()
        .flat_map(|c| c.nations.iter())
        .map(|n| (n.nation.clone(), n.net.best))
        .collect();
    let years = r
        .cost
        .as_ref()
        .map_or(1.0, |c| f64::from(c.horizon_months.max(1)) / 12.0);
    let total: f64 = payers.iter().map(|(_, v)| v.max(0.0)).sum();
    payers.sort_by(|a, b| b.1.total_cmp(&a.1));
    payers
        .into_iter()
        .take(3)
        .map(|(nation, net)| PayerDto {
            nation,
            net_per_year: net / years,
            share: if total > 0.0 { net / total } else { 0.0 },
        })
        .collect()
}

/// Key sites: each site's fastest reinforcement in the matrix, in hours, the fastest first.
fn fastest_reinforcement_hours(r: &crate::PlanReport) -> Vec<u32> {
    let mut fastest: std::collections::BTreeMap<&str, u32> = Default::default();
    for row in &r.reinforcement {
        let e = fastest.entry(row.site.as_str()).or_insert(row.hours);
        *e = (*e).min(row.hours);
    }
    let mut hours: Vec<u32> = fastest.values().copied().collect();
    hours.sort_unstable();
    hours
}

/// Where the troops filled stand: on the ground in Ukraine, in an air or sea area, in another country.
fn troops_by_whereabouts(s: &Scenario, r: &crate::PlanReport) -> (u64, u64, u64) {
    let mut whereabouts = (0, 0, 0);
    for l in &r.sourcing.lines {
        let site = guarantor_core::SiteId::new(&l.site)
            .ok()
            .and_then(|id| s.site(&id));
        match site {
            Some(site)
                if matches!(
                    site.kind,
                    guarantor_core::SiteKind::AirArea | guarantor_core::SiteKind::SeaArea
                ) =>
            {
                whereabouts.1 += l.filled_troops;
            }
            Some(site) if site.country.as_str() != "UKR" => whereabouts.2 += l.filled_troops,
            _ => whereabouts.0 += l.filled_troops,
        }
    }
    whereabouts
}
