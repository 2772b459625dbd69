//! The sourcing instance: requirement lines and live unit pledges, and which pledge may serve which line.
//!
//! Eligibility is where the hard rules on a single pledge live (capability, caveats, acceptability); the rules
//! that bind several assignments together (counts, caps, nations per line) are constraints of the model.

use guarantor_core::{
    Capability, Domain, NationCode, Offer, Party, Pledge, PledgeStatus, Priority, Requirement,
    Scenario, Site, WorldState,
};

/// Why a live pledge of the right capability may not serve a line.
#[derive(Clone, Debug, PartialEq)]
pub enum Exclusion {
    /// The line's role is not among the roles the caveats allow.
    Role,
    /// The site's region is not among the regions the caveats allow.
    Region,
    /// The site is closer to the contact line than the caveats allow.
    ///
    /// # Units
    /// km
    Distance {
        /// The site's distance to the contact line.
        site_km: f64,
        /// The caveat's minimum.
        min_km: f64,
    },
    /// None of the domains the caveats allow is served at the site.
    Domain,
    /// The line requires nations acceptable to a party that does not accept this nation.
    NotAcceptable(Party),
}

impl std::fmt::Display for Exclusion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Exclusion::Role => f.write_str("role not allowed by its caveats"),
            Exclusion::Region => f.write_str("region not allowed by its caveats"),
            Exclusion::Distance { site_km, min_km } => {
                write!(
                    f,
                    "site {site_km:.0} km from the line, caveat asks {min_km:.0} km"
                )
            }
            Exclusion::Domain => f.write_str("domain not allowed by its caveats"),
            Exclusion::NotAcceptable(party) => write!(f, "not acceptable to {party}"),
        }
    }
}

/// A requirement line with what the model needs to know of it.
#[derive(Clone, Debug)]
pub(crate) struct Line<'s> {
    pub(crate) requirement: &'s Requirement,
    pub(crate) site: &'s Site,
    pub(crate) capability: &'s Capability,
    /// Index of the site among the instance's sites.
    pub(crate) site_index: usize,
    /// Distance of the site to the contact line (km), when there is a line.
    pub(crate) site_km: Option<f64>,
}

impl Line<'_> {
    pub(crate) fn personnel(&self) -> u64 {
        u64::from(self.capability.personnel)
    }
}

/// A live units pledge.
#[derive(Clone, Debug)]
pub(crate) struct Offered<'s> {
    pub(crate) pledge: &'s Pledge,
    pub(crate) capability: &'s Capability,
    pub(crate) count: u32,
    /// Index of the nation among the instance's nations.
    pub(crate) nation_index: usize,
}

/// Everything the model is built from, in a fixed order (file order), so that results are reproducible.
pub(crate) struct Instance<'s> {
    pub(crate) scenario: &'s Scenario,
    pub(crate) lines: Vec<Line<'s>>,
    pub(crate) offers: Vec<Offered<'s>>,
    /// Nations, in scenario order.
    pub(crate) nations: Vec<&'s NationCode>,
    /// Sites that have lines, in scenario order.
    pub(crate) sites: Vec<&'s Site>,
    /// (offer index, line index) pairs that may be assigned, in offer-then-line order.
    pub(crate) pairs: Vec<(usize, usize)>,
}

/// Whether `pledge` (of the line's capability) may serve `line`; the first rule that forbids it otherwise.
pub fn eligibility(
    scenario: &Scenario,
    pledge: &Pledge,
    requirement: &Requirement,
    site: &Site,
    site_km: Option<f64>,
) -> Result<(), Exclusion> {
    let caveats = &pledge.caveats;
    if let Some(roles) = &caveats.roles
        && !roles.contains(&requirement.role)
    {
        return Err(Exclusion::Role);
    }
    if let Some(regions) = &caveats.regions
        && !regions.contains(&site.region)
    {
        return Err(Exclusion::Region);
    }
    if let (Some(min_km), Some(site_km)) = (caveats.min_km_from_line, site_km)
        && site_km < min_km
    {
        return Err(Exclusion::Distance { site_km, min_km });
    }
    if let Some(domains) = &caveats.domains {
        let capability = scenario.capability(&requirement.capability);
        let served: Vec<Domain> = site
            .kind
            .domains()
            .into_iter()
            .filter(|d| capability.is_none_or(|c| c.domains.contains(d)))
            .collect();
        if !served.iter().any(|d| domains.contains(d)) {
            return Err(Exclusion::Domain);
        }
    }
    let accepted = scenario.nation(&pledge.nation).map(|n| &n.acceptable_to);
    for party in &requirement.acceptable_to {
        if !accepted.is_some_and(|a| a.contains(party)) {
            return Err(Exclusion::NotAcceptable(*party));
        }
    }
    Ok(())
}

impl<'s> Instance<'s> {
    /// Builds the instance for `world`, leaving out the pledges of `without` (for "who matters most").
    pub(crate) fn new(
        scenario: &'s Scenario,
        world: &WorldState,
        without: Option<&NationCode>,
    ) -> Self {
        Self::of_pledges(scenario, |p| p.is_live(world) && Some(&p.nation) != without)
    }

    /// Builds the instance of the units pledges `keep` accepts (every line is always in).
    pub(crate) fn of_pledges(scenario: &'s Scenario, keep: impl Fn(&Pledge) -> bool) -> Self {
        let nations: Vec<&NationCode> = scenario.nations.iter().map(|n| &n.code).collect();
        // Sites with lines, in scenario order, each measured to the contact line once.
        let sites: Vec<&Site> = scenario
            .sites
            .iter()
            .filter(|s| scenario.requirements.iter().any(|r| r.site == s.id))
            .collect();
        let site_km: Vec<Option<f64>> = sites
            .iter()
            .map(|s| scenario.theatre.km_to_contact_line(s.location))
            .collect();
        let lines: Vec<Line<'s>> = scenario
            .requirements
            .iter()
            .filter_map(|requirement| {
                let site_index = sites.iter().position(|s| s.id == requirement.site)?;
                Some(Line {
                    requirement,
                    site: sites[site_index],
                    capability: scenario.capability(&requirement.capability)?,
                    site_index,
                    site_km: site_km[site_index],
                })
            })
            .collect();
        let offers: Vec<Offered<'s>> = scenario
            .pledges
            .iter()
            .filter(|p| keep(p))
            .filter_map(|pledge| match &pledge.offer {
                Offer::Units { capability, count } => Some(Offered {
                    pledge,
                    capability: scenario.capability(capability)?,
                    count: *count,
                    nation_index: nations.iter().position(|n| **n == pledge.nation)?,
                }),
                _ => None,
            })
            .collect();
        let mut pairs = Vec::new();
        for (o, offer) in offers.iter().enumerate() {
            for (l, line) in lines.iter().enumerate() {
                if offer.capability.id == line.capability.id
                    && eligibility(
                        scenario,
                        offer.pledge,
                        line.requirement,
                        line.site,
                        line.site_km,
                    )
                    .is_ok()
                {
                    pairs.push((o, l));
                }
            }
        }
        Self {
            scenario,
            lines,
            offers,
            nations,
            sites,
            pairs,
        }
    }

    /// The same instance with offers merged where no goal can tell them apart: same nation, same capability,
    /// same eligible lines and, when `by_notice`, the same days of notice. Their units are interchangeable for
    /// every rule (caps and nations per line look only at the nation) and for the goals up to fair share
    /// (contingents, framework nations and fair shares look only at the nation); with `by_notice` for the
    /// readiness goal too. Every optimum is the same, on fewer pairs.
    ///
    /// Returns the merged instance and, per merged offer, the offers it stands for.
    pub(crate) fn merged(&self, by_notice: bool) -> (Instance<'s>, Vec<Vec<usize>>) {
        let mut eligible: Vec<Vec<usize>> = vec![Vec::new(); self.offers.len()];
        for &(o, l) in &self.pairs {
            eligible[o].push(l);
        }
        let mut group_of: std::collections::BTreeMap<(usize, &str, &[usize], u64), usize> =
            std::collections::BTreeMap::new();
        let mut offers: Vec<Offered<'s>> = Vec::new();
        let mut members: Vec<Vec<usize>> = Vec::new();
        for (o, offer) in self.offers.iter().enumerate() {
            let key = (
                offer.nation_index,
                offer.capability.id.as_str(),
                eligible[o].as_slice(),
                if by_notice {
                    self.readiness_days(offer)
                } else {
                    0
                },
            );
            match group_of.get(&key) {
                Some(&g) => {
                    offers[g].count += offer.count;
                    members[g].push(o);
                }
                None => {
                    group_of.insert(key, offers.len());
                    offers.push(offer.clone());
                    members.push(vec![o]);
                }
            }
        }
        let pairs = members
            .iter()
            .enumerate()
            .flat_map(|(g, m)| eligible[m[0]].iter().map(move |&l| (g, l)))
            .collect();
        let merged = Instance {
            scenario: self.scenario,
            lines: self.lines.clone(),
            offers,
            nations: self.nations.clone(),
            sites: self.sites.clone(),
            pairs,
        };
        (merged, members)
    }

    /// Spreads the units of the merged instance's pairs over this instance's pairs: each merged pair's units
    /// are taken from its member offers in file order. Every member may serve every line of the merged offer,
    /// so any spread keeps every rule.
    pub(crate) fn spread(
        &self,
        merged: &Instance<'_>,
        members: &[Vec<usize>],
        units: &[u32],
    ) -> Vec<u32> {
        let mut index: std::collections::BTreeMap<(usize, usize), usize> =
            std::collections::BTreeMap::new();
        for (k, &pair) in self.pairs.iter().enumerate() {
            index.insert(pair, k);
        }
        let mut left: Vec<u32> = self.offers.iter().map(|o| o.count).collect();
        let mut spread = vec![0; self.pairs.len()];
        for (&(g, l), &u) in merged.pairs.iter().zip(units) {
            let mut need = u;
            for &o in &members[g] {
                if need == 0 {
                    break;
                }
                let take = need.min(left[o]);
                if take == 0 {
                    continue;
                }
                if let Some(&k) = index.get(&(o, l)) {
                    spread[k] += take;
                    left[o] -= take;
                    need -= take;
                }
            }
        }
        spread
    }

    /// Fair-share weight of each nation (by the scenario's key), for the nations that have a live units pledge.
    pub(crate) fn fair_share_weights(&self) -> Vec<f64> {
        let mut weights = vec![0.0; self.nations.len()];
        for offer in &self.offers {
            let Some(nation) = self.scenario.nation(&offer.pledge.nation) else {
                continue;
            };
            weights[offer.nation_index] = self.scenario.fair_share.weight(nation);
        }
        let total: f64 = weights.iter().sum();
        if total > 0.0 {
            weights.iter_mut().for_each(|w| *w /= total);
        }
        weights
    }

    /// Days before an offer can move: its notice plus, for nations that need one, the parliamentary vote.
    pub(crate) fn readiness_days(&self, offer: &Offered<'_>) -> u64 {
        u64::from(self.scenario.ready_days(offer.pledge))
    }
}

/// Whether a pledge is of the units kind with this capability.
pub(crate) fn offers_capability(pledge: &Pledge, capability: &Capability) -> bool {
    matches!(&pledge.offer, Offer::Units { capability: c, .. } if *c == capability.id)
}

/// Whether a requirement is essential.
pub(crate) fn essential(requirement: &Requirement) -> bool {
    requirement.priority == Priority::Essential
}

/// Whether a pledge is withdrawn.
pub(crate) fn withdrawn(pledge: &Pledge) -> bool {
    pledge.status == PledgeStatus::Withdrawn
}
