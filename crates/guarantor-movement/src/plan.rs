//! The movement plan: loads grouped by class and destination, moved group by group over what capacity is left,
//! then each load's closing day, the closure curve and the links and nodes that ran full.

use std::collections::BTreeMap;

use guarantor_core::{LinkId, Network, NodeId};

use crate::MovementError;
use crate::flow::{Bucket, earliest_arrival};
use crate::net::{Capacity, Net};

/// What moves: people or cargo. Each has its own capacities on every link and node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Commodity {
    /// People (troops per day).
    Troops,
    /// Cargo (tonnes per day).
    Tonnes,
}

impl Commodity {
    /// Both, in the order the engine moves them.
    pub const ALL: [Commodity; 2] = [Commodity::Troops, Commodity::Tonnes];

    /// `troops` or `tonnes`.
    pub fn as_str(self) -> &'static str {
        match self {
            Commodity::Troops => "troops",
            Commodity::Tonnes => "tonnes",
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// How a load gets to its destination.
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    /// Over the network.
    Network {
        /// Where it starts (its home node, or a depot).
        origin: NodeId,
        /// The node that serves its site.
        destination: NodeId,
    },
    /// By its own means, outside the network's capacities: ships sail and aircraft fly to an area.
    Own {
        /// Days under way.
        days: u32,
    },
}

/// One thing to move: a unit, or a stockpile.
#[derive(Clone, Debug, PartialEq)]
pub struct Load {
    /// A name for messages, e.g. `fra-mech-inf#2`.
    pub id: String,
    /// From where to where.
    pub route: Route,
    /// # Units
    /// troops
    pub troops: u64,
    /// # Units
    /// tonnes (whole)
    pub tonnes: u64,
    /// The first day it may leave (notice to move, a parliament's vote, its phase).
    pub ready_day: u32,
    /// Its class: lower classes move first and keep the capacity they take (e.g. phase, then priority).
    pub order: u32,
}

/// Why a load does not close.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotClosed {
    /// No path leads from its origin to its destination.
    Unreachable,
    /// It is still on its way at the end of the horizon.
    Horizon,
}

/// What happened to one load.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadOutcome {
    /// The day its troops were all received at the destination (`None` when they did not all arrive, or when
    /// it has tonnes but no troops).
    pub troops_day: Option<u32>,
    /// The day its cargo was all received.
    pub tonnes_day: Option<u32>,
    /// The day it closed: the later of the two; `None` when it did not close.
    pub arrival_day: Option<u32>,
    /// Why it did not close.
    pub not_closed: Option<NotClosed>,
}

/// Where a bottleneck is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum BottleneckAt {
    /// A link, in one direction.
    Link {
        /// The link.
        link: LinkId,
        /// The direction's start.
        from: NodeId,
        /// The direction's end.
        to: NodeId,
    },
    /// A node's reception.
    Node {
        /// The node.
        node: NodeId,
    },
}

/// A link or node that ran at capacity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bottleneck {
    /// Which.
    pub at: BottleneckAt,
    /// For people or for cargo.
    pub commodity: Commodity,
    /// Days it was full.
    pub days_full: u32,
    /// The first such day.
    pub first_day: u32,
    /// The last such day.
    pub last_day: u32,
}

/// The movement plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Movement {
    /// Days planned, from day 0.
    pub horizon_days: u32,
    /// One outcome per load, in the order given.
    pub loads: Vec<LoadOutcome>,
    /// `(day, troops)`: troops of the loads closed by each day a load closes, ascending.
    pub closure_curve: Vec<(u32, u64)>,
    /// Links and nodes that ran full, most days first.
    pub bottlenecks: Vec<Bottleneck>,
}

impl Movement {
    /// The first day by which the closed loads hold at least `troops` troops.
    pub fn first_day_with(&self, troops: u64) -> Option<u32> {
        self.closure_curve
            .iter()
            .find(|(_, t)| *t >= troops)
            .map(|(d, _)| *d)
    }
}

/// Moves `loads` over `network` within `horizon_days` days (see the crate's documentation for the rules).
pub fn movement(
    network: &Network,
    loads: &[Load],
    horizon_days: u32,
) -> Result<Movement, MovementError> {
    if horizon_days == 0 {
        return Err(MovementError::NoHorizon);
    }
    let h = horizon_days as usize;
    let net = Net::new(network, h)?;
    let full = Capacity::full(network, &net);
    let mut cap = full.clone();

    let (groups, mut moving) = Moving::group(&net, loads, horizon_days)?;
    let mut days_to_cache: BTreeMap<(usize, Commodity), Vec<usize>> = BTreeMap::new();
    for (dest, members) in groups.values() {
        for c in Commodity::ALL {
            let days_to = days_to_cache
                .entry((*dest, c))
                .or_insert_with(|| net.days_to(*dest, &full, c));
            moving.move_group(&net, &mut cap, *dest, members, c, days_to);
        }
    }

    let outcomes: Vec<LoadOutcome> = (0..loads.len()).map(|i| moving.outcome(i)).collect();
    let closure_curve = closure_curve(loads, &outcomes);
    Ok(Movement {
        horizon_days,
        loads: outcomes,
        closure_curve,
        bottlenecks: bottlenecks(network, &net, &full, &cap),
    })
}

impl Load {
    /// Its troops or its tonnes.
    fn amount(&self, c: Commodity) -> u64 {
        match c {
            Commodity::Troops => self.troops,
            Commodity::Tonnes => self.tonnes,
        }
    }
}

/// The groups of loads moved over the network: per (class, destination by first mention), the destination
/// node and the loads of the group, in input order.
type Groups = BTreeMap<(u32, usize), (usize, Vec<usize>)>;

/// The loads as they are moved, group by group: where each starts, the day each of its commodities was all
/// received, and why it did not close.
struct Moving<'l> {
    loads: &'l [Load],
    /// Days planned.
    h: usize,
    /// Each load's origin node (0 for a load moving by its own means).
    origins: Vec<usize>,
    /// Per load, the day its troops and the day its tonnes were all received.
    days: Vec<[Option<u32>; 2]>,
    not_closed: Vec<Option<NotClosed>>,
}

impl<'l> Moving<'l> {
    /// Groups the loads that move over the network; those moving by their own means arrive after their transit.
    fn group(
        net: &Net,
        loads: &'l [Load],
        horizon_days: u32,
    ) -> Result<(Groups, Self), MovementError> {
        let mut moving = Moving {
            loads,
            h: horizon_days as usize,
            origins: vec![0; loads.len()],
            days: vec![[None, None]; loads.len()],
            not_closed: vec![None; loads.len()],
        };
        let mut dest_rank: BTreeMap<usize, usize> = BTreeMap::new();
        let mut groups: Groups = BTreeMap::new();
        for (i, load) in loads.iter().enumerate() {
            match &load.route {
                Route::Network {
                    origin,
                    destination,
                } => {
                    moving.origins[i] = net.node(origin)?;
                    let d = net.node(destination)?;
                    let next = dest_rank.len();
                    let rank = *dest_rank.entry(d).or_insert(next);
                    groups
                        .entry((load.order, rank))
                        .or_insert_with(|| (d, Vec::new()))
                        .1
                        .push(i);
                }
                Route::Own { days: transit } => {
                    let day = load.ready_day.saturating_add(*transit);
                    if day < horizon_days {
                        moving.days[i] = [Some(day), Some(day)];
                    } else {
                        moving.not_closed[i] = Some(NotClosed::Horizon);
                    }
                }
            }
        }
        Ok((groups, moving))
    }

    /// Moves commodity `c` of a group's loads (`members`) to `dest` over the capacity left (`cap`, less what
    /// they take); `days_to` is each node's fewest days to `dest` on the empty network.
    fn move_group(
        &mut self,
        net: &Net,
        cap: &mut Capacity,
        dest: usize,
        members: &[usize],
        c: Commodity,
        days_to: &[usize],
    ) {
        let h = self.h;
        let (buckets, members_of) = self.buckets(members, c, days_to);
        if buckets.is_empty() {
            return;
        }
        let k = c.index();
        let delivered = earliest_arrival(
            net,
            &cap.link[k],
            &cap.node[k],
            &buckets,
            dest,
            days_to,
            h,
            None,
        );
        for (a, t, f) in delivered.link_use {
            cap.link[k][a * h + t] -= f;
        }
        for (v, t, f) in delivered.node_use {
            cap.node[k][v * h + t] -= f;
        }
        for (b, arrivals) in delivered.arrivals.iter().enumerate() {
            self.received(&members_of[b], arrivals, c);
        }
    }

    /// The group's loads (`members`) with some of commodity `c` that can arrive within the horizon, pooled by
    /// (origin, ready day): the buckets, and the loads of each. A load that cannot is marked as not closed.
    fn buckets(
        &mut self,
        members: &[usize],
        c: Commodity,
        days_to: &[usize],
    ) -> (Vec<Bucket>, Vec<Vec<usize>>) {
        let loads = self.loads;
        let mut buckets: Vec<Bucket> = Vec::new();
        let mut bucket_of: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        let mut members_of: Vec<Vec<usize>> = Vec::new();
        for &i in members {
            if loads[i].amount(c) == 0 {
                continue;
            }
            if days_to[self.origins[i]] == usize::MAX {
                self.not_closed[i] = Some(NotClosed::Unreachable);
                continue;
            }
            // It could not arrive within the horizon even on an empty network: it would only hold the
            // group's search open to the horizon.
            if (loads[i].ready_day as usize).saturating_add(days_to[self.origins[i]]) >= self.h {
                self.not_closed[i].get_or_insert(NotClosed::Horizon);
                continue;
            }
            let key = (self.origins[i], loads[i].ready_day as usize);
            let b = *bucket_of.entry(key).or_insert_with(|| {
                buckets.push(Bucket {
                    node: key.0,
                    day: key.1,
                    amount: 0,
                });
                members_of.push(Vec::new());
                buckets.len() - 1
            });
            buckets[b].amount += loads[i].amount(c);
            members_of[b].push(i);
        }
        (buckets, members_of)
    }

    /// The day each load of a bucket (`members`, in order) had all its commodity `c` received, from the
    /// bucket's `arrivals` (amounts by day, ascending): the first loads are served first.
    fn received(&mut self, members: &[usize], arrivals: &[(usize, u64)], c: Commodity) {
        let mut arrived = 0u64;
        let mut next = arrivals.iter();
        let mut day = None;
        let mut needed = 0u64;
        for &i in members {
            needed += self.loads[i].amount(c);
            while arrived < needed {
                match next.next() {
                    Some(&(d, f)) => {
                        arrived += f;
                        day = Some(d as u32);
                    }
                    None => break,
                }
            }
            if arrived >= needed {
                self.days[i][c.index()] = day;
            } else {
                self.not_closed[i].get_or_insert(NotClosed::Horizon);
            }
        }
    }

    /// What happened to load `i`, once every group has moved.
    fn outcome(&self, i: usize) -> LoadOutcome {
        let load = &self.loads[i];
        let [troops_day, tonnes_day] = self.days[i];
        let troops_day = troops_day.filter(|_| load.troops > 0 || load.tonnes == 0);
        let tonnes_day = tonnes_day.filter(|_| load.tonnes > 0);
        let arrival_day = match (self.not_closed[i], &load.route) {
            (Some(_), _) => None,
            // Moving itself, it arrives after its own transit, whatever it carries.
            (None, Route::Own { .. }) => self.days[i][0],
            // Nothing to move over the network: there as soon as it is ready.
            (None, Route::Network { .. }) if load.troops == 0 && load.tonnes == 0 => {
                Some(load.ready_day)
            }
            (None, Route::Network { .. }) => troops_day.max(tonnes_day),
        };
        LoadOutcome {
            troops_day,
            tonnes_day,
            arrival_day,
            not_closed: self.not_closed[i],
        }
    }
}

/// `(day, troops)`: troops of the loads closed by each day a load closes, ascending.
fn closure_curve(loads: &[Load], outcomes: &[LoadOutcome]) -> Vec<(u32, u64)> {
    let mut by_day: BTreeMap<u32, u64> = BTreeMap::new();
    for (load, outcome) in loads.iter().zip(outcomes) {
        if let Some(d) = outcome.arrival_day
            && load.troops > 0
        {
            *by_day.entry(d).or_default() += load.troops;
        }
    }
    let mut total = 0;
    by_day
        .into_iter()
        .map(|(d, t)| {
            total += t;
            (d, total)
        })
        .collect()
}

/// Every (arc or node, commodity) that had capacity and none left on some day.
fn bottlenecks(network: &Network, net: &Net, full: &Capacity, left: &Capacity) -> Vec<Bottleneck> {
    let h = net.horizon;
    let mut out = Vec::new();
    let mut scan = |at: BottleneckAt, c: Commodity, full: &[u64], left: &[u64]| {
        let mut found: Option<Bottleneck> = None;
        for t in 0..h {
            if full[t] > 0 && left[t] == 0 {
                let b = found.get_or_insert(Bottleneck {
                    at: at.clone(),
                    commodity: c,
                    days_full: 0,
                    first_day: t as u32,
                    last_day: t as u32,
                });
                b.days_full += 1;
                b.last_day = t as u32;
            }
        }
        out.extend(found);
    };
    for c in Commodity::ALL {
        let k = c.index();
        for (a, arc) in net.arcs.iter().enumerate() {
            let at = BottleneckAt::Link {
                link: network.links[arc.link].id.clone(),
                from: net.nodes[arc.from].clone(),
                to: net.nodes[arc.to].clone(),
            };
            let range = a * h..(a + 1) * h;
            scan(at, c, &full.link[k][range.clone()], &left.link[k][range]);
        }
        for (v, node) in net.nodes.iter().enumerate() {
            let at = BottleneckAt::Node { node: node.clone() };
            let range = v * h..(v + 1) * h;
            scan(at, c, &full.node[k][range.clone()], &left.node[k][range]);
        }
    }
    out.sort_by(|a, b| {
        b.days_full
            .cmp(&a.days_full)
            .then(a.first_day.cmp(&b.first_day))
            .then(a.at.cmp(&b.at))
            .then(a.commodity.cmp(&b.commodity))
    });
    out
}
