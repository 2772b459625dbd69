//! What the server's tests share: a server over the default scenario with one account per role (each with an
//! API token), and a way to call it as one of them.

#![allow(dead_code)]

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use guarantor_app::Role;
use guarantor_server::{AppState, router};
use serde_json::Value;
use tower::ServiceExt;

/// The accounts: name, role, nation.
pub const USERS: [(&str, &str, Option<&str>); 5] = [
    ("planner", "planner", None),
    ("monitor", "monitor", None),
    ("fra", "liaison", Some("FRA")),
    ("deu", "liaison", Some("DEU")),
    ("observer", "observer", None),
];

/// Every account's password.
pub fn password(name: &str) -> String {
    format!("the password of {name}")
}

/// A server and its accounts' tokens.
pub struct Harness {
    pub state: AppState,
    pub tokens: BTreeMap<String, String>,
    /// The SQLite file the server keeps its accounts in.
    pub db: std::path::PathBuf,
    _dir: std::sync::Arc<tempfile::TempDir>,
}

/// A fresh server over the built-in default scenario, in a temporary SQLite file.
pub fn harness() -> Harness {
    let dir = tempfile::tempdir().expect("a folder");
    let db = dir.path().join("server.sqlite");
    let mut store: Box<dyn guarantor_store::Store> =
        Box::new(guarantor_store::SqliteStore::open(&db).expect("a store"));
    let now = jiff::Timestamp::now();
    let mut tokens = BTreeMap::new();
    for (name, role, nation) in USERS {
        let role = Role::parse(role, nation).expect("a role");
        guarantor_app::put_user(&mut *store, name, &role, &password(name), "test", now)
            .expect("an account");
        let token =
            guarantor_app::new_token(&mut *store, name, "test", "test", now).expect("a token");
        tokens.insert(name.to_owned(), token);
    }
    let state = AppState::new(
        store,
        db.display().to_string(),
        &guarantor_scenario::SourceSet::builtin_default(),
    )
    .expect("the server starts");
    Harness {
        state,
        tokens,
        db,
        _dir: std::sync::Arc::new(dir),
    }
}

impl Harness {
    /// `who`'s job at `href` once it has ended (polled every 100 ms, for at most two minutes).
    #[allow(dead_code)] // not every test binary starts jobs
    pub async fn job_ended(&self, who: &str, href: &str) -> serde_json::Value {
        for _ in 0..1200 {
            let (status, job) = self.call(Some(who), "GET", href, "").await;
            assert_eq!(status, axum::http::StatusCode::OK, "{job}");
            if job["status"] != "running" {
                return job;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("{href} still running after two minutes");
    }

    /// Another server over the same database (as a second instance behind a load balancer would be).
    pub fn twin(&self) -> Harness {
        let store = guarantor_store::SqliteStore::open(&self.db).expect("a store");
        let state = AppState::new(
            Box::new(store),
            self.db.display().to_string(),
            &guarantor_scenario::SourceSet::builtin_default(),
        )
        .expect("the server starts");
        Harness {
            state,
            tokens: self.tokens.clone(),
            db: self.db.clone(),
            _dir: self._dir.clone(),
        }
    }

    /// The database opened by another process, as `guarantor user` does.
    pub fn other_process(&self) -> Box<dyn guarantor_store::Store> {
        Box::new(guarantor_store::SqliteStore::open(&self.db).expect("a store"))
    }

    /// Logs `name` in with `password`: the session cookie (`name=value`) and its CSRF token, or the status.
    pub async fn login(&self, name: &str, password: &str) -> Result<(String, String), StatusCode> {
        let body = serde_json::json!({"name": name, "password": password}).to_string();
        let a = self
            .request(None, "POST", "/api/v1/login", &body, &[])
            .await;
        if a.status != StatusCode::OK {
            return Err(a.status);
        }
        let set = a.headers[header::SET_COOKIE].to_str().expect("text");
        let cookie = set.split(';').next().expect("name=value").to_owned();
        let csrf = a.body["csrf"].as_str().expect("a CSRF token").to_owned();
        Ok((cookie, csrf))
    }

    /// The status of `GET /api/v1/me` with `cookie` (`name=value`).
    pub async fn me_by_cookie(&self, cookie: &str) -> StatusCode {
        self.request(None, "GET", "/api/v1/me", "", &[("cookie", cookie)])
            .await
            .status
    }

    /// The status of `GET /api/v1/me` with bearer `token`.
    pub async fn me_by_token(&self, token: &str) -> StatusCode {
        let bearer = format!("Bearer {token}");
        self.request(
            None,
            "GET",
            "/api/v1/me",
            "",
            &[("authorization", bearer.as_str())],
        )
        .await
        .status
    }
}

/// A request's answer: status, headers and body as JSON (`Null` when empty).
pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
}

impl Harness {
    /// Calls `method uri` as `who` (by token; anonymous when `None`) with `body` (JSON when it starts with
    /// `{` or `[`, else text).
    pub async fn call(
        &self,
        who: Option<&str>,
        method: &str,
        uri: &str,
        body: &str,
    ) -> (StatusCode, Value) {
        let a = self.request(who, method, uri, body, &[]).await;
        (a.status, a.body)
    }

    /// The same, with extra headers, returning the response's headers too.
    pub async fn request(
        &self,
        who: Option<&str>,
        method: &str,
        uri: &str,
        body: impl AsRef<[u8]>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let body = body.as_ref();
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(who) = who {
            request = request.header(
                header::AUTHORIZATION,
                format!("Bearer {}", self.tokens[who]),
            );
        }
        let json = body.starts_with(b"{") || body.starts_with(b"[");
        if !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            let kind = if json {
                "application/json"
            } else {
                "text/plain"
            };
            request = request.header(header::CONTENT_TYPE, kind);
        }
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let request = request.body(Body::from(body.to_vec())).expect("a request");
        let response = router(self.state.clone())
            .oneshot(request)
            .await
            .expect("an answer");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body");
        // Pages, downloads: their text (a workbook's bytes as lossy text).
        let html = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| !v.starts_with("application/json"));
        let body = if bytes.is_empty() {
            Value::Null
        } else if html {
            Value::String(String::from_utf8_lossy(&bytes).into_owned())
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                panic!("{uri}: not JSON ({e}): {}", String::from_utf8_lossy(&bytes))
            })
        };
        Answer {
            status,
            headers,
            body,
        }
    }
}

/// A CSV of four reports: a patrol and a party saw one shelling, plus a drone and a clash.
pub const CSV: &str = "id,source,source_kind,time,time_precision_hours,lat,lon,place_precision_km,kind,target,count,text
p-1,smm-patrol-4,patrol,2027-01-10T06:40:00Z,0.25,47.5119,34.5863,0.5,artillery,,3,three rounds
p-2,ua-general-staff,party,2027-01-10T06:50:00Z,1,47.52,34.6,5,artillery,,1,
p-3,uav-east,sensor,2027-01-10T09:00:00Z,0.1,46.5,32.5,0.2,drone,,1,
p-4,media-a,media,2027-01-10T12:00:00Z,3,48.5,37.5,10,clash,,1,
";
