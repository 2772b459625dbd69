//! Ceasefire terms: what is covered, the zones, protected sites, time windows and the escalation ladder.

use std::collections::BTreeSet;

use geo_types::Point;
use jiff::civil::Date;

use crate::id::{SiteId, TermId};
use crate::monitoring::{Confidence, Severity};
use crate::names::named_enum;

named_enum! {
    /// How much a ceasefire covers.
    pub enum Coverage {
        /// All fire along the whole line.
        General => "general",
        /// Only the listed categories (as in the limited ceasefires of 2025).
        Limited => "limited",
    }
}

named_enum! {
    /// A category of protected object: the five of the 2025 energy moratorium, sea targets, and others.
    pub enum Category {
        /// Oil refineries.
        Refineries => "refineries",
        /// Oil and gas pipelines and storage, including pumping stations.
        OilGas => "oil_gas",
        /// Electricity generation and transmission: plants, substations, transformers.
        Electricity => "electricity",
        /// Nuclear power plants.
        Nuclear => "nuclear",
        /// Hydro dams.
        Hydro => "hydro",
        /// Ships and ports.
        SeaTargets => "sea_targets",
        /// Civilian objects: homes, schools, hospitals, shops, places of worship.
        Civilian => "civilian",
        /// Military objects: forces, positions, equipment, depots, bases.
        Military => "military",
        /// Anything else named in the terms.
        Other => "other",
    }
}

impl Category {
    /// The five categories of the 2025 energy moratorium.
    pub const ENERGY: [Category; 5] = [
        Category::Refineries,
        Category::OilGas,
        Category::Electricity,
        Category::Nuclear,
        Category::Hydro,
    ];
}

/// A zone either side of the contact line.
#[derive(Clone, Debug, PartialEq)]
pub struct BufferZone {
    /// Id.
    pub id: TermId,
    /// Name.
    pub name: String,
    /// Width each side of the contact line.
    ///
    /// # Units
    /// km
    pub width_km: f64,
    /// Where it comes from.
    pub source: String,
}

/// Where a protected site is.
#[derive(Clone, Debug, PartialEq)]
pub enum ProtectedPlace {
    /// One of the scenario's sites.
    Site(SiteId),
    /// A position (e.g. a plant in the occupied area, where the force does not stand).
    ///
    /// # Units
    /// degrees, WGS84 (x = longitude, y = latitude)
    Point(Point<f64>),
}

/// A site the terms protect within a radius.
#[derive(Clone, Debug, PartialEq)]
pub struct ProtectedSite {
    /// Id.
    pub id: TermId,
    /// Name.
    pub name: String,
    /// Where.
    pub place: ProtectedPlace,
    /// # Units
    /// km
    pub radius_km: f64,
    /// What kind of object it is.
    pub category: Category,
    /// Where it comes from.
    pub source: String,
}

/// A period during which some categories are covered.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeWindow {
    /// Id.
    pub id: TermId,
    /// Name.
    pub name: String,
    /// First day covered.
    pub start: Date,
    /// Last day covered.
    pub end: Date,
    /// What it covers.
    pub covers: BTreeSet<Category>,
    /// Where it comes from.
    pub source: String,
}

/// One step of the pre-agreed escalation ladder.
#[derive(Clone, Debug, PartialEq)]
pub struct EscalationStep {
    /// Id.
    pub id: TermId,
    /// Name.
    pub name: String,
    /// What it means.
    pub description: String,
    /// Whether the step moves forces (and so needs a reinforcement time).
    pub moves_forces: bool,
    /// The tier of the response plan (`response.toml`) the step brings, with every tier before it.
    pub tier: Option<TermId>,
    /// Whether the step suspends the next phase of the plan (the phase after the violation's day).
    pub suspends_next_phase: bool,
    /// Where it comes from.
    pub source: String,
}

named_enum! {
    /// What an escalation rule looks at.
    pub enum RuleScope {
        /// One incident (e.g. a confirmed strike near a nuclear plant).
        Incident => "incident",
        /// A pattern of incidents (e.g. three confirmed violations in one sector within 24 hours).
        Pattern => "pattern",
    }
}

/// When to climb the escalation ladder, and to which step.
#[derive(Clone, Debug, PartialEq)]
pub struct EscalationRule {
    /// Id.
    pub id: TermId,
    /// One incident, or a pattern.
    pub scope: RuleScope,
    /// Violations at least this sure count.
    pub min_confidence: Confidence,
    /// Violations at least this severe count.
    pub min_severity: Severity,
    /// Only violations inside a protected site of this category, when given.
    pub category: Option<Category>,
    /// For a pattern: how many violations.
    pub count: u32,
    /// For a pattern: within this many hours of the first.
    ///
    /// # Units
    /// hours
    pub within_hours: f64,
    /// For a pattern: within this distance of the first (one sector).
    ///
    /// # Units
    /// km
    pub within_km: f64,
    /// The step of the ladder it calls for.
    pub step: TermId,
    /// Where it comes from.
    pub source: String,
}

/// The ceasefire terms.
#[derive(Clone, Debug, PartialEq)]
pub struct Terms {
    /// Name.
    pub name: String,
    /// General or limited.
    pub coverage: Coverage,
    /// What a limited ceasefire covers (and what protected sites fall under).
    pub categories: BTreeSet<Category>,
    /// Day 0.
    pub effective: Date,
    /// Zones along the line.
    pub buffer_zones: Vec<BufferZone>,
    /// Protected sites.
    pub protected_sites: Vec<ProtectedSite>,
    /// Time windows.
    pub windows: Vec<TimeWindow>,
    /// The escalation ladder, mildest first.
    pub escalation: Vec<EscalationStep>,
    /// When to climb it.
    pub rules: Vec<EscalationRule>,
    /// Where it comes from.
    pub source: String,
}

impl Terms {
    /// The protected site with this id.
    pub fn protected_site(&self, id: &TermId) -> Option<&ProtectedSite> {
        self.protected_sites.iter().find(|s| &s.id == id)
    }

    /// The escalation step with this id, with its place on the ladder (0 = mildest).
    pub fn step(&self, id: &TermId) -> Option<(usize, &EscalationStep)> {
        self.escalation
            .iter()
            .enumerate()
            .find(|(_, s)| &s.id == id)
    }
}
