//! Layouts: how one export's columns (CSV) or keys (JSON) become reports, written as TOML files a user can read
//! and write (docs/layouts.md). guarantor ships layouts for its own CSV, JSON lines and GeoJSON, UCDP GED, ACLED,
//! the CIR Russia-Ukraine Monitor and Bellingcat's civilian-harm set; any other is a file named with
//! `--layout FILE`. A broken layout gets the scenario files' diagnostics (file, line, column, key, expected).

use std::sync::{Arc, OnceLock};

use guarantor_core::{Category, Diagnostic, EventKind, SourceKind};
use jiff::tz::TimeZone;
use toml::de::DeTable;

use crate::dates::DateOrder;
use crate::diag::Sink;
use crate::reader::{Rec, Sp, parse_toml};
use crate::sources::File;

/// The file format a layout reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LayoutFormat {
    /// Delimited text with a header row (`,` `;` or tab, decided per file).
    Csv,
    /// A JSON array of objects (or, with `records`, the array under that key of a JSON object).
    Json,
    /// One JSON object per line.
    JsonLines,
    /// A GeoJSON FeatureCollection: fields are the features' properties, the place their point.
    GeoJson,
}

impl LayoutFormat {
    const ALL: [(LayoutFormat, &'static str); 4] = [
        (LayoutFormat::Csv, "csv"),
        (LayoutFormat::Json, "json"),
        (LayoutFormat::JsonLines, "jsonl"),
        (LayoutFormat::GeoJson, "geojson"),
    ];

    fn from_name(name: &str) -> Option<LayoutFormat> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(f, _)| *f)
    }

    /// The format's name in a layout file.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(f, _)| *f == self)
            .map_or("csv", |(_, n)| n)
    }
}

/// One step of a JSON path: a key, every element of a list, or the element of a list whose `key` is `value`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Step {
    Key(String),
    Each,
    Find { key: String, value: String },
}

/// A field a layout reads: a column's name (CSV), or a path into each record (JSON).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FieldPath {
    pub(crate) name: String,
    pub(crate) steps: Vec<Step>,
}

/// A field by its place in [`Layout::fields`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FieldId(pub(crate) usize);

/// A number a report takes: fixed, a column's value (or its value looked up in a table), or one of two values
/// by whether a column has a value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Number {
    Fixed(f64),
    Column {
        field: FieldId,
        default: Option<f64>,
        table: Vec<(String, f64)>,
    },
    Presence {
        field: FieldId,
        present: f64,
        absent: f64,
    },
}

/// What a rule asks of its `field`'s value, and what it gives.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Test<T> {
    /// The value is one of these (exactly, after trimming).
    Equals(Vec<String>, T),
    /// The value holds one of these (ignoring case).
    Contains(Vec<String>, T),
    /// The value is a key of the table: its entry.
    Table(Vec<(String, T)>),
    /// No test of a field (the rule's words decide).
    Always(T),
}

/// Words and phrases looked for in a text, ignoring case: whole words (a plural `s`/`es` allowed), or any word
/// beginning so when written with a final `*`. Each list has an id; the layout finds every list's words in a
/// field in one pass ([`FieldWords`]).
#[derive(Clone, Debug)]
pub(crate) struct Words {
    pub(crate) id: usize,
    pub(crate) texts: Vec<String>,
    pub(crate) prefix: Vec<bool>,
}

/// Every word any rule looks for in one field, found in one pass (Aho-Corasick, all matches): each pattern's
/// word list and whether it is a prefix.
#[derive(Clone, Debug)]
pub(crate) struct FieldWords {
    pub(crate) field: FieldId,
    pub(crate) finder: aho_corasick::AhoCorasick,
    pub(crate) patterns: Vec<(usize, bool)>,
}

/// A rule: a test of one field and/or words in some fields; both must hold when both are given.
#[derive(Clone, Debug)]
pub(crate) struct Rule<T> {
    pub(crate) field: Option<FieldId>,
    pub(crate) test: Test<T>,
    pub(crate) words: Option<(Vec<FieldId>, Words)>,
    /// Words that, found in the same fields, stop the rule from holding (`except`: "drone footage" is a camera).
    pub(crate) except: Option<(Vec<FieldId>, Words)>,
}

/// How a value from a closed vocabulary (a kind, a target) is found: a field holding its name, rules in order,
/// a default.
#[derive(Clone, Debug)]
pub(crate) struct Classify<T> {
    pub(crate) field: Option<FieldId>,
    pub(crate) rules: Vec<Rule<T>>,
    pub(crate) default: Option<T>,
}

/// When a report happened: one field, or a span between two (its middle).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TimeAt {
    One(FieldId),
    Span(FieldId, FieldId),
}

/// One report per piece of a field's value (UCDP's source articles): each piece is the report's source.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Each {
    pub(crate) field: FieldId,
    pub(crate) separator: String,
    pub(crate) trim: String,
}

/// Where a report's source (or its kind) comes from: fixed, or a field (with the fixed value when it is empty).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Named<T> {
    pub(crate) field: Option<FieldId>,
    pub(crate) fixed: Option<T>,
}

/// A layout, read from its TOML.
#[derive(Clone, Debug)]
pub struct Layout {
    /// Its name (what `--layout` takes).
    pub name: String,
    /// What export it reads.
    pub description: String,
    /// The file format.
    pub format: LayoutFormat,
    /// Where it came from: `built-in` or the file's path.
    pub origin: String,
    /// The header columns (JSON: the first record's keys) that name this layout when none is given; empty: the
    /// layout is used only by name.
    pub detect: Vec<String>,
    /// The zone of dates and times without an offset.
    pub zone_name: String,
    /// Day first or month first, when the layout says.
    pub date_order: Option<DateOrder>,
    /// The encoding, when the layout says.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub(crate) zone: TimeZone,
    pub(crate) records: Option<String>,
    pub(crate) strict: bool,
    pub(crate) fields: Vec<FieldPath>,
    pub(crate) source: Named<String>,
    pub(crate) source_kind: Named<SourceKind>,
    pub(crate) id: FieldId,
    pub(crate) id_prefix: String,
    pub(crate) time: TimeAt,
    pub(crate) by_day: bool,
    pub(crate) time_precision: Number,
    pub(crate) lat_lon: Option<(FieldId, FieldId)>,
    /// A field naming the area (an oblast) a row with no coordinates is placed in.
    pub(crate) area: Option<FieldId>,
    pub(crate) place_precision: Number,
    pub(crate) kind: Classify<EventKind>,
    pub(crate) target: Classify<Category>,
    pub(crate) count: Number,
    pub(crate) text: Vec<FieldId>,
    pub(crate) join: String,
    pub(crate) links: Vec<FieldId>,
    pub(crate) parties: Vec<FieldId>,
    pub(crate) skip: Vec<Rule<String>>,
    pub(crate) each: Option<Each>,
    /// Every rule's words, by field.
    pub(crate) words: Vec<FieldWords>,
    /// How many word lists the rules have.
    pub(crate) word_lists: usize,
}

impl Layout {
    /// The name of field `id`, for messages.
    pub(crate) fn field_name(&self, id: FieldId) -> &str {
        self.fields.get(id.0).map_or("", |f| f.name.as_str())
    }

    /// The fields a row must have for this layout to read it at all (a CSV header lacking one refuses the file).
    pub(crate) fn required(&self) -> Vec<FieldId> {
        let mut out = vec![self.id];
        match self.time {
            TimeAt::One(f) => out.push(f),
            TimeAt::Span(a, b) => out.extend([a, b]),
        }
        if let Some((a, b)) = self.lat_lon
            && self.area.is_none()
        {
            out.extend([a, b]);
        }
        out
    }

    /// The fields holding dates (their values decide a file's date order).
    pub(crate) fn date_fields(&self) -> Vec<FieldId> {
        match self.time {
            TimeAt::One(f) => vec![f],
            TimeAt::Span(a, b) => vec![a, b],
        }
    }

    /// Every field the layout names, by name (a strict CSV layout refuses a file with any other column).
    pub(crate) fn field_names(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|f| f.name.as_str())
    }
}

/// The layouts guarantor ships, in the order a file's header is matched against them.
const BUILTIN: [(&str, &str); 8] = [
    ("csv", include_str!("../layouts/csv.toml")),
    ("jsonl", include_str!("../layouts/jsonl.toml")),
    ("geojson", include_str!("../layouts/geojson.toml")),
    ("ucdp", include_str!("../layouts/ucdp.toml")),
    (
        "ucdp-articles",
        include_str!("../layouts/ucdp-articles.toml"),
    ),
    ("acled", include_str!("../layouts/acled.toml")),
    ("cir", include_str!("../layouts/cir.toml")),
    ("bellingcat", include_str!("../layouts/bellingcat.toml")),
];

/// The shipped layouts' files (file name, TOML): to show or copy as a start for one's own.
pub fn builtin_layout_files() -> impl Iterator<Item = (&'static str, &'static str)> {
    BUILTIN.iter().copied()
}

/// The shipped layouts, read once. (A shipped layout that does not read is left out; a test holds them all
/// readable.)
pub fn builtin_layouts() -> &'static [Arc<Layout>] {
    static LAYOUTS: OnceLock<Vec<Arc<Layout>>> = OnceLock::new();
    LAYOUTS.get_or_init(|| {
        BUILTIN
            .iter()
            .filter_map(|(name, text)| {
                read_layout(&format!("<built-in>/{name}.toml"), text)
                    .ok()
                    .map(|mut l| {
                        l.origin = "built-in".into();
                        Arc::new(l)
                    })
            })
            .collect()
    })
}

/// The shipped layout called `name`.
pub fn layout_named(name: &str) -> Option<Arc<Layout>> {
    builtin_layouts().iter().find(|l| l.name == name).cloned()
}

/// The shipped layouts' names, for messages.
pub fn layout_names() -> Vec<&'static str> {
    BUILTIN.iter().map(|(n, _)| *n).collect()
}

/// The layout a file is in, from its name and its first record: its format from the name and first bytes,
/// then the shipped layout of that format whose `detect` columns the header (or first record's keys) has —
/// the one naming the most when several do. `Err` says why none fits.
pub fn guess_layout(path: &str, text: &str) -> Result<Arc<Layout>, String> {
    let format = guess_format(path, text);
    let keys = first_keys(format, text);
    builtin_layouts()
        .iter()
        .filter(|l| l.format == format && !l.detect.is_empty())
        .filter(|l| l.detect.iter().all(|d| keys.iter().any(|k| k == d)))
        .max_by_key(|l| (l.detect.len(), std::cmp::Reverse(l.name.len())))
        .cloned()
        .ok_or_else(|| {
            let shown: Vec<&str> = keys.iter().take(12).map(String::as_str).collect();
            format!(
                "no layout fits this {} file ({}: {}{}); name one with --layout ({}) or a layout file \
                 (docs/layouts.md)",
                format.name(),
                if format == LayoutFormat::Csv {
                    "its columns"
                } else {
                    "its first record's keys"
                },
                if shown.is_empty() {
                    "none".to_owned()
                } else {
                    shown.join(", ")
                },
                if keys.len() > shown.len() { ", …" } else { "" },
                layout_names().join(", ")
            )
        })
}

/// A file's format from its name, else its first bytes.
fn guess_format(path: &str, text: &str) -> LayoutFormat {
    let lower = path.to_ascii_lowercase();
    let head = text.trim_start_matches('\u{feff}').trim_start();
    let first_line = head.lines().next().unwrap_or("");
    if lower.ends_with(".geojson") {
        return LayoutFormat::GeoJson;
    }
    if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
        return LayoutFormat::JsonLines;
    }
    if head.starts_with('[') {
        return LayoutFormat::Json;
    }
    if head.starts_with('{') {
        let sample = &head[..head.len().min(4096)];
        if sample.contains("\"FeatureCollection\"") {
            return LayoutFormat::GeoJson;
        }
        if serde_json::from_str::<serde_json::Value>(first_line).is_ok() {
            return LayoutFormat::JsonLines;
        }
        return LayoutFormat::Json;
    }
    LayoutFormat::Csv
}

/// The header's columns (CSV) or the first record's keys (JSON), for guessing a layout.
fn first_keys(format: LayoutFormat, text: &str) -> Vec<String> {
    let object_keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    match format {
        LayoutFormat::Csv => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(true)
                .delimiter(crate::decode::delimiter(text))
                .from_reader(text.as_bytes());
            reader
                .headers()
                .map(|h| h.iter().map(|c| c.trim().to_owned()).collect())
                .unwrap_or_default()
        }
        LayoutFormat::JsonLines => text
            .lines()
            .find(|l| !l.trim().is_empty())
            .and_then(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .map(|v| object_keys(&v))
            .unwrap_or_default(),
        LayoutFormat::Json => serde_json::from_str::<Vec<&serde_json::value::RawValue>>(text)
            .ok()
            .and_then(|records| records.first().map(|r| r.get().to_owned()))
            .and_then(|r| serde_json::from_str::<serde_json::Value>(&r).ok())
            .map(|v| object_keys(&v))
            .unwrap_or_default(),
        LayoutFormat::GeoJson => serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|v| v.pointer("/features/0/properties").cloned())
            .map(|v| object_keys(&v))
            .unwrap_or_default(),
    }
}

/// A JSON path: `a.b`, `list[].x` (every element), `list[key=K].value` (the element whose `key` is `K`).
fn parse_path(path: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        let end = rest
            .char_indices()
            .scan(0i32, |depth, (i, c)| {
                match c {
                    '[' => *depth += 1,
                    ']' => *depth -= 1,
                    _ => {}
                }
                Some((i, c, *depth))
            })
            .find(|&(_, c, depth)| c == '.' && depth == 0)
            .map_or(rest.len(), |(i, _, _)| i);
        let segment = &rest[..end];
        rest = rest.get(end + 1..).unwrap_or("");
        let (key, filters) = match segment.find('[') {
            Some(at) => (&segment[..at], &segment[at..]),
            None => (segment, ""),
        };
        if key.is_empty() {
            return Err(format!("an empty key in `{path}`"));
        }
        steps.push(Step::Key(key.to_owned()));
        let mut filters = filters;
        while !filters.is_empty() {
            let close = filters
                .find(']')
                .filter(|_| filters.starts_with('['))
                .ok_or_else(|| format!("`{segment}`: a `[` without its `]`"))?;
            let inner = &filters[1..close];
            filters = &filters[close + 1..];
            if inner.is_empty() {
                steps.push(Step::Each);
            } else {
                let (k, v) = inner.split_once('=').ok_or_else(|| {
                    format!(
                        "`[{inner}]` in `{path}`: write `[]` for every element or `[key=value]`"
                    )
                })?;
                steps.push(Step::Find {
                    key: k.trim().to_owned(),
                    value: v.trim().to_owned(),
                });
            }
        }
    }
    if steps.is_empty() {
        return Err("an empty path".into());
    }
    Ok(steps)
}

/// Reading one layout file: the fields named so far.
struct Builder<'a> {
    file: &'a File<'a>,
    json: bool,
    fields: Vec<FieldPath>,
    /// Word lists read so far.
    word_lists: usize,
}

impl Builder<'_> {
    /// The field called `name` (its path checked for JSON layouts).
    fn intern(&mut self, sink: &mut Sink, name: &Sp<String>, key: &str) -> FieldId {
        if let Some(at) = self.fields.iter().position(|f| f.name == name.v) {
            return FieldId(at);
        }
        let steps = if self.json {
            match parse_path(&name.v) {
                Ok(s) => s,
                Err(message) => {
                    sink.error(
                        self.file,
                        name.span.clone(),
                        "bad-path",
                        key,
                        format!("`{}` is not a JSON path: {message}", name.v),
                    )
                    .expected("a key, `a.b`, `list[].x` or `list[key=K].value`");
                    vec![Step::Key(name.v.clone())]
                }
            }
        } else {
            vec![Step::Key(name.v.clone())]
        };
        self.fields.push(FieldPath {
            name: name.v.clone(),
            steps,
        });
        FieldId(self.fields.len() - 1)
    }

    fn field(
        &mut self,
        rec: &mut Rec<'_, '_>,
        sink: &mut Sink,
        key: &'static str,
        required: bool,
    ) -> Option<FieldId> {
        let name = rec.text(sink, key, required)?;
        let at = rec.field(key);
        Some(self.intern(sink, &name, &at))
    }

    fn field_list(
        &mut self,
        rec: &mut Rec<'_, '_>,
        sink: &mut Sink,
        key: &'static str,
    ) -> Option<Vec<FieldId>> {
        let list = rec.str_list(sink, key)?;
        let at = rec.field(key);
        Some(list.v.iter().map(|n| self.intern(sink, n, &at)).collect())
    }

    /// A number: fixed (`key = 1`), or `{ field, default, table }`, or `{ field, present, absent }`.
    fn number(
        &mut self,
        rec: &mut Rec<'_, '_>,
        sink: &mut Sink,
        key: &'static str,
    ) -> Option<Number> {
        if !rec.is_table(key) {
            return rec
                .num(sink, key, false, 0.0, false, f64::INFINITY)
                .map(|x| Number::Fixed(x.v));
        }
        let mut sub = rec.sub(sink, key)?;
        let field = self.field(&mut sub, sink, "field", true);
        let out = if sub.has("present") || sub.has("absent") {
            let present = sub.num(sink, "present", true, 0.0, false, f64::INFINITY);
            let absent = sub.num(sink, "absent", true, 0.0, false, f64::INFINITY);
            match (field, present, absent) {
                (Some(field), Some(p), Some(a)) => Some(Number::Presence {
                    field,
                    present: p.v,
                    absent: a.v,
                }),
                _ => None,
            }
        } else {
            let default = sub.num(sink, "default", false, 0.0, false, f64::INFINITY);
            let table = sub.num_map(sink, "table").unwrap_or_default();
            field.map(|field| Number::Column {
                field,
                default: default.map(|d| d.v),
                table,
            })
        };
        sub.finish(sink);
        out
    }

    /// `words = [...]`, each lower-cased, a final `*` meaning any word beginning so.
    fn words(
        &mut self,
        rec: &mut Rec<'_, '_>,
        sink: &mut Sink,
        key: &'static str,
    ) -> Option<Words> {
        let list = rec.str_list(sink, key)?;
        let (mut texts, mut prefix) = (Vec::new(), Vec::new());
        for w in &list.v {
            let t = w.v.trim().to_lowercase();
            let (t, p) = match t.strip_suffix('*') {
                Some(p) => (p.to_owned(), true),
                None => (t, false),
            };
            if t.is_empty() {
                sink.error(
                    rec.file,
                    w.span.clone(),
                    "empty-value",
                    rec.field("words"),
                    "an empty word",
                )
                .expected("a word or phrase, e.g. \"drone\" or \"intercept*\"");
                continue;
            }
            texts.push(t);
            prefix.push(p);
        }
        self.word_lists += 1;
        Some(Words {
            id: self.word_lists - 1,
            texts,
            prefix,
        })
    }

    /// One rule: `field` with `equals`, `in`, `contains` or `table`, and/or `fields` with `words`; what it gives
    /// from `then` (e.g. `kind = "drone"`) unless a table gives it.
    fn rule<T: Clone>(
        &mut self,
        mut rec: Rec<'_, '_>,
        sink: &mut Sink,
        then: impl FnOnce(&mut Rec<'_, '_>, &mut Sink, bool) -> Option<T>,
        table: impl FnOnce(&mut Rec<'_, '_>, &mut Sink) -> Option<Vec<(String, T)>>,
    ) -> Option<Rule<T>> {
        let field = self.field(&mut rec, sink, "field", false);
        let equals = rec.str(sink, "equals", false).map(|s| vec![s.v]);
        let one_of = rec
            .str_list(sink, "in")
            .map(|l| l.v.into_iter().map(|s| s.v).collect::<Vec<_>>());
        let contains = rec
            .str(sink, "contains", false)
            .map(|s| vec![s.v.to_lowercase()]);
        let table = table(&mut rec, sink);
        let fields = self.field_list(&mut rec, sink, "fields");
        let words = self.words(&mut rec, sink, "words");
        let except = self.words(&mut rec, sink, "except");
        let tests = [
            equals.is_some(),
            one_of.is_some(),
            contains.is_some(),
            table.is_some(),
        ]
        .iter()
        .filter(|t| **t)
        .count();
        let span = rec.span.clone();
        // A misspelt key is the problem to show (with its "did you mean"), not what its absence leads to.
        let misspelt = rec.table.iter().any(|(k, _)| {
            ![
                "field", "equals", "in", "contains", "table", "fields", "words", "except", "kind",
                "target", "reason",
            ]
            .contains(&k.get_ref().as_ref())
        });
        let mut problem = |message: &str, expected: &str| {
            if misspelt {
                return;
            }
            sink.error(
                rec.file,
                span.start..span.start,
                "bad-rule",
                rec.path.clone(),
                message.to_owned(),
            )
            .expected(expected.to_owned());
        };
        if tests > 1 {
            problem(
                "a rule has more than one of `equals`, `in`, `contains`, `table`",
                "one test of `field`",
            );
            rec.finish(sink);
            return None;
        }
        if tests == 1 && field.is_none() {
            problem(
                "a rule's test needs the `field` it tests",
                "`field = \"column\"`",
            );
        }
        if tests == 0 && field.is_some() {
            problem(
                "a rule names a `field` but no test of it",
                "`equals`, `in`, `contains` or `table`",
            );
        }
        if except.is_some() && words.is_none() {
            problem(
                "a rule's `except` words need its `words`",
                "`words = [\"…\"]` with `except = [\"…\"]` (in the same `fields`)",
            );
        }
        if words.is_some() != fields.is_some() {
            problem(
                "a rule's `words` and `fields` go together",
                "`fields = [\"column\", …]` and `words = [\"…\", …]`",
            );
        }
        if tests == 0 && words.is_none() {
            problem(
                "a rule tests nothing",
                "a test of `field`, or `words` in `fields`",
            );
        }
        let given = then(&mut rec, sink, table.is_none());
        rec.finish(sink);
        let test = match (equals.or(one_of), contains, table) {
            (Some(v), _, _) => Test::Equals(v, given?),
            (_, Some(v), _) => Test::Contains(v, given?),
            (_, _, Some(t)) => Test::Table(t),
            _ => Test::Always(given?),
        };
        Some(Rule {
            field,
            test,
            words: fields.clone().zip(words),
            except: fields.zip(except),
        })
    }

    /// `[kind]` or `[target]`: `field` (its value a name), `[[…rule]]`, `default`.
    fn classify<T: Copy>(
        &mut self,
        rec: Option<Rec<'_, '_>>,
        sink: &mut Sink,
        key: &'static str,
        from_name: fn(&str) -> Option<T>,
        names: &[&str],
    ) -> Classify<T> {
        let mut out = Classify {
            field: None,
            rules: Vec::new(),
            default: None,
        };
        let Some(mut rec) = rec else {
            return out;
        };
        out.field = self.field(&mut rec, sink, "field", false);
        out.default = rec
            .choice_of(sink, "default", key, from_name, names)
            .map(|d| d.v);
        rec.allow("rule");
        for mut r in Rec::records(rec.file, rec.table, "rule", sink) {
            r.path = format!("{key}.{}", r.path);
            let rule = self.rule(
                r,
                sink,
                |r, sink, required| r.choice(sink, key, required, from_name, names).map(|v| v.v),
                |r, sink| r.name_map(sink, "table", key, from_name, names),
            );
            out.rules.extend(rule);
        }
        rec.finish(sink);
        out
    }
}

/// The rules' words grouped by field, each field's found in one pass.
fn field_words<'w>(
    rules: impl Iterator<Item = &'w (Vec<FieldId>, Words)>,
    file: &File<'_>,
    sink: &mut Sink,
) -> Vec<FieldWords> {
    // Each field's words, and each word's list and whether it is a prefix.
    type Grouped = (FieldId, Vec<String>, Vec<(usize, bool)>);
    let mut by_field: Vec<Grouped> = Vec::new();
    for (fields, words) in rules {
        for &f in fields {
            let at = match by_field.iter().position(|(g, _, _)| *g == f) {
                Some(at) => at,
                None => {
                    by_field.push((f, Vec::new(), Vec::new()));
                    by_field.len() - 1
                }
            };
            let (_, texts, patterns) = &mut by_field[at];
            for (t, &p) in words.texts.iter().zip(&words.prefix) {
                texts.push(t.clone());
                patterns.push((words.id, p));
            }
        }
    }
    by_field
        .into_iter()
        .filter_map(
            |(field, texts, patterns)| match aho_corasick::AhoCorasick::new(&texts) {
                Ok(finder) => Some(FieldWords {
                    field,
                    finder,
                    patterns,
                }),
                Err(e) => {
                    sink.error(
                        file,
                        0..0,
                        "bad-words",
                        "words",
                        format!("the words cannot be searched for: {e}"),
                    );
                    None
                }
            },
        )
        .collect()
}

/// Reads a layout file (`path` for messages). `Err` holds every problem, each with its line, column and key.
pub fn read_layout(path: &str, text: &str) -> Result<Layout, Vec<Diagnostic>> {
    let file = File::new(path, text);
    let mut sink = Sink::default();
    let Some(root) = parse_toml(&file, &mut sink) else {
        for d in &mut sink.diagnostics {
            d.help = Some("see docs/layouts.md for a layout file's sections and keys".into());
        }
        return Err(sink.diagnostics);
    };
    let layout = read_root(&file, &root, &mut sink);
    match layout {
        Some(l) if !sink.has_errors() => Ok(l),
        _ => Err(sink.diagnostics),
    }
}

/// The `[layout]` section as read: what the file is and how to read it.
struct Head {
    name: Option<Sp<String>>,
    description: Option<String>,
    format: Option<Sp<LayoutFormat>>,
    detect: Vec<String>,
    records: Option<String>,
    source: Named<String>,
    source_kind: Named<SourceKind>,
    zone_name: Option<Sp<String>>,
    zone: Option<TimeZone>,
    date_order: Option<DateOrder>,
    encoding: Option<&'static encoding_rs::Encoding>,
    strict: bool,
}

/// Reads the layout file's tables, one function per table, into a layout (`None`: something is missing or
/// wrong, reported).
fn read_root<'i>(
    file: &File<'_>,
    root: &toml::Spanned<DeTable<'i>>,
    sink: &mut Sink,
) -> Option<Layout> {
    let mut top = Rec::new(file, root.get_ref(), 0..0, "the layout file".into());
    for key in [
        "layout", "id", "time", "place", "kind", "target", "count", "text", "links", "parties",
        "skip", "each",
    ] {
        top.allow(key);
    }
    top.finish(sink);
    let (head, mut b) = read_head(file, root, sink)?;
    let (id, id_prefix) = b.id_section(root, sink);
    let (time, by_day, time_precision) = b.time_section(root, sink);
    let geojson = matches!(
        head.format.as_ref().map(|f| f.v),
        Some(LayoutFormat::GeoJson)
    );
    let (lat_lon, area, place_precision) = b.place_section(root, geojson, sink);
    let kind = b.kind_section(root, sink);
    let target_rec = Rec::section(file, root, "target", false, sink);
    let target = b.classify(
        target_rec,
        sink,
        "target",
        Category::from_name,
        &Category::names(),
    );
    let count = b.count_section(root, sink);
    let (text, join) = b.text_section(root, sink);
    let links = b.links_section(root, sink);
    let parties = b.parties_section(root, sink);
    let mut skip = Vec::new();
    for rec in Rec::records(file, root.get_ref(), "skip", sink) {
        let rule = b.rule(
            rec,
            sink,
            |r, sink, _| r.text(sink, "reason", true).map(|t| t.v),
            |_, _| None,
        );
        skip.extend(rule);
    }
    let each = b.each_section(root, sink);
    let words = field_words(
        kind.rules
            .iter()
            .flat_map(|r| r.words.iter().chain(&r.except))
            .chain(
                target
                    .rules
                    .iter()
                    .flat_map(|r| r.words.iter().chain(&r.except)),
            )
            .chain(skip.iter().flat_map(|r| r.words.iter().chain(&r.except))),
        file,
        sink,
    );
    Some(Layout {
        words,
        word_lists: b.word_lists,
        name: head.name?.v,
        description: head.description.unwrap_or_default(),
        format: head.format?.v,
        origin: file.path.to_owned(),
        detect: head.detect,
        zone_name: head
            .zone_name
            .map_or_else(|| crate::reports::LOCAL_ZONE.to_owned(), |z| z.v),
        date_order: head.date_order,
        encoding: head.encoding,
        zone: head.zone?,
        records: head.records,
        strict: head.strict,
        fields: b.fields,
        source: head.source,
        source_kind: head.source_kind,
        id: id?,
        id_prefix,
        time: time?,
        by_day,
        time_precision: time_precision.unwrap_or(Number::Fixed(0.0)),
        lat_lon,
        area,
        place_precision: place_precision.unwrap_or(Number::Fixed(1.0)),
        kind,
        target,
        count: count?,
        text,
        join,
        links,
        parties,
        skip,
        each,
    })
}

/// The `[layout]` section, with the builder of the layout's fields (JSON paths when the format is not CSV);
/// `None` when the section is missing or not a table (reported).
fn read_head<'a>(
    file: &'a File<'a>,
    root: &toml::Spanned<DeTable<'_>>,
    sink: &mut Sink,
) -> Option<(Head, Builder<'a>)> {
    let mut head = Rec::section(file, root, "layout", true, sink)?;
    let name = head.text(sink, "name", true);
    let description = head.str(sink, "description", false).map(|d| d.v);
    let format = head.choice(
        sink,
        "format",
        true,
        LayoutFormat::from_name,
        &["csv", "json", "jsonl", "geojson"],
    );
    let json = !matches!(format.as_ref().map(|f| f.v), Some(LayoutFormat::Csv) | None);
    let mut b = Builder {
        file,
        json,
        fields: Vec::new(),
        word_lists: 0,
    };
    let detect = head
        .str_list(sink, "detect")
        .map(|l| l.v.into_iter().map(|s| s.v).collect())
        .unwrap_or_default();
    let records = head.text(sink, "records", false).map(|r| r.v);
    let source_fixed = head.text(sink, "source", false).map(|s| s.v);
    let source_field = b.field(&mut head, sink, "source_field", false);
    let kind_fixed = head
        .choice(
            sink,
            "source_kind",
            false,
            SourceKind::from_name,
            &SourceKind::names(),
        )
        .map(|k| k.v);
    let kind_field = b.field(&mut head, sink, "source_kind_field", false);
    if source_fixed.is_none() && source_field.is_none() {
        head.missing(
            sink,
            "source",
            "who reports: `source = \"name\"` or `source_field = \"column\"`",
        );
    }
    if kind_fixed.is_none() && kind_field.is_none() {
        head.missing(
            sink,
            "source_kind",
            "`source_kind = \"media\"` (patrol, sensor, party, media) or `source_kind_field = \"column\"`",
        );
    }
    let zone_name = head.text(sink, "zone", false);
    let zone = match &zone_name {
        None => TimeZone::get(crate::reports::LOCAL_ZONE).ok(),
        Some(z) => match TimeZone::get(&z.v) {
            Ok(tz) => Some(tz),
            Err(e) => {
                sink.error(
                    file,
                    z.span.clone(),
                    "unknown-zone",
                    head.field("zone"),
                    format!("`{}` is not a time zone: {e}", z.v),
                )
                .expected("an IANA time zone such as Europe/Kyiv or UTC");
                None
            }
        },
    };
    let date_order = head
        .choice(
            sink,
            "date_order",
            false,
            DateOrder::from_name,
            &["dmy", "mdy"],
        )
        .map(|o| o.v);
    let encoding = match head.text(sink, "encoding", false) {
        None => None,
        Some(label) => match crate::decode::encoding_named(&label.v) {
            Some(e) => Some(e),
            None => {
                sink.error(
                    file,
                    label.span,
                    "unknown-encoding",
                    head.field("encoding"),
                    format!("`{}` is not an encoding", label.v),
                )
                .expected("utf-8, utf-16, windows-1252, windows-1251, iso-8859-1, …");
                None
            }
        },
    };
    let strict = head.boolean(sink, "strict", false).is_some_and(|s| s.v);
    head.finish(sink);
    let head = Head {
        name,
        description,
        format,
        detect,
        records,
        source: Named {
            field: source_field,
            fixed: source_fixed,
        },
        source_kind: Named {
            field: kind_field,
            fixed: kind_fixed,
        },
        zone_name,
        zone,
        date_order,
        encoding,
        strict,
    };
    Some((head, b))
}

impl Builder<'_> {
    /// `[id]`: the field holding a report's id, and the prefix put before it.
    fn id_section(
        &mut self,
        root: &toml::Spanned<DeTable<'_>>,
        sink: &mut Sink,
    ) -> (Option<FieldId>, String) {
        let mut id_rec = Rec::section(self.file, root, "id", true, sink);
        let (id, id_prefix) = match id_rec.as_mut() {
            Some(rec) => (
                self.field(rec, sink, "field", true),
                rec.str(sink, "prefix", false)
                    .map(|p| p.v)
                    .unwrap_or_default(),
            ),
            None => (None, String::new()),
        };
        if let Some(rec) = id_rec {
            rec.finish(sink);
        }
        (id, id_prefix)
    }

    /// `[time]`: the field holding a report's time (or its `start` and `end`), whether it is a day's, and its
    /// precision.
    fn time_section(
        &mut self,
        root: &toml::Spanned<DeTable<'_>>,
        sink: &mut Sink,
    ) -> (Option<TimeAt>, bool, Option<Number>) {
        let mut time_rec = Rec::section(self.file, root, "time", true, sink);
        let (time, by_day, time_precision) = match time_rec.as_mut() {
            Some(rec) => {
                let one = self.field(rec, sink, "field", false);
                let start = self.field(rec, sink, "start", false);
                let end = self.field(rec, sink, "end", false);
                let at = match (one, start, end) {
                    (Some(f), None, None) => Some(TimeAt::One(f)),
                    (None, Some(s), Some(e)) => Some(TimeAt::Span(s, e)),
                    _ => {
                        rec.missing(
                            sink,
                            "field",
                            "`field = \"column\"`, or `start` and `end` (not both ways)",
                        );
                        None
                    }
                };
                let by_day = rec.boolean(sink, "by_day", false).is_some_and(|d| d.v);
                let precision = self.number(rec, sink, "precision_hours");
                (at, by_day, precision)
            }
            None => (None, false, None),
        };
        if let Some(rec) = time_rec {
            rec.finish(sink);
        }
        (time, by_day, time_precision)
    }

    /// `[place]` (required but for GeoJSON, whose features have their own): the `lat` and `lon` fields or an
    /// `area`, and the precision.
    fn place_section(
        &mut self,
        root: &toml::Spanned<DeTable<'_>>,
        geojson: bool,
        sink: &mut Sink,
    ) -> (Option<(FieldId, FieldId)>, Option<FieldId>, Option<Number>) {
        let mut place_rec = Rec::section(self.file, root, "place", !geojson, sink);
        let place = match place_rec.as_mut() {
            Some(rec) => {
                let area = self.field(rec, sink, "area", false);
                let lat = self.field(rec, sink, "lat", !geojson && area.is_none());
                let lon = self.field(rec, sink, "lon", !geojson && area.is_none());
                (lat.zip(lon), area, self.number(rec, sink, "precision_km"))
            }
            None => (None, None, None),
        };
        if let Some(rec) = place_rec {
            rec.finish(sink);
        }
        place
    }

    /// `[kind]`: how a report's kind is told; a `[kind]` with no way to tell it is reported.
    fn kind_section(
        &mut self,
        root: &toml::Spanned<DeTable<'_>>,
        sink: &mut Sink,
    ) -> Classify<EventKind> {
        let kind_rec = Rec::section(self.file, root, "kind", true, sink);
        let kind = self.classify(
            kind_rec,
            sink,
            "kind",
            EventKind::from_name,
            &EventKind::names(),
        );
        let kind_keys = root.get_ref().iter().any(|(k, v)| {
            k.get_ref().as_ref() == "kind"
                && matches!(v.get_ref(), toml::de::DeValue::Table(t)
                    if t.iter().any(|(k, _)| ["field", "rule", "default"].contains(&k.get_ref().as_ref())))
        });
        if !kind_keys
            && root
                .get_ref()
                .iter()
                .any(|(k, _)| k.get_ref().as_ref() == "kind")
        {
            sink.error(
                self.file,
                0..0,
                "missing-field",
                "kind",
                "`[kind]` gives no way to tell a report's kind",
            )
            .expected("`field`, `[[kind.rule]]` or `default`");
        }
        kind
    }

    /// `[count]`: the field holding how many a report counts (absent: one each).
    fn count_section(
        &mut self,
        root: &toml::Spanned<DeTable<'_>>,
        sink: &mut Sink,
    ) -> Option<Number> {
        let Some(mut rec) = Rec::section(self.file, root, "count", false, sink) else {
            return Some(Number::Fixed(1.0));
        };
        let field = self.field(&mut rec, sink, "field", true);
        let default = rec.num(sink, "default", false, 0.0, false, f64::INFINITY);
        rec.finish(sink);
        field.map(|field| Number::Column {
            field,
            default: default.map(|d| d.v),
            table: Vec::new(),
        })
    }

    /// `[text]`: the fields a report's text is made of, and what joins them.
    fn text_section(
        &mut self,
        root: &toml::Spanned<DeTable<'_>>,
        sink: &mut Sink,
    ) -> (Vec<FieldId>, String) {
        let Some(mut rec) = Rec::section(self.file, root, "text", false, sink) else {
            return (Vec::new(), String::new());
        };
        let fields = self.field_list(&mut rec, sink, "fields");
        if fields.is_none() {
            rec.missing(
                sink,
                "fields",
                "the columns the text is made of, e.g. [\"notes\"]",
            );
        }
        let join = rec
            .str(sink, "join", false)
            .map_or_else(|| " — ".to_owned(), |j| j.v);
        rec.finish(sink);
        (fields.unwrap_or_default(), join)
    }

    /// `[links]`: the fields holding a report's links.
    fn links_section(
        &mut self,
        root: &toml::Spanned<DeTable<'_>>,
        sink: &mut Sink,
    ) -> Vec<FieldId> {
        let Some(mut rec) = Rec::section(self.file, root, "links", false, sink) else {
            return Vec::new();
        };
        let fields = self.field_list(&mut rec, sink, "fields");
        if fields.is_none() {
            rec.missing(sink, "fields", "the columns holding links, e.g. [\"link\"]");
        }
        rec.finish(sink);
        fields.unwrap_or_default()
    }

    /// `[parties]`: the fields naming the parties involved (`a`, and `b` when there is one).
    fn parties_section(
        &mut self,
        root: &toml::Spanned<DeTable<'_>>,
        sink: &mut Sink,
    ) -> Vec<FieldId> {
        let Some(mut rec) = Rec::section(self.file, root, "parties", false, sink) else {
            return Vec::new();
        };
        let a = self.field(&mut rec, sink, "a", true);
        let other = self.field(&mut rec, sink, "b", false);
        rec.finish(sink);
        a.into_iter().chain(other).collect()
    }

    /// `[each]`: the field that splits one record into several reports, at `separator`.
    fn each_section(&mut self, root: &toml::Spanned<DeTable<'_>>, sink: &mut Sink) -> Option<Each> {
        let mut rec = Rec::section(self.file, root, "each", false, sink)?;
        let field = self.field(&mut rec, sink, "field", true);
        let separator = rec.str(sink, "separator", true).map(|s| s.v);
        let trim = rec
            .str(sink, "trim", false)
            .map(|s| s.v)
            .unwrap_or_default();
        rec.finish(sink);
        match (field, separator) {
            (Some(field), Some(separator)) if !separator.is_empty() => Some(Each {
                field,
                separator,
                trim,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_layout_reads() {
        for (name, text) in BUILTIN {
            let layout = read_layout(name, text);
            assert!(layout.is_ok(), "{name}: {:?}", layout.err());
        }
        assert_eq!(builtin_layouts().len(), BUILTIN.len());
    }

    #[test]
    fn paths_read_keys_every_element_and_the_element_with_a_key() {
        assert_eq!(
            parse_path("filters[key=Weapon System].value"),
            Ok(vec![
                Step::Key("filters".into()),
                Step::Find {
                    key: "key".into(),
                    value: "Weapon System".into()
                },
                Step::Key("value".into())
            ])
        );
        assert_eq!(
            parse_path("sources[].path"),
            Ok(vec![
                Step::Key("sources".into()),
                Step::Each,
                Step::Key("path".into())
            ])
        );
        assert!(parse_path("a..b").is_err());
        assert!(parse_path("a[b").is_err());
        assert!(parse_path("a[b]").is_err());
    }
}
