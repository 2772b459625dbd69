//! The theatre map: Natural Earth outlines and oblasts, the occupied area and the contact line, buffer zones,
//! protected sites, sites by kind, the force laydown as unit symbols, air and sea areas, the network's staging
//! hubs and routes, and incidents by confidence and verdict; a legend, a scale bar and the attribution.

use std::collections::BTreeMap;

use geo::{BoundingRect, Contains, Simplify};
use geo_types::{LineString, MultiPolygon, Point};
use guarantor_core::{
    AreaKind, CapabilityId, Confidence, Domain, NodeKind, ProtectedPlace, Scenario, Severity,
    SiteId, SiteKind,
};

use crate::label::{Layout, Rect};
use crate::project::View;
use crate::svg::{Svg, esc, lines_d, num, rings_d, text_width};
use crate::symbol;

/// Units of one capability at one site, for the laydown.
#[derive(Clone, Debug, PartialEq)]
pub struct Laydown {
    /// Where.
    pub site: SiteId,
    /// What.
    pub capability: CapabilityId,
    /// How many units.
    pub units: u32,
    /// The nations sending them (ISO alpha-3), in order.
    pub nations: Vec<String>,
}

/// An incident to mark.
#[derive(Clone, Debug, PartialEq)]
pub struct IncidentMark {
    /// Where (the best-located report).
    pub at: Point<f64>,
    /// How sure.
    pub confidence: Confidence,
    /// Whether it breaks the terms.
    pub violation: bool,
    /// How grave.
    pub severity: Severity,
}

/// What goes on the scenario's map.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overlay {
    /// Title, top left.
    pub title: String,
    /// A line under the title.
    pub subtitle: String,
    /// The force at its sites.
    pub laydown: Vec<Laydown>,
    /// Ids of the links that ran full (drawn heavier).
    pub busy_links: Vec<String>,
    /// Incidents.
    pub incidents: Vec<IncidentMark>,
    /// Whether to draw the movement network (staging hubs, crossings, routes).
    pub network: bool,
}

const SEA: &str = "#dcecf7";
const LAND: &str = "#efeee9";
const UKRAINE: &str = "#fbfbf7";
const LINE: &str = "#b0182a";

/// The colour of a confidence grade.
pub fn confidence_colour(c: Confidence) -> &'static str {
    match c {
        Confidence::Confirmed => "#c0392b",
        Confidence::Probable => "#e67e22",
        Confidence::Possible => "#f1c40f",
        Confidence::SingleSource => "#7f8c8d",
    }
}

/// The lon/lat box the map shows: Ukraine (its oblasts, else the occupied area, the line and the sites) with a
/// margin.
pub fn theatre_box(scenario: &Scenario) -> (Point<f64>, Point<f64>) {
    let theatre = &scenario.theatre;
    let mut rects: Vec<geo_types::Rect<f64>> = theatre
        .regions
        .iter()
        .filter_map(|r| r.shape.bounding_rect())
        .collect();
    if rects.is_empty() {
        rects.extend(theatre.occupied_area.bounding_rect());
        rects.extend(theatre.contact_line.bounding_rect());
        rects.extend(
            scenario
                .sites
                .iter()
                .map(|s| geo_types::Rect::new(s.location.0, s.location.0)),
        );
    }
    let Some(first) = rects.first() else {
        return (Point::new(22.0, 44.0), Point::new(40.5, 52.5));
    };
    let (mut lo, mut hi) = (first.min(), first.max());
    for r in &rects {
        lo.x = lo.x.min(r.min().x);
        lo.y = lo.y.min(r.min().y);
        hi.x = hi.x.max(r.max().x);
        hi.y = hi.y.max(r.max().y);
    }
    (
        Point::new(lo.x - 0.8, lo.y - 0.9),
        Point::new(hi.x + 0.8, hi.y + 0.5),
    )
}

/// The view of the map, `width` px wide: [`theatre_box`], made taller where the theatre is too flat for the
/// title and the legend.
pub fn map_view(scenario: &Scenario, overlay: &Overlay, width: f64) -> View {
    map_frame(scenario, overlay, width).0
}

/// [`map_view`] and the lon/lat box it shows.
fn map_frame(scenario: &Scenario, overlay: &Overlay, width: f64) -> (View, Point<f64>, Point<f64>) {
    let (mut min, mut max) = theatre_box(scenario);
    // The panel holds the legend, two notes and the scale bar.
    let needed = legend_rows(scenario, overlay).len() as f64 * LEGEND_ROW + 150.0;
    let mut view = View::over(min, max, width);
    for _ in 0..30 {
        if view.height() >= needed {
            break;
        }
        let pad = (max.y() - min.y()) * 0.1 + 0.05;
        min = Point::new(min.x(), min.y() - pad);
        max = Point::new(max.x(), max.y() + pad);
        view = View::over(min, max, width);
    }
    (view, min, max)
}

/// A point inside `shape` and inside the box, near the middle of the part of the shape's box that the map
/// shows: where to write its name.
fn label_point(shape: &MultiPolygon<f64>, min: Point<f64>, max: Point<f64>) -> Option<Point<f64>> {
    let r = shape.bounding_rect()?;
    let (x0, y0) = (r.min().x.max(min.x()), r.min().y.max(min.y()));
    let (x1, y1) = (r.max().x.min(max.x()), r.max().y.min(max.y()));
    if x0 >= x1 || y0 >= y1 {
        return None;
    }
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let mut best: Option<(f64, Point<f64>)> = None;
    for i in 0..=8 {
        for j in 0..=8 {
            let p = Point::new(
                x0 + (x1 - x0) * f64::from(i) / 8.0,
                y0 + (y1 - y0) * f64::from(j) / 8.0,
            );
            // Well inside: the points half a degree around it are inside too.
            let inside = [(0.0, 0.0), (0.5, 0.0), (-0.5, 0.0), (0.0, 0.3), (0.0, -0.3)]
                .iter()
                .all(|(dx, dy)| shape.contains(&Point::new(p.x() + dx, p.y() + dy)));
            let d = (p.x() - cx).powi(2) + (p.y() - cy).powi(2);
            if inside && best.is_none_or(|(b, _)| d < b) {
                best = Some((d, p));
            }
        }
    }
    best.map(|(_, p)| p)
}

/// Projected, simplified rings of a multipolygon (tolerance in px).
fn polygon_rings(view: &View, shape: &MultiPolygon<f64>, tolerance: f64) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    for polygon in &shape.0 {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            let projected: LineString<f64> = ring.0.iter().map(|c| view.px(Point(*c))).collect();
            let simple = projected.simplify(tolerance);
            if simple.0.len() >= 4 {
                out.push(simple.0.iter().map(|c| (c.x, c.y)).collect());
            }
        }
    }
    out
}

fn line_points(view: &View, line: &LineString<f64>, tolerance: f64) -> Vec<(f64, f64)> {
    let projected: LineString<f64> = line.0.iter().map(|c| view.px(Point(*c))).collect();
    projected
        .simplify(tolerance)
        .0
        .iter()
        .map(|c| (c.x, c.y))
        .collect()
}

/// The map of `scenario` with `overlay` on it, `width` px wide.
pub fn map(scenario: &Scenario, overlay: &Overlay, width: f64) -> String {
    let (view, box_min, box_max) = map_frame(scenario, overlay, width);
    let (w, h) = (view.width(), view.height());
    // The legend and the scale bar go in a panel to the right of the map, where they hide nothing.
    let legend_rows = legend_rows(scenario, overlay);
    let legend_at = legend_rect(&legend_rows, w);
    let panel = legend_at.w + 20.0;
    let mut svg = Svg::new(w + panel, h);
    let theatre = &scenario.theatre;
    let tolerance = 0.6;

    svg.raw(&format!(
        r##"<defs><clipPath id="frame"><rect x="0" y="0" width="{}" height="{}"/></clipPath>
<pattern id="occupied-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f6d5d3"/><line x1="0" y1="0" x2="0" y2="6" stroke="#d98880" stroke-width="1.6"/></pattern></defs>"##,
        num(w),
        num(h)
    ));
    svg.rect(0.0, 0.0, w, h, &format!(r#"fill="{SEA}""#));
    svg.rect(w, 0.0, panel, h, r##"fill="#ffffff""##);
    svg.line((w, 0.0), (w, h), r##"stroke="#999" stroke-width="0.8""##);
    svg.group(r#"clip-path="url(#frame)""#);
    // Labels and unit blocks go where nothing is yet; the title is above the map.
    let mut layout = Layout::new(Rect {
        x: 2.0,
        y: 2.0,
        w: w - 4.0,
        h: h - 18.0,
    });
    layout.block(title_rect(overlay));

    // Countries, Ukraine lighter; then the oblasts' borders inside.
    for country in &theatre.countries {
        let rings = polygon_rings(&view, &country.shape, tolerance);
        let fill = if country.iso3.as_str() == "UKR" {
            UKRAINE
        } else {
            LAND
        };
        svg.path(
            &rings_d(rings.iter().map(Vec::as_slice)),
            &format!(r##"fill="{fill}" stroke="#9a9a92" stroke-width="0.8" fill-rule="evenodd""##),
        );
    }
    for region in &theatre.regions {
        let rings = polygon_rings(&view, &region.shape, tolerance);
        svg.path(
            &rings_d(rings.iter().map(Vec::as_slice)),
            r##"fill="none" stroke="#c9c6bb" stroke-width="0.6""##,
        );
    }
    // Country names for the neighbours, well inside the part of each that shows.
    for country in &theatre.countries {
        if country.iso3.as_str() == "UKR" {
            continue;
        }
        if let Some(p) = label_point(&country.shape, box_min, box_max) {
            let name = country.name.to_uppercase();
            let (x, y) = view.px(p);
            svg.text(
                (x, y),
                13.0,
                "middle",
                r##"fill="#8a877c" letter-spacing="2""##,
                &name,
            );
            let tw = text_width(&name, 13.0) + 2.0 * name.chars().count() as f64;
            layout.block(Rect {
                x: x - tw / 2.0,
                y: y - 11.0,
                w: tw,
                h: 14.0,
            });
        }
    }

    // Air and sea areas.
    for area in &theatre.areas {
        let rings = polygon_rings(&view, &area.shape, tolerance);
        let (colour, fill) = match area.kind {
            AreaKind::Sea => ("#1f5f99", "0.06"),
            AreaKind::Air => ("#7b4fa0", "0"),
        };
        svg.path(
            &rings_d(rings.iter().map(Vec::as_slice)),
            &format!(r#"fill="{colour}" fill-opacity="{fill}" stroke="{colour}" stroke-width="1.2" stroke-dasharray="6 4""#),
        );
    }

    // The occupied area, the buffer zones (a band either side of the line, as wide as the terms say) and the
    // contact line.
    let occupied = polygon_rings(&view, &theatre.occupied_area, tolerance);
    svg.path(
        &rings_d(occupied.iter().map(Vec::as_slice)),
        r##"fill="url(#occupied-hatch)" fill-opacity="0.85" stroke="#c0392b" stroke-width="0.6" fill-rule="evenodd""##,
    );
    let line: Vec<Vec<(f64, f64)>> = theatre
        .contact_line
        .0
        .iter()
        .map(|l| line_points(&view, l, tolerance))
        .collect();
    let line_d = lines_d(line.iter().map(Vec::as_slice));
    let mut zones: Vec<_> = scenario.terms.buffer_zones.iter().collect();
    zones.sort_by(|a, b| b.width_km.total_cmp(&a.width_km));
    for zone in &zones {
        svg.path(
            &line_d,
            &format!(
                r##"fill="none" stroke="#f5b041" stroke-opacity="0.35" stroke-width="{}" stroke-linejoin="round" stroke-linecap="round""##,
                num(2.0 * zone.width_km * view.px_per_km())
            ),
        );
    }
    svg.path(
        &line_d,
        &format!(r#"fill="none" stroke="{LINE}" stroke-width="2" stroke-linejoin="round""#),
    );

    // Protected sites' radii.
    for p in &scenario.terms.protected_sites {
        let centre = match &p.place {
            ProtectedPlace::Point(c) => Some(*c),
            ProtectedPlace::Site(id) => scenario.site(id).map(|s| s.location),
        };
        if let Some(c) = centre {
            svg.circle(
                view.px(c),
                p.radius_km * view.px_per_km(),
                r##"fill="#f9e79f" fill-opacity="0.25" stroke="#b7950b" stroke-width="0.8" stroke-dasharray="3 2""##,
            );
        }
    }

    // The network: routes, then staging hubs and crossings.
    if overlay.network {
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
            let (pa, pb) = (view.px(*a), view.px(*b));
            if !view.shows(pa, 0.0) || !view.shows(pb, 0.0) {
                continue;
            }
            let busy = overlay.busy_links.iter().any(|l| l == link.id.as_str());
            let style = match (busy, link.mode) {
                (true, _) => r##"stroke="#d35400" stroke-width="3" stroke-opacity="0.9""##,
                (false, guarantor_core::Mode::Rail) => {
                    r##"stroke="#5d4037" stroke-width="1.2" stroke-dasharray="5 2" stroke-opacity="0.7""##
                }
                (false, guarantor_core::Mode::Road) => {
                    r##"stroke="#5d4037" stroke-width="1.2" stroke-opacity="0.6""##
                }
                _ => {
                    r##"stroke="#5d4037" stroke-width="0.8" stroke-dasharray="1 3" stroke-opacity="0.6""##
                }
            };
            svg.line(pa, pb, style);
        }
        // Nodes that are sites are drawn as sites, below.
        for node in scenario.network.nodes.iter().filter(|n| n.site.is_none()) {
            let p = view.px(node.location);
            if !view.shows(p, 0.0) {
                continue;
            }
            let kind = match node.kind {
                NodeKind::StagingHub => SiteKind::LogisticsHub,
                NodeKind::BorderCrossing => SiteKind::BorderCrossing,
                _ => continue,
            };
            symbol::site(&mut svg, p, kind);
            layout.block(Rect {
                x: p.0 - 6.0,
                y: p.1 - 6.0,
                w: 12.0,
                h: 12.0,
            });
        }
    }

    // Sites by kind (areas are drawn as outlines above).
    let shown: Vec<_> = scenario
        .sites
        .iter()
        .filter(|s| !matches!(s.kind, SiteKind::SeaArea | SiteKind::AirArea))
        .map(|s| (s, view.px(s.location)))
        .filter(|(_, p)| view.shows(*p, 0.0))
        .collect();
    for (site, p) in &shown {
        symbol::site(&mut svg, *p, site.kind);
        layout.block(Rect {
            x: p.0 - 7.0,
            y: p.1 - 7.0,
            w: 14.0,
            h: 14.0,
        });
    }

    // Incidents: colour by confidence, a triangle for a violation, a circle otherwise.
    let mut incidents_outside = 0;
    for mark in &overlay.incidents {
        let (x, y) = view.px(mark.at);
        if !view.shows((x, y), 0.0) {
            incidents_outside += 1;
            continue;
        }
        let r = match mark.severity {
            Severity::Grave => 7.0,
            Severity::Serious => 5.5,
            _ => 4.0,
        };
        let colour = confidence_colour(mark.confidence);
        layout.block(Rect {
            x: x - r,
            y: y - r,
            w: 2.0 * r,
            h: 2.0 * r,
        });
        if mark.violation {
            svg.path(
                &triangle_d((x, y), r),
                &format!(r##"class="incident" fill="{colour}" stroke="#000" stroke-width="0.7""##),
            );
        } else {
            svg.circle(
                (x, y),
                r * 0.7,
                &format!(r##"class="incident" fill="none" stroke="{colour}" stroke-width="1.6""##),
            );
        }
    }

    // The force laydown: per site, its units stacked in a block beside it, with a leader line.
    let mut by_site: BTreeMap<&str, Vec<&Laydown>> = BTreeMap::new();
    for l in &overlay.laydown {
        by_site.entry(l.site.as_str()).or_default().push(l);
    }
    let site_point: BTreeMap<&str, Point<f64>> = scenario
        .sites
        .iter()
        .map(|s| (s.id.as_str(), s.location))
        .collect();
    // Heaviest sites first: they get the nearest spots.
    let mut blocks: Vec<(&str, Vec<&Laydown>)> = by_site.into_iter().collect();
    blocks.sort_by_key(|(site, units)| {
        (
            std::cmp::Reverse(units.iter().map(|u| u.units).sum::<u32>()),
            *site,
        )
    });
    for (site, units) in blocks {
        let Some(at) = site_point.get(site) else {
            continue;
        };
        let anchor = view.px(*at);
        let columns = units.len().min(3);
        let rows = units.len().div_ceil(3);
        let cell_w = symbol::UNIT_W + 22.0;
        let cell_h = symbol::UNIT_H + symbol::ECHELON_H + 10.0;
        let (bw, bh) = (columns as f64 * cell_w + 4.0, rows as f64 * cell_h + 4.0);
        // No free spot near it: drawn beside it anyway, over what is there, rather than left off.
        let r = layout.place(anchor, bw, bh, 10.0).map_or(
            Rect {
                x: anchor.0 + 10.0,
                y: anchor.1 - bh / 2.0,
                w: bw,
                h: bh,
            },
            |p| p.rect,
        );
        leader(
            &mut svg,
            anchor,
            r,
            r##"stroke="#1b4f72" stroke-width="0.8""##,
        );
        svg.rect(
            r.x,
            r.y,
            r.w,
            r.h,
            r##"fill="#ffffff" fill-opacity="0.85" stroke="#1b4f72" stroke-width="0.6" rx="3""##,
        );
        for (i, l) in units.iter().enumerate() {
            let (col, row) = (i % 3, i / 3);
            let x = r.x + 2.0 + col as f64 * cell_w + 2.0;
            let y = r.y + 2.0 + row as f64 * cell_h + symbol::ECHELON_H + 1.0;
            let cap = scenario.capability(&l.capability);
            let (sign, echelon, frame) = match cap {
                Some(c) => (
                    c.sign,
                    c.echelon,
                    symbol::frame_of(c.domains.iter().copied()),
                ),
                None => (
                    guarantor_core::Sign::Infantry,
                    guarantor_core::Echelon::Element,
                    Domain::Land,
                ),
            };
            symbol::unit(&mut svg, (x, y), frame, sign, echelon);
            if l.units > 1 {
                svg.text(
                    (x + symbol::UNIT_W + 2.0, y + 8.0),
                    8.0,
                    "start",
                    r##"fill="#000""##,
                    &format!("×{}", l.units),
                );
            }
            let nations = if l.nations.len() > 2 {
                format!("{} +{}", l.nations[..2].join(" "), l.nations.len() - 2)
            } else {
                l.nations.join(" ")
            };
            svg.text(
                (x + symbol::UNIT_W / 2.0 + 8.0, y + symbol::UNIT_H + 8.0),
                7.0,
                "middle",
                r##"fill="#1b2631""##,
                &nations,
            );
        }
    }

    // Site names, placed where they do not cover anything.
    let mut ordered = shown.clone();
    ordered.sort_by_key(|(s, _)| {
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
    for (site, p) in ordered {
        let name = short_name(&site.name);
        let size = 10.0;
        let tw = text_width(&name, size) + 4.0;
        let Some(placed) = layout.place(p, tw, size + 4.0, 8.0) else {
            names_left_out += 1;
            continue;
        };
        {
            let r = placed.rect;
            if placed.leader {
                leader(&mut svg, p, r, r##"stroke="#555" stroke-width="0.5""##);
            }
            svg.text(
                (r.x + 2.0, r.y + size + 0.5),
                size,
                "start",
                r##"fill="#1c1c1c" stroke="#fbfbf7" stroke-width="2.5" paint-order="stroke""##,
                &name,
            );
        }
    }
    svg.end_group();

    title_block(&mut svg, overlay);
    legend(&mut svg, &legend_rows, legend_at);
    // What the map could not show, said rather than hidden.
    let mut notes = Vec::new();
    if incidents_outside > 0 {
        notes.push(format!("{incidents_outside} incidents outside the map"));
    }
    if names_left_out > 0 {
        notes.push(format!("{names_left_out} site names left out (crowded)"));
    }
    for (i, note) in notes.iter().enumerate() {
        svg.text(
            (
                legend_at.x + 4.0,
                legend_at.y + legend_at.h + 16.0 + 14.0 * i as f64,
            ),
            10.0,
            "start",
            r##"fill="#7b241c""##,
            note,
        );
    }
    scale_bar(&mut svg, &view, w + 10.0);
    attribution(&mut svg, scenario, w + panel, h);
    svg.finish(&overlay.title)
}

/// A line from `anchor` to the nearest point of `to`'s box.
fn leader(svg: &mut Svg, anchor: (f64, f64), to: Rect, style: &str) {
    let (cx, cy) = to.centre();
    svg.line(
        anchor,
        (cx.clamp(to.x, to.x + to.w), cy.clamp(to.y, to.y + to.h)),
        style,
    );
}

/// A triangle pointing up, centred at (`x`, `y`), `r` from centre to apex: a violation.
fn triangle_d((x, y): (f64, f64), r: f64) -> String {
    format!(
        "M{} {}L{} {}L{} {}Z",
        num(x),
        num(y - r),
        num(x + r * 0.9),
        num(y + r * 0.6),
        num(x - r * 0.9),
        num(y + r * 0.6)
    )
}

/// A site's name without its bracketed detail: `Zaporizhzhia NPP (Enerhodar)` → `Zaporizhzhia NPP`.
fn short_name(name: &str) -> String {
    name.split(" (").next().unwrap_or(name).trim().to_owned()
}

/// Where the title goes: top left.
fn title_rect(overlay: &Overlay) -> Rect {
    let tw = text_width(&overlay.title, 18.0).max(text_width(&overlay.subtitle, 11.0)) + 20.0;
    Rect {
        x: 8.0,
        y: 8.0,
        w: tw,
        h: 48.0,
    }
}

fn title_block(svg: &mut Svg, overlay: &Overlay) {
    let tw = title_rect(overlay).w;
    svg.rect(
        8.0,
        8.0,
        tw,
        48.0,
        r##"fill="#ffffff" fill-opacity="0.9" stroke="#888" stroke-width="0.5" rx="3""##,
    );
    svg.text(
        (18.0, 31.0),
        18.0,
        "start",
        r##"fill="#111""##,
        &overlay.title,
    );
    svg.text(
        (18.0, 48.0),
        11.0,
        "start",
        r##"fill="#444""##,
        &overlay.subtitle,
    );
}

/// The legend's rows: (kind of sample, label).
fn legend_rows(scenario: &Scenario, overlay: &Overlay) -> Vec<(&'static str, String)> {
    let mut rows: Vec<(&'static str, String)> = vec![
        ("line", "Line of contact".to_owned()),
        ("occupied", "Occupied area".to_owned()),
    ];
    for z in &scenario.terms.buffer_zones {
        rows.push((
            "zone",
            format!("{} ({} km each side)", z.name, num(z.width_km)),
        ));
    }
    if !scenario.terms.protected_sites.is_empty() {
        rows.push(("protected", "Protected site (radius)".to_owned()));
    }
    let mut kinds: Vec<SiteKind> = scenario.sites.iter().map(|s| s.kind).collect();
    kinds.sort();
    kinds.dedup();
    for k in kinds {
        if !matches!(k, SiteKind::SeaArea | SiteKind::AirArea) {
            rows.push(("site", k.as_str().to_owned()));
        }
    }
    if !scenario.theatre.areas.is_empty() {
        rows.push(("sea-area", "Sea area".to_owned()));
        rows.push(("air-area", "Air area".to_owned()));
    }
    if !overlay.laydown.is_empty() {
        rows.push(("unit", "Friendly unit (nations below)".to_owned()));
    }
    if overlay.network {
        rows.push(("route", "Road / rail route".to_owned()));
        if !overlay.busy_links.is_empty() {
            rows.push(("busy", "Route that ran full".to_owned()));
        }
    }
    if !overlay.incidents.is_empty() {
        for c in [
            Confidence::Confirmed,
            Confidence::Probable,
            Confidence::Possible,
            Confidence::SingleSource,
        ] {
            rows.push(("confidence", c.as_str().to_owned()));
        }
        rows.push(("violation", "Violation".to_owned()));
        rows.push(("no-violation", "Not a violation".to_owned()));
    }
    rows
}

const LEGEND_ROW: f64 = 17.0;

/// Where the legend goes: at the top of the panel right of the map (`map_width` px wide).
fn legend_rect(rows: &[(&'static str, String)], map_width: f64) -> Rect {
    let widest = rows
        .iter()
        .map(|(_, label)| text_width(label, 10.0) + 16.0)
        .fold(0.0f64, f64::max);
    Rect {
        x: map_width + 10.0,
        y: 10.0,
        w: (widest + 48.0).max(200.0),
        h: rows.len() as f64 * LEGEND_ROW + 26.0,
    }
}

fn legend(svg: &mut Svg, rows: &[(&'static str, String)], at: Rect) {
    let (x, y0, bw, bh, row_h) = (at.x, at.y, at.w, at.h, LEGEND_ROW);
    svg.rect(
        x,
        y0,
        bw,
        bh,
        r##"fill="#ffffff" fill-opacity="0.92" stroke="#888" stroke-width="0.5" rx="3""##,
    );
    svg.text(
        (x + 10.0, y0 + 16.0),
        11.0,
        "start",
        r##"fill="#111" font-weight="bold""##,
        "Legend",
    );
    for (i, (kind, label)) in rows.iter().enumerate() {
        let cy = y0 + 30.0 + i as f64 * row_h;
        let sx = x + 22.0;
        match *kind {
            "line" => svg.line((sx - 10.0, cy), (sx + 10.0, cy), &format!(r#"stroke="{LINE}" stroke-width="2""#)),
            "occupied" => svg.rect(sx - 10.0, cy - 6.0, 20.0, 12.0, r##"fill="url(#occupied-hatch)" stroke="#c0392b" stroke-width="0.6""##),
            "zone" => svg.rect(sx - 10.0, cy - 5.0, 20.0, 10.0, r##"fill="#f5b041" fill-opacity="0.35""##),
            "protected" => svg.circle((sx, cy), 6.0, r##"fill="#f9e79f" fill-opacity="0.4" stroke="#b7950b" stroke-width="0.8" stroke-dasharray="3 2""##),
            "site" => {
                let k = SiteKind::from_name(label).unwrap_or(SiteKind::LogisticsHub);
                symbol::site(svg, (sx, cy), k);
            }
            "sea-area" => svg.rect(sx - 10.0, cy - 6.0, 20.0, 12.0, r##"fill="#1f5f99" fill-opacity="0.06" stroke="#1f5f99" stroke-dasharray="6 4""##),
            "air-area" => svg.rect(sx - 10.0, cy - 6.0, 20.0, 12.0, r##"fill="#7b4fa0" fill-opacity="0.06" stroke="#7b4fa0" stroke-dasharray="6 4""##),
            "unit" => svg.rect(sx - 9.0, cy - 6.0, 18.0, 12.0, r##"fill="#80e0ff" stroke="#000""##),
            "route" => svg.line((sx - 10.0, cy), (sx + 10.0, cy), r##"stroke="#5d4037" stroke-width="1.2""##),
            "busy" => svg.line((sx - 10.0, cy), (sx + 10.0, cy), r##"stroke="#d35400" stroke-width="3""##),
            "confidence" => {
                let c = Confidence::from_name(label).unwrap_or(Confidence::SingleSource);
                svg.circle((sx, cy), 5.0, &format!(r##"fill="{}""##, confidence_colour(c)));
            }
            "violation" => svg.path(
                &triangle_d((sx, cy), 6.0),
                r##"fill="#999" stroke="#000" stroke-width="0.7""##,
            ),
            _ => svg.circle((sx, cy), 3.5, r##"fill="none" stroke="#999" stroke-width="1.6""##),
        }
        let text = match *kind {
            "site" => label.replace('_', " "),
            "confidence" => format!("{} (incident)", label.replace('_', " ")),
            _ => label.clone(),
        };
        svg.text(
            (x + 40.0, cy + 4.0),
            10.0,
            "start",
            r##"fill="#222""##,
            &capitalise(&text),
        );
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// A scale bar of a round length near 150 px, bottom right.
/// The scale bar, its left end at `left`, at the foot of the panel.
fn scale_bar(svg: &mut Svg, view: &View, left: f64) {
    let per_km = view.px_per_km();
    let km = [50.0, 100.0, 200.0, 250.0, 500.0]
        .into_iter()
        .min_by(|a, b| {
            ((a * per_km) - 150.0)
                .abs()
                .total_cmp(&((b * per_km) - 150.0).abs())
        })
        .unwrap_or(100.0);
    let len = km * per_km;
    let (x, y) = (left + 10.0, view.height() - 44.0);
    svg.rect(
        x - 10.0,
        y - 22.0,
        len + 30.0,
        36.0,
        r##"fill="#ffffff" fill-opacity="0.85" rx="3""##,
    );
    svg.rect(x, y - 4.0, len / 2.0, 5.0, r##"fill="#222""##);
    svg.rect(
        x + len / 2.0,
        y - 4.0,
        len / 2.0,
        5.0,
        r##"fill="#fff" stroke="#222" stroke-width="0.8""##,
    );
    for (i, label) in [(0.0, "0"), (0.5, ""), (1.0, "")].iter().enumerate() {
        let tx = x + label.0 * len;
        let text = match i {
            0 => label.1.to_owned(),
            1 => num(km / 2.0),
            _ => format!("{} km", num(km)),
        };
        svg.text((tx, y - 8.0), 9.0, "middle", r##"fill="#222""##, &text);
    }
    svg.text(
        (x + len / 2.0, y + 11.0),
        7.5,
        "middle",
        r##"fill="#555""##,
        "Lambert azimuthal equal-area",
    );
}

fn attribution(svg: &mut Svg, scenario: &Scenario, w: f64, h: f64) {
    let mut lines: Vec<String> = scenario.theatre.attribution.clone();
    lines.dedup();
    let text = if lines.is_empty() {
        "Geometry: the scenario's own".to_owned()
    } else {
        lines.join(" · ")
    };
    svg.rect(
        0.0,
        h - 16.0,
        w,
        16.0,
        r##"fill="#ffffff" fill-opacity="0.85""##,
    );
    svg.raw(&format!(
        r##"<text x="{}" y="{}" font-size="8.5" text-anchor="end" fill="#444">{}</text>"##,
        num(w - 6.0),
        num(h - 5.0),
        esc(&text)
    ));
}
