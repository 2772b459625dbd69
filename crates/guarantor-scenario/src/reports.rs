//! Monitoring reports from files: guarantor's own layout as CSV, JSON lines or GeoJSON, and the CSV layouts of
//! UCDP GED and ACLED exports. Every row becomes a report or a rejected row with its line and reason (and a
//! diagnostic); nothing is dropped silently.
//!
//! guarantor's own fields: `id`, `source`, `source_kind` (patrol | sensor | party | media), `time` (RFC 3339,
//! e.g. `2026-12-05T06:10:00+02:00`), `time_precision_hours` (default 0.5), `lat`, `lon` (not in GeoJSON, where
//! the feature's point is the place), `place_precision_km` (default 1), `kind` (artillery | drone | missile |
//! small_arms | air_incursion | naval | mine | infrastructure_strike | clash), `target` (optional: refineries |
//! oil_gas | electricity | nuclear | hydro | sea_targets | other), `count` (default 1), `text`.

use std::collections::BTreeMap;

use geo_types::Point;
use guarantor_core::{
    Category, Diagnostic, EventKind, Level, Location, Precision, Report, SourceKind,
};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// A file layout reports come in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// guarantor's fields as CSV with a header row.
    Csv,
    /// guarantor's fields, one JSON object per line.
    JsonLines,
    /// A GeoJSON FeatureCollection of points with guarantor's fields as properties.
    GeoJson,
    /// A UCDP GED CSV export, one report per event.
    Ucdp,
    /// A UCDP GED CSV export, one report per source article of each event (the way the sources first told it).
    UcdpArticles,
    /// An ACLED CSV export.
    Acled,
}

impl ReportFormat {
    /// Every format, by its name.
    pub const ALL: [(ReportFormat, &'static str); 6] = [
        (ReportFormat::Csv, "csv"),
        (ReportFormat::JsonLines, "jsonl"),
        (ReportFormat::GeoJson, "geojson"),
        (ReportFormat::Ucdp, "ucdp"),
        (ReportFormat::UcdpArticles, "ucdp-articles"),
        (ReportFormat::Acled, "acled"),
    ];

    /// The format called `name` (`csv`, `jsonl`, `geojson`, `ucdp`, `ucdp-articles`, `acled`).
    pub fn from_name(name: &str) -> Option<ReportFormat> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(f, _)| *f)
    }

    /// Every format's name, for messages.
    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|(_, n)| *n).collect()
    }

    /// The format's name.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(f, _)| *f == self)
            .map_or("csv", |(_, n)| n)
    }

    /// The format of a file from its name and first line: `.jsonl`/`.ndjson`, `.geojson`, and for `.csv` the
    /// header (UCDP's has `where_prec`, ACLED's `event_id_cnty`).
    pub fn guess(path: &str, text: &str) -> Option<ReportFormat> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
            return Some(ReportFormat::JsonLines);
        }
        if lower.ends_with(".geojson") {
            return Some(ReportFormat::GeoJson);
        }
        if lower.ends_with(".csv") {
            let header = text.lines().next().unwrap_or("");
            return Some(if header.contains("where_prec") {
                ReportFormat::Ucdp
            } else if header.contains("event_id_cnty") {
                ReportFormat::Acled
            } else {
                ReportFormat::Csv
            });
        }
        None
    }
}

/// A row that did not become a report.
#[derive(Clone, Debug, PartialEq)]
pub struct Rejected {
    /// Line in the file (1-based).
    pub line: u32,
    /// Why.
    pub reason: String,
    /// The row as written.
    pub row: String,
}

/// What a file gave.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadReports {
    /// The reports, in file order.
    pub reports: Vec<Report>,
    /// The rows that were not, in file order.
    pub rejected: Vec<Rejected>,
    /// One per rejected row (and one for a file that cannot be read at all).
    pub diagnostics: Vec<Diagnostic>,
}

/// Where each line starts in a text (byte offsets; line 1 at index 0).
struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// Line `line` (1-based) without its end of line.
    fn row(&self, line: u32) -> &'t str {
        let Some(&start) = self.starts.get(line.saturating_sub(1) as usize) else {
            return "";
        };
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |e| start + e);
        self.text[start..end].trim_end_matches('\r')
    }

    /// The line (1-based) of byte `offset`.
    fn line_of(&self, offset: usize) -> u32 {
        self.starts.partition_point(|&s| s <= offset) as u32
    }

    /// The span and column of `value` in line `line` (its first occurrence), or of the whole line.
    fn span(&self, line: u32, value: Option<&str>) -> (std::ops::Range<usize>, u32) {
        let start = self
            .starts
            .get(line.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(0);
        let row = self.row(line);
        match value
            .filter(|v| !v.is_empty())
            .and_then(|v| row.find(v).map(|at| (at, v.len())))
        {
            Some((at, len)) => (start + at..start + at + len, at as u32 + 1),
            None => (start..start + row.len(), 1),
        }
    }
}

impl ReadReports {
    /// Rejects line `line`; `value` is the offending field's text, to point at (else the whole line).
    #[allow(clippy::too_many_arguments)]
    fn reject(
        &mut self,
        lines: &Lines<'_>,
        path: &str,
        line: u32,
        field: &str,
        reason: String,
        expected: &str,
        value: Option<&str>,
    ) {
        let (span, column) = lines.span(line, value);
        self.diagnostics.push(Diagnostic {
            level: Level::Error,
            code: "bad-report",
            message: reason.clone(),
            location: Location {
                file: path.to_owned(),
                line,
                column,
                span,
            },
            field: field.to_owned(),
            expected: (!expected.is_empty()).then(|| expected.to_owned()),
            related: Vec::new(),
            help: None,
        });
        self.rejected.push(Rejected {
            line,
            reason,
            row: lines.row(line).to_owned(),
        });
    }
}

/// Reads `text` (the file `path`) as `format`.
pub fn read_reports(path: &str, text: &str, format: ReportFormat) -> ReadReports {
    read_reports_with_progress(path, text, format, &mut |_| {})
}

/// The columns of guarantor's own CSV layout, in the order it writes them.
const OWN_COLUMNS: [&str; 12] = [
    "id",
    "source",
    "source_kind",
    "time",
    "time_precision_hours",
    "lat",
    "lon",
    "place_precision_km",
    "kind",
    "target",
    "count",
    "text",
];

/// How often (in rows) reading reports how far it has got.
const PROGRESS_EVERY: usize = 4096;

/// [`read_reports`], telling `progress` now and then how many bytes of `text` are read (for a progress bar on
/// large files); the last call is `text.len()`.
pub fn read_reports_with_progress(
    path: &str,
    text: &str,
    format: ReportFormat,
    progress: &mut dyn FnMut(usize),
) -> ReadReports {
    let out = match format {
        ReportFormat::Csv
        | ReportFormat::Ucdp
        | ReportFormat::UcdpArticles
        | ReportFormat::Acled => read_csv(path, text, format, progress),
        ReportFormat::JsonLines => read_json_lines(path, text, progress),
        ReportFormat::GeoJson => read_geojson(path, text, progress),
    };
    progress(text.len());
    out
}

/// A problem with one field: its name, what is wrong, what was expected.
type FieldError = (String, String, String);

fn field_error(field: &str, message: String, expected: &str) -> FieldError {
    (field.to_owned(), message, expected.to_owned())
}

/// Fields by name, as text, whatever the file layout.
trait Fields {
    fn text(&self, key: &str) -> Option<String>;
}

impl Fields for BTreeMap<String, String> {
    fn text(&self, key: &str) -> Option<String> {
        self.get(key).filter(|v| !v.trim().is_empty()).cloned()
    }
}

fn required(f: &dyn Fields, key: &str, expected: &str) -> Result<String, FieldError> {
    f.text(key)
        .ok_or_else(|| field_error(key, format!("`{key}` is missing"), expected))
}

fn number(
    f: &dyn Fields,
    key: &str,
    default: Option<f64>,
    expected: &str,
) -> Result<f64, FieldError> {
    match f.text(key) {
        None => default.ok_or_else(|| field_error(key, format!("`{key}` is missing"), expected)),
        Some(v) => match v.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(x),
            _ => Err(field_error(
                key,
                format!("`{key}` is `{v}`, not a number"),
                expected,
            )),
        },
    }
}

fn choice<T>(
    f: &dyn Fields,
    key: &str,
    parse: fn(&str) -> Option<T>,
    names: &[&str],
) -> Result<Option<T>, FieldError> {
    let Some(v) = f.text(key) else {
        return Ok(None);
    };
    parse(v.trim()).map(Some).ok_or_else(|| {
        field_error(
            key,
            format!("`{key}` is `{v}`, not a known value"),
            &format!("one of {}", names.join(", ")),
        )
    })
}

fn position(lat: f64, lon: f64) -> Result<Point<f64>, FieldError> {
    if !(-90.0..=90.0).contains(&lat) {
        return Err(field_error(
            "lat",
            format!("latitude {lat} is out of range"),
            "-90 to 90",
        ));
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(field_error(
            "lon",
            format!("longitude {lon} is out of range"),
            "-180 to 180",
        ));
    }
    Ok(Point::new(lon, lat))
}

/// A report in guarantor's own fields; `place` is given for GeoJSON (the feature's point).
fn own_report(f: &dyn Fields, place: Option<Point<f64>>) -> Result<Report, FieldError> {
    let id = required(f, "id", "the source's id for the report")?;
    let source = required(f, "source", "who reports, e.g. smm-patrol-7")?;
    let source_kind = choice(
        f,
        "source_kind",
        SourceKind::from_name,
        &SourceKind::names(),
    )?
    .ok_or_else(|| {
        field_error(
            "source_kind",
            "`source_kind` is missing".into(),
            "patrol, sensor, party or media",
        )
    })?;
    let time_text = required(
        f,
        "time",
        "an RFC 3339 time, e.g. 2026-12-05T06:10:00+02:00",
    )?;
    let time = time_text.trim().parse::<Timestamp>().map_err(|e| {
        field_error(
            "time",
            format!("`time` is `{time_text}`: {e}"),
            "an RFC 3339 time with an offset, e.g. 2026-12-05T06:10:00+02:00",
        )
    })?;
    let time_precision = number(f, "time_precision_hours", Some(0.5), "hours, 0 or more")?;
    let place = match place {
        Some(p) => p,
        None => position(
            number(f, "lat", None, "latitude in degrees")?,
            number(f, "lon", None, "longitude in degrees")?,
        )?,
    };
    let place_precision = number(f, "place_precision_km", Some(1.0), "km, 0 or more")?;
    for (key, v) in [
        ("time_precision_hours", time_precision),
        ("place_precision_km", place_precision),
    ] {
        if v < 0.0 {
            return Err(field_error(key, format!("`{key}` is {v}"), "0 or more"));
        }
    }
    let kind = choice(f, "kind", EventKind::from_name, &EventKind::names())?.ok_or_else(|| {
        field_error(
            "kind",
            "`kind` is missing".into(),
            "what happened, e.g. artillery",
        )
    })?;
    let target = choice(f, "target", Category::from_name, &Category::names())?;
    let count = number(f, "count", Some(1.0), "a whole number, 0 or more")?;
    if count < 0.0 || count.fract() != 0.0 || count > f64::from(u32::MAX) {
        return Err(field_error(
            "count",
            format!("`count` is {count}"),
            "a whole number, 0 or more",
        ));
    }
    Ok(Report {
        id,
        source,
        source_kind,
        time,
        time_precision: Precision {
            radius: time_precision,
        },
        place,
        place_precision: Precision {
            radius: place_precision,
        },
        kind,
        target,
        count: count as u32,
        text: f.text("text").unwrap_or_default(),
    })
}

/// Noon UTC of a civil date, and the hours either side that cover it whole.
fn noon(date: Date) -> Result<Timestamp, String> {
    date.at(12, 0, 0, 0)
        .to_zoned(TimeZone::UTC)
        .map(|z| z.timestamp())
        .map_err(|e| e.to_string())
}

fn date(f: &dyn Fields, key: &str) -> Result<Date, FieldError> {
    let v = required(f, key, "a date, YYYY-MM-DD")?;
    // UCDP writes `2014-01-22 00:00:00.000` in some exports: the date is the first ten characters.
    v.trim()
        .get(..10)
        .and_then(|d| d.parse::<Date>().ok())
        .ok_or_else(|| {
            field_error(
                key,
                format!("`{key}` is `{v}`, not a date"),
                "a date, YYYY-MM-DD",
            )
        })
}

/// UCDP's `where_prec` as a radius: 1 the exact place, 2 within 25 km, 3 a second-order administrative unit,
/// 4 a first-order one, 5 a linear feature (road, river), 6 the country, 7 international waters or airspace
/// (UCDP GED codebook; the kilometres are planning figures for each level).
fn ucdp_place_km(where_prec: f64) -> Option<f64> {
    match where_prec as u32 {
        1 => Some(1.0),
        2 => Some(25.0),
        3 => Some(50.0),
        4 => Some(150.0),
        5 => Some(50.0),
        6 => Some(500.0),
        7 => Some(200.0),
        _ => None,
    }
}

fn ucdp_report(f: &dyn Fields) -> Result<Report, FieldError> {
    let id = required(f, "id", "the UCDP event id")?;
    let (start, end) = (date(f, "date_start")?, date(f, "date_end")?);
    let (t0, t1) = (
        noon(start).map_err(|e| field_error("date_start", e, "a date"))?,
        noon(end).map_err(|e| field_error("date_end", e, "a date"))?,
    );
    if t1 < t0 {
        return Err(field_error(
            "date_end",
            format!("`date_end` {end} is before `date_start` {start}"),
            "a date on or after date_start",
        ));
    }
    let half_span = (t1.as_second() - t0.as_second()) as f64 / 2.0;
    let mid = Timestamp::from_second(t0.as_second() + half_span as i64)
        .map_err(|e| field_error("date_start", e.to_string(), "a date"))?;
    let where_prec = number(f, "where_prec", None, "1 to 7")?;
    let place_km = ucdp_place_km(where_prec).ok_or_else(|| {
        field_error(
            "where_prec",
            format!("`where_prec` is {where_prec}"),
            "1 to 7",
        )
    })?;
    let place = position(
        number(f, "latitude", None, "latitude in degrees")?,
        number(f, "longitude", None, "longitude in degrees")?,
    )?;
    let best = number(f, "best", Some(0.0), "a whole number")?;
    let text = [f.text("where_description"), f.text("dyad_name")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" — ");
    Ok(Report {
        id: format!("ucdp-{id}"),
        source: "ucdp-ged".into(),
        source_kind: SourceKind::Media,
        time: mid,
        // The whole span of days, and the day itself either side.
        time_precision: Precision {
            radius: half_span / 3600.0 + 12.0,
        },
        place,
        place_precision: Precision { radius: place_km },
        kind: EventKind::Clash,
        target: None,
        count: best.max(0.0).min(f64::from(u32::MAX)) as u32,
        text,
    })
}

/// One UCDP event as its source articles: `source_article` lists them as `"outlet,date,headline";"…"`; each
/// becomes a report of the event from that article (its source), so corroboration can count them.
fn ucdp_articles(f: &dyn Fields, event: Report) -> Vec<Report> {
    let articles: Vec<String> = f
        .text("source_article")
        .map(|a| {
            a.trim()
                .trim_matches('"')
                .split("\";\"")
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if articles.is_empty() {
        return vec![event];
    }
    articles
        .into_iter()
        .enumerate()
        .map(|(k, article)| Report {
            id: format!("{}-a{}", event.id, k + 1),
            source: article,
            ..event.clone()
        })
        .collect()
}

fn acled_report(f: &dyn Fields) -> Result<Report, FieldError> {
    let id = required(f, "event_id_cnty", "the ACLED event id")?;
    let day = date(f, "event_date")?;
    let t = noon(day).map_err(|e| field_error("event_date", e, "a date"))?;
    // ACLED time_precision: 1 the day, 2 the week, 3 the month; geo_precision: 1 the town, 2 near it, 3 the
    // province (ACLED codebook; the kilometres are planning figures for each level).
    let time_hours = match number(f, "time_precision", Some(1.0), "1, 2 or 3")? as u32 {
        1 => 12.0,
        2 => 84.0,
        3 => 372.0,
        p => {
            return Err(field_error(
                "time_precision",
                format!("`time_precision` is {p}"),
                "1, 2 or 3",
            ));
        }
    };
    let place_km = match number(f, "geo_precision", Some(1.0), "1, 2 or 3")? as u32 {
        1 => 2.0,
        2 => 25.0,
        3 => 150.0,
        p => {
            return Err(field_error(
                "geo_precision",
                format!("`geo_precision` is {p}"),
                "1, 2 or 3",
            ));
        }
    };
    let sub = required(f, "sub_event_type", "an ACLED sub-event type")?;
    let kind = match sub.as_str() {
        "Shelling/artillery/missile attack" => EventKind::Artillery,
        "Air/drone strike" => EventKind::Drone,
        "Armed clash" | "Government regains territory" | "Non-state actor overtakes territory" => {
            EventKind::Clash
        }
        "Remote explosive/landmine/IED" => EventKind::Mine,
        "Attack" | "Grenade" => EventKind::SmallArms,
        other => {
            return Err(field_error(
                "sub_event_type",
                format!("`{other}` is not a ceasefire event"),
                "a battle, explosion or attack (protests, riots and strategic developments are not monitored)",
            ));
        }
    };
    let place = position(
        number(f, "latitude", None, "latitude in degrees")?,
        number(f, "longitude", None, "longitude in degrees")?,
    )?;
    let fatalities = number(f, "fatalities", Some(0.0), "a whole number")?;
    Ok(Report {
        id: format!("acled-{id}"),
        source: f.text("source").unwrap_or_else(|| "acled".into()),
        source_kind: SourceKind::Media,
        time: t,
        time_precision: Precision { radius: time_hours },
        place,
        place_precision: Precision { radius: place_km },
        kind,
        target: None,
        count: fatalities.max(0.0).min(f64::from(u32::MAX)) as u32,
        text: f.text("notes").unwrap_or_default(),
    })
}

fn read_csv(
    path: &str,
    text: &str,
    format: ReportFormat,
    progress: &mut dyn FnMut(usize),
) -> ReadReports {
    let mut out = ReadReports::default();
    let lines = Lines::new(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_owned()).collect(),
        Err(e) => {
            out.reject(
                &lines,
                path,
                1,
                "",
                format!("the header row cannot be read: {e}"),
                "a CSV header row",
                None,
            );
            return out;
        }
    };
    if format == ReportFormat::Csv
        && let Some(unknown) = header.iter().find(|h| !OWN_COLUMNS.contains(&h.as_str()))
    {
        out.reject(
            &lines,
            path,
            1,
            unknown,
            format!("unknown column `{unknown}`"),
            &OWN_COLUMNS.join(", "),
            None,
        );
        return out;
    }
    for (n, record) in reader.records().enumerate() {
        if n % PROGRESS_EVERY == 0
            && let Some(p) = record.as_ref().ok().and_then(|r| r.position())
        {
            progress(p.byte() as usize);
        }
        let (line, result) = match record {
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as u32);
                out.reject(
                    &lines,
                    path,
                    line,
                    "",
                    format!("the row cannot be read: {e}"),
                    &format!("{} fields", header.len()),
                    None,
                );
                continue;
            }
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line() as u32);
                let fields: BTreeMap<String, String> = header
                    .iter()
                    .cloned()
                    .zip(r.iter().map(str::to_owned))
                    .collect();
                let result = match format {
                    ReportFormat::Ucdp => ucdp_report(&fields).map(|r| vec![r]),
                    ReportFormat::UcdpArticles => {
                        ucdp_report(&fields).map(|r| ucdp_articles(&fields, r))
                    }
                    ReportFormat::Acled => acled_report(&fields).map(|r| vec![r]),
                    _ => own_report(&fields, None).map(|r| vec![r]),
                };
                let value = result
                    .as_ref()
                    .err()
                    .and_then(|(f, _, _)| fields.get(f).cloned());
                (line, result.map_err(|e| (e, value)))
            }
        };
        match result {
            Ok(reports) => out.reports.extend(reports),
            Err(((field, message, expected), value)) => {
                out.reject(
                    &lines,
                    path,
                    line,
                    &field,
                    message,
                    &expected,
                    value.as_deref(),
                );
            }
        }
    }
    out
}

/// JSON object fields as text (numbers and strings alike; other values are not text).
fn json_fields(object: &serde_json::Map<String, serde_json::Value>) -> BTreeMap<String, String> {
    object
        .iter()
        .filter_map(|(k, v)| match v {
            serde_json::Value::String(s) => Some((k.clone(), s.clone())),
            serde_json::Value::Number(n) => Some((k.clone(), n.to_string())),
            _ => None,
        })
        .collect()
}

fn read_json_lines(path: &str, text: &str, progress: &mut dyn FnMut(usize)) -> ReadReports {
    let mut out = ReadReports::default();
    let lines = Lines::new(text);
    for (i, row) in text.lines().enumerate() {
        let line = i as u32 + 1;
        if i % PROGRESS_EVERY == 0 {
            progress(lines.starts.get(i).copied().unwrap_or(text.len()));
        }
        if row.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<serde_json::Value>(row) {
            Ok(serde_json::Value::Object(object)) => {
                let fields = json_fields(&object);
                match own_report(&fields, None) {
                    Ok(r) => out.reports.push(r),
                    Err((field, message, expected)) => {
                        let value = fields.get(&field).map(String::as_str);
                        out.reject(&lines, path, line, &field, message, &expected, value)
                    }
                }
            }
            Ok(_) => out.reject(
                &lines,
                path,
                line,
                "",
                "the line is not a JSON object".into(),
                "one JSON object per line",
                None,
            ),
            Err(e) => out.reject(
                &lines,
                path,
                line,
                "",
                format!("the line is not JSON: {e}"),
                "one JSON object per line",
                None,
            ),
        }
    }
    out
}

fn read_geojson(path: &str, text: &str, progress: &mut dyn FnMut(usize)) -> ReadReports {
    let mut out = ReadReports::default();
    let lines = Lines::new(text);
    // Each feature borrowed from the text: its address gives its line (as `geometry.rs` locates features).
    #[derive(serde::Deserialize)]
    struct Collection<'a> {
        #[serde(borrow, default)]
        features: Option<Vec<&'a serde_json::value::RawValue>>,
    }
    let collection: Collection<'_> = match serde_json::from_str(text) {
        Ok(c) => c,
        Err(e) => {
            out.reject(
                &lines,
                path,
                e.line() as u32,
                "",
                format!("the file is not a GeoJSON FeatureCollection: {e}"),
                "a GeoJSON FeatureCollection",
                None,
            );
            return out;
        }
    };
    let Some(features) = collection.features else {
        out.reject(
            &lines,
            path,
            1,
            "features",
            "no `features` array".into(),
            "a GeoJSON FeatureCollection",
            None,
        );
        return out;
    };
    for (i, raw) in features.iter().enumerate() {
        let offset = crate::geometry::offset_in(text, raw.get());
        if i % PROGRESS_EVERY == 0 {
            progress(offset);
        }
        let line = lines.line_of(offset);
        let feature: serde_json::Value = serde_json::from_str(raw.get()).unwrap_or_default();
        let coords = feature
            .pointer("/geometry/coordinates")
            .and_then(|c| c.as_array())
            .filter(|_| {
                feature.pointer("/geometry/type").and_then(|t| t.as_str()) == Some("Point")
            });
        let place = coords.and_then(|c| {
            match (
                c.first().and_then(|x| x.as_f64()),
                c.get(1).and_then(|y| y.as_f64()),
            ) {
                (Some(lon), Some(lat)) => Some((lat, lon)),
                _ => None,
            }
        });
        let Some((lat, lon)) = place else {
            out.reject(
                &lines,
                path,
                line,
                "geometry",
                format!("feature {i} has no point geometry"),
                "a Point with [lon, lat]",
                None,
            );
            continue;
        };
        let props = feature
            .get("properties")
            .and_then(|p| p.as_object())
            .map(json_fields)
            .unwrap_or_default();
        match position(lat, lon).and_then(|p| own_report(&props, Some(p))) {
            Ok(r) => out.reports.push(r),
            Err((field, message, expected)) => {
                let value = props.get(&field).map(String::as_str);
                out.reject(&lines, path, line, &field, message, &expected, value)
            }
        }
    }
    out
}

/// `reports` in guarantor's own CSV layout (the columns [`read_reports`] reads with [`ReportFormat::Csv`]),
/// header first; reading the text back gives the same reports.
pub fn reports_csv(reports: &[Report]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing into a Vec cannot fail.
    let _ = w.write_record(OWN_COLUMNS);
    for r in reports {
        let _ = w.write_record([
            r.id.as_str(),
            r.source.as_str(),
            r.source_kind.as_str(),
            &r.time.to_string(),
            &r.time_precision.radius.to_string(),
            &r.place.y().to_string(),
            &r.place.x().to_string(),
            &r.place_precision.radius.to_string(),
            r.kind.as_str(),
            r.target.map_or("", |t| t.as_str()),
            &r.count.to_string(),
            r.text.as_str(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
