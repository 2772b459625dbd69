//! Incidents as things: when reports arrive or change, the incidents they touch are formed again, and each new
//! group of reports takes the id of the incident it keeps most of — so an incident keeps its id as it grows, and
//! a split or a merge is a recorded change, not a new numbering.

use std::collections::{BTreeMap, HashMap};

/// What became of an incident in one update.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A new incident (from new reports, or split from the incidents named).
    Formed {
        /// The new incident's id.
        id: u64,
        /// The earlier incidents some of its reports were in.
        from: Vec<u64>,
    },
    /// An incident kept its id and gained or lost reports.
    Changed {
        /// Its id.
        id: u64,
        /// Reports it gained.
        gained: usize,
        /// Reports it lost (to other incidents).
        lost: usize,
    },
    /// An incident whose reports all went to others (merged, or split with no part keeping most of it).
    Ended {
        /// Its id.
        id: u64,
        /// Where its reports went.
        into: Vec<u64>,
    },
}

/// The ids of `groups` (sets of report indices) given the incident each report was in before (`before[i]`,
/// `None` for a new report), with `next` the first id never used; and the changes. A group takes the earlier
/// incident that keeps most of its reports in it (ties: the lower id, then the earlier group); each earlier id
/// goes to one group at most; the rest get new ids in the groups' order. The same groups and history give the
/// same ids.
pub fn assign_ids(
    groups: &[Vec<usize>],
    before: &[Option<u64>],
    next: u64,
) -> (Vec<u64>, Vec<Change>) {
    // How many of each earlier incident's reports each group holds, and how many it had in all here.
    let mut overlap: BTreeMap<(usize, u64), usize> = BTreeMap::new();
    let mut size_before: HashMap<u64, usize> = HashMap::new();
    for (g, group) in groups.iter().enumerate() {
        for &r in group {
            if let Some(id) = before.get(r).copied().flatten() {
                *overlap.entry((g, id)).or_default() += 1;
                *size_before.entry(id).or_default() += 1;
            }
        }
    }
    let mut candidates: Vec<(usize, u64, usize)> =
        overlap.iter().map(|(&(g, id), &n)| (g, id, n)).collect();
    candidates.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)).then(a.0.cmp(&b.0)));
    let mut ids: Vec<Option<u64>> = vec![None; groups.len()];
    let mut taken: HashMap<u64, usize> = HashMap::new();
    for (g, id, _) in candidates {
        if ids[g].is_none() && !taken.contains_key(&id) {
            ids[g] = Some(id);
            taken.insert(id, g);
        }
    }
    let mut next = next;
    let ids: Vec<u64> = ids
        .into_iter()
        .map(|id| {
            id.unwrap_or_else(|| {
                next += 1;
                next - 1
            })
        })
        .collect();
    let mut changes = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        let id = ids[g];
        let from: Vec<u64> = overlap
            .range((g, 0)..=(g, u64::MAX))
            .map(|(&(_, o), _)| o)
            .filter(|&o| o != id)
            .collect();
        if taken.get(&id) == Some(&g) {
            let kept = overlap.get(&(g, id)).copied().unwrap_or(0);
            let (gained, lost) = (group.len() - kept, size_before[&id] - kept);
            if gained > 0 || lost > 0 {
                changes.push(Change::Changed { id, gained, lost });
            }
        } else {
            changes.push(Change::Formed { id, from });
        }
    }
    let mut ended: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
    for &(g, o) in overlap.keys() {
        if !taken.contains_key(&o) {
            ended.entry(o).or_default().push(ids[g]);
        }
    }
    for (id, mut into) in ended {
        into.sort_unstable();
        into.dedup();
        changes.push(Change::Ended { id, into });
    }
    (ids, changes)
}

#[cfg(test)]
mod tests {
    use super::{Change, assign_ids};

    #[test]
    fn an_incident_keeps_its_id_as_it_grows_and_a_split_is_recorded() {
        // Reports 0-2 were incident 7, report 3 incident 9; 4 and 5 are new.
        let before = [Some(7), Some(7), Some(7), Some(9), None, None];
        // 0, 1 and new 4 together; 2 split off; 3 and new 5 together;
        let groups = vec![vec![0, 1, 4], vec![2], vec![3, 5]];
        let (ids, changes) = assign_ids(&groups, &before, 10);
        assert_eq!(ids, vec![7, 10, 9]);
        assert_eq!(
            changes,
            vec![
                Change::Changed {
                    id: 7,
                    gained: 1,
                    lost: 1
                },
                Change::Formed {
                    id: 10,
                    from: vec![7]
                },
                Change::Changed {
                    id: 9,
                    gained: 1,
                    lost: 0
                },
            ]
        );
    }

    #[test]
    fn a_merge_keeps_the_larger_and_ends_the_other() {
        let before = [Some(3), Some(3), Some(4), None];
        let (ids, changes) = assign_ids(&[vec![0, 1, 2, 3]], &before, 5);
        assert_eq!(ids, vec![3]);
        assert_eq!(
            changes,
            vec![
                Change::Changed {
                    id: 3,
                    gained: 2,
                    lost: 0
                },
                Change::Ended {
                    id: 4,
                    into: vec![3]
                },
            ]
        );
        // Nothing changed: no change recorded.
        let (ids, changes) = assign_ids(&[vec![0, 1]], &[Some(3), Some(3)], 5);
        assert_eq!((ids, changes), (vec![3], vec![]));
    }
}
