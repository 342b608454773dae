//! Demo logins: each seeded supervisor gets its own random password when a state is created
//! (or one given), shown once and written for the owner only beside the state file; the
//! administrator's password signs in as none of them.

mod support;

use std::collections::HashSet;

use akixi_client::akixi::user::UserInfoRequest;
use akixi_sim::seed::SUPERVISORS;
use support::{ADMIN, PASSWORD, client, client_with, code_of};

const AUTHENTICATION_FAILED: u32 = 10305;

#[tokio::test]
async fn each_supervisor_has_its_own_password_and_the_admins_is_none_of_them() {
    let sim = support::start().await;
    let logins = sim.demo_logins();
    assert_eq!(
        logins
            .iter()
            .map(|l| l.username.as_str())
            .collect::<Vec<_>>(),
        SUPERVISORS.iter().map(|s| s.username).collect::<Vec<_>>()
    );
    let passwords: HashSet<&str> = logins
        .iter()
        .map(|l| l.password.as_ref().expect("made for a new state").expose())
        .collect();
    assert_eq!(passwords.len(), SUPERVISORS.len(), "all different");
    assert!(!passwords.contains(PASSWORD));
    for login in logins {
        assert!(!login.given);
        assert_eq!(login.password.as_ref().map(|p| p.expose().len()), Some(20));
        // Its own password signs in (whatever the account may read).
        let own = client(&sim, &login.username);
        let signed_in = own.user_info(UserInfoRequest::new(&login.username)).await;
        if let Err(e) = &signed_in {
            assert_ne!(
                e.code().map(|c| c.code()),
                Some(AUTHENTICATION_FAILED),
                "{}: {e}",
                login.username
            );
        }
        // The administrator's does not.
        let with_admins = client_with(&sim, &login.username, PASSWORD);
        assert_eq!(
            code_of(
                with_admins
                    .user_info(UserInfoRequest::new(&login.username))
                    .await
            ),
            AUTHENTICATION_FAILED,
            "{} signs in with the administrator's password",
            login.username
        );
    }
    client(&sim, ADMIN)
        .user_info(UserInfoRequest::new(ADMIN))
        .await
        .expect("the administrator signs in");
}

#[tokio::test]
async fn demo_logins_are_written_for_the_owner_only_and_given_ones_replace_the_stored() {
    let dir = support::TempDir::new("demo-logins");
    let state = dir.path("state.db");
    let sim = support::start_with(support::config().state(&state)).await;
    let made: Vec<(String, String)> = sim
        .demo_logins()
        .iter()
        .map(|l| {
            let password = l.password.as_ref().expect("made").expose().to_owned();
            (l.username.clone(), password)
        })
        .collect();
    sim.shutdown().await.expect("stops");
    let file = dir.path("state.db.demo-logins");
    let text = std::fs::read_to_string(&file).expect("written");
    for (name, password) in &made {
        assert!(
            text.lines().any(|l| l == format!("{name} {password}")),
            "{name}: {text}"
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // Reopened: the stored passwords are kept (this run does not know them) and still work.
    let (first, first_password) = &made[0];
    let (second, _) = &made[1];
    let again = support::start_with(
        support::config()
            .state(&state)
            .demo_password(second, "Given-pa55word"),
    )
    .await;
    let kept = &again.demo_logins()[0];
    assert_eq!((&kept.username, kept.password.is_none()), (first, true));
    client_with(&again, first, first_password)
        .user_info(UserInfoRequest::new(first))
        .await
        .expect("the stored password still signs in");
    let given = &again.demo_logins()[1];
    assert!(given.given);
    client_with(&again, second, "Given-pa55word")
        .user_info(UserInfoRequest::new(second))
        .await
        .expect("the given password replaced the stored one");
    again.shutdown().await.expect("stops");
    let text = std::fs::read_to_string(&file).expect("rewritten");
    assert!(
        text.lines()
            .any(|l| l == format!("{first} {first_password}")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l == format!("{second} Given-pa55word")),
        "{text}"
    );

    // A password for an account that is no demo login is refused.
    let refused = akixi_sim::Simulator::start(
        support::config().demo_password("nobody@example.invalid", "x-pa55word"),
    )
    .await
    .expect_err("not a demo login");
    assert!(
        refused.to_string().contains("not a demo login"),
        "{refused}"
    );
}
