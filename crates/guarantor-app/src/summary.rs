//! The scenario at a glance: nations, live and conditional pledges, troops required and pledged by capability
//! and domain, sites. What `guarantor` prints with no arguments.

use std::collections::BTreeMap;

use guarantor_core::{Capability, Domain, Offer, PledgeStatus, Scenario, WorldState};
use serde::Serialize;

/// The scenario at a glance, for one world state.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    /// Scenario name.
    pub name: String,
    /// What it is about.
    pub description: String,
    /// The mission's name.
    pub mission: String,
    /// The world state the summary is for (`fact=value,…`).
    pub world: String,
    /// Each political fact: its value in this world state and how many pledges wait on it.
    pub facts: Vec<FactLine>,
    /// Headline figures.
    pub totals: Totals,
    /// Pledges by where they stand.
    pub pledges: PledgeCounts,
    /// Each nation's offer.
    pub nations: Vec<NationLine>,
    /// Required against pledged, by capability.
    pub capabilities: Vec<CapabilityLine>,
    /// Required against pledged, by domain.
    pub domains: Vec<DomainLine>,
    /// Where the force stands.
    pub sites: Vec<SiteLine>,
    /// Attribution owed for the scenario's data.
    pub attribution: Vec<String>,
}

/// One political fact.
#[derive(Clone, Debug, Serialize)]
pub struct FactLine {
    /// Name.
    pub fact: String,
    /// Value in the summary's world state.
    pub value: bool,
    /// Value today.
    pub today: bool,
    /// Pledges whose condition names it.
    pub pledges_naming_it: usize,
    /// What it means.
    pub description: String,
}

/// Headline figures.
///
/// # Units
/// troops
#[derive(Clone, Debug, Serialize)]
pub struct Totals {
    /// Participating nations.
    pub nations: usize,
    /// Troops the statement of requirements asks for (deployed).
    pub required_troops: u64,
    /// Of which essential.
    pub essential_troops: u64,
    /// Troops in pledges that are live in this world state.
    pub live_troops: u64,
    /// Troops in every pledge not withdrawn, if every condition were met.
    pub potential_troops: u64,
    /// Sites.
    pub sites: usize,
    /// Requirement lines.
    pub requirement_lines: usize,
}

/// Pledges by where they stand.
#[derive(Clone, Debug, Serialize)]
pub struct PledgeCounts {
    /// All pledges.
    pub total: usize,
    /// Live in this world state.
    pub live: usize,
    /// Of the live ones, those with no condition at all.
    pub unconditional: usize,
    /// Not live: waiting on a condition that does not hold.
    pub waiting_on_conditions: usize,
    /// Withdrawn.
    pub withdrawn: usize,
    /// Units pledges.
    pub units: usize,
    /// Materiel stockpiles.
    pub materiel: usize,
    /// Enablers.
    pub enablers: usize,
}

/// One nation's offer.
#[derive(Clone, Debug, Serialize)]
pub struct NationLine {
    /// ISO alpha-3.
    pub nation: String,
    /// Name.
    pub name: String,
    /// Troops in live pledges.
    pub live_troops: u64,
    /// Troops in pledges waiting on conditions.
    pub conditional_troops: u64,
    /// Pledges of any kind (not withdrawn).
    pub pledges: usize,
    /// Political cap, if any.
    pub max_troops: Option<u32>,
    /// The facts its waiting pledges need.
    pub waiting_on: Vec<String>,
}

/// Required against pledged for one capability.
#[derive(Clone, Debug, Serialize)]
pub struct CapabilityLine {
    /// Id.
    pub capability: String,
    /// Name.
    pub name: String,
    /// The domain it is counted under.
    pub domain: &'static str,
    /// Units required.
    pub required_units: u64,
    /// Troops required.
    pub required_troops: u64,
    /// Units in live pledges.
    pub live_units: u64,
    /// Troops in live pledges.
    pub live_troops: u64,
    /// Units in every pledge not withdrawn.
    pub potential_units: u64,
}

/// Required against pledged for one domain.
#[derive(Clone, Debug, Serialize)]
pub struct DomainLine {
    /// land, air, sea or border.
    pub domain: &'static str,
    /// Troops required.
    pub required_troops: u64,
    /// Troops in live pledges.
    pub live_troops: u64,
    /// Troops in every pledge not withdrawn.
    pub potential_troops: u64,
}

/// One site.
#[derive(Clone, Debug, Serialize)]
pub struct SiteLine {
    /// Id.
    pub site: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: &'static str,
    /// Region.
    pub region: String,
    /// Troops the requirement lines ask for here.
    pub required_troops: u64,
    /// Distance to the contact line (none for air and sea areas).
    ///
    /// # Units
    /// km
    pub km_to_contact_line: Option<f64>,
}

/// The domain a capability is counted under: its most specific one (sea, then air, then border, then land).
pub fn primary_domain(capability: &Capability) -> Domain {
    [Domain::Sea, Domain::Air, Domain::Border]
        .into_iter()
        .find(|d| capability.domains.contains(d))
        .unwrap_or(Domain::Land)
}

/// Summarises a scenario for a world state.
///
/// # Examples
///
/// ```
/// use guarantor_scenario::{SourceSet, load};
/// let scenario = load(&SourceSet::builtin_default()).unwrap().scenario;
/// let s = guarantor_app::summary(&scenario, &scenario.today());
/// assert!(s.totals.required_troops >= 25_000 && s.totals.required_troops <= 30_000);
/// assert!(s.totals.live_troops < s.totals.potential_troops);
/// ```
pub fn summary(scenario: &Scenario, world: &WorldState) -> Summary {
    let mut capability_lines = capability_lines(scenario);
    let mut totals = Totals {
        nations: scenario.nations.len(),
        required_troops: 0,
        essential_troops: 0,
        live_troops: 0,
        potential_troops: 0,
        sites: scenario.sites.len(),
        requirement_lines: scenario.requirements.len(),
    };
    let site_troops = count_requirements(scenario, &mut totals, &mut capability_lines);
    let (counts, nations) = count_pledges(scenario, world, &mut totals, &mut capability_lines);
    let domains = domain_lines(scenario, &capability_lines);
    let facts = fact_lines(scenario, world);
    let sites = site_lines(scenario, &site_troops);

    Summary {
        name: scenario.name.clone(),
        description: scenario.description.clone(),
        mission: scenario.mission.name.clone(),
        world: world.to_string(),
        facts,
        totals,
        pledges: counts,
        nations,
        capabilities: scenario
            .capabilities
            .iter()
            .filter_map(|c| capability_lines.remove(c.id.as_str()))
            .collect(),
        domains,
        sites,
        attribution: scenario.theatre.attribution.clone(),
    }
}

/// Each capability's line, by id, with nothing required or pledged yet.
fn capability_lines(scenario: &Scenario) -> BTreeMap<&str, CapabilityLine> {
    scenario
        .capabilities
        .iter()
        .map(|c| {
            (
                c.id.as_str(),
                CapabilityLine {
                    capability: c.id.to_string(),
                    name: c.name.clone(),
                    domain: primary_domain(c).as_str(),
                    required_units: 0,
                    required_troops: 0,
                    live_units: 0,
                    live_troops: 0,
                    potential_units: 0,
                },
            )
        })
        .collect()
}

/// Adds the requirement's troops to the totals and to each capability's line; returns the troops required at
/// each site.
fn count_requirements<'a>(
    scenario: &'a Scenario,
    totals: &mut Totals,
    capability_lines: &mut BTreeMap<&str, CapabilityLine>,
) -> BTreeMap<&'a str, u64> {
    let mut site_troops: BTreeMap<&str, u64> = BTreeMap::new();
    for r in &scenario.requirements {
        let troops = scenario.required_troops(r);
        totals.required_troops += troops;
        if r.priority == guarantor_core::Priority::Essential {
            totals.essential_troops += troops;
        }
        *site_troops.entry(r.site.as_str()).or_default() += troops;
        if let Some(line) = capability_lines.get_mut(r.capability.as_str()) {
            line.required_units += u64::from(r.count);
            line.required_troops += troops;
        }
    }
    site_troops
}

/// Adds the pledges in this world state to the totals and to each capability's line; returns the pledges counted
/// by where they stand, and each nation's offer, the largest first.
fn count_pledges(
    scenario: &Scenario,
    world: &WorldState,
    totals: &mut Totals,
    capability_lines: &mut BTreeMap<&str, CapabilityLine>,
) -> (PledgeCounts, Vec<NationLine>) {
    let mut counts = PledgeCounts {
        total: scenario.pledges.len(),
        live: 0,
        unconditional: 0,
        waiting_on_conditions: 0,
        withdrawn: 0,
        units: 0,
        materiel: 0,
        enablers: 0,
    };
    let mut nations: BTreeMap<&str, NationLine> = scenario
        .nations
        .iter()
        .map(|n| {
            (
                n.code.as_str(),
                NationLine {
                    nation: n.code.to_string(),
                    name: n.name.clone(),
                    live_troops: 0,
                    conditional_troops: 0,
                    pledges: 0,
                    max_troops: n.max_troops,
                    waiting_on: Vec::new(),
                },
            )
        })
        .collect();
    for p in &scenario.pledges {
        match p.offer {
            Offer::Units { .. } => counts.units += 1,
            Offer::Materiel { .. } => counts.materiel += 1,
            Offer::Enabler { .. } => counts.enablers += 1,
        }
        if p.status == PledgeStatus::Withdrawn {
            counts.withdrawn += 1;
            continue;
        }
        let live = p.is_live(world);
        let troops = scenario.pledged_troops(p);
        totals.potential_troops += troops;
        if live {
            counts.live += 1;
            totals.live_troops += troops;
            if !p.is_conditional() {
                counts.unconditional += 1;
            }
        } else {
            counts.waiting_on_conditions += 1;
        }
        if let Some(n) = nations.get_mut(p.nation.as_str()) {
            n.pledges += 1;
            if live {
                n.live_troops += troops;
            } else {
                n.conditional_troops += troops;
                for fact in p.condition.facts() {
                    if !world.get(fact) && !n.waiting_on.contains(&fact.to_string()) {
                        n.waiting_on.push(fact.to_string());
                    }
                }
            }
        }
        if let Offer::Units { capability, count } = &p.offer
            && let Some(line) = capability_lines.get_mut(capability.as_str())
        {
            line.potential_units += u64::from(*count);
            if live {
                line.live_units += u64::from(*count);
                line.live_troops += troops;
            }
        }
    }
    let mut nations: Vec<NationLine> = scenario
        .nations
        .iter()
        .filter_map(|n| nations.remove(n.code.as_str()))
        .collect();
    for n in &mut nations {
        n.waiting_on.sort();
    }
    nations.sort_by(|a, b| {
        (b.live_troops + b.conditional_troops)
            .cmp(&(a.live_troops + a.conditional_troops))
            .then(a.nation.cmp(&b.nation))
    });
    (counts, nations)
}

/// Required against pledged, by domain, from the capabilities' lines.
fn domain_lines(
    scenario: &Scenario,
    capability_lines: &BTreeMap<&str, CapabilityLine>,
) -> Vec<DomainLine> {
    let mut domains: Vec<DomainLine> = Domain::ALL
        .iter()
        .map(|d| DomainLine {
            domain: d.as_str(),
            required_troops: 0,
            live_troops: 0,
            potential_troops: 0,
        })
        .collect();
    for c in &scenario.capabilities {
        let line = &capability_lines[c.id.as_str()];
        let personnel = u64::from(c.personnel);
        if let Some(d) = domains.iter_mut().find(|d| d.domain == line.domain) {
            d.required_troops += line.required_troops;
            d.live_troops += line.live_troops;
            d.potential_troops += line.potential_units * personnel;
        }
    }
    domains
}

/// Each political fact: its value in this world state and how many pledges name it.
fn fact_lines(scenario: &Scenario, world: &WorldState) -> Vec<FactLine> {
    scenario
        .facts
        .iter()
        .map(|f| FactLine {
            fact: f.id.to_string(),
            value: world.get(&f.id),
            today: f.today,
            pledges_naming_it: scenario
                .pledges
                .iter()
                .filter(|p| p.condition.facts().contains(&f.id))
                .count(),
            description: f.description.clone(),
        })
        .collect()
}

/// Each site, with the troops required there and its distance to the contact line.
fn site_lines(scenario: &Scenario, site_troops: &BTreeMap<&str, u64>) -> Vec<SiteLine> {
    scenario
        .sites
        .iter()
        .map(|s| SiteLine {
            site: s.id.to_string(),
            name: s.name.clone(),
            kind: s.kind.as_str(),
            region: s.region.to_string(),
            required_troops: site_troops.get(s.id.as_str()).copied().unwrap_or(0),
            km_to_contact_line: if s.kind.is_area() {
                None
            } else {
                scenario
                    .theatre
                    .km_to_contact_line(s.location)
                    .map(|km| km.round())
            },
        })
        .collect()
}
