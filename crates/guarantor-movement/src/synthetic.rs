//! Seeded synthetic movement problems of any size, for tests, oracles and benchmarks: a connected network of
//! road and rail links between random places in eastern Europe, units at a tenth of the nodes (their homes),
//! all bound for one destination — the last node, a hub linked to its eight nearest nodes and receiving 20,000
//! troops a day — (a single commodity: troops), each ready on a day of its own.

use geo_types::Point;
use guarantor_core::{Link, LinkId, Mode, NationCode, Network, Node, NodeId, NodeKind, SplitMix64};

use crate::{Load, Route};

/// The size and seed of a synthetic problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spec {
    /// Seed of the generator.
    pub seed: u64,
    /// Nodes (at least 2).
    pub nodes: usize,
    /// Links per node besides the spanning tree (to its nearest neighbours).
    pub extra_links_per_node: usize,
    /// Units to move.
    pub units: usize,
    /// The latest ready day.
    pub max_ready_day: u32,
}

/// A problem: the network and the loads (all to the destination node, class 0).
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// The network.
    pub network: Network,
    /// The loads.
    pub loads: Vec<Load>,
    /// Where every load goes.
    pub destination: NodeId,
}

fn id<T>(make: fn(&str) -> Result<T, guarantor_core::IdError>, text: &str) -> T {
    make(text).unwrap_or_else(|e| unreachable!("generated id `{text}` is valid: {e}"))
}

/// Generates the problem `spec` describes; the same spec gives the same problem.
pub fn problem(spec: &Spec) -> Problem {
    let mut rng = SplitMix64::new(spec.seed);
    let n = spec.nodes.max(2);
    let country = NationCode::new("UKR").unwrap_or_else(|e| unreachable!("{e}"));
    let nodes: Vec<Node> = (0..n)
        .map(|i| {
            let lon = rng.float(14.0, 40.0);
            let lat = rng.float(44.0, 55.0);
            Node {
                id: id(NodeId::new, &format!("n{i}")),
                name: format!("Node {i}"),
                kind: if i < n.div_ceil(10) {
                    NodeKind::Home
                } else {
                    NodeKind::StagingHub
                },
                country: country.clone(),
                location: Point::new(lon, lat),
                reception_troops_per_day: if i == n - 1 {
                    20_000
                } else {
                    rng.range(1_000, 6_000) as u32
                },
                reception_tonnes_per_day: 0.0,
                site: None,
                source: "synthetic".into(),
            }
        })
        .collect();
    let km = |a: usize, b: usize| {
        let (p, q) = (nodes[a].location, nodes[b].location);
        let dx = (p.x() - q.x()) * 111.0 * ((p.y() + q.y()) / 2.0).to_radians().cos();
        let dy = (p.y() - q.y()) * 111.0;
        (dx * dx + dy * dy).sqrt()
    };
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    // A random spanning tree keeps every node reachable.
    for i in 1..n {
        pairs.push((rng.below(i as u64) as usize, i));
    }
    for i in 0..n {
        let mut near: Vec<(u64, usize)> = (0..n)
            .filter(|&j| j != i)
            .map(|j| ((km(i, j) * 1000.0) as u64, j))
            .collect();
        near.sort_unstable();
        for &(_, j) in near.iter().take(spec.extra_links_per_node) {
            pairs.push((i.min(j), i.max(j)));
        }
    }
    // The destination is a hub: linked to its eight nearest nodes, as a theatre's main base would be.
    let dest = n - 1;
    let mut near: Vec<(u64, usize)> = (0..dest)
        .map(|j| ((km(dest, j) * 1000.0) as u64, j))
        .collect();
    near.sort_unstable();
    for &(_, j) in near.iter().take(8) {
        pairs.push((j, dest));
    }
    pairs.sort_unstable();
    pairs.dedup();
    let links: Vec<Link> = pairs
        .iter()
        .enumerate()
        .map(|(k, &(a, b))| {
            let rail = rng.below(2) == 0;
            Link {
                id: id(LinkId::new, &format!("l{k}")),
                from: nodes[a].id.clone(),
                to: nodes[b].id.clone(),
                mode: if rail { Mode::Rail } else { Mode::Road },
                distance_km: (km(a, b) * 1.2).round().max(1.0),
                speed_km_per_day: if rail { 500.0 } else { 400.0 },
                troops_per_day: rng.range(300, 3_000) as u32,
                tonnes_per_day: 0.0,
                source: "synthetic".into(),
            }
        })
        .collect();
    let homes = n.div_ceil(10);
    let destination = nodes[n - 1].id.clone();
    let loads = (0..spec.units)
        .map(|u| Load {
            id: format!("u{u}"),
            route: Route::Network {
                origin: nodes[rng.below(homes as u64) as usize].id.clone(),
                destination: destination.clone(),
            },
            troops: rng.range(50, 800),
            tonnes: 0,
            ready_day: rng.range(0, u64::from(spec.max_ready_day)) as u32,
            order: 0,
        })
        .collect();
    Problem {
        network: Network {
            nodes,
            links,
            reserves: Vec::new(),
        },
        loads,
        destination,
    }
}
