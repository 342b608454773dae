//! The client's error type: one variant per way a call can fail, each saying which operation
//! failed and, where a request was numbered, its InvokeID.

use std::any::Any;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::service::AkixiWsService;
use crate::akixi_ws::error::DecodeError;
use crate::akixi_ws::payload::EncodeError;
use crate::akixi_ws::read::WireError;
use crate::error_code::ServiceErrorCode;
use crate::http::{HttpError, RetryClass};
use crate::meta::{ErrorHandling, OpKind};

/// Why a call of a [`Client`](super::Client) of the service `S` failed (the generated `Error`
/// names it for one service).
///
/// [`is_retryable`](Error::is_retryable) says whether sending the same request again is safe
/// and may succeed; the client has already retried what its [`RetryPolicy`](super::RetryPolicy)
/// allows by the time you see an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<S: AkixiWsService> {
    /// The server answered `Result="Fail"`: the operation was not carried out.
    #[error(transparent)]
    Api(Box<ApiFailure<S>>),
    /// The server answered `Result="PartialFail"`: the main change was made but parts of it
    /// were rejected. Holds both the decoded data and every error.
    #[error(transparent)]
    PartialFail(Box<PartialFailure<S>>),
    /// The request sets properties the target platform does not support; nothing was sent.
    #[error(transparent)]
    Validation(ValidationError<S>),
    /// The HTTP exchange failed: the connection, a timeout, a status other than 200, a
    /// response over the size limit (the transport errors both clients share).
    #[error(transparent)]
    Http(HttpError),
    /// The response is not a well-formed `<Response>` of the expected shape.
    #[error(transparent)]
    Decode(Box<DecodeFailure>),
    /// The response is well-formed but breaks the protocol (wrong InvokeID, no `Result`, a
    /// session without a SessionID).
    #[error(transparent)]
    Protocol(Box<ProtocolError>),
    /// The API session could not be established (`CreateSession` or `Authenticate` failed).
    /// Requests that were waiting for the same attempt share its error.
    #[error("cannot establish the API session: {}", .0.as_ref())]
    Session(Arc<Error<S>>),
    /// A password could not be protected with the session's Nonce.
    #[error("{operation}: {source}")]
    Encode {
        /// The operation.
        operation: &'static str,
        /// Why.
        source: EncodeError,
    },
    /// The client was configured with something it cannot use.
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// Paging a list stopped: the server's pages made no progress or never ended.
    #[error(transparent)]
    Paging(Box<PagingError>),
}

/// Paging stopped because the server's pages made no progress or never ended
/// ([`PageProgress`](super::PageProgress)).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{operation}: paging stopped after {fetched} entries: {reason}")]
pub struct PagingError {
    /// The list operation.
    pub operation: &'static str,
    /// Entries fetched before stopping.
    pub fetched: u64,
    /// Why.
    pub reason: String,
}

impl<S: AkixiWsService> Error<S> {
    /// Whether the same request may be sent again: it cannot have been carried out (nothing
    /// was sent, a 503/429, an expired session), or the operation only reads (`Info`, `List`)
    /// and the failure is transient (reset, timeout, 502/504, the "try again later" codes).
    /// Never true for an `Add`, `Change` or `Delete` the server may have acted on.
    pub fn is_retryable(&self) -> bool {
        self.retry_class().allows()
    }

    /// Whether an `Add`, `Change` or `Delete` may have been carried out although no answer says
    /// so: the connection failed or timed out after the request was sent, a gateway answered
    /// 502 or 504, or the answer could not be read. The client never sends such a request
    /// again on its own; before sending it again, look for its effect (an add's entity with
    /// the family's `info`), as `akixi … import` does.
    pub fn outcome_unknown(&self) -> bool {
        let kind = match self {
            Error::Http(e) => return e.outcome_unknown(),
            Error::Decode(d) => match operation_kind::<S>(d.operation) {
                Some(kind) => kind,
                None => return false,
            },
            _ => return false,
        };
        matches!(kind, OpKind::Add | OpKind::Change | OpKind::Delete)
    }

    /// Whether the server said the API session is gone (the codes whose handling is
    /// "renew session"); the client renews the session once on its own.
    pub fn is_session_expired(&self) -> bool {
        match self {
            Error::Api(f) => f.has_handling(ErrorHandling::RenewSession),
            _ => false,
        }
    }

    /// The first error code of an `Api`, `PartialFail` or `Session` error.
    pub fn code(&self) -> Option<S::ErrorCode> {
        match self {
            Error::Api(f) => f.code(),
            Error::PartialFail(p) => p.errors.iter().find_map(|e| e.code),
            Error::Session(inner) => inner.code(),
            _ => None,
        }
    }

    /// The operation that failed (`UserAdd`), where one was under way.
    pub fn operation(&self) -> Option<&'static str> {
        Some(match self {
            Error::Api(f) => f.operation,
            Error::PartialFail(p) => p.operation,
            Error::Validation(v) => v.operation,
            Error::Http(e) => e.call().operation,
            Error::Decode(d) => d.operation,
            Error::Protocol(p) => p.operation,
            Error::Session(inner) => return inner.operation(),
            Error::Encode { operation, .. } => operation,
            Error::Paging(p) => p.operation,
            Error::Config(_) => return None,
        })
    }

    /// The InvokeID of the request that failed, where the failure is tied to one response.
    pub fn invoke_id(&self) -> Option<&str> {
        match self {
            Error::Api(f) => Some(&f.invoke_id),
            Error::PartialFail(p) => Some(&p.invoke_id),
            Error::Decode(d) => d.invoke_id.as_deref(),
            Error::Protocol(p) => Some(&p.invoke_id),
            Error::Session(inner) => inner.invoke_id(),
            _ => None,
        }
    }

    /// `Authenticate` failed for a reason other than "try again later": the credentials (or
    /// the account) were refused.
    pub(crate) fn is_credentials_rejection(&self) -> bool {
        matches!(self, Error::Api(f) if f.kind == OpKind::Authenticate && !self.is_retryable())
    }

    pub(crate) fn retry_class(&self) -> RetryClass {
        match self {
            Error::Api(f) if f.has_handling(ErrorHandling::RenewSession) => RetryClass::Always,
            Error::Api(f) if f.has_handling(ErrorHandling::RetryLater) => {
                RetryClass::IfIdempotent(f.kind)
            }
            Error::Http(e) => e.retry_class(),
            Error::Session(inner) => inner.retry_class(),
            _ => RetryClass::Never,
        }
    }

    /// How long the server asked us to wait (`Retry-After`, in seconds), if it did.
    pub(crate) fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Http(e) => e.retry_after(),
            _ => None,
        }
    }
}

crate::http::from_http_error!(Error<S>, S: AkixiWsService);

/// The kind of the operation named `name`.
fn operation_kind<S: AkixiWsService>(name: &str) -> Option<OpKind> {
    S::OPERATIONS
        .iter()
        .find(|o| o.name == name)
        .map(|o| o.kind)
}

/// One error of a `Fail` or `PartialFail` response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError<S: AkixiWsService> {
    /// The error code; `None` if the server sent a message without one.
    pub code: Option<S::ErrorCode>,
    /// The server's description of the error.
    pub message: Option<String>,
}

impl<S: AkixiWsService> ApiError<S> {
    pub(crate) fn from_wire(e: WireError) -> Self {
        ApiError {
            code: e.code.map(S::ErrorCode::from_code),
            message: e.message,
        }
    }

    /// What the client should do about it, where the documentation says.
    pub fn handling(&self) -> Option<ErrorHandling> {
        self.code.and_then(ServiceErrorCode::handling)
    }
}

impl<S: AkixiWsService> fmt::Display for ApiError<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The server's own message first; the documented one when it sent none.
        match (self.code, &self.message) {
            (Some(code), Some(m)) => write!(f, "{}: {m}", code.code()),
            (Some(code), None) => write!(f, "{code}"),
            (None, Some(m)) => write!(f, "(no code): {m}"),
            (None, None) => f.write_str("(no code, no message)"),
        }
    }
}

fn write_errors<S: AkixiWsService>(
    f: &mut fmt::Formatter<'_>,
    errors: &[ApiError<S>],
) -> fmt::Result {
    if errors.is_empty() {
        return f.write_str("the server gave no error code");
    }
    for (i, e) in errors.iter().enumerate() {
        if i > 0 {
            f.write_str("; ")?;
        }
        write!(f, "{e}")?;
    }
    Ok(())
}

/// A `Fail` response: the error code(s) and message(s), the operation and the InvokeID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiFailure<S: AkixiWsService> {
    /// The operation (`UserAdd`).
    pub operation: &'static str,
    /// The InvokeID of the request.
    pub invoke_id: String,
    /// Every error the response listed, in order (usually one).
    pub errors: Vec<ApiError<S>>,
    pub(crate) kind: OpKind,
}

impl<S: AkixiWsService> ApiFailure<S> {
    /// The first error code.
    pub fn code(&self) -> Option<S::ErrorCode> {
        self.errors.iter().find_map(|e| e.code)
    }

    /// The first message the server sent.
    pub fn message(&self) -> Option<&str> {
        self.errors.iter().find_map(|e| e.message.as_deref())
    }

    fn has_handling(&self, h: ErrorHandling) -> bool {
        self.errors.iter().any(|e| e.handling() == Some(h))
    }
}

impl<S: AkixiWsService> fmt::Display for ApiFailure<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed (InvokeID {}): ",
            self.operation, self.invoke_id
        )?;
        write_errors(f, &self.errors)
    }
}

impl<S: AkixiWsService> std::error::Error for ApiFailure<S> {}

/// The decoded data of a `PartialFail` response, kept whatever its type.
trait ResponseData: Any + fmt::Debug + Send + Sync {}
impl<T: Any + fmt::Debug + Send + Sync> ResponseData for T {}

/// A `PartialFail` response: what was done (the decoded data) and what was not (the errors).
///
/// The data has the operation's response type; get it back with [`data`](Self::data) or
/// [`into_data`](Self::into_data):
///
/// ```no_run
/// # async fn f(client: akixi_client::Client) {
/// use akixi_client::Error;
/// use akixi_client::akixi::user::{UserAddRequest, UserAddResponse};
///
/// match client.user_add(UserAddRequest::new("jdoe")).await {
///     Ok(_) => {}
///     Err(Error::PartialFail(partial)) => {
///         for e in &partial.errors {
///             eprintln!("not applied: {e}");
///         }
///         let data: Option<&UserAddResponse> = partial.data();
///         # let _ = data;
///     }
///     Err(e) => eprintln!("{e}"),
/// }
/// # }
/// ```
#[derive(Debug)]
pub struct PartialFailure<S: AkixiWsService> {
    /// The operation.
    pub operation: &'static str,
    /// The InvokeID of the request.
    pub invoke_id: String,
    /// Every error the response listed.
    pub errors: Vec<ApiError<S>>,
    data: Box<dyn ResponseData>,
}

impl<S: AkixiWsService> PartialFailure<S> {
    pub(crate) fn new<T: Any + fmt::Debug + Send + Sync>(
        operation: &'static str,
        invoke_id: String,
        errors: Vec<ApiError<S>>,
        data: T,
    ) -> Self {
        PartialFailure {
            operation,
            invoke_id,
            errors,
            data: Box::new(data),
        }
    }

    /// The decoded data, if `T` is the operation's response type.
    pub fn data<T: Any>(&self) -> Option<&T> {
        let any: &dyn Any = &*self.data;
        any.downcast_ref()
    }

    /// The decoded data, if `T` is the operation's response type; `self` again otherwise.
    pub fn into_data<T: Any>(self) -> Result<T, Self> {
        if self.data::<T>().is_none() {
            return Err(self);
        }
        let PartialFailure {
            operation,
            invoke_id,
            errors,
            data,
        } = self;
        let any: Box<dyn Any> = data;
        // The type was checked above; the fallback only keeps the types whole.
        any.downcast::<T>()
            .map(|b| *b)
            .map_err(|_| PartialFailure::new(operation, invoke_id, errors, ()))
    }
}

impl<S: AkixiWsService> fmt::Display for PartialFailure<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} partly failed (InvokeID {}): the main change was made, but: ",
            self.operation, self.invoke_id
        )?;
        write_errors(f, &self.errors)
    }
}

impl<S: AkixiWsService> std::error::Error for PartialFailure<S> {}

/// A request that sets properties its target platform(s) do not support. Every problem is
/// listed; nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError<S: AkixiWsService> {
    /// The operation.
    pub operation: &'static str,
    /// One entry per platform the request targets that rejects some of its properties.
    pub problems: Vec<S::Unsupported>,
}

impl<S: AkixiWsService> fmt::Display for ValidationError<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} was not sent: ", self.operation)?;
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl<S: AkixiWsService> std::error::Error for ValidationError<S> {}

/// A response that could not be decoded (the codec's error, with the InvokeID).
pub type DecodeFailure = crate::http::DecodeFailure<DecodeError>;

/// A response that breaks the protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolError {
    /// The operation.
    pub operation: &'static str,
    /// The InvokeID of the request.
    pub invoke_id: String,
    /// What is wrong.
    pub kind: ProtocolErrorKind,
}

/// What is wrong with a response.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProtocolErrorKind {
    /// The response's InvokeID is not the request's: it answers another request.
    InvokeIdMismatch {
        /// The InvokeID in the response.
        received: String,
    },
    /// A successful response without an InvokeID.
    MissingInvokeId,
    /// The `<Response>` has no `Result` attribute.
    MissingResult,
    /// The `Result` attribute holds an undocumented value.
    UnknownResult {
        /// The value.
        found: String,
    },
    /// A session response lacks a value the session needs (`SessionID`, `Nonce`).
    MissingSessionValue {
        /// Which one.
        what: &'static str,
    },
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (op, id) = (self.operation, &self.invoke_id);
        match &self.kind {
            ProtocolErrorKind::InvokeIdMismatch { received } => write!(
                f,
                "{op}: the response's InvokeID {received} does not echo the request's {id}"
            ),
            ProtocolErrorKind::MissingInvokeId => {
                write!(f, "{op} (InvokeID {id}): the response has no InvokeID")
            }
            ProtocolErrorKind::MissingResult => write!(
                f,
                "{op} (InvokeID {id}): the response has no Result attribute"
            ),
            ProtocolErrorKind::UnknownResult { found } => write!(
                f,
                "{op} (InvokeID {id}): unknown Result `{found}` (expected Success, Fail or \
                 PartialFail)"
            ),
            ProtocolErrorKind::MissingSessionValue { what } => {
                write!(f, "{op} (InvokeID {id}): the response has no {what}")
            }
        }
    }
}

impl std::error::Error for ProtocolError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::akixi_ws::test_service::{TestCode, TestService};
    use crate::http::{HttpStatusError, Phase, TimeoutError};

    type Error = super::Error<TestService>;
    type PartialFailure = super::PartialFailure<TestService>;

    fn api(kind: OpKind, code: u32) -> Error {
        Error::Api(Box::new(ApiFailure {
            operation: "X",
            invoke_id: "00001".into(),
            errors: vec![ApiError {
                code: Some(TestCode(code)),
                message: None,
            }],
            kind,
        }))
    }

    fn call(kind: OpKind) -> crate::http::Call {
        crate::http::Call {
            operation: "X",
            kind,
            url: "https://akixi.example/ws".into(),
        }
    }

    fn status(kind: OpKind, status: u16) -> Error {
        Error::Http(HttpError::Status(Box::new(HttpStatusError {
            call: call(kind),
            status,
            content_type: None,
            snippet: String::new(),
            retry_after: None,
            expected: "an Akixi response",
        })))
    }

    #[test]
    fn retryable_depends_on_the_failure_and_the_operation() {
        assert!(api(OpKind::Add, 10302).is_retryable());
        assert!(api(OpKind::Add, 10302).is_session_expired());
        assert!(api(OpKind::Info, 10104).is_retryable());
        assert!(!api(OpKind::Add, 10104).is_retryable());
        assert!(!api(OpKind::Info, 11201).is_retryable());
        assert!(status(OpKind::Delete, 503).is_retryable());
        assert!(!status(OpKind::Delete, 502).is_retryable());
        assert!(status(OpKind::List, 504).is_retryable());
        assert!(!status(OpKind::List, 500).is_retryable());
        let t = |phase, kind| {
            Error::Http(HttpError::Timeout(Box::new(TimeoutError {
                call: call(kind),
                phase,
                after: Duration::from_secs(1),
            })))
        };
        assert!(t(Phase::Connect, OpKind::Add).is_retryable());
        assert!(!t(Phase::Exchange, OpKind::Add).is_retryable());
        assert!(t(Phase::Exchange, OpKind::Info).is_retryable());
        assert!(Error::Session(Arc::new(api(OpKind::Authenticate, 10105))).is_retryable());
        assert!(!Error::Session(Arc::new(api(OpKind::Authenticate, 10305))).is_retryable());
    }

    #[test]
    fn partial_failure_gives_back_its_data_by_type() {
        let p = PartialFailure::new("UserAdd", "00001".into(), vec![], 42u32);
        assert_eq!(p.data::<u32>(), Some(&42));
        assert_eq!(p.data::<String>(), None);
        let p = p.into_data::<String>().expect_err("wrong type");
        assert_eq!(p.into_data::<u32>().ok(), Some(42));
    }

    #[test]
    fn messages_name_the_operation_code_and_invoke_id() {
        let e = api(OpKind::Add, 11202);
        let text = e.to_string();
        assert!(
            text.starts_with("X failed (InvokeID 00001): 11202"),
            "{text}"
        );
        assert_eq!(e.code(), Some(TestCode(11202)));
        assert_eq!(e.invoke_id(), Some("00001"));
        assert_eq!(e.operation(), Some("X"));
    }
}
