//! `requirements.toml`: the `[[requirement]]` records, how many units of which capability each site needs in
//! each phase (also the shape of a course of action's requirements in `courses.toml`).

use std::collections::BTreeMap;

use guarantor_core::*;

use super::{Model, Ref, first_definition, source, top_level};
use crate::diag::Sink;
use crate::reader::Rec;
use crate::sources::File;

/// A requirement as read, with where its capability and role are written (for the cross-checks).
pub(crate) struct RequirementRead {
    pub(crate) requirement: Requirement,
    pub(crate) capability: Ref,
    pub(crate) role: Location,
}

/// Reads the `[[requirement]]` records of `root` into `m.requirements`.
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
        let priority = rec.enum_field::<Priority>(sink, "priority", true);
        let role = rec.enum_field::<Role>(sink, "role", true);
        let min_nations = rec.uint(sink, "min_nations", false, 1);
        let acceptable = rec.enum_set::<Party>(sink, "acceptable_to");
        let framework = rec
            .boolean(sink, "framework", false)
            .map(|b| b.v)
            .unwrap_or(false);
        let src = source(&mut rec, sink);
        rec.finish(sink);
        let Some(id) = id else { continue };
        let Some(_) = first_definition(
            sink,
            &mut seen,
            file.location(id.span.clone()),
            id.v.as_str(),
            "requirement",
            "requirements.toml",
        ) else {
            continue;
        };
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
