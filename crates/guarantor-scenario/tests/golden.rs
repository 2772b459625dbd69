//! Golden tests for each report layout: a small input per format, the reports and rejects it reads as, pinned.
//! Re-bless with `INSTA_UPDATE=always cargo test -p guarantor-scenario --test golden` and read the diff.

use std::path::Path;

use guarantor_scenario::{ReadReports, layout_named, read_reports, reports_csv};
use proptest::prelude::*;

/// Reports and rejects as stable text: one line each, every field.
fn render(read: &ReadReports) -> String {
    let mut out = String::new();
    for r in &read.reports {
        out.push_str(&format!(
            "{} | {} ({}) | {} ±{} h | {:.4},{:.4} ±{} km | {}{} | ×{} | {:?}\n",
            r.id,
            r.source,
            r.source_kind.as_str(),
            r.time,
            r.time_precision.radius,
            r.place.y(),
            r.place.x(),
            r.place_precision.radius,
            r.kind.as_str(),
            r.target
                .map(|t| format!(" on {}", t.as_str()))
                .unwrap_or_default(),
            r.count,
            r.text.chars().take(60).collect::<String>(),
        ));
    }
    for r in &read.rejected {
        out.push_str(&format!("REJECTED line {}: {}\n", r.line, r.reason));
    }
    out
}

const CSV: &str = "id,source,source_kind,time,time_precision_hours,lat,lon,place_precision_km,kind,target,count,text
p-1,smm-patrol-4,patrol,2027-01-10T06:40:00+02:00,0.25,47.5119,34.5863,0.5,artillery,,3,three rounds NE of the plant
p-2,ua-general-staff,party,2027-01-10T05:00:00Z,,47.52,34.6,,drone,electricity,1,
p-3,ru-mod,party,2027-01-10T05:00:00Z,1,91.0,34.6,5,drone,,1,latitude out of range
p-4,media-a,media,2027-01-10T07:00:00Z,3,46.6,32.6,10,naval,sea_targets,2,\"a quoted, comma\"
p-5,media-b,tv,2027-01-10T07:00:00Z,3,46.6,32.6,10,naval,,1,unknown source kind
";

const JSONL: &str = r#"{"id": "j-1", "source": "uav-east", "source_kind": "sensor", "time": "2027-01-10T06:40:00Z", "lat": 47.5, "lon": 34.6, "kind": "drone", "count": 2}
{"id": "j-2", "source": "uav-east", "source_kind": "sensor", "time": "2027-01-10T06:41:00Z", "lat": "47.6", "lon": 34.7, "kind": "mine", "target": "oil_gas"}

["not", "an", "object"]
{"id": "j-4", "source": "uav-east", "source_kind": "sensor", "time": "2027-01-10", "lat": 47.5, "lon": 34.6, "kind": "drone"}
"#;

const GEOJSON: &str = r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [30.72, 46.48]},
   "properties": {"id": "g-1", "source": "smm-patrol-2", "source_kind": "patrol", "time": "2027-02-01T10:00:00Z",
                  "kind": "naval", "place_precision_km": 2, "text": "patrol boat off Odesa"}},
  {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[30, 46], [31, 46]]},
   "properties": {"id": "g-2", "source": "smm-patrol-2", "source_kind": "patrol", "time": "2027-02-01T10:00:00Z",
                  "kind": "naval"}}
]}"#;

const ACLED: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp
UKR1001,2024-03-02,2024,1,Political violence,Explosions/Remote violence,Shelling/artillery/missile attack,Military Forces of Russia (2000-),,State forces,,,,,,804,Europe,Ukraine,Zaporizhia,Vasylivskyi,,Enerhodar,47.4989,34.6556,1,Ukrainska Pravda,National,Shelling of Enerhodar.,0,,1709500000
UKR1002,2024-03-03,2024,2,Battles,Battles,Armed clash,Military Forces of Ukraine (2019-),,State forces,,,,,,804,Europe,Ukraine,Donetsk,Pokrovskyi,,Pokrovsk,48.28,37.18,2,Media,National,Clashes near Pokrovsk.,3,,1709500000
UKR1003,2024-03-04,2024,1,Political violence,Explosions/Remote violence,Air/drone strike,Military Forces of Russia (2000-),,State forces,,,,,,804,Europe,Ukraine,Odesa,,,Odesa,not-a-number,30.7,1,Media,National,Drone strike.,0,,1709500000
";

/// The first rows of the committed UCDP extract (attribution in tests/fixtures/UCDP_ATTRIBUTION.md).
fn ucdp_head(rows: usize) -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ucdp_ged_ukraine_extract.csv");
    let text = std::fs::read_to_string(path).expect("the UCDP extract");
    // Rows may span lines (quoted sources): cut on record boundaries with the csv reader.
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = reader.headers().expect("a header").clone();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).expect("written");
    for record in reader.records().take(rows) {
        w.write_record(&record.expect("a record")).expect("written");
    }
    String::from_utf8(w.into_inner().expect("flushed")).expect("UTF-8")
}

#[test]
fn each_format_reads_as_pinned() {
    let ucdp = ucdp_head(3);
    let cases: [(&str, &str, &str); 6] = [
        ("csv", CSV, "csv"),
        ("jsonl", JSONL, "jsonl"),
        ("geojson", GEOJSON, "geojson"),
        ("acled", ACLED, "acled"),
        ("ucdp", &ucdp, "ucdp"),
        ("ucdp_articles", &ucdp, "ucdp-articles"),
    ];
    for (name, text, format) in cases {
        let layout = layout_named(format).expect("a shipped layout");
        let read = read_reports(&format!("{name}.in"), text, &layout);
        insta::assert_snapshot!(name, render(&read));
    }
}

fn arbitrary_report() -> impl Strategy<Value = guarantor_core::Report> {
    use guarantor_core::{Category, EventKind, Precision, Report, SourceKind};
    (
        "[a-z0-9-]{1,12}",
        "[a-zA-Z0-9 ,\"-]{1,16}",
        0usize..4,
        0i64..4_000_000_000,
        0.0f64..48.0,
        (-90.0f64..90.0, -180.0f64..180.0),
        0.0f64..300.0,
        0usize..9,
        prop::option::of(0usize..7),
        0u32..1000,
        "\\PC{0,40}",
    )
        .prop_map(
            |(id, source, sk, secs, tp, (lat, lon), pp, kind, target, count, text)| Report {
                id,
                source: source.trim().to_owned() + "s",
                source_kind: SourceKind::ALL[sk % SourceKind::ALL.len()],
                time: jiff::Timestamp::from_second(secs).expect("in range"),
                time_precision: Precision { radius: tp },
                place: geo_types::Point::new(lon, lat),
                place_precision: Precision { radius: pp },
                kind: EventKind::ALL[kind % EventKind::ALL.len()],
                target: target.map(|t| Category::ALL[t % Category::ALL.len()]),
                count,
                text: text.trim().to_owned(),
                parties: Vec::new(),
                links: Vec::new(),
            },
        )
}

proptest! {
    #[test]
    fn reports_written_as_csv_read_back_the_same(reports in prop::collection::vec(arbitrary_report(), 0..20)) {
        let text = reports_csv(&reports);
        let read = read_reports("written.csv", &text, &guarantor_scenario::layout_named("csv").expect("shipped"));
        prop_assert!(read.rejected.is_empty(), "{:?}", read.diagnostics);
        prop_assert_eq!(read.reports, reports);
    }
}
