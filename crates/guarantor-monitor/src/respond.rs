//! Responses: the escalation rules of the terms applied to judged incidents — single incidents (a confirmed strike
//! near a nuclear plant) and patterns (N confirmed violations in one sector within 24 hours) — each calling for
//! a step of the ladder.

use guarantor_core::{
    Incident, ProtectedPlace, RuleScope, Scenario, Site, TermId, Verdict, andoyer_lambert_km,
    geodesic_km,
};

use crate::judge::best_located;
use crate::place::Placement;

/// A rule that fired.
#[derive(Clone, Debug, PartialEq)]
pub struct Triggered {
    /// The rule.
    pub rule: TermId,
    /// The step it calls for.
    pub step: TermId,
    /// Its place on the ladder (0 = mildest).
    pub rank: usize,
    /// Whether the step moves forces.
    pub moves_forces: bool,
    /// The incidents (indices into those given) that fired it, by time.
    pub incidents: Vec<usize>,
}

/// Every rule of `scenario`'s terms that the judged `incidents` fire, highest step first, then in the rules'
/// order, then by the time of the first incident. Incidents and their `(placement, verdict)` are given side by
/// side.
pub fn respond(
    scenario: &Scenario,
    incidents: &[Incident],
    judged: &[(Placement, Verdict)],
) -> Vec<Triggered> {
    let terms = &scenario.terms;
    let time = |i: usize| incidents[i].reports.iter().map(|r| r.time).min();
    let mut order: Vec<usize> = (0..incidents.len().min(judged.len())).collect();
    order.sort_by_key(|&i| (time(i), i));
    let mut out = Vec::new();
    for rule in &terms.rules {
        let Some((rank, step)) = terms.step(&rule.step) else {
            continue;
        };
        let qualifies = |i: usize| {
            let (placement, verdict) = &judged[i];
            let category_ok = rule.category.is_none_or(|c| {
                placement
                    .inside_protected
                    .as_ref()
                    .and_then(|id| terms.protected_site(id))
                    .is_some_and(|s| s.category == c)
            });
            verdict.violation
                && incidents[i].confidence >= rule.min_confidence
                && verdict.severity >= rule.min_severity
                && category_ok
        };
        let fire = |incidents: Vec<usize>| Triggered {
            rule: rule.id.clone(),
            step: step.id.clone(),
            rank,
            moves_forces: step.moves_forces,
            incidents,
        };
        match rule.scope {
            RuleScope::Incident => {
                out.extend(
                    order
                        .iter()
                        .copied()
                        .filter(|&i| qualifies(i))
                        .map(|i| fire(vec![i])),
                );
            }
            RuleScope::Pattern => {
                let candidates: Vec<usize> =
                    order.iter().copied().filter(|&i| qualifies(i)).collect();
                let mut used = vec![false; incidents.len()];
                for (n, &first) in candidates.iter().enumerate() {
                    if used[first] {
                        continue;
                    }
                    let (Some(t0), Some(anchor)) = (time(first), best_located(&incidents[first]))
                    else {
                        continue;
                    };
                    let window = (rule.within_hours * 3600.0) as i64;
                    let group: Vec<usize> = std::iter::once(first)
                        .chain(candidates[n + 1..].iter().copied().filter(|&j| {
                            let close_in_time =
                                time(j).is_some_and(|t| t.as_second() - t0.as_second() <= window);
                            let close_in_space = best_located(&incidents[j]).is_some_and(|r| {
                                geodesic_km(anchor.place, r.place) <= rule.within_km
                            });
                            !used[j] && close_in_time && close_in_space
                        }))
                        .collect();
                    if group.len() >= rule.count as usize {
                        for &i in &group {
                            used[i] = true;
                        }
                        out.push(fire(group));
                    }
                }
            }
        }
    }
    out.sort_by_key(|t| std::cmp::Reverse(t.rank));
    out
}

/// The site an incident threatens, among `candidates` (the sites a reinforcement can go to): the force's site
/// behind the protected site it falls in, else the nearest candidate.
pub fn threatened_site<'s>(
    scenario: &Scenario,
    incident: &Incident,
    placement: &Placement,
    candidates: &[&'s Site],
) -> Option<&'s Site> {
    let behind = placement
        .inside_protected
        .as_ref()
        .and_then(|id| scenario.terms.protected_site(id))
        .and_then(|s| match &s.place {
            ProtectedPlace::Site(site) => candidates.iter().find(|c| &c.id == site).copied(),
            ProtectedPlace::Point(_) => None,
        });
    if behind.is_some() {
        return behind;
    }
    let at = best_located(incident)?.place;
    // The nearest by the geodesic. Andoyer–Lambert (within metres of it) rules out the sites that cannot be
    // nearest; the geodesic decides among the rest, in candidate order, so the answer is the plain one.
    let fast: Vec<f64> = candidates
        .iter()
        .map(|c| andoyer_lambert_km(at, c.location))
        .collect();
    let nearest = fast.iter().copied().fold(f64::INFINITY, f64::min);
    let margin = 0.02 + nearest * 1e-4;
    candidates
        .iter()
        .zip(&fast)
        .filter(|(_, km)| **km <= nearest + margin)
        .map(|(c, _)| (geodesic_km(at, c.location), *c))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
