//! What-if: the fill in every combination of the political facts the pledges name, the facts that matter most,
//! and the nations that matter most.

use std::collections::BTreeMap;

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

/// Explores every world state over the facts the pledges name, starting from `base`.
pub fn what_if(scenario: &Scenario, base: &WorldState) -> Result<WhatIf, SolveError> {
    let facts = whatif_facts(scenario);
    let required: u64 = scenario
        .requirements
        .iter()
        .map(|r| scenario.required_troops(r))
        .sum();

    // States that leave the same unit pledges live have the same fill: solve each live set once.
    let mut cache: BTreeMap<Vec<bool>, u64> = BTreeMap::new();
    let mut fill = |world: &WorldState| -> Result<u64, SolveError> {
        let key: Vec<bool> = scenario
            .pledges
            .iter()
            .filter(|p| matches!(p.offer, Offer::Units { .. }))
            .map(|p| p.is_live(world))
            .collect();
        if let Some(v) = cache.get(&key) {
            return Ok(*v);
        }
        let v = crate::filled_troops(scenario, world, None)?;
        cache.insert(key, v);
        Ok(v)
    };

    let mut states = Vec::with_capacity(1 << facts.len());
    for bits in 0u32..(1u32 << facts.len()) {
        let mut world = base.clone();
        for (i, f) in facts.iter().enumerate() {
            world.set(f.clone(), bits & (1 << i) != 0);
        }
        let filled = fill(&world)?;
        let values = facts.iter().map(|f| (f.clone(), world.get(f))).collect();
        states.push(StateFill {
            world,
            facts: values,
            filled_troops: filled,
            required_troops: required,
        });
    }
    let base_filled = fill(base)?;

    let mut effects = Vec::new();
    for f in &facts {
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
        let mut flipped = base.clone();
        flipped.set(f.clone(), !base.get(f));
        let flip = fill(&flipped)? as i64 - base_filled as i64;
        effects.push(FactEffect {
            fact: f.clone(),
            mean_gain_troops: if nt > 0.0 && nf > 0.0 {
                t / nt - fsum / nf
            } else {
                0.0
            },
            flip_from_base_troops: flip,
        });
    }
    effects.sort_by(|a, b| {
        b.mean_gain_troops
            .abs()
            .total_cmp(&a.mean_gain_troops.abs())
            .then(a.fact.cmp(&b.fact))
    });
    let distinct_solves = cache.len();

    let mut critical = Vec::new();
    for nation in &scenario.nations {
        let has_live_units = scenario.pledges.iter().any(|p| {
            p.nation == nation.code && p.is_live(base) && matches!(p.offer, Offer::Units { .. })
        });
        if !has_live_units {
            continue;
        }
        let without = crate::filled_troops(scenario, base, Some(&nation.code))?;
        critical.push(NationEffect {
            nation: nation.code.clone(),
            filled_troops_without: without,
            loss_troops: base_filled.saturating_sub(without),
        });
    }
    critical.sort_by(|a, b| {
        b.loss_troops
            .cmp(&a.loss_troops)
            .then(a.nation.cmp(&b.nation))
    });

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
    })
}
