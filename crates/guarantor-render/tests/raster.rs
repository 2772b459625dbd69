//! The default scenario's map, rasterised: Ukraine, the contact line and every site are drawn where they
//! should be (pixel checks at their projected positions).

use geo_types::Point;
use guarantor_core::SiteKind;
use guarantor_render::{Overlay, map, map_view, raster};

fn rgb(p: &resvg::tiny_skia::Pixmap, (x, y): (f64, f64)) -> (u8, u8, u8) {
    let c = p
        .pixel(x.round() as u32, y.round() as u32)
        .unwrap_or_else(|| panic!("({x}, {y}) is outside the picture"));
    (c.red(), c.green(), c.blue())
}

#[test]
fn ukraine_the_line_and_every_site_are_where_they_should_be() {
    let s = guarantor_scenario::check(&guarantor_scenario::SourceSet::builtin_default())
        .scenario
        .expect("the default scenario");
    let overlay = Overlay {
        title: "Test".into(),
        ..Overlay::default()
    };
    let svg = map(&s, &overlay, 1200.0);
    let view = map_view(&s, &overlay, 1200.0);
    let pixmap = raster::pixmap(&svg, 1.0).expect("rasterised");
    // The map is 1,200 px wide; the legend's panel is to its right.
    assert!(pixmap.width() > 1200 && pixmap.height() as f64 == view.height());

    // Inside Ukraine, away from symbols and labels: Ukraine's own light fill (#fbfbf7); in Belarus and Moldova
    // the neighbours' (#efeee9); in the Black Sea the sea's (#dcecf7).
    for (lon, lat) in [(28.3, 49.5), (33.0, 49.6), (25.6, 48.7)] {
        assert_eq!(
            rgb(&pixmap, view.px(Point::new(lon, lat))),
            (0xfb, 0xfb, 0xf7),
            "Ukraine at {lon}, {lat}"
        );
    }
    assert_eq!(
        rgb(&pixmap, view.px(Point::new(28.0, 52.4))),
        (0xef, 0xee, 0xe9),
        "Belarus"
    );
    assert_eq!(
        rgb(&pixmap, view.px(Point::new(33.5, 43.9))),
        (0xdc, 0xec, 0xf7),
        "the Black Sea"
    );

    // The contact line: its own dark red within a pixel of most of its vertices (the drawn line is simplified
    // to within 0.6 px; a few vertices sit under a site's symbol).
    let vertices: Vec<Point<f64>> = s
        .theatre
        .contact_line
        .0
        .iter()
        .flat_map(|l| l.points())
        .collect();
    let red = vertices
        .iter()
        .filter(|v| {
            let p = view.px(**v);
            (-1..=1).any(|dx| {
                (-1..=1).any(|dy| {
                    let (r, g, b) = rgb(&pixmap, (p.0 + f64::from(dx), p.1 + f64::from(dy)));
                    r > 140 && g < 90 && b < 100
                })
            })
        })
        .count();
    assert!(
        red * 100 >= vertices.len() * 95,
        "{red} of {} vertices are drawn red",
        vertices.len()
    );

    // Every site on the map: its symbol's colours at its position, not the land, the sea or Ukraine.
    for site in s
        .sites
        .iter()
        .filter(|x| !matches!(x.kind, SiteKind::SeaArea | SiteKind::AirArea))
    {
        let p = view.px(site.location);
        let background = [(0xfb, 0xfb, 0xf7), (0xef, 0xee, 0xe9), (0xdc, 0xec, 0xf7)];
        // The symbol covers a few pixels around its centre: at least half of a 5 × 5 square is not background.
        let mut covered = 0;
        for dx in -2..=2 {
            for dy in -2..=2 {
                let c = rgb(&pixmap, (p.0 + f64::from(dx), p.1 + f64::from(dy)));
                covered += usize::from(!background.contains(&c));
            }
        }
        assert!(
            covered >= 13,
            "{} ({:?}) is not drawn at {p:?}: {covered} of 25 pixels",
            site.id,
            site.kind
        );
    }
}
