//! The HTTP API as a client uses it: every route answers JSON, errors share one shape with a stable code,
//! bodies are limited, lists are paginated, and the answers are the CLI's.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use guarantor_server::{AppState, BODY_LIMIT, router};
use serde_json::Value;
use tower::ServiceExt;

fn state(dir: &tempfile::TempDir) -> AppState {
    let scenario = guarantor_scenario::check(&guarantor_scenario::SourceSet::builtin_default())
        .scenario
        .expect("the default scenario");
    let db = dir.path().join("monitor.sqlite");
    let store = guarantor_store::SqliteStore::open(&db).expect("a store");
    AppState::new(scenario, store, db)
}

async fn call(state: &AppState, method: &str, uri: &str, body: &str) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .body(Body::from(body.to_owned()))
        .expect("a request");
    let response = router(state.clone())
        .oneshot(request)
        .await
        .expect("an answer");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("a body");
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{uri}: not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
    (status, value)
}

const CSV: &str = "id,source,source_kind,time,time_precision_hours,lat,lon,place_precision_km,kind,target,count,text
p-1,smm-patrol-4,patrol,2027-01-10T06:40:00Z,0.25,47.5119,34.5863,0.5,artillery,,3,three rounds
p-2,ua-general-staff,party,2027-01-10T06:50:00Z,1,47.52,34.6,5,artillery,,1,
p-3,uav-east,sensor,2027-01-10T09:00:00Z,0.1,46.5,32.5,0.2,drone,,1,
p-4,media-a,media,2027-01-10T12:00:00Z,3,48.5,37.5,10,clash,,1,
";

#[tokio::test]
async fn health_and_the_openapi_document_describe_every_route() {
    let dir = tempfile::tempdir().expect("a folder");
    let s = state(&dir);
    let (status, health) = call(&s, "GET", "/api/v1/health", "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(health["status"], "ok");
    let (status, doc) = call(&s, "GET", "/api/v1/openapi.json", "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    // Every described path answers (none is the fallback's not_found).
    let paths = doc["paths"].as_object().expect("paths");
    assert_eq!(paths.len(), 7);
    for (path, ops) in paths {
        for method in ops.as_object().expect("operations").keys() {
            let uri = match path.as_str() {
                "/api/v1/reports" => format!("{path}?format=csv"),
                "/api/v1/reports/daily" => format!("{path}?day=2027-01-10"),
                p => p.to_owned(),
            };
            let (status, body) = call(&s, &method.to_uppercase(), &uri, CSV).await;
            assert_ne!(body["error"]["code"], "not_found", "{method} {path}");
            assert!(status.is_success(), "{method} {path}: {status} {body}");
        }
    }
    let (status, body) = call(&s, "GET", "/api/v1/nowhere", "").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
}

#[tokio::test]
async fn reports_go_in_once_and_come_out_as_paginated_incidents() {
    let dir = tempfile::tempdir().expect("a folder");
    let s = state(&dir);
    let (status, first) = call(&s, "POST", "/api/v1/reports?format=csv&name=day1.csv", CSV).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["files"][0]["new"], 4);
    let (_, again) = call(&s, "POST", "/api/v1/reports?format=csv&name=day1.csv", CSV).await;
    assert_eq!(
        (
            again["files"][0]["new"].as_u64(),
            again["files"][0]["duplicates"].as_u64()
        ),
        (Some(0), Some(4))
    );

    // The patrol and the party saw one shelling: three incidents in all.
    let (status, all) = call(&s, "GET", "/api/v1/incidents", "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(all["page"]["total"], 3);
    assert_eq!(all["incidents"].as_array().expect("a list").len(), 3);
    let (_, page) = call(&s, "GET", "/api/v1/incidents?per_page=2&page=2", "").await;
    assert_eq!(page["incidents"].as_array().expect("a list").len(), 1);
    assert_eq!(page["incidents"][0], all["incidents"][2]);
    let (_, past) = call(&s, "GET", "/api/v1/incidents?per_page=2&page=9", "").await;
    assert_eq!(past["incidents"].as_array().expect("a list").len(), 0);
    let (_, window) = call(
        &s,
        "GET",
        "/api/v1/incidents?since=2027-01-10T08:00:00Z",
        "",
    )
    .await;
    assert_eq!(window["page"]["total"], 2);

    // The daily report is the CLI's.
    let (status, daily) = call(&s, "GET", "/api/v1/reports/daily?day=2027-01-10", "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(daily["totals"]["incidents"], 3);
    assert_eq!(daily["history"].as_array().expect("a list").len(), 14);
}

#[tokio::test]
async fn errors_have_one_shape_and_a_stable_code() {
    let dir = tempfile::tempdir().expect("a folder");
    let s = state(&dir);
    for (method, uri, body, status, code) in [
        (
            "POST",
            "/api/v1/reports?format=xls",
            CSV,
            StatusCode::BAD_REQUEST,
            "bad_format",
        ),
        (
            "POST",
            "/api/v1/reports",
            CSV,
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            "GET",
            "/api/v1/incidents?per_page=0",
            "",
            StatusCode::BAD_REQUEST,
            "bad_page",
        ),
        (
            "GET",
            "/api/v1/incidents?per_page=5000",
            "",
            StatusCode::BAD_REQUEST,
            "bad_page",
        ),
        (
            "GET",
            "/api/v1/incidents?since=yesterday",
            "",
            StatusCode::BAD_REQUEST,
            "bad_time",
        ),
        (
            "GET",
            "/api/v1/reports/daily?day=10/01/2027",
            "",
            StatusCode::BAD_REQUEST,
            "bad_day",
        ),
        (
            "GET",
            "/api/v1/reports/daily?day=2027-01-10&cut=25:00",
            "",
            StatusCode::BAD_REQUEST,
            "bad_cut",
        ),
        (
            "GET",
            "/api/v1/plan?world=us_backstp=true",
            "",
            StatusCode::BAD_REQUEST,
            "bad_world",
        ),
    ] {
        let (got, value) = call(&s, method, uri, body).await;
        assert_eq!(got, status, "{uri}: {value}");
        assert_eq!(value["error"]["code"], code, "{uri}: {value}");
        assert!(
            value["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{uri}"
        );
    }
    // A body over the limit is refused before it is read, in the same shape.
    let big = "x".repeat(BODY_LIMIT + 1);
    let (got, value) = call(&s, "POST", "/api/v1/reports?format=csv", &big).await;
    assert_eq!(
        (got, value["error"]["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("too_large"))
    );
    // A batch with a bad row: 422, the good rows stored, the bad one listed with its line.
    let bad = format!("{CSV}p-5,ru-mod,party,not-a-time,1,47.0,37.0,5,drone,,1,\n");
    let (got, value) = call(&s, "POST", "/api/v1/reports?format=csv&name=bad.csv", &bad).await;
    assert_eq!(got, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        (
            value["files"][0]["new"].as_u64(),
            value["files"][0]["rejected"].as_u64()
        ),
        (Some(4), Some(1))
    );
    assert_eq!(value["files"][0]["diagnostics"][0]["line"], 6, "{value}");
}

#[tokio::test]
async fn the_plan_is_the_clis() {
    let dir = tempfile::tempdir().expect("a folder");
    let s = state(&dir);
    let (status, plan) = call(&s, "GET", "/api/v1/plan", "").await;
    assert_eq!(status, StatusCode::OK);
    let scenario = guarantor_scenario::check(&guarantor_scenario::SourceSet::builtin_default())
        .scenario
        .expect("the default scenario");
    let direct = guarantor_app::plan(&scenario, &scenario.today()).expect("a plan");
    assert_eq!(plan, serde_json::to_value(&direct).expect("JSON"));
}
