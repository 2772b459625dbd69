//! The sourcing engine on the built-in default scenario: sound plans, and answers that agree with the seeds.

use std::ops::ControlFlow;

use guarantor_core::{FactId, NationCode, Scenario};
use guarantor_scenario::{SourceSet, load};
use guarantor_sourcing::{ShortfallReason, SolveError, check_plan, source, what_if};

fn scenario() -> Scenario {
    load(&SourceSet::builtin_default())
        .expect("default loads")
        .scenario
}

fn fact(s: &str) -> FactId {
    FactId::new(s).expect("a valid fact name")
}

#[test]
fn todays_plan_is_sound_and_falls_short_where_it_says() {
    let s = scenario();
    let plan = source(&s, &s.today()).unwrap();
    assert_eq!(check_plan(&s, &plan), vec![]);
    assert!(plan.filled_troops() < plan.required_troops());
    // Every line with a shortfall says why.
    for line in &plan.lines {
        if line.filled_units() < line.required_units {
            assert!(
                !line.shortfall_reasons.is_empty(),
                "{} is short without a reason",
                line.requirement
            );
        }
    }
    // France stays within its 10,000 (seed 003).
    let fra = plan
        .nations
        .iter()
        .find(|n| n.nation.as_str() == "FRA")
        .unwrap();
    assert!(fra.troops <= 10_000 && fra.troops > 0);
    // Lines both parties must accept cannot be filled by NATO members, and the reason says so.
    let both = plan
        .lines
        .iter()
        .find(|l| {
            s.requirements
                .iter()
                .any(|r| r.id == l.requirement && r.acceptable_to.len() == 2)
        })
        .expect("the default has lines both parties must accept");
    assert!(both.shortfall_reasons.iter().any(|r| matches!(r,
        ShortfallReason::CaveatedOut { pledges } if pledges.iter().any(|(_, why)| why.to_string().contains("not acceptable to russia"))
    ) || matches!(r, ShortfallReason::ConditionsFalse { .. })), "{:?}", both.shortfall_reasons);
}

#[test]
fn a_us_backstop_fills_more_and_every_plan_is_sound() {
    let s = scenario();
    let today = source(&s, &s.today()).unwrap();
    let mut world = s.today();
    world.set(fact("us_backstop"), true);
    let backstop = source(&s, &world).unwrap();
    assert_eq!(check_plan(&s, &backstop), vec![]);
    assert!(backstop.filled_troops() > today.filled_troops());
    // Lines short today for want of a backstop name it as the fact that unlocks them.
    let unlocks_backstop = today
        .lines
        .iter()
        .flat_map(|l| &l.shortfall_reasons)
        .any(|r| match r {
            ShortfallReason::ConditionsFalse { pledges } => pledges
                .iter()
                .any(|(_, sets)| sets.iter().any(|set| set.contains(&fact("us_backstop")))),
            _ => false,
        });
    assert!(unlocks_backstop);
    // Everything true: the pledges exceed the requirement, so the essential lines that can be met are met.
    let mut all = s.today();
    for f in &s.facts {
        all.set(f.id.clone(), true);
    }
    let best = source(&s, &all).unwrap();
    assert_eq!(check_plan(&s, &best), vec![]);
    assert!(best.filled_troops() >= backstop.filled_troops());
}

#[test]
fn the_same_input_gives_the_same_plan() {
    let s = scenario();
    let a = source(&s, &s.today()).unwrap();
    let b = source(&s, &s.today()).unwrap();
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
}

#[test]
fn what_if_covers_every_state_worst_first() {
    let s = scenario();
    let w = what_if(&s, &s.today(), std::num::NonZeroUsize::MIN, &|_, _| {
        ControlFlow::Continue(())
    })
    .unwrap();
    // On two threads, the same answer (each solve is deterministic; HiGHS instances on different threads do
    // not share a scheduler).
    let two = std::num::NonZeroUsize::new(2).unwrap();
    let told = std::sync::Mutex::new(Vec::new());
    let on_two = what_if(&s, &s.today(), two, &|done, all| {
        told.lock().unwrap().push((done, all));
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(on_two, w);
    // Progress is told once per solve, counting up to all of them, never down.
    let told = told.into_inner().unwrap();
    let all = told[0].1;
    assert_eq!(
        told.iter().map(|t| t.0).collect::<Vec<_>>(),
        (1..=all).collect::<Vec<_>>()
    );
    // The world states' solves, then one per nation left out in turn.
    assert!(
        all > w.distinct_solves,
        "{all} solves told, {} distinct",
        w.distinct_solves
    );
    let k = w.facts.len();
    assert!(k >= 6, "{k} facts");
    assert_eq!(w.states.len(), 1 << k);
    assert!(
        w.states
            .windows(2)
            .all(|p| p[0].filled_troops <= p[1].filled_troops)
    );
    assert!(
        w.distinct_solves < w.states.len(),
        "equal live sets share a solve"
    );
    // Without a permanent ceasefire most pledges lapse: the worst state is far below today.
    assert!(w.states[0].filled_troops < w.base_filled_troops);
    // The best state beats today.
    assert!(w.states.last().unwrap().filled_troops > w.base_filled_troops);
    // France and the UK matter most today.
    let top: Vec<&NationCode> = w
        .critical_nations
        .iter()
        .take(3)
        .map(|n| &n.nation)
        .collect();
    assert!(
        top.iter().any(|n| n.as_str() == "FRA") && top.iter().any(|n| n.as_str() == "GBR"),
        "{top:?}"
    );
}

#[test]
fn a_what_if_told_to_stop_stops_after_the_solves_running() {
    let s = scenario();
    let two = std::num::NonZeroUsize::new(2).unwrap();
    let told = std::sync::atomic::AtomicUsize::new(0);
    let got = what_if(&s, &s.today(), two, &|done, _| {
        told.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if done >= 1 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    assert!(matches!(got, Err(SolveError::Cancelled)), "{got:?}");
    // The first solve asked it to stop; at most the other thread's solve ran on.
    assert!(told.into_inner() <= 2);
}
