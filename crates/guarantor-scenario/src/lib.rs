//! guarantor's scenario files: a folder of TOML (the model) and GeoJSON (the geometry) that a planner keeps in
//! git, read into a [`guarantor_core::Scenario`] with every problem reported as a diagnostic with file, line,
//! column and field. Nothing here panics on user data.
//!
//! ```
//! use guarantor_scenario::{SourceSet, load};
//! let scenario = load(&SourceSet::builtin_default()).expect("the default scenario is valid").scenario;
//! assert_eq!(scenario.name, "Reassurance Force Ukraine");
//! ```
//!
//! The layout of each file is in `docs/scenario-format.md`; the built-in default scenario lives in this
//! crate's `default/` folder and is embedded in the binary.

mod check;
mod cited;
mod cost;
mod courses;
mod dates;
mod decode;
mod diag;
mod edit;
mod gazetteer;
mod geometry;
mod layout;
mod model;
mod reader;
mod render;
mod reports;
mod response;
mod sources;
mod synthetic;

use guarantor_core::{Diagnostic, Scenario, WorldState};

pub use cited::{Cited, citations, illustrative};
pub use courses::COURSES_FILE;
pub use dates::{DATE_FORMS, DateOrder, When, parse_when};
pub use decode::{Decoded, decode, delimiter, delimiter_name, encoding_named};
pub use edit::{EditError, PLEDGES_FILE, Put, delete_pledge, pledge_span, put_pledge};
pub use encoding_rs::Encoding;
pub use gazetteer::{Gazetteer, Place};
pub use layout::{
    Layout, LayoutFormat, builtin_layout_files, builtin_layouts, guess_layout, layout_named,
    layout_names, read_layout,
};
pub use render::{RenderOptions, render_diagnostics};
pub use reports::{
    LOCAL_ZONE, ReadFile, ReadOptions, ReadReports, Rejected, read_file, read_reports,
    read_reports_with_progress, reports_csv,
};
pub use sources::{COST_FILE, MODEL_FILES, ReadError, SourceSet, WriteError};
pub use synthetic::{SyntheticError, SyntheticSpec, synthetic};

/// What checking a scenario found: the scenario when it has no errors, and every diagnostic in file order.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The scenario, when there is no error (warnings allowed).
    pub scenario: Option<Scenario>,
    /// Every problem found, errors and warnings, ordered by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
}

/// A scenario that loaded, with the warnings it raised.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The scenario.
    pub scenario: Scenario,
    /// Warnings (never errors).
    pub warnings: Vec<Diagnostic>,
}

/// Reads and validates every file of a scenario, reporting every problem, not just the first.
pub fn check(sources: &SourceSet) -> Checked {
    let mut sink = diag::Sink::default();
    let model = model::read_model(sources, &mut sink);
    let theatre = geometry::read_theatre(sources, &model.geometry, &mut sink);
    check::cross_check(&model, theatre.as_ref(), &mut sink);
    let scenario = if sink.has_errors() {
        None
    } else {
        assemble(model, theatre)
    };
    let mut diagnostics = sink.diagnostics;
    let order = |file: &str| {
        MODEL_FILES
            .iter()
            .position(|f| *f == file)
            .unwrap_or(MODEL_FILES.len())
    };
    diagnostics.sort_by(|a, b| {
        let (la, lb) = (&a.location, &b.location);
        (
            order(&la.file),
            &la.file,
            la.line,
            la.column,
            a.level,
            &a.message,
        )
            .cmp(&(
                order(&lb.file),
                &lb.file,
                lb.line,
                lb.column,
                b.level,
                &b.message,
            ))
    });
    diagnostics.dedup();
    Checked {
        scenario,
        diagnostics,
    }
}

/// Loads a scenario: its model, or every diagnostic when it has errors.
pub fn load(sources: &SourceSet) -> Result<Loaded, Vec<Diagnostic>> {
    let checked = check(sources);
    match checked.scenario {
        Some(scenario) => Ok(Loaded {
            scenario,
            warnings: checked.diagnostics,
        }),
        None => Err(checked.diagnostics),
    }
}

fn assemble(model: model::Model, theatre: Option<guarantor_core::Theatre>) -> Option<Scenario> {
    let mut response = model.response?;
    for (c, at_site) in response
        .contingencies
        .iter_mut()
        .zip(&model.contingency_at_site)
    {
        if *at_site {
            let site = c.site.as_ref()?;
            c.objective = model
                .sites
                .iter()
                .find(|s| &s.site.id == site)?
                .site
                .location;
        }
    }
    let mut scenario = Scenario {
        name: model.name?,
        description: model.description,
        fair_share: model.fair_share?,
        mission: model.mission?,
        facts: model.facts.into_iter().map(|(f, _)| f).collect(),
        nations: model.nations,
        capabilities: model.capabilities.into_iter().map(|(c, _)| c).collect(),
        pledges: model.pledges,
        sites: model.sites.into_iter().map(|s| s.site).collect(),
        requirements: model
            .requirements
            .into_iter()
            .map(|r| r.requirement)
            .collect(),
        network: guarantor_core::Network {
            nodes: model.nodes.into_iter().map(|n| n.node).collect(),
            links: model.links,
            reserves: model.reserves,
        },
        terms: model.terms?,
        response,
        cost: model.cost,
        courses: Vec::new(),
        theatre: theatre?,
        source: model.source?,
    };
    // A course's requirements are the scenario's unless it has its own: resolved once the scenario is whole.
    scenario.courses = model
        .courses
        .into_iter()
        .map(|c| courses::resolve(c, &scenario))
        .collect();
    Some(scenario)
}

/// Parses a world state as `--world` takes it: `fact=true,other=false` (also `yes`/`no`, `1`/`0`), starting from
/// `base` (usually today's). Every fact named must be one the scenario declares.
pub fn parse_world(
    scenario: &Scenario,
    base: WorldState,
    text: &str,
) -> Result<WorldState, String> {
    let mut world = base;
    // `today` (as courses.toml writes it) sets nothing on top of the base.
    for part in text
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty() && *p != "today")
    {
        let Some((name, value)) = part.split_once('=') else {
            return Err(format!("`{part}` is not `fact=true` or `fact=false`"));
        };
        let (name, value) = (name.trim(), value.trim());
        let Some(fact) = scenario.facts.iter().find(|f| f.id.as_str() == name) else {
            let names: Vec<&str> = scenario.facts.iter().map(|f| f.id.as_str()).collect();
            let guess = diag::did_you_mean(name, names.iter().copied())
                .map(|g| format!(" (did you mean `{g}`?)"))
                .unwrap_or_default();
            return Err(format!(
                "unknown political fact `{name}`{guess}; the scenario's facts are {}",
                diag::one_of(&names)
            ));
        };
        let value = match value {
            "true" | "yes" | "1" => true,
            "false" | "no" | "0" => false,
            other => {
                return Err(format!(
                    "`{other}` is not a truth value for `{name}`: use true or false"
                ));
            }
        };
        world.set(fact.id.clone(), value);
    }
    Ok(world)
}
