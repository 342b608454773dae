//! The `akixi-ws` protocol's fixed grammar: the documented envelope of every request and
//! response (`<Request Operation="…">`, `InvokeID`, `SessionID`, `Offset`, `Limit`,
//! `OperationPayload`, `Property Name="…"`, `Container`, `<Response Result="…">`).
//!
//! These names are what make the protocol this protocol: a service that spelled them otherwise
//! would speak another protocol. So they are written here once, and every reader and writer of
//! `akixi-ws` (the client, the simulator, the logs' redaction) names them from here. What the
//! documentation leaves open or a service may vary (the failure element and its fields, paging
//! defaults, the password scheme) is a `binding` row of the spec instead, and reaches the runtime
//! as the generated `BINDING` and friends.

// Each name is a macro as well as a constant, so that the tags below are built from the same
// literal at compile time.
macro_rules! request {
    () => {
        "Request"
    };
}
macro_rules! operation {
    () => {
        "Operation"
    };
}
macro_rules! invoke_id {
    () => {
        "InvokeID"
    };
}
macro_rules! session_id {
    () => {
        "SessionID"
    };
}
macro_rules! offset {
    () => {
        "Offset"
    };
}
macro_rules! limit {
    () => {
        "Limit"
    };
}
macro_rules! payload {
    () => {
        "OperationPayload"
    };
}
macro_rules! property {
    () => {
        "Property"
    };
}
macro_rules! container {
    () => {
        "Container"
    };
}
macro_rules! name {
    () => {
        "Name"
    };
}
macro_rules! response {
    () => {
        "Response"
    };
}
macro_rules! result {
    () => {
        "Result"
    };
}

/// The root of a request.
pub const REQUEST: &str = request!();
/// The request's attribute naming the operation.
pub const OPERATION: &str = operation!();
/// The element numbering a request, echoed by its response.
pub const INVOKE_ID: &str = invoke_id!();
/// The element carrying the API session.
pub const SESSION_ID: &str = session_id!();
/// The element of the entries a list skips.
pub const OFFSET: &str = offset!();
/// The element of the entries a list returns.
pub const LIMIT: &str = limit!();
/// The element holding a request's properties and containers.
pub const PAYLOAD: &str = payload!();
/// A property: `<Property Name="…">value</Property>`.
pub const PROPERTY: &str = property!();
/// A container: `<Container Name="…">` (or unnamed, for a list entry).
pub const CONTAINER: &str = container!();
/// The attribute naming a property or container.
pub const NAME: &str = name!();
/// The root of a response.
pub const RESPONSE: &str = response!();
/// The response's attribute giving its outcome (a [`ResultKind`]).
pub const RESULT: &str = result!();

pub(crate) const REQUEST_OPEN: &str = concat!("<", request!(), " ", operation!(), "=\"");
pub(crate) const REQUEST_CLOSE: &str = concat!("</", request!(), ">");
pub(crate) const PAYLOAD_OPEN: &str = concat!("<", payload!(), ">");
pub(crate) const PAYLOAD_CLOSE: &str = concat!("</", payload!(), ">");
pub(crate) const PROPERTY_OPEN: &str = concat!("<", property!(), " ", name!(), "=\"");
pub(crate) const PROPERTY_CLOSE: &str = concat!("</", property!(), ">");
pub(crate) const CONTAINER_OPEN: &str = concat!("<", container!(), " ", name!(), "=\"");
pub(crate) const CONTAINER_OPEN_UNNAMED: &str = concat!("<", container!(), ">");
pub(crate) const CONTAINER_CLOSE: &str = concat!("</", container!(), ">");
pub(crate) const RESPONSE_OPEN: &str = concat!("<", response!(), " ", result!(), "=\"");
pub(crate) const RESPONSE_CLOSE: &str = concat!("</", response!(), ">");

/// The values of [`RESULT`], for messages.
pub(crate) const RESULT_WORDS: &str = "Success, Fail or PartialFail";

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
    /// Every outcome, in the documentation's order.
    pub const ALL: [ResultKind; 3] = [
        ResultKind::Success,
        ResultKind::Fail,
        ResultKind::PartialFail,
    ];

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
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

impl std::fmt::Display for ResultKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
