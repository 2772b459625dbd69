//! The `guarantor` command: plans, sources, deploys and watches over a multinational reassurance force.
//!
//! This file owns the start-up, the dispatch, the terminal and exit codes (0 ok, 2 invalid input or other
//! error); the arguments are in `args.rs`, the commands in `commands/`, the text renderings in `show.rs`; every
//! answer comes from `guarantor-app`, the same code the server calls.

mod args;
mod commands;
mod show;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Color, Command};
use crate::commands::{Flags, Outcome, generate, monitor, plan, respond, scenario, serve, user};

/// mimalloc: reading a large export allocates on every core and frees on one, where glibc's allocator slows
/// down (BENCHMARKS.md, intake).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

/// Runs the command the arguments name; a command's own `--world` wins over the global one.
fn run(cli: Cli, color: bool) -> anyhow::Result<Outcome> {
    let flags = Flags {
        json: cli.json,
        color,
        quiet: cli.quiet,
    };
    let base = cli.world;
    match cli.command {
        None => scenario::summary(None, base, flags),
        Some(Command::Summary { dir, world }) => scenario::summary(dir, world.or(base), flags),
        Some(Command::Plan {
            dir,
            world,
            out,
            course,
            goal_time_limit,
            fill_only,
        }) => {
            let limits = guarantor_app::SourcingLimits {
                goal_seconds: goal_time_limit,
                fill_only,
            };
            plan::plan(dir, world.or(base), out, course, limits, flags)
        }
        Some(Command::Compare { dir, out }) => plan::compare(dir, base, out, flags),
        Some(Command::Core { dir, world, share }) => plan::core(dir, world.or(base), share, flags),
        Some(Command::Whatif { dir, world, out }) => plan::whatif(dir, world.or(base), out, flags),
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
            let incident_db = db.unwrap_or_else(|| args::default_db(dir.as_deref()));
            let target = respond::Target {
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
            };
            respond::respond(dir, world.or(base), target, flags)
        }
        Some(Command::ExportInstance { dir, world }) => {
            scenario::export_instance(dir, world.or(base), flags)
        }
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
            generate::scenario(&dir, &spec, flags.json)
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
            generate::closure_bench(&spec, days, instance.as_deref(), flags.json)
        }
        Some(Command::Monitor {
            db,
            scenario,
            command,
        }) => monitor::monitor(db, scenario, command, flags),
        Some(Command::Serve {
            addr,
            scenario,
            trusted_proxies,
            public_origin,
            database,
        }) => serve::serve(
            &addr,
            scenario,
            trusted_proxies,
            public_origin.as_deref(),
            &database,
            color,
        ),
        Some(Command::User { database, command }) => user::user(&database, command, flags.json),
        Some(Command::Init { dir }) => scenario::init(&dir, flags.json),
        Some(Command::Check { dir, illustrative }) => scenario::check(dir, illustrative, flags),
    }
}
