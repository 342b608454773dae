//! What the reader hands out: a decoded response or request, the errors of a failure, and
//! lists.

use std::fmt;

use super::payload::{DecodePayload, Node, PayloadReader};
use crate::akixi_ws::error::DecodeError;
use crate::akixi_ws::extra::Extra;
use crate::akixi_ws::grammar::ResultKind;

/// A decoded `<Response>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<T> {
    /// The `Result` attribute.
    pub result: ResultKind,
    /// The echoed `<InvokeID>`, trimmed; `None` if the response has none.
    pub invoke_id: Option<String>,
    /// The payload of the success element, if the response has one (even when `result` is
    /// `Fail` or `PartialFail`).
    pub data: Option<T>,
    /// The errors of the failure element, in document order.
    pub errors: Vec<WireError>,
}

/// One error reported in the failure element.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WireError {
    /// The numeric error code; `None` when the server sent a message without a code.
    pub code: Option<u32>,
    /// The error's description, trimmed.
    pub message: Option<String>,
}

/// A decoded `<Request>`, as a simulator or a test sees it.
#[derive(Clone, PartialEq, Eq)]
pub struct DecodedRequest<T> {
    /// The `Operation` attribute.
    pub operation: String,
    /// `<InvokeID>`, trimmed.
    pub invoke_id: Option<String>,
    /// `<SessionID>`, trimmed. Left out of `Debug` output.
    pub session_id: Option<String>,
    /// `<Offset>`.
    pub offset: Option<u64>,
    /// `<Limit>`.
    pub limit: Option<u64>,
    /// The decoded `<OperationPayload>`, if present.
    pub payload: Option<T>,
}

impl<T: fmt::Debug> fmt::Debug for DecodedRequest<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodedRequest")
            .field("operation", &self.operation)
            .field("invoke_id", &self.invoke_id)
            .field(
                "session_id",
                &self.session_id.as_ref().map(|_| "<redacted>"),
            )
            .field("offset", &self.offset)
            .field("limit", &self.limit)
            .field("payload", &self.payload)
            .finish()
    }
}

/// A list payload: one entry per unnamed `<Container>`, plus anything else the level held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List<T> {
    /// The entries, in document order.
    pub entries: Vec<T>,
    /// Properties and named containers found beside the entries.
    pub extra: Extra,
}

impl<T> Default for List<T> {
    fn default() -> Self {
        Self {
            entries: Vec::new(),
            extra: Extra::new(),
        }
    }
}

impl<T: DecodePayload> DecodePayload for List<T> {
    fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        let mut list = List::default();
        while let Some(node) = reader.next()? {
            match node {
                Node::Container { name: None } => list.entries.push(reader.decode_container()?),
                Node::Container { name: Some(name) } => {
                    let items = reader.read_extra()?;
                    list.extra.push_container(Some(name.into_owned()), items);
                }
                Node::Property { name, value } => list.extra.push_property(name, value),
            }
        }
        Ok(list)
    }
}

/// Decodes each unnamed `<Container>` as an entry; anything else at the level is dropped
/// (use [`List`] to keep it).
impl<T: DecodePayload> DecodePayload for Vec<T> {
    fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        let mut entries = Vec::new();
        while let Some(node) = reader.next()? {
            match node {
                Node::Container { name: None } => entries.push(reader.decode_container()?),
                Node::Container { name: Some(_) } => reader.skip()?,
                Node::Property { .. } => {}
            }
        }
        Ok(entries)
    }
}

/// Keeps the whole payload.
impl DecodePayload for Extra {
    fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        reader.read_extra()
    }
}

/// Ignores the payload (operations that return no data).
impl DecodePayload for () {
    fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        reader.skip()
    }
}
