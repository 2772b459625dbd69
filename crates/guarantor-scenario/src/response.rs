//! `response.toml`: who decides, the tiers of the response, its options and the planned contingencies.

use std::collections::BTreeMap;

use guarantor_core::*;

use crate::diag::Sink;
use crate::model::{Model, Ref, caveats, condition, duplicate, position, refer, source, top_level};
use crate::reader::{Rec, Sp};
use crate::sources::File;

/// The longest any one decision or notice may take (a year): larger figures would only overflow the
/// arithmetic of the timeline.
///
/// # Units
/// hours
const MAX_HOURS: u64 = 24 * 366;

/// The ids of the records of response.toml, which share one namespace whatever their kind.
#[derive(Default)]
struct ResponseIds(BTreeMap<String, Location>);

impl ResponseIds {
    /// The record's `id`, declared as a `kind` and naming the record `kind[id]` in later problems; `None` when
    /// it is missing, bad or already the id of another record (reported).
    fn read(
        &mut self,
        rec: &mut Rec<'_, '_>,
        sink: &mut Sink,
        kind: &'static str,
        m: &mut Model,
    ) -> Option<TermId> {
        let id = rec.id(sink, "id", true, TermId::new)?;
        rec.path = format!("{kind}[{}]", id.v);
        m.declare(kind, id.v.as_str());
        let at = rec.location(id.span.clone());
        if duplicate(sink, &mut self.0, id.v.as_str(), &at, kind, "response.toml") {
            return None;
        }
        Some(id.v)
    }
}

/// Reads `response.toml` into `m.response`: the `[response]` section, then each kind of record.
pub(crate) fn read_response(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &mut Model,
    sink: &mut Sink,
) {
    let mut top = top_level(file, root);
    for key in ["response", "decider", "tier", "option", "contingency"] {
        top.allow(key);
    }
    top.finish(sink);
    let mut plan = ResponsePlan::default();
    let complete = read_section(file, root, &mut plan, sink);
    let mut ids = ResponseIds::default();
    plan.deciders = read_deciders(file, root, &mut ids, m, sink);
    plan.tiers = read_tiers(file, root, &mut ids, m, sink);
    plan.options = read_options(file, root, &mut ids, m, sink);
    plan.contingencies = read_contingencies(file, root, &mut ids, m, &plan.default_needs, sink);
    if complete {
        m.response = Some(plan);
    }
}

/// The `[response]` section into `plan`'s horizon, default needs and source; whether it is complete.
fn read_section(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    plan: &mut ResponsePlan,
    sink: &mut Sink,
) -> bool {
    let Some(mut rec) = Rec::section(file, root, "response", true, sink) else {
        return false;
    };
    let horizon = rec.uint(sink, "horizon_days", true, 1).filter(|h| {
        let ok = h.v <= 365;
        if !ok {
            sink.error(
                file,
                h.span.clone(),
                "out-of-range",
                rec.field("horizon_days"),
                format!("`horizon_days` is {}", h.v),
            )
            .expected("at most 365 days: a response is followed for weeks, not years");
        }
        ok
    });
    let default_needs = needs(&mut rec, sink, "default_needs");
    if !rec.has("default_needs") {
        rec.missing(
            sink,
            "default_needs",
            "a table such as { troops = 3000, sorties_per_day = 40 }",
        );
    }
    let src = source(&mut rec, sink);
    rec.finish(sink);
    let complete = horizon.is_some() && matches!(default_needs, Some(Some(_))) && src.is_some();
    plan.horizon_days = horizon.map_or(0, |h| h.v as u32);
    plan.default_needs = default_needs.flatten().unwrap_or_default();
    plan.source = src.unwrap_or_default();
    complete
}

/// `[[decider]]` records: who decides, and how long they take.
fn read_deciders(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    ids: &mut ResponseIds,
    m: &mut Model,
    sink: &mut Sink,
) -> Vec<Decider> {
    let mut deciders = Vec::new();
    for mut rec in Rec::records(file, root.get_ref(), "decider", sink) {
        let id = ids.read(&mut rec, sink, "decider", m);
        let name = rec.text(sink, "name", true);
        let kind = rec.enum_field::<DeciderKind>(sink, "kind", true);
        // A parliament's time is each nation's own (nations.toml); the others state theirs.
        let parliament = kind
            .as_ref()
            .is_some_and(|k| k.v == DeciderKind::Parliament);
        let hours = hours(&mut rec, sink, "hours", !parliament);
        let src = source(&mut rec, sink);
        rec.finish(sink);
        if let (Some(id), Some(name), Some(kind), Some(source)) = (id, name, kind, src) {
            deciders.push(Decider {
                id,
                name: name.v,
                kind: kind.v,
                hours: hours.unwrap_or(0),
                source,
            });
        }
    }
    deciders
}

/// `[[tier]]` records: the tiers of the response, each with its target time and deciders.
fn read_tiers(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    ids: &mut ResponseIds,
    m: &mut Model,
    sink: &mut Sink,
) -> Vec<Tier> {
    let mut tiers = Vec::new();
    for mut rec in Rec::records(file, root.get_ref(), "tier", sink) {
        let id = ids.read(&mut rec, sink, "tier", m);
        let name = rec.text(sink, "name", true);
        let target = hours(&mut rec, sink, "target_hours", true);
        let deciders = references(&mut rec, sink, m, "deciders", "decider");
        let description = rec
            .str(sink, "description", false)
            .map(|s| s.v)
            .unwrap_or_default();
        let src = source(&mut rec, sink);
        rec.finish(sink);
        if let (Some(id), Some(name), Some(target), Some(deciders), Some(source)) =
            (id, name, target, deciders, src)
        {
            tiers.push(Tier {
                id,
                name: name.v,
                target_hours: target,
                deciders,
                description,
                source,
            });
        }
    }
    tiers
}

/// `[[option]]` records: the options of the response, each of a tier, with the force its kind says.
fn read_options(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    ids: &mut ResponseIds,
    m: &mut Model,
    sink: &mut Sink,
) -> Vec<ResponseOption> {
    let mut options = Vec::new();
    for mut rec in Rec::records(file, root.get_ref(), "option", sink) {
        let id = ids.read(&mut rec, sink, "option", m);
        let name = rec.text(sink, "name", true);
        let tier = rec.id(sink, "tier", true, TermId::new);
        refer(m, &rec, "tier", "tier", &tier);
        let kind = rec.enum_field::<OptionKind>(sink, "kind", true);
        let kind = kind.map(|k| k.v);
        // Air, strike and naval options are one nation's; ground and stockpile options bring each reserve's
        // and pledge's own; a measure may be one nation's or the coalition's.
        let own_nation = matches!(
            kind,
            Some(OptionKind::Air | OptionKind::Strike | OptionKind::Naval)
        );
        let nation = rec.id(sink, "nation", own_nation, NationCode::new);
        refer(m, &rec, "nation", "nation", &nation);
        if let (Some(n), Some(OptionKind::Ground | OptionKind::Stockpiles)) = (&nation, kind) {
            sink.error(
                file,
                n.span.clone(),
                "unexpected-field",
                rec.field("nation"),
                "ground and stockpile options bring each reserve's and pledge's own nation",
            )
            .expected("no `nation` here");
        }
        let force = option_force(&mut rec, sink, m, kind);
        let deciders = if rec.has("deciders") {
            references(&mut rec, sink, m, "deciders", "decider")
        } else {
            Some(Vec::new())
        };
        let notice = option_notice(file, &mut rec, sink, kind);
        let condition = condition(file, &mut rec, m, sink);
        let restricted = rec
            .boolean(sink, "restricted", false)
            .map(|b| b.v)
            .unwrap_or(false);
        let caveats = caveats(file, &mut rec, m, sink);
        let applies_to = rec
            .enum_set::<ContingencyKind>(sink, "applies_to")
            .map(|s| s.v);
        let description = rec
            .str(sink, "description", false)
            .map(|s| s.v)
            .unwrap_or_default();
        let src = source(&mut rec, sink);
        rec.finish(sink);
        if let (
            Some(id),
            Some(name),
            Some(tier),
            Some(force),
            Some(deciders),
            Some(notice),
            Some(condition),
            Some(caveats),
            Some(source),
        ) = (
            id, name, tier, force, deciders, notice, condition, caveats, src,
        ) {
            options.push(ResponseOption {
                id,
                name: name.v,
                tier: tier.v,
                nation: nation.map(|n| n.v),
                force,
                deciders,
                notice_hours: notice,
                condition,
                restricted,
                caveats,
                applies_to,
                description,
                source,
            });
        }
    }
    options
}

/// The force of an option of `kind`, from the fields that kind has (`None`: no kind, or a field wrong).
fn option_force(
    rec: &mut Rec<'_, '_>,
    sink: &mut Sink,
    m: &mut Model,
    kind: Option<OptionKind>,
) -> Option<OptionForce> {
    match kind? {
        OptionKind::Ground => rec
            .enum_field::<ReserveKind>(sink, "from", true)
            .map(|f| OptionForce::Ground { from: f.v }),
        OptionKind::Stockpiles => Some(OptionForce::Stockpiles),
        OptionKind::Measure => Some(OptionForce::Measure),
        OptionKind::Air => {
            let aircraft = rec.uint(sink, "aircraft", true, 1);
            let base = node(rec, sink, m, "base");
            let rate = rec.num(sink, "sorties_per_aircraft_day", true, 0.0, true, 10.0);
            let radius = rec.num(sink, "radius_km", true, 0.0, true, 20_000.0);
            let speed = rec.num(sink, "speed_km_h", true, 0.0, true, 5_000.0);
            match (aircraft, base, rate, radius, speed) {
                (Some(a), Some(b), Some(r), Some(rad), Some(sp)) => Some(OptionForce::Air {
                    aircraft: a.v as u32,
                    base: b,
                    sorties_per_aircraft_day: r.v,
                    radius_km: rad.v,
                    speed_km_h: sp.v,
                }),
                _ => None,
            }
        }
        OptionKind::Strike => {
            let missiles = rec.uint(sink, "missiles", true, 1);
            let per_day = rec.uint(sink, "per_day", true, 1);
            let base = node(rec, sink, m, "base");
            let range = rec.num(sink, "range_km", true, 0.0, true, 20_000.0);
            let speed = rec.num(sink, "speed_km_h", true, 0.0, true, 30_000.0);
            match (missiles, per_day, base, range, speed) {
                (Some(n), Some(d), Some(b), Some(r), Some(sp)) => Some(OptionForce::Strike {
                    missiles: n.v as u32,
                    per_day: d.v as u32,
                    base: b,
                    range_km: r.v,
                    speed_km_h: sp.v,
                }),
                _ => None,
            }
        }
        OptionKind::Naval => {
            let ships = rec.uint(sink, "ships", true, 1);
            let base = node(rec, sink, m, "base");
            match (ships, base) {
                (Some(s), Some(b)) => Some(OptionForce::Naval {
                    ships: s.v as u32,
                    base: b,
                }),
                _ => None,
            }
        }
    }
}

/// An option's `notice_hours`: required, except for ground reserves and stockpiles, which keep their own
/// notice (network.toml, pledges.toml) and may not state one (`Some(0)`).
fn option_notice(
    file: &File<'_>,
    rec: &mut Rec<'_, '_>,
    sink: &mut Sink,
    kind: Option<OptionKind>,
) -> Option<u32> {
    if !matches!(kind, Some(OptionKind::Ground | OptionKind::Stockpiles)) {
        return hours(rec, sink, "notice_hours", true);
    }
    if let Some(sp) = rec.uint(sink, "notice_hours", false, 0) {
        sink.error(
            file,
            sp.span,
            "unexpected-field",
            rec.field("notice_hours"),
            "ground reserves and stockpiles move at their own notice (network.toml, pledges.toml)",
        )
        .expected("no `notice_hours` here");
    }
    Some(0)
}

/// `[[contingency]]` records: the planned contingencies, each at a site or an objective of its own, with its
/// needs (`default_needs` when it states none).
fn read_contingencies(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    ids: &mut ResponseIds,
    m: &mut Model,
    default_needs: &Needs,
    sink: &mut Sink,
) -> Vec<Contingency> {
    let mut contingencies = Vec::new();
    for mut rec in Rec::records(file, root.get_ref(), "contingency", sink) {
        let id = ids.read(&mut rec, sink, "contingency", m);
        let name = rec.text(sink, "name", true);
        let kind = rec.enum_field::<ContingencyKind>(sink, "kind", true);
        let site = rec.id(sink, "site", false, SiteId::new);
        refer(m, &rec, "site", "site", &site);
        let objective = point(&mut rec, sink, "objective", site.is_none());
        let origin = point(&mut rec, sink, "origin", false);
        let day = rec.uint(sink, "day", false, 0).map(|d| d.v as u32);
        let needs = needs(&mut rec, sink, "needs");
        let src = source(&mut rec, sink);
        rec.finish(sink);
        if let (Some(id), Some(name), Some(kind), Some(needs), Some(source)) =
            (id, name, kind, needs, src)
        {
            // Without an objective of its own, a contingency's objective is its site's position, known
            // once every file is read (`crate::assemble`).
            let at_site = objective.is_none();
            let objective = match (objective, &site) {
                (Some(p), _) => p,
                (None, Some(_)) => geo_types::Point::new(0.0, 0.0),
                (None, None) => continue,
            };
            m.contingency_at_site.push(at_site);
            contingencies.push(Contingency {
                id,
                name: name.v,
                kind: kind.v,
                site: site.map(|s| s.v),
                objective,
                origin,
                day,
                needs: needs.unwrap_or_else(|| default_needs.clone()),
                source,
            });
        }
    }
    contingencies
}

/// Hours in `key`, at most a year.
fn hours(rec: &mut Rec<'_, '_>, sink: &mut Sink, key: &'static str, required: bool) -> Option<u32> {
    let h = rec.uint(sink, key, required, 0)?;
    if h.v > MAX_HOURS {
        sink.error(
            rec.file,
            h.span,
            "out-of-range",
            rec.field(key),
            format!("`{key}` is {} hours", h.v),
        )
        .expected(format!("at most {MAX_HOURS} hours (a year)"));
        return None;
    }
    Some(h.v as u32)
}

/// A list of ids of records of `kind`, each recorded as a reference (required).
fn references(
    rec: &mut Rec<'_, '_>,
    sink: &mut Sink,
    m: &mut Model,
    key: &'static str,
    kind: &'static str,
) -> Option<Vec<TermId>> {
    let Some(list) = rec.str_list(sink, key) else {
        if !rec.has(key) {
            rec.missing(sink, key, "a list of ids, e.g. [\"coalition-leaders\"]");
        }
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    for item in &list.v {
        match TermId::new(&item.v) {
            Ok(id) => {
                m.refer(kind, &Ref::new(rec, item), rec.field(key));
                out.push(id);
            }
            Err(e) => {
                sink.error(
                    rec.file,
                    item.span.clone(),
                    "bad-id",
                    rec.field(key),
                    e.to_string(),
                );
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

/// A network node named in `key` (required), recorded as a reference.
fn node(
    rec: &mut Rec<'_, '_>,
    sink: &mut Sink,
    m: &mut Model,
    key: &'static str,
) -> Option<NodeId> {
    let n: Option<Sp<NodeId>> = rec.id(sink, key, true, NodeId::new);
    refer(m, rec, "node", key, &n);
    n.map(|n| n.v)
}

/// A position written as `key = { lat = …, lon = … }`.
fn point(
    rec: &mut Rec<'_, '_>,
    sink: &mut Sink,
    key: &'static str,
    required: bool,
) -> Option<geo_types::Point<f64>> {
    let Some(mut sub) = rec.sub(sink, key) else {
        if required && !rec.has(key) {
            rec.missing(sink, key, "{ lat = …, lon = … } (or a `site`)");
        }
        return None;
    };
    let p = position(&mut sub, sink, true).map(|(p, _)| p);
    sub.finish(sink);
    p
}

/// The needs written as `key = { troops = …, tonnes = …, sorties_per_day = …, missiles = …, ships = … }`:
/// `None` when the table is wrong, `Some(None)` when it is absent.
fn needs(rec: &mut Rec<'_, '_>, sink: &mut Sink, key: &'static str) -> Option<Option<Needs>> {
    if !rec.has(key) {
        return Some(None);
    }
    let mut sub = rec.sub(sink, key)?;
    let troops = sub.uint(sink, "troops", false, 0);
    let tonnes = sub.uint(sink, "tonnes", false, 0);
    let sorties = sub.num(sink, "sorties_per_day", false, 0.0, false, 10_000.0);
    let missiles = sub.uint(sink, "missiles", false, 0);
    let ships = sub.uint(sink, "ships", false, 0);
    sub.finish(sink);
    Some(Some(Needs {
        troops: troops.map_or(0, |t| t.v),
        tonnes: tonnes.map_or(0, |t| t.v),
        sorties_per_day: sorties.map_or(0.0, |s| s.v),
        missiles: missiles.map_or(0, |m| m.v as u32),
        ships: ships.map_or(0, |s| s.v as u32),
    }))
}
