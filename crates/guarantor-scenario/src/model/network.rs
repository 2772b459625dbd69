//! `network.toml`: the movement network (`[[node]]` and `[[link]]` records) and the `[[reserve]]` forces
//! standing at its nodes.

use std::collections::BTreeMap;

use guarantor_core::*;

use super::{Model, condition, first_definition, position, refer, source, top_level};
use crate::diag::Sink;
use crate::reader::Rec;
use crate::sources::File;

/// A node as read, with where its position is written (for the checks against geometry).
pub(crate) struct NodeRead {
    pub(crate) node: Node,
    pub(crate) position: Location,
}

/// Reads `network.toml` into `m.nodes`, `m.links` and `m.reserves`.
pub(super) fn read_network(
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
    read_nodes(file, root, m, sink);
    read_links(file, root, m, sink);
    read_reserves(file, root, m, sink);
}

/// `[[node]]` records of network.toml: ports, airports, railheads and depots, where forces are received.
fn read_nodes(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &mut Model,
    sink: &mut Sink,
) {
    let mut seen = BTreeMap::new();
    for mut rec in Rec::records(file, root.get_ref(), "node", sink) {
        let id = rec.id(sink, "id", true, NodeId::new);
        if let Some(id) = &id {
            m.declare("node", id.v.as_str());
            rec.path = format!("node[{}]", id.v);
        }
        let name = rec.text(sink, "name", true);
        let kind = rec.enum_field::<NodeKind>(sink, "kind", true);
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
        let Some(_) = first_definition(
            sink,
            &mut seen,
            file.location(id.span.clone()),
            id.v.as_str(),
            "node",
            "network.toml",
        ) else {
            continue;
        };
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
}

/// `[[link]]` records of network.toml: the routes between nodes, each carrying traffic both ways; a second
/// link joining the same two nodes by the same mode is a warning.
fn read_links(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &mut Model,
    sink: &mut Sink,
) {
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
        let mode = rec.enum_field::<Mode>(sink, "mode", true);
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
        let Some(at) = first_definition(
            sink,
            &mut seen,
            file.location(id.span.clone()),
            id.v.as_str(),
            "link",
            "network.toml",
        ) else {
            continue;
        };
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
        let kind = rec.enum_field::<ReserveKind>(sink, "kind", true);
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
        let Some(_) = first_definition(
            sink,
            &mut seen,
            file.location(id.span.clone()),
            id.v.as_str(),
            "reserve",
            "network.toml",
        ) else {
            continue;
        };
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
