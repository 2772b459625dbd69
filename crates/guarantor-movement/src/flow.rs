//! Earliest-arrival flow of one commodity to one destination in the time-expanded network, which is never built:
//! its nodes and arcs are computed from the network and the day.
//!
//! Each network node `v` on day `t` is two time-expanded nodes: `in` (arrived, waiting for reception) and `out`
//! (received, staged for onward movement). Arcs: `in → out` on the same day, at most the node's reception
//! capacity; `in → in` and `out → out` to the next day (waiting, unlimited); `out(v, t) → in(w, t + transit)` for
//! each arc `v → w`, at most its capacity on day `t`. Loads enter at `in(origin, ready_day)`; the destination's
//! `out` on each day drains into the sink.
//!
//! The horizon grows one day at a time from the earliest day anything could arrive; on each day Dinic's
//! algorithm augments until no path reaches the sink. Since no flow yet crosses from day `T` into day `T + 1`,
//! every path found after the day is raised ends on the new day: the arrivals by each day are the most the
//! network can deliver by that day (an earliest-arrival flow), and the first day the whole demand has arrived is
//! the least `T` for which a maximum flow in the `T`-day time-expanded network carries it all.

use crate::net::{Arc, Net};

/// Load entering the network at one node on one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Bucket {
    pub(crate) node: usize,
    pub(crate) day: usize,
    pub(crate) amount: u64,
}

/// What one solve delivered: for each bucket, its amounts by arrival day (ascending).
#[derive(Clone, Debug)]
pub(crate) struct Delivered {
    pub(crate) arrivals: Vec<Vec<(usize, u64)>>,
    /// Consumption to subtract from the capacities: `(arc index, day, amount)` and `(node, day, amount)`.
    pub(crate) link_use: Vec<(usize, usize, u64)>,
    pub(crate) node_use: Vec<(usize, usize, u64)>,
}

const INF: u64 = u64::MAX / 4;
const UNSET: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
enum Edge {
    /// Reception at `v` on day `t`.
    Recv { v: usize, t: usize, fwd: bool },
    /// Waiting at `v`'s `in` from day `t` to `t + 1`.
    HoldIn { v: usize, t: usize, fwd: bool },
    /// Waiting at `v`'s `out` from day `t` to `t + 1`.
    HoldOut { v: usize, t: usize, fwd: bool },
    /// Arc `a` departing on day `t`.
    Link { a: usize, t: usize, fwd: bool },
    /// From the super-source into bucket `b`.
    Src { b: usize },
    /// From the destination's `out` on day `t` into the sink.
    Sink { t: usize },
    /// Nothing (an index with no arc behind it).
    None,
}

/// One solve's state: the flow on every time-expanded arc for days `0..h`.
struct Solver<'a> {
    net: &'a Net,
    link_cap: &'a [u64],
    node_cap: &'a [u64],
    buckets: &'a [Bucket],
    dest: usize,
    /// Local horizon: days `0..h`.
    h: usize,
    n: usize,
    link_flow: Vec<u64>,
    recv: Vec<u64>,
    hold_in: Vec<u64>,
    hold_out: Vec<u64>,
    src: Vec<u64>,
    sink: Vec<u64>,
    level: Vec<u32>,
    it: Vec<u32>,
    lo: usize,
    hi: usize,
}

impl<'a> Solver<'a> {
    fn s(&self) -> usize {
        2 * self.n * self.h
    }
    fn z(&self) -> usize {
        2 * self.n * self.h + 1
    }
    fn id(&self, v: usize, t: usize, out: bool) -> usize {
        (t * self.n + v) * 2 + usize::from(out)
    }
    fn day(&self, x: usize) -> usize {
        (x / 2) / self.n
    }
    /// Capacity of arc `a` on day `t` (global arrays have stride `net.horizon`).
    fn cap_link(&self, a: usize, t: usize) -> u64 {
        self.link_cap[a * self.net.horizon + t]
    }
    fn cap_node(&self, v: usize, t: usize) -> u64 {
        self.node_cap[v * self.net.horizon + t]
    }

    /// The `k`-th arc out of time-expanded node `x`, its head, and its residual capacity; `None` past the last.
    fn edge(&self, x: usize, k: usize) -> Option<(Edge, usize, u64)> {
        let (s, z) = (self.s(), self.z());
        if x == s {
            let b = *self.buckets.get(k)?;
            if b.day >= self.h {
                return Some((Edge::None, z, 0));
            }
            return Some((
                Edge::Src { b: k },
                self.id(b.node, b.day, false),
                b.amount - self.src[k],
            ));
        }
        if x == z {
            return None;
        }
        let (v, t, out) = ((x / 2) % self.n, self.day(x), x % 2 == 1);
        let i = v * self.h + t;
        let none = Some((Edge::None, z, 0));
        if !out {
            match k {
                0 => Some((
                    Edge::Recv { v, t, fwd: true },
                    x + 1,
                    self.cap_node(v, t) - self.recv[i],
                )),
                1 if t + 1 < self.h => Some((
                    Edge::HoldIn { v, t, fwd: true },
                    self.id(v, t + 1, false),
                    INF,
                )),
                2 if t > 0 => Some((
                    Edge::HoldIn {
                        v,
                        t: t - 1,
                        fwd: false,
                    },
                    self.id(v, t - 1, false),
                    self.hold_in[i - 1],
                )),
                1 | 2 => none,
                _ => {
                    let a = *self.net.in_arcs[v].get(k - 3)?;
                    let Arc { from, transit, .. } = self.net.arcs[a];
                    if t < transit {
                        return none;
                    }
                    let d = t - transit;
                    Some((
                        Edge::Link {
                            a,
                            t: d,
                            fwd: false,
                        },
                        self.id(from, d, true),
                        self.link_flow[a * self.h + d],
                    ))
                }
            }
        } else {
            match k {
                0 if v == self.dest => Some((Edge::Sink { t }, z, INF)),
                1 if t + 1 < self.h => Some((
                    Edge::HoldOut { v, t, fwd: true },
                    self.id(v, t + 1, true),
                    INF,
                )),
                2 if t > 0 => Some((
                    Edge::HoldOut {
                        v,
                        t: t - 1,
                        fwd: false,
                    },
                    self.id(v, t - 1, true),
                    self.hold_out[i - 1],
                )),
                3 => Some((Edge::Recv { v, t, fwd: false }, x - 1, self.recv[i])),
                0..=2 => none,
                _ => {
                    let a = *self.net.out_arcs[v].get(k - 4)?;
                    let Arc { to, transit, .. } = self.net.arcs[a];
                    if t + transit >= self.h {
                        return none;
                    }
                    Some((
                        Edge::Link { a, t, fwd: true },
                        self.id(to, t + transit, false),
                        self.cap_link(a, t) - self.link_flow[a * self.h + t],
                    ))
                }
            }
        }
    }

    fn push(&mut self, e: Edge, f: u64) {
        let apply = |x: &mut u64, fwd: bool| {
            if fwd {
                *x += f;
            } else {
                *x -= f;
            }
        };
        let h = self.h;
        match e {
            Edge::Recv { v, t, fwd } => apply(&mut self.recv[v * h + t], fwd),
            Edge::HoldIn { v, t, fwd } => apply(&mut self.hold_in[v * h + t], fwd),
            Edge::HoldOut { v, t, fwd } => apply(&mut self.hold_out[v * h + t], fwd),
            Edge::Link { a, t, fwd } => apply(&mut self.link_flow[a * h + t], fwd),
            Edge::Src { b } => self.src[b] += f,
            Edge::Sink { t } => self.sink[t] += f,
            Edge::None => {}
        }
    }

    /// Whether `x` is inside the current window of days (`lo..=hi`), or is the source or sink.
    fn inside(&self, x: usize) -> bool {
        x >= self.s() || (self.lo..=self.hi).contains(&self.day(x))
    }

    /// Breadth-first levels from the source over residual arcs within the window; whether the sink was reached.
    fn bfs(&mut self) -> bool {
        let (s, z) = (self.s(), self.z());
        let from = self.id(0, self.lo, false);
        let to = self.id(0, self.hi + 1, false);
        self.level[from..to].fill(UNSET);
        self.level[s] = 0;
        self.level[z] = UNSET;
        let mut queue = std::collections::VecDeque::from([s]);
        while let Some(x) = queue.pop_front() {
            let mut k = 0;
            while let Some((_, y, r)) = self.edge(x, k) {
                k += 1;
                if r > 0 && self.inside(y) && self.level[y] == UNSET {
                    self.level[y] = self.level[x] + 1;
                    if y == z {
                        continue;
                    }
                    queue.push_back(y);
                }
            }
        }
        self.level[z] != UNSET
    }

    /// Blocking flow along level-increasing paths (Dinic's phase); returns the amount pushed.
    fn blocking(&mut self) -> u64 {
        let (s, z) = (self.s(), self.z());
        let from = self.id(0, self.lo, false);
        let to = self.id(0, self.hi + 1, false);
        self.it[from..to].fill(0);
        self.it[s] = 0;
        let mut total = 0;
        let mut path: Vec<(usize, Edge, usize)> = Vec::new();
        let mut x = s;
        loop {
            if x == z {
                let mut f = INF;
                for &(u, _, k) in &path {
                    f = f.min(self.edge(u, k).map_or(0, |e| e.2));
                }
                for &(_, e, _) in &path {
                    self.push(e, f);
                }
                total += f;
                path.clear();
                x = s;
                continue;
            }
            let mut advanced = false;
            while let Some((e, y, r)) = self.edge(x, self.it[x] as usize) {
                if r > 0
                    && self.inside(y)
                    && self.level[y] != UNSET
                    && self.level[y] == self.level[x] + 1
                {
                    path.push((x, e, self.it[x] as usize));
                    x = y;
                    advanced = true;
                    break;
                }
                self.it[x] += 1;
            }
            if !advanced {
                self.level[x] = UNSET;
                match path.pop() {
                    None => return total,
                    Some((u, _, _)) => {
                        self.it[u] += 1;
                        x = u;
                    }
                }
            }
        }
    }

    /// Splits the flow into paths, bucket by bucket, preferring to move on over waiting; each bucket's arrivals.
    fn decompose(&mut self) -> Vec<Vec<(usize, u64)>> {
        let z = self.z();
        let mut arrivals = vec![Vec::new(); self.buckets.len()];
        for (b, bucket) in self.buckets.iter().enumerate() {
            let mut left = self.src[b];
            while left > 0 {
                let mut x = self.id(bucket.node, bucket.day, false);
                let mut amount = left;
                let mut path = Vec::new();
                let arrival = loop {
                    let mut chosen = None;
                    let mut k = 0;
                    while let Some((e, y, _)) = self.edge(x, k) {
                        k += 1;
                        let flow = self.forward_flow(e);
                        if flow > 0 {
                            chosen = Some((e, y, flow));
                            break;
                        }
                    }
                    let Some((e, y, flow)) = chosen else {
                        unreachable!("flow is conserved: every node with flow in has flow out");
                    };
                    amount = amount.min(flow);
                    path.push(e);
                    if y == z {
                        break self.day(x);
                    }
                    x = y;
                };
                for e in path {
                    self.unpush(e, amount);
                }
                left -= amount;
                arrivals[b].push((arrival, amount));
            }
            arrivals[b].sort_unstable();
        }
        arrivals
    }

    /// The flow on a forward arc (0 for residual arcs, which decomposition does not follow).
    fn forward_flow(&self, e: Edge) -> u64 {
        let h = self.h;
        match e {
            Edge::Recv { v, t, fwd: true } => self.recv[v * h + t],
            Edge::HoldIn { v, t, fwd: true } => self.hold_in[v * h + t],
            Edge::HoldOut { v, t, fwd: true } => self.hold_out[v * h + t],
            Edge::Link { a, t, fwd: true } => self.link_flow[a * h + t],
            Edge::Sink { t } => self.sink[t],
            _ => 0,
        }
    }

    fn unpush(&mut self, e: Edge, f: u64) {
        let h = self.h;
        match e {
            Edge::Recv { v, t, .. } => self.recv[v * h + t] -= f,
            Edge::HoldIn { v, t, .. } => self.hold_in[v * h + t] -= f,
            Edge::HoldOut { v, t, .. } => self.hold_out[v * h + t] -= f,
            Edge::Link { a, t, .. } => self.link_flow[a * h + t] -= f,
            Edge::Sink { t } => self.sink[t] -= f,
            Edge::Src { .. } | Edge::None => {}
        }
    }
}

/// Moves `buckets` to `dest` as early as the capacities allow, within days `0..h` (at most the network's
/// horizon). Buckets that cannot reach `dest` at all must be left out by the caller (they would hold the horizon
/// open to its end). `days_to` is each node's fewest days to `dest`.
pub(crate) fn earliest_arrival(
    net: &Net,
    link_cap: &[u64],
    node_cap: &[u64],
    buckets: &[Bucket],
    dest: usize,
    days_to: &[usize],
    h: usize,
) -> Delivered {
    let h = h.min(net.horizon);
    let n = net.nodes.len();
    let demand: u64 = buckets.iter().map(|b| b.amount).sum();
    let lo = buckets.iter().map(|b| b.day).min().unwrap_or(0);
    let first = buckets
        .iter()
        .map(|b| b.day.saturating_add(days_to[b.node]))
        .min()
        .unwrap_or(usize::MAX);
    let mut solver = Solver {
        net,
        link_cap,
        node_cap,
        buckets,
        dest,
        h,
        n,
        link_flow: vec![0; net.arcs.len() * h],
        recv: vec![0; n * h],
        hold_in: vec![0; n * h],
        hold_out: vec![0; n * h],
        src: vec![0; buckets.len()],
        sink: vec![0; h],
        level: vec![UNSET; 2 * n * h + 2],
        it: vec![0; 2 * n * h + 2],
        lo,
        hi: lo,
    };
    let mut delivered = 0;
    if demand > 0 && first < h {
        for t in first..h {
            solver.hi = t;
            while solver.bfs() {
                delivered += solver.blocking();
            }
            if delivered == demand {
                break;
            }
        }
    }
    let mut link_use = Vec::new();
    let mut node_use = Vec::new();
    for a in 0..net.arcs.len() {
        for t in 0..h {
            let f = solver.link_flow[a * h + t];
            if f > 0 {
                link_use.push((a, t, f));
            }
        }
    }
    for v in 0..n {
        for t in 0..h {
            let f = solver.recv[v * h + t];
            if f > 0 {
                node_use.push((v, t, f));
            }
        }
    }
    let arrivals = solver.decompose();
    Delivered {
        arrivals,
        link_use,
        node_use,
    }
}
