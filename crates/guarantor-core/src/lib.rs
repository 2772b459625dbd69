//! guarantor's vocabulary: the domain model every engine, the scenario files and the interfaces share.
//!
//! Nothing here does I/O. Quantities carry their units in their names or in a `# Units` section:
//! troops, days, months, km, tonnes, billions of US dollars.
//!
//! The chain the product covers, and where each term belongs:
//!
//! ```text
//! pledges ─┐
//!          ├─► sourcing ─► rotation ─► movement ─► posture ─► incidents ─► verdicts ─► responses
//! needs ───┘
//! ```
//!
//! - [`Nation`], [`Capability`], [`Pledge`] (with [`Caveats`] and a [`Condition`]), [`PoliticalFact`] and
//!   [`WorldState`]: who offers what, when;
//! - [`Site`], [`Requirement`], [`Mission`] with its [`Phase`]s: what is needed where;
//! - [`Network`] ([`Node`], [`Link`]): how it gets there;
//! - [`Terms`], [`Theatre`]: the ceasefire and its geometry;
//! - [`Report`], [`Incident`], [`Verdict`]: what happens once it holds;
//! - [`ResponsePlan`] ([`Tier`], [`ResponseOption`], [`Contingency`]): what follows a violation, and how swiftly;
//! - [`CostModel`] ([`Estimate`], [`Financing`]): what the force costs, and who pays;
//! - [`Diagnostic`]: a problem in user data, with file, line, column and field.

mod capability;
mod condition;
mod cost;
mod course;
mod diagnostic;
mod geometry;
mod id;
mod mission;
mod monitoring;
mod names;
mod nation;
mod network;
mod pledge;
mod response;
mod rng;
mod scenario;
mod site;
mod terms;
mod world;

pub use capability::{Capability, Domain, Echelon, Role, Sign};
pub use condition::{Condition, ConditionError, MAX_CONDITION_DEPTH, ParsedCondition};
pub use cost::{
    CostKey, CostModel, EnablerCost, Estimate, Financing, FinancingRule, MaterielValue,
    NationFactor, OneOff, OptionCost, TransportCost, TroopMonthCost,
};
pub use course::{Coalition, Course, CourseMission};
pub use diagnostic::{Diagnostic, Level, Location};
pub use geometry::{
    Area, AreaKind, Country, DatedArea, EARTH_MEAN_RADIUS_KM, NamedPlace, OWN_AIR_KM_PER_DAY,
    OWN_SEA_KM_PER_DAY, Region, SEA_DETOUR, Theatre, andoyer_lambert_km, chord, chord_km,
    geodesic_km, km_chord, km_to_lines, unit_vector, whole_tonnes_up,
};
pub use id::{
    AreaId, CapabilityId, CourseId, FactId, IdError, LinkId, NationCode, NodeId, PhaseId, PledgeId,
    RegionId, RequirementId, ReserveId, SiteId, TermId, is_record_id,
};
pub use mission::{Cycle, Mission, Phase, Purpose};
pub use monitoring::{
    Attribution, Confidence, EventKind, Firmness, Hit, Incident, Precision, Report, Severity,
    SourceKind, Verdict,
};
pub use nation::{Membership, Nation, Party};
pub use network::{Link, Mode, Network, Node, NodeKind, Reserve, ReserveKind};
pub use pledge::{Caveats, EnablerKind, Offer, Pledge, PledgeStatus};
pub use response::{
    Contingency, ContingencyKind, Decider, DeciderKind, Needs, OptionForce, OptionKind,
    ResponseOption, ResponsePlan, Tier,
};
pub use rng::SplitMix64;
pub use scenario::{FairShareKey, Scenario};
pub use site::{Priority, Requirement, Site, SiteKind};
pub use terms::{
    BufferZone, Category, Coverage, EscalationRule, EscalationStep, ProtectedPlace, ProtectedSite,
    RuleScope, Terms, TimeWindow,
};
pub use world::{PoliticalFact, WorldState};
