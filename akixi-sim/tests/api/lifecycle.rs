//! A user through add, info, change, list and delete; a duplicate refused.

use super::*;

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

    // UserChange: every property the spec lets it change, changed (the call recording
    // integration to one added for the purpose, since a reference must name a real one).
    let recording = admin
        .call_rec_int_add(
            akixi_client::akixi::call_rec_int::CallRecIntAddRequest::new()
                .description("Lifecycle recording"),
        )
        .await
        .expect("CallRecIntAdd")
        .call_rec_int_id
        .expect("the service assigns an id");
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
                .call_rec_int_id(recording.as_str())
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
    let unknown = cond::UNKNOWN_ENTITY_USER.code();
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
        cond::DUPLICATE_ENTITY_USER.code()
    );
    let info = admin
        .user_info(UserInfoRequest::new("dup@example.invalid"))
        .await
        .expect("info");
    assert_eq!(info.full_name.as_deref(), Some("First"));
}

#[tokio::test]
async fn a_partial_success_applies_the_change_and_says_what_was_not_done() {
    let sim = support::start().await;
    let admin = client(&sim, ADMIN);
    let partial_code = akixi_client::akixi::SERVICE
        .partial_rules
        .first()
        .expect("the spec has a partial-fail rule")
        .code;
    // A welcome e-mail for a user without an e-mail address: saved, not sent.
    let name = "welcome@example.invalid";
    let err = admin
        .user_add(UserAddRequest::new(name).send_welcome_email(true))
        .await
        .expect_err("a partial success");
    let akixi_client::Error::PartialFail(partial) = &err else {
        panic!("expected PartialFail, got {err}");
    };
    assert_eq!(
        partial
            .errors
            .iter()
            .filter_map(|e| e.code)
            .map(|c| c.code())
            .collect::<Vec<_>>(),
        [partial_code]
    );
    assert!(partial.errors[0].code.is_some_and(|c| c.is_partial_fail()));
    assert!(
        partial.data::<akixi::user::UserAddResponse>().is_some(),
        "the data is kept"
    );
    let info = admin
        .user_info(UserInfoRequest::new(name))
        .await
        .expect("the user was added");
    assert_eq!(info.username.as_deref(), Some(name));

    // The same through a change; with an address, a plain success.
    assert!(matches!(
        admin
            .user_change(UserChangeRequest::new(name).send_welcome_email(true))
            .await,
        Err(akixi_client::Error::PartialFail(_))
    ));
    admin
        .user_change(
            UserChangeRequest::new(name)
                .email_addr("welcome@example.invalid")
                .send_welcome_email(true),
        )
        .await
        .expect("with an address the e-mail can go");
    admin
        .user_add(UserAddRequest::new("welcome2@example.invalid").send_welcome_email(false))
        .await
        .expect("no e-mail asked for");
}
