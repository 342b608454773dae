//! The async client of an `akixi-ws` service, generic over the service: [`Client<S>`](Client),
//! [`ClientBuilder<S>`](ClientBuilder), [`Error<S>`](Error) and [`ListStream`], for any service
//! whose generated code implements [`AkixiWsService`]. Each service's generated module names
//! them for itself (`akixi_client::akixi::{Client, ClientBuilder, Error}`; the crate root
//! re-exports the Akixi ones) and adds the typed methods on its `Client`.
//!
//! ```no_run
//! use akixi_client::Client;
//! use akixi_client::akixi::Platform;
//! use akixi_client::akixi::user::{UserAddRequest, UserInfoRequest};
//!
//! # async fn run() -> Result<(), akixi_client::Error> {
//! let client = Client::builder("https://akixi.example.com/CCS/WebServices")
//!     .credentials("admin", "s3cret")
//!     .platform(Platform::CiscoBroadworks)
//!     .build()?;
//! client.user_add(UserAddRequest::new("jdoe").full_name("Jane Doe")).await?;
//! let info = client.user_info(UserInfoRequest::new("jdoe")).await?;
//! println!("{:?}", info.full_name);
//! client.close().await?;
//! # Ok(())
//! # }
//! ```
//!
//! What a call does:
//!
//! 1. **Validates** the request against the target platform ([`ClientBuilder::platform`], or
//!    the platform of the telephony server it names); a request with unsupported properties is
//!    an [`Error::Validation`] listing every one, and is not sent.
//! 2. **Joins the API session**, establishing it first if there is none (`CreateSession`, then
//!    `Authenticate` with the password protected by the session's Nonce). One session serves
//!    every request of the client and its clones.
//! 3. **Numbers the request** with the next InvokeID (`00000`…`99999`, then `00000` again) and
//!    POSTs it. A response must echo the InvokeID; one that does not is an
//!    [`Error::Protocol`].
//! 4. **Maps the outcome**: `Success` to the typed response; `Fail` to [`Error::Api`] (codes,
//!    messages, operation, InvokeID); `PartialFail` to [`Error::PartialFail`], which keeps
//!    both the decoded data and every error.
//! 5. **Recovers** where that is safe. If the server says the session is gone (the codes whose
//!    handling is "renew session"), the session is established again, once, by one request
//!    while the others wait for it, and the request is sent once more (the server did not run
//!    it). Other failures are retried under the [`RetryPolicy`] only when the request cannot
//!    have been carried out (no connection, 503, 429) or the operation only reads (reset,
//!    timeout, 502/504, "try again later" codes for `Info`/`List`). An `Add`, `Change` or
//!    `Delete` that may have reached the server is never sent again: its error says so
//!    ([`Error::outcome_unknown`]), and whether it was carried out is for the caller to find
//!    out (the entity an add names, read with the family's `Info`) before sending it again.
//!
//! Every HTTP exchange runs in a tracing span `akixi.request` with the operation, InvokeID,
//! URL, result, error code and duration (the fields of every client's span, written by the
//! `http` layer). Passwords, the session id and the nonce never appear in
//! logs, errors or `Debug` output.
//!
//! Provisional (see the spec): the closing operation's name, the names of
//! `Authenticate`'s properties, and the password cipher (used for `Authenticate`'s password
//! too) are inferred from the public documentation.

mod builder;
mod error;
mod establish;
mod exchange;
mod handle;
mod invoke;
mod paging;
mod retry;
mod service;
mod session;
mod validate;

pub use builder::{ClientBuilder, DEFAULT_REJECTION_COOLDOWN};
pub use error::{
    ApiError, ApiFailure, DecodeFailure, Error, PagingError, PartialFailure, ProtocolError,
    ProtocolErrorKind, ValidationError,
};
pub use handle::Client;
pub use paging::{ListStream, MAX_LIST_ENTRIES, PageProgress};
pub use retry::RetryPolicy;
pub use service::{AkixiWsService, Caller, Validate};
pub use validate::telephony_servers;

#[doc(hidden)]
pub use crate::akixi_ws::session::SessionOperations;
pub use crate::error_code::ServiceErrorCode;
pub use crate::http::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_REQUEST_TIMEOUT, HttpError,
    HttpStatusError, Phase, TimeoutError, TooLargeError, TransportError,
};
