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

/// Why an HTTP exchange gave no usable answer: the transport failures every protocol shares,
/// nested in each client's error (`Error::Http`). Whether the request may be sent again, and
/// whether it may have been carried out, is decided here once for both clients.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HttpError {
    /// The connection failed: refused, reset, TLS, DNS.
    #[error(transparent)]
    Transport(Box<TransportError>),
    /// No connection or no complete response within the configured time.
    #[error(transparent)]
    Timeout(Box<TimeoutError>),
    /// The server (or a proxy in front of it) answered with an HTTP status other than 200.
    #[error(transparent)]
    Status(Box<HttpStatusError>),
    /// The response is larger than the configured maximum; it was not read to the end.
    #[error(transparent)]
    TooLarge(Box<TooLargeError>),
}

/// Which failures may be retried, before knowing the operation's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryClass {
    /// The request cannot have been carried out.
    Always,
    /// Safe only for operations that can be repeated.
    IfIdempotent(OpKind),
    /// Not safe, or pointless.
    Never,
}

impl RetryClass {
    /// Whether a failure of this class may be retried.
    pub(crate) fn allows(self) -> bool {
        match self {
            RetryClass::Always => true,
            RetryClass::IfIdempotent(kind) => repeatable(kind),
            RetryClass::Never => false,
        }
    }
}

/// Operations that can be sent again without changing the outcome: reads, and a session's
/// set-up (a repeated attempt starts a new session from scratch).
pub(crate) fn repeatable(kind: OpKind) -> bool {
    kind.is_idempotent() || matches!(kind, OpKind::CreateSession | OpKind::Authenticate)
}

impl HttpError {
    /// The call that failed.
    pub fn call(&self) -> &Call {
        match self {
            HttpError::Transport(e) => &e.call,
            HttpError::Timeout(e) => &e.call,
            HttpError::Status(e) => &e.call,
            HttpError::TooLarge(e) => &e.call,
        }
    }

    /// Whether the request may have reached the server: false only when the connection could
    /// not be made.
    pub fn was_sent(&self) -> bool {
        match self {
            HttpError::Transport(t) => t.phase == Phase::Exchange,
            HttpError::Timeout(t) => t.phase == Phase::Exchange,
            HttpError::Status(_) | HttpError::TooLarge(_) => true,
        }
    }

    /// Whether the same request may be sent again: it cannot have been carried out (no
    /// connection, a 503 or 429), or the operation only reads and the failure is transient
    /// (reset, timeout, 502/504).
    pub fn is_retryable(&self) -> bool {
        self.retry_class().allows()
    }

    /// Whether an `Add`, `Change` or `Delete` may have been carried out although no answer
    /// says so: the connection failed or timed out after the request was sent, or a gateway
    /// answered 502 or 504.
    pub fn outcome_unknown(&self) -> bool {
        let kind = match self {
            HttpError::Transport(t) if t.phase != Phase::Connect => t.call.kind,
            HttpError::Timeout(t) if t.phase != Phase::Connect => t.call.kind,
            HttpError::Status(h) if matches!(h.status, 502 | 504) => h.call.kind,
            _ => return false,
        };
        matches!(kind, OpKind::Add | OpKind::Change | OpKind::Delete)
    }

    /// How long the server asked us to wait (`Retry-After`, in seconds), if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            HttpError::Status(h) => h.retry_after,
            _ => None,
        }
    }

    pub(crate) fn retry_class(&self) -> RetryClass {
        match self {
            HttpError::Transport(t) if t.phase == Phase::Connect => RetryClass::Always,
            HttpError::Transport(t) => RetryClass::IfIdempotent(t.call.kind),
            HttpError::Timeout(t) if t.phase == Phase::Connect => RetryClass::Always,
            HttpError::Timeout(t) => RetryClass::IfIdempotent(t.call.kind),
            // 503 and 429 say the request was refused, not run; a 502 or 504 comes from a
            // gateway that may have passed it on before the upstream failed.
            HttpError::Status(h) if matches!(h.status, 429 | 503) => RetryClass::Always,
            HttpError::Status(h) if matches!(h.status, 502 | 504) => {
                RetryClass::IfIdempotent(h.call.kind)
            }
            HttpError::Status(_) | HttpError::TooLarge(_) => RetryClass::Never,
        }
    }
}

/// Why an exchange gave no usable body, as the layer reports it to a client.
#[derive(Debug)]
pub(crate) enum ExchangeError {
    /// The exchange failed (see [`HttpError`]).
    Http(HttpError),
    /// The exchange could not be set up: a plain-HTTP URL the settings refuse, a bad header.
    Refused(String),
}

/// `From<ExchangeError>` for a client's error type, whose variants `Http` and `Config` take
/// the layer's failures: written once for both clients.
macro_rules! from_http_error {
    ($error:ty $(, $param:ident: $bound:path)?) => {
        impl$(<$param: $bound>)? From<$crate::http::ExchangeError> for $error {
            fn from(e: $crate::http::ExchangeError) -> Self {
                match e {
                    $crate::http::ExchangeError::Http(e) => Self::Http(e),
                    $crate::http::ExchangeError::Refused(why) => Self::Config(why),
                }
            }
        }
    };
}

pub(crate) use from_http_error;
