//! Wire codec for the Akixi Web Services API (`akixi-ws` protocol binding).
//!
//! Requests are `<Request Operation="…">` documents with an `<OperationPayload>` of
//! `<Property Name="…">` and `<Container Name="…">` elements; responses are
//! `<Response Result="…">` documents whose `<Success>` element holds the same kind of
//! payload. This module is the runtime that generated code calls:
//!
//! - [`RequestWriter`] writes a request into one growing `String`;
//! - [`decode_response`] reads a response in a single pass, handing the payload to a
//!   [`DecodePayload`] implementation through a [`PayloadReader`];
//! - [`WireValue`] converts property values to and from their wire text;
//! - [`Extra`] keeps whatever the spec does not know, so nothing a server says is lost.
//!
//! The names of the failure elements are not documented by Akixi; they come from a
//! [`Binding`] so that the spec, not this code, decides them.

mod error;
mod extra;
mod read;
mod response_writer;
mod value;
mod write;

pub use error::{DecodeError, DecodeErrorKind};
pub use extra::{Extra, ExtraItem};
pub use read::{
    DecodePayload, Decoded, DecodedRequest, List, MAX_DEPTH, Node, PayloadReader, WireError,
    decode_request, decode_response,
};
pub use response_writer::ResponseWriter;
pub use value::{ValueError, WireValue};
pub use write::RequestWriter;

/// Element names of the response envelope that the Akixi documentation does not state.
///
/// The spec records these names as provisional; the generated code fills this struct from
/// the spec so that a maintainer who learns the real names changes a table, not the reader.
/// Inside the failure element, errors may be given as elements named [`error_code`] /
/// [`error_message`], or as `<Property Name="…">` elements with those names, optionally
/// wrapped one level deep in any element (for example `<Error>`). Without a wrapper each code
/// starts a new error and a message completes the error before it; a message with no code
/// (or bare text inside the failure element) is an error of its own with `code: None`.
///
/// [`error_code`]: Binding::error_code
/// [`error_message`]: Binding::error_message
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Binding {
    /// Name of the element holding the payload of a successful response (`Success`).
    pub success: &'static str,
    /// Name of the element holding the errors of a failed response (`Fail`).
    pub fail: &'static str,
    /// Name of the element or property holding a numeric error code (`ErrorCode`).
    pub error_code: &'static str,
    /// Name of the element or property holding an error's description (`ErrorMessage`).
    pub error_message: &'static str,
}

impl Binding {
    /// The names documented for `<Success>` and guessed, by symmetry, for the failure shape.
    pub const DOCUMENTED_GUESS: Binding = Binding {
        success: "Success",
        fail: "Fail",
        error_code: "ErrorCode",
        error_message: "ErrorMessage",
    };
}

impl Default for Binding {
    fn default() -> Self {
        Self::DOCUMENTED_GUESS
    }
}

/// The `Result` attribute of a `<Response>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResultKind {
    /// `Success`: the operation was carried out.
    Success,
    /// `Fail`: the operation was not carried out; the response carries errors.
    Fail,
    /// `PartialFail`: the main change was made but parts of it were rejected; the response
    /// may carry both data and errors.
    PartialFail,
}

impl ResultKind {
    /// The attribute value as written on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            ResultKind::Success => "Success",
            ResultKind::Fail => "Fail",
            ResultKind::PartialFail => "PartialFail",
        }
    }

    /// Parses the attribute value exactly as documented (case-sensitive).
    pub fn from_wire(raw: &str) -> Option<Self> {
        match raw {
            "Success" => Some(ResultKind::Success),
            "Fail" => Some(ResultKind::Fail),
            "PartialFail" => Some(ResultKind::PartialFail),
            _ => None,
        }
    }
}

impl std::fmt::Display for ResultKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
