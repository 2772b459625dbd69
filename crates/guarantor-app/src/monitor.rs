//! The monitoring use cases: reports read from files into the store, and the stored reports as incidents with
//! their confidence, placement and verdict.

use guarantor_core::{Confidence, Diagnostic, Incident, Scenario, Severity, Verdict};
use guarantor_monitor::{Placement, Slack, Surface};
use guarantor_scenario::{ReadOptions, read_file};
use guarantor_sourcing::SourcingPlan;
use guarantor_store::{Actor, Batch, ReportStore, StoreError, StoredReject};
use jiff::Timestamp;
use serde::Serialize;

use crate::{DiagnosticDto, Progress};

/// What `guarantor monitor ingest` did.
#[derive(Clone, Debug, Serialize)]
pub struct IngestReport {
    /// One entry per file, in the order given.
    pub files: Vec<IngestedFile>,
}

/// One file's intake.
#[derive(Clone, Debug, Serialize)]
pub struct IngestedFile {
    /// The file.
    pub file: String,
    /// The layout it was read with (null when none fits: `refused` says why).
    pub layout: Option<String>,
    /// Whether it was stored (false for a dry run, which only reads).
    pub stored: bool,
    /// The encoding it was read as (`UTF-8`, `UTF-16LE`, `windows-1252`, `windows-1251`…).
    pub encoding: &'static str,
    /// The delimiter its rows were split on (`,`, `;` or `tab`; null for JSON).
    pub delimiter: Option<&'static str>,
    /// The order its slashed dates were read in (`dmy` or `mdy`; null when none needed one).
    pub date_order: Option<&'static str>,
    /// Why the whole file was refused (nothing of it stored but the reason, in the rejects list), when it was.
    pub refused: Option<String>,
    /// How values were read that the file did not say (the zone of times without an offset, bytes replaced).
    pub notes: Vec<String>,
    /// Reports read from it.
    pub read: usize,
    /// Stored for the first time.
    pub new: usize,
    /// Already stored, identical (stored once).
    pub duplicates: usize,
    /// Already stored under the same source and id with other contents: revised (the new contents stored, the
    /// earlier kept as a version).
    pub updated: usize,
    /// Rows rejected, each with a diagnostic.
    pub rejected: usize,
    /// For a full export (`--full-export`): how many reports stored for the file's sources it no longer has
    /// (reported, not deleted).
    pub missing: usize,
    /// The first hundred of them, as `source/id`.
    pub missing_ids: Vec<String>,
    /// The reports read, by kind (to check a layout's rules: `--dry-run`).
    pub kinds: std::collections::BTreeMap<&'static str, usize>,
    /// The reports read, by target (`none` when the layout gives none).
    pub targets: std::collections::BTreeMap<&'static str, usize>,
    /// The earliest report's time (RFC 3339), when any was read.
    pub first: Option<String>,
    /// The latest report's time.
    pub last: Option<String>,
    /// Why rows were rejected.
    pub diagnostics: Vec<DiagnosticDto>,
}

/// A problem ingesting.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The store failed; nothing of the file was stored.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What [`ingest`] did: the answer for each file, the diagnostics of its rejected rows, and each file's text as
/// it was decoded (for rendering the diagnostics).
pub struct Ingest {
    /// The answer.
    pub report: IngestReport,
    /// One per rejected row or refused file.
    pub diagnostics: Vec<Diagnostic>,
    /// `(path, text)` of each file read.
    pub texts: Vec<(String, String)>,
}

/// A file to ingest: its name and its bytes, or why it could not be read from where it is.
pub type FileBytes = (String, Result<Vec<u8>, String>);

/// How to ingest files.
#[derive(Clone, Debug, Default)]
pub struct IngestOptions {
    /// How to read each file (layout, encoding, date order; each decided from the file when not said).
    pub read: ReadOptions,
    /// Each file is its sources' whole export: name the stored reports of those sources it no longer has.
    pub full_export: bool,
    /// Read only: store nothing (the answer says what each file gives).
    pub dry_run: bool,
}

/// Reads each file (decoded, its layout as `options` say or as its name and header suggest, its dates in the
/// order its values decide) and stores it, one transaction per file: a file that cannot be read is refused on
/// its own — its reason kept in the rejects list — and the others are stored. Rejected rows are stored in the
/// rejects list with their reasons and reported; their diagnostics come back too, for a terminal to render.
/// `by` (who sends it, and when) goes into the audit log with each file's counts, in the file's transaction.
/// With `full_export`, each file is taken as its sources' whole export: the reports stored for those sources that
/// it no longer has are counted and named (not deleted). With `dry_run`, nothing is stored.
pub fn ingest(
    store: &mut dyn ReportStore,
    files: &[FileBytes],
    options: &IngestOptions,
    by: Option<Actor<'_>>,
    progress: &dyn Progress,
) -> Result<Ingest, IngestError> {
    let mut out = Vec::new();
    let mut diagnostics = Vec::new();
    let mut texts = Vec::new();
    for (path, bytes) in files {
        let file = match bytes {
            Ok(bytes) => {
                progress.begin(&format!("reading {path}"), bytes.len() as u64);
                let file = read_file(path, bytes, &options.read, &mut |n| {
                    progress.advance_to(n as u64)
                });
                progress.end();
                file
            }
            Err(why) => guarantor_scenario::ReadFile::unreadable(path, why.clone()),
        };
        let read = &file.read;
        let rejected: Vec<StoredReject> = read
            .rejected
            .iter()
            .map(|r| StoredReject {
                file: path.clone(),
                line: r.line,
                reason: r.reason.clone(),
                row: r.row.clone(),
            })
            .collect();
        let done = if options.dry_run {
            Default::default()
        } else {
            progress.begin(&format!("storing {path}"), read.reports.len() as u64);
            let done = store.ingest_with_progress(
                Batch {
                    file: path,
                    reports: &read.reports,
                    rejected: &rejected,
                    by,
                },
                &mut |n| progress.advance_to(n as u64),
            );
            progress.end();
            done?
        };
        let missing = if options.full_export && read.refused.is_none() {
            missing_from(store, &read.reports)?
        } else {
            Vec::new()
        };
        out.push(IngestedFile {
            file: path.clone(),
            layout: file.layout.clone(),
            stored: !options.dry_run,
            encoding: file.encoding,
            delimiter: read.delimiter.map(guarantor_scenario::delimiter_name),
            date_order: read.date_order.map(|o| o.name()),
            refused: read.refused.clone(),
            notes: read.notes.clone(),
            read: read.reports.len(),
            new: done.new,
            duplicates: done.duplicates,
            updated: done.updated,
            rejected: read.rejected.len(),
            missing: missing.len(),
            missing_ids: missing.into_iter().take(MISSING_SHOWN).collect(),
            kinds: read.reports.iter().fold(Default::default(), |mut m, r| {
                *m.entry(r.kind.as_str()).or_default() += 1;
                m
            }),
            targets: read.reports.iter().fold(Default::default(), |mut m, r| {
                *m.entry(r.target.map_or("none", |t| t.as_str()))
                    .or_default() += 1;
                m
            }),
            first: read
                .reports
                .iter()
                .map(|r| r.time)
                .min()
                .map(|t| t.to_string()),
            last: read
                .reports
                .iter()
                .map(|r| r.time)
                .max()
                .map(|t| t.to_string()),
            diagnostics: read.diagnostics.iter().map(DiagnosticDto::from).collect(),
        });
        diagnostics.extend(file.read.diagnostics);
        texts.push((path.clone(), file.text));
    }
    Ok(Ingest {
        report: IngestReport { files: out },
        diagnostics,
        texts,
    })
}

/// How many missing reports a file's answer names.
const MISSING_SHOWN: usize = 100;

/// The reports stored for the sources of `reports` that `reports` do not have, as `source/id`.
fn missing_from(
    store: &dyn ReportStore,
    reports: &[guarantor_core::Report],
) -> Result<Vec<String>, StoreError> {
    let mut by_source: std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> =
        Default::default();
    for r in reports {
        by_source.entry(&r.source).or_default().insert(&r.id);
    }
    let mut out = Vec::new();
    for (source, ids) in by_source {
        for id in store.ids_of(source)? {
            if !ids.contains(id.as_str()) {
                out.push(format!("{source}/{id}"));
            }
        }
    }
    Ok(out)
}

/// `guarantor monitor incidents`.
#[derive(Clone, Debug, Serialize)]
pub struct IncidentsReport {
    /// The window, `from` inclusive (RFC 3339), or null when open.
    pub from: Option<String>,
    /// The window, `to` exclusive, or null when open.
    pub to: Option<String>,
    /// Reports in the window.
    pub reports: usize,
    /// Incidents, by their first report's time.
    pub incidents: Vec<IncidentDto>,
    /// The escalation rules they fire, highest step first.
    pub responses: Vec<ResponseDto>,
    /// The same grouped by step of the ladder (see [`ladder`]), incidents by id.
    pub ladder: Vec<LadderStepDto>,
}

/// A rule of the terms that fired, and the step it calls for.
#[derive(Clone, Debug, Serialize)]
pub struct ResponseDto {
    /// The rule.
    pub rule: String,
    /// The step of the ladder.
    pub step: String,
    /// Its name.
    pub step_name: String,
    /// Whether it moves forces.
    pub moves_forces: bool,
    /// The tier of the response plan it brings (with every tier before it).
    pub tier: Option<String>,
    /// The incidents that fired it (indices into `incidents` of the same answer; an incident left out of a
    /// filtered or paged answer is not indexed, see `incident_ids`).
    pub incidents: Vec<usize>,
    /// The incidents of this answer's window that fired it, by their `id`, whatever the API's filter or page.
    pub incident_ids: Vec<u64>,
    /// For a step that moves forces: the force's site threatened, where forces go.
    pub site: Option<String>,
    /// The day of the first incident, from day 0 of the phases.
    pub day: Option<u32>,
    /// Hours from the first incident until the first ground unit has closed at the site — decision, notice
    /// and movement, as `guarantor respond` and the plan's reinforcement matrix count them; `null` when none
    /// can within the response plan's horizon.
    pub reinforcement_hours: Option<u32>,
    /// The same in days, rounded up.
    pub reinforcement_days: Option<u32>,
    /// That unit.
    pub reinforcement_source: Option<String>,
    /// Its capability.
    pub reinforcement_capability: Option<String>,
    /// The first of each kind of help to act at the place (troops by capability, materiel, sorties,
    /// missiles, ships, measures), hours from the first incident.
    pub eta: Vec<crate::response::FirstDto>,
    /// For a step that suspends the next phase: that phase (the first to start after the incident's day).
    pub suspends_phase: Option<String>,
    /// Its planned start, from day 0.
    pub suspends_phase_day: Option<u32>,
    /// Why there is no timing where there should be one (the plan could not be sourced).
    pub note: Option<String>,
}

/// The protected site nearest an incident.
#[derive(Clone, Debug, Serialize)]
pub struct NearestDto {
    /// Its id in the terms.
    pub site: String,
    /// Distance to its centre (km, one decimal).
    pub km: f64,
}

/// The named place nearest an incident.
#[derive(Clone, Debug, Serialize)]
pub struct PlaceDto {
    /// Where, in words: `Irpin`, or `3 km NW of Irpin`.
    pub text: String,
    /// The place's name.
    pub name: String,
    /// Its oblast (or first-level unit abroad).
    pub admin1: String,
    /// ISO 3166-1 alpha-2 of its country.
    pub country: String,
    /// Distance from the place (km, one decimal).
    pub km: f64,
}

/// What an incident hit and what decided it.
#[derive(Clone, Debug, Serialize)]
pub struct HitDto {
    /// A category of the terms (`electricity`, `sea_targets`, `civilian`, `military`…).
    pub category: &'static str,
    /// What decided it: a source's coding, a report's words, a protected site's radius, or a naval event at
    /// sea.
    pub by: String,
}

/// Which party the evidence points to: a proposal for the commission, never a finding.
#[derive(Clone, Debug, Serialize)]
pub struct AttributionDto {
    /// `russia`, `ukraine` or `unknown` (no evidence, or evidence both ways).
    pub party: &'static str,
    /// `low` (a weapon only one side fields), `medium` (one source's words or coding) or `high` (independent
    /// sources, or coding and words, agree); `low` when unknown.
    pub firmness: &'static str,
    /// Each piece of evidence with the report it comes from.
    pub grounds: Vec<String>,
}

/// `2022-10-10 07:32 UTC`, or `2022-10-10 (the day only)` for a time known to 12 hours or worse.
fn when(time: &str, precision_hours: f64) -> String {
    let day = time.get(..10).unwrap_or(time);
    if precision_hours >= 12.0 {
        format!("{day} (the day only)")
    } else {
        format!("{} UTC", time.get(..16).unwrap_or(time).replace('T', " "))
    }
}

impl AccountDto {
    /// When, in words (see [`IncidentDto::when_text`]).
    pub fn when_text(&self) -> String {
        when(&self.time, self.time_precision_hours)
    }
}

impl AttributionDto {
    /// The party and how firmly: `russia (medium firmness)`, or `unknown`.
    pub fn party_text(&self) -> String {
        match self.party {
            "unknown" => "unknown".to_owned(),
            p => format!("{p} ({} firmness)", self.firmness),
        }
    }

    /// The party with its grounds: `russia (medium firmness) — cir/cir-UW1 says “russian forces”`, or
    /// `unknown — no report says who acted`.
    pub fn text(&self) -> String {
        if self.grounds.is_empty() {
            format!("{} — no report says who acted", self.party_text())
        } else {
            format!("{} — {}", self.party_text(), self.grounds.join("; "))
        }
    }
}

/// One report of an incident as its source gave it.
#[derive(Clone, Debug, Serialize)]
pub struct AccountDto {
    /// `source/id`.
    pub report: String,
    /// When (RFC 3339, UTC).
    pub time: String,
    /// How precisely (hours either side): 12 for a report dated by the day only.
    pub time_precision_hours: f64,
    /// Its kind.
    pub kind: &'static str,
    /// Its text.
    pub text: String,
    /// Where the source's own record can be read.
    pub links: Vec<String>,
}

/// One incident.
#[derive(Clone, Debug, Serialize)]
pub struct IncidentDto {
    /// The incident's id in the store: the same whatever window or filter it is asked in, kept as reports join
    /// it (the incident that keeps most of its reports keeps its id when reports split or join incidents); a
    /// response names its incidents by it. 0 for an incident not stored yet.
    pub id: u64,
    /// Time of the first report (RFC 3339, UTC).
    pub time: String,
    /// How precisely that time is known (hours either side): 12 for a report dated by the day only.
    pub time_precision_hours: f64,
    /// Where the best-located report puts it.
    pub lat: f64,
    /// Where the best-located report puts it.
    pub lon: f64,
    /// Its uncertainty (km).
    pub place_precision_km: f64,
    /// The kinds reported.
    pub kinds: Vec<&'static str>,
    /// `confirmed`, `probable`, `possible` or `single_source`.
    pub confidence: &'static str,
    /// The distinct sources.
    pub sources: Vec<String>,
    /// The independent sources: names that cite a common post count as one (two outlets repeating one post are
    /// one account).
    pub independent_sources: usize,
    /// The kind of each independent source (`patrol`, `sensor`, `party`, `media`…), sorted.
    pub source_kinds: Vec<&'static str>,
    /// The reports merged, as `source/id`.
    pub reports: Vec<String>,
    /// Inside the occupied area.
    pub occupied: bool,
    /// The day of the dated occupied area it was read against (the latest of the scenario's series not after
    /// the incident's day); `null` for the scenario's occupied area (before the series, or without one).
    pub occupied_as_of: Option<String>,
    /// Distance to the contact line (km, one decimal).
    pub km_to_line: Option<f64>,
    /// `land`, `black_sea`, `azov` or `elsewhere`.
    pub surface: &'static str,
    /// The zone for the report's table: `occupied area`, `buffer zone <id>`, `government-controlled area`,
    /// `Black Sea`, `Sea of Azov`, `<ISO3> territory` or `elsewhere`.
    pub zone: String,
    /// ISO alpha-3 of the country it falls in.
    pub country: Option<String>,
    /// The oblast it falls in.
    pub oblast: Option<String>,
    /// The nearest named place (when the scenario has a gazetteer).
    pub place: Option<PlaceDto>,
    /// The buffer zone it falls in.
    pub buffer_zone: Option<String>,
    /// The nearest protected site and the distance to it.
    pub nearest_protected: Option<NearestDto>,
    /// The protected site whose radius holds it.
    pub protected_site: Option<String>,
    /// What it hit, and what decided it.
    pub hit: Option<HitDto>,
    /// Which party the evidence points to.
    pub attribution: AttributionDto,
    /// Its reports' own words and links, earliest first.
    pub accounts: Vec<AccountDto>,
    /// Whether it breaks the terms.
    pub violation: bool,
    /// `none`, `minor`, `serious` or `grave`.
    pub severity: &'static str,
    /// Why, in words.
    pub reasons: Vec<String>,
}

impl IncidentDto {
    /// When, in words: `2022-10-10 07:32 UTC`, or `2022-10-10 (the day only)` when the first report gives no
    /// time of day.
    pub fn when_text(&self) -> String {
        when(&self.time, self.time_precision_hours)
    }

    /// Where, in words: the nearest named place and the oblast (`3 km NW of Irpin, Kyiv oblast`), or the zone
    /// when the scenario names no places.
    pub fn where_text(&self) -> String {
        let oblast = self.oblast.as_ref().map(|o| match o.as_str() {
            "Kyiv City" | "Sevastopol" | "Autonomous Republic of Crimea" => o.clone(),
            _ => format!("{o} oblast"),
        });
        match (&self.place, oblast) {
            (Some(p), Some(o)) => format!("{}, {o}", p.text),
            (Some(p), None) if self.surface == "land" => {
                format!(
                    "{}, {} ({})",
                    p.text,
                    p.admin1,
                    self.country.as_deref().unwrap_or(&p.country)
                )
            }
            (Some(p), None) => format!("{}, {}", self.zone, p.text),
            (None, Some(o)) => o,
            (None, None) => self.zone.clone(),
        }
    }
}

/// One step of the ladder a period's incidents call for, with every incident and site that calls for it.
#[derive(Clone, Debug, Serialize)]
pub struct LadderStepDto {
    /// The step.
    pub step: String,
    /// Its name.
    pub step_name: String,
    /// Whether it moves forces.
    pub moves_forces: bool,
    /// The rules that call for it.
    pub rules: Vec<String>,
    /// The incidents that call for it, by id.
    pub incident_ids: Vec<u64>,
    /// For a step that moves forces: each site threatened, the hours until the first ground unit closes there
    /// (`None`: none within the horizon) and that unit.
    pub sites: Vec<LadderSiteDto>,
    /// For a step that suspends the next phase: each phase it holds back and its planned start (from day 0).
    pub suspends: Vec<(String, u32)>,
}

/// A site a step of the ladder sends forces to.
#[derive(Clone, Debug, Serialize)]
pub struct LadderSiteDto {
    /// The site.
    pub site: String,
    /// Hours until the first ground unit closes there, from the first incident.
    pub reinforcement_hours: Option<u32>,
    /// That unit.
    pub reinforcement_source: Option<String>,
}

/// The responses grouped by step of the ladder, highest first: one line per step, not one per incident.
pub fn ladder(responses: &[ResponseDto]) -> Vec<LadderStepDto> {
    let mut steps: Vec<LadderStepDto> = Vec::new();
    for r in responses {
        let at = match steps.iter().position(|s| s.step == r.step) {
            Some(at) => at,
            None => {
                steps.push(LadderStepDto {
                    step: r.step.clone(),
                    step_name: r.step_name.clone(),
                    moves_forces: r.moves_forces,
                    rules: Vec::new(),
                    incident_ids: Vec::new(),
                    sites: Vec::new(),
                    suspends: Vec::new(),
                });
                steps.len() - 1
            }
        };
        let s = &mut steps[at];
        if !s.rules.contains(&r.rule) {
            s.rules.push(r.rule.clone());
        }
        for id in &r.incident_ids {
            if !s.incident_ids.contains(id) {
                s.incident_ids.push(*id);
            }
        }
        if let Some(site) = &r.site
            && !s.sites.iter().any(|x| &x.site == site)
        {
            s.sites.push(LadderSiteDto {
                site: site.clone(),
                reinforcement_hours: r.reinforcement_hours,
                reinforcement_source: r.reinforcement_source.clone(),
            });
        }
        if let (Some(phase), Some(day)) = (&r.suspends_phase, r.suspends_phase_day)
            && !s.suspends.iter().any(|(p, _)| p == phase)
        {
            s.suspends.push((phase.clone(), day));
        }
    }
    for s in &mut steps {
        s.incident_ids.sort_unstable();
        s.suspends.sort();
    }
    steps
}

/// Forms the incidents of the reports stored or revised since incidents were last formed, and writes them with
/// their ids kept ([`guarantor_monitor::stable`]): only the connected sets of same-event pairs the touched
/// reports are in are formed again (a set's incidents depend on its own reports only), read from a time window
/// around them that widens until every such set lies inside it. Returns how many changes were recorded.
pub fn refresh_incidents(store: &mut dyn ReportStore, at: Timestamp) -> Result<usize, StoreError> {
    // Another process forming incidents at the same moment makes the write refuse: read and form again.
    let mut tries = 0;
    loop {
        match form_incidents(store, at) {
            Err(StoreError::IncidentsMoved { .. }) if tries < 3 => tries += 1,
            done => return done,
        }
    }
}

/// One try of [`refresh_incidents`].
fn form_incidents(store: &mut dyn ReportStore, at: Timestamp) -> Result<usize, StoreError> {
    use std::collections::{BTreeSet, HashMap, HashSet};
    let touched = store.touched()?;
    let (Some(t0), Some(t1)) = (
        touched.iter().map(|r| r.time).min(),
        touched.iter().map(|r| r.time).max(),
    ) else {
        return Ok(0);
    };
    let slack = Slack::default();
    let touched: HashSet<(String, String)> =
        touched.into_iter().map(|r| (r.source, r.id)).collect();
    let (mut lo, mut hi) = (t0, t1);
    // The longest time between two reports of a same-event pair: the widest precision in time of any stored
    // report counts (a month-dated report pairs with reports weeks from its date).
    let widest = store.max_time_precision()?;
    let hours = (2.0 * widest + slack.hours).max(slack.link_days * 24.0 + slack.hours);
    let reach = jiff::SignedDuration::from_secs_f64((hours * 3600.0 + 1.0).min(1e15));
    let read_next_id = store.next_incident_id()?;
    loop {
        let from = lo.checked_sub(reach).unwrap_or(Timestamp::MIN);
        let to = hi.checked_add(reach).unwrap_or(Timestamp::MAX);
        let reports = store.reports(Some(from), Some(to))?;
        let before_ids: HashMap<(String, String), u64> = store
            .incidents(Some(from), Some(to))?
            .into_iter()
            .flat_map(|i| i.reports.into_iter().map(move |k| (k, i.id)))
            .collect();
        let (groups, set_of) = guarantor_monitor::group_with_sets(&reports, slack);
        // The sets to form again: those with a touched report, and those sharing an earlier incident with them.
        let key = |i: usize| (reports[i].source.clone(), reports[i].id.clone());
        let mut sets: BTreeSet<usize> = BTreeSet::new();
        let mut by_old: HashMap<u64, BTreeSet<usize>> = HashMap::new();
        for (g, group) in groups.iter().enumerate() {
            for &i in group {
                let k = key(i);
                if touched.contains(&k) {
                    sets.insert(set_of[g]);
                }
                if let Some(&old) = before_ids.get(&k) {
                    by_old.entry(old).or_default().insert(set_of[g]);
                }
            }
        }
        loop {
            let more: BTreeSet<usize> = by_old
                .values()
                .filter(|s| s.iter().any(|x| sets.contains(x)))
                .flatten()
                .copied()
                .collect();
            if more.is_subset(&sets) {
                break;
            }
            sets.extend(more);
        }
        let chosen: Vec<usize> = (0..groups.len())
            .filter(|&g| sets.contains(&set_of[g]))
            .collect();
        // Every chosen set inside the window, away from its edges; else widen and read again.
        let (mut first, mut last) = (lo, hi);
        for &g in &chosen {
            for &i in &groups[g] {
                first = first.min(reports[i].time);
                last = last.max(reports[i].time);
            }
        }
        // (The window reaches a pair's length beyond [lo, hi]: a set inside [lo, hi] has all its pairs in it.)
        if first < lo || last > hi {
            (lo, hi) = (first, last);
            continue;
        }
        let chosen_groups: Vec<Vec<usize>> = chosen.iter().map(|&g| groups[g].clone()).collect();
        let before: Vec<Option<u64>> = (0..reports.len())
            .map(|i| before_ids.get(&key(i)).copied())
            .collect();
        let next = read_next_id.max(1);
        let (ids, changes) = guarantor_monitor::stable::assign_ids(&chosen_groups, &before, next);
        let put: Vec<guarantor_store::StoredIncident> = chosen_groups
            .iter()
            .zip(&ids)
            .map(|(group, &id)| guarantor_store::StoredIncident {
                id,
                first: group.iter().map(|&i| reports[i].time).min().unwrap_or(at),
                last: group.iter().map(|&i| reports[i].time).max().unwrap_or(at),
                reports: group.iter().map(|&i| key(i)).collect(),
            })
            .collect();
        let ended: Vec<u64> = changes
            .iter()
            .filter_map(|c| match c {
                guarantor_monitor::stable::Change::Ended { id, .. } => Some(*id),
                _ => None,
            })
            .collect();
        let log: Vec<(u64, String)> = changes.iter().map(change_text).collect();
        let next_id = ids
            .iter()
            .copied()
            .max()
            .map_or(next, |m| m.max(next - 1) + 1);
        store.put_incidents(guarantor_store::IncidentUpdate {
            at,
            put: &put,
            ended: &ended,
            changes: &log,
            next_id,
            read_next_id,
        })?;
        return Ok(log.len());
    }
}

/// The response question for stored incident `id`: an attack at its best-located report's place, on its day
/// from day 0 of the phases (Kyiv time).
pub fn incident_ask(
    scenario: &Scenario,
    store: &dyn ReportStore,
    id: u64,
) -> Result<crate::Ask, String> {
    let stored = store
        .incidents(None, None)
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|i| i.id == id)
        .ok_or_else(|| format!("no incident #{id} in the monitoring database (`guarantor monitor incidents` lists them)"))?;
    let end = stored
        .last
        .checked_add(jiff::SignedDuration::from_micros(1))
        .unwrap_or(Timestamp::MAX);
    let reports: Vec<guarantor_core::Report> = store
        .reports(Some(stored.first), Some(end))
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|r| stored.reports.contains(&(r.source.clone(), r.id.clone())))
        .collect();
    let incident = Incident {
        confidence: guarantor_monitor::grade(&reports),
        reports,
    };
    let anchor = guarantor_monitor::best_located(&incident)
        .ok_or_else(|| format!("incident #{id} has no stored report"))?;
    let date = stored
        .first
        .to_zoned(guarantor_monitor::terms_time_zone())
        .date();
    let day = scenario
        .terms
        .effective
        .until(date)
        .ok()
        .map(|d| d.get_days().max(0) as u32);
    Ok(crate::Ask::Incident {
        id,
        lat: anchor.place.y(),
        lon: anchor.place.x(),
        day,
    })
}

/// A change to an incident in words, for the log.
fn change_text(c: &guarantor_monitor::stable::Change) -> (u64, String) {
    use guarantor_monitor::stable::Change;
    let list = |ids: &[u64]| {
        ids.iter()
            .map(|i| format!("#{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match c {
        Change::Formed { id, from } if from.is_empty() => (*id, "formed".to_owned()),
        Change::Formed { id, from } => (*id, format!("formed from reports of {}", list(from))),
        Change::Changed { id, gained, lost } => {
            (*id, format!("gained {gained} report(s), lost {lost}"))
        }
        Change::Ended { id, into } => (*id, format!("ended: its reports went to {}", list(into))),
    }
}

/// After `report.incidents` was filtered or paged: each response's `incidents` index the incidents still in the
/// answer (found by `id`), and its `incident_ids` keep every incident that fired it.
pub fn reindex_responses(report: &mut IncidentsReport) {
    let IncidentsReport {
        incidents,
        responses,
        ..
    } = report;
    let at: std::collections::HashMap<u64, usize> = incidents
        .iter()
        .enumerate()
        .map(|(n, i)| (i.id, n))
        .collect();
    for r in responses {
        r.incidents = r
            .incident_ids
            .iter()
            .filter_map(|id| at.get(id).copied())
            .collect();
    }
}

fn tenth(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Incidents merged from reports, each placed and judged.
struct Analysis {
    incidents: Vec<Incident>,
    judged: Vec<(Placement, Verdict)>,
    /// Each incident's stored id (0: not stored yet).
    ids: Vec<u64>,
}

impl Analysis {
    /// `incidents` placed and judged, with their stored `ids` (missing ones 0).
    fn judged(
        placer: &guarantor_monitor::Placer<'_>,
        incidents: Vec<Incident>,
        mut ids: Vec<u64>,
    ) -> Analysis {
        let judged = incidents
            .iter()
            .map(|i| guarantor_monitor::judge(placer, i))
            .collect();
        ids.resize(incidents.len(), 0);
        Analysis {
            incidents,
            judged,
            ids,
        }
    }

    /// The stored incidents whose span meets `[from, to)`, with their reports (all of them, in the window or
    /// not).
    fn stored(
        placer: &guarantor_monitor::Placer<'_>,
        store: &dyn ReportStore,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> Result<Analysis, StoreError> {
        let stored = store.incidents(from, to)?;
        let (Some(first), Some(last)) = (
            stored.iter().map(|i| i.first).min(),
            stored.iter().map(|i| i.last).max(),
        ) else {
            return Ok(Analysis::judged(placer, Vec::new(), Vec::new()));
        };
        let end = last
            .checked_add(jiff::SignedDuration::from_nanos(1))
            .unwrap_or(last);
        let mut by_key: std::collections::HashMap<(String, String), guarantor_core::Report> = store
            .reports(Some(first), Some(end))?
            .into_iter()
            .map(|r| ((r.source.clone(), r.id.clone()), r))
            .collect();
        let (incidents, ids) = stored
            .into_iter()
            .map(|i| {
                let reports: Vec<guarantor_core::Report> =
                    i.reports.iter().filter_map(|k| by_key.remove(k)).collect();
                let confidence = guarantor_monitor::grade(&reports);
                (
                    Incident {
                        reports,
                        confidence,
                    },
                    i.id,
                )
            })
            .unzip();
        Ok(Analysis::judged(placer, incidents, ids))
    }

    /// The time of incident `i`'s first report.
    fn time(&self, i: usize) -> Option<Timestamp> {
        self.incidents[i].reports.iter().map(|r| r.time).min()
    }

    /// Incident `i`'s id (see [`IncidentDto::id`]).
    fn key(&self, i: usize) -> u64 {
        self.ids[i]
    }

    /// Incident `i` for people.
    fn dto(&self, i: usize) -> IncidentDto {
        let (incident, (placement, verdict)) = (&self.incidents[i], &self.judged[i]);
        let anchor = guarantor_monitor::best_located(incident);
        let mut kinds: Vec<&'static str> =
            incident.reports.iter().map(|r| r.kind.as_str()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let independent =
            guarantor_monitor::independent_sources(&incident.reports.iter().collect::<Vec<_>>());
        let mut sources: Vec<String> = incident.reports.iter().map(|r| r.source.clone()).collect();
        sources.sort();
        sources.dedup();
        IncidentDto {
            id: self.key(i),
            time: self.time(i).map(|t| t.to_string()).unwrap_or_default(),
            time_precision_hours: incident
                .reports
                .iter()
                .min_by_key(|r| r.time)
                .map_or(0.0, |r| r.time_precision.radius),
            lat: anchor.map_or(0.0, |r| r.place.y()),
            lon: anchor.map_or(0.0, |r| r.place.x()),
            place_precision_km: anchor.map_or(0.0, |r| r.place_precision.radius),
            kinds,
            confidence: incident.confidence.as_str(),
            sources,
            independent_sources: independent.len(),
            source_kinds: {
                let mut kinds: Vec<&'static str> =
                    independent.iter().map(|(_, k)| k.as_str()).collect();
                kinds.sort_unstable();
                kinds
            },
            reports: incident
                .reports
                .iter()
                .map(|r| format!("{}/{}", r.source, r.id))
                .collect(),
            occupied: placement.occupied,
            occupied_as_of: placement.occupied_as_of.map(|d| d.to_string()),
            km_to_line: placement.km_to_line.map(tenth),
            surface: placement.surface.as_str(),
            zone: zone(placement),
            country: placement.country.as_ref().map(|c| c.to_string()),
            oblast: placement.oblast.clone(),
            place: placement.place.as_ref().map(|p| PlaceDto {
                text: p.describe(),
                name: p.name.clone(),
                admin1: p.admin1.clone(),
                country: p.country.clone(),
                km: tenth(p.km),
            }),
            buffer_zone: placement.buffer_zone.as_ref().map(|z| z.to_string()),
            nearest_protected: placement
                .nearest_protected
                .as_ref()
                .map(|(id, km)| NearestDto {
                    site: id.to_string(),
                    km: tenth(*km),
                }),
            protected_site: placement.inside_protected.as_ref().map(|s| s.to_string()),
            hit: verdict.hit.as_ref().map(|h| HitDto {
                category: h.category.as_str(),
                by: h.by.clone(),
            }),
            attribution: AttributionDto {
                party: verdict.attribution.party.map_or("unknown", |p| p.as_str()),
                firmness: verdict.attribution.firmness.as_str(),
                grounds: verdict.attribution.grounds.clone(),
            },
            accounts: {
                let mut reports: Vec<&guarantor_core::Report> = incident.reports.iter().collect();
                reports.sort_by(|a, b| (a.time, &a.source, &a.id).cmp(&(b.time, &b.source, &b.id)));
                reports
                    .into_iter()
                    .map(|r| AccountDto {
                        report: format!("{}/{}", r.source, r.id),
                        time: r.time.to_string(),
                        time_precision_hours: r.time_precision.radius,
                        kind: r.kind.as_str(),
                        text: r.text.clone(),
                        links: r.links.clone(),
                    })
                    .collect()
            },
            violation: verdict.violation,
            severity: verdict.severity.as_str(),
            reasons: verdict.reasons.clone(),
        }
    }

    /// Whether incident `i` needs a spot report: grave, or serious and confirmed or probable.
    fn needs_spot_report(&self, i: usize) -> bool {
        let severity = self.judged[i].1.severity;
        severity == Severity::Grave
            || (severity == Severity::Serious
                && self.incidents[i].confidence >= Confidence::Probable)
    }

    /// The day of incident `i` from day 0 of the phases (the terms' effective date, Kyiv time); 0 before it.
    fn day(&self, scenario: &Scenario, i: usize) -> Option<u32> {
        let tz = guarantor_monitor::terms_time_zone();
        let date = self.time(i)?.to_zoned(tz).date();
        let days = scenario.terms.effective.until(date).ok()?.get_days();
        Some(days.max(0) as u32)
    }

    /// The escalation rules the incidents fire, for people; `index` maps an incident to its place in the
    /// answer (`None`: not part of it). Steps that move forces are timed by the response engine against the
    /// force as sourced today, with the tiers the step brings.
    fn responses(
        &self,
        scenario: &Scenario,
        index: impl Fn(usize) -> Option<usize>,
        today: Option<(&SourcingPlan, &crate::MovementDto, &crate::Hourly)>,
    ) -> Vec<ResponseDto> {
        let sites = crate::movement::reinforceable_sites(scenario);
        // Sourced once (unless given), and only when a step needs it.
        let posture: std::cell::OnceCell<Result<crate::response::Posture<'_>, String>> =
            std::cell::OnceCell::new();
        let posture = || {
            posture.get_or_init(|| match today {
                Some((plan, moved, transport)) => Ok(crate::response::Posture::with_movement(
                    scenario,
                    std::borrow::Cow::Borrowed(plan),
                    std::borrow::Cow::Borrowed(moved),
                    transport.clone(),
                )),
                None => crate::response::posture(scenario, &scenario.today())
                    .map_err(|e| format!("the force could not be sourced today: {e}")),
            })
        };
        let none = std::collections::BTreeSet::new();
        let mut timed: std::collections::BTreeMap<
            (String, u32, usize),
            guarantor_response::Response,
        > = std::collections::BTreeMap::new();
        guarantor_monitor::respond(scenario, &self.incidents, &self.judged)
            .into_iter()
            .filter_map(|t| {
                let incidents: Vec<usize> = t.incidents.iter().filter_map(|&i| index(i)).collect();
                if incidents.is_empty() {
                    return None;
                }
                let incident_ids: Vec<u64> = t
                    .incidents
                    .iter()
                    .filter(|&&i| index(i).is_some())
                    .map(|&i| self.key(i))
                    .collect();
                let step = scenario.terms.step(&t.step).map(|(_, s)| s);
                let first = *t.incidents.first()?;
                let day = self.day(scenario, first);
                let mut dto = ResponseDto {
                    rule: t.rule.to_string(),
                    step: t.step.to_string(),
                    step_name: step.map(|s| s.name.clone()).unwrap_or_default(),
                    moves_forces: t.moves_forces,
                    tier: step.and_then(|s| s.tier.as_ref()).map(ToString::to_string),
                    incidents,
                    incident_ids,
                    site: None,
                    day,
                    reinforcement_hours: None,
                    reinforcement_days: None,
                    reinforcement_source: None,
                    reinforcement_capability: None,
                    eta: Vec::new(),
                    suspends_phase: None,
                    suspends_phase_day: None,
                    note: None,
                };
                if step.is_some_and(|s| s.suspends_next_phase) {
                    let next = scenario
                        .mission
                        .phases
                        .iter()
                        .find(|p| day.is_some_and(|d| p.start_day > d));
                    dto.suspends_phase = next.map(|p| p.id.to_string());
                    dto.suspends_phase_day = next.map(|p| p.start_day);
                }
                let site = guarantor_monitor::threatened_site(
                    scenario,
                    &self.incidents[first],
                    &self.judged[first].0,
                    &sites,
                )
                .filter(|_| t.moves_forces);
                if let Some(site) = site {
                    dto.site = Some(site.id.to_string());
                    // The tiers the step brings: its own and every one before it (all, for a step without).
                    let tiers = step
                        .and_then(|s| s.tier.as_ref())
                        .and_then(|id| scenario.response.tier(id))
                        .map_or(scenario.response.tiers.len(), |(i, _)| i + 1);
                    let objective = guarantor_monitor::best_located(&self.incidents[first])
                        .map_or(site.location, |r| r.place);
                    match posture() {
                        Err(why) => dto.note = Some(why.clone()),
                        Ok(posture) => {
                            let day = day.unwrap_or(0);
                            // Many responses call on the same few sites on the same day: each once.
                            let r = timed
                                .entry((site.id.to_string(), day, tiers))
                                .or_insert_with(|| {
                                    posture.respond_at(
                                        guarantor_core::ContingencyKind::AttackOnSite,
                                        site,
                                        objective,
                                        None,
                                        &scenario.response.default_needs,
                                        day,
                                        tiers,
                                        &none,
                                        guarantor_response::Detail::Fastest,
                                    )
                                });
                            let cells: Vec<_> = r
                                .elements
                                .iter()
                                .filter_map(|e| crate::response::reinforcement_cell(site, e))
                                .min_by_key(|c| c.hours)
                                .into_iter()
                                .collect();
                            if let Some(best) = cells.first() {
                                dto.reinforcement_hours = Some(best.hours);
                                dto.reinforcement_days = Some(best.days);
                                dto.reinforcement_source = Some(best.source.clone());
                                dto.reinforcement_capability = Some(best.capability.clone());
                            }
                            dto.eta = crate::response::first_of_each(r);
                        }
                    }
                }
                Some(dto)
            })
            .collect()
    }
}

/// The zone an incident falls in, for people: `Black Sea`, `Sea of Azov`, `occupied area`, `buffer zone <id>`,
/// `government-controlled area`, `<ISO3> territory`, or `elsewhere`.
fn zone(p: &Placement) -> String {
    match (p.surface, p.occupied, &p.buffer_zone, &p.country) {
        (Surface::BlackSea, ..) => "Black Sea".into(),
        (Surface::Azov, ..) => "Sea of Azov".into(),
        (_, true, ..) => "occupied area".into(),
        (_, _, Some(z), _) => format!("buffer zone {z}"),
        (_, _, None, Some(c)) if c.as_str() == "UKR" => "government-controlled area".into(),
        (_, _, None, Some(c)) => format!("{c} territory"),
        _ => "elsewhere".into(),
    }
}

/// The stored reports with a time in `[from, to)` as incidents, each placed and judged against `scenario`, and
/// the responses the terms call for.
pub fn incidents(
    scenario: &Scenario,
    store: &dyn ReportStore,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
) -> Result<IncidentsReport, StoreError> {
    incidents_with(
        &guarantor_monitor::Placer::new(scenario),
        store,
        from,
        to,
        None,
    )
}

/// [`incidents`] with the scenario's geography already indexed (a server keeps the [`Placer`] of each
/// scenario version: building one takes a fifth of a second) and, when it has it, the force as sourced today
/// and moved with the transport to time responses over (`today`: a plan takes a second or more to source, and the
/// transport keeps its answers for the next call; without it, it is sourced when a response needs it).
///
/// [`Placer`]: guarantor_monitor::Placer
pub fn incidents_with(
    placer: &guarantor_monitor::Placer<'_>,
    store: &dyn ReportStore,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
    today: Option<(&SourcingPlan, &crate::MovementDto, &crate::Hourly)>,
) -> Result<IncidentsReport, StoreError> {
    let scenario = placer.scenario();
    let a = Analysis::stored(placer, store, from, to)?;
    let responses = a.responses(scenario, Some, today);
    Ok(IncidentsReport {
        from: from.map(|t| t.to_string()),
        to: to.map(|t| t.to_string()),
        reports: usize::try_from(store.count(from, to)?).unwrap_or(usize::MAX),
        incidents: (0..a.incidents.len()).map(|i| a.dto(i)).collect(),
        ladder: ladder(&responses),
        responses,
    })
}

/// A time bound as `--since` and `--until` take it: an RFC 3339 time, or a day `YYYY-MM-DD` starting at
/// midnight in Kyiv (the terms' time zone).
pub fn time_bound(text: &str) -> Result<Timestamp, String> {
    if let Ok(t) = text.parse::<Timestamp>() {
        return Ok(t);
    }
    let day = text.parse::<jiff::civil::Date>().map_err(|_| {
        format!("`{text}` is neither a time (2026-12-05T06:00:00Z) nor a day (2026-12-05)")
    })?;
    day.to_zoned(guarantor_monitor::terms_time_zone())
        .map(|z| z.timestamp())
        .map_err(|e| format!("`{text}`: {e}"))
}

/// A window of time asked for (`--since`/`--until`, `since`/`until`) that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    /// A bound is neither a time nor a day.
    #[error("{name}: {message}")]
    Bound {
        /// `since` or `until`.
        name: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The window ends before it starts: nothing could be in it.
    #[error("since {since} is after until {until}: no report can be in that window (swap them?)")]
    Reversed {
        /// The start asked for.
        since: String,
        /// The end asked for.
        until: String,
    },
}

/// A window as `since` and `until` give it: each bound read by [`time_bound`] (empty: none), the start not
/// after the end.
pub fn time_window(
    since: Option<&str>,
    until: Option<&str>,
) -> Result<(Option<Timestamp>, Option<Timestamp>), WindowError> {
    let bound = |name: &'static str, text: Option<&str>| {
        text.filter(|t| !t.trim().is_empty())
            .map(|t| time_bound(t.trim()).map_err(|message| WindowError::Bound { name, message }))
            .transpose()
    };
    let (from, to) = (bound("since", since)?, bound("until", until)?);
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(WindowError::Reversed {
            since: since.unwrap_or_default().trim().to_owned(),
            until: until.unwrap_or_default().trim().to_owned(),
        });
    }
    Ok((from, to))
}

/// `guarantor monitor report`: the day's report, in the manner of the OSCE monitoring mission's daily reports.
#[derive(Clone, Debug, Serialize)]
pub struct DailyReport {
    /// The day reported (the period ends at the cut on this day, Kyiv time).
    pub day: String,
    /// The cut, `HH:MM` Kyiv time.
    pub cut: String,
    /// The period: from the cut the day before (inclusive) to the cut on the day (exclusive), RFC 3339.
    pub from: String,
    /// See `from`.
    pub to: String,
    /// This period's figures.
    pub totals: PeriodTotals,
    /// The period before, for comparison.
    pub previous: PeriodTotals,
    /// Incidents by kind of event: this period and the previous one.
    pub by_kind: Vec<CountDto>,
    /// By zone (see `IncidentDto::zone`).
    pub by_zone: Vec<CountDto>,
    /// By oblast (incidents at sea or abroad are not counted here).
    pub by_oblast: Vec<CountDto>,
    /// By confidence grade.
    pub by_confidence: Vec<CountDto>,
    /// Violations by severity.
    pub by_severity: Vec<CountDto>,
    /// Every incident of the period.
    pub incidents: Vec<IncidentDto>,
    /// The incidents that need a spot report (indices into `incidents`): grave ones, and serious ones that are
    /// confirmed or probable.
    pub spot_reports: Vec<usize>,
    /// The escalation rules the period's incidents fire, highest step first (`incidents`: those of this
    /// period, as indices into `incidents`; a pattern may also count incidents of the day before).
    pub responses: Vec<ResponseDto>,
    /// The day the terms took effect: nothing before it is a violation.
    pub terms_effective: String,
    /// The day of the dated occupied area the period's zones are read against, `null` when the scenario's
    /// occupied area is (the day is outside its dated series, or it has none).
    pub occupied_as_of: Option<String>,
    /// The responses grouped by step of the ladder (highest first): what the ladder asks, one line a step.
    pub ladder: Vec<LadderStepDto>,
    /// Incidents by the party the evidence points to (`unknown` when it does not).
    pub by_party: Vec<CountDto>,
    /// Incidents by what they hit (`none said` when nothing says).
    pub by_target: Vec<CountDto>,
    /// Incidents per daily period, by confidence, over the [`HISTORY_DAYS`] periods ending with this one
    /// (oldest first; incidents counted in the period of their first report).
    pub history: Vec<DayCountsDto>,
}

/// How many daily periods the report's history covers.
pub const HISTORY_DAYS: u32 = 14;

/// One daily period's incidents by confidence.
#[derive(Clone, Debug, Serialize)]
pub struct DayCountsDto {
    /// The day whose cut ends the period.
    pub day: String,
    /// Confirmed incidents.
    pub confirmed: usize,
    /// Probable.
    pub probable: usize,
    /// Possible.
    pub possible: usize,
    /// Single-source.
    pub single_source: usize,
    /// Of all of them, violations.
    pub violations: usize,
}

/// Figures for one period.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PeriodTotals {
    /// Reports received.
    pub reports: usize,
    /// Incidents they make.
    pub incidents: usize,
    /// Of which violations.
    pub violations: usize,
}

/// A count in this period and the previous one.
#[derive(Clone, Debug, Serialize)]
pub struct CountDto {
    /// What is counted.
    pub key: String,
    /// This period.
    pub count: usize,
    /// The period before.
    pub previous: usize,
}

/// Counts by `key` in both periods, keys in order of this period's count (largest first), then by name.
fn counts(
    now: &[IncidentDto],
    before: &[IncidentDto],
    key: impl Fn(&IncidentDto) -> Option<String>,
) -> Vec<CountDto> {
    let mut map: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for i in now {
        if let Some(k) = key(i) {
            map.entry(k).or_default().0 += 1;
        }
    }
    for i in before {
        if let Some(k) = key(i) {
            map.entry(k).or_default().1 += 1;
        }
    }
    let mut out: Vec<CountDto> = map
        .into_iter()
        .map(|(key, (count, previous))| CountDto {
            key,
            count,
            previous,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
    out
}

/// The daily cut as `--cut` takes it, `HH:MM` (Kyiv time).
pub fn parse_cut(text: &str) -> Result<jiff::civil::Time, String> {
    let bad = || format!("`{text}`: expected HH:MM, e.g. 19:30");
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    let (h, m): (i8, i8) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    jiff::civil::Time::new(h, m, 0, 0).map_err(|_| bad())
}

/// The daily report for `day`, the period ending at `cut` (Kyiv time) that day. The two periods (and a day
/// either side) are read and corroborated together, so reports of one event either side of a cut make one
/// incident, counted in the period of its first report, and patterns across the cut are seen.
pub fn daily_report(
    scenario: &Scenario,
    store: &dyn ReportStore,
    day: jiff::civil::Date,
    cut: jiff::civil::Time,
) -> Result<DailyReport, String> {
    daily_report_with(&guarantor_monitor::Placer::new(scenario), store, day, cut)
}

/// [`daily_report`] with the scenario's geography already indexed.
pub fn daily_report_with(
    placer: &guarantor_monitor::Placer<'_>,
    store: &dyn ReportStore,
    day: jiff::civil::Date,
    cut: jiff::civil::Time,
) -> Result<DailyReport, String> {
    let scenario = placer.scenario();
    let tz = guarantor_monitor::terms_time_zone();
    let at = |d: jiff::civil::Date| -> Result<Timestamp, String> {
        d.to_datetime(cut)
            .to_zoned(tz.clone())
            .map(|z| z.timestamp())
            .map_err(|e| e.to_string())
    };
    // The cuts of the history's periods, oldest first: the last period is the report's, the one before it the
    // day before.
    let mut days = vec![day];
    for _ in 0..HISTORY_DAYS {
        let earlier = days[days.len() - 1]
            .yesterday()
            .map_err(|e| e.to_string())?;
        days.push(earlier);
    }
    days.reverse();
    let cuts: Vec<Timestamp> = days.iter().map(|d| at(*d)).collect::<Result<_, _>>()?;
    let n = cuts.len();
    let (from, to, prev_from) = (cuts[n - 2], cuts[n - 1], cuts[n - 3]);
    // The stored incidents of the whole history: every count in the report comes from the same incidents, each
    // with all its reports (earlier or later accounts included).
    let a = Analysis::stored(placer, store, Some(cuts[0]), Some(to)).map_err(|e| e.to_string())?;
    let period =
        |t: Option<Timestamp>, lo: Timestamp, hi: Timestamp| t.is_some_and(|t| lo <= t && t < hi);
    let now: Vec<usize> = (0..a.incidents.len())
        .filter(|&i| period(a.time(i), from, to))
        .collect();
    let prev: Vec<usize> = (0..a.incidents.len())
        .filter(|&i| period(a.time(i), prev_from, from))
        .collect();
    let received = |lo, hi| -> Result<usize, String> {
        let n = store.count(Some(lo), Some(hi)).map_err(|e| e.to_string())?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    };
    let totals = |which: &[usize], reports: usize| PeriodTotals {
        reports,
        incidents: which.len(),
        violations: which.iter().filter(|&&i| a.judged[i].1.violation).count(),
    };
    let incidents: Vec<IncidentDto> = now.iter().map(|&i| a.dto(i)).collect();
    let before_dtos: Vec<IncidentDto> = prev.iter().map(|&i| a.dto(i)).collect();
    let (x, y) = (&incidents, &before_dtos);
    let responses = a.responses(scenario, |i| now.iter().position(|&n| n == i), None);
    Ok(DailyReport {
        terms_effective: scenario.terms.effective.to_string(),
        occupied_as_of: placer.occupied_as_of(day).map(|d| d.to_string()),
        day: day.to_string(),
        cut: cut.strftime("%H:%M").to_string(),
        from: from.to_string(),
        to: to.to_string(),
        totals: totals(&now, received(from, to)?),
        previous: totals(&prev, received(prev_from, from)?),
        by_kind: counts(x, y, |i| Some(i.kinds.join("/"))),
        by_zone: counts(x, y, |i| Some(i.zone.clone())),
        by_oblast: counts(x, y, |i| i.oblast.clone()),
        by_confidence: counts(x, y, |i| Some(i.confidence.to_owned())),
        by_severity: counts(x, y, |i| i.violation.then(|| i.severity.to_owned())),
        by_party: counts(x, y, |i| Some(i.attribution.party.to_owned())),
        by_target: counts(x, y, |i| {
            Some(
                i.hit
                    .as_ref()
                    .map_or("none said", |h| h.category)
                    .to_owned(),
            )
        }),
        spot_reports: (0..now.len())
            .filter(|&k| a.needs_spot_report(now[k]))
            .collect(),
        ladder: ladder(&responses),
        responses,
        incidents,
        history: history(&a, &days[1..], &cuts),
    })
}

/// Incidents per daily period by confidence: period `k` runs from `cuts[k]` to `cuts[k + 1]` and is named by
/// `days[k]`, the day whose cut ends it.
fn history(a: &Analysis, days: &[jiff::civil::Date], cuts: &[Timestamp]) -> Vec<DayCountsDto> {
    let mut out: Vec<DayCountsDto> = days
        .iter()
        .map(|d| DayCountsDto {
            day: d.to_string(),
            confirmed: 0,
            probable: 0,
            possible: 0,
            single_source: 0,
            violations: 0,
        })
        .collect();
    for i in 0..a.incidents.len() {
        let Some(t) = a.time(i) else { continue };
        let Some(k) = cuts.windows(2).position(|w| w[0] <= t && t < w[1]) else {
            continue;
        };
        let row = &mut out[k];
        match a.incidents[i].confidence {
            Confidence::Confirmed => row.confirmed += 1,
            Confidence::Probable => row.probable += 1,
            Confidence::Possible => row.possible += 1,
            Confidence::SingleSource => row.single_source += 1,
        }
        row.violations += usize::from(a.judged[i].1.violation);
    }
    out
}

/// A layout as listed: its name, what it reads, and how a file is matched to it.
#[derive(Clone, Debug, Serialize)]
pub struct LayoutDto {
    /// The name `--layout` and `layout=` take.
    pub name: String,
    /// What export it reads.
    pub description: String,
    /// `csv`, `json`, `jsonl` or `geojson`.
    pub format: &'static str,
    /// The header columns (JSON: keys) that make a file of this layout when none is named; empty: by name only.
    pub detect: Vec<String>,
    /// The zone of dates without an offset.
    pub zone: String,
    /// `dmy` or `mdy` when the layout says.
    pub date_order: Option<&'static str>,
}

impl From<&guarantor_scenario::Layout> for LayoutDto {
    fn from(l: &guarantor_scenario::Layout) -> Self {
        LayoutDto {
            name: l.name.clone(),
            description: l.description.clone(),
            format: l.format.name(),
            detect: l.detect.clone(),
            zone: l.zone_name.clone(),
            date_order: l.date_order.map(|o| o.name()),
        }
    }
}

/// The shipped layouts.
pub fn layouts() -> Vec<LayoutDto> {
    guarantor_scenario::builtin_layouts()
        .iter()
        .map(|l| LayoutDto::from(l.as_ref()))
        .collect()
}

/// Why a layout cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LayoutError {
    /// Neither a shipped layout's name nor a file that could be read.
    #[error("`{name}` is neither a shipped layout ({known}) nor a layout file: {why}")]
    Unknown {
        /// What was asked for.
        name: String,
        /// The shipped layouts' names.
        known: String,
        /// Why it could not be read as a file.
        why: String,
    },
    /// The layout file has problems (each a diagnostic with file, line, column and key).
    #[error("the layout file {path} has {} problem(s)", diagnostics.len())]
    Broken {
        /// The file.
        path: String,
        /// Its text (to render the diagnostics).
        text: String,
        /// The problems.
        diagnostics: Vec<Diagnostic>,
    },
}

/// The layout an upload names (the server's): a layout file's `toml` sent with it, else a shipped layout's
/// `name` — never a path on the server; `None`: to be found from the upload's name and header.
pub fn sent_layout(
    name: Option<&str>,
    toml: Option<&str>,
) -> Result<Option<std::sync::Arc<guarantor_scenario::Layout>>, LayoutError> {
    if let Some(toml) = toml.filter(|t| !t.trim().is_empty()) {
        return layout("layout.toml", Some(toml)).map(Some);
    }
    match name.filter(|n| !n.trim().is_empty()) {
        None => Ok(None),
        Some(name) => guarantor_scenario::layout_named(name)
            .map(Some)
            .ok_or_else(|| LayoutError::Unknown {
                name: name.to_owned(),
                known: guarantor_scenario::layout_names().join(", "),
                why: "send a layout file as layout_toml".into(),
            }),
    }
}

/// A layout by a shipped layout's name, or from a layout file's `text` (read from `path`; `None`: `name` is
/// tried as a file's path).
pub fn layout(
    name: &str,
    text: Option<&str>,
) -> Result<std::sync::Arc<guarantor_scenario::Layout>, LayoutError> {
    if text.is_none()
        && let Some(l) = guarantor_scenario::layout_named(name)
    {
        return Ok(l);
    }
    let text = match text {
        Some(t) => t.to_owned(),
        None => std::fs::read_to_string(name).map_err(|e| LayoutError::Unknown {
            name: name.to_owned(),
            known: guarantor_scenario::layout_names().join(", "),
            why: e.to_string(),
        })?,
    };
    guarantor_scenario::read_layout(name, &text)
        .map(std::sync::Arc::new)
        .map_err(|diagnostics| LayoutError::Broken {
            path: name.to_owned(),
            text,
            diagnostics,
        })
}
