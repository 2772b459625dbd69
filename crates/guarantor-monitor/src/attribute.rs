//! Attribution: which party the evidence of an incident's reports points to, on what grounds and how firmly.
//!
//! Three kinds of evidence, each from one report: the parties a source codes (ACLED's actors, UCDP's sides)
//! when they name one party only (a source that codes both names the conflict's sides, not who fired); the
//! report's words (`Russian forces shelled…`, `destroyed Russian tank`: the other party acted, `by Ukrainian
//! artillery`); a weapon only one party fields (Shahed, Iskander, HIMARS…). Evidence both ways leaves the party
//! unknown, with every ground listed. The result is a proposal for the commission to confirm or correct.

use std::collections::BTreeSet;

use guarantor_core::{Attribution, Firmness, Incident, Party, Report};

use crate::classify::{PARTY_NAMES, actors_in, find, weapons_in, words};

/// The kind of a piece of evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Ground {
    /// A weapon only one party fields.
    Weapon,
    /// The report's words.
    Words,
    /// The source's coding of the actors.
    Coding,
}

/// The party a coded actor's name belongs to (`Military Forces of Russia (2000-)` → Russia), if one.
fn party_of_actor(actor: &str) -> Option<Party> {
    let w = words(actor);
    let named: BTreeSet<Party> = PARTY_NAMES
        .iter()
        .filter(|(_, names)| names.iter().any(|n| find(&w, n).is_some()))
        .map(|(p, _)| *p)
        .collect();
    // `Civilians (Ukraine)` names a country, not its forces.
    let civilians = ["civilians", "civilian", "protesters", "rioters"]
        .iter()
        .any(|c| w.iter().any(|x| x == c));
    match (named.len(), civilians) {
        (1, false) => named.into_iter().next(),
        _ => None,
    }
}

/// The evidence in one report.
fn evidence(report: &Report) -> Vec<(Party, Ground, String)> {
    let name = format!("{}/{}", report.source, report.id);
    let mut found = Vec::new();
    let coded: BTreeSet<Party> = report
        .parties
        .iter()
        .filter_map(|a| party_of_actor(a))
        .collect();
    if coded.len() == 1
        && let Some(party) = coded.first()
    {
        let actor = report
            .parties
            .iter()
            .find(|a| party_of_actor(a) == Some(*party))
            .cloned()
            .unwrap_or_default();
        found.push((
            *party,
            Ground::Coding,
            format!("{name} codes the actor `{actor}`"),
        ));
    }
    let w = words(&report.text);
    for (party, phrase) in actors_in(&w) {
        found.push((
            party,
            Ground::Words,
            format!("{name} says \u{201c}{phrase}\u{201d}"),
        ));
    }
    for (party, weapon) in weapons_in(&w) {
        found.push((
            party,
            Ground::Weapon,
            format!(
                "{name} names {weapon}, which only {} fields",
                party.as_str()
            ),
        ));
    }
    found
}

/// Which party the evidence of `incident`'s reports points to.
pub fn attribute(incident: &Incident) -> Attribution {
    let mut reports: Vec<&Report> = incident.reports.iter().collect();
    reports.sort_by(|a, b| a.source.cmp(&b.source).then(a.id.cmp(&b.id)));
    let mut all: Vec<(Party, Ground, String, &str)> = Vec::new();
    for r in &reports {
        for (party, ground, text) in evidence(r) {
            all.push((party, ground, text, r.source.as_str()));
        }
    }
    let parties: BTreeSet<Party> = all.iter().map(|e| e.0).collect();
    let mut grounds: Vec<String> = all.iter().map(|e| e.2.clone()).collect();
    grounds.dedup();
    if parties.len() != 1 {
        if parties.len() > 1 {
            grounds.push("the evidence points to both parties".to_owned());
        }
        return Attribution {
            party: None,
            firmness: Firmness::Low,
            grounds,
        };
    }
    let party = parties.into_iter().next();
    let direct: Vec<&(Party, Ground, String, &str)> =
        all.iter().filter(|e| e.1 != Ground::Weapon).collect();
    let sources: BTreeSet<&str> = direct.iter().map(|e| e.3).collect();
    let kinds: BTreeSet<Ground> = direct.iter().map(|e| e.1).collect();
    let firmness = if sources.len() >= 2 || kinds.len() >= 2 {
        Firmness::High
    } else if !direct.is_empty() {
        Firmness::Medium
    } else {
        Firmness::Low
    };
    Attribution {
        party,
        firmness,
        grounds,
    }
}
