//! The monitoring vocabulary: reports, incidents, verdicts and responses.
//!
//! The monitoring engine turns reports into incidents, judges them against the [`Terms`](crate::Terms)
//! and maps verdicts onto the escalation ladder; these are the values it passes around.

use geo_types::Point;
use jiff::Timestamp;

use crate::names::named_enum;
use crate::nation::Party;
use crate::terms::Category;

named_enum! {
    /// Who a report comes from.
    pub enum SourceKind {
        /// The coalition's own patrols.
        Patrol => "patrol",
        /// The coalition's own sensors.
        Sensor => "sensor",
        /// A party to the ceasefire.
        Party => "party",
        /// Media and open sources.
        Media => "media",
    }
}

named_enum! {
    /// What happened.
    pub enum EventKind {
        /// Artillery fire.
        Artillery => "artillery",
        /// A drone attack.
        Drone => "drone",
        /// A missile strike.
        Missile => "missile",
        /// Small arms fire.
        SmallArms => "small_arms",
        /// An aircraft entering forbidden airspace.
        AirIncursion => "air_incursion",
        /// A naval incident.
        Naval => "naval",
        /// A mine.
        Mine => "mine",
        /// A strike on infrastructure.
        InfrastructureStrike => "infrastructure_strike",
        /// An armed clash whose weapons the source does not say (UCDP codes events, not weapons).
        Clash => "clash",
        /// Air defences shot down or jammed a drone or missile: the attack was launched, and stopped (ACLED's
        /// "Disrupted weapons use").
        Interception => "interception",
        /// Forces or heavy weapons seen (a movement, a position, equipment): what ceasefire monitors track at
        /// withdrawal lines. A violation only where the terms keep forces out (a buffer zone).
        Presence => "presence",
        /// An aircraft's bombs or air-launched weapons (glide bombs, aerial bombs): an air strike.
        AirStrike => "air_strike",
    }
}

named_enum! {
    /// How sure the coalition is that an incident happened as reported.
    pub enum Confidence {
        /// One source only.
        SingleSource => "single_source",
        /// Several sources, all of them parties to the conflict (each side's claim).
        Possible => "possible",
        /// The coalition's own source alone, or several sources at least one of which is not a party.
        Probable => "probable",
        /// Two independent sources at least one of which is the coalition's own monitors or sensors.
        Confirmed => "confirmed",
    }
}

named_enum! {
    /// How serious a violation is.
    pub enum Severity {
        /// Not a violation.
        None => "none",
        /// A minor violation.
        Minor => "minor",
        /// A serious violation.
        Serious => "serious",
        /// A grave violation (e.g. a strike near a nuclear plant).
        Grave => "grave",
    }
}

/// How precisely a report's time or place is known.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Precision {
    /// Half-width of the uncertainty.
    ///
    /// # Units
    /// km for places, hours for times
    pub radius: f64,
}

/// One account of an event from one source.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The source's own id for the report.
    pub id: String,
    /// Who reports.
    pub source: String,
    /// What kind of source it is.
    pub source_kind: SourceKind,
    /// When it happened.
    pub time: Timestamp,
    /// How precisely the time is known (hours).
    pub time_precision: Precision,
    /// Where it happened.
    ///
    /// # Units
    /// degrees, WGS84 (x = longitude, y = latitude)
    pub place: Point<f64>,
    /// How precisely the place is known (km).
    pub place_precision: Precision,
    /// What happened.
    pub kind: EventKind,
    /// What was hit, if known.
    pub target: Option<Category>,
    /// Counts (e.g. rounds, explosions, casualties) as reported.
    pub count: u32,
    /// The report's text.
    pub text: String,
    /// The parties the source names, as it names them: the side said to act first (e.g. ACLED `actor1`, UCDP
    /// `side_a`), then the other; empty when the source names none.
    pub parties: Vec<String>,
    /// Where the source's own record can be read (URLs as the source gives them); empty when it gives none.
    pub links: Vec<String>,
}

/// Reports merged into one event.
#[derive(Clone, Debug, PartialEq)]
pub struct Incident {
    /// The merged reports.
    pub reports: Vec<Report>,
    /// How sure the coalition is.
    pub confidence: Confidence,
}

/// Whether an incident breaks the terms, and how badly.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// Whether it is a violation.
    pub violation: bool,
    /// How serious.
    pub severity: Severity,
    /// Why, in words (the zone and protected site it falls in are the placement's).
    pub reasons: Vec<String>,
    /// What it hit, and what decided that; `None` when nothing says (or for forces seen).
    pub hit: Option<Hit>,
    /// Which party the evidence points to (a proposal, with its grounds).
    pub attribution: Attribution,
}

/// What an incident hit, and what decided it.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The category.
    pub category: Category,
    /// What decided it, in words: a report's coding or words (`'substation' in cir/cir-UW123`), a protected
    /// site's radius, or a naval event at sea.
    pub by: String,
}

named_enum! {
    /// How firmly the evidence points to a party.
    pub enum Firmness {
        /// One kind of evidence, indirect (a weapon only one side fields).
        Low => "low",
        /// One report says who acted, or a source's coding.
        Medium => "medium",
        /// Independent sources agree, or a source's coding and a report's words agree.
        High => "high",
    }
}

/// Which party the evidence points to, on what grounds and how firmly: a proposal for the commission, never a
/// finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribution {
    /// The party, `None` when unknown (no evidence, or evidence both ways).
    pub party: Option<Party>,
    /// How firmly (meaningless when `party` is `None`).
    pub firmness: Firmness,
    /// Each piece of evidence, in words, with the report it comes from.
    pub grounds: Vec<String>,
}
