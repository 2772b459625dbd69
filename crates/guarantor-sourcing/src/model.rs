//! The sourcing MILP and its lexicographic solve.
//!
//! One integer variable per (live pledge, line) pair that eligibility allows: how many of the pledge's units
//! serve the line. Hard rules are constraints: a pledge's count, a line's count, a nation's political cap, and
//! for lines that need `k` nations, contributions from at least `k` nations whenever the line is filled at all.
//! The goals are solved in order, each new solve keeping the optimum of the ones before:
//!
//! 1. most essential troops filled; 2. most desirable troops filled; 3. fewest nation–site pairs (cohesive
//!    contingents); 4. most troops held by one framework nation at each site with a line that asks for one
//!    (requirements.toml `framework`); 5. least total deviation from each
//!    nation's fair share; 6. least troops × days of notice (readiness).
//!
//! The two fill goals are solved exactly and fast by working from the LP relaxation, which for this
//! transportation-like model is tight: solve the LP (an upper bound), fix every pair the LP already assigns a
//! whole number of units, and solve the small MIP over the rest. When that MIP reaches the LP bound it is
//! optimal, proven by the bound; otherwise the full MIP is solved, started from it.

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

/// What the caller limits the secondary goals to (the fill goals are always solved exactly).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Limits {
    /// Seconds each secondary goal may take (HiGHS's time limit): a goal stopped by it keeps the best solution
    /// found, and the plan reports its value, the solver's bound and the gap between them. `None` (the default):
    /// no time limit — each goal runs to its gap or to the fixed node limit (`SECONDARY_NODE_LIMIT`), whatever
    /// the time; on a 71,000-pair instance the cohesion goal's root alone takes over ten minutes. A time limit
    /// makes the answer depend on the machine (the one exception to "the same input gives the same bytes").
    pub goal_seconds: Option<f64>,
    /// Solve the fill goals only (the secondary goals are then not reached: `null` in the plan). For comparing
    /// the fill with solvers that do only that (`bench/sourcing/run`), or a quick answer on a large scenario.
    pub fill_only: bool,
}

/// A goal of the lexicographic order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Goal {
    Essential,
    Desirable,
    Cohesion,
    Framework,
    FairShare,
    Readiness,
}

impl Goal {
    pub(crate) const ALL: [Goal; 6] = [
        Goal::Essential,
        Goal::Desirable,
        Goal::Cohesion,
        Goal::Framework,
        Goal::FairShare,
        Goal::Readiness,
    ];

    /// Whether the goal is one of the two fill goals (solved exactly, from the LP relaxation).
    pub(crate) fn is_fill(self) -> bool {
        matches!(self, Goal::Essential | Goal::Desirable)
    }

    /// The relative optimality gap the goal is solved to: the fill goals exactly, the others to 0.1%.
    fn gap(self) -> f32 {
        if self.is_fill() { 0.0 } else { SECONDARY_GAP }
    }

    /// Whether the goal's value is a whole number for every integer solution.
    fn integral(self) -> bool {
        !matches!(self, Goal::FairShare)
    }

    fn maximise(self) -> bool {
        matches!(self, Goal::Essential | Goal::Desirable | Goal::Framework)
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
    /// The caller asked it to stop (a what-if's `progress` answered `Break`): the solves running finished, no
    /// other started, and nothing is answered.
    #[error("cancelled")]
    Cancelled,
}

pub(crate) fn goal_name(goal: Goal) -> &'static str {
    match goal {
        Goal::Essential => "essential fill",
        Goal::Desirable => "desirable fill",
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
    /// Units counted for the framework nation of each site that needs one, per (nation, line at the site),
    /// with the line's troops per unit, from the framework goal on.
    g: Vec<(Variable, f64)>,
    /// Deviation from fair share per nation, from the fair-share goal on.
    d: BTreeMap<usize, Variable>,
}

/// The values of the goals reached so far.
pub(crate) type Reached = Vec<(Goal, f64)>;

/// How far one goal was taken: the value of the solution kept, the best bound the solver proved on it, and
/// whether the gap between them is within the goal's tolerance (else a limit stopped it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Outcome {
    pub(crate) goal: Goal,
    pub(crate) value: f64,
    /// `None` when a limit stopped the solver before it proved any bound.
    pub(crate) bound: Option<f64>,
    pub(crate) proven: bool,
}

/// Assigned units per pair, the value of every goal reached, and whether every goal was.
pub(crate) struct Solved {
    pub(crate) units: Vec<u32>,
    pub(crate) reached: Reached,
    /// Each goal reached, with its bound.
    pub(crate) outcomes: Vec<Outcome>,
    /// The first secondary goal the solver found no solution for within its limits, if any: the plan then
    /// keeps the solution of the goals before it.
    pub(crate) stopped_at: Option<Goal>,
    /// Why it stopped there: no solution within the limits, or what the solver said.
    pub(crate) stopped_why: Option<String>,
}

/// Solves the goals up to and including `last`, the secondary ones within `limits`.
pub(crate) fn solve(
    inst: &Instance<'_>,
    last: Goal,
    limits: &Limits,
) -> Result<Solved, SolveError> {
    // Every goal on the instance with offers merged that no goal tells apart (`fine`: same optimum, fewer
    // pairs), and the fill goals on the one merged further, as the fill goals cannot tell apart offers with
    // different notice (`merged`); each solution spread back over the offers it stands for.
    let (fine, fine_members) = inst.merged(true);
    let (merged, members) = fine.merged(false);
    let mut reached: Reached = Vec::new();
    let mut outcomes = Vec::new();
    let mut merged_units = vec![0; merged.pairs.len()];
    for goal in [Goal::Essential, Goal::Desirable] {
        if goal > last {
            break;
        }
        let (value, solution) = solve_fill(&merged, goal, &reached)?;
        reached.push((goal, value));
        outcomes.push(Outcome {
            goal,
            value,
            bound: Some(value),
            proven: true,
        });
        merged_units = solution;
    }
    let mut units = fine.spread(&merged, &members, &merged_units);
    let filled: f64 = units
        .iter()
        .enumerate()
        .map(|(k, u)| f64::from(*u) * troops(&fine, k))
        .sum();

    let mut stopped_at = None;
    let mut stopped_why = None;
    for goal in Goal::ALL.into_iter().filter(|g| !g.is_fill() && *g <= last) {
        match solve_goal(&fine, goal, &reached, filled, Some(&units), limits) {
            Ok(Some((outcome, solution))) => {
                reached.push((goal, outcome.value));
                outcomes.push(outcome);
                units = solution;
            }
            // A secondary goal that finds nothing within its limits leaves the plan as it is, and says why.
            Ok(None) => {
                stopped_at = Some(goal);
                stopped_why = Some("no solution found within the limits".to_owned());
                break;
            }
            Err(e) => {
                stopped_at = Some(goal);
                stopped_why = Some(e.to_string());
                break;
            }
        }
    }
    Ok(Solved {
        units: inst.spread(&fine, &fine_members, &units),
        reached,
        outcomes,
        stopped_at,
        stopped_why,
    })
}

fn infeasible(goal: Goal) -> SolveError {
    solver_failed(
        goal,
        "no solution keeps the goals already reached".to_owned(),
    )
}

pub(crate) fn troops(inst: &Instance<'_>, k: usize) -> f64 {
    inst.lines[inst.pairs[k].1].personnel() as f64
}

/// Whether pair `k` counts towards the fill goal `goal`.
fn counts_for(inst: &Instance<'_>, goal: Goal, k: usize) -> bool {
    essential(inst.lines[inst.pairs[k].1].requirement) == (goal == Goal::Essential)
}

/// One fill goal, exactly: LP relaxation, then the MIP over the pairs the LP leaves fractional, then (only if
/// that does not reach the LP bound) the full MIP started from it.
fn solve_fill(
    inst: &Instance<'_>,
    goal: Goal,
    reached: &Reached,
) -> Result<(f64, Vec<u32>), SolveError> {
    solve_fill_traced(inst, goal, reached).map(|(value, units, _)| (value, units))
}

/// How a fill goal's optimum was proven.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FillProof {
    /// The MIP over the LP's fractional pairs reached the LP bound.
    LpBound,
    /// The full MIP was needed.
    BranchAndBound,
}

fn solve_fill_traced(
    inst: &Instance<'_>,
    goal: Goal,
    reached: &Reached,
) -> Result<(f64, Vec<u32>, FillProof), SolveError> {
    let relaxed = How {
        relax: true,
        ..How::default()
    };
    let Some(lp) = solve_model(inst, goal, reached, 0.0, &relaxed)? else {
        return Err(infeasible(goal));
    };
    // Integer solutions are whole troops: none beats the floor of the LP bound (less a hair for rounding error).
    let bound = (lp.objective + 1e-6 * lp.objective.abs().max(1.0)).floor();
    // Free the pairs the LP leaves fractional; while the MIP over them falls short of the bound, free the
    // neighbourhood too (every pair of the lines and offers already free), each time starting from the last
    // solution, which stays feasible.
    let mut free: Vec<bool> = lp.x.iter().map(|v| whole(*v).is_none()).collect();
    let mut start: Option<Found> = None;
    for round in 0..=NEIGHBOURHOOD_ROUNDS {
        if round > 0 && !widen(inst, &mut free) {
            break;
        }
        if free.iter().filter(|f| **f).count() * 2 > free.len() {
            // Most of the model: the full MIP is as cheap.
            break;
        }
        let fixed: Vec<Option<f64>> =
            lp.x.iter()
                .zip(&free)
                .map(|(v, f)| if *f { None } else { whole(*v) })
                .collect();
        let restricted = How {
            fixed: Some(&fixed),
            start: start.as_ref().map(|s| s.all.as_slice()),
            ..How::default()
        };
        if let Some(found) = solve_model(inst, goal, reached, 0.0, &restricted)? {
            let value = fill_value(inst, goal, &found.units);
            if value >= bound {
                return Ok((value, found.units, FillProof::LpBound));
            }
            start = Some(found);
        }
    }
    let full = How {
        start: start.as_ref().map(|s| s.all.as_slice()),
        ..How::default()
    };
    let found = solve_model(inst, goal, reached, 0.0, &full)?.ok_or_else(|| infeasible(goal))?;
    Ok((
        fill_value(inst, goal, &found.units),
        found.units,
        FillProof::BranchAndBound,
    ))
}

/// How many times the free pairs may be widened before the full MIP is solved.
const NEIGHBOURHOOD_ROUNDS: usize = 2;

/// Frees every pair of a line or an offer that has a free pair; whether anything new was freed.
fn widen(inst: &Instance<'_>, free: &mut [bool]) -> bool {
    let mut lines = vec![false; inst.lines.len()];
    let mut offers = vec![false; inst.offers.len()];
    for (k, &(o, l)) in inst.pairs.iter().enumerate() {
        if free[k] {
            lines[l] = true;
            offers[o] = true;
        }
    }
    let mut grew = false;
    for (k, &(o, l)) in inst.pairs.iter().enumerate() {
        if !free[k] && (lines[l] || offers[o]) {
            free[k] = true;
            grew = true;
        }
    }
    grew
}

/// The value a fill goal takes for `units`, computed exactly.
fn fill_value(inst: &Instance<'_>, goal: Goal, units: &[u32]) -> f64 {
    let troops: u64 = units
        .iter()
        .enumerate()
        .filter(|(k, _)| counts_for(inst, goal, *k))
        .map(|(k, u)| u64::from(*u) * inst.lines[inst.pairs[k].1].personnel())
        .sum();
    troops as f64
}

/// `v` when it is a whole number (to solver precision).
fn whole(v: f64) -> Option<f64> {
    let r = v.round();
    ((v - r).abs() < 1e-6).then_some(r.max(0.0))
}

fn goal_expression(inst: &Instance<'_>, vars: &Vars, goal: Goal) -> Expression {
    let mut e = Expression::from(0.0);
    match goal {
        Goal::Essential | Goal::Desirable => {
            for k in 0..inst.pairs.len() {
                if counts_for(inst, goal, k) {
                    e += troops(inst, k) * vars.x[k];
                }
            }
        }
        Goal::Cohesion => vars.y.values().for_each(|v| e += *v),
        Goal::Framework => vars.g.iter().for_each(|(v, troops)| e += *troops * *v),
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

/// How one solve is set up.
#[derive(Default)]
pub(crate) struct How<'a> {
    /// Solve the LP relaxation only.
    relax: bool,
    /// Per pair, a number of units the pair is fixed to.
    fixed: Option<&'a [Option<f64>]>,
    /// A feasible solution to start from: a value per column, in the order the columns are added.
    start: Option<&'a [f64]>,
    /// A feasible solution to start from as units per pair (the solution of the goals before): every other
    /// column's start is derived from it.
    units: Option<&'a [u32]>,
    /// Seconds the solve may take (`None`: no limit).
    seconds: Option<f64>,
}

/// The columns of one build of the model, in the order they are added.
pub(crate) struct Columns<'a> {
    pub(crate) vars: ProblemVariables,
    pub(crate) all: Vec<Variable>,
    pub(crate) start: Option<&'a [f64]>,
    /// Each column's start value, if it has one (in the order added).
    pub(crate) starts: Vec<Option<f64>>,
}

impl Columns<'_> {
    /// Adds a column, starting at `guess` when one is given, else at the start's value for it.
    pub(crate) fn add(&mut self, def: good_lp::VariableDefinition, guess: Option<f64>) -> Variable {
        let value = guess.or_else(|| self.start.and_then(|s| s.get(self.all.len()).copied()));
        let def = match value {
            Some(v) => def.initial(v),
            None => def,
        };
        self.starts.push(value);
        let v = self.vars.add(def);
        self.all.push(v);
        v
    }
}

/// What one solve found.
struct Found {
    objective: f64,
    /// The best bound the solver proved on the objective (the objective itself for an LP); `None` when a
    /// limit stopped it before it proved one.
    bound: Option<f64>,
    /// Whether the solve ended within its gap (not stopped by a limit).
    proven: bool,
    /// Pair values as the solver gave them (fractional for an LP).
    x: Vec<f64>,
    /// Pair values rounded to whole units.
    units: Vec<u32>,
    /// Every column's value, in the order the columns were added.
    all: Vec<f64>,
}

/// The columns and constraints every model shares: a variable per pair, and the hard rules (a pledge's count,
/// a line's count, the nations a line needs, a nation's cap).
pub(crate) struct HardRules {
    /// Units per pair.
    pub(crate) x: Vec<Variable>,
    /// Troops per nation (by index), for the nations with a pair.
    pub(crate) nation_troops: BTreeMap<usize, Expression>,
    pub(crate) constraints: Vec<good_lp::Constraint>,
}

/// Adds a column per pair to `cols` and states the hard rules over them.
pub(crate) fn hard_rules(inst: &Instance<'_>, cols: &mut Columns<'_>, how: &How<'_>) -> HardRules {
    let x: Vec<Variable> = inst
        .pairs
        .iter()
        .enumerate()
        .map(|(k, &(o, l))| {
            let max = f64::from(inst.offers[o].count.min(inst.lines[l].requirement.count));
            let (min, max) = match how.fixed.and_then(|f| f[k]) {
                Some(v) => (v, v),
                None => (0.0, max),
            };
            cols.add(
                variable().integer().min(min).max(max),
                how.units.map(|u| f64::from(u[k])),
            )
        })
        .collect();
    let mut constraints = Vec::new();

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
        let any = ks.iter().any(|&k| how.guess(k) > 0.0);
        let active = cols.add(variable().binary(), how.start_if(f64::from(u8::from(any))));
        constraints.push(constraint!(sum <= count * active));
        let mut per_nation: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &k in ks {
            per_nation
                .entry(inst.offers[inst.pairs[k].0].nation_index)
                .or_default()
                .push(k);
        }
        // One nation brings at most count - (k - 1) units: each of the k - 1 others brings at least one. The
        // tighter bound gives a tighter LP, which is what proves the fill optimal.
        let most_per_nation = (count - f64::from(k_nations) + 1.0).max(0.0);
        let mut contributors = Expression::from(0.0);
        for ks_n in per_nation.values() {
            let brings = ks_n.iter().any(|&k| how.guess(k) > 0.0);
            let u = cols.add(
                variable().binary(),
                how.start_if(f64::from(u8::from(brings))),
            );
            let sum_n: Expression = ks_n.iter().map(|&k| x[k]).sum();
            constraints.push(constraint!(sum_n.clone() <= most_per_nation * u));
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

    HardRules {
        x,
        nation_troops,
        constraints,
    }
}

/// The most units each nation can bring to each site: each of its offers at most its count and at most the
/// units of the site's lines it may serve; all of them at most what those lines need. The tighter these bounds,
/// the tighter the LP relaxation of the cohesion goal.
fn most_at_site(inst: &Instance<'_>) -> BTreeMap<(usize, usize), f64> {
    // Per (offer, site): the units of the site's lines the offer may serve.
    let mut open: BTreeMap<(usize, usize), u64> = BTreeMap::new();
    // Per (nation, site): the lines any of its offers may serve.
    let mut lines_of: BTreeMap<(usize, usize), std::collections::BTreeSet<usize>> = BTreeMap::new();
    for &(o, l) in &inst.pairs {
        let site = inst.lines[l].site_index;
        *open.entry((o, site)).or_default() += u64::from(inst.lines[l].requirement.count);
        lines_of
            .entry((inst.offers[o].nation_index, site))
            .or_default()
            .insert(l);
    }
    let mut most: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for (&(o, site), &units) in &open {
        let offer = &inst.offers[o];
        *most.entry((offer.nation_index, site)).or_default() +=
            units.min(u64::from(offer.count)) as f64;
    }
    for (key, units) in &mut most {
        let lines = lines_of.get(key).into_iter().flatten();
        let needed: f64 = lines
            .map(|&l| f64::from(inst.lines[l].requirement.count))
            .sum();
        *units = units.min(needed);
    }
    most
}

/// Solves a secondary goal within `limits`: how far it went and the assigned units, or `None` when no solution
/// was found.
fn solve_goal(
    inst: &Instance<'_>,
    goal: Goal,
    reached: &Reached,
    filled: f64,
    start: Option<&[u32]>,
    limits: &Limits,
) -> Result<Option<(Outcome, Vec<u32>)>, SolveError> {
    // The solution of the goals before keeps them all: the solver starts from it.
    let how = How {
        units: start,
        seconds: limits.goal_seconds,
        ..How::default()
    };
    let found = solve_model(inst, goal, reached, filled, &how)?;
    Ok(found.map(|f| {
        let whole = |v: f64| if goal.integral() { v.round() } else { v };
        let outcome = Outcome {
            goal,
            value: whole(f.objective),
            bound: f.bound,
            proven: f.proven,
        };
        (outcome, f.units)
    }))
}

/// Builds the model of `goal` (keeping every goal `reached`) as `how` says, and solves it with HiGHS: what it
/// found, or `None` when it is infeasible or a limit stopped it before any solution.
fn solve_model(
    inst: &Instance<'_>,
    goal: Goal,
    reached: &Reached,
    filled: f64,
    how: &How<'_>,
) -> Result<Option<Found>, SolveError> {
    if inst.pairs.is_empty() {
        // Nothing can be assigned: every goal is at its trivial value (HiGHS refuses an empty model).
        return Ok(Some(Found {
            objective: 0.0,
            bound: Some(0.0),
            proven: true,
            x: Vec::new(),
            units: Vec::new(),
            all: Vec::new(),
        }));
    }
    let mut cols = Columns {
        vars: ProblemVariables::new(),
        all: Vec::new(),
        start: how.start,
        starts: Vec::new(),
    };
    let mut constraints = Vec::new();

    let HardRules {
        x,
        nation_troops,
        constraints: hard,
    } = hard_rules(inst, &mut cols, how);
    constraints.extend(hard);
    let goals = GoalColumns::new(inst, how, &x);
    let mut y = BTreeMap::new();
    if goal >= Goal::Cohesion {
        y = goals.cohesion(&mut cols, &mut constraints);
    }
    let mut g = Vec::new();
    if goal >= Goal::Framework {
        g = goals.framework(&y, &mut cols, &mut constraints);
    }
    let mut d = BTreeMap::new();
    if goal >= Goal::FairShare {
        d = goals.fair_share(&nation_troops, filled, &mut cols, &mut constraints);
    }

    let vars = Vars { x, y, g, d };
    keep_reached(inst, &vars, reached, &mut constraints);

    let objective = goal_expression(inst, &vars, goal);
    let Columns {
        vars: problem_vars,
        all,
        starts,
        ..
    } = cols;
    let unsolved = if goal.maximise() {
        problem_vars.maximise(objective.clone())
    } else {
        problem_vars.minimise(objective.clone())
    };
    let mut problem = unsolved.using(highs);
    for c in constraints {
        problem = problem.with(c);
    }
    // HiGHS through its own crate rather than good_lp's `solve`, which tells neither the bound it proved nor
    // the gap: a goal stopped by a limit reports both. Columns are in the order they were added (`all`).
    let model = problem
        .try_into_inner()
        .map_err(|e| solver_failed(goal, e.to_string()))?;
    let Some((solved, proven)) = run_highs(model, goal, how, &starts)? else {
        return Ok(None);
    };
    read_solution(&solved, goal, how, &all, &vars.x, &objective, proven).map(Some)
}

/// HiGHS failed at `goal`, saying `message`.
fn solver_failed(goal: Goal, message: String) -> SolveError {
    SolveError::Solver {
        goal: goal_name(goal),
        message,
    }
}

impl How<'_> {
    /// The start's units of pair `k` (zero without a start), for the start values of the other columns.
    fn guess(&self, k: usize) -> f64 {
        self.units.map_or(0.0, |u| f64::from(u[k]))
    }

    /// `v` as a column's start value when the solve starts from units per pair, else no start value.
    fn start_if(&self, v: f64) -> Option<f64> {
        self.units.is_some().then_some(v)
    }
}

/// What the columns of the goals after fill are stated over: the pair columns, and the troops the start (the
/// solution of the goals before) has per (nation, site) and per nation.
struct GoalColumns<'m, 'i, 'a> {
    inst: &'m Instance<'i>,
    how: &'m How<'a>,
    /// Units per pair.
    x: &'m [Variable],
    /// The start's troops of nation n at site s.
    start_at_site: BTreeMap<(usize, usize), f64>,
    /// The start's troops of each nation.
    start_of_nation: BTreeMap<usize, f64>,
}

impl<'m, 'i, 'a> GoalColumns<'m, 'i, 'a> {
    fn new(inst: &'m Instance<'i>, how: &'m How<'a>, x: &'m [Variable]) -> Self {
        let mut start_at_site: BTreeMap<(usize, usize), f64> = BTreeMap::new();
        let mut start_of_nation: BTreeMap<usize, f64> = BTreeMap::new();
        for (k, &(o, l)) in inst.pairs.iter().enumerate() {
            let key = (inst.offers[o].nation_index, inst.lines[l].site_index);
            *start_at_site.entry(key).or_default() += troops(inst, k) * how.guess(k);
            *start_of_nation.entry(key.0).or_default() += troops(inst, k) * how.guess(k);
        }
        GoalColumns {
            inst,
            how,
            x,
            start_at_site,
            start_of_nation,
        }
    }

    /// Cohesion: a binary column per (nation, site) the nation may serve, 1 when the nation has units there.
    fn cohesion(
        &self,
        cols: &mut Columns<'_>,
        constraints: &mut Vec<good_lp::Constraint>,
    ) -> BTreeMap<(usize, usize), Variable> {
        let inst = self.inst;
        let mut units_at_site: BTreeMap<(usize, usize), Expression> = BTreeMap::new();
        for (k, &(o, l)) in inst.pairs.iter().enumerate() {
            let key = (inst.offers[o].nation_index, inst.lines[l].site_index);
            *units_at_site.entry(key).or_default() += self.x[k];
        }
        let most = most_at_site(inst);
        let mut y = BTreeMap::new();
        for (key, sum) in &units_at_site {
            let present = self.start_at_site.get(key).is_some_and(|t| *t > 0.0);
            let v = cols.add(
                variable().binary(),
                self.how.start_if(f64::from(u8::from(present))),
            );
            let max = most.get(key).copied().unwrap_or(0.0);
            constraints.push(constraint!(sum.clone() <= max * v));
            y.insert(*key, v);
        }
        y
    }

    /// Framework: F[n,s] = 1 when n is site s's one framework nation, and h[n,l] the units of nation n on line
    /// l at s counted for it: h <= X[n,l] and h <= U[n,l] * F[n,s], with U[n,l] the most units n could bring to
    /// the line (its offers' units, at most the line's count less one unit for each other nation the line
    /// needs). Bounding each line on its own rather than the site as a whole keeps the LP relaxation close to
    /// the optimum (on the default with four facts its root bound is 9% above instead of 37%), which is what
    /// makes this goal and the ones after it fast (BENCHMARKS.md). The h columns, each with its line's troops
    /// per unit; `y` is the cohesion goal's presence per (nation, site).
    fn framework(
        &self,
        y: &BTreeMap<(usize, usize), Variable>,
        cols: &mut Columns<'_>,
        constraints: &mut Vec<good_lp::Constraint>,
    ) -> Vec<(Variable, f64)> {
        let inst = self.inst;
        // The start's framework nation of each site: the one with most troops there (the first on a tie).
        let mut start_lead: BTreeMap<usize, (usize, f64)> = BTreeMap::new();
        for (&(n, site), &t) in &self.start_at_site {
            let best = start_lead.entry(site).or_insert((n, t));
            if t > best.1 {
                *best = (n, t);
            }
        }
        let is_lead = |n: usize, site: usize| matches!(start_lead.get(&site), Some(&(m, t)) if m == n && t > 0.0);
        let mut g = Vec::new();
        let mut lead: BTreeMap<(usize, usize), Variable> = BTreeMap::new();
        for ((n, l), (units_nl, start_nl, units)) in self.units_on_framework_lines() {
            let line = &inst.lines[l];
            let site = line.site_index;
            let f = *lead.entry((n, site)).or_insert_with(|| {
                let f = cols.add(
                    variable().binary(),
                    self.how.start_if(f64::from(u8::from(is_lead(n, site)))),
                );
                if let Some(present) = y.get(&(n, site)) {
                    constraints.push(constraint!(f <= *present));
                }
                f
            });
            let others = u64::from(line.requirement.min_nations.max(1) - 1);
            let most_units =
                units.min(u64::from(line.requirement.count).saturating_sub(others)) as f64;
            let held = if is_lead(n, site) { start_nl } else { 0.0 };
            // Units, not troops. The column is continuous, but presolve finds it integral (it is bounded by a
            // sum of integer units), and HiGHS's root reduced-cost fixing then keeps a bound for every value of
            // its range: a column counting thousands of troops cost far more than one counting units.
            let h = cols.add(variable().min(0).max(most_units), self.how.start_if(held));
            constraints.push(constraint!(h <= units_nl));
            constraints.push(constraint!(h <= most_units * f));
            g.push((h, line.personnel() as f64));
        }
        let mut per_site: BTreeMap<usize, Expression> = BTreeMap::new();
        for ((_, site), f) in lead {
            *per_site.entry(site).or_default() += f;
        }
        for sum in per_site.into_values() {
            constraints.push(constraint!(sum <= 1.0));
        }
        g
    }

    /// Per (nation, line) at the sites with a line that asks for a framework (lead) nation (requirements.toml
    /// `framework`): the units, the start's units and the most units it could bring.
    fn units_on_framework_lines(&self) -> BTreeMap<(usize, usize), (Expression, f64, u64)> {
        let inst = self.inst;
        let framework_sites: std::collections::BTreeSet<usize> = inst
            .lines
            .iter()
            .filter(|l| l.requirement.framework)
            .map(|l| l.site_index)
            .collect();
        let mut on_line: BTreeMap<(usize, usize), (Expression, f64, u64)> = BTreeMap::new();
        for (k, &(o, l)) in inst.pairs.iter().enumerate() {
            if !framework_sites.contains(&inst.lines[l].site_index) {
                continue;
            }
            let offer = &inst.offers[o];
            let e = on_line.entry((offer.nation_index, l)).or_default();
            e.0 += self.x[k];
            e.1 += self.how.guess(k);
            e.2 += u64::from(offer.count.min(inst.lines[l].requirement.count));
        }
        on_line
    }

    /// Fair share: a column per nation with a fair share, at least the deviation of its troops
    /// (`nation_troops`) from its share of the `filled` troops.
    fn fair_share(
        &self,
        nation_troops: &BTreeMap<usize, Expression>,
        filled: f64,
        cols: &mut Columns<'_>,
        constraints: &mut Vec<good_lp::Constraint>,
    ) -> BTreeMap<usize, Variable> {
        let mut d = BTreeMap::new();
        let weights = self.inst.fair_share_weights();
        for (n, w) in weights.iter().enumerate() {
            if *w <= 0.0 {
                continue;
            }
            let share = w * filled;
            let own = self.start_of_nation.get(&n).copied().unwrap_or(0.0);
            let dn = cols.add(variable().min(0), self.how.start_if((own - share).abs()));
            let troops_n = nation_troops
                .get(&n)
                .cloned()
                .unwrap_or_else(|| Expression::from(0.0));
            constraints.push(constraint!(dn >= troops_n.clone() - share));
            constraints.push(constraint!(dn >= share - troops_n));
            d.insert(n, dn);
        }
        d
    }
}

/// Keeps every goal reached so far: a constraint holding each at its value (less a slack for rounding).
fn keep_reached(
    inst: &Instance<'_>,
    vars: &Vars,
    reached: &Reached,
    constraints: &mut Vec<good_lp::Constraint>,
) {
    for &(done, value) in reached {
        let e = goal_expression(inst, vars, done);
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
}

/// The HiGHS options a solve of `goal` runs with.
fn highs_options(goal: Goal, how: &How<'_>) -> Vec<(&'static str, HighsValue)> {
    let mut options: Vec<(&str, HighsValue)> = vec![
        ("threads", HighsValue::Int(1)),
        ("mip_rel_gap", HighsValue::Float(f64::from(goal.gap()))),
        ("random_seed", HighsValue::Int(0)),
    ];
    if !goal.is_fill() {
        // No restarts: on the default scenario a secondary goal spent most of its time restarting its root
        // (each restart presolving again); without them the same values are reached in about half the time.
        // No RINS, RENS or root reduced-cost heuristics: the goal starts from the solution of the goals before,
        // and those sub-MIPs took 40% of its time on the default without finding better (BENCHMARKS.md).
        options.extend([
            ("mip_max_nodes", HighsValue::Int(SECONDARY_NODE_LIMIT)),
            ("mip_allow_restart", HighsValue::Bool(false)),
            ("mip_heuristic_run_rins", HighsValue::Bool(false)),
            ("mip_heuristic_run_rens", HighsValue::Bool(false)),
            (
                "mip_heuristic_run_root_reduced_cost",
                HighsValue::Bool(false),
            ),
        ]);
    }
    if goal.integral() {
        // Integer-valued objective: a better solution is better by at least 1, so a gap under 1 is optimal.
        options.push(("mip_abs_gap", HighsValue::Float(0.99)));
    }
    if how.relax {
        options.push(("solve_relaxation", HighsValue::Bool(true)));
    }
    if let Some(seconds) = how.seconds {
        options.push(("time_limit", HighsValue::Float(seconds)));
    }
    options
}

/// Solves the HiGHS model of `goal` with its options, from the columns' start values (`starts`) when any
/// has one: the solved model and whether it is proven optimal, or `None` when it is infeasible or a limit
/// stopped it before any solution.
fn run_highs(
    mut model: highs::Model,
    goal: Goal,
    how: &How<'_>,
    starts: &[Option<f64>],
) -> Result<Option<(highs::SolvedModel, bool)>, SolveError> {
    let fail = |message: String| solver_failed(goal, message);
    for (key, value) in highs_options(goal, how) {
        let set = match value {
            HighsValue::Int(v) => model.try_set_option(key, v),
            HighsValue::Float(v) => model.try_set_option(key, v),
            HighsValue::Bool(v) => model.try_set_option(key, v),
        };
        set.map_err(|e| fail(format!("option {key}: {e:?}")))?;
    }
    if starts.iter().any(Option::is_some) {
        let start: Vec<f64> = starts.iter().map(|v| v.unwrap_or(0.0)).collect();
        model
            .try_set_solution(Some(&start), None, None, None)
            .map_err(|e| fail(format!("the start: {e:?}")))?;
    }
    let solved = model
        .try_solve()
        .map_err(|e| fail(format!("HiGHS: {e:?}")))?;
    use highs::HighsModelStatus as S;
    let proven = match solved.status() {
        S::Infeasible | S::UnboundedOrInfeasible => return Ok(None),
        S::Optimal => true,
        // Stopped at an objective bound or target (never set here): a solution, not a proof.
        // Stopped by a limit (time, nodes, iterations, solutions): the best solution found, if any.
        S::ObjectiveBound
        | S::ObjectiveTarget
        | S::ReachedTimeLimit
        | S::ReachedSolutionLimit
        | S::ReachedIterationLimit
        | S::ReachedInterrupt
        | S::ReachedMemoryLimit => false,
        other => return Err(fail(format!("status {other:?}"))),
    };
    if solved.primal_solution_status() != highs::HighsSolutionStatus::Feasible {
        // A limit before any solution: nothing to keep.
        return Ok(None);
    }
    Ok(Some((solved, proven)))
}

/// Reads what HiGHS found for `goal`: the objective's value, the bound it proved and every column's value
/// (`all`, in the order the columns were added; `x`, the pair columns).
fn read_solution(
    solved: &highs::SolvedModel,
    goal: Goal,
    how: &How<'_>,
    all: &[Variable],
    x: &[Variable],
    objective: &Expression,
    proven: bool,
) -> Result<Found, SolveError> {
    let columns = solved.get_solution().columns().to_vec();
    if columns.len() != all.len() {
        return Err(solver_failed(
            goal,
            format!("{} columns solved for {} added", columns.len(), all.len()),
        ));
    }
    let values = Values {
        index: all.iter().enumerate().map(|(i, v)| (*v, i)).collect(),
        columns,
    };
    let value = values.eval(objective);
    // The bound HiGHS proved (the objective itself for an LP).
    let bound = if how.relax {
        Some(value)
    } else {
        solved
            .double_info_value(c"mip_dual_bound")
            .ok()
            .filter(|b| b.is_finite())
            // A whole-number objective's bound is a whole number too (rounded towards the value, less a hair
            // of floating-point noise); a continuous one is kept to a millionth.
            .map(|b| match (goal.integral(), goal.maximise()) {
                (true, true) => (b + 1e-6).floor(),
                (true, false) => (b - 1e-6).ceil(),
                (false, _) => (b * 1e6).round() / 1e6,
            })
    };
    let x: Vec<f64> = x.iter().map(|v| values.value(*v)).collect();
    Ok(Found {
        objective: value,
        bound,
        proven,
        units: x.iter().map(|v| v.round().max(0.0) as u32).collect(),
        x,
        all: all.iter().map(|v| values.value(*v)).collect(),
    })
}

/// A HiGHS option's value.
enum HighsValue {
    Int(i32),
    Float(f64),
    Bool(bool),
}

/// A solution's column values, read by good_lp's expressions.
struct Values {
    index: std::collections::HashMap<Variable, usize>,
    columns: Vec<f64>,
}

impl Solution for Values {
    fn status(&self) -> good_lp::SolutionStatus {
        good_lp::SolutionStatus::Optimal
    }

    fn value(&self, variable: Variable) -> f64 {
        self.index
            .get(&variable)
            .and_then(|&i| self.columns.get(i))
            .copied()
            .unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use guarantor_scenario::{SyntheticSpec, load, synthetic};

    use super::*;

    /// The fill from the LP relaxation equals the fill of the plain MIP, on synthetic scenarios with caps and
    /// lines that need several nations; and both ways of proving it occur.
    #[test]
    fn lp_first_fill_equals_the_plain_mip() {
        let mut proofs = Vec::new();
        for seed in 0..20 {
            let spec = SyntheticSpec {
                nations: 6,
                pledges: 40,
                lines: 16,
                sites: 5,
                facts: 3,
                seed,
            };
            let scenario = load(&synthetic(&spec).expect("valid spec"))
                .expect("synthetic scenarios load")
                .scenario;
            let inst = Instance::new(&scenario, &scenario.today(), None);
            let mut reached_fast: Reached = Vec::new();
            let mut reached_plain: Reached = Vec::new();
            for goal in [Goal::Essential, Goal::Desirable] {
                let (fast, _, proof) =
                    solve_fill_traced(&inst, goal, &reached_fast).expect("fill solves");
                let (plain, _) =
                    solve_goal(&inst, goal, &reached_plain, 0.0, None, &Limits::default())
                        .expect("MIP solves")
                        .expect("MIP feasible");
                assert!(plain.proven, "seed {seed}: the plain MIP is proven optimal");
                let plain = plain.value;
                assert_eq!(fast, plain, "seed {seed}, {}", goal_name(goal));
                reached_fast.push((goal, fast));
                reached_plain.push((goal, plain));
                proofs.push(proof);
            }
        }
        assert!(proofs.contains(&FillProof::LpBound));
        assert!(
            proofs.contains(&FillProof::BranchAndBound),
            "no instance needed the full MIP: the fallback is untested"
        );
    }
}
