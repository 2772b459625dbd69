//! The access-control matrix: every role, every endpoint, their own nation's and another's — each answer is
//! allowed or refused as written here (not as the code's own table says), and no answer to anyone carries a
//! pledge or caveat that is not releasable to them.

mod common;

use std::collections::BTreeMap;

use axum::http::StatusCode;
use common::{CSV, USERS, harness};
use guarantor_core::{Offer, Pledge};
use serde_json::Value;

/// Allowed (`Y`) or refused (`N`) for planner, monitor, fra, deu, observer, in that order.
struct Row {
    method: &'static str,
    uri: &'static str,
    body: &'static str,
    allowed: &'static str,
}

const FRA_PLEDGE: &str = r#"{"id": "fra-matrix-WHO", "nation": "FRA", "kind": "units", "capability": "engineer_coy",
    "count": 1, "notice_days": 10, "restricted": true, "source": "test"}"#;
const DEU_PLEDGE: &str = r#"{"id": "deu-matrix-WHO", "nation": "DEU", "kind": "units", "capability": "engineer_coy",
    "count": 1, "notice_days": 10, "source": "test"}"#;

const ROWS: &[Row] = &[
    Row {
        method: "GET",
        uri: "/api/v1/me",
        body: "",
        allowed: "YYYYY",
    },
    Row {
        method: "GET",
        uri: "/api/v1/scenarios",
        body: "",
        allowed: "YYYYY",
    },
    Row {
        method: "GET",
        uri: "/api/v1/scenarios/Reassurance%20Force%20Ukraine/versions",
        body: "",
        allowed: "YYYYY",
    },
    Row {
        method: "GET",
        uri: "/api/v1/scenario?version=1",
        body: "",
        allowed: "YYYYY",
    },
    Row {
        method: "GET",
        uri: "/api/v1/pledges?version=1",
        body: "",
        allowed: "YNYYN",
    },
    Row {
        method: "GET",
        uri: "/api/v1/plan?version=1",
        body: "",
        allowed: "YNYYN",
    },
    Row {
        method: "GET",
        uri: "/api/v1/respond?version=1&contingency=offensive-zaporizhzhia&world=deu_bundestag_mandate=true",
        body: "",
        allowed: "YNYYN",
    },
    Row {
        method: "GET",
        uri: "/api/v1/plan/published",
        body: "",
        allowed: "YYYYY",
    },
    Row {
        method: "POST",
        uri: "/api/v1/plan/published?version=1",
        body: "",
        allowed: "YNNNN",
    },
    Row {
        method: "POST",
        uri: "/api/v1/jobs",
        body: r#"{"kind": "plan", "version": 1}"#,
        allowed: "YNYYN",
    },
    Row {
        method: "POST",
        uri: "/api/v1/jobs",
        body: r#"{"kind": "compare", "version": 1}"#,
        allowed: "YNNNN",
    },
    Row {
        method: "GET",
        uri: "/api/v1/courses/training-demining/plan?version=1",
        body: "",
        allowed: "YNNNN",
    },
    Row {
        method: "GET",
        uri: "/api/v1/incidents",
        body: "",
        allowed: "YYYYY",
    },
    Row {
        method: "GET",
        uri: "/api/v1/reports/daily?day=2027-01-10",
        body: "",
        allowed: "YYYYY",
    },
    Row {
        method: "GET",
        uri: "/api/v1/audit",
        body: "",
        allowed: "YNNNN",
    },
    Row {
        method: "GET",
        uri: "/api/v1/users",
        body: "",
        allowed: "YNNNN",
    },
    Row {
        method: "POST",
        uri: "/api/v1/reports?format=csv",
        body: CSV,
        allowed: "YYNNN",
    },
    // Own nation and another's: FRA's pledge by FRA (and planners), DEU's by DEU (and planners).
    Row {
        method: "POST",
        uri: "/api/v1/pledges",
        body: FRA_PLEDGE,
        allowed: "YNYNN",
    },
    Row {
        method: "POST",
        uri: "/api/v1/pledges",
        body: DEU_PLEDGE,
        allowed: "YNNYN",
    },
    Row {
        method: "PUT",
        uri: "/api/v1/pledges/fra-mech-inf",
        body: "FRA_EXISTING",
        allowed: "YNYNN",
    },
    Row {
        method: "DELETE",
        uri: "/api/v1/pledges/deu-matrix-WHO",
        body: "",
        allowed: "YNNYN",
    },
    Row {
        method: "PUT",
        uri: "/api/v1/pledges/deu-hq",
        body: "DEU_EXISTING",
        allowed: "YNNYN",
    },
    Row {
        method: "POST",
        uri: "/api/v1/scenarios",
        body: "SCENARIO",
        allowed: "YNNNN",
    },
];

/// Whether `who` may see restricted pledge `p`.
fn sees(who: &str, p: &Pledge) -> bool {
    who == "planner"
        || USERS
            .iter()
            .any(|(n, _, nation)| *n == who && *nation == Some(p.nation.as_str()))
}

/// Texts that would tell a restricted pledge (or restricted caveats) to someone not cleared for it.
fn secrets(scenario: &guarantor_core::Scenario, who: &str) -> Vec<String> {
    let mut out = Vec::new();
    for p in &scenario.pledges {
        if p.restricted && !sees(who, p) {
            out.push(format!("\"{}\"", p.id));
            out.push(format!("{} ", p.id));
            out.push(format!(">{}<", p.id));
            out.push(format!("{},", p.id));
            if let Offer::Materiel { item, .. } = &p.offer {
                out.push(item.clone());
            }
        }
    }
    out
}

#[tokio::test]
async fn every_role_on_every_endpoint_for_its_own_nation_and_another() {
    let h = harness();
    let scenario = guarantor_scenario::check(&guarantor_scenario::SourceSet::builtin_default())
        .scenario
        .expect("the default scenario");
    // Something to read: a published plan, incidents.
    assert_eq!(
        h.call(
            Some("planner"),
            "POST",
            "/api/v1/plan/published?version=1",
            ""
        )
        .await
        .0,
        StatusCode::CREATED
    );
    assert_eq!(
        h.call(Some("planner"), "POST", "/api/v1/reports?format=csv", CSV)
            .await
            .0,
        StatusCode::CREATED
    );
    let (_, all) = h
        .call(Some("planner"), "GET", "/api/v1/pledges?version=1", "")
        .await;
    let existing = |id: &str| {
        all["pledges"]
            .as_array()
            .expect("pledges")
            .iter()
            .find(|p| p["id"] == id)
            .expect("the pledge")
            .to_string()
    };
    let files: serde_json::Map<String, Value> = guarantor_scenario::SourceSet::builtin_default()
        .iter()
        .map(|(p, t)| (p.to_owned(), serde_json::json!(t)))
        .collect();
    let scenario_body = serde_json::json!({ "files": files }).to_string();

    let mut answers: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut failures = Vec::new();
    for row in ROWS {
        let body = match row.body {
            "FRA_EXISTING" => existing("fra-mech-inf"),
            "DEU_EXISTING" => existing("deu-hq"),
            "SCENARIO" => scenario_body.clone(),
            b => b.to_owned(),
        };
        // Anonymous: refused, always (a page sends the browser to the login page).
        let page = !row.uri.starts_with("/api/");
        let (status, value) = h
            .call(
                None,
                row.method,
                &row.uri.replace("WHO", "anonymous"),
                &body,
            )
            .await;
        let refused = if page {
            status == StatusCode::SEE_OTHER
        } else {
            status == StatusCode::UNAUTHORIZED && value["error"]["code"] == "unauthenticated"
        };
        if !refused {
            failures.push(format!(
                "anonymous {} {}: {status} {value}",
                row.method, row.uri
            ));
        }
        for ((who, _, _), allowed) in USERS.iter().zip(row.allowed.chars()) {
            // Each creates a pledge of its own id.
            let body = body.replace("WHO", who);
            let uri = row.uri.replace("WHO", who);
            let (status, value) = h.call(Some(who), row.method, &uri, &body).await;
            let ok = match allowed {
                'Y' => status.is_success(),
                _ if page => status == StatusCode::FORBIDDEN,
                _ => status == StatusCode::FORBIDDEN && value["error"]["code"] == "forbidden",
            };
            if !ok {
                failures.push(format!(
                    "{who} {} {}: expected {allowed}, got {status} {value}",
                    row.method, row.uri
                ));
            }
            answers.entry(who).or_default().push(match value {
                Value::String(html) => html,
                v => v.to_string(),
            });
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Nothing leaks: no answer to anyone names a restricted pledge of another nation, or its stockpile.
    for (who, texts) in &answers {
        for secret in secrets(&scenario, who) {
            for t in texts {
                assert!(
                    !t.contains(&secret),
                    "{who} was shown {secret}: {}",
                    &t[..t.len().min(300)]
                );
            }
        }
    }
    // Restricted caveats: DEU sees POL's engineer pledge, not its caveats; POL's planners would.
    let (_, deu) = h
        .call(Some("deu"), "GET", "/api/v1/pledges?version=1", "")
        .await;
    let pol = deu["pledges"]
        .as_array()
        .expect("pledges")
        .iter()
        .find(|p| p["id"] == "pol-engineer")
        .expect("shown");
    assert_eq!(
        (pol["caveats"].is_null(), pol["caveats_withheld"].as_bool()),
        (true, Some(true)),
        "{pol}"
    );
    let pol_all = all["pledges"]
        .as_array()
        .expect("pledges")
        .iter()
        .find(|p| p["id"] == "pol-engineer")
        .expect("shown");
    assert_eq!(pol_all["caveats"]["restricted"], true);

    // The plan's totals are the same for everyone; what is withheld is counted under `withheld` (in the world
    // where every fact holds, restricted pledges are sourced).
    let every: Vec<String> = scenario
        .facts
        .iter()
        .map(|f| format!("{}=true", f.id))
        .collect();
    let uri = format!("/api/v1/plan?world={}", every.join(","));
    let (_, full) = h.call(Some("planner"), "GET", &uri, "").await;
    let (_, seen) = h.call(Some("deu"), "GET", &uri, "").await;
    let (_, own) = h.call(Some("fra"), "GET", &uri, "").await;
    assert_eq!(full["sourcing"]["totals"], seen["sourcing"]["totals"]);
    let troops = |plan: &Value, nation: &str| {
        plan["sourcing"]["nations"]
            .as_array()
            .expect("nations")
            .iter()
            .find(|n| n["nation"] == nation)
            .and_then(|n| n["troops"].as_u64())
            .unwrap_or(0)
    };
    let sum = |plan: &Value| {
        plan["sourcing"]["nations"]
            .as_array()
            .expect("nations")
            .iter()
            .map(|n| n["troops"].as_u64().unwrap_or(0))
            .sum::<u64>()
    };
    assert_eq!(sum(&full), sum(&seen));
    // What DEU may not see, from the planner's plan: troops of restricted pledges of other nations.
    let (_, pledges) = h.call(Some("planner"), "GET", "/api/v1/pledges", "").await;
    let restricted: BTreeMap<String, String> = pledges["pledges"]
        .as_array()
        .expect("pledges")
        .iter()
        .filter(|p| p["restricted"] == true && p["nation"] != "DEU")
        .map(|p| {
            (
                p["id"].as_str().expect("id").to_owned(),
                p["nation"].as_str().expect("nation").to_owned(),
            )
        })
        .collect();
    let mut hidden: BTreeMap<String, u64> = BTreeMap::new();
    for line in full["sourcing"]["lines"].as_array().expect("lines") {
        for a in line["assignments"].as_array().expect("assignments") {
            if let Some(nation) = restricted.get(a["pledge"].as_str().expect("pledge")) {
                *hidden.entry(nation.clone()).or_default() += a["troops"].as_u64().expect("troops");
            }
        }
    }
    assert!(
        hidden.values().sum::<u64>() > 0,
        "some restricted pledge of another nation is sourced"
    );
    for (nation, t) in &hidden {
        assert_eq!(troops(&seen, nation), troops(&full, nation) - t, "{nation}");
    }
    assert_eq!(troops(&seen, "withheld"), hidden.values().sum::<u64>());
    // `withheld` is no nation: a site counts only the nations it names (issue #21).
    for site in seen["sourcing"]["sites"].as_array().expect("sites") {
        let named = site["nations"]
            .as_array()
            .expect("nations")
            .iter()
            .filter(|n| n[0] != "withheld")
            .count();
        assert_eq!(
            site["nations_present"].as_u64(),
            Some(named as u64),
            "{site}"
        );
    }
    // Whatever is withheld is withheld whole: no nation, home, depot or caveat of it is told.
    for r in seen["reinforcement"].as_array().expect("reinforcement") {
        if r["source"]
            .as_str()
            .is_some_and(|s| s.contains("withheld-"))
        {
            assert_eq!(r["nation"], "withheld", "{r}");
        }
    }
    for u in seen["movement"]["units"].as_array().expect("units") {
        if u["pledge"]
            .as_str()
            .is_some_and(|p| p.starts_with("withheld-"))
        {
            assert_eq!(
                (
                    u["nation"].as_str(),
                    u["origin"].as_str().unwrap_or("withheld")
                ),
                (Some("withheld"), "withheld"),
                "{u}"
            );
        }
    }
    for line in seen["sourcing"]["lines"].as_array().expect("lines") {
        for r in line["shortfall_reasons"].as_array().expect("reasons") {
            let m = r["message"].as_str().expect("a message");
            for part in m.split("withheld-").skip(1) {
                let after = part.trim_start_matches(|c: char| c.is_ascii_digit());
                assert!(
                    !after.starts_with(" (") || after.starts_with(" (caveats restricted)"),
                    "{m}"
                );
            }
        }
    }
    // FRA's own view of FRA is whole.
    assert_eq!(troops(&own, "FRA"), troops(&full, "FRA"));
    // Each nation's figure, to DEU, is the sum of the assignments DEU is shown.
    let mut by_nation: BTreeMap<String, u64> = BTreeMap::new();
    for line in seen["sourcing"]["lines"].as_array().expect("lines") {
        for a in line["assignments"].as_array().expect("assignments") {
            *by_nation
                .entry(a["nation"].as_str().expect("a nation").to_owned())
                .or_default() += a["troops"].as_u64().expect("troops");
        }
    }
    for (nation, t) in &by_nation {
        assert_eq!(troops(&seen, nation), *t, "{nation}");
    }
}

#[tokio::test]
async fn a_job_is_seen_by_its_owner_and_planners_only_and_released_to_each() {
    let h = harness();
    let (status, started) = h
        .call(Some("deu"), "POST", "/api/v1/jobs", r#"{"kind": "plan"}"#)
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    let href = started["href"].as_str().expect("href").to_owned();
    let done = h.job_ended("deu", &href).await;
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(done["progress"]["done"], done["progress"]["total"]);
    assert!(
        !done["result"]
            .to_string()
            .contains("fra-mech-inf-reinforcement")
    );
    let (status, _) = h.call(Some("fra"), "GET", &href, "").await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another user's job is not there for fra"
    );
    let (_, planner) = h.call(Some("planner"), "GET", &href, "").await;
    assert!(
        planner["result"]
            .to_string()
            .contains("fra-mech-inf-reinforcement")
    );
}

#[tokio::test]
async fn courses_of_action_are_for_planners_and_each_option_links_to_its_plan() {
    let h = harness();
    let (status, body) = h
        .call(
            Some("fra"),
            "POST",
            "/api/v1/jobs",
            r#"{"kind": "compare"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.to_string().contains("for planners"), "{body}");
    for path in ["/compare", "/courses/backstop"] {
        let fra = h.request(Some("fra"), "GET", path, "", &[]).await;
        assert_eq!(fra.status, StatusCode::FORBIDDEN, "{path}");
    }
    let planner = h.request(Some("planner"), "GET", "/compare", "", &[]).await;
    assert_eq!(planner.status, StatusCode::OK);
    let page = planner.body.as_str().unwrap_or_default();
    assert!(
        page.contains("id=\"compare\"") && page.contains("href=\"/compare\""),
        "{page}"
    );
    // An option's plan, as the API gives it, is the course's plan: its requirements, not the scenario's.
    let (status, plan) = h
        .call(
            Some("planner"),
            "GET",
            "/api/v1/courses/training-demining/plan",
            "",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    let lines = plan["sourcing"]["lines"].as_array().expect("lines");
    assert!(
        lines.iter().all(|l| l["requirement"]
            .as_str()
            .unwrap_or_default()
            .starts_with("tr-")),
        "{plan}"
    );
    let page = h
        .request(
            Some("planner"),
            "GET",
            "/courses/backstop?world=pol_ground_troops%3Dtrue",
            "",
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.body.as_str().unwrap_or_default();
    assert!(
        text.contains("Backstop from Poland and Romania")
            && text.contains("pol_ground_troops=true"),
        "{text}"
    );
    let (status, _) = h
        .call(Some("planner"), "GET", "/api/v1/courses/nonesuch/plan", "")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_response_what_if_is_for_planners() {
    let h = harness();
    let (status, body) = h
        .call(
            Some("fra"),
            "POST",
            "/api/v1/jobs",
            r#"{"kind": "respond-whatif"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.to_string().contains("for planners"), "{body}");
    let fra = h
        .request(Some("fra"), "GET", "/respond/whatif", "", &[])
        .await;
    assert_eq!(fra.status, StatusCode::FORBIDDEN);
    let planner = h
        .request(Some("planner"), "GET", "/respond/whatif", "", &[])
        .await;
    assert_eq!(planner.status, StatusCode::OK);
    let page = planner.body.as_str().unwrap_or_default();
    assert!(page.contains("id=\"respond-whatif\""), "{page}");
    assert!(page.contains("href=\"/respond/whatif\""), "{page}");
}
