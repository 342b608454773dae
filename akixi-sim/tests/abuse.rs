//! Callers who abuse the API: sessions left to expire or created by the thousand, password
//! guessing (one address, several, concurrent), storms of unauthenticated sign-ins, and
//! probing for user names; the Extension Mobility service's application credentials too.

mod support;

use std::net::IpAddr;
use std::time::Duration;

use akixi_client::akixi::user::UserListRequest;
use akixi_client::akixi::{error_conditions as cond, session, user::UserInfoRequest};
use akixi_client::akixi_ws::cipher::SessionPasswords;
use akixi_client::cisco_em::encode_form_field;
use akixi_client::runtime::akixi_ws::encode_request;
use akixi_sim::{HashCost, SignInBackoff};
use support::{ADMIN, PASSWORD, Raw, code};

fn quick_backoff() -> SignInBackoff {
    SignInBackoff {
        free_attempts: 3,
        first_wait: Duration::from_millis(400),
        max_wait: Duration::from_secs(2),
        ..SignInBackoff::default()
    }
}

async fn authenticate(url: &str, user: &str, password: &str) -> Option<u32> {
    let mut raw = Raw::open(url).await;
    code(
        &raw.send(&session::AuthenticateRequest::new(user, password))
            .await,
    )
}

/// `CreateSession` then `Authenticate`, over a connection from the loopback address `from`
/// (127.0.0.0/8 is all loopback, so a test can play several callers); the error code, if any.
async fn authenticate_from(url: &str, from: [u8; 4], user: &str, password: &str) -> Option<u32> {
    let http = reqwest::Client::builder()
        .local_address(IpAddr::from(from))
        .build()
        .expect("a client");
    let post = |body: String| {
        let http = http.clone();
        async move { support::answer(http.post(url).body(body)).await }
    };
    let created = post(
        "<Request Operation=\"CreateSession\"><InvokeID>00001</InvokeID></Request>".to_owned(),
    )
    .await;
    let data = support::decode::<session::CreateSessionResponse>(&created)
        .data
        .expect("CreateSession returns data");
    let nonce = data.nonce.expect("a Nonce");
    let session_id = data.session_id.expect("a SessionID").expose().to_owned();
    let cipher = support::cipher();
    let passwords = SessionPasswords {
        cipher: &cipher,
        nonce: &nonce,
    };
    let xml = encode_request(
        &session::AuthenticateRequest::new(user, password),
        "00002",
        Some(&session_id),
        &passwords,
    )
    .expect("encodes");
    code(&post(xml).await)
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
        let answer = support::answer(
            http.post(sim.url())
                .body("<Request Operation=\"CreateSession\"><InvokeID>00001</InvokeID></Request>"),
        )
        .await;
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
async fn password_guessing_is_slowed_per_user_and_address_without_locking_the_owner_out() {
    let sim = support::start_with(support::config().sign_in_backoff(quick_backoff())).await;
    let failed = Some(cond::AUTHENTICATION_FAILED.code());
    let guesser = [127, 0, 0, 1];
    let before = sim.stats().password_verifications;
    for _ in 0..3 {
        assert_eq!(
            authenticate_from(sim.url(), guesser, ADMIN, "guess").await,
            failed
        );
    }
    assert_eq!(sim.stats().password_verifications, before + 3);
    // Past the free attempts, even the right password is refused unchecked from that address.
    assert_eq!(
        authenticate_from(sim.url(), guesser, ADMIN, "guess").await,
        failed
    );
    assert_eq!(
        authenticate_from(sim.url(), guesser, ADMIN, PASSWORD).await,
        failed
    );
    assert_eq!(
        sim.stats().password_verifications,
        before + 3,
        "the attempts during the wait were not checked"
    );
    // The owner, from another address, is checked and signs in.
    assert_eq!(
        authenticate_from(sim.url(), [127, 0, 0, 2], ADMIN, PASSWORD).await,
        None
    );
    // Another name from the guesser's address is still checked (its own budget is larger).
    assert_eq!(
        authenticate_from(sim.url(), guesser, "someone-else@example.invalid", "x").await,
        failed
    );
    assert_eq!(sim.stats().password_verifications, before + 5);
    // Once the wait is over, the right password signs in from the guesser's address too.
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(
        authenticate_from(sim.url(), guesser, ADMIN, PASSWORD).await,
        None
    );
}

#[tokio::test]
async fn concurrent_guesses_from_one_address_are_counted_before_they_are_checked() {
    let sim = support::start_with(support::config().sign_in_backoff(SignInBackoff {
        // Long enough that no wait ends during the test.
        first_wait: Duration::from_secs(60),
        max_wait: Duration::from_secs(60),
        ..quick_backoff()
    }))
    .await;
    let before = sim.stats().password_verifications;
    let guesses: Vec<_> = (0..64)
        .map(|_| {
            let url = sim.url().to_owned();
            tokio::spawn(
                async move { authenticate_from(&url, [127, 0, 0, 1], ADMIN, "guess").await },
            )
        })
        .collect();
    for guess in guesses {
        assert_eq!(
            guess.await.expect("a guess"),
            Some(cond::AUTHENTICATION_FAILED.code())
        );
    }
    assert_eq!(
        sim.stats().password_verifications - before,
        3,
        "64 concurrent guesses: exactly the 3 free attempts were checked"
    );
    assert_eq!(
        authenticate_from(sim.url(), [127, 0, 0, 3], ADMIN, PASSWORD).await,
        None,
        "the owner elsewhere signs in"
    );
}

#[tokio::test]
async fn refused_attempts_do_not_extend_the_wait() {
    let sim = support::start_with(support::config().sign_in_backoff(SignInBackoff {
        first_wait: Duration::from_millis(600),
        ..quick_backoff()
    }))
    .await;
    let from = [127, 0, 0, 1];
    for _ in 0..3 {
        authenticate_from(sim.url(), from, ADMIN, "guess").await;
    }
    let waiting = tokio::time::Instant::now();
    // Refused unchecked while it waits, the right password included; none of these counts.
    for _ in 0..5 {
        assert_eq!(
            authenticate_from(sim.url(), from, ADMIN, PASSWORD).await,
            Some(cond::AUTHENTICATION_FAILED.code())
        );
    }
    tokio::time::sleep_until(waiting + Duration::from_millis(900)).await;
    assert_eq!(
        authenticate_from(sim.url(), from, ADMIN, PASSWORD).await,
        None,
        "the wait ended when the last checked failure said"
    );
}

#[tokio::test]
async fn a_storm_of_unknown_users_is_bounded_by_the_verification_gate() {
    // Real (standard) hashes, and a back-off that leaves the gate as the only bound.
    let sim = support::start_with(
        support::config()
            .hash_cost(HashCost::Standard)
            .sign_in_backoff(SignInBackoff {
                free_attempts: 10_000,
                address_free_attempts: 10_000,
                account_failures_per_minute: 0,
                verifications_in_flight: 2,
                verification_queue: 2,
                ..SignInBackoff::default()
            }),
    )
    .await;
    let mut admin = Raw::login(sim.url(), ADMIN, PASSWORD).await;
    let before = sim.stats().password_verifications;
    let storm: Vec<_> = (0..64)
        .map(|i| {
            let url = sim.url().to_owned();
            tokio::spawn(async move {
                authenticate(&url, &format!("nobody-{i}@example.invalid"), "guess").await
            })
        })
        .collect();
    let (mut checked, mut busy) = (0u64, 0u64);
    for answer in storm {
        match answer.await.expect("an answer") {
            Some(c) if c == cond::AUTHENTICATION_FAILED.code() => checked += 1,
            Some(c) if c == cond::BUSY.code() => busy += 1,
            other => panic!("unexpected answer {other:?}"),
        }
    }
    assert_eq!(checked + busy, 64);
    assert_eq!(
        sim.stats().password_verifications - before,
        checked,
        "a shed sign-in runs no verification"
    );
    assert!(
        busy > 0,
        "64 at once through 2 places and a queue of 2 must shed some"
    );
    // A signed-in caller is served throughout.
    assert_eq!(code(&admin.send(&UserListRequest::new()).await), None);
}

#[tokio::test]
async fn extension_mobility_credentials_get_the_same_back_off() {
    let sim = support::start().await;
    let url = format!(
        "http://{}{}",
        sim.addr(),
        akixi_client::em::BINDING.service_path
    );
    let query = |certificate: &str| {
        encode_form_field(
            "xml",
            &format!(
                "<query><appInfo><appID>{}</appID><appCertificate>{certificate}</appCertificate>\
                 </appInfo><deviceUserQuery><deviceName>SEP001122334455</deviceName>\
                 </deviceUserQuery></query>",
                akixi_sim::em::APP_ID
            ),
        )
    };
    let send = |form: String| {
        let url = url.clone();
        async move {
            support::answer(
                reqwest::Client::new()
                    .post(&url)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body(form),
            )
            .await
        }
    };
    let refused = |body: &str| body.contains("code=\"3\"");
    for _ in 0..SignInBackoff::default().free_attempts {
        assert!(refused(&send(query("guess")).await));
    }
    // Past the free attempts, the right certificate is refused unchecked from this address.
    let body = send(query(akixi_sim::em::APP_CERTIFICATE)).await;
    assert!(refused(&body), "{body}");
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
