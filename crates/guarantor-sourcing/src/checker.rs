//! An independent checker: given a scenario and a plan, every rule the plan breaks.
//!
//! It shares no code with the model or with [`eligibility`](crate::eligibility): each rule is restated here from
//! the scenario's own terms, so that a mistake in the engine shows up as a violation rather than being repeated.

use std::collections::{BTreeMap, BTreeSet};

use guarantor_core::{Domain, NationCode, Offer, PledgeId, PledgeStatus, Scenario};

use crate::plan::SourcingPlan;

/// One broken rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Which rule, as a stable name (e.g. `pledge-count`).
    pub rule: &'static str,
    /// What is wrong, in words.
    pub message: String,
}

/// Lists every rule `plan` breaks for `scenario`. An empty list means the plan is sound.
pub fn check_plan(scenario: &Scenario, plan: &SourcingPlan) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut broke = |rule: &'static str, message: String| out.push(Violation { rule, message });

    let mut used: BTreeMap<&PledgeId, u64> = BTreeMap::new();
    let mut troops_of: BTreeMap<&NationCode, u64> = BTreeMap::new();
    let mut seen_lines = BTreeSet::new();

    for line in &plan.lines {
        let Some(req) = scenario
            .requirements
            .iter()
            .find(|r| r.id == line.requirement)
        else {
            broke(
                "unknown-line",
                format!(
                    "the plan has a line `{}` the scenario does not",
                    line.requirement
                ),
            );
            continue;
        };
        seen_lines.insert(&req.id);
        let Some(site) = scenario.sites.iter().find(|s| s.id == req.site) else {
            continue;
        };
        let Some(cap) = scenario
            .capabilities
            .iter()
            .find(|c| c.id == req.capability)
        else {
            continue;
        };
        if line.capability != req.capability
            || line.site != req.site
            || line.required_units != req.count
        {
            broke(
                "line-mismatch",
                format!("line `{}` does not match its requirement", req.id),
            );
        }
        let mut units_on_line = 0u64;
        let mut nations_on_line = BTreeSet::new();
        for a in &line.assignments {
            let at = format!("line `{}`, pledge `{}`", req.id, a.pledge);
            let Some(p) = scenario.pledges.iter().find(|p| p.id == a.pledge) else {
                broke("unknown-pledge", format!("{at}: no such pledge"));
                continue;
            };
            if a.units == 0 {
                broke("empty-assignment", format!("{at}: assigns no units"));
            }
            if p.nation != a.nation {
                broke(
                    "wrong-nation",
                    format!("{at}: the pledge is {}'s, not {}'s", p.nation, a.nation),
                );
            }
            if a.troops != u64::from(a.units) * u64::from(cap.personnel) {
                broke(
                    "troop-arithmetic",
                    format!(
                        "{at}: {} units of {} are not {} troops",
                        a.units, cap.id, a.troops
                    ),
                );
            }
            match &p.offer {
                Offer::Units { capability, .. } if *capability == req.capability => {}
                _ => broke(
                    "wrong-capability",
                    format!("{at}: the pledge does not offer `{}`", req.capability),
                ),
            }
            if p.status == PledgeStatus::Withdrawn {
                broke("withdrawn", format!("{at}: the pledge is withdrawn"));
            }
            if !p.condition.holds(&plan.world) {
                broke(
                    "condition",
                    format!(
                        "{at}: its condition `{}` is false in this world state",
                        p.condition
                    ),
                );
            }
            let c = &p.caveats;
            if c.roles
                .as_ref()
                .is_some_and(|roles| !roles.contains(&req.role))
            {
                broke(
                    "caveat-role",
                    format!("{at}: its caveats do not allow the role `{}`", req.role),
                );
            }
            if c.regions
                .as_ref()
                .is_some_and(|regions| !regions.contains(&site.region))
            {
                broke(
                    "caveat-region",
                    format!(
                        "{at}: its caveats do not allow the region `{}`",
                        site.region
                    ),
                );
            }
            if let Some(min) = c.min_km_from_line {
                let km = guarantor_core::km_to_lines(&scenario.theatre.contact_line, site.location);
                if km.is_some_and(|km| km < min) {
                    broke(
                        "caveat-distance",
                        format!("{at}: the site is closer than {min} km to the line"),
                    );
                }
            }
            if let Some(domains) = &c.domains {
                let site_domains = site.kind.domains();
                let ok = Domain::ALL.iter().any(|d| {
                    domains.contains(d) && site_domains.contains(d) && cap.domains.contains(d)
                });
                if !ok {
                    broke(
                        "caveat-domain",
                        format!("{at}: its caveats allow no domain served at `{}`", site.id),
                    );
                }
            }
            let nation = scenario.nations.iter().find(|n| n.code == p.nation);
            for party in &req.acceptable_to {
                if !nation.is_some_and(|n| n.acceptable_to.contains(party)) {
                    broke(
                        "acceptability",
                        format!("{at}: {} is not acceptable to {party}", p.nation),
                    );
                }
            }
            units_on_line += u64::from(a.units);
            nations_on_line.insert(&a.nation);
            *used.entry(&p.id).or_default() += u64::from(a.units);
            *troops_of.entry(&p.nation).or_default() += a.troops;
        }
        if units_on_line > u64::from(req.count) {
            broke(
                "line-count",
                format!(
                    "line `{}` gets {units_on_line} units for {} required",
                    req.id, req.count
                ),
            );
        }
        if units_on_line > 0 && (nations_on_line.len() as u32) < req.min_nations {
            broke(
                "min-nations",
                format!(
                    "line `{}` is filled by {} nation(s); it requires {}",
                    req.id,
                    nations_on_line.len(),
                    req.min_nations
                ),
            );
        }
    }
    for req in &scenario.requirements {
        if !seen_lines.contains(&req.id) {
            broke(
                "missing-line",
                format!("the plan leaves out line `{}`", req.id),
            );
        }
    }
    for (pledge, units) in &used {
        let count = scenario
            .pledges
            .iter()
            .find(|p| &p.id == *pledge)
            .and_then(|p| match p.offer {
                Offer::Units { count, .. } => Some(u64::from(count)),
                _ => None,
            });
        if let Some(count) = count
            && *units > count
        {
            broke(
                "pledge-count",
                format!("pledge `{pledge}` is used for {units} units; it offers {count}"),
            );
        }
    }
    for nation in &scenario.nations {
        let troops = troops_of.get(&nation.code).copied().unwrap_or(0);
        if let Some(cap) = nation.max_troops
            && troops > u64::from(cap)
        {
            broke(
                "nation-cap",
                format!("{} deploys {troops} troops; its cap is {cap}", nation.code),
            );
        }
        if let Some(load) = plan.nations.iter().find(|n| n.nation == nation.code)
            && load.troops != troops
        {
            broke(
                "nation-total",
                format!(
                    "{} is said to deploy {} troops; its assignments add to {troops}",
                    nation.code, load.troops
                ),
            );
        }
    }
    out
}
