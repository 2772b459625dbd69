//! `capabilities.toml`: the `[[capability]]` records, the kinds of unit a requirement asks for and a pledge
//! offers.

use std::collections::BTreeMap;

use guarantor_core::*;

use super::{Model, first_definition, source, top_level};
use crate::diag::Sink;
use crate::reader::Rec;
use crate::sources::File;

/// Reads `capabilities.toml` into `m.capabilities`.
pub(super) fn read_capabilities(
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
        let echelon = rec.enum_field::<Echelon>(sink, "echelon", true);
        let sign = rec.enum_field::<Sign>(sink, "sign", true);
        let personnel = rec.uint(sink, "personnel", true, 1);
        let vehicles = rec.uint(sink, "vehicles", true, 0);
        let tonnes = rec.num(sink, "tonnes", true, 0.0, true, f64::INFINITY);
        let domains = rec.required_enum_set::<Domain>(sink, "domains");
        let roles = rec.required_enum_set::<Role>(sink, "roles");
        let src = source(&mut rec, sink);
        rec.finish(sink);
        let Some(id) = id else { continue };
        let Some(at) = first_definition(
            sink,
            &mut seen,
            file.location(id.span.clone()),
            id.v.as_str(),
            "capability",
            "capabilities.toml",
        ) else {
            continue;
        };
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
