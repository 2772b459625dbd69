//! The reinforcement matrix: for each site and capability, the fewest days until one unit of it can be at the
//! site, from the reserve that gets there first.

use guarantor_core::{CapabilityId, Network, NodeId, ReserveKind, SiteId};

use crate::flow::{Bucket, earliest_arrival};
use crate::net::{Capacity, Net};
use crate::{Commodity, MovementError};

/// A force that could reinforce: a reserve, a unit of the deployed force held back, or a pledge's spare unit.
#[derive(Clone, Debug, PartialEq)]
pub struct ReinforcementSource {
    /// What to call it, e.g. `efp-romania` or `pledge gbr-armour`.
    pub label: String,
    /// Where it stands.
    pub kind: ReserveKind,
    /// Its node.
    pub node: NodeId,
    /// What kind of unit.
    pub capability: CapabilityId,
    /// One unit's people.
    ///
    /// # Units
    /// troops
    pub troops: u64,
    /// One unit's cargo.
    ///
    /// # Units
    /// tonnes (whole)
    pub tonnes: u64,
    /// Days before it can leave.
    pub notice_days: u32,
}

/// One cell of the matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct Reinforcement {
    /// The site.
    pub site: SiteId,
    /// The capability.
    pub capability: CapabilityId,
    /// Days from the order until one unit has closed at the site (notice included).
    pub days: u32,
    /// The fastest source (index into the sources given).
    pub source: usize,
}

/// For each `(site, node)` target and each capability among `sources` (in order of first appearance), the
/// fastest source and its days, over the network at full capacity (the deployment is over). Sources standing at
/// the target's own node are not reinforcements (they are there already). Pairs no source reaches within
/// `horizon_days` are left out. Ties go to the source listed first.
pub fn reinforcement(
    network: &Network,
    targets: &[(SiteId, NodeId)],
    sources: &[ReinforcementSource],
    horizon_days: u32,
) -> Result<Vec<Reinforcement>, MovementError> {
    if horizon_days == 0 {
        return Err(MovementError::NoHorizon);
    }
    let h = horizon_days as usize;
    let net = Net::new(network, h)?;
    let cap = Capacity::full(network, &net);
    let nodes: Vec<usize> = sources
        .iter()
        .map(|s| net.node(&s.node))
        .collect::<Result<_, _>>()?;
    let mut capabilities: Vec<&CapabilityId> = Vec::new();
    for s in sources {
        if !capabilities.contains(&&s.capability) {
            capabilities.push(&s.capability);
        }
    }
    let mut out = Vec::new();
    for (site, node) in targets {
        let dest = net.node(node)?;
        let days_to = [
            net.days_to(dest, &cap, Commodity::Troops),
            net.days_to(dest, &cap, Commodity::Tonnes),
        ];
        let reach = |i: usize, s: &ReinforcementSource| {
            let mut days = 0;
            for (k, amount) in [(0, s.troops), (1, s.tonnes)] {
                if amount > 0 {
                    days = days.max(days_to[k][nodes[i]]);
                }
            }
            days
        };
        for capability in &capabilities {
            // Candidates by their lower bound: notice, then the fewest days over the network.
            let mut candidates: Vec<(usize, usize)> = sources
                .iter()
                .enumerate()
                .filter(|(i, s)| {
                    &&s.capability == capability && nodes[*i] != dest && reach(*i, s) != usize::MAX
                })
                .map(|(i, s)| (s.notice_days as usize + reach(i, s), i))
                .collect();
            candidates.sort_unstable();
            let mut best: Option<(usize, usize)> = None;
            for (bound, i) in candidates {
                // A source bounded at the best day so far can still tie it, and win if listed first.
                if best.is_some_and(|(d, _)| bound > d) || bound >= h {
                    break;
                }
                let limit = best.map_or(h, |(d, _)| d + 1).min(h);
                let s = &sources[i];
                let mut closed = Some(s.notice_days as usize);
                for (k, amount) in [(0, s.troops), (1, s.tonnes)] {
                    if amount == 0 {
                        continue;
                    }
                    let bucket = [Bucket {
                        node: nodes[i],
                        day: s.notice_days as usize,
                        amount,
                    }];
                    let delivered = earliest_arrival(
                        &net,
                        &cap.link[k],
                        &cap.node[k],
                        &bucket,
                        dest,
                        &days_to[k],
                        limit,
                    );
                    let got: u64 = delivered.arrivals[0].iter().map(|(_, f)| f).sum();
                    let last = delivered.arrivals[0].last().map(|(d, _)| *d);
                    closed = match (closed, last) {
                        (Some(c), Some(l)) if got == amount => Some(c.max(l)),
                        _ => None,
                    };
                }
                if let Some(d) = closed
                    && best.is_none_or(|b| (d, i) < b)
                {
                    best = Some((d, i));
                }
            }
            if let Some((days, source)) = best {
                out.push(Reinforcement {
                    site: site.clone(),
                    capability: (*capability).clone(),
                    days: days as u32,
                    source,
                });
            }
        }
    }
    Ok(out)
}
