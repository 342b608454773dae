//! API sessions over time and across restarts: an expired session stays expired when the
//! simulator restarts on its state file, a session's last use is what a restart judges it by,
//! an old state file opens; each account keeps at most its cap of signed-in sessions and a full
//! table never ends another account's; and a session dies with its account's credentials (a
//! password set, a lock-out, rights taken away, a deletion).

mod support;

use std::path::Path;
use std::time::Duration;

use akixi_client::akixi::user::{
    Permissions, UserAddRequest, UserChangeRequest, UserDeleteRequest, UserInfoRequest,
};
use akixi_client::akixi::{AdminPermission, AdminPermissions, error_conditions as cond};
use akixi_sim::{SignInBackoff, SimulatorHandle};
use support::{ADMIN, PASSWORD, Raw, code};

const USER: &str = "session-user@example.invalid";
const USER_PASSWORD: &str = "Us3r-pa55word";

async fn start_on(state: &Path, idle: Duration) -> SimulatorHandle {
    support::start_with(support::config().state(state).sessions(idle, 1_000)).await
}

/// Whether the session still answers an entity operation (`None`), else its code.
async fn works(raw: &mut Raw, url: &str) -> Option<u32> {
    url.clone_into(&mut raw.url);
    code(&raw.send(&UserInfoRequest::new(ADMIN)).await)
}

fn unknown_session() -> Option<u32> {
    Some(cond::UNKNOWN_SESSION.code())
}

#[tokio::test]
async fn an_expired_session_stays_expired_after_a_restart() {
    let dir = support::TempDir::new("expired-restart");
    let state = dir.path("state.db");
    let idle = Duration::from_millis(500);
    let sim = start_on(&state, idle).await;
    let mut raw = Raw::login(sim.url(), ADMIN, PASSWORD).await;
    assert_eq!(works(&mut raw, sim.url()).await, None);
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(
        works(&mut raw, sim.url()).await,
        unknown_session(),
        "expired"
    );
    sim.shutdown().await.expect("stops");

    let again = start_on(&state, idle).await;
    assert_eq!(
        works(&mut raw, again.url()).await,
        unknown_session(),
        "a restart does not revive an expired session"
    );
    again.shutdown().await.expect("stops");
}

#[tokio::test]
async fn a_live_session_survives_a_restart() {
    let dir = support::TempDir::new("live-restart");
    let state = dir.path("state.db");
    let idle = Duration::from_secs(600);
    let sim = start_on(&state, idle).await;
    let mut raw = Raw::login(sim.url(), ADMIN, PASSWORD).await;
    sim.shutdown().await.expect("stops");
    let again = start_on(&state, idle).await;
    assert_eq!(works(&mut raw, again.url()).await, None);
    again.shutdown().await.expect("stops");
}

#[tokio::test]
async fn a_restart_judges_a_session_by_its_last_use_not_its_sign_in() {
    let dir = support::TempDir::new("last-use-restart");
    let state = dir.path("state.db");
    let idle = Duration::from_secs(2);
    let sim = start_on(&state, idle).await;
    let signed_in = tokio::time::Instant::now();
    let mut raw = Raw::login(sim.url(), ADMIN, PASSWORD).await;
    // Used within every idle period, it lives on past the idle timeout since it signed in.
    for step in 1..=2u32 {
        tokio::time::sleep_until(signed_in + Duration::from_millis(1_200) * step).await;
        assert_eq!(works(&mut raw, sim.url()).await, None);
    }
    // A clean shutdown records when it was last used.
    sim.shutdown().await.expect("stops");
    let again = start_on(&state, idle).await;
    assert!(
        signed_in.elapsed() > idle,
        "the sign-in is older than the idle timeout"
    );
    assert_eq!(
        works(&mut raw, again.url()).await,
        None,
        "its last use was recent"
    );
    again.shutdown().await.expect("stops");
}

#[tokio::test]
async fn a_state_file_of_schema_version_2_opens_with_its_entities_and_without_its_sessions() {
    let dir = support::TempDir::new("schema-2");
    let state = dir.path("state.db");
    let sim = start_on(&state, Duration::from_secs(600)).await;
    let users = sim.user_count();
    let mut raw = Raw::login(sim.url(), ADMIN, PASSWORD).await;
    sim.shutdown().await.expect("stops");
    {
        // What version 2 wrote: sessions without a time of last use.
        let db = rusqlite::Connection::open(&state).expect("opens");
        db.execute_batch("ALTER TABLE sessions DROP COLUMN used_at; PRAGMA user_version = 2;")
            .expect("back to version 2");
    }
    let again = start_on(&state, Duration::from_secs(600)).await;
    assert_eq!(again.user_count(), users, "every entity is kept");
    assert_eq!(
        works(&mut raw, again.url()).await,
        unknown_session(),
        "sessions of unknown age end"
    );
    let mut fresh = Raw::login(again.url(), ADMIN, PASSWORD).await;
    assert_eq!(works(&mut fresh, again.url()).await, None);
    let version: i64 = rusqlite::Connection::open(&state)
        .expect("opens")
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("a version");
    assert_eq!(version, 3);
    again.shutdown().await.expect("stops");
}

/// Adds `name` (with `tokens`) through the administrator's session.
async fn add_user(admin: &mut Raw, name: &str, tokens: &[AdminPermission]) {
    let admin_tokens = tokens
        .iter()
        .fold(AdminPermissions::new(), |s, t| s.with(t.clone()));
    let answer = admin
        .send(
            &UserAddRequest::new(name)
                .password(USER_PASSWORD)
                .lock_out(false)
                .permissions(Permissions::new().admin(admin_tokens)),
        )
        .await;
    assert_eq!(code(&answer), None, "{answer}");
}

/// Whether `raw` (signed in as a user who may read itself) still works.
async fn still_works(raw: &mut Raw, name: &str) -> Option<u32> {
    code(&raw.send(&UserInfoRequest::new(name)).await)
}

#[tokio::test]
async fn an_account_keeps_at_most_its_cap_and_a_full_table_never_ends_anothers_session() {
    let sim = support::start_with(
        support::config()
            .sessions(Duration::from_secs(600), 6)
            .sign_in_backoff(SignInBackoff {
                sessions_per_account: 3,
                ..SignInBackoff::default()
            }),
    )
    .await;
    let mut admin = Raw::login(sim.url(), ADMIN, PASSWORD).await;
    add_user(&mut admin, USER, &[AdminPermission::UserRead]).await;
    let other = "other-user@example.invalid";
    add_user(&mut admin, other, &[AdminPermission::UserRead]).await;

    let mut mine = Vec::new();
    for _ in 0..5 {
        mine.push(Raw::login(sim.url(), USER, USER_PASSWORD).await);
    }
    // Its own two oldest went; the three newest live.
    let mut alive = Vec::new();
    for raw in &mut mine {
        alive.push(still_works(raw, USER).await.is_none());
    }
    assert_eq!(alive, [false, false, true, true, true]);
    assert_eq!(still_works(&mut admin, ADMIN).await, None);

    // A flood of sessions that never sign in costs no signed-in session.
    for _ in 0..20 {
        Raw::open(sim.url()).await;
    }
    assert_eq!(still_works(&mut admin, ADMIN).await, None);

    // Admin 1 + user 3 + other 2 = 6 signed-in sessions fill the table: CreateSession is
    // refused (try again later) rather than end one of them.
    let mut others = vec![
        Raw::login(sim.url(), other, USER_PASSWORD).await,
        Raw::login(sim.url(), other, USER_PASSWORD).await,
    ];
    let refused = support::post(
        sim.url(),
        "<Request Operation=\"CreateSession\"><InvokeID>00001</InvokeID></Request>",
    )
    .await;
    assert_eq!(code(&refused), Some(cond::BUSY.code()), "{refused}");
    assert_eq!(still_works(&mut admin, ADMIN).await, None);
    for raw in &mut others {
        assert_eq!(still_works(raw, other).await, None);
    }
    for raw in mine.iter_mut().skip(2) {
        assert_eq!(still_works(raw, USER).await, None);
    }
    assert_eq!(sim.stats().live_sessions, 6);
}

// The tests below show that a session dies with its account's credentials. They need the
// account changes (`entities.rs`) to call `Engine::end_sessions_of`.

/// The administrator's session and two of `USER`'s (who holds `tokens`).
async fn user_with_two_sessions(
    sim: &SimulatorHandle,
    tokens: &[AdminPermission],
) -> (Raw, Raw, Raw) {
    let mut admin = Raw::login(sim.url(), ADMIN, PASSWORD).await;
    add_user(&mut admin, USER, tokens).await;
    let first = Raw::login(sim.url(), USER, USER_PASSWORD).await;
    let second = Raw::login(sim.url(), USER, USER_PASSWORD).await;
    (admin, first, second)
}

/// Whether `raw`'s session is gone (unknown), as opposed to merely refused.
async fn ended(raw: &mut Raw) -> bool {
    still_works(raw, USER).await == unknown_session()
}

#[tokio::test]
async fn setting_an_accounts_password_ends_its_sessions() {
    let sim = support::start().await;
    let (mut admin, mut first, mut second) =
        user_with_two_sessions(&sim, &[AdminPermission::UserRead]).await;
    let answer = admin
        .send(&UserChangeRequest::new(USER).password("N3w-pa55word"))
        .await;
    assert_eq!(code(&answer), None, "{answer}");
    assert!(ended(&mut first).await);
    assert!(ended(&mut second).await);
    assert_eq!(
        still_works(&mut admin, ADMIN).await,
        None,
        "the caller's own lives"
    );
}

#[tokio::test]
async fn changing_ones_own_password_ends_ones_other_sessions_only() {
    let sim = support::start().await;
    let (_admin, mut first, mut second) = user_with_two_sessions(
        &sim,
        &[AdminPermission::UserRead, AdminPermission::UserUpdate],
    )
    .await;
    let answer = first
        .send(&UserChangeRequest::new(USER).password("N3w-pa55word"))
        .await;
    assert_eq!(code(&answer), None, "{answer}");
    assert_eq!(
        still_works(&mut first, USER).await,
        None,
        "the session that changed it"
    );
    assert!(ended(&mut second).await, "the other one");
}

#[tokio::test]
async fn locking_an_account_out_ends_its_sessions_and_unlocking_does_not_revive_them() {
    let sim = support::start().await;
    let (mut admin, mut first, mut second) =
        user_with_two_sessions(&sim, &[AdminPermission::UserRead]).await;
    let lock = admin
        .send(&UserChangeRequest::new(USER).lock_out(true))
        .await;
    assert_eq!(code(&lock), None, "{lock}");
    let unlock = admin
        .send(&UserChangeRequest::new(USER).lock_out(false))
        .await;
    assert_eq!(code(&unlock), None, "{unlock}");
    assert!(ended(&mut first).await);
    assert!(ended(&mut second).await);
    // A new sign-in works.
    let mut again = Raw::login(sim.url(), USER, USER_PASSWORD).await;
    assert_eq!(still_works(&mut again, USER).await, None);
}

#[tokio::test]
async fn taking_rights_away_ends_the_accounts_sessions() {
    let sim = support::start().await;
    let (mut admin, mut first, mut second) = user_with_two_sessions(
        &sim,
        &[AdminPermission::UserRead, AdminPermission::UserUpdate],
    )
    .await;
    let demote = admin
        .send(&UserChangeRequest::new(USER).permissions(
            Permissions::new().admin(AdminPermissions::new().with(AdminPermission::UserRead)),
        ))
        .await;
    assert_eq!(code(&demote), None, "{demote}");
    assert!(ended(&mut first).await);
    assert!(ended(&mut second).await);
}

#[tokio::test]
async fn deleting_an_account_ends_its_sessions() {
    let sim = support::start().await;
    let (mut admin, mut first, mut second) =
        user_with_two_sessions(&sim, &[AdminPermission::UserRead]).await;
    let delete = admin.send(&UserDeleteRequest::new(USER)).await;
    assert_eq!(code(&delete), None, "{delete}");
    assert!(ended(&mut first).await);
    assert!(ended(&mut second).await);
}
