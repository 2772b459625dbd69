//! The movement engine on small networks worked out by hand, and on the default scenario's network.

use std::sync::LazyLock;

use geo_types::Point;
use guarantor_core::{Link, LinkId, Mode, NationCode, Network, Node, NodeId, NodeKind, Scenario};
use guarantor_movement::{
    BottleneckAt, Commodity, Load, Mover, NotClosed, Route, StepNet, movement,
};

fn node(id: &str, troops: u32, tonnes: f64) -> Node {
    Node {
        id: NodeId::new(id).expect("valid id"),
        name: id.into(),
        kind: NodeKind::StagingHub,
        country: NationCode::new("POL").expect("valid code"),
        location: Point::new(22.0, 50.0),
        reception_troops_per_day: troops,
        reception_tonnes_per_day: tonnes,
        site: None,
        source: "test".into(),
    }
}

fn link(from: &str, to: &str, days: f64, troops: u32, tonnes: f64) -> Link {
    Link {
        id: LinkId::new(&format!("{from}-{to}")).expect("valid id"),
        from: NodeId::new(from).expect("valid id"),
        to: NodeId::new(to).expect("valid id"),
        mode: Mode::Rail,
        distance_km: days * 500.0,
        speed_km_per_day: 500.0,
        troops_per_day: troops,
        tonnes_per_day: tonnes,
        source: "test".into(),
    }
}

fn load(id: &str, from: &str, to: &str, troops: u64, tonnes: u64, ready: u32, order: u32) -> Load {
    Load {
        id: id.into(),
        route: Route::Network {
            origin: NodeId::new(from).expect("valid id"),
            destination: NodeId::new(to).expect("valid id"),
        },
        troops,
        tonnes,
        ready_day: ready,
        order,
    }
}

/// home → hub (2 days) → site (1 day); the hub receives 1,000 troops and 500 t a day.
fn line() -> Network {
    Network {
        nodes: vec![
            node("home", 100_000, 100_000.0),
            node("hub", 1_000, 500.0),
            node("site", 100_000, 100_000.0),
        ],
        links: vec![
            link("home", "hub", 2.0, 5_000, 5_000.0),
            link("hub", "site", 1.0, 5_000, 5_000.0),
        ],
        reserves: Vec::new(),
    }
}

#[test]
fn a_unit_on_an_empty_network_takes_the_transit_time() {
    let m = movement(&line(), &[load("a", "home", "site", 500, 0, 4, 0)], 30).unwrap();
    assert_eq!(m.loads[0].arrival_day, Some(4 + 2 + 1));
    assert_eq!(m.closure_curve, vec![(7, 500)]);
}

#[test]
fn reception_capacity_spreads_a_large_unit_over_days() {
    // 2,500 troops through a hub that receives 1,000 a day: days 2, 3 and 4 at the hub, the last on day 5.
    let m = movement(&line(), &[load("a", "home", "site", 2_500, 0, 0, 0)], 30).unwrap();
    assert_eq!(m.loads[0].troops_day, Some(5));
    let hub = m
        .bottlenecks
        .iter()
        .find(|b| {
            b.at == BottleneckAt::Node {
                node: NodeId::new("hub").unwrap(),
            }
        })
        .expect("the hub ran full");
    assert_eq!(
        (hub.commodity, hub.days_full, hub.first_day, hub.last_day),
        (Commodity::Troops, 2, 2, 3)
    );
}

#[test]
fn a_unit_closes_when_its_cargo_has_arrived_too() {
    // 600 troops pass in a day; 1,200 t at 500 t a day take three.
    let m = movement(&line(), &[load("a", "home", "site", 600, 1_200, 0, 0)], 30).unwrap();
    assert_eq!(m.loads[0].troops_day, Some(3));
    assert_eq!(m.loads[0].tonnes_day, Some(5));
    assert_eq!(m.loads[0].arrival_day, Some(5));
}

#[test]
fn an_earlier_class_keeps_the_capacity_it_takes() {
    // Both want the hub's 1,000 a day from day 2; the class-0 load goes first even though it is listed second.
    let loads = [
        load("late", "home", "site", 1_000, 0, 0, 1),
        load("first", "home", "site", 1_000, 0, 0, 0),
    ];
    let m = movement(&line(), &loads, 30).unwrap();
    assert_eq!(m.loads[1].arrival_day, Some(3));
    assert_eq!(m.loads[0].arrival_day, Some(4));
}

#[test]
fn loads_that_cannot_close_say_why() {
    let mut net = line();
    net.nodes.push(node("island", 1_000, 1_000.0));
    let loads = [
        load("cut-off", "island", "site", 100, 0, 0, 0),
        load("too-late", "home", "site", 100, 0, 9, 0),
    ];
    let m = movement(&net, &loads, 10).unwrap();
    assert_eq!(m.loads[0].not_closed, Some(NotClosed::Unreachable));
    assert_eq!(m.loads[1].not_closed, Some(NotClosed::Horizon));
    assert!(m.loads.iter().all(|o| o.arrival_day.is_none()));
    assert!(m.closure_curve.is_empty());
}

#[test]
fn links_carry_traffic_both_ways() {
    // The link is written hub → home; a load from home still uses it.
    let mut net = line();
    net.links[0] = link("hub", "home", 2.0, 5_000, 5_000.0);
    let m = movement(&net, &[load("a", "home", "site", 100, 0, 0, 0)], 30).unwrap();
    assert_eq!(m.loads[0].arrival_day, Some(3));
}

#[test]
fn ships_and_aircraft_move_themselves() {
    let own = Load {
        id: "frigate".into(),
        route: Route::Own { days: 6 },
        troops: 180,
        tonnes: 200,
        ready_day: 10,
        order: 0,
    };
    let m = movement(&line(), &[own], 30).unwrap();
    assert_eq!(m.loads[0].arrival_day, Some(16));
    assert!(m.bottlenecks.is_empty());
}

fn mover(at: &str, ready: u32, troops: u64) -> Mover {
    Mover {
        node: NodeId::new(at).expect("valid id"),
        ready_step: ready,
        troops,
        tonnes: 0,
    }
}

#[test]
fn alone_in_days_counts_notice_and_transit_and_a_unit_at_the_place_is_there() {
    let net = StepNet::new(&line(), 60, 1).unwrap();
    let site = NodeId::new("site").unwrap();
    let got = net
        .alone(
            &site,
            &[
                mover("hub", 9, 650),
                mover("home", 1, 650),
                mover("site", 0, 650),
            ],
        )
        .unwrap();
    let closed: Vec<Option<u32>> = got.iter().map(|a| a.closed_step).collect();
    // From the hub after 9 days' notice: one day on; from home after one: 2 + 1 days; at the site: there.
    assert_eq!(closed, [Some(10), Some(4), Some(0)]);
}

#[test]
fn alone_a_reception_limit_can_make_the_nearer_unit_as_slow_as_the_farther() {
    let net = StepNet::new(&line(), 60, 1).unwrap();
    let site = NodeId::new("site").unwrap();
    // 1,000 troops at the hub after 3 days: through its reception on day 3, at the site on day 4. 2,000 at home
    // ready at once: the hub receives 1,000 a day, so the last reach the site on day 4 too.
    let got = net
        .alone(&site, &[mover("hub", 3, 1_000), mover("home", 0, 2_000)])
        .unwrap();
    let closed: Vec<Option<u32>> = got.iter().map(|a| a.closed_step).collect();
    assert_eq!(closed, [Some(4), Some(4)]);
}

#[test]
fn in_hours_a_unit_streams_through_a_reception_limit() {
    // Hours: home → hub 48 h, hub → site 24 h; the hub receives 1,000 troops a day, 41 or 42 an hour (41 in
    // hour 0, and the first 16 hours 666 in all). 650 troops reach the hub at hour 48: the first 41 are at the
    // site at hour 72; the 650th passes the hub in its 16th hour (hour 63) and reaches the site at hour 87.
    let net = StepNet::new(&line(), 24 * 10 + 1, 24).unwrap();
    let site = NodeId::new("site").unwrap();
    let got = net.alone(&site, &[mover("home", 0, 650)]).unwrap();
    assert_eq!(
        (got[0].first_step, got[0].closed_step),
        (Some(72), Some(87))
    );
    let every: Vec<u32> = (0..net.horizon()).collect();
    let b = net
        .buildup(&site, &[mover("home", 0, 650)], &every)
        .unwrap();
    assert_eq!(b.steps, every);
    assert_eq!(
        (b.troops[71], b.troops[72], b.troops[86], b.troops[87]),
        (0, 41, 625, 650)
    );
    // Two such units together cannot both pass the hub in its first 16 hours: the build-up is the most the
    // reception allows by each hour, and the second's last troops are later than either alone.
    let both = [mover("home", 0, 650), mover("home", 0, 650)];
    let two = net.buildup(&site, &both, &every).unwrap();
    assert_eq!(two.troops[87], 666);
    let last = two.troops.iter().position(|&t| t == 1_300).unwrap();
    assert_eq!(
        last,
        48 + 31 + 24,
        "1,300 troops pass the hub by its 32nd hour"
    );
    // Asked at a few hours only (the horizon filled in jumps), the build-up is the same at those hours; hours
    // past the horizon are left out.
    let few = net
        .buildup(&site, &both, &[240, 72, 90, 87, 100_000, 90])
        .unwrap();
    assert_eq!(few.steps, vec![72, 87, 90, 240]);
    assert_eq!(few.troops, vec![two.troops[72], 666, two.troops[90], 1_300]);
}

static DEFAULT: LazyLock<Scenario> = LazyLock::new(|| {
    guarantor_scenario::check(&guarantor_scenario::SourceSet::builtin_default())
        .scenario
        .expect("the default scenario is valid")
});

/// The nodes of the default network that are sites.
fn default_sites() -> Vec<&'static NodeId> {
    DEFAULT
        .network
        .nodes
        .iter()
        .filter(|n| n.site.is_some())
        .map(|n| &n.id)
        .collect()
}

#[test]
fn every_site_of_the_default_network_is_reachable_from_every_home() {
    let s = &*DEFAULT;
    let sites = default_sites();
    let mut loads = Vec::new();
    for nation in &s.nations {
        for &site in &sites {
            loads.push(Load {
                id: format!("{}-{site}", nation.code),
                route: Route::Network {
                    origin: nation.home.clone(),
                    destination: site.clone(),
                },
                troops: 10,
                tonnes: 10,
                ready_day: 0,
                order: 0,
            });
        }
    }
    let m = movement(&s.network, &loads, 365).unwrap();
    for (l, o) in loads.iter().zip(&m.loads) {
        assert!(
            o.arrival_day.is_some(),
            "{} does not close: {:?}",
            l.id,
            o.not_closed
        );
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]

    /// A network that keeps what it has searched answers every load as a fresh network does, whatever came
    /// before it: loads from the same node a whole number of days apart, larger and smaller, near the horizon.
    #[test]
    fn kept_arrivals_answer_as_a_fresh_search(
        asked in proptest::collection::vec((0usize..2, 0usize..2, 0u32..5, proptest::sample::select(vec![0u32, 12]), 0u64..1_500, 0u64..800), 2..9)
    ) {
        let s = &*DEFAULT;
        let hours = 24 * 8 + 1;
        let homes: Vec<&NodeId> = s.nations.iter().take(4).map(|n| &n.home).collect();
        let sites = default_sites();
        let kept = StepNet::new(&s.network, hours, 24).unwrap();
        for &(home, site, day, hour, troops, tonnes) in &asked {
            let m = Mover {
                node: homes[home].clone(),
                ready_step: day * 24 + hour,
                troops,
                tonnes,
            };
            let fresh = StepNet::new(&s.network, hours, 24).unwrap();
            proptest::prop_assert_eq!(
                kept.alone(sites[site], std::slice::from_ref(&m)).unwrap(),
                fresh.alone(sites[site], std::slice::from_ref(&m)).unwrap(),
                "{:?} to {}", m, sites[site]
            );
        }
    }
}
