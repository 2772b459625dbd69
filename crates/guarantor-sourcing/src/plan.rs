//! What sourcing answers: fill per line with the shortfall's reasons, each nation against its fair share, and
//! each site with its framework nation and how many nations stand there.

use guarantor_core::{
    CapabilityId, FactId, NationCode, PledgeId, Priority, RequirementId, SiteId, WorldState,
};

use crate::instance::Exclusion;

/// Units of one pledge assigned to one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    /// The nation.
    pub nation: NationCode,
    /// Its pledge.
    pub pledge: PledgeId,
    /// Units assigned.
    pub units: u32,
    /// Troops assigned (units × personnel per unit).
    ///
    /// # Units
    /// troops
    pub troops: u64,
}

/// Why part of a line stays unfilled.
#[derive(Clone, Debug, PartialEq)]
pub enum ShortfallReason {
    /// No nation pledges this capability at all.
    NoPledge,
    /// Pledges exist but are withdrawn.
    Withdrawn {
        /// The withdrawn pledges.
        pledges: Vec<PledgeId>,
    },
    /// Pledges exist but their conditions are false in this world state.
    ConditionsFalse {
        /// The pledges waiting on conditions, with the smallest sets of facts that would make each live
        /// (empty when no combination of the scenario's facts would).
        pledges: Vec<(PledgeId, Vec<Vec<FactId>>)>,
    },
    /// Live pledges exist but may not serve this line.
    CaveatedOut {
        /// The pledges and the rule that keeps each out.
        pledges: Vec<(PledgeId, Exclusion)>,
    },
    /// Eligible pledges exist but all their units serve other lines (of higher or equal priority).
    CommittedElsewhere {
        /// The eligible pledges.
        pledges: Vec<PledgeId>,
    },
    /// Eligible pledges exist but their nations have reached their political caps.
    NationCap {
        /// Nations at their cap.
        nations: Vec<NationCode>,
    },
    /// The line needs contributions from several nations and fewer nations have eligible pledges.
    TooFewNations {
        /// Nations the line requires.
        needed: u32,
        /// Nations with eligible pledges.
        eligible: u32,
    },
}

/// One requirement line of the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct LinePlan {
    /// The requirement.
    pub requirement: RequirementId,
    /// Its capability.
    pub capability: CapabilityId,
    /// Its site.
    pub site: SiteId,
    /// Essential or desirable.
    pub priority: Priority,
    /// Units required.
    pub required_units: u32,
    /// Troops per unit.
    ///
    /// # Units
    /// troops
    pub personnel_per_unit: u32,
    /// Who fills it.
    pub assignments: Vec<Assignment>,
    /// Why it is not full (empty when it is).
    pub shortfall_reasons: Vec<ShortfallReason>,
}

impl LinePlan {
    /// Units filled.
    pub fn filled_units(&self) -> u32 {
        self.assignments.iter().map(|a| a.units).sum()
    }

    /// # Units
    /// troops
    pub fn required_troops(&self) -> u64 {
        u64::from(self.required_units) * u64::from(self.personnel_per_unit)
    }

    /// # Units
    /// troops
    pub fn filled_troops(&self) -> u64 {
        self.assignments.iter().map(|a| a.troops).sum()
    }

    /// Nations contributing, in code order.
    pub fn nations(&self) -> Vec<&NationCode> {
        let mut n: Vec<&NationCode> = self.assignments.iter().map(|a| &a.nation).collect();
        n.sort();
        n.dedup();
        n
    }
}

/// A nation's load against its fair share.
#[derive(Clone, Debug, PartialEq)]
pub struct NationLoad {
    /// The nation.
    pub nation: NationCode,
    /// Troops it deploys in the plan.
    ///
    /// # Units
    /// troops
    pub troops: u64,
    /// Its fair share of the filled troops (by the scenario's key, among nations with live unit pledges).
    ///
    /// # Units
    /// troops
    pub fair_share_troops: u64,
    /// Its political cap, if any.
    pub cap: Option<u32>,
}

/// A site of the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct SitePlan {
    /// The site.
    pub site: SiteId,
    /// Troops required there.
    ///
    /// # Units
    /// troops
    pub required_troops: u64,
    /// Troops filled there.
    ///
    /// # Units
    /// troops
    pub troops: u64,
    /// The nation with the most troops there (the framework nation), ties broken by code.
    pub framework_nation: Option<NationCode>,
    /// Troops of each nation there, largest first: how many capitals an attack on the site would touch.
    pub nations: Vec<(NationCode, u64)>,
}

/// The optimum of each goal, in the order they were optimised.
#[derive(Clone, Debug, PartialEq)]
pub struct Objectives {
    /// Essential troops left unfilled.
    pub essential_shortfall_troops: u64,
    /// Desirable troops left unfilled.
    pub desirable_shortfall_troops: u64,
    /// Nation–site pairs (fewer: more cohesive contingents); `None` when the goal was not reached.
    pub nation_site_pairs: Option<u64>,
    /// Troops held by the framework nation of each site with a `framework` line, summed over those sites;
    /// `None` when the goal was not reached.
    pub framework_troops: Option<u64>,
    /// Sum over nations of |troops − fair share|; `None` when the goal was not reached.
    pub fair_share_deviation_troops: Option<u64>,
    /// Troops × days of notice (plus parliamentary votes), summed; `None` when the goal was not reached.
    pub readiness_troop_days: Option<u64>,
    /// Each goal reached, in order, with the bound the solver proved and the gap between them.
    pub goals: Vec<GoalValue>,
    /// The secondary goal at which the solver found no solution within its limits, if any (the goals from there
    /// on were not optimised; the fill always is).
    pub stopped_at: Option<&'static str>,
    /// Why it stopped there.
    pub stopped_why: Option<String>,
}

/// How far one goal of the lexicographic order was taken.
#[derive(Clone, Debug, PartialEq)]
pub struct GoalValue {
    /// The goal (`essential fill`, `desirable fill`, `cohesion`, `framework nation`, `fair share`, `readiness`).
    pub goal: &'static str,
    /// Its value in the plan.
    pub value: f64,
    /// The best bound the solver proved on it (the value itself when proven exactly); `None` when a limit
    /// stopped the solver before it proved any.
    pub bound: Option<f64>,
    /// |bound − value| / max(|value|, 1); `None` without a bound.
    pub gap: Option<f64>,
    /// Whether the solver closed the goal to its tolerance (the fill goals exactly, the others to 0.1%); false
    /// when a limit (the time a caller set, or the node limit) stopped it with the best solution found.
    pub proven: bool,
}

/// The sourcing answer for one world state.
#[derive(Clone, Debug, PartialEq)]
pub struct SourcingPlan {
    /// The world state the plan is for.
    pub world: WorldState,
    /// Every requirement line, in file order.
    pub lines: Vec<LinePlan>,
    /// Every nation, in scenario order.
    pub nations: Vec<NationLoad>,
    /// Every site with lines, in scenario order.
    pub sites: Vec<SitePlan>,
    /// The optimum of each goal.
    pub objectives: Objectives,
}

impl SourcingPlan {
    /// # Units
    /// troops
    pub fn required_troops(&self) -> u64 {
        self.lines.iter().map(LinePlan::required_troops).sum()
    }

    /// # Units
    /// troops
    pub fn filled_troops(&self) -> u64 {
        self.lines.iter().map(LinePlan::filled_troops).sum()
    }
}
