//! The TOML model files, read record by record into domain values, each with the places its references stand.

use std::collections::{BTreeMap, BTreeSet};

use geo_types::Point;
use guarantor_core::*;

use crate::diag::Sink;
use crate::reader::{Rec, Sp, parse_toml};
use crate::sources::{File, SourceSet};

/// A reference to another record, with where it was written.
#[derive(Clone, Debug)]
pub(crate) struct Ref {
    pub(crate) name: String,
    pub(crate) at: Location,
}

impl Ref {
    pub(crate) fn new(rec: &Rec<'_, '_>, sp: &Sp<String>) -> Self {
        Self {
            name: sp.v.clone(),
            at: rec.location(sp.span.clone()),
        }
    }
}

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

pub(crate) struct SiteRead {
    pub(crate) site: Site,
    pub(crate) position: Location,
    pub(crate) area: Option<Ref>,
}

pub(crate) struct RequirementRead {
    pub(crate) requirement: Requirement,
    pub(crate) capability: Ref,
    pub(crate) role: Location,
}

pub(crate) struct NodeRead {
    pub(crate) node: Node,
    pub(crate) position: Location,
}

pub(crate) struct ProtectedRead {
    pub(crate) position: Option<(Point<f64>, Location)>,
}

/// Everything read from the model files, before cross-checks.
#[derive(Default)]
pub(crate) struct Model {
    /// Files that could not be read at all (missing or bad TOML): references into them are not checked.
    pub(crate) broken: BTreeSet<&'static str>,
    pub(crate) name: Option<String>,
    pub(crate) description: String,
    pub(crate) fair_share: Option<FairShareKey>,
    pub(crate) source: Option<String>,
    pub(crate) mission: Option<Mission>,
    pub(crate) mission_at: Option<Location>,
    pub(crate) phases_at: BTreeMap<String, Location>,
    pub(crate) facts: Vec<(PoliticalFact, Location)>,
    pub(crate) geometry: GeometryPaths,
    pub(crate) nations: Vec<Nation>,
    pub(crate) capabilities: Vec<(Capability, Location)>,
    pub(crate) pledges: Vec<Pledge>,
    pub(crate) sites: Vec<SiteRead>,
    pub(crate) requirements: Vec<RequirementRead>,
    pub(crate) nodes: Vec<NodeRead>,
    pub(crate) links: Vec<Link>,
    pub(crate) reserves: Vec<Reserve>,
    pub(crate) terms: Option<Terms>,
    pub(crate) response: Option<ResponsePlan>,
    /// The cost model, when the scenario has a `cost.toml` and it reads without errors.
    pub(crate) cost: Option<CostModel>,
    /// The courses of action of `courses.toml`, requirements not yet resolved.
    pub(crate) courses: Vec<crate::courses::CourseRead>,
    /// For each contingency read: whether its objective is its site's position (filled in on assembly).
    pub(crate) contingency_at_site: Vec<bool>,
    /// Each escalation step's id with where it is written, for the check that some rule reaches it.
    pub(crate) steps_at: Vec<(String, Location)>,
    pub(crate) protected: Vec<ProtectedRead>,
    /// Every id written in each kind of record, even in records with other problems: references resolve
    /// against these, so one bad field does not make every reference to its record an error too.
    pub(crate) declared: BTreeMap<&'static str, BTreeSet<String>>,
    /// Every reference written, with the kind it names and its field, whether or not its record is complete.
    pub(crate) references: Vec<(&'static str, Ref, String)>,
}

/// Records the reference in `key` of `rec`, when it was read, to a record of `kind`.
pub(crate) fn refer<T: std::fmt::Display>(
    m: &mut Model,
    rec: &Rec<'_, '_>,
    kind: &'static str,
    key: &str,
    value: &Option<Sp<T>>,
) {
    if let Some(v) = value {
        let r = Ref {
            name: v.v.to_string(),
            at: rec.location(v.span.clone()),
        };
        m.refer(kind, &r, rec.field(key));
    }
}

impl Model {
    /// Records a reference to be resolved against the declared ids of `kind` once every file is read.
    pub(crate) fn refer(&mut self, kind: &'static str, r: &Ref, field: String) {
        self.references.push((kind, r.clone(), field));
    }

    pub(crate) fn declare(&mut self, kind: &'static str, id: &str) {
        self.declared.entry(kind).or_default().insert(id.to_owned());
    }
}

/// Reads every model file of `sources`.
pub(crate) fn read_model(sources: &SourceSet, sink: &mut Sink) -> Model {
    let mut model = Model::default();
    type Reader = fn(&File<'_>, &toml::Spanned<toml::de::DeTable<'_>>, &mut Model, &mut Sink);
    let readers: [(&'static str, Reader); 9] = [
        ("scenario.toml", read_scenario),
        ("nations.toml", read_nations),
        ("capabilities.toml", read_capabilities),
        ("pledges.toml", read_pledges),
        ("sites.toml", read_sites),
        ("requirements.toml", read_requirements),
        ("network.toml", read_network),
        ("terms.toml", read_terms),
        ("response.toml", crate::response::read_response),
    ];
    for (path, reader) in readers {
        let Some(text) = sources.get(path) else {
            sink.at(Level::Error, crate::sources::whole_file(path), "missing-file", "", format!(
                "the scenario has no `{path}`"
            ))
            .help("every scenario folder has the files `guarantor init` writes; see docs/scenario-format.md");
            model.broken.insert(path);
            continue;
        };
        let file = File::new(path, text);
        let Some(root) = parse_toml(&file, sink) else {
            model.broken.insert(path);
            continue;
        };
        reader(&file, &root, &mut model, sink);
    }
    // Optional: a scenario without it has no cost model.
    if let Some(text) = sources.get(crate::sources::COST_FILE) {
        let file = File::new(crate::sources::COST_FILE, text);
        match parse_toml(&file, sink) {
            Some(root) => crate::cost::read_cost(&file, &root, &mut model, sink),
            None => {
                model.broken.insert(crate::sources::COST_FILE);
            }
        }
    }
    // Optional: a scenario without it has no courses of action to compare.
    if let Some(text) = sources.get(crate::courses::COURSES_FILE) {
        let file = File::new(crate::courses::COURSES_FILE, text);
        match parse_toml(&file, sink) {
            Some(root) => crate::courses::read_courses(&file, &root, sources, &mut model, sink),
            None => {
                model.broken.insert(crate::courses::COURSES_FILE);
            }
        }
    }
    model
}

/// Reports top-level keys a file does not have.
pub(crate) fn top_level<'a, 'i>(
    file: &'a File<'a>,
    root: &'a toml::Spanned<toml::de::DeTable<'i>>,
) -> Rec<'a, 'i> {
    Rec::new(
        file,
        root.get_ref(),
        0..0,
        file.path.trim_end_matches(".toml").to_owned(),
    )
}

pub(crate) fn source(rec: &mut Rec<'_, '_>, sink: &mut Sink) -> Option<String> {
    rec.text(sink, "source", true).map(|s| s.v)
}

fn read_scenario(
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

    if let Some(mut rec) = Rec::section(file, root, "scenario", true, sink) {
        m.name = rec.text(sink, "name", true).map(|s| s.v);
        m.description = rec
            .str(sink, "description", false)
            .map(|s| s.v)
            .unwrap_or_default();
        m.fair_share = rec
            .choice(
                sink,
                "fair_share",
                false,
                FairShareKey::from_name,
                &FairShareKey::names(),
            )
            .map(|s| s.v)
            .or(Some(FairShareKey::Gdp));
        m.source = source(&mut rec, sink);
        rec.finish(sink);
    }

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
        let at = file.location(id.span.clone());
        if duplicate(
            sink,
            &mut m.phases_at,
            id.v.as_str(),
            &at,
            "phase",
            "scenario.toml",
        ) {
            continue;
        }
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

    if let Some(mut rec) = Rec::section(file, root, "mission", true, sink) {
        let at = rec.location(rec.span.clone());
        let name = rec.text(sink, "name", true);
        let purposes = rec.choices(sink, "purposes", Purpose::from_name, &Purpose::names());
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
        let at = file.location(id.span.clone());
        if duplicate(sink, &mut seen, id.v.as_str(), &at, "fact", "scenario.toml") {
            continue;
        }
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

/// Records `id` as seen, or reports it as a duplicate (returning true).
pub(crate) fn duplicate(
    sink: &mut Sink,
    seen: &mut BTreeMap<String, Location>,
    id: &str,
    at: &Location,
    kind: &str,
    file: &str,
) -> bool {
    if let Some(first) = seen.get(id) {
        sink.at(
            Level::Error,
            at.clone(),
            "duplicate-id",
            format!("{kind}[{id}]"),
            format!("duplicate {kind} `{id}`"),
        )
        .expected(format!("each {kind} defined once in {file}"))
        .related(first.clone(), "first defined here");
        true
    } else {
        seen.insert(id.to_owned(), at.clone());
        false
    }
}

fn read_nations(
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
        let memberships = rec.choices(
            sink,
            "memberships",
            Membership::from_name,
            &Membership::names(),
        );
        let population = rec.num(sink, "population_m", true, 0.0, true, f64::INFINITY);
        let gdp = rec.num(sink, "gdp_usd_bn", true, 0.0, true, f64::INFINITY);
        let defence = rec.num(sink, "defence_usd_bn", true, 0.0, true, f64::INFINITY);
        let active = rec.uint(sink, "active_forces", true, 1);
        let acceptable = rec.choices(sink, "acceptable_to", Party::from_name, &Party::names());
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

fn read_capabilities(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &mut Model,
    sink: &mut Sink,
) {
    let mut top = top_level(file, root);
    top.allow("capability");
    top.finish(sink);
    let mut seen = BTreeMap::new();
    for mut rec in Rec::records(file, root.get_ref(), "capability", sink) {
        let id = rec.id(sink, "id", true, CapabilityId::new);
        if let Some(id) = &id {
            m.declare("capability", id.v.as_str());
            rec.path = format!("capability[{}]", id.v);
        }
        let name = rec.text(sink, "name", true);
        let echelon = rec.choice(sink, "echelon", true, Echelon::from_name, &Echelon::names());
        let sign = rec.choice(sink, "sign", true, Sign::from_name, &Sign::names());
        let personnel = rec.uint(sink, "personnel", true, 1);
        let vehicles = rec.uint(sink, "vehicles", true, 0);
        let tonnes = rec.num(sink, "tonnes", true, 0.0, true, f64::INFINITY);
        let domains = required_set(
            &mut rec,
            sink,
            "domains",
            Domain::from_name,
            &Domain::names(),
        );
        let roles = required_set(&mut rec, sink, "roles", Role::from_name, &Role::names());
        let src = source(&mut rec, sink);
        rec.finish(sink);
        let Some(id) = id else { continue };
        let at = file.location(id.span.clone());
        if duplicate(
            sink,
            &mut seen,
            id.v.as_str(),
            &at,
            "capability",
            "capabilities.toml",
        ) {
            continue;
        }
        if let (
            Some(name),
            Some(echelon),
            Some(sign),
            Some(personnel),
            Some(vehicles),
            Some(tonnes),
            Some(domains),
            Some(roles),
            Some(source),
        ) = (
            name, echelon, sign, personnel, vehicles, tonnes, domains, roles, src,
        ) {
            m.capabilities.push((
                Capability {
                    id: id.v,
                    name: name.v,
                    echelon: echelon.v,
                    sign: sign.v,
                    personnel: personnel.v as u32,
                    vehicles: vehicles.v as u32,
                    tonnes: tonnes.v,
                    domains,
                    roles,
                    source,
                },
                at,
            ));
        }
    }
}

/// A list of names that must be present and not empty.
fn required_set<E: Copy + Ord>(
    rec: &mut Rec<'_, '_>,
    sink: &mut Sink,
    key: &'static str,
    from_name: fn(&str) -> Option<E>,
    names: &[&str],
) -> Option<BTreeSet<E>> {
    match rec.choices(sink, key, from_name, names) {
        Some(set) if !set.v.is_empty() => Some(set.v),
        Some(set) => {
            sink.error(
                rec.file,
                set.span,
                "empty-value",
                rec.field(key),
                format!("`{key}` may not be empty"),
            )
            .expected(format!("at least one of {}", crate::diag::one_of(names)));
            None
        }
        None => {
            if !rec.has(key) {
                rec.missing(
                    sink,
                    key,
                    &format!("a list of {}", crate::diag::one_of(names)),
                );
            }
            None
        }
    }
}

fn read_pledges(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &mut Model,
    sink: &mut Sink,
) {
    let mut top = top_level(file, root);
    top.allow("pledge");
    top.finish(sink);
    let mut seen = BTreeMap::new();
    for mut rec in Rec::records(file, root.get_ref(), "pledge", sink) {
        let id = rec.id(sink, "id", true, PledgeId::new);
        if let Some(id) = &id {
            rec.path = format!("pledge[{}]", id.v);
        }
        let nation = rec.id(sink, "nation", true, NationCode::new);
        refer(m, &rec, "nation", "nation", &nation);
        let kind = rec.choice(
            sink,
            "kind",
            true,
            |s| {
                ["units", "materiel", "enabler"]
                    .into_iter()
                    .find(|k| *k == s)
            },
            &["units", "materiel", "enabler"],
        );
        let offer = match kind.as_ref().map(|k| k.v) {
            Some("units") => {
                let capability = rec.id(sink, "capability", true, CapabilityId::new);
                let count = rec.uint(sink, "count", true, 1);
                refer(m, &rec, "capability", "capability", &capability);
                match (capability, count) {
                    (Some(capability), Some(count)) => Some(Offer::Units {
                        capability: capability.v,
                        count: count.v as u32,
                    }),
                    _ => None,
                }
            }
            Some("materiel") => {
                let item = rec.text(sink, "item", true);
                let quantity = rec.uint(sink, "quantity", true, 1);
                let tonnes = rec.num(sink, "tonnes", true, 0.0, true, f64::INFINITY);
                let depot = rec.id(sink, "depot", true, NodeId::new);
                refer(m, &rec, "node", "depot", &depot);
                let site = rec.id(sink, "site", false, SiteId::new);
                refer(m, &rec, "site", "site", &site);
                match (item, quantity, tonnes, depot) {
                    (Some(item), Some(quantity), Some(tonnes), Some(depot)) => {
                        Some(Offer::Materiel {
                            item: item.v,
                            quantity: quantity.v,
                            tonnes: tonnes.v,
                            depot: depot.v,
                            site: site.map(|s| s.v),
                        })
                    }
                    _ => None,
                }
            }
            Some("enabler") => {
                let enabler = rec.choice(
                    sink,
                    "enabler",
                    true,
                    EnablerKind::from_name,
                    &EnablerKind::names(),
                );
                let capacity = rec.num(sink, "capacity", true, 0.0, true, f64::INFINITY);
                let unit = rec.text(sink, "capacity_unit", true);
                match (enabler, capacity, unit) {
                    (Some(kind), Some(capacity), Some(unit)) => Some(Offer::Enabler {
                        kind: kind.v,
                        capacity: capacity.v,
                        capacity_unit: unit.v,
                    }),
                    _ => None,
                }
            }
            _ => None,
        };
        let notice = rec.uint(sink, "notice_days", true, 0).filter(|n| {
            // Ten years' notice is no pledge for this mission; larger figures would only overflow the day
            // arithmetic of movement.
            let ok = n.v <= MAX_NOTICE_DAYS;
            if !ok {
                sink.error(
                    file,
                    n.span.clone(),
                    "out-of-range",
                    rec.field("notice_days"),
                    format!("`notice_days` is {} days", n.v),
                )
                .expected(format!("at most {MAX_NOTICE_DAYS} days (ten years)"));
            }
            ok
        });
        let sustain = rec.uint(sink, "sustain_months", false, 1);
        let rotations = rec.uint(sink, "rotations", false, 1);
        let status = rec.choice(
            sink,
            "status",
            false,
            PledgeStatus::from_name,
            &PledgeStatus::names(),
        );
        let restricted = rec
            .boolean(sink, "restricted", false)
            .map(|b| b.v)
            .unwrap_or(false);
        let condition = condition(file, &mut rec, m, sink);
        let caveats = caveats(file, &mut rec, m, sink);
        let src = source(&mut rec, sink);
        rec.finish(sink);
        let Some(id) = id else { continue };
        let at = file.location(id.span.clone());
        if duplicate(
            sink,
            &mut seen,
            id.v.as_str(),
            &at,
            "pledge",
            "pledges.toml",
        ) {
            continue;
        }
        if let (
            Some(code),
            Some(offer),
            Some(notice),
            Some(condition),
            Some(caveats),
            Some(source),
        ) = (nation, offer, notice, condition, caveats, src)
        {
            m.pledges.push(Pledge {
                id: id.v,
                nation: code.v,
                offer,
                notice_days: notice.v as u32,
                sustain_months: sustain.map(|s| s.v as u32),
                rotations: rotations.map(|s| s.v as u32),
                status: status.map(|s| s.v).unwrap_or(PledgeStatus::Offered),
                condition,
                restricted,
                caveats,
                source,
            });
        }
    }
}

/// The optional `condition` of a record (a boolean expression over the scenario's facts; absent = always),
/// each fact it names recorded as a reference; `None` when it does not parse (the error is reported).
pub(crate) fn condition(
    file: &File<'_>,
    rec: &mut Rec<'_, '_>,
    m: &mut Model,
    sink: &mut Sink,
) -> Option<Condition> {
    match rec.str(sink, "condition", false) {
        None => Some(Condition::True),
        Some(text) => match Condition::parse(&text.v) {
            Ok(parsed) => {
                for (fact, span) in parsed.fact_spans {
                    if let Some(at) = inner_span(file, &text, span) {
                        let r = Ref {
                            name: fact.to_string(),
                            at: file.location(at),
                        };
                        m.refer("fact", &r, rec.field("condition"));
                    }
                }
                Some(parsed.condition)
            }
            Err(e) => {
                let at = inner_span(file, &text, e.span.clone()).unwrap_or(text.span.clone());
                sink.error(file, at, "bad-condition", rec.field("condition"), format!(
                        "condition does not parse: {}",
                        e.message
                    ))
                    .expected(e.expected)
                    .help("conditions combine facts with `&&`, `||`, `!` and parentheses, e.g. \"us_backstop && (un_mandate || permanent_ceasefire)\"");
                None
            }
        },
    }
}

/// The optional `caveats` table of a record (absent = no limits); `None` when it is not a table.
pub(crate) fn caveats(
    file: &File<'_>,
    rec: &mut Rec<'_, '_>,
    m: &mut Model,
    sink: &mut Sink,
) -> Option<Caveats> {
    match rec.sub(sink, "caveats") {
        None => Some(Caveats::default()),
        Some(mut sub) => {
            let roles = sub
                .choices(sink, "roles", Role::from_name, &Role::names())
                .map(|s| s.v);
            let region_list = sub.str_list(sink, "regions");
            let mut region_set = None;
            if let Some(list) = region_list {
                let mut set = BTreeSet::new();
                for r in list.v {
                    match RegionId::new(&r.v) {
                        Ok(id) => {
                            m.refer("region", &Ref::new(&sub, &r), sub.field("regions"));
                            set.insert(id);
                        }
                        Err(e) => {
                            sink.error(
                                file,
                                r.span.clone(),
                                "bad-id",
                                sub.field("regions"),
                                e.to_string(),
                            );
                        }
                    }
                }
                region_set = Some(set);
            }
            let min_km = sub
                .num(sink, "min_km_from_line", false, 0.0, false, 2000.0)
                .map(|s| s.v);
            let domains = sub
                .choices(sink, "domains", Domain::from_name, &Domain::names())
                .map(|s| s.v);
            let restricted = sub
                .boolean(sink, "restricted", false)
                .map(|b| b.v)
                .unwrap_or(false);
            sub.finish(sink);
            Some(Caveats {
                roles,
                regions: region_set,
                min_km_from_line: min_km,
                domains,
                restricted,
            })
        }
    }
}

/// The longest notice to move a pledge may give.
///
/// # Units
/// days
const MAX_NOTICE_DAYS: u64 = 3650;

/// Maps a byte range inside a string's value to the range in the file, when the string is written
/// without escapes (so that value offsets and file offsets agree).
fn inner_span(
    file: &File<'_>,
    text: &Sp<String>,
    inner: std::ops::Range<usize>,
) -> Option<std::ops::Range<usize>> {
    let raw = file.text.get(text.span.clone())?;
    let quote = raw.chars().next()?;
    let open = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        3
    } else {
        1
    };
    if !matches!(quote, '"' | '\'') {
        return None;
    }
    let body = raw.get(open..raw.len().checked_sub(open)?)?;
    if body != text.v {
        return None;
    }
    let start = text.span.start + open;
    Some(start + inner.start..start + inner.end)
}

/// Latitude and longitude of a record, with the span covering both.
pub(crate) fn position(
    rec: &mut Rec<'_, '_>,
    sink: &mut Sink,
    required: bool,
) -> Option<(Point<f64>, std::ops::Range<usize>)> {
    let lat = rec.num(sink, "lat", required, -90.0, false, 90.0);
    let lon = rec.num(sink, "lon", required, -180.0, false, 180.0);
    let (lat, lon) = (lat?, lon?);
    let span = lat.span.start.min(lon.span.start)..lat.span.end.max(lon.span.end);
    Some((Point::new(lon.v, lat.v), span))
}

fn read_sites(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &mut Model,
    sink: &mut Sink,
) {
    let mut top = top_level(file, root);
    top.allow("site");
    top.finish(sink);
    let mut seen = BTreeMap::new();
    for mut rec in Rec::records(file, root.get_ref(), "site", sink) {
        let id = rec.id(sink, "id", true, SiteId::new);
        if let Some(id) = &id {
            m.declare("site", id.v.as_str());
            rec.path = format!("site[{}]", id.v);
        }
        let name = rec.text(sink, "name", true);
        let kind = rec.choice(sink, "kind", true, SiteKind::from_name, &SiteKind::names());
        let country = rec.id(sink, "country", true, NationCode::new);
        let pos = position(&mut rec, sink, true);
        let region = rec.id(sink, "region", true, RegionId::new);
        if let Some(region) = &region {
            m.declare("region", region.v.as_str());
        }
        let area = rec.id(sink, "area", false, AreaId::new);
        let area_ref = area.as_ref().map(|a| Ref {
            name: a.v.to_string(),
            at: rec.location(a.span.clone()),
        });
        if let Some(kind) = &kind {
            if kind.v.is_area() && area.is_none() && !rec.has("area") {
                sink.error(
                    file,
                    kind.span.clone(),
                    "missing-field",
                    rec.field("area"),
                    format!(
                        "a {} needs `area`: the id of its outline in the areas geometry",
                        kind.v
                    ),
                )
                .expected("area = \"<feature id>\"");
            }
            if !kind.v.is_area()
                && let Some(a) = &area
            {
                sink.error(
                    file,
                    a.span.clone(),
                    "unexpected-field",
                    rec.field("area"),
                    format!(
                        "only sea and air areas have `area`; this site is a {}",
                        kind.v
                    ),
                );
            }
        }
        let protection = rec
            .str(sink, "protection", false)
            .map(|s| s.v)
            .unwrap_or_default();
        let src = source(&mut rec, sink);
        rec.finish(sink);
        let Some(id) = id else { continue };
        let at = file.location(id.span.clone());
        if duplicate(sink, &mut seen, id.v.as_str(), &at, "site", "sites.toml") {
            continue;
        }
        if let (
            Some(name),
            Some(kind),
            Some(country),
            Some((point, pspan)),
            Some(region),
            Some(source),
        ) = (name, kind, country, pos, region, src)
        {
            m.sites.push(SiteRead {
                site: Site {
                    id: id.v,
                    name: name.v,
                    kind: kind.v,
                    country: country.v,
                    location: point,
                    region: region.v,
                    area: area.map(|a| a.v),
                    protection,
                    source,
                },
                position: file.location(pspan),
                area: area_ref,
            });
        }
    }
}

pub(crate) fn read_requirements(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &mut Model,
    sink: &mut Sink,
) {
    let mut top = top_level(file, root);
    top.allow("requirement");
    top.finish(sink);
    let mut seen = BTreeMap::new();
    for mut rec in Rec::records(file, root.get_ref(), "requirement", sink) {
        let id = rec.id(sink, "id", true, RequirementId::new);
        if let Some(id) = &id {
            rec.path = format!("requirement[{}]", id.v);
        }
        let capability = rec.id(sink, "capability", true, CapabilityId::new);
        let count = rec.uint(sink, "count", true, 1);
        let site = rec.id(sink, "site", true, SiteId::new);
        let phase = rec.id(sink, "phase", true, PhaseId::new);
        for (kind, key, value) in [
            (
                "capability",
                "capability",
                capability
                    .as_ref()
                    .map(|c| (c.v.to_string(), c.span.clone())),
            ),
            (
                "site",
                "site",
                site.as_ref().map(|c| (c.v.to_string(), c.span.clone())),
            ),
            (
                "phase",
                "phase",
                phase.as_ref().map(|c| (c.v.to_string(), c.span.clone())),
            ),
        ] {
            if let Some((name, span)) = value {
                m.refer(
                    kind,
                    &Ref {
                        name,
                        at: rec.location(span),
                    },
                    rec.field(key),
                );
            }
        }
        let priority = rec.choice(
            sink,
            "priority",
            true,
            Priority::from_name,
            &Priority::names(),
        );
        let role = rec.choice(sink, "role", true, Role::from_name, &Role::names());
        let min_nations = rec.uint(sink, "min_nations", false, 1);
        let acceptable = rec.choices(sink, "acceptable_to", Party::from_name, &Party::names());
        let framework = rec
            .boolean(sink, "framework", false)
            .map(|b| b.v)
            .unwrap_or(false);
        let src = source(&mut rec, sink);
        rec.finish(sink);
        let Some(id) = id else { continue };
        let at = file.location(id.span.clone());
        if duplicate(
            sink,
            &mut seen,
            id.v.as_str(),
            &at,
            "requirement",
            "requirements.toml",
        ) {
            continue;
        }
        if let (
            Some(capability),
            Some(count),
            Some(site),
            Some(phase),
            Some(priority),
            Some(role),
            Some(source),
        ) = (capability, count, site, phase, priority, role, src)
        {
            m.requirements.push(RequirementRead {
                capability: Ref {
                    name: capability.v.to_string(),
                    at: file.location(capability.span),
                },
                role: file.location(role.span),
                requirement: Requirement {
                    id: id.v,
                    capability: capability.v,
                    count: count.v as u32,
                    site: site.v,
                    phase: phase.v,
                    priority: priority.v,
                    role: role.v,
                    min_nations: min_nations.map_or(1, |s| s.v as u32),
                    acceptable_to: acceptable.map(|s| s.v).unwrap_or_default(),
                    framework,
                    source,
                },
            });
        }
    }
}

fn read_network(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &mut Model,
    sink: &mut Sink,
) {
    let mut top = top_level(file, root);
    top.allow("node");
    top.allow("link");
    top.allow("reserve");
    top.finish(sink);
    let mut seen = BTreeMap::new();
    for mut rec in Rec::records(file, root.get_ref(), "node", sink) {
        let id = rec.id(sink, "id", true, NodeId::new);
        if let Some(id) = &id {
            m.declare("node", id.v.as_str());
            rec.path = format!("node[{}]", id.v);
        }
        let name = rec.text(sink, "name", true);
        let kind = rec.choice(sink, "kind", true, NodeKind::from_name, &NodeKind::names());
        let country = rec.id(sink, "country", true, NationCode::new);
        let pos = position(&mut rec, sink, true);
        let troops = rec.uint(sink, "reception_troops_per_day", true, 1);
        let tonnes = rec.num(
            sink,
            "reception_tonnes_per_day",
            true,
            0.0,
            true,
            f64::INFINITY,
        );
        let site = rec.id(sink, "site", false, SiteId::new);
        refer(m, &rec, "site", "site", &site);
        let src = source(&mut rec, sink);
        rec.finish(sink);
        let Some(id) = id else { continue };
        let at = file.location(id.span.clone());
        if duplicate(sink, &mut seen, id.v.as_str(), &at, "node", "network.toml") {
            continue;
        }
        if let (
            Some(name),
            Some(kind),
            Some(country),
            Some((point, pspan)),
            Some(troops),
            Some(tonnes),
            Some(source),
        ) = (name, kind, country, pos, troops, tonnes, src)
        {
            m.nodes.push(NodeRead {
                node: Node {
                    id: id.v,
                    name: name.v,
                    kind: kind.v,
                    country: country.v,
                    location: point,
                    reception_troops_per_day: troops.v as u32,
                    reception_tonnes_per_day: tonnes.v,
                    site: site.map(|s| s.v),
                    source,
                },
                position: file.location(pspan),
            });
        }
    }
    let mut seen = BTreeMap::new();
    let mut parallel: BTreeMap<(NodeId, NodeId, Mode), (String, Location)> = BTreeMap::new();
    for mut rec in Rec::records(file, root.get_ref(), "link", sink) {
        let id = rec.id(sink, "id", true, LinkId::new);
        if let Some(id) = &id {
            rec.path = format!("link[{}]", id.v);
        }
        let from = rec.id(sink, "from", true, NodeId::new);
        let to = rec.id(sink, "to", true, NodeId::new);
        refer(m, &rec, "node", "from", &from);
        refer(m, &rec, "node", "to", &to);
        let mode = rec.choice(sink, "mode", true, Mode::from_name, &Mode::names());
        let distance = rec.num(sink, "distance_km", true, 0.0, true, 40_000.0);
        let speed = rec.num(sink, "speed_km_per_day", true, 0.0, true, 50_000.0);
        let troops = rec.uint(sink, "troops_per_day", true, 1);
        let tonnes = rec.num(sink, "tonnes_per_day", true, 0.0, true, f64::INFINITY);
        let src = source(&mut rec, sink);
        if let (Some(f), Some(t)) = (&from, &to)
            && f.v == t.v
        {
            sink.error(
                file,
                t.span.clone(),
                "self-link",
                rec.field("to"),
                format!("link goes from `{}` to itself", f.v),
            )
            .expected("two different nodes");
        }
        rec.finish(sink);
        let Some(id) = id else { continue };
        let at = file.location(id.span.clone());
        if duplicate(sink, &mut seen, id.v.as_str(), &at, "link", "network.toml") {
            continue;
        }
        if let (
            Some(from),
            Some(to),
            Some(mode),
            Some(distance),
            Some(speed),
            Some(troops),
            Some(tonnes),
            Some(source),
        ) = (from, to, mode, distance, speed, troops, tonnes, src)
        {
            let key = if from.v <= to.v {
                (from.v.clone(), to.v.clone(), mode.v)
            } else {
                (to.v.clone(), from.v.clone(), mode.v)
            };
            if let Some((first, first_at)) = parallel.get(&key) {
                sink.at(Level::Warning, at.clone(), "parallel-link", format!("link[{}]", id.v), format!(
                    "link `{}` joins `{}` and `{}` by {} like link `{first}`: links carry traffic both ways, so the two add up to twice the capacity",
                    id.v, from.v, to.v, mode.v.as_str()
                ))
                .related(first_at.clone(), format!("link `{first}` is here"))
                .help("keep one link per pair of nodes and mode, with the capacity of each direction");
            } else {
                parallel.insert(key, (id.v.to_string(), at.clone()));
            }
            m.links.push(Link {
                id: id.v,
                from: from.v,
                to: to.v,
                mode: mode.v,
                distance_km: distance.v,
                speed_km_per_day: speed.v,
                troops_per_day: troops.v as u32,
                tonnes_per_day: tonnes.v,
                source,
            });
        }
    }

    read_reserves(file, root, m, sink);
}

/// `[[reserve]]` records of network.toml: forces held outside the sourced force, standing at nodes.
fn read_reserves(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &mut Model,
    sink: &mut Sink,
) {
    let mut seen = BTreeMap::new();
    for mut rec in Rec::records(file, root.get_ref(), "reserve", sink) {
        let id = rec.id(sink, "id", true, ReserveId::new);
        if let Some(id) = &id {
            rec.path = format!("reserve[{}]", id.v);
        }
        let name = rec.text(sink, "name", true);
        let kind = rec.choice(
            sink,
            "kind",
            true,
            ReserveKind::from_name,
            &ReserveKind::names(),
        );
        let nation = rec.id(sink, "nation", true, NationCode::new);
        refer(m, &rec, "nation", "nation", &nation);
        let capability = rec.id(sink, "capability", true, CapabilityId::new);
        refer(m, &rec, "capability", "capability", &capability);
        let count = rec.uint(sink, "count", true, 1);
        let node = rec.id(sink, "node", true, NodeId::new);
        refer(m, &rec, "node", "node", &node);
        let notice = rec.uint(sink, "notice_days", true, 0);
        let condition = condition(file, &mut rec, m, sink);
        let src = source(&mut rec, sink);
        rec.finish(sink);
        let Some(id) = id else { continue };
        let at = file.location(id.span.clone());
        if duplicate(
            sink,
            &mut seen,
            id.v.as_str(),
            &at,
            "reserve",
            "network.toml",
        ) {
            continue;
        }
        if let (
            Some(name),
            Some(kind),
            Some(nation),
            Some(capability),
            Some(count),
            Some(node),
            Some(notice),
            Some(condition),
            Some(source),
        ) = (
            name, kind, nation, capability, count, node, notice, condition, src,
        ) {
            m.reserves.push(Reserve {
                id: id.v,
                name: name.v,
                kind: kind.v,
                nation: nation.v,
                capability: capability.v,
                count: count.v as u32,
                node: node.v,
                notice_days: notice.v as u32,
                condition,
                source,
            });
        }
    }
}

fn read_terms(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &mut Model,
    sink: &mut Sink,
) {
    let mut top = top_level(file, root);
    for key in [
        "terms",
        "buffer_zone",
        "protected_site",
        "window",
        "escalation",
        "escalation_rule",
    ] {
        top.allow(key);
    }
    top.finish(sink);
    let mut seen: BTreeMap<String, Location> = BTreeMap::new();
    let mut term_id = |rec: &mut Rec<'_, '_>, sink: &mut Sink, kind: &str| -> Option<TermId> {
        let id = rec.id(sink, "id", true, TermId::new)?;
        rec.path = format!("{kind}[{}]", id.v);
        let at = rec.location(id.span.clone());
        if duplicate(sink, &mut seen, id.v.as_str(), &at, "term", "terms.toml") {
            return None;
        }
        Some(id.v)
    };

    let mut zones = Vec::new();
    for mut rec in Rec::records(file, root.get_ref(), "buffer_zone", sink) {
        let id = term_id(&mut rec, sink, "buffer_zone");
        let name = rec.text(sink, "name", true);
        let width = rec.num(sink, "width_km", true, 0.0, true, 500.0);
        let src = source(&mut rec, sink);
        rec.finish(sink);
        if let (Some(id), Some(name), Some(width), Some(source)) = (id, name, width, src) {
            zones.push(BufferZone {
                id,
                name: name.v,
                width_km: width.v,
                source,
            });
        }
    }

    let mut protected = Vec::new();
    for mut rec in Rec::records(file, root.get_ref(), "protected_site", sink) {
        let id = term_id(&mut rec, sink, "protected_site");
        let name = rec.text(sink, "name", true);
        let site = rec.id(sink, "site", false, SiteId::new);
        refer(m, &rec, "site", "site", &site);
        let has_position = rec.has("lat") || rec.has("lon");
        let pos = if has_position {
            position(&mut rec, sink, true)
        } else {
            position(&mut rec, sink, false)
        };
        let radius = rec.num(sink, "radius_km", true, 0.0, true, 500.0);
        let category = rec.choice(
            sink,
            "category",
            true,
            Category::from_name,
            &Category::names(),
        );
        let src = source(&mut rec, sink);
        let place = match (&site, &pos) {
            (Some(s), None) => Some(ProtectedPlace::Site(s.v.clone())),
            (None, Some((p, _))) => Some(ProtectedPlace::Point(*p)),
            (Some(s), Some(_)) => {
                sink.error(
                    file,
                    s.span.clone(),
                    "ambiguous-place",
                    rec.field("site"),
                    "a protected site has either `site` or `lat`/`lon`, not both",
                )
                .expected("`site = \"<site id>\"` or `lat = …` and `lon = …`");
                None
            }
            (None, None) => {
                if !has_position && !rec.has("site") {
                    sink.error(
                        file,
                        rec.span.start..rec.span.start,
                        "missing-field",
                        rec.field("site"),
                        format!(
                            "{} says neither where it is (`site`) nor its position (`lat`, `lon`)",
                            rec.path
                        ),
                    )
                    .expected("`site = \"<site id>\"` or `lat = …` and `lon = …`");
                }
                None
            }
        };
        m.protected.push(ProtectedRead {
            position: pos
                .as_ref()
                .map(|(p, span)| (*p, rec.location(span.clone()))),
        });
        rec.finish(sink);
        if let (Some(id), Some(name), Some(place), Some(radius), Some(category), Some(source)) =
            (id, name, place, radius, category, src)
        {
            protected.push(ProtectedSite {
                id,
                name: name.v,
                place,
                radius_km: radius.v,
                category: category.v,
                source,
            });
        } else {
            m.protected.pop();
        }
    }

    let mut windows = Vec::new();
    for mut rec in Rec::records(file, root.get_ref(), "window", sink) {
        let id = term_id(&mut rec, sink, "window");
        let name = rec.text(sink, "name", true);
        let start = rec.date(sink, "start", true);
        let end = rec.date(sink, "end", true);
        let covers = required_set(
            &mut rec,
            sink,
            "covers",
            Category::from_name,
            &Category::names(),
        );
        let src = source(&mut rec, sink);
        if let (Some(s), Some(e)) = (&start, &end)
            && e.v < s.v
        {
            sink.error(
                file,
                e.span.clone(),
                "out-of-range",
                rec.field("end"),
                format!("the window ends ({}) before it starts ({})", e.v, s.v),
            )
            .expected("end on or after start");
        }
        rec.finish(sink);
        if let (Some(id), Some(name), Some(start), Some(end), Some(covers), Some(source)) =
            (id, name, start, end, covers, src)
            && end.v >= start.v
        {
            windows.push(TimeWindow {
                id,
                name: name.v,
                start: start.v,
                end: end.v,
                covers,
                source,
            });
        }
    }

    let mut escalation = Vec::new();
    for mut rec in Rec::records(file, root.get_ref(), "escalation", sink) {
        let id = term_id(&mut rec, sink, "escalation");
        if let Some(id) = &id {
            m.declare("escalation", id.as_str());
            let at = rec.str(sink, "id", true).map_or_else(
                || rec.location(rec.span.clone()),
                |sp| rec.location(sp.span),
            );
            m.steps_at.push((id.to_string(), at));
        }
        let name = rec.text(sink, "name", true);
        let description = rec
            .str(sink, "description", false)
            .map(|s| s.v)
            .unwrap_or_default();
        let moves = rec
            .boolean(sink, "moves_forces", false)
            .map(|b| b.v)
            .unwrap_or(false);
        let tier = rec.id(sink, "tier", false, TermId::new);
        refer(m, &rec, "tier", "tier", &tier);
        let suspends = rec
            .boolean(sink, "suspends_next_phase", false)
            .map(|b| b.v)
            .unwrap_or(false);
        let src = source(&mut rec, sink);
        rec.finish(sink);
        if let (Some(id), Some(name), Some(source)) = (id, name, src) {
            escalation.push(EscalationStep {
                id,
                name: name.v,
                description,
                moves_forces: moves,
                tier: tier.map(|t| t.v),
                suspends_next_phase: suspends,
                source,
            });
        }
    }

    // Escalation rules: each names a step of the ladder above (checked with the other references).
    let mut rules = Vec::new();
    for mut rec in Rec::records(file, root.get_ref(), "escalation_rule", sink) {
        let id = term_id(&mut rec, sink, "escalation_rule");
        let scope = rec.choice(
            sink,
            "scope",
            true,
            RuleScope::from_name,
            &RuleScope::names(),
        );
        let confidence = rec.choice(
            sink,
            "min_confidence",
            false,
            Confidence::from_name,
            &Confidence::names(),
        );
        let severity = rec.choice(
            sink,
            "min_severity",
            false,
            Severity::from_name,
            &Severity::names(),
        );
        let category = rec.choice(
            sink,
            "category",
            false,
            Category::from_name,
            &Category::names(),
        );
        let pattern = scope.as_ref().is_some_and(|s| s.v == RuleScope::Pattern);
        let count = rec.uint(sink, "count", pattern, 2);
        let hours = rec.num(sink, "within_hours", false, 0.0, true, 24.0 * 366.0);
        let km = rec.num(sink, "within_km", false, 0.0, true, 5_000.0);
        let step = rec.id(sink, "step", true, TermId::new);
        refer(m, &rec, "escalation", "step", &step);
        let src = source(&mut rec, sink);
        rec.finish(sink);
        if let (Some(id), Some(scope), Some(step), Some(source)) = (id, scope, step, src) {
            rules.push(EscalationRule {
                id,
                scope: scope.v,
                min_confidence: confidence.map_or(Confidence::SingleSource, |c| c.v),
                min_severity: severity.map_or(Severity::Minor, |s| s.v),
                category: category.map(|c| c.v),
                count: count.map_or(1, |c| c.v as u32),
                within_hours: hours.map_or(24.0, |h| h.v),
                within_km: km.map_or(30.0, |k| k.v),
                step: step.v,
                source,
            });
        }
    }

    if let Some(mut rec) = Rec::section(file, root, "terms", true, sink) {
        let name = rec.text(sink, "name", true);
        let coverage = rec.choice(
            sink,
            "coverage",
            true,
            Coverage::from_name,
            &Coverage::names(),
        );
        let categories = rec.choices(sink, "categories", Category::from_name, &Category::names());
        let effective = rec.date(sink, "effective", true);
        let src = source(&mut rec, sink);
        if let (Some(c), None) = (&coverage, &categories)
            && c.v == Coverage::Limited
        {
            sink.error(
                file,
                c.span.clone(),
                "missing-field",
                rec.field("categories"),
                "a limited ceasefire must say what it covers",
            )
            .expected(format!(
                "categories = [{}]",
                Category::names()
                    .iter()
                    .map(|n| format!("\"{n}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        rec.finish(sink);
        if let (Some(name), Some(coverage), Some(effective), Some(source)) =
            (name, coverage, effective, src)
        {
            m.terms = Some(Terms {
                name: name.v,
                coverage: coverage.v,
                categories: categories.map(|c| c.v).unwrap_or_default(),
                effective: effective.v,
                buffer_zones: zones,
                protected_sites: protected,
                windows,
                escalation,
                rules,
                source,
            });
        }
    }
}
