//! The Cisco Unified CM Extension Mobility API, generated from `spec/cisco-em` by
//! `akixi_derive::service!`: the actions, their result data, `ErrorCode`, `CcmVersion`, `Branch`
//! and the binding; sent by [`cisco_em::Client`](crate::cisco_em::Client).

akixi_derive::service!(spec = "../spec", service = "cisco-em");
