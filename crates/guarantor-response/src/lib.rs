//! guarantor's response engine: what follows a violation, and how swiftly. No I/O: a contingency, a world state
//! and the reserves in; the response timeline out.
//!
//! "What military response would follow a large-scale offensive, and how swiftly would it materialize?"
//! (seed 002). For a contingency at a place (the force's site threatened, with the objective and origin of the
//! attack) the engine takes every option of the response plan (`response.toml`) in the tiers in force, keeps
//! those that exist in the world state (their conditions, and each reserve's and pledge's own) and that their
//! caveats allow, and times each one:
//!
//! ```text
//! response time = decision (the tier's deciders, then the option's, hours added up)
//!               + notice to move (the option's; a reserve's or stockpile's own)
//!               + movement (over the network for ground forces and stockpiles; flying or sailing for the rest)
//! ```
//!
//! Ground movement is asked of a [`Transport`] the caller provides (the app composes the movement engine at
//! hour resolution; engines stay siblings): each load alone (how swiftly each reserve can be there) and all loads
//! together (how much can be there by each hour, the network's capacities shared). The result is the timeline of
//! every element, what was left out and why, and the build-up at the threatened place hour by hour against
//! what the contingency needs.

mod timing;

pub use timing::{
    Buildup, Decision, Detail, Element, Excluded, Reason, Response, Situation, TierTiming, What,
    fastest_ground, respond, timeline_hours, vet_ground,
};

use guarantor_core::{CapabilityId, Caveats, Condition, NationCode, NodeId, PledgeId, ReserveKind};

/// A ground force that could move to the threatened place: a reserve of network.toml, a deterrence unit of the
/// force in theatre, or a live pledge's unit the plan left unassigned. One unit each. One standing at the
/// place's own node is there already: the caller counts it in `Situation::in_place_troops`.
#[derive(Clone, Debug, PartialEq)]
pub struct GroundSource {
    /// What to call it, e.g. `efp-romania`, `deployed:gbr-armour@airbase-starokostiantyniv`,
    /// `pledge:fra-mech-inf`.
    pub label: String,
    /// Where it stands: which ground option releases it.
    pub kind: ReserveKind,
    /// Its nation.
    pub nation: NationCode,
    /// The pledge it comes from, where it does.
    pub pledge: Option<PledgeId>,
    /// What kind of unit.
    pub capability: CapabilityId,
    /// Where it stands.
    pub node: NodeId,
    /// One unit's people.
    ///
    /// # Units
    /// troops
    pub troops: u64,
    /// One unit's cargo.
    ///
    /// # Units
    /// tonnes (whole)
    pub tonnes: u64,
    /// Notice to move once decided.
    ///
    /// # Units
    /// hours
    pub notice_hours: u32,
    /// When it exists.
    pub condition: Condition,
    /// Its nation's limits on its use.
    pub caveats: Caveats,
    /// Visible only to its nation and to planners.
    pub restricted: bool,
}

/// Something moved over the network to the threatened place.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Load {
    /// Where it starts.
    pub node: NodeId,
    /// The first hour it may leave.
    pub ready_hour: u32,
    /// # Units
    /// troops
    pub troops: u64,
    /// # Units
    /// tonnes (whole)
    pub tonnes: u64,
}

/// When a load, alone on the network, arrives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrival {
    /// The hour its first troops or tonnes are received.
    pub first_hour: Option<u32>,
    /// The hour the last are received.
    pub closed_hour: Option<u32>,
    /// Why it does not arrive: `unreachable` or `horizon`.
    pub not_closed: Option<&'static str>,
}

/// Moves loads over the network, hour by hour (from several threads at once).
pub trait Transport: Sync {
    /// Hours followed: `0..horizon_hours`.
    fn horizon_hours(&self) -> u32;
    /// Each load alone on the network at full capacity.
    fn alone(&self, dest: &NodeId, loads: &[Load]) -> Vec<Arrival>;
    /// The earliest a load could close at `dest` on an empty network of unlimited capacity (its ready hour
    /// plus the fewest hours over links that carry what it carries); `None` when it cannot reach it at all.
    fn lower_bound(&self, dest: &NodeId, load: &Load) -> Option<u32>;
    /// All loads together: troops and tonnes received by the end of each of the `hours` (ascending, within the
    /// horizon), one value per hour asked.
    fn together(&self, dest: &NodeId, loads: &[Load], hours: &[u32]) -> (Vec<u64>, Vec<u64>);
}
