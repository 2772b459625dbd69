//! The mission: purpose, phases, stand-off, tour length and the capability thresholds.

use std::collections::BTreeSet;

use crate::id::PhaseId;
use crate::names::named_enum;

named_enum! {
    /// What the force is for.
    pub enum Purpose {
        /// Reassure Ukraine by visible presence.
        Reassurance => "reassurance",
        /// Deter a renewed offensive.
        Deterrence => "deterrence",
        /// Monitor the ceasefire line.
        Monitoring => "monitoring",
        /// Train Ukraine's forces.
        Training => "training",
        /// Clear mines.
        Demining => "demining",
        /// Control borders.
        BorderControl => "border_control",
    }
}

/// A force-generation cycle: for every part of a unit's time deployed, how many parts it spends recovering and
/// how many training for the next tour. The rule of thirds is 1:1:1 (three units keep one deployed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cycle {
    /// Parts deployed (at least 1).
    pub deploy: u32,
    /// Parts recovering after a tour.
    pub recover: u32,
    /// Parts training before a tour.
    pub train: u32,
}

impl Cycle {
    /// The rule of thirds: deploy, recover, train in equal parts.
    pub const THIRDS: Cycle = Cycle {
        deploy: 1,
        recover: 1,
        train: 1,
    };

    /// Seed 000's count: 6-month tours with 6 months' preparation before and 3 months' recovery after,
    /// (6 + 6 + 3) / 6 = 2.5 troops committed for each deployed ("40,000 deployed means about 100,000
    /// involved").
    pub const ANALYSTS: Cycle = Cycle {
        deploy: 2,
        recover: 1,
        train: 2,
    };

    /// The UK's harmony guideline for the army: 24 months between 6-month unit tours (1 deployed, 2 recovering,
    /// 2 training): five troops committed for each deployed.
    pub const HARMONY: Cycle = Cycle {
        deploy: 1,
        recover: 2,
        train: 2,
    };

    /// Troops committed (deployed, recovering, training) for each deployed at the steady state:
    /// `(d + r + t) / d`.
    pub fn ratio(self) -> f64 {
        f64::from(self.deploy + self.recover + self.train) / f64::from(self.deploy.max(1))
    }

    /// Sets of units the cycle needs to keep one set deployed without a break: ⌈(d + r + t) / d⌉.
    pub fn unit_sets(self) -> u32 {
        (self.deploy + self.recover + self.train).div_ceil(self.deploy.max(1))
    }

    /// Parses `deploy:recover:train`, e.g. `1:1:1` or `1:2:2`, or a named cycle: `thirds` (1:1:1), `analysts`
    /// (2:1:2) or `harmony` (1:2:2).
    pub fn parse(text: &str) -> Result<Cycle, String> {
        match text.trim() {
            "thirds" => return Ok(Cycle::THIRDS),
            "analysts" => return Ok(Cycle::ANALYSTS),
            "harmony" => return Ok(Cycle::HARMONY),
            _ => {}
        }
        let parts: Vec<&str> = text.split(':').map(str::trim).collect();
        let [d, r, t] = parts.as_slice() else {
            return Err(format!(
                "`{text}` has {} part(s); a cycle is deploy:recover:train, e.g. 1:1:1, or thirds, analysts or harmony",
                parts.len()
            ));
        };
        let number = |s: &str, what: &str| {
            s.parse::<u32>()
                .map_err(|_| format!("`{s}` ({what}) is not a whole number"))
        };
        let cycle = Cycle {
            deploy: number(d, "deploy")?,
            recover: number(r, "recover")?,
            train: number(t, "train")?,
        };
        if cycle.deploy == 0 {
            return Err("the deploy part must be at least 1".to_owned());
        }
        Ok(cycle)
    }
}

impl std::fmt::Display for Cycle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.deploy, self.recover, self.train)
    }
}

/// A step of the mission in time, counted from the day the ceasefire takes effect (day 0).
#[derive(Clone, Debug, PartialEq)]
pub struct Phase {
    /// Id, e.g. `initial-entry`.
    pub id: PhaseId,
    /// Name.
    pub name: String,
    /// # Units
    /// days after day 0
    pub start_day: u32,
    /// # Units
    /// days
    pub duration_days: u32,
    /// What happens in it.
    pub description: String,
    /// Where it comes from.
    pub source: String,
}

/// The mission the force is built for.
#[derive(Clone, Debug, PartialEq)]
pub struct Mission {
    /// Name.
    pub name: String,
    /// Purposes.
    pub purposes: BTreeSet<Purpose>,
    /// Phases, in order.
    pub phases: Vec<Phase>,
    /// Force sites in Ukraine stay at least this far from the contact line.
    ///
    /// # Units
    /// km
    pub standoff_km: f64,
    /// Default tour length.
    ///
    /// # Units
    /// months
    pub tour_months: u32,
    /// How far ahead rotation is planned.
    ///
    /// # Units
    /// months
    pub horizon_months: u32,
    /// The force-generation cycle of nations that do not state their own.
    pub cycle: Cycle,
    /// Rotation warns when a nation's committed troops exceed this share of its active forces.
    ///
    /// # Units
    /// fraction in (0, 1]
    pub max_active_share: f64,
    /// Initial operating capability: share of essential troops in place.
    ///
    /// # Units
    /// fraction in (0, 1]
    pub ioc_fill: f64,
    /// Full operating capability: share of essential troops in place.
    ///
    /// # Units
    /// fraction in (0, 1]
    pub foc_fill: f64,
    /// Where it comes from.
    pub source: String,
}

impl Mission {
    /// The share of a nation's active forces rotation warns above when the scenario does not say: one in six
    /// or seven active troops tied to one mission (an illustrative planning threshold).
    pub const DEFAULT_MAX_ACTIVE_SHARE: f64 = 0.15;
}
