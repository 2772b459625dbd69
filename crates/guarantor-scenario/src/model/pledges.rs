//! `pledges.toml`: the `[[pledge]]` records, what each nation offers (units, materiel or an enabler), at what
//! notice and on what conditions.

use std::collections::BTreeMap;

use guarantor_core::*;

use super::named::Named;
use super::{Model, caveats, condition, first_definition, refer, source, top_level};
use crate::diag::Sink;
use crate::reader::{Rec, Sp};
use crate::sources::File;

/// The longest notice to move a pledge may give.
///
/// # Units
/// days
const MAX_NOTICE_DAYS: u64 = 3650;

/// What a pledge offers, as its `kind` names it; each kind has its own fields.
#[derive(Clone, Copy)]
enum OfferKind {
    Units,
    Materiel,
    Enabler,
}

impl Named for OfferKind {
    fn from_name(text: &str) -> Option<Self> {
        match text {
            "units" => Some(Self::Units),
            "materiel" => Some(Self::Materiel),
            "enabler" => Some(Self::Enabler),
            _ => None,
        }
    }

    fn names() -> Vec<&'static str> {
        vec!["units", "materiel", "enabler"]
    }
}

/// Reads `pledges.toml` into `m.pledges`.
pub(super) fn read_pledges(
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
        let offer = read_offer(&mut rec, m, sink);
        let notice = notice_days(file, &mut rec, sink);
        let sustain = rec.uint(sink, "sustain_months", false, 1);
        let rotations = rec.uint(sink, "rotations", false, 1);
        let status = rec.enum_field::<PledgeStatus>(sink, "status", false);
        let restricted = rec
            .boolean(sink, "restricted", false)
            .map(|b| b.v)
            .unwrap_or(false);
        let condition = condition(file, &mut rec, m, sink);
        let caveats = caveats(file, &mut rec, m, sink);
        let src = source(&mut rec, sink);
        rec.finish(sink);
        let Some(id) = id else { continue };
        let Some(_) = first_definition(
            sink,
            &mut seen,
            file.location(id.span.clone()),
            id.v.as_str(),
            "pledge",
            "pledges.toml",
        ) else {
            continue;
        };
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

/// A pledge's `kind` and the fields of that kind, as the offer; `None` when any of them is missing or bad.
fn read_offer(rec: &mut Rec<'_, '_>, m: &mut Model, sink: &mut Sink) -> Option<Offer> {
    let kind = rec.enum_field::<OfferKind>(sink, "kind", true)?;
    match kind.v {
        OfferKind::Units => {
            let capability = rec.id(sink, "capability", true, CapabilityId::new);
            let count = rec.uint(sink, "count", true, 1);
            refer(m, rec, "capability", "capability", &capability);
            match (capability, count) {
                (Some(capability), Some(count)) => Some(Offer::Units {
                    capability: capability.v,
                    count: count.v as u32,
                }),
                _ => None,
            }
        }
        OfferKind::Materiel => {
            let item = rec.text(sink, "item", true);
            let quantity = rec.uint(sink, "quantity", true, 1);
            let tonnes = rec.num(sink, "tonnes", true, 0.0, true, f64::INFINITY);
            let depot = rec.id(sink, "depot", true, NodeId::new);
            refer(m, rec, "node", "depot", &depot);
            let site = rec.id(sink, "site", false, SiteId::new);
            refer(m, rec, "site", "site", &site);
            match (item, quantity, tonnes, depot) {
                (Some(item), Some(quantity), Some(tonnes), Some(depot)) => Some(Offer::Materiel {
                    item: item.v,
                    quantity: quantity.v,
                    tonnes: tonnes.v,
                    depot: depot.v,
                    site: site.map(|s| s.v),
                }),
                _ => None,
            }
        }
        OfferKind::Enabler => {
            let enabler = rec.enum_field::<EnablerKind>(sink, "enabler", true);
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
    }
}

/// A pledge's `notice_days`, at most [`MAX_NOTICE_DAYS`].
fn notice_days(file: &File<'_>, rec: &mut Rec<'_, '_>, sink: &mut Sink) -> Option<Sp<u64>> {
    rec.uint(sink, "notice_days", true, 0).filter(|n| {
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
    })
}
