//! The runtime path, driven the way generated code will drive it: match on the property
//! name, parse with `WireValue`, keep unknowns in `Extra`, write with `RequestWriter`.

use std::borrow::Cow;

use akixi_client::akixi_ws::{
    DecodeError, DecodePayload, Node, PayloadReader, RequestWriter, ValueError, WireValue,
    decode_response,
};

use super::model::{
    Advanced, Endpoint, Permissions, Scope, UserAdd, UserInfo, UserListEntry, bool_text, parse_bool,
};

/// Stand-in for the generated `Boolean` value type.
pub struct WireBool(pub bool);

impl WireValue for WireBool {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(bool_text(self.0))
    }

    fn from_wire(raw: &str) -> Result<Self, ValueError> {
        parse_bool(raw)
            .map(WireBool)
            .map_err(|_| ValueError::new("True or False", raw))
    }
}

fn flag(reader: &PayloadReader<'_>, name: &str, value: &str) -> Result<Option<bool>, DecodeError> {
    Ok(Some(reader.parse::<WireBool>(name, value)?.0))
}

/// Unknown containers go to `extra` whole, as generated code will do.
fn keep_container(
    reader: &mut PayloadReader<'_>,
    extra: &mut akixi_client::akixi_ws::Extra,
    name: Option<Cow<'_, str>>,
) -> Result<(), DecodeError> {
    let items = reader.read_extra()?;
    extra.push_container(name.map(Cow::into_owned), items);
    Ok(())
}

impl DecodePayload for UserListEntry {
    fn decode(r: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        let mut e = UserListEntry::default();
        while let Some(node) = r.next()? {
            match node {
                Node::Property { name, value } => match &*name {
                    "Username" => e.username = Some(r.parse(&name, &value)?),
                    "FullName" => e.full_name = Some(r.parse(&name, &value)?),
                    "LockOut" => e.lock_out = flag(r, &name, &value)?,
                    "ReportingAccess" => e.reporting_access = Some(r.parse(&name, &value)?),
                    "EnhancedMobileReporting" => {
                        e.enhanced_mobile_reporting = flag(r, &name, &value)?
                    }
                    "Admin" => e.admin = flag(r, &name, &value)?,
                    "OmniChannelACDAgent" => e.omni_channel_acd_agent = flag(r, &name, &value)?,
                    _ => e.extra.push_property(name, value),
                },
                Node::Container { name } => keep_container(r, &mut e.extra, name)?,
            }
        }
        Ok(e)
    }
}

impl DecodePayload for UserInfo {
    fn decode(r: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        let mut u = UserInfo::default();
        while let Some(node) = r.next()? {
            match node {
                Node::Property { name, value } => match &*name {
                    "Username" => u.username = Some(r.parse(&name, &value)?),
                    "EmailAddr" => u.email_addr = Some(r.parse(&name, &value)?),
                    "FullName" => u.full_name = Some(r.parse(&name, &value)?),
                    "LockOut" => u.lock_out = flag(r, &name, &value)?,
                    "PasswordChgRequired" => u.password_chg_required = flag(r, &name, &value)?,
                    "EnableMFA" => u.enable_mfa = flag(r, &name, &value)?,
                    "SynchroniseSupervisorPermissions" => {
                        u.synchronise_supervisor_permissions = flag(r, &name, &value)?
                    }
                    "DefaultLang" | "Defaultlang" => u.default_lang = Some(r.parse(&name, &value)?),
                    _ => u.extra.push_property(name, value),
                },
                Node::Container { name } => match name.as_deref() {
                    Some("Scope") => u.scope = Some(r.decode_container()?),
                    Some("Permissions") => u.permissions = Some(r.decode_container()?),
                    Some("Endpoint") => u.endpoint = Some(r.decode_container()?),
                    Some("Advanced") => u.advanced = Some(r.decode_container()?),
                    _ => keep_container(r, &mut u.extra, name)?,
                },
            }
        }
        Ok(u)
    }
}

impl DecodePayload for Scope {
    fn decode(r: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        let mut s = Scope::default();
        while let Some(node) = r.next()? {
            match node {
                Node::Property { name, value } => match &*name {
                    "CMEnvironmentID" => s.cm_environment_id = Some(r.parse(&name, &value)?),
                    "TelSysID" => s.tel_sys_id = Some(r.parse(&name, &value)?),
                    "PartIDInTelSys" => s.part_id_in_tel_sys = Some(r.parse(&name, &value)?),
                    "DeviceNumber" => s.device_number = Some(r.parse(&name, &value)?),
                    "AgentNumber" => s.agent_number = Some(r.parse(&name, &value)?),
                    "ReportingAccess" => s.reporting_access = Some(r.parse(&name, &value)?),
                    "Admin" => s.admin = flag(r, &name, &value)?,
                    "CallRecIntID" => s.call_rec_int_id = Some(r.parse(&name, &value)?),
                    "ReportReadOnly" => s.report_read_only = flag(r, &name, &value)?,
                    _ => s.extra.push_property(name, value),
                },
                Node::Container { name } => keep_container(r, &mut s.extra, name)?,
            }
        }
        Ok(s)
    }
}

impl DecodePayload for Permissions {
    fn decode(r: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        let mut p = Permissions::default();
        while let Some(node) = r.next()? {
            match node {
                Node::Property { name, value } => match &*name {
                    "Admin" => p.admin = Some(r.parse(&name, &value)?),
                    "NonAdmin" => p.non_admin = Some(r.parse(&name, &value)?),
                    "Other" => p.other = Some(r.parse(&name, &value)?),
                    _ => p.extra.push_property(name, value),
                },
                Node::Container { name } => keep_container(r, &mut p.extra, name)?,
            }
        }
        Ok(p)
    }
}

impl DecodePayload for Endpoint {
    fn decode(r: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        let mut e = Endpoint::default();
        while let Some(node) = r.next()? {
            match node {
                Node::Property { name, value } => match &*name {
                    "TelSysID" => e.tel_sys_id = Some(r.parse(&name, &value)?),
                    "PartIDInTelSys" => e.part_id_in_tel_sys = Some(r.parse(&name, &value)?),
                    "DeviceNumber" => e.device_number = Some(r.parse(&name, &value)?),
                    "AgentNumber" => e.agent_number = Some(r.parse(&name, &value)?),
                    _ => e.extra.push_property(name, value),
                },
                Node::Container { name } => keep_container(r, &mut e.extra, name)?,
            }
        }
        Ok(e)
    }
}

impl DecodePayload for Advanced {
    fn decode(r: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        let mut a = Advanced::default();
        while let Some(node) = r.next()? {
            match node {
                Node::Property { name, value } => match &*name {
                    "PromptForTerms" => a.prompt_for_terms = flag(r, &name, &value)?,
                    "NotifyPasswordChgs" => a.notify_password_chgs = flag(r, &name, &value)?,
                    "ReportUpdInterval" => a.report_upd_interval = Some(r.parse(&name, &value)?),
                    "DisableMediaPlugIns" => a.disable_media_plug_ins = flag(r, &name, &value)?,
                    "DisableDragDropFeatures" => {
                        a.disable_drag_drop_features = flag(r, &name, &value)?
                    }
                    "JavaScriptAuditOutput" => a.java_script_audit_output = flag(r, &name, &value)?,
                    _ => a.extra.push_property(name, value),
                },
                Node::Container { name } => keep_container(r, &mut a.extra, name)?,
            }
        }
        Ok(a)
    }
}

pub fn decode_user_list(xml: &str) -> Result<Vec<UserListEntry>, DecodeError> {
    let decoded =
        decode_response::<Vec<UserListEntry>>(xml.as_bytes(), &akixi_client::akixi::BINDING)?;
    Ok(decoded.data.unwrap_or_default())
}

pub fn decode_user_info(xml: &str) -> Result<Option<UserInfo>, DecodeError> {
    Ok(decode_response::<UserInfo>(xml.as_bytes(), &akixi_client::akixi::BINDING)?.data)
}

fn text(w: &mut RequestWriter, name: &str, value: &Option<String>) {
    if let Some(value) = value {
        w.property(name, value);
    }
}

fn boolean(w: &mut RequestWriter, name: &str, value: Option<bool>) {
    if let Some(value) = value {
        w.property_value(name, &WireBool(value));
    }
}

fn number<T: WireValue>(w: &mut RequestWriter, name: &str, value: &Option<T>) {
    if let Some(value) = value {
        w.property_value(name, value);
    }
}

pub fn encode_user_add(request: &UserAdd) -> String {
    let mut w = RequestWriter::with_capacity("UserAdd", 4096);
    w.invoke_id(&request.invoke_id)
        .session_id(&request.session_id)
        .begin_payload();
    w.property("Username", &request.username);
    text(&mut w, "EmailAddr", &request.email_addr);
    text(&mut w, "FullName", &request.full_name);
    boolean(&mut w, "LockOut", request.lock_out);
    text(&mut w, "Password", &request.password);
    boolean(&mut w, "PasswordChgRequired", request.password_chg_required);
    boolean(&mut w, "EnableMFA", request.enable_mfa);
    boolean(
        &mut w,
        "SynchroniseSupervisorPermissions",
        request.synchronise_supervisor_permissions,
    );
    boolean(&mut w, "SendWelcomeEmail", request.send_welcome_email);
    text(&mut w, "DefaultLang", &request.default_lang);
    if let Some(s) = &request.scope {
        w.begin_container("Scope");
        text(&mut w, "CMEnvironmentID", &s.cm_environment_id);
        number(&mut w, "TelSysID", &s.tel_sys_id);
        number(&mut w, "PartIDInTelSys", &s.part_id_in_tel_sys);
        text(&mut w, "DeviceNumber", &s.device_number);
        text(&mut w, "AgentNumber", &s.agent_number);
        text(&mut w, "ReportingAccess", &s.reporting_access);
        boolean(&mut w, "Admin", s.admin);
        text(&mut w, "CallRecIntID", &s.call_rec_int_id);
        boolean(&mut w, "ReportReadOnly", s.report_read_only);
        w.end_container();
    }
    if let Some(p) = &request.permissions {
        w.begin_container("Permissions");
        text(&mut w, "Admin", &p.admin);
        text(&mut w, "NonAdmin", &p.non_admin);
        text(&mut w, "Other", &p.other);
        w.end_container();
    }
    if let Some(e) = &request.endpoint {
        w.begin_container("Endpoint");
        number(&mut w, "TelSysID", &e.tel_sys_id);
        number(&mut w, "PartIDInTelSys", &e.part_id_in_tel_sys);
        text(&mut w, "DeviceNumber", &e.device_number);
        text(&mut w, "AgentNumber", &e.agent_number);
        w.end_container();
    }
    if let Some(a) = &request.advanced {
        w.begin_container("Advanced");
        boolean(&mut w, "PromptForTerms", a.prompt_for_terms);
        boolean(&mut w, "NotifyPasswordChgs", a.notify_password_chgs);
        text(&mut w, "ReportUpdInterval", &a.report_upd_interval);
        boolean(&mut w, "DisableMediaPlugIns", a.disable_media_plug_ins);
        boolean(
            &mut w,
            "DisableDragDropFeatures",
            a.disable_drag_drop_features,
        );
        boolean(&mut w, "JavaScriptAuditOutput", a.java_script_audit_output);
        w.end_container();
    }
    w.finish()
}
