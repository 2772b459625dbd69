//! Golden pictures: the SVG of small fixed inputs, pinned. A change to how anything is drawn shows up here as a
//! diff to read; re-bless with `INSTA_UPDATE=always cargo test -p guarantor-render --test golden`.

use std::path::Path;

use geo_types::Point;
use guarantor_core::{CapabilityId, Confidence, Scenario, Severity, SiteId};
use guarantor_render::briefing::{Block, Briefing, Section};
use guarantor_render::chart::{self, Against, Frame, Marker, Series, Stack};
use guarantor_render::table::{Cell, Table};
use guarantor_render::{IncidentMark, Laydown, Overlay};

fn tiny() -> Scenario {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../guarantor-scenario/tests/fixtures/tiny");
    let sources = guarantor_scenario::SourceSet::read_dir(&dir).expect("the tiny scenario");
    guarantor_scenario::check(&sources).scenario.expect("valid")
}

#[test]
fn a_map_of_the_tiny_scenario() {
    let s = tiny();
    let site = s.sites[0].id.clone();
    let capability = s.capabilities[0].id.clone();
    let overlay = Overlay {
        title: "Tiny".into(),
        subtitle: "a laydown and two incidents".into(),
        laydown: vec![Laydown {
            site: SiteId::new(site.as_str()).expect("an id"),
            capability: CapabilityId::new(capability.as_str()).expect("an id"),
            units: 2,
            nations: vec!["FRA".into(), "GBR".into(), "POL".into()],
        }],
        busy_links: Vec::new(),
        incidents: vec![
            IncidentMark {
                at: s.sites[0].location,
                confidence: Confidence::Confirmed,
                violation: true,
                severity: Severity::Grave,
            },
            IncidentMark {
                at: Point::new(s.sites[0].location.x() + 0.3, s.sites[0].location.y()),
                confidence: Confidence::Possible,
                violation: false,
                severity: Severity::None,
            },
        ],
        network: true,
    };
    insta::assert_snapshot!(guarantor_render::map(&s, &overlay, 600.0));
}

#[test]
fn charts_of_fixed_data() {
    let lines = chart::lines(
        &Frame::new("Closure", "day", "troops"),
        &[Series {
            name: "troops closed".into(),
            points: vec![(0.0, 0.0), (5.0, 1200.0), (12.0, 3000.0)],
            steps: true,
        }],
        30.0,
        &[Marker {
            value: 2500.0,
            label: "IOC 2 500".into(),
        }],
        &[Marker {
            value: 12.0,
            label: "IOC day 12".into(),
        }],
    );
    insta::assert_snapshot!("lines", lines);
    let bars = chart::stacked_bars(
        &Frame::new("Rotation", "month", "troops"),
        &["M0".into(), "M1".into()],
        &[
            Stack {
                name: "deployed".into(),
                values: vec![100.0, 150.0],
                colour: None,
            },
            Stack {
                name: "preparing".into(),
                values: vec![50.0, 20.0],
                colour: Some("#123456".into()),
            },
        ],
    );
    insta::assert_snapshot!("stacked_bars", bars);
    let against = chart::bars_against(
        &Frame::new("Fair share", "troops", ""),
        &[
            Against {
                label: "FRA France".into(),
                value: 600.0,
                target: 400.0,
            },
            Against {
                label: "BEL Belgium".into(),
                value: 90.0,
                target: 150.0,
            },
        ],
        "troops",
        "fair share",
    );
    insta::assert_snapshot!("bars_against", against);
    let heat = chart::heat_map(
        &Frame::new("What if", "rows are world states", ""),
        &[
            ("us_backstop".into(), chart::Scale::Flag),
            ("share filled".into(), chart::Scale::Share),
        ],
        &[
            ("40%".into(), vec![Some(0.05), Some(0.4)], "400".into()),
            ("90%".into(), vec![Some(0.85), Some(0.9)], "900".into()),
        ],
    );
    insta::assert_snapshot!("heat_map", heat);
}

#[test]
fn a_briefing_page() {
    let page = guarantor_render::briefing::html(&Briefing {
        title: "Plan".into(),
        subtitle: "facts that hold: us_backstop".into(),
        figures: vec![("Troops".into(), "1 200".into(), "of 3 000".into())],
        sections: vec![
            Section {
                heading: "Tables".into(),
                intro: "One table.".into(),
                blocks: vec![Block::Table(Table {
                    name: "Nations".into(),
                    header: vec!["nation".into(), "troops".into()],
                    rows: vec![vec!["FRA".into(), Cell::Int(600)]],
                })],
            },
            Section {
                heading: "Spot reports".into(),
                intro: String::new(),
                // A report's words are escaped, and only a web link becomes an anchor.
                blocks: vec![
                    Block::Heading("Incident #7 — artillery on civilian, 3 km NW of Irpin".into()),
                    Block::Quote {
                        text: "Shelling <b>near</b> the \"school\"".into(),
                        cite: "cir/cir-UW1, 2022-03-01 10:00 UTC".into(),
                        link: Some("https://example.org/post?a=1&b=2".into()),
                    },
                    Block::Quote {
                        text: "A second account".into(),
                        cite: "party/p-1".into(),
                        link: Some("javascript:alert(1)".into()),
                    },
                ],
            },
        ],
        attribution: vec!["Natural Earth".into()],
    });
    insta::assert_snapshot!(page);
}
