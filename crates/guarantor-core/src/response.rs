//! What follows a violation, and how swiftly: who decides, the tiers of the response, the options a response is
//! made of, and the contingencies planners prepare for (`response.toml`).
//!
//! "What military response would follow a large-scale offensive, and how swiftly would it materialize?"
//! (seed 002). Each option carries its conditions and caveats like a pledge: an option whose condition is false
//! in a world state does not exist there. Each tier and option names who must decide, and a decision takes
//! time: the response time of anything is decision + notice to move + movement.

use std::collections::BTreeSet;

use geo_types::Point;

use crate::condition::Condition;
use crate::id::{NationCode, NodeId, SiteId, TermId};
use crate::names::named_enum;
use crate::network::ReserveKind;
use crate::pledge::Caveats;

named_enum! {
    /// Who a decider is.
    pub enum DeciderKind {
        /// One body for the whole coalition (its leaders, the North Atlantic Council, the US President).
        Body => "body",
        /// The government of the nation whose forces an option commits.
        Government => "government",
        /// The parliament of that nation, where deployment needs a vote (nations.toml
        /// `parliament_vote_days`); nations without a vote skip it.
        Parliament => "parliament",
    }
}

/// A body that must decide before an option can move.
#[derive(Clone, Debug, PartialEq)]
pub struct Decider {
    /// Id.
    pub id: TermId,
    /// Name.
    pub name: String,
    /// One body, each nation's government or each nation's parliament.
    pub kind: DeciderKind,
    /// How long the decision takes (a parliament's comes from nations.toml instead).
    ///
    /// # Units
    /// hours
    pub hours: u32,
    /// Where the figure comes from.
    pub source: String,
}

/// A tier of the response: what the coalition commits to within a time, as one political decision.
#[derive(Clone, Debug, PartialEq)]
pub struct Tier {
    /// Id.
    pub id: TermId,
    /// Name.
    pub name: String,
    /// The time within which the tier is meant to act, from the violation.
    ///
    /// # Units
    /// hours
    pub target_hours: u32,
    /// Who decides to enter the tier, in order (their hours add up).
    pub deciders: Vec<TermId>,
    /// What it means.
    pub description: String,
    /// Where it comes from.
    pub source: String,
}

/// What an option brings, by kind.
#[derive(Clone, Debug, PartialEq)]
pub enum OptionForce {
    /// Ground reinforcement of the threatened place by the reserves of one kind: `in_theatre` (the force's
    /// deterrence units and the in-theatre reserves of network.toml), `forward_presence` (network.toml's
    /// reserves in neighbouring countries) or `home` (network.toml's home reserves and the live pledges' units
    /// the plan left unassigned). Each reserve brings its own nation, condition and caveats.
    Ground {
        /// Which reserves.
        from: ReserveKind,
    },
    /// The live materiel pledges released to Ukraine's forces at the threatened place.
    Stockpiles,
    /// Aircraft flying sorties over the threatened place from their base, if it is within their radius.
    Air {
        /// Aircraft.
        aircraft: u32,
        /// The network node they fly from.
        base: NodeId,
        /// Sorties each aircraft flies a day.
        sorties_per_aircraft_day: f64,
        /// How far from the base a sortie reaches.
        ///
        /// # Units
        /// km
        radius_km: f64,
        /// Cruise speed to the target.
        ///
        /// # Units
        /// km per hour
        speed_km_h: f64,
    },
    /// Stand-off strikes on the attacking forces (at the contingency's origin, else the threatened place).
    Strike {
        /// Missiles available in all.
        missiles: u32,
        /// Most launched in a day.
        per_day: u32,
        /// The node they are launched from.
        base: NodeId,
        /// Range.
        ///
        /// # Units
        /// km
        range_km: f64,
        /// Flight speed.
        ///
        /// # Units
        /// km per hour
        speed_km_h: f64,
    },
    /// Warships sailing from their base to the threatened place (a port or a sea area).
    Naval {
        /// Ships.
        ships: u32,
        /// The network node (a port) they sail from.
        base: NodeId,
    },
    /// A non-military measure (a warning, sanctions, a diplomatic step): in force once decided.
    Measure,
}

named_enum! {
    /// The kinds of option, as `kind` spells them.
    pub enum OptionKind {
        /// [`OptionForce::Ground`].
        Ground => "ground",
        /// [`OptionForce::Stockpiles`].
        Stockpiles => "stockpiles",
        /// [`OptionForce::Air`].
        Air => "air",
        /// [`OptionForce::Strike`].
        Strike => "strike",
        /// [`OptionForce::Naval`].
        Naval => "naval",
        /// [`OptionForce::Measure`].
        Measure => "measure",
    }
}

impl OptionForce {
    /// Its kind.
    pub fn kind(&self) -> OptionKind {
        match self {
            OptionForce::Ground { .. } => OptionKind::Ground,
            OptionForce::Stockpiles => OptionKind::Stockpiles,
            OptionForce::Air { .. } => OptionKind::Air,
            OptionForce::Strike { .. } => OptionKind::Strike,
            OptionForce::Naval { .. } => OptionKind::Naval,
            OptionForce::Measure => OptionKind::Measure,
        }
    }
}

/// One option of the response plan.
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseOption {
    /// Id.
    pub id: TermId,
    /// Name.
    pub name: String,
    /// The tier it belongs to.
    pub tier: TermId,
    /// The nation that provides it (`None` for ground and stockpile options, whose reserves and pledges carry
    /// their own, and for measures the coalition takes as a whole).
    pub nation: Option<NationCode>,
    /// What it brings.
    pub force: OptionForce,
    /// Who must decide besides the tier's deciders, in order after them.
    pub deciders: Vec<TermId>,
    /// Notice to move once decided (ground reserves and stockpiles use their own notice instead).
    ///
    /// # Units
    /// hours
    pub notice_hours: u32,
    /// When the option exists; `Condition::True` when always.
    pub condition: Condition,
    /// Visible only to its nation and to planners.
    pub restricted: bool,
    /// Limits on use, as for a pledge (a nation whose roles exclude deterrence does not strike).
    pub caveats: Caveats,
    /// The kinds of contingency it answers (`None`: every kind).
    pub applies_to: Option<BTreeSet<ContingencyKind>>,
    /// What it means.
    pub description: String,
    /// Where it comes from.
    pub source: String,
}

named_enum! {
    /// What a contingency is.
    pub enum ContingencyKind {
        /// An attack on one of the force's sites (or on a protected site near it).
        AttackOnSite => "attack_on_site",
        /// A ground offensive from a point on the line towards an objective.
        Offensive => "offensive",
        /// Strikes on energy sites.
        EnergyStrikes => "energy_strikes",
        /// An attack on the force itself.
        AttackOnForce => "attack_on_force",
    }
}

/// What a contingency needs at the threatened place to be answered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Needs {
    /// Ground troops.
    ///
    /// # Units
    /// troops
    pub troops: u64,
    /// Materiel delivered to Ukraine's forces.
    ///
    /// # Units
    /// tonnes
    pub tonnes: u64,
    /// Air sorties over the place each day.
    ///
    /// # Units
    /// sorties per day
    pub sorties_per_day: f64,
    /// Stand-off missiles launched at the attacking forces.
    pub missiles: u32,
    /// Warships at the place (ports and sea areas).
    pub ships: u32,
}

/// A contingency planners prepare the response for.
#[derive(Clone, Debug, PartialEq)]
pub struct Contingency {
    /// Id.
    pub id: TermId,
    /// Name.
    pub name: String,
    /// What it is.
    pub kind: ContingencyKind,
    /// The force's site that is threatened, where given; otherwise the site nearest the objective.
    pub site: Option<SiteId>,
    /// The place attacked or the objective of the offensive.
    ///
    /// # Units
    /// degrees, WGS84 (x = longitude, y = latitude)
    pub objective: Point<f64>,
    /// Where the attack comes from (a point on the line for an offensive), where known.
    ///
    /// # Units
    /// degrees, WGS84 (x = longitude, y = latitude)
    pub origin: Option<Point<f64>>,
    /// The day it happens, counted from day 0 of the phases; `None`: once the force stands (the start of the
    /// mission's last phase).
    ///
    /// # Units
    /// days
    pub day: Option<u32>,
    /// What answering it needs.
    pub needs: Needs,
    /// Where it comes from.
    pub source: String,
}

/// The response plan of `response.toml`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResponsePlan {
    /// Who decides.
    pub deciders: Vec<Decider>,
    /// The tiers, in order (the first acts soonest).
    pub tiers: Vec<Tier>,
    /// The options.
    pub options: Vec<ResponseOption>,
    /// The planned contingencies.
    pub contingencies: Vec<Contingency>,
    /// What a contingency needs when none is stated (an incident, or a site or point asked about).
    pub default_needs: Needs,
    /// How long the response is followed.
    ///
    /// # Units
    /// days
    pub horizon_days: u32,
    /// Where it comes from.
    pub source: String,
}

impl ResponsePlan {
    /// The decider with this id.
    pub fn decider(&self, id: &TermId) -> Option<&Decider> {
        self.deciders.iter().find(|d| &d.id == id)
    }

    /// The tier with this id, with its place in the order.
    pub fn tier(&self, id: &TermId) -> Option<(usize, &Tier)> {
        self.tiers.iter().enumerate().find(|(_, t)| &t.id == id)
    }

    /// The contingency with this id.
    pub fn contingency(&self, id: &TermId) -> Option<&Contingency> {
        self.contingencies.iter().find(|c| &c.id == id)
    }
}
