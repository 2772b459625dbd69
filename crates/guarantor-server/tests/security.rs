//! What the server promises about security, one test per promise (issue #21), beside the access matrix of
//! `access.rs`:
//!
//! - **Revocation is immediate and complete.** Disabling an account, setting its password, revoking one of its
//!   tokens or ending its sessions takes effect on the next request — whoever made the change: this server's
//!   API, another server over the same database, or `guarantor user` in another process. Enabling an account
//!   again never brings back a token or session it had before. Only planners manage accounts over the API.

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
