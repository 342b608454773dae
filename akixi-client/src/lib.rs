//! Typed async clients for the Akixi Service Web Services API and the Cisco Unified CM Extension
//! Mobility API, generated from the spec tables in `spec/` (see `spec/README.md`).
//!
//! The crate in layers, each using only those below it:
//!
//! - the protocol-neutral core: [`value`] (values to and from their wire text), [`meta`]
//!   (operation and property metadata), [`secret`] (secrets that never print), [`http`] (one
//!   HTTP layer for both clients) and the XML text rules both protocols share;
//! - one module per protocol, grammar and codec first: [`akixi_ws`] and [`cisco_em`];
//! - [`runtime`]: the one path per protocol that generated code names; with the `serde` feature,
//!   `json`: how each kind of value looks in JSON, for the generated `Serialize`/`Deserialize`;
//! - the generated API: [`akixi`] and [`em`];
//! - the clients that send it: [`Client`] (Akixi: API session, InvokeIDs, typed outcomes,
//!   retries, paging) and [`cisco_em::Client`].
#![deny(missing_docs)]

// Generated code names its runtime `::akixi_client::…`, which must also resolve in this crate.
extern crate self as akixi_client;

pub mod akixi;
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
