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

use crate::net::Net;

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
/// Every how many phases the search that has cost more lately is tried again.
const PROBE_EVERY: u64 = 64;
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
///
/// Time-expanded node ids pack `(day, node, side)` into bits, `((t << shift) | v) << 1 | out`, with `shift`
/// wide enough for every node, so decoding an id takes shifts and masks rather than divisions.
struct Solver<'a> {
    net: &'a Net,
    link_cap: &'a [u64],
    node_cap: &'a [u64],
    buckets: &'a [Bucket],
    dest: usize,
    /// Local horizon: days `0..h`.
    h: usize,
    shift: u32,
    mask: usize,
    link_flow: Vec<u64>,
    recv: Vec<u64>,
    hold_in: Vec<u64>,
    hold_out: Vec<u64>,
    src: Vec<u64>,
    sink: Vec<u64>,
    level: Vec<u32>,
    it: Vec<u32>,
    queue: Vec<u32>,
    /// The backward search's queue.
    back_queue: Vec<u32>,
    /// Nodes labelled and arcs tried so far (what a phase costs).
    work: u64,
    /// Whether the levels are the backward search's (fewest arcs to the sink) rather than the forward's.
    back: bool,
    /// The first day whose sink arc the backward search starts from (the day after the last stop).
    sink_lo: usize,
    scratch: Vec<usize>,
    lo: usize,
    hi: usize,
    /// Per node: the first day anything could be there (from the buckets, ignoring capacity).
    earliest: Vec<usize>,
    /// Per node: the fewest days on to the destination.
    to_dest: &'a [usize],
}

/// A step of an augmenting path: the node left, the index of the arc taken, the arc, its residual.
#[derive(Clone, Copy)]
struct Step {
    from: usize,
    k: u32,
    edge: Edge,
    residual: u64,
}

impl<'a> Solver<'a> {
    fn s(&self) -> usize {
        (self.h << self.shift) << 1
    }
    fn z(&self) -> usize {
        self.s() + 1
    }
    fn id(&self, v: usize, t: usize, out: bool) -> usize {
        (((t << self.shift) | v) << 1) | usize::from(out)
    }
    fn day(&self, x: usize) -> usize {
        x >> (self.shift + 1)
    }
    /// Capacity of arc `a` on day `t` (global arrays have stride `net.horizon`).
    fn cap_link(&self, a: usize, t: usize) -> u64 {
        self.link_cap[a * self.net.horizon + t]
    }
    fn cap_node(&self, v: usize, t: usize) -> u64 {
        self.node_cap[v * self.net.horizon + t]
    }

    /// The `k`-th arc out of time-expanded node `x`, its head, and its residual capacity; `None` past the last.
    /// Arcs that do not exist at `x` (waiting past the horizon, say) come back with residual 0.
    #[inline(always)]
    fn edge(&self, x: usize, k: usize) -> Option<(Edge, usize, u64)> {
        let s = self.s();
        let z = s + 1;
        if x >= s {
            if x == z {
                return None;
            }
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
        let out = x & 1 == 1;
        let v = (x >> 1) & self.mask;
        let t = self.day(x);
        let i = v * self.h + t;
        let none = Some((Edge::None, z, 0));
        let net = self.net;
        if !out {
            match k {
                0 => Some((
                    Edge::Recv { v, t, fwd: true },
                    x + 1,
                    self.cap_node(v, t) - self.recv[i],
                )),
                1 if t + 1 < self.h => {
                    Some((Edge::HoldIn { v, t, fwd: true }, x + (2 << self.shift), INF))
                }
                2 if t > 0 => Some((
                    Edge::HoldIn {
                        v,
                        t: t - 1,
                        fwd: false,
                    },
                    x - (2 << self.shift),
                    self.hold_in[i - 1],
                )),
                1 | 2 => none,
                _ => {
                    let j = net.in_start[v] as usize + k - 3;
                    if j >= net.in_start[v + 1] as usize {
                        return None;
                    }
                    let a = net.in_arc[j] as usize;
                    let transit = net.arc_transit[a] as usize;
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
                        self.id(net.arc_from[a] as usize, d, true),
                        self.link_flow[a * self.h + d],
                    ))
                }
            }
        } else {
            match k {
                0 if v == self.dest => Some((Edge::Sink { t }, z, INF)),
                1 if t + 1 < self.h && v != self.dest => Some((
                    Edge::HoldOut { v, t, fwd: true },
                    x + (2 << self.shift),
                    INF,
                )),
                2 if t > 0 => Some((
                    Edge::HoldOut {
                        v,
                        t: t - 1,
                        fwd: false,
                    },
                    x - (2 << self.shift),
                    self.hold_out[i - 1],
                )),
                3 => Some((Edge::Recv { v, t, fwd: false }, x - 1, self.recv[i])),
                0..=2 => none,
                _ => {
                    let j = net.out_start[v] as usize + k - 4;
                    if j >= net.out_start[v + 1] as usize {
                        return None;
                    }
                    let a = net.out_arc[j] as usize;
                    let transit = net.arc_transit[a] as usize;
                    if t + transit >= self.h {
                        return none;
                    }
                    Some((
                        Edge::Link { a, t, fwd: true },
                        self.id(net.arc_to[a] as usize, t + transit, false),
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

    /// Whether `x` is inside the current window of days (`lo..=hi`) and on some path from a bucket to the sink
    /// by `hi` (no earlier than anything can be at its node, early enough to reach the destination by `hi`),
    /// or is the source or sink. Every node of an augmenting path is on such a path: the network expanded in
    /// time has no cycles, so flow, and with it every reverse arc, runs only through such nodes.
    #[inline]
    fn inside(&self, x: usize) -> bool {
        if x >= self.s() {
            return true;
        }
        let t = self.day(x);
        let v = (x >> 1) & self.mask;
        t >= self.lo
            && t <= self.hi
            && t >= self.earliest[v]
            && t.saturating_add(self.to_dest[v]) <= self.hi
    }

    /// Breadth-first levels from the source over residual arcs within the window; whether the sink was reached.
    /// Nodes at the sink's level or beyond are not expanded: no shortest path runs through them.
    fn bfs(&mut self) -> bool {
        let (s, z) = (self.s(), self.z());
        self.unlabel();
        self.back = false;
        self.level[s] = 0;
        self.it[s] = 0;
        self.queue.push(s as u32);
        let mut head = 0;
        while head < self.queue.len() {
            let x = self.queue[head] as usize;
            head += 1;
            let next = self.level[x] + 1;
            if self.level[z] != UNSET && next > self.level[z] {
                break;
            }
            let mut heads = std::mem::take(&mut self.scratch);
            heads.clear();
            self.each_residual(x, |y| heads.push(y));
            for &y in &heads {
                if self.level[y] == UNSET && self.inside(y) {
                    self.level[y] = next;
                    self.it[y] = 0;
                    if y != z {
                        self.queue.push(y as u32);
                    }
                }
            }
            self.scratch = heads;
        }
        self.work += self.queue.len() as u64;
        self.level[z] != UNSET
    }

    /// Unlabels the nodes the last search of either direction labelled (all in its queue, the ends aside):
    /// cheaper than clearing the whole window.
    fn unlabel(&mut self) {
        for &x in &self.queue {
            self.level[x as usize] = UNSET;
        }
        for &x in &self.back_queue {
            self.level[x as usize] = UNSET;
        }
        let (s, z) = (self.s(), self.z());
        self.level[s] = UNSET;
        self.level[z] = UNSET;
        self.queue.clear();
        self.back_queue.clear();
    }

    /// Breadth-first levels searched backwards from the sink (each node's level is its fewest arcs to the
    /// sink); whether the source reaches the sink.
    ///
    /// The search starts only from the sink arcs of days `sink_lo..=hi`: a path to an earlier day's sink would
    /// carry more by that day than its maximum flow, found when the horizon stopped there. Where the place's
    /// reception (or a link into it) is full, the search dies out at once, and the flow is known to be the
    /// most; where it reaches the source, the levels lead Dinic's phase straight to the sink. Searching
    /// forwards instead covers every node the loads can reach, most of them leading nowhere.
    fn back_bfs(&mut self) -> bool {
        let (s, z) = (self.s(), self.z());
        self.unlabel();
        self.level[z] = 0;
        self.back_queue.push(z as u32);
        let mut head = 0;
        while head < self.back_queue.len() {
            let y = self.back_queue[head] as usize;
            head += 1;
            let next = self.level[y] + 1;
            if self.level[s] != UNSET && next > self.level[s] {
                break;
            }
            let mut tails = std::mem::take(&mut self.scratch);
            tails.clear();
            self.each_residual_into(y, |x| tails.push(x));
            for &x in &tails {
                if self.level[x] == UNSET && (x == s || self.inside(x)) {
                    self.level[x] = next;
                    self.it[x] = 0;
                    if x != s {
                        self.back_queue.push(x as u32);
                    }
                }
            }
            self.scratch = tails;
        }
        self.work += self.back_queue.len() as u64;
        self.back = true;
        self.level[s] != UNSET
    }

    /// Calls `f` with the tail of every arc into `y` that has residual capacity (the arcs of `edge`, seen
    /// from their heads).
    #[inline(always)]
    fn each_residual_into(&self, y: usize, mut f: impl FnMut(usize)) {
        let (s, z) = (self.s(), self.z());
        if y == s {
            return;
        }
        if y == z {
            for t in self.sink_lo..=self.hi.min(self.h - 1) {
                f(self.id(self.dest, t, true));
            }
            return;
        }
        let net = self.net;
        let h = self.h;
        let step = 2 << self.shift;
        let v = (y >> 1) & self.mask;
        let t = self.day(y);
        let i = v * h + t;
        if y & 1 == 0 {
            for (k, b) in self.buckets.iter().enumerate() {
                if b.node == v && b.day == t && b.amount > self.src[k] {
                    f(s);
                }
            }
            if t > 0 {
                f(y - step);
            }
            if t + 1 < h && self.hold_in[i] > 0 {
                f(y + step);
            }
            if self.recv[i] > 0 {
                f(y + 1);
            }
            for &a in &net.in_arc[net.in_start[v] as usize..net.in_start[v + 1] as usize] {
                let a = a as usize;
                let tr = net.arc_transit[a] as usize;
                if t >= tr && self.cap_link(a, t - tr) > self.link_flow[a * h + t - tr] {
                    f(self.id(net.arc_from[a] as usize, t - tr, true));
                }
            }
        } else {
            if self.cap_node(v, t) > self.recv[i] {
                f(y - 1);
            }
            if t > 0 && v != self.dest {
                f(y - step);
            }
            if t + 1 < h && self.hold_out[i] > 0 {
                f(y + step);
            }
            for &a in &net.out_arc[net.out_start[v] as usize..net.out_start[v + 1] as usize] {
                let a = a as usize;
                let tr = net.arc_transit[a] as usize;
                if t + tr < h && self.link_flow[a * h + t] > 0 {
                    f(self.id(net.arc_to[a] as usize, t + tr, false));
                }
            }
        }
    }

    /// Calls `f` with the head of every arc out of `x` that has residual capacity (the same arcs as `edge`,
    /// without building them: the breadth-first search's inner loop).
    #[inline(always)]
    fn each_residual(&self, x: usize, mut f: impl FnMut(usize)) {
        let s = self.s();
        if x >= s {
            if x == s {
                for (k, b) in self.buckets.iter().enumerate() {
                    if b.day < self.h && b.amount > self.src[k] {
                        f(self.id(b.node, b.day, false));
                    }
                }
            }
            return;
        }
        let net = self.net;
        let h = self.h;
        let step = 2 << self.shift;
        let v = (x >> 1) & self.mask;
        let t = self.day(x);
        let i = v * h + t;
        if x & 1 == 0 {
            if self.cap_node(v, t) > self.recv[i] {
                f(x + 1);
            }
            if t + 1 < h {
                f(x + step);
            }
            if t > 0 && self.hold_in[i - 1] > 0 {
                f(x - step);
            }
            for &a in &net.in_arc[net.in_start[v] as usize..net.in_start[v + 1] as usize] {
                let a = a as usize;
                let tr = net.arc_transit[a] as usize;
                if t >= tr && self.link_flow[a * h + t - tr] > 0 {
                    f(self.id(net.arc_from[a] as usize, t - tr, true));
                }
            }
        } else {
            if v == self.dest {
                f(s + 1);
            } else if t + 1 < h {
                f(x + step);
            }
            if t > 0 && self.hold_out[i - 1] > 0 {
                f(x - step);
            }
            if self.recv[i] > 0 {
                f(x - 1);
            }
            for &a in &net.out_arc[net.out_start[v] as usize..net.out_start[v + 1] as usize] {
                let a = a as usize;
                let tr = net.arc_transit[a] as usize;
                if t + tr < h && self.cap_link(a, t) > self.link_flow[a * h + t] {
                    f(self.id(net.arc_to[a] as usize, t + tr, false));
                }
            }
        }
    }

    /// Blocking flow along level-increasing paths (Dinic's phase); returns the amount pushed. After each
    /// augmentation the search backs up only to the first arc it saturated.
    fn blocking(&mut self) -> u64 {
        let (s, z) = (self.s(), self.z());
        let mut total = 0;
        let mut path: Vec<Step> = Vec::new();
        let mut x = s;
        loop {
            if x == z {
                let f = path.iter().map(|p| p.residual).min().unwrap_or(0);
                let mut cut = None;
                for (i, p) in path.iter_mut().enumerate() {
                    p.residual -= f;
                    if p.residual == 0 && cut.is_none() {
                        cut = Some(i);
                    }
                }
                let cut = cut.unwrap_or(0);
                for p in &path {
                    self.push(p.edge, f);
                }
                total += f;
                x = path[cut].from;
                path.truncate(cut);
                continue;
            }
            let mut advanced = false;
            let level = self.level[x];
            while let Some((e, y, r)) = self.edge(x, self.it[x] as usize) {
                self.work += 1;
                let ly = self.level[y];
                let on_level = if self.back {
                    ly != UNSET && ly + 1 == level
                } else {
                    ly == level + 1
                };
                if r > 0 && on_level && self.inside(y) {
                    path.push(Step {
                        from: x,
                        k: self.it[x],
                        edge: e,
                        residual: r,
                    });
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
                    Some(p) => {
                        self.it[p.from] = p.k + 1;
                        x = p.from;
                    }
                }
            }
        }
    }

    /// Splits the flow into paths, bucket by bucket, taking at each node the first arc with flow in `edge`'s
    /// order (reception before waiting; at an `out` node the sink, then waiting, then the links); each bucket's
    /// arrivals.
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
///
/// `stops`: the days at which the horizon stops to be filled (ascending), `None` for every day. The arrivals
/// are exact (the most the network delivers) by each day it stops at; between two stops the flow reaches the
/// later one as early as it may but not necessarily the days between. Stopping at fewer days is faster: each
/// stop searches the whole window.
#[allow(clippy::too_many_arguments)]
pub(crate) fn earliest_arrival(
    net: &Net,
    link_cap: &[u64],
    node_cap: &[u64],
    buckets: &[Bucket],
    dest: usize,
    days_to: &[usize],
    h: usize,
    stops: Option<&[usize]>,
) -> Delivered {
    let h = h.min(net.horizon);
    let n = net.nodes.len();
    let shift = usize::BITS - n.max(1).leading_zeros();
    let ids = (h << shift) * 2 + 2;
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
        shift,
        mask: (1 << shift) - 1,
        link_flow: vec![0; net.arcs.len() * h],
        recv: vec![0; n * h],
        hold_in: vec![0; n * h],
        hold_out: vec![0; n * h],
        src: vec![0; buckets.len()],
        sink: vec![0; h],
        level: vec![UNSET; ids],
        it: vec![0; ids],
        queue: Vec::new(),
        back_queue: Vec::new(),
        back: false,
        work: 0,
        sink_lo: 0,
        scratch: Vec::new(),
        lo,
        hi: lo,
        earliest: net.days_from(buckets.iter().map(|b| (b.node, b.day))),
        to_dest: days_to,
    };
    let mut delivered = 0;
    // The recent cost of a phase searched forwards and backwards.
    let mut cost = [0.0f64; 2];
    let mut phase: u64 = 0;
    if demand > 0 && first < h {
        let every: Vec<usize>;
        let stops = match stops {
            Some(s) => s,
            None => {
                every = (first..h).collect();
                &every
            }
        };
        for &t in stops.iter().filter(|&&t| t >= first && t < h) {
            solver.hi = t;
            loop {
                // Each phase searches the way that has cost less lately (nodes labelled and arcs tried: which
                // is cheaper depends on where the loads start and where the network is full), trying the other
                // way every few phases.
                phase += 1;
                let back = (cost[1] <= cost[0]) != phase.is_multiple_of(PROBE_EVERY);
                let before = solver.work;
                let found = if back {
                    solver.back_bfs()
                } else {
                    solver.bfs()
                };
                if found {
                    delivered += solver.blocking();
                }
                let k = usize::from(back);
                let spent = (solver.work - before) as f64;
                cost[k] = if cost[k] == 0.0 {
                    spent
                } else {
                    0.75 * cost[k] + 0.25 * spent
                };
                if !found || delivered == demand {
                    break;
                }
            }
            solver.sink_lo = t + 1;
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
