//! The HTTP API as a client uses it: every route answers JSON, errors share one shape with a stable code,
//! bodies are limited, lists are paginated, sessions need their CSRF token, failed logins are limited, every
//! change is in the audit log, and the answers are the CLI's.

mod common;

use axum::http::{StatusCode, header};
use common::{CSV, harness};
use guarantor_server::BODY_LIMIT;

#[tokio::test]
async fn health_and_the_openapi_document_describe_every_route() {
    let h = harness();
    let (status, health) = h.call(None, "GET", "/api/v1/health", "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(health["status"], "ok");
    let (status, doc) = h.call(None, "GET", "/api/v1/openapi.json", "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    // Every described path answers (none is the fallback's not_found).
    let paths = doc["paths"].as_object().expect("paths");
    assert_eq!(paths.len(), 26);
    // Publish first, so that reading the published plan answers.
    let (status, _) = h
        .call(Some("planner"), "POST", "/api/v1/plan/published", "")
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let files: serde_json::Map<String, serde_json::Value> =
        guarantor_scenario::SourceSet::builtin_default()
            .iter()
            .map(|(p, t)| (p.to_owned(), serde_json::json!(t)))
            .collect();
    let scenario_body = serde_json::json!({ "files": files }).to_string();
    let pledge = r#"{"id": "fra-doc", "nation": "FRA", "kind": "units", "capability": "mech_inf_bn",
                     "count": 1, "notice_days": 30, "source": "test"}"#;
    for (path, ops) in paths {
        for method in ops.as_object().expect("operations").keys() {
            let (uri, body) = match (path.as_str(), method.as_str()) {
                ("/api/v1/reports", _) => (format!("{path}?format=csv"), CSV.to_owned()),
                ("/api/v1/reports/daily", _) => (format!("{path}?day=2027-01-10"), String::new()),
                ("/api/v1/scenarios", "post") => (path.clone(), scenario_body.clone()),
                ("/api/v1/scenarios/{name}/versions", _) => (
                    "/api/v1/scenarios/Reassurance%20Force%20Ukraine/versions".to_owned(),
                    String::new(),
                ),
                ("/api/v1/pledges", "post") => (path.clone(), pledge.to_owned()),
                ("/api/v1/pledges/{id}", "delete") => {
                    // One of its own to delete (`put` comes after, on `fra-doc`).
                    let gone = pledge.replace("fra-doc", "fra-doc-gone");
                    let (status, _) = h
                        .call(Some("planner"), "POST", "/api/v1/pledges", &gone)
                        .await;
                    assert_eq!(status, StatusCode::CREATED);
                    ("/api/v1/pledges/fra-doc-gone".to_owned(), String::new())
                }
                ("/api/v1/pledges/{id}", _) => {
                    ("/api/v1/pledges/fra-doc".to_owned(), pledge.to_owned())
                }
                ("/api/v1/jobs", _) => (path.clone(), r#"{"kind": "plan"}"#.to_owned()),
                ("/api/v1/jobs/{id}", "delete") => {
                    // One of its own, still running, to cancel.
                    let (_, started) = h
                        .call(
                            Some("planner"),
                            "POST",
                            "/api/v1/jobs",
                            r#"{"kind": "whatif"}"#,
                        )
                        .await;
                    (format!("/api/v1/jobs/{}", started["id"]), String::new())
                }
                ("/api/v1/jobs/{id}", _) => ("/api/v1/jobs/1".to_owned(), String::new()),
                ("/api/v1/courses/{id}/plan", _) => (
                    "/api/v1/courses/training-demining/plan".to_owned(),
                    String::new(),
                ),
                ("/api/v1/respond", _) => (format!("{path}?site=npp-rivne"), String::new()),
                // Other accounts than the planner's, whose token the calls go on with.
                ("/api/v1/users/{name}/disable" | "/api/v1/users/{name}/enable", _) => {
                    (path.replace("{name}", "observer"), String::new())
                }
                ("/api/v1/users/{name}/logout-all", _) => {
                    (path.replace("{name}", "monitor"), String::new())
                }
                ("/api/v1/users/{name}/password", _) => (
                    path.replace("{name}", "monitor"),
                    r#"{"password": "a new password for the monitor"}"#.to_owned(),
                ),
                ("/api/v1/users/{name}/tokens/{label}", _) => {
                    ("/api/v1/users/deu/tokens/test".to_owned(), String::new())
                }
                ("/api/v1/login", _) => (
                    path.clone(),
                    format!(
                        r#"{{"name": "planner", "password": "{}"}}"#,
                        common::password("planner")
                    ),
                ),
                _ => (path.clone(), String::new()),
            };
            let (status, body) = h
                .call(Some("planner"), &method.to_uppercase(), &uri, &body)
                .await;
            assert_ne!(
                body["error"]["code"], "not_found",
                "{method} {path}: {body}"
            );
            assert!(status.is_success(), "{method} {path}: {status} {body}");
        }
    }
    let (status, body) = h.call(None, "GET", "/api/v1/nowhere", "").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
}

#[tokio::test]
async fn reports_go_in_once_and_come_out_as_paginated_incidents() {
    let h = harness();
    let (status, first) = h
        .call(
            Some("planner"),
            "POST",
            "/api/v1/reports?format=csv&name=day1.csv",
            CSV,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["files"][0]["new"], 4);
    let (_, again) = h
        .call(
            Some("planner"),
            "POST",
            "/api/v1/reports?format=csv&name=day1.csv",
            CSV,
        )
        .await;
    assert_eq!(
        (
            again["files"][0]["new"].as_u64(),
            again["files"][0]["duplicates"].as_u64()
        ),
        (Some(0), Some(4))
    );

    // The patrol and the party saw one shelling: three incidents in all.
    let (status, all) = h
        .call(Some("planner"), "GET", "/api/v1/incidents", "")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(all["page"]["total"], 3);
    assert_eq!(all["incidents"].as_array().expect("a list").len(), 3);
    let (_, page) = h
        .call(
            Some("planner"),
            "GET",
            "/api/v1/incidents?per_page=2&page=2",
            "",
        )
        .await;
    assert_eq!(page["incidents"].as_array().expect("a list").len(), 1);
    assert_eq!(page["incidents"][0], all["incidents"][2]);
    // A response names every incident that fired it by id, on every page; its indices point into the page.
    let fired = |doc: &serde_json::Value| -> Vec<u64> {
        doc["responses"]
            .as_array()
            .expect("a list")
            .iter()
            .flat_map(|r| r["incident_ids"].as_array().expect("ids").clone())
            .filter_map(|v| v.as_u64())
            .collect()
    };
    assert!(!fired(&all).is_empty(), "{all}");
    assert_eq!(fired(&page), fired(&all));
    for doc in [&all, &page] {
        for r in doc["responses"].as_array().expect("a list") {
            for n in r["incidents"].as_array().expect("a list") {
                let id = &doc["incidents"][n.as_u64().expect("an index") as usize]["id"];
                assert!(
                    r["incident_ids"].as_array().expect("ids").contains(id),
                    "{r}"
                );
            }
        }
    }
    let (_, past) = h
        .call(
            Some("planner"),
            "GET",
            "/api/v1/incidents?per_page=2&page=9",
            "",
        )
        .await;
    assert_eq!(past["incidents"].as_array().expect("a list").len(), 0);
    let (_, window) = h
        .call(
            Some("planner"),
            "GET",
            "/api/v1/incidents?since=2027-01-10T08:00:00Z",
            "",
        )
        .await;
    assert_eq!(window["page"]["total"], 2);

    // The daily report is the CLI's.
    let (status, daily) = h
        .call(
            Some("planner"),
            "GET",
            "/api/v1/reports/daily?day=2027-01-10",
            "",
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(daily["totals"]["incidents"], 3);
    assert_eq!(daily["history"].as_array().expect("a list").len(), 14);
}

#[tokio::test]
async fn errors_have_one_shape_and_a_stable_code() {
    let h = harness();
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
            "/api/v1/reports?full_export=maybe",
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
        let (got, value) = h.call(Some("planner"), method, uri, body).await;
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
    let (got, value) = h
        .call(Some("planner"), "POST", "/api/v1/reports?format=csv", &big)
        .await;
    assert_eq!(
        (got, value["error"]["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("too_large"))
    );
    // A batch with a bad row: 422, the good rows stored, the bad one listed with its line.
    let bad = format!("{CSV}p-5,ru-mod,party,not-a-time,1,47.0,37.0,5,drone,,1,\n");
    let (got, value) = h
        .call(
            Some("planner"),
            "POST",
            "/api/v1/reports?format=csv&name=bad.csv",
            &bad,
        )
        .await;
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
    let h = harness();
    let (status, mut plan) = h.call(Some("planner"), "GET", "/api/v1/plan", "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(plan["version"], 1);
    plan.as_object_mut().expect("an object").remove("version");
    let scenario = guarantor_scenario::check(&guarantor_scenario::SourceSet::builtin_default())
        .scenario
        .expect("the default scenario");
    let direct = guarantor_app::plan(&scenario, &scenario.today()).expect("a plan");
    let direct = serde_json::to_value(&direct).expect("JSON");
    fn diff(a: &serde_json::Value, b: &serde_json::Value, at: String) -> Option<String> {
        match (a, b) {
            (serde_json::Value::Object(x), serde_json::Value::Object(y)) => x
                .iter()
                .find_map(|(k, v)| diff(v, &y[k], format!("{at}.{k}"))),
            (serde_json::Value::Array(x), serde_json::Value::Array(y)) if x.len() == y.len() => x
                .iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (v, w))| diff(v, w, format!("{at}[{i}]"))),
            _ => (a != b).then(|| format!("{at}: {a} vs {b}")),
        }
    }
    assert_eq!(diff(&plan, &direct, String::new()), None);
    assert_eq!(plan, direct);
}

#[tokio::test]
async fn a_session_needs_its_csrf_token_to_change_anything() {
    let h = harness();
    let login = format!(
        r#"{{"name": "monitor", "password": "{}"}}"#,
        common::password("monitor")
    );
    let a = h.request(None, "POST", "/api/v1/login", &login, &[]).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let set = a.headers[header::SET_COOKIE].to_str().expect("text");
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(set.contains(attribute), "{set}");
    }
    let cookie = set.split(';').next().expect("name=value").to_owned();
    let csrf = a.body["csrf"].as_str().expect("a CSRF token").to_owned();
    let by_cookie = [("cookie", cookie.as_str())];
    // Reading needs the cookie only.
    let me = h.request(None, "GET", "/api/v1/me", "", &by_cookie).await;
    assert_eq!(
        (me.status, me.body["name"].as_str()),
        (StatusCode::OK, Some("monitor"))
    );
    // Changing needs the token too.
    let post = "/api/v1/reports?format=csv";
    let bare = h.request(None, "POST", post, CSV, &by_cookie).await;
    assert_eq!(
        (bare.status, bare.body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("bad_csrf"))
    );
    let wrong = h
        .request(
            None,
            "POST",
            post,
            CSV,
            &[("cookie", cookie.as_str()), ("x-csrf-token", "0000")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let right = h
        .request(
            None,
            "POST",
            post,
            CSV,
            &[("cookie", cookie.as_str()), ("x-csrf-token", csrf.as_str())],
        )
        .await;
    assert_eq!(right.status, StatusCode::CREATED, "{}", right.body);
    // Logging out ends the session at once.
    let out = h
        .request(
            None,
            "POST",
            "/api/v1/logout",
            "",
            &[("cookie", cookie.as_str()), ("x-csrf-token", csrf.as_str())],
        )
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert!(
        out.headers[header::SET_COOKIE]
            .to_str()
            .expect("text")
            .contains("Max-Age=0")
    );
    let after = h.request(None, "GET", "/api/v1/me", "", &by_cookie).await;
    assert_eq!(
        (after.status, after.body["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthenticated"))
    );
}

#[tokio::test]
async fn failed_logins_are_limited_and_audited() {
    let h = harness();
    let wrong = r#"{"name": "fra", "password": "not the password"}"#;
    for _ in 0..5 {
        let (status, body) = h.call(None, "POST", "/api/v1/login", wrong).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("bad_credentials"))
        );
    }
    // The sixth try is refused even with the right password, and says when to come back.
    let right = format!(
        r#"{{"name": "fra", "password": "{}"}}"#,
        common::password("fra")
    );
    let a = h.request(None, "POST", "/api/v1/login", &right, &[]).await;
    assert_eq!(
        (a.status, a.body["error"]["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("too_many_attempts"))
    );
    let wait: u64 = a.headers[header::RETRY_AFTER]
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds");
    assert!((1..=900).contains(&wait), "{wait}");
    // Another user is not held up by fra's failures; an unknown user fails the same way as a wrong password.
    let deu = format!(
        r#"{{"name": "deu", "password": "{}"}}"#,
        common::password("deu")
    );
    assert_eq!(
        h.call(None, "POST", "/api/v1/login", &deu).await.0,
        StatusCode::OK
    );
    let (status, body) = h
        .call(
            None,
            "POST",
            "/api/v1/login",
            r#"{"name": "nobody", "password": "x"}"#,
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("bad_credentials"))
    );
    let (_, log) = h
        .call(Some("planner"), "GET", "/api/v1/audit?limit=20", "")
        .await;
    let failed = log["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["action"] == "login.failed" && e["actor"] == "fra")
        .count();
    assert_eq!(failed, 5, "{log}");
}

#[tokio::test]
async fn a_pledge_edit_is_a_new_version_with_its_audit_line_and_changes_the_plan() {
    let h = harness();
    let (_, before) = h.call(Some("fra"), "GET", "/api/v1/plan", "").await;
    let pledge = r#"{"id": "fra-extra-engineers", "nation": "FRA", "kind": "units", "capability": "engineer_coy",
                     "count": 2, "notice_days": 10, "status": "confirmed", "source": "liaison officer, test"}"#;
    let (status, created) = h.call(Some("fra"), "POST", "/api/v1/pledges", pledge).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["version"], 2);
    // The same id again is a conflict; an update goes through PUT and makes version 3.
    let (status, body) = h.call(Some("fra"), "POST", "/api/v1/pledges", pledge).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("exists"))
    );
    let changed = pledge.replace("\"count\": 2", "\"count\": 3");
    let (status, updated) = h
        .call(
            Some("fra"),
            "PUT",
            "/api/v1/pledges/fra-extra-engineers",
            &changed,
        )
        .await;
    assert_eq!(
        (status, updated["version"].as_u64()),
        (StatusCode::OK, Some(3)),
        "{updated}"
    );
    // A bad edit is refused with the line and field in the pledge as written, and stores nothing.
    let bad = changed.replace("engineer_coy", "engineer_coyy");
    let (status, body) = h
        .call(
            Some("fra"),
            "PUT",
            "/api/v1/pledges/fra-extra-engineers",
            &bad,
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_scenario"))
    );
    let d = &body["error"]["details"]["diagnostics"][0];
    assert_eq!(
        (d["file"].as_str(), d["field"].as_str()),
        (
            Some("pledge"),
            Some("pledge[fra-extra-engineers].capability")
        ),
        "{body}"
    );
    let text = body["error"]["details"]["text"].as_str().expect("the text");
    let line = d["line"].as_u64().expect("a line") as usize;
    assert!(
        text.lines()
            .nth(line - 1)
            .is_some_and(|l| l.contains("engineer_coyy")),
        "line {line} of {text}"
    );
    // The plan of the latest version counts the new units.
    let (_, after) = h.call(Some("fra"), "GET", "/api/v1/plan", "").await;
    assert_eq!(after["version"], 3);
    let troops = |plan: &serde_json::Value| {
        plan["sourcing"]["nations"]
            .as_array()
            .expect("nations")
            .iter()
            .find(|n| n["nation"] == "FRA")
            .and_then(|n| n["troops"].as_u64())
            .expect("FRA")
    };
    assert!(
        troops(&after) > troops(&before),
        "{} -> {}",
        troops(&before),
        troops(&after)
    );
    // The audit log has both changes, with the values before and after.
    let (_, log) = h.call(Some("planner"), "GET", "/api/v1/audit", "").await;
    let entries = log["entries"].as_array().expect("entries");
    let update = entries
        .iter()
        .find(|e| e["action"] == "pledge.update")
        .expect("the update");
    assert_eq!(update["actor"], "fra");
    assert_eq!(update["before"]["count"], 2);
    assert_eq!(update["after"]["count"], 3);
    assert!(
        entries
            .iter()
            .any(|e| e["action"] == "pledge.create" && e["before"].is_null())
    );
    let (_, versions) = h
        .call(Some("observer"), "GET", "/api/v1/scenarios", "")
        .await;
    assert_eq!(versions["scenarios"][0]["latest"], 3);
}

#[tokio::test]
async fn edits_start_from_the_latest_version_and_stay_in_their_own_namespace() {
    let h = harness();
    let fra = r#"{"id": "fra-late", "nation": "FRA", "kind": "units", "capability": "engineer_coy",
                  "count": 1, "notice_days": 10, "source": "test"}"#;
    assert_eq!(
        h.call(Some("fra"), "POST", "/api/v1/pledges", fra).await.0,
        StatusCode::CREATED
    );
    // DEU, working from version 1, cannot store a version without FRA's new pledge.
    let (_, pledges) = h
        .call(Some("deu"), "GET", "/api/v1/pledges?version=1", "")
        .await;
    let deu_hq = pledges["pledges"]
        .as_array()
        .expect("pledges")
        .iter()
        .find(|p| p["id"] == "deu-hq")
        .expect("deu-hq")
        .to_string();
    let (status, body) = h
        .call(
            Some("deu"),
            "PUT",
            "/api/v1/pledges/deu-hq?version=1",
            &deu_hq,
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("stale")),
        "{body}"
    );
    let (status, _) = h
        .call(Some("deu"), "PUT", "/api/v1/pledges/deu-hq", &deu_hq)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, latest) = h.call(Some("fra"), "GET", "/api/v1/pledges", "").await;
    assert!(
        latest.to_string().contains("fra-late"),
        "FRA's pledge survived DEU's edit"
    );
    // A liaison officer's ids carry its nation; `withheld…` is reserved for everyone.
    for (who, id) in [
        ("deu", "fra-not-mine"),
        ("fra", "withheld-1"),
        ("planner", "withheld-9"),
    ] {
        let mut body = fra.replace("fra-late", id);
        if who == "deu" {
            body = body.replace("\"FRA\"", "\"DEU\"");
        }
        let (status, value) = h.call(Some(who), "POST", "/api/v1/pledges", &body).await;
        // Another nation's namespace is forbidden; the reserved prefix is a bad id for anyone.
        let expected = if who == "deu" {
            (StatusCode::FORBIDDEN, Some("forbidden"))
        } else {
            (StatusCode::BAD_REQUEST, Some("bad_body"))
        };
        assert_eq!(
            (status, value["error"]["code"].as_str()),
            expected,
            "{who} {id}: {value}"
        );
    }
    // An absurd notice is refused at its line, not left to overflow the plan.
    let long = fra
        .replace("fra-late", "fra-long")
        .replace("\"notice_days\": 10", "\"notice_days\": 4294967295");
    let (status, value) = h.call(Some("fra"), "POST", "/api/v1/pledges", &long).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{value}");
    // Version notes and authors tell other users nothing of who edited what.
    let (_, versions) = h
        .call(Some("observer"), "GET", "/api/v1/scenarios", "")
        .await;
    let text = versions.to_string();
    assert!(
        !text.contains("fra-late") && !text.contains("\"fra\"") && !text.contains("\"deu\""),
        "{text}"
    );
}

#[tokio::test]
async fn a_form_post_by_cookie_needs_the_csrf_token_too() {
    let h = harness();
    let (cookie, _) = monitor_session(&h).await;
    let form = [
        ("cookie", cookie.as_str()),
        ("content-type", "application/x-www-form-urlencoded"),
    ];
    for (method, uri) in [
        ("POST", "/api/v1/reports?format=csv"),
        ("POST", "/api/v1/logout"),
        ("POST", "/incidents/upload"),
    ] {
        let answer = h
            .request(None, method, uri, "format=csv&body=x", &form)
            .await;
        assert_eq!(
            answer.status,
            StatusCode::FORBIDDEN,
            "{method} {uri}: {}",
            answer.body
        );
    }
}

#[tokio::test]
async fn parallel_wrong_passwords_do_not_outrun_the_limit() {
    let h = std::sync::Arc::new(harness());
    let mut tries = Vec::new();
    for _ in 0..20 {
        let h = h.clone();
        tries.push(tokio::spawn(async move {
            h.call(
                None,
                "POST",
                "/api/v1/login",
                r#"{"name": "fra", "password": "wrong wrong wrong"}"#,
            )
            .await
            .0
        }));
    }
    let mut refused = 0;
    for t in tries {
        let status = t.await.expect("a try");
        assert!(
            status == StatusCode::UNAUTHORIZED || status == StatusCode::TOO_MANY_REQUESTS,
            "{status}"
        );
        if status == StatusCode::TOO_MANY_REQUESTS {
            refused += 1;
        }
    }
    assert_eq!(refused, 15, "five tries are checked, the rest refused");
}

#[tokio::test]
async fn failures_from_one_address_do_not_lock_the_account_for_another() {
    use axum::extract::ConnectInfo;
    use tower::ServiceExt;
    let h = harness();
    let login = |from: [u8; 4], password: String| {
        let state = h.state.clone();
        async move {
            let request = axum::http::Request::builder()
                .method("POST")
                .uri("/api/v1/login")
                .header(header::CONTENT_TYPE, "application/json")
                .extension(ConnectInfo(std::net::SocketAddr::from((from, 40000))))
                .body(axum::body::Body::from(format!(
                    r#"{{"name": "planner", "password": "{password}"}}"#
                )))
                .expect("a request");
            guarantor_server::router(state)
                .oneshot(request)
                .await
                .expect("an answer")
                .status()
        }
    };
    for _ in 0..5 {
        assert_eq!(
            login([10, 0, 0, 9], "guess".into()).await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        login([10, 0, 0, 9], common::password("planner")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // The planner at the office still logs in.
    assert_eq!(
        login([10, 0, 0, 1], common::password("planner")).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_response_is_the_clis_and_says_what_is_wrong() {
    let h = harness();
    let (status, v) = h
        .call(
            Some("planner"),
            "GET",
            "/api/v1/respond?contingency=strike-south-ukraine-npp",
            "",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["contingency"]["site"], "npp-south-ukraine");
    assert!(v["elements"].as_array().is_some_and(|e| !e.is_empty()));
    for (query, status, code) in [
        ("contingency=nope", StatusCode::NOT_FOUND, "not_found"),
        ("site=hub-rzeszow", StatusCode::BAD_REQUEST, "bad_query"),
        ("point=95,30", StatusCode::BAD_REQUEST, "bad_query"),
        (
            "site=npp-rivne&point=50,30",
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            "site=npp-rivne&world=nonsense=true",
            StatusCode::BAD_REQUEST,
            "bad_world",
        ),
    ] {
        let (got, v) = h
            .call(
                Some("planner"),
                "GET",
                &format!("/api/v1/respond?{query}"),
                "",
            )
            .await;
        assert_eq!(
            (got, v["error"]["code"].as_str()),
            (status, Some(code)),
            "{query}: {v}"
        );
    }
}

#[tokio::test]
async fn a_restricted_option_is_shown_only_to_its_nation_and_planners() {
    // Germany's Taurus strikes are restricted, and exist only with a Bundestag mandate.
    let h = harness();
    let uri = "/api/v1/respond?contingency=offensive-zaporizhzhia&world=deu_bundestag_mandate=true";
    let labels = |v: &serde_json::Value| -> Vec<String> {
        v["elements"]
            .as_array()
            .expect("elements")
            .iter()
            .map(|e| e["label"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let (_, planner) = h.call(Some("planner"), "GET", uri, "").await;
    let (_, deu) = h.call(Some("deu"), "GET", uri, "").await;
    let (_, fra) = h.call(Some("fra"), "GET", uri, "").await;
    assert!(
        labels(&planner).contains(&"deu-taurus".to_owned()),
        "{planner}"
    );
    assert!(labels(&deu).contains(&"deu-taurus".to_owned()));
    assert!(!fra.to_string().contains("taurus"), "{fra}");
    assert!(labels(&fra).contains(&"withheld".to_owned()));
    // The build-up is the true total for everyone.
    assert_eq!(planner["timeline"], fra["timeline"]);
    // So is the cost: the Taurus strikes' price moves under `withheld`, the total stays.
    assert_eq!(planner["cost"]["total"], fra["cost"]["total"]);
    let cost_labels = |v: &serde_json::Value| -> Vec<String> {
        v["cost"]["elements"]
            .as_array()
            .expect("cost elements")
            .iter()
            .map(|e| e["label"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert!(cost_labels(&planner).contains(&"deu-taurus".to_owned()));
    assert!(cost_labels(&fra).contains(&"withheld".to_owned()));
}

#[tokio::test]
async fn the_response_page_shows_a_contingency_as_the_viewer_may_see_it() {
    let h = harness();
    let uri = "/respond?set=1&contingency=offensive-zaporizhzhia&fact=permanent_ceasefire&fact=gbr_if_necessary&fact=deu_bundestag_mandate";
    let planner = h.request(Some("planner"), "GET", uri, "", &[]).await;
    assert_eq!(planner.status, StatusCode::OK);
    let text = planner.body.as_str().unwrap_or_default().to_owned();
    for part in [
        "Synchronisation",
        "Ground troops at the threatened site",
        "deu-taurus",
        "<select name=\"contingency\">",
    ] {
        assert!(text.contains(part), "{part}");
    }
    let fra = h.request(Some("fra"), "GET", uri, "", &[]).await;
    assert_eq!(fra.status, StatusCode::OK);
    let text = fra.body.as_str().unwrap_or_default();
    assert!(
        !text.contains("taurus"),
        "the restricted option is withheld"
    );
    let monitor = h.request(Some("monitor"), "GET", uri, "", &[]).await;
    assert_eq!(monitor.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_upload_is_read_as_its_bytes_are_encoded() {
    let h = harness();
    // A UCDP-layout row saved as Windows-1252 (the curly apostrophe is one byte, 0x92), month-first dates.
    let csv = "id,date_start,date_end,where_prec,latitude,longitude,best,where_description,dyad_name\r\n\
               1,3/17/2023 12:00:00 AM,3/17/2023 12:00:00 AM,1,47.6,36.2,0,Donetsk’s west,A - B\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(csv);
    let a = h
        .request(
            Some("planner"),
            "POST",
            "/api/v1/reports?format=ucdp",
            &*bytes,
            &[],
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let f = &a.body["files"][0];
    assert_eq!(f["encoding"], "windows-1252");
    assert_eq!(f["date_order"], "mdy");
    assert_eq!(f["new"], 1);
    // Said by the caller: an unknown encoding is refused with what was expected.
    let (status, body) = h
        .call(
            Some("planner"),
            "POST",
            "/api/v1/reports?format=ucdp&encoding=klingon",
            "x",
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "bad_encoding", "{body}");
}

#[tokio::test]
async fn the_upload_form_sends_a_files_bytes_and_the_server_finds_their_encoding() {
    let h = harness();
    let (cookie, csrf) = monitor_session(&h).await;
    // A Windows-1252 file, as the page sends a chosen file: its bytes in base64 (the text box holds a preview).
    let csv = "id,source,source_kind,time,lat,lon,kind,text\r\nw-1,outlet,media,2027-01-10T08:00:00Z,47.6,36.2,drone,Donetsk’s west\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(csv);
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
    let form = format!(
        "csrf={}&format=csv&name=w.csv&body=preview&bytes={}",
        enc(&csrf),
        enc(&b64)
    );
    let answer = h
        .request(
            None,
            "POST",
            "/incidents/upload",
            &form,
            &[
                ("cookie", cookie.as_str()),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let (_, incidents) = h
        .call(
            Some("planner"),
            "GET",
            "/api/v1/incidents?since=2027-01-10",
            "",
        )
        .await;
    assert_eq!(incidents["reports"], 1, "{incidents}");
}

/// The monitor logged in by cookie: the cookie (`name=value`) and its CSRF token.
async fn monitor_session(h: &common::Harness) -> (String, String) {
    let login = format!(
        r#"{{"name": "monitor", "password": "{}"}}"#,
        common::password("monitor")
    );
    let a = h.request(None, "POST", "/api/v1/login", &login, &[]).await;
    let cookie = a.headers[header::SET_COOKIE]
        .to_str()
        .expect("text")
        .split(';')
        .next()
        .expect("a cookie")
        .to_owned();
    let csrf = a.body["csrf"].as_str().expect("a CSRF token").to_owned();
    (cookie, csrf)
}

#[tokio::test]
async fn an_upload_names_a_shipped_layout_or_sends_its_own() {
    let h = harness();
    // A CIR-layout export (made-up rows in CIR's columns), named.
    let cir = "entry,date,event_group,title,brief description,lat,lon,country,province,district,town/city,arms/munition,violence level,link,geolocation\n\
               UW1,2022-04-02,Civilian Infrastructure Damage Feb - June,Drone strike,Drone hits a substation,47.8,35.2,Ukraine,Zaporizhzhia,,Zaporizhzhia,,2,https://t.co/x,\n\
               UW2,2022-04-02,Mass grave or Burial,Graves,Graves found,50.5,30.2,Ukraine,Kyiv,,Bucha,,5,https://t.co/y,\n";
    let a = h
        .request(
            Some("planner"),
            "POST",
            "/api/v1/reports?layout=cir",
            cir,
            &[],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    let f = &a.body["files"][0];
    assert_eq!(
        (f["layout"].as_str(), f["new"].as_u64()),
        (Some("cir"), Some(1))
    );
    assert!(
        f["diagnostics"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("mass grave")),
        "{f}"
    );
    // Its own layout, as TOML with the upload; a broken one is refused with each problem.
    let toml = "[layout]\nname = \"own\"\nformat = \"csv\"\nsource = \"s\"\nsource_kind = \"sensor\"\n[id]\nfield = \"n\"\n\
                [time]\nfield = \"t\"\n[place]\nlat = \"y\"\nlon = \"x\"\n[kind]\ndefault = \"drone\"\n";
    let (status, body) = h
        .call(
            Some("planner"),
            "POST",
            &format!("/api/v1/reports?layout_toml={}", enc(toml)),
            "n,t,y,x\n1,2026-12-05T06:00:00Z,47.6,36.2\n",
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["files"][0]["layout"], "own");
    let (status, body) = h
        .call(
            Some("planner"),
            "POST",
            &format!(
                "/api/v1/reports?layout_toml={}",
                enc(&toml.replace("drone", "tank"))
            ),
            "n,t,y,x\n",
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "bad_layout", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("layout.toml:14:11: `tank` is not a known kind"),
        "{body}"
    );
    assert_eq!(
        body["error"]["details"].as_array().map(Vec::len),
        Some(1),
        "{body}"
    );
}

/// `s` percent-encoded for a query string or a form body.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_job_is_cancelled_by_its_owner_or_a_planner_and_ends_cancelled() {
    let h = harness();
    let (status, started) = h
        .call(Some("fra"), "POST", "/api/v1/jobs", r#"{"kind": "whatif"}"#)
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    let uri = format!("/api/v1/jobs/{}", started["id"]);
    // Another liaison officer cannot see it, so cannot cancel it.
    let (status, _) = h.call(Some("deu"), "DELETE", &uri, "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = h.call(Some("fra"), "DELETE", &uri, "").await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::ACCEPTED, Some("cancelling")),
        "{body}"
    );
    // It ends after the solves running, without a result, before the whole what-if could have.
    let job = h.job_ended("fra", &uri).await;
    assert_eq!(job["status"], "cancelled", "{job}");
    assert!(job["result"].is_null(), "{job}");
    let progress = &job["progress"];
    assert!(
        progress["done"].as_u64() < progress["total"].as_u64(),
        "{job}"
    );
    let (status, body) = h.call(Some("planner"), "DELETE", &uri, "").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("finished"))
    );
    // A plan is one solve: it cannot be cancelled, and says so.
    let (_, plan) = h
        .call(Some("fra"), "POST", "/api/v1/jobs", r#"{"kind": "plan"}"#)
        .await;
    let (status, body) = h
        .call(
            Some("fra"),
            "DELETE",
            &format!("/api/v1/jobs/{}", plan["id"]),
            "",
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_cancellable"))
    );
}
