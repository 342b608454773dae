//! End to end over loopback: the typed client (and, where the exact bytes matter, raw XML)
//! against the simulator: the user lifecycle, every error condition with its exact code,
//! permissions and scope, paging and search, and the HTTP surface.

mod support;

use std::sync::Arc;

use akixi_client::akixi::user::{
    Advanced, Endpoint, Permissions, Scope, UserAddRequest, UserChangeRequest, UserDeleteRequest,
    UserInfoRequest, UserListRequest,
};
use akixi_client::akixi::{
    self, AdminPermission, AdminPermissions, DeviceSelector, Language, NonAdminPermission,
    NonAdminPermissions, OtherPermission, OtherPermissions, Platform, ReportUpdInterval,
    ReportingAccess, UserField, UserFields, error_conditions as cond, session,
};
use akixi_client::akixi_ws::{Extra, RequestWriter, decode_request};
use akixi_client::runtime::akixi_ws::{EncodePayload, InputUse, PasswordsAsIs};
use akixi_sim::seed::{self, CM_ENVIRONMENT_ID, DOCS_TEL_SYS_ID, SUPERVISORS, tel_sys_id};
use akixi_sim::{Config, Service, ServiceReply, ServiceRequest};

const EM_SERVICE_PATH: &str = akixi_client::em::BINDING.service_path;
use futures_util::StreamExt;
use support::{ADMIN, PASSWORD, Raw, client, client_with, code, code_of, post};

fn ts(platform: Platform) -> i32 {
    i32::try_from(tel_sys_id(platform)).expect("small")
}

fn supervisor(platform: Platform) -> &'static seed::Supervisor {
    SUPERVISORS
        .iter()
        .find(|s| s.platform == platform)
        .expect("a seeded supervisor")
}

/// A user with every property `UserAdd` takes, on the BroadWorks server (which supports all).
fn full_user(name: &str, password: &str) -> UserAddRequest {
    UserAddRequest::new(name)
        .email_addr(format!("{name}.mail@example.invalid"))
        .full_name(format!("Full {name}"))
        .lock_out(false)
        .password(password)
        .password_chg_required(false)
        .enable_mfa(true)
        .synchronise_supervisor_permissions(false)
        .send_welcome_email(true)
        .default_lang(Language::EnGb)
        .scope(
            Scope::new()
                .cm_environment_id(CM_ENVIRONMENT_ID)
                .tel_sys_id(ts(Platform::CiscoBroadworks))
                .part_id_in_tel_sys(1)
                .device_number(DeviceSelector::All)
                .agent_number(DeviceSelector::Number("123".into()))
                .reporting_access(ReportingAccess::Akixi3000)
                .admin(false)
                .call_rec_int_id("4f124376cc1db4d4:-5629173c:17d7be86775:-7fb6")
                .report_read_only(true),
        )
        .permissions(
            Permissions::new()
                .admin(AdminPermissions::new().with(AdminPermission::UserRead))
                .non_admin(NonAdminPermissions::new().with(NonAdminPermission::ReportRead))
                .other(OtherPermissions::new().with(OtherPermission::ConcurrentSignIn)),
        )
        .endpoint(
            Endpoint::new()
                .tel_sys_id(ts(Platform::CiscoBroadworks))
                .part_id_in_tel_sys(1)
                .device_number(DeviceSelector::Number("01234567890".into()))
                .agent_number(DeviceSelector::None),
        )
        .advanced(
            Advanced::new()
                .prompt_for_terms(true)
                .notify_password_chgs(false)
                .report_upd_interval(ReportUpdInterval::Auto)
                .disable_media_plug_ins(true)
                .disable_drag_drop_features(false)
                .java_script_audit_output(true),
        )
}

/// `(container, name)` of every property a request writes.
fn written<T: EncodePayload>(request: &T) -> Vec<(Option<String>, String, String)> {
    let mut w = RequestWriter::new("X");
    w.invoke_id("1");
    request
        .encode_payload(&mut w, &PasswordsAsIs)
        .expect("encodes");
    let decoded = decode_request::<Extra>(w.finish().as_bytes()).expect("decodes");
    support::flatten(&decoded.payload.unwrap_or_default())
}

fn info_properties(info: &akixi::user::UserInfoResponse) -> Vec<(Option<String>, String, String)> {
    written(info)
}

#[tokio::test]
async fn the_full_user_lifecycle() {
    let sim = support::start().await;
    let admin = client(&sim, ADMIN);
    let name = "lifecycle@example.invalid";
    let add = full_user(name, "first-pa55");
    admin.user_add(add.clone()).await.expect("UserAdd");

    // UserInfo returns what UserAdd stored, property for property, and never the password
    // nor the write-only action.
    let info = admin
        .user_info(UserInfoRequest::new(name))
        .await
        .expect("UserInfo");
    let sent = written(&add);
    let got = info_properties(&info);
    let returned = |c: &Option<String>, n: &str| {
        let op = akixi::OPERATIONS
            .iter()
            .find(|o| o.name == "UserInfo")
            .expect("op");
        op.fields.iter().any(|f| {
            f.returned.is_some() && f.property.container == c.as_deref() && f.property.name == n
        })
    };
    let expected: Vec<_> = sent
        .iter()
        .filter(|(c, n, _)| returned(c, n))
        .cloned()
        .collect();
    assert_eq!(sort(got.clone()), sort(expected));
    assert!(
        got.iter()
            .all(|(_, n, _)| n != "Password" && n != "SendWelcomeEmail")
    );

    // The user signs in with its password: it holds User|Read, so it can read itself.
    let me = client_with(&sim, name, "first-pa55");
    me.user_info(UserInfoRequest::new(name))
        .await
        .expect("signs in");

    // UserChange: every property the spec lets it change, changed.
    let change = UserChangeRequest::new(name)
        .email_addr("changed@example.invalid")
        .full_name("Changed Name")
        .lock_out(false)
        .password("second-pa55")
        .password_chg_required(true)
        .enable_mfa(false)
        .synchronise_supervisor_permissions(true)
        .send_welcome_email(false)
        .default_lang(Language::EnUs)
        .scope(
            Scope::new()
                .cm_environment_id(CM_ENVIRONMENT_ID)
                .tel_sys_id(DOCS_TEL_SYS_ID as i32)
                .part_id_in_tel_sys(2)
                .device_number(DeviceSelector::Number("77".into()))
                .agent_number(DeviceSelector::None)
                .reporting_access(ReportingAccess::Akixi1000)
                .admin(true)
                .call_rec_int_id("other-integration")
                .report_read_only(false),
        )
        .permissions(
            Permissions::new()
                .admin(
                    AdminPermissions::new()
                        .with(AdminPermission::UserRead)
                        .with(AdminPermission::DeviceRead),
                )
                .non_admin(NonAdminPermissions::new().with(NonAdminPermission::ReportCreate))
                .other(OtherPermissions::new().with(OtherPermission::ServiceNotifications)),
        )
        .endpoint(
            Endpoint::new()
                .tel_sys_id(DOCS_TEL_SYS_ID as i32)
                .part_id_in_tel_sys(2)
                .device_number(DeviceSelector::None)
                .agent_number(DeviceSelector::Number("555".into())),
        )
        .advanced(
            Advanced::new()
                .prompt_for_terms(false)
                .notify_password_chgs(true)
                .report_upd_interval(ReportUpdInterval::Auto)
                .disable_media_plug_ins(false)
                .disable_drag_drop_features(true)
                .java_script_audit_output(false),
        );
    // The request sets every property UserChange takes besides its key.
    let changed = written(&change);
    let op = akixi::OPERATIONS
        .iter()
        .find(|o| o.name == "UserChange")
        .expect("op");
    for f in op
        .fields
        .iter()
        .filter(|f| f.input == Some(InputUse::Optional))
    {
        assert!(
            changed
                .iter()
                .any(|(c, n, _)| c.as_deref() == f.property.container && n == f.property.name),
            "the test changes {:?}.{}",
            f.property.container,
            f.property.name
        );
    }
    admin.user_change(change.clone()).await.expect("UserChange");
    let info = admin
        .user_info(UserInfoRequest::new(name))
        .await
        .expect("UserInfo");
    let got = info_properties(&info);
    for (c, n, v) in changed.iter().filter(|(c, n, _)| returned(c, n)) {
        assert!(
            got.contains(&(c.clone(), n.clone(), v.clone())),
            "{c:?}.{n} = {v}"
        );
    }
    assert_eq!(
        info.username.as_deref(),
        Some(name),
        "the key never changes"
    );

    // The old password no longer signs in; the new one does.
    let old = client_with(&sim, name, "first-pa55");
    assert_eq!(
        code_of(old.user_info(UserInfoRequest::new(name)).await),
        cond::AUTHENTICATION_FAILED.code()
    );
    let new = client_with(&sim, name, "second-pa55");
    new.user_info(UserInfoRequest::new(name))
        .await
        .expect("signs in");

    // UserDelete, then the user is unknown to every user operation.
    admin
        .user_delete(UserDeleteRequest::new(name))
        .await
        .expect("UserDelete");
    let unknown = cond::UNKNOWN_USER.code();
    assert_eq!(
        code_of(admin.user_info(UserInfoRequest::new(name)).await),
        unknown
    );
    assert_eq!(
        code_of(admin.user_delete(UserDeleteRequest::new(name)).await),
        unknown
    );
    assert_eq!(
        code_of(
            admin
                .user_change(UserChangeRequest::new(name).full_name("x"))
                .await
        ),
        unknown
    );
}

fn sort(mut v: Vec<(Option<String>, String, String)>) -> Vec<(Option<String>, String, String)> {
    v.sort();
    v
}

#[tokio::test]
async fn a_duplicate_user_is_refused_and_changes_nothing() {
    let sim = support::start().await;
    let admin = client(&sim, ADMIN);
    admin
        .user_add(UserAddRequest::new("dup@example.invalid").full_name("First"))
        .await
        .expect("added");
    assert_eq!(
        code_of(
            admin
                .user_add(UserAddRequest::new("dup@example.invalid").full_name("Second"))
                .await
        ),
        cond::DUPLICATE_USER.code()
    );
    let info = admin
        .user_info(UserInfoRequest::new("dup@example.invalid"))
        .await
        .expect("info");
    assert_eq!(info.full_name.as_deref(), Some("First"));
}

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

    // Locked out: the open session stops working, and signing in fails.
    admin
        .user_change(UserChangeRequest::new(name).lock_out(true))
        .await
        .expect("locked");
    assert_eq!(
        code(&session.send(&UserInfoRequest::new(name)).await),
        Some(cond::NOT_AUTHENTICATED.code())
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
    let missing = cond::MISSING_USERNAME.code();
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
        Some(cond::UNKNOWN_USER.code())
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
            cond::UNKNOWN_CM_ENVIRONMENT.code(),
        ),
        (
            add(Scope::new().tel_sys_id(4242)),
            cond::UNKNOWN_TELEPHONY_SERVER.code(),
        ),
        (
            add(Scope::new().tel_sys_id(1).part_id_in_tel_sys(99)),
            cond::UNKNOWN_PARTITION.code(),
        ),
        (
            add(Scope::new().part_id_in_tel_sys(1)),
            cond::UNKNOWN_PARTITION.code(),
        ),
        (
            UserAddRequest::new("c@example.invalid").endpoint(Endpoint::new().tel_sys_id(4242)),
            cond::UNKNOWN_TELEPHONY_SERVER.code(),
        ),
    ];
    for (request, expected) in cases {
        assert_eq!(code_of(admin.user_add(request).await), expected);
    }
    let lists = [
        (
            UserListRequest::new().cm_environment_id("no-such-cme"),
            cond::UNKNOWN_CM_ENVIRONMENT.code(),
        ),
        (
            UserListRequest::new().tel_sys_id(4242),
            cond::UNKNOWN_TELEPHONY_SERVER.code(),
        ),
        (
            UserListRequest::new().tel_sys_id(1).part_id_in_tel_sys(99),
            cond::UNKNOWN_PARTITION.code(),
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
        cond::UNKNOWN_TELEPHONY_SERVER.code()
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
    let unknown = cond::UNKNOWN_USER.code();
    let out = cond::OUT_OF_SCOPE.code();
    // Inside its server: allowed.
    sup.user_add(on("bw-2", Platform::CiscoBroadworks, 2))
        .await
        .expect("in scope");
    sup.user_info(UserInfoRequest::new("bw-1"))
        .await
        .expect("visible");
    // Outside: adding is refused, and other users are invisible (unknown).
    assert_eq!(
        code_of(sup.user_add(on("m6-2", Platform::BroadsoftM6, 1)).await),
        out
    );
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
    // Moving its own user out of its scope is refused.
    let away =
        UserChangeRequest::new("bw-1").scope(Scope::new().tel_sys_id(ts(Platform::BroadsoftM6)));
    assert_eq!(code_of(sup.user_change(away).await), out);
    // Lists show only what it can see; a filter outside its scope is refused.
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
        out
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

#[tokio::test]
async fn lists_page_search_and_return_the_fields_asked_for() {
    let sim = support::start().await;
    let admin = client(&sim, ADMIN);
    for i in 0..30 {
        admin
            .user_add(
                UserAddRequest::new(format!("page-{i:02}@example.invalid"))
                    .full_name(format!("Paged User {i:02}"))
                    .lock_out(i % 3 == 0)
                    .scope(Scope::new().reporting_access(ReportingAccess::Akixi2000)),
            )
            .await
            .expect("added");
    }
    let names = |l: &akixi::user::UserListResponse| -> Vec<String> {
        l.entries
            .iter()
            .filter_map(|e| e.username.clone())
            .collect()
    };
    let page = |offset: u64, limit: u64| {
        UserListRequest::new()
            .search_query("page-")
            .offset(offset)
            .limit(limit)
    };
    let first = admin.user_list(page(0, 10)).await.expect("list");
    assert_eq!(
        names(&first),
        (0..10)
            .map(|i| format!("page-{i:02}@example.invalid"))
            .collect::<Vec<_>>()
    );
    let last = admin.user_list(page(25, 10)).await.expect("list");
    assert_eq!(names(&last).len(), 5);
    assert_eq!(
        admin
            .user_list(page(30, 10))
            .await
            .expect("list")
            .entries
            .len(),
        0
    );
    assert_eq!(
        admin
            .user_list(page(0, 0))
            .await
            .expect("list")
            .entries
            .len(),
        0
    );

    // The defaults: Username and FullName only.
    let entry = &first.entries[0];
    assert_eq!(entry.full_name.as_deref(), Some("Paged User 00"));
    assert_eq!(
        (entry.lock_out, entry.reporting_access.clone()),
        (None, None)
    );
    // UserFields adds what it names (ReportingAccess comes from the user's Scope).
    let fields = UserFields::new()
        .with(UserField::LockOut)
        .with(UserField::ReportingAccess);
    let listed = admin
        .user_list(page(0, 1).user_fields(fields))
        .await
        .expect("list");
    assert_eq!(listed.entries[0].lock_out, Some(true));
    assert_eq!(
        listed.entries[0].reporting_access,
        Some(ReportingAccess::Akixi2000)
    );

    // SearchQuery matches the user name or the full name, case-insensitively.
    let hits = admin
        .user_list(UserListRequest::new().search_query("PAGED user 07"))
        .await
        .expect("list");
    assert_eq!(names(&hits), ["page-07@example.invalid"]);
    let hits = admin
        .user_list(UserListRequest::new().search_query("page-1"))
        .await
        .expect("list");
    assert_eq!(names(&hits).len(), 10);

    // The client's stream pages through everything with a small Limit.
    let streamed: Vec<_> = admin
        .user_list_stream(UserListRequest::new().search_query("page-").limit(7))
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .map(|e| e.expect("entry").username.expect("name"))
        .collect();
    assert_eq!(streamed.len(), 30);
}

#[tokio::test]
async fn without_a_limit_a_list_returns_the_default_page() {
    let sim = support::start().await;
    let admin = client(&sim, ADMIN);
    let total = akixi::DEFAULT_LIMIT as usize + 5;
    let existing = sim.user_count();
    let tasks: Vec<_> = (0..8)
        .map(|t| {
            let admin = admin.clone();
            tokio::spawn(async move {
                for i in (t..total).step_by(8) {
                    admin
                        .user_add(UserAddRequest::new(format!("bulk-{i:05}")))
                        .await
                        .expect("added");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task");
    }
    assert_eq!(sim.user_count(), existing + total);
    let all = admin.user_list(UserListRequest::new()).await.expect("list");
    assert_eq!(all.entries.len() as u64, akixi::DEFAULT_LIMIT);
    let rest = admin
        .user_list(UserListRequest::new().offset(akixi::DEFAULT_LIMIT))
        .await
        .expect("list");
    assert_eq!(
        rest.entries.len(),
        existing + total - akixi::DEFAULT_LIMIT as usize
    );
}

struct Echo;

impl Service for Echo {
    fn handle(&self, request: ServiceRequest) -> ServiceReply {
        ServiceReply {
            status: 200,
            content_type: "text/plain".into(),
            body: [request.method.as_bytes(), b" ", &request.body].concat(),
        }
    }
}

#[tokio::test]
async fn the_http_surface() {
    let sim = support::start().await;
    let http = reqwest::Client::new();
    // Only POST.
    let get = http.get(sim.url()).send().await.expect("answers");
    assert_eq!(get.status(), 405);
    assert_eq!(
        get.headers().get("allow").map(|v| v.to_str().ok()),
        Some(Some("POST"))
    );
    // Any path is the API, so a client keeps a realistic endpoint URL.
    let endpoint = format!("{}CCS/WebServices/AdminAPI", sim.url());
    let client = akixi_client::Client::builder(endpoint.as_str())
        .credentials(ADMIN, PASSWORD)
        .allow_http(true)
        .build()
        .expect("client");
    client
        .user_info(UserInfoRequest::new(ADMIN))
        .await
        .expect("served at any path");
    let reply = http
        .post(&endpoint)
        .body("<Request/>")
        .send()
        .await
        .expect("answers");
    assert_eq!(
        reply
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/xml; charset=utf-8")
    );
    // The Extension Mobility simulator answers at its endpoint (an empty form is malformed XML,
    // which the EM API reports in a 200 response, as the real service does).
    let em = format!("{}{}", sim.url().trim_end_matches('/'), EM_SERVICE_PATH);
    let reply = http.post(&em).body("xml=").send().await.expect("answers");
    assert_eq!(reply.status(), 200);
    let body = reply.text().await.expect("body");
    assert!(
        body.contains("<failure>") && body.contains("code=\"1\""),
        "{body}"
    );
    sim.shutdown().await.expect("stops");

    let sim = support::start_with(support::config().service(EM_SERVICE_PATH, Arc::new(Echo))).await;
    let em = format!("{}{}", sim.url().trim_end_matches('/'), EM_SERVICE_PATH);
    let reply = http
        .post(&em)
        .body("xml=<request/>")
        .send()
        .await
        .expect("answers");
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.text().await.expect("body"), "POST xml=<request/>");
    // A path axum could not route is a configuration error, not a panic.
    let bad =
        akixi_sim::Simulator::start(Config::default().service("no-slash", Arc::new(Echo))).await;
    assert!(matches!(bad, Err(akixi_sim::Error::Config(_))));
}

#[tokio::test]
async fn secrets_stay_out_of_debug_output() {
    let sim = support::start().await;
    let shown = format!(
        "{sim:?} {:?} {:?}",
        support::config().preset_session("ABC0123", "abcdef0123", ADMIN),
        sim.admin()
    );
    assert!(!shown.contains(PASSWORD), "{shown}");
    assert!(
        !shown.contains("ABC0123") && !shown.contains("abcdef0123"),
        "{shown}"
    );
}

#[test]
fn the_readme_documents_every_error_condition() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    for (condition, code) in cond::ALL {
        let row = format!("| `{condition}` | {} |", code.code());
        assert!(readme.contains(&row), "README lacks the row {row}");
    }
}
