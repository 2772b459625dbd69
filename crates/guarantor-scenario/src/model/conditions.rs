//! The `condition` and `caveats` fields that pledges, reserves and responses share: when a force may be used
//! (a condition over the scenario's facts) and how (roles, regions, distance from the line, domains).

use std::collections::BTreeSet;

use guarantor_core::*;

use super::{Model, Ref};
use crate::diag::Sink;
use crate::reader::{Rec, Sp};
use crate::sources::File;

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
            let roles = sub.enum_set::<Role>(sink, "roles").map(|s| s.v);
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
            let domains = sub.enum_set::<Domain>(sink, "domains").map(|s| s.v);
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
