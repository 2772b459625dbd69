//! Every goal of the lexicographic order is attempted and reported honestly: its value, the bound the solver
//! proved and the gap, `proven` false when a limit stopped it — never a 0 that reads as a value.

use guarantor_scenario::{SyntheticSpec, load, synthetic};
use guarantor_sourcing::{Limits, Objectives, check_plan, source, source_fill, source_within};

const GOALS: [&str; 6] = [
    "essential fill",
    "desirable fill",
    "cohesion",
    "framework nation",
    "fair share",
    "readiness",
];

/// The goals' values as the objectives' own fields say them.
fn fields(o: &Objectives) -> [Option<f64>; 4] {
    [
        o.nation_site_pairs.map(|v| v as f64),
        o.framework_troops.map(|v| v as f64),
        o.fair_share_deviation_troops.map(|v| v as f64),
        o.readiness_troop_days.map(|v| v as f64),
    ]
}

#[test]
fn on_the_default_every_goal_is_proven_within_its_tolerance() {
    let s = load(&guarantor_scenario::SourceSet::builtin_default())
        .expect("the default loads")
        .scenario;
    let plan = source(&s, &s.today()).expect("a plan");
    let o = &plan.objectives;
    let names: Vec<&str> = o.goals.iter().map(|g| g.goal).collect();
    assert_eq!(names, GOALS);
    for g in &o.goals {
        assert!(g.proven, "{g:?}");
        let gap = g.gap.expect("a proven goal has a bound");
        let tolerance = if g.goal.ends_with("fill") { 0.0 } else { 1e-3 };
        assert!(gap <= tolerance + 1e-9, "{g:?}");
    }
    for (field, g) in fields(o).into_iter().zip(&o.goals[2..]) {
        let value = field.expect("every goal reached");
        assert!((value - g.value.round()).abs() < 1.0, "{value} vs {g:?}");
    }
    assert_eq!(o.stopped_at, None);
}

#[test]
fn a_goal_stopped_by_a_time_limit_keeps_its_best_solution_and_says_so() {
    let spec = SyntheticSpec {
        nations: 20,
        pledges: 600,
        lines: 150,
        sites: 15,
        facts: 4,
        seed: 3,
    };
    let s = load(&synthetic(&spec).expect("a valid spec"))
        .expect("synthetic scenarios load")
        .scenario;
    let world = s.today();
    let limited = source_within(
        &s,
        &world,
        &Limits {
            goal_seconds: Some(0.01),
            fill_only: false,
        },
    )
    .expect("a plan");
    let o = &limited.objectives;
    // Every goal attempted, and each one reached: the solution of the goals before is where each starts.
    let names: Vec<&str> = o.goals.iter().map(|g| g.goal).collect();
    assert_eq!(names, GOALS);
    assert!(
        o.goals[2..].iter().any(|g| !g.proven),
        "a hundredth of a second proves none of the later goals here: {:?}",
        o.goals
    );
    for g in &o.goals[2..] {
        if let Some(bound) = g.bound {
            let gap = g.gap.expect("a gap with a bound");
            assert!((gap - (bound - g.value).abs() / g.value.abs().max(1.0)).abs() < 1e-9);
        } else {
            assert!(!g.proven && g.gap.is_none(), "{g:?}");
        }
    }
    for (field, g) in fields(o).into_iter().zip(&o.goals[2..]) {
        assert!(
            (field.expect("reached") - g.value.round()).abs() < 1.0,
            "{g:?}"
        );
    }
    // The fill is exact whatever the limit, and the plan keeps every rule.
    let fill = source_fill(&s, &world, None).expect("the fill");
    assert_eq!(
        (o.essential_shortfall_troops, o.desirable_shortfall_troops),
        (
            fill.objectives.essential_shortfall_troops,
            fill.objectives.desirable_shortfall_troops
        )
    );
    assert!(check_plan(&s, &limited).is_empty());
    // The fill alone reaches no later goal: they are null, not 0.
    assert_eq!(fields(&fill.objectives), [None; 4]);
}
