//! The theatre map: Natural Earth outlines and oblasts, the occupied area and the contact line, buffer zones,
//! protected sites, sites by kind, the force laydown as unit symbols, air and sea areas, the network's staging
//! hubs and routes, and incidents by confidence and verdict; a legend, a scale bar and the attribution.
//!
//! [`map`] draws the layers bottom up, one function a layer: the base map (`base`: countries, oblasts, their
//! names, air and sea areas), the front (`front`: the occupied area, the buffer zones and the contact line,
//! protected sites), the marks on it (`marks`: routes, staging hubs, sites, incidents, site names), the force
//! laydown (`laydown`), then the panel beside the map (`panel`: title, legend, notes, scale bar and
//! attribution).

mod base;
mod front;
mod laydown;
mod marks;
mod panel;

use geo::{BoundingRect, Simplify};
use geo_types::{LineString, MultiPolygon, Point};
use guarantor_core::{CapabilityId, Confidence, Scenario, Severity, SiteId};

use crate::label::{Layout, Rect};
use crate::project::View;
use crate::svg::{Svg, num, rings_d};

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

/// How far, in px, outlines and lines may stray when simplified.
const TOLERANCE: f64 = 0.6;

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
    let needed = panel::legend_rows(scenario, overlay).len() as f64 * panel::LEGEND_ROW + 150.0;
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

/// What the map's layers draw on: the picture, its projection, and the space that labels and symbols have
/// taken so far.
struct Canvas {
    /// The picture, map and panel.
    svg: Svg,
    /// The map's projection.
    view: View,
    /// What is taken on the map, for the labels and unit blocks still to place.
    layout: Layout,
}

impl Canvas {
    /// A picture of the map `view` shows with a `panel` px wide to its right: the clip path and the hatch
    /// pattern, the sea, the panel and the line between them; the map's group is open, and its layout has the
    /// title's place taken.
    fn new(view: View, panel: f64, overlay: &Overlay) -> Canvas {
        let (w, h) = (view.width(), view.height());
        let mut svg = Svg::new(w + panel, h);
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
        layout.block(panel::title_rect(overlay));
        Canvas { svg, view, layout }
    }

    /// The path data of `shape`, projected and simplified.
    fn shape_d(&self, shape: &MultiPolygon<f64>) -> String {
        let rings = polygon_rings(&self.view, shape, TOLERANCE);
        rings_d(rings.iter().map(Vec::as_slice))
    }

    /// Takes the square `half` px either side of `centre` on the layout (a symbol).
    fn block_square(&mut self, (x, y): (f64, f64), half: f64) {
        self.layout.block(Rect {
            x: x - half,
            y: y - half,
            w: 2.0 * half,
            h: 2.0 * half,
        });
    }

    /// Closes the map's group: what follows goes on the panel.
    fn end_map(mut self) -> Svg {
        self.svg.end_group();
        self.svg
    }
}

/// The map of `scenario` with `overlay` on it, `width` px wide.
pub fn map(scenario: &Scenario, overlay: &Overlay, width: f64) -> String {
    let (view, box_min, box_max) = map_frame(scenario, overlay, width);
    let (w, h) = (view.width(), view.height());
    // The legend and the scale bar go in a panel to the right of the map, where they hide nothing.
    let legend_rows = panel::legend_rows(scenario, overlay);
    let legend_at = panel::legend_rect(&legend_rows, w);
    let panel = legend_at.w + 20.0;
    let mut canvas = Canvas::new(view, panel, overlay);
    let theatre = &scenario.theatre;

    base::draw_countries(&mut canvas, theatre);
    base::draw_country_names(&mut canvas, theatre, box_min, box_max);
    base::draw_areas(&mut canvas, theatre);
    front::draw_occupied(&mut canvas, theatre);
    front::draw_contact_line(&mut canvas, scenario);
    front::draw_protected_sites(&mut canvas, scenario);
    // The network: routes, then staging hubs and crossings.
    if overlay.network {
        marks::draw_routes(&mut canvas, scenario, overlay);
        marks::draw_hubs(&mut canvas, scenario);
    }
    let shown = marks::draw_sites(&mut canvas, scenario);
    let incidents_outside = marks::draw_incidents(&mut canvas, overlay);
    laydown::draw_laydown(&mut canvas, scenario, &overlay.laydown);
    let names_left_out = marks::draw_site_names(&mut canvas, shown);
    let mut svg = canvas.end_map();

    panel::draw_title(&mut svg, overlay);
    panel::draw_legend(&mut svg, &legend_rows, legend_at);
    panel::draw_notes(&mut svg, legend_at, incidents_outside, names_left_out);
    panel::draw_scale_bar(&mut svg, &view, w + 10.0);
    panel::draw_attribution(&mut svg, scenario, w + panel, h);
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
