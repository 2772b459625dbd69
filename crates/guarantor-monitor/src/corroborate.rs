//! Corroboration: reports of one event merged into an incident, and the incident's confidence graded.
//!
//! Two reports are of one event when their kinds are compatible and they are close in time and in space,
//! allowing for each report's own precision. In time, a report's precision is the interval it stands for (a
//! report dated only to a day stands for that whole day): two reports can be of one event when their intervals
//! overlap, `|t₁ − t₂| < p₁ + p₂`, or when they are within the slack of each other whatever their precision
//! (`|t₁ − t₂| ≤ slack`, for accounts of one moment that disagree by minutes). So two events dated to
//! consecutive days stay apart. In space, `distance ≤ r₁ + r₂ + slack` km. Incidents are formed by complete
//! link: the closest-fitting pairs first, two incidents joining only when every report of one can be one event
//! with every report of the other — so a report between two events joins one, never both, and a busy city does
//! not chain into one incident. Ties are broken by the reports' own time, source and id, which makes the result
//! independent of the order reports arrive in.

use guarantor_core::{
    Confidence, EventKind, Report, SourceKind, chord, chord_km, geodesic_km, unit_vector,
};

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
/// infrastructure strike and the weapon that made it (artillery, drone, missile, air strike); a drone and a
/// missile, and a missile and an air strike (often confused); a drone and an air incursion; an interception and
/// what was intercepted (a drone, a missile, an air incursion, an aircraft's strike); a mine and a naval event; a
/// clash of unreported weapons and any fighting on land. A sighting of forces (`presence`) is only ever another
/// sighting: it is not a strike.
pub fn compatible(a: EventKind, b: EventKind) -> bool {
    use EventKind::*;
    let pair = |x, y| (a == x && b == y) || (a == y && b == x);
    a == b
        || pair(InfrastructureStrike, Artillery)
        || pair(InfrastructureStrike, Drone)
        || pair(InfrastructureStrike, Missile)
        || pair(InfrastructureStrike, AirStrike)
        || pair(Drone, Missile)
        || pair(Missile, AirStrike)
        || pair(Interception, AirStrike)
        || pair(Drone, AirIncursion)
        || pair(Interception, Drone)
        || pair(Interception, Missile)
        || pair(Interception, AirIncursion)
        || pair(Mine, Naval)
        || (a == Clash || b == Clash)
            && [a, b].iter().all(|k| {
                matches!(
                    k,
                    Clash
                        | Artillery
                        | SmallArms
                        | Drone
                        | Missile
                        | AirStrike
                        | Mine
                        | InfrastructureStrike
                )
            })
}

/// Whether the times of `a` and `b` can be of one moment (see the module's documentation).
fn same_time(a: &Report, b: &Report, slack: Slack) -> bool {
    let hours = (a.time.as_second() - b.time.as_second()).abs() as f64 / 3600.0;
    hours <= slack.hours || hours < a.time_precision.radius + b.time_precision.radius
}

/// Whether `a` and `b` can be accounts of one event.
pub fn same_event(a: &Report, b: &Report, slack: Slack) -> bool {
    if !compatible(a.kind, b.kind) {
        return false;
    }
    if !same_time(a, b, slack) {
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

/// Whether two points are within `reach` km on the ellipsoid, as [`geodesic_km`] decides, but on the mean
/// sphere first: the sphere is within 0.7% of the ellipsoid, so only a pair within 1% of the reach needs the
/// geodesic.
fn within_km(a: &Report, ua: [f64; 3], b: &Report, ub: [f64; 3], reach: f64) -> bool {
    let sphere = chord_km(chord(ua, ub));
    if sphere * 1.01 < reach {
        true
    } else if sphere * 0.99 > reach {
        false
    } else {
        geodesic_km(a.place, b.place) <= reach
    }
}

/// Reports as precise as this, in place (km) and time (hours), or more, go in the spatial index; the vaguer
/// ones (a UCDP event placed only to its oblast, say) are checked against every report of their time window.
const INDEXED_KM: f64 = 12.0;
const INDEXED_HOURS: f64 = 6.0;

/// Groups of report indices, one per incident: each group in ascending time (then source, then id), the
/// groups by their first report. The same reports in any order give the same groups (of the same reports).
///
/// Reports are swept in time order. Each is compared with the earlier ones it could match: the precise ones
/// through a grid of cells as wide as the longest reach between two precise reports, the vague ones in a
/// list of their own. Every pair that could be one event ([`same_event`]) is found; the groups are then formed
/// by complete link over those pairs, closest fit first (see the module's documentation).
pub fn group(reports: &[Report], slack: Slack) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..reports.len()).collect();
    let key = |i: &usize| {
        let r = &reports[*i];
        (r.time, r.source.as_str(), r.id.as_str(), *i)
    };
    order.sort_by(|a, b| key(a).cmp(&key(b)));
    let units: Vec<[f64; 3]> = reports.iter().map(|r| unit_vector(r.place)).collect();
    let indexed = |r: &Report| {
        r.place_precision.radius <= INDEXED_KM && r.time_precision.radius <= INDEXED_HOURS
    };
    let widest_hours = |f: &dyn Fn(&Report) -> bool| {
        reports
            .iter()
            .filter(|r| f(r))
            .map(|r| r.time_precision.radius)
            .fold(0.0f64, f64::max)
    };
    let (grid_hours, vague_hours) = (widest_hours(&indexed), widest_hours(&|r| !indexed(r)));
    let grid_km = reports
        .iter()
        .filter(|r| indexed(r))
        .map(|r| r.place_precision.radius)
        .fold(0.0f64, f64::max);
    // Cells as tall as the longest reach between two indexed reports: a degree of latitude is at least
    // 110.5 km, and a degree of longitude at least 110.5 km × cos(latitude).
    let cell_deg = ((2.0 * grid_km + slack.km) / 110.5).max(1e-3);
    let cell_of = |r: &Report| {
        (
            (r.place.y() / cell_deg).floor() as i64,
            (r.place.x() / cell_deg).floor() as i64,
        )
    };
    let mut grid: std::collections::HashMap<(i64, i64), Vec<usize>> = Default::default();
    let mut vague: Vec<usize> = Vec::new();
    // Every pair that can be one event, with how closely it fits.
    let mut edges: Vec<(f64, usize, usize)> = Vec::new();
    let mut candidates: Vec<usize> = Vec::new();
    for &i in &order {
        let a = &reports[i];
        let t = a.time.as_second();
        candidates.clear();
        // Earlier indexed reports within reach: the cells around, each newest first until out of time.
        let hours = a.time_precision.radius + grid_hours + slack.hours;
        let seconds = (hours * 3600.0).ceil() as i64;
        let reach_km = a.place_precision.radius + grid_km + slack.km;
        let rows = (reach_km / 110.5 / cell_deg).ceil() as i64;
        let lat = a.place.y().abs() + reach_km / 110.5;
        let cols = if lat >= 89.0 {
            i64::MAX / 4
        } else {
            (reach_km / (110.5 * lat.to_radians().cos()) / cell_deg).ceil() as i64
        };
        let (row, col) = cell_of(a);
        let fresh = |j: &&usize| t - reports[**j].time.as_second() <= seconds;
        let cells = (2 * rows.min(i64::MAX / 8) + 1).saturating_mul(2 * cols.min(i64::MAX / 8) + 1);
        // Columns do not wrap at ±180°: a reach across it looks everywhere.
        let across_180 = (a.place.x().abs() + (cols + 1) as f64 * cell_deg) >= 180.0;
        if cells > grid.len() as i64 || across_180 {
            // A reach wider than the cells in use: every cell.
            for list in grid.values() {
                candidates.extend(list.iter().rev().take_while(fresh));
            }
        } else {
            for r in row - rows..=row + rows {
                for c in col - cols..=col + cols {
                    if let Some(list) = grid.get(&(r, c)) {
                        candidates.extend(list.iter().rev().take_while(fresh));
                    }
                }
            }
        }
        let seconds =
            ((a.time_precision.radius + vague_hours + slack.hours) * 3600.0).ceil() as i64;
        candidates.extend(
            vague
                .iter()
                .rev()
                .take_while(|&&j| t - reports[j].time.as_second() <= seconds),
        );
        for &j in &candidates {
            let b = &reports[j];
            if !compatible(a.kind, b.kind) {
                continue;
            }
            if !same_time(a, b, slack) {
                continue;
            }
            let reach = a.place_precision.radius + b.place_precision.radius + slack.km;
            if (a.place.y() - b.place.y()).abs() * 110.5 > reach {
                continue;
            }
            if within_km(a, units[i], b, units[j], reach) {
                edges.push((fit(a, b, slack), i, j));
            }
        }
        if indexed(a) {
            grid.entry(cell_of(a)).or_default().push(i);
        } else {
            vague.push(i);
        }
    }
    // Complete link: the closest-fitting pairs first (ties by the reports' time, source and id, so the order of
    // arrival does not matter), two incidents joining only when every report of one can be one event with every
    // report of the other. A report between two events joins one of them, never both.
    let rank: Vec<usize> = {
        let mut rank = vec![0; reports.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r;
        }
        rank
    };
    edges.sort_by(|x, y| {
        let k = |e: &(f64, usize, usize)| {
            let (a, b) = (rank[e.1].min(rank[e.2]), rank[e.1].max(rank[e.2]));
            (a, b)
        };
        x.0.total_cmp(&y.0).then(k(x).cmp(&k(y)))
    });
    let mut member: Vec<usize> = (0..reports.len()).collect();
    let mut members: Vec<Vec<usize>> = (0..reports.len()).map(|i| vec![i]).collect();
    for &(_, i, j) in &edges {
        let (x, y) = (member[i], member[j]);
        if x == y {
            continue;
        }
        let all = members[x].iter().all(|&a| {
            members[y]
                .iter()
                .all(|&b| same_event(&reports[a], &reports[b], slack))
        });
        if !all {
            continue;
        }
        // The incident of the earlier-ranked report leads: deterministic whatever the order of arrival.
        let (lead, other) = if rank[members[x][0]] <= rank[members[y][0]] {
            (x, y)
        } else {
            (y, x)
        };
        let moved = std::mem::take(&mut members[other]);
        for &m in &moved {
            member[m] = lead;
        }
        members[lead].extend(moved);
    }
    let mut out: Vec<Vec<usize>> = members
        .into_iter()
        .filter(|m| !m.is_empty())
        .map(|mut m| {
            m.sort_by_key(|&i| rank[i]);
            m
        })
        .collect();
    out.sort_by(|a, b| key(&a[0]).cmp(&key(&b[0])));
    out
}

/// How closely two reports that can be one event fit: the larger of their distance and their time apart, each
/// as a share of what their precisions and the slack allow (0 the same place and moment, 1 at the limit).
fn fit(a: &Report, b: &Report, slack: Slack) -> f64 {
    let km = geodesic_km(a.place, b.place)
        / (a.place_precision.radius + b.place_precision.radius + slack.km);
    let hours = (a.time.as_second() - b.time.as_second()).abs() as f64 / 3600.0;
    let time = hours / (a.time_precision.radius + b.time_precision.radius).max(slack.hours);
    km.max(time)
}
