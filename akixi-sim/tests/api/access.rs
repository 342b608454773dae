//! Permissions and the scope a supervisor sees and touches.

use super::*;

#[tokio::test]
async fn permissions_are_enforced() {
    let sim = support::start().await;
    let admin = client(&sim, ADMIN);
    let denied = cond::PERMISSION_DENIED.code();
    let m6 = supervisor(Platform::BroadsoftM6);
    let hipath = supervisor(Platform::Hipath3000);
    let wallboard = supervisor(Platform::DemoSimulator);
    let in_scope = |s: &seed::Supervisor, name: &str| {
        let mut scope = Scope::new().tel_sys_id(ts(s.platform));
        if let Some(p) = s.partition {
            scope = scope.part_id_in_tel_sys(i32::try_from(p).expect("small"));
        }
        UserAddRequest::new(name).full_name("In scope").scope(scope)
    };
    admin
        .user_add(in_scope(m6, "m6-user"))
        .await
        .expect("added");
    admin
        .user_add(in_scope(hipath, "hipath-user"))
        .await
        .expect("added");
    admin
        .user_add(in_scope(wallboard, "demo-user"))
        .await
        .expect("added");

    // User|Read only.
    let reader = client(&sim, m6.username);
    reader
        .user_info(UserInfoRequest::new("m6-user"))
        .await
        .expect("reads");
    assert_eq!(
        code_of(reader.user_add(in_scope(m6, "m6-new")).await),
        denied
    );
    assert_eq!(
        code_of(
            reader
                .user_change(UserChangeRequest::new("m6-user").full_name("x"))
                .await
        ),
        denied
    );
    assert_eq!(
        code_of(reader.user_delete(UserDeleteRequest::new("m6-user")).await),
        denied
    );

    // User|Read and User|Update.
    let updater = client(&sim, hipath.username);
    updater
        .user_change(UserChangeRequest::new("hipath-user").full_name("Renamed"))
        .await
        .expect("changes");
    assert_eq!(
        code_of(updater.user_add(in_scope(hipath, "hipath-new")).await),
        denied
    );
    assert_eq!(
        code_of(
            updater
                .user_delete(UserDeleteRequest::new("hipath-user"))
                .await
        ),
        denied
    );

    // No User permission at all.
    let board = client(&sim, wallboard.username);
    assert_eq!(
        code_of(board.user_info(UserInfoRequest::new("demo-user")).await),
        denied
    );
    assert_eq!(
        code_of(board.user_list(UserListRequest::new()).await),
        denied
    );

    // Permissions changed through the API take effect at once.
    let granted = Permissions::new().admin(
        AdminPermissions::new()
            .with(AdminPermission::UserRead)
            .with(AdminPermission::UserCreate),
    );
    admin
        .user_change(UserChangeRequest::new(m6.username).permissions(granted))
        .await
        .expect("granted");
    reader
        .user_add(in_scope(m6, "m6-new"))
        .await
        .expect("now allowed");
}

#[tokio::test]
async fn scope_limits_what_a_supervisor_sees_and_touches() {
    let sim = support::start().await;
    let admin = client(&sim, ADMIN);
    let bw = supervisor(Platform::CiscoBroadworks);
    let hipath = supervisor(Platform::Hipath3000);
    let on = |name: &str, platform: Platform, partition: i32| {
        UserAddRequest::new(name).scope(
            Scope::new()
                .tel_sys_id(ts(platform))
                .part_id_in_tel_sys(partition),
        )
    };
    admin
        .user_add(on("bw-1", Platform::CiscoBroadworks, 1))
        .await
        .expect("added");
    admin
        .user_add(on("m6-1", Platform::BroadsoftM6, 1))
        .await
        .expect("added");
    admin
        .user_add(on("hp-1", Platform::Hipath3000, 1))
        .await
        .expect("added");
    admin
        .user_add(on("hp-2", Platform::Hipath3000, 2))
        .await
        .expect("added");

    let sup = client(&sim, bw.username);
    let unknown = cond::UNKNOWN_ENTITY_USER.code();
    let out = cond::OUT_OF_SCOPE.code();
    // Inside its server: allowed.
    sup.user_add(on("bw-2", Platform::CiscoBroadworks, 2))
        .await
        .expect("in scope");
    sup.user_info(UserInfoRequest::new("bw-1"))
        .await
        .expect("visible");
    // Outside: adding is refused, and other users are invisible (unknown). A server outside
    // its scope is answered as a missing one: the same code whether it exists or not.
    let unknown_server = cond::UNKNOWN_ENTITY_TEL_SYS.code();
    assert_eq!(
        code_of(sup.user_add(on("m6-2", Platform::BroadsoftM6, 1)).await),
        unknown_server
    );
    let nowhere =
        UserAddRequest::new("m6-3").scope(Scope::new().tel_sys_id(99_999).part_id_in_tel_sys(1));
    assert_eq!(code_of(sup.user_add(nowhere).await), unknown_server);
    assert_eq!(
        code_of(sup.user_add(UserAddRequest::new("nowhere")).await),
        out
    );
    assert_eq!(
        code_of(sup.user_info(UserInfoRequest::new("m6-1")).await),
        unknown
    );
    assert_eq!(
        code_of(sup.user_info(UserInfoRequest::new(ADMIN)).await),
        unknown
    );
    assert_eq!(
        code_of(sup.user_delete(UserDeleteRequest::new("m6-1")).await),
        unknown
    );
    // Moving its own user out of its scope is refused: the other server is answered as a
    // missing one.
    let away =
        UserChangeRequest::new("bw-1").scope(Scope::new().tel_sys_id(ts(Platform::BroadsoftM6)));
    assert_eq!(code_of(sup.user_change(away).await), unknown_server);
    // Lists show only what it can see; a filter outside its scope is refused as a filter
    // naming a missing server would be.
    let listed = sup.user_list(UserListRequest::new()).await.expect("list");
    let mut names: Vec<_> = listed
        .entries
        .iter()
        .filter_map(|e| e.username.clone())
        .collect();
    names.sort();
    assert_eq!(names, ["bw-1", "bw-2", bw.username]);
    assert_eq!(
        code_of(
            sup.user_list(UserListRequest::new().tel_sys_id(ts(Platform::BroadsoftM6)))
                .await
        ),
        code_of(
            sup.user_list(UserListRequest::new().tel_sys_id(99_999))
                .await
        )
    );

    // A partition-scoped supervisor sees only its partition.
    let part = client(&sim, hipath.username);
    part.user_info(UserInfoRequest::new("hp-2"))
        .await
        .expect("its partition");
    assert_eq!(
        code_of(part.user_info(UserInfoRequest::new("hp-1")).await),
        unknown
    );
    let listed = part.user_list(UserListRequest::new()).await.expect("list");
    let mut names: Vec<_> = listed
        .entries
        .iter()
        .filter_map(|e| e.username.clone())
        .collect();
    names.sort();
    assert_eq!(names, ["hp-2", hipath.username]);
}
