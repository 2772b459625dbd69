//! `guarantor monitor ...`: ceasefire monitoring — the layouts reports are read with, reading reports in, the
//! incidents they make, the daily report, and a synthetic feed and the placement benchmark.

use std::path::{Path, PathBuf};

use guarantor_scenario::{RenderOptions, SourceSet, render_diagnostics};

use super::{Bars, Flags, Outcome, cli_actor, to_json, with_scenario, write_briefing, write_file};
use crate::args::{self, MonitorCommand};
use crate::show;

/// `guarantor monitor ...`.
pub(crate) fn monitor(
    db: Option<PathBuf>,
    scenario: Option<PathBuf>,
    command: MonitorCommand,
    flags: Flags,
) -> anyhow::Result<Outcome> {
    let monitor = Monitor {
        db: db.unwrap_or_else(|| args::default_db(scenario.as_deref())),
        scenario,
        flags,
    };
    match command {
        MonitorCommand::Layouts { name } => layouts(name, flags.json),
        MonitorCommand::Ingest {
            files,
            layout,
            encoding,
            date_order,
            full_export,
            dry_run,
        } => monitor.ingest(
            &files,
            layout.as_deref(),
            encoding.as_deref(),
            date_order.as_deref(),
            full_export,
            dry_run,
        ),
        MonitorCommand::Report { day, cut, out } => monitor.report(&day, &cut, out.as_deref()),
        MonitorCommand::Generate {
            reports,
            days,
            start,
            seed,
            out,
        } => monitor.generate(reports, days, &start, seed, &out),
        MonitorCommand::Bench {
            file,
            placements,
            incidents,
        } => monitor.bench(&file, placements.as_deref(), incidents.as_deref()),
        MonitorCommand::Incidents { since, until } => {
            monitor.incidents(since.as_deref(), until.as_deref())
        }
    }
}

/// `guarantor monitor layouts`: the shipped layouts, or the TOML of the one `name`d.
fn layouts(name: Option<String>, json: bool) -> anyhow::Result<Outcome> {
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
    Ok(Outcome::ok(stdout))
}

/// What every monitoring subcommand over the database is given.
struct Monitor {
    /// The monitoring database.
    db: PathBuf,
    /// The scenario folder whose terms judge the incidents (`None`: the built-in default scenario).
    scenario: Option<PathBuf>,
    flags: Flags,
}

impl Monitor {
    /// `guarantor monitor ingest`: reads report files into the database (exit 1 when rows or files were
    /// rejected).
    fn ingest(
        self,
        files: &[PathBuf],
        layout: Option<&str>,
        encoding: Option<&str>,
        date_order: Option<&str>,
        full_export: bool,
        dry_run: bool,
    ) -> anyhow::Result<Outcome> {
        let Monitor { db, flags, .. } = self;
        let Flags { json, color, quiet } = flags;
        let layout = match layout {
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
                        stderr: render_diagnostics(&sources, &diagnostics, RenderOptions { color }),
                    });
                }
                Err(e) => return Err(e.into()),
            },
        };
        let encoding = match encoding {
            None => None,
            Some(label) => Some(guarantor_scenario::encoding_named(label).ok_or_else(|| {
                anyhow::anyhow!(
                    "--encoding {label}: not an encoding (e.g. utf-8, utf-16le, windows-1252, windows-1251)"
                )
            })?),
        };
        let date_order = match date_order {
            None => None,
            Some(name) => Some(
                guarantor_scenario::DateOrder::from_name(name)
                    .ok_or_else(|| anyhow::anyhow!("--date-order {name}: expected dmy or mdy"))?,
            ),
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
            guarantor_store::SqliteStore::open(Path::new(":memory:"))?
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

    /// `guarantor monitor report`: the daily report of `day` at the daily `cut`, its briefing written to `out`.
    fn report(self, day: &str, cut: &str, out: Option<&Path>) -> anyhow::Result<Outcome> {
        let Monitor {
            db,
            scenario,
            flags,
        } = self;
        let day: jiff::civil::Date = day
            .parse()
            .map_err(|_| anyhow::anyhow!("--day {day}: expected a day, YYYY-MM-DD"))?;
        let cut = guarantor_app::parse_cut(cut).map_err(|e| anyhow::anyhow!("--cut {e}"))?;
        with_scenario(scenario, None, flags, |scenario, _, json| {
            let mut store = guarantor_store::SqliteStore::open_existing(&db)?;
            guarantor_app::refresh_incidents(&mut store, jiff::Timestamp::now())?;
            let report = guarantor_app::daily_report(scenario, &store, day, cut)
                .map_err(anyhow::Error::msg)?;
            let written = out
                .map(|dir| {
                    write_briefing(
                        dir,
                        guarantor_app::daily_briefing(scenario, &report, &Bars::new(flags.quiet))?,
                    )
                })
                .transpose()?;
            if json {
                to_json(&report)
            } else {
                Ok(
                    show::daily_report(&report, &scenario.terms.name)
                        + &written.unwrap_or_default(),
                )
            }
        })
    }

    /// `guarantor monitor generate`: a synthetic feed of `reports` reports over `days` days from `start`,
    /// written to `out`.
    fn generate(
        self,
        reports: u64,
        days: u32,
        start: &str,
        seed: u64,
        out: &Path,
    ) -> anyhow::Result<Outcome> {
        let start: jiff::Timestamp = start
            .parse()
            .map_err(|e| anyhow::anyhow!("--start {start}: expected an RFC 3339 time ({e})"))?;
        let spec = guarantor_app::bench::FeedSpec {
            seed,
            reports: usize::try_from(reports).unwrap_or(usize::MAX),
            days,
            start,
        };
        with_scenario(self.scenario, None, self.flags, |scenario, _, json| {
            let text = guarantor_app::bench::generate_reports(scenario, &spec);
            write_file(out, &text)?;
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

    /// `guarantor monitor bench`: places and corroborates every report of `file` and times each step.
    fn bench(
        self,
        file: &Path,
        placements: Option<&Path>,
        incidents: Option<&Path>,
    ) -> anyhow::Result<Outcome> {
        let color = self.flags.color;
        let text = std::fs::read_to_string(file)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
        let path = file.display().to_string();
        with_scenario(self.scenario, None, self.flags, |scenario, _, json| {
            let bench = guarantor_app::bench::place_bench(scenario, &path, &text).map_err(
                |diagnostics| {
                    let n = diagnostics.len();
                    let sources =
                        SourceSet::from_files("reports", vec![(path.clone(), text.clone())]);
                    anyhow::anyhow!(
                        "{}{n} row(s) of {path} cannot be read: the benchmark needs a clean file",
                        render_diagnostics(&sources, &diagnostics, RenderOptions { color })
                    )
                },
            )?;
            if let Some(out) = placements {
                write_file(out, &bench.placements_csv)?;
            }
            if let Some(out) = incidents {
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

    /// `guarantor monitor incidents`: the stored reports as incidents, from `since` until `until`.
    fn incidents(self, since: Option<&str>, until: Option<&str>) -> anyhow::Result<Outcome> {
        let Monitor {
            db,
            scenario,
            flags,
        } = self;
        let (from, to) =
            guarantor_app::time_window(since, until).map_err(|e| anyhow::anyhow!("--{e}"))?;
        with_scenario(scenario, None, flags, |scenario, _, json| {
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
