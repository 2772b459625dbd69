//! Nations that take part: economy, forces and the political facts that bind them.

use std::collections::BTreeSet;

use jiff::civil::Date;

use crate::id::{NationCode, NodeId};
use crate::names::named_enum;

named_enum! {
    /// An alliance or grouping a nation belongs to.
    pub enum Membership {
        /// North Atlantic Treaty Organization.
        Nato => "nato",
        /// European Union.
        Eu => "eu",
        /// The Commonwealth of Nations.
        Commonwealth => "commonwealth",
        /// The UK-led Joint Expeditionary Force.
        Jef => "jef",
        /// The Nordic-Baltic Eight.
        Nb8 => "nb8",
    }
}

named_enum! {
    /// A party to the ceasefire, whose acceptance of a nation's troops may be required.
    pub enum Party {
        /// Ukraine.
        Ukraine => "ukraine",
        /// Russia.
        Russia => "russia",
    }
}

/// A participating nation.
#[derive(Clone, Debug, PartialEq)]
pub struct Nation {
    /// ISO 3166-1 alpha-3.
    pub code: NationCode,
    /// Name in English.
    pub name: String,
    /// Alliances and groupings.
    pub memberships: BTreeSet<Membership>,
    /// Population.
    ///
    /// # Units
    /// millions of people
    pub population_m: f64,
    /// Gross domestic product, current prices.
    ///
    /// # Units
    /// billions of US dollars
    pub gdp_usd_bn: f64,
    /// Military expenditure, current prices.
    ///
    /// # Units
    /// billions of US dollars
    pub defence_usd_bn: f64,
    /// Active armed forces.
    ///
    /// # Units
    /// troops
    pub active_forces: u32,
    /// The parties of the ceasefire that accept this nation's troops.
    pub acceptable_to: BTreeSet<Party>,
    /// A political cap on deployed troops (e.g. France: up to 10,000).
    ///
    /// # Units
    /// troops
    pub max_troops: Option<u32>,
    /// How long a parliamentary vote on deployment takes, when one is needed.
    ///
    /// # Units
    /// days
    pub parliament_vote_days: Option<u32>,
    /// The nation's own force-generation cycle, when it differs from the mission's.
    pub cycle: Option<crate::Cycle>,
    /// The nation's own tour length, when it differs from the mission's.
    ///
    /// # Units
    /// months
    pub tour_months: Option<u32>,
    /// The next national election, when it weighs on decisions.
    pub next_election: Option<Date>,
    /// Home port or airbase of embarkation (a network node).
    pub home: NodeId,
    /// Free notes for planners.
    pub notes: String,
    /// Where the figures come from.
    pub source: String,
}
