//! Why a line falls short: no pledge, withdrawn, conditions false (and which facts would unlock them), caveats,
//! units committed elsewhere, national caps, too few nations.

use std::collections::BTreeSet;

use guarantor_core::{Condition, FactId, NationCode, PledgeId, Scenario, WorldState};

use crate::instance::{Line, eligibility, offers_capability, withdrawn};
use crate::plan::ShortfallReason;

/// Facts a condition needs, as the smallest sets of currently false facts whose truth would make it hold
/// (up to three facts at a time; at most four sets).
pub fn unlocking_facts(condition: &Condition, world: &WorldState) -> Vec<Vec<FactId>> {
    let false_facts: Vec<&FactId> = condition
        .facts()
        .into_iter()
        .filter(|f| !world.get(f))
        .collect();
    let mut found: Vec<Vec<FactId>> = Vec::new();
    for size in 1..=false_facts.len().min(3) {
        for combo in combinations(false_facts.len(), size) {
            let mut w = world.clone();
            for &i in &combo {
                w.set(false_facts[i].clone(), true);
            }
            let set: Vec<FactId> = combo.iter().map(|&i| false_facts[i].clone()).collect();
            if condition.holds(&w) {
                found.push(set);
            }
        }
        if !found.is_empty() {
            break;
        }
    }
    found.truncate(4);
    found
}

fn combinations(n: usize, k: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    if k > n {
        return out;
    }
    let mut combo: Vec<usize> = (0..k).collect();
    loop {
        out.push(combo.clone());
        let Some(i) = (0..k).rev().find(|&i| combo[i] != i + n - k) else {
            break;
        };
        combo[i] += 1;
        for j in i + 1..k {
            combo[j] = combo[j - 1] + 1;
        }
    }
    out
}

/// Facts and load the reasons are judged against.
pub(crate) struct Context<'a> {
    pub(crate) scenario: &'a Scenario,
    pub(crate) world: &'a WorldState,
    /// Units of each live pledge left unassigned.
    pub(crate) left: &'a dyn Fn(&PledgeId) -> u32,
    /// Whether a nation's cap leaves no room for one more unit of this many troops.
    pub(crate) capped: &'a dyn Fn(&NationCode, u64) -> bool,
    /// A nation left out (for "who matters most").
    pub(crate) without: Option<&'a NationCode>,
}

/// The reasons a line with a shortfall is short, most fundamental first.
pub(crate) fn reasons(cx: &Context<'_>, line: &Line<'_>) -> Vec<ShortfallReason> {
    let scenario = cx.scenario;
    let of_capability: Vec<_> = scenario
        .pledges
        .iter()
        .filter(|p| offers_capability(p, line.capability) && Some(&p.nation) != cx.without)
        .collect();
    if of_capability.is_empty() {
        return vec![ShortfallReason::NoPledge];
    }
    let mut out = Vec::new();
    let gone: Vec<PledgeId> = of_capability
        .iter()
        .filter(|p| withdrawn(p))
        .map(|p| p.id.clone())
        .collect();
    let waiting: Vec<(PledgeId, Vec<Vec<FactId>>)> = of_capability
        .iter()
        .filter(|p| !withdrawn(p) && !p.condition.holds(cx.world))
        .map(|p| (p.id.clone(), unlocking_facts(&p.condition, cx.world)))
        .collect();
    let mut caveated = Vec::new();
    let mut eligible = Vec::new();
    for p in of_capability.iter().filter(|p| p.is_live(cx.world)) {
        match eligibility(scenario, p, line.requirement, line.site, line.site_km) {
            Ok(()) => eligible.push(*p),
            Err(why) => caveated.push((p.id.clone(), why)),
        }
    }
    if !waiting.is_empty() {
        out.push(ShortfallReason::ConditionsFalse { pledges: waiting });
    }
    if !gone.is_empty() {
        out.push(ShortfallReason::Withdrawn { pledges: gone });
    }
    if !caveated.is_empty() {
        out.push(ShortfallReason::CaveatedOut { pledges: caveated });
    }
    if !eligible.is_empty() {
        let committed: Vec<PledgeId> = eligible
            .iter()
            .filter(|p| (cx.left)(&p.id) == 0)
            .map(|p| p.id.clone())
            .collect();
        if !committed.is_empty() {
            out.push(ShortfallReason::CommittedElsewhere { pledges: committed });
        }
        let capped: BTreeSet<NationCode> = eligible
            .iter()
            .filter(|p| (cx.left)(&p.id) > 0 && (cx.capped)(&p.nation, line.personnel()))
            .map(|p| p.nation.clone())
            .collect();
        if !capped.is_empty() {
            out.push(ShortfallReason::NationCap {
                nations: capped.into_iter().collect(),
            });
        }
        let needed = line.requirement.min_nations;
        let nations: BTreeSet<&NationCode> = eligible.iter().map(|p| &p.nation).collect();
        if needed > 1 && nations.len() < needed as usize {
            out.push(ShortfallReason::TooFewNations {
                needed,
                eligible: nations.len() as u32,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world(trues: &[&str]) -> WorldState {
        let mut w = WorldState::default();
        for t in trues {
            w.set(FactId::new(t).unwrap(), true);
        }
        w
    }

    fn names(sets: Vec<Vec<FactId>>) -> Vec<Vec<String>> {
        sets.into_iter()
            .map(|s| s.into_iter().map(|f| f.to_string()).collect())
            .collect()
    }

    #[test]
    fn finds_the_smallest_unlocking_sets() {
        let c = Condition::parse("a && (b || c)").unwrap().condition;
        assert_eq!(
            names(unlocking_facts(&c, &world(&[]))),
            vec![vec!["a", "b"], vec!["a", "c"]]
        );
        assert_eq!(
            names(unlocking_facts(&c, &world(&["a"]))),
            vec![vec!["b"], vec!["c"]]
        );
        let never = Condition::parse("a && !a").unwrap().condition;
        assert!(unlocking_facts(&never, &world(&[])).is_empty());
    }

    #[test]
    fn combinations_are_complete() {
        assert_eq!(combinations(4, 2).len(), 6);
        assert_eq!(combinations(3, 3), vec![vec![0, 1, 2]]);
        assert!(combinations(2, 3).is_empty());
    }
}
