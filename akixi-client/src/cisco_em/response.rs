//! Responses: `<success/>`, the two failure forms, and the query results, as the EM API's
//! response DTDs give them (their element names are in [`grammar`](super::grammar)).

use std::fmt;

use super::binding::Binding;
use super::form::{escape_user_id, unescape_user_id};
use super::grammar::*;
use super::xml::{self, DecodeError, Element, push_escaped};

/// What a successful response carries for an action.
pub trait ActionOutput: Sized + Clone + fmt::Debug + Send + 'static {
    /// The response element it is read from: a success, or a query's results document.
    const ELEMENT: &'static str;

    /// The output, if `response` holds it; the response back otherwise.
    fn from_response(response: Response) -> Result<Self, Response>;

    /// The response that holds the output.
    fn into_response(self) -> Response;
}

impl ActionOutput for () {
    const ELEMENT: &'static str = SUCCESS;

    fn from_response(response: Response) -> Result<Self, Response> {
        match response {
            Response::Success => Ok(()),
            other => Err(other),
        }
    }

    fn into_response(self) -> Response {
        Response::Success
    }
}

/// A decoded `<response>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// `<success/>`: a request was carried out.
    Success,
    /// `<failure>`: the action was not carried out.
    Failure(Failure),
    /// `<deviceUserResults>`: who is logged in to each device asked about.
    DeviceUserResults(DeviceUserResults),
    /// `<userDevicesResults>`: which devices each user asked about is logged in to.
    UserDevicesResults(UserDevicesResults),
    /// `<deviceProfileResults>`: each user's device profiles (provisional).
    DeviceProfileResults(DeviceProfileResults),
}

/// Which element a [`Response`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseKind {
    /// `success`.
    Success,
    /// `failure`.
    Failure,
    /// `deviceUserResults`.
    DeviceUserResults,
    /// `userDevicesResults`.
    UserDevicesResults,
    /// `deviceProfileResults`.
    DeviceProfileResults,
}

impl ResponseKind {
    /// Every kind.
    pub const ALL: [ResponseKind; 5] = [
        ResponseKind::Success,
        ResponseKind::Failure,
        ResponseKind::DeviceUserResults,
        ResponseKind::UserDevicesResults,
        ResponseKind::DeviceProfileResults,
    ];

    /// The kind whose element is `element` (a query's results document, as the spec's
    /// `results:` rows name it).
    pub fn of_element(element: &str) -> Option<ResponseKind> {
        Self::ALL.into_iter().find(|k| k.element() == element)
    }

    /// The element's name.
    pub const fn element(self) -> &'static str {
        match self {
            ResponseKind::Success => SUCCESS,
            ResponseKind::Failure => FAILURE,
            ResponseKind::DeviceUserResults => DeviceUserResults::ELEMENT,
            ResponseKind::UserDevicesResults => UserDevicesResults::ELEMENT,
            ResponseKind::DeviceProfileResults => DeviceProfileResults::ELEMENT,
        }
    }
}

impl Response {
    /// Which element it holds.
    pub fn kind(&self) -> ResponseKind {
        match self {
            Response::Success => ResponseKind::Success,
            Response::Failure(_) => ResponseKind::Failure,
            Response::DeviceUserResults(_) => ResponseKind::DeviceUserResults,
            Response::UserDevicesResults(_) => ResponseKind::UserDevicesResults,
            Response::DeviceProfileResults(_) => ResponseKind::DeviceProfileResults,
        }
    }
}

/// A `<failure>`: `<error code="N">text</error>`, or the query DTD's
/// `<errorMessage>text</errorMessage>`, or both (then `error` wins, as in the Metreos
/// actions).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Failure {
    /// `<error code="N">text</error>`, if present.
    pub error: Option<ErrorElement>,
    /// `<errorMessage>text</errorMessage>`, if present.
    pub error_message: Option<String>,
}

/// `<error code="N">text</error>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorElement {
    /// The `code` attribute as sent (empty when missing).
    pub code: String,
    /// The text.
    pub text: String,
}

impl ErrorElement {
    /// The code as a number, if the attribute is one.
    pub fn code_number(&self) -> Option<u32> {
        self.code.trim().parse::<u32>().ok()
    }
}

impl Failure {
    /// A failure with `code` and `message` in the `<error>` form (a server's answer).
    pub fn with_code(code: u32, message: impl Into<String>) -> Self {
        Failure {
            error: Some(ErrorElement {
                code: code.to_string(),
                text: message.into(),
            }),
            error_message: None,
        }
    }

    /// The error code as a number: from `<error code>`; `None` for the `<errorMessage>`
    /// form, a missing or non-numeric code.
    pub fn code_number(&self) -> Option<u32> {
        self.error.as_ref().and_then(ErrorElement::code_number)
    }

    /// The message: `<error>`'s text when present, else `<errorMessage>`'s.
    pub fn message(&self) -> Option<&str> {
        match (&self.error, &self.error_message) {
            (Some(e), _) => Some(e.text.as_str()),
            (None, Some(m)) => Some(m.as_str()),
            (None, None) => None,
        }
    }
}

/// An element the response DTDs do not describe (`<emccDevice>`), kept as received.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct ExtraElement {
    /// Its name.
    pub name: String,
    /// Its attributes.
    pub attributes: Vec<(String, String)>,
    /// Its text, trimmed.
    pub text: String,
    /// Its child elements.
    pub children: Vec<ExtraElement>,
}

impl ExtraElement {
    fn from_element(e: &Element) -> Self {
        ExtraElement {
            name: e.name().to_owned(),
            attributes: e.attributes.clone(),
            text: e.trimmed_text().to_owned(),
            children: e.children.iter().map(ExtraElement::from_element).collect(),
        }
    }

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

/// `<deviceUserResults>`: the answer to a `deviceUserQuery` (`QueryDevices`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct DeviceUserResults {
    /// One entry per device asked about, in the response's order.
    pub devices: Vec<DeviceUser>,
}

impl DeviceUserResults {
    /// The entry of device `name`.
    pub fn device(&self, name: &str) -> Option<&DeviceUser> {
        self.devices.iter().find(|d| d.name == name)
    }
}

/// `<device name="…">`: who is logged in to one device.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct DeviceUser {
    /// The device (`name` attribute).
    pub name: String,
    /// Whether someone is logged in.
    pub state: DeviceState,
    /// `<lastlogin>`: who logged in to the device last (a user id, percent-escapes decoded
    /// as `userID`'s are), as sent.
    pub last_login: Option<String>,
    /// `<emccDevice>`: whether the device is an Extension Mobility Cross Cluster device, as
    /// sent (`no` in the guide's example).
    pub emcc_device: Option<String>,
    /// Other elements, kept as received.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub extra: Vec<ExtraElement>,
}

impl DeviceUser {
    /// The user logged in to the device, if any.
    pub fn user_id(&self) -> Option<&str> {
        match &self.state {
            DeviceState::LoggedIn { user_id } => Some(user_id),
            _ => None,
        }
    }
}

/// Whether someone is logged in to a device.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
#[non_exhaustive]
pub enum DeviceState {
    /// `<userID>`: this user is (percent-escapes decoded: `em%40cisco.com` → `em@cisco.com`).
    LoggedIn {
        /// The user id.
        user_id: String,
    },
    /// `<none/>`: nobody is.
    NoUser,
    /// `<doesNotExist/>`: the device does not exist.
    DoesNotExist,
    /// None of those elements was sent.
    Unspecified,
}

/// `<userDevicesResults>`: the answer to a `userDevicesQuery` (`QueryUsers`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct UserDevicesResults {
    /// One entry per user asked about, in the response's order.
    pub users: Vec<UserDevices>,
}

impl UserDevicesResults {
    /// The entry of user `id`.
    pub fn user(&self, id: &str) -> Option<&UserDevices> {
        self.users.iter().find(|u| u.user_id == id)
    }
}

/// `<user id="…">`: which devices one user is logged in to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct UserDevices {
    /// The user (`id` attribute, percent-escapes decoded as `userID`'s are:
    /// `em%40cisco.com` → `em@cisco.com`).
    pub user_id: String,
    /// Whether the user is logged in anywhere.
    pub state: UserState,
    /// Other elements, kept as received.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub extra: Vec<ExtraElement>,
}

impl UserDevices {
    /// The devices the user is logged in to (empty unless [`UserState::LoggedIn`]).
    pub fn devices(&self) -> &[String] {
        match &self.state {
            UserState::LoggedIn { devices } => devices,
            _ => &[],
        }
    }
}

/// Whether a user is logged in anywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
#[non_exhaustive]
pub enum UserState {
    /// `<deviceName>`+: to these devices.
    LoggedIn {
        /// The devices, in the response's order.
        devices: Vec<String>,
    },
    /// `<none/>`: to no device.
    NoDevice,
    /// `<doesNotExist/>`: the user does not exist.
    DoesNotExist,
    /// None of those elements was sent.
    Unspecified,
}

/// `<deviceProfileResults>`: the answer to a `deviceProfileQuery` (`QueryDeviceProfiles`).
/// Provisional: the sources disagree on this response's shape; this reads DevNet's
/// `<user id><deviceProfile><deviceProfileName/><isDefaultDeviceProfile/></deviceProfile>…`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct DeviceProfileResults {
    /// One entry per user asked about, in the response's order.
    pub users: Vec<UserDeviceProfiles>,
}

impl DeviceProfileResults {
    /// The entry of user `id`.
    pub fn user(&self, id: &str) -> Option<&UserDeviceProfiles> {
        self.users.iter().find(|u| u.user_id == id)
    }
}

/// `<user id="…">`: one user's device profiles.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct UserDeviceProfiles {
    /// The user (`id` attribute, percent-escapes decoded as `userID`'s are).
    pub user_id: String,
    /// The profiles, in the response's order.
    pub profiles: Vec<DeviceProfile>,
    /// `<doesNotExist/>`: the user does not exist.
    pub does_not_exist: bool,
    /// Other elements, kept as received.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub extra: Vec<ExtraElement>,
}

/// `<deviceProfile>`: one device profile.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct DeviceProfile {
    /// `<deviceProfileName>`.
    pub name: String,
    /// `<isDefaultDeviceProfile>` (`t`/`f`, `true`/`false`); `None` when missing or unreadable.
    pub is_default: Option<bool>,
    /// Other elements, kept as received.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub extra: Vec<ExtraElement>,
}

// The results documents' `ActionOutput`s are generated (`em::BINDING`'s neighbours): their
// elements are the spec's `result-document:` rows, read here as `ActionOutput::ELEMENT`.

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
