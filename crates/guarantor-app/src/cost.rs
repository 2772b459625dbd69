//! The cost use case: what the sourced force costs, month by month, and who pays, as the JSON `plan` prints.
//!
//! It tells the cost engine what the force does — each arrived unit's troop-months from the rotation engine's
//! schedule (from the month it arrives), its moves (into theatre over the cheapest route of the network, at
//! each change of tour, home at the end), the materiel released and the enablers live in the world state —
//! and shows the engine's answer by nation.

use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use guarantor_core::{
    EnablerKind, Estimate, Mode, NationCode, NodeId, Offer, PledgeId, Scenario, SiteId,
};
use guarantor_cost::{Activity, CostPlan, CostWarning, Move, MoveKind, Release, TroopMonths};
use guarantor_sourcing::SourcingPlan;
use serde::Serialize;

use crate::movement::MovementDto;
use crate::rotation::NotArrivedDto;
use crate::rotation::month_of_day as month;

/// A low / best / high figure, rounded to whole units of currency.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct EstimateDto {
    /// The low end.
    pub low: f64,
    /// The best estimate.
    pub best: f64,
    /// The high end.
    pub high: f64,
}

impl EstimateDto {
    pub(crate) fn of(e: Estimate) -> EstimateDto {
        EstimateDto {
            low: e.low.round(),
            best: e.best.round(),
            high: e.high.round(),
        }
    }
}

/// One party's money in one month (best estimates).
#[derive(Clone, Debug, Serialize)]
pub struct NationMonthDto {
    /// Month (0 = the month the ceasefire takes effect).
    pub month: u32,
    /// The cost of its own forces and items.
    pub own: f64,
    /// Paid into the common fund.
    pub paid_in: f64,
    /// Paid back by the common fund.
    pub reimbursed: f64,
    /// `own + paid_in − reimbursed`.
    pub net: f64,
}

/// One nation's burden over the horizon.
#[derive(Clone, Debug, Serialize)]
pub struct NationCostDto {
    /// ISO alpha-3, or `withheld`.
    pub nation: String,
    /// Its share of the common fund (the financing key).
    pub key_share: f64,
    /// The cost of its own forces and items.
    pub own: EstimateDto,
    /// Paid into the common fund.
    pub paid_in: EstimateDto,
    /// Paid back by the common fund.
    pub reimbursed: EstimateDto,
    /// What it bears: `own + paid_in − reimbursed`.
    pub net: EstimateDto,
    /// Its fair share of the total (the scenario's fair-share key; best).
    pub fair_share: f64,
    /// `net.best / fair_share` (1.0: exactly its fair share; null without a fair share).
    pub net_over_fair_share: Option<f64>,
    /// Net a year (best) over its defence spending.
    pub share_of_defence: Option<f64>,
    /// Net a year (best) over its GDP.
    pub share_of_gdp: Option<f64>,
    /// The full cost of its forces beside the incremental (troop-months at its defence spending per soldier).
    pub full_cost: f64,
    /// Month by month (best).
    pub months: Vec<NationMonthDto>,
}

/// What the force costs in one category.
#[derive(Clone, Debug, Serialize)]
pub struct CategoryDto {
    /// `deployed`, `preparing_or_recovering`, `transport`, `one_off`, `materiel`, `replacement`, `enabler`.
    pub category: &'static str,
    /// Over the horizon.
    pub amount: EstimateDto,
}

/// The `cost` section of `guarantor plan --json`.
#[derive(Clone, Debug, Serialize)]
pub struct CostDto {
    /// `USD`.
    pub currency: String,
    /// The price year.
    pub price_year: u32,
    /// `lie_where_they_fall`, `common` or `reimburse`.
    pub rule: &'static str,
    /// The common fund's key.
    pub key: &'static str,
    /// Months priced.
    pub horizon_months: u32,
    /// The incremental cost over the horizon.
    pub total: EstimateDto,
    /// The same a year.
    pub per_year: EstimateDto,
    /// The full cost of the forces over the horizon, beside the incremental (best).
    pub full_cost: f64,
    /// By category.
    pub categories: Vec<CategoryDto>,
    /// The whole force month by month.
    pub months: Vec<EstimateDto>,
    /// The common fund month by month (best).
    pub pool: Vec<f64>,
    /// Each nation (and `withheld`) with a cost or a payment, in scenario order.
    pub nations: Vec<NationCostDto>,
    /// Sourced units that never arrive: listed, not costed.
    pub not_costed: Vec<NotArrivedDto>,
    /// Warnings: a stock depleted beyond the threshold, a live pledge with no price.
    pub warnings: Vec<String>,
}

/// What the force does, for the cost engine: `plan` sourced and moved as `movement` says.
pub fn activity(scenario: &Scenario, plan: &SourcingPlan, movement: &MovementDto) -> Activity {
    let horizon = scenario.mission.horizon_months;
    let world = &plan.world;
    let (deployed, _) = crate::rotation::deployments(plan, movement);
    let model = scenario.cost.as_ref();
    let mut troop_months = Vec::new();
    for d in &deployed {
        for load in guarantor_rotation::deployment_months(scenario, d) {
            let other = load.preparing + load.recovering;
            if load.deployed + other > 0 {
                troop_months.push(TroopMonths {
                    nation: d.nation.clone(),
                    pledge: d.pledge.clone(),
                    capability: d.capability.clone(),
                    month: load.month,
                    deployed: load.deployed,
                    preparing_or_recovering: other,
                });
            }
        }
    }
    let routes = Routes::new(scenario, model.map(|m| &m.transport));
    let mut moves = Vec::new();
    for u in &movement.units {
        let (Some(day), Ok(pledge), Ok(nation)) = (
            u.arrival_day,
            PledgeId::new(&u.pledge),
            NationCode::new(&u.nation),
        ) else {
            continue;
        };
        let tonne_km = routes.tonne_km(u.origin.as_deref(), &u.site, u.tonnes as f64);
        let start = month(day);
        moves.push(Move {
            nation: nation.clone(),
            pledge: pledge.clone(),
            kind: MoveKind::Deploy,
            month: start,
            passengers: u.troops,
            tonne_km: tonne_km.clone(),
        });
        let (_, tour) = guarantor_rotation::cycle_of(scenario, &nation);
        for s in (1..).map(|k| start + k * tour).take_while(|s| *s < horizon) {
            moves.push(Move {
                nation: nation.clone(),
                pledge: pledge.clone(),
                kind: MoveKind::Rotation,
                month: s,
                passengers: 2 * u.troops,
                tonne_km: Vec::new(),
            });
        }
        moves.push(Move {
            nation,
            pledge,
            kind: MoveKind::Redeploy,
            month: horizon.saturating_sub(1),
            passengers: u.troops,
            tonne_km,
        });
    }
    for x in &movement.stockpiles {
        let (Ok(pledge), Ok(nation)) = (PledgeId::new(&x.pledge), NationCode::new(&x.nation))
        else {
            continue;
        };
        moves.push(Move {
            nation,
            pledge,
            kind: MoveKind::Deploy,
            // The plan's own movement: every stockpile has its ready day (only a released one has none).
            month: month(x.ready_day.unwrap_or_default()),
            passengers: 0,
            tonne_km: routes.tonne_km(Some(&x.depot), &x.site, x.tonnes as f64),
        });
    }
    let ready_month: BTreeMap<&str, u32> = movement
        .stockpiles
        .iter()
        .map(|x| (x.pledge.as_str(), month(x.ready_day.unwrap_or_default())))
        .collect();
    let mut releases = Vec::new();
    let mut enablers = Vec::new();
    let mut participants: BTreeSet<NationCode> =
        deployed.iter().map(|d| d.nation.clone()).collect();
    for p in scenario.pledges.iter().filter(|p| p.is_live(world)) {
        match &p.offer {
            Offer::Materiel { quantity, .. } => {
                releases.push(Release {
                    nation: p.nation.clone(),
                    pledge: p.id.clone(),
                    month: ready_month.get(p.id.as_str()).copied().unwrap_or(0),
                    quantity: *quantity,
                });
                participants.insert(p.nation.clone());
            }
            Offer::Enabler { kind, .. } => {
                // Airlift is priced as transport (per tonne-km and per passenger), not again here.
                if *kind != EnablerKind::Airlift {
                    enablers.push((p.nation.clone(), p.id.clone()));
                }
                participants.insert(p.nation.clone());
            }
            Offer::Units { .. } => {}
        }
    }
    Activity {
        horizon_months: horizon,
        troop_months,
        moves,
        releases,
        enablers,
        participants: participants.into_iter().collect(),
        steady_deployed: deployed.iter().map(|d| d.troops).sum(),
    }
}

/// The cost of `plan` (moved as `movement` says), or `None` when the scenario has no cost model.
pub fn cost_plan(
    scenario: &Scenario,
    plan: &SourcingPlan,
    movement: &MovementDto,
) -> Option<CostPlan> {
    let model = scenario.cost.as_ref()?;
    Some(guarantor_cost::cost(
        model,
        &scenario.nations,
        scenario.fair_share,
        &activity(scenario, plan, movement),
    ))
}

/// The JSON of a cost plan, each nation's own items shown under `shown(nation, pledge)` (a viewer's withheld
/// pledges under `withheld`) and its payments under `payer(nation)`.
pub fn cost_dto(
    scenario: &Scenario,
    c: &CostPlan,
    not_costed: Vec<NotArrivedDto>,
    shown: &dyn Fn(&NationCode, Option<&PledgeId>) -> String,
    payer: &dyn Fn(&NationCode) -> String,
) -> Option<CostDto> {
    let model = scenario.cost.as_ref()?;
    let years = f64::from(c.horizon_months.max(1)) / 12.0;
    let flows = c.flows_by(|n, p| shown(n, p), |n| payer(n));
    let mut full: BTreeMap<String, f64> = BTreeMap::new();
    for (n, p, e) in &c.full {
        *full.entry(shown(n, Some(p))).or_default() += e.best;
    }
    let order: Vec<String> = scenario
        .nations
        .iter()
        .map(|n| n.code.to_string())
        .chain([crate::access::WITHHELD.to_owned()])
        .collect();
    let mut nations = Vec::new();
    for code in &order {
        let Some(months) = flows.get(code) else {
            continue;
        };
        let total = guarantor_cost::sum(months);
        let nation = NationCode::new(code).ok();
        let n = nation.as_ref().and_then(|c| scenario.nation(c));
        let share_of = |map: &BTreeMap<NationCode, f64>| {
            nation
                .as_ref()
                .and_then(|c| map.get(c))
                .copied()
                .unwrap_or(0.0)
        };
        let fair_share = (c.total.best * share_of(&c.fair_shares)).round();
        nations.push(NationCostDto {
            nation: code.clone(),
            key_share: (share_of(&c.key_shares) * 1e6).round() / 1e6,
            own: EstimateDto::of(total.own),
            paid_in: EstimateDto::of(total.paid_in),
            reimbursed: EstimateDto::of(total.reimbursed),
            net: EstimateDto::of(total.net),
            fair_share,
            net_over_fair_share: (fair_share > 0.0)
                .then(|| (total.net.best / fair_share * 1000.0).round() / 1000.0),
            // Fractions to 8 decimals: a short decimal reads back as the same number everywhere.
            share_of_defence: n
                .filter(|n| n.defence_usd_bn > 0.0)
                .map(|n| fraction(total.net.best / years / (n.defence_usd_bn * 1e9))),
            share_of_gdp: n
                .filter(|n| n.gdp_usd_bn > 0.0)
                .map(|n| fraction(total.net.best / years / (n.gdp_usd_bn * 1e9))),
            full_cost: full.get(code).copied().unwrap_or(0.0).round(),
            months: months
                .iter()
                .enumerate()
                .map(|(m, f)| NationMonthDto {
                    month: m as u32,
                    own: f.own.best.round(),
                    paid_in: f.paid_in.best.round(),
                    reimbursed: f.reimbursed.best.round(),
                    net: f.net.best.round(),
                })
                .collect(),
        });
    }
    // By category, in the order items come (troops, transport, one-offs, materiel, enablers).
    let mut by_category: Vec<(&'static str, Estimate)> = Vec::new();
    for it in &c.items {
        let name = it.category.as_str();
        match by_category.iter_mut().find(|(n, _)| *n == name) {
            Some((_, sum)) => *sum = sum.plus(it.amount),
            None => by_category.push((name, it.amount)),
        }
    }
    let categories = by_category
        .into_iter()
        .map(|(category, amount)| CategoryDto {
            category,
            amount: EstimateDto::of(amount),
        })
        .collect();
    // A warning about a pledge the viewer may not see names neither the pledge nor its nation.
    let warnings = c
        .warnings
        .iter()
        .map(|w| {
            let (CostWarning::DepletedStock { nation, pledge, .. }
            | CostWarning::NotPriced { nation, pledge }) = w;
            if shown(nation, Some(pledge)) == nation.as_str() {
                w.to_string()
            } else {
                match w {
                    CostWarning::DepletedStock { .. } => {
                        "a withheld pledge is more of its nation's stock than the model's threshold"
                    }
                    CostWarning::NotPriced { .. } => {
                        "a withheld pledge is live but has no price: not costed"
                    }
                }
                .to_owned()
            }
        })
        .collect();
    Some(CostDto {
        currency: model.currency.clone(),
        price_year: model.price_year,
        rule: model.financing.rule.as_str(),
        key: model.financing.key.as_str(),
        horizon_months: c.horizon_months,
        total: EstimateDto::of(c.total),
        per_year: EstimateDto::of(c.total.scale(1.0 / years)),
        full_cost: full.values().sum::<f64>().round(),
        categories,
        months: c.months.iter().map(|m| EstimateDto::of(*m)).collect(),
        pool: c.pool.iter().map(|p| p.best.round()).collect(),
        nations,
        not_costed,
        warnings,
    })
}

/// `x` to 8 decimals.
fn fraction(x: f64) -> f64 {
    (x * 1e8).round() / 1e8
}

/// Cheapest routes for cargo over the network, by the best rate of each link's mode.
struct Routes<'s> {
    scenario: &'s Scenario,
    rates: Vec<(Mode, f64)>,
}

impl<'s> Routes<'s> {
    fn new(
        scenario: &'s Scenario,
        transport: Option<&guarantor_core::TransportCost>,
    ) -> Routes<'s> {
        Routes {
            scenario,
            rates: transport.map_or_else(Vec::new, |t| {
                t.per_tonne_km.iter().map(|(m, e)| (*m, e.best)).collect()
            }),
        }
    }

    /// `tonnes` over the cheapest route from node `origin` to `site`'s node (links that carry cargo, either
    /// way), as tonne-km by mode; nothing when there is no cargo, no origin or no route.
    fn tonne_km(&self, origin: Option<&str>, site: &str, tonnes: f64) -> Vec<(Mode, f64)> {
        let (Some(origin), Ok(site)) = (origin, SiteId::new(site)) else {
            return Vec::new();
        };
        let (Ok(from), Some(to)) = (NodeId::new(origin), self.scenario.site_node(&site)) else {
            return Vec::new();
        };
        if tonnes <= 0.0 || &from == to {
            return Vec::new();
        }
        let links = &self.scenario.network.links;
        let rate = |m: Mode| {
            self.rates
                .iter()
                .find(|(x, _)| *x == m)
                .map_or(1.0, |(_, r)| *r)
        };
        // Dijkstra over nodes; costs in thousandths of a unit of currency per tonne, as integers.
        let mut best: BTreeMap<&NodeId, (u64, Option<usize>)> = BTreeMap::new();
        let mut heap = BinaryHeap::new();
        best.insert(&from, (0, None));
        heap.push(std::cmp::Reverse((0u64, from.clone())));
        while let Some(std::cmp::Reverse((d, node))) = heap.pop() {
            if best.get(&node).is_some_and(|(b, _)| *b < d) {
                continue;
            }
            if &node == to {
                break;
            }
            for (i, l) in links
                .iter()
                .enumerate()
                .filter(|(_, l)| l.tonnes_per_day > 0.0)
            {
                let next = if l.from == node {
                    &l.to
                } else if l.to == node {
                    &l.from
                } else {
                    continue;
                };
                let w = (l.distance_km * rate(l.mode) * 1000.0).round() as u64;
                let nd = d + w;
                if best.get(next).is_none_or(|(b, _)| nd < *b) {
                    best.insert(next, (nd, Some(i)));
                    heap.push(std::cmp::Reverse((nd, next.clone())));
                }
            }
        }
        let mut km: BTreeMap<Mode, f64> = BTreeMap::new();
        let mut at = to;
        while let Some((_, Some(i))) = best.get(at) {
            let l = &links[*i];
            *km.entry(l.mode).or_default() += l.distance_km;
            at = if &l.to == at { &l.from } else { &l.to };
            if at == &from {
                break;
            }
        }
        if at != &from {
            return Vec::new();
        }
        km.into_iter().map(|(m, k)| (m, k * tonnes)).collect()
    }
}

/// What `plan`'s force costs in a year at the steady state, for the what-if: each sourced troop deployed all
/// year with its nation's cycle behind it (troop-months preparing or recovering: `(ratio − 1)` per deployed),
/// its changes of tour (twice its troops each `tour` months), and the enablers live in the plan's world state.
/// Not counted: the one-off costs, the first deployment and redeployment, materiel released (each once, not a
/// year's). `None` without a cost model.
pub fn steady_year(scenario: &Scenario, plan: &SourcingPlan) -> Option<Estimate> {
    let model = scenario.cost.as_ref()?;
    let mut yearly = model.clone();
    yearly.one_offs.clear();
    let mut troop_months = Vec::new();
    let mut moves = Vec::new();
    let mut participants: BTreeSet<NationCode> = BTreeSet::new();
    for line in &plan.lines {
        for a in &line.assignments {
            let (cycle, tour) = guarantor_rotation::cycle_of(scenario, &a.nation);
            let other = (a.troops as f64 * (cycle.ratio() - 1.0)).round() as u64;
            for month in 0..12 {
                troop_months.push(TroopMonths {
                    nation: a.nation.clone(),
                    pledge: a.pledge.clone(),
                    capability: line.capability.clone(),
                    month,
                    deployed: a.troops,
                    preparing_or_recovering: other,
                });
            }
            moves.push(Move {
                nation: a.nation.clone(),
                pledge: a.pledge.clone(),
                kind: MoveKind::Rotation,
                month: 0,
                passengers: (2.0 * a.troops as f64 * 12.0 / f64::from(tour)).round() as u64,
                tonne_km: Vec::new(),
            });
            participants.insert(a.nation.clone());
        }
    }
    let mut enablers = Vec::new();
    for p in scenario.pledges.iter().filter(|p| p.is_live(&plan.world)) {
        match &p.offer {
            Offer::Enabler { kind, .. } => {
                if *kind != EnablerKind::Airlift {
                    enablers.push((p.nation.clone(), p.id.clone()));
                }
                participants.insert(p.nation.clone());
            }
            Offer::Materiel { .. } => {
                participants.insert(p.nation.clone());
            }
            Offer::Units { .. } => {}
        }
    }
    let activity = Activity {
        horizon_months: 12,
        troop_months,
        moves,
        releases: Vec::new(),
        enablers,
        participants: participants.into_iter().collect(),
        steady_deployed: plan.filled_troops(),
    };
    Some(guarantor_cost::cost(&yearly, &scenario.nations, scenario.fair_share, &activity).total)
}

/// One element of a response and what it costs (`respond --json` `cost.elements[]`).
#[derive(Clone, Debug, Serialize)]
pub struct ResponseLineDto {
    /// The element's label (as `elements[]` has it).
    pub label: String,
    /// Its option.
    pub option: String,
    /// Whose (empty: the coalition's; `withheld` for what the viewer may not see).
    pub nation: String,
    /// `troops`, `sorties`, `missiles` or `ships`.
    pub kind: &'static str,
    /// How many of `unit` it uses over the horizon.
    pub quantity: f64,
    /// `troop-days`, `sorties`, `missiles` or `ship-days`.
    pub unit: &'static str,
    /// Troops already deployed in the plan: their troop-days are in the plan's cost; only the move is here.
    pub in_plan: bool,
    /// Its option has no price in cost.toml: not counted.
    pub unpriced: bool,
    /// Troop-days at the place.
    pub troops: EstimateDto,
    /// The move there.
    pub transport: EstimateDto,
    /// Sorties, missiles or ship-days.
    pub uses: EstimateDto,
    /// The three added up.
    pub total: EstimateDto,
    /// Visible only to its nation and to planners.
    pub restricted: bool,
}

/// One nation's share of a response's cost (costs lie where they fall).
#[derive(Clone, Debug, Serialize)]
pub struct ResponseNationDto {
    /// ISO alpha-3, empty for the coalition's, or `withheld`.
    pub nation: String,
    /// What it bears.
    pub amount: EstimateDto,
}

/// `respond --json` `cost`: what the response costs beyond the plan over its horizon.
#[derive(Clone, Debug, Serialize)]
pub struct ResponseCostDto {
    /// `USD`.
    pub currency: String,
    /// The price year.
    pub price_year: u32,
    /// Hours priced (the response's horizon).
    pub horizon_hours: u32,
    /// The whole response.
    pub total: EstimateDto,
    /// By nation.
    pub by_nation: Vec<ResponseNationDto>,
    /// Each element that costs: ground troops, sorties, missiles, ships.
    pub elements: Vec<ResponseLineDto>,
    /// What is not in the total, in words.
    pub notes: Vec<String>,
}

impl ResponseCostDto {
    /// The cost as someone sees it who may not see the restricted elements outside `own`: each such element's
    /// cost moves to one `withheld` line (and `withheld` by nation); the total stays true.
    pub fn withheld_from(&self, own: Option<&str>) -> ResponseCostDto {
        let mut out = self.clone();
        let (shown, hidden): (Vec<_>, Vec<_>) = self
            .elements
            .iter()
            .cloned()
            .partition(|e| !e.restricted || own == Some(e.nation.as_str()));
        out.elements = shown;
        if !hidden.is_empty() {
            let add = |f: fn(&ResponseLineDto) -> EstimateDto| {
                hidden
                    .iter()
                    .fold(EstimateDto::default(), |a, e| a.plus(f(e)))
            };
            out.elements.push(ResponseLineDto {
                label: crate::access::WITHHELD.to_owned(),
                option: crate::access::WITHHELD.to_owned(),
                nation: crate::access::WITHHELD.to_owned(),
                kind: "withheld",
                quantity: 0.0,
                unit: "",
                in_plan: false,
                unpriced: false,
                troops: add(|e| e.troops),
                transport: add(|e| e.transport),
                uses: add(|e| e.uses),
                total: add(|e| e.total),
                restricted: true,
            });
        }
        out.by_nation = by_nation(&out.elements);
        out
    }
}

impl EstimateDto {
    fn plus(self, o: EstimateDto) -> EstimateDto {
        EstimateDto {
            low: self.low + o.low,
            best: self.best + o.best,
            high: self.high + o.high,
        }
    }
}

/// Each nation's lines added up, in the order nations first appear.
fn by_nation(lines: &[ResponseLineDto]) -> Vec<ResponseNationDto> {
    let mut out: Vec<ResponseNationDto> = Vec::new();
    for l in lines {
        match out.iter_mut().find(|n| n.nation == l.nation) {
            Some(n) => n.amount = n.amount.plus(l.total),
            None => out.push(ResponseNationDto {
                nation: l.nation.clone(),
                amount: l.total,
            }),
        }
    }
    out
}

/// What response `r` to a contingency at `site` costs beyond the plan, `None` without a cost model. `sources`
/// are the ground forces the response drew on (a force unit already deployed is in the plan's cost: only its
/// move is priced; a home reserve flies its troops in at the passenger rate, others move with their vehicles).
pub fn response_cost(
    scenario: &Scenario,
    r: &guarantor_response::Response,
    site: &str,
    sources: &[guarantor_response::GroundSource],
) -> Option<ResponseCostDto> {
    use guarantor_core::ReserveKind;
    use guarantor_cost::{Line, Use};
    use guarantor_response::What;
    let model = scenario.cost.as_ref()?;
    let routes = Routes::new(scenario, Some(&model.transport));
    let horizon = r.horizon_hours;
    let days_from = |h: u32| f64::from(horizon.saturating_sub(h)) / 24.0;
    let mut lines = Vec::new();
    let mut shown = Vec::new();
    for e in &r.elements {
        let Some(first) = e.first_hour else { continue };
        let option = e.option.clone();
        let (what, kind, quantity, unit) = match &e.what {
            What::Troops {
                capability,
                troops,
                tonnes,
            } => {
                let source = sources.iter().find(|s| s.label == e.label);
                let in_plan =
                    source.is_some_and(|s| s.kind == ReserveKind::InTheatre && s.pledge.is_some());
                let flies = source.is_some_and(|s| s.kind == ReserveKind::Home);
                let days = days_from(e.ready_hour);
                (
                    Use::Troops {
                        capability: capability.clone(),
                        troops: *troops,
                        days,
                        in_plan,
                        passengers: if flies { *troops } else { 0 },
                        tonne_km: routes.tonne_km(
                            e.from.as_ref().map(|n| n.as_str()),
                            site,
                            *tonnes as f64,
                        ),
                    },
                    "troops",
                    *troops as f64 * days,
                    "troop-days",
                )
            }
            What::Sorties { per_day, .. } => {
                let n = per_day * days_from(first);
                (Use::Sorties { option, sorties: n }, "sorties", n, "sorties")
            }
            What::Missiles { missiles, per_day } => {
                // As the build-up counts them: a day's salvo at the first hour, then one each 24 hours.
                let salvos = u64::from(horizon.saturating_sub(1).saturating_sub(first)) / 24 + 1;
                let n = (u64::from(*per_day) * salvos).min(u64::from(*missiles));
                (
                    Use::Missiles {
                        option,
                        missiles: n,
                    },
                    "missiles",
                    n as f64,
                    "missiles",
                )
            }
            What::Ships { ships } => {
                let n = f64::from(*ships) * days_from(first);
                (
                    Use::Ships {
                        option,
                        ship_days: n,
                    },
                    "ships",
                    n,
                    "ship-days",
                )
            }
            What::Materiel { .. } | What::Measure => continue,
        };
        lines.push(Line {
            nation: e.nation.clone(),
            what,
        });
        shown.push((e, kind, quantity, unit));
    }
    let c = guarantor_cost::response_cost(model, &lines);
    let elements: Vec<ResponseLineDto> = shown
        .iter()
        .zip(&c.lines)
        .zip(&lines)
        .map(|(((e, kind, quantity, unit), lc), line)| ResponseLineDto {
            label: e.label.clone(),
            option: e.option.to_string(),
            nation: e.nation.as_ref().map(|n| n.to_string()).unwrap_or_default(),
            kind,
            quantity: (quantity * 10.0).round() / 10.0,
            unit,
            in_plan: matches!(line.what, Use::Troops { in_plan: true, .. }),
            unpriced: lc.unpriced,
            troops: EstimateDto::of(lc.troops),
            transport: EstimateDto::of(lc.transport),
            uses: EstimateDto::of(lc.uses),
            total: EstimateDto::of(lc.total()),
            restricted: e.restricted,
        })
        .collect();
    let mut notes = vec![
        "Stockpiles released are priced in the plan's cost (every live materiel pledge is released there), \
         not again here."
            .to_owned(),
        "Non-military measures (warnings, sanctions) have no budget cost here.".to_owned(),
    ];
    let unpriced: Vec<&str> = elements
        .iter()
        .filter(|l| l.unpriced)
        .map(|l| l.option.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if !unpriced.is_empty() {
        notes.push(format!(
            "No price in cost.toml for {} (`[[response_option]]`): not counted.",
            unpriced.join(", ")
        ));
    }
    Some(ResponseCostDto {
        currency: model.currency.clone(),
        price_year: model.price_year,
        horizon_hours: horizon,
        total: EstimateDto::of(c.total),
        by_nation: by_nation(&elements),
        elements,
        notes,
    })
}
