//! The monitoring use cases: reports read from files into the store, and the stored reports as incidents with
//! their confidence, placement and verdict.

use guarantor_core::{Diagnostic, Scenario};
use guarantor_monitor::Slack;
use guarantor_scenario::{ReportFormat, read_reports};
use guarantor_store::{Batch, ReportStore, StoreError, StoredReject};
use jiff::Timestamp;
use serde::Serialize;

use crate::DiagnosticDto;

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
    /// The layout it was read as.
    pub format: &'static str,
    /// Reports read from it.
    pub read: usize,
    /// Stored for the first time.
    pub new: usize,
    /// Already stored, identical (stored once).
    pub duplicates: usize,
    /// Already stored under the same source and id with other contents (the first is kept).
    pub conflicts: usize,
    /// Rows rejected, each with a diagnostic.
    pub rejected: usize,
    /// Why rows were rejected.
    pub diagnostics: Vec<DiagnosticDto>,
}

/// A problem ingesting.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The format is neither given nor clear from the file's name.
    #[error(
        "{0}: cannot tell the format from the name; give --format (csv, jsonl, geojson, ucdp, ucdp-articles or acled)"
    )]
    UnknownFormat(String),
    /// The store failed; nothing of the file was stored.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reads each `(path, text)` as `format` (or the format its name and header suggest) and stores it, one
/// transaction per file. Rejected rows are stored in the rejects list with their reasons and reported; their
/// diagnostics come back too, for a terminal to render.
pub fn ingest(
    store: &mut dyn ReportStore,
    files: &[(String, String)],
    format: Option<ReportFormat>,
) -> Result<(IngestReport, Vec<Diagnostic>), IngestError> {
    let mut out = Vec::new();
    let mut diagnostics = Vec::new();
    for (path, text) in files {
        let format = format
            .or_else(|| ReportFormat::guess(path, text))
            .ok_or_else(|| IngestError::UnknownFormat(path.clone()))?;
        let read = read_reports(path, text, format);
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
        let done = store.ingest(Batch {
            file: path,
            reports: &read.reports,
            rejected: &rejected,
        })?;
        out.push(IngestedFile {
            file: path.clone(),
            format: format.name(),
            read: read.reports.len(),
            new: done.new,
            duplicates: done.duplicates,
            conflicts: done.conflicts,
            rejected: read.rejected.len(),
            diagnostics: read.diagnostics.iter().map(DiagnosticDto::from).collect(),
        });
        diagnostics.extend(read.diagnostics);
    }
    Ok((IngestReport { files: out }, diagnostics))
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
    /// The incidents that fired it (indices into `incidents`).
    pub incidents: Vec<usize>,
    /// For a step that moves forces: the site to reinforce.
    pub site: Option<String>,
    /// Days until one unit of the fastest reserve (network.toml's reserves) has closed at the site, notice
    /// included; `null` when none can reach it within the horizon.
    pub reinforcement_days: Option<u32>,
    /// That reserve.
    pub reinforcement_source: Option<String>,
    /// Its capability.
    pub reinforcement_capability: Option<String>,
}

/// The protected site nearest an incident.
#[derive(Clone, Debug, Serialize)]
pub struct NearestDto {
    /// Its id in the terms.
    pub site: String,
    /// Distance to its centre (km, one decimal).
    pub km: f64,
}

/// One incident.
#[derive(Clone, Debug, Serialize)]
pub struct IncidentDto {
    /// Time of the first report (RFC 3339, UTC).
    pub time: String,
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
    /// The reports merged, as `source/id`.
    pub reports: Vec<String>,
    /// Inside the occupied area.
    pub occupied: bool,
    /// Distance to the contact line (km, one decimal).
    pub km_to_line: Option<f64>,
    /// `land`, `black_sea`, `azov` or `elsewhere`.
    pub surface: &'static str,
    /// ISO alpha-3 of the country it falls in.
    pub country: Option<String>,
    /// The oblast it falls in.
    pub oblast: Option<String>,
    /// The buffer zone it falls in.
    pub buffer_zone: Option<String>,
    /// The nearest protected site and the distance to it.
    pub nearest_protected: Option<NearestDto>,
    /// The protected site whose radius holds it.
    pub protected_site: Option<String>,
    /// Whether it breaks the terms.
    pub violation: bool,
    /// `none`, `minor`, `serious` or `grave`.
    pub severity: &'static str,
    /// Why, in words.
    pub reasons: Vec<String>,
}

fn tenth(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The stored reports with a time in `[from, to)` as incidents, each placed and judged against `scenario`.
pub fn incidents(
    scenario: &Scenario,
    store: &dyn ReportStore,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
) -> Result<IncidentsReport, StoreError> {
    let reports = store.reports(from, to)?;
    let merged = guarantor_monitor::incidents(&reports, Slack::default());
    let judged: Vec<_> = merged
        .iter()
        .map(|incident| guarantor_monitor::judge(scenario, incident))
        .collect();
    let responses = guarantor_monitor::respond(scenario, &merged, &judged)
        .into_iter()
        .map(|t| response(scenario, &merged, &judged, t))
        .collect();
    let incidents = merged
        .iter()
        .zip(judged)
        .map(|(incident, (placement, verdict))| {
            let anchor = guarantor_monitor::best_located(incident);
            let mut kinds: Vec<&'static str> =
                incident.reports.iter().map(|r| r.kind.as_str()).collect();
            kinds.sort_unstable();
            kinds.dedup();
            let mut sources: Vec<String> =
                incident.reports.iter().map(|r| r.source.clone()).collect();
            sources.sort();
            sources.dedup();
            IncidentDto {
                time: incident
                    .reports
                    .iter()
                    .map(|r| r.time)
                    .min()
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
                lat: anchor.map_or(0.0, |r| r.place.y()),
                lon: anchor.map_or(0.0, |r| r.place.x()),
                place_precision_km: anchor.map_or(0.0, |r| r.place_precision.radius),
                kinds,
                confidence: incident.confidence.as_str(),
                sources,
                reports: incident
                    .reports
                    .iter()
                    .map(|r| format!("{}/{}", r.source, r.id))
                    .collect(),
                occupied: placement.occupied,
                km_to_line: placement.km_to_line.map(tenth),
                surface: placement.surface.as_str(),
                country: placement.country.map(|c| c.to_string()),
                oblast: placement.oblast,
                buffer_zone: placement.buffer_zone.map(|z| z.to_string()),
                nearest_protected: placement.nearest_protected.map(|(id, km)| NearestDto {
                    site: id.to_string(),
                    km: tenth(km),
                }),
                protected_site: verdict.protected_site.map(|s| s.to_string()),
                violation: verdict.violation,
                severity: verdict.severity.as_str(),
                reasons: verdict.reasons,
            }
        })
        .collect();
    Ok(IncidentsReport {
        from: from.map(|t| t.to_string()),
        to: to.map(|t| t.to_string()),
        reports: reports.len(),
        incidents,
        responses,
    })
}

/// A fired rule for people: the step's name, and for a step that moves forces, the site and how fast the
/// scenario's reserves can reinforce it (the movement engine over the network at full capacity).
fn response(
    scenario: &Scenario,
    incidents: &[guarantor_core::Incident],
    judged: &[(guarantor_monitor::Placement, guarantor_core::Verdict)],
    t: guarantor_monitor::Triggered,
) -> ResponseDto {
    let step_name = scenario
        .terms
        .escalation
        .iter()
        .find(|s| s.id == t.step)
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let mut dto = ResponseDto {
        rule: t.rule.to_string(),
        step: t.step.to_string(),
        step_name,
        moves_forces: t.moves_forces,
        incidents: t.incidents.clone(),
        site: None,
        reinforcement_days: None,
        reinforcement_source: None,
        reinforcement_capability: None,
    };
    let Some(&first) = t.incidents.first() else {
        return dto;
    };
    if !t.moves_forces {
        return dto;
    }
    let Some(site) =
        guarantor_monitor::threatened_site(scenario, &incidents[first], &judged[first].0)
    else {
        return dto;
    };
    dto.site = Some(site.id.to_string());
    let Some(node) = crate::movement::site_node(scenario, &site.id) else {
        return dto;
    };
    let sources = crate::movement::reserve_sources(scenario);
    let plain: Vec<_> = sources.iter().map(|(s, _)| s.clone()).collect();
    let cells = guarantor_movement::reinforcement(
        &scenario.network,
        &[(site.id.clone(), node.clone())],
        &plain,
        crate::movement::horizon_days(scenario),
    )
    .unwrap_or_default();
    let domains = site.kind.domains();
    if let Some(best) = cells
        .iter()
        .filter(|c| {
            scenario
                .capability(&c.capability)
                .is_some_and(|cap| !cap.domains.is_disjoint(&domains))
        })
        .min_by_key(|c| (c.days, c.source))
    {
        dto.reinforcement_days = Some(best.days);
        dto.reinforcement_source = Some(plain[best.source].label.clone());
        dto.reinforcement_capability = Some(best.capability.to_string());
    }
    dto
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
    let tz = jiff::tz::TimeZone::get(guarantor_monitor::TERMS_TIME_ZONE)
        .map_err(|e| format!("time zone {}: {e}", guarantor_monitor::TERMS_TIME_ZONE))?;
    day.to_zoned(tz)
        .map(|z| z.timestamp())
        .map_err(|e| format!("`{text}`: {e}"))
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
    /// By zone: `occupied area`, `buffer zone <id>`, `government-controlled area`, `Black Sea`, `Sea of Azov`,
    /// or `<ISO3> territory`.
    pub by_zone: Vec<CountDto>,
    /// By oblast (incidents at sea or abroad are not counted here).
    pub by_oblast: Vec<CountDto>,
    /// By confidence grade.
    pub by_confidence: Vec<CountDto>,
    /// Violations by severity.
    pub by_severity: Vec<CountDto>,
    /// Every incident of the period.
    pub incidents: Vec<IncidentDto>,
    /// The incidents that need a spot report: grave ones, and serious ones that are confirmed or probable.
    pub spot_reports: Vec<IncidentDto>,
    /// The escalation rules the period's incidents fire, highest step first.
    pub responses: Vec<ResponseDto>,
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

/// The zone an incident falls in, for the report's table.
fn zone(i: &IncidentDto) -> String {
    match (i.surface, i.occupied, &i.buffer_zone, &i.country) {
        ("black_sea", ..) => "Black Sea".into(),
        ("azov", ..) => "Sea of Azov".into(),
        (_, true, ..) => "occupied area".into(),
        (_, _, Some(z), _) => format!("buffer zone {z}"),
        (_, _, None, Some(c)) if c == "UKR" => "government-controlled area".into(),
        (_, _, None, Some(c)) => format!("{c} territory"),
        _ => "elsewhere".into(),
    }
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

/// The daily report for `day` (a civil date), the period ending at `cut` (hour, minute) Kyiv time that day.
pub fn daily_report(
    scenario: &Scenario,
    store: &dyn ReportStore,
    day: jiff::civil::Date,
    cut: (i8, i8),
) -> Result<DailyReport, String> {
    let tz = jiff::tz::TimeZone::get(guarantor_monitor::TERMS_TIME_ZONE)
        .map_err(|e| format!("time zone {}: {e}", guarantor_monitor::TERMS_TIME_ZONE))?;
    let at = |d: jiff::civil::Date| -> Result<Timestamp, String> {
        d.at(cut.0, cut.1, 0, 0)
            .to_zoned(tz.clone())
            .map(|z| z.timestamp())
            .map_err(|e| e.to_string())
    };
    let yesterday = day.yesterday().map_err(|e| e.to_string())?;
    let before = yesterday.yesterday().map_err(|e| e.to_string())?;
    let (from, to, prev_from) = (at(yesterday)?, at(day)?, at(before)?);
    let now = incidents(scenario, store, Some(from), Some(to)).map_err(|e| e.to_string())?;
    let prev =
        incidents(scenario, store, Some(prev_from), Some(from)).map_err(|e| e.to_string())?;
    let totals = |r: &IncidentsReport| PeriodTotals {
        reports: r.reports,
        incidents: r.incidents.len(),
        violations: r.incidents.iter().filter(|i| i.violation).count(),
    };
    let (a, b) = (&now.incidents, &prev.incidents);
    let spot_reports = a
        .iter()
        .filter(|i| {
            i.severity == "grave"
                || (i.severity == "serious" && matches!(i.confidence, "confirmed" | "probable"))
        })
        .cloned()
        .collect();
    Ok(DailyReport {
        day: day.to_string(),
        cut: format!("{:02}:{:02}", cut.0, cut.1),
        from: from.to_string(),
        to: to.to_string(),
        totals: totals(&now),
        previous: totals(&prev),
        by_kind: counts(a, b, |i| Some(i.kinds.join("/"))),
        by_zone: counts(a, b, |i| Some(zone(i))),
        by_oblast: counts(a, b, |i| i.oblast.clone()),
        by_confidence: counts(a, b, |i| Some(i.confidence.to_owned())),
        by_severity: counts(a, b, |i| i.violation.then(|| i.severity.to_owned())),
        spot_reports,
        responses: now.responses,
        incidents: now.incidents,
    })
}
