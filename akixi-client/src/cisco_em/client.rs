//! The EM client: one HTTP exchange per action, no session, no retries (as the Metreos
//! actions), with the Akixi client's timeouts and error classes.

use std::fmt;
use std::sync::Arc;

use super::action::{Action, ActionKind, describe};
use super::endpoint::{Scheme, resolve_endpoint};
use super::error::{DecodeFailure, Error, FailureError, ProtocolError};
use super::response::{ActionOutput, Response, decode_response};
use crate::http::{Http, HttpSettings, PlainHttp, Request, Traced, http_setters, traced};

/// A client of Extension Mobility services: cheap to clone (clones share the connection
/// pool), `Send + Sync`. Each action names its own service (its host or URL parameter), so
/// one client serves any number of clusters.
///
/// Besides [`send`](Self::send), it has one method per action of the spec, named after it in
/// snake case.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: Http,
    scheme: Scheme,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("cisco_em::Client")
            .field("scheme", &self.inner.scheme)
            .field("http", self.inner.http.settings())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client with the defaults (`http` for hosts, as the original; 10 s to connect, 30 s
    /// per exchange, 4 MiB responses).
    pub fn new() -> Result<Self, Error> {
        Self::builder().build()
    }

    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The scheme of URLs built from the host parameter.
    pub fn scheme(&self) -> Scheme {
        self.inner.scheme
    }

    /// Where `action` would be sent (see
    /// [`resolve_endpoint`](super::resolve_endpoint)), or why it would not be.
    pub fn endpoint<A: Action>(&self, action: &A) -> Result<reqwest::Url, Error> {
        resolve_endpoint(
            A::BINDING,
            A::NAME,
            A::KIND,
            &action.endpoint(),
            self.inner.scheme,
        )
        .map_err(|e| Error::Invalid(Box::new(e)))
    }

    /// Sends `action` and returns what the service answered: `Ok` for `<success/>` (requests)
    /// or the results (queries), [`Error::Failure`] for `<failure>`, other errors for
    /// everything else. Nothing is retried. For the seed's `ErrorCode`/`ErrorMessage`/branch
    /// view, pass the result to the action's generated `…ResultData::from_result`.
    ///
    /// Runs in a tracing span `cisco_em.request` (action, URL, result, code, duration); the
    /// application certificate is never logged.
    pub async fn send<A: Action>(&self, action: &A) -> Result<A::Output, Error> {
        let url = self.endpoint(action)?;
        let body = action
            .to_form_body()
            .map_err(|e| Error::Invalid(Box::new(e)))?;
        let span = tracing::info_span!(
            "cisco_em.request",
            action = A::NAME,
            url = %url,
            result = tracing::field::Empty,
            code = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        traced(span, self.exchange::<A>(url, body)).await
    }

    async fn exchange<A: Action>(
        &self,
        url: reqwest::Url,
        body: String,
    ) -> Result<A::Output, Error> {
        let binding = A::BINDING;
        let reply = self
            .inner
            .http
            .post(Request {
                operation: A::NAME,
                kind: A::KIND.op_kind(),
                url: &url,
                content_type: binding.content_type,
                accept: "text/xml, application/xml, */*",
                body,
            })
            .await?;
        let response = decode_response(&reply.bytes, binding).map_err(|error| {
            Error::Decode(Box::new(DecodeFailure {
                operation: A::NAME,
                invoke_id: None,
                content_type: reply.content_type,
                error,
            }))
        })?;
        match response {
            Response::Failure(failure) => Err(Error::Failure(Box::new(FailureError {
                action: A::NAME,
                failure,
            }))),
            other => A::Output::from_response(other).map_err(|r| {
                let expected = match A::KIND {
                    ActionKind::Request => "<success/> or <failure>".to_owned(),
                    ActionKind::Query => format!("<{}> or <failure>", A::Output::ELEMENT),
                };
                Error::Protocol(Box::new(ProtocolError {
                    action: A::NAME,
                    expected,
                    found: describe(&r),
                }))
            }),
        }
    }
}

/// Builds a [`Client`].
#[must_use]
pub struct ClientBuilder {
    scheme: Scheme,
    http: HttpSettings,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("cisco_em::ClientBuilder")
            .field("scheme", &self.scheme)
            .field("http", &self.http)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientBuilder {
    /// The defaults: the spec's `default-scheme`, the shared HTTP defaults, and plain HTTP
    /// allowed (the service listens on plain HTTP by default, as the original used it).
    pub fn new() -> Self {
        ClientBuilder {
            scheme: Scheme::parse(crate::em::BINDING.default_scheme).unwrap_or(Scheme::Http),
            http: HttpSettings::new(PlainHttp::Allowed),
        }
    }

    /// The scheme of URLs built from the host parameter (default: the spec's
    /// `default-scheme`; modern clusters: [`Scheme::Https`] with the port in the host). A URL
    /// parameter keeps its own scheme.
    pub fn scheme(mut self, scheme: Scheme) -> Self {
        self.scheme = scheme;
        self
    }

    http_setters!();

    /// The client. Fails on a zero response limit or an unusable certificate.
    pub fn build(self) -> Result<Client, Error> {
        let http =
            Http::connect(self.http, "an Extension Mobility response").map_err(Error::Config)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                scheme: self.scheme,
            }),
        })
    }
}

impl<T> Traced for Result<T, Error> {
    fn trace_fields(&self) -> (&'static str, Option<u32>) {
        match self {
            Ok(_) => ("success", None),
            Err(e) => ("failure", e.code().map(|c| c.code())),
        }
    }
}
