//! The commands on a scenario itself: `guarantor summary` (and no command at all), `export-instance`, `init`
//! and `check`.

use std::path::{Path, PathBuf};

use guarantor_app::ScenarioSource;
use guarantor_scenario::{RenderOptions, SourceSet, render_diagnostics};

use super::{Flags, Outcome, to_json, with_scenario};
use crate::show;

/// `guarantor summary`, and `guarantor` with no command (the built-in default scenario).
pub(crate) fn summary(
    dir: Option<PathBuf>,
    world: Option<String>,
    flags: Flags,
) -> anyhow::Result<Outcome> {
    with_scenario(dir, world.as_deref(), flags, |scenario, world, json| {
        let summary = guarantor_app::summary(scenario, world);
        if json {
            to_json(&summary)
        } else {
            Ok(show::summary(&summary, *world == scenario.today()))
        }
    })
}

/// `guarantor export-instance`: the sourcing instance as JSON.
pub(crate) fn export_instance(
    dir: Option<PathBuf>,
    world: Option<String>,
    flags: Flags,
) -> anyhow::Result<Outcome> {
    with_scenario(dir, world.as_deref(), flags, |scenario, world, _| {
        to_json(&guarantor_app::export_instance(scenario, world))
    })
}

/// `guarantor init`: the built-in default scenario written out as files to edit.
pub(crate) fn init(dir: &Path, json: bool) -> anyhow::Result<Outcome> {
    let written = SourceSet::builtin_default().write_dir(dir)?;
    let files: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    let stdout = if json {
        to_json(&serde_json::json!({ "dir": dir.display().to_string(), "files": files }))?
    } else {
        let mut out = format!(
            "wrote the default scenario \"Reassurance Force Ukraine\" to {}:\n",
            dir.display()
        );
        for f in &files {
            out.push_str(&format!("  {f}\n"));
        }
        out.push_str(&format!(
            "\nedit the TOML files (docs/scenario-format.md explains each field), then run\n  guarantor check {0}\n  guarantor summary {0}\n",
            dir.display()
        ));
        out
    };
    Ok(Outcome::ok(stdout))
}

/// `guarantor check`: every problem of a scenario with file, line and column (exit 2 when it is invalid).
pub(crate) fn check(
    dir: Option<PathBuf>,
    illustrative: bool,
    flags: Flags,
) -> anyhow::Result<Outcome> {
    let source = ScenarioSource::from_arg(dir);
    let sources = guarantor_app::read_sources(&source)?;
    let checked = guarantor_scenario::check(&sources);
    let mut report = guarantor_app::check_report(&sources.origin, &checked.diagnostics);
    if illustrative {
        report.illustrative = Some(guarantor_scenario::illustrative(&sources));
    }
    let code = if report.valid { 0 } else { 2 };
    if flags.json {
        return Ok(Outcome {
            stdout: to_json(&report)?,
            stderr: String::new(),
            code,
        });
    }
    let mut stderr = render_diagnostics(
        &sources,
        &checked.diagnostics,
        RenderOptions { color: flags.color },
    );
    let mut stdout = if report.valid {
        match &checked.scenario {
            Some(s) => format!(
                "ok: {} is valid: {} nations, {} pledges, {} sites, {} requirement lines{}\n",
                sources.origin,
                s.nations.len(),
                s.pledges.len(),
                s.sites.len(),
                s.requirements.len(),
                if report.warnings > 0 {
                    format!(" ({} warnings)", report.warnings)
                } else {
                    String::new()
                }
            ),
            None => String::new(),
        }
    } else {
        String::new()
    };
    if report.valid && report.warnings == 0 {
        stderr.clear();
    }
    if let Some(cited) = &report.illustrative {
        stdout.push_str(&show::illustrative(cited));
    }
    Ok(Outcome {
        stdout,
        stderr,
        code,
    })
}
