//! `cost.toml` (optional): what the force costs and who pays.

use std::collections::BTreeSet;

use guarantor_core::*;

use crate::diag::Sink;
use crate::model::{Model, source, top_level};
use crate::reader::Rec;
use crate::sources::File;

/// The most any one figure may be: a trillion (a typo's zeros would otherwise pass).
const MAX_AMOUNT: f64 = 1e12;

/// The `[cost]` section: currency, price year, the stock warning share and the source.
type Header = (Option<String>, Option<u32>, f64, Option<String>);

/// Reads `cost.toml` into `m.cost`: each table in the file's order, then the model when none had an error.
pub(crate) fn read_cost(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &mut Model,
    sink: &mut Sink,
) {
    let mut top = top_level(file, root);
    for key in [
        "cost",
        "troop_month",
        "nation_factor",
        "transport",
        "one_off",
        "materiel",
        "enabler",
        "response_option",
        "financing",
    ] {
        top.allow(key);
    }
    top.finish(sink);
    let errors_before = sink.error_count();

    let header = read_header(file, root, sink);
    let nations: BTreeSet<String> = m.nations.iter().map(|n| n.code.to_string()).collect();
    let troop_months = read_troop_months(file, root, m, header.is_some(), sink);
    let nation_factors = read_nation_factors(file, root, m, &nations, sink);
    let transport = read_transport(file, root, sink);
    let one_offs = read_one_offs(file, root, m, &nations, sink);
    let materiel = read_materiel(file, root, m, sink);
    let enablers = read_enablers(file, root, m, sink);
    let options = read_response_options(file, root, m, sink);
    let financing = read_financing(file, root, m, &nations, sink);

    if sink.error_count() > errors_before {
        return;
    }
    if let (
        Some((Some(currency), Some(price_year), stock_warn_share, Some(source))),
        Some(transport),
        Some(financing),
    ) = (header, transport, financing)
    {
        m.cost = Some(CostModel {
            currency,
            price_year,
            stock_warn_share,
            troop_months,
            nation_factors,
            transport,
            one_offs,
            materiel,
            enablers,
            options,
            financing,
            source,
        });
    }
}

/// The `[cost]` section (`None`: absent or not a table, reported).
fn read_header(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    sink: &mut Sink,
) -> Option<Header> {
    let mut rec = Rec::section(file, root, "cost", true, sink)?;
    let currency = rec.text(sink, "currency", true);
    if let Some(c) = &currency
        && c.v != "USD"
    {
        sink.error(
            file,
            c.span.clone(),
            "bad-currency",
            rec.field("currency"),
            format!("`currency` is `{}`", c.v),
        )
        .expected("\"USD\": nations.toml's GDP and defence spending, against which burdens are shown, are in US dollars");
    }
    let year = rec.uint(sink, "price_year", true, 1900);
    let warn = rec.num(sink, "stock_warn_share", false, 0.0, true, 1.0);
    let src = source(&mut rec, sink);
    rec.finish(sink);
    Some((
        currency.map(|c| c.v),
        year.map(|y| y.v as u32),
        warn.map_or(0.25, |w| w.v),
        src,
    ))
}

/// `[[troop_month]]` records: the cost of a troop-month per capability (`"*"`: every capability without its
/// own line), one of which must be the default when the file has a `[cost]` section (`has_header`).
fn read_troop_months(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &Model,
    has_header: bool,
    sink: &mut Sink,
) -> Vec<TroopMonthCost> {
    let capabilities: BTreeSet<String> = m
        .capabilities
        .iter()
        .map(|(c, _)| c.id.to_string())
        .collect();
    let mut troop_months = Vec::new();
    let mut seen_caps = BTreeSet::new();
    for mut rec in Rec::records(file, root.get_ref(), "troop_month", sink) {
        let cap = rec.str(sink, "capability", true);
        let capability = match &cap {
            Some(c) if c.v == "*" => Some(None),
            Some(c) => match CapabilityId::new(&c.v) {
                Ok(id)
                    if capabilities.contains(id.as_str())
                        || m.broken.contains("capabilities.toml") =>
                {
                    Some(Some(id))
                }
                Ok(_) => {
                    sink.error(file, c.span.clone(), "unknown-reference", rec.field("capability"), format!(
                        "`capability` names `{}`, which capabilities.toml does not have", c.v
                    ))
                    .expected("a capability id of capabilities.toml, or \"*\" for every capability without its own line".to_owned());
                    None
                }
                Err(e) => {
                    sink.error(
                        file,
                        c.span.clone(),
                        "bad-id",
                        rec.field("capability"),
                        e.to_string(),
                    );
                    None
                }
            },
            None => None,
        };
        if let (Some(c), Some(cap)) = (&cap, &capability) {
            rec.path = format!("troop_month[{}]", c.v);
            let key = cap.as_ref().map_or("*".to_owned(), ToString::to_string);
            if !seen_caps.insert(key.clone()) {
                sink.error(
                    file,
                    c.span.clone(),
                    "duplicate-id",
                    rec.field("capability"),
                    format!("`{key}` has two troop_month lines"),
                );
            }
        }
        let deployed = estimate(&mut rec, sink, "deployed", true);
        let other = estimate(&mut rec, sink, "preparing_or_recovering", true);
        let src = source(&mut rec, sink);
        rec.finish(sink);
        if let (Some(capability), Some(deployed), Some(other), Some(source)) =
            (capability, deployed, other, src)
        {
            troop_months.push(TroopMonthCost {
                capability,
                deployed,
                preparing_or_recovering: other,
                source,
            });
        }
    }
    if has_header && !seen_caps.contains("*") {
        sink.error(
            file,
            0..0,
            "missing-field",
            "troop_month",
            "no `[[troop_month]]` with `capability = \"*\"`".to_owned(),
        )
        .expected(
            "a default line for every capability without its own, e.g. capability = \"*\""
                .to_owned(),
        );
    }
    troop_months
}

/// `[[nation_factor]]` records: a nation's costs as a factor of the troop-month's.
fn read_nation_factors(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &Model,
    nations: &BTreeSet<String>,
    sink: &mut Sink,
) -> Vec<NationFactor> {
    let mut nation_factors = Vec::new();
    for mut rec in Rec::records(file, root.get_ref(), "nation_factor", sink) {
        let nation = nation_ref(&mut rec, sink, file, nations, "nation", m);
        let factor = rec.num(sink, "factor", true, 0.0, true, 10.0);
        let src = source(&mut rec, sink);
        rec.finish(sink);
        if let (Some(nation), Some(factor), Some(source)) = (nation, factor, src) {
            nation_factors.push(NationFactor {
                nation,
                factor: factor.v,
                source,
            });
        }
    }
    nation_factors
}

/// The `[transport]` section: rates per tonne-km by mode and per passenger.
fn read_transport(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    sink: &mut Sink,
) -> Option<TransportCost> {
    let mut rec = Rec::section(file, root, "transport", true, sink)?;
    let mut rates = Vec::new();
    if let Some(mut sub) = rec.sub(sink, "per_tonne_km") {
        for mode in [Mode::Road, Mode::Rail, Mode::Sea, Mode::Air] {
            let key: &'static str = mode.as_str();
            if let Some(e) = estimate(&mut sub, sink, key, true) {
                rates.push((mode, e));
            }
        }
        sub.finish(sink);
    } else if !rec.has("per_tonne_km") {
        rec.missing(
            sink,
            "per_tonne_km",
            "a table { road = …, rail = …, sea = …, air = … }",
        );
    }
    let passenger = estimate(&mut rec, sink, "per_passenger", true);
    let src = source(&mut rec, sink);
    rec.finish(sink);
    let (per_passenger, source) = (passenger?, src?);
    Some(TransportCost {
        per_tonne_km: rates,
        per_passenger,
        source,
    })
}

/// `[[one_off]]` records: costs paid once, in a given month.
fn read_one_offs(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &Model,
    nations: &BTreeSet<String>,
    sink: &mut Sink,
) -> Vec<OneOff> {
    let mut one_offs = Vec::new();
    let mut ids = BTreeSet::new();
    for mut rec in Rec::records(file, root.get_ref(), "one_off", sink) {
        let id = rec.text(sink, "id", true);
        if let Some(id) = &id {
            rec.path = format!("one_off[{}]", id.v);
            if !ids.insert(id.v.clone()) {
                sink.error(
                    file,
                    id.span.clone(),
                    "duplicate-id",
                    rec.field("id"),
                    format!("two one_off records are `{}`", id.v),
                );
            }
        }
        let name = rec.text(sink, "name", true);
        let amount = estimate(&mut rec, sink, "amount", true);
        let month = rec.uint(sink, "month", false, 0);
        let nation = if rec.has("nation") {
            nation_ref(&mut rec, sink, file, nations, "nation", m)
        } else {
            rec.allow("nation");
            None
        };
        let common = rec.boolean(sink, "common", false).is_some_and(|b| b.v);
        let per_troop = rec.boolean(sink, "per_troop", false).is_some_and(|b| b.v);
        let src = source(&mut rec, sink);
        rec.finish(sink);
        if let (Some(id), Some(name), Some(amount), Some(source)) = (id, name, amount, src) {
            one_offs.push(OneOff {
                id: id.v,
                name: name.v,
                amount,
                per_troop,
                month: month.map_or(0, |m| m.v as u32),
                nation,
                common,
                source,
            });
        }
    }
    one_offs
}

/// `[[materiel]]` records: the value of a materiel pledge's items.
fn read_materiel(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &Model,
    sink: &mut Sink,
) -> Vec<MaterielValue> {
    let pledges_known = !m.broken.contains("pledges.toml");
    let mut materiel = Vec::new();
    for mut rec in Rec::records(file, root.get_ref(), "materiel", sink) {
        let pledge = pledge_ref(&mut rec, sink, file, m, pledges_known, "materiel");
        let per_item = estimate(&mut rec, sink, "per_item", true);
        let replacement =
            estimate(&mut rec, sink, "replacement", false).unwrap_or(Estimate::exact(1.0));
        let share = rec.num(sink, "stock_share", false, 0.0, true, 1.0);
        let src = source(&mut rec, sink);
        rec.finish(sink);
        if let (Some(pledge), Some(per_item), Some(source)) = (pledge, per_item, src) {
            materiel.push(MaterielValue {
                pledge,
                per_item,
                replacement,
                stock_share: share.map(|s| s.v),
                source,
            });
        }
    }
    materiel
}

/// `[[enabler]]` records: the monthly cost of an enabler pledge.
fn read_enablers(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &Model,
    sink: &mut Sink,
) -> Vec<EnablerCost> {
    let pledges_known = !m.broken.contains("pledges.toml");
    let mut enablers = Vec::new();
    for mut rec in Rec::records(file, root.get_ref(), "enabler", sink) {
        let pledge = pledge_ref(&mut rec, sink, file, m, pledges_known, "enabler");
        let per_month = estimate(&mut rec, sink, "per_month", true);
        let common = rec.boolean(sink, "common", false).is_some_and(|b| b.v);
        let src = source(&mut rec, sink);
        rec.finish(sink);
        if let (Some(pledge), Some(per_month), Some(source)) = (pledge, per_month, src) {
            enablers.push(EnablerCost {
                pledge,
                per_month,
                common,
                source,
            });
        }
    }
    enablers
}

/// `[[response_option]]` records: the price of one use of an air, strike or naval option of response.toml.
fn read_response_options(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &Model,
    sink: &mut Sink,
) -> Vec<OptionCost> {
    let mut options = Vec::new();
    let mut seen_options = BTreeSet::new();
    for mut rec in Rec::records(file, root.get_ref(), "response_option", sink) {
        let id = rec.id(sink, "option", true, TermId::new);
        if let Some(id) = &id {
            rec.path = format!("response_option[{}]", id.v);
        }
        // The option must be one response.toml has, of a kind that is priced per use; its one price field is
        // the one its kind says.
        let kind = id.as_ref().and_then(|id| {
            let found = m
                .response
                .as_ref()
                .and_then(|r| r.options.iter().find(|o| o.id == id.v));
            let unit = found.and_then(|o| per_use_field(o.force.kind()));
            if unit.is_none() && !m.broken.contains("response.toml") {
                sink.error(
                    file,
                    id.span.clone(),
                    "unknown-reference",
                    rec.field("option"),
                    match found {
                        Some(o) => format!(
                            "`option` names `{}`, a `{}` option: only air, strike and naval options are priced per use",
                            id.v,
                            o.force.kind().as_str()
                        ),
                        None => format!("`option` names `{}`, which response.toml does not have", id.v),
                    },
                )
                .expected("the id of an air, strike or naval option of response.toml".to_owned());
            }
            if !seen_options.insert(id.v.to_string()) {
                sink.error(
                    file,
                    id.span.clone(),
                    "duplicate-id",
                    rec.field("option"),
                    format!("two response_option records price `{}`", id.v),
                )
                .expected("one record per option".to_owned());
            }
            unit
        });
        // Only the field the kind says is read: another one is reported as a field the record does not have.
        let per_use = match kind {
            Some(field) => estimate(&mut rec, sink, field, true),
            None => {
                for field in ["per_sortie", "per_missile", "per_ship_day"] {
                    rec.allow(field);
                }
                None
            }
        };
        let src = source(&mut rec, sink);
        rec.finish(sink);
        if let (Some(id), Some(per_use), Some(source)) = (id, per_use, src) {
            options.push(OptionCost {
                option: id.v,
                per_use,
                source,
            });
        }
    }
    options
}

/// The `[financing]` section: who pays, how the common fund is shared (with its `[[financing.share]]`
/// table) and the reimbursement rate.
fn read_financing(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    m: &Model,
    nations: &BTreeSet<String>,
    sink: &mut Sink,
) -> Option<Financing> {
    let mut rec = Rec::section(file, root, "financing", true, sink)?;
    let rule = rec.enum_field::<FinancingRule>(sink, "rule", true);
    let key = rec.enum_field::<CostKey>(sink, "key", true);
    let reimbursement = estimate(&mut rec, sink, "reimbursement_per_troop_month", false);
    let mut table = Vec::new();
    for mut share in Rec::records(file, rec.table, "share", sink) {
        let nation = nation_ref(&mut share, sink, file, nations, "nation", m);
        let v = share.num(sink, "share", true, 0.0, false, 1.0);
        share.finish(sink);
        if let (Some(n), Some(v)) = (nation, v) {
            table.push((n, v.v));
        }
    }
    rec.allow("share");
    let src = source(&mut rec, sink);
    if let Some(k) = &key
        && k.v == CostKey::Table
    {
        let sum: f64 = table.iter().map(|(_, v)| v).sum();
        if (sum - 1.0).abs() > 1e-6 {
            sink.error(
                file,
                k.span.clone(),
                "bad-key",
                rec.field("share"),
                format!("the shares of the `table` key add up to {sum}"),
            )
            .expected("`[[financing.share]]` records whose shares add up to 1".to_owned());
        }
    }
    if let Some(r) = &rule
        && r.v == FinancingRule::Reimburse
        && reimbursement.is_none()
    {
        rec.missing(
            sink,
            "reimbursement_per_troop_month",
            "the fund's rate per troop-month deployed, e.g. 1428 (the UN's)",
        );
    }
    rec.finish(sink);
    let (rule, key, source) = (rule?, key?, src?);
    Some(Financing {
        rule: rule.v,
        key: key.v,
        table,
        reimbursement: reimbursement.unwrap_or_default(),
        source,
    })
}

/// The field that prices one use of an option of `kind` (`None`: not priced per use).
fn per_use_field(kind: OptionKind) -> Option<&'static str> {
    match kind {
        OptionKind::Air => Some("per_sortie"),
        OptionKind::Strike => Some("per_missile"),
        OptionKind::Naval => Some("per_ship_day"),
        _ => None,
    }
}

/// A figure with its range: `{ low = …, best = …, high = … }` (low ≤ best ≤ high), or one number for all three.
fn estimate(
    rec: &mut Rec<'_, '_>,
    sink: &mut Sink,
    key: &'static str,
    required: bool,
) -> Option<Estimate> {
    if !rec.is_table(key) {
        return rec
            .num(sink, key, required, 0.0, false, MAX_AMOUNT)
            .map(|v| Estimate::exact(v.v));
    }
    let mut sub = rec.sub(sink, key)?;
    let low = sub.num(sink, "low", true, 0.0, false, MAX_AMOUNT);
    let best = sub.num(sink, "best", true, 0.0, false, MAX_AMOUNT);
    let high = sub.num(sink, "high", true, 0.0, false, MAX_AMOUNT);
    let span = sub.span.clone();
    let field = sub.path.clone();
    sub.finish(sink);
    let (low, best, high) = (low?.v, best?.v, high?.v);
    if !(low <= best && best <= high) {
        sink.error(
            rec.file,
            span,
            "bad-range",
            field,
            format!("low {low}, best {best}, high {high} are not in order"),
        )
        .expected("low <= best <= high".to_owned());
        return None;
    }
    Some(Estimate { low, best, high })
}

/// A nation of nations.toml named in `key`.
fn nation_ref(
    rec: &mut Rec<'_, '_>,
    sink: &mut Sink,
    file: &File<'_>,
    nations: &BTreeSet<String>,
    key: &'static str,
    m: &Model,
) -> Option<NationCode> {
    let code = rec.id(sink, key, true, NationCode::new)?;
    if !nations.contains(code.v.as_str()) && !m.broken.contains("nations.toml") {
        sink.error(
            file,
            code.span,
            "unknown-reference",
            rec.field(key),
            format!(
                "`{key}` names `{}`, which nations.toml does not have",
                code.v
            ),
        )
        .expected("an ISO alpha-3 code of nations.toml".to_owned());
        return None;
    }
    Some(code.v)
}

/// A pledge of pledges.toml of `kind` (`materiel` or `enabler`) named in `pledge`.
fn pledge_ref(
    rec: &mut Rec<'_, '_>,
    sink: &mut Sink,
    file: &File<'_>,
    m: &Model,
    known: bool,
    kind: &str,
) -> Option<PledgeId> {
    let id = rec.id(sink, "pledge", true, PledgeId::new)?;
    rec.path = format!(
        "{}[{}]",
        rec.path.split('[').next().unwrap_or("record"),
        id.v
    );
    if !known {
        return Some(id.v);
    }
    let found = m.pledges.iter().find(|p| p.id == id.v);
    let right = found.is_some_and(|p| {
        matches!(
            (&p.offer, kind),
            (Offer::Materiel { .. }, "materiel") | (Offer::Enabler { .. }, "enabler")
        )
    });
    if right
        && let Some(Pledge {
            offer:
                Offer::Enabler {
                    kind: EnablerKind::Airlift,
                    ..
                },
            ..
        }) = found
    {
        sink.error(
            file,
            id.span,
            "airlift-priced",
            rec.field("pledge"),
            format!(
                "`{}` is an airlift pledge: airlift is costed as transport (per tonne-km and per passenger), \
                 not again as an enabler",
                id.v
            ),
        )
        .expected("an enabler pledge other than airlift".to_owned());
        return None;
    }
    if !right {
        sink.error(
            file,
            id.span,
            "unknown-reference",
            rec.field("pledge"),
            match found {
                Some(_) => format!("`pledge` names `{}`, which is not a {kind} pledge", id.v),
                None => format!(
                    "`pledge` names `{}`, which pledges.toml does not have",
                    id.v
                ),
            },
        )
        .expected(format!(
            "the id of a pledge of pledges.toml with kind = \"{kind}\""
        ));
        return None;
    }
    Some(id.v)
}
