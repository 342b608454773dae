//! Benchmark inputs: generated `UserList` responses, the seed `UserInfo` response and the
//! seed `UserAdd` request as a struct.

use std::fmt::Write as _;

use super::model::{Advanced, Endpoint, Permissions, Scope, UserAdd};
use super::seed;

/// The seed's `Admin` permission list (long, as real ones are).
pub const ADMIN_PERMISSIONS: &str = "Device|Create,ACDAgent|Create,Code|Create,DirectoryEntry|Create,Partition|Create,TelSys|Create,Omnichannel|Create,User|Create,Recording|Create,CME|Create,Device|Read,ACDAgent|Read,Code|Read,DirectoryEntry|Read,Partition|Read,TelSys|Read,Omnichannel|Read,User|Read,Recording|Read,CME|Read,Message|Read,Database|Read,LogMngmt|Read,CallControl|Read,License|Read,Logging|Read,Device|Update,ACDAgent|Update,Code|Update,DirectoryEntry|Update,Partition|Update,TelSys|Update,Omnichannel|Update,User|Update,Recording|Update,CME|Update,Message|Update,Database|Update,LogMngmt|Update,License|Update,Device|Delete,ACDAgent|Delete,Code|Delete,DirectoryEntry|Delete,Partition|Delete,TelSys|Delete,Omnichannel|Delete,User|Delete,Recording|Delete,CME|Delete,Message|Delete,SignInAs,ReportCopy,ChangeTelSysPartitionLicenseLevel,BillingSummary,BillingCDRs,SyncPartition,AuditTrail|Read,TelSysStatus|Read,OmnichannelStatus|Read,ServerStatus|Read";

/// The seed `UserInfo` response, verbatim (comments included).
pub fn user_info_response() -> &'static str {
    &seed::USER_INFO_RESPONSE
}

/// A `UserList` response with `users` entries, shaped like the seed: every field
/// `UserFields` can request, `OmniChannelACDAgent` missing from every third entry, and one
/// full name in sixteen with an escaped `&` so the decoders' unescaping is exercised.
pub fn user_list_response(users: usize) -> String {
    let mut xml = String::with_capacity(64 + users * 520);
    xml.push_str("<Response Result=\"Success\">\n  <InvokeID>00027</InvokeID>\n  <Success>\n");
    for i in 0..users {
        let full_name = if i % 16 == 0 {
            format!("Smith &amp; Sons Agent {i}")
        } else {
            format!("Sample Supervisor Account {i}")
        };
        let _ = write!(
            xml,
            "    <Container>\n\
             \x20     <Property Name=\"Username\">user{i}@example.com</Property>\n\
             \x20     <Property Name=\"FullName\">{full_name}</Property>\n\
             \x20     <Property Name=\"LockOut\">{}</Property>\n\
             \x20     <Property Name=\"ReportingAccess\">Akixi {}</Property>\n\
             \x20     <Property Name=\"EnhancedMobileReporting\">{}</Property>\n\
             \x20     <Property Name=\"Admin\">{}</Property>\n",
            bool_text(i % 7 == 0),
            if i % 2 == 0 { 2000 } else { 3000 },
            bool_text(i % 2 == 1),
            bool_text(i % 5 == 0),
        );
        if i % 3 != 0 {
            let _ = writeln!(
                xml,
                "      <Property Name=\"OmniChannelACDAgent\">{}</Property>",
                bool_text(i % 4 == 1)
            );
        }
        xml.push_str("    </Container>\n");
    }
    xml.push_str("  </Success>\n</Response>\n");
    xml
}

fn bool_text(value: bool) -> &'static str {
    super::model::bool_text(value)
}

/// The seed `UserAdd` request's values.
pub fn user_add_request() -> UserAdd {
    UserAdd {
        invoke_id: "00024".into(),
        session_id: "EFA4902A7F61D03E42BF3222B0A246BF".into(),
        username: "supervisor1@example.com".into(),
        email_addr: Some("test@example.com".into()),
        full_name: Some("Sample Supervisor Account".into()),
        lock_out: Some(false),
        password: Some("test".into()),
        password_chg_required: Some(false),
        enable_mfa: Some(true),
        synchronise_supervisor_permissions: Some(false),
        send_welcome_email: Some(false),
        default_lang: Some("en_GB".into()),
        scope: Some(Scope {
            cm_environment_id: Some("d6d6c5a5f0f90d60:-15617a00:169f533f6d5:5613".into()),
            tel_sys_id: Some(1),
            part_id_in_tel_sys: Some(1),
            device_number: Some("All".into()),
            agent_number: Some("All".into()),
            reporting_access: Some("Akixi 3000".into()),
            ..Scope::default()
        }),
        permissions: Some(Permissions {
            admin: Some(ADMIN_PERMISSIONS.into()),
            non_admin: Some(
                "Report|Create,Report|Read,Report|Update,Report|Delete,ReportDataAPI,AdvancedMobileAppFeatures"
                    .into(),
            ),
            other: Some("ConcurrentSignIn,ServiceNotifications".into()),
            ..Permissions::default()
        }),
        endpoint: Some(Endpoint {
            tel_sys_id: Some(1),
            part_id_in_tel_sys: Some(1),
            device_number: Some("01234567890".into()),
            agent_number: Some("None".into()),
            ..Endpoint::default()
        }),
        advanced: Some(Advanced {
            prompt_for_terms: Some(false),
            notify_password_chgs: Some(false),
            report_upd_interval: Some("Auto".into()),
            disable_media_plug_ins: Some(false),
            disable_drag_drop_features: Some(false),
            java_script_audit_output: Some(false),
            ..Advanced::default()
        }),
    }
}

/// An Extension Mobility `deviceUserResults` response for `devices` devices, each with a signed-in
/// user and a last sign-in time (a large query answer; most EM answers are a few hundred bytes).
pub fn em_device_users_response(devices: usize) -> String {
    let mut xml = String::with_capacity(devices * 128 + 64);
    xml.push_str("<response><deviceUserResults>");
    for i in 0..devices {
        let _ = write!(
            xml,
            "<device name=\"SEP{i:012X}\"><userID>user{i}@example.com</userID>\
             <lastlogin>2026-12-02 10:{:02}:{:02}</lastlogin></device>",
            i / 60 % 60,
            i % 60
        );
    }
    xml.push_str("</deviceUserResults></response>");
    xml
}
