//! World states: one truth value for each political fact; they decide which pledges are live.

use std::collections::BTreeMap;
use std::fmt;

use crate::id::FactId;

/// A political fact that conditions may name, e.g. `us_backstop`.
#[derive(Clone, Debug, PartialEq)]
pub struct PoliticalFact {
    /// Its name in conditions.
    pub id: FactId,
    /// What it means, for people.
    pub description: String,
    /// Its value in today's world state.
    pub today: bool,
    /// Where the fact comes from.
    pub source: String,
}

/// One truth value per political fact. Facts it does not mention are false.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WorldState {
    values: BTreeMap<FactId, bool>,
}

impl WorldState {
    /// Today's world state: each fact at its `today` value.
    pub fn today(facts: &[PoliticalFact]) -> Self {
        let mut world = Self::default();
        for fact in facts {
            world.set(fact.id.clone(), fact.today);
        }
        world
    }

    /// Sets one fact.
    pub fn set(&mut self, fact: FactId, value: bool) {
        self.values.insert(fact, value);
    }

    /// The value of one fact (false when not mentioned).
    pub fn get(&self, fact: &FactId) -> bool {
        self.values.get(fact).copied().unwrap_or(false)
    }

    /// Every fact this state mentions, with its value, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&FactId, bool)> {
        self.values.iter().map(|(k, v)| (k, *v))
    }
}

impl fmt::Display for WorldState {
    /// `fact=true,other=false`, in name order: the form `--world` takes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (fact, value)) in self.values.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{fact}={value}")?;
        }
        Ok(())
    }
}
