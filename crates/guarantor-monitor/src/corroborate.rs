//! Corroboration: reports of one event merged into an incident, and the incident's confidence graded.
//!
//! Two reports are of one event when their kinds can be one event ([`SAME_EVENT_KINDS`]) and they are close in
//! time and in space, allowing for each report's own precision. In time, a report's precision is the interval it
//! stands for (a report dated only to a day stands for that whole day): two reports can be of one event when
//! their intervals overlap, `|t₁ − t₂| < p₁ + p₂`, or when they are within the slack of each other whatever their
//! precision (`|t₁ − t₂| ≤ slack`, for accounts of one moment that disagree by minutes). So two events dated to
//! consecutive days stay apart — unless both reports cite the same post ([`crate::links`]): one account dated
//! differently by two sources, up to [`Slack::link_days`] apart. In space, `distance ≤ r₁ + r₂ + slack` km,
//! where a report's radius is what its source achieves (a layout says it: open-source researchers geolocate a
//! strike to its building, and two such accounts of one strike agree within a few hundred metres, while
//! separate strikes on one town on one day are mostly further apart — `bench/merge` measures it).
//!
//! Incidents are formed by complete link: the closest-fitting pairs first, two incidents joining only when every
//! report of one may be in one incident with every report of the other ([`same_incident`]: as one event, with
//! [`SPREAD`] times the reach in space) — so a report between two events (a vague one, say: a day and an
//! oblast) joins one, never both, and a busy city does not chain into one incident. Ties
//! are broken by the reports' own time, source and id, which makes the result independent of the order reports
//! arrive in.

use std::collections::{HashMap, HashSet};

use guarantor_core::{
    Confidence, EventKind, Report, SourceKind, chord, chord_km, geodesic_km, unit_vector,
};

use crate::links::link_key;

/// How far apart two reports of one event may be, beyond their own stated precision.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Slack {
    /// # Units
    /// km
    pub km: f64,
    /// # Units
    /// hours
    pub hours: f64,
    /// How far apart in time two reports citing the same post may be dated and still be one event.
    ///
    /// # Units
    /// days
    pub link_days: f64,
}

impl Default for Slack {
    /// 50 m, 1 hour and 7 days. A report's own precision carries its uncertainty (the layouts state what each
    /// source achieves), so the slack in space is only rounding; an hour covers accounts of one moment that
    /// disagree by minutes; and sources that cite one post have dated it up to five days apart (`bench/merge`'s
    /// labelled pairs: a CIR row and a Bellingcat record of one strike, one dated to the day it was filmed, the
    /// other to the day it was posted or found), so a week.
    fn default() -> Self {
        Slack {
            km: 0.05,
            hours: 1.0,
            link_days: 7.0,
        }
    }
}

/// The pairs of different kinds that can be one event seen by different sources, with why. Any kind can be
/// one event with itself; a clash of unreported weapons can also be any fighting on land (see [`compatible`]).
/// A sighting of forces (`presence`) is only ever another sighting: it is not a strike.
pub const SAME_EVENT_KINDS: [(EventKind, EventKind, &str); 15] = {
    use EventKind::*;
    [
        (
            InfrastructureStrike,
            Artillery,
            "damage and the shelling that made it",
        ),
        (
            InfrastructureStrike,
            Drone,
            "damage and the drone that made it",
        ),
        (
            InfrastructureStrike,
            Missile,
            "damage and the missile that made it",
        ),
        (
            InfrastructureStrike,
            AirStrike,
            "damage and the bombs that made it",
        ),
        (InfrastructureStrike, SmallArms, "a building or car shot up"),
        (
            Artillery,
            Missile,
            "rockets: multiple rocket launchers are called both",
        ),
        (Drone, Missile, "often confused in the first reports"),
        (Missile, AirStrike, "glide bombs and air-launched missiles"),
        (Interception, AirStrike, "an aircraft's weapon shot down"),
        (Drone, AirIncursion, "a drone is an incursion"),
        (Interception, Drone, "the drone shot down"),
        (Interception, Missile, "the missile shot down"),
        (Interception, AirIncursion, "what crossed, shot down"),
        (Mine, Naval, "a sea mine"),
        (
            Artillery,
            AirStrike,
            "bombs and shells told apart only by a crater's shape",
        ),
    ]
};

/// Whether two kinds of event can be the same event seen by different sources: the same kind, a pair in
/// [`SAME_EVENT_KINDS`], or a clash of unreported weapons and any fighting on land.
pub fn compatible(a: EventKind, b: EventKind) -> bool {
    COMPATIBLE[a as usize * EventKind::ALL.len() + b as usize]
}

/// [`compatible`] for every pair of kinds, by their position in [`EventKind::ALL`].
static COMPATIBLE: std::sync::LazyLock<Vec<bool>> = std::sync::LazyLock::new(|| {
    let all = EventKind::ALL;
    let mut table = vec![false; all.len() * all.len()];
    for &a in all {
        for &b in all {
            table[a as usize * all.len() + b as usize] = compatible_by_rule(a, b);
        }
    }
    table
});

/// [`compatible`] from its rules.
fn compatible_by_rule(a: EventKind, b: EventKind) -> bool {
    use EventKind::*;
    a == b
        || SAME_EVENT_KINDS
            .iter()
            .any(|&(x, y, _)| (a == x && b == y) || (a == y && b == x))
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

/// What corroboration compares of a report, kept together: a feed's reports are large, and the sweep and the
/// complete link compare millions of pairs.
#[derive(Clone, Copy)]
struct Pt {
    seconds: i64,
    hours: f64,
    km: f64,
    lat: f64,
    unit: [f64; 3],
    kind: EventKind,
}

impl Pt {
    fn of(r: &Report) -> Pt {
        Pt {
            seconds: r.time.as_second(),
            hours: r.time_precision.radius,
            km: r.place_precision.radius,
            lat: r.place.y(),
            unit: unit_vector(r.place),
            kind: r.kind,
        }
    }
}

/// Whether `a` and `b` can be accounts of one event (see the module's documentation), with `widen` times the
/// reach in space; `exact_km` measures their distance on the ellipsoid (asked only near the reach) and `share`
/// says whether they cite a common post.
fn one_event(
    a: &Pt,
    b: &Pt,
    slack: Slack,
    exact_km: impl FnOnce() -> f64,
    share: impl FnOnce() -> bool,
    widen: f64,
) -> bool {
    if !compatible(a.kind, b.kind) {
        return false;
    }
    let hours = (a.seconds - b.seconds).abs() as f64 / 3600.0;
    let same_time = hours <= slack.hours || hours < a.hours + b.hours;
    if !same_time && hours > slack.link_days * 24.0 + slack.hours {
        return false;
    }
    let reach = widen * (a.km + b.km + slack.km);
    // A degree of latitude is at least 110.5 km.
    if (a.lat - b.lat).abs() * 110.5 > reach || !within_km(a.unit, b.unit, reach, exact_km) {
        return false;
    }
    same_time || share()
}

/// Whether `a` and `b` cite a common post ([`link_key`]).
pub fn share_a_post(a: &Report, b: &Report) -> bool {
    let keys: HashSet<String> = a.links.iter().filter_map(|l| link_key(l)).collect();
    b.links
        .iter()
        .filter_map(|l| link_key(l))
        .any(|k| keys.contains(&k))
}

/// Whether `a` and `b` can be accounts of one event (see the module's documentation).
pub fn same_event(a: &Report, b: &Report, slack: Slack) -> bool {
    within_reaches(a, b, slack, 1.0)
}

/// [`one_event`] of two reports, with `widen` times the reach in space.
fn within_reaches(a: &Report, b: &Report, slack: Slack, widen: f64) -> bool {
    one_event(
        &Pt::of(a),
        &Pt::of(b),
        slack,
        || geodesic_km(a.place, b.place),
        || share_a_post(a, b),
        widen,
    )
}

/// How far apart, as a multiple of a pair's reach in space, any two reports of one incident may be: a report
/// joins an incident through a report within its reach ([`same_event`]), and only if every report of the
/// incident is within this many reaches of it ([`same_incident`]). One and a half: accounts of one strike
/// scatter around it, so two of them can be further apart than either is from the strike (on the labelled pairs
/// of `bench/merge`, a strict complete link — 1 — split 14 true pairs more and kept 4 false ones out).
pub const SPREAD: f64 = 1.5;

/// Whether `a` and `b` may be in one incident: as [`same_event`], with [`SPREAD`] times the reach in space.
pub fn same_incident(a: &Report, b: &Report, slack: Slack) -> bool {
    within_reaches(a, b, slack, SPREAD)
}

/// The coalition's own eyes: its monitors on patrol and its sensors.
fn own(kind: SourceKind) -> bool {
    matches!(kind, SourceKind::Patrol | SourceKind::Sensor)
}

/// The independent sources among `reports`: their source names, with a name whose posts ([`link_key`]) are all
/// among another's counted as one with it — two outlets repeating one Telegram post are one account, not two;
/// an outlet that also cites posts the other does not adds an account — each with its kind (the coalition's own
/// if any of its names is; else not a party if any is; else a party). By their first name.
pub fn independent_sources<'a>(reports: &[&'a Report]) -> Vec<(Vec<&'a str>, SourceKind)> {
    let mut names: Vec<(&str, SourceKind)> = reports
        .iter()
        .map(|r| (r.source.as_str(), r.source_kind))
        .collect();
    names.sort_unstable_by(|a, b| a.0.cmp(b.0).then(a.1.as_str().cmp(b.1.as_str())));
    names.dedup_by(|a, b| a.0 == b.0);
    let index = |name: &str| names.binary_search_by(|n| n.0.cmp(name)).unwrap_or(0);
    let mut parent: Vec<usize> = (0..names.len()).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    // Each name's posts; a name whose posts are all among another's adds no account of its own.
    let mut posts: Vec<std::collections::BTreeSet<String>> = vec![Default::default(); names.len()];
    for r in reports {
        posts[index(&r.source)].extend(r.links.iter().filter_map(|l| link_key(l)));
    }
    for n in 0..names.len() {
        for m in n + 1..names.len() {
            let (a, b) = (&posts[n], &posts[m]);
            if !a.is_empty() && !b.is_empty() && (a.is_subset(b) || b.is_subset(a)) {
                let (x, y) = (root(&mut parent, n), root(&mut parent, m));
                parent[x.max(y)] = x.min(y);
            }
        }
    }
    let rank = |k: SourceKind| {
        if own(k) {
            0
        } else if k != SourceKind::Party {
            1
        } else {
            2
        }
    };
    let mut groups: Vec<(Vec<&'a str>, SourceKind)> = Vec::new();
    let mut slot: HashMap<usize, usize> = HashMap::new();
    for (n, &(name, kind)) in names.iter().enumerate() {
        let r = root(&mut parent, n);
        let g = *slot.entry(r).or_insert_with(|| {
            groups.push((Vec::new(), kind));
            groups.len() - 1
        });
        groups[g].0.push(name);
        if rank(kind) < rank(groups[g].1) {
            groups[g].1 = kind;
        }
    }
    groups
}

/// The confidence of an incident from its reports' independent sources ([`independent_sources`]).
///
/// - `confirmed`: two independent sources or more, at least one of them the coalition's own;
/// - `probable`: the coalition's own source alone, or two independent sources or more of which at least one is
///   not a party to the conflict (the media, say);
/// - `possible`: two independent sources or more, all of them parties (each side's claim about the other);
/// - `single_source`: one source that is not the coalition's.
pub fn grade<'a>(reports: impl IntoIterator<Item = &'a Report>) -> Confidence {
    let reports: Vec<&Report> = reports.into_iter().collect();
    let sources = independent_sources(&reports);
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
fn within_km(ua: [f64; 3], ub: [f64; 3], reach: f64, exact_km: impl FnOnce() -> f64) -> bool {
    let sphere = chord_km(chord(ua, ub));
    if sphere * 1.01 < reach {
        true
    } else if sphere * 0.99 > reach {
        false
    } else {
        exact_km() <= reach
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
/// list of their own; reports citing a common post are paired through the post. Every pair that could be one
/// event ([`same_event`]) is found; the groups are then formed by complete link over those pairs, closest fit
/// first (see the module's documentation).
pub fn group(reports: &[Report], slack: Slack) -> Vec<Vec<usize>> {
    group_with_sets(reports, slack).0
}

/// [`group`]'s groups, and for each the connected set of same-event pairs it came from, named by the set's
/// first report (in time, then source, then id). A set's groups depend on that set's reports only: a store can
/// form again just the sets a new report touches.
pub fn group_with_sets(reports: &[Report], slack: Slack) -> (Vec<Vec<usize>>, Vec<usize>) {
    // Everything below is in rank space: rank r is the r-th report in time (then source, then id) order, so
    // the reports a search or a merge touches together are near each other in memory.
    let mut order: Vec<usize> = (0..reports.len()).collect();
    order.sort_by(|&a, &b| {
        let k = |i: usize| {
            let r = &reports[i];
            (r.time, r.source.as_str(), r.id.as_str(), i)
        };
        k(a).cmp(&k(b))
    });
    let ranked: Vec<&Report> = order.iter().map(|&i| &reports[i]).collect();
    let pts: Vec<Pt> = ranked.iter().map(|r| Pt::of(r)).collect();
    let posts = Posts::new(&ranked);
    let joinable = |a: usize, b: usize, widen: f64| {
        one_event(
            &pts[a],
            &pts[b],
            slack,
            || geodesic_km(ranked[a].place, ranked[b].place),
            || posts.shared(a, b),
            widen,
        )
    };
    let edges = same_event_pairs(&ranked, &pts, &posts, slack, |a, b| joinable(a, b, 1.0));
    let (sets, root) = connected_sets(pts.len(), edges);
    // Complete link: the closest-fitting pairs first (ties by the reports' ranks, so the order of arrival does
    // not matter), two incidents joining only when every report of one may be in one incident with every
    // report of the other. A report between two events joins one of them, never both. Merges in one connected
    // set of pairs never touch another, so each set is taken on its own (the same result as one global order,
    // and its reports close in memory).
    let mut lead: Vec<u32> = (0..pts.len() as u32).collect();
    let mut members: Vec<Vec<u32>> = (0..pts.len() as u32).map(|r| vec![r]).collect();
    // Pairs of large incidents found apart stay apart as they grow: keyed by their leading reports.
    let mut apart: HashSet<(u32, u32)> = HashSet::new();
    for mut set in sets {
        set.sort_unstable_by(|x, y| x.0.total_cmp(&y.0).then((x.1, x.2).cmp(&(y.1, y.2))));
        for (_, a, b) in set {
            let (x, y) = (lead[a as usize], lead[b as usize]);
            if x == y {
                continue;
            }
            // The incident whose first report is earlier leads: deterministic whatever the order of arrival.
            let (x, y) = (x.min(y), x.max(y));
            let large = members[x as usize].len() * members[y as usize].len() > 16;
            if large && apart.contains(&(x, y)) {
                continue;
            }
            let all = members[x as usize].iter().all(|&m| {
                members[y as usize]
                    .iter()
                    .all(|&n| joinable(m as usize, n as usize, SPREAD))
            });
            if !all {
                if large {
                    apart.insert((x, y));
                }
                continue;
            }
            let moved = std::mem::take(&mut members[y as usize]);
            for &m in &moved {
                lead[m as usize] = x;
            }
            members[x as usize].extend(moved);
        }
    }
    members
        .into_iter()
        .filter(|m| !m.is_empty())
        .map(|mut m| {
            m.sort_unstable();
            let set = order[root[m[0] as usize] as usize];
            (m.into_iter().map(|r| order[r as usize]).collect(), set)
        })
        .unzip()
}

/// The precise reports' grid (see [`same_event_pairs`]).
struct Grid {
    /// The widest precision of its reports, km.
    km: f64,
    /// The widest precision in time of its reports, hours.
    hours: f64,
    cell_deg: f64,
    cells: HashMap<(i64, i64), Vec<usize>>,
}

impl Grid {
    fn cell_of(&self, r: &Report) -> (i64, i64) {
        (
            (r.place.y() / self.cell_deg).floor() as i64,
            (r.place.x() / self.cell_deg).floor() as i64,
        )
    }
}

/// A pair of reports that can be one event: (fit, the earlier rank, the later rank).
type Pair = (f64, u32, u32);

/// Every pair of reports (in rank space, see [`group`]) that `joinable` accepts, with its [`fit`].
///
/// Reports are swept in time order. Each is compared with the earlier ones it could match: the precise ones
/// through a grid of cells as wide as the longest reach between two precise reports, the vague ones in a list
/// of their own; reports citing a common post are paired through the post, whatever the days between them.
fn same_event_pairs(
    ranked: &[&Report],
    pts: &[Pt],
    posts: &Posts,
    slack: Slack,
    joinable: impl Fn(usize, usize) -> bool + Sync,
) -> Vec<Pair> {
    let indexed = |p: &Pt| p.km <= INDEXED_KM && p.hours <= INDEXED_HOURS;
    // The precise reports in a grid whose cells are as tall as the longest reach between two of them (a degree
    // of latitude is at least 110.5 km, and a degree of longitude at least 110.5 km × cos(latitude)), each cell's
    // reports in rank order; the vague ones in a list of their own, in rank order.
    let mut grid = Grid {
        km: 0.0,
        hours: 0.0,
        cell_deg: 1.0,
        cells: HashMap::new(),
    };
    for p in pts.iter().filter(|p| indexed(p)) {
        grid.km = grid.km.max(p.km);
        grid.hours = grid.hours.max(p.hours);
    }
    grid.cell_deg = ((2.0 * grid.km + slack.km) / 110.5).max(1e-3);
    let mut vague: Vec<usize> = Vec::new();
    let mut vague_hours = 0.0f64;
    for (i, a) in ranked.iter().enumerate() {
        if indexed(&pts[i]) {
            let cell = grid.cell_of(a);
            grid.cells.entry(cell).or_default().push(i);
        } else {
            vague.push(i);
            vague_hours = vague_hours.max(pts[i].hours);
        }
    }
    let earlier = |list: &[usize], i: usize| -> usize { list.partition_point(|&j| j < i) };
    // The pairs whose later report is `i`.
    let search = |i: usize, candidates: &mut Vec<usize>, pairs: &mut Vec<Pair>| {
        let a = ranked[i];
        let t = pts[i].seconds;
        candidates.clear();
        // A precise report pairs with the earlier precise ones and with the vague ones on either side; a vague one
        // with the earlier vague ones: so every pair is found once.
        let precise = indexed(&pts[i]);
        if precise {
            // The cells around, each from the report's rank back until out of time.
            let seconds = ((pts[i].hours + grid.hours + slack.hours) * 3600.0).ceil() as i64;
            let reach_km = pts[i].km + grid.km + slack.km;
            let cell_deg = grid.cell_deg;
            let rows = (reach_km / 110.5 / cell_deg).ceil() as i64;
            let lat = a.place.y().abs() + reach_km / 110.5;
            let cols = if lat >= 89.0 {
                i64::MAX / 4
            } else {
                (reach_km / (110.5 * lat.to_radians().cos()) / cell_deg).ceil() as i64
            };
            let (row, col) = grid.cell_of(a);
            let fresh = |j: &&usize| t - pts[**j].seconds <= seconds;
            let mut take = |list: &[usize]| {
                candidates.extend(list[..earlier(list, i)].iter().rev().take_while(fresh));
            };
            let cells =
                (2 * rows.min(i64::MAX / 8) + 1).saturating_mul(2 * cols.min(i64::MAX / 8) + 1);
            // Columns do not wrap at ±180°: a reach across it looks everywhere.
            let across_180 = (a.place.x().abs() + (cols + 1) as f64 * cell_deg) >= 180.0;
            if cells > grid.cells.len() as i64 || across_180 {
                // A reach wider than the cells in use: every cell.
                grid.cells.values().for_each(|list| take(list));
            } else {
                for r in row - rows..=row + rows {
                    for c in col - cols..=col + cols {
                        if let Some(list) = grid.cells.get(&(r, c)) {
                            take(list);
                        }
                    }
                }
            }
        }
        let seconds = ((pts[i].hours + vague_hours + slack.hours) * 3600.0).ceil() as i64;
        let near_in_time = |j: &&usize| (t - pts[**j].seconds).abs() <= seconds;
        let at = earlier(&vague, i);
        candidates.extend(vague[..at].iter().rev().take_while(near_in_time));
        if precise {
            candidates.extend(vague[at..].iter().take_while(near_in_time));
        }
        for &j in candidates.iter() {
            if joinable(i, j) {
                let (lo, hi) = (i.min(j) as u32, i.max(j) as u32);
                pairs.push((fit_of(&pts[i], &pts[j], slack), lo, hi));
            }
        }
    };
    // The reports in blocks, searched on every core; the blocks' pairs in rank order.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let block = ranked.len().div_ceil(threads * 8).max(1024);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut blocks: Vec<(usize, Vec<Pair>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    let mut candidates = Vec::new();
                    loop {
                        let start = next.fetch_add(block, std::sync::atomic::Ordering::Relaxed);
                        if start >= ranked.len() {
                            break done;
                        }
                        let mut pairs = Vec::new();
                        for i in start..(start + block).min(ranked.len()) {
                            search(i, &mut candidates, &mut pairs);
                        }
                        done.push((start, pairs));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            // A worker's panic is the caller's: no pair is lost quietly.
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    blocks.sort_unstable_by_key(|b| b.0);
    let mut pairs: Vec<Pair> = Vec::with_capacity(blocks.iter().map(|b| b.1.len()).sum());
    for (_, b) in blocks {
        pairs.extend(b);
    }
    let link_seconds = ((slack.link_days * 24.0 + slack.hours) * 3600.0).ceil() as i64;
    for (i, j) in posts.pairs(pts, link_seconds) {
        if joinable(i, j) {
            let (lo, hi) = (i.min(j) as u32, i.max(j) as u32);
            pairs.push((fit_of(&pts[i], &pts[j], slack), lo, hi));
        }
    }
    pairs
}

/// `pairs` split by the connected sets of reports they make, each set's pairs together (the sets in the order
/// of their first report); and each report's set, as the set's first rank.
fn connected_sets(n: usize, pairs: Vec<Pair>) -> (Vec<Vec<Pair>>, Vec<u32>) {
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn root(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            let up = parent[parent[x as usize] as usize];
            parent[x as usize] = up;
            x = up;
        }
        x
    }
    for &(_, a, b) in &pairs {
        let (x, y) = (root(&mut parent, a), root(&mut parent, b));
        if x != y {
            // The smaller rank is the root: the set's first report.
            parent[x.max(y) as usize] = x.min(y);
        }
    }
    let mut slot: Vec<u32> = vec![u32::MAX; n];
    let mut sets: Vec<Vec<Pair>> = Vec::new();
    for r in 0..n as u32 {
        if root(&mut parent, r) == r {
            slot[r as usize] = sets.len() as u32;
            sets.push(Vec::new());
        }
    }
    for pair in pairs {
        let r = root(&mut parent, pair.1);
        sets[slot[r as usize] as usize].push(pair);
    }
    sets.retain(|s| !s.is_empty());
    let roots = (0..n as u32).map(|r| root(&mut parent, r)).collect();
    (sets, roots)
}

/// How closely two reports that can be one event fit: the larger of their distance and their time apart, each
/// as a share of what their precisions and the slack allow (0 the same place and moment, 1 at the limit; more
/// than 1 in time for reports paired by a common post). The distance is on the mean sphere: the fit orders the
/// pairs, it decides none.
pub fn fit(a: &Report, b: &Report, slack: Slack) -> f64 {
    fit_of(&Pt::of(a), &Pt::of(b), slack)
}

/// [`fit`] of what corroboration compares.
fn fit_of(a: &Pt, b: &Pt, slack: Slack) -> f64 {
    let km = chord_km(chord(a.unit, b.unit)) / (a.km + b.km + slack.km);
    let hours = (a.seconds - b.seconds).abs() as f64 / 3600.0;
    km.max(hours / (a.hours + b.hours).max(slack.hours))
}

/// The posts reports cite ([`link_key`]), each as a number, per report (sorted).
struct Posts {
    of: Vec<Vec<u32>>,
    citing: Vec<Vec<usize>>,
}

impl Posts {
    fn new(reports: &[&Report]) -> Posts {
        let mut number: HashMap<String, u32> = HashMap::new();
        let mut citing: Vec<Vec<usize>> = Vec::new();
        let of = reports
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut posts: Vec<u32> = r
                    .links
                    .iter()
                    .filter_map(|l| link_key(l))
                    .map(|k| {
                        let next = number.len() as u32;
                        let n = *number.entry(k).or_insert(next);
                        if n as usize == citing.len() {
                            citing.push(Vec::new());
                        }
                        n
                    })
                    .collect();
                posts.sort_unstable();
                posts.dedup();
                for &p in &posts {
                    citing[p as usize].push(i);
                }
                posts
            })
            .collect();
        Posts { of, citing }
    }

    /// Whether reports `i` and `j` cite a common post.
    fn shared(&self, i: usize, j: usize) -> bool {
        let (a, b) = (&self.of[i], &self.of[j]);
        !a.is_empty() && !b.is_empty() && a.iter().any(|p| b.binary_search(p).is_ok())
    }

    /// Every pair of reports citing a common post whose times are at most `seconds` apart (a pair may come more
    /// than once). Reports are in rank order, so each post's readers are in time order: a channel cited by
    /// thousands pairs each report with its neighbours in time only. Whether two reports pair depends on those two
    /// alone, never on how many others cite the post.
    fn pairs<'a>(
        &'a self,
        pts: &'a [Pt],
        seconds: i64,
    ) -> impl Iterator<Item = (usize, usize)> + 'a {
        self.citing.iter().flat_map(move |c| {
            c.iter().enumerate().flat_map(move |(n, &i)| {
                c[n + 1..]
                    .iter()
                    .take_while(move |&&j| pts[j].seconds - pts[i].seconds <= seconds)
                    .map(move |&j| (i, j))
            })
        })
    }
}
