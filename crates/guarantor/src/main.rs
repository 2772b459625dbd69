//! The `guarantor` command: plans, sources, deploys and watches over a multinational reassurance force.
//!
//! This file owns the dispatch, the terminal and exit codes (0 ok, 2 invalid input or other error); the
//! arguments are in `args.rs`, the text renderings in `show.rs`; every answer comes from `guarantor-app`, the
//! same code the server calls.

mod args;
mod show;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use crate::args::{Cli, Color, Command, Database, MonitorCommand, UserCommand};
use guarantor_app::{OpenError, ScenarioSource};

/// mimalloc: reading a large export allocates on every core and frees on one, where glibc's allocator slows
/// down (BENCHMARKS.md, intake).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use guarantor_scenario::{RenderOptions, SourceSet, render_diagnostics};

/// What a command produced: text for stdout and the exit code.
struct Outcome {
    stdout: String,
    stderr: String,
    code: u8,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let outcome = match run(cli, color) {
        Ok(outcome) => outcome,
        Err(e) => Outcome {
            stdout: String::new(),
            stderr: format!("error: {e:#}\n"),
            code: 2,
        },
    };
    // A closed pipe (`guarantor | head`) is not an error.
    let wrote = std::io::stdout()
        .lock()
        .write_all(outcome.stdout.as_bytes());
    if let Err(e) = wrote
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write output: {e}");
        return ExitCode::from(2);
    }
    let _ = std::io::stderr()
        .lock()
        .write_all(outcome.stderr.as_bytes());
    ExitCode::from(outcome.code)
}

fn run(cli: Cli, color: bool) -> anyhow::Result<Outcome> {
    match cli.command {
        None => summary(None, cli.world.as_deref(), cli.json, color),
        Some(Command::Summary { dir, world }) => summary(
            dir,
            world.as_deref().or(cli.world.as_deref()),
            cli.json,
            color,
        ),
        Some(Command::Plan {
            dir,
            world,
            out,
            course: Some(id),
            goal_time_limit,
            fill_only,
        }) => {
            if goal_time_limit.is_some() || fill_only {
                anyhow::bail!(
                    "--goal-time-limit and --fill-only are for a plan of the scenario's own requirements, not \
                     --course"
                );
            }
            let bars = Bars::new(cli.quiet);
            let world = world.or(cli.world);
            let given = world.is_some();
            with_scenario(dir, world.as_deref(), cli.json, color, |s, w, json| {
                let guarantor_app::CoursePlan {
                    course: c,
                    scenario: cs,
                    report: r,
                    ..
                } = guarantor_app::course_plan(s, &id, given.then(|| w.clone()))?;
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
        Some(Command::Compare { dir, out }) => {
            let bars = &Bars::new(cli.quiet);
            report(
                dir,
                cli.world,
                cli.json,
                color,
                |s: &guarantor_core::Scenario, _: &guarantor_core::WorldState| {
                    guarantor_app::compare(s, bars)
                },
                |r, _| show::compare(r),
                out.map(|out| {
                    move |r: &guarantor_app::CompareReport, s: &guarantor_core::Scenario| {
                        write_briefing(&out, guarantor_app::compare_briefing(s, r, bars)?)
                    }
                }),
            )
        }
        Some(Command::Plan {
            dir,
            world,
            out,
            course: None,
            goal_time_limit,
            fill_only,
        }) => {
            let bars = Bars::new(cli.quiet);
            let limits = guarantor_app::SourcingLimits {
                goal_seconds: goal_time_limit,
                fill_only,
            };
            report(
                dir,
                world.or(cli.world),
                cli.json,
                color,
                |s: &guarantor_core::Scenario, w: &guarantor_core::WorldState| {
                    guarantor_app::plan_within(s, w, &limits)
                },
                show::plan,
                out.map(|out| {
                    move |r: &guarantor_app::PlanReport, s: &guarantor_core::Scenario| {
                        write_briefing(&out, guarantor_app::plan_briefing(s, r, &bars)?)
                    }
                }),
            )
        }
        Some(Command::Core { dir, world, share }) => report(
            dir,
            world.or(cli.world),
            cli.json,
            color,
            |s: &guarantor_core::Scenario, w: &guarantor_core::WorldState| {
                guarantor_app::core(s, w, share.unwrap_or(s.mission.foc_fill))
            },
            |r, _| show::core(r),
            None::<
                fn(&guarantor_app::CoreReport, &guarantor_core::Scenario) -> anyhow::Result<String>,
            >,
        ),
        Some(Command::Whatif { dir, world, out }) => {
            let bars = &Bars::new(cli.quiet);
            report(
                dir,
                world.or(cli.world),
                cli.json,
                color,
                |s: &guarantor_core::Scenario, w: &guarantor_core::WorldState| {
                    guarantor_app::whatif_with_progress(s, w, bars)
                },
                |r, _| show::whatif(r),
                out.map(|out| {
                    move |r: &guarantor_app::WhatIfReport, s: &guarantor_core::Scenario| {
                        write_briefing(&out, guarantor_app::whatif_briefing(s, r, bars)?)
                    }
                }),
            )
        }
        Some(Command::Respond {
            dir,
            world,
            contingency,
            incident,
            db,
            site,
            point,
            day,
            without,
            list,
            whatif,
            out,
            timings,
        }) => {
            let bars = Bars::new(cli.quiet);
            let incident_db = db.unwrap_or_else(|| match &dir {
                Some(d) => d.join("monitor.sqlite"),
                None => PathBuf::from("guarantor-monitor.sqlite"),
            });
            with_scenario(
                dir,
                world.or(cli.world).as_deref(),
                cli.json,
                color,
                |scenario, world, json| {
                    respond(
                        scenario,
                        world,
                        json,
                        Target {
                            contingency,
                            incident: incident.map(|id| (id, incident_db)),
                            site,
                            point,
                            day,
                            without,
                            list,
                            whatif,
                            out,
                            timings,
                        },
                        &bars,
                    )
                },
            )
        }
        Some(Command::ExportInstance { dir, world }) => with_scenario(
            dir,
            world.or(cli.world).as_deref(),
            cli.json,
            color,
            |scenario, world, _| to_json(&guarantor_app::export_instance(scenario, world)),
        ),
        Some(Command::Generate {
            dir,
            nations,
            pledges,
            lines,
            sites,
            facts,
            seed,
        }) => {
            let spec = guarantor_scenario::SyntheticSpec {
                nations,
                pledges,
                lines,
                sites,
                facts,
                seed,
            };
            let files = guarantor_scenario::synthetic(&spec)?;
            let written = files.write_dir(&dir)?;
            let stdout = if cli.json {
                to_json(
                    &serde_json::json!({ "dir": dir.display().to_string(), "files": written.len() }),
                )?
            } else {
                format!(
                    "wrote a synthetic scenario ({nations} nations, {pledges} pledges, {lines} lines, {sites} sites, {facts} facts, seed {seed}) to {}\n",
                    dir.display()
                )
            };
            Ok(Outcome {
                stdout,
                stderr: String::new(),
                code: 0,
            })
        }
        Some(Command::ClosureBench {
            nodes,
            extra_links,
            units,
            days,
            max_ready,
            seed,
            instance,
        }) => {
            let spec = guarantor_app::bench::ClosureSpec {
                seed,
                nodes,
                extra_links_per_node: extra_links,
                units,
                max_ready_day: max_ready,
            };
            let (problem, run) = guarantor_app::bench::closure_bench(&spec, days)?;
            if let Some(path) = &instance {
                std::fs::write(path, to_json(&problem)?)
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            }
            let stdout = if cli.json {
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
            Ok(Outcome {
                stdout,
                stderr: String::new(),
                code: 0,
            })
        }
        Some(Command::Monitor {
            db,
            scenario,
            command,
        }) => monitor(db, scenario, command, cli.json, color, cli.quiet),
        Some(Command::Serve {
            addr,
            scenario,
            trusted_proxies,
            public_origin,
            database,
        }) => serve(
            &addr,
            scenario,
            trusted_proxies,
            public_origin.as_deref(),
            &database,
            color,
        ),
        Some(Command::User { database, command }) => user(&database, command, cli.json),
        Some(Command::Init { dir }) => init(&dir, cli.json),
        Some(Command::Check { dir, illustrative }) => check(dir, illustrative, cli.json, color),
    }
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
    json: bool,
    color: bool,
    body: impl FnOnce(
        &guarantor_core::Scenario,
        &guarantor_core::WorldState,
        bool,
    ) -> anyhow::Result<String>,
) -> anyhow::Result<Outcome> {
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

/// What `guarantor respond` is asked.
struct Target {
    contingency: Option<String>,
    /// A stored incident and the monitoring database it is in.
    incident: Option<(u64, PathBuf)>,
    site: Option<String>,
    point: Option<String>,
    day: Option<u32>,
    without: Vec<String>,
    list: bool,
    whatif: bool,
    out: Option<PathBuf>,
    timings: bool,
}

/// `guarantor respond`: one response in full, or every planned contingency in a table.
fn respond(
    scenario: &guarantor_core::Scenario,
    world: &guarantor_core::WorldState,
    json: bool,
    target: Target,
    bars: &Bars,
) -> anyhow::Result<String> {
    if target.whatif {
        let report = guarantor_app::response_whatif(scenario, world, target.day, bars)
            .context("the force could not be sourced in some world state")?;
        let written = target
            .out
            .map(|out| {
                write_briefing(
                    &out,
                    guarantor_app::response_whatif_briefing(scenario, &report, bars)?,
                )
            })
            .transpose()?;
        return if json {
            to_json(&report)
        } else {
            Ok(show::response_whatif(&report) + &written.unwrap_or_default())
        };
    }
    if target.list {
        let list = guarantor_app::contingencies(scenario);
        if json {
            return to_json(&list);
        }
        let mut out = String::new();
        for c in &list {
            out.push_str(&format!(
                "{:<28} {:<16} {:<26} {}\n",
                c.id,
                c.kind,
                c.site.as_deref().unwrap_or("(nearest site)"),
                c.name
            ));
        }
        return Ok(out);
    }
    let mut without = std::collections::BTreeSet::new();
    for code in &target.without {
        let code = guarantor_core::NationCode::new(&code.to_ascii_uppercase())
            .map_err(|e| anyhow::anyhow!("bad --without `{code}`: {e}"))?;
        without.insert(code);
    }
    let ask = match (&target.contingency, &target.site, &target.point) {
        _ if target.incident.is_some() => {
            let (id, db) = target.incident.clone().unwrap_or_default();
            let mut store = guarantor_store::SqliteStore::open_existing(&db)?;
            guarantor_app::refresh_incidents(&mut store, jiff::Timestamp::now())?;
            Some(guarantor_app::incident_ask(scenario, &store, id).map_err(anyhow::Error::msg)?)
        }
        (Some(id), _, _) => Some(guarantor_app::Ask::Contingency(
            guarantor_core::TermId::new(id)
                .map_err(|e| anyhow::anyhow!("bad --contingency `{id}`: {e}"))?,
        )),
        (_, Some(site), _) => Some(guarantor_app::Ask::Site(
            guarantor_core::SiteId::new(site)
                .map_err(|e| anyhow::anyhow!("bad --site `{site}`: {e}"))?,
        )),
        (_, _, Some(point)) => Some(parse_point(point)?),
        _ => None,
    };
    let started = std::time::Instant::now();
    let posture = guarantor_app::posture(scenario, world)
        .context("the force could not be sourced in this world state")?;
    let sourced = started.elapsed();
    match ask {
        Some(ask) => {
            let started = std::time::Instant::now();
            let report = posture.respond(&ask, target.day, &without)?;
            if target.timings {
                eprintln!(
                    "timings: sourcing and movement {:.3} s; the response {:.1} ms",
                    sourced.as_secs_f64(),
                    started.elapsed().as_secs_f64() * 1000.0
                );
            }
            let written = target
                .out
                .map(|out| {
                    write_briefing(
                        &out,
                        guarantor_app::response_briefing(scenario, &report, bars)?,
                    )
                })
                .transpose()?;
            if json {
                to_json(&report)
            } else {
                Ok(show::response(&report) + &written.unwrap_or_default())
            }
        }
        None => {
            let reports = scenario
                .response
                .contingencies
                .iter()
                .map(|c| {
                    posture.respond(
                        &guarantor_app::Ask::Contingency(c.id.clone()),
                        target.day,
                        &without,
                    )
                })
                .collect::<Result<Vec<_>, _>>()?;
            if json {
                to_json(&reports)
            } else {
                Ok(show::contingencies(&reports))
            }
        }
    }
}

/// `LAT,LON` in degrees.
fn parse_point(text: &str) -> anyhow::Result<guarantor_app::Ask> {
    let bad =
        || anyhow::anyhow!("bad --point `{text}`: expected LAT,LON in degrees, e.g. 47.84,35.14");
    let (lat, lon) = text.split_once(',').ok_or_else(bad)?;
    let lat: f64 = lat.trim().parse().map_err(|_| bad())?;
    let lon: f64 = lon.trim().parse().map_err(|_| bad())?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(bad());
    }
    Ok(guarantor_app::Ask::Point { lat, lon })
}

/// Opens a scenario, computes a report in the chosen world state, prints it as JSON or as tables.
fn report<R: serde::Serialize, E: std::error::Error + Send + Sync + 'static>(
    dir: Option<PathBuf>,
    world: Option<String>,
    json: bool,
    color: bool,
    compute: impl FnOnce(&guarantor_core::Scenario, &guarantor_core::WorldState) -> Result<R, E>,
    render: impl FnOnce(&R, &guarantor_core::Scenario) -> String,
    files: Option<impl FnOnce(&R, &guarantor_core::Scenario) -> anyhow::Result<String>>,
) -> anyhow::Result<Outcome> {
    with_scenario(
        dir,
        world.as_deref(),
        json,
        color,
        |scenario, world, json| {
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
        },
    )
}

/// Writes a briefing's files into `dir` (created if need be); says what it wrote.
fn write_briefing(
    dir: &std::path::Path,
    files: Vec<guarantor_app::OutputFile>,
) -> anyhow::Result<String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    for f in &files {
        let path = dir.join(&f.name);
        std::fs::write(&path, &f.bytes)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    Ok(format!(
        "\nBriefing written to {}: {}\n",
        dir.display(),
        names.join(", ")
    ))
}

fn summary(
    dir: Option<PathBuf>,
    world: Option<&str>,
    json: bool,
    color: bool,
) -> anyhow::Result<Outcome> {
    with_scenario(dir, world, json, color, |scenario, world, json| {
        let summary = guarantor_app::summary(scenario, world);
        if json {
            to_json(&summary)
        } else {
            Ok(show::summary(&summary, *world == scenario.today()))
        }
    })
}

fn init(dir: &std::path::Path, json: bool) -> anyhow::Result<Outcome> {
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
    Ok(Outcome {
        stdout,
        stderr: String::new(),
        code: 0,
    })
}

fn check(
    dir: Option<PathBuf>,
    illustrative: bool,
    json: bool,
    color: bool,
) -> anyhow::Result<Outcome> {
    let source = ScenarioSource::from_arg(dir);
    let sources = guarantor_app::read_sources(&source)?;
    let checked = guarantor_scenario::check(&sources);
    let mut report = guarantor_app::check_report(&sources.origin, &checked.diagnostics);
    if illustrative {
        report.illustrative = Some(guarantor_scenario::illustrative(&sources));
    }
    let code = if report.valid { 0 } else { 2 };
    if json {
        return Ok(Outcome {
            stdout: to_json(&report)?,
            stderr: String::new(),
            code,
        });
    }
    let mut stderr = render_diagnostics(&sources, &checked.diagnostics, RenderOptions { color });
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

/// Progress bars on stderr: drawn only when stderr is a terminal and `--quiet` is not given.
struct Bars {
    bar: indicatif::ProgressBar,
}

impl Bars {
    fn new(quiet: bool) -> Bars {
        let target = if quiet {
            indicatif::ProgressDrawTarget::hidden()
        } else {
            indicatif::ProgressDrawTarget::stderr()
        };
        let bar = indicatif::ProgressBar::with_draw_target(Some(0), target);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{msg:40!} [{bar:30}] {percent:>3}% {elapsed_precise} (eta {eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        Bars { bar }
    }
}

impl guarantor_app::Progress for Bars {
    fn begin(&self, step: &str, total: u64) {
        self.bar.reset();
        self.bar.set_length(total);
        self.bar.set_message(step.to_owned());
    }

    fn advance_to(&self, done: u64) {
        self.bar.set_position(done);
    }

    fn end(&self) {
        self.bar.finish_and_clear();
    }
}

/// `guarantor serve`: validates the scenario, opens the database, and serves until killed.
fn serve(
    addr: &str,
    scenario: Option<PathBuf>,
    trusted_proxies: Vec<std::net::IpAddr>,
    public_origin: Option<&str>,
    database: &Database,
    color: bool,
) -> anyhow::Result<Outcome> {
    // Every flag checked before anything is written (the first start creates an account).
    if let Some(origin) = public_origin {
        guarantor_server::public_origin(origin)?;
    }
    let (mut store, shown) = database.open(scenario.as_deref())?;
    let source = ScenarioSource::from_arg(scenario);
    let sources = match guarantor_app::open(&source) {
        Ok((sources, _)) => sources,
        Err(OpenError::Invalid {
            sources,
            diagnostics,
        }) => return invalid(&sources, &diagnostics, false, color),
        Err(e) => return Err(e.into()),
    };
    if store.users()?.is_empty() {
        let password = guarantor_app::random_hex(12);
        guarantor_app::put_user(
            &mut *store,
            "admin",
            &guarantor_app::Role::Planner,
            &password,
            &cli_actor(),
            jiff::Timestamp::now(),
        )?;
        eprintln!(
            "guarantor: no accounts yet: created the planner `admin` with password {password} (shown once; \
             `guarantor user add` makes others)"
        );
    }
    let state = guarantor_server::AppState::new(store, shown, &sources)?;
    state.trust_proxies(trusted_proxies)?;
    if let Some(origin) = public_origin {
        state.set_public_origin(origin)?;
    }
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| anyhow::anyhow!("cannot start the server's runtime: {e}"))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
        let local = listener.local_addr()?;
        println!("guarantor: listening on http://{local}/ (API at /api/v1; Ctrl-C stops)");
        let _ = std::io::stdout().flush();
        guarantor_server::serve(listener, state).await?;
        anyhow::Ok(())
    })?;
    Ok(Outcome {
        stdout: String::new(),
        stderr: String::new(),
        code: 0,
    })
}

/// A password from standard input: one line, without its line ending.
fn read_password() -> anyhow::Result<String> {
    let mut password = String::new();
    std::io::stdin()
        .read_line(&mut password)
        .context("cannot read the password from standard input")?;
    Ok(password.trim_end_matches(['\r', '\n']).to_owned())
}

/// `guarantor user ...`.
fn user(database: &Database, command: UserCommand, json: bool) -> anyhow::Result<Outcome> {
    let (mut store, shown) = database.open(None)?;
    let now = jiff::Timestamp::now();
    let stdout = match command {
        UserCommand::Add { name, role, nation } => {
            let role = guarantor_app::Role::parse(&role, nation.as_deref())
                .map_err(|e| anyhow::anyhow!("--role: {e}"))?;
            let password = read_password()?;
            guarantor_app::put_user(&mut *store, &name, &role, &password, &cli_actor(), now)?;
            format!("user {name} ({}) stored in {shown}\n", role.name())
        }
        UserCommand::Enable { name } => {
            guarantor_app::enable_user(&mut *store, &name, &cli_actor(), now)?;
            format!("user {name} enabled in {shown} (its old tokens and sessions stay revoked)\n")
        }
        UserCommand::Passwd { name } => {
            let password = read_password()?;
            guarantor_app::set_password(&mut *store, &name, &password, &cli_actor(), now)?;
            format!("password of {name} set in {shown}; its tokens and sessions are revoked\n")
        }
        UserCommand::Revoke { name, label } => {
            let n = guarantor_app::revoke_token(&mut *store, &name, &label, &cli_actor(), now)?;
            format!("{n} token(s) of {name} labelled {label:?} revoked in {shown}\n")
        }
        UserCommand::LogoutAll { name } => {
            let n = guarantor_app::logout_all(&mut *store, &name, &cli_actor(), now)?;
            format!("{n} session(s) of {name} ended in {shown}\n")
        }
        UserCommand::Token { name, label } => {
            let token = guarantor_app::new_token(&mut *store, &name, &label, &cli_actor(), now)?;
            format!("{token}\n")
        }
        UserCommand::Disable { name } => {
            guarantor_app::disable_user(&mut *store, &name, &cli_actor(), now)?;
            format!("user {name} disabled in {shown}\n")
        }
        UserCommand::List => {
            let users = guarantor_app::users(&*store)?;
            if json {
                to_json(&users)?
            } else {
                users
                    .iter()
                    .map(|u| {
                        format!(
                            "{}\t{}{}{}\n",
                            u.name,
                            u.role,
                            u.nation
                                .as_deref()
                                .map(|n| format!(" {n}"))
                                .unwrap_or_default(),
                            if u.disabled { " (disabled)" } else { "" }
                        )
                    })
                    .collect()
            }
        }
    };
    Ok(Outcome {
        stdout,
        stderr: String::new(),
        code: 0,
    })
}

/// Writes `text` to `path`, saying which file could not be written.
fn write_file(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}

/// `guarantor monitor ...`.
fn monitor(
    db: Option<PathBuf>,
    scenario: Option<PathBuf>,
    command: MonitorCommand,
    json: bool,
    color: bool,
    quiet: bool,
) -> anyhow::Result<Outcome> {
    let db = db.unwrap_or_else(|| match &scenario {
        Some(dir) => dir.join("monitor.sqlite"),
        None => PathBuf::from("guarantor-monitor.sqlite"),
    });
    match command {
        MonitorCommand::Layouts { name } => {
            let stdout = match name {
                Some(name) => guarantor_scenario::builtin_layout_files()
                    .find(|(n, _)| *n == name)
                    .map(|(_, text)| text.to_owned())
                    .ok_or_else(|| {
                        anyhow::anyhow!(
                            "no shipped layout `{name}`: {}",
                            guarantor_scenario::layout_names().join(", ")
                        )
                    })?,
                None if json => to_json(&guarantor_app::layouts())?,
                None => show::layouts(&guarantor_app::layouts()),
            };
            Ok(Outcome {
                stdout,
                stderr: String::new(),
                code: 0,
            })
        }
        MonitorCommand::Ingest {
            files,
            layout,
            encoding,
            date_order,
            full_export,
            dry_run,
        } => {
            let layout = match layout.as_deref() {
                None => None,
                Some(name) => match guarantor_app::layout(name, None) {
                    Ok(l) => Some(l),
                    Err(guarantor_app::LayoutError::Broken {
                        path,
                        text,
                        diagnostics,
                    }) => {
                        let sources = SourceSet::from_files("layout", [(path, text)]);
                        return Ok(Outcome {
                            code: 2,
                            stdout: String::new(),
                            stderr: render_diagnostics(
                                &sources,
                                &diagnostics,
                                RenderOptions { color },
                            ),
                        });
                    }
                    Err(e) => return Err(e.into()),
                },
            };
            let encoding = match encoding.as_deref() {
                None => None,
                Some(label) => Some(guarantor_scenario::encoding_named(label).ok_or_else(|| {
                    anyhow::anyhow!(
                        "--encoding {label}: not an encoding (e.g. utf-8, utf-16le, windows-1252, windows-1251)"
                    )
                })?),
            };
            let date_order =
                match date_order.as_deref() {
                    None => None,
                    Some(name) => Some(guarantor_scenario::DateOrder::from_name(name).ok_or_else(
                        || anyhow::anyhow!("--date-order {name}: expected dmy or mdy"),
                    )?),
                };
            // A file that cannot be read from disk is refused on its own; the others go on.
            let bytes: Vec<guarantor_app::FileBytes> = files
                .iter()
                .map(|f| {
                    (
                        f.display().to_string(),
                        std::fs::read(f).map_err(|e| format!("cannot read {}: {e}", f.display())),
                    )
                })
                .collect();
            // A dry run stores nothing: it reads the database only to name what a full export no longer has.
            let mut store = if dry_run && !db.is_file() {
                guarantor_store::SqliteStore::open(std::path::Path::new(":memory:"))?
            } else {
                guarantor_store::SqliteStore::open(&db)?
            };
            let bars = Bars::new(quiet);
            let actor = cli_actor();
            let by = guarantor_store::Actor {
                name: &actor,
                at: jiff::Timestamp::now(),
            };
            let done = guarantor_app::ingest(
                &mut store,
                &bytes,
                &guarantor_app::IngestOptions {
                    read: guarantor_scenario::ReadOptions {
                        layout,
                        encoding,
                        date_order,
                    },
                    full_export,
                    dry_run,
                },
                Some(by),
                &bars,
            )?;
            // The incidents of what was stored, formed now (readers find them ready).
            if !dry_run {
                guarantor_app::refresh_incidents(&mut store, by.at)?;
            }
            let report = &done.report;
            let rejected: usize = report.files.iter().map(|f| f.rejected).sum();
            let stdout = if json {
                to_json(report)?
            } else {
                show::ingest(report, &db.display().to_string())
            };
            let stderr = if json || done.diagnostics.is_empty() {
                String::new()
            } else {
                let sources = SourceSet::from_files("reports", done.texts);
                render_diagnostics(&sources, &done.diagnostics, RenderOptions { color })
            };
            Ok(Outcome {
                stdout,
                stderr,
                code: u8::from(rejected > 0),
            })
        }
        MonitorCommand::Report { day, cut, out } => {
            let day: jiff::civil::Date = day
                .parse()
                .map_err(|_| anyhow::anyhow!("--day {day}: expected a day, YYYY-MM-DD"))?;
            let cut = guarantor_app::parse_cut(&cut).map_err(|e| anyhow::anyhow!("--cut {e}"))?;
            with_scenario(scenario, None, json, color, |scenario, _, json| {
                let mut store = guarantor_store::SqliteStore::open_existing(&db)?;
                guarantor_app::refresh_incidents(&mut store, jiff::Timestamp::now())?;
                let report = guarantor_app::daily_report(scenario, &store, day, cut)
                    .map_err(anyhow::Error::msg)?;
                let written = out
                    .as_deref()
                    .map(|dir| {
                        write_briefing(
                            dir,
                            guarantor_app::daily_briefing(scenario, &report, &Bars::new(quiet))?,
                        )
                    })
                    .transpose()?;
                if json {
                    to_json(&report)
                } else {
                    Ok(show::daily_report(&report, &scenario.terms.name)
                        + &written.unwrap_or_default())
                }
            })
        }
        MonitorCommand::Generate {
            reports,
            days,
            start,
            seed,
            out,
        } => {
            let start: jiff::Timestamp = start
                .parse()
                .map_err(|e| anyhow::anyhow!("--start {start}: expected an RFC 3339 time ({e})"))?;
            let spec = guarantor_app::bench::FeedSpec {
                seed,
                reports: usize::try_from(reports).unwrap_or(usize::MAX),
                days,
                start,
            };
            with_scenario(scenario, None, json, color, |scenario, _, json| {
                let text = guarantor_app::bench::generate_reports(scenario, &spec);
                write_file(&out, &text)?;
                Ok(if json {
                    to_json(
                        &serde_json::json!({"file": out.display().to_string(), "reports": reports}),
                    )?
                } else {
                    format!(
                        "{reports} reports over {days} days written to {}\n",
                        out.display()
                    )
                })
            })
        }
        MonitorCommand::Bench {
            file,
            placements,
            incidents,
        } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            let path = file.display().to_string();
            with_scenario(scenario, None, json, color, |scenario, _, json| {
                let bench = guarantor_app::bench::place_bench(scenario, &path, &text).map_err(|diagnostics| {
                    let n = diagnostics.len();
                    let sources = SourceSet::from_files("reports", vec![(path.clone(), text.clone())]);
                    anyhow::anyhow!(
                        "{}{n} row(s) of {path} cannot be read: the benchmark needs a clean file",
                        render_diagnostics(&sources, &diagnostics, RenderOptions { color })
                    )
                })?;
                if let Some(out) = &placements {
                    write_file(out, &bench.placements_csv)?;
                }
                if let Some(out) = &incidents {
                    write_file(out, &bench.incidents_csv)?;
                }
                let r = &bench.run;
                Ok(if json {
                    to_json(r)?
                } else {
                    format!(
                        "{} reports: index {:.3} s, placement {:.3} s ({:.0} ns a report), corroboration {:.3} s ({} incidents)\n",
                        r.reports,
                        r.index_seconds,
                        r.place_seconds,
                        r.place_seconds * 1e9 / r.reports.max(1) as f64,
                        r.corroborate_seconds,
                        r.incidents
                    )
                })
            })
        }
        MonitorCommand::Incidents { since, until } => {
            let (from, to) = guarantor_app::time_window(since.as_deref(), until.as_deref())
                .map_err(|e| anyhow::anyhow!("--{e}"))?;
            with_scenario(scenario, None, json, color, |scenario, _, json| {
                let mut store = guarantor_store::SqliteStore::open_existing(&db)?;
                guarantor_app::refresh_incidents(&mut store, jiff::Timestamp::now())?;
                let report = guarantor_app::incidents(scenario, &store, from, to)?;
                if json {
                    to_json(&report)
                } else {
                    Ok(show::incidents(&report))
                }
            })
        }
    }
}

/// Who the audit log names for a change made from the command line: `cli:` and the login name.
fn cli_actor() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".to_owned());
    format!("cli:{user}")
}
