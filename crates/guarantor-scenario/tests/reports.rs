//! Report intake: guarantor's own layouts, and real UCDP GED data. Bad rows are rejected with their line and
//! reason, never dropped silently.

use std::path::Path;

use guarantor_core::{EventKind, SourceKind};
use guarantor_scenario::{ReportFormat, read_reports};

const HEADER: &str = "id,source,source_kind,time,time_precision_hours,lat,lon,place_precision_km,kind,target,count,text";

#[test]
fn guarantor_csv_keeps_good_rows_and_rejects_bad_ones_with_their_line() {
    let text = format!(
        "{HEADER}\n\
         p-1,smm-patrol-7,patrol,2026-12-05T06:10:00+02:00,0.25,47.65,36.26,0.5,artillery,,12,\"shelling, 12 rounds\"\n\
         p-2,smm-patrol-7,patrol,yesterday,0.25,47.65,36.26,0.5,artillery,,1,\n\
         p-3,ua-mod,party,2026-12-05T07:00:00Z,,47.7,36.3,,drone,electricity,,\n\
         p-4,ua-mod,party,2026-12-05T07:00:00Z,,97.7,36.3,,drone,,,\n\
         p-5,ua-mod,party,2026-12-05T07:00:00Z,,47.7,36.3,,tank_battle,,,\n\
         ,ua-mod,party,2026-12-05T07:00:00Z,,47.7,36.3,,drone,,,\n"
    );
    let read = read_reports("reports.csv", &text, ReportFormat::Csv);
    assert_eq!(read.reports.len(), 2);
    let first = &read.reports[0];
    assert_eq!(
        (first.id.as_str(), first.count, first.kind),
        ("p-1", 12, EventKind::Artillery)
    );
    assert_eq!(first.time.to_string(), "2026-12-05T04:10:00Z");
    assert_eq!(first.text, "shelling, 12 rounds");
    // Defaults: half an hour, a kilometre, one.
    let third = &read.reports[1];
    assert_eq!(
        (
            third.time_precision.radius,
            third.place_precision.radius,
            third.count
        ),
        (0.5, 1.0, 1)
    );
    let rejected: Vec<(u32, &str)> = read
        .diagnostics
        .iter()
        .map(|d| (d.location.line, d.field.as_str()))
        .collect();
    assert_eq!(
        rejected,
        vec![(3, "time"), (5, "lat"), (6, "kind"), (7, "id")]
    );
    assert_eq!(read.rejected.len(), 4);
    assert!(
        read.rejected[0].row.starts_with("p-2,"),
        "the row is kept as written"
    );
    // The diagnostic points at the bad value itself.
    let column = read.rejected[0].row.find("yesterday").expect("in the row") as u32 + 1;
    assert_eq!(read.diagnostics[0].location.column, column);
    let span = read.diagnostics[0].location.span.clone();
    assert_eq!(&text[span], "yesterday");
    assert!(
        read.diagnostics
            .iter()
            .all(|d| d.location.file == "reports.csv" && d.expected.is_some())
    );
}

#[test]
fn an_unknown_column_is_named() {
    let read = read_reports("r.csv", "id,source,wind\n1,2,3\n", ReportFormat::Csv);
    assert!(read.reports.is_empty());
    assert_eq!(read.diagnostics.len(), 1);
    assert_eq!(read.diagnostics[0].field, "wind");
}

#[test]
fn json_lines_and_geojson_read_the_same_fields() {
    let jsonl = "{\"id\":\"s1\",\"source\":\"sensor-3\",\"source_kind\":\"sensor\",\"time\":\"2026-12-05T06:00:00Z\",\"lat\":46.3,\"lon\":30.9,\"kind\":\"naval\"}\n\
                 not json\n\
                 \n\
                 [1,2]\n";
    let read = read_reports("feed.jsonl", jsonl, ReportFormat::JsonLines);
    assert_eq!(read.reports.len(), 1);
    assert_eq!(read.reports[0].source_kind, SourceKind::Sensor);
    assert_eq!(
        read.diagnostics
            .iter()
            .map(|d| d.location.line)
            .collect::<Vec<_>>(),
        vec![2, 4]
    );

    let geojson = r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [30.9, 46.3]},
   "properties": {"id": "s1", "source": "sensor-3", "source_kind": "sensor", "time": "2026-12-05T06:00:00Z", "kind": "naval"}},
  {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[30.9, 46.3], [31, 46]]},
   "properties": {"id": "s2"}}
]}"#;
    let read = read_reports("feed.geojson", geojson, ReportFormat::GeoJson);
    assert_eq!(read.reports.len(), 1);
    assert_eq!(read.reports[0].place.x(), 30.9);
    assert_eq!(read.diagnostics.len(), 1);
    assert_eq!(
        (
            read.diagnostics[0].location.line,
            read.diagnostics[0].field.as_str()
        ),
        (4, "geometry")
    );
}

#[test]
fn the_format_is_guessed_from_the_name_and_the_header() {
    assert_eq!(
        ReportFormat::guess("a.jsonl", ""),
        Some(ReportFormat::JsonLines)
    );
    assert_eq!(
        ReportFormat::guess("a.geojson", ""),
        Some(ReportFormat::GeoJson)
    );
    assert_eq!(
        ReportFormat::guess("a.csv", HEADER),
        Some(ReportFormat::Csv)
    );
    assert_eq!(
        ReportFormat::guess("ged.csv", "id,relid,where_prec"),
        Some(ReportFormat::Ucdp)
    );
    assert_eq!(
        ReportFormat::guess("acled.csv", "event_id_cnty,event_date"),
        Some(ReportFormat::Acled)
    );
    assert_eq!(ReportFormat::guess("a.txt", ""), None);
}

#[test]
fn acled_rows_map_their_precision_and_event_types() {
    let text = "event_id_cnty,event_date,time_precision,event_type,sub_event_type,latitude,longitude,geo_precision,source,notes,fatalities\n\
                UKR1,2024-03-02,1,Explosions/Remote violence,Shelling/artillery/missile attack,47.8,35.2,2,Ukrinform,shelling of a village,0\n\
                UKR2,2024-03-02,1,Protests,Peaceful protest,50.4,30.5,1,Suspilne,a rally,0\n\
                UKR3,2024-03-03,2,Explosions/Remote violence,Air/drone strike,46.6,32.6,1,Ukrinform,drone strike,2\n";
    let read = read_reports("acled.csv", text, ReportFormat::Acled);
    assert_eq!(read.reports.len(), 2);
    assert_eq!(read.reports[0].kind, EventKind::Artillery);
    assert_eq!(read.reports[0].place_precision.radius, 25.0);
    assert_eq!(read.reports[1].kind, EventKind::Drone);
    assert_eq!(read.reports[1].time_precision.radius, 84.0);
    assert_eq!(read.reports[1].count, 2);
    assert_eq!(read.rejected.len(), 1);
    assert_eq!(read.rejected[0].line, 3);
    assert!(read.rejected[0].reason.contains("Peaceful protest"));
}

#[test]
fn real_ucdp_events_read_whole() {
    // Every twentieth event of the UCDP GED Ukraine file (tests/fixtures/UCDP_ATTRIBUTION.md).
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ucdp_ged_ukraine_extract.csv");
    let text = std::fs::read_to_string(&path).expect("the UCDP extract");
    let format = ReportFormat::guess("ucdp_ged_ukraine_extract.csv", &text);
    assert_eq!(format, Some(ReportFormat::Ucdp));
    let read = read_reports("ucdp.csv", &text, ReportFormat::Ucdp);
    assert_eq!(read.reports.len(), 195, "{:?}", read.rejected.first());
    assert!(read.rejected.is_empty());
    let first = &read.reports[0];
    assert_eq!(first.id, "ucdp-147997");
    assert_eq!(first.kind, EventKind::Clash);
    assert!(first.text.contains("Maidan"), "{}", first.text);
    for r in &read.reports {
        assert!(
            r.place_precision.radius >= 1.0 && r.time_precision.radius >= 12.0,
            "{r:?}"
        );
        assert!(
            (22.0..41.0).contains(&r.place.x()) && (44.0..53.0).contains(&r.place.y()),
            "{r:?}"
        );
    }
    // A row broken in transit is rejected with its line, and the rest still read.
    let broken = text.replacen(",2014-01-22,2014-01-22,", ",2014-01-22,22-01-2014,", 1);
    let read = read_reports("ucdp.csv", &broken, ReportFormat::Ucdp);
    assert_eq!((read.reports.len(), read.rejected.len()), (194, 1));
    assert_eq!(read.diagnostics[0].field, "date_end");
}

#[test]
fn a_ucdp_event_read_as_its_articles_gives_one_report_per_article() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ucdp_ged_ukraine_extract.csv");
    let text = std::fs::read_to_string(&path).expect("the UCDP extract");
    let events = read_reports("ucdp.csv", &text, ReportFormat::Ucdp);
    let articles = read_reports("ucdp.csv", &text, ReportFormat::UcdpArticles);
    assert!(articles.rejected.is_empty());
    // Event 147997 cites five articles: five reports, each its own source, of the same event.
    let five: Vec<_> = articles
        .reports
        .iter()
        .filter(|r| r.id.starts_with("ucdp-147997-a"))
        .collect();
    assert_eq!(five.len(), 5);
    let sources: std::collections::BTreeSet<&str> =
        five.iter().map(|r| r.source.as_str()).collect();
    assert_eq!(sources.len(), 5);
    assert!(
        five[0]
            .source
            .starts_with("Agence France Presse,2014-01-22,"),
        "{}",
        five[0].source
    );
    assert!(
        five.iter()
            .all(|r| r.time == events.reports[0].time && r.place == events.reports[0].place)
    );
    assert!(articles.reports.len() > events.reports.len());
}

mod properties {
    use guarantor_scenario::{ReportFormat, read_reports};
    use proptest::prelude::*;

    /// Text that looks like report files more often than random bytes do: header words, separators, numbers.
    fn report_like() -> impl Strategy<Value = String> {
        let token = prop_oneof![
            Just("id,source,source_kind,time,lat,lon,kind\n".to_owned()),
            Just("event_id_cnty,event_date,sub_event_type,latitude,longitude\n".to_owned()),
            Just("id,date_start,date_end,where_prec,latitude,longitude\n".to_owned()),
            Just("{\"type\":\"FeatureCollection\",\"features\":[".to_owned()),
            Just("2026-12-05T06:10:00Z".to_owned()),
            Just("\"".to_owned()),
            Just(",".to_owned()),
            Just("\n".to_owned()),
            Just("{".to_owned()),
            Just("}".to_owned()),
            "[-0-9.e]{1,8}",
            "\\PC{0,12}",
        ];
        prop::collection::vec(token, 0..60).prop_map(|t| t.concat())
    }

    proptest! {
        #[test]
        fn no_input_makes_the_readers_panic_or_lose_a_row(text in report_like()) {
            for (format, _) in ReportFormat::ALL {
                let read = read_reports("random", &text, format);
                // Every rejected row has its diagnostic, pointing inside the text.
                prop_assert_eq!(read.rejected.len(), read.diagnostics.len());
                for d in &read.diagnostics {
                    prop_assert!(d.location.span.end <= text.len());
                    prop_assert!(text.is_char_boundary(d.location.span.start));
                }
            }
        }
    }
}

#[test]
fn a_geojson_feature_is_placed_at_its_own_line_whatever_the_text_around_it() {
    // The first feature has a property named "Feature"; the bad one is still found on line 5.
    let geojson = r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [30.9, 46.3]},
   "properties": {"id": "s1", "source": "sensor-3", "source_kind": "sensor", "time": "2026-12-05T06:00:00Z",
                  "kind": "naval", "Feature": "a property that looks like a type"}},
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [30.9, 46.3]}, "properties": {"id": "s2"}}
]}"#;
    let read = read_reports("feed.geojson", geojson, ReportFormat::GeoJson);
    assert_eq!(read.reports.len(), 1);
    assert_eq!(read.diagnostics.len(), 1);
    assert_eq!(read.diagnostics[0].location.line, 5);
    let bad = read_reports("bad.geojson", "{\"features\": 5}", ReportFormat::GeoJson);
    assert_eq!(bad.diagnostics.len(), 1);
}
