//! The client handle: what one Akixi endpoint's client holds, shared by its clones, and its one
//! generic call. Its other methods are in the files that do their work (`exchange`,
//! `establish`, `paging`, `builder`); the typed ones are on the generated newtype.

use std::fmt;
use std::sync::Arc;

use super::error::Error;
use super::invoke::InvokeIds;
use super::retry::RetryPolicy;
use super::service::{AkixiWsService, Caller, Validate};
use super::session::Sessions;
use crate::akixi_ws::cipher::PasswordCipher;
use crate::akixi_ws::payload::Operation;
use crate::http::Http;
use crate::secret::Password;

/// A client of one endpoint of the service `S`: cheap to clone (clones share the connection
/// pool, the API session and the InvokeID counter), `Send + Sync`.
///
/// The service's generated `Client` wraps it (and dereferences to it), adding one method per
/// operation of the spec (`user_add`, `user_info`, …, and `user_list_stream` for paged lists);
/// build that one with its `Client::builder`, or this one with [`ClientBuilder`](super::ClientBuilder)
/// and [`ClientBuilder::build_generic`](super::ClientBuilder::build_generic).
pub struct Client<S: AkixiWsService> {
    pub(super) inner: Arc<Inner<S>>,
}

impl<S: AkixiWsService> Clone for Client<S> {
    fn clone(&self) -> Self {
        Client {
            inner: self.inner.clone(),
        }
    }
}

pub(super) struct Inner<S: AkixiWsService> {
    pub(super) http: Http,
    /// The XML endpoint.
    pub(super) url: reqwest::Url,
    pub(super) credentials: Credentials,
    pub(super) retry: RetryPolicy,
    pub(super) platform: Option<S::Platform>,
    pub(super) server_platforms: std::collections::BTreeMap<i64, S::Platform>,
    pub(super) page_size: u64,
    pub(super) cipher: Arc<dyn PasswordCipher>,
    pub(super) invoke_ids: InvokeIds,
    pub(super) sessions: Sessions<S>,
}

/// The administrative user's name and password.
#[derive(Clone)]
pub(super) struct Credentials {
    pub(super) username: String,
    pub(super) password: Password,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &self.password)
            .finish()
    }
}

impl<S: AkixiWsService> fmt::Debug for Client<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("endpoint", &i.url.as_str())
            .field("credentials", &i.credentials)
            .field("session_established", &i.sessions.is_established())
            .field("platform", &i.platform)
            .field("server_platforms", &i.server_platforms)
            .field("http", i.http.settings())
            .field("retry", &i.retry)
            .field("page_size", &i.page_size)
            .finish_non_exhaustive()
    }
}

impl<S: AkixiWsService> Client<S> {
    /// Sends `request` and returns its typed response (see the [module docs](crate::akixi_ws::client) for what
    /// happens on the way). The per-operation methods (`user_add`, …) call this.
    ///
    /// Errors: [`Error::Validation`] before sending; [`Error::Api`] for `Fail`;
    /// [`Error::PartialFail`] for `PartialFail`, holding the data and the errors;
    /// [`Error::Session`] if the API session cannot be established; transport, timeout, HTTP,
    /// size, decoding and protocol errors otherwise.
    pub async fn call<O>(&self, request: O) -> Result<O::Response, Error<S>>
    where
        O: Operation + Validate<Platform = S::Platform, Unsupported = S::Unsupported> + Send + Sync,
        O::Response: Send + Sync + 'static,
    {
        self.execute(&request).await
    }

    /// Whether an API session is established (it is, lazily, at the first call).
    pub fn has_session(&self) -> bool {
        self.inner.sessions.is_established()
    }
}

impl<S: AkixiWsService> Caller for Client<S> {
    type Platform = S::Platform;
    type Unsupported = S::Unsupported;
    type Error = Error<S>;
    fn call<O>(
        &self,
        op: O,
    ) -> impl std::future::Future<Output = Result<O::Response, Self::Error>> + Send
    where
        O: Operation
            + Validate<Platform = S::Platform, Unsupported = S::Unsupported>
            + Send
            + Sync
            + 'static,
        O::Response: Send + Sync + 'static,
    {
        Client::call(self, op)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::akixi_ws::client::ListStream;
    use crate::akixi_ws::test_service::{Empty, TestService};

    fn clone_send_sync<T: Clone + Send + Sync + 'static>() {}
    fn error_type<T: std::error::Error + Send + Sync + 'static>() {}
    fn send<T: Send + Unpin + 'static>() {}

    #[test]
    fn the_public_types_can_cross_tasks() {
        clone_send_sync::<Client<TestService>>();
        error_type::<Error<TestService>>();
        send::<ListStream<TestService, Empty<0>, ()>>();
    }
}
