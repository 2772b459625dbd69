//! Pledges: what a nation offers, on which conditions, with which caveats.

use std::collections::BTreeSet;

use crate::capability::{Domain, Role};
use crate::condition::Condition;
use crate::id::{CapabilityId, NationCode, NodeId, PledgeId, RegionId, SiteId};
use crate::names::named_enum;
use crate::world::WorldState;

named_enum! {
    /// Where a pledge stands.
    pub enum PledgeStatus {
        /// Offered, not yet confirmed.
        Offered => "offered",
        /// Confirmed by the nation.
        Confirmed => "confirmed",
        /// Withdrawn: never live.
        Withdrawn => "withdrawn",
    }
}

named_enum! {
    /// A kind of enabler: help that is not a unit at a site.
    pub enum EnablerKind {
        /// Strategic or tactical airlift.
        Airlift => "airlift",
        /// Sealift.
        Sealift => "sealift",
        /// Intelligence sharing.
        Intelligence => "intelligence",
        /// Airborne or space-based air surveillance.
        AirSurveillance => "air_surveillance",
        /// Air and missile defence support.
        AirDefenceSupport => "air_defence_support",
        /// Satellite imagery.
        SatelliteImagery => "satellite_imagery",
        /// Air-to-air refuelling.
        AirToAirRefuelling => "air_to_air_refuelling",
        /// Medical evacuation.
        MedicalEvacuation => "medical_evacuation",
    }
}

/// What is offered.
#[derive(Clone, Debug, PartialEq)]
pub enum Offer {
    /// A number of units of one capability.
    Units {
        /// From the catalogue.
        capability: CapabilityId,
        /// How many units.
        count: u32,
    },
    /// A stockpile of materiel (heavy weapons, interceptors, shells) ready for rapid deployment.
    Materiel {
        /// What, e.g. "155 mm artillery rounds".
        item: String,
        /// How many items.
        quantity: u64,
        /// # Units
        /// tonnes in all
        tonnes: f64,
        /// The network node where it is stocked.
        depot: NodeId,
        /// The site it is moved to, if it is to be moved forward.
        site: Option<SiteId>,
    },
    /// An enabler such as airlift, intelligence or air surveillance.
    Enabler {
        /// Which.
        kind: EnablerKind,
        /// How much, in `capacity_unit`.
        capacity: f64,
        /// The unit of `capacity`, e.g. "tonnes/day".
        capacity_unit: String,
    },
}

/// Limits a nation puts on how its pledge may be used. `None` means no limit.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Caveats {
    /// The roles the units may take.
    pub roles: Option<BTreeSet<Role>>,
    /// The regions (of sites) they may go to.
    pub regions: Option<BTreeSet<RegionId>>,
    /// The nearest they may stand to the contact line.
    ///
    /// # Units
    /// km
    pub min_km_from_line: Option<f64>,
    /// The domains they may serve in.
    pub domains: Option<BTreeSet<Domain>>,
    /// The caveats (not the pledge) are visible only to the pledging nation and to planners.
    pub restricted: bool,
}

/// A nation's offer.
#[derive(Clone, Debug, PartialEq)]
pub struct Pledge {
    /// Id.
    pub id: PledgeId,
    /// Who offers.
    pub nation: NationCode,
    /// What is offered.
    pub offer: Offer,
    /// Notice to move.
    ///
    /// # Units
    /// days
    pub notice_days: u32,
    /// How long the nation can sustain it.
    ///
    /// # Units
    /// months
    pub sustain_months: Option<u32>,
    /// Rotations the nation can generate.
    pub rotations: Option<u32>,
    /// Where the offer stands.
    pub status: PledgeStatus,
    /// When the offer holds; `Condition::True` when unconditional.
    pub condition: Condition,
    /// Visible only to its nation and to planners.
    pub restricted: bool,
    /// Limits on use.
    pub caveats: Caveats,
    /// Where the figures come from.
    pub source: String,
}

impl Pledge {
    /// Whether the pledge can be used in `world`: not withdrawn and its condition holds.
    pub fn is_live(&self, world: &WorldState) -> bool {
        self.status != PledgeStatus::Withdrawn && self.condition.holds(world)
    }

    /// Whether the pledge depends on any political fact.
    pub fn is_conditional(&self) -> bool {
        self.condition != Condition::True
    }
}
