//! Collecting diagnostics while reading: a sink, and a builder that fills in where and what.

use std::ops::Range;

use guarantor_core::{Diagnostic, Level, Location};

use crate::sources::File;

/// Every problem found so far.
#[derive(Default)]
pub(crate) struct Sink {
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl Sink {
    /// Records an error at `span` of `file` and returns it for `expected`, `help` and `related` to be added.
    pub(crate) fn error(
        &mut self,
        file: &File<'_>,
        span: Range<usize>,
        code: &'static str,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Builder<'_> {
        self.at(Level::Error, file.location(span), code, field, message)
    }

    /// Records a problem at a location already computed.
    pub(crate) fn at(
        &mut self,
        level: Level,
        location: Location,
        code: &'static str,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Builder<'_> {
        self.diagnostics.push(Diagnostic {
            level,
            code,
            message: message.into(),
            location,
            field: field.into(),
            expected: None,
            related: Vec::new(),
            help: None,
        });
        let last = self.diagnostics.len() - 1;
        Builder(&mut self.diagnostics[last])
    }

    /// Errors recorded so far.
    pub(crate) fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Adds detail to the diagnostic just recorded.
pub(crate) struct Builder<'a>(&'a mut Diagnostic);

impl Builder<'_> {
    pub(crate) fn expected(self, expected: impl Into<String>) -> Self {
        self.0.expected = Some(expected.into());
        self
    }

    pub(crate) fn help(self, help: impl Into<String>) -> Self {
        self.0.help = Some(help.into());
        self
    }

    pub(crate) fn related(self, location: Location, note: impl Into<String>) -> Self {
        self.0.related.push((location, note.into()));
        self
    }
}

/// "one of `a`, `b`, `c`", for messages.
pub(crate) fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.len() {
        0 => "nothing".into(),
        1 => quoted[0].clone(),
        _ => format!("one of {}", quoted.join(", ")),
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (levenshtein(word, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, c)| (d, c))
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        assert_eq!(
            did_you_mean("notice_day", ["notice_days", "nation"]),
            Some("notice_days")
        );
        assert_eq!(did_you_mean("FRA", ["FRA", "GBR"]), Some("FRA"));
        assert_eq!(did_you_mean("zzz", ["notice_days", "nation"]), None);
    }
}
