//! The sourcing instance as plain data, for solvers outside guarantor: every units pledge that is not
//! withdrawn, every requirement line, the pairs eligibility allows, the national caps, and in which of the 2^k
//! what-if world states each pledge is live.
//!
//! It is what an analyst needs to write the same model in another language and check guarantor's optimum
//! against it (the benchmark in `BENCHMARKS.md` does exactly that). It serialises to the JSON
//! `guarantor export-instance` prints.

use std::collections::BTreeMap;

use guarantor_core::{Scenario, WorldState};
use serde::Serialize;

use crate::instance::{Instance, essential, withdrawn};
use crate::whatif::{whatif_facts, whatif_worlds};

/// The format name, for readers to check.
pub const INSTANCE_FORMAT: &str = "guarantor.sourcing-instance.v1";

/// One units pledge.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExportedOffer {
    /// Pledge id.
    pub pledge: String,
    /// Nation code.
    pub nation: String,
    /// Capability id.
    pub capability: String,
    /// Units pledged.
    pub count: u32,
    /// Days of notice plus, where the nation needs one, its parliamentary vote.
    ///
    /// # Units
    /// days
    pub readiness_days: u64,
    /// Whether the pledge is live in the base world state.
    pub live: bool,
    /// One character per what-if state, `1` where the pledge is live: in state `s`, fact `i` of
    /// [`ExportedInstance::facts`] is true exactly when bit `i` of `s` is set.
    pub live_in_state: String,
}

/// One requirement line.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExportedLine {
    /// Requirement id.
    pub requirement: String,
    /// Site id.
    pub site: String,
    /// Capability id.
    pub capability: String,
    /// Units required.
    pub count: u32,
    /// Troops in one unit of the capability.
    pub troops_per_unit: u64,
    /// Essential (filled before any desirable line).
    pub essential: bool,
    /// Nations that must share the line if it is filled at all (1: no rule).
    pub min_nations: u32,
    /// The line asks for a framework (lead) nation at its site: the framework goal counts the site's largest
    /// contributor's troops (all its lines' troops at that site).
    pub framework: bool,
}

/// The sourcing instance of a scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExportedInstance {
    /// Always [`INSTANCE_FORMAT`].
    pub format: &'static str,
    /// Scenario name.
    pub scenario: String,
    /// The facts the pledges name, in the order of the what-if state bits.
    pub facts: Vec<String>,
    /// The base world state: every fact with its value.
    pub base: BTreeMap<String, bool>,
    /// Units pledges that are not withdrawn, in file order.
    pub offers: Vec<ExportedOffer>,
    /// Requirement lines, in file order.
    pub lines: Vec<ExportedLine>,
    /// `(offer, line)` index pairs eligibility allows (capability, caveats, acceptability), whatever the state.
    pub pairs: Vec<(usize, usize)>,
    /// Political caps in troops, by nation.
    pub nation_caps: BTreeMap<String, u32>,
    /// Active armed forces, by nation: the strain of a contribution is its share of them.
    pub nation_active_forces: BTreeMap<String, u32>,
    /// The scenario's fair-share key (`gdp`, `population`, `defence` or `equal`) and its value by nation: a
    /// nation's fair share of the troops filled is its value over the sum of the values of the nations with a
    /// live units pledge.
    pub fair_share_key: String,
    /// The key's value by nation.
    pub nation_fair_share: BTreeMap<String, f64>,
}

/// Exports the sourcing instance of `scenario`, with `base` as the base world state.
pub fn export_instance(scenario: &Scenario, base: &WorldState) -> ExportedInstance {
    let inst = Instance::of_pledges(scenario, |p| !withdrawn(p));
    let facts = whatif_facts(scenario);
    let states = whatif_worlds(&facts, base);
    let offers = inst
        .offers
        .iter()
        .map(|o| ExportedOffer {
            pledge: o.pledge.id.to_string(),
            nation: o.pledge.nation.to_string(),
            capability: o.capability.id.to_string(),
            count: o.count,
            readiness_days: inst.readiness_days(o),
            live: o.pledge.is_live(base),
            live_in_state: states
                .iter()
                .map(|w| if o.pledge.is_live(w) { '1' } else { '0' })
                .collect(),
        })
        .collect();
    let lines = inst
        .lines
        .iter()
        .map(|l| ExportedLine {
            requirement: l.requirement.id.to_string(),
            site: l.site.id.to_string(),
            capability: l.capability.id.to_string(),
            count: l.requirement.count,
            troops_per_unit: l.personnel(),
            essential: essential(l.requirement),
            min_nations: l.requirement.min_nations,
            framework: l.requirement.framework,
        })
        .collect();
    ExportedInstance {
        format: INSTANCE_FORMAT,
        scenario: scenario.name.clone(),
        facts: facts.iter().map(ToString::to_string).collect(),
        base: base.iter().map(|(f, v)| (f.to_string(), v)).collect(),
        offers,
        lines,
        pairs: inst.pairs.clone(),
        nation_caps: scenario
            .nations
            .iter()
            .filter_map(|n| Some((n.code.to_string(), n.max_troops?)))
            .collect(),
        nation_active_forces: scenario
            .nations
            .iter()
            .map(|n| (n.code.to_string(), n.active_forces))
            .collect(),
        fair_share_key: scenario.fair_share.as_str().to_owned(),
        nation_fair_share: scenario
            .nations
            .iter()
            .map(|n| (n.code.to_string(), scenario.fair_share.weight(n)))
            .collect(),
    }
}
