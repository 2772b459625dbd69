//! The rotation engine against what analysts say and against the arithmetic of the cycle.

use guarantor_core::{CapabilityId, Cycle, NationCode, PledgeId, Scenario};
use guarantor_rotation::{Deployment, RotationWarning, rotation};
use guarantor_scenario::{SourceSet, load};
use proptest::prelude::*;

/// Loaded once: validating the real geometry is the slow part.
static DEFAULT: std::sync::LazyLock<Scenario> = std::sync::LazyLock::new(|| {
    load(&SourceSet::builtin_default())
        .expect("the default scenario loads")
        .scenario
});

fn default_scenario() -> Scenario {
    DEFAULT.clone()
}

/// `troops` deployed from month 0, spread over the default scenario's first `n` units pledges.
fn deployments(scenario: &Scenario, troops: u64, n: usize) -> Vec<Deployment> {
    let pledges: Vec<_> = scenario
        .pledges
        .iter()
        .filter(|p| matches!(p.offer, guarantor_core::Offer::Units { .. }))
        .take(n)
        .collect();
    pledges
        .iter()
        .map(|p| Deployment {
            pledge: p.id.clone(),
            nation: p.nation.clone(),
            capability: match &p.offer {
                guarantor_core::Offer::Units { capability, .. } => capability.clone(),
                _ => unreachable!(),
            },
            troops: troops / pledges.len() as u64,
            start_month: 0,
        })
        .collect()
}

/// The same scenario with one cycle and tour length for every nation.
fn with_cycle(mut scenario: Scenario, cycle: Cycle, tour: u32) -> Scenario {
    scenario.mission.cycle = cycle;
    scenario.mission.tour_months = tour;
    for n in &mut scenario.nations {
        n.cycle = None;
        n.tour_months = None;
    }
    scenario
}

#[test]
fn forty_thousand_deployed_commits_one_hundred_to_one_hundred_and_twenty_thousand() {
    let scenario = with_cycle(default_scenario(), Cycle::THIRDS, 6);
    let plan = rotation(&scenario, &deployments(&scenario, 40_000, 40));
    assert_eq!(plan.peak_deployed(), 40_000);
    let peak = plan.peak_committed();
    let mean = plan.months.iter().map(|m| m.committed).sum::<u64>() / plan.months.len() as u64;
    assert!((100_000..=120_000).contains(&peak), "peak {peak}");
    assert!((100_000..=120_000).contains(&mean), "mean {mean}");
    // The first tour's relief trains while it deploys; recovery starts when the first tour ends.
    assert_eq!(plan.months[0].committed, 80_000);
    assert_eq!(plan.months[6].committed, 120_000);
    for m in &plan.months {
        assert_eq!(m.committed, m.deployed + m.preparing + m.recovering);
    }
}

#[test]
fn the_default_cycle_counts_as_analysts_do_forty_thousand_deployed_one_hundred_thousand_involved() {
    // Seed 000: "about 40,000 ... with rotation, about 100,000 involved". 6-month tours, 6 months preparing
    // before, 3 recovering after: (6 + 6 + 3) / 6 = 2.5.
    let scenario = with_cycle(default_scenario(), Cycle::ANALYSTS, 6);
    let plan = rotation(&scenario, &deployments(&scenario, 40_000, 40));
    assert_eq!(plan.steady_deployed, 40_000);
    assert_eq!(plan.steady_committed, 100_000);
    // Sets of units that start together swing between 2x (one set deployed, the next training) and 3x (the
    // last also recovering, 3 months of each tour); over whole tours the mean is 2.5x.
    assert_eq!(plan.months[0].committed, 80_000);
    assert_eq!(plan.months[6].committed, 120_000);
    assert_eq!(plan.months[9].committed, 80_000);
    let steady: u64 = plan.months[6..18].iter().map(|m| m.committed).sum();
    assert_eq!(steady / 12, 100_000);
    // The named cycles parse as their ratios.
    assert_eq!(Cycle::parse("analysts"), Ok(Cycle::ANALYSTS));
    assert_eq!(Cycle::parse("thirds").map(Cycle::ratio), Ok(3.0));
    assert_eq!(Cycle::parse("harmony").map(Cycle::ratio), Ok(5.0));
}

#[test]
fn a_deployment_counts_from_the_month_it_arrives() {
    let scenario = with_cycle(default_scenario(), Cycle::ANALYSTS, 6);
    let mut d = deployments(&scenario, 1_000, 1);
    d[0].start_month = 5;
    let plan = rotation(&scenario, &d);
    for m in &plan.months[..5] {
        assert_eq!(m.deployed, 0, "month {}", m.month);
    }
    assert_eq!(plan.months[5].deployed, 1_000);
    // The first tour's troops prepared for 6 months before arriving (from month 0 within the horizon).
    assert_eq!(plan.months[0].preparing, 1_000);
}

#[test]
fn a_one_in_five_cycle_ties_up_more_and_shorter_tours_reach_the_steady_state_sooner() {
    let base = default_scenario();
    let thirds = with_cycle(base.clone(), Cycle::THIRDS, 6);
    let one_in_five = with_cycle(
        base.clone(),
        Cycle::parse("1:2:2").expect("a valid cycle"),
        6,
    );
    let short = with_cycle(base, Cycle::THIRDS, 3);
    let d = deployments(&thirds, 40_000, 40);
    let (a, b, c) = (
        rotation(&thirds, &d),
        rotation(&one_in_five, &d),
        rotation(&short, &d),
    );
    assert_eq!(b.peak_committed(), 200_000);
    assert!(b.peak_committed() > a.peak_committed());
    // Same ratio, so the same steady state, reached after 3 months instead of 6, with twice the tours.
    assert_eq!(c.peak_committed(), a.peak_committed());
    assert_eq!(c.months[3].committed, 120_000);
    assert_eq!(a.months[3].committed, 80_000);
    assert_eq!(c.nations[0].tours, 2 * a.nations[0].tours);
}

#[test]
fn it_warns_where_pledges_and_nations_cannot_keep_up() {
    let mut scenario = with_cycle(default_scenario(), Cycle::THIRDS, 6);
    let mut d = deployments(&scenario, 40_000, 4);
    let first = d[0].pledge.clone();
    // The same pledge on a second line, later and not next to the first: still one warning of each kind.
    d.push(Deployment {
        start_month: 3,
        ..d[0].clone()
    });
    let pledge = scenario
        .pledges
        .iter_mut()
        .find(|p| p.id == first)
        .expect("the pledge exists");
    pledge.rotations = Some(2);
    pledge.sustain_months = Some(12);
    let plan = rotation(&scenario, &d);
    let has = |f: &dyn Fn(&RotationWarning) -> bool| plan.warnings.iter().any(f);
    assert!(has(
        &|w| matches!(w, RotationWarning::TooFewRotations { pledge, needed: 3, pledged: 2, .. } if *pledge == first)
    ));
    assert!(has(
        &|w| matches!(w, RotationWarning::SustainTooShort { pledge, needed_months: 24, sustain_months: 12, .. } if *pledge == first)
    ));
    // 10,000 troops deployed by one nation commit 30,000: more than 15% of most armies.
    assert!(has(&|w| matches!(w, RotationWarning::ActiveShare { .. })));
    let about_first = |kind: fn(&RotationWarning) -> bool| {
        plan.warnings
            .iter()
            .filter(|w| kind(w) && w.to_string().contains(first.as_str()))
            .count()
    };
    assert_eq!(
        about_first(|w| matches!(w, RotationWarning::TooFewRotations { .. })),
        1
    );
    assert_eq!(
        about_first(|w| matches!(w, RotationWarning::SustainTooShort { .. })),
        1
    );
    assert!(plan.warnings.iter().all(|w| !w.to_string().is_empty()));
}

proptest! {
    /// Under a d = 1 cycle with whole-month stages, once every stage has begun the force committed is exactly
    /// (1 + r + t) times the force deployed; before, never more.
    #[test]
    fn the_steady_state_is_the_cycle_ratio(
        recover in 0u32..4, train in 0u32..4, tour in 1u32..9, start in 0u32..6, troops in 1u64..5000,
    ) {
        let mut scenario = default_scenario();
        scenario.mission.horizon_months = 48;
        let cycle = Cycle { deploy: 1, recover, train };
        let scenario = with_cycle(scenario, cycle, tour);
        let pledge = scenario.pledges[0].clone();
        let d = Deployment {
            pledge: PledgeId::new(pledge.id.as_str()).expect("a valid id"),
            nation: NationCode::new(pledge.nation.as_str()).expect("a valid code"),
            capability: CapabilityId::new("mech_inf_bn").expect("a valid id"),
            troops,
            start_month: start,
        };
        let plan = rotation(&scenario, &[d]);
        let factor = u64::from(1 + recover + train);
        for m in &plan.months {
            prop_assert_eq!(m.committed, m.deployed + m.preparing + m.recovering);
            prop_assert!(m.committed <= factor * troops);
            prop_assert_eq!(m.deployed, if m.month >= start { troops } else { 0 });
            if m.month >= start + tour + tour * recover {
                prop_assert_eq!(m.committed, factor * troops, "month {}", m.month);
            }
        }
    }
}
