//! What a `cisco-em` service's generated code implements for the client: [`CiscoEmService`],
//! on the marker type `Service` that `service!` generates. The client is generic over it.

use std::fmt;

use super::binding::Binding;
use crate::error_code::ServiceErrorCode;

/// A `cisco-em` service, as the client needs it.
pub trait CiscoEmService:
    fmt::Debug + Clone + Copy + PartialEq + Eq + Send + Sync + 'static
{
    /// The service's error codes (`ErrorCode`).
    type ErrorCode: ServiceErrorCode;
    /// The generated client (`Client`, a newtype over the generic
    /// [`Client<Self>`](super::client::Client) with one method per action, and `From` it), which
    /// [`ClientBuilder::build`](super::client::ClientBuilder::build) returns.
    type Client;

    /// The wire details of the service.
    const BINDING: Binding;
}
