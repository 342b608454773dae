//! End to end over loopback: the typed client (and, where the exact bytes matter, raw XML)
//! against the simulator: the user lifecycle, every error condition with its exact code,
//! permissions and scope, paging and search, and the HTTP surface.

#[path = "../support/mod.rs"]
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
use akixi_sim::Config;
use akixi_sim::seed::{self, CM_ENVIRONMENT_ID, DOCS_TEL_SYS_ID, SUPERVISORS, tel_sys_id};

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

mod access;
mod components;
mod dominance;
mod errors;
mod grants;
mod http;
mod lifecycle;
mod lists;
mod secrecy;
