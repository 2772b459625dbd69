//! The smallest core coalition: the fewest nations whose live pledges fill the essential lines to a share of
//! what they need, and among those the one that strains its most stretched nation least.
//!
//! One MILP over the sourcing model's hard rules (a pledge's count, a line's count, the nations a line needs, a
//! nation's cap), with a binary per nation that a pair may use only when it is set, and the essential troops
//! filled at least the target. Solved twice: fewest nations, then, with that many, the least largest share of
//! a nation's active forces sent. Both solves are exact (no gap): the count is proven minimal by HiGHS's bound,
//! and `bench/sourcing/core` puts the same question to PuLP and highspy from the exported instance.

use std::collections::BTreeMap;

use good_lp::{
    Expression, ProblemVariables, Solution, SolverModel, Variable, constraint, highs, variable,
};
use guarantor_core::{NationCode, Scenario, WorldState};

use crate::instance::{Instance, essential};
use crate::model::{Columns, Goal, How, Limits, SolveError, hard_rules, solve, troops};

/// The smallest core coalition in a world state.
#[derive(Clone, Debug, PartialEq)]
pub struct CoreCoalition {
    /// The share of the essential troops the core must fill, as asked.
    pub share: f64,
    /// Essential troops the requirement needs.
    ///
    /// # Units
    /// troops
    pub essential_required_troops: u64,
    /// The most essential troops every live pledge together can fill.
    ///
    /// # Units
    /// troops
    pub essential_reachable_troops: u64,
    /// Essential troops the core must fill: the share of what is needed, or all that can be filled when every
    /// live pledge together falls short of that.
    ///
    /// # Units
    /// troops
    pub target_troops: u64,
    /// Whether the share asked for is out of reach of every live pledge together (the target is then what they
    /// can fill).
    pub share_out_of_reach: bool,
    /// The core's nations, in scenario order.
    pub nations: Vec<NationCode>,
    /// Essential troops the core fills in the solution found.
    ///
    /// # Units
    /// troops
    pub essential_filled_troops: u64,
    /// Troops each core nation sends in that solution.
    ///
    /// # Units
    /// troops
    pub troops: BTreeMap<NationCode, u64>,
    /// The largest share of a core nation's active forces it sends (0..1).
    pub most_strain: f64,
    /// Nations with a live units pledge in the world state: those the core is chosen from.
    pub candidates: Vec<NationCode>,
    /// What the core's nations can fill at most on their own (the fill goals, as a plan solves them).
    pub core_fill: Fill,
    /// What each candidate outside the core adds to it, most essential troops first.
    pub additions: Vec<Addition>,
}

/// Troops filled (the fill goals: essential troops first, then desirable).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fill {
    /// Essential troops filled.
    ///
    /// # Units
    /// troops
    pub essential_troops: u64,
    /// All troops filled.
    ///
    /// # Units
    /// troops
    pub troops: u64,
}

/// What one nation adds to the core.
#[derive(Clone, Debug, PartialEq)]
pub struct Addition {
    /// The nation.
    pub nation: NationCode,
    /// The core with it: what it fills at most.
    pub fill: Fill,
}

/// What the live units pledges of `nations` alone fill in `world` at most (the fill goals).
pub fn fill_among(
    scenario: &Scenario,
    world: &WorldState,
    nations: &[NationCode],
) -> Result<Fill, SolveError> {
    let inst = Instance::of_pledges(scenario, |p| {
        p.is_live(world) && nations.contains(&p.nation)
    });
    let reached = solve(&inst, Goal::Desirable, &Limits::default())?.reached;
    let value = |g: Goal| {
        reached
            .iter()
            .find(|(done, _)| *done == g)
            .map_or(0, |(_, v)| v.round().max(0.0) as u64)
    };
    let essential_troops = value(Goal::Essential);
    Ok(Fill {
        essential_troops,
        troops: essential_troops + value(Goal::Desirable),
    })
}

/// Finds the smallest core coalition of `scenario` in `world`: the fewest nations whose live pledges fill at
/// least `share` (0..1) of the essential troops, then the least strain on the most stretched of them.
pub fn smallest_core(
    scenario: &Scenario,
    world: &WorldState,
    share: f64,
) -> Result<CoreCoalition, SolveError> {
    let inst = Instance::new(scenario, world, None);
    let essential_required_troops: u64 = inst
        .lines
        .iter()
        .filter(|l| essential(l.requirement))
        .map(|l| u64::from(l.requirement.count) * l.personnel())
        .sum();
    let reachable = solve(&inst, Goal::Essential, &Limits::default())?
        .reached
        .first()
        .map_or(0.0, |(_, v)| *v);
    let essential_reachable_troops = reachable.round().max(0.0) as u64;
    let wanted = (share.clamp(0.0, 1.0) * essential_required_troops as f64).ceil() as u64;
    let target_troops = wanted.min(essential_reachable_troops);
    let mut candidates: Vec<usize> = inst
        .pairs
        .iter()
        .map(|&(o, _)| inst.offers[o].nation_index)
        .collect();
    candidates.sort_unstable();
    candidates.dedup();

    let fewest = solve_core(&inst, target_troops, None)?;
    let count = fewest.nations.len();
    let least = solve_core(&inst, target_troops, Some(count))?;
    let name = |n: usize| inst.nations[n].clone();
    let core: Vec<NationCode> = least.nations.iter().map(|&n| name(n)).collect();
    let core_fill = fill_among(scenario, world, &core)?;
    let mut additions = Vec::new();
    for &n in &candidates {
        if least.nations.contains(&n) {
            continue;
        }
        let mut with = core.clone();
        with.push(name(n));
        additions.push(Addition {
            nation: name(n),
            fill: fill_among(scenario, world, &with)?,
        });
    }
    // Most essential troops first, then most troops; scenario order on a tie (the sort is stable).
    additions.sort_by(|a, b| {
        (b.fill.essential_troops, b.fill.troops).cmp(&(a.fill.essential_troops, a.fill.troops))
    });
    Ok(CoreCoalition {
        share,
        essential_required_troops,
        essential_reachable_troops,
        target_troops,
        share_out_of_reach: wanted > essential_reachable_troops,
        nations: core,
        essential_filled_troops: least.essential_troops,
        troops: least.troops.iter().map(|(&n, &t)| (name(n), t)).collect(),
        most_strain: least.most_strain,
        candidates: candidates.into_iter().map(name).collect(),
        core_fill,
        additions,
    })
}

/// One solve's answer.
struct CoreFound {
    /// Nation indexes in the core, ascending.
    nations: Vec<usize>,
    essential_troops: u64,
    troops: BTreeMap<usize, u64>,
    most_strain: f64,
}

/// Fewest nations (`count` = None), or with at most `count` nations the least largest share of a nation's
/// active forces, filling at least `target` essential troops.
fn solve_core(
    inst: &Instance<'_>,
    target: u64,
    count: Option<usize>,
) -> Result<CoreFound, SolveError> {
    let goal = if count.is_none() {
        "fewest nations"
    } else {
        "least strain"
    };
    let fail = |message: String| SolveError::Solver { goal, message };
    if inst.pairs.is_empty() || target == 0 {
        return Ok(CoreFound {
            nations: Vec::new(),
            essential_troops: 0,
            troops: BTreeMap::new(),
            most_strain: 0.0,
        });
    }
    let mut cols = Columns {
        vars: ProblemVariables::new(),
        all: Vec::new(),
        start: None,
        starts: Vec::new(),
    };
    let rules = hard_rules(inst, &mut cols, &How::default());
    let mut constraints = rules.constraints;
    let x = rules.x;
    // A nation takes part (z) or none of its pairs is used.
    let mut member: BTreeMap<usize, Variable> = BTreeMap::new();
    let mut essential_troops = Expression::from(0.0);
    for (k, &(o, l)) in inst.pairs.iter().enumerate() {
        let n = inst.offers[o].nation_index;
        let z = *member
            .entry(n)
            .or_insert_with(|| cols.add(variable().binary(), None));
        let max = f64::from(inst.offers[o].count.min(inst.lines[l].requirement.count));
        constraints.push(constraint!(x[k] <= max * z));
        if essential(inst.lines[l].requirement) {
            essential_troops += troops(inst, k) * x[k];
        }
    }
    constraints.push(constraint!(essential_troops.clone() >= target as f64));
    let members: Expression = member.values().copied().sum();
    // The largest share of a nation's active forces sent.
    let most = cols.add(variable().min(0.0), None);
    for (n, sent) in &rules.nation_troops {
        let active = inst
            .scenario
            .nation(inst.nations[*n])
            .map_or(0, |nation| nation.active_forces);
        if active > 0 {
            constraints.push(constraint!(most >= sent.clone() / f64::from(active)));
        }
    }
    let objective = match count {
        None => members.clone(),
        Some(c) => {
            constraints.push(constraint!(members <= c as f64));
            Expression::from(most)
        }
    };
    let mut problem = cols
        .vars
        .minimise(objective)
        .using(highs)
        .set_threads(1)
        .set_option("random_seed", 0);
    problem = problem
        .set_mip_rel_gap(0.0)
        .map_err(|e| fail(e.to_string()))?;
    if count.is_none() {
        // A whole number of nations: a gap under 1 is optimal.
        problem = problem
            .set_mip_abs_gap(0.99)
            .map_err(|e| fail(e.to_string()))?;
    }
    for c in constraints {
        problem = problem.with(c);
    }
    let solution = problem.solve().map_err(|e| fail(e.to_string()))?;
    let units: Vec<u64> = x
        .iter()
        .map(|v| solution.value(*v).round().max(0.0) as u64)
        .collect();
    let mut troops_of: BTreeMap<usize, u64> = BTreeMap::new();
    let mut filled = 0;
    for (k, &(o, l)) in inst.pairs.iter().enumerate() {
        let t = units[k] * inst.lines[l].personnel();
        if t > 0 {
            *troops_of.entry(inst.offers[o].nation_index).or_default() += t;
        }
        if essential(inst.lines[l].requirement) {
            filled += t;
        }
    }
    // The core is the nations chosen (a nation chosen but sending nothing is not counted: never optimal).
    let nations: Vec<usize> = member
        .iter()
        .filter(|(_, z)| solution.value(**z) > 0.5)
        .map(|(n, _)| *n)
        .collect();
    let most_strain = troops_of
        .iter()
        .filter_map(|(n, t)| {
            let active = inst.scenario.nation(inst.nations[*n])?.active_forces;
            (active > 0).then(|| *t as f64 / f64::from(active))
        })
        .fold(0.0, f64::max);
    Ok(CoreFound {
        nations,
        essential_troops: filled,
        troops: troops_of,
        most_strain,
    })
}
