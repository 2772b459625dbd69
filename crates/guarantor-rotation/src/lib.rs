//! guarantor's rotation engine: what a deployed force costs to sustain.
//!
//! Each nation keeps its sourced troops deployed by rotating sets of units through a force-generation cycle
//! (deploy, recover, train: the mission's, e.g. analysts' 2:1:2, unless the nation says otherwise) with tours of
//! a fixed length. A tour of `T` months under a `d:r:t` cycle is preceded by `T·t/d` months of training and
//! followed by `T·r/d` months of recovery; tours follow each other without a gap for as long as the force is
//! deployed, and the mission is taken to go on past the planning horizon (so the units training for the tour
//! after the horizon are counted). A deployment starts the month its troops arrive. The result, month by month
//! from day 0: troops deployed, preparing,
//! recovering and committed (their sum), in total, by nation and by capability; and warnings where a pledge
//! gives fewer rotations or months than the plan needs, or a nation commits more than the mission's share of
//! its active forces.
//!
//! No I/O: values in, values out.
//!
//! ```
//! use guarantor_core::Cycle;
//! // Under the rule of thirds, three sets of units keep one deployed without a break.
//! assert_eq!(Cycle::THIRDS.unit_sets(), 3);
//! ```

use std::collections::BTreeMap;

use guarantor_core::{CapabilityId, Cycle, NationCode, PledgeId, Scenario};

/// Troops of one pledge kept deployed from a given month.
#[derive(Clone, Debug, PartialEq)]
pub struct Deployment {
    /// The pledge the troops come from.
    pub pledge: PledgeId,
    /// Its nation.
    pub nation: NationCode,
    /// Its capability.
    pub capability: CapabilityId,
    /// # Units
    /// troops
    pub troops: u64,
    /// The month the troops are first deployed (0 = the month the ceasefire takes effect).
    ///
    /// # Units
    /// months after day 0
    pub start_month: u32,
}

/// Troops in each state of the cycle in one month.
///
/// # Units
/// troops
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MonthLoad {
    /// Month (0 = the month the ceasefire takes effect).
    pub month: u32,
    /// In theatre.
    pub deployed: u64,
    /// Training for a coming tour.
    pub preparing: u64,
    /// Recovering from a tour.
    pub recovering: u64,
    /// All three: the troops the mission ties up.
    pub committed: u64,
}

impl MonthLoad {
    fn add(&mut self, other: &MonthLoad) {
        self.deployed += other.deployed;
        self.preparing += other.preparing;
        self.recovering += other.recovering;
        self.committed += other.committed;
    }
}

/// One nation's rotation.
#[derive(Clone, Debug, PartialEq)]
pub struct NationRotation {
    /// The nation.
    pub nation: NationCode,
    /// Its cycle (its own, or the mission's).
    pub cycle: Cycle,
    /// Its tour length (its own, or the mission's).
    ///
    /// # Units
    /// months
    pub tour_months: u32,
    /// Most troops deployed in any month.
    ///
    /// # Units
    /// troops
    pub peak_deployed: u64,
    /// Most troops committed in any month.
    ///
    /// # Units
    /// troops
    pub peak_committed: u64,
    /// Its active armed forces.
    ///
    /// # Units
    /// troops
    pub active_forces: u32,
    /// Peak committed as a share of active forces.
    ///
    /// # Units
    /// fraction
    pub share_of_active: f64,
    /// Tours its deployments start within the horizon (the most of any of its deployments).
    pub tours: u32,
    /// Month by month.
    pub months: Vec<MonthLoad>,
}

/// One capability's rotation.
#[derive(Clone, Debug, PartialEq)]
pub struct CapabilityRotation {
    /// The capability.
    pub capability: CapabilityId,
    /// # Units
    /// troops
    pub peak_deployed: u64,
    /// # Units
    /// troops
    pub peak_committed: u64,
}

/// Something the force-generation plan cannot keep.
#[derive(Clone, Debug, PartialEq)]
pub enum RotationWarning {
    /// The pledge gives fewer rotations (sets of units) than the cycle needs over the horizon.
    TooFewRotations {
        /// The pledge.
        pledge: PledgeId,
        /// Its nation.
        nation: NationCode,
        /// Sets of units the cycle needs.
        needed: u32,
        /// Rotations the nation pledged.
        pledged: u32,
    },
    /// The pledge can be sustained for less time than the plan keeps it deployed.
    SustainTooShort {
        /// The pledge.
        pledge: PledgeId,
        /// Its nation.
        nation: NationCode,
        /// # Units
        /// months
        needed_months: u32,
        /// # Units
        /// months
        sustain_months: u32,
    },
    /// The nation commits more than the mission's share of its active forces.
    ActiveShare {
        /// The nation.
        nation: NationCode,
        /// # Units
        /// troops
        peak_committed: u64,
        /// # Units
        /// troops
        active_forces: u32,
        /// The mission's limit.
        ///
        /// # Units
        /// fraction
        limit: f64,
    },
}

impl std::fmt::Display for RotationWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RotationWarning::TooFewRotations {
                pledge,
                nation,
                needed,
                pledged,
            } => write!(
                f,
                "{nation} pledge {pledge}: the cycle needs {needed} rotations over the horizon; {pledged} pledged"
            ),
            RotationWarning::SustainTooShort {
                pledge,
                nation,
                needed_months,
                sustain_months,
            } => write!(
                f,
                "{nation} pledge {pledge}: deployed for {needed_months} months of the horizon; sustainable for {sustain_months}"
            ),
            RotationWarning::ActiveShare {
                nation,
                peak_committed,
                active_forces,
                limit,
            } => write!(
                f,
                "{nation} commits {peak_committed} troops at the peak, {:.0}% of its {active_forces} active forces (limit {:.0}%)",
                100.0 * *peak_committed as f64 / f64::from((*active_forces).max(1)),
                100.0 * limit
            ),
        }
    }
}

/// The rotation of the whole force over the mission's horizon.
#[derive(Clone, Debug, PartialEq)]
pub struct RotationPlan {
    /// # Units
    /// months
    pub horizon_months: u32,
    /// The whole force, month by month.
    pub months: Vec<MonthLoad>,
    /// Nations with deployed troops, in scenario order.
    pub nations: Vec<NationRotation>,
    /// Capabilities with deployed troops, in scenario order.
    pub capabilities: Vec<CapabilityRotation>,
    /// What cannot be kept, pledge by pledge and nation by nation.
    pub warnings: Vec<RotationWarning>,
    /// Every deployment deployed at once: the force the mission keeps in theatre.
    ///
    /// # Units
    /// troops
    pub steady_deployed: u64,
    /// The troops that force ties up at the steady state, as analysts count it: each deployed troop times its
    /// nation's cycle ratio `(deploy + recover + train) / deploy`. The month-by-month curve swings around it
    /// as sets of units start and end their tours together.
    ///
    /// # Units
    /// troops
    pub steady_committed: u64,
}

impl RotationPlan {
    /// Most troops committed in any month.
    ///
    /// # Units
    /// troops
    pub fn peak_committed(&self) -> u64 {
        self.months.iter().map(|m| m.committed).max().unwrap_or(0)
    }

    /// Most troops deployed in any month.
    ///
    /// # Units
    /// troops
    pub fn peak_deployed(&self) -> u64 {
        self.months.iter().map(|m| m.deployed).max().unwrap_or(0)
    }
}

/// The months one deployment ties troops up, from month 0 to the horizon.
fn schedule(d: &Deployment, cycle: Cycle, tour: u32, horizon: u32) -> Vec<MonthLoad> {
    let tour = tour.max(1);
    let per_part = f64::from(tour) / f64::from(cycle.deploy.max(1));
    let train = (per_part * f64::from(cycle.train)).round() as u32;
    let recover = (per_part * f64::from(cycle.recover)).round() as u32;
    // Tour j runs [start + j·tour, start + (j+1)·tour); tours go on past the horizon, so those whose training
    // falls inside it count too.
    let starts: Vec<u32> = (0..)
        .map(|j: u32| d.start_month + j * tour)
        .take_while(|s| s.saturating_sub(train) < horizon)
        .collect();
    (0..horizon)
        .map(|m| {
            let mut load = MonthLoad {
                month: m,
                ..MonthLoad::default()
            };
            for &s in &starts {
                if (s..s + tour).contains(&m) {
                    load.deployed += d.troops;
                } else if (s.saturating_sub(train)..s).contains(&m) {
                    load.preparing += d.troops;
                } else if (s + tour..s + tour + recover).contains(&m) {
                    load.recovering += d.troops;
                }
            }
            load.committed = load.deployed + load.preparing + load.recovering;
            load
        })
        .collect()
}

/// The cycle and tour length of `nation` (its own, else the mission's).
pub fn cycle_of(scenario: &Scenario, nation: &NationCode) -> (Cycle, u32) {
    let mission = &scenario.mission;
    let n = scenario.nation(nation);
    (
        n.and_then(|n| n.cycle).unwrap_or(mission.cycle),
        n.and_then(|n| n.tour_months)
            .unwrap_or(mission.tour_months)
            .max(1),
    )
}

/// The months one deployment ties troops up, month 0 to the horizon: deployed, preparing, recovering (under
/// its nation's cycle and tour).
pub fn deployment_months(scenario: &Scenario, d: &Deployment) -> Vec<MonthLoad> {
    let (cycle, tour) = cycle_of(scenario, &d.nation);
    schedule(d, cycle, tour, scenario.mission.horizon_months)
}

/// Rotates `deployments` through each nation's cycle over the scenario's horizon.
pub fn rotation(scenario: &Scenario, deployments: &[Deployment]) -> RotationPlan {
    let mission = &scenario.mission;
    let horizon = mission.horizon_months;
    let empty = || -> Vec<MonthLoad> {
        (0..horizon)
            .map(|month| MonthLoad {
                month,
                ..MonthLoad::default()
            })
            .collect()
    };
    let mut months = empty();
    let mut by_nation: BTreeMap<&NationCode, (Vec<MonthLoad>, u32)> = BTreeMap::new();
    let mut by_capability: BTreeMap<&CapabilityId, Vec<MonthLoad>> = BTreeMap::new();
    let mut warnings = Vec::new();
    // Per pledge, in first-deployment order: (sets of units the cycle needs, months deployed), the most of any
    // of its deployments.
    let mut by_pledge: Vec<(&Deployment, (u32, u32))> = Vec::new();
    let (mut steady_deployed, mut steady_committed) = (0u64, 0.0f64);
    for d in deployments {
        let (cycle, tour) = cycle_of(scenario, &d.nation);
        let loads = schedule(d, cycle, tour, horizon);
        steady_deployed += d.troops;
        steady_committed += d.troops as f64 * cycle.ratio();
        let deployed_months = horizon.saturating_sub(d.start_month);
        let tours = deployed_months.div_ceil(tour);
        let (nation_months, nation_tours) =
            by_nation.entry(&d.nation).or_insert_with(|| (empty(), 0));
        *nation_tours = (*nation_tours).max(tours);
        let capability_months = by_capability.entry(&d.capability).or_insert_with(empty);
        for (m, load) in loads.iter().enumerate() {
            months[m].add(load);
            nation_months[m].add(load);
            capability_months[m].add(load);
        }
        // A pledge serving several lines is judged once, by its most demanding deployment.
        let need = (cycle.unit_sets().min(tours), deployed_months);
        match by_pledge.iter_mut().find(|(d2, _)| d2.pledge == d.pledge) {
            Some((_, most)) => *most = (most.0.max(need.0), most.1.max(need.1)),
            None => by_pledge.push((d, need)),
        }
    }
    for (d, (needed, deployed_months)) in by_pledge {
        let Some(pledge) = scenario.pledge(&d.pledge) else {
            continue;
        };
        if let Some(pledged) = pledge.rotations
            && pledged < needed
        {
            warnings.push(RotationWarning::TooFewRotations {
                pledge: d.pledge.clone(),
                nation: d.nation.clone(),
                needed,
                pledged,
            });
        }
        if let Some(sustain) = pledge.sustain_months
            && sustain < deployed_months
        {
            warnings.push(RotationWarning::SustainTooShort {
                pledge: d.pledge.clone(),
                nation: d.nation.clone(),
                needed_months: deployed_months,
                sustain_months: sustain,
            });
        }
    }

    let peak =
        |loads: &[MonthLoad], f: fn(&MonthLoad) -> u64| loads.iter().map(f).max().unwrap_or(0);
    let mut nations = Vec::new();
    for n in &scenario.nations {
        let Some((loads, tours)) = by_nation.remove(&n.code) else {
            continue;
        };
        let peak_committed = peak(&loads, |m| m.committed);
        let share = peak_committed as f64 / f64::from(n.active_forces.max(1));
        if share > mission.max_active_share {
            warnings.push(RotationWarning::ActiveShare {
                nation: n.code.clone(),
                peak_committed,
                active_forces: n.active_forces,
                limit: mission.max_active_share,
            });
        }
        nations.push(NationRotation {
            nation: n.code.clone(),
            cycle: n.cycle.unwrap_or(mission.cycle),
            tour_months: n.tour_months.unwrap_or(mission.tour_months),
            peak_deployed: peak(&loads, |m| m.deployed),
            peak_committed,
            active_forces: n.active_forces,
            share_of_active: share,
            tours,
            months: loads,
        });
    }
    let capabilities = scenario
        .capabilities
        .iter()
        .filter_map(|c| {
            let loads = by_capability.get(&c.id)?;
            Some(CapabilityRotation {
                capability: c.id.clone(),
                peak_deployed: peak(loads, |m| m.deployed),
                peak_committed: peak(loads, |m| m.committed),
            })
        })
        .collect();
    RotationPlan {
        horizon_months: horizon,
        months,
        nations,
        capabilities,
        warnings,
        steady_deployed,
        steady_committed: steady_committed.round() as u64,
    }
}
