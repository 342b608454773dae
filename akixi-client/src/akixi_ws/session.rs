//! The API session's operations, as generated code gives them to the client.

use super::payload::Operation;
use crate::secret::{Password, Secret};
use crate::value::SetError;

/// The session operations of a service, by kind. The generated `ClientSession` implements it
/// from the spec (the loader resolved which operations and properties play each part), so that
/// the operations' names and the properties they carry are the spec's, not the client's.
pub trait SessionOperations {
    /// `CreateSession`.
    type Create: Operation<Response: Send + Sync + 'static> + Send + Sync + 'static;
    /// `Authenticate`.
    type Authenticate: Operation<Response: Send + Sync + 'static> + Send + Sync + 'static;
    /// The closing operation.
    type Close: Operation<Response: Send + Sync + 'static> + Send + Sync + 'static;
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
