//! Property tests of the sourcing engine against independent oracles: brute-force enumeration on tiny random
//! instances (with the independent checker deciding feasibility), monotonicity in the pledges, determinism.

use std::collections::BTreeSet;

use geo_types::{MultiLineString, MultiPolygon, Point};
use guarantor_core::*;
use guarantor_sourcing::{Assignment, LinePlan, Objectives, SourcingPlan, check_plan, source};
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct PledgeSpec {
    nation: usize,
    capability: usize,
    count: u32,
    roles: Option<Vec<Role>>,
    regions: Option<Vec<usize>>,
}

#[derive(Clone, Debug)]
struct LineSpec {
    capability: usize,
    site: usize,
    count: u32,
    role: Role,
    essential: bool,
    min_nations: u32,
    both_parties: bool,
}

#[derive(Clone, Debug)]
struct Spec {
    caps: Vec<Option<u32>>,
    russia_accepts: Vec<bool>,
    pledges: Vec<PledgeSpec>,
    lines: Vec<LineSpec>,
}

const ROLES: [Role; 2] = [Role::Protection, Role::Reassurance];
const CODES: [&str; 3] = ["AAA", "BBB", "CCC"];

fn spec() -> impl Strategy<Value = Spec> {
    let pledge = (
        0..3usize,
        0..2usize,
        1..3u32,
        proptest::option::of(proptest::sample::subsequence(ROLES.to_vec(), 1..=2)),
        proptest::option::of(proptest::sample::subsequence(vec![0usize, 1], 1..=2)),
    )
        .prop_map(|(nation, capability, count, roles, regions)| PledgeSpec {
            nation,
            capability,
            count,
            roles,
            regions,
        });
    let line = (
        0..2usize,
        0..2usize,
        1..3u32,
        proptest::sample::select(ROLES.to_vec()),
        any::<bool>(),
        1..3u32,
        proptest::bool::weighted(0.2),
    )
        .prop_map(
            |(capability, site, count, role, essential, min_nations, both_parties)| LineSpec {
                capability,
                site,
                count,
                role,
                essential,
                min_nations,
                both_parties,
            },
        );
    (
        proptest::collection::vec(
            proptest::option::of(prop_oneof![Just(100u32), Just(200), Just(300)]),
            3,
        ),
        proptest::collection::vec(any::<bool>(), 3),
        proptest::collection::vec(pledge, 1..=3),
        proptest::collection::vec(line, 1..=3),
    )
        .prop_map(|(caps, russia_accepts, pledges, lines)| Spec {
            caps,
            russia_accepts,
            pledges,
            lines,
        })
}

fn id<T>(r: Result<T, IdError>) -> T {
    r.expect("test ids are valid")
}

fn build(spec: &Spec) -> Scenario {
    let personnel = [100u32, 60];
    let capabilities = (0..2)
        .map(|c| Capability {
            id: id(CapabilityId::new(&format!("cap{c}"))),
            name: format!("capability {c}"),
            echelon: Echelon::Company,
            sign: Sign::Infantry,
            personnel: personnel[c],
            vehicles: 1,
            tonnes: 10.0,
            domains: [Domain::Land].into(),
            roles: ROLES.into_iter().collect(),
            source: "test".into(),
        })
        .collect();
    let nations = (0..3)
        .map(|n| Nation {
            code: id(NationCode::new(CODES[n])),
            name: CODES[n].into(),
            memberships: BTreeSet::new(),
            population_m: 10.0 * (n + 1) as f64,
            gdp_usd_bn: 100.0 * (n + 1) as f64,
            defence_usd_bn: 1.0,
            active_forces: 10_000,
            acceptable_to: if spec.russia_accepts[n] {
                [Party::Ukraine, Party::Russia].into()
            } else {
                [Party::Ukraine].into()
            },
            max_troops: spec.caps[n],
            parliament_vote_days: None,
            cycle: None,
            tour_months: None,
            next_election: None,
            home: id(NodeId::new("home")),
            notes: String::new(),
            source: "test".into(),
        })
        .collect();
    let sites = (0..2)
        .map(|s| Site {
            id: id(SiteId::new(&format!("site{s}"))),
            name: format!("site {s}"),
            kind: SiteKind::Energy,
            country: id(NationCode::new("UKR")),
            location: Point::new(30.0 + s as f64, 49.0),
            region: id(RegionId::new(&format!("region{s}"))),
            area: None,
            protection: String::new(),
            source: "test".into(),
        })
        .collect();
    let pledges = spec
        .pledges
        .iter()
        .enumerate()
        .map(|(i, p)| Pledge {
            id: id(PledgeId::new(&format!("p{i}"))),
            nation: id(NationCode::new(CODES[p.nation])),
            offer: Offer::Units {
                capability: id(CapabilityId::new(&format!("cap{}", p.capability))),
                count: p.count,
            },
            notice_days: 10 * i as u32,
            sustain_months: None,
            rotations: None,
            status: PledgeStatus::Offered,
            condition: Condition::True,
            restricted: false,
            caveats: Caveats {
                roles: p.roles.as_ref().map(|r| r.iter().copied().collect()),
                regions: p.regions.as_ref().map(|r| {
                    r.iter()
                        .map(|s| id(RegionId::new(&format!("region{s}"))))
                        .collect()
                }),
                min_km_from_line: None,
                domains: None,
                restricted: false,
            },
            source: "test".into(),
        })
        .collect();
    let requirements = spec
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| Requirement {
            id: id(RequirementId::new(&format!("r{i}"))),
            capability: id(CapabilityId::new(&format!("cap{}", l.capability))),
            count: l.count,
            site: id(SiteId::new(&format!("site{}", l.site))),
            phase: id(PhaseId::new("p")),
            priority: if l.essential {
                Priority::Essential
            } else {
                Priority::Desirable
            },
            role: l.role,
            min_nations: l.min_nations,
            acceptable_to: if l.both_parties {
                [Party::Ukraine, Party::Russia].into()
            } else {
                BTreeSet::new()
            },
            framework: false,
            source: "test".into(),
        })
        .collect();
    Scenario {
        name: "random".into(),
        description: String::new(),
        fair_share: FairShareKey::Gdp,
        mission: Mission {
            name: "m".into(),
            purposes: BTreeSet::new(),
            phases: vec![],
            standoff_km: 0.0,
            tour_months: 6,
            horizon_months: 12,
            cycle: Cycle::THIRDS,
            max_active_share: Mission::DEFAULT_MAX_ACTIVE_SHARE,
            ioc_fill: 0.5,
            foc_fill: 0.9,
            source: "test".into(),
        },
        facts: vec![],
        nations,
        capabilities,
        pledges,
        sites,
        requirements,
        network: Network::default(),
        terms: Terms {
            name: "t".into(),
            coverage: Coverage::General,
            categories: BTreeSet::new(),
            effective: jiff::civil::date(2026, 12, 1),
            buffer_zones: vec![],
            protected_sites: vec![],
            windows: vec![],
            escalation: vec![],
            rules: vec![],
            source: "test".into(),
        },
        cost: None,
        courses: Vec::new(),
        response: Default::default(),
        theatre: Theatre {
            contact_line: MultiLineString::new(vec![]),
            occupied_area: MultiPolygon::new(vec![]),
            ..Theatre::default()
        },
        source: "test".into(),
    }
}

/// (essential filled, desirable filled) troops of a plan.
fn fill(plan: &SourcingPlan) -> (u64, u64) {
    let mut e = 0;
    let mut d = 0;
    for l in &plan.lines {
        if l.priority == Priority::Essential {
            e += l.filled_troops()
        } else {
            d += l.filled_troops()
        }
    }
    (e, d)
}

/// The best (essential, desirable) fill over every assignment the checker accepts.
fn brute_force(s: &Scenario) -> (u64, u64) {
    let mut pairs = Vec::new();
    for p in &s.pledges {
        let Offer::Units { capability, count } = &p.offer else {
            continue;
        };
        for r in &s.requirements {
            if &r.capability == capability {
                pairs.push((p, r, (*count).min(r.count)));
            }
        }
    }
    let mut best = (0, 0);
    let mut units = vec![0u32; pairs.len()];
    loop {
        let lines = s
            .requirements
            .iter()
            .map(|r| {
                let personnel = s
                    .capability(&r.capability)
                    .expect("capability exists")
                    .personnel;
                LinePlan {
                    requirement: r.id.clone(),
                    capability: r.capability.clone(),
                    site: r.site.clone(),
                    priority: r.priority,
                    required_units: r.count,
                    personnel_per_unit: personnel,
                    assignments: pairs
                        .iter()
                        .zip(&units)
                        .filter(|((_, pr, _), u)| pr.id == r.id && **u > 0)
                        .map(|((p, _, _), u)| Assignment {
                            nation: p.nation.clone(),
                            pledge: p.id.clone(),
                            units: *u,
                            troops: u64::from(*u) * u64::from(personnel),
                        })
                        .collect(),
                    shortfall_reasons: vec![],
                }
            })
            .collect();
        let mut plan = SourcingPlan {
            world: WorldState::default(),
            lines,
            nations: vec![],
            sites: vec![],
            objectives: Objectives {
                essential_shortfall_troops: 0,
                desirable_shortfall_troops: 0,
                nation_site_pairs: None,
                framework_troops: None,
                fair_share_deviation_troops: None,
                readiness_troop_days: None,
                goals: vec![],
                stopped_at: None,
                stopped_why: None,
            },
        };
        plan.nations = s
            .nations
            .iter()
            .map(|n| guarantor_sourcing::NationLoad {
                nation: n.code.clone(),
                troops: plan
                    .lines
                    .iter()
                    .flat_map(|l| &l.assignments)
                    .filter(|a| a.nation == n.code)
                    .map(|a| a.troops)
                    .sum(),
                fair_share_troops: 0,
                cap: n.max_troops,
            })
            .collect();
        if check_plan(s, &plan).is_empty() {
            best = best.max(fill(&plan));
        }
        // Next assignment vector (odometer).
        let mut i = 0;
        loop {
            if i == units.len() {
                return best;
            }
            if units[i] < pairs[i].2 {
                units[i] += 1;
                break;
            }
            units[i] = 0;
            i += 1;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn the_optimum_equals_brute_force_and_the_checker_accepts_it(spec in spec()) {
        let s = build(&spec);
        let plan = source(&s, &WorldState::default()).unwrap();
        prop_assert_eq!(check_plan(&s, &plan), vec![]);
        prop_assert_eq!(fill(&plan), brute_force(&s));
    }

    #[test]
    fn adding_a_pledge_never_lowers_the_fill(spec in spec(), extra in (0..3usize, 0..2usize, 1..3u32)) {
        let s = build(&spec);
        let before = fill(&source(&s, &WorldState::default()).unwrap());
        let mut more = spec.clone();
        more.pledges.push(PledgeSpec { nation: extra.0, capability: extra.1, count: extra.2, roles: None, regions: None });
        let s2 = build(&more);
        let plan = source(&s2, &WorldState::default()).unwrap();
        prop_assert_eq!(check_plan(&s2, &plan), vec![]);
        let after = fill(&plan);
        prop_assert!(after >= before, "before {:?}, after {:?}", before, after);
    }

    #[test]
    fn the_same_input_gives_the_same_plan(spec in spec()) {
        let s = build(&spec);
        let a = source(&s, &WorldState::default()).unwrap();
        let b = source(&s, &WorldState::default()).unwrap();
        prop_assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }
}
