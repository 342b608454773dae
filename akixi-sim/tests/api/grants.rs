//! A caller may grant only the permissions it holds: to a user it adds, and to itself or
//! another through a change. Checked for every pair of permission sets over a small universe
//! of tokens (the engine compares tokens, so the universe's size does not matter).

use super::*;

/// The tokens the sets are drawn from; a caller always holds the first (it must be able to add).
const UNIVERSE: [AdminPermission; 5] = [
    AdminPermission::UserCreate,
    AdminPermission::UserUpdate,
    AdminPermission::UserRead,
    AdminPermission::UserDelete,
    AdminPermission::DeviceCreate,
];

fn set(bits: u32) -> Vec<AdminPermission> {
    UNIVERSE
        .iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .map(|(_, p)| p.clone())
        .collect()
}

fn permissions(tokens: &[AdminPermission]) -> Permissions {
    let admin = tokens
        .iter()
        .fold(AdminPermissions::new(), |s, t| s.with(t.clone()));
    Permissions::new().admin(admin)
}

#[tokio::test]
async fn grants_are_limited_to_what_the_caller_holds_for_every_pair_of_sets() {
    let sim = support::start().await;
    let admin = client(&sim, ADMIN);
    let denied = cond::PERMISSION_DENIED.code();
    let all = (1u32 << UNIVERSE.len()) - 1;
    let mut checked = 0;
    for held in (0..=all).filter(|b| b & 1 != 0) {
        let caller_name = format!("granter-{held}@example.invalid");
        admin
            .user_add(
                UserAddRequest::new(caller_name.as_str())
                    .password(PASSWORD)
                    .permissions(permissions(&set(held))),
            )
            .await
            .expect("the administrator adds the caller");
        let caller = client_with(&sim, &caller_name, PASSWORD);
        for granted in 0..=all {
            let name = format!("grantee-{held}-{granted}@example.invalid");
            let result = caller
                .user_add(
                    UserAddRequest::new(name.as_str()).permissions(permissions(&set(granted))),
                )
                .await;
            let allowed = granted & !held == 0;
            match result {
                Ok(_) => assert!(
                    allowed,
                    "held {:?} but granted {:?}",
                    set(held),
                    set(granted)
                ),
                Err(e) => {
                    assert!(
                        !allowed,
                        "held {:?}, granting {:?}: {e}",
                        set(held),
                        set(granted)
                    );
                    assert_eq!(code_of::<()>(Err(e)), denied);
                }
            }
            checked += 1;
        }
        // Through a change, to itself: keeping what it holds is fine, adding is not.
        if set(held).contains(&AdminPermission::UserUpdate) {
            caller
                .user_change(
                    UserChangeRequest::new(caller_name.as_str())
                        .permissions(permissions(&set(held))),
                )
                .await
                .expect("keeps its own permissions");
            for extra in (0..UNIVERSE.len())
                .map(|i| 1u32 << i)
                .filter(|b| held & b == 0)
            {
                let wider = set(held | extra);
                assert_eq!(
                    code_of(
                        caller
                            .user_change(
                                UserChangeRequest::new(caller_name.as_str())
                                    .permissions(permissions(&wider)),
                            )
                            .await
                    ),
                    denied,
                    "held {:?}, took {:?}",
                    set(held),
                    wider
                );
            }
        }
    }
    assert_eq!(checked, 16 * 32);
}

#[tokio::test]
async fn a_caller_lacking_a_token_another_account_holds_cannot_change_it() {
    let sim = support::start().await;
    let admin = client(&sim, ADMIN);
    let rich = [AdminPermission::UserRead, AdminPermission::UserDelete];
    admin
        .user_add(UserAddRequest::new("rich@example.invalid").permissions(permissions(&rich)))
        .await
        .expect("added");
    let editor = "editor@example.invalid";
    let editor_holds = [AdminPermission::UserUpdate, AdminPermission::UserRead];
    admin
        .user_add(
            UserAddRequest::new(editor)
                .password(PASSWORD)
                .permissions(permissions(&editor_holds)),
        )
        .await
        .expect("added");
    let caller = client_with(&sim, editor, PASSWORD);
    // Even a change that grants nothing: `rich` holds User|Delete, which the editor lacks.
    assert_eq!(
        code_of(
            caller
                .user_change(UserChangeRequest::new("rich@example.invalid").full_name("Renamed"))
                .await
        ),
        cond::PERMISSION_DENIED.code()
    );
    // The administrator, who holds everything, may.
    admin
        .user_change(UserChangeRequest::new("rich@example.invalid").full_name("Renamed"))
        .await
        .expect("the administrator dominates");
}
