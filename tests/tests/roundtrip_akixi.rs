//! Any request value survives XML and back: typed → `encode_request` → `decode_request` → equal.
//! Strings cover `<`, `&`, quotes, `]]>`, non-ASCII and control characters.

use akixi_client::akixi::user::*;
use akixi_client::akixi::{
    AdminPermission, AdminPermissions, DeviceSelector, Integer, Language, ReportUpdInterval,
    ReportingAccess, UserField, UserFields,
};
use akixi_client::runtime::akixi_ws::{
    Operation, Password, PasswordsAsIs, decode_operation, encode_request,
};
use proptest::prelude::*;

/// Any string, weighted towards the characters XML treats specially.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[<>&\"' \t\r\n\\]\\]>é✓\\x00-\\x1f]{0,12}",
        "[a-zA-Z0-9 @._-]{0,24}",
    ]
}

/// A list token: no comma, not blank at either end (the list syntax cannot carry those).
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(AdminPermission::VALUES).prop_map(str::to_string),
        "[A-Za-z|][A-Za-z0-9| ]{0,10}[A-Za-z0-9|]",
    ]
}

fn selector() -> impl Strategy<Value = DeviceSelector> {
    prop_oneof![
        Just(DeviceSelector::All),
        Just(DeviceSelector::None),
        text()
            .prop_filter("a number that reads as a keyword is a keyword", |s| {
                !DeviceSelector::KEYWORDS.contains(&s.trim())
            })
            .prop_map(DeviceSelector::Number),
    ]
}

fn enum_text<T: From<&'static str> + std::fmt::Debug>(
    values: &'static [&'static str],
) -> impl Strategy<Value = T> {
    proptest::sample::select(values).prop_map(T::from)
}

prop_compose! {
    fn scope()(cme in text(), ts in any::<i32>(), part in any::<i32>(), dev in selector(), agent in selector(),
               access in prop_oneof![enum_text::<ReportingAccess>(ReportingAccess::VALUES), text().prop_map(|s| ReportingAccess::from(s.as_str()))],
               admin in any::<bool>(), rec in text(), ro in any::<bool>()) -> Scope {
        Scope::new().cm_environment_id(cme).tel_sys_id(ts).part_id_in_tel_sys(part).device_number(dev)
            .agent_number(agent).reporting_access(access).admin(admin).call_rec_int_id(rec).report_read_only(ro)
    }
}

prop_compose! {
    fn user_add()(username in text(), email in proptest::option::of(text()), name in proptest::option::of(text()),
                  lock in proptest::option::of(any::<bool>()), pw in proptest::option::of(text()),
                  lang in proptest::option::of(prop_oneof![enum_text::<Language>(Language::VALUES), text().prop_map(|s| Language::from(s.as_str()))]),
                  scope in proptest::option::of(scope()),
                  admin in proptest::collection::vec(token(), 0..6),
                  interval in proptest::option::of(text()),
                  extra in proptest::option::of(("[A-Za-z][A-Za-z0-9]{0,8}", text()))) -> UserAddRequest {
        let mut r = UserAddRequest::new(username);
        if let Some(v) = email { r = r.email_addr(v); }
        if let Some(v) = name { r = r.full_name(v); }
        if let Some(v) = lock { r = r.lock_out(v); }
        if let Some(v) = pw { r = r.password(Password::new(v)); }
        if let Some(v) = lang { r = r.default_lang(v); }
        if let Some(v) = scope { r = r.scope(v); }
        if !admin.is_empty() {
            let list: AdminPermissions = admin.iter().map(|t| AdminPermission::from(t.as_str())).collect();
            r = r.permissions(Permissions::new().admin(list));
        }
        if let Some(v) = interval { r = r.advanced(Advanced::new().report_upd_interval(ReportUpdInterval::from(v.as_str()))); }
        // An extra property must not shadow a known one, or it would decode into the typed field.
        if let Some((k, v)) = extra.filter(|(k, _)| PROPERTIES.iter().all(|p| p.name != k && p.aliases.iter().all(|a| a != k))) {
            r = r.extra_property(k, v);
        }
        r
    }
}

fn round_trip<O: Operation + PartialEq + std::fmt::Debug>(op: &O) -> O {
    let xml = encode_request(op, "00001", Some("S"), &PasswordsAsIs).expect("encodes");
    let back = decode_operation::<O>(xml.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    back.payload
        .unwrap_or_else(|| panic!("no payload in {xml}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn user_add_round_trips(req in user_add()) {
        prop_assert_eq!(round_trip(&req), req);
    }

    #[test]
    fn user_list_round_trips(offset in proptest::option::of(any::<u64>()), limit in proptest::option::of(any::<u64>()),
                             q in proptest::option::of(text()), ts in proptest::option::of(any::<i32>()),
                             fields in proptest::collection::vec(proptest::sample::select(UserField::VALUES), 0..7)) {
        let mut req = UserListRequest::new();
        if let Some(o) = offset { req = req.offset(o); }
        if let Some(l) = limit { req = req.limit(l); }
        if let Some(q) = q { req = req.search_query(q); }
        if let Some(t) = ts { req = req.tel_sys_id(Integer::from(t)); }
        if !fields.is_empty() { req = req.user_fields(fields.iter().map(|f| UserField::from(*f)).collect::<UserFields>()); }
        prop_assert_eq!(round_trip(&req), req);
    }

    #[test]
    fn user_change_round_trips(username in text(), email in text(), sync in any::<bool>()) {
        let req = UserChangeRequest::new(username).email_addr(email).synchronise_supervisor_permissions(sync);
        prop_assert_eq!(round_trip(&req), req);
    }
}
