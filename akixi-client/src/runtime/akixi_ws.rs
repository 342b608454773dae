//! The runtime of `akixi-ws` generated code: the neutral core, the protocol's codec, and the
//! generic client with the traits a service implements for it (named from the modules that
//! define them).

pub use crate::akixi_rest::binding as rest;
pub use crate::akixi_ws::binding::Binding;
pub use crate::akixi_ws::by_name::{Collect, CollectRecords, Collectable, DynError, records};
pub use crate::akixi_ws::client::{
    AkixiWsService, ApiError, ApiFailure, Caller, Client, ClientBuilder, Error, ListStream,
    PartialFailure, Validate, ValidationError,
};
pub use crate::akixi_ws::error::DecodeError;
pub use crate::akixi_ws::extra::{Extra, ExtraItem};
pub use crate::akixi_ws::payload::{
    EncodeError, EncodePayload, Operation, PasswordEncoder, PasswordScheme, PasswordsAsIs,
    PayloadSink, decode_operation, encode_request, write_extra,
};
pub use crate::akixi_ws::read::{DecodePayload, Decoded, List, Node, PayloadReader};
pub use crate::akixi_ws::redact::redact_xml;
pub use crate::akixi_ws::service::{ServiceInfo, SessionInfo};
pub use crate::akixi_ws::session::SessionOperations;
pub use crate::akixi_ws::write::RequestWriter;
pub use crate::error_code::ServiceErrorCode;
pub use crate::meta::*;
pub use crate::secret::{Password, Secret};
pub use crate::value::*;
