//! The REST documentation's own examples (akixi.dev REST v1: auth, and users 3.2), against our
//! side of them: the client signs in through a server answering the documented session object
//! exactly (and sends the cookie and login the documentation describes), and the documented
//! users `Add` body is what the REST codec writes from the same values. Facts the spec does not
//! have yet (`TimeZone`, `Scope.CXILicenseType`) are named and set aside, not hidden.

use std::sync::{Arc, Mutex};

use akixi_client::akixi::user::{Scope, UserAddRequest, UserInfoRequest, UserInfoResponse};
use akixi_client::akixi::{BOOLEAN_FALSE, BOOLEAN_TRUE, SERVICE};
use akixi_client::akixi_rest::{EncodeContext, RestClient, encode_request};
use akixi_client::akixi_ws::PasswordsAsIs;
use axum::http::{HeaderMap, Uri};
use serde_json::{Value, json};

/// The documented Create Session answer (auth.html).
const SESSION: &str = r#"{
    "Nonce": "20d5e39b41c7016d3ec9e647ccdbac1f",
    "SessionID": "D199F7ED33E35249933A20CA07387C43"
}"#;

/// The documented users Add body (users.html, 3.2), as far as the page shows it.
const USER_ADD: &str = r#"{
  "FullName": "Test User 14",
  "EmailAddr": "test@test.com",
  "Username": "IntegratorUser 14",
  "DefaultLang": "en_GB",
  "Password": "M9zGAGR3nINFNAZKIMC0IA==",
  "PasswordChgRequired": false,
  "LockOut": false,
  "SendWelcomeEmail": false,
  "EnableMFA": false,
  "SynchroniseSupervisorPermissions": false,
  "TimeZone": null,
  "Scope": {
    "CMEnvironmentID": "d6d6c5a5f0f90d60:-15617a00:169f533f6d5:5613",
    "TelSysID": [-1],
    "PartIDInTelSys": [-1],
    "DeviceNumber": "All",
    "AgentNumber": "All",
    "ReportingAccess": "None",
    "CallRecIntID": "d7ae7ea9bf56ebdc:-53beea96:1556d0e14d3:-8000",
    "CXILicenseType": "NONE"
  }
}"#;

#[tokio::test]
async fn the_client_signs_in_through_the_documented_session() {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = Arc::clone(&seen);
    let app = axum::Router::new()
        .route(
            "/CCS/API/v1/session",
            axum::routing::post(|| async { SESSION }),
        )
        .route(
            "/CCS/API/v1/login",
            axum::routing::get(move |uri: Uri, headers: HeaderMap| {
                let log = Arc::clone(&log);
                async move {
                    let cookie = headers
                        .get("cookie")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_string();
                    let basic = headers
                        .get("authorization")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_string();
                    let mut log = log.lock().expect("log");
                    log.push(format!(
                        "login {} {cookie} {basic}",
                        uri.query().unwrap_or("")
                    ));
                    "{}"
                }
            }),
        )
        .route(
            "/CCS/API/v1/admin/user/{name}",
            axum::routing::get(|headers: HeaderMap| async move {
                let cookie = headers
                    .get("cookie")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                assert_eq!(cookie, "JSESSIONID=D199F7ED33E35249933A20CA07387C43");
                r#"{"Username": "IntegratorUser 14"}"#
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });

    let client = RestClient::builder(format!("http://{addr}"), &SERVICE)
        .credentials("IntegratorUser 14", "pa55")
        .build()
        .expect("client");
    let info: UserInfoResponse = client
        .call("User", "Info", &UserInfoRequest::new("IntegratorUser 14"))
        .await
        .expect("signed in and answered");
    assert_eq!(info.username.as_deref(), Some("IntegratorUser 14"));
    let seen = seen.lock().expect("log").clone();
    // base64("IntegratorUser 14:pa55")
    assert_eq!(
        seen,
        [
            "login locale=en_GB JSESSIONID=D199F7ED33E35249933A20CA07387C43 Basic SW50ZWdyYXRvclVzZXIgMTQ6cGE1NQ=="
        ]
    );
}

#[test]
fn the_documented_users_add_body_is_what_the_codec_writes() {
    let add = UserAddRequest::new("IntegratorUser 14")
        .full_name("Test User 14")
        .email_addr("test@test.com")
        .default_lang("en_GB")
        .password("M9zGAGR3nINFNAZKIMC0IA==")
        .password_chg_required(false)
        .lock_out(false)
        .send_welcome_email(false)
        .enable_mfa(false)
        .synchronise_supervisor_permissions(false)
        .scope(
            Scope::new()
                .cm_environment_id("d6d6c5a5f0f90d60:-15617a00:169f533f6d5:5613")
                .tel_sys_id(-1)
                .part_id_in_tel_sys(-1)
                .device_number("All")
                .agent_number("All")
                .reporting_access("None")
                .call_rec_int_id("d7ae7ea9bf56ebdc:-53beea96:1556d0e14d3:-8000"),
        );
    let rest = SERVICE.rest.expect("REST");
    let op = rest.operation("User", "Add").expect("Add");
    let cx = EncodeContext {
        rest,
        family: SERVICE.family("User").expect("User"),
        boolean_words: (BOOLEAN_TRUE, BOOLEAN_FALSE),
    };
    let written = encode_request(&add, op, cx, (None, None), &PasswordsAsIs).expect("encodes");
    assert_eq!(written.method.name(), "POST");
    assert_eq!(written.path, "/admin/user");
    let ours: Value = serde_json::from_str(written.body.as_deref().expect("body")).expect("JSON");

    let mut documented: Value = serde_json::from_str(USER_ADD).expect("the documented body");
    // Not in the spec yet (REST-only properties): set aside, by name.
    let object = documented.as_object_mut().expect("object");
    assert_eq!(object.remove("TimeZone"), Some(Value::Null));
    let scope = object
        .get_mut("Scope")
        .and_then(Value::as_object_mut)
        .expect("Scope");
    assert_eq!(scope.remove("CXILicenseType"), Some(json!("NONE")));
    assert_eq!(ours, documented);
}
