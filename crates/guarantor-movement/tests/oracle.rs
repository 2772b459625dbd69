//! The movement engine against an independent oracle: on single-commodity problems (every unit bound for one
//! node), the day the last unit closes must be the least `T` for which a maximum flow in the explicitly built
//! `T`-day time-expanded network carries every troop. The oracle below shares no code with the engine: it builds
//! the graph as adjacency lists and runs textbook Edmonds–Karp, for each `T` from 0 up.
//!
//! Also: more capacity never delays closure, and the same input gives the same answer.

use std::collections::VecDeque;

use guarantor_core::Network;
use guarantor_movement::synthetic::{Problem, Spec, problem};
use guarantor_movement::{Route, movement, transit_days};
use proptest::prelude::*;

struct Graph {
    head: Vec<usize>,
    cap: Vec<u64>,
    adj: Vec<Vec<usize>>,
}

impl Graph {
    fn new(n: usize) -> Self {
        Graph {
            head: Vec::new(),
            cap: Vec::new(),
            adj: vec![Vec::new(); n],
        }
    }
    fn add(&mut self, a: usize, b: usize, c: u64) {
        self.adj[a].push(self.head.len());
        self.head.push(b);
        self.cap.push(c);
        self.adj[b].push(self.head.len());
        self.head.push(a);
        self.cap.push(0);
    }
    fn max_flow(&mut self, s: usize, t: usize) -> u64 {
        let mut total = 0;
        loop {
            let mut prev = vec![usize::MAX; self.adj.len()];
            let mut queue = VecDeque::from([s]);
            let mut seen = vec![false; self.adj.len()];
            seen[s] = true;
            while let Some(x) = queue.pop_front() {
                for &e in &self.adj[x] {
                    let y = self.head[e];
                    if self.cap[e] > 0 && !seen[y] {
                        seen[y] = true;
                        prev[y] = e;
                        queue.push_back(y);
                    }
                }
            }
            if !seen[t] {
                return total;
            }
            let mut f = u64::MAX;
            let mut y = t;
            while y != s {
                let e = prev[y];
                f = f.min(self.cap[e]);
                y = self.head[e ^ 1];
            }
            let mut y = t;
            while y != s {
                let e = prev[y];
                self.cap[e] -= f;
                self.cap[e ^ 1] += f;
                y = self.head[e ^ 1];
            }
            total += f;
        }
    }
}

/// The least `T < horizon` whose time-expanded max flow carries all troops, by building each graph afresh.
fn oracle_closure(p: &Problem, horizon: usize) -> Option<usize> {
    let net: &Network = &p.network;
    let n = net.nodes.len();
    let index = |id: &guarantor_core::NodeId| {
        net.nodes
            .iter()
            .position(|x| &x.id == id)
            .expect("a node of the network")
    };
    let dest = index(&p.destination);
    let demand: u64 = p.loads.iter().map(|l| l.troops).sum();
    for t_max in 0..horizon {
        let days = t_max + 1;
        let node = |v: usize, t: usize, out: bool| (t * n + v) * 2 + usize::from(out);
        let (s, z) = (2 * n * days, 2 * n * days + 1);
        let mut g = Graph::new(2 * n * days + 2);
        for t in 0..days {
            for (v, nd) in net.nodes.iter().enumerate() {
                g.add(
                    node(v, t, false),
                    node(v, t, true),
                    u64::from(nd.reception_troops_per_day),
                );
                if t + 1 < days {
                    g.add(node(v, t, false), node(v, t + 1, false), u64::MAX / 4);
                    g.add(node(v, t, true), node(v, t + 1, true), u64::MAX / 4);
                }
            }
            for l in &net.links {
                let tr = transit_days(l.distance_km, l.speed_km_per_day) as usize;
                let (a, b) = (index(&l.from), index(&l.to));
                for (x, y) in [(a, b), (b, a)] {
                    if t + tr < days {
                        g.add(
                            node(x, t, true),
                            node(y, t + tr, false),
                            u64::from(l.troops_per_day),
                        );
                    }
                }
            }
            g.add(node(dest, t, true), z, u64::MAX / 4);
        }
        for load in &p.loads {
            let Route::Network { origin, .. } = &load.route else {
                unreachable!()
            };
            if (load.ready_day as usize) < days {
                g.add(
                    s,
                    node(index(origin), load.ready_day as usize, false),
                    load.troops,
                );
            }
        }
        if g.max_flow(s, z) == demand {
            return Some(t_max);
        }
    }
    None
}

fn engine_closure(p: &Problem, horizon: u32) -> Option<u32> {
    let m = movement(&p.network, &p.loads, horizon).expect("solves");
    m.loads
        .iter()
        .map(|o| o.arrival_day)
        .collect::<Option<Vec<u32>>>()
        .map(|d| d.into_iter().max().unwrap_or(0))
}

fn spec() -> impl Strategy<Value = Spec> {
    (any::<u64>(), 2usize..12, 0usize..3, 1usize..12, 0u32..6).prop_map(
        |(seed, nodes, extra, units, ready)| Spec {
            seed,
            nodes,
            extra_links_per_node: extra,
            units,
            max_ready_day: ready,
        },
    )
}

/// Shrinks a problem's capacities so that queues form (the generator's are generous for a handful of units).
fn tighten(mut p: Problem, seed: u64) -> Problem {
    for (i, l) in p.network.links.iter_mut().enumerate() {
        l.troops_per_day = 50 + ((seed >> (i % 32)) % 400) as u32;
    }
    for (i, n) in p.network.nodes.iter_mut().enumerate() {
        n.reception_troops_per_day = 100 + ((seed >> (i % 32)) % 600) as u32;
    }
    p
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn closure_day_equals_the_time_expanded_max_flow(spec in spec(), tight in any::<u64>()) {
        let p = tighten(problem(&spec), tight);
        let horizon = 40;
        let oracle = oracle_closure(&p, horizon);
        let engine = engine_closure(&p, horizon as u32);
        prop_assert_eq!(engine.map(|d| d as usize), oracle);
    }

    #[test]
    fn more_capacity_never_delays_closure(spec in spec(), tight in any::<u64>(), which in any::<usize>(), extra in 1u32..500) {
        let p = tighten(problem(&spec), tight);
        let before = engine_closure(&p, 60);
        let mut more = p.clone();
        if which % 2 == 0 && !more.network.links.is_empty() {
            let k = which / 2 % more.network.links.len();
            more.network.links[k].troops_per_day += extra;
        } else {
            let k = which / 2 % more.network.nodes.len();
            more.network.nodes[k].reception_troops_per_day += extra;
        }
        let after = engine_closure(&more, 60);
        match (before, after) {
            (Some(b), Some(a)) => prop_assert!(a <= b, "closure moved from day {b} to day {a}"),
            (Some(b), None) => prop_assert!(false, "closed on day {b}, then not at all"),
            _ => {}
        }
    }

    #[test]
    fn the_same_problem_gives_the_same_plan(spec in spec()) {
        let p = problem(&spec);
        let a = movement(&p.network, &p.loads, 60).expect("solves");
        let b = movement(&p.network, &p.loads, 60).expect("solves");
        prop_assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }
}

#[test]
fn a_larger_problem_agrees_with_the_oracle() {
    let p = tighten(
        problem(&Spec {
            seed: 7,
            nodes: 40,
            extra_links_per_node: 2,
            units: 30,
            max_ready_day: 10,
        }),
        0x5eed_1234_abcd,
    );
    let oracle = oracle_closure(&p, 200);
    assert!(oracle.is_some(), "the problem closes within the horizon");
    eprintln!("closure day {oracle:?}");
    assert_eq!(engine_closure(&p, 200).map(|d| d as usize), oracle);
}
