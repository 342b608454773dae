//! What a service's generated code implements for the client: [`AkixiWsService`] (its types
//! and the binding's constants, on a marker type), [`Validate`] (a request checked against a
//! platform) and [`Caller`] (anything that sends typed operations). The client is generic over
//! the service, so that any `akixi-ws` service of the spec, a fixture's included, gets one.

use std::fmt;
use std::future::Future;

use crate::akixi_ws::binding::Binding;
use crate::akixi_ws::payload::{Operation, PasswordScheme};
use crate::akixi_ws::session::SessionOperations;
use crate::error_code::ServiceErrorCode;
use crate::meta::OperationInfo;

/// An `akixi-ws` service, as the client needs it: implemented by the marker type `Service`
/// that `service!` generates for a service with API session operations.
pub trait AkixiWsService:
    fmt::Debug + Clone + Copy + PartialEq + Eq + Send + Sync + 'static
{
    /// The service's platforms (`Platform`).
    type Platform: Copy + Eq + fmt::Debug + Send + Sync + 'static;
    /// The service's error codes (`ErrorCode`).
    type ErrorCode: ServiceErrorCode;
    /// What a request a platform does not support says (`Unsupported`).
    type Unsupported: fmt::Debug + fmt::Display + Clone + PartialEq + Eq + Send + Sync + 'static;
    /// The API session's operations (`ClientSession`).
    type Session: SessionOperations;
    /// The generated client (`Client`, a newtype over the generic
    /// [`Client<Self>`](super::Client) with the typed methods, and `From` it), which
    /// [`ClientBuilder::build`](super::ClientBuilder::build) returns.
    type Client;

    /// The element names of the response envelope.
    const BINDING: Binding;
    /// Every operation of the service.
    const OPERATIONS: &'static [OperationInfo];
    /// The properties whose values are secrets (never logged).
    const SECRET_PROPERTIES: &'static [&'static str];
    /// The property that names the telephony server a request is about.
    const TELEPHONY_SERVER_PROPERTY: &'static str;
    /// How passwords are protected on the wire.
    const PASSWORD_SCHEME: PasswordScheme;
    /// Entries returned when a list request gives no `Limit`: the client's default page size.
    const DEFAULT_LIMIT: u64;
    /// Digits of an `InvokeID`.
    const INVOKE_ID_DIGITS: usize;
}

/// A request that can be checked against a platform's support matrix before it is sent:
/// every request of a service, through its own `validate_for`. A hand-written `Operation`
/// without platform rules implements it by returning `Ok(())`.
pub trait Validate {
    /// The platforms it is checked against (the service's `Platform`).
    type Platform;
    /// What a failed check says (the service's `Unsupported`).
    type Unsupported;
    /// Every property the request sets that `platform` does not support.
    fn validate_for(&self, platform: Self::Platform) -> Result<(), Self::Unsupported>;
}

/// Something that sends typed operations: the client, or anything standing in for it. Tools
/// that work by operation name (the generated `dynamic`, the command line) call through this.
pub trait Caller: Sync {
    /// The platforms of the operations it sends (the service's `Platform`).
    type Platform;
    /// What a request a platform does not support says (the service's `Unsupported`).
    type Unsupported;
    /// What a failed call says.
    type Error: Send;
    /// Sends `op` and returns its response data.
    fn call<O>(&self, op: O) -> impl Future<Output = Result<O::Response, Self::Error>> + Send
    where
        O: Operation
            + Validate<Platform = Self::Platform, Unsupported = Self::Unsupported>
            + Send
            + Sync
            + 'static,
        O::Response: Send + Sync + 'static;
}
