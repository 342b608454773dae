//! The runtime of `akixi-ws` generated code: the neutral core and the protocol's codec.

pub use crate::akixi_ws::session::SessionOperations;
pub use crate::akixi_ws::{
    Binding, DecodeError, DecodePayload, Decoded, DynError, EncodeError, EncodePayload, Extra,
    ExtraItem, List, Node, Operation, PasswordEncoder, PasswordScheme, PasswordsAsIs,
    PayloadReader, PayloadSink, RequestWriter, decode_operation, encode_request, records,
    redact_xml, write_extra,
};
pub use crate::meta::*;
pub use crate::secret::{Password, Secret};
pub use crate::value::*;
