//! The EM client: one HTTP exchange per action, no session, no retries (as the Metreos
//! actions), with the Akixi client's timeouts and error classes.

use std::fmt;
use std::sync::Arc;

use super::action::{Action, ActionKind, describe};
use super::endpoint::{Scheme, resolve_endpoint};
use super::error::{DecodeFailure, Error, FailureError, ProtocolError};
use super::response::{ActionOutput, Response, decode_response};
use super::service::CiscoEmService;
use crate::error_code::ServiceErrorCode;
use crate::http::{
    Http, HttpSettings, PlainHttp, Protocol, Request, Traced, call_span, http_setters, traced,
};

/// A client of the Extension Mobility service `S`: cheap to clone (clones share the connection
/// pool), `Send + Sync`. Each action names its own service (its host or URL parameter), so
/// one client serves any number of clusters.
///
/// The service's generated `Client` wraps it (and dereferences to it), adding one method per
/// action of the spec, named after it in snake case, and `send_any`.
pub struct Client<S: CiscoEmService> {
    inner: Arc<Inner>,
    service: std::marker::PhantomData<S>,
}

impl<S: CiscoEmService> Clone for Client<S> {
    fn clone(&self) -> Self {
        Client {
            inner: self.inner.clone(),
            service: std::marker::PhantomData,
        }
    }
}

struct Inner {
    http: Http,
    scheme: Scheme,
}

impl<S: CiscoEmService> fmt::Debug for Client<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("cisco_em::Client")
            .field("scheme", &self.inner.scheme)
            .field("http", self.inner.http.settings())
            .finish_non_exhaustive()
    }
}

impl<S: CiscoEmService> Client<S> {
    /// A client with the defaults (`http` for hosts, as the original; 10 s to connect, 30 s
    /// per exchange, 4 MiB responses).
    pub fn new() -> Result<Self, Error<S>> {
        ClientBuilder::new().build_generic()
    }

    /// A builder.
    pub fn builder() -> ClientBuilder<S> {
        ClientBuilder::new()
    }

    /// The scheme of URLs built from the host parameter.
    pub fn scheme(&self) -> Scheme {
        self.inner.scheme
    }

    /// Where `action` would be sent (see
    /// [`resolve_endpoint`](super::resolve_endpoint)), or why it would not be.
    pub fn endpoint<A: Action>(&self, action: &A) -> Result<reqwest::Url, Error<S>> {
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
    /// Runs in a tracing span `cisco_em.request` with the fields of every client's span
    /// (`operation`: the action, an empty `invoke_id`, URL, result, code, duration); the
    /// application certificate is never logged.
    pub async fn send<A: Action>(&self, action: &A) -> Result<A::Output, Error<S>> {
        let url = self.endpoint(action)?;
        let body = action
            .to_form_body()
            .map_err(|e| Error::Invalid(Box::new(e)))?;
        let span = call_span(Protocol::CiscoEm, A::NAME, None, &url);
        traced(span, self.exchange::<A>(url, body)).await
    }

    async fn exchange<A: Action>(
        &self,
        url: reqwest::Url,
        body: String,
    ) -> Result<A::Output, Error<S>> {
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
            Response::Failure(failure) => Err(Error::Failure(Box::new(FailureError::new(
                A::NAME,
                failure,
            )))),
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

/// Builds a client of the Extension Mobility service `S` (the service's generated
/// `Client::builder`).
#[must_use]
pub struct ClientBuilder<S: CiscoEmService> {
    scheme: Scheme,
    http: HttpSettings,
    service: std::marker::PhantomData<S>,
}

impl<S: CiscoEmService> fmt::Debug for ClientBuilder<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("cisco_em::ClientBuilder")
            .field("scheme", &self.scheme)
            .field("http", &self.http)
            .finish()
    }
}

impl<S: CiscoEmService> Default for ClientBuilder<S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<S: CiscoEmService> ClientBuilder<S> {
    /// The defaults: the spec's `default-scheme`, the shared HTTP defaults, and plain HTTP
    /// allowed (the service listens on plain HTTP by default, as the original used it).
    pub fn new() -> Self {
        ClientBuilder {
            scheme: Scheme::parse(S::BINDING.default_scheme).unwrap_or(Scheme::Http),
            http: HttpSettings::new(PlainHttp::Allowed),
            service: std::marker::PhantomData,
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
    pub fn build(self) -> Result<S::Client, Error<S>>
    where
        S::Client: From<Client<S>>,
    {
        self.build_generic().map(S::Client::from)
    }

    /// [`build`](Self::build), as the generic client (for code generic over the service).
    pub fn build_generic(self) -> Result<Client<S>, Error<S>> {
        let http =
            Http::connect(self.http, "an Extension Mobility response").map_err(Error::Config)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                scheme: self.scheme,
            }),
            service: std::marker::PhantomData,
        })
    }
}

impl<S: CiscoEmService, T> Traced for Result<T, Error<S>> {
    fn trace_fields(&self) -> (&'static str, Option<u32>) {
        match self {
            Ok(_) => ("success", None),
            Err(e) => ("failure", e.code().map(ServiceErrorCode::code)),
        }
    }
}
