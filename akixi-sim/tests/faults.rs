//! Injected faults against the typed client: what it retries, what it never sends twice, how it
//! recovers its session, and the rules' admin endpoint.

mod support;

use akixi_client::RetryPolicy;
use akixi_client::akixi::error_conditions as cond;
use akixi_client::akixi::user::{UserAddRequest, UserInfoRequest};
use akixi_sim::{FAULTS_PATH, FAULTS_TOKEN_HEADER, FaultPlan, SimulatorHandle};
use support::{ADMIN, PASSWORD, client, code_of};

fn plan(text: &str) -> FaultPlan {
    text.parse().expect("fault rules")
}

async fn exists(sim: &SimulatorHandle, name: &str) -> bool {
    let admin = client(sim, ADMIN);
    match admin.user_info(UserInfoRequest::new(name)).await {
        Ok(_) => true,
        Err(e) if e.code() == Some(cond::UNKNOWN_ENTITY_USER) => false,
        Err(e) => panic!("info: {e}"),
    }
}

#[tokio::test]
async fn an_add_whose_answer_is_lost_is_reported_and_never_sent_again() {
    let sim = support::start().await;
    let admin = client(&sim, ADMIN);
    // Sign in first, so the fault meets the add itself.
    admin
        .user_info(UserInfoRequest::new(ADMIN))
        .await
        .expect("signed in");
    sim.set_faults(plan("UserAdd first=1 reset-after"));
    let err = admin
        .user_add(UserAddRequest::new("lost@example.invalid"))
        .await
        .expect_err("the answer was lost");
    assert!(err.outcome_unknown(), "{err}");
    assert!(!err.is_retryable(), "{err}");
    // Carried out once: had the client sent it again, it would have met the duplicate.
    assert!(exists(&sim, "lost@example.invalid").await);
    assert_eq!(
        code_of(
            admin
                .user_add(UserAddRequest::new("lost@example.invalid"))
                .await
        ),
        cond::DUPLICATE_ENTITY_USER.code()
    );

    // Reset before processing: the same error for the caller, and nothing was done.
    sim.set_faults(plan("UserAdd first=1 reset-before"));
    let err = admin
        .user_add(UserAddRequest::new("never@example.invalid"))
        .await
        .expect_err("reset");
    assert!(err.outcome_unknown(), "{err}");
    assert!(!exists(&sim, "never@example.invalid").await);

    // A truncated answer cannot be read: the outcome is unknown too.
    sim.set_faults(plan("UserAdd first=1 truncate"));
    let err = admin
        .user_add(UserAddRequest::new("half@example.invalid"))
        .await
        .expect_err("truncated");
    assert!(err.outcome_unknown(), "{err}");
    assert!(exists(&sim, "half@example.invalid").await);
}

#[tokio::test]
async fn reads_are_retried_and_503_is_retried_for_everything() {
    let sim = support::start().await;
    let admin = support::client_with(&sim, ADMIN, PASSWORD);
    admin
        .user_info(UserInfoRequest::new(ADMIN))
        .await
        .expect("signed in");
    sim.set_faults(plan("UserInfo first=1 reset-before"));
    admin
        .user_info(UserInfoRequest::new(ADMIN))
        .await
        .expect("a read is sent again after a reset");
    // An unreadable answer is not retried, even for a read (it is often a server's bug).
    sim.set_faults(plan("UserInfo first=1 truncate"));
    let err = admin
        .user_info(UserInfoRequest::new(ADMIN))
        .await
        .expect_err("cut short");
    assert!(
        !err.outcome_unknown(),
        "a read has no outcome to doubt: {err}"
    );
    sim.set_faults(plan("* first=2 503"));
    admin
        .user_add(UserAddRequest::new("busy@example.invalid"))
        .await
        .expect("503 means not carried out: sent again");
    sim.set_faults(plan("* first=5 503:0"));
    let impatient = akixi_client::Client::builder(sim.url())
        .credentials(ADMIN, PASSWORD)
        .allow_http(true)
        .retry_policy(RetryPolicy::new(2))
        .build()
        .expect("client");
    let err = impatient
        .user_info(UserInfoRequest::new(ADMIN))
        .await
        .expect_err("more 503s than attempts");
    assert!(err.to_string().contains("503"), "{err}");
}

#[tokio::test]
async fn a_session_code_makes_the_client_sign_in_again() {
    let sim = support::start().await;
    let admin = client(&sim, ADMIN);
    admin
        .user_info(UserInfoRequest::new(ADMIN))
        .await
        .expect("signed in");
    sim.set_faults(plan(&format!(
        "UserInfo first=1 code={}",
        cond::UNKNOWN_SESSION.code()
    )));
    admin
        .user_info(UserInfoRequest::new(ADMIN))
        .await
        .expect("a new session, then the read");
    // A code the client must not paper over reaches the caller.
    sim.set_faults(plan("UserInfo first=1 code=10106"));
    assert_eq!(
        code_of(admin.user_info(UserInfoRequest::new(ADMIN)).await),
        10106
    );
}

#[tokio::test]
async fn latency_delays_without_changing_the_answer() {
    let sim = support::start().await;
    let admin = client(&sim, ADMIN);
    sim.set_faults(plan("UserInfo p=1 latency=30+10"));
    let started = std::time::Instant::now();
    admin
        .user_info(UserInfoRequest::new(ADMIN))
        .await
        .expect("slow, but answered");
    // Not a timing test: the delay is a lower bound the fault guarantees.
    assert!(started.elapsed() >= std::time::Duration::from_millis(30));
}

fn faults_url(sim: &SimulatorHandle) -> String {
    format!("{}{}", sim.url().trim_end_matches('/'), FAULTS_PATH)
}

/// The fault endpoint, with the run's token.
fn admin_request(
    http: &reqwest::Client,
    method: reqwest::Method,
    sim: &SimulatorHandle,
) -> reqwest::RequestBuilder {
    http.request(method, faults_url(sim))
        .header(FAULTS_TOKEN_HEADER, sim.faults_token().expose())
}

#[tokio::test]
async fn the_rules_change_while_the_simulator_runs() {
    let sim = support::start_with(support::config().faults(plan("seed=3\n* p=0.5 503"))).await;
    let http = reqwest::Client::new();
    let shown = admin_request(&http, reqwest::Method::GET, &sim)
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("text");
    assert_eq!(shown.parse::<FaultPlan>(), Ok(sim.faults()));
    assert!(shown.contains("* p=0.5 503"), "{shown}");

    let bad = admin_request(&http, reqwest::Method::PUT, &sim)
        .body("UserAdd first=1 explode")
        .send()
        .await
        .expect("PUT");
    assert_eq!(bad.status(), 400);
    let why = bad.text().await.expect("text");
    assert!(why.contains("rule 1") && why.contains("explode"), "{why}");
    assert_eq!(sim.faults().rules.len(), 1, "a bad PUT changes nothing");

    let ok = admin_request(&http, reqwest::Method::PUT, &sim)
        .header("content-type", "text/plain; charset=utf-8")
        .body("UserAdd first=1 reset-after")
        .send()
        .await
        .expect("PUT");
    assert_eq!(ok.status(), 200);
    assert_eq!(sim.faults(), plan("UserAdd first=1 reset-after"));
    let cleared = admin_request(&http, reqwest::Method::DELETE, &sim)
        .send()
        .await
        .expect("DELETE");
    assert_eq!(cleared.status(), 200);
    assert!(sim.faults().rules.is_empty());
    sim.shutdown().await.expect("stops");
}

/// What a web page, a DNS-rebinding page or another local process can send is refused, and
/// changes nothing.
#[tokio::test]
async fn the_fault_endpoint_needs_the_token_a_loopback_host_and_no_origin() {
    let sim = support::start_with(support::config().faults(plan("* p=0 503"))).await;
    let before = sim.faults();
    let http = reqwest::Client::new();
    let url = faults_url(&sim);
    let token = sim.faults_token().expose().to_owned();
    assert_eq!(token.len(), 32, "a random token");
    let wrong = "0".repeat(32);
    // A PUT of new rules with the right token; each row adds what makes it wrong.
    let put = || http.put(&url).header(FAULTS_TOKEN_HEADER, &token);
    let refused: Vec<(&str, reqwest::RequestBuilder, u16)> = vec![
        (
            "no token (a browser's simple text/plain POST)",
            http.post(&url)
                .header("content-type", "text/plain")
                .body("* p=1 code=10302"),
            401,
        ),
        (
            "a wrong token",
            http.put(&url)
                .header(FAULTS_TOKEN_HEADER, &wrong)
                .body("* p=1 code=10302"),
            401,
        ),
        ("a GET without the token", http.get(&url), 401),
        (
            "a rebound name as Host",
            put()
                .header("host", "attacker.example:8080")
                .body("* p=1 code=10302"),
            403,
        ),
        (
            "an Origin, even with the token",
            put()
                .header("origin", "http://127.0.0.1:1234")
                .body("* p=1 code=10302"),
            403,
        ),
        (
            "the origin of a page on the same port",
            http.delete(&url)
                .header(FAULTS_TOKEN_HEADER, &token)
                .header("origin", format!("http://{}", sim.addr())),
            403,
        ),
        (
            "a form post",
            put()
                .header("content-type", "application/x-www-form-urlencoded")
                .body("* p=1 code=10302"),
            415,
        ),
        (
            "a latency beyond the request timeout",
            put().body("* p=1 latency=4000000000"),
            400,
        ),
        (
            "latencies adding up beyond the request timeout",
            put().body("* p=1 latency=40000\n* p=1 latency=20000+1"),
            400,
        ),
        (
            "a count beyond the bound",
            put().body("* first=99999999999 503"),
            400,
        ),
        (
            "a body beyond the bound",
            put().body("#".repeat(65 * 1024)),
            413,
        ),
    ];
    for (what, request, status) in refused {
        let response = request.send().await.expect("answered");
        let got = response.status().as_u16();
        let body = response.text().await.unwrap_or_default();
        assert_eq!(got, status, "{what}: {body}");
        assert!(!body.contains(&token), "{what}: the token leaks: {body}");
        assert_eq!(sim.faults(), before, "{what} changed the rules");
    }
    // With everything right, accepted.
    let ok = admin_request(&http, reqwest::Method::PUT, &sim)
        .header("host", "localhost")
        .body("* p=1 latency=60000")
        .send()
        .await
        .expect("PUT");
    assert_eq!(ok.status(), 200);
    assert_eq!(sim.faults(), plan("* p=1 latency=60000"));
}

/// With a state file, the token is written beside it for its owner only, and a plan that could
/// not be answered in time is refused at start.
#[tokio::test]
async fn the_token_is_written_beside_the_state_for_its_owner_only() {
    let dir = support::TempDir::new("faults-token");
    let state = dir.path("state.db");
    let sim = support::start_with(support::config().state(&state)).await;
    let file = dir.path("state.db.faults-token");
    assert_eq!(sim.faults_token_file(), Some(file.as_path()));
    let text = std::fs::read_to_string(&file).expect("the token file");
    assert_eq!(text.trim_end(), sim.faults_token().expose());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let first = sim.faults_token().expose().to_owned();
    sim.shutdown().await.expect("stops");
    assert!(!file.exists(), "the token goes with the run");
    let again = support::start_with(support::config().state(&state)).await;
    assert_ne!(again.faults_token().expose(), first, "a new token each run");
    again.shutdown().await.expect("stops");

    let refused =
        akixi_sim::Simulator::start(support::config().faults(plan("* p=1 latency=61000")))
            .await
            .expect_err("latency beyond the request timeout");
    assert!(refused.to_string().contains("request timeout"), "{refused}");
}
