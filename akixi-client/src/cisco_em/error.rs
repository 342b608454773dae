//! Why an EM call did not succeed, in the same classes as the Akixi client's errors, plus the
//! seed's own view of every outcome (`ErrorCode`, `ErrorMessage`, branch).

use std::fmt;

use super::invalid::InvalidAction;
use super::outcome::Outcome;
use super::response::Failure;
use super::service::CiscoEmService;
use super::xml::DecodeError;
use crate::error_code::ServiceErrorCode;
use crate::http::HttpError;
use crate::meta::ErrorHandling;

/// Why a call of a [`Client`](super::Client) of the service `S` did not succeed (the generated
/// `Error` names it for one service).
///
/// The seed's coarser view is kept too: [`error_code`](Error::error_code) and
/// [`error_message`](Error::error_message) are what the application server's action
/// returned, where everything but a `<failure>` from the service is code 0 without message
/// (see also [`SeedView`](super::SeedView) and each action's generated `…ResultData`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<S: CiscoEmService> {
    /// The action cannot be sent as it is (no endpoint, an action the version lacks,
    /// conflicting or empty parameters); nothing was sent.
    #[error(transparent)]
    Invalid(Box<InvalidAction>),
    /// The service answered `<failure>`: the action was not carried out.
    #[error(transparent)]
    Failure(Box<FailureError<S>>),
    /// The HTTP exchange failed: the connection, a timeout, a status other than 200, a
    /// response over the size limit (the transport errors both clients share).
    #[error(transparent)]
    Http(HttpError),
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

impl<S: CiscoEmService> Error<S> {
    /// The action that failed, if one was under way.
    pub fn action(&self) -> Option<&'static str> {
        Some(match self {
            Error::Invalid(e) => e.action,
            Error::Failure(e) => e.action,
            Error::Http(e) => e.call().operation,
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
    pub fn code(&self) -> Option<S::ErrorCode> {
        self.failure()
            .and_then(Failure::code_number)
            .map(S::ErrorCode::from_code)
    }

    /// The seed's `ErrorCode`: the service's code for a `<failure>`; otherwise (no response
    /// XML, an unreachable service, an action refused before sending) the spec's
    /// `no-response-error-code`, 0.
    pub fn error_code(&self) -> S::ErrorCode {
        self.code()
            .unwrap_or_else(|| S::ErrorCode::from_code(S::BINDING.no_response_error_code))
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
        matches!(self, Error::Http(_) | Error::Decode(_) | Error::Protocol(_))
    }

    /// Whether the request may have reached the service: false when it was refused before
    /// sending, or the connection could not be made.
    pub fn was_sent(&self) -> bool {
        match self {
            Error::Invalid(_) | Error::Config(_) => false,
            Error::Http(e) => e.was_sent(),
            _ => true,
        }
    }

    /// Whether sending the same action again is safe and may succeed: nothing was carried
    /// out (no connection, a 503/429, code 26 "Busy"), or it is a query and the failure is
    /// transient (reset, timeout, 502/504). The client itself never retries.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Failure(_) => self
                .code()
                .and_then(ServiceErrorCode::handling)
                .is_some_and(|h| h == ErrorHandling::RetryLater),
            Error::Http(e) => e.is_retryable(),
            _ => false,
        }
    }
}

impl<S: CiscoEmService> Outcome for Error<S> {
    fn failure_code(&self) -> Option<u32> {
        self.failure().and_then(Failure::code_number)
    }

    fn failure_message(&self) -> Option<&str> {
        self.error_message()
    }
}

crate::http::from_http_error!(Error<S>, S: CiscoEmService);

/// The service answered `<failure>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureError<S: CiscoEmService> {
    /// The action.
    pub action: &'static str,
    /// What the service said.
    pub failure: Failure,
    pub(crate) service: std::marker::PhantomData<S>,
}

impl<S: CiscoEmService> FailureError<S> {
    /// The service's `failure` of `action` (public for tests and stand-ins; the client makes
    /// them from `<failure>` answers).
    pub fn new(action: &'static str, failure: Failure) -> Self {
        FailureError {
            action,
            failure,
            service: std::marker::PhantomData,
        }
    }
}

impl<S: CiscoEmService> fmt::Display for FailureError<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: ", self.action)?;
        write_failure::<S::ErrorCode>(f, &self.failure)
    }
}

impl<S: CiscoEmService> std::error::Error for FailureError<S> {}

/// `failure` as a message, its code typed as `C` (the service's `ErrorCode`): the code, with
/// its documented meaning where the service's message says something else, and the message.
pub fn write_failure<C: ServiceErrorCode>(
    f: &mut fmt::Formatter<'_>,
    failure: &Failure,
) -> fmt::Result {
    let code = failure.code_number().map(C::from_code);
    match (code, failure.message().filter(|m| !m.is_empty())) {
        (Some(code), Some(m)) => match code.message() {
            Some(doc) if doc != m => write!(f, "{} ({doc}): {m}", code.code()),
            _ => write!(f, "{}: {m}", code.code()),
        },
        (Some(code), None) => write!(f, "{code}"),
        (None, Some(m)) => write!(f, "(no code): {m}"),
        (None, None) => f.write_str("(no code, no message)"),
    }
}

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
