//! The Akixi Service Web Services API, generated from `spec/akixi` by `akixi_derive::service!`:
//! requests, responses, value types, `Platform`, `ErrorCode`, the operation metadata and the
//! binding's constants; sent by [`Client`](crate::Client).

akixi_derive::service!(spec = "../spec", service = "akixi");
