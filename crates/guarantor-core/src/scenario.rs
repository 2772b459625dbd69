//! The whole model: one scenario, as the engines receive it.

use crate::capability::Capability;
use crate::geometry::Theatre;
use crate::id::{CapabilityId, NationCode, NodeId, PledgeId, RequirementId, SiteId};
use crate::mission::{Mission, Phase};
use crate::names::named_enum;
use crate::nation::Nation;
use crate::network::{Network, Node};
use crate::pledge::Pledge;
use crate::response::ResponsePlan;
use crate::site::{Requirement, Site};
use crate::terms::Terms;
use crate::world::{PoliticalFact, WorldState};

named_enum! {
    /// The key that says what share of the burden each nation should carry.
    pub enum FairShareKey {
        /// Share of GDP among participants.
        Gdp => "gdp",
        /// Share of population.
        Population => "population",
        /// Share of defence spending.
        Defence => "defence",
        /// The same for every nation.
        Equal => "equal",
    }
}

impl FairShareKey {
    /// `nation`'s value under the key (its GDP in USD bn, population in millions, defence spending in USD bn,
    /// or 1): its fair share is this over the sum of the values of the nations taking part.
    pub fn weight(self, nation: &Nation) -> f64 {
        match self {
            FairShareKey::Gdp => nation.gdp_usd_bn,
            FairShareKey::Population => nation.population_m,
            FairShareKey::Defence => nation.defence_usd_bn,
            FairShareKey::Equal => 1.0,
        }
    }
}

/// A complete, validated scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Name.
    pub name: String,
    /// What it is about.
    pub description: String,
    /// The burden-sharing key.
    pub fair_share: FairShareKey,
    /// The mission.
    pub mission: Mission,
    /// Political facts conditions may name.
    pub facts: Vec<PoliticalFact>,
    /// Participating nations.
    pub nations: Vec<Nation>,
    /// The capability catalogue.
    pub capabilities: Vec<Capability>,
    /// Pledges.
    pub pledges: Vec<Pledge>,
    /// Sites.
    pub sites: Vec<Site>,
    /// The statement of requirements.
    pub requirements: Vec<Requirement>,
    /// The transport network.
    pub network: Network,
    /// The ceasefire terms.
    pub terms: Terms,
    /// What follows a violation: deciders, tiers, options, contingencies.
    pub response: ResponsePlan,
    /// What the force costs and who pays (`None`: the scenario has no `cost.toml`).
    pub cost: Option<crate::CostModel>,
    /// The courses of action planners compare (`courses.toml`; empty without one).
    pub courses: Vec<crate::Course>,
    /// The theatre's geometry.
    pub theatre: Theatre,
    /// Where the scenario as a whole comes from.
    pub source: String,
}

impl Scenario {
    /// Today's world state.
    pub fn today(&self) -> WorldState {
        WorldState::today(&self.facts)
    }

    /// The nation with this code.
    pub fn nation(&self, code: &NationCode) -> Option<&Nation> {
        self.nations.iter().find(|n| &n.code == code)
    }

    /// The capability with this id.
    pub fn capability(&self, id: &CapabilityId) -> Option<&Capability> {
        self.capabilities.iter().find(|c| &c.id == id)
    }

    /// The pledge with this id.
    pub fn pledge(&self, id: &PledgeId) -> Option<&Pledge> {
        self.pledges.iter().find(|p| &p.id == id)
    }

    /// The site with this id.
    pub fn site(&self, id: &SiteId) -> Option<&Site> {
        self.sites.iter().find(|s| &s.id == id)
    }

    /// The requirement line with this id.
    pub fn requirement(&self, id: &RequirementId) -> Option<&Requirement> {
        self.requirements.iter().find(|r| &r.id == id)
    }

    /// The phase a requirement line belongs to, with its index in the mission's phases.
    pub fn phase_of(&self, requirement: &Requirement) -> Option<(usize, &Phase)> {
        self.mission
            .phases
            .iter()
            .enumerate()
            .find(|(_, p)| p.id == requirement.phase)
    }

    /// The network node that serves `site` (the first in file order), if any.
    pub fn site_node(&self, site: &SiteId) -> Option<&NodeId> {
        self.network
            .nodes
            .iter()
            .find(|n| n.site.as_ref() == Some(site))
            .map(|n| &n.id)
    }

    /// Days before a pledge can move: its notice, plus the parliamentary vote for nations that need one.
    ///
    /// # Units
    /// days
    pub fn ready_days(&self, pledge: &Pledge) -> u32 {
        let vote = self
            .nation(&pledge.nation)
            .and_then(|n| n.parliament_vote_days)
            .unwrap_or(0);
        pledge.notice_days.saturating_add(vote)
    }

    /// The network node with this id.
    pub fn node(&self, id: &NodeId) -> Option<&Node> {
        self.network.nodes.iter().find(|n| &n.id == id)
    }

    /// Troops a requirement line needs (0 if its capability is unknown, which validation rules out).
    ///
    /// # Units
    /// troops
    pub fn required_troops(&self, requirement: &Requirement) -> u64 {
        self.capability(&requirement.capability)
            .map_or(0, |c| requirement.troops(c.personnel))
    }

    /// Troops a pledge offers (0 for materiel and enablers).
    ///
    /// # Units
    /// troops
    pub fn pledged_troops(&self, pledge: &Pledge) -> u64 {
        match &pledge.offer {
            crate::pledge::Offer::Units { capability, count } => self
                .capability(capability)
                .map_or(0, |c| u64::from(*count) * u64::from(c.personnel)),
            _ => 0,
        }
    }
}
