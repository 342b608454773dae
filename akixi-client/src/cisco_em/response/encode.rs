//! Writing a [`Response`] as a document (a server's answer).

use super::types::*;
use crate::cisco_em::binding::Binding;
use crate::cisco_em::form::escape_user_id;
use crate::cisco_em::grammar::*;
use crate::cisco_em::xml::push_escaped;

/// Writes a response document (a server's answer; user ids percent-escaped as the service
/// does, in `userID` and `lastlogin` elements and `id` attributes alike, as the guide's examples
/// show them).
pub fn encode_response(response: &Response, binding: &Binding) -> String {
    let mut out = String::with_capacity(128);
    open(&mut out, binding.response_root);
    match response {
        Response::Success => empty(&mut out, SUCCESS),
        Response::Failure(f) => {
            open(&mut out, FAILURE);
            if let Some(e) = &f.error {
                out.push('<');
                out.push_str(ERROR);
                push_attribute(&mut out, CODE, &e.code);
                out.push('>');
                push_escaped(&mut out, &e.text);
                close(&mut out, ERROR);
            }
            if let Some(m) = &f.error_message {
                leaf(&mut out, ERROR_MESSAGE, m);
            }
            close(&mut out, FAILURE);
        }
        Response::DeviceUserResults(r) => {
            open(&mut out, DeviceUserResults::ELEMENT);
            for d in &r.devices {
                open_with(&mut out, DEVICE, NAME, &d.name);
                match &d.state {
                    DeviceState::LoggedIn { user_id } => {
                        leaf(&mut out, USER_ID, &escape_user_id(user_id));
                    }
                    DeviceState::NoUser => empty(&mut out, NONE),
                    DeviceState::DoesNotExist => empty(&mut out, DOES_NOT_EXIST),
                    DeviceState::Unspecified => {}
                }
                // The second place is the last login, or `<none/>` in the shape the guide and
                // CUCM's traces show (`userID`|`none`, `lastlogin`|`none`, `emccDevice`).
                match (&d.last_login, &d.emcc_device) {
                    (Some(l), _) => leaf(&mut out, LAST_LOGIN, &escape_user_id(l)),
                    (None, Some(_)) => empty(&mut out, NONE),
                    (None, None) => {}
                }
                if let Some(e) = &d.emcc_device {
                    leaf(&mut out, EMCC_DEVICE, e);
                }
                d.extra.iter().for_each(|x| x.write(&mut out));
                close(&mut out, DEVICE);
            }
            close(&mut out, DeviceUserResults::ELEMENT);
        }
        Response::UserDevicesResults(r) => {
            open(&mut out, UserDevicesResults::ELEMENT);
            for u in &r.users {
                open_with(&mut out, USER, ID, &escape_user_id(&u.user_id));
                match &u.state {
                    UserState::LoggedIn { devices } => {
                        devices.iter().for_each(|d| leaf(&mut out, DEVICE_NAME, d));
                    }
                    UserState::NoDevice => empty(&mut out, NONE),
                    UserState::DoesNotExist => empty(&mut out, DOES_NOT_EXIST),
                    UserState::Unspecified => {}
                }
                u.extra.iter().for_each(|x| x.write(&mut out));
                close(&mut out, USER);
            }
            close(&mut out, UserDevicesResults::ELEMENT);
        }
        Response::DeviceProfileResults(r) => {
            open(&mut out, DeviceProfileResults::ELEMENT);
            for u in &r.users {
                open_with(&mut out, USER, ID, &escape_user_id(&u.user_id));
                for p in &u.profiles {
                    open(&mut out, DEVICE_PROFILE);
                    leaf(&mut out, DEVICE_PROFILE_NAME, &p.name);
                    if let Some(d) = p.is_default {
                        leaf(&mut out, IS_DEFAULT, if d { "t" } else { "f" });
                    }
                    p.extra.iter().for_each(|x| x.write(&mut out));
                    close(&mut out, DEVICE_PROFILE);
                }
                if u.does_not_exist {
                    empty(&mut out, DOES_NOT_EXIST);
                }
                u.extra.iter().for_each(|x| x.write(&mut out));
                close(&mut out, USER);
            }
            close(&mut out, DeviceProfileResults::ELEMENT);
        }
    }
    close(&mut out, binding.response_root);
    out
}

fn open(out: &mut String, name: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
}

fn open_with(out: &mut String, name: &str, attribute: &str, value: &str) {
    out.push('<');
    out.push_str(name);
    push_attribute(out, attribute, value);
    out.push('>');
}

fn push_attribute(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    push_escaped(out, value);
    out.push('"');
}

fn close(out: &mut String, name: &str) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn empty(out: &mut String, name: &str) {
    out.push('<');
    out.push_str(name);
    out.push_str("/>");
}

fn leaf(out: &mut String, name: &str, text: &str) {
    open(out, name);
    push_escaped(out, text);
    close(out, name);
}

impl ExtraElement {
    /// Writes the element as received.
    fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        for (k, v) in &self.attributes {
            push_attribute(out, k, v);
        }
        if self.text.is_empty() && self.children.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        push_escaped(out, &self.text);
        for c in &self.children {
            c.write(out);
        }
        close(out, &self.name);
    }
}
