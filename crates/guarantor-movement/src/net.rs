//! The network as the engine indexes it: nodes by number, each link as two directed arcs with a whole-day transit,
//! and the capacity each arc and node has left on each day.

use std::collections::{BTreeMap, BinaryHeap};

use guarantor_core::{Mode, Network, NodeId, OWN_AIR_KM_PER_DAY, OWN_SEA_KM_PER_DAY, SEA_DETOUR};

use crate::{Commodity, MovementError};

/// A link in one direction.
#[derive(Clone, Debug)]
pub(crate) struct Arc {
    /// Index of the link in the network's file order.
    pub(crate) link: usize,
    pub(crate) from: usize,
    pub(crate) to: usize,
    /// Days from departure to arrival, at least one.
    pub(crate) transit: usize,
}

/// The network indexed, over a horizon of `horizon` days (days `0..horizon`).
#[derive(Clone, Debug)]
pub(crate) struct Net {
    pub(crate) nodes: Vec<NodeId>,
    pub(crate) index: BTreeMap<NodeId, usize>,
    pub(crate) arcs: Vec<Arc>,
    pub(crate) in_arcs: Vec<Vec<usize>>,
    pub(crate) horizon: usize,
    /// Steps a day (1: the plan's days; 24: hours).
    pub(crate) steps_per_day: u32,
    /// The same adjacency flattened for the flow solver's inner loops: node `v`'s arcs are
    /// `*_arc[*_start[v]..*_start[v + 1]]`.
    pub(crate) out_start: Vec<u32>,
    pub(crate) out_arc: Vec<u32>,
    pub(crate) in_start: Vec<u32>,
    pub(crate) in_arc: Vec<u32>,
    /// Per arc: tail, head, transit days.
    pub(crate) arc_from: Vec<u32>,
    pub(crate) arc_to: Vec<u32>,
    pub(crate) arc_transit: Vec<u32>,
}

/// Adjacency lists as one offsets array and one flat array.
fn flatten(lists: &[Vec<usize>]) -> (Vec<u32>, Vec<u32>) {
    let mut start = Vec::with_capacity(lists.len() + 1);
    let mut flat = Vec::new();
    start.push(0);
    for l in lists {
        flat.extend(l.iter().map(|&a| a as u32));
        start.push(flat.len() as u32);
    }
    (start, flat)
}

/// Days a force that moves itself (ships, aircraft) needs for `great_circle_km`, at least one.
pub fn own_transit_days(great_circle_km: f64, mode: Mode) -> u32 {
    match mode {
        Mode::Sea => transit_days(great_circle_km * SEA_DETOUR, OWN_SEA_KM_PER_DAY),
        _ => transit_days(great_circle_km, OWN_AIR_KM_PER_DAY),
    }
}

/// Whole days a link takes: its distance over its speed, rounded up, at least one (the engine moves in days).
pub fn transit_days(distance_km: f64, speed_km_per_day: f64) -> u32 {
    transit_steps(distance_km, speed_km_per_day, 1)
}

/// Whole steps of `1 / steps_per_day` day a link takes: `distance × steps_per_day / speed`, rounded up, at
/// least one (computed in that order, so that another program doing the same arithmetic gets the same steps).
pub fn transit_steps(distance_km: f64, speed_km_per_day: f64, steps_per_day: u32) -> u32 {
    if speed_km_per_day <= 0.0 || !distance_km.is_finite() || !speed_km_per_day.is_finite() {
        return u32::MAX;
    }
    let steps = (distance_km * f64::from(steps_per_day) / speed_km_per_day).ceil();
    if steps >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        (steps as u32).max(1)
    }
}

/// The share of a daily capacity that step `j` of a day of `steps_per_day` steps gets: the day's capacity spread
/// as evenly as whole units allow, the steps of a day adding up to it exactly.
pub fn step_capacity(per_day: u64, steps_per_day: u32, j: u32) -> u64 {
    let k = u128::from(steps_per_day.max(1));
    let c = u128::from(per_day);
    let j = u128::from(j);
    ((j + 1) * c / k - j * c / k) as u64
}

impl Net {
    pub(crate) fn new(network: &Network, horizon: usize) -> Result<Net, MovementError> {
        Net::with_steps(network, horizon, 1)
    }

    /// The network over `horizon` steps of `1 / steps_per_day` day.
    pub(crate) fn with_steps(
        network: &Network,
        horizon: usize,
        steps_per_day: u32,
    ) -> Result<Net, MovementError> {
        let nodes: Vec<NodeId> = network.nodes.iter().map(|n| n.id.clone()).collect();
        let mut index = BTreeMap::new();
        for (i, id) in nodes.iter().enumerate() {
            if index.insert(id.clone(), i).is_some() {
                return Err(MovementError::DuplicateNode(id.to_string()));
            }
        }
        let find = |id: &NodeId| {
            index
                .get(id)
                .copied()
                .ok_or_else(|| MovementError::UnknownNode(id.to_string()))
        };
        let mut arcs = Vec::with_capacity(network.links.len() * 2);
        let mut out_arcs = vec![Vec::new(); nodes.len()];
        let mut in_arcs = vec![Vec::new(); nodes.len()];
        for (l, link) in network.links.iter().enumerate() {
            let (a, b) = (find(&link.from)?, find(&link.to)?);
            let transit =
                transit_steps(link.distance_km, link.speed_km_per_day, steps_per_day) as usize;
            for (from, to) in [(a, b), (b, a)] {
                out_arcs[from].push(arcs.len());
                in_arcs[to].push(arcs.len());
                arcs.push(Arc {
                    link: l,
                    from,
                    to,
                    transit,
                });
            }
        }
        let (out_start, out_arc) = flatten(&out_arcs);
        let (in_start, in_arc) = flatten(&in_arcs);
        let transit_u32 = |a: &Arc| u32::try_from(a.transit).unwrap_or(u32::MAX);
        Ok(Net {
            arc_from: arcs.iter().map(|a| a.from as u32).collect(),
            arc_to: arcs.iter().map(|a| a.to as u32).collect(),
            arc_transit: arcs.iter().map(transit_u32).collect(),
            nodes,
            index,
            arcs,
            in_arcs,
            horizon,
            steps_per_day,
            out_start,
            out_arc,
            in_start,
            in_arc,
        })
    }

    pub(crate) fn node(&self, id: &NodeId) -> Result<usize, MovementError> {
        self.index
            .get(id)
            .copied()
            .ok_or_else(|| MovementError::UnknownNode(id.to_string()))
    }

    /// Fewest days from each node to `dest` over the arcs and nodes that carry `commodity` at all, ignoring how
    /// much (`usize::MAX` where `dest` cannot be reached).
    pub(crate) fn days_to(&self, dest: usize, full: &Capacity, commodity: Commodity) -> Vec<usize> {
        let k = commodity as usize;
        let h = self.horizon;
        // A day's capacity may fall on later steps of the day only (a small one spread over many steps).
        let day = (self.steps_per_day.max(1) as usize).min(h);
        let node_ok = |v: usize| (0..day).any(|t| full.node[k][v * h + t] > 0);
        let arc_ok = |a: usize| (0..day).any(|t| full.link[k][a * h + t] > 0);
        let mut dist = vec![usize::MAX; self.nodes.len()];
        if !node_ok(dest) {
            return dist;
        }
        let mut heap = BinaryHeap::new();
        dist[dest] = 0;
        heap.push(std::cmp::Reverse((0usize, dest)));
        while let Some(std::cmp::Reverse((d, v))) = heap.pop() {
            if d > dist[v] {
                continue;
            }
            for &a in &self.in_arcs[v] {
                let arc = &self.arcs[a];
                if !arc_ok(a) || !node_ok(arc.from) {
                    continue;
                }
                let nd = d.saturating_add(arc.transit);
                if nd < dist[arc.from] {
                    dist[arc.from] = nd;
                    heap.push(std::cmp::Reverse((nd, arc.from)));
                }
            }
        }
        dist
    }
}

impl Net {
    /// The first day anything starting at `starts` (node, day) could be at each node, over every arc whatever
    /// its capacity (`usize::MAX` where nothing can).
    pub(crate) fn days_from(&self, starts: impl Iterator<Item = (usize, usize)>) -> Vec<usize> {
        let mut dist = vec![usize::MAX; self.nodes.len()];
        let mut heap = BinaryHeap::new();
        for (v, day) in starts {
            if day < dist[v] {
                dist[v] = day;
                heap.push(std::cmp::Reverse((day, v)));
            }
        }
        while let Some(std::cmp::Reverse((d, v))) = heap.pop() {
            if d > dist[v] {
                continue;
            }
            for j in self.out_start[v] as usize..self.out_start[v + 1] as usize {
                let a = self.out_arc[j] as usize;
                let w = self.arc_to[a] as usize;
                let nd = d.saturating_add(self.arc_transit[a] as usize);
                if nd < dist[w] {
                    dist[w] = nd;
                    heap.push(std::cmp::Reverse((nd, w)));
                }
            }
        }
        dist
    }
}

/// What each arc and node can still take on each day, per commodity (whole troops, whole tonnes).
#[derive(Clone, Debug)]
pub(crate) struct Capacity {
    /// `[commodity][arc * horizon + day]`.
    pub(crate) link: [Vec<u64>; 2],
    /// `[commodity][node * horizon + day]`.
    pub(crate) node: [Vec<u64>; 2],
}

impl Capacity {
    /// The network's full capacities on every step of the horizon (a day's capacity spread over its steps).
    pub(crate) fn full(network: &Network, net: &Net) -> Capacity {
        let h = net.horizon;
        let k = net.steps_per_day.max(1);
        let spread = |per_day: u64, v: &mut Vec<u64>| {
            if k == 1 {
                v.extend(std::iter::repeat_n(per_day, h));
            } else {
                v.extend((0..h).map(|t| step_capacity(per_day, k, (t % k as usize) as u32)));
            }
        };
        let per_arc = |c: Commodity| -> Vec<u64> {
            let mut v = Vec::with_capacity(net.arcs.len() * h);
            for arc in &net.arcs {
                let link = &network.links[arc.link];
                let cap = match c {
                    Commodity::Troops => u64::from(link.troops_per_day),
                    Commodity::Tonnes => whole_tonnes_down(link.tonnes_per_day),
                };
                spread(cap, &mut v);
            }
            v
        };
        let per_node = |c: Commodity| -> Vec<u64> {
            let mut v = Vec::with_capacity(net.nodes.len() * h);
            for node in &network.nodes {
                let cap = match c {
                    Commodity::Troops => u64::from(node.reception_troops_per_day),
                    Commodity::Tonnes => whole_tonnes_down(node.reception_tonnes_per_day),
                };
                spread(cap, &mut v);
            }
            v
        };
        Capacity {
            link: [per_arc(Commodity::Troops), per_arc(Commodity::Tonnes)],
            node: [per_node(Commodity::Troops), per_node(Commodity::Tonnes)],
        }
    }
}

/// A capacity in tonnes as whole tonnes, rounded down (a capacity is never overstated).
pub(crate) fn whole_tonnes_down(t: f64) -> u64 {
    if t.is_finite() && t > 0.0 {
        t.floor().min(1e15) as u64
    } else {
        0
    }
}
