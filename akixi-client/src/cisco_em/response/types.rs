//! The responses' types: what a [`Response`] holds, and the [`ActionOutput`] of each action.

use std::fmt;

use crate::cisco_em::grammar::*;

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
