//! An independent checker: given a scenario and a plan, every rule the plan breaks.
//!
//! It shares no code with the model or with [`eligibility`](crate::eligibility): each rule is restated here from
//! the scenario's own terms, so that a mistake in the engine shows up as a violation rather than being repeated.

use std::collections::{BTreeMap, BTreeSet};

use guarantor_core::{
    Capability, Domain, NationCode, Offer, Pledge, PledgeId, PledgeStatus, Requirement,
    RequirementId, Scenario, Site,
};

use crate::plan::{Assignment, LinePlan, SourcingPlan};

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
    let mut checker = Checker {
        scenario,
        plan,
        out: Vec::new(),
        used: BTreeMap::new(),
        troops_of: BTreeMap::new(),
        seen_lines: BTreeSet::new(),
    };
    for line in &plan.lines {
        checker.line(line);
    }
    checker.missing_lines();
    checker.pledge_counts();
    checker.nation_totals();
    checker.out
}

/// A check of one plan under way: the rules broken so far, and what the lines checked so far add up to.
struct Checker<'s> {
    scenario: &'s Scenario,
    plan: &'s SourcingPlan,
    out: Vec<Violation>,
    /// Units used per pledge.
    used: BTreeMap<&'s PledgeId, u64>,
    /// Troops deployed per nation.
    troops_of: BTreeMap<&'s NationCode, u64>,
    /// The requirements the plan has a line for.
    seen_lines: BTreeSet<&'s RequirementId>,
}

impl<'s> Checker<'s> {
    fn broke(&mut self, rule: &'static str, message: String) {
        self.out.push(Violation { rule, message });
    }

    /// The rules of one line of the plan and of each of its assignments.
    fn line(&mut self, line: &'s LinePlan) {
        let scenario = self.scenario;
        let Some(req) = scenario
            .requirements
            .iter()
            .find(|r| r.id == line.requirement)
        else {
            self.broke(
                "unknown-line",
                format!(
                    "the plan has a line `{}` the scenario does not",
                    line.requirement
                ),
            );
            return;
        };
        self.seen_lines.insert(&req.id);
        let Some(site) = scenario.sites.iter().find(|s| s.id == req.site) else {
            return;
        };
        let Some(cap) = scenario
            .capabilities
            .iter()
            .find(|c| c.id == req.capability)
        else {
            return;
        };
        if line.capability != req.capability
            || line.site != req.site
            || line.required_units != req.count
        {
            self.broke(
                "line-mismatch",
                format!("line `{}` does not match its requirement", req.id),
            );
        }
        let mut units_on_line = 0u64;
        let mut nations_on_line = BTreeSet::new();
        for a in &line.assignments {
            let Some(p) = self.assignment(req, site, cap, a) else {
                continue;
            };
            units_on_line += u64::from(a.units);
            nations_on_line.insert(&a.nation);
            *self.used.entry(&p.id).or_default() += u64::from(a.units);
            *self.troops_of.entry(&p.nation).or_default() += a.troops;
        }
        if units_on_line > u64::from(req.count) {
            self.broke(
                "line-count",
                format!(
                    "line `{}` gets {units_on_line} units for {} required",
                    req.id, req.count
                ),
            );
        }
        if units_on_line > 0 && (nations_on_line.len() as u32) < req.min_nations {
            self.broke(
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

    /// The rules of one assignment to the line of `req` at `site` with capability `cap`: its pledge, or `None`
    /// when the scenario has no such pledge.
    fn assignment(
        &mut self,
        req: &Requirement,
        site: &Site,
        cap: &Capability,
        a: &Assignment,
    ) -> Option<&'s Pledge> {
        let at = format!("line `{}`, pledge `{}`", req.id, a.pledge);
        let Some(p) = self.scenario.pledges.iter().find(|p| p.id == a.pledge) else {
            self.broke("unknown-pledge", format!("{at}: no such pledge"));
            return None;
        };
        if a.units == 0 {
            self.broke("empty-assignment", format!("{at}: assigns no units"));
        }
        if p.nation != a.nation {
            self.broke(
                "wrong-nation",
                format!("{at}: the pledge is {}'s, not {}'s", p.nation, a.nation),
            );
        }
        if a.troops != u64::from(a.units) * u64::from(cap.personnel) {
            self.broke(
                "troop-arithmetic",
                format!(
                    "{at}: {} units of {} are not {} troops",
                    a.units, cap.id, a.troops
                ),
            );
        }
        match &p.offer {
            Offer::Units { capability, .. } if *capability == req.capability => {}
            _ => self.broke(
                "wrong-capability",
                format!("{at}: the pledge does not offer `{}`", req.capability),
            ),
        }
        if p.status == PledgeStatus::Withdrawn {
            self.broke("withdrawn", format!("{at}: the pledge is withdrawn"));
        }
        if !p.condition.holds(&self.plan.world) {
            self.broke(
                "condition",
                format!(
                    "{at}: its condition `{}` is false in this world state",
                    p.condition
                ),
            );
        }
        self.caveats(&at, p, req, site, cap);
        let nation = self.scenario.nations.iter().find(|n| n.code == p.nation);
        for party in &req.acceptable_to {
            if !nation.is_some_and(|n| n.acceptable_to.contains(party)) {
                self.broke(
                    "acceptability",
                    format!("{at}: {} is not acceptable to {party}", p.nation),
                );
            }
        }
        Some(p)
    }

    /// The caveats of pledge `p` against the line of `req` at `site` with capability `cap` (`at` names the
    /// assignment).
    fn caveats(&mut self, at: &str, p: &Pledge, req: &Requirement, site: &Site, cap: &Capability) {
        let c = &p.caveats;
        if c.roles
            .as_ref()
            .is_some_and(|roles| !roles.contains(&req.role))
        {
            self.broke(
                "caveat-role",
                format!("{at}: its caveats do not allow the role `{}`", req.role),
            );
        }
        if c.regions
            .as_ref()
            .is_some_and(|regions| !regions.contains(&site.region))
        {
            self.broke(
                "caveat-region",
                format!(
                    "{at}: its caveats do not allow the region `{}`",
                    site.region
                ),
            );
        }
        if let Some(min) = c.min_km_from_line {
            let km =
                guarantor_core::km_to_lines(&self.scenario.theatre.contact_line, site.location);
            if km.is_some_and(|km| km < min) {
                self.broke(
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
                self.broke(
                    "caveat-domain",
                    format!("{at}: its caveats allow no domain served at `{}`", site.id),
                );
            }
        }
    }

    /// Every requirement the plan has no line for.
    fn missing_lines(&mut self) {
        for req in &self.scenario.requirements {
            if !self.seen_lines.contains(&req.id) {
                self.broke(
                    "missing-line",
                    format!("the plan leaves out line `{}`", req.id),
                );
            }
        }
    }

    /// Every pledge used for more units than it offers.
    fn pledge_counts(&mut self) {
        for (pledge, units) in &self.used {
            let count = self
                .scenario
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
                self.out.push(Violation {
                    rule: "pledge-count",
                    message: format!(
                        "pledge `{pledge}` is used for {units} units; it offers {count}"
                    ),
                });
            }
        }
    }

    /// Every nation over its cap, or whose total in the plan is not what its assignments add to.
    fn nation_totals(&mut self) {
        let scenario = self.scenario;
        for nation in &scenario.nations {
            let troops = self.troops_of.get(&nation.code).copied().unwrap_or(0);
            if let Some(cap) = nation.max_troops
                && troops > u64::from(cap)
            {
                self.broke(
                    "nation-cap",
                    format!("{} deploys {troops} troops; its cap is {cap}", nation.code),
                );
            }
            if let Some(load) = self.plan.nations.iter().find(|n| n.nation == nation.code)
                && load.troops != troops
            {
                self.broke(
                    "nation-total",
                    format!(
                        "{} is said to deploy {} troops; its assignments add to {troops}",
                        nation.code, load.troops
                    ),
                );
            }
        }
    }
}
