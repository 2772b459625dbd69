//! The front: the occupied area, the buffer zones along the contact line and the line itself; the protected
//! sites' radii.

use guarantor_core::{ProtectedPlace, Scenario, Theatre};

use super::{Canvas, LINE, TOLERANCE, line_points};
use crate::svg::{lines_d, num};

/// The occupied area, hatched.
pub(super) fn draw_occupied(canvas: &mut Canvas, theatre: &Theatre) {
    let d = canvas.shape_d(&theatre.occupied_area);
    canvas.svg.path(
        &d,
        r##"fill="url(#occupied-hatch)" fill-opacity="0.85" stroke="#c0392b" stroke-width="0.6" fill-rule="evenodd""##,
    );
}

/// The buffer zones (a band either side of the line, as wide as the terms say), widest first, and the contact
/// line over them.
pub(super) fn draw_contact_line(canvas: &mut Canvas, scenario: &Scenario) {
    let view = &canvas.view;
    let line: Vec<Vec<(f64, f64)>> = scenario
        .theatre
        .contact_line
        .0
        .iter()
        .map(|l| line_points(view, l, TOLERANCE))
        .collect();
    let line_d = lines_d(line.iter().map(Vec::as_slice));
    let mut zones: Vec<_> = scenario.terms.buffer_zones.iter().collect();
    zones.sort_by(|a, b| b.width_km.total_cmp(&a.width_km));
    for zone in &zones {
        canvas.svg.path(
            &line_d,
            &format!(
                r##"fill="none" stroke="#f5b041" stroke-opacity="0.35" stroke-width="{}" stroke-linejoin="round" stroke-linecap="round""##,
                num(2.0 * zone.width_km * view.px_per_km())
            ),
        );
    }
    canvas.svg.path(
        &line_d,
        &format!(r#"fill="none" stroke="{LINE}" stroke-width="2" stroke-linejoin="round""#),
    );
}

/// Protected sites' radii.
pub(super) fn draw_protected_sites(canvas: &mut Canvas, scenario: &Scenario) {
    for p in &scenario.terms.protected_sites {
        let centre = match &p.place {
            ProtectedPlace::Point(c) => Some(*c),
            ProtectedPlace::Site(id) => scenario.site(id).map(|s| s.location),
        };
        if let Some(c) = centre {
            canvas.svg.circle(
                canvas.view.px(c),
                p.radius_km * canvas.view.px_per_km(),
                r##"fill="#f9e79f" fill-opacity="0.25" stroke="#b7950b" stroke-width="0.8" stroke-dasharray="3 2""##,
            );
        }
    }
}
