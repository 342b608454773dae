//! The EM client: one HTTP exchange per action, no session, no retries (as the Metreos
//! actions), with the Akixi client's timeouts and error classes.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use tracing::Instrument as _;

use super::action::{Action, ActionKind, ActionOutput, describe};
use super::binding::Binding;
use super::endpoint::{Scheme, resolve_endpoint};
use super::error::{
    DecodeFailure, Error, FailureError, HttpStatusError, ProtocolError, TimeoutError,
    TooLargeError, TransportError,
};
use super::response::{Response, decode_response};
use crate::client::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_REQUEST_TIMEOUT, Phase,
};
use crate::http_body::{self, BodyError, error_snippet, is_loopback, read_limited};

/// A client of Extension Mobility services: cheap to clone (clones share the connection
/// pool), `Send + Sync`. Each action names its own service (`CallManagerHost` or `Url`), so
/// one client serves any number of clusters.
///
/// Besides [`send`](Self::send), it has one method per action of the spec (`login`,
/// `logout`, `logout_all`, `query_users`, `query_devices`, `query_device_profiles`).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    /// Honours the system's proxy settings.
    http: reqwest::Client,
    /// For loopback services, which no proxy should see.
    direct: reqwest::Client,
    scheme: Scheme,
    max_response_size: usize,
    connect_timeout: Duration,
    request_timeout: Duration,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("cisco_em::Client")
            .field("scheme", &self.inner.scheme)
            .field("max_response_size", &self.inner.max_response_size)
            .field("connect_timeout", &self.inner.connect_timeout)
            .field("request_timeout", &self.inner.request_timeout)
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

    /// The scheme of URLs built from `CallManagerHost`.
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
    /// Runs in a tracing span `cisco_em.request` (action, URL, outcome, code, duration); the
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
            outcome = tracing::field::Empty,
            code = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        async move {
            let started = Instant::now();
            let result = self.exchange::<A>(url, body).await;
            let span = tracing::Span::current();
            span.record("elapsed_ms", started.elapsed().as_millis() as u64);
            match &result {
                Ok(_) => {
                    span.record("outcome", "success");
                    tracing::debug!("the service answered success");
                }
                Err(e) => {
                    span.record("outcome", "failure");
                    if let Some(code) = e.code() {
                        span.record("code", code.code());
                    }
                    tracing::info!(error = %e, "the action failed");
                }
            }
            result
        }
        .instrument(span)
        .await
    }

    async fn exchange<A: Action>(
        &self,
        url: reqwest::Url,
        body: String,
    ) -> Result<A::Output, Error> {
        let ctx = Exchange {
            action: A::NAME,
            kind: A::KIND,
            binding: A::BINDING,
            url: &url,
        };
        let (bytes, content_type) = self.post(&ctx, body).await?;
        let response = decode_response(&bytes, A::BINDING).map_err(|error| {
            Error::Decode(Box::new(DecodeFailure {
                action: A::NAME,
                content_type,
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

    /// POSTs the form body; returns the body (and content type) of a 200.
    async fn post(
        &self,
        ctx: &Exchange<'_>,
        body: String,
    ) -> Result<(Vec<u8>, Option<String>), Error> {
        let method =
            reqwest::Method::from_bytes(ctx.binding.http_method.as_bytes()).map_err(|_| {
                Error::Config(format!(
                    "the spec's http-method `{}` is not an HTTP method",
                    ctx.binding.http_method
                ))
            })?;
        let content_type = HeaderValue::from_str(ctx.binding.content_type).map_err(|_| {
            Error::Config(format!(
                "the spec's content-type `{}` is not a header value",
                ctx.binding.content_type
            ))
        })?;
        let http = if is_loopback(ctx.url) {
            &self.inner.direct
        } else {
            &self.inner.http
        };
        let response = http
            .request(method, ctx.url.clone())
            .header(CONTENT_TYPE, content_type)
            .header(
                ACCEPT,
                HeaderValue::from_static("text/xml, application/xml, */*"),
            )
            .body(body)
            .send()
            .await
            .map_err(|e| self.transport_error(ctx, e, false))?;

        let status = response.status();
        let content_type = http_body::content_type(&response);
        if status != reqwest::StatusCode::OK {
            return Err(Error::HttpStatus(Box::new(HttpStatusError {
                action: ctx.action,
                url: ctx.url.to_string(),
                status: status.as_u16(),
                content_type,
                snippet: error_snippet(response).await,
                kind: ctx.kind,
            })));
        }
        let limit = self.inner.max_response_size;
        let bytes = read_limited(response, limit).await.map_err(|e| match e {
            BodyError::TooLarge { declared } => Error::TooLarge(Box::new(TooLargeError {
                action: ctx.action,
                limit,
                declared,
            })),
            BodyError::Read(e) => self.transport_error(ctx, e, true),
        })?;
        Ok((bytes, content_type))
    }

    /// Sorts a reqwest error: a failure to connect means nothing was sent; anything later (or
    /// while reading the body) means the service may have the request.
    fn transport_error(&self, ctx: &Exchange<'_>, e: reqwest::Error, reading: bool) -> Error {
        let phase = if e.is_connect() && !reading {
            Phase::Connect
        } else {
            Phase::Exchange
        };
        if e.is_timeout() {
            let after = match phase {
                Phase::Connect => self.inner.connect_timeout,
                Phase::Exchange => self.inner.request_timeout,
            };
            return Error::Timeout(Box::new(TimeoutError {
                action: ctx.action,
                url: ctx.url.to_string(),
                phase,
                after,
                kind: ctx.kind,
            }));
        }
        Error::Transport(Box::new(TransportError::new(
            ctx.action,
            ctx.url.to_string(),
            ctx.kind,
            phase,
            e,
        )))
    }
}

/// One exchange's context, for errors.
struct Exchange<'a> {
    action: &'static str,
    kind: ActionKind,
    binding: &'static Binding,
    url: &'a reqwest::Url,
}

/// Builds a [`Client`].
#[must_use]
pub struct ClientBuilder {
    scheme: Scheme,
    connect_timeout: Duration,
    request_timeout: Duration,
    max_response_size: usize,
    user_agent: String,
    root_certificates: Vec<Vec<u8>>,
    accept_invalid_certificates: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("cisco_em::ClientBuilder")
            .field("scheme", &self.scheme)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("max_response_size", &self.max_response_size)
            .field("user_agent", &self.user_agent)
            .field("root_certificates", &self.root_certificates.len())
            .field(
                "accept_invalid_certificates",
                &self.accept_invalid_certificates,
            )
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientBuilder {
    /// The defaults: the spec's `default-scheme` (`http`), the Akixi client's timeouts and
    /// response limit.
    pub fn new() -> Self {
        ClientBuilder {
            scheme: Scheme::parse(crate::em::BINDING.default_scheme).unwrap_or(Scheme::Http),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            user_agent: concat!("akixi-client/", env!("CARGO_PKG_VERSION")).to_owned(),
            root_certificates: Vec::new(),
            accept_invalid_certificates: false,
        }
    }

    /// The scheme of URLs built from `CallManagerHost` (default `http`, as the original;
    /// modern clusters: [`Scheme::Https`] with the port in the host, `10.0.0.1:8443`). An
    /// action's `Url` keeps its own scheme.
    pub fn scheme(mut self, scheme: Scheme) -> Self {
        self.scheme = scheme;
        self
    }

    /// How long connecting (TCP and TLS) may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one exchange may take, from sending to the last byte (default 30 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The largest response body accepted, in bytes (default 4 MiB).
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// The `User-Agent` header (default `akixi-client/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Trusts the PEM certificate(s) in `pem` as roots, besides the system's and the bundled
    /// web roots (Unified CM's own, often self-signed, Tomcat certificate).
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(pem.into());
        self
    }

    /// Accepts any TLS certificate. Dangerous: anyone on the path can read the application
    /// certificate. Prefer [`add_root_certificate_pem`](Self::add_root_certificate_pem).
    pub fn accept_invalid_certificates(mut self, accept: bool) -> Self {
        self.accept_invalid_certificates = accept;
        self
    }

    /// The client. Fails on a zero response limit or an unusable certificate.
    pub fn build(self) -> Result<Client, Error> {
        if self.max_response_size == 0 {
            return Err(Error::Config(
                "the maximum response size must be at least 1".into(),
            ));
        }
        let mut certs = Vec::new();
        for pem in &self.root_certificates {
            let found = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| Error::Config(format!("root certificate: {e}")))?;
            if found.is_empty() {
                return Err(Error::Config(
                    "root certificate: no PEM certificate found".into(),
                ));
            }
            certs.extend(found);
        }
        let make = |direct: bool| {
            let mut http = reqwest::Client::builder()
                .use_rustls_tls()
                .connect_timeout(self.connect_timeout)
                .timeout(self.request_timeout)
                .user_agent(self.user_agent.clone())
                // A redirect could turn the POST into a GET.
                .redirect(reqwest::redirect::Policy::none())
                .tcp_nodelay(true)
                .danger_accept_invalid_certs(self.accept_invalid_certificates);
            if direct {
                http = http.no_proxy();
            }
            for cert in &certs {
                http = http.add_root_certificate(cert.clone());
            }
            http.build()
                .map_err(|e| Error::Config(format!("cannot set up HTTP: {e}")))
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http: make(false)?,
                direct: make(true)?,
                scheme: self.scheme,
                max_response_size: self.max_response_size,
                connect_timeout: self.connect_timeout,
                request_timeout: self.request_timeout,
            }),
        })
    }
}
