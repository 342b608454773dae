//! The Akixi Service Web Services API, generated from `spec/akixi` by `akixi_derive::service!`:
//! requests, responses, value types, `Platform`, `ErrorCode`, the operation metadata and the
//! binding's constants; and its client: the marker `Service` (the runtime's `AkixiWsService`)
//! and `Client`, a newtype over the runtime's generic client with one method per operation
//! (re-exported at the crate root with `ClientBuilder` and `Error`).

akixi_derive::service!(spec = "spec", service = "akixi");
