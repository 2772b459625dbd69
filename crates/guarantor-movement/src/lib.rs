//! guarantor's movement engine: when the force closes over the transport network, and how fast a site can be
//! reinforced. No I/O: the network and the loads in, the plan out.
//!
//! Loads move in whole days over the network's links (each usable both ways, each way with its daily capacity in
//! troops and in tonnes; a link takes `ceil(distance / speed)` days, at least one) through its nodes (each with a
//! daily reception capacity in troops and in tonnes: reception, staging and onward movement). Troops and cargo
//! are two commodities with capacities of their own; a unit closes when the last of both has been received at
//! its destination.
//!
//! Loads are moved class by class (`Load::order`: phase, then priority), and within a class destination by
//! destination, in the order the loads first name them. Each (class, destination) group gets the earliest
//! arrivals the capacity left by the groups before it allows: an earliest-arrival flow in the time-expanded
//! network (see `flow`). With a single group this is exact: the closure day is the least `T` for which a
//! maximum flow in the `T`-day time-expanded network carries every load, the question a planner would put to a
//! max-flow solver. Between groups it is a priority rule, not a joint optimum.

mod flow;
mod net;
mod plan;
mod steps;
pub mod synthetic;

pub use guarantor_core::whole_tonnes_up;
pub use net::{own_transit_days, step_capacity, transit_days, transit_steps};
pub use plan::{
    Bottleneck, BottleneckAt, Commodity, Load, LoadOutcome, Movement, NotClosed, Route, movement,
};
pub use steps::{Alone, Buildup, Mover, StepNet};

/// A movement problem that cannot be solved as given.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MovementError {
    /// A load or reserve names a node the network does not have.
    #[error("node `{0}` is not in the network")]
    UnknownNode(String),
    /// Two nodes share an id.
    #[error("node `{0}` appears twice in the network")]
    DuplicateNode(String),
    /// The horizon is zero days.
    #[error("the horizon must be at least one day")]
    NoHorizon,
}
