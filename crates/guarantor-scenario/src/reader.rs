//! Reading TOML records field by field, recording a diagnostic for every bad or unknown field and carrying on.

use std::collections::BTreeSet;
use std::ops::Range;

use guarantor_core::{IdError, Location};
use jiff::civil::Date;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Sink, did_you_mean, one_of};
use crate::sources::File;

/// A value with the byte range it came from.
#[derive(Clone, Debug)]
pub(crate) struct Sp<T> {
    pub(crate) v: T,
    pub(crate) span: Range<usize>,
}

/// Parses a TOML file; syntax errors become diagnostics and the file is then left out of further checks.
pub(crate) fn parse_toml<'i>(file: &File<'i>, sink: &mut Sink) -> Option<Spanned<DeTable<'i>>> {
    let (table, errors) = DeTable::parse_recoverable(file.text);
    if errors.is_empty() {
        return Some(table);
    }
    for error in errors {
        let span = error.span().unwrap_or(0..0);
        let message = error.message().trim().trim_end_matches('.').to_owned();
        sink.error(
            file,
            span,
            "toml-syntax",
            "",
            format!("invalid TOML: {message}"),
        )
        .help("see docs/scenario-format.md for the layout of each file");
    }
    None
}

/// The kind of a TOML value, for "expected X, found Y".
fn kind(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number with a fraction",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

fn integer(value: &DeValue<'_>) -> Option<i128> {
    let DeValue::Integer(i) = value else {
        return None;
    };
    i128::from_str_radix(i.as_str(), i.radix()).ok()
}

fn number(value: &DeValue<'_>) -> Option<f64> {
    match value {
        DeValue::Integer(_) => integer(value).map(|i| i as f64),
        DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
        _ => None,
    }
}

/// One TOML table being read as a record of a known shape.
pub(crate) struct Rec<'a, 'i> {
    pub(crate) file: &'a File<'a>,
    pub(crate) table: &'a DeTable<'i>,
    /// Where the record starts (for "missing field" problems).
    pub(crate) span: Range<usize>,
    /// The field path prefix, e.g. `pledge[fra-mech]`.
    pub(crate) path: String,
    known: Vec<&'static str>,
}

impl<'a, 'i> Rec<'a, 'i> {
    pub(crate) fn new(
        file: &'a File<'a>,
        table: &'a DeTable<'i>,
        span: Range<usize>,
        path: String,
    ) -> Self {
        Self {
            file,
            table,
            span,
            path,
            known: Vec::new(),
        }
    }

    /// The records of `[[key]]` in `root`; an error if `key` is there but not an array of tables.
    pub(crate) fn records(
        file: &'a File<'a>,
        root: &'a DeTable<'i>,
        key: &'static str,
        sink: &mut Sink,
    ) -> Vec<Rec<'a, 'i>> {
        let Some((k, value)) = root.iter().find(|(k, _)| k.get_ref().as_ref() == key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            sink.error(
                file,
                k.span(),
                "wrong-type",
                key,
                format!("`{key}` must be a list of records"),
            )
            .expected(format!("`[[{key}]]` headers, one per record"));
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::Table(t) => {
                    out.push(Rec::new(file, t, item.span(), format!("{key}[{}]", i + 1)));
                }
                other => {
                    sink.error(
                        file,
                        item.span(),
                        "wrong-type",
                        format!("{key}[{}]", i + 1),
                        format!("each `{key}` must be a table, found {}", kind(other)),
                    );
                }
            }
        }
        out
    }

    /// The table `[key]` in `root` as a record, or an error if it is missing and `required`.
    pub(crate) fn section(
        file: &'a File<'a>,
        root: &'a Spanned<DeTable<'i>>,
        key: &'static str,
        required: bool,
        sink: &mut Sink,
    ) -> Option<Rec<'a, 'i>> {
        match root
            .get_ref()
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
        {
            Some((_, value)) => match value.get_ref() {
                DeValue::Table(t) => Some(Rec::new(file, t, value.span(), key.to_owned())),
                other => {
                    sink.error(
                        file,
                        value.span(),
                        "wrong-type",
                        key,
                        format!("`{key}` must be a table, found {}", kind(other)),
                    )
                    .expected(format!("a `[{key}]` section"));
                    None
                }
            },
            None => {
                if required {
                    sink.error(
                        file,
                        0..0,
                        "missing-field",
                        key,
                        format!("missing section `[{key}]`"),
                    )
                    .help("see docs/scenario-format.md");
                }
                None
            }
        }
    }

    pub(crate) fn field(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    pub(crate) fn location(&self, span: Range<usize>) -> Location {
        self.file.location(span)
    }

    /// Marks `key` as a field this record may have, without reading it (sections read elsewhere).
    pub(crate) fn allow(&mut self, key: &'static str) {
        if !self.known.contains(&key) {
            self.known.push(key);
        }
    }

    /// Whether the record's `key` is a table (inline or not).
    pub(crate) fn is_table(&self, key: &str) -> bool {
        self.table
            .iter()
            .any(|(k, v)| k.get_ref().as_ref() == key && matches!(v.get_ref(), DeValue::Table(_)))
    }

    /// Whether the record has `key` at all.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.table.iter().any(|(k, _)| k.get_ref().as_ref() == key)
    }

    fn get(&mut self, key: &'static str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.allow(key);
        self.table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v)
    }

    /// Reports that the required field `key` is absent, at the start of the record.
    pub(crate) fn missing(&self, sink: &mut Sink, key: &str, expected: &str) {
        sink.error(
            self.file,
            self.span.start..self.span.start,
            "missing-field",
            self.field(key),
            format!("missing field `{key}` in {}", self.path),
        )
        .expected(expected.to_owned());
    }

    fn wrong(&self, sink: &mut Sink, key: &str, value: &Spanned<DeValue<'_>>, expected: &str) {
        sink.error(
            self.file,
            value.span(),
            "wrong-type",
            self.field(key),
            format!(
                "`{key}` must be {expected}, found {}",
                kind(value.get_ref())
            ),
        )
        .expected(expected.to_owned());
    }

    /// A string field.
    pub(crate) fn str(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
        required: bool,
    ) -> Option<Sp<String>> {
        let Some(value) = self.get(key) else {
            if required {
                self.missing(sink, key, "a string");
            }
            return None;
        };
        match value.get_ref() {
            DeValue::String(s) => Some(Sp {
                v: s.to_string(),
                span: value.span(),
            }),
            _ => {
                self.wrong(sink, key, value, "a string");
                None
            }
        }
    }

    /// A non-empty string field (names, sources).
    pub(crate) fn text(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
        required: bool,
    ) -> Option<Sp<String>> {
        let value = self.str(sink, key, required)?;
        if value.v.trim().is_empty() {
            sink.error(self.file, value.span.clone(), "empty-value", self.field(key), format!("`{key}` may not be empty"))
                .expected(if key == "source" {
                    "where the figures come from: keys of docs/sources.md (e.g. \"wapo-2025-02 (France: up to 10,000 troops); count illustrative\") or \"illustrative\""
                } else {
                    "some text"
                });
            return None;
        }
        Some(value)
    }

    /// An id field, checked with `make` (e.g. `NationCode::new`).
    pub(crate) fn id<T>(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
        required: bool,
        make: fn(&str) -> Result<T, IdError>,
    ) -> Option<Sp<T>> {
        let text = self.str(sink, key, required)?;
        match make(&text.v) {
            Ok(v) => Some(Sp { v, span: text.span }),
            Err(e) => {
                sink.error(
                    self.file,
                    text.span,
                    "bad-id",
                    self.field(key),
                    e.to_string(),
                );
                None
            }
        }
    }

    /// A whole number at least `min`.
    pub(crate) fn uint(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
        required: bool,
        min: u64,
    ) -> Option<Sp<u64>> {
        let expected = format!("a whole number, {min} or more");
        let expected = expected.as_str();
        let Some(value) = self.get(key) else {
            if required {
                self.missing(sink, key, expected);
            }
            return None;
        };
        let Some(i) = integer(value.get_ref()) else {
            self.wrong(sink, key, value, expected);
            return None;
        };
        if i < i128::from(min) {
            let what = match i {
                ..0 => "negative",
                0 => "zero",
                _ => "too small",
            };
            sink.error(
                self.file,
                value.span(),
                "out-of-range",
                self.field(key),
                format!("`{key}` is {what} ({i})"),
            )
            .expected(expected);
            return None;
        }
        match u32::try_from(i) {
            Ok(v) => Some(Sp {
                v: u64::from(v),
                span: value.span(),
            }),
            Err(_) => {
                sink.error(
                    self.file,
                    value.span(),
                    "out-of-range",
                    self.field(key),
                    format!("`{key}` is too large ({i})"),
                )
                .expected(format!("at most {}", u32::MAX));
                None
            }
        }
    }

    /// A number in `lo..=hi` (`lo_open`: strictly above `lo`).
    pub(crate) fn num(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
        required: bool,
        lo: f64,
        lo_open: bool,
        hi: f64,
    ) -> Option<Sp<f64>> {
        let range = match (lo_open, hi.is_finite()) {
            (true, true) => format!("a number above {lo} and at most {hi}"),
            (false, true) => format!("a number from {lo} to {hi}"),
            (true, false) => format!("a number above {lo}"),
            (false, false) => format!("a number, {lo} or more"),
        };
        let Some(value) = self.get(key) else {
            if required {
                self.missing(sink, key, &range);
            }
            return None;
        };
        let Some(x) = number(value.get_ref()).filter(|x| x.is_finite()) else {
            self.wrong(sink, key, value, &range);
            return None;
        };
        let below = if lo_open { x <= lo } else { x < lo };
        if below || x > hi {
            let what = if x < 0.0 {
                "negative"
            } else if x == 0.0 {
                "zero"
            } else {
                "out of range"
            };
            sink.error(
                self.file,
                value.span(),
                "out-of-range",
                self.field(key),
                format!("`{key}` is {what} ({x})"),
            )
            .expected(range);
            return None;
        }
        Some(Sp {
            v: x,
            span: value.span(),
        })
    }

    /// A boolean.
    pub(crate) fn boolean(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
        required: bool,
    ) -> Option<Sp<bool>> {
        let Some(value) = self.get(key) else {
            if required {
                self.missing(sink, key, "`true` or `false`");
            }
            return None;
        };
        match value.get_ref() {
            DeValue::Boolean(b) => Some(Sp {
                v: *b,
                span: value.span(),
            }),
            _ => {
                self.wrong(sink, key, value, "`true` or `false`");
                None
            }
        }
    }

    /// A calendar date, written as a TOML date (`2026-12-01`, no quotes).
    pub(crate) fn date(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
        required: bool,
    ) -> Option<Sp<Date>> {
        let expected = "a date such as 2026-12-01 (no quotes)";
        let Some(value) = self.get(key) else {
            if required {
                self.missing(sink, key, expected);
            }
            return None;
        };
        let date = match value.get_ref() {
            DeValue::Datetime(dt) if dt.time.is_none() => dt.date,
            _ => None,
        };
        match date.and_then(|d| Date::new(d.year as i16, d.month as i8, d.day as i8).ok()) {
            Some(v) => Some(Sp {
                v,
                span: value.span(),
            }),
            None => {
                self.wrong(sink, key, value, expected);
                None
            }
        }
    }

    /// A force-generation cycle, `"deploy:recover:train"` such as `"1:1:1"`.
    pub(crate) fn cycle(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
        required: bool,
    ) -> Option<Sp<guarantor_core::Cycle>> {
        let text = self.str(sink, key, required)?;
        match guarantor_core::Cycle::parse(&text.v) {
            Ok(v) => Some(Sp { v, span: text.span }),
            Err(message) => {
                sink.error(
                    self.file,
                    text.span,
                    "bad-cycle",
                    self.field(key),
                    format!("`{key}` is not a force-generation cycle: {message}"),
                )
                .expected(
                    "deploy:recover:train in whole parts, deploy at least 1, e.g. \"1:1:1\"; or \"thirds\", \
                     \"analysts\" or \"harmony\""
                        .to_owned(),
                );
                None
            }
        }
    }

    /// One name from a closed vocabulary.
    pub(crate) fn choice<E: Copy>(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
        required: bool,
        from_name: fn(&str) -> Option<E>,
        names: &[&str],
    ) -> Option<Sp<E>> {
        let text = self.str(sink, key, required)?;
        self.name_in(sink, key, &text, from_name, names)
    }

    /// [`Rec::choice`] where the key does not say what the name is of (`default = "drone"` is a kind).
    pub(crate) fn choice_of<E: Copy>(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
        noun: &str,
        from_name: fn(&str) -> Option<E>,
        names: &[&str],
    ) -> Option<Sp<E>> {
        let text = self.str(sink, key, false)?;
        self.name_as(sink, key, noun, &text, from_name, names)
    }

    fn name_in<E: Copy>(
        &self,
        sink: &mut Sink,
        key: &str,
        text: &Sp<String>,
        from_name: fn(&str) -> Option<E>,
        names: &[&str],
    ) -> Option<Sp<E>> {
        let noun = key.trim_end_matches('s').replace('_', " ");
        self.name_as(sink, key, &noun, text, from_name, names)
    }

    fn name_as<E: Copy>(
        &self,
        sink: &mut Sink,
        key: &str,
        noun: &str,
        text: &Sp<String>,
        from_name: fn(&str) -> Option<E>,
        names: &[&str],
    ) -> Option<Sp<E>> {
        match from_name(&text.v) {
            Some(v) => Some(Sp {
                v,
                span: text.span.clone(),
            }),
            None => {
                let b = sink
                    .error(
                        self.file,
                        text.span.clone(),
                        "unknown-name",
                        self.field(key),
                        format!("`{}` is not a known {noun}", text.v),
                    )
                    .expected(one_of(names));
                if let Some(guess) = did_you_mean(&text.v, names.iter().copied()) {
                    b.help(format!("did you mean `{guess}`?"));
                }
                None
            }
        }
    }

    /// A list of strings (absent: `None`).
    pub(crate) fn str_list(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
    ) -> Option<Sp<Vec<Sp<String>>>> {
        let value = self.get(key)?;
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong(sink, key, value, "a list of strings, e.g. [\"a\", \"b\"]");
            return None;
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push(Sp {
                    v: s.to_string(),
                    span: item.span(),
                }),
                _ => self.wrong(sink, key, item, "a string"),
            }
        }
        Some(Sp {
            v: out,
            span: value.span(),
        })
    }

    /// A list of names from a closed vocabulary, as a set (absent: `None`).
    pub(crate) fn choices<E: Copy + Ord>(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
        from_name: fn(&str) -> Option<E>,
        names: &[&str],
    ) -> Option<Sp<BTreeSet<E>>> {
        let list = self.str_list(sink, key)?;
        let set = list
            .v
            .iter()
            .filter_map(|t| self.name_in(sink, key, t, from_name, names))
            .map(|s| s.v)
            .collect();
        Some(Sp {
            v: set,
            span: list.span,
        })
    }

    /// An inline table such as `caveats = { … }`, as a record.
    pub(crate) fn sub(&mut self, sink: &mut Sink, key: &'static str) -> Option<Rec<'a, 'i>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Table(t) => Some(Rec::new(self.file, t, value.span(), self.field(key))),
            _ => {
                self.wrong(
                    sink,
                    key,
                    value,
                    "a table, e.g. { roles = [\"protection\"] }",
                );
                None
            }
        }
    }

    /// A table of numbers keyed by text, such as `table = { "1" = 12, "2" = 84 }` (absent: `None`).
    pub(crate) fn num_map(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
    ) -> Option<Vec<(String, f64)>> {
        let sub = self.sub(sink, key)?;
        let mut out = Vec::new();
        for (k, value) in sub.table.iter() {
            match number(value.get_ref()).filter(|x| x.is_finite() && *x >= 0.0) {
                Some(x) => out.push((k.get_ref().to_string(), x)),
                None => sub.wrong(sink, k.get_ref(), value, "a number, 0 or more"),
            }
        }
        Some(out)
    }

    /// A table of names from a closed vocabulary keyed by text, such as `table = { "Air strike" = "missile" }`
    /// (absent: `None`).
    pub(crate) fn name_map<E: Copy>(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
        noun: &str,
        from_name: fn(&str) -> Option<E>,
        names: &[&str],
    ) -> Option<Vec<(String, E)>> {
        let sub = self.sub(sink, key)?;
        let mut out = Vec::new();
        for (k, value) in sub.table.iter() {
            let DeValue::String(text) = value.get_ref() else {
                sub.wrong(sink, k.get_ref(), value, &one_of(names));
                continue;
            };
            let text = Sp {
                v: text.to_string(),
                span: value.span(),
            };
            if let Some(e) = sub.name_as(sink, k.get_ref(), noun, &text, from_name, names) {
                out.push((k.get_ref().to_string(), e.v));
            }
        }
        Some(out)
    }

    /// Reports every field that was never asked for: a typo or a field this record does not have.
    pub(crate) fn finish(self, sink: &mut Sink) {
        for (key, _) in self.table.iter() {
            let name = key.get_ref().as_ref();
            if self.known.contains(&name) {
                continue;
            }
            let b = sink
                .error(
                    self.file,
                    key.span(),
                    "unknown-field",
                    self.field(name),
                    format!("unknown field `{name}` in {}", self.path),
                )
                .expected(one_of(&self.known));
            if let Some(guess) = did_you_mean(name, self.known.iter().copied()) {
                b.help(format!("did you mean `{guess}`?"));
            }
        }
    }
}
