//! Callers who abuse the API: sessions left to expire or created by the thousand, password
//! guessing, and probing for user names.

mod support;

use std::time::Duration;

use akixi_client::akixi::{error_conditions as cond, session, user::UserInfoRequest};
use akixi_sim::SignInBackoff;
use support::{ADMIN, PASSWORD, Raw, code};

fn quick_backoff() -> SignInBackoff {
    SignInBackoff {
        free_attempts: 3,
        first_wait: Duration::from_millis(400),
        max_wait: Duration::from_secs(2),
    }
}

async fn authenticate(url: &str, user: &str, password: &str) -> Option<u32> {
    let mut raw = Raw::open(url).await;
    code(
        &raw.send(&session::AuthenticateRequest::new(user, password))
            .await,
    )
}

#[tokio::test]
async fn an_unused_session_expires_and_answers_the_session_code() {
    let sim =
        support::start_with(support::config().sessions(Duration::from_millis(300), 1_000)).await;
    let mut raw = Raw::login(sim.url(), ADMIN, PASSWORD).await;
    assert_eq!(code(&raw.send(&UserInfoRequest::new(ADMIN)).await), None);
    // Used within the timeout, it lives on.
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(code(&raw.send(&UserInfoRequest::new(ADMIN)).await), None);
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(
        code(&raw.send(&UserInfoRequest::new(ADMIN)).await),
        Some(cond::UNKNOWN_SESSION.code()),
        "an expired session is an unknown one"
    );
}

#[tokio::test]
async fn thousands_of_create_session_calls_keep_sessions_bounded() {
    let cap = 200;
    let sim = support::start_with(support::config().sessions(Duration::from_secs(600), cap)).await;
    let signed_in = Raw::login(sim.url(), ADMIN, PASSWORD).await;
    let http = reqwest::Client::new();
    for _ in 0..(cap * 10) {
        let answer = http
            .post(sim.url())
            .body("<Request Operation=\"CreateSession\"><InvokeID>00001</InvokeID></Request>")
            .send()
            .await
            .expect("answered")
            .text()
            .await
            .expect("a body");
        assert_eq!(code(&answer), None, "{answer}");
        assert!(sim.stats().live_sessions <= cap, "{:?}", sim.stats());
    }
    // Sessions that never signed in go first: the signed-in one survives the flood.
    let mut signed_in = signed_in;
    assert_eq!(
        code(&signed_in.send(&UserInfoRequest::new(ADMIN)).await),
        None
    );
}

#[tokio::test]
async fn password_guessing_is_slowed_per_user_and_per_address() {
    let sim = support::start_with(support::config().sign_in_backoff(quick_backoff())).await;
    let failed = Some(cond::AUTHENTICATION_FAILED.code());
    for _ in 0..3 {
        assert_eq!(authenticate(sim.url(), ADMIN, "guess").await, failed);
    }
    let checked = sim.stats().password_verifications;
    // Past the free attempts, even the right password is refused unchecked while it waits.
    assert_eq!(authenticate(sim.url(), ADMIN, "guess").await, failed);
    assert_eq!(authenticate(sim.url(), ADMIN, PASSWORD).await, failed);
    assert_eq!(
        sim.stats().password_verifications,
        checked + 1,
        "only the fourth guess was checked; the attempt during the wait was not"
    );
    // The address waits too, whatever name it tries.
    assert_eq!(
        authenticate(sim.url(), "someone-else@example.invalid", "x").await,
        failed
    );
    // Once the wait is over, the right password signs in again.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(authenticate(sim.url(), ADMIN, PASSWORD).await, None);
}

#[tokio::test]
async fn an_unknown_user_costs_what_a_wrong_password_costs() {
    let sim = support::start().await;
    let before = sim.stats().password_verifications;
    authenticate(sim.url(), ADMIN, "wrong-password").await;
    let wrong_password = sim.stats().password_verifications - before;
    let before = sim.stats().password_verifications;
    authenticate(sim.url(), "nobody@example.invalid", "wrong-password").await;
    let unknown_user = sim.stats().password_verifications - before;
    assert_eq!(wrong_password, 1);
    assert_eq!(
        unknown_user, wrong_password,
        "an unknown user must cost one verification too, or timing tells names apart"
    );
}

#[tokio::test]
async fn sessions_that_never_sign_in_cost_no_write_to_the_state_file() {
    let dir = support::TempDir::new("no-session-writes");
    let state = dir.path("state.db");
    let sim = support::start_with(support::config().state(&state)).await;
    for _ in 0..50 {
        Raw::open(sim.url()).await;
    }
    let _signed_in = Raw::login(sim.url(), ADMIN, PASSWORD).await;
    let stored: i64 = rusqlite::Connection::open(&state)
        .expect("opens")
        .query_row("SELECT COUNT(*) FROM sessions", [], |r| r.get(0))
        .expect("counts");
    assert_eq!(stored, 1, "only the session that signed in is written");
    assert_eq!(sim.stats().live_sessions, 51);
}
