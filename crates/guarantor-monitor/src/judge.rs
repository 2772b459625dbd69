//! Verdicts: each incident judged against the ceasefire terms — when it happened (before the terms took effect,
//! inside a time window), where (buffer zone, protected site, sea), and what it hit — with a severity.

use guarantor_core::{
    Attribution, Category, Coverage, EventKind, Hit, Incident, Report, Scenario, Severity, Terms,
    Verdict,
};
use jiff::tz::TimeZone;

use crate::classify;
use crate::place::{Placement, Placer, Surface};

/// The time zone the terms' dates are read in: the ceasefire's day starts at midnight in Kyiv.
pub const TERMS_TIME_ZONE: &str = "Europe/Kyiv";

/// [`TERMS_TIME_ZONE`], from the tz database compiled into the binary (jiff's `tzdb-bundle-always`): no file is
/// read.
pub fn terms_time_zone() -> TimeZone {
    TimeZone::get(TERMS_TIME_ZONE)
        .unwrap_or_else(|e| unreachable!("{TERMS_TIME_ZONE} is in the bundled tz database: {e}"))
}

/// The report that locates an incident best: the smallest place uncertainty, then the earliest, then by source
/// and id (so the choice does not depend on order).
pub fn best_located(incident: &Incident) -> Option<&Report> {
    incident.reports.iter().min_by(|a, b| {
        a.place_precision
            .radius
            .total_cmp(&b.place_precision.radius)
            .then(a.time.cmp(&b.time))
            .then(a.source.cmp(&b.source))
            .then(a.id.cmp(&b.id))
    })
}

/// A strike by a heavy weapon: what can hit a protected object from afar.
fn is_strike(kind: EventKind) -> bool {
    matches!(
        kind,
        EventKind::Artillery
            | EventKind::Missile
            | EventKind::Drone
            | EventKind::InfrastructureStrike
            | EventKind::AirStrike
            | EventKind::Naval
    )
}

/// The category an incident hit and what decided it: the most specific that a report's source codes or a
/// report's words name (the order of [`crate::classify::TARGET_WORDS`] — energy first — with `other` last; a
/// source's coding before words for the same category), else that of the protected site whose radius holds it
/// when a report is a strike, else sea targets for a naval event or a mine at sea (off the outlines, even within
/// the coast's tolerance). Reports are read in order of source and id.
///
/// The flag says whether a report (its source's coding or its words) named it, not a site's radius or the sea.
fn category(
    scenario: &Scenario,
    incident: &Incident,
    placement: &Placement,
) -> Option<(Hit, bool)> {
    let mut reports: Vec<&Report> = incident.reports.iter().collect();
    reports.sort_by(|a, b| a.source.cmp(&b.source).then(a.id.cmp(&b.id)));
    let rank = |c: Category| {
        classify::TARGET_WORDS
            .iter()
            .position(|(k, _)| *k == c)
            .unwrap_or(classify::TARGET_WORDS.len())
    };
    let mut best: Option<((usize, u8), Hit)> = None;
    for r in &reports {
        let name = format!("{}/{}", r.source, r.id);
        let words = classify::words(&r.text);
        let mut found = Vec::new();
        if let Some(category) = r.target {
            let by = match classify::word_for(&words, category) {
                Some(word) => format!("\u{201c}{word}\u{201d} in {name}, as its source codes it"),
                None => format!("{name}'s source codes it {}", category.as_str()),
            };
            found.push(((rank(category), 0), Hit { category, by }));
        }
        if let Some((category, word)) = classify::target_in(&words) {
            let by = format!("\u{201c}{word}\u{201d} in {name}");
            found.push(((rank(category), 1), Hit { category, by }));
        }
        for (key, hit) in found {
            if best.as_ref().is_none_or(|(b, _)| key < *b) {
                best = Some((key, hit));
            }
        }
    }
    if let Some((_, hit)) = best {
        return Some((hit, true));
    }
    // A site's radius says what a strike may have hit, not what a clash or a shot did.
    if let Some(site) = placement
        .inside_protected
        .as_ref()
        .and_then(|id| scenario.terms.protected_site(id))
        .filter(|_| incident.reports.iter().any(|r| is_strike(r.kind)))
    {
        let by = format!(
            "inside the {} km of protected site `{}`",
            site.radius_km, site.id
        );
        return Some((
            Hit {
                category: site.category,
                by,
            },
            false,
        ));
    }
    let at_sea = matches!(placement.surface, Surface::BlackSea | Surface::Azov) || placement.ashore;
    let naval = incident
        .reports
        .iter()
        .any(|r| matches!(r.kind, EventKind::Naval | EventKind::Mine));
    (at_sea && naval).then(|| {
        let by = "a naval event at sea".to_owned();
        (
            Hit {
                category: Category::SeaTargets,
                by,
            },
            false,
        )
    })
}

/// Judges `incident` against the terms of the placer's scenario; also returns where it was placed.
pub fn judge(placer: &Placer<'_>, incident: &Incident) -> (Placement, Verdict) {
    let scenario = placer.scenario();
    let Some(anchor) = best_located(incident) else {
        let empty = Verdict {
            violation: false,
            severity: Severity::None,
            reasons: vec!["no reports".to_owned()],
            hit: None,
            attribution: crate::attribute::attribute(incident),
        };
        return (placer.place(geo_types::Point::new(0.0, 0.0)), empty);
    };
    let terms = &scenario.terms;
    let mut reasons = Vec::new();
    let first = incident
        .reports
        .iter()
        .map(|r| r.time)
        .min()
        .unwrap_or(anchor.time);
    let day = first.to_zoned(terms_time_zone()).date();
    // Occupied or not as the area was on the incident's day, where the scenario has a dated series.
    let placement = placer.place_on(anchor.place, Some(day));
    // Forces seen hit nothing: a sighting is not a strike.
    let sighting = incident
        .reports
        .iter()
        .all(|r| r.kind == EventKind::Presence);
    let (hit, named) = match (!sighting)
        .then(|| category(scenario, incident, &placement))
        .flatten()
    {
        Some((hit, named)) => (Some(hit), named),
        None => (None, false),
    };
    let attribution = crate::attribute::attribute(incident);
    let verdict = |violation, severity, reasons| Verdict {
        violation,
        severity,
        reasons,
        hit: hit.clone(),
        attribution: attribution.clone(),
    };
    if day < terms.effective {
        reasons.push(format!(
            "{day} is before the terms took effect ({})",
            terms.effective
        ));
        let v = verdict(false, Severity::None, reasons);
        return (placement, v);
    }
    // Forces seen are not a hostile act: a violation only where the terms keep forces out.
    if sighting {
        let (violation, severity) = sighting_verdict(&placement, &mut reasons);
        return (placement, verdict(violation, severity, reasons));
    }
    let hit = hit.as_ref().map(|h| h.category);
    if !covered(terms, hit, &mut reasons) {
        let v = verdict(false, Severity::None, reasons);
        return (placement, v);
    }

    let judged = Judged {
        terms,
        incident,
        placement: &placement,
        day,
    };
    let severity = judged.severity(hit, named, &mut reasons);
    // A violation names the party the evidence points to (a proposal; the commission attributes).
    reasons.push(attribution_reason(&attribution));
    let v = verdict(true, severity, reasons);
    (placement, v)
}

/// Forces or heavy weapons seen: a serious violation inside a buffer zone (the terms keep it clear), else
/// recorded and no violation. Whether it is a violation and its severity; the reason is added to `reasons`.
fn sighting_verdict(placement: &Placement, reasons: &mut Vec<String>) -> (bool, Severity) {
    match &placement.buffer_zone {
        Some(zone) => {
            reasons.push(format!(
                "forces or heavy weapons inside the buffer zone `{zone}`, which the terms keep clear"
            ));
            (true, Severity::Serious)
        }
        None => {
            reasons
                .push("forces seen outside any buffer zone: recorded, not a violation".to_owned());
            (false, Severity::None)
        }
    }
}

/// Whether the ceasefire covers a hostile act that hit `hit`: any under a general ceasefire, under a limited
/// one only what it names. The reason is added to `reasons`.
fn covered(terms: &Terms, hit: Option<Category>, reasons: &mut Vec<String>) -> bool {
    match terms.coverage {
        Coverage::General => {
            reasons.push("a hostile act under a general ceasefire".to_owned());
            true
        }
        Coverage::Limited => match hit {
            Some(c) if terms.categories.contains(&c) => {
                reasons.push(format!(
                    "it hit {}, which the limited ceasefire covers",
                    c.as_str()
                ));
                true
            }
            Some(c) => {
                reasons.push(format!(
                    "it hit {}, which the limited ceasefire does not cover",
                    c.as_str()
                ));
                false
            }
            None => {
                reasons.push("nothing the limited ceasefire covers was hit".to_owned());
                false
            }
        },
    }
}

/// An incident the terms cover, as judged: the terms, where it was placed and the day it happened.
struct Judged<'a> {
    terms: &'a Terms,
    incident: &'a Incident,
    placement: &'a Placement,
    day: jiff::civil::Date,
}

impl Judged<'_> {
    /// Severity: what was hit (`hit`; `named`, whether a report named it) and where, raised inside a protection
    /// window for the category hit. The reasons are added to `reasons`.
    fn severity(&self, hit: Option<Category>, named: bool, reasons: &mut Vec<String>) -> Severity {
        let (terms, placement, day) = (self.terms, self.placement, self.day);
        let heavy = self
            .incident
            .reports
            .iter()
            .any(|r| is_strike(r.kind) || r.kind == EventKind::Interception);
        let protected = placement
            .inside_protected
            .as_ref()
            .and_then(|id| terms.protected_site(id));
        let mut severity = if heavy {
            Severity::Serious
        } else {
            Severity::Minor
        };
        if let Some(zone) = &placement.buffer_zone {
            reasons.push(format!("inside the buffer zone `{zone}`"));
        }
        if let Some(site) = protected {
            reasons.push(format!(
                "inside the {} km of protected site `{}` ({})",
                site.radius_km,
                site.id,
                site.category.as_str()
            ));
            severity = severity.max(Severity::Serious);
            if site.category == Category::Nuclear && heavy {
                reasons.push("a strike near a nuclear plant".to_owned());
                severity = Severity::Grave;
            }
        }
        if let Some(c) = hit {
            // The categories the terms name are specially protected: hitting one is serious at least.
            if terms.categories.contains(&c) {
                if terms.coverage == Coverage::General && named {
                    reasons.push(format!("it hit {}, which the terms protect", c.as_str()));
                } else if c == Category::SeaTargets && placement.inside_protected.is_none() {
                    reasons
                        .push("a naval attack at sea, on sea targets the terms protect".to_owned());
                }
                severity = severity.max(Severity::Serious);
            }
            for w in &terms.windows {
                if w.covers.contains(&c) && w.start <= day && day <= w.end {
                    reasons.push(format!(
                        "during the `{}` window, which protects {}",
                        w.id,
                        c.as_str()
                    ));
                    if heavy {
                        severity = Severity::Grave;
                    }
                }
            }
        }
        severity
    }
}

/// The party the evidence points to, and how firmly, in words.
fn attribution_reason(a: &Attribution) -> String {
    match a.party {
        Some(p) => format!(
            "the evidence points to {} ({} firmness)",
            p.as_str(),
            a.firmness.as_str()
        ),
        None if a.grounds.is_empty() => "no report says which party acted".to_owned(),
        None => "the evidence points to both parties".to_owned(),
    }
}
