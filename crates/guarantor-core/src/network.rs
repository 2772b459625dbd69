//! The transport network: nodes with reception capacity, links with mode, distance, speed and capacity.

use geo_types::Point;

use crate::condition::Condition;
use crate::id::{CapabilityId, LinkId, NationCode, NodeId, ReserveId, SiteId};
use crate::names::named_enum;

named_enum! {
    /// What a node is.
    pub enum NodeKind {
        /// A nation's home port or airbase of embarkation.
        Home => "home",
        /// An airport.
        Airport => "airport",
        /// A sea port.
        Seaport => "seaport",
        /// A railway station.
        RailStation => "rail_station",
        /// A land border crossing.
        BorderCrossing => "border_crossing",
        /// A staging hub (reception, staging and onward movement).
        StagingHub => "staging_hub",
        /// A site of the force.
        Site => "site",
        /// A garrison outside Ukraine where forces stand ready, e.g. a NATO forward-presence battlegroup.
        Garrison => "garrison",
    }
}

named_enum! {
    /// How a link moves things.
    pub enum Mode {
        /// Road.
        Road => "road",
        /// Rail.
        Rail => "rail",
        /// Air.
        Air => "air",
        /// Sea.
        Sea => "sea",
    }
}

/// A place in the network.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Id.
    pub id: NodeId,
    /// Name.
    pub name: String,
    /// What it is.
    pub kind: NodeKind,
    /// The country it is in.
    pub country: NationCode,
    /// # Units
    /// degrees, WGS84 (x = longitude, y = latitude)
    pub location: Point<f64>,
    /// Reception, staging and onward movement of people.
    ///
    /// # Units
    /// troops per day
    pub reception_troops_per_day: u32,
    /// Reception of cargo.
    ///
    /// # Units
    /// tonnes per day
    pub reception_tonnes_per_day: f64,
    /// The site this node serves, if any.
    pub site: Option<SiteId>,
    /// Where the figures come from.
    pub source: String,
}

/// A connection between two nodes, usable both ways, each way with the daily capacity given.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    /// Id.
    pub id: LinkId,
    /// From.
    pub from: NodeId,
    /// To.
    pub to: NodeId,
    /// How.
    pub mode: Mode,
    /// # Units
    /// km
    pub distance_km: f64,
    /// # Units
    /// km per day
    pub speed_km_per_day: f64,
    /// # Units
    /// troops per day
    pub troops_per_day: u32,
    /// # Units
    /// tonnes per day
    pub tonnes_per_day: f64,
    /// Where the figures come from.
    pub source: String,
}

named_enum! {
    /// Where a reserve stands.
    pub enum ReserveKind {
        /// In Ukraine, held back by the force.
        InTheatre => "in_theatre",
        /// In a neighbouring country, e.g. NATO's forward presence in Romania or Poland.
        ForwardPresence => "forward_presence",
        /// At home, at high readiness.
        Home => "home",
    }
}

/// A force held outside the sourced force that can reinforce a site.
#[derive(Clone, Debug, PartialEq)]
pub struct Reserve {
    /// Id.
    pub id: ReserveId,
    /// Name, e.g. "eFP battlegroup Romania (Cincu)".
    pub name: String,
    /// Where it stands.
    pub kind: ReserveKind,
    /// The nation that leads it.
    pub nation: NationCode,
    /// What kind of unit.
    pub capability: CapabilityId,
    /// How many units.
    pub count: u32,
    /// The network node it stands at.
    pub node: NodeId,
    /// Notice to move.
    ///
    /// # Units
    /// days
    pub notice_days: u32,
    /// When it can reinforce a site in Ukraine (e.g. a US-led reserve only with the US backstop);
    /// `Condition::True` when always.
    pub condition: Condition,
    /// Where the figures come from.
    pub source: String,
}

/// Nodes, links, and the reserves that stand at nodes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Network {
    /// Nodes, in file order.
    pub nodes: Vec<Node>,
    /// Links, in file order.
    pub links: Vec<Link>,
    /// Reserves, in file order.
    pub reserves: Vec<Reserve>,
}
