//! The force laydown as unit symbols, in blocks beside their sites.

use std::collections::BTreeMap;

use geo_types::Point;
use guarantor_core::{Domain, Echelon, Scenario, Sign};

use super::{Canvas, Laydown, leader};
use crate::label::Rect;
use crate::svg::Svg;
use crate::symbol;

/// Units a row in a block.
const COLUMNS: usize = 3;
/// The width of a unit's cell in a block, px: the symbol and its count.
const CELL_W: f64 = symbol::UNIT_W + 22.0;
/// The height of a unit's cell in a block, px: the echelon, the symbol and the nations.
const CELL_H: f64 = symbol::UNIT_H + symbol::ECHELON_H + 10.0;

/// The force laydown: per site, its units stacked in a block beside it, with a leader line.
pub(super) fn draw_laydown(canvas: &mut Canvas, scenario: &Scenario, laydown: &[Laydown]) {
    let site_point: BTreeMap<&str, Point<f64>> = scenario
        .sites
        .iter()
        .map(|s| (s.id.as_str(), s.location))
        .collect();
    for (site, units) in blocks(laydown) {
        let Some(at) = site_point.get(site) else {
            continue;
        };
        let anchor = canvas.view.px(*at);
        let r = place_block(canvas, anchor, units.len());
        leader(
            &mut canvas.svg,
            anchor,
            r,
            r##"stroke="#1b4f72" stroke-width="0.8""##,
        );
        canvas.svg.rect(
            r.x,
            r.y,
            r.w,
            r.h,
            r##"fill="#ffffff" fill-opacity="0.85" stroke="#1b4f72" stroke-width="0.6" rx="3""##,
        );
        for (i, l) in units.iter().enumerate() {
            let (col, row) = (i % COLUMNS, i / COLUMNS);
            let x = r.x + 2.0 + col as f64 * CELL_W + 2.0;
            let y = r.y + 2.0 + row as f64 * CELL_H + symbol::ECHELON_H + 1.0;
            draw_unit(&mut canvas.svg, scenario, l, (x, y));
        }
    }
}

/// The laydown by site, heaviest sites first: they get the nearest spots.
fn blocks(laydown: &[Laydown]) -> Vec<(&str, Vec<&Laydown>)> {
    let mut by_site: BTreeMap<&str, Vec<&Laydown>> = BTreeMap::new();
    for l in laydown {
        by_site.entry(l.site.as_str()).or_default().push(l);
    }
    let mut blocks: Vec<(&str, Vec<&Laydown>)> = by_site.into_iter().collect();
    blocks.sort_by_key(|(site, units)| {
        (
            std::cmp::Reverse(units.iter().map(|u| u.units).sum::<u32>()),
            *site,
        )
    });
    blocks
}

/// Where the block of `units` units for the site at `anchor` goes: a free spot near it, else beside it.
fn place_block(canvas: &mut Canvas, anchor: (f64, f64), units: usize) -> Rect {
    let columns = units.min(COLUMNS);
    let rows = units.div_ceil(COLUMNS);
    let (bw, bh) = (columns as f64 * CELL_W + 4.0, rows as f64 * CELL_H + 4.0);
    // No free spot near it: drawn beside it anyway, over what is there, rather than left off.
    canvas.layout.place(anchor, bw, bh, 10.0).map_or(
        Rect {
            x: anchor.0 + 10.0,
            y: anchor.1 - bh / 2.0,
            w: bw,
            h: bh,
        },
        |p| p.rect,
    )
}

/// One unit of a block, its symbol's top left at (`x`, `y`): the symbol, how many (when more than one) and the
/// nations sending them.
fn draw_unit(svg: &mut Svg, scenario: &Scenario, l: &Laydown, (x, y): (f64, f64)) {
    let (sign, echelon, frame) = match scenario.capability(&l.capability) {
        Some(c) => (
            c.sign,
            c.echelon,
            symbol::frame_of(c.domains.iter().copied()),
        ),
        None => (Sign::Infantry, Echelon::Element, Domain::Land),
    };
    symbol::unit(svg, (x, y), frame, sign, echelon);
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
