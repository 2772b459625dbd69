//! The marks on the map: the network's routes, staging hubs and crossings; sites by kind; incidents by
//! confidence and verdict; the sites' names.

use std::collections::BTreeMap;

use geo_types::Point;
use guarantor_core::{Mode, NodeKind, Scenario, Severity, Site, SiteKind};

use super::{Canvas, Overlay, confidence_colour, leader, triangle_d};
use crate::svg::text_width;
use crate::symbol;

/// A site the map shows, and where.
type Shown<'a> = (&'a Site, (f64, f64));

/// The network's routes, those that ran full heavier.
pub(super) fn draw_routes(canvas: &mut Canvas, scenario: &Scenario, overlay: &Overlay) {
    let node_at: BTreeMap<&str, Point<f64>> = scenario
        .network
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.location))
        .collect();
    for link in &scenario.network.links {
        let (Some(a), Some(b)) = (
            node_at.get(link.from.as_str()),
            node_at.get(link.to.as_str()),
        ) else {
            continue;
        };
        // Routes within the map: the long hauls from home bases run off it.
        let (pa, pb) = (canvas.view.px(*a), canvas.view.px(*b));
        if !canvas.view.shows(pa, 0.0) || !canvas.view.shows(pb, 0.0) {
            continue;
        }
        let busy = overlay.busy_links.iter().any(|l| l == link.id.as_str());
        let style = match (busy, link.mode) {
            (true, _) => r##"stroke="#d35400" stroke-width="3" stroke-opacity="0.9""##,
            (false, Mode::Rail) => {
                r##"stroke="#5d4037" stroke-width="1.2" stroke-dasharray="5 2" stroke-opacity="0.7""##
            }
            (false, Mode::Road) => r##"stroke="#5d4037" stroke-width="1.2" stroke-opacity="0.6""##,
            _ => {
                r##"stroke="#5d4037" stroke-width="0.8" stroke-dasharray="1 3" stroke-opacity="0.6""##
            }
        };
        canvas.svg.line(pa, pb, style);
    }
}

/// The network's staging hubs and border crossings on the map. Nodes that are sites are drawn as sites, by
/// [`draw_sites`].
pub(super) fn draw_hubs(canvas: &mut Canvas, scenario: &Scenario) {
    for node in scenario.network.nodes.iter().filter(|n| n.site.is_none()) {
        let p = canvas.view.px(node.location);
        if !canvas.view.shows(p, 0.0) {
            continue;
        }
        let kind = match node.kind {
            NodeKind::StagingHub => SiteKind::LogisticsHub,
            NodeKind::BorderCrossing => SiteKind::BorderCrossing,
            _ => continue,
        };
        symbol::site(&mut canvas.svg, p, kind);
        canvas.block_square(p, 6.0);
    }
}

/// Sites by kind (areas are drawn as outlines, by `draw_areas`); returns those on the map, with where.
pub(super) fn draw_sites<'a>(canvas: &mut Canvas, scenario: &'a Scenario) -> Vec<Shown<'a>> {
    let view = canvas.view;
    let shown: Vec<_> = scenario
        .sites
        .iter()
        .filter(|s| !matches!(s.kind, SiteKind::SeaArea | SiteKind::AirArea))
        .map(|s| (s, view.px(s.location)))
        .filter(|(_, p)| view.shows(*p, 0.0))
        .collect();
    for (site, p) in &shown {
        symbol::site(&mut canvas.svg, *p, site.kind);
        canvas.block_square(*p, 7.0);
    }
    shown
}

/// Incidents: colour by confidence, a triangle for a violation, a circle otherwise; returns how many fell
/// outside the map.
pub(super) fn draw_incidents(canvas: &mut Canvas, overlay: &Overlay) -> usize {
    let mut incidents_outside = 0;
    for mark in &overlay.incidents {
        let (x, y) = canvas.view.px(mark.at);
        if !canvas.view.shows((x, y), 0.0) {
            incidents_outside += 1;
            continue;
        }
        let r = match mark.severity {
            Severity::Grave => 7.0,
            Severity::Serious => 5.5,
            _ => 4.0,
        };
        let colour = confidence_colour(mark.confidence);
        canvas.block_square((x, y), r);
        if mark.violation {
            canvas.svg.path(
                &triangle_d((x, y), r),
                &format!(r##"class="incident" fill="{colour}" stroke="#000" stroke-width="0.7""##),
            );
        } else {
            canvas.svg.circle(
                (x, y),
                r * 0.7,
                &format!(r##"class="incident" fill="none" stroke="{colour}" stroke-width="1.6""##),
            );
        }
    }
    incidents_outside
}

/// Site names, placed where they do not cover anything, the weightiest kinds first; returns how many found
/// no place.
pub(super) fn draw_site_names(canvas: &mut Canvas, mut shown: Vec<Shown<'_>>) -> usize {
    shown.sort_by_key(|(s, _)| {
        (
            match s.kind {
                SiteKind::NuclearPlant => 0,
                SiteKind::Port => 1,
                SiteKind::Headquarters => 2,
                SiteKind::Energy => 3,
                SiteKind::Airbase => 4,
                _ => 5,
            },
            s.id.as_str().to_owned(),
        )
    });
    let mut names_left_out = 0;
    for (site, p) in shown {
        let name = short_name(&site.name);
        let size = 10.0;
        let tw = text_width(&name, size) + 4.0;
        let Some(placed) = canvas.layout.place(p, tw, size + 4.0, 8.0) else {
            names_left_out += 1;
            continue;
        };
        let r = placed.rect;
        if placed.leader {
            leader(
                &mut canvas.svg,
                p,
                r,
                r##"stroke="#555" stroke-width="0.5""##,
            );
        }
        canvas.svg.text(
            (r.x + 2.0, r.y + size + 0.5),
            size,
            "start",
            r##"fill="#1c1c1c" stroke="#fbfbf7" stroke-width="2.5" paint-order="stroke""##,
            &name,
        );
    }
    names_left_out
}

/// A site's name without its bracketed detail: `Zaporizhzhia NPP (Enerhodar)` → `Zaporizhzhia NPP`.
fn short_name(name: &str) -> String {
    name.split(" (").next().unwrap_or(name).trim().to_owned()
}
