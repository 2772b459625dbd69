//! The rotation use case: the sourced force, rotated through each nation's cycle, as the JSON `plan` prints.

use guarantor_core::Scenario;
use guarantor_rotation::{Deployment, RotationPlan, RotationWarning};
use guarantor_sourcing::SourcingPlan;

use crate::movement::MovementDto;
use serde::Serialize;

/// The `rotation` section of `guarantor plan --json`.
#[derive(Clone, Debug, Serialize)]
pub struct RotationDto {
    /// Months planned from day 0.
    pub horizon_months: u32,
    /// The mission's cycle, `deploy:recover:train`.
    pub cycle: String,
    /// The mission's tour length (months).
    pub tour_months: u32,
    /// Every sourced unit that arrives, deployed at once: the force the mission keeps in theatre.
    pub steady_deployed: u64,
    /// What that force ties up at the steady state, as analysts count it: each deployed troop times its
    /// nation's cycle ratio (deploy + recover + train) / deploy.
    pub steady_committed: u64,
    /// `steady_committed / steady_deployed`, to two decimals (2.5 under the default cycle).
    pub committed_per_deployed: f64,
    /// Sourced units that never arrive within the horizon: not deployed, not rotated.
    pub not_arrived: Vec<NotArrivedDto>,
    /// Most troops deployed in any month.
    pub peak_deployed: u64,
    /// Most troops committed in any month.
    pub peak_committed: u64,
    /// The whole force, month by month.
    pub months: Vec<MonthDto>,
    /// Nations with deployed troops.
    pub nations: Vec<NationRotationDto>,
    /// Capabilities with deployed troops.
    pub capabilities: Vec<CapabilityRotationDto>,
    /// What the force-generation plan cannot keep.
    pub warnings: Vec<RotationWarningDto>,
}

/// A sourced unit that never arrives within the horizon.
#[derive(Clone, Debug, Serialize)]
pub struct NotArrivedDto {
    /// Its pledge.
    pub pledge: String,
    /// Its nation.
    pub nation: String,
    /// The requirement line it fills.
    pub requirement: String,
    /// Its troops.
    pub troops: u64,
    /// Why: `unreachable`, `horizon`, `no_node` (no node serves its site) or `not_moved`.
    pub reason: &'static str,
}

/// Troops in each state of the cycle in one month.
#[derive(Clone, Debug, Serialize)]
pub struct MonthDto {
    /// Month, 0 = the month the ceasefire takes effect.
    pub month: u32,
    /// In theatre.
    pub deployed: u64,
    /// Training for a coming tour.
    pub preparing: u64,
    /// Recovering from a tour.
    pub recovering: u64,
    /// The sum: troops the mission ties up.
    pub committed: u64,
}

/// One nation's rotation.
#[derive(Clone, Debug, Serialize)]
pub struct NationRotationDto {
    /// ISO alpha-3.
    pub nation: String,
    /// Its cycle.
    pub cycle: String,
    /// Its tour length (months).
    pub tour_months: u32,
    /// Tours over the horizon.
    pub tours: u32,
    /// Most troops deployed in any month.
    pub peak_deployed: u64,
    /// Most troops committed in any month.
    pub peak_committed: u64,
    /// Its active armed forces.
    pub active_forces: u32,
    /// Peak committed over active forces, as a fraction.
    pub share_of_active: f64,
}

/// One capability's rotation.
#[derive(Clone, Debug, Serialize)]
pub struct CapabilityRotationDto {
    /// Capability id.
    pub capability: String,
    /// Most troops deployed in any month.
    pub peak_deployed: u64,
    /// Most troops committed in any month.
    pub peak_committed: u64,
}

/// One warning.
#[derive(Clone, Debug, Serialize)]
pub struct RotationWarningDto {
    /// `too_few_rotations`, `sustain_too_short` or `active_share`.
    pub kind: &'static str,
    /// The nation.
    pub nation: String,
    /// The pledge, for pledge warnings.
    pub pledge: Option<String>,
    /// What it means, in a sentence.
    pub message: String,
}

/// The deployments of a sourcing plan: every sourced unit from the month it arrives at its site (its
/// `movement`: the rotation curve never shows troops that have not arrived), and the units that never arrive
/// within the horizon (listed, not deployed).
pub fn deployments(
    plan: &SourcingPlan,
    movement: &MovementDto,
) -> (Vec<Deployment>, Vec<NotArrivedDto>) {
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for line in &plan.lines {
        for a in &line.assignments {
            let units: Vec<&crate::movement::UnitMoveDto> = movement
                .units
                .iter()
                .filter(|u| {
                    u.pledge == a.pledge.as_str() && u.requirement == line.requirement.as_str()
                })
                .collect();
            if units.is_empty() {
                missing.push(NotArrivedDto {
                    pledge: a.pledge.to_string(),
                    nation: a.nation.to_string(),
                    requirement: line.requirement.to_string(),
                    troops: a.troops,
                    reason: "not_moved",
                });
            }
            for u in units {
                match u.arrival_day {
                    Some(day) => out.push(Deployment {
                        pledge: a.pledge.clone(),
                        nation: a.nation.clone(),
                        capability: line.capability.clone(),
                        troops: u.troops,
                        start_month: month_of_day(day),
                    }),
                    None => missing.push(NotArrivedDto {
                        pledge: a.pledge.to_string(),
                        nation: a.nation.to_string(),
                        requirement: line.requirement.to_string(),
                        troops: u.troops,
                        reason: u.not_closed.unwrap_or("horizon"),
                    }),
                }
            }
        }
    }
    (out, missing)
}

/// The month (of `DAYS_PER_MONTH` days, the mean Gregorian month) a day falls in.
pub(crate) fn month_of_day(day: u32) -> u32 {
    (f64::from(day) / crate::movement::DAYS_PER_MONTH).floor() as u32
}

/// The rotation engine run on `plan`'s force (moved as `movement` says: each unit deployed from the month it
/// arrives), as JSON.
pub fn rotate_force(
    scenario: &Scenario,
    plan: &SourcingPlan,
    movement: &MovementDto,
) -> RotationDto {
    let (deployed, not_arrived) = deployments(plan, movement);
    let r: RotationPlan = guarantor_rotation::rotation(scenario, &deployed);
    RotationDto {
        horizon_months: r.horizon_months,
        cycle: scenario.mission.cycle.to_string(),
        tour_months: scenario.mission.tour_months,
        steady_deployed: r.steady_deployed,
        steady_committed: r.steady_committed,
        committed_per_deployed: if r.steady_deployed == 0 {
            0.0
        } else {
            (r.steady_committed as f64 / r.steady_deployed as f64 * 100.0).round() / 100.0
        },
        not_arrived,
        peak_deployed: r.peak_deployed(),
        peak_committed: r.peak_committed(),
        months: r
            .months
            .iter()
            .map(|m| MonthDto {
                month: m.month,
                deployed: m.deployed,
                preparing: m.preparing,
                recovering: m.recovering,
                committed: m.committed,
            })
            .collect(),
        nations: r
            .nations
            .iter()
            .map(|n| NationRotationDto {
                nation: n.nation.to_string(),
                cycle: n.cycle.to_string(),
                tour_months: n.tour_months,
                tours: n.tours,
                peak_deployed: n.peak_deployed,
                peak_committed: n.peak_committed,
                active_forces: n.active_forces,
                share_of_active: (n.share_of_active * 1000.0).round() / 1000.0,
            })
            .collect(),
        capabilities: r
            .capabilities
            .iter()
            .map(|c| CapabilityRotationDto {
                capability: c.capability.to_string(),
                peak_deployed: c.peak_deployed,
                peak_committed: c.peak_committed,
            })
            .collect(),
        warnings: r
            .warnings
            .iter()
            .map(|w| {
                let (kind, nation, pledge) = match w {
                    RotationWarning::TooFewRotations { nation, pledge, .. } => {
                        ("too_few_rotations", nation, Some(pledge))
                    }
                    RotationWarning::SustainTooShort { nation, pledge, .. } => {
                        ("sustain_too_short", nation, Some(pledge))
                    }
                    RotationWarning::ActiveShare { nation, .. } => ("active_share", nation, None),
                };
                RotationWarningDto {
                    kind,
                    nation: nation.to_string(),
                    pledge: pledge.map(ToString::to_string),
                    message: w.to_string(),
                }
            })
            .collect(),
    }
}
