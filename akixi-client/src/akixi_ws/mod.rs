//! The `akixi-ws` protocol (the Akixi Service Web Services API): its grammar, codec and client.
//!
//! Requests are `<Request Operation="…">` documents with an `<OperationPayload>` of
//! `<Property Name="…">` and `<Container Name="…">` elements; responses are
//! `<Response Result="…">` documents whose success element holds the same kind of payload.
//!
//! - [`grammar`]: the documented envelope's names, written once; [`Binding`]: what the spec's
//!   `binding` rows add (the failure shape, which the docs do not state);
//! - the codec: [`RequestWriter`] writes a request into one growing `String`;
//!   [`decode_response`] reads a response in a single pass, handing the payload to a
//!   [`DecodePayload`] implementation through a [`PayloadReader`]; [`ResponseWriter`] and
//!   [`decode_request`] are the server's side; [`Extra`] keeps whatever the spec does not know;
//! - what generated shapes implement ([`EncodePayload`], [`Operation`]) and calls by name
//!   ([`records`], [`DynError`]);
//! - [`ServiceInfo`]: the whole service as data, for servers and tools;
//! - [`cipher`]: the password cipher of the spec's scheme; [`redact_xml`] for logs;
//! - [`client`]: the async client.

pub(crate) mod binding;
pub(crate) mod by_name;
pub mod cipher;
pub mod client;
pub(crate) mod error;
pub(crate) mod extra;
pub mod grammar;
pub(crate) mod payload;
mod payload_text;
pub mod probe;
pub(crate) mod read;
pub(crate) mod redact;
pub(crate) mod response_writer;
pub(crate) mod service;
pub mod session;
#[cfg(test)]
pub(crate) mod test_service;
pub(crate) mod write;

pub use binding::Binding;
pub use by_name::{DynError, records};
pub use error::{DecodeError, DecodeErrorKind};
pub use extra::{Extra, ExtraItem};
pub use grammar::ResultKind;
pub use payload::{
    EncodeError, EncodePayload, Operation, PasswordEncoder, PasswordScheme, PasswordsAsIs,
    PayloadSink, decode_operation, encode_request, write_extra,
};
pub use read::{
    DecodePayload, Decoded, DecodedRequest, List, MAX_DEPTH, Node, PayloadReader, WireError,
    decode_request, decode_response,
};
pub use redact::redact_xml;
pub use response_writer::ResponseWriter;
pub use service::{ServiceInfo, SessionInfo};
pub use write::RequestWriter;

pub use crate::value::{ValueError, WireValue};
