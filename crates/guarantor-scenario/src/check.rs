//! Cross-checks between files: every reference resolves, requirements can be met, sites stand where they may.

use std::collections::{BTreeMap, BTreeSet};

use guarantor_core::*;

use crate::diag::{Sink, did_you_mean};
use crate::geometry::{EUROPE_LAT, EUROPE_LON, in_europe};
use crate::model::{Model, Ref};

/// The names defined in one file, for resolving references into it.
struct Names<'a> {
    /// The kind as `Model::declared` keys it.
    key: &'static str,
    /// The kind in messages.
    kind: &'static str,
    file: &'static str,
    names: BTreeSet<&'a str>,
    /// The file could not be read: references into it are not judged.
    broken: bool,
}

impl<'a> Names<'a> {
    /// The names of `kind` declared in `file` (see `Model::declared`).
    fn new(kind: &'static str, file: &'static str, model: &'a Model) -> Self {
        let names = model
            .declared
            .get(kind)
            .map(|set| set.iter().map(String::as_str).collect())
            .unwrap_or_default();
        Self {
            key: kind,
            kind,
            file,
            names,
            broken: model.broken.contains(file),
        }
    }

    /// Reports `r` if it names nothing; true when it resolves (or cannot be judged).
    fn resolve(&self, sink: &mut Sink, r: &Ref, field: String) -> bool {
        if self.broken || self.names.contains(r.name.as_str()) {
            return true;
        }
        let b = sink
            .at(
                Level::Error,
                r.at.clone(),
                "unknown-reference",
                field,
                format!("unknown {} `{}`", self.kind, r.name),
            )
            .expected(format!(
                "{} defined in {}",
                with_article(self.kind),
                self.file
            ));
        if let Some(guess) = did_you_mean(&r.name, self.names.iter().copied()) {
            b.help(format!("did you mean `{guess}`?"));
        } else if (1..=8).contains(&self.names.len()) {
            let names: Vec<String> = self.names.iter().map(|n| format!("`{n}`")).collect();
            b.help(format!("{} defines {}", self.file, names.join(", ")));
        }
        false
    }
}

/// `a node`, `an escalation step`.
fn with_article(kind: &str) -> String {
    let vowel = kind.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {kind}", if vowel { "an" } else { "a" })
}

/// Where a point may be: sites and staging nodes in Europe; a swapped latitude/longitude is named as such.
fn check_position(
    sink: &mut Sink,
    point: geo_types::Point<f64>,
    at: &Location,
    field: String,
    what: &str,
) -> bool {
    let (lon, lat) = (point.x(), point.y());
    if in_europe(lon, lat) {
        return true;
    }
    let b = sink.at(
        Level::Error,
        at.clone(),
        "implausible-coordinates",
        field,
        format!("{what} at latitude {lat}, longitude {lon} is far outside Europe"),
    );
    if in_europe(lat, lon) {
        b.expected(format!("lat = {lon}, lon = {lat}"))
            .help("latitude and longitude look swapped");
    } else {
        b.expected(format!(
            "latitude {}..{}, longitude {}..{}",
            EUROPE_LAT.0, EUROPE_LAT.1, EUROPE_LON.0, EUROPE_LON.1
        ));
    }
    false
}

/// Checks the files against each other (and the theatre's geometry, when read): references, requirements,
/// sites and the positions of nodes and protected sites.
pub(crate) fn cross_check(model: &Model, theatre: Option<&Theatre>, sink: &mut Sink) {
    resolve_references(model, sink);
    unreachable_steps(model, sink);
    check_requirements(model, sink);
    check_sites(model, theatre, sink);
    sites_without_nodes(model, sink);
    check_other_positions(model, sink);
}

/// Every reference names a record of the file that defines its kind.
fn resolve_references(model: &Model, sink: &mut Sink) {
    let nations = Names::new("nation", "nations.toml", model);
    let capabilities = Names::new("capability", "capabilities.toml", model);
    let sites = Names::new("site", "sites.toml", model);
    let nodes = Names::new("node", "network.toml", model);
    let phases = Names::new("phase", "scenario.toml", model);
    let mut facts = Names::new("fact", "scenario.toml", model);
    facts.kind = "political fact";
    let regions = Names::new("region", "sites.toml", model);
    let mut steps = Names::new("escalation", "terms.toml", model);
    steps.kind = "escalation step";
    let mut tiers = Names::new("tier", "response.toml", model);
    tiers.kind = "response tier";
    let deciders = Names::new("decider", "response.toml", model);

    let all = [
        &nations,
        &capabilities,
        &sites,
        &nodes,
        &phases,
        &facts,
        &regions,
        &steps,
        &tiers,
        &deciders,
    ];
    for (kind, r, field) in &model.references {
        let Some(names) = all.iter().find(|n| n.key == *kind) else {
            continue;
        };
        if !names.resolve(sink, r, field.clone())
            && *kind == "fact"
            && let Some(last) = sink.diagnostics.last_mut()
        {
            last.help
                .get_or_insert_with(|| "declare it as a `[[fact]]` in scenario.toml".into());
        }
    }
}

/// Every requirement line can be met: its capability serves its site's domain and takes its role, and some
/// nation pledges it.
fn check_requirements(model: &Model, sink: &mut Sink) {
    let capability_by_id: BTreeMap<&str, &Capability> = model
        .capabilities
        .iter()
        .map(|(c, _)| (c.id.as_str(), c))
        .collect();
    let site_by_id: BTreeMap<&str, &Site> = model
        .sites
        .iter()
        .map(|s| (s.site.id.as_str(), &s.site))
        .collect();
    let pledged: BTreeSet<&str> = model
        .pledges
        .iter()
        .filter(|p| p.status != PledgeStatus::Withdrawn)
        .filter_map(|p| match &p.offer {
            Offer::Units { capability, .. } => Some(capability.as_str()),
            _ => None,
        })
        .collect();

    for r in &model.requirements {
        let req = &r.requirement;
        let field = |f: &str| format!("requirement[{}].{f}", req.id);
        let (Some(cap), Some(site)) = (
            capability_by_id.get(req.capability.as_str()),
            site_by_id.get(req.site.as_str()),
        ) else {
            continue;
        };
        let site_domains = site.kind.domains();
        if cap.domains.is_disjoint(&site_domains) {
            let serves: Vec<&str> = cap.domains.iter().map(|d| d.as_str()).collect();
            let needs: Vec<&str> = site_domains.iter().map(|d| d.as_str()).collect();
            let fitting: Vec<&str> = model
                .capabilities
                .iter()
                .filter(|(c, _)| {
                    !c.domains.is_disjoint(&site_domains) && c.roles.contains(&req.role)
                })
                .map(|(c, _)| c.id.as_str())
                .collect();
            let b = sink
                .at(
                    Level::Error,
                    r.capability.at.clone(),
                    "unmeetable-requirement",
                    field("capability"),
                    format!(
                        "no `{}` can meet this line: it serves {} and `{}` is a {} ({})",
                        cap.id,
                        serves.join(", "),
                        site.id,
                        site.kind,
                        needs.join(", ")
                    ),
                )
                .expected(format!("a capability that serves {}", needs.join(" or ")));
            if !fitting.is_empty() {
                b.help(format!(
                    "capabilities that fit this site and role: {}",
                    fitting.join(", ")
                ));
            }
        } else if !cap.roles.contains(&req.role) {
            let roles: Vec<&str> = cap.roles.iter().map(|r| r.as_str()).collect();
            sink.at(
                Level::Error,
                r.role.clone(),
                "unmeetable-requirement",
                field("role"),
                format!("a `{}` cannot take the role `{}`", cap.id, req.role),
            )
            .expected(crate::diag::one_of(&roles));
        } else if !model.broken.contains("pledges.toml") && !pledged.contains(cap.id.as_str()) {
            sink.at(Level::Warning, r.capability.at.clone(), "unpledged-capability", field("capability"), format!(
                "no nation pledges any `{}`: this line will be a shortfall in every world state",
                cap.id
            ));
        }
    }
}

/// Every site stands in Europe, in an area of the right kind when it names one, and (a Ukrainian site, with
/// the theatre read) outside the occupied area and at the mission's stand-off from the contact line.
fn check_sites(model: &Model, theatre: Option<&Theatre>, sink: &mut Sink) {
    let areas: Option<BTreeMap<&str, &Area>> =
        theatre.map(|t| t.areas.iter().map(|a| (a.id.as_str(), a)).collect());
    let standoff = model.mission.as_ref().map(|m| m.standoff_km);
    for s in &model.sites {
        let site = &s.site;
        let field = |f: &str| format!("site[{}].{f}", site.id);
        if !check_position(sink, site.location, &s.position, field("lat"), "the site") {
            continue;
        }
        if let (Some(area_ref), Some(areas)) = (&s.area, &areas) {
            match areas.get(area_ref.name.as_str()) {
                None => {
                    let names: Vec<&str> = areas.keys().copied().collect();
                    sink.at(
                        Level::Error,
                        area_ref.at.clone(),
                        "unknown-reference",
                        field("area"),
                        format!("unknown area `{}`", area_ref.name),
                    )
                    .expected(format!(
                        "the id of a feature in the areas geometry: {}",
                        crate::diag::one_of(&names)
                    ));
                }
                Some(area) => {
                    let want = if site.kind == SiteKind::SeaArea {
                        AreaKind::Sea
                    } else {
                        AreaKind::Air
                    };
                    if area.kind != want {
                        sink.at(
                            Level::Error,
                            area_ref.at.clone(),
                            "wrong-area-kind",
                            field("area"),
                            format!(
                                "`{}` is a {} area but the site is a {}",
                                area.id, area.kind, site.kind
                            ),
                        )
                        .expected(format!("a {want} area"));
                    }
                }
            }
        }
        let (Some(theatre), Some(standoff)) = (theatre, standoff) else {
            continue;
        };
        if site.country.as_str() != "UKR" || site.kind.is_area() {
            continue;
        }
        if theatre.is_occupied(site.location) {
            sink.at(
                Level::Error,
                s.position.clone(),
                "site-in-occupied-area",
                field("lat"),
                format!(
                    "`{}` lies inside the occupied area: the force does not stand there",
                    site.id
                ),
            )
            .expected("a site on the Ukrainian-held side, away from the line")
            .help("to protect it under the terms, make it a `[[protected_site]]` in terms.toml");
        } else if let Some(km) = theatre.km_to_contact_line(site.location)
            && km < standoff
        {
            sink.at(Level::Error, s.position.clone(), "site-too-close", field("lat"), format!(
                "`{}` is {km:.0} km from the contact line, closer than the mission's stand-off of {standoff} km",
                site.id
            ))
            .expected(format!("at least {standoff} km from the contact line"))
            .help("move the site, or lower `mission.standoff_km` in scenario.toml");
        }
    }
}

/// Every site that is not an area is served by a node of network.toml (when it could be read).
fn sites_without_nodes(model: &Model, sink: &mut Sink) {
    if model.broken.contains("network.toml") {
        return;
    }
    let served: BTreeSet<&str> = model
        .nodes
        .iter()
        .filter_map(|n| n.node.site.as_ref().map(|s| s.as_str()))
        .collect();
    for s in &model.sites {
        let site = &s.site;
        if !site.kind.is_area() && !served.contains(site.id.as_str()) {
            sink.at(Level::Warning, s.position.clone(), "site-without-node", format!("site[{}]", site.id), format!(
                "no node in network.toml serves `{}`: units and materiel for it cannot be moved there, nor reinforcements",
                site.id
            ))
            .help(format!("add a `[[node]]` with `site = \"{}\"` and links to it", site.id));
        }
    }
}

/// Every node but a home and every protected site with a position of its own stands in Europe.
fn check_other_positions(model: &Model, sink: &mut Sink) {
    for n in &model.nodes {
        let node = &n.node;
        if node.kind != NodeKind::Home {
            check_position(
                sink,
                node.location,
                &n.position,
                format!("node[{}].lat", node.id),
                "the node",
            );
        }
    }
    for p in &model.protected {
        if let Some((point, at)) = &p.position {
            check_position(
                sink,
                *point,
                at,
                "protected_site.lat".into(),
                "the protected site",
            );
        }
    }
}

/// Every step of the escalation ladder must be reached by some rule: a step no rule names would never be taken,
/// and a ladder that cannot be climbed is a plan that does not say what follows a violation.
fn unreachable_steps(model: &Model, sink: &mut Sink) {
    if model.broken.contains("terms.toml") {
        return;
    }
    let named: BTreeSet<&str> = model
        .references
        .iter()
        .filter(|(kind, _, field)| *kind == "escalation" && field.starts_with("escalation_rule["))
        .map(|(_, r, _)| r.name.as_str())
        .collect();
    // A rule naming a step the ladder lacks is reported already; the step it meant would be reported again.
    let declared = model.declared.get("escalation");
    if named
        .iter()
        .any(|n| declared.is_none_or(|d| !d.contains(*n)))
    {
        return;
    }
    for (step, at) in &model.steps_at {
        if !named.contains(step.as_str()) {
            sink.at(
                Level::Error,
                at.clone(),
                "unreachable-step",
                format!("escalation[{step}]"),
                format!("no escalation rule leads to the step `{step}`"),
            )
            .expected(format!("an `[[escalation_rule]]` with `step = \"{step}\"`"))
            .help("add a rule that calls for this step, or remove the step from the ladder");
        }
    }
}
