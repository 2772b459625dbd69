//! The command line's arguments: every command, subcommand and flag as clap reads them (the dispatch is in
//! `main.rs`, the commands in `commands/`).

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

/// Plan, source, deploy and watch over a multinational reassurance force guaranteeing a ceasefire.
///
/// With no command, summarises the built-in default scenario "Reassurance Force Ukraine".
#[derive(Debug, Parser)]
#[command(name = "guarantor", version, about, long_about)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,

    /// Print JSON on stdout instead of tables (see README for the fields)
    #[arg(long, global = true)]
    pub(crate) json: bool,

    /// When to colour diagnostics
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub(crate) color: Color,

    /// No progress bars (they are shown on stderr only when it is a terminal)
    #[arg(long, short, global = true)]
    pub(crate) quiet: bool,

    /// World state for the summary: `fact=true,other=false` on top of the scenario's "today"
    #[arg(long, value_name = "FACTS")]
    pub(crate) world: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Summarise a scenario: nations, live and conditional pledges, troops required and pledged, sites
    Summary {
        /// Scenario folder (default: the built-in default scenario)
        dir: Option<PathBuf>,
        /// World state: `fact=true,other=false` on top of the scenario's "today"
        #[arg(long, value_name = "FACTS")]
        world: Option<String>,
    },
    /// Source the requirement from live pledges: fill per line and why it falls short, nations against their
    /// fair share, sites with their framework nation
    Plan {
        /// Scenario folder (default: the built-in default scenario)
        dir: Option<PathBuf>,
        /// World state: `fact=true,other=false` on top of the scenario's "today"
        #[arg(long, value_name = "FACTS")]
        world: Option<String>,
        /// Also write the briefing here: briefing.html, the map and charts as SVG and PNG, sourcing.xlsx and
        /// sourcing.csv
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Plan a course of action of `courses.toml` (its requirements and coalition; its first world state
        /// unless `--world` is given, which then sets facts on top of today's)
        #[arg(long, value_name = "ID")]
        course: Option<String>,
        /// Seconds each secondary sourcing goal (contingents, framework nation, fair share, readiness) may
        /// take; a goal stopped there keeps its best solution, and `objectives.goals` tells its value, bound and
        /// gap. Default: no time limit (each goal runs to its 0.1% gap or its fixed node limit). With a limit
        /// the answer depends on the machine's speed
        #[arg(long, value_name = "SECONDS", value_parser = positive_seconds)]
        goal_time_limit: Option<f64>,
        /// Solve the fill goals only (most essential, then most desirable troops): the later goals are not
        /// reached (null in `objectives`); quick on a large scenario
        #[arg(long)]
        fill_only: bool,
    },
    /// Courses of action side by side (`courses.toml`): each in each of its world states, on the same
    /// criteria — fill and shortfall, troops deployed and committed, cost and who pays, days to initial and
    /// full capability, response times at the key sites, nations, acceptability to both parties, robustness
    Compare {
        /// Scenario folder (default: the built-in default scenario)
        dir: Option<PathBuf>,
        /// Also write the comparison briefing here: compare.html, its chart as SVG and PNG, compare.xlsx
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Every combination of the political facts the pledges name, worst to best; the facts and the nations
    /// that matter most
    Whatif {
        /// Scenario folder (default: the built-in default scenario)
        dir: Option<PathBuf>,
        /// Base world state (default: "today"): `fact=true,other=false`
        #[arg(long, value_name = "FACTS")]
        world: Option<String>,
        /// Also write the what-if briefing here: whatif.html, the heat map as SVG and PNG, whatif.xlsx
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// The smallest core coalition: the fewest nations whose live pledges fill a share of the essential
    /// troops (and, among those, the least strain on the most stretched), and what each other nation adds
    Core {
        /// Scenario folder (default: the built-in default scenario)
        dir: Option<PathBuf>,
        /// World state: `fact=true,other=false` on top of the scenario's "today"
        #[arg(long, value_name = "FACTS")]
        world: Option<String>,
        /// The share of the essential troops the core must fill, 0 to 1 (default: the mission's `foc_fill`)
        #[arg(long, value_name = "SHARE", value_parser = share_arg)]
        share: Option<f64>,
    },
    /// What follows a violation, and how swiftly: the response timeline of a planned contingency, or of an
    /// attack on a site or at a point — each option's decisions, notice and movement, and the build-up at the
    /// place against what is needed. Without a target: every planned contingency in one table
    Respond {
        /// Scenario folder (default: the built-in default scenario)
        dir: Option<PathBuf>,
        /// World state: `fact=true,other=false` on top of the scenario's "today"
        #[arg(long, value_name = "FACTS")]
        world: Option<String>,
        /// A contingency of response.toml (`--list` lists them)
        #[arg(long, value_name = "ID", conflicts_with_all = ["site", "point", "incident"])]
        contingency: Option<String>,
        /// A stored incident of the monitoring (its id in `guarantor monitor incidents`): an attack at its
        /// best-located report, on its day
        #[arg(long, value_name = "ID", conflicts_with_all = ["site", "point"])]
        incident: Option<u64>,
        /// The monitoring database the incident is in [default: DIR/monitor.sqlite with a scenario DIR, else
        /// ./guarantor-monitor.sqlite]
        #[arg(long, value_name = "FILE", requires = "incident")]
        db: Option<PathBuf>,
        /// An attack on this site of the force
        #[arg(long, value_name = "SITE", conflicts_with = "point")]
        site: Option<String>,
        /// An attack at this point: the force's nearest site is reinforced
        #[arg(long, value_name = "LAT,LON", allow_hyphen_values = true)]
        point: Option<String>,
        /// The day it happens, counted from day 0 of the phases (default: the contingency's, else once the
        /// force stands: the start of the last phase)
        #[arg(long, value_name = "DAY")]
        day: Option<u32>,
        /// Leave these nations out (ISO alpha-3, comma-separated): how much slower and weaker without them
        #[arg(long, value_name = "NATIONS", value_delimiter = ',')]
        without: Vec<String>,
        /// List the planned contingencies and stop
        #[arg(long)]
        list: bool,
        /// Also write the response briefing here (one response): response.html, the build-up charts as SVG and
        /// PNG, response.xlsx
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Say on stderr how long sourcing the force and computing the response took (for benchmarks)
        #[arg(long)]
        timings: bool,
        /// An attack on every site in every world state (the force sourced in each): how swiftly each is
        /// reinforced, and the nations that matter most
        #[arg(long, conflicts_with_all = ["contingency", "site", "point", "without", "list"])]
        whatif: bool,
    },
    /// Print the sourcing instance as JSON (pledges, lines, eligible pairs, caps, liveness in every what-if
    /// state) for solvers outside guarantor
    ExportInstance {
        /// Scenario folder (default: the built-in default scenario)
        dir: Option<PathBuf>,
        /// Base world state (default: "today"): `fact=true,other=false`
        #[arg(long, value_name = "FACTS")]
        world: Option<String>,
    },
    /// Write a synthetic scenario of the given size (seeded, reproducible) for benchmarks and load tests
    Generate {
        /// Folder to create (must not hold scenario files yet)
        dir: PathBuf,
        /// Participating nations
        #[arg(long, default_value_t = 40)]
        nations: usize,
        /// Pledge records
        #[arg(long, default_value_t = 2000)]
        pledges: usize,
        /// Requirement lines
        #[arg(long, default_value_t = 400)]
        lines: usize,
        /// Sites (including three air and sea areas)
        #[arg(long, default_value_t = 30)]
        sites: usize,
        /// Political facts
        #[arg(long, default_value_t = 8)]
        facts: usize,
        /// Seed of the random stream
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Solve a generated single-commodity movement problem and time it (for the benchmark against a
    /// time-expanded max flow in NetworkX); `--instance FILE` writes the problem as JSON for the peer
    ClosureBench {
        /// Network nodes
        #[arg(long, default_value_t = 500)]
        nodes: usize,
        /// Links per node besides a spanning tree (to its nearest neighbours)
        #[arg(long, default_value_t = 2)]
        extra_links: usize,
        /// Units, all bound for one node
        #[arg(long, default_value_t = 2000)]
        units: usize,
        /// Days planned
        #[arg(long, default_value_t = 180)]
        days: u32,
        /// Latest ready day of a unit
        #[arg(long, default_value_t = 30)]
        max_ready: u32,
        /// Seed of the random stream
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Write the problem as JSON here
        #[arg(long, value_name = "FILE")]
        instance: Option<PathBuf>,
    },
    /// Ceasefire monitoring: take reports in, see the incidents they make and how they are judged.
    ///
    /// Real data first: download an export (UCDP GED, ACLED, the CIR Russia-Ukraine Monitor, Bellingcat's
    /// civilian harm) and `guarantor monitor ingest` it as it is — its layout, encoding, delimiter and date order
    /// are found and said; `monitor layouts` lists the layouts, and a layout file reads any other export — then
    /// `guarantor monitor incidents`.
    Monitor {
        /// The monitoring database [default: DIR/monitor.sqlite with --scenario DIR, else
        /// ./guarantor-monitor.sqlite]
        #[arg(long, global = true, value_name = "FILE")]
        db: Option<PathBuf>,
        /// Scenario folder whose terms judge the incidents (default: the built-in default scenario)
        #[arg(long, global = true, value_name = "DIR")]
        scenario: Option<PathBuf>,
        #[command(subcommand)]
        command: MonitorCommand,
    },
    /// Serve the HTTP API (`/api/v1`, described at `/api/v1/openapi.json`) over a scenario and a database;
    /// prints the address it listens on. With no accounts yet, creates the planner `admin` and prints its
    /// password once
    Serve {
        /// Address to listen on (port 0 picks a free one)
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Scenario folder, stored as a new version if it differs from the latest stored (default: the
        /// built-in default scenario)
        #[arg(long, value_name = "DIR")]
        scenario: Option<PathBuf>,
        /// The address of a reverse proxy in front of the server (repeat for several): a request from it is
        /// from the client its X-Forwarded-For names, for the login limits (without it, every user behind the
        /// proxy shares its address)
        #[arg(long = "trusted-proxy", value_name = "IP")]
        trusted_proxies: Vec<std::net::IpAddr>,
        /// The origin browsers reach the server at through a proxy, e.g. `https://guarantor.example.org:8443`:
        /// the login form is taken only from its pages (without it: from the Host the request names)
        #[arg(long = "public-origin", value_name = "URL")]
        public_origin: Option<String>,
        #[command(flatten)]
        database: Database,
    },
    /// Accounts of the server: add one (password on standard input), issue an API token, list them
    User {
        #[command(flatten)]
        database: Database,
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Write the built-in default scenario out as files to edit
    Init {
        /// Folder to create (must not hold scenario files yet)
        dir: PathBuf,
    },
    /// Validate a scenario and print every problem with file, line and column
    Check {
        /// Scenario folder (default: the built-in default scenario)
        dir: Option<PathBuf>,
        /// Also list every record whose `source` says its figures are illustrative (not from a published
        /// source), with file and line
        #[arg(long)]
        illustrative: bool,
    },
}

/// Where the server keeps its data.
#[derive(Debug, clap::Args)]
pub(crate) struct Database {
    /// A SQLite file, created if missing [default: DIR/monitor.sqlite with --scenario DIR, else
    /// ./guarantor-monitor.sqlite]
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        conflicts_with = "database_url"
    )]
    pub(crate) db: Option<PathBuf>,
    /// A PostgreSQL database instead: postgres://USER:PASSWORD@HOST:PORT/NAME (password and port optional)
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) database_url: Option<String>,
}

impl Database {
    /// The store's URL (a SQLite path or a PostgreSQL URL), the default file next to `scenario` if given.
    pub(crate) fn url(&self, scenario: Option<&std::path::Path>) -> String {
        if let Some(url) = &self.database_url {
            return url.clone();
        }
        let path = self.db.clone().unwrap_or_else(|| default_db(scenario));
        path.display().to_string()
    }

    pub(crate) fn open(
        &self,
        scenario: Option<&std::path::Path>,
    ) -> anyhow::Result<(Box<dyn guarantor_store::Store>, String)> {
        let url = self.url(scenario);
        let store = guarantor_store::open_url(&url)?;
        let shown = if self.database_url.is_some() {
            "the PostgreSQL database".to_owned()
        } else {
            url
        };
        Ok((store, shown))
    }
}

/// The monitoring database when `--db` is not given: `monitor.sqlite` in the scenario folder if one is given,
/// else `./guarantor-monitor.sqlite`.
pub(crate) fn default_db(scenario: Option<&Path>) -> PathBuf {
    match scenario {
        Some(dir) => dir.join("monitor.sqlite"),
        None => PathBuf::from("guarantor-monitor.sqlite"),
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum UserCommand {
    /// Create or replace an account; the password is read from standard input (one line, 12 characters or
    /// more). Replacing an account with a new password revokes its tokens and ends its sessions
    Add {
        /// Login name
        name: String,
        /// planner, monitor, liaison or observer
        #[arg(long)]
        role: String,
        /// The nation a liaison officer speaks for (ISO alpha-3, e.g. FRA)
        #[arg(long)]
        nation: Option<String>,
    },
    /// Issue an API token for an account (printed once; only its hash is kept)
    Token {
        /// Login name
        name: String,
        /// What the token is for
        #[arg(long, default_value = "api")]
        label: String,
    },
    /// Disable an account: its password stops working and its tokens and sessions are deleted, on the next
    /// request of every server over the database
    Disable {
        /// Login name
        name: String,
    },
    /// Enable an account again: it may log in with its password; its old tokens and sessions stay revoked
    Enable {
        /// Login name
        name: String,
    },
    /// Set an account's password (read from standard input, one line, 12 characters or more): the old one, its
    /// tokens and its sessions stop working
    Passwd {
        /// Login name
        name: String,
    },
    /// Revoke an account's API tokens issued under a label
    Revoke {
        /// Login name
        name: String,
        /// The label the token was issued under (`user token --label`)
        #[arg(long)]
        label: String,
    },
    /// End every session of an account (its tokens go on working)
    LogoutAll {
        /// Login name
        name: String,
    },
    /// List the accounts
    List,
}

#[derive(Debug, Subcommand)]
pub(crate) enum MonitorCommand {
    /// Read reports into the database as their sources publish them: an export as downloaded (UCDP GED, ACLED,
    /// the CIR Russia-Ukraine Monitor, Bellingcat's civilian harm), guarantor's CSV, JSON lines or GeoJSON, or
    /// any other by a layout file (docs/layouts.md). Each file's layout is found from its header (or named with
    /// --layout), its encoding (UTF-8, UTF-16, Windows-1252, Windows-1251…), delimiter and date order from its
    /// bytes, and all of it said. Bad rows are listed (file:line, field, why) and kept in the rejects list; the
    /// rest is stored, one transaction per file; a file that cannot be read at all is refused on its own and the
    /// others are stored. Exit 1 when rows or files were rejected.
    Ingest {
        /// Report files
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The layout: a shipped layout's name (`monitor layouts` lists them: csv, jsonl, geojson, ucdp,
        /// ucdp-articles, acled, cir, bellingcat) or a layout file; by default found from each file's header
        #[arg(long, alias = "format", value_name = "NAME|FILE")]
        layout: Option<String>,
        /// The files' encoding, when it should not be detected (utf-8, utf-16le, windows-1252, windows-1251…)
        #[arg(long)]
        encoding: Option<String>,
        /// Day first (dmy) or month first (mdy), for files whose every slashed date reads both ways
        #[arg(long)]
        date_order: Option<String>,
        /// Each file is its sources' whole export: name the stored reports of those sources it no longer has
        /// (they are reported, not deleted)
        #[arg(long)]
        full_export: bool,
        /// Read and check only: say what each file gives, store nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// The layouts reports are read with: each name, format, what it reads and the header that finds it; with a
    /// name, the layout's file (a start for one's own, docs/layouts.md)
    Layouts {
        /// Show this layout's TOML
        name: Option<String>,
    },
    /// The stored reports as incidents: merged, graded, placed and judged against the terms
    Incidents {
        /// From this time (RFC 3339) or day (YYYY-MM-DD, from midnight in Kyiv)
        #[arg(long)]
        since: Option<String>,
        /// Until this time or day (exclusive)
        #[arg(long)]
        until: Option<String>,
    },
    /// The daily report, as Markdown (or `--json`): counts by kind, zone, confidence and severity against the
    /// day before, every incident, and spot reports for the severe ones
    Report {
        /// The day (YYYY-MM-DD): the period ends at the cut that day, Kyiv time
        #[arg(long)]
        day: String,
        /// The daily cut, HH:MM Kyiv time (the OSCE monitoring mission cut at 19:30)
        #[arg(long, default_value = "19:30")]
        cut: String,
        /// Also write the report's briefing here: report.html, the map and the trend as SVG and PNG,
        /// report.xlsx and incidents.csv
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Write a synthetic feed of reports over the scenario's geography (guarantor's CSV layout), seeded: to
    /// try the tool on, or for the placement benchmark
    Generate {
        /// Reports to write (1 to 50,000,000)
        #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=50_000_000))]
        reports: u64,
        /// Days the feed spans (1 to 3,650)
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
        days: u32,
        /// When the feed starts (RFC 3339)
        #[arg(long, default_value = "2027-01-01T00:00:00Z")]
        start: String,
        /// Seed of the random stream
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The CSV file to write
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Place and corroborate every report of a CSV file and time each step (the benchmark against GeoPandas
    /// and Shapely); nothing is stored
    Bench {
        /// Reports in guarantor's CSV layout
        file: PathBuf,
        /// Write each report's placement here (CSV)
        #[arg(long, value_name = "FILE")]
        placements: Option<PathBuf>,
        /// Write each report's incident here (CSV)
        #[arg(long, value_name = "FILE")]
        incidents: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Color {
    Auto,
    Always,
    Never,
}

/// A share between 0 and 1.
pub(crate) fn share_arg(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "expected a share between 0 and 1 (0.9 for 90%), not `{text}`"
        )),
    }
}

/// A `--goal-time-limit`: a positive, finite number of seconds.
pub(crate) fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!(
            "{text}: expected a positive number of seconds, e.g. 60 or 2.5"
        )),
    }
}
