//! The REST codec against the simulator's REST front, mixed with the XML client on the same
//! world: every REST operation of the users family is written by `encode_request` from the
//! generated shapes, sent over HTTP, and its answer read by `decode_success` (or
//! `decode_failure`) into the same response types the XML client returns. A user added over REST
//! with a password signs in over XML with it; one added over XML is changed and deleted over
//! REST.

use akixi_client::akixi::user::{
    Scope, UserAddRequest, UserChangeRequest, UserDeleteRequest, UserInfoRequest, UserInfoResponse,
    UserListEntry, UserListRequest,
};
use akixi_client::akixi::{BOOLEAN_FALSE, BOOLEAN_TRUE, SERVICE, error_conditions as cond};
use akixi_client::akixi_rest::binding::{HttpMethod, RestInfo};
use akixi_client::akixi_rest::{
    EncodeContext, RestFailure, RestRequest, decode_failure, decode_success, encode_request,
};
use akixi_client::akixi_ws::{EncodePayload, List, PasswordsAsIs};
use akixi_client::meta::Condition;
use akixi_client::runtime::serde::de::DeserializeOwned;
use akixi_sim::{Config, HashCost, Simulator, SimulatorHandle};

const ADMIN: &str = "admin@akixi-sim.invalid";
const PASSWORD: &str = "Adm1n-pa55word";

fn rest() -> &'static RestInfo {
    SERVICE.rest.expect("REST binding")
}

struct Session {
    http: reqwest::Client,
    base: String,
    cookie: String,
}

impl Session {
    async fn open(sim: &SimulatorHandle, user: &str, password: &str) -> Session {
        let http = reqwest::Client::new();
        let base = format!("{}{}", sim.url().trim_end_matches('/'), rest().base_path);
        let route = rest().create_session;
        let resp = http
            .request(method(route.method), format!("{base}{}", route.template()))
            .send()
            .await
            .expect("session");
        let body: serde_json::Value =
            serde_json::from_str(&resp.text().await.expect("body")).expect("JSON");
        let cookie = body[rest().session_id_field]
            .as_str()
            .expect("session id")
            .to_string();
        let login = rest().login;
        let resp = http
            .request(method(login.method), format!("{base}{}", login.template()))
            .query(&[(rest().locale_parameter, rest().locales[0])])
            .header("Cookie", format!("{}={cookie}", rest().session_cookie))
            .basic_auth(user, Some(password))
            .send()
            .await
            .expect("login");
        assert_eq!(resp.status().as_u16(), rest().success_status);
        Session { http, base, cookie }
    }

    /// Sends the REST operation `op` of users carrying `request`; the typed answer or the
    /// failure.
    async fn call<R: EncodePayload, T: DeserializeOwned + Default>(
        &self,
        op: &str,
        request: &R,
        paging: (Option<u64>, Option<u64>),
    ) -> Result<T, RestFailure> {
        let info = rest().operation("User", op).expect("REST operation");
        let cx = EncodeContext {
            rest: rest(),
            family: SERVICE.family("User").expect("User"),
            boolean_words: (BOOLEAN_TRUE, BOOLEAN_FALSE),
        };
        let r: RestRequest =
            encode_request(request, info, cx, paging, &PasswordsAsIs).expect("encodes");
        let mut req = self
            .http
            .request(method(r.method), format!("{}{}", self.base, r.path))
            .query(&r.query)
            .header(
                "Cookie",
                format!("{}={}", rest().session_cookie, self.cookie),
            );
        if let Some(body) = r.body {
            req = req.header("Content-Type", "application/json").body(body);
        }
        let resp = req.send().await.expect("sent");
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.expect("body");
        if status == rest().success_status {
            Ok(decode_success(&bytes, op).expect("decodes"))
        } else {
            Err(decode_failure(status, &bytes, rest()))
        }
    }
}

fn method(m: HttpMethod) -> reqwest::Method {
    reqwest::Method::from_bytes(m.name().as_bytes()).expect("method")
}

fn xml_client(sim: &SimulatorHandle, user: &str, password: &str) -> akixi_client::Client {
    akixi_client::Client::builder(sim.url())
        .credentials(user, password)
        .allow_http(true)
        .build()
        .expect("client")
}

#[tokio::test]
async fn every_rest_operation_of_users_over_the_codec_mixed_with_xml() {
    let sim = Simulator::start(
        Config::default()
            .admin(ADMIN, PASSWORD)
            .hash_cost(HashCost::Minimal),
    )
    .await
    .expect("starts");
    let xml = xml_client(&sim, ADMIN, PASSWORD);
    let api = Session::open(&sim, ADMIN, PASSWORD).await;

    // Add over REST, with a password and a scope (the scope's ids go as one-element arrays).
    let add = UserAddRequest::new("rest user 1")
        .full_name("Over REST")
        .password("Rest-pa55word-1")
        .scope(Scope::new().reporting_access("None"));
    let _: UserInfoResponse = api.call("Add", &add, (None, None)).await.expect("added");

    // Read back over REST and over XML: the same entity.
    let over_rest: UserInfoResponse = api
        .call("Info", &UserInfoRequest::new("rest user 1"), (None, None))
        .await
        .expect("info over REST");
    let over_xml = xml
        .user_info(UserInfoRequest::new("rest user 1"))
        .await
        .expect("info over XML");
    assert_eq!(over_rest.full_name.as_deref(), Some("Over REST"));
    assert_eq!(over_rest.full_name, over_xml.full_name);
    assert_eq!(over_rest.lock_out, over_xml.lock_out);

    // The password set over REST is the one the account signs in with over XML: its own
    // user_info needs a permission it lacks, so the refusal is about rights, not the password.
    let theirs = xml_client(&sim, "rest user 1", "Rest-pa55word-1");
    let err = theirs
        .user_info(UserInfoRequest::new("rest user 1"))
        .await
        .expect_err("a new user has no rights");
    assert_ne!(
        err.code(),
        Some(cond::AUTHENTICATION_FAILED),
        "signed in with the REST password: {err}"
    );

    // The control: a wrong password is refused as such.
    let wrong = xml_client(&sim, "rest user 1", "Not-the-pa55word");
    let err = wrong
        .user_info(UserInfoRequest::new("rest user 1"))
        .await
        .expect_err("wrong password");
    assert_eq!(err.code(), Some(cond::AUTHENTICATION_FAILED), "{err}");

    // Update (everything but the password), then Change (the password), then SendEmail.
    let _: UserInfoResponse = api
        .call(
            "Update",
            &UserChangeRequest::new("rest user 1").full_name("Renamed"),
            (None, None),
        )
        .await
        .expect("updated");
    let _: UserInfoResponse = api
        .call(
            "Change",
            &UserChangeRequest::new("rest user 1").password("Rest-pa55word-2"),
            (None, None),
        )
        .await
        .expect("password changed");
    let _: UserInfoResponse = api
        .call(
            "SendEmail",
            &UserChangeRequest::new("rest user 1"),
            (None, None),
        )
        .await
        .expect("e-mail sent");
    let info = xml
        .user_info(UserInfoRequest::new("rest user 1"))
        .await
        .expect("info");
    assert_eq!(info.full_name.as_deref(), Some("Renamed"));
    let renewed = xml_client(&sim, "rest user 1", "Rest-pa55word-2");
    let err = renewed
        .user_info(UserInfoRequest::new("rest user 1"))
        .await
        .expect_err("still no rights");
    assert_ne!(err.code(), Some(cond::AUTHENTICATION_FAILED), "{err}");

    // Added over XML, listed and deleted over REST.
    xml.user_add(UserAddRequest::new("xml user 1").full_name("Over XML"))
        .await
        .expect("added over XML");
    let list: List<UserListEntry> = api
        .call("List", &UserListRequest::new(), (Some(0), Some(1000)))
        .await
        .expect("list");
    let names: Vec<&str> = list
        .entries
        .iter()
        .filter_map(|e| e.username.as_deref())
        .collect();
    assert!(
        names.contains(&"xml user 1") && names.contains(&"rest user 1"),
        "{names:?}"
    );
    let _: UserInfoResponse = api
        .call(
            "Delete",
            &UserDeleteRequest::new("xml user 1"),
            (None, None),
        )
        .await
        .expect("deleted");
    let gone = xml.user_info(UserInfoRequest::new("xml user 1")).await;
    assert_eq!(
        gone.expect_err("gone").code(),
        Some(cond::UNKNOWN_ENTITY_USER)
    );

    // A failure over REST: the spec's status, message, code and condition.
    let failure = api
        .call::<_, UserInfoResponse>("Info", &UserInfoRequest::new("xml user 1"), (None, None))
        .await
        .expect_err("unknown");
    assert_eq!(
        failure.status,
        rest().status(Condition::UnknownEntity).expect("status")
    );
    assert_eq!(failure.code, Some(cond::UNKNOWN_ENTITY_USER.code()));
    assert!(failure.conditions.contains(&Condition::UnknownEntity));
    assert!(failure.message.is_some(), "{failure}");
}
