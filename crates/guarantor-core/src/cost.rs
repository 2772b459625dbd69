//! What the force costs and who pays (`cost.toml`): rates with their sources and ranges, one-off costs,
//! the value of materiel released, enablers, and the financing rule.

use crate::id::{CapabilityId, NationCode, PledgeId, TermId};
use crate::names::named_enum;
use crate::network::Mode;

/// A figure with its range: what the sources support at the low and high end, and the best estimate.
///
/// # Units
/// the cost model's currency (per whatever the field says)
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Estimate {
    /// The low end.
    pub low: f64,
    /// The best estimate.
    pub best: f64,
    /// The high end.
    pub high: f64,
}

impl Estimate {
    /// The same figure at all three.
    pub fn exact(v: f64) -> Estimate {
        Estimate {
            low: v,
            best: v,
            high: v,
        }
    }

    /// Each end times `k`.
    pub fn scale(self, k: f64) -> Estimate {
        Estimate {
            low: self.low * k,
            best: self.best * k,
            high: self.high * k,
        }
    }

    /// The ends added (low to low, best to best, high to high).
    pub fn plus(self, o: Estimate) -> Estimate {
        Estimate {
            low: self.low + o.low,
            best: self.best + o.best,
            high: self.high + o.high,
        }
    }
}

/// The incremental cost of a troop-month of one capability (or of every capability without its own).
#[derive(Clone, Debug, PartialEq)]
pub struct TroopMonthCost {
    /// The capability; `None`: every capability without its own line.
    pub capability: Option<CapabilityId>,
    /// A troop-month deployed: allowances, operations and maintenance, sustainment.
    ///
    /// # Units
    /// currency per troop-month
    pub deployed: Estimate,
    /// A troop-month preparing for a tour or recovering from one: training, work-up, reset.
    ///
    /// # Units
    /// currency per troop-month
    pub preparing_or_recovering: Estimate,
    /// Where the figures come from.
    pub source: String,
}

/// A nation's factor on troop-month costs, where its pay and support differ.
#[derive(Clone, Debug, PartialEq)]
pub struct NationFactor {
    /// The nation.
    pub nation: NationCode,
    /// The factor (1.0: as the rates).
    pub factor: f64,
    /// Where it comes from.
    pub source: String,
}

/// Deployment and redeployment: cargo per tonne-km by mode, troops per passenger moved.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TransportCost {
    /// Per tonne-km, by the mode of each link of the route.
    ///
    /// # Units
    /// currency per tonne-km
    pub per_tonne_km: Vec<(Mode, Estimate)>,
    /// Per troop moved one way (into theatre, home, or at a change of tour).
    ///
    /// # Units
    /// currency per passenger
    pub per_passenger: Estimate,
    /// Where the figures come from.
    pub source: String,
}

impl TransportCost {
    /// The rate per tonne-km of `mode` (`None`: the model has none for it).
    pub fn rate(&self, mode: Mode) -> Option<Estimate> {
        self.per_tonne_km
            .iter()
            .find(|(m, _)| *m == mode)
            .map(|(_, e)| *e)
    }
}

/// A cost paid once: a headquarters, infrastructure, force protection.
#[derive(Clone, Debug, PartialEq)]
pub struct OneOff {
    /// Id.
    pub id: String,
    /// What it is.
    pub name: String,
    /// # Units
    /// currency (per troop deployed when `per_troop`)
    pub amount: Estimate,
    /// Whether `amount` is per troop of the force deployed (camps, force protection), not for the whole.
    pub per_troop: bool,
    /// The month it is paid (0 = the month the ceasefire takes effect).
    pub month: u32,
    /// The nation that bears it where costs lie where they fall (`None`: the coalition's).
    pub nation: Option<NationCode>,
    /// Whether it is one of the items the financing rule may fund in common.
    pub common: bool,
    /// Where it comes from.
    pub source: String,
}

/// The value of a materiel pledge released to Ukraine's forces, and what replacing it costs.
#[derive(Clone, Debug, PartialEq)]
pub struct MaterielValue {
    /// The pledge (`kind = "materiel"`).
    pub pledge: PledgeId,
    /// The value of one item.
    ///
    /// # Units
    /// currency per item
    pub per_item: Estimate,
    /// Replacement cost over value (new production usually costs more than the stock's book value).
    pub replacement: Estimate,
    /// The share of the nation's own stock of the item the pledge is (`None`: not known).
    pub stock_share: Option<f64>,
    /// Where the figures come from.
    pub source: String,
}

/// An enabler pledge's cost while the force is deployed (airlift, ISR, the US backstop when live).
#[derive(Clone, Debug, PartialEq)]
pub struct EnablerCost {
    /// The pledge (`kind = "enabler"`); it costs only in world states where its condition holds.
    pub pledge: PledgeId,
    /// # Units
    /// currency per month
    pub per_month: Estimate,
    /// Whether it is one of the items the financing rule may fund in common.
    pub common: bool,
    /// Where it comes from.
    pub source: String,
}

/// The price of one response option's use (cost.toml `[[response_option]]`): per sortie of an air option, per
/// missile of a strike option, per ship-day of a naval option.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionCost {
    /// The option of response.toml.
    pub option: TermId,
    /// Per sortie, per missile or per ship-day, as the option's kind says.
    ///
    /// # Units
    /// currency per sortie, missile or ship-day
    pub per_use: Estimate,
    /// Where it comes from.
    pub source: String,
}

named_enum! {
    /// Who pays for what.
    pub enum FinancingRule {
        /// Each nation pays for its own forces; the items marked `common` are funded in common by the key
        /// (NATO: national costs lie where they fall, headquarters and infrastructure by a cost-share formula).
        LieWhereTheyFall => "lie_where_they_fall",
        /// Every cost is funded in common by the key.
        Common => "common",
        /// A common fund, paid by the key, reimburses each contributor per deployed troop-month (UN-style) and
        /// funds the items marked `common`; the rest lies where it falls.
        Reimburse => "reimburse",
    }
}

named_enum! {
    /// How the common fund is shared among the nations.
    pub enum CostKey {
        /// Gross domestic product (nations.toml `gdp_usd_bn`), the proxy for gross national income, which
        /// NATO's and the EU's keys use.
        Gdp => "gdp",
        /// Population.
        Population => "population",
        /// Defence spending.
        Defence => "defence",
        /// The same for every nation.
        Equal => "equal",
        /// A negotiated table (`[[financing.share]]`).
        Table => "table",
    }
}

/// The financing rule and its key.
#[derive(Clone, Debug, PartialEq)]
pub struct Financing {
    /// The rule.
    pub rule: FinancingRule,
    /// The common fund's key.
    pub key: CostKey,
    /// For the `table` key: each nation's share (they add up to 1).
    pub table: Vec<(NationCode, f64)>,
    /// For the `reimburse` rule: what the fund pays a contributor per troop-month deployed.
    ///
    /// # Units
    /// currency per troop-month
    pub reimbursement: Estimate,
    /// Where the rule and the rate come from.
    pub source: String,
}

/// The cost model of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct CostModel {
    /// The currency every figure is in (the economic figures of nations.toml are in US dollars).
    pub currency: String,
    /// The price year.
    pub price_year: u32,
    /// A materiel pledge above this share of the nation's own stock is warned of.
    ///
    /// # Units
    /// fraction
    pub stock_warn_share: f64,
    /// Troop-month rates: by capability, and a default (`capability = "*"`).
    pub troop_months: Vec<TroopMonthCost>,
    /// Nations whose pay and support differ from the rates.
    pub nation_factors: Vec<NationFactor>,
    /// Deployment and redeployment.
    pub transport: TransportCost,
    /// One-off costs.
    pub one_offs: Vec<OneOff>,
    /// Materiel released from stockpiles.
    pub materiel: Vec<MaterielValue>,
    /// Enablers.
    pub enablers: Vec<EnablerCost>,
    /// Response options' use (sorties, missiles, ship-days).
    pub options: Vec<OptionCost>,
    /// Who pays.
    pub financing: Financing,
    /// Where the model as a whole comes from.
    pub source: String,
}

impl CostModel {
    /// The troop-month rate of `capability` (its own line, else the default).
    pub fn troop_month(&self, capability: &CapabilityId) -> Option<&TroopMonthCost> {
        self.troop_months
            .iter()
            .find(|t| t.capability.as_ref() == Some(capability))
            .or_else(|| self.troop_months.iter().find(|t| t.capability.is_none()))
    }

    /// `nation`'s factor (1.0 where the model has none).
    pub fn factor(&self, nation: &NationCode) -> f64 {
        self.nation_factors
            .iter()
            .find(|f| &f.nation == nation)
            .map_or(1.0, |f| f.factor)
    }
}
