//! The REST client against the simulator's REST front: a session opened on first use and shared
//! by clones, typed calls by REST operation name, paging to the end, an input the REST
//! operation does not carry refused before sending, failures with the spec's status and code, a
//! session the server forgot signed in again once, and a wrong password a sign-in error.

use akixi_client::akixi::SERVICE;
use akixi_client::akixi::error_conditions as cond;
use akixi_client::akixi::user::{
    UserAddRequest, UserChangeRequest, UserDeleteRequest, UserInfoRequest, UserInfoResponse,
    UserListEntry, UserListRequest,
};
use akixi_client::akixi_rest::{RestClient, RestError};
use akixi_client::meta::Condition;
use akixi_sim::{Config, FaultPlan, HashCost, Simulator, SimulatorHandle};

const ADMIN: &str = "admin@akixi-sim.invalid";
const PASSWORD: &str = "Adm1n-pa55word";

async fn sim() -> SimulatorHandle {
    Simulator::start(
        Config::default()
            .admin(ADMIN, PASSWORD)
            .hash_cost(HashCost::Minimal),
    )
    .await
    .expect("starts")
}

fn rest(sim: &SimulatorHandle, password: &str) -> RestClient {
    RestClient::builder(sim.url(), &SERVICE)
        .credentials(ADMIN, password)
        .build()
        .expect("client")
}

#[tokio::test]
async fn typed_calls_by_rest_name_with_one_shared_session() {
    let sim = sim().await;
    let client = rest(&sim, PASSWORD);
    let clone = client.clone();
    let _: UserInfoResponse = client
        .call("User", "Add", &UserAddRequest::new("rc-1").full_name("One"))
        .await
        .expect("added");
    let info: UserInfoResponse = clone
        .call("User", "Info", &UserInfoRequest::new("rc-1"))
        .await
        .expect("info");
    assert_eq!(info.full_name.as_deref(), Some("One"));
    let _: UserInfoResponse = client
        .call(
            "User",
            "Update",
            &UserChangeRequest::new("rc-1").full_name("Uno"),
        )
        .await
        .expect("updated");

    // Refused before sending: Update does not carry the password.
    let err = client
        .call::<_, UserInfoResponse>(
            "User",
            "Update",
            &UserChangeRequest::new("rc-1").password("x-Pa55word"),
        )
        .await
        .expect_err("not carried");
    assert!(matches!(err, RestError::Encode(_)), "{err}");
    assert!(err.to_string().contains("Change"), "{err}");

    // Paging to the end, three at a time.
    for n in 0..7 {
        let _: UserInfoResponse = client
            .call("User", "Add", &UserAddRequest::new(format!("rc-page-{n}")))
            .await
            .expect("added");
    }
    let all: Vec<UserListEntry> = client
        .list_all("User", "List", &UserListRequest::new(), 3)
        .await
        .expect("listed");
    let names: Vec<&str> = all.iter().filter_map(|e| e.username.as_deref()).collect();
    for n in 0..7 {
        assert!(
            names.contains(&format!("rc-page-{n}").as_str()),
            "{names:?}"
        );
    }
    assert!(names.contains(&"rc-1"), "{names:?}");

    // A failure: the spec's status, the service's code, the conditions.
    let _: UserInfoResponse = client
        .call("User", "Delete", &UserDeleteRequest::new("rc-1"))
        .await
        .expect("deleted");
    let err = client
        .call::<_, UserInfoResponse>("User", "Info", &UserInfoRequest::new("rc-1"))
        .await
        .expect_err("gone");
    assert_eq!(err.code(), Some(cond::UNKNOWN_ENTITY_USER.code()), "{err}");
    assert!(err.may_be(Condition::UnknownEntity), "{err}");
    let unknown = client
        .call::<_, UserInfoResponse>("User", "Fetch", &UserInfoRequest::new("x"))
        .await
        .expect_err("no such REST operation");
    assert!(
        matches!(unknown, RestError::UnknownOperation { .. }),
        "{unknown}"
    );
    client.close().await.expect("closed");
}

#[tokio::test]
async fn a_forgotten_session_is_signed_in_again_once() {
    let sim = sim().await;
    let client = rest(&sim, PASSWORD);
    let _: UserInfoResponse = client
        .call("User", "Info", &UserInfoRequest::new(ADMIN))
        .await
        .expect("signed in");
    // The next Info is answered as if the session were unknown: the client signs in again
    // and sends it once more.
    let plan: FaultPlan = format!("UserInfo first=1 code={}", cond::UNKNOWN_SESSION.code())
        .parse()
        .expect("rules");
    sim.set_faults(plan);
    let info: UserInfoResponse = client
        .call("User", "Info", &UserInfoRequest::new(ADMIN))
        .await
        .expect("recovered");
    assert_eq!(info.username.as_deref(), Some(ADMIN));
    // Once only: forgotten twice in a row, the second answer is the caller's.
    let plan: FaultPlan = format!("UserInfo first=2 code={}", cond::UNKNOWN_SESSION.code())
        .parse()
        .expect("rules");
    sim.set_faults(plan);
    let err = client
        .call::<_, UserInfoResponse>("User", "Info", &UserInfoRequest::new(ADMIN))
        .await
        .expect_err("renewed once, then refused again");
    assert_eq!(err.code(), Some(cond::UNKNOWN_SESSION.code()), "{err}");
    assert!(err.may_be(Condition::UnknownSession), "{err}");
}

#[tokio::test]
async fn a_wrong_password_is_a_sign_in_error_that_never_shows_it() {
    let sim = sim().await;
    let client = rest(&sim, "Not-the-pa55word");
    let err = client
        .call::<_, UserInfoResponse>("User", "Info", &UserInfoRequest::new(ADMIN))
        .await
        .expect_err("refused");
    assert!(matches!(err, RestError::SignIn(_)), "{err}");
    assert_eq!(
        err.code(),
        Some(cond::AUTHENTICATION_FAILED.code()),
        "{err}"
    );
    assert!(!err.to_string().contains("Not-the"), "{err}");
    assert!(!format!("{err:?} {client:?}").contains("Not-the"));
}

#[tokio::test]
async fn an_api_key_acts_as_its_account_until_revoked() {
    let sim = sim().await;
    assert!(sim.issue_api_key("nobody@example.invalid").is_none());
    let key = sim
        .issue_api_key(ADMIN)
        .expect("a key for the administrator");
    let client = RestClient::builder(sim.url(), &SERVICE)
        .api_key(key.expose())
        .build()
        .expect("client");
    let _: UserInfoResponse = client
        .call(
            "User",
            "Add",
            &UserAddRequest::new("by-key").full_name("Keyed"),
        )
        .await
        .expect("added with the key");
    // The same world: the XML API sees it.
    let xml = akixi_client::Client::builder(sim.url())
        .credentials(ADMIN, PASSWORD)
        .allow_http(true)
        .build()
        .expect("XML client");
    let info = xml
        .user_info(UserInfoRequest::new("by-key"))
        .await
        .expect("seen over XML");
    assert_eq!(info.full_name.as_deref(), Some("Keyed"));
    assert!(!format!("{client:?}").contains(key.expose()));

    assert!(sim.revoke_api_key(key.expose()));
    assert!(!sim.revoke_api_key(key.expose()), "revoked once");
    let err = client
        .call::<_, UserInfoResponse>("User", "Info", &UserInfoRequest::new("by-key"))
        .await
        .expect_err("revoked");
    assert!(err.may_be(Condition::NotAuthenticated), "{err}");
}

#[tokio::test]
async fn api_keys_are_issued_at_the_admin_endpoint_only_with_the_runs_token() {
    let sim = sim().await;
    let http = reqwest::Client::new();
    let url = format!(
        "{}{}",
        sim.url().trim_end_matches('/'),
        akixi_sim::API_KEYS_PATH
    );
    let body = format!(r#"{{"Username": "{ADMIN}"}}"#);
    let refused = http
        .post(&url)
        .body(body.clone())
        .send()
        .await
        .expect("sent");
    assert_eq!(refused.status().as_u16(), 401);
    let from_a_page = http
        .post(&url)
        .header(akixi_sim::FAULTS_TOKEN_HEADER, sim.faults_token().expose())
        .header("Origin", "https://evil.example")
        .body(body.clone())
        .send()
        .await
        .expect("sent");
    assert_eq!(from_a_page.status().as_u16(), 403);
    let issued = http
        .post(&url)
        .header(akixi_sim::FAULTS_TOKEN_HEADER, sim.faults_token().expose())
        .body(body)
        .send()
        .await
        .expect("sent");
    assert_eq!(issued.status().as_u16(), 200);
    let json: serde_json::Value =
        serde_json::from_str(&issued.text().await.expect("body")).expect("JSON");
    let key = json["ApiKey"].as_str().expect("a key").to_string();
    let client = RestClient::builder(sim.url(), &SERVICE)
        .api_key(key.as_str())
        .build()
        .expect("client");
    let info: UserInfoResponse = client
        .call("User", "Info", &UserInfoRequest::new(ADMIN))
        .await
        .expect("the key works");
    assert_eq!(info.username.as_deref(), Some(ADMIN));
    let revoked = http
        .delete(&url)
        .header(akixi_sim::FAULTS_TOKEN_HEADER, sim.faults_token().expose())
        .body(format!(r#"{{"ApiKey": "{key}"}}"#))
        .send()
        .await
        .expect("sent");
    assert_eq!(revoked.status().as_u16(), 200);
    assert!(
        client
            .call::<_, UserInfoResponse>("User", "Info", &UserInfoRequest::new(ADMIN))
            .await
            .is_err()
    );
}
