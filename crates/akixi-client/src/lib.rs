//! Typed async client for the Akixi Service Web Services API.
//!
//! The types in [`akixi`] are generated at compile time from the spec tables in `spec/akixi`
//! (see `spec/README.md`): requests, responses, value types, platforms and error codes.
#![deny(missing_docs)]

// Generated code names its runtime `::akixi_client::…`, which must also resolve in this crate.
extern crate self as akixi_client;

pub mod akixi_ws;
pub mod cipher;
pub mod runtime;
pub mod secret;

/// The Akixi Service Web Services API, generated from `spec/akixi`.
pub mod akixi {
    akixi_derive::service!(spec = "../../spec", service = "akixi");
}
