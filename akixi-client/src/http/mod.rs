//! One HTTP layer for both clients: the settings ([`HttpSettings`], with the timeouts, the
//! response size limit, the user agent, TLS trust and the plain-HTTP policy), the reqwest setup,
//! a POST whose response body is read within the limit (and any method whose answer is read
//! whatever its status, for REST), and one set of transport errors naming
//! the operation.

mod body;
mod error;
mod exchange;
mod settings;
mod trace;

pub use error::{
    Call, DecodeFailure, HttpError, HttpStatusError, Phase, TimeoutError, TooLargeError,
    TransportError,
};
pub use settings::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_REQUEST_TIMEOUT, HttpSettings,
    PlainHttp,
};

pub(crate) use error::{ExchangeError, RetryClass, from_http_error};
#[cfg(feature = "serde")]
pub(crate) use exchange::Exchange;
pub(crate) use exchange::{Body, Http, Request};
pub(crate) use settings::http_setters;
pub(crate) use trace::{Protocol, Traced, call_span, traced};
