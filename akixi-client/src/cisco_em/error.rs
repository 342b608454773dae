//! Why an EM call did not succeed, in the same classes as the Akixi client's errors, plus the
//! seed's own view of every outcome (`ErrorCode`, `ErrorMessage`, branch).

use std::fmt;
use std::time::Duration;

use super::action::ActionKind;
use super::response::Failure;
use super::xml::DecodeError;
use crate::client::Phase;
use crate::em::ErrorCode;

/// Why a [`Client`](super::Client) call did not succeed.
///
/// The seed's coarser view is kept too: [`error_code`](Error::error_code) and
/// [`error_message`](Error::error_message) are what the application server's action
/// returned, where everything but a `<failure>` from the service is code 0 without message
/// (see also [`SeedView`](super::SeedView) and each action's generated `…ResultData`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The action cannot be sent as it is (no endpoint, an action the version lacks,
    /// conflicting or empty parameters); nothing was sent.
    #[error(transparent)]
    Invalid(Box<InvalidAction>),
    /// The service answered `<failure>`: the action was not carried out.
    #[error(transparent)]
    Failure(Box<FailureError>),
    /// The connection failed: refused, reset, TLS, DNS.
    #[error(transparent)]
    Transport(Box<TransportError>),
    /// No connection or no complete response within the configured time.
    #[error(transparent)]
    Timeout(Box<TimeoutError>),
    /// The service (or a proxy in front of it) answered with an HTTP status other than 200.
    #[error(transparent)]
    HttpStatus(Box<HttpStatusError>),
    /// The response is larger than the configured maximum; it was not read to the end.
    #[error(transparent)]
    TooLarge(Box<TooLargeError>),
    /// The response is not a well-formed `<response>` document.
    #[error(transparent)]
    Decode(Box<DecodeFailure>),
    /// The response is a well-formed `<response>` of the wrong kind for the action (query
    /// results for a request, another query's results).
    #[error(transparent)]
    Protocol(Box<ProtocolError>),
    /// The client was configured with something it cannot use.
    #[error("invalid Extension Mobility client configuration: {0}")]
    Config(String),
}

impl Error {
    /// The action that failed (`LogoutAll`), if one was under way.
    pub fn action(&self) -> Option<&'static str> {
        Some(match self {
            Error::Invalid(e) => e.action,
            Error::Failure(e) => e.action,
            Error::Transport(e) => e.action,
            Error::Timeout(e) => e.action,
            Error::HttpStatus(e) => e.action,
            Error::TooLarge(e) => e.action,
            Error::Decode(e) => e.action,
            Error::Protocol(e) => e.action,
            Error::Config(_) => return None,
        })
    }

    /// The service's failure, when it answered `<failure>`.
    pub fn failure(&self) -> Option<&Failure> {
        match self {
            Error::Failure(e) => Some(&e.failure),
            _ => None,
        }
    }

    /// The service's error code, when it answered `<failure>` with a numeric code.
    pub fn code(&self) -> Option<ErrorCode> {
        self.failure().and_then(Failure::code)
    }

    /// The seed's `ErrorCode`: the service's code for a `<failure>`; otherwise (no response
    /// XML, an unreachable service, an action refused before sending) the spec's
    /// `no-response-error-code`, 0.
    pub fn error_code(&self) -> ErrorCode {
        self.code().unwrap_or(crate::em::NO_RESPONSE_ERROR_CODE)
    }

    /// The seed's `ErrorMessage`: the service's message for a `<failure>`, else empty.
    pub fn error_message(&self) -> &str {
        self.failure().and_then(Failure::message).unwrap_or("")
    }

    /// Whether the service did not answer with response XML or could not be reached: the
    /// seed's "0, no message" case (the action may or may not have been carried out, unless
    /// [`was_sent`](Self::was_sent) is false).
    pub fn is_no_response(&self) -> bool {
        matches!(
            self,
            Error::Transport(_)
                | Error::Timeout(_)
                | Error::HttpStatus(_)
                | Error::TooLarge(_)
                | Error::Decode(_)
                | Error::Protocol(_)
        )
    }

    /// Whether the request may have reached the service: false when it was refused before
    /// sending, or the connection could not be made.
    pub fn was_sent(&self) -> bool {
        match self {
            Error::Invalid(_) | Error::Config(_) => false,
            Error::Transport(t) => t.phase == Phase::Exchange,
            Error::Timeout(t) => t.phase == Phase::Exchange,
            _ => true,
        }
    }

    /// Whether sending the same action again is safe and may succeed: nothing was carried
    /// out (no connection, a 503/429, code 26 "Busy"), or it is a query and the failure is
    /// transient (reset, timeout, 502/504). The client itself never retries.
    pub fn is_retryable(&self) -> bool {
        let kind = match self {
            Error::Transport(t) => t.kind,
            Error::Timeout(t) => t.kind,
            Error::HttpStatus(h) => h.kind,
            _ => ActionKind::Request,
        };
        match self {
            Error::Failure(f) => f
                .failure
                .code()
                .and_then(ErrorCode::handling)
                .is_some_and(|h| h == crate::runtime::ErrorHandling::RetryLater),
            Error::Transport(_) | Error::Timeout(_) if !self.was_sent() => true,
            Error::Transport(_) | Error::Timeout(_) => kind.is_idempotent(),
            Error::HttpStatus(h) if matches!(h.status, 429 | 503) => true,
            Error::HttpStatus(h) if matches!(h.status, 502 | 504) => kind.is_idempotent(),
            _ => false,
        }
    }
}

/// An action that cannot be sent as it is; nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{action} was not sent: {reason}")]
pub struct InvalidAction {
    /// The action.
    pub action: &'static str,
    /// Why.
    pub reason: InvalidReason,
}

/// Why an action cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidReason {
    /// Neither the host nor the URL is given.
    #[error("no endpoint: give {host_parameter} (`[IP]:[Port]`) or {url_parameter}")]
    NoEndpoint {
        /// `CallManagerHost`.
        host_parameter: &'static str,
        /// `Url`.
        url_parameter: &'static str,
    },
    /// The host or URL does not make a usable URL.
    #[error("{parameter} `{value}` does not make a usable URL: {detail}")]
    BadEndpoint {
        /// `CallManagerHost` or `Url`.
        parameter: &'static str,
        /// What it holds.
        value: String,
        /// Why.
        detail: String,
    },
    /// The service's version does not have this action.
    #[error(
        "{parameter} `{version}` (CCM 3.3) has no such action; its service answers only {supported}"
    )]
    UnsupportedVersion {
        /// `Version`.
        parameter: &'static str,
        /// The version (`v333`).
        version: String,
        /// The actions it has, comma-separated.
        supported: String,
    },
    /// Two parameters exclude each other (the DTD's choice `time | indefinite`).
    #[error("`{flag}` excludes `{other}`: give one of them")]
    Conflict {
        /// The flag that is set (`NoTimeout`).
        flag: &'static str,
        /// The other parameter (`Timeout`).
        other: &'static str,
    },
    /// A list that needs at least one value has none.
    #[error("`{property}` needs at least one value")]
    Empty {
        /// The parameter.
        property: &'static str,
    },
}

/// The service answered `<failure>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureError {
    /// The action.
    pub action: &'static str,
    /// What the service said.
    pub failure: Failure,
}

impl fmt::Display for FailureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: {}", self.action, self.failure)
    }
}

impl std::error::Error for FailureError {}

/// A connection failure.
#[derive(Debug)]
pub struct TransportError {
    /// The action.
    pub action: &'static str,
    /// The URL.
    pub url: String,
    /// Whether the request may have reached the service.
    pub phase: Phase,
    pub(crate) kind: ActionKind,
    source: reqwest::Error,
}

impl TransportError {
    pub(crate) fn new(
        action: &'static str,
        url: String,
        kind: ActionKind,
        phase: Phase,
        source: reqwest::Error,
    ) -> Self {
        TransportError {
            action,
            url,
            phase,
            kind,
            source,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.phase {
            Phase::Connect => "cannot connect (nothing was sent)",
            Phase::Exchange => "the connection failed after the request may have been sent",
        };
        write!(
            f,
            "{} ({}): {what}: {}",
            self.action,
            self.url,
            root_cause(&self.source)
        )
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// The innermost cause ("Connection refused"), which reqwest's message hides in its chain.
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
    /// The action.
    pub action: &'static str,
    /// The URL.
    pub url: String,
    /// Connecting, or waiting for the response.
    pub phase: Phase,
    /// The limit that was reached.
    pub after: Duration,
    pub(crate) kind: ActionKind,
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.phase {
            Phase::Connect => write!(
                f,
                "{} ({}): could not connect within {:?} (nothing was sent)",
                self.action, self.url, self.after
            ),
            Phase::Exchange => write!(
                f,
                "{} ({}): no complete response within {:?}",
                self.action, self.url, self.after
            ),
        }
    }
}

impl std::error::Error for TimeoutError {}

/// An HTTP status other than 200 (the service answers every request it reads with 200), with
/// what the body looked like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpStatusError {
    /// The action.
    pub action: &'static str,
    /// The URL.
    pub url: String,
    /// The status code.
    pub status: u16,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The start of the body, on one line.
    pub snippet: String,
    pub(crate) kind: ActionKind,
}

impl fmt::Display for HttpStatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reason = reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("");
        write!(
            f,
            "{} ({}): HTTP {} {reason} instead of an Extension Mobility response (content type \
             {}): `{}`",
            self.action,
            self.url,
            self.status,
            self.content_type.as_deref().unwrap_or("none"),
            self.snippet
        )
    }
}

impl std::error::Error for HttpStatusError {}

/// A response over the configured size limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLargeError {
    /// The action.
    pub action: &'static str,
    /// The limit, in bytes.
    pub limit: usize,
    /// The size the service declared (`Content-Length`), if it did.
    pub declared: Option<u64>,
}

impl fmt::Display for TooLargeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the response is larger than the limit of {} bytes",
            self.action, self.limit
        )?;
        if let Some(n) = self.declared {
            write!(f, " (Content-Length {n})")?;
        }
        Ok(())
    }
}

impl std::error::Error for TooLargeError {}

/// A response that is not a well-formed `<response>` document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeFailure {
    /// The action.
    pub action: &'static str,
    /// The response's `Content-Type`, if any.
    pub content_type: Option<String>,
    /// What was expected, where, and the text around it.
    pub error: DecodeError,
}

impl fmt::Display for DecodeFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: cannot decode the response (content type {}): {}",
            self.action,
            self.content_type.as_deref().unwrap_or("none"),
            self.error
        )
    }
}

impl std::error::Error for DecodeFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// A well-formed response of the wrong kind for the action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolError {
    /// The action.
    pub action: &'static str,
    /// What the action's response holds (`<success/> or <failure>`).
    pub expected: String,
    /// What this one held.
    pub found: String,
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: expected a response with {}, found {}",
            self.action, self.expected, self.found
        )
    }
}

impl std::error::Error for ProtocolError {}
