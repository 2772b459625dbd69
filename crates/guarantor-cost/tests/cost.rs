//! The cost engine on hand-worked cases, and what financing must never do: create or lose money.

use std::collections::BTreeSet;

use guarantor_core::{
    CapabilityId, CostKey, CostModel, EnablerCost, Estimate, FairShareKey, Financing,
    FinancingRule, MaterielValue, Mode, Nation, NationCode, NodeId, OneOff, OptionCost, PledgeId,
    TermId, TransportCost, TroopMonthCost,
};
use guarantor_cost::{
    Activity, CostWarning, DAYS_PER_MONTH, Line, Move, MoveKind, Release, TroopMonths, Use, cost,
    response_cost, sum,
};
use proptest::prelude::*;

fn code(c: &str) -> NationCode {
    NationCode::new(c).expect("a valid id")
}

fn nation(c: &str, gdp: f64, defence: f64, active: u32) -> Nation {
    Nation {
        code: code(c),
        name: c.to_owned(),
        memberships: BTreeSet::new(),
        population_m: 10.0,
        gdp_usd_bn: gdp,
        defence_usd_bn: defence,
        active_forces: active,
        acceptable_to: BTreeSet::new(),
        max_troops: None,
        parliament_vote_days: None,
        cycle: None,
        tour_months: None,
        next_election: None,
        home: NodeId::new("home").expect("a valid id"),
        notes: String::new(),
        source: "test".into(),
    }
}

fn model(rule: FinancingRule, key: CostKey) -> CostModel {
    CostModel {
        currency: "USD".into(),
        price_year: 2025,
        stock_warn_share: 0.25,
        troop_months: vec![TroopMonthCost {
            capability: None,
            deployed: Estimate {
                low: 1000.0,
                best: 6000.0,
                high: 20000.0,
            },
            preparing_or_recovering: Estimate {
                low: 0.0,
                best: 500.0,
                high: 2000.0,
            },
            source: "test".into(),
        }],
        nation_factors: vec![],
        transport: TransportCost {
            per_tonne_km: vec![
                (Mode::Rail, Estimate::exact(0.1)),
                (Mode::Road, Estimate::exact(0.2)),
            ],
            per_passenger: Estimate::exact(100.0),
            source: "test".into(),
        },
        one_offs: vec![OneOff {
            id: "camps".into(),
            name: "camps".into(),
            amount: Estimate::exact(1_000.0),
            per_troop: true,
            month: 0,
            nation: None,
            common: true,
            source: "test".into(),
        }],
        materiel: vec![],
        enablers: vec![EnablerCost {
            pledge: PledgeId::new("bbb-isr").expect("a valid id"),
            per_month: Estimate::exact(50_000.0),
            common: false,
            source: "test".into(),
        }],
        options: vec![OptionCost {
            option: TermId::new("jets").expect("a valid id"),
            per_use: Estimate {
                low: 20_000.0,
                best: 30_000.0,
                high: 60_000.0,
            },
            source: "test".into(),
        }],
        financing: Financing {
            rule,
            key,
            table: vec![(code("AAA"), 0.25), (code("BBB"), 0.75)],
            reimbursement: Estimate::exact(1_428.0),
            source: "test".into(),
        },
        source: "test".into(),
    }
}

fn nations() -> Vec<Nation> {
    vec![
        nation("AAA", 300.0, 6.0, 100_000),
        nation("BBB", 100.0, 2.0, 20_000),
    ]
}

/// AAA keeps 100 troops deployed in months 0–2 and 100 preparing in month 0; BBB's ISR is live.
fn activity() -> Activity {
    let tm = |month, deployed, other| TroopMonths {
        nation: code("AAA"),
        pledge: PledgeId::new("aaa-inf").expect("a valid id"),
        capability: CapabilityId::new("inf").expect("a valid id"),
        month,
        deployed,
        preparing_or_recovering: other,
    };
    Activity {
        horizon_months: 3,
        troop_months: vec![tm(0, 100, 100), tm(1, 100, 0), tm(2, 100, 0)],
        moves: vec![Move {
            nation: code("AAA"),
            pledge: PledgeId::new("aaa-inf").expect("a valid id"),
            kind: MoveKind::Deploy,
            month: 0,
            passengers: 100,
            tonne_km: vec![
                (Mode::Rail, 1_000.0),
                (Mode::Road, 500.0),
                (Mode::Air, 10.0),
            ],
        }],
        releases: vec![],
        enablers: vec![(code("BBB"), PledgeId::new("bbb-isr").expect("a valid id"))],
        participants: vec![code("AAA"), code("BBB")],
        steady_deployed: 100,
    }
}

#[test]
fn costs_lie_where_they_fall_and_the_common_items_follow_the_key() {
    let c = cost(
        &model(FinancingRule::LieWhereTheyFall, CostKey::Gdp),
        &nations(),
        FairShareKey::Gdp,
        &activity(),
    );
    // AAA: 300 troop-months deployed at 6,000 and 100 preparing at 500; 100 passengers at 100 and
    // 1,000 t·km by rail at 0.1 and 500 by road at 0.2 (no air rate: not priced). BBB: ISR 3 × 50,000.
    // Camps: 100 troops × 1,000, common, by GDP 3:1.
    let f = c.flows_by(|n, _| n.to_string(), |n| n.to_string());
    let aaa = sum(&f["AAA"]);
    let bbb = sum(&f["BBB"]);
    assert_eq!(
        aaa.own.best,
        300.0 * 6000.0 + 100.0 * 500.0 + 100.0 * 100.0 + 100.0 + 100.0
    );
    assert_eq!(aaa.paid_in.best, 75_000.0);
    assert_eq!(bbb.own.best, 150_000.0);
    assert_eq!(bbb.paid_in.best, 25_000.0);
    assert_eq!(aaa.reimbursed.best + bbb.reimbursed.best, 0.0);
    assert_eq!(aaa.net.best + bbb.net.best, c.total.best);
    assert_eq!(c.total.best, 1_860_200.0 + 100_000.0 + 150_000.0);
    // The low end: 300 × 1,000, nothing for preparing.
    assert_eq!(aaa.own.low, 300_000.0 + 10_000.0 + 200.0);
    // Fair shares by the scenario's key over the nations taking part.
    assert_eq!(c.fair_shares[&code("AAA")], 0.75);
    // Full cost: 400 troop-months at 6 bn / 100,000 / 12 = 5,000.
    let full: f64 = c.full.iter().map(|(_, _, e)| e.best).sum();
    assert_eq!(full, 400.0 * 5_000.0);
}

#[test]
fn a_common_fund_reimburses_contributors_per_troop_month_deployed() {
    let c = cost(
        &model(FinancingRule::Reimburse, CostKey::Table),
        &nations(),
        FairShareKey::Gdp,
        &activity(),
    );
    let f = c.flows_by(|n, _| n.to_string(), |n| n.to_string());
    let (aaa, bbb) = (sum(&f["AAA"]), sum(&f["BBB"]));
    // 300 troop-months × 1,428 back to AAA; the fund (that and the camps' 100,000) paid 1:3 by the table.
    assert_eq!(aaa.reimbursed.best, 428_400.0);
    let fund = 428_400.0 + 100_000.0;
    assert_eq!(aaa.paid_in.best, fund * 0.25);
    assert_eq!(bbb.paid_in.best, fund * 0.75);
    assert!((aaa.net.best + bbb.net.best - c.total.best).abs() < 1e-6);
}

#[test]
fn shown_under_another_name_a_pledge_moves_its_costs_not_its_nations_payments() {
    let c = cost(
        &model(FinancingRule::Reimburse, CostKey::Gdp),
        &nations(),
        FairShareKey::Gdp,
        &activity(),
    );
    let f = c.flows_by(
        |n, p| {
            if p.is_some_and(|p| p.as_str() == "aaa-inf") {
                "withheld".to_owned()
            } else {
                n.to_string()
            }
        },
        |n| n.to_string(),
    );
    let (aaa, withheld) = (sum(&f["AAA"]), sum(&f["withheld"]));
    assert_eq!(aaa.own.best, 0.0);
    assert!(aaa.paid_in.best > 0.0);
    assert_eq!(withheld.reimbursed.best, 428_400.0);
    let nets: f64 = f.values().map(|m| sum(m).net.best).sum();
    assert!((nets - c.total.best).abs() < 1e-6);
}

#[test]
fn materiel_is_valued_and_a_pledge_beyond_the_stock_threshold_is_warned_of() {
    let mut m = model(FinancingRule::LieWhereTheyFall, CostKey::Gdp);
    let value = |pledge: &str, share: Option<f64>| MaterielValue {
        pledge: PledgeId::new(pledge).expect("a valid id"),
        per_item: Estimate::exact(1_000.0),
        replacement: Estimate {
            low: 1.0,
            best: 1.5,
            high: 2.0,
        },
        stock_share: share,
        source: "test".into(),
    };
    m.materiel = vec![value("aaa-guns", Some(0.4)), value("bbb-guns", Some(0.2))];
    let mut a = activity();
    for (nation, pledge) in [
        ("AAA", "aaa-guns"),
        ("BBB", "bbb-guns"),
        ("BBB", "bbb-shells"),
    ] {
        a.releases.push(Release {
            nation: code(nation),
            pledge: PledgeId::new(pledge).expect("a valid id"),
            month: 1,
            quantity: 10,
        });
    }
    let c = cost(&m, &nations(), FairShareKey::Gdp, &a);
    // 40% of AAA's stock is above the 25% threshold; 20% is not; a release with no price is said, not costed.
    assert_eq!(
        c.warnings,
        vec![
            CostWarning::DepletedStock {
                nation: code("AAA"),
                pledge: PledgeId::new("aaa-guns").expect("a valid id"),
                share: 0.4,
                limit: 0.25,
            },
            CostWarning::NotPriced {
                nation: code("BBB"),
                pledge: PledgeId::new("bbb-shells").expect("a valid id"),
            },
        ]
    );
    assert!(
        c.warnings[0]
            .to_string()
            .contains("40% of the nation's own stock")
    );
}

#[test]
fn a_response_prices_troop_days_moves_and_uses_and_lists_what_has_no_price() {
    let m = model(FinancingRule::LieWhereTheyFall, CostKey::Gdp);
    let troops = |in_plan: bool| Use::Troops {
        capability: CapabilityId::new("inf").expect("a valid id"),
        troops: 100,
        days: DAYS_PER_MONTH / 2.0,
        in_plan,
        passengers: 100,
        tonne_km: vec![(Mode::Road, 1_000.0), (Mode::Rail, 10_000.0)],
    };
    let lines = vec![
        Line {
            nation: Some(code("AAA")),
            what: troops(false),
        },
        Line {
            nation: Some(code("AAA")),
            what: troops(true),
        },
        Line {
            nation: Some(code("BBB")),
            what: Use::Sorties {
                option: TermId::new("jets").expect("a valid id"),
                sorties: 10.0,
            },
        },
        Line {
            nation: Some(code("BBB")),
            what: Use::Missiles {
                option: TermId::new("missiles").expect("a valid id"),
                missiles: 4,
            },
        },
    ];
    let c = response_cost(&m, &lines);
    // Half a month of 100 troops at 6,000 a troop-month; 100 passengers at 100, 1,000 t-km road at 0.2 and
    // 10,000 t-km rail at 0.1.
    assert_eq!(c.lines[0].troops.best, 300_000.0);
    assert_eq!(c.lines[0].transport.best, 10_000.0 + 200.0 + 1_000.0);
    // Already deployed: only the move.
    assert_eq!(c.lines[1].troops.best, 0.0);
    assert_eq!(c.lines[1].total().best, 11_200.0);
    assert_eq!(
        (
            c.lines[2].uses.low,
            c.lines[2].uses.best,
            c.lines[2].uses.high
        ),
        (200_000.0, 300_000.0, 600_000.0)
    );
    assert!(c.lines[3].unpriced && c.lines[3].total().best == 0.0);
    assert_eq!(c.by_nation[&Some(code("AAA"))].best, 322_400.0);
    assert_eq!(c.by_nation[&Some(code("BBB"))].best, 300_000.0);
    assert_eq!(c.total.best, 622_400.0);
}

proptest! {
    #[test]
    fn financing_never_creates_or_loses_money(
        rule in prop::sample::select(FinancingRule::ALL.to_vec()),
        key in prop::sample::select(CostKey::ALL.to_vec()),
        troops in prop::collection::vec((0u32..3, 0u64..500, 0u64..500, any::<bool>()), 0..12),
        bbb_takes_part in any::<bool>(),
    ) {
        let mut a = activity();
        a.troop_months = troops
            .iter()
            .map(|(m, d, o, whose)| TroopMonths {
                nation: code(if *whose { "AAA" } else { "BBB" }),
                pledge: PledgeId::new(if *whose { "aaa-inf" } else { "bbb-inf" }).expect("a valid id"),
                capability: CapabilityId::new("inf").expect("a valid id"),
                month: *m,
                deployed: *d,
                preparing_or_recovering: *o,
            })
            .collect();
        if !bbb_takes_part {
            a.participants.retain(|n| n.as_str() == "AAA");
        }
        let c = cost(&model(rule, key), &nations(), FairShareKey::Gdp, &a);
        let f = c.flows_by(|n, _| n.to_string(), |n| n.to_string());
        for pick in [|e: Estimate| e.low, |e: Estimate| e.best, |e: Estimate| e.high] {
            let nets: f64 = f.values().map(|m| pick(sum(m).net)).sum();
            let total = pick(c.total);
            prop_assert!((nets - total).abs() <= 1e-6 * total.max(1.0), "{nets} vs {total}");
        }
    }
}

#[test]
fn a_nations_one_off_is_priced_only_when_it_sends_troops() {
    let mut m = model(FinancingRule::LieWhereTheyFall, CostKey::Gdp);
    for (id, who) in [("aaa-preparation", "AAA"), ("bbb-preparation", "BBB")] {
        m.one_offs.push(OneOff {
            id: id.into(),
            name: id.into(),
            amount: Estimate::exact(7_000.0),
            per_troop: false,
            month: 0,
            nation: Some(code(who)),
            common: false,
            source: "test".into(),
        });
    }
    let with = cost(&m, &nations(), FairShareKey::Gdp, &activity());
    let without = cost(
        &model(FinancingRule::LieWhereTheyFall, CostKey::Gdp),
        &nations(),
        FairShareKey::Gdp,
        &activity(),
    );
    // AAA sends troops: its preparation is priced. BBB only has an enabler live: its is not.
    let f = with.flows_by(|n, _| n.to_string(), |n| n.to_string());
    let g = without.flows_by(|n, _| n.to_string(), |n| n.to_string());
    assert_eq!(sum(&f["AAA"]).own.best, sum(&g["AAA"]).own.best + 7_000.0);
    assert_eq!(sum(&f["BBB"]).own.best, sum(&g["BBB"]).own.best);
    assert_eq!(with.total.best, without.total.best + 7_000.0);
}
