//! What-if: the fill in every combination of the political facts the pledges name, the facts that matter most,
//! and the nations that matter most.

use crate::SourcingPlan;
use std::collections::BTreeMap;
use std::ops::ControlFlow;

use guarantor_core::{FactId, NationCode, Offer, Scenario, WorldState};

use crate::model::SolveError;

/// The fill in one world state.
#[derive(Clone, Debug, PartialEq)]
pub struct StateFill {
    /// The world state (every fact the pledges name, plus the base values of the others).
    pub world: WorldState,
    /// The facts the pledges name, with their values in this state.
    pub facts: Vec<(FactId, bool)>,
    /// # Units
    /// troops
    pub filled_troops: u64,
    /// # Units
    /// troops
    pub required_troops: u64,
    /// Its plan: an index into [`WhatIf::plans`] (states that leave the same pledges live share one).
    pub plan: usize,
}

/// How much one fact moves the fill.
#[derive(Clone, Debug, PartialEq)]
pub struct FactEffect {
    /// The fact.
    pub fact: FactId,
    /// Mean fill over the states where it is true, minus the mean where it is false.
    ///
    /// # Units
    /// troops
    pub mean_gain_troops: f64,
    /// Fill in the base world state with only this fact flipped, minus the base fill.
    ///
    /// # Units
    /// troops
    pub flip_from_base_troops: i64,
}

/// How much one nation's absence moves the fill.
#[derive(Clone, Debug, PartialEq)]
pub struct NationEffect {
    /// The nation.
    pub nation: NationCode,
    /// Fill without its pledges.
    ///
    /// # Units
    /// troops
    pub filled_troops_without: u64,
    /// Fill lost without it.
    ///
    /// # Units
    /// troops
    pub loss_troops: u64,
}

/// Every world state, worst to best, with the facts and nations that matter most.
#[derive(Clone, Debug, PartialEq)]
pub struct WhatIf {
    /// The base world state (usually today's).
    pub base: WorldState,
    /// Fill in the base world state.
    ///
    /// # Units
    /// troops
    pub base_filled_troops: u64,
    /// Troops required.
    ///
    /// # Units
    /// troops
    pub required_troops: u64,
    /// Every combination of the facts the pledges name, worst fill first.
    pub states: Vec<StateFill>,
    /// The facts, the one that moves the fill most first.
    pub facts: Vec<FactEffect>,
    /// Nations with live unit pledges in the base state, the one whose absence costs most first.
    pub critical_nations: Vec<NationEffect>,
    /// Distinct sets of live pledges solved (states that leave the same pledges live share one solve).
    pub distinct_solves: usize,
    /// Every plan solved, the fill goals only ([`crate::source_fill`]): the states', the base's, each fact
    /// flipped from the base, and then each critical nation left out.
    pub plans: Vec<SourcingPlan>,
    /// The base state's plan (an index into `plans`).
    pub base_plan: usize,
    /// Each fact the pledges name, and the plan with it flipped from the base (an index into `plans`).
    pub flip_plans: Vec<(FactId, usize)>,
}

/// The most facts `what_if` enumerates (2^16 world states).
pub const MAX_WHATIF_FACTS: usize = 16;

/// The facts the pledges name, in scenario order (at most [`MAX_WHATIF_FACTS`]): bit `i` of a what-if state
/// is fact `i`.
pub(crate) fn whatif_facts(scenario: &Scenario) -> Vec<FactId> {
    scenario
        .facts
        .iter()
        .map(|f| f.id.clone())
        .filter(|id| {
            scenario
                .pledges
                .iter()
                .any(|p| p.condition.facts().contains(id))
        })
        .take(MAX_WHATIF_FACTS)
        .collect()
}

/// Every what-if world state: `base` with the facts set to each combination, state `s` setting fact `i` true
/// exactly when bit `i` of `s` is set.
pub(crate) fn whatif_worlds(facts: &[FactId], base: &WorldState) -> Vec<WorldState> {
    (0u32..(1u32 << facts.len()))
        .map(|bits| {
            let mut world = base.clone();
            for (i, f) in facts.iter().enumerate() {
                world.set(f.clone(), bits & (1 << i) != 0);
            }
            world
        })
        .collect()
}

/// Explores every world state over the facts the pledges name, starting from `base`, solving on up to
/// `threads` threads (each solve is single-threaded and deterministic, so the answer does not depend on it).
///
/// `progress` is told `(solves done, solves in all)` after each solve, from whichever thread did it, the count
/// never going down. Answering [`ControlFlow::Break`] cancels it: the solves running finish, no other starts,
/// and the answer is [`SolveError::Cancelled`].
pub fn what_if(
    scenario: &Scenario,
    base: &WorldState,
    threads: std::num::NonZeroUsize,
    progress: &Told<'_>,
) -> Result<WhatIf, SolveError> {
    let facts = whatif_facts(scenario);
    let required: u64 = scenario
        .requirements
        .iter()
        .map(|r| scenario.required_troops(r))
        .sum();

    let worlds = whatif_worlds(&facts, base);
    // States that leave the same unit pledges live have the same fill: one job per live set. The base state and
    // its one-fact flips are among the states; the nations left out in turn are jobs of their own.
    let live_set = |world: &WorldState| -> Vec<bool> {
        scenario
            .pledges
            .iter()
            .filter(|p| matches!(p.offer, Offer::Units { .. }))
            .map(|p| p.is_live(world))
            .collect()
    };
    let mut job_of_set: BTreeMap<Vec<bool>, usize> = BTreeMap::new();
    let mut jobs: Vec<(WorldState, Option<&NationCode>)> = Vec::new();
    let mut job_of_world =
        |world: &WorldState, jobs: &mut Vec<(WorldState, Option<&NationCode>)>| {
            *job_of_set.entry(live_set(world)).or_insert_with(|| {
                jobs.push((world.clone(), None));
                jobs.len() - 1
            })
        };
    let state_jobs: Vec<usize> = worlds.iter().map(|w| job_of_world(w, &mut jobs)).collect();
    let base_job = job_of_world(base, &mut jobs);
    let flip_jobs: Vec<usize> = facts
        .iter()
        .map(|f| {
            let mut flipped = base.clone();
            flipped.set(f.clone(), !base.get(f));
            job_of_world(&flipped, &mut jobs)
        })
        .collect();
    let distinct_solves = jobs.len();
    let critical_nations: Vec<&NationCode> = scenario
        .nations
        .iter()
        .filter(|nation| {
            scenario.pledges.iter().any(|p| {
                p.nation == nation.code && p.is_live(base) && matches!(p.offer, Offer::Units { .. })
            })
        })
        .map(|n| &n.code)
        .collect();
    let nation_jobs: Vec<usize> = critical_nations
        .iter()
        .map(|n| {
            jobs.push((base.clone(), Some(*n)));
            jobs.len() - 1
        })
        .collect();

    let plans = solve_all(scenario, &jobs, threads, progress)?;
    let fills: Vec<u64> = plans.iter().map(SourcingPlan::filled_troops).collect();

    let states: Vec<StateFill> = worlds
        .into_iter()
        .zip(&state_jobs)
        .map(|(world, &job)| StateFill {
            facts: facts.iter().map(|f| (f.clone(), world.get(f))).collect(),
            world,
            filled_troops: fills[job],
            required_troops: required,
            plan: job,
        })
        .collect();
    let base_filled = fills[base_job];

    let mut effects = Vec::new();
    for (f, &flip_job) in facts.iter().zip(&flip_jobs) {
        let (mut t, mut nt, mut fsum, mut nf) = (0.0, 0.0, 0.0, 0.0);
        for s in &states {
            if s.world.get(f) {
                t += s.filled_troops as f64;
                nt += 1.0;
            } else {
                fsum += s.filled_troops as f64;
                nf += 1.0;
            }
        }
        effects.push(FactEffect {
            fact: f.clone(),
            mean_gain_troops: if nt > 0.0 && nf > 0.0 {
                t / nt - fsum / nf
            } else {
                0.0
            },
            flip_from_base_troops: fills[flip_job] as i64 - base_filled as i64,
        });
    }
    effects.sort_by(|a, b| {
        b.mean_gain_troops
            .abs()
            .total_cmp(&a.mean_gain_troops.abs())
            .then(a.fact.cmp(&b.fact))
    });

    let mut critical: Vec<NationEffect> = critical_nations
        .iter()
        .zip(&nation_jobs)
        .map(|(nation, &job)| NationEffect {
            nation: (*nation).clone(),
            filled_troops_without: fills[job],
            loss_troops: base_filled.saturating_sub(fills[job]),
        })
        .collect();
    critical.sort_by(|a, b| {
        b.loss_troops
            .cmp(&a.loss_troops)
            .then(a.nation.cmp(&b.nation))
    });

    let mut states = states;
    states.sort_by(|a, b| {
        a.filled_troops
            .cmp(&b.filled_troops)
            .then(a.world.cmp(&b.world))
    });
    Ok(WhatIf {
        base: base.clone(),
        base_filled_troops: base_filled,
        required_troops: required,
        states,
        facts: effects,
        critical_nations: critical,
        distinct_solves,
        base_plan: base_job,
        flip_plans: facts.iter().cloned().zip(flip_jobs).collect(),
        plans,
    })
}

/// The fill of every job (a world state, and a nation to leave out), on up to `threads` threads. Each HiGHS
/// instance is created, solved and dropped on one thread; HiGHS keeps its scheduler per thread, so they do not
/// meet.
fn solve_all(
    scenario: &Scenario,
    jobs: &[(WorldState, Option<&NationCode>)],
    threads: std::num::NonZeroUsize,
    progress: &Told<'_>,
) -> Result<Vec<SourcingPlan>, SolveError> {
    run_jobs(jobs.len(), threads, progress, |i| {
        let (world, without) = &jobs[i];
        crate::source_fill(scenario, world, *without)
    })
}

/// What a long solve tells as it goes — `(done, all)` after each of its solves — and how it is told to stop
/// (`Break`). Cancellation is a parameter, as everything else an engine is given.
pub type Told<'a> = dyn Fn(usize, usize) -> ControlFlow<()> + Sync + 'a;

/// Runs jobs `0..n` on up to `threads` threads (each job on one thread, from start to end: HiGHS keeps its
/// scheduler per thread), telling `progress` after each; the results in job order, or `Cancelled` when
/// `progress` answered `Break` (the jobs running finish; no other starts).
fn run_jobs<T: Send>(
    n: usize,
    threads: std::num::NonZeroUsize,
    progress: &Told<'_>,
    job: impl Fn(usize) -> Result<T, SolveError> + Sync,
) -> Result<Vec<T>, SolveError> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let results: std::sync::Mutex<Vec<Option<Result<T, SolveError>>>> =
        std::sync::Mutex::new((0..n).map(|_| None).collect());
    let work = || {
        loop {
            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if i >= n {
                break;
            }
            let result = job(i);
            // Told under the lock, so the count only goes up whichever thread finishes first.
            if let Ok(mut r) = results.lock() {
                r[i] = Some(result);
                let told = progress(
                    done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1,
                    n,
                );
                if told.is_break() {
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads.get().min(n.max(1)) {
            scope.spawn(work);
        }
        work();
    });
    if stop.into_inner() {
        return Err(SolveError::Cancelled);
    }
    let results = results
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    results
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|| {
                Err(SolveError::Solver {
                    goal: "fill",
                    message: "a what-if job was not run".to_owned(),
                })
            })
        })
        .collect()
}

/// Every what-if world state with its full plan: see [`source_every_world`].
#[derive(Clone, Debug)]
pub struct EveryWorld {
    /// The states, as [`what_if`] enumerates them.
    pub worlds: Vec<WorldState>,
    /// One plan per distinct set of live unit pledges (its `world` is the first state that needed it).
    pub plans: Vec<SourcingPlan>,
    /// For each state, the index of its plan.
    pub plan_of: Vec<usize>,
}

/// Every what-if world state over the facts the pledges name (as [`what_if`] enumerates them, from `base`)
/// with its full plan: the distinct sets of live unit pledges are each sourced once, on up to `threads` threads.
/// A plan's `world` is the first state that needed it: the caller puts each state's own world where it matters.
/// Each plan's secondary goals within `limits`.
pub fn source_every_world(
    scenario: &Scenario,
    base: &WorldState,
    threads: std::num::NonZeroUsize,
    limits: &crate::Limits,
    progress: &Told<'_>,
) -> Result<EveryWorld, SolveError> {
    let worlds = whatif_worlds(&whatif_facts(scenario), base);
    let mut job_of_set: BTreeMap<Vec<bool>, usize> = BTreeMap::new();
    let mut jobs: Vec<&WorldState> = Vec::new();
    let plan_of: Vec<usize> = worlds
        .iter()
        .map(|w| {
            let live: Vec<bool> = scenario
                .pledges
                .iter()
                .filter(|p| matches!(p.offer, Offer::Units { .. }))
                .map(|p| p.is_live(w))
                .collect();
            *job_of_set.entry(live).or_insert_with(|| {
                jobs.push(w);
                jobs.len() - 1
            })
        })
        .collect();
    let plans = run_jobs(jobs.len(), threads, progress, |i| {
        crate::source_within(scenario, jobs[i], limits)
    })?;
    Ok(EveryWorld {
        worlds,
        plans,
        plan_of,
    })
}
