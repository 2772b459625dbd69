//! Movement at a finer resolution than days, for responses: the first 72 hours are the ones that matter, and a
//! quick-reaction force by road arrives the same day.
//!
//! The network is the same; time moves in steps of `1 / steps_per_day` day (24: hours). A link takes
//! `ceil(distance × steps_per_day / speed)` steps, at least one; each day's capacity of a link or node is spread
//! over its steps as evenly as whole troops and tonnes allow, the steps of a day adding up to the day's
//! capacity. The network is at full capacity: the deployment is over when a response moves.
//!
//! Two questions, both exact in that model:
//! - [`StepNet::alone`]: when each mover, alone on the network, would first deliver and would close (the fastest
//!   a reserve, a stockpile, can be at the place: how swiftly each option materialises);
//! - [`StepNet::buildup`]: how much can be at the place by each step asked when all movers go together — an
//!   earliest-arrival flow of each commodity from many origins and ready steps: by every step asked, the most
//!   the network can deliver by then.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use guarantor_core::{Network, NodeId};

use crate::flow::{Bucket, earliest_arrival};
use crate::net::{Capacity, Net};
use crate::{Commodity, MovementError, NotClosed};

/// Something that moves to the place: troops and cargo from a node, ready at a step.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mover {
    /// Where it starts.
    pub node: NodeId,
    /// The first step it may leave.
    pub ready_step: u32,
    /// Its people.
    ///
    /// # Units
    /// troops
    pub troops: u64,
    /// Its cargo.
    ///
    /// # Units
    /// tonnes (whole)
    pub tonnes: u64,
}

/// When a mover, alone on the network, delivers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alone {
    /// The step its first troops or tonnes are received (for a mover already at the place, its ready step).
    pub first_step: Option<u32>,
    /// The step the last of both are received: it has closed.
    pub closed_step: Option<u32>,
    /// Why it does not close within the horizon.
    pub not_closed: Option<NotClosed>,
}

/// What can be at the place by each step asked when all movers go together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Buildup {
    /// The steps asked (ascending, within the horizon).
    pub steps: Vec<u32>,
    /// Troops received by the end of each of those steps.
    pub troops: Vec<u64>,
    /// Tonnes received by the end of each of those steps.
    pub tonnes: Vec<u64>,
}

/// The network indexed at a resolution of `steps_per_day` steps a day, over `horizon` steps.
///
/// It keeps the arrivals of each load it has searched alone (see [`StepNet::alone`]): a clone shares them.
#[derive(Clone, Debug)]
pub struct StepNet {
    net: Net,
    full: Capacity,
    curves: Arc<Mutex<HashMap<CurveKey, Curve>>>,
}

/// A load alone searched: the place, its node, the commodity, and its ready step within the day.
type CurveKey = (usize, usize, usize, usize);

/// The arrivals of one load alone, kept for every other load from the same node at the same time of day.
///
/// The network is at full capacity on every step and a day's capacity is spread over its steps the same way
/// every day, so a load ready `δ` steps later (a whole number of days) arrives exactly `δ` steps later, the
/// horizon apart; and a load of `a` at most the amount searched has, by each step, arrived as far as
/// `min(a, what the search had delivered by then)` (one source: the least cut is the load or the network's), so
/// it closes at the first step the search had delivered `a`.
#[derive(Clone, Debug)]
struct Curve {
    /// The ready step searched.
    ready: usize,
    /// The amount searched.
    amount: u64,
    /// Each step something arrived and the total arrived by then (ascending).
    arrived: Vec<(usize, u64)>,
}

/// One commodity of a load alone: the first step anything arrives, and the step it closes (`None`: not
/// within the horizon).
struct Outcome {
    first: Option<usize>,
    closed: Option<usize>,
}

impl Curve {
    /// The outcome for `amount` ready at `ready`, when this search answers it (`None`: search again).
    fn answer(&self, ready: usize, amount: u64, horizon: usize) -> Option<Outcome> {
        let delta = ready.checked_sub(self.ready)?;
        let within = |t: usize| Some(t + delta).filter(|&t| t < horizon);
        let total = self.arrived.last().map_or(0, |a| a.1);
        let closed = match self.arrived.iter().find(|a| a.1 >= amount) {
            Some(&(t, _)) => within(t),
            // Short of the amount searched: the horizon stopped it, and stops a later load sooner.
            None if total < self.amount => None,
            None => return None,
        };
        Some(Outcome {
            first: self.arrived.first().and_then(|a| within(a.0)),
            closed,
        })
    }
}

impl StepNet {
    /// Indexes `network` over `horizon_steps` steps of `1 / steps_per_day` day.
    pub fn new(
        network: &Network,
        horizon_steps: u32,
        steps_per_day: u32,
    ) -> Result<StepNet, MovementError> {
        if horizon_steps == 0 || steps_per_day == 0 {
            return Err(MovementError::NoHorizon);
        }
        let net = Net::with_steps(network, horizon_steps as usize, steps_per_day)?;
        let full = Capacity::full(network, &net);
        Ok(StepNet {
            net,
            full,
            curves: Arc::default(),
        })
    }

    /// Steps planned: `0..horizon`.
    pub fn horizon(&self) -> u32 {
        self.net.horizon as u32
    }

    /// Steps a day.
    pub fn steps_per_day(&self) -> u32 {
        self.net.steps_per_day
    }

    /// The fewest steps from `node` to `dest` over links and nodes that carry `commodity` at all
    /// (`None`: unreachable).
    pub fn fewest_steps(
        &self,
        node: &NodeId,
        dest: &NodeId,
        commodity: Commodity,
    ) -> Result<Option<u32>, MovementError> {
        let d = self.net.node(dest)?;
        let v = self.net.node(node)?;
        let dist = self.net.days_to(d, &self.full, commodity);
        Ok((dist[v] != usize::MAX).then(|| dist[v] as u32))
    }

    /// Each mover alone on the network at full capacity: when it first delivers and when it closes at `dest`.
    /// A mover standing at `dest` is there from its ready step. The movers are independent: they are solved on
    /// as many threads as the machine has cores. A search answers every later question about a load from the
    /// same node at the same time of day and no larger (kept, and shared by clones).
    pub fn alone(&self, dest: &NodeId, movers: &[Mover]) -> Result<Vec<Alone>, MovementError> {
        let d = self.net.node(dest)?;
        let nodes = movers
            .iter()
            .map(|m| self.net.node(&m.node))
            .collect::<Result<Vec<usize>, MovementError>>()?;
        let dist = [
            self.net.days_to(d, &self.full, Commodity::Troops),
            self.net.days_to(d, &self.full, Commodity::Tonnes),
        ];
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(movers.len());
        if threads <= 1 {
            return Ok(movers
                .iter()
                .zip(&nodes)
                .map(|(m, &v)| self.alone_one(d, &dist, m, v))
                .collect());
        }
        let next = std::sync::atomic::AtomicUsize::new(0);
        let mut out: Vec<Option<Alone>> = vec![None; movers.len()];
        let done: Vec<Vec<(usize, Alone)>> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        let mut mine = Vec::new();
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(m) = movers.get(i) else { break };
                            mine.push((i, self.alone_one(d, &dist, m, nodes[i])));
                        }
                        mine
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect()
        });
        for (i, a) in done.into_iter().flatten() {
            out[i] = Some(a);
        }
        Ok(out
            .into_iter()
            .map(|a| a.unwrap_or_else(|| unreachable!("every mover is taken by a worker")))
            .collect())
    }

    /// One mover alone (`v`: its node, `d`: the place, `dist`: each commodity's fewest steps to the place).
    fn alone_one(&self, d: usize, dist: &[Vec<usize>; 2], m: &Mover, v: usize) -> Alone {
        let h = self.net.horizon;
        if v == d {
            let at = (m.ready_step as usize) < h;
            return Alone {
                first_step: at.then_some(m.ready_step),
                closed_step: at.then_some(m.ready_step),
                not_closed: (!at).then_some(NotClosed::Horizon),
            };
        }
        let mut first: Option<u32> = None;
        let mut closed: Option<u32> = Some(m.ready_step);
        let mut why = None;
        for c in Commodity::ALL {
            let k = c.index();
            let amount = match c {
                Commodity::Troops => m.troops,
                Commodity::Tonnes => m.tonnes,
            };
            if amount == 0 {
                continue;
            }
            if dist[k][v] == usize::MAX {
                why = Some(NotClosed::Unreachable);
                closed = None;
                continue;
            }
            if (m.ready_step as usize).saturating_add(dist[k][v]) >= h {
                why.get_or_insert(NotClosed::Horizon);
                closed = None;
                continue;
            }
            let got = self.one(c, v, d, &dist[k], m.ready_step as usize, amount);
            if let Some(t) = got.first {
                first = Some(first.map_or(t as u32, |f| f.min(t as u32)));
            }
            match got.closed {
                Some(t) => closed = closed.map(|c| c.max(t as u32)),
                None => {
                    why.get_or_insert(NotClosed::Horizon);
                    closed = None;
                }
            }
        }
        if m.troops == 0 && m.tonnes == 0 {
            first = Some(m.ready_step);
        }
        Alone {
            first_step: first,
            closed_step: closed,
            not_closed: if closed.is_some() { None } else { why },
        }
    }

    /// One commodity of one load alone: from the arrivals kept when they answer it, else searched (and kept).
    fn one(
        &self,
        c: Commodity,
        v: usize,
        d: usize,
        dist: &[usize],
        ready: usize,
        amount: u64,
    ) -> Outcome {
        let h = self.net.horizon;
        let k = c.index();
        let key = (d, v, k, ready % self.net.steps_per_day.max(1) as usize);
        let curves = || self.curves.lock().unwrap_or_else(|p| p.into_inner());
        let (ready_asked, amount_asked) = (ready, amount);
        // A new search covers the one it replaces too: the earlier ready step, the larger amount.
        let (ready, amount) = match curves().get(&key) {
            Some(known) => match known.answer(ready, amount, h) {
                Some(out) => return out,
                None => (ready.min(known.ready), amount.max(known.amount)),
            },
            None => (ready, amount),
        };
        // The kept arrivals are not locked while the network is searched.
        let bucket = [Bucket {
            node: v,
            day: ready,
            amount,
        }];
        let got = earliest_arrival(
            &self.net,
            &self.full.link[k],
            &self.full.node[k],
            &bucket,
            d,
            dist,
            h,
            None,
        );
        let mut total = 0;
        let arrived: Vec<(usize, u64)> = got.arrivals[0]
            .iter()
            .map(|&(t, f)| {
                total += f;
                (t, total)
            })
            .collect();
        let curve = Curve {
            ready,
            amount,
            arrived,
        };
        let out = curve
            .answer(ready_asked, amount_asked, h)
            .unwrap_or_else(|| unreachable!("a search answers the load it was made for"));
        curves().insert(key, curve);
        out
    }

    /// All `movers` together, each commodity an earliest-arrival flow to `dest`: by each of the steps `at`, the
    /// most that can have been received there. Movers standing at `dest` count from their ready step.
    ///
    /// Each step asked costs a search over the whole window of steps before it: a timeline that needs hours
    /// for the first days and then days asks for exactly those (steps past the horizon are left out).
    pub fn buildup(
        &self,
        dest: &NodeId,
        movers: &[Mover],
        at: &[u32],
    ) -> Result<Buildup, MovementError> {
        let d = self.net.node(dest)?;
        let h = self.net.horizon;
        let mut steps: Vec<u32> = at.iter().copied().filter(|&t| (t as usize) < h).collect();
        steps.sort_unstable();
        steps.dedup();
        let stops: Vec<usize> = steps.iter().map(|&t| t as usize).collect();
        let mut out = Buildup {
            troops: vec![0; steps.len()],
            tonnes: vec![0; steps.len()],
            steps,
        };
        for c in Commodity::ALL {
            let k = c.index();
            let dist = self.net.days_to(d, &self.full, c);
            let amount = |m: &Mover| match c {
                Commodity::Troops => m.troops,
                Commodity::Tonnes => m.tonnes,
            };
            let mut per_step = vec![0u64; h];
            let mut buckets: BTreeMap<(usize, usize), u64> = BTreeMap::new();
            for m in movers {
                let v = self.net.node(&m.node)?;
                let (a, t) = (amount(m), m.ready_step as usize);
                if a == 0 || t >= h {
                    continue;
                }
                if v == d {
                    per_step[t] += a;
                } else if dist[v] != usize::MAX && t.saturating_add(dist[v]) < h {
                    *buckets.entry((v, t)).or_default() += a;
                }
            }
            let buckets: Vec<Bucket> = buckets
                .into_iter()
                .map(|((node, day), amount)| Bucket { node, day, amount })
                .collect();
            if !buckets.is_empty() {
                let got = earliest_arrival(
                    &self.net,
                    &self.full.link[k],
                    &self.full.node[k],
                    &buckets,
                    d,
                    &dist,
                    h,
                    Some(&stops),
                );
                for (t, f) in got.arrivals.iter().flatten() {
                    per_step[*t] += f;
                }
            }
            let curve = match c {
                Commodity::Troops => &mut out.troops,
                Commodity::Tonnes => &mut out.tonnes,
            };
            let mut total = 0;
            let mut next = 0;
            for (i, &stop) in stops.iter().enumerate() {
                while next <= stop {
                    total += per_step[next];
                    next += 1;
                }
                curve[i] = total;
            }
        }
        Ok(out)
    }
}
