//! The REST/JSON API served from the same world as the XML API: a session opened and signed in
//! over REST, users added, read, changed and deleted over one API and seen over the other, the
//! REST operations' carried inputs enforced, failures as `{"Message", "Code"}` with the spec's
//! statuses, lists paged by the query. Raw HTTP (reqwest) on the REST side, the typed XML client
//! on the other.

mod support;

use akixi_client::akixi::error_conditions as cond;
use akixi_client::akixi::user::{UserAddRequest, UserInfoRequest};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{ADMIN, PASSWORD, client, code_of};

struct Rest {
    http: reqwest::Client,
    base: String,
    cookie: Option<String>,
}

impl Rest {
    fn new(sim: &akixi_sim::SimulatorHandle) -> Rest {
        let url = sim.url().to_string();
        Rest {
            http: reqwest::Client::new(),
            base: format!("{}/CCS/API/v1", url.trim_end_matches('/')),
            cookie: None,
        }
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value, reqwest::header::HeaderMap) {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(c) = &self.cookie {
            req = req.header("Cookie", format!("JSESSIONID={c}"));
        }
        if let Some(b) = body {
            req = req
                .header("Content-Type", "application/json")
                .body(b.to_string());
        }
        let resp = req.send().await.expect("sent");
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.expect("body");
        let json = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
        };
        (status, json, headers)
    }

    /// `POST /session` then `GET /login` with Basic credentials.
    async fn sign_in(&mut self, user: &str, password: &str) {
        let (status, body, headers) = self.send(reqwest::Method::POST, "/session", None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let id = body["SessionID"].as_str().expect("SessionID").to_string();
        assert!(
            body["Nonce"].as_str().is_some_and(|n| !n.is_empty()),
            "{body}"
        );
        let set_cookie = headers
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            set_cookie.starts_with(&format!("JSESSIONID={id}")),
            "{set_cookie}"
        );
        self.cookie = Some(id);
        let resp = self
            .http
            .get(format!("{}/login?&locale=en_GB", self.base))
            .header(
                "Cookie",
                format!("JSESSIONID={}", self.cookie.as_deref().unwrap_or("")),
            )
            .basic_auth(user, Some(password))
            .send()
            .await
            .expect("login");
        assert_eq!(resp.status(), StatusCode::OK, "{:?}", resp.text().await);
    }
}

#[tokio::test]
async fn one_world_two_apis() {
    let sim = support::start().await;
    let xml = client(&sim, ADMIN);
    let mut rest = Rest::new(&sim);
    rest.sign_in(ADMIN, PASSWORD).await;

    // Added over REST, read over XML.
    let (status, body, _) = rest
        .send(
            reqwest::Method::POST,
            "/admin/user",
            Some(json!({
                "Username": "over rest+1",
                "FullName": "Added Over REST",
                "LockOut": false,
                "TimeZone": null,
                "Scope": {"ReportingAccess": "None"}
            })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let info = xml
        .user_info(UserInfoRequest::new("over rest+1"))
        .await
        .expect("seen over XML");
    assert_eq!(info.full_name.as_deref(), Some("Added Over REST"));
    assert_eq!(info.lock_out, Some(false));

    // Added over XML, read over REST (the key percent-encoded in the path).
    xml.user_add(UserAddRequest::new("over xml").full_name("Added Over XML"))
        .await
        .expect("added over XML");
    let (status, body, _) = rest
        .send(reqwest::Method::GET, "/admin/user/over%20xml", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["Username"], "over xml");
    assert_eq!(body["FullName"], "Added Over XML");
    assert!(body.get("Password").is_none(), "{body}");

    // Changed over REST (`Update`), seen over XML; the password is `Change`'s, not `Update`'s.
    let (status, body, _) = rest
        .send(
            reqwest::Method::PUT,
            "/admin/user/over%20xml",
            Some(json!({"FullName": "Changed Over REST", "LockOut": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let info = xml
        .user_info(UserInfoRequest::new("over xml"))
        .await
        .expect("info");
    assert_eq!(info.full_name.as_deref(), Some("Changed Over REST"));
    assert_eq!(info.lock_out, Some(true));
    let (status, body, _) = rest
        .send(
            reqwest::Method::PUT,
            "/admin/user/over%20xml",
            Some(json!({"Password": "c2VjcmV0"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["Message"]
            .as_str()
            .is_some_and(|m| m.contains("does not carry `Password`")),
        "{body}"
    );

    // Deleted over REST: gone over XML, and a second delete is the family's unknown entity.
    let (status, body, _) = rest
        .send(reqwest::Method::DELETE, "/admin/user/over%20rest%2B1", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        code_of(xml.user_info(UserInfoRequest::new("over rest+1")).await),
        cond::UNKNOWN_ENTITY_USER.code()
    );
    let (status, body, _) = rest
        .send(reqwest::Method::DELETE, "/admin/user/over%20rest%2B1", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["Code"], json!(cond::UNKNOWN_ENTITY_USER.code()));
    assert!(
        body["Message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

#[tokio::test]
async fn lists_page_by_the_query_and_sessions_guard_every_call() {
    let sim = support::start().await;
    let xml = client(&sim, ADMIN);
    for n in 0..5 {
        xml.user_add(UserAddRequest::new(format!("paged-{n}")))
            .await
            .expect("added");
    }
    let mut rest = Rest::new(&sim);
    // No session: refused as the spec's status for a missing session.
    let (status, body, _) = rest.send(reqwest::Method::GET, "/admin/user", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    rest.sign_in(ADMIN, PASSWORD).await;

    let (status, body, _) = rest
        .send(reqwest::Method::GET, "/admin/user?Offset=1&Limit=2", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let page = body.as_array().expect("a bare array");
    assert_eq!(page.len(), 2, "{body}");
    let (_, all, _) = rest.send(reqwest::Method::GET, "/admin/user", None).await;
    let all = all.as_array().expect("array").clone();
    assert!(all.len() >= 6, "{all:?}");
    assert_eq!(page[0]["Username"], all[1]["Username"]);

    // An unknown route is the unknown-operation status; a body that is not JSON is refused.
    let (status, _, _) = rest
        .send(reqwest::Method::GET, "/admin/nothing", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let resp = rest
        .http
        .post(format!("{}/admin/user", rest.base))
        .header(
            "Cookie",
            format!("JSESSIONID={}", rest.cookie.as_deref().unwrap_or("")),
        )
        .body("{not json")
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);

    // Logged out: the cookie no longer works.
    let (status, _, _) = rest.send(reqwest::Method::GET, "/logout", None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body, _) = rest.send(reqwest::Method::GET, "/admin/user", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
}

#[tokio::test]
async fn a_wrong_password_fails_the_login_and_closes_the_session() {
    let sim = support::start().await;
    let rest = Rest::new(&sim);
    let (_, body, _) = rest.send(reqwest::Method::POST, "/session", None).await;
    let id = body["SessionID"].as_str().expect("id").to_string();
    let resp = rest
        .http
        .get(format!("{}/login?locale=en_GB", rest.base))
        .header("Cookie", format!("JSESSIONID={id}"))
        .basic_auth(ADMIN, Some("Xq7-not-the-password"))
        .send()
        .await
        .expect("login");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let text = resp.text().await.expect("body");
    assert!(
        !text.contains("Xq7"),
        "the password is never echoed: {text}"
    );
    let json: Value = serde_json::from_str(&text).expect("JSON");
    assert!(json["Message"].is_string(), "{json}");
    // As the XML API documents: a failed sign-in closes the session.
    let rest = Rest {
        cookie: Some(id),
        ..rest
    };
    let (status, body, _) = rest.send(reqwest::Method::GET, "/admin/user", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
}
