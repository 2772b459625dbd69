//! Monitoring reports from files: guarantor's own layout as CSV, JSON lines or GeoJSON, and the CSV layouts of
//! UCDP GED and ACLED exports. Every row becomes a report or a rejected row with its line and reason (and a
//! diagnostic); nothing is dropped silently.
//!
//! guarantor's own fields: `id`, `source`, `source_kind` (patrol | sensor | party | media), `time` (RFC 3339,
//! e.g. `2026-12-05T06:10:00+02:00`, or any form `dates.rs` reads; without an offset, in Kyiv; a day alone is
//! its noon ± 12 h), `time_precision_hours` (default 0.5), `lat`, `lon` (not in GeoJSON, where the feature's
//! point is the place), `place_precision_km` (default 1), `kind` (artillery | drone | missile | small_arms |
//! air_incursion | naval | mine | infrastructure_strike | clash | interception | presence), `target` (optional:
//! refineries | oil_gas | electricity | nuclear | hydro | sea_targets | other), `count` (default 1), `text`.

use std::collections::BTreeMap;

use geo_types::Point;
use guarantor_core::{
    Category, Diagnostic, EventKind, Level, Location, Precision, Report, SourceKind,
};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::dates::{DateOrder, When, parse_when};

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
    /// Why the whole file was refused (nothing of it read), when it was: e.g. dates that read both ways.
    pub refused: Option<String>,
    /// The delimiter its rows were split on (delimited text only).
    pub delimiter: Option<u8>,
    /// The order its slashed dates were read in, when any needed one.
    pub date_order: Option<DateOrder>,
    /// How values were read that the file did not say (e.g. the zone of times without an offset).
    pub notes: Vec<String>,
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

/// Reads `text` (the file `path`) as `format`, its date order decided from its values.
pub fn read_reports(path: &str, text: &str, format: ReportFormat) -> ReadReports {
    read_reports_with_progress(path, text, format, None, &mut |_| {})
}

/// How to read a file; each `None` is decided from the file (its name and header, its bytes, its dates).
#[derive(Clone, Copy, Debug, Default)]
pub struct ReadOptions {
    /// The layout.
    pub format: Option<ReportFormat>,
    /// The encoding.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Day first or month first.
    pub date_order: Option<DateOrder>,
}

/// A file read from its bytes: its text, how it was read, and what it gave.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadFile {
    /// The text, decoded.
    pub text: String,
    /// The encoding it was read as (WHATWG name).
    pub encoding: &'static str,
    /// The layout it was read as (`None` when it could not be told: then `read.refused` says so).
    pub format: Option<ReportFormat>,
    /// What it gave.
    pub read: ReadReports,
}

impl ReadFile {
    /// A file that could not even be read (e.g. not found): refused with `reason`, one rejected row saying so.
    pub fn unreadable(path: &str, reason: String) -> ReadFile {
        let mut read = ReadReports::default();
        read.reject(
            &Lines::new(""),
            path,
            1,
            "",
            reason.clone(),
            "a readable file",
            None,
        );
        read.refused = Some(reason);
        ReadFile {
            text: String::new(),
            encoding: "-",
            format: None,
            read,
        }
    }
}

/// Reads the file `path` from its `bytes`: decoded (see [`crate::decode()`]), its layout as `options` say or as
/// its name and header suggest, its dates in `options.date_order` or the order its values decide. A file that
/// cannot be read at all comes back with `read.refused` and one rejected row saying why.
pub fn read_file(
    path: &str,
    bytes: &[u8],
    options: ReadOptions,
    progress: &mut dyn FnMut(usize),
) -> ReadFile {
    let decoded = crate::decode::decode(bytes, options.encoding);
    let format = options
        .format
        .or_else(|| ReportFormat::guess(path, &decoded.text));
    let mut read = match format {
        Some(format) => {
            read_reports_with_progress(path, &decoded.text, format, options.date_order, progress)
        }
        None => {
            let mut out = ReadReports::default();
            let lines = Lines::new(&decoded.text);
            let reason = format!(
                "cannot tell the layout from the name `{path}`; say it with --format ({})",
                ReportFormat::names().join(", ")
            );
            out.reject(&lines, path, 1, "", reason.clone(), "a known layout", None);
            out.refused = Some(reason);
            out
        }
    };
    if decoded.replaced > 0 {
        read.notes.push(format!(
            "{} bytes were not valid {} and were read as U+FFFD",
            decoded.replaced, decoded.encoding
        ));
    }
    ReadFile {
        text: decoded.text,
        encoding: decoded.encoding,
        format,
        read,
    }
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

/// [`read_reports`] with the date order said (`None`: decided from the file's values), telling `progress` now
/// and then how many bytes of `text` are read (for a progress bar on large files); the last call is
/// `text.len()`.
pub fn read_reports_with_progress(
    path: &str,
    text: &str,
    format: ReportFormat,
    order: Option<DateOrder>,
    progress: &mut dyn FnMut(usize),
) -> ReadReports {
    let out = match format {
        ReportFormat::Csv
        | ReportFormat::Ucdp
        | ReportFormat::UcdpArticles
        | ReportFormat::Acled => read_csv(path, text, format, order, progress),
        ReportFormat::JsonLines => read_json_lines(path, text, order, progress),
        ReportFormat::GeoJson => read_geojson(path, text, order, progress),
    };
    progress(text.len());
    out
}

impl ReportFormat {
    /// The columns holding dates, whose values decide the file's date order.
    fn date_columns(self) -> &'static [&'static str] {
        match self {
            ReportFormat::Ucdp | ReportFormat::UcdpArticles => &["date_start", "date_end"],
            ReportFormat::Acled => &["event_date"],
            _ => &["time"],
        }
    }
}

/// How the rows of one file are read: the order of its slashed dates; whether a time without an offset was
/// read (in [`LOCAL_ZONE`]).
#[derive(Debug, Default)]
struct Ctx {
    order: Option<DateOrder>,
    local_seen: std::cell::Cell<bool>,
}

impl Ctx {
    fn new(order: Option<DateOrder>) -> Ctx {
        Ctx {
            order,
            local_seen: std::cell::Cell::new(false),
        }
    }

    /// The note a file gets when some of its times had no offset.
    fn notes(&self) -> Vec<String> {
        if self.local_seen.get() {
            vec![format!("times without an offset are read in {LOCAL_ZONE}")]
        } else {
            Vec::new()
        }
    }
}

/// The zone a time without an offset is read in: the theatre's.
pub const LOCAL_ZONE: &str = "Europe/Kyiv";

/// The date order of a file from the values of its date columns (each row's fields by `get`), or the order
/// said; `Err` refuses the file.
fn decide_order<'a, R: 'a>(
    format: ReportFormat,
    said: Option<DateOrder>,
    rows: impl Iterator<Item = &'a R> + Clone,
    get: impl Fn(&'a R, &str) -> Option<&'a str>,
) -> Result<Option<DateOrder>, String> {
    if said.is_some() {
        return Ok(said);
    }
    let mut decided = None;
    for column in format.date_columns() {
        if let Some(o) = DateOrder::decide(column, rows.clone().filter_map(|r| get(r, column)))? {
            if decided.is_some_and(|d| d != o) {
                return Err(format!(
                    "the date columns {} are written in different orders",
                    format.date_columns().join(", ")
                ));
            }
            decided = Some(o);
        }
    }
    Ok(decided)
}

impl ReadReports {
    /// Refuses the whole file: `reason` at line 1.
    fn refuse(&mut self, lines: &Lines<'_>, path: &str, field: &str, reason: String) {
        self.reject(
            lines,
            path,
            1,
            field,
            reason.clone(),
            crate::dates::DATE_FORMS,
            None,
        );
        self.refused = Some(reason);
    }
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
fn own_report(f: &dyn Fields, place: Option<Point<f64>>, ctx: &Ctx) -> Result<Report, FieldError> {
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
    let time_text = required(f, "time", "a time, e.g. 2026-12-05T06:10:00+02:00")?;
    let bad = |e: String| {
        field_error(
            "time",
            format!("`time` is `{time_text}`: {e}"),
            crate::dates::DATE_FORMS,
        )
    };
    // A day without a time of day is the whole day: its noon, at least 12 hours either side.
    let (time, whole_day) = match parse_when(&time_text, ctx.order).map_err(bad)? {
        When::Instant(t) => (t, false),
        When::Civil { at, timed } => {
            ctx.local_seen.set(true);
            let zone = TimeZone::get(LOCAL_ZONE).map_err(|e| bad(e.to_string()))?;
            let at = if timed { at } else { at.date().at(12, 0, 0, 0) };
            let t = at
                .to_zoned(zone)
                .map(|z| z.timestamp())
                .map_err(|e| bad(e.to_string()))?;
            (t, !timed)
        }
    };
    let mut time_precision = number(f, "time_precision_hours", Some(0.5), "hours, 0 or more")?;
    if whole_day {
        time_precision = time_precision.max(12.0);
    }
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

/// The day a date column gives (its time of day, if any, dropped: these exports date events by the day).
fn date(f: &dyn Fields, key: &str, ctx: &Ctx) -> Result<Date, FieldError> {
    let v = required(f, key, crate::dates::DATE_FORMS)?;
    parse_when(&v, ctx.order).map(When::date).map_err(|e| {
        field_error(
            key,
            format!("`{key}` is `{v}`: {e}"),
            crate::dates::DATE_FORMS,
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

fn ucdp_report(f: &dyn Fields, ctx: &Ctx) -> Result<Report, FieldError> {
    let id = required(f, "id", "the UCDP event id")?;
    let (start, end) = (date(f, "date_start", ctx)?, date(f, "date_end", ctx)?);
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

fn acled_report(f: &dyn Fields, ctx: &Ctx) -> Result<Report, FieldError> {
    let id = required(f, "event_id_cnty", "the ACLED event id")?;
    let day = date(f, "event_date", ctx)?;
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
        // An interception or a shoot-down: what an air-defence monitor records.
        "Disrupted weapons use" => EventKind::Interception,
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
    order: Option<DateOrder>,
    progress: &mut dyn FnMut(usize),
) -> ReadReports {
    let mut out = ReadReports::default();
    let lines = Lines::new(text);
    let delimiter = crate::decode::delimiter(text);
    out.delimiter = Some(delimiter);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .delimiter(delimiter)
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
    // Every row first: the date columns' values decide the file's date order before any row is read.
    let records: Vec<Result<csv::StringRecord, csv::Error>> = reader.records().collect();
    let column = |name: &str| header.iter().position(|h| h == name);
    let ctx = match decide_order(
        format,
        order,
        records.iter().filter_map(|r| r.as_ref().ok()),
        |r: &csv::StringRecord, c| column(c).and_then(|i| r.get(i)),
    ) {
        Ok(o) => Ctx::new(o),
        Err(reason) => {
            out.refuse(&lines, path, format.date_columns()[0], reason);
            return out;
        }
    };
    out.date_order = ctx.order;
    for (n, record) in records.into_iter().enumerate() {
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
                    ReportFormat::Ucdp => ucdp_report(&fields, &ctx).map(|r| vec![r]),
                    ReportFormat::UcdpArticles => {
                        ucdp_report(&fields, &ctx).map(|r| ucdp_articles(&fields, r))
                    }
                    ReportFormat::Acled => acled_report(&fields, &ctx).map(|r| vec![r]),
                    _ => own_report(&fields, None, &ctx).map(|r| vec![r]),
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
    out.notes = ctx.notes();
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

/// How to read a file of guarantor's own fields as JSON (lines, GeoJSON): its date order from the rows'
/// `time` values (or as said); `None` once the file is refused.
fn own_ctx<'a>(
    out: &mut ReadReports,
    lines: &Lines<'_>,
    path: &str,
    format: ReportFormat,
    order: Option<DateOrder>,
    rows: impl Iterator<Item = &'a BTreeMap<String, String>> + Clone,
) -> Option<Ctx> {
    match decide_order(format, order, rows, |r: &BTreeMap<String, String>, c| {
        r.get(c).map(String::as_str)
    }) {
        Ok(o) => {
            out.date_order = o;
            Some(Ctx::new(o))
        }
        Err(reason) => {
            out.refuse(lines, path, "time", reason);
            None
        }
    }
}

fn read_json_lines(
    path: &str,
    text: &str,
    order: Option<DateOrder>,
    progress: &mut dyn FnMut(usize),
) -> ReadReports {
    let mut out = ReadReports::default();
    let lines = Lines::new(text);
    // Every line first (its fields, or why it is not an object): the times decide the date order.
    type Row = (u32, Result<BTreeMap<String, String>, String>);
    let rows: Vec<Row> = text
        .lines()
        .enumerate()
        .filter(|(_, row)| !row.trim().is_empty())
        .map(|(i, row)| {
            let fields = match serde_json::from_str::<serde_json::Value>(row) {
                Ok(serde_json::Value::Object(object)) => Ok(json_fields(&object)),
                Ok(_) => Err("the line is not a JSON object".to_owned()),
                Err(e) => Err(format!("the line is not JSON: {e}")),
            };
            (i as u32 + 1, fields)
        })
        .collect();
    let Some(ctx) = own_ctx(
        &mut out,
        &lines,
        path,
        ReportFormat::JsonLines,
        order,
        rows.iter().filter_map(|(_, r)| r.as_ref().ok()),
    ) else {
        return out;
    };
    for (i, (line, fields)) in rows.into_iter().enumerate() {
        if i % PROGRESS_EVERY == 0 {
            progress(
                lines
                    .starts
                    .get(line as usize - 1)
                    .copied()
                    .unwrap_or(text.len()),
            );
        }
        match fields {
            Ok(fields) => match own_report(&fields, None, &ctx) {
                Ok(r) => out.reports.push(r),
                Err((field, message, expected)) => {
                    let value = fields.get(&field).map(String::as_str);
                    out.reject(&lines, path, line, &field, message, &expected, value)
                }
            },
            Err(reason) => out.reject(
                &lines,
                path,
                line,
                "",
                reason,
                "one JSON object per line",
                None,
            ),
        }
    }
    out.notes = ctx.notes();
    out
}

fn read_geojson(
    path: &str,
    text: &str,
    order: Option<DateOrder>,
    progress: &mut dyn FnMut(usize),
) -> ReadReports {
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
    // Every feature first (its line, point and properties): their times decide the date order.
    type Feature = (u32, Option<(f64, f64)>, BTreeMap<String, String>);
    let mut read: Vec<Feature> = Vec::new();
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
        let props = feature
            .get("properties")
            .and_then(|p| p.as_object())
            .map(json_fields)
            .unwrap_or_default();
        read.push((line, place, props));
    }
    let Some(ctx) = own_ctx(
        &mut out,
        &lines,
        path,
        ReportFormat::GeoJson,
        order,
        read.iter().map(|(_, _, props)| props),
    ) else {
        return out;
    };
    for (i, (line, place, props)) in read.into_iter().enumerate() {
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
        match position(lat, lon).and_then(|p| own_report(&props, Some(p), &ctx)) {
            Ok(r) => out.reports.push(r),
            Err((field, message, expected)) => {
                let value = props.get(&field).map(String::as_str);
                out.reject(&lines, path, line, &field, message, &expected, value)
            }
        }
    }
    out.notes = ctx.notes();
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
