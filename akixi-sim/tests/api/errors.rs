//! Every error condition with its exact code: envelope, session, values, unknown components, unsupported properties.

use super::*;

#[tokio::test]
async fn envelope_errors_have_their_codes() {
    let sim = support::start().await;
    let url = sim.url();
    let cases: &[(&str, u32, Option<&str>)] = &[
        (
            "<Request Operation=\"UserInfo\"><OperationPayload/></Request>",
            cond::MISSING_INVOKE_ID.code(),
            None,
        ),
        (
            "<Request Operation=\"UserInfo\"><InvokeID> </InvokeID></Request>",
            cond::MISSING_INVOKE_ID.code(),
            None,
        ),
        (
            "<Request><InvokeID>00007</InvokeID></Request>",
            cond::UNKNOWN_OPERATION.code(),
            Some("00007"),
        ),
        (
            "<Request Operation=\"\"><InvokeID>00008</InvokeID></Request>",
            cond::UNKNOWN_OPERATION.code(),
            Some("00008"),
        ),
        (
            "<Request Operation=\"UserFly\"><InvokeID>00009</InvokeID></Request>",
            cond::UNKNOWN_OPERATION.code(),
            Some("00009"),
        ),
        (
            "<Request Operation=\"UserInfo\"><InvokeID>00010</InvokeID><OperationPayload>",
            cond::MALFORMED_REQUEST.code(),
            Some("00010"),
        ),
        ("this is not XML", cond::MALFORMED_REQUEST.code(), None),
        (
            "<Response Result=\"Success\"/>",
            cond::MALFORMED_REQUEST.code(),
            None,
        ),
    ];
    for (body, expected, invoke_id) in cases {
        let reply = post(url, body).await;
        assert_eq!(code(&reply), Some(*expected), "{body} -> {reply}");
        let decoded = support::decode::<Extra>(&reply);
        assert_eq!(decoded.invoke_id.as_deref(), *invoke_id, "{body}");
    }
}

#[tokio::test]
async fn session_errors_have_their_codes() {
    let sim = support::start().await;
    let url = sim.url();
    let info = |session: &str| {
        format!(
            "<Request Operation=\"UserInfo\"><InvokeID>00001</InvokeID>{session}\
             <OperationPayload><Property Name=\"Username\">{ADMIN}</Property></OperationPayload></Request>"
        )
    };
    assert_eq!(
        code(&post(url, &info("")).await),
        Some(cond::MISSING_SESSION.code())
    );
    assert_eq!(
        code(
            &post(
                url,
                &info("<SessionID>0123456789ABCDEF0123456789ABCDEF</SessionID>")
            )
            .await
        ),
        Some(cond::UNKNOWN_SESSION.code())
    );

    // Created but not authenticated.
    let mut raw = Raw::open(url).await;
    assert_eq!(
        code(&raw.send(&UserInfoRequest::new(ADMIN)).await),
        Some(cond::NOT_AUTHENTICATED.code())
    );
    // A wrong password fails, and clears the session as documented.
    let reply = raw
        .send(&session::AuthenticateRequest::new(ADMIN, "wrong"))
        .await;
    assert_eq!(code(&reply), Some(cond::AUTHENTICATION_FAILED.code()));
    assert_eq!(
        code(&raw.send(&UserInfoRequest::new(ADMIN)).await),
        Some(cond::UNKNOWN_SESSION.code())
    );
    // An unknown user too.
    let mut raw = Raw::open(url).await;
    let reply = raw
        .send(&session::AuthenticateRequest::new("nobody", PASSWORD))
        .await;
    assert_eq!(code(&reply), Some(cond::AUTHENTICATION_FAILED.code()));
    // A password protected with another session's Nonce too.
    let mut other = Raw::open(url).await;
    let mut raw = Raw::open(url).await;
    raw.nonce = other.nonce.clone();
    let reply = raw
        .send(&session::AuthenticateRequest::new(ADMIN, PASSWORD))
        .await;
    assert_eq!(code(&reply), Some(cond::AUTHENTICATION_FAILED.code()));
    // Logout ends the session.
    let reply = other
        .send(&session::AuthenticateRequest::new(ADMIN, PASSWORD))
        .await;
    assert_eq!(code(&reply), None);
    assert_eq!(
        code(&other.send(&session::LogoutRequest::new()).await),
        None
    );
    assert_eq!(
        code(&other.send(&UserInfoRequest::new(ADMIN)).await),
        Some(cond::UNKNOWN_SESSION.code())
    );
}

#[tokio::test]
async fn a_locked_out_or_deleted_user_loses_access() {
    let sim = support::start().await;
    let admin = client(&sim, ADMIN);
    let name = "locked@example.invalid";
    admin
        .user_add(full_user(name, "pa55"))
        .await
        .expect("added");
    let mut session = Raw::login(sim.url(), name, "pa55").await;
    assert_eq!(code(&session.send(&UserInfoRequest::new(name)).await), None);

    // Locked out: the open session is ended, and signing in fails.
    admin
        .user_change(UserChangeRequest::new(name).lock_out(true))
        .await
        .expect("locked");
    assert_eq!(
        code(&session.send(&UserInfoRequest::new(name)).await),
        Some(cond::UNKNOWN_SESSION.code())
    );
    let mut raw = Raw::open(sim.url()).await;
    let reply = raw
        .send(&session::AuthenticateRequest::new(name, "pa55"))
        .await;
    assert_eq!(code(&reply), Some(cond::AUTHENTICATION_FAILED.code()));

    // Unlocked, signed in, then deleted: its sessions end with it.
    admin
        .user_change(UserChangeRequest::new(name).lock_out(false))
        .await
        .expect("unlocked");
    let mut session = Raw::login(sim.url(), name, "pa55").await;
    admin
        .user_delete(UserDeleteRequest::new(name))
        .await
        .expect("deleted");
    admin
        .user_add(full_user(name, "other"))
        .await
        .expect("re-added");
    assert_eq!(
        code(&session.send(&UserInfoRequest::new(name)).await),
        Some(cond::UNKNOWN_SESSION.code()),
        "a session of the deleted user does not carry over to a new user of the same name"
    );
}

#[tokio::test]
async fn value_errors_have_their_codes() {
    let sim = support::start().await;
    let mut raw = Raw::login(sim.url(), ADMIN, PASSWORD).await;
    let session = raw.session_id.clone();
    let request = |op: &str, payload: &str| {
        format!(
            "<Request Operation=\"{op}\"><InvokeID>00001</InvokeID><SessionID>{session}</SessionID>{payload}</Request>"
        )
    };
    let bad = cond::BAD_PROPERTY_VALUE.code();
    let missing = cond::MISSING_KEY_USER.code();
    let cases: Vec<(String, u32)> = vec![
        (request("UserInfo", ""), missing),
        (request("UserInfo", "<OperationPayload/>"), missing),
        (
            request(
                "UserInfo",
                "<OperationPayload><Property Name=\"Username\"> </Property></OperationPayload>",
            ),
            missing,
        ),
        (
            request(
                "UserAdd",
                "<OperationPayload><Property Name=\"Username\">v</Property><Property Name=\"LockOut\">maybe</Property></OperationPayload>",
            ),
            bad,
        ),
        (
            request(
                "UserAdd",
                "<OperationPayload><Property Name=\"Username\">v</Property><Container Name=\"Scope\"><Property Name=\"TelSysID\">one</Property></Container></OperationPayload>",
            ),
            bad,
        ),
        (
            request(
                "UserAdd",
                "<OperationPayload><Property Name=\"Username\">v</Property><Property Name=\"Password\">not a ciphertext</Property></OperationPayload>",
            ),
            bad,
        ),
        (
            request(
                "UserList",
                "<OperationPayload><Property Name=\"TelSysID\">99999999999</Property></OperationPayload>",
            ),
            bad,
        ),
    ];
    for (body, expected) in cases {
        let reply = post(sim.url(), &body).await;
        assert_eq!(code(&reply), Some(expected), "{body} -> {reply}");
    }
    // None of them created anything.
    assert_eq!(
        code(&raw.send(&UserInfoRequest::new("v")).await),
        Some(cond::UNKNOWN_ENTITY_USER.code())
    );
}

#[tokio::test]
async fn unknown_components_have_their_codes() {
    let sim = support::start().await;
    let admin = client(&sim, ADMIN);
    let add = |scope: Scope| UserAddRequest::new("c@example.invalid").scope(scope);
    let cases = [
        (
            add(Scope::new().cm_environment_id("no-such-cme")),
            cond::UNKNOWN_ENTITY_CM_ENVIRONMENT.code(),
        ),
        (
            add(Scope::new().tel_sys_id(4242)),
            cond::UNKNOWN_ENTITY_TEL_SYS.code(),
        ),
        (
            add(Scope::new().tel_sys_id(1).part_id_in_tel_sys(99)),
            cond::UNKNOWN_ENTITY_PARTITION.code(),
        ),
        (
            add(Scope::new().part_id_in_tel_sys(1)),
            cond::UNKNOWN_ENTITY_PARTITION.code(),
        ),
        (
            UserAddRequest::new("c@example.invalid").endpoint(Endpoint::new().tel_sys_id(4242)),
            cond::UNKNOWN_ENTITY_TEL_SYS.code(),
        ),
    ];
    for (request, expected) in cases {
        assert_eq!(code_of(admin.user_add(request).await), expected);
    }
    // UserList documents 11013 and 11131 but not 12100: an unknown CM environment lists
    // nothing.
    let empty = admin
        .user_list(UserListRequest::new().cm_environment_id("no-such-cme"))
        .await
        .expect("a list");
    assert!(empty.entries.is_empty());
    let lists = [
        (
            UserListRequest::new().tel_sys_id(4242),
            cond::UNKNOWN_ENTITY_TEL_SYS.code(),
        ),
        (
            UserListRequest::new().tel_sys_id(1).part_id_in_tel_sys(99),
            cond::UNKNOWN_ENTITY_PARTITION.code(),
        ),
    ];
    for (request, expected) in lists {
        assert_eq!(code_of(admin.user_list(request).await), expected);
    }
    // A change to an unknown server is refused and changes nothing.
    admin
        .user_add(add(Scope::new().tel_sys_id(1)))
        .await
        .expect("added");
    assert_eq!(
        code_of(
            admin
                .user_change(
                    UserChangeRequest::new("c@example.invalid")
                        .scope(Scope::new().tel_sys_id(4242))
                )
                .await
        ),
        cond::UNKNOWN_ENTITY_TEL_SYS.code()
    );
    let info = admin
        .user_info(UserInfoRequest::new("c@example.invalid"))
        .await
        .expect("info");
    assert_eq!(
        info.scope.and_then(|s| s.tel_sys_id).map(|i| i.get()),
        Some(1)
    );
}

#[tokio::test]
async fn properties_a_platform_does_not_support_are_refused() {
    let sim = support::start().await;
    let admin = client(&sim, ADMIN);
    let info = akixi::OPERATIONS
        .iter()
        .find(|o| o.name == "UserAdd")
        .and_then(|o| {
            o.fields
                .iter()
                .find(|f| f.property.name == "SynchroniseSupervisorPermissions")
        })
        .expect("the property")
        .property;
    for &platform in Platform::ALL {
        let name = format!("sync-{}@example.invalid", platform.id());
        let request = UserAddRequest::new(name.as_str())
            .synchronise_supervisor_permissions(true)
            .scope(Scope::new().tel_sys_id(ts(platform)));
        let result = admin.user_add(request).await;
        if info.support[platform.index()] {
            result.unwrap_or_else(|e| panic!("{platform}: {e}"));
        } else {
            assert_eq!(
                code_of(result),
                cond::UNSUPPORTED_PROPERTY.code(),
                "{platform}"
            );
        }
    }
    // Moving a user that has the property to a server that does not support it is refused.
    let bw = format!("sync-{}@example.invalid", Platform::CiscoBroadworks.id());
    let moved = UserChangeRequest::new(bw.as_str())
        .scope(Scope::new().tel_sys_id(ts(Platform::Hipath3000)));
    assert_eq!(
        code_of(admin.user_change(moved).await),
        cond::UNSUPPORTED_PROPERTY.code()
    );
}

#[test]
fn the_readme_documents_every_error_condition() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    for c in cond::ALL {
        let row = format!(
            "| `{}` | {} | {} |",
            c.id,
            c.family.unwrap_or("every"),
            c.code
        );
        assert!(readme.contains(&row), "README lacks the row {row}");
    }
}
