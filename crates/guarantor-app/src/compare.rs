//! Courses of action side by side, and the smallest core coalition (issue #20): `guarantor core` and
//! `guarantor compare`.

use guarantor_core::{Membership, NationCode, Party, Scenario, WorldState};
use guarantor_sourcing::{CoreCoalition, SolveError};
use serde::Serialize;

/// `guarantor core --json`: the fewest nations whose live pledges fill a share of the essential troops.
#[derive(Clone, Debug, Serialize)]
pub struct CoreReport {
    /// Scenario name.
    pub scenario: String,
    /// The world state.
    pub world: String,
    /// The share of the essential troops asked for (0..1).
    pub share: f64,
    /// Essential troops the requirement needs.
    pub essential_required_troops: u64,
    /// The most essential troops every live pledge together fills.
    pub essential_reachable_troops: u64,
    /// Essential troops the core must fill: the share, or all that can be filled when that is less.
    pub target_troops: u64,
    /// Whether the share is out of reach of every live pledge together.
    pub share_out_of_reach: bool,
    /// The core's nations, in scenario order, with what each sends in the least-strain solution.
    pub nations: Vec<CoreNationDto>,
    /// Nations with a live units pledge: those the core is chosen from.
    pub candidates: usize,
    /// Essential troops the core fills in that solution.
    pub essential_filled_troops: u64,
    /// The largest share of a core nation's active forces it sends (0..1).
    pub most_strain: f64,
    /// What the core fills at most on its own (essential troops first).
    pub core_fill: FillDto,
    /// What each other candidate adds to the core, most essential troops first.
    pub additions: Vec<AdditionDto>,
}

/// One core nation.
#[derive(Clone, Debug, Serialize)]
pub struct CoreNationDto {
    /// ISO alpha-3.
    pub nation: String,
    /// Name.
    pub name: String,
    /// A NATO member.
    pub nato: bool,
    /// Accepted by Russia (as well as by Ukraine): nations.toml `acceptable_to`.
    pub acceptable_to_both: bool,
    /// Troops it sends in the least-strain solution.
    pub troops: u64,
    /// Those troops as a share of its active forces (0..1).
    pub share_of_active: f64,
}

/// Troops filled, by the fill goals.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct FillDto {
    /// Essential troops filled.
    pub essential_troops: u64,
    /// All troops filled.
    pub troops: u64,
}

/// One nation added to the core.
#[derive(Clone, Debug, Serialize)]
pub struct AdditionDto {
    /// ISO alpha-3.
    pub nation: String,
    /// Name.
    pub name: String,
    /// The core with it: essential troops filled at most.
    pub essential_troops: u64,
    /// The core with it: all troops filled at most.
    pub troops: u64,
    /// Essential troops it adds to the core.
    pub essential_gain_troops: u64,
    /// Troops it adds to the core.
    pub gain_troops: u64,
}

/// Whether `nation` is a NATO member and whether both parties accept it.
pub(crate) fn nation_flags(scenario: &Scenario, nation: &NationCode) -> (bool, bool) {
    scenario.nation(nation).map_or((false, false), |n| {
        (
            n.memberships.contains(&Membership::Nato),
            n.acceptable_to.contains(&Party::Russia) && n.acceptable_to.contains(&Party::Ukraine),
        )
    })
}

/// The smallest core coalition of `scenario` in `world` filling `share` of the essential troops.
pub fn core(scenario: &Scenario, world: &WorldState, share: f64) -> Result<CoreReport, SolveError> {
    let c = guarantor_sourcing::smallest_core(scenario, world, share)?;
    Ok(core_report(scenario, world, &c))
}

fn core_report(scenario: &Scenario, world: &WorldState, c: &CoreCoalition) -> CoreReport {
    let name = |n: &NationCode| {
        scenario
            .nation(n)
            .map(|x| x.name.clone())
            .unwrap_or_default()
    };
    CoreReport {
        scenario: scenario.name.clone(),
        world: world.to_string(),
        share: c.share,
        essential_required_troops: c.essential_required_troops,
        essential_reachable_troops: c.essential_reachable_troops,
        target_troops: c.target_troops,
        share_out_of_reach: c.share_out_of_reach,
        nations: c
            .nations
            .iter()
            .map(|n| {
                let troops = c.troops.get(n).copied().unwrap_or(0);
                let active = scenario.nation(n).map_or(0, |x| x.active_forces);
                let (nato, acceptable_to_both) = nation_flags(scenario, n);
                CoreNationDto {
                    nation: n.to_string(),
                    name: name(n),
                    nato,
                    acceptable_to_both,
                    troops,
                    share_of_active: if active > 0 {
                        troops as f64 / f64::from(active)
                    } else {
                        0.0
                    },
                }
            })
            .collect(),
        candidates: c.candidates.len(),
        essential_filled_troops: c.essential_filled_troops,
        most_strain: c.most_strain,
        core_fill: FillDto {
            essential_troops: c.core_fill.essential_troops,
            troops: c.core_fill.troops,
        },
        additions: c
            .additions
            .iter()
            .map(|a| AdditionDto {
                nation: a.nation.to_string(),
                name: name(&a.nation),
                essential_troops: a.fill.essential_troops,
                troops: a.fill.troops,
                essential_gain_troops: a
                    .fill
                    .essential_troops
                    .saturating_sub(c.core_fill.essential_troops),
                gain_troops: a.fill.troops.saturating_sub(c.core_fill.troops),
            })
            .collect(),
    }
}
