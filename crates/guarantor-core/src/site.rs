//! Sites: where the force stands, and the requirement lines that say what it needs there.

use std::collections::BTreeSet;

use geo_types::Point;

use crate::capability::{Domain, Role};
use crate::id::{AreaId, CapabilityId, NationCode, PhaseId, RegionId, RequirementId, SiteId};
use crate::names::named_enum;
use crate::nation::Party;

named_enum! {
    /// What a site is.
    pub enum SiteKind {
        /// A nuclear power plant.
        NuclearPlant => "nuclear_plant",
        /// A sea port.
        Port => "port",
        /// An energy site: power plant, dam, substation, gas storage.
        Energy => "energy",
        /// An airbase.
        Airbase => "airbase",
        /// A logistics hub.
        LogisticsHub => "logistics_hub",
        /// A border crossing.
        BorderCrossing => "border_crossing",
        /// A headquarters.
        Headquarters => "headquarters",
        /// A sea area.
        SeaArea => "sea_area",
        /// An air area.
        AirArea => "air_area",
    }
}

impl SiteKind {
    /// The domains units can serve in at a site of this kind.
    pub fn domains(self) -> BTreeSet<Domain> {
        use Domain::*;
        let list: &[Domain] = match self {
            SiteKind::SeaArea => &[Sea],
            SiteKind::AirArea => &[Air],
            SiteKind::Port => &[Land, Sea],
            SiteKind::Airbase => &[Land, Air],
            SiteKind::BorderCrossing => &[Land, Border],
            SiteKind::NuclearPlant
            | SiteKind::Energy
            | SiteKind::LogisticsHub
            | SiteKind::Headquarters => &[Land],
        };
        list.iter().copied().collect()
    }

    /// Whether the site is an area (a polygon) rather than a point.
    pub fn is_area(self) -> bool {
        matches!(self, SiteKind::SeaArea | SiteKind::AirArea)
    }
}

/// Where the force stands.
#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    /// Id.
    pub id: SiteId,
    /// Name.
    pub name: String,
    /// What it is.
    pub kind: SiteKind,
    /// The country it is in (ISO alpha-3; need not be a participating nation).
    pub country: NationCode,
    /// Its position (for areas, a representative point inside).
    ///
    /// # Units
    /// degrees, WGS84 (x = longitude, y = latitude)
    pub location: Point<f64>,
    /// The region caveats refer to.
    pub region: RegionId,
    /// For sea and air areas: the area's geometry id.
    pub area: Option<AreaId>,
    /// What it needs protecting from.
    pub protection: String,
    /// Where the figures come from.
    pub source: String,
}

named_enum! {
    /// How much a requirement line matters.
    pub enum Priority {
        /// The mission fails without it: filled first.
        Essential => "essential",
        /// Wanted when there is enough.
        Desirable => "desirable",
    }
}

/// One line of the statement of requirements.
#[derive(Clone, Debug, PartialEq)]
pub struct Requirement {
    /// Id.
    pub id: RequirementId,
    /// What kind of unit.
    pub capability: CapabilityId,
    /// How many units.
    pub count: u32,
    /// Where.
    pub site: SiteId,
    /// From which phase.
    pub phase: PhaseId,
    /// How much it matters.
    pub priority: Priority,
    /// The role the units take.
    pub role: Role,
    /// At least this many nations at the site (a multinational tripwire).
    pub min_nations: u32,
    /// Parties every contributing nation must be acceptable to.
    pub acceptable_to: BTreeSet<Party>,
    /// Whether the site needs a framework (lead) nation.
    pub framework: bool,
    /// Where the figures come from.
    pub source: String,
}

impl Requirement {
    /// Troops the line needs, given the capability's personnel per unit.
    ///
    /// # Units
    /// troops
    pub fn troops(&self, personnel_per_unit: u32) -> u64 {
        u64::from(self.count) * u64::from(personnel_per_unit)
    }
}
