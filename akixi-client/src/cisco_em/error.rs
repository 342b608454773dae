//! Why an EM call did not succeed, in the same classes as the Akixi client's errors, plus the
//! seed's own view of every outcome (`ErrorCode`, `ErrorMessage`, branch).

use std::fmt;

use super::invalid::InvalidAction;
use super::outcome::Outcome;
use super::response::Failure;
use super::xml::DecodeError;
use crate::em::ErrorCode;
use crate::http::{HttpStatusError, Phase, TimeoutError, TooLargeError, TransportError};
use crate::meta::{ErrorHandling, OpKind};

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
    /// The action that failed, if one was under way.
    pub fn action(&self) -> Option<&'static str> {
        Some(match self {
            Error::Invalid(e) => e.action,
            Error::Failure(e) => e.action,
            Error::Transport(e) => e.call.operation,
            Error::Timeout(e) => e.call.operation,
            Error::HttpStatus(e) => e.call.operation,
            Error::TooLarge(e) => e.call.operation,
            Error::Decode(e) => e.operation,
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

    /// The seed's `ErrorMessage`: the service's message for a `<failure>` (empty when it gave
    /// none); `None` (the seed's null) when the service did not answer with response XML, could
    /// not be reached, or the action was refused before sending.
    pub fn error_message(&self) -> Option<&str> {
        self.failure().map(|f| f.message().unwrap_or(""))
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
            Error::Transport(t) => t.call.kind,
            Error::Timeout(t) => t.call.kind,
            Error::HttpStatus(h) => h.call.kind,
            _ => OpKind::Request,
        };
        match self {
            Error::Failure(f) => f
                .failure
                .code()
                .and_then(ErrorCode::handling)
                .is_some_and(|h| h == ErrorHandling::RetryLater),
            Error::Transport(_) | Error::Timeout(_) if !self.was_sent() => true,
            Error::Transport(_) | Error::Timeout(_) => kind.is_idempotent(),
            Error::HttpStatus(h) if matches!(h.status, 429 | 503) => true,
            Error::HttpStatus(h) if matches!(h.status, 502 | 504) => kind.is_idempotent(),
            _ => false,
        }
    }
}

impl Outcome for Error {
    fn failure_code(&self) -> Option<u32> {
        self.failure().and_then(Failure::code_number)
    }

    fn failure_message(&self) -> Option<&str> {
        self.error_message()
    }
}

crate::http::from_http_error!(Error);

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

/// A response that is not a well-formed response document.
pub type DecodeFailure = crate::http::DecodeFailure<DecodeError>;

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
