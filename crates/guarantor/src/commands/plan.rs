//! The planning commands: `guarantor plan` (the scenario's own requirements or a course of action), `compare`,
//! `core` and `whatif`.

use std::path::PathBuf;

use super::{Bars, Flags, Outcome, report, to_json, with_scenario, write_briefing};
use crate::show;

/// `guarantor plan`: the scenario's own requirements within `limits`, or a course of action of `courses.toml`.
pub(crate) fn plan(
    dir: Option<PathBuf>,
    world: Option<String>,
    out: Option<PathBuf>,
    course: Option<String>,
    limits: guarantor_app::SourcingLimits,
    flags: Flags,
) -> anyhow::Result<Outcome> {
    match course {
        Some(id) => course_plan(dir, world, out, &id, &limits, flags),
        None => own_plan(dir, world, out, &limits, flags),
    }
}

/// `guarantor plan --course ID`: a course of action, in its first world state unless `world` is given.
fn course_plan(
    dir: Option<PathBuf>,
    world: Option<String>,
    out: Option<PathBuf>,
    id: &str,
    limits: &guarantor_app::SourcingLimits,
    flags: Flags,
) -> anyhow::Result<Outcome> {
    if limits.goal_seconds.is_some() || limits.fill_only {
        anyhow::bail!(
            "--goal-time-limit and --fill-only are for a plan of the scenario's own requirements, not \
             --course"
        );
    }
    let bars = Bars::new(flags.quiet);
    let given = world.is_some();
    with_scenario(dir, world.as_deref(), flags, |s, w, json| {
        let guarantor_app::CoursePlan {
            course: c,
            scenario: cs,
            report: r,
            ..
        } = guarantor_app::course_plan(s, id, given.then(|| w.clone()))?;
        let note = out
            .map(|out| write_briefing(&out, guarantor_app::plan_briefing(&cs, &r, &bars)?))
            .transpose()?;
        let mut text = if json {
            to_json(&r)?
        } else {
            format!(
                "course of action: {} ({})\n{}",
                c.name,
                c.id,
                show::plan(&r, &cs)
            )
        };
        if let (Some(note), false) = (note, json) {
            text.push_str(&note);
        }
        Ok(text)
    })
}

/// `guarantor plan` without `--course`: the scenario's own requirements sourced within `limits`.
fn own_plan(
    dir: Option<PathBuf>,
    world: Option<String>,
    out: Option<PathBuf>,
    limits: &guarantor_app::SourcingLimits,
    flags: Flags,
) -> anyhow::Result<Outcome> {
    let bars = Bars::new(flags.quiet);
    report(
        dir,
        world,
        flags,
        |s: &guarantor_core::Scenario, w: &guarantor_core::WorldState| {
            guarantor_app::plan_within(s, w, limits)
        },
        show::plan,
        briefing(out, &bars, guarantor_app::plan_briefing),
    )
}

/// `guarantor compare`: the courses of action side by side.
pub(crate) fn compare(
    dir: Option<PathBuf>,
    world: Option<String>,
    out: Option<PathBuf>,
    flags: Flags,
) -> anyhow::Result<Outcome> {
    let bars = &Bars::new(flags.quiet);
    report(
        dir,
        world,
        flags,
        |s: &guarantor_core::Scenario, _: &guarantor_core::WorldState| {
            guarantor_app::compare(s, &guarantor_app::SourcingLimits::default(), bars)
        },
        |r, _| show::compare(r),
        briefing(out, bars, guarantor_app::compare_briefing),
    )
}

/// `guarantor core`: the smallest core coalition filling `share` of the essential troops (default: the
/// mission's `foc_fill`).
pub(crate) fn core(
    dir: Option<PathBuf>,
    world: Option<String>,
    share: Option<f64>,
    flags: Flags,
) -> anyhow::Result<Outcome> {
    report(
        dir,
        world,
        flags,
        |s: &guarantor_core::Scenario, w: &guarantor_core::WorldState| {
            guarantor_app::core(s, w, share.unwrap_or(s.mission.foc_fill))
        },
        |r, _| show::core(r),
        None::<fn(&guarantor_app::CoreReport, &guarantor_core::Scenario) -> anyhow::Result<String>>,
    )
}

/// `guarantor whatif`: every combination of the political facts, worst to best.
pub(crate) fn whatif(
    dir: Option<PathBuf>,
    world: Option<String>,
    out: Option<PathBuf>,
    flags: Flags,
) -> anyhow::Result<Outcome> {
    let bars = &Bars::new(flags.quiet);
    report(
        dir,
        world,
        flags,
        |s: &guarantor_core::Scenario, w: &guarantor_core::WorldState| {
            guarantor_app::whatif_with_progress(s, w, bars)
        },
        |r, _| show::whatif(r),
        briefing(out, bars, guarantor_app::whatif_briefing),
    )
}

/// What makes the briefing files of a report (`guarantor_app::plan_briefing` and the like).
type MakeBriefing<R> = fn(
    &guarantor_core::Scenario,
    &R,
    &dyn guarantor_app::Progress,
) -> Result<Vec<guarantor_app::OutputFile>, guarantor_app::BriefingError>;

/// With `--out DIR`: what writes the briefing `make` makes of a report into `DIR` and says what it wrote.
fn briefing<'b, R: 'b>(
    out: Option<PathBuf>,
    bars: &'b Bars,
    make: MakeBriefing<R>,
) -> Option<impl FnOnce(&R, &guarantor_core::Scenario) -> anyhow::Result<String> + 'b> {
    out.map(|out| {
        move |r: &R, s: &guarantor_core::Scenario| write_briefing(&out, make(s, r, bars)?)
    })
}
