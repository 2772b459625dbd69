//! `guarantor respond`: the response timeline of a planned contingency, a stored incident, or an attack on a site
//! or at a point; every planned contingency in one table; or an attack on every site in every world state.

use std::collections::BTreeSet;
use std::path::PathBuf;

use anyhow::Context;

use super::{Bars, Flags, Outcome, to_json, with_scenario, write_briefing};
use crate::show;

/// What `guarantor respond` is asked.
pub(crate) struct Target {
    pub(crate) contingency: Option<String>,
    /// A stored incident and the monitoring database it is in.
    pub(crate) incident: Option<(u64, PathBuf)>,
    pub(crate) site: Option<String>,
    pub(crate) point: Option<String>,
    pub(crate) day: Option<u32>,
    pub(crate) without: Vec<String>,
    pub(crate) list: bool,
    pub(crate) whatif: bool,
    pub(crate) out: Option<PathBuf>,
    pub(crate) timings: bool,
}

/// `guarantor respond`: opens the scenario and answers `target` in the world state.
pub(crate) fn respond(
    dir: Option<PathBuf>,
    world: Option<String>,
    target: Target,
    flags: Flags,
) -> anyhow::Result<Outcome> {
    let bars = Bars::new(flags.quiet);
    with_scenario(dir, world.as_deref(), flags, |scenario, world, json| {
        answer(scenario, world, json, target, &bars)
    })
}

/// `guarantor respond`: one response in full, or every planned contingency in a table.
fn answer(
    scenario: &guarantor_core::Scenario,
    world: &guarantor_core::WorldState,
    json: bool,
    target: Target,
    bars: &Bars,
) -> anyhow::Result<String> {
    if target.whatif {
        return every_site_in_every_state(scenario, world, json, &target, bars);
    }
    if target.list {
        return list(scenario, json);
    }
    let without = nations_left_out(&target.without)?;
    let ask = ask(scenario, &target)?;
    let started = std::time::Instant::now();
    let posture = guarantor_app::posture(scenario, world)
        .context("the force could not be sourced in this world state")?;
    let sourced = started.elapsed();
    match ask {
        Some(ask) => {
            let started = std::time::Instant::now();
            let report = posture.respond(&ask, target.day, &without)?;
            if target.timings {
                eprintln!(
                    "timings: sourcing and movement {:.3} s; the response {:.1} ms",
                    sourced.as_secs_f64(),
                    started.elapsed().as_secs_f64() * 1000.0
                );
            }
            let written = target
                .out
                .map(|out| {
                    write_briefing(
                        &out,
                        guarantor_app::response_briefing(scenario, &report, bars)?,
                    )
                })
                .transpose()?;
            if json {
                to_json(&report)
            } else {
                Ok(show::response(&report) + &written.unwrap_or_default())
            }
        }
        None => {
            let reports = scenario
                .response
                .contingencies
                .iter()
                .map(|c| {
                    posture.respond(
                        &guarantor_app::Ask::Contingency(c.id.clone()),
                        target.day,
                        &without,
                    )
                })
                .collect::<Result<Vec<_>, _>>()?;
            if json {
                to_json(&reports)
            } else {
                Ok(show::contingencies(&reports))
            }
        }
    }
}

/// `guarantor respond --whatif`: an attack on every site in every world state, the force sourced in each.
fn every_site_in_every_state(
    scenario: &guarantor_core::Scenario,
    world: &guarantor_core::WorldState,
    json: bool,
    target: &Target,
    bars: &Bars,
) -> anyhow::Result<String> {
    let report = guarantor_app::response_whatif(
        scenario,
        world,
        target.day,
        &guarantor_app::SourcingLimits::default(),
        bars,
    )
    .context("the force could not be sourced in some world state")?;
    let written = target
        .out
        .as_deref()
        .map(|out| {
            write_briefing(
                out,
                guarantor_app::response_whatif_briefing(scenario, &report, bars)?,
            )
        })
        .transpose()?;
    if json {
        to_json(&report)
    } else {
        Ok(show::response_whatif(&report) + &written.unwrap_or_default())
    }
}

/// `guarantor respond --list`: the planned contingencies.
fn list(scenario: &guarantor_core::Scenario, json: bool) -> anyhow::Result<String> {
    let list = guarantor_app::contingencies(scenario);
    if json {
        return to_json(&list);
    }
    let mut out = String::new();
    for c in &list {
        out.push_str(&format!(
            "{:<28} {:<16} {:<26} {}\n",
            c.id,
            c.kind,
            c.site.as_deref().unwrap_or("(nearest site)"),
            c.name
        ));
    }
    Ok(out)
}

/// The nations `--without` leaves out, as ISO alpha-3 codes.
fn nations_left_out(codes: &[String]) -> anyhow::Result<BTreeSet<guarantor_core::NationCode>> {
    let mut without = BTreeSet::new();
    for code in codes {
        let code = guarantor_core::NationCode::new(&code.to_ascii_uppercase())
            .map_err(|e| anyhow::anyhow!("bad --without `{code}`: {e}"))?;
        without.insert(code);
    }
    Ok(without)
}

/// What is attacked: the stored incident, the contingency, the site or the point (none: every planned
/// contingency).
fn ask(
    scenario: &guarantor_core::Scenario,
    target: &Target,
) -> anyhow::Result<Option<guarantor_app::Ask>> {
    if let Some((id, db)) = &target.incident {
        let mut store = guarantor_store::SqliteStore::open_existing(db)?;
        guarantor_app::refresh_incidents(&mut store, jiff::Timestamp::now())?;
        return Ok(Some(
            guarantor_app::incident_ask(scenario, &store, *id).map_err(anyhow::Error::msg)?,
        ));
    }
    Ok(match (&target.contingency, &target.site, &target.point) {
        (Some(id), _, _) => Some(guarantor_app::Ask::Contingency(
            guarantor_core::TermId::new(id)
                .map_err(|e| anyhow::anyhow!("bad --contingency `{id}`: {e}"))?,
        )),
        (_, Some(site), _) => Some(guarantor_app::Ask::Site(
            guarantor_core::SiteId::new(site)
                .map_err(|e| anyhow::anyhow!("bad --site `{site}`: {e}"))?,
        )),
        (_, _, Some(point)) => Some(parse_point(point)?),
        _ => None,
    })
}

/// `LAT,LON` in degrees.
fn parse_point(text: &str) -> anyhow::Result<guarantor_app::Ask> {
    let bad =
        || anyhow::anyhow!("bad --point `{text}`: expected LAT,LON in degrees, e.g. 47.84,35.14");
    let (lat, lon) = text.split_once(',').ok_or_else(bad)?;
    let lat: f64 = lat.trim().parse().map_err(|_| bad())?;
    let lon: f64 = lon.trim().parse().map_err(|_| bad())?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(bad());
    }
    Ok(guarantor_app::Ask::Point { lat, lon })
}
