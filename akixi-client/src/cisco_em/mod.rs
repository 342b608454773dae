//! The `cisco-em` protocol (the Cisco Unified CM Extension Mobility API, as the Metreos/CUAE
//! `CiscoExtensionMobility` action package uses it): its grammar, codec, endpoint rules and
//! client. The actions themselves, their parameters, result data, `ErrorCode`, `CcmVersion`,
//! `Branch` and the `BINDING` constants are generated from `spec/cisco-em` into
//! [`crate::em`]; this module is what that code runs on. Nothing here names an action.
//!
//! - [`grammar`]: the elements of a response, as the response DTDs give them, written once;
//!   [`Binding`]: what the spec's `binding` rows say (form field, roots, paths, result data);
//! - the codec: [`write_request`] places every parameter by its spec `Element` path into a
//!   `request` or `query` document, sent form-encoded ([`encode_form_field`]);
//!   [`decode_response`] reads a success, either failure form (`error` wins over the query
//!   DTD's message), or a query's results; [`RequestDocument`] and [`encode_response`] are the
//!   server's side;
//! - [`resolve_endpoint`]: the service's URL from the host parameter (which wins) or the URL
//!   parameter, the version choosing between the spec's paths, and the actions a CCM 3.3 service
//!   lacks refused before sending;
//! - [`Outcome`] and [`outcome_view`]: the seed's view (`ErrorCode`, `ErrorMessage`, branch),
//!   which every action's generated `…ResultData` reads; [`SeedView`] is it, typed;
//! - [`Client`]: one HTTP exchange per action, no session, no retries (as the Metreos actions).
//!   [`Error`] tells a failure answer from a transport error, a timeout, a non-200 status, an
//!   undecodable or wrong-kind response. The application certificate is a
//!   [`Secret`](crate::secret::Secret): `Debug`, `Display` and logs show `<redacted>`.
//!
//! The README's Extension Mobility section shows a whole call.

pub(crate) mod action;
pub(crate) mod binding;
pub(crate) mod client;
mod endpoint;
pub(crate) mod error;
mod form;
pub mod grammar;
pub(crate) mod invalid;
pub(crate) mod outcome;
mod records;
pub(crate) mod response;
pub(crate) mod seed;
pub(crate) mod service;
mod xml;

pub use action::{
    Action, ActionKind, EndpointParams, Field, FieldValue, ReadError, RequestDocument,
    write_request,
};
pub use binding::Binding;
pub use endpoint::{Scheme, resolve_endpoint};
pub use error::{DecodeFailure, ProtocolError, write_failure};
pub use form::{decode_form_field, encode_form_field, escape_user_id, unescape_user_id};
pub use invalid::{InvalidAction, InvalidReason};
pub use outcome::{Outcome, OutcomeView, outcome_view};
pub use response::{
    ActionOutput, DeviceProfile, DeviceProfileResults, DeviceState, DeviceUser, DeviceUserResults,
    ErrorElement, ExtraElement, Failure, Response, ResponseKind, UserDeviceProfiles, UserDevices,
    UserDevicesResults, UserState, decode_response, encode_response,
};
pub use service::CiscoEmService;
pub use xml::DecodeError;

pub use crate::http::{
    HttpError, HttpStatusError, Phase, TimeoutError, TooLargeError, TransportError,
};
/// The client, generic over the service it talks to; the Extension Mobility service's own
/// names for these types are in the generated `akixi_client::em` (`em::Client`, `em::Error`, …).
pub use client::{Client, ClientBuilder};
pub use error::{Error, FailureError};
pub use seed::SeedView;
