//! What a typical user would pick: quick-xml's serde support into structs that mirror the
//! `<Property Name="…">` shape, then a mapping by name into the plain model.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::model::{
    Advanced, Endpoint, Permissions, Scope, UserAdd, UserInfo, UserListEntry, bool_text,
};

pub type Error = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, Deserialize)]
struct ResponseXml {
    #[serde(rename = "@Result")]
    #[allow(dead_code)]
    result: String,
    #[serde(rename = "InvokeID", default)]
    #[allow(dead_code)]
    invoke_id: Option<String>,
    #[serde(rename = "Success", default)]
    success: Option<PayloadXml>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
struct PayloadXml {
    #[serde(rename = "Property", default, skip_serializing_if = "Vec::is_empty")]
    properties: Vec<PropertyXml>,
    #[serde(rename = "Container", default, skip_serializing_if = "Vec::is_empty")]
    containers: Vec<ContainerXml>,
}

#[derive(Debug, Deserialize, Serialize)]
struct PropertyXml {
    #[serde(rename = "@Name")]
    name: String,
    #[serde(rename = "$text", default)]
    value: String,
}

#[derive(Debug, Deserialize, Serialize)]
struct ContainerXml {
    #[serde(rename = "@Name", default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(rename = "Property", default)]
    properties: Vec<PropertyXml>,
}

pub fn decode_user_list(xml: &str) -> Result<Vec<UserListEntry>, Error> {
    let response: ResponseXml = quick_xml::de::from_str(xml)?;
    let payload = response.success.unwrap_or_default();
    let mut users = Vec::with_capacity(payload.containers.len());
    for container in payload.containers {
        let mut user = UserListEntry::default();
        for property in container.properties {
            user.set(&property.name, &property.value)?;
        }
        users.push(user);
    }
    Ok(users)
}

pub fn decode_user_info(xml: &str) -> Result<Option<UserInfo>, Error> {
    let response: ResponseXml = quick_xml::de::from_str(xml)?;
    let Some(payload) = response.success else {
        return Ok(None);
    };
    let mut info = UserInfo::default();
    for property in payload.properties {
        info.set(&property.name, &property.value)?;
    }
    for container in payload.containers {
        let properties = container.properties.iter();
        match container.name.as_deref() {
            Some("Scope") => {
                let scope = info.scope.get_or_insert_with(Scope::default);
                for p in properties {
                    scope.set(&p.name, &p.value)?;
                }
            }
            Some("Permissions") => {
                let permissions = info.permissions.get_or_insert_with(Permissions::default);
                for p in properties {
                    permissions.set(&p.name, &p.value)?;
                }
            }
            Some("Endpoint") => {
                let endpoint = info.endpoint.get_or_insert_with(Endpoint::default);
                for p in properties {
                    endpoint.set(&p.name, &p.value)?;
                }
            }
            Some("Advanced") => {
                let advanced = info.advanced.get_or_insert_with(Advanced::default);
                for p in properties {
                    advanced.set(&p.name, &p.value)?;
                }
            }
            _ => {}
        }
    }
    Ok(Some(info))
}

#[derive(Serialize)]
#[serde(rename = "Request")]
struct RequestXml<'a> {
    #[serde(rename = "@Operation")]
    operation: &'a str,
    #[serde(rename = "InvokeID")]
    invoke_id: &'a str,
    #[serde(rename = "SessionID")]
    session_id: &'a str,
    #[serde(rename = "OperationPayload")]
    payload: PayloadOut<'a>,
}

#[derive(Serialize)]
struct PayloadOut<'a> {
    #[serde(rename = "Property")]
    properties: Vec<PropertyOut<'a>>,
    #[serde(rename = "Container")]
    containers: Vec<ContainerOut<'a>>,
}

#[derive(Serialize)]
struct PropertyOut<'a> {
    #[serde(rename = "@Name")]
    name: &'static str,
    #[serde(rename = "$text")]
    value: Cow<'a, str>,
}

#[derive(Serialize)]
struct ContainerOut<'a> {
    #[serde(rename = "@Name")]
    name: &'static str,
    #[serde(rename = "Property")]
    properties: Vec<PropertyOut<'a>>,
}

/// Collects present values as properties, in order.
#[derive(Default)]
struct Properties<'a>(Vec<PropertyOut<'a>>);

impl<'a> Properties<'a> {
    fn text(&mut self, name: &'static str, value: Option<&'a str>) -> &mut Self {
        if let Some(value) = value {
            self.0.push(PropertyOut {
                name,
                value: Cow::Borrowed(value),
            });
        }
        self
    }

    fn flag(&mut self, name: &'static str, value: Option<bool>) -> &mut Self {
        self.text(name, value.map(bool_text))
    }

    fn number(&mut self, name: &'static str, value: Option<impl ToString>) -> &mut Self {
        if let Some(value) = value {
            self.0.push(PropertyOut {
                name,
                value: Cow::Owned(value.to_string()),
            });
        }
        self
    }
}

pub fn encode_user_add(request: &UserAdd) -> Result<String, Error> {
    let mut top = Properties::default();
    top.text("Username", Some(&request.username))
        .text("EmailAddr", request.email_addr.as_deref())
        .text("FullName", request.full_name.as_deref())
        .flag("LockOut", request.lock_out)
        .text("Password", request.password.as_deref())
        .flag("PasswordChgRequired", request.password_chg_required)
        .flag("EnableMFA", request.enable_mfa)
        .flag(
            "SynchroniseSupervisorPermissions",
            request.synchronise_supervisor_permissions,
        )
        .flag("SendWelcomeEmail", request.send_welcome_email)
        .text("DefaultLang", request.default_lang.as_deref());

    let mut containers = Vec::new();
    if let Some(s) = &request.scope {
        let mut p = Properties::default();
        p.text("CMEnvironmentID", s.cm_environment_id.as_deref())
            .number("TelSysID", s.tel_sys_id)
            .number("PartIDInTelSys", s.part_id_in_tel_sys)
            .text("DeviceNumber", s.device_number.as_deref())
            .text("AgentNumber", s.agent_number.as_deref())
            .text("ReportingAccess", s.reporting_access.as_deref())
            .flag("Admin", s.admin)
            .text("CallRecIntID", s.call_rec_int_id.as_deref())
            .flag("ReportReadOnly", s.report_read_only);
        containers.push(ContainerOut {
            name: "Scope",
            properties: p.0,
        });
    }
    if let Some(s) = &request.permissions {
        let mut p = Properties::default();
        p.text("Admin", s.admin.as_deref())
            .text("NonAdmin", s.non_admin.as_deref())
            .text("Other", s.other.as_deref());
        containers.push(ContainerOut {
            name: "Permissions",
            properties: p.0,
        });
    }
    if let Some(s) = &request.endpoint {
        let mut p = Properties::default();
        p.number("TelSysID", s.tel_sys_id)
            .number("PartIDInTelSys", s.part_id_in_tel_sys)
            .text("DeviceNumber", s.device_number.as_deref())
            .text("AgentNumber", s.agent_number.as_deref());
        containers.push(ContainerOut {
            name: "Endpoint",
            properties: p.0,
        });
    }
    if let Some(s) = &request.advanced {
        let mut p = Properties::default();
        p.flag("PromptForTerms", s.prompt_for_terms)
            .flag("NotifyPasswordChgs", s.notify_password_chgs)
            .text("ReportUpdInterval", s.report_upd_interval.as_deref())
            .flag("DisableMediaPlugIns", s.disable_media_plug_ins)
            .flag("DisableDragDropFeatures", s.disable_drag_drop_features)
            .flag("JavaScriptAuditOutput", s.java_script_audit_output);
        containers.push(ContainerOut {
            name: "Advanced",
            properties: p.0,
        });
    }

    let document = RequestXml {
        operation: "UserAdd",
        invoke_id: &request.invoke_id,
        session_id: &request.session_id,
        payload: PayloadOut {
            properties: top.0,
            containers,
        },
    };
    Ok(quick_xml::se::to_string(&document)?)
}
