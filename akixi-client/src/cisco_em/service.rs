//! What a `cisco-em` service's generated code implements for the client: [`CiscoEmService`],
//! on the marker type `Service` that `service!` generates. The client is generic over it.

use std::fmt;

use super::binding::Binding;
use super::client::Client;
use crate::error_code::ServiceErrorCode;

/// A `cisco-em` service, as the client needs it.
pub trait CiscoEmService:
    fmt::Debug + Clone + Copy + PartialEq + Eq + Send + Sync + 'static
{
    /// The service's error codes (`ErrorCode`).
    type ErrorCode: ServiceErrorCode;
    /// The generated client (`Client`, a newtype over [`Client<Self>`] with one method per
    /// action), which [`ClientBuilder::build`](super::ClientBuilder::build) returns.
    type Client: From<Client<Self>>;

    /// The wire details of the service.
    const BINDING: Binding;
}
