//! Courses of action: the options planners compare — a mission, its statement of requirements, the coalition
//! that fills it and the world states it is judged in (issue #20).

use crate::id::{CourseId, FactId, NationCode};
use crate::names::named_enum;
use crate::site::Requirement;

named_enum! {
    /// What a course of action's force is for (seed 000: peacekeeping along the line or deterrence away from
    /// it; seed 001: a backstop instead of a ground force; seed 004: training and demining).
    pub enum CourseMission {
        /// Monitoring the ceasefire line, by nations both parties accept.
        Monitoring => "monitoring",
        /// Reassurance at key infrastructure, away from the line.
        Reassurance => "reassurance",
        /// Deterrence: a larger force with a heavy reserve.
        Deterrence => "deterrence",
        /// Training, demining and border control only.
        Training => "training",
        /// A backstop from neighbouring countries: air, sea and logistics, no ground force in Ukraine.
        Backstop => "backstop",
    }
}

/// Which nations a course of action draws on.
#[derive(Clone, Debug, PartialEq)]
pub enum Coalition {
    /// Every willing nation: all the scenario's pledges.
    All,
    /// Only these nations' pledges.
    Named(Vec<NationCode>),
    /// The smallest core coalition filling this share (0..1) of the essential troops, found in the course's
    /// first world state.
    Core {
        /// Share of the essential troops.
        share: f64,
    },
}

/// One course of action.
#[derive(Clone, Debug, PartialEq)]
pub struct Course {
    /// Id (`courses.toml`), as `guarantor plan --course` takes it.
    pub id: CourseId,
    /// Name.
    pub name: String,
    /// What it is, in a sentence or two.
    pub description: String,
    /// The kind of mission.
    pub mission: CourseMission,
    /// Its statement of requirements, resolved: the scenario's, a file of its own, either scaled.
    pub requirements: Vec<Requirement>,
    /// Where the requirements come from, in words (the file, and the size it was scaled to).
    pub requirements_from: String,
    /// The nations it draws on.
    pub coalition: Coalition,
    /// Only the nations' units: no materiel stockpiles and no enablers (a monitoring or training mission).
    pub units_only: bool,
    /// The world states it is judged in, each as facts set on top of today's (empty: today). Never empty.
    pub worlds: Vec<Vec<(FactId, bool)>>,
    /// Where it comes from.
    pub source: String,
}
