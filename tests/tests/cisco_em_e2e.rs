//! The EM client end to end over loopback HTTP: against the EM simulator (`akixi-sim`'s
//! `em` module, compiled here from its own source, since akixi-client cannot depend on
//! akixi-sim), and against in-test servers that misbehave.

// Items the tests do not use are still the module's public API.
use akixi_sim::em as em_sim;

use std::net::SocketAddr;
use std::time::Duration;

use akixi_client::cisco_em::{DeviceState, HttpError, Scheme, UserState};

use akixi_client::client::Phase;
use akixi_client::em::{
    Branch, CcmVersion, ErrorCode, Login, Logout, LogoutAll, LogoutAllResultData,
    QueryDeviceProfiles, QueryDevices, QueryDevicesResultData, QueryUsers,
};
use akixi_client::em::{Client, Error};
use em_sim::{APP_CERTIFICATE, APP_ID, EmSimulator};

const D1: &str = "SEP001122334455";
const D2: &str = "SEP001122334466";
const D3: &str = "SEP001122334477";
const D4: &str = "SEP001122334488";
const NO_EM: &str = "SEP0011223344FF";

/// Serves `router` on a free loopback port.
async fn serve(router: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    addr
}

/// A simulator, its address and a client.
async fn sim() -> (EmSimulator, String, Client) {
    let sim = EmSimulator::new();
    let addr = serve(em_sim::router_with(sim.clone())).await;
    (sim, addr.to_string(), Client::new().expect("client"))
}

fn login(host: &str, device: &str, user: &str) -> Login {
    Login::new(APP_ID, APP_CERTIFICATE, device, user).call_manager_host(host)
}

fn logout_all(host: &str) -> LogoutAll {
    LogoutAll::new(APP_ID, APP_CERTIFICATE).call_manager_host(host)
}

fn code(r: Result<impl std::fmt::Debug, Error>) -> u32 {
    match r {
        Err(e) => e
            .code()
            .map_or_else(|| panic!("no code: {e}"), |c| c.code()),
        Ok(v) => panic!("unexpected success: {v:?}"),
    }
}

#[tokio::test]
async fn users_log_in_on_several_devices_then_logout_all_logs_everyone_out() {
    let (sim, host, client) = sim().await;
    client.login(&login(&host, D1, "jdoe")).await.expect("jdoe");
    client
        .login(&login(&host, D2, "asmith").device_profile("asmith-udp"))
        .await
        .expect("asmith");
    client
        .login(
            &login(&host, D3, "em@cisco.com")
                .timeout(akixi_client::em::Minutes::new(60).expect("minutes"))
                .version(CcmVersion::Other),
        )
        .await
        .expect("em@cisco.com");
    client
        .login(&login(&host, D4, "bwayne").no_timeout(true))
        .await
        .expect("bwayne");
    assert_eq!(sim.logins().len(), 4);
    assert_eq!(sim.login_minutes(D3), Some(Some(60)));
    assert_eq!(sim.login_minutes(D4), Some(None));

    let devices = [D1, D2, D3, D4, "SEPDOESNOTEXIST"];
    let query = QueryDevices::new(APP_ID, APP_CERTIFICATE, devices).call_manager_host(&host);
    let before = client.query_devices(&query).await.expect("query devices");
    let users: Vec<Option<&str>> = before.devices.iter().map(|d| d.user_id()).collect();
    assert_eq!(
        users,
        [
            Some("jdoe"),
            Some("asmith"),
            Some("em@cisco.com"),
            Some("bwayne"),
            None
        ]
    );
    assert_eq!(before.devices[4].state, DeviceState::DoesNotExist);

    let who = QueryUsers::new(APP_ID, APP_CERTIFICATE, ["jdoe", "em@cisco.com", "ghost"])
        .call_manager_host(&host);
    let r = client.query_users(&who).await.expect("query users");
    assert_eq!(
        r.user("jdoe").map(|u| u.devices()),
        Some(&[D1.to_owned()][..])
    );
    assert_eq!(
        r.user("em@cisco.com").map(|u| u.devices()),
        Some(&[D3.to_owned()][..])
    );
    assert_eq!(
        r.user("ghost").map(|u| &u.state),
        Some(&UserState::DoesNotExist)
    );

    let all = logout_all(&host);
    let result = client.logout_all(&all).await;
    let data = LogoutAllResultData::from_result(&result);
    assert_eq!(data.branch, Branch::Success);
    assert_eq!(
        (
            data.error_code.code(),
            data.error_message.as_deref().unwrap_or("<null>")
        ),
        (0, "")
    );
    assert!(sim.logins().is_empty());

    let after = client.query_devices(&query).await;
    let view = QueryDevicesResultData::from_result(&after);
    assert_eq!(view.branch, Branch::Success);
    let after = after.expect("query devices");
    for d in &after.devices[..4] {
        assert_eq!(d.state, DeviceState::NoUser, "{}", d.name);
    }
    let r = client.query_users(&who).await.expect("query users");
    assert_eq!(r.users[0].state, UserState::NoDevice);
    assert_eq!(r.users[1].state, UserState::NoDevice);

    let profiles =
        QueryDeviceProfiles::new(APP_ID, APP_CERTIFICATE, ["jdoe"]).call_manager_host(&host);
    let p = client
        .query_device_profiles(&profiles)
        .await
        .expect("profiles");
    assert_eq!(p.users[0].profiles.len(), 2);
    assert_eq!(p.users[0].profiles[0].is_default, Some(true));
}

#[tokio::test]
async fn the_documented_error_codes() {
    let (sim, host, client) = sim().await;
    let bad = Logout::new(APP_ID, "wrong", D1).call_manager_host(&host);
    let e = client.logout(&bad).await.expect_err("bad credentials");
    assert_eq!(e.code(), Some(ErrorCode::InvalidAuthentication));
    assert_eq!(e.error_message(), Some("Invalid App User"));
    assert!(e.to_string().starts_with("Logout failed: 3"), "{e}");
    let norights = Logout::new(
        em_sim::NO_RIGHTS_APP_ID,
        em_sim::NO_RIGHTS_APP_CERTIFICATE,
        D1,
    )
    .call_manager_host(&host);
    assert_eq!(code(client.logout(&norights).await), 10);

    assert_eq!(
        code(client.login(&login(&host, "SEPNOPE", "jdoe")).await),
        11
    );
    assert_eq!(code(client.login(&login(&host, D1, "nobody")).await), 23);
    assert_eq!(code(client.login(&login(&host, NO_EM, "jdoe")).await), 22);
    assert_eq!(code(client.login(&login(&host, D1, "noprofile")).await), 12);
    assert_eq!(
        code(
            client
                .login(&login(&host, D1, "jdoe").device_profile("asmith-udp"))
                .await
        ),
        12
    );
    let logout =
        |device: &str| Logout::new(APP_ID, APP_CERTIFICATE, device).call_manager_host(&host);
    assert_eq!(code(client.logout(&logout(D1)).await), 19);
    assert_eq!(code(client.logout(&logout("SEPNOPE")).await), 11);
    assert_eq!(code(client.logout(&logout(NO_EM)).await), 5);

    client.login(&login(&host, D1, "jdoe")).await.expect("jdoe");
    // Again on the same device: fine; on another: multiple logins are not allowed.
    client
        .login(&login(&host, D1, "jdoe"))
        .await
        .expect("jdoe again");
    assert_eq!(code(client.login(&login(&host, D2, "jdoe")).await), 25);
    assert_eq!(code(client.login(&login(&host, D1, "asmith")).await), 18);
    client.logout(&logout(D1)).await.expect("logout");
    assert!(sim.logins().is_empty());
}

#[tokio::test]
async fn malformed_requests_get_code_1_and_unknown_queries_code_8() {
    let (_sim, host, _client) = sim().await;
    let http = reqwest::Client::new();
    let url = format!("http://{host}/emservice/EMServiceServlet");
    let post = |body: String| {
        let http = http.clone();
        let url = url.clone();
        async move {
            let r = http
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .expect("sent");
            assert_eq!(r.status(), 200);
            r.text().await.expect("body")
        }
    };
    let form = |xml: &str| akixi_client::cisco_em::encode_form_field("xml", xml);
    let app = format!(
        "<appInfo><appID>{APP_ID}</appID><appCertificate>{APP_CERTIFICATE}</appCertificate></appInfo>"
    );
    for body in [
        form("<request><appInfo>"),
        form("<html/>"),
        "nothing=here".to_owned(),
        form(&format!("<request>{app}<logout/></request>")),
        form(&format!("<request>{app}<reboot/></request>")),
    ] {
        let answer = post(body.clone()).await;
        assert!(answer.contains("<error code=\"1\">"), "{body}: {answer}");
    }
    let answer = post(form(&format!("<query>{app}<checkUser/></query>"))).await;
    assert!(answer.contains("<error code=\"8\">"), "{answer}");
    // GET is read like a POST (a servlet takes its form from the query string too), so a GET
    // without the form is a malformed request, answered with code 1.
    let r = http.get(&url).send().await.expect("sent");
    assert_eq!(r.status(), 200);
    let answer = r.text().await.expect("a body");
    assert!(answer.contains("<error code=\"1\">"), "{answer}");
}

#[tokio::test]
async fn v333_paths_and_logout_all_refused_before_sending() {
    let (sim, host, client) = sim().await;
    client
        .login(&login(&host, D1, "jdoe").version(CcmVersion::V333))
        .await
        .expect("login.asp");
    let q = QueryUsers::new(APP_ID, APP_CERTIFICATE, ["jdoe"])
        .call_manager_host(&host)
        .version(CcmVersion::V333);
    assert_eq!(
        client
            .endpoint(&q)
            .map(|u| u.path().to_owned())
            .ok()
            .as_deref(),
        Some("/LoginService/query.asp")
    );
    let r = client.query_users(&q).await.expect("query.asp");
    assert_eq!(r.users[0].devices(), [D1]);

    let all = logout_all(&host).version(CcmVersion::V333);
    let result = client.logout_all(&all).await;
    let e = result.as_ref().expect_err("refused");
    assert!(matches!(e, Error::Invalid(_)), "{e}");
    assert!(!e.was_sent());
    assert_failed_unanswered(LogoutAllResultData::from_result(&result));
    assert_eq!(sim.logins().len(), 1, "nothing was sent");
}

#[tokio::test]
async fn an_unreachable_host_is_error_code_0_and_failure() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let client = Client::new().expect("client");
    let action = logout_all(&addr.to_string());
    let result = client.logout_all(&action).await;
    let e = result.as_ref().expect_err("unreachable");
    match e {
        Error::Http(HttpError::Transport(t)) => assert_eq!(t.phase, Phase::Connect, "{e}"),
        other => panic!("{other}"),
    }
    assert!(
        e.is_no_response() && !e.was_sent() && e.is_retryable(),
        "{e}"
    );
    assert!(e.to_string().contains("cannot connect"), "{e}");
    assert_failed_unanswered(LogoutAllResultData::from_result(&result));
}

/// What a LogoutAll the service did not answer reads as: the failure branch, error code 0
/// (`ErrorCode::UnknownError`) and, with no response XML, the seed's null message.
fn assert_failed_unanswered(data: LogoutAllResultData) {
    assert_eq!(
        (
            data.branch,
            data.error_code,
            data.error_code.code(),
            data.error_message.as_deref()
        ),
        (Branch::Failure, ErrorCode::UnknownError, 0, None)
    );
}

/// A server answering every request with `status`, `content_type` and `body`.
async fn fake(status: u16, content_type: &'static str, body: &'static str) -> String {
    let router = axum::Router::new().fallback(move || async move {
        (
            axum::http::StatusCode::from_u16(status).expect("status"),
            [(axum::http::header::CONTENT_TYPE, content_type)],
            body,
        )
    });
    serve(router).await.to_string()
}

#[tokio::test]
async fn a_malformed_reply_is_error_code_0_and_failure() {
    let host = fake(200, "text/html", "<html><body>It works!</body></html>").await;
    let client = Client::new().expect("client");
    let result = client.logout_all(&logout_all(&host)).await;
    let e = result.as_ref().expect_err("malformed");
    match e {
        Error::Decode(d) => {
            assert_eq!(d.content_type.as_deref(), Some("text/html"));
            assert_eq!(d.error.expected(), "a <response> document");
            assert!(d.error.snippet().contains("It works!"), "{e}");
        }
        other => panic!("{other}"),
    }
    assert!(e.is_no_response());
    assert_failed_unanswered(LogoutAllResultData::from_result(&result));

    let host = fake(200, "text/xml", "<response><success/>").await;
    let e = client
        .logout_all(&logout_all(&host))
        .await
        .expect_err("truncated");
    assert!(matches!(e, Error::Decode(_)), "{e}");
}

#[tokio::test]
async fn a_non_200_status_keeps_its_content_type_and_a_snippet() {
    let host = fake(
        502,
        "text/html; charset=utf-8",
        "<html>\n  <head><title>502 Bad Gateway</title></head>\n</html>",
    )
    .await;
    let client = Client::new().expect("client");
    let q = QueryDevices::new(APP_ID, APP_CERTIFICATE, [D1]).call_manager_host(&host);
    let result = client.query_devices(&q).await;
    let e = result.as_ref().expect_err("502");
    match e {
        Error::Http(HttpError::Status(h)) => {
            assert_eq!(h.status, 502);
            assert_eq!(h.content_type.as_deref(), Some("text/html; charset=utf-8"));
            assert_eq!(
                h.snippet,
                "<html> <head><title>502 Bad Gateway</title></head> </html>"
            );
        }
        other => panic!("{other}"),
    }
    assert!(
        e.is_retryable(),
        "a query through a gateway error may be repeated"
    );
    assert_eq!(
        QueryDevicesResultData::from_result(&result).branch,
        Branch::Failure
    );
}

#[tokio::test]
async fn a_response_of_the_wrong_kind_is_a_protocol_error() {
    let host = fake(200, "text/xml", "<response><success/></response>").await;
    let client = Client::new().expect("client");
    let q = QueryDevices::new(APP_ID, APP_CERTIFICATE, [D1]).call_manager_host(&host);
    let e = client.query_devices(&q).await.expect_err("wrong kind");
    assert!(matches!(e, Error::Protocol(_)), "{e}");
    assert!(
        e.to_string().contains(
            "expected a response with <deviceUserResults> or <failure>, found <success/>"
        ),
        "{e}"
    );
}

#[tokio::test]
async fn too_large_and_too_slow() {
    let big: &'static str =
        Box::leak(format!("<response>{}</response>", " ".repeat(10_000)).into_boxed_str());
    let host = fake(200, "text/xml", big).await;
    let client = Client::builder()
        .max_response_size(1024)
        .build()
        .expect("client");
    let e = client
        .logout_all(&logout_all(&host))
        .await
        .expect_err("too large");
    assert!(matches!(e, Error::Http(HttpError::TooLarge(_))), "{e}");

    let slow = axum::Router::new().fallback(|| async {
        tokio::time::sleep(Duration::from_secs(5)).await;
        "<response><success/></response>"
    });
    let host = serve(slow).await.to_string();
    let client = Client::builder()
        .request_timeout(Duration::from_millis(200))
        .build()
        .expect("client");
    let e = client
        .logout_all(&logout_all(&host))
        .await
        .expect_err("timeout");
    match &e {
        Error::Http(HttpError::Timeout(t)) => assert_eq!(t.phase, Phase::Exchange, "{e}"),
        other => panic!("{other}"),
    }
    assert!(!e.is_retryable(), "LogoutAll may have been carried out");
    assert!(Client::builder().max_response_size(0).build().is_err());
    assert!(
        Client::builder()
            .add_root_certificate_pem("junk")
            .build()
            .is_err()
    );
}

#[tokio::test]
async fn https_to_a_plain_http_service_fails_to_connect() {
    let (_sim, host, _) = sim().await;
    let client = Client::builder()
        .scheme(Scheme::Https)
        .connect_timeout(Duration::from_secs(2))
        .build()
        .expect("client");
    let e = client
        .logout_all(&logout_all(&host))
        .await
        .expect_err("no TLS there");
    assert!(e.is_no_response(), "{e}");
}
