//! `sites.toml`: the `[[site]]` records, the places forces are asked to hold, with the regions they declare.

use std::collections::BTreeMap;

use guarantor_core::*;

use super::{Model, Ref, first_definition, position, source, top_level};
use crate::diag::Sink;
use crate::reader::Rec;
use crate::sources::File;

/// A site as read, with where its position and its `area` are written (for the checks against geometry).
pub(crate) struct SiteRead {
    pub(crate) site: Site,
    pub(crate) position: Location,
    pub(crate) area: Option<Ref>,
}

/// Reads `sites.toml` into `m.sites`.
pub(super) fn read_sites(
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
        let kind = rec.enum_field::<SiteKind>(sink, "kind", true);
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
        let Some(_) = first_definition(
            sink,
            &mut seen,
            file.location(id.span.clone()),
            id.v.as_str(),
            "site",
            "sites.toml",
        ) else {
            continue;
        };
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
