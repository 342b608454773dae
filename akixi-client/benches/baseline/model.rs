//! Plain result structs shared by every codec under comparison, so their outputs compare
//! with `==`. `extra` is filled only by the runtime path (the baselines drop unknowns);
//! the fixtures have none, so all decoders produce equal values.

use akixi_client::akixi_ws::Extra;

/// One `UserList` entry with every field `UserFields` can request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserListEntry {
    pub username: Option<String>,
    pub full_name: Option<String>,
    pub lock_out: Option<bool>,
    pub reporting_access: Option<String>,
    pub enhanced_mobile_reporting: Option<bool>,
    pub admin: Option<bool>,
    pub omni_channel_acd_agent: Option<bool>,
    pub extra: Extra,
}

/// The `UserInfo` response payload.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserInfo {
    pub username: Option<String>,
    pub email_addr: Option<String>,
    pub full_name: Option<String>,
    pub lock_out: Option<bool>,
    pub password_chg_required: Option<bool>,
    pub enable_mfa: Option<bool>,
    pub synchronise_supervisor_permissions: Option<bool>,
    pub default_lang: Option<String>,
    pub scope: Option<Scope>,
    pub permissions: Option<Permissions>,
    pub endpoint: Option<Endpoint>,
    pub advanced: Option<Advanced>,
    pub extra: Extra,
}

/// The `Scope` container.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scope {
    pub cm_environment_id: Option<String>,
    pub tel_sys_id: Option<u32>,
    pub part_id_in_tel_sys: Option<i32>,
    pub device_number: Option<String>,
    pub agent_number: Option<String>,
    pub reporting_access: Option<String>,
    pub admin: Option<bool>,
    pub call_rec_int_id: Option<String>,
    pub report_read_only: Option<bool>,
    pub extra: Extra,
}

/// The `Permissions` container (comma lists kept as text here).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Permissions {
    pub admin: Option<String>,
    pub non_admin: Option<String>,
    pub other: Option<String>,
    pub extra: Extra,
}

/// The `Endpoint` container.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Endpoint {
    pub tel_sys_id: Option<u32>,
    pub part_id_in_tel_sys: Option<i32>,
    pub device_number: Option<String>,
    pub agent_number: Option<String>,
    pub extra: Extra,
}

/// The `Advanced` container.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Advanced {
    pub prompt_for_terms: Option<bool>,
    pub notify_password_chgs: Option<bool>,
    pub report_upd_interval: Option<String>,
    pub disable_media_plug_ins: Option<bool>,
    pub disable_drag_drop_features: Option<bool>,
    pub java_script_audit_output: Option<bool>,
    pub extra: Extra,
}

/// A `UserAdd` request with every property of the seed example.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserAdd {
    pub invoke_id: String,
    pub session_id: String,
    pub username: String,
    pub email_addr: Option<String>,
    pub full_name: Option<String>,
    pub lock_out: Option<bool>,
    pub password: Option<String>,
    pub password_chg_required: Option<bool>,
    pub enable_mfa: Option<bool>,
    pub synchronise_supervisor_permissions: Option<bool>,
    pub send_welcome_email: Option<bool>,
    pub default_lang: Option<String>,
    pub scope: Option<Scope>,
    pub permissions: Option<Permissions>,
    pub endpoint: Option<Endpoint>,
    pub advanced: Option<Advanced>,
}

/// The documented Boolean spellings (generated code will own this; one copy for fairness).
pub fn parse_bool(raw: &str) -> Result<bool, String> {
    match raw.trim() {
        "True" | "true" | "1" => Ok(true),
        "False" | "false" | "0" => Ok(false),
        other => Err(format!("expected True or False, found {other:?}")),
    }
}

/// `True` / `False`.
pub fn bool_text(value: bool) -> &'static str {
    if value { "True" } else { "False" }
}

fn parse_number<T: std::str::FromStr>(raw: &str) -> Result<T, String> {
    raw.trim()
        .parse()
        .map_err(|_| format!("expected an integer, found {raw:?}"))
}

// Name → field mapping used by the hand-written and serde baselines. Unknown names are
// ignored, as a hand-written decoder would.

impl UserListEntry {
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        match name {
            "Username" => self.username = Some(value.to_owned()),
            "FullName" => self.full_name = Some(value.to_owned()),
            "LockOut" => self.lock_out = Some(parse_bool(value)?),
            "ReportingAccess" => self.reporting_access = Some(value.to_owned()),
            "EnhancedMobileReporting" => self.enhanced_mobile_reporting = Some(parse_bool(value)?),
            "Admin" => self.admin = Some(parse_bool(value)?),
            "OmniChannelACDAgent" => self.omni_channel_acd_agent = Some(parse_bool(value)?),
            _ => {}
        }
        Ok(())
    }
}

impl UserInfo {
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        match name {
            "Username" => self.username = Some(value.to_owned()),
            "EmailAddr" => self.email_addr = Some(value.to_owned()),
            "FullName" => self.full_name = Some(value.to_owned()),
            "LockOut" => self.lock_out = Some(parse_bool(value)?),
            "PasswordChgRequired" => self.password_chg_required = Some(parse_bool(value)?),
            "EnableMFA" => self.enable_mfa = Some(parse_bool(value)?),
            "SynchroniseSupervisorPermissions" => {
                self.synchronise_supervisor_permissions = Some(parse_bool(value)?)
            }
            // The docs spell it both ways.
            "DefaultLang" | "Defaultlang" => self.default_lang = Some(value.to_owned()),
            _ => {}
        }
        Ok(())
    }
}

impl Scope {
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        match name {
            "CMEnvironmentID" => self.cm_environment_id = Some(value.to_owned()),
            "TelSysID" => self.tel_sys_id = Some(parse_number(value)?),
            "PartIDInTelSys" => self.part_id_in_tel_sys = Some(parse_number(value)?),
            "DeviceNumber" => self.device_number = Some(value.to_owned()),
            "AgentNumber" => self.agent_number = Some(value.to_owned()),
            "ReportingAccess" => self.reporting_access = Some(value.to_owned()),
            "Admin" => self.admin = Some(parse_bool(value)?),
            "CallRecIntID" => self.call_rec_int_id = Some(value.to_owned()),
            "ReportReadOnly" => self.report_read_only = Some(parse_bool(value)?),
            _ => {}
        }
        Ok(())
    }
}

impl Permissions {
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        match name {
            "Admin" => self.admin = Some(value.to_owned()),
            "NonAdmin" => self.non_admin = Some(value.to_owned()),
            "Other" => self.other = Some(value.to_owned()),
            _ => {}
        }
        Ok(())
    }
}

impl Endpoint {
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        match name {
            "TelSysID" => self.tel_sys_id = Some(parse_number(value)?),
            "PartIDInTelSys" => self.part_id_in_tel_sys = Some(parse_number(value)?),
            "DeviceNumber" => self.device_number = Some(value.to_owned()),
            "AgentNumber" => self.agent_number = Some(value.to_owned()),
            _ => {}
        }
        Ok(())
    }
}

impl Advanced {
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        match name {
            "PromptForTerms" => self.prompt_for_terms = Some(parse_bool(value)?),
            "NotifyPasswordChgs" => self.notify_password_chgs = Some(parse_bool(value)?),
            "ReportUpdInterval" => self.report_upd_interval = Some(value.to_owned()),
            "DisableMediaPlugIns" => self.disable_media_plug_ins = Some(parse_bool(value)?),
            "DisableDragDropFeatures" => self.disable_drag_drop_features = Some(parse_bool(value)?),
            "JavaScriptAuditOutput" => self.java_script_audit_output = Some(parse_bool(value)?),
            _ => {}
        }
        Ok(())
    }
}
