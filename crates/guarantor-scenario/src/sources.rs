//! The files of a scenario, in memory: read from a folder, taken from the built-in default, written out.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use guarantor_core::Location;

/// The built-in default scenario's files, embedded in the binary.
const DEFAULT_FILES: &[(&str, &str)] = &[
    ("scenario.toml", include_str!("../default/scenario.toml")),
    ("nations.toml", include_str!("../default/nations.toml")),
    (
        "capabilities.toml",
        include_str!("../default/capabilities.toml"),
    ),
    ("pledges.toml", include_str!("../default/pledges.toml")),
    ("sites.toml", include_str!("../default/sites.toml")),
    (
        "requirements.toml",
        include_str!("../default/requirements.toml"),
    ),
    ("network.toml", include_str!("../default/network.toml")),
    ("terms.toml", include_str!("../default/terms.toml")),
    ("response.toml", include_str!("../default/response.toml")),
    ("cost.toml", include_str!("../default/cost.toml")),
    ("courses.toml", include_str!("../default/courses.toml")),
    (
        "courses/monitoring.toml",
        include_str!("../default/courses/monitoring.toml"),
    ),
    (
        "courses/backstop.toml",
        include_str!("../default/courses/backstop.toml"),
    ),
    (
        "courses/training.toml",
        include_str!("../default/courses/training.toml"),
    ),
    (
        "geometry/contact_line.geojson",
        include_str!("../default/geometry/contact_line.geojson"),
    ),
    (
        "geometry/occupied_area.geojson",
        include_str!("../default/geometry/occupied_area.geojson"),
    ),
    (
        "geometry/countries.geojson",
        include_str!("../default/geometry/countries.geojson"),
    ),
    (
        "geometry/areas.geojson",
        include_str!("../default/geometry/areas.geojson"),
    ),
    (
        "geometry/admin1.geojson",
        include_str!("../default/geometry/admin1.geojson"),
    ),
    (
        "geometry/occupied_monthly.geojson",
        include_str!("../default/geometry/occupied_monthly.geojson"),
    ),
    (
        "geometry/places.csv",
        include_str!("../default/geometry/places.csv"),
    ),
    (
        "geometry/ATTRIBUTION.md",
        include_str!("../default/geometry/ATTRIBUTION.md"),
    ),
];

/// The TOML files every scenario has, in the order they are read.
pub const MODEL_FILES: [&str; 9] = [
    "scenario.toml",
    "nations.toml",
    "capabilities.toml",
    "pledges.toml",
    "sites.toml",
    "requirements.toml",
    "network.toml",
    "terms.toml",
    "response.toml",
];

/// The optional model file with the cost model: read when a scenario has it.
pub const COST_FILE: &str = "cost.toml";

/// A scenario's files as text, keyed by their path relative to the scenario folder (always with `/`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceSet {
    /// Where the files came from, for messages (`<built-in default>` for the embedded scenario).
    pub origin: String,
    files: BTreeMap<String, String>,
}

/// A problem reading a scenario folder from disk.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The folder does not exist or is not a folder.
    #[error("{0} is not a scenario folder (no such directory); `guarantor init {0}` writes one")]
    NotAFolder(String),
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A file is not UTF-8 text.
    #[error("{0} is not UTF-8 text")]
    NotText(String),
}

/// A problem writing a scenario folder to disk.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The target folder already holds scenario files; nothing was written.
    #[error("{0} already holds scenario files ({1}); choose an empty or new folder")]
    NotEmpty(String, String),
    /// A file could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

impl SourceSet {
    /// The built-in default scenario "Reassurance Force Ukraine".
    pub fn builtin_default() -> Self {
        let files = DEFAULT_FILES
            .iter()
            .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
            .collect();
        Self {
            origin: "<built-in default>".into(),
            files,
        }
    }

    /// A set from in-memory files (for tests and the server).
    pub fn from_files(origin: &str, files: impl IntoIterator<Item = (String, String)>) -> Self {
        Self {
            origin: origin.to_owned(),
            files: files.into_iter().collect(),
        }
    }

    /// Reads the scenario files in `dir`: the model files, and every `.geojson`, `.json`, `.csv`, `.md` and
    /// `.toml` under `geometry/`, `data/` and `courses/`. Missing model files are not an error here: validation reports them.
    pub fn read_dir(dir: &Path) -> Result<Self, ReadError> {
        if !dir.is_dir() {
            return Err(ReadError::NotAFolder(dir.display().to_string()));
        }
        let mut files = BTreeMap::new();
        let mut paths: Vec<PathBuf> = MODEL_FILES
            .iter()
            .chain([&COST_FILE, &crate::courses::COURSES_FILE])
            .map(|f| dir.join(f))
            .collect();
        for sub in ["geometry", "data", "courses"] {
            let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let wanted = path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| matches!(e, "geojson" | "json" | "csv" | "md" | "toml"));
                if wanted && path.is_file() {
                    paths.push(path);
                }
            }
        }
        for path in paths {
            let bytes = match std::fs::read(&path) {
                Ok(bytes) => bytes,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(source) => {
                    return Err(ReadError::Io {
                        path: path.display().to_string(),
                        source,
                    });
                }
            };
            let rel = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let text = String::from_utf8(bytes)
                .map_err(|_| ReadError::NotText(path.display().to_string()))?;
            files.insert(rel, text);
        }
        Ok(Self {
            origin: dir.display().to_string(),
            files,
        })
    }

    /// Writes every file under `dir`, creating it. Refuses (writing nothing) if `dir` already holds any of them.
    pub fn write_dir(&self, dir: &Path) -> Result<Vec<PathBuf>, WriteError> {
        let clashes: Vec<&str> = self
            .files
            .keys()
            .filter(|p| dir.join(p).exists())
            .map(String::as_str)
            .collect();
        if !clashes.is_empty() {
            return Err(WriteError::NotEmpty(
                dir.display().to_string(),
                clashes.join(", "),
            ));
        }
        let mut written = Vec::new();
        for (rel, text) in &self.files {
            let path = dir.join(rel);
            let io = |source| WriteError::Io {
                path: path.display().to_string(),
                source,
            };
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(io)?;
            }
            std::fs::write(&path, text).map_err(io)?;
            written.push(path);
        }
        Ok(written)
    }

    /// Whether `text` is the built-in default's file `path`, byte for byte: its geometry is known valid (a test
    /// validates every built-in file), so loading need not check it again on every run.
    pub(crate) fn is_builtin_text(path: &str, text: &str) -> bool {
        DEFAULT_FILES.iter().any(|(p, t)| *p == path && *t == text)
    }

    /// The text of one file.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// Replaces (or adds) one file.
    pub fn set(&mut self, path: &str, text: String) {
        self.files.insert(path.to_owned(), text);
    }

    /// Removes one file.
    pub fn remove(&mut self, path: &str) -> Option<String> {
        self.files.remove(path)
    }

    /// Every file, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().map(|(p, t)| (p.as_str(), t.as_str()))
    }
}

/// One file's text with a line index, to turn byte offsets into line and column.
pub(crate) struct File<'a> {
    pub(crate) path: &'a str,
    pub(crate) text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> File<'a> {
    pub(crate) fn new(path: &'a str, text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self {
            path,
            text,
            line_starts,
        }
    }

    /// The location of a byte range (clamped into the text, snapped to character boundaries).
    pub(crate) fn location(&self, span: Range<usize>) -> Location {
        let clamp = |mut i: usize| {
            i = i.min(self.text.len());
            while !self.text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let (start, end) = (clamp(span.start), clamp(span.end.max(span.start)));
        let line = self.line_starts.partition_point(|&s| s <= start).max(1);
        let line_start = self.line_starts[line - 1];
        let column = self.text[line_start..start].chars().count() + 1;
        Location {
            file: self.path.to_owned(),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
            span: start..end,
        }
    }
}

/// The location of a file as a whole (line 0, column 0).
pub(crate) fn whole_file(path: &str) -> Location {
    Location {
        file: path.to_owned(),
        line: 0,
        column: 0,
        span: 0..0,
    }
}
