//! Typed async clients for the Akixi Service Web Services API and the Cisco Unified CM Extension
//! Mobility API, generated from the spec tables in `spec/` (see `spec/README.md`).
//!
//! The crate in layers, each using only those below it:
//!
//! - the protocol-neutral core: [`value`] (values to and from their wire text), [`meta`]
//!   (operation and property metadata), [`secret`] (secrets that never print), [`error_code`]
//!   (what a service's `ErrorCode` gives a client), [`http`] (one HTTP layer for both clients,
//!   with one transport error, [`http::HttpError`], nested in each client's error, and one
//!   tracing span shape) and the XML text rules both protocols share;
//! - one module per protocol, grammar and codec first, then the traits a service implements
//!   and the client generic over them: [`akixi_ws`] (`akixi_ws::client`: `AkixiWsService`,
//!   `Validate`, `Caller`, `Client<S>`, `ClientBuilder<S>`, `Error<S>`, `ListStream`: API
//!   session, InvokeIDs, typed outcomes, retries, paging), [`akixi_rest`] (the REST/JSON binding
//!   of the same shapes: its routes as data, and with `serde` its codec) and [`cisco_em`]
//!   (`CiscoEmService`, `Client<S>`, `Error<S>`, `SeedView<S>`); none of it names a generated
//!   service;
//! - [`runtime`]: the one path per protocol that generated code names; with the `serde` feature,
//!   `json`: how each kind of value looks in JSON, for the generated `Serialize`/`Deserialize`;
//! - the generated API, one `service!` call per service: [`akixi`] and [`em`], each with its
//!   marker `Service` implementing the protocol's service trait and its `Client`, a newtype over
//!   the generic client with one typed method per operation (a fixture service generated in
//!   another crate gets the same);
//! - the names users reach for, re-exported: [`Client`], [`ClientBuilder`], [`Error`] and
//!   [`client`] (the Akixi service's); the Extension Mobility service's are
//!   [`em::Client`], [`em::Error`], ….
#![deny(missing_docs)]

// Generated code names its runtime `::akixi_client::…`, which must also resolve in this crate.
extern crate self as akixi_client;

pub mod akixi;
pub mod akixi_rest;
pub mod akixi_ws;
pub mod cisco_em;
pub mod em;
pub mod error_code;
pub mod http;
#[cfg(feature = "serde")]
pub mod json;
pub mod meta;
pub mod runtime;
pub mod secret;
pub mod value;
mod xml_text;

/// The Akixi client: the generic client's module ([`akixi_ws::client`]) with the Akixi
/// service's names for its types ([`akixi::Client`], [`akixi::ClientBuilder`],
/// [`akixi::Error`], …) in place of the generic ones.
pub mod client {
    pub use crate::akixi::{
        ApiError, ApiFailure, Client, ClientBuilder, Error, ListStream, PartialFailure,
        ValidationError,
    };
    pub use crate::akixi_ws::client::*;
}

pub use client::{Client, ClientBuilder, Error, RetryPolicy};
