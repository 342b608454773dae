//! Typed async client for the Akixi Service Web Services API.
//!
//! The types in [`akixi`] are generated at compile time from the spec tables in `spec/akixi`
//! (see `spec/README.md`): requests, responses, value types, platforms and error codes.
//! [`Client`] sends them: API session, InvokeIDs, typed outcomes, retries, paging (see
//! [`client`]).
#![deny(missing_docs)]

// Generated code names its runtime `::akixi_client::…`, which must also resolve in this crate.
extern crate self as akixi_client;

pub mod akixi_ws;
pub mod cipher;
pub mod cisco_em;
pub mod client;
mod http_body;
pub mod runtime;
pub mod secret;

pub use client::{Client, ClientBuilder, Error, RetryPolicy};

/// The Akixi Service Web Services API, generated from `spec/akixi`.
pub mod akixi {
    akixi_derive::service!(spec = "../spec", service = "akixi", client = true);
}

/// The Cisco Unified CM Extension Mobility API, generated from `spec/cisco-em`: the actions,
/// their result data, `ErrorCode`, `CcmVersion`, `Branch` and the binding; sent by
/// [`cisco_em::Client`].
pub mod em {
    akixi_derive::service!(spec = "../spec", service = "cisco-em", client = true);
}
