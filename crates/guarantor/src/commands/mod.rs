//! The commands, one file a command or group of commands, and what they share: a command's outcome, the global
//! flags, opening a scenario in a world state, the JSON answer, the briefing files and who the audit log names.

pub(crate) mod generate;
pub(crate) mod monitor;
pub(crate) mod plan;
mod progress;
pub(crate) mod respond;
pub(crate) mod scenario;
pub(crate) mod serve;
pub(crate) mod user;

use std::path::{Path, PathBuf};

use anyhow::Context;
use guarantor_app::{OpenError, ScenarioSource};
use guarantor_scenario::{RenderOptions, SourceSet, render_diagnostics};

pub(crate) use progress::Bars;

/// What a command produced: text for stdout and the exit code.
pub(crate) struct Outcome {
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    pub(crate) code: u8,
}

impl Outcome {
    /// Success: `stdout` and nothing on stderr, exit 0.
    pub(crate) fn ok(stdout: String) -> Outcome {
        Outcome {
            stdout,
            stderr: String::new(),
            code: 0,
        }
    }
}

/// The global flags every command is given: `--json`, whether diagnostics are coloured, `--quiet`.
#[derive(Clone, Copy)]
pub(crate) struct Flags {
    pub(crate) json: bool,
    pub(crate) color: bool,
    pub(crate) quiet: bool,
}

fn to_json(value: &impl serde::Serialize) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(value)? + "\n")
}

/// An invalid scenario: diagnostics on stderr (or the JSON report on stdout), exit 2.
fn invalid(
    sources: &SourceSet,
    diagnostics: &[guarantor_core::Diagnostic],
    json: bool,
    color: bool,
) -> anyhow::Result<Outcome> {
    if json {
        let report = guarantor_app::check_report(&sources.origin, diagnostics);
        return Ok(Outcome {
            stdout: to_json(&report)?,
            stderr: String::new(),
            code: 2,
        });
    }
    Ok(Outcome {
        stdout: String::new(),
        stderr: render_diagnostics(sources, diagnostics, RenderOptions { color }),
        code: 2,
    })
}

/// Opens a scenario (diagnostics and exit 2 when it is invalid), picks the world state, and runs `body`.
fn with_scenario(
    dir: Option<PathBuf>,
    world: Option<&str>,
    flags: Flags,
    body: impl FnOnce(
        &guarantor_core::Scenario,
        &guarantor_core::WorldState,
        bool,
    ) -> anyhow::Result<String>,
) -> anyhow::Result<Outcome> {
    let Flags { json, color, .. } = flags;
    let source = ScenarioSource::from_arg(dir);
    let (sources, loaded) = match guarantor_app::open(&source) {
        Ok(opened) => opened,
        Err(OpenError::Invalid {
            sources,
            diagnostics,
        }) => {
            return invalid(&sources, &diagnostics, json, color);
        }
        Err(e) => return Err(e.into()),
    };
    let scenario = &loaded.scenario;
    let world = match world {
        Some(text) => guarantor_scenario::parse_world(scenario, scenario.today(), text)
            .map_err(anyhow::Error::msg)
            .context("bad --world")?,
        None => scenario.today(),
    };
    let stderr = if loaded.warnings.is_empty() || json {
        String::new()
    } else {
        render_diagnostics(&sources, &loaded.warnings, RenderOptions { color })
    };
    let stdout = body(scenario, &world, json)?;
    Ok(Outcome {
        stdout,
        stderr,
        code: 0,
    })
}

/// Opens a scenario, computes a report in the chosen world state, prints it as JSON or as tables.
fn report<R: serde::Serialize, E: std::error::Error + Send + Sync + 'static>(
    dir: Option<PathBuf>,
    world: Option<String>,
    flags: Flags,
    compute: impl FnOnce(&guarantor_core::Scenario, &guarantor_core::WorldState) -> Result<R, E>,
    render: impl FnOnce(&R, &guarantor_core::Scenario) -> String,
    files: Option<impl FnOnce(&R, &guarantor_core::Scenario) -> anyhow::Result<String>>,
) -> anyhow::Result<Outcome> {
    with_scenario(dir, world.as_deref(), flags, |scenario, world, json| {
        let report = compute(scenario, world)?;
        let written = files.map(|f| f(&report, scenario)).transpose()?;
        let mut out = if json {
            to_json(&report)?
        } else {
            render(&report, scenario)
        };
        if let (Some(note), false) = (written, json) {
            out.push_str(&note);
        }
        Ok(out)
    })
}

/// Writes a briefing's files into `dir` (created if need be); says what it wrote.
fn write_briefing(dir: &Path, files: Vec<guarantor_app::OutputFile>) -> anyhow::Result<String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    for f in &files {
        write_file(&dir.join(&f.name), &f.bytes)?;
    }
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    Ok(format!(
        "\nBriefing written to {}: {}\n",
        dir.display(),
        names.join(", ")
    ))
}

/// Writes `contents` to `path`, saying which file could not be written.
fn write_file(path: &Path, contents: impl AsRef<[u8]>) -> anyhow::Result<()> {
    std::fs::write(path, contents)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}

/// Who the audit log names for a change made from the command line: `cli:` and the login name.
fn cli_actor() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".to_owned());
    format!("cli:{user}")
}
