//! Synthetic report feeds, and the placement and corroboration benchmark run on them
//! (`guarantor monitor generate`, `guarantor monitor bench`).

use std::time::Instant;

use guarantor_core::{Diagnostic, Scenario};
use guarantor_monitor::{Placer, Slack};
use guarantor_scenario::{read_reports, reports_csv};
use serde::Serialize;

/// The size and seed of a synthetic feed.
pub use guarantor_monitor::synthetic::Spec as FeedSpec;

/// A synthetic feed over `scenario`'s geography (see [`guarantor_monitor::synthetic`]) in guarantor's CSV
/// layout, ready for `guarantor monitor ingest`.
pub fn generate_reports(scenario: &Scenario, spec: &FeedSpec) -> String {
    reports_csv(&guarantor_monitor::synthetic::reports(scenario, spec))
}

/// What `guarantor monitor bench` measured.
#[derive(Clone, Debug, Serialize)]
pub struct PlaceBenchRun {
    /// Reports read.
    pub reports: usize,
    /// Incidents they make.
    pub incidents: usize,
    /// Indexing the scenario's geography.
    ///
    /// # Units
    /// seconds
    pub index_seconds: f64,
    /// Placing every report (after indexing).
    ///
    /// # Units
    /// seconds
    pub place_seconds: f64,
    /// Merging the reports into incidents.
    ///
    /// # Units
    /// seconds
    pub corroborate_seconds: f64,
}

/// The run, and its answers as CSV for a peer to compare with.
#[derive(Clone, Debug)]
pub struct PlaceBench {
    /// The timings.
    pub run: PlaceBenchRun,
    /// `id,occupied,km_to_line,buffer_zone,surface,country,oblast,nearest_site,nearest_km,inside_site,place,
    /// place_km` (the nearest named place and the distance to it), one row per report in file order.
    pub placements_csv: String,
    /// `id,incident`, one row per report in file order: the incident is the file row (from 0) of its first
    /// report in file order.
    pub incidents_csv: String,
}

/// Reads `text` (guarantor's CSV layout) and places and corroborates every report, timing each step. Rows that
/// cannot be read come back as diagnostics, and nothing is measured.
pub fn place_bench(
    scenario: &Scenario,
    path: &str,
    text: &str,
) -> Result<PlaceBench, Vec<Diagnostic>> {
    // guarantor's own CSV layout: shipped, and held readable by a test (`every_shipped_layout_reads`).
    let layout = guarantor_scenario::layout_named("csv").ok_or_else(Vec::new)?;
    let read = read_reports(path, text, &layout);
    if !read.diagnostics.is_empty() {
        return Err(read.diagnostics);
    }
    let reports = read.reports;
    let start = Instant::now();
    let placer = Placer::new(scenario);
    let index_seconds = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let located: Vec<_> = reports.iter().map(|r| placer.locate(r.place)).collect();
    let place_seconds = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let groups = guarantor_monitor::group(&reports, Slack::default());
    let corroborate_seconds = start.elapsed().as_secs_f64();

    let mut placements = csv::Writer::from_writer(Vec::new());
    let _ = placements.write_record([
        "id",
        "occupied",
        "km_to_line",
        "buffer_zone",
        "surface",
        "country",
        "oblast",
        "nearest_site",
        "nearest_km",
        "inside_site",
        "place",
        "place_km",
    ]);
    for (r, l) in reports.iter().zip(&located) {
        let p = placer.resolve(l);
        let _ = placements.write_record([
            r.id.clone(),
            p.occupied.to_string(),
            p.km_to_line.map(|k| k.to_string()).unwrap_or_default(),
            p.buffer_zone.map(|z| z.to_string()).unwrap_or_default(),
            p.surface.as_str().to_owned(),
            p.country.map(|c| c.to_string()).unwrap_or_default(),
            p.oblast.unwrap_or_default(),
            p.nearest_protected
                .as_ref()
                .map(|n| n.0.to_string())
                .unwrap_or_default(),
            p.nearest_protected
                .map(|n| n.1.to_string())
                .unwrap_or_default(),
            p.inside_protected
                .map(|s| s.to_string())
                .unwrap_or_default(),
            p.place.as_ref().map(|n| n.name.clone()).unwrap_or_default(),
            p.place.map(|n| n.km.to_string()).unwrap_or_default(),
        ]);
    }
    let mut incident_of = vec![0usize; reports.len()];
    for g in &groups {
        let first = g.iter().copied().min().unwrap_or(0);
        for &i in g {
            incident_of[i] = first;
        }
    }
    let mut incidents = csv::Writer::from_writer(Vec::new());
    let _ = incidents.write_record(["id", "incident"]);
    for (r, i) in reports.iter().zip(&incident_of) {
        let _ = incidents.write_record([r.id.as_str(), &i.to_string()]);
    }
    let text = |w: csv::Writer<Vec<u8>>| {
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    };
    Ok(PlaceBench {
        run: PlaceBenchRun {
            reports: reports.len(),
            incidents: groups.len(),
            index_seconds,
            place_seconds,
            corroborate_seconds,
        },
        placements_csv: text(placements),
        incidents_csv: text(incidents),
    })
}
