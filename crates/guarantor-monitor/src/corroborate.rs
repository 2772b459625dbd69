//! Corroboration: reports of one event merged into an incident, and the incident's confidence graded.
//!
//! Two reports are of one event when their kinds are compatible and they are close in time and in space,
//! allowing for each report's own precision: `|t₁ − t₂| ≤ p₁ + p₂ + slack` hours and
//! `distance ≤ r₁ + r₂ + slack` km. Incidents are the connected groups of that relation (so a report that
//! links two others joins all three), which makes the result independent of the order reports arrive in.

use guarantor_core::{Confidence, EventKind, Report, SourceKind, geodesic_km};

/// How far apart two reports of one event may be, beyond their own stated precision.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Slack {
    /// # Units
    /// km
    pub km: f64,
    /// # Units
    /// hours
    pub hours: f64,
}

impl Default for Slack {
    /// 2 km and 1 hour: two accounts of one shelling rarely agree closer than that, and a wider net starts
    /// to join separate events in a busy sector (the OSCE mission counted over 11,000 violations on one day).
    fn default() -> Self {
        Slack {
            km: 2.0,
            hours: 1.0,
        }
    }
}

/// Whether two kinds of event can be the same event seen by different sources: the same kind; an
/// infrastructure strike and the weapon that made it (artillery, drone, missile); a drone and a missile (often
/// confused); a drone and an air incursion; a mine and a naval event; a clash of unreported weapons and any
/// fighting on land.
pub fn compatible(a: EventKind, b: EventKind) -> bool {
    use EventKind::*;
    let pair = |x, y| (a == x && b == y) || (a == y && b == x);
    a == b
        || pair(InfrastructureStrike, Artillery)
        || pair(InfrastructureStrike, Drone)
        || pair(InfrastructureStrike, Missile)
        || pair(Drone, Missile)
        || pair(Drone, AirIncursion)
        || pair(Mine, Naval)
        || (a == Clash || b == Clash)
            && [a, b].iter().all(|k| {
                matches!(
                    k,
                    Clash | Artillery | SmallArms | Drone | Missile | Mine | InfrastructureStrike
                )
            })
}

/// Whether `a` and `b` can be accounts of one event.
pub fn same_event(a: &Report, b: &Report, slack: Slack) -> bool {
    if !compatible(a.kind, b.kind) {
        return false;
    }
    let hours = (a.time.as_second() - b.time.as_second()).abs() as f64 / 3600.0;
    if hours > a.time_precision.radius + b.time_precision.radius + slack.hours {
        return false;
    }
    geodesic_km(a.place, b.place) <= a.place_precision.radius + b.place_precision.radius + slack.km
}

/// The coalition's own eyes: its monitors on patrol and its sensors.
fn own(kind: SourceKind) -> bool {
    matches!(kind, SourceKind::Patrol | SourceKind::Sensor)
}

/// The confidence of an incident from its reports' sources. Sources are independent when their names differ.
///
/// - `confirmed`: two independent sources or more, at least one of them the coalition's own;
/// - `probable`: the coalition's own source alone, or two independent sources or more of which at least one is
///   not a party to the conflict (the media, say);
/// - `possible`: two independent sources or more, all of them parties (each side's claim about the other);
/// - `single_source`: one source that is not the coalition's.
pub fn grade<'a>(reports: impl IntoIterator<Item = &'a Report>) -> Confidence {
    let mut sources: Vec<(&str, SourceKind)> = reports
        .into_iter()
        .map(|r| (r.source.as_str(), r.source_kind))
        .collect();
    sources.sort_unstable_by(|a, b| a.0.cmp(b.0).then(a.1.as_str().cmp(b.1.as_str())));
    sources.dedup_by(|a, b| a.0 == b.0);
    let has_own = sources.iter().any(|(_, k)| own(*k));
    let independent = sources.len() >= 2;
    let beyond_parties = sources.iter().any(|(_, k)| *k != SourceKind::Party);
    match (independent, has_own) {
        (true, true) => Confidence::Confirmed,
        (false, true) => Confidence::Probable,
        (true, false) if beyond_parties => Confidence::Probable,
        (true, false) => Confidence::Possible,
        (false, false) => Confidence::SingleSource,
    }
}

/// Groups of report indices, one per incident: each group in ascending time (then source, then id), the
/// groups by their first report. The same reports in any order give the same groups (of the same reports).
pub fn group(reports: &[Report], slack: Slack) -> Vec<Vec<usize>> {
    // Reports in time order; a report can only join those within the widest window any pair could have.
    let mut order: Vec<usize> = (0..reports.len()).collect();
    let key = |i: &usize| {
        let r = &reports[*i];
        (r.time, r.source.clone(), r.id.clone(), *i)
    };
    order.sort_by_key(key);
    let widest = reports
        .iter()
        .map(|r| r.time_precision.radius)
        .fold(0.0f64, f64::max);
    let reach_seconds = ((2.0 * widest + slack.hours) * 3600.0).ceil() as i64;
    let mut parent: Vec<usize> = (0..reports.len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for (n, &i) in order.iter().enumerate() {
        let t = reports[i].time.as_second();
        for &j in &order[n + 1..] {
            if reports[j].time.as_second() - t > reach_seconds {
                break;
            }
            // A degree of latitude is at least 110.5 km: a cheap test before the geodesic one.
            let (a, b) = (&reports[i], &reports[j]);
            let reach_km = a.place_precision.radius + b.place_precision.radius + slack.km;
            if (a.place.y() - b.place.y()).abs() * 110.5 > reach_km {
                continue;
            }
            if same_event(a, b, slack) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                if a != b {
                    // The smaller index leads: deterministic whatever the order of the unions.
                    let (lo, hi) = (a.min(b), a.max(b));
                    parent[hi] = lo;
                }
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for &i in &order {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    let mut out: Vec<Vec<usize>> = groups.into_values().collect();
    out.sort_by_key(|g| key(&g[0]));
    out
}
