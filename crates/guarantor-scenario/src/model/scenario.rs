//! `scenario.toml`: the scenario's name, its phases, the mission, the political facts and the paths of the
//! geometry files.

use std::collections::BTreeMap;

use guarantor_core::*;

use super::{Model, Ref, first_definition, source, top_level};
use crate::diag::Sink;
use crate::reader::Rec;
use crate::sources::File;

/// Paths of the geometry files, as scenario.toml names them.
#[derive(Clone, Debug, Default)]
pub(crate) struct GeometryPaths {
    pub(crate) contact_line: Option<(Ref, String)>,
    pub(crate) occupied_area: Option<(Ref, String)>,
    pub(crate) countries: Option<(Ref, String)>,
    pub(crate) areas: Option<(Ref, String)>,
    pub(crate) admin1: Option<(Ref, String)>,
    pub(crate) places: Option<(Ref, String)>,
    pub(crate) occupied_series: Option<(Ref, String)>,
    pub(crate) attribution: Vec<String>,
}

/// Reads `scenario.toml`, one table after another.
pub(super) fn read_scenario(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &mut Model,
    sink: &mut Sink,
) {
    let mut top = top_level(file, root);
    // Mark the sections as known; each is read below.
    for key in ["scenario", "mission", "phase", "fact", "geometry"] {
        top.allow(key);
    }
    top.finish(sink);
    read_heading(file, root, m, sink);
    let phases = read_phases(file, root, m, sink);
    read_mission(file, root, phases, m, sink);
    read_facts(file, root, m, sink);
    read_geometry(file, root, m, sink);
}

/// The `[scenario]` section: name, description, fair-share key and source.
fn read_heading(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &mut Model,
    sink: &mut Sink,
) {
    if let Some(mut rec) = Rec::section(file, root, "scenario", true, sink) {
        m.name = rec.text(sink, "name", true).map(|s| s.v);
        m.description = rec
            .str(sink, "description", false)
            .map(|s| s.v)
            .unwrap_or_default();
        m.fair_share = rec
            .enum_field::<FairShareKey>(sink, "fair_share", false)
            .map(|s| s.v)
            .or(Some(FairShareKey::Gdp));
        m.source = source(&mut rec, sink);
        rec.finish(sink);
    }
}

/// The `[[phase]]` records, which must be in the order they start; the complete ones are returned for the
/// mission.
fn read_phases(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &mut Model,
    sink: &mut Sink,
) -> Vec<Phase> {
    let mut phases = Vec::new();
    let mut last_start: Option<(u64, String)> = None;
    for mut rec in Rec::records(file, root.get_ref(), "phase", sink) {
        let id = rec.id(sink, "id", true, PhaseId::new);
        if let Some(id) = &id {
            m.declare("phase", id.v.as_str());
            rec.path = format!("phase[{}]", id.v);
        }
        let name = rec.text(sink, "name", true);
        let start = rec.uint(sink, "start_day", true, 0);
        let duration = rec.uint(sink, "duration_days", true, 1);
        let description = rec
            .str(sink, "description", false)
            .map(|s| s.v)
            .unwrap_or_default();
        let src = source(&mut rec, sink);
        if let (Some(start), Some((prev, prev_id))) = (&start, &last_start)
            && start.v < *prev
        {
            sink.error(
                file,
                start.span.clone(),
                "phase-order",
                rec.field("start_day"),
                format!(
                    "phase starts on day {} before the phase above it (`{prev_id}`, day {prev})",
                    start.v
                ),
            )
            .expected("phases in the order they start");
        }
        if let (Some(start), Some(id)) = (&start, &id) {
            last_start = Some((start.v, id.v.to_string()));
        }
        rec.finish(sink);
        let Some(id) = id else { continue };
        let Some(_) = first_definition(
            sink,
            &mut m.phases_at,
            file.location(id.span.clone()),
            id.v.as_str(),
            "phase",
            "scenario.toml",
        ) else {
            continue;
        };
        if let (Some(name), Some(start), Some(duration), Some(source)) =
            (name, start, duration, src)
        {
            phases.push(Phase {
                id: id.v,
                name: name.v,
                start_day: start.v as u32,
                duration_days: duration.v as u32,
                description,
                source,
            });
        }
    }
    phases
}

/// The `[mission]` section, holding `phases`.
fn read_mission(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    phases: Vec<Phase>,
    m: &mut Model,
    sink: &mut Sink,
) {
    let Some(mut rec) = Rec::section(file, root, "mission", true, sink) else {
        return;
    };
    let at = rec.location(rec.span.clone());
    let name = rec.text(sink, "name", true);
    let purposes = rec.enum_set::<Purpose>(sink, "purposes");
    let standoff = rec.num(sink, "standoff_km", true, 0.0, false, 1000.0);
    let tour = rec.uint(sink, "tour_months", true, 1);
    let horizon = rec.uint(sink, "horizon_months", true, 1);
    let cycle = rec.cycle(sink, "cycle", false);
    let share = rec.num(sink, "max_active_share", false, 0.0, true, 1.0);
    let ioc = rec.num(sink, "ioc_fill", true, 0.0, true, 1.0);
    let foc = rec.num(sink, "foc_fill", true, 0.0, true, 1.0);
    if let (Some(ioc), Some(foc)) = (&ioc, &foc)
        && ioc.v > foc.v
    {
        sink.error(
            file,
            ioc.span.clone(),
            "out-of-range",
            rec.field("ioc_fill"),
            format!(
                "initial operating capability ({}) is set above full operating capability ({})",
                ioc.v, foc.v
            ),
        )
        .expected("ioc_fill <= foc_fill")
        .related(rec.location(foc.span.clone()), "foc_fill is set here");
    }
    let src = source(&mut rec, sink);
    rec.finish(sink);
    if let (
        Some(name),
        Some(standoff),
        Some(tour),
        Some(horizon),
        Some(ioc),
        Some(foc),
        Some(source),
    ) = (name, standoff, tour, horizon, ioc, foc, src)
    {
        m.mission = Some(Mission {
            name: name.v,
            purposes: purposes.map(|p| p.v).unwrap_or_default(),
            phases,
            standoff_km: standoff.v,
            tour_months: tour.v as u32,
            horizon_months: horizon.v as u32,
            cycle: cycle.map_or(Cycle::THIRDS, |c| c.v),
            max_active_share: share.map_or(Mission::DEFAULT_MAX_ACTIVE_SHARE, |s| s.v),
            ioc_fill: ioc.v,
            foc_fill: foc.v,
            source,
        });
        m.mission_at = Some(at);
    }
}

/// The `[[fact]]` records: the political facts that conditions name.
fn read_facts(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &mut Model,
    sink: &mut Sink,
) {
    let mut seen: BTreeMap<String, Location> = BTreeMap::new();
    for mut rec in Rec::records(file, root.get_ref(), "fact", sink) {
        let id = rec.id(sink, "id", true, FactId::new);
        if let Some(id) = &id {
            m.declare("fact", id.v.as_str());
            rec.path = format!("fact[{}]", id.v);
        }
        let description = rec.text(sink, "description", true);
        let today = rec.boolean(sink, "today", true);
        let src = source(&mut rec, sink);
        rec.finish(sink);
        let Some(id) = id else { continue };
        let Some(at) = first_definition(
            sink,
            &mut seen,
            file.location(id.span.clone()),
            id.v.as_str(),
            "fact",
            "scenario.toml",
        ) else {
            continue;
        };
        if let (Some(description), Some(today), Some(source)) = (description, today, src) {
            m.facts.push((
                PoliticalFact {
                    id: id.v,
                    description: description.v,
                    today: today.v,
                    source,
                },
                at,
            ));
        }
    }
}

/// The `[geometry]` section: the paths of the geometry files and their attribution.
fn read_geometry(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &mut Model,
    sink: &mut Sink,
) {
    if let Some(mut rec) = Rec::section(file, root, "geometry", true, sink) {
        let mut path = |rec: &mut Rec<'_, '_>, key: &'static str, required: bool| {
            rec.text(sink, key, required)
                .map(|s| (Ref::new(rec, &s), rec.field(key)))
        };
        m.geometry.contact_line = path(&mut rec, "contact_line", true);
        m.geometry.occupied_area = path(&mut rec, "occupied_area", true);
        m.geometry.countries = path(&mut rec, "countries", false);
        m.geometry.areas = path(&mut rec, "areas", false);
        m.geometry.admin1 = path(&mut rec, "admin1", false);
        m.geometry.places = path(&mut rec, "places", false);
        m.geometry.occupied_series = path(&mut rec, "occupied_series", false);
        m.geometry.attribution = rec
            .str_list(sink, "attribution")
            .map(|l| l.v.into_iter().map(|s| s.v).collect())
            .unwrap_or_default();
        rec.finish(sink);
    }
}
