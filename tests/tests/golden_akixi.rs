//! Golden tests from the seed: every documented request example is what the typed API writes,
//! and every documented response example reads into the expected typed values.
//!
//! The examples are read from `../shared/seeds/akixi-application-users.txt` at test time.
//! Comparison is on a canonical form (comments and inter-element whitespace dropped, text
//! whitespace folded, documented alias spellings such as `Defaultlang` mapped to their
//! property's name from the spec).

use akixi_client::akixi::user::*;
use akixi_client::akixi::{
    AdminPermission, AdminPermissions, BINDING, DeviceSelector, Language, NonAdminPermission,
    NonAdminPermissions, OtherPermission, OtherPermissions, ReportUpdInterval, ReportingAccess,
    UserField, UserFields,
};
use akixi_client::akixi_ws::{ResultKind, decode_response};
use akixi_client::runtime::akixi_ws::{Operation, Password, PasswordsAsIs, encode_request};
use akixi_tests::{
    canonical_xml, request_example, response_example, seed, workspace, xml_examples,
};

const SESSION: &str = "EFA4902A7F61D03E42BF3222B0A246BF";
const CME: &str = "d6d6c5a5f0f90d60:-15617a00:169f533f6d5:5613";

fn examples() -> Vec<String> {
    xml_examples(&seed("akixi-application-users.txt"))
}

/// (alias, property name) for every alias the spec documents.
fn aliases() -> Vec<(String, String)> {
    let spec = akixi_schema::Spec::load(workspace().join("spec")).expect("spec loads");
    let svc = spec.service("akixi").expect("akixi");
    svc.families
        .iter()
        .flat_map(|f| f.properties.iter())
        .flat_map(|p| p.aliases.iter().map(|a| (a.clone(), p.name.clone())))
        .collect()
}

fn assert_same_xml(ours: &str, documented: &str) {
    let a = aliases();
    let ours_c = canonical_xml(ours, &a);
    let doc_c = canonical_xml(documented, &a);
    if ours_c != doc_c {
        let first = ours_c
            .iter()
            .zip(&doc_c)
            .position(|(x, y)| x != y)
            .unwrap_or(ours_c.len().min(doc_c.len()));
        panic!(
            "differs at item {first}:\n ours:       {:?}\n documented: {:?}\n\nours:\n{ours}",
            ours_c.get(first),
            doc_c.get(first)
        );
    }
}

fn encode<O: Operation>(op: &O, invoke_id: &str) -> String {
    encode_request(op, invoke_id, Some(SESSION), &PasswordsAsIs).expect("encodes")
}

fn all_admin() -> AdminPermissions {
    AdminPermission::VALUES
        .iter()
        .map(|v| AdminPermission::from(*v))
        .collect()
}

fn permissions() -> Permissions {
    Permissions::new()
        .admin(all_admin())
        .non_admin(
            NonAdminPermissions::new()
                .with(NonAdminPermission::ReportCreate)
                .with(NonAdminPermission::ReportRead)
                .with(NonAdminPermission::ReportUpdate)
                .with(NonAdminPermission::ReportDelete)
                .with(NonAdminPermission::ReportDataApi)
                .with(NonAdminPermission::AdvancedMobileAppFeatures),
        )
        .other(
            OtherPermissions::new()
                .with(OtherPermission::ConcurrentSignIn)
                .with(OtherPermission::ServiceNotifications),
        )
}

fn advanced() -> Advanced {
    Advanced::new()
        .prompt_for_terms(false)
        .notify_password_chgs(false)
        .report_upd_interval(ReportUpdInterval::Auto)
        .disable_media_plug_ins(false)
        .disable_drag_drop_features(false)
        .java_script_audit_output(false)
}

fn endpoint(tel_sys: i32, part: i32) -> Endpoint {
    Endpoint::new()
        .tel_sys_id(tel_sys)
        .part_id_in_tel_sys(part)
        .device_number(DeviceSelector::Number("01234567890".into()))
        .agent_number(DeviceSelector::None)
}

fn scope(tel_sys: i32, part: i32, access: ReportingAccess) -> Scope {
    Scope::new()
        .cm_environment_id(CME)
        .tel_sys_id(tel_sys)
        .part_id_in_tel_sys(part)
        .device_number(DeviceSelector::All)
        .agent_number(DeviceSelector::All)
        .reporting_access(access)
}

#[test]
fn user_add_request_is_the_documented_one() {
    let req = UserAddRequest::new("supervisor1@example.com")
        .email_addr("test@example.com")
        .full_name("Sample Supervisor Account")
        .lock_out(false)
        // The documentation's sample shows the placeholder `test` where a ciphertext goes.
        .password(Password::new("test"))
        .password_chg_required(false)
        .enable_mfa(true)
        .synchronise_supervisor_permissions(false)
        .send_welcome_email(false)
        .default_lang(Language::EnGb)
        .scope(scope(1, 1, ReportingAccess::Akixi3000))
        .permissions(permissions())
        .endpoint(endpoint(1, 1))
        .advanced(advanced());
    assert_same_xml(
        &encode(&req, "00024"),
        &request_example(&examples(), "UserAdd"),
    );
}

#[test]
fn user_change_request_is_the_documented_one() {
    let req = UserChangeRequest::new("supervisor1@example.com")
        .email_addr("reporting2@acme-commsnet.com")
        .full_name("Sample Supervisor Account 2")
        .lock_out(false)
        .password(Password::new(
            "C4gRIuo7ZTdpW/2LejGDLV2oSxAyJDU26a/iLRb4OeY=",
        ))
        .password_chg_required(true)
        .enable_mfa(false)
        .synchronise_supervisor_permissions(false)
        .send_welcome_email(true)
        .default_lang(Language::EnGb)
        .scope(scope(100100, 2, ReportingAccess::Akixi1000))
        .permissions(permissions())
        .endpoint(endpoint(100100, 2))
        .advanced(advanced());
    assert_same_xml(
        &encode(&req, "00025"),
        &request_example(&examples(), "UserChange"),
    );
}

#[test]
fn user_delete_request_is_the_documented_one() {
    let req = UserDeleteRequest::new("WebServicesAdmin@akixiprovider.com");
    assert_same_xml(
        &encode(&req, "00026"),
        &request_example(&examples(), "UserDelete"),
    );
}

#[test]
fn user_list_request_is_the_documented_one() {
    let req = UserListRequest::new()
        .offset(100)
        .limit(20)
        .cm_environment_id(CME)
        .tel_sys_id(100100)
        .part_id_in_tel_sys(2)
        .user_fields(
            UserFields::new()
                .with(UserField::LockOut)
                .with(UserField::ReportingAccess)
                .with(UserField::EnhancedMobileReporting)
                .with(UserField::Admin)
                .with(UserField::OmniChannelAcdAgent),
        )
        .search_query("Add Username or FullName to query");
    assert_same_xml(
        &encode(&req, "00027"),
        &request_example(&examples(), "UserList"),
    );
}

#[test]
fn user_info_request_is_the_documented_one() {
    let req = UserInfoRequest::new("supervisor1@example.com");
    assert_same_xml(
        &encode(&req, "00028"),
        &request_example(&examples(), "UserInfo"),
    );
}

#[test]
fn plain_success_responses_read() {
    let ex = examples();
    for id in ["00024", "00025", "00026"] {
        let xml = response_example(&ex, id);
        let d = decode_response::<UserAddResponse>(xml.as_bytes(), &BINDING).expect("decodes");
        assert_eq!(d.result, ResultKind::Success);
        assert_eq!(d.invoke_id.as_deref(), Some(id));
        assert!(d.errors.is_empty());
        assert_eq!(d.data, None, "no <Success> element, so no data");
    }
}

#[test]
fn user_info_response_reads_every_field() {
    let xml = response_example(&examples(), "00028");
    let d = decode_response::<UserInfoResponse>(xml.as_bytes(), &BINDING).expect("decodes");
    assert_eq!(d.result, ResultKind::Success);
    let r = d.data.expect("data");
    assert_eq!(r.username.as_deref(), Some("supervisor@example.com"));
    assert_eq!(r.email_addr.as_deref(), Some("reporting@acme-commsnet.com"));
    assert_eq!(r.full_name.as_deref(), Some("Sample Supervisor Account 2"));
    assert_eq!(r.lock_out, Some(false));
    assert_eq!(r.password_chg_required, Some(true));
    assert_eq!(r.enable_mfa, Some(false));
    assert_eq!(r.synchronise_supervisor_permissions, Some(false));
    // The example spells it `Defaultlang`; the spec lists that spelling as an alias.
    assert_eq!(r.default_lang, Some(Language::EnGb));
    let s = r.scope.expect("scope");
    assert_eq!(s.cm_environment_id.as_deref(), Some(CME));
    assert_eq!(s.tel_sys_id.map(|v| v.get()), Some(100100));
    assert_eq!(s.part_id_in_tel_sys.map(|v| v.get()), Some(2));
    assert_eq!(s.device_number, Some(DeviceSelector::All));
    assert_eq!(s.agent_number, Some(DeviceSelector::All));
    assert_eq!(s.reporting_access, Some(ReportingAccess::Akixi1000));
    assert_eq!(s.admin, Some(false));
    assert_eq!(
        s.call_rec_int_id.as_deref(),
        Some("4f124376cc1db4d4:-5629173c:17d7be86775:-7fb6")
    );
    assert_eq!(s.report_read_only, Some(false));
    assert!(s.extra.is_empty());
    assert_eq!(r.permissions, Some(permissions()));
    let p = r.permissions.as_ref().expect("permissions");
    assert!(
        p.admin
            .as_ref()
            .expect("admin")
            .iter()
            .all(AdminPermission::is_known)
    );
    assert_eq!(r.endpoint, Some(endpoint(100100, 2)));
    assert_eq!(r.advanced, Some(advanced()));
    assert!(r.extra.is_empty(), "nothing unknown: {:?}", r.extra);
}

#[test]
fn user_list_response_reads_every_entry() {
    let xml = response_example(&examples(), "00027");
    let d = decode_response::<UserListResponse>(xml.as_bytes(), &BINDING).expect("decodes");
    let list = d.data.expect("data");
    assert_eq!(list.entries.len(), 2);
    let (a, b) = (&list.entries[0], &list.entries[1]);
    assert_eq!(a.username.as_deref(), Some("supervisor1@example.com"));
    assert_eq!(a.full_name.as_deref(), Some("Sample Supervisor Account"));
    assert_eq!(a.lock_out, Some(false));
    assert_eq!(a.reporting_access, Some(ReportingAccess::Akixi2000));
    assert_eq!(a.enhanced_mobile_reporting, Some(true));
    assert_eq!(a.admin, Some(false));
    assert_eq!(
        a.omni_channel_acd_agent, None,
        "the documented first entry omits it"
    );
    assert_eq!(b.username.as_deref(), Some("administrator@example.com"));
    assert_eq!(b.full_name.as_deref(), Some("Sample Admin Account"));
    assert_eq!(b.lock_out, Some(false));
    assert_eq!(b.reporting_access, Some(ReportingAccess::Akixi2000));
    assert_eq!(b.enhanced_mobile_reporting, Some(false));
    assert_eq!(b.admin, Some(true));
    assert_eq!(b.omni_channel_acd_agent, Some(true));
    assert!(a.extra.is_empty() && b.extra.is_empty() && list.extra.is_empty());
}

#[test]
fn every_documented_request_decodes_back_to_the_typed_request() {
    use akixi_client::akixi_ws::decode_request;
    let ex = examples();
    let add = decode_request::<UserAddRequest>(request_example(&ex, "UserAdd").as_bytes())
        .expect("UserAdd");
    assert_eq!(add.operation, "UserAdd");
    assert_eq!(
        add.payload.as_ref().map(|p| p.get_username().as_str()),
        Some("supervisor1@example.com")
    );
    let change = decode_request::<UserChangeRequest>(request_example(&ex, "UserChange").as_bytes())
        .expect("UserChange");
    assert_eq!(
        change.payload.as_ref().and_then(|p| p.get_default_lang()),
        Some(&Language::EnGb)
    );
    let list = decode_request::<UserListRequest>(request_example(&ex, "UserList").as_bytes())
        .expect("UserList");
    assert_eq!((list.offset, list.limit), (Some(100), Some(20)));
    let fields = list
        .payload
        .as_ref()
        .and_then(|p| p.get_user_fields())
        .expect("UserFields");
    // The documented value breaks the list across lines; every token is still recognised.
    assert_eq!(fields.len(), 5);
    assert!(fields.iter().all(UserField::is_known));
}

#[test]
fn the_canonical_comparison_can_fail() {
    let doc = request_example(&examples(), "UserAdd");
    let a = aliases();
    let base = canonical_xml(&doc, &a);
    // Comments and layout do not matter…
    let relaid = doc
        .replace("<!-- Scope-related Properties.-->", "")
        .replace("\n", "\n    ");
    assert_eq!(canonical_xml(&relaid, &a), base);
    // …but a value, a name, a dropped property or a reordering does.
    for changed in [
        doc.replace(">Akixi 3000<", ">Akixi 2000<"),
        doc.replace("Name=\"EnableMFA\"", "Name=\"EnableMfa\""),
        doc.replace("<Property Name=\"LockOut\">False</Property>", ""),
        doc.replace("<Property Name=\"LockOut\">False</Property>", "").replace(
            "<Property Name=\"EnableMFA\">True</Property>",
            "<Property Name=\"EnableMFA\">True</Property><Property Name=\"LockOut\">False</Property>",
        ),
    ] {
        assert_ne!(canonical_xml(&changed, &a), base);
    }
}
