//! A report as a row of columns, the same in every SQL store: what is written and how it reads back (a row
//! that does not read back as a report is `Corrupt`, never a panic).

use geo_types::Point;
use guarantor_core::{Category, EventKind, Precision, Report, SourceKind};
use jiff::Timestamp;

use crate::StoreError;

/// A report's columns, as stored (the same values always give the same row).
pub(crate) type Row = (
    String,
    String,
    String,
    i64,
    i64,
    f64,
    f64,
    f64,
    f64,
    String,
    Option<String>,
    i64,
    String,
    String,
    String,
);

/// The columns of a report, in the order of [`Row`].
pub(crate) const COLUMNS: &str = "source, id, source_kind, time_s, time_nanos, time_precision_hours, lon, lat, \
                       place_precision_km, kind, target, count, text, parties, links";

/// Marks the incident of report (`source`, `id`) as to be formed again (a member of it was revised).
pub(crate) fn stale_sql(source: &str, id: &str) -> String {
    format!(
        "UPDATE incident_report SET stale = 1 WHERE incident IN
         (SELECT incident FROM incident_report WHERE source = {source} AND id = {id})"
    )
}

/// The stored reports not in an incident, or in one to be formed again, by time, source and id.
/// Whether any report's incident must be formed: `incident_report` holds only stored reports (which are never
/// deleted), so none is when every report has a row there that is not stale. Two counts: a few milliseconds on
/// 50,000 reports where the anti-join of [`touched_sql`] takes a hundred, on every read of the server.
pub(crate) const ANY_TOUCHED_SQL: &str = "SELECT (SELECT COUNT(*) FROM report) <> \
     (SELECT COUNT(*) FROM incident_report WHERE stale = 0)";

pub(crate) fn touched_sql() -> String {
    format!(
        "SELECT {COLUMNS} FROM report r
         WHERE NOT EXISTS (SELECT 1 FROM incident_report i
                           WHERE i.source = r.source AND i.id = r.id AND i.stale = 0)
         ORDER BY time_s, time_nanos, source, id"
    )
}

/// The incidents whose span meets `[{from}, {to})` (microseconds), with their reports, by incident.
pub(crate) fn incidents_sql(from: &str, to: &str) -> String {
    format!(
        "SELECT n.id, n.first_us, n.last_us, i.source, i.id FROM incident n
         JOIN incident_report i ON i.incident = n.id
         WHERE n.first_us < {to} AND n.last_us >= {from}
         ORDER BY n.first_us, n.id, i.source, i.id"
    )
}

/// Keeps the stored version of report (`$source`, `$id`) as its next revision, replaced at `$at` (microseconds):
/// placeholders `{source}`, `{id}`, `{at}` for the dialect's.
pub(crate) fn keep_version_sql(source: &str, id: &str, at: &str) -> String {
    format!(
        "INSERT INTO report_version (source, id, revision, replaced_at_us, source_kind, time_s, time_nanos,
             time_precision_hours, lon, lat, place_precision_km, kind, target, count, text, parties, links, file)
         SELECT source, id,
                (SELECT COUNT(*) FROM report_version v WHERE v.source = r.source AND v.id = r.id) + 1, {at},
                source_kind, time_s, time_nanos, time_precision_hours, lon, lat, place_precision_km, kind, target,
                count, text, parties, links, file
         FROM report r WHERE r.source = {source} AND r.id = {id}"
    )
}

/// Replaces report (`source`, `id`)'s contents: placeholders 1–16 as `row_of` and the file, in the dialect's form
/// (`p(n)`).
pub(crate) fn update_sql(p: fn(usize) -> String) -> String {
    format!(
        "UPDATE report SET source_kind = {}, time_s = {}, time_nanos = {}, time_precision_hours = {}, lon = {},
             lat = {}, place_precision_km = {}, kind = {}, target = {}, count = {}, text = {}, parties = {},
             links = {}, file = {}
         WHERE source = {} AND id = {}",
        p(3),
        p(4),
        p(5),
        p(6),
        p(7),
        p(8),
        p(9),
        p(10),
        p(11),
        p(12),
        p(13),
        p(14),
        p(15),
        p(16),
        p(1),
        p(2)
    )
}

/// When a version was replaced, from its stored microseconds.
pub(crate) fn replaced_at(
    path: &str,
    source: &str,
    id: &str,
    at_us: i64,
) -> Result<Timestamp, StoreError> {
    Timestamp::from_microsecond(at_us).map_err(|e| StoreError::Corrupt {
        path: path.to_owned(),
        source_name: source.to_owned(),
        id: id.to_owned(),
        message: format!("a revision's time: {e}"),
    })
}

pub(crate) fn row_of(r: &Report) -> Row {
    (
        r.source.clone(),
        r.id.clone(),
        r.source_kind.as_str().to_owned(),
        r.time.as_second(),
        i64::from(r.time.subsec_nanosecond()),
        r.time_precision.radius,
        r.place.x(),
        r.place.y(),
        r.place_precision.radius,
        r.kind.as_str().to_owned(),
        r.target.map(|t| t.as_str().to_owned()),
        i64::from(r.count),
        r.text.clone(),
        list_column(&r.parties),
        list_column(&r.links),
    )
}

/// A list as one column: its items a line each (a line break inside an item is stored as a space).
fn list_column(items: &[String]) -> String {
    items
        .iter()
        .map(|i| i.replace(['\r', '\n'], " "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A list column read back (empty: no items).
fn column_list(column: &str) -> Vec<String> {
    if column.is_empty() {
        Vec::new()
    } else {
        column.split('\n').map(str::to_owned).collect()
    }
}

/// A stored row as a report, or why it is not one.
pub(crate) fn report_of(path: &str, row: Row) -> Result<Report, StoreError> {
    let (
        source,
        id,
        source_kind,
        secs,
        nanos,
        tp,
        lon,
        lat,
        pp,
        kind,
        target,
        count,
        text,
        parties,
        links,
    ) = row;
    let corrupt = |message: String| StoreError::Corrupt {
        path: path.to_owned(),
        source_name: source.clone(),
        id: id.clone(),
        message,
    };
    let source_kind = SourceKind::from_name(&source_kind)
        .ok_or_else(|| corrupt(format!("unknown source kind `{source_kind}`")))?;
    let kind =
        EventKind::from_name(&kind).ok_or_else(|| corrupt(format!("unknown kind `{kind}`")))?;
    let target = match target {
        None => None,
        Some(t) => {
            Some(Category::from_name(&t).ok_or_else(|| corrupt(format!("unknown target `{t}`")))?)
        }
    };
    let time = Timestamp::new(secs, i32::try_from(nanos).unwrap_or(0))
        .map_err(|e| corrupt(format!("time: {e}")))?;
    Ok(Report {
        time,
        time_precision: Precision { radius: tp },
        place: Point::new(lon, lat),
        place_precision: Precision { radius: pp },
        source_kind,
        kind,
        target,
        count: u32::try_from(count).map_err(|_| corrupt(format!("count {count}")))?,
        text,
        parties: column_list(&parties),
        links: column_list(&links),
        source,
        id,
    })
}

/// Rows of [`incidents_sql`] — (incident, first µs, last µs, source, id) — as incidents.
pub(crate) fn fold_incidents(
    path: &str,
    rows: impl IntoIterator<Item = (i64, i64, i64, String, String)>,
) -> Result<Vec<crate::StoredIncident>, StoreError> {
    let mut out: Vec<crate::StoredIncident> = Vec::new();
    for (id, first, last, source, report) in rows {
        let id = u64::try_from(id).unwrap_or(0);
        match out.last_mut() {
            Some(i) if i.id == id => i.reports.push((source, report)),
            _ => out.push(crate::StoredIncident {
                id,
                first: crate::sqlite::time_of(path, first)?,
                last: crate::sqlite::time_of(path, last)?,
                reports: vec![(source, report)],
            }),
        }
    }
    Ok(out)
}

/// A change of the log, as the store keeps it.
pub(crate) fn change_row(
    path: &str,
    at: i64,
    id: i64,
    change: String,
) -> Result<(Timestamp, u64, String), StoreError> {
    Ok((
        crate::sqlite::time_of(path, at)?,
        u64::try_from(id).unwrap_or(0),
        change,
    ))
}
