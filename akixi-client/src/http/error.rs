//! The failures of an HTTP exchange, for every protocol: each names the operation (an Akixi
//! operation or an Extension Mobility action, both operations of the spec) and its kind, which
//! decides whether it may be retried.

use std::fmt;
use std::time::Duration;

use crate::meta::OpKind;

/// The call an exchange belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The operation (`UserAdd`).
    pub operation: &'static str,
    /// What it does.
    pub kind: OpKind,
    /// Where it was sent.
    pub url: String,
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.operation, self.url)
    }
}

/// When a transport failure or timeout happened, which decides whether the server may have
/// received the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Phase {
    /// While connecting (TCP, TLS): nothing was sent.
    Connect,
    /// After the connection was made: the server may have received the request.
    Exchange,
}

/// A connection failure.
#[derive(Debug)]
pub struct TransportError {
    /// The call.
    pub call: Call,
    /// Whether the request may have reached the server.
    pub phase: Phase,
    source: reqwest::Error,
}

impl TransportError {
    pub(crate) fn new(call: Call, phase: Phase, source: reqwest::Error) -> Self {
        TransportError {
            call,
            phase,
            source,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.phase {
            Phase::Connect => "cannot connect to the server (nothing was sent)",
            Phase::Exchange => "the connection failed after the request may have been sent",
        };
        write!(f, "{}: {what}: {}", self.call, root_cause(&self.source))
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// The innermost cause: what actually went wrong ("Connection refused"), which reqwest's own
/// message ("error sending request") hides in its source chain.
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    if std::ptr::addr_eq(cause, e) {
        e.to_string()
    } else {
        format!("{e}: {cause}")
    }
}

/// No connection, or no complete response, in time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutError {
    /// The call.
    pub call: Call,
    /// Connecting, or waiting for the response.
    pub phase: Phase,
    /// The limit that was reached.
    pub after: Duration,
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.phase {
            Phase::Connect => write!(
                f,
                "{}: could not connect within {:?} (nothing was sent)",
                self.call, self.after
            ),
            Phase::Exchange => write!(
                f,
                "{}: no complete response within {:?}",
                self.call, self.after
            ),
        }
    }
}

impl std::error::Error for TimeoutError {}

/// An HTTP status other than 200, with what the body looked like (a proxy's HTML error page,
/// for instance).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpStatusError {
    /// The call.
    pub call: Call,
    /// The status code.
    pub status: u16,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The start of the body, control characters escaped and whitespace collapsed.
    pub snippet: String,
    /// What a `Retry-After` header asked for, in seconds.
    pub retry_after: Option<Duration>,
    /// What the protocol answers instead (`an Akixi response`).
    pub(crate) expected: &'static str,
}

impl fmt::Display for HttpStatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reason = reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("");
        write!(
            f,
            "{}: HTTP {} {reason} instead of {} (content type {}): `{}`",
            self.call,
            self.status,
            self.expected,
            self.content_type.as_deref().unwrap_or("none"),
            self.snippet
        )
    }
}

impl std::error::Error for HttpStatusError {}

/// A response over the configured size limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLargeError {
    /// The call.
    pub call: Call,
    /// The limit, in bytes.
    pub limit: usize,
    /// The size the server declared (`Content-Length`), if it did.
    pub declared: Option<u64>,
}

impl fmt::Display for TooLargeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the response is larger than the limit of {} bytes",
            self.call, self.limit
        )?;
        if let Some(n) = self.declared {
            write!(f, " (Content-Length {n})")?;
        }
        Ok(())
    }
}

impl std::error::Error for TooLargeError {}

/// A response that could not be decoded: what was expected, where, and the text around it
/// (`error`, the protocol's decode error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeFailure<E> {
    /// The operation.
    pub operation: &'static str,
    /// The number of the request, for protocols that number them (Akixi's InvokeID).
    pub invoke_id: Option<String>,
    /// The response's `Content-Type`, if any.
    pub content_type: Option<String>,
    /// Why it does not decode.
    pub error: E,
}

impl<E: fmt::Display> fmt::Display for DecodeFailure<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.operation)?;
        if let Some(id) = &self.invoke_id {
            write!(f, " (InvokeID {id})")?;
        }
        write!(
            f,
            ": cannot decode the response (content type {}): {}",
            self.content_type.as_deref().unwrap_or("none"),
            self.error
        )
    }
}

impl<E: std::error::Error + 'static> std::error::Error for DecodeFailure<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// Why an exchange gave no usable body: what each client's error wraps.
#[derive(Debug)]
pub(crate) enum HttpError {
    Transport(Box<TransportError>),
    Timeout(Box<TimeoutError>),
    Status(Box<HttpStatusError>),
    TooLarge(Box<TooLargeError>),
    /// The exchange could not be set up: a plain-HTTP URL the settings refuse, a bad header.
    Refused(String),
}

/// `From<HttpError>` for a client's error type, whose variants `Transport`, `Timeout`,
/// `HttpStatus`, `TooLarge` and `Config` take the layer's failures: written once for both
/// clients.
macro_rules! from_http_error {
    ($error:ty) => {
        impl From<$crate::http::HttpError> for $error {
            fn from(e: $crate::http::HttpError) -> Self {
                match e {
                    $crate::http::HttpError::Transport(t) => Self::Transport(t),
                    $crate::http::HttpError::Timeout(t) => Self::Timeout(t),
                    $crate::http::HttpError::Status(s) => Self::HttpStatus(s),
                    $crate::http::HttpError::TooLarge(t) => Self::TooLarge(t),
                    $crate::http::HttpError::Refused(why) => Self::Config(why),
                }
            }
        }
    };
}

pub(crate) use from_http_error;
