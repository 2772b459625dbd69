//! guarantor's cost engine: what the force costs and who pays.
//!
//! The caller (the app) says what the force does month by month — troop-months deployed and preparing or
//! recovering, by nation, capability and pledge (from the rotation of the units as they arrive); each move of
//! troops and cargo with its tonne-km by mode (deployment, changes of tour, redeployment); materiel released;
//! enablers live — and the scenario's [`CostModel`] prices it. Every figure is an [`Estimate`] (low, best,
//! high), in the model's currency at its price year.
//!
//! The headline is the *incremental* cost: what nations would not spend otherwise. Each priced item is kept
//! ([`Item`]): its nation, its pledge, its category, its month, whether it is funded in common. The financing
//! rule then says who pays: each nation bears its own items unless they are funded in common; the common fund
//! (the common items, and under `reimburse` a rate per troop-month deployed paid back to each contributor) is
//! paid by the nations taking part in shares of the model's key. For every nation and month:
//! `net = own + paid_in − reimbursed`, and the nets add up to the total cost (nothing is created or lost by
//! financing).
//!
//! No I/O: values in, values out.
//!
//! ```
//! use guarantor_core::Estimate;
//! let e = Estimate { low: 1.0, best: 2.0, high: 4.0 }.scale(10.0);
//! assert_eq!((e.low, e.best, e.high), (10.0, 20.0, 40.0));
//! ```

use std::collections::BTreeMap;

mod response;

pub use response::{DAYS_PER_MONTH, Line, LineCost, ResponseCost, Use, response_cost};

use guarantor_core::{
    CapabilityId, CostKey, CostModel, Estimate, FairShareKey, FinancingRule, Mode, Nation,
    NationCode, PledgeId,
};

/// Troop-months of one pledge's troops of one capability in one month.
#[derive(Clone, Debug, PartialEq)]
pub struct TroopMonths {
    /// The nation.
    pub nation: NationCode,
    /// The pledge.
    pub pledge: PledgeId,
    /// The capability.
    pub capability: CapabilityId,
    /// The month (0 = the month the ceasefire takes effect).
    pub month: u32,
    /// # Units
    /// troops (= troop-months in the month)
    pub deployed: u64,
    /// # Units
    /// troops preparing for a tour or recovering from one
    pub preparing_or_recovering: u64,
}

/// Why troops and cargo move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MoveKind {
    /// Into theatre, once.
    Deploy,
    /// A change of tour: the relief in, the relieved out (troops only, twice).
    Rotation,
    /// Home at the end.
    Redeploy,
}

/// A move of one pledge's troops and cargo.
#[derive(Clone, Debug, PartialEq)]
pub struct Move {
    /// The nation.
    pub nation: NationCode,
    /// The pledge.
    pub pledge: PledgeId,
    /// Why.
    pub kind: MoveKind,
    /// The month it happens.
    pub month: u32,
    /// Passengers (a change of tour moves each twice: counted here once each way).
    ///
    /// # Units
    /// passengers
    pub passengers: u64,
    /// Cargo over its route, by the mode of each link.
    ///
    /// # Units
    /// tonne-km
    pub tonne_km: Vec<(Mode, f64)>,
}

/// A materiel pledge released to Ukraine's forces.
#[derive(Clone, Debug, PartialEq)]
pub struct Release {
    /// The nation.
    pub nation: NationCode,
    /// The pledge.
    pub pledge: PledgeId,
    /// The month it is released.
    pub month: u32,
    /// Items.
    pub quantity: u64,
}

/// What the force does, for the model to price.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Activity {
    /// Months priced: `0..horizon_months`.
    pub horizon_months: u32,
    /// Troop-months by nation, pledge, capability and month.
    pub troop_months: Vec<TroopMonths>,
    /// Moves.
    pub moves: Vec<Move>,
    /// Materiel released.
    pub releases: Vec<Release>,
    /// Enabler pledges live in the world state (their nation, their pledge).
    pub enablers: Vec<(NationCode, PledgeId)>,
    /// The nations taking part (a live pledge in the world state): they pay into the common fund.
    pub participants: Vec<NationCode>,
    /// The force deployed at the steady state (for one-off costs per troop).
    ///
    /// # Units
    /// troops
    pub steady_deployed: u64,
}

/// What an item pays for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    /// Troop-months deployed.
    Deployed,
    /// Troop-months preparing or recovering.
    PreparingOrRecovering,
    /// Moves.
    Transport(MoveKind),
    /// A one-off cost (its id).
    OneOff(String),
    /// Materiel released: its value.
    Materiel,
    /// Materiel released: replacing it, over its value.
    Replacement,
    /// An enabler.
    Enabler,
}

impl Category {
    /// A short name: `deployed`, `preparing_or_recovering`, `transport`, `one_off`, `materiel`, `replacement`,
    /// `enabler`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Category::Deployed => "deployed",
            Category::PreparingOrRecovering => "preparing_or_recovering",
            Category::Transport(_) => "transport",
            Category::OneOff(_) => "one_off",
            Category::Materiel => "materiel",
            Category::Replacement => "replacement",
            Category::Enabler => "enabler",
        }
    }
}

/// One priced item.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// Whose (`None`: the coalition's, always funded in common).
    pub nation: Option<NationCode>,
    /// The pledge behind it.
    pub pledge: Option<PledgeId>,
    /// What it pays for.
    pub category: Category,
    /// The month.
    pub month: u32,
    /// The incremental cost.
    pub amount: Estimate,
    /// Whether the financing rule funds it in common.
    pub common: bool,
}

/// One nation's money in one month.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Flows {
    /// Its own items, not funded in common.
    pub own: Estimate,
    /// What it pays into the common fund.
    pub paid_in: Estimate,
    /// What the common fund pays it back (reimbursement per troop-month).
    pub reimbursed: Estimate,
    /// `own + paid_in − reimbursed`.
    pub net: Estimate,
}

impl Flows {
    /// Adds `o` to each.
    pub fn add(&mut self, o: &Flows) {
        self.own = self.own.plus(o.own);
        self.paid_in = self.paid_in.plus(o.paid_in);
        self.reimbursed = self.reimbursed.plus(o.reimbursed);
        self.net = self.net.plus(o.net);
    }
}

/// Something the cost model warns of.
#[derive(Clone, Debug, PartialEq)]
pub enum CostWarning {
    /// A materiel pledge is more of the nation's own stock than the model's threshold.
    DepletedStock {
        /// The nation.
        nation: NationCode,
        /// The pledge.
        pledge: PledgeId,
        /// Its share of the stock.
        share: f64,
        /// The threshold.
        limit: f64,
    },
    /// A live materiel or enabler pledge the model has no price for: not costed.
    NotPriced {
        /// The nation.
        nation: NationCode,
        /// The pledge.
        pledge: PledgeId,
    },
}

impl std::fmt::Display for CostWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CostWarning::DepletedStock {
                nation,
                pledge,
                share,
                limit,
            } => write!(
                f,
                "{nation} pledge {pledge} is {:.0}% of the nation's own stock (the model warns above {:.0}%)",
                share * 100.0,
                limit * 100.0
            ),
            CostWarning::NotPriced { nation, pledge } => write!(
                f,
                "{nation} pledge {pledge} is live but cost.toml has no price for it: not costed"
            ),
        }
    }
}

/// What the common fund pays a contributor back.
#[derive(Clone, Debug, PartialEq)]
pub struct Credit {
    /// The nation.
    pub nation: NationCode,
    /// The pledge whose troop-months earn it.
    pub pledge: PledgeId,
    /// The month.
    pub month: u32,
    /// The amount.
    pub amount: Estimate,
}

/// The cost of the force and who pays.
#[derive(Clone, Debug, PartialEq)]
pub struct CostPlan {
    /// Months priced: `0..horizon_months`.
    pub horizon_months: u32,
    /// Every priced item.
    pub items: Vec<Item>,
    /// Reimbursements from the common fund (the `reimburse` rule).
    pub credits: Vec<Credit>,
    /// The common fund each month: the common items and the reimbursements.
    pub pool: Vec<Estimate>,
    /// Each paying nation's share of the common fund (the model's key over the nations taking part).
    pub key_shares: BTreeMap<NationCode, f64>,
    /// Each nation's fair share of the whole cost (the scenario's fair-share key over the same nations).
    pub fair_shares: BTreeMap<NationCode, f64>,
    /// The full cost of the forces beside the incremental, by nation and pledge: each troop-month at the
    /// nation's defence spending per active soldier.
    pub full: Vec<(NationCode, PledgeId, Estimate)>,
    /// The whole force, month by month (incremental).
    pub months: Vec<Estimate>,
    /// Over the horizon.
    pub total: Estimate,
    /// Warnings.
    pub warnings: Vec<CostWarning>,
}

impl CostPlan {
    /// Money by month for each party `who` names: its own items (not funded in common) and credits as `who`
    /// assigns them (by nation and pledge: a caller may show some pledges under another name), and its
    /// payments into the common fund by the key (assigned by `payer`). `net = own + paid_in − reimbursed`;
    /// the nets of all parties add up to [`CostPlan::total`].
    pub fn flows_by<K: Ord + Clone>(
        &self,
        who: impl Fn(&NationCode, Option<&PledgeId>) -> K,
        payer: impl Fn(&NationCode) -> K,
    ) -> BTreeMap<K, Vec<Flows>> {
        let h = self.horizon_months as usize;
        let mut out: BTreeMap<K, Vec<Flows>> = BTreeMap::new();
        fn at<K: Ord>(out: &mut BTreeMap<K, Vec<Flows>>, h: usize, k: K, m: u32) -> &mut Flows {
            &mut out.entry(k).or_insert_with(|| vec![Flows::default(); h])[m as usize]
        }
        for it in &self.items {
            if let (false, Some(n)) = (it.common, &it.nation) {
                let f = at(&mut out, h, who(n, it.pledge.as_ref()), it.month);
                f.own = f.own.plus(it.amount);
            }
        }
        for c in &self.credits {
            let f = at(&mut out, h, who(&c.nation, Some(&c.pledge)), c.month);
            f.reimbursed = f.reimbursed.plus(c.amount);
        }
        for (n, share) in &self.key_shares {
            for (m, p) in self.pool.iter().enumerate() {
                let f = at(&mut out, h, payer(n), m as u32);
                f.paid_in = f.paid_in.plus(p.scale(*share));
            }
        }
        for months in out.values_mut() {
            for f in months {
                f.net = f.own.plus(f.paid_in).plus(f.reimbursed.scale(-1.0));
            }
        }
        out
    }
}

/// The sum of `flows` over the months.
pub fn sum(flows: &[Flows]) -> Flows {
    let mut total = Flows::default();
    for f in flows {
        total.add(f);
    }
    total
}

/// Each nation's share by `key` among `among` (shares add up to 1; nations outside `among` have none).
pub fn key_shares(
    nations: &[Nation],
    among: &[NationCode],
    key: CostKey,
    table: &[(NationCode, f64)],
) -> BTreeMap<NationCode, f64> {
    let weight = |n: &Nation| match key {
        CostKey::Gdp => n.gdp_usd_bn,
        CostKey::Population => n.population_m,
        CostKey::Defence => n.defence_usd_bn,
        CostKey::Equal => 1.0,
        CostKey::Table => table
            .iter()
            .find(|(c, _)| c == &n.code)
            .map_or(0.0, |(_, s)| *s),
    };
    let taking_part: Vec<&Nation> = nations.iter().filter(|n| among.contains(&n.code)).collect();
    let sum: f64 = taking_part.iter().map(|n| weight(n)).sum();
    taking_part
        .into_iter()
        .map(|n| {
            let share = if sum > 0.0 { weight(n) / sum } else { 0.0 };
            (n.code.clone(), share)
        })
        .collect()
}

/// Prices `activity` with `model`; `fair_share` is the scenario's fair-share key (for comparison only).
pub fn cost(
    model: &CostModel,
    nations: &[Nation],
    fair_share: FairShareKey,
    activity: &Activity,
) -> CostPlan {
    let horizon = activity.horizon_months;
    let mut priced = Priced {
        horizon,
        all_common: model.financing.rule == FinancingRule::Common,
        items: Vec::new(),
        warnings: Vec::new(),
    };
    priced.troop_months(model, activity);
    priced.moves(model, activity);
    priced.one_offs(model, activity);
    priced.releases(model, activity);
    priced.enablers(model, activity);
    let Priced {
        items, warnings, ..
    } = priced;

    // Who pays.
    let key_shares = key_shares(
        nations,
        &activity.participants,
        model.financing.key,
        &model.financing.table,
    );
    let fair_shares = key_shares_for(nations, &activity.participants, fair_share);
    let h = horizon as usize;
    let mut pool = vec![Estimate::default(); h];
    let mut months = vec![Estimate::default(); h];
    for it in &items {
        let m = it.month as usize;
        months[m] = months[m].plus(it.amount);
        if it.common {
            pool[m] = pool[m].plus(it.amount);
        }
    }
    let credits = reimbursements(model, activity, &mut pool);
    let full = full_costs(nations, activity);
    let total = months.iter().fold(Estimate::default(), |a, m| a.plus(*m));
    CostPlan {
        horizon_months: horizon,
        items,
        credits,
        pool,
        key_shares,
        fair_shares,
        full: full
            .into_iter()
            .map(|((n, p), v)| (n, p, Estimate::exact(v)))
            .collect(),
        months,
        total,
        warnings,
    }
}

/// The items of an activity priced so far (within its horizon), and the warnings said.
struct Priced {
    horizon: u32,
    /// Whether the financing rule funds every item in common.
    all_common: bool,
    items: Vec<Item>,
    warnings: Vec<CostWarning>,
}

impl Priced {
    /// Keeps an item, when its month is within the horizon.
    fn push(
        &mut self,
        nation: Option<&NationCode>,
        pledge: Option<&PledgeId>,
        category: Category,
        month: u32,
        amount: Estimate,
        common: bool,
    ) {
        if month < self.horizon {
            self.items.push(Item {
                nation: nation.cloned(),
                pledge: pledge.cloned(),
                category,
                month,
                amount,
                common: self.all_common || common || nation.is_none(),
            });
        }
    }

    /// `month`, or the horizon's last month when it falls after it: a move, a one-off or a release after the
    /// horizon is priced in its last month.
    fn within_horizon(&self, month: u32) -> u32 {
        month.min(self.horizon.saturating_sub(1))
    }

    /// Troop-months deployed, and preparing or recovering, at the rate of their capability.
    fn troop_months(&mut self, model: &CostModel, activity: &Activity) {
        for t in &activity.troop_months {
            let Some(rate) = model.troop_month(&t.capability) else {
                continue;
            };
            let k = model.factor(&t.nation);
            if t.deployed > 0 {
                self.push(
                    Some(&t.nation),
                    Some(&t.pledge),
                    Category::Deployed,
                    t.month,
                    rate.deployed.scale(t.deployed as f64 * k),
                    false,
                );
            }
            if t.preparing_or_recovering > 0 {
                self.push(
                    Some(&t.nation),
                    Some(&t.pledge),
                    Category::PreparingOrRecovering,
                    t.month,
                    rate.preparing_or_recovering
                        .scale(t.preparing_or_recovering as f64 * k),
                    false,
                );
            }
        }
    }

    /// Each move: its passengers, and its tonne-km at the rate of each mode.
    fn moves(&mut self, model: &CostModel, activity: &Activity) {
        let tr = &model.transport;
        for m in &activity.moves {
            let mut amount = tr.per_passenger.scale(m.passengers as f64);
            for (mode, tkm) in &m.tonne_km {
                if let Some(rate) = tr.rate(*mode) {
                    amount = amount.plus(rate.scale(*tkm));
                }
            }
            self.push(
                Some(&m.nation),
                Some(&m.pledge),
                Category::Transport(m.kind),
                self.within_horizon(m.month),
                amount,
                false,
            );
        }
    }

    /// The model's one-off costs.
    fn one_offs(&mut self, model: &CostModel, activity: &Activity) {
        for o in &model.one_offs {
            // A nation's one-off (its preparation for its contribution) is priced only when it sends troops.
            if let Some(nation) = &o.nation
                && !activity
                    .troop_months
                    .iter()
                    .any(|t| &t.nation == nation && t.deployed > 0)
            {
                continue;
            }
            let amount = if o.per_troop {
                o.amount.scale(activity.steady_deployed as f64)
            } else {
                o.amount
            };
            self.push(
                o.nation.as_ref(),
                None,
                Category::OneOff(o.id.clone()),
                self.within_horizon(o.month),
                amount,
                o.common,
            );
        }
    }

    /// Materiel released: its value and the extra cost of replacing it; a warning for materiel the model does
    /// not price or that depletes a stock.
    fn releases(&mut self, model: &CostModel, activity: &Activity) {
        for r in &activity.releases {
            let Some(v) = model.materiel.iter().find(|v| v.pledge == r.pledge) else {
                self.warnings.push(CostWarning::NotPriced {
                    nation: r.nation.clone(),
                    pledge: r.pledge.clone(),
                });
                continue;
            };
            let value = v.per_item.scale(r.quantity as f64);
            let month = self.within_horizon(r.month);
            self.push(
                Some(&r.nation),
                Some(&r.pledge),
                Category::Materiel,
                month,
                value,
                false,
            );
            // Replacing it costs the value times (replacement − 1) on top.
            let extra = Estimate {
                low: value.low * (v.replacement.low - 1.0).max(0.0),
                best: value.best * (v.replacement.best - 1.0).max(0.0),
                high: value.high * (v.replacement.high - 1.0).max(0.0),
            };
            if extra.high > 0.0 {
                self.push(
                    Some(&r.nation),
                    Some(&r.pledge),
                    Category::Replacement,
                    month,
                    extra,
                    false,
                );
            }
            if let Some(share) = v.stock_share
                && share > model.stock_warn_share
            {
                self.warnings.push(CostWarning::DepletedStock {
                    nation: r.nation.clone(),
                    pledge: r.pledge.clone(),
                    share,
                    limit: model.stock_warn_share,
                });
            }
        }
    }

    /// Each enabler live, every month of the horizon; a warning for one the model does not price.
    fn enablers(&mut self, model: &CostModel, activity: &Activity) {
        for (nation, pledge) in &activity.enablers {
            let Some(e) = model.enablers.iter().find(|e| &e.pledge == pledge) else {
                self.warnings.push(CostWarning::NotPriced {
                    nation: nation.clone(),
                    pledge: pledge.clone(),
                });
                continue;
            };
            for month in 0..self.horizon {
                self.push(
                    Some(nation),
                    Some(pledge),
                    Category::Enabler,
                    month,
                    e.per_month,
                    e.common,
                );
            }
        }
    }
}

/// Under the `reimburse` rule, the rate per troop-month deployed paid back to each contributor, each added to
/// the common `pool` of its month; none under the other rules.
fn reimbursements(model: &CostModel, activity: &Activity, pool: &mut [Estimate]) -> Vec<Credit> {
    let horizon = activity.horizon_months;
    let mut credits = Vec::new();
    if model.financing.rule == FinancingRule::Reimburse {
        for t in &activity.troop_months {
            if t.deployed == 0 || t.month >= horizon {
                continue;
            }
            let amount = model.financing.reimbursement.scale(t.deployed as f64);
            pool[t.month as usize] = pool[t.month as usize].plus(amount);
            credits.push(Credit {
                nation: t.nation.clone(),
                pledge: t.pledge.clone(),
                month: t.month,
                amount,
            });
        }
    }
    credits
}

/// The full cost of each (nation, pledge)'s troops within the horizon: their troop-months at the nation's
/// defence budget per soldier and month.
fn full_costs(nations: &[Nation], activity: &Activity) -> BTreeMap<(NationCode, PledgeId), f64> {
    let horizon = activity.horizon_months;
    let mut full: BTreeMap<(NationCode, PledgeId), f64> = BTreeMap::new();
    for t in activity.troop_months.iter().filter(|t| t.month < horizon) {
        let Some(n) = nations.iter().find(|n| n.code == t.nation) else {
            continue;
        };
        let per_soldier_month = if n.active_forces > 0 {
            n.defence_usd_bn * 1e9 / f64::from(n.active_forces) / 12.0
        } else {
            0.0
        };
        *full
            .entry((t.nation.clone(), t.pledge.clone()))
            .or_default() += per_soldier_month * (t.deployed + t.preparing_or_recovering) as f64;
    }
    full
}

/// The fair-share key of the sourcing engine (`gdp`, `population`, `defence`, `equal`) as a cost key.
fn key_shares_for(
    nations: &[Nation],
    among: &[NationCode],
    key: FairShareKey,
) -> BTreeMap<NationCode, f64> {
    let key = match key {
        FairShareKey::Gdp => CostKey::Gdp,
        FairShareKey::Population => CostKey::Population,
        FairShareKey::Defence => CostKey::Defence,
        FairShareKey::Equal => CostKey::Equal,
    };
    key_shares(nations, among, key, &[])
}
