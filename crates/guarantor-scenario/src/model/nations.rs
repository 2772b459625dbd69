//! `nations.toml`: the `[[nation]]` records, the states that may contribute forces.

use std::collections::BTreeMap;

use guarantor_core::*;

use super::{Model, duplicate, refer, source, top_level};
use crate::diag::Sink;
use crate::reader::Rec;
use crate::sources::File;

/// Reads `nations.toml` into `m.nations`.
pub(super) fn read_nations(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &mut Model,
    sink: &mut Sink,
) {
    let mut top = top_level(file, root);
    top.allow("nation");
    top.finish(sink);
    let mut seen = BTreeMap::new();
    for mut rec in Rec::records(file, root.get_ref(), "nation", sink) {
        let code = rec.id(sink, "code", true, NationCode::new);
        if let Some(code) = &code {
            m.declare("nation", code.v.as_str());
            rec.path = format!("nation[{}]", code.v);
        }
        let name = rec.text(sink, "name", true);
        let memberships = rec.enum_set::<Membership>(sink, "memberships");
        let population = rec.num(sink, "population_m", true, 0.0, true, f64::INFINITY);
        let gdp = rec.num(sink, "gdp_usd_bn", true, 0.0, true, f64::INFINITY);
        let defence = rec.num(sink, "defence_usd_bn", true, 0.0, true, f64::INFINITY);
        let active = rec.uint(sink, "active_forces", true, 1);
        let acceptable = rec.enum_set::<Party>(sink, "acceptable_to");
        let max_troops = rec.uint(sink, "max_troops", false, 1);
        let vote = rec.uint(sink, "parliament_vote_days", false, 1);
        let election = rec.date(sink, "next_election", false);
        let cycle = rec.cycle(sink, "cycle", false);
        let tour = rec.uint(sink, "tour_months", false, 1);
        let home = rec.id(sink, "home", true, NodeId::new);
        refer(m, &rec, "node", "home", &home);
        let notes = rec
            .str(sink, "notes", false)
            .map(|s| s.v)
            .unwrap_or_default();
        let src = source(&mut rec, sink);
        rec.finish(sink);
        let Some(code) = code else { continue };
        let at = file.location(code.span.clone());
        if duplicate(
            sink,
            &mut seen,
            code.v.as_str(),
            &at,
            "nation",
            "nations.toml",
        ) {
            continue;
        }
        if let (
            Some(name),
            Some(population),
            Some(gdp),
            Some(defence),
            Some(active),
            Some(home),
            Some(source),
        ) = (name, population, gdp, defence, active, home, src)
        {
            m.nations.push(Nation {
                code: code.v,
                name: name.v,
                memberships: memberships.map(|s| s.v).unwrap_or_default(),
                population_m: population.v,
                gdp_usd_bn: gdp.v,
                defence_usd_bn: defence.v,
                active_forces: active.v as u32,
                acceptable_to: acceptable.map(|s| s.v).unwrap_or_default(),
                max_troops: max_troops.map(|s| s.v as u32),
                parliament_vote_days: vote.map(|s| s.v as u32),
                cycle: cycle.map(|c| c.v),
                tour_months: tour.map(|t| t.v as u32),
                next_election: election.map(|s| s.v),
                home: home.v,
                notes,
                source,
            });
        }
    }
}
