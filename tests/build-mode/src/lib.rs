//! A crate that uses build-script mode: its `build.rs` generates the API of the `gadgets`
//! service of its own spec (`spec/gadgets/`) with `akixi_schema::build`, and this module
//! includes it. The generated code names `akixi-client`'s runtime.

/// The `gadgets` service's generated API: value types, `Platform`, `ErrorCode`, and one module
/// per family (`gadget`) with its requests and responses.
pub mod gadgets {
    include!(concat!(env!("OUT_DIR"), "/gadgets.rs"));
}
