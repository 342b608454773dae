//! One HTTP exchange: POST a body, get the body of a 200 back within the size limit, with every
//! failure sorted by whether the request may have reached the server.

use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue, RETRY_AFTER};

use super::body::{BodyError, content_type, error_snippet, is_loopback, read_limited};
use super::error::{
    Call, ExchangeError, HttpError, HttpStatusError, Phase, TimeoutError, TooLargeError,
    TransportError,
};
use super::settings::{HttpSettings, PlainHttp};
use crate::meta::OpKind;

/// A successful (HTTP 200) response body.
pub(crate) struct Body {
    pub(crate) bytes: Vec<u8>,
    pub(crate) content_type: Option<String>,
}

/// One request to send.
pub(crate) struct Request<'a> {
    /// The operation, for errors.
    pub(crate) operation: &'static str,
    /// Its kind, for errors and retry decisions.
    pub(crate) kind: OpKind,
    pub(crate) url: &'a reqwest::Url,
    pub(crate) content_type: &'a str,
    pub(crate) accept: &'static str,
    pub(crate) body: String,
}

impl Request<'_> {
    fn call(&self) -> Call {
        Call {
            operation: self.operation,
            kind: self.kind,
            url: self.url.to_string(),
        }
    }
}

/// A request of any method, for [`Http::exchange`] (the REST client's, with `serde`).
#[cfg(feature = "serde")]
pub(crate) struct Exchange<'a> {
    /// The operation, for errors.
    pub(crate) operation: &'static str,
    /// Its kind, for errors and retry decisions.
    pub(crate) kind: OpKind,
    pub(crate) method: reqwest::Method,
    pub(crate) url: &'a reqwest::Url,
    pub(crate) headers: Vec<(reqwest::header::HeaderName, HeaderValue)>,
    pub(crate) body: Option<String>,
}

/// An answer of any status, its body read within the size limit.
#[cfg(feature = "serde")]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) bytes: Vec<u8>,
}

/// The HTTP layer of a client: a connection pool through the system's proxies, one straight to
/// loopback services (which no proxy should see), and the settings they were made with.
#[derive(Debug)]
pub(crate) struct Http {
    proxied: reqwest::Client,
    direct: reqwest::Client,
    settings: HttpSettings,
    /// What the protocol answers (`an Akixi response`), for the message of an error page.
    expected: &'static str,
}

impl Http {
    /// The HTTP layer `settings` describe; `expected` names what the protocol answers
    /// (`an Akixi response`), for the message of an error page. Fails on a zero size limit or
    /// an unusable certificate.
    pub(crate) fn connect(settings: HttpSettings, expected: &'static str) -> Result<Http, String> {
        if settings.max_response_size == 0 {
            return Err("the maximum response size must be at least 1".into());
        }
        let mut certs = Vec::new();
        for pem in &settings.root_certificates {
            let found = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| format!("root certificate: {e}"))?;
            if found.is_empty() {
                return Err("root certificate: no PEM certificate found".into());
            }
            certs.extend(found);
        }
        let make = |direct: bool| {
            let mut http = reqwest::Client::builder()
                .use_rustls_tls()
                .connect_timeout(settings.connect_timeout)
                .timeout(settings.request_timeout)
                .user_agent(settings.user_agent.clone())
                // A redirect could turn the POST into a GET, or lead to plain HTTP.
                .redirect(reqwest::redirect::Policy::none())
                .tcp_nodelay(true)
                .danger_accept_invalid_certs(settings.accept_invalid_certificates);
            if direct {
                http = http.no_proxy();
            }
            #[cfg(unix)]
            if let Some(path) = &settings.unix_socket {
                http = http.unix_socket(path.clone());
            }
            for cert in &certs {
                http = http.add_root_certificate(cert.clone());
            }
            http.build().map_err(|e| format!("cannot set up HTTP: {e}"))
        };
        Ok(Http {
            proxied: make(false)?,
            direct: make(true)?,
            settings,
            expected,
        })
    }

    pub(crate) fn settings(&self) -> &HttpSettings {
        &self.settings
    }

    /// Whether the settings allow `url`: `https`, or `http` as the plain-HTTP policy says (or
    /// over a Unix socket).
    pub(crate) fn check_url(&self, url: &reqwest::Url) -> Result<(), String> {
        match url.scheme() {
            "https" => Ok(()),
            // A Unix socket never leaves the machine, whatever host the URL names.
            "http"
                if self.settings.plain_http == PlainHttp::Allowed
                    || is_loopback(url)
                    || self.settings.unix_socket.is_some() =>
            {
                Ok(())
            }
            "http" => Err(format!(
                "`{url}` is plain HTTP; use https, or allow_http(true) on a trusted network"
            )),
            other => Err(format!("`{url}`: scheme `{other}`, expected https or http")),
        }
    }

    /// POSTs the request; the body of a 200, or why there is none.
    pub(crate) async fn post(&self, mut request: Request<'_>) -> Result<Body, ExchangeError> {
        self.check_url(request.url)
            .map_err(ExchangeError::Refused)?;
        let content_type_header = HeaderValue::from_str(request.content_type).map_err(|_| {
            ExchangeError::Refused(format!("bad content type `{}`", request.content_type))
        })?;
        let http = if is_loopback(request.url) {
            &self.direct
        } else {
            &self.proxied
        };
        let response = http
            .post(request.url.clone())
            .header(CONTENT_TYPE, content_type_header)
            .header(ACCEPT, HeaderValue::from_static(request.accept))
            .body(std::mem::take(&mut request.body))
            .send()
            .await
            .map_err(|e| ExchangeError::Http(self.transport_error(&request, e, false)))?;

        let status = response.status();
        let content_type = content_type(&response);
        if status != reqwest::StatusCode::OK {
            let retry_after = response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            return Err(ExchangeError::Http(HttpError::Status(Box::new(
                HttpStatusError {
                    call: request.call(),
                    status: status.as_u16(),
                    content_type,
                    snippet: error_snippet(response).await,
                    retry_after,
                    expected: self.expected,
                },
            ))));
        }

        let limit = self.settings.max_response_size;
        let bytes = read_limited(response, limit).await.map_err(|e| {
            ExchangeError::Http(match e {
                BodyError::TooLarge { declared } => HttpError::TooLarge(Box::new(TooLargeError {
                    call: request.call(),
                    limit,
                    declared,
                })),
                BodyError::Read(e) => self.transport_error(&request, e, true),
            })
        })?;
        Ok(Body {
            bytes,
            content_type,
        })
    }

    /// Sends a request of any method with `headers` and an optional body, and reads the answer
    /// whatever its status (within the size limit): for protocols whose failures are statuses
    /// with a body worth reading (REST's `{"Message": …}`).
    #[cfg(feature = "serde")]
    pub(crate) async fn exchange(&self, request: Exchange<'_>) -> Result<Answer, ExchangeError> {
        let call = Request {
            operation: request.operation,
            kind: request.kind,
            url: request.url,
            content_type: "",
            accept: "",
            body: String::new(),
        };
        self.check_url(request.url)
            .map_err(ExchangeError::Refused)?;
        let http = if is_loopback(request.url) {
            &self.direct
        } else {
            &self.proxied
        };
        let mut builder = http.request(request.method.clone(), request.url.clone());
        for (name, value) in request.headers {
            builder = builder.header(name, value);
        }
        if let Some(body) = request.body {
            builder = builder.body(body);
        }
        let response = builder
            .send()
            .await
            .map_err(|e| ExchangeError::Http(self.transport_error(&call, e, false)))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let limit = self.settings.max_response_size;
        let bytes = read_limited(response, limit).await.map_err(|e| {
            ExchangeError::Http(match e {
                BodyError::TooLarge { declared } => HttpError::TooLarge(Box::new(TooLargeError {
                    call: call.call(),
                    limit,
                    declared,
                })),
                BodyError::Read(e) => self.transport_error(&call, e, true),
            })
        })?;
        Ok(Answer {
            status,
            headers,
            bytes,
        })
    }

    /// Sorts a reqwest error: a failure to connect means nothing was sent; anything later (or
    /// while reading the body) means the server may have the request.
    fn transport_error(
        &self,
        request: &Request<'_>,
        e: reqwest::Error,
        reading: bool,
    ) -> HttpError {
        let phase = if e.is_connect() && !reading {
            Phase::Connect
        } else {
            Phase::Exchange
        };
        if e.is_timeout() {
            let after = match phase {
                Phase::Connect => self.settings.connect_timeout,
                Phase::Exchange => self.settings.request_timeout,
            };
            return HttpError::Timeout(Box::new(TimeoutError {
                call: request.call(),
                phase,
                after,
            }));
        }
        HttpError::Transport(Box::new(TransportError::new(request.call(), phase, e)))
    }
}
