//! The transport network: nodes with reception capacity, links with mode, distance, speed and capacity.

use geo_types::Point;

use crate::id::{LinkId, NationCode, NodeId, SiteId};
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

/// A directed connection between two nodes (the movement engine may use it both ways).
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

/// Nodes and links.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Network {
    /// Nodes, in file order.
    pub nodes: Vec<Node>,
    /// Links, in file order.
    pub links: Vec<Link>,
}
