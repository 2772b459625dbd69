//! Synthetic inputs for benchmarks and load tests: `guarantor generate` (a scenario) and `guarantor
//! closure-bench` (a movement problem, solved and timed).

use std::path::Path;

use super::{Outcome, to_json, write_file};

/// `guarantor generate`: a synthetic scenario of the size `spec` gives, written into `dir`.
pub(crate) fn scenario(
    dir: &Path,
    spec: &guarantor_scenario::SyntheticSpec,
    json: bool,
) -> anyhow::Result<Outcome> {
    let files = guarantor_scenario::synthetic(spec)?;
    let written = files.write_dir(dir)?;
    let stdout = if json {
        to_json(&serde_json::json!({ "dir": dir.display().to_string(), "files": written.len() }))?
    } else {
        format!(
            "wrote a synthetic scenario ({} nations, {} pledges, {} lines, {} sites, {} facts, seed {}) to {}\n",
            spec.nations,
            spec.pledges,
            spec.lines,
            spec.sites,
            spec.facts,
            spec.seed,
            dir.display()
        )
    };
    Ok(Outcome::ok(stdout))
}

/// `guarantor closure-bench`: a generated movement problem solved over `days` and timed; `instance` receives
/// the problem as JSON.
pub(crate) fn closure_bench(
    spec: &guarantor_app::bench::ClosureSpec,
    days: u32,
    instance: Option<&Path>,
    json: bool,
) -> anyhow::Result<Outcome> {
    let (problem, run) = guarantor_app::bench::closure_bench(spec, days)?;
    if let Some(path) = instance {
        write_file(path, to_json(&problem)?)?;
    }
    let stdout = if json {
        to_json(&run)?
    } else {
        format!(
            "{} units ({} troops) over {} nodes and {} links: {} ({:.3} s)\n",
            run.units,
            run.troops,
            run.nodes,
            run.links,
            run.closure_day.map_or_else(
                || format!("not all closed within {} days", run.horizon_days),
                |d| format!("all closed on day {d}")
            ),
            run.seconds
        )
    };
    Ok(Outcome::ok(stdout))
}
