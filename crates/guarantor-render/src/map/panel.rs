//! The panel beside the map: the title (over the map, top left), the legend, notes on what the map could not
//! show, the scale bar and the attribution.

use guarantor_core::{Confidence, Scenario, SiteKind};

use super::{LINE, Overlay, confidence_colour, triangle_d};
use crate::label::Rect;
use crate::project::View;
use crate::svg::{Svg, esc, num, text_width};
use crate::symbol;

/// Where the title goes: top left.
pub(super) fn title_rect(overlay: &Overlay) -> Rect {
    let tw = text_width(&overlay.title, 18.0).max(text_width(&overlay.subtitle, 11.0)) + 20.0;
    Rect {
        x: 8.0,
        y: 8.0,
        w: tw,
        h: 48.0,
    }
}

/// The title and the line under it, top left.
pub(super) fn draw_title(svg: &mut Svg, overlay: &Overlay) {
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
pub(super) fn legend_rows(scenario: &Scenario, overlay: &Overlay) -> Vec<(&'static str, String)> {
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

/// The height of a legend row, px.
pub(super) const LEGEND_ROW: f64 = 17.0;

/// Where the legend goes: at the top of the panel right of the map (`map_width` px wide).
pub(super) fn legend_rect(rows: &[(&'static str, String)], map_width: f64) -> Rect {
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

/// The legend, in `at`: a sample and a label a row.
pub(super) fn draw_legend(svg: &mut Svg, rows: &[(&'static str, String)], at: Rect) {
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

/// What the map could not show, said rather than hidden: notes under the legend (at `legend_at`).
pub(super) fn draw_notes(
    svg: &mut Svg,
    legend_at: Rect,
    incidents_outside: usize,
    names_left_out: usize,
) {
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
}

/// A scale bar of a round length near 150 px, bottom right.
/// The scale bar, its left end at `left`, at the foot of the panel.
pub(super) fn draw_scale_bar(svg: &mut Svg, view: &View, left: f64) {
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

/// The attribution owed for the geometry, along the foot of the picture (`w` × `h` px).
pub(super) fn draw_attribution(svg: &mut Svg, scenario: &Scenario, w: f64, h: f64) {
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
