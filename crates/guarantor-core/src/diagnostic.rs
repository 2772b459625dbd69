//! Diagnostics: one problem found in user data, with where it is and what was expected.

use std::fmt;
use std::ops::Range;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// The data cannot be used as it is.
    Error,
    /// The data can be used, but probably not as meant.
    Warning,
}

impl Level {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

/// Where a problem is: a file, and a place in it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    /// The file, relative to the scenario folder (e.g. `pledges.toml`).
    pub file: String,
    /// 1-based line (0 when the problem concerns the file as a whole).
    pub line: u32,
    /// 1-based column in characters (0 when the problem concerns the file as a whole).
    pub column: u32,
    /// Byte range in the file the problem points at.
    pub span: Range<usize>,
}

/// One problem found in user data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub level: Level,
    /// A stable, kebab-case name for the kind of problem (e.g. `unknown-reference`), for tools.
    pub code: &'static str,
    /// What is wrong, lowercase, no trailing period.
    pub message: String,
    /// Where.
    pub location: Location,
    /// The field, as a path (e.g. `pledge[fra-mech].nation`).
    pub field: String,
    /// What would have been accepted.
    pub expected: Option<String>,
    /// Other places that explain the problem (e.g. the first definition of a duplicate id).
    pub related: Vec<(Location, String)>,
    /// A hint for fixing it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// Whether this diagnostic stops the data from being used.
    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `file:line:col: level[code]: message (field)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = &self.location;
        write!(
            f,
            "{}:{}:{}: {}[{}]: {} ({})",
            l.file,
            l.line,
            l.column,
            self.level.as_str(),
            self.code,
            self.message,
            self.field
        )?;
        if let Some(expected) = &self.expected {
            write!(f, "; expected {expected}")?;
        }
        Ok(())
    }
}
