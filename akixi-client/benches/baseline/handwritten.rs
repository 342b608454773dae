//! The practical speed limit: quick-xml events handled by hand, as an expert would write
//! them for these two responses and this one request. Borrowed events, no intermediate
//! tree, attribute duplicate checks off, unknown names ignored.

use std::borrow::Cow;
use std::io;

use quick_xml::Reader;
use quick_xml::Writer;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, BytesText, Event};

use super::model::{
    Advanced, Endpoint, Permissions, Scope, UserAdd, UserInfo, UserListEntry, bool_text,
};

pub type Error = Box<dyn std::error::Error + Send + Sync>;

fn name_attribute<'e>(start: &'e BytesStart<'_>) -> Result<Option<Cow<'e, str>>, Error> {
    let mut attributes = start.attributes();
    attributes.with_checks(false);
    for attribute in attributes {
        let attribute = attribute?;
        if attribute.key.as_ref() == "Name" {
            return Ok(Some(attribute.value));
        }
    }
    Ok(None)
}

/// Text up to the end tag, with references resolved; borrowed when it is one text event.
fn read_text<'a>(reader: &mut Reader<&'a [u8]>) -> Result<Cow<'a, str>, Error> {
    let mut text: Cow<'a, str> = Cow::Borrowed("");
    loop {
        match reader.read_event()? {
            Event::Text(t) => {
                let piece = t.xml10_content();
                if text.is_empty() {
                    text = piece;
                } else {
                    text.to_mut().push_str(&piece);
                }
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref()? {
                    Some(c) => c,
                    None => resolve_predefined_entity(&r)
                        .and_then(|s| s.chars().next())
                        .ok_or("unknown entity")?,
                };
                text.to_mut().push(c);
            }
            Event::End(_) => return Ok(text),
            Event::Eof => return Err("unexpected end of input".into()),
            _ => {}
        }
    }
}

pub fn decode_user_list(xml: &str) -> Result<Vec<UserListEntry>, Error> {
    let mut reader = Reader::from_str(xml);
    let mut users = Vec::new();
    let mut entry: Option<UserListEntry> = None;
    loop {
        match reader.read_event()? {
            Event::Start(start) => match start.name().as_ref() {
                "Container" => entry = Some(UserListEntry::default()),
                "Property" => {
                    let name = name_attribute(&start)?.ok_or("Property without Name")?;
                    let value = read_text(&mut reader)?;
                    if let Some(entry) = entry.as_mut() {
                        entry.set(&name, &value)?;
                    }
                }
                _ => {}
            },
            Event::End(end) if end.name().as_ref() == "Container" => {
                users.extend(entry.take());
            }
            Event::Eof => return Ok(users),
            _ => {}
        }
    }
}

#[derive(Clone, Copy)]
enum Level {
    Top,
    Scope,
    Permissions,
    Endpoint,
    Advanced,
    Unknown,
}

pub fn decode_user_info(xml: &str) -> Result<Option<UserInfo>, Error> {
    let mut reader = Reader::from_str(xml);
    let mut info: Option<UserInfo> = None;
    let mut level = Level::Top;
    loop {
        match reader.read_event()? {
            Event::Start(start) => match start.name().as_ref() {
                "Success" => info = Some(UserInfo::default()),
                "Container" => {
                    level = match name_attribute(&start)?.as_deref() {
                        Some("Scope") => Level::Scope,
                        Some("Permissions") => Level::Permissions,
                        Some("Endpoint") => Level::Endpoint,
                        Some("Advanced") => Level::Advanced,
                        _ => Level::Unknown,
                    };
                }
                "Property" => {
                    let name = name_attribute(&start)?.ok_or("Property without Name")?;
                    let value = read_text(&mut reader)?;
                    let Some(info) = info.as_mut() else { continue };
                    match level {
                        Level::Top => info.set(&name, &value)?,
                        Level::Scope => info
                            .scope
                            .get_or_insert_with(Scope::default)
                            .set(&name, &value)?,
                        Level::Permissions => info
                            .permissions
                            .get_or_insert_with(Permissions::default)
                            .set(&name, &value)?,
                        Level::Endpoint => info
                            .endpoint
                            .get_or_insert_with(Endpoint::default)
                            .set(&name, &value)?,
                        Level::Advanced => info
                            .advanced
                            .get_or_insert_with(Advanced::default)
                            .set(&name, &value)?,
                        Level::Unknown => {}
                    }
                }
                _ => {}
            },
            Event::End(end) if end.name().as_ref() == "Container" => level = Level::Top,
            Event::Eof => return Ok(info),
            _ => {}
        }
    }
}

fn property(w: &mut Writer<Vec<u8>>, name: &str, value: &str) -> io::Result<()> {
    w.create_element("Property")
        .with_attribute(("Name", name))
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

fn opt(w: &mut Writer<Vec<u8>>, name: &str, value: Option<&str>) -> io::Result<()> {
    match value {
        Some(value) => property(w, name, value),
        None => Ok(()),
    }
}

fn opt_bool(w: &mut Writer<Vec<u8>>, name: &str, value: Option<bool>) -> io::Result<()> {
    opt(w, name, value.map(bool_text))
}

fn opt_number(
    w: &mut Writer<Vec<u8>>,
    name: &str,
    value: Option<impl itoa::Integer>,
) -> io::Result<()> {
    let mut buffer = itoa::Buffer::new();
    opt(w, name, value.map(|n| buffer.format(n)))
}

pub fn encode_user_add(request: &UserAdd) -> Result<String, Error> {
    let mut writer = Writer::new(Vec::with_capacity(4096));
    writer
        .create_element("Request")
        .with_attribute(("Operation", "UserAdd"))
        .write_inner_content(|w| {
            w.create_element("InvokeID")
                .write_text_content(BytesText::new(&request.invoke_id))?;
            w.create_element("SessionID")
                .write_text_content(BytesText::new(&request.session_id))?;
            w.create_element("OperationPayload")
                .write_inner_content(|w| {
                    property(w, "Username", &request.username)?;
                    opt(w, "EmailAddr", request.email_addr.as_deref())?;
                    opt(w, "FullName", request.full_name.as_deref())?;
                    opt_bool(w, "LockOut", request.lock_out)?;
                    opt(w, "Password", request.password.as_deref())?;
                    opt_bool(w, "PasswordChgRequired", request.password_chg_required)?;
                    opt_bool(w, "EnableMFA", request.enable_mfa)?;
                    opt_bool(
                        w,
                        "SynchroniseSupervisorPermissions",
                        request.synchronise_supervisor_permissions,
                    )?;
                    opt_bool(w, "SendWelcomeEmail", request.send_welcome_email)?;
                    opt(w, "DefaultLang", request.default_lang.as_deref())?;
                    if let Some(s) = &request.scope {
                        w.create_element("Container")
                            .with_attribute(("Name", "Scope"))
                            .write_inner_content(|w| {
                                opt(w, "CMEnvironmentID", s.cm_environment_id.as_deref())?;
                                opt_number(w, "TelSysID", s.tel_sys_id)?;
                                opt_number(w, "PartIDInTelSys", s.part_id_in_tel_sys)?;
                                opt(w, "DeviceNumber", s.device_number.as_deref())?;
                                opt(w, "AgentNumber", s.agent_number.as_deref())?;
                                opt(w, "ReportingAccess", s.reporting_access.as_deref())?;
                                opt_bool(w, "Admin", s.admin)?;
                                opt(w, "CallRecIntID", s.call_rec_int_id.as_deref())?;
                                opt_bool(w, "ReportReadOnly", s.report_read_only)
                            })?;
                    }
                    if let Some(p) = &request.permissions {
                        w.create_element("Container")
                            .with_attribute(("Name", "Permissions"))
                            .write_inner_content(|w| {
                                opt(w, "Admin", p.admin.as_deref())?;
                                opt(w, "NonAdmin", p.non_admin.as_deref())?;
                                opt(w, "Other", p.other.as_deref())
                            })?;
                    }
                    if let Some(e) = &request.endpoint {
                        w.create_element("Container")
                            .with_attribute(("Name", "Endpoint"))
                            .write_inner_content(|w| {
                                opt_number(w, "TelSysID", e.tel_sys_id)?;
                                opt_number(w, "PartIDInTelSys", e.part_id_in_tel_sys)?;
                                opt(w, "DeviceNumber", e.device_number.as_deref())?;
                                opt(w, "AgentNumber", e.agent_number.as_deref())
                            })?;
                    }
                    if let Some(a) = &request.advanced {
                        w.create_element("Container")
                            .with_attribute(("Name", "Advanced"))
                            .write_inner_content(|w| {
                                opt_bool(w, "PromptForTerms", a.prompt_for_terms)?;
                                opt_bool(w, "NotifyPasswordChgs", a.notify_password_chgs)?;
                                opt(w, "ReportUpdInterval", a.report_upd_interval.as_deref())?;
                                opt_bool(w, "DisableMediaPlugIns", a.disable_media_plug_ins)?;
                                opt_bool(
                                    w,
                                    "DisableDragDropFeatures",
                                    a.disable_drag_drop_features,
                                )?;
                                opt_bool(w, "JavaScriptAuditOutput", a.java_script_audit_output)
                            })?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    Ok(String::from_utf8(writer.into_inner())?)
}
