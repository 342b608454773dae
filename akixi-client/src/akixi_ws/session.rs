//! The API session's operations, as generated code gives them to the client.

use super::payload::Operation;
use crate::secret::{Password, Secret};
use crate::value::SetError;

/// The session operations of a service, by kind. The generated `ClientSession` implements it
/// from the spec (the loader resolved which operations and properties play each part), so that
/// the operations' names and the properties they carry are the spec's, not the client's.
pub trait SessionOperations {
    /// `CreateSession`.
    type Create: Operation + Send + Sync;
    /// `Authenticate`.
    type Authenticate: Operation + Send + Sync;
    /// The closing operation.
    type Close: Operation + Send + Sync;
    /// A `CreateSession` request.
    fn create() -> Self::Create;
    /// The SessionID and Nonce of a `CreateSession` response.
    fn session_of(
        response: <Self::Create as Operation>::Response,
    ) -> (Option<Secret>, Option<Secret>);
    /// An `Authenticate` request.
    fn authenticate(
        username: &str,
        password: &Password,
    ) -> Result<Self::Authenticate, Vec<SetError>>;
    /// A closing request.
    fn close() -> Self::Close;
}
