//! Reading a response document into a [`Response`].

use super::types::*;
use crate::cisco_em::binding::Binding;
use crate::cisco_em::form::unescape_user_id;
use crate::cisco_em::grammar::*;
use crate::cisco_em::xml::{self, DecodeError, Element};

/// What a response may hold, for messages: `<success/>, <failure>, …`.
fn expected_content() -> String {
    let elements: Vec<String> = ResponseKind::ALL
        .iter()
        .map(|k| match k {
            ResponseKind::Success => format!("<{}/>", k.element()),
            _ => format!("<{}>", k.element()),
        })
        .collect();
    elements.join(", ")
}

/// Decodes a response document. Whatever the root holds besides its first element is
/// ignored, so a newer service's additions do not break an older client.
pub fn decode_response(input: &[u8], binding: &Binding) -> Result<Response, DecodeError> {
    let root = xml::parse(input)?;
    let expected_content = &expected_content();
    if root.name() != binding.response_root {
        return Err(DecodeError::at(
            &root,
            input,
            format!("a <{}> document", binding.response_root),
            format!("<{}>", root.name()),
        ));
    }
    let Some(first) = root.children.first() else {
        return Err(DecodeError::at(
            &root,
            input,
            expected_content,
            format!("an empty <{}>", root.name()),
        ));
    };
    let err =
        |e: &Element, expected: &str, found: String| DecodeError::at(e, input, expected, found);
    Ok(match first.name() {
        SUCCESS => Response::Success,
        FAILURE => Response::Failure(Failure {
            error: first.child(ERROR).map(|e| ErrorElement {
                code: e.attribute(CODE).unwrap_or_default().to_owned(),
                text: e.trimmed_text().to_owned(),
            }),
            error_message: first
                .child(ERROR_MESSAGE)
                .map(|e| e.trimmed_text().to_owned()),
        }),
        name if name == DeviceUserResults::ELEMENT => {
            let mut devices = Vec::new();
            for d in first.children_named(DEVICE) {
                let name = d
                    .attribute(NAME)
                    .ok_or_else(|| err(d, "a `name` attribute", "none".into()))?;
                let mut state = DeviceState::Unspecified;
                let mut last_login = None;
                let mut emcc_device = None;
                let mut extra = Vec::new();
                for c in &d.children {
                    match c.name() {
                        USER_ID => {
                            state = DeviceState::LoggedIn {
                                user_id: unescape_user_id(c.trimmed_text()),
                            };
                        }
                        NONE if state == DeviceState::Unspecified => state = DeviceState::NoUser,
                        DOES_NOT_EXIST => state = DeviceState::DoesNotExist,
                        LAST_LOGIN => last_login = Some(unescape_user_id(c.trimmed_text())),
                        EMCC_DEVICE => emcc_device = Some(c.trimmed_text().to_owned()),
                        NONE => {}
                        _ => extra.push(ExtraElement::from_element(c)),
                    }
                }
                devices.push(DeviceUser {
                    name: name.to_owned(),
                    state,
                    last_login,
                    emcc_device,
                    extra,
                });
            }
            Response::DeviceUserResults(DeviceUserResults { devices })
        }
        name if name == UserDevicesResults::ELEMENT => {
            let mut users = Vec::new();
            for u in first.children_named(USER) {
                let id = u
                    .attribute(ID)
                    .ok_or_else(|| err(u, "an `id` attribute", "none".into()))?;
                let mut devices = Vec::new();
                let (mut none, mut missing) = (false, false);
                let mut extra = Vec::new();
                for c in &u.children {
                    match c.name() {
                        DEVICE_NAME => devices.push(c.trimmed_text().to_owned()),
                        NONE => none = true,
                        DOES_NOT_EXIST => missing = true,
                        _ => extra.push(ExtraElement::from_element(c)),
                    }
                }
                let state = if missing {
                    UserState::DoesNotExist
                } else if !devices.is_empty() {
                    UserState::LoggedIn { devices }
                } else if none {
                    UserState::NoDevice
                } else {
                    UserState::Unspecified
                };
                users.push(UserDevices {
                    user_id: unescape_user_id(id),
                    state,
                    extra,
                });
            }
            Response::UserDevicesResults(UserDevicesResults { users })
        }
        name if name == DeviceProfileResults::ELEMENT => {
            let mut users = Vec::new();
            for u in first.children_named(USER) {
                let id = u
                    .attribute(ID)
                    .ok_or_else(|| err(u, "an `id` attribute", "none".into()))?;
                let mut entry = UserDeviceProfiles {
                    user_id: unescape_user_id(id),
                    profiles: Vec::new(),
                    does_not_exist: false,
                    extra: Vec::new(),
                };
                for c in &u.children {
                    match c.name() {
                        DEVICE_PROFILE => entry.profiles.push(device_profile(c)),
                        DOES_NOT_EXIST => entry.does_not_exist = true,
                        _ => entry.extra.push(ExtraElement::from_element(c)),
                    }
                }
                users.push(entry);
            }
            Response::DeviceProfileResults(DeviceProfileResults { users })
        }
        other => {
            return Err(err(first, expected_content, format!("<{other}>")));
        }
    })
}

fn device_profile(e: &Element) -> DeviceProfile {
    let mut profile = DeviceProfile {
        name: String::new(),
        is_default: None,
        extra: Vec::new(),
    };
    for c in &e.children {
        match c.name() {
            DEVICE_PROFILE_NAME => profile.name = c.trimmed_text().to_owned(),
            IS_DEFAULT => {
                profile.is_default = if TRUE_WORDS.contains(&c.trimmed_text()) {
                    Some(true)
                } else if FALSE_WORDS.contains(&c.trimmed_text()) {
                    Some(false)
                } else {
                    None
                };
            }
            _ => profile.extra.push(ExtraElement::from_element(c)),
        }
    }
    profile
}

impl ExtraElement {
    /// An element as received.
    fn from_element(e: &Element) -> Self {
        ExtraElement {
            name: e.name().to_owned(),
            attributes: e.attributes.clone(),
            text: e.trimmed_text().to_owned(),
            children: e.children.iter().map(ExtraElement::from_element).collect(),
        }
    }
}
