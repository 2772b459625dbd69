//! guarantor's monitoring engine: what happened, and whether it breaks the ceasefire. No I/O: reports in,
//! incidents out.
//!
//! `corroborate` merges reports of one event into incidents and grades how sure the coalition can be of each;
//! `place` (a [`Placer`] built once per scenario) puts a point against the contact line, the buffer zones, land and sea, and the protected sites;
//! `judge` gives an incident its verdict and severity under the terms; `respond` applies the terms' escalation
//! rules to judged incidents, each calling for a step of the ladder.

pub mod attribute;
pub mod classify;
pub mod corroborate;
pub mod grid;
pub mod judge;
pub mod links;
pub mod place;
pub mod respond;
pub mod stable;
pub mod synthetic;

pub use attribute::attribute;
pub use corroborate::{
    SAME_EVENT_KINDS, SPREAD, Slack, compatible, fit, grade, group, group_with_sets,
    independent_sources, same_event, same_incident, share_a_post,
};
pub use judge::{TERMS_TIME_ZONE, best_located, judge, terms_time_zone};
pub use links::link_key;
pub use place::{Located, NearestPlace, PlaceIndex, Placement, Placer, Surface};
pub use respond::{Triggered, respond, threatened_site};

use guarantor_core::{Incident, Report};

/// The reports merged into incidents (see [`group`]), each with its confidence (see [`grade`]).
pub fn incidents(reports: &[Report], slack: Slack) -> Vec<Incident> {
    group(reports, slack)
        .into_iter()
        .map(|g| {
            let merged: Vec<Report> = g.iter().map(|&i| reports[i].clone()).collect();
            Incident {
                confidence: grade(&merged),
                reports: merged,
            }
        })
        .collect()
}
