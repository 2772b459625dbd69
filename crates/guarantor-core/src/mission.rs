//! The mission: purpose, phases, stand-off, tour length and the capability thresholds.

use std::collections::BTreeSet;

use crate::id::PhaseId;
use crate::names::named_enum;

named_enum! {
    /// What the force is for.
    pub enum Purpose {
        /// Reassure Ukraine by visible presence.
        Reassurance => "reassurance",
        /// Deter a renewed offensive.
        Deterrence => "deterrence",
        /// Monitor the ceasefire line.
        Monitoring => "monitoring",
        /// Train Ukraine's forces.
        Training => "training",
        /// Clear mines.
        Demining => "demining",
        /// Control borders.
        BorderControl => "border_control",
    }
}

/// A step of the mission in time, counted from the day the ceasefire takes effect (day 0).
#[derive(Clone, Debug, PartialEq)]
pub struct Phase {
    /// Id, e.g. `initial-entry`.
    pub id: PhaseId,
    /// Name.
    pub name: String,
    /// # Units
    /// days after day 0
    pub start_day: u32,
    /// # Units
    /// days
    pub duration_days: u32,
    /// What happens in it.
    pub description: String,
    /// Where it comes from.
    pub source: String,
}

/// The mission the force is built for.
#[derive(Clone, Debug, PartialEq)]
pub struct Mission {
    /// Name.
    pub name: String,
    /// Purposes.
    pub purposes: BTreeSet<Purpose>,
    /// Phases, in order.
    pub phases: Vec<Phase>,
    /// Force sites in Ukraine stay at least this far from the contact line.
    ///
    /// # Units
    /// km
    pub standoff_km: f64,
    /// Default tour length.
    ///
    /// # Units
    /// months
    pub tour_months: u32,
    /// How far ahead rotation is planned.
    ///
    /// # Units
    /// months
    pub horizon_months: u32,
    /// Initial operating capability: share of essential troops in place.
    ///
    /// # Units
    /// fraction in (0, 1]
    pub ioc_fill: f64,
    /// Full operating capability: share of essential troops in place.
    ///
    /// # Units
    /// fraction in (0, 1]
    pub foc_fill: f64,
    /// Where it comes from.
    pub source: String,
}
