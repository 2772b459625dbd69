//! Monitoring reports from files, read by a [`Layout`] (layout.rs): a CSV, JSON, JSON-lines or GeoJSON export as
//! its source publishes it. Every row becomes reports or a rejected row with its line and reason (and a
//! diagnostic); nothing is dropped silently. guarantor's own fields are the `csv`, `jsonl` and `geojson` layouts
//! (docs/layouts.md): `id`, `source`, `source_kind`, `time`, `time_precision_hours`, `lat`, `lon`,
//! `place_precision_km`, `kind`, `target`, `count`, `text`.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::sync::Arc;

use geo_types::Point;
use guarantor_core::{Diagnostic, Level, Location, Precision, Report, SourceKind};
use jiff::Timestamp;
use jiff::civil::DateTime;

use crate::dates::{DateOrder, When, parse_when};
use crate::layout::{
    Classify, FieldId, FieldPath, Layout, LayoutFormat, Number, Rule, Step, Test, TimeAt,
};

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
    /// The layout it was read with.
    pub layout: Option<String>,
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
        if line == 0 || line as usize > self.starts.len() {
            return "";
        }
        let start = self.start(line);
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |e| start + e);
        self.text[start..end].trim_end_matches('\r')
    }

    /// The byte where line `line` (1-based) starts.
    fn start(&self, line: u32) -> usize {
        self.starts
            .get(line.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(0)
    }

    /// The line (1-based) of byte `offset`.
    fn line_of(&self, offset: usize) -> u32 {
        self.starts.partition_point(|&s| s <= offset) as u32
    }

    /// The span and column of `value` in line `line` (its first occurrence), or of the whole line.
    fn span(&self, line: u32, value: Option<&str>) -> (std::ops::Range<usize>, u32) {
        let start = self.start(line);
        let row = self.row(line);
        // The value as a whole cell (between delimiters or quotes) if it is one, else its first occurrence.
        let cell = |c: Option<char>| c.is_none_or(|c| matches!(c, ',' | ';' | '\t' | '"' | '\''));
        let found = value.filter(|v| !v.is_empty()).and_then(|v| {
            let whole = row.match_indices(v).map(|(at, _)| at).find(|&at| {
                cell(row[..at].chars().next_back()) && cell(row[at + v.len()..].chars().next())
            });
            whole.or_else(|| row.find(v)).map(|at| (at, v.len()))
        });
        match found {
            Some((at, len)) => (
                start + at..start + at + len,
                row[..at].chars().count() as u32 + 1,
            ),
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

/// Reads `text` (the file `path`) with `layout`, its date order decided from its values.
pub fn read_reports(path: &str, text: &str, layout: &Layout) -> ReadReports {
    read_reports_with_progress(path, text, layout, None, &mut |_| {})
}

/// How to read a file; each `None` is decided from the file (its name and header, its bytes, its dates).
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// The layout.
    pub layout: Option<Arc<Layout>>,
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
    /// The layout it was read with (`None` when none fits: then `read.refused` says so).
    pub layout: Option<String>,
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
            layout: None,
            read,
        }
    }
}

/// Reads the file `path` from its `bytes`: decoded (see [`crate::decode()`]; the layout's encoding when it
/// says one), with `options.layout` or the shipped layout its name and header fit, its dates in
/// `options.date_order`, the layout's, or the order its values decide. A file that cannot be read at all comes
/// back with `read.refused` and one rejected row saying why.
pub fn read_file(
    path: &str,
    bytes: &[u8],
    options: &ReadOptions,
    progress: &mut dyn FnMut(usize),
) -> ReadFile {
    let encoding = options
        .encoding
        .or_else(|| options.layout.as_ref().and_then(|l| l.encoding));
    let decoded = crate::decode::decode(bytes, encoding);
    let layout = match &options.layout {
        Some(l) => Ok(l.clone()),
        None => crate::layout::guess_layout(path, &decoded.text),
    };
    let mut read = match &layout {
        Ok(layout) => {
            read_reports_with_progress(path, &decoded.text, layout, options.date_order, progress)
        }
        Err(reason) => {
            let mut out = ReadReports::default();
            let lines = Lines::new(&decoded.text);
            out.reject(&lines, path, 1, "", reason.clone(), "a known layout", None);
            out.refused = Some(reason.clone());
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
        layout: layout.ok().map(|l| l.name.clone()),
        read,
    }
}

/// How often (in rows) reading reports how far it has got.
const PROGRESS_EVERY: usize = 4096;

/// [`read_reports`] with the date order said (`None`: the layout's, else decided from the file's values),
/// telling `progress` now and then how many bytes of `text` are read (for a progress bar on large files); the
/// last call is `text.len()`.
pub fn read_reports_with_progress(
    path: &str,
    text: &str,
    layout: &Layout,
    order: Option<DateOrder>,
    progress: &mut dyn FnMut(usize),
) -> ReadReports {
    let order = order.or(layout.date_order);
    let mut out = match layout.format {
        LayoutFormat::Csv => read_csv(path, text, layout, order, progress),
        LayoutFormat::Json | LayoutFormat::JsonLines | LayoutFormat::GeoJson => {
            read_json(path, text, layout, order, progress)
        }
    };
    out.layout = Some(layout.name.clone());
    progress(text.len());
    out
}

/// The zone a time without an offset is read in when a layout does not say: the theatre's.
pub const LOCAL_ZONE: &str = "Europe/Kyiv";

/// A problem with one field of a row: its name, what is wrong, what was expected, the value at fault.
#[derive(Debug)]
struct Bad {
    field: String,
    message: String,
    expected: String,
    value: Option<String>,
}

fn bad(field: &str, message: String, expected: &str, value: Option<&str>) -> Bad {
    Bad {
        field: field.to_owned(),
        message,
        expected: expected.to_owned(),
        value: value.map(str::to_owned),
    }
}

/// A row with its line, or why the line is not a row.
type Lined<'r> = (u32, Result<Box<dyn Row + 'r>, String>);

/// A JSON file's records with their lines and text, each parsed or why not.
type Records<'t> = Vec<(u32, &'t str, Result<serde_json::Value, String>)>;

/// A row of a file, its fields by the layout's ids (shared between the threads that read a file's rows).
trait Row: Sync {
    /// The field's first non-empty value, trimmed.
    fn first(&self, f: FieldId) -> Option<Cow<'_, str>>;
    /// Every non-empty value of the field (JSON paths through lists give several), trimmed.
    fn all(&self, f: FieldId) -> Vec<Cow<'_, str>>;
    /// The row's own point, `(lon, lat)` (GeoJSON features).
    fn point(&self) -> Option<(f64, f64)> {
        None
    }
    /// The record's text when it is not its line (JSON arrays: a file may be one line).
    fn record(&self) -> Option<&str> {
        None
    }
}

/// A CSV record, its columns found once per file.
struct CsvRow<'a> {
    record: &'a csv::StringRecord,
    columns: &'a [Option<usize>],
}

impl Row for CsvRow<'_> {
    fn first(&self, f: FieldId) -> Option<Cow<'_, str>> {
        let v = self
            .record
            .get(self.columns.get(f.0).copied().flatten()?)?
            .trim();
        (!v.is_empty()).then_some(Cow::Borrowed(v))
    }

    fn all(&self, f: FieldId) -> Vec<Cow<'_, str>> {
        self.first(f).into_iter().collect()
    }
}

/// A JSON record (a GeoJSON feature's properties, with its point).
struct JsonRow<'a> {
    /// The record's text, when it is not a line of its own (a JSON array's element, a feature).
    record: Option<&'a str>,
    value: &'a serde_json::Value,
    fields: &'a [FieldPath],
    point: Option<(f64, f64)>,
}

/// The values path `steps` reaches from `v`.
fn walk<'v>(v: &'v serde_json::Value, steps: &[Step], out: &mut Vec<&'v serde_json::Value>) {
    let Some((step, rest)) = steps.split_first() else {
        match v {
            serde_json::Value::Array(items) => out.extend(items.iter().filter(|i| !i.is_array())),
            _ => out.push(v),
        }
        return;
    };
    match step {
        Step::Key(k) => {
            if let Some(next) = v.get(k) {
                walk(next, rest, out);
            }
        }
        Step::Each => {
            for item in v.as_array().into_iter().flatten() {
                walk(item, rest, out);
            }
        }
        Step::Find { key, value } => {
            for item in v.as_array().into_iter().flatten() {
                if item.get(key).and_then(|k| k.as_str()) == Some(value.as_str()) {
                    walk(item, rest, out);
                }
            }
        }
    }
}

/// A JSON value as text (strings, numbers and booleans; nothing else is text).
fn json_text(v: &serde_json::Value) -> Option<Cow<'_, str>> {
    let text = match v {
        serde_json::Value::String(s) => Cow::Borrowed(s.trim()),
        serde_json::Value::Number(n) => Cow::Owned(n.to_string()),
        serde_json::Value::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

impl Row for JsonRow<'_> {
    fn first(&self, f: FieldId) -> Option<Cow<'_, str>> {
        self.all(f).into_iter().next()
    }

    fn all(&self, f: FieldId) -> Vec<Cow<'_, str>> {
        let Some(path) = self.fields.get(f.0) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        walk(self.value, &path.steps, &mut found);
        found.into_iter().filter_map(json_text).collect()
    }

    fn point(&self) -> Option<(f64, f64)> {
        self.point
    }

    fn record(&self) -> Option<&str> {
        self.record
    }
}

/// What a row gave: reports, or the skip rule that matched (its reason, the field and value it tested).
enum Outcome {
    Reports(Vec<Report>),
    Skipped(Bad),
}

/// Turns rows into reports with one layout: the file's date order; whether a time without an offset was read
/// in the layout's zone; the last date read (exports repeat them row after row).
struct Convert<'l> {
    layout: &'l Layout,
    order: Option<DateOrder>,
    local_seen: Cell<bool>,
    last_date: RefCell<Option<(String, When)>>,
    /// The row's fields lower-cased, by field (cleared for each row).
    lower: RefCell<Vec<Option<String>>>,
    /// Which word lists each field of the row has, by field (cleared for each row).
    found: RefCell<Vec<Option<Vec<bool>>>>,
    /// Reports placed by the area they name.
    by_area: Cell<usize>,
}

/// Which of the layout's word lists are in `hay` (a field's text, lower case) by `words`: each find counts when
/// it is a whole word (a plural `s`/`es` allowed) or, for a prefix word, a word's beginning.
fn found_words(hay: &str, words: &crate::layout::FieldWords, found: &mut [bool]) {
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    for m in words.finder.find_overlapping_iter(hay) {
        let Some(&(list, prefix)) = words.patterns.get(m.pattern().as_usize()) else {
            continue;
        };
        if found.get(list).copied().unwrap_or(true) {
            continue;
        }
        let rest = &hay[m.end()..];
        let whole = boundary(hay[..m.start()].chars().next_back())
            && (prefix
                || boundary(rest.chars().next())
                || ["s", "es"].iter().any(|p| {
                    rest.strip_prefix(p)
                        .is_some_and(|r| boundary(r.chars().next()))
                }));
        if whole && let Some(f) = found.get_mut(list) {
            *f = true;
        }
    }
}

impl Convert<'_> {
    fn name(&self, f: FieldId) -> &str {
        self.layout.field_name(f)
    }

    /// A field's text lower-cased (several values joined), for words and `contains`: computed once a row.
    fn lower(&self, row: &dyn Row, f: FieldId) -> std::cell::Ref<'_, str> {
        {
            let mut cache = self.lower.borrow_mut();
            if cache.len() <= f.0 {
                cache.resize(f.0 + 1, None);
            }
            if cache[f.0].is_none() {
                let mut out = String::new();
                for v in row.all(f) {
                    if !out.is_empty() {
                        out.push('\n');
                    }
                    out.push_str(&v.to_lowercase());
                }
                cache[f.0] = Some(out);
            }
        }
        std::cell::Ref::map(self.lower.borrow(), |c| {
            c.get(f.0).and_then(|v| v.as_deref()).unwrap_or("")
        })
    }

    /// What `rule` gives for `row`, if it holds.
    fn rule<T: Clone>(&self, rule: &Rule<T>, row: &dyn Row) -> Option<T> {
        let given = match (&rule.test, rule.field) {
            (Test::Always(t), _) => t.clone(),
            (_, None) => return None,
            (Test::Equals(values, t), Some(f)) => {
                let v = row.all(f);
                if !v.iter().any(|v| values.iter().any(|x| x == v.as_ref())) {
                    return None;
                }
                t.clone()
            }
            (Test::Contains(values, t), Some(f)) => {
                let v = self.lower(row, f);
                if !values.iter().any(|x| v.contains(x.as_str())) {
                    return None;
                }
                t.clone()
            }
            (Test::Table(table), Some(f)) => {
                let v = row.all(f);
                table
                    .iter()
                    .find(|(k, _)| v.iter().any(|v| v.as_ref() == k))
                    .map(|(_, t)| t.clone())?
            }
        };
        if let Some((fields, words)) = &rule.words {
            let found = fields.iter().any(|&f| self.has_words(row, f, words.id));
            if !found {
                return None;
            }
        }
        if let Some((fields, except)) = &rule.except
            && fields.iter().any(|&f| self.has_words(row, f, except.id))
        {
            return None;
        }
        Some(given)
    }

    /// A kind or target: the name in the layout's field, else the first rule that holds, else the default.
    fn classify<T: Copy>(
        &self,
        c: &Classify<T>,
        row: &dyn Row,
        from_name: fn(&str) -> Option<T>,
        names: &[&str],
    ) -> Result<Option<T>, Bad> {
        if let Some(f) = c.field
            && let Some(v) = row.first(f)
        {
            return from_name(&v).map(Some).ok_or_else(|| {
                let name = self.name(f);
                bad(
                    name,
                    format!("`{name}` is `{v}`, not a known value"),
                    &format!("one of {}", names.join(", ")),
                    Some(&v),
                )
            });
        }
        Ok(c.rules.iter().find_map(|r| self.rule(r, row)).or(c.default))
    }

    /// A number the layout says how to take.
    fn number(&self, n: &Number, row: &dyn Row, what: &str) -> Result<f64, Bad> {
        match n {
            Number::Fixed(x) => Ok(*x),
            Number::Presence {
                field,
                present,
                absent,
            } => Ok(if row.first(*field).is_some() {
                *present
            } else {
                *absent
            }),
            Number::Column {
                field,
                default,
                table,
            } => {
                let name = self.name(*field);
                let Some(v) = row.first(*field) else {
                    return default
                        .ok_or_else(|| bad(name, format!("`{name}` is missing"), what, None));
                };
                if table.is_empty() {
                    return match decimal(&v) {
                        Some(x) if x.is_finite() && x >= 0.0 => Ok(x),
                        _ => Err(bad(
                            name,
                            format!("`{name}` is `{v}`, not a number 0 or more"),
                            what,
                            Some(&v),
                        )),
                    };
                }
                let numeric = decimal(&v);
                table
                    .iter()
                    .find(|(k, _)| {
                        k == v.as_ref()
                            || numeric.is_some_and(|x| k.parse::<f64>().is_ok_and(|y| y == x))
                    })
                    .map(|(_, x)| *x)
                    .ok_or_else(|| {
                        let keys: Vec<&str> = table.iter().map(|(k, _)| k.as_str()).collect();
                        bad(
                            name,
                            format!(
                                "`{name}` is `{v}`, a value layout `{}` has no figure for",
                                self.layout.name
                            ),
                            &format!("one of {}", keys.join(", ")),
                            Some(&v),
                        )
                    })
            }
        }
    }

    /// A date or time field: the instant, and whether it is a whole day (then its noon in the zone).
    fn when(&self, row: &dyn Row, f: FieldId) -> Result<(Timestamp, bool), Bad> {
        let name = self.name(f);
        let v = row.first(f).ok_or_else(|| {
            bad(
                name,
                format!("`{name}` is missing"),
                crate::dates::DATE_FORMS,
                None,
            )
        })?;
        let cached = self
            .last_date
            .borrow()
            .as_ref()
            .filter(|(t, _)| t == v.as_ref())
            .map(|(_, w)| *w);
        let when = match cached {
            Some(w) => w,
            None => {
                let w = parse_when(&v, self.order).map_err(|e| {
                    bad(
                        name,
                        format!("`{name}` is `{v}`: {e}"),
                        crate::dates::DATE_FORMS,
                        Some(&v),
                    )
                })?;
                *self.last_date.borrow_mut() = Some((v.to_string(), w));
                w
            }
        };
        let zone = &self.layout.zone;
        let civil = |at: DateTime| {
            zone.to_ambiguous_timestamp(at)
                .compatible()
                .map_err(|e| bad(name, format!("`{name}` is `{v}`: {e}"), "a time", Some(&v)))
        };
        match when {
            When::Instant(t) if self.layout.by_day => Ok((
                civil(t.to_zoned(zone.clone()).date().at(12, 0, 0, 0))?,
                true,
            )),
            When::Instant(t) => Ok((t, false)),
            When::Civil { at, timed } => {
                self.local_seen.set(true);
                if timed && !self.layout.by_day {
                    Ok((civil(at)?, false))
                } else {
                    Ok((civil(at.date().at(12, 0, 0, 0))?, true))
                }
            }
        }
    }

    /// The row's reports (one, or one per piece of the layout's `each` field), or why it gives none.
    fn row(&self, row: &dyn Row) -> Result<Outcome, Bad> {
        for v in self.lower.borrow_mut().iter_mut() {
            *v = None;
        }
        for v in self.found.borrow_mut().iter_mut() {
            *v = None;
        }
        let l = self.layout;
        if let Some(skipped) = self.skipped(row) {
            return Ok(Outcome::Skipped(skipped));
        }
        // A feature with no point and no other way to be placed: said before anything else of it.
        if l.lat_lon.is_none() && l.area.is_none() && row.point().is_none() {
            return Err(no_point());
        }
        let id_name = self.name(l.id);
        let id = row.first(l.id).ok_or_else(|| {
            bad(
                id_name,
                format!("`{id_name}` is missing"),
                "the source's id for the report",
                None,
            )
        })?;
        let source = self.source(row)?;
        let source_kind = self.source_kind(row)?;
        let (time, time_precision) = self.time(row)?;
        let (place, place_precision) = self.place(row)?;
        let kind = self
            .classify(
                &l.kind,
                row,
                guarantor_core::EventKind::from_name,
                &guarantor_core::EventKind::names(),
            )?
            .ok_or_else(|| self.no_kind(row))?;
        let target = self.classify(
            &l.target,
            row,
            guarantor_core::Category::from_name,
            &guarantor_core::Category::names(),
        )?;
        let count = self.count(row)?;
        let (text, links) = self.text_and_links(row);
        let parties = l
            .parties
            .iter()
            .filter_map(|&f| row.first(f).map(|v| v.into_owned()))
            .collect();
        let report = Report {
            id: format!("{}{id}", l.id_prefix),
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
            count,
            text,
            parties,
            links,
        };
        Ok(Outcome::Reports(self.each(row, report)))
    }

    /// The first of the layout's skip rules the row matches, as why it is skipped.
    fn skipped(&self, row: &dyn Row) -> Option<Bad> {
        for skip in &self.layout.skip {
            if let Some(reason) = self.rule(skip, row) {
                let field = skip.field.map_or("", |f| self.name(f));
                let value = skip.field.and_then(|f| row.first(f)).map(|v| v.to_string());
                return Some(Bad {
                    field: field.to_owned(),
                    message: match &value {
                        Some(v) => format!("`{field}` is `{v}`: {reason}"),
                        None => reason,
                    },
                    expected: "a ceasefire event".into(),
                    value,
                });
            }
        }
        None
    }

    /// Who reports: the row's source field, else the layout's fixed source.
    fn source(&self, row: &dyn Row) -> Result<String, Bad> {
        let l = self.layout;
        match l.source.field.and_then(|f| row.first(f)) {
            Some(s) => Ok(s.to_string()),
            None => l.source.fixed.clone().ok_or_else(|| {
                let name = l.source.field.map_or("source", |f| self.name(f));
                bad(
                    name,
                    format!("`{name}` is missing"),
                    "who reports, e.g. smm-patrol-7",
                    None,
                )
            }),
        }
    }

    /// The kind of source: the row's source kind field, else the layout's fixed kind.
    fn source_kind(&self, row: &dyn Row) -> Result<SourceKind, Bad> {
        let l = self.layout;
        match l
            .source_kind
            .field
            .and_then(|f| row.first(f).map(|v| (f, v)))
        {
            Some((f, v)) => SourceKind::from_name(&v).ok_or_else(|| {
                let name = self.name(f);
                bad(
                    name,
                    format!("`{name}` is `{v}`, not a known value"),
                    "patrol, sensor, party or media",
                    Some(&v),
                )
            }),
            None => l.source_kind.fixed.ok_or_else(|| {
                let name = l.source_kind.field.map_or("source_kind", |f| self.name(f));
                bad(
                    name,
                    format!("`{name}` is missing"),
                    "patrol, sensor, party or media",
                    None,
                )
            }),
        }
    }

    /// When: the instant (a span's middle), and its precision in hours (at least half a day for a whole day,
    /// plus half the span).
    fn time(&self, row: &dyn Row) -> Result<(Timestamp, f64), Bad> {
        let l = self.layout;
        let (time, day, half_span) = match l.time {
            TimeAt::One(f) => {
                let (t, day) = self.when(row, f)?;
                (t, day, 0.0)
            }
            TimeAt::Span(s, e) => {
                let (t0, d0) = self.when(row, s)?;
                let (t1, d1) = self.when(row, e)?;
                if t1 < t0 {
                    let (sn, en) = (self.name(s), self.name(e));
                    let v = row.first(e).map(|v| v.to_string());
                    return Err(bad(
                        en,
                        format!("`{en}` is before `{sn}`"),
                        &format!("a date on or after {sn}"),
                        v.as_deref(),
                    ));
                }
                let half = (t1.as_second() - t0.as_second()) as f64 / 2.0;
                let mid = Timestamp::from_second(t0.as_second() + half as i64)
                    .map_err(|e| bad(self.name(s), e.to_string(), "a date", None))?;
                (mid, d0 || d1, half / 3600.0)
            }
        };
        let base = self.number(&l.time_precision, row, "hours, 0 or more")?;
        let time_precision = if day { base.max(12.0) } else { base } + half_span;
        Ok((time, time_precision))
    }

    /// Where: coordinates when the row has them; else the area it names (an oblast, at its size); else the
    /// feature's point. With its precision in km.
    fn place(&self, row: &dyn Row) -> Result<(Point<f64>, f64), Bad> {
        let l = self.layout;
        let given = l.lat_lon.filter(|(lat, lon)| {
            l.area.is_none() || row.first(*lat).is_some() || row.first(*lon).is_some()
        });
        let (place, by_area) = match (given, l.area) {
            (Some((lat, lon)), _) => {
                let coordinate = |f: FieldId, what: &str| -> Result<f64, Bad> {
                    let name = self.name(f);
                    let v = row
                        .first(f)
                        .ok_or_else(|| bad(name, format!("`{name}` is missing"), what, None))?;
                    decimal(&v).filter(|x| x.is_finite()).ok_or_else(|| {
                        bad(
                            name,
                            format!("`{name}` is `{v}`, not a number"),
                            what,
                            Some(&v),
                        )
                    })
                };
                let at = position(
                    coordinate(lat, "latitude in degrees")?,
                    coordinate(lon, "longitude in degrees")?,
                    (self.name(lat), self.name(lon)),
                )?;
                (at, None)
            }
            (None, Some(area)) => {
                let name = self.name(area);
                let gazetteer = crate::gazetteer::Gazetteer::ukraine();
                let expected = || format!("an oblast: one of {}", gazetteer.names().join(", "));
                let v = row.first(area).ok_or_else(|| {
                    bad(
                        name,
                        format!("no coordinates, and `{name}` is missing"),
                        &expected(),
                        None,
                    )
                })?;
                let found = gazetteer.find(&v).ok_or_else(|| {
                    bad(
                        name,
                        format!(
                            "no coordinates, and `{name}` is `{v}`, not an area guarantor knows"
                        ),
                        &expected(),
                        Some(&v),
                    )
                })?;
                (found.point, Some(found.radius_km))
            }
            (None, None) => {
                let (lon, lat) = row.point().ok_or_else(no_point)?;
                (position(lat, lon, ("lat", "lon"))?, None)
            }
        };
        let place_precision = match by_area {
            Some(radius) => {
                self.by_area.set(self.by_area.get() + 1);
                radius
            }
            None => self.number(&l.place_precision, row, "km, 0 or more")?,
        };
        Ok((place, place_precision))
    }

    /// How many the report counts: a whole number that fits.
    fn count(&self, row: &dyn Row) -> Result<u32, Bad> {
        let l = self.layout;
        let count = self.number(&l.count, row, "a whole number, 0 or more")?;
        if count.fract() != 0.0 || count > f64::from(u32::MAX) {
            let name = match l.count {
                Number::Column { field, .. } => self.name(field),
                _ => "count",
            };
            return Err(bad(
                name,
                format!("`{name}` is {count}"),
                "a whole number, 0 or more",
                None,
            ));
        }
        Ok(count as u32)
    }

    /// The text fields' values joined, each said once (a value an earlier one holds adds nothing), and the
    /// links, each once.
    fn text_and_links(&self, row: &dyn Row) -> (String, Vec<String>) {
        let l = self.layout;
        let mut parts: Vec<Cow<'_, str>> = Vec::new();
        for v in l.text.iter().flat_map(|&f| row.all(f)) {
            if !parts.iter().any(|p| p.contains(v.as_ref())) {
                parts.push(v);
            }
        }
        let text = parts.join(&l.join);
        let mut links: Vec<String> = Vec::new();
        for v in l.links.iter().flat_map(|&f| row.all(f)) {
            if !links.iter().any(|k| k == v.as_ref()) {
                links.push(v.into_owned());
            }
        }
        (text, links)
    }

    /// Why a row has no kind: the values the layout's rules looked at.
    fn no_kind(&self, row: &dyn Row) -> Bad {
        let l = self.layout;
        if let Some(f) = l.kind.field
            && l.kind.rules.is_empty()
        {
            let name = self.name(f);
            return bad(
                name,
                format!("`{name}` is missing"),
                &format!(
                    "what happened: one of {}",
                    guarantor_core::EventKind::names().join(", ")
                ),
                None,
            );
        }
        let tested = l.kind.rules.iter().find_map(|r| r.field);
        match tested {
            Some(f) => {
                let name = self.name(f);
                let v = row.first(f).map(|v| v.to_string());
                let known: Vec<&str> = l
                    .kind
                    .rules
                    .iter()
                    .filter(|r| r.field == Some(f))
                    .flat_map(|r| match &r.test {
                        Test::Table(t) => t.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
                        Test::Equals(v, _) | Test::Contains(v, _) => {
                            v.iter().map(String::as_str).collect()
                        }
                        Test::Always(_) => Vec::new(),
                    })
                    .collect();
                bad(
                    name,
                    match &v {
                        Some(v) => format!(
                            "`{name}` is `{v}`: not a ceasefire event (layout `{}` gives it no kind)",
                            l.name
                        ),
                        None => format!("`{name}` is missing"),
                    },
                    &format!("one of {}", known.join(", ")),
                    v.as_deref(),
                )
            }
            None => bad(
                "kind",
                format!("no rule of layout `{}` gives this row a kind", l.name),
                "a row its kind rules know",
                None,
            ),
        }
    }

    /// The report as one per piece of the layout's `each` field (each piece its source, `-aN` after its id).
    fn each(&self, row: &dyn Row, report: Report) -> Vec<Report> {
        let Some(each) = &self.layout.each else {
            return vec![report];
        };
        let pieces: Vec<String> = row
            .first(each.field)
            .map(|v| {
                v.trim_matches(|c| each.trim.contains(c))
                    .split(each.separator.as_str())
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        if pieces.is_empty() {
            return vec![report];
        }
        pieces
            .into_iter()
            .enumerate()
            .map(|(k, piece)| Report {
                id: format!("{}-a{}", report.id, k + 1),
                source: piece,
                ..report.clone()
            })
            .collect()
    }

    fn new(layout: &Layout, order: Option<DateOrder>) -> Convert<'_> {
        Convert {
            layout,
            order,
            local_seen: Cell::new(false),
            last_date: RefCell::new(None),
            lower: RefCell::new(Vec::new()),
            found: RefCell::new(Vec::new()),
            by_area: Cell::new(0),
        }
    }

    /// Whether field `f` of the row has a word of list `list` (every list's words found in one pass a field).
    fn has_words(&self, row: &dyn Row, f: FieldId, list: usize) -> bool {
        let cached = self
            .found
            .borrow()
            .get(f.0)
            .and_then(|v| v.as_ref().map(|v| v.get(list).copied()));
        if let Some(hit) = cached {
            return hit.unwrap_or(false);
        }
        let mut found = vec![false; self.layout.word_lists];
        if let Some(words) = self.layout.words.iter().find(|w| w.field == f) {
            found_words(&self.lower(row, f), words, &mut found);
        }
        let hit = found.get(list).copied().unwrap_or(false);
        let mut cache = self.found.borrow_mut();
        if cache.len() <= f.0 {
            cache.resize(f.0 + 1, None);
        }
        cache[f.0] = Some(found);
        hit
    }

    /// The note a file gets when some of its times had no offset (`local_seen`).
    fn notes(layout: &Layout, local_seen: bool) -> Vec<String> {
        if local_seen {
            vec![format!(
                "times without an offset are read in {}{}",
                layout.zone_name,
                if layout.by_day {
                    " (a day is its noon there, ± 12 h)"
                } else {
                    ""
                }
            )]
        } else {
            Vec::new()
        }
    }
}

/// Why a GeoJSON feature cannot be placed.
fn no_point() -> Bad {
    bad(
        "geometry",
        "the feature has no point geometry".into(),
        "a Point with [lon, lat]",
        None,
    )
}

/// A number as spreadsheets write it: `47.8392`, or with a decimal comma, `47,8392` (as Ukrainian and most
/// European locales save a `;`-delimited file).
fn decimal(v: &str) -> Option<f64> {
    v.parse::<f64>().ok().or_else(|| {
        (v.matches(',').count() == 1 && !v.contains('.'))
            .then(|| v.replace(',', ".").parse::<f64>().ok())
            .flatten()
    })
}

fn position(lat: f64, lon: f64, names: (&str, &str)) -> Result<Point<f64>, Bad> {
    if !(-90.0..=90.0).contains(&lat) {
        return Err(bad(
            names.0,
            format!("latitude {lat} is out of range"),
            "-90 to 90",
            None,
        ));
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(bad(
            names.1,
            format!("longitude {lon} is out of range"),
            "-180 to 180",
            None,
        ));
    }
    Ok(Point::new(lon, lat))
}

impl ReadReports {
    /// Makes the last rejection point at `record` (a JSON record within line `line`), not at its whole line:
    /// its row is the record's text, its span the value at fault inside the record (or the record).
    fn narrow_last(&mut self, lines: &Lines<'_>, line: u32, record: &str) {
        let start = crate::geometry::offset_in(lines.text, record);
        if let Some(d) = self.diagnostics.last_mut() {
            let value = &lines.text[d.location.span.clone()];
            let span = match (!value.is_empty()).then(|| record.find(value)).flatten() {
                Some(at) => start + at..start + at + value.len(),
                None => start..start + record.len(),
            };
            let line_start = lines.start(line).min(span.start);
            d.location.column = lines.text[line_start..span.start].chars().count() as u32 + 1;
            d.location.span = span;
        }
        if let Some(r) = self.rejected.last_mut() {
            r.row = record.to_owned();
        }
    }

    /// Refuses the whole file: `reason` at line 1.
    fn refuse(
        &mut self,
        lines: &Lines<'_>,
        path: &str,
        field: &str,
        reason: String,
        expected: &str,
    ) {
        self.reject(lines, path, 1, field, reason.clone(), expected, None);
        self.refused = Some(reason);
    }

    /// Decides the rows' date order (from the layout's date fields) and reads each row into reports or a
    /// rejection; `rows` are (line, row or why it is not one).
    fn convert_rows<'r>(
        &mut self,
        lines: &Lines<'_>,
        path: &str,
        layout: &Layout,
        order: Option<DateOrder>,
        rows: &[Lined<'r>],
        progress: &mut dyn FnMut(usize),
    ) {
        let Some(order) = self.date_order_of(lines, path, layout, order, rows) else {
            return;
        };
        self.date_order = order;
        let converted = convert_all(lines, layout, order, rows, progress);
        let fates = fates(layout, rows, &converted.outcomes);
        let joined = self.place_outcomes(lines, path, layout, rows, converted.outcomes, fates);
        self.notes = Convert::notes(layout, converted.local_seen);
        self.file_notes(layout, rows, converted.by_area, joined);
    }

    /// The rows' date order: `order` when given, else decided from the values of the layout's date fields
    /// (`None`: they cannot be read one way, and the file is refused).
    fn date_order_of(
        &mut self,
        lines: &Lines<'_>,
        path: &str,
        layout: &Layout,
        order: Option<DateOrder>,
        rows: &[Lined<'_>],
    ) -> Option<Option<DateOrder>> {
        if order.is_some() {
            return Some(order);
        }
        let mut decided: Option<DateOrder> = None;
        for f in layout.date_fields() {
            let values: Vec<Cow<'_, str>> = rows
                .iter()
                .filter_map(|(_, r)| r.as_ref().ok().and_then(|r| r.first(f)))
                .collect();
            match DateOrder::decide(layout.field_name(f), values.iter().map(|v| v.as_ref())) {
                Err(reason) => {
                    self.refuse(
                        lines,
                        path,
                        layout.field_name(f),
                        reason,
                        crate::dates::DATE_FORMS,
                    );
                    return None;
                }
                Ok(Some(o)) if decided.is_some_and(|d| d != o) => {
                    self.refuse(
                        lines,
                        path,
                        layout.field_name(f),
                        "the date columns are written in different orders".into(),
                        crate::dates::DATE_FORMS,
                    );
                    return None;
                }
                Ok(o) => decided = decided.or(o),
            }
        }
        Some(decided)
    }

    /// Puts each row's reports in `self.reports` (a repeated event's links joined to the first's, a clashing id
    /// rejected, as `fates` says) or its rejection in `self.rejected`, in file order; how many reports were
    /// joined.
    fn place_outcomes(
        &mut self,
        lines: &Lines<'_>,
        path: &str,
        layout: &Layout,
        rows: &[Lined<'_>],
        outcomes: Vec<Result<Outcome, Bad>>,
        fates: Vec<Fate>,
    ) -> usize {
        let mut fates = fates.into_iter();
        // Where each report (by its ordinal in the file) went in `self.reports`.
        let mut placed: Vec<usize> = Vec::with_capacity(outcomes.len());
        self.reports.reserve(outcomes.len());
        let mut joined = 0usize;
        for ((line, row), result) in rows.iter().zip(outcomes) {
            let rejected = self.rejected.len();
            match result {
                Ok(Outcome::Reports(reports)) => {
                    for r in reports {
                        placed.push(self.reports.len());
                        match fates.next() {
                            Some(Fate::Keep) | None => self.reports.push(r),
                            Some(Fate::Join(first)) => {
                                let at = placed.get(first).copied().unwrap_or_default();
                                if let Some(kept) = self.reports.get_mut(at) {
                                    for link in r.links {
                                        if !kept.links.contains(&link) {
                                            kept.links.push(link);
                                        }
                                    }
                                }
                                joined += 1;
                            }
                            Some(Fate::Clash(first)) => {
                                let field = layout.field_name(layout.id);
                                let value = r.id.strip_prefix(&layout.id_prefix).unwrap_or(&r.id);
                                let first = match first {
                                    Where::Line(l) => format!("line {l}"),
                                    Where::Record(n) => format!("record {n}"),
                                };
                                self.reject(
                                    lines,
                                    path,
                                    *line,
                                    field,
                                    format!(
                                        "`{field}` {value} is {first}'s too, with another event: the export \
                                         repeats an id (the first is kept)"
                                    ),
                                    "an id used once in the file",
                                    Some(value),
                                );
                            }
                        }
                    }
                }
                Ok(Outcome::Skipped(b)) | Err(b) => self.reject(
                    lines,
                    path,
                    *line,
                    &b.field,
                    b.message,
                    &b.expected,
                    b.value.as_deref(),
                ),
            }
            if self.rejected.len() > rejected
                && let Some(record) = row.as_ref().ok().and_then(|r| r.record())
            {
                self.narrow_last(lines, *line, record);
            }
        }
        joined
    }

    /// The notes on the whole file, after the layout's: fields no row has a value for, rows placed by the
    /// area they name (`by_area`), rows joined to an event read above (`joined`).
    fn file_notes(&mut self, layout: &Layout, rows: &[Lined<'_>], by_area: usize, joined: usize) {
        // A field no row has a value for is most likely misnamed (a column the file calls otherwise, a JSON path
        // one step off): said, since its rules and numbers then quietly take their defaults.
        if !rows.is_empty() {
            let empty: Vec<String> = (0..layout.fields.len())
                .map(FieldId)
                .filter(|&f| {
                    !rows
                        .iter()
                        .any(|(_, r)| r.as_ref().is_ok_and(|r| r.first(f).is_some()))
                })
                .map(|f| format!("`{}`", layout.field_name(f)))
                .collect();
            if !empty.is_empty() {
                self.notes.push(format!(
                    "no row has a value for {} (layout `{}`): check the names against the file's",
                    empty.join(", "),
                    layout.name
                ));
            }
        }
        if by_area > 0 {
            self.notes.push(format!(
                "{by_area} row(s) with no coordinates are placed in the area they name, a circle of its size"
            ));
        }
        if joined > 0 {
            self.notes.push(format!(
                "{joined} row(s) repeat an event read above (the same, or with other source links): their links \
                 are added to it"
            ));
        }
    }
}

/// Every row's outcome, in file order, with what the conversion saw on the way.
struct Converted {
    outcomes: Vec<Result<Outcome, Bad>>,
    /// A time without an offset was read in the layout's zone.
    local_seen: bool,
    /// Reports placed by the area they name.
    by_area: usize,
}

/// Converts the rows in batches, each batch's rows split between the cores (each thread with its own caches).
fn convert_all(
    lines: &Lines<'_>,
    layout: &Layout,
    order: Option<DateOrder>,
    rows: &[Lined<'_>],
    progress: &mut dyn FnMut(usize),
) -> Converted {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let mut outcomes: Vec<Result<Outcome, Bad>> = Vec::with_capacity(rows.len());
    let mut local_seen = false;
    let mut by_area = 0usize;
    for batch in rows.chunks(PROGRESS_EVERY * 16) {
        progress(lines.start(batch.first().map_or(0, |(line, _)| *line)));
        let part = batch.len().div_ceil(threads).max(1);
        let done = std::thread::scope(|scope| {
            let handles: Vec<_> = batch
                .chunks(part)
                .map(|part| {
                    scope.spawn(move || {
                        let convert = Convert::new(layout, order);
                        let out: Vec<Result<Outcome, Bad>> = part
                            .iter()
                            .map(|(_, row)| match row {
                                Err(reason) => Err(bad(
                                    "",
                                    reason.clone(),
                                    "a record the layout can read",
                                    None,
                                )),
                                Ok(row) => convert.row(row.as_ref()),
                            })
                            .collect();
                        (out, convert.local_seen.get(), convert.by_area.get())
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect::<Vec<_>>()
        });
        for (out, seen, areas) in done {
            outcomes.extend(out);
            local_seen |= seen;
            by_area += areas;
        }
    }
    Converted {
        outcomes,
        local_seen,
        by_area,
    }
}

/// Where an event was first read: a line (CSV, JSON lines) or a record (JSON, GeoJSON).
#[derive(Clone, Copy)]
enum Where {
    Line(u32),
    Record(usize),
}

/// What becomes of a report: kept, joined to the report of that ordinal (the same event again), or rejected
/// (another event under an id used where it says).
enum Fate {
    Keep,
    Join(usize),
    Clash(Where),
}

/// Each report's fate, by its ordinal in the file. Within the file, a (source, id) seen before is the same
/// event again (its links join the first's) or another event under a used id (rejected, naming where the
/// first is). Decided first, on borrowed ids.
fn fates(layout: &Layout, rows: &[Lined<'_>], outcomes: &[Result<Outcome, Bad>]) -> Vec<Fate> {
    let mut fates: Vec<Fate> = Vec::with_capacity(outcomes.len());
    let mut firsts: std::collections::HashMap<(&str, &str), (usize, &Report, Where)> =
        std::collections::HashMap::with_capacity(outcomes.len());
    let mut ordinal = 0;
    for (n, ((line, _), result)) in rows.iter().zip(outcomes).enumerate() {
        let Ok(Outcome::Reports(reports)) = result else {
            continue;
        };
        for r in reports {
            let fate = match firsts.get(&(r.source.as_str(), r.id.as_str())) {
                Some(&(first, earlier, at)) => {
                    let without_links = |x: &Report| Report {
                        links: Vec::new(),
                        ..x.clone()
                    };
                    if without_links(earlier) == without_links(r) {
                        Fate::Join(first)
                    } else {
                        Fate::Clash(at)
                    }
                }
                None => {
                    let at = match layout.format {
                        LayoutFormat::Json | LayoutFormat::GeoJson => Where::Record(n + 1),
                        _ => Where::Line(*line),
                    };
                    firsts.insert((r.source.as_str(), r.id.as_str()), (ordinal, r, at));
                    Fate::Keep
                }
            };
            fates.push(fate);
            ordinal += 1;
        }
    }
    fates
}

fn read_csv(
    path: &str,
    text: &str,
    layout: &Layout,
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
            out.refuse(
                &lines,
                path,
                "",
                format!("the header row cannot be read: {e}"),
                "a CSV header row",
            );
            return out;
        }
    };
    if layout.strict
        && let Some(unknown) = header
            .iter()
            .find(|h| !layout.field_names().any(|n| n == h.as_str()))
    {
        let known: Vec<&str> = layout.field_names().collect();
        out.refuse(
            &lines,
            path,
            unknown,
            format!("unknown column `{unknown}` (layout `{}`)", layout.name),
            &known.join(", "),
        );
        return out;
    }
    let columns: Vec<Option<usize>> = layout
        .fields
        .iter()
        .map(|f| header.iter().position(|h| *h == f.name))
        .collect();
    let missing: Vec<&str> = layout
        .required()
        .into_iter()
        .filter(|f| columns[f.0].is_none())
        .map(|f| layout.field_name(f))
        .collect();
    if !missing.is_empty() {
        out.refuse(
            &lines,
            path,
            missing[0],
            format!(
                "the header has no column {} that layout `{}` reads",
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                layout.name
            ),
            &format!("the columns of layout `{}`", layout.name),
        );
        return out;
    }
    // A record's line from its first byte (the reader's own line count is one short after a CRLF line end).
    let line_at = |p: Option<&csv::Position>| {
        p.map_or(0, |p| {
            let mut at = p.byte() as usize;
            while text
                .as_bytes()
                .get(at)
                .is_some_and(|b| *b == b'\n' || *b == b'\r')
            {
                at += 1;
            }
            lines.line_of(at)
        })
    };
    let records: Vec<(u32, Result<csv::StringRecord, String>)> = reader
        .records()
        .map(|r| match r {
            Ok(r) => (line_at(r.position()), Ok(r)),
            Err(e) => (
                line_at(e.position()),
                Err(match e.kind() {
                    csv::ErrorKind::UnequalLengths { len, .. } => {
                        format!("the row has {len} fields, the header {}", header.len())
                    }
                    _ => format!("the row cannot be read: {e}"),
                }),
            ),
        })
        .collect();
    let rows: Vec<Lined<'_>> = records
        .iter()
        .map(|(line, r)| {
            (
                *line,
                r.as_ref()
                    .map(|record| {
                        Box::new(CsvRow {
                            record,
                            columns: &columns,
                        }) as Box<dyn Row>
                    })
                    .map_err(String::clone),
            )
        })
        .collect();
    out.convert_rows(&lines, path, layout, order, &rows, progress);
    out
}

/// The records of a JSON file: an array (or the array under the layout's `records` key), one object per line,
/// or a FeatureCollection's features; each with its line.
fn json_records<'t>(
    text: &'t str,
    layout: &Layout,
    lines: &Lines<'t>,
) -> Result<Records<'t>, (u32, String)> {
    type Raw<'a> = Vec<&'a serde_json::value::RawValue>;
    let parse_all = |raws: Raw<'t>| -> Records<'t> {
        raws.into_iter()
            .map(|raw| {
                let line = lines.line_of(crate::geometry::offset_in(text, raw.get()));
                (
                    line,
                    raw.get(),
                    serde_json::from_str(raw.get()).map_err(|e| e.to_string()),
                )
            })
            .collect()
    };
    match layout.format {
        LayoutFormat::JsonLines => Ok(text
            .lines()
            .enumerate()
            .filter(|(_, row)| !row.trim().is_empty())
            .map(|(i, row)| {
                let value = match serde_json::from_str::<serde_json::Value>(row) {
                    Ok(v @ serde_json::Value::Object(_)) => Ok(v),
                    Ok(_) => Err("the line is not a JSON object".to_owned()),
                    Err(e) => Err(format!("the line is not JSON: {e}")),
                };
                (i as u32 + 1, row, value)
            })
            .collect()),
        LayoutFormat::GeoJson | LayoutFormat::Json => {
            let key = match (layout.format, &layout.records) {
                (_, Some(k)) => Some(k.as_str()),
                (LayoutFormat::GeoJson, None) => Some("features"),
                _ => None,
            };
            let what = if layout.format == LayoutFormat::GeoJson {
                "a GeoJSON FeatureCollection"
            } else {
                "a JSON array of records"
            };
            let raws: Raw<'t> = match key {
                None => serde_json::from_str(text)
                    .map_err(|e| (e.line() as u32, format!("the file is not {what}: {e}")))?,
                Some(key) => {
                    let top: std::collections::BTreeMap<&str, &serde_json::value::RawValue> =
                        serde_json::from_str(text).map_err(|e| {
                            (e.line() as u32, format!("the file is not {what}: {e}"))
                        })?;
                    let list = top
                        .get(key)
                        .ok_or_else(|| (1, format!("no `{key}` array: the file is not {what}")))?;
                    serde_json::from_str(list.get()).map_err(|e| {
                        (
                            lines.line_of(crate::geometry::offset_in(text, list.get())),
                            format!("`{key}` is not an array: {e}"),
                        )
                    })?
                }
            };
            Ok(parse_all(raws))
        }
        LayoutFormat::Csv => Ok(Vec::new()),
    }
}

fn read_json(
    path: &str,
    text: &str,
    layout: &Layout,
    order: Option<DateOrder>,
    progress: &mut dyn FnMut(usize),
) -> ReadReports {
    let mut out = ReadReports::default();
    let lines = Lines::new(text);
    let records = match json_records(text, layout, &lines) {
        Ok(r) => r,
        Err((line, reason)) => {
            out.reject(
                &lines,
                path,
                line.max(1),
                "",
                reason.clone(),
                "JSON the layout can read",
                None,
            );
            out.refused = Some(reason);
            return out;
        }
    };
    let geojson = layout.format == LayoutFormat::GeoJson;
    let null = serde_json::Value::Null;
    let rows: Vec<Lined<'_>> = records
        .iter()
        .map(|(line, raw, value)| {
            let row = value.as_ref().map_err(String::clone).and_then(|v| {
                if !v.is_object() {
                    return Err("the record is not a JSON object".to_owned());
                }
                let (value, point) = if geojson {
                    let point = v
                        .pointer("/geometry/coordinates")
                        .and_then(|c| c.as_array())
                        .filter(|_| {
                            v.pointer("/geometry/type").and_then(|t| t.as_str()) == Some("Point")
                        })
                        .and_then(|c| Some((c.first()?.as_f64()?, c.get(1)?.as_f64()?)));
                    (v.get("properties").unwrap_or(&null), point)
                } else {
                    (v, None)
                };
                Ok(Box::new(JsonRow {
                    record: (layout.format != LayoutFormat::JsonLines).then_some(*raw),
                    value,
                    fields: &layout.fields,
                    point,
                }) as Box<dyn Row>)
            });
            (*line, row)
        })
        .collect();
    out.convert_rows(&lines, path, layout, order, &rows, progress);
    out
}

/// `reports` in guarantor's own CSV layout (the columns the `csv` layout reads),
/// header first; reading the text back gives the same reports.
pub fn reports_csv(reports: &[Report]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing into a Vec cannot fail.
    let _ = w.write_record([
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
    ]);
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
