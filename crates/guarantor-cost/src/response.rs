//! What a response to a broken ceasefire costs, beyond the plan's own cost.
//!
//! The caller (the app) says what each element of the response does over the response's horizon — ground
//! troops moved to the threatened place and kept there, sorties flown, missiles launched, ship-days at sea —
//! and the scenario's [`CostModel`] prices it: troops at the deployed troop-month rate (a unit already in
//! theatre is already in the plan's cost: only its move is priced), their moves at the transport rates, each
//! sortie, missile and ship-day at its option's price (`[[response_option]]`). An element whose option has no
//! price is listed, not guessed. Stockpiles released are not priced here: every live materiel pledge is
//! released, and priced, in the plan's cost already. Costs lie where they fall: each nation bears its
//! elements.

use std::collections::BTreeMap;

use guarantor_core::{CapabilityId, CostModel, Estimate, Mode, NationCode, TermId};

/// Days in a month, for troop-days priced at a troop-month rate (365.25 / 12).
pub const DAYS_PER_MONTH: f64 = 30.4375;

/// What one element of a response does over the horizon.
#[derive(Clone, Debug, PartialEq)]
pub enum Use {
    /// Ground troops moved to the place and kept there.
    Troops {
        /// Their capability (its troop-month rate).
        capability: CapabilityId,
        /// # Units
        /// troops
        troops: u64,
        /// From the hour they are ready to move to the horizon.
        ///
        /// # Units
        /// days
        days: f64,
        /// Already deployed in theatre: their troop-months are in the plan's cost; only the move is priced.
        in_plan: bool,
        /// Passengers moved (counted once: to the place; the way home is the plan's redeployment or not yet).
        passengers: u64,
        /// Their equipment over its route, by the mode of each link.
        ///
        /// # Units
        /// tonne-km
        tonne_km: Vec<(Mode, f64)>,
    },
    /// Sorties flown over the place.
    Sorties {
        /// The option (its price per sortie).
        option: TermId,
        /// # Units
        /// sorties
        sorties: f64,
    },
    /// Missiles launched.
    Missiles {
        /// The option (its price per missile).
        option: TermId,
        /// # Units
        /// missiles
        missiles: u64,
    },
    /// Warships on station.
    Ships {
        /// The option (its price per ship-day).
        option: TermId,
        /// # Units
        /// ship-days
        ship_days: f64,
    },
}

/// One element of a response, for pricing.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Whose (`None`: the coalition's).
    pub nation: Option<NationCode>,
    /// What it does.
    pub what: Use,
}

/// What one line costs, by what it pays for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineCost {
    /// Troop-days at the place (troops not already in the plan).
    pub troops: Estimate,
    /// The move to the place.
    pub transport: Estimate,
    /// Sorties, missiles or ship-days.
    pub uses: Estimate,
    /// The line's option has no price in the model (its uses are not counted).
    pub unpriced: bool,
}

impl LineCost {
    /// Everything the line costs.
    pub fn total(&self) -> Estimate {
        self.troops.plus(self.transport).plus(self.uses)
    }
}

/// What a response costs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResponseCost {
    /// Each line's cost, in the order of the lines.
    pub lines: Vec<LineCost>,
    /// Each nation's total (costs lie where they fall; `None`: the coalition's).
    pub by_nation: BTreeMap<Option<NationCode>, Estimate>,
    /// The whole response.
    pub total: Estimate,
}

/// Prices `lines` with `model`.
pub fn response_cost(model: &CostModel, lines: &[Line]) -> ResponseCost {
    let mut out = ResponseCost::default();
    let price = |option: &TermId| {
        model
            .options
            .iter()
            .find(|o| &o.option == option)
            .map(|o| o.per_use)
    };
    for line in lines {
        let mut c = LineCost::default();
        match &line.what {
            Use::Troops {
                capability,
                troops,
                days,
                in_plan,
                passengers,
                tonne_km,
            } => {
                if !in_plan && let Some(rate) = model.troop_month(capability) {
                    let k = line.nation.as_ref().map_or(1.0, |n| model.factor(n));
                    c.troops = rate
                        .deployed
                        .scale(*troops as f64 * days / DAYS_PER_MONTH * k);
                }
                let tr = &model.transport;
                c.transport = tr.per_passenger.scale(*passengers as f64);
                for (mode, tkm) in tonne_km {
                    if let Some(rate) = tr.rate(*mode) {
                        c.transport = c.transport.plus(rate.scale(*tkm));
                    }
                }
            }
            Use::Sorties { option, sorties: n }
            | Use::Ships {
                option,
                ship_days: n,
            } => match price(option) {
                Some(p) => c.uses = p.scale(*n),
                None => c.unpriced = true,
            },
            Use::Missiles { option, missiles } => match price(option) {
                Some(p) => c.uses = p.scale(*missiles as f64),
                None => c.unpriced = true,
            },
        }
        let t = c.total();
        let e = out.by_nation.entry(line.nation.clone()).or_default();
        *e = e.plus(t);
        out.total = out.total.plus(t);
        out.lines.push(c);
    }
    out
}
