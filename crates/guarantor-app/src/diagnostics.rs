//! The JSON form of diagnostics, shared by `guarantor check --json` and the server.

use guarantor_core::Diagnostic;
use serde::Serialize;

/// One diagnostic as JSON.
#[derive(Clone, Debug, Serialize)]
pub struct DiagnosticDto {
    /// `error` or `warning`.
    pub level: &'static str,
    /// Stable kebab-case kind, e.g. `unknown-reference`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// File, relative to the scenario folder.
    pub file: String,
    /// 1-based line (0: the file as a whole).
    pub line: u32,
    /// 1-based column in characters (0: the file as a whole).
    pub column: u32,
    /// Byte offsets `[start, end)` in the file.
    pub span: [usize; 2],
    /// The field, as a path such as `pledge[fra-mech].nation`.
    pub field: String,
    /// What would have been accepted.
    pub expected: Option<String>,
    /// A hint.
    pub help: Option<String>,
    /// Other places that explain the problem.
    pub related: Vec<RelatedDto>,
}

/// A related place.
#[derive(Clone, Debug, Serialize)]
pub struct RelatedDto {
    /// File.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What it shows.
    pub note: String,
}

impl From<&Diagnostic> for DiagnosticDto {
    fn from(d: &Diagnostic) -> Self {
        Self {
            level: d.level.as_str(),
            code: d.code,
            message: d.message.clone(),
            file: d.location.file.clone(),
            line: d.location.line,
            column: d.location.column,
            span: [d.location.span.start, d.location.span.end],
            field: d.field.clone(),
            expected: d.expected.clone(),
            help: d.help.clone(),
            related: d
                .related
                .iter()
                .map(|(l, note)| RelatedDto {
                    file: l.file.clone(),
                    line: l.line,
                    column: l.column,
                    note: note.clone(),
                })
                .collect(),
        }
    }
}

/// The result of checking a scenario, as `check --json` prints it.
#[derive(Clone, Debug, Serialize)]
pub struct CheckReport {
    /// Where the scenario was read from.
    pub origin: String,
    /// True when there is no error (warnings allowed).
    pub valid: bool,
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// Every diagnostic, ordered by file, line and column.
    pub diagnostics: Vec<DiagnosticDto>,
    /// With `check --illustrative`: every record whose `source` says its figures are illustrative, by file
    /// and line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub illustrative: Option<Vec<guarantor_scenario::Cited>>,
}

/// Builds the check report for a scenario's diagnostics.
pub fn check_report(origin: &str, diagnostics: &[Diagnostic]) -> CheckReport {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    CheckReport {
        origin: origin.to_owned(),
        valid: errors == 0,
        errors,
        warnings: diagnostics.len() - errors,
        diagnostics: diagnostics.iter().map(DiagnosticDto::from).collect(),
        illustrative: None,
    }
}

/// The problems a loaded edit has, told relative to the text the edit wrote: those within `span` of `file`
/// (`text`) are moved to `label` — their lines, columns and bytes counted from the span's start, so that they
/// point into `text[span]` and say nothing of what comes before it in the file. Those elsewhere are kept as
/// they are when `sees_all`; for anyone else they become one error that says only that the edit conflicts
/// with something outside it (the file's other lines, whatever a message would name there, and how many
/// warnings there are may tell of another nation's restricted pledges).
pub fn relative_to(
    diagnostics: &[Diagnostic],
    file: &str,
    text: &str,
    span: std::ops::Range<usize>,
    label: &str,
    sees_all: bool,
) -> Vec<Diagnostic> {
    let line_of = |at: usize| text[..at.min(text.len())].matches('\n').count() as u32 + 1;
    let first = line_of(span.start);
    let inside =
        |l: &guarantor_core::Location| l.file == file && l.line > 0 && span.contains(&l.span.start);
    let moved = |l: &guarantor_core::Location| guarantor_core::Location {
        file: label.to_owned(),
        line: l.line + 1 - first,
        column: l.column,
        span: l.span.start - span.start..l.span.end.min(span.end) - span.start,
    };
    // Outside the pledge, for anyone but planners: one error saying there is a conflict (if any error is there),
    // and no warning — their number would tell of other nations' hidden pledges.
    let mut told_elsewhere = false;
    diagnostics
        .iter()
        .filter(|d| {
            if sees_all || inside(&d.location) {
                return true;
            }
            let first = d.is_error() && !told_elsewhere;
            told_elsewhere |= first;
            first
        })
        .map(|d| {
            if inside(&d.location) {
                let mut d = d.clone();
                d.location = moved(&d.location);
                d.related = d
                    .related
                    .iter()
                    .filter(|(l, _)| sees_all || inside(l))
                    .map(|(l, note)| (if inside(l) { moved(l) } else { l.clone() }, note.clone()))
                    .collect();
                d
            } else if sees_all {
                d.clone()
            } else {
                Diagnostic {
                    level: d.level,
                    code: "conflicts-elsewhere",
                    message: "the edit conflicts with something outside this pledge (a planner can see what)"
                        .to_owned(),
                    location: guarantor_core::Location {
                        file: label.to_owned(),
                        line: 0,
                        column: 0,
                        span: 0..0,
                    },
                    field: String::new(),
                    expected: None,
                    related: Vec::new(),
                    help: Some("ask a planner, or change this pledge".to_owned()),
                }
            }
        })
        .collect()
}
