//! `terms.toml`: the ceasefire terms: the `[terms]` section, buffer zones, protected sites, time windows, the
//! escalation ladder and the rules that climb it.

use std::collections::BTreeMap;

use geo_types::Point;
use guarantor_core::*;

use super::{Model, duplicate, position, refer, source, top_level};
use crate::diag::Sink;
use crate::reader::Rec;
use crate::sources::File;

/// A protected site's own position, when it has one, with where it is written (for the checks against
/// geometry).
pub(crate) struct ProtectedRead {
    pub(crate) position: Option<(Point<f64>, Location)>,
}

/// The ids of the records of terms.toml, which share one namespace whatever their kind.
#[derive(Default)]
struct TermIds(BTreeMap<String, Location>);

impl TermIds {
    /// The record's `id`, naming the record `kind[id]` in later problems; `None` when it is missing, bad or
    /// already the id of another term (reported).
    fn read(&mut self, rec: &mut Rec<'_, '_>, sink: &mut Sink, kind: &str) -> Option<TermId> {
        let id = rec.id(sink, "id", true, TermId::new)?;
        rec.path = format!("{kind}[{}]", id.v);
        let at = rec.location(id.span.clone());
        if duplicate(sink, &mut self.0, id.v.as_str(), &at, "term", "terms.toml") {
            return None;
        }
        Some(id.v)
    }
}

/// Reads `terms.toml` into `m.terms`: each kind of record, then the `[terms]` section that holds them.
pub(super) fn read_terms(
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
    let mut ids = TermIds::default();
    let zones = read_buffer_zones(file, root, &mut ids, sink);
    let protected = read_protected_sites(file, root, &mut ids, m, sink);
    let windows = read_windows(file, root, &mut ids, sink);
    let escalation = read_escalation(file, root, &mut ids, m, sink);
    let rules = read_escalation_rules(file, root, &mut ids, m, sink);

    let Some(mut rec) = Rec::section(file, root, "terms", true, sink) else {
        return;
    };
    let name = rec.text(sink, "name", true);
    let coverage = rec.enum_field::<Coverage>(sink, "coverage", true);
    let categories = rec.enum_set::<Category>(sink, "categories");
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

/// `[[buffer_zone]]` records: bands along the contact line that forces keep out of.
fn read_buffer_zones(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    ids: &mut TermIds,
    sink: &mut Sink,
) -> Vec<BufferZone> {
    let mut zones = Vec::new();
    for mut rec in Rec::records(file, root.get_ref(), "buffer_zone", sink) {
        let id = ids.read(&mut rec, sink, "buffer_zone");
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
    zones
}

/// `[[protected_site]]` records, each at a site or at its own position (not both); the position of each is
/// also kept in `m.protected`.
fn read_protected_sites(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    ids: &mut TermIds,
    m: &mut Model,
    sink: &mut Sink,
) -> Vec<ProtectedSite> {
    let mut protected = Vec::new();
    for mut rec in Rec::records(file, root.get_ref(), "protected_site", sink) {
        let id = ids.read(&mut rec, sink, "protected_site");
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
        let category = rec.enum_field::<Category>(sink, "category", true);
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
    protected
}

/// `[[window]]` records: spans of dates and the categories of activity they cover.
fn read_windows(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    ids: &mut TermIds,
    sink: &mut Sink,
) -> Vec<TimeWindow> {
    let mut windows = Vec::new();
    for mut rec in Rec::records(file, root.get_ref(), "window", sink) {
        let id = ids.read(&mut rec, sink, "window");
        let name = rec.text(sink, "name", true);
        let start = rec.date(sink, "start", true);
        let end = rec.date(sink, "end", true);
        let covers = rec.required_enum_set::<Category>(sink, "covers");
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
    windows
}

/// `[[escalation]]` records: the steps of the escalation ladder, each declared for the rules that name it
/// and its place kept in `m.steps_at`.
fn read_escalation(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    ids: &mut TermIds,
    m: &mut Model,
    sink: &mut Sink,
) -> Vec<EscalationStep> {
    let mut escalation = Vec::new();
    for mut rec in Rec::records(file, root.get_ref(), "escalation", sink) {
        let id = ids.read(&mut rec, sink, "escalation");
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
    escalation
}

/// `[[escalation_rule]]` records: each names a step of the ladder (checked with the other references).
fn read_escalation_rules(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    ids: &mut TermIds,
    m: &mut Model,
    sink: &mut Sink,
) -> Vec<EscalationRule> {
    let mut rules = Vec::new();
    for mut rec in Rec::records(file, root.get_ref(), "escalation_rule", sink) {
        let id = ids.read(&mut rec, sink, "escalation_rule");
        let scope = rec.enum_field::<RuleScope>(sink, "scope", true);
        let confidence = rec.enum_field::<Confidence>(sink, "min_confidence", false);
        let severity = rec.enum_field::<Severity>(sink, "min_severity", false);
        let category = rec.enum_field::<Category>(sink, "category", false);
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
    rules
}
