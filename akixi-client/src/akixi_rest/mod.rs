//! The Akixi REST/JSON API (`/CCS/API/v1`): a second binding of an `akixi-ws` service's shapes.
//!
//! - [`binding`]: the spec's REST binding as static data (`RestInfo`, generated as `REST` beside
//!   a service's `SERVICE`): routes, session names, statuses, JSON forms;
//! - the codec (feature `serde`): [`request`] writes a shape as a REST request (path, query,
//!   JSON body) through the same `EncodePayload` the XML codec uses; [`response`] reads a success
//!   body into the shape's response type with serde and a failure into a `RestFailure`;
//! - [`client`] (feature `serde`): `RestClient`, session or API key, retries, paging.

pub mod binding;
#[cfg(feature = "serde")]
pub mod client;
#[cfg(feature = "serde")]
pub mod request;
#[cfg(feature = "serde")]
pub mod response;

pub use binding::{RestInfo, RestOperationInfo, Route, Segment};
#[cfg(feature = "serde")]
pub use client::{RestClient, RestClientBuilder, RestError};
#[cfg(feature = "serde")]
pub use request::{EncodeContext, RestEncodeError, RestRequest, encode_request};
#[cfg(feature = "serde")]
pub use response::{RestDecodeError, RestFailure, decode_failure, decode_success};
