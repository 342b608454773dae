//! The Cisco Unified CM Extension Mobility (EM) API: the `cisco-em` binding, its codec, the
//! endpoint rules and result semantics of the Metreos/CUAE `CiscoExtensionMobility` actions,
//! and an async client.
//!
//! The actions themselves (`Login`, `Logout`, `LogoutAll`, `QueryUsers`, `QueryDevices`,
//! `QueryDeviceProfiles`), their result data, `ErrorCode`, `CcmVersion`, `Branch` and the
//! `BINDING` constants are generated from `spec/cisco-em` into [`crate::em`]; this module is
//! what that code runs on.
//!
//! ```no_run
//! use akixi_client::cisco_em::{Client, Scheme};
//! use akixi_client::em::{CcmVersion, LogoutAll, LogoutAllResultData};
//!
//! # async fn run() -> Result<(), akixi_client::cisco_em::Error> {
//! let client = Client::builder().scheme(Scheme::Https).build()?;
//! let action = LogoutAll::new("emapp", "s3cret")
//!     .call_manager_host("10.0.0.1:8443")
//!     .version(CcmVersion::Other);
//! let result = client.logout_all(&action).await;
//! // The typed view: Ok, a <failure> (Error::Failure), or why there was no answer.
//! if let Err(e) = &result {
//!     eprintln!("{e}");
//! }
//! // The seed's view: ErrorCode, ErrorMessage and the branch.
//! let data = LogoutAllResultData::from_result(&result);
//! println!("{} {:?} {}", data.branch, data.error_code, data.error_message);
//! # Ok(()) }
//! ```
//!
//! **On the wire**: `POST`, `application/x-www-form-urlencoded`, one field
//! `xml=<url-encoded document>`; the document is `<request>` (or `<query>`) holding
//! `<appInfo><appID/><appCertificate/></appInfo>` and the action's element, every
//! parameter placed by its spec `Element` path (see [`write_request`]). No XML declaration is
//! sent. Responses (see [`decode_response`]): `<success/>`; `<failure>` with
//! `<error code="N">text</error>` and/or the query DTD's `<errorMessage>` (`error` wins);
//! `<deviceUserResults>`, `<userDevicesResults>` and (provisional) `<deviceProfileResults>`,
//! with their `none` and `doesNotExist` cases and percent-escaped `<userID>`s decoded.
//!
//! **Endpoint** ([`resolve_endpoint`]): `CallManagerHost` (`[IP]:[Port]`) wins over `Url`,
//! which is used only when the host is missing or empty; `Version` `v333` selects
//! `/LoginService/login.asp` (or `query.asp` for queries), anything else
//! `/emservice/EMServiceServlet`; `LogoutAll` with `v333` is refused before sending (CCM 3.3
//! had no `logoutAll`). The scheme is [`ClientBuilder::scheme`] (`http` by default, as the
//! original).
//!
//! **Results**: [`Error`] tells a `<failure>` from a transport error, a timeout, a non-200
//! status, an undecodable or wrong-kind response. The seed's view, where all of those but a
//! `<failure>` are `ErrorCode` 0 without message and branch `failure`, is each action's
//! generated `…ResultData` (and [`SeedView`]).
//!
//! The application certificate is a [`Secret`](crate::secret::Secret): `Debug`, `Display`
//! and logs show `<redacted>`.

mod action;
mod binding;
mod client;
mod endpoint;
mod error;
mod form;
mod response;
mod xml;

pub use action::{
    Action, ActionKind, ActionOutput, EndpointParams, Field, FieldValue, ReadError,
    RequestDocument, write_request,
};
pub use binding::Binding;
pub use client::{Client, ClientBuilder};
pub use endpoint::{Scheme, resolve_endpoint};
pub use error::{
    DecodeFailure, Error, FailureError, HttpStatusError, InvalidAction, InvalidReason,
    ProtocolError, TimeoutError, TooLargeError, TransportError,
};
pub use form::{decode_form_field, encode_form_field, escape_user_id, unescape_user_id};
pub use response::{
    DeviceProfile, DeviceProfileResults, DeviceState, DeviceUser, DeviceUserResults, ErrorElement,
    ExtraElement, Failure, Response, ResponseKind, UserDeviceProfiles, UserDevices,
    UserDevicesResults, UserState, decode_response, encode_response,
};
pub use xml::DecodeError;

use crate::em::ErrorCode;

/// The seed's view of an outcome: what the application server's action returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedView {
    /// The action succeeded (branch `success`); otherwise the branch is `failure`.
    pub success: bool,
    /// The service's error code for a `<failure>`; the spec's `no-response-error-code` (0)
    /// for success and for every outcome without response XML.
    pub error_code: ErrorCode,
    /// The service's message for a `<failure>`; empty otherwise.
    pub error_message: String,
}

impl SeedView {
    /// The view of `outcome` under `binding`.
    pub fn of<T>(outcome: &Result<T, Error>, binding: &Binding) -> Self {
        match outcome {
            Ok(_) => SeedView {
                success: true,
                error_code: ErrorCode::from_code(binding.no_response_error_code),
                error_message: String::new(),
            },
            Err(e) => SeedView {
                success: false,
                error_code: e
                    .code()
                    .unwrap_or(ErrorCode::from_code(binding.no_response_error_code)),
                error_message: e.error_message().to_owned(),
            },
        }
    }
}
