//! The base map: the countries, Ukraine lighter, with the oblasts' borders inside; the neighbours' names; the
//! air and sea areas.

use geo::{BoundingRect, Contains};
use geo_types::{MultiPolygon, Point};
use guarantor_core::{AreaKind, Theatre};

use super::{Canvas, LAND, UKRAINE};
use crate::label::Rect;
use crate::svg::text_width;

/// Countries, Ukraine lighter; then the oblasts' borders inside.
pub(super) fn draw_countries(canvas: &mut Canvas, theatre: &Theatre) {
    for country in &theatre.countries {
        let fill = if country.iso3.as_str() == "UKR" {
            UKRAINE
        } else {
            LAND
        };
        let d = canvas.shape_d(&country.shape);
        canvas.svg.path(
            &d,
            &format!(r##"fill="{fill}" stroke="#9a9a92" stroke-width="0.8" fill-rule="evenodd""##),
        );
    }
    for region in &theatre.regions {
        let d = canvas.shape_d(&region.shape);
        canvas
            .svg
            .path(&d, r##"fill="none" stroke="#c9c6bb" stroke-width="0.6""##);
    }
}

/// Country names for the neighbours, well inside the part of each that shows (the box from `min` to `max`).
pub(super) fn draw_country_names(
    canvas: &mut Canvas,
    theatre: &Theatre,
    min: Point<f64>,
    max: Point<f64>,
) {
    for country in &theatre.countries {
        if country.iso3.as_str() == "UKR" {
            continue;
        }
        if let Some(p) = label_point(&country.shape, min, max) {
            let name = country.name.to_uppercase();
            let (x, y) = canvas.view.px(p);
            canvas.svg.text(
                (x, y),
                13.0,
                "middle",
                r##"fill="#8a877c" letter-spacing="2""##,
                &name,
            );
            let tw = text_width(&name, 13.0) + 2.0 * name.chars().count() as f64;
            canvas.layout.block(Rect {
                x: x - tw / 2.0,
                y: y - 11.0,
                w: tw,
                h: 14.0,
            });
        }
    }
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

/// Air and sea areas.
pub(super) fn draw_areas(canvas: &mut Canvas, theatre: &Theatre) {
    for area in &theatre.areas {
        let (colour, fill) = match area.kind {
            AreaKind::Sea => ("#1f5f99", "0.06"),
            AreaKind::Air => ("#7b4fa0", "0"),
        };
        let d = canvas.shape_d(&area.shape);
        canvas.svg.path(
            &d,
            &format!(r#"fill="{colour}" fill-opacity="{fill}" stroke="{colour}" stroke-width="1.2" stroke-dasharray="6 4""#),
        );
    }
}
