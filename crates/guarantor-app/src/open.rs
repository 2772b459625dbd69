//! Where a scenario comes from (the built-in default or a folder) and opening it.

use std::path::PathBuf;

use guarantor_core::Diagnostic;
use guarantor_scenario::{Checked, Loaded, ReadError, SourceSet, check};

/// Where to read a scenario from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScenarioSource {
    /// The built-in default scenario "Reassurance Force Ukraine".
    Builtin,
    /// A scenario folder.
    Dir(PathBuf),
}

impl ScenarioSource {
    /// `Dir` when a folder is given, otherwise the built-in default.
    pub fn from_arg(dir: Option<PathBuf>) -> Self {
        dir.map_or(ScenarioSource::Builtin, ScenarioSource::Dir)
    }
}

/// Why a scenario could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The files could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The files were read but have errors; the sources are kept so the diagnostics can be shown in context.
    #[error("the scenario in {} has {} problems", .sources.origin, .diagnostics.iter().filter(|d| d.is_error()).count())]
    Invalid {
        /// The files, for rendering the diagnostics.
        sources: Box<SourceSet>,
        /// Every problem.
        diagnostics: Vec<Diagnostic>,
    },
}

/// Reads a scenario's files.
pub fn read_sources(source: &ScenarioSource) -> Result<SourceSet, ReadError> {
    match source {
        ScenarioSource::Builtin => Ok(SourceSet::builtin_default()),
        ScenarioSource::Dir(dir) => SourceSet::read_dir(dir),
    }
}

/// Reads and validates a scenario; fails with every diagnostic when it has errors.
pub fn open(source: &ScenarioSource) -> Result<(SourceSet, Loaded), OpenError> {
    let sources = read_sources(source)?;
    let Checked {
        scenario,
        diagnostics,
    } = check(&sources);
    match scenario {
        Some(scenario) => Ok((
            sources,
            Loaded {
                scenario,
                warnings: diagnostics,
            },
        )),
        None => Err(OpenError::Invalid {
            sources: Box::new(sources),
            diagnostics,
        }),
    }
}
