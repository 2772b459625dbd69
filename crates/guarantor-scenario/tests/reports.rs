//! Report intake: guarantor's own layouts, and real UCDP GED data. Bad rows are rejected with their line and
//! reason, never dropped silently.

use std::path::Path;

use guarantor_core::{EventKind, SourceKind};
use guarantor_scenario::{DateOrder, ReadOptions, layout_named, read_file, read_reports};

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
    let read = read_reports(
        "reports.csv",
        &text,
        &guarantor_scenario::layout_named("csv").expect("shipped"),
    );
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
    let read = read_reports(
        "r.csv",
        "id,source,wind\n1,2,3\n",
        &guarantor_scenario::layout_named("csv").expect("shipped"),
    );
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
    let read = read_reports(
        "feed.jsonl",
        jsonl,
        &guarantor_scenario::layout_named("jsonl").expect("shipped"),
    );
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
    let read = read_reports(
        "feed.geojson",
        geojson,
        &guarantor_scenario::layout_named("geojson").expect("shipped"),
    );
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
fn the_layout_is_guessed_from_the_name_and_the_header() {
    let guess = |path: &str, text: &str| {
        guarantor_scenario::guess_layout(path, text).map(|l| l.name.clone())
    };
    let own = format!("{HEADER}\n");
    assert_eq!(guess("a.csv", &own), Ok("csv".into()));
    assert_eq!(guess("a.txt", &own), Ok("csv".into()));
    assert_eq!(
        guess(
            "a.jsonl",
            r#"{"id":"1","source":"s","source_kind":"patrol","time":"2026-12-05","kind":"drone"}"#
        ),
        Ok("jsonl".into())
    );
    assert_eq!(
        guess(
            "a.geojson",
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,
               "properties":{"id":"1","source":"s","source_kind":"patrol","time":"2026-12-05","kind":"drone"}}]}"#
        ),
        Ok("geojson".into())
    );
    assert_eq!(
        guess(
            "ged.csv",
            "id,relid,where_prec,date_start,date_end,side_a,side_b\n"
        ),
        Ok("ucdp".into())
    );
    assert_eq!(
        guess("export.csv", "event_id_cnty,event_date,sub_event_type\n"),
        Ok("acled".into())
    );
    assert_eq!(
        guess(
            "x.csv",
            "entry,date,event_group,violence level,geolocation\n"
        ),
        Ok("cir".into())
    );
    assert_eq!(
        guess(
            "x.json",
            r#"[{"id":"CIV1","date":"02/24/2022","latitude":"1","longitude":"2","sources":[],"filters":[]}]"#
        ),
        Ok("bellingcat".into())
    );
    let none = guess("a.csv", "when,where,what\n").expect_err("no layout has these columns");
    assert!(
        none.contains("when, where, what") && none.contains("--layout"),
        "{none}"
    );
}

#[test]
fn acled_rows_map_their_precision_and_event_types() {
    let text = "event_id_cnty,event_date,time_precision,event_type,sub_event_type,latitude,longitude,geo_precision,source,notes,fatalities\n\
                UKR1,2024-03-02,1,Explosions/Remote violence,Shelling/artillery/missile attack,47.8,35.2,2,Ukrinform,shelling of a village,0\n\
                UKR2,2024-03-02,1,Protests,Peaceful protest,50.4,30.5,1,Suspilne,a rally,0\n\
                UKR3,2024-03-03,2,Explosions/Remote violence,Air/drone strike,46.6,32.6,1,Ukrinform,drone strike,2\n";
    let read = read_reports(
        "acled.csv",
        text,
        &guarantor_scenario::layout_named("acled").expect("shipped"),
    );
    assert_eq!(read.reports.len(), 2);
    assert_eq!(read.reports[0].kind, EventKind::Artillery);
    assert_eq!(read.reports[0].place_precision.radius, 25.0);
    assert_eq!(read.reports[1].kind, EventKind::Drone);
    assert_eq!(read.reports[1].time_precision.radius, 84.0);
    assert_eq!(read.reports[1].count, 2);
    assert_eq!(read.rejected.len(), 1);
    assert_eq!(read.rejected[0].line, 3);
    assert!(
        read.rejected[0]
            .reason
            .contains("`event_type` is `Protests`: not a ceasefire event"),
        "{}",
        read.rejected[0].reason
    );
}

#[test]
fn real_ucdp_events_read_whole() {
    // Every twentieth event of the UCDP GED Ukraine file (tests/fixtures/UCDP_ATTRIBUTION.md).
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ucdp_ged_ukraine_extract.csv");
    let text = std::fs::read_to_string(&path).expect("the UCDP extract");
    let layout = guarantor_scenario::guess_layout("ucdp_ged_ukraine_extract.csv", &text);
    assert_eq!(layout.map(|l| l.name.clone()), Ok("ucdp".to_owned()));
    let read = read_reports(
        "ucdp.csv",
        &text,
        &guarantor_scenario::layout_named("ucdp").expect("shipped"),
    );
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
    let broken = text.replacen(",2014-01-22,2014-01-22,", ",2014-01-22,2014-13-45,", 1);
    let read = read_reports(
        "ucdp.csv",
        &broken,
        &guarantor_scenario::layout_named("ucdp").expect("shipped"),
    );
    assert_eq!((read.reports.len(), read.rejected.len()), (194, 1));
    assert_eq!(read.diagnostics[0].field, "date_end");
}

#[test]
fn a_ucdp_event_read_as_its_articles_gives_one_report_per_article() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ucdp_ged_ukraine_extract.csv");
    let text = std::fs::read_to_string(&path).expect("the UCDP extract");
    let events = read_reports(
        "ucdp.csv",
        &text,
        &guarantor_scenario::layout_named("ucdp").expect("shipped"),
    );
    let articles = read_reports(
        "ucdp.csv",
        &text,
        &guarantor_scenario::layout_named("ucdp-articles").expect("shipped"),
    );
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
    use guarantor_scenario::read_reports;
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
            for layout in guarantor_scenario::builtin_layouts() {
                let read = read_reports("random", &text, layout);
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
    let read = read_reports(
        "feed.geojson",
        geojson,
        &guarantor_scenario::layout_named("geojson").expect("shipped"),
    );
    assert_eq!(read.reports.len(), 1);
    assert_eq!(read.diagnostics.len(), 1);
    assert_eq!(read.diagnostics[0].location.line, 5);
    let bad = read_reports(
        "bad.geojson",
        "{\"features\": 5}",
        &guarantor_scenario::layout_named("geojson").expect("shipped"),
    );
    assert_eq!(bad.diagnostics.len(), 1);
}

/// ACLED's published columns (the export's header, in its order); the rows are made up.
const ACLED_HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,\
assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,\
location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

fn acled_row(id: &str, date: &str, sub: &str) -> String {
    format!(
        "{id},{date},2023,1,Political violence,Explosions/Remote violence,{sub},Military Forces of Russia (2000-),,8,,,,80,,\
         804,Europe,Ukraine,Zaporizhia,Polohivskyi,,Huliaipole,47.6637,36.2561,1,Ukrinform,National,\"shelling, 3 rounds\",0,,1679443200"
    )
}

#[test]
fn an_acled_interception_is_a_report_and_a_protest_is_rejected_with_its_reason() {
    let text = format!(
        "{ACLED_HEADER}\n{}\n{}\n",
        acled_row("UKR1", "2023-03-17", "Disrupted weapons use"),
        acled_row("UKR2", "2023-03-17", "Peaceful protest"),
    );
    let read = read_reports(
        "acled.csv",
        &text,
        &guarantor_scenario::layout_named("acled").expect("shipped"),
    );
    assert_eq!(read.reports.len(), 1);
    assert_eq!(read.reports[0].kind, EventKind::Interception);
    assert_eq!(read.rejected.len(), 1);
    assert!(read.rejected[0].reason.contains("not a ceasefire event"));
}

#[test]
fn acled_dates_day_first_with_a_time_are_read_and_the_files_order_is_said() {
    let text = format!(
        "{ACLED_HEADER}\n{}\n{}\n",
        acled_row(
            "UKR1",
            "17/03/2023 00:00:00",
            "Shelling/artillery/missile attack"
        ),
        acled_row("UKR2", "03/04/2023 00:00:00", "Air/drone strike"),
    );
    let f = read_file(
        "acled.csv",
        text.as_bytes(),
        &ReadOptions::default(),
        &mut |_| {},
    );
    assert_eq!(f.layout.as_deref(), Some("acled"));
    assert_eq!(f.read.date_order, Some(DateOrder::Dmy));
    assert!(f.read.rejected.is_empty(), "{:?}", f.read.rejected);
    // Day first: the second row is the 3rd of April, not the 4th of March.
    let days: Vec<String> = f
        .read
        .reports
        .iter()
        .map(|r| r.time.to_string()[..10].to_owned())
        .collect();
    assert_eq!(days, ["2023-03-17", "2023-04-03"]);
}

#[test]
fn a_file_whose_dates_read_both_ways_is_refused_with_both_readings_and_the_way_to_choose() {
    let text = format!(
        "{ACLED_HEADER}\n{}\n{}\n",
        acled_row("UKR1", "03/04/2023", "Shelling/artillery/missile attack"),
        acled_row("UKR2", "05/06/2023", "Air/drone strike"),
    );
    let f = read_file(
        "acled.csv",
        text.as_bytes(),
        &ReadOptions::default(),
        &mut |_| {},
    );
    let why = f.read.refused.as_deref().expect("refused");
    assert!(why.contains("--date-order dmy"), "{why}");
    assert!(
        why.contains("3 April 2023") && why.contains("4 March 2023"),
        "{why}"
    );
    assert!(f.read.reports.is_empty());
    assert_eq!((f.read.rejected.len(), f.read.diagnostics.len()), (1, 1));
    // Said, it is read.
    let said = ReadOptions {
        date_order: Some(DateOrder::Mdy),
        ..Default::default()
    };
    let f = read_file("acled.csv", text.as_bytes(), &said, &mut |_| {});
    assert_eq!(f.read.reports.len(), 2);
    assert_eq!(&f.read.reports[0].time.to_string()[..10], "2023-03-04");
}

#[test]
fn each_encoding_and_delimiter_of_a_file_is_found_and_said() {
    let row = "p-1;monitor-3;patrol;05.12.2026 06:10;0.25;47.65;36.26;0.5;artillery;;12;Обстріл біля Гуляйполя — 12 пострілів";
    let text = format!("{}\n{row}\n", HEADER.replace(',', ";"));
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    let mut utf16: Vec<u8> = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    for (bytes, encoding) in [
        (text.as_bytes().to_vec(), "UTF-8"),
        (cp1251.into_owned(), "windows-1251"),
        (utf16, "UTF-16LE"),
    ] {
        let f = read_file("feed.csv", &bytes, &ReadOptions::default(), &mut |_| {});
        assert_eq!(f.encoding, encoding);
        assert_eq!(f.read.delimiter, Some(b';'));
        assert!(
            f.read.rejected.is_empty(),
            "{encoding}: {:?}",
            f.read.rejected
        );
        let r = &f.read.reports[0];
        assert_eq!(
            r.text, "Обстріл біля Гуляйполя — 12 пострілів",
            "{encoding}"
        );
        // A time without an offset is read in Kyiv (UTC+2 in December), and the file says so.
        assert_eq!(r.time.to_string(), "2026-12-05T04:10:00Z");
        assert!(
            f.read.notes.iter().any(|n| n.contains("Europe/Kyiv")),
            "{:?}",
            f.read.notes
        );
    }
}

#[test]
fn the_ucdp_export_as_published_in_windows_1252_reads_whole() {
    // The extract's rows, saved as UCDP publishes the file: Windows-1252 bytes, month-first dates with a time.
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ucdp_ged_ukraine_extract.csv");
    let text = std::fs::read_to_string(&path).expect("the UCDP extract");
    let utf8 = read_reports(
        "ucdp.csv",
        &text,
        &guarantor_scenario::layout_named("ucdp").expect("shipped"),
    );
    let mut lines = text.lines();
    let header = lines.next().expect("a header");
    let columns: Vec<&str> = header.split(',').collect();
    let start = columns
        .iter()
        .position(|c| *c == "date_start")
        .expect("date_start");
    let mut published = format!("{header}\r\n");
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for record in reader.records() {
        let record = record.expect("a row");
        let fields: Vec<String> = record
            .iter()
            .enumerate()
            .map(|(i, v)| {
                if i == start || i == start + 1 {
                    let d: jiff::civil::Date = v[..10].parse().expect("an ISO date");
                    format!("{}/{}/{} 12:00:00 AM", d.month(), d.day(), d.year())
                } else if i
                    == columns
                        .iter()
                        .position(|c| *c == "where_description")
                        .unwrap_or(0)
                {
                    format!("{v} (Donetsk’s west)")
                } else {
                    v.to_owned()
                }
            })
            .collect();
        w.write_record(&fields).expect("written");
    }
    published.push_str(&String::from_utf8(w.into_inner().expect("bytes")).expect("text"));
    // (The extract's few characters outside Windows-1252 are written as the encoder writes them.)
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&published);
    let f = read_file("ged.csv", &bytes, &ReadOptions::default(), &mut |_| {});
    assert_eq!(
        (f.encoding, f.layout.as_deref()),
        ("windows-1252", Some("ucdp"))
    );
    assert_eq!(f.read.date_order, Some(DateOrder::Mdy));
    assert_eq!(
        f.read.reports.len(),
        utf8.reports.len(),
        "{:?}",
        f.read.rejected.first()
    );
    for (a, b) in f.read.reports.iter().zip(&utf8.reports) {
        assert_eq!((a.time, a.place, &a.id), (b.time, b.place, &b.id));
        assert!(a.text.contains("Donetsk’s west"), "{}", a.text);
    }
}

proptest::proptest! {
    #[test]
    fn no_bytes_make_a_file_panic_or_lose_a_row(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
        for layout in guarantor_scenario::builtin_layouts() {
            let options = ReadOptions { layout: Some(layout.clone()), ..Default::default() };
            let f = read_file("random", &bytes, &options, &mut |_| {});
            proptest::prop_assert_eq!(f.read.rejected.len(), f.read.diagnostics.len());
            for d in &f.read.diagnostics {
                proptest::prop_assert!(d.location.span.end <= f.text.len());
            }
        }
    }
}

#[test]
fn acled_parties_are_its_actors() {
    let text = format!(
        "{ACLED_HEADER}\n{}\n",
        acled_row("UKR1", "2023-03-17", "Shelling/artillery/missile attack")
    );
    let read = read_reports("acled.csv", &text, &layout_named("acled").expect("shipped"));
    assert_eq!(
        read.reports[0].parties,
        ["Military Forces of Russia (2000-)"]
    );
    assert_eq!(read.reports[0].source, "Ukrinform");
}

/// A party's list of strikes as a ministry would save it from a spreadsheet: Windows-1251, `;`, `D.M.YYYY HH:MM`,
/// Cyrillic words; read by a layout written for it, with no code.
#[test]
fn a_layout_file_reads_a_cyrillic_list_of_strikes_in_windows_1251() {
    let layout = guarantor_scenario::read_layout(
        "party.toml",
        r#"
[layout]
name = "party-strikes"
format = "csv"
source = "party-ua-mod"
source_kind = "party"

[id]
field = "№"
prefix = "ua-mod-"

[time]
field = "Дата"

[place]
lat = "Широта"
lon = "Довгота"
precision_km = 5

[kind]
default = "artillery"
[[kind.rule]]
fields = ["Опис"]
words = ["дрон*", "шахед*", "бпла"]
kind = "drone"
[[kind.rule]]
fields = ["Опис"]
words = ["ракет*"]
kind = "missile"

[target]
[[target.rule]]
fields = ["Опис"]
words = ["підстанці*", "енерг*"]
target = "electricity"

[text]
fields = ["Опис", "Населений пункт"]
"#,
    )
    .expect("the layout reads");
    let text = "№;Дата;Широта;Довгота;Населений пункт;Опис\n\
                1;17.03.2023 06:40;47.84;35.14;Запоріжжя;Удар дронами Шахед по підстанції\n\
                2;17.03.2023 21:15;46.64;32.61;Херсон;Обстріл з артилерії\n\
                3;18.03.2023;48.46;35.04;Дніпро;Ракетний удар\n";
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1251.encode(text);
    assert!(!lossy);
    let options = ReadOptions {
        layout: Some(std::sync::Arc::new(layout)),
        ..Default::default()
    };
    let f = read_file("strikes.csv", &bytes, &options, &mut |_| {});
    assert_eq!((f.encoding, f.read.delimiter), ("windows-1251", Some(b';')));
    assert!(f.read.rejected.is_empty(), "{:?}", f.read.rejected);
    let kinds: Vec<(EventKind, Option<guarantor_core::Category>)> =
        f.read.reports.iter().map(|r| (r.kind, r.target)).collect();
    assert_eq!(
        kinds,
        [
            (
                EventKind::Drone,
                Some(guarantor_core::Category::Electricity)
            ),
            (EventKind::Artillery, None),
            (EventKind::Missile, None)
        ]
    );
    // Kyiv time in March is UTC+2; a day alone is its noon there.
    let times: Vec<String> = f.read.reports.iter().map(|r| r.time.to_string()).collect();
    assert_eq!(
        times,
        [
            "2023-03-17T04:40:00Z",
            "2023-03-17T19:15:00Z",
            "2023-03-18T10:00:00Z"
        ]
    );
    assert_eq!(f.read.reports[2].time_precision.radius, 12.0);
    assert_eq!(f.read.reports[0].source_kind, SourceKind::Party);
    assert!(f.read.reports[0].text.contains("Запоріжжя"));
}

#[test]
fn a_broken_layout_is_refused_with_file_line_column_and_key() {
    let text = "[layout]\nname = \"x\"\nformat = \"json\"\nsource = \"s\"\nsource_kind = \"press\"\n\n\
                [id]\nfeild = \"id\"\n\n[time]\nfield = \"date\"\n\n[place]\nlat = \"a[b\"\nlon = \"lon\"\n\n\
                [kind]\ndefault = \"shelling\"\n";
    let problems = guarantor_scenario::read_layout("mine.toml", text).expect_err("broken");
    let found: Vec<(u32, &str, &str)> = problems
        .iter()
        .map(|d| (d.location.line, d.field.as_str(), d.code))
        .collect();
    for expected in [
        (5, "layout.source_kind", "unknown-name"),
        (8, "id.feild", "unknown-field"),
        (14, "place.lat", "bad-path"),
        (18, "kind.default", "unknown-name"),
    ] {
        assert!(found.contains(&expected), "{expected:?} not in {found:?}");
    }
    assert!(problems.iter().all(|d| d.location.file == "mine.toml"));
    let typo = problems
        .iter()
        .find(|d| d.code == "unknown-field")
        .expect("the typo");
    assert_eq!(typo.expected.as_deref(), Some("one of `field`, `prefix`"));
}

#[test]
fn a_json_layout_reads_nested_lists_and_the_element_with_a_key() {
    let text = r#"[
  {"id": "CIV1", "date": "02/24/2022", "latitude": "49.9", "longitude": "36.3", "location": "Kharkiv",
   "description": "Cruise missile hits a power plant.",
   "sources": [{"path": "https://example.org/a"}, {"path": "https://example.org/b"}],
   "filters": [{"key": "Type of area affected", "value": "Industrial"}, {"key": "Weapon System", "value": "Cruise missile"}]},
  {"id": "CIV2", "date": "03/02/2022", "latitude": "50.4", "longitude": "30.5", "location": "",
   "description": "Residential building damaged.",
   "sources": [], "filters": [{"key": "Weapon System", "value": "Unknown"}]}
]"#;
    let f = read_file(
        "harm.json",
        text.as_bytes(),
        &ReadOptions::default(),
        &mut |_| {},
    );
    assert_eq!(f.layout.as_deref(), Some("bellingcat"));
    assert!(f.read.rejected.is_empty(), "{:?}", f.read.rejected);
    let [a, b] = &f.read.reports[..] else {
        panic!("two reports: {:?}", f.read.reports);
    };
    assert_eq!(
        (a.kind, a.target),
        (
            EventKind::Missile,
            Some(guarantor_core::Category::Electricity)
        )
    );
    assert_eq!(a.links, ["https://example.org/a", "https://example.org/b"]);
    assert_eq!(a.text, "Cruise missile hits a power plant. — Kharkiv");
    // Month first: the 2nd of March.
    assert_eq!(&b.time.to_string()[..10], "2022-03-02");
    assert_eq!(
        (b.kind, b.links.len()),
        (EventKind::InfrastructureStrike, 0)
    );
}

#[test]
fn repeated_ids_in_one_export_merge_links_or_are_rejected_naming_the_first() {
    let header = "entry,date,event_group,title,brief description,lat,lon,country,province,district,town/city,arms/munition,violence level,link,geolocation";
    let row = |id: &str, title: &str, link: &str| {
        format!(
            "{id},2022-02-24,Civilian Infrastructure Damage,{title},{title},49.85,36.66,Ukraine,Kharkiv,,Kharkiv,,2,{link},"
        )
    };
    let text = format!(
        "{header}\n{}\n{}\n{}\n{}\n",
        row("UW1", "Residential area shelled", "https://t.co/1"),
        row("UW1", "Residential area shelled", "https://t.co/2"),
        row("UW1", "Residential area shelled", "https://t.co/1"),
        row("UW1", "Convoy on the road", "https://t.co/3"),
    );
    let read = read_reports("cir.csv", &text, &layout_named("cir").expect("shipped"));
    // The first, with the second row's link; the third adds nothing; the fourth is another event.
    assert_eq!(read.reports.len(), 1);
    assert_eq!(read.reports[0].links, ["https://t.co/1", "https://t.co/2"]);
    assert_eq!(read.reports[0].kind, EventKind::Artillery);
    assert_eq!(read.rejected.len(), 1);
    assert_eq!(read.rejected[0].line, 5);
    assert!(
        read.rejected[0].reason.contains("is line 2's too"),
        "{}",
        read.rejected[0].reason
    );
    assert!(
        read.notes.iter().any(|n| n.contains("2 row(s) repeat")),
        "{:?}",
        read.notes
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// Any edit of a shipped layout (a line dropped or duplicated, bytes changed) is read or refused with
    /// diagnostics inside the text, never a panic; and what reads, reads a file without a panic.
    #[test]
    fn fuzzed_layouts_never_panic(which in 0usize..8, line in 0usize..60, op in 0u8..3, junk in "[ -~]{0,12}") {
        let (_, text) = guarantor_scenario::builtin_layout_files().nth(which).expect("a layout");
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let at = line % lines.len();
        match op {
            0 => { lines.remove(at); }
            1 => { let l = lines[at].clone(); lines.insert(at, l); }
            _ => { lines[at] = junk.clone(); }
        }
        let edited = lines.join("\n");
        match guarantor_scenario::read_layout("fuzz.toml", &edited) {
            Ok(layout) => {
                let options = ReadOptions { layout: Some(std::sync::Arc::new(layout)), ..Default::default() };
                let f = read_file("x.csv", format!("{HEADER}\n1,s,patrol,2026-12-05,0.5,47,35,1,drone,,1,x\n").as_bytes(), &options, &mut |_| {});
                proptest::prop_assert_eq!(f.read.rejected.len(), f.read.diagnostics.len());
            }
            Err(problems) => {
                proptest::prop_assert!(!problems.is_empty());
                for d in &problems {
                    proptest::prop_assert!(d.location.span.end <= edited.len());
                }
            }
        }
    }
}

#[test]
fn a_row_with_no_coordinates_is_placed_in_the_oblast_it_names_at_its_size() {
    let layout = guarantor_scenario::read_layout(
        "area.toml",
        "[layout]\nname = \"area\"\nformat = \"csv\"\nsource = \"ministry\"\nsource_kind = \"party\"\n\
         [id]\nfield = \"n\"\n[time]\nfield = \"day\"\n\
         [place]\nlat = \"lat\"\nlon = \"lon\"\narea = \"oblast\"\nprecision_km = 2\n[kind]\ndefault = \"artillery\"\n",
    )
    .expect("the layout reads");
    let text = "n,day,lat,lon,oblast\n\
                1,2026-12-05,49.99,36.23,Kharkiv\n\
                2,2026-12-05,,,Kharkov region\n\
                3,2026-12-05,,,Atlantis\n\
                4,2026-12-05,,,\n";
    let read = read_reports("area.csv", text, &layout);
    assert_eq!(read.reports.len(), 2, "{:?}", read.rejected);
    assert_eq!(read.reports[0].place_precision.radius, 2.0);
    // Kharkiv oblast: a point inside it, ± the radius of a circle of its area (about 100 km).
    let by_area = &read.reports[1];
    assert!(
        (90.0..110.0).contains(&by_area.place_precision.radius),
        "{by_area:?}"
    );
    assert!((48.5..50.5).contains(&by_area.place.y()) && (35.0..38.5).contains(&by_area.place.x()));
    let reasons: Vec<&str> = read.rejected.iter().map(|r| r.reason.as_str()).collect();
    assert!(
        reasons[0].contains("`oblast` is `Atlantis`, not an area guarantor knows"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].contains("no coordinates, and `oblast` is missing"),
        "{reasons:?}"
    );
    assert!(
        read.notes
            .iter()
            .any(|n| n.contains("1 row(s) with no coordinates")),
        "{:?}",
        read.notes
    );
}

/// What a first-time layout writer trips on (a cold read found these): decimal commas, a misnamed column, a date
/// against the order said, and where a diagnostic points in a Cyrillic row.
#[test]
fn a_layout_writers_slips_are_said_not_swallowed() {
    let layout = guarantor_scenario::read_layout(
        "patrol.toml",
        "[layout]\nname = \"patrol\"\nformat = \"csv\"\nsource = \"p\"\nsource_kind = \"patrol\"\ndate_order = \"mdy\"\n\
         [id]\nfield = \"№\"\n[time]\nfield = \"Дата\"\n\
         [place]\nlat = \"Ш\"\nlon = \"Д\"\nprecision_km = { field = \"Точність\", table = { \"1\" = 1, \"2\" = 5 } }\n\
         [kind]\ndefault = \"artillery\"\n[count]\nfield = \"Пострілів\"\ndefault = 1\n",
    )
    .expect("the layout reads");
    let text = "№;Дата;Ш;Д;Точність;Постріли\n\
                П-005;05/12/2026;47,8392;35,1401;2;12\n\
                П-006;13/12/2026;47,8;35,1;1;3\n\
                П-007;05/12/2026;47,8;35,1;5;3\n";
    let read = read_reports("patrol.csv", text, &layout);
    // Decimal commas read; the count's column is misnamed (`Пострілів` for `Постріли`): said in the notes.
    assert_eq!(read.reports.len(), 1, "{:?}", read.rejected);
    assert_eq!(read.reports[0].place.y(), 47.8392);
    assert_eq!(read.reports[0].place_precision.radius, 5.0);
    assert!(
        read.notes
            .iter()
            .any(|n| n.contains("no row has a value for `Пострілів`")),
        "{:?}",
        read.notes
    );
    // 13/12 cannot be month first, as the layout says the file is.
    assert!(
        read.rejected[0].reason.contains("cannot be month first"),
        "{:?}",
        read.rejected
    );
    // The code 5 is not in the table: the caret is on the `5` cell (column 28, in characters), not on the `5`
    // of the id `П-007` or of `35,1`.
    let d = &read.diagnostics[1];
    assert!(d.message.contains("`Точність` is `5`"), "{}", d.message);
    assert_eq!((d.location.line, d.location.column), (4, 28));
    assert_eq!(&text[d.location.span.clone()], "5");
}

#[test]
fn a_misspelt_rule_key_is_the_one_problem_shown() {
    let text = "[layout]\nname = \"x\"\nformat = \"csv\"\nsource = \"s\"\nsource_kind = \"sensor\"\n[id]\nfield = \"id\"\n\
                [time]\nfield = \"t\"\n[place]\nlat = \"y\"\nlon = \"x\"\n\
                [kind]\n[[kind.rule]]\nfields = [\"notes\"]\nword = [\"uav\"]\nkind = \"drone\"\n\
                [[kind.rule]]\nfield = \"class\"\ntable = { \"UAV\" = \"uav\" }\n";
    let problems = guarantor_scenario::read_layout("x.toml", text).expect_err("broken");
    let said: Vec<(&str, &str)> = problems
        .iter()
        .map(|d| (d.field.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        said,
        [
            ("kind.rule[1].word", "unknown field `word` in kind.rule[1]"),
            ("kind.rule[2].table.UAV", "`uav` is not a known kind"),
        ]
    );
    assert_eq!(problems[0].help.as_deref(), Some("did you mean `words`?"));
}
