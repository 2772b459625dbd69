//! What the server promises about security, one test per promise (issue #21), beside the access matrix of
//! `access.rs`:
//!
//! - **Revocation is immediate and complete.** Disabling an account, setting its password, revoking one of its
//!   tokens or ending its sessions takes effect on the next request — whoever made the change: this server's
//!   API, another server over the same database, or `guarantor user` in another process. Enabling an account
//!   again never brings back a token or session it had before. Only planners manage accounts over the API.
//! - **Behind a reverse proxy the login limits count each client, not the proxy**: with `--trusted-proxy`, a
//!   request from the proxy is from the client its `X-Forwarded-For` names; from anyone else the header is not
//!   believed (it cannot be used to dodge the limits).
//! - **Every version is released by the same rule**: a pledge restricted in the version asked, or in the last
//!   version that holds it (restricted since, or restricted and then deleted), is withheld from other nations
//!   in every answer about that version — its summary, pledges and plan (the property test below edits at
//!   random and reads every version); a plan job read after a later restriction is released by it.
//! - **A refused edit is told in its own text**: a 422's problems point into the pledge's `[[pledge]]` table as
//!   the edit wrote it (`details.text`), the same whatever other nations added before it; a problem elsewhere
//!   is told to a liaison officer only as a conflict outside its pledge (planners see where).
//! - **Withheld troops are no nation**: `sites[].nations_present` never counts `withheld` (`access.rs`), and a
//!   withheld unit or stockpile carries no day of its own (its notice and hidden home would tell its nation).
//! - **Headers**: every answer — pages, downloads, JSON, errors — carries a strict Content-Security-Policy (the
//!   dashboard's one script by its hash, nothing from elsewhere, never framed), `nosniff`, a referrer only to
//!   the server itself (`same-origin`),
//!   `X-Frame-Options: DENY` and `Cache-Control: no-store`.
//! - **A login under a name no account can have is refused before anything counts or keeps it.**
//! - **The login form is taken only from the server's own pages**: a form posted with another site's `Origin`
//!   is refused (login CSRF) — the `Host` asked for, or the `--public-origin` set behind a proxy.
//! - **Every error keeps the JSON shape** with a stable code — a body too large (413) or of the wrong type
//!   (415) too; the dashboard's forms answer the same statuses as a page — and a request out of range is the
//!   caller's error (4xx), never the server's (500).
//! - **Another authorization scheme is not ours**: a proxy's `Authorization: Basic …` beside a session cookie
//!   leaves the session to say who calls.

mod common;

use axum::http::StatusCode;
use common::{harness, password};

/// The time of a change made from the command line's side.
fn now() -> jiff::Timestamp {
    jiff::Timestamp::now()
}

#[tokio::test]
async fn an_account_disabled_by_another_process_is_refused_at_the_next_request() {
    let h = harness();
    let token = h.tokens["deu"].clone();
    let (cookie, csrf) = h.login("deu", &password("deu")).await.expect("logs in");
    assert_eq!(h.me_by_token(&token).await, StatusCode::OK);
    assert_eq!(h.me_by_cookie(&cookie).await, StatusCode::OK);

    // `guarantor user disable deu`, in another process.
    let mut cli = h.other_process();
    guarantor_app::disable_user(&mut *cli, "deu", "cli", now()).expect("disables");
    assert_eq!(h.me_by_token(&token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(h.me_by_cookie(&cookie).await, StatusCode::UNAUTHORIZED);
    // No write either, by token or by session.
    let pledge = r#"{"id": "deu-after-disable", "nation": "DEU", "kind": "units", "capability": "engineer_coy",
                     "count": 1, "notice_days": 10, "source": "test"}"#;
    let (status, _) = h.call(Some("deu"), "POST", "/api/v1/pledges", pledge).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let by_session = [("cookie", cookie.as_str()), ("x-csrf-token", csrf.as_str())];
    let a = h
        .request(None, "POST", "/api/v1/pledges", pledge, &by_session)
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        h.login("deu", &password("deu")).await,
        Err(StatusCode::UNAUTHORIZED)
    );

    // Enabled again: the password works; the old token and session do not come back.
    guarantor_app::enable_user(&mut *cli, "deu", "cli", now()).expect("enables");
    assert_eq!(h.me_by_token(&token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(h.me_by_cookie(&cookie).await, StatusCode::UNAUTHORIZED);
    let (fresh, _) = h.login("deu", &password("deu")).await.expect("logs in");
    assert_eq!(h.me_by_cookie(&fresh).await, StatusCode::OK);
    // Re-creating the account with a new password (`user add`) does not bring them back either.
    let role = guarantor_app::Role::parse("liaison", Some("DEU")).expect("a role");
    guarantor_app::put_user(
        &mut *cli,
        "deu",
        &role,
        "another long password",
        "cli",
        now(),
    )
    .expect("replaces");
    assert_eq!(h.me_by_token(&token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(h.me_by_cookie(&fresh).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_change_through_one_server_holds_at_once_on_another_over_the_same_database() {
    let a = harness();
    let b = a.twin();
    let token = a.tokens["fra"].clone();
    assert_eq!(a.me_by_token(&token).await, StatusCode::OK);
    assert_eq!(b.me_by_token(&token).await, StatusCode::OK);
    let (status, body) = b
        .call(Some("planner"), "POST", "/api/v1/users/fra/disable", "")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(a.me_by_token(&token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(b.me_by_token(&token).await, StatusCode::UNAUTHORIZED);
    let (status, _) = a
        .call(Some("planner"), "POST", "/api/v1/users/fra/enable", "")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(b.me_by_token(&token).await, StatusCode::UNAUTHORIZED);
    assert!(b.login("fra", &password("fra")).await.is_ok());
}

#[tokio::test]
async fn a_new_password_ends_the_old_one_its_tokens_and_its_sessions() {
    let h = harness();
    let token = h.tokens["fra"].clone();
    let (cookie, _) = h.login("fra", &password("fra")).await.expect("logs in");
    let (status, body) = h
        .call(
            Some("planner"),
            "PUT",
            "/api/v1/users/fra/password",
            r#"{"password": "a brand new password"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(h.me_by_token(&token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(h.me_by_cookie(&cookie).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        h.login("fra", &password("fra")).await,
        Err(StatusCode::UNAUTHORIZED)
    );
    assert!(h.login("fra", "a brand new password").await.is_ok());
    // A short password is refused, and changes nothing.
    let (status, body) = h
        .call(
            Some("planner"),
            "PUT",
            "/api/v1/users/fra/password",
            r#"{"password": "short"}"#,
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_body"))
    );
    assert!(h.login("fra", "a brand new password").await.is_ok());
}

#[tokio::test]
async fn one_token_is_revoked_by_its_label_and_every_session_can_be_ended() {
    let h = harness();
    let mut cli = h.other_process();
    let laptop =
        guarantor_app::new_token(&mut *cli, "fra", "laptop", "cli", now()).expect("a token");
    let (cookie, _) = h.login("fra", &password("fra")).await.expect("logs in");
    let (status, body) = h
        .call(
            Some("planner"),
            "DELETE",
            "/api/v1/users/fra/tokens/test",
            "",
        )
        .await;
    assert_eq!((status, &body["revoked"]), (StatusCode::OK, &1.into()));
    assert_eq!(
        h.me_by_token(&h.tokens["fra"]).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(h.me_by_token(&laptop).await, StatusCode::OK);
    assert_eq!(h.me_by_cookie(&cookie).await, StatusCode::OK);
    // No token under that label any more.
    let (status, body) = h
        .call(
            Some("planner"),
            "DELETE",
            "/api/v1/users/fra/tokens/test",
            "",
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    // Every session ends; the remaining token goes on.
    let (status, body) = h
        .call(Some("planner"), "POST", "/api/v1/users/fra/logout-all", "")
        .await;
    assert_eq!(
        (status, &body["sessions_ended"]),
        (StatusCode::OK, &1.into())
    );
    assert_eq!(h.me_by_cookie(&cookie).await, StatusCode::UNAUTHORIZED);
    assert_eq!(h.me_by_token(&laptop).await, StatusCode::OK);
    // From the command line's side too.
    guarantor_app::revoke_token(&mut *cli, "fra", "laptop", "cli", now()).expect("revokes");
    assert_eq!(h.me_by_token(&laptop).await, StatusCode::UNAUTHORIZED);
    // Each change has its audit line, naming who made it.
    let (_, log) = h.call(Some("planner"), "GET", "/api/v1/audit", "").await;
    let actions: Vec<(String, String)> = log["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            (
                e["actor"].as_str().unwrap_or_default().to_owned(),
                e["action"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    for expected in [
        ("planner", "token.revoke"),
        ("planner", "user.logout_all"),
        ("cli", "token.revoke"),
    ] {
        assert!(
            actions
                .iter()
                .any(|(a, b)| (a.as_str(), b.as_str()) == expected),
            "{expected:?} in {actions:?}"
        );
    }
}

#[tokio::test]
async fn only_planners_manage_accounts() {
    let h = harness();
    for who in ["monitor", "fra", "deu", "observer"] {
        for (method, uri, body) in [
            ("POST", "/api/v1/users/planner/disable", ""),
            ("POST", "/api/v1/users/deu/enable", ""),
            ("POST", "/api/v1/users/planner/logout-all", ""),
            ("DELETE", "/api/v1/users/planner/tokens/test", ""),
            (
                "PUT",
                "/api/v1/users/planner/password",
                r#"{"password": "taken over by someone"}"#,
            ),
        ] {
            let (status, _) = h.call(Some(who), method, uri, body).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{who}: {method} {uri}");
        }
    }
    assert_eq!(h.me_by_token(&h.tokens["planner"]).await, StatusCode::OK);
    let (status, _) = h.call(None, "POST", "/api/v1/users/deu/disable", "").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = h
        .call(Some("planner"), "POST", "/api/v1/users/nobody/disable", "")
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
}

#[tokio::test]
async fn errors_keep_the_json_shape_and_out_of_range_is_never_a_500() {
    let h = harness();
    for (uri, status, code) in [
        ("/api/v1/jobs/abc", StatusCode::NOT_FOUND, "not_found"),
        (
            "/api/v1/jobs/99999999999999999999999",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "/api/v1/reports/daily?day=9999-12-31",
            StatusCode::BAD_REQUEST,
            "bad_day",
        ),
        (
            "/api/v1/reports/daily?day=0001-01-01",
            StatusCode::BAD_REQUEST,
            "bad_day",
        ),
        (
            "/api/v1/reports/daily?day=tomorrow",
            StatusCode::BAD_REQUEST,
            "bad_day",
        ),
        (
            "/api/v1/incidents?since=2026-12-10&until=2026-12-01",
            StatusCode::BAD_REQUEST,
            "bad_time",
        ),
    ] {
        let (got, body) = h.call(Some("planner"), "GET", uri, "").await;
        assert_eq!(
            (got, body["error"]["code"].as_str()),
            (status, Some(code)),
            "{uri}: {body}"
        );
    }
}

#[tokio::test]
async fn bodies_of_the_wrong_type_or_size_keep_the_error_shape() {
    let h = harness();
    let pledge = test_pledge("fra-typed", "FRA", false);
    // JSON sent as text: 415 bad_content_type, in the JSON shape.
    let a = h
        .request(
            Some("fra"),
            "POST",
            "/api/v1/pledges",
            &pledge,
            &[("content-type", "text/plain")],
        )
        .await;
    assert_eq!(
        (a.status, a.body["error"]["code"].as_str()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, Some("bad_content_type")),
        "{}",
        a.body
    );
    // Over the limit: 413 too_large.
    let huge = format!("{{\"id\": \"{}\"}}", "x".repeat(17 * 1024 * 1024));
    let (status, body) = h.call(Some("fra"), "POST", "/api/v1/pledges", &huge).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("too_large"))
    );
    // A dashboard form sent as something else than a form: the dashboard's page, with the status and what is
    // wrong — not a bare line of plain text.
    let (cookie, _) = h.login("fra", &password("fra")).await.expect("logs in");
    let a = h
        .request(
            None,
            "POST",
            "/pledges",
            "{}",
            &[("cookie", cookie.as_str())],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let page = a.body.as_str().unwrap_or_default();
    assert!(
        page.contains("<div class=\"error\">") && page.contains("Content-Type"),
        "{page:.400}"
    );
}

/// `GET /api/v1/me` with `headers` and no token.
async fn me_with(h: &common::Harness, headers: &[(&str, &str)]) -> common::Answer {
    h.request(None, "GET", "/api/v1/me", "", headers).await
}

#[tokio::test]
async fn another_authorization_scheme_leaves_the_session_to_say_who_calls() {
    let h = harness();
    let (cookie, _) = h.login("fra", &password("fra")).await.expect("logs in");
    // A proxy's Basic authentication beside the session cookie.
    let a = me_with(
        &h,
        &[
            ("cookie", cookie.as_str()),
            ("authorization", "Basic cHJveHk6c2VjcmV0"),
        ],
    )
    .await;
    assert_eq!(
        (a.status, a.body["name"].as_str()),
        (StatusCode::OK, Some("fra"))
    );
    // Without a session it says what it expected.
    let a = me_with(&h, &[("authorization", "Basic cHJveHk6c2VjcmV0")]).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(
        a.body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("Bearer")),
        "{}",
        a.body
    );
    // A bearer token is taken in any case of the scheme's name.
    let a = me_with(
        &h,
        &[(
            "authorization",
            format!("bearer {}", h.tokens["deu"]).as_str(),
        )],
    )
    .await;
    assert_eq!(
        (a.status, a.body["name"].as_str()),
        (StatusCode::OK, Some("deu"))
    );
}

/// Five bad passwords for `name` as the client `client` (through `peer`, with `forwarded` as X-Forwarded-For).
async fn fail_logins(h: &common::Harness, name: &str, peer: &str, forwarded: Option<&str>) {
    for _ in 0..5 {
        let status = login_from(h, name, "not the password", peer, forwarded).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
}

/// A login for `name` from `peer` (with `forwarded` as X-Forwarded-For): its status.
async fn login_from(
    h: &common::Harness,
    name: &str,
    password: &str,
    peer: &str,
    forwarded: Option<&str>,
) -> StatusCode {
    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use tower::ServiceExt;
    let body = serde_json::json!({"name": name, "password": password}).to_string();
    let mut request = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/login")
        .header("content-type", "application/json");
    if let Some(f) = forwarded {
        request = request.header("x-forwarded-for", f);
    }
    let mut request = request.body(Body::from(body)).expect("a request");
    let peer: std::net::SocketAddr = format!("{peer}:40000").parse().expect("an address");
    request.extensions_mut().insert(ConnectInfo(peer));
    guarantor_server::router(h.state.clone())
        .oneshot(request)
        .await
        .expect("an answer")
        .status()
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_login_limits_count_each_client() {
    let h = harness();
    h.state
        .trust_proxies(vec!["10.0.0.1".parse().expect("an address")])
        .expect("set once");
    // A client that guesses fra's password is held off, through the proxy...
    fail_logins(&h, "fra", "10.0.0.1", Some("203.0.113.5")).await;
    assert_eq!(
        login_from(&h, "fra", &password("fra"), "10.0.0.1", Some("203.0.113.5")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // ...while fra, from another client through the same proxy, logs in.
    assert_eq!(
        login_from(
            &h,
            "fra",
            &password("fra"),
            "10.0.0.1",
            Some("198.51.100.7")
        )
        .await,
        StatusCode::OK
    );
    // A client behind another proxy of its own: the last address that is not a trusted proxy counts.
    assert_eq!(
        login_from(
            &h,
            "fra",
            &password("fra"),
            "10.0.0.1",
            Some("203.0.113.5, 192.0.2.44")
        )
        .await,
        StatusCode::OK
    );
    // From anywhere but the proxy, X-Forwarded-For is not believed: the peer is held off, whatever it says.
    fail_logins(&h, "deu", "192.0.2.9", Some("198.51.100.1")).await;
    assert_eq!(
        login_from(
            &h,
            "deu",
            &password("deu"),
            "192.0.2.9",
            Some("198.51.100.2")
        )
        .await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        login_from(&h, "deu", &password("deu"), "192.0.2.10", None).await,
        StatusCode::OK
    );
    // Set once.
    assert!(h.state.trust_proxies(Vec::new()).is_err());
}

#[tokio::test]
async fn a_name_no_account_can_have_is_refused_uncounted_and_unkept() {
    let h = harness();
    // Far more tries than the limits allow, each under a name no account can have (and large: a server that
    // kept such names could be made to hold gigabytes).
    let long = "x".repeat(100_000);
    for name in [long.as_str(), "a b", "x/../y"].iter().cycle().take(60) {
        let body = serde_json::json!({"name": name, "password": "whatever"}).to_string();
        let (status, answer) = h.call(None, "POST", "/api/v1/login", &body).await;
        assert_eq!(
            (status, answer["error"]["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("bad_credentials"))
        );
    }
    // None of them counted against this address: a real login from it goes through.
    let right = format!(r#"{{"name": "deu", "password": "{}"}}"#, password("deu"));
    assert_eq!(
        h.call(None, "POST", "/api/v1/login", &right).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let h = harness();
    for (who, uri) in [
        (Some("planner"), "/"),
        (Some("monitor"), "/incidents"),
        (Some("planner"), "/api/v1/plan"),
        (None, "/api/v1/health"),
        (None, "/login"),
        (None, "/api/v1/me"),
        (Some("planner"), "/api/v1/nowhere"),
    ] {
        let a = h.request(who, "GET", uri, "", &[]).await;
        let header = |name: &str| {
            a.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let csp = header("content-security-policy");
        for part in [
            "default-src 'none'",
            "script-src 'sha256-",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ] {
            assert!(csp.contains(part), "{uri}: {part} in {csp:?}");
        }
        assert_eq!(header("x-content-type-options"), "nosniff", "{uri}");
        assert_eq!(header("x-frame-options"), "DENY", "{uri}");
        assert_eq!(header("referrer-policy"), "same-origin", "{uri}");
        assert_eq!(header("cache-control"), "no-store", "{uri}");
    }
    // The one script the incidents page runs is the one the policy allows.
    let page = h
        .request(Some("monitor"), "GET", "/incidents", "", &[])
        .await;
    let html = page.body.as_str().expect("a page");
    let script = html
        .split("<script>")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("the upload script");
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script));
    let csp = page.headers["content-security-policy"]
        .to_str()
        .expect("text");
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
    assert_eq!(html.matches("<script").count(), 1);
}

#[tokio::test]
async fn the_login_form_is_taken_only_from_the_servers_own_pages() {
    let h = harness();
    let form = format!("name=fra&password={}", password("fra").replace(' ', "+"));
    let post = |origin: Option<&'static str>| {
        let form = form.clone();
        let h = &h;
        async move {
            let mut headers = vec![
                ("content-type", "application/x-www-form-urlencoded"),
                ("host", "guarantor.example.org"),
            ];
            if let Some(o) = origin {
                headers.push(("origin", o));
            }
            let a = h.request(None, "POST", "/login", form, &headers).await;
            (a.status, a.headers.contains_key("set-cookie"))
        }
    };
    assert_eq!(
        post(Some("https://evil.example.com")).await,
        (StatusCode::FORBIDDEN, false)
    );
    assert_eq!(
        post(Some("https://guarantor.example.org")).await,
        (StatusCode::SEE_OTHER, true)
    );
    assert_eq!(post(None).await, (StatusCode::SEE_OTHER, true));
    // Behind a proxy on another port that passes `Host` without it (nginx's `$host`), the configured public
    // origin is the one taken.
    assert_eq!(
        post(Some("https://guarantor.example.org:8443")).await,
        (StatusCode::FORBIDDEN, false)
    );
    assert!(
        h.state
            .set_public_origin("https://guarantor.example.org/x")
            .is_err()
    );
    h.state
        .set_public_origin("https://Guarantor.example.org:8443/")
        .expect("an origin");
    assert_eq!(
        post(Some("https://guarantor.example.org:8443")).await,
        (StatusCode::SEE_OTHER, true)
    );
    for other in [
        "https://guarantor.example.org",
        "http://guarantor.example.org:8443",
    ] {
        assert_eq!(
            post(Some(other)).await,
            (StatusCode::FORBIDDEN, false),
            "{other}"
        );
    }
    assert!(
        h.state
            .set_public_origin("https://again.example.org")
            .is_err()
    );
}

#[tokio::test]
async fn a_withheld_unit_carries_no_timing_of_its_own() {
    let h = harness();
    let (status, plan) = h.call(Some("deu"), "GET", "/api/v1/plan", "").await;
    assert_eq!(status, StatusCode::OK);
    let movement = &plan["movement"];
    let withheld: Vec<&serde_json::Value> = movement["units"]
        .as_array()
        .expect("units")
        .iter()
        .chain(movement["stockpiles"].as_array().expect("stockpiles"))
        .filter(|u| u["nation"] == "withheld")
        .collect();
    assert!(!withheld.is_empty(), "the default withholds some from DEU");
    for u in &withheld {
        for key in [
            "ready_day",
            "troops_day",
            "tonnes_day",
            "arrival_day",
            "not_closed",
        ] {
            assert!(u[key].is_null(), "{key} of {u}");
        }
    }
    // Planners see every unit's days; the totals DEU sees are the same.
    let (_, all) = h.call(Some("planner"), "GET", "/api/v1/plan", "").await;
    assert!(
        all["movement"]["units"]
            .as_array()
            .expect("units")
            .iter()
            .all(|u| u["ready_day"].is_u64())
    );
    for key in ["closed_troops", "ioc_day", "foc_day"] {
        assert_eq!(movement[key], all["movement"][key], "{key}");
    }
}

#[tokio::test]
async fn a_refused_edit_says_where_in_its_own_text_whatever_others_hid_before_it() {
    let h = harness();
    let bad = test_pledge("fra-bad", "FRA", false).replace("engineer_coy", "engineer_coyy");
    let refused = || async {
        let (status, body) = h.call(Some("fra"), "POST", "/api/v1/pledges", &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        body["error"].clone()
    };
    let first = refused().await;
    let d = &first["details"]["diagnostics"][0];
    assert_eq!(d["file"], "pledge", "{first}");
    assert!(d["line"].as_u64().is_some_and(|l| l < 20), "{first}");
    // DEU hides two pledges (the file grows before FRA's): FRA is told exactly the same.
    for id in ["deu-hidden-1", "deu-hidden-2"] {
        let (status, body) = h
            .call(
                Some("deu"),
                "POST",
                "/api/v1/pledges",
                &test_pledge(id, "DEU", true),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    assert_eq!(refused().await, first);
    // A problem outside its own pledge (cost.toml prices DEU's IRIS-T by its id) is not shown to a liaison
    // officer, only that there is one; a planner sees it where it is.
    let (status, body) = h
        .call(Some("deu"), "DELETE", "/api/v1/pledges/deu-iris-t", "")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let d = &body["error"]["details"]["diagnostics"][0];
    assert_eq!(
        (d["code"].as_str(), d["line"].as_u64()),
        (Some("conflicts-elsewhere"), Some(0)),
        "{body}"
    );
    let (status, body) = h
        .call(Some("planner"), "DELETE", "/api/v1/pledges/deu-iris-t", "")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body["error"]["details"]["diagnostics"][0]["file"], "cost.toml",
        "{body}"
    );
}

/// A pledge of `nation` with `id`, restricted or not.
fn test_pledge(id: &str, nation: &str, restricted: bool) -> String {
    serde_json::json!({
        "id": id, "nation": nation, "kind": "units", "capability": "engineer_coy", "count": 1,
        "notice_days": 10, "status": "confirmed", "restricted": restricted, "source": "test",
    })
    .to_string()
}

/// Creates pledge `id` of `nation` (its liaison officer's account is the nation in lower case): the version.
async fn created(h: &common::Harness, id: &str, nation: &str, restricted: bool) -> u32 {
    let who = nation.to_lowercase();
    let (status, body) = h
        .call(
            Some(&who),
            "POST",
            "/api/v1/pledges",
            &test_pledge(id, nation, restricted),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    u32::try_from(body["version"].as_u64().expect("a version")).expect("small")
}

/// The summary's count of `nation`'s pledges at `version`, as `who` sees it.
async fn counted(h: &common::Harness, who: &str, version: u32, nation: &str) -> u64 {
    let (status, s) = h
        .call(
            Some(who),
            "GET",
            &format!("/api/v1/scenario?version={version}"),
            "",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    s["nations"]
        .as_array()
        .expect("nations")
        .iter()
        .find(|n| n["nation"] == nation)
        .and_then(|n| n["pledges"].as_u64())
        .unwrap_or(0)
}

/// Every text `who` is given about `version`: its summary, its pledges (when `who` may read them) and, when
/// `plan`, its plan.
async fn answers_about(h: &common::Harness, who: &str, version: u32, plan: bool) -> Vec<String> {
    let mut uris = vec![format!("/api/v1/scenario?version={version}")];
    if who != "observer" {
        uris.push(format!("/api/v1/pledges?version={version}"));
        if plan {
            uris.push(format!("/api/v1/plan?version={version}"));
        }
    }
    let mut out = Vec::new();
    for uri in uris {
        let (status, body) = h.call(Some(who), "GET", &uri, "").await;
        assert_eq!(status, StatusCode::OK, "{who} {uri}: {body}");
        out.push(body.to_string());
    }
    out
}

#[tokio::test]
async fn a_pledge_restricted_later_or_deleted_after_is_withheld_in_every_version_before() {
    let h = harness();
    let open = created(&h, "fra-later", "FRA", false).await;
    let before = counted(&h, "deu", open, "FRA").await;
    assert!(
        answers_about(&h, "deu", open, false)
            .await
            .iter()
            .any(|t| t.contains("fra-later")),
        "shown while public"
    );
    // Restricted in the next version: withheld from DEU in both, and counted in neither.
    let (status, body) = h
        .call(
            Some("fra"),
            "PUT",
            "/api/v1/pledges/fra-later",
            &test_pledge("fra-later", "FRA", true),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let restricted = open + 1;
    for v in [open, restricted] {
        assert_eq!(
            counted(&h, "deu", v, "FRA").await,
            before - 1,
            "version {v}"
        );
        for text in answers_about(&h, "deu", v, v == open).await {
            assert!(!text.contains("fra-later"), "version {v}: {text:.300}");
        }
    }
    // FRA and planners still see it in the version where it was public.
    for who in ["fra", "planner"] {
        assert!(
            answers_about(&h, who, open, false)
                .await
                .iter()
                .any(|t| t.contains("fra-later")),
            "{who}"
        );
    }
    // Deleted after being restricted: still withheld in every version before.
    let (status, body) = h
        .call(Some("fra"), "DELETE", "/api/v1/pledges/fra-later", "")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for v in [open, restricted] {
        assert_eq!(
            counted(&h, "deu", v, "FRA").await,
            before - 1,
            "version {v}"
        );
        for text in answers_about(&h, "deu", v, false).await {
            assert!(!text.contains("fra-later"), "version {v}: {text:.300}");
        }
    }
    // Another nation cannot delete it, nor learn whether it exists.
    let (status, _) = h
        .call(Some("deu"), "DELETE", "/api/v1/pledges/fra-mech-inf", "")
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_plan_job_read_after_a_later_restriction_is_released_by_it() {
    let h = harness();
    let open = created(&h, "fra-job", "FRA", false).await;
    let (status, started) = h
        .call(
            Some("deu"),
            "POST",
            "/api/v1/jobs",
            &format!(r#"{{"kind": "plan", "version": {open}}}"#),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    let href = started["href"].as_str().expect("href").to_owned();
    let done = h.job_ended("deu", &href).await;
    assert_eq!(done["status"], "done", "{done}");
    assert!(
        done["result"].to_string().contains("fra-job"),
        "public when planned"
    );
    // FRA restricts it in a later version: the job, read again, is released by that restriction (as
    // `GET /api/v1/plan` of the version is), not refused and not as it was computed.
    let (status, body) = h
        .call(
            Some("fra"),
            "PUT",
            "/api/v1/pledges/fra-job",
            &test_pledge("fra-job", "FRA", true),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let again = h.job_ended("deu", &href).await;
    assert_eq!(again["status"], "done", "{again}");
    let text = again["result"].to_string();
    assert!(!text.contains("fra-job"), "{text:.300}");
    let (status, plan) = h
        .call(
            Some("deu"),
            "GET",
            &format!("/api/v1/plan?version={open}"),
            "",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert_eq!(again["result"]["sourcing"], plan["sourcing"]);
    // FRA may not read DEU's job at all.
    let (status, _) = h.call(Some("fra"), "GET", &href, "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// One edit of the property test: a nation (0 FRA, 1 DEU), one of its two pledge ids, and what it does (0
/// create or update public, 1 restrict, 2 make public, 3 delete).
type Edit = (usize, usize, usize);

/// The test's pledges in one version: id → (nation, restricted).
type Held = std::collections::BTreeMap<String, (&'static str, bool)>;

async fn edits_then_every_version_read(edits: Vec<Edit>, plan_at: usize) {
    const NATIONS: [(&str, &str); 2] = [("FRA", "fra"), ("DEU", "deu")];
    let h = harness();
    let default = guarantor_scenario::check(&guarantor_scenario::SourceSet::builtin_default())
        .scenario
        .expect("the default scenario");
    // The default's pledges each nation shows another (live or waiting, not withdrawn; not restricted).
    let shown_by_default = |nation: &str| {
        default
            .pledges
            .iter()
            .filter(|p| p.nation.as_str() == nation)
            .filter(|p| p.status != guarantor_core::PledgeStatus::Withdrawn && !p.restricted)
            .count() as u64
    };
    let mut versions: Vec<Held> = vec![Held::new()];
    for (n, slot, what) in edits {
        let (nation, user) = NATIONS[n];
        let id = format!("{user}-prop-{slot}");
        let mut held = versions.last().cloned().unwrap_or_default();
        let exists = held.contains_key(&id);
        let (method, uri, body, restricted) = match (what, exists) {
            (0, false) => ("POST", "/api/v1/pledges".to_owned(), Some(false), false),
            (0, true) => ("PUT", format!("/api/v1/pledges/{id}"), Some(false), false),
            (1, true) => ("PUT", format!("/api/v1/pledges/{id}"), Some(true), true),
            (1, false) => ("POST", "/api/v1/pledges".to_owned(), Some(true), true),
            (2, true) => ("PUT", format!("/api/v1/pledges/{id}"), Some(false), false),
            (_, true) => ("DELETE", format!("/api/v1/pledges/{id}"), None, false),
            // Nothing to make public or delete.
            (_, false) => continue,
        };
        let text = body.map_or(String::new(), |r| test_pledge(&id, nation, r));
        let (status, answer) = h.call(Some(user), method, &uri, &text).await;
        assert!(status.is_success(), "{method} {uri}: {status} {answer}");
        if method == "DELETE" {
            held.remove(&id);
        } else {
            held.insert(id, (nation, restricted));
        }
        versions.push(held);
    }
    // Each pledge as the last version holding it has it.
    let mut last: Held = Held::new();
    for held in &versions {
        last.extend(held.iter().map(|(k, v)| (k.clone(), *v)));
    }
    for (i, held) in versions.iter().enumerate() {
        let version = u32::try_from(i + 1).expect("small");
        for (viewer, own) in [("fra", "FRA"), ("deu", "DEU"), ("observer", "")] {
            let withheld = |id: &str| {
                let (nation, here) = held[id];
                nation != own && (here || last[id].1)
            };
            let texts = answers_about(&h, viewer, version, i == plan_at).await;
            for id in held.keys().filter(|id| withheld(id)) {
                for t in &texts {
                    assert!(
                        !t.contains(id.as_str()),
                        "{viewer} is told {id} in version {version}: {t:.300}"
                    );
                }
            }
            for (nation, _) in NATIONS.iter().filter(|(n, _)| *n != own) {
                let shown = held
                    .iter()
                    .filter(|(id, (n, _))| n == nation && !withheld(id))
                    .count() as u64;
                assert_eq!(
                    counted(&h, viewer, version, nation).await,
                    shown_by_default(nation) + shown,
                    "{viewer} counts {nation}'s pledges in version {version} of {versions:?}"
                );
            }
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 6,
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// For random sequences of pledge edits by random nations — create, restrict, make public, delete — no
    /// answer about any version to a viewer of another nation names or counts a pledge restricted in that
    /// version or in the last version holding it.
    #[test]
    fn no_answer_about_any_version_names_or_counts_a_pledge_withheld_from_the_viewer(
        edits in proptest::collection::vec((0usize..2, 0usize..2, 0usize..4), 1..7),
        plan_at in 0usize..7,
    ) {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
            .block_on(edits_then_every_version_read(edits, plan_at));
    }
}
