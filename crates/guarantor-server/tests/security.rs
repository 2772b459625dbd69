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
//! - **Withheld troops are no nation**: `sites[].nations_present` never counts `withheld` (`access.rs`).
//! - **Headers**: every answer — pages, downloads, JSON, errors — carries a strict Content-Security-Policy (the
//!   dashboard's one script by its hash, nothing from elsewhere, never framed), `nosniff`, a referrer only to
//!   the server itself (`same-origin`),
//!   `X-Frame-Options: DENY` and `Cache-Control: no-store`.
//! - **The login form is taken only from the server's own pages**: a form posted with another site's `Origin`
//!   is refused (login CSRF).
//! - **Every error keeps the JSON shape** with a stable code, and a request out of range is the caller's error
//!   (4xx), never the server's (500).

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
    ] {
        let (got, body) = h.call(Some("planner"), "GET", uri, "").await;
        assert_eq!(
            (got, body["error"]["code"].as_str()),
            (status, Some(code)),
            "{uri}: {body}"
        );
    }
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
}
