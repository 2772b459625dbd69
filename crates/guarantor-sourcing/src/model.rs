//! The sourcing MILP and its lexicographic solve.
//!
//! One integer variable per (live pledge, line) pair that eligibility allows: how many of the pledge's units
//! serve the line. Hard rules are constraints: a pledge's count, a line's count, a nation's political cap, and
//! for lines that need `k` nations, contributions from at least `k` nations whenever the line is filled at all.
//! The goals are solved in order, each new solve keeping the optimum of the ones before:
//!
//! 1. most troops filled, essential first: one objective in which each essential troop weighs more than every
//!    desirable troop together, so it is the lexicographic order (essential, then desirable) in a single solve;
//! 2. fewest nation–site pairs (cohesive contingents); 3. most troops held by one framework nation per site;
//! 4. least total deviation from each nation's fair share; 5. least troops × days of notice (readiness).

use std::collections::BTreeMap;

use good_lp::{
    Expression, ProblemVariables, Solution, SolverModel, Variable, constraint, highs, variable,
};

use crate::instance::{Instance, essential};

/// Relative gap for the goals after fill: proving the last 0.1% of cohesion, framework share, fair share or
/// readiness costs seconds and changes no shortfall.
pub(crate) const SECONDARY_GAP: f32 = 1e-3;

/// Branch-and-bound nodes a secondary goal may use: a work limit, not a time limit, so the answer is the same
/// on every machine. On large scenarios a secondary goal may stop there with a good, unproven solution.
pub(crate) const SECONDARY_NODE_LIMIT: i32 = 1000;

/// Above this many (pledge, line) pairs the secondary goals are not attempted: on a 71,000-pair instance the
/// cohesion goal's root solve alone ran for over ten minutes. The fill is always optimised; the plan says where
/// it stopped.
pub(crate) const SECONDARY_PAIR_LIMIT: usize = 20_000;

/// A goal of the lexicographic order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Goal {
    Fill,
    Cohesion,
    Framework,
    FairShare,
    Readiness,
}

impl Goal {
    pub(crate) const ALL: [Goal; 5] = [
        Goal::Fill,
        Goal::Cohesion,
        Goal::Framework,
        Goal::FairShare,
        Goal::Readiness,
    ];

    /// The relative optimality gap the goal is solved to: the fill goals exactly, the others to 0.1%.
    fn gap(self) -> f32 {
        match self {
            Goal::Fill => 0.0,
            _ => SECONDARY_GAP,
        }
    }

    /// Whether the goal's value is a whole number for every integer solution.
    fn integral(self) -> bool {
        !matches!(self, Goal::FairShare)
    }

    fn maximise(self) -> bool {
        matches!(self, Goal::Fill | Goal::Framework)
    }
}

/// Why the solver gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    /// HiGHS reported an error.
    #[error("the MILP solver failed at the {goal} goal: {message}")]
    Solver {
        /// The goal being optimised.
        goal: &'static str,
        /// What HiGHS said.
        message: String,
    },
}

pub(crate) fn goal_name(goal: Goal) -> &'static str {
    match goal {
        Goal::Fill => "fill",
        Goal::Cohesion => "cohesion",
        Goal::Framework => "framework nation",
        Goal::FairShare => "fair share",
        Goal::Readiness => "readiness",
    }
}

/// The variables of one build of the model.
struct Vars {
    x: Vec<Variable>,
    /// (nation, site) presence, from the cohesion goal on.
    y: BTreeMap<(usize, usize), Variable>,
    /// Troops counted for the framework nation of each site, per (nation, site), from the framework goal on.
    g: BTreeMap<(usize, usize), Variable>,
    /// Deviation from fair share per nation, from the fair-share goal on.
    d: BTreeMap<usize, Variable>,
}

/// The values of the goals reached so far.
pub(crate) type Reached = Vec<(Goal, f64)>;

/// Assigned units per pair, the value of every goal reached, and whether every goal was.
pub(crate) struct Solved {
    pub(crate) units: Vec<u32>,
    pub(crate) reached: Reached,
    /// The first secondary goal the solver found no solution for within its work limit, if any: the plan then
    /// keeps the solution of the goals before it.
    pub(crate) stopped_at: Option<Goal>,
}

/// Solves the goals up to and including `last`.
pub(crate) fn solve(inst: &Instance<'_>, last: Goal) -> Result<Solved, SolveError> {
    let mut reached: Reached = Vec::new();
    let mut units = vec![0; inst.pairs.len()];
    let mut filled = 0.0;
    let mut stopped_at = None;
    for goal in Goal::ALL.into_iter().take_while(|g| *g <= last) {
        if goal != Goal::Fill && inst.pairs.len() > SECONDARY_PAIR_LIMIT {
            stopped_at = Some(goal);
            break;
        }
        let (value, solution) = match solve_goal(inst, goal, &reached, filled) {
            Ok(found) => found,
            // The fill must be found; a secondary goal that finds nothing within its limit leaves the plan as it is.
            Err(_) if goal != Goal::Fill => {
                stopped_at = Some(goal);
                break;
            }
            Err(e) => return Err(e),
        };
        reached.push((goal, value));
        units = solution;
        if goal == Goal::Fill {
            filled = units
                .iter()
                .enumerate()
                .map(|(k, u)| f64::from(*u) * troops(inst, k))
                .sum();
        }
    }
    Ok(Solved {
        units,
        reached,
        stopped_at,
    })
}

fn troops(inst: &Instance<'_>, k: usize) -> f64 {
    inst.lines[inst.pairs[k].1].personnel() as f64
}

/// The weight of an essential troop: one more than all desirable troops together, so that no amount of desirable
/// fill can make up for one essential troop.
fn essential_weight(inst: &Instance<'_>) -> f64 {
    let desirable: u64 = inst
        .lines
        .iter()
        .filter(|l| !essential(l.requirement))
        .map(|l| u64::from(l.requirement.count) * l.personnel())
        .sum();
    desirable as f64 + 1.0
}

fn goal_expression(inst: &Instance<'_>, vars: &Vars, goal: Goal) -> Expression {
    let mut e = Expression::from(0.0);
    match goal {
        Goal::Fill => {
            let weight = essential_weight(inst);
            for (k, &(_, l)) in inst.pairs.iter().enumerate() {
                let w = if essential(inst.lines[l].requirement) {
                    weight
                } else {
                    1.0
                };
                e += w * troops(inst, k) * vars.x[k];
            }
        }
        Goal::Cohesion => vars.y.values().for_each(|v| e += *v),
        Goal::Framework => vars.g.values().for_each(|v| e += *v),
        Goal::FairShare => vars.d.values().for_each(|v| e += *v),
        Goal::Readiness => {
            for (k, &(o, _)) in inst.pairs.iter().enumerate() {
                let days = inst.readiness_days(&inst.offers[o]) as f64;
                e += days * troops(inst, k) * vars.x[k];
            }
        }
    }
    e
}

fn solve_goal(
    inst: &Instance<'_>,
    goal: Goal,
    reached: &Reached,
    filled: f64,
) -> Result<(f64, Vec<u32>), SolveError> {
    if inst.pairs.is_empty() {
        // Nothing can be assigned: every goal is at its trivial value (HiGHS refuses an empty model).
        return Ok((0.0, Vec::new()));
    }
    let mut problem_vars = ProblemVariables::new();
    let mut constraints = Vec::new();

    let x: Vec<Variable> = inst
        .pairs
        .iter()
        .map(|&(o, l)| {
            let max = inst.offers[o].count.min(inst.lines[l].requirement.count);
            problem_vars.add(variable().integer().min(0).max(f64::from(max)))
        })
        .collect();

    // A pledge's count, a line's count, a nation's cap.
    let mut by_offer: BTreeMap<usize, Expression> = BTreeMap::new();
    let mut by_line: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut nation_troops: BTreeMap<usize, Expression> = BTreeMap::new();
    for (k, &(o, l)) in inst.pairs.iter().enumerate() {
        *by_offer.entry(o).or_default() += x[k];
        by_line.entry(l).or_default().push(k);
        *nation_troops
            .entry(inst.offers[o].nation_index)
            .or_default() += troops(inst, k) * x[k];
    }
    for (o, e) in by_offer {
        constraints.push(constraint!(e <= f64::from(inst.offers[o].count)));
    }
    for (&l, ks) in &by_line {
        let line = &inst.lines[l];
        let count = f64::from(line.requirement.count);
        let sum: Expression = ks.iter().map(|&k| x[k]).sum();
        let k_nations = line.requirement.min_nations;
        if k_nations <= 1 {
            constraints.push(constraint!(sum <= count));
            continue;
        }
        // Filled only by at least k nations: a[l] = line active, u[n] = nation n contributes.
        let active = problem_vars.add(variable().binary());
        constraints.push(constraint!(sum <= count * active));
        let mut per_nation: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &k in ks {
            per_nation
                .entry(inst.offers[inst.pairs[k].0].nation_index)
                .or_default()
                .push(k);
        }
        let mut contributors = Expression::from(0.0);
        for ks_n in per_nation.values() {
            let u = problem_vars.add(variable().binary());
            let sum_n: Expression = ks_n.iter().map(|&k| x[k]).sum();
            constraints.push(constraint!(sum_n.clone() <= count * u));
            constraints.push(constraint!(sum_n >= u));
            contributors += u;
        }
        constraints.push(constraint!(contributors >= f64::from(k_nations) * active));
    }
    for (n, e) in &nation_troops {
        let cap = inst
            .scenario
            .nation(inst.nations[*n])
            .and_then(|nation| nation.max_troops);
        if let Some(cap) = cap {
            constraints.push(constraint!(e.clone() <= f64::from(cap)));
        }
    }

    // Cohesion and framework: troops of nation n at site s.
    let mut at_site: BTreeMap<(usize, usize), Expression> = BTreeMap::new();
    let mut units_at_site: BTreeMap<(usize, usize), (Expression, f64)> = BTreeMap::new();
    for (k, &(o, l)) in inst.pairs.iter().enumerate() {
        let key = (inst.offers[o].nation_index, inst.lines[l].site_index);
        *at_site.entry(key).or_default() += troops(inst, k) * x[k];
        let entry = units_at_site
            .entry(key)
            .or_insert_with(|| (Expression::from(0.0), 0.0));
        entry.0 += x[k];
        entry.1 += f64::from(inst.offers[o].count.min(inst.lines[l].requirement.count));
    }
    let mut y = BTreeMap::new();
    if goal >= Goal::Cohesion {
        for (key, (sum, max)) in &units_at_site {
            let v = problem_vars.add(variable().binary());
            constraints.push(constraint!(sum.clone() <= *max * v));
            y.insert(*key, v);
        }
    }
    // Framework: h[n,s] is the troops of nation n at site s counted for it when n is the site's one framework
    // nation (F[n,s] = 1). h <= T and h <= U * F, with U the most troops n could bring to s: tighter than a
    // big-M on "the largest share", so the LP relaxation stays useful.
    let mut g = BTreeMap::new();
    if goal >= Goal::Framework {
        let mut bound: BTreeMap<(usize, usize), f64> = BTreeMap::new();
        for (k, &(o, l)) in inst.pairs.iter().enumerate() {
            let key = (inst.offers[o].nation_index, inst.lines[l].site_index);
            let max = f64::from(inst.offers[o].count.min(inst.lines[l].requirement.count));
            *bound.entry(key).or_default() += max * troops(inst, k);
        }
        let mut leads: BTreeMap<usize, Expression> = BTreeMap::new();
        for (key, troops_ns) in &at_site {
            let upper = bound.get(key).copied().unwrap_or(0.0);
            let lead = problem_vars.add(variable().binary());
            let h = problem_vars.add(variable().min(0).max(upper));
            constraints.push(constraint!(h <= troops_ns.clone()));
            constraints.push(constraint!(h <= upper * lead));
            if let Some(present) = y.get(key) {
                constraints.push(constraint!(lead <= *present));
            }
            *leads.entry(key.1).or_default() += lead;
            g.insert(*key, h);
        }
        for sum in leads.into_values() {
            constraints.push(constraint!(sum <= 1.0));
        }
    }
    let mut d = BTreeMap::new();
    if goal >= Goal::FairShare {
        let weights = inst.fair_share_weights();
        for (n, w) in weights.iter().enumerate() {
            if *w <= 0.0 {
                continue;
            }
            let share = w * filled;
            let dn = problem_vars.add(variable().min(0));
            let troops_n = nation_troops
                .get(&n)
                .cloned()
                .unwrap_or_else(|| Expression::from(0.0));
            constraints.push(constraint!(dn >= troops_n.clone() - share));
            constraints.push(constraint!(dn >= share - troops_n));
            d.insert(n, dn);
        }
    }

    let vars = Vars { x, y, g, d };
    // Keep every goal reached so far.
    for &(done, value) in reached {
        let e = goal_expression(inst, &vars, done);
        let slack = match done {
            Goal::FairShare => 1e-6 * value.abs().max(1.0),
            _ => 0.5,
        };
        if done.maximise() {
            constraints.push(constraint!(e >= value - slack));
        } else {
            constraints.push(constraint!(e <= value + slack));
        }
    }

    let objective = goal_expression(inst, &vars, goal);
    let unsolved = if goal.maximise() {
        problem_vars.maximise(objective.clone())
    } else {
        problem_vars.minimise(objective.clone())
    };
    let fail = |message: String| SolveError::Solver {
        goal: goal_name(goal),
        message,
    };
    let mut problem = unsolved.using(highs).set_threads(1);
    problem = problem
        .set_mip_rel_gap(goal.gap())
        .map_err(|e| fail(e.to_string()))?;
    if goal != Goal::Fill {
        problem = problem.set_option("mip_max_nodes", SECONDARY_NODE_LIMIT);
    }
    if goal.integral() {
        // Integer-valued objective: a better solution is better by at least 1, so a gap under 1 is optimal.
        problem = problem
            .set_mip_abs_gap(0.99)
            .map_err(|e| fail(e.to_string()))?;
    }
    problem = problem.set_option("random_seed", 0);
    for c in constraints {
        problem = problem.with(c);
    }
    let solution = problem.solve().map_err(|e| fail(e.to_string()))?;
    let units: Vec<u32> = vars
        .x
        .iter()
        .map(|v| solution.value(*v).round().max(0.0) as u32)
        .collect();
    let value = solution.eval(&objective);
    let value = if goal == Goal::FairShare {
        value
    } else {
        value.round()
    };
    Ok((value, units))
}
